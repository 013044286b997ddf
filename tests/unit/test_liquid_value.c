/* test_liquid_value.c: liquid_value.c alone: making values, arrays and
 * maps with their counts and bounds, the caller's trees read as values, and
 * how values print (to_s, inspect, jsonify), count, compare and test true. */
#include "tap.h"
#include "liquid_impl.h"

#include <stdlib.h>
#include <string.h>

static char *
S_show(const lq_val *v, int json)
{
	bb_buf b = BB_BUF_INIT;
	if (json < 0)
		bb_lq_tostr(v, &b, 0);
	else
		bb_lq_json(v, &b, 0, json);
	bb_buf_put(&b, "", 0);
	return bb_buf_detach(&b, NULL);
}

static void
S_check_show(const lq_val *v, int json, const char *want)
{
	char *s = S_show(v, json);
	CHECK_STR(s, want);
	free(s);
}

int
main(void)
{
	lq_val a, m, s, x, one, onef, t;
	long long i;
	double f;
	bb_fm_problem pr;
	bb_fm_node *fm;
	int k;

	/* numbers and their text */
	one = bb_lq_int(1);
	onef = bb_lq_flt(1.0);
	S_check_show(&one, -1, "1");
	S_check_show(&onef, -1, "1.0");
	x = bb_lq_flt(0.1 + 0.2);
	S_check_show(&x, -1, "0.30000000000000004");
	CHECK(bb_lq_equal(&one, &onef));
	CHECK(bb_lq_parse_num("42", 2, &i, &f) == 1 && i == 42);
	CHECK(bb_lq_parse_num("-2.5", 4, &i, &f) == 2 && f == -2.5);
	CHECK(bb_lq_parse_num("4x", 2, &i, &f) == 0);

	/* truth: only nil and false are false */
	t = bb_lq_bool(0);
	CHECK(!bb_lq_truthy(&t));
	CHECK(!bb_lq_truthy(&LQ_NIL));
	s = bb_lq_str("");
	CHECK(bb_lq_truthy(&s));
	CHECK(bb_lq_is_empty(&s));
	bb_lq_drop(&s);

	/* arrays: push, length, index, order, output */
	a = bb_lq_arr_new();
	bb_lq_push(&a, bb_lq_int(3));
	bb_lq_push(&a, bb_lq_str("b"));
	bb_lq_push(&a, LQ_NIL);
	CHECK(bb_lq_len(&a) == 3);
	CHECK(bb_lq_is_list(&a));
	x = bb_lq_at(&a, 1);
	S_check_show(&x, -1, "b");
	bb_lq_drop(&x);
	S_check_show(&a, -1, "3b");
	S_check_show(&a, 1, "[3,\"b\",null]");
	S_check_show(&a, 0, "[3, \"b\", nil]");
	x = bb_lq_int(2);
	CHECK(bb_lq_order(&x, &one) > 0 && bb_lq_order(&one, &x) < 0);

	/* maps: a later set of a key replaces the value */
	m = bb_lq_map_new();
	bb_lq_map_set(&m, "k", bb_lq_str("v1"));
	bb_lq_map_set(&m, "k", bb_lq_str("v2"));
	bb_lq_map_set(&m, "n", bb_lq_ref(&a));
	S_check_show(&m, 1, "{\"k\":\"v2\",\"n\":[3,\"b\",null]}");
	CHECK(bb_lq_len(&m) == 2);
	s = bb_lq_str("b");
	CHECK(bb_lq_contains(NULL, &a, &s));
	bb_lq_drop(&s);
	s = bb_lq_str("z");
	CHECK(!bb_lq_contains(NULL, &a, &s));
	bb_lq_drop(&s);

	/* a list pushed into itself is shared, and nesting is bounded */
	x = bb_lq_arr_new();
	for (k = 0; k < 40; k++) {
		lq_val outer = bb_lq_arr_new();
		bb_lq_push(&outer, x);
		x = outer;
	}
	CHECK(bb_lq_len(&x) == 1);
	{
		char *deep = S_show(&x, 1);
		CHECK(strlen(deep) < 200); /* cut at the depth bound, not 80 brackets */
		free(deep);
	}
	bb_lq_drop(&x);
	CHECK(bb_lq_weight(&a) >= 3);

	/* characters: UTF-8 counted as characters */
	CHECK(bb_lq_chars("h\xc3\xa9llo", 6) == 5);
	CHECK(bb_lq_char_off("h\xc3\xa9llo", 6, 2) == 3);
	CHECK(bb_lq_find2("a }} b", 6, 0, '}', '}') == 2);
	CHECK(bb_lq_memmem("abcabd", 6, "abd", 3) == 3);

	/* the caller's trees */
	fm = bb_fm_parse("title: Hi\ntags: [a, b]\nn: 7\n", 28, 1, &pr);
	CHECK(fm != NULL);
	if (fm) {
		lq_val tree = bb_lq_from_node(fm);
		S_check_show(&tree, 1, "{\"title\":\"Hi\",\"tags\":[\"a\",\"b\"],\"n\":7}");
		CHECK(bb_lq_len(&tree) == 3);
		bb_lq_drop(&tree);
		bb_fm_free(fm);
	}

	bb_lq_drop(&m);
	bb_lq_drop(&a);
	return TEST_DONE();
}
