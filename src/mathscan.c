/* mathscan.c: finds TeX math spans in Markdown source (kramdown, goldmark passthrough, CommonMark + MathJax rules) and in HTML bodies, never inside code. */
#include "mathscan.h"
#include "mathscan_impl.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *S_envs[] = {
	"equation", "equation*", "align", "align*", "gather", "gather*",
	"multline", "multline*", "eqnarray", "eqnarray*", "aligned", "alignat", "alignat*",
	"flalign", "flalign*",
};

/* ---- output ---- */

/* 1 when c is escaped by a backslash in the dialect's Markdown. */
static int
S_escapable(int dialect, int c)
{
	if (dialect == BB_MATHSCAN_KRAMDOWN)
		return c && strchr("\\.*_+-`()[]{}#!:|\"'$=<>", c) != NULL;
	return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

/* Appends a span [off, off+len) whose TeX is s[a..b). unescape: undo the
 * dialect's Markdown escapes; quoted: drop block-quote markers that start
 * the TeX's lines; ents: decode HTML entities. */
static void
S_add(S_scan *sc, size_t off, size_t len, size_t a, size_t b, int display,
	int unescape, int quoted, int ents)
{
	bb_math_spans *o = sc->out;
	bb_math_span *sp;
	bb_buf t = BB_BUF_INIT;
	const char *s = sc->s;
	size_t i, line_start;
	S_line *ln;

	if (o->n >= BB_MATHSCAN_MAX_SPANS)
		return;
	bb_buf_puts(&t, "");
	for (i = a; i < b; i++) {
		char c = s[i];
		if (c == '\n' && quoted) {
			size_t j = i + 1;
			bb_buf_putc(&t, '\n');
			while (j < b && s[j] == ' ' && j - i <= 4)
				j++;
			while (j < b && s[j] == '>') {
				j++;
				if (j < b && s[j] == ' ')
					j++;
			}
			i = j - 1;
		} else if (c == '\\' && unescape && i + 1 < b && S_escapable(sc->dialect, s[i + 1])) {
			bb_buf_putc(&t, s[++i]);
		} else if (c == '&' && ents) {
			static const struct { const char *e; const char *c; } tab[] = {
				{ "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" }, { "&quot;", "\"" },
				{ "&#39;", "'" }, { "&apos;", "'" }, { "&nbsp;", " " }, { "&#160;", " " },
			};
			size_t k, el = 0;
			for (k = 0; k < sizeof tab / sizeof tab[0]; k++) {
				el = strlen(tab[k].e);
				if (i + el <= b && memcmp(s + i, tab[k].e, el) == 0)
					break;
			}
			if (k < sizeof tab / sizeof tab[0]) {
				bb_buf_puts(&t, tab[k].c);
				i += el - 1;
			} else if (i + 3 < b && s[i + 1] == '#') {
				unsigned long cp = 0;
				size_t j = i + 2;
				int hex = s[j] == 'x' || s[j] == 'X';
				if (hex)
					j++;
				while (j < b && j - i < 10 && ((s[j] >= '0' && s[j] <= '9')
					|| (hex && ((s[j] | 32) >= 'a' && (s[j] | 32) <= 'f')))) {
					int d = s[j] <= '9' ? s[j] - '0' : (s[j] | 32) - 'a' + 10;
					cp = cp * (hex ? 16 : 10) + (unsigned long)d;
					j++;
				}
				if (j < b && s[j] == ';' && cp > 0 && cp < 0x110000 && (cp < 0xd800 || cp > 0xdfff)) {
					bb_buf_put_utf8(&t, (unsigned)cp);
					i = j;
				} else {
					bb_buf_putc(&t, c);
				}
			} else {
				bb_buf_putc(&t, c);
			}
		} else {
			bb_buf_putc(&t, c);
		}
	}
	/* trimmed after the markers went: "> $$\n> a\n> $$" holds "a" */
	{
		size_t h = 0;
		while (h < t.len && (bb_mathscan_space(t.data[h]) || t.data[h] == '\n'))
			h++;
		while (t.len > h && (bb_mathscan_space(t.data[t.len - 1]) || t.data[t.len - 1] == '\n'))
			t.len--;
		memmove(t.data, t.data + h, t.len - h);
		t.len -= h;
		t.data[t.len] = '\0';
	}
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		o->v = bb_xrealloc(o->v, o->cap * sizeof *o->v);
	}
	sp = &o->v[o->n++];
	sp->off = off;
	sp->len = len;
	sp->tex_len = t.len;
	sp->tex = bb_buf_detach(&t, NULL);
	sp->display = display;
	/* spans come in order: the line cursor only moves forward */
	while (sc->cur + 1 < sc->nlines && sc->lines[sc->cur + 1].start <= off)
		sc->cur++;
	ln = &sc->lines[sc->cur];
	line_start = ln->start;
	sp->line = sc->first_line + (unsigned)sc->cur;
	sp->col = (unsigned)(off - line_start + 1);
	sc->added++;
}

