/* test_cjk.c: unit tests for the Japanese typography passes (ruby, tate-chu-yoko, CJK-friendly emphasis, joined lines, web-novel notation), and a run over the shared corpora (BB_SHARED; missing, a failure unless BB_ALLOW_SKIP=1). */
#define _POSIX_C_SOURCE 200809L
#include "cjk.h"
#include "util.h"
#include "tap.h"

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define T_OPTS (CMARK_OPT_FOOTNOTES | CMARK_OPT_UNSAFE)

/* Parses md as the renderer does, applies bb_cjk_transform with flags
 * (none when 0) and returns cmark's HTML (caller frees); *changes gets the
 * transform's count when not NULL. */
static char *
T_html(const char *md, size_t len, unsigned flags, unsigned *changes)
{
	static const char *ext[] = { "table", "strikethrough", "autolink", "tasklist" };
	cmark_parser *p = cmark_parser_new(T_OPTS);
	cmark_node *doc;
	unsigned n = 0;
	char *html;
	size_t i;

	for (i = 0; i < sizeof ext / sizeof ext[0]; i++)
		cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(ext[i]));
	cmark_parser_feed(p, md, len);
	doc = cmark_parser_finish(p);
	if (flags)
		n = bb_cjk_transform(doc, flags);
	html = cmark_render_html(doc, T_OPTS, cmark_parser_get_syntax_extensions(p));
	cmark_node_free(doc);
	cmark_parser_free(p);
	if (changes)
		*changes = n;
	return html;
}

static char *
T_cjk(const char *md, unsigned flags, unsigned *changes)
{
	return T_html(md, strlen(md), flags, changes);
}

/* Checks that md renders to want with all passes and that the transform
 * reports nchanges changes. */
#define T_EXPECT(md, want, nchanges) do { \
	unsigned n_; \
	char *h_ = T_cjk((md), BB_CJK_ALL, &n_); \
	CHECK_STR(h_, (want)); \
	if (n_ != (unsigned)(nchanges)) \
		fprintf(stderr, "  changes for %s: %u, want %u\n", (md), n_, (unsigned)(nchanges)); \
	CHECK(n_ == (unsigned)(nchanges)); \
	free(h_); \
} while (0)

/* Checks that md renders exactly as cmark alone renders it, with flags. */
#define T_SAME(md, flags) do { \
	unsigned n_; \
	char *a_ = T_cjk((md), 0, NULL), *b_ = T_cjk((md), (flags), &n_); \
	CHECK_STR(b_, a_); \
	CHECK(n_ == 0); \
	free(a_); \
	free(b_); \
} while (0)

static void
T_ruby(void)
{
	T_EXPECT("{漢字|かんじ}",
	         "<p><ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby></p>\n", 1);
	T_EXPECT("{漢字|かん|じ}",
	         "<p><ruby>漢<rp>(</rp><rt>かん</rt><rp>)</rp>字<rp>(</rp><rt>じ</rt><rp>)</rp></ruby></p>\n", 1);
	/* three readings for two characters: group ruby */
	T_EXPECT("{漢字|か|ん|じ}",
	         "<p><ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby></p>\n", 1);
	T_EXPECT("これは{漢字|かんじ}です。{東京|とう|きょう}へ",
	         "<p>これは<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>です。"
	         "<ruby>東<rp>(</rp><rt>とう</rt><rp>)</rp>京<rp>(</rp><rt>きょう</rt><rp>)</rp></ruby>へ</p>\n", 2);
	/* an ideographic variation selector belongs to its character */
	T_EXPECT("{葛\xF3\xA0\x84\x80城|かつ|らぎ}",
	         "<p><ruby>葛\xF3\xA0\x84\x80<rp>(</rp><rt>かつ</rt><rp>)</rp>城<rp>(</rp><rt>らぎ</rt><rp>)</rp></ruby></p>\n", 1);
	T_EXPECT("{漢&字|か<ん}",
	         "<p><ruby>漢&amp;字<rp>(</rp><rt>か&lt;ん</rt><rp>)</rp></ruby></p>\n", 1);
	/* an escaped bar is part of the base */
	T_EXPECT("{漢\\|字|かんじ}",
	         "<p><ruby>漢|字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby></p>\n", 1);
	T_EXPECT("[{漢字|かんじ}](u)",
	         "<p><a href=\"u\"><ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby></a></p>\n", 1);
	T_EXPECT("**{漢字|かんじ}**",
	         "<p><strong><ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby></strong></p>\n", 1);

	/* not ruby */
	T_SAME("\\{漢字|かんじ}", BB_CJK_ALL);
	T_SAME("{漢字\\|かんじ}", BB_CJK_ALL);
	T_SAME("{漢字|かんじ\\}", BB_CJK_ALL);
	T_SAME("&#123;漢字|かんじ}", BB_CJK_ALL);
	T_SAME("{a|b} and {foo|bar|baz}", BB_CJK_ALL);
	T_SAME("{|かんじ} {漢字|} {漢字||}", BB_CJK_ALL);
	T_SAME("{漢字かんじ} {漢字|かんじ", BB_CJK_ALL);
	/* the innermost brace opens */
	T_EXPECT("{漢{字|じ}", "<p>{漢<ruby>字<rp>(</rp><rt>じ</rt><rp>)</rp></ruby></p>\n", 1);
	T_SAME("`{漢字|かんじ}`", BB_CJK_ALL);
	T_SAME("```\n{漢字|かんじ}\n```", BB_CJK_ALL);
	T_SAME("    {漢字|かんじ}", BB_CJK_ALL);
	T_SAME("<div>\n{漢字|かんじ}\n</div>", BB_CJK_ALL);
	T_SAME("<span title=\"{漢字|かんじ}\">x</span>", BB_CJK_ALL);
	T_SAME("![{漢字|かんじ}](a.png)", BB_CJK_ALL);
	T_SAME("<http://example.com/{漢字|かんじ}>", BB_CJK_ALL);
	T_SAME("{漢字|かんじ}", BB_CJK_TCY | BB_CJK_EMPHASIS | BB_CJK_SOFTBREAK);
}

