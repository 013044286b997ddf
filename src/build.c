/* build.c: runs the stages: renders the posts on worker threads (deflating
 * each file into a spool as it is done, so memory stays flat), packages the
 * book and hands everything to the archive. */
#define _XOPEN_SOURCE 700
#include "archive.h"
#include "cache.h"
#include "deflate.h"
#include "gendoc.h"
#include "blog.h"
#include "mathml.h"
#include "outkeep.h"
#include "jsnode.h"
#include "image.h"
#include "package.h"
#include "post.h"
#include "render.h"
#include "xhtml.h"
#include "util.h"
#include "volume.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* The most rendering threads a build runs (bb_options.jobs). */

const char *
bb_version(void)
{
	return BB_VERSION;
}

typedef struct job {
	bb_blog *b;
	FILE *spool;
	int fd;
	pthread_mutex_t mu;       /* next, spool_end, done[], lists[] */
	pthread_cond_t cv;
	size_t next;
	unsigned long long spool_end;
	unsigned char *done;      /* per post: 1 rendered (or failed) */
	bb_diaglist *lists;       /* per post, until flushed */
	int io_error;
	unsigned facts;           /* BB_FACT_ bits of every post */
	int started, exited;      /* worker threads */
	size_t flushed;           /* the post the main thread waits for */
	bb_imageset *imgs;        /* the images as the archive stores them */
	bb_ccache *cache;         /* the chapter cache (--cache-dir), or NULL */
	pthread_t opener;         /* opening it (S_cache_open_ahead) */
	int opening;
	bb_diaglist open_dl;      /* its notes meanwhile */
	size_t reused;            /* under mu */
	size_t *order;            /* the posts in the order handed out, or NULL: 0, 1, ... */
	size_t bound;             /* posts with a chapter, counted before they may be dropped */
} job;

/* What one worker thread keeps for itself: the deflated files it made or
 * reused, gathered into one write to the spool (a rebind reuses thousands
 * of small chapters: one pwrite each was a tenth of its time), and what it
 * found, handed to the job when it ends. */
typedef struct worker {
	bb_buf stage;             /* deflated bytes not yet in the spool */
	bb_spooled **pend;        /* their files: offsets in stage until flushed */
	size_t npend, cappend;
	unsigned facts;
	size_t reused;
} worker;

/* Files gathered up to this many bytes are written to the spool at once:
 * 128 KB, some 40 chapters a write; a first touch of a page costs here
 * as much as a few writes, and 1 MB a thread was 500 of a steady 10k
 * rebind's 9,500 page faults. */
#define STAGE_MAX ((size_t)1 << 17)

/* Writes w's gathered files to the spool at a place reserved under the
 * lock (the write made outside it) and gives each its offset there.
 * Returns -1 on an I/O error. */
static int
S_stage_flush(job *j, worker *w)
{
	unsigned long long base;
	size_t k;
	int rc = 0;
	if (!w->stage.len)
		goto out;
	pthread_mutex_lock(&j->mu);
	base = j->spool_end;
	j->spool_end += w->stage.len;
	pthread_mutex_unlock(&j->mu);
	if (bb_pwrite_all(j->fd, w->stage.data, w->stage.len, base) != 0) {
		pthread_mutex_lock(&j->mu);
		j->io_error = errno;
		pthread_mutex_unlock(&j->mu);
		rc = -1;
	}
	for (k = 0; k < w->npend; k++)
		w->pend[k]->offset += base;
out:
	w->stage.len = 0;
	w->npend = 0;
	return rc;
}

/* Adds clen deflated bytes c of one file to w's next spool write (s: its
 * sizes and crc, filled; its offset set when written). s must stay where
 * it is until then. Returns -1 on an I/O error. */
static int
S_spool_bytes(job *j, worker *w, const unsigned char *c, size_t clen, bb_spooled *s)
{
	if (w->npend == w->cappend)
		w->pend = bb_xrealloc(w->pend, (w->cappend = w->cappend ? w->cappend * 2 : 64) * sizeof *w->pend);
	s->offset = w->stage.len;
	w->pend[w->npend++] = s;
	bb_buf_put(&w->stage, (const char *)c, clen);
	return w->stage.len >= STAGE_MAX ? S_stage_flush(j, w) : 0;
}

