/* test_math.c: unit tests for the JavaScript engine wrapper (js.c), TeX to MathML (mathml.c) and the math scanner (mathscan.c). */
#define _POSIX_C_SOURCE 200809L
#include "js.h"
#include "jsnode.h"
#include "mathml.h"
#include "mathscan.h"
#include "util.h"
#include "tap.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <dirent.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* CPU seconds of this thread (the machine may be shared: wall time lies). */
static double
T_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
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
	bb_js_limits lim = { 0, 200, 0, 0 };
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
	/* an endless allocating loop stops at the work cap (1M allocations)
	 * or the time cap (200 ms of CPU here); the checks of time in this
	 * file count the thread's CPU, so a busy machine does not fail them */
	t0 = T_cpu();
	out = bb_js_call(js, "spin", 0, NULL, NULL, NULL, &err);
	CHECK(out == NULL && err && (strstr(err, "time") || strstr(err, "work") || strstr(err, "memory")));
	CHECK(T_cpu() - t0 < 10.0);
	free(err);
	err = NULL;
	/* the work cap is deterministic: the same call fails the same way */
	lim.call_ms = 60000;
	lim.call_allocs = 100000;
	{
		bb_js *w = bb_js_new(&lim, &err);
		char *e1 = NULL, *e2 = NULL;
		CHECK(w && bb_js_eval(w, "t", "function spin() { var a = []; for (;;) a.push({}); }", &err) == 0);
		CHECK(w && !bb_js_call(w, "spin", 0, NULL, NULL, NULL, &e1) && e1 && strstr(e1, "work limit"));
		CHECK(w && bb_js_last_allocs(w) > 100000);
		CHECK(w && !bb_js_call(w, "spin", 0, NULL, NULL, NULL, &e2) && e2 && e1 && strcmp(e1, e2) == 0);
		free(e1);
		free(e2);
		bb_js_free(w);
	}
	lim.call_ms = 200;
	lim.call_allocs = 0;
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
	/* top-level \\ in display math (kaityo256 writes it): rows that
	 * show as lines, the annotation as written */
	m = T_ok(js, "\\dot{p} = -\\gamma p + R\\\\ \\dot{q} = p", 1,
		"<annotation encoding=\"application/x-tex\">\\dot{p} = -\\gamma p + R\\\\ \\dot{q} = p</annotation>");
	CHECK(m && strstr(m, "<mtable") && strstr(strstr(m, "<mtr>") + 1, "<mtr>") && !strstr(m, "gathered"));
	free(m);
	m = T_ok(js, "\\displaylines{ x = a \\\\ y = b }", 1, NULL);
	CHECK(m && strstr(m, "<mtable"));
	free(m);
	/* an environment kramdown left inline is shown as display */
	m = T_ok(js, "\\begin{align} x &= 1 \\end{align}", 1, NULL);
	free(m);
	{
		char *err = NULL;
		const char *t = "\\begin{align} x &= 2 \\end{align}";
		m = bb_math_mathml(js, t, strlen(t), 0, &err);
		CHECK(m && T_wellformed_math(m));
		free(m);
		free(err);
	}
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
	t0 = T_cpu();
	T_refused(js, "\\def\\a{\\a\\a}\\a", "Too many expansions");
	T_refused(js, "\\newcommand{\\b}{\\b x}\\b", "Too many expansions");
	T_refused(js, "\\def\\a{xxxxxxxxxx}\\def\\b{\\a\\a\\a\\a\\a\\a\\a\\a\\a\\a}"
		"\\def\\c{\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b}\\def\\d{\\c\\c\\c\\c\\c\\c\\c\\c\\c\\c}\\d\\d", "Too many expansions");
	CHECK(T_cpu() - t0 < 2.0);
	/* deep nesting is refused before KaTeX runs */
	{
		bb_buf b = BB_BUF_INIT;
		char *err = NULL;
		int k;
		for (k = 0; k < 300; k++)
			bb_buf_puts(&b, "\\frac{1}{");
		bb_buf_puts(&b, "x");
		for (k = 0; k < 300; k++)
			bb_buf_puts(&b, "}");
		t0 = T_cpu();
		CHECK(bb_math_mathml(js, b.data, b.len, 1, &err) == NULL && err && strstr(err, "nested"));
		CHECK(T_cpu() - t0 < 0.5);
		free(err);
		bb_buf_free(&b);
	}
	m = T_ok(js, "\\left( \\frac{\\left[ x \\right]}{\\{y\\}} \\right)", 1, NULL);
	free(m);
	{
		/* \leftarrow is no \left: 100 of them are no nesting */
		bb_buf b = BB_BUF_INIT;
		int k;
		for (k = 0; k < 100; k++)
			bb_buf_puts(&b, "a \\leftarrow ");
		m = T_ok(js, b.data, 1, NULL);
		free(m);
		bb_buf_free(&b);
	}
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

