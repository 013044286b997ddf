/* kramdown.c: kramdown's syntax rewritten for cmark-gfm, and kramdown's text conversions on cmark's tree. */
#include "kramdown.h"
#include "cmarklock.h"
#include "util.h"

#include <cmark-gfm-core-extensions.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_MAX_ABBR 1000      /* abbreviations kept per post */
#define S_MAX_ALD 1000       /* attribute list definitions kept per post */
#define S_MAX_DEPTH 4        /* definition lists inside definition lists */
#define S_MAX_REF_DEPTH 8    /* ALD references through ALDs */
#define S_MAX_SCAN 4000000   /* lines looked at ahead for end tags, per post */
#define S_MAX_FRAGS 5000     /* terms and definitions parsed apart, per post */
#define S_MAX_URL 1024       /* bytes of a link destination looked at */
#define S_MAX_ABBR_WORK 30000000 /* abbreviation comparisons per tree */

/* memmem is not C99. */
static const char *
S_memmem(const char *h, size_t hn, const char *nd, size_t nn)
{
	size_t i;
	if (nn == 0)
		return h;
	for (i = 0; i + nn <= hn; i++)
		if (h[i] == nd[0] && memcmp(h + i, nd, nn) == 0)
			return h + i;
	return NULL;
}

typedef struct S_abbr {
	char *name, *title;
} S_abbr;

typedef struct S_ald {
	char *name, *body;
	unsigned line;
} S_ald;

/* One pass over one text (a post, or a fragment of it: a definition). */
typedef struct S_state {
	const bb_kramdown_opts *o;
	bb_kramdown_diag_fn diag;
	void *ud;
	S_abbr *abbr;
	size_t nabbr;
	S_ald *ald;
	size_t nald;
	bb_buf refdefs;  /* the post's link reference definitions, for fragments */
	int depth;
	unsigned line0;  /* line of the fragment's first line in the post, minus one */
	size_t scan;     /* lines looked at ahead (end tags), bounded by S_MAX_SCAN */
	size_t *frags;   /* fragments rendered through cmark, bounded by S_MAX_FRAGS */
} S_state;

/* Attributes read from an IAL. */
typedef struct S_attrs {
	bb_buf cls;
	char *id;
	int toc;
	int budget;   /* tokens read through references, bounded */
} S_attrs;

enum { K_NONE, K_PARA, K_LIST, K_HEADING, K_CODE, K_OTHER };

static void S_pass(S_state *st, const char *md, size_t len, bb_buf *out);
static void S_raw_inline(const char *s, size_t n, bb_buf *out);
static void S_put_abbr(const S_state *st, bb_buf *out);
static void S_typo(const bb_kramdown_opts *o, const char *s, size_t n, size_t a, size_t b, bb_buf *out);

/* Sends a formatted message to the diag callback, if any. */
static void
S_diag(S_state *st, int sev, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	char *m;
	if (!st->diag)
		return;
	va_start(ap, fmt);
	m = bb_xvasprintf(fmt, ap);
	va_end(ap);
	st->diag(st->ud, sev, st->line0 + line, col, m);
	free(m);
}

void
bb_kramdown_opts_init(bb_kramdown_opts *o, bb_kramdown_input input)
{
	memset(o, 0, sizeof *o);
	o->input = input;
	o->typographic = 1;
	o->smart_quotes = 1;
	o->autolink = 0;
	o->cmark_options = CMARK_OPT_UNSAFE;
}

/* ---- small scanners ---- */

/* 1 when s[0..n) holds only spaces and tabs (and a CR). */
static int
S_blank(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Columns of leading white space (a tab to the next multiple of 4); *bytes
 * gets the bytes it spans. */
static size_t
S_indent(const char *s, size_t n, size_t *bytes)
{
	size_t i, col = 0;
	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		col = s[i] == '\t' ? (col + 4) / 4 * 4 : col + 1;
	if (bytes)
		*bytes = i;
	return col;
}

/* Length of n without trailing white space. */
static size_t
S_rtrim(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return n;
}

/* strncasecmp is POSIX, not C99: ASCII only. */
static int
S_strncasecmp(const char *a, const char *b, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		int x = tolower((unsigned char)a[i]), y = tolower((unsigned char)b[i]);
		if (x != y || !x)
			return x - y;
	}
	return 0;
}

static int
S_word(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Returns the length of a list marker at s (after up to 3 spaces) followed by
 * a space or tab, or 0. */
static size_t
S_list_marker(const char *s, size_t n)
{
	size_t i = 0, j;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i < n && (s[i] == '*' || s[i] == '-' || s[i] == '+')) {
		if (i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '\t'))
			return i + 1;
		return 0;
	}
	for (j = i; j < n && j - i < 9 && isdigit((unsigned char)s[j]); j++)
		;
	if (j > i && j < n && (s[j] == '.' || s[j] == ')') && j + 1 < n && (s[j + 1] == ' ' || s[j + 1] == '\t'))
		return j + 1;
	return 0;
}

/* Fence opening at s: returns its length (3 or more) and its char in *c, or 0. */
static size_t
S_fence(const char *s, size_t n, char *c)
{
	size_t i = 0, k;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i >= n || (s[i] != '`' && s[i] != '~'))
		return 0;
	for (k = i; k < n && s[k] == s[i]; k++)
		;
	if (k - i < 3)
		return 0;
	if (s[i] == '`' && memchr(s + k, '`', n - k))
		return 0;
	*c = s[i];
	return k - i;
}

/* ---- attribute lists ---- */

static int
S_valid_class(const char *s, size_t n)
{
	size_t i;
	if (!n || n > 100)
		return 0;
	for (i = 0; i < n; i++) {
		if (!(S_word((unsigned char)s[i]) || s[i] == '-'))
			return 0;
		if (s[i] == '-' && i + 1 < n && s[i + 1] == '-')
			return 0;
	}
	return 1;
}

static int
S_valid_id(const char *s, size_t n)
{
	size_t i;
	if (!n || n > 200 || !isalpha((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++) {
		if (!(S_word((unsigned char)s[i]) || s[i] == '-' || s[i] == '.'))
			return 0;
		if (s[i] == '-' && s[i + 1 < n ? i + 1 : i] == '-' && i + 1 < n)
			return 0;
	}
	return 1;
}

static void
S_add_class(S_attrs *a, const char *s, size_t n)
{
	if (a->cls.len)
		bb_buf_putc(&a->cls, ' ');
	bb_buf_put(&a->cls, s, n);
}

static const S_ald *
S_find_ald(S_state *st, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < st->nald; i++)
		if (strlen(st->ald[i].name) == n && memcmp(st->ald[i].name, s, n) == 0)
			return &st->ald[i];
	return NULL;
}

/* Reads an IAL/ALD body s[0..n) into a (kramdown's ALD_TYPE_ANY: key="v",
 * key='v', .class, #id, ref), keeping only what is safe. */
static void
S_parse_attrs(S_state *st, const char *s, size_t n, S_attrs *a, unsigned line, unsigned col, int depth)
{
	size_t i = 0;
	while (i < n) {
		size_t b, e;
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i >= n)
			break;
		b = i;
		/* a token runs to white space, except inside a quoted value */
		e = b;
		while (e < n && !isspace((unsigned char)s[e])) {
			if (s[e] == '=' && e + 1 < n && (s[e + 1] == '"' || s[e + 1] == '\'')) {
				char q = s[e + 1];
				e += 2;
				while (e < n && s[e] != q) {
					if (s[e] == '\\' && e + 1 < n)
						e++;
					e++;
				}
				if (e < n)
					e++;
				continue;
			}
			e++;
		}
		i = e;
		if (++a->budget > 1000)
			break;
		if (s[b] == '.' || s[b] == '#') {
			/* .a.b#c: classes and an id run together */
			size_t p = b;
			while (p < e) {
				char kind = s[p];
				size_t q = p + 1;
				while (q < e && s[q] != '.' && s[q] != '#')
					q++;
				if (kind == '.' && S_valid_class(s + p + 1, q - p - 1))
					S_add_class(a, s + p + 1, q - p - 1);
				else if (kind == '#' && S_valid_id(s + p + 1, q - p - 1)) {
					free(a->id);
					a->id = bb_xstrndup(s + p + 1, q - p - 1);
				} else
					S_diag(st, BB_KRAMDOWN_NOTE, line, col,
					       "kramdown: attribute '%.*s' is not a safe class or id: dropped",
					       (int)(q - p), s + p);
				p = q;
			}
		} else {
			const char *eq = memchr(s + b, '=', e - b);
			if (eq) {
				size_t kn = (size_t)(eq - (s + b));
				const char *v = eq + 1;
				size_t vn = (size_t)(s + e - v);
				if (vn >= 2 && (v[0] == '"' || v[0] == '\'') && v[vn - 1] == v[0]) {
					v++;
					vn -= 2;
				}
				if (kn == 5 && strncmp(s + b, "class", 5) == 0) {
					size_t p = 0;
					while (p < vn) {
						size_t q;
						while (p < vn && v[p] == ' ')
							p++;
						for (q = p; q < vn && v[q] != ' '; q++)
							;
						if (q > p && S_valid_class(v + p, q - p))
							S_add_class(a, v + p, q - p);
						p = q;
					}
				} else if (kn == 2 && strncmp(s + b, "id", 2) == 0 && S_valid_id(v, vn)) {
					free(a->id);
					a->id = bb_xstrndup(v, vn);
				} else if (kn > 2 && (s[b] == 'o' || s[b] == 'O') && (s[b + 1] == 'n' || s[b + 1] == 'N'))
					S_diag(st, BB_KRAMDOWN_WARNING, line, col,
					       "kramdown: event handler '%.*s' in an attribute list: dropped",
					       (int)kn, s + b);
				else
					S_diag(st, BB_KRAMDOWN_NOTE, line, col,
					       "kramdown: attribute '%.*s' dropped (only class and id are kept)",
					       (int)kn, s + b);
			} else if (e - b == 3 && strncmp(s + b, "toc", 3) == 0) {
				a->toc = 1;
			} else {
				const S_ald *d = S_find_ald(st, s + b, e - b);
				if (d && depth < S_MAX_REF_DEPTH)
					S_parse_attrs(st, d->body, strlen(d->body), a, line, col, depth + 1);
				else if (!d)
					S_diag(st, BB_KRAMDOWN_NOTE, line, col,
					       "kramdown: no attribute list definition named '%.*s'",
					       (int)(e - b), s + b);
			}
		}
	}
}

