/* liquid.c: Liquid as Jekyll runs it: the render driver (runs the tokens, bounds the output, gathers warnings) and the public calls. */
#define _XOPEN_SOURCE 700
#include "liquid_impl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void S_expand(lq_state *st, lq_doc *d, lq_tok *t, bb_buf *out);

/* ---- positions and warnings ---- */

static void
S_where(lq_doc *d, size_t off, unsigned *line, unsigned *col)
{
	if (off > d->len)
		off = d->len;
	if (off < d->lc_off) {
		d->lc_off = d->lc_bol = 0;
		d->lc_line = 1;
	}
	while (d->lc_off < off) {
		const char *nl = memchr(d->text + d->lc_off, '\n', off - d->lc_off);
		if (!nl) {
			d->lc_off = off;
			break;
		}
		d->lc_line++;
		d->lc_bol = d->lc_off = (size_t)(nl - d->text) + 1;
	}
	*line = d->lc_line;
	*col = (unsigned)(off - d->lc_bol + 1);
}

/* Warns at offset off of d (inside an include: at the include tag in the
 * post, naming the place in the include); takes ownership of msg. */
void
bb_lq_warn(lq_state *st, lq_doc *d, size_t off, char *msg)
{
	unsigned line, col;
	if (st->ctx && st->ctx->warn && st->nwarn <= LQ_WARN_MAX) {
		if (st->nwarn++ == LQ_WARN_MAX) {
			S_where(st->top, d == st->top ? off : st->inc_at, &line, &col);
			st->ctx->warn(st->ctx->ud, line, col, "more than 1000 Liquid warnings in this text: the rest are not shown");
		} else if (d == st->top) {
			S_where(d, off, &line, &col);
			st->ctx->warn(st->ctx->ud, line, col, msg);
		} else {
			char *m;
			unsigned l2, c2;
			S_where(d, off, &l2, &c2);
			S_where(st->top, st->inc_at, &line, &col);
			m = bb_xasprintf("in %s%s:%u:%u: %s", d->rel ? "" : "_includes/", d->name, l2, c2, msg);
			st->ctx->warn(st->ctx->ud, line, col, m);
			free(m);
		}
	}
	free(msg);
}

/* ---- output ---- */

/* Writes n bytes to the current output, within the bound. */
void
bb_lq_emit(lq_state *st, lq_doc *d, size_t at, const char *s, size_t n, int literal)
{
	if (st->halt || n == 0)
		return;
	/* the post's own text outside loops and captures is the input itself */
	if (!literal) {
		if (n > st->budget - st->added) {
			bb_lq_warn(st, d, at, bb_xstrdup("Liquid output limit reached: the rest of the Liquid output is dropped"));
			st->halt = 1;
			st->added = st->budget;
			return;
		}
		st->added += n;
	}
	bb_buf_put(st->out, s, n);
}

void
bb_lq_truncate(bb_buf *b, size_t n)
{
	if (n < b->len) {
		b->len = n;
		b->data[n] = '\0';
	}
}

/* ---- running ---- */

/* Runs tokens [i0, i1) into the buffer into (not counted as output yet). */
void
bb_lq_run_into(lq_state *st, lq_doc *d, size_t i0, size_t i1, bb_buf *into)
{
	bb_buf *saved = st->out;
	size_t up = st->url_prefix;
	st->out = into;
	st->url_prefix = LQ_NOPOS;
	bb_buf_put(into, "", 0);
	bb_lq_run(st, d, i0, i1);
	st->out = saved;
	st->url_prefix = up;
}

/* The index after block i and its end. */
size_t
bb_lq_after(const lq_doc *d, size_t i)
{
	const lq_tok *t = &d->t[i];
	return t->own_end ? t->end_i + 1 : t->end_i;
}

/* The end of the body that starts after clause c. */
size_t
bb_lq_body_end(const lq_doc *d, size_t open, size_t c)
{
	size_t nx = d->t[c].next_i;
	return nx != LQ_NOPOS ? nx : d->t[open].end_i;
}

/* Whether the text goes on with a line end (or ends) after token j. */
int
bb_lq_eol_after(const lq_doc *d, size_t j)
{
	if (j >= d->n)
		return 1;
	if (d->t[j].kind != T_TEXT)
		return 0;
	return d->t[j].s[0] == '\n' || d->t[j].s[0] == '\r';
}

/* ---- tags ---- */

/* The markup of t with each {{ expr }} in it replaced by its value. */
static void
S_expand(lq_state *st, lq_doc *d, lq_tok *t, bb_buf *out)
{
	const char *s = t->markup, *e = t->markup + t->ml;
	bb_buf_put(out, "", 0);
	while (s < e) {
		size_t k = bb_lq_memmem(s, (size_t)(e - s), "{{", 2), c;
		lq_ectx x;
		lq_val v;
		if (k == LQ_NOPOS) {
			bb_buf_put(out, s, (size_t)(e - s));
			break;
		}
		bb_buf_put(out, s, k);
		s += k + 2;
		c = bb_lq_memmem(s, (size_t)(e - s), "}}", 2);
		if (c == LQ_NOPOS) {
			bb_buf_puts(out, "{{");
			continue;
		}
		bb_lq_ectx_init(&x, st, d, t);
		if (bb_lq_eval_filtered(&x, s, c, &v) >= 0) {
			if (x.undef && v.t == V_NIL)
				bb_lq_warn_undef(&x);
			bb_lq_tostr(&v, out, 0);
		}
		bb_lq_drop(&v);
		s += c + 2;
	}
}

