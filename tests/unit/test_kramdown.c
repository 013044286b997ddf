/* test_kramdown.c: unit tests for the kramdown dialect (src/kramdown*.c), one
 * or more cases per construct, each rendered through cmark-gfm as the
 * renderer does; the expected HTML is what kramdown 2.4 (Debian's
 * ruby-kramdown, with kramdown-parser-gfm for GFM input) makes of the same
 * input, written in cmark's spelling of it. */
#include "kramdown.h"
#include "util.h"
#include "tap.h"

#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define T_WARN_MAX 32

typedef struct T_diag {
	int n, warnings;
	unsigned line[T_WARN_MAX], col[T_WARN_MAX];
	char msg[T_WARN_MAX][200];
} T_diag;

static void
T_diag_fn(void *ud, int sev, unsigned line, unsigned col, const char *msg)
{
	T_diag *d = ud;
	if (sev == BB_KRAMDOWN_WARNING)
		d->warnings++;
	if (d->n < T_WARN_MAX) {
		d->line[d->n] = line;
		d->col[d->n] = col;
		snprintf(d->msg[d->n], sizeof d->msg[0], "%s", msg);
		d->n++;
	}
}

/* Renders md as the renderer will: pass, cmark-gfm (table, strikethrough,
 * footnotes; no autolink), tree pass. Returns HTML; caller frees. */
static char *
T_render(const char *md, bb_kramdown_input in, T_diag *d)
{
	static const char *exts[] = { "table", "strikethrough" };
	bb_kramdown_opts o;
	size_t n, i;
	char *src, *html;
	cmark_parser *p;
	cmark_node *doc;
	int opts = CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES;

	bb_kramdown_opts_init(&o, in);
	src = bb_kramdown_pass(md, strlen(md), &o, &n, d ? T_diag_fn : NULL, d);
	cmark_gfm_core_extensions_ensure_registered();
	p = cmark_parser_new(opts);
	for (i = 0; i < 2; i++)
		cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(exts[i]));
	cmark_parser_feed(p, src, n);
	doc = cmark_parser_finish(p);
	bb_kramdown_tree(doc, &o);
	html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
	cmark_node_free(doc);
	cmark_parser_free(p);
	free(src);
	return html;
}

static const char *
T_name(bb_kramdown_input in)
{
	return in == BB_KRAMDOWN_GFM ? "GFM" : "kramdown";
}

/* One case: the whole HTML must be want. */
static void
T_case(const char *what, bb_kramdown_input in, const char *md, const char *want)
{
	char *got = T_render(md, in, NULL);
	if (strcmp(got, want) == 0)
		tap_passed++;
	else {
		tap_failed++;
		fprintf(stderr, "FAIL %s (input: %s)\n--- input:\n%s\n--- expected:\n%s--- got:\n%s\n",
			what, T_name(in), md, want, got);
	}
	free(got);
}

/* The HTML must hold each of the NULL-terminated strings, and none of the
 * strings after the "!" entry. */
static void
T_has(const char *what, bb_kramdown_input in, const char *md, ...)
{
	va_list ap;
	const char *s;
	int neg = 0, ok = 1;
	char *got = T_render(md, in, NULL);
	va_start(ap, md);
	while ((s = va_arg(ap, const char *)) != NULL) {
		if (strcmp(s, "!") == 0) {
			neg = 1;
			continue;
		}
		if ((strstr(got, s) != NULL) == neg) {
			ok = 0;
			fprintf(stderr, "FAIL %s (input: %s): %s \"%s\"\n--- input:\n%s\n--- got:\n%s\n",
				what, T_name(in), neg ? "must not hold" : "must hold", s, md, got);
		}
	}
	va_end(ap);
	if (ok)
		tap_passed++;
	else
		tap_failed++;
	free(got);
}

/* The pass's own output (the Markdown) must be want. */
static void
T_pass(const char *what, bb_kramdown_input in, const char *md, const char *want)
{
	bb_kramdown_opts o;
	size_t n;
	char *got;
	bb_kramdown_opts_init(&o, in);
	got = bb_kramdown_pass(md, strlen(md), &o, &n, NULL, NULL);
	if (strcmp(got, want) == 0 && n == strlen(want))
		tap_passed++;
	else {
		tap_failed++;
		fprintf(stderr, "FAIL %s (input: %s)\n--- input:\n%s\n--- expected:\n%s--- got:\n%s\n",
			what, T_name(in), md, want, got);
	}
	free(got);
}

