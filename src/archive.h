/* archive.h: the archive stage: the EPUB's zip container, written by libzip
 * to a temporary file and renamed into place only when complete. */
#ifndef BB_ARCHIVE_H
#define BB_ARCHIVE_H

#include "blog.h"
#include "diag.h"

typedef struct bb_archive bb_archive;

/* Starts a book at path with the given entry time (seconds since the
 * epoch, UTC). Nothing is written to path before bb_archive_close. Returns
 * NULL on an error (reported in dl). */
bb_archive *bb_archive_open(const char *path, long long mtime, bb_diaglist *dl);

/* Adds an entry holding data (len bytes); the archive takes data (freed
 * with free) whether or not this succeeds. compress: 0 stored, 1 deflated.
 * Returns 0 or -1. */
int bb_archive_add_data(bb_archive *a, const char *name, char *data, size_t len, int compress);

/* Adds an entry whose deflated bytes wait in the spool file fd at s. */
int bb_archive_add_spooled(bb_archive *a, const char *name, int fd, const bb_spooled *s);

/* Adds a file from disk; compress as above. */
int bb_archive_add_file(bb_archive *a, const char *name, const char *path, int compress);

/* Writes the book. Returns 0, or -1 (then nothing was written to path and
 * an existing file there is untouched). Frees a in every case. */
int bb_archive_close(bb_archive *a, unsigned long long *size);

/* Drops the book unwritten; NULL allowed. */
void bb_archive_discard(bb_archive *a);

/* A deflate stream kept for many entries (a render thread's), so its
 * few hundred KB of state are not set up again for every file. */
typedef struct bb_deflater bb_deflater;
bb_deflater *bb_deflater_new(void);
void bb_deflater_free(bb_deflater *d);

/* Raw deflate (no zlib header, as zip stores it) of data at level 6.
 * Fills s->size, comp_size, crc; returns the compressed bytes, valid until
 * the next call with d, with *out_len. */
const unsigned char *bb_deflate(bb_deflater *d, const char *data, size_t len, bb_spooled *s, size_t *out_len);

/* Set by bb_interrupt(); sources fail once it is set. */
int bb_interrupted(void);

#endif
