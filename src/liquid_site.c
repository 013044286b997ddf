/* liquid_site.c: what Liquid reads from the site: {% include %} and {% include_relative %} files, and the tag names its _plugins declare. */
#define _XOPEN_SOURCE 700
#include "liquid_impl.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- plugin tag names ---- */

int
bb_liquid_tags_kind(const bb_liquid_tags *t, const char *name)
{
	size_t i;
	if (!t)
		return -1;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->names[i], name) == 0)
			return t->block[i];
	return -1;
}

int
bb_lq_tags_kindn(const bb_liquid_tags *t, const char *name, size_t nl)
{
	size_t i;
	if (!t)
		return -1;
	for (i = 0; i < t->n; i++)
		if (lq_eq(name, nl, t->names[i]))
			return t->block[i];
	return -1;
}

/* ---- includes ---- */

/* {% include NAME key=value ... %} */
void
bb_lq_include(lq_state *st, lq_doc *d, lq_tok *t, int rel)
{
	const char *s = t->markup, *e = t->markup + t->ml;
	char *name = NULL;
	lq_doc *inc = NULL;
	lq_val params = LQ_NIL;
	lq_ectx x;
	size_t i;

	bb_lq_ectx_init(&x, st, d, t);
	if (s < e && s + 1 < e && s[0] == '{' && s[1] == '{') {
		const char *q = bb_lq_memmem(s, (size_t)(e - s), "}}", 2) != LQ_NOPOS ? s + bb_lq_memmem(s, (size_t)(e - s), "}}", 2) : e;
		lq_val v;
		bb_buf b = BB_BUF_INIT;
		if (bb_lq_eval_filtered(&x, s + 2, (size_t)(q - s - 2), &v) >= 0)
			name = bb_xstrdup(bb_lq_text(&v, &b));
		bb_lq_drop(&v);
		bb_buf_free(&b);
		s = q + (q < e ? 2 : 0);
	} else {
		const char *b = s;
		while (s < e && !lq_isspace((unsigned char)*s))
			s++;
		name = bb_xstrndup(b, (size_t)(s - b));
		if (strlen(name) >= 2 && (name[0] == '"' || name[0] == '\'') && name[strlen(name) - 1] == name[0]) {
			memmove(name, name + 1, strlen(name) - 2);
			name[strlen(name) - 2] = '\0';
		}
	}
	if (!name || !*name) {
		bb_lq_warn(st, d, t->start, bb_xstrdup("{% include %} without a file name removed"));
		goto out;
	}
	if (st->inc_depth >= LQ_INCLUDE_DEPTH) {
		bb_lq_warn(st, d, t->start, bb_xasprintf("{%% include %s %%} nested over %d deep (an include that includes itself?): not included",
			name, LQ_INCLUDE_DEPTH));
		goto out;
	}
	if (st->inc_count >= LQ_INCLUDE_MAX) {
		if (st->inc_count++ == LQ_INCLUDE_MAX)
			bb_lq_warn(st, d, t->start, bb_xasprintf("more than %d includes in one text: the rest are not included", LQ_INCLUDE_MAX));
		goto out;
	}
	st->inc_count++;
	/* parameters: key=value, the value a literal or a variable */
	params = bb_lq_map_new();
	while (s < e) {
		const char *k;
		size_t kl;
		lq_cur c;
		lq_val v;
		while (s < e && lq_isspace((unsigned char)*s))
			s++;
		k = s;
		while (s < e && bb_lq_idchar((unsigned char)*s))
			s++;
		kl = (size_t)(s - k);
		while (s < e && lq_isspace((unsigned char)*s))
			s++;
		if (kl == 0 || s >= e || *s != '=') {
			if (s < e)
				s++;
			continue;
		}
		c.p = s + 1;
		c.e = e;
		if (bb_lq_primary(&x, &c, &v) < 0)
			break;
		s = c.p;
		{
			char *key = bb_xstrndup(k, kl);
			bb_lq_map_set(&params, key, v);
			free(key);
		}
	}
	if (d == st->top)
		st->inc_at = t->start;
	for (i = 0; i < st->ninc; i++)
		if (strcmp(st->incs[i]->name, name) == 0 && st->incs[i]->rel == rel)
			inc = st->incs[i];
	if (!inc) {
		size_t len = 0;
		char *(*rd)(void *, const char *, size_t *) = !st->env ? NULL : rel ? st->env->read_relative : st->env->read_include;
		char *text = rd ? rd(st->ctx ? st->ctx->ud : NULL, name, &len) : NULL;
		if (!text) {
			bb_lq_warn(st, d, t->start, rel ? bb_xasprintf("{%% include_relative %s %%}: no such file beside the post; removed", name)
				: bb_xasprintf("{%% include %s %%}: no such file in _includes; removed", name));
			goto out;
		}
		inc = bb_lq_doc_new(text, len);
		inc->own = text;
		inc->name = bb_xstrdup(name);
		inc->rel = rel;
		bb_lq_tokenize(st, inc);
		bb_lq_parse(st, inc);
		if (st->ninc < sizeof st->incs / sizeof st->incs[0]) {
			st->incs[st->ninc++] = inc;
		} else {
			/* not cached: freed after this run */
			bb_lq_push_local(st, "include", 7, params);
			params = LQ_NIL;
			st->inc_depth++;
			bb_lq_run(st, inc, 0, inc->n);
			st->inc_depth--;
			bb_lq_pop_local(st);
			bb_lq_doc_free(inc);
			goto out;
		}
	}
	bb_lq_push_local(st, "include", 7, params);
	params = LQ_NIL;
	st->inc_depth++;
	bb_lq_run(st, inc, 0, inc->n);
	st->inc_depth--;
	st->jump = 0;
	bb_lq_pop_local(st);
out:
	bb_lq_drop(&params);
	free(name);
}

