/* test_kramdown_parts.c: the files of the kramdown dialect one at a time,
 * through their own calls (kramdown_int.h), each section named for the file
 * it exercises: small scanners (kramdown_scan.c), attribute lists and
 * markers (kramdown_attr.c), one line's spans (kramdown_span.c), the line
 * scanner (kramdown_block.c), definition lists (kramdown_deflist.c),
 * headerless tables (kramdown_table.c), typography and smart quotes
 * (kramdown_typo.c), abbreviations (kramdown_abbr.c), the tree walk
 * (kramdown_tree.c) and the driver's fragments and pre-scan (kramdown.c).
 * test_kramdown.c checks the whole dialect against kramdown's own output. */
#include "tap.h"
#include "kramdown_int.h"

#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static int notes, warnings;

static void
T_count(void *ud, int sev, unsigned line, unsigned col, const char *msg)
{
	(void)ud, (void)line, (void)col, (void)msg;
	if (sev == BB_KRAMDOWN_WARNING)
		warnings++;
	else
		notes++;
}

static bb_kramdown_opts T_o;
static size_t T_frags;

/* A fresh pass state for input in (counting its messages). */
static void
T_state(kd_state *st, bb_kramdown_input in)
{
	memset(st, 0, sizeof *st);
	bb_kramdown_opts_init(&T_o, in);
	T_frags = 0;
	st->o = &T_o;
	st->diag = T_count;
	st->frags = &T_frags;
	notes = warnings = 0;
}

static void
T_state_free(kd_state *st)
{
	size_t i;
	bb_kd_abbr_free(&st->abbr);
	for (i = 0; i < st->nald; i++) {
		free(st->ald[i].name);
		free(st->ald[i].body);
	}
	free(st->ald);
	bb_buf_free(&st->refdefs);
}

/* out's text, "" when it holds nothing. */
static const char *
T_s(const bb_buf *b)
{
	return b->data ? b->data : "";
}

/* Parses md with cmark-gfm (no extensions); the caller frees the doc. */
static cmark_node *
T_parse(const char *md)
{
	return cmark_parse_document(md, strlen(md), CMARK_OPT_UNSAFE);
}

/* Renders doc as HTML and frees it; the caller frees the HTML. */
static char *
T_html(cmark_node *doc)
{
	char *h = cmark_render_html(doc, CMARK_OPT_UNSAFE, NULL);
	cmark_node_free(doc);
	return h;
}

/* ---- kramdown_scan.c ---- */

static void
T_scan(void)
{
	size_t b, n;
	char c = 0;
	kd_line *L;
	const char *h = "abcabd";

	CHECK(kd_blank(" \t\r", 3) == 1);
	CHECK(kd_blank(" a", 2) == 0);
	CHECK(kd_indent("\t  x", 4, &b) == 6 && b == 3);
	CHECK(kd_indent("  \tx", 4, &b) == 4 && b == 3);
	CHECK(kd_rtrim("ab \t\r", 5) == 2);
	CHECK(bb_kd_strncasecmp("DiV", "div", 3) == 0);
	CHECK(bb_kd_strncasecmp("dix", "div", 3) != 0);
	CHECK(bb_kd_memmem(h, 6, "abd", 3) == h + 3);
	CHECK(bb_kd_memmem(h, 6, "abe", 3) == NULL);
	/* list markers: the length up to the marker's end, or 0 */
	CHECK(bb_kd_list_marker("* a", 3) == 1);
	CHECK(bb_kd_list_marker("   - a", 6) == 4);
	CHECK(bb_kd_list_marker("12. x", 5) == 3);
	CHECK(bb_kd_list_marker("1) x", 4) == 2);
	CHECK(bb_kd_list_marker("*a", 2) == 0);
	CHECK(bb_kd_list_marker("    - a", 7) == 0);
	CHECK(bb_kd_list_marker("1234567890. x", 13) == 0);
	/* fences */
	CHECK(bb_kd_fence("```rb", 5, &c) == 3 && c == '`');
	CHECK(bb_kd_fence("  ~~~~", 6, &c) == 4 && c == '~');
	CHECK(bb_kd_fence("``", 2, &c) == 0);
	CHECK(bb_kd_fence("``` a`b", 7, &c) == 0);
	CHECK(bb_kd_fence("    ```", 7, &c) == 0);
	/* lines */
	L = bb_kd_lines("a\n\nbc", 5, &n);
	CHECK(n == 3 && L[0].n == 1 && L[1].n == 0 && L[2].n == 2 && L[2].s[0] == 'b');
	free(L);
	L = bb_kd_lines("a\n", 2, &n);
	CHECK(n == 1);
	free(L);
	/* backtick runs by length: "`a``b`" has runs of 1 at 0 and 5, of 2 at 2 */
	{
		const char *t = "`a``b`";
		kd_ticks k;
		char many[4200];
		size_t i, p = 1, len;
		bb_kd_ticks_init(&k, t, strlen(t));
		CHECK(bb_kd_ticks_after(&k, 1, 0) && !bb_kd_ticks_after(&k, 1, 5));
		CHECK(bb_kd_ticks_after(&k, 2, 0) && bb_kd_ticks_after(&k, 2, 1) && !bb_kd_ticks_after(&k, 2, 2));
		CHECK(!bb_kd_ticks_after(&k, 3, 0));
		bb_kd_ticks_free(&k);
		/* runs of every length 1..90 (distinct lengths near sqrt(2n)): the
		 * table must hold them all */
		many[0] = 'x';
		for (len = 1; len <= 90 && p + len + 1 < sizeof many; len++) {
			memset(many + p, '`', len);
			p += len;
			many[p++] = 'x';
		}
		bb_kd_ticks_init(&k, many, p);
		for (i = 1; i < len; i++)
			if (!bb_kd_ticks_after(&k, i, 0))
				break;
		CHECK(i == len && !bb_kd_ticks_after(&k, len, 0));
		bb_kd_ticks_free(&k);
	}
}