/* Deflates one file into the spool; with keep, also copies its deflated
 * bytes there (for the chapter cache). Returns -1 on an I/O error. */
static int
S_spool(job *j, worker *w, bb_deflater *d, const bb_buf *doc, bb_spooled *s, bb_cpart *keep)
{
	size_t clen;
	const unsigned char *c = bb_deflate(d, doc->data ? doc->data : "", doc->len, s, &clen);
	if (keep) {
		unsigned char *copy = bb_xmalloc(clen ? clen : 1);
		memcpy(copy, c, clen);
		keep->data = copy;
		keep->len = clen;
		keep->size = s->size;
		keep->crc = s->crc;
	}
	return S_spool_bytes(j, w, c, clen, s);
}

/* Post i from its cache entry: the links and images it consulted are
 * checked again, its files go to the spool as they were deflated, its
 * diagnostics are said again. Returns 0, or -1 when it must be rendered. */
static int
S_reuse(job *j, worker *w, size_t i, const bb_ckey *key, bb_diaglist *dl)
{
	bb_blog *b = j->b;
	bb_post *p = &b->posts[i];
	bb_centry e;
	bb_spooled *sp;
	int k, rc = -1;
	if (bb_ccache_load(j->cache, key, p->path, &e, dl) != 1)
		return -1;
	if (!bb_render_links_same(b, i, &e) || bb_centry_replay_images(b, p, &e) != 0)
		goto out;
	sp = bb_xcalloc((size_t)e.nparts, sizeof *sp);
	for (k = 0; k < e.nparts; k++) {
		sp[k].size = e.parts[k].size;
		sp[k].crc = e.parts[k].crc;
		sp[k].comp_size = e.parts[k].len;
		sp[k].props = e.parts[k].props;
		/* not copied to the spool: the archive reads them where they
		 * lie, in the pack's mapping (kept until the book is written) */
		sp[k].offset = BB_SPOOL_MEM | (unsigned long long)(uintptr_t)e.parts[k].data;
	}
	bb_render_keep_cached(b, i, &e);
	pthread_mutex_lock(&b->lock);
	free(p->spooled);
	p->spooled = sp;
	p->nparts = e.nparts;
	pthread_mutex_unlock(&b->lock);
	w->facts |= e.facts;
	w->reused++;
	bb_centry_replay_diags(&e, dl);
	rc = 0;
out:
	bb_centry_free(&e);
	return rc;
}

/* Renders post i (or reuses its cache entry); its diagnostics go to dl. */
static void
S_one(job *j, worker *w, bb_deflater *d, size_t i, bb_diaglist *dl)
{
	bb_blog *b = j->b;
	bb_post *p = &b->posts[i];
	bb_render_out out;
	bb_diaglist rdl = { NULL, 0, 0 };
	bb_deps deps;
	int k, ok, caching;
	bb_ckey key;
	memset(&out, 0, sizeof out);
	memset(&key, 0, sizeof key);
	caching = j->cache && bb_ccache_key(j->cache, i, &key) == 0;
	if (caching && S_reuse(j, w, i, &key, dl) == 0) {
		bb_ckey_free(&key);
		return;
	}
	if (caching) {
		memset(&deps, 0, sizeof deps);
		bb_deps_begin(&deps);
	}
	ok = bb_render_post(b, i, &out, 0, &rdl) == 0;
	if (caching)
		bb_deps_end();
	if (ok) {
		bb_spooled *sp = bb_xcalloc((size_t)out.nparts, sizeof *sp);
		bb_cpart *cp = caching ? bb_xcalloc((size_t)out.nparts, sizeof *cp) : NULL;
		for (k = 0; k < out.nparts; k++)
			if (S_spool(j, w, d, &out.parts[k], &sp[k], cp ? &cp[k] : NULL) != 0)
				break;
			else if (out.part_facts && (out.part_facts[k] & BB_FACT_MATHML))
				sp[k].props |= BB_PROP_MATHML;
		if (cp && k == out.nparts) {
			size_t nh;
			bb_heading *hs = bb_outkeep_get(b, p, &nh);
			for (k = 0; k < out.nparts; k++)
				cp[k].props = sp[k].props;
			/* not when they cannot be read: the run fails (S_render_all) */
			if (nh == p->nheadings)
				bb_ccache_store(j->cache, &key, out.facts, cp, out.nparts, hs, nh, &deps, &rdl);
			free(hs);
		}
		for (k = 0; cp && k < out.nparts; k++)
			free((void *)cp[k].data);
		free(cp);
		/* the outline (headings) was kept on the post by the render */
		pthread_mutex_lock(&b->lock);
		free(p->spooled);
		p->spooled = sp;
		p->nparts = out.nparts;
		pthread_mutex_unlock(&b->lock);
		w->facts |= out.facts;
	}
	bb_render_out_free(&out);
	bb_ckey_free(&key);
	if (caching) {
		bb_buf_free(&deps.images);
		bb_buf_free(&deps.links);
	}
	bb_diag_move(dl, &rdl);
}

