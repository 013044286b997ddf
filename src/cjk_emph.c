/* cjk_emph.c: CJK-friendly emphasis: re-pairs the delimiter runs of an inline scope with cmark's algorithm where the CJK-friendly flanking rules differ. */
#include "cmarkmem.h"
#include "cjk_int.h"


/* Before and after characters of a delimiter run, as cmark-gfm reads them
 * (strikethrough's `~` is looked through; the ends count as newlines). */
static unsigned
S_raw_before(const unsigned char *raw, size_t pos, size_t *at)
{
	size_t p, k;
	unsigned cp;

	*at = 0;
	if (pos == 0)
		return '\n';
	p = pos - 1;
	while (((raw[p] >> 6) == 2 || raw[p] == '~') && p > 0)
		p--;
	*at = p;
	cp = bb_cjk_cp_at(raw + p, pos - p, &k);
	return cp == '~' ? '\n' : cp;
}

static unsigned
S_raw_after(const unsigned char *raw, size_t len, size_t pos)
{
	size_t k;
	unsigned cp;

	while (pos < len && raw[pos] == '~')
		pos++;
	if (pos >= len)
		return '\n';
	cp = bb_cjk_cp_at(raw + pos, len - pos, &k);
	return cp;
}

/* Sets r->can_open/can_close by the CJK-friendly rules; returns 1 when
 * they differ from CommonMark's and the run touches a CJK character. */
static int
S_flank(const cjk_state *st, cjk_run *r)
{
	size_t bat;
	unsigned b = S_raw_before(st->raw, r->start, &bat);
	unsigned a = S_raw_after(st->raw, st->len, r->start + r->len);
	unsigned bb = b;
	int sa = bb_cjk_space(a), sb = bb_cjk_space(b), pa = bb_cjk_punct(a), pb = bb_cjk_punct(b);
	int ivs = b >= 0xE0100 && b <= 0xE01EF;
	int left, right, cm_open, cm_close, pbb, bcjk, touches;

	left = !sa && (!pa || sb || pb);
	right = !sb && (!pb || sa || pa);
	cm_open = r->ch == '_' ? left && (!right || pb) : left;
	cm_close = r->ch == '_' ? right && (!left || pa) : right;

	/* A variation selector belongs to the character before it; a quote
	 * mark with U+FE01 is its fullwidth (CJK) form. */
	bcjk = ivs;
	if (b >= 0xFE00 && b <= 0xFE0E && bat > 0) {
		unsigned base = bb_cjk_cp_before(st->raw, 0, bat);
		if (base && !bb_cjk_space(base)) {
			bb = base;
			bcjk = b == 0xFE01 && (base == 0x2018 || base == 0x2019 ||
			                       base == 0x201C || base == 0x201D);
		}
	}
	pbb = bb_cjk_punct(bb);
	bcjk = bcjk || bb_cjk_wide(bb);
	left = !sa && (!(pa && !bb_cjk_wide(a)) || sb || pbb || bcjk);
	right = !sb && (!(pbb && !bcjk) || sa || pa || bb_cjk_wide(a));
	r->can_open = r->ch == '_' ? left && (!right || pbb) : left;
	r->can_close = r->ch == '_' ? right && (!left || pa) : right;
	touches = bb_cjk_wide(a) || bcjk;
	return touches && (r->can_open != cm_open || r->can_close != cm_close);
}

static void
S_add_entry(cjk_state *st, int ch, size_t raw)
{
	cjk_run *r = st->nrun ? &st->run[st->nrun - 1] : NULL;

	if (!r || r->ch != ch || r->start + r->len != raw) {
		CJK_GROW(st->run, st->nrun, st->caprun);
		r = &st->run[st->nrun++];
		r->ch = ch;
		r->start = raw;
		r->len = 0;
	}
	r->len++;
	CJK_GROW(st->erun, st->nerun, st->caperun);
	st->erun[st->nerun++] = st->nrun - 1;
}

void
bb_cjk_push_node(cjk_state *st, cmark_node *n)
{
	CJK_GROW(st->nodes, st->nnodes, st->capnodes);
	st->nodes[st->nnodes++] = n;
}

