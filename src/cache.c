/* cache.c: the chapter cache of --cache-dir (cache.h). Keys and checksums
 * are SHA-256 from Nettle: a key names the rendering's inputs, so two
 * different inputs must never share one (a 32-bit CRC or a 64-bit FNV
 * would, among millions of entries, by chance or on purpose).
 *
 * An entry, DIR/chapters/KEY (KEY: 64 hex digits):
 *   "BBCHAP01", the key (32 bytes), the payload's length (8 bytes, LE),
 *   the payload, SHA-256 of everything before it (32 bytes).
 * The payload (integers little-endian, u32 unless said; a string is its
 * length, 0xffffffff for none, its bytes and a NUL):
 *   facts; nparts, each: size (u64), crc, props, length (u64), deflated bytes;
 *   nheadings, each: level, id, text, part;
 *   nimages, each: kind, path, hash_from, base, name;
 *   nlinks, each: href, answer;
 *   ndiags, each: severity, outside, path, line, col, message. */
#define _GNU_SOURCE /* memmem */
#include "cache.h"
#include "liquid.h"
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* made by the Makefile from the program's sources; a build without it
 * (the fuzz scripts) keys by the version alone */
#if defined(__has_include)
#if __has_include("buildid.h")
#include "buildid.h"
#endif
#endif
#ifndef BB_BUILD_ID
#define BB_BUILD_ID "unknown"
#endif

#define MAGIC "BBCHAP01"
#define HEAD (8 + 32 + 8)
#define TAIL 32
/* The largest entry read back. */
#define ENTRY_MAX ((size_t)512 << 20)
/* Support files (_data, _includes) hashed into the keys of posts that use
 * Liquid: at most this many bytes each, this deep. */
#define TREE_FILE_MAX ((size_t)16 << 20)
#define TREE_DEPTH 8
/* A temporary file older than this is a killed run's. */
#define STALE_TMP_S 600

struct bb_ccache {
	bb_blog *b;
	char *dir;
	unsigned char book[SHA256_DIGEST_SIZE];
	pthread_mutex_t mu;
	int have_site;
	unsigned char site[SHA256_DIGEST_SIZE];
	unsigned long seq;
};

/* ---- hashing ---- */

static void
S_h_bytes(struct sha256_ctx *h, const void *p, size_t n)
{
	unsigned char len[8];
	int i;
	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)((unsigned long long)n >> (8 * i));
	sha256_update(h, 8, len);
	sha256_update(h, n, p);
}

/* A string, told apart from NULL and from its neighbours. */
static void
S_h_str(struct sha256_ctx *h, const char *s)
{
	if (!s)
		S_h_bytes(h, "\xff", 1), sha256_update(h, 1, (const uint8_t *)"N");
	else
		S_h_bytes(h, s, strlen(s));
}

static void
S_h_int(struct sha256_ctx *h, long long v)
{
	char num[32];
	snprintf(num, sizeof num, "%lld", v);
	S_h_str(h, num);
}

static void
S_h_list(struct sha256_ctx *h, char *const *v, size_t n)
{
	size_t i;
	S_h_int(h, (long long)n);
	for (i = 0; i < n; i++)
		S_h_str(h, v[i]);
}

/* A file's bytes ("-" when it cannot be read). */
static void
S_h_file(struct sha256_ctx *h, const char *path, size_t max)
{
	char *data = NULL;
	size_t len = 0;
	if (bb_read_file(path, max, &data, &len) == 0)
		S_h_bytes(h, data, len);
	else
		S_h_str(h, "-");
	free(data);
}

