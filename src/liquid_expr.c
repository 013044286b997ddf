/* liquid_expr.c: Liquid expressions: variables and their scopes, paths into values, comparisons and and/or conditions, and outputs with their filters. */
#define _XOPEN_SOURCE 700
#include "liquid_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- variables ---- */

lq_var *
bb_lq_find_var(lq_var *v, size_t n, const char *name, size_t nl)
{
	size_t i;
	for (i = n; i > 0; i--)
		if (lq_eq(name, nl, v[i - 1].name))
			return &v[i - 1];
	return NULL;
}

/* Sets a global (assign, capture), taking x's reference. */
void
bb_lq_set_global(lq_state *st, lq_doc *d, size_t at, const char *name, size_t nl, lq_val x)
{
	lq_var *v = bb_lq_find_var(st->globals, st->nglobals, name, nl);
	if (v) {
		bb_lq_drop(&v->v);
		v->v = x;
		return;
	}
	if (st->nglobals >= LQ_VARS_MAX) {
		bb_lq_warn(st, d, at, bb_xstrdup("too many Liquid variables: this one is not set"));
		bb_lq_drop(&x);
		return;
	}
	st->globals = bb_xrealloc(st->globals, (st->nglobals + 1) * sizeof *st->globals);
	st->globals[st->nglobals].name = bb_xstrndup(name, nl);
	st->globals[st->nglobals].v = x;
	st->nglobals++;
}

void
bb_lq_push_local(lq_state *st, const char *name, size_t nl, lq_val x)
{
	if (st->nlocals == st->caplocals) {
		st->caplocals = st->caplocals ? 2 * st->caplocals : 16;
		st->locals = bb_xrealloc(st->locals, st->caplocals * sizeof *st->locals);
	}
	st->locals[st->nlocals].name = bb_xstrndup(name, nl);
	st->locals[st->nlocals].v = x;
	st->nlocals++;
}

void
bb_lq_pop_local(lq_state *st)
{
	lq_var *v = &st->locals[--st->nlocals];
	free(v->name);
	bb_lq_drop(&v->v);
}

/* key as text, for map access */
static int
S_key_is(const lq_val *k, const char *s)
{
	return k->t == V_STR && strcmp(k->o->s, s) == 0;
}

/* Property key of v (a name or an index). Sets *found. */
lq_val
bb_lq_prop(lq_state *st, const lq_val *v, const lq_val *key, int *found)
{
	const bb_fm_node *n;
	size_t i, len;
	bb_buf tmp = BB_BUF_INIT;
	lq_val r = LQ_NIL;
	*found = 0;
	switch (v->t) {
	case V_SITE:
		if (key->t != V_STR)
			return r;
		if (S_key_is(key, "data") && st->env && st->env->data) {
			*found = 1;
			return bb_lq_from_node(st->env->data);
		}
		if (S_key_is(key, "posts") && st->env && (n = st->env->posts ? st->env->posts
						   : st->env->posts_fn ? st->env->posts_fn(st->env->posts_ud) : NULL)) {
			*found = 1;
			return bb_lq_from_node(n);
		}
		n = st->env && st->env->site ? bb_fm_get(st->env->site, key->o->s) : NULL;
		if (n) {
			*found = 1;
			return bb_lq_from_node(n);
		}
		return r;
	case V_PAGE:
		if (key->t != V_STR)
			return r;
		n = st->env && st->env->page ? bb_fm_get(st->env->page, key->o->s) : NULL;
		if (n) {
			*found = 1;
			return bb_lq_from_node(n);
		}
		return r;
	case V_MAP:
		bb_lq_text(key, &tmp);
		for (i = 0; i < v->o->n; i++)
			if (strcmp(v->o->v[2 * i].o->s, tmp.data) == 0) {
				*found = 1;
				r = bb_lq_ref(&v->o->v[2 * i + 1]);
				break;
			}
		if (!*found && strcmp(tmp.data, "size") == 0) {
			*found = 1;
			r = bb_lq_int((long long)v->o->n);
		}
		bb_buf_free(&tmp);
		return r;
	case V_NODE:
		if (v->node->kind == BB_FM_MAP) {
			bb_lq_text(key, &tmp);
			n = bb_fm_get(v->node, tmp.data);
			if (n) {
				*found = 1;
				r = bb_lq_from_node(n);
			} else if (strcmp(tmp.data, "size") == 0) {
				*found = 1;
				r = bb_lq_int((long long)(v->node->nkids / 2));
			}
			bb_buf_free(&tmp);
			return r;
		}
		/* fall through */
	case V_ARR:
	case V_RANGE:
		len = bb_lq_len(v);
		if (key->t == V_NUM && !key->isf) {
			long long k = key->i < 0 ? key->i + (long long)len : key->i;
			if (k >= 0 && (size_t)k < len) {
				*found = 1;
				return bb_lq_at(v, (size_t)k);
			}
			return r;
		}
		if (S_key_is(key, "size")) {
			*found = 1;
			return bb_lq_int((long long)len);
		}
		if (S_key_is(key, "first") || S_key_is(key, "last")) {
			*found = 1;
			if (len == 0)
				return r;
			return bb_lq_at(v, key->o->s[0] == 'f' ? 0 : len - 1);
		}
		return r;
	case V_STR:
		if (S_key_is(key, "size")) {
			*found = 1;
			return bb_lq_int((long long)bb_lq_chars(v->o->s, v->o->n));
		}
		return r;
	default:
		return r;
	}
}

