/* mathstore.h: converted formulas kept, per engine and across runs (mathml.c's tables and its store file). */
#ifndef BB_MATHSTORE_H
#define BB_MATHSTORE_H

#include <stddef.h>

/* Formulas an engine's cache holds before it is emptied, and a store in
 * memory only at most; a table never holds more than 16 times this. */
#define BB_MATH_CACHE_MAX 16384

/* One formula: (display, TeX) and what KaTeX made of it. */
typedef struct bb_mcache_entry {
	unsigned long long hash;  /* bb_fnv1a(BB_FNV_SEED, tex, tex_len) */
	char *tex;                /* NULL = empty slot */
	size_t tex_len;
	int display;
	char *mathml;             /* NULL when err is set (or both NULL: not answered yet) */
	char *err;
} bb_mcache_entry;

/* An open-addressing table of formulas; the caller gives the hash. Not
 * locked: one engine's, or the store's under its own lock. */
typedef struct bb_mcache {
	bb_mcache_entry *e;
	size_t cap, n;            /* cap is a power of two */
} bb_mcache;

/* Makes c an empty table of 256 slots (whatever it held is not freed). */
void bb_mcache_init(bb_mcache *c);

/* Empties c, keeping its slots. */
void bb_mcache_clear(bb_mcache *c);

/* Frees what c holds and its slots; c is then empty with none
 * (bb_mcache_init before using it again). */
void bb_mcache_done(bb_mcache *c);

/* Returns the slot holding (display, tex) (h its hash) or the empty slot
 * where it goes; the pointer stays valid until the next put or clear. */
bb_mcache_entry *bb_mcache_find(bb_mcache *c, unsigned long long h, const char *tex, size_t len,
	int display);

/* Adds copies of (display, tex) -> mathml or err (either may be NULL) to
 * c unless it is there already or c holds 16 * BB_MATH_CACHE_MAX. */
void bb_mcache_put(bb_mcache *c, unsigned long long h, const char *tex, size_t len, int display,
	const char *mathml, const char *err);

/* What the store asks of the converter (mathml.c): its tag (bb_math_tag),
 * the longest TeX it converts, and check, which returns a checked copy of
 * a MathML read from the file (caller frees) or NULL with *err set, as it
 * checks KaTeX's own output. */
typedef struct bb_mstore_conv {
	unsigned long long tag;
	size_t tex_max;
	char *(*check)(const char *mathml, char **err);
} bb_mstore_conv;

/* The process-wide store behind bb_math_store_open (see mathml.h): opens
 * it at path (NULL: in memory only) for the converter conv. Returns the
 * formulas read, or -1 with *err set when a store is already open. The
 * file: a line "blogbind-mathml-store 1 TAG" (TAG in hex), then per
 * formula a line "DISPLAY TEXLEN MATHMLLEN", the TeX and the MathML, a
 * newline; a file of another tag is not read, a line that does not parse
 * or a TeX longer than conv->tex_max ends the reading. Thread-safe. */
long bb_mstore_open(const char *path, const bb_mstore_conv *conv, char **err);

/* Writes the store back to its file when it gained formulas (a temporary
 * file renamed over it) and closes it: 0 (also when none is open), or -1
 * with *err set ("PATH: cannot write: ..."). Thread-safe. */
int bb_mstore_close(char **err);

/* The store's MathML for (display, tex) (h its hash) as a new string
 * (caller frees), or NULL when no store is open or it has none. */
char *bb_mstore_get(unsigned long long h, const char *tex, size_t len, int display);

/* 1 when an open store holds (display, tex), with MathML or not. */
int bb_mstore_has(unsigned long long h, const char *tex, size_t len, int display);

/* Adds (display, tex) -> mathml to an open store (a store in memory only
 * holds BB_MATH_CACHE_MAX at most), to be written on close. */
void bb_mstore_add(unsigned long long h, const char *tex, size_t len, int display, const char *mathml);

#endif
