/* postindex.c: the post index of --cache-dir (postindex.h).
 *
 * DIR/chapters/.posts: "BBPIDX02", the settings' SHA-256 (32 bytes), the
 * number of entries (u32), the entries, the checksum of everything before
 * it (bb_checksum, 16 bytes).
 * An entry (record.h): its length (u32), then the file's path, its
 * categories from folders, draft, need_date; dev, ino, size (u64 each),
 * mtime s (u64) ns (u32), ctime s (u64) ns (u32); the result (u32: 0
 * kept, 1 left out); the text's SHA-256 (a 32-byte string) and BB_PX_
 * bits; the post's fields (S_put_post); its diagnostics (severity,
 * outside, path, line, col, message).
 *
 * A file changed less than 0.2 s before it was read ("racy", as git says)
 * is kept only if, when the index is written, that time is 0.2 s past and
 * the file has the same identity, times and bytes as when it was read
 * (its SHA-256 taken before it was parsed): a later write in the same tick
 * of the file system's clock would leave its times as they were. This
 * trusts the file system's clock to agree with ours within 0.2 s. */
#define _GNU_SOURCE /* memmem */
#include "postindex.h"
#include "settingskey.h"
#include "liquid.h"
#include "post.h"
#include "record.h"
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "BBPIDX02"
#define TAIL BB_CHECKSUM_SIZE
#define INDEX_MAX ((size_t)256 << 20)
/* a file changed this recently is not indexed */
#define RACY_NS 200000000LL

typedef struct pent {
	size_t off, len;          /* the entry's bytes in buf (old) or in own */
	char *own;                /* an entry made by this run, or NULL */
	unsigned char sum[32];
	unsigned bits;
	int live;                 /* met by this run: written back */
	int known;                /* sum and bits are this run's file's */
	int racy;                 /* made by this run, changed just before */
	struct stat st;           /* as this run found it */
} pent;

struct bb_pindex {
	char *dir, *path;
	unsigned char settings[32];
	char *buf;                /* the index read back */
	size_t len;
	pent *v;
	size_t n, cap;
	bb_map by_path;           /* path -> index into v */
	int changed;
	time_t start;
	size_t hits;
};

/* ---- the settings ---- */

static void
S_h_tree(struct sha256_ctx *h, const bb_fm_node *t, int depth)
{
	size_t i;
	if (!t || depth > 64) {
		bb_h_str(h, NULL);
		return;
	}
	bb_h_int(h, t->kind), bb_h_str(h, t->value), bb_h_int(h, t->quoted);
	bb_h_int(h, (long long)t->nkids);
	for (i = 0; i < t->nkids; i++)
		S_h_tree(h, t->kids[i], depth + 1);
}

static void
S_settings(const bb_blog *b, unsigned char out[32])
{
	struct sha256_ctx h;
	sha256_init(&h);
	bb_h_str(&h, "blogbind post index 1");
	bb_settings_key(b, &h);
	bb_h_str(&h, b->src ? b->src->name : NULL);
	bb_h_str(&h, b->root_real ? b->root_real : b->root);
	S_h_tree(&h, b->config, 0);
	sha256_digest(&h, 32, out);
}

/* ---- one entry ---- */

static void
S_put_list(bb_buf *o, char *const *v, size_t n)
{
	size_t i;
	bb_rec_u32(o, (unsigned long)n);
	for (i = 0; i < n; i++)
		bb_rec_cstr(o, v[i]);
}

