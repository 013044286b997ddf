/* image.c: images every reader can show, through libvips: headers checked
 * before any pixel is decoded, WebP/AVIF/HEIC/BMP/TIFF converted to PNG or
 * JPEG, scaling to --image-max-px, and recompression to fit --max-size. */
#define _XOPEN_SOURCE 700
#include "image.h"
#include "svg.h"
#include "util.h"
#include "vipsapi.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


/* Quality of a JPEG made from a non-JPEG image, and of the recompression
 * --max-size asks for. */
#define S_QUALITY 85
#define S_FIT_QUALITY 75
/* A palette (libimagequant) is made for at most this many pixels: its
 * time and memory grow with them (a 9 Mpx picture took minutes). */
#define S_PALETTE_MAX_PX 2000000
/* --max-size never scales an image below this longest side. */
#define S_MIN_SIDE 64

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static int S_ready = -1;
/* libvips's functions (vipsapi.h): loaded by the first image, not at start */
static const bb_vips_api *S_vips;
/* why libvips cannot be used, when S_ready is -1 */
static char S_why[640] = "libvips did not start";
/* the reason a probe gives for an image it refuses then */
static char S_refused[sizeof S_why + 64];

/* libvips and GLib warn on stderr; the library never prints: the reason
 * of a failure reaches the caller through vips_error_buffer instead. */
static void
S_quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
	(void)domain, (void)level, (void)msg, (void)data;
}

/* Loads and starts libvips. Returns 0, or -1 with S_why. */
static int
S_start_vips(void)
{
	static const char *const allowed[] = { "VipsForeignLoadPng", "VipsForeignLoadJpeg", "VipsForeignLoadNsgif",
					       "VipsForeignLoadWebp", "VipsForeignLoadHeif", "VipsForeignLoadTiff",
					       "VipsForeignLoadMagick", NULL };
	size_t i;
	const char *why = NULL;
	int abi;
	if (!(S_vips = bb_vips_api_get(&why))) {
		snprintf(S_why, sizeof S_why, "%s", why);
		return -1;
	}
	/* VIPS_INIT's check, through the table: the library loaded by its
	 * soname must have the ABI the headers describe */
	abi = S_vips->version(3) - S_vips->version(5);
	if (abi != VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE) {
		snprintf(S_why, sizeof S_why, "%s has ABI version %d, blogbind was built for %d", BB_VIPS_SONAME, abi,
			 VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE);
		return -1;
	}
	if (S_vips->init("blogbind") != 0)
		return -1;
	S_vips->g_log_set_handler("VIPS", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION, S_quiet, NULL);
	S_vips->g_log_set_handler("GLib-GObject", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE, S_quiet, NULL);
	/* one thread and no cache: the same bytes every run, little memory */
	S_vips->concurrency_set(1);
	S_vips->cache_set_max(0);
	S_vips->cache_set_max_mem(0);
	S_vips->cache_set_max_files(0);
	/* only the loaders of the formats blogbind sniffs itself (no PDF,
	 * SVG through librsvg, matrix, raw...); each is called by name */
	S_vips->operation_block_set("VipsForeignLoad", TRUE);
	for (i = 0; allowed[i]; i++)
		S_vips->operation_block_set(allowed[i], FALSE);
	return 0;
}

static void
S_start(void)
{
	S_ready = S_start_vips();
	if (S_ready != 0)
		snprintf(S_refused, sizeof S_refused, "cannot be checked nor converted (%s); not embedded", S_why);
}

int
bb_image_init(void)
{
	pthread_once(&S_once, S_start);
	return S_ready;
}

const char *
bb_image_unavailable(void)
{
	return bb_image_init() == 0 ? NULL : S_refused;
}

/* 1 when the ISO BMFF brand b (4 bytes) is one of list's. */
static int
S_brand(const unsigned char *b, const char *const *list)
{
	size_t i;
	for (i = 0; list[i]; i++)
		if (memcmp(b, list[i], 4) == 0)
			return 1;
	return 0;
}

