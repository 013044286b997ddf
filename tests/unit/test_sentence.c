/* test_sentence.c: unit tests for sentence.c: where sentences end, and sentences said before cut out. */
#include "sentence.h"
#include "util.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The sentences of s joined with '|'. Caller frees. */
static char *
T_split(const char *s)
{
	size_t n = strlen(s), i = 0;
	bb_buf b = BB_BUF_INIT;
	while (i < n) {
		size_t e = bb_sentence_end(s, n, i, NULL);
		if (b.len)
			bb_buf_putc(&b, '|');
		bb_buf_put(&b, s + i, e - i);
		i = e;
		while (i < n && s[i] == ' ')
			i++;
	}
	bb_buf_putc(&b, '\0');
	return bb_buf_detach(&b, NULL);
}

static void
T_split_is(const char *s, const char *want)
{
	char *got = T_split(s);
	CHECK_STR(got, want);
	free(got);
}

static void
test_ends(void)
{
	int clean;
	T_split_is("One here. Two there! Three? Four", "One here.|Two there!|Three?|Four");
	T_split_is("See e.g. this. Dr. Who came. J. R. wrote it. The U.S. team won.",
		"See e.g. this.|Dr. Who came.|J. R. wrote it.|The U.S. team won.");
	T_split_is("It cost approx. five. Pi is 3.14 here. Wait... what now.",
		"It cost approx. five.|Pi is 3.14 here.|Wait... what now.");
	T_split_is("He said \"Stop.\" Then left. (A note.) Next.", "He said \"Stop.\"|Then left.|(A note.)|Next.");
	T_split_is("雨です。晴れ！本当？はい", "雨です。|晴れ！|本当？|はい");
	T_split_is("彼は「そうだ。」と言った。「次だ。」「はい。」", "彼は「そうだ。」と言った。|「次だ。」|「はい。」");
	T_split_is("本当に！？ええ。", "本当に！？|ええ。");
	T_split_is("祖母の手紙 押し入れの奥です。", "祖母の手紙|押し入れの奥です。");
	T_split_is("한국어 문장입니다. 다음", "한국어 문장입니다.|다음");
	T_split_is("Run `a. b` now. Then [x. y](http://e.x/a. b) ok. <span title=\"a. b\">z</span> end.",
		"Run `a. b` now.|Then [x. y](http://e.x/a. b) ok.|<span title=\"a. b\">z</span> end.");
	T_split_is("It is **bold.** And *this.* Done.", "It is **bold.**|And *this.*|Done.");
	CHECK(bb_sentence_end("A **bee. Cat** d.", 17, 0, &clean) == 8 && clean == 0);
	CHECK(bb_sentence_end("A **bee.** Cat.", 15, 0, &clean) == 10 && clean == 1);
	CHECK(bb_sentence_end("", 0, 0, &clean) == 0 && clean == 1);
}

static void
T_drop_is(bb_said *set, const char *in, const char *want, unsigned n)
{
	char *t = bb_xstrdup(in);
	size_t len = strlen(t);
	unsigned got = bb_said_drop(set, t, &len, 24);
	t[len] = '\0';
	CHECK_STR(t, want);
	CHECK(got == n);
	free(t);
}

static void
test_drop(void)
{
	bb_said *set = bb_said_new();
	T_drop_is(set, "The first sentence is long enough. Short one. Another long sentence is here.",
		"The first sentence is long enough. Short one. Another long sentence is here.", 0);
	/* long ones go alone, short ones only in a run */
	T_drop_is(set, "New text.\nThe first sentence is long enough.\nNot said. Short one.",
		"New text. Not said. Short one.", 1);
	T_drop_is(set, "Now this. Short one. The first sentence is long enough. End.", "Now this. End.", 2);
	T_drop_is(set, "Again. Short one. End. Another long sentence is here.", "Again.", 3);
	/* a short one alone stays */
	T_drop_is(set, "Fresh words. Short one. More fresh words.", "Fresh words. Short one. More fresh words.", 0);
	/* a paragraph of repeats only is emptied */
	T_drop_is(set, "The first sentence is long enough. New text.", "", 2);
	/* Japanese: no space to write where a run was cut */
	T_drop_is(set, "朝の港は静かでした。漁船はまだ戻っていません。", "朝の港は静かでした。漁船はまだ戻っていません。", 0);
	T_drop_is(set, "昼です。朝の港は静かでした。漁船はまだ戻っていません。夕方です。", "昼です。夕方です。", 2);
	/* whitespace and emphasis do not make a sentence new */
	T_drop_is(set, "Start. The *first*  sentence is\nlong enough. Stop.", "Start. Stop.", 1);
	/* unbalanced markup at a cut: kept */
	T_drop_is(set, "Begin **Another long sentence is here. More** after.",
		"Begin **Another long sentence is here. More** after.", 0);
	bb_said_free(set);
	bb_said_free(NULL);
	/* many sentences: the set grows */
	{
		bb_buf b = BB_BUF_INIT;
		size_t i, len;
		char *t;
		set = bb_said_new();
		for (i = 0; i < 2000; i++)
			bb_buf_printf(&b, "Sentence number %zu is here. ", i);
		t = bb_buf_detach(&b, &len);
		CHECK(bb_said_drop(set, t, &len, 24) == 0);
		CHECK(bb_said_drop(set, t, &len, 24) == 2000 && len == 0);
		free(t);
		bb_said_free(set);
	}
}

/* Openers without closers (code spans, link destinations, tags) do not
 * make a paragraph's scan quadratic: a megabyte of each in under 2 s. */
static void
test_pathological(void)
{
	static const char *const units[] = { "` Xy. ", "](Xy. ", "<a Xy. ", "**Xy. ", "Dr. ", "日本。 ", NULL };
	size_t u;
	for (u = 0; units[u]; u++) {
		bb_buf b = BB_BUF_INIT;
		bb_said *set = bb_said_new();
		size_t len, ul = strlen(units[u]);
		clock_t t0 = clock();
		char *t;
		double secs;
		while (b.len + ul < ((size_t)1 << 20))
			bb_buf_puts(&b, units[u]);
		t = bb_buf_detach(&b, &len);
		bb_said_drop(set, t, &len, 24);
		secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
		printf("# 1 MB of \"%s\": %.2f s, %zu bytes left\n", units[u], secs, len);
		CHECK(secs < 2.0);
		free(t);
		bb_said_free(set);
	}
}

int
main(void)
{
	test_ends();
	test_drop();
	test_pathological();
	return TEST_DONE();
}
