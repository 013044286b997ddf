/* test_mathfast.c: the fast path (mathfast.c) writes for every formula it takes the bytes KaTeX's MathML becomes in the book (bb_math_mathml, as bb_formula_put writes it): our own formulas, then every formula of the shared corpora (BB_SHARED; missing, a failure unless BB_ALLOW_SKIP=1), with the count it takes per corpus. */
#define _DEFAULT_SOURCE
#include "js.h"
#include "jsnode.h"
#include "mathfast.h"
#include "mathml.h"
#include "mathscan.h"
#include "util.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Formulas the fast path must take (1) or leave to KaTeX (0). */
static const struct { const char *tex; int display, taken; } T_f[] = {
	{ "x", 0, 1 }, { "x^2+y_1 = 3.14", 0, 1 }, { "\\alpha \\times \\beta \\le 2", 1, 1 },
	{ "10,000 + 1.5 - .5", 0, 1 }, { "a=-1", 0, 1 }, { "f(x) = \\{a\\}", 0, 1 },
	{ "a'", 0, 1 }, { "a''", 0, 1 }, { "x<y>z", 0, 1 }, { "\\frac{a}{b}", 1, 1 },
	{ "\\frac12", 0, 1 }, { "\\sqrt{x^2+1}", 0, 1 }, { "\\mathrm{d}x", 0, 1 },
	{ "\\mathrm{abc}", 0, 1 }, { "\\mathbf{x1}2", 0, 1 }, { "\\mathit{x}", 0, 1 },
	{ "\\mathbb R", 0, 1 }, { "\\hat{x} + \\vec v + \\dot{x}_1", 0, 1 },
	{ "\\tilde{ab}", 0, 1 }, { "\\sin x", 0, 1 }, { "\\sin^2 x", 0, 1 },
	{ "\\lim_{x\\to0} f", 1, 1 }, { "\\lim_{x\\to0} f", 0, 1 }, { "\\sum_{i=1}^n i", 1, 1 },
	{ "\\sum_{i=1}^n i", 0, 1 }, { "\\int_0^1 x\\,dx", 1, 1 }, { "{\\sum}_a^b", 1, 1 },
	{ "\\left( x \\right)^2", 0, 1 }, { "\\left\\{ x \\right.", 1, 1 },
	{ "\\left| x \\right|", 0, 1 }, { "\\left\\langle x \\right\\rangle", 0, 1 },
	{ "x^{12}", 0, 1 }, { "x^{+}", 0, 1 }, { "{}^{14}C", 0, 1 }, { "\\exp(x)", 0, 1 },
	{ "a \\quad b \\; c", 0, 1 }, { "\\frac{\\partial f}{\\partial x}", 1, 1 },
	{ "e^{-x^2/2}", 0, 1 }, { "\\max_k a_k", 1, 1 }, { "x \\rightarrow \\infty", 0, 1 },
	{ "\\Delta t", 0, 1 }, { "\"a\"", 0, 1 }, { "H_\\mathrm{ex}", 0, 1 }, { "x^\\frac12", 0, 1 },
	{ "\\textbf{w}", 0, 1 }, { "\\textbf{ab  c}", 0, 1 }, { "\\text{ abc def }x", 0, 1 },
	{ "\\text{a}\\text{b}", 0, 1 }, { "x_\\text{max}", 0, 1 }, { "\\textit{a1}", 0, 1 },
	{ "\\boldsymbol{e}_1", 0, 1 }, { "\\boldsymbol{ab}", 0, 0 }, { "\\left< x \\right>", 0, 1 },
	{ "\\begin{aligned} a &= b + c \\\\ &= d \\end{aligned}", 1, 1 },
	{ "\\begin{aligned}\nx &= 1 \\\\\ny &= 2 \\\\\n\\end{aligned}", 1, 1 },
	{ "\\begin{aligned} x &= 1 & y &= 2 \\\\ z \\end{aligned}", 1, 1 },
	{ "\\begin{aligned} x \\\\ y \\end{aligned}", 0, 1 },
	{ "f = \\begin{aligned} &\\sum_a^b x \\\\ = & y \\end{aligned}", 0, 1 },
	{ "\\begin{aligned} \\end{aligned}", 1, 1 }, { "\\begin{aligned} & \\\\ \\end{aligned}", 1, 1 },
	{ "\\begin{aligned} a \\\\[2pt] b \\end{aligned}", 1, 0 },
	{ "\\begin{align} a \\end{align}", 1, 1 }, { "\\begin{aligned} {a & b} \\end{aligned}", 1, 0 },
	{ "\\begin{align} a &= b \\\\ &= c \\end{align}", 1, 1 }, { "\\begin{align*} a &= b \\\\ &= c \\end{align*}", 1, 1 },
	{ "x \\begin{align*} a &= \\sum_a^b \\end{align*}", 0, 1 }, { "\\begin{align} a \\\\ \\end{align}", 0, 1 },
	{ "\\begin{align} a \\\\[1em] b \\end{align}", 1, 0 }, { "\\begin{align} a \\tag{1} \\end{align}", 1, 0 },
	{ "\\begin{gather} a \\\\ b \\end{gather}", 1, 1 }, { "\\begin{gather*} a \\end{gather*}", 1, 1 },
	{ "\\begin{gather} a & b \\end{gather}", 1, 0 }, { "\\begin{equation} a = b \\end{equation}", 1, 1 },
	{ "\\begin{equation*} \\end{equation*}", 1, 1 }, { "\\begin{equation} a \\\\ b \\end{equation}", 1, 0 },
	{ "\\begin{equation} a & b \\end{equation}", 1, 0 }, { "\\begin{array}{c} a \\\\ b \\end{array}", 1, 1 },
	{ "\\begin{array}{|l|cr|} a & b & c \\\\ d \\end{array}", 1, 1 }, { "\\begin{array}{ll|} a \\end{array}", 0, 1 },
	{ "\\begin{array}{|c} a \\end{array}", 0, 1 }, { "\\begin{array}{c||c} a & b \\\\ \\end{array}", 0, 1 },
	{ "\\begin{array} {c c} a & b & c \\end{array}", 1, 1 }, { "\\begin{array}{c:c} a \\end{array}", 1, 0 },
	{ "\\begin{array}{} a \\end{array}", 1, 0 }, { "\\begin{array}{|} a \\end{array}", 1, 0 },
	{ "\\begin{array}c a \\end{array}", 1, 0 }, { "\\begin{array}{p} a \\end{array}", 1, 0 },
	{ "\\begin{array}{c} \\hline a \\end{array}", 1, 0 }, { "\\begin{array}{c} \\end{array}", 1, 0 },
	{ "\\left( \\begin{array}{ccc} X &=& \\displaystyle\\frac{dy}{dx}\\\\ Y &=& x \\displaystyle \\frac{dy}{dx} - y \\end{array} \\right.", 1, 1 },
	{ "\\begin{cases} a & x > 0 \\\\ b & \\text{else} \\end{cases}", 0, 1 }, { "\\begin{cases} a \\end{cases}", 1, 1 },
	{ "x \\displaystyle \\frac{a}{b} \\sum_a^b", 0, 1 }, { "\\sum_a^b \\textstyle \\sum_a^b", 1, 1 },
	{ "{\\displaystyle \\sum_a^b} x", 0, 1 }, { "\\left( \\displaystyle x \\right)", 0, 1 }, { "x \\displaystyle", 0, 1 },
	{ "\\scriptstyle x", 0, 0 }, { "x^\\displaystyle", 0, 0 },
	{ "\\underbrace{a+b}_{x} + \\underbrace{c}", 1, 1 }, { "\\overbrace{a}^{2}", 0, 1 }, { "\\underbrace{a}^{2}", 0, 1 },
	{ "\\underbrace{a}_1^2", 0, 1 }, { "\\overbrace{a}_1^2", 0, 1 }, { "\\overbrace x'", 0, 1 }, { "\\underbrace", 0, 0 },
	{ "(1,0)\\\\\n(0,1)", 0, 1 }, { "a \\\\ b \\\\", 0, 1 }, { "{a \\\\ b}", 0, 1 }, { "a \\\\[2pt] b", 0, 0 },
	{ "a \\\\ [2pt] b", 0, 0 },
	{ "{{(}}", 0, 1 }, { "\\begin{matrix}{(}\\end{matrix}", 0, 1 }, { "\\begin{dcases}{\\} }\\end{dcases}", 1, 1 },
	{ "a \\\\ \\begin{align} b \\end{align}", 0, 1 }, { "\\begin{dcases} \\sum_a^b & x \\end{dcases}", 1, 1 },
	{ "\\begin{rcases} a & b \\\\ c \\end{rcases} x", 0, 1 }, { "\\begin{drcases} a \\end{drcases}", 1, 1 },
	{ "\\begin{darray}{rl} \\sum_a^b & x \\end{darray}", 0, 1 }, { "\\begin{split} a &= b \\\\ &= c \\end{split}", 1, 1 },
	{ "\\begin{split} a \\end{split}", 0, 1 }, { "\\begin{split} a & b & c \\end{split}", 1, 0 },
	{ "{\\underbrace{a}}_x", 0, 1 }, { "\\left. \\underbrace{a} \\right._x", 0, 1 }, { "\\left. \\sum \\right._a^b", 1, 1 },
	{ "\\begin{aligned} {a \\\\ b} \\end{aligned}", 1, 1 }, { "{a \\\\ b}", 1, 1 },
	{ "\\begin{align} a &= 1 \\nonumber \\\\ b &= 2 \\\\ c \\notag \\end{align}", 1, 1 }, { "1 \\nonumber 2", 0, 1 },
	{ "\\begin{align} a \\begin{aligned} b \\nonumber \\end{aligned} \\\\ c \\end{align}", 1, 1 },
	{ "\\begin{gather} a \\\\ \\begin{gather*} b \\\\ c \\end{gather*} \\nonumber \\end{gather}", 1, 1 }, { "a\\!^{2}", 0, 0 }, { "a\\,'", 1, 0 }, { "a \\\\^2", 0, 0 }, { "\\left( a \\\\ b \\right)", 1, 1 },
	{ "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", 1, 1 }, { "\\begin{matrix} a \\end{matrix}", 0, 1 },
	{ "\\begin{bmatrix} a & b \\\\ c \\end{bmatrix}", 1, 1 }, { "\\begin{vmatrix} a \\\\ \\end{vmatrix}", 1, 1 },
	{ "\\begin{Bmatrix} \\sum_a^b \\end{Bmatrix}^2", 1, 1 }, { "\\begin{Vmatrix} x \\end{Vmatrix}", 0, 1 },
	{ "\\begin{matrix} \\end{matrix}", 0, 0 }, { "\\begin{pmatrix} a \\end{bmatrix}", 0, 0 },
	{ "F'_{eq}", 1, 1 }, { "x_1'", 0, 1 }, { "x_1''", 0, 1 }, { "x'_1^2", 0, 0 }, { "x_1'_2", 0, 0 },
	{ "a = b \\\\ c = d", 1, 1 }, { "(1,0)\\\\\n(0,1)\\\\\n", 1, 1 }, { "x \\\\ \\\\ y", 1, 1 },
	{ "\\begin{gathered} a \\\\ b \\end{gathered}", 0, 1 }, { "a & b \\\\ c", 1, 0 },
	{ "\\boldsymbol{1}", 0, 0 }, { "a_\\hat{x}", 0, 0 }, { "x^\\sqrt{2}", 0, 0 }, { "\\text{a-b}", 0, 1 },
	{ "\\text{a}", 0, 1 }, { "\\begin{pmatrix} 1 \\end{pmatrix}", 1, 1 },
	{ "a \\\\ b", 1, 1 }, { "\\sqrt[3]{x}", 0, 1 }, { "x^2^3", 0, 0 }, { "^2", 0, 1 },
	{ "x'^2", 0, 1 }, { "\\foo", 0, 0 }, { "\\frac{1}{", 0, 0 }, { "\\left( x", 0, 0 },
	{ "x \\right)", 0, 0 }, { "a}", 0, 0 }, { "\xce\xb1", 0, 1 }, { "a % b", 0, 0 },
	{ "a \\neq 0", 0, 1 }, { "\\sum_{i \\ne j} x", 1, 1 }, { "a\\neq_1^2", 0, 1 },
	{ "{\\neq}", 0, 1 }, { "\\neq'", 1, 1 }, { "x^\\neq", 0, 0 }, { "x_\\ne", 0, 0 },
	{ "\\frac\\neq b", 0, 0 }, { "\\sqrt\\ne", 0, 0 }, { "\\hat\\neq", 0, 0 },
	{ "\\not= b", 0, 0 }, { "\\dots", 0, 0 }, { "\\displaystyle x", 0, 1 },
	{ "\\color{red} x", 0, 0 }, { "", 0, 0 },
	/* @ is a letter in KaTeX's control words: \alpha@ and \@y are
	 * undefined words, \@ eats the spaces after it */
	{ "\\alpha@b", 0, 0 }, { "x\\@y", 0, 0 }, { "\\@ x", 0, 0 }, { "a@b", 0, 1 },
	{ "\\left(x\\right@)", 0, 0 }, { "x\\displaystyle@y", 0, 0 }, { "x\\textstyle@", 0, 0 },
	{ "\\nonumber@x", 0, 0 }, { "\\begin{matrix}a\\textstyle@b\\end{matrix}", 0, 0 },
	/* a command as an argument: a script's or \sqrt's, not \frac's or an accent's */
	{ "\\frac\\frac ab c", 0, 0 }, { "\\frac a\\frac bc", 0, 0 }, { "\\hat\\frac ab", 0, 0 },
	{ "\\underbrace\\frac ab", 0, 0 }, { "\\frac\\mathrm ab", 0, 0 }, { "\\hat\\mathrm a", 0, 0 },
	{ "\\sqrt[3]\\frac ab", 0, 0 }, { "\\frac\\text a b", 0, 0 }, { "x^\\frac ab", 0, 1 },
	{ "\\sqrt\\frac ab", 0, 1 }, { "x_\\mathrm a", 0, 1 },
	/* beyond ASCII: KaTeX's symbols typed as characters, and the CJK and
	 * full-width characters it writes as text (mathfast_text.c) */
	{ "E_\xef\xbc\x91", 0, 1 }, { "E\xe3\x80\x80= \\{e_1\\}", 0, 1 }, { "(p,q)\xe7\xa9\xba\xe9\x96\x93", 0, 1 },
	{ "\xcf\x87^2 \xc3\x97 3\xc2\xb0", 1, 1 }, { "\xe3\x81\xaf", 0, 1 }, { "\\text{\xe6\xb8\xa9\xe5\xba\xa6 T}x", 0, 1 },
	{ "\\textbf{\xe7\xa2\xba}\xe7\x8e\x87", 0, 1 }, { "\\text{a-b (c), d.}", 0, 1 }, { "\\textbf{-J}", 0, 1 },
	{ "\\left( \xe3\x81\xaf \\right)", 0, 1 }, { "x^\xe3\x81\xaf", 1, 1 },
	{ "\\begin{aligned} a &= b\xe3\x80\x80 \\\\ &= c \\end{aligned}", 1, 1 },
	{ "\xc3\xa9", 0, 0 }, { "e\xcc\x81", 0, 0 }, { "\\text{\xc3\x97}", 0, 0 }, { "\\mathrm{\xe3\x81\xaf}", 0, 0 },
	{ "\xf0\x9d\x91\xa5", 0, 0 }, { "a\xff", 0, 0 }, { "a\xe3\x81", 0, 0 }, { "\xe0\x81\x81", 0, 0 },
	{ "\\text{a--b}", 0, 0 }, { "\\text{a''}", 0, 0 }, { "\\text{a<b}", 0, 0 }, { "\\left\xe3\x80\x88 x \\right)", 0, 0 },
	/* \\ that ends no row (a kramdown-escaped brace: \\{), \mod, roots,
	 * a script with no base, a superscript after primes, \xrightarrow */
	{ "H(\\\\{ \\sigma_i \\\\}) = -J", 1, 1 }, { "(1,0)\\\\\n(0,1)", 0, 1 }, { "{a \\\\ b}", 1, 1 },
	{ "a \\\\", 0, 1 }, { "a \\\\[2pt] b", 0, 0 }, { "a \\\\ [2pt] b", 0, 0 },
	{ "m+n \\mod 10", 0, 1 }, { "3\\times7 = 1 \\mod 10", 1, 1 }, { "x_{a \\mod p}", 1, 1 },
	{ "\\frac{a \\mod (n)}{2}", 0, 1 }, { "a \\mod", 0, 0 }, { "a \\mod^2 b", 0, 0 }, { "{\\mod}", 0, 0 },
	{ "\\sqrt[m]{2} = 2^{1/m}", 1, 1 }, { "\\sqrt[n]x", 0, 1 }, { "\\sqrt[10]{x}", 0, 0 }, { "\\sqrt[+]{x}", 0, 0 },
	{ "^t(x,y)", 0, 1 }, { "_1 x", 1, 1 }, { "{^2}", 0, 1 }, { "\\sum ^a", 1, 1 },
	{ "n_k'^2", 1, 1 }, { "x''^{ab}", 0, 1 }, { "x' ^2", 0, 0 }, { "x'^2^3", 0, 0 }, { "x'^2_1", 0, 1 },
	{ "\\vec{x}(0) \\xrightarrow{t} \\vec{x}(t)", 1, 1 }, { "\\xrightarrow{a+b}", 0, 1 }, { "\\xrightarrow{}", 0, 1 },
	{ "\\xrightarrow{+}", 0, 1 }, { "\\xrightarrow t", 0, 0 }, { "\\xrightarrow[a]{b}", 0, 0 },
	{ "U = \\sum_{\\<ij\\>} \\phi", 1, 0 },
	/* a font command over more than letters and digits: the font's
	 * variants for letters and digits, operators as they are */
	{ "\\mathcal{F^{-1}}[\\tilde{f}]", 1, 1 }, { "\\mathrm{ab^2 c_{i+1}}", 0, 1 }, { "\\mathbf{x_1 + y}", 0, 1 },
	{ "\\mathcal{F^{12}}", 0, 1 }, { "\\mathit{x^{2}}", 0, 1 }, { "\\mathrm{(x)}", 0, 1 },
	{ "\\mathrm{a/b}", 0, 0 }, { "\\mathrm{x\\,y}", 0, 0 }, { "\\mathbf{f'}", 0, 0 }, { "\\mathcal{F'}", 0, 0 },
	{ "\\mathrm{x^\\alpha}", 0, 0 }, { "\\mathrm{x_{\\alpha}}", 0, 0 }, { "\\mathbf{\xce\xb1 x}", 0, 0 },
	{ "\\boldsymbol{x^2}", 0, 0 }, { "\\mathrm{a \\mathbf{b}}", 0, 0 },
};
#define T_N (sizeof T_f / sizeof T_f[0])

