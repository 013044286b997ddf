/* formula.c: math from the blog's TeX to MathML in the book (see
 * formula.h): placeholders before cmark, MathML through KaTeX in the
 * writer. */
#define _GNU_SOURCE
#include "formula.h"
#include "js.h"
#include "mathfast.h"
#include "mathml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
bb_formula_mark(const char *text, size_t len, int dialect, int html, unsigned first_line, bb_math_spans *spans,
		size_t *out_len)
{
	size_t first = spans->n, i, at = 0, n;
	bb_buf o = BB_BUF_INIT;
	if (html)
		n = bb_mathscan_html(text, len,
				     BB_MATHSCAN_DDOLLAR | BB_MATHSCAN_PAREN | BB_MATHSCAN_BRACKET | BB_MATHSCAN_ENV |
					     BB_MATHSCAN_WPLATEX,
				     first_line, spans);
	else
		/* kramdown's sites show math with MathJax, whose $ pairing they
		 * write for; elsewhere the stricter rule keeps prices dollars */
		n = bb_mathscan_markdown(text, len, dialect,
					 BB_MATHSCAN_DDOLLAR | BB_MATHSCAN_DOLLAR | BB_MATHSCAN_PAREN |
						 BB_MATHSCAN_BRACKET | BB_MATHSCAN_ENV | BB_MATHSCAN_TAGS |
						 (dialect == BB_MATHSCAN_KRAMDOWN ? BB_MATHSCAN_DOLLAR_LOOSE : 0),
					 first_line, spans);
	if (!n)
		return NULL;
	for (i = first; i < spans->n; i++) {
		const bb_math_span *s = &spans->v[i];
		bb_buf_put(&o, text + at, s->off - at);
		bb_buf_printf(&o, "<span %s=\"%zu\"></span>", BB_FORMULA_ATTR, i);
		at = s->off + s->len;
	}
	bb_buf_put(&o, text + at, len - at);
	return bb_buf_detach(&o, out_len);
}

/* 1 when the n bytes of a $$ formula's TeX at t are one the fast path
 * does not take, nor knows KaTeX's error for (KaTeX will be asked). */
static int
S_left_to_katex(const char *t, size_t n, int display)
{
	char *m = bb_mathfast(t, n, display);

	int left;

	if (!m)
		m = bb_mathfast_error(t, n, display);
	left = m == NULL;
	free(m);
	return left;
}

/* S_sniff's 2 checked with the math scanner as the render will run it
 * (bb_formula_mark; dialect BB_FORMULA_HTML for an HTML post, or
 * BB_FORMULA_ANY when not known: kramdown's and goldmark's readings),
 * which skips code and tells a price from a formula: 2 when a formula it
 * finds is left to KaTeX, else 1 (a wrong guess here only starts Node
 * early or late). */
static int
S_scan(const char *text, size_t len, int dialect)
{
	static const unsigned md = BB_MATHSCAN_DDOLLAR | BB_MATHSCAN_DOLLAR | BB_MATHSCAN_PAREN
		| BB_MATHSCAN_BRACKET | BB_MATHSCAN_ENV | BB_MATHSCAN_TAGS;
	bb_math_spans sp = BB_MATH_SPANS_INIT;
	size_t i;
	int m = 1;

	if (dialect == BB_FORMULA_HTML)
		bb_mathscan_html(text, len, BB_MATHSCAN_DDOLLAR | BB_MATHSCAN_PAREN | BB_MATHSCAN_BRACKET
			| BB_MATHSCAN_ENV | BB_MATHSCAN_WPLATEX, 1, &sp);
	if (dialect == BB_MATHSCAN_KRAMDOWN || dialect == BB_FORMULA_ANY)
		bb_mathscan_markdown(text, len, BB_MATHSCAN_KRAMDOWN, md | BB_MATHSCAN_DOLLAR_LOOSE, 1, &sp);
	if (dialect == BB_FORMULA_ANY)
		dialect = BB_MATHSCAN_GOLDMARK;
	if (dialect == BB_MATHSCAN_GOLDMARK || dialect == BB_MATHSCAN_COMMONMARK)
		bb_mathscan_markdown(text, len, dialect, md, 1, &sp);
	for (i = 0; i < sp.n && m == 1; i++)
		if (S_left_to_katex(sp.v[i].tex, sp.v[i].tex_len, sp.v[i].display))
			m = 2;
	bb_math_spans_free(&sp);
	return m;
}

