/* deflate.h: raw deflate (no zlib header, as zip stores it) in one place:
 * a whole file at once (a render thread's chapters, level 6), or a stream
 * written into the spool as it comes (the OPF, nav and NCX, level 1). */
#ifndef BB_DEFLATE_H
#define BB_DEFLATE_H

#include "blog.h"

/* A deflate stream kept for many entries (a render thread's), so its
 * few hundred KB of state are not set up again for every file. */
typedef struct bb_deflater bb_deflater;
bb_deflater *bb_deflater_new(void);
/* NULL allowed. */
void bb_deflater_free(bb_deflater *d);

/* Deflates data (len bytes). Fills s->size, comp_size, crc; returns the
 * compressed bytes, valid until the next call with d, with *out_len. */
const unsigned char *bb_deflate(bb_deflater *d, const char *data, size_t len, bb_spooled *s, size_t *out_len);

/* A stream that deflates what it is given into file fd at *end, moving
 * *end past what it writes (*end must not move otherwise meanwhile); with
 * fd -1 (end unused), into memory (bb_zsink_data), offsets counted from 0. */
typedef struct bb_zsink bb_zsink;
bb_zsink *bb_zsink_new(int fd, unsigned long long *end);

/* Deflates n bytes at p (z is a bb_zsink: the signature of a bb_sink's
 * write). Returns 0, or -1 when the file cannot be written. */
int bb_zsink_write(void *z, const char *p, size_t n);

/* Ends the stream and fills *s (offset, sizes, crc). Returns 0 or -1. */
int bb_zsink_finish(bb_zsink *z, bb_spooled *s);

/* A memory stream's deflated bytes (*len of them), valid until it is freed. */
const char *bb_zsink_data(const bb_zsink *z, size_t *len);

/* The errno of the write that failed, or 0. */
int bb_zsink_error(const bb_zsink *z);

/* NULL allowed. */
void bb_zsink_free(bb_zsink *z);

#endif
