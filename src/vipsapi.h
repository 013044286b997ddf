/* vipsapi.h: the libvips (and GLib) functions image.c calls, reached
 * through a table filled when the first image needs them: the program does
 * not link libvips, which brings ~55 libraries and ~17 MB to every run. */
#ifndef BB_VIPSAPI_H
#define BB_VIPSAPI_H

/* libvips's headers (through GLib's) are not -pedantic C99 clean. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#endif
#include <vips/vips.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

/* Debian's libvips42; BLOGBIND_LIBVIPS names another file. */
#define BB_VIPS_SONAME "libvips.so.42"

/* Each member is the libvips function of its name with "vips_" left out
 * (g_*: GLib's), with the prototype of libvips 8.14's headers. */
typedef struct bb_vips_api {
	int (*init)(const char *argv0);
	int (*version)(int flag);
	guint (*g_log_set_handler)(const gchar *domain, GLogLevelFlags levels, GLogFunc fn, gpointer data);
	void (*g_object_unref)(gpointer object);
	void (*g_free)(gpointer mem);
	void (*concurrency_set)(int concurrency);
	void (*cache_set_max)(int max);
	void (*cache_set_max_mem)(size_t max_mem);
	void (*cache_set_max_files)(int max_files);
	void (*operation_block_set)(const char *name, gboolean state);
	const char *(*error_buffer)(void);
	void (*error_clear)(void);
	int (*pngload)(const char *filename, VipsImage **out, ...);
	int (*jpegload)(const char *filename, VipsImage **out, ...);
	int (*gifload)(const char *filename, VipsImage **out, ...);
	int (*webpload)(const char *filename, VipsImage **out, ...);
	int (*heifload)(const char *filename, VipsImage **out, ...);
	int (*tiffload)(const char *filename, VipsImage **out, ...);
	int (*magickload)(const char *filename, VipsImage **out, ...);
	int (*image_get_n_pages)(VipsImage *image);
	int (*image_get_width)(const VipsImage *image);
	int (*image_get_height)(const VipsImage *image);
	gboolean (*image_hasalpha)(VipsImage *image);
	GType (*image_get_typeof)(const VipsImage *image, const char *name);
	int (*image_get_page_height)(VipsImage *image);
	int (*image_get_orientation)(VipsImage *image);
	VipsInterpretation (*image_guess_interpretation)(const VipsImage *image);
	VipsBandFormat (*image_get_format)(const VipsImage *image);
	VipsImage *(*image_copy_memory)(VipsImage *image);
	int (*icc_transform)(VipsImage *in, VipsImage **out, const char *output_profile, ...);
	int (*colourspace)(VipsImage *in, VipsImage **out, VipsInterpretation space, ...);
	int (*cast)(VipsImage *in, VipsImage **out, VipsBandFormat format, ...);
	int (*premultiply)(VipsImage *in, VipsImage **out, ...);
	int (*unpremultiply)(VipsImage *in, VipsImage **out, ...);
	int (*resize)(VipsImage *in, VipsImage **out, double scale, ...);
	int (*autorot)(VipsImage *in, VipsImage **out, ...);
	int (*flatten)(VipsImage *in, VipsImage **out, ...);
	VipsArrayDouble *(*array_double_newv)(int n, ...);
	void (*area_unref)(VipsArea *area);
	int (*black)(VipsImage **out, int width, int height, ...);
	int (*jpegsave_buffer)(VipsImage *in, void **buf, size_t *len, ...);
	int (*pngsave_buffer)(VipsImage *in, void **buf, size_t *len, ...);
} bb_vips_api;

/* Loads libvips once per process (pthread_once) and returns its table,
 * valid until the process ends; or NULL with *why (static, names the
 * library and the loader's reason). Does not start libvips (vips_init):
 * image.c does, through the table. Thread-safe. */
const bb_vips_api *bb_vips_api_get(const char **why);

#endif
