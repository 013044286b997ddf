/* render.c: the render stage: Liquid, segments, Markdown through cmark-gfm,
 * then libxml2's HTML parser, and one walk that writes well-formed, inert
 * XHTML while it collects headings, images and links. */
#define _POSIX_C_SOURCE 200809L
#include "render.h"
#include "fetch.h"
#include "cjk.h"
#include "liquid.h"
#include "stitch.h"
#include "util.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Raw HTML nested deeper than this loses its outer tags (its text stays). */
#define MAX_DEPTH 200
/* Headings of one post shown in the table of contents. */
#define MAX_NAV_HEADINGS 1000
/* Elements one post's Markdown may make (cmark nodes, and tags in its raw
 * HTML): libxml2's tree costs some hundreds of bytes for each, and a post of
 * a million one-line headings would cost over a gigabyte. The rest of such
 * a post is kept as plain text. */
#define MAX_NODES 250000
/* Warnings of one kind shown per post before they are only counted. */
#define MAX_SAME_WARNINGS 5

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
/* libcmark-gfm 0.29 keeps process-wide state while it parses: the table of
 * special inline characters, which each parser sets for its extensions and
 * clears when its inlines are done, and the table extension's arena stack.
 * Two threads parsing at once lose each other's autolinks and tables (seen:
 * books differing with -j), so parsing takes this lock. It is about a
 * seventh of a post's work; rendering, the HTML tree and deflate stay
 * parallel. */
static pthread_mutex_t S_cmark_lock = PTHREAD_MUTEX_INITIALIZER;

static void
S_init_once(void)
{
	xmlInitParser();
	cmark_gfm_core_extensions_ensure_registered();
}

void
bb_render_init(void)
{
	pthread_once(&S_once, S_init_once);
}

void
bb_part_name(const bb_post *p, int k, char out[40])
{
	if (k == 0)
		snprintf(out, 40, "%.20s.xhtml", p->id);
	else
		snprintf(out, 40, "%.20s-%d.xhtml", p->id, k + 1);
}

char *
bb_plain_title(const char *s)
{
	bb_buf b = BB_BUF_INIT;
	const char *p;
	for (p = s; *p; p++) {
		if (*p == '<') {
			const char *e = strchr(p, '>');
			if (e && (isalpha((unsigned char)p[1]) || p[1] == '/')) {
				p = e;
				continue;
			}
		}
		if ((*p == '*' || *p == '`') || (*p == '_' && (p == s || p[1] == '\0' || p[1] == '_' || p[-1] == '_')))
			continue;
		bb_buf_putc(&b, *p);
	}
	if (!b.data)
		return bb_xstrdup(s);
	/* collapse white space */
	{
		char *r = b.data, *w = b.data, *q;
		int sp = 1;
		for (q = r; *q; q++) {
			if (isspace((unsigned char)*q)) {
				if (!sp)
					*w++ = ' ';
				sp = 1;
			} else
				*w++ = *q, sp = 0;
		}
		while (w > r && w[-1] == ' ')
			w--;
		*w = '\0';
		if (!*r) {
			free(r);
			return bb_xstrdup(s);
		}
	}
	return bb_buf_detach(&b, NULL);
}

/* ---- elements and attributes the book keeps ---- */

enum { E_KEEP, E_VOID, E_RENAME, E_UNWRAP, E_DROP, E_SPECIAL };

typedef struct elem {
	const char *name;
	int action;
	const char *to; /* E_RENAME: the new name */
} elem;

/* Sorted by name for bsearch. */
static const elem elems[] = {
	{ "a", E_SPECIAL, NULL }, { "abbr", E_KEEP, NULL }, { "acronym", E_RENAME, "abbr" },
	{ "address", E_KEEP, NULL }, { "applet", E_SPECIAL, NULL }, { "area", E_DROP, NULL },
	{ "article", E_KEEP, NULL }, { "aside", E_KEEP, NULL }, { "audio", E_SPECIAL, NULL },
	{ "b", E_KEEP, NULL }, { "base", E_DROP, NULL }, { "bdi", E_KEEP, NULL }, { "bdo", E_KEEP, NULL },
	{ "big", E_RENAME, "span" }, { "blink", E_RENAME, "span" }, { "blockquote", E_KEEP, NULL },
	{ "body", E_UNWRAP, NULL }, { "br", E_VOID, NULL }, { "button", E_DROP, NULL },
	{ "canvas", E_DROP, NULL }, { "caption", E_KEEP, NULL }, { "center", E_RENAME, "div" },
	{ "cite", E_KEEP, NULL }, { "code", E_KEEP, NULL }, { "col", E_VOID, NULL },
	{ "colgroup", E_KEEP, NULL }, { "data", E_KEEP, NULL }, { "datalist", E_DROP, NULL },
	{ "dd", E_KEEP, NULL }, { "del", E_KEEP, NULL }, { "details", E_KEEP, NULL }, { "dfn", E_KEEP, NULL },
	{ "dialog", E_UNWRAP, NULL }, { "dir", E_RENAME, "ul" }, { "div", E_KEEP, NULL }, { "dl", E_KEEP, NULL },
	{ "dt", E_KEEP, NULL }, { "em", E_KEEP, NULL }, { "embed", E_SPECIAL, NULL },
	{ "fieldset", E_UNWRAP, NULL }, { "figcaption", E_KEEP, NULL }, { "figure", E_KEEP, NULL },
	{ "font", E_RENAME, "span" }, { "footer", E_KEEP, NULL }, { "form", E_SPECIAL, NULL },
	{ "frame", E_SPECIAL, NULL }, { "frameset", E_UNWRAP, NULL }, { "h1", E_KEEP, NULL },
	{ "h2", E_KEEP, NULL }, { "h3", E_KEEP, NULL }, { "h4", E_KEEP, NULL }, { "h5", E_KEEP, NULL },
	{ "h6", E_KEEP, NULL }, { "head", E_DROP, NULL }, { "header", E_KEEP, NULL }, { "hgroup", E_UNWRAP, NULL },
	{ "hr", E_VOID, NULL }, { "html", E_UNWRAP, NULL }, { "i", E_KEEP, NULL }, { "iframe", E_SPECIAL, NULL },
	{ "img", E_SPECIAL, NULL }, { "input", E_SPECIAL, NULL }, { "ins", E_KEEP, NULL }, { "kbd", E_KEEP, NULL },
	{ "label", E_UNWRAP, NULL }, { "legend", E_UNWRAP, NULL }, { "li", E_KEEP, NULL }, { "link", E_DROP, NULL },
	{ "listing", E_RENAME, "pre" }, { "main", E_UNWRAP, NULL }, { "map", E_DROP, NULL },
	{ "mark", E_KEEP, NULL }, { "marquee", E_RENAME, "span" }, { "math", E_SPECIAL, NULL },
	{ "menu", E_RENAME, "ul" }, { "meta", E_DROP, NULL }, { "meter", E_UNWRAP, NULL }, { "nav", E_UNWRAP, NULL },
	{ "nobr", E_RENAME, "span" }, { "noembed", E_DROP, NULL }, { "noframes", E_DROP, NULL },
	{ "noscript", E_UNWRAP, NULL }, { "object", E_SPECIAL, NULL }, { "ol", E_KEEP, NULL },
	{ "optgroup", E_DROP, NULL }, { "option", E_DROP, NULL }, { "output", E_UNWRAP, NULL }, { "p", E_KEEP, NULL },
	{ "param", E_DROP, NULL }, { "picture", E_UNWRAP, NULL }, { "plaintext", E_RENAME, "pre" },
	{ "pre", E_KEEP, NULL }, { "progress", E_UNWRAP, NULL }, { "q", E_KEEP, NULL }, { "rb", E_KEEP, NULL },
	{ "rp", E_KEEP, NULL }, { "rt", E_KEEP, NULL }, { "rtc", E_KEEP, NULL }, { "ruby", E_KEEP, NULL },
	{ "s", E_KEEP, NULL }, { "samp", E_KEEP, NULL }, { "script", E_SPECIAL, NULL }, { "section", E_KEEP, NULL },
	{ "select", E_DROP, NULL }, { "slot", E_UNWRAP, NULL }, { "small", E_KEEP, NULL }, { "source", E_DROP, NULL },
	{ "span", E_KEEP, NULL }, { "strike", E_RENAME, "s" }, { "strong", E_KEEP, NULL },
	{ "style", E_SPECIAL, NULL }, { "sub", E_KEEP, NULL }, { "summary", E_KEEP, NULL }, { "sup", E_KEEP, NULL },
	{ "svg", E_SPECIAL, NULL }, { "table", E_KEEP, NULL }, { "tbody", E_KEEP, NULL }, { "td", E_KEEP, NULL },
	{ "template", E_DROP, NULL }, { "textarea", E_SPECIAL, NULL }, { "tfoot", E_KEEP, NULL },
	{ "th", E_KEEP, NULL }, { "thead", E_KEEP, NULL }, { "time", E_KEEP, NULL }, { "title", E_DROP, NULL },
	{ "tr", E_KEEP, NULL }, { "track", E_DROP, NULL }, { "tt", E_RENAME, "code" }, { "u", E_KEEP, NULL },
	{ "ul", E_KEEP, NULL }, { "var", E_KEEP, NULL }, { "video", E_SPECIAL, NULL }, { "wbr", E_VOID, NULL },
	{ "xmp", E_RENAME, "pre" },
};

static int
S_elem_cmp(const void *k, const void *e)
{
	return strcmp((const char *)k, ((const elem *)e)->name);
}

static const elem *
S_elem(const char *name)
{
	return bsearch(name, elems, sizeof elems / sizeof *elems, sizeof *elems, S_elem_cmp);
}

/* Content-model facts about the elements written, looked up once per
 * element instead of by string comparisons. */
enum {
	F_PHRASING = 1,  /* holds phrasing content only */
	F_BLOCK = 2,     /* flow content only: not allowed inside phrasing */
	F_CODE = 4,      /* its text is code: no typographic changes */
	F_NOTEXT = 8,    /* text may not stand directly inside it */
	F_TSECTION = 16, /* table, tbody, thead, tfoot */
	F_TKID = 32,     /* may stand directly in a table section */
	F_LIST = 64      /* ul, ol, menu, dir */
};
static unsigned char elem_flags[sizeof elems / sizeof *elems];
static pthread_once_t S_flags_once = PTHREAD_ONCE_INIT;

static void
S_set_flags(const char *const *names, unsigned char f)
{
	size_t i;
	for (i = 0; names[i]; i++) {
		const elem *e = S_elem(names[i]);
		if (e)
			elem_flags[e - elems] |= f;
	}
}

