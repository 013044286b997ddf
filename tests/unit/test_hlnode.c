/* test_hlnode.c: highlight.js through Node.js asked ahead (issue 13's speed):
 * a post's blocks asked in one round trip give the bytes asked one by one
 * give (and Duktape gives), Node starts while the posts are read only for a
 * blog that will ask it, and the sniffs behind that. */
#define _POSIX_C_SOURCE 200809L
#include "blogbind.h"
#include "formula.h"
#include "highlight.h"
#include "hljs_map.h"
#include "js.h"
#include "jsnode.h"
#include "mathscan.h"
#include "util.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Blocks of a post: languages highlight.js does, one it does not know, one
 * the native tokenizer does, plain text, a Qiita name, a repeat. */
static const struct { const char *lang, *code; } T_b[] = {
	{ "haskell", "main = putStrLn \"<hi>\" -- a comment\n{- block -}\n" },
	{ "lisp", "(defun f (x) (* x 2)) ; c\n" },
	{ "erlang", "f(X) -> 'b' + X. % note\n" },
	{ "ocaml", "let x = 1 (* a <c> *)\n" },
	{ "Scala", "object A { def f = \"<ok>\" }\n" },
	{ "gdb", "(gdb) break main\n" },
	{ "cpp", "int main() { return 0; } // c\n" },
	{ "text", "plain <text>\n" },
	{ "lua:init.lua", "local x = 1 -- comment\n" },
	{ "haskell", "main = putStrLn \"<hi>\" -- a comment\n{- block -}\n" },
};
#define T_N (sizeof T_b / sizeof T_b[0])

/* Highlights every block in a fresh engine (after a prefetch of them all
 * when ahead is set); res[i] is the fragment, "PLAIN" or "ERR" and the
 * error. *calls gets the Node calls the highlighting itself made. */
static void
T_run(int ahead, char **res, unsigned long *calls)
{
	char *err = NULL;
	bb_js *js = bb_js_new(NULL, &err);
	const char *lang[T_N], *code[T_N];
	size_t len[T_N], i;
	unsigned long before;

	CHECK(js != NULL);
	for (i = 0; i < T_N; i++) {
		lang[i] = T_b[i].lang;
		code[i] = T_b[i].code;
		len[i] = strlen(code[i]);
		res[i] = NULL;
	}
	if (!js)
		return;
	/* loaded before counting: the scripts are no call */
	bb_node_require(BB_JS_HLJS_PATH, NULL, NULL);
	if (ahead) {
		CHECK(bb_highlight_asked(js, "haskell", code[0], len[0]) == 0);
		bb_highlight_prefetch(js, T_N, lang, code, len);
		CHECK(bb_highlight_asked(js, "haskell", code[0], len[0]) == 1);
		CHECK(bb_highlight_asked(js, "Haskell", code[0], len[0]) == 1);
		CHECK(bb_highlight_asked(js, "haskell", code[1], len[1]) == 0);
	}
	/* not highlight.js's: nothing to ask ahead */
	CHECK(bb_highlight_asked(js, "cpp", code[6], len[6]) == 1);
	CHECK(bb_highlight_asked(js, "text", code[7], len[7]) == 1);
	before = bb_node_calls();
	for (i = 0; i < T_N; i++) {
		char *h = bb_highlight(js, lang[i], code[i], len[i], &err);
		res[i] = h ? h : err ? bb_xasprintf("ERR %s", err) : bb_xstrdup("PLAIN");
		free(err);
		err = NULL;
	}
	*calls = bb_node_calls() - before;
	bb_js_free(js);
}

/* 1 when jsnode.c will find a Node.js to start. */
static int
T_node(void)
{
	const char *e = getenv("BB_NODE");

	return e ? *e && strcmp(e, "none") != 0 && access(e, X_OK) == 0 : access("/usr/bin/node", X_OK) == 0;
}

