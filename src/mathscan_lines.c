/* mathscan_lines.c: the small scanners math scanning shares (blanks, ASCII case) and the block structure of Markdown it needs: each line's kind (text, blank, code), its block-quote and list content, and where paragraphs and blocks end. */
#include "mathscan_impl.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* 1 for a blank within a line. */
int
bb_mathscan_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* 1 when the n bytes at s start with lit, ASCII case ignored (lit is
 * lower case). */
int
bb_mathscan_casestarts(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; lit[i]; i++) {
		int c;
		if (i >= n)
			return 0;
		c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (c != lit[i])
			return 0;
	}
	return 1;
}

/* Finds lit (case-insensitive) in s[from..to). Returns its offset or S_NONE. */
size_t
bb_mathscan_casefind(const char *s, size_t from, size_t to, const char *lit)
{
	size_t i;

	for (i = from; i < to; i++)
		if ((s[i] | 32) == (lit[0] | 32) && bb_mathscan_casestarts(s + i, to - i, lit))
			return i;
	return S_NONE;
}

/* The end of the element a line opening with s[c..e) starts when its
 * content is code: a raw <pre>, <script>, <style>, <textarea> or comment,
 * or a Liquid or Hugo highlight; NULL otherwise. */
static const char *
S_code_opener(const char *s, size_t c, size_t e)
{
	static const struct { const char *open, *close; } blk[] = {
		{ "<pre", "</pre>" }, { "<script", "</script>" }, { "<style", "</style>" },
		{ "<textarea", "</textarea>" }, { "<!--", "-->" },
	};
	const char *close = NULL;
	size_t b;
	for (b = 0; b < sizeof blk / sizeof blk[0]; b++) {
		size_t ol = strlen(blk[b].open);
		if (bb_mathscan_casestarts(s + c, e - c, blk[b].open)
			&& (b == 4 || c + ol == e || s[c + ol] == '>' || bb_mathscan_space(s[c + ol])))
			return blk[b].close;
	}
	if (e - c > 3 && (memcmp(s + c, "{%", 2) == 0 || memcmp(s + c, "{{<", 3) == 0 || memcmp(s + c, "{{%", 3) == 0)) {
		size_t q = c + 2;
		while (q < e && (s[q] == '<' || s[q] == '%' || s[q] == '-' || s[q] == ' '))
			q++;
		if (bb_mathscan_casestarts(s + q, e - q, "highlight") || bb_mathscan_casestarts(s + q, e - q, "codeblock"))
			close = s[c + 1] == '%' ? "{% end" : "{{< /";
		if (close && s[c + 1] == '{' && s[c + 2] == '%')
			close = "{{% /";
	}
	return close;
}

/* Where a list item's text starts when s[c..e) opens with a list marker
 * (-, *, + or 1. 1) and a space), else 0. */
static size_t
S_list_item(const char *s, size_t c, size_t e)
{
	size_t q = c, d = c;
	if (q < e && (s[q] == '-' || s[q] == '*' || s[q] == '+') && q + 1 < e && bb_mathscan_space(s[q + 1])) {
		q++;
	} else {
		while (d < e && d - q < 9 && s[d] >= '0' && s[d] <= '9')
			d++;
		if (!(d > q && d + 1 < e && (s[d] == '.' || s[d] == ')') && bb_mathscan_space(s[d + 1])))
			return 0;
		q = d + 1;
	}
	while (q < e && bb_mathscan_space(s[q]))
		q++;
	return q;
}

/* Per line, where its paragraph ends and where its block ends (a block
 * holds blank lines). */
static void
S_ends(S_scan *sc)
{
	size_t l;
	sc->para_end = bb_xmalloc((sc->nlines + 1) * sizeof *sc->para_end);
	sc->block_end = bb_xmalloc((sc->nlines + 1) * sizeof *sc->block_end);
	for (l = sc->nlines; l-- > 0; ) {
		int next = l + 1 < sc->nlines ? sc->lines[l + 1].kind : -1;
		sc->para_end[l] = next == L_TEXT ? sc->para_end[l + 1] : sc->lines[l].end;
		sc->block_end[l] = next == L_TEXT || next == L_BLANK ? sc->block_end[l + 1] : sc->lines[l].end;
	}
}

