/* liquid_value.c: Liquid values: strings, numbers, arrays and maps with their reference counts and bounds, the caller's trees read as values, and how values print, count and compare. */
#define _XOPEN_SOURCE 700
#include "liquid_impl.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void S_inspect(const lq_val *v, bb_buf *b, int depth);

/* ---- small helpers ---- */

/* Offset of the first "ab" at or after from, or LQ_NOPOS. */
size_t
bb_lq_find2(const char *s, size_t len, size_t from, char a, char b)
{
	while (from + 1 < len) {
		const char *p = memchr(s + from, a, len - from - 1);
		size_t i;
		if (!p)
			return LQ_NOPOS;
		i = (size_t)(p - s);
		if (s[i + 1] == b)
			return i;
		from = i + 1;
	}
	return LQ_NOPOS;
}

/* Finds s2 (n2 bytes) in s (n bytes); returns its offset or LQ_NOPOS. */
size_t
bb_lq_memmem(const char *s, size_t n, const char *s2, size_t n2)
{
	size_t i;
	if (n2 == 0)
		return 0;
	if (n2 > n)
		return LQ_NOPOS;
	for (i = 0; i + n2 <= n; i++) {
		const char *p = memchr(s + i, s2[0], n - n2 - i + 1);
		if (!p)
			return LQ_NOPOS;
		i = (size_t)(p - s);
		if (memcmp(p, s2, n2) == 0)
			return i;
	}
	return LQ_NOPOS;
}

/* ---- values: making and dropping ---- */

static lq_obj *
S_obj_new(void)
{
	lq_obj *o = bb_xcalloc(1, sizeof *o);
	o->rc = 1;
	return o;
}

static void
S_obj_unref(lq_obj *o, int t)
{
	size_t i;
	if (!o || --o->rc > 0)
		return;
	if (t == V_ARR)
		for (i = 0; i < o->n; i++)
			bb_lq_drop(&o->v[i]);
	else if (t == V_MAP)
		for (i = 0; i < 2 * o->n; i++)
			bb_lq_drop(&o->v[i]);
	free(o->v);
	free(o->s);
	free(o);
}

/* Releases v's reference and leaves it nil. */
void
bb_lq_drop(lq_val *v)
{
	if (v->o)
		S_obj_unref(v->o, v->t);
	*v = LQ_NIL;
}

/* Returns another reference to v. */
lq_val
bb_lq_ref(const lq_val *v)
{
	if (v->o)
		v->o->rc++;
	return *v;
}

lq_val
bb_lq_bool(int b)
{
	lq_val v = LQ_NIL;
	v.t = V_BOOL;
	v.i = b != 0;
	return v;
}

lq_val
bb_lq_int(long long i)
{
	lq_val v = LQ_NIL;
	v.t = V_NUM;
	v.i = i;
	return v;
}

lq_val
bb_lq_flt(double f)
{
	lq_val v = LQ_NIL;
	v.t = V_NUM;
	v.isf = 1;
	v.f = f;
	return v;
}

/* A string value holding a copy of s (n bytes). */
lq_val
bb_lq_strn(const char *s, size_t n)
{
	lq_val v = LQ_NIL;
	v.t = V_STR;
	v.o = S_obj_new();
	v.o->s = bb_xmalloc(n + 1);
	if (n)
		memcpy(v.o->s, s, n);
	v.o->s[n] = '\0';
	v.o->n = n;
	return v;
}

lq_val
bb_lq_str(const char *s)
{
	return bb_lq_strn(s, strlen(s));
}

/* A string value taking b's bytes (b is left empty). */
lq_val
bb_lq_str_buf(bb_buf *b)
{
	lq_val v = LQ_NIL;
	size_t n;
	v.t = V_STR;
	v.o = S_obj_new();
	bb_buf_put(b, "", 0);
	v.o->s = bb_buf_detach(b, &n);
	v.o->n = n;
	return v;
}

lq_val
bb_lq_arr_new(void)
{
	lq_val v = LQ_NIL;
	v.t = V_ARR;
	v.o = S_obj_new();
	return v;
}

lq_val
bb_lq_map_new(void)
{
	lq_val v = LQ_NIL;
	v.t = V_MAP;
	v.o = S_obj_new();
	return v;
}

