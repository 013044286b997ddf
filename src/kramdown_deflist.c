/* kramdown_deflist.c: kramdown's definition lists, written as one HTML block <dl>. */
#include "kramdown_int.h"

#include <stdlib.h>
#include <string.h>

/* A definition starts at line s: `:` after up to 3 spaces, then a space or
 * tab; returns the offset of its text (the rest of the line). */
int
bb_kd_dd_start(const char *s, size_t n, size_t *text)
{
	size_t i = 0;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i + 1 >= n || s[i] != ':' || (s[i + 1] != ' ' && s[i + 1] != '\t'))
		return 0;
	*text = i + 1;
	return 1;
}

/* Parses the definitions starting at lines[*k] (a `:` line) for the terms
 * terms[0..tn) (the lines of the paragraph before), and writes the <dl>.
 * Advances *k past the lines used. */
void
bb_kd_deflist(kd_state *st, kd_line *L, size_t nl, size_t *k, const char *terms, size_t tn,
	      int first_as_para, bb_buf *out)
{
	bb_buf dd = BB_BUF_INIT;
	size_t i = *k, p = 0;
	/* merge with a list just before (kramdown makes one dl) */
	if (out->len >= 7 && memcmp(out->data + out->len - 7, "</dl>\n\n", 7) == 0)
		out->len -= 7;
	else if (out->len >= 6 && memcmp(out->data + out->len - 6, "</dl>\n", 6) == 0)
		out->len -= 6;
	else
		bb_buf_puts(out, "<dl>\n");
	while (p < tn) {
		const char *e = memchr(terms + p, '\n', tn - p);
		size_t n = e ? (size_t)(e - (terms + p)) : tn - p;
		if (!kd_blank(terms + p, n)) {
			char *h = bb_kd_fragment(st, terms + p, n, 1, (unsigned)i);
			bb_buf_puts(out, "<dt>");
			bb_buf_puts(out, h);
			bb_buf_puts(out, "</dt>\n");
			free(h);
		}
		p += n + (e ? 1 : 0);
	}
	while (i < nl) {
		size_t t, ind, ib, start = i;
		int last_blank = 0;
		char *h;
		if (!bb_kd_dd_start(L[i].s, L[i].n, &t))
			break;
		bb_buf_reset(&dd);
		/* the text's indentation, as in a list item */
		ind = t;
		while (ind < L[i].n && (L[i].s[ind] == ' ' || L[i].s[ind] == '\t'))
			ind++;
		if (ind - t > 4 || ind == L[i].n)
			ind = t + 1;
		if (ind < L[i].n)
			bb_buf_put(&dd, L[i].s + ind, L[i].n - ind);
		bb_buf_putc(&dd, '\n');
		for (i++; i < nl; i++) {
			size_t col = kd_indent(L[i].s, L[i].n, &ib), tt;
			if (kd_blank(L[i].s, L[i].n)) {
				bb_buf_putc(&dd, '\n');
				last_blank = 1;
				continue;
			}
			if (bb_kd_dd_start(L[i].s, L[i].n, &tt))
				break;
			if (col >= ind) {
				/* drop ind columns of indentation */
				size_t b = 0, c = 0;
				while (b < L[i].n && c < ind && (L[i].s[b] == ' ' || L[i].s[b] == '\t')) {
					c = L[i].s[b] == '\t' ? (c + 4) / 4 * 4 : c + 1;
					b++;
				}
				bb_buf_put(&dd, L[i].s + b, L[i].n - b);
				bb_buf_putc(&dd, '\n');
				last_blank = 0;
			} else if (!last_blank && L[i].s[ib] != '<' &&
				   !(L[i].s[ib] == '{' && ib + 1 < L[i].n && L[i].s[ib + 1] == ':')) {
				bb_buf_put(&dd, L[i].s + ib, L[i].n - ib);
				bb_buf_putc(&dd, '\n');
			} else
				break;
		}
		/* trailing blank lines stay outside the list */
		while (i > start + 1 && kd_blank(L[i - 1].s, L[i - 1].n)) {
			i--;
			if (dd.len && dd.data[dd.len - 1] == '\n')
				dd.len--;
		}
		h = bb_kd_fragment(st, dd.data ? dd.data : "", dd.len, !first_as_para, (unsigned)start + 1);
		bb_buf_puts(out, "<dd>");
		bb_buf_puts(out, h);
		bb_buf_puts(out, "</dd>\n");
		free(h);
		first_as_para = 0;
		/* a blank line before the next `:` wraps its first paragraph */
		if (i + 1 < nl && kd_blank(L[i].s, L[i].n)) {
			size_t j = i;
			while (j < nl && kd_blank(L[j].s, L[j].n))
				j++;
			if (j < nl && bb_kd_dd_start(L[j].s, L[j].n, &t)) {
				i = j;
				first_as_para = 1;
			}
		}
	}
	bb_buf_puts(out, "</dl>\n");
	/* the HTML block must end here */
	if (i < nl && !kd_blank(L[i].s, L[i].n))
		bb_buf_putc(out, '\n');
	bb_buf_free(&dd);
	*k = i;
}
