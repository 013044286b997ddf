/* liquid_impl.h: what the files of the Liquid engine share (liquid.c, the
 * driver; liquid_lex.c, _value.c, _expr.c, _filter.c, _array.c, _jekyll.c,
 * _tags.c, _plugin.c, _site.c). Private to them. */
#ifndef BB_LIQUID_IMPL_H
#define BB_LIQUID_IMPL_H

#include "liquid.h"
#include "util.h"

#include <stddef.h>
#include <string.h>

#define LQ_NOPOS ((size_t)-1)
/* Longest indentation copied before a closing fence. */
#define LQ_INDENT_MAX 64
/* Filters applied per output; more are ignored with a warning. */
#define LQ_FILTERS_MAX 32
#define LQ_ARGS_MAX 8
/* Loop iterations per render, in all loops together. */
#define LQ_ITER_MAX 100000
#define LQ_INCLUDE_DEPTH 10
#define LQ_INCLUDE_MAX 1000
#define LQ_NEST_MAX 100
/* Items an array built by a filter or a range may hold. */
#define LQ_ARRAY_MAX 100000
/* Item visits and comparisons filters may make per render (sort, uniq,
 * group_by...): past it the Liquid output stops, with a warning. */
#define LQ_WORK_MAX 3000000UL
/* Warnings per render; one more says the rest were dropped. */
#define LQ_WARN_MAX 1000
#define LQ_PATH_MAX 16
#define LQ_VARS_MAX 1000

/* ---- values ---- */

enum { V_NIL, V_BOOL, V_NUM, V_STR, V_ARR, V_MAP, V_NODE, V_RANGE, V_SITE, V_PAGE, V_EMPTY, V_BLANK };

struct lq_obj;

/* A Liquid value. Strings, arrays and maps live in reference-counted
 * objects; trees of the caller (site, page, data) are borrowed as nodes. */
typedef struct lq_val {
	int t;
	int isf;                /* V_NUM: a float */
	long long i, hi;        /* V_NUM int, V_BOOL, V_RANGE lo..hi */
	double f;
	struct lq_obj *o;       /* V_STR, V_ARR, V_MAP */
	const bb_fm_node *node; /* V_NODE: a SEQ or MAP */
} lq_val;

typedef struct lq_obj {
	size_t rc;
	unsigned depth;         /* ARR, MAP: levels of arrays and maps inside */
	size_t weight;          /* ARR, MAP: values reached when walking it (a
				 * list pushed into itself is shared, not copied) */
	size_t n, cap;          /* STR: bytes; ARR: items; MAP: pairs */
	char *s;
	lq_val *v;              /* ARR: n items; MAP: 2n (key, value) */
} lq_obj;

static const lq_val LQ_NIL = { V_NIL, 0, 0, 0, 0.0, NULL, NULL };

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

typedef struct lq_tok {
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
	size_t next_i;         /* block or clause: the next clause, or LQ_NOPOS */
	int warned;
	unsigned long cycle;
} lq_tok;

typedef struct lq_doc {
	const char *text;
	size_t len;
	lq_tok *t;
	size_t n, cap;
	char *name;             /* an include's file name; NULL for the post */
	int rel;                /* read by include_relative */
	char *own;              /* the include's text, owned */
	size_t lc_off, lc_bol;
	unsigned lc_line;
	size_t tag_from, tag_end, var_from, var_end;
	int warned_unterminated;
} lq_doc;

typedef struct lq_var {
	char *name;
	lq_val v;
} lq_var;

typedef struct lq_state {
	const bb_liquid_ctx *ctx;
	const bb_liquid_env *env;
	lq_doc *top;
	bb_buf main;
	bb_buf *out;
	size_t url_prefix;      /* in *out: where a {{ site.url }} run began */
	size_t added, budget;   /* bytes written beyond the input, and the bound */
	int halt;               /* the output bound was hit: nothing more is written */
	int jump;               /* 1 break, 2 continue */
	unsigned long iters;
	int iters_warned;
	unsigned long work;    /* filter steps so far (LQ_WORK_MAX) */
	int work_warned;
	int in_loop;            /* loop bodies being run */
	int depth;              /* blocks being run */
	int inc_depth;
	unsigned long inc_count;
	size_t inc_at;          /* offset in the post of the outermost running include */
	lq_doc *incs[64];       /* includes read, by name */
	size_t ninc;
	lq_var *globals;
	size_t nglobals;
	lq_var *locals;
	size_t nlocals, caplocals;
	lq_var *counters;
	size_t ncounters;
	unsigned nwarn;
	unsigned fn_count;
	bb_buf fndefs;
	int fn_placed;
	char scratch[64];
} lq_state;

struct bb_liquid_tags {
	char *names[512];
	int block[512];
	size_t n;
};

/* Lists and maps nest at most this deep (push can nest them, and dropping
 * and comparing them recurse). */
#define LQ_DEPTH_MAX 32
#define LQ_WEIGHT_MAX 1000000

typedef struct lq_cur {
	const char *p, *e;
} lq_cur;