/* Splits the text into lines and classifies them: code (fenced,
 * indented, raw <pre>/<script>/<style>/<textarea>/comment, Liquid or Hugo
 * highlight), blank or text. */
void
bb_mathscan_lines(S_scan *sc)
{
	const char *s = sc->s;
	size_t len = sc->len, i = 0, cap = 0;
	int in_fence = 0, in_list = 0, prev = L_BLANK, prev_indented = 0;
	char fch = 0;
	size_t flen = 0;
	const char *term = NULL;

	while (i <= len) {
		const char *nl = i < len ? memchr(s + i, '\n', len - i) : NULL;
		size_t e = nl ? (size_t)(nl - s) : len, p = i, c, ind = 0, k;
		S_line *ln;
		int quoted = 0, blank;

		if (i == len && i != 0 && s[len - 1] == '\n')
			break;
		if (sc->nlines == cap) {
			cap = cap ? cap * 2 : 256;
			sc->lines = bb_xrealloc(sc->lines, cap * sizeof *sc->lines);
		}
		ln = &sc->lines[sc->nlines++];
		memset(ln, 0, sizeof *ln);
		ln->start = i;
		ln->end = e;
		/* block-quote markers */
		for (;;) {
			size_t q = p;
			while (q < e && s[q] == ' ' && q - p < 3)
				q++;
			if (q < e && s[q] == '>') {
				quoted = 1;
				p = q + 1;
				if (p < e && s[p] == ' ')
					p++;
				continue;
			}
			break;
		}
		for (c = p; c < e && (s[c] == ' ' || s[c] == '\t'); c++)
			ind += s[c] == '\t' ? 4 - ind % 4 : 1;
		blank = c >= e || (c + 1 == e && s[c] == '\r');
		ln->quoted = quoted;
		ln->content = ind <= 3 ? c : p;
		ln->item = ln->content;
		i = e + 1;
		if (in_fence) {
			ln->kind = L_CODE;
			for (k = 0; c + k < e && s[c + k] == fch; k++)
				;
			if (k >= flen) {
				size_t r = c + k;
				while (r < e && bb_mathscan_space(s[r]))
					r++;
				if (r == e)
					in_fence = 0;
			}
			prev = L_CODE;
			continue;
		}
		if (term) {
			ln->kind = L_CODE;
			if (bb_mathscan_casefind(s, ln->start, e, term) != S_NONE)
				term = NULL;
			prev = L_CODE;
			continue;
		}
		if (blank) {
			ln->kind = L_BLANK;
			prev = L_BLANK;
			continue;
		}
		/* a fence opens code */
		if (s[c] == '`' || s[c] == '~') {
			for (k = 0; c + k < e && s[c + k] == s[c]; k++)
				;
			if (k >= 3 && (s[c] == '~' || !memchr(s + c + k, '`', e - c - k))) {
				in_fence = 1;
				fch = s[c];
				flen = k;
				ln->kind = L_CODE;
				prev = L_CODE;
				continue;
			}
		}
		/* indented code: after a blank line or more indented code, outside lists */
		if (ind >= 4 && !in_list && (prev == L_BLANK || (prev == L_CODE && prev_indented))) {
			ln->kind = L_CODE;
			prev = L_CODE;
			prev_indented = 1;
			continue;
		}
		prev_indented = 0;
		/* raw HTML blocks and template tags whose content is code */
		{
			const char *close = S_code_opener(s, c, e);
			if (close) {
				ln->kind = L_CODE;
				prev = L_CODE;
				if (bb_mathscan_casefind(s, c + 1, e, close) == S_NONE)
					term = close;
				continue;
			}
		}
		/* list items: their indented lines are not code */
		{
			size_t q = S_list_item(s, c, e);
			if (q) {
				in_list = 1;
				ln->item = q;
			} else if (ind == 0 && prev == L_BLANK && !quoted) {
				in_list = 0;
			}
			ln->boundary = prev == L_BLANK || q || sc->nlines == 1;
		}
		ln->kind = L_TEXT;
		prev = L_TEXT;
	}
	S_ends(sc);
}
