/* sitedata.c: site.data from a Jekyll site's _data folder: YAML and JSON through fm.c, CSV and TSV read here, folders as nested maps. */
#define _XOPEN_SOURCE 700
#include "sitedata.h"
#include "util.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define S_DEPTH_MAX 8
#define S_FILES_MAX 2000
#define S_FILE_MAX (4u << 20)
#define S_TOTAL_MAX (64u << 20)
#define S_ROWS_MAX 100000

typedef struct S_load {
	const char *root;       /* the blog's real folder */
	size_t rootlen;
	bb_diaglist *dl;
	size_t files, bytes;
	int warned_files;
} S_load;

static bb_fm_node *
S_node(bb_fm_kind kind, unsigned line, unsigned col)
{
	bb_fm_node *n = bb_xcalloc(1, sizeof *n);
	n->kind = kind;
	n->line = line;
	n->col = col;
	return n;
}

static bb_fm_node *
S_scalar(const char *s, size_t len, unsigned line, unsigned col)
{
	bb_fm_node *n = S_node(BB_FM_SCALAR, line, col);
	n->value = bb_xstrndup(s, len);
	n->quoted = 1;
	return n;
}

static void
S_add(bb_fm_node *parent, bb_fm_node *kid)
{
	if (parent->nkids % 16 == 0)
		parent->kids = bb_xrealloc(parent->kids, (parent->nkids + 16) * sizeof *parent->kids);
	parent->kids[parent->nkids++] = kid;
}

/* Sets key in map to v (taking v); an earlier value of key is replaced. */
static void
S_map_put(bb_fm_node *map, const char *key, bb_fm_node *v)
{
	size_t i;
	for (i = 0; i + 1 < map->nkids; i += 2)
		if (map->kids[i]->value && strcmp(map->kids[i]->value, key) == 0) {
			bb_fm_free(map->kids[i + 1]);
			map->kids[i + 1] = v;
			return;
		}
	S_add(map, S_scalar(key, strlen(key), 0, 0));
	S_add(map, v);
}

/* Reads CSV (sep ',') or TSV (sep '\t') with RFC 4180 quotes: the first
 * row names the columns; each later row is a map. Returns the list, or
 * NULL with *pl and *pc set at an unterminated quote. */
static bb_fm_node *
S_csv(const char *s, size_t n, char sep, unsigned *pl, unsigned *pc)
{
	bb_fm_node *list = S_node(BB_FM_SEQ, 1, 1), *row = NULL;
	char **head = NULL;
	size_t nhead = 0, col = 0, i = 0;
	unsigned line = 1, rline = 1;
	bb_buf f = BB_BUF_INIT;
	int header = 1, any = 0;

	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i <= n) {
		int end_row = 0;
		unsigned fl = line;
		bb_buf_reset(&f);
		bb_buf_put(&f, "", 0);
		if (i < n && s[i] == '"') {
			unsigned ql = line;
			size_t qs = i;
			i++;
			for (;;) {
				if (i >= n) {
					unsigned c = 1;
					size_t k = qs;
					while (k > 0 && s[k - 1] != '\n')
						k--, c++;
					*pl = ql;
					*pc = c;
					goto fail;
				}
				if (s[i] == '"') {
					if (i + 1 < n && s[i + 1] == '"') {
						bb_buf_putc(&f, '"');
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (s[i] == '\n')
					line++;
				bb_buf_putc(&f, s[i++]);
			}
		}
		while (i < n && s[i] != sep && s[i] != '\n')
			if (s[i] != '\r')
				bb_buf_putc(&f, s[i++]);
			else
				i++;
		if (i >= n)
			end_row = 1;
		else if (s[i] == '\n')
			end_row = 1, line++;
		i++;
		if (f.len > 0 || col > 0)
			any = 1;
		if (header) {
			head = bb_xrealloc(head, (nhead + 1) * sizeof *head);
			head[nhead++] = bb_xstrndup(f.data ? f.data : "", f.len);
		} else if (any) {
			if (!row) {
				row = S_node(BB_FM_MAP, rline, 1);
			}
			if (col < nhead) {
				S_add(row, S_scalar(head[col], strlen(head[col]), rline, 1));
				S_add(row, S_scalar(f.data ? f.data : "", f.len, fl, 1));
			}
		}
		col++;
		if (end_row) {
			if (header) {
				header = 0;
			} else if (row) {
				if (list->nkids < S_ROWS_MAX)
					S_add(list, row);
				else
					bb_fm_free(row);
				row = NULL;
			}
			col = 0;
			any = 0;
			rline = line;
			if (i >= n)
				break;
		}
	}
	for (i = 0; i < nhead; i++)
		free(head[i]);
	free(head);
	bb_buf_free(&f);
	bb_fm_free(row);
	return list;
fail:
	for (i = 0; i < nhead; i++)
		free(head[i]);
	free(head);
	bb_buf_free(&f);
	bb_fm_free(row);
	bb_fm_free(list);
	return NULL;
}

static int
S_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
S_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);
	return n > e && strcmp(name + n - e, ext) == 0;
}

