/* test_cache.c: the chapter cache's keys and entries (cache.c) on a small
 * blog written by the test: an entry is found under its post's key; a
 * post whose fields change but not its bytes (its title, its url) keeps
 * the key's name but finds the entry stale (not reused, no note); two
 * posts with the same bytes have two names; a corrupted entry is -1 with
 * a note; the fields record is compared whole (a field cut another way
 * is another record); --cache-max removes the entry used least recently,
 * a read counting as a use where the file system keeps access times. */
#define _XOPEN_SOURCE 700
#include "blog.h"
#include "cache.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

static char root[256], cache[300];

static void
S_write(const char *rel, const char *text)
{
	tap_write(root, rel, text);
}

static void
S_quiet(void *ctx, const bb_diag *d)
{
	(void)ctx;
	(void)d;
}

/* Stores an entry for post idx under k with one part of n bytes text. */
static int
S_store_n(bb_ccache *c, const bb_ckey *k, const char *text, size_t n)
{
	bb_cpart part;
	bb_deps deps;
	bb_diaglist dl = { NULL, 0, 0 };
	memset(&part, 0, sizeof part);
	memset(&deps, 0, sizeof deps);
	part.size = n;
	part.crc = 1234;
	part.data = (const unsigned char *)text;
	part.len = n;
	return bb_ccache_store(c, k, 0, &part, 1, NULL, 0, &deps, &dl);
}

static int
S_store(bb_ccache *c, const bb_ckey *k, const char *text)
{
	return S_store_n(c, k, text, strlen(text));
}

/* bb_ccache_load's answer for k; with part, its first part's bytes must
 * be part. */
static int
S_load(bb_ccache *c, const bb_ckey *k, const char *part, size_t *notes)
{
	bb_centry e;
	bb_diaglist dl = { NULL, 0, 0 };
	int rc = bb_ccache_load(c, k, "post", &e, &dl);
	if (rc == 1 && part)
		CHECK(e.nparts == 1 && e.parts[0].len == strlen(part) && memcmp(e.parts[0].data, part, e.parts[0].len) == 0);
	if (notes)
		*notes = dl.n;
	bb_diag_clear(&dl);
	bb_centry_free(&e);
	return rc;
}

static void
test_keys_and_entries(void)
{
	bb_options o;
	bb_blog *b;
	bb_ccache *c;
	bb_diaglist dl = { NULL, 0, 0 };
	bb_ckey k0, k1, again;
	char *old, path[700];
	size_t i, notes = 0;
	FILE *f;
	S_write("_config.yml", "title: T\nlang: en\n");
	S_write("_posts/2020-01-01-a.md", "---\ntitle: A\n---\nSame words.\n");
	S_write("_posts/2020-01-02-b.md", "---\ntitle: A\n---\nSame words.\n");
	bb_options_init(&o);
	o.source_dir = root;
	o.cache_dir = cache;
	o.diag = S_quiet;
	b = bb_collect(&o);
	CHECK(b != NULL && b->nposts == 2);
	if (!b || b->nposts != 2)
		return;
	c = bb_ccache_open(b, &dl);
	CHECK(c != NULL);
	if (!c)
		return;
	memset(&k0, 0, sizeof k0);
	memset(&k1, 0, sizeof k1);
	memset(&again, 0, sizeof again);
	CHECK(bb_ccache_key(c, 0, &k0) == 0 && strlen(k0.hex) == 64 && k0.fields.len > 0);
	CHECK(bb_ccache_key(c, 1, &k1) == 0);
	/* the same bytes in two files: two names */
	CHECK(strcmp(k0.hex, k1.hex) != 0);
	CHECK(S_load(c, &k0, NULL, NULL) == 0);
	CHECK(S_store(c, &k0, "chapter zero") == 0);
	CHECK(S_load(c, &k0, "chapter zero", &notes) == 1 && notes == 0);
	/* the key again: the same name and record */
	CHECK(bb_ccache_key(c, 0, &again) == 0 && strcmp(again.hex, k0.hex) == 0 && again.fields.len == k0.fields.len &&
	      memcmp(again.fields.data, k0.fields.data, k0.fields.len) == 0);

	/* a field changed, the bytes not: the same name, a stale entry */
	old = b->posts[0].title;
	b->posts[0].title = "Another title";
	CHECK(bb_ccache_key(c, 0, &again) == 0 && strcmp(again.hex, k0.hex) == 0);
	CHECK(S_load(c, &again, NULL, &notes) == 0 && notes == 0);
	/* overwritten by the new rendering: found with the new fields, stale
	 * with the old */
	CHECK(S_store(c, &again, "chapter zero, retitled") == 0);
	CHECK(S_load(c, &again, "chapter zero, retitled", NULL) == 1);
	CHECK(S_load(c, &k0, NULL, NULL) == 0);
	b->posts[0].title = old;
	/* a value moved from one field to its neighbour: another record */
	CHECK(bb_ccache_key(c, 0, &again) == 0);
	old = b->posts[0].url;
	b->posts[0].url = NULL;
	CHECK(bb_ccache_key(c, 0, &k1) == 0 && (k1.fields.len != again.fields.len ||
	      memcmp(k1.fields.data, again.fields.data, again.fields.len) != 0));
	b->posts[0].url = old;

	/* a flipped byte in the stored fields: the checksum says so */
	CHECK(S_store(c, &k0, "chapter zero") == 0);
	snprintf(path, sizeof path, "%s/chapters/%s", cache, k0.hex);
	if ((f = fopen(path, "r+b"))) {
		int ch;
		fseek(f, 8 + 32 + 8 + 8 + 2, SEEK_SET);
		ch = fgetc(f);
		fseek(f, 8 + 32 + 8 + 8 + 2, SEEK_SET);
		fputc(ch ^ 0x20, f);
		fclose(f);
	}
	CHECK(S_load(c, &k0, NULL, &notes) == -1 && notes == 1);

	bb_ckey_free(&k0);
	bb_ckey_free(&k1);
	bb_ckey_free(&again);
	bb_ckey_free(NULL);
	bb_ccache_close(c, 0, &dl);
	for (i = 0; i < dl.n; i++)
		fprintf(stderr, "note: %s\n", dl.v[i].message);
	bb_diag_clear(&dl);
	bb_blog_free(b);
}

