/* cache.c: the chapter cache of --cache-dir (cache.h). Keys are SHA-256
 * from Nettle: a key names the rendering's inputs, so two different
 * inputs must never share one (a 32-bit CRC or a 64-bit FNV would, among
 * millions of entries, by chance or on purpose). An entry's checksum only
 * has to catch damage (a flipped bit, a torn write): anyone who can write
 * the folder can write any checksum, so a secret would buy nothing. It is
 * UMAC-128 (Nettle) under a fixed key (bb_checksum), a universal hash that misses a
 * change made without knowing the key with odds far below 2^-60; a rebind
 * checks every entry whole, and 57 MB take it 0.012 s against SHA-256's
 * 0.040 s with the CPU's SHA instructions (16 times fewer instructions
 * without them).
 *
 * A key names the book's settings, the post's file and bytes (and what
 * Liquid may read of the blog); the post's other fields (some 30: its
 * date, url, title, id...) are kept in the entry as a record and compared
 * byte for byte when it is read, which is exact and costs a tenth of
 * hashing them (a rebind of 10,000 posts hashed 700 bytes a post: 216 M
 * instructions without the CPU's SHA instructions). A post whose fields
 * changed but not its bytes finds its entry stale and overwrites it.
 *
 * An entry, DIR/chapters/KEY (KEY: 64 hex digits):
 *   "BBCHAP03", the key (32 bytes), the payload's length (8 bytes, LE),
 *   the payload, the UMAC-128 of everything before it (16 bytes).
 * The payload (integers little-endian, u32 unless said; a string is its
 * length, 0xffffffff for none, its bytes and a NUL):
 *   the fields record's length (u64) and bytes (S_post_fields);
 *   facts; nparts, each: size (u64), crc, props, length (u64), deflated bytes;
 *   nheadings, each: level, id, text, part;
 *   nimages, each: kind, path, hash_from, base, name;
 *   nlinks, each: href, answer;
 *   ndiags, each: severity, outside, path, line, col, message.
 *
 * The folder's size, DIR/chapters/.sizes, so that --cache-max needs no
 * look at every entry at the end of each run (an fstatat of each was a
 * tenth of a rebind of 10,000 posts):
 *   "BBSIZE01", the time of the last full look (8 bytes, LE, seconds), the
 *   bytes of the entries it found (8 bytes); then one 8-byte length per
 *   entry written since, appended (O_APPEND) before the entry is renamed
 *   into place.
 * The sum is never short of the truth for long: a run killed between the
 * length and the rename, an entry written again or removed by hand only
 * make it larger, which at worst starts a full look early. A full look
 * (every entry's fstatat, the oldest removed while over the bound, the
 * stale temporary files removed) is made when the file is missing or
 * malformed, when the sum is over the bound, and once a day. */
#define _XOPEN_SOURCE 700
#include "cache.h"
#include "settingskey.h"
#include "record.h"
#include "postindex.h"
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
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "BBCHAP03"
#define HEAD (8 + 32 + 8)
#define TAIL BB_CHECKSUM_SIZE
/* The largest entry read back. */
#define ENTRY_MAX ((size_t)512 << 20)
/* Support files (_data, _includes) hashed into the keys of posts that use
 * Liquid: at most this many bytes each, this deep. */
#define TREE_FILE_MAX ((size_t)16 << 20)
#define TREE_DEPTH 8
/* A temporary file older than this is a killed run's. */
#define STALE_TMP_S 600
/* The folder's size (see above); a full look at least this often. */
#define SIZES ".sizes"
#define SIZES_MAGIC "BBSIZE01"
#define SIZES_HEAD 24
#define SIZES_MAX ((size_t)64 << 20)
#define SCAN_EVERY_S 86400
/* A reused entry older than this gets its time set to now (LRU order),
 * where the file system keeps no access times. */
#define TOUCH_S 3600
/* statvfs's flag for a noatime mount (<sys/statvfs.h> names it only with
 * _GNU_SOURCE; the value is Linux's). */
#if !defined(ST_NOATIME) && defined(__linux__)
#define ST_NOATIME 1024
#endif