/* bb_formula_sniff's first look: a raw scan for delimiters. */
static int
S_sniff(const char *text, size_t len)
{
	const char *end = text + len, *p, *q, *open = NULL, *gap = text;
	int maybe = 0;

	/* memchr from one backslash or dollar to the next: the collect stage
	 * reads every post through here, on one thread */
	for (p = text; p + 1 < end && (p = memchr(p, '\\', (size_t)(end - p - 1))); p++)
		if (p[1] == '(' || p[1] == '[')
			return 2;
	for (p = text; p < end && (p = memchr(p, '$', (size_t)(end - p))); p++) {
		if (p + 1 < end && p[1] == '$') {
			/* $$...$$ the fast path takes needs no Node; \begin{
			 * outside them is an environment of its own */
			for (q = p + 2; q + 1 < end && !(q[0] == '$' && q[1] == '$'); q++)
				;
			if (q + 1 >= end || memmem(gap, (size_t)(p - gap), "\\begin{", 7)
				|| S_left_to_katex(p + 2, (size_t)(q - p - 2), 1))
				return 2;
			maybe = 1;
			gap = q + 2;
			p = q + 1;
			open = NULL;
			continue;
		}
		/* $x$: the first not before a space, the second not after one,
		 * on one line */
		if (open && p[-1] != ' ' && !memchr(open, '\n', (size_t)(p - open)))
			maybe = 1;
		open = p + 1 < end && p[1] != ' ' ? p + 1 : NULL;
	}
	return memmem(gap, (size_t)(end - gap), "\\begin{", 7) ? 2 : maybe;
}

int
bb_formula_sniff(const char *text, size_t len, int dialect)
{
	int m = S_sniff(text, len);

	return m == 2 ? S_scan(text, len, dialect) : m;
}

/* Asks for all of spans' formulas at once (bb_math_prefetch), once per
 * post and thread, but those the fast path wrote (fast[i] set) or knows
 * KaTeX fails on (err[i] set). */
static void
S_prefetch(bb_js *js, const bb_math_spans *spans, char *const *fast, char *const *err)
{
	const char **tex;
	size_t *len, i;
	int *display;

	if (!bb_math_prefetch_wanted(js, spans->v, spans->n))
		return;
	tex = bb_xcalloc(spans->n + 1, sizeof *tex);
	len = bb_xcalloc(spans->n + 1, sizeof *len);
	display = bb_xcalloc(spans->n + 1, sizeof *display);
	for (i = 0; i < spans->n; i++) {
		tex[i] = fast[i] || err[i] ? NULL : spans->v[i].tex;
		len[i] = spans->v[i].tex_len;
		display[i] = spans->v[i].display;
	}
	bb_math_prefetch(js, spans->v, spans->n, tex, len, display);
	free(tex);
	free(len);
	free(display);
}

/* A post's formulas through the fast path (mathfast.h), made once per post
 * and thread and kept in the thread's engine until the next post: m[i] the
 * MathML of formula i or NULL (KaTeX's), err[i] KaTeX's error when the
 * fast path knows it (bb_mathfast_error); tex[i] (len[i] bytes) a copy of
 * its TeX and display[i] its kind, which tell the post's spans from
 * another's at the same address. */
typedef struct S_fast {
	size_t n, *len;
	char **m, **err, **tex;
	int *display;
} S_fast;

