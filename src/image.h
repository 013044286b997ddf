/* image.h: images every reader can show (libvips): the header check that
 * refuses a decompression bomb before a pixel is decoded, WebP, AVIF, HEIC,
 * BMP and TIFF converted to PNG or JPEG, images scaled to --image-max-px,
 * and the book's images recompressed and scaled to fit --max-size. */
#ifndef BB_IMAGE_H
#define BB_IMAGE_H

#include "blog.h"
#include "diag.h"

#include <stddef.h>

/* The most pixels an image may claim in its header (one frame); more is
 * refused before decoding (100,000 x 100,000 claims 10 billion). */
#define BB_MAX_IMAGE_PIXELS 40000000ULL
/* The most pixels all frames of an animation may claim together. */
#define BB_MAX_ANIM_PIXELS 400000000ULL

/* What the header of an image says and how the book will hold it. */
typedef struct bb_image_info {
	const char *format;     /* "png" "jpeg" "gif" "webp" "avif" "heic" "bmp" "tiff" "svg" */
	int width, height;      /* of the first frame; 0 for SVG */
	int pages;              /* frames (animated GIF/WebP), else 1 */
	int alpha;              /* 1: has an alpha channel */
	const char *media_type; /* the book's copy: image/png ... */
	const char *ext;        /* its extension: "png" "jpg" "gif" "svg" */
	int convert;            /* 1: the book holds a re-encoding, not the file */
} bb_image_info;

/* How an image is re-encoded. */
typedef struct bb_image_opts {
	long max_px;  /* longest side in pixels; <= 0: as it is */
	int quality;  /* JPEG quality 1..100; 0: 85 */
	int palette;  /* 1: PNG quantised to a palette (smaller, lossy) */
} bb_image_opts;

/* Starts libvips once per process (pthread_once; later calls do nothing):
 * one thread, no operation cache, only the loaders blogbind uses, its
 * messages kept quiet. The functions here call it, so a book without images
 * never starts libvips (its modules cost 0.3-0.5 s on a loaded machine); the
 * first is the cover's registration on the main thread, or the first image
 * of a post. libvips itself (libvips.so.42) is loaded here, not when the
 * program starts (vipsapi.h). Returns 0, or -1 when libvips cannot be
 * loaded or started (PNG, JPEG and GIF images then go in as they are,
 * unchecked, with a warning; other formats are refused). */
int bb_image_init(void);

/* When libvips cannot be used (bb_image_init failed: not installed, since
 * it is loaded only when the first image needs it, or it did not start):
 * why, as a probe says it for an image it refuses (static). NULL when
 * libvips works. Loads libvips when not yet tried. Thread-safe. */
const char *bb_image_unavailable(void);

/* The format of an image from its first n bytes ("png", "webp", "avif",
 * ... as in bb_image_info.format), or NULL when blogbind does not know it. */
const char *bb_image_sniff(const unsigned char *head, size_t n);

/* The width and height of the PNG or JPEG file path (head: its first n
 * bytes; format as bb_image_sniff says) from its header alone, and whether
 * a PNG has an alpha channel as libvips reads it (its colour type, or a tRNS
 * chunk before IDAT within the n bytes). Returns 0, or -1 for another format
 * or a header it cannot read (then ask libvips). Thread-safe. */
int bb_image_head_size(const char *path, const char *format, const unsigned char *head, size_t n, int *w, int *h,
		       int *alpha);

/* Reads the header of the image file path (head: its first n bytes) and
 * decides how the book holds it: core types (PNG, JPEG, GIF, SVG) as they
 * are unless larger than max_px (<= 0: no limit), others converted to PNG
 * when they have transparency, else JPEG. No pixel is decoded. Returns 0
 * and fills *info, or -1 with *why (unknown type, unreadable header, more
 * than BB_MAX_IMAGE_PIXELS). A PNG, JPEG or GIF whose header libvips cannot
 * read (or any, when libvips cannot be loaded) goes in as it is (width 0), as
 * blogbind always did. Thread-safe. */
int bb_image_probe(const char *path, const unsigned char *head, size_t n, long max_px, bb_image_info *info,
		   const char **why);

/* Decodes the image file path (streamed, first frame only, refused past
 * BB_MAX_IMAGE_PIXELS) and encodes it as media_type ("image/png" or
 * "image/jpeg"): turned upright, in sRGB, 8 bits, scaled to o->max_px,
 * metadata stripped, JPEG flattened on white. The bytes are the same on
 * every run. Returns 0 with *out (caller frees with free) of *outlen bytes,
 * or -1 with *why (caller frees). */
int bb_image_convert(const char *path, const char *media_type, const bb_image_opts *o, unsigned char **out,
		     size_t *outlen, char **why);

/* The images of a book as the archive stores them. */
typedef struct bb_imageset bb_imageset;

/* Prepares b's images for the archive after rendering: converts those that
 * must be (a note for each in -v), and when b->opt.max_size_mb is set and
 * the book would be larger, recompresses and scales the raster images until
 * it fits (a note says what it did, a warning when it cannot). Converted
 * bytes wait in a private temporary folder. Diagnostics go to dl. Returns
 * the set (free with bb_imageset_free after the archive is closed), or NULL
 * on an error that stops the book. */
bb_imageset *bb_imageset_prepare(bb_blog *b, bb_diaglist *dl);

/* The file the archive stores for image i of b: a converted copy, or NULL
 * (the image's own file). Valid until bb_imageset_free. */
const char *bb_imageset_path(const bb_imageset *s, size_t i);

/* Removes the temporary files and frees s; NULL allowed. */
void bb_imageset_free(bb_imageset *s);

#endif
