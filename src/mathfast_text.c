/* mathfast_text.c: the characters beyond ASCII mathfast.c takes, as
 * KaTeX 0.16.4 (strict: 'ignore') writes them in math mode: its symbols
 * typed as characters (Latin-1 and Greek: the table below, printed by
 * tools/mathfast-table.js like mathfast_sym.c's, each checked between
 * letters, between digits, as a script and in display mode), and the CJK and full-width characters
 * it has no symbol for, which its parser takes as text (a textord in text
 * mode: <mtext>, joined with the <mtext>s beside it); the characters of
 * \text; the fixed markup of \mod and \xrightarrow; and the error
 * KaTeX gives for a control symbol it does not define. */
#include "mathfast.h"
#include "mathfast_int.h"
#include "mathml.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* A symbol typed as a character: its code point and its token. */
typedef struct S_usym {
	unsigned cp;
	const char *el, *attrs, *text;
} S_usym;

/* Sorted by code point. */
static const S_usym S_usyms[] = {
	{ 0xa3, "mi", " mathvariant=\"normal\"", "\302\243" },
	{ 0xa5, "mi", " mathvariant=\"normal\"", "\302\245" },
	{ 0xa7, "mi", " mathvariant=\"normal\"", "\302\247" },
	{ 0xac, "mi", " mathvariant=\"normal\"", "\302\254" },
	{ 0xb0, "mi", " mathvariant=\"normal\"", "\302\260" },
	{ 0xb1, "mo", "", "\302\261" },
	{ 0xb6, "mi", " mathvariant=\"normal\"", "\302\266" },
	{ 0xb7, "mo", " separator=\"true\"", "\342\213\205" },
	{ 0xd0, "mi", "", "\303\220" },
	{ 0xd7, "mo", "", "\303\227" },
	{ 0xde, "mi", "", "\303\236" },
	{ 0xf0, "mi", " mathvariant=\"normal\"", "\303\260" },
	{ 0xf7, "mo", "", "\303\267" },
	{ 0xfe, "mi", "", "\303\276" },
	{ 0x131, "mi", " mathvariant=\"normal\"", "\304\261" },
	{ 0x237, "mi", " mathvariant=\"normal\"", "\310\267" },
	{ 0x391, "mi", " mathvariant=\"normal\"", "A" },
	{ 0x392, "mi", " mathvariant=\"normal\"", "B" },
	{ 0x393, "mi", " mathvariant=\"normal\"", "\316\223" },
	{ 0x394, "mi", " mathvariant=\"normal\"", "\316\224" },
	{ 0x395, "mi", " mathvariant=\"normal\"", "E" },
	{ 0x396, "mi", " mathvariant=\"normal\"", "Z" },
	{ 0x397, "mi", " mathvariant=\"normal\"", "H" },
	{ 0x398, "mi", " mathvariant=\"normal\"", "\316\230" },
	{ 0x399, "mi", " mathvariant=\"normal\"", "I" },
	{ 0x39a, "mi", " mathvariant=\"normal\"", "K" },
	{ 0x39b, "mi", " mathvariant=\"normal\"", "\316\233" },
	{ 0x39c, "mi", " mathvariant=\"normal\"", "M" },
	{ 0x39d, "mi", " mathvariant=\"normal\"", "N" },
	{ 0x39e, "mi", " mathvariant=\"normal\"", "\316\236" },
	{ 0x39f, "mi", " mathvariant=\"normal\"", "O" },
	{ 0x3a0, "mi", " mathvariant=\"normal\"", "\316\240" },
	{ 0x3a1, "mi", " mathvariant=\"normal\"", "P" },
	{ 0x3a3, "mi", " mathvariant=\"normal\"", "\316\243" },
	{ 0x3a4, "mi", " mathvariant=\"normal\"", "T" },
	{ 0x3a5, "mi", " mathvariant=\"normal\"", "\316\245" },
	{ 0x3a6, "mi", " mathvariant=\"normal\"", "\316\246" },
	{ 0x3a7, "mi", " mathvariant=\"normal\"", "X" },
	{ 0x3a8, "mi", " mathvariant=\"normal\"", "\316\250" },
	{ 0x3a9, "mi", " mathvariant=\"normal\"", "\316\251" },
	{ 0x3b1, "mi", "", "\316\261" },
	{ 0x3b2, "mi", "", "\316\262" },
	{ 0x3b3, "mi", "", "\316\263" },
	{ 0x3b4, "mi", "", "\316\264" },
	{ 0x3b5, "mi", "", "\316\265" },
	{ 0x3b6, "mi", "", "\316\266" },
	{ 0x3b7, "mi", "", "\316\267" },
	{ 0x3b8, "mi", "", "\316\270" },
	{ 0x3b9, "mi", "", "\316\271" },
	{ 0x3ba, "mi", "", "\316\272" },
	{ 0x3bb, "mi", "", "\316\273" },
	{ 0x3bc, "mi", "", "\316\274" },
	{ 0x3bd, "mi", "", "\316\275" },
	{ 0x3be, "mi", "", "\316\276" },
	{ 0x3bf, "mi", "", "\316\277" },
	{ 0x3c0, "mi", "", "\317\200" },
	{ 0x3c1, "mi", "", "\317\201" },
	{ 0x3c2, "mi", "", "\317\202" },
	{ 0x3c3, "mi", "", "\317\203" },
	{ 0x3c4, "mi", "", "\317\204" },
	{ 0x3c5, "mi", "", "\317\205" },
	{ 0x3c6, "mi", "", "\317\206" },
	{ 0x3c7, "mi", "", "\317\207" },
	{ 0x3c8, "mi", "", "\317\210" },
	{ 0x3c9, "mi", "", "\317\211" },
	{ 0x3d1, "mi", "", "\317\221" },
	{ 0x3d5, "mi", "", "\317\225" },
	{ 0x3d6, "mi", "", "\317\226" },
	{ 0x3dd, "mi", " mathvariant=\"normal\"", "\317\235" },
	{ 0x3f1, "mi", "", "\317\261" },
	{ 0x3f5, "mi", "", "\317\265" },
};