static void S_init_flags(void);

static unsigned
S_flags(const char *name)
{
	const elem *e;
	pthread_once(&S_flags_once, S_init_flags);
	e = S_elem(name);
	return e ? elem_flags[e - elems] : 0;
}

/* Attributes kept on a given element, beyond the global ones. */
static int
S_attr_allowed(const char *el, const char *at)
{
	static const char *const global[] = { "id", "class", "title", "lang", "dir", "style", NULL };
	static const struct { const char *el, *at; } per[] = {
		{ "a", "href" }, { "a", "hreflang" }, { "img", "src" }, { "img", "alt" }, { "img", "width" },
		{ "img", "height" }, { "td", "colspan" }, { "td", "rowspan" }, { "th", "colspan" },
		{ "th", "rowspan" }, { "th", "scope" }, { "col", "span" }, { "colgroup", "span" },
		{ "ol", "start" }, { "ol", "reversed" }, { "ol", "type" }, { "li", "value" },
		{ "del", "datetime" }, { "ins", "datetime" }, { "time", "datetime" }, { "data", "value" },
		{ "details", "open" }, { "abbr", "title" }, { "bdo", "dir" },
	};
	size_t i;
	for (i = 0; global[i]; i++)
		if (strcmp(at, global[i]) == 0)
			return 1;
	if (strncmp(at, "data-", 5) == 0 && at[5])
		return 2;
	if (strcmp(at, "aria-label") == 0 || strcmp(at, "aria-hidden") == 0 || strcmp(at, "aria-describedby") == 0)
		return 1;
	for (i = 0; i < sizeof per / sizeof *per; i++)
		if (strcmp(el, per[i].el) == 0 && strcmp(at, per[i].at) == 0)
			return 1;
	return 0;
}

/* An XML name made of ASCII letters, digits, '-', '_', '.' (what HTML
 * attribute names from posts must be to be written at all). */
static int
S_simple_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return 0;
	return 1;
}

static int
S_all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* 1 when s is a valid XML NCName start for an id (ASCII letter or '_' or
 * any non-ASCII), and the rest is name characters. */
static int
S_valid_id(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (!*u || !(isalpha(*u) || *u == '_' || *u >= 0x80))
		return 0;
	for (; *u; u++)
		if (!(isalnum(*u) || *u == '-' || *u == '_' || *u == '.' || *u >= 0x80))
			return 0;
	return 1;
}

/* ---- the render state ---- */

typedef struct hd {
	xmlNodePtr node;
	int level;
	char *text;
	size_t top;    /* index of its top-level block */
} hd;

typedef struct rstate {
	bb_blog *b;
	bb_post *p;
	size_t idx;
	bb_diaglist *dl;
	unsigned line0;          /* file line of the body's first line */
	bb_map ids;              /* id -> top-level block index */
	size_t *part_start;      /* first top-level block of each part */
	int nparts;
	int curpart;
	bb_buf *out;
	unsigned warned[16];
	int dry;
	int tcy;                 /* vertical Japanese: set short numbers upright */
	const char *src;         /* the file as read, for positions in messages */
	size_t srclen, srcbody;  /* its length and where the body starts */
	size_t cursor[16];       /* per kind of warning: where the last was found */
} rstate;

enum { W_SCRIPT, W_EVENT, W_JSURL, W_IFRAME, W_OBJECT, W_FORM, W_IMGMISS, W_ALT, W_DEPTH, W_STYLE, W_SVG, W_MEDIA, W_OUTSIDE };

/* Finds needle (ASCII, case folded) in the post's file from the kind's
 * cursor on, to give a message its line and column: the HTML tree no longer
 * knows where in the Markdown a node came from. Returns 0 when not found. */
static int
S_locate(rstate *st, int kind, const char *needle, unsigned *line, unsigned *col)
{
	size_t n = strlen(needle), i, start, pass;
	if (!st->src || !n)
		return 0;
	for (pass = 0; pass < 2; pass++) {
		start = pass ? st->srcbody : (st->cursor[kind] > st->srcbody ? st->cursor[kind] : st->srcbody);
		for (i = start; i + n <= st->srclen; i++)
			if (strncasecmp(st->src + i, needle, n) == 0) {
				size_t q;
				*line = 1, *col = 1;
				for (q = 0; q < i; q++) {
					if (st->src[q] == '\n')
						(*line)++, *col = 1;
					else if (((unsigned char)st->src[q] & 0xC0) != 0x80)
						(*col)++;
				}
				st->cursor[kind] = i + n;
				return 1;
			}
	}
	return 0;
}

/* A warning about the post, at where needle stands in its file when found. */
static void
S_warn_at(rstate *st, int kind, const char *needle, const char *fmt, const char *arg)
{
	unsigned line = 0, col = 0;
	if (st->dry)
		return;
	if (++st->warned[kind] > MAX_SAME_WARNINGS) {
		if (st->warned[kind] == MAX_SAME_WARNINGS + 1)
			bb_diag_add(st->dl, BB_WARNING, st->p->path, 0, 0, "more problems of the same kind in this post are not listed");
		return;
	}
	if (needle)
		S_locate(st, kind, needle, &line, &col);
	bb_diag_add(st->dl, BB_WARNING, st->p->path, line, col, fmt, arg ? arg : "");
}

static void
S_warn(rstate *st, int kind, const char *fmt, const char *arg)
{
	S_warn_at(st, kind, NULL, fmt, arg);
}

/* The value of attribute name, "" for one written without a value (as
 * data-footnote-ref), NULL when absent. */
static const char *
S_attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;
	for (a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, name) == 0)
			return a->children && a->children->content ? (const char *)a->children->content : "";
	return NULL;
}

/* ---- text and heading ids ---- */

static void
S_text_content(xmlNodePtr n, bb_buf *b, int depth)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			bb_buf_puts(b, (const char *)n->content);
		else if (n->type == XML_ELEMENT_NODE && depth < MAX_DEPTH &&
			 strcmp((const char *)n->name, "rt") != 0 && strcmp((const char *)n->name, "rp") != 0 &&
			 strcmp((const char *)n->name, "script") != 0 && strcmp((const char *)n->name, "style") != 0)
			S_text_content(n->children, b, depth + 1);
	}
}

/* Whitespace folded, trimmed. Caller frees. */
static char *
S_fold(const char *s)
{
	bb_buf b = BB_BUF_INIT;
	int sp = 0;
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			sp = b.len > 0;
			continue;
		}
		if (sp)
			bb_buf_putc(&b, ' ');
		sp = 0;
		bb_buf_putc(&b, *s);
	}
	return b.data ? bb_buf_detach(&b, NULL) : bb_xstrdup("");
}