/* ---- kramdown_attr.c ---- */

/* The attributes of an IAL body, as "cls|id|toc". */
static void
T_attrs(kd_state *st, const char *body, const char *want)
{
	kd_attrs a;
	char got[300];
	memset(&a, 0, sizeof a);
	bb_kd_parse_attrs(st, body, strlen(body), &a, 1, 1, 0);
	snprintf(got, sizeof got, "%s|%s|%d", T_s(&a.cls), a.id ? a.id : "", a.toc);
	CHECK_STR(got, want);
	bb_kd_attrs_free(&a);
}

static void
T_attr(void)
{
	kd_state st;
	kd_attrs a;
	bb_buf out = BB_BUF_INIT;
	char *cls, *id;
	size_t nb, ne, bb, be;

	T_state(&st, BB_KRAMDOWN_KRAMDOWN);
	T_attrs(&st, ".a.b #c", "a b|c|0");
	T_attrs(&st, "class=\"x y\" id='z'", "x y|z|0");
	CHECK(notes == 0 && warnings == 0);
	T_attrs(&st, "style=\"color:red\" .k", "k||0");
	CHECK(notes == 1 && warnings == 0);
	T_attrs(&st, "onclick=\"evil()\"", "||0");
	CHECK(warnings == 1);
	T_attrs(&st, ".a--b #1x .ok", "ok||0");   /* unsafe class and id dropped */
	T_attrs(&st, "toc", "||1");
	/* ALDs, referenced by name; one naming itself stops */
	st.ald = bb_xmalloc(2 * sizeof *st.ald);
	st.ald[0].name = bb_xstrdup("ref");
	st.ald[0].body = bb_xstrdup(".fromref #rid");
	st.ald[1].name = bb_xstrdup("loop");
	st.ald[1].body = bb_xstrdup("loop .x");
	st.nald = 2;
	T_attrs(&st, "ref .b", "fromref b|rid|0");
	notes = 0;
	T_attrs(&st, "nosuch", "||0");
	CHECK(notes == 1);
	memset(&a, 0, sizeof a);
	bb_kd_parse_attrs(&st, "loop", 4, &a, 1, 1, 0);
	CHECK(a.cls.len == 8 * 2 - 1);   /* .x at each of the 8 levels under it */
	/* a marker written and read back */
	bb_kd_put_marker(&out, "bb-ial", &a);
	CHECK_STR(T_s(&out), "<!--bb-ial .x .x .x .x .x .x .x .x-->");
	bb_kd_attrs_free(&a);
	bb_buf_reset(&out);
	memset(&a, 0, sizeof a);
	bb_kd_parse_attrs(&st, ".p .q #r", 8, &a, 1, 1, 0);
	bb_kd_put_marker(&out, "bb-ial-next", &a);
	CHECK_STR(T_s(&out), "<!--bb-ial-next .p .q #r-->");
	CHECK(bb_kramdown_marker(out.data, out.len, &cls, &id) == BB_KRAMDOWN_MARK_NEXT);
	CHECK_STR(cls, "p q");
	CHECK_STR(id, "r");
	free(cls);
	free(id);
	bb_kd_attrs_free(&a);
	bb_buf_free(&out);
	CHECK(bb_kramdown_marker("<!--bb-ial-item #i-->\n", 22, &cls, &id) == BB_KRAMDOWN_MARK_ITEM);
	CHECK(cls == NULL && id && strcmp(id, "i") == 0);
	free(id);
	CHECK(bb_kramdown_marker("bb-ial .c", 9, &cls, &id) == BB_KRAMDOWN_MARK_PREV);
	free(cls);
	CHECK(bb_kramdown_marker("<!--bb-ialx .c-->", 17, &cls, &id) == BB_KRAMDOWN_MARK_NONE);
	CHECK(bb_kramdown_marker("<!--bb-ial .a--b #x\"y-->", 24, &cls, &id) == BB_KRAMDOWN_MARK_PREV);
	CHECK(cls == NULL && id == NULL);   /* unsafe ones are not read either */
	/* the lines */
	CHECK(bb_kd_ald_line("{:ref: .c}", 10, &nb, &ne, &bb, &be) && ne - nb == 3 && be - bb == 3);
	CHECK(!bb_kd_ald_line("{:toc}", 6, &nb, &ne, &bb, &be));
	CHECK(bb_kd_ial_line("{: .c}", 6, &bb, &be) && bb == 2 && be == 5);
	CHECK(bb_kd_ial_line("> {:.x}", 7, &bb, &be) && bb == 4);
	CHECK(!bb_kd_ial_line("{::comment}", 11, &bb, &be));
	CHECK(!bb_kd_ial_line("{:ref: .c}", 10, &bb, &be));
	T_state_free(&st);
}

