/* liquid_tags.c: the Liquid tags that steer the run: for, if, unless, case, capture and other blocks, assign, increment, cycle, and the simple tags. */
#define _XOPEN_SOURCE 700
#include "liquid_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- tags ---- */

/* A for loop's options after its collection: reversed, limit: n, offset: n. */
static void
S_for_options(lq_ectx *x, lq_cur *c, int *reversed, long long *offset, long long *limit)
{
	lq_val lim, off;
	while (c->p < c->e) {
		bb_lq_ws(c);
		if (c->e - c->p >= 8 && memcmp(c->p, "reversed", 8) == 0) {
			*reversed = 1;
			c->p += 8;
		} else if (c->e - c->p >= 6 && memcmp(c->p, "limit:", 6) == 0) {
			c->p += 6;
			if (bb_lq_primary(x, c, &lim) == 0) {
				*limit = bb_lq_toint(&lim);
				bb_lq_drop(&lim);
			}
		} else if (c->e - c->p >= 7 && memcmp(c->p, "offset:", 7) == 0) {
			c->p += 7;
			if (bb_lq_primary(x, c, &off) == 0) {
				*offset = bb_lq_toint(&off);
				bb_lq_drop(&off);
			}
		} else if (c->p < c->e) {
			c->p++;
		}
	}
}

/* The forloop map at step k of len: one per loop, changed in place while
 * only the loop holds it. */
static void
S_forloop(lq_val *forloop, size_t k, size_t len)
{
	if (!forloop->o || forloop->o->rc > 1) {
		bb_lq_drop(forloop);
		*forloop = bb_lq_map_new();
		bb_lq_map_set(forloop, "index", bb_lq_int(0));
		bb_lq_map_set(forloop, "index0", bb_lq_int(0));
		bb_lq_map_set(forloop, "rindex", bb_lq_int(0));
		bb_lq_map_set(forloop, "rindex0", bb_lq_int(0));
		bb_lq_map_set(forloop, "first", bb_lq_bool(0));
		bb_lq_map_set(forloop, "last", bb_lq_bool(0));
		bb_lq_map_set(forloop, "length", bb_lq_int((long long)len));
	}
	forloop->o->v[1].i = (long long)k + 1;
	forloop->o->v[3].i = (long long)k;
	forloop->o->v[5].i = (long long)(len - k);
	forloop->o->v[7].i = (long long)(len - k - 1);
	forloop->o->v[9].i = k == 0;
	forloop->o->v[11].i = k == len - 1;
}

/* for NAME in COLLECTION [reversed] [limit: n] [offset: n] */
static void
S_for(lq_state *st, lq_doc *d, size_t i)
{
	lq_tok *t = &d->t[i];
	const char *s = t->markup, *e = t->markup + t->ml, *var;
	size_t vl, len, k, else_i = t->next_i, body_end;
	lq_cur c;
	lq_val coll = LQ_NIL, forloop = LQ_NIL;
	lq_ectx x;
	long long offset = 0, limit = -1;
	int reversed = 0;

	body_end = else_i != LQ_NOPOS ? else_i : t->end_i;
	bb_lq_ectx_init(&x, st, d, t);
	var = s;
	while (s < e && bb_lq_idchar((unsigned char)*s))
		s++;
	vl = (size_t)(s - var);
	while (s < e && lq_isspace((unsigned char)*s))
		s++;
	if (vl == 0 || e - s < 2 || s[0] != 'i' || s[1] != 'n') {
		bb_lq_warn(st, d, t->start, bb_xasprintf("{%% for %.*s %%} cannot be read: its body is kept once",
			(int)(t->ml > 60 ? 60 : t->ml), t->markup));
		bb_lq_run(st, d, i + 1, body_end);
		return;
	}
	c.p = s + 2;
	c.e = e;
	if (bb_lq_primary(&x, &c, &coll) < 0) {
		bb_lq_warn(st, d, t->start, bb_xasprintf("{%% for %.*s %%}: the collection cannot be read; the loop is skipped",
			(int)(t->ml > 60 ? 60 : t->ml), t->markup));
		return;
	}
	S_for_options(&x, &c, &reversed, &offset, &limit);
	if (coll.t == V_STR) {
		/* Liquid 4 loops once over a string */
		lq_val a = bb_lq_arr_new();
		if (coll.o->n)
			bb_lq_push(&a, bb_lq_ref(&coll));
		bb_lq_drop(&coll);
		coll = a;
	}
	len = bb_lq_len(&coll);
	if (offset < 0)
		offset = 0;
	if ((size_t)offset > len)
		offset = (long long)len;
	len -= (size_t)offset;
	if (limit >= 0 && (size_t)limit < len)
		len = (size_t)limit;
	if (len == 0) {
		if (else_i != LQ_NOPOS)
			bb_lq_run(st, d, else_i + 1, t->end_i);
		bb_lq_drop(&coll);
		return;
	}
	for (k = 0; k < len && !st->halt; k++) {
		size_t idx = (size_t)offset + (reversed ? len - 1 - k : k);
		lq_val item, fl;
		if (st->iters >= LQ_ITER_MAX) {
			if (!st->iters_warned)
				bb_lq_warn(st, d, t->start, bb_xasprintf("Liquid loops ran %d times in this text: this loop and later ones stop here",
					LQ_ITER_MAX));
			st->iters_warned = 1;
			break;
		}
		st->iters++;
		item = bb_lq_at(&coll, idx);
		S_forloop(&forloop, k, len);
		fl = bb_lq_ref(&forloop);
		bb_lq_push_local(st, "forloop", 7, fl);
		bb_lq_push_local(st, var, vl, item);
		st->in_loop++;
		bb_lq_run(st, d, i + 1, body_end);
		st->in_loop--;
		bb_lq_pop_local(st);
		bb_lq_pop_local(st);
		if (st->jump == 1) {
			st->jump = 0;
			break;
		}
		st->jump = 0;
	}
	bb_lq_drop(&forloop);
	bb_lq_drop(&coll);
}