/* Reads one data file; returns its tree or NULL (warned). */
static bb_fm_node *
S_file(S_load *L, const char *path, const char *rel)
{
	char *data = NULL;
	size_t len = 0;
	bb_fm_node *t = NULL;
	if (bb_read_file(path, S_FILE_MAX, &data, &len) < 0) {
		if (data && len == S_FILE_MAX)
			bb_diag_add(L->dl, BB_WARNING, rel, 0, 0, "data file over %u MiB: left out of site.data", S_FILE_MAX >> 20);
		else
			bb_diag_add(L->dl, BB_WARNING, rel, 0, 0, "data file cannot be read: left out of site.data");
		free(data);
		return NULL;
	}
	if (L->bytes + len > S_TOTAL_MAX) {
		bb_diag_add(L->dl, BB_WARNING, rel, 0, 0, "_data holds over %u MiB: this file is left out of site.data", S_TOTAL_MAX >> 20);
		free(data);
		return NULL;
	}
	L->bytes += len;
	if (S_ext(rel, ".csv") || S_ext(rel, ".tsv")) {
		unsigned l = 0, c = 0;
		t = S_csv(data, len, S_ext(rel, ".csv") ? ',' : '\t', &l, &c);
		if (!t)
			bb_diag_add(L->dl, BB_WARNING, rel, l, c, "quoted field never closed: the data file is left out of site.data");
	} else {
		bb_fm_problem p;
		memset(&p, 0, sizeof p);
		t = bb_fm_parse(data, len, 1, &p);
		if (p.line) {
			/* fm.c speaks of front matter; here it is a data file */
			char *fmw = strstr(p.message, " in front matter");
			if (fmw)
				memmove(fmw, fmw + 16, strlen(fmw + 16) + 1);
			bb_diag_add(L->dl, BB_WARNING, rel, p.line, p.col, "%s: the data file is left out of site.data", p.message);
			bb_fm_free(t);
			t = NULL;
		} else if (!t) {
			t = S_node(BB_FM_SCALAR, 1, 1);  /* an empty file: nil */
		}
	}
	free(data);
	return t;
}

/* Fills map with the folder dir (rel: its path from the blog's root). */
static void
S_dir(S_load *L, bb_fm_node *map, const char *dir, const char *rel, int depth)
{
	DIR *dh;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;
	if (!(dh = opendir(dir)))
		return;
	while ((e = readdir(dh)) != NULL && n < 4 * S_FILES_MAX) {
		if (e->d_name[0] == '.' || e->d_name[0] == '_' || e->d_name[0] == '#' || S_ext(e->d_name, "~"))
			continue;
		names = bb_xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = bb_xstrdup(e->d_name);
	}
	closedir(dh);
	if (n)
		qsort(names, n, sizeof *names, S_cmp);
	for (i = 0; i < n; i++) {
		char *path = bb_xasprintf("%s/%s", dir, names[i]);
		char *r = bb_xasprintf("%s/%s", rel, names[i]);
		char *real = realpath(path, NULL);
		struct stat sb;
		if (!real || strncmp(real, L->root, L->rootlen) != 0 || real[L->rootlen] != '/' || stat(real, &sb) < 0) {
			if (real)
				bb_diag_add(L->dl, BB_WARNING, r, 0, 0, "leads out of the blog's folder: left out of site.data");
		} else if (S_ISDIR(sb.st_mode)) {
			if (depth + 1 >= S_DEPTH_MAX) {
				bb_diag_add(L->dl, BB_WARNING, r, 0, 0, "folder nested over %d deep in _data: left out", S_DEPTH_MAX);
			} else {
				bb_fm_node *sub = S_node(BB_FM_MAP, 0, 0);
				S_dir(L, sub, real, r, depth + 1);
				S_map_put(map, names[i], sub);
			}
		} else if (S_ISREG(sb.st_mode) && (S_ext(names[i], ".yml") || S_ext(names[i], ".yaml") ||
			   S_ext(names[i], ".json") || S_ext(names[i], ".csv") || S_ext(names[i], ".tsv"))) {
			if (L->files >= S_FILES_MAX) {
				if (!L->warned_files)
					bb_diag_add(L->dl, BB_WARNING, r, 0, 0, "over %d files in _data: the rest are left out", S_FILES_MAX);
				L->warned_files = 1;
			} else {
				bb_fm_node *t;
				L->files++;
				t = S_file(L, real, r);
				if (t) {
					char *key = bb_xstrdup(names[i]);
					*strrchr(key, '.') = '\0';
					S_map_put(map, key, t);
					free(key);
				}
			}
		}
		free(real);
		free(path);
		free(r);
		free(names[i]);
	}
	free(names);
}

