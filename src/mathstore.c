/* mathstore.c: converted formulas kept: the table an engine caches them in, and the store that keeps them across runs. */
#define _GNU_SOURCE
#include "mathstore.h"
#include "util.h"

#include <errno.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the table ---- */

void
bb_mcache_init(bb_mcache *c)
{
	memset(c, 0, sizeof *c);
	c->cap = 256;
	c->e = bb_xcalloc(c->cap, sizeof *c->e);
}

void
bb_mcache_clear(bb_mcache *c)
{
	size_t i;

	for (i = 0; i < c->cap; i++) {
		free(c->e[i].tex);
		free(c->e[i].mathml);
		free(c->e[i].err);
	}
	memset(c->e, 0, c->cap * sizeof *c->e);
	c->n = 0;
}

void
bb_mcache_done(bb_mcache *c)
{
	if (c->e)
		bb_mcache_clear(c);
	free(c->e);
	memset(c, 0, sizeof *c);
}

bb_mcache_entry *
bb_mcache_find(bb_mcache *c, unsigned long long h, const char *tex, size_t len, int display)
{
	size_t i = (size_t)h & (c->cap - 1);

	for (;;) {
		bb_mcache_entry *e = &c->e[i];
		if (!e->tex || (e->hash == h && e->display == display && e->tex_len == len
			&& memcmp(e->tex, tex, len) == 0))
			return e;
		i = (i + 1) & (c->cap - 1);
	}
}

/* Doubles the table and rehashes the entries. */
static void
S_grow(bb_mcache *c)
{
	bb_mcache_entry *old = c->e;
	size_t oldcap = c->cap, i;

	c->cap = oldcap * 2;
	c->e = bb_xcalloc(c->cap, sizeof *c->e);
	for (i = 0; i < oldcap; i++)
		if (old[i].tex)
			*bb_mcache_find(c, old[i].hash, old[i].tex, old[i].tex_len, old[i].display) = old[i];
	free(old);
}

void
bb_mcache_put(bb_mcache *c, unsigned long long h, const char *tex, size_t len, int display,
	const char *mathml, const char *err)
{
	bb_mcache_entry *e;

	if (c->n >= BB_MATH_CACHE_MAX * 16)
		return;
	if ((c->n + 1) * 2 > c->cap)
		S_grow(c);
	e = bb_mcache_find(c, h, tex, len, display);
	if (e->tex)
		return;
	e->hash = h;
	e->tex = bb_xstrndup(tex, len);
	e->tex_len = len;
	e->display = display;
	e->mathml = mathml ? bb_xstrdup(mathml) : NULL;
	e->err = err ? bb_xstrdup(err) : NULL;
	c->n++;
}

/* ---- the store kept across runs ---- */

/* The process-wide store (bb_mstore_open), shared by every engine under
 * S_lock; S_open is 0 when none is open. */
static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
static int S_open;
static bb_mcache S_store;
static char *S_path;
static unsigned long long S_tag;
static int S_dirty;

