/* kramdown_abbr.c: kramdown's abbreviations: read from `*[NAME]: title`
 * lines, handed to the tree pass in the bb-abbr marker block, and wrapped
 * as <abbr title> in the text of cmark's tree. */
#include "cmarkmem.h"
#include "kramdown_int.h"

#include <stdlib.h>
#include <string.h>

/* Matches `*[NAME]: title`; fills the name and the title. */
int
bb_kd_abbr_line(const char *s, size_t n, size_t *nb, size_t *ne, size_t *tb, size_t *te)
{
	size_t i = 0, j;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (n < i + 5 || s[i] != '*' || s[i + 1] != '[')
		return 0;
	for (j = i + 2; j + 1 < n; j++)
		if (s[j] == ']' && s[j + 1] == ':')
			break;
	if (j + 1 >= n || j == i + 2)
		return 0;
	*nb = i + 2;
	*ne = j;
	*tb = j + 2;
	while (*tb < n && (s[*tb] == ' ' || s[*tb] == '\t'))
		(*tb)++;
	*te = kd_rtrim(s, n);
	if (*te < *tb)
		*te = *tb;
	return 1;
}

/* Adds the abbreviation name[0..nn) with its title[0..tn) to a; a later
 * definition of the same name replaces the title (as in kramdown). Past
 * KD_MAX_ABBR names, new ones are ignored. */
void
bb_kd_abbr_define(kd_abbrs *a, const char *name, size_t nn, const char *title, size_t tn)
{
	size_t k;
	for (k = 0; k < a->n; k++)
		if (strlen(a->v[k].name) == nn && memcmp(a->v[k].name, name, nn) == 0)
			break;
	if (k == a->n && a->n < KD_MAX_ABBR) {
		a->v = bb_xrealloc(a->v, (a->n + 1) * sizeof *a->v);
		a->v[k].name = bb_xstrndup(name, nn);
		a->v[k].title = NULL;
		a->n++;
	}
	if (k < a->n) {
		free(a->v[k].title);
		a->v[k].title = bb_xstrndup(title, tn);
	}
}

/* Frees a's names and titles and its array (a itself is the caller's). */
void
bb_kd_abbr_free(kd_abbrs *a)
{
	size_t i;
	for (i = 0; i < a->n; i++) {
		free(a->v[i].name);
		free(a->v[i].title);
	}
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

/* Escapes what may not appear in a comment's text. */
static void
S_put_comment_text(bb_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '-')
			bb_buf_puts(b, "&#45;");
		else if (*s == '>')
			bb_buf_puts(b, "&gt;");
		else if (*s == '&')
			bb_buf_puts(b, "&amp;");
		else if (*s == '\n' || *s == '\t')
			bb_buf_putc(b, ' ');
		else
			bb_buf_putc(b, *s);
	}
}

/* Appends the post's abbreviations as the bb-abbr marker block. */
void
bb_kd_abbr_put(const kd_abbrs *a, bb_buf *out)
{
	size_t i;
	if (!a->n)
		return;
	bb_buf_puts(out, "\n\n<!--bb-abbr\n");
	for (i = 0; i < a->n; i++) {
		S_put_comment_text(out, a->v[i].name);
		bb_buf_putc(out, '\t');
		S_put_comment_text(out, a->v[i].title ? a->v[i].title : "");
		bb_buf_putc(out, '\n');
	}
	bb_buf_puts(out, "-->\n");
}

/* Decodes the escapes S_put_comment_text wrote. */
static char *
S_uncomment(const char *s, size_t n)
{
	bb_buf b = BB_BUF_INIT;
	size_t i;
	for (i = 0; i < n; i++) {
		if (s[i] == '&' && i + 5 <= n && memcmp(s + i, "&#45;", 5) == 0) {
			bb_buf_putc(&b, '-');
			i += 4;
		} else if (s[i] == '&' && i + 4 <= n && memcmp(s + i, "&gt;", 4) == 0) {
			bb_buf_putc(&b, '>');
			i += 3;
		} else if (s[i] == '&' && i + 5 <= n && memcmp(s + i, "&amp;", 5) == 0) {
			bb_buf_putc(&b, '&');
			i += 4;
		} else
			bb_buf_putc(&b, s[i]);
	}
	if (!b.data)
		bb_buf_puts(&b, "");
	return bb_buf_detach(&b, NULL);
}