static void
T_ahead(void)
{
	char *one[T_N], *ahead[T_N], *duk[T_N];
	unsigned long c1 = 0, c2 = 0, c3 = 0;
	size_t i;

	if (!T_node()) {
		SKIP("ahead", "no Node.js");
		return;
	}
	T_run(0, one, &c1);
	T_run(1, ahead, &c2);
	/* every block that goes to highlight.js was asked, then taken */
	CHECK(c1 >= 6);
	CHECK(c2 == 0);
	bb_node_stop();
	setenv("BB_NODE", "none", 1);
	T_run(1, duk, &c3);
	unsetenv("BB_NODE");
	bb_node_stop();
	CHECK(c3 == 0);
	for (i = 0; i < T_N; i++) {
		CHECK_STR(ahead[i], one[i]);
		CHECK_STR(duk[i], one[i]);
	}
	CHECK(strstr(one[0], "hljs-comment") != NULL);
	CHECK_STR(one[5], "PLAIN");
	CHECK_STR(one[7], "PLAIN");
	for (i = 0; i < T_N; i++) {
		free(one[i]);
		free(ahead[i]);
		free(duk[i]);
	}
}

static void
T_sniffs(void)
{
	static const struct { const char *text; int hl, math; } t[] = {
		{ "```cpp\nint x;\n```\n", 0, 0 },
		{ "text\n```haskell\nx\n```\n", 1, 0 },
		{ "  ~~~ lisp\n(a)\n~~~\n", 1, 0 },
		/* the native tokenizer's since issue 13's speed work */
		{ "```tex\n\\x\n```\n", 0, 0 },
		{ "  ~~~ makefile\nall:\n~~~\n", 0, 0 },
		{ "```pascal\nbegin end.\n```\n", 0, 0 },
		{ "```md\n# T\n```\n", 0, 0 },
		{ "```d\nint x;\n```\n", 0, 0 },
		{ "```sql\nselect 1;\n```\n", 0, 0 },
		{ "```vim\nlet x = 1\n```\n", 0, 0 },
		/* a name highlight.js cannot have (not ASCII once in lower case) */
		{ "```\xe3\x80\x80\nx\n```\n", 0, 0 },
		{ "```\nno language\n```\n", 0, 0 },
		{ "```text\nplain\n```\n", 0, 0 },
		{ "```ruby\nputs 1\n```\n", 0, 0 },
		{ "{% highlight erlang %}\nf() -> 1.\n{% endhighlight %}\n", 1, 0 },
		{ "{% highlight python %}\nx = 1\n{% endhighlight %}\n", 0, 0 },
		{ "    ```tex (indented code)\n", 0, 0 },
		{ "it costs $5 and $6\n", 0, 0 },
		{ "it costs $5\nand $6\n", 0, 0 },
		{ "where $x$ is\n", 0, 1 },
		{ "$$x^2$$\n", 0, 1 }, { "$$\\overset{a}{b}$$ $$x$$\n", 0, 2 },
		{ "$$x$$ \\begin{align}\\overset{a}{b}\\end{align}", 0, 2 },
		{ "$$\\begin{aligned} a \\end{aligned}$$\n", 0, 1 },
		{ "where \\(\\overset{a}{b}\\) is\n", 0, 2 },
		{ "\\begin{align}\\overset{a}{b}\\end{align}", 0, 2 },
		{ "a \\[\\overset{a}{b}\\]", 0, 2 },
		/* the raw look's 2, checked by the math scanner: formulas the
		 * fast path takes (or whose error it knows), delimiters in code,
		 * a $$ never closed: no Node */
		{ "$$x$$ \\begin{align}a\\end{align}", 0, 1 }, { "where \\(a\\) is\n", 0, 1 },
		{ "\\begin{align}a\\end{align}", 0, 1 }, { "a \\[b\\]", 0, 1 }, { "$$x$$ and $$y\n", 0, 1 },
		{ "```\nre = /\\[a-z]/\n```\n$$x$$\n", 0, 1 }, { "a `\\(` b\n", 0, 1 },
		{ "$$\\sum_{\\<ij\\>} x$$\n", 0, 1 }, { "```\n\\[\\overset{a}{b}\\]\n```\n", 0, 1 },
		/* a dollar typo, math in goldmark's reading only */
		{ "a $(p,q)\xe7\xa9\xba$$(p,q)$ b\n", 0, 2 },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		size_t n = strlen(t[i].text);
		if (bb_highlight_sniff(t[i].text, n) != t[i].hl || bb_formula_sniff(t[i].text, n, BB_FORMULA_ANY) != t[i].math)
			fprintf(stderr, "  sniff: %s", t[i].text);
		CHECK(bb_highlight_sniff(t[i].text, n) == t[i].hl);
		CHECK(bb_formula_sniff(t[i].text, n, BB_FORMULA_ANY) == t[i].math);
	}
	/* in kramdown's reading (the blog's), the typo is no formula */
	CHECK(bb_formula_sniff("a $(p,q)\xe7\xa9\xba$$(p,q)$ b\n", 22, BB_MATHSCAN_KRAMDOWN) == 1);
	CHECK(bb_formula_sniff("a $(p,q)\xe7\xa9\xba$$(p,q)$ b\n", 22, BB_MATHSCAN_GOLDMARK) == 2);
}