long
bb_mstore_open(const char *path, const bb_mstore_conv *conv, char **err)
{
	char *data = NULL, *p, *end;
	size_t len = 0;
	unsigned long long tag;
	long n = 0;

	pthread_mutex_lock(&S_lock);
	if (S_open) {
		pthread_mutex_unlock(&S_lock);
		*err = bb_xstrdup("a math store is already open");
		return -1;
	}
	S_open = 1;
	bb_mcache_init(&S_store);
	S_path = path ? bb_xstrdup(path) : NULL;
	S_tag = conv->tag;
	S_dirty = 0;
	pthread_mutex_unlock(&S_lock);
	if (!path)
		return 0;   /* in memory only: the threads of this run share it */
	if (bb_read_file(path, (size_t)256 << 20, &data, &len) < 0) {
		free(data);
		return 0;   /* none yet (or unreadable): start empty */
	}
	end = data + len;
	if (sscanf(data, "blogbind-mathml-store 1 %llx", &tag) != 1 || tag != conv->tag
		|| !(p = memchr(data, '\n', len))) {
		free(data);
		return 0;   /* another KaTeX or format: rebuilt on close */
	}
	p++;
	while (p < end) {
		int display;
		size_t tl, ml;
		char *nl = memchr(p, '\n', (size_t)(end - p)), *m, *ok, *e2 = NULL;
		if (!nl || sscanf(p, "%d %zu %zu", &display, &tl, &ml) != 3 || tl > conv->tex_max
			|| ml > (size_t)(end - nl) || tl > (size_t)(end - nl) - ml)
			break;
		p = nl + 1;
		/* checked as when KaTeX made it: a changed file brings no script */
		m = bb_xstrndup(p + tl, ml);
		ok = conv->check(m, &e2);
		if (ok) {
			pthread_mutex_lock(&S_lock);
			bb_mcache_put(&S_store, bb_fnv1a(BB_FNV_SEED, p, tl), p, tl, display != 0, ok, NULL);
			pthread_mutex_unlock(&S_lock);
			n++;
		}
		free(ok);
		free(e2);
		free(m);
		p += tl + ml;
		if (p < end && *p == '\n')
			p++;
	}
	free(data);
	return n;
}

int
bb_mstore_close(char **err)
{
	bb_mcache c;
	char *path, *tmp = NULL;
	FILE *f = NULL;
	size_t i;
	unsigned long long tag;
	int fd, rc = -1, was_open, dirty;

	pthread_mutex_lock(&S_lock);
	was_open = S_open;
	dirty = S_dirty;
	tag = S_tag;
	c = S_store;
	path = S_path;
	memset(&S_store, 0, sizeof S_store);
	S_path = NULL;
	S_open = 0;
	pthread_mutex_unlock(&S_lock);
	if (!was_open)
		return 0;
	if (!dirty || !path) {
		rc = 0;
		goto out;
	}
	{
		/* the folder of --cache-dir may not be there yet */
		char *dir = bb_xstrdup(path), *slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			bb_mkdirs(dir);
		}
		free(dir);
	}
	tmp = bb_xasprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || !(f = fdopen(fd, "wb"))) {
		*err = bb_xasprintf("%s: cannot write: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	fprintf(f, "blogbind-mathml-store 1 %llx\n", tag);
	for (i = 0; i < c.cap; i++) {
		bb_mcache_entry *e = &c.e[i];
		if (!e->tex || !e->mathml)
			continue;
		fprintf(f, "%d %zu %zu\n", e->display, e->tex_len, strlen(e->mathml));
		fwrite(e->tex, 1, e->tex_len, f);
		fputs(e->mathml, f);
		fputc('\n', f);
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		*err = bb_xasprintf("%s: cannot write: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(path);
	bb_mcache_done(&c);
	return rc;
}

char *
bb_mstore_get(unsigned long long h, const char *tex, size_t len, int display)
{
	char *res = NULL;

	pthread_mutex_lock(&S_lock);
	if (S_open) {
		bb_mcache_entry *se = bb_mcache_find(&S_store, h, tex, len, display);
		if (se->tex && se->mathml)
			res = bb_xstrdup(se->mathml);
	}
	pthread_mutex_unlock(&S_lock);
	return res;
}

int
bb_mstore_has(unsigned long long h, const char *tex, size_t len, int display)
{
	int has = 0;

	pthread_mutex_lock(&S_lock);
	if (S_open)
		has = bb_mcache_find(&S_store, h, tex, len, display)->tex != NULL;
	pthread_mutex_unlock(&S_lock);
	return has;
}

void
bb_mstore_add(unsigned long long h, const char *tex, size_t len, int display, const char *mathml)
{
	pthread_mutex_lock(&S_lock);
	/* one kept in memory only holds as many as an engine's cache */
	if (S_open && (S_path || S_store.n < BB_MATH_CACHE_MAX)) {
		bb_mcache_put(&S_store, h, tex, len, display, mathml, NULL);
		S_dirty = 1;
	}
	pthread_mutex_unlock(&S_lock);
}