/* Every field bb_post_from_file (and a source's meta hook) may set. */
static void
S_put_post(bb_buf *o, const bb_post *p)
{
	const bb_date *d = &p->date;
	bb_rec_cstr(o, p->slug), bb_rec_cstr(o, p->basename), bb_rec_cstr(o, p->title);
	bb_rec_cstr(o, p->author), bb_rec_cstr(o, p->excerpt), bb_rec_cstr(o, p->lang);
	bb_rec_cstr(o, p->permalink), bb_rec_cstr(o, p->series), bb_rec_cstr(o, p->body);
	bb_rec_cstr(o, p->source_url), bb_rec_cstr(o, p->source_id), bb_rec_cstr(o, p->asset_dir);
	bb_rec_cstr(o, p->url), bb_rec_cstr(o, p->ymd);
	S_put_list(o, p->categories, p->ncategories);
	S_put_list(o, p->tags, p->ntags);
	S_put_list(o, p->aliases, p->naliases);
	bb_rec_u64(o, (unsigned long long)(long long)p->part);
	bb_rec_u32(o, (unsigned long)d->year), bb_rec_u32(o, (unsigned long)d->mon), bb_rec_u32(o, (unsigned long)d->day);
	bb_rec_u32(o, (unsigned long)d->hour), bb_rec_u32(o, (unsigned long)d->min), bb_rec_u32(o, (unsigned long)d->sec);
	bb_rec_u32(o, (unsigned long)d->tzoff), bb_rec_u32(o, (unsigned long)d->has_time);
	bb_rec_u32(o, (unsigned long)p->lang_detected), bb_rec_u32(o, (unsigned long)p->draft);
	bb_rec_u32(o, (unsigned long)p->published), bb_rec_u32(o, (unsigned long)p->listing);
	bb_rec_u32(o, (unsigned long)p->is_html), bb_rec_u32(o, p->body_line);
}

static char *
S_dup(bb_rec *r)
{
	const char *s = bb_rec_s(r);
	return s ? bb_xstrdup(s) : NULL;
}

static void
S_get_list(bb_rec *r, char ***v, size_t *n)
{
	unsigned long long k, m = bb_rec_n(r, 4);
	for (k = 0; k < m && !r->bad; k++) {
		const char *s = bb_rec_s(r);
		if (s)
			bb_strv_add(v, n, s);
		else
			r->bad = 1;
	}
}

static int
S_i(bb_rec *r)
{
	return (int)(unsigned)bb_rec_n(r, 4);
}

static void
S_get_post(bb_rec *r, bb_post *p)
{
	bb_date *d = &p->date;
	const char *ymd;
	p->slug = S_dup(r), p->basename = S_dup(r), p->title = S_dup(r);
	p->author = S_dup(r), p->excerpt = S_dup(r), p->lang = S_dup(r);
	p->permalink = S_dup(r), p->series = S_dup(r), p->body = S_dup(r);
	p->source_url = S_dup(r), p->source_id = S_dup(r), p->asset_dir = S_dup(r);
	p->url = S_dup(r);
	ymd = bb_rec_s(r);
	{
		/* snprintf's "%s", cut as it cuts, without its cost */
		size_t n = ymd ? strlen(ymd) : 0;
		if (n >= sizeof p->ymd)
			n = sizeof p->ymd - 1;
		memcpy(p->ymd, ymd ? ymd : "", n);
		p->ymd[n] = '\0';
	}
	S_get_list(r, &p->categories, &p->ncategories);
	S_get_list(r, &p->tags, &p->ntags);
	S_get_list(r, &p->aliases, &p->naliases);
	p->part = (long)(long long)bb_rec_n(r, 8);
	d->year = S_i(r), d->mon = S_i(r), d->day = S_i(r);
	d->hour = S_i(r), d->min = S_i(r), d->sec = S_i(r);
	d->tzoff = S_i(r), d->has_time = S_i(r);
	p->lang_detected = S_i(r), p->draft = S_i(r);
	p->published = S_i(r), p->listing = S_i(r);
	p->is_html = S_i(r), p->body_line = (unsigned)bb_rec_n(r, 4);
}