static void
T_tcy(void)
{
	T_EXPECT("昭和^53^年", "<p>昭和<span class=\"tcy\">53</span>年</p>\n", 1);
	T_EXPECT("第^2^回と^!?^と^AB^",
	         "<p>第<span class=\"tcy\">2</span>回と<span class=\"tcy\">!?</span>と"
	         "<span class=\"tcy\">AB</span></p>\n", 3);
	T_EXPECT("**昭和**^53^年", "<p><strong>昭和</strong><span class=\"tcy\">53</span>年</p>\n", 1);
	T_EXPECT("{平成|へいせい}^31^年",
	         "<p><ruby>平成<rp>(</rp><rt>へいせい</rt><rp>)</rp></ruby><span class=\"tcy\">31</span>年</p>\n", 2);

	T_SAME("x^2^ + y^10^", BB_CJK_ALL);
	T_SAME("昭和^12345^年 昭和^5 3^年 昭和^^53^^年 昭和^^年", BB_CJK_ALL);
	T_SAME("昭和\\^53\\^年", BB_CJK_ALL);
	T_SAME("`昭和^53^年`", BB_CJK_ALL);
	T_SAME("昭和^53^年", BB_CJK_RUBY);
}

static void
T_emphasis(void)
{
	T_EXPECT("**「重要」**です", "<p><strong>「重要」</strong>です</p>\n", 1);
	T_EXPECT("*「a」*は", "<p><em>「a」</em>は</p>\n", 1);
	T_EXPECT("**テスト。**です", "<p><strong>テスト。</strong>です</p>\n", 1);
	/* cmark pairs the middle runs here; the whole scope is re-parsed */
	T_EXPECT("**「重要」**と**「注意」**です",
	         "<p><strong>「重要」</strong>と<strong>「注意」</strong>です</p>\n", 2);
	T_EXPECT("> 引用**「a」**は\n> 次の行**「b」**は",
	         "<blockquote>\n<p>引用<strong>「a」</strong>は次の行<strong>「b」</strong>は</p>\n</blockquote>\n", 3);
	T_EXPECT("***「重要」***です", "<p><em><strong>「重要」</strong></em>です</p>\n", 2);
	T_EXPECT("***「a」*b**です", "<p><strong><em>「a」</em>b</strong>です</p>\n", 2);
	T_EXPECT("*「a」*は*「b」*です", "<p><em>「a」</em>は<em>「b」</em>です</p>\n", 2);
	T_EXPECT("これは**「重要」**、*「a」*。",
	         "<p>これは<strong>「重要」</strong>、<em>「a」</em>。</p>\n", 1);
	T_EXPECT("**`npm publish`**를 실행",
	         "<p><strong><code>npm publish</code></strong>를 실행</p>\n", 1);
	T_EXPECT("[**「a」**は](u)", "<p><a href=\"u\"><strong>「a」</strong>は</a></p>\n", 1);
	T_EXPECT("**「a」**は[リンク](u \"*t*\")です",
	         "<p><strong>「a」</strong>は<a href=\"u\" title=\"*t*\">リンク</a>です</p>\n", 1);
	T_EXPECT("## **「重要」**です", "<h2><strong>「重要」</strong>です</h2>\n", 1);
	T_EXPECT("| a |\n|---|\n| **「重要」**です |",
	         "<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
	         "<td><strong>「重要」</strong>です</td>\n</tr>\n</tbody>\n</table>\n", 1);
	T_EXPECT("- **「重要」**です\n- [ ] *「a」*は",
	         "<ul>\n<li><strong>「重要」</strong>です</li>\n"
	         "<li><input type=\"checkbox\" disabled=\"\" /> <em>「a」</em>は</li>\n</ul>\n", 2);
	T_EXPECT("注[^1]**「a」**は\n\n[^1]: **「b」**も",
	         "<p>注<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" data-footnote-ref>1</a></sup>"
	         "<strong>「a」</strong>は</p>\n<section class=\"footnotes\" data-footnotes>\n<ol>\n"
	         "<li id=\"fn-1\">\n<p><strong>「b」</strong>も <a href=\"#fnref-1\" class=\"footnote-backref\" "
	         "data-footnote-backref aria-label=\"Back to content\">"
	         "\xE2\x86\xA9</a></p>\n</li>\n</ol>\n</section>\n", 2);
	/* a quote mark with U+FE01 is its fullwidth, CJK, form */
	T_EXPECT("\xE2\x80\x98\xEF\xB8\x81**(a)**",
	         "<p>\xE2\x80\x98\xEF\xB8\x81<strong>(a)</strong></p>\n", 1);
	/* the rule of three still holds */
	T_EXPECT("*「a」**は", "<p>*「a」**は</p>\n", 0);

	/* escapes, entities, code and raw HTML are never delimiters */
	T_SAME("\\*\\*「重要」\\*\\*です", BB_CJK_ALL);
	T_SAME("&ast;&ast;「重要」&ast;&ast;です", BB_CJK_ALL);
	T_SAME("**「重要」\\**です", BB_CJK_ALL);
	T_SAME("`**「重要」**です`", BB_CJK_ALL);
	T_SAME("```\n**「重要」**です\n```", BB_CJK_ALL);
	T_SAME("<b title=\"**「a」**は\">x</b>", BB_CJK_ALL);
	T_SAME("<https://example.com/**「a」**は>", BB_CJK_ALL);
	T_SAME("https://ja.wikipedia.org/wiki/_「x」_です", BB_CJK_ALL);
	T_SAME("https://ja.wikipedia.org/wiki/*「x」*です", BB_CJK_ALL);
	/* a variation selector after Latin punctuation: no CJK, no change */
	T_SAME("**a(\xEF\xB8\x80**b", BB_CJK_ALL);
	/* `_` still needs punctuation after a right-flanking closer */
	T_SAME("__「重要」__です", BB_CJK_ALL);
	T_SAME("**「重要」**です", BB_CJK_ALL & ~BB_CJK_EMPHASIS);
}

