/* mathfast_env.c: the environments of the fast path (mathfast.c) as
 * KaTeX's array builder writes them (aligned, align, gathered, gather,
 * the matrices, array, cases, equation), and the commands around them:
 * \displaystyle and \textstyle, \underbrace and \overbrace, and \\ outside
 * an environment. */
#define _GNU_SOURCE
#include "mathfast_int.h"

#include <string.h>

typedef bb_mathfast_node S_node;
typedef bb_mathfast_list S_list;
typedef bb_mathfast_parser S_parser;

#define S_COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define S_COLS_MAX 64

/* How KaTeX's array builder lays an environment out. */
enum { S_ALIGN, S_SPLIT, S_GATHER, S_MATRIX, S_ARRAY, S_CASES, S_EQUATION };

/* The environments taken: their layout, their cells' style (display or
 * text), numbered rows (KaTeX's tags: an empty mtr-glue cell each side
 * and an mml-eqn-num one), KaTeX's emptySingleRow (an empty only row is
 * kept), and the text of the fences KaTeX puts around them (NULL none). */
static const struct S_env {
	const char *name;
	int kind, display, tags, empty_ok;
	const char *left, *right;
} S_envs[] = {
	{ "aligned", S_ALIGN, 1, 0, 1, NULL, NULL }, { "align", S_ALIGN, 1, 1, 1, NULL, NULL },
	{ "align*", S_ALIGN, 1, 0, 1, NULL, NULL }, { "gathered", S_GATHER, 1, 0, 1, NULL, NULL },
	{ "gather", S_GATHER, 1, 1, 1, NULL, NULL }, { "gather*", S_GATHER, 1, 0, 1, NULL, NULL },
	{ "equation", S_EQUATION, 1, 1, 1, NULL, NULL }, { "equation*", S_EQUATION, 1, 0, 1, NULL, NULL },
	{ "matrix", S_MATRIX, 0, 0, 0, NULL, NULL }, { "pmatrix", S_MATRIX, 0, 0, 0, "(", ")" },
	{ "bmatrix", S_MATRIX, 0, 0, 0, "[", "]" }, { "Bmatrix", S_MATRIX, 0, 0, 0, "{", "}" },
	{ "vmatrix", S_MATRIX, 0, 0, 0, "\342\210\243", "\342\210\243" },
	{ "Vmatrix", S_MATRIX, 0, 0, 0, "\342\210\245", "\342\210\245" },
	{ "array", S_ARRAY, 0, 0, 0, NULL, NULL }, { "darray", S_ARRAY, 1, 0, 0, NULL, NULL },
	{ "cases", S_CASES, 0, 0, 0, "{", NULL }, { "dcases", S_CASES, 1, 0, 0, "{", NULL },
	{ "rcases", S_CASES, 0, 0, 0, NULL, "}" }, { "drcases", S_CASES, 1, 0, 0, NULL, "}" },
	{ "split", S_SPLIT, 1, 0, 1, NULL, NULL },
};

/* The environments KaTeX takes in display mode only; inline, mathml.c
 * renders the whole formula again in display mode. */
static const char *const S_block[] = { "\\begin{align}", "\\begin{align*}", "\\begin{gather}",
	"\\begin{gather*}", "\\begin{equation}", "\\begin{equation*}", "\\begin{split}" };

/* Ends a row: its cells (row) become an <mtr> in rows, between the empty
 * cells of a numbered row. */
static void
S_array_row(S_list *row, S_list *rows, int tags)
{
	S_node r, c;

	bb_mathfast_elem(&r, "mtr", row->v, row->n);
	row->n = 0;
	if (tags) {
		c = r;
		memset(&r.body, 0, sizeof r.body);
		bb_buf_puts(&r.body, "<mtd class=\"mtr-glue\"/>");
		bb_buf_put(&r.body, c.body.data, c.body.len);
		bb_buf_puts(&r.body, "<mtd class=\"mtr-glue\"/><mtd class=\"mml-eqn-num\"/>");
		bb_buf_free(&c.body);
	}
	bb_mathfast_push(rows, &r);
}

/* One cell, up to & \\\\ or \\end: KaTeX's ordgroup in a styling node
 * (with an empty group first in every second column of an align). *empty
 * is set when it holds nothing. */