struct bb_ccache {
	bb_blog *b;
	char *dir;
	int dfd;                  /* dir, open: entries are opened from it */
	int atime;                /* its file system keeps access times */
	unsigned char book[SHA256_DIGEST_SIZE];
	pthread_mutex_t mu;
	int have_site;
	unsigned char site[SHA256_DIGEST_SIZE];
	unsigned long seq;
};

/* The fields record: each value told apart from its neighbours as
 * record.c's bb_h_ functions tell them (a length in 7-bit groups before
 * the bytes, none as 0xff "N", numbers in decimal). */
static void
S_f_bytes(bb_buf *o, const void *p, size_t n)
{
	unsigned long long v = (unsigned long long)n;
	char *d;
	/* plain stores into room made once: some 50 values a post */
	if (o->len + n + 11 > o->cap)
		bb_buf_grow(o, n + 10);
	d = o->data + o->len;
	while (v >= 0x80) {
		*d++ = (char)(unsigned char)(v | 0x80);
		v >>= 7;
	}
	*d++ = (char)(unsigned char)v;
	memcpy(d, p, n);
	o->len = (size_t)(d + n - o->data);
}

static void
S_f_str(bb_buf *o, const char *s)
{
	if (!s)
		S_f_bytes(o, "\xff", 1), bb_buf_putc(o, 'N');
	else
		S_f_bytes(o, s, strlen(s));
}

static void
S_f_int(bb_buf *o, long long v)
{
	char num[24];
	char *s = num + sizeof num;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	if (u < 10 && v >= 0) {
		/* most are: flags, months, days */
		char c = (char)('0' + u);
		S_f_bytes(o, &c, 1);
		return;
	}
	do
		*--s = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--s = '-';
	S_f_bytes(o, s, (size_t)(num + sizeof num - s));
}

static void
S_f_list(bb_buf *o, char *const *v, size_t n)
{
	size_t i;
	S_f_int(o, (long long)n);
	for (i = 0; i < n; i++)
		S_f_str(o, v[i]);
}

/* Appends to o the fields of post p the rendering reads (its text is
 * hashed apart). */
static void
S_post_fields(bb_buf *o, const bb_post *p)
{
	S_f_str(o, p->path);
	S_f_str(o, p->slug);
	S_f_str(o, p->basename);
	S_f_str(o, p->title);
	S_f_str(o, p->author);
	S_f_str(o, p->excerpt);
	S_f_str(o, p->lang);
	S_f_int(o, p->lang_detected);
	S_f_str(o, p->permalink);
	S_f_list(o, p->categories, p->ncategories);
	S_f_list(o, p->tags, p->ntags);
	S_f_list(o, p->aliases, p->naliases);
	S_f_str(o, p->series);
	S_f_int(o, p->part);
	S_f_int(o, p->date.year), S_f_int(o, p->date.mon), S_f_int(o, p->date.day);
	S_f_int(o, p->date.hour), S_f_int(o, p->date.min), S_f_int(o, p->date.sec);
	S_f_int(o, p->date.tzoff), S_f_int(o, p->date.has_time);
	S_f_str(o, p->ymd);
	S_f_int(o, p->draft), S_f_int(o, p->published), S_f_int(o, p->is_html);
	S_f_int(o, (long long)p->body_line);
	S_f_str(o, p->source_url);
	S_f_str(o, p->source_id);
	S_f_str(o, p->asset_dir);
	S_f_str(o, p->url);
	S_f_str(o, p->id);
}

/* What every chapter of the book shares: the settings and the chapter
 * template. */
static void
S_book_digest(const bb_blog *b, unsigned char out[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx h;
	size_t tlen = 0;
	const char *tpl = bb_template_get(b->tpl, "chapter.xhtml", &tlen);
	sha256_init(&h);
	bb_h_str(&h, "blogbind chapter cache 3");
	bb_settings_key(b, &h);
	bb_h_bytes(&h, tpl ? tpl : "", tpl ? tlen : 0);
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
		bb_buf f = BB_BUF_INIT;
		size_t i;
		char *p;
		sha256_init(&h);
		bb_h_int(&h, (long long)b->nposts);
		for (i = 0; i < b->nposts; i++) {
			f.len = 0;
			S_post_fields(&f, &b->posts[i]);
			sha256_update(&h, f.len, (const uint8_t *)f.data);
		}
		bb_buf_free(&f);
		p = bb_xasprintf("%s/_data", b->root);
		bb_h_tree(&h, p, TREE_DEPTH, TREE_FILE_MAX);
		free(p);
		p = bb_xasprintf("%s/_includes", b->root);
		bb_h_str(&h, "_includes");
		bb_h_tree(&h, p, TREE_DEPTH, TREE_FILE_MAX);
		free(p);
		sha256_digest(&h, SHA256_DIGEST_SIZE, c->site);
		c->have_site = 1;
	}
	pthread_mutex_unlock(&c->mu);
	return c->site;
}