/* Posts a worker takes at once: one lock and one wake-up of the main
 * thread for a batch, not for every post (a rebind's posts take some
 * microseconds each, and the handing over was most of it). */
#define BATCH 16

static void *
S_worker(void *arg)
{
	job *j = arg;
	bb_blog *b = j->b;
	bb_deflater *d = bb_deflater_new();
	worker w;
	bb_diaglist dls[BATCH];
	memset(&w, 0, sizeof w);
	for (;;) {
		size_t first, n, k;
		int wake = 0;
		pthread_mutex_lock(&j->mu);
		first = j->next;
		n = first < b->nposts ? b->nposts - first : 0;
		/* small enough near the end that every thread has work */
		if (n > BATCH * 4 * (size_t)j->started)
			n = BATCH;
		else if (n)
			n = n / (4 * (size_t)j->started) ? n / (4 * (size_t)j->started) : 1;
		j->next += n;
		pthread_mutex_unlock(&j->mu);
		if (!n || bb_interrupted())
			break;
		for (k = 0; k < n && (k == 0 || !bb_interrupted()); k++) {
			memset(&dls[k], 0, sizeof dls[k]);
			S_one(j, &w, d, j->order ? j->order[first + k] : first + k, &dls[k]);
		}
		n = k;
		pthread_mutex_lock(&j->mu);
		for (k = 0; k < n; k++) {
			size_t i = j->order ? j->order[first + k] : first + k;
			j->lists[i] = dls[k];
			j->done[i] = 1;
			/* the main thread waits for one post only: the next to hand on */
			wake |= i == j->flushed;
		}
		if (wake)
			pthread_cond_signal(&j->cv);
		pthread_mutex_unlock(&j->mu);
	}
	S_stage_flush(j, &w);
	bb_buf_free(&w.stage);
	free(w.pend);
	bb_deflater_free(d);
	pthread_mutex_lock(&j->mu);
	j->facts |= w.facts;
	j->reused += w.reused;
	j->exited++;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

/* The threads to render with: bb_blog_threads, never more than posts. */
static int
S_jobs(const bb_blog *b)
{
	int n = bb_blog_threads(b);
	if ((size_t)n > b->nposts)
		n = b->nposts ? (int)b->nposts : 1;
	return n;
}

/* render.c's question when a link names a heading of post t not rendered
 * yet: its headings from its cache entry, when it has a sound one, so it
 * need not be parsed (a broken entry is said by t's own rendering). */
static int
S_cached_outline(void *ctx, size_t t)
{
	job *j = ctx;
	bb_centry e;
	bb_diaglist quiet = { NULL, 0, 0 };
	bb_ckey key;
	int rc = -1;
	memset(&key, 0, sizeof key);
	if (bb_ccache_key(j->cache, t, &key) == 0 &&
	    bb_ccache_load(j->cache, &key, j->b->posts[t].path, &e, &quiet) == 1) {
		bb_render_keep_cached(j->b, t, &e);
		bb_centry_free(&e);
		rc = 0;
	}
	bb_ckey_free(&key);
	bb_diag_clear(&quiet);
	return rc;
}

static void *
S_cache_opener(void *arg)
{
	job *j = arg;
	j->cache = bb_ccache_open(j->b, &j->open_dl);
	return NULL;
}

/* With --cache-dir: starts opening the chapter cache on a thread of its
 * own (mapping its packs: a tenth of a rebind of 10,000 posts) while the
 * posts are packed; S_cache_begin takes it. */
static void
S_cache_open_ahead(bb_blog *b, job *j)
{
	if (b->opt.cache_dir && *b->opt.cache_dir && pthread_create(&j->opener, NULL, S_cache_opener, j) == 0)
		j->opening = 1;
}

/* Waits for the cache opened ahead, if any; its notes follow. */
static void
S_cache_opened(bb_blog *b, job *j)
{
	if (!j->opening)
		return;
	pthread_join(j->opener, NULL);
	j->opening = 0;
	bb_diag_move(&b->diags, &j->open_dl);
}

/* With --cache-dir: opens the chapter cache for the render threads (or
 * takes the one opened ahead). */
static void
S_cache_begin(bb_blog *b, job *j)
{
	if (j->opening)
		S_cache_opened(b, j);
	else
		j->cache = bb_ccache_open(b, &b->diags);
	if (!j->cache)
		return;
	b->cached_outline = S_cached_outline;
	b->cached_outline_ctx = j;
}

/* Bounds the cache folder (--cache-max) and says what it saved;
 * complete: every post was rendered or reused. */
static void
S_cache_end(bb_blog *b, job *j, int complete)
{
	if (!j->cache)
		return;
	bb_diag_add(&b->diags, BB_NOTE, NULL, 0, 0, "chapter cache: %zu of %zu posts reused, the others rendered",
		    j->reused, b->nposts);
	/* its mappings stay until the book is written (bb_blog_write): the
	 * reused chapters are read from them */
	bb_ccache_end(j->cache, complete, b->opt.cache_max_mb < 0 ? 1000 : b->opt.cache_max_mb, &b->diags);
	b->cached_outline = NULL;
	b->cached_outline_ctx = NULL;
}

/* The order posts are rendered in, when some seem to need Node.js (for
 * KaTeX or highlight.js; post.c starts it while the posts are read) and
 * some not: those last, so that the threads render the others while Node
 * starts and loads instead of waiting for it. NULL: in their own order.
 * Books do not depend on the order (as on --jobs). */
static size_t *
S_order(const bb_blog *b)
{
	size_t i, k = 0, nnode = 0, *order;

	for (i = 0; i < b->nposts; i++)
		nnode += b->posts[i].wants_node != 0;
	if (nnode == 0 || nnode == b->nposts)
		return NULL;
	order = bb_xmalloc(b->nposts * sizeof *order);
	for (i = 0; i < b->nposts; i++)
		if (!b->posts[i].wants_node)
			order[k++] = i;
	for (i = 0; i < b->nposts; i++)
		if (b->posts[i].wants_node)
			order[k++] = i;
	return order;
}

/* Renders every post; diagnostics reach the sink in post order. */
static int
S_render_all(bb_blog *b, job *j)
{
	pthread_t th[BB_MAX_JOBS];
	int n = S_jobs(b), t, started = 0, complete;
	size_t flushed = 0;

	j->done = bb_xcalloc(b->nposts + 1, 1);
	j->lists = bb_xcalloc(b->nposts + 1, sizeof *j->lists);
	j->order = S_order(b);
	S_cache_begin(b, j);
	pthread_mutex_lock(&j->mu);
	for (t = 0; t < n; t++)
		if (pthread_create(&th[t], NULL, S_worker, j) == 0)
			started++;
	j->started = started;
	pthread_mutex_unlock(&j->mu);
	if (!started) {
		j->started = 1;
		S_worker(j);
	}
	pthread_mutex_lock(&j->mu);
	while (flushed < b->nposts) {
		j->flushed = flushed;
		while (flushed < b->nposts && !j->done[flushed] && j->exited < j->started)
			pthread_cond_wait(&j->cv, &j->mu);
		if (flushed < b->nposts && !j->done[flushed])
			break;
		while (flushed < b->nposts && j->done[flushed]) {
			bb_diaglist l = j->lists[flushed];
			memset(&j->lists[flushed], 0, sizeof l);
			pthread_mutex_unlock(&j->mu);
			bb_diag_flush(&b->sink, &l);
			if (b->opt.progress)
				b->opt.progress(b->opt.progress_ctx, flushed + 1, b->nposts);
			pthread_mutex_lock(&j->mu);
			flushed++;
		}
	}
	pthread_mutex_unlock(&j->mu);
	for (t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	complete = flushed == b->nposts && !bb_interrupted() && !j->io_error;
	/* anything left over (an interrupted run) */
	for (; flushed < b->nposts; flushed++)
		bb_diag_clear(&j->lists[flushed]);
	free(j->lists);
	free(j->done);
	free(j->order);
	j->lists = NULL;
	j->done = NULL;
	j->order = NULL;
	S_cache_end(b, j, complete);
	if (j->io_error) {
		bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "cannot write the temporary spool: %s", strerror(j->io_error));
		return -1;
	}
	return bb_interrupted() ? -1 : 0;
}

static int
S_cmp_image(const void *x, const void *y)
{
	const bb_image *a = x, *b = y;
	return strcmp(a->name ? a->name : "", b->name ? b->name : "") ? strcmp(a->name ? a->name : "", b->name ? b->name : "")
								      : strcmp(a->src, b->src);
}

/* A file of the book made before any but the mimetype is handed to
 * libzip: a page in a buffer (data, deflated by libzip) or a document
 * deflated into the spool (data NULL). */
typedef struct early {
	char name[BB_NAME_MAX + 8];
	char *data;
	size_t len;
	bb_spooled s;
} early;

/* Every entry after the mimetype, made and named before libzip gets one:
 * libzip keeps about 400 bytes an entry until the book is closed, the
 * posts about 1,500 (100,000 posts: 40 and 150 MB); with the posts
 * dropped first (b->last_write) the two are not alive at the same time. */
typedef struct entries {
	early *e;
	size_t ne, cape;
	bb_spooled *ch;           /* the chapters' files, in book order */
	char *names;              /* their names, each with its NUL */
	size_t nch, used;
} entries;

static void
S_early_add(entries *en, const char *name, bb_buf *doc, const bb_spooled *s)
{
	early *e;
	if (en->ne == en->cape) {
		en->cape = en->cape ? en->cape * 2 : 16;
		en->e = bb_xrealloc(en->e, en->cape * sizeof *en->e);
	}
	e = &en->e[en->ne++];
	memset(e, 0, sizeof *e);
	snprintf(e->name, sizeof e->name, "%s", name);
	if (doc)
		e->data = bb_buf_detach(doc, &e->len);
	else
		e->s = *s;
}

/* Sorts the images the threads registered (in whatever order they met
 * them) by their content-derived names, so the book is the same whatever
 * the threads did; finds the cover and counts the images into f. */
static void
S_sort_images(bb_blog *b, bb_book_facts *f)
{
	size_t i;
	if (b->nimages)
		qsort(b->images, b->nimages, sizeof *b->images, S_cmp_image);
	bb_map_free(&b->by_image);
	for (i = 0; i < b->nimages; i++)
		bb_map_put(&b->by_image, b->images[i].src, i);
	b->cover = -1;
	for (i = 0; i < b->nimages; i++) {
		if (b->images[i].ok)
			f->nimages++;
		if (b->images[i].is_cover)
			b->cover = (long)i;
	}
}

/* Makes the entries before the chapters into en: container, package
 * documents, stylesheet, the book's pages. Returns 0 or -1. */
static int
S_make_entries(entries *en, job *j, const bb_book_facts *facts)
{
	bb_blog *b = j->b;
	bb_buf doc = BB_BUF_INIT;
	char name[BB_NAME_MAX + 8];
	size_t g, len, hlen = 0;
	const char *css = bb_template_get(b->tpl, "style.css", &len);
	const char *hl = bb_template_get(b->tpl, "highlight.css", &hlen);
	bb_spooled docs[BB_GENDOCS];
	int k;

	bb_package_container(&doc);
	S_early_add(en, "META-INF/container.xml", &doc, NULL);
	if (bb_gendocs_make(b, facts, j->fd, &j->spool_end, S_jobs(b), docs, &b->diags) != 0)
		return -1;
	for (k = 0; k < BB_GENDOCS; k++)
		S_early_add(en, bb_gendoc_names[k], NULL, &docs[k]);
	/* one stylesheet: the book's, then the code tokens' */
	bb_buf_put(&doc, "", 0);
	bb_buf_put(&doc, css ? css : "", css ? len : 0);
	if (hl && b->opt.highlight != 0)
		bb_buf_put(&doc, hl, hlen);
	S_early_add(en, "EPUB/style.css", &doc, NULL);
	bb_page_cover(b, &doc);
	S_early_add(en, "EPUB/cover.xhtml", &doc, NULL);
	bb_page_title(b, &doc);
	S_early_add(en, "EPUB/title.xhtml", &doc, NULL);
	for (g = 0; g < b->ngroups; g++) {
		bb_page_group(b, g, &doc);
		snprintf(name, sizeof name, "EPUB/%s.xhtml", b->groups[g].id);
		S_early_add(en, name, &doc, NULL);
	}
	return 0;
}

/* Sizes en's table of chapters for b's posts: their count and names'
 * bytes, so that it is made in one allocation each, not grown by
 * doubling while the posts are all alive (100,000 posts: 12.5 MB). The
 * names are made again by S_keep_chapters, on purpose: a name costs less
 * to make twice than to keep. */
static void
S_size_chapters(entries *en, const bb_blog *b)
{
	size_t i, nch = 0, bytes = 0;
	int k;
	for (i = 0; i < b->nposts; i++)
		for (k = 0; k < b->posts[i].nparts; k++) {
			char part[BB_NAME_MAX];
			bb_part_name(&b->posts[i], k, part);
			bytes += strlen(part) + 6; /* "EPUB/" and the NUL */
			nch++;
		}
	en->ch = bb_xmalloc((nch ? nch : 1) * sizeof *en->ch);
	en->names = bb_xmalloc(bytes ? bytes : 1);
}

/* Keeps post p's chapter files (names and spool places) in en (a
 * bb_blog_drop_posts callback: the post is freed after). */
static void
S_keep_chapters(void *ctx, const bb_post *p)
{
	entries *en = ctx;
	int k;
	for (k = 0; k < p->nparts; k++) {
		char part[BB_NAME_MAX];
		size_t n;
		bb_part_name(p, k, part);
		n = strlen(part);
		/* "EPUB/" and the name with its NUL: snprintf's "EPUB/%s" */
		memcpy(en->names + en->used, "EPUB/", 5);
		memcpy(en->names + en->used + 5, part, n + 1);
		en->used += n + 6;
		en->ch[en->nch++] = p->spooled[k];
	}
}

/* Hands en's entries to the archive in book order (buffers pass to it).
 * Returns 0 or -1. */
static int
S_hand_over(bb_archive *a, job *j, entries *en)
{
	const char *name = en->names;
	size_t i;
	for (i = 0; i < en->ne; i++) {
		early *e = &en->e[i];
		char *data = e->data;
		e->data = NULL;
		if (data ? bb_archive_add_data(a, e->name, data, e->len, 1) != 0
			 : bb_archive_add_spooled(a, e->name, j->fd, &e->s) != 0)
			return -1;
	}
	for (i = 0; i < en->nch; i++, name += strlen(name) + 1)
		if (bb_archive_add_spooled(a, name, j->fd, &en->ch[i]) != 0)
			return -1;
	return 0;
}

static void
S_entries_free(entries *en)
{
	size_t i;
	for (i = 0; i < en->ne; i++)
		free(en->e[i].data);
	free(en->e);
	free(en->ch);
	free(en->names);
}

/* Converts the images (WebP...), scales them, or fits them to --max-size
 * (image.c; it reads the chapters' sizes, so before the posts are
 * dropped). Returns 0 or -1. */
static int
S_prepare_images(job *j)
{
	bb_blog *b = j->b;
	size_t i;
	if (!(j->imgs = bb_imageset_prepare(b, &b->diags)))
		return -1;
	/* its warnings (an image unconverted, or in unchecked without
	 * libvips) come after the check of bb_build: --strict sees them here */
	if (b->opt.strict == 1) {
		size_t w = 0;
		for (i = 0; i < b->diags.n; i++)
			w += b->diags.v[i].severity == BB_WARNING;
		if (w) {
			bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "%zu warning%s about images and --strict: no book written",
				    w, w == 1 ? "" : "s");
			return -1;
		}
	}
	return 0;
}

