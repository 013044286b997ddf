/* render.h: the render stage: one post's Markdown (or HTML) to the XHTML
 * files of its chapter, made safe, with its headings for the navigation. */
#ifndef BB_RENDER_H
#define BB_RENDER_H

#include "blog.h"
#include "util.h"

typedef struct bb_render_out {
	bb_buf *parts;        /* complete XHTML documents, nparts of them */
	int nparts;
	bb_heading *headings; /* handed to the post by bb_render_post */
	size_t nheadings;
	unsigned props;
} bb_render_out;

/* Renders post idx of b into out (zeroed by the caller). With dry set,
 * only the headings and the split into files are worked out (used to learn
 * where another post's fragment lives). Diagnostics go to dl. Returns 0, or
 * -1 when the post cannot be read (it is then left out, with a warning).
 * Thread-safe for distinct posts. */
int bb_render_post(bb_blog *b, size_t idx, bb_render_out *out, int dry, bb_diaglist *dl);

/* Frees what out holds (not out itself). */
void bb_render_out_free(bb_render_out *out);

/* The file name of part k of post p ("p00001.xhtml", "p00001-2.xhtml"). */
void bb_part_name(const bb_post *p, int k, char out[40]);

/* Turns a title that may hold HTML or Markdown marks into plain text
 * (tags removed, entities kept as written). Caller frees. */
char *bb_plain_title(const char *s);

/* One-time set-up of the libraries the renderer uses; call from the main
 * thread before rendering on other threads. */
void bb_render_init(void);

#endif
