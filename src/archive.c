/* archive.c: the archive stage: the zip container through libzip, with
 * mimetype first and stored, fixed times and modes, and chapters already
 * deflated by the render threads passed through untouched. */
#define _XOPEN_SOURCE 700
#include "archive.h"
#include "blog.h"
#include "util.h"
#include "zipout.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

static volatile sig_atomic_t S_stop;

void
bb_interrupt(void)
{
	S_stop = 1;
}

int
bb_interrupted(void)
{
	return S_stop != 0;
}

void
bb_interrupt_reset(void)
{
	S_stop = 0;
}

static int
S_cancel(zip_t *z, void *unused)
{
	(void)z;
	(void)unused;
	return S_stop != 0;
}

/* A spooled entry as its zip source's state: where its deflated bytes
 * wait. The read position and error are the archive's: libzip reads one
 * source at a time as it writes the book. 40 bytes in a block of
 * S_CHUNK, not a record of 72 bytes and a malloc each (100,000 chapters:
 * 4.8 MB less while libzip holds its own 400 bytes an entry). */
typedef struct spool_ent {
	struct bb_archive *a;
	unsigned long long offset, size, comp_size;
	unsigned crc;
} spool_ent;

enum { S_CHUNK = 4096 };

/* The spool is read through a few aligned windows of S_WIN bytes, not a
 * pread an entry (a rebind of 10,000 posts: 542 preads, not 10,375): the
 * chapters come in book order from as many runs of the spool as there
 * were render threads (each wrote its own batches), so a window for each
 * keeps them from pushing one another out. */
enum { S_WIN = 64 * 1024, S_NWIN = 8 };
typedef struct spool_win {
	unsigned long long base;  /* a multiple of S_WIN */
	size_t len;               /* bytes read there; 0: empty */
	unsigned char *buf;
} spool_win;

struct bb_archive {
	zip_t *z;
	zip_uint16_t dostime, dosdate;
	time_t mtime;             /* the same, as libzip reads it back */
	bb_diaglist *dl;
	char *path;
	spool_ent **chunks;       /* the spooled entries, S_CHUNK a block (they do not move) */
	size_t nent;
	int fd;                   /* the spool they are read from */
	zip_uint64_t pos;         /* in the entry being read */
	zip_error_t err;          /* the spool's last read error */
	spool_win win[S_NWIN];
	unsigned next_win;        /* the window to fill next */
};

bb_archive *
bb_archive_open(const char *path, long long mtime, bb_diaglist *dl)
{
	bb_archive *a;
	zip_t *z;
	bb_date d;
	zip_error_t ze;
	zip_source_t *out;
	zip_error_init(&ze);
	/* zipout.c: libzip's own file source costs five system calls an entry */
	if (!(out = bb_zipout_new(path, &ze)) || !(z = zip_open_from_source(out, ZIP_CREATE | ZIP_TRUNCATE, &ze))) {
		bb_diag_add(dl, BB_ERROR, NULL, 0, 0, "cannot create %s: %s", path, zip_error_strerror(&ze));
		zip_source_free(out);
		zip_error_fini(&ze);
		return NULL;
	}
	zip_error_fini(&ze);
	a = bb_xcalloc(1, sizeof *a);
	a->z = z;
	a->fd = -1;
	zip_error_init(&a->err);
	/* an interrupt while the book is written cancels it: libzip then
	 * removes its temporary file and the old book stays */
	zip_register_cancel_callback_with_state(z, S_cancel, NULL, NULL);
	a->dl = dl;
	a->path = bb_xstrdup(path);
	/* DOS times count from 1980 and have no zone: written directly, so the
	 * bytes do not depend on the machine's TZ */
	bb_date_from_epoch(mtime < 315532800LL ? 315532800LL : mtime, &d);
	if (d.year > 2107)
		d.year = 2107;
	a->dostime = (zip_uint16_t)((d.hour << 11) | (d.min << 5) | (d.sec / 2));
	a->dosdate = (zip_uint16_t)(((d.year - 1980) << 9) | (d.mon << 5) | d.day);
	{
		/* what zip_file_set_dostime makes of them (libzip's _zip_d2u_time),
		 * once: its mktime reads /etc/localtime again for every entry */
		struct tm tm;
		memset(&tm, 0, sizeof tm);
		tm.tm_isdst = -1;
		tm.tm_year = ((a->dosdate >> 9) & 127) + 1980 - 1900;
		tm.tm_mon = ((a->dosdate >> 5) & 15) - 1;
		tm.tm_mday = a->dosdate & 31;
		tm.tm_hour = (a->dostime >> 11) & 31;
		tm.tm_min = (a->dostime >> 5) & 63;
		tm.tm_sec = (a->dostime << 1) & 62;
		a->mtime = mktime(&tm);
	}
	return a;
}

