/* volume.c: --volumes and --volume-size: the blog bound as several books
 * (a year, a month, N posts or at most a size each), named after the blog
 * and the range each holds, each a volume of one series. A volume is the
 * collected blog narrowed to its posts, their ids, URLs and groups kept;
 * links to the posts of the other volumes go to their addresses on the
 * web (links.c). The volumes are written under temporary names and
 * renamed together at the end, so a failed run leaves none of them. */
#define _POSIX_C_SOURCE 200809L
#include "volume.h"
#include "archive.h"
#include "deflate.h"
#include "render.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a book holds besides its posts, pages and images: the package
 * documents, stylesheet, cover and title pages (bytes, compressed). */
#define S_OVERHEAD 40000ULL

/* The whole blog, kept aside while a volume is written in its place. */
typedef struct whole {
	bb_post *posts;
	size_t nposts;
	bb_group *groups;
	size_t ngroups;
	bb_map by_url, by_name, by_image;
	bb_image *images; /* as collected (the cover, if any) */
	size_t nimages, capimages;
	long cover;
	char *title, *identifier, *modified;
} whole;

/* A run of posts with one key (a year, a month; one run for the others). */
typedef struct run {
	char *key;
	size_t *idx; /* into whole.posts, in book order */
	size_t n;
} run;

typedef struct plan {
	run *runs;
	size_t nruns;
	unsigned long long *size; /* per post: estimated bytes in a book, or NULL */
	unsigned long long bound; /* --volume-size in bytes, or 0 */
} plan;

/* One volume: posts idx[0..n) of a run; label names its range. */
typedef struct volume {
	const size_t *idx;
	size_t n;
	char label[80];
	char *path, *tmp;
} volume;

static void
S_runs(const bb_blog *b, plan *pl)
{
	bb_map seen;
	size_t i, r;
	memset(&seen, 0, sizeof seen);
	for (i = 0; i < b->nposts; i++) {
		const bb_post *p = &b->posts[i];
		char *key;
		if (b->opt.volumes == BB_VOLUMES_YEAR || b->opt.volumes == BB_VOLUMES_MONTH)
			key = !p->ymd[0] ? bb_xstrdup("Drafts")
			    : b->opt.volumes == BB_VOLUMES_YEAR ? bb_xasprintf("%04d", p->date.year)
								  : bb_xasprintf("%04d-%02d", p->date.year, p->date.mon);
		else
			key = bb_xstrdup("");
		if (!bb_map_get(&seen, key, &r)) {
			r = pl->nruns++;
			pl->runs = bb_xrealloc(pl->runs, pl->nruns * sizeof *pl->runs);
			memset(&pl->runs[r], 0, sizeof pl->runs[r]);
			pl->runs[r].key = key;
			pl->runs[r].idx = bb_xmalloc(b->nposts * sizeof *pl->runs[r].idx);
			bb_map_put(&seen, key, r);
		} else
			free(key);
		pl->runs[r].idx[pl->runs[r].n++] = i;
	}
	bb_map_free(&seen);
}

/* Frees the images of b beyond the first keep (those registered by a
 * render) and indexes the rest again. */
static void
S_images_truncate(bb_blog *b, size_t keep)
{
	size_t i;
	for (i = keep; i < b->nimages; i++) {
		free(b->images[i].src);
		free(b->images[i].name);
	}
	b->nimages = keep;
	bb_map_free(&b->by_image);
	for (i = 0; i < b->nimages; i++)
		bb_map_put(&b->by_image, b->images[i].src, i);
}

/* --volume-size: the bytes each post adds to a book: its files rendered
 * and deflated, the images it is the first to use, its entries in the
 * navigation. One thread: a measure before the volumes are written. */
