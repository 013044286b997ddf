/* tera.c: a small part of Tera for Zola's shortcode templates (tera.h). */
#define _POSIX_C_SOURCE 200809L
#include "tera.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define TERA_MAX_OUT (1u << 20)
#define TERA_MAX_IF 32
#define TERA_MAX_SET 64

/* A value while an expression is evaluated. */
typedef struct tval {
	char *s;
	int is_str, defined, safe, md, md_inline;
} tval;

typedef struct tstate {
	const bb_tera_var *vars;
	size_t nvars;
	bb_tera_var sets[TERA_MAX_SET];
	size_t nsets;
	int escape;
	bb_buf *out;
	int line_start;   /* the HTML written so far ends a line */
	const char *why;
} tstate;

/* The expression being read: [p, e). */
typedef struct tcur {
	const char *p, *e;
} tcur;

static void
S_skip(tcur *c)
{
	while (c->p < c->e && isspace((unsigned char)*c->p))
		c->p++;
}

/* 1 when the cursor is at word w (followed by a non-identifier byte). */
static int
S_word(tcur *c, const char *w)
{
	size_t n = strlen(w);
	S_skip(c);
	if ((size_t)(c->e - c->p) < n || strncmp(c->p, w, n) != 0)
		return 0;
	if (c->p + n < c->e && (isalnum((unsigned char)c->p[n]) || c->p[n] == '_'))
		return 0;
	c->p += n;
	return 1;
}

static size_t
S_ident(const char *p, const char *e)
{
	size_t n = 0;
	if (p < e && (isalpha((unsigned char)*p) || *p == '_'))
		for (n = 1; p + n < e && (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '.'); n++)
			;
	return n;
}

static const char *
S_lookup(const tstate *st, const char *name, size_t n, int *is_str)
{
	size_t i;
	for (i = st->nsets; i-- > 0;)
		if (strlen(st->sets[i].name) == n && strncmp(st->sets[i].name, name, n) == 0)
			return *is_str = st->sets[i].is_str, st->sets[i].value;
	for (i = 0; i < st->nvars; i++)
		if (strlen(st->vars[i].name) == n && strncmp(st->vars[i].name, name, n) == 0)
			return *is_str = st->vars[i].is_str, st->vars[i].value;
	return NULL;
}

static int
S_truthy(const tval *v)
{
	if (!v->defined || !v->s || !*v->s)
		return 0;
	if (!v->is_str && (strcmp(v->s, "false") == 0 || strtod(v->s, NULL) == 0) && strcmp(v->s, "true") != 0)
		return 0;
	return 1;
}

static void
S_set(tval *v, char *s, int is_str)
{
	free(v->s);
	v->s = s;
	v->is_str = is_str;
	v->defined = 1;
}

/* A literal or a name: "x", 'x', `x`, 3, true, name.field. */
static int
S_term(tstate *st, tcur *c, tval *v)
{
	size_t n;
	S_skip(c);
	memset(v, 0, sizeof *v);
	if (c->p >= c->e)
		return st->why = "an expression is missing", -1;
	if (*c->p == '"' || *c->p == '\'' || *c->p == '`') {
		const char *q = memchr(c->p + 1, *c->p, (size_t)(c->e - c->p - 1));
		if (!q)
			return st->why = "a string is not closed", -1;
		S_set(v, bb_xstrndup(c->p + 1, (size_t)(q - c->p - 1)), 1);
		c->p = q + 1;
		return 0;
	}
	if (*c->p == '(') {
		return st->why = "a parenthesised expression", -1;
	}
	if (isdigit((unsigned char)*c->p) || (*c->p == '-' && c->p + 1 < c->e && isdigit((unsigned char)c->p[1]))) {
		for (n = 1; c->p + n < c->e && (isdigit((unsigned char)c->p[n]) || c->p[n] == '.'); n++)
			;
		S_set(v, bb_xstrndup(c->p, n), 0);
		c->p += n;
		return 0;
	}
	if (!(n = S_ident(c->p, c->e)))
		return st->why = "an expression it does not read", -1;
	if ((n == 4 && strncmp(c->p, "true", 4) == 0) || (n == 5 && strncmp(c->p, "false", 5) == 0)) {
		S_set(v, bb_xstrndup(c->p, n), 0);
	} else {
		const char *after = c->p + n;
		int is_str = 1;
		const char *val;
		while (after < c->e && *after == ' ')
			after++;
		if (after < c->e && (*after == '(' || *after == '['))
			return st->why = "a function call or an index", -1;
		if ((val = S_lookup(st, c->p, n, &is_str)))
			S_set(v, bb_xstrdup(val), is_str);
	}
	c->p += n;
	return 0;
}

