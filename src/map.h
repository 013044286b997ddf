/* map.h: a string -> index hash map, and the URL keys the maps are
 * searched with. */
#ifndef BB_MAP_H
#define BB_MAP_H

#include <stddef.h>

/* One place of a map's table: the key's offset in the arena plus one (0:
 * empty) and the value. */
struct bb_map_slot;

/* Open addressing; the keys are owned copies, packed in one arena and
 * named by 32-bit offsets, the values 32-bit: a slot is 8 bytes, not the
 * 16 of a pointer and a size_t (a hundred thousand posts put several
 * hundred thousand keys; one malloc each cost a quarter more time). A
 * zeroed struct is empty. At most 4 GB of keys and values below 2^32 (the
 * maps hold indices of posts, images, headings). */
typedef struct bb_map {
	struct bb_map_slot *slots;
	size_t cap, n;
	char *arena;          /* the keys, each with its NUL */
	size_t used, acap;
	size_t last;          /* offset of the key kept last, + 1 (0: none) */
	int borrowed;         /* arena is the caller's (bb_map_put_at) */
} bb_map;

/* Adds key -> val; a key already present keeps its first value (the
 * earlier post keeps a URL). */
void bb_map_put(bb_map *m, const char *key, size_t val);
/* As bb_map_put, for the key that lies at off in base (with its NUL),
 * without a copy: base is the caller's, kept while m lives. Every key of
 * m is put this way, in the same base. */
void bb_map_put_at(bb_map *m, const char *base, size_t off, size_t val);
/* Sizes m's table for n keys in all, when it has less room: a map whose
 * keys are known in number takes that room, not the next power of two
 * (100,000 posts put 200,000 URLs: 2 MB of table, not 4). */
void bb_map_reserve(bb_map *m, size_t n);
/* Returns 1 and sets *val when key is present. */
int bb_map_get(const bb_map *m, const char *key, size_t *val);
/* The map's own copy of key (in its arena, valid until m changes), or
 * NULL when key is absent. */
const char *bb_map_key(const bb_map *m, const char *key);
/* The entries in table order: from *pos (0 to start), sets *key (valid
 * until m changes) and *val and returns 1, or 0 at the end. */
int bb_map_next(const bb_map *m, size_t *pos, const char **key, size_t *val);
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
