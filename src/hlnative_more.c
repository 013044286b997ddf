/* hlnative_more.c: the native highlighter's lexers for TeX, Markdown and Makefiles, and the comments and strings of Pascal and D. */
#include "hlnative_int.h"

#include <string.h>

/* A lexer's output: the code, and where the text not yet written starts. */
typedef struct S_out {
	const char *s;
	size_t len, plain;
	bb_buf *b;
} S_out;

/* Writes the plain text before i, then s[i..j) as a token of class cls. */
static void
S_tok(S_out *o, const char *cls, size_t i, size_t j)
{
	if (j <= i)
		return;
	bb_hl_text(o->b, o->s + o->plain, i - o->plain);
	bb_hl_span(o->b, cls, o->s + i, j - i);
	o->plain = j;
}

/* Writes the plain text left. */
static void
S_flush(S_out *o)
{
	bb_hl_text(o->b, o->s + o->plain, o->len - o->plain);
	o->plain = o->len;
}

/* The end of the line at i: its '\n', or len. */
static size_t
S_eol(const char *s, size_t len, size_t i)
{
	const char *nl = memchr(s + i, '\n', len - i);

	return nl ? (size_t)(nl - s) : len;
}

/* Where the n bytes of q are found in s[i..to) (after them when past is
 * set), or to. */
static size_t
S_upto(const char *s, size_t to, size_t i, const char *q, size_t n, int past)
{
	for (; i + n <= to; i++)
		if (memcmp(s + i, q, n) == 0)
			return past ? i + n : i;
	return to;
}

/* 1 when c is an ASCII letter. */
static int
S_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* 1 when c is an ASCII digit. */
static int
S_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* ---- TeX ---- */

/* The length of the name of a control sequence at s[i] (after the
 * backslash): letters (Latin or Cyrillic, as highlight.js's) and a '*',
 * or one other character; 0 for a digit, a line's end or nothing. */
static size_t
S_tex_name(const char *s, size_t len, size_t i)
{
	size_t j = i;
	unsigned char c;

	for (;;) {
		c = j < len ? (unsigned char)s[j] : 0;
		if (S_alpha(c))
			j++;
		else if (j + 1 < len && ((c == 0xd0 && (unsigned char)s[j + 1] >= 0x90 && (unsigned char)s[j + 1] <= 0xbf)
			|| (c == 0xd1 && (unsigned char)s[j + 1] >= 0x80 && (unsigned char)s[j + 1] <= 0x8f)))
			j += 2;
		else
			break;
	}
	if (j > i)
		return j - i + (j < len && s[j] == '*');
	if (i >= len || S_digit(c) || c == '\n' || c == '\r')
		return 0;
	/* one character, all of its UTF-8 bytes */
	j = i + 1;
	while (c >= 0xc0 && j < len && ((unsigned char)s[j] & 0xc0) == 0x80)
		j++;
	return j - i;
}

/* A control sequence at s[i] ('\\'), with the [] and {} arguments right
 * after it and a "= 3pt" dimension: written; returns its end, or i when
 * none starts there. */
static size_t
S_tex_cmd(S_out *o, size_t i)
{
	const char *s = o->s;
	size_t len = o->len, n = S_tex_name(s, len, i + 1), j, k;

	if (n == 0)
		return i;
	S_tok(o, "name", i, i + 1 + n);
	j = i + 1 + n;
	while (j < len && (s[j] == '[' || s[j] == '{')) {
		k = S_upto(s, len, j + 1, s[j] == '[' ? "]" : "}", 1, 1);
		if (k == len && s[len - 1] != (s[j] == '[' ? ']' : '}'))
			break;
		S_tok(o, "string", j, k);
		j = k;
	}
	k = j;
	while (k < len && (s[k] == ' ' || s[k] == '\t'))
		k++;
	if (k < len && s[k] == '=') {
		size_t a, e;
		for (a = k + 1; a < len && (s[a] == ' ' || s[a] == '\t'); a++)
			;
		e = a + (a < len && s[a] == '-');
		while (e < len && (S_digit((unsigned char)s[e]) || s[e] == '.'))
			e++;
		if (e > a && S_digit((unsigned char)s[e - 1])) {
			static const char units[] = "pt pc mm cm in dd cc ex em";
			if (e + 2 <= len && S_alpha((unsigned char)s[e]) && S_alpha((unsigned char)s[e + 1])) {
				char u[3] = { s[e], s[e + 1], 0 };
				if (strstr(units, u))
					e += 2;
			}
			S_tok(o, "number", a, e);
			j = e;
		}
	}
	return j;
}