static unsigned long long *
S_measure(bb_blog *b)
{
	unsigned long long *size = bb_xcalloc(b->nposts + 1, sizeof *size);
	bb_deflater *d = bb_deflater_new();
	size_t i, keep = b->nimages, k;
	bb_render_init();
	for (i = 0; i < b->nposts && !bb_interrupted(); i++) {
		bb_render_out out;
		bb_diaglist quiet = { NULL, 0, 0 };
		size_t before = b->nimages;
		int part;
		memset(&out, 0, sizeof out);
		if (bb_render_post(b, i, &out, 0, &quiet) == 0)
			for (part = 0; part < out.nparts; part++) {
				bb_spooled s;
				size_t clen = 0;
				bb_deflate(d, out.parts[part].data ? out.parts[part].data : "", out.parts[part].len, &s, &clen);
				size[i] += clen + 120; /* and its zip headers */
			}
		for (k = before; k < b->nimages; k++) {
			const char *src = b->images[k].src;
			char *path = src[0] == '/' ? bb_xstrdup(src) : bb_xasprintf("%s/%s", b->root, src);
			struct stat st;
			if (b->images[k].ok && stat(path, &st) == 0)
				size[i] += (unsigned long long)st.st_size + 300;
			free(path);
		}
		size[i] += 400;
		bb_render_out_free(&out);
		bb_diag_clear(&quiet);
	}
	bb_deflater_free(d);
	S_images_truncate(b, keep);
	return size;
}

/* The runs of b and, with --volume-size, each post's estimated size. */
static void
S_plan_make(bb_blog *b, plan *pl)
{
	memset(pl, 0, sizeof *pl);
	if (b->opt.volume_size_mb > 0) {
		pl->bound = (unsigned long long)b->opt.volume_size_mb * 1000000ULL;
		pl->size = S_measure(b);
	}
	S_runs(b, pl);
}

static void
S_plan_free(plan *pl)
{
	size_t ri;
	for (ri = 0; ri < pl->nruns; ri++) {
		free(pl->runs[ri].key);
		free(pl->runs[ri].idx);
	}
	free(pl->runs);
	free(pl->size);
}

/* How many posts of run ru from start the next volume takes: N posts,
 * or as many as stay under the bound (at least one), at most cap (0: no
 * cap). */
static size_t
S_take(const bb_blog *b, const plan *pl, const run *ru, size_t start, size_t cap)
{
	unsigned long long est = S_OVERHEAD;
	size_t n = 0;
	while (start + n < ru->n) {
		unsigned long long s = pl->size ? pl->size[ru->idx[start + n]] : 0;
		if (b->opt.volumes == BB_VOLUMES_POSTS && n == (size_t)b->opt.volume_posts)
			break;
		if ((cap && n == cap) || (pl->bound && n && est + s > pl->bound))
			break;
		est += s;
		n++;
	}
	return n;
}

/* A volume's file: see bb_volumes_write. */
static char *
S_path(const char *output, const char *title, const char *label)
{
	struct stat st;
	size_t len = output ? strlen(output) : 0;
	char *full, *name, *r;
	if (output && !*output)
		output = NULL, len = 0;
	full = bb_xasprintf("%s %s", title, label);
	if (output && len > 5 && strcasecmp(output + len - 5, ".epub") == 0 &&
	    !(stat(output, &st) == 0 && S_ISDIR(st.st_mode))) {
		free(full);
		return bb_xasprintf("%.*s %s.epub", (int)(len - 5), output, label);
	}
	name = bb_output_name(full);
	free(full);
	if (!output)
		return name;
	r = bb_xasprintf("%s%s%s", output, output[len - 1] == '/' ? "" : "/", name);
	free(name);
	return r;
}

/* A UUID-shaped identifier for the volume: the book's and its range. */
static char *
S_identifier(const char *book, const char *label)
{
	unsigned long long h1 = bb_fnv1a(BB_FNV_SEED, book, strlen(book) + 1), h2;
	h1 = bb_fnv1a(h1, label, strlen(label) + 1);
	h2 = bb_fnv1a(0x84222325cbf29ce4ULL ^ h1, label, strlen(label) + 1);
	return bb_xasprintf("urn:uuid:%08llx-%04llx-8%03llx-%04llx-%012llx", h1 >> 32, (h1 >> 16) & 0xffff,
			    h1 & 0xfff, 0x8000 | ((h2 >> 48) & 0x3fff), h2 & 0xffffffffffffULL);
}

