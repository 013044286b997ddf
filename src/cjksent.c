/* cjksent.c: the sentinels by which cjk.c hides ASCII punctuation from
 * cmark-gfm (U+10FF00 + the character), read back and written as XML. */
#include "cjksent.h"

int
bb_cjk_sentinel(const unsigned char *s, size_t n)
{
	if (n >= 4 && s[0] == 0xF4 && s[1] == 0x8F && (s[2] == 0xBC || s[2] == 0xBD) &&
	    (s[3] & 0xC0) == 0x80)
		return ((s[2] & 1) << 6) | (s[3] & 0x3F);
	return -1;
}

/* Appends s with sentinels restored to ASCII and XML special characters
 * escaped. */
void
bb_cjk_put_xml(bb_buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, from = 0;
	int ch;

	while (i < n) {
		if (s[i] == 0xF4 && (ch = bb_cjk_sentinel(s + i, n - i)) >= 0) {
			char c = (char)ch;
			bb_buf_put_xml(b, (const char *)s + from, i - from);
			bb_buf_put_xml(b, &c, 1);
			i += 4;
			from = i;
		} else {
			i++;
		}
	}
	bb_buf_put_xml(b, (const char *)s + from, n - from);
}