static int
S_cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Every file under dir, in name order: names and bytes. */
static void
S_h_tree(struct sha256_ctx *h, const char *dir, int depth)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	if (depth > TREE_DEPTH || !(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap)
			names = bb_xrealloc(names, (cap = cap ? cap * 2 : 16) * sizeof *names);
		names[n++] = bb_xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, S_cmp_str);
	for (i = 0; i < n; i++) {
		char *p = bb_xasprintf("%s/%s", dir, names[i]);
		struct stat st;
		S_h_str(h, names[i]);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			S_h_tree(h, p, depth + 1);
		else if (S_ISREG(st.st_mode))
			S_h_file(h, p, TREE_FILE_MAX);
		free(p);
		free(names[i]);
	}
	free(names);
}

/* The fields of a post the rendering reads (the text is hashed apart). */
static void
S_h_post(struct sha256_ctx *h, const bb_post *p)
{
	S_h_str(h, p->path);
	S_h_str(h, p->slug);
	S_h_str(h, p->basename);
	S_h_str(h, p->title);
	S_h_str(h, p->author);
	S_h_str(h, p->excerpt);
	S_h_str(h, p->lang);
	S_h_int(h, p->lang_detected);
	S_h_str(h, p->permalink);
	S_h_list(h, p->categories, p->ncategories);
	S_h_list(h, p->tags, p->ntags);
	S_h_list(h, p->aliases, p->naliases);
	S_h_str(h, p->series);
	S_h_int(h, p->part);
	S_h_int(h, p->date.year), S_h_int(h, p->date.mon), S_h_int(h, p->date.day);
	S_h_int(h, p->date.hour), S_h_int(h, p->date.min), S_h_int(h, p->date.sec);
	S_h_int(h, p->date.tzoff), S_h_int(h, p->date.has_time);
	S_h_str(h, p->ymd);
	S_h_int(h, p->draft), S_h_int(h, p->published), S_h_int(h, p->is_html);
	S_h_int(h, (long long)p->body_line);
	S_h_str(h, p->source_url);
	S_h_str(h, p->source_id);
	S_h_str(h, p->asset_dir);
	S_h_str(h, p->url);
	S_h_str(h, p->id);
}

/* What every chapter of the book shares: the program, the options, the
 * blog's settings, its settings file (or export file) and the chapter
 * template. */
static void
S_book_digest(const bb_blog *b, unsigned char out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx h;
	const bb_options *o = &b->opt;
	size_t i, tlen = 0;
	const char *tpl = bb_template_get(b->tpl, "chapter.xhtml", &tlen);
	sha256_init(&h);
	S_h_str(&h, "blogbind chapter cache 1");
	S_h_str(&h, BB_VERSION);
	S_h_str(&h, BB_BUILD_ID);
	S_h_str(&h, o->title), S_h_str(&h, o->author), S_h_str(&h, o->lang);
	S_h_str(&h, o->series), S_h_str(&h, o->since), S_h_str(&h, o->until);
	for (i = 0; i < BB_MAX_FILTERS && o->categories[i]; i++)
		S_h_str(&h, o->categories[i]);
	S_h_str(&h, "|");
	for (i = 0; i < BB_MAX_FILTERS && o->tags[i]; i++)
		S_h_str(&h, o->tags[i]);
	S_h_int(&h, o->chapters), S_h_int(&h, o->toc_depth), S_h_int(&h, o->vertical), S_h_int(&h, o->reverse);
	S_h_int(&h, o->drafts), S_h_int(&h, o->unpublished), S_h_int(&h, o->stitch), S_h_int(&h, o->fetch_remote);
	S_h_str(&h, o->source), S_h_str(&h, o->media_dir);
	S_h_int(&h, o->pages), S_h_int(&h, o->comments), S_h_int(&h, o->math), S_h_int(&h, o->highlight);
	S_h_int(&h, o->image_max_px), S_h_int(&h, o->max_size_mb);
	S_h_str(&h, b->title), S_h_str(&h, b->author), S_h_str(&h, b->lang), S_h_str(&h, b->description);
	S_h_str(&h, b->url), S_h_str(&h, b->baseurl), S_h_str(&h, b->permalink);
	S_h_str(&h, b->src ? b->src->label : NULL);
	S_h_str(&h, b->config_name);
	for (i = 0; i < 4; i++)
		S_h_str(&h, b->asset_dirs[i]);
	S_h_int(&h, b->hugo), S_h_int(&h, b->vertical), S_h_int(&h, b->dialect), S_h_int(&h, b->toc_depth);
	S_h_int(&h, b->stitch), S_h_int(&h, b->chapters);
	S_h_bytes(&h, tpl ? tpl : "", tpl ? tlen : 0);
	if (b->config_name && !b->export_path) {
		char *p = bb_xasprintf("%s/%s", b->root, b->config_name);
		S_h_file(&h, p, (size_t)16 << 20);
		free(p);
	}
	/* an export file's posts read its attachments and comments too */
	if (b->export_path)
		S_h_file(&h, b->export_path, (size_t)1 << 31);
	sha256_digest(&h, SHA256_DIGEST_SIZE, out);
}