/* GitHub-style slug: letters (any script) and digits, spaces to '-'. */
static char *
S_slug(const char *text)
{
	bb_buf b = BB_BUF_INIT;
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text), i = 0;
	while (i < n && b.len < 80) {
		unsigned cp;
		int k = bb_utf8_decode(s + i, n - i, &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		if (cp < 0x80) {
			if (isalnum((int)cp))
				bb_buf_putc(&b, tolower((int)cp));
			else if (cp == ' ' || cp == '-')
				bb_buf_putc(&b, '-');
			else if (cp == '_')
				bb_buf_putc(&b, '_');
		} else if (!((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
			     (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
			     (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
			     cp == 0x30FB || cp == 0xA0 || (cp >= 0xFE30 && cp <= 0xFE4F))) {
			bb_buf_put(&b, text + i, (size_t)k);
		} else if (cp == 0x3000)
			bb_buf_putc(&b, '-');
		i += (size_t)k;
	}
	return b.data ? bb_buf_detach(&b, NULL) : bb_xstrdup("");
}

/* A unique valid id from a wish, registered in st->ids at block top. */
static char *
S_unique_id(rstate *st, const char *wish, size_t top)
{
	char *base, *id;
	size_t dummy;
	int k;
	if (!*wish)
		base = bb_xstrdup("section");
	else if (!S_valid_id(wish))
		base = bb_xasprintf("h-%s", wish);
	else
		base = bb_xstrdup(wish);
	/* names from posts could still hold characters an XML name may not */
	if (!S_valid_id(base)) {
		char *c;
		for (c = base + 2; *c; c++)
			if (!((unsigned char)*c >= 0x80 || isalnum((unsigned char)*c) || *c == '-' || *c == '_' || *c == '.'))
				*c = '-';
	}
	id = bb_xstrdup(base);
	for (k = 1; bb_map_get(&st->ids, id, &dummy); k++) {
		free(id);
		id = bb_xasprintf("%s-%d", base, k);
	}
	free(base);
	bb_map_put(&st->ids, id, top);
	return id;
}

/* ---- pass 1: ids, headings, sizes, parts ---- */

typedef struct scan {
	hd *h;
	size_t nh, caph;
	size_t *size;      /* estimated bytes per top-level block */
	size_t ntop;
	int *is_heading;   /* per top-level block */
} scan;

static void
S_scan(rstate *st, xmlNodePtr body, scan *sc)
{
	xmlNodePtr top, n;
	size_t t = 0;
	for (top = body->children; top; top = top->next)
		sc->ntop++;
	sc->size = bb_xcalloc(sc->ntop + 1, sizeof *sc->size);
	sc->is_heading = bb_xcalloc(sc->ntop + 1, sizeof *sc->is_heading);
	for (top = body->children; top; top = top->next, t++) {
		int depth = 0;
		n = top;
		if (n->type == XML_ELEMENT_NODE && n->name[0] == 'h' && n->name[1] >= '1' && n->name[1] <= '6' && !n->name[2])
			sc->is_heading[t] = 1;
		/* iterative walk of this block */
		while (n) {
			if (n->type == XML_TEXT_NODE && n->content)
				sc->size[t] += strlen((const char *)n->content);
			else if (n->type == XML_ELEMENT_NODE) {
				const char *id = S_attr(n, "id"), *nm = (const char *)n->name;
				size_t dummy;
				sc->size[t] += 2 * strlen(nm) + 5;
				if (id) {
					if (!S_valid_id(id) || bb_map_get(&st->ids, id, &dummy))
						xmlUnsetProp(n, (const xmlChar *)"id");
					else
						bb_map_put(&st->ids, id, t);
				}
				if (nm[0] == 'h' && nm[1] >= '1' && nm[1] <= '6' && !nm[2]) {
					bb_buf tb = BB_BUF_INIT;
					char *folded;
					if (sc->nh == sc->caph) {
						sc->caph = sc->caph ? sc->caph * 2 : 16;
						sc->h = bb_xrealloc(sc->h, sc->caph * sizeof *sc->h);
					}
					S_text_content(n->children, &tb, 0);
					folded = S_fold(tb.data ? tb.data : "");
					bb_buf_free(&tb);
					sc->h[sc->nh].node = n;
					sc->h[sc->nh].level = nm[1] - '0';
					sc->h[sc->nh].text = folded;
					sc->h[sc->nh].top = t;
					sc->nh++;
				}
			}
			if (n->type == XML_ELEMENT_NODE && n->children && depth < 100000) {
				n = n->children;
				depth++;
				continue;
			}
			while (n && n != top && !n->next) {
				n = n->parent;
				depth--;
			}
			if (!n || n == top)
				break;
			n = n->next;
		}
	}
}

/* ---- pass 2: writing XHTML ---- */

/* Bytes S_put_text must look at: 1 in text and attributes, 2 in
 * attributes only. Everything else is copied in runs. */
static const unsigned char S_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,
	[0xEF] = 1,
};

static void
S_put_text(bb_buf *o, const char *s, int attr)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0, i;
	unsigned char mask = attr ? 3 : 1;
	for (i = 0; u[i]; i++) {
		const char *rep = NULL;
		unsigned char c = u[i];
		if (!(S_special[c] & mask))
			continue;
		if (c == '&')
			rep = "&amp;";
		else if (c == '<')
			rep = "&lt;";
		else if (c == '>')
			rep = "&gt;";
		else if (c == '"')
			rep = "&quot;";
		else if (c == '\n' || c == '\t')
			rep = " "; /* attributes only */
		else if (c < 0x20)
			rep = c == '\r' ? "" : "\xEF\xBF\xBD";
		else if (c == 0xEF && u[i + 1] == 0xBF && (u[i + 2] == 0xBE || u[i + 2] == 0xBF)) {
			/* U+FFFE and U+FFFF are not XML characters */
			bb_buf_put(o, s + start, i - start);
			bb_buf_puts(o, "\xEF\xBF\xBD");
			i += 2;
			start = i + 1;
			continue;
		} else
			continue;
		bb_buf_put(o, s + start, i - start);
		bb_buf_puts(o, rep);
		start = i + 1;
	}
	bb_buf_put(o, s + start, i - start);
}

static int
S_part_of(const rstate *st, size_t top)
{
	int k;
	for (k = st->nparts - 1; k > 0; k--)
		if (top >= st->part_start[k])
			return k;
	return 0;
}

/* href for a fragment in this post: "#id" in the same file, or the file. */
static char *
S_local_href(rstate *st, const char *frag)
{
	size_t top;
	char name[40];
	int part;
	if (!bb_map_get(&st->ids, frag, &top))
		return NULL;
	part = S_part_of(st, top);
	if (part == st->curpart)
		return bb_xasprintf("#%s", frag);
	bb_part_name(st->p, part, name);
	return bb_xasprintf("%s#%s", name, frag);
}

/* "file#id" of the heading of q that fragment frag names (its id, or the
 * id kramdown would have given it), or NULL. */
static char *
S_find_heading(const bb_post *q, const bb_heading *hs, size_t nh, const char *frag)
{
	char name[40];
	size_t i;
	for (i = 0; i < nh; i++) {
		char *alt;
		int hit = strcmp(hs[i].id, frag) == 0 ||
			  (strncmp(hs[i].id, "h-", 2) == 0 && strcmp(hs[i].id + 2, frag) == 0);
		if (!hit && hs[i].text) {
			alt = S_slug(hs[i].text);
			hit = strcmp(alt, frag) == 0;
			free(alt);
		}
		if (hit) {
			bb_part_name(q, hs[i].part, name);
			return bb_xasprintf("%s#%s", name, hs[i].id);
		}
	}
	return NULL;
}

/* Where the heading fragment frag of post t lives, laying t out if needed. */
static char *
S_post_href(rstate *st, size_t t, const char *frag)
{
	bb_post *q = &st->b->posts[t];
	char name[40];
	char *r = NULL;

	if (frag && *frag) {
		bb_render_out lay;
		int pass;
		memset(&lay, 0, sizeof lay);
		/* first the headings kept for the navigation; a deeper one is
		 * found by laying the post out again (a pure function of it) */
		for (pass = 0; pass < 2 && !r; pass++) {
			const bb_heading *hs = NULL;
			size_t nh = 0;
			if (pass == 0) {
				pthread_mutex_lock(&st->b->lock);
				if (q->rendered)
					hs = q->headings, nh = q->nheadings;
				pthread_mutex_unlock(&st->b->lock);
			} else if (!st->dry && t != st->idx) {
				bb_diaglist quiet = { NULL, 0, 0 };
				if (bb_render_post(st->b, t, &lay, 1, &quiet) == 0)
					hs = lay.headings, nh = lay.nheadings;
				bb_diag_clear(&quiet);
			}
			r = S_find_heading(q, hs, nh, frag);
		}
		bb_render_out_free(&lay);
		if (r)
			return r;
	}
	bb_part_name(q, 0, name);
	return bb_xstrdup(name);
}

/* Resolves a path on the blog (relative to this post's URL or root-relative)
 * to a post of the book. Returns 1 and sets *t. */
static int
S_find_post(rstate *st, const char *path, size_t *t)
{
	char *key, *full = NULL;
	int found;
	const bb_blog *b = st->b;
	size_t ul;
	if (b->baseurl && (ul = strlen(b->baseurl)) && strncmp(path, b->baseurl, ul) == 0 &&
	    (path[ul] == '/' || !path[ul]))
		path += ul;
	if (path[0] != '/') {
		/* relative to the post's own URL */
		const char *u = st->p->url ? st->p->url : "/";
		const char *slash = strrchr(u, '/');
		full = bb_xasprintf("%.*s/%s", (int)(slash ? slash - u : 0), u, path);
		/* fold ../ */
		{
			char *parts[256], *tok, *save = NULL, *copy = bb_xstrdup(full);
			size_t n = 0, i;
			bb_buf o = BB_BUF_INIT;
			for (tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
				if (strcmp(tok, ".") == 0)
					continue;
				if (strcmp(tok, "..") == 0) {
					if (n)
						n--;
					continue;
				}
				if (n < 256)
					parts[n++] = tok;
			}
			for (i = 0; i < n; i++)
				bb_buf_printf(&o, "/%s", parts[i]);
			free(full);
			full = o.data ? bb_buf_detach(&o, NULL) : bb_xstrdup("/");
			free(copy);
		}
		path = full;
	}
	key = bb_url_key(path);
	found = bb_map_get(&b->by_url, key, t);
	if (!found)
		found = bb_map_get(&b->by_name, path, t) || bb_map_get(&b->by_name, path + (path[0] == '/'), t);
	free(key);
	free(full);
	return found;
}

static int
S_has_scheme(const char *u)
{
	const char *c = u;
	while (isalnum((unsigned char)*c) || *c == '+' || *c == '-' || *c == '.')
		c++;
	return c > u && *c == ':';
}

/* javascript:, vbscript: and data: URLs, also when hidden by blanks or
 * control characters ("java\tscript:"), which browsers ignore. */
static int
S_bad_scheme(const char *u)
{
	char low[16];
	size_t n = 0;
	for (; *u && n < sizeof low - 1; u++) {
		unsigned char c = (unsigned char)*u;
		if (c <= 0x20)
			continue;
		low[n++] = (char)tolower(c);
		if (c == ':')
			break;
	}
	low[n] = '\0';
	return strncmp(low, "javascript:", 11) == 0 || strncmp(low, "vbscript:", 9) == 0 ||
	       strncmp(low, "data:", 5) == 0 || strncmp(low, "livescript:", 11) == 0;
}

/* Percent-encodes what may not stand in a URL (blanks, non-ASCII, quotes). */
static void
S_put_url(bb_buf *o, const char *u)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *u; u++) {
		unsigned char c = (unsigned char)*u;
		if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' ||
		    c == '`' || c == '{' || c == '|' || c == '}') {
			bb_buf_putc(o, '%');
			bb_buf_putc(o, hex[c >> 4]);
			bb_buf_putc(o, hex[c & 15]);
		} else
			bb_buf_putc(o, (char)c);
	}
}

/* The URL of a page of the blog that is not in the book, or NULL when the
 * blog's url is unknown. */
static char *
S_blog_url(rstate *st, const char *path)
{
	const bb_blog *b = st->b;
	if (!b->url)
		return NULL;
	if (path[0] == '/')
		return bb_xasprintf("%s%s", b->url, path);
	{
		const char *u = st->p->url ? st->p->url : "/";
		const char *slash = strrchr(u, '/');
		return bb_xasprintf("%s%s%.*s/%s", b->url, b->baseurl ? b->baseurl : "", (int)(slash ? slash - u : 0), u,
				    path);
	}
}

/* Rewrites a link's target. Returns the new href (caller frees) or NULL
 * when the link must go (its text stays). */
static char *
S_href(rstate *st, const char *href)
{
	const bb_blog *b = st->b;
	const char *path, *frag;
	char *pathpart, *r = NULL;
	size_t ul, t;

	while (isspace((unsigned char)*href))
		href++;
	if (S_bad_scheme(href)) {
		S_warn_at(st, W_JSURL, "script:", "a link to a script URL (%s...) was made inert", "javascript:");
		return NULL;
	}
	if (href[0] == '#')
		return href[1] ? S_local_href(st, href + 1) : NULL;
	if (b->url && (ul = strlen(b->url)) && strncmp(href, b->url, ul) == 0 && (href[ul] == '/' || !href[ul]))
		path = href[ul] ? href + ul : "/";
	else if (S_has_scheme(href) || strncmp(href, "//", 2) == 0) {
		if (strncasecmp(href, "file:", 5) == 0) {
			S_warn(st, W_OUTSIDE, "a link to a file: URL (%s) was removed, its text kept", href);
			return NULL;
		}
		if (strncmp(href, "//", 2) == 0)
			return bb_xasprintf("https:%s", href);
		return bb_xstrdup(href);
	} else
		path = href;
	frag = strchr(path, '#');
	pathpart = bb_xstrndup(path, strcspn(path, "?#"));
	if (!*pathpart) {
		free(pathpart);
		return frag && frag[1] ? S_local_href(st, frag + 1) : NULL;
	}
	if (S_find_post(st, pathpart, &t)) {
		if (t == st->idx && frag && frag[1])
			r = S_local_href(st, frag + 1);
		if (!r)
			r = S_post_href(st, t, frag ? frag + 1 : NULL);
	} else {
		char *abs = S_blog_url(st, path);
		if (abs) {
			bb_buf o = BB_BUF_INIT;
			S_put_url(&o, abs);
			r = bb_buf_detach(&o, NULL);
			free(abs);
		}
	}
	free(pathpart);
	return r;
}