/* What the book gets from KaTeX for (tex, display), or NULL. */
static char *
T_katex(bb_js *js, const char *tex, size_t len, int display)
{
	char *err = NULL, *m = bb_math_mathml(js, tex, len, display, &err);

	free(err);
	return m;
}

/* When the fast path says KaTeX fails on (tex, display): a failure
 * unless KaTeX's error is those bytes; 1 then, else 0. */
static int
T_err(bb_js *js, const char *tex, size_t len, int display, const char *where)
{
	char *e = bb_mathfast_error_any(tex, len, display), *err = NULL, *m;

	if (!e)
		return 0;
	m = bb_math_mathml(js, tex, len, display, &err);
	CHECK(m == NULL && err != NULL);
	if (err && strcmp(e, err) != 0) {
		CHECK_STR(e, err);
		fprintf(stderr, "# %s: error differs on %.*s\n", where, (int)len, tex);
	}
	free(e);
	free(err);
	free(m);
	return 1;
}

/* Compares the fast path with KaTeX on (tex, display): 1 when it takes
 * the formula; a failure when it takes it and the bytes differ (or says
 * KaTeX fails with an error KaTeX does not give). */
static int
T_one(bb_js *js, const char *tex, size_t len, int display, const char *where)
{
	char *f = bb_mathfast_any(tex, len, display), *k;

	if (!f) {
		T_err(js, tex, len, display, where);
		return 0;
	}
	k = T_katex(js, tex, len, display);
	CHECK(k != NULL);
	if (!k)
		fprintf(stderr, "# %s: KaTeX fails on %s%.*s\n", where, display ? "(display) " : "", (int)len, tex);
	if (k && strcmp(f, k) != 0) {
		CHECK_STR(f, k);
		fprintf(stderr, "# %s: differs on %s%.*s\n", where, display ? "(display) " : "", (int)len, tex);
	}
	free(f);
	free(k);
	return 1;
}

