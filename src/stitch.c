/* stitch.c: joins a post written in continued, overlapping segments into one article: takes each block (drops copies, merges repeated sections, splits glued copies) and writes the article. */
#include "stitch_int.h"
#include "sentence.h"

/* ---- the blocks ---- */

static void
S_take_head(stitch_state *st, const char *t, const stitch_block *bk)
{
	size_t rlen, klen, i;
	char *raw = bb_stitch_copy_raw(t, bk->b, bk->e, &rlen);
	char *key = bb_stitch_head_key(raw, rlen, &klen);
	unsigned long long h = bb_fnv1a(BB_FNV_SEED, key, klen);

	for (i = 1; i < st->ns; i++)
		if (st->s[i].hkey == h && strcmp(st->s[i].key, key) == 0)
			break;
	st->locked = 1;
	if (i < st->ns) {
		st->st.sections_merged++;
		st->cursor = (unsigned)i;
		if (st->pending != STITCH_NONE && st->p[st->pending].sect != i)
			st->pending = STITCH_NONE;
		free(raw);
		free(key);
		return;
	}
	if (raw[0] == '#') {
		/* "##見出し": the space Markdown needs after the marks */
		size_t k = 0;
		while (raw[k] == '#')
			k++;
		if (raw[k] && !bb_stitch_ws((unsigned char)raw[k])) {
			char *sp = bb_xasprintf("%.*s %s", (int)k, raw, raw + k);
			free(raw);
			raw = sp;
		}
	}
	st->cursor = bb_stitch_new_sect(st, raw, key, klen);
	st->pending = STITCH_NONE;
}

/* Takes one part of a block (raw and norm owned): drops it when a kept
 * piece contains it, lets it replace the kept pieces it contains, joins it to
 * a pending cut, or appends it to the current section. Returns the live piece
 * that ends where the part ends (so a cut there can be joined), or STITCH_NONE. */
static unsigned
S_take_part(stitch_state *st, int kind, char *raw, size_t rlen, char *norm, size_t nlen, int open)
{
	stitch_ids in = { NULL, 0, 0 };
	unsigned q, id, ret = STITCH_NONE;

	/* a copy of, or part of, a kept block */
	free(st->frag);
	st->frag = NULL;
	q = bb_stitch_find_container(st, kind, norm, nlen);
	if (q != STITCH_NONE) {
		bb_stitch_follow(st, q);
		st->st.dropped_repeats++;
		if (st->pending != STITCH_NONE && st->p[q].sect != st->p[st->pending].sect)
			st->pending = STITCH_NONE;
		if (st->p[q].nlen >= nlen && memcmp(st->p[q].norm + st->p[q].nlen - nlen, norm, nlen) == 0)
			ret = q;
		if (kind == STITCH_TEXT && ret == STITCH_NONE)
			bb_stitch_set_frag(st, raw, rlen);
		free(raw);
		free(norm);
		return ret;
	}

	/* a longer copy of kept blocks: it takes the place of the first. A kept
	 * line that ends no sentence and was no cut (a title line) glued before
	 * new text is no version of it. */
	bb_stitch_find_contained(st, kind, norm, nlen, &in);
	{
		size_t i, k = 0;
		for (i = 0; i < in.n; i++)
			if (kind != STITCH_TEXT || st->p[in.v[i]].cut
					|| bb_stitch_ends_sentence(st->p[in.v[i]].norm, st->p[in.v[i]].nlen))
				in.v[k++] = in.v[i];
		in.n = k;
		if (k == 0) {
			free(in.v);
			in.v = NULL;
		}
	}
	if (in.n > 0) {
		unsigned best = in.v[0];
		size_t i;
		for (i = 1; i < in.n; i++) {
			unsigned c = in.v[i];
			if (st->p[c].sect < st->p[best].sect
					|| (st->p[c].sect == st->p[best].sect && bb_stitch_slot_of(st, c) < bb_stitch_slot_of(st, best)))
				best = c;
		}
		id = bb_stitch_new_piece(st, kind, raw, rlen, norm, nlen, open);
		bb_stitch_replace(st, best, id);
		for (i = 0; i < in.n; i++)
			if (in.v[i] != best)
				bb_stitch_kill(st, in.v[i]);
		st->st.dropped_repeats += (unsigned)in.n;
		for (i = 0; i < in.n; i++)
			if (in.v[i] == st->pending)
				st->st.merged_cuts++;
		st->pending = STITCH_NONE;
		bb_stitch_follow(st, id);
		free(in.v);
		return id;
	}

	/* new text: the continuation of a cut, or a new block here */
	if (kind == STITCH_TEXT && st->pending == STITCH_NONE)
		bb_stitch_continue_frag(st, &raw, &rlen, &norm, &nlen);
	if (kind == STITCH_TEXT && st->pending != STITCH_NONE) {
		id = bb_stitch_join(st, st->pending, raw, rlen, norm, nlen);
		st->st.merged_cuts++;
		st->pending = STITCH_NONE;
		bb_stitch_follow(st, id);
		free(raw);
		free(norm);
		return id;
	}
	st->pending = STITCH_NONE;
	id = bb_stitch_new_piece(st, kind, raw, rlen, norm, nlen, open);
	bb_stitch_append(st, st->cursor, id);
	return id;
}

