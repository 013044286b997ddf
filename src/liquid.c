/* liquid.c: Liquid as Jekyll runs it (tags, filters, includes, site data), bounded, and the common plugin tags turned into Markdown. */
#define _XOPEN_SOURCE 700
#include "liquid.h"
#include "util.h"

#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define S_NOPOS ((size_t)-1)
/* Longest indentation copied before a closing fence. */
#define S_INDENT_MAX 64
/* Filters applied per output; more are ignored with a warning. */
#define S_FILTERS_MAX 32
#define S_ARGS_MAX 8
/* Loop iterations per render, in all loops together. */
#define S_ITER_MAX 100000
#define S_INCLUDE_DEPTH 10
#define S_INCLUDE_MAX 1000
#define S_NEST_MAX 100
/* Items an array built by a filter or a range may hold. */
#define S_ARRAY_MAX 100000
/* Item visits and comparisons filters may make per render (sort, uniq,
 * group_by...): past it the Liquid output stops, with a warning. */
#define S_WORK_MAX 3000000UL
/* Warnings per render; one more says the rest were dropped. */
#define S_WARN_MAX 1000
#define S_PATH_MAX 16
#define S_VARS_MAX 1000

/* ---- values ---- */

enum { V_NIL, V_BOOL, V_NUM, V_STR, V_ARR, V_MAP, V_NODE, V_RANGE, V_SITE, V_PAGE, V_EMPTY, V_BLANK };

struct S_obj;

/* A Liquid value. Strings, arrays and maps live in reference-counted
 * objects; trees of the caller (site, page, data) are borrowed as nodes. */
typedef struct S_val {
	int t;
	int isf;                /* V_NUM: a float */
	long long i, hi;        /* V_NUM int, V_BOOL, V_RANGE lo..hi */
	double f;
	struct S_obj *o;        /* V_STR, V_ARR, V_MAP */
	const bb_fm_node *node; /* V_NODE: a SEQ or MAP */
} S_val;

typedef struct S_obj {
	size_t rc;
	unsigned depth;         /* ARR, MAP: levels of arrays and maps inside */
	size_t weight;          /* ARR, MAP: values reached when walking it (a
				 * list pushed into itself is shared, not copied) */
	size_t n, cap;          /* STR: bytes; ARR: items; MAP: pairs */
	char *s;
	S_val *v;               /* ARR: n items; MAP: 2n (key, value) */
} S_obj;

static const S_val S_NIL = { V_NIL, 0, 0, 0, 0.0, NULL, NULL };

/* ---- tokens and documents ---- */

enum { T_TEXT, T_VAR, T_TAG };

enum {
	OP_UNKNOWN, OP_NOOP, OP_IGNORED, OP_END,
	OP_IF, OP_UNLESS, OP_CASE, OP_FOR, OP_CAPTURE, OP_HIGHLIGHT, OP_BLOCK,
	OP_ELSIF, OP_ELSE, OP_WHEN,
	OP_ASSIGN, OP_INCREMENT, OP_DECREMENT, OP_BREAK, OP_CONTINUE, OP_CYCLE, OP_ECHO,
	OP_INCLUDE, OP_INCLUDE_REL, OP_POST_URL, OP_LINK,
	OP_FN, OP_FOOTNOTES, OP_GIST, OP_YOUTUBE, OP_VIMEO, OP_TWEET, OP_VIDEO, OP_IMG,
	OP_FIGURE, OP_MATH, OP_M, OP_BLOCKQUOTE, OP_PULLQUOTE, OP_CODEBLOCK, OP_POST_LINK, OP_ASSET_LINK,
	OP_IFRAME, OP_JSFIDDLE, OP_POST_PATH, OP_ASSET_PATH
};

typedef struct S_tok {
	int kind;
	size_t start, end;      /* VAR/TAG: offset of '{' and just past '}' */
	const char *s;          /* TEXT: the text (after trimming) */
	size_t n;
	int trim_right;
	const char *name;       /* TAG: its name */
	size_t nl;
	const char *markup;     /* TAG: what follows the name; VAR: the expression */
	size_t ml;
	int op;
	int block;              /* opens a block */
	size_t end_i;           /* block: index of the token closing it */
	int own_end;            /* end_i is its own end tag (else shared or virtual) */
	size_t next_i;          /* block or clause: the next clause, or S_NOPOS */
	int warned;
	unsigned long cycle;
} S_tok;

typedef struct S_doc {
	const char *text;
	size_t len;
	S_tok *t;
	size_t n, cap;
	char *name;             /* an include's file name; NULL for the post */
	int rel;                /* read by include_relative */
	char *own;              /* the include's text, owned */
	size_t lc_off, lc_bol;
	unsigned lc_line;
	size_t tag_from, tag_end, var_from, var_end;
	int warned_unterminated;
} S_doc;

typedef struct S_var {
	char *name;
	S_val v;
} S_var;

typedef struct S_state {
	const bb_liquid_ctx *ctx;
	const bb_liquid_env *env;
	S_doc *top;
	bb_buf main;
	bb_buf *out;
	size_t url_prefix;      /* in *out: where a {{ site.url }} run began */
	size_t added, budget;   /* bytes written beyond the input, and the bound */
	int halt;               /* the output bound was hit: nothing more is written */
	int jump;               /* 1 break, 2 continue */
	unsigned long iters;
	int iters_warned;
	unsigned long work;     /* filter steps so far (S_WORK_MAX) */
	int work_warned;
	int in_loop;            /* loop bodies being run */
	int depth;              /* blocks being run */
	int inc_depth;
	unsigned long inc_count;
	size_t inc_at;          /* offset in the post of the outermost running include */
	S_doc *incs[64];        /* includes read, by name */
	size_t ninc;
	S_var *globals;
	size_t nglobals;
	S_var *locals;
	size_t nlocals, caplocals;
	S_var *counters;
	size_t ncounters;
	unsigned nwarn;
	unsigned fn_count;
	bb_buf fndefs;
	int fn_placed;
	char scratch[64];
} S_state;

struct bb_liquid_tags {
	char *names[512];
	int block[512];
	size_t n;
};

/* ---- small helpers ---- */

static int
S_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int
S_isword(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_';
}

