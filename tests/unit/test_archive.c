/* test_archive.c: the zip container: mimetype first, stored, without extra
 * field; every kind of entry (data, spooled deflate, file) read back through
 * libzip with its method, time, mode and bytes; the same input makes the same
 * bytes; and a write that fails, is discarded or interrupted leaves an
 * existing book untouched and no temporary file behind. */
#define _XOPEN_SOURCE 700
#include "archive.h"
#include "deflate.h"
#include "deflate.h"
#include "tap.h"
#include "util.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#define MTIME 1717243200LL /* 2024-06-01 12:00:00 UTC, even seconds */

static char dir[256];

static void
S_write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(text, 1, len, f) != len) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(1);
	}
	fclose(f);
}

/* The whole file (caller frees), or NULL. */
static char *
S_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	bb_buf b = BB_BUF_INIT;
	char tmp[4096];
	size_t n;
	if (!f)
		return NULL;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		bb_buf_put(&b, tmp, n);
	fclose(f);
	bb_buf_putc(&b, '\0');
	if (len)
		*len = b.len - 1;
	return bb_buf_detach(&b, NULL);
}

/* Files in dir (other than "." and ".."). */
static int
S_count_files(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* 1 when the len bytes at p hold s. */
static int
S_find(const char *p, size_t len, const char *s)
{
	size_t n = strlen(s), i;
	for (i = 0; i + n <= len; i++)
		if (memcmp(p + i, s, n) == 0)
			return 1;
	return 0;
}

static char *
S_dup(const char *s)
{
	return bb_xstrdup(s);
}

static char chapter[20000];

/* Writes the test book to path: mimetype, container (deflated), a chapter
 * (deflated), a spooled chapter, an image file (stored). 0 or -1. */
static int
S_book(const char *path, const char *img, int spool_fd, const bb_spooled *sp, bb_diaglist *dl)
{
	bb_archive *a = bb_archive_open(path, MTIME, dl);
	int rc = 0;
	if (!a)
		return -1;
	rc |= bb_archive_add_data(a, "mimetype", S_dup("application/epub+zip"), 20, 0);
	rc |= bb_archive_add_data(a, "META-INF/container.xml", S_dup("<container/>"), 12, 1);
	rc |= bb_archive_add_data(a, "EPUB/p00001.xhtml", S_dup(chapter), strlen(chapter), 1);
	rc |= bb_archive_add_spooled(a, "EPUB/p00002.xhtml", spool_fd, sp);
	rc |= bb_archive_add_file(a, "EPUB/img/\xC3\xA9t\xC3\xA9.png", img, 0);
	if (rc) {
		bb_archive_discard(a);
		return -1;
	}
	return bb_archive_close(a, NULL);
}

/* Entry i of z read whole (caller frees), or NULL. */
static char *
S_entry(zip_t *z, zip_uint64_t i, size_t *len)
{
	zip_stat_t st;
	zip_file_t *f;
	char *buf;
	if (zip_stat_index(z, i, 0, &st) != 0 || !(f = zip_fopen_index(z, i, 0)))
		return NULL;
	buf = bb_xmalloc((size_t)st.size + 1);
	if (zip_fread(f, buf, st.size) != (zip_int64_t)st.size) {
		zip_fclose(f);
		free(buf);
		return NULL;
	}
	zip_fclose(f);
	buf[st.size] = '\0';
	*len = (size_t)st.size;
	return buf;
}

/* Many spooled entries in runs of the spool far apart (as from many render
 * threads), handed over alternating between the runs, some larger than a
 * read window or across its edge: each reads back whole. */
#define RUNS 12
#define PER_RUN 4
static void
S_many_runs(const char *path, const char *spool)
{
	static char text[RUNS * PER_RUN][160000];
	bb_spooled sp[RUNS * PER_RUN];
	bb_deflater *d = bb_deflater_new();
	bb_diaglist dl = { NULL, 0, 0 };
	unsigned long long at[RUNS];
	unsigned long x = 12345;
	int fd = open(spool, O_RDWR | O_CREAT | O_TRUNC, 0600), k, i;
	bb_archive *a;
	zip_t *z;
	CHECK(fd >= 0);
	for (k = 0; k < RUNS; k++)
		at[k] = (unsigned long long)k * 300007 + 3;
	for (i = 0; i < RUNS * PER_RUN; i++) {
		const unsigned char *c;
		size_t clen, n = (i % 5 == 0 ? 159990 : 3000 + 97 * i), j;
		for (j = 0; j < n; j++) {
			x = x * 1103515245UL + 12345UL;
			text[i][j] = "0123456789abcdef"[(x >> 16) & 15];
		}
		text[i][n] = '\0';
		c = bb_deflate(d, text[i], n, &sp[i], &clen);
		CHECK(i % 5 || clen > 64 * 1024);
		sp[i].offset = at[i % RUNS];
		CHECK(pwrite(fd, c, clen, (off_t)sp[i].offset) == (ssize_t)clen);
		at[i % RUNS] += clen;
	}
	bb_deflater_free(d);
	a = bb_archive_open(path, MTIME, &dl);
	CHECK(a != NULL);
	if (!a) {
		close(fd);
		return;
	}
	CHECK(bb_archive_add_data(a, "mimetype", S_dup("application/epub+zip"), 20, 0) == 0);
	for (i = 0; i < RUNS * PER_RUN; i++) {
		char name[64];
		snprintf(name, sizeof name, "EPUB/p%03d.xhtml", i);
		CHECK(bb_archive_add_spooled(a, name, fd, &sp[i]) == 0);
	}
	CHECK(bb_archive_close(a, NULL) == 0);
	close(fd);
	z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &k);
	CHECK(z != NULL);
	for (i = 0; z && i < RUNS * PER_RUN; i++) {
		size_t len;
		char *got = S_entry(z, (zip_uint64_t)i + 1, &len);
		CHECK(got && len == strlen(text[i]) && memcmp(got, text[i], len) == 0);
		free(got);
	}
	if (z)
		zip_close(z);
	unlink(path);
	unlink(spool);
}

