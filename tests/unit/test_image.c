/* test_image.c: images every reader can show (image.c): formats sniffed
 * from their bytes; WebP, AVIF, BMP and TIFF made PNG (with transparency)
 * or JPEG; headers claiming too many pixels refused before decoding, fast;
 * scaling to a longest side; EXIF orientation applied; a damaged file
 * refused with a reason; the same bytes on every run. The test images are
 * made here, by libvips's own savers. */
#define _XOPEN_SOURCE 700
#include "image.h"
#include "util.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif
#include <vips/vips.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

static char dir[256];

static double
S_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *
S_path(const char *name)
{
	return bb_xasprintf("%s/%s", dir, name);
}

/* A w x h test picture: colour gradients, plus a varying alpha when alpha. */
static VipsImage *
S_picture(int w, int h, int alpha)
{
	VipsImage *xy = NULL, *x = NULL, *y = NULL, *r = NULL, *g = NULL, *bl = NULL, *rgb = NULL, *out = NULL;
	VipsImage *bands[4];
	vips_xyz(&xy, w, h, NULL);
	vips_extract_band(xy, &x, 0, NULL);
	vips_extract_band(xy, &y, 1, NULL);
	vips_linear1(x, &r, 255.0 / w, 0, "uchar", TRUE, NULL);
	vips_linear1(y, &g, 255.0 / h, 0, "uchar", TRUE, NULL);
	vips_linear1(x, &bl, -255.0 / w, 255, "uchar", TRUE, NULL);
	bands[0] = r, bands[1] = g, bands[2] = bl, bands[3] = g;
	vips_bandjoin(bands, &rgb, alpha ? 4 : 3, NULL);
	vips_copy(rgb, &out, "interpretation", VIPS_INTERPRETATION_sRGB, NULL);
	g_object_unref(xy), g_object_unref(x), g_object_unref(y);
	g_object_unref(r), g_object_unref(g), g_object_unref(bl), g_object_unref(rgb);
	return out;
}

static int
S_read(const char *path, unsigned char *head, size_t cap, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	*n = fread(head, 1, cap, f);
	fclose(f);
	return 0;
}

static void
S_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len)
		abort();
	fclose(f);
}

/* Probes path with max_px; returns its result, *info and *why filled. */
static int
S_probe(const char *path, long max_px, bb_image_info *info, const char **why)
{
	unsigned char head[1024];
	size_t n = 0;
	*why = NULL;
	if (S_read(path, head, sizeof head, &n) != 0)
		return -2;
	return bb_image_probe(path, head, n, max_px, info, why);
}

/* Converts path as the probe decides and checks the result: its magic,
 * size and bands. Returns the bytes (caller frees) or NULL. */
static unsigned char *
S_check_convert(const char *what, const char *path, long max_px, const char *want_type, int want_w, int want_h,
		int want_bands, size_t *len)
{
	bb_image_info info;
	const char *why = NULL;
	char *cwhy = NULL;
	unsigned char *out = NULL;
	bb_image_opts o;
	VipsImage *im = NULL;
	int ok;
	memset(&o, 0, sizeof o);
	o.max_px = max_px;
	ok = S_probe(path, max_px, &info, &why) == 0;
	if (!ok)
		fprintf(stderr, "%s: probe refused: %s\n", what, why ? why : "?");
	CHECK(ok);
	if (!ok)
		return NULL;
	CHECK(info.convert == 1);
	CHECK_STR(info.media_type, want_type);
	ok = bb_image_convert(path, info.media_type, &o, &out, len, &cwhy) == 0;
	if (!ok)
		fprintf(stderr, "%s: convert failed: %s\n", what, cwhy ? cwhy : "?");
	CHECK(ok);
	free(cwhy);
	if (!ok)
		return NULL;
	if (strcmp(want_type, "image/png") == 0)
		CHECK(*len > 8 && memcmp(out, "\x89PNG\r\n\x1a\n", 8) == 0);
	else
		CHECK(*len > 3 && out[0] == 0xFF && out[1] == 0xD8 && out[2] == 0xFF);
	CHECK_STR(bb_image_sniff(out, *len), strcmp(want_type, "image/png") == 0 ? "png" : "jpeg");
	if (!(im = vips_image_new_from_buffer(out, *len, "", NULL))) {
		fprintf(stderr, "%s: %s\n", what, vips_error_buffer());
		CHECK(!"the converted image decodes");
		vips_error_clear();
		return out;
	}
	if (vips_image_get_width(im) != want_w || vips_image_get_height(im) != want_h ||
	    vips_image_get_bands(im) != want_bands)
		fprintf(stderr, "%s: got %d x %d x %d, want %d x %d x %d\n", what, vips_image_get_width(im),
			vips_image_get_height(im), vips_image_get_bands(im), want_w, want_h, want_bands);
	CHECK(vips_image_get_width(im) == want_w);
	CHECK(vips_image_get_height(im) == want_h);
	CHECK(vips_image_get_bands(im) == want_bands);
	/* metadata stripped: no EXIF, no XMP */
	CHECK(!vips_image_get_typeof(im, VIPS_META_EXIF_NAME));
	CHECK(!vips_image_get_typeof(im, VIPS_META_XMP_NAME));
	g_object_unref(im);
	return out;
}