/* if / unless: the first clause whose condition holds. */
static void
S_if(lq_state *st, lq_doc *d, size_t i)
{
	size_t c = i;
	while (c != LQ_NOPOS && c < d->n && c != d->t[i].end_i) {
		lq_tok *ct = &d->t[c];
		int r = 1;
		if (ct->op == OP_IF || ct->op == OP_UNLESS || ct->op == OP_ELSIF) {
			lq_ectx x;
			bb_lq_ectx_init(&x, st, d, ct);
			r = bb_lq_condition(&x, ct->markup, ct->ml);
			if (r < 0) {
				if (!(ct->warned & 8))
					bb_lq_warn(st, d, ct->start, bb_xasprintf("Liquid condition '%.*s' cannot be read: taken as false",
						(int)(ct->ml > 60 ? 60 : ct->ml), ct->markup));
				ct->warned |= 8;
				r = 0;
			} else if (ct->op == OP_UNLESS) {
				r = !r;
			}
		}
		if (r) {
			bb_lq_run(st, d, c + 1, bb_lq_body_end(d, i, c));
			return;
		}
		c = ct->next_i;
	}
}

static void
S_case(lq_state *st, lq_doc *d, size_t i)
{
	lq_tok *t = &d->t[i];
	lq_ectx x;
	lq_val v;
	lq_cur c0;
	size_t c = t->next_i;
	int matched = 0;
	bb_lq_ectx_init(&x, st, d, t);
	c0.p = t->markup;
	c0.e = t->markup + t->ml;
	if (bb_lq_primary(&x, &c0, &v) < 0)
		v = LQ_NIL;
	for (; c != LQ_NOPOS && c < d->n && c != t->end_i; c = d->t[c].next_i) {
		lq_tok *ct = &d->t[c];
		if (ct->op == OP_WHEN) {
			/* values separated by , or "or" */
			lq_cur cc;
			int hit = 0;
			cc.p = ct->markup;
			cc.e = ct->markup + ct->ml;
			bb_lq_ectx_init(&x, st, d, ct);
			while (cc.p < cc.e) {
				lq_val w;
				bb_lq_ws(&cc);
				if (bb_lq_primary(&x, &cc, &w) < 0)
					break;
				if (bb_lq_equal(&v, &w))
					hit = 1;
				bb_lq_drop(&w);
				bb_lq_ws(&cc);
				if (cc.p < cc.e && *cc.p == ',')
					cc.p++;
				else if (cc.e - cc.p >= 3 && memcmp(cc.p, "or", 2) == 0 && lq_isspace((unsigned char)cc.p[2]))
					cc.p += 2;
				else
					break;
			}
			if (hit) {
				matched = 1;
				bb_lq_run(st, d, c + 1, bb_lq_body_end(d, i, c));
				if (st->jump || st->halt)
					break;
			}
		} else if (ct->op == OP_ELSE && !matched) {
			bb_lq_run(st, d, c + 1, bb_lq_body_end(d, i, c));
		}
	}
	bb_lq_drop(&v);
}

