/* test_highlight.c: unit tests for code highlighting (highlight.c): token spans in C, Python and Ruby, text byte-identical to the source, unknown languages, line numbers, and a run over the fenced code of two shared corpora. */
#define _POSIX_C_SOURCE 200809L
#include "highlight.h"
#include "js.h"
#include "util.h"
#include "tap.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* CPU seconds of this thread (the machine may be shared: wall time lies). */
static double
T_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Returns the text of an XHTML fragment: tags removed, the entities
 * highlight.js writes decoded (caller frees; *n gets the length), or NULL
 * on an entity it does not know. */
static char *
T_text(const char *h, size_t *n)
{
	bb_buf b = BB_BUF_INIT;
	static const struct { const char *ent, *ch; } ents[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
		{ "&#x27;", "'" }, { "&#39;", "'" },
	};
	size_t i, k;

	bb_buf_puts(&b, "");
	for (i = 0; h[i]; ) {
		if (h[i] == '<') {
			const char *e = strchr(h + i, '>');
			if (!e)
				break;
			i = (size_t)(e - h) + 1;
		} else if (h[i] == '&') {
			for (k = 0; k < sizeof ents / sizeof ents[0]; k++)
				if (strncmp(h + i, ents[k].ent, strlen(ents[k].ent)) == 0)
					break;
			if (k == sizeof ents / sizeof ents[0]) {
				bb_buf_free(&b);
				return NULL;
			}
			bb_buf_puts(&b, ents[k].ch);
			i += strlen(ents[k].ent);
		} else {
			bb_buf_putc(&b, h[i++]);
		}
	}
	return bb_buf_detach(&b, n);
}

/* 1 when the text of h is exactly the n bytes of code. */
static int
T_same_text(const char *h, const char *code, size_t n)
{
	size_t tn = 0;
	char *t = T_text(h, &tn);
	int ok = t && tn == n && memcmp(t, code, n) == 0;

	free(t);
	return ok;
}