/* CommonMark emphasis (spec section 6.2 and friends, plus GFM): none of
 * these touch CJK, so the passes must leave them exactly as cmark does,
 * and re-parsing them anyway must give cmark's result too. */
static const char *T_english[] = {
	"*foo bar*", "a * foo bar*", "a*\"foo\"*", "* a *", "foo*bar*", "5*6*78",
	"_foo bar_", "_ foo bar_", "a_\"foo\"_", "foo_bar_", "5_6_78",
	"пристаням_стремятся_", "aa_\"bb\"_cc", "foo-_(bar)_", "_foo*", "*foo bar *",
	"*foo bar\n*", "*(*foo)", "*(*foo*)*", "*foo*bar", "_foo bar _", "_(_foo)",
	"_(_foo_)_", "_foo_bar", "_пристаням_стремятся", "_foo_bar_baz_", "_(bar)_.",
	"**foo bar**", "** foo bar**", "a**\"foo\"**", "foo**bar**", "__foo bar__",
	"__ foo bar__", "__\nfoo bar__", "a__\"foo\"__", "foo__bar__", "5__6__78",
	"__foo, __bar__, baz__", "foo-__(bar)__", "**foo bar **", "**(**foo)",
	"*(**foo**)*", "**Gomphocarpus (*Gomphocarpus physocarpus*, syn.\n*Asclepias physocarpa*)**",
	"**foo \"*bar*\" foo**", "**foo**bar", "__foo bar __", "__(__foo)", "_(__foo__)_",
	"__foo__bar", "__foo__bar__baz__", "__(bar)__.", "*foo [bar](/url)*", "*foo\nbar*",
	"_foo __bar__ baz_", "_foo _bar_ baz_", "__foo_ bar_", "*foo *bar**", "*foo **bar** baz*",
	"*foo**bar**baz*", "*foo**bar*", "***foo** bar*", "*foo **bar***", "*foo**bar***",
	"foo***bar***baz", "foo******bar*********baz", "*foo **bar *baz* bim** bop*",
	"*foo [*bar*](/url)*", "** is not an empty emphasis", "**** is not an empty strong emphasis",
	"**foo [bar](/url)**", "**foo\nbar**", "__foo _bar_ baz__", "__foo __bar__ baz__",
	"____foo__ bar__", "**foo **bar****", "**foo *bar* baz**", "**foo*bar*baz**",
	"***foo* bar**", "**foo *bar***", "**foo *bar **baz**\nbim* bop**", "**foo [*bar*](/url)**",
	"__ is not an empty emphasis", "____ is not an empty strong emphasis", "foo ***",
	"foo *\\**", "foo *_*", "foo *****", "foo **\\***", "foo **_**", "**foo*", "*foo**",
	"***foo**", "****foo*", "**foo***", "*foo****", "foo ___", "foo _\\__", "foo _*_",
	"foo _____", "foo __\\___", "foo __*__", "__foo_", "_foo__", "___foo__", "____foo_",
	"__foo___", "_foo____", "**foo**", "*_foo_*", "__foo__", "_*foo*_", "****foo****",
	"____foo____", "******foo******", "***foo***", "_____foo_____", "*foo _bar* baz_",
	"*foo __bar *baz bim__ bam*", "**foo **bar baz**", "*foo *bar baz*", "*[bar*](/url)",
	"_foo [bar_](/url)", "*<img src=\"foo\" title=\"*\"/>", "**<a href=\"**\">",
	"__<a href=\"__\">", "*a `*`*", "_a `_`_", "**a<http://foo.bar/?q=**>",
	"__a<http://foo.bar/?q=__>", "~~Hi~~ Hello, ~there~ world!", "*a ~~b* c~~",
	"This ~~has a\n\nnew paragraph~~.", "| *a* | **b** |\n|---|---|\n| _c_ | __d__ |",
	"visit www.commonmark.org/a_b_c and *x* www.x.org/**y**", "a_b_ foo@bar.example_com_ *z*",
	"[*a*][r] *b*\n\n[r]: /u", "![*alt* **x**](/i.png) *t*", "*a\\\nb* **c  \nd**",
	"*a &amp; b* **&copy;**", "\\*not* *yes*", "*a [^1] b*\n\n[^1]: *n*",
	"- [ ] *task* **x**\n- [x] _done_", "# *Heading* **x**\n\nSetext *y*\n---",
	"> *quote\n> more* **x**", "*foo`*`", "[not a `link](/foo`)", "*tab\there*",
	NULL
};