const char *
bb_image_sniff(const unsigned char *h, size_t n)
{
	static const char *const avif[] = { "avif", "avis", NULL };
	static const char *const heic[] = { "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", NULL };
	size_t i;
	if (n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "png";
	if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF)
		return "jpeg";
	if (n >= 6 && (memcmp(h, "GIF87a", 6) == 0 || memcmp(h, "GIF89a", 6) == 0))
		return "gif";
	if (n >= 12 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WEBP", 4) == 0)
		return "webp";
	if (n >= 4 && (memcmp(h, "II*\0", 4) == 0 || memcmp(h, "MM\0*", 4) == 0))
		return "tiff";
	/* BMP: "BM", then a header size of a known version at 14 */
	if (n >= 18 && h[0] == 'B' && h[1] == 'M') {
		unsigned long hs = h[14] | (unsigned long)h[15] << 8 | (unsigned long)h[16] << 16 | (unsigned long)h[17] << 24;
		if (hs == 12 || hs == 40 || hs == 52 || hs == 56 || hs == 64 || hs == 108 || hs == 124)
			return "bmp";
	}
	/* HEIF family: an ftyp box whose major or compatible brands say which */
	if (n >= 16 && memcmp(h + 4, "ftyp", 4) == 0) {
		unsigned long bl = (unsigned long)h[0] << 24 | (unsigned long)h[1] << 16 | h[2] << 8 | h[3];
		if (bl > n)
			bl = n;
		/* AVIF first: its files also name the generic mif1 */
		if (S_brand(h + 8, avif))
			return "avif";
		for (i = 16; i + 4 <= bl; i += 4)
			if (S_brand(h + i, avif))
				return "avif";
		if (S_brand(h + 8, heic))
			return "heic";
		for (i = 16; i + 4 <= bl; i += 4)
			if (S_brand(h + i, heic))
				return "heic";
		return NULL;
	}
	{
		/* SVG: XML text whose first element is svg */
		size_t j = 0;
		if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF)
			j = 3;
		while (j < n && (h[j] == ' ' || h[j] == '\t' || h[j] == '\r' || h[j] == '\n'))
			j++;
		if (j < n && h[j] == '<')
			for (; j + 4 <= n; j++)
				if (memcmp(h + j, "<svg", 4) == 0)
					return "svg";
	}
	return NULL;
}

/* Opens the image at path with the loader of format, header only: pixels
 * are decoded when asked for, top to bottom (sequential), and a damaged
 * file is an error, not a grey picture. Returns the image or NULL. */