size_t
bb_lq_weight(const lq_val *v)
{
	return (v->t == V_ARR || v->t == V_MAP) && v->o ? v->o->weight : 1;
}

/* Keeps x when it may go one level deeper into a list or map; else nil. */
static lq_val
S_nestable(lq_obj *parent, lq_val x)
{
	if ((x.t == V_ARR || x.t == V_MAP) && x.o) {
		if (x.o->depth + 1 >= LQ_DEPTH_MAX || parent->weight + x.o->weight > LQ_WEIGHT_MAX) {
			bb_lq_drop(&x);
			return LQ_NIL;
		}
		if (x.o->depth + 1 > parent->depth)
			parent->depth = x.o->depth + 1;
	}
	parent->weight += bb_lq_weight(&x);
	return x;
}

/* Appends x (taking its reference) to the array a. */
void
bb_lq_push(lq_val *a, lq_val x)
{
	lq_obj *o = a->o;
	x = S_nestable(o, x);
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 8;
		o->v = bb_xrealloc(o->v, o->cap * sizeof *o->v);
	}
	o->v[o->n++] = x;
}

/* Sets key to x in the map m (taking x's reference). */
void
bb_lq_map_set(lq_val *m, const char *key, lq_val x)
{
	lq_obj *o = m->o;
	size_t i;
	x = S_nestable(o, x);
	for (i = 0; i < o->n; i++)
		if (strcmp(o->v[2 * i].o->s, key) == 0) {
			bb_lq_drop(&o->v[2 * i + 1]);
			o->v[2 * i + 1] = x;
			return;
		}
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 8;
		o->v = bb_xrealloc(o->v, 2 * o->cap * sizeof *o->v);
	}
	o->v[2 * o->n] = bb_lq_str(key);
	o->v[2 * o->n + 1] = x;
	o->n++;
}

const bb_fm_node *
bb_lq_deref(const bb_fm_node *n)
{
	return (n && n->shared && n->nkids == 1) ? n->kids[0] : n;
}

/* Parses a whole decimal number: 1 int (*i), 2 float (*f), 0 not one. */
int
bb_lq_parse_num(const char *s, size_t n, long long *i, double *f)
{
	size_t k = 0, digits = 0;
	int isf = 0;
	char buf[64];
	if (n == 0 || n >= sizeof buf)
		return 0;
	if (s[k] == '-' || s[k] == '+')
		k++;
	while (k < n && lq_isdigit((unsigned char)s[k]))
		k++, digits++;
	if (k < n && s[k] == '.' && k + 1 < n && lq_isdigit((unsigned char)s[k + 1])) {
		isf = 1;
		k++;
		while (k < n && lq_isdigit((unsigned char)s[k]))
			k++;
	}
	if (digits && k < n && (s[k] == 'e' || s[k] == 'E')) {
		size_t e = k + 1;
		if (e < n && (s[e] == '-' || s[e] == '+'))
			e++;
		if (e < n && lq_isdigit((unsigned char)s[e])) {
			isf = 1;
			k = e;
			while (k < n && lq_isdigit((unsigned char)s[k]))
				k++;
		}
	}
	if (k != n || digits == 0)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!isf) {
		char *end;
		long long x = strtoll(buf, &end, 10);
		if ((x == LLONG_MAX || x == LLONG_MIN) && digits > 18) {
			*f = strtod(buf, NULL);
			return 2;
		}
		*i = x;
		return 1;
	}
	*f = strtod(buf, NULL);
	return 2;
}

/* The value of a tree node: a scalar read as YAML reads it (null, bool,
 * number, else text), a SEQ or MAP borrowed. */
lq_val
bb_lq_from_node(const bb_fm_node *n)
{
	lq_val v = LQ_NIL;
	const char *s;
	long long i;
	double f;
	int k;
	n = bb_lq_deref(n);
	if (!n)
		return v;
	if (n->kind != BB_FM_SCALAR) {
		v.t = V_NODE;
		v.node = n;
		return v;
	}
	s = n->value;
	if (!s)
		return v;
	if (n->quoted)
		return bb_lq_str(s);
	if (!*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0)
		return v;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE") || !strcmp(s, "yes") || !strcmp(s, "Yes") || !strcmp(s, "on"))
		return bb_lq_bool(1);
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE") || !strcmp(s, "no") || !strcmp(s, "No") || !strcmp(s, "off"))
		return bb_lq_bool(0);
	k = bb_lq_parse_num(s, strlen(s), &i, &f);
	if (k == 1)
		return bb_lq_int(i);
	if (k == 2)
		return bb_lq_flt(f);
	return bb_lq_str(s);
}

