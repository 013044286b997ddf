/* kramdown_span.c: kramdown's spans on one line: span IALs and extensions,
 * GFM strikethrough, link URLs holding spaces, a lone backtick, guillemets;
 * code spans and $$math$$ copied as they are. */
#include "kramdown_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Copies s[0..n) as raw HTML into inline Markdown: tags as they are, the
 * text between with its punctuation escaped so cmark reads no Markdown. */
static void
S_raw_inline(const char *s, size_t n, bb_buf *out)
{
	size_t i;
	int intag = 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!intag && c == '<')
			intag = 1;
		else if (intag && c == '>') {
			intag = 0;
			bb_buf_putc(out, c);
			continue;
		}
		if (!intag && c != '&' && ispunct((unsigned char)c))
			bb_buf_putc(out, '\\');
		bb_buf_putc(out, c);
	}
}

/* The span extension {::name ...} at s[i], its tag ending at s[j] == '}':
 * nomarkdown copied raw, comment dropped, an unknown one's text kept with a
 * warning. Returns where the text goes on. */
static size_t
S_span_ext(kd_state *st, const char *s, size_t n, size_t i, size_t j, size_t *nostop, bb_buf *out, unsigned line)
{
	size_t nb = i + 3, ne = nb, k;
	int selfclose = s[j - 1] == '/';
	while (ne < j && kd_word((unsigned char)s[ne]))
		ne++;
	if (selfclose)
		return j + 1;
	/* find {:/name} or {:/} */
	k = n;
	if (j < *nostop)
		for (k = j + 1; k + 2 < n; k++)
			if (s[k] == '{' && s[k + 1] == ':' && s[k + 2] == '/')
				break;
	if (k + 2 >= n) {
		*nostop = j;
		bb_kd_diag(st, BB_KRAMDOWN_WARNING, line, (unsigned)i + 1,
			   "kramdown: no stop tag for extension '%.*s' on this line: tag dropped",
			   (int)(ne - nb), s + nb);
		return j + 1;
	}
	{
		size_t e = k + 3;
		while (e < n && s[e] != '}')
			e++;
		if (ne - nb == 10 && strncmp(s + nb, "nomarkdown", 10) == 0)
			S_raw_inline(s + j + 1, k - j - 1, out);
		else if (!(ne - nb == 7 && strncmp(s + nb, "comment", 7) == 0)) {
			bb_kd_diag(st, BB_KRAMDOWN_WARNING, line, (unsigned)i + 1,
				   "kramdown: unknown extension '%.*s': its text kept",
				   (int)(ne - nb), s + nb);
			bb_kd_inline(st, s + j + 1, k - j - 1, out, line);
		}
		return e < n ? e + 1 : n;
	}
}

/* The span IAL {: ...} at s[i] (its end s[j] == '}'), lm the line's list
 * marker: a marker for the element out ends with, or for the list item
 * (kept in item for the line's end). Returns where the text goes on. */
static size_t
S_span_ial(kd_state *st, const char *s, size_t n, size_t i, size_t j, size_t lm, bb_buf *item, bb_buf *out,
	   unsigned line)
{
	kd_attrs a;
	const char *kind = "bb-ial";
	size_t k = out->len;
	memset(&a, 0, sizeof a);
	bb_kd_parse_attrs(st, s + i + 2, j - i - 2, &a, line, (unsigned)i + 1, 0);
	/* before the span IAL: what ends an element, or a list item's start */
	while (k > 0 && out->data[k - 1] == ' ')
		k--;
	if (lm && i <= lm + 4 && kd_blank(s + lm, i - lm))
		kind = "bb-ial-item";
	if (kind[6] == '-')
		bb_kd_put_marker(item, kind, &a);
	else if (k == out->len && k > 0 && strchr("*_)]`>~", out->data[k - 1]))
		bb_kd_put_marker(out, kind, &a);
	else
		bb_kd_diag(st, BB_KRAMDOWN_WARNING, line, (unsigned)i + 1,
			   "kramdown: span IAL after text (applies to nothing): dropped");
	bb_kd_attrs_free(&a);
	i = j + 1;
	if (kind[6] == '-')
		while (i < n && s[i] == ' ')
			i++;
	return i;
}