static void
T_ours(bb_js *js)
{
	size_t i;

	for (i = 0; i < T_N; i++) {
		int taken = T_one(js, T_f[i].tex, strlen(T_f[i].tex), T_f[i].display, "ours");
		if (taken != T_f[i].taken)
			fprintf(stderr, "# fast path %s %s\n", taken ? "takes" : "leaves", T_f[i].tex);
		CHECK(taken == T_f[i].taken);
	}
	/* KaTeX's error written without it: a control symbol it lacks, met
	 * before anything the fast path does not take, in ASCII TeX */
	{
		static const struct { const char *tex; int display, known; } e[] = {
			{ "U = \\sum_{\\<ij\\>} \\phi(r_{ij})", 1, 1 }, { "\\<", 0, 1 }, { "x \\? y", 0, 1 },
			{ "\\frac{a}{\\1}", 1, 1 }, { "\\text{a} \\< 12345678901234567890", 0, 1 },
			{ "a_{\\@}", 0, 0 } /* a control word: KaTeX marks the spaces after it too */, { "x^\\<", 0, 0 }, { "\\foo \\<", 0, 0 }, { "a \\\\ \\<", 1, 0 },
			{ "\\mathrm{a\\<}", 0, 0 }, { "\xce\xb1 \\<", 0, 0 }, { "\\left\\< a \\right)", 0, 0 },
			{ "\\alpha", 0, 0 }, { "\\foo", 0, 0 },
		};
		for (i = 0; i < sizeof e / sizeof e[0]; i++) {
			int known = T_err(js, e[i].tex, strlen(e[i].tex), e[i].display, "ours");
			if (known != e[i].known)
				fprintf(stderr, "# error %s for %s\n", known ? "known" : "not known", e[i].tex);
			CHECK(known == e[i].known);
		}
	}
	/* the check of the installed KaTeX: this one is the version copied */
	{
		char *m = bb_mathfast("x", 1, 0);
		CHECK(m != NULL);
		free(m);
	}
}