static void
T_headings(void)
{
	const bb_kramdown_input K = BB_KRAMDOWN_KRAMDOWN, G = BB_KRAMDOWN_GFM;
	/* kramdown: no space needed after the #s */
	T_case("atx without space", K, "##\xe8\xa6\x8b\xe5\x87\xba\xe3\x81\x97\n\ntext\n",
	       "<h2>\xe8\xa6\x8b\xe5\x87\xba\xe3\x81\x97</h2>\n<p>text</p>\n");
	T_case("atx without space, closing #s", K, "###Title ###\n", "<h3>Title</h3>\n");
	/* GFM input (Jekyll 3+): a paragraph */
	T_case("atx without space in GFM", G, "##\xe8\xa6\x8b\xe5\x87\xba\xe3\x81\x97\ntext\n",
	       "<p>##\xe8\xa6\x8b\xe5\x87\xba\xe3\x81\x97\ntext</p>\n");
	/* kramdown: a heading only after a block boundary */
	T_case("atx after a paragraph line", K, "para\n# h\n", "<p>para\n# h</p>\n");
	T_case("atx after a heading line", K, "# a\n# b\n", "<h1>a</h1>\n<p># b</p>\n");
	T_case("atx after a paragraph line in GFM", G, "para\n# h\n", "<p>para</p>\n<h1>h</h1>\n");
	{
		/* kramdown 1.3's GFM parser (Jekyll 2): `##x` is a heading */
		bb_kramdown_opts o;
		size_t n;
		char *got;
		bb_kramdown_opts_init(&o, G);
		o.legacy_gfm = 1;
		got = bb_kramdown_pass("##\xe8\xa6\x8b\n\ntext\n", 12, &o, &n, NULL, NULL);
		CHECK_STR(got, "## \xe8\xa6\x8b\n\ntext\n");
		free(got);
	}
	T_case("only #s", K, "##\n\nx\n", "<p>##</p>\n<p>x</p>\n");
	/* {#id} at the end of a heading */
	T_pass("heading id marker", G, "## Title {#my-id}\n", "## Title\n<!--bb-ial #my-id-->\n");
	T_has("heading id not shown", K, "# Title {#t1}\n\ntext\n", "<h1>Title</h1>", "<!--bb-ial #t1-->", "!", "{#", NULL);
	T_has("unsafe heading id dropped", G, "# Title {#x\"onclick}\n", "!", "onclick", NULL);
	/* kramdown: a list does not interrupt a paragraph, GFM's does */
	T_case("list after paragraph line", K, "para\n- item\n", "<p>para\n- item</p>\n");
	T_case("list after paragraph line in GFM", G, "para\n- item\n", "<p>para</p>\n<ul>\n<li>item</li>\n</ul>\n");
}

