/* stitch_index.c: the hash index of kept pieces, which finds a block equal to, containing or contained in one already kept. */
#include "stitch_int.h"

static unsigned long long
S_hash(int kind, const char *s, size_t n)
{
	return bb_fnv1a(BB_FNV_SEED ^ (0x9E3779B97F4A7C15ULL * (unsigned long long)(kind + 1)), s, n);
}

static void
S_ix_rehash(stitch_index *ix)
{
	size_t i, nh = ix->nhead ? ix->nhead * 2 : 1024;
	free(ix->head);
	ix->head = bb_xmalloc(nh * sizeof *ix->head);
	for (i = 0; i < nh; i++)
		ix->head[i] = STITCH_NONE;
	ix->nhead = nh;
	for (i = 0; i < ix->n; i++) {
		size_t b = (size_t)(ix->e[i].h & (nh - 1));
		ix->e[i].next = ix->head[b];
		ix->head[b] = (unsigned)i;
	}
}

static void
S_ix_add(stitch_index *ix, int kind, unsigned long long h, unsigned piece, size_t off)
{
	size_t b;
	if (ix->n == ix->cap) {
		ix->cap = ix->cap ? ix->cap * 2 : 1024;
		ix->e = bb_xrealloc(ix->e, ix->cap * sizeof *ix->e);
	}
	ix->e[ix->n].h = h;
	ix->e[ix->n].piece = piece;
	ix->e[ix->n].off = (unsigned)off;
	ix->e[ix->n].kind = (unsigned char)kind;
	ix->n++;
	if (ix->n > ix->nhead) {
		S_ix_rehash(ix);
		return;
	}
	b = (size_t)(h & (ix->nhead - 1));
	ix->e[ix->n - 1].next = ix->head[b];
	ix->head[b] = (unsigned)(ix->n - 1);
}

static unsigned
S_ix_first(const stitch_index *ix, unsigned long long h)
{
	return ix->nhead ? ix->head[h & (ix->nhead - 1)] : STITCH_NONE;
}

void
bb_stitch_ix_piece(stitch_state *st, unsigned id)
{
	const stitch_piece *p = &st->p[id];
	size_t a;
	S_ix_add(&st->ix, E_WHOLE, S_hash(E_WHOLE, p->norm, p->nlen), id, 0);
	for (a = STITCH_MIN_SHORT; a < STITCH_K && a < p->nlen; a++) {
		if (((unsigned char)p->norm[a] & 0xC0) != 0x80)
			S_ix_add(&st->ix, E_PREF, S_hash(E_PREF, p->norm, a), id, 0);
		if (((unsigned char)p->norm[p->nlen - a] & 0xC0) != 0x80)
			S_ix_add(&st->ix, E_SUFF, S_hash(E_SUFF, p->norm + p->nlen - a, a), id, 0);
	}
	if (p->nlen < STITCH_K)
		return;
	S_ix_add(&st->ix, E_FIRST, S_hash(E_FIRST, p->norm, STITCH_K), id, 0);
	S_ix_add(&st->ix, E_LAST, S_hash(E_LAST, p->norm + p->nlen - STITCH_K, STITCH_K), id, 0);
	for (a = 1; a + STITCH_K <= p->nlen && st->ix.nanchors < STITCH_MAX_ANCHORS; a++) {
		if (!bb_stitch_is_anchor(p->norm, a))
			continue;
		S_ix_add(&st->ix, E_ANCHOR, S_hash(E_ANCHOR, p->norm + a, STITCH_K), id, a);
		st->ix.nanchors++;
	}
}

/* Charges n bytes of comparison; 0 once the budget is spent. */
static int
S_spend(stitch_state *st, size_t n)
{
	if (st->work > st->budget)
		return 0;
	st->work += n + 8;
	return 1;
}

/* A live piece of this kind equal to s (ek E_WHOLE), or starting (E_PREF) or
 * ending (E_SUFF) with s, n < STITCH_K; or STITCH_NONE. */
static unsigned
S_find_short(stitch_state *st, int ek, int kind, const char *s, size_t n)
{
	unsigned long long h = S_hash(ek, s, n);
	unsigned j;
	for (j = S_ix_first(&st->ix, h); j != STITCH_NONE; j = st->ix.e[j].next) {
		const stitch_ent *e = &st->ix.e[j];
		const stitch_piece *q = &st->p[e->piece];
		if (e->h != h || e->kind != ek || !q->live || q->kind != kind || q->nlen < n)
			continue;
		if (ek == E_WHOLE ? q->nlen == n && memcmp(q->norm, s, n) == 0
				: ek == E_PREF ? memcmp(q->norm, s, n) == 0
				: memcmp(q->norm + q->nlen - n, s, n) == 0)
			return e->piece;
	}
	return STITCH_NONE;
}

static unsigned
S_find_equal(stitch_state *st, int kind, const char *s, size_t n)
{
	return S_find_short(st, E_WHOLE, kind, s, n);
}

/* A live piece of this kind that contains s (starting at one of its anchors,
 * or ending where it ends), or STITCH_NONE. */
