/* cache.h: the chapter cache of --cache-dir: each post's rendered files,
 * deflated, kept in DIR/chapters under a key made of everything the
 * rendering reads (the post's bytes and fields, the settings, the chapter
 * template, the program's version and sources; the post's fields are
 * compared, not hashed: see bb_ckey), with what the rendering
 * consulted outside the post (other posts through links, images) recorded
 * in the entry and checked again before it is reused. Entries are checked
 * by a checksum of their bytes (UMAC-128, cache.c) and kept in packs, one
 * a run (cachepack.h), so a broken, foreign or half-written entry is only
 * a miss. */
#ifndef BB_CACHE_H
#define BB_CACHE_H

#include "blog.h"
#include "deps.h"
#include "record.h"
#include "util.h"

typedef struct bb_ccache bb_ccache;

/* One part of a post: its deflated bytes and what the zip needs. */
typedef struct bb_cpart {
	unsigned long long size;      /* uncompressed */
	unsigned long crc;
	unsigned props;               /* BB_PROP_ bits */
	const unsigned char *data;    /* deflated, len bytes, inside the entry */
	size_t len;
} bb_cpart;

/* An entry read back: every pointer points into its pack (buf: NULL). */
typedef struct bb_centry {
	char *buf;
	size_t len;
	unsigned facts;
	int nparts;
	bb_cpart *parts;
	bb_heading *headings;         /* owned strings */
	size_t nheadings;
	const char *images, *links, *diags;  /* records, see cache.c */
	size_t images_len, links_len, diags_len;
	unsigned nimages, nlinks, ndiags;
} bb_centry;

/* Opens DIR/chapters of b->opt.cache_dir (made when missing) and works out
 * the part of every key the whole book shares. Returns NULL when there is
 * no --cache-dir or the folder cannot be used (a note in dl says why). */
bb_ccache *bb_ccache_open(bb_blog *b, bb_diaglist *dl);

/* Ends this run's pack of entries (cachepack.h); complete: every post
 * of the book was looked up, so the book's packs may be packed into one,
 * its unused entries left out; then bounds the folder to max_mb MB
 * (1,000,000 bytes; <= 0: no bound), the least recently used packs (by
 * the later of access and modification times) removed first. Frees c.
 * NULL allowed. */
void bb_ccache_close(bb_ccache *c, int complete, long max_mb, bb_diaglist *dl);
/* bb_ccache_close in two: the end of the run's use (after it no entry is
 * looked up or stored), and the end of its entries' bytes (after the book
 * is written: reused chapters are read from the packs' mappings). */
void bb_ccache_end(bb_ccache *c, int complete, long max_mb, bb_diaglist *dl);
void bb_ccache_free(bb_ccache *c);

/* What names and checks post idx's entry: the name is a SHA-256 of the
 * book's settings, the post's file and bytes (and, for a post with
 * macros, what they may read of the blog); the post's other fields (its
 * date, url, title, id...) are kept in the entry and compared, byte for
 * byte, before it is reused. */
typedef struct bb_ckey {
	char hex[65];                 /* the entry's name: 64 hex digits */
	unsigned char raw[32];
	bb_buf fields;                /* the post's fields as a record */
} bb_ckey;

/* Fills k (zeroed, or filled before: reused) for post idx. Returns 0, or
 * -1 when the post is not cached (it cannot be read, or it reads files
 * the key cannot name: include_relative). Free k with bb_ckey_free
 * either way. Thread-safe. */
int bb_ccache_key(bb_ccache *c, size_t idx, bb_ckey *k);
void bb_ckey_free(bb_ckey *k);

/* Reads the entry of k into *e (pointing into the pack it lies in, kept
 * until bb_ccache_free).
 * Returns 1 when found, sound and made from the same fields, 0 when
 * there is none or it was made from other fields (a title, a url
 * changed: the rendering overwrites it), -1 when it is there but
 * truncated, corrupted or another key's (a note in dl names it; the post
 * is rendered again). Free e with bb_centry_free. Thread-safe. */
int bb_ccache_load(bb_ccache *c, const bb_ckey *k, const char *path, bb_centry *e, bb_diaglist *dl);
void bb_centry_free(bb_centry *e);

/* Writes the entry of key (atomically). parts: the post's files deflated,
 * facts as the render gave them, headings kept on the post, dl the
 * render's diagnostics. Returns 0 or -1 (the cache only misses later). */
int bb_ccache_store(bb_ccache *c, const bb_ckey *key, unsigned facts, const bb_cpart *parts, int nparts,
		    const bb_heading *h, size_t nh, const bb_deps *d, const bb_diaglist *dl);

/* Replays what a reused entry's rendering did: registers its images again
 * and checks each gets the name it had. Returns 0, or -1 when one differs
 * (the post must be rendered again). */
int bb_centry_replay_images(bb_blog *b, const bb_post *p, const bb_centry *e);

/* Appends the entry's diagnostics to dl, as the rendering made them. */
void bb_centry_replay_diags(const bb_centry *e, bb_diaglist *dl);

/* Calls fn(ud, href, answer) for each recorded link; stops and returns -1
 * when fn does. */
int bb_centry_links(const bb_centry *e, int (*fn)(void *ud, const char *href, const char *answer), void *ud);

#endif
