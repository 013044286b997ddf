/* deps.h: what a rendering consulted outside its post (images, links to
 * other posts), recorded on the rendering's thread for the chapter cache
 * (cache.h keeps it in the entry and checks it again before reuse). The
 * stages that consult (resolve.c, media.c, links.c) report here and know
 * nothing of the cache. */
#ifndef BB_DEPS_H
#define BB_DEPS_H

#include "util.h"

/* What one rendering consulted (records: see bb_ccache_store). */
typedef struct bb_deps {
	bb_buf images;   /* per image: kind, path, hash_from, base, name given */
	bb_buf links;    /* per link looked up on the blog: href, answer */
	unsigned nimages, nlinks;
} bb_deps;

/* Records on this thread into d until bb_deps_end. */
void bb_deps_begin(bb_deps *d);
void bb_deps_end(void);
/* Called by resolve.c, media.c and links.c; nothing happens when not
 * recording. kind 0: bb_image_add(rel); 1: bb_image_add_file(path,
 * hash_from, base); BB_DEPS_MISSING: a local image src that named no file
 * (path: the src); BB_DEPS_FAILED: a download that failed (never reused). */
enum { BB_DEPS_MISSING = 2, BB_DEPS_FAILED = 3 };
void bb_deps_image(int kind, const char *path, const char *hash_from, const char *base, size_t base_len,
		   const char *name);
void bb_deps_link(const char *href, const char *answer);
/* 1 when this thread records (links.c then marks answers from the post
 * itself so that they compare without its outline). */
int bb_deps_recording(void);

#endif