typedef struct frame {
	const char *close; /* tag to write after the children, or NULL */
	const char *wrap;  /* closing tags of a wrapper opened around it */
	int is_a;
	int phrasing;      /* 1: it allows phrasing content only */
	int code;          /* 1: pre, code, kbd, samp */
} frame;

typedef struct walker {
	frame *v;
	size_t n, cap;
	int in_a;
	int phrasing;      /* open elements that allow phrasing content only */
	int in_code;       /* inside pre, code, kbd or samp */
	size_t depth;      /* tags open in the output (wrappers too) */
} walker;

/* The tags a frame holds open in the output: its own and its wrapper's. */
static size_t
S_frame_depth(const frame *f)
{
	size_t d = f->close != NULL;
	const char *c;
	for (c = f->wrap; c && *c; c++)
		d += *c == '<';
	return d;
}

/* Elements that may hold phrasing content only. */
static const char *const phrasing_only[] = { "p", "h1", "h2", "h3", "h4", "h5", "h6", "span", "a", "em",
	"strong", "b", "i", "u", "s", "small", "code", "sub", "sup", "q", "cite", "abbr", "mark", "time", "dfn",
	"kbd", "samp", "var", "bdi", "bdo", "data", "rt", "rp", "rb", "rtc", "ruby", "pre", "summary", NULL };
/* Elements that are flow content only: not allowed where phrasing is. */
static const char *const block_only[] = { "address", "article", "aside", "blockquote", "details", "div", "dl",
	"dd", "dt", "figure", "figcaption", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
	"ol", "p", "pre", "section", "table", "caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td",
	"th", "ul", "summary", NULL };

static void
S_init_flags(void)
{
	S_set_flags(phrasing_only, F_PHRASING);
	S_set_flags(block_only, F_BLOCK);
	S_set_flags((const char *const[]){ "pre", "code", "kbd", "samp", "rt", NULL }, F_CODE);
	S_set_flags((const char *const[]){ "tr", "table", "tbody", "thead", "tfoot", "ul", "ol", "dl", NULL }, F_NOTEXT);
	S_set_flags((const char *const[]){ "table", "tbody", "thead", "tfoot", NULL }, F_TSECTION);
	S_set_flags((const char *const[]){ "tr", "tbody", "thead", "tfoot", "caption", "colgroup", NULL }, F_TKID);
	S_set_flags((const char *const[]){ "ul", "ol", "menu", "dir", NULL }, F_LIST);
}

/* The element the output is inside: the nearest ancestor whose tag was
 * written. Not the DOM's parent: an unwrapped or unknown element, or one
 * flattened for depth, writes no tag, and what it holds lands in the
 * element above it. */
static const char *
S_out_parent(const walker *w)
{
	size_t k;
	for (k = w->n; k > 0; k--)
		if (w->v[k - 1].close)
			return w->v[k - 1].close;
	return "body";
}

/* Opens what a table needs around content that strayed into it, and
 * returns the closing tags, or NULL. */
static const char *
S_table_wrap(const char *parent, const char *as, bb_buf *o)
{
	unsigned pf = S_flags(parent);
	if (!(pf & F_NOTEXT))
		return NULL;
	if (strcmp(parent, "tr") == 0 && strcmp(as, "td") != 0 && strcmp(as, "th") != 0) {
		bb_buf_puts(o, "<td>");
		return "</td>";
	}
	if ((pf & F_TSECTION) && !(S_flags(as) & F_TKID) &&
	    !(strcmp(parent, "table") == 0 && strcmp(as, "tr") == 0)) {
		if (strcmp(as, "td") == 0 || strcmp(as, "th") == 0) {
			bb_buf_puts(o, "<tr>");
			return "</tr>";
		}
		bb_buf_puts(o, "<tr><td>");
		return "</td></tr>";
	}
	/* a list holds items only, a definition list terms and definitions */
	if ((pf & F_LIST) && strcmp(as, "li") != 0) {
		bb_buf_puts(o, "<li>");
		return "</li>";
	}
	if (strcmp(parent, "dl") == 0 && strcmp(as, "dt") != 0 && strcmp(as, "dd") != 0) {
		bb_buf_puts(o, "<dd>");
		return "</dd>";
	}
	return NULL;
}

static void
S_open_tag(bb_buf *o, const char *name)
{
	bb_buf_putc(o, '<');
	bb_buf_puts(o, name);
}

static void
S_put_attr(bb_buf *o, const char *name, const char *value)
{
	bb_buf_putc(o, ' ');
	bb_buf_puts(o, name);
	bb_buf_puts(o, "=\"");
	S_put_text(o, value, 1);
	bb_buf_putc(o, '"');
}

/* 1 when CSS text loads a resource or runs code: url() (a file the book
 * does not hold, or a script URL), expression(), behavior, -moz-binding,
 * @import, javascript:. Escapes and comments are read as written. */
static int
S_active_css(const char *v)
{
	static const char *const bad[] = { "url(", "expression(", "behavior", "-moz-binding", "@import",
					   "javascript:", "\\", "/*", NULL };
	char *low = bb_xmalloc(strlen(v) + 1);
	size_t n = 0, i;
	int r = 0;
	for (; *v; v++)
		if (!isspace((unsigned char)*v))
			low[n++] = (char)tolower((unsigned char)*v);
	low[n] = '\0';
	for (i = 0; bad[i] && !r; i++)
		r = strstr(low, bad[i]) != NULL;
	free(low);
	return r;
}

/* Writes the element's allowed attributes, with href handled by the caller. */
static void
S_attrs(rstate *st, xmlNodePtr n, const char *as, bb_buf *o)
{
	xmlAttrPtr a;
	for (a = n->properties; a; a = a->next) {
		const char *nm = (const char *)a->name;
		const char *v = a->children && a->children->content ? (const char *)a->children->content : "";
		if (a->ns)
			continue;
		if ((nm[0] == 'o' || nm[0] == 'O') && (nm[1] == 'n' || nm[1] == 'N')) {
			S_warn_at(st, W_EVENT, nm, "an event handler attribute (%s) was removed", nm);
			continue;
		}
		if (strcmp(nm, "href") == 0 || strcmp(nm, "src") == 0 || strcmp(nm, "alt") == 0)
			continue;
		if (!S_simple_name(nm) || !S_attr_allowed(as, nm))
			continue;
		if ((strcmp(nm, "width") == 0 || strcmp(nm, "height") == 0 || strcmp(nm, "colspan") == 0 ||
		     strcmp(nm, "rowspan") == 0 || strcmp(nm, "start") == 0 || strcmp(nm, "span") == 0 ||
		     strcmp(nm, "value") == 0) && !S_all_digits(v) && strcmp(as, "data") != 0)
			continue;
		if (strcmp(nm, "lang") == 0 && (!*v || strchr(v, ' ')))
			continue;
		if (strcmp(nm, "style") == 0 && S_active_css(v)) {
			S_warn(st, W_STYLE, "a style attribute that loads or runs something (%.60s) was removed", v);
			continue;
		}
		if (strcmp(nm, "dir") == 0 && strcmp(v, "ltr") != 0 && strcmp(v, "rtl") != 0 && strcmp(v, "auto") != 0)
			continue;
		if (strcmp(nm, "scope") == 0 && strcmp(v, "row") != 0 && strcmp(v, "col") != 0 &&
		    strcmp(v, "rowgroup") != 0 && strcmp(v, "colgroup") != 0)
			continue;
		if (strcmp(nm, "type") == 0 && strcmp(v, "1") != 0 && strcmp(v, "a") != 0 && strcmp(v, "A") != 0 &&
		    strcmp(v, "i") != 0 && strcmp(v, "I") != 0)
			continue;
		if ((strcmp(nm, "reversed") == 0 || strcmp(nm, "open") == 0)) {
			S_put_attr(o, nm, nm);
			continue;
		}
		if (strcmp(nm, "lang") == 0)
			S_put_attr(o, "xml:lang", v);
		S_put_attr(o, nm, v);
	}
}

static int
S_has_class(xmlNodePtr n, const char *cls)
{
	const char *c = S_attr(n, "class");
	size_t l = strlen(cls);
	while (c && (c = strstr(c, cls))) {
		if ((c[l] == '\0' || c[l] == ' '))
			return 1;
		c += l;
	}
	return 0;
}

/* Writes <img> for embedded image idx, with the allowed attributes of n. */
static void
S_put_img(rstate *st, xmlNodePtr n, long idx, const char *alt, bb_buf *o)
{
	char iname[96] = "";
	if (!st->dry)
		bb_image_name(st->b, idx, iname, sizeof iname);
	S_open_tag(o, "img");
	S_put_attr(o, "src", iname);
	S_put_attr(o, "alt", alt);
	S_attrs(st, n, "img", o);
	bb_buf_puts(o, "/>");
}