static int
S_array_cell(S_parser *P, const struct S_env *e, S_list *row, int *empty)
{
	S_list cell = { NULL, 0, 0 };
	S_node c, st, td;

	if ((e->kind == S_ALIGN || e->kind == S_SPLIT) && row->n % 2 == 1) {
		bb_mathfast_elem(&c, "mrow", NULL, 0);
		bb_mathfast_push(&cell, &c);
	}
	if (bb_mathfast_expr(P, &cell, 'a') < 0) {
		bb_mathfast_list_free(&cell);
		return -1;
	}
	*empty = cell.n == 0;
	bb_mathfast_build(&cell, 1);
	bb_mathfast_row(&cell, &c);
	bb_mathfast_elem(&st, "mstyle", &c, 1);
	bb_buf_puts(&st.attrs, e->display ? " scriptlevel=\"0\" displaystyle=\"true\""
					  : " scriptlevel=\"0\" displaystyle=\"false\"");
	bb_mathfast_elem(&td, "mtd", &st, 1);
	bb_mathfast_push(row, &td);
	return 0;
}

/* An array's column spec "{l|cr}" at P->p into cols (its letters and
 * bars, n of them): 0, or -1 when it is one KaTeX's builder is not
 * followed for here (":" rules, a spec without a column). */
static int
S_colspec(S_parser *P, char *cols, size_t *n)
{
	int aligns = 0;

	while (P->p < P->end && (*P->p == ' ' || *P->p == '\t' || *P->p == '\n'))
		P->p++;
	if (P->p >= P->end || *P->p != '{')
		return -1;
	*n = 0;
	for (P->p++; P->p < P->end && *P->p != '}'; P->p++) {
		if (*P->p == ' ' || *P->p == '\t' || *P->p == '\n')
			continue;
		if (!strchr("lcr|", *P->p) || *n == S_COLS_MAX)
			return -1;
		aligns += *P->p != '|';
		cols[(*n)++] = *P->p;
	}
	if (P->p >= P->end || !aligns)
		return -1;
	P->p++;
	return 0;
}

/* An array's columnalign and columnlines (KaTeX's loop over the spec
 * between a first and a last rule); *enclose set to the menclose notation
 * its edge rules make ("" none). */
static void
S_array_cols(bb_buf *a, const char *cols, size_t n, const char **enclose)
{
	bb_buf lines = BB_BUF_INIT;
	size_t i, from = cols[0] == '|', to = n - (cols[n - 1] == '|');
	int after = 0, first = 1;

	/* KaTeX 0.16.4 names the edge rules "top" and "bottom" */
	*enclose = from && to < n ? "top bottom" : from ? "top" : to < n ? "bottom" : "";
	bb_buf_puts(a, " columnalign=\"");
	for (i = from; i < to; i++) {
		if (cols[i] != '|') {
			if (!first)
				bb_buf_putc(a, ' ');
			bb_buf_puts(a, cols[i] == 'l' ? "left" : cols[i] == 'r' ? "right" : "center");
			first = 0;
			if (after)
				bb_buf_puts(&lines, "none ");
			after = 1;
		} else if (after) {
			bb_buf_puts(&lines, "solid ");
			after = 0;
		}
	}
	bb_buf_putc(a, '"');
	if (lines.len && memmem(lines.data, lines.len, "solid", 5)) {
		bb_buf_puts(a, " columnlines=\"");
		bb_buf_put(a, lines.data, lines.len - 1);
		bb_buf_putc(a, '"');
	}
	bb_buf_free(&lines);
}

