/* gendoc.c: the package documents (OPF, nav, NCX), each deflated as it is
 * written: into the spool, or, on a thread of its own, into memory and
 * into the spool after (the three were a tenth of a bind's time after the
 * render threads end, on one core). */
#define _XOPEN_SOURCE 700
#include "gendoc.h"
#include "deflate.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

const char *const bb_gendoc_names[BB_GENDOCS] = { "EPUB/content.opf", "EPUB/nav.xhtml", "EPUB/toc.ncx" };

typedef struct gendoc {
	const bb_blog *b;
	int fd;
	unsigned long long *spool_end;
	const char *name;
	int (*gen)(const bb_blog *, const void *, const bb_sink *);
	const void *arg;
	bb_zsink *z;
	int tfd;                  /* a threaded document's file, or -1: in memory */
	unsigned long long tend;
	bb_spooled s;
	int rc;
	int threaded;
	pthread_t th;
} gendoc;

static void *
S_gen_run(void *arg)
{
	gendoc *g = arg;
	bb_sink sink;
	sink.write = bb_zsink_write;
	sink.ctx = g->z;
	g->rc = g->gen(g->b, g->arg, &sink) == 0 && bb_zsink_finish(g->z, &g->s) == 0 ? 0 : -1;
	return NULL;
}

static void
S_gen_init(gendoc *g, const bb_blog *b, int fd, unsigned long long *spool_end, const char *name,
	   int (*gen)(const bb_blog *, const void *, const bb_sink *), const void *arg)
{
	g->b = b;
	g->fd = fd;
	g->spool_end = spool_end;
	g->name = name;
	g->gen = gen;
	g->arg = arg;
	g->rc = -1;
	g->tfd = -1;
}

/* Starts g on a thread of its own, deflating into a temporary file of its
 * own (the nav and the NCX of 100,000 posts are 14 MB deflated: in memory,
 * the peak of the run), or into memory when none can be made; S_gen_end
 * runs it where the thread cannot start. */
static void
S_gen_start(gendoc *g)
{
	g->tfd = bb_tmp_fd();
	g->z = bb_zsink_new(g->tfd, g->tfd >= 0 ? &g->tend : NULL);
	g->threaded = pthread_create(&g->th, NULL, S_gen_run, g) == 0;
	if (!g->threaded) {
		/* made into the spool by S_gen_end instead */
		bb_zsink_free(g->z);
		g->z = NULL;
		if (g->tfd >= 0)
			close(g->tfd);
		g->tfd = -1;
	}
}

/* Copies the len bytes of file from to file to at off. Returns 0, or -1
 * with errno set. */
static int
S_copy(int from, unsigned long long len, int to, unsigned long long off)
{
	char buf[1 << 16];
	unsigned long long at;
	for (at = 0; at < len;) {
		size_t n = len - at < sizeof buf ? (size_t)(len - at) : sizeof buf;
		if (bb_pread_all(from, buf, n, at) != 0 || bb_pwrite_all(to, buf, n, off + at) != 0)
			return -1;
		at += n;
	}
	return 0;
}

/* Appends a threaded g's deflated bytes (its file's, or memory's) to the
 * spool. Returns 0, or -1 with errno set. */
static int
S_gen_append(gendoc *g)
{
	size_t len = 0;
	const char *p = g->tfd >= 0 ? NULL : bb_zsink_data(g->z, &len);
	unsigned long long n = g->tfd >= 0 ? g->tend : len;
	if (g->tfd >= 0 ? S_copy(g->tfd, n, g->fd, *g->spool_end) != 0
			: bb_pwrite_all(g->fd, p, len, *g->spool_end) != 0)
		return -1;
	g->s.offset = *g->spool_end;
	*g->spool_end += n;
	return 0;
}

/* Finishes g (made here when it was not started) when ok, else only ends
 * its thread; diagnostics to dl. Frees its stream. Returns 0 or -1. */
static int
S_gen_end(gendoc *g, int ok, bb_diaglist *dl)
{
	int rc = -1, err = 0;
	if (g->threaded)
		pthread_join(g->th, NULL);
	else if (ok) {
		g->z = bb_zsink_new(g->fd, g->spool_end);
		S_gen_run(g);
	} else {
		bb_zsink_free(g->z);
		g->z = NULL;
		return -1;
	}
	if (ok && g->rc == 0 && g->threaded && S_gen_append(g) != 0) {
		err = errno;
		g->rc = -1;
	}
	if (g->rc != 0) {
		err = err ? err : bb_zsink_error(g->z) ? bb_zsink_error(g->z) : EIO;
		if (ok)
			bb_diag_add(dl, BB_ERROR, NULL, 0, 0, "cannot write %s to the temporary spool: %s", g->name,
				    strerror(err));
	} else if (ok)
		rc = 0;
	bb_zsink_free(g->z);
	g->z = NULL;
	if (g->tfd >= 0)
		close(g->tfd);
	g->tfd = -1;
	return rc;
}

static int
S_gen_opf(const bb_blog *b, const void *facts, const bb_sink *out)
{
	return bb_package_opf(b, facts, out);
}

static int
S_gen_nav(const bb_blog *b, const void *unused, const bb_sink *out)
{
	return bb_package_nav(b, out);
}

static int
S_gen_ncx(const bb_blog *b, const void *unused, const bb_sink *out)
{
	return bb_package_ncx(b, out);
}

int
bb_gendocs_make(const bb_blog *b, const bb_book_facts *facts, int fd, unsigned long long *spool_end,
		int threads, bb_spooled out[BB_GENDOCS], bb_diaglist *dl)
{
	static int (*const gens[BB_GENDOCS])(const bb_blog *, const void *, const bb_sink *) = {
		S_gen_opf, S_gen_nav, S_gen_ncx
	};
	gendoc docs[BB_GENDOCS];
	int k, ok = 1;
	memset(docs, 0, sizeof docs);
	for (k = 0; k < BB_GENDOCS; k++)
		S_gen_init(&docs[k], b, fd, spool_end, bb_gendoc_names[k], gens[k], k ? NULL : (const void *)facts);
	/* the nav and the NCX on threads of their own, the OPF here */
	if (threads > 1)
		for (k = 1; k < BB_GENDOCS; k++)
			S_gen_start(&docs[k]);
	/* each is finished (its thread ended) even after a failure */
	for (k = 0; k < BB_GENDOCS; k++) {
		if (S_gen_end(&docs[k], ok, dl) != 0)
			ok = 0;
		else
			out[k] = docs[k].s;
	}
	return ok ? 0 : -1;
}
