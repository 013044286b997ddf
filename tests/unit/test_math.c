/* test_math.c: unit tests for the JavaScript engine wrapper (js.c), TeX to MathML (mathml.c) and the math scanner (mathscan.c). */
#define _POSIX_C_SOURCE 200809L
#include "js.h"
#include "mathml.h"
#include "util.h"
#include "tap.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
T_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1 when s is one well-formed XML element named math in the MathML
 * namespace. */
static int
T_wellformed_math(const char *s)
{
	xmlDoc *d;
	xmlNode *r;
	int ok;

	if (!s)
		return 0;
	d = xmlReadMemory(s, (int)strlen(s), NULL, "UTF-8",
		XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	r = d ? xmlDocGetRootElement(d) : NULL;
	ok = r && strcmp((const char *)r->name, "math") == 0 && r->ns
		&& strcmp((const char *)r->ns->href, "http://www.w3.org/1998/Math/MathML") == 0;
	xmlFreeDoc(d);
	return ok;
}

/* Converts tex and checks the common contract: a well-formed <math>, its
 * display attribute as asked, the TeX annotation, nothing active. Returns
 * the MathML (caller frees) or NULL. */
static char *
T_ok(bb_js *js, const char *tex, int display, const char *annot)
{
	char *err = NULL;
	char *m = bb_math_mathml(js, tex, strlen(tex), display, &err);

	if (!m) {
		fprintf(stderr, "  %s: %s\n", tex, err);
		free(err);
		CHECK(!"formula converted");
		return NULL;
	}
	CHECK(err == NULL);
	CHECK(strncmp(m, "<math", 5) == 0);
	CHECK(T_wellformed_math(m));
	CHECK((strstr(m, "display=\"block\"") != NULL) == (display != 0));
	CHECK(strstr(m, "<annotation encoding=\"application/x-tex\">") != NULL);
	if (annot)
		CHECK(strstr(m, annot) != NULL);
	CHECK(strstr(m, "<span") == NULL);
	CHECK(strstr(m, "<script") == NULL);
	CHECK(strstr(m, "href") == NULL);
	CHECK(strstr(m, " on") == NULL);
	return m;
}

/* Expects tex to be refused with an error containing want. */
static void
T_refused(bb_js *js, const char *tex, const char *want)
{
	char *err = NULL;
	char *m = bb_math_mathml(js, tex, strlen(tex), 1, &err);

	CHECK(m == NULL);
	CHECK(err != NULL);
	if (err && want && !strstr(err, want))
		fprintf(stderr, "  %s: error \"%s\" lacks \"%s\"\n", tex, err, want);
	if (err && want)
		CHECK(strstr(err, want) != NULL);
	free(m);
	free(err);
}

static void
T_js(void)
{
	char *err = NULL;
	bb_js_limits lim = { 0, 200, 0 };
	bb_js *js = bb_js_new(&lim, &err);
	const char *argv[1] = { "abc\xe3\x81\x82" };
	size_t argl[1] = { 6 }, n;
	char *out;
	double t0;

	CHECK(js != NULL);
	if (!js)
		return;
	CHECK(bb_js_eval(js, "t", "function up(s) { return s.toUpperCase() + s.length; }"
		"function boom() { throw new Error('boom'); }"
		"function spin() { var a = []; for (;;) a.push({}); }"
		"function grow() { var s = 'x'; for (;;) s = s + s; }"
		"function num() { return 1; }", &err) == 0);
	out = bb_js_call(js, "up", 1, argv, argl, &n, &err);
	CHECK_STR(out, "ABC\xe3\x81\x82" "4");
	free(out);
	out = bb_js_call(js, "boom", 0, NULL, NULL, NULL, &err);
	CHECK(out == NULL && err && strstr(err, "boom"));
	free(err);
	err = NULL;
	/* an endless allocating loop stops at the time cap (200 ms here) */
	t0 = T_now();
	out = bb_js_call(js, "spin", 0, NULL, NULL, NULL, &err);
	CHECK(out == NULL && err && (strstr(err, "time") || strstr(err, "memory")));
	CHECK(T_now() - t0 < 5.0);
	free(err);
	err = NULL;
	out = bb_js_call(js, "grow", 0, NULL, NULL, NULL, &err);
	CHECK(out == NULL && err != NULL);
	free(err);
	err = NULL;
	out = bb_js_call(js, "num", 0, NULL, NULL, NULL, &err);
	CHECK(out == NULL && err && strstr(err, "no string"));
	free(err);
	err = NULL;
	out = bb_js_call(js, "nosuch", 0, NULL, NULL, NULL, &err);
	CHECK(out == NULL && err != NULL);
	free(err);
	err = NULL;
	/* the heap is still usable after every error */
	out = bb_js_call(js, "up", 1, argv, argl, &n, &err);
	CHECK_STR(out, "ABC\xe3\x81\x82" "4");
	free(out);
	/* a missing script is a clear error, returned again on the next try */
	CHECK(bb_js_load(js, "/nonexistent/katex.min.js", &err) == -1);
	CHECK(err && strstr(err, "/nonexistent/katex.min.js") && strstr(err, "libjs-katex"));
	free(err);
	err = NULL;
	CHECK(bb_js_load(js, "/nonexistent/katex.min.js", &err) == -1 && err);
	free(err);
	err = NULL;
	bb_js_free(js);
	bb_js_free(NULL);
	/* a tiny memory cap is enforced */
	lim.mem_max = 1 << 20;
	js = bb_js_new(&lim, &err);
	if (js) {
		out = NULL;
		CHECK(bb_js_load(js, BB_JS_KATEX_PATH, &err) == -1);
		CHECK(err && strstr(err, "memory limit"));
		free(err);
		err = NULL;
		bb_js_free(js);
	}
}

static void
T_math(bb_js *js)
{
	char *m;
	double t0;
	unsigned long hits, hits2, entries;

	/* inline */
	m = T_ok(js, "x^2 + y_1 < \\alpha", 0, "x^2 + y_1 &lt; \\alpha");
	CHECK(m && strstr(m, "<msup>") && strstr(m, "<mo>&lt;</mo>") && strstr(m, "\xce\xb1"));
	free(m);
	/* display */
	m = T_ok(js, "\\int_0^\\infty e^{-x^2}\\,dx = \\frac{\\sqrt{\\pi}}{2}", 1, "\\frac{\\sqrt{\\pi}}{2}");
	CHECK(m && strstr(m, "<mfrac>") && strstr(m, "<msqrt>"));
	free(m);
	/* align with \\ line breaks: a table of two rows */
	m = T_ok(js, "\\begin{aligned} a &= b + c \\\\ d &= e \\end{aligned}", 1, "a &amp;= b + c \\\\ d");
	CHECK(m && strstr(m, "<mtable") && strstr(strstr(m, "<mtr>") + 1, "<mtr>"));
	free(m);
	m = T_ok(js, "\\begin{align} x &= 1 \\\\ y &= 2 \\end{align}", 1, NULL);
	CHECK(m && strstr(m, "<mtable"));
	free(m);
	/* top-level \\ in display math (kaityo256 writes it) */
	m = T_ok(js, "\\dot{p} = -\\gamma p + R\\\\ \\dot{q} = p", 1, NULL);
	free(m);
	/* Japanese text in math */
	m = T_ok(js, "\\text{\xe9\x80\x9f\xe5\xba\xa6} = v", 0, "\xe9\x80\x9f\xe5\xba\xa6");
	free(m);
	/* refused formulas give an error, no output */
	T_refused(js, "\\frac{1}{", "KaTeX parse error");
	T_refused(js, "\\undefinedmacro x", "Undefined control sequence");
	T_refused(js, "x & y", "KaTeX parse error");
	/* trust:false: links and HTML commands are refused, not emitted */
	T_refused(js, "\\href{javascript:alert(1)}{x}", "\\href");
	T_refused(js, "\\url{http://example.com}", "\\url");
	T_refused(js, "\\htmlClass{a}{x}", "not allowed");
	T_refused(js, "\\includegraphics{/etc/passwd}", NULL);
	/* macro bombs are bounded by maxExpand and are quick */
	t0 = T_now();
	T_refused(js, "\\def\\a{\\a\\a}\\a", "Too many expansions");
	T_refused(js, "\\newcommand{\\b}{\\b x}\\b", "Too many expansions");
	T_refused(js, "\\def\\a{xxxxxxxxxx}\\def\\b{\\a\\a\\a\\a\\a\\a\\a\\a\\a\\a}"
		"\\def\\c{\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b}\\def\\d{\\c\\c\\c\\c\\c\\c\\c\\c\\c\\c}\\d\\d", "Too many expansions");
	CHECK(T_now() - t0 < 2.0);
	/* each formula starts with no macros: \a is not left defined */
	T_refused(js, "\\a", "Undefined control sequence");
	/* too long */
	{
		size_t n = BB_MATH_TEX_MAX + 1;
		char *big = bb_xmalloc(n + 1), *err = NULL;
		memset(big, 'x', n);
		big[n] = '\0';
		CHECK(bb_math_mathml(js, big, n, 0, &err) == NULL && err && strstr(err, "longer"));
		free(err);
		free(big);
	}
	/* cache: the same formula again is a hit and gives the same MathML */
	bb_math_cache_stats(js, &hits, &entries);
	CHECK(entries > 5);
	{
		char *a = T_ok(js, "E = mc^2", 1, NULL), *b;
		bb_math_cache_stats(js, &hits, &entries);
		b = T_ok(js, "E = mc^2", 1, NULL);
		bb_math_cache_stats(js, &hits2, &entries);
		CHECK(hits2 == hits + 1);
		CHECK(a && b && strcmp(a, b) == 0);
		free(a);
		free(b);
		/* inline and display are cached apart */
		b = T_ok(js, "E = mc^2", 0, NULL);
		free(b);
		bb_math_cache_stats(js, &hits, &entries);
		CHECK(hits == hits2);
		/* a refused formula is cached too */
		T_refused(js, "\\frac{1}{", "KaTeX");
		bb_math_cache_stats(js, &hits2, &entries);
		CHECK(hits2 == hits + 1);
	}
}

int
main(void)
{
	char *err = NULL;
	bb_js *js;

	T_js();
	js = bb_js_thread(&err);
	CHECK(js != NULL);
	if (js) {
		CHECK(bb_js_thread(&err) == js);
		T_math(js);
	} else {
		fprintf(stderr, "no engine: %s\n", err);
		free(err);
	}
	bb_js_thread_free();
	return TEST_DONE();
}