/* The SHA-256 and BB_PX_ bits of post p's bytes: from the post index
 * when it knows the file, else read. Returns 0 or -1 (unreadable). */
static int
S_text(const bb_blog *b, const bb_post *p, unsigned char sum[SHA256_DIGEST_SIZE], unsigned *bits)
{
	struct sha256_ctx h;
	char *data = NULL;
	const char *text;
	size_t len;
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
	} else if (bb_pindex_text(b->pindex, p->path, sum, bits) == 0) {
		return 0;
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
	sha256_init(&h);
	sha256_update(&h, len, (const uint8_t *)text);
	sha256_digest(&h, SHA256_DIGEST_SIZE, sum);
	*bits = bb_pindex_bits(text, len);
	free(data);
	return 0;
}

int
bb_ccache_key(bb_ccache *c, size_t idx, bb_ckey *k)
{
	const bb_blog *b = c->b;
	const bb_post *p = &b->posts[idx];
	struct sha256_ctx h;
	unsigned char sum[SHA256_DIGEST_SIZE];
	unsigned bits = 0;
	int macros;
	k->fields.len = 0;
	k->hex[0] = '\0';
	if (S_text(b, p, sum, &bits) != 0)
		return -1;
	/* a file read relative to the post could be any file of the blog */
	if (bits & BB_PX_INCLUDE_RELATIVE)
		return -1;
	macros = b->hugo ? (bits & BB_PX_BRACES) != 0 : (bits & BB_PX_LIQUID) != 0;
	/* the name: the book, the post's file and bytes (and what Liquid may
	 * read of the others); its other fields are compared, not hashed */
	sha256_init(&h);
	sha256_update(&h, sizeof c->book, c->book);
	bb_h_str(&h, p->path);
	bb_h_bytes(&h, sum, sizeof sum);
	if (macros)
		sha256_update(&h, SHA256_DIGEST_SIZE, S_site_digest(c));
	sha256_digest(&h, SHA256_DIGEST_SIZE, k->raw);
	bb_hex(k->raw, sizeof k->raw, k->hex);
	bb_buf_grow(&k->fields, 512);
	S_post_fields(&k->fields, p);
	return 0;
}

void
bb_ckey_free(bb_ckey *k)
{
	if (!k)
		return;
	bb_buf_free(&k->fields);
	k->hex[0] = '\0';
}

/* ---- entries: reading ---- */

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
	bb_rec r = { p, n, 0, 0 };
	unsigned long long k, m;
	size_t start;
	e->facts = (unsigned)bb_rec_n(&r, 4);
	m = bb_rec_n(&r, 4);
	if (r.bad || m == 0 || m > 100000)
		return -1;
	e->nparts = (int)m;
	e->parts = bb_xcalloc((size_t)m, sizeof *e->parts);
	for (k = 0; k < m && !r.bad; k++) {
		bb_cpart *c = &e->parts[k];
		unsigned long long len;
		c->size = bb_rec_n(&r, 8);
		c->crc = (unsigned long)bb_rec_n(&r, 4);
		c->props = (unsigned)bb_rec_n(&r, 4);
		len = bb_rec_n(&r, 8);
		if (r.bad || r.n - r.off < len)
			return -1;
		c->data = r.p + r.off;
		c->len = (size_t)len;
		r.off += (size_t)len;
	}
	m = bb_rec_n(&r, 4);
	if (r.bad || m > 1000000)
		return -1;
	e->headings = bb_xcalloc(m ? (size_t)m : 1, sizeof *e->headings);
	for (k = 0; k < m && !r.bad; k++) {
		bb_heading *h = &e->headings[k];
		const char *id, *text;
		h->level = (int)bb_rec_n(&r, 4);
		id = bb_rec_s(&r);
		text = bb_rec_s(&r);
		h->part = (int)bb_rec_n(&r, 4);
		if (r.bad || !id || h->part < 0 || h->part >= e->nparts)
			return -1;
		h->id = bb_xstrdup(id);
		h->text = text ? bb_xstrdup(text) : NULL;
		e->nheadings++;
	}
	e->nimages = (unsigned)bb_rec_n(&r, 4);
	start = r.off;
	bb_rec_skip(&r, e->nimages, "ussss");
	e->images = (const char *)p + start, e->images_len = r.off - start;
	e->nlinks = (unsigned)bb_rec_n(&r, 4);
	start = r.off;
	bb_rec_skip(&r, e->nlinks, "ss");
	e->links = (const char *)p + start, e->links_len = r.off - start;
	e->ndiags = (unsigned)bb_rec_n(&r, 4);
	start = r.off;
	bb_rec_skip(&r, e->ndiags, "uusuus");
	e->diags = (const char *)p + start, e->diags_len = r.off - start;
	return r.bad || r.off != r.n ? -1 : 0;
}

