/* mathfast_int.h: the tables of mathfast_sym.c, for mathfast.c. */
#ifndef BB_MATHFAST_INT_H
#define BB_MATHFAST_INT_H

#include <stddef.h>

/* A symbol: the token element (mi, mo or mn), its attributes (" a=\"v\""
 * or ""), its text escaped for XML as libxml2 writes it. */
typedef struct bb_mathfast_sym {
	const char *name, *el, *attrs, *text;
} bb_mathfast_sym;

/* An accent's text, or a space's whole markup. */
typedef struct bb_mathfast_acc {
	const char *name, *text;
} bb_mathfast_acc;

/* A font command over letters and digits: the mathvariant of each ("" none;
 * digit NULL: digits are not taken). */
typedef struct bb_mathfast_font {
	const char *name, *letter, *digit;
} bb_mathfast_font;

/* The font command named n bytes at name ("mathrm"), or NULL. */
const bb_mathfast_font *bb_mathfast_font_find(const char *name, size_t n);

/* The mathvariant ("" none) of the text command named n bytes at name
 * ("textbf"), or NULL when it is none. */
const char *bb_mathfast_text_find(const char *name, size_t n);

/* The symbol named by n bytes at name ("\\alpha", "+", "x"), or NULL. */
const bb_mathfast_sym *bb_mathfast_sym_find(const char *name, size_t n);

/* The accent's text for "hat" (n bytes), or NULL. */
const char *bb_mathfast_accent(const char *name, size_t n);

/* The markup of space "," or "quad" (n bytes), or NULL. */
const char *bb_mathfast_space(const char *name, size_t n);

/* 1 when the n bytes at s are a delimiter \left and \right take here. */
int bb_mathfast_delim(const char *s, size_t n);

/* 1 when the token of n bytes at s makes KaTeX's \cdots add a \, after
 * it (its spaceAfterDots). */
int bb_mathfast_after_dots(const char *s, size_t n);

/* A named operator ("sin", n bytes: KaTeX writes <mi>sin</mi> and
 * U+2061): 1, 2 when its scripts go under and over in display mode; 0 when
 * name is none. */
int bb_mathfast_named(const char *name, size_t n);

/* A big operator ("sum"): its text, *op set as bb_mathfast_named says;
 * NULL when name is none. */
const char *bb_mathfast_bigop(const char *name, size_t n, int *op);

/* The token of the character beyond ASCII at s (UTF-8, n bytes at most;
 * mathfast_text.c): its length, *tok set to KaTeX's symbol or, for a
 * character KaTeX writes as text, to an <mtext> of it (its text in buf);
 * 0 when the fast path does not know the character. tok->name is NULL. */
size_t bb_mathfast_uchar(const char *s, size_t n, bb_mathfast_sym *tok, char buf[5]);

/* The markup of the command named n bytes at name when it is one
 * without arguments KaTeX writes as nodes never joined with others: a
 * space (bb_mathfast_space), \\ or \mod; p (up to end) follows the name,
 * display is the style. NULL when it is none, or not here. */
const char *bb_mathfast_frag(const char *name, size_t n, const char *p, const char *end, int display);

/* The markup before and (in *close) after the braced argument of the
 * command named n bytes at name (\xrightarrow), or NULL. */
const char *bb_mathfast_wrap(const char *name, size_t n, const char **close);

/* The length of the character at s (before end) that KaTeX's text mode
 * (\text{...}) writes as it is, copied to buf with a NUL; 0 for others. */
size_t bb_mathfast_text_char(const char *s, const char *end, char buf[5]);

/* bb_mathfast_any, and when undef is not NULL, *undef set to the control
 * symbol KaTeX lacks (\\<) where it fails, when the formula (not made
 * gathered rows) was taken up to there, else to NULL. */
char *bb_mathfast_parse(const char *tex, size_t len, int display, const char **undef);

#endif
