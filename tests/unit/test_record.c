/* test_record.c: the cache keys' hashing (record.c) keeps values apart:
 * the same bytes cut into fields another way, or lengths that share their
 * low bits, give other digests. */
#include "tap.h"
#include "record.h"

#include <nettle/sha2.h>

/* The digest of the n fields (lengths len[k]) cut from s in turn. */
static void
S_fields(const char *s, const size_t *len, size_t n, unsigned char d[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx h;
	size_t k;
	sha256_init(&h);
	for (k = 0; k < n; k++) {
		bb_h_bytes(&h, s, len[k]);
		s += len[k];
	}
	sha256_digest(&h, SHA256_DIGEST_SIZE, d);
}

int
main(void)
{
	static char s[600];
	unsigned char a[SHA256_DIGEST_SIZE], b[SHA256_DIGEST_SIZE];
	static const size_t cut[][2] = { { 1, 2 }, { 2, 1 }, { 0, 3 }, { 3, 0 } };
	static const size_t wide[][2] = { { 1, 257 }, { 257, 1 }, { 128, 130 }, { 0, 258 }, { 127, 131 } };
	size_t i, j;
	memset(s, 0x80, sizeof s); /* bytes that look like a length's continuation */
	memcpy(s, "abc", 3);
	for (i = 0; i < 4; i++)
		for (j = i + 1; j < 4; j++) {
			S_fields(s, cut[i], 2, a);
			S_fields(s, cut[j], 2, b);
			CHECK(memcmp(a, b, sizeof a) != 0);
		}
	for (i = 0; i < 5; i++)
		for (j = i + 1; j < 5; j++) {
			S_fields(s, wide[i], 2, a);
			S_fields(s, wide[j], 2, b);
			CHECK(memcmp(a, b, sizeof a) != 0);
		}
	/* "a" and 255 bytes 0xff are not the 257 bytes "a\xff\xff..." (the same
	 * stream if a length were only its low byte) */
	memset(s + 1, 0xff, sizeof s - 1);
	S_fields(s, wide[1], 1, a);
	{
		static const size_t two[2] = { 1, 255 };
		S_fields(s, two, 2, b);
	}
	CHECK(memcmp(a, b, sizeof a) != 0);
	return TEST_DONE();
}