/* kramdown takes spaces in a link's URL; CommonMark wants <...>: the
 * destination after "](" at s[i] written with <...> when it holds a space.
 * Returns where the text goes on, or 0 when there was nothing to do. */
static size_t
S_spaced_link(const char *s, size_t n, size_t i, bb_buf *out)
{
	size_t j, ue, te;
	int depth = 0;
	for (j = i + 2; j < n && j < i + KD_MAX_URL; j++) {
		if (s[j] == '\\' && j + 1 < n)
			j++;
		else if (s[j] == '(')
			depth++;
		else if (s[j] == ')' && depth-- == 0)
			break;
	}
	if (j < n && j < i + KD_MAX_URL) {
		ue = te = j;
		while (ue > i + 2 && s[ue - 1] == ' ')
			ue--;
		/* an optional title at the end */
		if (ue > i + 2 && (s[ue - 1] == '"' || s[ue - 1] == '\'')) {
			size_t q = ue - 1;
			while (q > i + 2 && s[q - 1] != s[ue - 1])
				q--;
			if (q > i + 3 && s[q - 1] == s[ue - 1] && s[q - 2] == ' ') {
				te = ue;
				ue = q - 1;
				while (ue > i + 2 && s[ue - 1] == ' ')
					ue--;
			}
		}
		if (bb_kd_memmem(s + i + 2, ue - i - 2, " ", 1) && !memchr(s + i + 2, '<', ue - i - 2) &&
		    !memchr(s + i + 2, '>', ue - i - 2) && !memchr(s + i + 2, '\n', ue - i - 2)) {
			bb_buf_puts(out, "](<");
			bb_buf_put(out, s + i + 2, ue - i - 2);
			bb_buf_putc(out, '>');
			bb_buf_put(out, s + ue, j - ue);
			bb_buf_putc(out, ')');
			(void)te;
			return j + 1;
		}
	}
	return 0;
}

/* kramdown-parser-gfm's strikethrough at s[i] ("~~"): its regular
 * expression ~~(?!\s|~).*?[^\s~]~~, with no flanking rule (cmark-gfm's
 * would refuse "~~text。~~す" in CJK text). Writes <del> and </del> around
 * the text, the text itself through bb_kd_inline; returns the index after the
 * closing ~~, or 0 when there is none on the line (or a code span or a
 * math span would cross it: left to cmark). */
static size_t
S_strike(kd_state *st, const char *s, size_t n, size_t i, bb_buf *out, unsigned line)
{
	size_t j;
	if (s[i + 2] == ' ' || s[i + 2] == '\t' || s[i + 2] == '~')
		return 0;
	for (j = i + 3; j + 1 < n; j++) {
		if (s[j] == '`' || s[j] == '$')
			return 0;
		if (s[j] == '~' && s[j + 1] == '~' && s[j - 1] != ' ' && s[j - 1] != '\t' && s[j - 1] != '~')
			break;
	}
	if (j + 1 >= n)
		return 0;
	bb_buf_puts(out, "<del>");
	bb_kd_inline(st, s + i + 2, j - i - 2, out, line);
	bb_buf_puts(out, "</del>");
	return j + 2;
}

/* The bytes bb_kd_inline's cases start at. */
static const unsigned char S_inline_stop[256] = {
	['\\'] = 1, ['`'] = 1, ['~'] = 1, ['$'] = 1, ['{'] = 1, [']'] = 1, ['<'] = 1,
};

/* Copies line s[0..n) to out, turning span IALs into markers and span
 * extensions into what they mean; code spans and $$math$$ are copied as
 * they are. */