static int
S_added(bb_archive *a, zip_int64_t idx, const char *name, int method)
{
	if (idx < 0) {
		bb_diag_add(a->dl, BB_ERROR, NULL, 0, 0, "cannot add %s to the book: %s", name, zip_strerror(a->z));
		return -1;
	}
	if (zip_file_set_mtime(a->z, (zip_uint64_t)idx, a->mtime, 0) != 0 ||
	    zip_file_set_external_attributes(a->z, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX, (zip_uint32_t)0100644 << 16) != 0 ||
	    (method >= 0 && zip_set_file_compression(a->z, (zip_uint64_t)idx, method, method == ZIP_CM_DEFLATE ? 6 : 0) != 0)) {
		bb_diag_add(a->dl, BB_ERROR, NULL, 0, 0, "cannot set up %s in the book: %s", name, zip_strerror(a->z));
		return -1;
	}
	return 0;
}

int
bb_archive_add_data(bb_archive *a, const char *name, char *data, size_t len, int compress)
{
	zip_source_t *src = zip_source_buffer(a->z, data, len, 1);
	zip_int64_t idx;
	if (!src) {
		free(data);
		bb_diag_add(a->dl, BB_ERROR, NULL, 0, 0, "cannot add %s: %s", name, zip_strerror(a->z));
		return -1;
	}
	if ((idx = zip_file_add(a->z, name, src, ZIP_FL_ENC_UTF_8)) < 0)
		zip_source_free(src); /* ownership passes only on success */
	return S_added(a, idx, name, compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE);
}

/* Copies at most len bytes of the spool at off into data, from a window
 * (read first when none holds off). Returns the bytes copied (at least
 * one), or -1 (a->err set). */
static zip_int64_t
S_spool_read(bb_archive *a, unsigned long long off, void *data, zip_uint64_t len)
{
	unsigned long long base = off - off % S_WIN;
	spool_win *w = NULL;
	int k;
	for (k = 0; k < S_NWIN && !w; k++)
		if (a->win[k].len && a->win[k].base == base)
			w = &a->win[k];
	if (!w) {
		ssize_t n;
		w = &a->win[a->next_win++ % S_NWIN];
		if (!w->buf)
			w->buf = bb_xmalloc(S_WIN);
		w->len = 0;
		do
			n = pread(a->fd, w->buf, S_WIN, (off_t)base);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			zip_error_set(&a->err, ZIP_ER_READ, errno);
			return -1;
		}
		w->base = base;
		w->len = (size_t)n;
	}
	if (off >= w->base + w->len) {
		/* the spool ends before the entry does */
		zip_error_set(&a->err, ZIP_ER_READ, EIO);
		return -1;
	}
	if (len > w->base + w->len - off)
		len = w->base + w->len - off;
	memcpy(data, w->buf + (off - w->base), (size_t)len);
	return (zip_int64_t)len;
}