bb_fm_node *
bb_site_data_load(const char *root_real, bb_diaglist *dl)
{
	S_load L;
	bb_fm_node *map;
	char *dir, *real;
	struct stat sb;
	bb_diaglist scratch = { NULL, 0, 0 };
	if (!root_real)
		return NULL;
	dir = bb_xasprintf("%s/_data", root_real);
	real = realpath(dir, NULL);
	free(dir);
	if (!real || stat(real, &sb) < 0 || !S_ISDIR(sb.st_mode) ||
	    strncmp(real, root_real, strlen(root_real)) != 0 || real[strlen(root_real)] != '/') {
		free(real);
		return NULL;
	}
	memset(&L, 0, sizeof L);
	L.root = root_real;
	L.rootlen = strlen(root_real);
	L.dl = dl ? dl : &scratch;
	map = S_node(BB_FM_MAP, 0, 0);
	S_dir(&L, map, real, "_data", 0);
	bb_diag_clear(&scratch);
	free(real);
	return map;
}

static void
S_put_str(bb_fm_node *map, const char *key, const char *v)
{
	if (!v)
		return;
	S_add(map, S_scalar(key, strlen(key), 0, 0));
	S_add(map, S_scalar(v, strlen(v), 0, 0));
}

static void
S_put_list(bb_fm_node *map, const char *key, char **v, size_t n)
{
	bb_fm_node *l = S_node(BB_FM_SEQ, 0, 0);
	size_t i;
	for (i = 0; i < n; i++)
		if (v[i])
			S_add(l, S_scalar(v[i], strlen(v[i]), 0, 0));
	S_add(map, S_scalar(key, strlen(key), 0, 0));
	S_add(map, l);
}

typedef struct S_pidx {
	const bb_post *p;
	size_t i;
} S_pidx;

static int
S_newest_first(const void *a, const void *b)
{
	const S_pidx *x = a, *y = b;
	int c = strcmp(y->p->ymd, x->p->ymd);
	if (c)
		return c;
	return x->i > y->i ? -1 : x->i < y->i ? 1 : 0;
}

bb_fm_node *
bb_site_posts_tree(const bb_post *posts, size_t n)
{
	bb_fm_node *list = S_node(BB_FM_SEQ, 0, 0);
	S_pidx *ix;
	size_t i;
	if (!posts || n == 0)
		return list;
	ix = bb_xmalloc(n * sizeof *ix);
	for (i = 0; i < n; i++)
		ix[i].p = &posts[i], ix[i].i = i;
	qsort(ix, n, sizeof *ix, S_newest_first);
	for (i = 0; i < n; i++) {
		const bb_post *p = ix[i].p;
		bb_fm_node *m = S_node(BB_FM_MAP, 0, 0);
		S_put_str(m, "title", p->title);
		S_put_str(m, "url", p->url);
		S_put_str(m, "date", p->ymd[0] ? p->ymd : NULL);
		if (p->url) {
			size_t ul = strlen(p->url);
			char *id = bb_xstrndup(p->url, ul >= 5 && strcmp(p->url + ul - 5, ".html") == 0 ? ul - 5 : ul);
			S_put_str(m, "id", id);
			free(id);
		}
		S_put_str(m, "slug", p->slug);
		S_put_str(m, "path", p->path);
		S_put_str(m, "author", p->author);
		S_put_str(m, "excerpt", p->excerpt);
		S_put_str(m, "lang", p->lang);
		S_put_list(m, "tags", p->tags, p->ntags);
		S_put_list(m, "categories", p->categories, p->ncategories);
		S_add(list, m);
	}
	free(ix);
	return list;
}

const bb_fm_node *
bb_site_posts_lazy(void *ud)
{
	bb_blog *b = ud;
	const bb_fm_node *n;
	pthread_mutex_lock(&b->lock);
	if (!b->site_posts)
		b->site_posts = b->all_posts ? bb_site_posts_tree(b->all_posts, b->nall)
					     : bb_site_posts_tree(b->posts, b->nposts);
	n = b->site_posts;
	pthread_mutex_unlock(&b->lock);
	return n;
}
