/* entry.c: the neutral list an export file is read into: allocation and release. */
#define _XOPEN_SOURCE 700
#include "entry.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *
bb_grow(void *v, size_t n, size_t size)
{
	/* n is the count before the append: the capacity doubles at powers of
	 * two (8, 16, 32...), so appends copy the array O(n) times in all */
	if (n < 8 || (n & (n - 1)) == 0)
		v = bb_xrealloc(v, (n < 8 ? 8 : 2 * n) * size);
	return v;
}

void
bb_strlist_add(char ***v, size_t *n, const char *s)
{
	*v = bb_grow(*v, *n, sizeof **v);
	(*v)[(*n)++] = bb_xstrdup(s);
}

static void
S_strlist_free(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void
S_comment_clear(bb_comment *c)
{
	free(c->id);
	free(c->author);
	free(c->date);
	free(c->text);
	free(c->parent_id);
	free(c->type);
}

void
bb_entry_clear(bb_entry *e)
{
	size_t i;
	if (!e)
		return;
	free(e->id);
	free(e->type);
	free(e->status);
	free(e->title);
	free(e->date);
	free(e->date_local);
	free(e->author);
	free(e->slug);
	free(e->link);
	free(e->guid);
	free(e->excerpt);
	S_strlist_free(e->categories, e->ncategories);
	S_strlist_free(e->tags, e->ntags);
	free(e->body);
	free(e->parent_id);
	free(e->attachment_url);
	free(e->thumbnail_id);
	free(e->image_alt);
	for (i = 0; i < e->ncomments; i++)
		S_comment_clear(&e->comments[i]);
	free(e->comments);
	memset(e, 0, sizeof *e);
}

bb_export *
bb_export_new(const char *kind)
{
	bb_export *x = bb_xcalloc(1, sizeof *x);
	x->kind = bb_xstrdup(kind);
	x->version = bb_xstrdup("");
	x->title = bb_xstrdup("");
	x->link = bb_xstrdup("");
	x->description = bb_xstrdup("");
	x->language = bb_xstrdup("");
	x->base_site_url = bb_xstrdup("");
	x->base_blog_url = bb_xstrdup("");
	return x;
}

bb_entry *
bb_export_add_entry(bb_export *x)
{
	bb_entry *e;
	/* grow by half again: a list of 100,000 entries is copied a few dozen times */
	if ((x->nentries & (x->nentries - 1)) == 0 || x->nentries < 16)
		x->entries = bb_xrealloc(x->entries, (x->nentries < 16 ? 16 : x->nentries * 2) * sizeof *x->entries);
	e = &x->entries[x->nentries++];
	memset(e, 0, sizeof *e);
	e->id = bb_xstrdup("");
	e->type = bb_xstrdup("");
	e->status = bb_xstrdup("");
	e->title = bb_xstrdup("");
	e->date = bb_xstrdup("");
	e->date_local = bb_xstrdup("");
	e->author = bb_xstrdup("");
	e->slug = bb_xstrdup("");
	e->link = bb_xstrdup("");
	e->guid = bb_xstrdup("");
	e->excerpt = bb_xstrdup("");
	e->body = bb_xstrdup("");
	e->parent_id = bb_xstrdup("");
	e->attachment_url = bb_xstrdup("");
	e->thumbnail_id = bb_xstrdup("");
	e->image_alt = bb_xstrdup("");
	bb_export_reindex(x);
	return e;
}

void
bb_export_free(bb_export *x)
{
	size_t i;
	if (!x)
		return;
	free(x->kind);
	free(x->version);
	free(x->title);
	free(x->link);
	free(x->description);
	free(x->language);
	free(x->base_site_url);
	free(x->base_blog_url);
	for (i = 0; i < x->nauthors; i++) {
		free(x->authors[i].login);
		free(x->authors[i].display_name);
	}
	free(x->authors);
	for (i = 0; i < x->nentries; i++)
		bb_entry_clear(&x->entries[i]);
	free(x->entries);
	free(x->byid);
	free(x->byparent);
	if (x->spill)
		fclose(x->spill);
	free(x);
}

int
bb_export_spill(bb_export *x, bb_entry *e, const char *body, size_t len)
{
	long long at;
	if (!x->spill || fseeko(x->spill, 0, SEEK_END) != 0 || (at = (long long)ftello(x->spill)) < 0 ||
	    fwrite(body, 1, len, x->spill) != len || fflush(x->spill) != 0)
		return -1;
	free(e->body);
	e->body = bb_xstrdup("");
	e->body_len = len;
	e->body_off = at;
	e->spilled = 1;
	return 0;
}

char *
bb_export_body(const bb_export *x, const bb_entry *e, size_t *len)
{
	char *b;
	size_t got = 0;
	if (!e->spilled) {
		*len = e->body_len;
		return bb_xstrndup(e->body, e->body_len);
	}
	b = bb_xmalloc(e->body_len + 1);
	while (got < e->body_len) {
		ssize_t r = pread(fileno(x->spill), b + got, e->body_len - got, (off_t)(e->body_off + (long long)got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(b);
			*len = 0;
			return NULL;
		}
		got += (size_t)r;
	}
	b[got] = '\0';
	*len = got;
	return b;
}

void
bb_export_reindex(bb_export *x)
{
	free(x->byid);
	x->byid = NULL;
	free(x->byparent);
	x->byparent = NULL;
	x->nbyparent = 0;
}

static int
S_cmp(const void *a, const void *b)
{
	const bb_entry *const *x = a, *const *y = b;
	int c = strcmp((*x)->id, (*y)->id);
	/* equal ids keep file order */
	return c ? c : (*x < *y ? -1 : *x > *y);
}

const bb_entry *
bb_export_find(bb_export *x, const char *id)
{
	size_t lo = 0, hi, i;
	if (!x || !id || !x->nentries)
		return NULL;
	if (!x->byid) {
		x->byid = bb_xmalloc(x->nentries * sizeof *x->byid);
		for (i = 0; i < x->nentries; i++)
			x->byid[i] = &x->entries[i];
		qsort(x->byid, x->nentries, sizeof *x->byid, S_cmp);
	}
	hi = x->nentries;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(x->byid[mid]->id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < x->nentries && strcmp(x->byid[lo]->id, id) == 0)
		return x->byid[lo];
	return NULL;
}

static int
S_cmp_parent(const void *a, const void *b)
{
	const bb_entry *const *x = a, *const *y = b;
	int c = strcmp((*x)->parent_id, (*y)->parent_id);
	return c ? c : (*x < *y ? -1 : *x > *y);
}

bb_entry *const *
bb_export_children(bb_export *x, const char *parent_id, size_t *n)
{
	size_t lo = 0, hi, i, e;
	*n = 0;
	if (!x || !parent_id || !*parent_id || !x->nentries)
		return NULL;
	if (!x->byparent) {
		x->byparent = bb_xmalloc(x->nentries * sizeof *x->byparent);
		for (i = 0; i < x->nentries; i++)
			if (strcmp(x->entries[i].type, "attachment") == 0)
				x->byparent[x->nbyparent++] = &x->entries[i];
		qsort(x->byparent, x->nbyparent, sizeof *x->byparent, S_cmp_parent);
	}
	hi = x->nbyparent;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(x->byparent[mid]->parent_id, parent_id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (e = lo; e < x->nbyparent && strcmp(x->byparent[e]->parent_id, parent_id) == 0; e++)
		;
	*n = e - lo;
	return e > lo ? x->byparent + lo : NULL;
}