/* ---- _plugins and include files ---- */

bb_liquid_tags *
bb_liquid_tags_new(void)
{
	return bb_xcalloc(1, sizeof(bb_liquid_tags));
}

void
bb_liquid_tags_free(bb_liquid_tags *t)
{
	size_t i;
	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t);
}

void
bb_liquid_tags_add(bb_liquid_tags *t, const char *name, int is_block)
{
	size_t i;
	if (!t || !name || !*name)
		return;
	for (i = 0; i < t->n; i++)
		if (strcmp(t->names[i], name) == 0) {
			t->block[i] = is_block != 0;
			return;
		}
	if (t->n >= sizeof t->names / sizeof t->names[0])
		return;
	t->names[t->n] = bb_xstrdup(name);
	t->block[t->n++] = is_block != 0;
}

/* Whether text declares "class NAME < ...Block". */
static int
S_rb_is_block(const char *text, const char *cls)
{
	const char *p = text;
	size_t cl = strlen(cls);
	while ((p = strstr(p, "class ")) != NULL) {
		const char *q = p + 6;
		p = q;
		while (*q == ' ')
			q++;
		if (strncmp(q, cls, cl) != 0 || lq_isword((unsigned char)q[cl]))
			continue;
		q += cl;
		while (*q == ' ')
			q++;
		if (*q != '<')
			continue;
		{
			const char *eol = strchr(q, '\n');
			size_t n = eol ? (size_t)(eol - q) : strlen(q);
			if (bb_lq_memmem(q, n, "Block", 5) != LQ_NOPOS)
				return 1;
		}
	}
	return 0;
}

int
bb_liquid_tags_scan_plugins(bb_liquid_tags *t, const char *dir)
{
	DIR *dh;
	struct dirent *e;
	bb_buf all = BB_BUF_INIT;
	int files = 0, found = 0;
	const char *p;
	if (!t || !dir || !(dh = opendir(dir)))
		return -1;
	while ((e = readdir(dh)) != NULL && files < 256) {
		size_t l = strlen(e->d_name);
		char *path, *data = NULL;
		size_t n = 0;
		if (l < 4 || strcmp(e->d_name + l - 3, ".rb") != 0 || e->d_name[0] == '.')
			continue;
		path = bb_xasprintf("%s/%s", dir, e->d_name);
		if (bb_read_file(path, 1u << 20, &data, &n) == 0 || data) {
			bb_buf_put(&all, data, strnlen(data, n));
			bb_buf_putc(&all, '\n');
			files++;
		}
		free(data);
		free(path);
	}
	closedir(dh);
	bb_buf_put(&all, "", 0);
	for (p = all.data; (p = strstr(p, "register_tag")) != NULL;) {
		const char *q = p + 12, *nb;
		char name[64], cls[128];
		size_t nl, cl;
		char quote;
		p = q;
		while (*q == ' ' || *q == '(' || *q == '\t')
			q++;
		if (*q == '"' || *q == '\'') {
			quote = *q++;
			nb = q;
			while (*q && *q != quote && *q != '\n')
				q++;
			if (*q != quote)
				continue;
			nl = (size_t)(q - nb);
			q++;
		} else if (*q == ':') {
			nb = ++q;
			while (lq_isword((unsigned char)*q))
				q++;
			nl = (size_t)(q - nb);
		} else {
			continue;
		}
		if (nl == 0 || nl >= sizeof name)
			continue;
		memcpy(name, nb, nl);
		name[nl] = '\0';
		while (*q == ' ' || *q == ',' || *q == '\t')
			q++;
		/* the class, maybe with modules: keep its last part */
		cl = 0;
		while (lq_isword((unsigned char)*q) || *q == ':') {
			if (*q == ':')
				cl = 0;
			else if (cl + 1 < sizeof cls)
				cls[cl++] = *q;
			q++;
		}
		cls[cl] = '\0';
		bb_liquid_tags_add(t, name, cl > 0 && S_rb_is_block(all.data, cls));
		found++;
	}
	bb_buf_free(&all);
	return found;
}

