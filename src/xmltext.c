/* xmltext.c: text and attribute values escaped for XML (bb_xhtml_put_text,
 * declared in xhtml.h), for the writer and every page. */
#include "xhtml.h"

/* Bytes S_put_text must look at: 1 in text and attributes, 2 in
 * attributes only. Everything else is copied in runs. */
static const unsigned char S_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,
	[0xEF] = 1,
};

void
bb_xhtml_put_text(bb_buf *o, const char *s, int attr)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0, i;
	unsigned char mask = attr ? 3 : 1;
	for (i = 0; u[i]; i++) {
		const char *rep = NULL;
		unsigned char c = u[i];
		if (!(S_special[c] & mask))
			continue;
		if (c == '&')
			rep = "&amp;";
		else if (c == '<')
			rep = "&lt;";
		else if (c == '>')
			rep = "&gt;";
		else if (c == '"')
			rep = "&quot;";
		else if (c == '\n' || c == '\t')
			rep = " "; /* attributes only */
		else if (c < 0x20)
			rep = c == '\r' ? "" : "\xEF\xBF\xBD";
		else if (c == 0xEF && u[i + 1] == 0xBF && (u[i + 2] == 0xBE || u[i + 2] == 0xBF)) {
			/* U+FFFE and U+FFFF are not XML characters */
			bb_buf_put(o, s + start, i - start);
			bb_buf_puts(o, "\xEF\xBF\xBD");
			i += 2;
			start = i + 1;
			continue;
		} else
			continue;
		bb_buf_put(o, s + start, i - start);
		bb_buf_puts(o, rep);
		start = i + 1;
	}
	bb_buf_put(o, s + start, i - start);
}