static int S_filter_arg_in(tstate *st, tcur *c, const char *name, tval *v);

/* The named argument of a filter: (name=TERM) into *v; on a failure *v
 * holds nothing. */
static int
S_filter_arg(tstate *st, tcur *c, const char *name, tval *v)
{
	if (S_filter_arg_in(st, c, name, v) == 0)
		return 0;
	free(v->s);
	memset(v, 0, sizeof *v);
	return -1;
}

static int
S_filter_arg_in(tstate *st, tcur *c, const char *name, tval *v)
{
	S_skip(c);
	memset(v, 0, sizeof *v);
	if (c->p >= c->e || *c->p != '(')
		return st->why = "a filter's argument is missing", -1;
	c->p++;
	while (c->p < c->e && *c->p != ')') {
		size_t n;
		const char *key;
		tval t;
		S_skip(c);
		key = c->p;
		n = S_ident(c->p, c->e);
		if (!n)
			return st->why = "a filter's argument it does not read", -1;
		c->p += n;
		S_skip(c);
		if (c->p >= c->e || *c->p != '=')
			return st->why = "a filter's argument it does not read", -1;
		c->p++;
		if (S_term(st, c, &t) < 0)
			return -1;
		if (n == strlen(name) && strncmp(key, name, n) == 0 && !v->defined)
			*v = t;
		else
			free(t.s);
		S_skip(c);
		if (c->p < c->e && *c->p == ',')
			c->p++;
		S_skip(c);
	}
	if (c->p >= c->e)
		return st->why = "a filter's argument list is not closed", -1;
	c->p++;
	return 0;
}

static char *
S_case(const char *s, int upper)
{
	char *r = bb_xstrdup(s), *q;
	for (q = r; *q; q++)
		*q = (char)(upper ? toupper((unsigned char)*q) : tolower((unsigned char)*q));
	return r;
}

/* The filters after a term: | safe, | markdown, | default(value=x),
 * | trim, | upper, | lower, | escape. */
static int
S_filters(tstate *st, tcur *c, tval *v)
{
	for (;;) {
		size_t n;
		S_skip(c);
		if (c->p >= c->e || *c->p != '|')
			return 0;
		c->p++;
		S_skip(c);
		n = S_ident(c->p, c->e);
		if (n == 4 && strncmp(c->p, "safe", 4) == 0) {
			c->p += n, v->safe = 1;
		} else if (n == 8 && strncmp(c->p, "markdown", 8) == 0) {
			c->p += n, v->md = 1;
			S_skip(c);
			if (c->p < c->e && *c->p == '(') {
				tval a;
				if (S_filter_arg(st, c, "inline", &a) < 0)
					return -1;
				v->md_inline = a.defined && strcmp(a.s, "true") == 0;
				free(a.s);
			}
		} else if (n == 7 && strncmp(c->p, "default", 7) == 0) {
			tval a;
			c->p += n;
			if (S_filter_arg(st, c, "value", &a) < 0)
				return -1;
			if (!a.defined)
				return st->why = "a default without a value", -1;
			if (!v->defined)
				S_set(v, a.s, a.is_str);
			else
				free(a.s);
		} else if ((n == 4 && strncmp(c->p, "trim", 4) == 0)) {
			size_t a = 0, b;
			c->p += n;
			if (!v->defined)
				return st->why = "an undefined value is filtered", -1;
			while (isspace((unsigned char)v->s[a]))
				a++;
			for (b = strlen(v->s); b > a && isspace((unsigned char)v->s[b - 1]); b--)
				;
			S_set(v, bb_xstrndup(v->s + a, b - a), v->is_str);
		} else if ((n == 5 && (strncmp(c->p, "upper", 5) == 0 || strncmp(c->p, "lower", 5) == 0))) {
			int up = c->p[0] == 'u';
			c->p += n;
			if (!v->defined)
				return st->why = "an undefined value is filtered", -1;
			S_set(v, S_case(v->s, up), v->is_str);
		} else if ((n == 6 && strncmp(c->p, "escape", 6) == 0) || (n == 1 && *c->p == 'e')) {
			c->p += n; /* escaping is done on output unless safe */
		} else
			return st->why = "a filter it does not know", -1;
	}
}

