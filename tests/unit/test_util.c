/* test_util.c: util.c's file helpers: bb_read_file at and past its limit, on
 * an empty, missing or non-regular file, and bb_pwrite_all at an offset and
 * on a descriptor it cannot write; util.h's bb_ascii8 against a byte-by-byte
 * reading. */
#define _POSIX_C_SOURCE 200809L
#include "tap.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

static char S_dir[] = "/tmp/bb-test-util-XXXXXX";

static char *
S_file(const char *name, const char *text, size_t n)
{
	char *path = bb_xasprintf("%s/%s", S_dir, name);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(text, 1, n, f);
		fclose(f);
	}
	return path;
}

static void
S_read_cases(void)
{
	char *big = bb_xmalloc(200001), *p, *data;
	size_t len, i;
	int rc;
	for (i = 0; i < 200000; i++)
		big[i] = (char)('a' + i % 26);
	big[200000] = '\0';

	p = S_file("big", big, 200000);
	rc = bb_read_file(p, 200000, &data, &len);
	CHECK(rc == 0 && len == 200000 && data && memcmp(data, big, len) == 0 && data[len] == '\0');
	free(data);
	/* one byte over the limit: EFBIG and the first max bytes */
	errno = 0;
	rc = bb_read_file(p, 199999, &data, &len);
	CHECK(rc == -1 && errno == EFBIG && len == 199999 && data && memcmp(data, big, len) == 0 &&
	      data[len] == '\0');
	free(data);
	rc = bb_read_file(p, 10, &data, &len);
	CHECK(rc == -1 && errno == EFBIG && len == 10 && data && strcmp(data, "abcdefghij") == 0);
	free(data);
	free(p);

	p = S_file("empty", "", 0);
	rc = bb_read_file(p, 100, &data, &len);
	CHECK(rc == 0 && len == 0 && data && data[0] == '\0');
	free(data);
	free(p);

	p = bb_xasprintf("%s/missing", S_dir);
	rc = bb_read_file(p, 100, &data, &len);
	CHECK(rc == -1 && errno == ENOENT && !data && len == 0);
	free(p);

	/* a folder: read fails (EISDIR), nothing returned */
	rc = bb_read_file(S_dir, 100, &data, &len);
	CHECK(rc == -1 && errno == EISDIR && !data);

	/* not a regular file: read to its end, whatever fstat says of its size */
	rc = bb_read_file("/dev/null", 100, &data, &len);
	CHECK(rc == 0 && len == 0 && data && data[0] == '\0');
	free(data);
	free(big);
}

static void
S_pwrite_cases(void)
{
	char *p = S_file("spool", "0123456789", 10), *data = NULL;
	size_t len = 0;
	int fd = open(p, O_RDWR);
	CHECK(fd >= 0);
	CHECK(bb_pwrite_all(fd, "abc", 3, 4) == 0);
	CHECK(bb_pwrite_all(fd, "XY", 2, 12) == 0); /* past the end: a hole of one NUL */
	CHECK(bb_pwrite_all(fd, "", 0, 0) == 0);
	close(fd);
	CHECK(bb_read_file(p, 100, &data, &len) == 0 && len == 14 && memcmp(data, "0123abc789\0\0XY", 14) == 0);
	free(data);
	fd = open(p, O_RDONLY);
	errno = 0;
	CHECK(bb_pwrite_all(fd, "abc", 3, 0) == -1 && errno == EBADF);
	close(fd);
	unlink(p);
	free(p);
}

/* bb_ascii8's answer as one byte at a time gives it. */
static int
S_ascii8_slow(const unsigned char *p, unsigned char min)
{
	int i;
	for (i = 0; i < 8; i++)
		if (p[i] < min || p[i] >= 0x80)
			return 0;
	return 1;
}

/* Every byte value at every place of a word of 'a's, for each min, then
 * words with two odd bytes (a byte under min below a good one borrows into
 * it), read at an odd address. */
static void
S_ascii8_cases(void)
{
	unsigned char buf[9];
	unsigned min, b, c, at, at2, bad = 0, ones = 0;
	for (min = 0; min <= 0x7F; min++)
		for (at = 0; at < 8; at++)
			for (b = 0; b < 256; b++) {
				memset(buf, 'a' > min ? 'a' : 0x7F, sizeof buf);
				buf[1 + at] = (unsigned char)b;
				ones += (unsigned)bb_ascii8(buf + 1, (unsigned char)min);
				bad += bb_ascii8(buf + 1, (unsigned char)min) != S_ascii8_slow(buf + 1, (unsigned char)min);
			}
	CHECK(bad == 0);
	CHECK(ones > 0);
	for (min = 0; min <= 0x20; min += 0x10)
		for (at = 0; at < 8; at++)
			for (at2 = 0; at2 < 8; at2++)
				for (b = 0; b < 256; b += 3)
					for (c = 0; c < 256; c += 5) {
						memset(buf, ' ', sizeof buf);
						buf[1 + at] = (unsigned char)b;
						buf[1 + at2] = (unsigned char)c;
						bad += bb_ascii8(buf + 1, (unsigned char)min) !=
						       S_ascii8_slow(buf + 1, (unsigned char)min);
					}
	CHECK(bad == 0);
	CHECK(bb_ascii8("plain as", 0x20) && bb_ascii8("tab	here", 0) && !bb_ascii8("tab	here", 0x20));
	CHECK(!bb_ascii8("caf\xc3\xa9 ok", 0) && !bb_ascii8("NUL\0here", 1) && bb_ascii8("NUL\0here", 0));
}

/* bb_buf_put_dec writes what snprintf's "%0*lld" writes, bb_xpath what
 * "%s/%s" writes: the permalinks and paths they replaced stay the same */
static void
S_dec_cases(void)
{
	static const long long v[] = { 0, 1, 7, 9, 10, 99, 100, 2024, 12345, -1, -5, -42, -1000,
		9223372036854775807LL, -9223372036854775807LL - 1 };
	size_t i;
	int w, bad = 0;
	char want[64];
	char *p;
	for (i = 0; i < sizeof v / sizeof *v; i++)
		for (w = 0; w <= 6; w++) {
			bb_buf b = BB_BUF_INIT;
			bb_buf_puts(&b, "x");
			bb_buf_put_dec(&b, v[i], w);
			snprintf(want, sizeof want, "x%0*lld", w, v[i]);
			if (strcmp(b.data, want) != 0) {
				fprintf(stderr, "# %lld width %d: got %s, want %s\n", v[i], w, b.data, want);
				bad++;
			}
			bb_buf_free(&b);
		}
	CHECK(bad == 0);
	p = bb_xpath("/blog", "_posts/a.md");
	CHECK_STR(p, "/blog/_posts/a.md");
	free(p);
	p = bb_xpath("", "");
	CHECK_STR(p, "/");
	free(p);
}

int
main(void)
{
	char *p;
	if (!mkdtemp(S_dir)) {
		perror("mkdtemp");
		return 1;
	}
	S_read_cases();
	S_pwrite_cases();
	S_ascii8_cases();
	S_dec_cases();
	p = bb_xasprintf("%s/big", S_dir);
	unlink(p);
	free(p);
	p = bb_xasprintf("%s/empty", S_dir);
	unlink(p);
	free(p);
	rmdir(S_dir);
	return TEST_DONE();
}