/* ---- kramdown_span.c ---- */

/* One line through bb_kd_inline must become want. */
static void
T_line(bb_kramdown_input in, const char *s, const char *want)
{
	kd_state st;
	bb_buf out = BB_BUF_INIT;
	T_state(&st, in);
	bb_kd_inline(&st, s, strlen(s), &out, 1);
	CHECK_STR(T_s(&out), want);
	bb_buf_free(&out);
	T_state_free(&st);
}

static void
T_span(void)
{
	T_line(BB_KRAMDOWN_GFM, "*em*{: .c} x", "*em*<!--bb-ial .c--> x");
	T_line(BB_KRAMDOWN_GFM, "- {:.x} item", "- item<!--bb-ial-item .x-->");
	T_line(BB_KRAMDOWN_GFM, "text {: .c}", "text ");
	CHECK(warnings == 1);   /* a span IAL after text applies to nothing */
	T_line(BB_KRAMDOWN_GFM, "a {::nomarkdown}<b>*x*</b>{:/} z", "a <b>\\*x\\*</b> z");
	T_line(BB_KRAMDOWN_GFM, "{::comment}secret{:/comment} ok", " ok");
	T_line(BB_KRAMDOWN_GFM, "{::nomarkdown}x", "x");
	CHECK(warnings == 1);   /* no stop tag: the tag dropped, the text kept */
	T_line(BB_KRAMDOWN_GFM, "~~a。~~す", "<del>a。</del>す");
	T_line(BB_KRAMDOWN_KRAMDOWN, "~~a~~b", "~~a~~b");
	T_line(BB_KRAMDOWN_GFM, "~~ a~~", "~~ a~~");
	T_line(BB_KRAMDOWN_GFM, "[x](a b.html)", "[x](<a b.html>)");
	T_line(BB_KRAMDOWN_GFM, "[x](a b \"t\")", "[x](<a b> \"t\")");
	T_line(BB_KRAMDOWN_GFM, "[x](a.html)", "[x](a.html)");
	T_line(BB_KRAMDOWN_GFM, "a ` b", "a \\` b");
	T_line(BB_KRAMDOWN_GFM, "<<x", "\\<\\<x");
	T_line(BB_KRAMDOWN_GFM, "`{: .c}` and `` a`{:.d}` ``", "`{: .c}` and `` a`{:.d}` ``");
	T_line(BB_KRAMDOWN_GFM, "$$a{:.x}$$ b", "$$a{:.x}$$ b");
	T_line(BB_KRAMDOWN_GFM, "x {:/} y", "x  y");
}

