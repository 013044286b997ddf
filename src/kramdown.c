/* kramdown.c: kramdown's syntax rewritten for cmark-gfm, the driver: the
 * pre-scan of a post's definitions, the fragments rendered apart (terms,
 * definitions, table cells) and bb_kramdown_pass. The rest of the dialect
 * is in the kramdown_*.c files (kramdown_int.h says which does what). */
#include "cmarkmem.h"
#include "kramdown_int.h"
#include "cmarklock.h"

#include <cmark-gfm-core-extensions.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
bb_kramdown_opts_init(bb_kramdown_opts *o, bb_kramdown_input input)
{
	memset(o, 0, sizeof *o);
	o->input = input;
	o->typographic = 1;
	o->smart_quotes = 1;
	o->autolink = 0;
	/* kramdown-parser-gfm strikes only ~~text~~ (its own syntax none) */
	o->cmark_options = CMARK_OPT_UNSAFE | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE;
}

/* A definition's label `[label]:` or `[^label]:` at the start of a line:
 * 1 for a link reference, 2 for a footnote, 0 for neither; [*a, *b) is the
 * label (without the caret). */
static int
S_def_line(const char *s, size_t n, size_t *a, size_t *b)
{
	size_t i = 0, j;
	int fn;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i + 1 >= n || s[i] != '[')
		return 0;
	fn = s[i + 1] == '^';
	for (j = i + 1 + fn; j + 1 < n && s[j] != ']' && s[j] != '['; j++)
		;
	if (j + 1 >= n || s[j] != ']' || s[j + 1] != ':' || j == i + 1 + fn)
		return 0;
	if (!fn && kd_blank(s + j + 2, n - j - 2))
		return 0;
	*a = i + 1 + fn;
	*b = j;
	return fn ? 2 : 1;
}

/* The lines of a text outside fenced code, one at a time. */
typedef struct kd_lines {
	const char *md;
	size_t len, p, flen;
	unsigned line;
	char fc;
} kd_lines;

/* The next line outside fences into *s, *n; 0 at the end. */
static int
S_next_line(kd_lines *it, const char **s, size_t *n)
{
	while (it->p < it->len) {
		const char *l = it->md + it->p, *nl = memchr(l, '\n', it->len - it->p);
		size_t ln = nl ? (size_t)(nl - l) : it->len - it->p, f, i = 0;
		char c2;
		it->line++;
		it->p += ln + (nl ? 1 : 0);
		if (it->flen) {
			while (i < ln && i < 3 && l[i] == ' ')
				i++;
			f = bb_kd_fence(l, ln, &c2);
			if (f >= it->flen && c2 == it->fc && kd_blank(l + i + f, ln - i - f))
				it->flen = 0;
			continue;
		}
		if ((f = bb_kd_fence(l, ln, &c2)) != 0) {
			it->flen = f;
			it->fc = c2;
			continue;
		}
		*s = l;
		*n = ln;
		return 1;
	}
	return 0;
}

/* Reads what kramdown defines anywhere in the post before the pass uses it
 * (outside fences): ALDs, abbreviations, link reference definitions (which
 * fragments rendered apart need too). */
static void
S_prescan(kd_state *st, const char *md, size_t len)
{
	kd_lines it = { md, len, 0, 0, 0, 0 };
	const char *s;
	size_t n, a, b, c, d;

	while (S_next_line(&it, &s, &n)) {
		if (bb_kd_ald_line(s, n, &a, &b, &c, &d)) {
			if (st->nald < KD_MAX_ALD) {
				st->ald = bb_xrealloc(st->ald, (st->nald + 1) * sizeof *st->ald);
				st->ald[st->nald].name = bb_xstrndup(s + a, b - a);
				st->ald[st->nald].body = bb_xstrndup(s + c, d - c);
				st->ald[st->nald].line = it.line;
				st->nald++;
			}
		} else if (bb_kd_abbr_line(s, n, &a, &b, &c, &d)) {
			bb_kd_abbr_define(&st->abbr, s + a, b - a, s + c, d - c);
		} else if (S_def_line(s, n, &a, &b) == 1) {
			bb_buf_put(&st->refdefs, s, n);
			bb_buf_putc(&st->refdefs, '\n');
		}
	}
}

/* One definition's label, as kramdown compares them: link ids with runs of
 * white space as one space and in lower case, footnote names as written. */
typedef struct kd_def {
	char *key;
	size_t at;     /* offset of the label in the post */
	unsigned line;
	unsigned drop; /* the line of the definition overwriting it, or 0 */
	int kind;
} kd_def;

static int
S_at_cmp(const void *x, const void *y)
{
	const kd_def *a = x, *b = y;
	return (a->at > b->at) - (a->at < b->at);
}

