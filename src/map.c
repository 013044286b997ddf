/* map.c: the string -> index hash map the stages find posts, names and
 * images with, and the URL keys it is searched with. */
#include "map.h"
#include "util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- string -> index map ---- */

static size_t
S_hash(const char *k)
{
	return (size_t)bb_fnv1a(BB_FNV_SEED, k, strlen(k));
}

struct bb_map_slot {
	uint32_t key;   /* offset in the arena + 1; 0: empty */
	uint32_t val;
};

/* A copy of key kept in m's arena; returns its offset + 1. The arena
 * grows by doubling: realloc moves a large one with mremap, and the pages
 * beyond used are never touched, so the slack costs no memory. A key
 * that ends the key kept just before is that key's end, not a copy: a
 * Jekyll post's date URL ("/2024/01/05/x") ends its URL with categories
 * ("/notes/2024/01/05/x"), put just before it (collect.c). */
static uint32_t
S_keep(bb_map *m, const char *key)
{
	size_t len = strlen(key) + 1, off = m->used;
	if (m->last) {
		size_t lastlen = m->used - (m->last - 1);
		if (lastlen >= len && memcmp(m->arena + m->used - len, key, len) == 0)
			return (uint32_t)(m->used - len) + 1;
	}
	if (m->acap - m->used < len) {
		size_t cap = m->acap ? m->acap : 256;
		while (cap - m->used < len)
			cap *= 2;
		if (cap > UINT32_MAX) {
			fprintf(stderr, "blogbind: out of memory (a map over 4 GB of keys)\n");
			abort();
		}
		m->arena = bb_xrealloc(m->arena, cap);
		m->acap = cap;
	}
	memcpy(m->arena + off, key, len);
	m->used += len;
	m->last = off + 1;
	return (uint32_t)off + 1;
}

#define S_KEY(m, sl) ((m)->arena + (sl).key - 1)

/* The first slot of a hash in a table of cap slots (any cap, not only a
 * power of two: a table is sized to its keys, bb_map_reserve). */
static size_t
S_home(size_t h, size_t cap)
{
	return (size_t)(((uint64_t)(uint32_t)(h >> 32 ^ h) * cap) >> 32);
}

/* Moves m's keys to a table of cap slots. */
static void
S_rehash(bb_map *m, size_t cap)
{
	struct bb_map_slot *old = m->slots;
	size_t i, oldcap = m->cap;
	m->cap = cap;
	m->slots = bb_xcalloc(m->cap, sizeof *m->slots);
	for (i = 0; i < oldcap; i++)
		if (old[i].key) {
			size_t j = S_home(S_hash(S_KEY(m, old[i])), m->cap);
			while (m->slots[j].key)
				j = j + 1 == m->cap ? 0 : j + 1;
			m->slots[j] = old[i];
		}
	free(old);
}

void
bb_map_reserve(bb_map *m, size_t n)
{
	/* at most three quarters full, as S_put keeps it */
	size_t cap = (m->n > n ? m->n : n) / 3 * 4 + 4;
	if (cap > m->cap)
		S_rehash(m, cap);
}

/* Adds key -> val: the key's slot names at (its offset + 1 in a borrowed
 * arena), or, when at is 0, a copy in m's arena. */
static void
S_put(bb_map *m, const char *key, size_t val, size_t at)
{
	size_t i;
	if (val > UINT32_MAX || at > UINT32_MAX) {
		fprintf(stderr, "blogbind: map value %zu or key offset %zu over 32 bits\n", val, at);
		abort();
	}
	/* at most three quarters full */
	if ((m->n + 1) * 4 > m->cap * 3)
		S_rehash(m, m->cap ? m->cap * 2 : 64);
	i = S_home(S_hash(key), m->cap);
	while (m->slots[i].key) {
		if (strcmp(S_KEY(m, m->slots[i]), key) == 0)
			return; /* first one wins: the earlier post keeps the URL */
		i = i + 1 == m->cap ? 0 : i + 1;
	}
	m->slots[i].key = at ? (uint32_t)at : S_keep(m, key);
	m->slots[i].val = (uint32_t)val;
	m->n++;
}