static void
T_ials(void)
{
	const bb_kramdown_input K = BB_KRAMDOWN_KRAMDOWN, G = BB_KRAMDOWN_GFM;
	T_diag d;
	char *h;
	char *cls, *id;

	T_pass("block IAL after a paragraph", K, "para\n{: .note #p1}\n", "para\n<!--bb-ial .note #p1-->\n");
	T_pass("block IAL before a block", K, "\n{: .wide}\npara\n", "\n<!--bb-ial-next .wide-->\npara\n");
	T_case("block IAL ends the paragraph, leaves no text", G, "one\n{:.c}\ntwo\n",
	       "<p>one</p>\n<!--bb-ial .c-->\n<p>two</p>\n");
	T_has("IAL after a table", G, "| a | b |\n|---|---|\n| 1 | 2 |\n{: .tbl}\n",
	      "<td>2</td>", "<!--bb-ial .tbl-->", "!", "{:", NULL);
	T_has("IAL after a fenced block", G, "```\ncode {: .x}\n```\n{: .lang}\n",
	      "code {: .x}\n</code>", "<!--bb-ial .lang-->", NULL);
	T_has("span IAL after emphasis", K, "an *emph*{: .hi} word\n",
	      "<em>emph</em><!--bb-ial .hi--> word", "!", "{:", NULL);
	T_has("span IAL after a link", G, "[a](/b){: .btn}\n", "<a href=\"/b\">a</a><!--bb-ial .btn-->", NULL);
	T_has("span IAL after an image with style", G, "![i](x.png){: style=\"width:50%\" .right}\n",
	      "<!--bb-ial .right-->", "!", "style", "!", "{:", NULL);
	T_has("list item IAL", K, "* {:.first} one\n* two\n", "<li>one<!--bb-ial-item .first--></li>", NULL);
	T_has("IAL in code span untouched", G, "`a{: .c}`\n", "<code>a{: .c}</code>", NULL);
	T_has("IAL in a code block untouched", G, "    x\n    {: .c}\n", "{: .c}\n</code>", NULL);
	/* GFM input: a list interrupts the paragraph, so an indented quote
	 * after the blank line is the item's, and so is its IAL (kramdown
	 * GFM puts the class on the blockquote) */
	T_has("IAL after a quote in a list that interrupts a paragraph", G,
	      "Para.\n- a\n    - b\n\n    > q\n    > 1. r\n    {: .prompt-info }\n",
	      "<!--bb-ial .prompt-info-->", "!", "{:", NULL);

	/* event handlers: dropped, with a warning at the line */
	memset(&d, 0, sizeof d);
	h = T_render("text\n\n*x*{: onclick=\"alert(1)\" .ok}\n", K, &d);
	CHECK(strstr(h, "onclick") == NULL && strstr(h, "alert") == NULL);
	CHECK(strstr(h, "<!--bb-ial .ok-->") != NULL);
	CHECK(d.warnings == 1 && d.line[0] == 3 && d.col[0] == 4);
	free(h);
	memset(&d, 0, sizeof d);
	h = T_render("para\n{: onmouseover='x' style=\"color:red\" data-x=\"1\"}\n", G, &d);
	CHECK(strstr(h, "onmouseover") == NULL && strstr(h, "color") == NULL && strstr(h, "{:") == NULL);
	CHECK(d.warnings == 1 && d.line[0] == 2);
	free(h);
	/* span IAL after text: kramdown shows it; it is dropped with a warning */
	memset(&d, 0, sizeof d);
	h = T_render("word{: .c}\n", G, &d);
	CHECK_STR(h, "<p>word</p>\n");
	CHECK(d.warnings == 1);
	free(h);

	/* attribute list definitions and references */
	T_pass("ALD and reference", K, "{:note: .box #n}\n\npara\n{: note .more}\n",
	       "\n\npara\n<!--bb-ial .box .more #n-->\n");
	T_pass("ALD used before its definition", K, "para\n{: later}\n\n{:later: .l}\n",
	       "para\n<!--bb-ial .l-->\n\n\n");
	T_pass("ALD referring to itself is bounded", K, "{:a: a .x}\n\np\n{: a}\n",
	       "\n\np\n<!--bb-ial .x .x .x .x .x .x .x .x-->\n");
	T_pass("class and id attributes", G, "p\n{: class=\"a b\" id=\"i\"}\n", "p\n<!--bb-ial .a .b #i-->\n");

	/* reading markers */
	CHECK(bb_kramdown_marker("<!--bb-ial .a .b #i-->", 22, &cls, &id) == BB_KRAMDOWN_MARK_PREV);
	CHECK_STR(cls, "a b");
	CHECK_STR(id, "i");
	free(cls);
	free(id);
	CHECK(bb_kramdown_marker("<!--bb-ial-next #z-->\n", 22, &cls, &id) == BB_KRAMDOWN_MARK_NEXT);
	CHECK(cls == NULL);
	CHECK_STR(id, "z");
	free(id);
	CHECK(bb_kramdown_marker("<!-- other -->", 14, &cls, &id) == BB_KRAMDOWN_MARK_NONE);
	CHECK(bb_kramdown_marker("<!--bb-ial .x\" onclick=\"y-->", 28, &cls, &id) == BB_KRAMDOWN_MARK_PREV);
	CHECK(cls == NULL && id == NULL);
}

