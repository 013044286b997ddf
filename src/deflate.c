/* deflate.c: raw deflate for the book's entries: a whole file at once
 * (libdeflate, a chapter, level 6), or a stream into the spool (zlib, the
 * OPF, nav and NCX, level 1). */
#define _XOPEN_SOURCE 700
#include "deflate.h"
#include "util.h"

#include <errno.h>
#include <libdeflate.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#define LEVEL 6
/* The OPF, nav and NCX are made again at every bind, a rebind's too, and
 * are long runs of near-identical lines: on the 10,000-post bench book's
 * NCX (6.1 MB) zlib's level 1 is 2.8 times faster than level 6 for a
 * stream 28 % larger (827 KB, not 646 KB; the book grows 1.3 %). */
#define STREAM_LEVEL 1

/* Sets up zs for raw deflate at STREAM_LEVEL; only out of memory makes it
 * fail, which the memory policy turns into an abort. */
static void
S_init(z_stream *zs)
{
	if (deflateInit2(zs, STREAM_LEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		bb_xmalloc((size_t)-1 / 2);
}

/* libdeflate compresses a whole buffer in one call, 2 to 3 times faster
 * than zlib at the same level and a little smaller: a chapter is whole
 * before it is spooled. */
struct bb_deflater {
	struct libdeflate_compressor *c;
	unsigned char *out;
	size_t cap;
};

bb_deflater *
bb_deflater_new(void)
{
	bb_deflater *d = bb_xcalloc(1, sizeof *d);
	if (!(d->c = libdeflate_alloc_compressor(LEVEL)))
		bb_xmalloc((size_t)-1 / 2); /* out of memory: the policy's abort */
	return d;
}

void
bb_deflater_free(bb_deflater *d)
{
	if (!d)
		return;
	libdeflate_free_compressor(d->c);
	free(d->out);
	free(d);
}

const unsigned char *
bb_deflate(bb_deflater *d, const char *data, size_t len, bb_spooled *s, size_t *out_len)
{
	size_t bound = libdeflate_deflate_compress_bound(d->c, len);
	if (bound > d->cap) {
		d->cap = bound;
		d->out = bb_xrealloc(d->out, d->cap);
	}
	/* within the bound it cannot run out of room */
	*out_len = libdeflate_deflate_compress(d->c, data, len, d->out, d->cap);
	s->size = len;
	s->comp_size = *out_len;
	s->crc = libdeflate_crc32(0, data, len);
	return d->out;
}

struct bb_zsink {
	z_stream zs;
	int fd;
	unsigned long long *end, mem_end;
	bb_buf mem;       /* with fd -1: what was deflated */
	bb_spooled s;
	int err;
	unsigned char buf[1 << 16];
};

bb_zsink *
bb_zsink_new(int fd, unsigned long long *end)
{
	bb_zsink *z = bb_xcalloc(1, sizeof *z);
	z->fd = fd;
	z->end = fd < 0 ? &z->mem_end : end;
	z->s.offset = *z->end;
	z->s.crc = 0; /* the CRC-32 of nothing */
	S_init(&z->zs);
	return z;
}

/* Deflates what waits in z->zs with flush and writes what comes out. */
static int
S_drain(bb_zsink *z, int flush)
{
	int zr;
	if (z->err)
		return -1;
	do {
		size_t n;
		z->zs.next_out = z->buf;
		z->zs.avail_out = sizeof z->buf;
		zr = deflate(&z->zs, flush);
		n = sizeof z->buf - z->zs.avail_out;
		if (n && z->fd < 0)
			bb_buf_put(&z->mem, z->buf, n);
		else if (n && bb_pwrite_all(z->fd, z->buf, n, *z->end) != 0) {
			z->err = errno;
			return -1;
		}
		*z->end += n;
		z->s.comp_size += n;
	} while (z->zs.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
	return 0;
}

int
bb_zsink_write(void *ctx, const char *p, size_t n)
{
	bb_zsink *z = ctx;
	/* libdeflate's CRC-32 (the same value) is 3 times faster than zlib's */
	z->s.crc = libdeflate_crc32((uint32_t)z->s.crc, p, n);
	z->s.size += n;
	z->zs.next_in = (Bytef *)p;
	z->zs.avail_in = (uInt)n;
	return S_drain(z, Z_NO_FLUSH);
}

int
bb_zsink_finish(bb_zsink *z, bb_spooled *s)
{
	if (S_drain(z, Z_FINISH) != 0)
		return -1;
	*s = z->s;
	return 0;
}

int
bb_zsink_error(const bb_zsink *z)
{
	return z->err;
}

const char *
bb_zsink_data(const bb_zsink *z, size_t *len)
{
	*len = z->mem.len;
	return z->mem.data;
}

void
bb_zsink_free(bb_zsink *z)
{
	if (!z)
		return;
	deflateEnd(&z->zs);
	bb_buf_free(&z->mem);
	free(z);
}
