/* test_markdown_xml.c: markdown.c reads cmark-gfm's HTML, and HTML posts,
 * with libxml2's XML parser when it can; the tree must be the one the HTML parser makes, node
 * for node. Each case is converted both ways in every dialect and compared;
 * the cases that must take the XML path (or must not) are checked too. */
#define _POSIX_C_SOURCE 200809L
#include "markdown.h"
#include "mathscan.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* 1 when the node lists a and b hold the same nodes: types, names,
 * contents, attributes (names and values) and children, in order. */
static int
S_same(xmlNodePtr a, xmlNodePtr b)
{
	for (; a && b; a = a->next, b = b->next) {
		xmlAttrPtr x, y;
		if (a->type != b->type)
			return 0;
		if ((a->name || b->name) && (!a->name || !b->name || strcmp((const char *)a->name, (const char *)b->name)))
			return 0;
		if ((a->content || b->content) &&
		    (!a->content || !b->content || strcmp((const char *)a->content, (const char *)b->content)))
			return 0;
		for (x = a->properties, y = b->properties; x && y; x = x->next, y = y->next)
			if (strcmp((const char *)x->name, (const char *)y->name) || !S_same(x->children, y->children))
				return 0;
		if (x || y || !S_same(a->children, b->children))
			return 0;
	}
	return !a && !b;
}

/* The converter's input for md in dialect d. */
static void
S_in(bb_markdown_in *in, const char *md, int d, bb_diaglist *dl, bb_math_spans *m)
{
	memset(in, 0, sizeof *in);
	in->text = md;
	in->len = strlen(md);
	in->path = "case.md";
	in->line0 = 1;
	in->dl = dl;
	in->dialect = d;
	in->math = m;
}

static int S_compare_any(const char *md, int d, int is_html, int *xml);

/* Converts md in dialect d both ways; returns 1 when the trees are the
 * same, and sets *xml when the first went through the XML parser. */
static int
S_compare(const char *md, int d, int *xml)
{
	return S_compare_any(md, d, 0, xml);
}

/* S_compare for an HTML post (is_html: WordPress, Blogger, .html). */
static int
S_compare_html(const char *html, int *xml)
{
	return S_compare_any(html, BB_DIALECT_GFM, 1, xml);
}

static int
S_compare_any(const char *md, int d, int is_html, int *xml)
{
	bb_diaglist dl = { NULL, 0, 0 };
	bb_math_spans m1 = BB_MATH_SPANS_INIT, m2 = BB_MATH_SPANS_INIT;
	bb_markdown_in in;
	xmlNodePtr b1, b2;
	xmlDocPtr d1, d2;
	int same;
	S_in(&in, md, d, &dl, &m1);
	in.is_html = is_html;
	d1 = bb_markdown_to_tree(&in, &b1);
	in.html_parser = 1;
	in.math = &m2;
	d2 = bb_markdown_to_tree(&in, &b2);
	same = S_same(b1, b2) && d2->type == XML_HTML_DOCUMENT_NODE;
	*xml = d1->type == XML_DOCUMENT_NODE;
	xmlFreeDoc(d1);
	xmlFreeDoc(d2);
	bb_math_spans_free(&m1);
	bb_math_spans_free(&m2);
	bb_diag_clear(&dl);
	return same;
}

/* The text of md converted in dialect d (the body's content); the caller
 * frees it. */
static char *
S_text(const char *md, int d)
{
	bb_diaglist dl = { NULL, 0, 0 };
	bb_math_spans m = BB_MATH_SPANS_INIT;
	bb_markdown_in in;
	xmlNodePtr body;
	xmlDocPtr doc;
	xmlChar *t;
	char *r;
	S_in(&in, md, d, &dl, &m);
	doc = bb_markdown_to_tree(&in, &body);
	t = body ? xmlNodeGetContent(body) : NULL;
	r = strdup(t ? (const char *)t : "");
	xmlFree(t);
	xmlFreeDoc(doc);
	bb_math_spans_free(&m);
	bb_diag_clear(&dl);
	return r;
}

/* How many elements named name md's tree holds in dialect d. */
static int
S_count(const char *md, int d, const char *name)
{
	bb_diaglist dl = { NULL, 0, 0 };
	bb_math_spans m = BB_MATH_SPANS_INIT;
	bb_markdown_in in;
	xmlNodePtr body, n;
	xmlDocPtr doc;
	int c = 0;
	S_in(&in, md, d, &dl, &m);
	doc = bb_markdown_to_tree(&in, &body);
	for (n = body; n;) {
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
			c++;
		if (n->children && n->type == XML_ELEMENT_NODE)
			n = n->children;
		else {
			while (n && n != body && !n->next)
				n = n->parent;
			n = (n && n != body) ? n->next : NULL;
		}
	}
	xmlFreeDoc(doc);
	bb_math_spans_free(&m);
	bb_diag_clear(&dl);
	return c;
}

