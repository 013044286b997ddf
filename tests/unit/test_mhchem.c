/* test_mhchem.c: KaTeX's mhchem extension (\ce, \pu) in both engines: the same MathML from Duktape and Node, the fast path leaving it to KaTeX, a missing or broken mhchem.js keeping the TeX with a warning that says why, and the store and settings keys telling the two apart. */
#define _POSIX_C_SOURCE 200809L
#include "blog.h"
#include "js.h"
#include "jsnode.h"
#include "mathfast.h"
#include "mathml.h"
#include "settingskey.h"
#include "util.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct { const char *tex; int display; } T_f[] = {
	{ "\\ce{H2O}", 0 }, { "\\ce{SO4^2-}", 0 }, { "\\ce{^{227}_{90}Th+}", 0 }, { "\\ce{NaCl(aq)}", 0 },
	{ "\\pu{123 kJ/mol}", 0 }, { "\\ce{CO2 + C -> 2 CO}", 1 },
	{ "\\ce{Hg^2+ ->[I-] HgI2 ->[I-] [Hg^{II}I4]^2-}", 1 }, { "\\ce{N2 + 3 H2 <=> 2 NH3}", 1 },
	{ "K = \\frac{[\\ce{H+}][\\ce{A-}]}{[\\ce{HA}]}", 0 },
};
#define T_N (sizeof T_f / sizeof T_f[0])

/* A formula the fast path does not take either way, converted by KaTeX
 * with or without mhchem. */
#define T_PLAIN "\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}"

/* Converts every formula in a new Duktape engine: res[i] the MathML or
 * "ERR " and the error (caller frees). */
