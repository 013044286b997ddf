/* wpscan.c: the scans the WordPress ports are written with: literal search with a cache for look-aheads, str_replace, and the swap that makes a step's output the next step's text (PCRE's \s and the literal test are inline in wpautop_int.h). */
#include "wpautop_int.h"

/* The first occurrence of lit in t at or after from, or t.n. */
size_t
bb_wp_find(text t, size_t from, const char *lit)
{
	size_t k = strlen(lit), i = from;
	if (k == 0)
		return from;
	if (k == 1) {
		const char *p = from < t.n ? memchr(t.s + from, lit[0], t.n - from) : NULL;
		return p ? (size_t)(p - t.s) : t.n;
	}
	while (i + k <= t.n) {
		const char *p = memchr(t.s + i, lit[0], t.n - k + 1 - i);
		if (!p)
			break;
		i = (size_t)(p - t.s);
		if (memcmp(t.s + i, lit, k) == 0)
			return i;
		i++;
	}
	return t.n;
}
size_t
bb_wp_next(finder *f, text t, size_t from)
{
	if (f->valid && from >= f->from && (from <= f->at || f->at == t.n))
		return f->at >= from ? f->at : t.n;
	f->from = from;
	f->at = bb_wp_find(t, from, f->lit);
	f->valid = 1;
	return f->at;
}
/* Copies t from *i up to the next c (or the end) and moves *i there: the
 * scans below only stop where their pattern can start. */
void
bb_wp_copy_to(bb_buf *out, text t, size_t *i, char c)
{
	const char *p = *i < t.n ? memchr(t.s + *i, c, t.n - *i) : NULL;
	size_t e = p ? (size_t)(p - t.s) : t.n, n = e - *i;
	/* bb_buf_put without its calls when the room is there: a scan
	 * copies a piece at every '<' */
	if (out->len + n + 1 > out->cap)
		bb_buf_grow(out, n);
	memcpy(out->data + out->len, t.s + *i, n);
	out->len += n;
	out->data[out->len] = '\0';
	*i = e;
}

size_t
bb_wp_skip_ws(text t, size_t i)
{
	while (i < t.n && bb_wp_ws(t.s[i]))
		i++;
	return i;
}

/* The result of a step becomes the next step's text. */
void
bb_wp_swap(bb_buf *in, bb_buf *out)
{
	bb_buf tmp = *in;
	*in = *out;
	*out = tmp;
	bb_buf_reset(out);
}

text
bb_wp_text(const bb_buf *b)
{
	text t;
	t.s = b->data ? b->data : "";
	t.n = b->len;
	return t;
}

/* str_replace(from, to) */
void
bb_wp_str_replace(bb_buf *in, bb_buf *out, const char *from, const char *to)
{
	text t = bb_wp_text(in);
	size_t i = 0, k = strlen(from), at = bb_wp_find(t, 0, from);
	if (at == t.n)
		return; /* nothing to replace: the text stays */
	while (i < t.n) {
		if (i)
			at = bb_wp_find(t, i, from);
		bb_buf_put(out, t.s + i, at - i);
		if (at == t.n)
			break;
		bb_buf_puts(out, to);
		i = at + k;
	}
	bb_wp_swap(in, out);
}
