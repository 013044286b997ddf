/* markdown.c: a post's body to a libxml2 HTML tree: cmark-gfm (its inline
 * pass under a lock), the tree bounded, the CJK passes, then libxml2's HTML parser. */
#define _POSIX_C_SOURCE 200809L
#include "cmarkmem.h"
#include "markdown.h"
#include "cmarklock.h"
#include "formula.h"
#include "kramdown.h"
#include "goldmark.h"
#include "autolink.h"
#include "cjk.h"
#include "xmlread.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NODES BB_MAX_NODES

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static void
S_init_once(void)
{
	xmlInitParser();
	cmark_gfm_core_extensions_ensure_registered();
}


void
bb_markdown_init(void)
{
	pthread_once(&S_once, S_init_once);
}

/* The value of attribute name, "" for one written without a value (as
 * data-footnote-ref), NULL when absent. */
const char *
bb_tree_attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;
	for (a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, name) == 0)
			return a->children && a->children->content ? (const char *)a->children->content : "";
	return NULL;
}

void
bb_tree_text(xmlNodePtr n, bb_buf *b, int depth)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			bb_buf_puts(b, (const char *)n->content);
		else if (n->type == XML_ELEMENT_NODE && depth < BB_MAX_DEPTH &&
			 strcmp((const char *)n->name, "rt") != 0 && strcmp((const char *)n->name, "rp") != 0 &&
			 strcmp((const char *)n->name, "script") != 0 && strcmp((const char *)n->name, "style") != 0)
			bb_tree_text(n->children, b, depth + 1);
	}
}

/* 1 when text holds a character of the East Asian wide blocks or Hangul
 * (a superset of what the CJK passes look for). */
static int
S_cjk_cp(unsigned cp)
{
	return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x2E80 && cp <= 0xD7FF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE10 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x16FE0 && cp <= 0x3FFFF);
}

static int
S_has_cjk(const char *text, size_t len)
{
	return bb_utf8_any(text, len, S_cjk_cp);
}

/* Appends the text [off, len) of a post as one code block, before the
 * footnote definitions (which references point to, so they stay). */