static int
S_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static int
S_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
S_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
S_upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static void
S_trim(const char **s, size_t *n)
{
	while (*n > 0 && S_isspace((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n > 0 && S_isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static int
S_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* Offset of the first "ab" at or after from, or S_NOPOS. */
static size_t
S_find2(const char *s, size_t len, size_t from, char a, char b)
{
	while (from + 1 < len) {
		const char *p = memchr(s + from, a, len - from - 1);
		size_t i;
		if (!p)
			return S_NOPOS;
		i = (size_t)(p - s);
		if (s[i + 1] == b)
			return i;
		from = i + 1;
	}
	return S_NOPOS;
}

/* Finds s2 (n2 bytes) in s (n bytes); returns its offset or S_NOPOS. */
static size_t
S_memmem(const char *s, size_t n, const char *s2, size_t n2)
{
	size_t i;
	if (n2 == 0)
		return 0;
	if (n2 > n)
		return S_NOPOS;
	for (i = 0; i + n2 <= n; i++) {
		const char *p = memchr(s + i, s2[0], n - n2 - i + 1);
		if (!p)
			return S_NOPOS;
		i = (size_t)(p - s);
		if (memcmp(p, s2, n2) == 0)
			return i;
	}
	return S_NOPOS;
}

/* ---- values: making and dropping ---- */

static S_obj *
S_obj_new(void)
{
	S_obj *o = bb_xcalloc(1, sizeof *o);
	o->rc = 1;
	return o;
}

static void S_drop(S_val *v);

static void
S_obj_unref(S_obj *o, int t)
{
	size_t i;
	if (!o || --o->rc > 0)
		return;
	if (t == V_ARR)
		for (i = 0; i < o->n; i++)
			S_drop(&o->v[i]);
	else if (t == V_MAP)
		for (i = 0; i < 2 * o->n; i++)
			S_drop(&o->v[i]);
	free(o->v);
	free(o->s);
	free(o);
}

/* Releases v's reference and leaves it nil. */
static void
S_drop(S_val *v)
{
	if (v->o)
		S_obj_unref(v->o, v->t);
	*v = S_NIL;
}

/* Returns another reference to v. */
static S_val
S_ref(const S_val *v)
{
	if (v->o)
		v->o->rc++;
	return *v;
}

static S_val
S_bool(int b)
{
	S_val v = S_NIL;
	v.t = V_BOOL;
	v.i = b != 0;
	return v;
}

static S_val
S_int(long long i)
{
	S_val v = S_NIL;
	v.t = V_NUM;
	v.i = i;
	return v;
}

static S_val
S_flt(double f)
{
	S_val v = S_NIL;
	v.t = V_NUM;
	v.isf = 1;
	v.f = f;
	return v;
}

/* A string value holding a copy of s (n bytes). */
static S_val
S_strn(const char *s, size_t n)
{
	S_val v = S_NIL;
	v.t = V_STR;
	v.o = S_obj_new();
	v.o->s = bb_xmalloc(n + 1);
	if (n)
		memcpy(v.o->s, s, n);
	v.o->s[n] = '\0';
	v.o->n = n;
	return v;
}

static S_val
S_str(const char *s)
{
	return S_strn(s, strlen(s));
}

/* A string value taking b's bytes (b is left empty). */
static S_val
S_str_buf(bb_buf *b)
{
	S_val v = S_NIL;
	size_t n;
	v.t = V_STR;
	v.o = S_obj_new();
	bb_buf_put(b, "", 0);
	v.o->s = bb_buf_detach(b, &n);
	v.o->n = n;
	return v;
}

static S_val
S_arr_new(void)
{
	S_val v = S_NIL;
	v.t = V_ARR;
	v.o = S_obj_new();
	return v;
}

static S_val
S_map_new(void)
{
	S_val v = S_NIL;
	v.t = V_MAP;
	v.o = S_obj_new();
	return v;
}

/* Lists and maps nest at most this deep (push can nest them, and dropping
 * and comparing them recurse). */
#define S_DEPTH_MAX 32
#define S_WEIGHT_MAX 1000000

static size_t
S_weight(const S_val *v)
{
	return (v->t == V_ARR || v->t == V_MAP) && v->o ? v->o->weight : 1;
}

/* Keeps x when it may go one level deeper into a list or map; else nil. */
static S_val
S_nestable(S_obj *parent, S_val x)
{
	if ((x.t == V_ARR || x.t == V_MAP) && x.o) {
		if (x.o->depth + 1 >= S_DEPTH_MAX || parent->weight + x.o->weight > S_WEIGHT_MAX) {
			S_drop(&x);
			return S_NIL;
		}
		if (x.o->depth + 1 > parent->depth)
			parent->depth = x.o->depth + 1;
	}
	parent->weight += S_weight(&x);
	return x;
}

/* Appends x (taking its reference) to the array a. */
static void
S_push(S_val *a, S_val x)
{
	S_obj *o = a->o;
	x = S_nestable(o, x);
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 8;
		o->v = bb_xrealloc(o->v, o->cap * sizeof *o->v);
	}
	o->v[o->n++] = x;
}

/* Sets key to x in the map m (taking x's reference). */
static void
S_map_set(S_val *m, const char *key, S_val x)
{
	S_obj *o = m->o;
	size_t i;
	x = S_nestable(o, x);
	for (i = 0; i < o->n; i++)
		if (strcmp(o->v[2 * i].o->s, key) == 0) {
			S_drop(&o->v[2 * i + 1]);
			o->v[2 * i + 1] = x;
			return;
		}
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 8;
		o->v = bb_xrealloc(o->v, 2 * o->cap * sizeof *o->v);
	}
	o->v[2 * o->n] = S_str(key);
	o->v[2 * o->n + 1] = x;
	o->n++;
}

static const bb_fm_node *
S_deref(const bb_fm_node *n)
{
	return (n && n->shared && n->nkids == 1) ? n->kids[0] : n;
}

/* Parses a whole decimal number: 1 int (*i), 2 float (*f), 0 not one. */
static int
S_parse_num(const char *s, size_t n, long long *i, double *f)
{
	size_t k = 0, digits = 0;
	int isf = 0;
	char buf[64];
	if (n == 0 || n >= sizeof buf)
		return 0;
	if (s[k] == '-' || s[k] == '+')
		k++;
	while (k < n && S_isdigit((unsigned char)s[k]))
		k++, digits++;
	if (k < n && s[k] == '.' && k + 1 < n && S_isdigit((unsigned char)s[k + 1])) {
		isf = 1;
		k++;
		while (k < n && S_isdigit((unsigned char)s[k]))
			k++;
	}
	if (digits && k < n && (s[k] == 'e' || s[k] == 'E')) {
		size_t e = k + 1;
		if (e < n && (s[e] == '-' || s[e] == '+'))
			e++;
		if (e < n && S_isdigit((unsigned char)s[e])) {
			isf = 1;
			k = e;
			while (k < n && S_isdigit((unsigned char)s[k]))
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
static S_val
S_from_node(const bb_fm_node *n)
{
	S_val v = S_NIL;
	const char *s;
	long long i;
	double f;
	int k;
	n = S_deref(n);
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
		return S_str(s);
	if (!*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0)
		return v;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE") || !strcmp(s, "yes") || !strcmp(s, "Yes") || !strcmp(s, "on"))
		return S_bool(1);
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE") || !strcmp(s, "no") || !strcmp(s, "No") || !strcmp(s, "off"))
		return S_bool(0);
	k = S_parse_num(s, strlen(s), &i, &f);
	if (k == 1)
		return S_int(i);
	if (k == 2)
		return S_flt(f);
	return S_str(s);
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

static size_t S_len(const S_val *v);
static S_val S_at(const S_val *v, size_t i);
static void S_inspect(const S_val *v, bb_buf *b, int depth);

/* Appends v as Liquid prints it. */
static void
S_tostr(const S_val *v, bb_buf *b, int depth)
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
		n = S_len(v);
		for (i = 0; i < n && b->len < (64u << 20); i++) {
			S_val x = S_at(v, i);
			S_tostr(&x, b, depth + 1);
			S_drop(&x);
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
static const char *
S_text(const S_val *v, bb_buf *buf)
{
	bb_buf_reset(buf);
	S_tostr(v, buf, 0);
	bb_buf_put(buf, "", 0);
	return buf->data;
}

/* Number of items of an array-like value (0 for others). */
static size_t
S_len(const S_val *v)
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
static S_val
S_at(const S_val *v, size_t i)
{
	S_val p;
	switch (v->t) {
	case V_ARR:
		return i < v->o->n ? S_ref(&v->o->v[i]) : S_NIL;
	case V_RANGE:
		return S_int(v->i + (long long)i);
	case V_NODE:
		if (v->node->kind == BB_FM_SEQ)
			return i < v->node->nkids ? S_from_node(v->node->kids[i]) : S_NIL;
		if (2 * i + 1 >= v->node->nkids)
			return S_NIL;
		p = S_arr_new();
		S_push(&p, S_from_node(v->node->kids[2 * i]));
		S_push(&p, S_from_node(v->node->kids[2 * i + 1]));
		return p;
	case V_MAP:
		if (i >= v->o->n)
			return S_NIL;
		p = S_arr_new();
		S_push(&p, S_ref(&v->o->v[2 * i]));
		S_push(&p, S_ref(&v->o->v[2 * i + 1]));
		return p;
	default:
		return S_NIL;
	}
}

static int
S_is_list(const S_val *v)
{
	return v->t == V_ARR || v->t == V_RANGE || (v->t == V_NODE && v->node->kind == BB_FM_SEQ);
}

static int
S_is_map(const S_val *v)
{
	return v->t == V_MAP || (v->t == V_NODE && v->node->kind == BB_FM_MAP) || v->t == V_SITE || v->t == V_PAGE;
}

static int
S_truthy(const S_val *v)
{
	return !(v->t == V_NIL || (v->t == V_BOOL && !v->i));
}

/* Number of characters (UTF-8 code points) in s. */
static size_t
S_chars(const char *s, size_t n)
{
	size_t i, c = 0;
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* Byte offset of character ci in s (n when past the end). */
static size_t
S_char_off(const char *s, size_t n, size_t ci)
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
static void
S_json(const S_val *v, bb_buf *b, int depth, int json)
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
		S_tostr(v, b, 0);
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
			S_tostr(v, b, 0);
			break;
		}
		/* fall through */
	case V_NODE:
	case V_MAP:
		if (S_is_list(v)) {
			n = S_len(v);
			bb_buf_putc(b, '[');
			for (i = 0; i < n && b->len < (16u << 20); i++) {
				S_val x = S_at(v, i);
				if (i)
					bb_buf_puts(b, json ? "," : ", ");
				S_json(&x, b, depth + 1, json);
				S_drop(&x);
			}
			bb_buf_putc(b, ']');
		} else {
			n = S_len(v);
			bb_buf_putc(b, '{');
			for (i = 0; i < n && b->len < (16u << 20); i++) {
				S_val p = S_at(v, i), k = S_at(&p, 0), x = S_at(&p, 1);
				if (i)
					bb_buf_puts(b, json ? "," : ", ");
				if (k.t != V_STR) {
					bb_buf tmp = BB_BUF_INIT;
					S_tostr(&k, &tmp, 0);
					S_drop(&k);
					k = S_str_buf(&tmp);
				}
				S_json(&k, b, depth + 1, json);
				bb_buf_puts(b, json ? ":" : "=>");
				S_json(&x, b, depth + 1, json);
				S_drop(&p);
				S_drop(&k);
				S_drop(&x);
			}
			bb_buf_putc(b, '}');
		}
		break;
	default:
		break;
	}
}

static void
S_inspect(const S_val *v, bb_buf *b, int depth)
{
	S_json(v, b, depth, 0);
}

/* ---- positions and warnings ---- */

static void
S_where(S_doc *d, size_t off, unsigned *line, unsigned *col)
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
static void
S_warn(S_state *st, S_doc *d, size_t off, char *msg)
{
	unsigned line, col;
	if (st->ctx && st->ctx->warn && st->nwarn <= S_WARN_MAX) {
		if (st->nwarn++ == S_WARN_MAX) {
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
static void
S_emit(S_state *st, S_doc *d, size_t at, const char *s, size_t n, int literal)
{
	if (st->halt || n == 0)
		return;
	/* the post's own text outside loops and captures is the input itself */
	if (!literal) {
		if (n > st->budget - st->added) {
			S_warn(st, d, at, bb_xstrdup("Liquid output limit reached: the rest of the Liquid output is dropped"));
			st->halt = 1;
			st->added = st->budget;
			return;
		}
		st->added += n;
	}
	bb_buf_put(st->out, s, n);
}

static void
S_truncate(bb_buf *b, size_t n)
{
	if (n < b->len) {
		b->len = n;
		b->data[n] = '\0';
	}
}

/* ---- tags: names and kinds ---- */

typedef struct S_tagdef {
	const char *name;
	int op;
	int block;      /* 1 always a block, 2 a block when its end tag is found */
} S_tagdef;

static const S_tagdef S_tagdefs[] = {
	{ "if", OP_IF, 1 }, { "unless", OP_UNLESS, 1 }, { "case", OP_CASE, 1 },
	{ "for", OP_FOR, 1 }, { "capture", OP_CAPTURE, 1 }, { "highlight", OP_HIGHLIGHT, 1 },
	{ "elsif", OP_ELSIF, 0 }, { "else", OP_ELSE, 0 }, { "when", OP_WHEN, 0 },
	{ "assign", OP_ASSIGN, 0 }, { "increment", OP_INCREMENT, 0 }, { "decrement", OP_DECREMENT, 0 },
	{ "break", OP_BREAK, 0 }, { "continue", OP_CONTINUE, 0 }, { "cycle", OP_CYCLE, 0 },
	{ "echo", OP_ECHO, 0 }, { "include", OP_INCLUDE, 0 }, { "include_relative", OP_INCLUDE_REL, 0 },
	{ "post_url", OP_POST_URL, 0 },
	{ "link", OP_LINK, 0 }, { "#", OP_NOOP, 0 },
	{ "fn", OP_FN, 2 }, { "footnote", OP_FN, 2 }, { "footnotes", OP_FOOTNOTES, 0 },
	{ "gist", OP_GIST, 0 }, { "youtube", OP_YOUTUBE, 0 }, { "vimeo", OP_VIMEO, 0 },
	{ "tweet", OP_TWEET, 0 }, { "twitter", OP_TWEET, 0 }, { "video", OP_VIDEO, 0 },
	{ "img", OP_IMG, 0 }, { "image", OP_IMG, 0 }, { "lightbox", OP_IMG, 0 },
	{ "figure", OP_FIGURE, 2 }, { "math", OP_MATH, 1 }, { "m", OP_M, 1 },
	{ "blockquote", OP_BLOCKQUOTE, 1 }, { "pullquote", OP_PULLQUOTE, 1 },
	{ "codeblock", OP_CODEBLOCK, 1 },
	/* Hexo's: an image or a file of the post's asset folder, a link to a post */
	{ "asset_img", OP_IMG, 0 }, { "asset_image", OP_IMG, 0 }, { "asset_link", OP_ASSET_LINK, 0 },
	{ "post_link", OP_POST_LINK, 0 },
	{ "iframe", OP_IFRAME, 0 }, { "jsfiddle", OP_JSFIDDLE, 0 }, { "post_path", OP_POST_PATH, 0 },
	{ "asset_path", OP_ASSET_PATH, 0 },
	{ NULL, 0, 0 }
};

static const S_tagdef *
S_tagdef_of(const char *name, size_t nl)
{
	const S_tagdef *t;
	for (t = S_tagdefs; t->name; t++)
		if (S_eq(name, nl, t->name))
			return t;
	return NULL;
}

/* The name that closes a block: "end" + name ("em" also closes m). */
static int
S_closes(const S_tok *open, const char *name, size_t nl)
{
	if (nl == open->nl + 3 && memcmp(name, "end", 3) == 0 && memcmp(name + 3, open->name, open->nl) == 0)
		return 1;
	return open->op == OP_M && S_eq(name, nl, "em");
}

int
bb_liquid_tags_kind(const bb_liquid_tags *t, const char *name)
{
	size_t i;
	if (!t)
		return -1;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->names[i], name) == 0)
			return t->block[i];
	return -1;
}

static int
S_tags_kindn(const bb_liquid_tags *t, const char *name, size_t nl)
{
	size_t i;
	if (!t)
		return -1;
	for (i = 0; i < t->n; i++)
		if (S_eq(name, nl, t->names[i]))
			return t->block[i];
	return -1;
}

/* ---- tokenizing ---- */

static size_t
S_close(S_doc *d, size_t from, int is_var)
{
	size_t *cf = is_var ? &d->var_from : &d->tag_from;
	size_t *ce = is_var ? &d->var_end : &d->tag_end;
	if (*cf != S_NOPOS && from >= *cf && (*ce == S_NOPOS || from <= *ce))
		return *ce;
	*cf = from;
	*ce = S_find2(d->text, d->len, from, is_var ? '}' : '%', '}');
	return *ce;
}

/* Reads the token whose "{%" or "{{" is at i into t. Returns 0, or -1 when
 * it has no closing delimiter. trim_left is returned in *tl. */
static int
S_scan(S_doc *d, size_t i, S_tok *t, int *tl)
{
	const char *in;
	size_t n, e;
	memset(t, 0, sizeof *t);
	t->kind = d->text[i + 1] == '{' ? T_VAR : T_TAG;
	e = S_close(d, i + 2, t->kind == T_VAR);
	if (e == S_NOPOS)
		return -1;
	t->start = i;
	t->end = e + 2;
	in = d->text + i + 2;
	n = e - (i + 2);
	*tl = 0;
	if (n > 0 && in[0] == '-')
		*tl = 1, in++, n--;
	if (n > 0 && in[n - 1] == '-')
		t->trim_right = 1, n--;
	S_trim(&in, &n);
	if (t->kind == T_TAG) {
		size_t k = 0;
		if (n > 0 && in[0] == '#')
			k = 1;
		else
			while (k < n && (S_isword((unsigned char)in[k]) || in[k] == '-'))
				k++;
		t->name = in;
		t->nl = k;
		in += k;
		n -= k;
		S_trim(&in, &n);
	}
	t->markup = in;
	t->ml = n;
	t->next_i = S_NOPOS;
	t->end_i = S_NOPOS;
	return 0;
}

static S_tok *
S_add_tok(S_doc *d)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->t = bb_xrealloc(d->t, d->cap * sizeof *d->t);
	}
	memset(&d->t[d->n], 0, sizeof d->t[0]);
	d->t[d->n].next_i = d->t[d->n].end_i = S_NOPOS;
	return &d->t[d->n++];
}

static void
S_add_text(S_doc *d, size_t from, size_t to, int *pending_trim)
{
	S_tok *t;
	const char *s = d->text + from;
	size_t n = to > from ? to - from : 0;
	if (*pending_trim) {
		while (n > 0 && S_isspace((unsigned char)*s))
			s++, n--;
		*pending_trim = 0;
	}
	if (n == 0)
		return;
	/* a run next to the last one joins it (unterminated delimiters) */
	if (d->n > 0 && d->t[d->n - 1].kind == T_TEXT && d->t[d->n - 1].s + d->t[d->n - 1].n == s) {
		d->t[d->n - 1].n += n;
		d->t[d->n - 1].end = to;
		return;
	}
	t = S_add_tok(d);
	t->kind = T_TEXT;
	t->start = from;
	t->end = to;
	t->s = s;
	t->n = n;
}

/* {%- : the text token just before loses its trailing whitespace. */
static void
S_trim_prev(S_doc *d)
{
	S_tok *t;
	if (d->n == 0 || d->t[d->n - 1].kind != T_TEXT)
		return;
	t = &d->t[d->n - 1];
	while (t->n > 0 && S_isspace((unsigned char)t->s[t->n - 1]))
		t->n--;
	if (t->n == 0)
		d->n--;
}

/* Finds the next tag named name at or after from. Returns 0 with *t
 * filled, or -1 when there is none. */
static int
S_next_named(S_doc *d, size_t from, const char *name, S_tok *t, int *tl)
{
	for (;;) {
		size_t k = S_find2(d->text, d->len, from, '{', '%');
		if (k == S_NOPOS || S_scan(d, k, t, tl) < 0)
			return -1;
		if (S_eq(t->name, t->nl, name))
			return 0;
		from = k + 2;
	}
}

/* Splits d's text into tokens: raw bodies become text, comments vanish,
 * whitespace control is applied to the text around. */
static void
S_tokenize(S_state *st, S_doc *d)
{
	size_t pos = 0, len = d->len;
	int pending = 0;
	const char *text = d->text;
	while (pos < len) {
		const char *p = memchr(text + pos, '{', len - pos);
		size_t i;
		S_tok t, c;
		int tl, ctl;
		if (!p) {
			S_add_text(d, pos, len, &pending);
			break;
		}
		i = (size_t)(p - text);
		if (i + 1 >= len || (text[i + 1] != '%' && text[i + 1] != '{')) {
			/* text runs are joined: one token up to the next tag */
			size_t k = i + 1;
			for (;;) {
				const char *q = k < len ? memchr(text + k, '{', len - k) : NULL;
				if (!q) {
					k = len;
					break;
				}
				k = (size_t)(q - text);
				if (k + 1 < len && (text[k + 1] == '%' || text[k + 1] == '{'))
					break;
				k++;
			}
			S_add_text(d, pos, k, &pending);
			pos = k;
			continue;
		}
		S_add_text(d, pos, i, &pending);
		if (S_scan(d, i, &t, &tl) < 0) {
			if (!d->warned_unterminated)
				S_warn(st, d, i, bb_xasprintf("unterminated Liquid '%.2s' kept as text", text + i));
			d->warned_unterminated = 1;
			S_add_text(d, i, i + 2, &pending);
			pos = i + 2;
			continue;
		}
		if (tl)
			S_trim_prev(d);
		pos = t.end;
		if (t.kind == T_TAG && S_eq(t.name, t.nl, "raw")) {
			size_t b = t.end, e;
			if (S_next_named(d, t.end, "endraw", &c, &ctl) < 0) {
				S_warn(st, d, t.start, bb_xstrdup("{% raw %} without {% endraw %}: the rest of the text is kept as it is"));
				pending = 0;
				S_add_text(d, t.end, len, &pending);
				pos = len;
				break;
			}
			e = c.start;
			if (t.trim_right)
				while (b < e && S_isspace((unsigned char)text[b]))
					b++;
			if (ctl)
				while (e > b && S_isspace((unsigned char)text[e - 1]))
					e--;
			pending = 0;
			S_add_text(d, b, e, &pending);
			pos = c.end;
			pending = c.trim_right;
			continue;
		}
		if (t.kind == T_TAG && S_eq(t.name, t.nl, "comment")) {
			unsigned long depth = 1;
			size_t from = t.end;
			int closed = 0;
			for (;;) {
				size_t k = S_find2(text, len, from, '{', '%');
				if (k == S_NOPOS || S_scan(d, k, &c, &ctl) < 0)
					break;
				from = c.end;
				if (S_eq(c.name, c.nl, "comment")) {
					depth++;
				} else if (S_eq(c.name, c.nl, "endcomment")) {
					if (--depth == 0) {
						closed = 1;
						break;
					}
				} else if (S_eq(c.name, c.nl, "raw")) {
					if (S_next_named(d, c.end, "endraw", &c, &ctl) < 0)
						break;
					from = c.end;
				}
			}
			if (!closed) {
				S_warn(st, d, t.start, bb_xstrdup("{% comment %} without {% endcomment %}: the tag is removed, the rest of the text kept as it is"));
				pending = 0;
				S_add_text(d, t.end, len, &pending);
				pos = len;
				break;
			}
			pos = c.end;
			pending = c.trim_right;
			continue;
		}
		*S_add_tok(d) = t;
		pending = t.trim_right;
	}
}

/* ---- parsing: blocks matched with their clauses and ends ---- */

typedef struct S_open {
	size_t i;               /* the block's token */
	size_t last_clause;     /* its last clause so far */
} S_open;

/* Whether some later tag is named "end" + name. */
static int
S_has_end(S_doc *d, size_t from, const char *name, size_t nl)
{
	size_t i;
	for (i = from; i < d->n; i++) {
		const S_tok *t = &d->t[i];
		if (t->kind == T_TAG && t->nl == nl + 3 && memcmp(t->name, "end", 3) == 0 &&
		    memcmp(t->name + 3, name, nl) == 0)
			return 1;
	}
	return 0;
}

/* Names of unknown tags found to be blocks, and not, so that the look for
 * an end tag is made once per name. */
typedef struct {
	const char *name[64];
	size_t nl[64];
	int block[64];
	size_t n;
} S_seen;

/* Whether the unknown tag at i has an end tag later (1) or not (0). */
static int
S_ends_later(S_seen *seen, S_doc *d, size_t i)
{
	const S_tok *t = &d->t[i];
	size_t s;
	int k;
	for (s = 0; s < seen->n; s++)
		if (seen->nl[s] == t->nl && memcmp(seen->name[s], t->name, t->nl) == 0)
			return seen->block[s];
	if (seen->n >= 64)
		return 0; /* looking further would be quadratic */
	k = S_has_end(d, i + 1, t->name, t->nl);
	seen->name[seen->n] = t->name;
	seen->nl[seen->n] = t->nl;
	seen->block[seen->n++] = k;
	return k;
}

/* Classifies every tag and links each block to its clauses and end. */
static void
S_parse(S_state *st, S_doc *d)
{
	S_open *stack = NULL;
	size_t sp = 0, i;
	S_seen seen;
	int hl = 0;

	stack = bb_xmalloc((S_NEST_MAX + 1) * sizeof *stack);
	seen.n = 0;
	for (i = 0; i < d->n; i++) {
		S_tok *t = &d->t[i];
		const S_tagdef *def;
		int block = 0;
		if (t->kind != T_TAG)
			continue;
		def = S_tagdef_of(t->name, t->nl);
		t->op = def ? def->op : OP_UNKNOWN;
		if (def && def->block == 1) {
			block = 1;
		} else if ((t->nl > 3 && memcmp(t->name, "end", 3) == 0) || S_eq(t->name, t->nl, "em")) {
			size_t k;
			for (k = sp; k > 0; k--)
				if (S_closes(&d->t[stack[k - 1].i], t->name, t->nl))
					break;
			if (k == 0) {
				t->op = OP_IGNORED;
				S_warn(st, d, t->start, bb_xasprintf("{%% %.*s %%} closes no open block: removed",
					(int)(t->nl > 40 ? 40 : t->nl), t->name));
				continue;
			}
			while (sp > k) {
				S_tok *o = &d->t[stack[--sp].i];
				o->end_i = i;
				o->own_end = 0;
				if (o->op == OP_HIGHLIGHT)
					hl = 0;
				S_warn(st, d, o->start, bb_xasprintf("{%% %.*s %%} without {%% end%.*s %%}: closed at {%% %.*s %%}",
					(int)(o->nl > 40 ? 40 : o->nl), o->name, (int)(o->nl > 40 ? 40 : o->nl), o->name,
					(int)(t->nl > 40 ? 40 : t->nl), t->name));
			}
			d->t[stack[sp - 1].i].end_i = i;
			d->t[stack[sp - 1].i].own_end = 1;
			if (d->t[stack[sp - 1].i].op == OP_HIGHLIGHT)
				hl = 0;
			sp--;
			t->op = OP_END;
			continue;
		} else if (t->op == OP_ELSIF || t->op == OP_ELSE || t->op == OP_WHEN) {
			int ok = 0;
			if (sp > 0) {
				int top = d->t[stack[sp - 1].i].op;
				ok = t->op == OP_ELSIF ? (top == OP_IF || top == OP_UNLESS) :
					t->op == OP_WHEN ? top == OP_CASE :
					(top == OP_IF || top == OP_UNLESS || top == OP_CASE || top == OP_FOR);
			}
			if (!ok) {
				t->op = OP_IGNORED;
				S_warn(st, d, t->start, bb_xasprintf("{%% %.*s %%} outside the block it belongs to: removed",
					(int)t->nl, t->name));
				continue;
			}
			d->t[stack[sp - 1].last_clause].next_i = i;
			stack[sp - 1].last_clause = i;
			continue;
		} else if (t->nl > 0 && (t->op == OP_UNKNOWN || (def && def->block == 2))) {
			int k = S_tags_kindn(st->env ? st->env->tags : NULL, t->name, t->nl);
			block = (k < 0 ? S_ends_later(&seen, d, i) : k) == 1;
			if (block && t->op == OP_UNKNOWN)
				t->op = OP_BLOCK;
		}
		if (!block)
			continue;
		if (t->op == OP_HIGHLIGHT && hl) {
			t->op = OP_IGNORED;
			S_warn(st, d, t->start, bb_xstrdup("{% highlight %} inside {% highlight %} removed"));
			continue;
		}
		if (sp >= S_NEST_MAX) {
			t->op = OP_IGNORED;
			S_warn(st, d, t->start, bb_xasprintf("Liquid blocks nested over %d deep: {%% %.*s %%} removed",
				S_NEST_MAX, (int)(t->nl > 40 ? 40 : t->nl), t->name));
			continue;
		}
		if (t->op == OP_HIGHLIGHT)
			hl = 1;
		t->block = 1;
		stack[sp].i = i;
		stack[sp].last_clause = i;
		sp++;
	}
	while (sp > 0) {
		S_tok *o = &d->t[stack[--sp].i];
		o->end_i = d->n;
		o->own_end = 0;
		if (o->op == OP_HIGHLIGHT)
			S_warn(st, d, o->start, bb_xstrdup("{% highlight %} without {% endhighlight %}: closed at the end of the text"));
		else
			S_warn(st, d, o->start, bb_xasprintf("{%% %.*s %%} without {%% end%.*s %%}: closed at the end of the text",
				(int)(o->nl > 40 ? 40 : o->nl), o->name, (int)(o->nl > 40 ? 40 : o->nl), o->name));
	}
	free(stack);
}

/* ---- variables ---- */

static S_var *
S_find_var(S_var *v, size_t n, const char *name, size_t nl)
{
	size_t i;
	for (i = n; i > 0; i--)
		if (S_eq(name, nl, v[i - 1].name))
			return &v[i - 1];
	return NULL;
}

/* Sets a global (assign, capture), taking x's reference. */
static void
S_set_global(S_state *st, S_doc *d, size_t at, const char *name, size_t nl, S_val x)
{
	S_var *v = S_find_var(st->globals, st->nglobals, name, nl);
	if (v) {
		S_drop(&v->v);
		v->v = x;
		return;
	}
	if (st->nglobals >= S_VARS_MAX) {
		S_warn(st, d, at, bb_xstrdup("too many Liquid variables: this one is not set"));
		S_drop(&x);
		return;
	}
	st->globals = bb_xrealloc(st->globals, (st->nglobals + 1) * sizeof *st->globals);
	st->globals[st->nglobals].name = bb_xstrndup(name, nl);
	st->globals[st->nglobals].v = x;
	st->nglobals++;
}

static void
S_push_local(S_state *st, const char *name, size_t nl, S_val x)
{
	if (st->nlocals == st->caplocals) {
		st->caplocals = st->caplocals ? 2 * st->caplocals : 16;
		st->locals = bb_xrealloc(st->locals, st->caplocals * sizeof *st->locals);
	}
	st->locals[st->nlocals].name = bb_xstrndup(name, nl);
	st->locals[st->nlocals].v = x;
	st->nlocals++;
}

static void
S_pop_local(S_state *st)
{
	S_var *v = &st->locals[--st->nlocals];
	free(v->name);
	S_drop(&v->v);
}

/* key as text, for map access */
static int
S_key_is(const S_val *k, const char *s)
{
	return k->t == V_STR && strcmp(k->o->s, s) == 0;
}

/* Property key of v (a name or an index). Sets *found. */
static S_val
S_prop(S_state *st, const S_val *v, const S_val *key, int *found)
{
	const bb_fm_node *n;
	size_t i, len;
	bb_buf tmp = BB_BUF_INIT;
	S_val r = S_NIL;
	*found = 0;
	switch (v->t) {
	case V_SITE:
		if (key->t != V_STR)
			return r;
		if (S_key_is(key, "data") && st->env && st->env->data) {
			*found = 1;
			return S_from_node(st->env->data);
		}
		if (S_key_is(key, "posts") && st->env && st->env->posts) {
			*found = 1;
			return S_from_node(st->env->posts);
		}
		n = st->env && st->env->site ? bb_fm_get(st->env->site, key->o->s) : NULL;
		if (n) {
			*found = 1;
			return S_from_node(n);
		}
		return r;
	case V_PAGE:
		if (key->t != V_STR)
			return r;
		n = st->env && st->env->page ? bb_fm_get(st->env->page, key->o->s) : NULL;
		if (n) {
			*found = 1;
			return S_from_node(n);
		}
		return r;
	case V_MAP:
		S_text(key, &tmp);
		for (i = 0; i < v->o->n; i++)
			if (strcmp(v->o->v[2 * i].o->s, tmp.data) == 0) {
				*found = 1;
				r = S_ref(&v->o->v[2 * i + 1]);
				break;
			}
		if (!*found && strcmp(tmp.data, "size") == 0) {
			*found = 1;
			r = S_int((long long)v->o->n);
		}
		bb_buf_free(&tmp);
		return r;
	case V_NODE:
		if (v->node->kind == BB_FM_MAP) {
			S_text(key, &tmp);
			n = bb_fm_get(v->node, tmp.data);
			if (n) {
				*found = 1;
				r = S_from_node(n);
			} else if (strcmp(tmp.data, "size") == 0) {
				*found = 1;
				r = S_int((long long)(v->node->nkids / 2));
			}
			bb_buf_free(&tmp);
			return r;
		}
		/* fall through */
	case V_ARR:
	case V_RANGE:
		len = S_len(v);
		if (key->t == V_NUM && !key->isf) {
			long long k = key->i < 0 ? key->i + (long long)len : key->i;
			if (k >= 0 && (size_t)k < len) {
				*found = 1;
				return S_at(v, (size_t)k);
			}
			return r;
		}
		if (S_key_is(key, "size")) {
			*found = 1;
			return S_int((long long)len);
		}
		if (S_key_is(key, "first") || S_key_is(key, "last")) {
			*found = 1;
			if (len == 0)
				return r;
			return S_at(v, key->o->s[0] == 'f' ? 0 : len - 1);
		}
		return r;
	case V_STR:
		if (S_key_is(key, "size")) {
			*found = 1;
			return S_int((long long)S_chars(v->o->s, v->o->n));
		}
		return r;
	default:
		return r;
	}
}

/* ---- expressions ---- */

typedef struct S_cur {
	const char *p, *e;
} S_cur;

static void
S_ws(S_cur *c)
{
	while (c->p < c->e && S_isspace((unsigned char)*c->p))
		c->p++;
}

static int
S_idstart(int c)
{
	return S_isalpha(c) || c == '_' || c >= 0x80;
}

static int
S_idchar(int c)
{
	return S_isword(c) || c == '-' || c == '?' || c >= 0x80;
}

typedef struct S_ectx {
	S_state *st;
	S_doc *d;
	S_tok *tk;
	int undef;              /* a variable was not found */
	int cdepth;             /* and/or read so far */
	char undef_name[96];
} S_ectx;

static int S_primary(S_ectx *x, S_cur *c, S_val *out);

/* A variable path: name(.name|[expr])* */
static int
S_lookup_path(S_ectx *x, S_cur *c, S_val *out)
{
	S_state *st = x->st;
	const char *start = c->p;
	const char *root = c->p;
	size_t rl, plain_end;
	S_val cur = S_NIL;
	int found = 1, plain = 1, steps = 0;
	S_var *var;

	while (c->p < c->e && S_idchar((unsigned char)*c->p))
		c->p++;
	rl = (size_t)(c->p - root);
	if ((var = S_find_var(st->locals, st->nlocals, root, rl)) != NULL ||
	    (var = S_find_var(st->globals, st->nglobals, root, rl)) != NULL)
		cur = S_ref(&var->v);
	else if (S_eq(root, rl, "site"))
		cur.t = V_SITE;
	else if (S_eq(root, rl, "page"))
		cur.t = V_PAGE;
	else
		found = 0;
	plain_end = rl;
	for (;;) {
		S_val key = S_NIL, nx;
		int f;
		if (c->p < c->e && *c->p == '.' && c->p + 1 < c->e && S_idstart((unsigned char)c->p[1])) {
			const char *k = ++c->p;
			while (c->p < c->e && S_idchar((unsigned char)*c->p))
				c->p++;
			key = S_strn(k, (size_t)(c->p - k));
			if (plain)
				plain_end = (size_t)(c->p - start);
		} else if (c->p < c->e && *c->p == '[') {
			c->p++;
			S_ws(c);
			if (S_primary(x, c, &key) < 0) {
				S_drop(&cur);
				return -1;
			}
			S_ws(c);
			if (c->p < c->e && *c->p == ']')
				c->p++;
			plain = 0;
		} else {
			break;
		}
		if (++steps > S_PATH_MAX) {
			S_drop(&key);
			found = 0;
			continue;
		}
		if (found) {
			nx = S_prop(st, &cur, &key, &f);
			S_drop(&cur);
			cur = nx;
			if (!f)
				found = 0;
		}
		S_drop(&key);
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
			S_drop(&cur);
			cur = S_str(s);
			found = 1;
		} else if (!found) {
			S_drop(&cur);
			if (!x->undef++)
				snprintf(x->undef_name, sizeof x->undef_name, "%.*s",
					(int)((size_t)(c->p - start) > 80 ? 80 : (size_t)(c->p - start)), start);
		}
	}
	*out = cur;
	return 0;
}

/* A literal, range or variable path. Returns 0, or -1 on a syntax error. */
static int
S_primary(S_ectx *x, S_cur *c, S_val *out)
{
	const char *s;
	S_ws(c);
	*out = S_NIL;
	if (c->p >= c->e)
		return -1;
	s = c->p;
	if (*s == '"' || *s == '\'') {
		const char *q = memchr(s + 1, *s, (size_t)(c->e - s - 1));
		if (!q)
			return -1;
		*out = S_strn(s + 1, (size_t)(q - s - 1));
		c->p = q + 1;
		return 0;
	}
	if (*s == '(') {
		S_val lo, hi;
		c->p++;
		if (S_primary(x, c, &lo) < 0)
			return -1;
		S_ws(c);
		if (c->e - c->p < 2 || c->p[0] != '.' || c->p[1] != '.') {
			S_drop(&lo);
			return -1;
		}
		c->p += 2;
		if (S_primary(x, c, &hi) < 0) {
			S_drop(&lo);
			return -1;
		}
		S_ws(c);
		if (c->p < c->e && *c->p == ')')
			c->p++;
		out->t = V_RANGE;
		{
			bb_buf b = BB_BUF_INIT;
			long long a = 0, z = 0;
			double f;
			if (lo.t == V_NUM)
				a = lo.isf ? (long long)lo.f : lo.i;
			else if (S_parse_num(S_text(&lo, &b), b.len, &a, &f) == 2)
				a = (long long)f;
			if (hi.t == V_NUM)
				z = hi.isf ? (long long)hi.f : hi.i;
			else if (S_parse_num(S_text(&hi, &b), b.len, &z, &f) == 2)
				z = (long long)f;
			bb_buf_free(&b);
			out->i = a;
			out->hi = z;
		}
		S_drop(&lo);
		S_drop(&hi);
		return 0;
	}
	if (S_isdigit((unsigned char)*s) || ((*s == '-' || *s == '+') && c->e - s > 1 && S_isdigit((unsigned char)s[1]))) {
		const char *p = s + 1;
		long long i;
		double f;
		int k;
		while (p < c->e && S_isdigit((unsigned char)*p))
			p++;
		if (p + 1 < c->e && *p == '.' && S_isdigit((unsigned char)p[1])) {
			p++;
			while (p < c->e && S_isdigit((unsigned char)*p))
				p++;
		}
		k = S_parse_num(s, (size_t)(p - s), &i, &f);
		*out = k == 2 ? S_flt(f) : S_int(i);
		c->p = p;
		return 0;
	}
	if (S_idstart((unsigned char)*s)) {
		const char *p = s;
		size_t n;
		while (p < c->e && S_idchar((unsigned char)*p))
			p++;
		n = (size_t)(p - s);
		if (!(p < c->e && (*p == '.' || *p == '['))) {
			if (S_eq(s, n, "true") || S_eq(s, n, "false")) {
				*out = S_bool(s[0] == 't');
				c->p = p;
				return 0;
			}
			if (S_eq(s, n, "nil") || S_eq(s, n, "null")) {
				c->p = p;
				return 0;
			}
			if (S_eq(s, n, "empty") || S_eq(s, n, "blank")) {
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

static int
S_is_empty(const S_val *v)
{
	switch (v->t) {
	case V_STR:
		return v->o->n == 0;
	case V_ARR:
	case V_MAP:
	case V_NODE:
	case V_RANGE:
		return S_len(v) == 0;
	default:
		return 0;
	}
}

static double
S_fnum(const S_val *v)
{
	return v->isf ? v->f : (double)v->i;
}

/* Liquid's ==. */
static int
S_equal(const S_val *a, const S_val *b)
{
	if (a->t == V_EMPTY || a->t == V_BLANK) {
		const S_val *t = a;
		a = b;
		b = t;
	}
	if (b->t == V_EMPTY)
		return S_is_empty(a);
	if (b->t == V_BLANK)
		return 0;  /* Liquid without ActiveSupport: nothing is blank */
	if (a->t == V_NUM && b->t == V_NUM)
		return S_fnum(a) == S_fnum(b);
	if (a->t != b->t) {
		if (S_is_list(a) && S_is_list(b))
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
		size_t i, n = S_len(a);
		int eq = 1;
		if (a->t == V_NODE && b->t == V_NODE && a->node == b->node)
			return 1;
		if (a->o && a->o == b->o)
			return 1;
		if (n != S_len(b) || S_is_map(a) != S_is_map(b))
			return 0;
		for (i = 0; i < n && eq && i < 10000; i++) {
			S_val x = S_at(a, i), y = S_at(b, i);
			eq = S_equal(&x, &y);
			S_drop(&x);
			S_drop(&y);
		}
		return eq;
	}
	default:
		return a->t == b->t;
	}
}

/* -1, 0, 1, or 2 when a and b do not compare (Liquid's error: false). */
static int
S_order(const S_val *a, const S_val *b)
{
	if (a->t == V_NUM && b->t == V_NUM) {
		double x = S_fnum(a), y = S_fnum(b);
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

static int
S_contains(S_state *st, const S_val *a, const S_val *b)
{
	bb_buf x = BB_BUF_INIT, y = BB_BUF_INIT;
	int r = 0;
	size_t i, n;
	(void)st;
	if (a->t == V_STR) {
		S_text(b, &y);
		r = b->t != V_NIL && S_memmem(a->o->s, a->o->n, y.data, y.len) != S_NOPOS;
	} else if (S_is_list(a)) {
		n = S_len(a);
		for (i = 0; i < n && !r && i < S_ARRAY_MAX; i++) {
			S_val v = S_at(a, i);
			r = S_equal(&v, b);
			S_drop(&v);
		}
	} else if (S_is_map(a) && a->t != V_SITE && a->t != V_PAGE) {
		int f;
		S_val v = S_prop(st, a, b, &f);
		r = f;
		S_drop(&v);
	}
	bb_buf_free(&x);
	bb_buf_free(&y);
	return r;
}

/* One comparison: a [op b]. Returns 0/1, or -1 on a syntax error. */
static int
S_compare(S_ectx *x, const char *s, size_t n)
{
	S_cur c;
	S_val a, b;
	int r = 0;
	const char *op;
	size_t ol = 0;
	c.p = s;
	c.e = s + n;
	if (S_primary(x, &c, &a) < 0)
		return -1;
	S_ws(&c);
	if (c.p >= c.e) {
		r = S_truthy(&a);
		S_drop(&a);
		return r;
	}
	op = c.p;
	if (c.e - c.p >= 8 && memcmp(c.p, "contains", 8) == 0)
		ol = 8;
	else
		while (c.p + ol < c.e && strchr("=!<>", c.p[ol]) && ol < 2)
			ol++;
	c.p += ol;
	if (ol == 0 || S_primary(x, &c, &b) < 0) {
		S_drop(&a);
		return -1;
	}
	if (ol == 8)
		r = S_contains(x->st, &a, &b);
	else if (S_eq(op, ol, "=="))
		r = S_equal(&a, &b);
	else if (S_eq(op, ol, "!=") || S_eq(op, ol, "<>"))
		r = !S_equal(&a, &b);
	else {
		int o = S_order(&a, &b);
		if (o == 2)
			r = 0;
		else if (S_eq(op, ol, "<"))
			r = o < 0;
		else if (S_eq(op, ol, ">"))
			r = o > 0;
		else if (S_eq(op, ol, "<="))
			r = o <= 0;
		else if (S_eq(op, ol, ">="))
			r = o >= 0;
		else
			r = -1;
	}
	S_drop(&a);
	S_drop(&b);
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
		if (!S_isspace((unsigned char)ch))
			continue;
		if (i + 4 < n && memcmp(s + i + 1, "and", 3) == 0 && S_isspace((unsigned char)s[i + 4])) {
			*is_and = 1;
			*wl = 5;
			return i;
		}
		if (i + 3 < n && memcmp(s + i + 1, "or", 2) == 0 && S_isspace((unsigned char)s[i + 3])) {
			*is_and = 0;
			*wl = 4;
			return i;
		}
	}
	return S_NOPOS;
}

/* A condition: comparisons joined by and/or, read right to left as
 * Liquid does. Returns 0/1, or -1 on a syntax error. */
static int
S_condition(S_ectx *x, const char *s, size_t n)
{
	int is_and = 0, r;
	size_t wl = 0, k = S_next_logic(s, n, 0, &is_and, &wl);
	if (++x->cdepth > 64)
		return -1;
	if (k == S_NOPOS)
		return S_compare(x, s, n);
	r = S_compare(x, s, k);
	if (r < 0)
		return -1;
	/* the right side first, as Liquid builds it: a and (b or c) */
	{
		int rest = S_condition(x, s + k + wl, n - k - wl);
		if (rest < 0)
			return -1;
		return is_and ? (r && rest) : (r || rest);
	}
}

/* ---- dates ---- */

static int
S_num2(const char *s, size_t n, size_t *i, int digits, int *out)
{
	int k, x = 0;
	for (k = 0; k < digits && *i < n && S_isdigit((unsigned char)s[*i]); k++)
		x = x * 10 + (s[(*i)++] - '0');
	*out = x;
	return k;
}

static void
S_fill_tm(struct tm *tm, int y, int m, int d, int hh, int mm, int ss)
{
	static const int cum[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	static const int sak[12] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0, yy;
	memset(tm, 0, sizeof *tm);
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_hour = hh;
	tm->tm_min = mm;
	tm->tm_sec = ss;
	tm->tm_yday = cum[m - 1] + d - 1 + (leap && m > 2);
	yy = m < 3 ? y - 1 : y;
	tm->tm_wday = (yy + yy / 4 - yy / 100 + yy / 400 + sak[m - 1] + d) % 7;
}

/* Reads "YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]][ ][Z|+HHMM|+HH:MM]" into tm
 * and the zone offset in minutes. Returns 0 or -1. */
static int
S_parse_date(const char *s, size_t n, struct tm *tm, int *zone, int *zone_set)
{
	size_t i = 0;
	int y, m, d, hh = 0, mm = 0, ss = 0;
	S_trim(&s, &n);
	*zone = 0;
	*zone_set = 0;
	if (S_num2(s, n, &i, 4, &y) != 4 || i >= n || (s[i] != '-' && s[i] != '/') || (i++, 0) ||
	    S_num2(s, n, &i, 2, &m) < 1 || i >= n || (s[i] != '-' && s[i] != '/') || (i++, 0) ||
	    S_num2(s, n, &i, 2, &d) < 1)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	if (i + 1 < n && (s[i] == ' ' || s[i] == 'T') && S_isdigit((unsigned char)s[i + 1])) {
		i++;
		if (S_num2(s, n, &i, 2, &hh) < 1 || i >= n || s[i++] != ':' ||
		    S_num2(s, n, &i, 2, &mm) < 1)
			return -1;
		if (i < n && s[i] == ':') {
			i++;
			if (S_num2(s, n, &i, 2, &ss) < 1)
				return -1;
			while (i < n && (s[i] == '.' || S_isdigit((unsigned char)s[i])))
				i++;
		}
		while (i < n && s[i] == ' ')
			i++;
		if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
			*zone_set = 1;
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			int sign = s[i++] == '-' ? -1 : 1, zh, zm = 0;
			if (S_num2(s, n, &i, 2, &zh) != 2)
				return -1;
			if (i < n && s[i] == ':')
				i++;
			S_num2(s, n, &i, 2, &zm);
			*zone = sign * (zh * 60 + zm);
			*zone_set = 1;
		} else if (i + 2 < n && memcmp(s + i, "UTC", 3) == 0) {
			*zone_set = 1;
			i += 3;
		}
	}
	if (i != n || hh > 23 || mm > 59 || ss > 60)
		return -1;
	S_fill_tm(tm, y, m, d, hh, mm, ss);
	return 0;
}

/* A value as a date: a date text, a Unix time, "now" or "today". */
static int
S_to_date(const S_val *v, struct tm *tm, int *zone, int *zone_set)
{
	bb_buf b = BB_BUF_INIT;
	int r = -1;
	time_t t;
	*zone = 0;
	*zone_set = 0;
	if (v->t == V_NUM || v->t == V_STR) {
		long long secs = 0;
		double f;
		int k = 0;
		S_text(v, &b);
		if (v->t == V_NUM)
			k = v->isf ? 2 : 1, secs = v->isf ? (long long)v->f : v->i;
		else if (strcmp(b.data, "now") == 0 || strcmp(b.data, "today") == 0)
			k = 1, secs = (long long)time(NULL);
		else
			k = S_parse_num(b.data, b.len, &secs, &f) ? 3 : 0;
		if (k == 3)
			k = 0;
		if (k) {
			t = (time_t)secs;
			if (gmtime_r(&t, tm)) {
				*zone_set = 1;
				r = 0;
			}
		} else {
			r = S_parse_date(b.data, b.len, tm, zone, zone_set);
		}
	}
	bb_buf_free(&b);
	return r;
}

/* strftime with Ruby's extras that glibc lacks: %N (fraction), %:z. */
static void
S_strftime(bb_buf *out, const char *fmt, const struct tm *tm, int zone)
{
	bb_buf f = BB_BUF_INIT;
	char buf[1024];
	size_t i, n;
	for (i = 0; fmt[i]; i++) {
		if (fmt[i] == '%' && fmt[i + 1] == 'z') {
			int a = zone < 0 ? -zone : zone;
			bb_buf_printf(&f, "%c%02d%02d", zone < 0 ? '-' : '+', a / 60, a % 60);
			i++;
		} else if (fmt[i] == '%' && fmt[i + 1] == ':' && fmt[i + 2] == 'z') {
			int a = zone < 0 ? -zone : zone;
			bb_buf_printf(&f, "%c%02d:%02d", zone < 0 ? '-' : '+', a / 60, a % 60);
			i += 2;
		} else if (fmt[i] == '%' && fmt[i + 1] == 'Z') {
			bb_buf_puts(&f, zone ? "" : "UTC");
			i++;
		} else if (fmt[i] == '%' && fmt[i + 1] == '%') {
			bb_buf_puts(&f, "%%");
			i++;
		} else {
			bb_buf_putc(&f, fmt[i]);
		}
	}
	bb_buf_put(&f, "", 0);
	n = f.len ? strftime(buf, sizeof buf, f.data, tm) : 0;
	bb_buf_put(out, buf, n);
	bb_buf_free(&f);
}

static const char *S_month[12] = { "January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December" };

/* Jekyll's date_to_string / date_to_long_string with "ordinal" and "US". */
static void
S_jekyll_date(bb_buf *out, const struct tm *tm, int lng, const char *type, const char *style)
{
	char mon[16];
	if (lng)
		snprintf(mon, sizeof mon, "%s", S_month[tm->tm_mon]);
	else
		snprintf(mon, sizeof mon, "%.3s", S_month[tm->tm_mon]);
	if (type && strcmp(type, "ordinal") == 0) {
		int d = tm->tm_mday;
		const char *suf = (d % 100 >= 11 && d % 100 <= 13) ? "th" : d % 10 == 1 ? "st" : d % 10 == 2 ? "nd" : d % 10 == 3 ? "rd" : "th";
		if (style && strcmp(style, "US") == 0)
			bb_buf_printf(out, "%s %d%s, %d", mon, d, suf, tm->tm_year + 1900);
		else
			bb_buf_printf(out, "%d%s %s %d", d, suf, mon, tm->tm_year + 1900);
	} else if (style && strcmp(style, "US") == 0) {
		bb_buf_printf(out, "%s %d, %d", mon, tm->tm_mday, tm->tm_year + 1900);
	} else {
		bb_buf_printf(out, "%02d %s %d", tm->tm_mday, mon, tm->tm_year + 1900);
	}
}

/* ---- URLs ---- */

static int
S_is_absolute(const char *s, size_t n)
{
	size_t i;
	if (n >= 2 && s[0] == '/' && s[1] == '/')
		return 1;
	if (n == 0 || !S_isalpha((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++) {
		char c = s[i];
		if (c == ':')
			return 1;
		if (!S_isword((unsigned char)c) && c != '+' && c != '.' && c != '-')
			return 0;
	}
	return 0;
}

/* The caller's site.X as text, or NULL. */
static const char *
S_site_str(S_state *st, const char *key, bb_buf *tmp)
{
	const char *s = NULL;
	char name[64];
	if (st->env && st->env->site) {
		const bb_fm_node *n = bb_fm_get(st->env->site, key);
		n = S_deref(n);
		if (n && n->kind == BB_FM_SCALAR && n->value) {
			bb_buf_reset(tmp);
			bb_buf_puts(tmp, n->value);
			return tmp->data;
		}
	}
	snprintf(name, sizeof name, "site.%s", key);
	if (st->ctx && st->ctx->lookup)
		s = st->ctx->lookup(st->ctx->ud, name);
	if (s) {
		bb_buf_reset(tmp);
		bb_buf_puts(tmp, s);
		return tmp->data;
	}
	return NULL;
}

static void
S_relative_url(S_state *st, const char *in, size_t n, bb_buf *out)
{
	bb_buf tmp = BB_BUF_INIT;
	const char *base;
	size_t bl;
	if (S_is_absolute(in, n)) {
		bb_buf_put(out, in, n);
		return;
	}
	base = S_site_str(st, "baseurl", &tmp);
	bl = base ? strlen(base) : 0;
	while (bl > 0 && base[bl - 1] == '/')
		bl--;
	if (bl > 0 && base[0] != '/')
		bb_buf_putc(out, '/');
	bb_buf_put(out, base, bl);
	if (n > 0 && in[0] != '/')
		bb_buf_putc(out, '/');
	bb_buf_put(out, in, n);
	bb_buf_free(&tmp);
}

static void
S_absolute_url(S_state *st, const char *in, size_t n, bb_buf *out)
{
	bb_buf tmp = BB_BUF_INIT, rel = BB_BUF_INIT;
	const char *url;
	size_t ul;
	if (S_is_absolute(in, n)) {
		bb_buf_put(out, in, n);
		return;
	}
	S_relative_url(st, in, n, &rel);
	url = S_site_str(st, "url", &tmp);
	ul = url ? strlen(url) : 0;
	while (ul > 0 && url[ul - 1] == '/')
		ul--;
	bb_buf_put(out, url, ul);
	if (ul > 0 && rel.len > 0 && rel.data[0] != '/')
		bb_buf_putc(out, '/');
	bb_buf_put(out, rel.data, rel.len);
	bb_buf_free(&tmp);
	bb_buf_free(&rel);
}

/* Percent-encodes every byte but the unreserved ones (and keep). */
static void
S_percent(bb_buf *out, const char *s, size_t n, const char *keep, int plus)
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (S_isword(c) || c == '-' || c == '.' || c == '~' || (keep && c && strchr(keep, c)))
			bb_buf_putc(out, c);
		else if (plus && c == ' ')
			bb_buf_putc(out, '+');
		else
			bb_buf_printf(out, "%%%02X", c);
	}
}

static int
S_hex(int c)
{
	if (S_isdigit(c))
		return c - '0';
	c = S_lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* ---- filters ---- */

typedef struct S_args {
	S_val v[S_ARGS_MAX];
	int n;
	char *kw[S_ARGS_MAX];
	S_val kwv[S_ARGS_MAX];
	int nkw;
} S_args;

static void
S_args_free(S_args *a)
{
	int i;
	for (i = 0; i < a->n; i++)
		S_drop(&a->v[i]);
	for (i = 0; i < a->nkw; i++) {
		free(a->kw[i]);
		S_drop(&a->kwv[i]);
	}
	a->n = a->nkw = 0;
}

/* Argument i as text (empty when absent). */
static const char *
S_astr(const S_args *a, int i, bb_buf *b)
{
	if (i >= a->n) {
		bb_buf_reset(b);
		bb_buf_put(b, "", 0);
		return b->data;
	}
	return S_text(&a->v[i], b);
}

static const S_val *
S_kw(const S_args *a, const char *k)
{
	int i;
	for (i = 0; i < a->nkw; i++)
		if (strcmp(a->kw[i], k) == 0)
			return &a->kwv[i];
	return NULL;
}

/* Liquid's to_number. */
static S_val
S_tonum(const S_val *v)
{
	bb_buf b = BB_BUF_INIT;
	long long i = 0;
	double f = 0;
	int k;
	const char *s;
	size_t n;
	if (v->t == V_NUM)
		return *v;
	if (v->t != V_STR)
		return S_int(0);
	s = v->o->s;
	n = v->o->n;
	S_trim(&s, &n);
	/* Ruby's to_i / to_f read a leading number */
	{
		size_t k2 = 0;
		if (k2 < n && (s[k2] == '-' || s[k2] == '+'))
			k2++;
		while (k2 < n && S_isdigit((unsigned char)s[k2]))
			k2++;
		if (k2 + 1 < n && s[k2] == '.' && S_isdigit((unsigned char)s[k2 + 1])) {
			k2++;
			while (k2 < n && S_isdigit((unsigned char)s[k2]))
				k2++;
		}
		n = k2;
	}
	k = S_parse_num(s, n, &i, &f);
	bb_buf_free(&b);
	return k == 2 ? S_flt(f) : k == 1 ? S_int(i) : S_int(0);
}

static long long
S_toint(const S_val *v)
{
	S_val n = S_tonum(v);
	return n.isf ? (long long)n.f : n.i;
}

/* Counts n steps of filter work; returns -1 (once warned, output then
 * stopped) when the render has done too much. */
static int
S_work_at(S_state *st, S_doc *d, size_t at, unsigned long n)
{
	st->work += n;
	if (st->work <= S_WORK_MAX)
		return 0;
	if (!st->work_warned)
		S_warn(st, d, at, bb_xstrdup("Liquid filters worked over too many items in this text: the rest of the Liquid output is dropped"));
	st->work_warned = 1;
	st->halt = 1;
	return -1;
}

static int
S_work(S_ectx *x, unsigned long n)
{
	return S_work_at(x->st, x->d, x->tk->start, n);
}

/* A copy of a list value as an array; maps give their values (as Jekyll's
 * filters take them), nil an empty array, others a one-item array. */
static S_val
S_as_array(S_ectx *x, const S_val *v)
{
	S_val a = S_arr_new();
	size_t i, n;
	if (S_is_list(v)) {
		n = S_len(v);
		S_work(x, n);
		if (n > S_ARRAY_MAX) {
			S_warn(x->st, x->d, x->tk->start, bb_xasprintf("a Liquid list of %zu items cut to %d", n, S_ARRAY_MAX));
			n = S_ARRAY_MAX;
		}
		for (i = 0; i < n; i++)
			S_push(&a, S_at(v, i));
	} else if (v->t == V_MAP || (v->t == V_NODE && v->node->kind == BB_FM_MAP)) {
		n = S_len(v);
		for (i = 0; i < n; i++) {
			S_val p = S_at(v, i);
			S_push(&a, S_at(&p, 1));
			S_drop(&p);
		}
	} else if (v->t != V_NIL) {
		S_push(&a, S_ref(v));
	}
	return a;
}

/* item[key] for a property name written with dots ("author.name"). */
static S_val
S_item_prop(S_state *st, const S_val *item, const char *key)
{
	S_val cur = S_ref(item), k, nx;
	const char *p = key;
	int f = 1;
	while (f) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		k = S_strn(p, n);
		nx = S_prop(st, &cur, &k, &f);
		S_drop(&k);
		S_drop(&cur);
		cur = nx;
		if (!dot)
			break;
		p = dot + 1;
	}
	return cur;
}

typedef struct S_sortctx {
	S_state *st;
	const char *key;
	int natural;
	int nils_last;
} S_sortctx;

static int
S_sort_cmp(S_sortctx *c, const S_val *a, const S_val *b)
{
	S_val x;
	S_val y;
	int r;
	if (++c->st->work > S_WORK_MAX)
		return 0;  /* S_filter says so after the sort */
	x = c->key ? S_item_prop(c->st, a, c->key) : S_ref(a);
	y = c->key ? S_item_prop(c->st, b, c->key) : S_ref(b);
	if (x.t == V_NIL || y.t == V_NIL) {
		/* Jekyll's sort: nils first, or last when asked */
		r = (y.t == V_NIL) - (x.t == V_NIL);
		if (c->nils_last)
			r = -r;
	} else if (c->natural) {
		bb_buf p = BB_BUF_INIT, q = BB_BUF_INIT;
		size_t i;
		S_text(&x, &p);
		S_text(&y, &q);
		for (i = 0; i < p.len; i++)
			p.data[i] = (char)S_lower((unsigned char)p.data[i]);
		for (i = 0; i < q.len; i++)
			q.data[i] = (char)S_lower((unsigned char)q.data[i]);
		r = strcmp(p.data, q.data);
		bb_buf_free(&p);
		bb_buf_free(&q);
	} else {
		r = S_order(&x, &y);
		if (r == 2) {
			bb_buf p = BB_BUF_INIT, q = BB_BUF_INIT;
			r = strcmp(S_text(&x, &p), S_text(&y, &q));
			bb_buf_free(&p);
			bb_buf_free(&q);
		}
	}
	S_drop(&x);
	S_drop(&y);
	return r;
}

/* A stable merge sort of v[0..n) (no global comparator state: renders run
 * on several threads). */
static void
S_msort(S_sortctx *c, S_val *v, S_val *tmp, size_t n)
{
	size_t h, i, j, k;
	if (n < 2)
		return;
	h = n / 2;
	S_msort(c, v, tmp, h);
	S_msort(c, v + h, tmp, n - h);
	for (i = 0, j = h, k = 0; i < h && j < n;)
		tmp[k++] = S_sort_cmp(c, &v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

/* Escapes & < > " ' for HTML; once: an entity already written stays. */
static void
S_escape(bb_buf *out, const char *s, size_t n, int once)
{
	size_t i;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c == '&' && once) {
			size_t k = i + 1;
			if (k < n && s[k] == '#')
				k++;
			while (k < n && k - i < 32 && S_isword((unsigned char)s[k]))
				k++;
			if (k < n && s[k] == ';' && k > i + 1) {
				bb_buf_putc(out, '&');
				continue;
			}
		}
		switch (c) {
		case '&': bb_buf_puts(out, "&amp;"); break;
		case '<': bb_buf_puts(out, "&lt;"); break;
		case '>': bb_buf_puts(out, "&gt;"); break;
		case '"': bb_buf_puts(out, "&quot;"); break;
		case '\'': bb_buf_puts(out, "&#39;"); break;
		default: bb_buf_putc(out, c);
		}
	}
}

/* Removes tags, comments, scripts and styles. */
static void
S_strip_html(bb_buf *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (s[i] == '<') {
			static const char *pairs[] = { "<!--", "-->", "<script", "</script>", "<style", "</style>" };
			size_t k, e = S_NOPOS;
			for (k = 0; k < 6; k += 2) {
				size_t pl = strlen(pairs[k]), j;
				if (n - i >= pl) {
					for (j = 0; j < pl && S_lower((unsigned char)s[i + j]) == pairs[k][j]; j++)
						;
					if (j == pl) {
						size_t f = S_memmem(s + i, n - i, pairs[k + 1], strlen(pairs[k + 1]));
						e = f == S_NOPOS ? n : i + f + strlen(pairs[k + 1]);
						break;
					}
				}
			}
			if (e == S_NOPOS) {
				const char *gt = memchr(s + i, '>', n - i);
				if (gt)
					e = (size_t)(gt - s) + 1;
			}
			if (e != S_NOPOS) {
				i = e;
				continue;
			}
		}
		bb_buf_putc(out, s[i++]);
	}
}

/* Jekyll's slugify, "default" mode: runs of characters other than letters
 * and digits (any non-ASCII letter counts) become one hyphen. */
static void
S_slugify(bb_buf *out, const char *s, size_t n, const char *mode)
{
	size_t i, start = out->len;
	int dash = 0, raw = mode && strcmp(mode, "raw") == 0, none = mode && strcmp(mode, "none") == 0;
	int pretty = mode && strcmp(mode, "pretty") == 0;
	if (none) {
		bb_buf_put(out, s, n);
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int keep = S_isalpha(c) || S_isdigit(c) || c >= 0x80 ||
			(pretty && c && strchr("._~!$&'()+,;=@", c)) || (!raw && !pretty && c == '_' && 0);
		if (raw)
			keep = !S_isspace(c);
		if (keep) {
			if (dash && out->len > start)
				bb_buf_putc(out, '-');
			dash = 0;
			bb_buf_putc(out, S_lower(c));
		} else {
			dash = 1;
		}
	}
}

/* "a, b, and c" */
static void
S_sentence(S_state *st, const S_val *arr, const char *conn, bb_buf *out)
{
	size_t i, n = S_len(arr);
	bb_buf t = BB_BUF_INIT;
	(void)st;
	for (i = 0; i < n; i++) {
		S_val x = S_at(arr, i);
		if (i > 0) {
			if (n == 2)
				bb_buf_printf(out, " %s ", conn);
			else if (i == n - 1)
				bb_buf_printf(out, ", %s ", conn);
			else
				bb_buf_puts(out, ", ");
		}
		bb_buf_puts(out, S_text(&x, &t));
		S_drop(&x);
	}
	bb_buf_free(&t);
}

/* SmartyPants conversions, as Jekyll's smartify makes them. */
static void
S_smartify(bb_buf *out, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		char c = s[i];
		int prev_space = i == 0 || S_isspace((unsigned char)s[i - 1]) || strchr("([{", s[i - 1]);
		if (c == '-' && i + 2 < n && s[i + 1] == '-' && s[i + 2] == '-')
			bb_buf_puts(out, "\xE2\x80\x94"), i += 2;
		else if (c == '-' && i + 1 < n && s[i + 1] == '-')
			bb_buf_puts(out, "\xE2\x80\x93"), i++;
		else if (c == '.' && i + 2 < n && s[i + 1] == '.' && s[i + 2] == '.')
			bb_buf_puts(out, "\xE2\x80\xA6"), i += 2;
		else if (c == '"')
			bb_buf_puts(out, prev_space ? "\xE2\x80\x9C" : "\xE2\x80\x9D");
		else if (c == '\'')
			bb_buf_puts(out, prev_space ? "\xE2\x80\x98" : "\xE2\x80\x99");
		else
			bb_buf_putc(out, c);
	}
}

/* f at 15 significant digits: Liquid 5 adds, subtracts and multiplies
 * floats as decimals (0.1 + 0.2 is 0.3). */
static double
S_decimal(double f)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%.15g", f);
	return strtod(buf, NULL);
}

static S_val
S_round_to(double f, int digits, int mode)
{
	double scale = 1, r;
	long long k;
	int i;
	for (i = 0; i < digits && i < 15; i++)
		scale *= 10;
	f *= scale;
	if (f > 9e18 || f < -9e18)
		return S_flt(f / scale);
	k = (long long)f;
	if (mode == 0)          /* round half away from zero */
		k = f >= 0 ? (long long)(f + 0.5) : -(long long)(-f + 0.5);
	else if (mode == 1)     /* ceil */
		k = ((double)k < f) ? k + 1 : k;
	else                    /* floor */
		k = ((double)k > f) ? k - 1 : k;
	if (digits <= 0)
		return S_int(k);
	r = (double)k / scale;
	return S_flt(r);
}

static int S_where_exp(S_ectx *x, const S_val *item, const char *var, const char *expr);
static int S_eval_filtered(S_ectx *x, const char *s, size_t n, S_val *out);

/* One filter call's state, shared by the filter families: the input as text
 * (s, n), its arguments, and the result as text (o) or, when have is 0, as a
 * value (r). */
typedef struct {
	S_ectx *x;
	const char *nm, *s;
	size_t n;
	S_val *in;
	S_args *a;
	bb_buf o;
	S_val r;
	int have;
} S_fx;

/* A family's working names for the call's state; its result goes back
 * through S_fx_end. */
#define S_FX_BEGIN(f)                                                                                  \
	S_ectx *x = (f)->x;                                                                            \
	S_state *st = x->st;                                                                           \
	const char *nm = (f)->nm, *s = (f)->s;                                                         \
	size_t n = (f)->n, i = 0;                                                                      \
	S_val *in = (f)->in;                                                                           \
	S_args *a = (f)->a;                                                                            \
	bb_buf o = BB_BUF_INIT, t2 = BB_BUF_INIT, t3 = BB_BUF_INIT;                                    \
	S_val r = S_NIL;                                                                               \
	int known = 1, have = 1;                                                                       \
	(void)st, (void)s, (void)n, (void)i, (void)in, (void)a
#define F(lit) (strcmp(nm, lit) == 0)

/* Keeps a family's result in f when it knew the filter; frees the rest.
 * Returns whether it knew it. */
static int
S_fx_end(S_fx *f, int known, bb_buf *o, bb_buf *t2, bb_buf *t3, S_val r, int have)
{
	bb_buf_free(t2);
	bb_buf_free(t3);
	if (!known) {
		bb_buf_free(o);
		S_drop(&r);
		return 0;
	}
	f->o = *o;
	f->r = r;
	f->have = have;
	return 1;
}

/* The input as an array for the list filters, with its length, cut to none
 * once the work budget is spent; a filter that looks into each item costs
 * per_item for each. */
static S_val
S_items(S_ectx *x, S_val *in, size_t per_item, size_t *len)
{
	S_val arr = S_as_array(x, in);
	*len = arr.o->n;
	if (per_item)
		S_work(x, per_item * *len);
	if (x->st->halt)
		*len = 0;
	return arr;
}

/* Text to text: append, prepend, case, remove and replace, strip, escapes, URL coding. */
static int
S_filter_string(S_fx *f)
{
	S_FX_BEGIN(f);
	if (F("append")) {
		bb_buf_put(&o, s, n);
		bb_buf_puts(&o, S_astr(a, 0, &t2));
	} else if (F("prepend")) {
		bb_buf_puts(&o, S_astr(a, 0, &t2));
		bb_buf_put(&o, s, n);
	} else if (F("upcase") || F("downcase")) {
		int up = nm[0] == 'u';
		for (i = 0; i < n; i++)
			bb_buf_putc(&o, up ? S_upper((unsigned char)s[i]) : S_lower((unsigned char)s[i]));
	} else if (F("capitalize")) {
		for (i = 0; i < n; i++)
			bb_buf_putc(&o, i == 0 ? S_upper((unsigned char)s[i]) : S_lower((unsigned char)s[i]));
	} else if (F("remove") || F("remove_first") || F("remove_last") || F("replace") || F("replace_first") || F("replace_last")) {
		const char *pat = S_astr(a, 0, &t2), *rep = nm[2] == 'p' ? S_astr(a, 1, &t3) : "";
		size_t pl = strlen(pat), from = 0, k;
		int first = strstr(nm, "_first") != NULL, last = strstr(nm, "_last") != NULL;
		if (last) {
			size_t at = S_NOPOS, f2 = 0;
			while (pl && f2 <= n && (k = S_memmem(s + f2, n - f2, pat, pl)) != S_NOPOS) {
				at = f2 + k;
				f2 = at + 1;
			}
			if (at == S_NOPOS || !pl) {
				bb_buf_put(&o, s, n);
			} else {
				bb_buf_put(&o, s, at);
				bb_buf_puts(&o, rep);
				bb_buf_put(&o, s + at + pl, n - at - pl);
			}
		} else {
			while (from <= n) {
				k = pl ? S_memmem(s + from, n - from, pat, pl) : S_NOPOS;
				if (k == S_NOPOS) {
					bb_buf_put(&o, s + from, n - from);
					break;
				}
				bb_buf_put(&o, s + from, k);
				bb_buf_puts(&o, rep);
				from += k + pl;
				if (first) {
					bb_buf_put(&o, s + from, n - from);
					break;
				}
				if (o.len > st->budget)
					break;
			}
		}
	} else if (F("strip") || F("lstrip") || F("rstrip")) {
		const char *p = s;
		size_t m = n;
		if (nm[0] != 'r')
			while (m > 0 && S_isspace((unsigned char)*p))
				p++, m--;
		if (nm[0] != 'l')
			while (m > 0 && S_isspace((unsigned char)p[m - 1]))
				m--;
		bb_buf_put(&o, p, m);
	} else if (F("strip_html")) {
		S_strip_html(&o, s, n);
	} else if (F("strip_newlines")) {
		for (i = 0; i < n; i++)
			if (s[i] != '\n' && s[i] != '\r')
				bb_buf_putc(&o, s[i]);
	} else if (F("newline_to_br")) {
		for (i = 0; i < n; i++) {
			if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
				continue;
			if (s[i] == '\n')
				bb_buf_puts(&o, "<br />\n");
			else
				bb_buf_putc(&o, s[i]);
		}
	} else if (F("escape") || F("h")) {
		if (in->t == V_NIL)
			have = 0, r = S_NIL;
		else
			S_escape(&o, s, n, 0);
	} else if (F("xml_escape")) {
		/* Ruby's encode(xml: :attr) */
		for (i = 0; i < n; i++) {
			if (s[i] == '\'')
				bb_buf_puts(&o, "&apos;");
			else
				S_escape(&o, s + i, 1, 0);
		}
	} else if (F("escape_once")) {
		S_escape(&o, s, n, 1);
	} else if (F("url_encode") || F("cgi_escape")) {
		S_percent(&o, s, n, F("cgi_escape") ? "*" : "*", 1);
	} else if (F("uri_escape")) {
		S_percent(&o, s, n, "!#$&'()*+,/:;=?@[]%", 0);
	} else if (F("url_decode")) {
		for (i = 0; i < n; i++) {
			if (s[i] == '+')
				bb_buf_putc(&o, ' ');
			else if (s[i] == '%' && i + 2 < n && S_hex((unsigned char)s[i + 1]) >= 0 && S_hex((unsigned char)s[i + 2]) >= 0) {
				bb_buf_putc(&o, S_hex((unsigned char)s[i + 1]) * 16 + S_hex((unsigned char)s[i + 2]));
				i += 2;
			} else
				bb_buf_putc(&o, s[i]);
		}
	} else {
		known = 0;
	}
	return S_fx_end(f, known, &o, &t2, &t3, r, have);
}

/* split, join, first, last, size, slice, truncate. */
static int
S_filter_slice(S_fx *f)
{
	S_FX_BEGIN(f);
	if (F("split")) {
		const char *sep = S_astr(a, 0, &t2);
		size_t sl = strlen(sep), from = 0, k;
		have = 0;
		r = S_arr_new();
		if (sl == 0) {
			for (i = 0; i < n && r.o->n < S_ARRAY_MAX;) {
				unsigned cp;
				int w = bb_utf8_decode((const unsigned char *)s + i, n - i, &cp);
				if (w <= 0)
					w = 1;
				S_push(&r, S_strn(s + i, (size_t)w));
				i += (size_t)w;
			}
		} else if (sl == 1 && sep[0] == ' ') {
			/* Ruby's split(" "): runs of white space, none at the ends */
			i = 0;
			while (i < n && r.o->n < S_ARRAY_MAX) {
				while (i < n && S_isspace((unsigned char)s[i]))
					i++;
				k = i;
				while (k < n && !S_isspace((unsigned char)s[k]))
					k++;
				if (k > i)
					S_push(&r, S_strn(s + i, k - i));
				i = k;
			}
		} else {
			while (r.o->n < S_ARRAY_MAX) {
				k = S_memmem(s + from, n - from, sep, sl);
				if (k == S_NOPOS) {
					S_push(&r, S_strn(s + from, n - from));
					break;
				}
				S_push(&r, S_strn(s + from, k));
				from += k + sl;
			}
			/* trailing empty strings go, as in Ruby */
			while (r.o->n > 0 && r.o->v[r.o->n - 1].o->n == 0)
				S_drop(&r.o->v[--r.o->n]);
		}
	} else if (F("join")) {
		const char *sep = a->n ? S_astr(a, 0, &t2) : " ";
		if (S_is_list(in)) {
			size_t len = S_len(in);
			for (i = 0; i < len && o.len <= st->budget; i++) {
				S_val v = S_at(in, i);
				if (i)
					bb_buf_puts(&o, sep);
				S_tostr(&v, &o, 0);
				S_drop(&v);
			}
		} else {
			bb_buf_put(&o, s, n);
		}
	} else if (F("first") || F("last")) {
		have = 0;
		if (S_is_list(in)) {
			size_t len = S_len(in);
			if (len)
				r = S_at(in, nm[0] == 'f' ? 0 : len - 1);
		}
		/* a string has no first or last in Liquid 5: nil */
	} else if (F("size")) {
		have = 0;
		if (in->t == V_STR)
			r = S_int((long long)S_chars(s, n));
		else
			r = S_int((long long)S_len(in));
	} else if (F("slice")) {
		long long off = a->n ? S_toint(&a->v[0]) : 0, cnt = a->n > 1 ? S_toint(&a->v[1]) : 1;
		if (S_is_list(in)) {
			long long len = (long long)S_len(in), k;
			have = 0;
			r = S_arr_new();
			if (off < 0)
				off += len;
			for (k = off; k >= 0 && k < len && k < off + cnt && r.o->n < S_ARRAY_MAX; k++)
				S_push(&r, S_at(in, (size_t)k));
		} else {
			long long len = (long long)S_chars(s, n);
			if (off < 0)
				off += len;
			if (off >= 0 && off < len && cnt > 0) {
				long long e = off + cnt > len ? len : off + cnt;
				size_t b0 = S_char_off(s, n, (size_t)off), b1 = S_char_off(s, n, (size_t)e);
				bb_buf_put(&o, s + b0, b1 - b0);
			}
		}
	} else if (F("truncate")) {
		long long len = a->n ? S_toint(&a->v[0]) : 50;
		const char *ell = a->n > 1 ? S_astr(a, 1, &t2) : "...";
		long long el = (long long)S_chars(ell, strlen(ell)), keep = len - el;
		if (in->t == V_NIL) {
			have = 0;
		} else if ((long long)S_chars(s, n) <= len) {
			bb_buf_put(&o, s, n);
		} else {
			if (keep < 0)
				keep = 0;
			bb_buf_put(&o, s, S_char_off(s, n, (size_t)keep));
			bb_buf_puts(&o, ell);
		}
	} else {
		known = 0;
	}
	return S_fx_end(f, known, &o, &t2, &t3, r, have);
}

/* truncatewords, arithmetic, rounding, abs, default. */
static int
S_filter_number(S_fx *f)
{
	S_FX_BEGIN(f);
	if (F("truncatewords")) {
		long long words = a->n ? S_toint(&a->v[0]) : 15, w = 0;
		const char *ell = a->n > 1 ? S_astr(a, 1, &t2) : "...";
		size_t k = 0, last = 0;
		if (words < 1)
			words = 1;
		while (k < n) {
			while (k < n && S_isspace((unsigned char)s[k]))
				k++;
			if (k >= n)
				break;
			if (w == words)
				break;
			while (k < n && !S_isspace((unsigned char)s[k]))
				k++;
			last = k;
			w++;
		}
		if (k >= n) {
			bb_buf_put(&o, s, n);
		} else {
			/* Ruby joins the kept words with single spaces */
			size_t q = 0;
			int firstw = 1;
			while (q < last) {
				size_t b0;
				while (q < last && S_isspace((unsigned char)s[q]))
					q++;
				b0 = q;
				while (q < last && !S_isspace((unsigned char)s[q]))
					q++;
				if (q > b0) {
					if (!firstw)
						bb_buf_putc(&o, ' ');
					bb_buf_put(&o, s + b0, q - b0);
					firstw = 0;
				}
			}
			bb_buf_puts(&o, ell);
		}
	} else if (F("plus") || F("minus") || F("times") || F("divided_by") || F("modulo") || F("at_least") || F("at_most")) {
		S_val p = S_tonum(in), q = a->n ? S_tonum(&a->v[0]) : S_int(0);
		have = 0;
		if (!p.isf && !q.isf) {
			long long u = p.i, v = q.i;
			if (F("plus"))
				r = S_int((long long)((unsigned long long)u + (unsigned long long)v));
			else if (F("minus"))
				r = S_int((long long)((unsigned long long)u - (unsigned long long)v));
			else if (F("times"))
				r = S_int((long long)((unsigned long long)u * (unsigned long long)v));
			else if (F("at_least"))
				r = S_int(u > v ? u : v);
			else if (F("at_most"))
				r = S_int(u < v ? u : v);
			else if (v == 0 || (u == LLONG_MIN && v == -1)) {
				S_warn(st, x->d, x->tk->start, bb_xasprintf("Liquid filter %s: divided by 0; the value is kept", nm));
				r = S_ref(in);
			} else {
				long long qq = u / v, m = u % v;
				if (m != 0 && ((m < 0) != (v < 0)))
					qq--, m += v;
				r = S_int(F("modulo") ? m : qq);
			}
		} else {
			double u = S_fnum(&p), v = S_fnum(&q);
			if (F("plus"))
				r = S_flt(S_decimal(u + v));
			else if (F("minus"))
				r = S_flt(S_decimal(u - v));
			else if (F("times"))
				r = S_flt(S_decimal(u * v));
			else if (F("at_least"))
				r = u > v ? p : q;
			else if (F("at_most"))
				r = u < v ? p : q;
			else if (v == 0) {
				S_warn(st, x->d, x->tk->start, bb_xasprintf("Liquid filter %s: divided by 0; the value is kept", nm));
				r = S_ref(in);
			} else if (F("divided_by")) {
				r = S_flt(u / v);
			} else {
				double qq = u / v;
				S_val fl = S_round_to(qq, 0, 2);
				r = S_flt(u - v * S_fnum(&fl));
			}
		}
	} else if (F("round") || F("ceil") || F("floor")) {
		S_val p = S_tonum(in);
		int digits = a->n ? (int)S_toint(&a->v[0]) : 0;
		have = 0;
		if (!p.isf)
			r = p;
		else
			r = S_round_to(p.f, F("round") ? digits : 0, F("round") ? 0 : F("ceil") ? 1 : 2);
	} else if (F("abs")) {
		S_val p = S_tonum(in);
		have = 0;
		r = p.isf ? S_flt(p.f < 0 ? -p.f : p.f) : S_int(p.i < 0 ? -p.i : p.i);
	} else if (F("default")) {
		const S_val *af = S_kw(a, "allow_false");
		int use = in->t == V_NIL || (in->t == V_BOOL && !in->i && !(af && S_truthy(af))) || S_is_empty(in);
		have = 0;
		r = use ? (a->n ? S_ref(&a->v[0]) : S_NIL) : S_ref(in);
	} else {
		known = 0;
	}
	return S_fx_end(f, known, &o, &t2, &t3, r, have);
}

/* Jekyll's filters (dates, URLs, markdownify, slugify, jsonify, words, smartify) and sort. */
static int
S_filter_jekyll(S_fx *f)
{
	S_FX_BEGIN(f);
	if (F("date") || F("date_to_string") || F("date_to_long_string") || F("date_to_xmlschema") || F("date_to_rfc822")) {
		struct tm tm;
		int zone, zs;
		if (S_to_date(in, &tm, &zone, &zs) < 0 || (F("date") && (!a->n || !*S_astr(a, 0, &t2)))) {
			have = 0;
			r = S_ref(in);
		} else if (F("date")) {
			S_strftime(&o, S_astr(a, 0, &t2), &tm, zone);
		} else if (F("date_to_xmlschema")) {
			S_strftime(&o, "%Y-%m-%dT%H:%M:%S%:z", &tm, zone);
		} else if (F("date_to_rfc822")) {
			S_strftime(&o, "%a, %d %b %Y %H:%M:%S %z", &tm, zone);
		} else {
			S_jekyll_date(&o, &tm, F("date_to_long_string"), a->n ? S_astr(a, 0, &t2) : NULL, a->n > 1 ? S_astr(a, 1, &t3) : NULL);
		}
	} else if (F("relative_url")) {
		S_relative_url(st, s, n, &o);
	} else if (F("absolute_url")) {
		S_absolute_url(st, s, n, &o);
	} else if (F("markdownify")) {
		/* the text is Markdown already and becomes part of the post's */
		bb_buf_put(&o, s, n);
	} else if (F("slugify")) {
		S_slugify(&o, s, n, a->n ? S_astr(a, 0, &t2) : NULL);
	} else if (F("jsonify")) {
		S_json(in, &o, 0, 1);
	} else if (F("inspect")) {
		S_json(in, &t2, 0, 0);
		S_escape(&o, t2.data, t2.len, 0);
	} else if (F("number_of_words")) {
		long long w = 0;
		int inw = 0, cjk = a->n && strcmp(S_astr(a, 0, &t2), "cjk") == 0;
		for (i = 0; i < n;) {
			unsigned cp = 0;
			int wl = bb_utf8_decode((const unsigned char *)s + i, n - i, &cp);
			if (wl <= 0)
				wl = 1, cp = (unsigned char)s[i];
			if (cjk && bb_is_cjk(cp)) {
				w++;
				inw = 0;
			} else if (cp < 0x80 && S_isspace((int)cp)) {
				inw = 0;
			} else if (!inw) {
				w++;
				inw = 1;
			}
			i += (size_t)wl;
		}
		have = 0;
		r = S_int(w);
	} else if (F("array_to_sentence_string")) {
		S_val arr = S_as_array(x, in);
		S_sentence(st, &arr, a->n ? S_astr(a, 0, &t2) : "and", &o);
		S_drop(&arr);
	} else if (F("normalize_whitespace")) {
		int sp = 0;
		for (i = 0; i < n; i++) {
			if (S_isspace((unsigned char)s[i])) {
				sp = 1;
				continue;
			}
			if (sp && o.len)
				bb_buf_putc(&o, ' ');
			sp = 0;
			bb_buf_putc(&o, s[i]);
		}
	} else if (F("smartify")) {
		S_smartify(&o, s, n);
	} else if (F("sort") || F("sort_natural")) {
		S_sortctx c;
		S_val arr = S_as_array(x, in);
		S_val *tmp = bb_xmalloc((arr.o->n + 1) * sizeof *tmp);
		c.st = st;
		c.key = a->n ? S_astr(a, 0, &t2) : NULL;
		c.natural = F("sort_natural");
		c.nils_last = a->n > 1 && strcmp(S_astr(a, 1, &t3), "last") == 0;
		S_msort(&c, arr.o->v, tmp, arr.o->n);
		free(tmp);
		S_work(x, 0);
		have = 0;
		r = arr;
	} else {
		known = 0;
	}
	return S_fx_end(f, known, &o, &t2, &t3, r, have);
}

/* Array to array: reverse, uniq, compact, concat, push, pop, shift, unshift, sum, map. */
static int
S_filter_items(S_fx *f)
{
	S_FX_BEGIN(f);
	if (F("uniq") || F("reverse") || F("compact") || F("concat") || F("map") || F("push") || F("pop") ||
	    F("shift") || F("unshift") || F("sum")) {
		size_t len, k;
		S_val arr = S_items(x, in, F("map") || F("sum") ? 2 : 0, &len);
		have = 0;
		if (F("reverse")) {
			r = S_arr_new();
			for (k = len; k > 0; k--)
				S_push(&r, S_ref(&arr.o->v[k - 1]));
		} else if (F("uniq")) {
			r = S_arr_new();
			for (k = 0; k < len && S_work(x, r.o->n) == 0; k++) {
				size_t j;
				for (j = 0; j < r.o->n && j < 10000; j++)
					if (S_equal(&r.o->v[j], &arr.o->v[k]))
						break;
				if (j == r.o->n || j == 10000)
					S_push(&r, S_ref(&arr.o->v[k]));
			}
		} else if (F("compact")) {
			r = S_arr_new();
			for (k = 0; k < len; k++)
				if (arr.o->v[k].t != V_NIL)
					S_push(&r, S_ref(&arr.o->v[k]));
		} else if (F("concat") || F("push") || F("unshift")) {
			r = S_arr_new();
			if (F("unshift") && a->n)
				S_push(&r, S_ref(&a->v[0]));
			for (k = 0; k < len; k++)
				S_push(&r, S_ref(&arr.o->v[k]));
			if (F("push") && a->n)
				S_push(&r, S_ref(&a->v[0]));
			if (F("concat") && a->n) {
				S_val b = S_as_array(x, &a->v[0]);
				for (k = 0; k < b.o->n && r.o->n < S_ARRAY_MAX; k++)
					S_push(&r, S_ref(&b.o->v[k]));
				S_drop(&b);
			}
		} else if (F("pop") || F("shift")) {
			r = S_arr_new();
			for (k = F("shift") ? 1 : 0; k < (F("pop") && len ? len - 1 : len); k++)
				S_push(&r, S_ref(&arr.o->v[k]));
		} else if (F("sum")) {
			S_val acc = S_int(0);
			for (k = 0; k < len; k++) {
				S_val v = a->n ? S_item_prop(st, &arr.o->v[k], S_astr(a, 0, &t2)) : S_ref(&arr.o->v[k]);
				S_val q = S_tonum(&v);
				if (acc.isf || q.isf)
					acc = S_flt(S_fnum(&acc) + S_fnum(&q));
				else
					acc.i += q.i;
				S_drop(&v);
			}
			r = acc;
		} else if (F("map")) {
			const char *key = S_astr(a, 0, &t2);
			r = S_arr_new();
			for (k = 0; k < len; k++)
				S_push(&r, S_item_prop(st, &arr.o->v[k], key));
		}
		S_drop(&arr);
	} else {
		known = 0;
	}
	return S_fx_end(f, known, &o, &t2, &t3, r, have);
}

/* Array to the items a condition or a key selects: where, find, their _exp forms, group_by. */
static int
S_filter_select(S_fx *f)
{
	S_FX_BEGIN(f);
	if (F("where") || F("where_exp") || F("find") || F("find_exp") || F("group_by") || F("group_by_exp")) {
		size_t len, k;
		S_val arr = S_items(x, in, 2, &len);
		have = 0;
		if (F("where") || F("find")) {
			const char *key = S_astr(a, 0, &t2);
			const char *want = a->n > 1 ? S_astr(a, 1, &t3) : NULL;
			bb_buf iv = BB_BUF_INIT;
			r = F("where") ? S_arr_new() : S_NIL;
			for (k = 0; k < len; k++) {
				S_val v = S_item_prop(st, &arr.o->v[k], key);
				int ok;
				if (!want) {
					ok = S_truthy(&v);
				} else if (S_is_list(&v)) {
					size_t j, m = S_len(&v);
					ok = 0;
					for (j = 0; j < m && !ok; j++) {
						S_val e = S_at(&v, j);
						ok = strcmp(S_text(&e, &iv), want) == 0;
						S_drop(&e);
					}
				} else {
					ok = strcmp(S_text(&v, &iv), want) == 0;
				}
				S_drop(&v);
				if (ok) {
					if (F("find")) {
						r = S_ref(&arr.o->v[k]);
						break;
					}
					S_push(&r, S_ref(&arr.o->v[k]));
				}
			}
			bb_buf_free(&iv);
		} else if (F("where_exp") || F("find_exp")) {
			const char *var = S_astr(a, 0, &t2), *expr = S_astr(a, 1, &t3);
			r = F("where_exp") ? S_arr_new() : S_NIL;
			for (k = 0; k < len; k++) {
				int ok = S_where_exp(x, &arr.o->v[k], var, expr);
				if (ok < 0)
					break;
				if (ok) {
					if (F("find_exp")) {
						r = S_ref(&arr.o->v[k]);
						break;
					}
					S_push(&r, S_ref(&arr.o->v[k]));
				}
			}
		} else {
			/* group_by, group_by_exp: [{name, items, size}] in first-seen order */
			const char *key = S_astr(a, 0, &t2);
			bb_buf kb = BB_BUF_INIT;
			S_ectx sub = *x;
			S_val *grp = NULL;
			size_t ng = 0, j;
			r = S_arr_new();
			for (k = 0; k < len; k++) {
				S_val v;
				if (F("group_by_exp")) {
					S_cur c;
					S_push_local(st, key, strlen(key), S_ref(&arr.o->v[k]));
					c.p = S_astr(a, 1, &t3);
					c.e = c.p + t3.len;
					if (S_eval_filtered(&sub, c.p, t3.len, &v) < 0)
						v = S_NIL;
					S_pop_local(st);
				} else {
					v = S_item_prop(st, &arr.o->v[k], key);
				}
				S_text(&v, &kb);
				S_drop(&v);
				if (S_work(x, ng + 1) < 0)
					break;
				for (j = 0; j < ng; j++)
					if (strcmp(grp[j].o->v[1].o->s, kb.data) == 0)
						break;
				if (j == ng) {
					S_val g = S_map_new();
					S_map_set(&g, "name", S_strn(kb.data, kb.len));
					S_map_set(&g, "items", S_arr_new());
					S_map_set(&g, "size", S_int(0));
					grp = bb_xrealloc(grp, (ng + 1) * sizeof *grp);
					grp[ng++] = g;
				}
				S_push(&grp[j].o->v[3], S_ref(&arr.o->v[k]));
				grp[j].o->v[5].i++;
			}
			for (j = 0; j < ng; j++)
				S_push(&r, grp[j]);
			free(grp);
			bb_buf_free(&kb);
		}
		S_drop(&arr);
	} else {
		known = 0;
	}
	return S_fx_end(f, known, &o, &t2, &t3, r, have);
}

#undef F

/* Applies the filter name to *in with args a. Returns 0, or -1 when the
 * filter is not known (then *in is unchanged). */
static int
S_filter(S_ectx *x, const char *name, size_t nl, S_val *in, S_args *a)
{
	bb_buf t = BB_BUF_INIT;
	char nm[40];
	S_fx f;
	int known;

	if (nl >= sizeof nm)
		return -1;
	memcpy(nm, name, nl);
	nm[nl] = '\0';
	if (S_work(x, S_weight(in)) < 0)
		return 0;
	S_text(in, &t);
	memset(&f, 0, sizeof f);
	f.x = x;
	f.nm = nm;
	f.s = t.data;
	f.n = t.len;
	f.in = in;
	f.a = a;
	known = S_filter_string(&f) || S_filter_slice(&f) || S_filter_number(&f) || S_filter_jekyll(&f) ||
		S_filter_items(&f) || S_filter_select(&f);
	if (known) {
		S_drop(in);
		*in = f.have ? S_str_buf(&f.o) : f.r;
		bb_buf_free(&f.o);
	}
	bb_buf_free(&t);
	return known ? 0 : -1;
}

/* ---- evaluating: expressions with filters ---- */

/* Splits s at the first c outside quotes: returns the length before it. */
static size_t
S_span(const char *s, size_t n, char c)
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
static void
S_read_args(S_ectx *x, const char *s, size_t n, S_args *a)
{
	while (n > 0 && a->n + a->nkw < S_ARGS_MAX) {
		size_t k = S_span(s, n, ','), m = k, j = 0;
		const char *p = s;
		S_cur c;
		S_trim(&p, &m);
		while (j < m && S_idchar((unsigned char)p[j]))
			j++;
		if (j > 0 && j < m && p[j] == ':' && S_idstart((unsigned char)p[0])) {
			c.p = p + j + 1;
			c.e = p + m;
			a->kw[a->nkw] = bb_xstrndup(p, j);
			if (S_primary(x, &c, &a->kwv[a->nkw]) < 0)
				a->kwv[a->nkw] = S_NIL;
			a->nkw++;
		} else if (m > 0) {
			c.p = p;
			c.e = p + m;
			if (S_primary(x, &c, &a->v[a->n]) < 0)
				a->v[a->n] = S_NIL;
			a->n++;
		}
		s += k < n ? k + 1 : k;
		n -= k < n ? k + 1 : k;
	}
}

/* Evaluates "expr | filter: args | ..." into *out. Returns the number of
 * filters applied, or -1 when the expression cannot be read. */
static int
S_eval_filtered(S_ectx *x, const char *s, size_t n, S_val *out)
{
	S_cur c;
	size_t k = S_span(s, n, '|');
	int nf = 0;
	c.p = s;
	c.e = s + k;
	*out = S_NIL;
	if (S_primary(x, &c, out) < 0)
		return -1;
	while (k < n) {
		const char *f, *nm;
		size_t fl, nl, ci;
		S_args a;
		s += k + 1;
		n -= k + 1;
		k = S_span(s, n, '|');
		f = s;
		fl = k;
		S_trim(&f, &fl);
		if (fl == 0)
			continue;
		if (++nf > S_FILTERS_MAX) {
			if (!(x->tk->warned & 4))
				S_warn(x->st, x->d, x->tk->start, bb_xasprintf("more than %d Liquid filters: the rest are ignored", S_FILTERS_MAX));
			x->tk->warned |= 4;
			break;
		}
		ci = S_span(f, fl, ':');
		nm = f;
		nl = ci;
		S_trim(&nm, &nl);
		memset(&a, 0, sizeof a);
		if (ci < fl)
			S_read_args(x, f + ci + 1, fl - ci - 1, &a);
		if (S_filter(x, nm, nl, out, &a) < 0 && !(x->tk->warned & 2)) {
			x->tk->warned |= 2;
			S_warn(x->st, x->d, x->tk->start, bb_xasprintf("unknown Liquid filter '%.*s': the value before it is kept",
				(int)(nl > 40 ? 40 : nl), nm));
		}
		S_args_free(&a);
		if (out->t == V_STR && out->o->n > x->st->budget + (1u << 20)) {
			S_warn(x->st, x->d, x->tk->start, bb_xstrdup("Liquid value over the output limit: cut"));
			out->o->n = x->st->budget;
			out->o->s[out->o->n] = '\0';
			x->st->halt = 1;
			break;
		}
	}
	return nf;
}

static int
S_where_exp(S_ectx *x, const S_val *item, const char *var, const char *expr)
{
	int r;
	S_push_local(x->st, var, strlen(var), S_ref(item));
	x->cdepth = 0;
	r = S_condition(x, expr, strlen(expr));
	S_pop_local(x->st);
	return r;
}

static void
S_ectx_init(S_ectx *x, S_state *st, S_doc *d, S_tok *tk)
{
	memset(x, 0, sizeof *x);
	x->st = st;
	x->d = d;
	x->tk = tk;
}

/* Warns (once per place) that a variable was not found. */
static void
S_warn_undef(S_ectx *x)
{
	if (!x->undef || (x->tk->warned & 1))
		return;
	x->tk->warned |= 1;
	S_warn(x->st, x->d, x->tk->start, bb_xasprintf("unknown Liquid variable '%s' left empty", x->undef_name));
}

static void
S_write_val(S_state *st, S_doc *d, size_t at, const S_val *v)
{
	bb_buf b = BB_BUF_INIT;
	if (S_work_at(st, d, at, S_weight(v)) < 0)
		return;
	S_tostr(v, &b, 0);
	S_emit(st, d, at, b.data, b.len, 0);
	bb_buf_free(&b);
}

/* {{ expr | filters }}. prefix: where a {{ site.url }} run began, or S_NOPOS. */
static void
S_output(S_state *st, S_doc *d, S_tok *tk, size_t prefix)
{
	S_ectx x;
	S_val v;
	const char *e = tk->markup;
	size_t el = S_span(tk->markup, tk->ml, '|');
	size_t at = st->out->len;
	int nf;
	S_trim(&e, &el);
	if (tk->ml == 0) {
		S_warn(st, d, tk->start, bb_xstrdup("empty Liquid output tag removed"));
		return;
	}
	S_ectx_init(&x, st, d, tk);
	nf = S_eval_filtered(&x, tk->markup, tk->ml, &v);
	if (nf < 0) {
		if (!(tk->warned & 8))
			S_warn(st, d, tk->start, bb_xasprintf("Liquid output '%.*s' cannot be read: removed",
				(int)(tk->ml > 60 ? 60 : tk->ml), tk->markup));
		tk->warned |= 8;
		S_drop(&v);
		return;
	}
	if (x.undef && (v.t == V_NIL || S_is_empty(&v)))
		S_warn_undef(&x);
	if (nf == 0 && (S_eq(e, el, "site.url") || S_eq(e, el, "site.baseurl"))) {
		S_write_val(st, d, tk->start, &v);
		st->url_prefix = prefix != S_NOPOS ? prefix : at;
	} else {
		S_write_val(st, d, tk->start, &v);
	}
	S_drop(&v);
}

/* ---- running ---- */

static void S_run(S_state *st, S_doc *d, size_t i0, size_t i1);
static void S_plain_args(const S_tok *t, bb_buf *out);
static void S_expand(S_state *st, S_doc *d, S_tok *t, bb_buf *out);

/* Runs tokens [i0, i1) into the buffer into (not counted as output yet). */
static void
S_run_into(S_state *st, S_doc *d, size_t i0, size_t i1, bb_buf *into)
{
	bb_buf *saved = st->out;
	size_t up = st->url_prefix;
	st->out = into;
	st->url_prefix = S_NOPOS;
	bb_buf_put(into, "", 0);
	S_run(st, d, i0, i1);
	st->out = saved;
	st->url_prefix = up;
}

/* The index after block i and its end. */
static size_t
S_after(const S_doc *d, size_t i)
{
	const S_tok *t = &d->t[i];
	return t->own_end ? t->end_i + 1 : t->end_i;
}

/* The end of the body that starts after clause c. */
static size_t
S_body_end(const S_doc *d, size_t open, size_t c)
{
	size_t nx = d->t[c].next_i;
	return nx != S_NOPOS ? nx : d->t[open].end_i;
}

/* Whether the text goes on with a line end (or ends) after token j. */
static int
S_eol_after(const S_doc *d, size_t j)
{
	if (j >= d->n)
		return 1;
	if (d->t[j].kind != T_TEXT)
		return 0;
	return d->t[j].s[0] == '\n' || d->t[j].s[0] == '\r';
}

/* Turns out[bs..] into a fenced code block of lang. eol: the text goes on
 * with a line end. */
static void
S_fence(S_state *st, size_t bs, const char *lang, int eol)
{
	bb_buf *o = st->out;
	char *out = o->data;
	size_t be = o->len, first = bs, k, run = 0, fence = 3;
	size_t bol, indent_len = 0;
	char *body;
	size_t body_len;
	int blank = 1;

	/* Jekyll drops the line ends around the code */
	for (k = bs; k < be && S_isspace((unsigned char)out[k]); k++)
		if (out[k] == '\n')
			first = k + 1;
	if (k == be)
		first = be;
	while (be > first && S_isspace((unsigned char)out[be - 1]))
		be--;
	body_len = be - first;
	body = bb_xstrndup(out + first, body_len);
	for (k = 0; k < body_len; k++) {
		size_t r = 0;
		while (k < body_len && body[k] == '`')
			r++, k++;
		if (r > run)
			run = r;
	}
	if (run + 1 > fence)
		fence = run + 1;
	S_truncate(o, bs);
	for (bol = bs; bol > 0 && o->data[bol - 1] != '\n'; bol--)
		if (!S_isspace((unsigned char)o->data[bol - 1]))
			blank = 0;
	if (!blank)
		bb_buf_putc(o, '\n');
	else if (bs - bol <= S_INDENT_MAX)
		indent_len = bs - bol;
	for (k = 0; k < fence; k++)
		bb_buf_putc(o, '`');
	bb_buf_puts(o, lang);
	bb_buf_putc(o, '\n');
	if (body_len) {
		bb_buf_put(o, body, body_len);
		bb_buf_putc(o, '\n');
	}
	for (k = 0; k < indent_len; k++)
		bb_buf_putc(o, o->data[bol + k]);
	for (k = 0; k < fence; k++)
		bb_buf_putc(o, '`');
	if (!eol)
		bb_buf_putc(o, '\n');
	free(body);
}

/* A highlight language: word characters and . + # -, lowered; "" when bad. */
static char *
S_lang(S_state *st, S_doc *d, const S_tok *t, const char *s, size_t n, int warn)
{
	size_t k = 0, i;
	char *lang;
	while (k < n && !S_isspace((unsigned char)s[k]))
		k++;
	for (i = 0; i < k; i++) {
		char c = s[i];
		if (!S_isword((unsigned char)c) && c != '.' && c != '+' && c != '#' && c != '-')
			break;
	}
	if (k == 0 || i < k) {
		if (warn)
			S_warn(st, d, t->start, bb_xasprintf("{%% highlight %.*s %%}: no valid language; the code block gets none",
				(int)(t->ml > 40 ? 40 : t->ml), t->markup));
		k = 0;
	}
	lang = bb_xstrndup(s, k);
	for (i = 0; i < k; i++)
		lang[i] = (char)S_lower((unsigned char)lang[i]);
	return lang;
}

/* {% post_url %} and {% link %}. */
static void
S_resolve(S_state *st, S_doc *d, const S_tok *t, const char *kind, size_t prefix)
{
	const char *a = t->markup;
	size_t n = t->ml;
	char *arg, *url = NULL;
	if (n >= 2 && (a[0] == '"' || a[0] == '\'') && a[n - 1] == a[0])
		a++, n -= 2;
	if (n == 0) {
		S_warn(st, d, t->start, bb_xasprintf("{%% %s %%} without an argument removed", kind));
		return;
	}
	arg = bb_xstrndup(a, n);
	if (st->ctx && st->ctx->resolve)
		url = st->ctx->resolve(st->ctx->ud, kind, arg);
	if (prefix != S_NOPOS && prefix <= st->out->len)
		S_truncate(st->out, prefix);
	if (url) {
		S_emit(st, d, t->start, url, strlen(url), 0);
	} else {
		S_warn(st, d, t->start, bb_xasprintf("{%% %s %.*s %%}: no such post or page; its argument is kept",
			kind, (int)(n > 200 ? 200 : n), arg));
		S_emit(st, d, t->start, arg, n, 0);
	}
	free(url);
	free(arg);
}

static int S_words(const char *s, size_t n, char **w, int max);
static void S_words_free(char **w, int n);
static void S_put_label(bb_buf *b, const char *s);
static void S_put_dest(bb_buf *b, const char *s);

/* Hexo's {% post_link slug [title] %} and {% asset_link file [title] %}:
 * a Markdown link, to the post the slug names (found as post_url finds
 * one) or to the file; its text the title given, else the slug or file. */
static void
S_hexo_link(S_state *st, S_doc *d, const S_tok *t, int post)
{
	char *w[24], *url = NULL;
	int n = S_words(t->markup, t->ml, w, 24), i;
	bb_buf b = BB_BUF_INIT;
	if (n < 1) {
		S_warn(st, d, t->start, bb_xasprintf("{%% %.*s %%} without an argument removed", (int)t->nl, t->name));
		S_words_free(w, n);
		return;
	}
	if (post && st->ctx && st->ctx->resolve)
		url = st->ctx->resolve(st->ctx->ud, "post_url", w[0]);
	if (post && !url)
		S_warn(st, d, t->start, bb_xasprintf("{%% post_link %s %%}: no such post; its text is kept", w[0]));
	bb_buf_putc(&b, '[');
	for (i = 1; i < n; i++) {
		if (i > 1)
			bb_buf_putc(&b, ' ');
		bb_buf_puts(&b, w[i]);
	}
	if (n == 1)
		bb_buf_puts(&b, w[0]);
	if (url || !post)
		bb_buf_printf(&b, "](<%s>)", url ? url : w[0]);
	else
		bb_buf_putc(&b, ']'), memmove(b.data, b.data + 1, b.len - 2), b.len -= 2, b.data[b.len] = '\0';
	S_emit(st, d, t->start, b.data, b.len, 0);
	bb_buf_free(&b);
	free(url);
	S_words_free(w, n);
}

/* Hexo's other tags: {% iframe url %} and {% jsfiddle id %} a link to
 * the page, {% post_path slug %} the post's address and {% asset_path
 * file %} the file's path (both written inside a Markdown link or image),
 * and {% link text url [external] [title] %} (Jekyll's link takes one
 * path) a link. Returns 0 when t is none of these. */
static int
S_hexo_tag(S_state *st, S_doc *d, const S_tok *t)
{
	char *w[24], *url = NULL;
	int n = S_words(t->markup, t->ml, w, 24), i, u = -1;
	bb_buf b = BB_BUF_INIT;
	for (i = 0; i < n && u < 0; i++)
		if (strstr(w[i], "://"))
			u = i;
	if (t->op == OP_LINK && !(n >= 2 && u >= 1)) {
		S_words_free(w, n);
		return 0;
	}
	if (n < 1) {
		S_warn(st, d, t->start, bb_xasprintf("{%% %.*s %%} without an argument removed", (int)t->nl, t->name));
		S_words_free(w, n);
		return 1;
	}
	switch (t->op) {
	case OP_IFRAME:
	case OP_JSFIDDLE:
		url = t->op == OP_IFRAME ? bb_xstrdup(w[0]) : bb_xasprintf("https://jsfiddle.net/%s/", w[0]);
		bb_buf_puts(&b, t->op == OP_IFRAME ? "[" : "[JSFiddle ");
		S_put_label(&b, w[0]);
		bb_buf_puts(&b, "](");
		S_put_dest(&b, url);
		bb_buf_putc(&b, ')');
		break;
	case OP_POST_PATH:
		if (st->ctx && st->ctx->resolve)
			url = st->ctx->resolve(st->ctx->ud, "post_url", w[0]);
		if (!url)
			S_warn(st, d, t->start, bb_xasprintf("{%% post_path %s %%}: no such post; the name is kept", w[0]));
		bb_buf_puts(&b, url ? url : w[0]);
		break;
	case OP_ASSET_PATH:
		bb_buf_puts(&b, w[0]);
		break;
	default: /* Hexo's link */
		bb_buf_putc(&b, '[');
		for (i = 0; i < u; i++) {
			if (i)
				bb_buf_putc(&b, ' ');
			S_put_label(&b, w[i]);
		}
		bb_buf_puts(&b, "](");
		S_put_dest(&b, w[u]);
		bb_buf_putc(&b, ')');
		break;
	}
	S_emit(st, d, t->start, b.data, b.len, 0);
	bb_buf_free(&b);
	free(url);
	S_words_free(w, n);
	return 1;
}

/* Words of a tag's markup, quotes removed ("a b" is one word). At most
 * max words; returns the count. */
static int
S_words(const char *s, size_t n, char **w, int max)
{
	int k = 0;
	size_t i = 0;
	while (i < n && k < max) {
		size_t b;
		bb_buf t = BB_BUF_INIT;
		while (i < n && S_isspace((unsigned char)s[i]))
			i++;
		if (i >= n)
			break;
		b = i;
		while (i < n && !S_isspace((unsigned char)s[i])) {
			if (s[i] == '"' || s[i] == '\'') {
				const char *q = memchr(s + i + 1, s[i], n - i - 1);
				if (q) {
					bb_buf_put(&t, s + i + 1, (size_t)(q - s - i - 1));
					i = (size_t)(q - s) + 1;
					continue;
				}
			}
			bb_buf_putc(&t, s[i++]);
		}
		(void)b;
		bb_buf_put(&t, "", 0);
		w[k++] = bb_buf_detach(&t, NULL);
	}
	return k;
}

static void
S_words_free(char **w, int n)
{
	int i;
	for (i = 0; i < n; i++)
		free(w[i]);
}

/* Markdown link text: brackets and backslashes escaped. */
static void
S_put_label(bb_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '[' || *s == ']' || *s == '\\')
			bb_buf_putc(b, '\\');
		bb_buf_putc(b, *s == '\n' ? ' ' : *s);
	}
}

/* Markdown link destination, in <...>. */
static void
S_put_dest(bb_buf *b, const char *s)
{
	bb_buf_putc(b, '<');
	for (; *s; s++) {
		if (*s == '<' || *s == '>' || *s == '\\')
			bb_buf_putc(b, '\\');
		if (*s != '\n' && *s != '\r')
			bb_buf_putc(b, *s);
	}
	bb_buf_putc(b, '>');
}

static int
S_looks_path(const char *w)
{
	return strstr(w, "://") || strchr(w, '/') || (strchr(w, '.') && !S_isdigit((unsigned char)w[0]));
}

/* The value of an option word "--key=v" or "key=v" or "key:v", or NULL. */
static const char *
S_opt(char **w, int n, const char *key)
{
	int i;
	size_t kl = strlen(key);
	for (i = 0; i < n; i++) {
		const char *p = w[i];
		while (*p == '-')
			p++;
		if (strncmp(p, key, kl) == 0 && (p[kl] == '=' || p[kl] == ':'))
			return p + kl + 1;
	}
	return NULL;
}

/* img, image, lightbox, figure (as a tag): an image in Markdown. */
static void
S_image(S_state *st, S_doc *d, const S_tok *t, const char *caption_body)
{
	char *w[24];
	int n = S_words(t->markup, t->ml, w, 24), i, src = -1;
	bb_buf b = BB_BUF_INIT, title = BB_BUF_INIT, quoted_alt = BB_BUF_INIT;
	const char *alt, *tt;
	for (i = 0; i < n; i++)
		if (w[i][0] != '-' && !strchr(w[i], '=') && S_looks_path(w[i]) &&
		    !(strncmp(w[i], "caption:", 8) == 0 || strncmp(w[i], "class:", 6) == 0)) {
			src = i;
			break;
		}
	if (src < 0) {
		S_warn(st, d, t->start, bb_xasprintf("{%% %.*s %%} names no image: its arguments are kept as text",
			(int)t->nl, t->name));
		S_emit(st, d, t->start, t->markup, t->ml, 0);
		S_words_free(w, n);
		return;
	}
	/* the words after the source that are not sizes or options: the title */
	for (i = src + 1; i < n; i++) {
		const char *p = w[i];
		size_t k = 0;
		while (p[k] && S_isdigit((unsigned char)p[k]))
			k++;
		if ((k > 0 && (!p[k] || strcmp(p + k, "px") == 0 || strcmp(p + k, "%") == 0)) || p[0] == '-' || strchr(p, '='))
			continue;
		if (strncmp(p, "caption:", 8) == 0 || strncmp(p, "class:", 6) == 0)
			continue;
		if (title.len)
			bb_buf_putc(&title, ' ');
		bb_buf_puts(&title, p);
	}
	bb_buf_put(&title, "", 0);
	/* Octopress: img [class] src [w [h]] ["title" ["alt"]] */
	{
		const char *m = t->markup, *e = t->markup + t->ml, *q1;
		size_t at = S_memmem(m, t->ml, w[src], strlen(w[src]));
		int nq = 0;
		if (at != S_NOPOS)
			m += at + strlen(w[src]);
		while (m < e && nq < 2 && (q1 = memchr(m, '"', (size_t)(e - m))) != NULL) {
			const char *q2 = memchr(q1 + 1, '"', (size_t)(e - q1 - 1));
			if (!q2 || (q1 > t->markup && q1[-1] == '='))
				break;
			if (nq == 0) {
				bb_buf_reset(&title);
				bb_buf_put(&title, q1 + 1, (size_t)(q2 - q1 - 1));
				bb_buf_put(&title, "", 0);
			} else {
				bb_buf_reset(&quoted_alt);
				bb_buf_put(&quoted_alt, q1 + 1, (size_t)(q2 - q1 - 1));
				bb_buf_put(&quoted_alt, "", 0);
			}
			nq++;
			m = q2 + 1;
		}
	}
	tt = S_opt(w, n, "title");
	if (!tt)
		tt = S_opt(w, n, "caption");
	if (!tt)
		tt = title.data;
	alt = S_opt(w, n, "alt");
	if (!alt && quoted_alt.len)
		alt = quoted_alt.data;
	if (!alt)
		alt = tt;
	if (caption_body)
		bb_buf_puts(&b, caption_body);
	bb_buf_puts(&b, "![");
	S_put_label(&b, alt);
	bb_buf_puts(&b, "](");
	S_put_dest(&b, w[src]);
	if (*tt) {
		const char *p;
		bb_buf_puts(&b, " \"");
		for (p = tt; *p; p++) {
			if (*p == '"' || *p == '\\')
				bb_buf_putc(&b, '\\');
			bb_buf_putc(&b, *p);
		}
		bb_buf_putc(&b, '"');
	}
	bb_buf_putc(&b, ')');
	S_emit(st, d, t->start, b.data, b.len, 0);
	bb_buf_free(&b);
	bb_buf_free(&title);
	bb_buf_free(&quoted_alt);
	S_words_free(w, n);
}

/* gist, youtube, vimeo, tweet, video: a link. */
static void
S_media_link(S_state *st, S_doc *d, const S_tok *t)
{
	char *w[8];
	int n = S_words(t->markup, t->ml, w, 8), i = 0;
	bb_buf url = BB_BUF_INIT, b = BB_BUF_INIT, lab = BB_BUF_INIT;
	const char *id;
	if (t->op == OP_VIDEO)
		while (i < n && !S_looks_path(w[i]))
			i++;
	if (i >= n) {
		S_warn(st, d, t->start, bb_xasprintf("{%% %.*s %%} without an argument removed", (int)t->nl, t->name));
		S_words_free(w, n);
		return;
	}
	id = w[i];
	if (strstr(id, "://")) {
		bb_buf_puts(&url, id);
	} else {
		switch (t->op) {
		case OP_GIST: bb_buf_puts(&url, "https://gist.github.com/"); break;
		case OP_YOUTUBE: bb_buf_puts(&url, "https://www.youtube.com/watch?v="); break;
		case OP_VIMEO: bb_buf_puts(&url, "https://vimeo.com/"); break;
		case OP_TWEET: bb_buf_puts(&url, "https://twitter.com/i/status/"); break;
		default: break;
		}
		S_percent(&url, id, strlen(id), "/", 0);
	}
	bb_buf_put(&url, "", 0);
	switch (t->op) {
	case OP_GIST:
		bb_buf_printf(&lab, "Gist %s%s%s", id, n > 1 ? " " : "", n > 1 ? w[1] : "");
		break;
	case OP_YOUTUBE:
		bb_buf_printf(&lab, "YouTube video %s", id);
		break;
	case OP_VIMEO:
		bb_buf_printf(&lab, "Vimeo video %s", id);
		break;
	case OP_TWEET:
		bb_buf_printf(&lab, "Tweet %s", id);
		break;
	default:
		bb_buf_printf(&lab, "Video %s", id);
		break;
	}
	bb_buf_putc(&b, '[');
	S_put_label(&b, lab.data);
	bb_buf_puts(&b, "](");
	S_put_dest(&b, url.data);
	bb_buf_putc(&b, ')');
	S_emit(st, d, t->start, b.data, b.len, 0);
	bb_buf_free(&b);
	bb_buf_free(&lab);
	bb_buf_free(&url);
	S_words_free(w, n);
}

/* A footnote: a reference here, its text kept for the footnotes' place. */
static void
S_footnote(S_state *st, S_doc *d, const S_tok *t, const char *text, size_t n)
{
	char ref[48];
	size_t i;
	S_trim(&text, &n);
	if (n >= 2 && (text[0] == '"' || text[0] == '\'') && text[n - 1] == text[0])
		text++, n -= 2;
	if (n == 0) {
		S_warn(st, d, t->start, bb_xasprintf("{%% %.*s %%} without text removed", (int)t->nl, t->name));
		return;
	}
	st->fn_count++;
	snprintf(ref, sizeof ref, "[^liquid-fn-%u]", st->fn_count);
	S_emit(st, d, t->start, ref, strlen(ref), 0);
	bb_buf_printf(&st->fndefs, "\n%s: ", ref);
	for (i = 0; i < n; i++) {
		if (text[i] == '\r')
			continue;
		bb_buf_putc(&st->fndefs, text[i]);
		if (text[i] == '\n')
			bb_buf_puts(&st->fndefs, "    ");
	}
	bb_buf_putc(&st->fndefs, '\n');
}

static void
S_place_footnotes(S_state *st, S_doc *d, size_t at)
{
	if (!st->fndefs.len)
		return;
	S_emit(st, d, at, "\n", 1, 0);
	S_emit(st, d, at, st->fndefs.data, st->fndefs.len, 0);
	bb_buf_reset(&st->fndefs);
}

/* Lines of body, each after "> ". */
static void
S_quote_lines(bb_buf *b, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) : n;
		bb_buf_puts(b, e > i ? "> " : ">");
		bb_buf_put(b, s + i, e - i);
		bb_buf_putc(b, '\n');
		i = e + 1;
	}
}

