/* collect.c: the collect stage: reads _config.yml and finds, reads and
 * orders the posts (Jekyll's _posts and _drafts, Hugo's content/post),
 * applies the filters and groups posts into chapters. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "blog.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- string -> index map ---- */

static size_t
S_hash(const char *k)
{
	return (size_t)bb_fnv1a(BB_FNV_SEED, k, strlen(k));
}

void
bb_map_put(bb_map *m, const char *key, size_t val)
{
	size_t i;
	if ((m->n + 1) * 2 > m->cap) {
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
	m->keys[i] = bb_xstrdup(key);
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
	size_t i;
	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
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

/* Percent-decodes s (up to n bytes) into a new string. */
static char *
S_pct_decode(const char *s, size_t n)
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
	size_t n = strcspn(path, "?#");
	char *s = S_pct_decode(path, n), *p;
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

/* ---- settings ---- */

static char *
S_dup_or_null(const char *s)
{
	return s ? bb_xstrdup(s) : NULL;
}

/* A setting from the command line, then the blogbind: section, then _config.yml. */
static const char *
S_setting(const bb_blog *b, const char *cli, const char *key)
{
	const char *v;
	if (cli)
		return cli;
	if (b->settings && (v = bb_fm_str(b->settings, key)))
		return v;
	return b->config ? bb_fm_str(b->config, key) : NULL;
}

static int
S_int_setting(const bb_blog *b, int cli, const char *key, int def)
{
	const char *v;
	if (cli >= 0)
		return cli;
	if (b->settings && (v = bb_fm_str(b->settings, key))) {
		if (isdigit((unsigned char)v[0]))
			return atoi(v);
		return bb_fm_bool(b->settings, key, def);
	}
	if (b->config && (v = bb_fm_str(b->config, key)) && strcmp(key, "vertical") == 0)
		return bb_fm_bool(b->config, key, def);
	return def;
}

/* The name of an author given as a string, a map with name, or a list. */
static char *
S_author(const bb_fm_node *map, const char *key)
{
	const bb_fm_node *v = bb_fm_get(map, key);
	const char *s;
	if (!v)
		return NULL;
	if (v->kind == BB_FM_SCALAR)
		return (s = bb_fm_str(map, key)) ? bb_xstrdup(s) : NULL;
	if (v->kind == BB_FM_MAP)
		return (s = bb_fm_str(v, "name")) ? bb_xstrdup(s) : NULL;
	if (v->kind == BB_FM_SEQ) {
		bb_buf b = BB_BUF_INIT;
		size_t i;
		for (i = 0; i < v->nkids; i++) {
			const bb_fm_node *k = v->kids[i]->shared ? v->kids[i]->kids[0] : v->kids[i];
			const char *name = k->kind == BB_FM_SCALAR ? k->value : bb_fm_str(k, "name");
			if (!name || !*name)
				continue;
			if (b.len)
				bb_buf_puts(&b, ", ");
			bb_buf_puts(&b, name);
		}
		return b.data ? bb_buf_detach(&b, NULL) : NULL;
	}
	return NULL;
}

/* A BCP 47 tag from what blogs write: "ja_JP" -> "ja-JP"; NULL when not a tag. */
static char *
S_lang(const char *s)
{
	char *t;
	size_t i, n;
	if (!s)
		return NULL;
	n = strlen(s);
	if (n < 2 || n > 35 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]))
		return NULL;
	t = bb_xstrdup(s);
	for (i = 0; i < n; i++) {
		if (t[i] == '_')
			t[i] = '-';
		if (!isalnum((unsigned char)t[i]) && t[i] != '-') {
			free(t);
			return NULL;
		}
	}
	/* "C" and "POSIX" locales are not languages; the first subtag is 2-3 letters */
	i = strcspn(t, "-");
	if (i > 3) {
		free(t);
		return NULL;
	}
	for (i = 0; t[i] && t[i] != '-'; i++)
		t[i] = (char)tolower((unsigned char)t[i]);
	return t;
}

/* ---- reading a post ---- */

/* The line and column (in characters) of byte i of raw, counted from byte
 * start (after a byte-order mark); CR, LF and CRLF each end a line. */
static void
S_position(const char *raw, size_t start, size_t i, unsigned *line, unsigned *col)
{
	size_t q;
	*line = 1, *col = 1;
	for (q = start; q < i; q++) {
		if (raw[q] == '\n' || (raw[q] == '\r' && raw[q + 1] != '\n'))
			++*line, *col = 1;
		else if (raw[q] != '\r' && ((unsigned char)raw[q] & 0xC0) != 0x80)
			++*col;
	}
}

