/* cjk_char.c: the character classes of the CJK passes (CJK, Hangul, punctuation and space as cmark reads them, combining marks) and the first or last character a reader sees in an inline node. */
#include <stdint.h>

/* cmark's own notions of "Unicode punctuation" and "whitespace", so that
 * the flanking rules here agree with the parser's to the code point. */
#include <cmark-gfm/utf8.h>

#include "cjk_int.h"


unsigned
bb_cjk_cp_at(const unsigned char *s, size_t n, size_t *len)
{
	unsigned cp;
	int k = bb_utf8_decode(s, n, &cp);

	if (k <= 0) {
		*len = 1;
		return 0xFFFD;
	}
	*len = (size_t)k;
	return cp;
}

/* The code point that ends at s[pos], not reaching before s[start];
 * 0 when there is none. */
unsigned
bb_cjk_cp_before(const unsigned char *s, size_t start, size_t pos)
{
	size_t p, k;
	unsigned cp;

	if (pos <= start)
		return 0;
	p = pos - 1;
	while (p > start && (s[p] & 0xC0) == 0x80 && pos - p < 4)
		p--;
	cp = bb_cjk_cp_at(s + p, pos - p, &k);
	return p + k == pos ? cp : 0xFFFD;
}

/* A code point with sentinels mapped back to the ASCII they stand for. */
unsigned
bb_cjk_norm(unsigned cp)
{
	return cp >= CJK_SENT && cp < CJK_SENT + 0x80 ? cp - CJK_SENT : cp;
}

int
bb_cjk_ascii_punct(int c)
{
	return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
	       (c >= 123 && c <= 126);
}

int
bb_cjk_special(int c)
{
	return c == '*' || c == '_' || c == '{' || c == '}' || c == '|' || c == '^';
}

int
bb_cjk_space(unsigned cp)
{
	return cmark_utf8proc_is_space((int32_t)cp);
}

int
bb_cjk_punct(unsigned cp)
{
	return cmark_utf8proc_is_punctuation((int32_t)cp);
}

/* CJK in the sense of the amendment: East Asian Wide/Fullwidth/Halfwidth,
 * not emoji, or Hangul. bb_is_cjk plus the wide blocks it leaves out. */
int
bb_cjk_wide(unsigned cp)
{
	return bb_is_cjk(cp) ||
	       (cp >= 0x2FF0 && cp <= 0x2FFF) ||    /* ideographic description */
	       (cp >= 0xA000 && cp <= 0xA4CF) ||    /* Yi */
	       (cp >= 0xFE10 && cp <= 0xFE19) ||    /* vertical forms */
	       (cp >= 0xFE50 && cp <= 0xFE6F) ||    /* small form variants */
	       (cp >= 0x16FE0 && cp <= 0x18AFF) ||  /* Tangut, ... */
	       (cp >= 0x1AFF0 && cp <= 0x1B2FF);    /* kana supplements */
}

static int
S_hangul(unsigned cp)
{
	return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F) ||
	       (cp >= 0xA960 && cp <= 0xA97F) || (cp >= 0xAC00 && cp <= 0xD7FF) ||
	       (cp >= 0xFFA0 && cp <= 0xFFDC);
}

/* Characters between which a line break is dropped (CSS Text's segment
 * break rule): wide East Asian, but not Hangul. */
int
bb_cjk_joins(unsigned cp)
{
	return bb_cjk_wide(cp) && !S_hangul(cp);
}

/* Marks that belong to the character before them, for per-character ruby. */
int
bb_cjk_mark(unsigned cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || cp == 0x3099 || cp == 0x309A ||
	       (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) ||
	       cp == 0x200D;
}

size_t
bb_cjk_utf8(unsigned cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xC0 | (cp >> 6));
		out[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xE0 | (cp >> 12));
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | (cp >> 18));
	out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

const unsigned char *
bb_cjk_literal(cmark_node *n, size_t *len)
{
	const char *s = cmark_node_get_literal(n);

	if (!s)
		s = "";
	*len = strlen(s);
	return (const unsigned char *)s;
}

int
bb_cjk_is_strike(cmark_node *n)
{
	const char *t = cmark_node_get_type_string(n);
	return t && strcmp(t, "strikethrough") == 0;
}

int
bb_cjk_is_inline_block(cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	const char *s;

	if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING)
		return 1;
	s = cmark_node_get_type_string(n);
	return s && strcmp(s, "table_cell") == 0;
}

static int
S_html_cjkish(cmark_node *n)
{
	size_t len;
	const unsigned char *s = bb_cjk_literal(n, &len);

	return strncmp((const char *)s, "<ruby", 5) == 0 ||
	       strncmp((const char *)s, "<span class=\"tcy\">", 18) == 0 ||
	       (len >= 7 && memcmp(s + len - 7, "</ruby>", 7) == 0);
}

/* The first (or last) character a reader sees in node n: looks inside
 * emphasis, links and strikethrough. Ruby and tate-chu-yoko count as CJK.
 * 0 when there is none. */
unsigned
bb_cjk_edge(cmark_node *n, int last)
{
	const unsigned char *s;
	size_t len, k;

	while (n) {
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			s = bb_cjk_literal(n, &len);
			if (len == 0)
				return 0;
			if (last)
				return bb_cjk_norm(bb_cjk_cp_before(s, 0, len));
			return bb_cjk_norm(bb_cjk_cp_at(s, len, &k));
		case CMARK_NODE_HTML_INLINE:
			return S_html_cjkish(n) ? 0x4E00 : 0;
		case CMARK_NODE_EMPH:
		case CMARK_NODE_STRONG:
		case CMARK_NODE_LINK:
			break;
		default:
			if (!bb_cjk_is_strike(n))
				return 0;
		}
		n = last ? cmark_node_last_child(n) : cmark_node_first_child(n);
	}
	return 0;
}
