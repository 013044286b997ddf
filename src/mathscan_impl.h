/* mathscan_impl.h: what mathscan.c (span scanning) and mathscan_lines.c (the Markdown block structure) share; private to them. */
#ifndef BB_MATHSCAN_IMPL_H
#define BB_MATHSCAN_IMPL_H

#include <stddef.h>
#include "mathscan.h"

enum { L_TEXT, L_BLANK, L_CODE };

typedef struct S_line {
	size_t start, end;    /* end: the '\n' or len */
	size_t content;       /* after block-quote markers and up to 3 spaces */
	size_t item;          /* content after a list marker, or content */
	int kind;
	int quoted;
	int boundary;         /* a block may start here (kramdown's rule) */
} S_line;

/* The answer of the last closer search of one kind, reused while it still
 * holds, so that many openers without a closer cost linear time. */
typedef struct S_memo {
	size_t from, limit, found;  /* found == (size_t)-1: none */
	int valid;
} S_memo;

enum { M_DOLLAR, M_DDOLLAR, M_PAREN, M_BRACKET, M_LATEX, M_ENV, M_TICK = M_ENV + 16, M_N = M_TICK + 33 };
#define S_NONE ((size_t)-1)

typedef struct S_scan {
	const char *s;
	size_t len;
	int dialect;
	unsigned flags;
	unsigned first_line;
	S_line *lines;
	size_t nlines, cur;
	size_t *para_end, *block_end;
	bb_math_spans *out;
	size_t added;
	S_memo memo[M_N];
} S_scan;

/* 1 for a blank within a line. */
int bb_mathscan_space(int c);

/* 1 when the n bytes at s start with lit, ASCII case ignored (lit is
 * lower case). */
int bb_mathscan_casestarts(const char *s, size_t n, const char *lit);

/* Finds lit (case-insensitive) in s[from..to). Returns its offset or S_NONE. */
size_t bb_mathscan_casefind(const char *s, size_t from, size_t to, const char *lit);

/* Splits sc->s into sc->lines (kind, block-quote and list content,
 * kramdown's block boundaries) and fills sc->para_end and sc->block_end
 * (mathscan_lines.c); the caller frees the three arrays. */
void bb_mathscan_lines(S_scan *sc);

#endif
