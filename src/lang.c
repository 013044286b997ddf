/* lang.c: the one set of language predicates every page and the writer ask
 * (declared in blog.h): text direction, CJK, vertical setting. */
#include "blog.h"

#include <string.h>

const char *
bb_lang_dir(const char *lang)
{
	static const char *const rtl[] = { "ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "ckb", "dv", NULL };
	size_t i, n;
	if (!lang)
		return "ltr";
	n = strcspn(lang, "-");
	for (i = 0; rtl[i]; i++)
		if (strlen(rtl[i]) == n && strncmp(lang, rtl[i], n) == 0)
			return "rtl";
	return "ltr";
}

int
bb_lang_cjk(const char *lang)
{
	return lang && (strncmp(lang, "ja", 2) == 0 || strncmp(lang, "zh", 2) == 0 || strncmp(lang, "ko", 2) == 0);
}

int
bb_lang_vertical(const bb_blog *b, const char *lang)
{
	return b->vertical && bb_lang_cjk(lang);
}
