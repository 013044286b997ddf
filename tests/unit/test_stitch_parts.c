/* test_stitch_parts.c: unit tests for each file of the segment stitcher alone, through stitch_int.h: stitch_split.c (characters, folding, blocks and markers), stitch_piece.c (pieces in their sections), stitch_index.c (kept copies found) and stitch_join.c (a cut joined to its continuation). test_stitch.c tests them together through bb_stitch. */
#include "stitch_int.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* Folds s; returns the folded copy (caller frees). */
static char *
T_fold(const char *s, size_t *n)
{
	return bb_stitch_fold(s, strlen(s), n);
}

static void
test_split(void)
{
	static const char t[] = "para one\nline two\n\n##Head\n\n```\ncode\n\nmore\n```\n---END--- \r\nlast\r\n";
	static const int want[] = { STITCH_TEXT, STITCH_HEAD, STITCH_CODE, STITCH_MARK, STITCH_TEXT };
	stitch_blocks bl = { NULL, 0, 0 };
	size_t i, n;
	char *s;

	bb_stitch_split(t, strlen(t), &bl);
	CHECK(bl.n == 5);
	for (i = 0; i < bl.n && i < 5; i++)
		CHECK(bl.v[i].kind == want[i]);
	if (bl.n == 5) {
		s = bb_stitch_copy_raw(t, bl.v[0].b, bl.v[0].e, &n);
		CHECK_STR(s, "para one\nline two");
		free(s);
		/* a fence is one block, blank lines and all */
		s = bb_stitch_copy_raw(t, bl.v[2].b, bl.v[2].e, &n);
		CHECK_STR(s, "```\ncode\n\nmore\n```");
		CHECK(!bl.v[2].open);
		free(s);
		/* CRs removed */
		s = bb_stitch_copy_raw(t, bl.v[4].b, bl.v[4].e, &n);
		CHECK_STR(s, "last");
		free(s);
	}
	free(bl.v);

	/* a fence left open by a marker */
	bl.n = 0;
	bl.v = NULL;
	bl.cap = 0;
	bb_stitch_split("```\nx\n---END---\ny\n", 18, &bl);
	CHECK(bl.n >= 2 && bl.v[0].kind == STITCH_CODE && bl.v[0].open && bl.v[1].kind == STITCH_MARK);
	free(bl.v);

	s = T_fold("  a \n\t b  ", &n);
	CHECK_STR(s, "a b");
	CHECK(n == 3);
	free(s);
	CHECK(bb_stitch_raw_at("a  \n b", 6, 2) == 5);
	s = bb_stitch_head_key("## *Some*  _Title_ ##", 21, &n);
	CHECK_STR(s, "Some Title");
	free(s);
	CHECK(bb_stitch_is_cut("it was cut in", 13));
	CHECK(!bb_stitch_is_cut("It ended.", 9));
	CHECK(!bb_stitch_is_cut("\xE7\xB5\x82\xE3\x82\x8F\xE3\x82\x8A\xE3\x80\x82", 12));   /* 終わり。 */
	CHECK(!bb_stitch_is_cut("| a | b |", 9));
	CHECK(bb_stitch_ends_sentence("He said \"yes.\"", 14));
	CHECK(bb_stitch_is_prose("One line.\nTwo lines.", 20));
	CHECK(!bb_stitch_is_prose("- an item\n- another", 19));
	CHECK(bb_stitch_is_anchor("a b", 2) && !bb_stitch_is_anchor("ab", 1) && bb_stitch_is_anchor("ab", 0));
	CHECK(bb_stitch_indent("    code", 8) == 4);
	CHECK(bb_stitch_has_marker("a\n---END---\t\r\nb", 16) && !bb_stitch_has_marker("a ---END---\n", 12));
	CHECK(bb_title_repeat_len("\n# My Title\n\nText", 17, "My *Title*") == 13);
	CHECK(bb_title_repeat_len("Other\n\nText", 11, "My Title") == 0);
}