int
bb_post_read(const bb_blog *b, const bb_post *p, char **text, size_t *len, bb_diaglist *dl, int text_warnings)
{
	char *path = bb_xasprintf("%s/%s", b->root, p->path), *raw = NULL;
	size_t n = 0, i, nul = 0, start;
	bb_buf out = BB_BUF_INIT;
	unsigned bad = 0, badline = 0, badcol = 0, nulline = 0, nulcol = 0;
	int rc = -1;

	*text = NULL;
	*len = 0;
	if (bb_read_file(path, BB_MAX_POST_BYTES, &raw, &n) != 0) {
		if (errno != EFBIG) {
			if (dl)
				bb_diag_add(dl, BB_WARNING, p->path, 0, 0, "cannot read the post: %s; left out", strerror(errno));
			goto out;
		}
		if (dl && text_warnings)
			bb_diag_add(dl, BB_WARNING, p->path, 0, 0,
				    "post larger than %u MB: only its first %u MB are bound",
				    BB_MAX_POST_BYTES >> 20, BB_MAX_POST_BYTES >> 20);
	}
	/* binary: NUL bytes among many bytes that are neither text nor UTF-8
	 * in the first 8 KB; a text with a stray NUL is still a text (the NUL
	 * becomes U+FFFD below, with a warning) */
	{
		size_t odd = 0, m = n < 8192 ? n : 8192;
		for (i = 0; i < m;) {
			unsigned char c = (unsigned char)raw[i];
			unsigned cp;
			int k = c < 0x80 ? 1 : bb_utf8_decode((const unsigned char *)raw + i, m - i, &cp);
			nul += c == '\0';
			odd += k == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b);
			i += k ? (size_t)k : 1;
		}
		if (nul && odd * 10 > m) {
			if (dl)
				bb_diag_add(dl, BB_WARNING, p->path, 0, 0, "not a text file (it holds NUL bytes); left out");
			goto out;
		}
	}
	nul = 0;
	i = 0;
	if (n >= 3 && (unsigned char)raw[0] == 0xEF && (unsigned char)raw[1] == 0xBB && (unsigned char)raw[2] == 0xBF)
		i = 3;
	start = i;
	/* the output is never longer than the input but for U+FFFD (3 bytes)
	 * standing for one bad byte */
	bb_buf_grow(&out, n - i);
	{
		/* valid bytes are copied in runs; only CR and invalid bytes stop one */
		size_t run = i;
		while (i < n) {
			unsigned char c = (unsigned char)raw[i];
			unsigned cp;
			int k;
			if (c < 0x80 && c != '\r' && c != '\0') {
				i++;
				continue;
			}
			if (c >= 0x80 && (k = bb_utf8_decode((const unsigned char *)raw + i, n - i, &cp)) > 0) {
				i += (size_t)k;
				continue;
			}
			bb_buf_put(&out, raw + run, i - run);
			if (c == '\r') {
				bb_buf_putc(&out, '\n');
				i += (i + 1 < n && raw[i + 1] == '\n') ? 2 : 1;
			} else if (c == '\0') {
				if (!nul++)
					S_position(raw, start, i, &nulline, &nulcol);
				bb_buf_put(&out, "\xEF\xBF\xBD", 3);
				i++;
			} else {
				/* the position of the first bad byte, for the message */
				if (!bad++)
					S_position(raw, start, i, &badline, &badcol);
				bb_buf_put(&out, "\xEF\xBF\xBD", 3);
				i++;
			}
			run = i;
		}
		bb_buf_put(&out, raw + run, n - run);
	}
	if (bad && dl && text_warnings)
		bb_diag_add(dl, BB_WARNING, p->path, badline, badcol,
			    "invalid UTF-8: %u byte%s replaced by U+FFFD", bad, bad == 1 ? "" : "s");
	if (nul && dl && text_warnings)
		bb_diag_add(dl, BB_WARNING, p->path, nulline, nulcol,
			    "%zu NUL byte%s replaced by U+FFFD", nul, nul == 1 ? "" : "s");
	if (!out.data)
		bb_buf_grow(&out, 0), out.data[0] = '\0';
	*text = bb_buf_detach(&out, len);
	rc = 0;
out:
	free(raw);
	free(path);
	bb_buf_free(&out);
	return rc;
}

/* ---- finding posts ---- */

typedef struct found {
	char *path;      /* relative to root */
	char *cats;      /* folders above _posts, space-separated, or NULL */
	int draft;
} found;

typedef struct finder {
	found *v;
	size_t n, cap;
	int drafts;
	int hugo;
	size_t visited;
	const char *root_real;  /* symbolic links must lead inside it */
	bb_map seen;            /* "dev:ino" of the folders and posts found */
	bb_diaglist *dl;
} finder;

/* 1 when the file or folder st was already found (a second link to it, or
 * a link that loops back): each is read once. */
static int
S_seen(finder *f, const struct stat *st)
{
	char key[64];
	size_t dummy;
	snprintf(key, sizeof key, "%llx:%llx", (unsigned long long)st->st_dev, (unsigned long long)st->st_ino);
	if (bb_map_get(&f->seen, key, &dummy))
		return 1;
	bb_map_put(&f->seen, key, 0);
	return 0;
}

/* 1 when the symbolic link abs (rel in the blog) leads inside the blog's
 * folder; a link leading out is refused with a warning, as for images. */
static int
S_link_inside(finder *f, const char *abs, const char *rel)
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
S_found(finder *f, const char *rel, const char *cats, int draft)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 256;
		f->v = bb_xrealloc(f->v, f->cap * sizeof *f->v);
	}
	f->v[f->n].path = bb_xstrdup(rel);
	f->v[f->n].cats = cats && *cats ? bb_xstrdup(cats) : NULL;
	f->v[f->n].draft = draft;
	f->n++;
}