/* The mtable's attributes for ncols columns (S_fix drops an empty one). */
static void
S_array_attrs(bb_buf *a, const struct S_env *e, size_t ncols)
{
	size_t i;

	switch (e->kind) {
	case S_GATHER:
		bb_buf_puts(a, " rowspacing=\"0.25em\" columnalign=\"center\" columnspacing=\"0em\"");
		return;
	case S_CASES:
		bb_buf_puts(a, " rowspacing=\"0.36em\" columnalign=\"left left\" columnspacing=\"1em\"");
		return;
	case S_EQUATION:
		bb_buf_puts(a, " rowspacing=\"0.16em\" columnspacing=\"1em\"");
		return;
	case S_ALIGN:
	case S_SPLIT:
		bb_buf_puts(a, " rowspacing=\"0.25em\" columnalign=\"");
		for (i = 0; i < ncols; i++)
			bb_buf_puts(a, i == 0 ? "right" : i % 2 ? " left" : " right");
		bb_buf_putc(a, '"');
		for (i = 1; i < ncols; i++)
			bb_buf_puts(a, i == 1 ? " columnspacing=\"0em" : i % 2 ? " 0em" : " 1em");
		if (ncols > 1)
			bb_buf_putc(a, '"');
		return;
	default:
		bb_buf_puts(a, " rowspacing=\"0.16em\" columnalign=\"");
		for (i = 0; i < ncols; i++)
			bb_buf_puts(a, i ? " center" : "center");
		bb_buf_puts(a, "\" columnspacing=\"1em\"");
	}
}

/* Reads "{NAME}" of an environment at P->p: its entry in S_envs, or NULL. */
static const struct S_env *
S_env_name(S_parser *P)
{
	size_t i, n;

	for (i = 0; i < S_COUNT(S_envs); i++) {
		n = strlen(S_envs[i].name);
		if ((size_t)(P->end - P->p) >= n + 2 && P->p[0] == '{' && P->p[n + 1] == '}'
			&& memcmp(P->p + 1, S_envs[i].name, n) == 0) {
			P->p += n + 2;
			return &S_envs[i];
		}
	}
	return NULL;
}

/* The rows of environment e up to \\end{NAME} (read) into rows; *ncols
 * set to the most cells of a row. 0, or -1. */
static int
S_array_rows(S_parser *P, const struct S_env *e, S_list *rows, size_t *ncols)
{
	S_list row = { NULL, 0, 0 };
	int empty = 0, rc = -1;

	if (e->tags)
		P->eqnsw = 1;
	for (;;) {
		/* gather has one column, split two, equation one cell; & and
		 * \\\\ beyond them are left to KaTeX */
		if (S_array_cell(P, e, &row, &empty) < 0
			|| (*P->p == '&' && (e->kind == S_GATHER || e->kind == S_EQUATION
				|| (e->kind == S_SPLIT && row.n == 2))))
			goto out;
		if (row.n > *ncols)
			*ncols = row.n;
		if (*P->p == '&') {
			P->p++;
			continue;
		}
		if (P->p[1] == '\\') {
			/* \\\\[2pt]: a gap KaTeX's MathML does not use; left to it */
			P->p += 2;
			if (e->kind == S_EQUATION || (P->p < P->end && *P->p == '['))
				goto out;
			S_array_row(&row, rows, e->tags && P->eqnsw);
			if (e->tags)
				P->eqnsw = 1;
			continue;
		}
		break;
	}
	P->p += 4;
	if (S_env_name(P) != e)
		goto out;
	/* an empty last row is dropped (when emptySingleRow, not the only
	 * one) */
	if (!(row.n == 1 && empty && (rows->n > 0 || !e->empty_ok)))
		S_array_row(&row, rows, e->tags && P->eqnsw);
	rc = rows->n ? 0 : -1;
out:
	bb_mathfast_list_free(&row);
	return rc;
}

