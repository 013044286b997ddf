/* settingskey.h: the part of every cache key that the whole run shares,
 * used by the chapter cache (cache.c) and the post index (postindex.c). */
#ifndef BB_SETTINGSKEY_H
#define BB_SETTINGSKEY_H

#include "blog.h"

#include <nettle/sha2.h>

/* Hashes into h what every post's reading and rendering share: the
 * program's version and build, the options, the blog's settings (and its
 * settings or export file), and with math on the files KaTeX and mhchem
 * come from (bb_math_tag). */
void bb_settings_key(const bb_blog *b, struct sha256_ctx *h);

#endif
