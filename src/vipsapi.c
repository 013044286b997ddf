/* vipsapi.c: libvips loaded when the first image needs it (see vipsapi.h). */
#define _XOPEN_SOURCE 700
#include "vipsapi.h"
#include "dynload.h"

#include <pthread.h>
#include <stddef.h>

#define S_FN(m, name) { name, offsetof(bb_vips_api, m) }
#define S_V(m) S_FN(m, "vips_" #m)

static const bb_dynfn S_fns[] = {
	S_V(init), S_V(version),
	S_FN(g_log_set_handler, "g_log_set_handler"), S_FN(g_object_unref, "g_object_unref"),
	S_FN(g_free, "g_free"),
	S_V(concurrency_set), S_V(cache_set_max), S_V(cache_set_max_mem), S_V(cache_set_max_files),
	S_V(operation_block_set), S_V(error_buffer), S_V(error_clear),
	S_V(pngload), S_V(jpegload), S_V(gifload), S_V(webpload), S_V(heifload), S_V(tiffload), S_V(magickload),
	S_V(image_get_n_pages), S_V(image_get_width), S_V(image_get_height), S_V(image_hasalpha),
	S_V(image_get_typeof), S_V(image_get_page_height), S_V(image_get_orientation),
	S_V(image_guess_interpretation), S_V(image_get_format), S_V(image_copy_memory),
	S_V(icc_transform), S_V(colourspace), S_V(cast), S_V(premultiply), S_V(unpremultiply), S_V(resize),
	S_V(autorot), S_V(flatten), S_V(array_double_newv), S_V(area_unref), S_V(black),
	S_V(jpegsave_buffer), S_V(pngsave_buffer),
};

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static bb_vips_api S_api;
static int S_ok;
static char S_why[512];

static void
S_load(void)
{
	S_ok = bb_dynload(BB_VIPS_SONAME, "BLOGBIND_LIBVIPS", S_fns, sizeof S_fns / sizeof S_fns[0], &S_api, S_why,
			  sizeof S_why) == 0;
}

const bb_vips_api *
bb_vips_api_get(const char **why)
{
	pthread_once(&S_once, S_load);
	if (!S_ok) {
		*why = S_why;
		return NULL;
	}
	return &S_api;
}
