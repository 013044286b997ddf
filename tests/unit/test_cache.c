/* test_cache.c: the chapter cache's keys and entries (cache.c) and its
 * packs (cachepack.c) on a small blog written by the test: an entry
 * stored by one run is found by the next under its post's key; a post
 * whose fields change but not its bytes (its title, its url) keeps the
 * key's name but finds the entry stale (not reused, no note), and an
 * older pack's entry for its old fields stays sound; two posts with the
 * same bytes have two names; a corrupted entry is -1 with a note; a pack
 * whose index is broken is read entry by entry, one cut short loses only
 * what was cut; the fields record is compared whole (a field cut another
 * way is another record); --cache-max removes the pack used least
 * recently, a read counting as a use where the file system keeps access
 * times. */
#define _XOPEN_SOURCE 700
#include "blog.h"
#include "cache.h"
#include "tap.h"

#include <dirent.h>
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

/* The next run: c closed (not complete: nothing packed into one, no
 * bound) and opened again. */
static bb_ccache *
S_next_run(bb_ccache *c, bb_blog *b, bb_diaglist *dl)
{
	bb_ccache_close(c, 0, 0, dl);
	return bb_ccache_open(b, dl);
}

/* The path of the one pack in the cache folder (out: cap bytes); 0 when
 * there is not exactly one. */
static int
S_one_pack(char *out, size_t cap)
{
	char dir[400];
	DIR *d;
	struct dirent *de;
	int n = 0;
	snprintf(dir, sizeof dir, "%s/chapters", cache);
	if (!(d = opendir(dir)))
		return 0;
	while ((de = readdir(d)))
		if (strncmp(de->d_name, "pack-", 5) == 0 && n++ == 0)
			snprintf(out, cap, "%s/%s", dir, de->d_name);
	closedir(d);
	return n == 1;
}

/* Flips bit 0x20 of the byte at off of path (from its end when off < 0). */
static void
S_flip(const char *path, long off)
{
	FILE *f = fopen(path, "r+b");
	int ch;
	if (!f)
		return;
	fseek(f, off, off < 0 ? SEEK_END : SEEK_SET);
	ch = fgetc(f);
	fseek(f, off, off < 0 ? SEEK_END : SEEK_SET);
	fputc(ch ^ 0x20, f);
	fclose(f);
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
	struct stat st;
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
	/* a run stores, the next finds */
	c = S_next_run(c, b, &dl);
	CHECK(c && S_load(c, &k0, "chapter zero", &notes) == 1 && notes == 0);
	CHECK(S_load(c, &k1, NULL, NULL) == 0);
	/* the key again: the same name and record */
	CHECK(bb_ccache_key(c, 0, &again) == 0 && strcmp(again.hex, k0.hex) == 0 && again.fields.len == k0.fields.len &&
	      memcmp(again.fields.data, k0.fields.data, k0.fields.len) == 0);

	/* a field changed, the bytes not: the same name, a stale entry */
	old = b->posts[0].title;
	b->posts[0].title = "Another title";
	CHECK(bb_ccache_key(c, 0, &again) == 0 && strcmp(again.hex, k0.hex) == 0);
	CHECK(S_load(c, &again, NULL, &notes) == 0 && notes == 0);
	/* rendered again and stored: found with the new fields (the newer
	 * pack), and the older pack's entry with the old fields stays sound */
	CHECK(S_store(c, &again, "chapter zero, retitled") == 0);
	c = S_next_run(c, b, &dl);
	CHECK(c && S_load(c, &again, "chapter zero, retitled", NULL) == 1);
	CHECK(S_load(c, &k0, "chapter zero", NULL) == 1);
	b->posts[0].title = old;
	/* a value moved from one field to its neighbour: another record */
	CHECK(bb_ccache_key(c, 0, &again) == 0);
	old = b->posts[0].url;
	b->posts[0].url = NULL;
	CHECK(bb_ccache_key(c, 0, &k1) == 0 && (k1.fields.len != again.fields.len ||
	      memcmp(k1.fields.data, again.fields.data, again.fields.len) != 0));
	b->posts[0].url = old;
	bb_ccache_close(c, 0, 0, &dl);

	/* one pack of one entry in an empty folder */
	snprintf(path, sizeof path, "rm -rf '%s'", cache);
	CHECK(system(path) == 0);
	c = bb_ccache_open(b, &dl);
	CHECK(c && S_store(c, &k0, "chapter zero") == 0);
	bb_ccache_close(c, 0, 0, &dl);
	CHECK(S_one_pack(path, sizeof path));
	/* a flipped bit in its index: read entry by entry, with a note */
	S_flip(path, -20);
	c = bb_ccache_open(b, &dl);
	notes = dl.n;
	CHECK(c && S_load(c, &k0, "chapter zero", NULL) == 1 && notes > 0 &&
	      strstr(dl.v[notes - 1].message, "no sound index") != NULL);
	bb_ccache_close(c, 0, 0, &dl);
	/* a flipped byte in the stored fields (the pack's head is 48 bytes):
	 * the checksum says so */
	S_flip(path, 48 + 8 + 32 + 8 + 8 + 2);
	c = bb_ccache_open(b, &dl);
	CHECK(c && S_load(c, &k0, NULL, &notes) == -1 && notes == 1);
	bb_ccache_close(c, 0, 0, &dl);
	/* cut inside the entry: not found, nothing read past the end */
	if (stat(path, &st) == 0)
		CHECK(truncate(path, 48 + 60) == 0);
	c = bb_ccache_open(b, &dl);
	CHECK(c && S_load(c, &k0, NULL, &notes) == 0 && notes == 0);

	bb_ckey_free(&k0);
	bb_ckey_free(&k1);
	bb_ckey_free(&again);
	bb_ckey_free(NULL);
	bb_ccache_close(c, 0, 0, &dl);
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
	char pa[700], pb[700], cmd[700], *big;
	struct statvfs sv;
	size_t n = 600 * 1000;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", cache);
	CHECK(system(cmd) == 0);
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
	/* two runs, a pack each */
	CHECK(S_store_n(c, &ka, big, n) == 0);
	bb_ccache_close(c, 0, 0, &dl);
	CHECK(S_one_pack(pa, sizeof pa));
	c = bb_ccache_open(b, &dl);
	CHECK(c && S_store_n(c, &kb, big, n) == 0);
	bb_ccache_close(c, 0, 0, &dl);
	/* the second is the one pack left with the first set aside */
	snprintf(cmd, sizeof cmd, "%s/first-pack", cache);
	CHECK(rename(pa, cmd) == 0 && S_one_pack(pb, sizeof pb) && rename(cmd, pa) == 0);
	/* a written long ago and read now; b written later, never read */
	S_times(pa, 1000000000);
	S_times(pb, 1500000000);
	c = bb_ccache_open(b, &dl);
	CHECK(c && S_load(c, &ka, NULL, NULL) == 1);
	/* 1.2 MB over a bound of 1 MB: the full look removes one of them */
	bb_ccache_close(c, 0, 1, &dl);
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
