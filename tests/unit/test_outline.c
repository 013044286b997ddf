/* test_outline.c: phase 1 alone (outline.c over markdown.c's tree): heading
 * levels and ids, ids kept, repaired or removed, the reserved title id, the
 * split into files and where each heading lands, the bound on headings. */
#define _XOPEN_SOURCE 700
#include "markdown.h"
#include "outline.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bb_post post;
static xmlDocPtr doc;
static xmlNodePtr body;

/* The outline of a Markdown (or HTML) body, its warnings in dl. */
static void
S_outline(const char *text, int is_html, bb_outline *o, bb_diaglist *dl)
{
	bb_markdown_in in;
	memset(&in, 0, sizeof in);
	in.text = text;
	in.len = strlen(text);
	in.is_html = is_html;
	in.path = post.path;
	in.line0 = 1;
	in.dl = dl;
	if (doc)
		xmlFreeDoc(doc);
	doc = bb_markdown_to_tree(&in, &body);
	memset(o, 0, sizeof *o);
	bb_outline_build(o, &post, body, dl);
}

/* The id attribute of the k-th element child of body (0-based), or NULL. */
static const char *
S_id_of(int k)
{
	xmlNodePtr n;
	for (n = body->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && k-- == 0)
			return bb_tree_attr(n, "id");
	return NULL;
}

static int
S_said(const bb_diaglist *dl, const char *what)
{
	size_t i;
	for (i = 0; i < dl->n; i++)
		if (strstr(dl->v[i].message, what))
			return 1;
	return 0;
}

int
main(void)
{
	bb_outline o;
	bb_diaglist dl = { NULL, 0, 0 };
	char name[BB_NAME_MAX];
	size_t top;

	memset(&post, 0, sizeof post);
	post.path = "_posts/2024-01-01-x.md";
	post.id = "p00007";

	/* ids from the text, unique, valid; levels lifted to h2 without gaps */
	S_outline("### Hello World\n\n##### Hello World\n\n# 2024 plans\n\n## 日本語\n\n## p00007 title\n", 0, &o, &dl);
	CHECK(o.nheadings == 5);
	CHECK_STR(o.headings[0].id, "hello-world");
	CHECK_STR(o.headings[1].id, "hello-world-1");
	CHECK_STR(o.headings[2].id, "h-2024-plans");
	CHECK_STR(o.headings[3].id, "日本語");
	/* the chapter's own title id is taken */
	CHECK_STR(o.headings[4].id, "p00007-title-1");
	CHECK(o.headings[0].level == 2 && o.headings[1].level == 3 && o.headings[2].level == 2);
	CHECK_STR(o.headings[0].text, "Hello World");
	CHECK(o.nparts == 1 && o.headings[4].part == 0);
	/* the tree is renamed to the book's levels */
	CHECK_STR((const char *)body->children->name, "h2");
	/* ids map to their top-level block (the blank text between blocks
	 * counts as one) */
	{
		xmlNodePtr n = body->children;
		size_t t = 0;
		while (n && !(n->type == XML_ELEMENT_NODE && bb_tree_attr(n, "id") &&
			      strcmp(bb_tree_attr(n, "id"), "hello-world-1") == 0))
			n = n->next, t++;
		CHECK(n && bb_map_get(&o.ids, "hello-world-1", &top) && top == t && t > 0);
	}
	bb_outline_free(&o);

	/* the post's outline kept: headings of one level stay siblings when a
	 * higher one follows them, a child sits one level under its parent */
	S_outline("## a\n\n## b\n\n# c\n\n## d\n\n#### e\n\n### f\n", 0, &o, &dl);
	CHECK(o.nheadings == 6);
	CHECK(o.headings[0].level == 2 && o.headings[1].level == 2 && o.headings[2].level == 2);
	CHECK(o.headings[3].level == 3 && o.headings[4].level == 4 && o.headings[5].level == 4);
	bb_outline_free(&o);
	S_outline("## a\n\n### b\n\n### c\n\n# d\n\n###### e\n", 0, &o, &dl);
	CHECK(o.nheadings == 5);
	CHECK(o.headings[0].level == 2 && o.headings[1].level == 3 && o.headings[2].level == 3);
	CHECK(o.headings[3].level == 2 && o.headings[4].level == 3);
	bb_outline_free(&o);

	/* ids written in the post: kept when valid and first, else removed; an
	 * empty heading gets an id, no text and a warning */
	S_outline("<p id=\"keep\">a</p><p id=\"keep\">b</p><p id=\"1bad\">c</p><h2 id=\"mine\">T</h2><h3></h3>", 1, &o,
		  &dl);
	CHECK_STR(S_id_of(0), "keep");
	CHECK(S_id_of(1) == NULL && S_id_of(2) == NULL);
	CHECK(o.nheadings == 2);
	CHECK_STR(o.headings[0].id, "mine");
	CHECK(o.headings[1].text == NULL && o.headings[1].id && strcmp(o.headings[1].id, "section") == 0);
	CHECK(S_said(&dl, "an empty heading"));
	bb_diag_clear(&dl);
	bb_outline_free(&o);

	/* a large post is split at a heading once a file passes the size;
	 * each heading knows its file */
	{
		bb_buf big = BB_BUF_INIT;
		int i, k, ok = 1;
		for (i = 0; i < 3000; i++) {
			if (i % 100 == 0)
				bb_buf_printf(&big, "## Part %d\n\n", i / 100);
			bb_buf_printf(&big, "Paragraph %d, long enough to weigh: %s\n\n", i,
				      "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.");
		}
		S_outline(big.data, 0, &o, &dl);
		CHECK(o.nparts >= 2 && o.nheadings == 30);
		for (k = 1; k < o.nparts; k++) {
			/* every file after the first starts at a heading */
			xmlNodePtr n = body->children;
			size_t t;
			for (t = 0; t < o.part_start[k]; t++)
				n = n->next;
			ok &= n->name[0] == 'h';
		}
		CHECK(ok);
		for (i = 0; i < (int)o.nheadings; i++) {
			CHECK(bb_map_get(&o.ids, o.headings[i].id, &top));
			CHECK(o.headings[i].part == bb_outline_part_of(&o, top));
		}
		CHECK(o.headings[0].part == 0 && o.headings[o.nheadings - 1].part == o.nparts - 1);
		bb_outline_free(&o);
		bb_buf_free(&big);
	}

	/* headings past the table of contents' bound: counted, not listed */
	{
		bb_buf many = BB_BUF_INIT;
		int i;
		for (i = 0; i < 1200; i++)
			bb_buf_printf(&many, "## H%d\n\n", i);
		S_outline(many.data, 0, &o, &dl);
		CHECK(o.nheadings == BB_MAX_NAV_HEADINGS);
		CHECK(S_said(&dl, "1200 headings: only the first 1000"));
		bb_diag_clear(&dl);
		bb_outline_free(&o);
		bb_buf_free(&many);
	}

	/* slugs and file names */
	{
		char *s = bb_outline_slug("Hello, World: 2024 — 日本語の「見出し」");
		CHECK_STR(s, "hello-world-2024--日本語の見出し"); /* the dash goes, its blanks stay */
		free(s);
	}
	bb_part_name(&post, 0, name);
	CHECK_STR(name, "p00007.xhtml");
	bb_part_name(&post, 2, name);
	CHECK_STR(name, "p00007.3.xhtml");

	bb_outline_free(NULL);
	if (doc)
		xmlFreeDoc(doc);
	return TEST_DONE();
}
