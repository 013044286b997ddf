/* test_wp_parts.c: unit tests for the files of the WordPress content code alone: wpscan.c (the scans, through wpautop_int.h) and wpcontent.c (block comments and shortcode_unautop, which do not call wpautop). test_wpautop.c tests wpautop.c against WordPress's own cases. */
#include "wpautop_int.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static text
T_text(const char *s)
{
	text t;
	t.s = s;
	t.n = strlen(s);
	return t;
}

static void
test_scan(void)
{
	text t = T_text("a<b>c<b>d");
	finder gt = { ">", 0, 0, 0 };
	bb_buf in = BB_BUF_INIT, out = BB_BUF_INIT;
	size_t i = 0;

	CHECK(bb_wp_ws(' ') && bb_wp_ws('\v') && bb_wp_ws('\r') && !bb_wp_ws('a') && !bb_wp_ws('\0'));
	CHECK(bb_wp_at(t, 1, "<b>") && !bb_wp_at(t, 0, "<b>") && !bb_wp_at(t, 8, "dd"));
	CHECK(bb_wp_find(t, 0, "<b>") == 1 && bb_wp_find(t, 2, "<b>") == 5);
	CHECK(bb_wp_find(t, 6, "<b>") == t.n && bb_wp_find(t, 3, "") == 3);
	/* the cache answers for later starts, and searches again past its find */
	CHECK(bb_wp_next(&gt, t, 0) == 3 && bb_wp_next(&gt, t, 2) == 3);
	CHECK(bb_wp_next(&gt, t, 4) == 7 && bb_wp_next(&gt, t, 8) == t.n);
	CHECK(bb_wp_skip_ws(T_text("  \t\nx"), 0) == 4 && bb_wp_skip_ws(T_text("x"), 0) == 0);

	bb_wp_copy_to(&out, t, &i, '<');
	CHECK(i == 1 && out.len == 1 && out.data[0] == 'a');
	i = 6;
	bb_wp_copy_to(&out, t, &i, '<');
	CHECK(i == t.n && out.len == 4 && memcmp(out.data, "ab>d", 4) == 0);

	/* a step's output becomes the next step's text, the output emptied */
	bb_buf_puts(&in, "x\r\ny\r\n");
	CHECK(bb_wp_text(&out).n == 4);
	bb_buf_reset(&out);
	bb_wp_str_replace(&in, &out, "\r\n", "\n");
	CHECK(out.len == 0 && bb_wp_text(&in).n == 4 && memcmp(in.data, "x\ny\n", 4) == 0);
	bb_wp_str_replace(&in, &out, "\n", "<br />");
	CHECK(in.len == 14 && memcmp(in.data, "x<br />y<br />", 14) == 0);
	bb_wp_swap(&in, &out);
	CHECK(in.len == 0 && out.len == 0 && bb_wp_text(&in).s != NULL);
	bb_buf_free(&in);
	bb_buf_free(&out);
}

static void
test_content(void)
{
	static const char *const names[] = { "gallery", "caption", NULL };
	static const char blocks[] = "<!-- wp:paragraph -->\n<p>A</p>\n<!-- /wp:paragraph -->";
	size_t n;
	char *s;

	CHECK(bb_wp_has_blocks(blocks, strlen(blocks)));
	CHECK(!bb_wp_has_blocks("<!-- more -->", 13) && !bb_wp_has_blocks(NULL, 0));
	s = bb_wp_strip_blocks(blocks, strlen(blocks), &n);
	CHECK_STR(s, "\n<p>A</p>\n");
	CHECK(n == 10);
	free(s);
	/* an unclosed block comment stays */
	s = bb_wp_strip_blocks("x<!-- wp:y", 10, &n);
	CHECK_STR(s, "x<!-- wp:y");
	free(s);

	/* a registered shortcode alone in a paragraph loses the <p> */
	s = bb_wp_shortcode_unautop("<p>[gallery ids=\"1,2\"]</p>\n", 28, names, &n);
	CHECK_STR(s, "[gallery ids=\"1,2\"]\n");
	free(s);
	s = bb_wp_shortcode_unautop("<p>&nbsp;[caption]A cat[/caption] </p>", 38, names, &n);
	CHECK_STR(s, "[caption]A cat[/caption]");
	free(s);
	/* not registered, not alone, or a longer name: kept */
	s = bb_wp_shortcode_unautop("<p>[audio]</p><p>[gallery] text</p><p>[gallery-x]</p>", 53, names, &n);
	CHECK_STR(s, "<p>[audio]</p><p>[gallery] text</p><p>[gallery-x]</p>");
	free(s);
	s = bb_wp_shortcode_unautop("<p>[gallery]</p>", 16, NULL, &n);
	CHECK_STR(s, "<p>[gallery]</p>");
	free(s);
}

int
main(void)
{
	test_scan();
	test_content();
	return TEST_DONE();
}