/* ---- includes ---- */

static S_doc *
S_doc_new(const char *text, size_t len)
{
	S_doc *d = bb_xcalloc(1, sizeof *d);
	d->text = text;
	d->len = len;
	d->lc_line = 1;
	d->tag_from = d->tag_end = d->var_from = d->var_end = S_NOPOS;
	return d;
}

static void
S_doc_free(S_doc *d)
{
	if (!d)
		return;
	free(d->t);
	free(d->name);
	free(d->own);
	free(d);
}

/* {% include NAME key=value ... %} */
static void
S_include(S_state *st, S_doc *d, S_tok *t, int rel)
{
	const char *s = t->markup, *e = t->markup + t->ml;
	char *name = NULL;
	S_doc *inc = NULL;
	S_val params = S_NIL;
	S_ectx x;
	size_t i;

	S_ectx_init(&x, st, d, t);
	if (s < e && s + 1 < e && s[0] == '{' && s[1] == '{') {
		const char *q = S_memmem(s, (size_t)(e - s), "}}", 2) != S_NOPOS ? s + S_memmem(s, (size_t)(e - s), "}}", 2) : e;
		S_val v;
		bb_buf b = BB_BUF_INIT;
		if (S_eval_filtered(&x, s + 2, (size_t)(q - s - 2), &v) >= 0)
			name = bb_xstrdup(S_text(&v, &b));
		S_drop(&v);
		bb_buf_free(&b);
		s = q + (q < e ? 2 : 0);
	} else {
		const char *b = s;
		while (s < e && !S_isspace((unsigned char)*s))
			s++;
		name = bb_xstrndup(b, (size_t)(s - b));
		if (strlen(name) >= 2 && (name[0] == '"' || name[0] == '\'') && name[strlen(name) - 1] == name[0]) {
			memmove(name, name + 1, strlen(name) - 2);
			name[strlen(name) - 2] = '\0';
		}
	}
	if (!name || !*name) {
		S_warn(st, d, t->start, bb_xstrdup("{% include %} without a file name removed"));
		goto out;
	}
	if (st->inc_depth >= S_INCLUDE_DEPTH) {
		S_warn(st, d, t->start, bb_xasprintf("{%% include %s %%} nested over %d deep (an include that includes itself?): not included",
			name, S_INCLUDE_DEPTH));
		goto out;
	}
	if (st->inc_count >= S_INCLUDE_MAX) {
		if (st->inc_count++ == S_INCLUDE_MAX)
			S_warn(st, d, t->start, bb_xasprintf("more than %d includes in one text: the rest are not included", S_INCLUDE_MAX));
		goto out;
	}
	st->inc_count++;
	/* parameters: key=value, the value a literal or a variable */
	params = S_map_new();
	while (s < e) {
		const char *k;
		size_t kl;
		S_cur c;
		S_val v;
		while (s < e && S_isspace((unsigned char)*s))
			s++;
		k = s;
		while (s < e && S_idchar((unsigned char)*s))
			s++;
		kl = (size_t)(s - k);
		while (s < e && S_isspace((unsigned char)*s))
			s++;
		if (kl == 0 || s >= e || *s != '=') {
			if (s < e)
				s++;
			continue;
		}
		c.p = s + 1;
		c.e = e;
		if (S_primary(&x, &c, &v) < 0)
			break;
		s = c.p;
		{
			char *key = bb_xstrndup(k, kl);
			S_map_set(&params, key, v);
			free(key);
		}
	}
	if (d == st->top)
		st->inc_at = t->start;
	for (i = 0; i < st->ninc; i++)
		if (strcmp(st->incs[i]->name, name) == 0 && st->incs[i]->rel == rel)
			inc = st->incs[i];
	if (!inc) {
		size_t len = 0;
		char *(*rd)(void *, const char *, size_t *) = !st->env ? NULL : rel ? st->env->read_relative : st->env->read_include;
		char *text = rd ? rd(st->ctx ? st->ctx->ud : NULL, name, &len) : NULL;
		if (!text) {
			S_warn(st, d, t->start, rel ? bb_xasprintf("{%% include_relative %s %%}: no such file beside the post; removed", name)
				: bb_xasprintf("{%% include %s %%}: no such file in _includes; removed", name));
			goto out;
		}
		inc = S_doc_new(text, len);
		inc->own = text;
		inc->name = bb_xstrdup(name);
		inc->rel = rel;
		S_tokenize(st, inc);
		S_parse(st, inc);
		if (st->ninc < sizeof st->incs / sizeof st->incs[0]) {
			st->incs[st->ninc++] = inc;
		} else {
			/* not cached: freed after this run */
			S_push_local(st, "include", 7, params);
			params = S_NIL;
			st->inc_depth++;
			S_run(st, inc, 0, inc->n);
			st->inc_depth--;
			S_pop_local(st);
			S_doc_free(inc);
			goto out;
		}
	}
	S_push_local(st, "include", 7, params);
	params = S_NIL;
	st->inc_depth++;
	S_run(st, inc, 0, inc->n);
	st->inc_depth--;
	st->jump = 0;
	S_pop_local(st);
out:
	S_drop(&params);
	free(name);
}