void
bb_map_put(bb_map *m, const char *key, size_t val)
{
	if (m->borrowed) {
		fprintf(stderr, "blogbind: a copied key put in a map of borrowed keys\n");
		abort();
	}
	S_put(m, key, val, 0);
}

void
bb_map_put_at(bb_map *m, const char *base, size_t off, size_t val)
{
	if (m->arena && m->arena != base) {
		fprintf(stderr, "blogbind: a borrowed key put in a map of other keys\n");
		abort();
	}
	m->arena = (char *)base;
	m->borrowed = 1;
	S_put(m, base + off, val, off + 1);
}

/* The slot of key, or NULL when absent. */
static const struct bb_map_slot *
S_find(const bb_map *m, const char *key)
{
	size_t i;
	if (!m->cap)
		return NULL;
	i = S_home(S_hash(key), m->cap);
	while (m->slots[i].key) {
		if (strcmp(S_KEY(m, m->slots[i]), key) == 0)
			return &m->slots[i];
		i = i + 1 == m->cap ? 0 : i + 1;
	}
	return NULL;
}

int
bb_map_get(const bb_map *m, const char *key, size_t *val)
{
	const struct bb_map_slot *sl = S_find(m, key);
	if (sl)
		*val = sl->val;
	return sl != NULL;
}

const char *
bb_map_key(const bb_map *m, const char *key)
{
	const struct bb_map_slot *sl = S_find(m, key);
	return sl ? S_KEY(m, *sl) : NULL;
}

int
bb_map_next(const bb_map *m, size_t *pos, const char **key, size_t *val)
{
	for (; *pos < m->cap; (*pos)++)
		if (m->slots[*pos].key) {
			*key = S_KEY(m, m->slots[*pos]);
			*val = m->slots[*pos].val;
			(*pos)++;
			return 1;
		}
	return 0;
}

void
bb_map_free(bb_map *m)
{
	if (!m->borrowed)
		free(m->arena);
	free(m->slots);
	memset(m, 0, sizeof *m);
}

static int
S_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

char *
bb_pct_decode(const char *s, size_t n)
{
	bb_buf b = BB_BUF_INIT;
	size_t i;
	if (!memchr(s, '%', n)) {
		/* nothing to decode (most URLs): one copy, not a byte at a time */
		char *r = bb_xmalloc(n + 1);
		memcpy(r, s, n);
		r[n] = '\0';
		return r;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && S_hexval((unsigned char)s[i + 1]) >= 0 &&
		    S_hexval((unsigned char)s[i + 2]) >= 0) {
			bb_buf_putc(&b, S_hexval((unsigned char)s[i + 1]) * 16 + S_hexval((unsigned char)s[i + 2]));
			i += 2;
		} else
			bb_buf_putc(&b, s[i]);
	}
	if (!b.data)
		return bb_xstrdup("");
	return bb_buf_detach(&b, NULL);
}

char *
bb_url_key(const char *path)
{
	static const char *const ids[] = { "p=", "page_id=", "attachment_id=", NULL };
	size_t n = strcspn(path, "?#"), k;
	if (path[n] == '?' && (n == 0 || (n == 1 && path[0] == '/')))
		for (k = 0; ids[k]; k++) {
			const char *q = path + n + 1, *d;
			size_t il = strlen(ids[k]);
			if (strncmp(q, ids[k], il) != 0)
				continue;
			for (d = q + il; *d >= '0' && *d <= '9'; d++)
				;
			if (d > q + il && (!*d || *d == '#' || *d == '&'))
				return bb_xasprintf("/?%.*s", (int)(d - q), q);
		}
	char *s = bb_pct_decode(path, n), *p;
	size_t len;
	for (p = s; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	len = strlen(s);
	if (len >= 10 && strcmp(s + len - 10, "index.html") == 0)
		s[len -= 10] = '\0';
	if (len >= 5 && strcmp(s + len - 5, ".html") == 0)
		s[len -= 5] = '\0';
	while (len > 1 && s[len - 1] == '/')
		s[--len] = '\0';
	if (len == 0 || s[0] != '/') {
		char *t = bb_xasprintf("/%s", s);
		free(s);
		s = t;
	}
	return s;
}