/* An image, or what stands for it when it cannot be embedded. */
static void
S_img(rstate *st, xmlNodePtr n, bb_buf *o, walker *w)
{
	const char *src = S_attr(n, "src"), *alt = S_attr(n, "alt"), *why = NULL;
	char *rel = NULL;
	long idx = -1;
	if (!src || !*src)
		src = S_attr(n, "data-src");
	if (!alt) {
		S_warn_at(st, W_ALT, src, "an image has no alt text (%s); it gets an empty one", src ? src : "no src");
		alt = "";
	}
	if (!src || !*src) {
		if (*alt) {
			bb_buf_puts(o, "<span class=\"missing-image\">");
			S_put_text(o, alt, 0);
			bb_buf_puts(o, "</span>");
		}
		return;
	}
	if (!S_bad_scheme(src) && (S_has_scheme(src) || strncmp(src, "//", 2) == 0) &&
	    !(st->b->url && strncmp(src, st->b->url, strlen(st->b->url)) == 0)) {
		/* remote: EPUB keeps images inside the book, so it becomes a link */
		const char *shown = *alt ? alt : src;
		if (strncmp(src, "http://", 7) != 0 && strncmp(src, "https://", 8) != 0 && strncmp(src, "//", 2) != 0) {
			S_warn(st, W_OUTSIDE, strncasecmp(src, "file:", 5) == 0
				   ? "image '%s' is a file: URL; refused, its alt text is kept"
				   : "image '%s' has a scheme a book cannot show; its alt text is kept", src);
			bb_buf_puts(o, "<span class=\"missing-image\">");
			S_put_text(o, shown, 0);
			bb_buf_puts(o, "</span>");
			return;
		}
		if (st->b->opt.fetch_remote == 1 && !st->dry) {
			/* downloaded into the cache and embedded like a local file */
			char *url = strncmp(src, "//", 2) == 0 ? bb_xasprintf("https:%s", src) : bb_xstrdup(src);
			char *cached = NULL, *dir = st->b->opt.cache_dir ? NULL : bb_xasprintf("%s/.blogbind-cache", st->b->root);
			long t = st->b->opt.fetch_timeout > 0 ? st->b->opt.fetch_timeout : 30;
			if (bb_fetch(url, dir ? dir : st->b->opt.cache_dir, t, BB_MAX_IMAGE_BYTES, &cached, &why) == 0)
				idx = bb_image_add_abs(st->b, cached, url, &why);
			free(cached);
			free(dir);
			free(url);
			if (idx >= 0) {
				S_put_img(st, n, idx, alt, o);
				return;
			}
			{
				char *msg = bb_xasprintf("remote image %s %s; it becomes a link", src, why ? why : "cannot be fetched");
				S_warn_at(st, W_MEDIA, src, "%s", msg);
				free(msg);
			}
		} else if (!st->dry)
			bb_diag_add(st->dl, BB_NOTE, st->p->path, 0, 0, "remote image %s becomes a link", src);
		if (w->in_a) {
			bb_buf_puts(o, "<span class=\"remote-image\">");
			S_put_text(o, shown, 0);
			bb_buf_puts(o, "</span>");
		} else {
			bb_buf_puts(o, "<a class=\"remote-image\" href=\"");
			if (strncmp(src, "//", 2) == 0)
				bb_buf_puts(o, "https:");
			{
				bb_buf u = BB_BUF_INIT;
				S_put_url(&u, src);
				S_put_text(o, u.data, 1);
				bb_buf_free(&u);
			}
			bb_buf_puts(o, "\">");
			S_put_text(o, shown, 0);
			bb_buf_puts(o, "</a>");
		}
		return;
	}
	if (!S_bad_scheme(src) && (rel = bb_resolve_local(st->b, st->p, src, &why)))
		idx = st->dry ? 0 : bb_image_add(st->b, rel, &why);
	free(rel);
	if (idx < 0) {
		if (!st->dry) {
			char *msg = bb_xasprintf("image '%s' %s; its alt text is kept", src, why ? why : "cannot be embedded");
			S_warn_at(st, W_IMGMISS, src, "%s", msg);
			free(msg);
		}
		bb_buf_puts(o, "<span class=\"missing-image\">");
		S_put_text(o, *alt ? alt : src, 0);
		bb_buf_puts(o, "</span>");
		return;
	}
	S_put_img(st, n, idx, alt, o);
}

/* An embedded frame, object or media becomes a link to its source. */
static void
S_embed_link(rstate *st, xmlNodePtr n, const char *what, bb_buf *o, walker *w, int kind)
{
	const char *src = S_attr(n, "src");
	xmlNodePtr c;
	if (!src)
		src = S_attr(n, "data");
	for (c = n->children; !src && c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "source") == 0)
			src = S_attr(c, "src");
	{
		char tag[32];
		snprintf(tag, sizeof tag, "<%s", (const char *)n->name);
		S_warn_at(st, kind, tag, "embedded content (<%s>) was replaced by a link to its source", (const char *)n->name);
	}
	if (src && strncmp(src, "//", 2) == 0) {
		char *abs = bb_xasprintf("https:%s", src);
		bb_buf_puts(o, w->in_a ? "<span class=\"embed\">" : "<a class=\"embed\" href=\"");
		if (!w->in_a) {
			S_put_text(o, abs, 1);
			bb_buf_puts(o, "\">");
		}
		bb_buf_printf(o, "%s: ", what);
		S_put_text(o, abs, 0);
		bb_buf_puts(o, w->in_a ? "</span>" : "</a>");
		free(abs);
	} else if (src && (strncmp(src, "http://", 7) == 0 || strncmp(src, "https://", 8) == 0)) {
		bb_buf u = BB_BUF_INIT;
		S_put_url(&u, src);
		bb_buf_puts(o, w->in_a ? "<span class=\"embed\">" : "<a class=\"embed\" href=\"");
		if (!w->in_a) {
			S_put_text(o, u.data, 1);
			bb_buf_puts(o, "\">");
		}
		bb_buf_printf(o, "%s: ", what);
		S_put_text(o, src, 0);
		bb_buf_puts(o, w->in_a ? "</span>" : "</a>");
		bb_buf_free(&u);
	}
}

/* Writes all the text under n (scripts and styles left out), without
 * recursion, as one element that may stand in parent: what markup nested
 * too deeply becomes. */
static void
S_flat_text(xmlNodePtr n, const char *parent, int phrasing, bb_buf *o)
{
	xmlNodePtr c = n->children;
	unsigned pf = S_flags(parent);
	const char *open, *close;
	if (strcmp(parent, "tr") == 0)
		open = "<td>", close = "</td>";
	else if (pf & F_TSECTION)
		open = "<tr><td>", close = "</td></tr>";
	else if (pf & F_LIST)
		open = "<li>", close = "</li>";
	else if (strcmp(parent, "dl") == 0)
		open = "<dd>", close = "</dd>";
	else if (phrasing)
		open = "<span>", close = "</span>";
	else
		open = "<div>", close = "</div>";
	bb_buf_puts(o, open);
	while (c && c != n) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			if (c->content) {
				S_put_text(o, (const char *)c->content, 0);
				bb_buf_putc(o, ' ');
			}
		} else if (c->type == XML_ELEMENT_NODE && c->children && strcmp((const char *)c->name, "script") != 0 &&
			   strcmp((const char *)c->name, "style") != 0) {
			c = c->children;
			continue;
		}
		while (c != n && !c->next)
			c = c->parent;
		if (c != n)
			c = c->next;
	}
	bb_buf_puts(o, close);
}

/* Writes the start of element n (or what replaces it). Returns 1 when its
 * children are to be walked; f->close is then the tag to write after them. */
static int
S_open(rstate *st, xmlNodePtr n, bb_buf *o, walker *w, frame *f, size_t depth)
{
	const char *name = (const char *)n->name;
	const elem *e = S_elem(name);
	const char *as;

	f->close = NULL;
	f->wrap = NULL;
	f->is_a = 0;
	f->phrasing = 0;
	f->code = 0;
	if (!e)
		return 1; /* unknown: its content stays, the tag goes */
	if (depth > MAX_DEPTH && e->action != E_SPECIAL && e->action != E_DROP) {
		S_warn(st, W_DEPTH, "markup nested more than 200 levels deep was flattened%s", "");
		S_flat_text(n, S_out_parent(w), w->phrasing, o);
		return 0;
	}
	switch (e->action) {
	case E_DROP:
		return 0;
	case E_UNWRAP:
		return 1;
	case E_VOID:
		S_open_tag(o, name);
		S_attrs(st, n, name, o);
		bb_buf_puts(o, "/>");
		return 0;
	case E_RENAME:
	case E_KEEP:
		as = e->action == E_RENAME ? e->to : name;
		unsigned af = S_flags(as);
		if (w->phrasing && (af & F_BLOCK)) {
			/* a block inside a paragraph or a span: HTML parsers differ on
			 * where it belongs, so it stays where it is, as a span */
			if (strcmp(as, "hr") == 0) {
				bb_buf_puts(o, "<br/>");
				return 0;
			}
			as = "span";
		} else if (strcmp(as, "li") == 0 && !(S_flags(S_out_parent(w)) & F_LIST))
			as = "div";
		else if ((strcmp(as, "td") == 0 || strcmp(as, "th") == 0 || strcmp(as, "tr") == 0) &&
			 !(S_flags(S_out_parent(w)) & (F_TSECTION | F_TKID)))
			as = "div";
		else if ((strcmp(as, "dt") == 0 || strcmp(as, "dd") == 0) && strcmp(S_out_parent(w), "dl") != 0)
			as = "div";
		else
			f->wrap = S_table_wrap(S_out_parent(w), as, o);
		af = S_flags(as);
		if (af & F_PHRASING) {
			f->phrasing = 1;
			w->phrasing++;
		}
		if (af & F_CODE) {
			f->code = 1;
			w->in_code++;
		}
		S_open_tag(o, as);
		S_attrs(st, n, as, o);
		if (strcmp(as, "section") == 0 && S_attr(n, "data-footnotes"))
			bb_buf_puts(o, " epub:type=\"endnotes\" role=\"doc-endnotes\"");
		else if (strcmp(as, "li") == 0 && n->parent && n->parent->parent &&
			 n->parent->parent->type == XML_ELEMENT_NODE && S_attr(n->parent->parent, "data-footnotes"))
			bb_buf_puts(o, " epub:type=\"endnote\" role=\"doc-endnote\"");
		bb_buf_putc(o, '>');
		f->close = as;
		return 1;
	default:
		break;
	}
	/* the special ones: what they write (a link, an image, a span) stands
	 * where it may, as for the others */
	f->wrap = S_table_wrap(S_out_parent(w), name, o);
	if (strcmp(name, "a") == 0) {
		const char *href = S_attr(n, "href");
		char *nh = NULL;
		if (w->in_a) {
			/* no link inside a link: keep the text */
			return 1;
		}
		if (href)
			nh = S_href(st, href);
		if (!nh) {
			if (!S_attr(n, "id"))
				return 1;
			S_open_tag(o, "span");
			S_attrs(st, n, "span", o);
			bb_buf_putc(o, '>');
			f->close = "span";
			return 1;
		}
		S_open_tag(o, "a");
		S_put_attr(o, "href", nh);
		free(nh);
		S_attrs(st, n, "a", o);
		if (S_attr(n, "data-footnote-ref"))
			bb_buf_puts(o, " epub:type=\"noteref\" role=\"doc-noteref\"");
		else if (S_attr(n, "data-footnote-backref") || S_has_class(n, "footnote-backref"))
			bb_buf_puts(o, " epub:type=\"backlink\" role=\"doc-backlink\"");
		bb_buf_putc(o, '>');
		f->close = "a";
		f->is_a = 1;
		f->phrasing = 1;
		w->phrasing++;
		w->in_a++;
		return 1;
	}
	if (strcmp(name, "img") == 0) {
		S_img(st, n, o, w);
		return 0;
	}
	if (strcmp(name, "input") == 0) {
		const char *type = S_attr(n, "type");
		if (type && strcasecmp(type, "checkbox") == 0)
			bb_buf_puts(o, S_attr(n, "checked") ? "<span class=\"task\">\xE2\x98\x91</span>"
							    : "<span class=\"task\">\xE2\x98\x90</span>");
		else
			S_warn_at(st, W_FORM, "<input", "a form control (%s) was removed", "input");
		return 0;
	}
	if (strcmp(name, "script") == 0) {
		S_warn_at(st, W_SCRIPT, "<script", "a <script> element was removed%s", "");
		return 0;
	}
	if (strcmp(name, "style") == 0) {
		if (!st->dry)
			bb_diag_add(st->dl, BB_NOTE, st->p->path, 0, 0, "a <style> element in the post was left out");
		return 0;
	}
	/* after the link, the children are walked: they are the fallback
	 * text written for readers without the plug-in, and libxml2's HTML
	 * parser, which knows no void <embed>, puts everything that follows
	 * an <embed> inside it (<param>, <source> and <track> are dropped) */
	if (strcmp(name, "iframe") == 0 || strcmp(name, "frame") == 0) {
		S_embed_link(st, n, "Embedded page", o, w, W_IFRAME);
		return 1;
	}
	if (strcmp(name, "object") == 0 || strcmp(name, "embed") == 0 || strcmp(name, "applet") == 0) {
		S_embed_link(st, n, "Embedded object", o, w, W_OBJECT);
		return 1;
	}
	if (strcmp(name, "audio") == 0 || strcmp(name, "video") == 0) {
		S_embed_link(st, n, name[0] == 'a' ? "Audio" : "Video", o, w, W_MEDIA);
		return 1;
	}
	if (strcmp(name, "form") == 0) {
		S_warn_at(st, W_FORM, "<form", "a <form> was made inert (its text is kept)%s", "");
		return 1;
	}
	if (strcmp(name, "textarea") == 0) {
		/* its text, as preformatted text, or a span inside a paragraph */
		f->close = w->phrasing ? "span" : "pre";
		S_open_tag(o, f->close);
		bb_buf_putc(o, '>');
		f->phrasing = 1;
		w->phrasing++;
		return 1;
	}
	if (strcmp(name, "svg") == 0 || strcmp(name, "math") == 0) {
		/* libxml2's HTML parser folds the case of SVG and MathML names, so
		 * they cannot be kept faithfully: their text stays */
		bb_buf tb = BB_BUF_INIT;
		if (name[0] == 's')
			S_warn_at(st, W_SVG, "<svg", "inline <svg> is not kept (only its text)%s", "");
		S_text_content(n->children, &tb, 0);
		if (tb.len) {
			bb_buf_puts(o, name[0] == 'm' ? "<span class=\"math\">" : "<span>");
			S_put_text(o, tb.data, 0);
			bb_buf_puts(o, "</span>");
		}
		bb_buf_free(&tb);
		return 0;
	}
	return 1;
}

