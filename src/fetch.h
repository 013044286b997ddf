/* fetch.h: remote images for offline books: downloading an http(s) URL into
 * a cache folder (libcurl), and registering the cached file as an image of
 * the book. */
#ifndef BB_FETCH_H
#define BB_FETCH_H

#include "blog.h"

#include <stddef.h>

/* The most redirects bb_fetch follows. */
#define BB_FETCH_MAX_REDIRS 5

/* Returns 1 when url is an absolute http:// or https:// URL (scheme in any
 * case) with a host, 0 otherwise ("//host/x", "ftp:", "data:", "file:",
 * relative paths, a URL holding spaces or control characters). */
int bb_fetch_is_http(const char *url);

/* The file name url gets in the cache folder: 16 hex digits of a 64-bit
 * FNV-1a hash of the whole URL, then the extension the URL's path shows
 * (lower case, 1 to 5 letters or digits; none when it shows none), e.g.
 * "0123456789abcdef.png". Depends on url alone, so a second run finds the
 * same file. Caller frees. */
char *bb_fetch_cache_name(const char *url);

/* Downloads url (http or https only) into cache_dir (created if missing)
 * unless a cached copy exists, with a connect+transfer time-out of
 * timeout_s seconds (<= 0: none) and at most max_bytes bytes (0: no cap; a
 * larger body is an error, the partial file removed). The cache file is
 * named by bb_fetch_cache_name, written to a temporary name in cache_dir and
 * renamed, so a crash never leaves a half file under the final name.
 * Redirects are followed (at most BB_FETCH_MAX_REDIRS), only to http/https.
 * A run interrupted by bb_interrupt() stops the transfer.
 * Thread-safe: each call uses its own curl handle; curl_global_init runs
 * once (pthread_once) and curl_global_cleanup never does.
 * On success returns 0 and sets *path to the cached file's path, cache_dir
 * "/" name (caller frees); on failure returns -1, leaves *path NULL and
 * sets *why to a static message: "not an http(s) URL", "cannot write the
 * cache", "timed out", "HTTP 404" (or the code received), "larger than the
 * size cap", "too many redirects", "redirected to a non-http(s) URL",
 * "interrupted", "cannot start libcurl", or libcurl's own message
 * (curl_easy_strerror, static). */
int bb_fetch(const char *url, const char *cache_dir, long timeout_s, size_t max_bytes, char **path,
	     const char **why);

/* Registers an image read from path, a file anywhere on disk such as
 * bb_fetch's cached copy (thread-safe, like bb_image_add). The image's src,
 * and its key in the blog's image map, is the file's real path (absolute:
 * it starts with '/', which the relative src of a local image never does),
 * so the same cached file met in several posts is embedded once, and
 * build.c's re-keying of the map by src after rendering holds. Its name in
 * the book, img/iHASH-SLUG.EXT, and its id come from url alone (HASH of the
 * whole URL, SLUG from its last path segment), so the book is the same
 * wherever the cache lives. Returns the image's index, or -1 with *why set
 * (static): "cannot be read" (not registered), "is larger than 32 MB", "is
 * not a PNG, JPEG, GIF or SVG image (nor ...)", a header refusal (image.c),
 * or "is not an image blogbind can embed" when that file was refused before. */
long bb_image_add_abs(bb_blog *b, const char *path, const char *url, const char **why);

#endif
