/* postindex.h: the post index of --cache-dir (DIR/chapters/.posts): what
 * the collect stage read from each post file (its fields, its notes and
 * warnings, a SHA-256 of its bytes), kept under the file's identity and
 * times (device, inode, size, mtime and ctime in ns), so a rebind reads
 * and parses only the files that changed. The whole index is checked by
 * a checksum (bb_checksum: UMAC-128) and belongs to one program build and
 * one set of settings (options, the blog's parsed settings, its kind); any
 * doubt is a miss.
 *
 * An edit that puts the size and mtime back (touch -d) still changes the
 * ctime, which no user call sets: the file is read again (tests/rebind.py,
 * index_test). Only a changed clock or a write below the file system
 * could leave all five equal; a file written in the 2 s before the run
 * is never indexed, so a write in the same clock tick is not missed. */
#ifndef BB_POSTINDEX_H
#define BB_POSTINDEX_H

#include "blog.h"
#include "walk.h"

typedef struct bb_pindex bb_pindex;

/* Reads the index of b->opt.cache_dir; NULL without --cache-dir. A
 * missing, broken or foreign index is empty (a note in b->diags says
 * which). */
bb_pindex *bb_pindex_open(bb_blog *b);
/* Starts reading b's index on a thread of its own (nothing without
 * --cache-dir); the first bb_blog_add_found takes it, as bb_pindex_open
 * would have made it then. */
void bb_pindex_read_ahead(bb_blog *b);
/* Waits for the index read ahead, if any: use: it becomes b->pindex (read
 * again when the settings changed since), else it is dropped. */
void bb_pindex_ahead_end(bb_blog *b, int use);

/* Reads found file fd into the fresh post p as bb_post_from_file would,
 * through the index when the file is unchanged. Returns its result: 0
 * kept, -1 left out. x NULL: bb_post_from_file. */
int bb_pindex_read(bb_pindex *x, bb_blog *b, bb_post *p, const bb_found *fd, int need_date);

/* Writes the index of the posts read so far (atomically) when it
 * changed, and says in a note how many files it spared. Returns 0 or -1
 * (the next run only reads the files again). */
int bb_pindex_save(bb_pindex *x, bb_blog *b);

/* What the chapter cache's key needs of post path's bytes, when this run
 * knows them without reading the file: their SHA-256 and BB_PX_ bits.
 * Returns 0, or -1 (read the file). Thread-safe once collected. */
enum { BB_PX_INCLUDE_RELATIVE = 1, BB_PX_LIQUID = 2, BB_PX_BRACES = 4 };
int bb_pindex_text(const bb_pindex *x, const char *path, unsigned char sum[32], unsigned *bits);

/* The BB_PX_ bits of a post's bytes. */
unsigned bb_pindex_bits(const char *text, size_t len);

void bb_pindex_free(bb_pindex *x);

/* Walks every file the finder found through bb_post_from_file (through the
 * index when unchanged) into b->posts. Returns how many files there were. */
long bb_blog_add_found(bb_blog *b, bb_finder *f, int need_date);

#endif
