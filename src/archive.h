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

/* Adds an entry whose deflated bytes wait in the spool file fd at s (s is
 * copied). Every spooled entry of a book is read from the same fd. */
int bb_archive_add_spooled(bb_archive *a, const char *name, int fd, const bb_spooled *s);

/* Adds a file from disk; compress as above. */
int bb_archive_add_file(bb_archive *a, const char *name, const char *path, int compress);

/* Writes the book. Returns 0, or -1 (then nothing was written to path and
 * an existing file there is untouched). Frees a in every case. */
int bb_archive_close(bb_archive *a, unsigned long long *size);

/* Drops the book unwritten; NULL allowed. */
void bb_archive_discard(bb_archive *a);

/* Set by bb_interrupt(); sources fail once it is set. */
int bb_interrupted(void);

/* Forgets an interrupt: an interrupt belongs to the one build it stops
 * (bb_build clears it as it starts, bb_blog_write as it ends). */
void bb_interrupt_reset(void);

#endif