/* The length an entry says it has (HEAD + payload + TAIL) from its first
 * n bytes, or 0 when it cannot say. */
static size_t
S_said_len(const char *data, size_t n)
{
	unsigned long long plen = 0;
	int i;
	if (n < HEAD)
		return 0;
	for (i = 0; i < 8; i++)
		plen |= (unsigned long long)(unsigned char)data[40 + i] << (8 * i);
	return plen > ENTRY_MAX ? 0 : (size_t)plen + HEAD + TAIL;
}

/* Reads a whole entry (at most ENTRY_MAX bytes) into *data, and, with
 * mtime, its modification time into *mtime (fstat of the open file: no
 * second look up of the path). A read that stops short where the entry says it ends
 * is its end (a regular file's read stops short only there); anything
 * else reads on to the end of the file. Returns 0, or -1 with errno set. */
static int
S_read_entry(int dfd, const char *name, char **data, size_t *len, time_t *mtime)
{
	struct stat st;
	size_t off = 0, cap = 16384, want;
	char *buf;
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
	*data = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	buf = bb_xmalloc(cap + 1);
	for (;;) {
		ssize_t r = read(fd, buf + off, cap - off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && off == 0) {
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			return -1;
		}
		if (r <= 0)
			break;
		off += (size_t)r;
		want = S_said_len(buf, off);
		if (off < cap && off == want)
			break;
		if (off == cap) {
			if (cap > ENTRY_MAX) {
				free(buf);
				close(fd);
				errno = EFBIG;
				return -1;
			}
			cap = want > cap ? want + 1 : cap * 2;
			buf = bb_xrealloc(buf, cap + 1);
		}
	}
	if (mtime)
		*mtime = fstat(fd, &st) == 0 ? st.st_mtime : 0;
	close(fd);
	*data = buf;
	*len = off;
	return 0;
}