/* ---- tags ---- */

/* A for loop's options after its collection: reversed, limit: n, offset: n. */
static void
S_for_options(S_ectx *x, S_cur *c, int *reversed, long long *offset, long long *limit)
{
	S_val lim, off;
	while (c->p < c->e) {
		S_ws(c);
		if (c->e - c->p >= 8 && memcmp(c->p, "reversed", 8) == 0) {
			*reversed = 1;
			c->p += 8;
		} else if (c->e - c->p >= 6 && memcmp(c->p, "limit:", 6) == 0) {
			c->p += 6;
			if (S_primary(x, c, &lim) == 0) {
				*limit = S_toint(&lim);
				S_drop(&lim);
			}
		} else if (c->e - c->p >= 7 && memcmp(c->p, "offset:", 7) == 0) {
			c->p += 7;
			if (S_primary(x, c, &off) == 0) {
				*offset = S_toint(&off);
				S_drop(&off);
			}
		} else if (c->p < c->e) {
			c->p++;
		}
	}
}

/* The forloop map at step k of len: one per loop, changed in place while
 * only the loop holds it. */
static void
S_forloop(S_val *forloop, size_t k, size_t len)
{
	if (!forloop->o || forloop->o->rc > 1) {
		S_drop(forloop);
		*forloop = S_map_new();
		S_map_set(forloop, "index", S_int(0));
		S_map_set(forloop, "index0", S_int(0));
		S_map_set(forloop, "rindex", S_int(0));
		S_map_set(forloop, "rindex0", S_int(0));
		S_map_set(forloop, "first", S_bool(0));
		S_map_set(forloop, "last", S_bool(0));
		S_map_set(forloop, "length", S_int((long long)len));
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
S_for(S_state *st, S_doc *d, size_t i)
{
	S_tok *t = &d->t[i];
	const char *s = t->markup, *e = t->markup + t->ml, *var;
	size_t vl, len, k, else_i = t->next_i, body_end;
	S_cur c;
	S_val coll = S_NIL, forloop = S_NIL;
	S_ectx x;
	long long offset = 0, limit = -1;
	int reversed = 0;

	body_end = else_i != S_NOPOS ? else_i : t->end_i;
	S_ectx_init(&x, st, d, t);
	var = s;
	while (s < e && S_idchar((unsigned char)*s))
		s++;
	vl = (size_t)(s - var);
	while (s < e && S_isspace((unsigned char)*s))
		s++;
	if (vl == 0 || e - s < 2 || s[0] != 'i' || s[1] != 'n') {
		S_warn(st, d, t->start, bb_xasprintf("{%% for %.*s %%} cannot be read: its body is kept once",
			(int)(t->ml > 60 ? 60 : t->ml), t->markup));
		S_run(st, d, i + 1, body_end);
		return;
	}
	c.p = s + 2;
	c.e = e;
	if (S_primary(&x, &c, &coll) < 0) {
		S_warn(st, d, t->start, bb_xasprintf("{%% for %.*s %%}: the collection cannot be read; the loop is skipped",
			(int)(t->ml > 60 ? 60 : t->ml), t->markup));
		return;
	}
	S_for_options(&x, &c, &reversed, &offset, &limit);
	if (coll.t == V_STR) {
		/* Liquid 4 loops once over a string */
		S_val a = S_arr_new();
		if (coll.o->n)
			S_push(&a, S_ref(&coll));
		S_drop(&coll);
		coll = a;
	}
	len = S_len(&coll);
	if (offset < 0)
		offset = 0;
	if ((size_t)offset > len)
		offset = (long long)len;
	len -= (size_t)offset;
	if (limit >= 0 && (size_t)limit < len)
		len = (size_t)limit;
	if (len == 0) {
		if (else_i != S_NOPOS)
			S_run(st, d, else_i + 1, t->end_i);
		S_drop(&coll);
		return;
	}
	for (k = 0; k < len && !st->halt; k++) {
		size_t idx = (size_t)offset + (reversed ? len - 1 - k : k);
		S_val item, fl;
		if (st->iters >= S_ITER_MAX) {
			if (!st->iters_warned)
				S_warn(st, d, t->start, bb_xasprintf("Liquid loops ran %d times in this text: this loop and later ones stop here",
					S_ITER_MAX));
			st->iters_warned = 1;
			break;
		}
		st->iters++;
		item = S_at(&coll, idx);
		S_forloop(&forloop, k, len);
		fl = S_ref(&forloop);
		S_push_local(st, "forloop", 7, fl);
		S_push_local(st, var, vl, item);
		st->in_loop++;
		S_run(st, d, i + 1, body_end);
		st->in_loop--;
		S_pop_local(st);
		S_pop_local(st);
		if (st->jump == 1) {
			st->jump = 0;
			break;
		}
		st->jump = 0;
	}
	S_drop(&forloop);
	S_drop(&coll);
}

/* if / unless: the first clause whose condition holds. */
static void
S_if(S_state *st, S_doc *d, size_t i)
{
	size_t c = i;
	while (c != S_NOPOS && c < d->n && c != d->t[i].end_i) {
		S_tok *ct = &d->t[c];
		int r = 1;
		if (ct->op == OP_IF || ct->op == OP_UNLESS || ct->op == OP_ELSIF) {
			S_ectx x;
			S_ectx_init(&x, st, d, ct);
			r = S_condition(&x, ct->markup, ct->ml);
			if (r < 0) {
				if (!(ct->warned & 8))
					S_warn(st, d, ct->start, bb_xasprintf("Liquid condition '%.*s' cannot be read: taken as false",
						(int)(ct->ml > 60 ? 60 : ct->ml), ct->markup));
				ct->warned |= 8;
				r = 0;
			} else if (ct->op == OP_UNLESS) {
				r = !r;
			}
		}
		if (r) {
			S_run(st, d, c + 1, S_body_end(d, i, c));
			return;
		}
		c = ct->next_i;
	}
}

static void
S_case(S_state *st, S_doc *d, size_t i)
{
	S_tok *t = &d->t[i];
	S_ectx x;
	S_val v;
	S_cur c0;
	size_t c = t->next_i;
	int matched = 0;
	S_ectx_init(&x, st, d, t);
	c0.p = t->markup;
	c0.e = t->markup + t->ml;
	if (S_primary(&x, &c0, &v) < 0)
		v = S_NIL;
	for (; c != S_NOPOS && c < d->n && c != t->end_i; c = d->t[c].next_i) {
		S_tok *ct = &d->t[c];
		if (ct->op == OP_WHEN) {
			/* values separated by , or "or" */
			S_cur cc;
			int hit = 0;
			cc.p = ct->markup;
			cc.e = ct->markup + ct->ml;
			S_ectx_init(&x, st, d, ct);
			while (cc.p < cc.e) {
				S_val w;
				S_ws(&cc);
				if (S_primary(&x, &cc, &w) < 0)
					break;
				if (S_equal(&v, &w))
					hit = 1;
				S_drop(&w);
				S_ws(&cc);
				if (cc.p < cc.e && *cc.p == ',')
					cc.p++;
				else if (cc.e - cc.p >= 3 && memcmp(cc.p, "or", 2) == 0 && S_isspace((unsigned char)cc.p[2]))
					cc.p += 2;
				else
					break;
			}
			if (hit) {
				matched = 1;
				S_run(st, d, c + 1, S_body_end(d, i, c));
				if (st->jump || st->halt)
					break;
			}
		} else if (ct->op == OP_ELSE && !matched) {
			S_run(st, d, c + 1, S_body_end(d, i, c));
		}
	}
	S_drop(&v);
}

/* {% highlight lang %} and {% codeblock [title] [lang:x] %}: a fenced code
 * block of what the body gives. */
static void
S_code(S_state *st, S_doc *d, size_t i, size_t end, size_t after)
{
	S_tok *t = &d->t[i];
	size_t bs = st->out->len;
	char *lang;
	if (t->op == OP_HIGHLIGHT) {
		lang = S_lang(st, d, t, t->markup, t->ml, 1);
	} else {
		char *w[8];
		int n = S_words(t->markup, t->ml, w, 8), k;
		const char *l = NULL;
		for (k = 0; k < n && !l; k++)
			if (strncmp(w[k], "lang:", 5) == 0)
				l = w[k] + 5;
		if (!l && n > 0 && strrchr(w[0], '.') && !strstr(w[0], "://"))
			l = strrchr(w[0], '.') + 1;
		lang = S_lang(st, d, t, l ? l : "", l ? strlen(l) : 0, 0);
		S_words_free(w, n);
	}
	S_run(st, d, i + 1, end);
	st->jump = 0;
	if (bs <= st->out->len)
		S_fence(st, bs, lang, t->own_end ? S_eol_after(d, after) : 1);
	free(lang);
}

/* Octopress's {% blockquote [author] [link] [title] %}: a quote with its
 * attribution line. */
static void
S_blockquote(S_state *st, S_doc *d, S_tok *t, const bb_buf *body)
{
	bb_buf q = BB_BUF_INIT;
	char *w[32];
	int n = S_words(t->markup, t->ml, w, 32), k, link = -1;
	const char *s;
	size_t bn;
	s = body->data;
	bn = body->len;
	S_trim(&s, &bn);
	for (k = 0; k < n; k++)
		if (strncmp(w[k], "http://", 7) == 0 || strncmp(w[k], "https://", 8) == 0) {
			link = k;
			break;
		}
	bb_buf_puts(&q, "\n\n");
	S_quote_lines(&q, s, bn);
	if (n > 0 && link != 0) {
		bb_buf_puts(&q, ">\n> \xE2\x80\x94 ");
		for (k = 0; k < (link < 0 ? n : link); k++) {
			if (k)
				bb_buf_putc(&q, ' ');
			bb_buf_puts(&q, w[k]);
		}
		bb_buf_putc(&q, '\n');
	}
	if (link >= 0) {
		bb_buf_puts(&q, n > 0 && link != 0 ? "> " : ">\n> \xE2\x80\x94 ");
		bb_buf_putc(&q, '[');
		if (link + 1 < n) {
			for (k = link + 1; k < n; k++) {
				if (k > link + 1)
					bb_buf_putc(&q, ' ');
				S_put_label(&q, w[k]);
			}
		} else {
			S_put_label(&q, w[link]);
		}
		bb_buf_puts(&q, "](");
		S_put_dest(&q, w[link]);
		bb_buf_puts(&q, ")\n");
	}
	bb_buf_putc(&q, '\n');
	S_emit(st, d, t->start, q.data, q.len, 0);
	bb_buf_free(&q);
	S_words_free(w, n);
}

/* Octopress's {% pullquote %}: the body without its {" "} marks. */
static void
S_pullquote(S_state *st, S_doc *d, S_tok *t, const bb_buf *body)
{
	size_t k;
	bb_buf q = BB_BUF_INIT;
	for (k = 0; k < body->len; k++) {
		if ((body->data[k] == '{' && k + 1 < body->len && body->data[k + 1] == '"') ||
		    (body->data[k] == '"' && k + 1 < body->len && body->data[k + 1] == '}')) {
			k++;
			continue;
		}
		bb_buf_putc(&q, body->data[k]);
	}
	S_emit(st, d, t->start, q.data, q.len, 0);
	bb_buf_free(&q);
}

/* Runs the block tag at i; returns the index after it. */
static size_t
S_block(S_state *st, S_doc *d, size_t i)
{
	S_tok *t = &d->t[i];
	size_t after = S_after(d, i), end = t->end_i;
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
		S_run_into(st, d, i + 1, end, &body);
		if (nl == 0)
			S_warn(st, d, t->start, bb_xstrdup("{% capture %} without a name: its body is dropped"));
		else
			S_set_global(st, d, t->start, nm, nl, S_str_buf(&body));
		break;
	}
	case OP_HIGHLIGHT:
	case OP_CODEBLOCK:
		S_code(st, d, i, end, after);
		break;
	case OP_FN:
		S_run_into(st, d, i + 1, end, &body);
		S_footnote(st, d, t, body.data, body.len);
		break;
	case OP_FIGURE: {
		bb_buf cap = BB_BUF_INIT;
		char *w[16];
		int n = S_words(t->markup, t->ml, w, 16);
		const char *c = S_opt(w, n, "caption");
		S_run_into(st, d, i + 1, end, &body);
		bb_buf_put(&cap, body.data, body.len);
		if (c && *c)
			bb_buf_printf(&cap, "\n\n%s\n", c);
		S_emit(st, d, t->start, cap.data, cap.len, 0);
		bb_buf_free(&cap);
		S_words_free(w, n);
		break;
	}
	case OP_MATH:
	case OP_M: {
		/* display and inline math alike: kramdown's inline math is $$
		 * inside a paragraph too (mathscan.h, BB_MATHSCAN_KRAMDOWN) */
		const char *s;
		size_t n;
		S_run_into(st, d, i + 1, end, &body);
		s = body.data;
		n = body.len;
		S_trim(&s, &n);
		S_emit(st, d, t->start, "$$", 2, 0);
		S_emit(st, d, t->start, s, n, 0);
		S_emit(st, d, t->start, "$$", 2, 0);
		break;
	}
	case OP_BLOCKQUOTE:
		S_run_into(st, d, i + 1, end, &body);
		S_blockquote(st, d, t, &body);
		break;
	case OP_PULLQUOTE:
		S_run_into(st, d, i + 1, end, &body);
		S_pullquote(st, d, t, &body);
		break;
	default:
		/* a block blogbind does not know: its arguments and body stay */
		if (!(t->warned & 16))
			S_warn(st, d, t->start, bb_xasprintf("Liquid block '%.*s' is not known: its arguments and body are kept as text",
				(int)(t->nl > 40 ? 40 : t->nl), t->name));
		t->warned |= 16;
		if (t->ml) {
			bb_buf a = BB_BUF_INIT;
			S_plain_args(t, &a);
			S_emit(st, d, t->start, a.data, a.len, 0);
			bb_buf_free(&a);
		}
		S_run(st, d, i + 1, end);
		break;
	}
	bb_buf_free(&body);
	return after;
}