/* ---- expressions ---- */

void
bb_lq_ws(lq_cur *c)
{
	while (c->p < c->e && lq_isspace((unsigned char)*c->p))
		c->p++;
}

static int
S_idstart(int c)
{
	return lq_isalpha(c) || c == '_' || c >= 0x80;
}

int
bb_lq_idchar(int c)
{
	return lq_isword(c) || c == '-' || c == '?' || c >= 0x80;
}

/* A variable path: name(.name|[expr])* */
static int
S_lookup_path(lq_ectx *x, lq_cur *c, lq_val *out)
{
	lq_state *st = x->st;
	const char *start = c->p;
	const char *root = c->p;
	size_t rl, plain_end;
	lq_val cur = LQ_NIL;
	int found = 1, plain = 1, steps = 0;
	lq_var *var;

	while (c->p < c->e && bb_lq_idchar((unsigned char)*c->p))
		c->p++;
	rl = (size_t)(c->p - root);
	if ((var = bb_lq_find_var(st->locals, st->nlocals, root, rl)) != NULL ||
	    (var = bb_lq_find_var(st->globals, st->nglobals, root, rl)) != NULL)
		cur = bb_lq_ref(&var->v);
	else if (lq_eq(root, rl, "site"))
		cur.t = V_SITE;
	else if (lq_eq(root, rl, "page"))
		cur.t = V_PAGE;
	else
		found = 0;
	plain_end = rl;
	for (;;) {
		lq_val key = LQ_NIL, nx;
		int f;
		if (c->p < c->e && *c->p == '.' && c->p + 1 < c->e && S_idstart((unsigned char)c->p[1])) {
			const char *k = ++c->p;
			while (c->p < c->e && bb_lq_idchar((unsigned char)*c->p))
				c->p++;
			key = bb_lq_strn(k, (size_t)(c->p - k));
			if (plain)
				plain_end = (size_t)(c->p - start);
		} else if (c->p < c->e && *c->p == '[') {
			c->p++;
			bb_lq_ws(c);
			if (bb_lq_primary(x, c, &key) < 0) {
				bb_lq_drop(&cur);
				return -1;
			}
			bb_lq_ws(c);
			if (c->p < c->e && *c->p == ']')
				c->p++;
			plain = 0;
		} else {
			break;
		}
		if (++steps > LQ_PATH_MAX) {
			bb_lq_drop(&key);
			found = 0;
			continue;
		}
		if (found) {
			nx = bb_lq_prop(st, &cur, &key, &f);
			bb_lq_drop(&cur);
			cur = nx;
			if (!f)
				found = 0;
		}
		bb_lq_drop(&key);
	}
	if (!found || cur.t == V_SITE || cur.t == V_PAGE) {
		/* the caller's own values: site.baseurl, page.url... */
		const char *s = NULL;
		if (plain && st->ctx && st->ctx->lookup) {
			char *name = bb_xstrndup(start, plain_end);
			s = st->ctx->lookup(st->ctx->ud, name);
			free(name);
		}
		if (s) {
			bb_lq_drop(&cur);
			cur = bb_lq_str(s);
			found = 1;
		} else if (!found) {
			bb_lq_drop(&cur);
			if (!x->undef++)
				snprintf(x->undef_name, sizeof x->undef_name, "%.*s",
					(int)((size_t)(c->p - start) > 80 ? 80 : (size_t)(c->p - start)), start);
		}
	}
	*out = cur;
	return 0;
}

