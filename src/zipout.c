/* zipout.c: the book's output file as a libzip source (zipout.h).
 *
 * libzip writes each entry's local header, its data, then seeks back to
 * write the header again with the sizes and CRC, and forward again. Its
 * stdio file source turns each seek into a flush, an lseek and a read:
 * five system calls and more for every entry, 50,000 for a book of
 * 10,000 posts, a tenth of a rebind's time. Here the bytes wait in one
 * buffer: a seek inside it only moves the cursor. */
#define _XOPEN_SOURCE 700
#include "zipout.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BUF_CAP ((size_t)256 << 10)

typedef struct S_out {
	char *path, *tmp;
	int fd;                   /* the temporary file, -1 when none */
	int keep_mode;            /* path existed: its mode goes to the new file */
	mode_t mode;
	unsigned char *buf;       /* bytes [base, base + blen) not yet written */
	zip_uint64_t base, blen, pos, end;
	zip_error_t err;
} S_out;

/* Writes len bytes of p at offset off, retrying short writes. Returns 0
 * or -1 (err set). */
static int
S_pwrite_all(S_out *o, const unsigned char *p, zip_uint64_t len, zip_uint64_t off)
{
	if (bb_pwrite_all(o->fd, p, (size_t)len, off) != 0) {
		zip_error_set(&o->err, ZIP_ER_WRITE, errno);
		return -1;
	}
	return 0;
}

/* Writes the buffer out. Returns 0 or -1 (err set). */
static int
S_flush(S_out *o)
{
	if (S_pwrite_all(o, o->buf, o->blen, o->base) != 0)
		return -1;
	o->base += o->blen;
	o->blen = 0;
	return 0;
}

/* Writes len bytes at the cursor. Returns len or -1. */
static zip_int64_t
S_write(S_out *o, const void *data, zip_uint64_t len)
{
	/* the buffer holds one run of bytes: a write outside it starts another */
	if (o->pos < o->base || o->pos > o->base + o->blen || o->pos - o->base + len > BUF_CAP) {
		if (S_flush(o) != 0)
			return -1;
		o->base = o->pos;
	}
	if (len > BUF_CAP) {
		if (S_pwrite_all(o, data, len, o->pos) != 0)
			return -1;
		o->base = o->pos + len;
	} else {
		memcpy(o->buf + (o->pos - o->base), data, (size_t)len);
		if (o->pos - o->base + len > o->blen)
			o->blen = o->pos - o->base + len;
	}
	o->pos += len;
	if (o->pos > o->end)
		o->end = o->pos;
	return (zip_int64_t)len;
}

/* Creates the temporary file beside path, as libzip does: path.XXXXXX,
 * 0600 when path exists (its mode is copied on commit), else 0666 less
 * the umask. Returns 0 or -1 (err set). */
static int
S_begin(S_out *o)
{
	struct stat st;
	size_t n = strlen(o->path);
	unsigned long v = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16) ^ (unsigned long)(size_t)o;
	int tries;
	o->keep_mode = stat(o->path, &st) == 0;
	o->mode = st.st_mode & 07777;
	o->tmp = bb_xmalloc(n + 8);
	for (tries = 0; tries < 1000; tries++) {
		int i;
		unsigned long x;
		v = v * 6364136223846793005UL + 1442695040888963407UL;
		x = v >> 11;
		memcpy(o->tmp, o->path, n);
		o->tmp[n] = '.';
		for (i = 1; i <= 6; i++, x /= 36)
			o->tmp[n + i] = "0123456789abcdefghijklmnopqrstuvwxyz"[x % 36];
		o->tmp[n + 7] = '\0';
		o->fd = open(o->tmp, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, o->keep_mode ? 0600 : 0666);
		if (o->fd >= 0 || errno != EEXIST)
			break;
	}
	if (o->fd < 0) {
		zip_error_set(&o->err, ZIP_ER_TMPOPEN, errno);
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	o->buf = bb_xmalloc(BUF_CAP);
	o->base = o->blen = o->pos = o->end = 0;
	return 0;
}

/* Closes and removes the temporary file, if any. */
static void
S_rollback(S_out *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	free(o->buf);
	o->buf = NULL;
}

/* Writes what waits, gives the file its mode and renames it over path. */
static int
S_commit(S_out *o)
{
	int rc = S_flush(o);
	if (rc == 0 && o->keep_mode && fchmod(o->fd, o->mode) != 0) {
		zip_error_set(&o->err, ZIP_ER_CLOSE, errno);
		rc = -1;
	}
	if (close(o->fd) != 0 && rc == 0) {
		zip_error_set(&o->err, ZIP_ER_CLOSE, errno);
		rc = -1;
	}
	o->fd = -1;
	if (rc == 0 && rename(o->tmp, o->path) != 0) {
		zip_error_set(&o->err, ZIP_ER_RENAME, errno);
		rc = -1;
	}
	if (rc != 0)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	free(o->buf);
	o->buf = NULL;
	return rc;
}

static zip_int64_t
S_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	S_out *o = ud;
	zip_int64_t off;
	switch (cmd) {
	case ZIP_SOURCE_STAT:
		/* a new archive: libzip reads nothing (ZIP_TRUNCATE) */
		zip_error_set(&o->err, ZIP_ER_READ, ENOENT);
		return -1;
	case ZIP_SOURCE_BEGIN_WRITE:
		return S_begin(o);
	case ZIP_SOURCE_WRITE:
		return S_write(o, data, len);
	case ZIP_SOURCE_TELL_WRITE:
		return (zip_int64_t)o->pos;
	case ZIP_SOURCE_SEEK_WRITE:
		if ((off = zip_source_seek_compute_offset(o->pos, o->end, data, len, &o->err)) < 0)
			return -1;
		o->pos = (zip_uint64_t)off;
		return 0;
	case ZIP_SOURCE_COMMIT_WRITE:
		return S_commit(o);
	case ZIP_SOURCE_ROLLBACK_WRITE:
		S_rollback(o);
		return 0;
	case ZIP_SOURCE_REMOVE:
		if (unlink(o->path) != 0 && errno != ENOENT) {
			zip_error_set(&o->err, ZIP_ER_REMOVE, errno);
			return -1;
		}
		return 0;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&o->err, data, len);
	case ZIP_SOURCE_FREE:
		S_rollback(o);
		zip_error_fini(&o->err);
		free(o->path);
		free(o);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		/* libzip opens an archive for writing only when its source
		 * claims every writable command; the reading ones fail */
		return ZIP_SOURCE_SUPPORTS_WRITABLE;
	default:
		zip_error_set(&o->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

zip_source_t *
bb_zipout_new(const char *path, zip_error_t *err)
{
	S_out *o = bb_xcalloc(1, sizeof *o);
	zip_source_t *src;
	o->path = bb_xstrdup(path);
	o->fd = -1;
	zip_error_init(&o->err);
	if (!(src = zip_source_function_create(S_cb, o, err))) {
		zip_error_fini(&o->err);
		free(o->path);
		free(o);
	}
	return src;
}