/* dcterms:modified of a volume: SOURCE_DATE_EPOCH's (the book's), else
 * its newest post's date, so that a new post leaves older volumes alone. */
static char *
S_modified(const bb_blog *b, const whole *w)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long newest = 0;
	size_t i;
	bb_date d;
	char w3c[32];
	if (sde && *sde)
		return bb_xstrdup(w->modified);
	for (i = 0; i < b->nposts; i++)
		if (b->posts[i].ymd[0] && bb_date_epoch(&b->posts[i].date) > newest)
			newest = bb_date_epoch(&b->posts[i].date);
	if (!newest)
		return bb_xstrdup(w->modified);
	bb_date_from_epoch(newest, &d);
	bb_date_w3c_utc(&d, w3c);
	return bb_xstrdup(w3c);
}

/* Splits map m of the whole blog into in (the volume's posts: at[i] is a
 * post's index in the volume, or -1) and out (the others', into all). */
static void
S_split_map(const bb_map *m, const size_t *at, bb_map *in, bb_map *out)
{
	size_t pos = 0, t;
	const char *key;
	while (bb_map_next(m, &pos, &key, &t))
		if (at[t] != (size_t)-1)
			bb_map_put(in, key, at[t]);
		else
			bb_map_put(out, key, t);
}

/* Narrows b to volume v (number pos of the series): its posts, groups,
 * maps, title, identifier; the whole blog goes to w. */
static void
S_enter(bb_blog *b, whole *w, const volume *v, long pos, const char *series)
{
	size_t i, *at = bb_xmalloc((w->nposts + 1) * sizeof *at);
	memset(&b->by_url, 0, sizeof b->by_url);
	memset(&b->by_name, 0, sizeof b->by_name);
	memset(&b->by_image, 0, sizeof b->by_image);
	for (i = 0; i < w->nposts; i++)
		at[i] = (size_t)-1;
	b->posts = bb_xmalloc((v->n + 1) * sizeof *b->posts);
	b->nposts = b->capposts = v->n;
	b->groups = NULL;
	b->ngroups = 0;
	for (i = 0; i < v->n; i++) {
		bb_post *p = &b->posts[i];
		*p = w->posts[v->idx[i]];
		at[v->idx[i]] = i;
		if (!w->ngroups)
			continue;
		/* the groups of the volume: the whole blog's, in the same order */
		if (!i || w->posts[v->idx[i - 1]].group != w->posts[v->idx[i]].group) {
			b->groups = bb_xrealloc(b->groups, (b->ngroups + 1) * sizeof *b->groups);
			b->groups[b->ngroups] = w->groups[p->group];
			memset(&b->groups[b->ngroups].spooled, 0, sizeof b->groups[b->ngroups].spooled);
			b->groups[b->ngroups].first = i;
			b->groups[b->ngroups].count = 0;
			b->ngroups++;
		}
		p->group = b->ngroups - 1;
		b->groups[p->group].count++;
	}
	S_split_map(&w->by_url, at, &b->by_url, &b->other_by_url);
	S_split_map(&w->by_name, at, &b->by_name, &b->other_by_name);
	free(at);
	b->images = bb_xcalloc(w->nimages + 1, sizeof *b->images);
	b->nimages = b->capimages = w->nimages;
	for (i = 0; i < w->nimages; i++) {
		b->images[i] = w->images[i];
		b->images[i].src = bb_xstrdup(w->images[i].src);
		b->images[i].name = w->images[i].name ? bb_xstrdup(w->images[i].name) : NULL;
		bb_map_put(&b->by_image, b->images[i].src, i);
	}
	b->cover = w->cover;
	b->title = bb_xasprintf("%s %s", w->title, v->label);
	b->identifier = S_identifier(w->identifier, v->label);
	b->modified = S_modified(b, w);
	b->series_name = series;
	b->series_pos = pos;
	b->all_posts = w->posts;
	b->nall = w->nposts;
}

/* Gives the volume's posts (and what their render kept) back to the whole
 * blog and makes b the whole blog again. */