/* ---- closers ---- */

/* Returns the offset of the first closer of kind m for an opener whose
 * content starts at from, before limit, or S_NONE. ok(sc, j) says whether
 * a closer starts at j; esc: a backslash escapes the next byte. */
static size_t
S_closer(S_scan *sc, int m, size_t from, size_t limit, int esc,
	int (*ok)(S_scan *, size_t, const void *), const void *arg)
{
	S_memo *mm = &sc->memo[m];
	size_t j;

	if (mm->valid && mm->limit == limit && from >= mm->from
		&& (mm->found == S_NONE || from <= mm->found))
		return mm->found;
	for (j = from; j < limit; j++) {
		if (esc && sc->s[j] == '\\') {
			j++;
			continue;
		}
		if (ok(sc, j, arg))
			break;
	}
	mm->valid = 1;
	mm->from = from;
	mm->limit = limit;
	mm->found = j < limit ? j : S_NONE;
	return mm->found;
}

/* A closer that is the literal arg. */
static int
S_ok_lit(S_scan *sc, size_t j, const void *arg)
{
	const char *lit = arg;
	size_t n = strlen(lit);

	return j + n <= sc->len && memcmp(sc->s + j, lit, n) == 0;
}

/* A single $ that closes inline math: not next to another $, not after a
 * space (unless loose), not before a digit. */
static int
S_ok_dollar(S_scan *sc, size_t j, const void *arg)
{
	const char *s = sc->s;

	if (s[j] != '$')
		return 0;
	/* MathJax closes at the next $, even the first of "$$" ("$a$$b$" is
	 * a and b); the strict rule does not ("$5, and $$y$$" holds no $ math) */
	if (!(sc->flags & BB_MATHSCAN_DOLLAR_LOOSE)
		&& ((j + 1 < sc->len && s[j + 1] == '$') || (j > 0 && s[j - 1] == '$')))
		return 0;
	if (!(sc->flags & BB_MATHSCAN_DOLLAR_LOOSE) && j > 0 && (bb_mathscan_space(s[j - 1]) || s[j - 1] == '\n'))
		return 0;
	if (j + 1 < sc->len && s[j + 1] >= '0' && s[j + 1] <= '9')
		return 0;
	return 1;
}

/* A run of exactly n backticks. */
static int
S_ok_ticks(S_scan *sc, size_t j, const void *arg)
{
	size_t n = *(const size_t *)arg, k;

	if (sc->s[j] != '`' || (j > 0 && sc->s[j - 1] == '`'))
		return 0;
	for (k = 0; j + k < sc->len && sc->s[j + k] == '`'; k++)
		;
	return k == n;
}

/* ---- Markdown ---- */

/* Returns the line index holding offset off, moving forward from *li. */
static size_t
S_line_at(S_scan *sc, size_t li, size_t off)
{
	while (li + 1 < sc->nlines && sc->lines[li + 1].start <= off)
		li++;
	return li;
}

/* kramdown's display rule for $$ at o (line li) closing at c (the closing
 * $$): the opener starts a block and the closer ends one. */
static int
S_kramdown_block(S_scan *sc, size_t li, size_t o, size_t c)
{
	const S_line *ln = &sc->lines[li];
	size_t k, cl;
	const char *s = sc->s;

	if (!ln->boundary || (o != ln->content && o != ln->item))
		return 0;
	for (k = c + 2; k < sc->len && bb_mathscan_space(s[k]); k++)
		;
	if (k < sc->len && s[k] != '\n')
		return 0;
	cl = S_line_at(sc, li, c);
	if (cl + 1 >= sc->nlines)
		return 1;
	if (sc->lines[cl + 1].kind == L_BLANK)
		return 1;
	k = sc->lines[cl + 1].content;
	return k + 1 < sc->len && s[k] == '{' && s[k + 1] == ':';
}