/* The identity of a file: what the entry is checked against. */
static void
S_put_stat(bb_buf *o, const struct stat *st)
{
	bb_rec_u64(o, (unsigned long long)st->st_dev);
	bb_rec_u64(o, (unsigned long long)st->st_ino);
	bb_rec_u64(o, (unsigned long long)st->st_size);
	bb_rec_u64(o, (unsigned long long)st->st_mtim.tv_sec);
	bb_rec_u32(o, (unsigned long)st->st_mtim.tv_nsec);
	bb_rec_u64(o, (unsigned long long)st->st_ctim.tv_sec);
	bb_rec_u32(o, (unsigned long)st->st_ctim.tv_nsec);
}

/* The head of an entry: the found file and its identity. */
static void
S_put_head(bb_buf *o, const bb_found *fd, int need_date, const struct stat *st)
{
	bb_rec_cstr(o, fd->path);
	bb_rec_cstr(o, fd->cats);
	bb_rec_u32(o, (unsigned long)fd->draft);
	bb_rec_u32(o, (unsigned long)need_date);
	S_put_stat(o, st);
}

unsigned
bb_pindex_bits(const char *text, size_t len)
{
	unsigned bits = 0;
	if (memmem(text, len, "include_relative", 16))
		bits |= BB_PX_INCLUDE_RELATIVE;
	if (bb_liquid_present(text, len))
		bits |= BB_PX_LIQUID;
	if (memmem(text, len, "{{", 2))
		bits |= BB_PX_BRACES;
	return bits;
}

/* ---- the file ---- */

static pent *
S_add(bb_pindex *x, const char *path)
{
	size_t i;
	if (bb_map_get(&x->by_path, path, &i)) {
		free(x->v[i].own);
		memset(&x->v[i], 0, sizeof x->v[i]);
		return &x->v[i];
	}
	if (x->n == x->cap)
		x->v = bb_xrealloc(x->v, (x->cap = x->cap ? x->cap * 2 : 256) * sizeof *x->v);
	memset(&x->v[x->n], 0, sizeof x->v[x->n]);
	bb_map_put(&x->by_path, path, x->n);
	return &x->v[x->n++];
}

/* Indexes the entries of the file read into x->buf; returns 0 or -1. */
static int
S_load(bb_pindex *x)
{
	bb_rec r = { (const unsigned char *)x->buf, x->len - TAIL, 0, 0 };
	unsigned char sum[TAIL];
	unsigned long long k, m;
	if (x->len < 8 + 32 + 4 + TAIL || memcmp(x->buf, MAGIC, 8) != 0)
		return -1;
	bb_checksum(x->buf, x->len - TAIL, sum);
	if (memcmp(sum, x->buf + x->len - TAIL, TAIL) != 0 || memcmp(x->buf + 8, x->settings, 32) != 0)
		return -1;
	r.off = 40;
	m = bb_rec_n(&r, 4);
	for (k = 0; k < m && !r.bad; k++) {
		size_t len = (size_t)bb_rec_n(&r, 4), start = r.off;
		const char *path = bb_rec_s(&r);
		pent *e;
		if (r.bad || !path || len > r.n - start)
			return -1;
		e = S_add(x, path);
		e->off = start, e->len = len;
		r.off = start + len;
	}
	return r.bad || r.off != r.n ? -1 : 0;
}

/* A new index of b's cache folder with nothing read: its settings as
 * they are now. NULL without --cache-dir. */
static bb_pindex *
S_new(bb_blog *b)
{
	bb_pindex *x;
	if (!b->opt.cache_dir || !*b->opt.cache_dir)
		return NULL;
	x = bb_xcalloc(1, sizeof *x);
	x->dir = bb_xasprintf("%s/chapters", b->opt.cache_dir);
	x->path = bb_xasprintf("%s/.posts", x->dir);
	x->start = time(NULL);
	S_settings(b, x->settings);
	return x;
}

/* Maps x's file into x->buf (read-only: its entries are read in place and
 * written back from there; a read into memory of its own touched every
 * page of it first, some 1,100 page faults for 10,000 posts). Returns 0
 * or -1 (none, or not a file that fits). */
