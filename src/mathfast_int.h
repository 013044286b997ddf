/* mathfast_int.h: the tables of mathfast_sym.c, for mathfast.c; the
 * parser's nodes and steps (mathfast.c) for the environments of
 * mathfast_env.c. */
#ifndef BB_MATHFAST_INT_H
#define BB_MATHFAST_INT_H

#include "util.h"

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

/* A built node: a MathNode (el set) or, el "", a fragment or space that
 * KaTeX's builder does not merge with anything. */
typedef struct bb_mathfast_node {
	const char *el;  /* a static name, or "" */
	bb_buf attrs;  /* " name=\"value\"" ... */
	bb_buf body;   /* content, as libxml2 writes it */
	int dot;       /* <mi>.</mi>, which joins a number before it */
	int op;        /* an operator: 1, 2 when its scripts go under and over in display */
	int named;     /* a named operator (\sin): its mi and U+2061 */
	int thin;      /* \cdots before a closing token: a \, follows it */
	int brace;     /* \underbrace (1), \overbrace (2): its script goes under, over */
} bb_mathfast_node;

typedef struct bb_mathfast_list {
	bb_mathfast_node *v;
	size_t n, cap;
} bb_mathfast_list;

typedef struct bb_mathfast_parser {
	const char *p, *end;
	int display, depth;
	int eqnsw;  /* KaTeX's \@eqnsw: a numbered row gets its number (\nonumber clears it) */
	const bb_mathfast_font *font;  /* a font command's group being read */
	const char *undef;  /* where KaTeX fails: a control symbol it lacks */
} bb_mathfast_parser;

/* 1 when c continues a control word in KaTeX's lexer ([a-zA-Z@]). */
static inline int
bb_mathfast_letter(char c)
{
	return ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '@';
}

/* Deepest nesting tried; the rest goes to KaTeX. */
#define BB_MATHFAST_DEPTH_MAX 32

/* mathfast.c's steps, for mathfast_env.c. bb_mathfast_expr: atoms up to
 * until ('}' consumed; 'r' for \right and 'a' for a cell's end, & \\\\
 * or \end, left unread; 0 for the end) appended to out; 0, or -1 when the
 * formula is not a simple one. bb_mathfast_elem: n becomes an element el
 * holding the k nodes at c (which it consumes). bb_mathfast_token: n
 * becomes a token el with attrs and escaped text. bb_mathfast_push:
 * appends n to l (l owns it now). bb_mathfast_build: KaTeX's
 * buildExpression over l in place (ordgroup: a lone <mo> loses its
 * spacing). bb_mathfast_row: KaTeX's makeRow of l into out; empties l. */
int bb_mathfast_expr(bb_mathfast_parser *P, bb_mathfast_list *out, int until);
void bb_mathfast_elem(bb_mathfast_node *n, const char *el, bb_mathfast_node *c, size_t k);
void bb_mathfast_token(bb_mathfast_node *n, const char *el, const char *attrs, const char *text);
void bb_mathfast_push(bb_mathfast_list *l, bb_mathfast_node *n);
void bb_mathfast_build(bb_mathfast_list *l, int ordgroup);
void bb_mathfast_row(bb_mathfast_list *l, bb_mathfast_node *out);
void bb_mathfast_list_free(bb_mathfast_list *l);
/* One argument (a braced group, a symbol command or one character) into
 * out: 0, or -1. */
int bb_mathfast_arg(bb_mathfast_parser *P, bb_mathfast_node *out);

/* mathfast_env.c: \begin{NAME} ... \end{NAME} (P->p after \begin) as
 * KaTeX's mtable in out; 0, or -1 when the environment is not one the fast
 * path knows. */
int bb_mathfast_env(bb_mathfast_parser *P, bb_mathfast_node *out);

/* 1 when the len bytes of TeX at tex hold an environment KaTeX takes in
 * display mode only (align, gather, equation): an inline formula holding
 * one becomes a display one (mathml.c renders it so). */
int bb_mathfast_block(const char *tex, size_t len);

/* \displaystyle or \textstyle at P->p: the rest of the expression (up
 * to until, as bb_mathfast_expr) in that style, as one <mstyle> appended
 * to out: 1; 0 when neither stands there; -1. */
int bb_mathfast_style(bb_mathfast_parser *P, bb_mathfast_list *out, int until);

/* The command named n bytes at name (P->p after it) when it is \\ (a
 * line break outside an environment), \underbrace or \overbrace: its
 * node in out; 0, or -1. */
int bb_mathfast_cmd(bb_mathfast_parser *P, const char *name, size_t n, bb_mathfast_node *out);

/* The token of the character beyond ASCII at s (UTF-8, n bytes at most;
 * mathfast_text.c): its length, *tok set to KaTeX's symbol or, for a
 * character KaTeX writes as text, to an <mtext> of it (its text in buf);
 * 0 when the fast path does not know the character. tok->name is NULL. */
size_t bb_mathfast_uchar(const char *s, size_t n, bb_mathfast_sym *tok, char buf[5]);

/* The markup of the command named n bytes at name when it is one
 * without arguments KaTeX writes as nodes never joined with others: a
 * space (bb_mathfast_space) or \mod; p (up to end) follows the name,
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
