/* outkeep.c: the posts' headings, kept from their render until the
 * navigation is written: the first S_MEM_MAX bytes of them in memory (a
 * blog of some ten thousand posts holds no more, and reads them back
 * without a system call), the rest in a temporary file removed as soon as
 * it is made (it lives only as an open descriptor, so no exit leaves it). */
#define _POSIX_C_SOURCE 200809L
#include "outkeep.h"
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Blocks are placed at offsets below S_MEM_MAX in mem (allocated at its
 * full size once, so a reader never sees it move; pages untouched stay
 * out of RSS), at S_MEM_MAX + their file offset past it. */
#define S_MEM_MAX ((size_t)2 << 20)

struct bb_ospool {
	char *mem;                /* S_MEM_MAX bytes, memlen of them used */
	size_t memlen;
	int full;                 /* 1: a block did not fit: all go to the file */
	int fd;                   /* -1: not made (err says why) */
	unsigned long long end;   /* the file's length */
	int err;                  /* the first failure's errno, 0 */
};

/* A block of headings as it lies in the file: its length (this header
 * included), then the n headings with their id and text as offsets from
 * the first heading (text 0: none), then the strings. */
typedef struct okhead {
	unsigned long long len;
} okhead;

/* The block of the n headings h (caller frees), its length in *len. */
static char *
S_block(const bb_heading *h, size_t n, size_t *len)
{
	size_t i, at = n * sizeof *h;
	char *blk, *s;
	bb_heading *out;
	*len = sizeof(okhead) + at;
	for (i = 0; i < n; i++)
		*len += strlen(h[i].id) + 1 + (h[i].text ? strlen(h[i].text) + 1 : 0);
	blk = bb_xmalloc(*len);
	((okhead *)blk)->len = *len;
	out = (bb_heading *)(blk + sizeof(okhead));
	s = (char *)(out + n);
	for (i = 0; i < n; i++) {
		size_t l = strlen(h[i].id) + 1;
		out[i] = h[i];
		memcpy(s, h[i].id, l);
		out[i].id = (char *)(uintptr_t)at;
		s += l, at += l;
		out[i].text = NULL;
		if (h[i].text) {
			l = strlen(h[i].text) + 1;
			memcpy(s, h[i].text, l);
			out[i].text = (char *)(uintptr_t)at;
			s += l, at += l;
		}
	}
	return blk;
}

/* Puts the block of len bytes after the others: in memory while it fits,
 * else at the end of b's file, made first when needed; under b->lock.
 * Sets *at to its place (see S_MEM_MAX), or returns -1 with the error
 * set. Blocks go to the file in order once one has, so memory is not
 * filled by small ones after. */
static int
S_write(bb_blog *b, const char *blk, size_t len, unsigned long long *at)
{
	struct bb_ospool *o = b->outline;
	if (!o) {
		o = b->outline = bb_xcalloc(1, sizeof *o);
		o->mem = bb_xmalloc(S_MEM_MAX);
		o->fd = -1;
	}
	if (!o->full && len <= S_MEM_MAX - o->memlen) {
		memcpy(o->mem + o->memlen, blk, len);
		*at = o->memlen;
		o->memlen += len;
		return 0;
	}
	o->full = 1;
	if (o->fd < 0 && !o->err && (o->fd = bb_tmp_fd()) < 0)
		o->err = errno ? errno : EIO;
	if (o->fd < 0)
		return -1;
	if (bb_pwrite_all(o->fd, blk, len, o->end) != 0) {
		if (!o->err)
			o->err = errno ? errno : EIO;
		return -1;
	}
	*at = S_MEM_MAX + o->end;
	o->end += len;
	return 0;
}