int
main(void)
{
	char book[300], book2[300], img[300], spool[300], old[300], gone[300];
	const char *png = "\x89PNG\r\n\x1a\n fake image bytes";
	const char *spooled_text = "<html><body><p>spooled chapter, deflated by a render thread</p></body></html>";
	bb_diaglist dl = { NULL, 0, 0 };
	bb_deflater *d;
	bb_spooled sp, bad;
	const unsigned char *def;
	size_t def_len, len, len2, i;
	int fd;
	char *raw, *raw2, *got;
	zip_t *z;
	int err;
	unsigned long long size = 0;
	char cmd[400];

	setenv("TZ", "UTC", 1);
	tzset();
	snprintf(dir, sizeof dir, "/tmp/bb-test-archive-%ld", (long)getpid());
	mkdir(dir, 0755);
	snprintf(book, sizeof book, "%s/book.epub", dir);
	snprintf(book2, sizeof book2, "%s/book2.epub", dir);
	snprintf(img, sizeof img, "%s/img.png", dir);
	snprintf(spool, sizeof spool, "%s/spool", dir);
	snprintf(old, sizeof old, "%s/old.epub", dir);
	snprintf(gone, sizeof gone, "%s/gone.png", dir);
	S_write_file(img, png, strlen(png));
	for (i = 0; i + 1 < sizeof chapter; i++)
		chapter[i] = "<p>Lorem ipsum dolor sit amet.</p>\n"[i % 36];

	/* a spool file as the render threads fill it: some bytes, then the entry */
	d = bb_deflater_new();
	def = bb_deflate(d, spooled_text, strlen(spooled_text), &sp, &def_len);
	CHECK(sp.size == strlen(spooled_text) && sp.comp_size == def_len && def_len > 0);
	fd = open(spool, O_RDWR | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, "JUNKJUNK", 8) == 8);
	sp.offset = 8;
	CHECK(write(fd, def, def_len) == (ssize_t)def_len);
	bb_deflater_free(d);
	bb_deflater_free(NULL);

	CHECK(S_book(book, img, fd, &sp, &dl) == 0);
	CHECK(dl.n == 0);
	raw = S_slurp(book, &len);
	CHECK(raw != NULL && len > 100);
	if (raw && len > 100) {
		/* OCF: the first local header is mimetype, stored, no extra field */
		CHECK(memcmp(raw, "PK\x03\x04", 4) == 0);
		CHECK(raw[8] == 0 && raw[9] == 0);                /* method 0: stored */
		CHECK(raw[26] == 8 && raw[27] == 0);              /* name length */
		CHECK(raw[28] == 0 && raw[29] == 0);              /* extra field length */
		CHECK(memcmp(raw + 30, "mimetypeapplication/epub+zip", 28) == 0);
		CHECK(!S_find(raw, len, "Lorem ipsum")); /* the chapter is deflated */
	}

	/* read back through libzip */
	z = zip_open(book, ZIP_RDONLY | ZIP_CHECKCONS, &err);
	CHECK(z != NULL);
	if (z) {
		static const char *const names[] = { "mimetype", "META-INF/container.xml", "EPUB/p00001.xhtml",
						     "EPUB/p00002.xhtml", "EPUB/img/\xC3\xA9t\xC3\xA9.png" };
		static const int methods[] = { ZIP_CM_STORE, ZIP_CM_DEFLATE, ZIP_CM_DEFLATE, ZIP_CM_DEFLATE, ZIP_CM_STORE };
		const char *const want[] = { "application/epub+zip", "<container/>", chapter, spooled_text, png };
		CHECK(zip_get_num_entries(z, 0) == 5);
		for (i = 0; i < 5 && (zip_int64_t)i < zip_get_num_entries(z, 0); i++) {
			zip_stat_t st;
			zip_uint8_t opsys = 0;
			zip_uint32_t attr = 0;
			CHECK(zip_stat_index(z, i, 0, &st) == 0);
			CHECK_STR(st.name, names[i]);
			CHECK(st.comp_method == methods[i]);
			CHECK((long long)st.mtime == MTIME);
			CHECK(zip_file_get_external_attributes(z, i, 0, &opsys, &attr) == 0);
			CHECK(opsys == ZIP_OPSYS_UNIX && attr >> 16 == 0100644);
			got = S_entry(z, i, &len2);
			CHECK(got != NULL && len2 == strlen(want[i]) && memcmp(got, want[i], len2) == 0);
			free(got);
		}
		zip_close(z);
	}

	/* the same input, the same bytes */
	CHECK(S_book(book2, img, fd, &sp, &dl) == 0);
	raw2 = S_slurp(book2, &len2);
	CHECK(raw && raw2 && len == len2 && memcmp(raw, raw2, len) == 0);
	free(raw2);
	unlink(book2);

	/* nothing reaches the path before close; a failed close leaves the old book */
	S_write_file(old, "OLD BOOK", 8);
	S_write_file(gone, "x", 1);
	{
		bb_archive *a = bb_archive_open(old, MTIME, &dl);
		CHECK(a != NULL);
		if (a) {
			CHECK(bb_archive_add_data(a, "mimetype", S_dup("application/epub+zip"), 20, 0) == 0);
			CHECK(bb_archive_add_file(a, "EPUB/gone.png", gone, 0) == 0);
			got = S_slurp(old, NULL);
			CHECK_STR(got, "OLD BOOK");
			free(got);
			unlink(gone); /* the file vanishes before the book is written */
			CHECK(bb_archive_close(a, &size) == -1);
			CHECK(dl.n == 1 && dl.v[0].severity == BB_ERROR && strstr(dl.v[0].message, old));
			bb_diag_clear(&dl);
		}
	}
	got = S_slurp(old, NULL);
	CHECK_STR(got, "OLD BOOK");
	free(got);
	CHECK(S_count_files() == 4); /* book.epub img.png spool old.epub: no temporary file left */

	/* a spooled entry whose bytes are not in the spool: the close fails, old book kept */
	bad = sp;
	bad.offset = 1u << 20;
	{
		bb_archive *a = bb_archive_open(old, MTIME, &dl);
		CHECK(a != NULL);
		if (a) {
			CHECK(bb_archive_add_spooled(a, "EPUB/x.xhtml", fd, &bad) == 0);
			CHECK(bb_archive_close(a, NULL) == -1);
			CHECK(dl.n == 1);
			bb_diag_clear(&dl);
		}
	}
	got = S_slurp(old, NULL);
	CHECK_STR(got, "OLD BOOK");
	free(got);

	/* discarded: nothing written */
	{
		bb_archive *a = bb_archive_open(old, MTIME, &dl);
		CHECK(a != NULL);
		if (a)
			CHECK(bb_archive_add_data(a, "mimetype", S_dup("application/epub+zip"), 20, 0) == 0);
		bb_archive_discard(a);
		bb_archive_discard(NULL);
	}
	got = S_slurp(old, NULL);
	CHECK_STR(got, "OLD BOOK");
	free(got);
	CHECK(S_count_files() == 4);

	/* a folder that does not exist: refused at open (or at close), reported */
	{
		char nodir[400];
		bb_archive *a;
		snprintf(nodir, sizeof nodir, "%s/no/such/dir/book.epub", dir);
		a = bb_archive_open(nodir, MTIME, &dl);
		if (a) {
			bb_archive_add_data(a, "mimetype", S_dup("application/epub+zip"), 20, 0);
			CHECK(bb_archive_close(a, NULL) == -1);
		}
		CHECK(dl.n >= 1 && dl.v[0].severity == BB_ERROR);
		bb_diag_clear(&dl);
	}

	/* the spool read through windows, from many runs at once */
	{
		char many[400];
		snprintf(many, sizeof many, "%s/spool-runs", dir);
		S_many_runs(book2, many);
	}

	/* a good close reports the size written */
	{
		bb_archive *a = bb_archive_open(book2, MTIME, &dl);
		struct stat st;
		size = 0;
		CHECK(a != NULL);
		if (a) {
			bb_archive_add_data(a, "mimetype", S_dup("application/epub+zip"), 20, 0);
			CHECK(bb_archive_close(a, &size) == 0);
		}
		CHECK(stat(book2, &st) == 0 && size == (unsigned long long)st.st_size && size > 20);
		unlink(book2);
	}

	/* an interrupt cancels the write, old book kept */
	{
		bb_archive *a = bb_archive_open(old, MTIME, &dl);
		CHECK(a != NULL);
		CHECK(!bb_interrupted());
		if (a) {
			bb_archive_add_data(a, "mimetype", S_dup("application/epub+zip"), 20, 0);
			bb_interrupt();
			CHECK(bb_interrupted());
			CHECK(bb_archive_close(a, NULL) == -1);
			CHECK(dl.n == 1 && strstr(dl.v[0].message, "interrupted"));
			bb_diag_clear(&dl);
		}
	}
	got = S_slurp(old, NULL);
	CHECK_STR(got, "OLD BOOK");
	free(got);
	CHECK(S_count_files() == 4);

	/* the interrupt belongs to one build: once forgotten, books are written again */
	bb_interrupt_reset();
	CHECK(!bb_interrupted());
	CHECK(S_book(book2, img, fd, &sp, &dl) == 0);
	raw2 = S_slurp(book2, &len2);
	CHECK(raw && raw2 && len == len2 && memcmp(raw, raw2, len) == 0);
	free(raw2);
	unlink(book2);

	/* entries larger than zipout.c's 1 MB buffer (written past it, their
	 * headers rewritten on disk) between small ones, each read back; the
	 * mode of the book replaced is kept, and no temporary file is left */
	{
		size_t big_len = (size_t)3 << 20, i, glen = 0;
		char *big = bb_xmalloc(big_len), *big2 = bb_xmalloc(big_len);
		bb_archive *a;
		zip_t *z;
		int zerr = 0;
		unsigned x = 12345;
		struct stat st;
		for (i = 0; i < big_len; i++) {
			x = x * 1103515245u + 12345u;
			big[i] = (char)(x >> 24); /* random: stored and deflated alike stay big */
		}
		memcpy(big2, big, big_len);
		S_write_file(book2, "x", 1);
		CHECK(chmod(book2, 0640) == 0);
		a = bb_archive_open(book2, MTIME, &dl);
		CHECK(a != NULL);
		if (a) {
			bb_archive_add_data(a, "mimetype", S_dup("application/epub+zip"), 20, 0);
			bb_archive_add_data(a, "big-stored", big, big_len, 0);
			bb_archive_add_data(a, "small", S_dup("small"), 5, 1);
			bb_archive_add_data(a, "big-deflated", big2, big_len, 1);
			CHECK(bb_archive_close(a, NULL) == 0);
		} else {
			free(big);
			free(big2);
		}
		CHECK(stat(book2, &st) == 0 && (st.st_mode & 07777) == 0640);
		CHECK(S_count_files() == 5);
		z = zip_open(book2, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
		CHECK(z != NULL && zip_get_num_entries(z, 0) == 4);
		if (z) {
			char *e1 = S_entry(z, 1, &glen), *e2;
			size_t glen2 = 0;
			unsigned y = 12345;
			int same = e1 && glen == big_len;
			for (i = 0; same && i < big_len; i++) {
				y = y * 1103515245u + 12345u;
				same = e1[i] == (char)(y >> 24);
			}
			CHECK(same);
			e2 = S_entry(z, 3, &glen2);
			CHECK(e1 && e2 && glen2 == big_len && memcmp(e1, e2, big_len) == 0);
			free(e1);
			free(e2);
			e1 = S_entry(z, 2, &glen);
			CHECK(e1 && glen == 5 && memcmp(e1, "small", 5) == 0);
			free(e1);
			zip_close(z);
		}
		unlink(book2);
	}

	free(raw);
	close(fd);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return TEST_DONE();
}