/* term filters (~ term filters)* */
static int
S_value(tstate *st, tcur *c, tval *v)
{
	if (S_term(st, c, v) < 0 || S_filters(st, c, v) < 0)
		return -1;
	for (;;) {
		tval w;
		S_skip(c);
		if (c->p >= c->e || *c->p != '~')
			return 0;
		c->p++;
		if (S_term(st, c, &w) < 0 || S_filters(st, c, &w) < 0) {
			free(w.s);
			return -1;
		}
		if (!v->defined || !w.defined) {
			free(w.s);
			return st->why = "an undefined value is joined", -1;
		}
		S_set(v, bb_xasprintf("%s%s", v->s, w.s), 1);
		free(w.s);
	}
}

/* A condition: [not] value [(== | !=) value | is [not] defined], joined
 * left to right by and / or. */
static int
S_cond(tstate *st, tcur *c, int *res)
{
	int acc = -1, op = 0; /* op 0: none yet, 1 and, 2 or */
	for (;;) {
		int neg = 0, r;
		tval a;
		while (S_word(c, "not"))
			neg = !neg;
		if (S_value(st, c, &a) < 0) {
			free(a.s);
			return -1;
		}
		S_skip(c);
		if (c->e - c->p >= 2 && (c->p[0] == '=' || c->p[0] == '!') && c->p[1] == '=') {
			int eq = c->p[0] == '=';
			tval b;
			c->p += 2;
			if (S_value(st, c, &b) < 0) {
				free(a.s), free(b.s);
				return -1;
			}
			r = (a.defined && b.defined && strcmp(a.s, b.s) == 0) == eq;
			free(b.s);
		} else if (S_word(c, "is")) {
			int isnot = S_word(c, "not");
			if (!S_word(c, "defined")) {
				free(a.s);
				return st->why = "a test it does not know", -1;
			}
			r = a.defined != isnot;
		} else
			r = S_truthy(&a);
		free(a.s);
		if (neg)
			r = !r;
		acc = op == 0 ? r : op == 1 ? (acc && r) : (acc || r);
		if (S_word(c, "and"))
			op = 1;
		else if (S_word(c, "or"))
			op = 2;
		else
			break;
	}
	S_skip(c);
	if (c->p != c->e)
		return st->why = "a condition it does not read", -1;
	*res = acc;
	return 0;
}

/* HTML of the template or an escaped value: lines lose their indentation,
 * blank lines are dropped. */
static void
S_put_html(tstate *st, const char *s, size_t n, int esc)
{
	size_t i;
	for (i = 0; i < n; i++) {
		char ch = s[i];
		if (st->line_start && (ch == ' ' || ch == '\t' || ch == '\n'))
			continue;
		st->line_start = ch == '\n';
		if (esc && (ch == '&' || ch == '<' || ch == '>' || ch == '"' || ch == '\''))
			bb_buf_puts(st->out, ch == '&' ? "&amp;" : ch == '<' ? "&lt;" : ch == '>' ? "&gt;"
					    : ch == '"' ? "&quot;" : "&#39;");
		else
			bb_buf_putc(st->out, ch);
	}
}

static void
S_emit(tstate *st, const tval *v)
{
	if (v->md && !v->md_inline) {
		/* apart from the HTML around it, for the post's Markdown pass */
		if (st->out->len && st->out->data[st->out->len - 1] != '\n')
			bb_buf_putc(st->out, '\n');
		bb_buf_putc(st->out, '\n');
		bb_buf_puts(st->out, v->s);
		bb_buf_puts(st->out, "\n\n");
		st->line_start = 1;
		return;
	}
	if (v->md)
		bb_buf_puts(st->out, v->s), st->line_start = 0;
	else
		S_put_html(st, v->s, strlen(v->s), st->escape && !v->safe);
}

/* {% set name = value %} */
static int
S_tag_set(tstate *st, tcur *c)
{
	size_t n;
	tval v;
	memset(&v, 0, sizeof v);
	S_skip(c);
	n = S_ident(c->p, c->e);
	if (!n || memchr(c->p, '.', n) || st->nsets == TERA_MAX_SET)
		return st->why = "a set it does not read", -1;
	st->sets[st->nsets].name = bb_xstrndup(c->p, n);
	c->p += n;
	S_skip(c);
	if (c->p >= c->e || *c->p != '=' || (c->p++, S_value(st, c, &v) < 0) || !v.defined) {
		free(st->sets[st->nsets].name);
		free(v.s);
		if (!st->why)
			st->why = v.defined || c->p >= c->e ? "a set it does not read" : "an undefined value is set";
		return -1;
	}
	st->sets[st->nsets].value = v.s;
	st->sets[st->nsets].is_str = v.is_str;
	st->nsets++;
	return 0;
}