static void
S_flush_text(cjk_state *st)
{
	cmark_node *t;

	if (st->buf.len == 0)
		return;
	t = bb_cmark_node_new(CMARK_NODE_TEXT);
	cmark_node_set_literal(t, st->buf.data);
	bb_cjk_push_node(st, t);
	bb_buf_reset(&st->buf);
}

static void
S_set_delims(cjk_state *st, cmark_node *n, int ch, int count)
{
	int i;

	bb_buf_reset(&st->buf2);
	for (i = 0; i < count; i++)
		bb_buf_putc(&st->buf2, ch);
	cmark_node_set_literal(n, count ? st->buf2.data : "");
}

/* The delimiter entry e (a byte of some run): the first byte of a run
 * makes its text node and delimiter. */
static void
S_emit_entry(cjk_state *st, size_t e, size_t *emitted)
{
	size_t r = st->erun[e];
	cjk_run *run = &st->run[r];
	cjk_delim *d;
	cmark_node *t;

	if (r == *emitted)
		return;
	*emitted = r;
	S_flush_text(st);
	t = bb_cmark_node_new(CMARK_NODE_TEXT);
	S_set_delims(st, t, run->ch, (int)run->len);
	bb_cjk_push_node(st, t);
	CJK_GROW(st->dlm, st->ndlm, st->capdlm);
	d = &st->dlm[st->ndlm++];
	d->node = t;
	d->start = run->start;
	d->ch = run->ch;
	d->len = d->cur = (int)run->len;
	d->front = 0;
	d->can_open = run->can_open;
	d->can_close = run->can_close;
}

static void
S_remove_delim(cjk_delim *d, long i)
{
	if (d[i].prev >= 0)
		d[d[i].prev].next = d[i].next;
	if (d[i].next >= 0)
		d[d[i].next].prev = d[i].prev;
}

static long
S_insert_emph(cjk_state *st, long oi, long ci)
{
	cjk_delim *d = st->dlm, *o = &d[oi], *c = &d[ci];
	int use = c->cur >= 2 && o->cur >= 2 ? 2 : 1;
	cmark_node *emph, *tmp, *next;
	long i;

	CJK_GROW(st->sig, st->nsig, st->capsig);
	/* An opener gives its last delimiters, a closer its first. */
	st->sig[st->nsig].open = o->start + (size_t)(o->front + o->cur - use);
	st->sig[st->nsig].close = c->start + (size_t)c->front;
	st->sig[st->nsig++].use = use;
	c->front += use;
	o->cur -= use;
	c->cur -= use;
	for (i = c->prev; i >= 0 && i != oi;) {
		long p = d[i].prev;
		S_remove_delim(d, i);
		i = p;
	}
	emph = bb_cmark_node_new(use == 1 ? CMARK_NODE_EMPH : CMARK_NODE_STRONG);
	for (tmp = cmark_node_next(o->node); tmp && tmp != c->node; tmp = next) {
		next = cmark_node_next(tmp);
		cmark_node_append_child(emph, tmp);
	}
	cmark_node_insert_after(o->node, emph);
	if (o->cur == 0) {
		cmark_node_free(o->node);
		o->node = NULL;
		S_remove_delim(d, oi);
	}
	if (c->cur == 0) {
		long n = c->next;
		cmark_node_free(c->node);
		c->node = NULL;
		S_remove_delim(d, ci);
		return n;
	}
	return ci;
}