static void
S_fast_free(void *p)
{
	S_fast *f = p;
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->m[i]);
		free(f->err[i]);
		free(f->tex[i]);
	}
	free(f->m);
	free(f->err);
	free(f->tex);
	free(f->len);
	free(f->display);
	free(f);
}

/* 1 when f holds formula i of spans: the same count, and the same TeX and
 * kind at i (f->m[i] depends on nothing else, so a post whose spans stand
 * where another's stood is told apart where it matters, at no more cost
 * than the formula's length). */
static int
S_fast_for(const S_fast *f, const bb_math_spans *spans, size_t i)
{
	return f && f->n == spans->n && f->len[i] == spans->v[i].tex_len && f->display[i] == spans->v[i].display
		&& memcmp(f->tex[i], spans->v[i].tex, f->len[i]) == 0;
}

/* Formula i's MathML from the fast path (the slot owns it) or NULL, then
 * *err KaTeX's error when the fast path knows it, or NULL; on a post's
 * first formula, makes them all and asks KaTeX for the others. */
static const char *
S_fast_get(bb_js *js, const bb_math_spans *spans, size_t i, const char **err)
{
	S_fast *f = bb_js_slot(js, BB_JS_SLOT_FORMULA);
	size_t k;

	if (!S_fast_for(f, spans, i)) {
		f = bb_xcalloc(1, sizeof *f);
		f->n = spans->n;
		f->m = bb_xcalloc(spans->n + 1, sizeof *f->m);
		f->err = bb_xcalloc(spans->n + 1, sizeof *f->err);
		f->tex = bb_xcalloc(spans->n + 1, sizeof *f->tex);
		f->len = bb_xcalloc(spans->n + 1, sizeof *f->len);
		f->display = bb_xcalloc(spans->n + 1, sizeof *f->display);
		for (k = 0; k < spans->n; k++) {
			const bb_math_span *s = &spans->v[k];
			f->tex[k] = bb_xmalloc(s->tex_len + 1);
			memcpy(f->tex[k], s->tex, s->tex_len);
			f->len[k] = s->tex_len;
			f->display[k] = s->display;
			f->m[k] = bb_mathfast(s->tex, s->tex_len, s->display);
			if (!f->m[k])
				f->err[k] = bb_mathfast_error(s->tex, s->tex_len, s->display);
		}
		bb_js_set_slot(js, BB_JS_SLOT_FORMULA, f, S_fast_free);
		S_prefetch(js, spans, f->m, f->err);
	}
	*err = f->err[i];
	return f->m[i];
}

int
bb_formula_put(const bb_math_spans *spans, const char *idx, int mathml, const char *path, bb_diaglist *dl, bb_buf *o)
{
	char *end, *err = NULL, *m = NULL;
	unsigned long i = strtoul(idx, &end, 10);
	const bb_math_span *s;
	bb_js *js;
	if (!spans || *end || end == idx || i >= spans->n)
		return -1;
	s = &spans->v[i];
	if (mathml && (js = bb_js_thread(&err))) {
		/* a simple formula: KaTeX's MathML made in C, the same bytes */
		const char *f, *ferr;
		if ((f = S_fast_get(js, spans, i, &ferr)) != NULL) {
			bb_buf_puts(o, f);
			return 1;
		}
		if (ferr)
			err = bb_xstrdup(ferr);
		else
			m = bb_math_mathml(js, s->tex, s->tex_len, s->display, &err);
	}
	if (m) {
		bb_buf_puts(o, m);
		free(m);
		return 1;
	}
	if (mathml)
		bb_diag_add(dl, BB_WARNING, path, s->line, s->col, "a formula kept as TeX: %s",
			    err ? err : "it cannot be converted");
	free(err);
	bb_buf_puts(o, s->display ? "<code class=\"tex display\">" : "<code class=\"tex\">");
	bb_buf_put_xml(o, s->tex, s->tex_len);
	bb_buf_puts(o, "</code>");
	return 0;
}