/* Reads (and removes) the bb-abbr blocks of doc into ab, and notes the
 * bytes its abbreviations start with. */
void
bb_kd_abbr_read(kd_abbrs *ab, cmark_node *doc)
{
	cmark_node *x = cmark_node_first_child(doc), *next;
	size_t i;
	for (; x; x = next) {
		const char *l;
		next = cmark_node_next(x);
		if (cmark_node_get_type(x) != CMARK_NODE_HTML_BLOCK)
			continue;
		l = cmark_node_get_literal(x);
		if (!l || strncmp(l, "<!--bb-abbr\n", 12) != 0)
			continue;
		l += 12;
		while (*l && strncmp(l, "-->", 3) != 0) {
			const char *e = strchr(l, '\n'), *tab;
			size_t n = e ? (size_t)(e - l) : strlen(l);
			tab = memchr(l, '\t', n);
			if (tab && tab > l && ab->n < KD_MAX_ABBR) {
				ab->v = bb_xrealloc(ab->v, (ab->n + 1) * sizeof *ab->v);
				ab->v[ab->n].name = S_uncomment(l, (size_t)(tab - l));
				ab->v[ab->n].title = S_uncomment(tab + 1, n - (size_t)(tab + 1 - l));
				ab->n++;
			}
			l += n + (e ? 1 : 0);
		}
		cmark_node_free(x);
	}
	for (i = 0; i < ab->n; i++)
		ab->first[(unsigned char)ab->v[i].name[0]] = 1;
}

/* Wraps the abbreviations of text s[0..n) (kramdown: not after a word
 * character, not before one) and appends the result as nodes before
 * `before` (under its parent). prevw: the character before s is a word one. */
void
bb_kd_abbr_nodes(kd_abbrs *ab, const char *s, size_t n, int prevw, cmark_node *before)
{
	size_t i = 0, p = 0;
	bb_buf tx = BB_BUF_INIT, h = BB_BUF_INIT;
	while (i <= n) {
		size_t best = 0, k, bi = 0;
		if (i < n && ab->first[(unsigned char)s[i]] && ab->work < KD_MAX_ABBR_WORK &&
		    !(i == 0 ? prevw : kd_word((unsigned char)s[i - 1]))) {
			ab->work += ab->n;
			for (k = 0; k < ab->n; k++) {
				size_t ln = strlen(ab->v[k].name);
				if (ln > best && i + ln <= n && memcmp(s + i, ab->v[k].name, ln) == 0 &&
				    !(i + ln < n && kd_word((unsigned char)s[i + ln]))) {
					best = ln;
					bi = k;
				}
			}
		}
		if (i == n || best) {
			if (i > p) {
				cmark_node *x = bb_cmark_node_new(CMARK_NODE_TEXT);
				bb_buf_reset(&tx);
				bb_buf_put(&tx, s + p, i - p);
				cmark_node_set_literal(x, tx.data);
				cmark_node_insert_before(before, x);
			}
			if (i == n)
				break;
			{
				cmark_node *x = bb_cmark_node_new(CMARK_NODE_HTML_INLINE);
				const char *ti = ab->v[bi].title ? ab->v[bi].title : "";
				bb_buf_reset(&h);
				bb_buf_puts(&h, "<abbr title=\"");
				bb_buf_put_xml(&h, ti, strlen(ti));
				bb_buf_puts(&h, "\">");
				bb_buf_put_xml(&h, s + i, best);
				bb_buf_puts(&h, "</abbr>");
				cmark_node_set_literal(x, h.data);
				cmark_node_insert_before(before, x);
			}
			i += best;
			p = i;
			continue;
		}
		i++;
	}
	bb_buf_free(&tx);
	bb_buf_free(&h);
}