/* Appends the marker `<!--KIND ATTRS-->` for a. */
static void
S_put_marker(bb_buf *out, const char *kind, const S_attrs *a)
{
	const char *p;
	bb_buf_puts(out, "<!--");
	bb_buf_puts(out, kind);
	for (p = a->cls.data; p && *p;) {
		const char *q = strchr(p, ' ');
		size_t n = q ? (size_t)(q - p) : strlen(p);
		bb_buf_puts(out, " .");
		bb_buf_put(out, p, n);
		p += n;
		while (*p == ' ')
			p++;
	}
	if (a->id) {
		bb_buf_puts(out, " #");
		bb_buf_puts(out, a->id);
	}
	bb_buf_puts(out, "-->");
}

static void
S_attrs_free(S_attrs *a)
{
	bb_buf_free(&a->cls);
	free(a->id);
	a->id = NULL;
}

int
bb_kramdown_marker(const char *s, size_t n, char **cls, char **id)
{
	int kind;
	size_t i;
	bb_buf c = BB_BUF_INIT;
	*cls = *id = NULL;
	if (n >= 4 && memcmp(s, "<!--", 4) == 0) {
		s += 4;
		n -= 4;
	}
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	if (n >= 3 && memcmp(s + n - 3, "-->", 3) == 0)
		n -= 3;
	if (n >= 11 && memcmp(s, "bb-ial-next", 11) == 0) {
		kind = BB_KRAMDOWN_MARK_NEXT;
		i = 11;
	} else if (n >= 11 && memcmp(s, "bb-ial-item", 11) == 0) {
		kind = BB_KRAMDOWN_MARK_ITEM;
		i = 11;
	} else if (n >= 6 && memcmp(s, "bb-ial", 6) == 0) {
		kind = BB_KRAMDOWN_MARK_PREV;
		i = 6;
	} else
		return BB_KRAMDOWN_MARK_NONE;
	if (i < n && s[i] != ' ')
		return BB_KRAMDOWN_MARK_NONE;
	while (i < n) {
		size_t b;
		while (i < n && s[i] == ' ')
			i++;
		b = i;
		while (i < n && s[i] != ' ')
			i++;
		if (i - b > 1 && s[b] == '.' && S_valid_class(s + b + 1, i - b - 1)) {
			if (c.len)
				bb_buf_putc(&c, ' ');
			bb_buf_put(&c, s + b + 1, i - b - 1);
		} else if (i - b > 1 && s[b] == '#' && S_valid_id(s + b + 1, i - b - 1)) {
			free(*id);
			*id = bb_xstrndup(s + b + 1, i - b - 1);
		}
	}
	if (c.len)
		*cls = bb_buf_detach(&c, NULL);
	bb_buf_free(&c);
	return kind;
}

/* ---- pre-scan: ALDs, abbreviations, link reference definitions ---- */

/* Matches `{:name: body}` (an ALD) on line s[0..n); fills name and body. */
static int
S_ald_line(const char *s, size_t n, size_t *nb, size_t *ne, size_t *bb, size_t *be)
{
	size_t i = 0, j;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	n = S_rtrim(s, n);
	if (n < i + 5 || s[i] != '{' || s[i + 1] != ':' || s[n - 1] != '}')
		return 0;
	i += 2;
	if (!S_word((unsigned char)s[i]))
		return 0;
	for (j = i; j < n && (S_word((unsigned char)s[j]) || s[j] == '-'); j++)
		;
	if (j >= n || s[j] != ':' || j + 1 >= n - 1)
		return 0;
	*nb = i;
	*ne = j;
	*bb = j + 1;
	*be = n - 1;
	return 1;
}

/* Matches `*[NAME]: title`; fills the name and the title. */
static int
S_abbr_line(const char *s, size_t n, size_t *nb, size_t *ne, size_t *tb, size_t *te)
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
	*te = S_rtrim(s, n);
	if (*te < *tb)
		*te = *tb;
	return 1;
}

/* A link reference definition's first line `[label]: url` (not a footnote). */
static int
S_refdef_line(const char *s, size_t n)
{
	size_t i = 0, j;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (i + 1 >= n || s[i] != '[' || s[i + 1] == '^')
		return 0;
	for (j = i + 1; j + 1 < n && s[j] != ']'; j++)
		;
	return j + 1 < n && s[j] == ']' && s[j + 1] == ':' && !S_blank(s + j + 2, n - j - 2);
}

static void
S_prescan(S_state *st, const char *md, size_t len)
{
	size_t p = 0;
	unsigned line = 0;
	char fc = 0;
	size_t flen = 0;
	while (p < len) {
		const char *s = md + p, *nl = memchr(s, '\n', len - p);
		size_t n = nl ? (size_t)(nl - s) : len - p, a, b, c, d;
		char c2;
		size_t f;
		line++;
		p += n + (nl ? 1 : 0);
		if (flen) {
			size_t i = 0;
			while (i < n && i < 3 && s[i] == ' ')
				i++;
			f = S_fence(s, n, &c2);
			if (f >= flen && c2 == fc && S_blank(s + i + f, n - i - f))
				flen = 0;
			continue;
		}
		if ((f = S_fence(s, n, &c2)) != 0) {
			flen = f;
			fc = c2;
			continue;
		}
		if (S_ald_line(s, n, &a, &b, &c, &d)) {
			if (st->nald < S_MAX_ALD) {
				st->ald = bb_xrealloc(st->ald, (st->nald + 1) * sizeof *st->ald);
				st->ald[st->nald].name = bb_xstrndup(s + a, b - a);
				st->ald[st->nald].body = bb_xstrndup(s + c, d - c);
				st->ald[st->nald].line = line;
				st->nald++;
			}
		} else if (S_abbr_line(s, n, &a, &b, &c, &d)) {
			size_t k;
			for (k = 0; k < st->nabbr; k++)
				if (strlen(st->abbr[k].name) == b - a && memcmp(st->abbr[k].name, s + a, b - a) == 0)
					break;
			if (k == st->nabbr && st->nabbr < S_MAX_ABBR) {
				st->abbr = bb_xrealloc(st->abbr, (st->nabbr + 1) * sizeof *st->abbr);
				st->abbr[k].name = bb_xstrndup(s + a, b - a);
				st->abbr[k].title = NULL;
				st->nabbr++;
			}
			if (k < st->nabbr) {
				free(st->abbr[k].title);
				st->abbr[k].title = bb_xstrndup(s + c, d - c);
			}
		} else if (S_refdef_line(s, n)) {
			bb_buf_put(&st->refdefs, s, n);
			bb_buf_putc(&st->refdefs, '\n');
		}
	}
}