static void
S_tail_block(cmark_node *doc, const char *text, size_t off, size_t len)
{
	cmark_node *n, *cb = bb_cmark_node_new(CMARK_NODE_CODE_BLOCK);
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

/* Mends in *html what XML may not hold: libxml2's HTML parser meets it
 * with an encoding error and may read the rest of the post as Latin-1 or
 * drop it. Control characters but tab, LF and CR (a "&#1;" cmark decoded,
 * a form feed, a backspace pasted from an editor) are dropped: a browser
 * shows the site's page without them, where a U+FFFD would be a visible
 * mark. U+FFFE, U+FFFF and bytes that are not UTF-8 become U+FFFD, as a
 * browser shows them. */
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
			/* eight bytes of 0x20..0x7F at a time */
			while (i + 8 <= n && bb_ascii8(u + i, 0x20))
				i += 8;
			continue;
		}
		/* a three-byte sequence past U+0FFF that is no surrogate, U+FFFE or U+FFFF */
		if (((u[i] >= 0xE1 && u[i] <= 0xEC) || u[i] == 0xEE) && i + 2 < n && (u[i + 1] & 0xC0) == 0x80 &&
		    (u[i + 2] & 0xC0) == 0x80) {
			i += 3;
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
		if (k <= 0 || cp >= 0x20)
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

/* The elements whose tags, written in a post as raw HTML, libxml2's HTML
 * parser (2.9) reads as its XML parser does when they are well-formed:
 * phrasing content that closes no open element (htmlStartClose names them
 * only against <head>) and holds no raw text. Sorted for bsearch. */
static const char *const S_xml_phrasing[] = {
	"abbr", "b", "br", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q",
	"rb", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var",
};

static int
S_name_cmp(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

/* Length of the reference at s ("&amp;", "&#38;"...) when XML and HTML both
 * read it as the same character, else 0. */
static size_t
S_simple_ref(const char *s)
{
	static const char *const named[] = { "&amp;", "&lt;", "&gt;", "&quot;" };
	size_t i;
	for (i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strncmp(s, named[i], strlen(named[i])) == 0)
			return strlen(named[i]);
	if (s[1] == '#') {
		i = 2;
		if (s[i] == 'x') {
			for (i++; (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') || (s[i] >= 'A' && s[i] <= 'F'); i++)
				;
		} else {
			for (; s[i] >= '0' && s[i] <= '9'; i++)
				;
		}
		if (i > 2 && i < 10 && s[i] == ';')
			return i + 1;
	}
	return 0;
}

/* 1 when the raw HTML literal lit is only tags of S_xml_phrasing (br only
 * as "<br />" or "<br/>"), lower-case, with attributes of lower-case names
 * and double-quoted values on one line, and text between them, all without
 * other references than S_simple_ref's: what both of libxml2's parsers
 * read into the same nodes (whether the tags nest well, the XML parser
 * says). */
static int
S_simple_html(const char *lit)
{
	const char *p = lit;
	char name[8];
	while (*p) {
		size_t k;
		if (*p == '&') {
			if (!(k = S_simple_ref(p)))
				return 0;
			p += k;
			continue;
		}
		if (*p == '>' || *p == '\r') {
			return 0;
		}
		if (*p != '<') {
			p++;
			continue;
		}
		p++;
		if (*p == '/')
			p++;
		for (k = 0; p[k] >= 'a' && p[k] <= 'z' && k < sizeof name - 1; k++)
			name[k] = p[k];
		name[k] = '\0';
		p += k;
		if (!k || !bsearch(name, S_xml_phrasing, sizeof S_xml_phrasing / sizeof S_xml_phrasing[0],
				   sizeof S_xml_phrasing[0], S_name_cmp))
			return 0;
		while (*p == ' ' && ((p[1] >= 'a' && p[1] <= 'z'))) {
			for (p++; (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'; p++)
				;
			if (p[0] != '=' || p[1] != '"')
				return 0;
			for (p += 2; *p && *p != '"'; p++) {
				if (*p == '<' || *p == '\n' || *p == '\t' || *p == '\r')
					return 0;
				if (*p == '&') {
					if (!(k = S_simple_ref(p)))
						return 0;
					p += k - 1;
				}
			}
			if (*p++ != '"')
				return 0;
		}
		if (strcmp(name, "br") == 0) {
			if (*p == ' ')
				p++;
			if (p[0] != '/' || p[1] != '>')
				return 0;
			p += 2;
		} else if (*p++ != '>')
			return 0;
	}
	return 1;
}

/* 1 when cmark-gfm's HTML for doc may be read by libxml2's XML parser:
 * every node one that cmark writes as well-formed XML, raw HTML only as
 * S_simple_html allows. Footnotes are written with attributes without a
 * value (data-footnotes), which XML does not allow. */
static int
S_xml_ready(cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	int ok = 1;
	while (ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_HTML_INLINE:
			ok = S_simple_html(cmark_node_get_literal(n));
			break;
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_CUSTOM_BLOCK:
		case CMARK_NODE_CUSTOM_INLINE:
		case CMARK_NODE_FOOTNOTE_DEFINITION:
		case CMARK_NODE_FOOTNOTE_REFERENCE:
			ok = 0;
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	return ok;
}

/* Where an element of an HTML post may stand for both of libxml2's parsers
 * to read it alike (bb_markdown_html_xml_ready): E_INLINE anywhere but
 * directly in a list, a table or its parts (S_xml_phrasing, a, img,
 * input), E_BLOCK in the body or in an element that no block start closes
 * (htmlStartClose), the others in their own parent only. */
enum { E_INLINE, E_BLOCK, E_LI, E_DLI, E_TPART, E_TR, E_CELL, E_FIGCAP };

typedef struct html_el {
	const char *name;
	int kind, empty;
} html_el;

/* Sorted for bsearch (by name). */
static const html_el S_html_els[] = {
	{ "a", E_INLINE, 0 }, { "blockquote", E_BLOCK, 0 }, { "dd", E_DLI, 0 }, { "div", E_BLOCK, 0 },
	{ "dl", E_BLOCK, 0 }, { "dt", E_DLI, 0 }, { "figcaption", E_FIGCAP, 0 }, { "figure", E_BLOCK, 0 },
	{ "h1", E_BLOCK, 0 }, { "h2", E_BLOCK, 0 }, { "h3", E_BLOCK, 0 }, { "h4", E_BLOCK, 0 },
	{ "h5", E_BLOCK, 0 }, { "h6", E_BLOCK, 0 }, { "hr", E_BLOCK, 1 }, { "img", E_INLINE, 1 },
	{ "input", E_INLINE, 1 }, { "li", E_LI, 0 }, { "ol", E_BLOCK, 0 }, { "p", E_BLOCK, 0 },
	{ "pre", E_BLOCK, 0 }, { "table", E_BLOCK, 0 }, { "tbody", E_TPART, 0 }, { "td", E_CELL, 0 },
	{ "tfoot", E_TPART, 0 }, { "th", E_CELL, 0 }, { "thead", E_TPART, 0 }, { "tr", E_TR, 0 },
	{ "ul", E_BLOCK, 0 },
};

static int
S_el_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const html_el *)e)->name);
}

/* 1 when element name may open inside parent (NULL: the body); an <a>
 * never inside another. */
static int
S_html_nests(const char *name, int kind, const char *parent, int in_a)
{
	static const char *const containers[] = { "blockquote", "dd", "div", "figure", "li", "td", "th", NULL };
	static const char *const no_text[] = { "dl", "ol", "table", "tbody", "tfoot", "thead", "tr", "ul", NULL };
	const char *want = NULL;
	size_t k;
	switch (kind) {
	case E_INLINE:
		for (k = 0; parent && no_text[k]; k++)
			if (strcmp(parent, no_text[k]) == 0)
				return 0;
		return !(in_a && strcmp(name, "a") == 0);
	case E_BLOCK:
		for (k = 0; parent && containers[k]; k++)
			if (strcmp(parent, containers[k]) == 0)
				break;
		return !parent || containers[k];
	case E_LI:
		return parent && (strcmp(parent, "ul") == 0 || strcmp(parent, "ol") == 0);
	case E_DLI: want = "dl"; break;
	case E_TPART: want = "table"; break;
	case E_CELL: want = "tr"; break;
	case E_FIGCAP: want = "figure"; break;
	case E_TR:
		return parent && (strcmp(parent, "table") == 0 || strcmp(parent, "tbody") == 0 ||
				  strcmp(parent, "thead") == 0 || strcmp(parent, "tfoot") == 0);
	default:
		return 0;
	}
	return parent && strcmp(parent, want) == 0;
}

/* One tag at p (after its '<'): returns its end (after '>') or NULL when
 * it is not for bb_markdown_html_xml_ready; *el its element, *close 1 for
 * an end tag. Attributes as S_simple_html takes them, and neither '>' nor a
 * name with ':' (XML's namespaces) in them. */
static const char *
S_html_tag(const char *p, const html_el **el, int *close)
{
	char name[12];
	size_t k;
	*close = *p == '/';
	p += *close;
	for (k = 0; ((p[k] >= 'a' && p[k] <= 'z') || (k && p[k] >= '1' && p[k] <= '6')) && k < sizeof name - 1; k++)
		name[k] = p[k];
	name[k] = '\0';
	p += k;
	if (!k || !(*el = bsearch(name, S_html_els, sizeof S_html_els / sizeof S_html_els[0], sizeof S_html_els[0],
				  S_el_cmp))) {
		const char *const *ph = k ? bsearch(name, S_xml_phrasing, sizeof S_xml_phrasing / sizeof S_xml_phrasing[0],
						    sizeof S_xml_phrasing[0], S_name_cmp)
					  : NULL;
		static const html_el inline_el = { "", E_INLINE, 0 }, br = { "br", E_INLINE, 1 };
		if (!ph)
			return NULL;
		*el = strcmp(*ph, "br") == 0 ? &br : &inline_el;
	}
	if (*close)
		return *p == '>' && !(*el)->empty ? p + 1 : NULL;
	while (*p == ' ' && p[1] >= 'a' && p[1] <= 'z') {
		const char *a = ++p;
		for (; (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'; p++)
			;
		if (p - a == 5 && strncmp(a, "xmlns", 5) == 0)
			return NULL;
		if (p[0] != '=' || p[1] != '"')
			return NULL;
		for (p += 2; *p && *p != '"'; p++) {
			if (*p == '<' || *p == '>' || *p == '\n' || *p == '\t' || *p == '\r')
				return NULL;
			if (*p == '&') {
				if (!(k = S_simple_ref(p)))
					return NULL;
				p += k - 1;
			}
		}
		if (*p++ != '"')
			return NULL;
	}
	if ((*el)->empty) {
		p += *p == ' ';
		return p[0] == '/' && p[1] == '>' ? p + 2 : NULL;
	}
	return *p == '>' ? p + 1 : NULL;
}

/* The length of the tag name at s, as S_html_tag reads it. */
static size_t
S_tag_len(const char *s)
{
	size_t k;
	for (k = 0; (s[k] >= 'a' && s[k] <= 'z') || (k && s[k] >= '1' && s[k] <= '6'); k++)
		;
	return k;
}

#define HTML_XML_DEPTH 128

/* 1 when an HTML post's text (is_html) may be read by libxml2's XML parser
 * (S_read_xml) for the tree its HTML parser makes: it starts with a tag
 * (the HTML parser skips blanks before the first one, and puts text there
 * in a <p>), its tags are those of S_html_els and S_xml_phrasing, each
 * where no start tag closes its parent early (S_html_nests), void
 * elements written "<br />" and never closed, references only
 * S_simple_ref's, no comment, CDATA or declaration, and each end tag
 * the open element's (as XML wants: a post the XML parser would refuse
 * goes to the HTML parser at once, not after two XML reads). */
int
bb_markdown_html_xml_ready(const char *html)
{
	const char *stack[HTML_XML_DEPTH], *tag[HTML_XML_DEPTH], *p = html;
	int depth = 0, in_a = 0;
	if (*p != '<')
		return 0;
	while (*p) {
		const html_el *el;
		const char *name;
		int close;
		size_t k;
		p += strcspn(p, "<&");
		if (*p == '&') {
			if (!(k = S_simple_ref(p)))
				return 0;
			p += k;
			continue;
		}
		if (!*p)
			break;
		name = p + 1 + (p[1] == '/');
		if (!(p = S_html_tag(p + 1, &el, &close)))
			return 0;
		if (close) {
			/* no element open, or another one: the XML parser refuses it */
			k = S_tag_len(name);
			if (!depth || S_tag_len(tag[depth - 1]) != k || memcmp(tag[depth - 1], name, k) != 0)
				return 0;
			in_a -= strcmp(stack[--depth], "a") == 0;
			continue;
		}
		if (!S_html_nests(el->name, el->kind, depth ? stack[depth - 1] : NULL, in_a))
			return 0;
		if (el->empty)
			continue;
		if (depth == HTML_XML_DEPTH)
			return 0;
		tag[depth] = name;
		stack[depth++] = el->name;
		in_a += strcmp(el->name, "a") == 0;
	}
	return depth == 0; /* an element left open: refused too */
}

/* cmark-gfm's HTML read by libxml2's XML parser, which is two to three
 * times faster than its HTML parser and, on what S_xml_ready lets through,
 * makes the same tree: the HTML parser keeps every blank (no
 * HTML_PARSE_NOBLANKS), implies <html><body> as written here, and closes no
 * element early in well-formed input. Returns NULL when html is not for it
 * (a CR, which XML reads as LF; a tab or line feed inside a tag, which XML
 * turns into a space in an attribute value) or is not well-formed: the
 * HTML parser then reads it. xmlread.c reads most of it first, to the same
 * tree; the parser reads what it leaves. */
static xmlDocPtr
S_read_xml(const char *html, size_t n)
{
	static const char head[] = "<html><body>", tail[] = "</body></html>";
	const char *p, *lt = NULL;
	char *x;
	xmlDocPtr doc;
	if (!n || memchr(html, '\r', n))
		return NULL;
	/* the subset cmark-gfm writes, without libxml2's parser */
	if ((doc = bb_xmlread(html, n)))
		return doc;
	for (p = html; (p = strpbrk(p, "<>\t\n")); p++) {
		if (*p == '<')
			lt = p;
		else if (*p == '>')
			lt = NULL;
		else if (lt)
			return NULL;
	}
	x = bb_xmalloc(sizeof head - 1 + n + sizeof tail);
	memcpy(x, head, sizeof head - 1);
	memcpy(x + sizeof head - 1, html, n);
	memcpy(x + sizeof head - 1 + n, tail, sizeof tail);
	doc = xmlReadMemory(x, (int)(sizeof head - 1 + n + sizeof tail - 1), NULL, "UTF-8",
			    XML_PARSE_NOENT | XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
	free(x);
	return doc;
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

/* cmark-gfm's HTML for a Markdown body: finished under the lock, bounded,
 * with the CJK passes when the text has CJK. Caller frees. */
static void
S_kramdown_diag(void *ud, int severity, unsigned line, unsigned col, const char *msg)
{
	const bb_markdown_in *in = ud;
	bb_diag_add(in->dl, severity == BB_KRAMDOWN_WARNING ? BB_WARNING : BB_NOTE, in->path,
		    line ? in->line0 + line - 1 : 0, col, "%s", msg);
}

static char *
S_cmark_html(const bb_markdown_in *in, int *xml_ok)
{
	static const char *const exts[] = { "table", "strikethrough", "autolink", "tasklist", NULL };
	int opts = CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;
	cmark_parser *parser;
	cmark_node *doc_md;
	const char *body = in->text;
	size_t blen = in->len, fed, k, lines = 1, i;
	unsigned cut;
	char *html, *kd = NULL, *marked = NULL;
	int kramdown = in->dialect >= BB_DIALECT_KRAMDOWN_GFM && in->dialect <= BB_DIALECT_KRAMDOWN_LEGACY;
	bb_kramdown_opts ko;
	bb_goldmark_opts gdef;
	const bb_goldmark_opts *gm = in->goldmark;
	if (!gm) {
		bb_goldmark_opts_init(&gdef);
		gm = &gdef;
	}
	if (kramdown) {
		/* kramdown's syntax into what cmark reads the way kramdown does */
		bb_kramdown_opts_init(&ko, in->dialect == BB_DIALECT_KRAMDOWN ? BB_KRAMDOWN_KRAMDOWN : BB_KRAMDOWN_GFM);
		ko.legacy_gfm = in->dialect == BB_DIALECT_KRAMDOWN_LEGACY;
		kd = bb_kramdown_pass(body, blen, &ko, &blen, S_kramdown_diag, (void *)in);
		body = kd;
		/* kramdown-parser-gfm strikes ~~text~~ only, never ~text~ */
		opts |= CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE;
	}
	if (in->math && (marked = bb_formula_mark(body, blen,
						  kramdown ? BB_MATHSCAN_KRAMDOWN
							   : in->dialect == BB_DIALECT_GOLDMARK ? BB_MATHSCAN_GOLDMARK
												 : BB_MATHSCAN_COMMONMARK,
						  0, in->line0, in->math, &blen)))
		body = marked;
	fed = blen;
	if (in->dialect == BB_DIALECT_GOLDMARK)
		opts |= CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE; /* goldmark's too (Hugo 0.111) */
	/* the tree on this thread's arena, released at once below */
	parser = cmark_parser_new_with_mem(opts, bb_cmark_mem_begin());
	for (i = 0; exts[i]; i++) {
		cmark_syntax_extension *e;
		if (kramdown && !ko.autolink && strcmp(exts[i], "autolink") == 0)
			continue; /* kramdown links no bare URL */
		if (in->dialect == BB_DIALECT_GOLDMARK && !gm->linkify && strcmp(exts[i], "autolink") == 0)
			continue;
		if (in->dialect == BB_DIALECT_KRAMDOWN && strcmp(exts[i], "strikethrough") == 0)
			continue; /* kramdown's own syntax strikes nothing */
		if ((e = cmark_find_syntax_extension(exts[i])))
			cmark_parser_attach_syntax_extension(parser, e);
	}
	/* cmark's own tree costs too: past MAX_NODES lines, which could
	 * each start a block, the text is not parsed (see S_bound_tree) */
	for (k = 0; k < blen; k++) {
		const char *nl = memchr(body + k, '\n', blen - k);
		if (!nl)
			break;
		k = (size_t)(nl - body);
		if (++lines > MAX_NODES) {
			fed = k + 1;
			break;
		}
	}
	cmark_parser_feed(parser, body, fed);
	doc_md = bb_cmark_finish(parser);
	if (!(cut = S_bound_tree(doc_md, body, blen)) && fed < blen) {
		S_tail_block(doc_md, body, fed, blen);
		cut = MAX_NODES + 1;
	}
	if (cut)
		bb_diag_add(in->dl, BB_WARNING, in->path, in->line0 + cut - 1, 1,
			    "more than %d elements in one post: from here on its text is kept as "
			    "plain text", MAX_NODES);
	if (kramdown)
		bb_kramdown_tree(doc_md, &ko);
	if (!kramdown || ko.autolink)
		bb_autolink_trim(doc_md, in->dialect == BB_DIALECT_GOLDMARK);
	if (in->dialect == BB_DIALECT_GOLDMARK)
		bb_goldmark_tree(doc_md, gm);
	/* every pass of the CJK module needs a CJK character nearby: a post
	 * without one (most English posts) skips the walk */
	if (S_has_cjk(body, blen))
		bb_cjk_transform(doc_md, BB_CJK_ALL | BB_CJK_WEBNOVEL);
	*xml_ok = !in->html_parser && S_xml_ready(doc_md);
	html = cmark_render_html_with_mem(doc_md, opts, cmark_parser_get_syntax_extensions(parser),
					  cmark_get_default_mem_allocator());
	cmark_node_free(doc_md);
	cmark_parser_free(parser);
	bb_cmark_mem_end();
	free(kd);
	free(marked);
	return html;
}

xmlDocPtr
bb_markdown_to_tree(const bb_markdown_in *in, xmlNodePtr *body)
{
	char *html;
	htmlDocPtr doc = NULL;
	xmlNodePtr bodyel = NULL, r, c;
	int xml_ok = 0;

	bb_markdown_init();
	if (in->is_html) {
		size_t n;
		if (!in->math || !(html = bb_formula_mark(in->text, in->len, 0, 1, in->line0, in->math, &n)))
			html = bb_xstrndup(in->text, in->len);
	} else
		html = S_cmark_html(in, &xml_ok);
	S_xml_chars(&html);
	if (in->is_html)
		xml_ok = !in->html_parser && bb_markdown_html_xml_ready(html);
	if (xml_ok)
		doc = S_read_xml(html, strlen(html));
	if (!doc)
		doc = htmlReadMemory(html, (int)strlen(html), NULL, "UTF-8",
				     HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
					     HTML_PARSE_NODEFDTD | XML_PARSE_HUGE);
	free(html);
	if (!doc) {
		/* an empty post: a chapter with its title */
		doc = htmlNewDocNoDtD(NULL, NULL);
	}
	r = xmlDocGetRootElement(doc);
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
	*body = bodyel;
	return doc;
}
