/* mathfast_env.c: the environments of the fast path (mathfast.c):
 * aligned, gathered and the matrices, as KaTeX's array builder writes
 * them. */
#include "mathfast_int.h"

#include <string.h>

typedef bb_mathfast_node S_node;
typedef bb_mathfast_list S_list;
typedef bb_mathfast_parser S_parser;

#define S_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The environments taken: aligned, gathered (one column here), and the
 * matrices with the text of the
 * fences KaTeX puts around them (NULL none). */
static const struct { const char *name, *left, *right; } S_envs[] = {
	{ "aligned", NULL, NULL }, { "gathered", NULL, NULL }, { "matrix", NULL, NULL }, { "pmatrix", "(", ")" },
	{ "bmatrix", "[", "]" }, { "Bmatrix", "{", "}" }, { "vmatrix", "\342\210\243", "\342\210\243" },
	{ "Vmatrix", "\342\210\245", "\342\210\245" },
};

/* Ends a row: its cells (row) become an <mtr> in rows. */
static void
S_array_row(S_list *row, S_list *rows)
{
	S_node r;

	bb_mathfast_elem(&r, "mtr", row->v, row->n);
	row->n = 0;
	bb_mathfast_push(rows, &r);
}

/* One cell, up to & \\\\ or \\end: KaTeX's ordgroup in a styling node,
 * display style for aligned (with an empty group first in every second
 * column), text style for a matrix. *empty is set when it holds nothing. */
static int
S_array_cell(S_parser *P, int env, S_list *row, int *empty)
{
	S_list cell = { NULL, 0, 0 };
	S_node c, st, td;

	if (env == 0 && row->n % 2 == 1) {
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
	bb_buf_puts(&st.attrs, env <= 1 ? " scriptlevel=\"0\" displaystyle=\"true\""
				       : " scriptlevel=\"0\" displaystyle=\"false\"");
	bb_mathfast_elem(&td, "mtd", &st, 1);
	bb_mathfast_push(row, &td);
	return 0;
}

/* The mtable's attributes for ncols columns (S_fix drops an empty one). */
static void
S_array_attrs(bb_buf *a, int env, size_t ncols)
{
	size_t i;
	int aligned = env == 0;

	if (env == 1) {
		bb_buf_puts(a, " rowspacing=\"0.25em\" columnalign=\"center\" columnspacing=\"0em\"");
		return;
	}
	bb_buf_puts(a, aligned ? " rowspacing=\"0.25em\" columnalign=\"" : " rowspacing=\"0.16em\" columnalign=\"");
	for (i = 0; i < ncols; i++)
		bb_buf_puts(a, aligned ? (i == 0 ? "right" : i % 2 ? " left" : " right") : i ? " center" : "center");
	bb_buf_putc(a, '"');
	if (!aligned)
		bb_buf_puts(a, " columnspacing=\"1em\"");
	for (i = 1; aligned && i < ncols; i++)
		bb_buf_puts(a, i == 1 ? " columnspacing=\"0em" : i % 2 ? " 0em" : " 1em");
	if (aligned && ncols > 1)
		bb_buf_putc(a, '"');
}

/* Reads "{NAME}" of an environment at P->p: its index in S_envs, or -1. */
static int
S_env_name(S_parser *P)
{
	size_t i, n;

	for (i = 0; i < S_COUNT(S_envs); i++) {
		n = strlen(S_envs[i].name);
		if ((size_t)(P->end - P->p) >= n + 2 && P->p[0] == '{' && P->p[n + 1] == '}'
			&& memcmp(P->p + 1, S_envs[i].name, n) == 0) {
			P->p += n + 2;
			return (int)i;
		}
	}
	return -1;
}

int
bb_mathfast_env(S_parser *P, S_node *out)
{
	S_list rows = { NULL, 0, 0 }, row = { NULL, 0, 0 };
	size_t ncols = 0;
	int display = P->display, empty = 0, rc = -1, env = S_env_name(P);

	if (env < 0 || ++P->depth > BB_MATHFAST_DEPTH_MAX)
		return -1;
	P->display = env <= 1;
	for (;;) {
		/* gathered has one column; & in it is left to KaTeX */
		if (S_array_cell(P, env, &row, &empty) < 0 || (env == 1 && *P->p == '&'))
			goto out;
		if (row.n > ncols)
			ncols = row.n;
		if (*P->p == '&') {
			P->p++;
			continue;
		}
		if (P->p[1] == '\\') {
			/* \\\\[2pt]: a gap KaTeX's MathML does not use; left to it */
			P->p += 2;
			if (P->p < P->end && *P->p == '[')
				goto out;
			S_array_row(&row, &rows);
			continue;
		}
		break;
	}
	P->p += 4;
	if (S_env_name(P) != env)
		goto out;
	/* an empty last row is dropped (for aligned and gathered, not the
	 * only one) */
	if (!(row.n == 1 && empty && (rows.n > 0 || env > 1)))
		S_array_row(&row, &rows);
	if (!rows.n)
		goto out;
	bb_mathfast_elem(out, "mtable", rows.v, rows.n);
	rows.n = 0;
	S_array_attrs(&out->attrs, env, ncols);
	if (S_envs[env].left) {
		S_node f[3];
		bb_mathfast_token(&f[0], "mo", " fence=\"true\"", S_envs[env].left);
		f[1] = *out;
		bb_mathfast_token(&f[2], "mo", " fence=\"true\"", S_envs[env].right);
		bb_mathfast_elem(out, "mrow", f, 3);
	}
	P->display = display;
	P->depth--;
	rc = 0;
out:
	bb_mathfast_list_free(&row);
	bb_mathfast_list_free(&rows);
	return rc;
}
