/* test_ial.c: kramdown's attribute markers applied to the tree (ial.c):
 * block IALs on a paragraph, heading, list item and table, the -next kind,
 * span IALs, classes appended, ids kept and made unique, stray markers
 * removed; and {:toc} filled with nested levels, no_toc left out, in a
 * split post too. */
#define _XOPEN_SOURCE 700
#include "ial.h"
#include "markdown.h"
#include "outline.h"
#include "tap.h"

#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bb_post post;
static xmlDocPtr doc;
static xmlNodePtr body;
static bb_outline ol;
static char out[1 << 16];

/* Runs the pipeline's phase 1 on text (kramdown, or HTML as it is): the
 * tree, the markers applied, the outline, the table of contents; leaves
 * the serialized body in out. Returns what bb_ial_apply returned. */
static size_t
S_run(const char *text, int is_html)
{
	bb_markdown_in in;
	bb_diaglist dl = { NULL, 0, 0 };
	xmlBufferPtr xb;
	size_t applied;

	memset(&in, 0, sizeof in);
	in.text = text;
	in.len = strlen(text);
	in.is_html = is_html;
	in.path = post.path;
	in.line0 = 1;
	in.dl = &dl;
	in.dialect = BB_DIALECT_KRAMDOWN;
	if (doc)
		xmlFreeDoc(doc);
	bb_outline_free(&ol);
	memset(&ol, 0, sizeof ol);
	doc = bb_markdown_to_tree(&in, &body);
	applied = bb_ial_apply(body);
	bb_outline_build(&ol, &post, body, &dl);
	bb_ial_toc(body, &ol);
	xb = xmlBufferCreate();
	xmlNodeDump(xb, doc, body, 0, 0);
	snprintf(out, sizeof out, "%s", (const char *)xmlBufferContent(xb));
	xmlBufferFree(xb);
	bb_diag_clear(&dl);
	return applied;
}

/* The first element named name under body (document order), or NULL. */
static xmlNodePtr
S_find(const char *name, int nth)
{
	xmlNodePtr n = body;
	while (n) {
		if (n->type == XML_ELEMENT_NODE && n != body && strcmp((const char *)n->name, name) == 0 && nth-- == 0)
			return n;
		if (n->children && n->type == XML_ELEMENT_NODE)
			n = n->children;
		else {
			while (n && n != body && !n->next)
				n = n->parent;
			n = (n && n != body) ? n->next : NULL;
		}
	}
	return NULL;
}

/* Attribute a of the nth element named name, or NULL. */
static const char *
S_attr(const char *name, int nth, const char *a)
{
	xmlNodePtr n = S_find(name, nth);
	return n ? bb_tree_attr(n, a) : NULL;
}

