/* xmltext.c: text and attribute values escaped for XML (bb_xhtml_put_text,
 * declared in xhtml.h), for the writer and every page. */
#include "xhtml.h"

#include <stdint.h>
#include <string.h>

/* Bytes S_put_text must look at: 1 in text and attributes, 2 in
 * attributes only. Everything else is copied in runs. */
static const unsigned char S_special[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0,
	[0xEF] = 1,
};

/* 0 when none of the eight bytes at u is one S_special marks (in text,
 * or with attr in attributes too): each byte under 0x20 and each equal to
 * a marked one is found by the borrow it makes. */
static int
S_special8(const unsigned char *u, int attr)
{
	const uint64_t ones = 0x0101010101010101ULL;
	static const unsigned char eq[] = { '&', '<', '>', 0xEF, '"' };
	uint64_t w, m;
	size_t k;
	memcpy(&w, u, 8);
	m = (w - ones * 0x20) & ~w;
	for (k = 0; k < sizeof eq - !attr; k++) {
		uint64_t x = w ^ (ones * eq[k]);
		m |= (x - ones) & ~x;
	}
	return (m & ones * 0x80) != 0;
}

void
bb_xhtml_put_text(bb_buf *o, const char *s, int attr)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0, i, n = strlen(s);
	unsigned char mask = attr ? 3 : 1;
	for (i = 0; i < n; i++) {
		const char *rep = NULL;
		unsigned char c;
		/* plain text passed eight bytes at a time */
		while (i + 8 <= n && !S_special8(u + i, attr))
			i += 8;
		if (i >= n)
			break;
		c = u[i];
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
