/* liquid_lex.c: reads a Liquid text into tokens (text, {{ }}, {% %}, with their trims) and matches each block tag with its clauses and end. */
#define _XOPEN_SOURCE 700
#include "liquid_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		if (lq_eq(name, nl, t->name))
			return t;
	return NULL;
}

/* The name that closes a block: "end" + name ("em" also closes m). */
static int
S_closes(const lq_tok *open, const char *name, size_t nl)
{
	if (nl == open->nl + 3 && memcmp(name, "end", 3) == 0 && memcmp(name + 3, open->name, open->nl) == 0)
		return 1;
	return open->op == OP_M && lq_eq(name, nl, "em");
}

/* ---- tokenizing ---- */

static size_t
S_close(lq_doc *d, size_t from, int is_var)
{
	size_t *cf = is_var ? &d->var_from : &d->tag_from;
	size_t *ce = is_var ? &d->var_end : &d->tag_end;
	if (*cf != LQ_NOPOS && from >= *cf && (*ce == LQ_NOPOS || from <= *ce))
		return *ce;
	*cf = from;
	*ce = bb_lq_find2(d->text, d->len, from, is_var ? '}' : '%', '}');
	return *ce;
}

/* Reads the token whose "{%" or "{{" is at i into t. Returns 0, or -1 when
 * it has no closing delimiter. trim_left is returned in *tl. */
static int
S_scan(lq_doc *d, size_t i, lq_tok *t, int *tl)
{
	const char *in;
	size_t n, e;
	memset(t, 0, sizeof *t);
	t->kind = d->text[i + 1] == '{' ? T_VAR : T_TAG;
	e = S_close(d, i + 2, t->kind == T_VAR);
	if (e == LQ_NOPOS)
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
	lq_trim(&in, &n);
	if (t->kind == T_TAG) {
		size_t k = 0;
		if (n > 0 && in[0] == '#')
			k = 1;
		else
			while (k < n && (lq_isword((unsigned char)in[k]) || in[k] == '-'))
				k++;
		t->name = in;
		t->nl = k;
		in += k;
		n -= k;
		lq_trim(&in, &n);
	}
	t->markup = in;
	t->ml = n;
	t->next_i = LQ_NOPOS;
	t->end_i = LQ_NOPOS;
	return 0;
}

static lq_tok *
S_add_tok(lq_doc *d)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->t = bb_xrealloc(d->t, d->cap * sizeof *d->t);
	}
	memset(&d->t[d->n], 0, sizeof d->t[0]);
	d->t[d->n].next_i = d->t[d->n].end_i = LQ_NOPOS;
	return &d->t[d->n++];
}