static void
T_english_unchanged(void)
{
	size_t i;

	for (i = 0; T_english[i]; i++) {
		T_SAME(T_english[i], BB_CJK_ALL);
		T_SAME(T_english[i], BB_CJK_EMPHASIS | BB_CJK_EMPHASIS_ALWAYS);
	}
	/* and the battery can tell: the same test on CJK text fails */
	{
		char *a = T_cjk("**「重要」**です", 0, NULL);
		char *b = T_cjk("**「重要」**です", BB_CJK_EMPHASIS, NULL);
		CHECK(strcmp(a, b) != 0);
		free(a);
		free(b);
	}
}

static void
T_softbreak(void)
{
	T_EXPECT("日本語の\n文章です", "<p>日本語の文章です</p>\n", 1);
	T_EXPECT("始め。\n「次」\nそして", "<p>始め。「次」そして</p>\n", 2);
	T_EXPECT("**強調**\n次の行", "<p><strong>強調</strong>次の行</p>\n", 1);
	T_EXPECT("[リンク](u)\n次", "<p><a href=\"u\">リンク</a>次</p>\n", 1);
	T_EXPECT("見よ{漢字|かんじ}\n次",
	         "<p>見よ<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>次</p>\n", 2);
	T_SAME("日本語\nEnglish\n日本語", BB_CJK_ALL);
	T_SAME("日本語 \nです", BB_CJK_ALL & ~BB_CJK_SOFTBREAK);
	T_SAME("한국어\n문장", BB_CJK_ALL);
	T_SAME("日本語  \n次\\\n次", BB_CJK_ALL);
	T_SAME("`日本語\n文章`", BB_CJK_ALL);
	T_SAME("English\ntext", BB_CJK_ALL);
}