static void
test_sniff(void)
{
	static const unsigned char heic[] = "\0\0\0\x18" "ftypheic\0\0\0\0mif1heic";
	static const unsigned char avif[] = "\0\0\0\x1c" "ftypmif1\0\0\0\0mif1miafavif";
	static const unsigned char mp4[] = "\0\0\0\x18" "ftypisom\0\0\0\0isomiso2";
	CHECK_STR(bb_image_sniff((const unsigned char *)"\x89PNG\r\n\x1a\n....", 12), "png");
	CHECK_STR(bb_image_sniff((const unsigned char *)"RIFF\0\0\0\0WEBPVP8 ", 16), "webp");
	CHECK_STR(bb_image_sniff(heic, sizeof heic - 1), "heic");
	CHECK_STR(bb_image_sniff(avif, sizeof avif - 1), "avif");
	CHECK(bb_image_sniff(mp4, sizeof mp4 - 1) == NULL);
	CHECK_STR(bb_image_sniff((const unsigned char *)"II*\0\x08\0\0\0", 8), "tiff");
	CHECK_STR(bb_image_sniff((const unsigned char *)"BM\0\0\0\0\0\0\0\0\0\0\0\0\x28\0\0\0", 18), "bmp");
	CHECK(bb_image_sniff((const unsigned char *)"BMW is a car", 12) == NULL);
	CHECK_STR(bb_image_sniff((const unsigned char *)"  <?xml version='1.0'?><svg/>", 29), "svg");
	CHECK(bb_image_sniff((const unsigned char *)"hello", 5) == NULL);
}