/* 1 when name is a relative path whose every part is a plain name (no
 * empty part, no ".."): what an include may name */
static int
S_plain_relative(const char *name)
{
	const char *p;
	for (p = name; *p;) {
		const char *s = strchr(p, '/');
		size_t n = s ? (size_t)(s - p) : strlen(p);
		if ((n == 2 && p[0] == '.' && p[1] == '.') || n == 0)
			return 0;
		p += n + (s ? 1 : 0);
	}
	return 1;
}

/* Reads dir/name, dir a real folder inside root_real; NULL unless the
 * file's real path lies inside under. */
static char *
S_read_inside(const char *dir, const char *name, const char *under, size_t *len)
{
	char *path = NULL, *rpath = NULL, *data = NULL;
	size_t ul = strlen(under);
	*len = 0;
	if (!name || !*name || name[0] == '/' || strchr(name, '\\'))
		return NULL;
	if (!S_plain_relative(name))
		return NULL;
	path = bb_xasprintf("%s/%s", dir, name);
	rpath = realpath(path, NULL);
	if (rpath && strncmp(rpath, under, ul) == 0 && rpath[ul] == '/' &&
	    bb_read_file(rpath, 1u << 20, &data, len) < 0) {
		free(data);
		data = NULL;
		*len = 0;
	}
	free(path);
	free(rpath);
	return data;
}

char *
bb_liquid_read_relative(const char *root_real, const char *post_path, const char *name, size_t *len)
{
	char *dir, *rdir, *r = NULL;
	const char *slash = post_path ? strrchr(post_path, '/') : NULL;
	*len = 0;
	if (!root_real || !post_path || post_path[0] == '/')
		return NULL;
	dir = slash ? bb_xasprintf("%s/%.*s", root_real, (int)(slash - post_path), post_path) : bb_xstrdup(root_real);
	rdir = realpath(dir, NULL);
	if (rdir && strncmp(rdir, root_real, strlen(root_real)) == 0 &&
	    (rdir[strlen(root_real)] == '/' || rdir[strlen(root_real)] == '\0'))
		r = S_read_inside(rdir, name, root_real, len);
	free(dir);
	free(rdir);
	return r;
}

char *
bb_liquid_read_include(const char *root_real, const char *name, size_t *len)
{
	char *dir = NULL, *path = NULL, *rdir = NULL, *rpath = NULL, *data = NULL;
	size_t dl;
	*len = 0;
	if (!root_real || !name || !*name || name[0] == '/' || strchr(name, '\\'))
		return NULL;
	if (!S_plain_relative(name))
		return NULL;
	dir = bb_xasprintf("%s/_includes", root_real);
	path = bb_xasprintf("%s/%s", dir, name);
	rdir = realpath(dir, NULL);
	rpath = realpath(path, NULL);
	if (!rdir || !rpath)
		goto out;
	dl = strlen(rdir);
	if (strncmp(rpath, rdir, dl) != 0 || rpath[dl] != '/')
		goto out;
	if (bb_read_file(rpath, 1u << 20, &data, len) < 0) {
		free(data);
		data = NULL;
		*len = 0;
	}
out:
	free(dir);
	free(path);
	free(rdir);
	free(rpath);
	return data;
}
