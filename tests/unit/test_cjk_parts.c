/* test_cjk_parts.c: unit tests for each file of the CJK passes alone, through cjk_int.h: cjk_char.c (character classes, node edges), cjk_align.c (the tree matched with the raw source), cjk_emph.c (CJK-friendly emphasis of one block) and cjk_ruby.c (ruby and tate-chu-yoko in one text node). test_cjk.c tests them together through bb_cjk_transform. */
#include "cjk_int.h"
#include "tap.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

/* The first paragraph of md parsed by plain cmark (doc to free in *doc). */
static cmark_node *
T_para(const char *md, int opts, cmark_node **doc)
{
	*doc = cmark_parse_document(md, strlen(md), opts);
	return cmark_node_first_child(*doc);
}

/* The state for one block, its raw source taken as cjk.c takes it. */
static void
T_state(cjk_state *st, cmark_node *block, unsigned flags)
{
	memset(st, 0, sizeof *st);
	st->flags = flags;
	st->raw = (const unsigned char *)cmark_node_get_string_content(block);
	st->len = strlen((const char *)st->raw);
	while (st->len > 0 && bb_cjk_isspace(st->raw[st->len - 1]))
		st->len--;
}

static void
T_state_free(cjk_state *st)
{
	free(st->rec);
	free(st->dl);
	free(st->stk);
	free(st->tok);
	free(st->fr);
	free(st->run);
	free(st->erun);
	free(st->dlm);
	free(st->nodes);
	free(st->sig);
	bb_buf_free(&st->buf);
	bb_buf_free(&st->buf2);
}

static void
test_char(void)
{
	const unsigned char s[] = "a\xE3\x81\x82";      /* a, HIRAGANA A */
	unsigned char out[4];
	size_t k;
	cmark_node *doc, *p;

	CHECK(bb_cjk_wide(0x3042) && bb_cjk_wide(0x6F22) && bb_cjk_wide(0xAC00));
	CHECK(!bb_cjk_wide('a') && !bb_cjk_wide(0x00E9));
	/* Hangul is wide but spaces words: its lines are not joined */
	CHECK(bb_cjk_joins(0x6F22) && !bb_cjk_joins(0xAC00) && !bb_cjk_joins('a'));
	CHECK(bb_cjk_mark(0x3099) && bb_cjk_mark(0xFE00) && !bb_cjk_mark(0x3042));
	CHECK(bb_cjk_cp_at(s + 1, 3, &k) == 0x3042 && k == 3);
	CHECK(bb_cjk_cp_at((const unsigned char *)"\xFF", 1, &k) == 0xFFFD && k == 1);
	CHECK(bb_cjk_cp_before(s, 0, 4) == 0x3042);
	CHECK(bb_cjk_cp_before(s, 0, 1) == 'a' && bb_cjk_cp_before(s, 1, 1) == 0);
	CHECK(bb_cjk_norm(CJK_SENT + '*') == '*' && bb_cjk_norm(0x3042) == 0x3042);
	CHECK(bb_cjk_utf8(0x3042, out) == 3 && memcmp(out, s + 1, 3) == 0);
	CHECK(bb_cjk_utf8(0x10FF2A, out) == 4 && out[0] == 0xF4);
	CHECK(bb_cjk_special('*') && bb_cjk_special('^') && !bb_cjk_special('#'));
	CHECK(bb_cjk_punct(0x3002) && !bb_cjk_punct(0x3042) && bb_cjk_space(0x3000));

	/* the first and last characters seen through emphasis and links */
	p = T_para("*\xE6\xBC\xA2*x[y\xE3\x81\x82](u)", 0, &doc);
	CHECK(bb_cjk_is_inline_block(p) && !bb_cjk_is_inline_block(doc));
	CHECK(bb_cjk_edge(cmark_node_first_child(p), 0) == 0x6F22);
	CHECK(bb_cjk_edge(cmark_node_last_child(p), 1) == 0x3042);
	CHECK(bb_cjk_edge(NULL, 0) == 0);
	cmark_node_free(doc);
}

static void
test_align(void)
{
	cmark_node *doc, *p;
	cjk_state st;
	size_t len;
	const unsigned char *lit;

	/* "a *b* \*c": one emphasis, its delimiters at raw 2 and 4; the
	 * escaped star is no delimiter and becomes a sentinel */
	p = T_para("a *b* \\*c &ast;\n", 0, &doc);
	T_state(&st, p, BB_CJK_EMPHASIS);
	CHECK(bb_cjk_align_block(&st, p) == 0);
	CHECK(st.nrec == 1 && st.ndl == 0);
	CHECK(st.nrec == 1 && cmark_node_get_type(st.rec[0].node) == CMARK_NODE_EMPH);
	CHECK(st.nrec == 1 && st.rec[0].open == 2 && st.rec[0].close == 4 && st.rec[0].ch == '*');
	lit = bb_cjk_literal(cmark_node_last_child(p), &len);
	CHECK(len == 11 && bb_cjk_norm(bb_cjk_cp_at(lit + 1, len - 1, &len)) == '*');
	T_state_free(&st);
	cmark_node_free(doc);

	/* a star that stays text (no partner) is a delimiter byte of its node */
	p = T_para("x * y *z\n", 0, &doc);
	T_state(&st, p, BB_CJK_EMPHASIS);
	CHECK(bb_cjk_align_block(&st, p) == 0);
	CHECK(st.ndl == 2 && st.dl[0].raw == 2 && st.dl[1].raw == 6);
	T_state_free(&st);
	cmark_node_free(doc);

	/* smart quotes change the text: the tree cannot be matched */
	p = T_para("\"a\" *b*\n", CMARK_OPT_SMART, &doc);
	T_state(&st, p, BB_CJK_EMPHASIS);
	CHECK(bb_cjk_align_block(&st, p) == -1);
	T_state_free(&st);
	cmark_node_free(doc);
}