static void
T_deflists(void)
{
	const bb_kramdown_input K = BB_KRAMDOWN_KRAMDOWN, G = BB_KRAMDOWN_GFM;
	T_case("simple definition list", K, "kram\n: down\n",
	       "<dl>\n<dt>kram</dt>\n<dd>down</dd>\n</dl>\n");
	T_case("definition list in GFM input", G, "kram\n: down\n\nafter\n",
	       "<dl>\n<dt>kram</dt>\n<dd>down</dd>\n</dl>\n<p>after</p>\n");
	T_case("two terms, two definitions", K, "a\nb\n: one\n: two\n",
	       "<dl>\n<dt>a</dt>\n<dt>b</dt>\n<dd>one</dd>\n<dd>two</dd>\n</dl>\n");
	T_case("blank line wraps the definition", K, "term\n\n: definition\n: definition\n\n: definition\n",
	       "<dl>\n<dt>term</dt>\n<dd><p>definition</p></dd>\n<dd>definition</dd>\n<dd><p>definition</p></dd>\n</dl>\n");
	T_case("Markdown in terms and definitions", G, "*term*\n: some `code` and [a link](/x)\n",
	       "<dl>\n<dt><em>term</em></dt>\n<dd>some <code>code</code> and <a href=\"/x\">a link</a></dd>\n</dl>\n");
	T_case("lazy and indented lines", K, "kram\n: this is some\n  text\n",
	       "<dl>\n<dt>kram</dt>\n<dd>this is some\ntext</dd>\n</dl>\n");
	T_has("blocks in a definition", K, "kram\n: * list\n  * items\n", "<dd><ul>", "<li>list</li>", "<li>items</li>", NULL);
	T_has("code with a blank line in a definition", K, "t\n: ~~~\n  a\n\n  b\n  ~~~\n",
	      "<pre><code>a\n<!-- -->\nb\n</code></pre>", NULL);
	T_case("second group merges into one list", K, "a\n: 1\n\nb\n: 2\n",
	       "<dl>\n<dt>a</dt>\n<dd>1</dd>\n<dt>b</dt>\n<dd>2</dd>\n</dl>\n");
	T_case("a colon line without a paragraph before", K, ": not a definition\n",
	       "<p>: not a definition</p>\n");
	T_has("reference link in a definition", K, "t\n: see [x][r]\n\n[r]: /target\n", "<a href=\"/target\">x</a>", NULL);
	T_has("typography in a definition", K, "t\n: \"quoted\" -- yes\n", "\xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x80\x93 yes", NULL);
}

static void
T_abbr(void)
{
	const bb_kramdown_input K = BB_KRAMDOWN_KRAMDOWN, G = BB_KRAMDOWN_GFM;
	T_case("abbreviation", K, "The HTML spec.\n\n*[HTML]: Hyper Text Markup Language\n",
	       "<p>The <abbr title=\"Hyper Text Markup Language\">HTML</abbr> spec.</p>\n");
	T_case("abbreviation defined first, GFM", G, "*[W3C]: World Wide Web Consortium\n\nW3C and W3Cx\n",
	       "<p><abbr title=\"World Wide Web Consortium\">W3C</abbr> and W3Cx</p>\n");
	T_has("abbreviation not in code", K, "`HTML` and HTML\n\n*[HTML]: H\n",
	      "<code>HTML</code> and <abbr title=\"H\">HTML</abbr>", NULL);
	T_has("abbreviation title escaped", K, "a XSS b\n\n*[XSS]: <script>\"&\n",
	      "<abbr title=\"&lt;script&gt;&quot;&amp;\">XSS</abbr>", "!", "<script>", NULL);
	T_has("longest abbreviation first", K, "HTML5 HTML\n\n*[HTML]: a\n*[HTML5]: b\n",
	      "<abbr title=\"b\">HTML5</abbr> <abbr title=\"a\">HTML</abbr>", NULL);
	T_has("abbreviation in a heading and a link", K, "# About CSS\n\n[CSS](/c)\n\n*[CSS]: Sheets\n",
	      "<h1>About <abbr title=\"Sheets\">CSS</abbr></h1>", "<a href=\"/c\"><abbr", NULL);
	T_has("abbreviation title with dashes", K, "RTL\n\n*[RTL]: right-to-left --> x\n",
	      "<abbr title=\"right-to-left --&gt; x\">RTL</abbr>", NULL);
}

