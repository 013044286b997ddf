/* goldmark.c: Hugo's goldmark beyond cmark-gfm, over cmark's tree: the
 * typographer with goldmark's rules, and heading attributes {#id .class}. */
#define _POSIX_C_SOURCE 200809L
#include "cmarkmem.h"
#include "goldmark.h"
#include "autolink.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define GM_LOOK 12 /* bytes of what follows a text node that the rules see */

/* Unclosed quotes of the block being read (goldmark's counter). */
typedef struct gm_quotes {
	int single, dbl;
} gm_quotes;

void
bb_goldmark_opts_init(bb_goldmark_opts *o)
{
	o->typographer = 1;
	o->heading_attrs = 1;
	o->linkify = 1;
}

/* A setting at path: a boolean, or a table whose disable is true. */
static int
S_flag(const bb_fm_node *config, const char *path, int def)
{
	const bb_fm_node *v = bb_fm_path(config, path, 1), *d;
	if (!v)
		return def;
	if (v->kind == BB_FM_MAP)
		return (d = bb_fm_path(v, "disable", 1)) && d->kind == BB_FM_SCALAR && d->value &&
				       strcmp(d->value, "true") == 0
			       ? 0
			       : def;
	if (v->kind == BB_FM_SCALAR && v->value)
		return strcmp(v->value, "false") == 0 ? 0 : strcmp(v->value, "true") == 0 ? 1 : def;
	return def;
}

void
bb_goldmark_opts_config(bb_goldmark_opts *o, const bb_fm_node *config)
{
	bb_goldmark_opts_init(o);
	if (!config)
		return;
	o->typographer = S_flag(config, "markup.goldmark.extensions.typographer", 1);
	o->linkify = S_flag(config, "markup.goldmark.extensions.linkify", 1);
	o->heading_attrs = S_flag(config, "markup.goldmark.parser.attribute.title", 1);
}

/* ---- Go's character classes (unicode and goldmark's util) ---- */

static int
S_ascii_punct(unsigned r)
{
	return r < 0x80 && r > 0x20 && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", (int)r) != NULL;
}

/* unicode.IsSpace */
static int
S_space(unsigned r)
{
	return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0 || r == 0x1680 ||
	       (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000;
}

/* unicode.IsPunct: ASCII symbols ($+<=>^`|~) are not punctuation there */
static int
S_punct(unsigned r)
{
	if (r < 0x80)
		return S_ascii_punct(r) && !strchr("$+<=>^`|~", (int)r);
	return r == 0xA1 || r == 0xA7 || r == 0xAB || r == 0xB6 || r == 0xB7 || r == 0xBB || r == 0xBF ||
	       (r >= 0x2010 && r <= 0x2027) || (r >= 0x2030 && r <= 0x205E && r != 0x2044 && r != 0x2052) ||
	       (r >= 0x3001 && r <= 0x3003) || (r >= 0x3008 && r <= 0x3011) || (r >= 0x3014 && r <= 0x301F) ||
	       r == 0x30FB || (r >= 0xFE10 && r <= 0xFE19) || (r >= 0xFE30 && r <= 0xFE6B) ||
	       (r >= 0xFF01 && r <= 0xFF0F && r != 0xFF04 && r != 0xFF0B) || r == 0xFF1A || r == 0xFF1B ||
	       r == 0xFF1F || r == 0xFF20 || (r >= 0xFF3B && r <= 0xFF3D) || r == 0xFF3F || r == 0xFF5B ||
	       r == 0xFF5D || (r >= 0xFF5F && r <= 0xFF65);
}

/* util.IsPunctRune: ASCII symbols count too */
static int
S_punct_rune(unsigned r)
{
	return S_ascii_punct(r) || S_punct(r);
}

static int
S_digit(unsigned r)
{
	return (r >= '0' && r <= '9') || (r >= 0xFF10 && r <= 0xFF19);
}

/* unicode.IsLetter, near enough: what is not a blank, punctuation,
 * digit or one of the symbol blocks */
static int
S_letter(unsigned r)
{
	if (r < 0x80)
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
	return r >= 0xAA && r != 0xD7 && r != 0xF7 && !(r >= 0xAC && r <= 0xBF && r != 0xAA && r != 0xB5 && r != 0xBA) &&
	       !S_space(r) && !S_punct(r) && !S_digit(r) && !(r >= 0x2000 && r <= 0x2BFF) && !(r >= 0x3000 && r <= 0x303F) &&
	       !(r >= 0xFE00 && r <= 0xFE6F) && !(r >= 0xFF00 && r <= 0xFF20) && !(r >= 0x1F000 && r <= 0x1FAFF);
}

/* The rune at byte i of s[0..n) (util.ToRune), ' ' past the end. */
static unsigned
S_rune_at(const char *s, size_t n, size_t i)
{
	unsigned cp;
	if (i >= n)
		return ' ';
	if (bb_utf8_decode((const unsigned char *)s + i, n - i, &cp) <= 0)
		return (unsigned char)s[i];
	return cp;
}

/* The rune ending just before byte i of s, or dflt at the start. */
static unsigned
S_rune_before(const char *s, size_t i, unsigned dflt)
{
	size_t k = i;
	if (!i)
		return dflt;
	while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80 && i - k < 3)
		k--;
	if (k > 0)
		k--;
	return S_rune_at(s, i, k);
}

