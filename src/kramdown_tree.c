/* kramdown_tree.c: kramdown's text conversions on cmark's tree: one walk
 * over the runs of text nodes, leaving code, HTML and math alone (the
 * conversions themselves: kramdown_typo.c and kramdown_abbr.c). */
#include "cmarkmem.h"
#include "kramdown_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct S_tree {
	const bb_kramdown_opts *o;
	kd_abbrs abbr;
	/* S_tree_children's buffers, kept for the post's walk (one set of
	 * allocations a post, not one a paragraph) */
	bb_buf flat, res, ctx, tmp, prot;
} S_tree;

/* Length of a math span at s[i] ($$...$$ or $...$ as TeX writers use it), or 0. */
static size_t
S_math_span(const char *s, size_t n, size_t i)
{
	size_t j;
	if (s[i] != '$')
		return 0;
	if (i + 1 < n && s[i + 1] == '$') {
		for (j = i + 2; j + 1 < n; j++)
			if (s[j] == '$' && s[j + 1] == '$')
				return j + 2 - i;
		return 0;
	}
	if (i + 1 >= n || kd_space((unsigned char)s[i + 1]))
		return 0;
	for (j = i + 1; j < n && s[j] != '\n'; j++) {
		if (s[j] == '\\') {
			j++;
			continue;
		}
		if (s[j] == '$') {
			if (kd_space((unsigned char)s[j - 1]) || (j + 1 < n && isdigit((unsigned char)s[j + 1])))
				return 0;
			return j + 1 - i;
		}
	}
	return 0;
}

/* The character kramdown would see in the source just before (after=0) or
 * after (after=1) node x, standing for its markup. */
static char
S_ctx(cmark_node *x, int after)
{
	if (!x)
		return after ? 0 : 0;
	switch (cmark_node_get_type(x)) {
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG:
		return '*';
	case CMARK_NODE_CODE:
		return '`';
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		return after ? '[' : ')';
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		return '\n';
	case CMARK_NODE_HTML_INLINE:
		return after ? '<' : '>';
	case CMARK_NODE_TEXT: {
		const char *l = cmark_node_get_literal(x);
		size_t n = l ? strlen(l) : 0;
		if (!n)
			return 0;
		return after ? l[0] : l[n - 1];
	}
	default:
		return 'x';
	}
}

/* Appends a text node holding s[0..n) before `before`. */
static void
S_text_before(cmark_node *before, const char *s, size_t n, bb_buf *tmp)
{
	cmark_node *x;
	if (!n)
		return;
	x = bb_cmark_node_new(CMARK_NODE_TEXT);
	bb_buf_reset(tmp);
	bb_buf_put(tmp, s, n);
	cmark_node_set_literal(x, tmp->data);
	cmark_node_insert_before(before, x);
}

/* Converts the runs of text nodes directly under parent. Math spans are
 * found in the parent's whole inline text (display math runs over soft
 * breaks) and left alone. */