/* KaTeX's side gives the book's bytes too: the annotation of a display
 * formula with a break at the top (rendered as gathered rows) keeps the
 * TeX as an XML parser reads it, CR LF as LF, quotes bare. */
static void
T_gathered(bb_js *js)
{
	static const char tex[] = "a' \\\\ \"b\"\r\nc < d";
	char *m = T_katex(js, tex, sizeof tex - 1, 1);

	CHECK(m && strstr(m, "<annotation encoding=\"application/x-tex\">a' \\\\ \"b\"\nc &lt; d</annotation>"));
	CHECK(m && strstr(m, "<mtable"));
	free(m);
}

/* ---- the shared corpora ---- */

typedef struct {
	bb_math_spans all;     /* every formula found, with repeats */
	size_t files;
} T_corpus;

/* Adds the math of the Markdown file at path, as each dialect finds it. */
static void
T_file(const char *path, void *ctx)
{
	T_corpus *c = ctx;
	char *data = NULL;
	size_t len = 0;
	int d;

	if (bb_read_file(path, (size_t)16 << 20, &data, &len) != 0) {
		free(data);
		return;
	}
	c->files++;
	for (d = BB_MATHSCAN_KRAMDOWN; d <= BB_MATHSCAN_COMMONMARK; d++)
		bb_mathscan_markdown(data, len, d,
			BB_MATHSCAN_DDOLLAR | BB_MATHSCAN_DOLLAR | BB_MATHSCAN_PAREN | BB_MATHSCAN_BRACKET
				| BB_MATHSCAN_ENV | BB_MATHSCAN_TAGS
				| (d == BB_MATHSCAN_KRAMDOWN ? BB_MATHSCAN_DOLLAR_LOOSE : 0),
			1, &c->all);
	free(data);
}

