/* map.c: the string -> index hash map the stages find posts, names and
 * images with, and the URL keys it is searched with. */
#include "map.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- string -> index map ---- */

static size_t
S_hash(const char *k)
{
	return (size_t)bb_fnv1a(BB_FNV_SEED, k, strlen(k));
}

/* A block of keys; the newest is first. */
struct bb_map_chunk {
	struct bb_map_chunk *next;
	size_t used, cap;
	char data[];
};

enum { S_CHUNK = 16384 };

/* A copy of key kept in m's chunks. */
static char *
S_keep(bb_map *m, const char *key)
{
	size_t len = strlen(key) + 1;
	struct bb_map_chunk *c = m->chunks;
	char *k;
	if (!c || c->cap - c->used < len) {
		size_t cap = len > S_CHUNK / 4 ? len : S_CHUNK;
		c = bb_xmalloc(sizeof *c + cap);
		c->used = 0;
		c->cap = cap;
		if (cap == len && m->chunks) {
			/* a long key alone: the open chunk stays the first */
			c->next = m->chunks->next;
			m->chunks->next = c;
		} else {
			c->next = m->chunks;
			m->chunks = c;
		}
	}
	k = c->data + c->used;
	memcpy(k, key, len);
	c->used += len;
	return k;
}

void
bb_map_put(bb_map *m, const char *key, size_t val)
{
	size_t i;
	/* at most three quarters full */
	if ((m->n + 1) * 4 > m->cap * 3) {
		bb_map old = *m;
		m->cap = m->cap ? m->cap * 2 : 64;
		m->keys = bb_xcalloc(m->cap, sizeof *m->keys);
		m->vals = bb_xcalloc(m->cap, sizeof *m->vals);
		m->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.keys[i]) {
				size_t j = S_hash(old.keys[i]) & (m->cap - 1);
				while (m->keys[j])
					j = (j + 1) & (m->cap - 1);
				m->keys[j] = old.keys[i];
				m->vals[j] = old.vals[i];
				m->n++;
			}
		free(old.keys);
		free(old.vals);
	}
	i = S_hash(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (strcmp(m->keys[i], key) == 0)
			return; /* first one wins: the earlier post keeps the URL */
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = S_keep(m, key);
	m->vals[i] = val;
	m->n++;
}

int
bb_map_get(const bb_map *m, const char *key, size_t *val)
{
	size_t i;
	if (!m->cap)
		return 0;
	i = S_hash(key) & (m->cap - 1);
	while (m->keys[i]) {
		if (strcmp(m->keys[i], key) == 0) {
			*val = m->vals[i];
			return 1;
		}
		i = (i + 1) & (m->cap - 1);
	}
	return 0;
}

void
bb_map_free(bb_map *m)
{
	while (m->chunks) {
		struct bb_map_chunk *c = m->chunks;
		m->chunks = c->next;
		free(c);
	}
	free(m->keys);
	free(m->vals);
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
