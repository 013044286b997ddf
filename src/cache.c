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
 * An entry, in a pack of DIR/chapters (cachepack.c):
 *   "BBCHAP03", the key (32 bytes), the payload's length (8 bytes, LE),
 *   the payload, the UMAC-128 of everything before it (16 bytes).
 * The payload (integers little-endian, u32 unless said; a string is its
 * length, 0xffffffff for none, its bytes and a NUL):
 *   the fields record's length (u64) and bytes (S_post_fields);
 *   facts; nparts, each: size (u64), crc, props, length (u64), deflated bytes;
 *   nheadings, each: level, id, text, part;
 *   nimages, each: kind, path, hash_from, base, name;
 *   nlinks, each: href, answer;
 *   ndiags, each: severity, outside, path, line, col, message. */
#define _XOPEN_SOURCE 700
#include "cache.h"
#include "cachepack.h"
#include "settingskey.h"
#include "record.h"
#include "postindex.h"
#include "liquid.h"
#include "source.h"

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

#define MAGIC "BBCHAP03"
#define HEAD (8 + 32 + 8)
#define TAIL BB_CHECKSUM_SIZE
/* Support files (_data, _includes) hashed into the keys of posts that use
 * Liquid: at most this many bytes each, this deep. */
#define TREE_FILE_MAX ((size_t)16 << 20)
#define TREE_DEPTH 8

struct bb_ccache {
	bb_blog *b;
	char *dir;
	unsigned char book[SHA256_DIGEST_SIZE];
	bb_cpacks *packs;         /* NULL: the folder could not be listed */
	pthread_mutex_t mu;
	int have_site;
	unsigned char site[SHA256_DIGEST_SIZE];
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

/* Checks the entry at data (len bytes) against k and reads it into e
 * (pointing into data). Returns 1 sound and made from k's fields, 0 made
 * from other fields, -1 broken (*why says how). */
static int
S_check(const bb_ckey *k, const unsigned char *data, size_t len, bb_centry *e, const char **why)
{
	unsigned long long plen = 0;
	unsigned char sum[TAIL];
	size_t flen = 0;
	int i;
	memset(e, 0, sizeof *e);
	*why = NULL;
	for (i = 0; i < 8 && len >= HEAD; i++)
		plen |= (unsigned long long)data[40 + i] << (8 * i);
	if (len < HEAD + TAIL)
		*why = "truncated";
	else if (memcmp(data, MAGIC, 8) != 0)
		*why = "not a chapter entry";
	else if (memcmp(data + 8, k->raw, 32) != 0)
		*why = "another key's";
	else if (plen != len - HEAD - TAIL || plen < 8)
		*why = "truncated";
	else {
		bb_checksum(data, len - TAIL, sum);
		if (memcmp(sum, data + len - TAIL, TAIL) != 0)
			*why = "corrupted (checksum)";
	}
	if (*why)
		return -1;
	/* the post's fields as the entry's rendering read them: others (a
	 * title, a url changed) make it another rendering's */
	for (i = 0; i < 8; i++)
		flen |= (size_t)data[HEAD + i] << (8 * i);
	if (flen > plen - 8) {
		*why = "malformed";
		return -1;
	}
	if (flen != k->fields.len || memcmp(data + HEAD + 8, k->fields.data, flen) != 0)
		return 0;
	e->len = len;
	if (S_parse(e, data + HEAD + 8 + flen, len - HEAD - TAIL - 8 - flen) != 0) {
		bb_centry_free(e);
		*why = "malformed";
		return -1;
	}
	return 1;
}

int
bb_ccache_load(bb_ccache *c, const bb_ckey *k, const char *post_path, bb_centry *e, bb_diaglist *dl)
{
	const unsigned char *data;
	const char *why, *first = NULL;
	size_t len, n;
	/* the newest first; a broken or stale one may have a sound twin in
	 * an older pack */
	for (n = 0; bb_cpacks_find(c->packs, k->raw, n, &data, &len); n++) {
		int r = S_check(k, data, len, e, &why);
		if (r == 1) {
			bb_cpacks_used(c->packs, data, len);
			return 1;
		}
		if (r < 0 && !first)
			first = why;
	}
	memset(e, 0, sizeof *e);
	if (!first)
		return 0;
	bb_diag_add(dl, BB_NOTE, post_path, 0, 0, "cache entry %.12s is %s; rendered again", k->hex, first);
	return -1;
}

int
bb_ccache_store(bb_ccache *c, const bb_ckey *key, unsigned facts, const bb_cpart *parts, int nparts,
		const bb_heading *hs, size_t nh, const bb_deps *d, const bb_diaglist *dl)
{
	bb_buf o = BB_BUF_INIT;
	unsigned char sum[TAIL];
	size_t i, plen;
	int k, rc;

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

	rc = bb_cpacks_append(c->packs, o.data, o.len);
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
	unsigned char packs_book[SHA256_DIGEST_SIZE];
	struct sha256_ctx h;
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
	/* the packs' book: the settings and the blog's folder (two blogs
	 * bound with the same settings keep their packs apart) */
	sha256_init(&h);
	sha256_update(&h, sizeof c->book, c->book);
	bb_h_str(&h, b->root_real ? b->root_real : b->root);
	bb_h_str(&h, b->export_path);
	sha256_digest(&h, sizeof packs_book, packs_book);
	c->packs = bb_cpacks_open(dir, packs_book, dl);
	return c;
}

void
bb_ccache_end(bb_ccache *c, int complete, long max_mb, bb_diaglist *dl)
{
	if (c)
		bb_cpacks_end(c->packs, complete, max_mb > 0 ? (unsigned long long)max_mb * 1000000ULL : 0, max_mb, dl);
}

void
bb_ccache_free(bb_ccache *c)
{
	if (!c)
		return;
	bb_cpacks_free(c->packs);
	pthread_mutex_destroy(&c->mu);
	free(c->dir);
	free(c);
}

void
bb_ccache_close(bb_ccache *c, int complete, long max_mb, bb_diaglist *dl)
{
	bb_ccache_end(c, complete, max_mb, dl);
	bb_ccache_free(c);
}