/* Shortcode arguments as Eleventy's Nunjucks and Liquid shortcodes take
 * them: only quoted strings, apart by commas or spaces ("Name", "https://x").
 * Returns how many (at most max, each in out[], caller frees), 0 when the
 * markup is anything else. */
static int
S_quoted_args(const char *s, const char *e, char **out, int max)
{
	int n = 0;
	while (s < e) {
		const char *q;
		while (s < e && (S_isspace((unsigned char)*s) || *s == ','))
			s++;
		if (s >= e)
			break;
		if ((*s != '"' && *s != '\'') || n == max || !(q = memchr(s + 1, *s, (size_t)(e - s - 1))))
			goto fail;
		out[n++] = bb_xstrndup(s + 1, (size_t)(q - s - 1));
		s = q + 1;
		if (s < e && !S_isspace((unsigned char)*s) && *s != ',')
			goto fail;
	}
	return n;
fail:
	while (n > 0)
		free(out[--n]);
	return 0;
}

/* An unknown shortcode's quoted arguments as text: a text and an address
 * (absolute, or a path of the site) make a link, else the texts stand
 * apart by spaces. */
static void
S_shortcode_args(char **a, int n, bb_buf *out)
{
	int i, url = -1;
	for (i = 0; i < n; i++)
		if ((strncmp(a[i], "https://", 8) == 0 || strncmp(a[i], "http://", 7) == 0 || a[i][0] == '/') &&
		    !strpbrk(a[i], " \t\n\"<>") && url < 0)
			url = i;
	if (url >= 0 && n > 1) {
		bb_buf_puts(out, "<a href=\"");
		bb_buf_put_xml(out, a[url], strlen(a[url]));
		bb_buf_puts(out, "\">");
	}
	for (i = 0; i < n; i++)
		if (i != url || n == 1) {
			if (i > (url == 0 ? 1 : 0))
				bb_buf_putc(out, ' ');
			bb_buf_put_xml(out, a[i], strlen(a[i]));
		}
	if (url >= 0 && n > 1)
		bb_buf_puts(out, "</a>");
}