static char T_root[256];
static char T_said[8192];

static void
T_diag(void *ctx, const bb_diag *d)
{
	(void)ctx;
	/* warnings only: notes say how long things took */
	if (d->severity != BB_NOTE && strlen(T_said) + strlen(d->message) + strlen(d->path ? d->path : "") + 3
		< sizeof T_said) {
		strcat(T_said, d->path ? d->path : "");
		strcat(T_said, " ");
		strcat(T_said, d->message);
		strcat(T_said, "\n");
	}
}

/* The bytes of file path (caller frees), *n its length. */
static char *
T_slurp(const char *path, size_t *n)
{
	char *s = NULL;

	*n = 0;
	if (bb_read_file(path, 64u << 20, &s, n) != 0)
		return NULL;
	return s;
}

/* Binds a one-post blog whose post body is body; 1 when Node was started
 * (bb_node_starts: a started process may be killed before it runs
 * anything, so nothing it would leave can tell). */
static int
T_started(const char *body)
{
	char cmd[1024], book[400];
	bb_options o;
	unsigned long before = bb_node_starts();
	FILE *f;

	snprintf(cmd, sizeof cmd, "rm -rf '%s/blog' && mkdir -p '%s/blog/_posts'", T_root, T_root);
	CHECK(system(cmd) == 0);
	snprintf(cmd, sizeof cmd, "%s/blog/_posts/2024-01-01-a.md", T_root);
	if ((f = fopen(cmd, "w"))) {
		fprintf(f, "---\ntitle: A\n---\n%s", body);
		fclose(f);
	}
	snprintf(book, sizeof book, "%s/a.epub", T_root);
	snprintf(cmd, sizeof cmd, "%s/blog", T_root);
	bb_options_init(&o);
	o.source_dir = cmd;
	o.output = book;
	CHECK(bb_build(&o, NULL) == 0);
	return bb_node_starts() != before;
}

/* Binds the blog at T_root/blog with jobs threads into T_root/NAME.epub;
 * returns the book's bytes (caller frees), the messages in T_said. */
static char *
T_bind(int jobs, const char *name, size_t *n)
{
	char dir[400], book[400];
	bb_options o;

	snprintf(dir, sizeof dir, "%s/blog", T_root);
	snprintf(book, sizeof book, "%s/%s.epub", T_root, name);
	bb_options_init(&o);
	o.source_dir = dir;
	o.output = book;
	o.jobs = jobs;
	o.diag = T_diag;
	T_said[0] = '\0';
	CHECK(bb_build(&o, NULL) == 0);
	return T_slurp(book, n);
}

/* Posts that seem to need Node are rendered after the others (build.c):
 * the book and the order of its messages are those of one thread in post
 * order, with Node and without. */