/* What Liquid may read of the rest of the blog: every post's fields
 * (site.posts, post_url), _data and _includes. Worked out once. */
static const unsigned char *
S_site_digest(bb_ccache *c)
{
	pthread_mutex_lock(&c->mu);
	if (!c->have_site) {
		struct sha256_ctx h;
		const bb_blog *b = c->b;
		size_t i;
		char *p;
		sha256_init(&h);
		S_h_int(&h, (long long)b->nposts);
		for (i = 0; i < b->nposts; i++)
			S_h_post(&h, &b->posts[i]);
		p = bb_xasprintf("%s/_data", b->root);
		S_h_tree(&h, p, 0);
		free(p);
		p = bb_xasprintf("%s/_includes", b->root);
		S_h_str(&h, "_includes");
		S_h_tree(&h, p, 0);
		free(p);
		sha256_digest(&h, SHA256_DIGEST_SIZE, c->site);
		c->have_site = 1;
	}
	pthread_mutex_unlock(&c->mu);
	return c->site;
}

/* 1 when needle (n bytes) occurs in text (len bytes). */
static int
S_has(const char *text, size_t len, const char *needle, size_t n)
{
	return memmem(text, len, needle, n) != NULL;
}

static void
S_hex(const unsigned char *d, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;
	for (i = 0; i < n; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * n] = '\0';
}

int
bb_ccache_key(bb_ccache *c, size_t idx, char key[65])
{
	const bb_blog *b = c->b;
	const bb_post *p = &b->posts[idx];
	struct sha256_ctx h;
	unsigned char d[SHA256_DIGEST_SIZE];
	char *data = NULL;
	const char *text;
	size_t len;
	int macros;
	if (p->body) {
		text = p->body;
		len = strlen(p->body);
	} else if (b->post_text) {
		unsigned line;
		bb_diaglist quiet = { 0 };
		int rc = b->post_text(b, p, &data, &len, &line, &quiet);
		bb_diag_clear(&quiet);
		if (rc != 0)
			return -1;
		text = data;
	} else {
		char *path = bb_xasprintf("%s/%s", b->root, p->path);
		int rc = bb_read_file(path, (size_t)BB_MAX_POST_BYTES * 2, &data, &len);
		free(path);
		if (rc != 0) {
			free(data);
			return -1;
		}
		text = data;
	}
	/* a file read relative to the post could be any file of the blog */
	if (S_has(text, len, "include_relative", 16)) {
		free(data);
		return -1;
	}
	macros = b->hugo ? S_has(text, len, "{{", 2) : bb_liquid_present(text, len);
	sha256_init(&h);
	sha256_update(&h, sizeof c->book, c->book);
	S_h_post(&h, p);
	S_h_bytes(&h, text, len);
	if (macros)
		sha256_update(&h, SHA256_DIGEST_SIZE, S_site_digest(c));
	sha256_digest(&h, SHA256_DIGEST_SIZE, d);
	free(data);
	S_hex(d, sizeof d, key);
	return 0;
}