void
bb_kd_inline(kd_state *st, const char *s, size_t n, bb_buf *out, unsigned line)
{
	size_t i = 0, lm = bb_kd_list_marker(s, n);
	bb_buf item = BB_BUF_INIT;   /* a list item's IAL, put at the line's end */
	int typo = st->o->typographic;
	/* where a search already failed: no later one can succeed (linear time) */
	size_t nobrace = n, nostop = n;
	kd_ticks ticks;
	bb_kd_ticks_init(&ticks, s, n);
	while (i < n) {
		char c = s[i];
		size_t r = i;
		/* text that no case below takes, copied in one piece */
		while (r < n && !S_inline_stop[(unsigned char)s[r]])
			r++;
		if (r > i) {
			bb_buf_put(out, s + i, r - i);
			i = r;
			continue;
		}
		if (c == '\\' && i + 1 < n) {
			bb_buf_put(out, s + i, 2);
			i += 2;
			continue;
		}
		if (c == '`' && i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '\t') &&
		    (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
			/* kramdown: a lone backtick between blanks (or at the
			 * line's start) is text, never a code span's start */
			bb_buf_puts(out, "\\`");
			i++;
			continue;
		}
		if (c == '~' && st->o->input == BB_KRAMDOWN_GFM && i + 2 < n && s[i + 1] == '~') {
			size_t e = S_strike(st, s, n, i, out, line);
			if (e) {
				i = e;
				continue;
			}
		}
		if (c == '`') {
			size_t k = i, j;
			while (k < n && s[k] == '`')
				k++;
			j = bb_kd_tick_close(&ticks, s, n, i, k);
			if (j < n) {
				size_t m = j + (k - i);
				bb_buf_put(out, s + i, m - i);
				i = m;
			} else {
				bb_buf_put(out, s + i, k - i);
				i = k;
			}
			continue;
		}
		if (c == '$' && i + 1 < n && s[i + 1] == '$') {
			size_t j;
			for (j = i + 2; j + 1 < n; j++)
				if (s[j] == '$' && s[j + 1] == '$')
					break;
			if (j + 1 < n) {
				bb_buf_put(out, s + i, j + 2 - i);
				i = j + 2;
				continue;
			}
			bb_buf_put(out, s + i, n - i);
			break;
		}
		if (c == '{' && i + 1 < n && s[i + 1] == ':') {
			size_t j = n;
			if (i < nobrace)
				for (j = i + 2; j < n && s[j] != '}'; j++)
					if (s[j] == '\\' && j + 1 < n)
						j++;
			if (j >= n) {
				nobrace = i;
				bb_buf_putc(out, c);
				i++;
				continue;
			}
			if (i + 2 < n && s[i + 2] == ':') {
				/* {::name ...} span extension */
				i = S_span_ext(st, s, n, i, j, &nostop, out, line);
				continue;
			}
			if (s[i + 2] == '/') {
				bb_kd_diag(st, BB_KRAMDOWN_WARNING, line, (unsigned)i + 1,
					   "kramdown: extension stop tag without a start: dropped");
				i = j + 1;
				continue;
			}
			i = S_span_ial(st, s, n, i, j, lm, &item, out, line);
			continue;
		}
		if (c == ']' && i + 1 < n && s[i + 1] == '(' && i + 2 < n && s[i + 2] != '<') {
			size_t e = S_spaced_link(s, n, i, out);
			if (e) {
				i = e;
				continue;
			}
		}
		if (typo && c == '<' && i + 1 < n && s[i + 1] == '<') {
			/* kramdown's guillemet, never the start of a tag */
			bb_buf_puts(out, "\\<\\<");
			i += 2;
			continue;
		}
		bb_buf_putc(out, c);
		i++;
	}
	if (item.len)
		bb_buf_put(out, item.data, item.len);
	bb_buf_free(&item);
	bb_kd_ticks_free(&ticks);
}
