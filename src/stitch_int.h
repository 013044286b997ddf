/* stitch_int.h: what the files of the segment stitcher share (stitch.c the
 * pass over the blocks and the written article, stitch_split.c lines and
 * blocks, stitch_piece.c the kept pieces and their sections, stitch_index.c
 * the index that finds kept copies, stitch_join.c a paragraph cut at a
 * marker joined to its continuation): the stitcher's state and the
 * functions they call across. */
#ifndef BB_STITCH_INT_H
#define BB_STITCH_INT_H

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "stitch.h"
#include "util.h"

#define STITCH_K 16                  /* bytes hashed at an anchor */
#define STITCH_MAX_ANCHORS (1u << 21) /* bound on the index of inner anchors */
#define STITCH_OVERLAP_MAX 4096      /* longest repeated tail looked for at a join */
#define STITCH_MIN_SHORT 4           /* shorter blocks are only found when equal */
#define STITCH_NONE UINT_MAX
#define STITCH_MIN_SENTENCE 24       /* a sentence said again alone is dropped from this many bytes */

enum { STITCH_TEXT, STITCH_CODE, STITCH_HEAD, STITCH_MARK };
/* Index entry kinds: the first STITCH_K bytes of a piece, STITCH_K bytes at an inner
 * anchor, the last STITCH_K bytes, the whole folded text; and for blocks shorter
 * than STITCH_K, which the others cannot find: the piece's first and last m bytes
 * for each m from STITCH_MIN_SHORT to STITCH_K - 1. */
enum { E_FIRST, E_ANCHOR, E_LAST, E_WHOLE, E_PREF, E_SUFF };

/* A block of the input: bytes [b, e) of the text. */
typedef struct stitch_block {
	int kind;
	size_t b, e;
	int open;               /* STITCH_CODE: fence left open by a marker or the end */
} stitch_block;

typedef struct stitch_blocks {
	stitch_block *v;
	size_t n, cap;
} stitch_blocks;

/* A block kept for the output (live) or superseded by a longer one. */
typedef struct stitch_piece {
	int kind, live, open;
	int cut;                /* the last block of a segment, ending mid-sentence */
	unsigned sect;
	char *raw;              /* Markdown as written out, CRs removed */
	size_t rlen;
	char *norm;             /* whitespace folded: what is compared */
	size_t nlen;
} stitch_piece;

/* A section: the blocks under one heading (section 0: before any heading). */
typedef struct stitch_sect {
	char *head;             /* the heading as first written, or NULL */
	char *key;
	unsigned long long hkey;
	unsigned *slots;        /* piece ids in order; STITCH_NONE when removed */
	size_t n, cap;
} stitch_sect;

typedef struct stitch_ent {
	unsigned long long h;
	unsigned piece, off, next;
	unsigned char kind;
} stitch_ent;

typedef struct stitch_index {
	stitch_ent *e;
	size_t n, cap;
	unsigned *head;
	size_t nhead;           /* a power of two */
	size_t nanchors;
} stitch_index;

typedef struct stitch_state {
	stitch_piece *p;
	size_t np, pcap;
	stitch_sect *s;
	size_t ns, scap;
	stitch_index ix;
	size_t work, budget;    /* bytes compared so far, and the bound */
	unsigned cursor;        /* section receiving new blocks */
	int locked;             /* a heading was seen in this segment */
	unsigned pending;       /* piece cut mid-sentence at the last marker */
	char *frag, *cont;      /* unfinished sentence of a dropped copy, see bb_stitch_set_frag; */
	size_t fragl, contl;    /* cont: the one the last marker left */
	struct bb_stitch_stats st;
} stitch_state;

typedef struct stitch_ids {
	unsigned *v;
	size_t n, cap;
} stitch_ids;

/* ---- stitch_piece.c ---- */

/* Adds a live piece (raw and norm owned) and indexes it; returns its id. */
unsigned bb_stitch_new_piece(stitch_state *st, int kind, char *raw, size_t rlen, char *norm, size_t nlen, int open);

/* Adds a section under heading head with key (both owned, NULL for the
 * part before any heading); returns its number. */
unsigned bb_stitch_new_sect(stitch_state *st, char *head, char *key, size_t klen);

/* Appends piece id to section sect. */
void bb_stitch_append(stitch_state *st, unsigned sect, unsigned id);