unsigned
bb_stitch_find_container(stitch_state *st, int kind, const char *s, size_t n)
{
	unsigned long long h;
	unsigned j, q;

	int kinds[2] = { E_FIRST, E_ANCHOR }, k;

	if ((q = S_find_equal(st, kind, s, n)) != STITCH_NONE)
		return q;
	if (n < STITCH_K) {
		if (n < STITCH_MIN_SHORT)
			return STITCH_NONE;
		if ((q = S_find_short(st, E_PREF, kind, s, n)) == STITCH_NONE)
			q = S_find_short(st, E_SUFF, kind, s, n);
		return q;
	}
	for (k = 0; k < 2; k++) {
		h = S_hash(kinds[k], s, STITCH_K);
		for (j = S_ix_first(&st->ix, h); j != STITCH_NONE; j = st->ix.e[j].next) {
			const stitch_ent *e = &st->ix.e[j];
			const stitch_piece *p = &st->p[e->piece];
			if (!S_spend(st, 0))
				return STITCH_NONE;
			if (e->h != h || e->kind != kinds[k] || !p->live || p->kind != kind)
				continue;
			if (e->off + n <= p->nlen && S_spend(st, n) && memcmp(p->norm + e->off, s, n) == 0)
				return e->piece;
		}
	}
	h = S_hash(E_LAST, s + n - STITCH_K, STITCH_K);
	for (j = S_ix_first(&st->ix, h); j != STITCH_NONE; j = st->ix.e[j].next) {
		const stitch_ent *e = &st->ix.e[j];
		const stitch_piece *p = &st->p[e->piece];
		if (!S_spend(st, 0))
			return STITCH_NONE;
		if (e->h != h || e->kind != E_LAST || !p->live || p->kind != kind)
			continue;
		if (n <= p->nlen && S_spend(st, n) && memcmp(p->norm + p->nlen - n, s, n) == 0)
			return e->piece;
	}
	return STITCH_NONE;
}


static void
S_ids_add(stitch_ids *ids, unsigned id)
{
	size_t i;
	for (i = 0; i < ids->n; i++)
		if (ids->v[i] == id)
			return;
	if (ids->n == ids->cap) {
		ids->cap = ids->cap ? ids->cap * 2 : 8;
		ids->v = bb_xrealloc(ids->v, ids->cap * sizeof *ids->v);
	}
	ids->v[ids->n++] = id;
}

/* Collects the live pieces of this kind contained in s, shorter than it:
 * those starting at an anchor of s, and those ending where s ends. */
void
bb_stitch_find_contained(stitch_state *st, int kind, const char *s, size_t n, stitch_ids *out)
{
	unsigned long long h;
	unsigned j, q;
	size_t a;

	/* short pieces at the start or the end of s */
	for (a = STITCH_MIN_SHORT; a < STITCH_K && a < n; a++) {
		if (((unsigned char)s[a] & 0xC0) != 0x80
				&& (q = S_find_equal(st, kind, s, a)) != STITCH_NONE)
			S_ids_add(out, q);
		if (((unsigned char)s[n - a] & 0xC0) != 0x80
				&& (q = S_find_equal(st, kind, s + n - a, a)) != STITCH_NONE)
			S_ids_add(out, q);
	}
	if (n < STITCH_K)
		return;
	for (a = 0; a + STITCH_K <= n; a++) {
		if (!bb_stitch_is_anchor(s, a))
			continue;
		if (!S_spend(st, STITCH_K))
			return;
		h = S_hash(E_FIRST, s + a, STITCH_K);
		for (j = S_ix_first(&st->ix, h); j != STITCH_NONE; j = st->ix.e[j].next) {
			const stitch_ent *e = &st->ix.e[j];
			const stitch_piece *p = &st->p[e->piece];
			if (!S_spend(st, 0))
				return;
			if (e->h != h || e->kind != E_FIRST || !p->live || p->kind != kind)
				continue;
			if (p->nlen < n && a + p->nlen <= n && S_spend(st, p->nlen)
					&& memcmp(s + a, p->norm, p->nlen) == 0)
				S_ids_add(out, e->piece);
		}
	}
	h = S_hash(E_LAST, s + n - STITCH_K, STITCH_K);
	for (j = S_ix_first(&st->ix, h); j != STITCH_NONE; j = st->ix.e[j].next) {
		const stitch_ent *e = &st->ix.e[j];
		const stitch_piece *p = &st->p[e->piece];
		if (!S_spend(st, 0))
			return;
		if (e->h != h || e->kind != E_LAST || !p->live || p->kind != kind)
			continue;
		if (p->nlen < n && S_spend(st, p->nlen) && memcmp(s + n - p->nlen, p->norm, p->nlen) == 0)
			S_ids_add(out, e->piece);
	}
}

/* The longest live text piece that ends a sentence and that s opens with,
 * followed by a space or the end of s: a kept paragraph glued into a block.
 * STITCH_NONE when none. */
unsigned
bb_stitch_glued_at(stitch_state *st, const char *s, size_t n)
{
	unsigned best = STITCH_NONE, q, j;
	unsigned long long h;
	size_t k;

	for (k = STITCH_MIN_SHORT; k <= n && k < STITCH_K; k++) {
		if ((k < n && s[k] != ' ') || (q = S_find_equal(st, STITCH_TEXT, s, k)) == STITCH_NONE)
			continue;
		if (bb_stitch_ends_sentence(s, k))
			best = q;
	}
	if (n < STITCH_K)
		return best;
	h = S_hash(E_FIRST, s, STITCH_K);
	for (j = S_ix_first(&st->ix, h); j != STITCH_NONE; j = st->ix.e[j].next) {
		const stitch_ent *e = &st->ix.e[j];
		const stitch_piece *p = &st->p[e->piece];
		if (!S_spend(st, 0))
			break;
		if (e->h != h || e->kind != E_FIRST || !p->live || p->kind != STITCH_TEXT)
			continue;
		if (p->nlen <= n && (p->nlen == n || s[p->nlen] == ' ')
				&& (best == STITCH_NONE || p->nlen > st->p[best].nlen)
				&& S_spend(st, p->nlen) && memcmp(s, p->norm, p->nlen) == 0
				&& bb_stitch_ends_sentence(p->norm, p->nlen))
			best = e->piece;
	}
	return best;
}
