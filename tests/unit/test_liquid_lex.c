/* test_liquid_lex.c: liquid_lex.c alone: a text read into tokens (text,
 * {{ }}, {% %}, whitespace trims, an unterminated tag kept as text) and each
 * block tag matched with its clauses and its end. */
#include "tap.h"
#include "liquid_impl.h"

#include <stdlib.h>
#include <string.h>

static unsigned warnings;

static void
S_count(void *ud, unsigned line, unsigned col, const char *msg)
{
	(void)ud, (void)line, (void)col, (void)msg;
	warnings++;
}

/* Tokenizes and parses text; the caller frees with S_done. */
static lq_doc *
S_read(lq_state *st, const bb_liquid_ctx *ctx, const char *text)
{
	lq_doc *d = bb_lq_doc_new(text, strlen(text));
	bb_lq_state_init(st, ctx, NULL, d);
	bb_lq_tokenize(st, d);
	bb_lq_parse(st, d);
	return d;
}

/* 1 when t is of kind and its text (T_TEXT) or name (T_TAG) is s. */
static int
S_is(const lq_tok *t, int kind, const char *s)
{
	if (t->kind != kind)
		return 0;
	if (kind == T_TEXT)
		return t->n == strlen(s) && memcmp(t->s, s, t->n) == 0;
	return t->nl == strlen(s) && memcmp(t->name, s, t->nl) == 0;
}

static void
S_done(lq_state *st, lq_doc *d)
{
	bb_lq_state_done(st);
	bb_buf_free(&st->main);
	bb_lq_doc_free(d);
}

int
main(void)
{
	bb_liquid_ctx ctx = { NULL, NULL, S_count, NULL };
	lq_state st;
	lq_doc *d;
	size_t i;

	/* text, an output and a tag, in order, with their offsets */
	d = S_read(&st, &ctx, "a {{ x }} b {% assign y = 1 %}c");
	CHECK(d->n == 5);
	if (d->n == 5) {
		CHECK(S_is(&d->t[0], T_TEXT, "a "));
		CHECK(d->t[1].kind == T_VAR && d->t[1].start == 2 && d->t[1].end == 9);
		CHECK(d->t[1].ml >= 1 && memchr(d->t[1].markup, 'x', d->t[1].ml) != NULL);
		CHECK(S_is(&d->t[2], T_TEXT, " b "));
		CHECK(S_is(&d->t[3], T_TAG, "assign") && d->t[3].op == OP_ASSIGN && !d->t[3].block);
		CHECK(S_is(&d->t[4], T_TEXT, "c"));
	}
	S_done(&st, d);

	/* {%- and -%} trim the whitespace beside them */
	d = S_read(&st, &ctx, "x  \n {%- if a -%}\n  y {% endif %}");
	CHECK(d->n >= 3);
	if (d->n >= 3) {
		CHECK(S_is(&d->t[0], T_TEXT, "x"));
		CHECK(S_is(&d->t[2], T_TEXT, "y "));
	}
	S_done(&st, d);

	/* if/elsif/else/endif: the block knows its end and each clause the next */
	d = S_read(&st, &ctx, "{% if a %}1{% elsif b %}2{% else %}3{% endif %}");
	CHECK(d->n == 7);
	if (d->n == 7) {
		CHECK(d->t[0].op == OP_IF && d->t[0].block);
		CHECK(d->t[0].end_i == 6 && d->t[0].own_end);
		CHECK(d->t[0].next_i == 2);
		CHECK(d->t[2].op == OP_ELSIF && d->t[2].next_i == 4);
		CHECK(d->t[4].op == OP_ELSE && d->t[4].next_i == LQ_NOPOS);
	}
	S_done(&st, d);

	/* nested blocks close in order; an unknown tag with an end tag is a block */
	d = S_read(&st, &ctx, "{% for i in x %}{% mine %}b{% endmine %}{% endfor %}");
	CHECK(d->n == 5);
	if (d->n == 5) {
		CHECK(d->t[0].op == OP_FOR && d->t[0].end_i == 4);
		CHECK(d->t[1].op == OP_BLOCK && d->t[1].block && d->t[1].end_i == 3);
	}
	S_done(&st, d);

	/* an unclosed block is closed at the end of the text, with a warning */
	warnings = 0;
	d = S_read(&st, &ctx, "{% if a %}never closed");
	CHECK(d->n == 2 && d->t[0].block && d->t[0].end_i == d->n);
	CHECK(warnings == 1);
	S_done(&st, d);

	/* an unterminated {% stays text */
	d = S_read(&st, &ctx, "a {% if b");
	for (i = 0; i < d->n; i++)
		CHECK(d->t[i].kind == T_TEXT);
	CHECK(d->n >= 1);
	S_done(&st, d);

	/* {% raw %} keeps what it holds as text */
	d = S_read(&st, &ctx, "{% raw %}{{ x }}{% endraw %}");
	for (i = 0; i < d->n; i++)
		CHECK(d->t[i].kind != T_VAR);
	S_done(&st, d);
	return TEST_DONE();
}