/* Appends a float the way Ruby prints one (shortest text that reads back,
 * always with a fraction). */
static void
S_put_float(bb_buf *b, double f)
{
	char buf[64];
	int prec;
	if (f != f) {
		bb_buf_puts(b, "NaN");
		return;
	}
	if (f > 1e308 || f < -1e308) {
		bb_buf_puts(b, f > 0 ? "Infinity" : "-Infinity");
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, f);
		if (strtod(buf, NULL) == f)
			break;
	}
	if (strchr(buf, 'e')) {
		/* Ruby: 1.0e+20 */
		char *e = strchr(buf, 'e');
		if (!memchr(buf, '.', (size_t)(e - buf))) {
			bb_buf_put(b, buf, (size_t)(e - buf));
			bb_buf_puts(b, ".0");
			bb_buf_puts(b, e);
			return;
		}
		bb_buf_puts(b, buf);
		return;
	}
	bb_buf_puts(b, buf);
	if (!strchr(buf, '.'))
		bb_buf_puts(b, ".0");
}

/* Appends v as Liquid prints it. */
void
bb_lq_tostr(const lq_val *v, bb_buf *b, int depth)
{
	size_t i, n;
	switch (v->t) {
	case V_BOOL:
		bb_buf_puts(b, v->i ? "true" : "false");
		break;
	case V_NUM:
		if (v->isf)
			S_put_float(b, v->f);
		else
			bb_buf_printf(b, "%lld", v->i);
		break;
	case V_STR:
		bb_buf_put(b, v->o->s, v->o->n);
		break;
	case V_RANGE:
		bb_buf_printf(b, "%lld..%lld", v->i, v->hi);
		break;
	case V_ARR:
	case V_NODE:
		if (v->t == V_NODE && v->node->kind == BB_FM_MAP) {
			S_inspect(v, b, depth);
			break;
		}
		if (depth > 8)
			break;
		n = bb_lq_len(v);
		for (i = 0; i < n && b->len < (64u << 20); i++) {
			lq_val x = bb_lq_at(v, i);
			bb_lq_tostr(&x, b, depth + 1);
			bb_lq_drop(&x);
		}
		break;
	case V_MAP:
		S_inspect(v, b, depth);
		break;
	default:
		break;
	}
}

/* A copy of v's text in buf (reset first); returns buf->data. */
const char *
bb_lq_text(const lq_val *v, bb_buf *buf)
{
	bb_buf_reset(buf);
	bb_lq_tostr(v, buf, 0);
	bb_buf_put(buf, "", 0);
	return buf->data;
}

/* Number of items of an array-like value (0 for others). */
size_t
bb_lq_len(const lq_val *v)
{
	switch (v->t) {
	case V_ARR:
		return v->o->n;
	case V_MAP:
		return v->o->n;
	case V_NODE:
		return v->node->kind == BB_FM_MAP ? v->node->nkids / 2 : v->node->nkids;
	case V_RANGE:
		return v->hi < v->i ? 0 : (size_t)(v->hi - v->i) + 1;
	default:
		return 0;
	}
}

/* Item i of an array-like value (a map's items are [key, value] pairs). */
lq_val
bb_lq_at(const lq_val *v, size_t i)
{
	lq_val p;
	switch (v->t) {
	case V_ARR:
		return i < v->o->n ? bb_lq_ref(&v->o->v[i]) : LQ_NIL;
	case V_RANGE:
		return bb_lq_int(v->i + (long long)i);
	case V_NODE:
		if (v->node->kind == BB_FM_SEQ)
			return i < v->node->nkids ? bb_lq_from_node(v->node->kids[i]) : LQ_NIL;
		if (2 * i + 1 >= v->node->nkids)
			return LQ_NIL;
		p = bb_lq_arr_new();
		bb_lq_push(&p, bb_lq_from_node(v->node->kids[2 * i]));
		bb_lq_push(&p, bb_lq_from_node(v->node->kids[2 * i + 1]));
		return p;
	case V_MAP:
		if (i >= v->o->n)
			return LQ_NIL;
		p = bb_lq_arr_new();
		bb_lq_push(&p, bb_lq_ref(&v->o->v[2 * i]));
		bb_lq_push(&p, bb_lq_ref(&v->o->v[2 * i + 1]));
		return p;
	default:
		return LQ_NIL;
	}
}