static VipsImage *
S_open(const char *path, const char *format)
{
	VipsImage *im = NULL;
	int rc = -1;
	if (strcmp(format, "png") == 0)
		rc = S_vips->pngload(path, &im, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	else if (strcmp(format, "jpeg") == 0)
		rc = S_vips->jpegload(path, &im, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	else if (strcmp(format, "gif") == 0)
		rc = S_vips->gifload(path, &im, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	else if (strcmp(format, "webp") == 0)
		rc = S_vips->webpload(path, &im, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	else if (strcmp(format, "avif") == 0 || strcmp(format, "heic") == 0)
		rc = S_vips->heifload(path, &im, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	else if (strcmp(format, "tiff") == 0)
		rc = S_vips->tiffload(path, &im, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	else if (strcmp(format, "bmp") == 0)
		rc = S_vips->magickload(path, &im, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	if (rc != 0) {
		if (im)
			S_vips->g_object_unref(im);
		return NULL;
	}
	return im;
}

/* The page count the header gives (1 when it says none). */
static int
S_pages(VipsImage *im)
{
	int p = S_vips->image_get_n_pages(im);
	return p > 0 ? p : 1;
}

int
bb_image_probe(const char *path, const unsigned char *head, size_t n, long max_px, bb_image_info *info,
	       const char **why)
{
	VipsImage *im = NULL;
	int core, rc = -1;
	unsigned long long px;

	memset(info, 0, sizeof *info);
	info->pages = 1;
	if (!(info->format = bb_image_sniff(head, n))) {
		*why = "is not a PNG, JPEG, GIF or SVG image (nor a WebP, AVIF, HEIC, BMP or TIFF one to convert)";
		return -1;
	}
	if (strcmp(info->format, "svg") == 0) {
		info->media_type = "image/svg+xml", info->ext = "svg";
		return 0;
	}
	core = strcmp(info->format, "png") == 0 || strcmp(info->format, "jpeg") == 0 || strcmp(info->format, "gif") == 0;
	/* a PNG or JPEG going in as it is: its header says all (no libvips) */
	if (bb_image_head_size(path, info->format, head, n, &info->width, &info->height, &info->alpha) == 0 &&
	    (unsigned long long)info->width * (unsigned long long)info->height <= BB_MAX_IMAGE_PIXELS &&
	    !(max_px > 0 && (info->width > max_px || info->height > max_px))) {
		int png = strcmp(info->format, "png") == 0;
		info->media_type = png ? "image/png" : "image/jpeg";
		info->ext = png ? "png" : "jpg";
		return 0;
	}
	info->width = info->height = info->alpha = 0; /* libvips says */
	if (bb_image_init() != 0) {
		/* without libvips (not installed: it is loaded only now) a
		 * PNG, JPEG or GIF goes in unchecked, as one libvips cannot
		 * read does (bb_imageset_prepare warns); others are refused */
		if (!core) {
			*why = bb_image_unavailable();
			return -1;
		}
	} else if ((im = S_open(path, info->format)) == NULL)
		S_vips->error_clear();
	if (!im) {
		if (core) {
			/* a PNG, JPEG or GIF libvips cannot read goes in as it
			 * is, as before: a reader may still show it */
			info->media_type = strcmp(info->format, "png") == 0    ? "image/png"
					   : strcmp(info->format, "jpeg") == 0 ? "image/jpeg"
									      : "image/gif";
			info->ext = strcmp(info->format, "jpeg") == 0 ? "jpg" : info->format;
			return 0;
		}
		*why = "is an image libvips cannot read (a damaged file, or no decoder here); not embedded";
		return -1;
	}
	info->width = S_vips->image_get_width(im);
	info->height = S_vips->image_get_height(im);
	info->pages = S_pages(im);
	info->alpha = S_vips->image_hasalpha(im);
	/* a loader that knows the page count gives the height of one page */
	if (S_vips->image_get_typeof(im, "page-height")) {
		int ph = S_vips->image_get_page_height(im);
		if (ph > 0)
			info->height = ph;
	}
	px = (unsigned long long)info->width * (unsigned long long)info->height;
	if (px > BB_MAX_IMAGE_PIXELS) {
		*why = "claims more than 40 million pixels in its header (a decompression bomb?); refused before "
		       "decoding";
		goto out;
	}
	if (px * (unsigned long long)info->pages > BB_MAX_ANIM_PIXELS) {
		*why = "is an animation of more than 400 million pixels in all; refused before decoding";
		goto out;
	}
	if (strcmp(info->format, "jpeg") == 0)
		info->media_type = "image/jpeg", info->ext = "jpg";
	else if (strcmp(info->format, "png") == 0)
		info->media_type = "image/png", info->ext = "png";
	else if (strcmp(info->format, "gif") == 0)
		info->media_type = "image/gif", info->ext = "gif";
	else
		info->convert = 1;
	/* too large for --image-max-px: re-encoded, an animated GIF excepted
	 * (scaling would keep only its first frame) */
	if (max_px > 0 && (info->width > max_px || info->height > max_px) &&
	    !(strcmp(info->format, "gif") == 0 && info->pages > 1))
		info->convert = 1;
	if (info->convert && strcmp(info->format, "jpeg") != 0 && strcmp(info->format, "png") != 0) {
		if (info->alpha || strcmp(info->format, "gif") == 0)
			info->media_type = "image/png", info->ext = "png";
		else
			info->media_type = "image/jpeg", info->ext = "jpg";
	}
	rc = 0;
out:
	S_vips->g_object_unref(im);
	return rc;
}

/* Replaces *im by t (the result of one step), dropping the old one. */
static void
S_step(VipsImage **im, VipsImage *t)
{
	S_vips->g_object_unref(*im);
	*im = t;
}

/* The pipeline of bb_image_convert after loading: upright, scaled, sRGB
 * (or grey) in 8 bits, without alpha for JPEG. Returns 0 or -1. */
static int
S_prepare(VipsImage **im, int jpeg, long max_px)
{
	VipsImage *t = NULL;
	int w = S_vips->image_get_width(*im), h = S_vips->image_get_height(*im), side = w > h ? w : h;
	int orient = S_vips->image_get_typeof(*im, VIPS_META_ORIENTATION) ? S_vips->image_get_orientation(*im) : 1;
	VipsInterpretation in = S_vips->image_guess_interpretation(*im);
	int grey = in == VIPS_INTERPRETATION_B_W || in == VIPS_INTERPRETATION_GREY16;

	/* colour first, so that the resampling works on 8-bit sRGB: an
	 * embedded profile (Display P3 from a phone, CMYK) is applied, since
	 * the metadata, the profile with it, is stripped from the copy */
	if (!grey && S_vips->image_get_typeof(*im, VIPS_META_ICC_NAME)) {
		if (S_vips->icc_transform(*im, &t, "srgb", "embedded", TRUE, "intent", VIPS_INTENT_PERCEPTUAL, NULL) == 0)
			S_step(im, t);
		else
			S_vips->error_clear();
	}
	if (S_vips->colourspace(*im, &t, grey ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB, NULL) != 0)
		return -1;
	S_step(im, t);
	if (S_vips->image_get_format(*im) != VIPS_FORMAT_UCHAR) {
		if (S_vips->cast(*im, &t, VIPS_FORMAT_UCHAR, NULL) != 0)
			return -1;
		S_step(im, t);
	}
	if (max_px > 0 && side > max_px) {
		double scale = (double)max_px / side;
		if (S_vips->image_hasalpha(*im)) {
			/* premultiplied, so that transparent pixels do not bleed */
			VipsImage *p = NULL, *r = NULL, *u = NULL;
			int bad = S_vips->premultiply(*im, &p, NULL) != 0 || S_vips->resize(p, &r, scale, NULL) != 0 ||
				  S_vips->unpremultiply(r, &u, NULL) != 0 || S_vips->cast(u, &t, VIPS_FORMAT_UCHAR, NULL) != 0;
			if (p)
				S_vips->g_object_unref(p);
			if (r)
				S_vips->g_object_unref(r);
			if (u)
				S_vips->g_object_unref(u);
			if (bad)
				return -1;
		} else if (S_vips->resize(*im, &t, scale, NULL) != 0)
			return -1;
		S_step(im, t);
	}
	if (orient > 1 && orient <= 8) {
		/* a rotation reads the image out of order: it is done in
		 * memory, after scaling (at most 40 Mpx x 4 bytes) */
		if (!(t = S_vips->image_copy_memory(*im)))
			return -1;
		S_step(im, t);
		if (S_vips->autorot(*im, &t, NULL) != 0)
			return -1;
		S_step(im, t);
	}
	if (jpeg && S_vips->image_hasalpha(*im)) {
		VipsArrayDouble *white = S_vips->array_double_newv(1, 255.0);
		int bad = S_vips->flatten(*im, &t, "background", white, NULL) != 0;
		S_vips->area_unref(VIPS_AREA(white));
		if (bad)
			return -1;
		S_step(im, t);
		if (S_vips->cast(*im, &t, VIPS_FORMAT_UCHAR, NULL) != 0)
			return -1;
		S_step(im, t);
	}
	return 0;
}

int
bb_image_convert(const char *path, const char *media_type, const bb_image_opts *o, unsigned char **out,
		 size_t *outlen, char **why)
{
	unsigned char head[1024];
	size_t n = 0;
	FILE *f;
	const char *format;
	VipsImage *im = NULL;
	void *buf = NULL;
	size_t len = 0;
	int jpeg = strcmp(media_type, "image/jpeg") == 0, q = o && o->quality > 0 ? o->quality : S_QUALITY;
	int rc = -1, w, h, palette;

	*out = NULL, *outlen = 0, *why = NULL;
	if (bb_image_init() != 0) {
		*why = bb_xstrdup(S_why);
		return -1;
	}
	if (!jpeg && strcmp(media_type, "image/png") != 0) {
		*why = bb_xasprintf("cannot write %s", media_type);
		return -1;
	}
	if (!(f = fopen(path, "rb"))) {
		*why = bb_xasprintf("cannot be read: %s", strerror(errno));
		return -1;
	}
	n = fread(head, 1, sizeof head, f);
	fclose(f);
	if (!(format = bb_image_sniff(head, n)) || strcmp(format, "svg") == 0) {
		*why = bb_xstrdup("is not a raster image blogbind can convert");
		return -1;
	}
	if (!(im = S_open(path, format)))
		goto fail;
	w = S_vips->image_get_width(im), h = S_vips->image_get_height(im);
	if ((unsigned long long)w * (unsigned long long)h > BB_MAX_IMAGE_PIXELS) {
		*why = bb_xstrdup("claims more than 40 million pixels; refused before decoding");
		goto out;
	}
	if (S_prepare(&im, jpeg, o ? o->max_px : 0) != 0)
		goto fail;
	palette = o && o->palette &&
		  (double)S_vips->image_get_width(im) * S_vips->image_get_height(im) <= S_PALETTE_MAX_PX;
	if (jpeg ? S_vips->jpegsave_buffer(im, &buf, &len, "Q", q, "strip", TRUE, "optimize_coding", TRUE, NULL)
		 : S_vips->pngsave_buffer(im, &buf, &len, "compression", 6, "strip", TRUE, "palette", palette, "Q", q,
				       NULL))
		goto fail;
	*out = bb_xmalloc(len ? len : 1);
	memcpy(*out, buf, len);
	*outlen = len;
	rc = 0;
	goto out;
fail: {
	/* libvips's reason, its first line */
	const char *e = S_vips->error_buffer();
	size_t el = strcspn(e, "\n");
	*why = el ? bb_xstrndup(e, el) : bb_xstrdup("cannot be decoded");
	S_vips->error_clear();
}
out:
	S_vips->g_free(buf);
	if (im)
		S_vips->g_object_unref(im);
	return rc;
}

struct bb_imageset {
	char *dir;      /* the temporary folder, or NULL before the first file */
	char **paths;   /* per image of the blog: its converted copy, or NULL */
	size_t n;
};

/* One raster image the set may re-encode. */
typedef struct S_item {
	size_t idx;                 /* in b->images */
	char *abs;                  /* its file */
	bb_image_info info;
	unsigned long long orig;    /* the file's size */
	unsigned long long bytes;   /* what the book holds now */
	int side;                   /* longest side of what the book holds */
} S_item;

/* The file of image im as it can be opened: a path in the blog, or a path
 * of its own (a download, a cover given on the command line). Caller frees. */
static char *
S_abs(const bb_blog *b, const bb_image *im)
{
	return im->src[0] == '/' ? bb_xstrdup(im->src) : bb_xasprintf("%s/%s", b->root, im->src);
}

/* A diagnostic about image im (its path in the blog, or as it is). */
static void
S_say(bb_diaglist *dl, const bb_image *im, bb_severity sev, const char *msg)
{
	if (im->src[0] == '/')
		bb_diag_add_file(dl, sev, im->src, 0, 0, "%s", msg);
	else
		bb_diag_add(dl, sev, im->src, 0, 0, "%s", msg);
}

static double
S_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Stores data as image i's converted copy in the set's folder. Returns 0,
 * or -1 with errno. */
static int
S_store(bb_imageset *s, size_t i, const char *ext, const unsigned char *data, size_t len)
{
	FILE *f;
	char *p;
	int ok;
	if (!s->dir) {
		const char *t = getenv("TMPDIR");
		char *tmpl = bb_xasprintf("%s/blogbind-img-XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(tmpl)) {
			free(tmpl);
			return -1;
		}
		s->dir = tmpl;
	}
	p = bb_xasprintf("%s/%zu.%s", s->dir, i, ext);
	if (!(f = fopen(p, "wb"))) {
		free(p);
		return -1;
	}
	ok = fwrite(data, 1, len, f) == len;
	ok = fclose(f) == 0 && ok;
	if (!ok) {
		unlink(p);
		free(p);
		return -1;
	}
	if (s->paths[i]) {
		if (strcmp(s->paths[i], p) != 0)
			unlink(s->paths[i]);
		free(s->paths[i]);
	}
	s->paths[i] = p;
	return 0;
}

/* A blank image of media type mt, for an image whose header promised one
 * the book now names but whose pixels cannot be decoded. */
static int
S_blank(unsigned char **out, size_t *len, const char *mt)
{
	VipsImage *im = NULL;
	void *buf = NULL;
	int rc;
	if (bb_image_init() != 0 || S_vips->black(&im, 8, 8, "bands", 3, NULL) != 0)
		return -1;
	rc = strcmp(mt, "image/jpeg") == 0 ? S_vips->jpegsave_buffer(im, &buf, len, "strip", TRUE, NULL)
					   : S_vips->pngsave_buffer(im, &buf, len, "strip", TRUE, NULL);
	S_vips->g_object_unref(im);
	if (rc != 0)
		return -1;
	*out = bb_xmalloc(*len);
	memcpy(*out, buf, *len);
	S_vips->g_free(buf);
	return 0;
}

/* Human sizes for notes: "812 KB", "3.4 MB". */
static const char *
S_size(char *buf, size_t cap, unsigned long long n)
{
	if (n < 1000000ULL)
		snprintf(buf, cap, "%.1f KB", n / 1000.0);
	else
		snprintf(buf, cap, "%.1f MB", n / 1e6);
	return buf;
}

/* The format's name in notes. */
static const char *
S_fname(const char *format)
{
	static const char *const v[][2] = { { "png", "PNG" },   { "jpeg", "JPEG" }, { "gif", "GIF" },
					    { "webp", "WebP" }, { "avif", "AVIF" }, { "heic", "HEIC" },
					    { "bmp", "BMP" },   { "tiff", "TIFF" }, { NULL, NULL } };
	size_t i;
	for (i = 0; v[i][0]; i++)
		if (strcmp(v[i][0], format) == 0)
			return v[i][1];
	return format;
}

/* Encodes item it with o into the set; keep_larger 0 keeps the current
 * bytes when the new ones are not smaller. Returns 1 when the book's copy
 * changed, 0 when not, -1 on an I/O error (errno); a decoding failure is
 * said once in dl (a blank image stands in for a conversion). */
static int
S_encode(bb_imageset *s, const bb_blog *b, S_item *it, const bb_image_opts *o, int keep_larger,
	 bb_diaglist *dl)
{
	const bb_image *im = &b->images[it->idx];
	unsigned char *data = NULL;
	size_t len = 0;
	char *why = NULL, msg[512];
	int rc = 0;
	if (bb_image_convert(it->abs, im->media_type, o, &data, &len, &why) != 0) {
		if (s->paths[it->idx] || !it->info.convert) {
			/* the book keeps what it holds */
			free(why);
			return 0;
		}
		snprintf(msg, sizeof msg, "%s image %s; a blank image stands in for it", S_fname(it->info.format),
			 why ? why : "cannot be decoded");
		S_say(dl, im, BB_WARNING, msg);
		free(why);
		if (S_blank(&data, &len, im->media_type) != 0)
			return 0;
	}
	if (!keep_larger && len >= it->bytes) {
		free(data);
		return 0;
	}
	if (S_store(s, it->idx, strcmp(im->media_type, "image/jpeg") == 0 ? "jpg" : "png", data, len) != 0)
		rc = -1;
	else {
		int sd = it->info.width > it->info.height ? it->info.width : it->info.height;
		it->bytes = len;
		it->side = o->max_px > 0 && sd > o->max_px ? (int)o->max_px : sd;
		rc = 1;
	}
	free(data);
	return rc;
}

/* The book's size without the raster images it may re-encode: the
 * chapters in the spool, the pages, the package documents and every
 * entry's zip headers, generously. */
static unsigned long long
S_other_bytes(const bb_blog *b)
{
	unsigned long long t = 64 * 1024;
	size_t i;
	int k;
	for (i = 0; i < b->nposts; i++)
		for (k = 0; k < b->posts[i].nparts; k++)
			t += b->posts[i].spooled[k].comp_size + 200;
	t += b->nposts * 400ULL + b->ngroups * 2500ULL + b->nimages * 300ULL;
	return t;
}

/* The largest longest side C at which the items, each scaled to at most C
 * (bytes falling with the area), would take budget bytes; S_MIN_SIDE at
 * the least. */
static int
S_fit_side(const S_item *v, size_t n, unsigned long long budget)
{
	int lo = S_MIN_SIDE, hi = S_MIN_SIDE, mid;
	size_t i;
	for (i = 0; i < n; i++)
		if (v[i].side > hi)
			hi = v[i].side;
	while (lo < hi) {
		double est = 0;
		mid = lo + (hi - lo + 1) / 2;
		for (i = 0; i < n; i++) {
			double f = v[i].side > mid ? (double)mid / v[i].side : 1.0;
			est += (double)v[i].bytes * f * f;
		}
		if (est <= (double)budget)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* --max-size: recompresses, then scales the raster items until the book
 * fits limit (fixed: everything else). Says what it did in dl. Returns 0
 * or -1 on an I/O error. */
static int
S_fit(bb_imageset *s, const bb_blog *b, S_item *v, size_t n, unsigned long long fixed, unsigned long long limit,
      bb_diaglist *dl)
{
	unsigned long long before = 0, now = 0, budget;
	size_t i, recompressed = 0, scaled = 0;
	int pass, side = 0, r;
	double t0 = S_now();
	bb_image_opts o;
	char a[32], c[32], d[32];

	for (i = 0; i < n; i++)
		before += v[i].bytes;
	if (fixed + before <= limit)
		return 0;
	/* a margin for what the estimate of the rest misses */
	budget = limit > fixed + limit / 50 ? limit - fixed - limit / 50 : 0;
	if (!budget || !n) {
		bb_diag_add(dl, BB_WARNING, NULL, 0, 0, "--max-size %ld: the book is about %s without %s; it cannot fit",
			    b->opt.max_size_mb, S_size(a, sizeof a, fixed), n ? "its images" : "images it can re-encode");
		return 0;
	}
	memset(&o, 0, sizeof o);
	o.max_px = b->opt.image_max_px;
	o.quality = S_FIT_QUALITY;
	o.palette = 1;
	/* first the same pixels in fewer bytes (a PNG only when small
	 * enough for a palette), then fewer pixels */
	for (i = 0; i < n; i++) {
		int png = strcmp(b->images[v[i].idx].media_type, "image/png") == 0;
		r = 0;
		if (!(png && (double)v[i].side * v[i].side > S_PALETTE_MAX_PX) &&
		    (r = S_encode(s, b, &v[i], &o, 0, dl)) < 0)
			return -1;
		recompressed += r;
		now += v[i].bytes;
	}
	/* without a palette from here: bytes then fall with the area, as
	 * S_fit_side expects (a palette made at some size only would
	 * overshoot: 52 MB of noise came down to 3 MB for a 10 MB limit) */
	o.palette = 0;
	for (pass = 0; now > budget && pass < 10 && side != S_MIN_SIDE; pass++) {
		int c0 = S_fit_side(v, n, budget - budget / 20);
		if (side && c0 >= side)
			c0 = side * 9 / 10;
		side = c0 < S_MIN_SIDE ? S_MIN_SIDE : c0;
		o.max_px = side;
		now = 0;
		for (i = 0; i < n; i++) {
			if (v[i].side > side && S_encode(s, b, &v[i], &o, 0, dl) < 0)
				return -1;
			now += v[i].bytes;
		}
	}
	for (i = 0; i < n; i++)
		scaled += side && (v[i].info.width > side || v[i].info.height > side);
	if (now > budget)
		bb_diag_add(dl, BB_WARNING, NULL, 0, 0,
			    "--max-size %ld: images recompressed and scaled down to %d px (%s -> %s), but the book is "
			    "still about %s",
			    b->opt.max_size_mb, side, S_size(a, sizeof a, before), S_size(c, sizeof c, now),
			    S_size(d, sizeof d, fixed + now));
	else
		bb_diag_add(dl, BB_NOTE, NULL, 0, 0,
			    "--max-size %ld: %zu of %zu images recompressed (JPEG quality %d, small PNGs with a palette), %zu scaled to "
			    "at most %d px; images %s -> %s, book about %s; %.2f s",
			    b->opt.max_size_mb, recompressed, n, S_FIT_QUALITY, scaled, side, S_size(a, sizeof a, before),
			    S_size(c, sizeof c, now), S_size(d, sizeof d, fixed + now), S_now() - t0);
	return 0;
}

/* An SVG whose document type names an outside DTD (EPUB forbids it) goes
 * in without it, with a note. Returns 0, or -1 with errno when the copy
 * cannot be stored. */
static int
S_svg(bb_imageset *s, const bb_blog *b, S_item *it, bb_diaglist *dl)
{
	unsigned char *data = NULL;
	size_t len = 0;
	const char *why = NULL;
	int r = bb_svg_without_doctype(it->abs, BB_MAX_IMAGE_BYTES, &data, &len, &why);
	if (r > 0) {
		if (S_store(s, it->idx, "svg", data, len) != 0) {
			free(data);
			return -1;
		}
		it->bytes = len;
		S_say(dl, &b->images[it->idx], BB_NOTE,
		      "SVG image: its document type names an outside DTD, which EPUB forbids; it goes in without it");
	}
	free(data);
	return 0;
}

/* The note for image it, converted or scaled in t seconds. */
static void
S_note(const bb_blog *b, const S_item *it, long max_px, double t, bb_diaglist *dl)
{
	const bb_image *im = &b->images[it->idx];
	const char *f = it->info.format;
	int core = strcmp(f, "png") == 0 || strcmp(f, "jpeg") == 0 || strcmp(f, "gif") == 0;
	int scaled = max_px > 0 && (it->info.width > max_px || it->info.height > max_px);
	char msg[512], a[32], c[32], fr[48] = "";
	if (it->info.pages > 1)
		snprintf(fr, sizeof fr, ", its first of %d frames", it->info.pages);
	if (core)
		snprintf(msg, sizeof msg, "%s image (%d x %d) scaled to at most %ld px (--image-max-px): %s -> %s in %.2f s",
			 S_fname(f), it->info.width, it->info.height, max_px, S_size(a, sizeof a, it->orig),
			 S_size(c, sizeof c, it->bytes), t);
	else
		snprintf(msg, sizeof msg,
			 "%s image (%d x %d%s%s) made a %s%s for readers that show only PNG, JPEG, GIF and SVG: %s -> %s in "
			 "%.2f s",
			 S_fname(f), it->info.width, it->info.height, it->info.alpha ? ", with transparency" : "", fr,
			 strcmp(im->media_type, "image/jpeg") == 0 ? "JPEG" : "PNG",
			 scaled ? ", scaled down (--image-max-px)," : "", S_size(a, sizeof a, it->orig),
			 S_size(c, sizeof c, it->bytes), t);
	S_say(dl, im, BB_NOTE, msg);
}

bb_imageset *
bb_imageset_prepare(bb_blog *b, bb_diaglist *dl)
{
	bb_imageset *s = bb_xcalloc(1, sizeof *s);
	S_item *v = NULL;
	size_t i, nv = 0;
	unsigned long long fixed = 0;
	bb_image_opts o;
	int rc = -1;

	s->n = b->nimages;
	s->paths = bb_xcalloc(s->n ? s->n : 1, sizeof *s->paths);
	v = bb_xcalloc(s->n ? s->n : 1, sizeof *v);
	memset(&o, 0, sizeof o);
	o.max_px = b->opt.image_max_px;
	for (i = 0; i < b->nimages; i++) {
		bb_image *im = &b->images[i];
		S_item *it = &v[nv];
		unsigned char head[1024];
		size_t hn = 0;
		const char *why = NULL;
		struct stat st;
		FILE *f;
		int raster;
		if (!im->ok)
			continue;
		memset(it, 0, sizeof *it);
		it->idx = i;
		it->abs = S_abs(b, im);
		if (!(f = fopen(it->abs, "rb")) || fstat(fileno(f), &st) != 0) {
			if (f)
				fclose(f);
			free(it->abs);
			it->abs = NULL;
			continue;
		}
		hn = fread(head, 1, sizeof head, f);
		fclose(f);
		it->orig = it->bytes = (unsigned long long)st.st_size;
		/* GIF and SVG go in as they are (an animation keeps its frames) */
		raster = bb_image_probe(it->abs, head, hn, o.max_px, &it->info, &why) == 0 && it->info.width > 0 &&
			 strcmp(im->media_type, "image/gif") != 0;
		it->side = it->info.width > it->info.height ? it->info.width : it->info.height;
		if (raster == 0 && it->info.format && it->info.width == 0 && strcmp(it->info.format, "svg") != 0 &&
		    bb_image_unavailable()) {
			/* a PNG, JPEG or GIF went in without libvips */
			char msg[800];
			snprintf(msg, sizeof msg, "%s image goes in as it is, its size unchecked%s: %s", S_fname(it->info.format),
				 o.max_px > 0 || b->opt.max_size_mb > 0 ? " and never scaled" : "", S_why);
			S_say(dl, im, BB_WARNING, msg);
		}
		if (raster && it->info.convert) {
			double t0 = S_now();
			int r = S_encode(s, b, it, &o, 1, dl);
			if (r < 0)
				goto out;
			if (r > 0)
				S_note(b, it, o.max_px, S_now() - t0, dl);
		}
		if (!raster && strcmp(im->media_type, "image/svg+xml") == 0 && S_svg(s, b, it, dl) < 0)
			goto out;
		if (raster)
			nv++;
		else {
			fixed += it->bytes;
			free(it->abs);
			it->abs = NULL;
		}
	}
	if (b->opt.max_size_mb > 0 &&
	    S_fit(s, b, v, nv, fixed + S_other_bytes(b), (unsigned long long)b->opt.max_size_mb * 1000000ULL, dl) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		bb_diag_add(dl, BB_ERROR, NULL, 0, 0, "cannot write a converted image to the temporary folder: %s",
			    strerror(errno));
	for (i = 0; i < s->n; i++)
		free(v[i].abs);
	free(v);
	if (rc != 0) {
		bb_imageset_free(s);
		return NULL;
	}
	return s;
}

const char *
bb_imageset_path(const bb_imageset *s, size_t i)
{
	return s && i < s->n ? s->paths[i] : NULL;
}

void
bb_imageset_free(bb_imageset *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		if (s->paths[i])
			unlink(s->paths[i]);
		free(s->paths[i]);
	}
	if (s->dir)
		rmdir(s->dir);
	free(s->dir);
	free(s->paths);
	free(s);
}