/* ---- entries: writing ---- */

static void
S_u32(bb_buf *o, unsigned long v)
{
	unsigned char b[4];
	int i;
	for (i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	bb_buf_put(o, (const char *)b, 4);
}

static void
S_u64(bb_buf *o, unsigned long long v)
{
	unsigned char b[8];
	int i;
	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	bb_buf_put(o, (const char *)b, 8);
}

static void
S_str(bb_buf *o, const char *s, size_t n)
{
	if (!s) {
		S_u32(o, 0xffffffffUL);
		return;
	}
	S_u32(o, (unsigned long)n);
	bb_buf_put(o, s, n);
	bb_buf_putc(o, '\0');
}

static void
S_cstr(bb_buf *o, const char *s)
{
	S_str(o, s, s ? strlen(s) : 0);
}

/* ---- recording ---- */

static pthread_key_t S_deps_key;
static pthread_once_t S_deps_once = PTHREAD_ONCE_INIT;

static void
S_deps_init(void)
{
	pthread_key_create(&S_deps_key, NULL);
}

void
bb_deps_begin(bb_deps *d)
{
	pthread_once(&S_deps_once, S_deps_init);
	pthread_setspecific(S_deps_key, d);
}

void
bb_deps_end(void)
{
	pthread_once(&S_deps_once, S_deps_init);
	pthread_setspecific(S_deps_key, NULL);
}

static bb_deps *
S_deps(void)
{
	pthread_once(&S_deps_once, S_deps_init);
	return pthread_getspecific(S_deps_key);
}

int
bb_deps_recording(void)
{
	return S_deps() != NULL;
}

void
bb_deps_image(int kind, const char *path, const char *hash_from, const char *base, size_t base_len,
	      const char *name)
{
	bb_deps *d = S_deps();
	if (!d)
		return;
	S_u32(&d->images, (unsigned long)kind);
	S_cstr(&d->images, path);
	S_cstr(&d->images, hash_from);
	S_str(&d->images, base, base ? base_len : 0);
	S_cstr(&d->images, name);
	d->nimages++;
}

void
bb_deps_link(const char *href, const char *answer)
{
	bb_deps *d = S_deps();
	if (!d)
		return;
	S_cstr(&d->links, href);
	S_cstr(&d->links, answer);
	d->nlinks++;
}

/* ---- entries: reading ---- */

typedef struct rd {
	const unsigned char *p;
	size_t n, off;
	int bad;
} rd;

static unsigned long long
S_rn(rd *r, int bytes)
{
	unsigned long long v = 0;
	int i;
	if (r->bad || r->n - r->off < (size_t)bytes) {
		r->bad = 1;
		return 0;
	}
	for (i = 0; i < bytes; i++)
		v |= (unsigned long long)r->p[r->off + i] << (8 * i);
	r->off += (size_t)bytes;
	return v;
}

/* A string inside the entry (NUL-terminated there), or NULL. */
static const char *
S_rstr(rd *r)
{
	unsigned long long n = S_rn(r, 4);
	const char *s;
	if (r->bad || n == 0xffffffffULL)
		return NULL;
	if (r->n - r->off < n + 1 || r->p[r->off + n] != '\0') {
		r->bad = 1;
		return NULL;
	}
	s = (const char *)r->p + r->off;
	r->off += (size_t)n + 1;
	return s;
}

/* Skips count records of the given shape ('u' u32, 's' string). */
static void
S_rskip(rd *r, unsigned count, const char *shape)
{
	unsigned i;
	const char *c;
	for (i = 0; i < count && !r->bad; i++)
		for (c = shape; *c; c++)
			if (*c == 'u')
				S_rn(r, 4);
			else
				S_rstr(r);
}

void
bb_centry_free(bb_centry *e)
{
	size_t i;
	if (!e)
		return;
	for (i = 0; i < e->nheadings; i++) {
		free(e->headings[i].id);
		free(e->headings[i].text);
	}
	free(e->headings);
	free(e->parts);
	free(e->buf);
	memset(e, 0, sizeof *e);
}

/* Reads the payload into e; returns 0 or -1 (malformed). */
static int
S_parse(bb_centry *e, const unsigned char *p, size_t n)
{
	rd r = { p, n, 0, 0 };
	unsigned long long k, m;
	size_t start;
	e->facts = (unsigned)S_rn(&r, 4);
	m = S_rn(&r, 4);
	if (r.bad || m == 0 || m > 100000)
		return -1;
	e->nparts = (int)m;
	e->parts = bb_xcalloc((size_t)m, sizeof *e->parts);
	for (k = 0; k < m && !r.bad; k++) {
		bb_cpart *c = &e->parts[k];
		unsigned long long len;
		c->size = S_rn(&r, 8);
		c->crc = (unsigned long)S_rn(&r, 4);
		c->props = (unsigned)S_rn(&r, 4);
		len = S_rn(&r, 8);
		if (r.bad || r.n - r.off < len)
			return -1;
		c->data = r.p + r.off;
		c->len = (size_t)len;
		r.off += (size_t)len;
	}
	m = S_rn(&r, 4);
	if (r.bad || m > 1000000)
		return -1;
	e->headings = bb_xcalloc(m ? (size_t)m : 1, sizeof *e->headings);
	for (k = 0; k < m && !r.bad; k++) {
		bb_heading *h = &e->headings[k];
		const char *id, *text;
		h->level = (int)S_rn(&r, 4);
		id = S_rstr(&r);
		text = S_rstr(&r);
		h->part = (int)S_rn(&r, 4);
		if (r.bad || !id || h->part < 0 || h->part >= e->nparts)
			return -1;
		h->id = bb_xstrdup(id);
		h->text = text ? bb_xstrdup(text) : NULL;
		e->nheadings++;
	}
	e->nimages = (unsigned)S_rn(&r, 4);
	start = r.off;
	S_rskip(&r, e->nimages, "ussss");
	e->images = (const char *)p + start, e->images_len = r.off - start;
	e->nlinks = (unsigned)S_rn(&r, 4);
	start = r.off;
	S_rskip(&r, e->nlinks, "ss");
	e->links = (const char *)p + start, e->links_len = r.off - start;
	e->ndiags = (unsigned)S_rn(&r, 4);
	start = r.off;
	S_rskip(&r, e->ndiags, "uusuus");
	e->diags = (const char *)p + start, e->diags_len = r.off - start;
	return r.bad || r.off != r.n ? -1 : 0;
}

static int
S_unhex(const char *key, unsigned char out[32])
{
	int i;
	for (i = 0; i < 64; i++) {
		int c = key[i], v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return -1;
		if (i % 2 == 0)
			out[i / 2] = (unsigned char)(v << 4);
		else
			out[i / 2] |= (unsigned char)v;
	}
	return 0;
}

/* Reads a whole entry (at most ENTRY_MAX bytes) into *data, and marks it
 * used (its time set to now, unless set within the last hour: the order
 * --cache-max removes in needs no finer grain). Returns 0, or -1 with
 * errno set. */
static int
S_read_entry(const char *path, char **data, size_t *len)
{
	struct stat st;
	size_t off = 0;
	char *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	*data = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (unsigned long long)st.st_size > ENTRY_MAX) {
		close(fd);
		errno = EFBIG;
		return -1;
	}
	buf = bb_xmalloc((size_t)st.st_size + 1);
	while (off < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + off, (size_t)st.st_size - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		off += (size_t)r;
	}
	if (time(NULL) - st.st_mtime > 3600)
		futimens(fd, NULL);
	close(fd);
	*data = buf;
	*len = off;
	return 0;
}