static void
S_tree_children(S_tree *t, cmark_node *parent)
{
	cmark_node *x;
	bb_buf *flat = &t->flat, *res = &t->res, *ctx = &t->ctx, *tmp = &t->tmp;
	char *prot;
	size_t fpos = 0, i;

	bb_buf_reset(flat);
	/* the inline text: literals, a newline for breaks, 0x01 for the rest */
	for (x = cmark_node_first_child(parent); x; x = cmark_node_next(x)) {
		cmark_node_type ty = cmark_node_get_type(x);
		if (ty == CMARK_NODE_TEXT) {
			const char *l = cmark_node_get_literal(x);
			bb_buf_puts(flat, l ? l : "");
		} else if (ty == CMARK_NODE_SOFTBREAK || ty == CMARK_NODE_LINEBREAK)
			bb_buf_putc(flat, '\n');
		else
			bb_buf_putc(flat, '\x01');
	}
	if (!flat->len)
		return;
	bb_buf_reset(&t->prot);
	bb_buf_grow(&t->prot, flat->len);
	prot = t->prot.data;
	memset(prot, 0, flat->len + 1);
	/* a span starts at a '$': the others are passed at once */
	for (i = 0; i < flat->len;) {
		const char *d = memchr(flat->data + i, '$', flat->len - i);
		size_t m;
		if (!d)
			break;
		i = (size_t)(d - flat->data);
		if ((m = S_math_span(flat->data, flat->len, i))) {
			memset(prot + i, 1, m);
			i += m;
		} else
			i++;
	}

	x = cmark_node_first_child(parent);
	while (x) {
		cmark_node *first = x, *y, *next;
		char pc, nc;
		size_t fa = fpos, fb, p, q;
		int prevw;
		cmark_node_type ty = cmark_node_get_type(x);
		if (ty != CMARK_NODE_TEXT) {
			fpos += 1;
			x = cmark_node_next(x);
			continue;
		}
		for (y = x; y && cmark_node_get_type(y) == CMARK_NODE_TEXT; y = cmark_node_next(y)) {
			const char *l = cmark_node_get_literal(y);
			fpos += l ? strlen(l) : 0;
		}
		next = y;
		fb = fpos;
		pc = S_ctx(cmark_node_previous(first), 0);
		if (next)
			nc = S_ctx(next, 1);
		else {
			cmark_node_type pt = cmark_node_get_type(parent);
			nc = pt == CMARK_NODE_EMPH || pt == CMARK_NODE_STRONG ? '_' :
			     pt == CMARK_NODE_LINK || pt == CMARK_NODE_IMAGE ? ']' : 0;
		}
		prevw = pc && kd_word((unsigned char)pc) && cmark_node_get_type(cmark_node_previous(first)) == CMARK_NODE_TEXT;
		/* pieces: protected (math) as they are, the rest converted */
		for (p = fa; p < fb; p = q) {
			int pr = prot[p];
			for (q = p; q < fb && prot[q] == pr; q++)
				;
			if (pr) {
				S_text_before(first, flat->data + p, q - p, tmp);
				continue;
			}
			/* the piece and what follows it, for the rules' look-ahead */
			bb_buf_reset(ctx);
			bb_buf_put(ctx, flat->data + p, q - p);
			if (q < fb)
				bb_buf_putc(ctx, '$');
			else if (nc == '*')
				bb_buf_puts(ctx, "*a");
			else if (nc)
				bb_buf_putc(ctx, nc);
			bb_buf_reset(res);
			bb_kd_typo(t->o, ctx->data, ctx->len, 0, q - p, res);
			/* one text node the rules left as it was stays (most of a
			 * post's text: no node made, none freed) */
			if (!t->abbr.n && p == fa && q == fb && cmark_node_next(first) == next && res->len == q - p &&
			    memcmp(res->data, flat->data + p, q - p) == 0)
				goto kept;
			if (t->abbr.n)
				bb_kd_abbr_nodes(&t->abbr, res->data ? res->data : "", res->len, p == fa ? prevw : 0, first);
			else
				S_text_before(first, res->data ? res->data : "", res->len, tmp);
		}
		for (y = first; y != next;) {
			cmark_node *z = cmark_node_next(y);
			cmark_node_free(y);
			y = z;
		}
	kept:
		x = next;
	}
}

int
bb_kramdown_tree(cmark_node *doc, const bb_kramdown_opts *o)
{
	S_tree t;
	cmark_node *x;
	memset(&t, 0, sizeof t);
	t.o = o;
	bb_kd_abbr_read(&t.abbr, doc);
	if (!o->typographic && !o->smart_quotes && !t.abbr.n)
		goto out;
	/* a walk without recursion: the children of a node are converted
	 * before it is entered */
	S_tree_children(&t, doc);
	x = cmark_node_first_child(doc);
	while (x) {
		cmark_node_type ty = cmark_node_get_type(x);
		cmark_node *c = NULL;
		if (ty != CMARK_NODE_CODE_BLOCK && ty != CMARK_NODE_HTML_BLOCK && ty != CMARK_NODE_CODE &&
		    ty != CMARK_NODE_HTML_INLINE && ty != CMARK_NODE_TEXT) {
			S_tree_children(&t, x);
			c = cmark_node_first_child(x);
		}
		if (c) {
			x = c;
			continue;
		}
		while (x && x != doc && !cmark_node_next(x))
			x = cmark_node_parent(x);
		if (!x || x == doc)
			break;
		x = cmark_node_next(x);
	}
out:
	bb_buf_free(&t.flat);
	bb_buf_free(&t.res);
	bb_buf_free(&t.ctx);
	bb_buf_free(&t.tmp);
	bb_buf_free(&t.prot);
	bb_kd_abbr_free(&t.abbr);
	return 0;
}
