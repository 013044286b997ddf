/* naming.c: the names a post and a chapter group carry in the book (their
 * file stems and XML ids), made from the post itself (date and slug) and
 * never from its position, so that a rebind of a grown blog keeps every
 * other file's name and every reading position in it. */
#define _POSIX_C_SOURCE 200809L
#include "naming.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest slug kept in a name, in bytes. */
#define SLUG_MAX 40

/* Appends to out (cap bytes) the ASCII-safe fold of s: ASCII letters
 * lowered, digits kept, every run of anything else one '-', no '-' at
 * either end, at most max bytes. Returns 1 when the fold lost anything
 * (a character dropped or changed), else 0. */
static int
S_fold(const char *s, char *out, size_t cap, size_t max)
{
	size_t n = strlen(out), start = n;
	int lossy = 0, dash = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n > start && n + 1 < cap)
				out[n++] = '-';
			dash = 0;
			if (n - start >= max || n + 1 >= cap) {
				lossy = 1;
				break;
			}
			out[n++] = (char)c;
		} else if (c >= 'A' && c <= 'Z') {
			if (dash && n > start && n + 1 < cap)
				out[n++] = '-';
			dash = 0;
			lossy = 1;
			if (n - start >= max || n + 1 >= cap)
				break;
			out[n++] = (char)(c - 'A' + 'a');
		} else {
			lossy |= c != '-';
			dash = 1;
		}
	}
	out[n] = '\0';
	return lossy;
}

/* 32 bits of what names one post whatever its place: its file and, in an
 * export file holding many, its own id there. */
static unsigned long
S_post_hash(const bb_post *p)
{
	unsigned long long h = bb_fnv1a(BB_FNV_SEED, p->path, strlen(p->path) + 1);
	if (p->source_id)
		h = bb_fnv1a(h, p->source_id, strlen(p->source_id) + 1);
	else if (p->basename)
		h = bb_fnv1a(h, p->basename, strlen(p->basename) + 1);
	return (unsigned long)((h ^ (h >> 32)) & 0xffffffffUL);
}

/* "p20240114-starting-a-notebook": 'p', the date's digits, '-', the slug
 * folded; a slug that folds to nothing gives the hash instead. */
static void
S_base(const bb_post *p, char out[BB_ID_MAX])
{
	size_t n;
	int i;
	out[0] = 'p';
	for (i = 0, n = 1; p->ymd[i] && n < 9; i++)
		if (p->ymd[i] >= '0' && p->ymd[i] <= '9')
			out[n++] = p->ymd[i];
	out[n++] = '-';
	out[n] = '\0';
	S_fold(p->slug ? p->slug : "", out, BB_ID_MAX, SLUG_MAX);
	if (out[n] == '\0')
		snprintf(out + n - 1, BB_ID_MAX - n + 1, "_%08lx", S_post_hash(p));
}

typedef struct named {
	const bb_post *p;
	char *id;         /* its name being made, BB_ID_MAX bytes */
	size_t idx;
	unsigned long hash;
} named;

/* By base name, then by hash, then by path: one order whatever the posts'. */
static int
S_cmp_named(const void *x, const void *y)
{
	const named *a = x, *b = y;
	const bb_post *p = a->p, *q = b->p;
	int c = strcmp(a->id, b->id);
	if (c)
		return c;
	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	c = strcmp(p->path, q->path);
	return c ? c : (a->idx < b->idx ? -1 : a->idx > b->idx);
}

void
bb_name_posts(bb_post *posts, size_t n)
{
	named *v;
	char *ids;
	size_t i, j, k;
	bb_map seen;
	if (!n)
		return;
	memset(&seen, 0, sizeof seen);
	v = bb_xcalloc(n, sizeof *v);
	/* made at their longest here, kept at their length (bb_post.id) */
	ids = bb_xcalloc(n, BB_ID_MAX);
	for (i = 0; i < n; i++) {
		v[i].id = ids + i * BB_ID_MAX;
		S_base(&posts[i], v[i].id);
		v[i].p = &posts[i];
		v[i].idx = i;
		v[i].hash = S_post_hash(&posts[i]);
	}
	qsort(v, n, sizeof *v, S_cmp_named);
	/* in a run of equal names the first (smallest hash) keeps the name,
	 * the others take their hash: a post joining the run renames at most
	 * the one it displaces */
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcmp(v[j].id, v[i].id) == 0; j++)
			;
		for (k = i + 1; k < j; k++) {
			char *id = v[k].id;
			size_t len = strlen(id);
			if (len > BB_ID_MAX - 10)
				len = BB_ID_MAX - 10;
			snprintf(id + len, BB_ID_MAX - len, "_%08lx", v[k].hash);
		}
	}
	/* the same path twice, or a hash collision: a counter, in the order
	 * above, so the book is still valid */
	for (i = 0; i < n; i++) {
		bb_post *p = &posts[v[i].idx];
		char *id = v[i].id;
		size_t dummy;
		int c;
		char base[BB_ID_MAX];
		memcpy(base, id, BB_ID_MAX);
		for (c = 2; bb_map_get(&seen, id, &dummy); c++)
			snprintf(id, BB_ID_MAX, "%.*s_%d", BB_ID_MAX - 12, base, c);
		bb_map_put(&seen, id, v[i].idx);
		free(p->id);
		p->id = bb_xstrdup(id);
	}
	bb_map_free(&seen);
	free(ids);
	free(v);
}

void
bb_name_group(const char *key, char out[BB_ID_MAX])
{
	size_t n;
	out[0] = 'g';
	out[1] = '\0';
	if (S_fold(key, out, BB_ID_MAX, SLUG_MAX) || out[1] == '\0') {
		unsigned long long h = bb_fnv1a(BB_FNV_SEED, key, strlen(key) + 1);
		n = strlen(out);
		snprintf(out + n, BB_ID_MAX - n, "_%08lx", (unsigned long)((h ^ (h >> 32)) & 0xffffffffUL));
	}
}

void
bb_part_name(const bb_post *p, int k, char out[BB_NAME_MAX])
{
	/* snprintf's "%s.xhtml" and "%s.%d.xhtml" (k + 1), cut as it cuts,
	 * by hand: a 10,000-post rebind names parts 110,000 times (the
	 * package documents, the chapters' table), snprintf 70 M instructions */
	char suf[32], *s = suf + sizeof suf - 7;
	const char *id = p->id;
	size_t n = strlen(id), m;
	memcpy(s, ".xhtml", 7);
	if (k != 0) {
		long long v = (long long)k + 1;
		unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
		do
			*--s = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (v < 0)
			*--s = '-';
		*--s = '.';
	}
	m = strlen(s);
	if (n > BB_NAME_MAX - 1)
		n = BB_NAME_MAX - 1;
	if (m > BB_NAME_MAX - 1 - n)
		m = BB_NAME_MAX - 1 - n;
	memcpy(out, id, n);
	memcpy(out + n, s, m);
	out[n + m] = '\0';
}