/* ---- fragments rendered here (definition lists) ---- */

/* Renders md through this pass and cmark-gfm; returns HTML (caller frees)
 * without blank lines (so it stays inside one HTML block), and without the
 * wrapping <p> when unwrap asks and the first block is a paragraph. */
static char *
S_render_fragment(S_state *st, const char *md, size_t len, int unwrap, unsigned line)
{
	static const char *exts[] = { "table", "strikethrough" };
	S_state sub;
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
	if (i == len && !st->nabbr && len && !isdigit((unsigned char)md[0]) && !strchr("-+=", md[0])) {
		bb_buf tx = BB_BUF_INIT;
		if (unwrap)
			S_typo(st->o, md, len, 0, len, &tx);
		else {
			bb_buf_puts(&html, "<p>");
			S_typo(st->o, md, len, 0, len, &tx);
		}
		bb_buf_put_xml(&html, tx.data ? tx.data : "", tx.len);
		if (!unwrap)
			bb_buf_puts(&html, "</p>");
		bb_buf_free(&tx);
		return bb_buf_detach(&html, NULL);
	}
	if (sub.depth > S_MAX_DEPTH || ++*st->frags > S_MAX_FRAGS) {
		/* past the bounds: the text after this pass, without its
		 * markers, as plain text */
		bb_buf tx = BB_BUF_INIT;
		size_t p = 0;
		if (*st->frags == S_MAX_FRAGS + 1)
			S_diag(st, BB_KRAMDOWN_WARNING, line, 1,
			       "kramdown: more than %d definition list items: the rest kept as plain text",
			       S_MAX_FRAGS);
		sub.diag = NULL;
		S_pass(&sub, md, len, &tx);
		while (p < tx.len) {
			const char *c = S_memmem(tx.data + p, tx.len - p, "<!--", 4), *e;
			size_t q = c ? (size_t)(c - tx.data) : tx.len;
			bb_buf_put_xml(&html, tx.data + p, q - p);
			if (!c)
				break;
			e = S_memmem(c, tx.len - q, "-->", 3);
			p = e ? (size_t)(e - tx.data) + 3 : tx.len;
		}
		bb_buf_free(&tx);
		return bb_buf_detach(&html, NULL);
	}
	S_pass(&sub, md, len, &src);
	S_put_abbr(st, &src);
	if (st->refdefs.len) {
		bb_buf_puts(&src, "\n\n");
		bb_buf_put(&src, st->refdefs.data, st->refdefs.len);
	}
	cmark_gfm_core_extensions_ensure_registered();
	parser = cmark_parser_new(st->o->cmark_options);
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		if (e)
			cmark_parser_attach_syntax_extension(parser, e);
	}
	cmark_parser_feed(parser, src.data ? src.data : "", src.len);
	doc = bb_cmark_finish(parser); /* under the lock: see cmarklock.c */
	bb_kramdown_tree(doc, st->o);
	/* the pass's own abbreviation marker is gone; add the post's */
	h = cmark_render_html(doc, st->o->cmark_options, cmark_parser_get_syntax_extensions(parser));
	cmark_node_free(doc);
	cmark_parser_free(parser);
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

/* ---- inline rewriting of one line ---- */

/* Copies line s[0..n) to out, turning span IALs into markers and span
 * extensions into what they mean; code spans and $$math$$ are copied as
 * they are. */
static void S_inline(S_state *st, const char *s, size_t n, bb_buf *out, unsigned line);

/* The span extension {::name ...} at s[i], its tag ending at s[j] == '}':
 * nomarkdown copied raw, comment dropped, an unknown one's text kept with a
 * warning. Returns where the text goes on. */
static size_t
S_span_ext(S_state *st, const char *s, size_t n, size_t i, size_t j, size_t *nostop, bb_buf *out, unsigned line)
{
	size_t nb = i + 3, ne = nb, k;
	int selfclose = s[j - 1] == '/';
	while (ne < j && S_word((unsigned char)s[ne]))
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
		S_diag(st, BB_KRAMDOWN_WARNING, line, (unsigned)i + 1,
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
			S_diag(st, BB_KRAMDOWN_WARNING, line, (unsigned)i + 1,
			       "kramdown: unknown extension '%.*s': its text kept",
			       (int)(ne - nb), s + nb);
			S_inline(st, s + j + 1, k - j - 1, out, line);
		}
		return e < n ? e + 1 : n;
	}
}

/* The span IAL {: ...} at s[i] (its end s[j] == '}'), lm the line's list
 * marker: a marker for the element out ends with, or for the list item
 * (kept in item for the line's end). Returns where the text goes on. */