/* Text of a vertical Japanese page: a number of two ASCII digits standing
 * alone is set upright in one em (tate-chu-yoko), as the EBPAJ guide does;
 * longer numbers stay sideways, where they read better. */
static void
S_put_tcy(bb_buf *o, const char *t)
{
	size_t i = 0, start = 0, n = strlen(t);
	while (i < n) {
		if (isdigit((unsigned char)t[i]) && i + 1 < n && isdigit((unsigned char)t[i + 1]) &&
		    (i + 2 >= n || !isalnum((unsigned char)t[i + 2])) &&
		    (i == 0 || (!isalnum((unsigned char)t[i - 1]) && t[i - 1] != '.' && t[i - 1] != ',')) &&
		    !(i + 2 < n && (t[i + 2] == '.' || t[i + 2] == ',') && i + 3 < n && isdigit((unsigned char)t[i + 3]))) {
			char *pre = bb_xstrndup(t + start, i - start);
			S_put_text(o, pre, 0);
			free(pre);
			bb_buf_puts(o, "<span class=\"tcy\">");
			bb_buf_put(o, t + i, 2);
			bb_buf_puts(o, "</span>");
			i += 2;
			start = i;
			continue;
		}
		i++;
	}
	S_put_text(o, t + start, 0);
}

/* Writes what ends an element opened by S_open and leaves its context. */
static void
S_close(bb_buf *o, walker *w, const frame *f)
{
	if (f->close)
		bb_buf_printf(o, "</%s>", f->close);
	if (f->wrap)
		bb_buf_puts(o, f->wrap);
	if (f->is_a)
		w->in_a--;
	if (f->phrasing)
		w->phrasing--;
	if (f->code)
		w->in_code--;
}

/* Writes a top-level block and everything in it, without recursion. */
static void
S_emit(rstate *st, xmlNodePtr top, bb_buf *o, walker *w)
{
	xmlNodePtr n = top;
	for (;;) {
		int descend = 0;
		frame f = { NULL, NULL, 0, 0, 0 };
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content) {
				const char *parent = S_out_parent(w), *t = (const char *)n->content;
				if (S_flags(parent) & F_NOTEXT) {
					/* text where only elements may stand: kept, wrapped */
					if (t[strspn(t, " \t\r\n")]) {
						const char *wrap = strcmp(parent, "tr") == 0 ? "td" : (S_flags(parent) & F_TSECTION) ? NULL
							: strcmp(parent, "dl") == 0 ? "dd" : "li";
						bb_buf_puts(o, wrap ? "" : "<tr><td>");
						if (wrap)
							bb_buf_printf(o, "<%s>", wrap);
						S_put_text(o, t, 0);
						if (wrap)
							bb_buf_printf(o, "</%s>", wrap);
						else
							bb_buf_puts(o, "</td></tr>");
					} else
						S_put_text(o, t, 0);
				} else if (st->tcy && !w->in_code && !(n->parent && n->parent->type == XML_ELEMENT_NODE && S_has_class(n->parent, "tcy")))
					S_put_tcy(o, t);
				else
					S_put_text(o, t, 0);
			}
		} else if (n->type == XML_ELEMENT_NODE)
			descend = S_open(st, n, o, w, &f, w->depth);
		if (descend && n->children) {
			if (w->n == w->cap) {
				w->cap = w->cap ? w->cap * 2 : 64;
				w->v = bb_xrealloc(w->v, w->cap * sizeof *w->v);
			}
			w->v[w->n++] = f;
			w->depth += S_frame_depth(&f);
			n = n->children;
			continue;
		}
		S_close(o, w, &f);
		while (n != top && !n->next) {
			n = n->parent;
			--w->n;
			w->depth -= S_frame_depth(&w->v[w->n]);
			S_close(o, w, &w->v[w->n]);
		}
		if (n == top)
			break;
		n = n->next;
	}
}

/* ---- the whole post ---- */

typedef struct lctx {
	rstate *st;
	bb_fm_node *fm;
	char *tmp;
} lctx;

static char *
S_liquid_resolve(void *ud, const char *kind, const char *arg)
{
	lctx *c = ud;
	const bb_blog *b = c->st->b;
	size_t t;
	char *key = bb_xstrdup(arg), *dot;
	int found;
	/* post_url takes "2023-01-05-slug" (maybe in a folder), link a path */
	if (strcmp(kind, "post_url") == 0) {
		const char *base = strrchr(key, '/');
		found = bb_map_get(&b->by_name, base ? base + 1 : key, &t);
	} else {
		found = bb_map_get(&b->by_name, key, &t);
		if (!found && (dot = strrchr(key, '.')))
			*dot = '\0', found = 0;
	}
	free(key);
	if (!found)
		return NULL;
	return bb_xasprintf("%s%s", b->baseurl ? b->baseurl : "", b->posts[t].url);
}

static const char *
S_liquid_lookup(void *ud, const char *name)
{
	lctx *c = ud;
	const bb_blog *b = c->st->b;
	if (strncmp(name, "site.", 5) == 0) {
		const char *k = name + 5;
		if (strcmp(k, "baseurl") == 0)
			return b->baseurl ? b->baseurl : "";
		if (strcmp(k, "url") == 0)
			return b->url ? b->url : "";
		if (strcmp(k, "title") == 0)
			return b->title;
		if (strcmp(k, "author") == 0)
			return b->author ? b->author : "";
		if (strcmp(k, "description") == 0)
			return b->description ? b->description : "";
		return b->config ? bb_fm_str(b->config, k) : NULL;
	}
	if (strncmp(name, "page.", 5) == 0) {
		const char *k = name + 5;
		if (strcmp(k, "title") == 0)
			return c->st->p->title;
		if (strcmp(k, "date") == 0)
			return c->st->p->ymd;
		if (strcmp(k, "url") == 0)
			return c->st->p->url;
		if (strcmp(k, "slug") == 0)
			return c->st->p->slug;
		if (strcmp(k, "path") == 0) {
			/* the file's name as text: bytes that are not UTF-8 and
			 * control characters become U+FFFD */
			const unsigned char *u = (const unsigned char *)c->st->p->path;
			size_t n = strlen(c->st->p->path), i = 0;
			bb_buf b = BB_BUF_INIT;
			bb_buf_put(&b, "", 0);
			while (i < n) {
				unsigned cp;
				int w = bb_utf8_decode(u + i, n - i, &cp);
				if (w == 0 || cp < 0x20 || cp == 0x7F) {
					bb_buf_put(&b, "\xEF\xBF\xBD", 3);
					i += w ? (size_t)w : 1;
				} else {
					bb_buf_put(&b, u + i, (size_t)w);
					i += (size_t)w;
				}
			}
			free(c->tmp);
			c->tmp = bb_buf_detach(&b, NULL);
			return c->tmp;
		}
		if (strcmp(k, "id") == 0) {
			const char *u = c->st->p->url;
			size_t n = strlen(u);
			free(c->tmp);
			c->tmp = bb_xstrndup(u, n >= 5 && strcmp(u + n - 5, ".html") == 0 ? n - 5 : n);
			return c->tmp;
		}
		return c->fm ? bb_fm_str(c->fm, k) : NULL;
	}
	return NULL;
}

static void
S_liquid_warn(void *ud, unsigned line, unsigned col, const char *msg)
{
	lctx *c = ud;
	bb_diag_add(c->st->dl, BB_WARNING, c->st->p->path, c->st->line0 + line - 1, col, "%s", msg);
}

/* Hugo shortcodes ({{< name args >}}, {{% name %}}) have no meaning outside
 * Hugo: each tag is removed with a warning at its place and what stands
 * between a pair is kept; ref and relref become the post's address, which
 * the link pass then turns into a place in the book. Returns a new text or
 * NULL when there is none. */