/* A stretch [b, e) of a block's folded text: a kept paragraph glued in
 * (piece), or the text between such paragraphs. */
typedef struct S_part {
	size_t b, e;
	unsigned piece;
	int repeat;
} S_part;

/* Writes the stitched article: each section's heading, then its live
 * pieces, sentences said before cut from prose (bb_said). */
static void
S_write(stitch_state *st, bb_buf *out)
{
	bb_said *said = bb_said_new();
	size_t i, j;

	for (i = 0; i < st->ns; i++) {
		const stitch_sect *s = &st->s[i];
		if (s->head) {
			bb_buf_puts(out, s->head);
			bb_buf_puts(out, "\n\n");
		}
		for (j = 0; j < s->n; j++) {
			stitch_piece *p;
			if (s->slots[j] == STITCH_NONE)
				continue;
			p = &st->p[s->slots[j]];
			if (!p->live)
				continue;
			if (p->kind == STITCH_TEXT && bb_stitch_is_prose(p->raw, p->rlen)) {
				/* sentences the article said before, restated inside it */
				size_t k = p->rlen;
				st->st.sentences_dropped += bb_said_drop(said, p->raw, &k, STITCH_MIN_SENTENCE);
				p->rlen = k;
				if (k == 0)
					continue;
			}
			bb_buf_put(out, p->raw, p->rlen);
			if (p->open) {
				/* close the fence with the characters that opened it */
				size_t k = bb_stitch_indent(p->raw, p->rlen), f = 0;
				while (k + f < p->rlen && p->raw[k + f] == p->raw[k])
					f++;
				bb_buf_putc(out, '\n');
				bb_buf_put(out, p->raw + k, f);
			}
			bb_buf_puts(out, "\n\n");
			st->st.paragraphs_out++;
		}
	}
	bb_said_free(said);
}

/* Frees what the stitcher holds. */
static void
S_st_free(stitch_state *st)
{
	size_t i;

	for (i = 0; i < st->np; i++) {
		free(st->p[i].raw);
		free(st->p[i].norm);
	}
	for (i = 0; i < st->ns; i++) {
		free(st->s[i].head);
		free(st->s[i].key);
		free(st->s[i].slots);
	}
	free(st->frag);
	free(st->cont);
	free(st->p);
	free(st->s);
	free(st->ix.e);
	free(st->ix.head);
}