int
bb_mathfast_env(S_parser *P, S_node *out)
{
	S_list rows = { NULL, 0, 0 };
	size_t ncols = 0, ncs = 0;
	int display = P->display;
	const struct S_env *e = S_env_name(P);
	const char *enclose = "";
	char cols[S_COLS_MAX];

	if (!e || (e->kind == S_ARRAY && S_colspec(P, cols, &ncs) < 0) || ++P->depth > BB_MATHFAST_DEPTH_MAX)
		return -1;
	P->display = e->display;
	if (S_array_rows(P, e, &rows, &ncols) < 0) {
		bb_mathfast_list_free(&rows);
		return -1;
	}
	bb_mathfast_elem(out, "mtable", rows.v, rows.n);
	rows.n = 0;
	bb_mathfast_list_free(&rows);
	if (e->kind == S_ARRAY) {
		bb_buf_puts(&out->attrs, " rowspacing=\"0.16em\"");
		S_array_cols(&out->attrs, cols, ncs, &enclose);
		bb_buf_puts(&out->attrs, " columnspacing=\"1em\"");
	} else {
		S_array_attrs(&out->attrs, e, ncols);
	}
	if (*enclose) {
		S_node t = *out;
		bb_mathfast_elem(out, "menclose", &t, 1);
		bb_buf_printf(&out->attrs, " notation=\"%s\"", enclose);
	}
	if (e->left || e->right) {
		S_node f[3];
		size_t k = 0;
		if (e->left)
			bb_mathfast_token(&f[k++], "mo", " fence=\"true\"", e->left);
		f[k++] = *out;
		if (e->right)
			bb_mathfast_token(&f[k++], "mo", " fence=\"true\"", e->right);
		bb_mathfast_elem(out, "mrow", f, k);
	}
	P->display = display;
	P->depth--;
	return 0;
}

int
bb_mathfast_block(const char *tex, size_t len)
{
	size_t i;

	if (!memmem(tex, len, "\\begin{", 7))
		return 0;
	for (i = 0; i < S_COUNT(S_block); i++)
		if (memmem(tex, len, S_block[i], strlen(S_block[i])))
			return 1;
	return 0;
}

int
bb_mathfast_style(S_parser *P, S_list *out, int until)
{
	static const char *const words[] = { "\\displaystyle", "\\textstyle", "\\nonumber", "\\notag" };
	S_list body = { NULL, 0, 0 };
	S_node st;
	size_t i, n = 0;
	int display = P->display, rc;

	for (i = 0; i < S_COUNT(words); i++) {
		n = strlen(words[i]);
		if ((size_t)(P->end - P->p) >= n && memcmp(P->p, words[i], n) == 0
			&& ((size_t)(P->end - P->p) == n || !bb_mathfast_letter(P->p[n])))
			break;
	}
	if (i == S_COUNT(words))
		return 0;
	if (++P->depth > BB_MATHFAST_DEPTH_MAX)
		return -1;
	P->p += n;
	if (i >= 2) {
		/* a macro setting \@eqnsw: nothing in the expression */
		P->eqnsw = 0;
		rc = bb_mathfast_expr(P, out, until);
		P->depth--;
		return rc < 0 ? -1 : 1;
	}
	/* KaTeX's styling node: the rest of the group in that style */
	P->display = i == 0;
	rc = bb_mathfast_expr(P, &body, until);
	P->display = display;
	P->depth--;
	if (rc < 0) {
		bb_mathfast_list_free(&body);
		return -1;
	}
	bb_mathfast_build(&body, 0);
	bb_mathfast_elem(&st, "mstyle", body.v, body.n);
	body.n = 0;
	bb_mathfast_list_free(&body);
	bb_buf_puts(&st.attrs, i == 0 ? " scriptlevel=\"0\" displaystyle=\"true\""
				      : " scriptlevel=\"0\" displaystyle=\"false\"");
	bb_mathfast_push(out, &st);
	return 1;
}

int
bb_mathfast_cmd(S_parser *P, const char *name, size_t n, S_node *out)
{
	S_node c[2];
	const char *q = P->p;

	if (n == 1 && *name == '\\') {
		/* \\ outside an environment: KaTeX's cr node; a size after it or
		 * scripts on it are left to KaTeX */
		while (q < P->end && (*q == ' ' || *q == '\t' || *q == '\n'))
			q++;
		if (q < P->end && strchr("[^_'", *q))
			return -1;
		bb_mathfast_elem(out, "mspace", NULL, 0);
		bb_buf_puts(&out->attrs, " linebreak=\"newline\"");
		return 0;
	}
	/* \underbrace, \overbrace: KaTeX's horizBrace */
	if (bb_mathfast_arg(P, &c[0]) < 0)
		return -1;
	bb_mathfast_token(&c[1], "mo", " stretchy=\"true\"", *name == 'u' ? "\342\217\237" : "\342\217\236");
	bb_mathfast_elem(out, *name == 'u' ? "munder" : "mover", c, 2);
	out->brace = *name == 'u' ? 1 : 2;
	return 0;
}
