/* test_autolink.c: autolink.c on trees cmark-gfm's autolink extension
 * made: a bare URL followed by Japanese text ends before it (GFM) or at
 * the first non-ASCII character (goldmark), GFM's trailing punctuation and
 * unbalanced ')' go back to the text, and links that need nothing stay. */
#define _XOPEN_SOURCE 700
#include "autolink.h"
#include "tap.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

/* md with the autolink extension, then bb_autolink_trim, as HTML. */
static char *
S_html(const char *md, int ascii_only, int *n)
{
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_node *doc;
	char *h;
	cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("autolink"));
	cmark_parser_feed(p, md, strlen(md));
	doc = cmark_parser_finish(p);
	*n = bb_autolink_trim(doc, ascii_only);
	h = cmark_render_html(doc, CMARK_OPT_DEFAULT, NULL);
	cmark_node_free(doc);
	cmark_parser_free(p);
	return h;
}

static void
S_is(const char *md, int ascii_only, int want_n, const char *want, int line)
{
	int n;
	char *h = S_html(md, ascii_only, &n);
	if (n != want_n || !strstr(h, want))
		fprintf(stderr, "line %d: %d links cut\n  got:  %s  want: %s\n", line, n, h, want);
	CHECK(n == want_n && strstr(h, want) != NULL);
	free(h);
}
#define IS(md, a, n, want) S_is(md, a, n, want, __LINE__)

int
main(void)
{
	cmark_gfm_core_extensions_ensure_registered();
	/* the case: the URL ends before です, the ')' is text */
	IS("(http://www.hof.de)です。その他の", 0, 1,
	   "(<a href=\"http://www.hof.de\">http://www.hof.de</a>)\xe3\x81\xa7\xe3\x81\x99");
	IS("https://example.com/path\xe3\x80\x82next", 0, 1, "<a href=\"https://example.com/path\">https://example.com/path</a>\xe3\x80\x82");
	IS("www.example.com\xe3\x81\xa7\xe3\x81\x99", 0, 1, "<a href=\"http://www.example.com\">www.example.com</a>\xe3\x81\xa7");
	/* a URL with balanced parentheses keeps them */
	IS("https://e.x/a_(b)\xe6\x97\xa5", 0, 1, "<a href=\"https://e.x/a_(b)\">");
	/* accents: part of a GFM URL, not of goldmark's */
	IS("https://e.x/caf\xc3\xa9 ok", 0, 0, "<a href=\"https://e.x/caf%C3%A9\">");
	IS("https://e.x/caf\xc3\xa9 ok", 1, 1, "<a href=\"https://e.x/caf\">https://e.x/caf</a>\xc3\xa9 ok");
	/* nothing to do */
	IS("see https://e.x/p and more", 0, 0, "<a href=\"https://e.x/p\">https://e.x/p</a> and more");
	return TEST_DONE();
}
