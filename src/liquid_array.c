/* liquid_array.c: the Liquid filters on lists (sort, map, where, group_by, uniq, first, last, join...). */
#define _XOPEN_SOURCE 700
#include "liquid_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define F(lit) (strcmp(nm, lit) == 0)

/* ---- filters on lists ---- */

/* A copy of a list value as an array; maps give their values (as Jekyll's
 * filters take them), nil an empty array, others a one-item array. */
lq_val
bb_lq_as_array(lq_ectx *x, const lq_val *v)
{
	lq_val a = bb_lq_arr_new();
	size_t i, n;
	if (bb_lq_is_list(v)) {
		n = bb_lq_len(v);
		bb_lq_work(x, n);
		if (n > LQ_ARRAY_MAX) {
			bb_lq_warn(x->st, x->d, x->tk->start, bb_xasprintf("a Liquid list of %zu items cut to %d", n, LQ_ARRAY_MAX));
			n = LQ_ARRAY_MAX;
		}
		for (i = 0; i < n; i++)
			bb_lq_push(&a, bb_lq_at(v, i));
	} else if (v->t == V_MAP || (v->t == V_NODE && v->node->kind == BB_FM_MAP)) {
		n = bb_lq_len(v);
		for (i = 0; i < n; i++) {
			lq_val p = bb_lq_at(v, i);
			bb_lq_push(&a, bb_lq_at(&p, 1));
			bb_lq_drop(&p);
		}
	} else if (v->t != V_NIL) {
		bb_lq_push(&a, bb_lq_ref(v));
	}
	return a;
}

/* item[key] for a property name written with dots ("author.name"). */
static lq_val
S_item_prop(lq_state *st, const lq_val *item, const char *key)
{
	lq_val cur = bb_lq_ref(item), k, nx;
	const char *p = key;
	int f = 1;
	while (f) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		k = bb_lq_strn(p, n);
		nx = bb_lq_prop(st, &cur, &k, &f);
		bb_lq_drop(&k);
		bb_lq_drop(&cur);
		cur = nx;
		if (!dot)
			break;
		p = dot + 1;
	}
	return cur;
}

static int
S_sort_cmp(lq_sortctx *c, const lq_val *a, const lq_val *b)
{
	lq_val x;
	lq_val y;
	int r;
	if (++c->st->work > LQ_WORK_MAX)
		return 0;  /* bb_lq_filter says so after the sort */
	x = c->key ? S_item_prop(c->st, a, c->key) : bb_lq_ref(a);
	y = c->key ? S_item_prop(c->st, b, c->key) : bb_lq_ref(b);
	if (x.t == V_NIL || y.t == V_NIL) {
		/* Jekyll's sort: nils first, or last when asked */
		r = (y.t == V_NIL) - (x.t == V_NIL);
		if (c->nils_last)
			r = -r;
	} else if (c->natural) {
		bb_buf p = BB_BUF_INIT, q = BB_BUF_INIT;
		size_t i;
		bb_lq_text(&x, &p);
		bb_lq_text(&y, &q);
		for (i = 0; i < p.len; i++)
			p.data[i] = (char)lq_lower((unsigned char)p.data[i]);
		for (i = 0; i < q.len; i++)
			q.data[i] = (char)lq_lower((unsigned char)q.data[i]);
		r = strcmp(p.data, q.data);
		bb_buf_free(&p);
		bb_buf_free(&q);
	} else {
		r = bb_lq_order(&x, &y);
		if (r == 2) {
			bb_buf p = BB_BUF_INIT, q = BB_BUF_INIT;
			r = strcmp(bb_lq_text(&x, &p), bb_lq_text(&y, &q));
			bb_buf_free(&p);
			bb_buf_free(&q);
		}
	}
	bb_lq_drop(&x);
	bb_lq_drop(&y);
	return r;
}

/* A stable merge sort of v[0..n) (no global comparator state: renders run
 * on several threads). */