/* ---- kramdown_block.c ---- */

/* A text through bb_kd_pass (no pre-scan) must become want. */
static void
T_block1(bb_kramdown_input in, const char *md, const char *want)
{
	kd_state st;
	bb_buf out = BB_BUF_INIT;
	T_state(&st, in);
	bb_kd_pass(&st, md, strlen(md), &out);
	CHECK_STR(T_s(&out), want);
	bb_buf_free(&out);
	T_state_free(&st);
}

static void
T_block(void)
{
	const bb_kramdown_input G = BB_KRAMDOWN_GFM, K = BB_KRAMDOWN_KRAMDOWN;
	T_block1(G, "# H {#top}\n", "# H\n<!--bb-ial #top-->\n");
	T_block1(G, "# H {#1x}\n", "# H\n");
	T_block1(G, "{:toc}\n", "<nav class=\"bb-toc\"></nav>\n\n");
	T_block1(G, "* TOC\n{:toc}\n", "<nav class=\"bb-toc\"></nav>\n\n");
	T_block1(G, "para\n{: .c}\n", "para\n<!--bb-ial .c-->\n");
	T_block1(G, "\n{: .c}\npara\n", "\n<!--bb-ial-next .c-->\npara\n");
	T_block1(G, "{::comment}\nx\n{:/comment}\ny\n", "\n\n\ny\n");
	T_block1(G, "{::nomarkdown}\n*a*\n\nb\n{:/}\n", "<div class=\"bb-nomarkdown\">\n*a*\n<!-- -->\nb\n</div>\n\n");
	T_block1(G, "<div>\na\n\nb\n</div>\n", "<div>\na\n<!-- -->\nb\n</div>\n");
	T_block1(G, "```\n{: .c}\n```\n", "```\n{: .c}\n```\n");
	T_block1(G, "```rb: x.rb\ncode\n", "\\```rb: x.rb\ncode\n");   /* no fence for kramdown */
	T_block1(G, "$$\n*a*{:.x}\n$$\n", "$$\n*a*{:.x}\n$$\n");
	T_block1(G, "    {: .c}\n", "    {: .c}\n");
	T_block1(K, "text\n* item\n", "text\n\\* item\n");
	T_block1(G, "text\n* item\n", "text\n* item\n");
	T_block1(K, "##x\n", "## x\n");
	T_block1(G, "##x\n", "##x\n");
	T_block1(K, "para\n# no\n", "para\n\\# no\n");
	T_block1(G, "{:ref: .c}\n*[A]: b\n", "\n\n");
	T_block1(G, "{::options parse_block_html=\"true\" /}\nx\n", "\nx\n");
	T_block1(G, "| a | b |\n|---|---|\n| c | d |\n|---|---|\n| e | f |\n",
		 "| a | b |\n|---|---|\n| c | d |\n| e | f |\n");
}

/* ---- kramdown_deflist.c ---- */

/* Definitions md for terms through bb_kd_deflist, after out0, must make
 * want, and use `used` lines. */
static void
T_dl(const char *out0, const char *terms, const char *md, int fap, const char *want, size_t used)
{
	kd_state st;
	bb_buf out = BB_BUF_INIT;
	size_t nl, k = 0;
	kd_line *L = bb_kd_lines(md, strlen(md), &nl);
	T_state(&st, BB_KRAMDOWN_GFM);
	bb_buf_puts(&out, out0);
	bb_kd_deflist(&st, L, nl, &k, terms, strlen(terms), fap, &out);
	CHECK_STR(T_s(&out), want);
	CHECK(k == used);
	free(L);
	bb_buf_free(&out);
	T_state_free(&st);
}

