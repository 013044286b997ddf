/* wpautop_int.h: what the WordPress content files share (wpautop.c the
 * paragraph rules, wpcontent.c block comments and shortcode_unautop,
 * wpscan.c the scanning steps both are written with): the text a step
 * reads and the scans that stand in for PHP's string functions. */
#ifndef BB_WPAUTOP_INT_H
#define BB_WPAUTOP_INT_H

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "wpautop.h"

/* One step's text: what it reads. */
typedef struct text {
	const char *s;
	size_t n;
} text;

/* A cached search for lit: the answers for increasing starts are found in
 * one pass overall (the regular expressions of wpautop.c look ahead from every
 * '<'; without the cache a text of many '<' would take quadratic time). */
typedef struct finder {
	const char *lit;
	size_t from, at; /* the last search started at from and found at (t.n: none) */
	int valid;
} finder;

/* ---- wpscan.c ---- */

/* PCRE's \s without the u flag: space, \t, \n, \v, \f, \r. */
static inline int
bb_wp_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* 1 when lit stands in t at i. Inline, compared byte by byte without
 * taking the length: the scans call it at every '<' with a list of short
 * names, and most names fail on their first or second byte. */
static inline int
bb_wp_at(text t, size_t i, const char *lit)
{
	size_t k;
	if (i > t.n)
		return 0;
	for (k = 0; lit[k]; k++)
		if (i + k >= t.n || t.s[i + k] != lit[k])
			return 0;
	return 1;
}

/* The first occurrence of lit in t at or after from, or t.n. */
size_t bb_wp_find(text t, size_t from, const char *lit);

/* bb_wp_find for f->lit, answered from the cache when the last search
 * covers from. */
size_t bb_wp_next(finder *f, text t, size_t from);

/* Copies t from *i up to the next c (or the end) and moves *i there: the
 * scans below only stop where their pattern can start. */
void bb_wp_copy_to(bb_buf *out, text t, size_t *i, char c);

/* The first offset at or after i that is not PCRE's \s. */
size_t bb_wp_skip_ws(text t, size_t i);

/* The result of a step becomes the next step's text. */
void bb_wp_swap(bb_buf *in, bb_buf *out);

/* The text of a step's buffer ("" when it is empty); valid until b changes. */
text bb_wp_text(const bb_buf *b);

/* str_replace(from, to) */
void bb_wp_str_replace(bb_buf *in, bb_buf *out, const char *from, const char *to);

#endif
