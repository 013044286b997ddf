/* map.h: a string -> index hash map, and the URL keys the maps are
 * searched with. */
#ifndef BB_MAP_H
#define BB_MAP_H

#include <stddef.h>

struct bb_map_chunk;

/* Open addressing; the keys are owned copies, packed in chunks (a
 * hundred thousand posts put several hundred thousand keys: one malloc
 * each cost a quarter more). A zeroed struct is empty. */
typedef struct bb_map {
	char **keys;
	size_t *vals;
	size_t cap, n;
	struct bb_map_chunk *chunks; /* where the keys are kept */
} bb_map;

/* Adds key -> val; a key already present keeps its first value (the
 * earlier post keeps a URL). */
void bb_map_put(bb_map *m, const char *key, size_t val);
/* Returns 1 and sets *val when key is present. */
int bb_map_get(const bb_map *m, const char *key, size_t *val);
/* Frees the keys and tables and empties m. */
void bb_map_free(bb_map *m);

/* Percent-decodes the first n bytes of s into a new string (a malformed
 * escape is kept as written). Caller frees. */
char *bb_pct_decode(const char *s, size_t n);

/* Normalises a URL path for matching: percent-decoded, lower case, without
 * a query or fragment, a trailing "index.html", ".html" or "/", always
 * starting with "/". The site root with a WordPress id query (?p=12,
 * ?page_id=3, ?attachment_id=5) keeps that query ("/?p=12"): it names one
 * post. Caller frees. */
char *bb_url_key(const char *path);

#endif
