/* xhtml.c: phase 2 of rendering a post: one walk over its HTML tree that
 * writes well-formed, inert XHTML (only the elements and attributes a book
 * keeps, links and images resolved) and notes the facts the package
 * declares (ruby, images and their alt text, math, svg, remote images). */
#define _POSIX_C_SOURCE 200809L
#include "xhtml_impl.h"
#include "codeblock.h"
#include "formula.h"
#include "fetch.h"
#include "markdown.h"

#include <ctype.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH BB_MAX_DEPTH
/* Warnings of one kind shown per post before they are only counted. */
#define MAX_SAME_WARNINGS 5

enum { E_KEEP, E_VOID, E_RENAME, E_UNWRAP, E_DROP, E_SPECIAL };

typedef struct elem {
	const char *name;
	int action;
	const char *to; /* E_RENAME: the new name */
} elem;

/* Sorted by name. */
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

/* The elements by a hash of their names (open addressing; a slot holds
 * its index + 1): a bsearch made five or six strcmp calls a look-up. */
#define SLOTS 512
static unsigned char S_slot[SLOTS];
static pthread_once_t S_slot_once = PTHREAD_ONCE_INIT;

static unsigned
S_hash(const char *s)
{
	unsigned h = 0;
	for (; *s; s++)
		h = h * 31 + (unsigned char)*s;
	return (h * 2654435769u) >> 23; /* its top 9 bits: SLOTS */
}

static void
S_init_slots(void)
{
	unsigned i, k;
	for (i = 0; i < sizeof elems / sizeof *elems; S_slot[k] = (unsigned char)++i)
		for (k = S_hash(elems[i].name); S_slot[k]; k = (k + 1) % SLOTS)
			;
}