static void
T_deflist(void)
{
	size_t t;
	CHECK(bb_kd_dd_start(": a", 3, &t) && t == 1);
	CHECK(bb_kd_dd_start("  :\tb", 5, &t) && t == 3);
	CHECK(!bb_kd_dd_start(":a", 2, &t));
	CHECK(!bb_kd_dd_start("    : a", 7, &t));
	T_dl("", "Term\n", ": one\n: two -- 2\nafter\n", 0,
	     "<dl>\n<dt>Term</dt>\n<dd>one</dd>\n<dd>two \xe2\x80\x93 2\nafter</dd>\n</dl>\n", 3);
	T_dl("", "A\nB\n", ": *x*\n\n: y\n\nnext\n", 0,
	     "<dl>\n<dt>A</dt>\n<dt>B</dt>\n<dd><em>x</em></dd>\n<dd><p>y</p></dd>\n</dl>\n", 3);
	/* a list just before: one dl */
	T_dl("<dl>\n<dt>P</dt>\n<dd>q</dd>\n</dl>\n", "T\n", ": d\n", 0,
	     "<dl>\n<dt>P</dt>\n<dd>q</dd>\n<dt>T</dt>\n<dd>d</dd>\n</dl>\n", 1);
	T_dl("", "T\n", ": d\n    more\n", 1, "<dl>\n<dt>T</dt>\n<dd><p>d\nmore</p></dd>\n</dl>\n", 2);
}

/* ---- kramdown_table.c ---- */

/* Lines md through bb_kd_plain_table from line 0: want (or nothing), and
 * the line after the table (0: none). */
static void
T_tbl(const char *md, const char *want, size_t next)
{
	kd_state st;
	bb_buf out = BB_BUF_INIT;
	size_t nl, r;
	kd_line *L = bb_kd_lines(md, strlen(md), &nl);
	T_state(&st, BB_KRAMDOWN_KRAMDOWN);
	r = bb_kd_plain_table(&st, L, nl, 0, &out);
	CHECK(r == next);
	CHECK_STR(T_s(&out), want);
	free(L);
	bb_buf_free(&out);
	T_state_free(&st);
}

static void
T_table(void)
{
	CHECK(bb_kd_table_sep("|---|:-:|", 9));
	CHECK(bb_kd_table_sep("+===+", 5));
	CHECK(!bb_kd_table_sep("| a |", 5));
	CHECK(!bb_kd_table_sep("|:|", 3));
	T_tbl("a | b\nc | d\n",
	      "<table>\n<tbody>\n<tr><td>a</td><td>b</td></tr>\n<tr><td>c</td><td>d</td></tr>\n</tbody>\n</table>\n", 2);
	T_tbl("| a | *b* |\n\nnext\n", "<table>\n<tbody>\n<tr><td>a</td><td><em>b</em></td></tr>\n</tbody>\n</table>\n", 1);
	T_tbl("`a|b` | c\n", "<table>\n<tbody>\n<tr><td><code>a|b</code></td><td>c</td></tr>\n</tbody>\n</table>\n", 1);
	T_tbl("| a | b |\n|---|---|\n| c | d |\n", "", 0);  /* cmark-gfm's own table */
	T_tbl("a | b\nno pipe\n", "", 0);
	T_tbl("a | b\n\\| c\n", "", 0);
}

/* ---- kramdown_typo.c ---- */

/* s through bb_kd_typo with typographic symbols and smart quotes as asked. */
static void
T_ty(int typographic, int quotes, const char *s, const char *want)
{
	bb_kramdown_opts o;
	bb_buf out = BB_BUF_INIT;
	bb_kramdown_opts_init(&o, BB_KRAMDOWN_GFM);
	o.typographic = typographic;
	o.smart_quotes = quotes;
	bb_kd_typo(&o, s, strlen(s), 0, strlen(s), &out);
	CHECK_STR(T_s(&out), want);
	bb_buf_free(&out);
}

