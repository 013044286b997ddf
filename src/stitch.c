/* stitch.c: joins a post written in continued, overlapping segments into one article. */
#include "stitch.h"
#include "sentence.h"
#include "util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define S_K 16                  /* bytes hashed at an anchor */
#define S_MAX_ANCHORS (1u << 21) /* bound on the index of inner anchors */
#define S_OVERLAP_MAX 4096      /* longest repeated tail looked for at a join */
#define S_MIN_SHORT 4           /* shorter blocks are only found when equal */
#define S_NONE UINT_MAX
#define S_MIN_SENTENCE 24       /* a sentence said again alone is dropped from this many bytes */

enum { S_TEXT, S_CODE, S_HEAD, S_MARK };
/* Index entry kinds: the first S_K bytes of a piece, S_K bytes at an inner
 * anchor, the last S_K bytes, the whole folded text; and for blocks shorter
 * than S_K, which the others cannot find: the piece's first and last m bytes
 * for each m from S_MIN_SHORT to S_K - 1. */
enum { E_FIRST, E_ANCHOR, E_LAST, E_WHOLE, E_PREF, E_SUFF };

/* A block of the input: bytes [b, e) of the text. */
typedef struct S_block {
	int kind;
	size_t b, e;
	int open;               /* S_CODE: fence left open by a marker or the end */
} S_block;

typedef struct S_blocks {
	S_block *v;
	size_t n, cap;
} S_blocks;

/* A block kept for the output (live) or superseded by a longer one. */
typedef struct S_piece {
	int kind, live, open;
	int cut;                /* the last block of a segment, ending mid-sentence */
	unsigned sect;
	char *raw;              /* Markdown as written out, CRs removed */
	size_t rlen;
	char *norm;             /* whitespace folded: what is compared */
	size_t nlen;
} S_piece;

/* A section: the blocks under one heading (section 0: before any heading). */
typedef struct S_sect {
	char *head;             /* the heading as first written, or NULL */
	char *key;
	unsigned long long hkey;
	unsigned *slots;        /* piece ids in order; S_NONE when removed */
	size_t n, cap;
} S_sect;

typedef struct S_ent {
	unsigned long long h;
	unsigned piece, off, next;
	unsigned char kind;
} S_ent;

typedef struct S_index {
	S_ent *e;
	size_t n, cap;
	unsigned *head;
	size_t nhead;           /* a power of two */
	size_t nanchors;
} S_index;

typedef struct S_st {
	S_piece *p;
	size_t np, pcap;
	S_sect *s;
	size_t ns, scap;
	S_index ix;
	size_t work, budget;    /* bytes compared so far, and the bound */
	unsigned cursor;        /* section receiving new blocks */
	int locked;             /* a heading was seen in this segment */
	unsigned pending;       /* piece cut mid-sentence at the last marker */
	char *frag, *cont;      /* unfinished sentence of a dropped copy, see S_set_frag; */
	size_t fragl, contl;    /* cont: the one the last marker left */
	struct bb_stitch_stats st;
} S_st;

/* ---- characters ---- */

static int
S_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The code point ending at s[n] (n > 0); sets *clen to its length. */
static unsigned
S_last_cp(const char *s, size_t n, size_t *clen)
{
	size_t k = 1;
	unsigned cp;
	while (k < 4 && k < n && ((unsigned char)s[n - k] & 0xC0) == 0x80)
		k++;
	if (bb_utf8_decode((const unsigned char *)s + n - k, k, &cp) != (int)k) {
		*clen = 1;
		return (unsigned char)s[n - 1];
	}
	*clen = k;
	return cp;
}

static unsigned
S_first_cp(const char *s, size_t n)
{
	unsigned cp;
	if (n == 0)
		return 0;
	if (!bb_utf8_decode((const unsigned char *)s, n, &cp))
		return (unsigned char)s[0];
	return cp;
}

static int
S_is_closer(unsigned cp)
{
	switch (cp) {
	case '"': case '\'': case ')': case ']': case '*': case '_': case '`': case '~':
	case 0x00BB: case 0x2019: case 0x201D: case 0x3009: case 0x300B: case 0x300D:
	case 0x300F: case 0x3011: case 0xFF09: case 0xFF3D:
		return 1;
	}
	return 0;
}

static int
S_is_terminal(unsigned cp)
{
	switch (cp) {
	case '.': case '!': case '?': case ':': case ';':
	case 0x2026: case 0x3002: case 0xFF01: case 0xFF0E: case 0xFF1A: case 0xFF1B:
	case 0xFF1F: case 0xFF61:
		return 1;
	}
	return 0;
}

/* 1 when folded text ends a sentence (closing quotes, brackets and emphasis
 * marks aside), ends with a link or image, or is only markup. */
static int
S_ends_sentence(const char *s, size_t n)
{
	size_t m = n, k;
	unsigned cp;
	while (m > 0) {
		cp = S_last_cp(s, m, &k);
		if (cp != ' ' && !S_is_closer(cp))
			break;
		m -= k;
	}
	if (m == 0)
		return 1;
	cp = S_last_cp(s, m, &k);
	if (S_is_terminal(cp))
		return 1;
	if (n > 0 && s[n - 1] == ')') {
		size_t i;
		for (i = 0; i + 1 < n; i++)
			if (s[i] == ']' && s[i + 1] == '(')
				return 1;
	}
	return 0;
}

/* 1 when a folded paragraph may be cut mid-sentence: plain prose that does
 * not end a sentence (tables, HTML and thematic breaks never are). */