/* Trees built by hand have no raw source: the passes must still work on
 * what they can see, and adjacent text nodes must be joined first. */
static void
T_hand_built(void)
{
	static const char *parts[] = { "見よ{漢", "字|かん", "じ}と**「a」**は\xE3\x80\x82", NULL };
	cmark_node *doc = cmark_node_new(CMARK_NODE_DOCUMENT);
	cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
	cmark_node *t;
	unsigned n;
	char *html;
	size_t i;

	cmark_node_append_child(doc, para);
	for (i = 0; parts[i]; i++) {
		t = cmark_node_new(CMARK_NODE_TEXT);
		cmark_node_set_literal(t, parts[i]);
		cmark_node_append_child(para, t);
	}
	cmark_node_append_child(para, cmark_node_new(CMARK_NODE_SOFTBREAK));
	t = cmark_node_new(CMARK_NODE_TEXT);
	cmark_node_set_literal(t, "次");
	cmark_node_append_child(para, t);
	n = bb_cjk_transform(doc, BB_CJK_ALL);
	html = cmark_render_html(doc, T_OPTS, NULL);
	CHECK_STR(html, "<p>見よ<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>と**「a」**は。次</p>\n");
	CHECK(n == 2);
	free(html);
	cmark_node_free(doc);
	CHECK(bb_cjk_transform(NULL, BB_CJK_ALL) == 0);
}

/* Sizes where a quadratic step would show: long paragraphs of runs, deep
 * nesting, unclosed braces. Prints the time; checks the counts. */
static void
T_large(void)
{
	static const struct { const char *name, *unit; int n; unsigned changes; } cases[] = {
		{ "strong", "**「重要」**です", 20000, 20000 },
		{ "openers", "*「あ", 20000, 9999 },
		{ "rule of three", "*「a **「b 」**c", 20000, 30000 },
		{ "ruby, tcy", "{漢字|かんじ}^12^年", 20000, 40000 },
		{ "unclosed ruby", "{漢|", 50000, 0 },
		{ "lines", "日本語\n", 20000, 19999 },
		{ "web-novel ruby, dots", "｜お伽話《おとぎばなし》漢字《かんじ》《《点》》", 20000, 60000 },
		{ "unclosed web-novel", "漢字《か｜《《｜あ", 50000, 0 },
	};
	size_t i, k;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t ul = strlen(cases[i].unit);
		char *md = bb_xmalloc(ul * (size_t)cases[i].n + 1), *html;
		unsigned n;
		clock_t t0 = clock();
		for (k = 0; k < (size_t)cases[i].n; k++)
			memcpy(md + k * ul, cases[i].unit, ul);
		md[ul * (size_t)cases[i].n] = '\0';
		html = T_html(md, ul * (size_t)cases[i].n, BB_CJK_ALL | BB_CJK_WEBNOVEL, &n);
		printf("# %d x %s: %u changes, %.2fs\n", cases[i].n, cases[i].name, n,
		       (double)(clock() - t0) / CLOCKS_PER_SEC);
		CHECK(n == cases[i].changes);
		free(html);
		free(md);
	}
	/* 10000 strong elements nested in one another */
	{
		size_t depth = 20000, at = 0;
		char *md = bb_xmalloc(2 * depth + 64), *html;
		const char *h, *end = "</strong></strong>です</p>\n";
		size_t opens = 0;
		unsigned n;

		for (k = 0; k < depth; k++)
			md[at++] = '*';
		memcpy(md + at, "「あ」", 9);
		at += 9;
		for (k = 0; k < depth; k++)
			md[at++] = '*';
		memcpy(md + at, "です", 7);
		html = T_html(md, strlen(md), BB_CJK_ALL, &n);
		CHECK(n == depth / 2);
		for (h = html; (h = strstr(h, "<strong>")) != NULL;) {
			opens++;
			h += 8;
		}
		CHECK(opens == depth / 2);
		CHECK(strstr(html, "<strong><strong>「あ」</strong></strong>") != NULL);
		CHECK(strlen(html) > strlen(end) &&
		      strcmp(html + strlen(html) - strlen(end), end) == 0);
		free(html);
		free(md);
	}
}