void
bb_lq_msort(lq_sortctx *c, lq_val *v, lq_val *tmp, size_t n)
{
	size_t h, i, j, k;
	if (n < 2)
		return;
	h = n / 2;
	bb_lq_msort(c, v, tmp, h);
	bb_lq_msort(c, v + h, tmp, n - h);
	for (i = 0, j = h, k = 0; i < h && j < n;)
		tmp[k++] = S_sort_cmp(c, &v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

/* The input as an array for the list filters, with its length, cut to none
 * once the work budget is spent; a filter that looks into each item costs
 * per_item for each. */
static lq_val
S_items(lq_ectx *x, lq_val *in, size_t per_item, size_t *len)
{
	lq_val arr = bb_lq_as_array(x, in);
	*len = arr.o->n;
	if (per_item)
		bb_lq_work(x, per_item * *len);
	if (x->st->halt)
		*len = 0;
	return arr;
}

/* Array to array: reverse, uniq, compact, concat, push, pop, shift, unshift, sum, map. */
int
bb_lq_filter_items(lq_fx *f)
{
	LQ_FX_BEGIN(f);
	if (F("uniq") || F("reverse") || F("compact") || F("concat") || F("map") || F("push") || F("pop") ||
	    F("shift") || F("unshift") || F("sum")) {
		size_t len, k;
		lq_val arr = S_items(x, in, F("map") || F("sum") ? 2 : 0, &len);
		have = 0;
		if (F("reverse")) {
			r = bb_lq_arr_new();
			for (k = len; k > 0; k--)
				bb_lq_push(&r, bb_lq_ref(&arr.o->v[k - 1]));
		} else if (F("uniq")) {
			r = bb_lq_arr_new();
			for (k = 0; k < len && bb_lq_work(x, r.o->n) == 0; k++) {
				size_t j;
				for (j = 0; j < r.o->n && j < 10000; j++)
					if (bb_lq_equal(&r.o->v[j], &arr.o->v[k]))
						break;
				if (j == r.o->n || j == 10000)
					bb_lq_push(&r, bb_lq_ref(&arr.o->v[k]));
			}
		} else if (F("compact")) {
			r = bb_lq_arr_new();
			for (k = 0; k < len; k++)
				if (arr.o->v[k].t != V_NIL)
					bb_lq_push(&r, bb_lq_ref(&arr.o->v[k]));
		} else if (F("concat") || F("push") || F("unshift")) {
			r = bb_lq_arr_new();
			if (F("unshift") && a->n)
				bb_lq_push(&r, bb_lq_ref(&a->v[0]));
			for (k = 0; k < len; k++)
				bb_lq_push(&r, bb_lq_ref(&arr.o->v[k]));
			if (F("push") && a->n)
				bb_lq_push(&r, bb_lq_ref(&a->v[0]));
			if (F("concat") && a->n) {
				lq_val b = bb_lq_as_array(x, &a->v[0]);
				for (k = 0; k < b.o->n && r.o->n < LQ_ARRAY_MAX; k++)
					bb_lq_push(&r, bb_lq_ref(&b.o->v[k]));
				bb_lq_drop(&b);
			}
		} else if (F("pop") || F("shift")) {
			r = bb_lq_arr_new();
			for (k = F("shift") ? 1 : 0; k < (F("pop") && len ? len - 1 : len); k++)
				bb_lq_push(&r, bb_lq_ref(&arr.o->v[k]));
		} else if (F("sum")) {
			lq_val acc = bb_lq_int(0);
			for (k = 0; k < len; k++) {
				lq_val v = a->n ? S_item_prop(st, &arr.o->v[k], bb_lq_astr(a, 0, &t2)) : bb_lq_ref(&arr.o->v[k]);
				lq_val q = bb_lq_tonum(&v);
				if (acc.isf || q.isf)
					acc = bb_lq_flt(bb_lq_fnum(&acc) + bb_lq_fnum(&q));
				else
					acc.i += q.i;
				bb_lq_drop(&v);
			}
			r = acc;
		} else if (F("map")) {
			const char *key = bb_lq_astr(a, 0, &t2);
			r = bb_lq_arr_new();
			for (k = 0; k < len; k++)
				bb_lq_push(&r, S_item_prop(st, &arr.o->v[k], key));
		}
		bb_lq_drop(&arr);
	} else {
		known = 0;
	}
	return bb_lq_fx_end(f, known, &o, &t2, &t3, r, have);
}

/* Array to the items a condition or a key selects: where, find, their _exp forms, group_by. */
int
bb_lq_filter_select(lq_fx *f)
{
	LQ_FX_BEGIN(f);
	if (F("where") || F("where_exp") || F("find") || F("find_exp") || F("group_by") || F("group_by_exp")) {
		size_t len, k;
		lq_val arr = S_items(x, in, 2, &len);
		have = 0;
		if (F("where") || F("find")) {
			const char *key = bb_lq_astr(a, 0, &t2);
			const char *want = a->n > 1 ? bb_lq_astr(a, 1, &t3) : NULL;
			bb_buf iv = BB_BUF_INIT;
			r = F("where") ? bb_lq_arr_new() : LQ_NIL;
			for (k = 0; k < len; k++) {
				lq_val v = S_item_prop(st, &arr.o->v[k], key);
				int ok;
				if (!want) {
					ok = bb_lq_truthy(&v);
				} else if (bb_lq_is_list(&v)) {
					size_t j, m = bb_lq_len(&v);
					ok = 0;
					for (j = 0; j < m && !ok; j++) {
						lq_val e = bb_lq_at(&v, j);
						ok = strcmp(bb_lq_text(&e, &iv), want) == 0;
						bb_lq_drop(&e);
					}
				} else {
					ok = strcmp(bb_lq_text(&v, &iv), want) == 0;
				}
				bb_lq_drop(&v);
				if (ok) {
					if (F("find")) {
						r = bb_lq_ref(&arr.o->v[k]);
						break;
					}
					bb_lq_push(&r, bb_lq_ref(&arr.o->v[k]));
				}
			}
			bb_buf_free(&iv);
		} else if (F("where_exp") || F("find_exp")) {
			const char *var = bb_lq_astr(a, 0, &t2), *expr = bb_lq_astr(a, 1, &t3);
			r = F("where_exp") ? bb_lq_arr_new() : LQ_NIL;
			for (k = 0; k < len; k++) {
				int ok = bb_lq_where_exp(x, &arr.o->v[k], var, expr);
				if (ok < 0)
					break;
				if (ok) {
					if (F("find_exp")) {
						r = bb_lq_ref(&arr.o->v[k]);
						break;
					}
					bb_lq_push(&r, bb_lq_ref(&arr.o->v[k]));
				}
			}
		} else {
			/* group_by, group_by_exp: [{name, items, size}] in first-seen order */
			const char *key = bb_lq_astr(a, 0, &t2);
			bb_buf kb = BB_BUF_INIT;
			lq_ectx sub = *x;
			lq_val *grp = NULL;
			size_t ng = 0, j;
			r = bb_lq_arr_new();
			for (k = 0; k < len; k++) {
				lq_val v;
				if (F("group_by_exp")) {
					lq_cur c;
					bb_lq_push_local(st, key, strlen(key), bb_lq_ref(&arr.o->v[k]));
					c.p = bb_lq_astr(a, 1, &t3);
					c.e = c.p + t3.len;
					if (bb_lq_eval_filtered(&sub, c.p, t3.len, &v) < 0)
						v = LQ_NIL;
					bb_lq_pop_local(st);
				} else {
					v = S_item_prop(st, &arr.o->v[k], key);
				}
				bb_lq_text(&v, &kb);
				bb_lq_drop(&v);
				if (bb_lq_work(x, ng + 1) < 0)
					break;
				for (j = 0; j < ng; j++)
					if (strcmp(grp[j].o->v[1].o->s, kb.data) == 0)
						break;
				if (j == ng) {
					lq_val g = bb_lq_map_new();
					bb_lq_map_set(&g, "name", bb_lq_strn(kb.data, kb.len));
					bb_lq_map_set(&g, "items", bb_lq_arr_new());
					bb_lq_map_set(&g, "size", bb_lq_int(0));
					grp = bb_xrealloc(grp, (ng + 1) * sizeof *grp);
					grp[ng++] = g;
				}
				bb_lq_push(&grp[j].o->v[3], bb_lq_ref(&arr.o->v[k]));
				grp[j].o->v[5].i++;
			}
			for (j = 0; j < ng; j++)
				bb_lq_push(&r, grp[j]);
			free(grp);
			bb_buf_free(&kb);
		}
		bb_lq_drop(&arr);
	} else {
		known = 0;
	}
	return bb_lq_fx_end(f, known, &o, &t2, &t3, r, have);
}

#undef F