/* Math in a template tag at s[i] (BB_MATHSCAN_TAGS): when one opens
 * there and closes before the block ends, adds the span, sets *end past
 * the closing tag and returns 1. */
static int
S_tag_math(S_scan *sc, size_t li, size_t i, size_t pe, size_t *end)
{
	static const char *names[] = { "katex", "math", "latex" };
	const char *s = sc->s;
	const S_line *ln = &sc->lines[li];
	size_t len = sc->len, p, n, k, te, a, b, c, lim;
	char open2, close[32];
	int hugo, display;

	if (i + 3 >= len || (s[i + 1] != '%' && s[i + 1] != '{'))
		return 0;
	hugo = s[i + 1] == '{';
	if (hugo && s[i + 2] != '<' && s[i + 2] != '%')
		return 0;
	open2 = hugo ? s[i + 2] : '%';
	p = i + (hugo ? 3 : 2);
	while (p < len && (s[p] == ' ' || s[p] == '-'))
		p++;
	for (k = 0; k < sizeof names / sizeof names[0]; k++) {
		n = strlen(names[k]);
		if (p + n < len && memcmp(s + p, names[k], n) == 0 && (s[p + n] == ' ' || s[p + n] == '%'
			|| s[p + n] == '>' || s[p + n] == '-'))
			break;
	}
	if (k == sizeof names / sizeof names[0])
		return 0;
	/* the opening tag's end */
	for (te = p + n; te + 1 < len && s[te] != '\n'; te++)
		if (s[te + 1] == '}' && (s[te] == '%' || s[te] == '>') && (!hugo || (te + 2 < len && s[te + 2] == '}')))
			break;
	if (te + 1 >= len || s[te] == '\n')
		return 0;
	display = bb_mathscan_casefind(s, p + n, te, "display") != S_NONE;
	a = te + (hugo ? 3 : 2);
	if (hugo)
		snprintf(close, sizeof close, "{{%c /%s", open2, names[k]);
	else
		snprintf(close, sizeof close, "end%s", names[k]);
	/* the tag alone on its line: a block */
	if (!display && (i == ln->content || i == ln->item)) {
		size_t q = a;
		while (q < len && bb_mathscan_space(s[q]))
			q++;
		display = q >= len || s[q] == '\n';
	}
	lim = display ? sc->block_end[li] : pe;
	if (lim > len)
		lim = len;
	c = bb_mathscan_casefind(s, a, lim, close);
	if (c == S_NONE || c - a > BB_MATHSCAN_TEX_MAX)
		return 0;
	b = c;
	if (!hugo) {
		/* back to the "{%" of "{% endkatex %}" */
		while (b > a && s[b - 1] != '{')
			b--;
		if (b > a)
			b--;
	}
	{
		const char *gt = memchr(s + c, '}', len - c);
		size_t e = gt ? (size_t)(gt - s) + 1 : len;
		if (hugo && e < len && s[e] == '}')
			e++;
		S_add(sc, i, e - i, a, b, display, 0, ln->quoted, 0);
		*end = e;
	}
	return 1;
}

/* An escape at s[i]: \( \[ math (\\( in escaped dialects), kramdown's \$$, or
 * \begin{env}; else the escaped byte is skipped.
 * Returns where the scan goes on; *li follows it. */
