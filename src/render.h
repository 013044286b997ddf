/* render.h: the render stage: one post's Markdown (or HTML) to the XHTML
 * files of its chapter, made safe, with its headings for the navigation.
 * It runs the phases: macros.c, markdown.c, outline.c, then xhtml.c (which
 * asks links.c) and page.c. */
#ifndef BB_RENDER_H
#define BB_RENDER_H

#include "blog.h"
#include "outline.h"
#include "page.h"
#include "util.h"

typedef struct bb_render_out {
	bb_buf *parts;        /* complete XHTML documents, nparts of them */
	int nparts;
	unsigned facts;       /* BB_FACT_ bits (xhtml.h): what the writer met */
	unsigned *part_facts; /* the same for each part (nparts) */
} bb_render_out;

/* Renders post idx of b into out (zeroed by the caller). The post's outline
 * (every heading with its level, id and file) is kept on the post
 * (p->headings, p->nheadings, p->rendered) the first time it is worked out,
 * here or when another post links to one of its headings. With dry set,
 * only the outline is worked out and kept, nothing is written and nothing
 * said. Diagnostics go to dl. Returns 0, or -1 when the post cannot be
 * read (it is then left out, with a warning). Thread-safe for distinct
 * posts. */
int bb_render_post(bb_blog *b, size_t idx, bb_render_out *out, int dry, bb_diaglist *dl);

/* For the chapter cache (cache.h): keeps the headings of a reused entry on
 * post idx (taking e's, unless the post has its own already), and says
 * whether each link the entry recorded still gets the answer it got:
 * returns 1 when every one does, 0 when one does not. */
struct bb_centry;
void bb_render_keep_cached(bb_blog *b, size_t idx, struct bb_centry *e);
int bb_render_links_same(bb_blog *b, size_t idx, const struct bb_centry *e);

/* Frees what out holds (not out itself). */
void bb_render_out_free(bb_render_out *out);

/* One-time set-up of the libraries the renderer uses; call from the main
 * thread before rendering on other threads. */
void bb_render_init(void);

#endif
