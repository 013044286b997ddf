/* test_page.c: page.c alone: the one set of language predicates, plain
 * titles, and the book's pages (chapter, cover, title, group) carrying the
 * language's direction. */
#define _XOPEN_SOURCE 700
#include "page.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static int
S_has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

int
main(void)
{
	bb_blog b;
	bb_post post;
	bb_group grp;
	bb_diaglist dl = { NULL, 0, 0 };
	bb_buf o = BB_BUF_INIT;
	char *t;

	/* direction */
	CHECK_STR(bb_lang_dir("ar"), "rtl");
	CHECK_STR(bb_lang_dir("ar-EG"), "rtl");
	CHECK_STR(bb_lang_dir("he"), "rtl");
	CHECK_STR(bb_lang_dir("fa"), "rtl");
	CHECK_STR(bb_lang_dir("ur"), "rtl");
	CHECK_STR(bb_lang_dir("ckb"), "rtl");
	CHECK_STR(bb_lang_dir("dv"), "rtl");
	CHECK_STR(bb_lang_dir("en"), "ltr");
	CHECK_STR(bb_lang_dir("arn"), "ltr");
	CHECK_STR(bb_lang_dir("ja"), "ltr");
	CHECK_STR(bb_lang_dir(NULL), "ltr");
	/* CJK, and vertical only in a vertical book */
	CHECK(bb_lang_cjk("ja") && bb_lang_cjk("zh-TW") && bb_lang_cjk("ko") && !bb_lang_cjk("en") && !bb_lang_cjk(NULL));
	memset(&b, 0, sizeof b);
	CHECK(!bb_lang_vertical(&b, "ja"));
	b.vertical = 1;
	CHECK(bb_lang_vertical(&b, "ja") && !bb_lang_vertical(&b, "ar"));
	b.vertical = 0;

	/* plain titles */
	t = bb_plain_title("<em>Hello</em>   **world** `x` &amp; y");
	CHECK_STR(t, "Hello world x &amp; y");
	free(t);

	/* pages of a right-to-left book */
	b.title = "كتاب";
	b.lang = "ar";
	b.cover = -1;
	b.tpl = bb_templates_load(NULL, &dl);
	CHECK(b.tpl != NULL);
	memset(&post, 0, sizeof post);
	post.title = "عنوان";
	post.id = "p00001";
	memset(&grp, 0, sizeof grp);
	grp.title = "2024";
	grp.count = 1;
	snprintf(grp.id, sizeof grp.id, "g0001");
	b.posts = &post;
	b.nposts = 1;
	b.groups = &grp;
	b.ngroups = 1;

	bb_page_chapter(&b, &post, 0, "<p>نص</p>", &o);
	CHECK(S_has(o.data, "dir=\"rtl\"") && S_has(o.data, "<p>نص</p>"));
	bb_buf_reset(&o);
	bb_page_cover(&b, &o);
	CHECK(S_has(o.data, "xml:lang=\"ar\"") && S_has(o.data, " dir=\"rtl\""));
	bb_buf_reset(&o);
	bb_page_title(&b, &o);
	CHECK(S_has(o.data, "dir=\"rtl\""));
	bb_buf_reset(&o);
	bb_page_group(&b, 0, &o);
	CHECK(S_has(o.data, "dir=\"rtl\"") && S_has(o.data, "2024"));

	/* a left-to-right book: chapters say ltr, the cover says nothing */
	b.lang = "en";
	bb_buf_reset(&o);
	bb_page_cover(&b, &o);
	CHECK(!S_has(o.data, "dir="));
	bb_buf_reset(&o);
	bb_page_title(&b, &o);
	CHECK(S_has(o.data, "dir=\"ltr\""));
	/* a post in Hebrew in an English book */
	post.lang = "he";
	bb_buf_reset(&o);
	bb_page_chapter(&b, &post, 1, "", &o);
	CHECK(S_has(o.data, "dir=\"rtl\"") && S_has(o.data, "post-continued"));

	bb_buf_free(&o);
	bb_templates_free(b.tpl);
	bb_diag_clear(&dl);
	return TEST_DONE();
}