/* Runs the block tag at i; returns the index after it. */
size_t
bb_lq_block(lq_state *st, lq_doc *d, size_t i)
{
	lq_tok *t = &d->t[i];
	size_t after = bb_lq_after(d, i), end = t->end_i;
	bb_buf body = BB_BUF_INIT;

	switch (t->op) {
	case OP_IF:
	case OP_UNLESS:
		S_if(st, d, i);
		break;
	case OP_CASE:
		S_case(st, d, i);
		break;
	case OP_FOR:
		S_for(st, d, i);
		break;
	case OP_CAPTURE: {
		const char *nm = t->markup;
		size_t nl = t->ml;
		if (nl >= 2 && (nm[0] == '"' || nm[0] == '\'') && nm[nl - 1] == nm[0])
			nm++, nl -= 2;
		bb_lq_run_into(st, d, i + 1, end, &body);
		if (nl == 0)
			bb_lq_warn(st, d, t->start, bb_xstrdup("{% capture %} without a name: its body is dropped"));
		else
			bb_lq_set_global(st, d, t->start, nm, nl, bb_lq_str_buf(&body));
		break;
	}
	case OP_HIGHLIGHT:
	case OP_CODEBLOCK:
		bb_lq_code(st, d, i, end, after);
		break;
	case OP_FN:
		bb_lq_run_into(st, d, i + 1, end, &body);
		bb_lq_footnote(st, d, t, body.data, body.len);
		break;
	case OP_FIGURE: {
		bb_buf cap = BB_BUF_INIT;
		char *w[16];
		int n = bb_lq_words(t->markup, t->ml, w, 16);
		const char *c = bb_lq_opt(w, n, "caption");
		bb_lq_run_into(st, d, i + 1, end, &body);
		bb_buf_put(&cap, body.data, body.len);
		if (c && *c)
			bb_buf_printf(&cap, "\n\n%s\n", c);
		bb_lq_emit(st, d, t->start, cap.data, cap.len, 0);
		bb_buf_free(&cap);
		bb_lq_words_free(w, n);
		break;
	}
	case OP_MATH:
	case OP_M: {
		/* display and inline math alike: kramdown's inline math is $$
		 * inside a paragraph too (mathscan.h, BB_MATHSCAN_KRAMDOWN) */
		const char *s;
		size_t n;
		bb_lq_run_into(st, d, i + 1, end, &body);
		s = body.data;
		n = body.len;
		lq_trim(&s, &n);
		bb_lq_emit(st, d, t->start, "$$", 2, 0);
		bb_lq_emit(st, d, t->start, s, n, 0);
		bb_lq_emit(st, d, t->start, "$$", 2, 0);
		break;
	}
	case OP_BLOCKQUOTE:
		bb_lq_run_into(st, d, i + 1, end, &body);
		bb_lq_blockquote(st, d, t, &body);
		break;
	case OP_PULLQUOTE:
		bb_lq_run_into(st, d, i + 1, end, &body);
		bb_lq_pullquote(st, d, t, &body);
		break;
	default:
		/* a block blogbind does not know: its arguments and body stay */
		if (!(t->warned & 16))
			bb_lq_warn(st, d, t->start, bb_xasprintf("Liquid block '%.*s' is not known: its arguments and body are kept as text",
				(int)(t->nl > 40 ? 40 : t->nl), t->name));
		t->warned |= 16;
		if (t->ml) {
			bb_buf a = BB_BUF_INIT;
			bb_lq_plain_args(t, &a);
			bb_lq_emit(st, d, t->start, a.data, a.len, 0);
			bb_buf_free(&a);
		}
		bb_lq_run(st, d, i + 1, end);
		break;
	}
	bb_buf_free(&body);
	return after;
}

/* {% increment name %} and {% decrement name %}: counters apart from the
 * variables, as Liquid keeps them. */
static void
S_counter(lq_state *st, lq_doc *d, lq_tok *t)
{
	lq_val v;
	const char *nm = t->markup;
	size_t nl = t->ml;
	lq_var *c = bb_lq_find_var(st->counters, st->ncounters, nm, nl);
	long long now;
	if (!c) {
		if (st->ncounters >= 1000)
			return;
		st->counters = bb_xrealloc(st->counters, (st->ncounters + 1) * sizeof *st->counters);
		c = &st->counters[st->ncounters++];
		c->name = bb_xstrndup(nm, nl);
		c->v = bb_lq_int(0);
	}
	if (t->op == OP_INCREMENT) {
		now = c->v.i++;
	} else {
		now = --c->v.i;
	}
	v = bb_lq_int(now);
	bb_lq_write_val(st, d, t->start, &v);
}

/* {% cycle [group:] a, b %}: the next of its values. */
static void
S_cycle(lq_ectx *x, lq_state *st, lq_doc *d, lq_tok *t)
{
	lq_args a;
	size_t k = bb_lq_span(t->markup, t->ml, ':');
	const char *s = t->markup;
	size_t n = t->ml;
	/* "group: a, b" names a group; the values follow */
	if (k < n && bb_lq_span(t->markup, k, ',') == k)
		s += k + 1, n -= k + 1;
	memset(&a, 0, sizeof a);
	bb_lq_read_args(x, s, n, &a);
	if (a.n > 0)
		bb_lq_write_val(st, d, t->start, &a.v[t->cycle++ % (unsigned long)a.n]);
	bb_lq_args_free(&a);
}