static int
S_map(bb_pindex *x)
{
	struct stat st;
	void *m;
	int fd = open(x->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 || (unsigned long long)st.st_size > INDEX_MAX) {
		close(fd);
		return -1;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return -1;
	x->buf = m;
	x->len = (size_t)st.st_size;
	return 0;
}

/* Reads x's file: 0 read (or none there), -1 there but not usable (x is
 * then empty, to be written anew). */
static int
S_read(bb_pindex *x)
{
	if (S_map(x) != 0) {
		x->buf = NULL, x->len = 0;
		return 0;
	}
	if (S_load(x) == 0)
		return 0;
	bb_map_free(&x->by_path);
	free(x->v);
	x->v = NULL, x->n = x->cap = 0;
	x->changed = 1;
	return -1;
}

static bb_pindex *
S_opened(bb_blog *b, bb_pindex *x, int rc)
{
	if (rc != 0)
		bb_diag_add(&b->diags, BB_NOTE, NULL, 0, 0, "post index %s not used (another program's or settings', or broken)",
			    x->path);
	return x;
}

bb_pindex *
bb_pindex_open(bb_blog *b)
{
	bb_pindex *x = S_new(b);
	return x ? S_opened(b, x, S_read(x)) : NULL;
}

/* The index read ahead on a thread of its own while the blog's folder is
 * walked (a tenth of a rebind of 10,000 posts, on the one thread
 * collecting them). */
typedef struct bb_pindex_ahead {
	pthread_t th;
	bb_pindex *x;
	int rc;
} ahead;

static void *
S_ahead_run(void *arg)
{
	ahead *a = arg;
	a->rc = S_read(a->x);
	return NULL;
}

void
bb_pindex_read_ahead(bb_blog *b)
{
	ahead *a;
	bb_pindex *x;
	if (b->pindex || b->pindex_ahead || !(x = S_new(b)))
		return;
	a = bb_xcalloc(1, sizeof *a);
	a->x = x;
	if (pthread_create(&a->th, NULL, S_ahead_run, a) != 0) {
		bb_pindex_free(x);
		free(a);
		return;
	}
	b->pindex_ahead = a;
}

void
bb_pindex_ahead_end(bb_blog *b, int use)
{
	ahead *a = b->pindex_ahead;
	unsigned char now[32];
	if (!a)
		return;
	b->pindex_ahead = NULL;
	pthread_join(a->th, NULL);
	if (use && !b->pindex) {
		/* the settings as they are now: a source may have set some
		 * while the folder was walked */
		S_settings(b, now);
		if (memcmp(now, a->x->settings, 32) == 0)
			b->pindex = S_opened(b, a->x, a->rc);
		else {
			bb_pindex_free(a->x);
			b->pindex = bb_pindex_open(b);
		}
	} else
		bb_pindex_free(a->x);
	free(a);
}

/* Fills p from entry e when it names fd as st says; returns 0 kept, 1
 * left out, -1 not usable. */
static int
S_from_entry(bb_pindex *x, bb_diaglist *dl, pent *e, bb_post *p, const bb_found *fd, int need_date,
	     const struct stat *st)
{
	bb_buf want = BB_BUF_INIT;
	bb_rec r = { (const unsigned char *)x->buf + e->off, e->len, 0, 0 };
	unsigned long long nd;
	int res, same;
	S_put_head(&want, fd, need_date, st);
	same = e->len >= want.len && memcmp(x->buf + e->off, want.data, want.len) == 0;
	r.off = want.len;
	bb_buf_free(&want);
	if (!same)
		return -1;
	res = (int)bb_rec_n(&r, 4);
	if (r.bad || r.n - r.off < 32 || res < 0 || res > 1)
		return -1;
	memcpy(e->sum, r.p + r.off, 32);
	r.off += 32;
	e->bits = (unsigned)bb_rec_n(&r, 4);
	p->path = bb_xstrdup(fd->path);
	S_get_post(&r, p);
	nd = bb_rec_n(&r, 4);
	bb_rec_diags_replay(&r, nd, dl);
	return r.bad ? -2 : res;
}

/* The SHA-256 and BB_PX_ bits of the bytes of post file rel, as the
 * chapter cache's key reads them. Returns 0 or -1. */
static int
S_sum_file(const bb_blog *b, const char *rel, unsigned char sum[32], unsigned *bits)
{
	char *path = bb_xpath(b->root, rel), *text = NULL;
	size_t len = 0;
	struct sha256_ctx h;
	int rc = bb_read_file(path, (size_t)BB_MAX_POST_BYTES * 2, &text, &len);
	free(path);
	if (rc == 0) {
		sha256_init(&h);
		sha256_update(&h, len, (const uint8_t *)text);
		sha256_digest(&h, 32, sum);
		*bits = bb_pindex_bits(text, len);
	}
	free(text);
	return rc == 0 ? 0 : -1;
}

/* 1 when a file with these times changed less than RACY_NS ago. */
static int
S_racy(const struct stat *st)
{
	struct timespec now;
	long long t = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
	long long c = (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
	clock_gettime(CLOCK_REALTIME, &now);
	return (c > t ? c : t) + RACY_NS > (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

/* Makes the entry of fd read just now (result rc, its diagnostics from
 * b->diags.v[from..], sum and bits of its bytes read before it was). */
static void
S_record(bb_pindex *x, const bb_blog *b, const bb_post *p, const bb_found *fd, int need_date, int rc, size_t from,
	 const struct stat *st, const unsigned char sum[32], unsigned bits)
{
	bb_buf o = BB_BUF_INIT;
	pent *e = S_add(x, fd->path);
	x->changed = 1;
	memcpy(e->sum, sum, 32);
	e->bits = bits;
	e->known = 1;
	e->st = *st;
	S_put_head(&o, fd, need_date, st);
	bb_rec_u32(&o, rc == 0 ? 0 : 1);
	bb_buf_put(&o, (const char *)sum, 32);
	bb_rec_u32(&o, e->bits);
	S_put_post(&o, p);
	bb_rec_diags(&o, b->diags.v + from, b->diags.n - from);
	e->len = o.len;
	e->own = bb_buf_detach(&o, NULL);
	e->racy = S_racy(st);
	e->live = !e->racy;
}

/* A racy entry of this run can be kept when its time is past and its
 * file is as it was read: same identity, times and bytes. */
static void
S_settle(const bb_blog *b, const char *rel, pent *e)
{
	char *path;
	struct stat st;
	unsigned char sum[32];
	unsigned bits;
	int rc;
	if (S_racy(&e->st))
		return;
	path = bb_xpath(b->root, rel);
	rc = stat(path, &st);
	free(path);
	if (rc != 0 || st.st_dev != e->st.st_dev || st.st_ino != e->st.st_ino || st.st_size != e->st.st_size ||
	    st.st_mtim.tv_sec != e->st.st_mtim.tv_sec || st.st_mtim.tv_nsec != e->st.st_mtim.tv_nsec ||
	    st.st_ctim.tv_sec != e->st.st_ctim.tv_sec || st.st_ctim.tv_nsec != e->st.st_ctim.tv_nsec)
		return;
	if (S_sum_file(b, rel, sum, &bits) == 0 && memcmp(sum, e->sum, 32) == 0) {
		e->racy = 0;
		e->live = 1;
	}
}

int
bb_pindex_read(bb_pindex *x, bb_blog *b, bb_post *p, const bb_found *fd, int need_date)
{
	/* the walk's stat (through a link, of the file it leads to), not a
	 * second one: it was taken before the bytes are read, as the index
	 * needs (what is recorded is never older than the times it names) */
	const struct stat *st = &fd->st;
	size_t i, from = b->diags.n;
	int rc;
	if (!x || !S_ISREG(st->st_mode))
		return bb_post_from_file(b, p, fd, need_date, b->src->meta, &b->diags);
	if (bb_map_get(&x->by_path, fd->path, &i) && !x->v[i].own && x->buf) {
		rc = S_from_entry(x, &b->diags, &x->v[i], p, fd, need_date, st);
		if (rc >= 0) {
			x->v[i].live = x->v[i].known = 1;
			x->hits++;
			return rc == 0 ? 0 : -1;
		}
		/* another file now, or a broken entry: forget what it gave */
		bb_post_free(p);
		memset(p, 0, sizeof *p);
		while (b->diags.n > from) {
			bb_diag_rec *d = &b->diags.v[--b->diags.n];
			free(d->path);
			free(d->message);
		}
	}
	{
		/* the bytes first: a write while the post is parsed shows */
		unsigned char sum[32];
		unsigned bits = 0;
		int have = S_sum_file(b, fd->path, sum, &bits) == 0;
		rc = bb_post_from_file(b, p, fd, need_date, b->src->meta, &b->diags);
		if (have)
			S_record(x, b, p, fd, need_date, rc, from, st, sum, bits);
	}
	return rc;
}

int
bb_pindex_save(bb_pindex *x, bb_blog *b)
{
	unsigned char head[8 + 32 + 4], *lens;
	struct iovec *v;
	size_t i, n = 0, nv = 0;
	char *tmp;
	int k, rc = -1;
	if (!x)
		return 0;
	if (x->n)
		bb_diag_add(&b->diags, BB_NOTE, NULL, 0, 0, "post index: %zu of %zu post files unchanged, not read again",
			    x->hits, x->n);
	for (i = 0; i < x->n; i++) {
		if (x->v[i].racy && x->v[i].own)
			S_settle(b, x->v[i].own + 4, &x->v[i]); /* the record starts with the path */
		if (!x->v[i].live && x->v[i].len)
			x->changed = 1; /* a post gone: its entry goes too */
	}
	if (!x->changed)
		return 0;
	/* the file as pieces: the old entries where they lie in the index
	 * read back (each with its length before it, runs of them one piece),
	 * the new ones with their lengths; copying them into one buffer was a
	 * sixth of a rebind's collect */
	v = bb_xmalloc((2 * x->n + 1) * sizeof *v);
	lens = bb_xmalloc(4 * (x->n ? x->n : 1));
	memcpy(head, MAGIC, 8);
	memcpy(head + 8, x->settings, 32);
	v[nv].iov_base = head, v[nv++].iov_len = sizeof head;
	for (i = 0; i < x->n; i++) {
		const pent *e = &x->v[i];
		if (!e->live || !e->len)
			continue;
		if (e->own) {
			for (k = 0; k < 4; k++)
				lens[4 * i + k] = (unsigned char)(e->len >> (8 * k));
			v[nv].iov_base = lens + 4 * i, v[nv++].iov_len = 4;
			v[nv].iov_base = e->own, v[nv++].iov_len = e->len;
		} else if (nv > 1 && v[nv - 1].iov_base >= (void *)x->buf && v[nv - 1].iov_base < (void *)(x->buf + x->len) &&
			   (char *)v[nv - 1].iov_base + v[nv - 1].iov_len == x->buf + e->off - 4)
			v[nv - 1].iov_len += e->len + 4;
		else
			v[nv].iov_base = x->buf + e->off - 4, v[nv++].iov_len = e->len + 4;
		n++;
	}
	for (k = 0; k < 4; k++)
		head[40 + k] = (unsigned char)(n >> (8 * k));
	mkdir(b->opt.cache_dir, 0755);
	mkdir(x->dir, 0755);
	/* ".tmp-": what bb_ccache_close removes when a killed run left it */
	tmp = bb_xasprintf("%s/.tmp-posts-%ld", x->dir, (long)getpid());
	rc = bb_write_summed(tmp, x->path, v, nv);
	free(tmp);
	free(v);
	free(lens);
	x->changed = 0;
	return rc;
}

int
bb_pindex_text(const bb_pindex *x, const char *path, unsigned char sum[32], unsigned *bits)
{
	size_t i;
	if (!x || !bb_map_get(&x->by_path, path, &i) || !x->v[i].known)
		return -1;
	memcpy(sum, x->v[i].sum, 32);
	*bits = x->v[i].bits;
	return 0;
}

void
bb_pindex_free(bb_pindex *x)
{
	size_t i;
	if (!x)
		return;
	for (i = 0; i < x->n; i++)
		free(x->v[i].own);
	free(x->v);
	bb_map_free(&x->by_path);
	if (x->buf)
		munmap(x->buf, x->len);
	free(x->dir);
	free(x->path);
	free(x);
}

/* Reading the found files on threads, when no post index and no meta
 * hook is in the way: the files are cut into batches of READ_BATCH, taken
 * in turn; file i is read into b->posts[b->nposts + i] with its
 * diagnostics in a list of its own. The posts kept and the lists are then
 * taken in the files' order, as one thread would have made them. */
#define READ_BATCH 16
#define READ_THREADS 64

typedef struct readjob {
	bb_blog *b;
	bb_pindex *x;             /* with --cache-dir: the entries only (S_hit) */
	const bb_finder *f;
	int need_date;
	bb_post *posts;           /* one a found file */
	int *rc;
	bb_diaglist *dls;
	size_t next;              /* the next file not taken */
	pthread_mutex_t mu;
} readjob;

/* Fills p from the post index's entry of fd when it names fd as it is,
 * its diagnostics to dl; touches nothing but p, dl and the entry, so
 * that the entries are read on threads. Returns 0 kept, -1 left out, 1
 * not from the index: read in turn by bb_pindex_read. */
static int
S_hit(bb_pindex *x, bb_post *p, const bb_found *fd, int need_date, bb_diaglist *dl)
{
	size_t i;
	int rc;
	if (!S_ISREG(fd->st.st_mode) || !x->buf || !bb_map_get(&x->by_path, fd->path, &i) || x->v[i].own)
		return 1;
	rc = S_from_entry(x, dl, &x->v[i], p, fd, need_date, &fd->st);
	if (rc >= 0) {
		x->v[i].live = x->v[i].known = 1;
		return rc == 0 ? 0 : -1;
	}
	/* bb_pindex_read finds the same and reads the file */
	bb_post_free(p);
	memset(p, 0, sizeof *p);
	bb_diag_clear(dl);
	return 1;
}

static void *
S_reader(void *arg)
{
	readjob *r = arg;
	for (;;) {
		size_t i, first, end;
		pthread_mutex_lock(&r->mu);
		first = r->next;
		end = r->f->n - first > READ_BATCH ? first + READ_BATCH : r->f->n;
		r->next = end;
		pthread_mutex_unlock(&r->mu);
		if (first == end)
			return NULL;
		for (i = first; i < end; i++) {
			r->rc[i] = r->x ? S_hit(r->x, &r->posts[i], &r->f->v[i], r->need_date, &r->dls[i])
					: bb_post_from_file(r->b, &r->posts[i], &r->f->v[i], r->need_date, NULL, &r->dls[i]);
			if (r->rc[i] == 0)
				bb_post_pack_own(&r->posts[i]);
		}
	}
}

/* The threads to read n files with, the calling one included: as the
 * render's (--jobs, or one per core up to 8), no more than there are
 * batches. */
static int
S_readers(const bb_blog *b, size_t n)
{
	int t = bb_blog_threads(b);
	if (t > READ_THREADS)
		t = READ_THREADS;
	if ((size_t)t > n / READ_BATCH)
		t = (int)(n / READ_BATCH);
	return t;
}

/* Sets r up to fill the room past b's posts, one place a file of f, and
 * runs S_reader on nthreads threads, the calling one included. */
static void
S_read_all(readjob *r, bb_blog *b, bb_finder *f, int need_date, int nthreads)
{
	pthread_t th[READ_THREADS];
	int t, started = 0;
	/* the room bb_blog_new_post would have grown to */
	if (b->capposts - b->nposts < f->n) {
		while (b->capposts - b->nposts < f->n)
			b->capposts = b->capposts ? b->capposts * 2 : 64;
		b->posts = bb_xrealloc(b->posts, b->capposts * sizeof *b->posts);
	}
	r->b = b, r->f = f, r->need_date = need_date;
	r->posts = b->posts + b->nposts;
	memset(r->posts, 0, f->n * sizeof *r->posts);
	r->rc = bb_xcalloc(f->n, sizeof *r->rc);
	r->dls = bb_xcalloc(f->n, sizeof *r->dls);
	pthread_mutex_init(&r->mu, NULL);
	for (t = 1; t < nthreads; t++)
		if (pthread_create(&th[started], NULL, S_reader, r) == 0)
			started++;
	S_reader(r);
	for (t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	pthread_mutex_destroy(&r->mu);
}

/* Reads f's files on nthreads threads into their places past b's posts,
 * with their diagnostics in lists of their own (with the post index x:
 * only the files its entries give, S_hit); then, in the files' order,
 * takes them, and reads the others in turn with bb_pindex_read into the
 * first free place, as one thread would. */
static void
S_add_read(bb_blog *b, bb_finder *f, int need_date, int nthreads, bb_pindex *x)
{
	readjob r;
	size_t i;
	memset(&r, 0, sizeof r);
	r.x = x;
	S_read_all(&r, b, f, need_date, nthreads);
	for (i = 0; i < f->n; i++) {
		bb_post *p = &b->posts[b->nposts];
		if (r.rc[i] == 1) {
			/* its place, or an earlier one already taken from */
			memset(p, 0, sizeof *p);
			if (bb_pindex_read(x, b, p, &f->v[i], need_date) == 0) {
				bb_post_pack_own(p);
				b->nposts++;
			} else
				bb_post_free(p);
			continue;
		}
		if (x)
			x->hits++;
		bb_diag_move(&b->diags, &r.dls[i]);
		if (r.rc[i] != 0)
			bb_post_free(&r.posts[i]);
		else
			*p = r.posts[i], b->nposts++;
	}
	/* the places the posts left out had (the room past them is untouched) */
	memset(b->posts + b->nposts, 0, (size_t)(r.posts + f->n - (b->posts + b->nposts)) * sizeof *b->posts);
	if (x)
		bb_pindex_save(x, b);
	free(r.dls);
	free(r.rc);
}

long
bb_blog_add_found(bb_blog *b, bb_finder *f, int need_date)
{
	size_t i;
	int readers;
	/* with --cache-dir, unchanged files come from the post index */
	if (b->pindex_ahead)
		bb_pindex_ahead_end(b, 1);
	if (!b->pindex)
		b->pindex = bb_pindex_open(b);
	readers = S_readers(b, f->n);
	if (readers > 1 && b->pindex && b->pindex->buf) {
		S_add_read(b, f, need_date, readers, b->pindex);
		return (long)f->n;
	}
	if (readers > 1 && !b->pindex && !b->src->meta) {
		S_add_read(b, f, need_date, readers, NULL);
		return (long)f->n;
	}
	for (i = 0; i < f->n; i++) {
		bb_post *p = bb_blog_new_post(b);
		if (bb_pindex_read(b->pindex, b, p, &f->v[i], need_date) != 0)
			bb_blog_drop_post(b);
		else
			bb_post_pack_own(p);
	}
	bb_pindex_save(b->pindex, b);
	return (long)f->n;
}
