/* mathfast.c: simple formulas to the MathML KaTeX writes for them, in C
 * (see mathfast.h): a parser for a small part of KaTeX's grammar and its
 * MathML builder's rules (buildExpression's merging of numbers, makeRow,
 * supsub's choice of msup or munderover), followed step by step. */
#define _GNU_SOURCE
#include "mathfast.h"
#include "mathfast_int.h"
#include "js.h"
#include "mathml.h"
#include "util.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest formula and deepest nesting tried; the rest goes to KaTeX. */
#define S_LEN_MAX 4096
#define S_DEPTH_MAX BB_MATHFAST_DEPTH_MAX

typedef bb_mathfast_node S_node;
typedef bb_mathfast_list S_list;
typedef bb_mathfast_parser S_parser;

#define S_COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define S_IS(s, n, lit) ((n) == sizeof(lit) - 1 && memcmp((s), (lit), (n)) == 0)

static int S_expr(S_parser *P, S_list *out, int until);

/* 1 when the control word w (with its backslash) stands at P->p. */
static int
S_word(const S_parser *P, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(P->end - P->p) >= n && memcmp(P->p, w, n) == 0
		&& ((size_t)(P->end - P->p) == n || !bb_mathfast_letter(P->p[n]));
}

static void
S_node_free(S_node *n)
{
	bb_buf_free(&n->attrs);
	bb_buf_free(&n->body);
}