/* An unknown tag's arguments as text: command-line options ("--file x",
 * "--cited") are the plugin's, not the reader's, and go; a citation key
 * (jekyll-scholar's cite) is shown in brackets. */
static void
S_plain_args(const S_tok *t, bb_buf *out)
{
	const char *s = t->markup, *e = t->markup + t->ml;
	size_t start = out->len;
	int cite = S_eq(t->name, t->nl, "cite") || S_eq(t->name, t->nl, "citation");
	char *q[8];
	int nq = cite ? 0 : S_quoted_args(s, e, q, 8);
	bb_buf_put(out, "", 0);
	if (nq > 0) {
		S_shortcode_args(q, nq, out);
		while (nq > 0)
			free(q[--nq]);
		return;
	}
	while (s < e) {
		const char *w = s;
		while (s < e && !S_isspace((unsigned char)*s))
			s++;
		if (s - w > 2 && w[0] == '-' && w[1] == '-' && S_isalpha((unsigned char)w[2])) {
			/* an option and its value (a word not itself an option) */
			const char *v = s;
			while (v < e && S_isspace((unsigned char)*v))
				v++;
			if (!memchr(w, '=', (size_t)(s - w)) && v < e && *v != '-') {
				while (v < e && !S_isspace((unsigned char)*v))
					v++;
				s = v;
			}
		} else {
			if (out->len > start)
				bb_buf_putc(out, ' ');
			bb_buf_put(out, w, (size_t)(s - w));
		}
		while (s < e && S_isspace((unsigned char)*s))
			s++;
	}
	if (cite && out->len > start) {
		char *k = bb_xstrndup(out->data + start, out->len - start);
		S_truncate(out, start);
		bb_buf_printf(out, "[%s]", k);
		free(k);
	}
}