void
bb_lq_run(lq_state *st, lq_doc *d, size_t i0, size_t i1)
{
	size_t i = i0;
	if (i1 > d->n)
		i1 = d->n;
	int top;
	st->depth++;
	/* the post's own run: past a bound its text still goes out */
	top = d == st->top && st->depth == 1 && st->out == &st->main;
	while (i < i1 && !st->jump && (!st->halt || top)) {
		lq_tok *t = &d->t[i];
		size_t prefix = st->url_prefix;
		if (st->halt) {
			if (t->kind == T_TEXT)
				bb_buf_put(st->out, t->s, t->n);
			i = t->kind == T_TAG && t->block ? bb_lq_after(d, i) : i + 1;
			continue;
		}
		if (t->kind == T_TEXT) {
			bb_lq_emit(st, d, t->start, t->s, t->n, d == st->top && st->in_loop == 0 && st->out == &st->main);
			st->url_prefix = LQ_NOPOS;
			i++;
			continue;
		}
		st->url_prefix = LQ_NOPOS;
		if (t->kind == T_VAR) {
			bb_lq_output(st, d, t, prefix);
			i++;
		} else {
			/* {{ }} in the arguments of Jekyll's and plugins' tags is
			 * expanded first, as Jekyll does for include and link */
			const char *mk = t->markup;
			size_t ml = t->ml;
			bb_buf ex = BB_BUF_INIT;
			if ((t->op >= OP_INCLUDE || t->op == OP_UNKNOWN || t->op == OP_BLOCK) && ml > 3 &&
			    bb_lq_memmem(mk, ml, "{{", 2) != LQ_NOPOS) {
				S_expand(st, d, t, &ex);
				t->markup = ex.data;
				t->ml = ex.len;
			}
			if (t->block) {
				i = bb_lq_block(st, d, i);
			} else {
				bb_lq_simple(st, d, t, prefix);
				i++;
			}
			t->markup = mk;
			t->ml = ml;
			bb_buf_free(&ex);
		}
	}
	st->depth--;
}

/* ---- a run's state ---- */

/* Starts a run of top (the post's document) in st: output to st->main,
 * bounded to 4 * its length + 1 MiB over it. */
void
bb_lq_state_init(lq_state *st, const bb_liquid_ctx *ctx, const bb_liquid_env *env, lq_doc *top)
{
	size_t len = top->len;
	memset(st, 0, sizeof *st);
	st->ctx = ctx;
	st->env = env;
	st->top = top;
	st->out = &st->main;
	st->url_prefix = LQ_NOPOS;
	st->budget = len > (SIZE_MAX - (1u << 20)) / 8 ? SIZE_MAX / 2 : 4 * len + (1u << 20);
	bb_buf_grow(&st->main, len + len / 8 + 64);
	bb_buf_put(&st->main, "", 0);
}

/* Frees what a run keeps in st (variables, counters, includes read,
 * footnotes), but not st->main nor st->top. */
void
bb_lq_state_done(lq_state *st)
{
	size_t i;
	for (i = 0; i < st->nglobals; i++) {
		free(st->globals[i].name);
		bb_lq_drop(&st->globals[i].v);
	}
	free(st->globals);
	while (st->nlocals > 0)
		bb_lq_pop_local(st);
	free(st->locals);
	for (i = 0; i < st->ncounters; i++)
		free(st->counters[i].name);
	free(st->counters);
	for (i = 0; i < st->ninc; i++)
		bb_lq_doc_free(st->incs[i]);
	bb_buf_free(&st->fndefs);
}

/* ---- the public calls ---- */

int
bb_liquid_present(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	while (p + 1 < end) {
		p = memchr(p, '{', (size_t)(end - p - 1));
		if (!p)
			return 0;
		if (p[1] == '%' || p[1] == '{')
			return 1;
		p++;
	}
	return 0;
}

char *
bb_liquid_render_env(const char *text, size_t len, const bb_liquid_ctx *ctx,
	const bb_liquid_env *env, size_t *out_len)
{
	lq_state st;
	lq_doc *top;
	char *r;

	/* Jekyll 4: render_with_liquid: false in the front matter */
	if (!bb_liquid_present(text, len) || (env && env->page && bb_fm_bool(env->page, "render_with_liquid", 1) == 0)) {
		r = bb_xmalloc(len + 1);
		if (len)
			memcpy(r, text, len);
		r[len] = '\0';
		if (out_len)
			*out_len = len;
		return r;
	}
	top = bb_lq_doc_new(text, len);
	bb_lq_state_init(&st, ctx, env, top);

	bb_lq_tokenize(&st, top);
	bb_lq_parse(&st, top);
	bb_lq_run(&st, top, 0, top->n);
	if (st.fndefs.len) {
		st.halt = 0;
		st.out = &st.main;
		bb_lq_emit(&st, top, 0, "\n", 1, 1);
		bb_lq_emit(&st, top, 0, st.fndefs.data, st.fndefs.len, 1);
	}

	bb_lq_state_done(&st);
	bb_lq_doc_free(top);
	return bb_buf_detach(&st.main, out_len);
}

char *
bb_liquid_render(const char *text, size_t len, const bb_liquid_ctx *ctx, size_t *out_len)
{
	return bb_liquid_render_env(text, len, ctx, NULL, out_len);
}