static void
S_add_text(lq_doc *d, size_t from, size_t to, int *pending_trim)
{
	lq_tok *t;
	const char *s = d->text + from;
	size_t n = to > from ? to - from : 0;
	if (*pending_trim) {
		while (n > 0 && lq_isspace((unsigned char)*s))
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
S_trim_prev(lq_doc *d)
{
	lq_tok *t;
	if (d->n == 0 || d->t[d->n - 1].kind != T_TEXT)
		return;
	t = &d->t[d->n - 1];
	while (t->n > 0 && lq_isspace((unsigned char)t->s[t->n - 1]))
		t->n--;
	if (t->n == 0)
		d->n--;
}

/* Finds the next tag named name at or after from. Returns 0 with *t
 * filled, or -1 when there is none. */
static int
S_next_named(lq_doc *d, size_t from, const char *name, lq_tok *t, int *tl)
{
	for (;;) {
		size_t k = bb_lq_find2(d->text, d->len, from, '{', '%');
		if (k == LQ_NOPOS || S_scan(d, k, t, tl) < 0)
			return -1;
		if (lq_eq(t->name, t->nl, name))
			return 0;
		from = k + 2;
	}
}

/* Splits d's text into tokens: raw bodies become text, comments vanish,
 * whitespace control is applied to the text around. */
void
bb_lq_tokenize(lq_state *st, lq_doc *d)
{
	size_t pos = 0, len = d->len;
	int pending = 0;
	const char *text = d->text;
	while (pos < len) {
		const char *p = memchr(text + pos, '{', len - pos);
		size_t i;
		lq_tok t, c;
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
				bb_lq_warn(st, d, i, bb_xasprintf("unterminated Liquid '%.2s' kept as text", text + i));
			d->warned_unterminated = 1;
			S_add_text(d, i, i + 2, &pending);
			pos = i + 2;
			continue;
		}
		if (tl)
			S_trim_prev(d);
		pos = t.end;
		if (t.kind == T_TAG && lq_eq(t.name, t.nl, "raw")) {
			size_t b = t.end, e;
			if (S_next_named(d, t.end, "endraw", &c, &ctl) < 0) {
				bb_lq_warn(st, d, t.start, bb_xstrdup("{% raw %} without {% endraw %}: the rest of the text is kept as it is"));
				pending = 0;
				S_add_text(d, t.end, len, &pending);
				pos = len;
				break;
			}
			e = c.start;
			if (t.trim_right)
				while (b < e && lq_isspace((unsigned char)text[b]))
					b++;
			if (ctl)
				while (e > b && lq_isspace((unsigned char)text[e - 1]))
					e--;
			pending = 0;
			S_add_text(d, b, e, &pending);
			pos = c.end;
			pending = c.trim_right;
			continue;
		}
		if (t.kind == T_TAG && lq_eq(t.name, t.nl, "comment")) {
			unsigned long depth = 1;
			size_t from = t.end;
			int closed = 0;
			for (;;) {
				size_t k = bb_lq_find2(text, len, from, '{', '%');
				if (k == LQ_NOPOS || S_scan(d, k, &c, &ctl) < 0)
					break;
				from = c.end;
				if (lq_eq(c.name, c.nl, "comment")) {
					depth++;
				} else if (lq_eq(c.name, c.nl, "endcomment")) {
					if (--depth == 0) {
						closed = 1;
						break;
					}
				} else if (lq_eq(c.name, c.nl, "raw")) {
					if (S_next_named(d, c.end, "endraw", &c, &ctl) < 0)
						break;
					from = c.end;
				}
			}
			if (!closed) {
				bb_lq_warn(st, d, t.start, bb_xstrdup("{% comment %} without {% endcomment %}: the tag is removed, the rest of the text kept as it is"));
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
S_has_end(lq_doc *d, size_t from, const char *name, size_t nl)
{
	size_t i;
	for (i = from; i < d->n; i++) {
		const lq_tok *t = &d->t[i];
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
S_ends_later(S_seen *seen, lq_doc *d, size_t i)
{
	const lq_tok *t = &d->t[i];
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
void
bb_lq_parse(lq_state *st, lq_doc *d)
{
	S_open *stack = NULL;
	size_t sp = 0, i;
	S_seen seen;
	int hl = 0;

	stack = bb_xmalloc((LQ_NEST_MAX + 1) * sizeof *stack);
	seen.n = 0;
	for (i = 0; i < d->n; i++) {
		lq_tok *t = &d->t[i];
		const S_tagdef *def;
		int block = 0;
		if (t->kind != T_TAG)
			continue;
		def = S_tagdef_of(t->name, t->nl);
		t->op = def ? def->op : OP_UNKNOWN;
		if (def && def->block == 1) {
			block = 1;
		} else if ((t->nl > 3 && memcmp(t->name, "end", 3) == 0) || lq_eq(t->name, t->nl, "em")) {
			size_t k;
			for (k = sp; k > 0; k--)
				if (S_closes(&d->t[stack[k - 1].i], t->name, t->nl))
					break;
			if (k == 0) {
				t->op = OP_IGNORED;
				bb_lq_warn(st, d, t->start, bb_xasprintf("{%% %.*s %%} closes no open block: removed",
					(int)(t->nl > 40 ? 40 : t->nl), t->name));
				continue;
			}
			while (sp > k) {
				lq_tok *o = &d->t[stack[--sp].i];
				o->end_i = i;
				o->own_end = 0;
				if (o->op == OP_HIGHLIGHT)
					hl = 0;
				bb_lq_warn(st, d, o->start, bb_xasprintf("{%% %.*s %%} without {%% end%.*s %%}: closed at {%% %.*s %%}",
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
				bb_lq_warn(st, d, t->start, bb_xasprintf("{%% %.*s %%} outside the block it belongs to: removed",
					(int)t->nl, t->name));
				continue;
			}
			d->t[stack[sp - 1].last_clause].next_i = i;
			stack[sp - 1].last_clause = i;
			continue;
		} else if (t->nl > 0 && (t->op == OP_UNKNOWN || (def && def->block == 2))) {
			int k = bb_lq_tags_kindn(st->env ? st->env->tags : NULL, t->name, t->nl);
			block = (k < 0 ? S_ends_later(&seen, d, i) : k) == 1;
			if (block && t->op == OP_UNKNOWN)
				t->op = OP_BLOCK;
		}
		if (!block)
			continue;
		if (t->op == OP_HIGHLIGHT && hl) {
			t->op = OP_IGNORED;
			bb_lq_warn(st, d, t->start, bb_xstrdup("{% highlight %} inside {% highlight %} removed"));
			continue;
		}
		if (sp >= LQ_NEST_MAX) {
			t->op = OP_IGNORED;
			bb_lq_warn(st, d, t->start, bb_xasprintf("Liquid blocks nested over %d deep: {%% %.*s %%} removed",
				LQ_NEST_MAX, (int)(t->nl > 40 ? 40 : t->nl), t->name));
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
		lq_tok *o = &d->t[stack[--sp].i];
		o->end_i = d->n;
		o->own_end = 0;
		if (o->op == OP_HIGHLIGHT)
			bb_lq_warn(st, d, o->start, bb_xstrdup("{% highlight %} without {% endhighlight %}: closed at the end of the text"));
		else
			bb_lq_warn(st, d, o->start, bb_xasprintf("{%% %.*s %%} without {%% end%.*s %%}: closed at the end of the text",
				(int)(o->nl > 40 ? 40 : o->nl), o->name, (int)(o->nl > 40 ? 40 : o->nl), o->name));
	}
	free(stack);
}

/* ---- documents ---- */

lq_doc *
bb_lq_doc_new(const char *text, size_t len)
{
	lq_doc *d = bb_xcalloc(1, sizeof *d);
	d->text = text;
	d->len = len;
	d->lc_line = 1;
	d->tag_from = d->tag_end = d->var_from = d->var_end = LQ_NOPOS;
	return d;
}

void
bb_lq_doc_free(lq_doc *d)
{
	if (!d)
		return;
	free(d->t);
	free(d->name);
	free(d->own);
	free(d);
}