static size_t
S_md_backslash(S_scan *sc, size_t *li, const S_line *ln, size_t i, size_t pe, int raw, int esc_tex)
{
	const char *s = sc->s;
	size_t len = sc->len, c = 0, o = i, d = i + 1;
	int dialect = sc->dialect, two = 0;

	/* in escaped dialects \\( is what MathJax saw as \( */
	if (!raw && d + 1 < len && s[d] == '\\' && (s[d + 1] == '(' || s[d + 1] == '[')) {
		d++;
		two = 1;
	}
	if (d < len && (s[d] == '(' || s[d] == '[') && (raw || two)
		&& (sc->flags & (s[d] == '(' ? BB_MATHSCAN_PAREN : BB_MATHSCAN_BRACKET))) {
		const char *lit = s[d] == '(' ? (two ? "\\\\)" : "\\)") : (two ? "\\\\]" : "\\]");
		int m = s[d] == '(' ? M_PAREN : M_BRACKET;
		c = S_closer(sc, m, d + 1, pe, 0, S_ok_lit, lit);
		if (c != S_NONE && c - d <= BB_MATHSCAN_TEX_MAX) {
			size_t end = c + strlen(lit);
			S_add(sc, o, end - o, d + 1, c, s[d] == '[', esc_tex, ln->quoted, 0);
			*li = S_line_at(sc, *li, end > 0 ? end - 1 : 0);
			return end;
		}
		return d + 1;
	}
	if (dialect == BB_MATHSCAN_KRAMDOWN && i + 2 < len && s[i + 1] == '$' && s[i + 2] == '$'
		&& (c = S_closer(sc, M_DDOLLAR, i + 3, pe, 0, S_ok_lit, "$$")) != S_NONE
		&& c - i <= BB_MATHSCAN_TEX_MAX) {
		/* kramdown: \$$...$$ alone where a math block could
		 * start is inline math (the escape only says "not a
		 * block"); elsewhere \$ is a dollar, and MathJax
		 * on the page reads the $$...$$ kramdown wrote as
		 * display math */
		size_t e = c + 2;
		int inl;
		while (e < len && (s[e] == ' ' || s[e] == '\t'))
			e++;
		inl = ln->boundary && (i == ln->content || i == ln->item)
		      && (e >= len || s[e] == '\n' || s[e] == '\r');
		S_add(sc, i, c + 2 - i, i + 3, c, !inl, !inl && esc_tex, ln->quoted, 0);
		*li = S_line_at(sc, *li, c);
		return c + 2;
	}
	if ((sc->flags & BB_MATHSCAN_ENV) && i + 7 < len && memcmp(s + i, "\\begin{", 7) == 0) {
		size_t e;
		for (e = 0; e < sizeof S_envs / sizeof S_envs[0]; e++) {
			size_t nl = strlen(S_envs[e]);
			if (i + 7 + nl < len && memcmp(s + i + 7, S_envs[e], nl) == 0 && s[i + 7 + nl] == '}')
				break;
		}
		if (e < sizeof S_envs / sizeof S_envs[0]) {
			char endlit[32];
			snprintf(endlit, sizeof endlit, "\\end{%s}", S_envs[e]);
			c = S_closer(sc, M_ENV + (int)e, i + 7, pe, 0, S_ok_lit, endlit);
			if (c != S_NONE && c - i <= BB_MATHSCAN_TEX_MAX) {
				size_t end = c + strlen(endlit);
				S_add(sc, i, end - i, i, end, 1, esc_tex, ln->quoted, 0);
				*li = S_line_at(sc, *li, end - 1);
				return end;
			}
		}
	}
	return i + 2;   /* an escape: the next byte is literal */
}

/* A code span at s[i]: skipped whole.
 * Returns where the scan goes on; *li follows it. */
static size_t
S_md_ticks(S_scan *sc, size_t *li, const S_line *ln, size_t i, size_t pe, int raw, int esc_tex)
{
	const char *s = sc->s;
	size_t len = sc->len, c = 0, n = 0;

	while (i + n < len && s[i + n] == '`')
		n++;
	if (n <= 32) {
		c = S_closer(sc, M_TICK + (int)n, i + n, pe, 0, S_ok_ticks, &n);
		if (c != S_NONE) {
			*li = S_line_at(sc, *li, c);
			return c + n;
		}
	}
	return i + n;
}

/* A Liquid math tag at s[i].
 * Returns where the scan goes on; *li follows it. */
static size_t
S_md_brace(S_scan *sc, size_t *li, const S_line *ln, size_t i, size_t pe, int raw, int esc_tex)
{
	size_t c = 0;

	if ((sc->flags & BB_MATHSCAN_TAGS) && S_tag_math(sc, *li, i, pe, &c)) {
		*li = S_line_at(sc, *li, c > 0 ? c - 1 : 0);
		return c;
	}
	return i + 1;
}

/* A tag at s[i]: inline <code>...</code> skipped whole as code, other tags
 * skipped.
 * Returns where the scan goes on; *li follows it. */