/* ---- the shared corpora ---- */

typedef struct {
	int files, cjk_files, differ, forced_differ;
	unsigned changes;
} T_tally;

static int
T_has_cjk(const char *s, size_t n)
{
	size_t i = 0;
	unsigned cp;
	int k;

	while (i < n) {
		k = bb_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		if (bb_is_cjk(cp))
			return 1;
		i += (size_t)k;
	}
	return 0;
}

static void
T_corpus_file(const char *path, T_tally *t)
{
	char *data = NULL, *plain, *all, *forced;
	size_t len;
	unsigned n;

	if (bb_read_file(path, 16u << 20, &data, &len) != 0) {
		free(data);
		return;
	}
	plain = T_html(data, len, 0, NULL);
	all = T_html(data, len, BB_CJK_ALL, &n);
	t->files++;
	t->changes += n;
	if (T_has_cjk(data, len)) {
		t->cjk_files++;
	} else {
		/* Without CJK nothing may change, even when every scope is
		 * re-parsed. */
		forced = T_html(data, len, BB_CJK_EMPHASIS | BB_CJK_EMPHASIS_ALWAYS, NULL);
		if (strcmp(plain, all) != 0 || n != 0) {
			t->differ++;
			fprintf(stderr, "%s: changed by the CJK passes\n", path);
		}
		if (strcmp(plain, forced) != 0) {
			t->forced_differ++;
			fprintf(stderr, "%s: re-parsed emphasis differs from cmark's\n", path);
		}
		free(forced);
	}
	free(plain);
	free(all);
	free(data);
}

/* tap_walk_markdown's callback. */
static void
T_corpus_one(const char *path, void *t)
{
	T_corpus_file(path, t);
}

static void
T_corpora(void)
{
	char *root = tap_shared("corpora");
	T_tally t;
	clock_t t0 = clock();

	memset(&t, 0, sizeof t);
	tap_walk_markdown(root, T_corpus_one, &t, 0);
	if (t.files == 0) {
		SKIP("corpora", "no Markdown file under BB_SHARED/corpora");
		free(root);
		return;
	}
	free(root);
	printf("# corpora: %d files (%d with CJK), %u changes, %.2fs\n", t.files, t.cjk_files,
	       t.changes, (double)(clock() - t0) / CLOCKS_PER_SEC);
	CHECK(t.differ == 0);
	CHECK(t.forced_differ == 0);
}

/* Web-novel notation (webnovel.c) with every pass on: md renders to
 * want, with nchanges changes. */
static void
T_wn(const char *md, const char *want, unsigned nchanges)
{
	unsigned n;
	char *h = T_cjk(md, BB_CJK_ALL | BB_CJK_WEBNOVEL, &n);
	CHECK_STR(h, want);
	if (n != nchanges)
		fprintf(stderr, "  changes for %s: %u, want %u\n", md, n, nchanges);
	CHECK(n == nchanges);
	free(h);
}

#define T_R(b, r) "<ruby>" b "<rp>(</rp><rt>" r "</rt><rp>)</rp></ruby>"

