/* cachepack.h: where the chapter cache keeps its entries (cache.c): packs,
 * one file a run, in DIR/chapters. A run appends the entries it renders to
 * a pack of its own and ends it with an index; a later run of the same
 * book maps that book's packs and finds an entry by its key without a
 * system call. A pack is the unit of --cache-max. */
#ifndef BB_CACHEPACK_H
#define BB_CACHEPACK_H

#include "diag.h"

#include <stddef.h>

typedef struct bb_cpacks bb_cpacks;

/* Maps the packs of DIR whose book is book (32 bytes); others stay
 * unread. A pack that is cut short (a killed run's) is read entry by
 * entry up to its first broken one; a broken one is a note in dl. Returns
 * NULL only when dir cannot be listed (the cache then only stores). */
bb_cpacks *bb_cpacks_open(const char *dir, const unsigned char book[32], bb_diaglist *dl);

/* The n-th place (0 first, the newest pack first) holding an entry named
 * key: sets *data and *len (inside a mapping kept until bb_cpacks_close)
 * and returns 1, or 0 when there is no n-th. Thread-safe. */
int bb_cpacks_find(const bb_cpacks *s, const unsigned char key[32], size_t n, const unsigned char **data,
		   size_t *len);

/* Says that the entry at data (from bb_cpacks_find) is this book's:
 * kept when the book's packs are packed into one. Thread-safe. */
void bb_cpacks_used(bb_cpacks *s, const unsigned char *data, size_t len);

/* Appends an entry (len bytes, its key at byte 8) to this run's pack,
 * made at the first. Returns 0 or -1. Thread-safe. */
int bb_cpacks_append(bb_cpacks *s, const void *entry, size_t len);

/* Ends this run's pack with its index; when complete (every post of the
 * book was looked up or stored) and the book's packs are many or hold
 * entries the book no longer uses, writes the used ones into one pack
 * and removes the others; then, while the folder holds more than limit
 * bytes (0: no bound), removes the least recently used packs (and files
 * that are no pack: an older program's entries, a killed run's temporary
 * files). The mappings stay (removed files included) until
 * bb_cpacks_free. NULL allowed; a second call does nothing. */
void bb_cpacks_end(bb_cpacks *s, int complete, unsigned long long limit, long max_mb, bb_diaglist *dl);

/* Unmaps the packs and frees s (after bb_cpacks_end: without, this run's
 * pack is left without its index). NULL allowed. */
void bb_cpacks_free(bb_cpacks *s);

#endif