/* {% increment name %} and {% decrement name %}: counters apart from the
 * variables, as Liquid keeps them. */
static void
S_counter(S_state *st, S_doc *d, S_tok *t)
{
	S_val v;
	const char *nm = t->markup;
	size_t nl = t->ml;
	S_var *c = S_find_var(st->counters, st->ncounters, nm, nl);
	long long now;
	if (!c) {
		if (st->ncounters >= 1000)
			return;
		st->counters = bb_xrealloc(st->counters, (st->ncounters + 1) * sizeof *st->counters);
		c = &st->counters[st->ncounters++];
		c->name = bb_xstrndup(nm, nl);
		c->v = S_int(0);
	}
	if (t->op == OP_INCREMENT) {
		now = c->v.i++;
	} else {
		now = --c->v.i;
	}
	v = S_int(now);
	S_write_val(st, d, t->start, &v);
}

/* {% cycle [group:] a, b %}: the next of its values. */
static void
S_cycle(S_ectx *x, S_state *st, S_doc *d, S_tok *t)
{
	S_args a;
	size_t k = S_span(t->markup, t->ml, ':');
	const char *s = t->markup;
	size_t n = t->ml;
	/* "group: a, b" names a group; the values follow */
	if (k < n && S_span(t->markup, k, ',') == k)
		s += k + 1, n -= k + 1;
	memset(&a, 0, sizeof a);
	S_read_args(x, s, n, &a);
	if (a.n > 0)
		S_write_val(st, d, t->start, &a.v[t->cycle++ % (unsigned long)a.n]);
	S_args_free(&a);
}

