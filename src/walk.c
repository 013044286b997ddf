/* walk.c: finding post files in a blog's folder (see walk.h). */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "walk.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const bb_asset_exts[] = { "png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "ico", "mp4", "mp3",
				      "zip", "gz", "psd", "bmp", "tif", "tiff", "avif", "heic", NULL };
const char *const bb_md_exts[] = { "md", "markdown", "mkdn", "mkd", "mdown", "mdwn", "text", "txt",
				   "html", "htm", "rmd", NULL };

void
bb_finder_init(bb_finder *f, const char *root, const char *root_real, bb_diaglist *dl)
{
	memset(f, 0, sizeof *f);
	f->root = root;
	f->root_real = root_real;
	f->dl = dl;
}

void
bb_finder_free(bb_finder *f)
{
	size_t i;
	for (i = 0; i < f->n; i++) {
		free(f->v[i].path);
		free(f->v[i].cats);
	}
	free(f->v);
	bb_map_free(&f->seen);
	f->v = NULL;
	f->n = f->cap = 0;
}

/* 1 when the file or folder st was already found (a second link to it, or
 * a link that loops back): each is read once. */
/* Writes v in lower-case hex at w (no leading zeros); returns the end. */
static char *
S_hex(char *w, unsigned long long v)
{
	char d[16];
	int n = 0;
	do
		d[n++] = "0123456789abcdef"[v & 15];
	while ((v >>= 4) != 0);
	while (n > 0)
		*w++ = d[--n];
	return w;
}

static int
S_seen(bb_finder *f, const struct stat *st)
{
	char key[40], *w;
	size_t dummy;
	/* "%llx:%llx" of the device and inode, without snprintf's cost */
	w = S_hex(key, (unsigned long long)st->st_dev);
	*w++ = ':';
	*S_hex(w, (unsigned long long)st->st_ino) = '\0';
	if (bb_map_get(&f->seen, key, &dummy))
		return 1;
	bb_map_put(&f->seen, key, 0);
	return 0;
}

/* 1 when the symbolic link abs (rel in the blog) leads inside the blog's
 * folder; a link leading out is refused with a warning, as for images. */
static int
S_link_inside(bb_finder *f, const char *abs, const char *rel)
{
	char real[PATH_MAX];
	size_t n = strlen(f->root_real);
	if (!realpath(abs, real))
		return 0; /* leads nowhere: stat fails too, nothing is read */
	if (strncmp(real, f->root_real, n) != 0 || (real[n] != '/' && real[n] != '\0')) {
		bb_diag_add(f->dl, BB_WARNING, rel, 0, 0,
			    "a symbolic link that leads outside the blog's folder; refused, nothing read through it");
		return 0;
	}
	return 1;
}

static void
S_found(bb_finder *f, const char *rel, const char *cats, int draft, const struct stat *st)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 256;
		f->v = bb_xrealloc(f->v, f->cap * sizeof *f->v);
	}
	f->v[f->n].path = bb_xstrdup(rel);
	f->v[f->n].cats = cats && *cats ? bb_xstrdup(cats) : NULL;
	f->v[f->n].draft = draft;
	f->v[f->n].st = *st;
	f->n++;
}

static int
S_cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
bb_list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			v = bb_xrealloc(v, cap * sizeof *v);
		}
		v[(*n)++] = bb_xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof *v, S_cmpstr);
	return v;
}