static int
S_cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of a folder, sorted (readdir's order is not stable). */
static char **
S_list(const char *dir, size_t *n)
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

static void
S_freelist(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
S_ext_is(const char *name, const char *const *exts)
{
	const char *dot = strrchr(name, '.');
	size_t i;
	if (!dot)
		return 0;
	for (i = 0; exts[i]; i++)
		if (strcasecmp(dot + 1, exts[i]) == 0)
			return 1;
	return 0;
}

static const char *const asset_exts[] = { "png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "ico", "mp4",
					  "mp3", "zip", "gz", "psd", "bmp", "tif", "tiff", NULL };
static const char *const md_exts[] = { "md", "markdown", "mkdn", "mkd", "mdown", "mdwn", "text", "txt",
				       "html", "htm", "rmd", NULL };

/* Every file under a _posts (or _drafts) folder, recursively. */
static void
S_walk_posts(finder *f, const char *root, const char *rel, const char *cats, int draft, int depth)
{
	char *abs = bb_xasprintf("%s/%s", root, rel);
	size_t n = 0, i;
	char **names = NULL;
	struct stat st;
	if (stat(abs, &st) != 0 || S_seen(f, &st))
		goto out;
	names = S_list(abs, &n);
	for (i = 0; i < n; i++) {
		char *sub = bb_xasprintf("%s/%s", rel, names[i]), *subabs = bb_xasprintf("%s/%s", root, sub);
		if (lstat(subabs, &st) == 0 && S_ISLNK(st.st_mode) && !S_link_inside(f, subabs, sub))
			goto next;
		if (stat(subabs, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				if (depth < 16)
					S_walk_posts(f, root, sub, cats, draft, depth + 1);
			} else if (S_ISREG(st.st_mode) && names[i][0] != '_' && names[i][0] != '#' &&
				   names[i][strlen(names[i]) - 1] != '~' && !S_ext_is(names[i], asset_exts)) {
				if ((!f->hugo || S_ext_is(names[i], md_exts)) && !S_seen(f, &st))
					S_found(f, sub, cats, draft);
			}
		}
next:
		free(sub);
		free(subabs);
	}
out:
	S_freelist(names, n);
	free(abs);
}

/* Looks for _posts folders anywhere in the site (ja/news/_posts...), the
 * folders above each one giving categories, as Jekyll does. */
static void
S_walk_site(finder *f, const char *root, const char *rel, int depth)
{
	char *abs = rel[0] ? bb_xasprintf("%s/%s", root, rel) : bb_xstrdup(root);
	size_t n, i;
	char **names = S_list(abs, &n);
	if (++f->visited > 20000)
		goto out;
	for (i = 0; i < n; i++) {
		char *sub, *subabs;
		struct stat st;
		const char *nm = names[i];
		if (strcmp(nm, "_site") == 0 || strcmp(nm, "node_modules") == 0 || strcmp(nm, "vendor") == 0 ||
		    strcmp(nm, "assets") == 0 || strcmp(nm, "_includes") == 0 || strcmp(nm, "_layouts") == 0)
			continue;
		sub = rel[0] ? bb_xasprintf("%s/%s", rel, nm) : bb_xstrdup(nm);
		subabs = bb_xasprintf("%s/%s", root, sub);
		if (lstat(subabs, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (strcmp(nm, "_posts") == 0 || (f->drafts && strcmp(nm, "_drafts") == 0)) {
				char *cats = bb_xstrdup(rel);
				char *c;
				for (c = cats; *c; c++)
					if (*c == '/')
						*c = ' ';
				S_walk_posts(f, root, sub, cats, nm[1] == 'd', 0);
				free(cats);
			} else if (depth < 8)
				S_walk_site(f, root, sub, depth + 1);
		}
		free(sub);
		free(subabs);
	}
out:
	S_freelist(names, n);
	free(abs);
}

/* Hugo: content/post*, and with drafts marked in front matter. */
static void
S_walk_hugo(finder *f, const char *root)
{
	char *content = bb_xasprintf("%s/content", root);
	size_t n, i;
	char **names = S_list(content, &n);
	for (i = 0; i < n; i++)
		if (strncmp(names[i], "post", 4) == 0 || strcmp(names[i], "blog") == 0) {
			char *rel = bb_xasprintf("content/%s", names[i]);
			S_walk_posts(f, root, rel, NULL, 0, 0);
			free(rel);
		}
	S_freelist(names, n);
	free(content);
}

/* ---- a post's metadata ---- */

/* A copy of s fit for the book's text: bytes that are not UTF-8 and
 * control characters (a file name may hold both) become U+FFFD. */
static char *
S_clean_name(const char *s)
{
	bb_buf b = BB_BUF_INIT;
	size_t n = strlen(s), i = 0;
	bb_buf_put(&b, "", 0);
	while (i < n) {
		unsigned cp;
		int k = bb_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (k == 0 || cp < 0x20 || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF) {
			bb_buf_put(&b, "\xEF\xBF\xBD", 3);
			i += k ? (size_t)k : 1;
		} else {
			bb_buf_put(&b, s + i, (size_t)k);
			i += (size_t)k;
		}
	}
	return bb_buf_detach(&b, NULL);
}

/* "YYYY-MM-DD-slug.ext" -> date, slug, basename (made fit for text, see
 * S_clean_name). Returns 1 when dated. */
static int
S_parse_name(const char *file, bb_date *d, char **slug, char **base)
{
	const char *name = strrchr(file, '/'), *dot;
	char *raw;
	int n;
	name = name ? name + 1 : file;
	dot = strrchr(name, '.');
	if (!dot || dot == name)
		dot = name + strlen(name);
	raw = bb_xstrndup(name, (size_t)(dot - name));
	*base = S_clean_name(raw);
	free(raw);
	n = bb_date_parse(*base, d, 0);
	if (n > 0 && !d->has_time && (*base)[n] == '-' && (*base)[n + 1]) {
		*slug = bb_xstrdup(*base + n + 1);
		return 1;
	}
	memset(d, 0, sizeof *d);
	/* Hugo page bundles: content/post/NAME/index.md */
	if (strcmp(*base, "index") == 0 || strcmp(*base, "_index") == 0) {
		const char *e = name - 1, *s = e;
		while (s > file && s[-1] != '/')
			s--;
		if (e > s) {
			raw = bb_xstrndup(s, (size_t)(e - s));
			*slug = S_clean_name(raw);
			free(raw);
			return 0;
		}
	}
	*slug = bb_xstrdup(*base);
	return 0;
}

/* "my-first-post" -> "My first post" */
static char *
S_title_from_slug(const char *slug)
{
	char *t = bb_xstrdup(slug), *p;
	for (p = t; *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	if (t[0] >= 'a' && t[0] <= 'z')
		t[0] = (char)(t[0] - 'a' + 'A');
	return t;
}

static void
S_add_str(char ***v, size_t *n, const char *s)
{
	size_t i;
	if (!s || !*s)
		return;
	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return;
	if (*n >= 256)
		return;
	*v = bb_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = bb_xstrdup(s);
}

/* A list given as a YAML sequence or a space-separated string. */
static void
S_list_field(const bb_fm_node *fm, const char *key, char ***v, size_t *n)
{
	const bb_fm_node *x = bb_fm_get(fm, key);
	size_t i;
	if (!x)
		return;
	if (x->kind == BB_FM_SCALAR) {
		const char *s = bb_fm_str(fm, key);
		char *copy, *tok, *save = NULL;
		if (!s)
			return;
		copy = bb_xstrdup(s);
		for (tok = strtok_r(copy, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save))
			S_add_str(v, n, tok);
		free(copy);
	} else if (x->kind == BB_FM_SEQ) {
		for (i = 0; i < x->nkids; i++) {
			const bb_fm_node *k = x->kids[i]->shared ? x->kids[i]->kids[0] : x->kids[i];
			if (k->kind == BB_FM_SCALAR)
				S_add_str(v, n, k->value);
		}
	}
}

static void
S_post_free(bb_post *p)
{
	size_t i;
	free(p->path);
	free(p->slug);
	free(p->basename);
	free(p->title);
	free(p->author);
	free(p->excerpt);
	free(p->lang);
	free(p->permalink);
	for (i = 0; i < p->ncategories; i++)
		free(p->categories[i]);
	free(p->categories);
	for (i = 0; i < p->ntags; i++)
		free(p->tags[i]);
	free(p->tags);
	for (i = 0; i < p->naliases; i++)
		free(p->aliases[i]);
	free(p->aliases);
	free(p->series);
	free(p->url);
	for (i = 0; i < p->nheadings; i++) {
		free(p->headings[i].id);
		free(p->headings[i].text);
	}
	free(p->headings);
	free(p->spooled);
}

/* Reads one post's front matter into p. Returns 0, or -1 when the post is
 * left out (unreadable, not text). */
static int
S_read_post(bb_blog *b, bb_post *p, const found *fd)
{
	char *text = NULL;
	size_t len, fm, fmlen, body;
	unsigned body_line;
	int toml = 0, split, dated;
	bb_fm_node *tree = NULL;
	bb_fm_problem prob;
	const char *s;
	bb_date fdate;

	p->path = bb_xstrdup(fd->path);
	p->draft = fd->draft;
	p->published = 1;
	p->is_html = S_ext_is(fd->path, (const char *const[]){ "html", "htm", NULL });
	dated = S_parse_name(fd->path, &fdate, &p->slug, &p->basename);
	if (dated)
		p->date = fdate;
	else if (!fd->draft && !b->hugo) {
		/* Jekyll reads as posts only the files named YYYY-MM-DD-title */
		bb_diag_add(&b->diags, BB_NOTE, fd->path, 0, 0, "not a post: the name does not start with a date");
		return -1;
	}
	if (bb_post_read(b, p, &text, &len, &b->diags, 0) != 0)
		return -1;
	split = bb_fm_split(text, len, &fm, &fmlen, &body, &body_line, &toml);
	if (split < 0)
		bb_diag_add(&b->diags, BB_WARNING, p->path, 1, 1,
			    "front matter opened by '---' is never closed; the whole file is read as the post's text");
	if (split > 0) {
		tree = toml ? bb_fm_parse_toml(text + fm, fmlen, 2, &prob) : bb_fm_parse(text + fm, fmlen, 2, &prob);
		if (prob.line)
			bb_diag_add(&b->diags, BB_WARNING, p->path, prob.line, prob.col,
				    "%s; the post is kept with what could be read", prob.message);
		if (tree && tree->kind != BB_FM_MAP) {
			bb_diag_add(&b->diags, BB_WARNING, p->path, 2, 1, "front matter is not a mapping; ignored");
			bb_fm_free(tree);
			tree = NULL;
		}
	}
	if (tree) {
		const bb_fm_node *t = bb_fm_get(tree, "title");
		if ((s = bb_fm_str(tree, "title")))
			p->title = bb_xstrdup(s);
		else if (t && t->kind != BB_FM_SCALAR)
			bb_diag_add(&b->diags, BB_WARNING, p->path, t->line, t->col, "title is not a string; ignored");
		if ((s = bb_fm_str(tree, "date"))) {
			bb_date d;
			if (bb_date_parse(s, &d, 1) > 0)
				p->date = d, dated = 1;
			else {
				const bb_fm_node *dn = bb_fm_get(tree, "date");
				bb_diag_add(&b->diags, BB_WARNING, p->path, dn->line, dn->col,
					    "unreadable date '%s'; %s", s,
					    dated ? "the file name's date is used" : "the post is placed last");
			}
		}
		if ((s = bb_fm_str(tree, "slug"))) {
			free(p->slug);
			p->slug = bb_xstrdup(s);
		}
		p->author = S_author(tree, "author");
		if ((s = bb_fm_str(tree, "excerpt")) || (s = bb_fm_str(tree, "description")) ||
		    (s = bb_fm_str(tree, "summary")))
			p->excerpt = bb_xstrdup(s);
		p->lang = S_lang(bb_fm_str(tree, "lang"));
		if (!p->lang)
			p->lang = S_lang(bb_fm_str(tree, "language"));
		p->permalink = S_dup_or_null(bb_fm_str(tree, "permalink"));
		if (!p->permalink)
			p->permalink = S_dup_or_null(bb_fm_str(tree, "url"));
		S_list_field(tree, "categories", &p->categories, &p->ncategories);
		S_list_field(tree, "category", &p->categories, &p->ncategories);
		S_list_field(tree, "tags", &p->tags, &p->ntags);
		S_list_field(tree, "tag", &p->tags, &p->ntags);
		S_list_field(tree, "aliases", &p->aliases, &p->naliases);
		p->series = S_dup_or_null(bb_fm_str(tree, "series"));
		if (!p->series) {
			const bb_fm_node *sn = bb_fm_get(tree, "series");
			if (sn && sn->kind == BB_FM_SEQ && sn->nkids && sn->kids[0]->value)
				p->series = bb_xstrdup(sn->kids[0]->value);
		}
		if ((s = bb_fm_str(tree, "part")))
			p->part = strtol(s, NULL, 10);
		p->published = bb_fm_bool(tree, "published", 1);
		if (bb_fm_bool(tree, "draft", 0))
			p->draft = 1;
	}
	/* Folders above _posts are categories too, as in Jekyll. */
	if (fd->cats) {
		char *copy = bb_xstrdup(fd->cats), *tok, *save = NULL;
		for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
			S_add_str(&p->categories, &p->ncategories, tok);
		free(copy);
	}
	if (!p->title || !*p->title) {
		free(p->title);
		p->title = S_title_from_slug(p->slug);
	}
	if (!dated && !p->draft)
		bb_diag_add(&b->diags, BB_NOTE, p->path, 0, 0, "no date in the file name or front matter");
	bb_date_ymd(&p->date, p->ymd);
	bb_fm_free(tree);
	free(text);
	return 0;
}

/* ---- ordering, filtering, grouping ---- */

static int
S_cmp_post(const void *a, const void *b)
{
	const bb_post *x = a, *y = b;
	long long ex = bb_date_epoch(&x->date), ey = bb_date_epoch(&y->date);
	if (ex != ey)
		return ex < ey ? -1 : 1;
	return strcmp(x->path, y->path);
}

static int
S_cmp_series(const void *a, const void *b)
{
	const bb_post *x = a, *y = b;
	if (x->part != y->part)
		return x->part < y->part ? -1 : 1;
	return S_cmp_post(a, b);
}

static int
S_has(char **v, size_t n, const char *s)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcasecmp(v[i], s) == 0)
			return 1;
	return 0;
}

/* Why a post is left out, or NULL when it stays. */
static const char *
S_filter(const bb_blog *b, const bb_post *p)
{
	const bb_options *o = &b->opt;
	size_t i;
	int any;
	if (p->draft && o->drafts != 1)
		return "a draft (use --drafts)";
	if (!p->published && o->unpublished != 1)
		return "published: false (use --unpublished)";
	if (o->since && strcmp(p->ymd, o->since) < 0)
		return "dated before --since";
	/* "2023" or "2023-06" as --until take in the whole year or month */
	if (o->until && strncmp(p->ymd, o->until, strlen(o->until) < 10 ? strlen(o->until) : 10) > 0)
		return "dated after --until";
	if (o->series && (!p->series || strcmp(p->series, o->series) != 0))
		return "not in the series";
	for (i = 0, any = 0; i < BB_MAX_FILTERS && o->categories[i]; i++)
		any |= 1 + S_has(p->categories, p->ncategories, o->categories[i]);
	if (any == 1)
		return "not in the categories asked for";
	for (i = 0, any = 0; i < BB_MAX_FILTERS && o->tags[i]; i++)
		any |= 1 + S_has(p->tags, p->ntags, o->tags[i]);
	if (any == 1)
		return "not tagged as asked";
	return NULL;
}

static char *
S_group_key(const bb_blog *b, const bb_post *p)
{
	switch (b->chapters) {
	case BB_CHAPTERS_YEAR:
		if (!p->ymd[0])
			return bb_xstrdup("Drafts");
		return bb_xasprintf("%04d", p->date.year);
	case BB_CHAPTERS_MONTH:
		if (!p->ymd[0])
			return bb_xstrdup("Drafts");
		return bb_xasprintf("%04d-%02d", p->date.year, p->date.mon);
	case BB_CHAPTERS_CATEGORY:
		return bb_xstrdup(p->ncategories ? p->categories[0] : "Uncategorized");
	case BB_CHAPTERS_SERIES:
		return bb_xstrdup(p->series ? p->series : "Other posts");
	default:
		return NULL;
	}
}

static void
S_group(bb_blog *b)
{
	size_t i, j, n = b->nposts;
	char **keys;
	size_t *gi;
	bb_post *sorted;
	bb_map gm;

	if (b->chapters == BB_CHAPTERS_POST || !n)
		return;
	memset(&gm, 0, sizeof gm);
	keys = bb_xcalloc(n, sizeof *keys);
	gi = bb_xcalloc(n, sizeof *gi);
	/* groups in order of their first post, posts keep their order inside */
	for (i = 0; i < n; i++) {
		size_t g;
		keys[i] = S_group_key(b, &b->posts[i]);
		if (!bb_map_get(&gm, keys[i], &g)) {
			g = b->ngroups++;
			b->groups = bb_xrealloc(b->groups, b->ngroups * sizeof *b->groups);
			memset(&b->groups[g], 0, sizeof b->groups[g]);
			b->groups[g].title = bb_xstrdup(keys[i]);
			snprintf(b->groups[g].id, sizeof b->groups[g].id, "g%04zu", g + 1);
			bb_map_put(&gm, keys[i], g);
		}
		gi[i] = g;
		b->groups[g].count++;
	}
	sorted = bb_xmalloc(n * sizeof *sorted);
	for (j = 0, i = 0; j < b->ngroups; j++) {
		size_t k;
		b->groups[j].first = i;
		for (k = 0; k < n; k++)
			if (gi[k] == j) {
				sorted[i] = b->posts[k];
				sorted[i].group = j;
				i++;
			}
	}
	free(b->posts);
	b->posts = sorted;
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	free(gi);
	bb_map_free(&gm);
}

/* ---- URLs ---- */

/* The post's path on the blog from a Jekyll permalink pattern. */
static char *
S_permalink(const bb_blog *b, const bb_post *p)
{
	const char *pat = p->permalink ? p->permalink : b->permalink;
	bb_buf u = BB_BUF_INIT;
	const char *s;
	char cats[512] = "";
	size_t i;

	if (b->hugo) {
		if (p->permalink)
			return bb_xstrdup(p->permalink);
		{
			const char *sec = p->path + strlen("content/");
			size_t n = strcspn(sec, "/");
			return bb_xasprintf("/%.*s/%s/", (int)n, sec, p->slug);
		}
	}
	if (!pat || strcmp(pat, "date") == 0)
		pat = "/:categories/:year/:month/:day/:title:output_ext";
	else if (strcmp(pat, "pretty") == 0)
		pat = "/:categories/:year/:month/:day/:title/";
	else if (strcmp(pat, "ordinal") == 0)
		pat = "/:categories/:year/:y_day/:title:output_ext";
	else if (strcmp(pat, "none") == 0)
		pat = "/:categories/:title:output_ext";
	for (i = 0; i < p->ncategories; i++) {
		if (strlen(cats) + strlen(p->categories[i]) + 2 >= sizeof cats)
			break;
		if (i)
			strcat(cats, "/");
		strcat(cats, p->categories[i]);
	}
	for (s = pat; *s;) {
		static const struct { const char *k; int what; } ph[] = {
			{ ":categories", 1 }, { ":year", 2 }, { ":month", 3 }, { ":day", 4 }, { ":title", 5 },
			{ ":slug", 5 }, { ":output_ext", 6 }, { ":i_month", 7 }, { ":i_day", 8 },
			{ ":short_year", 9 }, { ":y_day", 10 }, { ":hour", 11 }, { ":minute", 12 },
			{ ":second", 13 }, { ":name", 5 }
		};
		size_t k, hit = 0;
		if (*s == ':') {
			for (k = 0; k < sizeof ph / sizeof *ph; k++)
				if (strncmp(s, ph[k].k, strlen(ph[k].k)) == 0 && !isalnum((unsigned char)s[strlen(ph[k].k)]) &&
				    s[strlen(ph[k].k)] != '_') {
					hit = k + 1;
					break;
				}
		}
		if (!hit) {
			bb_buf_putc(&u, *s++);
			continue;
		}
		switch (ph[hit - 1].what) {
		case 1: bb_buf_puts(&u, cats); break;
		case 2: bb_buf_printf(&u, "%04d", p->date.year); break;
		case 3: bb_buf_printf(&u, "%02d", p->date.mon); break;
		case 4: bb_buf_printf(&u, "%02d", p->date.day); break;
		case 5: bb_buf_puts(&u, p->slug); break;
		case 6: bb_buf_puts(&u, ".html"); break;
		case 7: bb_buf_printf(&u, "%d", p->date.mon); break;
		case 8: bb_buf_printf(&u, "%d", p->date.day); break;
		case 9: bb_buf_printf(&u, "%02d", p->date.year % 100); break;
		case 10: {
			bb_date jan1 = p->date;
			jan1.mon = 1, jan1.day = 1, jan1.hour = jan1.min = jan1.sec = 0, jan1.tzoff = 0;
			{
				bb_date d0 = p->date;
				d0.hour = d0.min = d0.sec = 0, d0.tzoff = 0;
				bb_buf_printf(&u, "%03lld", (bb_date_epoch(&d0) - bb_date_epoch(&jan1)) / 86400 + 1);
			}
			break;
		}
		case 11: bb_buf_printf(&u, "%02d", p->date.hour); break;
		case 12: bb_buf_printf(&u, "%02d", p->date.min); break;
		case 13: bb_buf_printf(&u, "%02d", p->date.sec); break;
		}
		s += strlen(ph[hit - 1].k);
	}
	/* collapse double slashes left by empty placeholders */
	{
		char *r = u.data ? u.data : bb_xstrdup("/"), *w = r, *q;
		for (q = r; *q; q++)
			if (!(q[0] == '/' && q[1] == '/'))
				*w++ = *q;
		*w = '\0';
		if (!u.data)
			return r;
	}
	return bb_buf_detach(&u, NULL);
}

static void
S_index_urls(bb_blog *b)
{
	size_t i, k;
	for (i = 0; i < b->nposts; i++) {
		bb_post *p = &b->posts[i];
		char *key;
		snprintf(p->id, sizeof p->id, "p%05zu", i + 1);
		p->url = S_permalink(b, p);
		key = bb_url_key(p->url);
		bb_map_put(&b->by_url, key, i);
		free(key);
		if (!b->hugo) {
			/* the date URL without categories: links written before a
			 * category was added, or by hand, still find the post */
			char *alt = bb_xasprintf("/%04d/%02d/%02d/%s", p->date.year, p->date.mon, p->date.day, p->slug);
			key = bb_url_key(alt);
			bb_map_put(&b->by_url, key, i);
			free(key);
			free(alt);
		}
		for (k = 0; k < p->naliases; k++) {
			key = bb_url_key(p->aliases[k]);
			bb_map_put(&b->by_url, key, i);
			free(key);
		}
		bb_map_put(&b->by_name, p->basename, i);
		bb_map_put(&b->by_name, p->path, i);
		{
			char *slash = bb_xasprintf("/%s", p->path);
			bb_map_put(&b->by_name, slash, i);
			free(slash);
		}
	}
}

/* ---- the blog ---- */

void
bb_options_init(bb_options *o)
{
	memset(o, 0, sizeof *o);
	o->chapters = BB_CHAPTERS_UNSET;
	o->toc_depth = -1;
	o->vertical = -1;
	o->reverse = -1;
	o->drafts = -1;
	o->unpublished = -1;
	o->stitch = -1;
	o->strict = -1;
	o->jobs = -1;
	o->fetch_remote = -1;
	o->fetch_timeout = -1;
}

static bb_fm_node *
S_read_config(bb_blog *b, const char *name, int toml)
{
	char *path = bb_xasprintf("%s/%s", b->root, name), *text = NULL;
	size_t len;
	bb_fm_node *t = NULL;
	bb_fm_problem prob;
	if (bb_read_file(path, 1u << 20, &text, &len) == 0) {
		t = toml ? bb_fm_parse_toml(text, len, 1, &prob) : bb_fm_parse(text, len, 1, &prob);
		if (prob.line)
			bb_diag_add(&b->diags, BB_WARNING, name, prob.line, prob.col, "%s", prob.message);
		if (t && t->kind != BB_FM_MAP) {
			bb_fm_free(t);
			t = NULL;
		}
	}
	free(text);
	free(path);
	return t;
}

static bb_chapters
S_chapters(const char *s)
{
	if (!s)
		return BB_CHAPTERS_UNSET;
	if (strcmp(s, "post") == 0 || strcmp(s, "posts") == 0)
		return BB_CHAPTERS_POST;
	if (strcmp(s, "year") == 0)
		return BB_CHAPTERS_YEAR;
	if (strcmp(s, "month") == 0)
		return BB_CHAPTERS_MONTH;
	if (strcmp(s, "category") == 0)
		return BB_CHAPTERS_CATEGORY;
	if (strcmp(s, "series") == 0)
		return BB_CHAPTERS_SERIES;
	return BB_CHAPTERS_UNSET;
}

/* A UUID-shaped identifier derived from the blog, stable across runs. */
static char *
S_identifier(const bb_blog *b)
{
	unsigned long long h1 = BB_FNV_SEED, h2 = 0x84222325cbf29ce4ULL;
	const char *parts[3];
	size_t i;
	parts[0] = b->url ? b->url : "";
	parts[1] = b->title;
	parts[2] = b->author ? b->author : "";
	for (i = 0; i < 3; i++) {
		h1 = bb_fnv1a(h1, parts[i], strlen(parts[i]) + 1);
		h2 = bb_fnv1a(h2 ^ h1, parts[i], strlen(parts[i]) + 1);
	}
	/* version 8 (custom, RFC 9562), variant 10 */
	return bb_xasprintf("urn:uuid:%08llx-%04llx-8%03llx-%04llx-%012llx", h1 >> 32, (h1 >> 16) & 0xffff,
			    h1 & 0xfff, 0x8000 | ((h2 >> 48) & 0x3fff), h2 & 0xffffffffffffULL);
}

static const char *
S_dup_opt(const char *s)
{
	return s ? bb_xstrdup(s) : NULL;
}

bb_blog *
bb_collect(const bb_options *o)
{
	bb_blog *b = bb_xcalloc(1, sizeof *b);
	finder f;
	size_t i, kept;
	const char *s;
	char real[PATH_MAX];
	struct stat st;

	memset(&f, 0, sizeof f);
	b->opt = *o;
	b->opt.source_dir = S_dup_opt(o->source_dir);
	b->opt.output = S_dup_opt(o->output);
	b->opt.title = S_dup_opt(o->title);
	b->opt.author = S_dup_opt(o->author);
	b->opt.lang = S_dup_opt(o->lang);
	b->opt.templates_dir = S_dup_opt(o->templates_dir);
	b->opt.cover = S_dup_opt(o->cover);
	b->opt.cache_dir = S_dup_opt(o->cache_dir);
	b->opt.series = S_dup_opt(o->series);
	b->opt.since = S_dup_opt(o->since);
	b->opt.until = S_dup_opt(o->until);
	for (i = 0; i < BB_MAX_FILTERS; i++) {
		b->opt.categories[i] = S_dup_opt(o->categories[i]);
		b->opt.tags[i] = S_dup_opt(o->tags[i]);
	}
	b->sink.fn = o->diag;
	b->sink.ctx = o->diag_ctx;
	b->sink.root = b->opt.source_dir;
	b->cover = -1;
	pthread_mutex_init(&b->lock, NULL);

	if (!o->source_dir || stat(o->source_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "%s%s%s",
			    o->source_dir ? o->source_dir : "no blog folder given", o->source_dir ? ": not a folder: " : "",
			    o->source_dir ? strerror(errno ? errno : ENOTDIR) : "");
		goto fail;
	}
	b->root = bb_xstrdup(o->source_dir);
	if (!realpath(b->root, real)) {
		bb_diag_add(&b->diags, BB_ERROR, o->source_dir, 0, 0, "cannot resolve the folder: %s", strerror(errno));
		goto fail;
	}
	b->root_real = bb_xstrdup(real);

	/* settings */
	if (!(b->config = S_read_config(b, "_config.yml", 0)))
		b->config = S_read_config(b, "_config.yaml", 0);
	if (!b->config) {
		char *c = bb_xasprintf("%s/content", b->root);
		if (stat(c, &st) == 0 && S_ISDIR(st.st_mode)) {
			b->hugo = 1;
			if (!(b->config = S_read_config(b, "hugo.toml", 1)) && !(b->config = S_read_config(b, "config.toml", 1)))
				b->config = S_read_config(b, "config.yaml", 0);
		}
		free(c);
	}
	if (b->config) {
		const bb_fm_node *bs = bb_fm_get(b->config, "blogbind");
		if (bs && bs->kind == BB_FM_MAP)
			b->settings = bs;
	}
	s = S_setting(b, o->title, "title");
	if (!s) {
		const char *base = strrchr(b->root_real, '/');
		s = base && base[1] ? base + 1 : "Blog";
	}
	b->title = bb_xstrdup(s);
	if (o->author)
		b->author = bb_xstrdup(o->author);
	else if (b->settings && bb_fm_get(b->settings, "author"))
		b->author = S_author(b->settings, "author");
	else if (b->config)
		b->author = S_author(b->config, "author");
	if (!b->author && b->config) {
		const bb_fm_node *params = bb_fm_get(b->config, "params");
		if (params)
			b->author = S_author(params, "author");
	}
	if ((s = S_setting(b, o->lang, "lang")) || (s = S_setting(b, NULL, "languageCode")))
		if (!(b->lang = S_lang(s)))
			bb_diag_add(&b->diags, BB_WARNING, o->lang ? NULL : "_config.yml", 0, 0,
				    "'%s' is not a language tag; the posts' language is used", s);
	b->description = S_dup_or_null(S_setting(b, NULL, "description"));
	if (!b->description && b->config) {
		const bb_fm_node *params = bb_fm_get(b->config, "params");
		if (params)
			b->description = S_dup_or_null(bb_fm_str(params, "description"));
	}
	b->url = S_dup_or_null(S_setting(b, NULL, "url"));
	if (!b->url && b->hugo) {
		/* Hugo's baseURL is the whole address; its path is the base path */
		const char *u = S_setting(b, NULL, "baseURL");
		if (!u)
			u = S_setting(b, NULL, "baseurl");
		if (u && (strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0)) {
			const char *path = strchr(strstr(u, "://") + 3, '/');
			b->url = path ? bb_xstrndup(u, (size_t)(path - u)) : bb_xstrdup(u);
			if (path && path[1])
				b->baseurl = bb_xstrdup(path);
		}
	}
	if (b->url) {
		size_t n = strlen(b->url);
		while (n && b->url[n - 1] == '/')
			b->url[--n] = '\0';
		if (strncmp(b->url, "http://", 7) != 0 && strncmp(b->url, "https://", 8) != 0) {
			free(b->url);
			b->url = NULL;
		}
	}
	if (!b->hugo)
		b->baseurl = S_dup_or_null(S_setting(b, NULL, "baseurl"));
	if (b->baseurl) {
		size_t n = strlen(b->baseurl);
		while (n && b->baseurl[n - 1] == '/')
			b->baseurl[--n] = '\0';
	}
	b->permalink = S_dup_or_null(S_setting(b, NULL, "permalink"));
	b->vertical = S_int_setting(b, o->vertical, "vertical", 0);
	b->toc_depth = S_int_setting(b, o->toc_depth, "toc_depth", 2);
	if (b->toc_depth < 1)
		b->toc_depth = 1;
	if (b->toc_depth > 6)
		b->toc_depth = 6;
	b->stitch = S_int_setting(b, o->stitch, "stitch", 1);
	b->chapters = o->chapters;
	if (b->chapters == BB_CHAPTERS_UNSET && b->settings && (s = bb_fm_str(b->settings, "chapters"))) {
		b->chapters = S_chapters(s);
		if (b->chapters == BB_CHAPTERS_UNSET)
			bb_diag_add(&b->diags, BB_WARNING, "_config.yml", bb_fm_get(b->settings, "chapters")->line,
				    bb_fm_get(b->settings, "chapters")->col,
				    "chapters: '%s' is not post, year, month, category or series; post is used", s);
	}
	if (b->chapters == BB_CHAPTERS_UNSET)
		b->chapters = BB_CHAPTERS_POST;
	if (b->opt.reverse < 0)
		b->opt.reverse = S_int_setting(b, -1, "reverse", 0);
	if (b->opt.drafts < 0)
		b->opt.drafts = S_int_setting(b, -1, "drafts", 0);
	if (b->opt.unpublished < 0)
		b->opt.unpublished = S_int_setting(b, -1, "unpublished", 0);
	if (b->opt.strict < 0)
		b->opt.strict = S_int_setting(b, -1, "strict", 0);
	if (!b->opt.series && b->settings && (s = bb_fm_str(b->settings, "series")))
		b->opt.series = bb_xstrdup(s);
	if (!b->opt.since && b->settings && (s = bb_fm_str(b->settings, "since")))
		b->opt.since = bb_xstrdup(s);
	if (!b->opt.until && b->settings && (s = bb_fm_str(b->settings, "until")))
		b->opt.until = bb_xstrdup(s);

	/* posts */
	f.drafts = b->opt.drafts == 1;
	f.hugo = b->hugo;
	f.root_real = b->root_real;
	f.dl = &b->diags;
	if (b->hugo)
		S_walk_hugo(&f, b->root);
	else
		S_walk_site(&f, b->root, "", 0);
	b->posts = bb_xcalloc(f.n ? f.n : 1, sizeof *b->posts);
	for (i = 0, kept = 0; i < f.n; i++) {
		bb_post *p = &b->posts[kept];
		const char *why;
		if (S_read_post(b, p, &f.v[i]) != 0) {
			S_post_free(p);
			memset(p, 0, sizeof *p);
			continue;
		}
		if (!p->date.year && p->draft) {
			/* drafts without a date go last, after the newest post */
			p->date.year = 9999, p->date.mon = 12, p->date.day = 31;
		}
		if ((why = S_filter(b, p))) {
			bb_diag_add(&b->diags, BB_NOTE, p->path, 0, 0, "left out: %s", why);
			S_post_free(p);
			memset(p, 0, sizeof *p);
			continue;
		}
		kept++;
	}
	b->nposts = kept;
	for (i = 0; i < f.n; i++) {
		free(f.v[i].path);
		free(f.v[i].cats);
	}
	free(f.v);
	bb_map_free(&f.seen);
	qsort(b->posts, b->nposts, sizeof *b->posts, b->opt.series ? S_cmp_series : S_cmp_post);
	if (b->opt.reverse == 1)
		for (i = 0; i < b->nposts / 2; i++) {
			bb_post t = b->posts[i];
			b->posts[i] = b->posts[b->nposts - 1 - i];
			b->posts[b->nposts - 1 - i] = t;
		}
	for (i = 0; i < b->nposts; i++)
		if (b->posts[i].date.year == 9999) {
			/* a draft's placeholder date is not shown */
			b->posts[i].ymd[0] = '\0';
		}
	S_group(b);
	S_index_urls(b);

	/* the book's language: the setting, else the one most posts declare */
	if (!b->lang) {
		/* counted in a map: a blog of ten thousand posts must not take
		 * ten thousand squared comparisons */
		bb_map count;
		size_t best = 0, *tally = bb_xcalloc(b->nposts + 1, sizeof *tally);
		memset(&count, 0, sizeof count);
		for (i = 0; i < b->nposts; i++) {
			size_t k;
			if (!b->posts[i].lang)
				continue;
			if (!bb_map_get(&count, b->posts[i].lang, &k)) {
				k = i;
				bb_map_put(&count, b->posts[i].lang, k);
			}
			if (++tally[k] > best) {
				best = tally[k];
				free(b->lang);
				b->lang = bb_xstrdup(b->posts[i].lang);
			}
		}
		bb_map_free(&count);
		free(tally);
		if (!b->lang)
			b->lang = bb_xstrdup("en");
	}
	b->identifier = S_identifier(b);
	{
		bb_date d;
		char w3c[32];
		const char *sde = getenv("SOURCE_DATE_EPOCH");
		long long newest = 0;
		if (sde && *sde) {
			newest = strtoll(sde, NULL, 10);
		} else {
			for (i = 0; i < b->nposts; i++)
				if (b->posts[i].date.year && b->posts[i].date.year < 9999 &&
				    bb_date_epoch(&b->posts[i].date) > newest)
					newest = bb_date_epoch(&b->posts[i].date);
			if (!newest)
				newest = 946684800; /* 2000-01-01: no dated post at all */
		}
		bb_date_from_epoch(newest, &d);
		bb_date_w3c_utc(&d, w3c);
		b->modified = bb_xstrdup(w3c);
	}
	if (b->vertical && !bb_lang_cjk(b->lang))
		bb_diag_add(&b->diags, BB_NOTE, NULL, 0, 0,
			    "vertical writing applies to Japanese, Chinese and Korean pages; this book is '%s', so only its "
			    "posts in those languages are set vertically", b->lang);
	if (!b->nposts)
		bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "no post to bind in %s%s", b->root,
			    f.n ? " (every post was left out: see -v)" : " (no _posts folder, or it is empty)");
	if (!(b->tpl = bb_templates_load(b->opt.templates_dir, &b->diags)))
		goto fail;
	{
		const char *cover = o->cover ? o->cover : S_setting(b, NULL, "cover");
		if (cover) {
			const char *why = NULL;
			char *rel = bb_resolve_local(b, NULL, cover, &why);
			long idx = rel ? bb_image_add(b, rel, &why) : -1;
			if (idx < 0 && !rel && o->cover && access(o->cover, R_OK) == 0) {
				/* a cover named on the command line may lie anywhere: the
				 * user chose it (one from _config.yml stays in the blog) */
				const char *base = strrchr(o->cover, '/');
				base = base ? base + 1 : o->cover;
				idx = bb_image_add_file(b, o->cover, base, base, strlen(base), &why);
			}
			if (idx < 0)
				bb_diag_add(&b->diags, BB_WARNING, o->cover ? NULL : "_config.yml", 0, 0,
					    "cover image '%s' %s; a cover page is made instead", cover, why ? why : "not found");
			else {
				b->cover = idx;
				b->images[idx].is_cover = 1;
			}
			free(rel);
		}
	}
	bb_diag_flush(&b->sink, &b->diags);
	if (b->sink.errors)
		goto fail_flushed;
	return b;
fail:
	bb_diag_flush(&b->sink, &b->diags);
fail_flushed:
	bb_blog_free(b);
	return NULL;
}

void
bb_blog_free(bb_blog *b)
{
	size_t i;
	if (!b)
		return;
	for (i = 0; i < b->nposts; i++)
		S_post_free(&b->posts[i]);
	free(b->posts);
	for (i = 0; i < b->ngroups; i++)
		free(b->groups[i].title);
	free(b->groups);
	for (i = 0; i < b->nimages; i++) {
		free(b->images[i].src);
		free(b->images[i].name);
	}
	free(b->images);
	bb_map_free(&b->by_url);
	bb_map_free(&b->by_name);
	bb_map_free(&b->by_image);
	bb_templates_free(b->tpl);
	bb_fm_free(b->config);
	free(b->root);
	free(b->root_real);
	free(b->title);
	free(b->author);
	free(b->lang);
	free(b->description);
	free(b->url);
	free(b->baseurl);
	free(b->permalink);
	free(b->identifier);
	free(b->modified);
	free((char *)b->opt.source_dir);
	free((char *)b->opt.output);
	free((char *)b->opt.title);
	free((char *)b->opt.author);
	free((char *)b->opt.lang);
	free((char *)b->opt.templates_dir);
	free((char *)b->opt.cover);
	free((char *)b->opt.cache_dir);
	free((char *)b->opt.series);
	free((char *)b->opt.since);
	free((char *)b->opt.until);
	for (i = 0; i < BB_MAX_FILTERS; i++) {
		free((char *)b->opt.categories[i]);
		free((char *)b->opt.tags[i]);
	}
	bb_diag_clear(&b->diags);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

const char *
bb_blog_title(const bb_blog *b)
{
	return b->title;
}

size_t
bb_blog_plan(const bb_blog *b, bb_plan_fn fn, void *ctx)
{
	size_t i;
	for (i = 0; i < b->nposts; i++) {
		bb_plan_entry e;
		const bb_post *p = &b->posts[i];
		e.chapter_index = b->ngroups ? p->group : i;
		e.chapter = b->ngroups ? b->groups[p->group].title : p->title;
		e.date = p->ymd;
		e.title = p->title;
		e.file = p->path;
		if (fn)
			fn(ctx, &e);
	}
	return b->nposts;
}