static int
S_add_images(bb_archive *a, job *j)
{
	bb_blog *b = j->b;
	char name[BB_NAME_MAX + 8];
	size_t i;
	int k;
	for (i = 0; i < b->nimages; i++) {
		bb_image *im = &b->images[i];
		const char *conv = bb_imageset_path(j->imgs, i);
		char *src;
		if (!im->ok)
			continue;
		src = conv ? bb_xstrdup(conv)
		    : im->src[0] == '/' ? bb_xstrdup(im->src) : bb_xasprintf("%s/%s", b->root, im->src);
		snprintf(name, sizeof name, "EPUB/%s", im->name);
		k = bb_archive_add_file(a, name, src, strcmp(im->media_type, "image/svg+xml") == 0);
		free(src);
		if (k != 0)
			return -1;
	}
	return 0;
}

/* 0, or -1 with an error when a post's headings could not be kept or read
 * back for the navigation (outkeep.c): no book without them. */
static int
S_outline_check(bb_blog *b)
{
	int err = bb_outkeep_error(b);
	if (!err)
		return 0;
	bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "cannot keep the posts' headings in a temporary file: %s",
		    strerror(err));
	return -1;
}

/* Adds every entry after the mimetype: container, package documents,
 * stylesheet, the book's pages, the chapters from the spool, the images.
 * On the blog's last write the posts are dropped before libzip is handed
 * any of them. Returns 0 or -1. */