/* Adds a live piece of kind with text s (folded) to st and indexes it. */
static unsigned
T_piece(stitch_state *st, int kind, const char *s)
{
	stitch_piece *p;

	/* grown as bb_stitch_new_piece grows it, which bb_stitch_join calls */
	st->pcap = st->np + 1;
	st->p = bb_xrealloc(st->p, st->pcap * sizeof *st->p);
	p = &st->p[st->np];
	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->live = 1;
	p->raw = bb_xstrdup(s);
	p->rlen = strlen(s);
	p->norm = T_fold(s, &p->nlen);
	bb_stitch_ix_piece(st, (unsigned)st->np);
	return (unsigned)st->np++;
}

static void
T_state_free(stitch_state *st)
{
	size_t i;

	for (i = 0; i < st->np; i++) {
		free(st->p[i].raw);
		free(st->p[i].norm);
	}
	for (i = 0; i < st->ns; i++)
		free(st->s[i].slots);
	free(st->p);
	free(st->s);
	free(st->ix.e);
	free(st->ix.head);
	free(st->frag);
	free(st->cont);
}

static void
test_index(void)
{
	static const char fox[] = "The quick brown fox jumps over the lazy dog.";
	static const char big[] = "Intro text here. The quick brown fox jumps over the lazy dog. Outro";
	stitch_state st;
	stitch_ids in = { NULL, 0, 0 };
	unsigned a, b;

	memset(&st, 0, sizeof st);
	st.budget = (size_t)1 << 26;
	a = T_piece(&st, STITCH_TEXT, fox);
	b = T_piece(&st, STITCH_CODE, "int x = 1; /* a code block */");
	/* found inside a kept piece at an anchor (after a space) */
	CHECK(bb_stitch_find_container(&st, STITCH_TEXT, "quick brown fox jumps", 21) == a);
	CHECK(bb_stitch_find_container(&st, STITCH_TEXT, fox, strlen(fox)) == a);
	/* not at an anchor, of another kind, or not there at all */
	CHECK(bb_stitch_find_container(&st, STITCH_TEXT, "uick brown fox jumps", 20) == STITCH_NONE);
	CHECK(bb_stitch_find_container(&st, STITCH_CODE, "quick brown fox jumps", 21) == STITCH_NONE);
	CHECK(bb_stitch_find_container(&st, STITCH_TEXT, "a slow red fox", 14) == STITCH_NONE);
	CHECK(bb_stitch_find_container(&st, STITCH_CODE, "int x = 1; /* a code block */", 29) == b);
	/* a longer block contains the kept one */
	bb_stitch_find_contained(&st, STITCH_TEXT, big, strlen(big), &in);
	CHECK(in.n == 1 && in.v[0] == a);
	free(in.v);
	/* a kept paragraph that ends a sentence, glued at the start of a block */
	CHECK(bb_stitch_glued_at(&st, "The quick brown fox jumps over the lazy dog. And then", 53) == a);
	CHECK(bb_stitch_glued_at(&st, "The quick brown fox jumps over the lazy dog.And", 47) == STITCH_NONE);
	/* a dead piece is not found */
	st.p[a].live = 0;
	CHECK(bb_stitch_find_container(&st, STITCH_TEXT, "quick brown fox jumps", 21) == STITCH_NONE);
	T_state_free(&st);
}

static void
test_piece(void)
{
	stitch_state st;
	unsigned s0, s1, a, b, c;

	memset(&st, 0, sizeof st);
	st.budget = (size_t)1 << 26;
	s0 = bb_stitch_new_sect(&st, NULL, NULL, 0);
	s1 = bb_stitch_new_sect(&st, bb_xstrdup("## Two"), bb_xstrdup("Two"), 3);
	CHECK(s0 == 0 && s1 == 1 && st.ns == 2 && st.s[1].hkey != 0 && st.s[0].hkey == 0);
	a = bb_stitch_new_piece(&st, STITCH_TEXT, bb_xstrdup("first one"), 9, bb_xstrdup("first one"), 9, 0);
	b = bb_stitch_new_piece(&st, STITCH_TEXT, bb_xstrdup("second one"), 10, bb_xstrdup("second one"), 10, 0);
	c = bb_stitch_new_piece(&st, STITCH_TEXT, bb_xstrdup("third one"), 9, bb_xstrdup("third one"), 9, 0);
	CHECK(a == 0 && b == 1 && c == 2 && st.p[c].live);
	/* indexed as it is made */
	CHECK(bb_stitch_find_container(&st, STITCH_TEXT, "second one", 10) == b);
	bb_stitch_append(&st, s0, a);
	bb_stitch_append(&st, s1, b);
	CHECK(st.p[b].sect == s1 && bb_stitch_slot_of(&st, b) == 0);
	/* c is in no section yet: its section 0 holds only a */
	CHECK(bb_stitch_slot_of(&st, c) == 1);
	/* c takes b's place; a is removed */
	bb_stitch_replace(&st, b, c);
	CHECK(st.s[1].slots[0] == c && st.p[c].sect == s1 && !st.p[b].live);
	bb_stitch_kill(&st, a);
	CHECK(st.s[0].slots[0] == STITCH_NONE && !st.p[a].live);
	/* new blocks follow a repeated one's section until a heading locks it */
	bb_stitch_follow(&st, c);
	CHECK(st.cursor == s1);
	st.cursor = s0;
	st.locked = 1;
	bb_stitch_follow(&st, c);
	CHECK(st.cursor == s0);
	free(st.s[1].head);
	free(st.s[1].key);
	T_state_free(&st);
}

