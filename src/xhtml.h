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

/* What the writer hands some elements to: the caller's transforms (in a
 * book bb_xhtml_std_transforms, transforms.c). Each member may be NULL:
 * then the element is written as no transform were known (an image or a
 * frame dropped, a script removed, no link notes). */
typedef struct bb_xhtml_transforms {
	/* <img>: writes the image (embedded, fetched, or what stands for it) */
	void (*img)(bb_xhtml *x, xmlNodePtr n, bb_buf *o);
	/* <script>: writes what a known embed's script stands for; returns 1
	 * when it was one (and is handled), else 0 (nothing written) */
	int (*script)(bb_xhtml *x, xmlNodePtr n, bb_buf *o);
	/* <iframe>, <frame>: the same for a known player */
	int (*frame)(bb_xhtml *x, xmlNodePtr n, bb_buf *o);
	/* frames, objects, audio and video otherwise: a link to their source
	 * (what names the kind: "Embedded page"...; kind: its warning's) */
	void (*embed)(bb_xhtml *x, xmlNodePtr n, const char *what, bb_buf *o, int kind);
	/* --link-notes: numbers a link to the web (0: no note) and writes the
	 * reference to note k after it */
	int (*note_add)(bb_xhtml *x, xmlNodePtr n, const char *url);
	void (*note_ref)(bb_buf *o, const char *note_id, int k);
} bb_xhtml_transforms;

/* The transforms of a book: media.c's, embed.c's, linknotes.c's. */
extern const bb_xhtml_transforms bb_xhtml_std_transforms;

/* A writer for post p of b: links decides every href (its curpart is the
 * file being written, set by the caller), images are registered in b,
 * warnings go to dl, the elements of tf are handed to its transforms
 * (tf may be NULL: none). links, dl and tf must outlive the writer. */
bb_xhtml *bb_xhtml_new(bb_blog *b, const bb_post *p, bb_links *links, bb_diaglist *dl,
	const bb_xhtml_transforms *tf);

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