#define GM_LSQUO "\xe2\x80\x98"
#define GM_RSQUO "\xe2\x80\x99"
#define GM_LDQUO "\xe2\x80\x9c"
#define GM_RDQUO "\xe2\x80\x9d"

/* goldmark's rules for a quote c at line[0] (line[0..L) is the rest of the
 * source line, its new line included): what to write, or NULL for the
 * quote itself. */
static const char *
S_quote(const char *line, size_t L, unsigned before, gm_quotes *q)
{
	char c = line[0];
	size_t j = 1;
	unsigned after, r1;
	int bws, bp, aws, ap, open, close;
	while (j < L && j < 64 && line[j] == c)
		j++; /* (a run longer than 64 is read as punctuation after it) */
	after = j < L ? S_rune_at(line, L, j) : ' ';
	bws = S_space(before), bp = S_punct_rune(before);
	aws = S_space(after), ap = S_punct_rune(after);
	open = !aws && (!ap || bws || bp);
	close = !bws && (!bp || aws || ap);
	if (!open && !close)
		return NULL;
	r1 = L > 1 ? S_rune_at(line, L, 1) : ' ';
	if (c == '\'') {
		/* '90s */
		if (open && !close && L > 3 && S_digit((unsigned char)line[1]) && S_digit((unsigned char)line[2]) &&
		    line[3] == 's') {
			unsigned a4 = L > 4 ? S_rune_at(line, L, 4) : ' ';
			if (L == 3 || S_space(a4) || S_punct_rune(a4))
				return GM_RSQUO;
		}
		/* 'twas, 'em, 'net */
		if (L > 1 && (S_punct(before) || S_space(before)) &&
		    (line[1] == 't' || line[1] == 'e' || line[1] == 'n' || line[1] == 'l'))
			return GM_RSQUO;
		/* between a letter or digit and a letter */
		if (L > 1 && (S_digit(before) || S_letter(before)) && S_letter(r1))
			return GM_RSQUO;
		if (open && !close) {
			/* Alice's, I'm, Don't, You'd; I've, I'll, You're */
			if ((L > 1 && strchr("smtd", line[1]) && line[1] &&
			     (L < 3 || S_ascii_punct((unsigned char)line[2]) || S_space((unsigned char)line[2]))) ||
			    (L > 2 &&
			     ((line[1] == 'v' && line[2] == 'e') || (line[1] == 'l' && line[2] == 'l') ||
			      (line[1] == 'r' && line[2] == 'e')) &&
			     (L < 4 || S_ascii_punct((unsigned char)line[3]) || S_space((unsigned char)line[3]))))
				return GM_RSQUO;
			q->single++;
			return GM_LSQUO;
		}
		/* Smiths', doin' (goldmark's test reads the quote itself as
		 * punctuation: any quote with two more bytes on its line and
		 * no digit after it) */
		if (L > 2 && !S_digit(r1))
			return GM_RSQUO;
		if (q->single > 0 &&
		    ((close && !open) ||
		     (close && open && L > 1 && S_punct(r1) &&
		      (L == 2 || (L > 2 && S_ascii_punct((unsigned char)line[2])) || S_space((unsigned char)line[2]))))) {
			q->single--;
			return GM_RSQUO;
		}
		return NULL;
	}
	if (open && !close) {
		q->dbl++;
		return GM_LDQUO;
	}
	if (q->dbl > 0 &&
	    ((close && !open) ||
	     (close && open && L > 1 && S_punct(r1) &&
	      (L == 2 || (L > 2 && S_ascii_punct((unsigned char)line[2])) || (L > 2 && S_space((unsigned char)line[2])))))) {
		/* "Monitor 21"" */
		if (L > 1 && line[1] == '"' && S_digit(before))
			return NULL;
		q->dbl--;
		return GM_RDQUO;
	}
	return NULL;
}

/* Converts s[0..n) (followed by look[0..ln), what the source has after it)
 * into out; before is the rune before s. */