/* The block's HTML after bb_cjk_emph_block (caller frees). */
static char *
T_emph(const char *md, unsigned flags)
{
	cmark_node *doc, *p = T_para(md, 0, &doc);
	cjk_state st;
	char *html = NULL;

	T_state(&st, p, flags);
	if (bb_cjk_align_block(&st, p) == 0) {
		bb_cjk_emph_block(&st, p);
		html = cmark_render_html(doc, 0, NULL);
	}
	T_state_free(&st);
	cmark_node_free(doc);
	return html;
}

static void
test_emph(void)
{
	char *h;

	/* **「重要」**です: cmark's closer is not right-flanking; here it is */
	h = T_emph("**\xE3\x80\x8C\xE9\x87\x8D\xE8\xA6\x81\xE3\x80\x8D**\xE3\x81\xA7\xE3\x81\x99\n",
	           BB_CJK_EMPHASIS);
	CHECK_STR(h, "<p><strong>\xE3\x80\x8C\xE9\x87\x8D\xE8\xA6\x81\xE3\x80\x8D</strong>"
	             "\xE3\x81\xA7\xE3\x81\x99</p>\n");
	free(h);
	/* no CJK: the scope is left as cmark parsed it */
	h = T_emph("**\"a\"**b and *c*\n", BB_CJK_EMPHASIS);
	CHECK_STR(h, "<p>**&quot;a&quot;**b and <em>c</em></p>\n");
	free(h);
	/* re-paired by force, the result equals cmark's own */
	h = T_emph("a **b *c* d** _e_\n", BB_CJK_EMPHASIS | BB_CJK_EMPHASIS_ALWAYS);
	CHECK_STR(h, "<p>a <strong>b <em>c</em> d</strong> <em>e</em></p>\n");
	free(h);
}

/* The paragraph of md after bb_cjk_ruby_tcy_text on its only text node,
 * as HTML (caller frees); *changes gets the count. */
static char *
T_ruby(const char *md, unsigned flags, unsigned *changes)
{
	cmark_node *doc, *p = T_para(md, 0, &doc);
	cjk_state st;
	char *html;

	memset(&st, 0, sizeof st);
	st.flags = flags;
	cmark_consolidate_text_nodes(p);
	bb_cjk_ruby_tcy_text(&st, cmark_node_first_child(p));
	html = cmark_render_html(doc, CMARK_OPT_UNSAFE, NULL);
	*changes = st.changes;
	T_state_free(&st);
	cmark_node_free(doc);
	return html;
}

static void
test_ruby(void)
{
	unsigned n;
	char *h;

	/* {漢字|かんじ}です */
	h = T_ruby("{\xE6\xBC\xA2\xE5\xAD\x97|\xE3\x81\x8B\xE3\x82\x93\xE3\x81\x98}\xE3\x81\xA7\xE3\x81\x99\n",
	           BB_CJK_RUBY, &n);
	CHECK_STR(h, "<p><ruby>\xE6\xBC\xA2\xE5\xAD\x97<rp>(</rp><rt>\xE3\x81\x8B\xE3\x82\x93\xE3\x81\x98"
	             "</rt><rp>)</rp></ruby>\xE3\x81\xA7\xE3\x81\x99</p>\n");
	CHECK(n == 1);
	free(h);
	/* {漢字|かん|じ}: one reading per base character */
	h = T_ruby("{\xE6\xBC\xA2\xE5\xAD\x97|\xE3\x81\x8B\xE3\x82\x93|\xE3\x81\x98}\n", BB_CJK_RUBY, &n);
	CHECK_STR(h, "<p><ruby>\xE6\xBC\xA2<rp>(</rp><rt>\xE3\x81\x8B\xE3\x82\x93</rt><rp>)</rp>"
	             "\xE5\xAD\x97<rp>(</rp><rt>\xE3\x81\x98</rt><rp>)</rp></ruby></p>\n");
	CHECK(n == 1);
	free(h);
	/* {a|b} has no CJK character: stays */
	h = T_ruby("{a|b}\n", BB_CJK_RUBY, &n);
	CHECK_STR(h, "<p>{a|b}</p>\n");
	CHECK(n == 0);
	free(h);
	/* 昭和^53^年, only with the tate-chu-yoko flag */
	h = T_ruby("\xE6\x98\xAD\xE5\x92\x8C^53^\xE5\xB9\xB4\n", BB_CJK_TCY, &n);
	CHECK_STR(h, "<p>\xE6\x98\xAD\xE5\x92\x8C<span class=\"tcy\">53</span>\xE5\xB9\xB4</p>\n");
	CHECK(n == 1);
	free(h);
	h = T_ruby("\xE6\x98\xAD\xE5\x92\x8C^53^\xE5\xB9\xB4\n", BB_CJK_RUBY, &n);
	CHECK_STR(h, "<p>\xE6\x98\xAD\xE5\x92\x8C^53^\xE5\xB9\xB4</p>\n");
	CHECK(n == 0);
	free(h);
	/* between Latin letters it is not tate-chu-yoko; five characters are too many */
	h = T_ruby("x^53^y \xE5\x92\x8C^12345^\n", BB_CJK_TCY, &n);
	CHECK_STR(h, "<p>x^53^y \xE5\x92\x8C^12345^</p>\n");
	CHECK(n == 0);
	free(h);
}

int
main(void)
{
	test_char();
	test_align();
	test_emph();
	test_ruby();
	return TEST_DONE();
}