/* CommonMark's process_emphasis, as cmark-gfm 0.29 runs it. */
static void
S_process_emphasis(cjk_state *st)
{
	cjk_delim *d = st->dlm;
	long n = (long)st->ndlm, i, closer, opener, bottom[3][2];
	int found;

	for (i = 0; i < n; i++) {
		d[i].prev = i - 1;
		d[i].next = i + 1 < n ? i + 1 : -1;
	}
	memset(bottom, 0, sizeof bottom);
	closer = n ? 0 : -1;
	while (closer >= 0) {
		cjk_delim *c = &d[closer];
		int m = c->len % 3, ci = c->ch == '_';
		long steps = 0;

		if (!c->can_close) {
			closer = c->next;
			continue;
		}
		found = 0;
		for (opener = c->prev; opener >= 0 && opener >= bottom[m][ci]; opener = d[opener].prev) {
			cjk_delim *o = &d[opener];
			if (++steps > CJK_MAX_SEARCH)
				break;
			if (o->can_open && o->ch == c->ch &&
			    (!(c->can_open || o->can_close) || c->len % 3 == 0 ||
			     (o->len + c->len) % 3 != 0)) {
				found = 1;
				break;
			}
		}
		if (found) {
			closer = S_insert_emph(st, opener, closer);
		} else {
			long old = closer;
			closer = c->next;
			bottom[m][ci] = old;
			if (!d[old].can_open)
				S_remove_delim(d, old);
		}
	}
	/* What is left of the runs stays as text; written once, not at each
	 * use, so a long run costs its length only once. */
	for (i = 0; i < n; i++)
		if (d[i].node && d[i].cur != d[i].len)
			S_set_delims(st, d[i].node, d[i].ch, d[i].cur);
}

static int
S_sig_cmp(const void *pa, const void *pb)
{
	const cjk_sig *a = pa, *b = pb;

	if (a->open != b->open)
		return a->open < b->open ? -1 : 1;
	if (a->close != b->close)
		return a->close < b->close ? -1 : 1;
	return a->use - b->use;
}

/* How many of the rebuilt emphasis elements cmark had not made. */
static unsigned
S_new_sigs(cjk_state *st)
{
	cjk_sig *old = st->sig, *cur = st->sig ? st->sig + st->nold : NULL;
	size_t nold = st->nold, ncur = st->nsig - st->nold, i = 0, j = 0;
	unsigned fresh = 0;

	if (nold > 1)
		qsort(old, nold, sizeof *old, S_sig_cmp);
	if (ncur > 1)
		qsort(cur, ncur, sizeof *cur, S_sig_cmp);
	while (j < ncur) {
		int d = i < nold ? S_sig_cmp(&old[i], &cur[j]) : 1;
		if (d < 0) {
			i++;
		} else {
			fresh += d > 0;
			i += d == 0;
			j++;
		}
	}
	return fresh;
}

/* Re-parses the emphasis of one scope (tokens from base on) when a
 * delimiter run in it flanks differently by the CJK-friendly rules. */
static void
S_emph_scope(cjk_state *st, cmark_node *scope, size_t base)
{
	size_t t, i, e, emitted, len, p;
	const unsigned char *lit;
	int change = 0;

	st->nrun = st->nerun = 0;
	for (t = base; t < st->ntok; t++) {
		cjk_tok *tk = &st->tok[t];
		cjk_rec *r = tk->rec == CJK_NONE ? NULL : &st->rec[tk->rec];
		if (!r)
			continue;
		if (tk->kind == CJK_T_TEXT) {
			lit = bb_cjk_literal(tk->node, &len);
			for (i = 0; i < r->count; i++)
				S_add_entry(st, lit[st->dl[r->first + i].at], st->dl[r->first + i].raw);
		} else if (tk->kind == CJK_T_OPEN || tk->kind == CJK_T_CLOSE) {
			size_t k = cmark_node_get_type(tk->node) == CMARK_NODE_EMPH ? 1 : 2;
			size_t at = tk->kind == CJK_T_OPEN ? r->open : r->close;
			for (i = 0; i < k; i++)
				S_add_entry(st, r->ch, at + i);
		}
	}
	if (st->nrun == 0)
		return;
	for (i = 0; i < st->nrun; i++)
		change |= S_flank(st, &st->run[i]);
	if (!change && !(st->flags & BB_CJK_EMPHASIS_ALWAYS))
		return;

	/* Flatten the scope into text, delimiter runs and untouched nodes. */
	bb_buf_reset(&st->buf);
	st->nnodes = st->ndlm = st->nsig = 0;
	e = 0;
	emitted = CJK_NONE;
	for (t = base; t < st->ntok; t++) {
		cjk_tok *tk = &st->tok[t];
		cjk_rec *r = tk->rec == CJK_NONE ? NULL : &st->rec[tk->rec];
		if (tk->kind == CJK_T_TEXT) {
			lit = bb_cjk_literal(tk->node, &len);
			p = 0;
			for (i = 0; r && i < r->count; i++) {
				size_t at = st->dl[r->first + i].at;
				bb_buf_put(&st->buf, lit + p, at - p);
				S_emit_entry(st, e++, &emitted);
				p = at + 1;
			}
			bb_buf_put(&st->buf, lit + p, len - p);
		} else if (tk->kind == CJK_T_ATOM) {
			S_flush_text(st);
			cmark_node_unlink(tk->node);
			bb_cjk_push_node(st, tk->node);
		} else {
			size_t k = cmark_node_get_type(tk->node) == CMARK_NODE_EMPH ? 1 : 2;
			for (i = 0; i < k; i++)
				S_emit_entry(st, e++, &emitted);
			if (tk->kind == CJK_T_OPEN) {
				CJK_GROW(st->sig, st->nsig, st->capsig);
				st->sig[st->nsig].open = r->open;
				st->sig[st->nsig].close = r->close;
				st->sig[st->nsig++].use = (int)k;
			}
		}
	}
	st->nold = st->nsig;
	S_flush_text(st);
	while (cmark_node_first_child(scope))
		cmark_node_free(cmark_node_first_child(scope));
	for (i = 0; i < st->nnodes; i++)
		if (!cmark_node_append_child(scope, st->nodes[i]))
			cmark_node_free(st->nodes[i]);
	S_process_emphasis(st);
	st->changes += S_new_sigs(st);
}