static void
T_webnovel(void)
{
	char *a, *b;
	/* the three forms, and the bar's two widths */
	T_wn("｜お伽話《フェアリーテイル》", "<p>" T_R("お伽話", "フェアリーテイル") "</p>\n", 1);
	T_wn("わたしは|山田太郎《やまだたろう》です", "<p>わたしは" T_R("山田太郎", "やまだたろう") "です</p>\n", 1);
	T_wn("楽しい小説《ライトノベル》と漢字《かんじ》", "<p>楽しい" T_R("小説", "ライトノベル") "と"
		T_R("漢字", "かんじ") "</p>\n", 2);
	T_wn("佐々木《ささき》さん、一ヶ月《いっかげつ》", "<p>" T_R("佐々木", "ささき") "さん、" T_R("一ヶ月", "いっかげつ") "</p>\n", 2);
	T_wn("これは《《傍点》》です", "<p>これは<em class=\"bouten\">傍点</em>です</p>\n", 1);
	/* the same as DenDen ruby writes it */
	a = T_cjk("{漢字|かんじ}", BB_CJK_ALL, NULL);
	b = T_cjk("漢字《かんじ》", BB_CJK_ALL | BB_CJK_WEBNOVEL, NULL);
	CHECK_STR(b, a);
	free(a);
	free(b);
	/* inside emphasis and links */
	T_wn("**魔王《まおう》**と*《《強調》》*", "<p><strong>" T_R("魔王", "まおう") "</strong>と<em><em class=\"bouten\">強調</em></em></p>\n", 4);
	T_wn("[勇者《ゆうしゃ》](https://example.com/)", "<p><a href=\"https://example.com/\">" T_R("勇者", "ゆうしゃ") "</a></p>\n", 1);
	T_wn("# 見出しの漢字《かんじ》", "<h1>見出しの" T_R("漢字", "かんじ") "</h1>\n", 1);
	/* never in code, raw HTML, image descriptions or URLs */
	T_wn("`漢字《かんじ》`と`｜x《y》`", "<p><code>漢字《かんじ》</code>と<code>｜x《y》</code></p>\n", 0);
	T_wn("```\n｜漢字《かんじ》\n《《点》》\n```", "<pre><code>｜漢字《かんじ》\n《《点》》\n</code></pre>\n", 0);
	T_wn("<span title=\"漢字《かんじ》\">字</span>", "<p><span title=\"漢字《かんじ》\">字</span></p>\n", 0);
	T_wn("![漢字《かんじ》](a.png)", "<p><img src=\"a.png\" alt=\"漢字《かんじ》\" /></p>\n", 0);
	/* the escape: a bar before 《 is dropped and 《 stays */
	T_wn("｜《あ》と|《い》、｜《《う》》", "<p>《あ》と《い》、《《う》》</p>\n", 0);
	/* an escaped ASCII bar starts no ruby; the kanji before 《 still take it */
	T_wn("\\|漢字《かんじ》", "<p>|" T_R("漢字", "かんじ") "</p>\n", 1);
	/* no ruby: Chinese title marks, a reading not in kana without a bar, no
	 * kanji before 《, an empty reading, too long a base or reading, across
	 * a line break */
	T_SAME("我读了曹雪芹的《红楼梦》。", BB_CJK_ALL | BB_CJK_WEBNOVEL);
	T_SAME("漢字《感字》と見出し《みだし》と漢字《》", BB_CJK_ALL | BB_CJK_WEBNOVEL);
	T_wn("｜漢字《感字》", "<p>" T_R("漢字", "感字") "</p>\n", 1);
	T_SAME("｜一二三四五六七八九十一二三四五六七八九十一《ながい》", BB_CJK_ALL | BB_CJK_WEBNOVEL);
	T_wn("｜一二三四五六七八九十一二三四五六七八九十《ながい》", "<p>" T_R("一二三四五六七八九十一二三四五六七八九十", "ながい") "</p>\n", 1);
	T_SAME("漢字《あいうえおかきくけこあいうえおかきくけこあいうえおかきくけこあいうえおかきくけこあいうえおかきくけこあ》",
		BB_CJK_ALL | BB_CJK_WEBNOVEL);
	T_wn("漢字\n《かんじ》", "<p>漢字《かんじ》</p>\n", 1);
	T_SAME("《《点》", BB_CJK_ALL | BB_CJK_WEBNOVEL);
	/* markup characters and XML in base and reading */
	T_wn("｜A&B\\*《エー・ビー》", "<p>" T_R("A&amp;B*", "エー・ビー") "</p>\n", 1);
	/* off without the flag */
	T_SAME("漢字《かんじ》《《点》》", BB_CJK_ALL);
}

int
main(void)
{
	cmark_gfm_core_extensions_ensure_registered();
	T_ruby();
	T_tcy();
	T_emphasis();
	T_english_unchanged();
	T_softbreak();
	T_hand_built();
	T_large();
	T_webnovel();
	T_corpora();
	return TEST_DONE();
}