/* Sets path's access and modification times to t. */
static void
S_times(const char *path, time_t t)
{
	struct timespec ts[2];
	ts[0].tv_sec = ts[1].tv_sec = t;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	utimensat(AT_FDCWD, path, ts, 0);
}

static void
test_least_recently_used(void)
{
	bb_options o;
	bb_blog *b;
	bb_ccache *c;
	bb_diaglist dl = { NULL, 0, 0 };
	bb_ckey ka, kb;
	char pa[700], pb[700], *big;
	struct statvfs sv;
	size_t n = 600 * 1000;
	S_write("_posts/2020-01-03-c.md", "---\ntitle: C\n---\nOther words.\n");
	bb_options_init(&o);
	o.source_dir = root;
	o.cache_dir = cache;
	o.diag = S_quiet;
	if (!(b = bb_collect(&o)) || !(c = bb_ccache_open(b, &dl))) {
		CHECK(0);
		bb_blog_free(b);
		return;
	}
	memset(&ka, 0, sizeof ka);
	memset(&kb, 0, sizeof kb);
	big = malloc(n);
	memset(big, 'x', n);
	CHECK(bb_ccache_key(c, 0, &ka) == 0 && bb_ccache_key(c, 2, &kb) == 0);
	CHECK(S_store_n(c, &ka, big, n) == 0 && S_store_n(c, &kb, big, n) == 0);
	snprintf(pa, sizeof pa, "%s/chapters/%s", cache, ka.hex);
	snprintf(pb, sizeof pb, "%s/chapters/%s", cache, kb.hex);
	/* a written long ago and read now; b written later, never read */
	S_times(pa, 1000000000);
	S_times(pb, 1500000000);
	CHECK(S_load(c, &ka, NULL, NULL) == 1);
	/* 1.2 MB over a bound of 1 MB: the full look removes one of them */
	bb_ccache_close(c, 1, &dl);
	if (statvfs(cache, &sv) == 0 && (sv.f_flag & 1024) /* ST_NOATIME */) {
		fprintf(stderr, "skip: %s keeps no access times\n", cache);
	} else {
		CHECK(access(pa, F_OK) == 0);
		CHECK(access(pb, F_OK) != 0);
	}
	free(big);
	bb_ckey_free(&ka);
	bb_ckey_free(&kb);
	bb_diag_clear(&dl);
	bb_blog_free(b);
}

int
main(void)
{
	char cmd[1200];
	snprintf(root, sizeof root, "/tmp/bb-test-cache-%ld", (long)getpid());
	snprintf(cache, sizeof cache, "%s-cache", root);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' && mkdir -p '%s'", root, cache, root);
	if (system(cmd) != 0)
		return 1;
	test_keys_and_entries();
	test_least_recently_used();
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", root, cache);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return TEST_DONE();
}
