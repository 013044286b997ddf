/* kramdown_typo.c: kramdown's typographic symbols (-- --- ... << >>) and
 * smart quotes (its SQ_RULES, in its order) on a run of text. */
#include "kramdown_int.h"

#include <ctype.h>
#include <string.h>

/* 1 for ASCII punctuation (the PUNCT of kramdown's SQ_RULES). */
static int
S_sq_punct(int c)
{
	return c && strchr("!\"#$%'()*+,-./:;<=>?@[\\]^_`{|}~", c) != NULL;
}

/* SQ_CLOSE: [^\ \\\t\r\n\[{(-] */
static int
S_sq_close(int c)
{
	return c && !strchr(" \\\t\r\n[{(-", c);
}

#define S_LSQUO "\xe2\x80\x98"
#define S_RSQUO "\xe2\x80\x99"
#define S_LDQUO "\xe2\x80\x9c"
#define S_RDQUO "\xe2\x80\x9d"

/* The quote q as an opening or closing one. */
static const char *
S_quote(char q, int open)
{
	if (q == '"')
		return open ? S_LDQUO : S_RDQUO;
	return open ? S_LSQUO : S_RSQUO;
}

/* \b and \B of Ruby's regexps on UTF-8 text: letters of any script count. */
static int
S_uword(int c)
{
	return kd_word(c) || c >= 0x80;
}

/* Tries kramdown's SQ_RULES, in its order, at s[m] (s[0..n) is the text
 * with what follows it); appends what they make to out and returns the
 * position after the match. A match always exists (the last rules take any
 * quote at m or m+1). */
static size_t
S_smart_quote(const char *s, size_t n, size_t m, bb_buf *out)
{
#define C(i) ((i) < n ? (unsigned char)s[i] : 0)
	int c0 = C(m), c1 = C(m + 1), c2 = C(m + 2), c3 = C(m + 3);
	int q0 = c0 == '"' || c0 == '\'', q1 = c1 == '"' || c1 == '\'';
	size_t o;
	/* 1: ("|')(?=[_*]{1,2}\S) */
	if (q0 && (c1 == '_' || c1 == '*') && c2 && !kd_space(c2)) {
		bb_buf_puts(out, S_quote((char)c0, 1));
		return m + 1;
	}
	/* 2: ("|')(?=PUNCT(?!\.\.)\B) */
	if (q0 && S_sq_punct(c1) && !(c2 == '.' && c3 == '.') && !S_uword(c2)) {
		bb_buf_puts(out, S_quote((char)c0, 0));
		return m + 1;
	}
	/* 3, 4, 5: (\s?)"'(?=\w), (\s?)'"(?=\w), (\s?)'(?=\d\ds) */
	o = kd_space(c0) ? m + 1 : m;
	if ((C(o) == '"' && C(o + 1) == '\'' && kd_word(C(o + 2))) ||
	    (C(o) == '\'' && C(o + 1) == '"' && kd_word(C(o + 2)))) {
		bb_buf_put(out, s + m, o - m);
		bb_buf_puts(out, C(o) == '"' ? S_LDQUO S_LSQUO : S_LSQUO S_LDQUO);
		return o + 2;
	}
	if (C(o) == '\'' && isdigit(C(o + 1)) && isdigit(C(o + 2)) && C(o + 3) == 's') {
		bb_buf_put(out, s + m, o - m);
		bb_buf_puts(out, S_RSQUO);
		return o + 1;
	}
	/* 6: (\s)('|")(?=\w) */
	if (kd_space(c0) && q1 && kd_word(c2)) {
		bb_buf_putc(out, (char)c0);
		bb_buf_puts(out, S_quote((char)c1, 1));
		return m + 2;
	}
	/* 7: (SQ_CLOSE)('|") */
	if (S_sq_close(c0) && q1) {
		bb_buf_putc(out, (char)c0);
		bb_buf_puts(out, S_quote((char)c1, 0));
		return m + 2;
	}
	/* 8: ("|')(?=\s|s\b|$) */
	if (q0 && (c1 == 0 || kd_space(c1) || (c1 == 's' && !S_uword(c2)))) {
		bb_buf_puts(out, S_quote((char)c0, 0));
		return m + 1;
	}
	/* 9, 10: (.?)' and (.?)" */
	if (c1 == '\'' || (c1 == '"' && c0 != '\'')) {
		bb_buf_putc(out, (char)c0);
		bb_buf_puts(out, S_quote((char)c1, 1));
		return m + 2;
	}
	bb_buf_puts(out, S_quote((char)c0, 1));
	return m + 1;
#undef C
}

/* Converts s[a..b) with kramdown's typographic symbols and smart quotes,
 * appending to out; s[b..n) is what follows the text (the markup of the next
 * element), seen by the rules' look-ahead but never changed. */
/* The bytes some rule of bb_kd_typo needs at i or i + 1: a rule matches
 * at i only when s[i] or s[i + 1] is one of them. */
static const unsigned char S_typo_stop[256] = {
	['"'] = 1, ['\''] = 1, ['-'] = 1, ['.'] = 1, ['<'] = 1, ['>'] = 1,
};

void
bb_kd_typo(const bb_kramdown_opts *o, const char *s, size_t n, size_t a, size_t b, bb_buf *out)
{
	size_t i = a, p = a;
	while (i < b) {
		int c, nx;
		/* past the bytes no rule can start at, in one loop: to the byte
		 * before the next stop (a rule may start one byte early) */
		{
			size_t q = i;
			while (q < b && !S_typo_stop[(unsigned char)s[q]])
				q++;
			if (q > i + 1)
				i = q - 1;
		}
		c = (unsigned char)s[i];
		nx = i + 1 < b ? (unsigned char)s[i + 1] : 0;
		if (o->smart_quotes && (c == '"' || c == '\'' || (c != '\\' && (nx == '"' || nx == '\'')))) {
			size_t e;
			bb_buf_put(out, s + p, i - p);
			e = S_smart_quote(s, n, i, out);
			p = i = e;
			continue;
		}
		if (o->typographic) {
			const char *r = NULL;
			size_t len = 0;
			if (c == '-' && nx == '-') {
				if (i + 2 < b && s[i + 2] == '-') {
					r = "\xe2\x80\x94";
					len = 3;
				} else {
					r = "\xe2\x80\x93";
					len = 2;
				}
			} else if (c == '.' && nx == '.' && i + 2 < b && s[i + 2] == '.') {
				r = "\xe2\x80\xa6";
				len = 3;
			} else if (c == '<' && nx == '<') {
				if (i + 2 < b && s[i + 2] == ' ') {
					r = "\xc2\xab\xc2\xa0";
					len = 3;
				} else {
					r = "\xc2\xab";
					len = 2;
				}
			} else if (c == ' ' && nx == '>' && i + 2 < b && s[i + 2] == '>') {
				r = "\xc2\xa0\xc2\xbb";
				len = 3;
			} else if (c == '>' && nx == '>') {
				r = "\xc2\xbb";
				len = 2;
			}
			if (r) {
				bb_buf_put(out, s + p, i - p);
				bb_buf_puts(out, r);
				p = i = i + len;
				continue;
			}
		}
		i++;
	}
	bb_buf_put(out, s + p, b - p);
}
