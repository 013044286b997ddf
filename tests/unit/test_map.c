/* test_map.c: the string -> index map with 8-byte slots and one key arena:
 * every key put is found with its value through many growths of the table
 * and the arena (keys of every length, a long one alone over the arena's
 * first size), an absent key is not, the first value of a key wins, the
 * iteration gives each entry once, and a freed map is empty and reusable. */
#define _XOPEN_SOURCE 700
#include "map.h"
#include "tap.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 50000

/* Key number i: lengths 1 .. 60 bytes, all distinct. */
static void
S_key(size_t i, char *out, size_t cap)
{
	size_t len;
	snprintf(out, cap, "/%zu/", i);
	len = strlen(out);
	for (; len < 2 + i % 60 && len + 1 < cap; len++)
		out[len] = (char)('a' + (i + len) % 26);
	out[len] = '\0';
}

int
main(void)
{
	bb_map m;
	char key[128], *big;
	size_t i, v, pos, seen_n = 0, bad = 0;
	unsigned char *seen;
	const char *k;

	memset(&m, 0, sizeof m);
	CHECK(!bb_map_get(&m, "x", &v));
	pos = 0;
	CHECK(!bb_map_next(&m, &pos, &k, &v));

	for (i = 0; i < N; i++) {
		S_key(i, key, sizeof key);
		bb_map_put(&m, key, i * 3);
	}
	CHECK(m.n == N);
	/* the table stays at most three quarters full */
	CHECK(m.cap >= N * 4 / 3 && (m.cap & (m.cap - 1)) == 0);
	for (i = 0; i < N; i++) {
		S_key(i, key, sizeof key);
		if (!bb_map_get(&m, key, &v) || v != i * 3)
			bad++;
	}
	CHECK(bad == 0);
	CHECK(!bb_map_get(&m, "/50000/", &v));
	CHECK(!bb_map_get(&m, "", &v));

	/* a second put of a key keeps the first value */
	S_key(7, key, sizeof key);
	bb_map_put(&m, key, 999);
	CHECK(bb_map_get(&m, key, &v) && v == 21);
	CHECK(m.n == N);

	/* a key longer than the arena's first block, and the empty key */
	big = bb_xmalloc(100001);
	memset(big, 'k', 100000);
	big[100000] = '\0';
	bb_map_put(&m, big, 4000000000u);
	bb_map_put(&m, "", 5);
	CHECK(bb_map_get(&m, big, &v) && v == 4000000000u);
	CHECK(bb_map_get(&m, "", &v) && v == 5);
	big[99999] = '\0';
	CHECK(!bb_map_get(&m, big, &v));
	free(big);

	/* every entry once, with its value, keys as put */
	seen = bb_xcalloc(N, 1);
	pos = 0;
	while (bb_map_next(&m, &pos, &k, &v)) {
		seen_n++;
		if (v % 3 == 0 && v / 3 < N) {
			S_key(v / 3, key, sizeof key);
			if (strcmp(k, key) != 0 || seen[v / 3]++)
				bad++;
		} else if (!(v == 5 && !*k) && !(v == 4000000000u && strlen(k) == 100000))
			bad++;
	}
	CHECK(bad == 0);
	CHECK(seen_n == N + 2);
	for (i = 0; i < N; i++)
		if (!seen[i])
			bad++;
	CHECK(bad == 0);
	free(seen);

	bb_map_free(&m);
	CHECK(m.n == 0 && m.cap == 0 && !m.slots && !m.arena);
	CHECK(!bb_map_get(&m, "/1/", &v));
	bb_map_put(&m, "again", 1);
	CHECK(bb_map_get(&m, "again", &v) && v == 1 && m.n == 1);
	bb_map_free(&m);

	/* keys borrowed from the caller's block: found, first one wins, the
	 * block not freed with the map, nothing copied */
	{
		static const char block[] = "alpha\0beta\0alpha\0gamma";
		bb_map_put_at(&m, block, 0, 1);
		bb_map_put_at(&m, block, 6, 2);
		bb_map_put_at(&m, block, 11, 3); /* "alpha" again */
		bb_map_put_at(&m, block, 17, 4);
		CHECK(m.n == 3 && m.borrowed && m.arena == block && m.used == 0);
		CHECK(bb_map_get(&m, "alpha", &v) && v == 1);
		CHECK(bb_map_get(&m, "beta", &v) && v == 2);
		CHECK(bb_map_get(&m, "gamma", &v) && v == 4);
		CHECK(!bb_map_get(&m, "delta", &v) && !bb_map_get(&m, "alph", &v));
		pos = 0;
		CHECK(bb_map_next(&m, &pos, &k, &v) && k >= block && k < block + sizeof block);
		bb_map_free(&m);
		CHECK(m.n == 0 && !m.arena && !m.borrowed);
	}

	/* a key ending the key put just before is kept as that key's end (a
	 * Jekyll post's date URL after its URL with categories): no bytes
	 * added, both found; a key that is not is copied */
	{
		size_t used;
		bb_map_put(&m, "/notes/2024/01/05/x", 1);
		used = m.used;
		bb_map_put(&m, "/2024/01/05/x", 2);
		CHECK(m.used == used && m.n == 2);
		bb_map_put(&m, "/2024/01/05/y", 3);
		CHECK(m.used == used + sizeof "/2024/01/05/y" && m.n == 3);
		bb_map_put(&m, "/05/x", 4); /* not the end of the last key */
		CHECK(m.used == used + sizeof "/2024/01/05/y" + sizeof "/05/x");
		CHECK(bb_map_get(&m, "/notes/2024/01/05/x", &v) && v == 1);
		CHECK(bb_map_get(&m, "/2024/01/05/x", &v) && v == 2);
		CHECK(bb_map_get(&m, "/2024/01/05/y", &v) && v == 3);
		CHECK(bb_map_get(&m, "/05/x", &v) && v == 4);
		CHECK(!bb_map_get(&m, "/01/05/x", &v));
		/* the map's own copy of a key, in its arena */
		CHECK(bb_map_key(&m, "/2024/01/05/x") == m.arena + used - sizeof "/2024/01/05/x");
		CHECK(!bb_map_key(&m, "/01/05/x"));
		bb_map_free(&m);
	}

	/* a table reserved for n keys is sized to them, not to a power of
	 * two, and holds them all without growing */
	{
		size_t cap, bad2 = 0;
		bb_map_reserve(&m, N);
		cap = m.cap;
		CHECK(cap >= N * 4 / 3 && cap < N * 4 / 3 + 8);
		for (i = 0; i < N; i++) {
			S_key(i, key, sizeof key);
			bb_map_put(&m, key, i);
		}
		CHECK(m.cap == cap && m.n == N);
		for (i = 0; i < N; i++) {
			S_key(i, key, sizeof key);
			if (!bb_map_get(&m, key, &v) || v != i)
				bad2++;
		}
		CHECK(bad2 == 0);
		CHECK(!bb_map_get(&m, "/50000/", &v));
		/* more keys than reserved: it grows again */
		bb_map_put(&m, "one more", N);
		bb_map_put(&m, "two more", N + 1);
		CHECK(m.cap > cap && bb_map_get(&m, "one more", &v) && v == N);
		CHECK(bb_map_get(&m, "two more", &v) && v == N + 1);
		bb_map_free(&m);
	}

	return TEST_DONE();
}
