/* stitch_join.c: a paragraph cut mid-sentence at a marker joined to its continuation (the repeated overlap written once) and the unfinished sentence of a dropped copy. */
#include "stitch_int.h"
#include "sentence.h"

/* Bytes of the longest tail of c that the continuation p repeats at its
 * start: at least three code points when it holds CJK text, else at least two
 * whole words. KMP over at most STITCH_OVERLAP_MAX bytes. */
static size_t
S_overlap(const char *c, size_t cn, const char *p, size_t pn)
{
	size_t L = pn < STITCH_OVERLAP_MAX ? pn : STITCH_OVERLAP_MAX, *fail, *cps, i, q = 0;
	unsigned char *cjk, *space;
	size_t best = 0;

	if (L == 0 || cn == 0)
		return 0;
	fail = bb_xmalloc(L * sizeof *fail);
	cps = bb_xmalloc((L + 1) * sizeof *cps);
	cjk = bb_xmalloc(L + 1);
	space = bb_xmalloc(L + 1);
	/* per prefix length: code points, and whether CJK or a space occurs */
	cps[0] = 0;
	cjk[0] = space[0] = 0;
	for (i = 0; i < L; i++) {
		int lead = ((unsigned char)p[i] & 0xC0) != 0x80;
		cps[i + 1] = cps[i] + (size_t)lead;
		cjk[i + 1] = (unsigned char)(cjk[i] || (lead && bb_is_cjk(bb_stitch_first_cp(p + i, pn - i))));
		space[i + 1] = (unsigned char)(space[i] || p[i] == ' ');
	}
	fail[0] = 0;
	for (i = 1; i < L; i++) {
		while (q > 0 && p[i] != p[q])
			q = fail[q - 1];
		if (p[i] == p[q])
			q++;
		fail[i] = q;
	}
	q = 0;
	for (i = cn > L ? cn - L : 0; i < cn; i++) {
		if (q == L)
			q = fail[q - 1];
		while (q > 0 && c[i] != p[q])
			q = fail[q - 1];
		if (c[i] == p[q])
			q++;
	}
	/* q is the longest tail of c that p starts with; try it, then its borders */
	for (; q > 0; q = fail[q - 1]) {
		int word_end = q == pn || !((((unsigned char)p[q] | 0x20) >= 'a' && ((unsigned char)p[q] | 0x20) <= 'z')
				|| (p[q] >= '0' && p[q] <= '9'));
		if (q < pn && ((unsigned char)p[q] & 0xC0) == 0x80)
			continue;
		if (cjk[q] ? cps[q] >= 3 : (space[q] && (q == cn || c[cn - q - 1] == ' ') && word_end)) {
			best = q;
			break;
		}
	}
	free(fail);
	free(cps);
	free(cjk);
	free(space);
	return best;
}

/* The cut text c (folded as cn) and its raw continuation (folded as norm)
 * written as one: a tail of c repeated at the continuation's start is
 * written once, a space between them unless CJK text meets. Sets *ov to the
 * overlap's folded length. Caller frees. */
static char *
S_glue(const char *c, size_t crl, const char *cn, size_t cnl, const char *raw, size_t rlen,
       const char *norm, size_t nlen, size_t *olen, size_t *ov)
{
	bb_buf b = BB_BUF_INIT;
	const char *tail;
	size_t r0, tl;

	*ov = S_overlap(cn, cnl, norm, nlen);
	r0 = bb_stitch_raw_at(raw, rlen, *ov);
	tail = raw + r0;
	tl = rlen - r0;
	bb_buf_put(&b, c, crl);
	if (tl > 0 && bb_stitch_ws((unsigned char)tail[0])) {
		bb_buf_putc(&b, ' ');
		while (tl > 0 && bb_stitch_ws((unsigned char)tail[0]))
			tail++, tl--;
	} else if (*ov == 0 && tl > 0) {
		size_t k;
		unsigned a = bb_stitch_last_cp(cn, cnl, &k), z = bb_stitch_first_cp(tail, tl);
		if (!bb_is_cjk(a) && !bb_is_cjk(z))
			bb_buf_putc(&b, ' ');
	}
	bb_buf_put(&b, tail, tl);
	return bb_buf_detach(&b, olen);
}

/* Joins the pending cut piece with the raw continuation (folded as norm). */
unsigned
bb_stitch_join(stitch_state *st, unsigned cut, const char *raw, size_t rlen, const char *norm, size_t nlen)
{
	const stitch_piece *c = &st->p[cut];
	size_t olen, flen, ov;
	char *out = S_glue(c->raw, c->rlen, c->norm, c->nlen, raw, rlen, norm, nlen, &olen, &ov), *fold;
	unsigned id;

	fold = bb_stitch_fold(out, olen, &flen);
	id = bb_stitch_new_piece(st, STITCH_TEXT, out, olen, fold, flen, 0);
	bb_stitch_replace(st, cut, id);
	return id;
}

/* A block that ends a segment with a copy of kept text cut mid-sentence
 * leaves its last, unfinished sentence (raw[0..rlen)) as a candidate: when
 * the next segment opens with new text that repeats its end, the two are
 * written as one sentence. */
void
bb_stitch_set_frag(stitch_state *st, const char *raw, size_t rlen)
{
	size_t i = 0, last = 0, fn;
	char *fold;

	free(st->frag);
	st->frag = NULL;
	while (i < rlen) {
		last = i;
		i = bb_sentence_end(raw, rlen, i, NULL);
		while (i < rlen && bb_stitch_ws((unsigned char)raw[i]))
			i++;
	}
	fold = bb_stitch_fold(raw + last, rlen - last, &fn);
	if (fn > 0 && bb_stitch_is_cut(fold, fn)) {
		st->frag = bb_xstrndup(raw + last, rlen - last);
		st->fragl = rlen - last;
	}
	free(fold);
}

/* The new text (raw and norm owned) continues the candidate left by the
 * segment before: replaces them by the two glued, when the text repeats the
 * candidate's end. */
void
bb_stitch_continue_frag(stitch_state *st, char **raw, size_t *rlen, char **norm, size_t *nlen)
{
	size_t cn, olen, ov;
	char *cf, *out;

	if (!st->cont)
		return;
	cf = bb_stitch_fold(st->cont, st->contl, &cn);
	out = S_glue(st->cont, st->contl, cf, cn, *raw, *rlen, *norm, *nlen, &olen, &ov);
	free(cf);
	if (ov == 0) {
		free(out);
		return;
	}
	free(*raw);
	free(*norm);
	*raw = out;
	*rlen = olen;
	*norm = bb_stitch_fold(out, olen, nlen);
	st->st.merged_cuts++;
	free(st->cont);
	st->cont = NULL;
}