static size_t
S_take_rec(cjk_state *st, cmark_node *n)
{
	if (st->ri < st->nrec && st->rec[st->ri].node == n)
		return st->ri++;
	return CJK_NONE;
}

static void
S_push_tok(cjk_state *st, int kind, cmark_node *n, size_t rec)
{
	CJK_GROW(st->tok, st->ntok, st->captok);
	st->tok[st->ntok].kind = kind;
	st->tok[st->ntok].node = n;
	st->tok[st->ntok++].rec = rec;
}

static void
S_push_frame(cjk_state *st, cmark_node *n)
{
	CJK_GROW(st->fr, st->nfr, st->capfr);
	st->fr[st->nfr].node = n;
	st->fr[st->nfr].base = st->ntok;
	st->fr[st->nfr++].bad = 0;
}

/* One walk over an aligned block: each scope (the block, a link, an
 * image, a strikethrough) is re-parsed when the walk leaves it, which is
 * after its inner scopes and before anything after it is read. */
void
bb_cjk_emph_block(cjk_state *st, cmark_node *block)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;

	st->ri = st->ntok = st->nfr = st->nstk = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		size_t r;

		if (ev == CMARK_EVENT_EXIT) {
			if (st->nfr && st->fr[st->nfr - 1].node == n) {
				cjk_frame *f = &st->fr[--st->nfr];
				if (!f->bad)
					S_emph_scope(st, n, f->base);
				st->ntok = f->base;
				if (n != block)
					S_push_tok(st, CJK_T_ATOM, n, CJK_NONE);
			} else if ((t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG) && st->nstk) {
				S_push_tok(st, CJK_T_CLOSE, n, st->stk[--st->nstk]);
			}
			continue;
		}
		if (n == block) {
			S_push_frame(st, n);
		} else if (t == CMARK_NODE_TEXT) {
			S_push_tok(st, CJK_T_TEXT, n, S_take_rec(st, n));
		} else if (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG) {
			r = S_take_rec(st, n);
			if (r == CJK_NONE)
				st->fr[st->nfr - 1].bad = 1;
			S_push_tok(st, CJK_T_OPEN, n, r);
			bb_cjk_push_stack(st, r);
		} else if (cmark_node_first_child(n) || t == CMARK_NODE_LINK ||
		           t == CMARK_NODE_IMAGE || bb_cjk_is_strike(n)) {
			S_push_frame(st, n);
		} else {
			S_push_tok(st, CJK_T_ATOM, n, CJK_NONE);
		}
	}
	cmark_iter_free(it);
}
