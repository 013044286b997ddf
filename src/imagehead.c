/* imagehead.c: the size of a PNG or JPEG read from its header (the PNG's
 * IHDR chunk, and a tRNS before IDAT for its alpha; the JPEG's
 * start-of-frame marker), so an image that goes into
 * the book as it is needs no libvips (loading it costs more than binding a
 * small blog). No pixel is decoded here: whatever needs pixels (conversion,
 * scaling, recompression) still goes through libvips. */
#define _XOPEN_SOURCE 700
#include "image.h"

#include <stdio.h>
#include <string.h>

#define S_MAX_MARKERS 512 /* JPEG segments walked before giving up */

static unsigned long
S_be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* 1 when a tRNS chunk (a transparent colour, or alpha for palette
 * entries: libvips then gives the image an alpha band) stands between
 * IHDR and the first IDAT, walking the chunk headers within the n bytes
 * at h; 0 when there is none, or the bytes end first (then the PNG is
 * taken as opaque, as before: it goes in as it is all the same). */
static int
S_png_trns(const unsigned char *h, size_t n)
{
	size_t at = 33; /* the signature and IHDR */
	while (at + 8 <= n) {
		unsigned long len = S_be32(h + at);
		if (memcmp(h + at + 4, "tRNS", 4) == 0)
			return 1;
		if (memcmp(h + at + 4, "IDAT", 4) == 0 || len > 0x7fffffffUL)
			return 0;
		at += 12 + (size_t)len; /* length, type, data, CRC */
	}
	return 0;
}

/* A PNG's IHDR: always the first chunk, at byte 8. */
static int
S_png(const unsigned char *h, size_t n, int *w, int *ht, int *alpha)
{
	unsigned long x, y;
	if (n < 26 || S_be32(h + 8) != 13 || memcmp(h + 12, "IHDR", 4) != 0)
		return -1;
	x = S_be32(h + 16);
	y = S_be32(h + 20);
	if (x == 0 || y == 0 || x > 0x7fffffffUL || y > 0x7fffffffUL)
		return -1;
	*w = (int)x;
	*ht = (int)y;
	/* grey or colour with alpha, or any other colour type with tRNS */
	*alpha = h[25] == 4 || h[25] == 6 || ((h[25] == 0 || h[25] == 2 || h[25] == 3) && S_png_trns(h, n));
	return 0;
}

/* 1 for the start-of-frame markers that carry the image's size. */
static int
S_sof(int m)
{
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/* A JPEG's size from its first start-of-frame segment, walking the
 * segments before it (with seeks: EXIF and ICC data can be large). */
static int
S_jpeg(const char *path, int *w, int *ht)
{
	FILE *f = fopen(path, "rb");
	unsigned char b[8];
	int i, m, rc = -1;
	if (!f)
		return -1;
	if (fread(b, 1, 2, f) != 2 || b[0] != 0xFF || b[1] != 0xD8)
		goto out;
	for (i = 0; i < S_MAX_MARKERS; i++) {
		int c;
		unsigned len;
		if ((c = getc(f)) != 0xFF)
			goto out; /* segments follow one another: anything else is damage */
		while ((m = getc(f)) == 0xFF)
			;
		if (m == EOF || m == 0xD9 || m == 0xDA)
			goto out; /* the end, or the scan, before any frame */
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD8))
			continue; /* markers without a length */
		if (fread(b, 1, 2, f) != 2 || (len = (unsigned)b[0] << 8 | b[1]) < 2)
			goto out;
		if (S_sof(m)) {
			if (len < 8 || fread(b, 1, 5, f) != 5)
				goto out;
			*ht = b[1] << 8 | b[2];
			*w = b[3] << 8 | b[4];
			rc = *w > 0 && *ht > 0 ? 0 : -1; /* a height of 0 comes later (DNL) */
			goto out;
		}
		if (fseek(f, (long)len - 2, SEEK_CUR) != 0)
			goto out;
	}
out:
	fclose(f);
	return rc;
}

int
bb_image_head_size(const char *path, const char *format, const unsigned char *head, size_t n, int *w, int *h,
		   int *alpha)
{
	*alpha = 0;
	if (strcmp(format, "png") == 0)
		return S_png(head, n, w, h, alpha);
	if (strcmp(format, "jpeg") == 0)
		return S_jpeg(path, w, h);
	return -1;
}