static void
S_typo(const char *s, size_t n, const char *look, size_t ln, unsigned before, gm_quotes *q, bb_buf *out)
{
	char *buf = bb_xmalloc(n + ln + 1);
	size_t i = 0, total = n + ln, eol = 0;
	memcpy(buf, s, n);
	memcpy(buf + n, look, ln);
	buf[total] = '\0';
	while (i < n) {
		const char *line = buf + i, *nl;
		size_t L;
		/* the line's end, found once per line (text without new lines
		 * would otherwise cost a scan per character) */
		if (eol <= i) {
			nl = memchr(line, '\n', total - i);
			eol = nl ? (size_t)(nl - buf) + 1 : total;
		}
		L = eol - i;
		char c = line[0];
		const char *rep = NULL;
		size_t adv = 1;
		if (L > 2 && c == '-' && line[1] == '-' && line[2] == '-')
			rep = "\xe2\x80\x94", adv = 3;
		else if (L > 2 && c == '.' && line[1] == '.' && line[2] == '.')
			rep = "\xe2\x80\xa6", adv = 3;
		else if (L > 1 && c == '<' && line[1] == '<')
			rep = "\xc2\xab", adv = 2;
		else if (L > 1 && c == '>' && line[1] == '>')
			rep = "\xc2\xbb", adv = 2;
		else if (L > 1 && c == '-' && line[1] == '-')
			rep = "\xe2\x80\x93", adv = 2;
		else if (c == '\'' || c == '"')
			rep = S_quote(line, L, S_rune_before(buf, i, before), q);
		if (rep && i + adv <= n) {
			bb_buf_puts(out, rep);
			i += adv;
		} else {
			bb_buf_putc(out, c);
			i++;
		}
	}
	free(buf);
}

char *
bb_goldmark_typo(const char *s, size_t n, unsigned before)
{
	bb_buf out = BB_BUF_INIT;
	gm_quotes q = { 0, 0 };
	S_typo(s, n, "\n", 1, before ? before : '\n', &q, &out);
	bb_buf_put(&out, "", 0);
	return bb_buf_detach(&out, NULL);
}

/* The source character standing for node x's markup: at its start
 * (start=1) or end. */