static int
S_is_cut(const char *s, size_t n)
{
	size_t i;
	int only_rule = 1;
	if (n == 0 || s[0] == '|' || s[0] == '<')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] != '-' && s[i] != '*' && s[i] != '_' && s[i] != ' ')
			only_rule = 0;
	if (only_rule)
		return 0;
	return !S_ends_sentence(s, n);
}

/* Folds runs of ASCII whitespace to one space and trims. Caller frees. */
static char *
S_fold(const char *s, size_t n, size_t *outn)
{
	char *o = bb_xmalloc(n + 1);
	size_t i = 0, k = 0;
	int sp = 0;
	while (i < n && S_ws((unsigned char)s[i]))
		i++;
	for (; i < n; i++) {
		if (S_ws((unsigned char)s[i])) {
			sp = 1;
			continue;
		}
		if (sp)
			o[k++] = ' ';
		sp = 0;
		o[k++] = s[i];
	}
	o[k] = '\0';
	*outn = k;
	return o;
}

/* The offset in raw text matching offset noff of its folded form. */
static size_t
S_raw_at(const char *raw, size_t n, size_t noff)
{
	size_t i = 0, k = 0;
	while (i < n && S_ws((unsigned char)raw[i]))
		i++;
	while (i < n && k < noff) {
		if (S_ws((unsigned char)raw[i])) {
			while (i < n && S_ws((unsigned char)raw[i]))
				i++;
		} else
			i++;
		k++;
	}
	return i;
}

/* An anchor is where a contained paragraph may start: the start, after a
 * space, or after CJK punctuation that ends a sentence or clause. */
static int
S_is_anchor(const char *s, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;
	if (i == 0 || s[i - 1] == ' ')
		return 1;
	if (i < 3 || ((u[i] & 0xC0) == 0x80))
		return 0;
	if (u[i - 3] == 0xE3 && u[i - 2] == 0x80)     /* 、。」』 */
		return u[i - 1] == 0x81 || u[i - 1] == 0x82 || u[i - 1] == 0x8D || u[i - 1] == 0x8F;
	if (u[i - 3] == 0xEF && u[i - 2] == 0xBC)     /* ！），．：；？ */
		return u[i - 1] == 0x81 || u[i - 1] == 0x89 || u[i - 1] == 0x8C || u[i - 1] == 0x8E
			|| u[i - 1] == 0x9A || u[i - 1] == 0x9B || u[i - 1] == 0x9F;
	return 0;
}

/* ---- lines and blocks ---- */

static size_t
S_indent(const char *l, size_t n)
{
	size_t i = 0;
	while (i < n && l[i] == ' ')
		i++;
	return i;
}

/* 1 when a text block is plain prose, whose sentences may be cut out: no
 * line of it opens a list item, quote, table or HTML block, or is indented
 * as code. */
static int
S_is_prose(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t e = i, k, j;
		while (e < n && s[e] != '\n')
			e++;
		k = S_indent(s + i, e - i);
		if (k >= 4 || (i + k < e && strchr("<|>", s[i + k])))
			return 0;
		if (i + k + 1 < e && strchr("-+*", s[i + k]) && s[i + k + 1] == ' ')
			return 0;
		for (j = i + k; j < e && s[j] >= '0' && s[j] <= '9'; j++)
			;
		if (j > i + k && j + 1 < e && (s[j] == '.' || s[j] == ')') && s[j + 1] == ' ')
			return 0;
		i = e + 1;
	}
	return 1;
}

static int
S_is_blank(const char *l, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!S_ws((unsigned char)l[i]))
			return 0;
	return 1;
}

static int
S_is_marker(const char *l, size_t n)
{
	static const char m[] = "---END---";
	size_t i;
	if (n < sizeof m - 1 || memcmp(l, m, sizeof m - 1) != 0)
		return 0;
	for (i = sizeof m - 1; i < n; i++)
		if (l[i] != ' ' && l[i] != '\t' && l[i] != '\r')
			return 0;
	return 1;
}

static int
S_fence_open(const char *l, size_t n, char *ch, size_t *cnt)
{
	size_t i = S_indent(l, n), k = 0, j;
	if (i > 3 || i >= n || (l[i] != '`' && l[i] != '~'))
		return 0;
	while (i + k < n && l[i + k] == l[i])
		k++;
	if (k < 3)
		return 0;
	if (l[i] == '`')
		for (j = i + k; j < n; j++)
			if (l[j] == '`')
				return 0;
	*ch = l[i];
	*cnt = k;
	return 1;
}

static int
S_fence_close(const char *l, size_t n, char ch, size_t cnt)
{
	size_t i = S_indent(l, n), k = 0;
	if (i > 3)
		return 0;
	while (i + k < n && l[i + k] == ch)
		k++;
	return k >= cnt && S_is_blank(l + i + k, n - i - k);
}

/* An ATX heading line; also one written without the space after its marks
 * ("##見出し", "##Notes"): two to six '#', or one before a non-ASCII
 * character, so that "#hashtag" and "#1" stay text. */
static int
S_is_atx(const char *l, size_t n)
{
	size_t i = S_indent(l, n), k = 0;
	if (i > 3)
		return 0;
	while (i + k < n && l[i + k] == '#')
		k++;
	if (k < 1 || k > 6)
		return 0;
	if (i + k == n || S_ws((unsigned char)l[i + k]))
		return 1;
	return k >= 2 || ((unsigned char)l[i + k] & 0x80);
}