typedef struct tif {
	int parent, taken, active;
} tif;

/* One {% ... %} tag (its inner text [p, e)), with the stack of ifs. */
static int
S_tag(tstate *st, tcur *c, tif *ifs, int *nif)
{
	int on = *nif ? ifs[*nif - 1].active : 1, r = 0;
	if (S_word(c, "if")) {
		if (*nif == TERA_MAX_IF)
			return st->why = "ifs nested too deep", -1;
		if (on && S_cond(st, c, &r) < 0)
			return -1;
		ifs[*nif].parent = on, ifs[*nif].active = on && r, ifs[*nif].taken = on && r;
		(*nif)++;
	} else if (S_word(c, "elif")) {
		tif *t = *nif ? &ifs[*nif - 1] : NULL;
		if (!t)
			return st->why = "an elif outside an if", -1;
		if (t->parent && !t->taken && S_cond(st, c, &r) < 0)
			return -1;
		t->active = t->parent && !t->taken && r;
		t->taken |= t->active;
	} else if (S_word(c, "else")) {
		tif *t = *nif ? &ifs[*nif - 1] : NULL;
		if (!t)
			return st->why = "an else outside an if", -1;
		t->active = t->parent && !t->taken;
		t->taken = 1;
	} else if (S_word(c, "endif")) {
		if (!*nif)
			return st->why = "an endif outside an if", -1;
		(*nif)--;
	} else if (S_word(c, "set")) {
		if (on && S_tag_set(st, c) < 0)
			return -1;
	} else
		return st->why = "a tag it does not know (a loop, a macro, an include...)", -1;
	return 0;
}

int
bb_tera_render(const char *tpl, size_t len, const bb_tera_var *vars, size_t nvars, int escape, bb_buf *out,
	       const char **why)
{
	tstate st;
	tif ifs[TERA_MAX_IF];
	int nif = 0, rc = -1, trim_next = 0;
	size_t i = 0, k;
	memset(&st, 0, sizeof st);
	st.vars = vars, st.nvars = nvars, st.escape = escape, st.out = out, st.line_start = 1;
	while (i < len) {
		const char *open = NULL, *close;
		size_t j, tend, a, b;
		char kind;
		for (j = i; j + 1 < len; j++)
			if (tpl[j] == '{' && (tpl[j + 1] == '{' || tpl[j + 1] == '%' || tpl[j + 1] == '#')) {
				open = tpl + j;
				break;
			}
		if (!open)
			j = len;
		/* the text before the tag, trimmed where a - asks */
		a = i, b = j;
		if (trim_next)
			while (a < b && isspace((unsigned char)tpl[a]))
				a++;
		if (open && j + 2 < len && tpl[j + 2] == '-')
			while (b > a && isspace((unsigned char)tpl[b - 1]))
				b--;
		if (!nif || ifs[nif - 1].active)
			S_put_html(&st, tpl + a, b - a, 0);
		if (!open)
			break;
		kind = open[1] == '{' ? '}' : open[1] == '%' ? '%' : '#';
		for (close = NULL, tend = j + 2; tend + 1 < len; tend++)
			if (tpl[tend] == kind && tpl[tend + 1] == '}') {
				close = tpl + tend;
				break;
			}
		if (!close) {
			st.why = "a tag is not closed";
			goto out;
		}
		trim_next = close[-1] == '-';
		if (kind != '#') {
			tcur c;
			c.p = open + 2 + (open[2] == '-');
			c.e = close - (trim_next && close - 1 > c.p);
			if (kind == '%') {
				if (S_tag(&st, &c, ifs, &nif) < 0)
					goto out;
			} else if (!nif || ifs[nif - 1].active) {
				tval v;
				if (S_value(&st, &c, &v) < 0) {
					free(v.s);
					goto out;
				}
				S_skip(&c);
				if (c.p != c.e || !v.defined) {
					free(v.s);
					st.why = v.defined ? "an expression it does not read" : "an undefined value";
					goto out;
				}
				S_emit(&st, &v);
				free(v.s);
			}
		}
		i = tend + 2;
		if (out->len > TERA_MAX_OUT) {
			st.why = "the output is too long";
			goto out;
		}
	}
	if (nif) {
		st.why = "an if is not closed";
		goto out;
	}
	rc = 0;
out:
	for (k = 0; k < st.nsets; k++)
		free(st.sets[k].name), free(st.sets[k].value);
	*why = st.why;
	return rc;
}