int
bb_lq_is_list(const lq_val *v)
{
	return v->t == V_ARR || v->t == V_RANGE || (v->t == V_NODE && v->node->kind == BB_FM_SEQ);
}

static int
S_is_map(const lq_val *v)
{
	return v->t == V_MAP || (v->t == V_NODE && v->node->kind == BB_FM_MAP) || v->t == V_SITE || v->t == V_PAGE;
}

int
bb_lq_truthy(const lq_val *v)
{
	return !(v->t == V_NIL || (v->t == V_BOOL && !v->i));
}

/* Number of characters (UTF-8 code points) in s. */
size_t
bb_lq_chars(const char *s, size_t n)
{
	size_t i, c = 0;
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* Byte offset of character ci in s (n when past the end). */
size_t
bb_lq_char_off(const char *s, size_t n, size_t ci)
{
	size_t i = 0, c = 0;
	while (i < n) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (c == ci)
				return i;
			c++;
		}
		i++;
	}
	return n;
}

/* Appends v as Ruby's inspect shows it (also jsonify's base). json: JSON. */
void
bb_lq_json(const lq_val *v, bb_buf *b, int depth, int json)
{
	size_t i, n;
	if (depth > 16) {
		bb_buf_puts(b, "null");
		return;
	}
	switch (v->t) {
	case V_NIL:
	case V_SITE:
	case V_PAGE:
	case V_EMPTY:
	case V_BLANK:
		bb_buf_puts(b, json ? "null" : "nil");
		break;
	case V_BOOL:
	case V_NUM:
		bb_lq_tostr(v, b, 0);
		break;
	case V_STR:
		bb_buf_putc(b, '"');
		for (i = 0; i < v->o->n; i++) {
			unsigned char c = (unsigned char)v->o->s[i];
			if (c == '"' || c == '\\')
				bb_buf_putc(b, '\\'), bb_buf_putc(b, c);
			else if (c == '\n')
				bb_buf_puts(b, "\\n");
			else if (c == '\t')
				bb_buf_puts(b, "\\t");
			else if (c == '\r')
				bb_buf_puts(b, "\\r");
			else if (c < 0x20)
				bb_buf_printf(b, json ? "\\u%04x" : "\\x%02X", c);
			else if (!json && c == '#' && i + 1 < v->o->n && (v->o->s[i + 1] == '{' || v->o->s[i + 1] == '$' || v->o->s[i + 1] == '@'))
				bb_buf_puts(b, "\\#");
			else
				bb_buf_putc(b, c);
		}
		bb_buf_putc(b, '"');
		break;
	case V_ARR:
	case V_RANGE:
		if (v->t == V_RANGE && !json) {
			bb_lq_tostr(v, b, 0);
			break;
		}
		/* fall through */
	case V_NODE:
	case V_MAP:
		if (bb_lq_is_list(v)) {
			n = bb_lq_len(v);
			bb_buf_putc(b, '[');
			for (i = 0; i < n && b->len < (16u << 20); i++) {
				lq_val x = bb_lq_at(v, i);
				if (i)
					bb_buf_puts(b, json ? "," : ", ");
				bb_lq_json(&x, b, depth + 1, json);
				bb_lq_drop(&x);
			}
			bb_buf_putc(b, ']');
		} else {
			n = bb_lq_len(v);
			bb_buf_putc(b, '{');
			for (i = 0; i < n && b->len < (16u << 20); i++) {
				lq_val p = bb_lq_at(v, i), k = bb_lq_at(&p, 0), x = bb_lq_at(&p, 1);
				if (i)
					bb_buf_puts(b, json ? "," : ", ");
				if (k.t != V_STR) {
					bb_buf tmp = BB_BUF_INIT;
					bb_lq_tostr(&k, &tmp, 0);
					bb_lq_drop(&k);
					k = bb_lq_str_buf(&tmp);
				}
				bb_lq_json(&k, b, depth + 1, json);
				bb_buf_puts(b, json ? ":" : "=>");
				bb_lq_json(&x, b, depth + 1, json);
				bb_lq_drop(&p);
				bb_lq_drop(&k);
				bb_lq_drop(&x);
			}
			bb_buf_putc(b, '}');
		}
		break;
	default:
		break;
	}
}