int
bb_ccache_load(bb_ccache *c, const char *key, const char *post_path, bb_centry *e, bb_diaglist *dl)
{
	char *path = bb_xasprintf("%s/%s", c->dir, key);
	char *data = NULL;
	size_t len = 0;
	unsigned char raw[32], sum[SHA256_DIGEST_SIZE];
	unsigned long long plen = 0;
	struct sha256_ctx h;
	const char *why = NULL;
	int i;
	memset(e, 0, sizeof *e);
	if (S_read_entry(path, &data, &len) != 0) {
		int missing = errno == ENOENT;
		free(data);
		free(path);
		if (missing)
			return 0;
		bb_diag_add(dl, BB_NOTE, post_path, 0, 0, "cache entry %.12s cannot be read; rendered again", key);
		return -1;
	}
	for (i = 0; i < 8 && len >= HEAD; i++)
		plen |= (unsigned long long)(unsigned char)data[40 + i] << (8 * i);
	S_unhex(key, raw);
	if (len < HEAD + TAIL)
		why = "truncated";
	else if (memcmp(data, MAGIC, 8) != 0)
		why = "not a chapter entry";
	else if (memcmp(data + 8, raw, 32) != 0)
		why = "another key's";
	else if (plen != len - HEAD - TAIL)
		why = "truncated";
	else {
		sha256_init(&h);
		sha256_update(&h, len - TAIL, (const uint8_t *)data);
		sha256_digest(&h, sizeof sum, sum);
		if (memcmp(sum, data + len - TAIL, TAIL) != 0)
			why = "corrupted (checksum)";
	}
	e->buf = data;
	e->len = len;
	if (!why && S_parse(e, (const unsigned char *)data + HEAD, len - HEAD - TAIL) != 0)
		why = "malformed";
	if (why) {
		bb_diag_add(dl, BB_NOTE, post_path, 0, 0, "cache entry %.12s is %s; rendered again", key, why);
		bb_centry_free(e);
		free(path);
		return -1;
	}
	free(path);
	return 1;
}

