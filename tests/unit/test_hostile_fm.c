/* test_hostile_fm.c: front matter written to hurt: billion-laughs and
 * recursive aliases, control characters and broken UTF-8 in values, nesting,
 * delimiters that never close. */
#include "fm.h"
#include "tap.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static bb_fm_node *
S_parse(const char *text, bb_fm_problem *p)
{
	return bb_fm_parse(text, strlen(text), 2, p);
}

/* The scalar of key, following an alias edge. */
static const char *
S_val(const bb_fm_node *map, const char *key)
{
	const bb_fm_node *v = bb_fm_get(map, key);
	return v && v->kind == BB_FM_SCALAR ? v->value : NULL;
}

static void
test_billion_laughs(void)
{
	bb_buf b = BB_BUF_INIT;
	bb_fm_problem p;
	bb_fm_node *t;
	const char *names = "abcdefghij";
	int i, k;
	bb_buf_puts(&b, "title: Laughs\n");
	bb_buf_puts(&b, "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
	for (i = 1; i < 10; i++) {
		bb_buf_printf(&b, "%c: &%c [", names[i], names[i]);
		for (k = 0; k < 9; k++)
			bb_buf_printf(&b, "%s*%c", k ? "," : "", names[i - 1]);
		bb_buf_puts(&b, "]\n");
	}
	bb_buf_puts(&b, "tags: *j\n");
	t = bb_fm_parse(b.data, b.len, 2, &p);
	CHECK(t != NULL);
	CHECK(p.line != 0);
	CHECK(strstr(p.message, "aliases") != NULL);
	/* 9^5 = 59049 values are fine; the sixth level (531441) is refused */
	CHECK(p.line == 2 + 6);
	CHECK_STR(S_val(t, "title"), "Laughs");
	/* the alias past the bound stands as an empty value; reading goes on */
	CHECK(S_val(t, "tags") && !*S_val(t, "tags"));
	bb_fm_free(t);
	bb_buf_free(&b);
}

static void
test_aliases(void)
{
	bb_fm_problem p;
	bb_fm_node *t;
	/* an anchor used a few times is ordinary YAML */
	t = S_parse("base: &b {x: 1, y: 2}\none: *b\ntwo: *b\nthree: *b\n", &p);
	CHECK(p.line == 0);
	CHECK(bb_fm_get(t, "three") && bb_fm_get(t, "three")->kind == BB_FM_MAP);
	CHECK_STR(S_val(bb_fm_get(t, "two"), "y"), "2");
	bb_fm_free(t);
	/* an alias inside the value it names */
	t = S_parse("title: Loop\nr: &r [1, *r]\nafter: x\n", &p);
	CHECK(p.line == 3);
	CHECK(strstr(p.message, "holds it") != NULL);
	CHECK_STR(S_val(t, "title"), "Loop");
	bb_fm_free(t);
	t = S_parse("m: &m {k: *m}\n", &p);
	CHECK(p.line == 2);
	bb_fm_free(t);
	/* an alias of a scalar reads as the scalar, edge followed or not */
	t = S_parse("a: &s text\nb: *s\nl: [*s, *s]\n", &p);
	CHECK(p.line == 0);
	CHECK(t && t->nkids == 6 && t->kids[3]->shared && t->kids[3]->value && strcmp(t->kids[3]->value, "text") == 0);
	CHECK(t && t->kids[5]->nkids == 2 && t->kids[5]->kids[1]->value && strcmp(t->kids[5]->kids[1]->value, "text") == 0);
	bb_fm_free(t);
	/* the latest anchor of a name wins */
	t = S_parse("a: &x one\nb: &x two\nc: *x\n", &p);
	CHECK(p.line == 0);
	CHECK_STR(S_val(t, "c"), "two");
	bb_fm_free(t);
	t = S_parse("title: *nope\n", &p);
	CHECK(p.line == 2 && p.col == 8);
	bb_fm_free(t);
}

/* 1 when every map in the tree holds key/value pairs (alias edges not followed). */
static int
S_pairs(const bb_fm_node *n)
{
	size_t i;
	if (!n || n->shared)
		return 1;
	if (n->kind == BB_FM_MAP && n->nkids % 2)
		return 0;
	for (i = 0; i < n->nkids; i++)
		if (!S_pairs(n->kids[i]))
			return 0;
	return 1;
}

static void
test_cut_short(void)
{
	static const char *const docs[] = {
		"title: \"unterminated\ntags: [a, b\n  bad: indent\n",
		"a: 1\nb:\n  c: 2\n  d: [1, {e: \n",
		"a: 1\n? [k, &x {z: 1\n",
		"m: {a: 1, b\n",
		"x: {a: *none}\n",
		"a: b: c\n",
		NULL
	};
	size_t i;
	for (i = 0; docs[i]; i++) {
		bb_fm_problem p;
		bb_fm_node *t = S_parse(docs[i], &p);
		CHECK(p.line != 0);
		CHECK(S_pairs(t));
		bb_fm_free(t);
	}
}

static void
test_characters(void)
{
	bb_fm_problem p;
	bb_fm_node *t;
	const char *v;
	t = S_parse("title: \"a\\x01b\\0c\\uFFFE\\e\"\nok: fine\n", &p);
	v = S_val(t, "title");
	CHECK_STR(v, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD");
	CHECK(p.line == 2 && p.col == 8);
	CHECK(strstr(p.message, "U+FFFD") != NULL);
	CHECK_STR(S_val(t, "ok"), "fine");
	bb_fm_free(t);
	/* tab, newline and what XML allows stay as they are */
	t = S_parse("title: \"tab\\there \\u00e9 \\U0001F600 \\u0645\"\nempty: \"\"\n", &p);
	CHECK(p.line == 0);
	CHECK_STR(S_val(t, "title"), "tab\there \xC3\xA9 \xF0\x9F\x98\x80 \xD9\x85");
	CHECK_STR(S_val(t, "empty"), "");
	bb_fm_free(t);
	/* a bad key is cleaned too */
	t = S_parse("\"k\\x02\": v\n", &p);
	CHECK(p.line == 2);
	CHECK(t && t->nkids == 2 && strcmp(t->kids[0]->value, "k\xEF\xBF\xBD") == 0);
	bb_fm_free(t);
	/* a syntax error after a replaced character is the one reported */
	t = S_parse("a: \"\\x01\"\n\tb: c\n", &p);
	CHECK(p.line == 3);
	CHECK(strstr(p.message, "U+FFFD") == NULL);
	bb_fm_free(t);
}

static void
test_toml(void)
{
	bb_fm_problem p;
	bb_fm_node *t;
	const char *s = "title = \"a\\u0001b\"\nraw = \"x\xff\x01y\"\nn = 1\n[p\xfe]\nk = 'v'\n";
	t = bb_fm_parse_toml(s, strlen(s), 2, &p);
	CHECK_STR(S_val(t, "title"), "a\xEF\xBF\xBD" "b");
	CHECK_STR(S_val(t, "raw"), "x\xEF\xBF\xBD\xEF\xBF\xBDy");
	CHECK_STR(S_val(t, "n"), "1");
	CHECK(p.line == 2 && p.col == 9);
	CHECK(t && t->nkids == 8 && strcmp(t->kids[6]->value, "p\xEF\xBF\xBD") == 0);
	bb_fm_free(t);
	s = "a = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]";
	t = bb_fm_parse_toml(s, strlen(s), 2, &p);
	CHECK(p.line == 2);
	bb_fm_free(t);
	s = "s = \"never closed\n";
	t = bb_fm_parse_toml(s, strlen(s), 2, &p);
	CHECK(p.line == 2 && strstr(p.message, "unterminated") != NULL);
	bb_fm_free(t);
}

static void
test_bounds(void)
{
	bb_buf b = BB_BUF_INIT;
	bb_fm_problem p;
	bb_fm_node *t;
	int i;
	bb_buf_puts(&b, "title: Deep\nx: ");
	for (i = 0; i < 5000; i++)
		bb_buf_putc(&b, '[');
	for (i = 0; i < 5000; i++)
		bb_buf_putc(&b, ']');
	t = bb_fm_parse(b.data, b.len, 2, &p);
	CHECK(p.line == 3 && strstr(p.message, "deep") != NULL);
	CHECK_STR(S_val(t, "title"), "Deep");
	bb_fm_free(t);
	bb_buf_reset(&b);
	for (i = 0; i < 25000; i++)
		bb_buf_printf(&b, "k%d: v\n", i);
	t = bb_fm_parse(b.data, b.len, 2, &p);
	CHECK(p.line != 0 && strstr(p.message, "too large") != NULL);
	CHECK_STR(S_val(t, "k0"), "v");
	bb_fm_free(t);
	bb_buf_free(&b);
}

static void
test_split(void)
{
	size_t fm, fml, body;
	unsigned bl;
	int toml;
	const char *s;
	s = "---\ntitle: x\n";
	CHECK(bb_fm_split(s, strlen(s), &fm, &fml, &body, &bl, &toml) == -1);
	CHECK(body == 0 && bl == 1);
	s = "---\r\ntitle: x\r\n---\r\nbody";
	CHECK(bb_fm_split(s, strlen(s), &fm, &fml, &body, &bl, &toml) == 1);
	CHECK(strcmp(s + body, "body") == 0 && bl == 4);
	s = "---\ntitle: only\n---";
	CHECK(bb_fm_split(s, strlen(s), &fm, &fml, &body, &bl, &toml) == 1);
	CHECK(body == strlen(s));
	s = "---";
	CHECK(bb_fm_split(s, strlen(s), &fm, &fml, &body, &bl, &toml) == -1);
	CHECK(bb_fm_split("", 0, &fm, &fml, &body, &bl, &toml) == 0);
	s = "----\nnot a delimiter\n----\n";
	CHECK(bb_fm_split(s, strlen(s), &fm, &fml, &body, &bl, &toml) == 0);
	s = "+++\ntitle = 'x'\n+++\nbody";
	CHECK(bb_fm_split(s, strlen(s), &fm, &fml, &body, &bl, &toml) == 1 && toml == 1);
	CHECK(bb_fm_split(s, strlen(s), &fm, &fml, &body, &bl, NULL) == 0);
}

int
main(void)
{
	test_billion_laughs();
	test_aliases();
	test_cut_short();
	test_characters();
	test_toml();
	test_bounds();
	test_split();
	return TEST_DONE();
}