void
bb_outkeep_put(bb_blog *b, size_t idx, const bb_heading *h, size_t n)
{
	bb_post *p = &b->posts[idx];
	size_t len = 0;
	char *blk = n ? S_block(h, n, &len) : NULL;
	pthread_mutex_lock(&b->lock);
	if (!p->rendered) {
		/* written under the lock: once rendered, any thread may read it */
		p->nheadings = 0;
		if (n && S_write(b, blk, len, &p->outline_at) == 0)
			p->nheadings = (unsigned)n;
		p->rendered = 1;
	}
	pthread_mutex_unlock(&b->lock);
	free(blk);
}

/* Notes a failure to read (under b->lock: the spool is shared). */
static void
S_fail(const bb_blog *b, int err)
{
	bb_blog *w = (bb_blog *)b;
	pthread_mutex_lock(&w->lock);
	if (w->outline && !w->outline->err)
		w->outline->err = err ? err : EIO;
	pthread_mutex_unlock(&w->lock);
}

/* Reads the block at (see S_MEM_MAX) of b's headings: a new block of
 * its length with the header cut off, or NULL (the failure noted); need is
 * the least length its headings take. */
static char *
S_read(const bb_blog *b, unsigned long long at, size_t need)
{
	const struct bb_ospool *o = b->outline;
	char first[4096], *blk;
	okhead hd;
	size_t got, len;
	ssize_t r;
	if (at < S_MEM_MAX) {
		if (at + sizeof hd > S_MEM_MAX) {
			S_fail(b, EIO);
			return NULL;
		}
		memcpy(&hd, o->mem + at, sizeof hd);
		len = (size_t)hd.len;
		if (len < sizeof hd + need || len > S_MEM_MAX - at) {
			S_fail(b, EIO);
			return NULL;
		}
		blk = bb_xmalloc(len - sizeof hd);
		memcpy(blk, o->mem + at + sizeof hd, len - sizeof hd);
		return blk;
	}
	at -= S_MEM_MAX;
	if (o->fd < 0) {
		S_fail(b, EIO);
		return NULL;
	}
	/* most blocks are read at once: a few hundred bytes */
	r = pread(o->fd, first, sizeof first, (off_t)at);
	if (r < (ssize_t)sizeof hd) {
		S_fail(b, r < 0 ? errno : EIO);
		return NULL;
	}
	memcpy(&hd, first, sizeof hd);
	len = (size_t)hd.len;
	if (len < sizeof hd + need) {
		S_fail(b, EIO);
		return NULL;
	}
	blk = bb_xmalloc(len);
	got = (size_t)r < len ? (size_t)r : len;
	memcpy(blk, first, got);
	if (got < len && bb_pread_all(o->fd, blk + got, len - got, at + got) != 0) {
		S_fail(b, errno);
		free(blk);
		return NULL;
	}
	/* the headings first, in the block's place: one free frees all */
	memmove(blk, blk + sizeof hd, len - sizeof hd);
	return blk;
}

bb_heading *
bb_outkeep_get(const bb_blog *b, const bb_post *p, size_t *n)
{
	char *blk;
	size_t i;
	bb_heading *hs;
	*n = 0;
	if (!p->nheadings || !b->outline)
		return NULL;
	if (!(blk = S_read(b, p->outline_at, p->nheadings * sizeof *hs)))
		return NULL;
	hs = (bb_heading *)blk;
	for (i = 0; i < p->nheadings; i++) {
		hs[i].id = blk + (uintptr_t)hs[i].id;
		if (hs[i].text)
			hs[i].text = blk + (uintptr_t)hs[i].text;
	}
	*n = p->nheadings;
	return hs;
}

int
bb_outkeep_error(const bb_blog *b)
{
	int err;
	pthread_mutex_lock((pthread_mutex_t *)&b->lock);
	err = b->outline ? b->outline->err : 0;
	pthread_mutex_unlock((pthread_mutex_t *)&b->lock);
	return err;
}

void
bb_outkeep_close(bb_blog *b)
{
	if (!b->outline)
		return;
	if (b->outline->fd >= 0)
		close(b->outline->fd);
	free(b->outline->mem);
	free(b->outline);
	b->outline = NULL;
}