int
main(void)
{
	xmlNodePtr n;

	memset(&post, 0, sizeof post);
	post.path = "_posts/2020-01-01-x.md";
	post.id = "p00003";

	/* block IAL on a paragraph: class and id; no marker, no {: left */
	CHECK(S_run("Some text.\n{: .note #intro}\n\nNext.\n", 0) == 1);
	CHECK_STR(S_attr("p", 0, "class"), "note");
	CHECK_STR(S_attr("p", 0, "id"), "intro");
	CHECK(S_attr("p", 1, "class") == NULL);
	CHECK(!strstr(out, "bb-ial") && !strstr(out, "{:"));

	/* on a heading: its id survives the outline */
	S_run("## Heading\n{: .big #myhead}\n\ntext\n", 0);
	CHECK_STR(S_attr("h2", 0, "class"), "big");
	CHECK_STR(S_attr("h2", 0, "id"), "myhead");
	CHECK(ol.nheadings == 1 && ol.headings[0].id && strcmp(ol.headings[0].id, "myhead") == 0);

	/* on a list item (the item's own IAL), and on the list after it */
	S_run("* {:.first} one\n* two\n{: .list}\n", 0);
	CHECK_STR(S_attr("li", 0, "class"), "first");
	CHECK(S_attr("li", 1, "class") == NULL);
	CHECK_STR(S_attr("ul", 0, "class"), "list");
	CHECK(!strstr(out, "{:") && !strstr(out, "bb-ial"));

	/* on a table */
	S_run("| a | b |\n|---|---|\n| 1 | 2 |\n{: .tbl}\n", 0);
	CHECK_STR(S_attr("table", 0, "class"), "tbl");

	/* standing alone: applies to the next block */
	S_run("First.\n\n{: .nx #later}\nSecond.\n", 0);
	CHECK(S_attr("p", 0, "class") == NULL);
	CHECK_STR(S_attr("p", 1, "class"), "nx");
	CHECK_STR(S_attr("p", 1, "id"), "later");

	/* a standing IAL that opens the post (libxml2 puts it before <html>) */
	S_run("{: .lead}\nFirst.\n\nSecond.\n", 0);
	CHECK_STR(S_attr("p", 0, "class"), "lead");
	CHECK(S_attr("p", 1, "class") == NULL);
	CHECK(doc->children && doc->children->type == XML_ELEMENT_NODE && !doc->children->next);

	/* span IALs on em and a */
	S_run("Some *word*{: .hl} and [link](http://example.com/){: .ext #l1} here.\n", 0);
	CHECK_STR(S_attr("em", 0, "class"), "hl");
	CHECK_STR(S_attr("a", 0, "class"), "ext");
	CHECK_STR(S_attr("a", 0, "id"), "l1");
	CHECK(S_attr("p", 0, "class") == NULL);
	CHECK(!strstr(out, "{:") && !strstr(out, "bb-ial"));

	/* classes appended, not replaced, none repeated; an id kept */
	S_run("<div class=\"old x\" id=\"keep\">a</div><!--bb-ial .new .x #other-->", 1);
	CHECK_STR(S_attr("div", 0, "class"), "old x new");
	CHECK_STR(S_attr("div", 0, "id"), "keep");

	/* an id already used elsewhere is made unique */
	S_run("First.\n{: #same}\n\nSecond.\n{: #same}\n", 0);
	CHECK_STR(S_attr("p", 0, "id"), "same");
	CHECK_STR(S_attr("p", 1, "id"), "same-1");

	/* a marker with nothing to apply to goes silently; so does a broken one */
	CHECK(S_run("<!--bb-ial .lost--><p>x</p>text<!--bb-ial .lost2--><!--bb-ial-item .z-->", 1) == 0);
	CHECK(!strstr(out, "bb-ial") && !strstr(out, "lost"));
	CHECK(S_attr("p", 0, "class") == NULL);
	/* an id that is not an XML id is not set */
	S_run("<p>x</p><!--bb-ial #9bad-->", 1);
	CHECK(S_attr("p", 0, "id") == NULL);
	/* other comments are not markers: kept for the writer to drop */
	S_run("<p>x</p><!-- an author's note -->", 1);
	CHECK(strstr(out, "author's note") != NULL);

	/* bounded: 50,000 markers in a row (each looks past 64 at most, the
	 * class attribute stops growing at 1 KB) */
	{
		bb_buf b = BB_BUF_INIT;
		time_t t0 = time(NULL);
		const char *c;
		int i;
		bb_buf_puts(&b, "<p>x</p>");
		for (i = 0; i < 50000; i++) {
			char m[40];
			snprintf(m, sizeof m, "<!--bb-ial .c%d-->", i);
			bb_buf_puts(&b, m);
		}
		S_run(b.data, 1);
		bb_buf_free(&b);
		c = S_attr("p", 0, "class");
		CHECK(c && strncmp(c, "c0 c1 c2", 8) == 0 && strlen(c) < 1100);
		CHECK(!strstr(out, "bb-ial"));
		CHECK(time(NULL) - t0 < 10);
	}

	/* {:toc}: nested by level, no_toc left out, links to the ids */
	S_run("* TOC\n{:toc}\n\n# Alpha\n\n## Beta\n\n### Gamma\n{: .no_toc}\n\n## Delta\n\n"
	      "# Epsilon\n{: #eps}\n", 0);
	n = S_find("div", 0);
	CHECK(n && strcmp(bb_tree_attr(n, "class") ? bb_tree_attr(n, "class") : "", "toc bb-toc") == 0);
	CHECK(S_find("nav", 0) == NULL);
	CHECK(strstr(out, "<a href=\"#alpha\">Alpha</a><ul><li><a href=\"#beta\">Beta</a></li>"
			  "<li><a href=\"#delta\">Delta</a></li></ul></li>"
			  "<li><a href=\"#eps\">Epsilon</a></li>") != NULL);
	CHECK(!strstr(out, "href=\"#gamma\""));
	CHECK(S_find("h4", 0) != NULL); /* Gamma is still in the text */
	CHECK(!strstr(out, "TOC"));

	/* a table with nothing to show is removed */
	S_run("* TOC\n{:toc}\n\nNo headings.\n", 0);
	CHECK(S_find("nav", 0) == NULL && S_find("div", 0) == NULL && S_find("ul", 0) == NULL);

	/* a split post: the link is "#id" (the writer adds the other file's
	 * name, links.c) and the heading is in another file */
	{
		bb_buf b = BB_BUF_INIT;
		size_t top;
		int i;
		bb_buf_puts(&b, "* TOC\n{:toc}\n\n# One\n\n");
		for (i = 0; i < 4000; i++)
			bb_buf_puts(&b, "Filler text that makes the post long enough to be split into files.\n\n");
		bb_buf_puts(&b, "# Two\n\nend\n");
		S_run(b.data, 0);
		bb_buf_free(&b);
		CHECK(ol.nparts > 1);
		CHECK(strstr(out, "<a href=\"#one\">One</a></li><li><a href=\"#two\">Two</a>") != NULL);
		CHECK(bb_map_get(&ol.ids, "two", &top) && bb_outline_part_of(&ol, top) > 0);
	}

	xmlFreeDoc(doc);
	bb_outline_free(&ol);
	return TEST_DONE();
}