/* Takes a text or code block. A text block holding kept paragraphs glued
 * in (at spaces) is cut into parts; when it holds two of them, or one and
 * a repeated fragment, it is glued copies: the repeated parts are dropped and
 * each new part is taken as a paragraph of its own. Returns the live piece
 * ending where the block ends, or STITCH_NONE. */
static unsigned
S_take_block(stitch_state *st, const char *t, const stitch_block *bk)
{
	size_t rlen, nlen, a, gap, np = 0, cap = 0, i;
	char *raw = bb_stitch_copy_raw(t, bk->b, bk->e, &rlen), *norm;
	S_part *parts = NULL;
	unsigned q, units = 0, repeats = 0, news = 0, ret = STITCH_NONE;

	if (bk->open)   /* an open fence may end in blank lines: drop them */
		while (rlen > 0 && bb_stitch_ws((unsigned char)raw[rlen - 1]))
			raw[--rlen] = '\0';
	norm = bb_stitch_fold(raw, rlen, &nlen);
	st->st.paragraphs_in++;
	if (bk->kind == STITCH_CODE) {
		st->pending = STITCH_NONE;
		return S_take_part(st, STITCH_CODE, raw, rlen, norm, nlen, bk->open);
	}

	/* the glued kept paragraphs, left to right, and the gaps between them */
	gap = 0;
	for (a = 0; a < nlen; a++) {
		if ((a > 0 && norm[a - 1] != ' ') || (q = bb_stitch_glued_at(st, norm + a, nlen - a)) == STITCH_NONE)
			continue;
		if (np + 2 > cap) {
			cap = cap ? cap * 2 : 8;
			parts = bb_xrealloc(parts, cap * sizeof *parts);
		}
		if (a > 0 && a - 1 > gap) {
			parts[np].b = gap;
			parts[np].e = a - 1;
			parts[np].piece = STITCH_NONE;
			parts[np].repeat = 0;
			np++;
		}
		parts[np].b = a;
		parts[np].e = a + st->p[q].nlen;
		parts[np].piece = q;
		parts[np].repeat = 1;
		np++;
		units++;
		a += st->p[q].nlen;     /* at the space after it, or the end */
		gap = a + 1;
	}
	if (units == 0) {
		free(parts);
		return S_take_part(st, STITCH_TEXT, raw, rlen, norm, nlen, 0);
	}
	if (gap < nlen) {
		if (np + 1 > cap)
			parts = bb_xrealloc(parts, ++cap * sizeof *parts);
		parts[np].b = gap;
		parts[np].e = nlen;
		parts[np].piece = STITCH_NONE;
		parts[np].repeat = 0;
		np++;
	}
	for (i = 0; i < np; i++) {
		if (parts[i].piece != STITCH_NONE)
			continue;
		parts[i].repeat = bb_stitch_find_container(st, STITCH_TEXT, norm + parts[i].b, parts[i].e - parts[i].b) != STITCH_NONE;
		if (parts[i].repeat)
			repeats++;
		else
			news++;
	}
	if (units == 1 && repeats == 0 && news > 0) {
		/* one kept paragraph with new text around it: a longer version */
		free(parts);
		return S_take_part(st, STITCH_TEXT, raw, rlen, norm, nlen, 0);
	}

	for (i = 0; i < np; i++)
		if (parts[i].piece != STITCH_NONE) {
			bb_stitch_follow(st, parts[i].piece);
			/* a copy from another section ends the wait for a cut's continuation */
			if (st->pending != STITCH_NONE && st->p[parts[i].piece].sect != st->p[st->pending].sect)
				st->pending = STITCH_NONE;
			break;
		}
	st->st.dropped_repeats += units + repeats;
	for (i = 0; i < np; i++) {
		size_t r0, r1, pl, pn;
		char *praw, *pnorm;
		ret = STITCH_NONE;
		if (parts[i].piece != STITCH_NONE || parts[i].repeat) {
			/* a repeat; it may still be the tail of a cut piece */
			if (i + 1 == np) {
				r0 = bb_stitch_raw_at(raw, rlen, parts[i].b);
				bb_stitch_set_frag(st, raw + r0, bb_stitch_raw_at(raw, rlen, parts[i].e) - r0);
			}
			if (i + 1 == np && parts[i].piece == STITCH_NONE) {
				q = bb_stitch_find_container(st, STITCH_TEXT, norm + parts[i].b, parts[i].e - parts[i].b);
				pl = parts[i].e - parts[i].b;
				if (q != STITCH_NONE && st->p[q].nlen >= pl
						&& memcmp(st->p[q].norm + st->p[q].nlen - pl, norm + parts[i].b, pl) == 0)
					ret = q;
			}
			continue;
		}
		r0 = bb_stitch_raw_at(raw, rlen, parts[i].b);
		r1 = bb_stitch_raw_at(raw, rlen, parts[i].e);
		while (r1 > r0 && bb_stitch_ws((unsigned char)raw[r1 - 1]))
			r1--;
		praw = bb_xstrndup(raw + r0, r1 - r0);
		pnorm = bb_stitch_fold(praw, r1 - r0, &pn);
		ret = S_take_part(st, STITCH_TEXT, praw, r1 - r0, pnorm, pn, 0);
	}
	free(parts);
	free(raw);
	free(norm);
	return ret;
}

