/* formula.c: math from the blog's TeX to MathML in the book (see
 * formula.h): placeholders before cmark, MathML through KaTeX in the
 * writer. */
#include "formula.h"
#include "js.h"
#include "mathfast.h"
#include "mathml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
bb_formula_mark(const char *text, size_t len, int dialect, int html, unsigned first_line, bb_math_spans *spans,
		size_t *out_len)
{
	size_t first = spans->n, i, at = 0, n;
	bb_buf o = BB_BUF_INIT;
	if (html)
		n = bb_mathscan_html(text, len,
				     BB_MATHSCAN_DDOLLAR | BB_MATHSCAN_PAREN | BB_MATHSCAN_BRACKET | BB_MATHSCAN_ENV |
					     BB_MATHSCAN_WPLATEX,
				     first_line, spans);
	else
		/* kramdown's sites show math with MathJax, whose $ pairing they
		 * write for; elsewhere the stricter rule keeps prices dollars */
		n = bb_mathscan_markdown(text, len, dialect,
					 BB_MATHSCAN_DDOLLAR | BB_MATHSCAN_DOLLAR | BB_MATHSCAN_PAREN |
						 BB_MATHSCAN_BRACKET | BB_MATHSCAN_ENV | BB_MATHSCAN_TAGS |
						 (dialect == BB_MATHSCAN_KRAMDOWN ? BB_MATHSCAN_DOLLAR_LOOSE : 0),
					 first_line, spans);
	if (!n)
		return NULL;
	for (i = first; i < spans->n; i++) {
		const bb_math_span *s = &spans->v[i];
		bb_buf_put(&o, text + at, s->off - at);
		bb_buf_printf(&o, "<span %s=\"%zu\"></span>", BB_FORMULA_ATTR, i);
		at = s->off + s->len;
	}
	bb_buf_put(&o, text + at, len - at);
	return bb_buf_detach(&o, out_len);
}

/* 1 for MathML's token elements, which hold text only. */
static int
S_token(const xmlChar *name)
{
	static const char *const tok[] = { "mi", "mo", "mn", "mtext", "ms", NULL };
	size_t i;
	for (i = 0; tok[i]; i++)
		if (xmlStrEqual(name, (const xmlChar *)tok[i]))
			return 1;
	return 0;
}

/* Makes KaTeX's MathML valid MathML 3, as EPUBCheck reads it: a token
 * element holding elements (\text{... $x$ ...}) becomes an mrow whose text
 * stands in mtext; empty spacing attributes go. */
static void
S_fix(xmlNodePtr n, int depth)
{
	xmlNodePtr c, next;
	static const char *const attrs[] = { "columnspacing", "rowspacing", "columnalign", "rowalign", NULL };
	size_t i;
	if (depth > 200)
		return;
	for (i = 0; attrs[i]; i++) {
		xmlChar *v = xmlGetProp(n, (const xmlChar *)attrs[i]);
		if (v && !*v)
			xmlUnsetProp(n, (const xmlChar *)attrs[i]);
		xmlFree(v);
	}
	if (S_token(n->name)) {
		int elems = 0;
		for (c = n->children; c; c = c->next)
			elems |= c->type == XML_ELEMENT_NODE;
		if (elems) {
			xmlNodeSetName(n, (const xmlChar *)"mrow");
			for (c = n->children; c; c = next) {
				next = c->next;
				if (c->type == XML_TEXT_NODE) {
					xmlNodePtr t = xmlNewDocNode(n->doc, n->ns, (const xmlChar *)"mtext", NULL);
					xmlReplaceNode(c, t);
					xmlAddChild(t, c);
				}
			}
		}
	}
	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			S_fix(c, depth + 1);
}

char *
bb_formula_valid(const char *m)
{
	xmlDocPtr d = xmlReadMemory(m, (int)strlen(m), NULL, "UTF-8", XML_PARSE_NONET);
	xmlBufferPtr buf;
	char *r = NULL;
	if (!d)
		return NULL;
	S_fix(xmlDocGetRootElement(d), 0);
	buf = xmlBufferCreate();
	if (xmlNodeDump(buf, d, xmlDocGetRootElement(d), 0, 0) > 0)
		r = bb_xstrdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	xmlFreeDoc(d);
	return r;
}

/* Asks for all of spans' formulas at once (bb_math_prefetch), once per
 * post and thread, but those the fast path (mathfast.h) writes. */
static void
S_prefetch(bb_js *js, const bb_math_spans *spans)
{
	const char **tex;
	size_t *len, i;
	int *display;

	if (!bb_math_prefetch_wanted(js, spans->v, spans->n))
		return;
	tex = bb_xcalloc(spans->n + 1, sizeof *tex);
	len = bb_xcalloc(spans->n + 1, sizeof *len);
	display = bb_xcalloc(spans->n + 1, sizeof *display);
	for (i = 0; i < spans->n; i++) {
		char *f = bb_mathfast(spans->v[i].tex, spans->v[i].tex_len, spans->v[i].display);
		tex[i] = f ? NULL : spans->v[i].tex;
		len[i] = spans->v[i].tex_len;
		display[i] = spans->v[i].display;
		free(f);
	}
	bb_math_prefetch(js, spans->v, spans->n, tex, len, display);
	free(tex);
	free(len);
	free(display);
}

int
bb_formula_put(const bb_math_spans *spans, const char *idx, int mathml, const char *path, bb_diaglist *dl, bb_buf *o)
{
	char *end, *err = NULL, *m = NULL;
	unsigned long i = strtoul(idx, &end, 10);
	const bb_math_span *s;
	bb_js *js;
	if (!spans || *end || end == idx || i >= spans->n)
		return -1;
	s = &spans->v[i];
	/* a simple formula: KaTeX's MathML made in C, the same bytes */
	if (mathml && (m = bb_mathfast(s->tex, s->tex_len, s->display)) != NULL) {
		bb_buf_puts(o, m);
		free(m);
		return 1;
	}
	if (mathml && (js = bb_js_thread(&err))) {
		S_prefetch(js, spans);
		m = bb_math_mathml(js, s->tex, s->tex_len, s->display, &err);
	}
	if (m) {
		char *v = bb_formula_valid(m);
		bb_buf_puts(o, v ? v : m);
		free(v);
		free(m);
		return 1;
	}
	if (mathml)
		bb_diag_add(dl, BB_WARNING, path, s->line, s->col, "a formula kept as TeX: %s",
			    err ? err : "it cannot be converted");
	free(err);
	bb_buf_puts(o, s->display ? "<code class=\"tex display\">" : "<code class=\"tex\">");
	bb_buf_put_xml(o, s->tex, s->tex_len);
	bb_buf_puts(o, "</code>");
	return 0;
}