static int
S_is_setext(const char *l, size_t n)
{
	size_t i = S_indent(l, n), k = 0;
	if (i > 3 || i >= n || (l[i] != '=' && l[i] != '-'))
		return 0;
	while (i + k < n && l[i + k] == l[i])
		k++;
	return S_is_blank(l + i + k, n - i - k);
}

/* A line opening a list item, quote or table: a setext underline after it
 * would not make a heading of it. */
static int
S_opens_container(const char *l, size_t n)
{
	size_t i = S_indent(l, n);
	if (i >= n)
		return 0;
	if (l[i] == '>' || l[i] == '|')
		return 1;
	if ((l[i] == '-' || l[i] == '*' || l[i] == '+') && (i + 1 == n || l[i + 1] == ' '))
		return 1;
	while (i < n && l[i] >= '0' && l[i] <= '9')
		i++;
	return i > S_indent(l, n) && i < n && (l[i] == '.' || l[i] == ')');
}

static void
S_push(S_blocks *bl, int kind, size_t b, size_t e, int open)
{
	if (bl->n == bl->cap) {
		bl->cap = bl->cap ? bl->cap * 2 : 64;
		bl->v = bb_xrealloc(bl->v, bl->cap * sizeof *bl->v);
	}
	bl->v[bl->n].kind = kind;
	bl->v[bl->n].b = b;
	bl->v[bl->n].e = e;
	bl->v[bl->n].open = open;
	bl->n++;
}

/* Cuts text into blocks and markers, line by line. */
static void
S_split(const char *t, size_t len, S_blocks *bl)
{
	size_t i = 0, pb = 0, pe = 0, fb = 0, fcnt = 0;
	int inpara = 0, setext_ok = 0, infence = 0;
	char fch = 0;

	while (i < len) {
		size_t ls = i, le = i, ln;
		const char *l;
		while (le < len && t[le] != '\n')
			le++;
		i = le < len ? le + 1 : le;
		l = t + ls;
		ln = le - ls;
		if (S_is_marker(l, ln)) {
			if (infence)
				S_push(bl, S_CODE, fb, ls, 1);
			else if (inpara)
				S_push(bl, S_TEXT, pb, pe, 0);
			infence = inpara = 0;
			S_push(bl, S_MARK, ls, le, 0);
			continue;
		}
		if (infence) {
			if (S_fence_close(l, ln, fch, fcnt)) {
				S_push(bl, S_CODE, fb, le, 0);
				infence = 0;
			}
			continue;
		}
		if (S_fence_open(l, ln, &fch, &fcnt)) {
			if (inpara)
				S_push(bl, S_TEXT, pb, pe, 0);
			inpara = 0;
			infence = 1;
			fb = ls;
			continue;
		}
		if (S_is_blank(l, ln)) {
			if (inpara)
				S_push(bl, S_TEXT, pb, pe, 0);
			inpara = 0;
			continue;
		}
		if (S_is_atx(l, ln)) {
			if (inpara)
				S_push(bl, S_TEXT, pb, pe, 0);
			inpara = 0;
			S_push(bl, S_HEAD, ls, le, 0);
			continue;
		}
		if (inpara && setext_ok && S_is_setext(l, ln)) {
			S_push(bl, S_HEAD, pb, le, 0);
			inpara = 0;
			continue;
		}
		if (!inpara) {
			inpara = 1;
			pb = ls;
			setext_ok = !S_opens_container(l, ln);
		}
		pe = le;
	}
	if (infence)
		S_push(bl, S_CODE, fb, len, 1);
	else if (inpara)
		S_push(bl, S_TEXT, pb, pe, 0);
}

/* A copy of bytes [b, e) with CRs before newlines and at the end removed and
 * trailing whitespace trimmed. Caller frees. */
static char *
S_copy_raw(const char *t, size_t b, size_t e, size_t *outn)
{
	char *o = bb_xmalloc(e - b + 1);
	size_t i, k = 0;
	for (i = b; i < e; i++) {
		if (t[i] == '\r' && (i + 1 == e || t[i + 1] == '\n'))
			continue;
		o[k++] = t[i];
	}
	while (k > 0 && S_ws((unsigned char)o[k - 1]))
		k--;
	o[k] = '\0';
	*outn = k;
	return o;
}

/* The key of a heading: its text without '#' marks, setext underline,
 * emphasis markers or extra whitespace. Caller frees. */
static char *
S_head_key(const char *s, size_t n, size_t *outn)
{
	char *tmp, *key;
	size_t i = 0, e = n, k = 0, j;

	while (i < n && S_ws((unsigned char)s[i]))
		i++;
	if (i < n && s[i] == '#') {
		while (i < n && s[i] == '#')
			i++;
		/* closing sequence: spaces then '#'s at the end */
		while (e > i && S_ws((unsigned char)s[e - 1]))
			e--;
		j = e;
		while (j > i && s[j - 1] == '#')
			j--;
		if (j < e && (j == i || S_ws((unsigned char)s[j - 1])))
			e = j;
	} else {
		/* setext: drop the underline line */
		j = e;
		while (j > i && S_ws((unsigned char)s[j - 1]))
			j--;
		while (j > i && s[j - 1] != '\n')
			j--;
		if (j > i && S_is_setext(s + j, e - j))
			e = j;
	}
	tmp = bb_xmalloc(e - i + 1);
	for (j = i; j < e; j++)
		if (s[j] != '*' && s[j] != '_')
			tmp[k++] = s[j];
	key = S_fold(tmp, k, outn);
	free(tmp);
	return key;
}