/* ---- the scanner ---- */

/* Scans md and returns its spans as "D[tex]" (display) and "I[tex]"
 * (inline), one after another (static buffer). */
static const char *
T_scan(const char *md, int dialect, unsigned flags)
{
	static char buf[4096];
	bb_math_spans l = BB_MATH_SPANS_INIT;
	size_t i, n = 0;

	bb_mathscan_markdown(md, strlen(md), dialect, flags, 1, &l);
	buf[0] = '\0';
	for (i = 0; i < l.n && n + 8 < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%c[%s]", l.v[i].display ? 'D' : 'I', l.v[i].tex);
	bb_math_spans_free(&l);
	return buf;
}

static const char *
T_html(const char *html, unsigned flags)
{
	static char buf[4096];
	bb_math_spans l = BB_MATH_SPANS_INIT;
	size_t i, n = 0;

	bb_mathscan_html(html, strlen(html), flags, 1, &l);
	buf[0] = '\0';
	for (i = 0; i < l.n && n + 8 < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%c[%s]", l.v[i].display ? 'D' : 'I', l.v[i].tex);
	bb_math_spans_free(&l);
	return buf;
}

static void
T_scanner(void)
{
	const unsigned K = BB_MATHSCAN_DOLLAR | BB_MATHSCAN_DOLLAR_LOOSE | BB_MATHSCAN_PAREN
		| BB_MATHSCAN_BRACKET | BB_MATHSCAN_ENV;
	const unsigned G = BB_MATHSCAN_DDOLLAR | BB_MATHSCAN_PAREN | BB_MATHSCAN_BRACKET;
	bb_math_spans l = BB_MATH_SPANS_INIT;
	char *big;
	size_t i, n;
	double t0;

	/* kramdown: $$ alone between blank lines is display, in a paragraph inline */
	CHECK_STR(T_scan("a\n\n$$\nx^2 \\\\ y\n$$\n\nb\n", BB_MATHSCAN_KRAMDOWN, 0), "D[x^2 \\\\ y]");
	CHECK_STR(T_scan("text $$a_1 + b_2$$ text\n", BB_MATHSCAN_KRAMDOWN, 0), "I[a_1 + b_2]");
	CHECK_STR(T_scan("$$ E = mc^2 $$\n", BB_MATHSCAN_KRAMDOWN, 0), "D[E = mc^2]");
	CHECK_STR(T_scan("text\n$$\nx\n$$\nmore\n", BB_MATHSCAN_KRAMDOWN, 0), "I[x]");
	CHECK_STR(T_scan("$$\nx\n\ny\n$$\n", BB_MATHSCAN_KRAMDOWN, 0), "D[x\n\ny]");
	CHECK_STR(T_scan("> $$\n> a\n> $$\n", BB_MATHSCAN_KRAMDOWN, 0), "D[a]");
	CHECK_STR(T_scan("- $$x$$\n", BB_MATHSCAN_KRAMDOWN, 0), "D[x]");
	/* kramdown's \$$: inline math where a block could start, else a
	 * dollar, and MathJax reads the $$...$$ kramdown wrote as display */
	CHECK_STR(T_scan("1. \\$$ a = b_{1} $$\n", BB_MATHSCAN_KRAMDOWN, 0), "I[a = b_{1}]");
	CHECK_STR(T_scan("\\$$ x $$\n", BB_MATHSCAN_KRAMDOWN, 0), "I[x]");
	CHECK_STR(T_scan("to obtain \\$$ \\hat{p}_{i} $$ and \\$$ q $$\n", BB_MATHSCAN_KRAMDOWN, 0),
		  "D[\\hat{p}_{i}]D[q]");
	/* a kramdown block runs to the next $$: blank and indented lines too */
	CHECK_STR(T_scan("## T\n\n$$\n\\begin{align}\n  a \\\\\n\n    b\n\\end{align}\n$$\n\nNext\n",
			 BB_MATHSCAN_KRAMDOWN, 0), "D[\\begin{align}\n  a \\\\\n\n    b\n\\end{align}]");
	/* kramdown has no $ math of its own */
	CHECK_STR(T_scan("costs $x$ here\n", BB_MATHSCAN_KRAMDOWN, 0), "");
	/* $: a price stays a dollar */
	CHECK_STR(T_scan("It costs $5 and $10 today.\n", BB_MATHSCAN_KRAMDOWN, BB_MATHSCAN_DOLLAR), "");
	CHECK_STR(T_scan("It costs $5 and $10 today.\n", BB_MATHSCAN_KRAMDOWN, K), "");
	CHECK_STR(T_scan("$x$ costs $5.\n", BB_MATHSCAN_GOLDMARK, BB_MATHSCAN_DOLLAR), "I[x]");
	CHECK_STR(T_scan("a $ x $ b\n", BB_MATHSCAN_GOLDMARK, BB_MATHSCAN_DOLLAR), "");
	CHECK_STR(T_scan("where $ f(x) $ is\n", BB_MATHSCAN_KRAMDOWN, K), "I[f(x)]");
	CHECK_STR(T_scan("$(p,q)$$(r)$ x\n", BB_MATHSCAN_KRAMDOWN, K), "I[(p,q)]I[(r)]");
	CHECK_STR(T_scan("an escaped \\$x$ stays\n", BB_MATHSCAN_GOLDMARK, BB_MATHSCAN_DOLLAR), "");
	CHECK_STR(T_scan("$5, and $$y$$\n", BB_MATHSCAN_GOLDMARK, BB_MATHSCAN_DOLLAR | BB_MATHSCAN_DDOLLAR), "D[y]");
	/* a paragraph break ends inline math */
	CHECK_STR(T_scan("$a\n\nb$\n", BB_MATHSCAN_GOLDMARK, BB_MATHSCAN_DOLLAR), "");
	CHECK_STR(T_scan("$a\nb$\n", BB_MATHSCAN_GOLDMARK, BB_MATHSCAN_DOLLAR), "I[a\nb]");
	/* never in code */
	CHECK_STR(T_scan("```\n$$x$$\n```\n$y$\n", BB_MATHSCAN_KRAMDOWN, K), "I[y]");
	CHECK_STR(T_scan("~~~ ruby\n$x = 1; $y$\n~~~\n", BB_MATHSCAN_KRAMDOWN, K), "");
	CHECK_STR(T_scan("`$x$` and $y$ and ``a ` $z$``\n", BB_MATHSCAN_KRAMDOWN, K), "I[y]");
	CHECK_STR(T_scan("para\n\n    $x$ code\n\n$y$\n", BB_MATHSCAN_KRAMDOWN, K), "I[y]");
	CHECK_STR(T_scan("- item\n\n    $x$ in the item\n", BB_MATHSCAN_KRAMDOWN, K), "I[x]");
	CHECK_STR(T_scan("- a\n  ```\n  $$x$$\n  ```\n", BB_MATHSCAN_KRAMDOWN, K), "");
	CHECK_STR(T_scan("<pre>\n$$x$$\n</pre>\n<code>$y$</code> $z$\n", BB_MATHSCAN_KRAMDOWN, K), "I[z]");
	CHECK_STR(T_scan("{% highlight ruby %}\n$x = $y\n{% endhighlight %}\n", BB_MATHSCAN_KRAMDOWN, K), "");
	CHECK_STR(T_scan("{{< highlight go >}}\n$x$\n{{< /highlight >}}\n$y$\n", BB_MATHSCAN_GOLDMARK,
		BB_MATHSCAN_DOLLAR), "I[y]");
	/* MathJax after kramdown's escapes: \\( in the source, TeX unescaped */
	CHECK_STR(T_scan("$E = \\\\{ e_1 \\\\} $ and $a\\_1$\n", BB_MATHSCAN_KRAMDOWN, K), "I[E = \\{ e_1 \\}]I[a_1]");
	CHECK_STR(T_scan("\\\\(a\\_1\\\\) and \\\\[b\\\\]\n", BB_MATHSCAN_KRAMDOWN, K), "I[a_1]D[b]");
	CHECK_STR(T_scan("\\(not math\\)\n", BB_MATHSCAN_KRAMDOWN, K), "");
	CHECK_STR(T_scan("$$a \\\\ b\\_c$$\n", BB_MATHSCAN_KRAMDOWN, K), "D[a \\\\ b\\_c]");
	CHECK_STR(T_scan("\\begin{align}a&=b\\\\\\\\c&=d\\end{align}\n", BB_MATHSCAN_KRAMDOWN, K),
		"D[\\begin{align}a&=b\\\\c&=d\\end{align}]");
	/* goldmark passthrough: raw; $$ and \[ display even in a paragraph */
	CHECK_STR(T_scan("a \\[x \\\\ y\\] b \\(z_1\\) $$w$$\n", BB_MATHSCAN_GOLDMARK, G),
		"D[x \\\\ y]I[z_1]D[w]");
	CHECK_STR(T_scan("\\begin{equation*}\nx\n\\end{equation*}\n", BB_MATHSCAN_GOLDMARK, BB_MATHSCAN_ENV),
		"D[\\begin{equation*}\nx\n\\end{equation*}]");
	/* CommonMark + MathJax: every punctuation escape undone */
	CHECK_STR(T_scan("$$a\\,b$$\n", BB_MATHSCAN_COMMONMARK, BB_MATHSCAN_DDOLLAR), "D[a,b]");
	/* template tags */
	CHECK_STR(T_scan("a {% katex %}x^2{% endkatex %} b\n\n{% katex display %}\ny\n{% endkatex %}\n",
		BB_MATHSCAN_KRAMDOWN, BB_MATHSCAN_TAGS), "I[x^2]D[y]");
	CHECK_STR(T_scan("{{< katex display >}}\\frac12{{< /katex >}} and {{< math >}}z{{< /math >}}\n",
		BB_MATHSCAN_GOLDMARK, BB_MATHSCAN_TAGS), "D[\\frac12]I[z]");
	CHECK_STR(T_scan("{% math %}\n\\alpha\\_1\n{% endmath %}\n", BB_MATHSCAN_KRAMDOWN, BB_MATHSCAN_TAGS),
		"D[\\alpha\\_1]");
	CHECK_STR(T_scan("{% katex %}x{% endkatex %}\n", BB_MATHSCAN_KRAMDOWN, 0), "");
	CHECK_STR(T_scan("{% katex %}no end\n", BB_MATHSCAN_KRAMDOWN, BB_MATHSCAN_TAGS), "");
	/* offsets, line and column */
	bb_mathscan_markdown("ab\ncd $x$ e\n", 12, BB_MATHSCAN_GOLDMARK, BB_MATHSCAN_DOLLAR, 5, &l);
	CHECK(l.n == 1);
	if (l.n == 1) {
		CHECK(l.v[0].off == 6 && l.v[0].len == 3);
		CHECK(l.v[0].line == 6 && l.v[0].col == 4);
		CHECK(l.v[0].tex_len == 1);
	}
	bb_math_spans_free(&l);
	bb_math_spans_free(NULL);
	/* HTML bodies */
	CHECK_STR(T_html("<p>x <script type=\"math/tex\">a<b</script> "
		"<SCRIPT type='math/tex; mode=display'>c</SCRIPT></p><pre>$$z$$</pre>"
		"<code>\\(no\\)</code> \\(q &lt; 1\\) <!-- $$c$$ --> $$d$$",
		BB_MATHSCAN_PAREN | BB_MATHSCAN_DDOLLAR), "I[a<b]D[c]I[q < 1]D[d]");
	CHECK_STR(T_html("<p>$latex \\pi r^2$ and [latex]e^{i\\pi}[/latex], $5 and $6</p>",
		BB_MATHSCAN_WPLATEX), "I[\\pi r^2]I[e^{i\\pi}]");
	CHECK_STR(T_html("<p>$$x$$</p>", 0), "");
	/* linear: a megabyte of prices and unclosed openers */
	n = 1 << 20;
	big = bb_xmalloc(n + 1);
	for (i = 0; i < n; i++)
		big[i] = "$5 \\(`$$ x"[i % 10];
	big[n] = '\0';
	t0 = T_cpu();
	bb_mathscan_markdown(big, n, BB_MATHSCAN_KRAMDOWN, K, 1, &l);
	bb_math_spans_free(&l);
	bb_mathscan_markdown(big, n, BB_MATHSCAN_GOLDMARK, G | BB_MATHSCAN_DOLLAR, 1, &l);
	bb_math_spans_free(&l);
	bb_mathscan_html(big, n, G | BB_MATHSCAN_DOLLAR, 1, &l);
	bb_math_spans_free(&l);
	CHECK(T_cpu() - t0 < 2.0);
	free(big);
}

/* ---- kaityo256: every formula through the scanner and KaTeX ---- */

typedef struct T_corpus {
	int files, spans, display, ok, refused, left;
	double secs;
} T_corpus;

/* Returns the body of a post after its front matter. */
static const char *
T_body(const char *s, unsigned *first_line)
{
	const char *e;

	*first_line = 1;
	if (strncmp(s, "---\n", 4) != 0 || !(e = strstr(s + 4, "\n---")))
		return s;
	e = strchr(e + 1, '\n');
	if (!e)
		return s + strlen(s);
	for (; s < e; s++)
		if (*s == '\n')
			(*first_line)++;
	return e + 1;
}

/* Scans and converts every formula of a corpus's posts (kramdown with
 * MathJax's delimiters K); returns the figures. */
static T_corpus
T_math_corpus(bb_js *js, const char *name, unsigned K)
{
	char *rel = bb_xasprintf("corpora/%s/_posts", name);
	char *dir = tap_shared(rel);
	DIR *d = opendir(dir);
	struct dirent *e;
	T_corpus c;
	int verbose = getenv("T_VERBOSE") != NULL;
	unsigned long hits, entries;

	memset(&c, 0, sizeof c);
	free(rel);
	if (!d) {
		SKIP(name, "corpus not found under BB_SHARED");
		free(dir);
		return c;
	}
	while ((e = readdir(d))) {
		char *p, *s = NULL;
		size_t len = 0, i;
		unsigned first;
		const char *body;
		bb_math_spans l = BB_MATH_SPANS_INIT;
		if (e->d_name[0] == '.')
			continue;
		p = bb_xasprintf("%s/%s", dir, e->d_name);
		if (bb_read_file(p, 4 << 20, &s, &len) == 0) {
			double t0;
			c.files++;
			body = T_body(s, &first);
			bb_mathscan_markdown(body, len - (size_t)(body - s), BB_MATHSCAN_KRAMDOWN, K, first, &l);
			t0 = T_cpu();
			for (i = 0; i < l.n; i++) {
				char *err = NULL;
				char *m = bb_math_mathml(js, l.v[i].tex, l.v[i].tex_len, l.v[i].display, &err);
				c.spans++;
				c.display += l.v[i].display;
				if (m) {
					c.ok++;
					if (!T_wellformed_math(m))
						CHECK(!"corpus MathML well-formed");
				} else {
					c.refused++;
					if (verbose)
						printf("# refused %s:%u:%u: %s\n#   TeX: %.200s\n", e->d_name,
							l.v[i].line, l.v[i].col, err, l.v[i].tex);
				}
				free(m);
				free(err);
			}
			c.secs += T_cpu() - t0;
			/* $$ outside the spans, code included (all 20 of kaityo256 are in code) */
			{
				size_t pos = (size_t)(body - s), k = 0;
				for (i = pos; i + 1 < len; i++) {
					while (k < l.n && l.v[k].off + l.v[k].len + pos <= i)
						k++;
					if (k < l.n && i >= l.v[k].off + pos)
						continue;
					if (s[i] == '$' && s[i + 1] == '$') {
						c.left++;
						if (verbose)
							printf("# $$ left in %s at byte %zu\n", e->d_name, i - pos);
						i++;
					}
				}
			}
		}
		bb_math_spans_free(&l);
		free(s);
		free(p);
	}
	closedir(d);
	bb_math_cache_stats(js, &hits, &entries);
	printf("# %s: %d posts, %d formulas (%d display), %d converted, %d refused by KaTeX,"
		" %.3fs CPU (%.0f us/formula), cache %lu hits / %lu entries, %d '$$' outside the spans (code included)\n",
		name, c.files, c.spans, c.display, c.ok, c.refused, c.secs, c.spans ? c.secs * 1e6 / c.spans : 0.0,
		hits, entries, c.left);
	free(dir);
	return c;
}

static void
T_corpora(bb_js *js)
{
	T_corpus c;

	c = T_math_corpus(js, "kaityo256-blog", BB_MATHSCAN_DOLLAR | BB_MATHSCAN_DOLLAR_LOOSE | BB_MATHSCAN_ENV);
	if (c.files) {
		CHECK(c.files >= 300);
		CHECK(c.display >= 300);
		CHECK(c.spans >= 2000);
		CHECK(c.refused <= 3);
	}
	/* Chirpy's MathJax takes $ and \( as well as kramdown's $$ */
	c = T_math_corpus(js, "jekyll-chirpy-math", BB_MATHSCAN_DOLLAR | BB_MATHSCAN_DOLLAR_LOOSE
		| BB_MATHSCAN_PAREN | BB_MATHSCAN_BRACKET | BB_MATHSCAN_ENV);
	if (c.files) {
		CHECK(c.files >= 20);
		CHECK(c.spans >= 500);
		CHECK(c.refused * 50 <= c.spans);
	}
}

/* ---- the store kept across runs ---- */

/* Rewrites file path with every "from" replaced by "to". */
static void
T_sed(const char *path, const char *from, const char *to)
{
	char *d = NULL, *p;
	size_t n = 0;
	bb_buf b = BB_BUF_INIT;
	FILE *f;

	if (bb_read_file(path, 1 << 24, &d, &n) < 0)
		return;
	bb_buf_puts(&b, "");
	for (p = d; *p; ) {
		if (strncmp(p, from, strlen(from)) == 0) {
			bb_buf_puts(&b, to);
			p += strlen(from);
		} else {
			bb_buf_putc(&b, *p++);
		}
	}
	if ((f = fopen(path, "wb"))) {
		fwrite(b.data, 1, b.len, f);
		fclose(f);
	}
	free(d);
	bb_buf_free(&b);
}

static void
T_store(void)
{
	static const char *tex[3] = { "\\frac{a}{b}", "x_1 + x_2", "\\sqrt{\\pi}" };
	char dir[] = "/tmp/bb_math_store_XXXXXX", *path, *err = NULL, *first[3];
	bb_js *js;
	unsigned long hits, entries;
	int i;

	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	path = bb_xasprintf("%s/math.store", dir);
	CHECK(bb_math_store_open(path, &err) == 0);
	CHECK(bb_math_store_open(path, &err) == -1 && err);
	free(err);
	err = NULL;
	js = bb_js_new(NULL, &err);
	for (i = 0; i < 3; i++)
		first[i] = bb_math_mathml(js, tex[i], strlen(tex[i]), i == 0, &err);
	bb_js_free(js);
	CHECK(bb_math_store_close(&err) == 0);
	CHECK(bb_math_store_close(&err) == 0);
	/* the next run finds them without KaTeX */
	CHECK(bb_math_store_open(path, &err) == 3);
	js = bb_js_new(NULL, &err);
	for (i = 0; i < 3; i++) {
		char *m = bb_math_mathml(js, tex[i], strlen(tex[i]), i == 0, &err);
		CHECK(m && first[i] && strcmp(m, first[i]) == 0);
		free(m);
	}
	bb_math_cache_stats(js, &hits, &entries);
	CHECK(hits == 3);
	bb_js_free(js);
	CHECK(bb_math_store_close(&err) == 0);
	/* an edited store brings no handler in: that entry is dropped */
	T_sed(path, "<mi>a</mi>", "<mi onclick=\"alert(1)\">a</mi>");
	CHECK(bb_math_store_open(path, &err) == 2);
	CHECK(bb_math_store_close(&err) == 0);
	/* a store made with another KaTeX or other options is ignored */
	T_sed(path, "blogbind-mathml-store 1 ", "blogbind-mathml-store 1 1");
	CHECK(bb_math_store_open(path, &err) == 0);
	CHECK(bb_math_store_close(&err) == 0);
	unlink(path);
	free(path);
	/* --cache-dir naming a folder not made yet: the store makes it */
	path = bb_xasprintf("%s/new/sub/math.store", dir);
	CHECK(bb_math_store_open(path, &err) == 0);
	js = bb_js_new(NULL, &err);
	free(bb_math_mathml(js, tex[1], strlen(tex[1]), 0, &err));
	bb_js_free(js);
	CHECK(bb_math_store_close(&err) == 0 && access(path, R_OK) == 0);
	CHECK(bb_math_store_open(path, &err) == 1);
	CHECK(bb_math_store_close(&err) == 0);
	unlink(path);
	free(path);
	path = bb_xasprintf("%s/new/sub", dir);
	rmdir(path);
	free(path);
	path = bb_xasprintf("%s/new", dir);
	rmdir(path);
	free(path);
	for (i = 0; i < 3; i++)
		free(first[i]);
	rmdir(dir);
}

/* ---- one engine per thread ---- */

typedef struct T_thr {
	bb_js *js;
	char *out[3];
} T_thr;

static void *
T_thread(void *arg)
{
	static const char *tex[3] = { "\\sqrt{x^2+1}", "\\sum_{k=0}^n k", "\\alpha\\beta" };
	T_thr *t = arg;
	char *err = NULL;
	int i;

	t->js = bb_js_thread(&err);
	for (i = 0; i < 3 && t->js; i++) {
		t->out[i] = bb_math_mathml(t->js, tex[i], strlen(tex[i]), i == 1, &err);
		if (!t->out[i]) {
			fprintf(stderr, "  thread: %s\n", err);
			free(err);
			err = NULL;
		}
	}
	return NULL;
}

static void
T_threads(void)
{
	pthread_t a, b;
	T_thr ta, tb;
	int i;

	memset(&ta, 0, sizeof ta);
	memset(&tb, 0, sizeof tb);
	CHECK(pthread_create(&a, NULL, T_thread, &ta) == 0);
	CHECK(pthread_create(&b, NULL, T_thread, &tb) == 0);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	/* two engines, freed at thread exit, the same MathML from both */
	CHECK(ta.js && tb.js && ta.js != tb.js);
	for (i = 0; i < 3; i++) {
		CHECK(ta.out[i] && tb.out[i] && strcmp(ta.out[i], tb.out[i]) == 0);
		CHECK(T_wellformed_math(ta.out[i]));
		free(ta.out[i]);
		free(tb.out[i]);
	}
}

/* bb_math_gathered: the one rewrite of a display formula with a
 * top-level \\\\ into gathered rows; a break inside an environment, an
 * inline formula or none at all leave the buffer as it was. */
static void
T_gathered(void)
{
	bb_buf w = BB_BUF_INIT;
	bb_buf_puts(&w, "old");
	CHECK(bb_math_gathered(&w, "a \\\\ b", 6, 1) == 1);
	CHECK_STR(w.data, "\\begin{gathered}a \\\\ b\\end{gathered}");
	bb_buf_reset(&w);
	bb_buf_puts(&w, "old");
	CHECK(bb_math_gathered(&w, "a \\\\ b", 6, 0) == 0 && strcmp(w.data, "old") == 0);
	CHECK(bb_math_gathered(&w, "\\begin{matrix}a \\\\ b\\end{matrix}", 32, 1) == 0 && strcmp(w.data, "old") == 0);
	CHECK(bb_math_gathered(&w, "a + b", 5, 1) == 0 && strcmp(w.data, "old") == 0);
	bb_buf_free(&w);
}

/* bb_math_empty_base: {} after each spacing command a script follows
 * (KaTeX's MathML fails there, MathJax sets an empty base); TeX without
 * one, and \\ (a row break) before !^, are left alone. */
static void
T_empty_base(void)
{
	bb_buf w = BB_BUF_INIT;
	static const struct { const char *in, *out; } t[] = {
		{ "a\\!^{b}", "a\\!{}^{b}" },
		{ "x\\!\\!\\!^2+y", "x\\!\\!\\!{}^2+y" },
		{ "a\\quad _b", "a\\quad{} _b" },
		{ "a\\,^b\\;_c", "a\\,{}^b\\;{}_c" },
		{ "\\negthinspace^1", "\\negthinspace{}^1" },
		{ "a\\! b^c", NULL },
		{ "a\\\\!^b", NULL },
		{ "a\\quadx^b", NULL },
		{ "a^b", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof *t; i++) {
		int r = bb_math_empty_base(&w, t[i].in, strlen(t[i].in));
		CHECK(r == (t[i].out != NULL));
		if (r && t[i].out)
			CHECK_STR(w.data, t[i].out);
		if (!r)
			CHECK(w.len == 0);
	}
	/* a backslash before a NUL byte is no spacing command */
	CHECK(bb_math_empty_base(&w, "a\\\0^b", 5) == 0 && w.len == 0);
	bb_buf_free(&w);
}

/* A script on a spacing command converts (as MathJax shows it; KaTeX
 * alone refuses it) with an empty base, the annotation the TeX as
 * written; a formula KaTeX refuses for another reason still is. */
static void
T_spacing_base(bb_js *js)
{
	char *m = T_ok(js, "10\\!\\!\\!^{4}", 1, "10\\!\\!\\!^{4}</annotation>");

	if (m)
		CHECK(strstr(m, "<msup><mrow/><mn>4</mn></msup>") != NULL);
	free(m);
	m = T_ok(js, "a\\quad_{b}", 0, "a\\quad_{b}</annotation>");
	if (m)
		CHECK(strstr(m, "<msub><mrow/><mi>b</mi></msub>") != NULL);
	free(m);
	T_refused(js, "a\\!^{\\frac{1}}", NULL);
	/* with a row break too: the retry keeps the gathered rows */
	m = T_ok(js, "a\\quad^2 \\\\ b", 1, ">a\\quad^2 \\\\ b</annotation>");
	if (m)
		CHECK(strstr(m, "<mtable") != NULL && strstr(m, "linebreak") == NULL);
	free(m);
	/* inline in an environment KaTeX sets in display mode only (shown
	 * in display mode, as MathJax shows it): the retry too */
	{
		static const char t[] = "\\begin{align}a\\quad^2\\end{align}";
		char *err = NULL;
		m = bb_math_mathml(js, t, strlen(t), 0, &err);
		CHECK(m && strstr(m, "display=\"block\"") && strstr(m, "<msup><mrow/><mn>2</mn></msup>"));
		if (!m)
			fprintf(stderr, "  %s: %s\n", t, err);
		free(m);
		free(err);
	}
}

/* The retry on an empty base meeting a limit says so (a limit hit says
 * nothing lasting about the formula): a formula whose first try fails
 * within the work limit (KaTeX's MathML builder stops at the script) and
 * whose retry would build it all, in a Duktape engine allowed about 5/6
 * of what the retry takes. */
static void
T_spacing_limit(void)
{
	bb_js_limits lim;
	bb_js *js;
	bb_buf t = BB_BUF_INIT;
	char *err = NULL, *m;
	unsigned long need;
	int i;

	bb_node_stop();   /* Duktape decides: Node is off from its next start */
	setenv("BB_NODE", "none", 1);
	bb_buf_puts(&t, "a\\!^{b}");
	for (i = 0; i < 40; i++)
		bb_buf_puts(&t, "+\\sqrt{x_1}");
	js = bb_js_new(NULL, &err);
	m = js ? bb_math_mathml(js, t.data, t.len, 0, &err) : NULL;
	CHECK(m != NULL);
	need = js ? bb_js_last_allocs(js) : 0;   /* the retry's, the last call */
	free(m);
	free(err);
	err = NULL;
	bb_js_free(js);
	memset(&lim, 0, sizeof lim);
	lim.call_allocs = need * 5 / 6;
	js = bb_js_new(&lim, &err);
	m = js && need ? bb_math_mathml(js, t.data, t.len, 0, &err) : NULL;
	CHECK(m == NULL && err && strstr(err, "work limit exceeded") != NULL);
	if (err && !strstr(err, "work limit exceeded"))
		fprintf(stderr, "  %lu allocations allowed: %s\n", lim.call_allocs, err);
	free(m);
	free(err);
	bb_js_free(js);
	bb_buf_free(&t);
	unsetenv("BB_NODE");
	bb_node_stop();   /* on again at the next start */
}

int
main(void)
{
	char *err = NULL;
	bb_js *js;

	T_gathered();
	T_empty_base();
	T_scanner();
	T_js();
	T_threads();
	T_store();
	T_spacing_limit();
	js = bb_js_thread(&err);
	CHECK(js != NULL);
	if (js) {
		CHECK(bb_js_thread(&err) == js);
		T_math(js);
		T_spacing_base(js);
		T_corpora(js);
	} else {
		fprintf(stderr, "no engine: %s\n", err);
		free(err);
	}
	bb_js_thread_free();
	return TEST_DONE();
}