static int
S_add_entries(bb_archive *a, job *j, const bb_book_facts *facts)
{
	entries en;
	size_t i;
	int rc = -1;
	memset(&en, 0, sizeof en);
	if (S_make_entries(&en, j, facts) != 0 || S_outline_check(j->b) != 0 || S_prepare_images(j) != 0)
		goto out;
	S_size_chapters(&en, j->b);
	if (j->b->last_write) {
		bb_blog_drop_posts(j->b, S_keep_chapters, &en);
#ifdef __GLIBC__
		/* the render threads' arenas held the headings and spooled
		 * places: libzip, here, does not reuse them */
		malloc_trim(0);
#endif
	} else
		for (i = 0; i < j->b->nposts; i++)
			S_keep_chapters(&en, &j->b->posts[i]);
	if (S_hand_over(a, j, &en) == 0 && S_add_images(a, j) == 0)
		rc = 0;
out:
	S_entries_free(&en);
	return rc;
}

/* The posts that have a chapter. */
static size_t
S_bound(const bb_blog *b)
{
	size_t i, n = 0;
	for (i = 0; i < b->nposts; i++)
		n += b->posts[i].nparts > 0;
	return n;
}

/* Fills *r after a write that returned rc (size: the book's bytes, bound:
 * the posts with a chapter). */