static void
test_formats(void)
{
	VipsImage *rgba = S_picture(64, 48, 1), *rgb = S_picture(64, 48, 0);
	char *p;
	unsigned char *out;
	size_t len;
	int r;

	p = S_path("alpha.webp");
	CHECK(vips_webpsave(rgba, p, "lossless", TRUE, NULL) == 0);
	out = S_check_convert("webp with alpha", p, -1, "image/png", 64, 48, 4, &len);
	free(out), free(p);

	p = S_path("photo.webp");
	CHECK(vips_webpsave(rgb, p, "Q", 80, NULL) == 0);
	out = S_check_convert("webp", p, -1, "image/jpeg", 64, 48, 3, &len);
	free(out), free(p);

	p = S_path("photo.tif");
	CHECK(vips_tiffsave(rgb, p, "compression", VIPS_FOREIGN_TIFF_COMPRESSION_DEFLATE, NULL) == 0);
	out = S_check_convert("tiff", p, -1, "image/jpeg", 64, 48, 3, &len);
	free(out), free(p);

	p = S_path("alpha.tif");
	CHECK(vips_tiffsave(rgba, p, NULL) == 0);
	out = S_check_convert("tiff with alpha", p, -1, "image/png", 64, 48, 4, &len);
	free(out), free(p);

	p = S_path("photo.bmp");
	r = vips_magicksave(rgb, p, "format", "bmp", NULL);
	if (r != 0) {
		SKIP("bmp", "libvips cannot write BMP here (magick module)");
		vips_error_clear();
	} else {
		out = S_check_convert("bmp", p, -1, "image/jpeg", 64, 48, 3, &len);
		free(out);
	}
	free(p);

	p = S_path("photo.avif");
	r = vips_heifsave(rgb, p, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1, "Q", 60, NULL);
	if (r != 0) {
		SKIP("avif", "libvips cannot write AVIF here (libheif without an AV1 encoder)");
		vips_error_clear();
	} else {
		bb_image_info info;
		const char *why;
		CHECK(S_probe(p, -1, &info, &why) == 0 && strcmp(info.format, "avif") == 0);
		out = S_check_convert("avif", p, -1, "image/jpeg", 64, 48, 3, &len);
		free(out);
	}
	free(p);

	/* a CMYK TIFF with its profile: made sRGB through the profile, the
	 * grey it was made from kept */
	{
		VipsImage *black = NULL, *grey = NULL, *g3 = NULL, *cmyk = NULL, *back = NULL;
		double avg = 0;
		p = S_path("cmyk.tif");
		vips_black(&black, 50, 40, "bands", 3, NULL);
		vips_linear1(black, &g3, 1, 120, "uchar", TRUE, NULL);
		vips_copy(g3, &grey, "interpretation", VIPS_INTERPRETATION_sRGB, NULL);
		if (vips_icc_export(grey, &cmyk, "output_profile", "cmyk", NULL) != 0 || vips_tiffsave(cmyk, p, NULL) != 0) {
			SKIP("cmyk", "libvips cannot write a CMYK TIFF here (lcms)");
			vips_error_clear();
		} else {
			out = S_check_convert("cmyk tiff", p, -1, "image/jpeg", 50, 40, 3, &len);
			if (out && (back = vips_image_new_from_buffer(out, len, "", NULL)) && vips_avg(back, &avg, NULL) == 0)
				printf("# CMYK grey 120 came back as %.1f\n", avg);
			CHECK(avg > 105 && avg < 135);
			free(out);
		}
		if (back)
			g_object_unref(back);
		if (cmyk)
			g_object_unref(cmyk);
		g_object_unref(black), g_object_unref(g3), g_object_unref(grey);
		free(p);
	}

	/* core types stay as they are */
	{
		bb_image_info info;
		const char *why;
		p = S_path("plain.png");
		CHECK(vips_pngsave(rgba, p, NULL) == 0);
		CHECK(S_probe(p, -1, &info, &why) == 0);
		CHECK(info.convert == 0);
		CHECK_STR(info.media_type, "image/png");
		CHECK(info.width == 64 && info.height == 48 && info.alpha == 1);
		free(p);
		p = S_path("plain.jpg");
		CHECK(vips_jpegsave(rgb, p, NULL) == 0);
		CHECK(S_probe(p, -1, &info, &why) == 0);
		CHECK(info.convert == 0);
		CHECK_STR(info.ext, "jpg");
		free(p);
	}
	g_object_unref(rgba), g_object_unref(rgb);
}

/* Big-endian 32-bit value into p. */
static void
S_be32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16), p[2] = (unsigned char)(v >> 8),
	p[3] = (unsigned char)v;
}