static void
T_order(void)
{
	char cmd[600], said1[8192], *one, *two, *duk;
	size_t n1, n2, n3;
	int i;

	snprintf(cmd, sizeof cmd, "rm -rf '%s/blog' && mkdir -p '%s/blog/_posts'", T_root, T_root);
	CHECK(system(cmd) == 0);
	for (i = 0; i < 8; i++) {
		FILE *f;
		snprintf(cmd, sizeof cmd, "%s/blog/_posts/2024-01-%02d-p%d.md", T_root, i + 1, i);
		if (!(f = fopen(cmd, "w")))
			continue;
		fprintf(f, "---\ntitle: P%d\n---\n![](missing%d.png)\n\n%s\n", i, i,
			i % 3 == 0 ? "$$\\overbrace{a+b}^{n} \\xrightarrow[x]{y}$$\n\n```haskell\nx -- a\n```"
			: i % 3 == 1 ? "plain" : "where $\\hat{H}\\psi$ is");
		fclose(f);
	}
	setenv("SOURCE_DATE_EPOCH", "1", 1);
	one = T_bind(1, "one", &n1);
	snprintf(said1, sizeof said1, "%s", T_said);
	two = T_bind(2, "two", &n2);
	CHECK(one && two && n1 == n2 && memcmp(one, two, n1) == 0);
	CHECK_STR(T_said, said1);
	CHECK(strstr(said1, "missing0.png") && strstr(said1, "missing7.png")
		&& strstr(said1, "missing0.png") < strstr(said1, "missing1.png"));
	setenv("BB_NODE", "none", 1);
	duk = T_bind(2, "duk", &n3);
	unsetenv("BB_NODE");
	unsetenv("SOURCE_DATE_EPOCH");
	CHECK(one && duk && n1 == n3 && memcmp(one, duk, n1) == 0);
	CHECK_STR(T_said, said1);
	free(one);
	free(two);
	free(duk);
}

static void
T_prewarm(void)
{
	if (!T_node()) {
		SKIP("prewarm", "no Node.js");
		return;
	}
	snprintf(T_root, sizeof T_root, "/tmp/bb-hlnode-%ld", (long)getpid());
	mkdir(T_root, 0700);
	/* code the native tokenizer does and a formula the C path does: no Node */
	CHECK(T_started("```cpp\nint x;\n```\n\n$x^2$ costs $5.\n") == 0);
	/* a language only highlight.js knows; display math */
	CHECK(T_started("```haskell\nx\n```\n") == 1);
	/* the five of kaityo256's that went to highlight.js (issue 13) */
	CHECK(T_started("```pascal\nbegin end.\n```\n\n```tex\n\\x % c\n```\n\n```md\n# T\n```\n\n"
		"```makefile\nall: $(X)\n```\n\n```d\n/+ c +/ int x;\n```\n\n```latex\n\\y\n```\n") == 0);
	/* and the rest of kaityo256's, and a name of a full-width space */
	CHECK(T_started("```vim\nlet x = 1\n```\n\n```sql\nselect 1;\n```\n\n```dockerfile\nFROM a\n```\n\n"
		"```powershell\n$x = 1\n```\n\n```pl\nmy $x;\n```\n\n```llvm\n; c\n```\n\n```diff\n-a\n```\n\n"
		"```fortran\n! c\n```\n\n```as\nvar x;\n```\n\n```ps\n$x\n```\n\n```patch\n+a\n```\n\n"
		"```\xe3\x80\x80\nx\n```\n") == 0);
	/* a language highlight.js does not know either (hljs_map.h): plain
	 * text without Node; with one it knows, Node */
	CHECK(T_started("```gdb\n(gdb) run\n```\n\n~~~ Slim\np x\n~~~\n") == 0);
	CHECK(T_started("```gdb\n(gdb) run\n```\n\n```haskell\nx\n```\n") == 1);
	CHECK(T_started("$$\\overset{a}{b} \\\\ b$$\n") == 1);
	/* display math the C path takes (mathfast.h): no Node */
	CHECK(T_started("$$\\begin{pmatrix} a \\\\ b \\end{pmatrix}$$\n") == 0);
	/* the raw look's delimiters checked with the math scanner: in code,
	 * or formulas whose error the C path knows (\\< is not KaTeX's), no
	 * Node; a formula the scanner finds that KaTeX must render, Node */
	CHECK(T_started("text\n\n    $$\\overset{a}{b}$$ (code)\n") == 0);
	CHECK(T_started("```\n\\[\\overset{a}{b}\\]\n```\n\n$$x$$ and `\\(`\n") == 0);
	CHECK(T_started("$$\\sum_{\\<ij\\>} x$$\n\n\\begin{align} a \\end{align}\n") == 0);
	CHECK(T_started("text\n\n$$\\begin{align} \\overset{a}{b} \\end{align}$$\n") == 1);
	T_order();
	{
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", T_root);
		CHECK(system(cmd) == 0);
	}
}

