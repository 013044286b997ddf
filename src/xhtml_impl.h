/* xhtml_impl.h: what the sanitizing writer (xhtml.c, the walk) shares with
 * the transforms it is given (media.c, embed.c, linknotes.c): the writer's
 * state and its helpers. Private to them. */
#ifndef BB_XHTML_IMPL_H
#define BB_XHTML_IMPL_H

#include "xhtml.h"

typedef struct frame {
	const char *close; /* tag to write after the children, or NULL */
	const char *wrap;  /* closing tags of a wrapper opened around it */
	int is_a;
	int phrasing;      /* 1: it allows phrasing content only */
	int code;          /* 1: pre, code, kbd, samp */
	int note;          /* a link's endnote number (--link-notes), or 0 */
} frame;

typedef struct walker {
	frame *v;
	size_t n, cap;
	int in_a;
	int phrasing;      /* open elements that allow phrasing content only */
	int in_code;       /* inside pre, code, kbd or samp */
	size_t depth;      /* tags open in the output (wrappers too) */
	const char *note_id; /* the post's id, which its link notes' ids start with */
} walker;

struct bb_xhtml {
	bb_blog *b;
	const bb_post *p;
	bb_links *links;
	bb_diaglist *dl;
	int tcy;                 /* vertical Japanese: set short numbers upright */
	const char *src;         /* the file as read, for positions in messages */
	size_t srclen, srcbody;  /* its length and where the body starts */
	unsigned warned[16];
	size_t cursor[16];       /* per kind of warning: where the last was found */
	unsigned facts;          /* BB_FACT_ bits */
	unsigned part_facts;     /* the same, since the last bb_xhtml_part_facts */
	const struct bb_math_spans *math; /* the post's formulas, or NULL */
	int mathml;              /* 1: formulas as MathML, 0: as TeX */
	int highlight;           /* 1: code blocks with a language highlighted */
	walker w;
	bb_buf notes;            /* --link-notes: the <aside> of each note not yet written */
	int note_seq;            /* the last note's number */
	const bb_xhtml_transforms *tf; /* the caller's transforms (bb_xhtml_new) */
};

/* Kinds of warnings, each counted apart. */
enum { W_SCRIPT, W_EVENT, W_JSURL, W_IFRAME, W_OBJECT, W_FORM, W_IMGMISS, W_ALT, W_DEPTH, W_STYLE, W_SVG, W_MEDIA, W_OUTSIDE };

/* A warning about the post of kind kind (fmt takes one %s, arg), at where
 * needle stands in its file when needle is given and found; past a few of
 * one kind, they are only counted. */
void bb_xhtml_warn_at(bb_xhtml *st, int kind, const char *needle, const char *fmt, const char *arg);

/* Writes the allowed attributes of n as element as (href, src, alt are the
 * caller's). */
void bb_xhtml_attrs(bb_xhtml *st, xmlNodePtr n, const char *as, bb_buf *o);

/* Writes ' name="value"', value escaped. */
void bb_xhtml_put_attr(bb_buf *o, const char *name, const char *value);

/* 1 when n's class attribute holds the class cls. */
int bb_xhtml_has_class(xmlNodePtr n, const char *cls);

#endif