static void
test_join(void)
{
	stitch_state st;
	unsigned cut, id;
	char *raw, *norm;
	size_t rlen, nlen;

	memset(&st, 0, sizeof st);
	st.budget = (size_t)1 << 26;
	st.s = bb_xmalloc(sizeof *st.s);
	memset(st.s, 0, sizeof *st.s);
	st.ns = 1;
	st.s[0].slots = bb_xmalloc(sizeof *st.s[0].slots);
	cut = T_piece(&st, STITCH_TEXT, "The run went on for a long");
	st.s[0].slots[0] = cut;
	st.s[0].n = st.s[0].cap = 1;
	/* the continuation repeats "for a long": written once */
	id = bb_stitch_join(&st, cut, "for a long time after.", 22, "for a long time after.", 22);
	CHECK(id != cut && st.p[id].live && !st.p[cut].live && st.s[0].slots[0] == id);
	CHECK_STR(st.p[id].raw, "The run went on for a long time after.");
	/* no overlap: a space between Latin words */
	cut = id;
	id = bb_stitch_join(&st, cut, "Then it stopped.", 16, "Then it stopped.", 16);
	CHECK_STR(st.p[id].raw, "The run went on for a long time after. Then it stopped.");
	T_state_free(&st);

	/* CJK text meets without a space: 長い + 時間 */
	memset(&st, 0, sizeof st);
	st.budget = (size_t)1 << 26;
	st.s = bb_xmalloc(sizeof *st.s);
	memset(st.s, 0, sizeof *st.s);
	st.ns = 1;
	st.s[0].slots = bb_xmalloc(sizeof *st.s[0].slots);
	cut = T_piece(&st, STITCH_TEXT, "\xE9\x95\xB7\xE3\x81\x84");
	st.s[0].slots[0] = cut;
	st.s[0].n = st.s[0].cap = 1;
	id = bb_stitch_join(&st, cut, "\xE6\x99\x82\xE9\x96\x93", 6, "\xE6\x99\x82\xE9\x96\x93", 6);
	CHECK_STR(st.p[id].raw, "\xE9\x95\xB7\xE3\x81\x84\xE6\x99\x82\xE9\x96\x93");
	T_state_free(&st);

	/* the unfinished last sentence of a dropped copy, then new text that
	 * repeats its end */
	memset(&st, 0, sizeof st);
	bb_stitch_set_frag(&st, "It began well. The press could run to a full", 44);
	CHECK_STR(st.frag, "The press could run to a full");
	st.cont = st.frag;
	st.contl = st.fragl;
	st.frag = NULL;
	raw = bb_xstrdup("a full page in 1974.");
	norm = bb_xstrdup(raw);
	rlen = nlen = strlen(raw);
	bb_stitch_continue_frag(&st, &raw, &rlen, &norm, &nlen);
	CHECK_STR(raw, "The press could run to a full page in 1974.");
	CHECK(st.st.merged_cuts == 1 && st.cont == NULL);
	free(raw);
	free(norm);
	/* a finished sentence leaves no candidate */
	bb_stitch_set_frag(&st, "All done here.", 14);
	CHECK(st.frag == NULL);
	T_state_free(&st);
}

int
main(void)
{
	test_split();
	test_index();
	test_piece();
	test_join();
	return TEST_DONE();
}