int
bb_ccache_store(bb_ccache *c, const char *key, unsigned facts, const bb_cpart *parts, int nparts,
		const bb_heading *hs, size_t nh, const bb_deps *d, const bb_diaglist *dl)
{
	bb_buf o = BB_BUF_INIT;
	unsigned char raw[32], sum[SHA256_DIGEST_SIZE];
	struct sha256_ctx h;
	char *tmp, *final;
	size_t i, plen;
	int k, fd, rc = -1;
	unsigned long seq;

	if (S_unhex(key, raw) != 0)
		return -1;
	bb_buf_put(&o, MAGIC, 8);
	bb_buf_put(&o, (const char *)raw, 32);
	S_u64(&o, 0); /* the payload's length, below */
	S_u32(&o, facts);
	S_u32(&o, (unsigned long)nparts);
	for (k = 0; k < nparts; k++) {
		S_u64(&o, parts[k].size);
		S_u32(&o, parts[k].crc);
		S_u32(&o, parts[k].props);
		S_u64(&o, parts[k].len);
		bb_buf_put(&o, (const char *)parts[k].data, parts[k].len);
	}
	S_u32(&o, (unsigned long)nh);
	for (i = 0; i < nh; i++) {
		S_u32(&o, (unsigned long)hs[i].level);
		S_cstr(&o, hs[i].id ? hs[i].id : "");
		S_cstr(&o, hs[i].text);
		S_u32(&o, (unsigned long)hs[i].part);
	}
	S_u32(&o, d->nimages);
	bb_buf_put(&o, d->images.data ? d->images.data : "", d->images.len);
	S_u32(&o, d->nlinks);
	bb_buf_put(&o, d->links.data ? d->links.data : "", d->links.len);
	S_u32(&o, (unsigned long)dl->n);
	for (i = 0; i < dl->n; i++) {
		const bb_diag_rec *r = &dl->v[i];
		S_u32(&o, (unsigned long)r->severity);
		S_u32(&o, (unsigned long)r->outside);
		S_cstr(&o, r->path);
		S_u32(&o, r->line);
		S_u32(&o, r->col);
		S_cstr(&o, r->message);
	}
	plen = o.len - HEAD;
	for (k = 0; k < 8; k++)
		o.data[40 + k] = (char)(unsigned char)((unsigned long long)plen >> (8 * k));
	sha256_init(&h);
	sha256_update(&h, o.len, (const uint8_t *)o.data);
	sha256_digest(&h, sizeof sum, sum);
	bb_buf_put(&o, (const char *)sum, sizeof sum);

	pthread_mutex_lock(&c->mu);
	seq = ++c->seq;
	pthread_mutex_unlock(&c->mu);
	/* a whole file under a temporary name, then renamed: another run (or
	 * this one, killed) never sees half an entry under a key */
	tmp = bb_xasprintf("%s/.tmp-%ld-%lu-XXXXXX", c->dir, (long)getpid(), seq);
	final = bb_xasprintf("%s/%s", c->dir, key);
	if ((fd = mkstemp(tmp)) >= 0) {
		size_t off = 0;
		while (off < o.len) {
			ssize_t w = write(fd, o.data + off, o.len - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		fchmod(fd, 0644);
		if (close(fd) == 0 && off == o.len && rename(tmp, final) == 0)
			rc = 0;
		else
			unlink(tmp);
	}
	free(tmp);
	free(final);
	bb_buf_free(&o);
	return rc;
}

int
bb_centry_replay_images(bb_blog *b, const bb_post *p, const bb_centry *e)
{
	rd r = { (const unsigned char *)e->images, e->images_len, 0, 0 };
	unsigned i;
	for (i = 0; i < e->nimages; i++) {
		int kind = (int)S_rn(&r, 4);
		const char *path = S_rstr(&r), *from = S_rstr(&r), *base = S_rstr(&r), *name = S_rstr(&r);
		const char *why = NULL;
		char now[512];
		long idx;
		if (r.bad || !path || !name || kind == BB_DEPS_FAILED)
			return -1;
		if (kind == BB_DEPS_MISSING) {
			char *rel = bb_resolve_local(b, p, path, &why);
			free(rel);
			if (rel)
				return -1;
			continue;
		}
		idx = kind == 0 ? bb_image_add(b, path, &why)
				: bb_image_add_file(b, path, from ? from : "", base ? base : "", base ? strlen(base) : 0, &why);
		now[0] = '\0';
		if (idx >= 0)
			bb_image_name(b, idx, now, sizeof now);
		if (strcmp(now, name) != 0)
			return -1;
	}
	return 0;
}

void
bb_centry_replay_diags(const bb_centry *e, bb_diaglist *dl)
{
	rd r = { (const unsigned char *)e->diags, e->diags_len, 0, 0 };
	unsigned i;
	for (i = 0; i < e->ndiags && !r.bad; i++) {
		bb_severity sev = (bb_severity)S_rn(&r, 4);
		int outside = (int)S_rn(&r, 4);
		const char *path = S_rstr(&r);
		unsigned line = (unsigned)S_rn(&r, 4), col = (unsigned)S_rn(&r, 4);
		const char *msg = S_rstr(&r);
		if (r.bad)
			break;
		if (outside)
			bb_diag_add_file(dl, sev, path, line, col, "%s", msg ? msg : "");
		else
			bb_diag_add(dl, sev, path, line, col, "%s", msg ? msg : "");
	}
}

int
bb_centry_links(const bb_centry *e, int (*fn)(void *ud, const char *href, const char *answer), void *ud)
{
	rd r = { (const unsigned char *)e->links, e->links_len, 0, 0 };
	unsigned i;
	for (i = 0; i < e->nlinks; i++) {
		const char *href = S_rstr(&r), *answer = S_rstr(&r);
		if (r.bad || !href || fn(ud, href, answer) != 0)
			return -1;
	}
	return 0;
}

/* ---- the folder ---- */

static int
S_mkdirs(const char *path)
{
	char *p = bb_xstrdup(path), *s;
	int rc = 0;
	for (s = p + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0755) != 0 && errno != EEXIST)
				rc = -1;
			*s = '/';
		}
	if (mkdir(p, 0755) != 0 && errno != EEXIST)
		rc = -1;
	free(p);
	return rc;
}

