/* test_lang.c: lang.c alone: text direction, CJK, and vertical setting of a
 * language tag. */
#include "tap.h"
#include "blog.h"

#include <string.h>

int
main(void)
{
	bb_blog b;
	CHECK_STR(bb_lang_dir("ar"), "rtl");
	CHECK_STR(bb_lang_dir("he-IL"), "rtl");
	CHECK_STR(bb_lang_dir("ckb"), "rtl");
	CHECK_STR(bb_lang_dir("en"), "ltr");
	CHECK_STR(bb_lang_dir("fr-CA"), "ltr");
	CHECK_STR(bb_lang_dir("arn"), "ltr"); /* Mapudungun, not Arabic */
	CHECK_STR(bb_lang_dir(NULL), "ltr");
	CHECK(bb_lang_cjk("ja"));
	CHECK(bb_lang_cjk("zh-Hant"));
	CHECK(bb_lang_cjk("ko"));
	CHECK(!bb_lang_cjk("en"));
	CHECK(!bb_lang_cjk(NULL));
	memset(&b, 0, sizeof b);
	CHECK(!bb_lang_vertical(&b, "ja"));
	b.vertical = 1;
	CHECK(bb_lang_vertical(&b, "ja"));
	CHECK(!bb_lang_vertical(&b, "en"));
	CHECK(!bb_lang_vertical(&b, NULL));
	return TEST_DONE();
}