char *
bb_stitch(const char *text, size_t len, size_t *out_len, struct bb_stitch_stats *stats)
{
	stitch_state st;
	stitch_blocks bl = { NULL, 0, 0 };
	bb_buf out = BB_BUF_INIT;
	size_t i, olen;
	unsigned last = STITCH_NONE;
	int seg_has = 0;
	char *res;

	if (!bb_stitch_has_marker(text, len)) {
		if (stats) {
			memset(stats, 0, sizeof *stats);
			stats->segments = 1;
		}
		if (out_len)
			*out_len = len;
		return bb_xstrndup(text, len);
	}

	memset(&st, 0, sizeof st);
	st.budget = 64 * len + ((size_t)1 << 26);
	st.pending = STITCH_NONE;
	st.cursor = bb_stitch_new_sect(&st, NULL, NULL, 0);
	bb_stitch_split(text, len, &bl);

	for (i = 0; i < bl.n; i++) {
		const stitch_block *bk = &bl.v[i];
		switch (bk->kind) {
		case STITCH_MARK:
			free(st.cont);
			st.cont = st.frag;
			st.contl = st.fragl;
			st.frag = NULL;
			st.pending = STITCH_NONE;
			if (last != STITCH_NONE && st.p[last].live && st.p[last].kind == STITCH_TEXT
					&& bb_stitch_is_cut(st.p[last].norm, st.p[last].nlen)) {
				st.pending = last;
				st.p[last].cut = 1;
			}
			if (seg_has)
				st.st.segments++;
			seg_has = 0;
			st.locked = 0;
			last = STITCH_NONE;
			break;
		case STITCH_HEAD:
			S_take_head(&st, text, bk);
			seg_has = 1;
			last = STITCH_NONE;
			break;
		default:
			last = S_take_block(&st, text, bk);
			seg_has = 1;
			break;
		}
		if (bk->kind != STITCH_MARK) {
			/* only the first block of a segment continues the one before */
			free(st.cont);
			st.cont = NULL;
			if (bk->kind == STITCH_HEAD) {
				free(st.frag);
				st.frag = NULL;
			}
		}
	}
	if (seg_has)
		st.st.segments++;

	S_write(&st, &out);
	if (out.len > 0)
		out.len--;      /* one newline at the end, not a blank line */
	bb_buf_putc(&out, '\0');
	out.len--;
	res = bb_buf_detach(&out, &olen);
	if (out_len)
		*out_len = olen;
	if (stats)
		*stats = st.st;

	S_st_free(&st);
	free(bl.v);
	return res;
}