static void
T_typo(void)
{
	T_ty(1, 1, "a -- b --- c...", "a \xe2\x80\x93 b \xe2\x80\x94 c\xe2\x80\xa6");
	T_ty(1, 1, "<<x>>", "\xc2\xabx\xc2\xbb");
	T_ty(1, 1, "<< x >>", "\xc2\xab\xc2\xa0x\xc2\xa0\xc2\xbb");
	T_ty(1, 1, "\"Hi,\" she said", "\xe2\x80\x9cHi,\xe2\x80\x9d she said");
	T_ty(1, 1, "it's", "it\xe2\x80\x99s");
	T_ty(1, 1, "the '80s", "the \xe2\x80\x99" "80s");
	T_ty(1, 1, "'single'", "\xe2\x80\x98single\xe2\x80\x99");
	T_ty(1, 1, "\"'Hi'\"", "\xe2\x80\x9c\xe2\x80\x98Hi\xe2\x80\x99\xe2\x80\x9d");
	T_ty(0, 1, "a -- \"b\"", "a -- \xe2\x80\x9c" "b\xe2\x80\x9d");
	T_ty(1, 0, "a -- \"b\"", "a \xe2\x80\x93 \"b\"");
	T_ty(0, 0, "a -- \"b\" <<", "a -- \"b\" <<");
	{
		/* the look-ahead sees what follows s[a..b) but changes none of it */
		bb_kramdown_opts o;
		bb_buf out = BB_BUF_INIT;
		bb_kramdown_opts_init(&o, BB_KRAMDOWN_GFM);
		bb_kd_typo(&o, "\"*a", 3, 0, 1, &out);
		CHECK_STR(T_s(&out), "\xe2\x80\x9c");
		bb_buf_reset(&out);
		bb_kd_typo(&o, "\"*a", 1, 0, 1, &out);
		CHECK_STR(T_s(&out), "\xe2\x80\x9d");
		bb_buf_free(&out);
	}
}

/* ---- kramdown_abbr.c ---- */

static void
T_abbr(void)
{
	kd_abbrs a, back;
	bb_buf out = BB_BUF_INIT;
	size_t nb, ne, tb, te;
	cmark_node *doc, *para;
	char *h;

	CHECK(bb_kd_abbr_line("*[HTML]: Hyper Text  ", 21, &nb, &ne, &tb, &te) && nb == 2 && ne == 6 &&
	      tb == 9 && te == 19);
	CHECK(!bb_kd_abbr_line("*[]: x", 6, &nb, &ne, &tb, &te));
	CHECK(!bb_kd_abbr_line("[A]: x", 6, &nb, &ne, &tb, &te));
	memset(&a, 0, sizeof a);
	bb_kd_abbr_define(&a, "HTML", 4, "old", 3);
	bb_kd_abbr_define(&a, "W3C", 3, "Consortium", 10);
	bb_kd_abbr_define(&a, "HTML", 4, "Hyper-Text <ML>", 15);
	CHECK(a.n == 2 && strcmp(a.v[0].title, "Hyper-Text <ML>") == 0);
	/* the marker block, and the tree pass reading it back */
	bb_kd_abbr_put(&a, &out);
	CHECK_STR(T_s(&out), "\n\n<!--bb-abbr\nHTML\tHyper&#45;Text <ML&gt;\nW3C\tConsortium\n-->\n");
	doc = T_parse(T_s(&out));
	memset(&back, 0, sizeof back);
	bb_kd_abbr_read(&back, doc);
	CHECK(back.n == 2 && strcmp(back.v[0].name, "HTML") == 0 && strcmp(back.v[0].title, "Hyper-Text <ML>") == 0);
	CHECK(back.first['H'] && back.first['W'] && !back.first['X']);
	CHECK(cmark_node_first_child(doc) == NULL);   /* the marker is removed */
	cmark_node_free(doc);
	/* wrapped where no word character touches them */
	doc = T_parse("z\n");
	para = cmark_node_first_child(doc);
	bb_kd_abbr_nodes(&back, "HTML and XHTML, W3C's", 21, 0, cmark_node_first_child(para));
	cmark_node_free(cmark_node_last_child(para));   /* the old "z" */
	h = T_html(doc);
	CHECK_STR(h, "<p><abbr title=\"Hyper-Text &lt;ML&gt;\">HTML</abbr> and XHTML, "
		     "<abbr title=\"Consortium\">W3C</abbr>'s</p>\n");
	free(h);
	bb_kd_abbr_free(&back);
	bb_kd_abbr_free(&a);
	CHECK(a.v == NULL && a.n == 0);
	bb_buf_free(&out);
}

/* ---- kramdown_tree.c ---- */