static void
T_extensions(void)
{
	const bb_kramdown_input K = BB_KRAMDOWN_KRAMDOWN, G = BB_KRAMDOWN_GFM;
	T_diag d;
	char *h;
	T_case("comment block", K, "a\n\n{::comment}\nsecret *text*\n{:/comment}\n\nb\n", "<p>a</p>\n<p>b</p>\n");
	T_case("comment with {:/}", G, "a\n\n{::comment}\nx\n{:/}\n", "<p>a</p>\n");
	T_case("span comment", K, "a {::comment}hidden{:/comment}b\n", "<p>a b</p>\n");
	T_case("nomarkdown block", K, "{::nomarkdown}\n<b>*raw*</b>\n\n<i>x</i>\n{:/nomarkdown}\n",
	       "<div class=\"bb-nomarkdown\">\n<b>*raw*</b>\n<!-- -->\n<i>x</i>\n</div>\n");
	T_case("nomarkdown span", K, "a {::nomarkdown}<b>*b*</b>{:/nomarkdown} c\n", "<p>a <b>*b*</b> c</p>\n");
	T_case("options consumed", K, "{::options parse_block_html=\"true\" /}\ntext\n", "<p>text</p>\n");
	memset(&d, 0, sizeof d);
	h = T_render("x\n\n{::comment}\nnever closed\n", K, &d);
	CHECK(d.warnings == 1 && d.line[0] == 3);
	CHECK(strstr(h, "never closed") != NULL && strstr(h, "{:") == NULL);
	free(h);
	/* table of contents */
	T_case("toc list", G, "* TOC\n{:toc}\n\n## One\n", "<nav class=\"bb-toc\"></nav>\n<h2>One</h2>\n");
	T_case("ordered toc list", K, "1. this will be replaced\n{:toc}\n\n# A\n", "<nav class=\"bb-toc\"></nav>\n<h1>A</h1>\n");
	T_has("no_toc class kept", K, "# Contents\n{:.no_toc}\n", "<!--bb-ial .no_toc-->", NULL);
}

static void
T_typography(void)
{
	const bb_kramdown_input K = BB_KRAMDOWN_KRAMDOWN, G = BB_KRAMDOWN_GFM;
	T_case("dashes and ellipsis", K, "a -- b --- c...\n", "<p>a \xe2\x80\x93 b \xe2\x80\x94 c\xe2\x80\xa6</p>\n");
	T_case("guillemets", G, "<< a >> and <<b>>\n", "<p>\xc2\xab\xc2\xa0" "a\xc2\xa0\xc2\xbb and \xc2\xab" "b\xc2\xbb</p>\n");
	T_case("smart quotes", G, "a \"quote\" *x*'s \"*e*\" 1990's\n",
	       "<p>a \xe2\x80\x9cquote\xe2\x80\x9d <em>x</em>\xe2\x80\x99s \xe2\x80\x9c<em>e</em>\xe2\x80\x9d 1990\xe2\x80\x99s</p>\n");
	T_case("apostrophes", K, "it's 'single' '80s\n",
	       "<p>it\xe2\x80\x99s \xe2\x80\x98single\xe2\x80\x99 \xe2\x80\x99" "80s</p>\n");
	T_case("quote before punctuation", K, "\"Hello,\" she said. \"Yes\".\n",
	       "<p>\xe2\x80\x9cHello,\xe2\x80\x9d she said. \xe2\x80\x9cYes\xe2\x80\x9d.</p>\n");
	T_case("nested quotes", G, "\"'Twas\" he said\n",
	       "<p>\xe2\x80\x9c\xe2\x80\x98Twas\xe2\x80\x9d he said</p>\n");
	T_case("quotes next to CJK", G, "\xe5\xbd\xbc\xe3\x81\xaf\"\xe3\x81\x82\"\xe3\x81\xa8\n",
	       "<p>\xe5\xbd\xbc\xe3\x81\xaf\xe2\x80\x9d\xe3\x81\x82\xe2\x80\x9d\xe3\x81\xa8</p>\n");
	T_case("quotes inside emphasis", K, "*\"x\"*\n", "<p><em>\xe2\x80\x9cx\xe2\x80\x9d</em></p>\n");
	T_case("quotes around and inside links", G, "[he said \"hi\"](x) \"[a](b)\"\n",
	       "<p><a href=\"x\">he said \xe2\x80\x9chi\xe2\x80\x9d</a> \xe2\x80\x9c<a href=\"b\">a</a>\xe2\x80\x9d</p>\n");
	T_case("not in code", K, "`a -- \"b\"...`\n\n    c -- d\n",
	       "<p><code>a -- &quot;b&quot;...</code></p>\n<pre><code>c -- d\n</code></pre>\n");
	T_case("not in link destinations", G, "[a--b](http://x/a--b...)\n",
	       "<p><a href=\"http://x/a--b...\">a\xe2\x80\x93" "b</a></p>\n");
	T_case("not in HTML attributes", G, "<span title=\"a--b\">c--d</span>\n",
	       "<p><span title=\"a--b\">c\xe2\x80\x93" "d</span></p>\n");
	/* math keeps its source, byte for byte, through both passes */
	T_has("display math untouched", K, "$$\n\\begin{align} a &= b -- c \\\\\n f'(x) &= \"y\"... \\end{align}\n$$\n",
	      "f'(x) &amp;= &quot;y&quot;... \\end{align}", "a &amp;= b -- c", NULL);
	T_pass("display math passes byte for byte", K, "$$\n\\begin{align} a -- b \\\\ {: .x} \\end{align}\n$$\n",
	       "$$\n\\begin{align} a -- b \\\\ {: .x} \\end{align}\n$$\n");
	T_has("inline math untouched", G, "so $$f'(x) -- g$$ and $a'$ -- ok\n",
	      "$$f'(x) -- g$$", "$a'$ \xe2\x80\x93 ok", NULL);
}

