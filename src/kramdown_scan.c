/* kramdown_scan.c: small scanners of kramdown's text, shared by its files:
 * list markers, fences, a text cut into lines (the smallest, for blank
 * lines, indentation and trailing blanks, are inline in kramdown_int.h),
 * and the messages every file sends through the diag callback. */
#include "kramdown_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Sends a formatted message to the diag callback, if any. */
void
bb_kd_diag(kd_state *st, int sev, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	char *m;
	if (!st->diag)
		return;
	va_start(ap, fmt);
	m = bb_xvasprintf(fmt, ap);
	va_end(ap);
	st->diag(st->ud, sev, st->line0 + line, col, m);
	free(m);
}

/* The first nd[0..nn) in h[0..hn), or NULL (memmem is not C99). */
const char *
bb_kd_memmem(const char *h, size_t hn, const char *nd, size_t nn)
{
	const char *p = h;
	if (nn == 0)
		return h;
	if (nn > hn)
		return NULL;
	/* the places of the first byte, found by memchr */
	while ((p = memchr(p, nd[0], hn - nn + 1 - (size_t)(p - h)))) {
		if (memcmp(p, nd, nn) == 0)
			return p;
		if ((size_t)(++p - h) > hn - nn)
			break;
	}
	return NULL;
}

/* strncasecmp is POSIX, not C99: ASCII only. */
int
bb_kd_strncasecmp(const char *a, const char *b, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		int x = tolower((unsigned char)a[i]), y = tolower((unsigned char)b[i]);
		if (x != y || !x)
			return x - y;
	}
	return 0;
}

/* Returns the length of a list marker at s (after up to 3 spaces) followed by
 * a space or tab, or 0. */
size_t
bb_kd_list_marker(const char *s, size_t n)
{
	size_t i = 0, j;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i < n && (s[i] == '*' || s[i] == '-' || s[i] == '+')) {
		if (i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '\t'))
			return i + 1;
		return 0;
	}
	for (j = i; j < n && j - i < 9 && isdigit((unsigned char)s[j]); j++)
		;
	if (j > i && j < n && (s[j] == '.' || s[j] == ')') && j + 1 < n && (s[j + 1] == ' ' || s[j + 1] == '\t'))
		return j + 1;
	return 0;
}

/* Fence opening at s: returns its length (3 or more) and its char in *c, or 0. */
size_t
bb_kd_fence(const char *s, size_t n, char *c)
{
	size_t i = 0, k;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i >= n || (s[i] != '`' && s[i] != '~'))
		return 0;
	for (k = i; k < n && s[k] == s[i]; k++)
		;
	if (k - i < 3)
		return 0;
	if (s[i] == '`' && memchr(s + k, '`', n - k))
		return 0;
	*c = s[i];
	return k - i;
}

/* Splits md into lines (without their newlines). */
kd_line *
bb_kd_lines(const char *md, size_t len, size_t *count)
{
	size_t cap = 64, nl = 0, p = 0;
	kd_line *v = bb_xmalloc(cap * sizeof *v);
	while (p < len) {
		const char *s = md + p, *e = memchr(s, '\n', len - p);
		size_t n = e ? (size_t)(e - s) : len - p;
		if (nl == cap) {
			cap *= 2;
			v = bb_xrealloc(v, cap * sizeof *v);
		}
		v[nl].s = s;
		v[nl].n = n;
		nl++;
		p += n + (e ? 1 : 0);
	}
	*count = nl;
	return v;
}

/* The slot of len in t (its own or the free one where it would go). */
static size_t
S_tick_slot(const kd_ticks *t, size_t len)
{
	size_t k = (len * 0x9E3779B97F4A7C15u) & (t->cap - 1);
	while (t->len[k] && t->len[k] != len)
		k = (k + 1) & (t->cap - 1);
	return k;
}

void
bb_kd_ticks_init(kd_ticks *t, const char *s, size_t n)
{
	size_t i = 0, runs = 0, cap = 16, q = 1;
	const char *p;
	while (i < n) {
		if (s[i] != '`') {
			/* memchr: a byte at a time cost a tenth of the pass */
			p = memchr(s + i, '`', n - i);
			i = p ? (size_t)(p - s) : n;
			continue;
		}
		runs++;
		while (i < n && s[i] == '`')
			i++;
	}
	/* distinct lengths: at most the runs, and 1 + 2 + ... + d <= n makes
	 * d < sqrt(2n) + 1; the table stays at most half full */
	while (q * q < 2 * n)
		q *= 2;
	if (runs > q + 1)
		runs = q + 1;
	while (cap < 2 * runs)
		cap *= 2;
	t->cap = 0;
	t->len = t->last = NULL;
	if (!runs) /* most lines: nothing to index, nothing allocated */
		return;
	t->cap = cap;
	t->len = bb_xcalloc(cap, sizeof *t->len);
	t->last = bb_xcalloc(cap, sizeof *t->last);
	for (i = 0; i < n;) {
		size_t b = i, k;
		if (s[i] != '`') {
			i++;
			continue;
		}
		while (i < n && s[i] == '`')
			i++;
		k = S_tick_slot(t, i - b);
		t->len[k] = i - b;
		t->last[k] = b;
	}
}

int
bb_kd_ticks_after(const kd_ticks *t, size_t len, size_t i)
{
	size_t k;
	if (!t->cap)
		return 0;
	k = S_tick_slot(t, len);
	return t->len[k] == len && t->last[k] > i;
}

size_t
bb_kd_tick_close(const kd_ticks *t, const char *s, size_t n, size_t i, size_t k)
{
	size_t j, m;
	if (!bb_kd_ticks_after(t, k - i, i))
		return n;
	for (j = k; j < n; j++) {
		if (s[j] != '`')
			continue;
		for (m = j; m < n && s[m] == '`'; m++)
			;
		if (m - j == k - i)
			return j;
		j = m - 1;
	}
	return n;
}

void
bb_kd_ticks_free(kd_ticks *t)
{
	free(t->len);
	free(t->last);
	t->len = t->last = NULL;
}