static void
S_leave(bb_blog *b, whole *w, const volume *v)
{
	size_t i;
	for (i = 0; i < v->n; i++) {
		size_t g = w->posts[v->idx[i]].group;
		w->posts[v->idx[i]] = b->posts[i];
		w->posts[v->idx[i]].group = g;
	}
	free(b->posts);
	free(b->groups);
	bb_map_free(&b->by_url);
	bb_map_free(&b->by_name);
	bb_map_free(&b->other_by_url);
	bb_map_free(&b->other_by_name);
	S_images_truncate(b, 0);
	free(b->images);
	free(b->title);
	free(b->identifier);
	free(b->modified);
	b->posts = w->posts, b->nposts = b->capposts = w->nposts;
	b->groups = w->groups, b->ngroups = w->ngroups;
	b->by_url = w->by_url, b->by_name = w->by_name, b->by_image = w->by_image;
	b->images = w->images, b->nimages = w->nimages, b->capimages = w->capimages;
	b->cover = w->cover;
	b->title = w->title, b->identifier = w->identifier, b->modified = w->modified;
	b->series_name = NULL;
	b->series_pos = 0;
	b->all_posts = NULL;
	b->nall = 0;
}

/* The range volume v of run ru (posts start.. of it) holds: the run's
 * key ("2019", "2019-03"), with its part when the run is split
 * ("2019 (2)"); posts by their place in the book ("1-50") for the others. */
static void
S_label(const run *ru, size_t start, size_t part, int split, volume *v)
{
	if (ru->key[0] && !split)
		snprintf(v->label, sizeof v->label, "%s", ru->key);
	else if (ru->key[0])
		snprintf(v->label, sizeof v->label, "%s (%zu)", ru->key, part);
	else if (v->n == 1)
		snprintf(v->label, sizeof v->label, "%zu", ru->idx[start] + 1);
	else
		snprintf(v->label, sizeof v->label, "%zu-%zu", ru->idx[start] + 1, ru->idx[start + v->n - 1] + 1);
}

/* Writes volume v under its temporary name; r gets the volume's report.
 * With a bound, a volume that came out larger than it is written again
 * with fewer posts (*n lowered) while it has more than one. */
static int
S_write(bb_blog *b, whole *w, const plan *pl, volume *v, long pos, bb_report *r, size_t *n, int *again)
{
	const char *series = b->opt.series ? b->opt.series : w->title;
	int rc;
	*again = 0;
	S_enter(b, w, v, pos, series);
	rc = bb_blog_write(b, v->tmp, r);
	S_leave(b, w, v);
	if (rc != 0 || !pl->bound || r->bytes <= pl->bound)
		return rc;
	if (v->n > 1) {
		/* the estimate was low: fewer posts, in proportion */
		size_t fewer = (size_t)((double)v->n * (double)pl->bound / (double)r->bytes * 0.95);
		*n = fewer < 1 ? 1 : fewer >= v->n ? v->n - 1 : fewer;
		*again = 1;
		unlink(v->tmp);
		return 0;
	}
	bb_diag_add(&b->diags, BB_WARNING, w->posts[v->idx[0]].path, 0, 0,
		    "this post makes a book of %.1f MB, more than --volume-size %ld: it is a volume of its own",
		    r->bytes / 1e6, b->opt.volume_size_mb);
	bb_diag_flush(&b->sink, &b->diags);
	return 0;
}

static void
S_sum(bb_report *all, const bb_report *one, const volume *v)
{
	if (!all->volumes)
		snprintf(all->output, sizeof all->output, "%s", v->path);
	all->volumes++;
	all->posts += one->posts;
	all->chapters += one->chapters;
	all->images += one->images;
	all->bytes += one->bytes;
	all->warnings = one->warnings;
	all->errors = one->errors;
}

/* Renames every volume written to its name; on a failure (or when fail is
 * set) removes those not renamed yet. Returns 0 or -1. */
static int
S_finish(bb_blog *b, volume *vs, size_t nv, int fail)
{
	size_t i;
	for (i = 0; i < nv; i++) {
		if (!fail && rename(vs[i].tmp, vs[i].path) != 0) {
			bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "cannot rename %s to %s: %s", vs[i].tmp, vs[i].path,
				    strerror(errno));
			fail = 1;
		}
		if (fail)
			unlink(vs[i].tmp);
	}
	bb_diag_flush(&b->sink, &b->diags);
	return fail ? -1 : 0;
}