static void
T_misc(void)
{
	const bb_kramdown_input K = BB_KRAMDOWN_KRAMDOWN, G = BB_KRAMDOWN_GFM;
	bb_kramdown_opts o;
	bb_kramdown_opts_init(&o, K);
	/* kramdown links no bare URL: the caller attaches no autolink extension */
	CHECK(o.autolink == 0 && o.typographic && o.smart_quotes);
	T_case("bare URL stays text", G, "see http://example.org/x\xe3\x81\xa7\xe3\x81\x99\n",
	       "<p>see http://example.org/x\xe3\x81\xa7\xe3\x81\x99</p>\n");
	/* footnotes: cmark-gfm's, with kramdown's syntax */
	T_has("footnote", K, "text[^1] more\n\n[^1]: the note\n", "<sup class=\"footnote-ref\">", "the note", NULL);
	T_has("footnote defined in the middle", K, "a[^n]\n\n[^n]: note n\n\nb\n", "<p>b</p>", "note n", NULL);
	T_has("footnote with a name", G, "a[^note-x]\n\n[^note-x]: named\n", "named", "!", "[^note-x]", NULL);
	/* raw HTML blocks: blank lines inside do not end them (kramdown) */
	T_case("HTML table with blank lines and indentation", G,
	       "<table>\n  <tr>\n\n    <td>a</td>\n  </tr>\n</table>\nafter\n",
	       "<table>\n  <tr>\n<!-- -->\n    <td>a</td>\n  </tr>\n</table>\n<p>after</p>\n");
	T_has("HTML block with markdown=1 is left to cmark", K, "<div markdown=\"1\">\n\n*x*\n\n</div>\n",
	      "<em>x</em>", NULL);
	T_case("unclosed HTML block unchanged", G, "<div>\n\n    code\n", "<div>\n<pre><code>code\n</code></pre>\n");
	/* IALs inside quotes and list items */
	T_has("IAL in a quote", G, "> quoted\n> {: .prompt-tip}\n", "<!--bb-ial .prompt-tip-->", "!", "{:", NULL);
	T_has("IAL in an indented quote in a list", G, "1. item\n\n    > q\n    > {: .prompt-info}\n",
	      "<!--bb-ial .prompt-info-->", "!", "{:", NULL);
	/* kramdown's tables: separators in the body leave the cells as they are */
	T_has("tbody and tfoot separators", G, "| a | b |\n|---|---|\n| 1 | 2 |\n|---|---|\n| 3 | 4 |\n|===|===|\n| f | g |\n",
	      "<td>2</td>", "<td>3</td>", "<td>g</td>", "!", "<td>-", "!", "<td>=", NULL);
	/* kramdown's tables need no header */
	T_case("table without header", G, "|a|b|\n|c|*d*|\n\nafter\n",
	       "<table>\n<tbody>\n<tr><td>a</td><td>b</td></tr>\n<tr><td>c</td><td><em>d</em></td></tr>\n</tbody>\n</table>\n<p>after</p>\n");
	T_case("pipes without outer ones", K, "\xe2\x97\x8b|x|`a|b`\n",
	       "<table>\n<tbody>\n<tr><td>\xe2\x97\x8b</td><td>x</td><td><code>a|b</code></td></tr>\n</tbody>\n</table>\n");
	/* single $ is no math to kramdown: it splits cells at pipes between
	 * dollars; a $ pairing in no cell is written so the math scan, run
	 * over this HTML later, cannot pair it across "</td><td>" */
	T_case("a $ pairing in no cell", G, "area is $|a b|$ here and $x$\n",
	       "<table>\n<tbody>\n<tr><td>area is &#36;</td><td>a b</td><td>$ here and $x&#36;</td></tr>\n</tbody>\n</table>\n");
	T_case("dollars pairing in a cell", G, "|$x$|`$`|\\$|\n",
	       "<table>\n<tbody>\n<tr><td>$x$</td><td><code>$</code></td><td>&#36;</td></tr>\n</tbody>\n</table>\n");
	T_case("a pipe, then a line without: a paragraph", G, "Use a | b here\nand more\n",
	       "<p>Use a | b here\nand more</p>\n");
	T_case("pipes in code only: a paragraph", G, "x `a|b` y\n", "<p>x <code>a|b</code> y</p>\n");
	T_has("GFM table with header left to cmark", G, "| h |\n|---|\n| c |\n", "<th>h</th>", "<td>c</td>", NULL);
	/* kramdown takes spaces in link URLs */
	T_case("link URL with spaces", G, "[RL](/Machine Learning/x.html) [t](/a b \"ti tle\") ![i](/p q.png)\n",
	       "<p><a href=\"/Machine%20Learning/x.html\">RL</a> <a href=\"/a%20b\" title=\"ti tle\">t</a> "
	       "<img src=\"/p%20q.png\" alt=\"i\" /></p>\n");
	T_case("link URLs without spaces unchanged", G, "[a](<b c>) [d](e(f)g) [x](y \"z\")\n",
	       "<p><a href=\"b%20c\">a</a> <a href=\"e(f)g\">d</a> <a href=\"y\" title=\"z\">x</a></p>\n");
	/* empty and odd input */
	T_pass("empty input", K, "", "");
	T_pass("no newline at end", K, "##x", "## x\n");
	T_pass("lone brace colon", G, "a {: b\n", "a {: b\n");
	T_pass("fenced code keeps kramdown syntax", K, "~~~\n##x\n{: .c}\n*[A]: b\n~~~\n", "~~~\n##x\n{: .c}\n*[A]: b\n~~~\n");
}

