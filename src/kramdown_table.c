/* kramdown_table.c: kramdown's tables without a header line, written as an HTML table. */
#include "kramdown_int.h"

#include <stdlib.h>
#include <string.h>

/* A table separator line: only |, :, +, spaces and - or =. */
int
bb_kd_table_sep(const char *s, size_t n)
{
	size_t i;
	int dash = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '-' || s[i] == '=')
			dash = 1;
		else if (!strchr("|:+ \t\r", s[i]))
			return 0;
	}
	return dash;
}

/* Offsets of the unescaped pipes of line s[0..n) outside code spans, at
 * most max of them; returns their count. */
static size_t
S_pipes(const char *s, size_t n, size_t *at, size_t max)
{
	size_t i = 0, c = 0;
	kd_ticks ticks;
	/* most lines hold no pipe at all */
	if (!memchr(s, '|', n))
		return 0;
	bb_kd_ticks_init(&ticks, s, n);
	while (i < n) {
		if (s[i] == '\\' && i + 1 < n) {
			i += 2;
			continue;
		}
		if (s[i] == '`') {
			size_t k = i, j;
			while (k < n && s[k] == '`')
				k++;
			j = bb_kd_tick_close(&ticks, s, n, i, k);
			i = j < n ? j + (k - i) : k;
			continue;
		}
		if (s[i] == '|') {
			if (c < max)
				at[c] = i;
			c++;
		}
		i++;
	}
	bb_kd_ticks_free(&ticks);
	return c;
}

/* Appends a cell's HTML h to out with its last $ written &#36; when its
 * dollars outside tags and code do not pair: the math scan runs over the
 * table's HTML and would pair it with a $ of the next cell, making
 * "</td><td>" TeX; kramdown (single $ is no math to it) splits the cells
 * there and the site shows that $ as text. */
static void
S_cell_dollars(const char *h, bb_buf *out)
{
	size_t i, n = strlen(h), last = (size_t)-1, cnt = 0;
	int tag = 0, code = 0;
	for (i = 0; i < n; i++) {
		if (h[i] == '<') {
			tag = 1;
			if (strncmp(h + i, "<code", 5) == 0)
				code = 1;
			else if (strncmp(h + i, "</code>", 7) == 0)
				code = 0;
		} else if (h[i] == '>')
			tag = 0;
		else if (!tag && !code && h[i] == '$' && !(i > 0 && h[i - 1] == '\\')) {
			cnt++;
			last = i;
		}
	}
	if (cnt % 2 == 0) {
		bb_buf_puts(out, h);
		return;
	}
	bb_buf_put(out, h, last);
	bb_buf_puts(out, "&#36;");
	bb_buf_puts(out, h + last + 1);
}

/* kramdown's table without a header: a block whose every line holds a pipe
 * (cmark-gfm wants a header and a separator line). Writes it as an HTML
 * table of cells rendered like the rest; returns the index of the line after
 * it, or 0 when lines k.. are no such table. */
size_t
bb_kd_plain_table(kd_state *st, kd_line *L, size_t nl, size_t k, bb_buf *out)
{
	size_t j, at[256];
	for (j = k; j < nl && j < k + 10000; j++) {
		if (kd_blank(L[j].s, L[j].n))
			break;
		if (!S_pipes(L[j].s, L[j].n, at, 1))
			return 0;
	}
	if (j == k || (j < nl && !kd_blank(L[j].s, L[j].n)))
		return 0;
	/* a separator in the second line: cmark-gfm's own table */
	if (k + 1 < j && bb_kd_table_sep(L[k + 1].s, L[k + 1].n))
		return 0;
	if (*st->frags + (j - k) * 2 > KD_MAX_FRAGS)
		return 0;
	bb_buf_puts(out, "<table>\n<tbody>\n");
	for (; k < j; k++) {
		const char *s = L[k].s;
		size_t n = kd_rtrim(s, L[k].n), np = S_pipes(s, n, at, 256), b = 0, c;
		if (bb_kd_table_sep(s, n))
			continue;
		if (np > 256)
			np = 256;
		while (b < n && (s[b] == ' ' || s[b] == '\t'))
			b++;
		bb_buf_puts(out, "<tr>");
		for (c = 0; c <= np; c++) {
			size_t e = c < np ? at[c] : n, cb = b, ce = e;
			char *h;
			if (c == 0 && np && at[0] == b) {   /* a leading pipe */
				b = at[0] + 1;
				continue;
			}
			if (c == np && cb >= n)              /* a trailing pipe */
				break;
			while (cb < ce && (s[cb] == ' ' || s[cb] == '\t'))
				cb++;
			while (ce > cb && (s[ce - 1] == ' ' || s[ce - 1] == '\t'))
				ce--;
			h = bb_kd_fragment(st, s + cb, ce - cb, 1, (unsigned)k + 1);
			bb_buf_puts(out, "<td>");
			S_cell_dollars(h, out);
			bb_buf_puts(out, "</td>");
			free(h);
			b = e + 1;
		}
		bb_buf_puts(out, "</tr>\n");
	}
	bb_buf_puts(out, "</tbody>\n</table>\n");
	return j;
}