static unsigned
S_mark(cmark_node *x, int start)
{
	const char *l;
	switch (cmark_node_get_type(x)) {
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		return '\n';
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG:
		return '*';
	case CMARK_NODE_CODE:
		return '`';
	case CMARK_NODE_LINK:
		return start ? '[' : ')';
	case CMARK_NODE_IMAGE:
		return start ? '!' : ')';
	case CMARK_NODE_HTML_INLINE:
		l = cmark_node_get_literal(x);
		return start ? '<' : (l && *l ? (unsigned char)l[strlen(l) - 1] : '>');
	default:
		if ((cmark_node_get_type(x) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK)
			return '\n';
		return '~'; /* strikethrough and other extensions' spans */
	}
}

/* What the source has after text node x, up to GM_LOOK bytes. */
static void
S_look(cmark_node *x, bb_buf *o)
{
	cmark_node *y;
	while (o->len < GM_LOOK) {
		for (y = cmark_node_next(x); y && o->len < GM_LOOK; y = cmark_node_next(y)) {
			if (cmark_node_get_type(y) == CMARK_NODE_TEXT) {
				const char *l = cmark_node_get_literal(y);
				bb_buf_puts(o, l ? l : "");
				continue;
			}
			bb_buf_putc(o, (int)S_mark(y, 1));
			return;
		}
		if (y)
			return;
		x = cmark_node_parent(x);
		if (!x || (cmark_node_get_type(x) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK) {
			bb_buf_putc(o, '\n');
			return;
		}
		/* the end of a span: its closing mark, then what follows it */
		bb_buf_putc(o, cmark_node_get_type(x) == CMARK_NODE_LINK || cmark_node_get_type(x) == CMARK_NODE_IMAGE
				       ? ']'
				       : (int)S_mark(x, 0));
	}
}

/* The rune before text node x in the source; last/last_rune: the text node
 * converted before it and its last rune as written. */
static unsigned
S_before(cmark_node *x, cmark_node *last, unsigned last_rune)
{
	cmark_node *p = cmark_node_previous(x);
	if (p)
		return p == last ? last_rune : S_mark(p, 0);
	p = cmark_node_parent(x);
	if (!p || (cmark_node_get_type(p) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK)
		return '\n';
	return cmark_node_get_type(p) == CMARK_NODE_LINK || cmark_node_get_type(p) == CMARK_NODE_IMAGE ? '['
													 : S_mark(p, 1);
}

static int
S_id_char(int c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && ((c >= '0' && c <= '9') || c == '-' ||
									  c == '_' || c == '.' || c == ':'));
}

/* A heading's trailing {#id .class key=value}: moved into a marker after
 * it. Returns 1 when it had one. */
static int
S_heading_attrs(cmark_node *h)
{
	cmark_node *t = cmark_node_last_child(h), *m;
	const char *l;
	size_t n, ob, i;
	bb_buf mk = BB_BUF_INIT;
	char *keep;
	if (!t || cmark_node_get_type(t) != CMARK_NODE_TEXT || !(l = cmark_node_get_literal(t)))
		return 0;
	n = strlen(l);
	while (n && (l[n - 1] == ' ' || l[n - 1] == '\t'))
		n--;
	if (n < 3 || l[n - 1] != '}')
		return 0;
	for (ob = n - 1; ob > 0 && l[ob] != '{'; ob--)
		;
	if (l[ob] != '{' || (l[ob + 1] != '#' && l[ob + 1] != '.'))
		return 0;
	bb_buf_puts(&mk, "<!--bb-ial");
	for (i = ob + 1; i < n - 1;) {
		size_t b, b2;
		char k = l[i];
		if (l[i] == ' ') {
			i++;
			continue;
		}
		if (k == '#' || k == '.') {
			for (b = ++i; i < n - 1 && S_id_char((unsigned char)l[i], i == b); i++)
				;
			if (i == b || (i < n - 1 && l[i] != ' ')) {
				bb_buf_free(&mk);
				return 0;
			}
			/* "--" may not stand in a comment */
			for (b2 = b; b2 + 1 < i && !(l[b2] == '-' && l[b2 + 1] == '-'); b2++)
				;
			if (b2 + 1 < i)
				continue;
			bb_buf_printf(&mk, " %c%.*s", k, (int)(i - b), l + b);
			continue;
		}
		/* key=value, key="value": kept out of the book */
		for (; i < n - 1 && l[i] != ' '; i++)
			if (l[i] == '"')
				for (i++; i < n - 1 && l[i] != '"'; i++)
					;
	}
	bb_buf_puts(&mk, "-->\n");
	keep = bb_xstrndup(l, ob);
	for (i = strlen(keep); i && (keep[i - 1] == ' ' || keep[i - 1] == '\t'); i--)
		keep[i - 1] = '\0';
	cmark_node_set_literal(t, keep);
	free(keep);
	m = bb_cmark_node_new(CMARK_NODE_HTML_BLOCK);
	cmark_node_set_literal(m, mk.data);
	cmark_node_insert_after(h, m);
	bb_buf_free(&mk);
	return 1;
}

/* The headings of doc, in order (caller frees), their count in *n. */
static cmark_node **
S_headings(cmark_node *doc, size_t *n)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node **heads = NULL;
	size_t cap = 0;
	*n = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *x = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(x) != CMARK_NODE_HEADING)
			continue;
		if (*n == cap)
			heads = bb_xrealloc(heads, (cap = cap ? cap * 2 : 16) * sizeof *heads);
		heads[(*n)++] = x;
	}
	cmark_iter_free(it);
	return heads;
}

int
bb_goldmark_tree(cmark_node *doc, const bb_goldmark_opts *o)
{
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node *last = NULL;
	unsigned last_rune = '\n';
	gm_quotes q = { 0, 0 };
	bb_buf look = BB_BUF_INIT, out = BB_BUF_INIT;
	int r = 0;
	if (o->heading_attrs) {
		/* first, before quotes in key="value" turn curly; the markers
		 * are new nodes, not added while a walk runs */
		size_t nh, i;
		cmark_node **heads = S_headings(doc, &nh);
		for (i = 0; i < nh; i++)
			r += S_heading_attrs(heads[i]);
		free(heads);
	}
	if (!o->typographer)
		return r;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *x = cmark_iter_get_node(it);
		cmark_node_type ty = cmark_node_get_type(x);
		const char *l;
		size_t n;
		unsigned before;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if ((ty & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK) {
			q.single = q.dbl = 0; /* goldmark resets at each block's end */
			continue;
		}
		if (ty != CMARK_NODE_TEXT || !(l = cmark_node_get_literal(x)) || !*l)
			continue;
		if (bb_autolink_is_text(x)) {
			/* linkify took the URL before the typographer saw it */
			last = x;
			last_rune = '/';
			continue;
		}
		n = strlen(l);
		before = S_before(x, last, last_rune);
		last = x;
		last_rune = S_rune_before(l, n, '\n');
		if (!strpbrk(l, "'\"-.<>"))
			continue;
		bb_buf_reset(&look);
		bb_buf_reset(&out);
		S_look(x, &look);
		S_typo(l, n, look.data ? look.data : "", look.len, before, &q, &out);
		bb_buf_put(&out, "", 0);
		cmark_node_set_literal(x, out.data);
	}
	cmark_iter_free(it);
	bb_buf_free(&look);
	bb_buf_free(&out);
	return r;
}