static void
S_inspect(const lq_val *v, bb_buf *b, int depth)
{
	bb_lq_json(v, b, depth, 0);
}

/* ---- comparisons ---- */

int
bb_lq_is_empty(const lq_val *v)
{
	switch (v->t) {
	case V_STR:
		return v->o->n == 0;
	case V_ARR:
	case V_MAP:
	case V_NODE:
	case V_RANGE:
		return bb_lq_len(v) == 0;
	default:
		return 0;
	}
}

double
bb_lq_fnum(const lq_val *v)
{
	return v->isf ? v->f : (double)v->i;
}

/* Liquid's ==. */
int
bb_lq_equal(const lq_val *a, const lq_val *b)
{
	if (a->t == V_EMPTY || a->t == V_BLANK) {
		const lq_val *t = a;
		a = b;
		b = t;
	}
	if (b->t == V_EMPTY)
		return bb_lq_is_empty(a);
	if (b->t == V_BLANK)
		return 0;  /* Liquid without ActiveSupport: nothing is blank */
	if (a->t == V_NUM && b->t == V_NUM)
		return bb_lq_fnum(a) == bb_lq_fnum(b);
	if (a->t != b->t) {
		if (bb_lq_is_list(a) && bb_lq_is_list(b))
			;
		else
			return 0;
	}
	switch (a->t) {
	case V_NIL:
		return 1;
	case V_BOOL:
		return a->i == b->i;
	case V_STR:
		return a->o->n == b->o->n && memcmp(a->o->s, b->o->s, a->o->n) == 0;
	case V_NODE:
	case V_ARR:
	case V_RANGE:
	case V_MAP: {
		size_t i, n = bb_lq_len(a);
		int eq = 1;
		if (a->t == V_NODE && b->t == V_NODE && a->node == b->node)
			return 1;
		if (a->o && a->o == b->o)
			return 1;
		if (n != bb_lq_len(b) || S_is_map(a) != S_is_map(b))
			return 0;
		for (i = 0; i < n && eq && i < 10000; i++) {
			lq_val x = bb_lq_at(a, i), y = bb_lq_at(b, i);
			eq = bb_lq_equal(&x, &y);
			bb_lq_drop(&x);
			bb_lq_drop(&y);
		}
		return eq;
	}
	default:
		return a->t == b->t;
	}
}

/* -1, 0, 1, or 2 when a and b do not compare (Liquid's error: false). */
int
bb_lq_order(const lq_val *a, const lq_val *b)
{
	if (a->t == V_NUM && b->t == V_NUM) {
		double x = bb_lq_fnum(a), y = bb_lq_fnum(b);
		return x < y ? -1 : x > y ? 1 : 0;
	}
	if (a->t == V_STR && b->t == V_STR) {
		size_t n = a->o->n < b->o->n ? a->o->n : b->o->n;
		int r = memcmp(a->o->s, b->o->s, n);
		if (r == 0)
			return a->o->n < b->o->n ? -1 : a->o->n > b->o->n ? 1 : 0;
		return r < 0 ? -1 : 1;
	}
	return 2;
}

int
bb_lq_contains(lq_state *st, const lq_val *a, const lq_val *b)
{
	bb_buf x = BB_BUF_INIT, y = BB_BUF_INIT;
	int r = 0;
	size_t i, n;
	(void)st;
	if (a->t == V_STR) {
		bb_lq_text(b, &y);
		r = b->t != V_NIL && bb_lq_memmem(a->o->s, a->o->n, y.data, y.len) != LQ_NOPOS;
	} else if (bb_lq_is_list(a)) {
		n = bb_lq_len(a);
		for (i = 0; i < n && !r && i < LQ_ARRAY_MAX; i++) {
			lq_val v = bb_lq_at(a, i);
			r = bb_lq_equal(&v, b);
			bb_lq_drop(&v);
		}
	} else if (S_is_map(a) && a->t != V_SITE && a->t != V_PAGE) {
		int f;
		lq_val v = bb_lq_prop(st, a, b, &f);
		r = f;
		bb_lq_drop(&v);
	}
	bb_buf_free(&x);
	bb_buf_free(&y);
	return r;
}
