/* cjk_ruby.c: {base|reading} ruby and ^53^ tate-chu-yoko in a text node. */
#include "cmarkmem.h"
#include "cjk_int.h"
#include "cjksent.h"


/* Number of characters in s (marks count with the character before). */
static size_t
S_count_chars(const unsigned char *s, size_t n)
{
	size_t i = 0, k, count = 0;

	while (i < n) {
		unsigned cp = bb_cjk_cp_at(s + i, n - i, &k);
		if (!bb_cjk_mark(cp) || count == 0)
			count++;
		i += k;
	}
	return count;
}

/* {base|reading} starting at lit[i] == '{'. On a match, writes the HTML
 * to st->buf2, sets *end after the '}' and returns 1. */
static int
S_ruby(cjk_state *st, const unsigned char *lit, size_t len, size_t i, size_t *end)
{
	size_t close, j, k, bars = 0, bar1 = 0, nb, ri, start;
	int cjk = 0, empty = 0;

	for (close = i + 1; close < len && lit[close] != '}' && lit[close] != '{'; close++)
		if (lit[close] == '|') {
			if (bars++ == 0)
				bar1 = close;
		}
	if (close >= len || lit[close] != '}' || bars == 0 || bar1 == i + 1)
		return 0;
	for (j = i + 1; j < close; j += k)
		if (bb_cjk_wide(bb_cjk_cp_at(lit + j, close - j, &k)))
			cjk = 1;
	if (!cjk)
		return 0;
	for (j = bar1; j < close; j++)
		if (lit[j] == '|' && (j + 1 == close || lit[j + 1] == '|'))
			empty = 1;
	nb = S_count_chars(lit + i + 1, bar1 - i - 1);

	bb_buf_reset(&st->buf2);
	bb_buf_puts(&st->buf2, "<ruby>");
	if (bars == nb && bars > 1 && !empty) {
		/* one reading per base character */
		j = i + 1;
		start = bar1 + 1;
		for (ri = 0; ri < bars; ri++) {
			size_t from = j, stop = start;
			bb_cjk_cp_at(lit + j, bar1 - j, &k);
			j += k;
			while (j < bar1 && bb_cjk_mark(bb_cjk_cp_at(lit + j, bar1 - j, &k)))
				j += k;
			while (stop < close && lit[stop] != '|')
				stop++;
			bb_cjk_put_xml(&st->buf2, (const char *)lit + from, j - from);
			bb_buf_puts(&st->buf2, "<rp>(</rp><rt>");
			bb_cjk_put_xml(&st->buf2, (const char *)lit + start, stop - start);
			bb_buf_puts(&st->buf2, "</rt><rp>)</rp>");
			start = stop + 1;
		}
	} else {
		size_t before;
		bb_cjk_put_xml(&st->buf2, (const char *)lit + i + 1, bar1 - i - 1);
		bb_buf_puts(&st->buf2, "<rp>(</rp><rt>");
		before = st->buf2.len;
		for (j = bar1 + 1, start = j; j <= close; j++)
			if (j == close || lit[j] == '|') {
				bb_cjk_put_xml(&st->buf2, (const char *)lit + start, j - start);
				start = j + 1;
			}
		if (st->buf2.len == before)
			return 0;
		bb_buf_puts(&st->buf2, "</rt><rp>)</rp>");
	}
	bb_buf_puts(&st->buf2, "</ruby>");
	*end = close + 1;
	return 1;
}

static int
S_tcy_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       c == '!' || c == '?';
}

/* ^53^ starting at lit[i] == '^'; sets *end after the closing caret. The
 * CJK test for the outside is left to the caller. */
static int
S_tcy(const unsigned char *lit, size_t len, size_t i, size_t *end)
{
	size_t j = i + 1;

	while (j < len && j - i - 1 < 5 && S_tcy_char(lit[j]))
		j++;
	if (j - i - 1 < 1 || j - i - 1 > 4 || j >= len || lit[j] != '^')
		return 0;
	if ((i > 0 && lit[i - 1] == '^') || (j + 1 < len && lit[j + 1] == '^'))
		return 0;
	*end = j + 1;
	return 1;
}

static void
S_insert_piece(cmark_node *before, cmark_node_type t, const unsigned char *s, size_t n)
{
	cmark_node *p;
	char *lit;

	if (n == 0)
		return;
	p = bb_cmark_node_new(t);
	lit = bb_xstrndup((const char *)s, n);
	cmark_node_set_literal(p, lit);
	free(lit);
	cmark_node_insert_before(before, p);
}

void
bb_cjk_ruby_tcy_text(cjk_state *st, cmark_node *n)
{
	size_t len, i = 0, start = 0, end, k;
	const unsigned char *lit = bb_cjk_literal(n, &len);
	char *copy;
	int emitted = 0;

	if (!memchr(lit, '{', len) && !memchr(lit, '^', len))
		return;
	/* The literal is replaced as pieces are cut, so work on a copy. */
	copy = bb_xstrndup((const char *)lit, len);
	lit = (const unsigned char *)copy;
	while (i < len) {
		if (lit[i] == '{' && (st->flags & BB_CJK_RUBY) && S_ruby(st, lit, len, i, &end)) {
			S_insert_piece(n, CMARK_NODE_TEXT, lit + start, i - start);
			S_insert_piece(n, CMARK_NODE_HTML_INLINE, (const unsigned char *)st->buf2.data,
			               st->buf2.len);
			st->changes++;
			i = start = end;
			emitted = 1;
			continue;
		}
		if (lit[i] == '^' && (st->flags & BB_CJK_TCY) && S_tcy(lit, len, i, &end)) {
			unsigned prev, next;
			if (i > start)
				prev = bb_cjk_norm(bb_cjk_cp_before(lit, start, i));
			else
				prev = emitted ? 0x4E00 : bb_cjk_edge(cmark_node_previous(n), 1);
			next = end < len ? bb_cjk_norm(bb_cjk_cp_at(lit + end, len - end, &k))
			                 : bb_cjk_edge(cmark_node_next(n), 0);
			if (bb_cjk_wide(prev) || bb_cjk_wide(next)) {
				S_insert_piece(n, CMARK_NODE_TEXT, lit + start, i - start);
				bb_buf_reset(&st->buf2);
				bb_buf_puts(&st->buf2, "<span class=\"tcy\">");
				bb_buf_put(&st->buf2, lit + i + 1, end - i - 2);
				bb_buf_puts(&st->buf2, "</span>");
				S_insert_piece(n, CMARK_NODE_HTML_INLINE,
				               (const unsigned char *)st->buf2.data, st->buf2.len);
				st->changes++;
				i = start = end;
				emitted = 1;
				continue;
			}
		}
		i++;
	}
	if (emitted) {
		if (start < len) {
			char *rest = bb_xstrndup(copy + start, len - start);
			cmark_node_set_literal(n, rest);
			free(rest);
		} else {
			cmark_node_free(n);
		}
	}
	free(copy);
}