/* A literal, range or variable path. Returns 0, or -1 on a syntax error. */
int
bb_lq_primary(lq_ectx *x, lq_cur *c, lq_val *out)
{
	const char *s;
	bb_lq_ws(c);
	*out = LQ_NIL;
	if (c->p >= c->e)
		return -1;
	s = c->p;
	if (*s == '"' || *s == '\'') {
		const char *q = memchr(s + 1, *s, (size_t)(c->e - s - 1));
		if (!q)
			return -1;
		*out = bb_lq_strn(s + 1, (size_t)(q - s - 1));
		c->p = q + 1;
		return 0;
	}
	if (*s == '(') {
		lq_val lo, hi;
		c->p++;
		if (bb_lq_primary(x, c, &lo) < 0)
			return -1;
		bb_lq_ws(c);
		if (c->e - c->p < 2 || c->p[0] != '.' || c->p[1] != '.') {
			bb_lq_drop(&lo);
			return -1;
		}
		c->p += 2;
		if (bb_lq_primary(x, c, &hi) < 0) {
			bb_lq_drop(&lo);
			return -1;
		}
		bb_lq_ws(c);
		if (c->p < c->e && *c->p == ')')
			c->p++;
		out->t = V_RANGE;
		{
			bb_buf b = BB_BUF_INIT;
			long long a = 0, z = 0;
			double f;
			if (lo.t == V_NUM)
				a = lo.isf ? (long long)lo.f : lo.i;
			else if (bb_lq_parse_num(bb_lq_text(&lo, &b), b.len, &a, &f) == 2)
				a = (long long)f;
			if (hi.t == V_NUM)
				z = hi.isf ? (long long)hi.f : hi.i;
			else if (bb_lq_parse_num(bb_lq_text(&hi, &b), b.len, &z, &f) == 2)
				z = (long long)f;
			bb_buf_free(&b);
			out->i = a;
			out->hi = z;
		}
		bb_lq_drop(&lo);
		bb_lq_drop(&hi);
		return 0;
	}
	if (lq_isdigit((unsigned char)*s) || ((*s == '-' || *s == '+') && c->e - s > 1 && lq_isdigit((unsigned char)s[1]))) {
		const char *p = s + 1;
		long long i;
		double f;
		int k;
		while (p < c->e && lq_isdigit((unsigned char)*p))
			p++;
		if (p + 1 < c->e && *p == '.' && lq_isdigit((unsigned char)p[1])) {
			p++;
			while (p < c->e && lq_isdigit((unsigned char)*p))
				p++;
		}
		k = bb_lq_parse_num(s, (size_t)(p - s), &i, &f);
		*out = k == 2 ? bb_lq_flt(f) : bb_lq_int(i);
		c->p = p;
		return 0;
	}
	if (S_idstart((unsigned char)*s)) {
		const char *p = s;
		size_t n;
		while (p < c->e && bb_lq_idchar((unsigned char)*p))
			p++;
		n = (size_t)(p - s);
		if (!(p < c->e && (*p == '.' || *p == '['))) {
			if (lq_eq(s, n, "true") || lq_eq(s, n, "false")) {
				*out = bb_lq_bool(s[0] == 't');
				c->p = p;
				return 0;
			}
			if (lq_eq(s, n, "nil") || lq_eq(s, n, "null")) {
				c->p = p;
				return 0;
			}
			if (lq_eq(s, n, "empty") || lq_eq(s, n, "blank")) {
				out->t = s[0] == 'e' ? V_EMPTY : V_BLANK;
				c->p = p;
				return 0;
			}
		}
		return S_lookup_path(x, c, out);
	}
	return -1;
}

/* ---- comparisons ---- */

/* One comparison: a [op b]. Returns 0/1, or -1 on a syntax error. */
static int
S_compare(lq_ectx *x, const char *s, size_t n)
{
	lq_cur c;
	lq_val a, b;
	int r = 0;
	const char *op;
	size_t ol = 0;
	c.p = s;
	c.e = s + n;
	if (bb_lq_primary(x, &c, &a) < 0)
		return -1;
	bb_lq_ws(&c);
	if (c.p >= c.e) {
		r = bb_lq_truthy(&a);
		bb_lq_drop(&a);
		return r;
	}
	op = c.p;
	if (c.e - c.p >= 8 && memcmp(c.p, "contains", 8) == 0)
		ol = 8;
	else
		while (c.p + ol < c.e && strchr("=!<>", c.p[ol]) && ol < 2)
			ol++;
	c.p += ol;
	if (ol == 0 || bb_lq_primary(x, &c, &b) < 0) {
		bb_lq_drop(&a);
		return -1;
	}
	if (ol == 8)
		r = bb_lq_contains(x->st, &a, &b);
	else if (lq_eq(op, ol, "=="))
		r = bb_lq_equal(&a, &b);
	else if (lq_eq(op, ol, "!=") || lq_eq(op, ol, "<>"))
		r = !bb_lq_equal(&a, &b);
	else {
		int o = bb_lq_order(&a, &b);
		if (o == 2)
			r = 0;
		else if (lq_eq(op, ol, "<"))
			r = o < 0;
		else if (lq_eq(op, ol, ">"))
			r = o > 0;
		else if (lq_eq(op, ol, "<="))
			r = o <= 0;
		else if (lq_eq(op, ol, ">="))
			r = o >= 0;
		else
			r = -1;
	}
	bb_lq_drop(&a);
	bb_lq_drop(&b);
	return r;
}

