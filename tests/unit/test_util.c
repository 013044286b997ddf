/* test_util.c: util.c's file helpers: bb_read_file at and past its limit, on
 * an empty, missing or non-regular file, and bb_pwrite_all at an offset and
 * on a descriptor it cannot write. */
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
	p = bb_xasprintf("%s/big", S_dir);
	unlink(p);
	free(p);
	p = bb_xasprintf("%s/empty", S_dir);
	unlink(p);
	free(p);
	rmdir(S_dir);
	return TEST_DONE();
}
