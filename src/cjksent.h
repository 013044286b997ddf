/* cjksent.h: cjk.c's sentinels (see cjksent.c). */
#ifndef BB_CJKSENT_H
#define BB_CJKSENT_H

#include "util.h"

#include <stddef.h>

/* The ASCII character the sentinel at s (n bytes) stands for, or -1. */
int bb_cjk_sentinel(const unsigned char *s, size_t n);

/* Appends s with sentinels restored to ASCII and XML special characters
 * escaped. */
void bb_cjk_put_xml(bb_buf *b, const char *s, size_t n);

#endif