static char *
S_hugo_shortcodes(rstate *st, const char *text, size_t len, size_t *out_len)
{
	bb_buf o = BB_BUF_INIT;
	size_t i = 0, start = 0;
	unsigned line = st->line0, col = 1;
	int any = 0;
	while (i + 3 < len) {
		if (text[i] == '\n')
			line++, col = 1;
		else if (((unsigned char)text[i] & 0xC0) != 0x80)
			col++;
		if (text[i] == '{' && text[i + 1] == '{' && (text[i + 2] == '<' || text[i + 2] == '%')) {
			char close = text[i + 2] == '<' ? '>' : '%';
			size_t j = i + 3, k;
			while (j + 2 < len && !(text[j] == close && text[j + 1] == '}' && text[j + 2] == '}') && text[j] != '\n')
				j++;
			if (j + 2 < len && text[j] == close) {
				const char *name = text + i + 3;
				size_t nlen;
				int closing;
				while (name < text + j && *name == ' ')
					name++;
				closing = *name == '/';
				while (name < text + j && (*name == ' ' || *name == '/'))
					name++;
				for (nlen = 0; name + nlen < text + j && !isspace((unsigned char)name[nlen]); nlen++)
					;
				bb_buf_put(&o, text + start, i - start);
				if ((nlen == 3 && strncmp(name, "ref", 3) == 0) || (nlen == 6 && strncmp(name, "relref", 6) == 0)) {
					/* the argument, quotes stripped: a content path */
					const char *a = name + nlen, *e = text + j;
					size_t t;
					char *arg;
					while (a < e && (*a == ' ' || *a == '"'))
						a++;
					while (e > a && (e[-1] == ' ' || e[-1] == '"'))
						e--;
					arg = bb_xstrndup(a, (size_t)(e - a));
					for (t = 0; t < st->b->nposts; t++) {
						const char *pp = st->b->posts[t].path, *base = strrchr(pp, '/');
						if (strstr(pp, arg) || (base && strcmp(base + 1, arg) == 0))
							break;
					}
					if (t < st->b->nposts)
						bb_buf_puts(&o, st->b->posts[t].url);
					else
						bb_diag_add(st->dl, BB_WARNING, st->p->path, line, col - 1,
							    "Hugo %.*s to '%s' names no post of the book", (int)nlen, name, arg);
					free(arg);
				} else if (!st->dry && !closing)
					bb_diag_add(st->dl, BB_WARNING, st->p->path, line, col - 1,
						    "Hugo shortcode '%.*s' is not supported: removed, the text around it kept",
						    (int)nlen, name);
				for (k = i; k < j + 3; k++)
					if (((unsigned char)text[k] & 0xC0) != 0x80)
						col++;
				i = start = j + 3;
				any = 1;
				continue;
			}
		}
		i++;
	}
	if (!any)
		return NULL;
	bb_buf_put(&o, text + start, len - start);
	return bb_buf_detach(&o, out_len);
}

/* 1 when text holds a character of the East Asian wide blocks or Hangul
 * (a superset of what the CJK passes look for). */
static int
S_has_cjk(const char *text, size_t len)
{
	const unsigned char *u = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		unsigned cp;
		int k;
		if (u[i] < 0xE1) {
			i++;
			continue;
		}
		k = bb_utf8_decode(u + i, len - i, &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x2E80 && cp <= 0xD7FF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		    (cp >= 0xFE10 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x16FE0 && cp <= 0x3FFFF))
			return 1;
		i += (size_t)k;
	}
	return 0;
}

static int
S_is_rtl(const char *lang)
{
	static const char *const rtl[] = { "ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "ckb", "dv", NULL };
	size_t i, n = strcspn(lang, "-");
	for (i = 0; rtl[i]; i++)
		if (strlen(rtl[i]) == n && strncmp(lang, rtl[i], n) == 0)
			return 1;
	return 0;
}

static int
S_is_cjk_lang(const char *lang)
{
	return strncmp(lang, "ja", 2) == 0 || strncmp(lang, "zh", 2) == 0 || strncmp(lang, "ko", 2) == 0;
}

static void
S_apply_template(rstate *st, int part, const char *body, bb_buf *out)
{
	const bb_blog *b = st->b;
	const bb_post *p = st->p;
	const char *lang = p->lang ? p->lang : b->lang;
	size_t tlen;
	const char *tpl = bb_template_get(b->tpl, "chapter.xhtml", &tlen);
	char *title = bb_plain_title(p->title);
	bb_tvar v[16];
	size_t n = 0;
#define VAR(nm, val) (v[n].name = (nm), v[n].value = (val), v[n].list = NULL, v[n].n = 0, n++)
	VAR("lang", lang);
	VAR("dir", S_is_rtl(lang) ? "rtl" : "ltr");
	VAR("html_class", b->vertical && S_is_cjk_lang(lang) ? "vrtl" : "hltr");
	VAR("title", title);
	VAR("id", p->id);
	VAR("first", part == 0 ? "1" : "");
	VAR("date", p->ymd);
	VAR("author", p->author ? p->author : (b->author ? b->author : ""));
	VAR("has_categories", p->ncategories ? "1" : "");
	VAR("has_tags", p->ntags ? "1" : "");
	VAR("body", body);
	VAR("book_title", b->title);
#undef VAR
	v[n].name = "categories", v[n].value = NULL, v[n].list = (const char *const *)p->categories, v[n].n = p->ncategories, n++;
	v[n].name = "tags", v[n].value = NULL, v[n].list = (const char *const *)p->tags, v[n].n = p->ntags, n++;
	bb_template_expand(tpl, tlen, v, n, out);
	free(title);
}

/* Appends the text [off, len) of a post as one code block, before the
 * footnote definitions (which references point to, so they stay). */
static void
S_tail_block(cmark_node *doc, const char *text, size_t off, size_t len)
{
	cmark_node *n, *cb = cmark_node_new(CMARK_NODE_CODE_BLOCK);
	char *rest = bb_xstrndup(text + off, len - off);
	cmark_node_set_literal(cb, rest);
	free(rest);
	for (n = cmark_node_first_child(doc); n; n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION)
			break;
	if (n)
		cmark_node_insert_before(n, cb);
	else
		cmark_node_append_child(doc, cb);
}

/* Moves into body whatever libxml2's HTML parser left beside it: text that
 * follows "</body></html>" lands in a second <html> (or <body>), which
 * would otherwise be lost, or, after a second <!DOCTYPE>, beside the root.
 * Those wrappers go, their children stay, in order; <head> stays. */
static void
S_gather_body(xmlDocPtr doc, xmlNodePtr body)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), c, after;
	/* after a second <!DOCTYPE>, elements stand beside the root: into it */
	for (c = doc->children; c; c = after) {
		after = c->next;
		if (c != root && c->type == XML_ELEMENT_NODE) {
			xmlUnlinkNode(c);
			xmlAddChild(root, c);
		}
	}
	c = root->children;
	while (c) {
		xmlNodePtr next = c->next;
		const char *nm = c->type == XML_ELEMENT_NODE ? (const char *)c->name : "";
		if (c == body || strcmp(nm, "head") == 0) {
			c = next;
			continue;
		}
		if (strcmp(nm, "html") == 0 || strcmp(nm, "body") == 0) {
			/* its children take its place, and are looked at in turn */
			xmlNodePtr k = c->last, prev;
			while (k) {
				prev = k->prev;
				xmlUnlinkNode(k);
				xmlAddNextSibling(c, k);
				k = prev;
			}
			next = c->next;
			xmlUnlinkNode(c);
			xmlFreeNode(c);
			c = next;
			continue;
		}
		xmlUnlinkNode(c);
		xmlAddChild(body, c);
		c = next;
	}
}

/* Replaces in *html what XML may not hold, control characters but tab, LF
 * and CR (a "&#1;" cmark decoded, a form feed), U+FFFE, U+FFFF and bytes
 * that are not UTF-8, by U+FFFD: libxml2's HTML parser meets them with an
 * encoding error and may read the rest of the post as Latin-1 or drop it. */
static void
S_xml_chars(char **html)
{
	const unsigned char *u = (const unsigned char *)*html;
	size_t n = strlen(*html), i = 0, run = 0;
	bb_buf b = BB_BUF_INIT;
	int changed = 0;
	while (i < n) {
		unsigned cp;
		int k;
		if (u[i] >= 0x20 && u[i] < 0x80) {
			i++;
			continue;
		}
		k = bb_utf8_decode(u + i, n - i, &cp);
		if (k > 0 && (cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r') && cp != 0xFFFE && cp != 0xFFFF) {
			i += (size_t)k;
			continue;
		}
		if (!changed)
			bb_buf_grow(&b, n + 16), changed = 1;
		bb_buf_put(&b, *html + run, i - run);
		bb_buf_put(&b, "\xEF\xBF\xBD", 3);
		i += k > 0 ? (size_t)k : 1;
		run = i;
	}
	if (!changed)
		return;
	bb_buf_put(&b, *html + run, n - run);
	free(*html);
	*html = bb_buf_detach(&b, NULL);
}

/* Bounds the tree of a post: from the top-level block where the count of
 * nodes (and of tags in raw HTML) passes MAX_NODES, the blocks are replaced
 * by one code block holding the text from there as written. Returns the
 * line of the cut, 1-based in text, or 0 when the tree is within the bound. */
static unsigned
S_bound_tree(cmark_node *doc, const char *text, size_t len)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node *cut = NULL, *n, *next;
	size_t count = 0, off = 0;
	unsigned line, l;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node_type t;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		t = cmark_node_get_type(n);
		count++;
		if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) {
			const char *lit = cmark_node_get_literal(n);
			for (; lit && *lit; lit++)
				count += *lit == '<';
		}
		if (count > MAX_NODES) {
			cut = n;
			break;
		}
	}
	cmark_iter_free(it);
	if (!cut)
		return 0;
	while (cmark_node_parent(cut) && cmark_node_parent(cut) != doc)
		cut = cmark_node_parent(cut);
	line = (unsigned)cmark_node_get_start_line(cut);
	if (cmark_node_get_type(cut) == CMARK_NODE_FOOTNOTE_DEFINITION || line < 1)
		return 0;
	for (l = 1; l < line && off < len; off++)
		if (text[off] == '\n')
			l++;
	for (n = cut; n; n = next) {
		next = cmark_node_next(n);
		if (cmark_node_get_type(n) != CMARK_NODE_FOOTNOTE_DEFINITION) {
			cmark_node_unlink(n);
			cmark_node_free(n);
		}
	}
	S_tail_block(doc, text, off, len);
	return line;
}