static void
test_bombs(void)
{
	/* a PNG whose header claims 100,000 x 100,000 (its CRC right) */
	unsigned char png[8 + 25 + 14 + 12];
	unsigned char webp[30];
	bb_image_info info;
	const char *why = NULL;
	char *p, *cwhy = NULL;
	double t0;
	unsigned char *out = NULL;
	size_t len = 0;
	unsigned long crc;
	memcpy(png, "\x89PNG\r\n\x1a\n", 8);
	S_be32(png + 8, 13);
	memcpy(png + 12, "IHDR", 4);
	S_be32(png + 16, 100000);
	S_be32(png + 20, 100000);
	png[24] = 8, png[25] = 2, png[26] = 0, png[27] = 0, png[28] = 0;
	crc = crc32(0, png + 12, 17);
	S_be32(png + 29, crc);
	/* an IDAT of two bytes (a zlib header, no data) */
	S_be32(png + 33, 2);
	memcpy(png + 37, "IDAT\x78\x9c", 6);
	S_be32(png + 43, crc32(0, png + 37, 6));
	S_be32(png + 47, 0);
	memcpy(png + 51, "IEND", 4);
	S_be32(png + 55, crc32(0, (const unsigned char *)"IEND", 4));
	p = S_path("bomb.png");
	S_write(p, png, sizeof png);
	t0 = S_now();
	CHECK(S_probe(p, -1, &info, &why) == -1);
	CHECK(why && strstr(why, "40 million pixels") && strstr(why, "before decoding"));
	CHECK(bb_image_convert(p, "image/jpeg", NULL, &out, &len, &cwhy) == -1);
	CHECK(cwhy != NULL && out == NULL);
	CHECK(S_now() - t0 < 0.5);
	free(cwhy), free(p);

	/* a WebP (VP8X) canvas of 16,384 x 16,384 = 268 Mpx, 30 bytes */
	memset(webp, 0, sizeof webp);
	memcpy(webp, "RIFF", 4);
	webp[4] = 22;
	memcpy(webp + 8, "WEBPVP8X", 8);
	webp[16] = 10;
	webp[24] = webp[27] = 0xFF, webp[25] = webp[28] = 0x3F; /* 16383 + 1 */
	p = S_path("bomb.webp");
	S_write(p, webp, sizeof webp);
	why = NULL;
	t0 = S_now();
	CHECK(S_probe(p, -1, &info, &why) == -1);
	CHECK(why != NULL);
	CHECK(S_now() - t0 < 0.5);
	free(p);

	/* a truncated WebP: header fine, pixels missing */
	{
		VipsImage *rgb = S_picture(300, 200, 0);
		void *buf = NULL;
		size_t bl = 0;
		CHECK(vips_webpsave_buffer(rgb, &buf, &bl, "Q", 90, NULL) == 0);
		p = S_path("cut.webp");
		S_write(p, buf, bl / 2);
		cwhy = NULL;
		out = NULL;
		CHECK(bb_image_convert(p, "image/jpeg", NULL, &out, &len, &cwhy) == -1);
		CHECK(cwhy != NULL && *cwhy);
		CHECK(out == NULL);
		free(cwhy), free(p);
		g_free(buf);
		g_object_unref(rgb);
	}
}

static void
test_scale(void)
{
	VipsImage *big = S_picture(400, 200, 0), *bigalpha = S_picture(400, 200, 1), *o6 = NULL;
	unsigned char *a, *b2;
	size_t la = 0, lb = 0;
	bb_image_info info;
	const char *why;
	char *p = S_path("big.png"), *q = S_path("big.jpg"), *r = S_path("small.png");
	CHECK(vips_pngsave(big, p, NULL) == 0);
	a = S_check_convert("png scaled", p, 100, "image/png", 100, 50, 3, &la);
	b2 = S_check_convert("png scaled, again", p, 100, "image/png", 100, 50, 3, &lb);
	/* the same bytes every run */
	CHECK(a && b2 && la == lb && memcmp(a, b2, la) == 0);
	free(a), free(b2);
	/* a small image is left alone */
	CHECK(vips_pngsave(big, r, NULL) == 0);
	CHECK(S_probe(r, 400, &info, &why) == 0 && info.convert == 0);
	/* transparency scaled too */
	CHECK(vips_pngsave(bigalpha, r, NULL) == 0);
	a = S_check_convert("png with alpha scaled", r, 40, "image/png", 40, 20, 4, &la);
	free(a);
	/* EXIF orientation 6 (turned right) is applied: 400 x 200 stands up */
	CHECK(vips_copy(big, &o6, NULL) == 0);
	vips_image_set_int(o6, VIPS_META_ORIENTATION, 6);
	CHECK(vips_jpegsave(o6, q, NULL) == 0);
	a = S_check_convert("jpeg turned", q, 100, "image/jpeg", 50, 100, 3, &la);
	b2 = S_check_convert("jpeg turned, again", q, 100, "image/jpeg", 50, 100, 3, &lb);
	CHECK(a && b2 && la == lb && memcmp(a, b2, la) == 0);
	free(a), free(b2);
	g_object_unref(o6), g_object_unref(big), g_object_unref(bigalpha);
	free(p), free(q), free(r);
}