/* Cases the XML parser reads (in the GFM dialect). */
static const char *const S_xml_cases[] = {
	"",
	"plain text\n",
	"# Title\n\nA *b* **c** `d` ~~e~~ [f](https://example.org/?a=1&b=2 \"t\") <https://x.org>\n",
	"- a\n- [x] b\n  - c\n\n1. one\n2. two\n\n> quote\n> more\n\n---\n",
	"| a | b | c |\n|:--|:-:|--:|\n| 1 | `|` | x&y |\n",
	"```c\nint main(void) { return a < b && c > d; }\n```\n\n    indented\n",
	"Press <kbd>Ctrl</kbd>+<kbd>C</kbd> <em>now</em> <sub>1</sub> <sup>2</sup> text\n",
	"A <span class=\"x\" title=\"a &amp; b\">span</span> and <br /> and <br/>\n",
	"line with two spaces  \nnext\\\nlast\n",
	"![alt *text*](a.png \"title\") ![](b.png)\n",
	"Entities: &copy; &nbsp; &#12354; &#x41; &amp; &lt; \" '\n",
	"日本語の文章、**強調**と`コード`。\n\n漢字{かんじ}と^12^\n",
	"www.example.com/a_b and user@example.org and https://x.org/a?b=c&d=e.\n",
	"  \n\n   trailing blanks   \n\n",
	"<kbd>a <em>b</em> c</kbd>\n",
	"a <span>&nbsp;</span>\n",          /* cmark decodes the entity: text */
	"line\r\nwith CR\r\n",             /* cmark writes LF */
	"a <span onclick=\"x()\">y</span> b\n", /* the same tree: the writer drops the handler */
};

/* Cases it must leave to the HTML parser, which still gives a tree. */
static const char *const S_html_cases[] = {
	"<div>block</div>\n",
	"text <br> more\n",
	"text <kbd>open\n",
	"text <kbd>a</em> b\n",
	"a <KBD>x</KBD>\n",
	"a <span title=x>y</span>\n",
	"a <span title=\"a\nb\">y</span>\n",
	"a <!-- note --> b\n",
	"a <a href=\"x\">link</a>\n",
	"Note[^1].\n\n[^1]: the note\n",
	"[a](b \"multi\nline title\")\n",
	"<script>alert(1)</script>\n",
};

/* HTML posts the XML parser reads (wpautop's output, as the bench export's). */
static const char *const S_html_xml_cases[] = {
	"<p>A <strong>b</strong> &amp; <a href=\"https://x.org/?a=1&amp;b=2\">c</a><br />\nd</p>\n<h2>T</h2>\n",
	"<ul>\n<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> a</li>\n<li><p>b</p>\n<ol>\n<li>c</li>\n</ol>\n</li>\n</ul>\n",
	"<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td><code>x &lt; y</code></td>\n</tr>\n</tbody>\n</table>\n",
	"<blockquote>\n<p>q</p>\n</blockquote>\n<pre>\n<code class=\"language-c\">int a;\n</code></pre>\n<hr />\n",
	"<figure><img src=\"a.png\" alt=\"b\" /><figcaption>c</figcaption></figure>\n<dl><dt>t</dt><dd><p>d</p></dd></dl>\n",
};

/* HTML posts left to the HTML parser: each would make another tree in
 * the XML parser, or is not XML. */
static const char *const S_html_html_cases[] = {
	"<p>a<p>b</p></p>",                   /* a <p> closes the open <p> */
	"<p>a<div>b</div></p>",               /* so does a block */
	"<b>a<p>b</p></b>",                   /* and a <p> an open <b> */
	"<h2>a<h3>b</h3></h2>",
	"<ul><li>a<li>b</li></li></ul>",
	"<dl><dd>a<dt>b</dt></dd></dl>",
	"<table><tr><td>a<td>b</td></td></tr></table>",
	"<p><a href=\"x\">a<a href=\"y\">b</a></a></p>",
	"text first <p>b</p>",                /* text before any tag goes into a <p> */
	"\n<p>blank first</p>",                /* blanks before the first tag are skipped */
	"<p>a<br></br>b</p>",                   /* </br> is another <br> */
	"<p>a &nbsp; b</p>",
	"<p>a <!-- c --> b</p>",
	"<p class=\"a\nb\">x</p>",
	"<p xml:lang=\"en\">x</p>",
	"<p xmlns=\"http://www.w3.org/1999/xhtml\">x</p>",
	"<P>x</P>",
	"<script>a<b</script>",
};