static int
S_def_cmp(const void *x, const void *y)
{
	const kd_def *a = x, *b = y;
	int c = a->kind - b->kind;
	if (!c)
		c = strcmp(a->key, b->key);
	return c ? c : (a->at > b->at) - (a->at < b->at);
}

static char *
S_def_key(const char *s, size_t n, int kind)
{
	bb_buf k = BB_BUF_INIT;
	size_t i;
	for (i = 0; i < n; i++) {
		if (kind == 1 && kd_space((unsigned char)s[i])) {
			while (i + 1 < n && kd_space((unsigned char)s[i + 1]))
				i++;
			bb_buf_putc(&k, ' ');
		} else
			bb_buf_putc(&k, kind == 1 ? (char)tolower((unsigned char)s[i]) : s[i]);
	}
	bb_buf_putc(&k, 0);
	return bb_buf_detach(&k, NULL);
}

/* kramdown lets a later definition of the same link id or footnote name
 * overwrite an earlier one (with a warning); CommonMark keeps the first. So
 * an earlier duplicate's label is renamed out of reach (cmark then drops it,
 * unused) in a copy of the post, returned (NULL when there is none). */
static char *
S_dedupe(kd_state *st, const char *md, size_t *len)
{
	kd_lines it = { md, *len, 0, 0, 0, 0 };
	kd_def *d = NULL;
	size_t nd = 0, i, a, b, n, shift = 0;
	const char *s;
	bb_buf out = BB_BUF_INIT;
	int kind, changed = 0;
	const char *c = bb_kd_memmem(md, *len, "]:", 2);

	/* a duplicate needs two definitions: most posts have none */
	if (!c || !bb_kd_memmem(c + 2, *len - (size_t)(c + 2 - md), "]:", 2))
		return NULL;
	while (nd < KD_MAX_DEFS && S_next_line(&it, &s, &n))
		if ((kind = S_def_line(s, n, &a, &b)) != 0) {
			d = bb_xrealloc(d, (nd + 1) * sizeof *d);
			d[nd].key = S_def_key(s + a, b - a, kind);
			d[nd].at = (size_t)(s - md) + a;
			d[nd].line = it.line;
			d[nd].drop = 0;
			d[nd++].kind = kind;
		}
	if (nd < 2) { /* nothing to compare (and qsort wants an array) */
		if (nd)
			free(d[0].key);
		free(d);
		return NULL;
	}
	qsort(d, nd, sizeof *d, S_def_cmp);
	for (i = 0; i + 1 < nd; i++)
		if (d[i].kind == d[i + 1].kind && strcmp(d[i].key, d[i + 1].key) == 0)
			d[i].drop = d[i + 1].line; /* the line that overwrites it */
	qsort(d, nd, sizeof *d, S_at_cmp);
	for (i = 0; i < nd; i++)
		if (d[i].drop) {
			bb_kd_diag(st, BB_KRAMDOWN_WARNING, d[i].drop, 1,
				   "kramdown: %s '%s' defined again: this definition overwrites the one %u lines above, which the site does not show",
				   d[i].kind == 2 ? "footnote" : "link id", d[i].key, d[i].drop - d[i].line);
			changed = 1;
			bb_buf_put(&out, md + shift, d[i].at - shift);
			bb_buf_printf(&out, "bb-overwritten-%zu-", i);
			shift = d[i].at;
		}
	if (changed)
		bb_buf_put(&out, md + shift, *len - shift);
	for (i = 0; i < nd; i++)
		free(d[i].key);
	free(d);
	return changed ? bb_buf_detach(&out, len) : NULL;
}

/* Renders md through this pass and cmark-gfm; returns HTML (caller frees)
 * without blank lines (so it stays inside one HTML block), and without the
 * wrapping <p> when unwrap asks and the first block is a paragraph. */