static zip_int64_t
S_spool_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	spool_ent *e = ud;
	bb_archive *a = e->a;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		a->pos = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		zip_uint64_t left = e->comp_size - a->pos;
		zip_int64_t n;
		if (S_stop) {
			zip_error_set(&a->err, ZIP_ER_CANCELLED, 0);
			return -1;
		}
		if (len > left)
			len = left;
		if (len == 0)
			return 0;
		if (e->offset & BB_SPOOL_MEM) {
			/* a reused chapter's bytes, where they lie in memory */
			memcpy(data, (const unsigned char *)(uintptr_t)(e->offset & ~BB_SPOOL_MEM) + a->pos, (size_t)len);
			n = (zip_int64_t)len;
		} else if ((n = S_spool_read(a, e->offset + a->pos, data, len)) < 0)
			return -1;
		a->pos += (zip_uint64_t)n;
		return n;
	}
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		if (len < sizeof *st)
			return -1;
		zip_stat_init(st);
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
		st->size = e->size;
		st->comp_size = e->comp_size;
		st->comp_method = ZIP_CM_DEFLATE;
		st->crc = (zip_uint32_t)e->crc;
		return sizeof *st;
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&a->err, data, len);
	case ZIP_SOURCE_FREE:
		return 0; /* e is the archive's, freed with it */
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
						      ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&a->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

int
bb_archive_add_spooled(bb_archive *a, const char *name, int fd, const bb_spooled *s)
{
	spool_ent *e;
	zip_source_t *src;
	zip_int64_t idx;
	if (a->nent % S_CHUNK == 0) {
		a->chunks = bb_xrealloc(a->chunks, (a->nent / S_CHUNK + 1) * sizeof *a->chunks);
		a->chunks[a->nent / S_CHUNK] = bb_xmalloc(S_CHUNK * sizeof **a->chunks);
	}
	e = &a->chunks[a->nent / S_CHUNK][a->nent % S_CHUNK];
	e->a = a;
	e->offset = s->offset;
	e->size = s->size;
	e->comp_size = s->comp_size;
	e->crc = (unsigned)s->crc;
	a->fd = fd;
	a->nent++;
	if (!(src = zip_source_function(a->z, S_spool_cb, e))) {
		bb_diag_add(a->dl, BB_ERROR, NULL, 0, 0, "cannot add %s: %s", name, zip_strerror(a->z));
		return -1;
	}
	if ((idx = zip_file_add(a->z, name, src, ZIP_FL_ENC_UTF_8)) < 0)
		zip_source_free(src);
	/* no compression set: libzip copies the deflated bytes as they are */
	return S_added(a, idx, name, -1);
}

int
bb_archive_add_file(bb_archive *a, const char *name, const char *path, int compress)
{
	zip_source_t *src = zip_source_file(a->z, path, 0, -1);
	zip_int64_t idx;
	if (!src) {
		bb_diag_add(a->dl, BB_ERROR, NULL, 0, 0, "cannot add %s: %s", path, zip_strerror(a->z));
		return -1;
	}
	if ((idx = zip_file_add(a->z, name, src, ZIP_FL_ENC_UTF_8)) < 0)
		zip_source_free(src);
	return S_added(a, idx, name, compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE);
}

/* Frees what a holds besides libzip's archive (closed or discarded first:
 * its sources point into the blocks), and a. */
static void
S_free(bb_archive *a)
{
	size_t i;
	for (i = 0; i < (a->nent + S_CHUNK - 1) / S_CHUNK; i++)
		free(a->chunks[i]);
	for (i = 0; i < S_NWIN; i++)
		free(a->win[i].buf);
	free(a->chunks);
	zip_error_fini(&a->err);
	free(a->path);
	free(a);
}

int
bb_archive_close(bb_archive *a, unsigned long long *size)
{
	struct stat st;
	int rc = 0;
	if (S_stop) {
		bb_diag_add(a->dl, BB_ERROR, NULL, 0, 0, "interrupted; no book written");
		bb_archive_discard(a);
		return -1;
	}
	if (zip_close(a->z) != 0) {
		bb_diag_add(a->dl, BB_ERROR, NULL, 0, 0, "cannot write %s: %s", a->path, zip_strerror(a->z));
		zip_discard(a->z);
		rc = -1;
	} else if (size && stat(a->path, &st) == 0)
		*size = (unsigned long long)st.st_size;
	S_free(a);
	return rc;
}

void
bb_archive_discard(bb_archive *a)
{
	if (!a)
		return;
	zip_discard(a->z);
	S_free(a);
}