/* ---- the index of kept pieces ---- */

static unsigned long long
S_hash(int kind, const char *s, size_t n)
{
	return bb_fnv1a(BB_FNV_SEED ^ (0x9E3779B97F4A7C15ULL * (unsigned long long)(kind + 1)), s, n);
}

static void
S_ix_rehash(S_index *ix)
{
	size_t i, nh = ix->nhead ? ix->nhead * 2 : 1024;
	free(ix->head);
	ix->head = bb_xmalloc(nh * sizeof *ix->head);
	for (i = 0; i < nh; i++)
		ix->head[i] = S_NONE;
	ix->nhead = nh;
	for (i = 0; i < ix->n; i++) {
		size_t b = (size_t)(ix->e[i].h & (nh - 1));
		ix->e[i].next = ix->head[b];
		ix->head[b] = (unsigned)i;
	}
}

static void
S_ix_add(S_index *ix, int kind, unsigned long long h, unsigned piece, size_t off)
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
S_ix_first(const S_index *ix, unsigned long long h)
{
	return ix->nhead ? ix->head[h & (ix->nhead - 1)] : S_NONE;
}

static void
S_ix_piece(S_st *st, unsigned id)
{
	const S_piece *p = &st->p[id];
	size_t a;
	S_ix_add(&st->ix, E_WHOLE, S_hash(E_WHOLE, p->norm, p->nlen), id, 0);
	for (a = S_MIN_SHORT; a < S_K && a < p->nlen; a++) {
		if (((unsigned char)p->norm[a] & 0xC0) != 0x80)
			S_ix_add(&st->ix, E_PREF, S_hash(E_PREF, p->norm, a), id, 0);
		if (((unsigned char)p->norm[p->nlen - a] & 0xC0) != 0x80)
			S_ix_add(&st->ix, E_SUFF, S_hash(E_SUFF, p->norm + p->nlen - a, a), id, 0);
	}
	if (p->nlen < S_K)
		return;
	S_ix_add(&st->ix, E_FIRST, S_hash(E_FIRST, p->norm, S_K), id, 0);
	S_ix_add(&st->ix, E_LAST, S_hash(E_LAST, p->norm + p->nlen - S_K, S_K), id, 0);
	for (a = 1; a + S_K <= p->nlen && st->ix.nanchors < S_MAX_ANCHORS; a++) {
		if (!S_is_anchor(p->norm, a))
			continue;
		S_ix_add(&st->ix, E_ANCHOR, S_hash(E_ANCHOR, p->norm + a, S_K), id, a);
		st->ix.nanchors++;
	}
}

/* Charges n bytes of comparison; 0 once the budget is spent. */
static int
S_spend(S_st *st, size_t n)
{
	if (st->work > st->budget)
		return 0;
	st->work += n + 8;
	return 1;
}

/* A live piece of this kind equal to s (ek E_WHOLE), or starting (E_PREF) or
 * ending (E_SUFF) with s, n < S_K; or S_NONE. */
static unsigned
S_find_short(S_st *st, int ek, int kind, const char *s, size_t n)
{
	unsigned long long h = S_hash(ek, s, n);
	unsigned j;
	for (j = S_ix_first(&st->ix, h); j != S_NONE; j = st->ix.e[j].next) {
		const S_ent *e = &st->ix.e[j];
		const S_piece *q = &st->p[e->piece];
		if (e->h != h || e->kind != ek || !q->live || q->kind != kind || q->nlen < n)
			continue;
		if (ek == E_WHOLE ? q->nlen == n && memcmp(q->norm, s, n) == 0
				: ek == E_PREF ? memcmp(q->norm, s, n) == 0
				: memcmp(q->norm + q->nlen - n, s, n) == 0)
			return e->piece;
	}
	return S_NONE;
}

static unsigned
S_find_equal(S_st *st, int kind, const char *s, size_t n)
{
	return S_find_short(st, E_WHOLE, kind, s, n);
}

/* A live piece of this kind that contains s (starting at one of its anchors,
 * or ending where it ends), or S_NONE. */
static unsigned
S_find_container(S_st *st, int kind, const char *s, size_t n)
{
	unsigned long long h;
	unsigned j, q;

	int kinds[2] = { E_FIRST, E_ANCHOR }, k;

	if ((q = S_find_equal(st, kind, s, n)) != S_NONE)
		return q;
	if (n < S_K) {
		if (n < S_MIN_SHORT)
			return S_NONE;
		if ((q = S_find_short(st, E_PREF, kind, s, n)) == S_NONE)
			q = S_find_short(st, E_SUFF, kind, s, n);
		return q;
	}
	for (k = 0; k < 2; k++) {
		h = S_hash(kinds[k], s, S_K);
		for (j = S_ix_first(&st->ix, h); j != S_NONE; j = st->ix.e[j].next) {
			const S_ent *e = &st->ix.e[j];
			const S_piece *p = &st->p[e->piece];
			if (!S_spend(st, 0))
				return S_NONE;
			if (e->h != h || e->kind != kinds[k] || !p->live || p->kind != kind)
				continue;
			if (e->off + n <= p->nlen && S_spend(st, n) && memcmp(p->norm + e->off, s, n) == 0)
				return e->piece;
		}
	}
	h = S_hash(E_LAST, s + n - S_K, S_K);
	for (j = S_ix_first(&st->ix, h); j != S_NONE; j = st->ix.e[j].next) {
		const S_ent *e = &st->ix.e[j];
		const S_piece *p = &st->p[e->piece];
		if (!S_spend(st, 0))
			return S_NONE;
		if (e->h != h || e->kind != E_LAST || !p->live || p->kind != kind)
			continue;
		if (n <= p->nlen && S_spend(st, n) && memcmp(p->norm + p->nlen - n, s, n) == 0)
			return e->piece;
	}
	return S_NONE;
}

