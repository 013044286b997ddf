/* formula.h: math in a post, from the text the blog wrote to MathML in the
 * book: before cmark, each formula becomes a placeholder element (so that
 * Markdown does not touch its TeX); the writer puts the formula's MathML
 * (or its TeX, with a warning) where the placeholder stands. */
#ifndef BB_FORMULA_H
#define BB_FORMULA_H

#include "diag.h"
#include "mathscan.h"
#include "util.h"

/* The placeholder's attribute: <span data-bb-math="N"></span>. */
#define BB_FORMULA_ATTR "data-bb-math"

/* Finds the math of len bytes of text (Markdown of mathscan dialect, or
 * HTML when html), appends the spans to *spans and returns a new text in
 * which each span is a placeholder (caller frees; *out_len its length), or
 * NULL when the text holds no math. first_line numbers text's first line
 * in the post's file. */
char *bb_formula_mark(const char *text, size_t len, int dialect, int html, unsigned first_line,
		      bb_math_spans *spans, size_t *out_len);

/* bb_formula_sniff's dialect for an HTML post, and for one not known. */
#define BB_FORMULA_HTML (-2)
#define BB_FORMULA_ANY (-1)

/* 2 when the post's text (len bytes) seems to hold a formula KaTeX will
 * be asked for: "\\(", "\\[", "\\begin{" outside $$ pairs, or a $$
 * formula the fast path (mathfast.h) does not take, and then the math
 * scanner (mathscan.h, dialect a BB_MATHSCAN_* or BB_FORMULA_*) finds a
 * formula the fast path does not take (nor knows KaTeX's error for); 1
 * when it holds formulas the fast path takes, or may hold one ($x$, two
 * dollars on a line, but that is often two prices), else 0. A guess,
 * read before Liquid and Markdown: it only decides when Node starts
 * (bb_math_prewarm) and when the post is rendered, never what a formula
 * becomes. */
int bb_formula_sniff(const char *text, size_t len, int dialect);

/* Writes formula idx (the placeholder's attribute value) of spans to o as
 * MathML (mathml 1) or as its TeX in a code element (mathml 0, or when the
 * formula cannot be converted: then with a warning in dl at the formula's
 * line and column of path). Returns 1 when MathML was written, 0 TeX, -1
 * nothing (idx names no formula). */
int bb_formula_put(const bb_math_spans *spans, const char *idx, int mathml, const char *path, bb_diaglist *dl,
		   bb_buf *o);

#endif