typedef struct lq_ectx {
	lq_state *st;
	lq_doc *d;
	lq_tok *tk;
	int undef;              /* a variable was not found */
	int cdepth;             /* and/or read so far */
	char undef_name[96];
} lq_ectx;

typedef struct lq_args {
	lq_val v[LQ_ARGS_MAX];
	int n;
	char *kw[LQ_ARGS_MAX];
	lq_val kwv[LQ_ARGS_MAX];
	int nkw;
} lq_args;

typedef struct lq_sortctx {
	lq_state *st;
	const char *key;
	int natural;
	int nils_last;
} lq_sortctx;

/* One filter call's state, shared by the filter families: the input as text
 * (s, n), its arguments, and the result as text (o) or, when have is 0, as a
 * value (r). */
typedef struct {
	lq_ectx *x;
	const char *nm, *s;
	size_t n;
	lq_val *in;
	lq_args *a;
	bb_buf o;
	lq_val r;
	int have;
} lq_fx;

/* A family's working names for the call's state; its result goes back
 * through bb_lq_fx_end. */
#define LQ_FX_BEGIN(f)                                                                                 \
	lq_ectx *x = (f)->x;                                                                           \
	lq_state *st = x->st;                                                                          \
	const char *nm = (f)->nm, *s = (f)->s;                                                         \
	size_t n = (f)->n, i = 0;                                                                      \
	lq_val *in = (f)->in;                                                                          \
	lq_args *a = (f)->a;                                                                           \
	bb_buf o = BB_BUF_INIT, t2 = BB_BUF_INIT, t3 = BB_BUF_INIT;                                    \
	lq_val r = LQ_NIL;                                                                             \
	int known = 1, have = 1;                                                                       \
	(void)st, (void)s, (void)n, (void)i, (void)in, (void)a

/* ---- small helpers (ASCII only, like Liquid) ---- */

static inline int
lq_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline int
lq_isword(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_';
}

static inline int
lq_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int
lq_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int
lq_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static inline int
lq_upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

