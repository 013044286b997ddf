/* hlnative_int.h: what hlnative.c and hlnative_more.c (the lexers of TeX, Markdown, Makefiles, Pascal and D) share. */
#ifndef BB_HLNATIVE_INT_H
#define BB_HLNATIVE_INT_H

#include "util.h"

#include <stddef.h>

/* Appends n bytes of code to b, escaped as highlight.js escapes (&, <, >). */
void bb_hl_text(bb_buf *b, const char *s, size_t n);

/* Appends n bytes of code as one token of class hljs-CLS (nothing when n
 * is 0). */
void bb_hl_span(bb_buf *b, const char *cls, const char *s, size_t n);

/* 1 when the n bytes at w are a word of list, one of hlnative.c's tables'
 * " a b c " lists (not any other string: they are hashed by address). */
int bb_hl_in(const char *list, const char *w, size_t n);

/* XML and HTML: comments, <!DOCTYPE> and <?xml?> as meta, tag names,
 * attribute names and values; <script> and <style> content as text. */
void bb_hl_markup(const char *s, size_t len, bb_buf *b);

/* TeX: control sequences (hljs-name) with their [] and {} arguments
 * (hljs-string), % comments, $ and $$ formulas (hljs-formula). */
void bb_hl_tex(const char *s, size_t len, bb_buf *b);

/* Markdown: headings (hljs-section), list bullets, emphasis and strong,
 * quotes, code spans and blocks (hljs-code), links and inline HTML. */
void bb_hl_md(const char *s, size_t len, bb_buf *b);

/* Makefiles: targets (hljs-section), $(VAR) and $@ (hljs-variable), the
 * functions of builtins, the directives of keywords, .PHONY, # comments,
 * strings. */
void bb_hl_make(const char *keywords, const char *builtins, const char *s, size_t len, bb_buf *b);

/* Diffs: + and ! lines (hljs-addition), - lines (hljs-deletion), the
 * files' --- +++ *** lines and Index: (hljs-comment), @@ hunks (hljs-meta). */
void bb_hl_diff(const char *s, size_t len, bb_buf *b);

/* Pascal at s[i]: the end of a { } or (* *) comment, a {$ } directive
 * (*cls "meta"), a // comment, a 'string' or #13 character; 0 when none
 * starts there. */
size_t bb_hl_pascal(const char *s, size_t to, size_t i, const char **cls);

/* D at s[i]: the end of a nested /+ +/ comment, a "string" (lines and
 * escapes) or r"" x"" q"" one, a #! or #line line (*cls "meta"), an
 * @attribute (*cls "keyword"); 0 when none starts there. */
size_t bb_hl_d(const char *s, size_t from, size_t to, size_t i, int line_start, const char **cls);

#endif