/* 1 when h, inside <code>, is well-formed XML. */
static int
T_wellformed(const char *h)
{
	bb_buf b = BB_BUF_INIT;
	xmlDoc *d;

	bb_buf_puts(&b, "<code>");
	bb_buf_puts(&b, h);
	bb_buf_puts(&b, "</code>");
	d = xmlReadMemory(b.data, (int)b.len, NULL, "UTF-8",
		XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	bb_buf_free(&b);
	xmlFreeDoc(d);
	return d != NULL;
}

/* Highlights code as lang, checks the contract, and that every span in
 * want (NULL-terminated) occurs. */
static int T_use_js;   /* 1: through highlight.js only (bb_highlight_js) */

static char *
T_hl(bb_js *js, const char *lang, const char *code, size_t n, char **err)
{
	return T_use_js ? bb_highlight_js(js, lang, code, n, err) : bb_highlight(js, lang, code, n, err);
}

static void
T_lang(bb_js *js, const char *lang, const char *code, const char *const *want)
{
	char *err = NULL;
	char *h = T_hl(js, lang, code, strlen(code), &err);

	CHECK(h != NULL);
	if (!h) {
		fprintf(stderr, "  %s: %s\n", lang, err ? err : "unknown language");
		free(err);
		return;
	}
	CHECK(err == NULL);
	CHECK(T_wellformed(h));
	CHECK(T_same_text(h, code, strlen(code)));
	for (; *want; want++) {
		if (!strstr(h, *want))
			fprintf(stderr, "  %s: no %s in\n%s\n", lang, *want, h);
		CHECK(strstr(h, *want) != NULL);
	}
	free(h);
}

static void
T_languages(bb_js *js)
{
	static const char *c_want[] = { "<span class=\"hljs-keyword\">int</span>",
		"<span class=\"hljs-keyword\">return</span>", "<span class=\"hljs-string\">",
		"<span class=\"hljs-comment\">/* a &lt;b&gt; &amp; c */</span>",
		"<span class=\"hljs-meta\">", NULL };
	static const char *py_want[] = { "<span class=\"hljs-keyword\">def</span>",
		"<span class=\"hljs-comment\"># \xe3\x82\xb3\xe3\x83\xa1\xe3\x83\xb3\xe3\x83\x88</span>",
		"<span class=\"hljs-string\">'caf\xc3\xa9 \xf0\x9f\x98\x80'</span>",
		"<span class=\"hljs-number\">42</span>", NULL };
	static const char *rb_want[] = { "<span class=\"hljs-keyword\">def</span>",
		"<span class=\"hljs-keyword\">end</span>", "<span class=\"hljs-string\">",
		"<span class=\"hljs-comment\">", NULL };
	static const char *rb_js_want[] = { "<span class=\"hljs-subst\">", NULL };
	static const char *sh_want[] = { "<span class=\"hljs-meta\">$ </span>",
		"<span class=\"hljs-built_in\">ls</span>", NULL };
	static const char *none[] = { NULL };
	static const char *asm_want[] = { "<span class=\"hljs-keyword\">mov</span>",
		"<span class=\"hljs-built_in\">rax</span>", "<span class=\"hljs-comment\">; exit</span>",
		"<span class=\"hljs-title\">_start:</span>", "<span class=\"hljs-meta\">section</span>", NULL };
	static const char *html_want[] = { "<span class=\"hljs-name\">p</span>",
		"<span class=\"hljs-attr\">class</span>", "<span class=\"hljs-string\">\"a&amp;amp;b\"</span>",
		"<span class=\"hljs-comment\">&lt;!-- c --&gt;</span>", "<span class=\"hljs-meta\">&lt;!DOCTYPE html&gt;</span>", NULL };
	/* issue 13: kaityo256's last languages for highlight.js, now native */
	static const char *pas_want[] = { "<span class=\"hljs-keyword\">procedure</span> <span class=\"hljs-title\">Go</span>",
		"<span class=\"hljs-keyword\">BEGIN</span>", "<span class=\"hljs-comment\">{ a &lt;c&gt; }</span>",
		"<span class=\"hljs-comment\">(* b *)</span>", "<span class=\"hljs-comment\">// d</span>",
		"<span class=\"hljs-meta\">{$R+}</span>", "<span class=\"hljs-string\">'it''s'</span>",
		"<span class=\"hljs-string\">#13#10</span>", NULL };
	static const char *d_want[] = { "<span class=\"hljs-comment\">/+ a /+ b +/ c +/</span>",
		"<span class=\"hljs-keyword\">@safe</span>", "<span class=\"hljs-keyword\">void</span>",
		"<span class=\"hljs-built_in\">string</span>", "<span class=\"hljs-string\">r\"a\\b\"</span>",
		"<span class=\"hljs-string\">\"x\\\"y\"c</span>", "<span class=\"hljs-comment\">// e</span>", NULL };
	static const char *tex_want[] = { "<span class=\"hljs-name\">\\documentclass</span><span class=\"hljs-string\">[a4]</span>"
		"<span class=\"hljs-string\">{article}</span>", "<span class=\"hljs-comment\">% c &amp; d</span>",
		"<span class=\"hljs-formula\">$x^2 </span><span class=\"hljs-name\">\\alpha</span><span class=\"hljs-formula\">$</span>",
		"<span class=\"hljs-name\">\\%</span>", "=<span class=\"hljs-number\">3pt</span>", NULL };
	static const char *md_want[] = { "<span class=\"hljs-section\"># Title</span>",
		"<span class=\"hljs-section\">Sub\n---</span>", "<span class=\"hljs-bullet\">* </span>",
		"<span class=\"hljs-bullet\">  1. </span>", "<span class=\"hljs-strong\">**b**</span>",
		"<span class=\"hljs-emphasis\">*e*</span>", "<span class=\"hljs-code\">`c &lt;x&gt;`</span>",
		"[<span class=\"hljs-string\">t</span>](<span class=\"hljs-link\">http://x</span>)",
		"<span class=\"hljs-quote\">&gt; q</span>", "<span class=\"hljs-code\">```c\nint *p;\n```</span>",
		"<span class=\"hljs-name\">b</span>", "snake_case", NULL };
	static const char *mk_want[] = { "<span class=\"hljs-section\">all: a.out </span><span class=\"hljs-comment\"># build</span>",
		"<span class=\"hljs-variable\">$(CC)</span>", "<span class=\"hljs-variable\">$@</span>",
		"<span class=\"hljs-meta\">.PHONY: all</span>",
		"<span class=\"hljs-variable\">$(</span><span class=\"hljs-built_in\">wildcard</span><span class=\"hljs-variable\"> *.c)</span>",
		"<span class=\"hljs-keyword\">ifeq</span>", "<span class=\"hljs-string\">\"a &amp; b\"</span>", NULL };
	static const char *diff_want[] = { "<span class=\"hljs-comment\">--- a/x</span>",
		"<span class=\"hljs-meta\">@@ -1 +1 @@</span> f", "<span class=\"hljs-deletion\">-old</span>",
		"<span class=\"hljs-addition\">+new &lt;b&gt;</span>", NULL };
	static const char *sql_want[] = { "<span class=\"hljs-keyword\">SELECT</span>", "<span class=\"hljs-keyword\">where</span>",
		"<span class=\"hljs-comment\">-- c</span>", "<span class=\"hljs-string\">'b'</span>", NULL };
	static const char *vim_want[] = { "<span class=\"hljs-comment\">\" comment</span>", "<span class=\"hljs-keyword\">let</span>",
		"<span class=\"hljs-string\">\"s\"</span> <span class=\"hljs-comment\">\" c2</span>", NULL };
	static const char *f_want[] = { "<span class=\"hljs-comment\">! c</span>", "<span class=\"hljs-keyword\">program</span> "
		"<span class=\"hljs-title\">p</span>", "<span class=\"hljs-keyword\">integer</span>", NULL };
	static const char *ll_want[] = { "<span class=\"hljs-comment\">; c</span>", "<span class=\"hljs-keyword\">define</span>",
		"<span class=\"hljs-built_in\">i32</span>", NULL };
	static const char *dock_want[] = { "<span class=\"hljs-keyword\">FROM</span>", "<span class=\"hljs-comment\"># c</span>",
		"<span class=\"hljs-built_in\">echo</span>", NULL };
	char *err = NULL, *h;

	T_lang(js, "pascal", "{ a <c> } (* b *) {$R+}\nprocedure Go; // d\nBEGIN writeln('it''s', #13#10, 1.5) END.\n",
		T_use_js ? none : pas_want);
	T_lang(js, "Delphi", "program p; begin end.\n", none);
	T_lang(js, "d", "#!/usr/bin/rdmd\n/+ a /+ b +/ c +/ @safe void main() { string s = r\"a\\b\" ~ \"x\\\"y\"c; } // e\n",
		T_use_js ? none : d_want);
	T_lang(js, "tex", "\\documentclass[a4]{article} % c & d\n$x^2 \\alpha$ \\% \\setlength{\\x}=3pt \\\n",
		T_use_js ? none : tex_want);
	T_lang(js, "md", "# Title\nSub\n---\n* a **b** *e* `c <x>` [t](http://x) <b>h</b> snake_case\n  1. n\n> q\n"
		"```c\nint *p;\n```\n***\n", T_use_js ? none : md_want);
	T_lang(js, "makefile", "SRC = $(wildcard *.c)\n.PHONY: all\nall: a.out # build\n\t$(CC) -o $@ $< \"a & b\"\n"
		"ifeq ($(X),1)\nendif\n", T_use_js ? none : mk_want);
	T_lang(js, "diff", "--- a/x\n+++ b/x\n@@ -1 +1 @@ f\n-old\n+new <b>\n", T_use_js ? none : diff_want);
	T_lang(js, "sql", "SELECT a, 'b' FROM t -- c\nwhere x > 1;\n", T_use_js ? none : sql_want);
	T_lang(js, "vim", "\" comment\nlet g:x = \"s\" \" c2\nset nu\n", T_use_js ? none : vim_want);
	T_lang(js, "fortran", "! c\nprogram p\n  integer :: i = 1\nend program\n", T_use_js ? none : f_want);
	T_lang(js, "llvm", "; c\ndefine i32 @f() {\n  ret i32 0\n}\n", T_use_js ? none : ll_want);
	T_lang(js, "dockerfile", "FROM debian # c\nRUN echo \"$HOME\"\n", T_use_js ? none : dock_want);
	T_lang(js, "powershell", "# c\nfunction F { $x = 'a' }\n", none);
	T_lang(js, "pl", "my $x = \"a\"; # c\nprint $x;\n", none);
	T_lang(js, "as", "var x:int = 1; // c\n", none);
	T_lang(js, "c",
		"#include <stdio.h>\n"
		"/* a <b> & c */\n"
		"int main(void)\n{\n\tprintf(\"%d\\n\", 1 < 2 && 3 > 2);\n\treturn 0;\n}\n", c_want);
	T_lang(js, "python",
		"# \xe3\x82\xb3\xe3\x83\xa1\xe3\x83\xb3\xe3\x83\x88\n"
		"def f(x):\n    s = 'caf\xc3\xa9 \xf0\x9f\x98\x80'\n    return x < 42 and \"\\\"q\\\"\"\n", py_want);
	T_lang(js, "ruby",
		"# greet\ndef greet(name)\n  puts \"Hello, #{name} & <you>\"\nend\n", rb_want);
	if (T_use_js)
		T_lang(js, "ruby", "puts \"#{x}\"\n", rb_js_want);
	/* aliases and case */
	T_lang(js, "C++", "template <class T> T f(T x) { return x; }\n", none);
	T_lang(js, "py", "import os\n", none);
	T_lang(js, "console", "$ ls -l > out\n", T_use_js ? none : sh_want);
	T_lang(js, "shell-session", "$ echo \"$HOME\" # home\n/root\n# whoami\n", none);
	T_lang(js, "rust", "/* a /* nested */ c */ fn main() { let x = 1..10; println!(\"{}\", 'a'); }\n", none);
	T_lang(js, "go", "func f() string { return `raw\n\\` } // c\n", none);
	T_lang(js, "js", "const s = `a ${b} \\` c`; /* x */ // y\n", none);
	T_lang(js, "yaml", "key: 'v' # c\nlist:\n  - \"a\\\"b\"\n", none);
	T_lang(js, "toml", "[a]\nb = 1.5e+3 # c\n", none);
	T_lang(js, "python", "'''doc\nstring''' ; r\"\\\" \" ; @dec\n", none);
	T_lang(js, "ruby", "=begin\nx\n=end\n:sym @iv defined?(x) 1..2 ?a\n", none);
	T_lang(js, "c", "#define X \\\n  1\n'\\''; \"unterminated\nint\n", none);
	T_lang(js, "nasm", "section .text\nglobal _start\n_start:\n  mov rax, 60 ; exit\n  db 'a', 0\n", T_use_js ? none : asm_want);
	T_lang(js, "html", "<!DOCTYPE html>\n<p class=\"a&amp;b\" id='x'>1 &lt; 2 <!-- c --></p>\n<br/>",
		T_use_js ? none : html_want);
	T_lang(js, "xml", "<?xml version=\"1.0\"?><a:b c:d=\"e\">t</a:b> <unclosed attr=\"", none);
	T_lang(js, "sh", "echo \"$HOME\" | tr a-z A-Z\n", none);
	/* Qiita's lang:file and a bare file name */
	T_lang(js, "cpp:main.cpp", "int x;\n", c_want + 0 + 5);
	h = bb_highlight(js, "main.rb", "def f\nend\n", 10, &err);
	CHECK(h && strstr(h, "<span class=\"hljs-keyword\">def</span>"));
	free(h);
	/* empty code */
	T_lang(js, "c", "", none);
	/* unknown language or plain text: NULL and no error */
	h = bb_highlight(js, "nosuchlanguage", "x = 1\n", 6, &err);
	CHECK(h == NULL && err == NULL);
	h = bb_highlight(js, "text", "x = 1\n", 6, &err);
	CHECK(h == NULL && err == NULL);
	h = bb_highlight(js, "", "x = 1\n", 6, &err);
	CHECK(h == NULL && err == NULL);
	h = bb_highlight(js, NULL, "x = 1\n", 6, &err);
	CHECK(h == NULL && err == NULL);
	/* not UTF-8: an error, the caller keeps the code */
	h = bb_highlight(js, "c", "int \xff;\n", 7, &err);
	CHECK(h == NULL && err != NULL);
	free(err);
	err = NULL;
	/* too long */
	{
		size_t n = BB_HIGHLIGHT_MAX + 1;
		char *big = bb_xmalloc(n + 1);
		memset(big, 'x', n);
		big[n] = '\0';
		h = bb_highlight(js, "c", big, n, &err);
		CHECK(h == NULL && err && strstr(err, "longer"));
		free(err);
		err = NULL;
		free(big);
	}
}

static void
T_lines(bb_js *js)
{
	const char *code = "/* one\n   two */\nint x;\n";
	char *err = NULL, *h, *l;

	h = bb_highlight(js, "c", code, strlen(code), &err);
	CHECK(h != NULL);
	if (!h)
		return;
	l = bb_highlight_lines(h, strlen(h), 9);
	/* three numbered lines, the comment span closed and reopened */
	CHECK_STR(l,
		"<span class=\"hl-line\"><span class=\"hl-ln\"> 9</span><span class=\"hljs-comment\">/* one</span></span>\n"
		"<span class=\"hl-line\"><span class=\"hl-ln\">10</span><span class=\"hljs-comment\">   two */</span></span>\n"
		"<span class=\"hl-line\"><span class=\"hl-ln\">11</span><span class=\"hljs-keyword\">int</span> x;</span>\n");
	CHECK(l && T_wellformed(l));
	free(l);
	free(h);
	l = bb_highlight_lines("a\nb", 3, 1);
	CHECK_STR(l, "<span class=\"hl-line\"><span class=\"hl-ln\">1</span>a</span>\n"
		"<span class=\"hl-line\"><span class=\"hl-ln\">2</span>b</span>\n");
	free(l);
	l = bb_highlight_lines("", 0, 1);
	CHECK_STR(l, "");
	free(l);
}

/* ---- fenced code of the shared corpora ---- */

typedef struct T_run {
	int max_blocks;
	int files, blocks, highlighted, unknown, errors, differ;
	size_t bytes;
	double secs;
	char unknown_langs[512];
} T_run;

/* Highlights one block of code in language lang and records the outcome. */
static void
T_block(bb_js *js, const char *lang, const char *code, size_t n, T_run *r)
{
	char *err = NULL, *h;
	double t0;

	if (r->max_blocks && r->blocks >= r->max_blocks)
		return;
	t0 = T_now();
	h = T_hl(js, lang, code, n, &err);
	r->secs += T_now() - t0;
	if (getenv("T_SLOW") && T_now() - t0 > 0.02)
		fprintf(stderr, "  slow: %s %zu bytes %.3fs\n", lang, n, T_now() - t0);
	r->blocks++;
	r->bytes += n;
	if (h) {
		r->highlighted++;
		if (!T_same_text(h, code, n) || !T_wellformed(h)) {
			r->differ++;
			fprintf(stderr, "  text differs: lang %s\n", lang);
		}
		free(h);
	} else if (err) {
		r->errors++;
		fprintf(stderr, "  %s: %s\n", lang, err);
		free(err);
	} else {
		r->unknown++;
		if (!strstr(r->unknown_langs, lang)
			&& strlen(r->unknown_langs) + strlen(lang) + 2 < sizeof r->unknown_langs) {
			strcat(r->unknown_langs, " ");
			strcat(r->unknown_langs, lang);
		}
	}
}

/* Highlights every {% highlight LANG %} ... {% endhighlight %} in s. */
static void
T_liquid(bb_js *js, const char *s, size_t len, T_run *r)
{
	const char *p = s, *end = s + len;

	while ((p = strstr(p, "{% highlight ")) && p < end) {
		const char *q = p + 13, *tag_end = strstr(q, "%}"), *close;
		char lang[64];
		size_t ln = 0;
		if (!tag_end)
			break;
		while (q < tag_end && *q == ' ')
			q++;
		while (q < tag_end && *q != ' ' && ln + 1 < sizeof lang)
			lang[ln++] = *q++;
		lang[ln] = '\0';
		p = tag_end + 2;
		if (*p == '\n')
			p++;
		close = strstr(p, "{% endhighlight %}");
		if (!close)
			break;
		if (ln)
			T_block(js, lang, p, (size_t)(close - p), r);
		p = close + 18;
	}
}

/* Highlights every fenced block with a language in the Markdown text s. */
static void
T_fences(bb_js *js, const char *s, size_t len, T_run *r)
{
	size_t i = 0;

	while (i < len) {
		const char *eol = memchr(s + i, '\n', len - i);
		size_t le = eol ? (size_t)(eol - s) : len, ind = i, fl = 0, j;
		char fc, lang[64];
		size_t ln = 0;

		while (ind < le && ind - i < 4 && s[ind] == ' ')
			ind++;
		fc = s[ind];
		if (ind - i < 4 && (fc == '`' || fc == '~')) {
			while (ind + fl < le && s[ind + fl] == fc)
				fl++;
		}
		if (fl < 3) {
			i = le + 1;
			continue;
		}
		j = ind + fl;
		while (j < le && s[j] == ' ')
			j++;
		while (j < le && ln + 1 < sizeof lang && s[j] != ' ' && s[j] != '{' && s[j] != '\r'
			&& s[j] != '`')
			lang[ln++] = s[j++];
		lang[ln] = '\0';
		{
			size_t cstart = le + 1, k = cstart, cend = len;
			while (k < len) {
				const char *e2 = memchr(s + k, '\n', len - k);
				size_t l2 = e2 ? (size_t)(e2 - s) : len, a = k, m = 0;
				while (a < l2 && a - k < 4 && s[a] == ' ')
					a++;
				while (a + m < l2 && s[a + m] == fc)
					m++;
				if (m >= fl) {
					while (a + m < l2 && (s[a + m] == ' ' || s[a + m] == '\r'))
						m++;
					if (a + m == l2) {
						cend = k;
						break;
					}
				}
				k = l2 + 1;
			}
			if (ln && cstart <= cend && cstart <= len)
				T_block(js, lang, s + cstart, cend - cstart, r);
			i = cend < len ? cend : len;
			/* skip the closing fence line */
			eol = memchr(s + i, '\n', len - i);
			i = eol ? (size_t)(eol - s) + 1 : len;
		}
	}
}

static void
T_walk(bb_js *js, const char *dir, T_run *r, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d || depth > 8) {
		if (d)
			closedir(d);
		return;
	}
	while ((e = readdir(d))) {
		char *p;
		struct stat st;
		size_t n = strlen(e->d_name);
		if (e->d_name[0] == '.')
			continue;
		p = bb_xasprintf("%s/%s", dir, e->d_name);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			T_walk(js, p, r, depth + 1);
		} else if (n > 3 && (strcmp(e->d_name + n - 3, ".md") == 0
			|| (n > 9 && strcmp(e->d_name + n - 9, ".markdown") == 0))) {
			char *s = NULL;
			size_t len = 0;
			if (bb_read_file(p, 4 << 20, &s, &len) == 0) {
				r->files++;
				T_fences(js, s, len, r);
				T_liquid(js, s, len, r);
			}
			free(s);
		}
		free(p);
	}
	closedir(d);
}