/* Offset of the next " and " / " or " outside quotes at or after from;
 * *is_and says which, *wl its length with the spaces. */
static size_t
S_next_logic(const char *s, size_t n, size_t from, int *is_and, size_t *wl)
{
	size_t i;
	char q = 0;
	for (i = from; i < n; i++) {
		char ch = s[i];
		if (q) {
			if (ch == q)
				q = 0;
			continue;
		}
		if (ch == '"' || ch == '\'') {
			q = ch;
			continue;
		}
		if (!lq_isspace((unsigned char)ch))
			continue;
		if (i + 4 < n && memcmp(s + i + 1, "and", 3) == 0 && lq_isspace((unsigned char)s[i + 4])) {
			*is_and = 1;
			*wl = 5;
			return i;
		}
		if (i + 3 < n && memcmp(s + i + 1, "or", 2) == 0 && lq_isspace((unsigned char)s[i + 3])) {
			*is_and = 0;
			*wl = 4;
			return i;
		}
	}
	return LQ_NOPOS;
}

/* A condition: comparisons joined by and/or, read right to left as
 * Liquid does. Returns 0/1, or -1 on a syntax error. */
int
bb_lq_condition(lq_ectx *x, const char *s, size_t n)
{
	int is_and = 0, r;
	size_t wl = 0, k = S_next_logic(s, n, 0, &is_and, &wl);
	if (++x->cdepth > 64)
		return -1;
	if (k == LQ_NOPOS)
		return S_compare(x, s, n);
	r = S_compare(x, s, k);
	if (r < 0)
		return -1;
	/* the right side first, as Liquid builds it: a and (b or c) */
	{
		int rest = bb_lq_condition(x, s + k + wl, n - k - wl);
		if (rest < 0)
			return -1;
		return is_and ? (r && rest) : (r || rest);
	}
}

/* ---- evaluating: expressions with filters ---- */

/* Splits s at the first c outside quotes: returns the length before it. */
size_t
bb_lq_span(const char *s, size_t n, char c)
{
	size_t i;
	char q = 0;
	for (i = 0; i < n; i++) {
		if (q) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			q = s[i];
		} else if (s[i] == c) {
			break;
		}
	}
	return i;
}

/* Reads filter arguments "a, b, key: c" into a. */
void
bb_lq_read_args(lq_ectx *x, const char *s, size_t n, lq_args *a)
{
	while (n > 0 && a->n + a->nkw < LQ_ARGS_MAX) {
		size_t k = bb_lq_span(s, n, ','), m = k, j = 0;
		const char *p = s;
		lq_cur c;
		lq_trim(&p, &m);
		while (j < m && bb_lq_idchar((unsigned char)p[j]))
			j++;
		if (j > 0 && j < m && p[j] == ':' && S_idstart((unsigned char)p[0])) {
			c.p = p + j + 1;
			c.e = p + m;
			a->kw[a->nkw] = bb_xstrndup(p, j);
			if (bb_lq_primary(x, &c, &a->kwv[a->nkw]) < 0)
				a->kwv[a->nkw] = LQ_NIL;
			a->nkw++;
		} else if (m > 0) {
			c.p = p;
			c.e = p + m;
			if (bb_lq_primary(x, &c, &a->v[a->n]) < 0)
				a->v[a->n] = LQ_NIL;
			a->n++;
		}
		s += k < n ? k + 1 : k;
		n -= k < n ? k + 1 : k;
	}
}

/* Evaluates "expr | filter: args | ..." into *out. Returns the number of
 * filters applied, or -1 when the expression cannot be read. */