/* Blocks for T_lazy: a name that is another language's alias (c is
 * arduino's, which is registered after cpp and asks for it), one needing
 * another (dockerfile: bash), one whose subLanguage list is empty (http:
 * all languages), one with several (html), aliases, names it does not know. */
static const struct { const char *lang, *code; } T_z[] = {
	{ "c", "int main(void) { return 0; } /* c */\n" },
	{ "dockerfile", "FROM debian\nRUN echo $HOME && ls -l\n" },
	{ "html", "<style>p { color: red }</style><script>var x = 1;</script><p>t</p>\n" },
	{ "pascal", "program x; begin writeln('a') end.\n" },
	{ "md", "# T\n\n*em* <b>x</b>\n" },
	{ "constructor", "x\n" },
	{ "gdb", "(gdb) run\n" },
	{ "http", "POST /a HTTP/1.1\nHost: a\n\nx = 1\n" },
};
#define T_ZN (sizeof T_z / sizeof T_z[0])

/* Highlights T_z with highlight.js only (bb_highlight_js) in a fresh
 * engine; *nlang gets the languages Node registered before http (0: not
 * asked). */
static void
T_zrun(char **res, long *nlang)
{
	char *err = NULL, *out = NULL;
	bb_js *js = bb_js_new(NULL, &err);
	size_t i, len = 0;

	*nlang = 0;
	CHECK(js != NULL);
	for (i = 0; i < T_ZN; i++) {
		char *h;
		if (strcmp(T_z[i].lang, "http") == 0 && bb_node_require(NULL, "test_hlnode",
			"function __t_n() { return String(hljs.listLanguages().length); }") == 0
			&& bb_node_call("__t_n", 0, NULL, NULL, &out, &len, NULL) == 0) {
			*nlang = atol(out);
			free(out);
		}
		h = js ? bb_highlight_js(js, T_z[i].lang, T_z[i].code, strlen(T_z[i].code), &err) : NULL;
		res[i] = h ? h : err ? bb_xasprintf("ERR %s", err) : bb_xstrdup("PLAIN");
		free(err);
		err = NULL;
	}
	if (js)
		bb_js_free(js);
}

/* highlight.js in Node registers only the languages asked for (hljs_map.h)
 * and gives the bytes Duktape gives, which registers them all. */
static void
T_lazy(void)
{
	char *node[T_ZN], *duk[T_ZN], *data = NULL;
	long nl = 0, nd = 0;
	size_t i, len = 0;
	int same;

	(void)S_hljs_map;
	if (!T_node()) {
		SKIP("lazy", "no Node.js");
		return;
	}
	same = bb_read_file(BB_JS_HLJS_PATH, (size_t)8 << 20, &data, &len) == 0 && len == BB_HLJS_MAP_LEN
		&& bb_fnv1a(BB_FNV_SEED, data, len) == BB_HLJS_MAP_FNV;
	free(data);
	bb_node_stop();
	T_zrun(node, &nl);
	bb_node_stop();
	setenv("BB_NODE", "none", 1);
	T_zrun(duk, &nd);
	unsetenv("BB_NODE");
	/* http's auto-detection over every language is past Duktape's
	 * work limit: its bytes are those the whole highlight.js gave */
	for (i = 0; i + 1 < T_ZN; i++)
		CHECK_STR(node[i], duk[i]);
	CHECK(nd == 0);
	if (!same)
		SKIP("lazy count", "highlight.js is not the file of hljs_map.h");
	else {
		CHECK_STR(node[T_ZN - 1], "<span class=\"hljs-keyword\">POST</span> <span class=\"hljs-string\">/a</span> "
			"HTTP/1.1\n<span class=\"hljs-attribute\">Host</span>: a\n\n<span class=\"ini\"><span class=\"hljs-attr\">x"
			"</span> = <span class=\"hljs-number\">1</span>\n</span>");
		/* c (arduino, cpp), dockerfile (bash), html (xml and the five
		 * it embeds), pascal (delphi), md (markdown): 12 of 185 */
		CHECK(nl > 0 && nl <= 12);
	}
	for (i = 0; i < T_ZN; i++) {
		free(node[i]);
		free(duk[i]);
	}
}