/* md parsed by cmark (no extensions), then bb_kramdown_tree: want. */
static void
T_tr(const char *md, const char *want)
{
	bb_kramdown_opts o;
	cmark_node *doc = T_parse(md);
	char *h;
	bb_kramdown_opts_init(&o, BB_KRAMDOWN_GFM);
	CHECK(bb_kramdown_tree(doc, &o) == 0);
	h = T_html(doc);
	CHECK_STR(h, want);
	free(h);
}

static void
T_tree(void)
{
	T_tr("\"a\" -- `x--y` $a--b$ <span>--</span>\n",
	     "<p>\xe2\x80\x9c" "a\xe2\x80\x9d \xe2\x80\x93 <code>x--y</code> $a--b$ <span>\xe2\x80\x93</span></p>\n");
	T_tr("```\n\"a\" --\n```\n", "<pre><code>&quot;a&quot; --\n</code></pre>\n");
	/* display math over a soft break stays as written */
	T_tr("$$a--\nb$$ c--d\n", "<p>$$a--\nb$$ c\xe2\x80\x93" "d</p>\n");
	/* quotes see the markup around a text node */
	T_tr("*a*'s \"*b*\"\n", "<p><em>a</em>\xe2\x80\x99s \xe2\x80\x9c<em>b</em>\xe2\x80\x9d</p>\n");
	T_tr("- HTML here\n\n<!--bb-abbr\nHTML\tHT\n-->\n",
	     "<ul>\n<li><abbr title=\"HT\">HTML</abbr> here</li>\n</ul>\n");
	T_tr("`HTML`\n\n<!--bb-abbr\nHTML\tHT\n-->\n", "<p><code>HTML</code></p>\n");
}

/* ---- kramdown.c ---- */

/* md through bb_kd_fragment (in a fresh state at depth): want. */
static void
T_frag(int depth, const char *md, int unwrap, const char *want)
{
	kd_state st;
	char *h;
	T_state(&st, BB_KRAMDOWN_GFM);
	st.depth = depth;
	h = bb_kd_fragment(&st, md, strlen(md), unwrap, 1);
	CHECK_STR(h, want);
	free(h);
	T_state_free(&st);
}

static void
T_driver(void)
{
	const char *s;
	char *md;
	size_t n;
	bb_kramdown_opts o;
	T_frag(0, "a -- b", 1, "a \xe2\x80\x93 b");
	T_frag(0, "a & b", 0, "<p>a &amp; b</p>");
	T_frag(0, "*a*", 1, "<em>a</em>");
	T_frag(0, "*a*", 0, "<p><em>a</em></p>");
	T_frag(0, "a\n\nb", 1, "a\n<p>b</p>");
	T_frag(0, "```\nx\n\ny\n```", 0, "<pre><code>x\n<!-- -->\ny\n</code></pre>");
	/* past the depth bound: the pass's text without its markers */
	T_frag(KD_MAX_DEPTH, "*a*{: .c} <b>", 1, "*a* &lt;b&gt;\n");
	/* the pre-scan: an ALD and an abbreviation defined after their use,
	 * a reference definition reaching a definition list's fragment */
	bb_kramdown_opts_init(&o, BB_KRAMDOWN_GFM);
	s = "*a*{: r} W3C\n\n{:r: .late}\n*[W3C]: Consortium\n";
	md = bb_kramdown_pass(s, strlen(s), &o, &n, NULL, NULL);
	CHECK_STR(md, "*a*<!--bb-ial .late--> W3C\n\n\n\n\n\n<!--bb-abbr\nW3C\tConsortium\n-->\n");
	CHECK(n == strlen(md));
	free(md);
	s = "T\n: see [x]\n\n[x]: http://e.org\n";
	md = bb_kramdown_pass(s, strlen(s), &o, &n, NULL, NULL);
	CHECK(strstr(md, "<dd>see <a href=\"http://e.org\">x</a></dd>") != NULL);
	free(md);
	md = bb_kramdown_pass("", 0, &o, &n, NULL, NULL);
	CHECK(md && n == 0 && md[0] == '\0');
	free(md);
}

int
main(void)
{
	cmark_gfm_core_extensions_ensure_registered();
	T_scan();
	T_attr();
	T_span();
	T_block();
	T_deflist();
	T_table();
	T_typo();
	T_abbr();
	T_tree();
	T_driver();
	return TEST_DONE();
}