static const elem *
S_elem(const char *name)
{
	unsigned k;
	pthread_once(&S_slot_once, S_init_slots);
	for (k = S_hash(name); S_slot[k]; k = (k + 1) % SLOTS) {
		const char *a = elems[S_slot[k] - 1].name, *b = name;
		while (*a && *a == *b) /* names of a few bytes: no call of strcmp */
			a++, b++;
		if (*a == *b)
			return &elems[S_slot[k] - 1];
	}
	return NULL;
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

/* Finds needle (ASCII, case folded) in the post's file from the kind's
 * cursor on, to give a message its line and column: the HTML tree no longer
 * knows where in the Markdown a node came from. Returns 0 when not found. */
static int
S_locate(bb_xhtml *st, int kind, const char *needle, unsigned *line, unsigned *col)
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
void
bb_xhtml_warn_at(bb_xhtml *st, int kind, const char *needle, const char *fmt, const char *arg)
{
	unsigned line = 0, col = 0;
	if (++st->warned[kind] > MAX_SAME_WARNINGS) {
		if (st->warned[kind] == MAX_SAME_WARNINGS + 1)
			bb_diag_add(st->dl, BB_WARNING, st->p->path, 0, 0, "more problems of the same kind in this post are not listed");
		return;
	}
	/* a post held in memory (an export's) counts from its line in the file */
	if (needle && S_locate(st, kind, needle, &line, &col) && st->p->body && st->p->body_line)
		line += st->p->body_line - 1;
	bb_diag_add(st->dl, BB_WARNING, st->p->path, line, col, fmt, arg ? arg : "");
}

static void
S_warn(bb_xhtml *st, int kind, const char *fmt, const char *arg)
{
	bb_xhtml_warn_at(st, kind, NULL, fmt, arg);
}

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

void
bb_xhtml_put_attr(bb_buf *o, const char *name, const char *value)
{
	bb_buf_putc(o, ' ');
	bb_buf_puts(o, name);
	bb_buf_puts(o, "=\"");
	bb_xhtml_put_text(o, value, 1);
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
void
bb_xhtml_attrs(bb_xhtml *st, xmlNodePtr n, const char *as, bb_buf *o)
{
	xmlAttrPtr a;
	for (a = n->properties; a; a = a->next) {
		const char *nm = (const char *)a->name;
		const char *v = a->children && a->children->content ? (const char *)a->children->content : "";
		if (a->ns)
			continue;
		if ((nm[0] == 'o' || nm[0] == 'O') && (nm[1] == 'n' || nm[1] == 'N')) {
			bb_xhtml_warn_at(st, W_EVENT, nm, "an event handler attribute (%s) was removed", nm);
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
			bb_xhtml_put_attr(o, nm, nm);
			continue;
		}
		if (strcmp(nm, "lang") == 0)
			bb_xhtml_put_attr(o, "xml:lang", v);
		bb_xhtml_put_attr(o, nm, v);
	}
}

int
bb_xhtml_has_class(xmlNodePtr n, const char *cls)
{
	const char *c = bb_tree_attr(n, "class");
	size_t l = strlen(cls);
	while (c && (c = strstr(c, cls))) {
		if ((c[l] == '\0' || c[l] == ' '))
			return 1;
		c += l;
	}
	return 0;
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
				bb_xhtml_put_text(o, (const char *)c->content, 0);
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

/* Writes the start of an element kept (as as, its name or new name), or
 * what stands for it where it may not stand. Returns 1: its children are
 * walked, f->close is the tag to write after them. */
static int
S_open_kept(bb_xhtml *st, xmlNodePtr n, const char *as, bb_buf *o, walker *w, frame *f)
{
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
	if (strcmp(as, "ruby") == 0)
		st->facts |= BB_FACT_RUBY;
	S_open_tag(o, as);
	bb_xhtml_attrs(st, n, as, o);
	if (strcmp(as, "section") == 0 && bb_tree_attr(n, "data-footnotes"))
		bb_buf_puts(o, " epub:type=\"footnotes\" role=\"doc-endnotes\"");
	else if (strcmp(as, "aside") == 0 && bb_tree_attr(n, "data-footnote"))
		/* footnotes.c's notes: pop-up readers look for epub:type */
		bb_buf_puts(o, " epub:type=\"footnote\" role=\"doc-footnote\"");
	bb_buf_putc(o, '>');
	f->close = as;
	return 1;
}

/* A link: its target from links.c, or its text alone. Returns 1. */
static int
S_open_a(bb_xhtml *st, xmlNodePtr n, bb_buf *o, walker *w, frame *f)
{
	const char *href = bb_tree_attr(n, "href");
	char *nh = NULL;
	int why = 0;
	if (w->in_a) {
		/* no link inside a link: keep the text */
		return 1;
	}
	if (href) {
		nh = bb_link_href(st->links, href, &why);
		while (isspace((unsigned char)*href))
			href++;
		if (why == BB_LINK_SCRIPT)
			bb_xhtml_warn_at(st, W_JSURL, "script:", "a link to a script URL (%s...) was made inert", "javascript:");
		else if (why == BB_LINK_FILE)
			S_warn(st, W_OUTSIDE, "a link to a file: URL (%s) was removed, its text kept", href);
		else if (why == BB_LINK_SCHEME)
			S_warn(st, W_OUTSIDE, "a link whose scheme no reading system opens (%s) was removed, its text kept",
			       href);
		else if (why == BB_LINK_VOLUME)
			bb_xhtml_warn_at(st, W_OUTSIDE, href,
					 "a link to a post in another volume (%s) has no address on the web (the blog's url is not "
					 "set): its text is kept", href);
	}
	if (!nh) {
		if (!bb_tree_attr(n, "id"))
			return 1;
		S_open_tag(o, "span");
		bb_xhtml_attrs(st, n, "span", o);
		bb_buf_putc(o, '>');
		f->close = "span";
		return 1;
	}
	S_open_tag(o, "a");
	bb_xhtml_put_attr(o, "href", nh);
	bb_xhtml_attrs(st, n, "a", o);
	if (bb_tree_attr(n, "data-footnote-ref"))
		bb_buf_puts(o, " epub:type=\"noteref\" role=\"doc-noteref\"");
	else if (bb_tree_attr(n, "data-footnote-backref") || bb_xhtml_has_class(n, "footnote-backref"))
		bb_buf_puts(o, " epub:type=\"backlink\" role=\"doc-backlink\"");
	else if (st->b->opt.link_notes == 1)
		f->note = st->tf && st->tf->note_add ? st->tf->note_add(st, n, nh) : 0;
	bb_buf_putc(o, '>');
	f->close = "a";
	f->is_a = 1;
	f->phrasing = 1;
	w->phrasing++;
	w->in_a++;
	free(nh);
	return 1;
}

/* Frames, objects and media: handed to the caller's transform. */
static void
S_embed(bb_xhtml *st, xmlNodePtr n, const char *what, bb_buf *o, int kind)
{
	if (st->tf && st->tf->embed)
		st->tf->embed(st, n, what, o, kind);
}

/* The elements that are not simply kept or dropped: links, images, forms,
 * scripts, embedded content, svg and math. Returns as S_open. */
static int
S_open_special(bb_xhtml *st, xmlNodePtr n, bb_buf *o, walker *w, frame *f)
{
	const char *name = (const char *)n->name;
	/* the special ones: what they write (a link, an image, a span) stands
	 * where it may, as for the others */
	f->wrap = S_table_wrap(S_out_parent(w), name, o);
	if (strcmp(name, "a") == 0)
		return S_open_a(st, n, o, w, f);
	if (strcmp(name, "img") == 0) {
		if (st->tf && st->tf->img)
			st->tf->img(st, n, o);
		return 0;
	}
	if (strcmp(name, "input") == 0) {
		const char *type = bb_tree_attr(n, "type");
		if (type && strcasecmp(type, "checkbox") == 0)
			bb_buf_puts(o, bb_tree_attr(n, "checked") ? "<span class=\"task\">\xE2\x98\x91</span>"
							    : "<span class=\"task\">\xE2\x98\x90</span>");
		else
			bb_xhtml_warn_at(st, W_FORM, "<input", "a form control (%s) was removed", "input");
		return 0;
	}
	if (strcmp(name, "script") == 0) {
		if (st->tf && st->tf->script && st->tf->script(st, n, o))
			return 0;
		bb_xhtml_warn_at(st, W_SCRIPT, "<script", "a <script> element was removed%s", "");
		return 0;
	}
	if (strcmp(name, "style") == 0) {
		bb_diag_add(st->dl, BB_NOTE, st->p->path, 0, 0, "a <style> element in the post was left out");
		return 0;
	}
	/* after the link, the children are walked: they are the fallback
	 * text written for readers without the plug-in, and libxml2's HTML
	 * parser, which knows no void <embed>, puts everything that follows
	 * an <embed> inside it (<param>, <source> and <track> are dropped) */
	if (strcmp(name, "iframe") == 0 || strcmp(name, "frame") == 0) {
		if (st->tf && st->tf->frame && st->tf->frame(st, n, o))
			return 0;
		S_embed(st, n, "Embedded page", o, W_IFRAME);
		return 1;
	}
	if (strcmp(name, "object") == 0 || strcmp(name, "embed") == 0 || strcmp(name, "applet") == 0) {
		S_embed(st, n, "Embedded object", o, W_OBJECT);
		return 1;
	}
	if (strcmp(name, "audio") == 0 || strcmp(name, "video") == 0) {
		S_embed(st, n, name[0] == 'a' ? "Audio" : "Video", o, W_MEDIA);
		return 1;
	}
	if (strcmp(name, "form") == 0) {
		bb_xhtml_warn_at(st, W_FORM, "<form", "a <form> was made inert (its text is kept)%s", "");
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
		st->facts |= name[0] == 's' ? BB_FACT_SVG : BB_FACT_MATH;
		if (name[0] == 's')
			bb_xhtml_warn_at(st, W_SVG, "<svg", "inline <svg> is not kept (only its text)%s", "");
		bb_tree_text(n->children, &tb, 0);
		if (tb.len) {
			bb_buf_puts(o, name[0] == 'm' ? "<span class=\"math\">" : "<span>");
			bb_xhtml_put_text(o, tb.data, 0);
			bb_buf_puts(o, "</span>");
		}
		bb_buf_free(&tb);
		return 0;
	}
	return 1;
}

/* Writes the start of element n (or what replaces it). Returns 1 when its
 * children are to be walked; f->close is then the tag to write after them. */
static int
S_open(bb_xhtml *st, xmlNodePtr n, bb_buf *o, walker *w, frame *f, size_t depth)
{
	const char *name = (const char *)n->name;
	const elem *e = S_elem(name);

	f->close = NULL;
	f->wrap = NULL;
	f->is_a = 0;
	f->phrasing = 0;
	f->code = 0;
	if (!e)
		return 1; /* unknown: its content stays, the tag goes */
	if (st->math && name[0] == 's' && strcmp(name, "span") == 0 && bb_tree_attr(n, BB_FORMULA_ATTR)) {
		int r = bb_formula_put(st->math, bb_tree_attr(n, BB_FORMULA_ATTR), st->mathml, st->p->path, st->dl, o);
		unsigned fact = r > 0 ? BB_FACT_MATHML : r == 0 ? BB_FACT_MATH : 0;
		st->facts |= fact;
		st->part_facts |= fact;
		return 0;
	}
	if (st->highlight && name[0] == 'p' && strcmp(name, "pre") == 0 && !w->phrasing) {
		bb_buf hb = BB_BUF_INIT;
		if (bb_codeblock_put(n, &hb)) {
			const char *wrap = S_table_wrap(S_out_parent(w), "pre", o);
			bb_buf_put(o, hb.data, hb.len);
			if (wrap)
				bb_buf_puts(o, wrap);
			bb_buf_free(&hb);
			return 0;
		}
		bb_buf_free(&hb);
	}
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
	case E_VOID: {
		/* a <br> straight in a list or a table row stands in an item */
		const char *wrap = S_table_wrap(S_out_parent(w), name, o);
		S_open_tag(o, name);
		bb_xhtml_attrs(st, n, name, o);
		bb_buf_puts(o, "/>");
		if (wrap)
			bb_buf_puts(o, wrap);
		return 0;
	}
	case E_RENAME:
		return S_open_kept(st, n, e->to, o, w, f);
	case E_KEEP:
		return S_open_kept(st, n, name, o, w, f);
	default:
		return S_open_special(st, n, o, w, f);
	}
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
			bb_xhtml_put_text(o, pre, 0);
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
	bb_xhtml_put_text(o, t + start, 0);
}

/* Writes what ends an element opened by S_open and leaves its context. */
static void
S_close(bb_xhtml *st, bb_buf *o, walker *w, const frame *f)
{
	/* a definition list ends with a definition, empty if need be */
	if (f->close && strcmp(f->close, "dl") == 0) {
		size_t e = o->len;
		while (e > 0 && (o->data[e - 1] == '\n' || o->data[e - 1] == ' ' || o->data[e - 1] == '\t'))
			e--;
		if (e >= 5 && memcmp(o->data + e - 5, "</dt>", 5) == 0)
			bb_buf_puts(o, "<dd></dd>");
	}
	if (f->close) /* not bb_buf_printf: a format an element was 3 % of a bind */
		bb_buf_put(o, "</", 2), bb_buf_puts(o, f->close), bb_buf_putc(o, '>');
	if (f->wrap)
		bb_buf_puts(o, f->wrap);
	if (f->is_a)
		w->in_a--;
	if (f->note && st->tf && st->tf->note_ref)
		st->tf->note_ref(o, w->note_id, f->note);
	if (f->phrasing)
		w->phrasing--;
	if (f->code)
		w->in_code--;
}

/* Writes a top-level block and everything in it, without recursion. */
static void
S_emit(bb_xhtml *st, xmlNodePtr top, bb_buf *o, walker *w)
{
	xmlNodePtr n = top;
	for (;;) {
		int descend = 0;
		frame f = { NULL, NULL, 0, 0, 0, 0 };
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
						bb_xhtml_put_text(o, t, 0);
						if (wrap)
							bb_buf_printf(o, "</%s>", wrap);
						else
							bb_buf_puts(o, "</td></tr>");
					} else
						bb_xhtml_put_text(o, t, 0);
				} else if (st->tcy && !w->in_code && !(n->parent && n->parent->type == XML_ELEMENT_NODE && bb_xhtml_has_class(n->parent, "tcy")))
					S_put_tcy(o, t);
				else
					bb_xhtml_put_text(o, t, 0);
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
		S_close(st, o, w, &f);
		while (n != top && !n->next) {
			n = n->parent;
			--w->n;
			w->depth -= S_frame_depth(&w->v[w->n]);
			S_close(st, o, w, &w->v[w->n]);
		}
		if (n == top)
			break;
		n = n->next;
	}
}