static void
S_report(const bb_blog *b, const char *path, const bb_book_facts *facts, int rc, unsigned long long size,
	 size_t bound, bb_report *r)
{
	memset(r, 0, sizeof *r);
	r->posts = bound;
	r->chapters = b->ngroups ? b->ngroups : r->posts;
	r->images = facts->nimages;
	r->warnings = b->sink.warnings;
	r->errors = b->sink.errors;
	r->bytes = rc == 0 ? size : 0;
	snprintf(r->output, sizeof r->output, "%s", path);
}

/* With --cache-dir, formulas converted once are kept there for the next
 * run (KaTeX is most of a math-heavy blog's time): open before the render
 * threads start, closed (written back) after they end. A store that cannot
 * be used is a note: the formulas are converted again. Without, the store
 * lives in memory for this run: one thread's formulas serve the others. */
static void
S_math_store(bb_blog *b, int open)
{
	char *err = NULL, *path;
	if (!open)
		bb_node_stop();   /* the render threads are done with Node (jsnode.c) */
	if (b->opt.math == 0)
		return;
	if (open) {
		/* without a cache folder, a store in memory shared by the threads */
		path = b->opt.cache_dir ? bb_xasprintf("%s/mathml.store", b->opt.cache_dir) : NULL;
		if (bb_math_store_open(path, &err) < 0)
			bb_diag_add(&b->diags, BB_NOTE, NULL, 0, 0, "formula store not used: %s", err ? err : "?");
		free(path);
	} else if (bb_math_store_close(&err) != 0)
		bb_diag_add(&b->diags, BB_NOTE, NULL, 0, 0, "formula store not written: %s", err ? err : "?");
	free(err);
}