static size_t
S_md_tag(S_scan *sc, size_t *li, const S_line *ln, size_t i, size_t pe, int raw, int esc_tex)
{
	const char *s = sc->s;
	size_t len = sc->len, c = 0;

	/* inline <code>...</code> is code; other tags are skipped whole */
	if (bb_mathscan_casestarts(s + i, len - i, "<code") && i + 5 < len && (s[i + 5] == '>' || bb_mathscan_space(s[i + 5]))) {
		c = bb_mathscan_casefind(s, i + 5, pe, "</code>");
		if (c != S_NONE) {
			*li = S_line_at(sc, *li, c);
			return c + 7;
		}
	}
	if (i + 1 < len && (((s[i + 1] | 32) >= 'a' && (s[i + 1] | 32) <= 'z') || s[i + 1] == '/')) {
		const char *gt = memchr(s + i, '>', ln->end - i);
		if (gt) {
			return (size_t)(gt - s) + 1;
		}
	}
	return i + 1;
}

/* $$...$$ (a kramdown block or inline) or $...$ at s[i].
 * Returns where the scan goes on; *li follows it. */
static size_t
S_md_dollar(S_scan *sc, size_t *li, const S_line *ln, size_t i, size_t pe, int raw, int esc_tex)
{
	const char *s = sc->s;
	size_t len = sc->len, c = 0;
	int dialect = sc->dialect;

	if (i + 1 < len && s[i + 1] == '$') {
		if (sc->flags & BB_MATHSCAN_DDOLLAR) {
			int kd = dialect == BB_MATHSCAN_KRAMDOWN;
			c = S_NONE;
			/* a kramdown block runs to the next $$ whatever lies
			 * between (blank lines, indented lines: its rule is
			 * a regular expression on the source) */
			if (kd && ln->boundary && (i == ln->content || i == ln->item)) {
				size_t lim = len - i > BB_MATHSCAN_TEX_MAX + 2 ? i + BB_MATHSCAN_TEX_MAX + 2 : len;
				c = S_closer(sc, M_DDOLLAR, i + 2, lim, 0, S_ok_lit, "$$");
				if (c != S_NONE && c > pe && !S_kramdown_block(sc, *li, i, c))
					c = S_NONE;
			}
			/* else inline, inside the paragraph */
			if (c == S_NONE)
				c = S_closer(sc, M_DDOLLAR, i + 2, pe, !kd, S_ok_lit, "$$");
			if (c != S_NONE && c - i <= BB_MATHSCAN_TEX_MAX) {
				int disp = kd ? S_kramdown_block(sc, *li, i, c) : 1;
				S_add(sc, i, c + 2 - i, i + 2, c, disp, esc_tex && !kd, ln->quoted, 0);
				*li = S_line_at(sc, *li, c);
				return c + 2;
			}
		}
		return i + 2;
	}
	if ((sc->flags & BB_MATHSCAN_DOLLAR) && i + 1 < len && s[i + 1] != '\n'
		&& ((sc->flags & BB_MATHSCAN_DOLLAR_LOOSE) || !(bb_mathscan_space(s[i + 1]) || (i > 0 && s[i - 1] == '$')))) {
		c = S_closer(sc, M_DOLLAR, i + 1, pe, 1, S_ok_dollar, NULL);
		if (c != S_NONE && c - i <= BB_MATHSCAN_TEX_MAX) {
			size_t k = i + 1;
			while (k < c && (bb_mathscan_space(s[k]) || s[k] == '\n'))
				k++;
			if (k < c) {
				S_add(sc, i, c + 1 - i, i + 1, c, 0, esc_tex, ln->quoted, 0);
				*li = S_line_at(sc, *li, c);
				return c + 1;
			}
		}
	}
	return i + 1;
}

/* Starts a scan of len bytes of s for bb_mathscan_markdown or _html. */
static void
S_scan_init(S_scan *sc, const char *s, size_t len, int dialect, unsigned flags, unsigned first_line,
	bb_math_spans *out)
{
	memset(sc, 0, sizeof *sc);
	sc->s = s;
	sc->len = len;
	sc->dialect = dialect;
	sc->flags = flags;
	sc->first_line = first_line;
	sc->out = out;
}

/* The bytes bb_mathscan_markdown's walk stops at (its switch's cases). */
static const unsigned char S_md_special[256] = {
	['\\'] = 1, ['`'] = 1, ['{'] = 1, ['<'] = 1, ['$'] = 1,
};

