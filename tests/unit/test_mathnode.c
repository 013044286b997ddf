/* test_mathnode.c: the Node.js engine (jsnode.c) gives the MathML and refusals Duktape gives, and falls back to Duktape when it is absent or broken. */
#define _POSIX_C_SOURCE 200809L
#include "js.h"
#include "jsnode.h"
#include "mathml.h"
#include "util.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Our own formulas: the constructs blogs use, KaTeX's refusals, what
 * mathml.c rewrites (\\ at the top, align inline) and what only Duktape
 * may decide (a character outside the BMP). */
static const struct { const char *tex; int display; } T_f[] = {
	{ "x^2 + y^2 = z^2", 0 }, { "\\frac{a+b}{c-d}", 1 }, { "\\sqrt[3]{x}", 0 },
	{ "\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}", 1 }, { "\\int_0^\\infty e^{-x^2}\\,dx", 1 },
	{ "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", 1 },
	{ "f(x) = \\begin{cases} 0 & x < 0 \\\\ 1 & x \\ge 0 \\end{cases}", 1 },
	{ "\\begin{align} a &= b \\\\ c &= d \\end{align}", 0 },
	{ "a = b \\\\ c = d", 1 }, { "\\displaylines{a \\\\ b}", 1 },
	{ "\\text{速度} v = \\frac{dx}{dt}", 0 }, { "\\mathbb{R}^n \\to \\mathcal{H}", 0 },
	{ "\\left( \\frac{1}{2} \\right)^{\\alpha_1}", 0 }, { "\\hat{H}\\psi = E\\psi", 1 },
	{ "\\overbrace{a+b}^{n} \\underbrace{c}_{m}", 1 }, { "0.5em \\quad 1\\,2\\;3", 0 },
	{ "\\color{red} x", 0 }, { "\\operatorname{tr} A", 0 },
	{ "\\undefinedcommand x", 0 }, { "\\frac{1}{", 0 }, { "\\href{http://a}{b}", 0 },
	{ "\\def\\a{\\a\\a}\\a", 0 }, { "\xf0\x9d\x92\x9c + 1", 0 },
};
#define T_N (sizeof T_f / sizeof T_f[0])

/* Converts every formula in a new Duktape engine; results[i] is the
 * MathML or "ERR" and the error. */
static void
T_convert(char **res)
{
	char *err = NULL;
	bb_js *js = bb_js_new(NULL, &err);
	size_t i;

	CHECK(js != NULL);
	for (i = 0; i < T_N && js; i++) {
		char *m = bb_math_mathml(js, T_f[i].tex, strlen(T_f[i].tex), T_f[i].display, &err);
		if (m) {
			res[i] = m;
		} else {
			res[i] = bb_xasprintf("ERR %s", err);
			free(err);
		}
		err = NULL;
	}
	bb_js_free(js);
}

/* Compares results with the Duktape-only ones, naming the differences. */
static void
T_same(char **got, char **want, const char *what)
{
	size_t i;

	for (i = 0; i < T_N; i++) {
		CHECK(got[i] && want[i]);
		if (got[i] && want[i] && strcmp(got[i], want[i]) != 0) {
			CHECK_STR(got[i], want[i]);
			fprintf(stderr, "# %s differs on %s\n", what, T_f[i].tex);
		}
	}
}

static void
T_free(char **r)
{
	size_t i;

	for (i = 0; i < T_N; i++) {
		free(r[i]);
		r[i] = NULL;
	}
}

/* A fake node that loads every script and glue it is sent, then hangs on
 * the first call: the safety cap ends the wait, the formula stays TeX
 * with an error that names the cap, and nothing else renders it. */
static void
T_hang(void)
{
	static const char prog[] =
		"#!/bin/sh\n"
		"while read -r k n rest; do\n"
		"  case $k in\n"
		"  L|E) dd bs=1 count=$n of=/dev/null 2>/dev/null; printf 'O 0 0\\n' ;;\n"
		"  *) exec sleep 60 ;;\n"
		"  esac\n"
		"done\n";
	char dir[] = "/tmp/test_mathnode.XXXXXX", *path = NULL, *err = NULL, *m;
	bb_js *js = NULL;
	double t0;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	path = bb_xasprintf("%s/node", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		goto out;
	fputs(prog, f);
	fclose(f);
	chmod(path, 0755);
	setenv("BB_NODE", path, 1);
	bb_node_set_call_ms(300);
	js = bb_js_new(NULL, &err);
	CHECK(js != NULL);
	if (!js)
		goto out;
	t0 = bb_now();
	m = bb_math_mathml(js, "x^2 + y^2", 9, 0, &err);
	CHECK(m == NULL);
	CHECK(err && strstr(err, "safety cap") != NULL);
	/* the cap in force (300 ms), not the default BB_NODE_CALL_MS */
	CHECK(err && strstr(err, "safety cap of 300 ms") != NULL);
	if (err)
		fprintf(stderr, "# hung node: %s\n", err);
	/* ended by the cap (0.3 s), not by the program's 60 s sleep */
	CHECK(bb_now() - t0 < 20.0);
	free(m);
	bb_node_stop();
out:
	bb_js_free(js);
	free(err);
	bb_node_set_call_ms(0);
	unsetenv("BB_NODE");
	if (path)
		unlink(path);
	rmdir(dir);
	free(path);
}

int
main(void)
{
	char *duk[T_N] = { NULL }, *got[T_N] = { NULL };
	unsigned long n0;
	size_t i, nerr = 0;

	if (access("/usr/bin/node", X_OK) != 0 && access("/usr/bin/nodejs", X_OK) != 0) {
		SKIP("Node.js engine", "no /usr/bin/node (Debian nodejs)");
		return TEST_DONE();
	}
	/* the reference: Duktape only */
	setenv("BB_NODE", "none", 1);
	n0 = bb_node_calls();
	T_convert(duk);
	CHECK(bb_node_calls() == n0);
	bb_node_stop();
	for (i = 0; i < T_N; i++)
		nerr += strncmp(duk[i], "ERR ", 4) == 0;
	/* 5 refusals: undefined command, unclosed group, \href, the macro
	 * bomb, and the character outside the BMP (Duktape sees two
	 * surrogates, V8 would take it: only Duktape decides those) */
	CHECK(nerr == 5);
	for (i = 0; i < T_N; i++)
		if (strncmp(duk[i], "ERR ", 4) == 0)
			fprintf(stderr, "# refused: %s: %.90s\n", T_f[i].tex, duk[i] + 4);
	CHECK(strstr(duk[0], "<msup>") != NULL);

	/* Node: the same bytes, and Node did the work */
	unsetenv("BB_NODE");
	n0 = bb_node_calls();
	T_convert(got);
	CHECK(bb_node_calls() >= n0 + T_N - 2);
	T_same(got, duk, "node");
	T_free(got);
	bb_node_stop();

	/* a program that does not speak the protocol, one that exits at
	 * once, one that is not there: killed or never started, Duktape
	 * answers the same */
	{
		static const char *bad[] = { "/bin/cat", "/bin/false", "/nonexistent/node" };
		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			setenv("BB_NODE", bad[i], 1);
			T_convert(got);
			T_same(got, duk, bad[i]);
			T_free(got);
			bb_node_stop();
		}
	}
	unsetenv("BB_NODE");
	T_free(duk);
	T_hang();
	return TEST_DONE();
}