/* HTML posts the XML parser refuses (an end tag that is not the open
 * element's, none open, an element left open): they go to the HTML parser
 * at once, not after bb_xmlread and xmlReadMemory refused them in turn. */
static const char *const S_html_unbalanced_cases[] = {
	"<p><em>a</p></em>",
	"<p>a</p></div>",
	"<div><p>a</p>",
	"<p><strong>a</b></p>",
	"<h2>a</h3>",
};

int
main(void)
{
	size_t i;
	int d, xml;
	bb_markdown_init();
	for (i = 0; i < sizeof S_html_unbalanced_cases / sizeof S_html_unbalanced_cases[0]; i++) {
		CHECK(!bb_markdown_html_xml_ready(S_html_unbalanced_cases[i]));
		CHECK(S_compare_html(S_html_unbalanced_cases[i], &xml) && !xml);
	}
	for (i = 0; i < sizeof S_html_xml_cases / sizeof S_html_xml_cases[0]; i++)
		CHECK(bb_markdown_html_xml_ready(S_html_xml_cases[i]));
	for (i = 0; i < sizeof S_xml_cases / sizeof S_xml_cases[0]; i++) {
		for (d = BB_DIALECT_GFM; d <= BB_DIALECT_GOLDMARK; d++)
			CHECK(S_compare(S_xml_cases[i], d, &xml));
		S_compare(S_xml_cases[i], BB_DIALECT_GFM, &xml);
		if (i > 0) /* an empty body makes an empty tree either way */
			CHECK(xml);
	}
	for (i = 0; i < sizeof S_html_cases / sizeof S_html_cases[0]; i++) {
		for (d = BB_DIALECT_GFM; d <= BB_DIALECT_GOLDMARK; d++)
			CHECK(S_compare(S_html_cases[i], d, &xml));
		S_compare(S_html_cases[i], BB_DIALECT_GFM, &xml);
		CHECK(!xml);
	}
	for (i = 0; i < sizeof S_html_xml_cases / sizeof S_html_xml_cases[0]; i++) {
		CHECK(S_compare_html(S_html_xml_cases[i], &xml));
		CHECK(xml);
	}
	for (i = 0; i < sizeof S_html_html_cases / sizeof S_html_html_cases[0]; i++) {
		CHECK(S_compare_html(S_html_html_cases[i], &xml));
		CHECK(!xml);
	}
	for (d = BB_DIALECT_GFM; d <= BB_DIALECT_GOLDMARK; d++) {
		/* a control character (a backspace pasted into a post, a &#1;) is
		 * dropped, as a browser shows the site's page; a byte that is not
		 * UTF-8 and U+FFFF are shown as U+FFFD, as a browser does */
		char *t = S_text("a\x08" "b &#1;c \xff d\x0c" "e \xEF\xBF\xBF\n", d);
		CHECK_STR(t, "ab c \xEF\xBF\xBD de \xEF\xBF\xBD\n");
		free(t);
	}
	/* strikethrough as each engine strikes: GitHub one or two tildes,
	 * kramdown-parser-gfm and goldmark (Hugo 0.111) two only, kramdown's
	 * own syntax none (their outputs for this line, checked by hand) */
	CHECK(S_count("a ~x~ b ~~y~~ c\n", BB_DIALECT_GFM, "del") == 2);
	CHECK(S_count("a ~x~ b ~~y~~ c\n", BB_DIALECT_KRAMDOWN_GFM, "del") == 1);
	CHECK(S_count("a ~x~ b ~~y~~ c\n", BB_DIALECT_GOLDMARK, "del") == 1);
	CHECK(S_count("a ~x~ b ~~y~~ c\n", BB_DIALECT_KRAMDOWN, "del") == 0);
	{
		/* nesting deeper than the XML parser allows: the HTML parser's tree */
		char deep[3000];
		memset(deep, '>', 2500);
		strcpy(deep + 2500, " deep\n");
		CHECK(S_compare(deep, BB_DIALECT_GFM, &xml));
	}
	return TEST_DONE();
}
