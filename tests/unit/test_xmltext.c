/* test_xmltext.c: xmltext.c alone: bb_xhtml_put_text escapes what XML
 * needs escaped, in text and in attribute values, and replaces what XML may
 * not hold by U+FFFD. */
#include "tap.h"
#include "xhtml.h"

#include <stdlib.h>

static void
S_check(const char *in, int attr, const char *want)
{
	bb_buf b = BB_BUF_INIT;
	bb_xhtml_put_text(&b, in, attr);
	bb_buf_put(&b, "", 0);
	CHECK_STR(b.data, want);
	bb_buf_free(&b);
}

int
main(void)
{
	S_check("a & b < c > d", 0, "a &amp; b &lt; c &gt; d");
	S_check("say \"hi\"", 0, "say \"hi\"");
	S_check("say \"hi\"", 1, "say &quot;hi&quot;");
	S_check("a\nb\tc", 0, "a\nb\tc");
	S_check("a\nb\tc", 1, "a b c");
	S_check("x\r\ny", 0, "x\ny");
	S_check("bell\x07", 0, "bell\xEF\xBF\xBD");
	S_check("\xEF\xBF\xBE\xEF\xBF\xBF", 0, "\xEF\xBF\xBD\xEF\xBF\xBD");
	S_check("\xEF\xBC\xA1 caf\xC3\xA9", 0, "\xEF\xBC\xA1 caf\xC3\xA9");
	S_check("", 1, "");
	return TEST_DONE();
}