static void
T_convert(char **res)
{
	char *err = NULL;
	bb_js *js = bb_js_new(NULL, &err);
	size_t i;

	CHECK(js != NULL);
	for (i = 0; i < T_N && js; i++) {
		char *m = bb_math_mathml(js, T_f[i].tex, strlen(T_f[i].tex), T_f[i].display, &err);
		res[i] = m ? m : bb_xasprintf("ERR %s", err);
		free(err);
		err = NULL;
	}
	bb_js_free(js);
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

/* Without mhchem (absent, or failing to run): every \ce and \pu formula
 * stays TeX with KaTeX's error and why (want), the plain one converts. */
static void
T_without(const char *what, const char *want)
{
	char *res[T_N] = { NULL }, *err = NULL, *m;
	bb_js *js;
	size_t i;

	T_convert(res);
	for (i = 0; i < T_N; i++) {
		int ok = res[i] && strncmp(res[i], "ERR ", 4) == 0 && strstr(res[i], "Undefined control sequence: \\")
			&& strstr(res[i], want);
		CHECK(ok);
		if (!ok)
			fprintf(stderr, "# %s: %s gave %.200s\n", what, T_f[i].tex, res[i]);
	}
	T_free(res);
	js = bb_js_new(NULL, &err);
	m = js ? bb_math_mathml(js, T_PLAIN, strlen(T_PLAIN), 1, &err) : NULL;
	CHECK(m && strstr(m, "<mtable") != NULL);
	free(m);
	free(err);
	err = NULL;
	/* \tripledash, mhchem's third command, says why as well */
	m = js ? bb_math_mathml(js, "a \\tripledash b", 15, 0, &err) : NULL;
	CHECK(!m && err && strstr(err, "Undefined control sequence: \\tripledash") && strstr(err, want));
	if (err && !strstr(err, want))
		fprintf(stderr, "# %s: \\tripledash gave %.200s\n", what, err);
	free(m);
	free(err);
	bb_js_free(js);
}

/* The settings key of an empty blog with math on. */
static void
T_settings(unsigned char out[SHA256_DIGEST_SIZE])
{
	bb_blog b;
	struct sha256_ctx h;

	memset(&b, 0, sizeof b);
	b.opt.math = 1;
	sha256_init(&h);
	bb_settings_key(&b, &h);
	sha256_digest(&h, SHA256_DIGEST_SIZE, out);
}

int
main(void)
{
	char *duk[T_N] = { NULL }, *got[T_N] = { NULL }, *err = NULL;
	char dir[] = "/tmp/test_mhchem.XXXXXX", *broken = NULL, *store = NULL;
	unsigned char k_with[SHA256_DIGEST_SIZE], k_without[SHA256_DIGEST_SIZE];
	unsigned long long tag_with, tag_without;
	unsigned long n0;
	size_t i;
	int have_node;
	FILE *f;

	if (!bb_math_mhchem()) {
		SKIP("mhchem", BB_JS_MHCHEM_PATH " not there (libjs-katex)");
		return TEST_DONE();
	}
	have_node = access("/usr/bin/node", X_OK) == 0 || access("/usr/bin/nodejs", X_OK) == 0;

	/* the fast path neither takes \ce nor claims to know KaTeX's error:
	 * KaTeX (with mhchem) decides */
	for (i = 0; i < T_N; i++) {
		char *a = bb_mathfast_any(T_f[i].tex, strlen(T_f[i].tex), T_f[i].display);
		char *e = bb_mathfast_error_any(T_f[i].tex, strlen(T_f[i].tex), T_f[i].display);
		CHECK(a == NULL && e == NULL);
		free(a);
		free(e);
	}
	{
		/* a control symbol KaTeX lacks, after \ce: mhchem reads it first */
		char *e = bb_mathfast_error_any("\\ce{A \\< B}", 11, 0);
		CHECK(e == NULL);
		free(e);
	}

	/* Duktape runs mhchem.js: every formula becomes MathML */
	setenv("BB_NODE", "none", 1);
	n0 = bb_node_calls();
	T_convert(duk);
	CHECK(bb_node_calls() == n0);
	bb_node_stop();   /* BB_NODE=none turned the engine off for the run */
	for (i = 0; i < T_N; i++) {
		int ok = duk[i] && strncmp(duk[i], "<math", 5) == 0 && strstr(duk[i], "<mi mathvariant=\"normal\">");
		CHECK(ok);
		if (!ok)
			fprintf(stderr, "# Duktape: %s gave %.200s\n", T_f[i].tex, duk[i]);
	}
	CHECK(strstr(duk[0], "<annotation encoding=\"application/x-tex\">\\ce{H2O}</annotation>") != NULL);
	CHECK(strstr(duk[5], "display=\"block\"") != NULL);

	/* Node runs it too, with the same bytes */
	if (have_node) {
		unsetenv("BB_NODE");
		n0 = bb_node_calls();
		T_convert(got);
		CHECK(bb_node_calls() >= n0 + T_N);
		for (i = 0; i < T_N; i++) {
			CHECK(got[i] && duk[i] && strcmp(got[i], duk[i]) == 0);
			if (got[i] && duk[i] && strcmp(got[i], duk[i]) != 0)
				fprintf(stderr, "# node differs on %s:\n#  %.200s\n#  %.200s\n", T_f[i].tex, got[i], duk[i]);
		}
		T_free(got);
		bb_node_stop();
	} else {
		SKIP("mhchem in Node", "no /usr/bin/node (Debian nodejs)");
	}

	/* the keys with mhchem; the store keeps what was converted */
	tag_with = bb_math_tag();
	T_settings(k_with);
	CHECK(mkdtemp(dir) != NULL);
	store = bb_xasprintf("%s/store", dir);
	CHECK(bb_math_store_open(store, &err) == 0);
	T_convert(got);
	T_free(got);
	CHECK(bb_math_store_close(&err) == 0);
	CHECK(bb_math_store_open(store, &err) == (long)T_N);
	CHECK(bb_math_store_close(&err) == 0);

	/* mhchem missing: the TeX stays, the warning says the file is not
	 * there; in Duktape and in Node; the store made with it is not read,
	 * and the keys differ */
	bb_math_set_mhchem("/nonexistent/contrib/mhchem.js");
	CHECK(bb_math_mhchem() == NULL);
	tag_without = bb_math_tag();
	T_settings(k_without);
	CHECK(tag_with != tag_without);
	CHECK(memcmp(k_with, k_without, sizeof k_with) != 0);
	CHECK(bb_math_store_open(store, &err) == 0);
	CHECK(bb_math_store_close(&err) == 0);
	setenv("BB_NODE", "none", 1);
	T_without("missing (Duktape)", "mhchem extension, /nonexistent/contrib/mhchem.js, is not installed");
	bb_node_stop();
	if (have_node) {
		unsetenv("BB_NODE");
		n0 = bb_node_calls();
		T_without("missing (Node)", "mhchem extension, /nonexistent/contrib/mhchem.js, is not installed");
		/* Node answered them (KaTeX's refusals are taken from it) */
		CHECK(bb_node_calls() >= n0 + T_N);
		bb_node_stop();
	}

	/* mhchem.js that throws: the same, the warning quoting its error */
	broken = bb_xasprintf("%s/mhchem.js", dir);
	f = fopen(broken, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("throw new Error('not mhchem');\n", f);
		fclose(f);
	}
	bb_math_set_mhchem(broken);
	CHECK(bb_math_mhchem() != NULL);
	CHECK(bb_math_tag() != tag_with && bb_math_tag() != tag_without);
	setenv("BB_NODE", "none", 1);
	T_without("broken (Duktape)", "did not load: ");
	T_without("broken (Duktape)", "not mhchem");
	bb_node_stop();
	if (have_node) {
		unsetenv("BB_NODE");
		T_without("broken (Node)", "not mhchem");
		bb_node_stop();
	}

	/* back to the real one: the store made with it is read again */
	bb_math_set_mhchem(NULL);
	CHECK(bb_math_tag() == tag_with);
	CHECK(bb_math_store_open(store, &err) == (long)T_N);
	CHECK(bb_math_store_close(&err) == 0);

	unsetenv("BB_NODE");
	T_free(duk);
	free(err);
	unlink(store);
	if (broken)
		unlink(broken);
	rmdir(dir);
	free(store);
	free(broken);
	return TEST_DONE();
}