bb_ccache *
bb_ccache_open(bb_blog *b, bb_diaglist *dl)
{
	bb_ccache *c;
	char *dir;
	if (!b->opt.cache_dir || !*b->opt.cache_dir)
		return NULL;
	dir = bb_xasprintf("%s/chapters", b->opt.cache_dir);
	if (S_mkdirs(dir) != 0 || access(dir, W_OK | X_OK) != 0) {
		bb_diag_add(dl, BB_NOTE, NULL, 0, 0, "chapter cache %s not used: %s", dir, strerror(errno));
		free(dir);
		return NULL;
	}
	c = bb_xcalloc(1, sizeof *c);
	c->b = b;
	c->dir = dir;
	pthread_mutex_init(&c->mu, NULL);
	S_book_digest(b, c->book);
	return c;
}

typedef struct ent {
	char *name;
	time_t mtime;
	long mtime_ns;
	unsigned long long size;
} ent;

/* Oldest first; equal times by name. */
static int
S_cmp_ent(const void *x, const void *y)
{
	const ent *a = x, *b = y;
	if (a->mtime != b->mtime)
		return a->mtime < b->mtime ? -1 : 1;
	if (a->mtime_ns != b->mtime_ns)
		return a->mtime_ns < b->mtime_ns ? -1 : 1;
	return strcmp(a->name, b->name);
}