/* Orders spans by display, then TeX. */
static int
T_cmp(const void *a, const void *b)
{
	const bb_math_span *x = a, *y = b;

	if (x->display != y->display)
		return x->display - y->display;
	if (x->tex_len != y->tex_len)
		return x->tex_len < y->tex_len ? -1 : 1;
	return memcmp(x->tex, y->tex, x->tex_len);
}

/* Every formula of one corpus: the fast path against KaTeX. */
static size_t
T_corpus_run(bb_js *js, const char *root, const char *name, size_t *total)
{
	char *dir = bb_xasprintf("%s/%s", root, name);
	T_corpus c;
	size_t i, taken = 0, n = 0;
	clock_t t0;
	double fast;

	memset(&c, 0, sizeof c);
	tap_walk_markdown(dir, T_file, &c, 0);
	free(dir);
	t0 = clock();
	for (i = 0; i < c.all.n; i++)
		free(bb_mathfast_any(c.all.v[i].tex, c.all.v[i].tex_len, c.all.v[i].display));
	fast = (double)(clock() - t0) / CLOCKS_PER_SEC;
	printf("# %s: the fast path on all %zu formulas found (repeats too): %.1f ms\n", name, c.all.n, fast * 1000);
	/* each distinct (display, TeX) once: the dialects find most twice */
	if (c.all.n)
		qsort(c.all.v, c.all.n, sizeof *c.all.v, T_cmp);
	for (i = 0; i < c.all.n; i++) {
		if (i && T_cmp(&c.all.v[i - 1], &c.all.v[i]) == 0)
			continue;
		n++;
		taken += (size_t)T_one(js, c.all.v[i].tex, c.all.v[i].tex_len, c.all.v[i].display, name);
	}
	printf("# %s: %zu files, %zu distinct formulas, fast path takes %zu"
		" (%.0f%%)\n", name, c.files, n, taken, n ? 100.0 * (double)taken / (double)n : 0.0);
	*total += n;
	bb_math_spans_free(&c.all);
	return taken;
}

static void
T_corpora(bb_js *js)
{
	static const char *const names[] = { "kaityo256-blog", "jekyll-chirpy-math", "jessfraz-hugo",
		"zola-tabi-demo", "hugo-loveit-bundles", NULL };
	char *root = tap_shared("corpora");
	struct stat sb;
	size_t i, taken = 0, total = 0;

	if (stat(root, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		SKIP("corpora", "no BB_SHARED/corpora");
		free(root);
		return;
	}
	for (i = 0; names[i]; i++)
		taken += T_corpus_run(js, root, names[i], &total);
	free(root);
	/* the corpora hold thousands of formulas; most are simple ones */
	CHECK(total > 3000);
	CHECK(taken * 2 > total);
}

int
main(void)
{
	char *err = NULL;
	bb_js *js = bb_js_new(NULL, &err);

	CHECK(js != NULL);
	if (!js) {
		fprintf(stderr, "# no engine: %s\n", err ? err : "?");
		free(err);
		return TEST_DONE();
	}
	T_ours(js);
	T_gathered(js);
	T_corpora(js);
	bb_js_free(js);
	bb_node_stop();
	return TEST_DONE();
}