int
bb_volumes_write(bb_blog *b, const char *output, bb_report *r)
{
	plan pl;
	whole w;
	volume *vs = NULL;
	size_t nv = 0, ri, i;
	bb_report all, one;
	int rc = 0;

	memset(&all, 0, sizeof all);
	bb_blog_pack_posts(b); /* before the volumes copy the posts */
	S_plan_make(b, &pl);
	w.posts = b->posts, w.nposts = b->nposts;
	w.groups = b->groups, w.ngroups = b->ngroups;
	w.by_url = b->by_url, w.by_name = b->by_name, w.by_image = b->by_image;
	w.images = b->images, w.nimages = b->nimages, w.capimages = b->capimages;
	w.cover = b->cover;
	w.title = b->title, w.identifier = b->identifier, w.modified = b->modified;
	for (ri = 0; ri < pl.nruns && rc == 0; ri++) {
		const run *ru = &pl.runs[ri];
		size_t start = 0, part = 0, cap = 0;
		while (start < ru->n && rc == 0) {
			volume *v;
			size_t n = S_take(b, &pl, ru, start, cap);
			int again;
			vs = bb_xrealloc(vs, (nv + 1) * sizeof *vs);
			v = &vs[nv];
			memset(v, 0, sizeof *v);
			v->idx = ru->idx + start;
			v->n = n;
			S_label(ru, start, part + 1, start > 0 || n < ru->n, v);
			v->path = S_path(output, w.title, v->label);
			v->tmp = bb_xasprintf("%s.%ld.partial", v->path, (long)getpid());
			memset(&one, 0, sizeof one);
			rc = S_write(b, &w, &pl, v, (long)nv + 1, &one, &cap, &again);
			if (again) {
				free(v->path);
				free(v->tmp);
				continue;
			}
			nv++;
			if (rc == 0) {
				S_sum(&all, &one, v);
				bb_diag_add(&b->diags, BB_NOTE, NULL, 0, 0, "volume %zu, %s: %zu posts, %.1f KB", nv, v->path,
					    one.posts, one.bytes / 1024.0);
				bb_diag_flush(&b->sink, &b->diags);
			}
			start += n;
			part++;
			cap = 0;
		}
	}
	if (rc == 0 && b->opt.strict == 1 && b->sink.warnings) {
		bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "%zu warning%s and --strict: no volume written",
			    b->sink.warnings, b->sink.warnings == 1 ? "" : "s");
		rc = -1;
	}
	rc = S_finish(b, vs, nv, rc != 0);
	all.warnings = b->sink.warnings;
	all.errors = b->sink.errors;
	if (r)
		*r = all;
	for (i = 0; i < nv; i++) {
		free(vs[i].path);
		free(vs[i].tmp);
	}
	free(vs);
	S_plan_free(&pl);
	return rc;
}

size_t
bb_blog_plan_volumes(bb_blog *b, bb_volume_fn fn, void *ctx)
{
	plan pl;
	size_t ri, nv = 0;
	if (b->opt.volumes == BB_VOLUMES_NONE && b->opt.volume_size_mb <= 0)
		return 0;
	S_plan_make(b, &pl);
	for (ri = 0; ri < pl.nruns; ri++) {
		const run *ru = &pl.runs[ri];
		size_t start = 0, part = 0;
		while (start < ru->n) {
			volume v;
			bb_plan_volume pv;
			memset(&v, 0, sizeof v);
			v.idx = ru->idx + start;
			v.n = S_take(b, &pl, ru, start, 0);
			S_label(ru, start, part + 1, start > 0 || v.n < ru->n, &v);
			v.path = S_path(b->opt.output, b->title, v.label);
			pv.number = ++nv;
			pv.label = v.label;
			pv.file = v.path;
			pv.posts = v.idx;
			pv.nposts = v.n;
			fn(ctx, &pv);
			free(v.path);
			start += v.n;
			part++;
		}
	}
	S_plan_free(&pl);
	return nv;
}