int
bb_lq_eval_filtered(lq_ectx *x, const char *s, size_t n, lq_val *out)
{
	lq_cur c;
	size_t k = bb_lq_span(s, n, '|');
	int nf = 0;
	c.p = s;
	c.e = s + k;
	*out = LQ_NIL;
	if (bb_lq_primary(x, &c, out) < 0)
		return -1;
	while (k < n) {
		const char *f, *nm;
		size_t fl, nl, ci;
		lq_args a;
		s += k + 1;
		n -= k + 1;
		k = bb_lq_span(s, n, '|');
		f = s;
		fl = k;
		lq_trim(&f, &fl);
		if (fl == 0)
			continue;
		if (++nf > LQ_FILTERS_MAX) {
			if (!(x->tk->warned & 4))
				bb_lq_warn(x->st, x->d, x->tk->start, bb_xasprintf("more than %d Liquid filters: the rest are ignored", LQ_FILTERS_MAX));
			x->tk->warned |= 4;
			break;
		}
		ci = bb_lq_span(f, fl, ':');
		nm = f;
		nl = ci;
		lq_trim(&nm, &nl);
		memset(&a, 0, sizeof a);
		if (ci < fl)
			bb_lq_read_args(x, f + ci + 1, fl - ci - 1, &a);
		if (bb_lq_filter(x, nm, nl, out, &a) < 0 && !(x->tk->warned & 2)) {
			x->tk->warned |= 2;
			bb_lq_warn(x->st, x->d, x->tk->start, bb_xasprintf("unknown Liquid filter '%.*s': the value before it is kept",
				(int)(nl > 40 ? 40 : nl), nm));
		}
		bb_lq_args_free(&a);
		if (out->t == V_STR && out->o->n > x->st->budget + (1u << 20)) {
			bb_lq_warn(x->st, x->d, x->tk->start, bb_xstrdup("Liquid value over the output limit: cut"));
			out->o->n = x->st->budget;
			out->o->s[out->o->n] = '\0';
			x->st->halt = 1;
			break;
		}
	}
	return nf;
}

int
bb_lq_where_exp(lq_ectx *x, const lq_val *item, const char *var, const char *expr)
{
	int r;
	bb_lq_push_local(x->st, var, strlen(var), bb_lq_ref(item));
	x->cdepth = 0;
	r = bb_lq_condition(x, expr, strlen(expr));
	bb_lq_pop_local(x->st);
	return r;
}

void
bb_lq_ectx_init(lq_ectx *x, lq_state *st, lq_doc *d, lq_tok *tk)
{
	memset(x, 0, sizeof *x);
	x->st = st;
	x->d = d;
	x->tk = tk;
}

/* Warns (once per place) that a variable was not found. */
void
bb_lq_warn_undef(lq_ectx *x)
{
	if (!x->undef || (x->tk->warned & 1))
		return;
	x->tk->warned |= 1;
	bb_lq_warn(x->st, x->d, x->tk->start, bb_xasprintf("unknown Liquid variable '%s' left empty", x->undef_name));
}

void
bb_lq_write_val(lq_state *st, lq_doc *d, size_t at, const lq_val *v)
{
	bb_buf b = BB_BUF_INIT;
	if (bb_lq_work_at(st, d, at, bb_lq_weight(v)) < 0)
		return;
	bb_lq_tostr(v, &b, 0);
	bb_lq_emit(st, d, at, b.data, b.len, 0);
	bb_buf_free(&b);
}

/* {{ expr | filters }}. prefix: where a {{ site.url }} run began, or LQ_NOPOS. */
void
bb_lq_output(lq_state *st, lq_doc *d, lq_tok *tk, size_t prefix)
{
	lq_ectx x;
	lq_val v;
	const char *e = tk->markup;
	size_t el = bb_lq_span(tk->markup, tk->ml, '|');
	size_t at = st->out->len;
	int nf;
	lq_trim(&e, &el);
	if (tk->ml == 0) {
		bb_lq_warn(st, d, tk->start, bb_xstrdup("empty Liquid output tag removed"));
		return;
	}
	bb_lq_ectx_init(&x, st, d, tk);
	nf = bb_lq_eval_filtered(&x, tk->markup, tk->ml, &v);
	if (nf < 0) {
		if (!(tk->warned & 8))
			bb_lq_warn(st, d, tk->start, bb_xasprintf("Liquid output '%.*s' cannot be read: removed",
				(int)(tk->ml > 60 ? 60 : tk->ml), tk->markup));
		tk->warned |= 8;
		bb_lq_drop(&v);
		return;
	}
	if (x.undef && (v.t == V_NIL || bb_lq_is_empty(&v)))
		bb_lq_warn_undef(&x);
	if (nf == 0 && (lq_eq(e, el, "site.url") || lq_eq(e, el, "site.baseurl"))) {
		bb_lq_write_val(st, d, tk->start, &v);
		st->url_prefix = prefix != LQ_NOPOS ? prefix : at;
	} else {
		bb_lq_write_val(st, d, tk->start, &v);
	}
	bb_lq_drop(&v);
}