void
bb_list_free(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
bb_ext_is(const char *name, const char *const *exts)
{
	const char *dot = strrchr(name, '.');
	size_t i;
	if (!dot)
		return 0;
	/* the first letters first: a post's name meets every asset's */
	for (i = 0; exts[i]; i++)
		if (tolower((unsigned char)dot[1]) == tolower((unsigned char)exts[i][0]) &&
		    strcasecmp(dot + 1, exts[i]) == 0)
			return 1;
	return 0;
}

int
bb_path_is(const char *root, const char *rel, int dir)
{
	char *abs = bb_xpath(root, rel);
	struct stat st;
	int r = stat(abs, &st) == 0 && (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
	free(abs);
	return r;
}

int
bb_walk_is_dir(const bb_finder *f, const char *rel)
{
	return bb_path_is(f->root, rel, 1);
}

int
bb_walk_add(bb_finder *f, const char *rel, const char *cats, int draft)
{
	char *abs = bb_xpath(f->root, rel);
	struct stat st;
	int r = 0;
	if (lstat(abs, &st) != 0 || (S_ISLNK(st.st_mode) && (!S_link_inside(f, abs, rel) || stat(abs, &st) != 0)))
		goto out;
	if (S_ISREG(st.st_mode) && !S_seen(f, &st)) {
		S_found(f, rel, cats, draft, &st);
		r = 1;
	}
out:
	free(abs);
	return r;
}

static void
S_walk(bb_finder *f, const char *rel, const char *cats, int draft, int depth)
{
	char *abs = bb_xpath(f->root, rel);
	size_t n = 0, i;
	char **names = NULL;
	struct stat st;
	int dfd = -1;
	if (stat(abs, &st) != 0 || S_seen(f, &st) || ++f->visited > 20000)
		goto out;
	/* the folder's entries stat'ed by name in it, not by their whole
	 * path: each path's every folder was looked up again (a tenth of
	 * the walk over 10,000 posts) */
	if ((dfd = open(abs, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		goto out;
	names = bb_list_dir(abs, &n);
	for (i = 0; i < n; i++) {
		char *sub = bb_xpath(rel, names[i]);
		/* one lstat for what is not a link: a stat would say the same */
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0)
			goto next;
		if (S_ISLNK(st.st_mode)) {
			char *subabs = bb_xpath(f->root, sub);
			int ok = S_link_inside(f, subabs, sub) && stat(subabs, &st) == 0;
			free(subabs);
			if (!ok)
				goto next;
		}
		if (S_ISDIR(st.st_mode)) {
			if (depth < 16)
				S_walk(f, sub, cats, draft, depth + 1);
		} else if (S_ISREG(st.st_mode) && names[i][0] != '_' && names[i][0] != '#' &&
			   names[i][strlen(names[i]) - 1] != '~' && !bb_ext_is(names[i], bb_asset_exts)) {
			if ((!f->accept || f->accept(f, sub, names[i])) && !S_seen(f, &st))
				S_found(f, sub, cats, draft, &st);
		}
next:
		free(sub);
	}
out:
	if (dfd >= 0)
		close(dfd);
	bb_list_free(names, n);
	free(abs);
}

void
bb_walk_posts(bb_finder *f, const char *rel, const char *cats, int draft)
{
	S_walk(f, rel, cats, draft, 0);
}

int
bb_accept_language(const bb_finder *f, const char *rel, const char *name)
{
	const char *lang = f->ud, *dot = strrchr(name, '.'), *d2;
	size_t n, i;
	if (!bb_ext_is(name, bb_md_exts))
		return 0;
	for (d2 = dot - 1; d2 > name && *d2 != '.'; d2--)
		;
	if (d2 <= name)
		return 1;
	n = (size_t)(dot - d2 - 1);
	/* a language code: 2 or 3 letters, then maybe -region ("zh-cn") */
	for (i = 1; i <= n && isalpha((unsigned char)d2[i]); i++)
		;
	if (i < 3 || i > 4)
		return 1;
	if (i <= n) {
		size_t r = 0;
		if (d2[i] != '-' && d2[i] != '_')
			return 1;
		for (i++; i <= n && isalnum((unsigned char)d2[i]); i++)
			r++;
		if (i <= n || r < 2 || r > 4)
			return 1;
	}
	/* "index.en.md" with the book in "en" or "en-US" */
	return lang && strncasecmp(d2 + 1, lang, n) == 0 && (lang[n] == '\0' || lang[n] == '-');
}
