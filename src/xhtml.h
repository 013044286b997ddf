/* xhtml.h: phase 2 of rendering a post: the sanitizing writer, which walks
 * the post's HTML tree (after its outline) and writes inert, well-formed
 * XHTML, and reports as flags what it met that the package declares. */
#ifndef BB_XHTML_H
#define BB_XHTML_H

#include "links.h"
#include "util.h"

#include <libxml/tree.h>

/* Facts about what was written, as bits of bb_xhtml_facts. */
enum {
	BB_FACT_RUBY = 1,    /* a <ruby> annotation */
	BB_FACT_IMAGE = 2,   /* an image embedded in the book */
	BB_FACT_NO_ALT = 4,  /* an embedded image with no (or an empty) alt text */
	BB_FACT_MATH = 8,    /* math (kept as its text) */
	BB_FACT_SVG = 16,    /* inline svg (kept as its text) */
	BB_FACT_REMOTE = 32, /* a remote image (linked, or fetched and embedded) */
	BB_FACT_MATHML = 64  /* MathML (a formula converted) */
};

typedef struct bb_xhtml bb_xhtml;
struct bb_math_spans;

/* A writer for post p of b: links decides every href (its curpart is the
 * file being written, set by the caller), images are registered in b,
 * warnings go to dl. links and dl must outlive the writer. */
bb_xhtml *bb_xhtml_new(bb_blog *b, const bb_post *p, bb_links *links, bb_diaglist *dl);

/* Gives the writer the post's file as read (len bytes, body at offset
 * body), so that warnings carry a line and column; optional. */
void bb_xhtml_source(bb_xhtml *x, const char *src, size_t len, size_t body);

/* Appends top-level block top, with everything in it, to o. */
void bb_xhtml_block(bb_xhtml *x, xmlNodePtr top, bb_buf *o);

/* The BB_FACT_ bits of everything written so far. */
unsigned bb_xhtml_facts(const bb_xhtml *x);

/* The BB_FACT_ bits of what was written since the last call (one file of
 * the post: the package declares "mathml" per file). */
unsigned bb_xhtml_part_facts(bb_xhtml *x);

/* The post's formulas (from bb_markdown_to_tree), and whether to write
 * them as MathML (else as TeX); highlight: code blocks with a language
 * get token spans. spans must outlive the writer. */
void bb_xhtml_rich(bb_xhtml *x, const struct bb_math_spans *spans, int mathml, int highlight);

/* With --link-notes, appends to o the endnotes of the links written since
 * the last call (a section with role doc-endnotes), or nothing. */
void bb_xhtml_link_notes(bb_xhtml *x, bb_buf *o);

/* NULL allowed. */
void bb_xhtml_free(bb_xhtml *x);

/* Appends s as XML text (attr 0) or an attribute value (attr 1): the
 * special characters escaped, what XML may not hold replaced by U+FFFD. */
void bb_xhtml_put_text(bb_buf *o, const char *s, int attr);

#endif