static void
T_corpus(bb_js *js, const char *name, int max_blocks, int min_blocks, int min_highlighted)
{
	char *rel = bb_xasprintf("corpora/%s", name);
	char *root = tap_shared(rel);
	T_run r;
	struct stat st;

	memset(&r, 0, sizeof r);
	r.max_blocks = max_blocks;
	if (stat(root, &st) != 0) {
		SKIP(name, "corpus not found under BB_SHARED");
	} else {
		T_walk(js, root, &r, 0);
		printf("# %s %s: %d files, %d blocks with a language (%zu bytes), %d highlighted in %.3fs"
			" (%.0f us/block), %d unknown language (%s), %d errors, %d differ\n",
			T_use_js ? "highlight.js" : "native+highlight.js", name, r.files, r.blocks, r.bytes, r.highlighted, r.secs,
			r.blocks ? r.secs * 1e6 / r.blocks : 0.0, r.unknown, r.unknown_langs, r.errors,
			r.differ);
		CHECK(r.blocks >= min_blocks);
		CHECK(r.highlighted >= min_highlighted);
		CHECK(r.differ == 0);
		CHECK(r.errors == 0);
	}
	free(root);
	free(rel);
}

int
main(void)
{
	char *err = NULL;
	bb_js *js = bb_js_thread(&err);
	double t0;
	size_t now, peak;

	CHECK(js != NULL);
	if (!js) {
		fprintf(stderr, "no engine: %s\n", err);
		free(err);
		return TEST_DONE();
	}
	T_languages(js);
	T_lines(js);
	T_corpus(js, "kaityo256-blog", 0, 3000, 2800);
	T_corpus(js, "jekyll-docs", 0, 20, 11);
	/* the same through highlight.js alone (1,000 blocks of kaityo256) */
	T_use_js = 1;
	t0 = T_now();
	T_languages(js);
	printf("# highlight.js loaded and first blocks in %.3fs\n", T_now() - t0);
	T_corpus(js, "kaityo256-blog", 1000, 1000, 900);
	T_corpus(js, "jekyll-docs", 0, 20, 11);
	bb_js_mem(js, &now, &peak);
	printf("# engine heap: %.1f MB now, %.1f MB at most\n", now / 1048576.0, peak / 1048576.0);
	bb_js_thread_free();
	return TEST_DONE();
}