/* A larger figure for the report: a 3000 x 3000 noisy picture. */
static void
test_timing(void)
{
	VipsImage *n = NULL, *u = NULL;
	char *p = S_path("noise.webp");
	unsigned char *out = NULL;
	size_t len = 0;
	char *why = NULL;
	double t0;
	struct stat st;
	bb_image_opts o;
	memset(&o, 0, sizeof o);
	vips_gaussnoise(&n, 3000, 3000, "mean", 128.0, "sigma", 40.0, NULL);
	vips_cast(n, &u, VIPS_FORMAT_UCHAR, NULL);
	CHECK(vips_webpsave(u, p, "Q", 75, NULL) == 0);
	stat(p, &st);
	t0 = S_now();
	CHECK(bb_image_convert(p, "image/jpeg", &o, &out, &len, &why) == 0);
	printf("3000 x 3000 WebP (%.1f MB) -> JPEG (%.1f MB) in %.2f s\n", st.st_size / 1e6, len / 1e6, S_now() - t0);
	free(out), free(why);
	o.max_px = 1000;
	t0 = S_now();
	CHECK(bb_image_convert(p, "image/jpeg", &o, &out, &len, &why) == 0);
	printf("3000 x 3000 WebP -> 1000 px JPEG (%.1f KB) in %.2f s\n", len / 1e3, S_now() - t0);
	free(out), free(why), free(p);
	g_object_unref(n), g_object_unref(u);
}

/* test_image --make OUT W H ALPHA NOISE: writes a test picture for
 * tests/images.py, in the format OUT's extension names (png jpg webp avif
 * heic bmp tif); NOISE 1 makes it random pixels (seeded, the same every time),
 * which compress badly. Returns 0 or 1. */
static int
S_make(char **argv)
{
	const char *out = argv[0], *ext = strrchr(out, '.');
	int w = atoi(argv[1]), h = atoi(argv[2]), alpha = atoi(argv[3]), noise = atoi(argv[4]), rc;
	VipsImage *im = S_picture(w, h, alpha), *t = NULL, *n = NULL, *u = NULL;
	if (noise) {
		vips_gaussnoise(&n, w, h, "mean", 128.0, "sigma", 60.0, "seed", 7, NULL);
		vips_cast(n, &u, VIPS_FORMAT_UCHAR, NULL);
		vips_add(im, u, &t, NULL);
		g_object_unref(im), g_object_unref(n), g_object_unref(u);
		vips_cast(t, &im, VIPS_FORMAT_UCHAR, NULL);
		g_object_unref(t);
	}
	ext = ext ? ext + 1 : "";
	if (strcmp(ext, "avif") == 0)
		rc = vips_heifsave(im, out, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_AV1, "Q", 60, NULL);
	else if (strcmp(ext, "heic") == 0)
		rc = vips_heifsave(im, out, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_HEVC, "Q", 60, NULL);
	else if (strcmp(ext, "bmp") == 0)
		rc = vips_magicksave(im, out, "format", "bmp", NULL);
	else
		rc = vips_image_write_to_file(im, out, NULL);
	g_object_unref(im);
	if (rc != 0)
		fprintf(stderr, "test_image: cannot write %s: %s", out, vips_error_buffer());
	return rc != 0;
}

/* The header reader agrees with libvips on the size of PNG and JPEG files,
 * finds a JPEG's frame past a large EXIF segment, and refuses damage. */