size_t
bb_mathscan_markdown(const char *s, size_t len, int dialect, unsigned flags,
	unsigned first_line, bb_math_spans *out)
{
	S_scan sc;
	size_t li, i;
	int raw = dialect == BB_MATHSCAN_GOLDMARK;
	int esc_tex = !raw;   /* TeX seen by MathJax after Markdown's escapes */

	S_scan_init(&sc, s, len, dialect, flags, first_line, out);
	if (dialect == BB_MATHSCAN_KRAMDOWN)
		sc.flags |= BB_MATHSCAN_DDOLLAR;
	bb_mathscan_lines(&sc);
	li = 0;
	i = 0;
	while (li < sc.nlines) {
		S_line *ln = &sc.lines[li];
		size_t pe;
		if (ln->kind != L_TEXT || i > ln->end) {
			li++;
			if (li < sc.nlines && i < sc.lines[li].start)
				i = sc.lines[li].start;
			continue;
		}
		if (i < ln->start)
			i = ln->start;
		if (i >= ln->end) {
			i = ln->end + 1;
			continue;
		}
		pe = sc.para_end[li];
		switch (s[i]) {
		case '\\': i = S_md_backslash(&sc, &li, ln, i, pe, raw, esc_tex); break;
		case '`': i = S_md_ticks(&sc, &li, ln, i, pe, raw, esc_tex); break;
		case '{': i = S_md_brace(&sc, &li, ln, i, pe, raw, esc_tex); break;
		case '<': i = S_md_tag(&sc, &li, ln, i, pe, raw, esc_tex); break;
		case '$': i = S_md_dollar(&sc, &li, ln, i, pe, raw, esc_tex); break;
		default:
			/* to the line's next byte the cases above take, in one
			 * loop: the walk above costs tens of instructions a byte */
			for (i++; i < ln->end && !S_md_special[(unsigned char)s[i]]; i++)
				;
			break;
		}
	}
	free(sc.lines);
	free(sc.para_end);
	free(sc.block_end);
	return sc.added;
}

/* A line table of the whole text, for lines and columns only. */
static void
S_line_table(S_scan *sc)
{
	const char *s = sc->s, *p;
	size_t len = sc->len;
	size_t cap = 0, a = 0;
	while (a <= len) {
		p = a < len ? memchr(s + a, '\n', len - a) : NULL;
		if (sc->nlines == cap) {
			cap = cap ? cap * 2 : 256;
			sc->lines = bb_xrealloc(sc->lines, cap * sizeof *sc->lines);
		}
		memset(&sc->lines[sc->nlines], 0, sizeof *sc->lines);
		sc->lines[sc->nlines].start = a;
		sc->lines[sc->nlines].end = p ? (size_t)(p - s) : len;
		sc->nlines++;
		if (!p)
			break;
		a = (size_t)(p - s) + 1;
	}
}

/* The tag at s[i]: a comment, and pre, code, style, textarea and script
 * with their content, skipped whole, except MathJax's
 * <script type="math/tex">, which is a formula. Returns where the scan goes
 * on. */
static size_t
S_html_tag(S_scan *sc, size_t i)
{
	static const char *skip[] = { "pre", "code", "style", "textarea", "script" };
	const char *s = sc->s, *p;
	size_t len = sc->len, k, nl;

	if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
		k = bb_mathscan_casefind(s, i + 4, len, "-->");
		return k == S_NONE ? len : k + 3;
	}
	for (k = 0; k < sizeof skip / sizeof skip[0]; k++) {
		nl = strlen(skip[k]);
		if (bb_mathscan_casestarts(s + i + 1, len - i - 1, skip[k]) && i + 1 + nl < len
			&& (s[i + 1 + nl] == '>' || bb_mathscan_space(s[i + 1 + nl]) || s[i + 1 + nl] == '\n'))
			break;
	}
	p = memchr(s + i, '>', len - i);
	if (!p)
		return len;
	if (k < sizeof skip / sizeof skip[0]) {
		char close[16];
		size_t gt = (size_t)(p - s), c;
		snprintf(close, sizeof close, "</%s", skip[k]);
		c = bb_mathscan_casefind(s, gt + 1, len, close);
		if (k == 4) {
			/* MathJax's <script type="math/tex[; mode=display]"> */
			size_t t = bb_mathscan_casefind(s, i, gt, "math/tex");
			if (t != S_NONE && c != S_NONE) {
				size_t a = gt + 1, b = c, end;
				const char *ce = memchr(s + c, '>', len - c);
				end = ce ? (size_t)(ce - s) + 1 : len;
				if (b - a >= 9 && memcmp(s + a, "<![CDATA[", 9) == 0) {
					a += 9;
					k = bb_mathscan_casefind(s, a, b, "]]>");
					if (k != S_NONE)
						b = k;
				}
				if (b - a <= BB_MATHSCAN_TEX_MAX)
					S_add(sc, i, end - i, a, b, bb_mathscan_casefind(s, t, gt, "mode=display") != S_NONE,
						0, 0, 0);
				return end;
			}
		}
		if (c == S_NONE)
			return len;
		p = memchr(s + c, '>', len - c);
		return p ? (size_t)(p - s) + 1 : len;
	}
	return (size_t)(p - s) + 1;
}