static void
S_list_free(S_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		S_node_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* Appends n to l (l owns it now). */
static void
S_push(S_list *l, S_node *n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = bb_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = *n;
	memset(n, 0, sizeof *n);
}

/* Writes n as libxml2 would (an empty element as <el/>). */
static void
S_put(bb_buf *o, const S_node *n)
{
	size_t el = n->el ? strlen(n->el) : 0;

	if (!el) {
		bb_buf_put(o, n->body.data, n->body.len);
		return;
	}
	bb_buf_putc(o, '<');
	bb_buf_put(o, n->el, el);
	bb_buf_put(o, n->attrs.data, n->attrs.len);
	if (!n->body.len) {
		bb_buf_put(o, "/>", 2);
		return;
	}
	bb_buf_putc(o, '>');
	bb_buf_put(o, n->body.data, n->body.len);
	bb_buf_put(o, "</", 2);
	bb_buf_put(o, n->el, el);
	bb_buf_putc(o, '>');
}

/* A token element el with attrs and (escaped) text. */
static void
S_token(S_node *n, const char *el, const char *attrs, const char *text)
{
	memset(n, 0, sizeof *n);
	n->el = el;
	if (*attrs)
		bb_buf_puts(&n->attrs, attrs);
	bb_buf_puts(&n->body, text);
	n->dot = strcmp(el, "mi") == 0 && strcmp(text, ".") == 0;
}

/* An element el holding the k nodes at c (which it consumes). */
static void
S_elem(S_node *n, const char *el, S_node *c, size_t k)
{
	size_t i;

	memset(n, 0, sizeof *n);
	n->el = el;
	for (i = 0; i < k; i++) {
		S_put(&n->body, &c[i]);
		S_node_free(&c[i]);
	}
}

/* KaTeX's buildExpression over l, in place: adjacent <mn>s join, as does
 * <mi>.</mi> after an <mn>, and adjacent <mtext>s of one mathvariant; a
 * lone <mo> in braces (ordgroup) loses its spacing. */
static void
S_build(S_list *l, int ordgroup)
{
	size_t i, k = 0;

	if (l->n == 1) {
		/* once: {{(}} is one <mo> with them */
		if (ordgroup && strcmp(l->v[0].el, "mo") == 0
			&& !memmem(l->v[0].attrs.data ? l->v[0].attrs.data : "", l->v[0].attrs.len, " lspace=", 8))
			bb_buf_puts(&l->v[0].attrs, " lspace=\"0em\" rspace=\"0em\"");
		return;
	}
	for (i = 0; i < l->n; i++) {
		S_node *c = &l->v[i], *last = k ? &l->v[k - 1] : NULL;
		if (last && ((strcmp(last->el, "mn") == 0 && (strcmp(c->el, "mn") == 0 || c->dot))
			|| (strcmp(last->el, "mtext") == 0 && strcmp(c->el, "mtext") == 0
				&& last->attrs.len == c->attrs.len
				&& (!c->attrs.len || memcmp(last->attrs.data, c->attrs.data, c->attrs.len) == 0)))) {
			bb_buf_put(&last->body, c->body.data, c->body.len);
			S_node_free(c);
			continue;
		}
		if (k != i)
			l->v[k] = *c;
		k++;
	}
	l->n = k;
}

/* KaTeX's makeRow: the one node of l, else an <mrow> of them; empties l. */
static void
S_row(S_list *l, S_node *out)
{
	if (l->n == 1) {
		*out = l->v[0];
		l->n = 0;
	} else {
		S_elem(out, "mrow", l->v, l->n);
		l->n = 0;
	}
	S_list_free(l);
}

static void
S_skip(S_parser *P)
{
	while (P->p < P->end && (*P->p == ' ' || *P->p == '\t' || *P->p == '\n'))
		P->p++;
}

/* Reads the control sequence at P->p (a backslash): its name in *name,
 * *n bytes (letters, or one other character). 0, or -1. */
static int
S_cs(S_parser *P, const char **name, size_t *n)
{
	const char *s = P->p + 1;

	if (s >= P->end)
		return -1;
	*name = s;
	/* KaTeX's control words are [a-zA-Z@]+ (\alpha@ is one, undefined) */
	if (bb_mathfast_letter(*s)) {
		while (s < P->end && bb_mathfast_letter(*s))
			s++;
	} else {
		s++;
	}
	*n = (size_t)(s - *name);
	P->p = s;
	return 0;
}

/* A symbol's token from the table (name with its backslash). */
static int
S_sym(const char *name, size_t n, S_node *out)
{
	const bb_mathfast_sym *s = bb_mathfast_sym_find(name, n);

	if (!s)
		return -1;
	S_token(out, s->el, s->attrs, s->text);
	return 0;
}

/* The character at P->p: a symbol, or one beyond ASCII (mathfast_text.c). */
static int
S_char(S_parser *P, S_node *out)
{
	bb_mathfast_sym u;
	char buf[5];
	size_t k = (unsigned char)*P->p < 0x80 ? 0 : bb_mathfast_uchar(P->p, (size_t)(P->end - P->p), &u, buf);

	if (P->font && isalnum((unsigned char)*P->p)) {
		/* in \mathcal{F^{-1}}: letters and digits take the font's variant */
		const char *v = *P->p <= '9' ? P->font->digit : P->font->letter;
		buf[0] = *P->p++;
		buf[1] = '\0';
		S_token(out, buf[0] <= '9' ? "mn" : "mi", "", buf);
		if (*v)
			bb_buf_printf(&out->attrs, " mathvariant=\"%s\"", v);
		return 0;
	}
	if (!k) {
		if (S_sym(P->p++, 1, out) < 0)
			return -1;
		/* an operator keeps its token under a font; other symbols may not */
		if (P->font && strcmp(out->el, "mo") != 0) {
			S_node_free(out);
			return -1;
		}
		return 0;
	}
	if (P->font)
		return -1;
	P->p += k;
	S_token(out, u.el, u.attrs, u.text);
	return 0;
}

/* A braced group, KaTeX's ordgroup: its row. */
static int
S_group(S_parser *P, S_node *out)
{
	S_list l = { NULL, 0, 0 };

	if (++P->depth > S_DEPTH_MAX)
		return -1;
	P->p++;
	if (S_expr(P, &l, '}') < 0) {
		S_list_free(&l);
		return -1;
	}
	P->depth--;
	S_build(&l, 1);
	S_row(&l, out);
	/* a group is no operator: {\sum}_a^b takes msubsup */
	out->op = out->named = out->brace = 0;
	return 0;
}

static int S_command(S_parser *P, const char *at, const char *name, size_t n, S_node *out);

/* One argument: a braced group, a symbol command or one character; when
 * fn, also a font, text or \frac command whole (KaTeX takes one as a
 * script or \sqrt's argument, and fails on one as \frac's, an accent's,
 * \underbrace's or an indexed root's). */
static int
S_arg(S_parser *P, S_node *out, int fn)
{
	const char *name;
	size_t n;

	S_skip(P);
	if (P->p >= P->end)
		return -1;
	if (*P->p == '{')
		return S_group(P, out);
	if (*P->p == '\\') {
		const char *at = P->p;
		if (P->font || S_cs(P, &name, &n) < 0 || S_IS(name, n, "ne") || S_IS(name, n, "neq"))
			return -1;
		if (S_IS(name, n, "frac") || bb_mathfast_font_find(name, n) || bb_mathfast_text_find(name, n))
			return fn ? S_command(P, at, name, n, out) : -1;
		return S_sym(at, (size_t)(P->p - at), out);
	}
	if (strchr("^_'&%#$~}", *P->p))
		return -1;
	return S_char(P, out);
}

/* A font command's argument: letters and digits, braced or one alone. */
static int
S_font_arg(S_parser *P, const bb_mathfast_font *f, S_node *out)
{
	S_list l = { NULL, 0, 0 };
	const char *at;
	int braced;

	S_skip(P);
	if (P->p >= P->end)
		return -1;
	at = P->p;
	braced = *P->p == '{';
	if (braced)
		P->p++;
	for (;;) {
		S_node t;
		char c[2];
		const char *v;
		S_skip(P);
		if (P->p >= P->end)
			break;
		c[0] = *P->p;
		c[1] = '\0';
		if (braced && c[0] == '}') {
			P->p++;
			braced = 2;
			break;
		}
		if (c[0] >= '0' && c[0] <= '9' && f->digit)
			v = f->digit;
		else if ((c[0] >= 'a' && c[0] <= 'z') || (c[0] >= 'A' && c[0] <= 'Z'))
			v = f->letter;
		else
			break;
		memset(&t, 0, sizeof t);
		t.el = c[0] <= '9' ? "mn" : "mi";
		if (*v)
			bb_buf_printf(&t.attrs, " mathvariant=\"%s\"", v);
		bb_buf_puts(&t.body, c);
		S_push(&l, &t);
		P->p++;
		if (!braced)
			break;
	}
	if (braced == 1 && f->digit && !P->font) {
		/* more than letters and digits: the group read with the font on */
		S_list_free(&l);
		P->p = at;
		P->font = f;
		braced = S_group(P, out);
		P->font = NULL;
		return braced;
	}
	/* \boldsymbol over more than one letter is KaTeX's mclass: an <mi>
	 * around an <mrow> */
	if (braced == 1 || l.n == 0 || (!f->digit && l.n > 1)) {
		S_list_free(&l);
		return -1;
	}
	if (braced)
		S_build(&l, 1);
	S_row(&l, out);
	return 0;
}

/* A text command's argument: braced spaces (a run of them one no-break
 * space) and the characters bb_mathfast_text_char takes, as <mtext> with
 * mathvariant v ("" none). */
static int
S_text_arg(S_parser *P, const char *v, S_node *out)
{
	S_list l = { NULL, 0, 0 };

	S_skip(P);
	if (P->p >= P->end || *P->p != '{')
		return -1;
	for (P->p++; P->p < P->end && *P->p != '}'; P->p++) {
		char c[5];
		size_t k;
		S_node t;
		if (*P->p == ' ' || *P->p == '\t' || *P->p == '\n') {
			while (P->p + 1 < P->end && (P->p[1] == ' ' || P->p[1] == '\t' || P->p[1] == '\n'))
				P->p++;
			S_token(&t, "mtext", "", "\302\240");
		} else if ((k = bb_mathfast_text_char(P->p, P->end, c)) != 0) {
			S_token(&t, "mtext", "", c);
			if (*v)
				bb_buf_printf(&t.attrs, " mathvariant=\"%s\"", v);
			P->p += k - 1;
		} else {
			break;
		}
		S_push(&l, &t);
	}
	if (P->p >= P->end || *P->p != '}' || l.n == 0) {
		S_list_free(&l);
		return -1;
	}
	P->p++;
	S_build(&l, 0);
	S_row(&l, out);
	return 0;
}

/* A delimiter after \left or \right: its text in *text ("" for "."). */
static int
S_delim(S_parser *P, const char **text)
{
	const char *at;
	const bb_mathfast_sym *s;
	size_t n;

	S_skip(P);
	if (P->p >= P->end)
		return -1;
	at = P->p;
	if (*at == '.') {
		P->p++;
		*text = "";
		return 0;
	}
	if (*at == '\\') {
		const char *name;
		if (S_cs(P, &name, &n) < 0)
			return -1;
	} else {
		P->p++;
	}
	n = (size_t)(P->p - at);
	if (!bb_mathfast_delim(at, n) || !(s = bb_mathfast_sym_find(at, n)))
		return -1;
	*text = s->text;
	return 0;
}

/* \left D ... \right D: the fenced row. */
static int
S_leftright(S_parser *P, S_node *out)
{
	S_list l = { NULL, 0, 0 };
	const char *lt, *rt, *name;
	size_t n;
	S_node f;

	if (++P->depth > S_DEPTH_MAX || S_delim(P, &lt) < 0)
		return -1;
	if (*lt) {
		S_token(&f, "mo", " fence=\"true\"", lt);
		S_push(&l, &f);
	}
	/* the body is built alone (no merging with the fence) */
	{
		S_list body = { NULL, 0, 0 };
		size_t i;
		int rc = S_expr(P, &body, 'r');
		if (rc == 0)
			S_build(&body, 0);
		for (i = 0; i < body.n; i++)
			S_push(&l, &body.v[i]);
		body.n = 0;
		S_list_free(&body);
		if (rc < 0 || S_cs(P, &name, &n) < 0 || S_delim(P, &rt) < 0) {
			S_list_free(&l);
			return -1;
		}
	}
	if (*rt) {
		S_token(&f, "mo", " fence=\"true\"", rt);
		S_push(&l, &f);
	}
	P->depth--;
	S_row(&l, out);
	/* a fenced row is no operator either: \left.\sum\right._a^b takes msubsup */
	out->op = out->named = out->brace = 0;
	return 0;
}

/* \cdots: its token, and whether the next token (KaTeX's macro looks)
 * is one after which a \, follows. */
static void
S_cdots(S_parser *P, S_node *out)
{
	const char *at, *name;
	size_t n = 0;
	S_parser q = *P;

	S_token(out, "mo", "", "\342\213\257");
	S_skip(&q);
	at = q.p;
	if (q.p >= q.end)
		return;
	if (*q.p == '\\') {
		if (S_cs(&q, &name, &n) < 0)
			return;
		n = (size_t)(q.p - at);
	} else {
		n = 1;
	}
	out->thin = bb_mathfast_after_dots(at, n);
}

/* The command named n bytes at name (after its backslash at at). */
static int
S_command(S_parser *P, const char *at, const char *name, size_t n, S_node *out)
{
	S_node c[2];
	const bb_mathfast_font *f;
	const char *t, *t2;
	int k;

	if (P->font)
		return -1;
	if (S_IS(name, n, "frac") || S_IS(name, n, "sqrt")) {
		int frac = name[0] == 'f', root;
		S_skip(P);
		/* \sqrt[3]{x}: an index of one letter or digit (KaTeX's mroot) */
		root = !frac && P->p < P->end && *P->p == '[';
		if (root && (P->end - P->p < 3 || P->p[2] != ']' || !isalnum((unsigned char)P->p[1])
			|| S_sym(P->p + 1, 1, &c[1]) < 0))
			return -1;
		P->p += root ? 3 : 0;
		if (S_arg(P, &c[0], !frac && !root) < 0) {
			if (root)
				S_node_free(&c[1]);
			return -1;
		}
		if (frac && S_arg(P, &c[1], 0) < 0) {
			S_node_free(&c[0]);
			return -1;
		}
		S_elem(out, frac ? "mfrac" : root ? "mroot" : "msqrt", c, frac || root ? 2 : 1);
		return 0;
	}
	if (S_IS(name, n, "left"))
		return S_leftright(P, out);
	if ((t = bb_mathfast_wrap(name, n, &t2)) != NULL) {
		/* \xrightarrow: markup around a braced argument */
		S_skip(P);
		if (P->p >= P->end || *P->p != '{' || S_group(P, &c[0]) < 0)
			return -1;
		memset(out, 0, sizeof *out);
		out->el = "";
		bb_buf_puts(&out->body, t);
		S_put(&out->body, &c[0]);
		S_node_free(&c[0]);
		bb_buf_puts(&out->body, t2);
		return 0;
	}
	if (S_IS(name, n, "begin"))
		return bb_mathfast_env(P, out);
	if (S_IS(name, n, "\\") || S_IS(name, n, "underbrace") || S_IS(name, n, "overbrace"))
		return bb_mathfast_cmd(P, name, n, out);
	if (S_IS(name, n, "cdots")) {
		S_cdots(P, out);
		return 0;
	}
	if ((t = bb_mathfast_accent(name, n)) != NULL) {
		if (S_arg(P, &c[0], 0) < 0)
			return -1;
		S_token(&c[1], "mo", "", t);
		S_elem(out, "mover", c, 2);
		bb_buf_puts(&out->attrs, " accent=\"true\"");
		return 0;
	}
	if ((t = bb_mathfast_frag(name, n, P->p, P->end, P->display)) != NULL) {
		memset(out, 0, sizeof *out);
		out->el = "";
		bb_buf_puts(&out->body, t);
		return 0;
	}
	if ((f = bb_mathfast_font_find(name, n)) != NULL)
		return S_font_arg(P, f, out);
	if ((t = bb_mathfast_text_find(name, n)) != NULL)
		return S_text_arg(P, t, out);
	if ((k = bb_mathfast_named(name, n)) != 0) {
		memset(out, 0, sizeof *out);
		out->el = "";
		bb_buf_puts(&out->body, "<mi>");
		bb_buf_put(&out->body, name, n);
		bb_buf_puts(&out->body, "</mi><mo>\342\201\241</mo>");
		out->named = 1;
		out->op = k;
		return 0;
	}
	if ((t = bb_mathfast_bigop(name, n, &k)) != NULL) {
		S_token(out, "mo", "", t);
		out->op = k;
		return 0;
	}
	if (S_sym(at, (size_t)(P->p - at), out) == 0)
		return 0;
	/* the first thing not taken: KaTeX stops here too (bb_mathfast_error) */
	if (n == 1 && strchr("*+-/0123456789<?[", *name))
		P->undef = at;
	return -1;
}

/* One atom: a group, a command or a character. */
static int
S_atom(S_parser *P, S_node *out)
{
	const char *at = P->p, *name;
	size_t n;

	if (*at == '{')
		return S_group(P, out);
	if (*at == '\\') {
		if (S_cs(P, &name, &n) < 0 || S_IS(name, n, "right"))
			return -1;
		return S_command(P, at, name, n, out);
	}
	if (*at == '^' || *at == '_') {
		/* a script with no base: KaTeX's supsub over an empty <mrow> */
		S_elem(out, "mrow", NULL, 0);
		return 0;
	}
	if ((unsigned char)*at < 0x21 || *at == 0x7f || strchr("'&%#$~}", *at))
		return -1;
	return S_char(P, out);
}

/* The primes after a base: KaTeX's superscript of \prime tokens, and of
 * the superscript sup written right after them (NULL none; consumed). */
static void
S_primes(int k, S_node *sup, S_node *out)
{
	S_list l = { NULL, 0, 0 };
	int i;

	for (i = 0; i < k; i++) {
		S_node t;
		S_token(&t, "mo", " mathvariant=\"normal\"", "\342\200\262");
		S_push(&l, &t);
	}
	if (sup)
		S_push(&l, sup);
	S_build(&l, 1);
	S_row(&l, out);
}

/* The base's scripts: the msub, msup, msubsup (or munder... for an
 * operator with limits in display mode) KaTeX's supsub builds. Primes are
 * the superscript; a subscript may come before or after them. */
static int
S_scripts(S_parser *P, S_node *base)
{
	S_node c[3];
	int have[2] = { 0, 0 }, primes = 0, k = 1;
	const char *el;

	for (;;) {
		S_skip(P);
		/* primes take a font's variant (left to KaTeX) */
		if (P->p < P->end && *P->p == '\'' && !have[1] && !primes && !P->font) {
			while (P->p < P->end && *P->p == '\'') {
				primes++;
				P->p++;
			}
			if (P->p < P->end && *P->p == '^') {
				P->p++;
				if (S_arg(P, &c[2], 1) < 0)
					goto fail;
				have[1] = 1;
			}
			continue;
		}
		if (P->p >= P->end || (*P->p != '^' && *P->p != '_'))
			break;
		{
			int sup = *P->p == '^';
			if (have[sup] || (primes && sup))
				goto fail;
			P->p++;
			if (S_arg(P, &c[1 + sup], 1) < 0)
				goto fail;
			have[sup] = 1;
		}
	}
	if (!have[0] && !have[1] && !primes)
		return 0;
	/* scripts on a space (\,^2): KaTeX fails ("group of unknown type") */
	if (!*base->el && !base->named)
		goto fail;
	if (primes) {
		S_primes(primes, have[1] ? &c[2] : NULL, &c[2]);
		have[1] = 1;
	}
	if (base->named)
		base->el = "mrow";
	c[0] = *base;
	if (have[0])
		c[k++] = c[1];
	if (have[1])
		c[k++] = c[2];
	if (base->op == 2 && P->display)
		el = have[0] && have[1] ? "munderover" : have[0] ? "munder" : "mover";
	else if ((base->brace == 1 && !have[1]) || (base->brace == 2 && have[1]))
		el = base->brace == 1 ? "munder" : "mover";
	else
		el = have[0] && have[1] ? "msubsup" : have[0] ? "msub" : "msup";
	S_elem(base, el, c, (size_t)k);
	return 0;
fail:
	if (have[0])
		S_node_free(&c[1]);
	if (have[1])
		S_node_free(&c[2]);
	return -1;
}

/* Atoms up to until ('}' consumed; 'r' for \right and 'a' for an aligned
 * cell's end, & \\ or \end, left unread; 0 for the end), appended to out.
 * 0, or -1 when the formula is not a simple one. */
static int
S_expr(S_parser *P, S_list *out, int until)
{
	int k;

	for (;;) {
		S_node a;
		S_skip(P);
		if (P->p >= P->end)
			return until ? -1 : 0;
		if (*P->p == '}') {
			if (until != '}')
				return -1;
			P->p++;
			return 0;
		}
		if (S_word(P, "\\right"))
			return until == 'r' ? 0 : -1;
		if (until == 'a' && (*P->p == '&' || S_word(P, "\\end")
			|| (P->end - P->p >= 2 && P->p[0] == '\\' && P->p[1] == '\\')))
			return 0;
		if ((k = bb_mathfast_style(P, out, until)) != 0)
			return k < 0 ? -1 : 0;
		if (S_atom(P, &a) < 0)
			return -1;
		if (S_scripts(P, &a) < 0) {
			S_node_free(&a);
			return -1;
		}
		if (a.thin) {
			S_push(out, &a);
			memset(&a, 0, sizeof a);
			a.el = "";
			bb_buf_puts(&a.body, bb_mathfast_space(",", 1));
		}
		S_push(out, &a);
	}
}

/* ---- mathfast.c's steps for mathfast_env.c (mathfast_int.h) ---- */

int
bb_mathfast_expr(S_parser *P, S_list *out, int until)
{
	return S_expr(P, out, until);
}

void
bb_mathfast_elem(S_node *n, const char *el, S_node *c, size_t k)
{
	S_elem(n, el, c, k);
}

void
bb_mathfast_token(S_node *n, const char *el, const char *attrs, const char *text)
{
	S_token(n, el, attrs, text);
}

void
bb_mathfast_push(S_list *l, S_node *n)
{
	S_push(l, n);
}

void
bb_mathfast_build(S_list *l, int ordgroup)
{
	S_build(l, ordgroup);
}

void
bb_mathfast_row(S_list *l, S_node *out)
{
	S_row(l, out);
}

void
bb_mathfast_list_free(S_list *l)
{
	S_list_free(l);
}

int
bb_mathfast_arg(S_parser *P, S_node *out)
{
	return S_arg(P, out, 0);
}

char *
bb_mathfast_any(const char *tex, size_t len, int display)
{
	return bb_mathfast_parse(tex, len, display, NULL);
}

char *
bb_mathfast_parse(const char *tex, size_t len, int display, const char **undef)
{
	S_parser P;
	S_list l = { NULL, 0, 0 };
	bb_buf o = BB_BUF_INIT;
	size_t i;

	if (len == 0 || len > S_LEN_MAX)
		return NULL;
	for (i = 0; i < len; i++)
		if (tex[i] == 0x7f || ((unsigned char)tex[i] < 0x20 && tex[i] != '\n' && tex[i] != '\t'))
			return NULL;
	P.p = tex;
	P.end = tex + len;
	P.display = display != 0;
	P.depth = 0;
	P.font = NULL;
	P.undef = NULL;
	if (bb_math_gathered(&o, tex, len, display)) {
		/* KaTeX is given the rows as a gathered environment (mathml.c);
		 * the annotation keeps the TeX as written */
		P.p = o.data;
		P.end = o.data + o.len;
	}
	/* align and the like inline: KaTeX refuses them, mathml.c renders
	 * the formula in display mode */
	if (!display && bb_mathfast_block(tex, len))
		P.display = display = 1;
	i = S_expr(&P, &l, 0) < 0 || l.n == 0;
	/* refused at that symbol itself (nothing read after it) */
	if (undef)
		*undef = o.len == 0 && P.undef && P.p == P.undef + 2 ? P.undef : NULL;
	bb_buf_reset(&o);
	if (i) {
		S_list_free(&l);
		bb_buf_free(&o);
		return NULL;
	}
	S_build(&l, 0);
	bb_buf_puts(&o, display ? "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\"><semantics>"
				: "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><semantics>");
	/* buildMathML: one <mrow> (or <mtable>) is the wrapper itself */
	if (l.n == 1 && (strcmp(l.v[0].el, "mrow") == 0 || strcmp(l.v[0].el, "mtable") == 0)) {
		S_put(&o, &l.v[0]);
	} else {
		S_node w;
		S_elem(&w, "mrow", l.v, l.n);
		l.n = 0;
		S_put(&o, &w);
		S_node_free(&w);
	}
	S_list_free(&l);
	bb_buf_puts(&o, "<annotation encoding=\"application/x-tex\">");
	/* as mathml.c writes KaTeX's (no CR reaches here) */
	bb_buf_put_xml_text(&o, tex, len);
	bb_buf_puts(&o, "</annotation></semantics></math>");
	return bb_buf_detach(&o, NULL);
}

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static int S_katex_ok;

/* Sets S_katex_ok when the installed KaTeX is BB_MATHFAST_KATEX. */
static void
S_check_katex(void)
{
	char *data = NULL;
	size_t len = 0;

	if (bb_read_file(BB_JS_KATEX_PATH, (size_t)8 << 20, &data, &len) == 0 && data)
		S_katex_ok = memmem(data, len, "version:\"" BB_MATHFAST_KATEX "\"",
			sizeof "version:\"" BB_MATHFAST_KATEX "\"" - 1) != NULL;
	free(data);
}

char *
bb_mathfast(const char *tex, size_t len, int display)
{
	pthread_once(&S_once, S_check_katex);
	return S_katex_ok ? bb_mathfast_any(tex, len, display) : NULL;
}

char *
bb_mathfast_error(const char *tex, size_t len, int display)
{
	pthread_once(&S_once, S_check_katex);
	return S_katex_ok ? bb_mathfast_error_any(tex, len, display) : NULL;
}