/* What Node answers for a glue function fn (defined by glue), or "". */
static char *
T_ask(const char *fn, const char *glue)
{
	char *out = NULL;
	size_t len = 0;

	if (bb_node_require(NULL, fn, glue) == 0 && bb_node_call(fn, 0, NULL, NULL, &out, &len, NULL) == 0)
		return out;
	free(out);
	return bb_xstrdup("");
}

/* The prewarm has Node register and compile the languages a post names for
 * highlight.js (haskell, lisp; not cpp, the native tokenizer's) before any
 * block asks, and the blocks' bytes are those of a cold engine. */
static void
T_warm(void)
{
	static const char text[] = "```haskell\nx\n```\n\n~~~ lisp\n(a)\n~~~\n\n```cpp\nint x;\n```\n";
	static const char glue[] = "function __t_w() { var r = [], i, n = ['haskell', 'lisp', 'cpp'];\n"
		"  for (i = 0; i < n.length; i++) r.push(n[i] + '=' + !!(hljs.getLanguage(n[i]) || {}).compiled);\n"
		"  return r.join(' '); }";
	char *got, *one[T_N], *warm[T_N];
	unsigned long c1 = 0, c2 = 0;
	size_t i;

	if (!T_node()) {
		SKIP("warm", "no Node.js");
		return;
	}
	bb_node_stop();
	bb_highlight_prewarm(text, sizeof text - 1);
	got = T_ask("__t_w", glue);
	/* cpp is arduino's or not registered: not compiled either way */
	CHECK_STR(got, "haskell=true lisp=true cpp=false");
	free(got);
	T_run(0, warm, &c2);
	bb_node_stop();
	T_run(0, one, &c1);
	bb_node_stop();
	for (i = 0; i < T_N; i++) {
		CHECK_STR(warm[i], one[i]);
		free(one[i]);
		free(warm[i]);
	}
}

/* Warming more languages than Node's table of names holds leaves room
 * for KaTeX: a blog naming 80 languages still gets its formulas from Node. */
static const char *const T_many[] = {
	"hsp", "applescript", "matlab", "gml", "smali", "lsl", "markdown", "dart", "parser3", "sql",
	"perl", "gauss", "awk", "tap", "rib", "prolog", "actionscript", "ebnf", "fix", "bnf",
	"isbl", "reasonml", "maxima", "asciidoc", "flix", "leaf", "groovy", "armasm", "glsl", "q",
	"css", "elm", "ldif", "makefile", "coffeescript", "abnf", "dsconfig", "pony", "ocaml", "oxygene",
	"scilab", "angelscript", "r", "haskell", "taggerscript", "xl", "axapta", "purebasic", "zephir", "coq",
	"clojure", "csp", "mipsasm", "gams", "nimrod", "dts", "step21", "sml", "fsharp", "julia",
	"fortran", "basic", "ada", "puppet", "vim", "dos", "ceylon", "nsis", "nix", "mel", NULL
};

static void
T_warm_many(void)
{
	bb_buf text = BB_BUF_INIT;
	int i;

	if (!T_node()) {
		SKIP("warm many", "no Node.js");
		return;
	}
	bb_node_stop();
	for (i = 0; T_many[i]; i++)
		bb_buf_printf(&text, "```%s\nx\n```\n\n", T_many[i]);
	bb_highlight_prewarm(text.data, text.len);
	bb_buf_free(&text);
	CHECK(bb_node_require(BB_JS_KATEX_PATH, "test_hlnode.c:katex", "var __t_k = 1;") == 0);
	bb_node_stop();
}

int
main(void)
{
	T_sniffs();
	T_ahead();
	T_prewarm();
	T_lazy();
	T_warm();
	T_warm_many();
	return TEST_DONE();
}