/* A $ or $$ formula at s[i]: written (its control sequences as such);
 * returns its end, after the closing dollars or at the code's end. */
static size_t
S_tex_formula(S_out *o, size_t i)
{
	const char *s = o->s;
	size_t len = o->len, dl = i + 1 < len && s[i + 1] == '$' ? 2 : 1, k = i + dl, f = i;

	while (k < len) {
		if (s[k] == '\\' && S_tex_name(s, len, k + 1) > 0) {
			S_tok(o, "formula", f, k);
			k = f = S_tex_cmd(o, k);
			continue;
		}
		if (s[k] == '$' && (dl == 1 || (k + 1 < len && s[k + 1] == '$'))) {
			k += dl;
			break;
		}
		k++;
	}
	S_tok(o, "formula", f, k);
	return k;
}

void
bb_hl_tex(const char *s, size_t len, bb_buf *b)
{
	S_out o = { s, len, 0, b };
	size_t i = 0, j;

	while (i < len) {
		if (s[i] == '%') {
			j = S_eol(s, len, i);
			S_tok(&o, "comment", i, j);
			i = j;
		} else if (s[i] == '\\') {
			j = S_tex_cmd(&o, i);
			i = j > i ? j : i + 1;
		} else if (s[i] == '$') {
			i = S_tex_formula(&o, i);
		} else {
			i++;
		}
	}
	S_flush(&o);
}

/* ---- Markdown ---- */

/* How many of the bytes s[i..e) from i are in set (not NUL-ended: code
 * is a slice of its post). */
static size_t
S_run_of(const char *s, size_t i, size_t e, const char *set)
{
	size_t k = i;

	while (k < e && strchr(set, s[k]) && s[k])
		k++;
	return k - i;
}

/* 1 when s[i..e) is a fence's line: ``` or ~~~ and, when opening, a word
 * (the language). */