/* Code points KaTeX writes as text, checked one by one with KaTeX (alone,
 * doubled, between letters, beside \text{a}, in \text and \textbf, as a
 * script and in display mode): CJK symbols and punctuation, kana,
 * ideographs, Hangul syllables, CJK compatibility ideographs, full- and
 * half-width forms. */
static const unsigned S_text_ranges[][2] = {
	{ 0x3000, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xff01, 0xffef },
};

/* Decodes the UTF-8 character of two or three bytes at s (n bytes at
 * most) into *cp: its length, or 0 (not UTF-8 in its shortest form, a
 * surrogate, or four bytes long). */
static size_t
S_utf8(const unsigned char *s, size_t n, unsigned *cp)
{
	if (n >= 2 && s[0] >= 0xc2 && s[0] <= 0xdf && (s[1] & 0xc0) == 0x80) {
		*cp = (unsigned)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (n >= 3 && (s[0] & 0xf0) == 0xe0 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80) {
		*cp = (unsigned)(s[0] & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		return *cp >= 0x800 && (*cp < 0xd800 || *cp > 0xdfff) ? 3 : 0;
	}
	return 0;
}

size_t
bb_mathfast_uchar(const char *s, size_t n, bb_mathfast_sym *tok, char buf[5])
{
	size_t k, i, lo = 0, hi = sizeof S_usyms / sizeof S_usyms[0];
	unsigned cp;

	if (!(k = S_utf8((const unsigned char *)s, n, &cp)))
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (S_usyms[mid].cp == cp) {
			tok->name = NULL;
			tok->el = S_usyms[mid].el;
			tok->attrs = S_usyms[mid].attrs;
			tok->text = S_usyms[mid].text;
			return k;
		}
		if (S_usyms[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = 0; i < sizeof S_text_ranges / sizeof S_text_ranges[0]; i++)
		if (cp >= S_text_ranges[i][0] && cp <= S_text_ranges[i][1]) {
			memcpy(buf, s, k);
			buf[k] = '\0';
			tok->name = NULL;
			tok->el = "mtext";
			tok->attrs = "";
			tok->text = buf;
			return k;
		}
	return 0;
}

#define S_MOD "<mrow><mi mathvariant=\"normal\">m</mi><mi mathvariant=\"normal\">o</mi>" \
	"<mi mathvariant=\"normal\">d</mi></mrow><mtext>\342\200\211</mtext><mtext>\342\200\211</mtext>"

const char *
bb_mathfast_frag(const char *name, size_t n, const char *p, const char *end, int display)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
		p++;
	/* \allowbreak, \mathchoice{\mkern18mu}{\mkern12mu}..., {\rm mod}\,\,
	 * (the style follows display mode in KaTeX's MathML), before a letter,
	 * digit or (: its five nodes are never a row's only one, and no script
	 * follows them */
	if (n == 3 && memcmp(name, "mod", 3) == 0) {
		if (p >= end || !((*p >= '0' && *p <= '9') || ((*p | 32) >= 'a' && (*p | 32) <= 'z') || *p == '('))
			return NULL;
		return display ? "<mspace/><mspace width=\"1em\"/>" S_MOD : "<mspace/><mspace width=\"0.6667em\"/>" S_MOD;
	}
	return bb_mathfast_space(name, n);
}

const char *
bb_mathfast_wrap(const char *name, size_t n, const char **close)
{
	/* KaTeX's xArrow: a stretchy arrow over the padded argument */
	if (n == 11 && memcmp(name, "xrightarrow", 11) == 0) {
		*close = "</mpadded></mover>";
		return "<mover><mo stretchy=\"true\" minsize=\"3.0em\">\342\206\222</mo>"
		       "<mpadded width=\"+0.6em\" lspace=\"0.3em\">";
	}
	return NULL;
}

size_t
bb_mathfast_text_char(const char *s, const char *end, char buf[5])
{
	bb_mathfast_sym u;
	size_t k;

	/* letters, digits, and punctuation text mode writes as it is: not
	 * < > & (escaped), " ' ` ~ (quotes, a space) or -- (a dash) */
	if (((*s | 32) >= 'a' && (*s | 32) <= 'z') || (*s >= '0' && *s <= '9') || (*s && strchr("!()*+,./:;=?@[]|", *s))
		|| (*s == '-' && s + 1 < end && s[1] != '-')) {
		buf[0] = *s;
		buf[1] = '\0';
		return 1;
	}
	if ((unsigned char)*s < 0x80 || !(k = bb_mathfast_uchar(s, (size_t)(end - s), &u, buf)))
		return 0;
	return strcmp(u.el, "mtext") == 0 ? k : 0;
}

char *
bb_mathfast_error_any(const char *tex, size_t len, int display)
{
	const char *at = NULL;
	size_t i, open = 0, start, end;
	bb_buf b = BB_BUF_INIT;
	char *m = NULL;

	for (i = 0; i < len; i++) {
		/* KaTeX counts positions in UTF-16 code units: ASCII only */
		if ((unsigned char)tex[i] >= 0x80)
			return NULL;
		/* mathml.c refuses more than BB_MATH_DEPTH_MAX groups open at
		 * once before KaTeX sees the formula: every opening counted */
		open += tex[i] == '{' || (tex[i] == '\\' && ((len - i > 4 && memcmp(tex + i + 1, "left", 4) == 0)
			|| (len - i > 5 && memcmp(tex + i + 1, "begin", 5) == 0)));
	}
	if (open > BB_MATH_DEPTH_MAX || (m = bb_mathfast_parse(tex, len, display, &at)) != NULL) {
		free(m);
		return NULL;
	}
	if (!at)
		return NULL;
	/* KaTeX's ParseError: the token with U+0332 after each character,
	 * 15 characters of context on each side */
	start = (size_t)(at - tex);
	end = start + 2;
	bb_buf_printf(&b, "ParseError: KaTeX parse error: Undefined control sequence: %.2s at position %zu: ", at,
		start + 1);
	if (start > 15)
		bb_buf_puts(&b, "\342\200\246");
	bb_buf_put(&b, start > 15 ? at - 15 : tex, start > 15 ? 15 : start);
	for (i = start; i < end; i++) {
		bb_buf_putc(&b, tex[i]);
		bb_buf_puts(&b, "\314\262");
	}
	bb_buf_put(&b, tex + end, end + 15 < len ? 15 : len - end);
	if (end + 15 < len)
		bb_buf_puts(&b, "\342\200\246");
	return bb_buf_detach(&b, NULL);
}
