/* dynload.h: libraries opened when first needed (dlopen), their functions
 * reached through a table, so a book that converts no image and fetches
 * nothing never loads libvips or libcurl and their ~65 dependencies. */
#ifndef BB_DYNLOAD_H
#define BB_DYNLOAD_H

#include <stddef.h>

/* One function of a table: its name in the library and the offset of its
 * pointer in the table (offsetof). */
typedef struct bb_dynfn {
	const char *name;
	size_t off;
} bb_dynfn;

/* Opens the library soname (RTLD_NOW | RTLD_LOCAL; the environment
 * variable env, when set and not empty, names another file instead) and
 * stores the address of each of the n functions of fns in table at its
 * offset. Returns 0, or -1 with a message in err (cap bytes: the soname
 * and the loader's reason) and the library closed. Not thread-safe: call
 * it once (pthread_once). The library stays loaded. */
int bb_dynload(const char *soname, const char *env, const bb_dynfn *fns, size_t n, void *table, char *err,
	       size_t cap);

#endif