char *
bb_kd_fragment(kd_state *st, const char *md, size_t len, int unwrap, unsigned line)
{
	static const char *exts[] = { "table", "strikethrough" };
	kd_state sub;
	bb_buf src = BB_BUF_INIT, html = BB_BUF_INIT;
	cmark_parser *parser;
	cmark_node *doc;
	char *h, *r;
	size_t i, hn;

	sub = *st;
	sub.depth = st->depth + 1;
	sub.line0 = st->line0 + line - 1;
	memset(&sub.refdefs, 0, sizeof sub.refdefs);
	while (len && (md[len - 1] == '\n' || md[len - 1] == ' '))
		len--;
	/* plain text (the usual term): no parse needed */
	for (i = 0; i < len && !strchr("*_[]<>&`\\!~|#$\n{}:", md[i]); i++)
		;
	if (i == len && !st->abbr.n && len && !isdigit((unsigned char)md[0]) && !strchr("-+=", md[0])) {
		bb_buf tx = BB_BUF_INIT;
		if (unwrap)
			bb_kd_typo(st->o, md, len, 0, len, &tx);
		else {
			bb_buf_puts(&html, "<p>");
			bb_kd_typo(st->o, md, len, 0, len, &tx);
		}
		bb_buf_put_xml(&html, tx.data ? tx.data : "", tx.len);
		if (!unwrap)
			bb_buf_puts(&html, "</p>");
		bb_buf_free(&tx);
		return bb_buf_detach(&html, NULL);
	}
	if (sub.depth > KD_MAX_DEPTH || ++*st->frags > KD_MAX_FRAGS) {
		/* past the bounds: the text after this pass, without its
		 * markers, as plain text */
		bb_buf tx = BB_BUF_INIT;
		size_t p = 0;
		if (*st->frags == KD_MAX_FRAGS + 1)
			bb_kd_diag(st, BB_KRAMDOWN_WARNING, line, 1,
				   "kramdown: more than %d definition list items: the rest kept as plain text",
				   KD_MAX_FRAGS);
		sub.diag = NULL;
		bb_kd_pass(&sub, md, len, &tx);
		while (p < tx.len) {
			const char *c = bb_kd_memmem(tx.data + p, tx.len - p, "<!--", 4), *e;
			size_t q = c ? (size_t)(c - tx.data) : tx.len;
			bb_buf_put_xml(&html, tx.data + p, q - p);
			if (!c)
				break;
			e = bb_kd_memmem(c, tx.len - q, "-->", 3);
			p = e ? (size_t)(e - tx.data) + 3 : tx.len;
		}
		bb_buf_free(&tx);
		return bb_buf_detach(&html, NULL);
	}
	bb_kd_pass(&sub, md, len, &src);
	bb_kd_abbr_put(&st->abbr, &src);
	if (st->refdefs.len) {
		bb_buf_puts(&src, "\n\n");
		bb_buf_put(&src, st->refdefs.data, st->refdefs.len);
	}
	cmark_gfm_core_extensions_ensure_registered();
	parser = cmark_parser_new_with_mem(st->o->cmark_options, bb_cmark_mem_begin());
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		if (st->o->input == BB_KRAMDOWN_KRAMDOWN && strcmp(exts[i], "strikethrough") == 0)
			continue; /* kramdown's own syntax has none */
		if (e)
			cmark_parser_attach_syntax_extension(parser, e);
	}
	cmark_parser_feed(parser, src.data ? src.data : "", src.len);
	doc = bb_cmark_finish(parser); /* under the lock: see cmarklock.c */
	bb_kramdown_tree(doc, st->o);
	/* the pass's own abbreviation marker is gone; add the post's */
	h = cmark_render_html_with_mem(doc, st->o->cmark_options, cmark_parser_get_syntax_extensions(parser),
				       cmark_get_default_mem_allocator());
	cmark_node_free(doc);
	cmark_parser_free(parser);
	bb_cmark_mem_end();
	bb_buf_free(&src);

	hn = strlen(h);
	while (hn && h[hn - 1] == '\n')
		hn--;
	r = h;
	if (unwrap && hn >= 7 && memcmp(h, "<p>", 3) == 0) {
		const char *e = strstr(h, "</p>");
		if (e && (size_t)(e - h) < hn) {
			bb_buf_put(&html, h + 3, (size_t)(e - h) - 3);
			r = (char *)e + 4;
			if ((size_t)(r - h) < hn)
				bb_buf_putc(&html, '\n');
			while ((size_t)(r - h) < hn && *r == '\n')
				r++;
		}
	}
	/* blank lines would end the HTML block: a comment keeps the line */
	for (; (size_t)(r - h) < hn; r++) {
		bb_buf_putc(&html, *r);
		if (*r == '\n' && (size_t)(r - h) + 1 < hn && r[1] == '\n')
			bb_buf_puts(&html, "<!-- -->");
	}
	free(h);
	return bb_buf_detach(&html, NULL);
}

char *
bb_kramdown_pass(const char *md, size_t len, const bb_kramdown_opts *o, size_t *out_len,
		 bb_kramdown_diag_fn diag, void *ud)
{
	kd_state st;
	bb_buf out = BB_BUF_INIT;
	size_t i, frags = 0;
	char *dup;

	memset(&st, 0, sizeof st);
	st.frags = &frags;
	st.o = o;
	st.diag = diag;
	st.ud = ud;
	if ((dup = S_dedupe(&st, md, &len)) != NULL)
		md = dup;
	S_prescan(&st, md, len);
	bb_kd_pass(&st, md, len, &out);
	bb_kd_abbr_put(&st.abbr, &out);
	bb_kd_abbr_free(&st.abbr);
	for (i = 0; i < st.nald; i++) {
		free(st.ald[i].name);
		free(st.ald[i].body);
	}
	free(st.ald);
	bb_buf_free(&st.refdefs);
	free(dup);
	if (!out.data)
		bb_buf_puts(&out, "");
	return bb_buf_detach(&out, out_len);
}