int
bb_ccache_load(bb_ccache *c, const bb_ckey *k, const char *post_path, bb_centry *e, bb_diaglist *dl)
{
	/* relative to the folder kept open: no path to make, and one name
	 * for the kernel to look up, not the folder's every one */
	const char *key = k->hex;
	int dfd = c->dfd >= 0 ? c->dfd : AT_FDCWD;
	char *path = c->dfd >= 0 ? NULL : bb_xasprintf("%s/%s", c->dir, key);
	const char *name = path ? path : key;
	char *data = NULL;
	size_t len = 0, flen = 0;
	unsigned char sum[TAIL];
	unsigned long long plen = 0;
	const char *why = NULL;
	time_t mtime = 0, now;
	int i, stale = 0;
	memset(e, 0, sizeof *e);
	if (S_read_entry(dfd, name, &data, &len, c->atime ? NULL : &mtime) != 0) {
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
	if (len < HEAD + TAIL)
		why = "truncated";
	else if (memcmp(data, MAGIC, 8) != 0)
		why = "not a chapter entry";
	else if (memcmp(data + 8, k->raw, 32) != 0)
		why = "another key's";
	else if (plen != len - HEAD - TAIL || plen < 8)
		why = "truncated";
	else {
		bb_checksum(data, len - TAIL, sum);
		if (memcmp(sum, data + len - TAIL, TAIL) != 0)
			why = "corrupted (checksum)";
	}
	if (!why) {
		/* the post's fields as the entry's rendering read them: others
		 * (a title, a url changed) make it another rendering's */
		for (i = 0; i < 8; i++)
			flen |= (size_t)(unsigned char)data[HEAD + i] << (8 * i);
		if (flen > plen - 8)
			why = "malformed";
		else
			stale = flen != k->fields.len || memcmp(data + HEAD + 8, k->fields.data, flen) != 0;
	}
	e->buf = data;
	e->len = len;
	if (!why && !stale && S_parse(e, (const unsigned char *)data + HEAD + 8 + flen, len - HEAD - TAIL - 8 - flen) != 0)
		why = "malformed";
	if (why || stale) {
		if (why)
			bb_diag_add(dl, BB_NOTE, post_path, 0, 0, "cache entry %.12s is %s; rendered again", key, why);
		bb_centry_free(e);
		free(path);
		return why ? -1 : 0;
	}
	/* used now: --cache-max removes the entries no run used for longest
	 * first. The read has set the access time (relatime: when it was not
	 * later than the modification, or a day old) unless the file system
	 * keeps none (noatime): then the modification time is set, at most
	 * once an hour (an fstat an entry: 3 % of a steady 10k rebind) */
	if (!c->atime) {
		now = time(NULL);
		if (now - mtime > TOUCH_S)
			utimensat(dfd, name, NULL, 0);
	}
	free(path);
	return 1;
}

/* Appends an entry's length n to the folder's size (.sizes), when there
 * is one: the next full look makes it when missing. */
static void
S_sizes_add(const bb_ccache *c, size_t n)
{
	unsigned char rec[8];
	char *path = bb_xasprintf("%s/" SIZES, c->dir);
	int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC), k;
	ssize_t w;
	free(path);
	if (fd < 0)
		return;
	for (k = 0; k < 8; k++)
		rec[k] = (unsigned char)((unsigned long long)n >> (8 * k));
	/* one write of 8 bytes with O_APPEND: never interleaved with another
	 * run's; a failed one (a full disk) leaves the sum short until the
	 * daily look */
	w = write(fd, rec, sizeof rec);
	(void)w;
	close(fd);
}

int
bb_ccache_store(bb_ccache *c, const bb_ckey *key, unsigned facts, const bb_cpart *parts, int nparts,
		const bb_heading *hs, size_t nh, const bb_deps *d, const bb_diaglist *dl)
{
	bb_buf o = BB_BUF_INIT;
	unsigned char sum[TAIL];
	char *tmp, *final;
	size_t i, plen;
	int k, rc = -1;
	unsigned long seq;

	if (!key->hex[0])
		return -1;
	bb_buf_put(&o, MAGIC, 8);
	bb_buf_put(&o, (const char *)key->raw, 32);
	bb_rec_u64(&o, 0); /* the payload's length, below */
	bb_rec_u64(&o, key->fields.len);
	bb_buf_put(&o, key->fields.data ? key->fields.data : "", key->fields.len);
	bb_rec_u32(&o, facts);
	bb_rec_u32(&o, (unsigned long)nparts);
	for (k = 0; k < nparts; k++) {
		bb_rec_u64(&o, parts[k].size);
		bb_rec_u32(&o, parts[k].crc);
		bb_rec_u32(&o, parts[k].props);
		bb_rec_u64(&o, parts[k].len);
		bb_buf_put(&o, (const char *)parts[k].data, parts[k].len);
	}
	bb_rec_u32(&o, (unsigned long)nh);
	for (i = 0; i < nh; i++) {
		bb_rec_u32(&o, (unsigned long)hs[i].level);
		bb_rec_cstr(&o, hs[i].id ? hs[i].id : "");
		bb_rec_cstr(&o, hs[i].text);
		bb_rec_u32(&o, (unsigned long)hs[i].part);
	}
	bb_rec_u32(&o, d->nimages);
	bb_buf_put(&o, d->images.data ? d->images.data : "", d->images.len);
	bb_rec_u32(&o, d->nlinks);
	bb_buf_put(&o, d->links.data ? d->links.data : "", d->links.len);
	bb_rec_diags(&o, dl->v, dl->n);
	plen = o.len - HEAD;
	for (k = 0; k < 8; k++)
		o.data[40 + k] = (char)(unsigned char)((unsigned long long)plen >> (8 * k));
	bb_checksum(o.data, o.len, sum);
	bb_buf_put(&o, (const char *)sum, sizeof sum);

	pthread_mutex_lock(&c->mu);
	seq = ++c->seq;
	pthread_mutex_unlock(&c->mu);
	/* counted before it is there: a run killed between the two leaves the
	 * sum too large, never too small */
	S_sizes_add(c, o.len);
	/* a whole file under a temporary name, then renamed: another run (or
	 * this one, killed) never sees half an entry under a key */
	tmp = bb_xasprintf("%s/.tmp-%ld-%lu", c->dir, (long)getpid(), seq);
	final = bb_xasprintf("%s/%s", c->dir, key->hex);
	rc = bb_write_whole(tmp, final, o.data, o.len);
	free(tmp);
	free(final);
	bb_buf_free(&o);
	return rc;
}