void
bb_ccache_close(bb_ccache *c, long max_mb, bb_diaglist *dl)
{
	DIR *d;
	struct dirent *de;
	ent *v = NULL;
	size_t n = 0, cap = 0, i, removed = 0;
	unsigned long long total = 0, limit;
	time_t now = time(NULL);
	if (!c)
		return;
	if ((d = opendir(c->dir))) {
		while ((de = readdir(d))) {
			char *p;
			struct stat st;
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			p = bb_xasprintf("%s/%s", c->dir, de->d_name);
			if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
				free(p);
				continue;
			}
			if (strncmp(de->d_name, ".tmp-", 5) == 0) {
				/* a killed run's half entry */
				if (now - st.st_mtime > STALE_TMP_S)
					unlink(p);
				free(p);
				continue;
			}
			free(p);
			if (n == cap)
				v = bb_xrealloc(v, (cap = cap ? cap * 2 : 256) * sizeof *v);
			v[n].name = bb_xstrdup(de->d_name);
			v[n].mtime = st.st_mtim.tv_sec;
			v[n].mtime_ns = st.st_mtim.tv_nsec;
			v[n].size = (unsigned long long)st.st_size;
			total += v[n].size;
			n++;
		}
		closedir(d);
	}
	if (max_mb > 0 && total > (limit = (unsigned long long)max_mb * 1000000ULL)) {
		qsort(v, n, sizeof *v, S_cmp_ent);
		for (i = 0; i < n && total > limit; i++) {
			char *p = bb_xasprintf("%s/%s", c->dir, v[i].name);
			if (unlink(p) == 0 || errno == ENOENT) {
				total -= v[i].size;
				removed++;
			}
			free(p);
		}
		bb_diag_add(dl, BB_NOTE, NULL, 0, 0, "chapter cache: %zu old entries removed to stay under --cache-max %ld MB",
			    removed, max_mb);
	}
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	pthread_mutex_destroy(&c->mu);
	free(c->dir);
	free(c);
}
