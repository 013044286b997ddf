/* goldmark.h: what Hugo's goldmark does beyond cmark-gfm, as a pass over
 * cmark's tree: the typographer (its smart quotes, dashes, ellipsis and
 * angle quotes, with goldmark's own rules) and heading attributes
 * (`## Title {#id .class}`), both on by default in Hugo. */
#ifndef BB_GOLDMARK_H
#define BB_GOLDMARK_H

#include "fm.h"

#include <cmark-gfm.h>

typedef struct bb_goldmark_opts {
	int typographer;     /* markup.goldmark.extensions.typographer (Hugo: on) */
	int heading_attrs;   /* markup.goldmark.parser.attribute.title (Hugo: on) */
	int linkify;         /* markup.goldmark.extensions.linkify (Hugo: on): for
				the caller, attach cmark-gfm's autolink or not */
} bb_goldmark_opts;

/* Fills o with Hugo's defaults. */
void bb_goldmark_opts_init(bb_goldmark_opts *o);

/* Fills o with Hugo's defaults, then what a Hugo config (NULL allowed)
 * sets under markup.goldmark: true/false, or a table with disable = true
 * (Hugo 0.127's form for the typographer). */
void bb_goldmark_opts_config(bb_goldmark_opts *o, const bb_fm_node *config);

/* Converts the text nodes of doc as goldmark's typographer would have (never
 * inside code, raw HTML or link destinations), and moves a heading's
 * trailing {#id .class} into a marker <!--bb-ial ...--> after it (ial.h
 * applies it; unsafe ids and other attributes are dropped). Returns the
 * number of headings given attributes. */
int bb_goldmark_tree(cmark_node *doc, const bb_goldmark_opts *o);

/* The typographer alone on one line of text s[0..n) (a unit-test hook):
 * before is the character before it (0: a line start). Returns a new
 * string; the caller frees it. */
char *bb_goldmark_typo(const char *s, size_t n, unsigned before);

#endif
