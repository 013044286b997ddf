/* test_cmarkmem.c: the per-thread arena for cmark-gfm's trees: a parse on
 * it writes the same HTML as one on malloc, nodes made while it is under
 * way link into its trees (cmark refuses a node of another allocator),
 * grown and reused blocks keep and zero what they should, and a nested
 * end releases nothing the outer parse still holds. */
#define _XOPEN_SOURCE 700
#include "cmarkmem.h"
#include "tap.h"

#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

static const char S_md[] =
	"# Title\n\nSome *emphasis*, `code` and a [link](http://e.x \"t\").[^1]\n\n"
	"| a | b |\n|---|:-:|\n| 1 | ~~2~~ |\n\n- [x] done\n- item www.example.com\n\n"
	"```c\nint x;\n```\n\n<div>raw</div>\n\n[^1]: A note.\n";

/* S_md as HTML, parsed on mem (the default allocator when NULL). */
static char *
S_html(cmark_mem *mem)
{
	static const char *const exts[] = { "table", "strikethrough", "autolink", "tasklist" };
	int opts = CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES;
	cmark_parser *p = mem ? cmark_parser_new_with_mem(opts, mem) : cmark_parser_new(opts);
	cmark_node *doc;
	char *h;
	size_t i;
	for (i = 0; i < sizeof exts / sizeof exts[0]; i++)
		cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(exts[i]));
	cmark_parser_feed(p, S_md, sizeof S_md - 1);
	doc = cmark_parser_finish(p);
	h = cmark_render_html_with_mem(doc, opts, cmark_parser_get_syntax_extensions(p),
				       cmark_get_default_mem_allocator());
	cmark_node_free(doc);
	cmark_parser_free(p);
	return h;
}

static void
S_same_html(void)
{
	char *want = S_html(NULL), *got;
	int round;
	/* twice: the second parse reuses the chunks the first released */
	for (round = 0; round < 2; round++) {
		got = S_html(bb_cmark_mem_begin());
		bb_cmark_mem_end();
		CHECK_STR(got, want);
		free(got);
	}
	free(want);
}

/* A node made by bb_cmark_node_new links into an arena tree, one made on
 * malloc does not: the passes that add nodes must use the former. */
static void
S_links(void)
{
	cmark_mem *mem = bb_cmark_mem_begin();
	cmark_node *doc = cmark_node_new_with_mem(CMARK_NODE_DOCUMENT, mem);
	cmark_node *para = bb_cmark_node_new(CMARK_NODE_PARAGRAPH);
	cmark_node *other = cmark_node_new(CMARK_NODE_PARAGRAPH);
	CHECK(cmark_node_append_child(doc, para) == 1);
	CHECK(cmark_node_append_child(doc, other) == 0);
	cmark_node_free(other);
	cmark_node_free(doc);
	bb_cmark_mem_end();
	/* outside a parse: malloc's, which links into malloc's trees */
	doc = cmark_node_new(CMARK_NODE_DOCUMENT);
	CHECK(cmark_node_append_child(doc, bb_cmark_node_new(CMARK_NODE_PARAGRAPH)) == 1);
	cmark_node_free(doc);
}

static int
S_all(const unsigned char *p, size_t n, unsigned char c)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (p[i] != c)
			return 0;
	return 1;
}

static void
S_blocks(void)
{
	cmark_mem *mem = bb_cmark_mem_begin();
	unsigned char *a = mem->calloc(1, 100), *b, *c;
	CHECK(S_all(a, 100, 0));
	memset(a, 'a', 100);
	/* the last block grows in place, then past its chunk (copied) */
	a = mem->realloc(a, 1000);
	CHECK(S_all(a, 100, 'a'));
	memset(a, 'a', 1000);
	b = mem->calloc(1, 50);
	memset(b, 'b', 50);
	a = mem->realloc(a, 3 * 1024 * 1024);
	CHECK(S_all(a, 1000, 'a') && S_all(b, 50, 'b'));
	/* a nested parse's end releases nothing of the outer one's */
	mem = bb_cmark_mem_begin();
	c = mem->calloc(1, 64);
	memset(c, 'c', 64);
	bb_cmark_mem_end();
	c = mem->calloc(1, 64);
	CHECK(S_all(c, 64, 0) && S_all(b, 50, 'b') && S_all(a, 1000, 'a'));
	mem->free(c);
	mem->free(a);
	bb_cmark_mem_end();
	/* reused memory comes back zeroed from calloc */
	mem = bb_cmark_mem_begin();
	a = mem->calloc(100, 10);
	CHECK(S_all(a, 1000, 0));
	bb_cmark_mem_end();
}

int
main(void)
{
	cmark_gfm_core_extensions_ensure_registered();
	S_same_html();
	S_links();
	S_blocks();
	return TEST_DONE();
}