int
bb_centry_replay_images(bb_blog *b, const bb_post *p, const bb_centry *e)
{
	bb_rec r = { (const unsigned char *)e->images, e->images_len, 0, 0 };
	unsigned i;
	for (i = 0; i < e->nimages; i++) {
		int kind = (int)bb_rec_n(&r, 4);
		const char *path = bb_rec_s(&r), *from = bb_rec_s(&r), *base = bb_rec_s(&r), *name = bb_rec_s(&r);
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
	bb_rec r = { (const unsigned char *)e->diags, e->diags_len, 0, 0 };
	bb_rec_diags_replay(&r, e->ndiags, dl);
}

int
bb_centry_links(const bb_centry *e, int (*fn)(void *ud, const char *href, const char *answer), void *ud)
{
	bb_rec r = { (const unsigned char *)e->links, e->links_len, 0, 0 };
	unsigned i;
	for (i = 0; i < e->nlinks; i++) {
		const char *href = bb_rec_s(&r), *answer = bb_rec_s(&r);
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
	c->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
#ifdef ST_NOATIME
	{
		struct statvfs sv;
		c->atime = statvfs(dir, &sv) == 0 && !(sv.f_flag & ST_NOATIME);
	}
#endif
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

static unsigned long long
S_le64(const unsigned char *p)
{
	unsigned long long v = 0;
	int k;
	for (k = 0; k < 8; k++)
		v |= (unsigned long long)p[k] << (8 * k);
	return v;
}

/* Reads the folder's size (.sizes) into *total and the time of its last
 * full look into *scanned; with from > 0, only the lengths appended at
 * and after byte from are summed (*scanned untouched). *len: the file's
 * length. Returns 0, or -1 when it is missing, unreadable or malformed. */
static int
S_sizes_read(const bb_ccache *c, size_t from, unsigned long long *total, time_t *scanned, size_t *len)
{
	char *path = bb_xasprintf("%s/" SIZES, c->dir), *data = NULL;
	const unsigned char *p;
	size_t n = 0, off;
	int rc = -1;
	*total = 0;
	*len = 0;
	if (bb_read_file(path, SIZES_MAX, &data, &n) != 0 || n < SIZES_HEAD || (n - SIZES_HEAD) % 8 != 0 ||
	    memcmp(data, SIZES_MAGIC, 8) != 0 || (from && (from < SIZES_HEAD || from > n || (from - SIZES_HEAD) % 8)))
		goto out;
	p = (const unsigned char *)data;
	if (!from) {
		*scanned = (time_t)S_le64(p + 8);
		*total = S_le64(p + 16);
	}
	for (off = from ? from : SIZES_HEAD; off < n; off += 8) {
		unsigned long long e = S_le64(p + off);
		if (e > ENTRY_MAX + HEAD + TAIL)
			goto out;
		*total += e;
	}
	*len = n;
	rc = 0;
out:
	free(path);
	free(data);
	return rc;
}

/* Writes the folder's size after a full look that found total bytes (at
 * time now), keeping the lengths other runs appended to the old file
 * since byte from (0: none known) while the look went on. */
static void
S_sizes_write(const bb_ccache *c, unsigned long long total, time_t now, size_t from)
{
	unsigned long long since = 0;
	time_t unused;
	size_t len;
	bb_buf o = BB_BUF_INIT;
	char *tmp, *final;
	/* counted twice when the look saw them too: larger. It can come out
	 * short: a length another run appends between this read and the
	 * rename below is lost, as is one whose append failed (a full disk);
	 * then the folder may pass --cache-max until the daily full look
	 * (SCAN_EVERY_S) counts every entry again */
	if (from && S_sizes_read(c, from, &since, &unused, &len) == 0)
		total += since;
	bb_buf_put(&o, SIZES_MAGIC, 8);
	bb_rec_u64(&o, (unsigned long long)now);
	bb_rec_u64(&o, total);
	tmp = bb_xasprintf("%s/.tmp-%ld-sizes", c->dir, (long)getpid());
	final = bb_xasprintf("%s/" SIZES, c->dir);
	bb_write_whole(tmp, final, o.data, o.len);
	free(tmp);
	free(final);
	bb_buf_free(&o);
}

/* The full look at the folder: every entry's size and time; removes the
 * stale temporary files of killed runs and, while the entries hold more
 * than limit bytes (0: no bound), the oldest; writes the folder's size
 * again. */
static void
S_scan(bb_ccache *c, unsigned long long limit, long max_mb, bb_diaglist *dl)
{
	DIR *d;
	struct dirent *de;
	ent *v = NULL;
	size_t n = 0, cap = 0, i, removed = 0, from = 0;
	unsigned long long total = 0, unused;
	time_t now = time(NULL), t;
	/* where the lengths appended during the look will start */
	if (S_sizes_read(c, 0, &unused, &t, &from) != 0)
		from = 0;
	if (!(d = opendir(c->dir)))
		return;
	while ((de = readdir(d))) {
		char *p;
		struct stat st;
		/* ".", "..", the post index (postindex.c), the size */
		if (de->d_name[0] == '.' && strncmp(de->d_name, ".tmp-", 5) != 0)
			continue;
		/* by the folder's descriptor: no path looked up again */
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (strncmp(de->d_name, ".tmp-", 5) == 0) {
			/* a killed run's half entry */
			p = bb_xasprintf("%s/%s", c->dir, de->d_name);
			if (now - st.st_mtime > STALE_TMP_S)
				unlink(p);
			free(p);
			continue;
		}
		if (n == cap)
			v = bb_xrealloc(v, (cap = cap ? cap * 2 : 256) * sizeof *v);
		v[n].name = bb_xstrdup(de->d_name);
		/* last used: the later of its access (a read, where the file
		 * system keeps them) and modification times */
		if (c->atime && (st.st_atim.tv_sec > st.st_mtim.tv_sec ||
				 (st.st_atim.tv_sec == st.st_mtim.tv_sec && st.st_atim.tv_nsec > st.st_mtim.tv_nsec))) {
			v[n].mtime = st.st_atim.tv_sec;
			v[n].mtime_ns = st.st_atim.tv_nsec;
		} else {
			v[n].mtime = st.st_mtim.tv_sec;
			v[n].mtime_ns = st.st_mtim.tv_nsec;
		}
		v[n].size = (unsigned long long)st.st_size;
		total += v[n].size;
		n++;
	}
	closedir(d);
	if (limit && total > limit) {
		/* down to 90 % of the bound, so that the next runs' entries fit
		 * under it and they need not look at every entry again */
		unsigned long long low = limit - limit / 10;
		qsort(v, n, sizeof *v, S_cmp_ent);
		for (i = 0; i < n && total > low; i++) {
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
	S_sizes_write(c, total, now, from);
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

void
bb_ccache_close(bb_ccache *c, long max_mb, bb_diaglist *dl)
{
	unsigned long long total = 0, limit = max_mb > 0 ? (unsigned long long)max_mb * 1000000ULL : 0;
	time_t scanned = 0, now = time(NULL);
	size_t len;
	if (!c)
		return;
	/* the sum is enough unless it is missing, over the bound or old */
	if (S_sizes_read(c, 0, &total, &scanned, &len) != 0 || (limit && total > limit) ||
	    now - scanned > SCAN_EVERY_S || scanned > now + 60)
		S_scan(c, limit, max_mb, dl);
	pthread_mutex_destroy(&c->mu);
	if (c->dfd >= 0)
		close(c->dfd);
	free(c->dir);
	free(c);
}