static inline void
lq_trim(const char **s, size_t *n)
{
	while (*n > 0 && lq_isspace((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n > 0 && lq_isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static inline int
lq_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* ---- liquid_value.c ---- */

size_t bb_lq_find2(const char *s, size_t len, size_t from, char a, char b);
size_t bb_lq_memmem(const char *s, size_t n, const char *s2, size_t n2);
void bb_lq_drop(lq_val *v);
lq_val bb_lq_ref(const lq_val *v);
lq_val bb_lq_bool(int b);
lq_val bb_lq_int(long long i);
lq_val bb_lq_flt(double f);
lq_val bb_lq_strn(const char *s, size_t n);
lq_val bb_lq_str(const char *s);
lq_val bb_lq_str_buf(bb_buf *b);
lq_val bb_lq_arr_new(void);
lq_val bb_lq_map_new(void);
size_t bb_lq_weight(const lq_val *v);
void bb_lq_push(lq_val *a, lq_val x);
void bb_lq_map_set(lq_val *m, const char *key, lq_val x);
const bb_fm_node *bb_lq_deref(const bb_fm_node *n);
int bb_lq_parse_num(const char *s, size_t n, long long *i, double *f);
lq_val bb_lq_from_node(const bb_fm_node *n);
void bb_lq_tostr(const lq_val *v, bb_buf *b, int depth);
const char *bb_lq_text(const lq_val *v, bb_buf *buf);
size_t bb_lq_len(const lq_val *v);
lq_val bb_lq_at(const lq_val *v, size_t i);
int bb_lq_is_list(const lq_val *v);
int bb_lq_truthy(const lq_val *v);
size_t bb_lq_chars(const char *s, size_t n);
size_t bb_lq_char_off(const char *s, size_t n, size_t ci);
void bb_lq_json(const lq_val *v, bb_buf *b, int depth, int json);
int bb_lq_is_empty(const lq_val *v);
double bb_lq_fnum(const lq_val *v);
int bb_lq_equal(const lq_val *a, const lq_val *b);
int bb_lq_order(const lq_val *a, const lq_val *b);
int bb_lq_contains(lq_state *st, const lq_val *a, const lq_val *b);

/* ---- liquid_lex.c ---- */

void bb_lq_tokenize(lq_state *st, lq_doc *d);
void bb_lq_parse(lq_state *st, lq_doc *d);
lq_doc *bb_lq_doc_new(const char *text, size_t len);
void bb_lq_doc_free(lq_doc *d);

/* ---- liquid_expr.c ---- */

lq_var *bb_lq_find_var(lq_var *v, size_t n, const char *name, size_t nl);
void bb_lq_set_global(lq_state *st, lq_doc *d, size_t at, const char *name, size_t nl, lq_val x);
void bb_lq_push_local(lq_state *st, const char *name, size_t nl, lq_val x);
void bb_lq_pop_local(lq_state *st);
lq_val bb_lq_prop(lq_state *st, const lq_val *v, const lq_val *key, int *found);
void bb_lq_ws(lq_cur *c);
int bb_lq_idchar(int c);
int bb_lq_primary(lq_ectx *x, lq_cur *c, lq_val *out);
int bb_lq_condition(lq_ectx *x, const char *s, size_t n);
size_t bb_lq_span(const char *s, size_t n, char c);
void bb_lq_read_args(lq_ectx *x, const char *s, size_t n, lq_args *a);
int bb_lq_eval_filtered(lq_ectx *x, const char *s, size_t n, lq_val *out);
int bb_lq_where_exp(lq_ectx *x, const lq_val *item, const char *var, const char *expr);
void bb_lq_ectx_init(lq_ectx *x, lq_state *st, lq_doc *d, lq_tok *tk);
void bb_lq_warn_undef(lq_ectx *x);
void bb_lq_write_val(lq_state *st, lq_doc *d, size_t at, const lq_val *v);
void bb_lq_output(lq_state *st, lq_doc *d, lq_tok *tk, size_t prefix);

/* ---- liquid_jekyll.c ---- */

void bb_lq_percent(bb_buf *out, const char *s, size_t n, const char *keep, int plus);
int bb_lq_hex(int c);
int bb_lq_filter_jekyll(lq_fx *f);

/* ---- liquid_filter.c ---- */

void bb_lq_args_free(lq_args *a);
const char *bb_lq_astr(const lq_args *a, int i, bb_buf *b);
lq_val bb_lq_tonum(const lq_val *v);
long long bb_lq_toint(const lq_val *v);
int bb_lq_work_at(lq_state *st, lq_doc *d, size_t at, unsigned long n);
int bb_lq_work(lq_ectx *x, unsigned long n);
void bb_lq_escape(bb_buf *out, const char *s, size_t n, int once);
int bb_lq_fx_end(lq_fx *f, int known, bb_buf *o, bb_buf *t2, bb_buf *t3, lq_val r, int have);
int bb_lq_filter(lq_ectx *x, const char *name, size_t nl, lq_val *in, lq_args *a);

/* ---- liquid_array.c ---- */

lq_val bb_lq_as_array(lq_ectx *x, const lq_val *v);
void bb_lq_msort(lq_sortctx *c, lq_val *v, lq_val *tmp, size_t n);
int bb_lq_filter_items(lq_fx *f);
int bb_lq_filter_select(lq_fx *f);

/* ---- liquid_plugin.c ---- */

void bb_lq_resolve(lq_state *st, lq_doc *d, const lq_tok *t, const char *kind, size_t prefix);
void bb_lq_hexo_link(lq_state *st, lq_doc *d, const lq_tok *t, int post);
int bb_lq_hexo_tag(lq_state *st, lq_doc *d, const lq_tok *t);
int bb_lq_words(const char *s, size_t n, char **w, int max);
void bb_lq_words_free(char **w, int n);
const char *bb_lq_opt(char **w, int n, const char *key);
void bb_lq_image(lq_state *st, lq_doc *d, const lq_tok *t, const char *caption_body);
void bb_lq_media_link(lq_state *st, lq_doc *d, const lq_tok *t);
void bb_lq_footnote(lq_state *st, lq_doc *d, const lq_tok *t, const char *text, size_t n);
void bb_lq_place_footnotes(lq_state *st, lq_doc *d, size_t at);
void bb_lq_code(lq_state *st, lq_doc *d, size_t i, size_t end, size_t after);
void bb_lq_blockquote(lq_state *st, lq_doc *d, lq_tok *t, const bb_buf *body);
void bb_lq_pullquote(lq_state *st, lq_doc *d, lq_tok *t, const bb_buf *body);
void bb_lq_plain_args(const lq_tok *t, bb_buf *out);

/* ---- liquid_site.c ---- */

int bb_lq_tags_kindn(const bb_liquid_tags *t, const char *name, size_t nl);
void bb_lq_include(lq_state *st, lq_doc *d, lq_tok *t, int rel);

/* ---- liquid_tags.c ---- */

size_t bb_lq_block(lq_state *st, lq_doc *d, size_t i);
void bb_lq_simple(lq_state *st, lq_doc *d, lq_tok *t, size_t prefix);

/* ---- liquid.c ---- */

void bb_lq_warn(lq_state *st, lq_doc *d, size_t off, char *msg);
void bb_lq_emit(lq_state *st, lq_doc *d, size_t at, const char *s, size_t n, int literal);
void bb_lq_truncate(bb_buf *b, size_t n);
void bb_lq_run_into(lq_state *st, lq_doc *d, size_t i0, size_t i1, bb_buf *into);
size_t bb_lq_after(const lq_doc *d, size_t i);
size_t bb_lq_body_end(const lq_doc *d, size_t open, size_t c);
int bb_lq_eol_after(const lq_doc *d, size_t j);
void bb_lq_run(lq_state *st, lq_doc *d, size_t i0, size_t i1);
void bb_lq_state_init(lq_state *st, const bb_liquid_ctx *ctx, const bb_liquid_env *env, lq_doc *top);
void bb_lq_state_done(lq_state *st);

#endif