/* Hostile input: many constructs stay linear, nothing escapes. */
static void
T_hostile(void)
{
	bb_buf b = BB_BUF_INIT;
	size_t i, n;
	bb_kramdown_opts o;
	char *out;
	for (i = 0; i < 20000; i++)
		bb_buf_puts(&b, "t\n: {::comment}\n");
	for (i = 0; i < 2000; i++)
		bb_buf_printf(&b, "*[A%zu]: x\n", i);
	for (i = 0; i < 5000; i++)
		bb_buf_puts(&b, "*e*{: onclick=\"x\" .c}{:/}{::x}\n");
	bb_kramdown_opts_init(&o, BB_KRAMDOWN_KRAMDOWN);
	out = bb_kramdown_pass(b.data, b.len, &o, &n, NULL, NULL);
	CHECK(out != NULL && strstr(out, "onclick") == NULL);
	free(out);
	bb_buf_free(&b);
	/* inputs that would take quadratic time without the bounds */
	{
		static const char *const unit[] = { "{:", "`a", "``b", "](", "{::x}", "$$", "*[", NULL };
		size_t u;
		clock_t t0 = clock();
		for (u = 0; unit[u]; u++) {
			bb_buf_reset(&b);
			for (i = 0; i < 200000; i++)
				bb_buf_puts(&b, unit[u]);
			bb_buf_puts(&b, "\n");
			out = bb_kramdown_pass(b.data, b.len, &o, &n, NULL, NULL);
			CHECK(out != NULL && (n >= b.len / 2 || u == 4));
			free(out);
		}
		bb_buf_reset(&b);
		for (i = 0; i < 100000; i++)
			bb_buf_puts(&b, "<div>\n\n{::comment}\n\n");
		out = bb_kramdown_pass(b.data, b.len, &o, &n, NULL, NULL);
		CHECK(out != NULL);
		free(out);
		/* many abbreviations over a long text */
		bb_buf_reset(&b);
		for (i = 0; i < 300000; i++)
			bb_buf_puts(&b, "AAAA ");
		bb_buf_puts(&b, "\n\n");
		for (i = 0; i < 1000; i++)
			bb_buf_printf(&b, "*[A%zu]: x\n", i);
		out = T_render(b.data, BB_KRAMDOWN_KRAMDOWN, NULL);
		CHECK(out != NULL);
		free(out);
		CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 20.0);
		bb_buf_free(&b);
	}
	/* definitions nested deeper than the bound stay text */
	out = T_render("a\n: b\n  : c\n    : d\n      : e\n        : f\n          : g\n", BB_KRAMDOWN_KRAMDOWN, NULL);
	CHECK(out != NULL && strstr(out, "<dl>") != NULL);
	free(out);
}

/* Fences as kramdown's FENCED_CODEBLOCK_MATCH reads them (kramdown 2.4,
 * GFM input): one word at most after the fence, and a closing fence later;
 * any other fence line is text, and the next bare fence opens the block
 * (kaityo256's "```rb: check.rb" posts). */
