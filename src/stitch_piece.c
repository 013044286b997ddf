/* stitch_piece.c: the kept pieces (blocks written out, or superseded by longer ones) and the sections, one per heading, that hold them in order. */
#include "stitch_int.h"

unsigned
bb_stitch_new_piece(stitch_state *st, int kind, char *raw, size_t rlen, char *norm, size_t nlen, int open)
{
	stitch_piece *p;
	if (st->np == st->pcap) {
		st->pcap = st->pcap ? st->pcap * 2 : 64;
		st->p = bb_xrealloc(st->p, st->pcap * sizeof *st->p);
	}
	p = &st->p[st->np];
	p->kind = kind;
	p->live = 1;
	p->open = open;
	p->cut = 0;
	p->sect = 0;
	p->raw = raw;
	p->rlen = rlen;
	p->norm = norm;
	p->nlen = nlen;
	st->np++;
	bb_stitch_ix_piece(st, (unsigned)(st->np - 1));
	return (unsigned)(st->np - 1);
}

unsigned
bb_stitch_new_sect(stitch_state *st, char *head, char *key, size_t klen)
{
	stitch_sect *s;
	if (st->ns == st->scap) {
		st->scap = st->scap ? st->scap * 2 : 16;
		st->s = bb_xrealloc(st->s, st->scap * sizeof *st->s);
	}
	s = &st->s[st->ns];
	memset(s, 0, sizeof *s);
	s->head = head;
	s->key = key;
	s->hkey = key ? bb_fnv1a(BB_FNV_SEED, key, klen) : 0;
	return (unsigned)st->ns++;
}

void
bb_stitch_append(stitch_state *st, unsigned sect, unsigned id)
{
	stitch_sect *s = &st->s[sect];
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->slots = bb_xrealloc(s->slots, s->cap * sizeof *s->slots);
	}
	s->slots[s->n++] = id;
	st->p[id].sect = sect;
}

/* The place of piece id in its section (the section's n when it is not there). */
size_t
bb_stitch_slot_of(const stitch_state *st, unsigned id)
{
	const stitch_sect *s = &st->s[st->p[id].sect];
	size_t i;
	for (i = 0; i < s->n; i++)
		if (s->slots[i] == id)
			return i;
	return s->n;
}

/* Removes piece id from the output (it stays indexed, but dead). */
void
bb_stitch_kill(stitch_state *st, unsigned id)
{
	size_t k = bb_stitch_slot_of(st, id);
	if (k < st->s[st->p[id].sect].n)
		st->s[st->p[id].sect].slots[k] = STITCH_NONE;
	st->p[id].live = 0;
}

/* Puts piece id where old was, and removes old. */
void
bb_stitch_replace(stitch_state *st, unsigned old, unsigned id)
{
	stitch_sect *s = &st->s[st->p[old].sect];
	size_t k = bb_stitch_slot_of(st, old);
	st->p[id].sect = st->p[old].sect;
	if (k < s->n)
		s->slots[k] = id;
	st->p[old].live = 0;
}

/* Until a heading is seen in a segment, new blocks follow the section of the
 * repeated block just met. */
void
bb_stitch_follow(stitch_state *st, unsigned id)
{
	if (!st->locked)
		st->cursor = st->p[id].sect;
}