static size_t
S_span_ial(S_state *st, const char *s, size_t n, size_t i, size_t j, size_t lm, bb_buf *item, bb_buf *out,
	   unsigned line)
{
	S_attrs a;
	const char *kind = "bb-ial";
	size_t k = out->len;
	memset(&a, 0, sizeof a);
	S_parse_attrs(st, s + i + 2, j - i - 2, &a, line, (unsigned)i + 1, 0);
	/* before the span IAL: what ends an element, or a list item's start */
	while (k > 0 && out->data[k - 1] == ' ')
		k--;
	if (lm && i <= lm + 4 && S_blank(s + lm, i - lm))
		kind = "bb-ial-item";
	if (kind[6] == '-')
		S_put_marker(item, kind, &a);
	else if (k == out->len && k > 0 && strchr("*_)]`>~", out->data[k - 1]))
		S_put_marker(out, kind, &a);
	else
		S_diag(st, BB_KRAMDOWN_WARNING, line, (unsigned)i + 1,
		       "kramdown: span IAL after text (applies to nothing): dropped");
	S_attrs_free(&a);
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
	for (j = i + 2; j < n && j < i + S_MAX_URL; j++) {
		if (s[j] == '\\' && j + 1 < n)
			j++;
		else if (s[j] == '(')
			depth++;
		else if (s[j] == ')' && depth-- == 0)
			break;
	}
	if (j < n && j < i + S_MAX_URL) {
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
		if (S_memmem(s + i + 2, ue - i - 2, " ", 1) && !memchr(s + i + 2, '<', ue - i - 2) &&
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
 * the text, the text itself through S_inline; returns the index after the
 * closing ~~, or 0 when there is none on the line (or a code span or a
 * math span would cross it: left to cmark). */
static size_t
S_strike(S_state *st, const char *s, size_t n, size_t i, bb_buf *out, unsigned line)
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
	S_inline(st, s + i + 2, j - i - 2, out, line);
	bb_buf_puts(out, "</del>");
	return j + 2;
}

static void
S_inline(S_state *st, const char *s, size_t n, bb_buf *out, unsigned line)
{
	size_t i = 0, lm = S_list_marker(s, n);
	bb_buf item = BB_BUF_INIT;   /* a list item's IAL, put at the line's end */
	int typo = st->o->typographic;
	/* where a search already failed: no later one can succeed (linear time) */
	size_t nobrace = n, nostop = n, notick[64];
	for (i = 0; i < 64; i++)
		notick[i] = n;
	i = 0;
	while (i < n) {
		char c = s[i];
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
			j = n;
			if (k - i >= 64 || i < notick[k - i])
			for (j = k; j < n; j++) {
				if (s[j] == '`') {
					size_t m = j;
					while (m < n && s[m] == '`')
						m++;
					if (m - j == k - i)
						break;
					j = m - 1;
				}
			}
			if (j < n) {
				size_t m = j + (k - i);
				bb_buf_put(out, s + i, m - i);
				i = m;
			} else {
				if (k - i < 64)
					notick[k - i] = i;
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
				S_diag(st, BB_KRAMDOWN_WARNING, line, (unsigned)i + 1,
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
}

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

/* Writes a heading line: `#`s, one space, the text without a trailing
 * `{#id}` (given as a marker on the next line) and closing `#`s. */
static void
S_heading(S_state *st, const char *s, size_t n, size_t level, bb_buf *out, unsigned line)
{
	size_t b = level, e = S_rtrim(s, n), ib;
	char *id = NULL;
	while (b < e && (s[b] == ' ' || s[b] == '\t'))
		b++;
	/* {#id} at the end (kramdown's HEADER_ID) */
	if (e > b + 3 && s[e - 1] == '}') {
		for (ib = e - 1; ib > b && s[ib] != '{'; ib--)
			;
		if (s[ib] == '{' && s[ib + 1] == '#' && ib > b && (s[ib - 1] == ' ' || s[ib - 1] == '\t')) {
			if (S_valid_id(s + ib + 2, e - 1 - ib - 2))
				id = bb_xstrndup(s + ib + 2, e - 1 - ib - 2);
			else
				S_diag(st, BB_KRAMDOWN_NOTE, line, (unsigned)ib + 1,
				       "kramdown: heading id '%.*s' is not a safe id: dropped",
				       (int)(e - ib), s + ib);
			e = S_rtrim(s, ib);
		}
	}
	bb_buf_put(out, s, level);
	bb_buf_putc(out, ' ');
	S_inline(st, s + b, e - b, out, line);
	bb_buf_putc(out, '\n');
	if (id) {
		bb_buf_puts(out, "<!--bb-ial #");
		bb_buf_puts(out, id);
		bb_buf_puts(out, "-->\n");
		free(id);
	}
}

/* ---- the line scanner ---- */

typedef struct S_line {
	const char *s;
	size_t n;
} S_line;

/* Splits md into lines (without their newlines). */
static S_line *
S_lines(const char *md, size_t len, size_t *count)
{
	size_t cap = 64, nl = 0, p = 0;
	S_line *v = bb_xmalloc(cap * sizeof *v);
	while (p < len) {
		const char *s = md + p, *e = memchr(s, '\n', len - p);
		size_t n = e ? (size_t)(e - s) : len - p;
		if (nl == cap) {
			cap *= 2;
			v = bb_xrealloc(v, cap * sizeof *v);
		}
		v[nl].s = s;
		v[nl].n = n;
		nl++;
		p += n + (e ? 1 : 0);
	}
	*count = nl;
	return v;
}

/* A definition starts at line s: `:` after up to 3 spaces, then a space or
 * tab; returns the offset of its text (the rest of the line). */
static int
S_dd_start(const char *s, size_t n, size_t *text)
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
static void
S_deflist(S_state *st, S_line *L, size_t nl, size_t *k, const char *terms, size_t tn,
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
		if (!S_blank(terms + p, n)) {
			char *h = S_render_fragment(st, terms + p, n, 1, (unsigned)i);
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
		if (!S_dd_start(L[i].s, L[i].n, &t))
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
			size_t col = S_indent(L[i].s, L[i].n, &ib), tt;
			if (S_blank(L[i].s, L[i].n)) {
				bb_buf_putc(&dd, '\n');
				last_blank = 1;
				continue;
			}
			if (S_dd_start(L[i].s, L[i].n, &tt))
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
		while (i > start + 1 && S_blank(L[i - 1].s, L[i - 1].n)) {
			i--;
			if (dd.len && dd.data[dd.len - 1] == '\n')
				dd.len--;
		}
		h = S_render_fragment(st, dd.data ? dd.data : "", dd.len, !first_as_para, (unsigned)start + 1);
		bb_buf_puts(out, "<dd>");
		bb_buf_puts(out, h);
		bb_buf_puts(out, "</dd>\n");
		free(h);
		first_as_para = 0;
		/* a blank line before the next `:` wraps its first paragraph */
		if (i + 1 < nl && S_blank(L[i].s, L[i].n)) {
			size_t j = i;
			while (j < nl && S_blank(L[j].s, L[j].n))
				j++;
			if (j < nl && S_dd_start(L[j].s, L[j].n, &t)) {
				i = j;
				first_as_para = 1;
			}
		}
	}
	bb_buf_puts(out, "</dl>\n");
	/* the HTML block must end here */
	if (i < nl && !S_blank(L[i].s, L[i].n))
		bb_buf_putc(out, '\n');
	bb_buf_free(&dd);
	*k = i;
}

/* A block extension line `{::name attrs}`, `{::name /}` or `{:/name}`.
 * Returns 1 start, 2 self-closing, 3 stop; the name in [*nb, *ne). */
static int
S_ext_line(const char *s, size_t n, size_t *nb, size_t *ne)
{
	size_t i = 0, e = S_rtrim(s, n);
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (e < i + 4 || s[i] != '{' || s[i + 1] != ':' || s[e - 1] != '}')
		return 0;
	if (memchr(s + i + 1, '}', e - 1 - i - 1))
		return 0;
	if (s[i + 2] == '/') {
		*nb = i + 3;
		*ne = e - 1;
		return 3;
	}
	if (s[i + 2] != ':')
		return 0;
	*nb = i + 3;
	for (*ne = *nb; *ne < e && S_word((unsigned char)s[*ne]); (*ne)++)
		;
	if (*ne == *nb)
		return 0;
	return s[e - 2] == '/' ? 2 : 1;
}

/* Matches a block IAL line `{: ...}` / `{:...}` (not `{::`, `{:/`, an ALD). */
static int
S_ial_line(const char *s, size_t n, size_t *b, size_t *e)
{
	size_t i = 0, t = S_rtrim(s, n), x1, x2, x3, x4;
	/* inside list items and quotes too: indentation and `>` before it */
	while (i < n && i < 40 && (s[i] == ' ' || s[i] == '\t' || s[i] == '>'))
		i++;
	if (t < i + 3 || s[i] != '{' || s[i + 1] != ':' || s[t - 1] != '}' || memchr(s + i + 1, '}', t - 1 - i - 1))
		return 0;
	if (s[i + 2] == ':' || s[i + 2] == '/' || S_ald_line(s + i, n - i, &x1, &x2, &x3, &x4))
		return 0;
	*b = i + 2;
	*e = t - 1;
	return 1;
}

/* A table separator line: only |, :, +, spaces and - or =. */
static int
S_table_sep(const char *s, size_t n)
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
	while (i < n) {
		if (s[i] == '\\' && i + 1 < n) {
			i += 2;
			continue;
		}
		if (s[i] == '`') {
			size_t k = i, j;
			while (k < n && s[k] == '`')
				k++;
			for (j = k; j < n; j++)
				if (s[j] == '`') {
					size_t m = j;
					while (m < n && s[m] == '`')
						m++;
					if (m - j == k - i)
						break;
					j = m - 1;
				}
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
	return c;
}

/* kramdown's table without a header: a block whose every line holds a pipe
 * (cmark-gfm wants a header and a separator line). Writes it as an HTML
 * table of cells rendered like the rest; returns the index of the line after
 * it, or 0 when lines k.. are no such table. */
static size_t
S_plain_table(S_state *st, S_line *L, size_t nl, size_t k, bb_buf *out)
{
	size_t j, at[256];
	for (j = k; j < nl && j < k + 10000; j++) {
		if (S_blank(L[j].s, L[j].n))
			break;
		if (!S_pipes(L[j].s, L[j].n, at, 1))
			return 0;
	}
	if (j == k || (j < nl && !S_blank(L[j].s, L[j].n)))
		return 0;
	/* a separator in the second line: cmark-gfm's own table */
	if (k + 1 < j && S_table_sep(L[k + 1].s, L[k + 1].n))
		return 0;
	if (*st->frags + (j - k) * 2 > S_MAX_FRAGS)
		return 0;
	bb_buf_puts(out, "<table>\n<tbody>\n");
	for (; k < j; k++) {
		const char *s = L[k].s;
		size_t n = S_rtrim(s, L[k].n), np = S_pipes(s, n, at, 256), b = 0, c;
		if (S_table_sep(s, n))
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
			h = S_render_fragment(st, s + cb, ce - cb, 1, (unsigned)k + 1);
			bb_buf_puts(out, "<td>");
			bb_buf_puts(out, h);
			bb_buf_puts(out, "</td>");
			free(h);
			b = e + 1;
		}
		bb_buf_puts(out, "</tr>\n");
	}
	bb_buf_puts(out, "</tbody>\n</table>\n");
	return j;
}

/* kramdown's block HTML elements whose content it keeps raw (with
 * parse_block_html off, Jekyll's default). */
static const char *const S_html_blocks[] = {
	"address", "article", "aside", "audio", "blockquote", "center", "details", "dl", "div",
	"fieldset", "figure", "footer", "form", "header", "iframe", "math", "nav", "noscript", "ol",
	"p", "pre", "script", "section", "style", "table", "ul", "video", "canvas", "svg", NULL
};

/* A raw HTML block starting at line k (`<name ...>` of one of the above,
 * without a markdown attribute): returns the line holding its matching
 * end tag (nesting of the same name counted), or (size_t)-1. Blank lines
 * inside do not end it, as in kramdown (in cmark they would). */
static size_t
S_html_block(S_state *st, S_line *L, size_t nl, size_t k, size_t ib)
{
	const char *s = L[k].s + ib;
	size_t n = L[k].n - ib, nm, j, i;
	int depth = 0, any_blank = 0;
	const char *name = NULL;
	if (n < 3 || s[0] != '<' || !isalpha((unsigned char)s[1]))
		return (size_t)-1;
	for (nm = 1; nm < n && isalnum((unsigned char)s[nm]); nm++)
		;
	if (nm < n && s[nm] != '>' && s[nm] != ' ' && s[nm] != '\t')
		return (size_t)-1;
	for (i = 0; S_html_blocks[i]; i++)
		if (strlen(S_html_blocks[i]) == nm - 1 && S_strncasecmp(s + 1, S_html_blocks[i], nm - 1) == 0)
			name = S_html_blocks[i];
	if (!name || S_memmem(s, n, "markdown=", 9))
		return (size_t)-1;
	nm--;
	for (j = k; j < nl && j < k + 5000 && st->scan < S_MAX_SCAN; j++, st->scan++) {
		const char *t = j == k ? s : L[j].s;
		size_t tn = j == k ? n : L[j].n, p;
		if (S_blank(t, tn))
			any_blank = 1;
		for (p = 0; p + nm + 1 < tn; p++) {
			if (t[p] != '<')
				continue;
			if (t[p + 1] == '/' && p + nm + 2 <= tn && S_strncasecmp(t + p + 2, name, nm) == 0 &&
			    (p + nm + 2 == tn || t[p + nm + 2] == '>' || t[p + nm + 2] == ' ')) {
				if (--depth == 0)
					return any_blank ? j : (size_t)-1;
			} else if (S_strncasecmp(t + p + 1, name, nm) == 0 &&
				   (p + nm + 1 == tn || t[p + nm + 1] == '>' || t[p + nm + 1] == ' ' || t[p + nm + 1] == '\t'))
				depth++;
		}
	}
	return (size_t)-1;
}

/* The block structure S_pass follows, line by line. */
typedef struct {
	S_line *L;                     /* the lines */
	size_t nl;
	int kind, prev_blank, in_list, next_ial;
	size_t blk_start;              /* where the current block's lines begin in out */
	size_t para_start, para_end;
	int para_before_blank;         /* the block before the last blank line was a paragraph */
	int blanks;
	int kd;                        /* kramdown's rules, not CommonMark's */
	size_t tbl;                    /* lines of the table going on */
} S_blk;

static void S_pass(S_state *st, const char *md, size_t len, bb_buf *out);

/* Writes the line s[0..n) and its newline. */
static void
S_put_line(bb_buf *out, const char *s, size_t n)
{
	bb_buf_put(out, s, n);
	bb_buf_putc(out, '\n');
}

/* The block before ends as at a blank line. */
static void
S_block_done(S_blk *bk, const bb_buf *out)
{
	bk->prev_blank = 1;
	bk->kind = K_NONE;
	bk->blk_start = out->len;
}

/* A line {::name} ... {:/name} of kramdown's extensions (comment,
 * nomarkdown, options and unknown ones), {::name /}, or a stop tag alone, at
 * line *kp: written to out, *kp moved to its last line; 1 when it was one. */
static int
S_extension(S_state *st, S_blk *bk, size_t *kp, size_t ib, bb_buf *out)
{
	size_t k = *kp, a, b;
	const char *s = bk->L[k].s;
	size_t n = bk->L[k].n;
	unsigned line = (unsigned)k + 1;
	int x = S_ext_line(s, n, &a, &b);
	if (x == 1) {
		size_t j;
		int comment = b - a == 7 && strncmp(s + a, "comment", 7) == 0;
		int nomd = b - a == 10 && strncmp(s + a, "nomarkdown", 10) == 0;
		int opts = b - a == 7 && strncmp(s + a, "options", 7) == 0;
		for (j = k + 1; j < bk->nl; j++) {
			size_t a2, b2;
			if (++st->scan > S_MAX_SCAN) {
				j = bk->nl;
				break;
			}
			if (S_ext_line(bk->L[j].s, bk->L[j].n, &a2, &b2) == 3 &&
			    (b2 == a2 || (b2 - a2 == b - a && memcmp(bk->L[j].s + a2, s + a, b - a) == 0)))
				break;
		}
		if (j == bk->nl) {
			S_diag(st, BB_KRAMDOWN_WARNING, line, (unsigned)ib + 1,
			       "kramdown: no stop tag for extension '%.*s': the tag dropped, the text kept",
			       (int)(b - a), s + a);
			bb_buf_putc(out, '\n');
			return 1;
		}
		if (nomd) {
			size_t q;
			if (!bk->prev_blank)
				bb_buf_putc(out, '\n');
			bb_buf_puts(out, "<div class=\"bb-nomarkdown\">\n");
			for (q = k + 1; q < j; q++) {
				if (S_blank(bk->L[q].s, bk->L[q].n))
					bb_buf_puts(out, "<!-- -->");
				else
					bb_buf_put(out, bk->L[q].s, bk->L[q].n);
				bb_buf_putc(out, '\n');
			}
			bb_buf_puts(out, "</div>\n\n");
		} else {
			size_t q;
			if (!comment && !opts)
				S_diag(st, BB_KRAMDOWN_WARNING, line, (unsigned)ib + 1,
				       "kramdown: unknown extension '%.*s': its text kept",
				       (int)(b - a), s + a);
			if (comment || opts)
				for (q = k; q <= j; q++)
					bb_buf_putc(out, '\n');
			else {
				bb_buf_putc(out, '\n');
				S_pass(st, bk->L[k + 1].s, (size_t)(bk->L[j].s - bk->L[k + 1].s), out);
				bb_buf_putc(out, '\n');
			}
		}
		*kp = j;
		S_block_done(bk, out);
		return 1;
	}
	if (x == 2) {   /* {::options ... /}, {::comment /} */
		bb_buf_putc(out, '\n');
		S_block_done(bk, out);
		return 1;
	}
	if (x == 3) {
		S_diag(st, BB_KRAMDOWN_WARNING, line, (unsigned)ib + 1,
		       "kramdown: extension stop tag without a start: dropped");
		bb_buf_putc(out, '\n');
		return 1;
	}
	return 0;
}

/* An ATX heading line (s starts with #) as kramdown or CommonMark reads it
 * (kramdown needs no space after the #s, but a block boundary before): 1
 * when the line was written to out. */
static int
S_atx(S_state *st, S_blk *bk, const char *s, size_t n, int boundary, bb_buf *out, unsigned line)
{
	size_t lv = 0;
	while (lv < n && lv < 7 && s[lv] == '#')
		lv++;
	if (lv <= 6) {
		int sp = lv < n && (s[lv] == ' ' || s[lv] == '\t');
		size_t e = S_rtrim(s, n);
		int empty;
		while (e > lv && s[e - 1] == '#')
			e--;
		empty = S_blank(s + lv, e - lv);
		if (empty && (bk->kd || lv == n || s[lv] == ' ' || s[lv] == '\t' || s[lv] == '#')) {
			/* kramdown: `##` alone is no heading, only text */
			if (bk->kind == K_NONE || bk->kind == K_HEADING || bk->kind == K_CODE) {
				bk->kind = K_PARA;
				bk->blk_start = bk->para_start = out->len;
			}
			bb_buf_putc(out, '\\');
			bb_buf_put(out, s, n);
			bb_buf_putc(out, '\n');
			bk->para_end = out->len;
			bk->prev_blank = bk->next_ial = 0;
			return 1;
		}
		if (bk->kd) {
			if (boundary && !empty) {
				S_heading(st, s, n, lv, out, line);
				bk->kind = K_HEADING;
				bk->prev_blank = bk->next_ial = 0;
				bk->blk_start = out->len;
				return 1;
			}
			if (bk->kind == K_PARA || bk->kind == K_HEADING) {
				/* kramdown: no heading inside a paragraph or right after one */
				bb_buf_putc(out, '\\');
				S_inline(st, s, n, out, line);
				bb_buf_putc(out, '\n');
				return 1;
			}
		} else if (sp && !empty) {
			S_heading(st, s, n, lv, out, line);
			bk->kind = K_HEADING;
			bk->prev_blank = bk->next_ial = 0;
			bk->blk_start = out->len;
			return 1;
		}
	}
	return 0;
}

/* An IAL on a line of its own, s[a..b) its attributes: {:toc} becomes the
 * table of contents; other attributes a marker for the block before it, or,
 * after a blank line, for the block after it. */
static void
S_ial_alone(S_state *st, S_blk *bk, const char *s, size_t a, size_t b, bb_buf *out, unsigned line)
{
	S_attrs at;
	memset(&at, 0, sizeof at);
	S_parse_attrs(st, s + a, b - a, &at, line, (unsigned)a - 1, 0);
	if (at.toc) {
		if (bk->kind == K_LIST)
			out->len = bk->blk_start;
		else if (!bk->prev_blank)
			bb_buf_putc(out, '\n');
		bb_buf_puts(out, "<nav class=\"bb-toc\"></nav>\n\n");
		S_block_done(bk, out);
	} else if (!bk->prev_blank) {
		bb_buf_put(out, s, a - 2);
		S_put_marker(out, "bb-ial", &at);
		bb_buf_putc(out, '\n');
	} else {
		bb_buf_put(out, s, a - 2);
		S_put_marker(out, "bb-ial-next", &at);
		bb_buf_putc(out, '\n');
		bk->next_ial = 1;
	}
	if (out->data)
		out->data[out->len] = '\0';
	S_attrs_free(&at);
}

/* kramdown: a list item or quote line does not interrupt a paragraph;
 * the line (indented by ib) goes on the paragraph, its marker escaped. */
static void
S_lazy_line(S_state *st, const char *s, size_t n, size_t ib, bb_buf *out, unsigned line)
{
	size_t m = S_list_marker(s, n);
	if (m && !(s[m - 1] == '.' || s[m - 1] == ')')) {
		bb_buf_put(out, s, ib);
		bb_buf_putc(out, '\\');
		S_inline(st, s + ib, n - ib, out, line);
	} else if (m) {
		bb_buf_put(out, s, m - 1);
		bb_buf_putc(out, '\\');
		S_inline(st, s + m - 1, n - m + 1, out, line);
	} else {
		bb_buf_put(out, s, ib);
		bb_buf_putc(out, '\\');
		S_inline(st, s + ib, n - ib, out, line);
	}
	bb_buf_putc(out, '\n');
}

/* A block of raw HTML holding blank lines, from line k: one HTML block
 * (its blank lines kept as empty comments); the index of its last line, or
 * (size_t)-1 when there is none. */
static size_t
S_html_lines(S_state *st, S_blk *bk, size_t k, size_t ib, bb_buf *out)
{
	size_t j = S_html_block(st, bk->L, bk->nl, k, ib), q;
	if (j == (size_t)-1)
		return j;
	for (q = k; q <= j; q++) {
		if (S_blank(bk->L[q].s, bk->L[q].n))
			bb_buf_puts(out, "<!-- -->");
		else
			bb_buf_put(out, bk->L[q].s, bk->L[q].n);
		bb_buf_putc(out, '\n');
	}
	if (j + 1 < bk->nl && !S_blank(bk->L[j + 1].s, bk->L[j + 1].n))
		bb_buf_putc(out, '\n');
	S_block_done(bk, out);
	return j;
}

/* A blank line: the block before ends; what the definition lists need to
 * know of it is kept. */
static void
S_blank_line(S_blk *bk, const bb_buf *out)
{
	if (!bk->prev_blank) {
		bk->para_before_blank = bk->kind == K_PARA;
		bk->blanks = 0;
	}
	bk->blanks++;
	S_block_done(bk, out);
	bk->tbl = 0;
}

/* A definition at line *kp: the paragraph before it (out's last, or the one
 * before the blank line) holds the terms; *kp moves to the list's last line. */
static void
S_definition(S_state *st, S_blk *bk, size_t *kp, bb_buf *out)
{
	size_t tb = bk->prev_blank ? bk->para_start : bk->blk_start;
	size_t te = bk->prev_blank ? bk->para_end : out->len;
	char *terms = bb_xstrndup(out->data + tb, te - tb);
	int fap = bk->prev_blank;
	out->len = tb;
	S_deflist(st, bk->L, bk->nl, kp, terms, te - tb, fap, out);
	free(terms);
	(*kp)--;
	S_block_done(bk, out);
}

/* 1 when line s (col columns in) starts a block: after a blank line, a
 * heading or code; with GFM input (not kramdown's own) a list item also
 * interrupts a paragraph. */
static int
S_starts_block(const S_blk *bk, const char *s, size_t n, size_t col)
{
	return bk->kind == K_NONE || bk->kind == K_HEADING || bk->kind == K_CODE ||
	       (!bk->kd && bk->kind == K_PARA && col < 4 && S_list_marker(s, n));
}

/* The kind of the block that line s (indented by ib, col columns) starts. */
static void
S_block_start(S_blk *bk, const char *s, size_t n, size_t ib, size_t col, const bb_buf *out)
{
	bk->blk_start = out->len;
	if (S_list_marker(s, n)) {
		bk->kind = K_LIST;
		bk->in_list = 1;
	} else if (bk->in_list && col > 0) {
		bk->kind = K_LIST;
	} else if (s[ib] == '>' || s[ib] == '|' || s[ib] == '<') {
		bk->kind = K_OTHER;
	} else {
		bk->kind = K_PARA;
		bk->para_start = out->len;
	}
}

/* 1 when the fence of length f and char c opening line k is one for
 * kramdown (its FENCED_CODEBLOCK_MATCH, GFM's and its own): at most one
 * word after the fence, and a closing fence (as long or longer, nothing
 * after it) on a later line. kramdown reads any other as text: "```rb:
 * check.rb" opens no code block, and its closing ``` opens one instead. */
static int
S_kd_fence(const S_blk *bk, size_t k, size_t f, char c)
{
	const char *s = bk->L[k].s;
	size_t n = bk->L[k].n, i, j;
	S_indent(s, n, &i);
	i += f;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	if (!S_blank(s + i, n - i))
		return 0;
	for (j = k + 1; j < bk->nl; j++) {
		const char *t = bk->L[j].s;
		size_t m = bk->L[j].n, a = 0, e;
		while (a < m && a < 3 && t[a] == ' ')
			a++;
		for (e = a; e < m && t[e] == c; e++)
			;
		if (e - a >= f && S_blank(t + e, m - e))
			return 1;
	}
	return 0;
}

/* A line inside an open code fence (*flen: its length, fc: its
 * character) or $$ block (*math), copied as it is; the closing line
 * closes it. Returns 1 when the line was such a line. */
static int
S_inside(const char *s, size_t n, size_t *flen, char fc, int *math, bb_buf *out)
{
	size_t f, ib;
	char c2;
	if (*flen) {
		S_put_line(out, s, n);
		f = S_fence(s, n, &c2);
		S_indent(s, n, &ib);
		if (f >= *flen && c2 == fc && S_blank(s + ib + f, n - ib - f))
			*flen = 0;
		return 1;
	}
	if (*math) {
		S_put_line(out, s, n);
		if (S_memmem(s, n, "$$", 2))
			*math = 0;
		return 1;
	}
	return 0;
}

static void
S_pass(S_state *st, const char *md, size_t len, bb_buf *out)
{
	size_t k, flen = 0; /* flen: the open fence's length */
	S_blk blk, *bk = &blk;
	char fc = 0;        /* and its character */
	int math = 0;       /* 1: in a $$ block */

	memset(bk, 0, sizeof *bk);
	bk->L = S_lines(md, len, &bk->nl);
	bk->prev_blank = 1;
	bk->kind = K_NONE;
	bk->kd = st->o->input == BB_KRAMDOWN_KRAMDOWN || st->o->legacy_gfm;

	for (k = 0; k < bk->nl; k++) {
		const char *s = bk->L[k].s;
		size_t n = bk->L[k].n, ib, col, a, b, c, d, f, t;
		unsigned line = (unsigned)k + 1;
		char c2;
		int boundary = bk->prev_blank || bk->next_ial, nofence;

		if (S_inside(s, n, &flen, fc, &math, out))
			continue;
		if (S_blank(s, n)) {
			S_put_line(out, s, n);
			S_blank_line(bk, out);
			continue;
		}
		col = S_indent(s, n, &ib);
		if (col >= 4 && (bk->kind == K_NONE || bk->kind == K_CODE) && !bk->in_list) {
			S_put_line(out, s, n);
			bk->kind = K_CODE;
			bk->prev_blank = 0;
			continue;
		}
		if (bk->prev_blank && col == 0 && !S_list_marker(s, n))
			bk->in_list = 0;
		nofence = 0;
		if ((f = S_fence(s, n, &c2)) != 0 && col < 4 && !(nofence = !S_kd_fence(bk, k, f, c2))) {
			flen = f;
			fc = c2;
			S_put_line(out, s, n);
			bk->kind = K_OTHER;
			bk->prev_blank = bk->next_ial = 0;
			continue;
		}
		if (col < 4 && n >= ib + 2 && s[ib] == '$' && s[ib + 1] == '$' && !S_memmem(s + ib + 2, n - ib - 2, "$$", 2)) {
			math = 1;
			S_put_line(out, s, n);
			bk->kind = K_OTHER;
			bk->prev_blank = bk->next_ial = 0;
			continue;
		}
		/* {::comment} ... {:/comment} and friends on lines of their own */
		if (S_extension(st, bk, &k, ib, out))
			continue;
		if (S_ald_line(s, n, &a, &b, &c, &d) || S_abbr_line(s, n, &a, &b, &c, &d)) {
			bb_buf_putc(out, '\n');
			S_block_done(bk, out);
			continue;
		}
		if (S_ial_line(s, n, &a, &b)) {
			S_ial_alone(st, bk, s, a, b, out, line);
			continue;
		}
		/* a block of raw HTML holding blank lines: one HTML block */
		if (col < 4 && s[ib] == '<' && !(bk->in_list && col > 0) && (t = S_html_lines(st, bk, k, ib, out)) != (size_t)-1) {
			k = t;
			continue;
		}
		/* kramdown: a block of lines with pipes is a table, header or not */
		if (bk->kind == K_NONE && col < 4 && !bk->in_list && !S_list_marker(s, n) &&
		    s[ib] != '>' && s[ib] != '#' && s[ib] != '<' && *st->frags < S_MAX_FRAGS) {
			size_t q = S_plain_table(st, bk->L, bk->nl, k, out);
			if (q) {
				k = q - 1;
				S_block_done(bk, out);
				continue;
			}
		}
		/* a definition: the paragraph before holds the terms */
		if (S_dd_start(s, n, &t) && col < 4 && *st->frags < S_MAX_FRAGS &&
		    ((bk->kind == K_PARA && !bk->prev_blank) || (bk->prev_blank && bk->blanks == 1 && bk->para_before_blank && bk->para_end == bk->blk_start - 1 - (size_t)0))) {
			S_definition(st, bk, &k, out);
			continue;
		}
		/* ATX headings */
		if (s[0] == '#' && S_atx(st, bk, s, n, boundary, out, line))
			continue;
		/* kramdown: a separator line in a table's body starts another
		 * tbody (---) or the tfoot (===); the cells stay the same */
		if (s[ib] == '|' && bk->tbl >= 2 && S_table_sep(s + ib, n - ib)) {
			bk->tbl++;
			continue;
		}
		bk->tbl = s[ib] == '|' && col < 4 ? bk->tbl + 1 : 0;
		/* kramdown: a list or quote does not interrupt a paragraph */
		if (bk->kd && bk->kind == K_PARA && col < 4 && (S_list_marker(s, n) || s[ib] == '>')) {
			S_lazy_line(st, s, n, ib, out, line);
			continue;
		}
		if (S_starts_block(bk, s, n, col))
			S_block_start(bk, s, n, ib, col, out);
		if (nofence) {
			/* text, not a fence, for cmark too */
			bb_buf_put(out, s, ib);
			bb_buf_putc(out, '\\');
			S_inline(st, s + ib, n - ib, out, line);
		} else
			S_inline(st, s, n, out, line);
		bb_buf_putc(out, '\n');
		if (bk->kind == K_PARA)
			bk->para_end = out->len;
		bk->prev_blank = bk->next_ial = 0;
	}
	free(bk->L);
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
static void
S_put_abbr(const S_state *st, bb_buf *out)
{
	size_t i;
	if (!st->nabbr)
		return;
	bb_buf_puts(out, "\n\n<!--bb-abbr\n");
	for (i = 0; i < st->nabbr; i++) {
		S_put_comment_text(out, st->abbr[i].name);
		bb_buf_putc(out, '\t');
		S_put_comment_text(out, st->abbr[i].title ? st->abbr[i].title : "");
		bb_buf_putc(out, '\n');
	}
	bb_buf_puts(out, "-->\n");
}

char *
bb_kramdown_pass(const char *md, size_t len, const bb_kramdown_opts *o, size_t *out_len,
		 bb_kramdown_diag_fn diag, void *ud)
{
	S_state st;
	bb_buf out = BB_BUF_INIT;
	size_t i, frags = 0;

	memset(&st, 0, sizeof st);
	st.frags = &frags;
	st.o = o;
	st.diag = diag;
	st.ud = ud;
	S_prescan(&st, md, len);
	S_pass(&st, md, len, &out);
	S_put_abbr(&st, &out);
	for (i = 0; i < st.nabbr; i++) {
		free(st.abbr[i].name);
		free(st.abbr[i].title);
	}
	for (i = 0; i < st.nald; i++) {
		free(st.ald[i].name);
		free(st.ald[i].body);
	}
	free(st.abbr);
	free(st.ald);
	bb_buf_free(&st.refdefs);
	if (!out.data)
		bb_buf_puts(&out, "");
	return bb_buf_detach(&out, out_len);
}

/* ---- the tree pass: typography, smart quotes, abbreviations ---- */

typedef struct S_tree {
	const bb_kramdown_opts *o;
	S_abbr *abbr;
	size_t nabbr;
	unsigned char first[256];  /* bytes an abbreviation starts with */
	size_t work;               /* comparisons made, bounded */
} S_tree;

static int
S_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

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
	return S_word(c) || c >= 0x80;
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
	if (q0 && (c1 == '_' || c1 == '*') && c2 && !S_space(c2)) {
		bb_buf_puts(out, S_quote((char)c0, 1));
		return m + 1;
	}
	/* 2: ("|')(?=PUNCT(?!\.\.)\B) */
	if (q0 && S_sq_punct(c1) && !(c2 == '.' && c3 == '.') && !S_uword(c2)) {
		bb_buf_puts(out, S_quote((char)c0, 0));
		return m + 1;
	}
	/* 3, 4, 5: (\s?)"'(?=\w), (\s?)'"(?=\w), (\s?)'(?=\d\ds) */
	o = S_space(c0) ? m + 1 : m;
	if ((C(o) == '"' && C(o + 1) == '\'' && S_word(C(o + 2))) ||
	    (C(o) == '\'' && C(o + 1) == '"' && S_word(C(o + 2)))) {
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
	if (S_space(c0) && q1 && S_word(c2)) {
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
	if (q0 && (c1 == 0 || S_space(c1) || (c1 == 's' && !S_uword(c2)))) {
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
static void
S_typo(const bb_kramdown_opts *o, const char *s, size_t n, size_t a, size_t b, bb_buf *out)
{
	size_t i = a, p = a;
	while (i < b) {
		int c = (unsigned char)s[i];
		int nx = i + 1 < b ? (unsigned char)s[i + 1] : 0;
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

/* Length of a math span at s[i] ($$...$$ or $...$ as TeX writers use it), or 0. */
static size_t
S_math_span(const char *s, size_t n, size_t i)
{
	size_t j;
	if (s[i] != '$')
		return 0;
	if (i + 1 < n && s[i + 1] == '$') {
		for (j = i + 2; j + 1 < n; j++)
			if (s[j] == '$' && s[j + 1] == '$')
				return j + 2 - i;
		return 0;
	}
	if (i + 1 >= n || S_space((unsigned char)s[i + 1]))
		return 0;
	for (j = i + 1; j < n && s[j] != '\n'; j++) {
		if (s[j] == '\\') {
			j++;
			continue;
		}
		if (s[j] == '$') {
			if (S_space((unsigned char)s[j - 1]) || (j + 1 < n && isdigit((unsigned char)s[j + 1])))
				return 0;
			return j + 1 - i;
		}
	}
	return 0;
}

/* Wraps the abbreviations of text s[0..n) (kramdown: not after a word
 * character, not before one) and appends the result as nodes before
 * `before` (under its parent). prevw: the character before s is a word one. */
static void
S_abbr_nodes(S_tree *t, const char *s, size_t n, int prevw, cmark_node *before)
{
	size_t i = 0, p = 0;
	bb_buf tx = BB_BUF_INIT, h = BB_BUF_INIT;
	while (i <= n) {
		size_t best = 0, k, bi = 0;
		if (i < n && t->first[(unsigned char)s[i]] && t->work < S_MAX_ABBR_WORK &&
		    !(i == 0 ? prevw : S_word((unsigned char)s[i - 1]))) {
			t->work += t->nabbr;
			for (k = 0; k < t->nabbr; k++) {
				size_t ln = strlen(t->abbr[k].name);
				if (ln > best && i + ln <= n && memcmp(s + i, t->abbr[k].name, ln) == 0 &&
				    !(i + ln < n && S_word((unsigned char)s[i + ln]))) {
					best = ln;
					bi = k;
				}
			}
		}
		if (i == n || best) {
			if (i > p) {
				cmark_node *x = cmark_node_new(CMARK_NODE_TEXT);
				bb_buf_reset(&tx);
				bb_buf_put(&tx, s + p, i - p);
				cmark_node_set_literal(x, tx.data);
				cmark_node_insert_before(before, x);
			}
			if (i == n)
				break;
			{
				cmark_node *x = cmark_node_new(CMARK_NODE_HTML_INLINE);
				const char *ti = t->abbr[bi].title ? t->abbr[bi].title : "";
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

/* The character kramdown would see in the source just before (after=0) or
 * after (after=1) node x, standing for its markup. */
static char
S_ctx(cmark_node *x, int after)
{
	if (!x)
		return after ? 0 : 0;
	switch (cmark_node_get_type(x)) {
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG:
		return '*';
	case CMARK_NODE_CODE:
		return '`';
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		return after ? '[' : ')';
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		return '\n';
	case CMARK_NODE_HTML_INLINE:
		return after ? '<' : '>';
	case CMARK_NODE_TEXT: {
		const char *l = cmark_node_get_literal(x);
		size_t n = l ? strlen(l) : 0;
		if (!n)
			return 0;
		return after ? l[0] : l[n - 1];
	}
	default:
		return 'x';
	}
}

/* Appends a text node holding s[0..n) before `before`. */
static void
S_text_before(cmark_node *before, const char *s, size_t n, bb_buf *tmp)
{
	cmark_node *x;
	if (!n)
		return;
	x = cmark_node_new(CMARK_NODE_TEXT);
	bb_buf_reset(tmp);
	bb_buf_put(tmp, s, n);
	cmark_node_set_literal(x, tmp->data);
	cmark_node_insert_before(before, x);
}

/* Converts the runs of text nodes directly under parent. Math spans are
 * found in the parent's whole inline text (display math runs over soft
 * breaks) and left alone. */
static void
S_tree_children(S_tree *t, cmark_node *parent)
{
	cmark_node *x;
	bb_buf flat = BB_BUF_INIT, res = BB_BUF_INIT, ctx = BB_BUF_INIT, tmp = BB_BUF_INIT;
	char *prot = NULL;
	size_t fpos = 0, i;

	/* the inline text: literals, a newline for breaks, 0x01 for the rest */
	for (x = cmark_node_first_child(parent); x; x = cmark_node_next(x)) {
		cmark_node_type ty = cmark_node_get_type(x);
		if (ty == CMARK_NODE_TEXT) {
			const char *l = cmark_node_get_literal(x);
			bb_buf_puts(&flat, l ? l : "");
		} else if (ty == CMARK_NODE_SOFTBREAK || ty == CMARK_NODE_LINEBREAK)
			bb_buf_putc(&flat, '\n');
		else
			bb_buf_putc(&flat, '\x01');
	}
	if (!flat.len)
		goto out;
	prot = bb_xcalloc(flat.len + 1, 1);
	for (i = 0; i < flat.len;) {
		size_t m = S_math_span(flat.data, flat.len, i);
		if (m) {
			memset(prot + i, 1, m);
			i += m;
		} else
			i++;
	}

	x = cmark_node_first_child(parent);
	while (x) {
		cmark_node *first = x, *y, *next;
		char pc, nc;
		size_t fa = fpos, fb, p, q;
		int prevw;
		cmark_node_type ty = cmark_node_get_type(x);
		if (ty != CMARK_NODE_TEXT) {
			fpos += 1;
			x = cmark_node_next(x);
			continue;
		}
		for (y = x; y && cmark_node_get_type(y) == CMARK_NODE_TEXT; y = cmark_node_next(y)) {
			const char *l = cmark_node_get_literal(y);
			fpos += l ? strlen(l) : 0;
		}
		next = y;
		fb = fpos;
		pc = S_ctx(cmark_node_previous(first), 0);
		if (next)
			nc = S_ctx(next, 1);
		else {
			cmark_node_type pt = cmark_node_get_type(parent);
			nc = pt == CMARK_NODE_EMPH || pt == CMARK_NODE_STRONG ? '_' :
			     pt == CMARK_NODE_LINK || pt == CMARK_NODE_IMAGE ? ']' : 0;
		}
		prevw = pc && S_word((unsigned char)pc) && cmark_node_get_type(cmark_node_previous(first)) == CMARK_NODE_TEXT;
		/* pieces: protected (math) as they are, the rest converted */
		for (p = fa; p < fb; p = q) {
			int pr = prot[p];
			for (q = p; q < fb && prot[q] == pr; q++)
				;
			if (pr) {
				S_text_before(first, flat.data + p, q - p, &tmp);
				continue;
			}
			/* the piece and what follows it, for the rules' look-ahead */
			bb_buf_reset(&ctx);
			bb_buf_put(&ctx, flat.data + p, q - p);
			if (q < fb)
				bb_buf_putc(&ctx, '$');
			else if (nc == '*')
				bb_buf_puts(&ctx, "*a");
			else if (nc)
				bb_buf_putc(&ctx, nc);
			bb_buf_reset(&res);
			S_typo(t->o, ctx.data, ctx.len, 0, q - p, &res);
			if (t->nabbr)
				S_abbr_nodes(t, res.data ? res.data : "", res.len, p == fa ? prevw : 0, first);
			else
				S_text_before(first, res.data ? res.data : "", res.len, &tmp);
		}
		for (y = first; y != next;) {
			cmark_node *z = cmark_node_next(y);
			cmark_node_free(y);
			y = z;
		}
		x = next;
	}
out:
	free(prot);
	bb_buf_free(&flat);
	bb_buf_free(&res);
	bb_buf_free(&ctx);
	bb_buf_free(&tmp);
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

/* Reads (and removes) the bb-abbr blocks of doc into t. */
static void
S_read_abbr(S_tree *t, cmark_node *doc)
{
	cmark_node *x = cmark_node_first_child(doc), *next;
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
			if (tab && tab > l && t->nabbr < S_MAX_ABBR) {
				t->abbr = bb_xrealloc(t->abbr, (t->nabbr + 1) * sizeof *t->abbr);
				t->abbr[t->nabbr].name = S_uncomment(l, (size_t)(tab - l));
				t->abbr[t->nabbr].title = S_uncomment(tab + 1, n - (size_t)(tab + 1 - l));
				t->nabbr++;
			}
			l += n + (e ? 1 : 0);
		}
		cmark_node_free(x);
	}
}

int
bb_kramdown_tree(cmark_node *doc, const bb_kramdown_opts *o)
{
	S_tree t;
	cmark_node *x;
	size_t i;
	memset(&t, 0, sizeof t);
	t.o = o;
	S_read_abbr(&t, doc);
	for (i = 0; i < t.nabbr; i++)
		t.first[(unsigned char)t.abbr[i].name[0]] = 1;
	if (!o->typographic && !o->smart_quotes && !t.nabbr)
		goto out;
	/* a walk without recursion: the children of a node are converted
	 * before it is entered */
	S_tree_children(&t, doc);
	x = cmark_node_first_child(doc);
	while (x) {
		cmark_node_type ty = cmark_node_get_type(x);
		cmark_node *c = NULL;
		if (ty != CMARK_NODE_CODE_BLOCK && ty != CMARK_NODE_HTML_BLOCK && ty != CMARK_NODE_CODE &&
		    ty != CMARK_NODE_HTML_INLINE && ty != CMARK_NODE_TEXT) {
			S_tree_children(&t, x);
			c = cmark_node_first_child(x);
		}
		if (c) {
			x = c;
			continue;
		}
		while (x && x != doc && !cmark_node_next(x))
			x = cmark_node_parent(x);
		if (!x || x == doc)
			break;
		x = cmark_node_next(x);
	}
out:
	for (i = 0; i < t.nabbr; i++) {
		free(t.abbr[i].name);
		free(t.abbr[i].title);
	}
	free(t.abbr);
	return 0;
}