/* ---- HTML ---- */

size_t
bb_mathscan_html(const char *s, size_t len, unsigned flags, unsigned first_line,
	bb_math_spans *out)
{
	S_scan sc;
	size_t i = 0;
	const char *p;

	S_scan_init(&sc, s, len, BB_MATHSCAN_GOLDMARK, flags, first_line, out);
	/* a line table for line/column, nothing else */
	S_line_table(&sc);
	while (i < len) {
		size_t text_end;
		if (s[i] == '<') {
			i = S_html_tag(&sc, i);
			continue;
		}
		/* text up to the next tag */
		p = memchr(s + i, '<', len - i);
		text_end = p ? (size_t)(p - s) : len;
		while (i < text_end) {
			size_t c = S_NONE, o = i, a = 0, b = 0, end = 0;
			int disp = 0;
			if (s[i] == '\\' && i + 1 < text_end && (s[i + 1] == '(' || s[i + 1] == '[')
				&& (flags & (s[i + 1] == '(' ? BB_MATHSCAN_PAREN : BB_MATHSCAN_BRACKET))) {
				const char *lit = s[i + 1] == '(' ? "\\)" : "\\]";
				c = S_closer(&sc, s[i + 1] == '(' ? M_PAREN : M_BRACKET, i + 2, text_end, 0, S_ok_lit, lit);
				a = i + 2;
				b = c;
				end = c + 2;
				disp = s[i + 1] == '[';
			} else if ((flags & BB_MATHSCAN_WPLATEX) && text_end - i > 7 && memcmp(s + i, "$latex ", 7) == 0) {
				c = S_closer(&sc, M_LATEX, i + 7, text_end, 1, S_ok_lit, "$");
				a = i + 7;
				b = c;
				end = c + 1;
			} else if ((flags & BB_MATHSCAN_WPLATEX) && text_end - i > 7 && memcmp(s + i, "[latex]", 7) == 0) {
				c = S_closer(&sc, M_LATEX, i + 7, text_end, 0, S_ok_lit, "[/latex]");
				a = i + 7;
				b = c;
				end = c + 8;
			} else if (s[i] == '$' && i + 1 < text_end && s[i + 1] == '$' && (flags & BB_MATHSCAN_DDOLLAR)) {
				c = S_closer(&sc, M_DDOLLAR, i + 2, text_end, 1, S_ok_lit, "$$");
				a = i + 2;
				b = c;
				end = c + 2;
				disp = 1;
			} else if (s[i] == '$' && (flags & BB_MATHSCAN_DOLLAR) && i + 1 < text_end && s[i + 1] != '$'
				&& ((flags & BB_MATHSCAN_DOLLAR_LOOSE) || !bb_mathscan_space(s[i + 1])) && s[i + 1] != '\n') {
				c = S_closer(&sc, M_DOLLAR, i + 1, text_end, 1, S_ok_dollar, NULL);
				a = i + 1;
				b = c;
				end = c + 1;
			} else if (s[i] == '\\') {
				i += 2;
				continue;
			} else {
				i++;
				continue;
			}
			if (c != S_NONE && b - a <= BB_MATHSCAN_TEX_MAX) {
				S_add(&sc, o, end - o, a, b, disp, 0, 0, 1);
				i = end;
			} else {
				i = s[i] == '$' && i + 1 < text_end && s[i + 1] == '$' ? i + 2 : i + 1;
			}
		}
		i = text_end;
	}
	free(sc.lines);
	return sc.added;
}

void
bb_math_spans_free(bb_math_spans *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i].tex);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