/* The place of piece id in its section (the section's n when it is not there). */
size_t bb_stitch_slot_of(const stitch_state *st, unsigned id);

/* Removes piece id from the output (it stays indexed, but dead). */
void bb_stitch_kill(stitch_state *st, unsigned id);

/* Puts piece id where old was, and removes old. */
void bb_stitch_replace(stitch_state *st, unsigned old, unsigned id);

/* Until a heading is seen in a segment, new blocks follow the section of the
 * repeated block just met. */
void bb_stitch_follow(stitch_state *st, unsigned id);

/* ---- stitch_split.c ---- */

/* ASCII whitespace. */
int bb_stitch_ws(int c);

/* The code point ending at s[n] (n > 0); sets *clen to its length. */
unsigned bb_stitch_last_cp(const char *s, size_t n, size_t *clen);

/* The code point starting s (n > 0). */
unsigned bb_stitch_first_cp(const char *s, size_t n);

/* 1 when folded text ends a sentence (closing quotes, brackets and emphasis
 * marks aside), ends with a link or image, or is only markup. */
int bb_stitch_ends_sentence(const char *s, size_t n);

/* 1 when a folded paragraph may be cut mid-sentence: plain prose that does
 * not end a sentence (tables, HTML and thematic breaks never are). */
int bb_stitch_is_cut(const char *s, size_t n);

/* Folds runs of ASCII whitespace to one space and trims. Caller frees. */
char *bb_stitch_fold(const char *s, size_t n, size_t *outn);

/* The offset in raw text matching offset noff of its folded form. */
size_t bb_stitch_raw_at(const char *raw, size_t n, size_t noff);

/* An anchor is where a contained paragraph may start: the start, after a
 * space, or after CJK punctuation that ends a sentence or clause. */
int bb_stitch_is_anchor(const char *s, size_t i);

/* The spaces that indent line l. */
size_t bb_stitch_indent(const char *l, size_t n);

/* 1 when a text block is plain prose, whose sentences may be cut out: no
 * line of it opens a list item, quote, table or HTML block, or is indented
 * as code. */
int bb_stitch_is_prose(const char *s, size_t n);

/* Cuts text into blocks and markers, line by line. */
void bb_stitch_split(const char *t, size_t len, stitch_blocks *bl);

/* A copy of bytes [b, e) with CRs before newlines and at the end removed and
 * trailing whitespace trimmed. Caller frees. */
char *bb_stitch_copy_raw(const char *t, size_t b, size_t e, size_t *outn);

/* The key of a heading: its text without '#' marks, setext underline,
 * emphasis markers or extra whitespace. Caller frees. */
char *bb_stitch_head_key(const char *s, size_t n, size_t *outn);

/* ---- stitch_index.c ---- */

/* Indexes piece id: its first, last and anchor bytes and its whole text. */
void bb_stitch_ix_piece(stitch_state *st, unsigned id);

/* A live piece of this kind that contains s (starting at one of its anchors,
 * or ending where it ends), or STITCH_NONE. */
unsigned bb_stitch_find_container(stitch_state *st, int kind, const char *s, size_t n);

/* Collects the live pieces of this kind contained in s, shorter than it:
 * those starting at an anchor of s, and those ending where s ends. */
void bb_stitch_find_contained(stitch_state *st, int kind, const char *s, size_t n, stitch_ids *out);

/* The longest live text piece that ends a sentence and that s opens with,
 * followed by a space or the end of s: a kept paragraph glued into a block.
 * STITCH_NONE when none. */
unsigned bb_stitch_glued_at(stitch_state *st, const char *s, size_t n);

/* ---- stitch_join.c ---- */

/* Joins the pending cut piece with the raw continuation (folded as norm). */
unsigned bb_stitch_join(stitch_state *st, unsigned cut, const char *raw, size_t rlen, const char *norm, size_t nlen);

/* A block that ends a segment with a copy of kept text cut mid-sentence
 * leaves its last, unfinished sentence (raw[0..rlen)) as a candidate: when
 * the next segment opens with new text that repeats its end, the two are
 * written as one sentence. */
void bb_stitch_set_frag(stitch_state *st, const char *raw, size_t rlen);

/* The new text (raw and norm owned) continues the candidate left by the
 * segment before: replaces them by the two glued, when the text repeats the
 * candidate's end. */
void bb_stitch_continue_frag(stitch_state *st, char **raw, size_t *rlen, char **norm, size_t *nlen);

#endif
