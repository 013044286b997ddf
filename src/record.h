/* record.h: the binary records of the caches under --cache-dir (chapter
 * entries, the recorded dependencies, the post index) and the SHA-256
 * hashing of their keys. Integers are little-endian; a string is its
 * length (u32; 0xffffffff for none), its bytes and a NUL. */
#ifndef BB_RECORD_H
#define BB_RECORD_H

#include "diag.h"
#include "util.h"

#include <nettle/sha2.h>
#include <stddef.h>

/* ---- writing into a bb_buf ---- */
void bb_rec_u32(bb_buf *o, unsigned long v);
void bb_rec_u64(bb_buf *o, unsigned long long v);
/* s (n bytes) or NULL */
void bb_rec_str(bb_buf *o, const char *s, size_t n);
void bb_rec_cstr(bb_buf *o, const char *s);

/* ---- reading: a cursor over n bytes; any overrun sets bad and every
 * later read returns 0 / NULL ---- */
typedef struct bb_rec {
	const unsigned char *p;
	size_t n, off;
	int bad;
} bb_rec;

/* An unsigned integer of bytes bytes (at most 8). */
unsigned long long bb_rec_n(bb_rec *r, int bytes);
/* A string inside the record (NUL-terminated there), or NULL. */
const char *bb_rec_s(bb_rec *r);
/* Skips count records of the given shape ('u' u32, 's' string). */
void bb_rec_skip(bb_rec *r, unsigned count, const char *shape);

/* Diagnostics v[0..n): their count, then each: severity, outside, path,
 * line, col, message. */
void bb_rec_diags(bb_buf *o, const bb_diag_rec *v, size_t n);
/* Adds to dl the count diagnostics of that shape at r. */
void bb_rec_diags_replay(bb_rec *r, unsigned long long count, bb_diaglist *dl);

/* Writes len bytes data to the file final, whole or not at all: into a
 * temporary file tmp_prefix-XXXXXX ("DIR/.tmp-..."), then renamed.
 * Returns 0 or -1. */
int bb_write_whole(const char *tmp_prefix, const char *final, const char *data, size_t len);

/* The checksum of n bytes at p, a cache entry's or the post index's, into
 * out: UMAC-128 under a fixed key, which catches damage, not forgery (see
 * cache.c). Thread-safe. */
#define BB_CHECKSUM_SIZE 16
void bb_checksum(const void *p, size_t n, unsigned char out[BB_CHECKSUM_SIZE]);
/* Writes the n pieces of iov (changed), then the checksum (bb_checksum)
 * of them all, to a temporary file "TMP_PREFIX-XXXXXX" renamed to final:
 * what bb_write_whole of the pieces joined and their checksum writes,
 * without joining them. Returns 0 or -1. */
struct iovec;
int bb_write_summed(const char *tmp_prefix, const char *final, struct iovec *iov, size_t n);

/* ---- hashing: each value told apart from its neighbours ---- */
void bb_h_bytes(struct sha256_ctx *h, const void *p, size_t n);
/* a string, told apart from NULL */
void bb_h_str(struct sha256_ctx *h, const char *s);
void bb_h_int(struct sha256_ctx *h, long long v);
void bb_h_list(struct sha256_ctx *h, char *const *v, size_t n);
/* a file's bytes (at most max; "-" when it cannot be read) */
void bb_h_file(struct sha256_ctx *h, const char *path, size_t max);
/* every file under dir (at most depth folders down, file_max bytes each),
 * in name order: names and bytes */
void bb_h_tree(struct sha256_ctx *h, const char *dir, int depth, size_t file_max);

/* n bytes d as 2n lowercase hex digits and a NUL into out. */
void bb_hex(const unsigned char *d, size_t n, char *out);
/* 64 hex digits into 32 bytes; returns 0 or -1. */
int bb_unhex32(const char *hex, unsigned char out[32]);

#endif