static void
test_head(void)
{
	static const int sz[][3] = { { 37, 23, 0 }, { 5, 300, 1 }, { 1200, 7, 0 } };
	unsigned char head[1024], *data = NULL;
	size_t i, n = 0, len;
	int w, h, a;
	for (i = 0; i < sizeof sz / sizeof sz[0]; i++) {
		VipsImage *pic = S_picture(sz[i][0], sz[i][1], sz[i][2]), *back;
		char *png = S_path("head.png"), *jpg = S_path("head.jpg");
		CHECK(vips_pngsave(pic, png, NULL) == 0 && vips_jpegsave(pic, jpg, "strip", TRUE, NULL) == 0);
		CHECK(S_read(png, head, sizeof head, &n) == 0 &&
		      bb_image_head_size(png, "png", head, n, &w, &h, &a) == 0 && a == sz[i][2]);
		back = vips_image_new_from_file(png, NULL);
		CHECK(back && w == vips_image_get_width(back) && h == vips_image_get_height(back));
		g_object_unref(back);
		CHECK(S_read(jpg, head, sizeof head, &n) == 0 && bb_image_head_size(jpg, "jpeg", head, n, &w, &h, &a) == 0 &&
		      w == sz[i][0] && h == sz[i][1] && a == 0);
		CHECK(bb_image_head_size(png, "gif", head, n, &w, &h, &a) == -1);
		/* a 60 KB APP1 (EXIF) segment before the frame: found by seeking */
		if (g_file_get_contents(jpg, (char **)&data, &len, NULL) && len > 4) {
			size_t k = 60000;
			unsigned char *big = bb_xmalloc(len + k + 4);
			memcpy(big, data, 2);
			big[2] = 0xFF, big[3] = 0xE1, big[4] = (unsigned char)((k + 2) >> 8), big[5] = (unsigned char)(k + 2);
			memset(big + 6, 'x', k);
			memcpy(big + 6 + k, data + 2, len - 2);
			S_write(jpg, big, len + k + 4);
			CHECK(S_read(jpg, head, sizeof head, &n) == 0 &&
			      bb_image_head_size(jpg, "jpeg", head, n, &w, &h, &a) == 0 && w == sz[i][0] && h == sz[i][1]);
			/* cut before its frame: no size, so libvips is asked */
			S_write(jpg, big, k / 2);
			CHECK(bb_image_head_size(jpg, "jpeg", head, n, &w, &h, &a) == -1);
			free(big);
			g_free(data);
			data = NULL;
		}
		CHECK(S_read(png, head, sizeof head, &n) == 0 && bb_image_head_size(png, "png", head, n, &w, &h, &a) == 0 &&
		      bb_image_head_size(png, "png", head, 20, &w, &h, &a) == -1); /* IHDR cut */
		g_object_unref(pic);
		free(png);
		free(jpg);
	}
}

/* A palette PNG with a tRNS chunk has alpha, as libvips says (and one
 * without has none); a head that ends before the tRNS says opaque. */
static void
test_head_palette(void)
{
	VipsImage *pic[2] = { S_picture(40, 30, 1), S_picture(40, 30, 0) }, *back;
	unsigned char head[1024];
	char *png = S_path("palette.png");
	size_t n = 0, at;
	int i, w, h, a;
	for (i = 0; i < 2; i++) {
		if (vips_pngsave(pic[i], png, "palette", TRUE, NULL) != 0) {
			SKIP("palette PNG", "this libvips cannot write a palette PNG (no quantiser)");
			vips_error_clear();
			break;
		}
		CHECK(S_read(png, head, sizeof head, &n) == 0 && n > 26 && head[25] == 3); /* a palette PNG */
		for (at = 33; at + 8 <= n && memcmp(head + at + 4, "tRNS", 4) != 0; at += 12 + (head[at + 2] << 8 | head[at + 3]))
			;
		CHECK((at + 8 <= n) == (i == 0)); /* tRNS where there is alpha, none where not */
		back = vips_image_new_from_file(png, NULL);
		CHECK(back && vips_image_hasalpha(back) == (i == 0));
		CHECK(bb_image_head_size(png, "png", head, n, &w, &h, &a) == 0 && w == 40 && h == 30 && a == (i == 0));
		if (back)
			g_object_unref(back);
		/* cut before the tRNS: taken as opaque, the size still read */
		if (i == 0)
			CHECK(bb_image_head_size(png, "png", head, at + 4, &w, &h, &a) == 0 && a == 0);
	}
	g_object_unref(pic[0]), g_object_unref(pic[1]);
	free(png);
}

int
main(int argc, char **argv)
{
	const char *t = getenv("TMPDIR");
	char cmd[300];
	if (argc == 7 && strcmp(argv[1], "--make") == 0) {
		if (VIPS_INIT(argv[0]) != 0)
			return 1;
		return S_make(argv + 2);
	}
	snprintf(dir, sizeof dir, "%s/bbimgXXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(dir) || bb_image_init() != 0) {
		fprintf(stderr, "cannot start\n");
		return 1;
	}
	test_sniff();
	test_formats();
	test_bombs();
	test_scale();
	test_head();
	test_head_palette();
	if (getenv("BB_IMAGE_TIMING"))
		test_timing();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return TEST_DONE();
}