bb_xhtml *
bb_xhtml_new(bb_blog *b, const bb_post *p, bb_links *links, bb_diaglist *dl, const bb_xhtml_transforms *tf)
{
	bb_xhtml *x = bb_xcalloc(1, sizeof *x);
	x->b = b;
	x->p = p;
	x->links = links;
	x->dl = dl;
	x->tf = tf;
	x->tcy = bb_lang_vertical(b, p->lang ? p->lang : b->lang);
	return x;
}

void
bb_xhtml_source(bb_xhtml *x, const char *src, size_t len, size_t body)
{
	x->src = src;
	x->srclen = len;
	x->srcbody = body;
}

void
bb_xhtml_block(bb_xhtml *x, xmlNodePtr top, bb_buf *o)
{
	x->w.n = 0;
	x->w.depth = 0;
	x->w.in_a = 0;
	x->w.phrasing = 0;
	x->w.in_code = 0;
	x->w.note_id = x->p->id;
	S_emit(x, top, o, &x->w);
}

unsigned
bb_xhtml_facts(const bb_xhtml *x)
{
	return x->facts;
}

unsigned
bb_xhtml_part_facts(bb_xhtml *x)
{
	unsigned f = x->part_facts;
	x->part_facts = 0;
	return f;
}

void
bb_xhtml_rich(bb_xhtml *x, const struct bb_math_spans *spans, int mathml, int highlight)
{
	x->math = spans;
	x->mathml = mathml;
	x->highlight = highlight;
}

void
bb_xhtml_free(bb_xhtml *x)
{
	if (!x)
		return;
	free(x->w.v);
	bb_buf_free(&x->notes);
	free(x);
}