/* Runs the simple tag t. prefix as for bb_lq_output. */
void
bb_lq_simple(lq_state *st, lq_doc *d, lq_tok *t, size_t prefix)
{
	lq_ectx x;
	lq_val v;
	bb_lq_ectx_init(&x, st, d, t);
	switch (t->op) {
	case OP_NOOP:
	case OP_IGNORED:
	case OP_END:
		return;
	case OP_ASSIGN: {
		const char *s = t->markup, *nm;
		size_t n = t->ml, k = bb_lq_span(s, n, '='), nl;
		nm = s;
		nl = k;
		lq_trim(&nm, &nl);
		if (k >= n || nl == 0 || bb_lq_eval_filtered(&x, s + k + 1, n - k - 1, &v) < 0) {
			bb_lq_warn(st, d, t->start, bb_xasprintf("{%% assign %.*s %%} cannot be read: removed",
				(int)(n > 60 ? 60 : n), s));
			return;
		}
		bb_lq_set_global(st, d, t->start, nm, nl, v);
		return;
	}
	case OP_INCREMENT:
	case OP_DECREMENT:
		S_counter(st, d, t);
		return;
	case OP_BREAK:
		st->jump = 1;
		return;
	case OP_CONTINUE:
		st->jump = 2;
		return;
	case OP_CYCLE:
		S_cycle(&x, st, d, t);
		return;
	case OP_ECHO: {
		lq_tok vt = *t;
		vt.kind = T_VAR;
		bb_lq_output(st, d, &vt, prefix);
		t->warned |= vt.warned;
		return;
	}
	case OP_INCLUDE:
	case OP_INCLUDE_REL:
		bb_lq_include(st, d, t, t->op == OP_INCLUDE_REL);
		return;
	case OP_POST_URL:
		bb_lq_resolve(st, d, t, "post_url", prefix);
		return;
	case OP_LINK:
		if (!bb_lq_hexo_tag(st, d, t))
			bb_lq_resolve(st, d, t, "link", prefix);
		return;
	case OP_IFRAME:
	case OP_JSFIDDLE:
	case OP_POST_PATH:
	case OP_ASSET_PATH:
		bb_lq_hexo_tag(st, d, t);
		return;
	case OP_FN:
		bb_lq_footnote(st, d, t, t->markup, t->ml);
		return;
	case OP_FOOTNOTES:
		st->fn_placed = 1;
		bb_lq_place_footnotes(st, d, t->start);
		return;
	case OP_GIST:
	case OP_YOUTUBE:
	case OP_VIMEO:
	case OP_TWEET:
	case OP_VIDEO:
		bb_lq_media_link(st, d, t);
		return;
	case OP_IMG:
	case OP_FIGURE:
		bb_lq_image(st, d, t, NULL);
		return;
	case OP_POST_LINK:
	case OP_ASSET_LINK:
		bb_lq_hexo_link(st, d, t, t->op == OP_POST_LINK);
		return;
	default:
		break;
	}
	if (t->nl >= 7 && t->ml && strncasecmp(t->name, "youtube", 7) == 0) {
		/* a site's own YouTube shortcode (Eleventy's youtubeEmbed): the
		 * video's link, as for the youtube tag */
		lq_tok u = *t;
		bb_lq_warn(st, d, t->start, bb_xasprintf("Liquid tag '%.*s' is not known: read as a link to the YouTube video",
			(int)(t->nl > 40 ? 40 : t->nl), t->name));
		u.op = OP_YOUTUBE;
		bb_lq_media_link(st, d, &u);
		return;
	}
	{
		/* the arguments that say something to a reader (options such as
		 * jekyll-scholar's "--cited --file refs" do not), or none: the
		 * warning says which */
		bb_buf a = BB_BUF_INIT;
		if (t->nl && t->ml)
			bb_lq_plain_args(t, &a);
		if (t->nl == 0) {
			bb_lq_warn(st, d, t->start, bb_xstrdup("Liquid tag without a name removed"));
		} else if (!(t->warned & 16)) {
			t->warned |= 16;
			if (a.len)
				bb_lq_warn(st, d, t->start, bb_xasprintf("Liquid tag '%.*s' is not known: its arguments are kept as text",
					(int)(t->nl > 40 ? 40 : t->nl), t->name));
			else
				bb_lq_warn(st, d, t->start, bb_xasprintf("Liquid tag '%.*s' is not known and has %s: removed",
					(int)(t->nl > 40 ? 40 : t->nl), t->name, t->ml ? "only options" : "no arguments"));
		}
		if (a.len)
			bb_lq_emit(st, d, t->start, a.data, a.len, 0);
		bb_buf_free(&a);
	}
}