static void
T_fences(void)
{
	T_case("fence with two words of info: text", BB_KRAMDOWN_GFM,
	       "Text\n\n```rb: check.rb\nx = 1\n```\n\nafter\n\n```\n",
	       "<p>Text</p>\n<p>```rb: check.rb\nx = 1</p>\n<pre><code>\nafter\n\n</code></pre>\n");
	T_case("fence of one word: code", BB_KRAMDOWN_GFM, "```rb:check.rb\nx = 1\n```\n",
	       "<pre><code class=\"language-rb:check.rb\">x = 1\n</code></pre>\n");
	T_case("fence never closed: text", BB_KRAMDOWN_GFM, "~~~\nx\n",
	       "<p>~~~\nx</p>\n");
}

/* Spans as kramdown-parser-gfm reads them where cmark-gfm differs
 * (expectations: kramdown 2.4's output, in cmark's spelling). */
static void
T_gfm_spans(void)
{
	/* its strikethrough has no flanking rule: ~~...。~~ before a letter */
	T_case("strikethrough ending in CJK punctuation", BB_KRAMDOWN_GFM,
	       "A\xE3\x80\x81~~\xE3\x81\x93\xE3\x80\x82~~\xE3\x81\x99\n",
	       "<p>A\xE3\x80\x81<del>\xE3\x81\x93\xE3\x80\x82</del>\xE3\x81\x99</p>\n");
	T_case("strikethrough needs no blank after it, none inside its ends", BB_KRAMDOWN_GFM,
	       "x ~~a~~b and ~~ c~~ d ~~e ~~\n", "<p>x <del>a</del>b and ~~ c~~ d ~~e ~~</p>\n");
	T_case("no strikethrough in kramdown's own syntax", BB_KRAMDOWN_KRAMDOWN,
	       "A\xE3\x80\x81~~\xE3\x81\x93\xE3\x80\x82~~\xE3\x81\x99\n",
	       "<p>A\xE3\x80\x81~~\xE3\x81\x93\xE3\x80\x82~~\xE3\x81\x99</p>\n");
	/* a lone backtick between blanks is text (kramdown's codespan rule),
	 * so the next one finds no partner either */
	T_case("backtick between blanks", BB_KRAMDOWN_GFM, "` cat/proc/cpuinfo` x\n\na ` b` c\n",
	       "<p>` cat/proc/cpuinfo` x</p>\n<p>a ` b` c</p>\n");
}

/* A later definition of the same link id or footnote name overwrites an
 * earlier one in kramdown (with a warning), where CommonMark keeps the
 * first (expectations: kramdown 2.4's output). */
static void
T_duplicates(void)
{
	T_diag d;
	char *h;
	const char *md = "See [this][a] and a note[^n].\n\n[^n]: first note\n\n[a]: http://one.example/\n\n"
			 "Text.\n\n[^n]: second note\n\n[A]: http://two.example/\n";
	T_has("later link definition wins", BB_KRAMDOWN_GFM, md, "href=\"http://two.example/\"", "second note", "!",
	      "http://one.example/", "first note", "bb-overwritten", NULL);
	T_has("also in kramdown's own syntax", BB_KRAMDOWN_KRAMDOWN, md, "href=\"http://two.example/\"", "second note", "!",
	      "first note", NULL);
	T_has("definitions in code are not definitions", BB_KRAMDOWN_GFM,
	      "x[^n]\n\n```\n[^n]: in code\n```\n\n[^n]: the note\n", "[^n]: in code", "the note", NULL);
	T_has("different labels stay", BB_KRAMDOWN_GFM, "[a][] [b][]\n\n[a]: /a\n[b]: /b\n", "href=\"/a\"", "href=\"/b\"",
	      NULL);
	memset(&d, 0, sizeof d);
	h = T_render(md, BB_KRAMDOWN_GFM, &d);
	CHECK(d.warnings == 2 && d.line[0] == 9 && d.line[1] == 11);
	CHECK(strstr(d.msg[0], "footnote 'n'") != NULL && strstr(d.msg[0], "6 lines above") != NULL);
	CHECK(strstr(d.msg[1], "link id 'a'") != NULL);
	free(h);
}

int
main(void)
{
	T_fences();
	T_gfm_spans();
	T_headings();
	T_ials();
	T_deflists();
	T_abbr();
	T_extensions();
	T_typography();
	T_misc();
	T_duplicates();
	T_hostile();
	return TEST_DONE();
}