typedef struct S_ids {
	unsigned *v;
	size_t n, cap;
} S_ids;

static void
S_ids_add(S_ids *ids, unsigned id)
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
static void
S_find_contained(S_st *st, int kind, const char *s, size_t n, S_ids *out)
{
	unsigned long long h;
	unsigned j, q;
	size_t a;

	/* short pieces at the start or the end of s */
	for (a = S_MIN_SHORT; a < S_K && a < n; a++) {
		if (((unsigned char)s[a] & 0xC0) != 0x80
				&& (q = S_find_equal(st, kind, s, a)) != S_NONE)
			S_ids_add(out, q);
		if (((unsigned char)s[n - a] & 0xC0) != 0x80
				&& (q = S_find_equal(st, kind, s + n - a, a)) != S_NONE)
			S_ids_add(out, q);
	}
	if (n < S_K)
		return;
	for (a = 0; a + S_K <= n; a++) {
		if (!S_is_anchor(s, a))
			continue;
		if (!S_spend(st, S_K))
			return;
		h = S_hash(E_FIRST, s + a, S_K);
		for (j = S_ix_first(&st->ix, h); j != S_NONE; j = st->ix.e[j].next) {
			const S_ent *e = &st->ix.e[j];
			const S_piece *p = &st->p[e->piece];
			if (!S_spend(st, 0))
				return;
			if (e->h != h || e->kind != E_FIRST || !p->live || p->kind != kind)
				continue;
			if (p->nlen < n && a + p->nlen <= n && S_spend(st, p->nlen)
					&& memcmp(s + a, p->norm, p->nlen) == 0)
				S_ids_add(out, e->piece);
		}
	}
	h = S_hash(E_LAST, s + n - S_K, S_K);
	for (j = S_ix_first(&st->ix, h); j != S_NONE; j = st->ix.e[j].next) {
		const S_ent *e = &st->ix.e[j];
		const S_piece *p = &st->p[e->piece];
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
 * S_NONE when none. */
static unsigned
S_glued_at(S_st *st, const char *s, size_t n)
{
	unsigned best = S_NONE, q, j;
	unsigned long long h;
	size_t k;

	for (k = S_MIN_SHORT; k <= n && k < S_K; k++) {
		if ((k < n && s[k] != ' ') || (q = S_find_equal(st, S_TEXT, s, k)) == S_NONE)
			continue;
		if (S_ends_sentence(s, k))
			best = q;
	}
	if (n < S_K)
		return best;
	h = S_hash(E_FIRST, s, S_K);
	for (j = S_ix_first(&st->ix, h); j != S_NONE; j = st->ix.e[j].next) {
		const S_ent *e = &st->ix.e[j];
		const S_piece *p = &st->p[e->piece];
		if (!S_spend(st, 0))
			break;
		if (e->h != h || e->kind != E_FIRST || !p->live || p->kind != S_TEXT)
			continue;
		if (p->nlen <= n && (p->nlen == n || s[p->nlen] == ' ')
				&& (best == S_NONE || p->nlen > st->p[best].nlen)
				&& S_spend(st, p->nlen) && memcmp(s, p->norm, p->nlen) == 0
				&& S_ends_sentence(p->norm, p->nlen))
			best = e->piece;
	}
	return best;
}

/* ---- pieces and sections ---- */

static unsigned
S_new_piece(S_st *st, int kind, char *raw, size_t rlen, char *norm, size_t nlen, int open)
{
	S_piece *p;
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
	S_ix_piece(st, (unsigned)(st->np - 1));
	return (unsigned)(st->np - 1);
}

static unsigned
S_new_sect(S_st *st, char *head, char *key, size_t klen)
{
	S_sect *s;
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

static void
S_append(S_st *st, unsigned sect, unsigned id)
{
	S_sect *s = &st->s[sect];
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->slots = bb_xrealloc(s->slots, s->cap * sizeof *s->slots);
	}
	s->slots[s->n++] = id;
	st->p[id].sect = sect;
}

static size_t
S_slot_of(const S_st *st, unsigned id)
{
	const S_sect *s = &st->s[st->p[id].sect];
	size_t i;
	for (i = 0; i < s->n; i++)
		if (s->slots[i] == id)
			return i;
	return s->n;
}

/* Removes piece id from the output (it stays indexed, but dead). */
static void
S_kill(S_st *st, unsigned id)
{
	size_t k = S_slot_of(st, id);
	if (k < st->s[st->p[id].sect].n)
		st->s[st->p[id].sect].slots[k] = S_NONE;
	st->p[id].live = 0;
}

/* Puts piece id where old was, and removes old. */
static void
S_replace(S_st *st, unsigned old, unsigned id)
{
	S_sect *s = &st->s[st->p[old].sect];
	size_t k = S_slot_of(st, old);
	st->p[id].sect = st->p[old].sect;
	if (k < s->n)
		s->slots[k] = id;
	st->p[old].live = 0;
}

/* Until a heading is seen in a segment, new blocks follow the section of the
 * repeated block just met. */
static void
S_follow(S_st *st, unsigned id)
{
	if (!st->locked)
		st->cursor = st->p[id].sect;
}

/* ---- joining a cut ---- */

/* Bytes of the longest tail of c that the continuation p repeats at its
 * start: at least three code points when it holds CJK text, else at least two
 * whole words. KMP over at most S_OVERLAP_MAX bytes. */
static size_t
S_overlap(const char *c, size_t cn, const char *p, size_t pn)
{
	size_t L = pn < S_OVERLAP_MAX ? pn : S_OVERLAP_MAX, *fail, *cps, i, q = 0;
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
		cjk[i + 1] = (unsigned char)(cjk[i] || (lead && bb_is_cjk(S_first_cp(p + i, pn - i))));
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
	r0 = S_raw_at(raw, rlen, *ov);
	tail = raw + r0;
	tl = rlen - r0;
	bb_buf_put(&b, c, crl);
	if (tl > 0 && S_ws((unsigned char)tail[0])) {
		bb_buf_putc(&b, ' ');
		while (tl > 0 && S_ws((unsigned char)tail[0]))
			tail++, tl--;
	} else if (*ov == 0 && tl > 0) {
		size_t k;
		unsigned a = S_last_cp(cn, cnl, &k), z = S_first_cp(tail, tl);
		if (!bb_is_cjk(a) && !bb_is_cjk(z))
			bb_buf_putc(&b, ' ');
	}
	bb_buf_put(&b, tail, tl);
	return bb_buf_detach(&b, olen);
}

/* Joins the pending cut piece with the raw continuation (folded as norm). */
static unsigned
S_join(S_st *st, unsigned cut, const char *raw, size_t rlen, const char *norm, size_t nlen)
{
	const S_piece *c = &st->p[cut];
	size_t olen, flen, ov;
	char *out = S_glue(c->raw, c->rlen, c->norm, c->nlen, raw, rlen, norm, nlen, &olen, &ov), *fold;
	unsigned id;

	fold = S_fold(out, olen, &flen);
	id = S_new_piece(st, S_TEXT, out, olen, fold, flen, 0);
	S_replace(st, cut, id);
	return id;
}

/* A block that ends a segment with a copy of kept text cut mid-sentence
 * leaves its last, unfinished sentence (raw[0..rlen)) as a candidate: when
 * the next segment opens with new text that repeats its end, the two are
 * written as one sentence. */
static void
S_set_frag(S_st *st, const char *raw, size_t rlen)
{
	size_t i = 0, last = 0, fn;
	char *fold;

	free(st->frag);
	st->frag = NULL;
	while (i < rlen) {
		last = i;
		i = bb_sentence_end(raw, rlen, i, NULL);
		while (i < rlen && S_ws((unsigned char)raw[i]))
			i++;
	}
	fold = S_fold(raw + last, rlen - last, &fn);
	if (fn > 0 && S_is_cut(fold, fn)) {
		st->frag = bb_xstrndup(raw + last, rlen - last);
		st->fragl = rlen - last;
	}
	free(fold);
}

/* The new text (raw and norm owned) continues the candidate left by the
 * segment before: replaces them by the two glued, when the text repeats the
 * candidate's end. */
static void
S_continue_frag(S_st *st, char **raw, size_t *rlen, char **norm, size_t *nlen)
{
	size_t cn, olen, ov;
	char *cf, *out;

	if (!st->cont)
		return;
	cf = S_fold(st->cont, st->contl, &cn);
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
	*norm = S_fold(out, olen, nlen);
	st->st.merged_cuts++;
	free(st->cont);
	st->cont = NULL;
}

/* ---- the blocks ---- */

static void
S_take_head(S_st *st, const char *t, const S_block *bk)
{
	size_t rlen, klen, i;
	char *raw = S_copy_raw(t, bk->b, bk->e, &rlen);
	char *key = S_head_key(raw, rlen, &klen);
	unsigned long long h = bb_fnv1a(BB_FNV_SEED, key, klen);

	for (i = 1; i < st->ns; i++)
		if (st->s[i].hkey == h && strcmp(st->s[i].key, key) == 0)
			break;
	st->locked = 1;
	if (i < st->ns) {
		st->st.sections_merged++;
		st->cursor = (unsigned)i;
		if (st->pending != S_NONE && st->p[st->pending].sect != i)
			st->pending = S_NONE;
		free(raw);
		free(key);
		return;
	}
	if (raw[0] == '#') {
		/* "##見出し": the space Markdown needs after the marks */
		size_t k = 0;
		while (raw[k] == '#')
			k++;
		if (raw[k] && !S_ws((unsigned char)raw[k])) {
			char *sp = bb_xasprintf("%.*s %s", (int)k, raw, raw + k);
			free(raw);
			raw = sp;
		}
	}
	st->cursor = S_new_sect(st, raw, key, klen);
	st->pending = S_NONE;
}

/* Takes one part of a block (raw and norm owned): drops it when a kept
 * piece contains it, lets it replace the kept pieces it contains, joins it to
 * a pending cut, or appends it to the current section. Returns the live piece
 * that ends where the part ends (so a cut there can be joined), or S_NONE. */
static unsigned
S_take_part(S_st *st, int kind, char *raw, size_t rlen, char *norm, size_t nlen, int open)
{
	S_ids in = { NULL, 0, 0 };
	unsigned q, id, ret = S_NONE;

	/* a copy of, or part of, a kept block */
	free(st->frag);
	st->frag = NULL;
	q = S_find_container(st, kind, norm, nlen);
	if (q != S_NONE) {
		S_follow(st, q);
		st->st.dropped_repeats++;
		if (st->pending != S_NONE && st->p[q].sect != st->p[st->pending].sect)
			st->pending = S_NONE;
		if (st->p[q].nlen >= nlen && memcmp(st->p[q].norm + st->p[q].nlen - nlen, norm, nlen) == 0)
			ret = q;
		if (kind == S_TEXT && ret == S_NONE)
			S_set_frag(st, raw, rlen);
		free(raw);
		free(norm);
		return ret;
	}

	/* a longer copy of kept blocks: it takes the place of the first. A kept
	 * line that ends no sentence and was no cut (a title line) glued before
	 * new text is no version of it. */
	S_find_contained(st, kind, norm, nlen, &in);
	{
		size_t i, k = 0;
		for (i = 0; i < in.n; i++)
			if (kind != S_TEXT || st->p[in.v[i]].cut
					|| S_ends_sentence(st->p[in.v[i]].norm, st->p[in.v[i]].nlen))
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
					|| (st->p[c].sect == st->p[best].sect && S_slot_of(st, c) < S_slot_of(st, best)))
				best = c;
		}
		id = S_new_piece(st, kind, raw, rlen, norm, nlen, open);
		S_replace(st, best, id);
		for (i = 0; i < in.n; i++)
			if (in.v[i] != best)
				S_kill(st, in.v[i]);
		st->st.dropped_repeats += (unsigned)in.n;
		for (i = 0; i < in.n; i++)
			if (in.v[i] == st->pending)
				st->st.merged_cuts++;
		st->pending = S_NONE;
		S_follow(st, id);
		free(in.v);
		return id;
	}

	/* new text: the continuation of a cut, or a new block here */
	if (kind == S_TEXT && st->pending == S_NONE)
		S_continue_frag(st, &raw, &rlen, &norm, &nlen);
	if (kind == S_TEXT && st->pending != S_NONE) {
		id = S_join(st, st->pending, raw, rlen, norm, nlen);
		st->st.merged_cuts++;
		st->pending = S_NONE;
		S_follow(st, id);
		free(raw);
		free(norm);
		return id;
	}
	st->pending = S_NONE;
	id = S_new_piece(st, kind, raw, rlen, norm, nlen, open);
	S_append(st, st->cursor, id);
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
S_write(S_st *st, bb_buf *out)
{
	bb_said *said = bb_said_new();
	size_t i, j;

	for (i = 0; i < st->ns; i++) {
		const S_sect *s = &st->s[i];
		if (s->head) {
			bb_buf_puts(out, s->head);
			bb_buf_puts(out, "\n\n");
		}
		for (j = 0; j < s->n; j++) {
			S_piece *p;
			if (s->slots[j] == S_NONE)
				continue;
			p = &st->p[s->slots[j]];
			if (!p->live)
				continue;
			if (p->kind == S_TEXT && S_is_prose(p->raw, p->rlen)) {
				/* sentences the article said before, restated inside it */
				size_t k = p->rlen;
				st->st.sentences_dropped += bb_said_drop(said, p->raw, &k, S_MIN_SENTENCE);
				p->rlen = k;
				if (k == 0)
					continue;
			}
			bb_buf_put(out, p->raw, p->rlen);
			if (p->open) {
				/* close the fence with the characters that opened it */
				size_t k = S_indent(p->raw, p->rlen), f = 0;
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
S_st_free(S_st *st)
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
 * ending where the block ends, or S_NONE. */
static unsigned
S_take_block(S_st *st, const char *t, const S_block *bk)
{
	size_t rlen, nlen, a, gap, np = 0, cap = 0, i;
	char *raw = S_copy_raw(t, bk->b, bk->e, &rlen), *norm;
	S_part *parts = NULL;
	unsigned q, units = 0, repeats = 0, news = 0, ret = S_NONE;

	if (bk->open)   /* an open fence may end in blank lines: drop them */
		while (rlen > 0 && S_ws((unsigned char)raw[rlen - 1]))
			raw[--rlen] = '\0';
	norm = S_fold(raw, rlen, &nlen);
	st->st.paragraphs_in++;
	if (bk->kind == S_CODE) {
		st->pending = S_NONE;
		return S_take_part(st, S_CODE, raw, rlen, norm, nlen, bk->open);
	}

	/* the glued kept paragraphs, left to right, and the gaps between them */
	gap = 0;
	for (a = 0; a < nlen; a++) {
		if ((a > 0 && norm[a - 1] != ' ') || (q = S_glued_at(st, norm + a, nlen - a)) == S_NONE)
			continue;
		if (np + 2 > cap) {
			cap = cap ? cap * 2 : 8;
			parts = bb_xrealloc(parts, cap * sizeof *parts);
		}
		if (a > 0 && a - 1 > gap) {
			parts[np].b = gap;
			parts[np].e = a - 1;
			parts[np].piece = S_NONE;
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
		return S_take_part(st, S_TEXT, raw, rlen, norm, nlen, 0);
	}
	if (gap < nlen) {
		if (np + 1 > cap)
			parts = bb_xrealloc(parts, ++cap * sizeof *parts);
		parts[np].b = gap;
		parts[np].e = nlen;
		parts[np].piece = S_NONE;
		parts[np].repeat = 0;
		np++;
	}
	for (i = 0; i < np; i++) {
		if (parts[i].piece != S_NONE)
			continue;
		parts[i].repeat = S_find_container(st, S_TEXT, norm + parts[i].b, parts[i].e - parts[i].b) != S_NONE;
		if (parts[i].repeat)
			repeats++;
		else
			news++;
	}
	if (units == 1 && repeats == 0 && news > 0) {
		/* one kept paragraph with new text around it: a longer version */
		free(parts);
		return S_take_part(st, S_TEXT, raw, rlen, norm, nlen, 0);
	}

	for (i = 0; i < np; i++)
		if (parts[i].piece != S_NONE) {
			S_follow(st, parts[i].piece);
			/* a copy from another section ends the wait for a cut's continuation */
			if (st->pending != S_NONE && st->p[parts[i].piece].sect != st->p[st->pending].sect)
				st->pending = S_NONE;
			break;
		}
	st->st.dropped_repeats += units + repeats;
	for (i = 0; i < np; i++) {
		size_t r0, r1, pl, pn;
		char *praw, *pnorm;
		ret = S_NONE;
		if (parts[i].piece != S_NONE || parts[i].repeat) {
			/* a repeat; it may still be the tail of a cut piece */
			if (i + 1 == np) {
				r0 = S_raw_at(raw, rlen, parts[i].b);
				S_set_frag(st, raw + r0, S_raw_at(raw, rlen, parts[i].e) - r0);
			}
			if (i + 1 == np && parts[i].piece == S_NONE) {
				q = S_find_container(st, S_TEXT, norm + parts[i].b, parts[i].e - parts[i].b);
				pl = parts[i].e - parts[i].b;
				if (q != S_NONE && st->p[q].nlen >= pl
						&& memcmp(st->p[q].norm + st->p[q].nlen - pl, norm + parts[i].b, pl) == 0)
					ret = q;
			}
			continue;
		}
		r0 = S_raw_at(raw, rlen, parts[i].b);
		r1 = S_raw_at(raw, rlen, parts[i].e);
		while (r1 > r0 && S_ws((unsigned char)raw[r1 - 1]))
			r1--;
		praw = bb_xstrndup(raw + r0, r1 - r0);
		pnorm = S_fold(praw, r1 - r0, &pn);
		ret = S_take_part(st, S_TEXT, praw, r1 - r0, pnorm, pn, 0);
	}
	free(parts);
	free(raw);
	free(norm);
	return ret;
}

int
bb_stitch_has_marker(const char *text, size_t len)
{
	size_t i = 0, e;
	while (i < len) {
		for (e = i; e < len && text[e] != '\n'; e++)
			;
		if (S_is_marker(text + i, e - i))
			return 1;
		i = e + 1;
	}
	return 0;
}

char *
bb_stitch(const char *text, size_t len, size_t *out_len, struct bb_stitch_stats *stats)
{
	S_st st;
	S_blocks bl = { NULL, 0, 0 };
	bb_buf out = BB_BUF_INIT;
	size_t i, olen;
	unsigned last = S_NONE;
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
	st.pending = S_NONE;
	st.cursor = S_new_sect(&st, NULL, NULL, 0);
	S_split(text, len, &bl);

	for (i = 0; i < bl.n; i++) {
		const S_block *bk = &bl.v[i];
		switch (bk->kind) {
		case S_MARK:
			free(st.cont);
			st.cont = st.frag;
			st.contl = st.fragl;
			st.frag = NULL;
			st.pending = S_NONE;
			if (last != S_NONE && st.p[last].live && st.p[last].kind == S_TEXT
					&& S_is_cut(st.p[last].norm, st.p[last].nlen)) {
				st.pending = last;
				st.p[last].cut = 1;
			}
			if (seg_has)
				st.st.segments++;
			seg_has = 0;
			st.locked = 0;
			last = S_NONE;
			break;
		case S_HEAD:
			S_take_head(&st, text, bk);
			seg_has = 1;
			last = S_NONE;
			break;
		default:
			last = S_take_block(&st, text, bk);
			seg_has = 1;
			break;
		}
		if (bk->kind != S_MARK) {
			/* only the first block of a segment continues the one before */
			free(st.cont);
			st.cont = NULL;
			if (bk->kind == S_HEAD) {
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

size_t
bb_title_repeat_len(const char *text, size_t len, const char *title)
{
	size_t i = 0, ls, le, tk, lk, n2b, n2e;
	char *tkey, *lkey;
	int same;

	if (!title)
		return 0;
	tkey = S_head_key(title, strlen(title), &tk);
	if (tk == 0) {
		free(tkey);
		return 0;
	}
	for (;;) {     /* skip blank lines */
		for (le = i; le < len && text[le] != '\n'; le++)
			;
		if (le >= len || !S_is_blank(text + i, le - i))
			break;
		i = le + 1;
	}
	ls = i;
	if (ls >= len) {
		free(tkey);
		return 0;
	}
	lkey = S_head_key(text + ls, le - ls, &lk);
	same = lk == tk && memcmp(lkey, tkey, tk) == 0;
	free(lkey);
	free(tkey);
	if (!same)
		return 0;
	i = le < len ? le + 1 : le;
	/* a setext underline belongs to the line (not after an ATX heading) */
	n2b = i;
	for (n2e = n2b; n2e < len && text[n2e] != '\n'; n2e++)
		;
	if (n2b < len && !S_is_atx(text + ls, le - ls) && S_is_setext(text + n2b, n2e - n2b)
			&& !S_is_blank(text + n2b, n2e - n2b))
		i = n2e < len ? n2e + 1 : n2e;
	for (;;) {
		for (le = i; le < len && text[le] != '\n'; le++)
			;
		if (i >= len || !S_is_blank(text + i, le - i))
			break;
		i = le < len ? le + 1 : le;
	}
	return i;
}
