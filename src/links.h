/* links.h: every decision about where a link or an image in a post
 * points: a place in this post, in another post of the book (from the
 * outlines kept on the posts), a page of the blog left out, or the web. It
 * never renders: the XHTML writer asks, and writes what it is told. */
#ifndef BB_LINKS_H
#define BB_LINKS_H

#include "outline.h"
#include "util.h"

/* What a link is looked up against: the post being written and its
 * outline, and the headings of any other post, which outline_of hands
 * over (working them out once when the post has not been rendered yet). */
typedef struct bb_links {
	bb_blog *b;
	const bb_post *p;
	size_t idx;              /* p's index in b->posts */
	const bb_outline *ol;    /* p's outline */
	int curpart;             /* the file of p being written */
	/* The headings of post t (*n of them) in one block the caller frees,
	 * or NULL when it has none or they cannot be read. */
	bb_heading *(*outline_of)(void *ud, size_t t, size_t *n);
	void *ud;
} bb_links;

/* The answers the chapter cache records for a link to the post itself
 * (and bb_link_href gives for one when l->ol is NULL) and for no target. */
#define BB_LINK_SELF "\001self"
#define BB_LINK_NONE "\002"

/* Why bb_link_href gave no target. */
enum { BB_LINK_DROP = 1, BB_LINK_SCRIPT, BB_LINK_FILE, BB_LINK_SCHEME, BB_LINK_VOLUME };

/* The target a link's href becomes in the book (caller frees): "#id" or
 * "file#id" inside the book, an absolute URL for a page of the blog not in
 * the book (when the blog's url is known) or for the web. NULL when the
 * link must go (its text stays); *why then says BB_LINK_SCRIPT (a script
 * URL), BB_LINK_FILE (a file: URL), BB_LINK_SCHEME (a scheme no reading
 * system knows: rdar:, x-apple...), BB_LINK_VOLUME (a post of another
 * volume, and the blog's url is unknown) or BB_LINK_DROP (nothing to point
 * to). */
char *bb_link_href(const bb_links *l, const char *href, int *why);

/* What an image's src names. */
enum { BB_SRC_LOCAL, BB_SRC_REMOTE, BB_SRC_SCHEME, BB_SRC_BAD };

/* BB_SRC_REMOTE: an http(s) or "//" URL not on the blog's url;
 * BB_SRC_SCHEME: another scheme (file:, ftp:...), which a book cannot show;
 * BB_SRC_BAD: a script or data URL; BB_SRC_LOCAL: a path to resolve in
 * the blog's folder (bb_resolve_local). */
int bb_link_src_kind(const bb_blog *b, const char *src);

/* 1 when u starts with a scheme ("x:"). */
int bb_url_has_scheme(const char *u);

/* 1 for javascript:, vbscript:, livescript: and data: URLs, also when
 * hidden by blanks or control characters ("java\tscript:"). */
int bb_url_bad_scheme(const char *u);

/* Appends u with what may not stand in a URL (blanks, non-ASCII, quotes)
 * percent-encoded. */
void bb_url_put(bb_buf *o, const char *u);

/* path with its "." and ".." segments folded and empty ones dropped, as
 * "/a/b" ("/" when nothing is left; a ".." past the start goes). Caller
 * frees. */
char *bb_path_fold(const char *path);

#endif