/* Lifts the heading levels so the body starts at h2 under the title's h1
 * and never skips a level. */
static void
S_levels(scan *sc)
{
	int min = 7, prev = 1;
	size_t i;
	for (i = 0; i < sc->nh; i++)
		if (sc->h[i].level < min)
			min = sc->h[i].level;
	for (i = 0; i < sc->nh; i++) {
		int l = sc->h[i].level - min + 2;
		if (l > prev + 1)
			l = prev + 1;
		if (l > 6)
			l = 6;
		sc->h[i].level = l;
		prev = l;
	}
}

int
bb_render_post(bb_blog *b, size_t idx, bb_render_out *out, int dry, bb_diaglist *dl)
{
	bb_post *p = &b->posts[idx];
	rstate st;
	scan sc;
	char *text = NULL, *liq = NULL, *stitched = NULL, *html = NULL, *reserved;
	const char *body;
	size_t len, fm, fmlen, boff, blen, i;
	unsigned body_line;
	int toml = 0, rc = -1, k;
	htmlDocPtr doc = NULL;
	xmlNodePtr bodyel, top;
	lctx lc;
	walker w;

	bb_render_init();
	memset(&st, 0, sizeof st);
	memset(&sc, 0, sizeof sc);
	memset(&lc, 0, sizeof lc);
	memset(&w, 0, sizeof w);
	st.b = b;
	st.p = p;
	st.idx = idx;
	st.dl = dl;
	st.dry = dry;
	st.tcy = b->vertical && S_is_cjk_lang(p->lang ? p->lang : b->lang);
	if (bb_post_read(b, p, &text, &len, dry ? NULL : dl, 1) != 0)
		goto out;
	if (bb_fm_split(text, len, &fm, &fmlen, &boff, &body_line, &toml) <= 0)
		boff = 0, body_line = 1;
	st.line0 = body_line;
	st.src = text;
	st.srclen = len;
	st.srcbody = boff;
	body = text + boff;
	blen = len - boff;

	if (b->hugo && strstr(body, "{{") && (liq = S_hugo_shortcodes(&st, body, blen, &blen)))
		body = liq;
	/* Liquid first, as Jekyll does */
	if (!b->hugo && bb_liquid_present(body, blen)) {
		bb_liquid_ctx ctx;
		bb_fm_problem prob;
		lc.st = &st;
		if (fmlen)
			lc.fm = toml ? bb_fm_parse_toml(text + fm, fmlen, 2, &prob) : bb_fm_parse(text + fm, fmlen, 2, &prob);
		ctx.resolve = S_liquid_resolve;
		ctx.lookup = S_liquid_lookup;
		ctx.warn = dry ? NULL : S_liquid_warn;
		ctx.ud = &lc;
		liq = bb_liquid_render(body, blen, &ctx, &blen);
		body = liq;
		bb_fm_free(lc.fm);
		free(lc.tmp);
	}
	if (b->stitch && bb_stitch_has_marker(body, blen)) {
		struct bb_stitch_stats ss;
		stitched = bb_stitch(body, blen, &blen, &ss);
		body = stitched;
		if (!dry)
			bb_diag_add(dl, BB_NOTE, p->path, 0, 0,
				    "stitched %u segments: %u blocks in, %u out (%u repeats dropped, %u cut sentences joined)",
				    ss.segments, ss.paragraphs_in, ss.paragraphs_out, ss.dropped_repeats, ss.merged_cuts);
	}

	{
		size_t skip = bb_title_repeat_len(body, blen, p->title);
		body += skip;
		blen -= skip;
	}
	if (p->is_html) {
		html = bb_xstrndup(body, blen);
	} else {
		static const char *const exts[] = { "table", "strikethrough", "autolink", "tasklist", NULL };
		int opts = CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;
		cmark_parser *parser = cmark_parser_new(opts);
		cmark_node *doc_md;
		for (i = 0; exts[i]; i++) {
			cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
			if (e)
				cmark_parser_attach_syntax_extension(parser, e);
		}
		/* cmark's own tree costs too: past MAX_NODES lines, which could
		 * each start a block, the text is not parsed (see S_bound_tree) */
		size_t fed = blen, k, lines = 1;
		unsigned cut;
		for (k = 0; k < blen; k++)
			if (body[k] == '\n' && ++lines > MAX_NODES) {
				fed = k + 1;
				break;
			}
		pthread_mutex_lock(&S_cmark_lock);
		cmark_parser_feed(parser, body, fed);
		doc_md = cmark_parser_finish(parser);
		pthread_mutex_unlock(&S_cmark_lock);
		{
			if (!(cut = S_bound_tree(doc_md, body, blen)) && fed < blen) {
				S_tail_block(doc_md, body, fed, blen);
				cut = MAX_NODES + 1;
			}
			if (cut && !dry)
				bb_diag_add(dl, BB_WARNING, p->path, st.line0 + cut - 1, 1,
					    "more than %d elements in one post: from here on its text is kept as "
					    "plain text", MAX_NODES);
		}
		/* every pass of the CJK module needs a CJK character nearby: a post
		 * without one (most English posts) skips the walk */
		if (S_has_cjk(body, blen))
			bb_cjk_transform(doc_md, BB_CJK_ALL);
		html = cmark_render_html(doc_md, opts, cmark_parser_get_syntax_extensions(parser));
		cmark_node_free(doc_md);
		cmark_parser_free(parser);
	}
	S_xml_chars(&html);

	doc = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
			     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
				     HTML_PARSE_NODEFDTD | XML_PARSE_HUGE);
	if (!doc) {
		/* an empty post: a chapter with its title */
		doc = htmlNewDocNoDtD(NULL, NULL);
	}
	bodyel = NULL;
	{
		xmlNodePtr r = xmlDocGetRootElement(doc), c;
		if (r && strcmp((const char *)r->name, "html") == 0) {
			for (c = r->children; c && !bodyel; c = c->next)
				if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "body") == 0)
					bodyel = c;
		}
		if (!bodyel) {
			xmlNodePtr h = r ? r : xmlNewDocNode(doc, NULL, (const xmlChar *)"html", NULL);
			if (!r)
				xmlDocSetRootElement(doc, h);
			bodyel = xmlNewChild(h, NULL, (const xmlChar *)"body", NULL);
		}
		S_gather_body(doc, bodyel);
	}

	/* pass 1: ids, headings, sizes */
	reserved = bb_xasprintf("%s-title", p->id);
	bb_map_put(&st.ids, reserved, 0);
	free(reserved);
	S_scan(&st, bodyel, &sc);
	S_levels(&sc);
	for (i = 0; i < sc.nh; i++) {
		char lvl[3] = { 'h', (char)('0' + sc.h[i].level), 0 };
		const char *have = S_attr(sc.h[i].node, "id");
		/* past the table of contents, a heading gets no id: a million of
		 * them cost libxml2's id table most of the run's time */
		if (!have && i < MAX_NAV_HEADINGS) {
			char *slug = S_slug(sc.h[i].text);
			char *id = S_unique_id(&st, slug, sc.h[i].top);
			xmlSetProp(sc.h[i].node, (const xmlChar *)"id", (const xmlChar *)id);
			free(slug);
			free(id);
		}
		xmlNodeSetName(sc.h[i].node, (const xmlChar *)lvl);
		if (!*sc.h[i].text && !dry)
			bb_diag_add(dl, BB_WARNING, p->path, 0, 0, "an empty heading");
	}
	/* the split into files: at a heading once a file is large, anywhere
	 * between blocks once it is much too large */
	st.part_start = bb_xmalloc((sc.ntop + 1) * sizeof *st.part_start);
	st.part_start[0] = 0;
	st.nparts = 1;
	{
		size_t acc = 0;
		for (i = 0; i < sc.ntop; i++) {
			if (acc > BB_SPLIT_BYTES && (sc.is_heading[i] || acc > BB_SPLIT_BYTES * 3 / 2)) {
				st.part_start[st.nparts++] = i;
				acc = 0;
			}
			acc += sc.size[i];
		}
	}

	/* the headings the navigation shows: a table of contents of a million
	 * entries helps no reader, and costs the nav and NCX their size */
	if (sc.nh > MAX_NAV_HEADINGS && !dry)
		bb_diag_add(dl, BB_WARNING, p->path, 0, 0,
			    "%zu headings: only the first %d are in the table of contents", sc.nh, MAX_NAV_HEADINGS);
	out->headings = bb_xcalloc(sc.nh ? sc.nh : 1, sizeof *out->headings);
	for (i = 0; i < sc.nh && i < MAX_NAV_HEADINGS; i++) {
		bb_heading *h = &out->headings[out->nheadings++];
		h->level = sc.h[i].level;
		h->id = bb_xstrdup(S_attr(sc.h[i].node, "id"));
		h->text = *sc.h[i].text ? bb_xstrdup(sc.h[i].text) : NULL;
		h->part = S_part_of(&st, sc.h[i].top);
	}
	out->nparts = st.nparts;

	if (!dry) {
		bb_buf bodybuf = BB_BUF_INIT;
		out->parts = bb_xcalloc((size_t)st.nparts, sizeof *out->parts);
		top = bodyel->children;
		for (k = 0, i = 0; k < st.nparts; k++) {
			size_t end = k + 1 < st.nparts ? st.part_start[k + 1] : sc.ntop;
			st.curpart = k;
			bb_buf_reset(&bodybuf);
			for (; i < end && top; i++, top = top->next) {
				w.n = 0;
				w.depth = 0;
				w.in_a = 0;
				w.phrasing = 0;
				w.in_code = 0;
				S_emit(&st, top, &bodybuf, &w);
			}
			S_apply_template(&st, k, bodybuf.data ? bodybuf.data : "", &out->parts[k]);
		}
		bb_buf_free(&bodybuf);
	}
	rc = 0;
out:
	for (i = 0; i < sc.nh; i++)
		free(sc.h[i].text);
	free(sc.h);
	free(sc.size);
	free(sc.is_heading);
	free(st.part_start);
	free(w.v);
	bb_map_free(&st.ids);
	if (doc)
		xmlFreeDoc(doc);
	free(html);
	free(stitched);
	free(liq);
	free(text);
	return rc;
}

void
bb_render_out_free(bb_render_out *out)
{
	size_t i;
	int k;
	if (!out)
		return;
	for (k = 0; k < out->nparts && out->parts; k++)
		bb_buf_free(&out->parts[k]);
	free(out->parts);
	for (i = 0; i < out->nheadings; i++) {
		free(out->headings[i].id);
		free(out->headings[i].text);
	}
	free(out->headings);
	memset(out, 0, sizeof *out);
}