static int
S_md_fence(const char *s, size_t i, size_t e, int opening)
{
	size_t k;

	if (e - i < 3 || !(memcmp(s + i, "```", 3) == 0 || memcmp(s + i, "~~~", 3) == 0))
		return 0;
	for (k = i + 3; k < e && s[k] == s[i]; k++)
		;
	while (opening && k < e && (S_alpha((unsigned char)s[k]) || S_digit((unsigned char)s[k]) || s[k] == '_'))
		k++;
	while (k < e && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
		k++;
	return k == e;
}

/* The end of a pair of marks (q, its length n) that opens at s[i] and
 * closes on the same line (e its end) with something between; or i. */
static size_t
S_md_pair(const char *s, size_t i, size_t e, const char *q, size_t n)
{
	size_t k = S_upto(s, e, i + n + 1, q, n, 1);

	return k == e && !(e >= i + 2 * n + 1 && memcmp(s + e - n, q, n) == 0) ? i : k;
}

/* Emphasis, strong text, a code span, a link or a tag at s[i] of a line
 * ending at e: written; returns its end, or i. */
static size_t
S_md_inline(S_out *o, size_t i, size_t e)
{
	const char *s = o->s;
	unsigned char c = (unsigned char)s[i];
	size_t j = i, k, m;

	if (c == '`')
		S_tok(o, "code", i, j = S_md_pair(s, i, e, "`", 1));
	else if ((c == '*' || c == '_') && i + 1 < e && (s[i + 1] == '*' || s[i + 1] == '_')) {
		/* [*_]{2}.+?[*_]{2} */
		for (k = i + 3; k + 1 < e && !((s[k] == '*' || s[k] == '_') && (s[k + 1] == '*' || s[k + 1] == '_')); k++)
			;
		if (k + 1 < e)
			S_tok(o, "strong", i, j = k + 2);
	} else if (c == '*' || (c == '_' && !(i > 0 && (S_alpha((unsigned char)s[i - 1]) || S_digit((unsigned char)s[i - 1])))))
		S_tok(o, "emphasis", i, j = S_md_pair(s, i, e, c == '*' ? "*" : "_", 1));
	else if (c == '[' && (k = S_upto(s, e, i + 2, "]", 1, 0)) + 1 < e && (s[k + 1] == '(' || s[k + 1] == '[')
		&& (m = S_upto(s, e, k + 2, s[k + 1] == '(' ? ")" : "]", 1, 0)) < e) {
		S_tok(o, "string", i + 1, k);
		S_tok(o, s[k + 1] == '(' ? "link" : "symbol", k + 2, m);
		j = m + 1;
	} else if (c == '<' && i + 1 < e && (S_alpha((unsigned char)s[i + 1]) || s[i + 1] == '/' || s[i + 1] == '!')
		&& (k = S_upto(s, e, i + 1, ">", 1, 0)) < e) {
		bb_hl_text(o->b, s + o->plain, i - o->plain);
		bb_hl_markup(s + i, k + 1 - i, o->b);
		o->plain = j = k + 1;
	}
	return j;
}

/* The block-level token a line s[i..e) starts with: written; returns
 * where the line's inline text starts (after a bullet; i when none), or
 * the end of what the token took (a heading, with its underline on the
 * next line; a fenced block to its closing fence; a quote, a link's
 * definition, an indented line of code). */
static size_t
S_md_line(S_out *o, size_t i, size_t e)
{
	const char *s = o->s;
	size_t len = o->len, k, n = e < len ? S_eol(s, len, e + 1) : e;

	if (S_md_fence(s, i, e, 1)) {
		for (k = e; k < len && !S_md_fence(s, k + 1, S_eol(s, len, k + 1), 0); k = S_eol(s, len, k + 1))
			;
		k = k < len ? S_eol(s, len, k + 1) : len;
		S_tok(o, "code", i, k);
		return k;
	}
	if (s[i] == '#' || (e > i && n > e + 2 && S_run_of(s, e + 1, n, "=-") == n - e - 1)) {
		S_tok(o, "section", i, s[i] == '#' ? e : n);
		return s[i] == '#' ? e : n;
	}
	if (s[i] == '>' && i + 1 < e && (s[i + 1] == ' ' || s[i + 1] == '\t')) {
		S_tok(o, "quote", i, e);
		return e;
	}
	if (s[i] == '[' && (k = S_upto(s, e, i + 2, "]:", 2, 0)) < e) {
		S_tok(o, "symbol", i + 1, k);
		for (n = k + 2; n < e && (s[n] == ' ' || s[n] == '\t'); n++)
			;
		S_tok(o, "link", n, e);
		return e;
	}
	for (k = i; k < e && (s[k] == ' ' || s[k] == '\t'); k++)
		;
	/* a bullet: * + - or 1. then blanks */
	n = k + (k < e && (s[k] == '*' || s[k] == '+' || s[k] == '-'));
	if (n == k && (n += S_run_of(s, k, e, "0123456789")) > k)
		n = n < e && s[n] == '.' ? n + 1 : k;
	if (n > k && n < e && (s[n] == ' ' || s[n] == '\t')) {
		while (n < e && (s[n] == ' ' || s[n] == '\t'))
			n++;
		S_tok(o, "bullet", i, n);
		return n;
	}
	if (e > i && (s[i] == '\t' || (e - i >= 4 && memcmp(s + i, "    ", 4) == 0))) {
		S_tok(o, "code", i, e);
		return e;
	}
	return i;
}

void
bb_hl_md(const char *s, size_t len, bb_buf *b)
{
	S_out o = { s, len, 0, b };
	size_t i = 0;

	while (i < len) {
		size_t e = S_eol(s, len, i), k = S_md_line(&o, i, e);
		if (k > e) {
			i = k + (k < len);
			continue;
		}
		/* a rule (---, ***) is not emphasis */
		if (S_run_of(s, i, e, "-*") >= 3 && S_run_of(s, i, e, "-* \t\r") == e - i)
			k = e;
		while (k < e) {
			size_t j = S_md_inline(&o, k, e);
			k = j > k ? j : k + 1;
		}
		i = e + 1;
	}
	S_flush(&o);
}

/* ---- Makefiles ---- */

/* 1 when c may be in a Makefile's or D's word (\w). */
static int
S_wordc(int c)
{
	return S_alpha(c) || S_digit(c) || c == '_';
}

/* The end of a variable at s[i] ('$'): $(NAME), ${NAME}, $(fn args),
 * $(A:.c=.o), $@ $< ... (on one line); i for $$ and a lone $. */
static size_t
S_make_var_end(const char *s, size_t len, size_t i)
{
	size_t k;
	int depth = 1;

	if (i + 1 >= len)
		return i;
	if (s[i + 1] && strchr("@%<?^+*", s[i + 1]))
		return i + 2;
	if (s[i + 1] != '(' && s[i + 1] != '{')
		return i;
	for (k = i + 2; k < len && s[k] != '\n'; k++) {
		if (s[k] == s[i + 1])
			depth++;
		else if (s[k] == (s[i + 1] == '(' ? ')' : '}') && --depth == 0)
			return k + 1;
	}
	return i;
}

/* The variable s[i..e) (S_make_var_end's), written: $(fn args) with fn,
 * one of builtins, as such. */
static void
S_make_var(S_out *o, const char *builtins, size_t i, size_t e)
{
	const char *s = o->s;
	size_t n;

	for (n = i + 2; n < e && (S_wordc((unsigned char)s[n]) || s[n] == '-'); n++)
		;
	if (s[i + 1] == '(' && n < e && (s[n] == ' ' || s[n] == '\t') && bb_hl_in(builtins, s + i + 2, n - i - 2)) {
		S_tok(o, "variable", i, i + 2);
		S_tok(o, "built_in", i + 2, n);
		S_tok(o, "variable", n, e);
	} else {
		S_tok(o, "variable", i, e);
	}
}

/* A target's line from s[i] to e: hljs-section, its variables and a
 * comment apart. */
static void
S_make_target(S_out *o, const char *builtins, size_t i, size_t e)
{
	const char *s = o->s;
	size_t k = i, f = i, j;

	while (k < e && s[k] != '#') {
		if (s[k] == '$' && (j = S_make_var_end(s, e, k)) > k) {
			S_tok(o, "section", f, k);
			S_make_var(o, builtins, k, j);
			k = f = j;
			continue;
		}
		k++;
	}
	S_tok(o, "section", f, k);
	S_tok(o, "comment", k, e);
}

/* 1 when the line at s[i] (its end e) is a target's: not blank at its
 * start, a ':' in its first word, not an assignment (NAME = or NAME :=). */
static int
S_make_is_target(const char *s, size_t i, size_t e)
{
	size_t k = i, w;

	if (k >= e || s[k] == ' ' || s[k] == '\t' || s[k] == '$' || s[k] == '#')
		return 0;
	while (k < e && S_wordc((unsigned char)s[k]))
		k++;
	for (w = k; w < e && (s[w] == ' ' || s[w] == '\t'); w++)
		;
	if (w < e && (s[w] == '=' || (w + 1 < e && strchr(":+?", s[w]) && s[w + 1] == '=')))
		return 0;
	while (k < e && s[k] != ' ' && s[k] != '\t' && s[k] != ':')
		k++;
	return k < e && s[k] == ':';
}

/* The tokens of a line s[i..e) that is not a target's. */
static void
S_make_line(S_out *o, const char *keywords, const char *builtins, size_t i, size_t e)
{
	const char *s = o->s;
	size_t k = i, j;

	while (k < e) {
		unsigned char c = (unsigned char)s[k];
		if (c == '#') {
			S_tok(o, "comment", k, e);
			return;
		}
		if (c == '$' && (j = S_make_var_end(s, e, k)) > k) {
			S_make_var(o, builtins, k, j);
		} else if (c == '"') {
			j = S_upto(s, e, k + 1, "\"", 1, 1);
			S_tok(o, "string", k, j);
		} else if ((S_wordc(c) || c == '-') && (k == i || !(S_wordc((unsigned char)s[k - 1]) || s[k - 1] == '-'))) {
			for (j = k; j < e && (S_wordc((unsigned char)s[j]) || s[j] == '-'); j++)
				;
			if (bb_hl_in(keywords, s + k, j - k))
				S_tok(o, "keyword", k, j);
		} else {
			j = k + 1;
		}
		k = j;
	}
}

void
bb_hl_make(const char *keywords, const char *builtins, const char *s, size_t len, bb_buf *b)
{
	S_out o = { s, len, 0, b };
	size_t i = 0;

	while (i < len) {
		size_t e = S_eol(s, len, i);
		if (e - i >= 7 && memcmp(s + i, ".PHONY:", 7) == 0)
			S_tok(&o, "meta", i, e);
		else if (S_make_is_target(s, i, e))
			S_make_target(&o, builtins, i, e);
		else
			S_make_line(&o, keywords, builtins, i, e);
		i = e + 1;
	}
	S_flush(&o);
}

/* ---- diffs ---- */

void
bb_hl_diff(const char *s, size_t len, bb_buf *b)
{
	S_out o = { s, len, 0, b };
	size_t i = 0;

	while (i < len) {
		size_t e = S_eol(s, len, i), k;
		char c = s[i];
		if ((e - i >= 3 && (memcmp(s + i, "---", 3) == 0 || memcmp(s + i, "+++", 3) == 0
			|| memcmp(s + i, "***", 3) == 0)) || (e - i >= 7 && memcmp(s + i, "Index: ", 7) == 0)
			|| (e - i >= 3 && memcmp(s + i, "===", 3) == 0))
			S_tok(&o, "comment", i, e);
		else if (e - i >= 4 && memcmp(s + i, "@@", 2) == 0 && (k = S_upto(s, e, i + 2, "@@", 2, 1)) < e + 1
			&& memcmp(s + k - 2, "@@", 2) == 0 && k > i + 2)
			S_tok(&o, "meta", i, k);
		else if (c == '+' || c == '!')
			S_tok(&o, "addition", i, e);
		else if (c == '-')
			S_tok(&o, "deletion", i, e);
		i = e + 1;
	}
	S_flush(&o);
}

/* ---- Pascal and D ---- */

size_t
bb_hl_pascal(const char *s, size_t to, size_t i, const char **cls)
{
	char c = s[i];
	size_t j;

	*cls = "comment";
	if (c == '{' || (c == '(' && i + 1 < to && s[i + 1] == '*')) {
		size_t o = c == '{' ? 1 : 2;
		if (i + o < to && s[i + o] == '$')
			*cls = "meta";
		return c == '{' ? S_upto(s, to, i + 1, "}", 1, 1) : S_upto(s, to, i + 2, "*)", 2, 1);
	}
	if (c == '/' && i + 1 < to && s[i + 1] == '/')
		return S_eol(s, to, i);
	*cls = "string";
	if (c == '\'') {
		/* '' inside is a quote */
		for (j = i + 1; j < to && s[j] != '\n'; j++)
			if (s[j] == '\'' && !(j + 1 < to && s[j + 1] == '\'' && ++j))
				return j + 1;
		return j;
	}
	for (j = i; j + 1 < to && s[j] == '#' && S_digit((unsigned char)s[j + 1]); )
		for (j++; j < to && S_digit((unsigned char)s[j]); j++)
			;
	if (j > i)
		return j;
	*cls = "comment";
	return 0;
}

/* The end of D's nested comment /+ +/ at s[i]. */
static size_t
S_d_nested(const char *s, size_t to, size_t i)
{
	size_t j = i + 2;
	int depth = 1;

	while (j < to && depth > 0) {
		if (j + 1 < to && s[j] == '/' && s[j + 1] == '+') {
			depth++;
			j += 2;
		} else if (j + 1 < to && s[j] == '+' && s[j + 1] == '/') {
			depth--;
			j += 2;
		} else {
			j++;
		}
	}
	return j;
}

size_t
bb_hl_d(const char *s, size_t from, size_t to, size_t i, int line_start, const char **cls)
{
	char c = s[i];
	size_t j;
	int prefix = (c == 'r' || c == 'x' || c == 'q') && i + 1 < to && s[i + 1] == '"'
		&& !(i > from && (S_wordc((unsigned char)s[i - 1]) || (unsigned char)s[i - 1] >= 0x80));

	*cls = "comment";
	if (c == '/' && i + 1 < to && s[i + 1] == '+')
		return S_d_nested(s, to, i);
	*cls = "meta";
	if (c == '#' && ((line_start && i + 1 < to && s[i + 1] == '!') || (to - i >= 5 && memcmp(s + i, "#line", 5) == 0)))
		return S_eol(s, to, i);
	*cls = "keyword";
	if (c == '@' && i + 1 < to && (S_alpha((unsigned char)s[i + 1]) || s[i + 1] == '_')) {
		for (j = i + 1; j < to && S_wordc((unsigned char)s[j]); j++)
			;
		return j;
	}
	*cls = "string";
	if (c == '"' || prefix) {
		if (c == 'q' && i + 2 < to && s[i + 2] == '{') {
			j = S_upto(s, to, i + 3, "}\"", 2, 1);
		} else {
			for (j = i + 1 + prefix; j < to && s[j] != '"'; j++)
				j += c == '"' && s[j] == '\\' && j + 1 < to;
			j += j < to;
		}
		return j + (j < to && (s[j] == 'c' || s[j] == 'w' || s[j] == 'd')
			&& !(j + 1 < to && S_wordc((unsigned char)s[j + 1])));
	}
	*cls = "comment";
	return 0;
}
