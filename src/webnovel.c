/* webnovel.c: ruby (｜親文字《るび》, 漢字《かんじ》) and emphasis dots (《《傍点》》) as Japanese web-novel sites write them. */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "cmarkmem.h"
#include "util.h"
#include "webnovel.h"
#include "cjksent.h"

#define S_OPEN 0x300Au          /* 《 */
#define S_CLOSE 0x300Bu         /* 》 */

static int
S_is(const char *s, size_t n, size_t i, unsigned want)
{
	size_t k;
	return i < n && bb_utf8_at(s, n, i, &k) == want;
}

/* Kanji, and the marks Aozora Bunko counts with them for a ruby's base. */
static int
S_kanji(unsigned cp)
{
	return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF) ||
	       cp == 0x3005 || cp == 0x3006 || cp == 0x3007 || cp == 0x30F5 || cp == 0x30F6;
}

/* Hiragana, katakana (with ー and ・), their small and half-width forms. */
static int
S_kana(unsigned cp)
{
	return (cp >= 0x3041 && cp <= 0x309F) || (cp >= 0x30A0 && cp <= 0x30FF) ||
	       (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0xFF66 && cp <= 0xFF9F);
}

/* The text from s[i] up to the next stop code point, 1 to max characters
 * holding none of 《》|｜ (any character when kana is 0, kana only when 1):
 * sets *e to where the stop stands and returns 1; else 0. */
static int
S_span(const char *s, size_t n, size_t i, unsigned stop, size_t max, int kana, size_t *e)
{
	size_t count = 0, k;
	while (i < n) {
		unsigned cp = bb_utf8_at(s, n, i, &k);
		if (cp == stop)
			break;
		if (cp == S_OPEN || cp == S_CLOSE || cp == '|' || cp == 0xFF5C || cp == '\n' ||
		    (kana && !S_kana(cp)) || ++count > max)
			return 0;
		i += k;
	}
	if (i >= n || count == 0)
		return 0;
	*e = i;
	return 1;
}

/* <ruby>base<rp>(</rp><rt>reading</rt><rp>)</rp></ruby>, as cjk.c writes it. */
static void
S_ruby(bb_buf *h, const char *base, size_t bn, const char *rd, size_t rn)
{
	bb_buf_reset(h);
	bb_buf_puts(h, "<ruby>");
	bb_cjk_put_xml(h, base, bn);
	bb_buf_puts(h, "<rp>(</rp><rt>");
	bb_cjk_put_xml(h, rd, rn);
	bb_buf_puts(h, "</rt><rp>)</rp></ruby>");
}

static void
S_insert(cmark_node *before, cmark_node_type t, const char *s, size_t n)
{
	cmark_node *p;
	char *lit;
	if (n == 0)
		return;
	p = bb_cmark_node_new(t);
	lit = bb_xstrndup(s, n);
	cmark_node_set_literal(p, lit);
	free(lit);
	cmark_node_insert_before(before, p);
}

/* The run of kanji that ends at s[i], not reaching before from: its start. */
static size_t
S_kanji_run(const char *s, size_t from, size_t i)
{
	while (i > from) {
		size_t b = i - 1, k;
		while (b > from && ((unsigned char)s[b] & 0xC0) == 0x80)
			b--;
		if (!S_kanji(bb_utf8_at(s, i, b, &k)))
			break;
		i = b;
	}
	return i;
}

static size_t
S_chars(const char *s, size_t n)
{
	size_t i, c = 0;
	for (i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

unsigned
bb_webnovel_text(cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	size_t len, i = 0, start = 0, k, b, e, r;
	char *t;
	bb_buf h = BB_BUF_INIT;
	unsigned made = 0;
	int changed = 0;

	if (!lit || !strstr(lit, "\xE3\x80\x8A"))       /* no 《 */
		return 0;
	t = bb_xstrdup(lit);
	len = strlen(t);
	while (i < len) {
		unsigned cp = bb_utf8_at(t, len, i, &k);
		if (cp == S_OPEN && S_is(t, len, i + k, S_OPEN)
		    && S_span(t, len, i + 2 * k, S_CLOSE, 2 * BB_WEBNOVEL_MAX_READING, 0, &e)
		    && S_is(t, len, e + k, S_CLOSE)) {
			/* 《《傍点》》 */
			S_insert(n, CMARK_NODE_TEXT, t + start, i - start);
			bb_buf_reset(&h);
			bb_buf_puts(&h, "<em class=\"bouten\">");
			bb_cjk_put_xml(&h, t + i + 2 * k, e - i - 2 * k);
			bb_buf_puts(&h, "</em>");
			S_insert(n, CMARK_NODE_HTML_INLINE, h.data, h.len);
			made++;
			changed = 1;
			i = start = e + 2 * k;
			continue;
		}
		if (cp == '|' || cp == 0xFF5C) {
			size_t a = i + k, k2;
			if (S_is(t, len, a, S_OPEN)) {
				/* ｜《: a literal 《 */
				S_insert(n, CMARK_NODE_TEXT, t + start, i - start);
				changed = 1;
				start = a;
				bb_utf8_at(t, len, a, &k2);
				i = a + k2;
				continue;
			}
			if (S_span(t, len, a, S_OPEN, BB_WEBNOVEL_MAX_BASE, 0, &b)
			    && S_span(t, len, b + 3, S_CLOSE, BB_WEBNOVEL_MAX_READING, 0, &e)) {
				S_insert(n, CMARK_NODE_TEXT, t + start, i - start);
				S_ruby(&h, t + a, b - a, t + b + 3, e - b - 3);
				S_insert(n, CMARK_NODE_HTML_INLINE, h.data, h.len);
				made++;
				changed = 1;
				i = start = e + 3;
				continue;
			}
		}
		if (cp == S_OPEN && (b = S_kanji_run(t, start, i)) < i && S_chars(t + b, i - b) <= BB_WEBNOVEL_MAX_BASE
		    && S_span(t, len, i + k, S_CLOSE, BB_WEBNOVEL_MAX_READING, 1, &e)) {
			/* 漢字《かんじ》 */
			S_insert(n, CMARK_NODE_TEXT, t + start, b - start);
			S_ruby(&h, t + b, i - b, t + i + k, e - i - k);
			S_insert(n, CMARK_NODE_HTML_INLINE, h.data, h.len);
			made++;
			changed = 1;
			i = start = e + 3;
			continue;
		}
		i += k;
	}
	if (changed) {
		r = len - start;
		if (r > 0) {
			memmove(t, t + start, r);
			t[r] = '\0';
			cmark_node_set_literal(n, t);
		} else {
			cmark_node_free(n);
		}
	}
	free(t);
	bb_buf_free(&h);
	return made;
}