/* Runs the simple tag t. prefix as for S_output. */
static void
S_simple(S_state *st, S_doc *d, S_tok *t, size_t prefix)
{
	S_ectx x;
	S_val v;
	S_ectx_init(&x, st, d, t);
	switch (t->op) {
	case OP_NOOP:
	case OP_IGNORED:
	case OP_END:
		return;
	case OP_ASSIGN: {
		const char *s = t->markup, *nm;
		size_t n = t->ml, k = S_span(s, n, '='), nl;
		nm = s;
		nl = k;
		S_trim(&nm, &nl);
		if (k >= n || nl == 0 || S_eval_filtered(&x, s + k + 1, n - k - 1, &v) < 0) {
			S_warn(st, d, t->start, bb_xasprintf("{%% assign %.*s %%} cannot be read: removed",
				(int)(n > 60 ? 60 : n), s));
			return;
		}
		S_set_global(st, d, t->start, nm, nl, v);
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
		S_tok vt = *t;
		vt.kind = T_VAR;
		S_output(st, d, &vt, prefix);
		t->warned |= vt.warned;
		return;
	}
	case OP_INCLUDE:
	case OP_INCLUDE_REL:
		S_include(st, d, t, t->op == OP_INCLUDE_REL);
		return;
	case OP_POST_URL:
		S_resolve(st, d, t, "post_url", prefix);
		return;
	case OP_LINK:
		if (!S_hexo_tag(st, d, t))
			S_resolve(st, d, t, "link", prefix);
		return;
	case OP_IFRAME:
	case OP_JSFIDDLE:
	case OP_POST_PATH:
	case OP_ASSET_PATH:
		S_hexo_tag(st, d, t);
		return;
	case OP_FN:
		S_footnote(st, d, t, t->markup, t->ml);
		return;
	case OP_FOOTNOTES:
		st->fn_placed = 1;
		S_place_footnotes(st, d, t->start);
		return;
	case OP_GIST:
	case OP_YOUTUBE:
	case OP_VIMEO:
	case OP_TWEET:
	case OP_VIDEO:
		S_media_link(st, d, t);
		return;
	case OP_IMG:
	case OP_FIGURE:
		S_image(st, d, t, NULL);
		return;
	case OP_POST_LINK:
	case OP_ASSET_LINK:
		S_hexo_link(st, d, t, t->op == OP_POST_LINK);
		return;
	default:
		break;
	}
	if (t->nl >= 7 && t->ml && strncasecmp(t->name, "youtube", 7) == 0) {
		/* a site's own YouTube shortcode (Eleventy's youtubeEmbed): the
		 * video's link, as for the youtube tag */
		S_tok u = *t;
		S_warn(st, d, t->start, bb_xasprintf("Liquid tag '%.*s' is not known: read as a link to the YouTube video",
			(int)(t->nl > 40 ? 40 : t->nl), t->name));
		u.op = OP_YOUTUBE;
		S_media_link(st, d, &u);
		return;
	}
	if (t->nl == 0) {
		S_warn(st, d, t->start, bb_xstrdup("Liquid tag without a name removed"));
	} else if (!(t->warned & 16)) {
		t->warned |= 16;
		if (t->ml)
			S_warn(st, d, t->start, bb_xasprintf("Liquid tag '%.*s' is not known: its arguments are kept as text",
				(int)(t->nl > 40 ? 40 : t->nl), t->name));
		else
			S_warn(st, d, t->start, bb_xasprintf("Liquid tag '%.*s' is not known and has no arguments: removed",
				(int)(t->nl > 40 ? 40 : t->nl), t->name));
	}
	if (t->nl && t->ml) {
		bb_buf a = BB_BUF_INIT;
		S_plain_args(t, &a);
		S_emit(st, d, t->start, a.data, a.len, 0);
		bb_buf_free(&a);
	}
}

/* The markup of t with each {{ expr }} in it replaced by its value. */
static void
S_expand(S_state *st, S_doc *d, S_tok *t, bb_buf *out)
{
	const char *s = t->markup, *e = t->markup + t->ml;
	bb_buf_put(out, "", 0);
	while (s < e) {
		size_t k = S_memmem(s, (size_t)(e - s), "{{", 2), c;
		S_ectx x;
		S_val v;
		if (k == S_NOPOS) {
			bb_buf_put(out, s, (size_t)(e - s));
			break;
		}
		bb_buf_put(out, s, k);
		s += k + 2;
		c = S_memmem(s, (size_t)(e - s), "}}", 2);
		if (c == S_NOPOS) {
			bb_buf_puts(out, "{{");
			continue;
		}
		S_ectx_init(&x, st, d, t);
		if (S_eval_filtered(&x, s, c, &v) >= 0) {
			if (x.undef && v.t == V_NIL)
				S_warn_undef(&x);
			S_tostr(&v, out, 0);
		}
		S_drop(&v);
		s += c + 2;
	}
}

static void
S_run(S_state *st, S_doc *d, size_t i0, size_t i1)
{
	size_t i = i0;
	if (i1 > d->n)
		i1 = d->n;
	int top;
	st->depth++;
	/* the post's own run: past a bound its text still goes out */
	top = d == st->top && st->depth == 1 && st->out == &st->main;
	while (i < i1 && !st->jump && (!st->halt || top)) {
		S_tok *t = &d->t[i];
		size_t prefix = st->url_prefix;
		if (st->halt) {
			if (t->kind == T_TEXT)
				bb_buf_put(st->out, t->s, t->n);
			i = t->kind == T_TAG && t->block ? S_after(d, i) : i + 1;
			continue;
		}
		if (t->kind == T_TEXT) {
			S_emit(st, d, t->start, t->s, t->n, d == st->top && st->in_loop == 0 && st->out == &st->main);
			st->url_prefix = S_NOPOS;
			i++;
			continue;
		}
		st->url_prefix = S_NOPOS;
		if (t->kind == T_VAR) {
			S_output(st, d, t, prefix);
			i++;
		} else {
			/* {{ }} in the arguments of Jekyll's and plugins' tags is
			 * expanded first, as Jekyll does for include and link */
			const char *mk = t->markup;
			size_t ml = t->ml;
			bb_buf ex = BB_BUF_INIT;
			if ((t->op >= OP_INCLUDE || t->op == OP_UNKNOWN || t->op == OP_BLOCK) && ml > 3 &&
			    S_memmem(mk, ml, "{{", 2) != S_NOPOS) {
				S_expand(st, d, t, &ex);
				t->markup = ex.data;
				t->ml = ex.len;
			}
			if (t->block) {
				i = S_block(st, d, i);
			} else {
				S_simple(st, d, t, prefix);
				i++;
			}
			t->markup = mk;
			t->ml = ml;
			bb_buf_free(&ex);
		}
	}
	st->depth--;
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
	S_state st;
	S_doc *top;
	size_t i;
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
	memset(&st, 0, sizeof st);
	st.ctx = ctx;
	st.env = env;
	top = S_doc_new(text, len);
	st.top = top;
	st.out = &st.main;
	st.url_prefix = S_NOPOS;
	st.budget = len > (SIZE_MAX - (1u << 20)) / 8 ? SIZE_MAX / 2 : 4 * len + (1u << 20);
	bb_buf_grow(&st.main, len + len / 8 + 64);
	bb_buf_put(&st.main, "", 0);

	S_tokenize(&st, top);
	S_parse(&st, top);
	S_run(&st, top, 0, top->n);
	if (st.fndefs.len) {
		st.halt = 0;
		st.out = &st.main;
		S_emit(&st, top, 0, "\n", 1, 1);
		S_emit(&st, top, 0, st.fndefs.data, st.fndefs.len, 1);
	}

	for (i = 0; i < st.nglobals; i++) {
		free(st.globals[i].name);
		S_drop(&st.globals[i].v);
	}
	free(st.globals);
	while (st.nlocals > 0)
		S_pop_local(&st);
	free(st.locals);
	for (i = 0; i < st.ncounters; i++)
		free(st.counters[i].name);
	free(st.counters);
	for (i = 0; i < st.ninc; i++)
		S_doc_free(st.incs[i]);
	bb_buf_free(&st.fndefs);
	S_doc_free(top);
	return bb_buf_detach(&st.main, out_len);
}

char *
bb_liquid_render(const char *text, size_t len, const bb_liquid_ctx *ctx, size_t *out_len)
{
	return bb_liquid_render_env(text, len, ctx, NULL, out_len);
}

bb_liquid_tags *
bb_liquid_tags_new(void)
{
	return bb_xcalloc(1, sizeof(bb_liquid_tags));
}

void
bb_liquid_tags_free(bb_liquid_tags *t)
{
	size_t i;
	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t);
}

void
bb_liquid_tags_add(bb_liquid_tags *t, const char *name, int is_block)
{
	size_t i;
	if (!t || !name || !*name)
		return;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->names[i], name) == 0) {
			t->block[i] = is_block != 0;
			return;
		}
	if (t->n >= sizeof t->names / sizeof t->names[0])
		return;
	t->names[t->n] = bb_xstrdup(name);
	t->block[t->n++] = is_block != 0;
}

/* Whether text declares "class NAME < ...Block". */
static int
S_rb_is_block(const char *text, const char *cls)
{
	const char *p = text;
	size_t cl = strlen(cls);
	while ((p = strstr(p, "class ")) != NULL) {
		const char *q = p + 6;
		p = q;
		while (*q == ' ')
			q++;
		if (strncmp(q, cls, cl) != 0 || S_isword((unsigned char)q[cl]))
			continue;
		q += cl;
		while (*q == ' ')
			q++;
		if (*q != '<')
			continue;
		{
			const char *eol = strchr(q, '\n');
			size_t n = eol ? (size_t)(eol - q) : strlen(q);
			if (S_memmem(q, n, "Block", 5) != S_NOPOS)
				return 1;
		}
	}
	return 0;
}

int
bb_liquid_tags_scan_plugins(bb_liquid_tags *t, const char *dir)
{
	DIR *dh;
	struct dirent *e;
	bb_buf all = BB_BUF_INIT;
	int files = 0, found = 0;
	const char *p;
	if (!t || !dir || !(dh = opendir(dir)))
		return -1;
	while ((e = readdir(dh)) != NULL && files < 256) {
		size_t l = strlen(e->d_name);
		char *path, *data = NULL;
		size_t n = 0;
		if (l < 4 || strcmp(e->d_name + l - 3, ".rb") != 0 || e->d_name[0] == '.')
			continue;
		path = bb_xasprintf("%s/%s", dir, e->d_name);
		if (bb_read_file(path, 1u << 20, &data, &n) == 0 || data) {
			bb_buf_put(&all, data, strnlen(data, n));
			bb_buf_putc(&all, '\n');
			files++;
		}
		free(data);
		free(path);
	}
	closedir(dh);
	bb_buf_put(&all, "", 0);
	for (p = all.data; (p = strstr(p, "register_tag")) != NULL;) {
		const char *q = p + 12, *nb;
		char name[64], cls[128];
		size_t nl, cl;
		char quote;
		p = q;
		while (*q == ' ' || *q == '(' || *q == '\t')
			q++;
		if (*q == '"' || *q == '\'') {
			quote = *q++;
			nb = q;
			while (*q && *q != quote && *q != '\n')
				q++;
			if (*q != quote)
				continue;
			nl = (size_t)(q - nb);
			q++;
		} else if (*q == ':') {
			nb = ++q;
			while (S_isword((unsigned char)*q))
				q++;
			nl = (size_t)(q - nb);
		} else {
			continue;
		}
		if (nl == 0 || nl >= sizeof name)
			continue;
		memcpy(name, nb, nl);
		name[nl] = '\0';
		while (*q == ' ' || *q == ',' || *q == '\t')
			q++;
		/* the class, maybe with modules: keep its last part */
		cl = 0;
		while (S_isword((unsigned char)*q) || *q == ':') {
			if (*q == ':')
				cl = 0;
			else if (cl + 1 < sizeof cls)
				cls[cl++] = *q;
			q++;
		}
		cls[cl] = '\0';
		bb_liquid_tags_add(t, name, cl > 0 && S_rb_is_block(all.data, cls));
		found++;
	}
	bb_buf_free(&all);
	return found;
}

/* Reads dir/name, dir a real folder inside root_real; NULL unless the
 * file's real path lies inside under. */
static char *
S_read_inside(const char *dir, const char *name, const char *under, size_t *len)
{
	char *path = NULL, *rpath = NULL, *data = NULL;
	size_t ul = strlen(under);
	const char *p;
	*len = 0;
	if (!name || !*name || name[0] == '/' || strchr(name, '\\'))
		return NULL;
	for (p = name; *p;) {
		const char *s = strchr(p, '/');
		size_t n = s ? (size_t)(s - p) : strlen(p);
		if ((n == 2 && p[0] == '.' && p[1] == '.') || n == 0)
			return NULL;
		p += n + (s ? 1 : 0);
	}
	path = bb_xasprintf("%s/%s", dir, name);
	rpath = realpath(path, NULL);
	if (rpath && strncmp(rpath, under, ul) == 0 && rpath[ul] == '/' &&
	    bb_read_file(rpath, 1u << 20, &data, len) < 0) {
		free(data);
		data = NULL;
		*len = 0;
	}
	free(path);
	free(rpath);
	return data;
}

char *
bb_liquid_read_relative(const char *root_real, const char *post_path, const char *name, size_t *len)
{
	char *dir, *rdir, *r = NULL;
	const char *slash = post_path ? strrchr(post_path, '/') : NULL;
	*len = 0;
	if (!root_real || !post_path || post_path[0] == '/')
		return NULL;
	dir = slash ? bb_xasprintf("%s/%.*s", root_real, (int)(slash - post_path), post_path) : bb_xstrdup(root_real);
	rdir = realpath(dir, NULL);
	if (rdir && strncmp(rdir, root_real, strlen(root_real)) == 0 &&
	    (rdir[strlen(root_real)] == '/' || rdir[strlen(root_real)] == '\0'))
		r = S_read_inside(rdir, name, root_real, len);
	free(dir);
	free(rdir);
	return r;
}

char *
bb_liquid_read_include(const char *root_real, const char *name, size_t *len)
{
	char *dir = NULL, *path = NULL, *rdir = NULL, *rpath = NULL, *data = NULL;
	const char *p;
	size_t dl;
	*len = 0;
	if (!root_real || !name || !*name || name[0] == '/' || strchr(name, '\\'))
		return NULL;
	for (p = name; *p;) {
		const char *s = strchr(p, '/');
		size_t n = s ? (size_t)(s - p) : strlen(p);
		if ((n == 2 && p[0] == '.' && p[1] == '.') || n == 0)
			return NULL;
		p += n + (s ? 1 : 0);
	}
	dir = bb_xasprintf("%s/_includes", root_real);
	path = bb_xasprintf("%s/%s", dir, name);
	rdir = realpath(dir, NULL);
	rpath = realpath(path, NULL);
	if (!rdir || !rpath)
		goto out;
	dl = strlen(rdir);
	if (strncmp(rpath, rdir, dl) != 0 || rpath[dl] != '/')
		goto out;
	if (bb_read_file(rpath, 1u << 20, &data, len) < 0) {
		free(data);
		data = NULL;
		*len = 0;
	}
out:
	free(dir);
	free(path);
	free(rdir);
	free(rpath);
	return data;
}
