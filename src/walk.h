/* walk.h: finding post files in a blog's folder, for the sources that keep
 * posts as files: sorted listings, symbolic links kept inside the folder,
 * each file and folder visited once, depth and count bounded. */
#ifndef BB_WALK_H
#define BB_WALK_H

#include "diag.h"
#include "map.h"

#include <stddef.h>
#include <sys/stat.h>

/* A file found: its path relative to the blog's folder, the categories its
 * folders give (space-separated, or NULL), whether it is a draft, and what
 * the walk's stat said of it (the post index checks a file against it
 * instead of asking again). */
typedef struct bb_found {
	char *path;
	char *cats;
	int draft;
	struct stat st;
} bb_found;

typedef struct bb_finder bb_finder;
/* Decides whether a file the walk meets is a post: 1 yes, 0 no. rel is its
 * path in the blog, name its file name. NULL accepts every text file. */
typedef int (*bb_accept_fn)(const bb_finder *f, const char *rel, const char *name);

struct bb_finder {
	bb_found *v;
	size_t n, cap;
	size_t visited;          /* folders walked, bounded */
	const char *root;        /* the blog's folder as given */
	const char *root_real;   /* its real path: links must lead inside it */
	bb_map seen;             /* "dev:ino" of what was found */
	bb_diaglist *dl;
	bb_accept_fn accept;
	void *ud;                /* for accept */
};

/* Sets f up to walk root (root_real its real path); messages go to dl. */
void bb_finder_init(bb_finder *f, const char *root, const char *root_real, bb_diaglist *dl);
/* Frees what f found and holds. */
void bb_finder_free(bb_finder *f);

/* Adds every post file under the folder rel (relative to the root),
 * recursively (16 levels at most), in sorted order, with cats and draft.
 * Files starting with '_', '#' or '.', backups ending in '~' and assets
 * (images, archives...) are passed over; then f->accept decides. */
void bb_walk_posts(bb_finder *f, const char *rel, const char *cats, int draft);

/* Adds the file rel itself (when it is a regular file not seen before and
 * inside the folder). Returns 1 when added. */
int bb_walk_add(bb_finder *f, const char *rel, const char *cats, int draft);

/* 1 when rel (relative to f's root) is a folder. */
int bb_walk_is_dir(const bb_finder *f, const char *rel);

/* An accept function for sites that keep translations beside their
 * original (Hugo's and Zola's index.LANG.md, post.LANG.md): Markdown files
 * whose name carries no language code, or the one in f->ud (a string, the
 * book's language). */
int bb_accept_language(const bb_finder *f, const char *rel, const char *name);

/* 1 when root/rel exists and is a folder (dir) or a regular file (!dir). */
int bb_path_is(const char *root, const char *rel, int dir);

/* The entries of folder dir, sorted, without those starting with '.'.
 * Returns NULL (and *n 0) when it cannot be read. Free with bb_list_free. */
char **bb_list_dir(const char *dir, size_t *n);
void bb_list_free(char **v, size_t n);

/* 1 when name's extension is one of exts (case-insensitive). */
int bb_ext_is(const char *name, const char *const *exts);

/* Markdown (and HTML) file extensions, and the extensions of assets. */
extern const char *const bb_md_exts[];
extern const char *const bb_asset_exts[];

#endif