int
bb_blog_write(bb_blog *b, const char *path, bb_report *r)
{
	job j;
	bb_archive *a = NULL;
	bb_book_facts facts;
	size_t nposts = b->nposts;        /* for the note: the posts may be dropped */
	int rc = -1, rendered, threads = S_jobs(b);
	unsigned long long size = 0;
	bb_date md;
	double t0 = 0, t1 = 0;

	memset(&j, 0, sizeof j);
	memset(&facts, 0, sizeof facts);
	j.b = b;
	j.fd = -1;
	pthread_mutex_init(&j.mu, NULL);
	pthread_cond_init(&j.cv, NULL);
	bb_render_init();
	if (b->opt.jobs > BB_MAX_JOBS) {
		bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "%d rendering threads asked: at most %d", b->opt.jobs,
			    BB_MAX_JOBS);
		goto out;
	}
	if (!(j.spool = tmpfile())) {
		bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "cannot create a temporary file: %s", strerror(errno));
		goto out;
	}
	j.fd = fileno(j.spool);
	t0 = bb_now();
	S_cache_open_ahead(b, &j);
	if (!b->all_posts)
		bb_blog_pack_posts(b); /* a volume's were, with the whole blog's (volume.c) */
	S_math_store(b, 1);
	rendered = S_render_all(b, &j) == 0 && S_outline_check(b) == 0;
	S_math_store(b, 0);
	j.bound = S_bound(b);
	if (!rendered) {
		if (bb_interrupted())
			bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "interrupted; no book written");
		goto out;
	}
	S_sort_images(b, &facts);
	facts.facts = j.facts;
	if (b->nposts && !j.bound) {
		bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "no post could be read; no book written");
		goto out;
	}
	if (b->opt.strict == 1 && b->sink.warnings) {
		bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "%zu warning%s and --strict: no book written",
			    b->sink.warnings, b->sink.warnings == 1 ? "" : "s");
		goto out;
	}
	bb_date_parse(b->modified, &md, 0);
	if (!(a = bb_archive_open(path, bb_date_epoch(&md), &b->diags)))
		goto out;
	if (bb_archive_add_data(a, "mimetype", bb_xstrdup("application/epub+zip"), 20, 0) != 0 ||
	    S_add_entries(a, &j, &facts) != 0)
		goto out;
	t1 = bb_now();
	rc = bb_archive_close(a, &size);
	bb_diag_add(&b->diags, BB_NOTE, NULL, 0, 0, "rendered %zu posts on %d thread%s in %.2f s, wrote the book in %.2f s",
		    nposts, threads, threads == 1 ? "" : "s", t1 - t0, bb_now() - t1);
	a = NULL;
	if (rc == 0 && b->opt.max_size_mb > 0 && size > (unsigned long long)b->opt.max_size_mb * 1000000ULL)
		bb_diag_add(&b->diags, BB_WARNING, NULL, 0, 0, "the book is %.1f MB, over --max-size %ld", size / 1e6,
			    b->opt.max_size_mb);
out:
	bb_archive_discard(a);
	S_cache_opened(b, &j);
	bb_ccache_free(j.cache);
	bb_imageset_free(j.imgs);
	bb_diag_flush(&b->sink, &b->diags);
	if (r)
		S_report(b, path, &facts, rc, size, j.bound, r);
	if (j.spool)
		fclose(j.spool);
	pthread_mutex_destroy(&j.mu);
	pthread_cond_destroy(&j.cv);
	/* the interrupt, if any, was this write's */
	bb_interrupt_reset();
	return rc;
}

char *
bb_output_name(const char *title)
{
	bb_buf b = BB_BUF_INIT;
	const char *s;
	for (s = title; *s && b.len < 120; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || strchr("/\\:*?\"<>|", c))
			bb_buf_putc(&b, '-');
		else if (!(b.len == 0 && (c == '.' || c == ' ' || c == '-')))
			bb_buf_putc(&b, (char)c);
	}
	if (!b.len)
		bb_buf_puts(&b, "book");
	bb_buf_puts(&b, ".epub");
	return bb_buf_detach(&b, NULL);
}
