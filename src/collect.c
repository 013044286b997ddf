/* collect.c: the collect stage: picks the source for the blog, merges its
 * settings with the command line's, has the source list the posts, then
 * filters, orders and groups them into chapters and indexes their URLs. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "blog.h"
#include "jsnode.h"
#include "liquid.h"
#include "naming.h"
#include "outkeep.h"
#include "post.h"
#include "postindex.h"
#include "sitedata.h"
#include "source.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- settings ---- */

static char *
S_dup_or_null(const char *s)
{
	return s ? bb_xstrdup(s) : NULL;
}

/* A setting from the command line, then the blogbind: section, then _config.yml. */
static const char *
S_setting(const bb_blog *b, const char *cli, const char *key)
{
	const char *v;
	if (cli)
		return cli;
	if (b->settings && (v = bb_fm_str(b->settings, key)))
		return v;
	return b->config ? bb_fm_str(b->config, key) : NULL;
}

static int
S_int_setting(const bb_blog *b, int cli, const char *key, int def)
{
	const char *v;
	if (cli >= 0)
		return cli;
	if (b->settings && (v = bb_fm_str(b->settings, key))) {
		if (isdigit((unsigned char)v[0]))
			return atoi(v);
		return bb_fm_bool(b->settings, key, def);
	}
	if (b->config && (v = bb_fm_str(b->config, key)) && strcmp(key, "vertical") == 0)
		return bb_fm_bool(b->config, key, def);
	return def;
}

/* ---- ordering, filtering, grouping ---- */

/* A post's place in the book, its date's epoch worked out once and not
 * at each of the sort's comparisons. */
struct S_order {
	long long epoch;
	const char *path;
	long part;
	size_t i;
};

/* Date, then path; the series order puts the part first. The index last
 * keeps equal posts where they were, as the stable sort did. */
static int
S_cmp_order(const struct S_order *x, const struct S_order *y)
{
	int c;
	if (x->epoch != y->epoch)
		return x->epoch < y->epoch ? -1 : 1;
	if ((c = strcmp(x->path, y->path)) != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int
S_cmp_post(const void *a, const void *b)
{
	return S_cmp_order(a, b);
}

static int
S_cmp_series(const void *a, const void *b)
{
	const struct S_order *x = a, *y = b;
	if (x->part != y->part)
		return x->part < y->part ? -1 : 1;
	return S_cmp_order(x, y);
}

/* Sorts b's posts by date (by part first with a series), moving each
 * post (360 bytes) once, along the cycles of the permutation. */
static void
S_sort_posts(bb_blog *b)
{
	struct S_order *o = bb_xmalloc((b->nposts ? b->nposts : 1) * sizeof *o);
	size_t i, j, k;
	for (i = 0; i < b->nposts; i++) {
		o[i].epoch = bb_date_epoch(&b->posts[i].date);
		o[i].path = b->posts[i].path;
		o[i].part = b->posts[i].part;
		o[i].i = i;
	}
	qsort(o, b->nposts, sizeof *o, b->opt.series ? S_cmp_series : S_cmp_post);
	/* post o[i].i goes to place i; a done place is marked with i = nposts */
	for (i = 0; i < b->nposts; i++) {
		bb_post t;
		if (o[i].i == b->nposts || o[i].i == i)
			continue;
		t = b->posts[i];
		for (j = i; o[j].i != i; j = k) {
			k = o[j].i;
			b->posts[j] = b->posts[k];
			o[j].i = b->nposts;
		}
		b->posts[j] = t;
		o[j].i = b->nposts;
	}
	free(o);
}

static int
S_has(char **v, size_t n, const char *s)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcasecmp(v[i], s) == 0)
			return 1;
	return 0;
}

/* Why a post is left out, or NULL when it stays. */
static const char *
S_filter(const bb_blog *b, const bb_post *p)
{
	const bb_options *o = &b->opt;
	size_t i;
	int any;
	if (p->listing)
		return "a page listing posts, not a post";
	if (p->draft && o->drafts != 1)
		return "a draft (use --drafts)";
	if (!p->published && o->unpublished != 1)
		return "published: false (use --unpublished)";
	if (o->since && strcmp(p->ymd, o->since) < 0)
		return "dated before --since";
	/* "2023" or "2023-06" as --until take in the whole year or month */
	if (o->until && strncmp(p->ymd, o->until, strlen(o->until) < 10 ? strlen(o->until) : 10) > 0)
		return "dated after --until";
	if (o->series && (!p->series || strcmp(p->series, o->series) != 0))
		return "not in the series";
	for (i = 0, any = 0; i < BB_MAX_FILTERS && o->categories[i]; i++)
		any |= 1 + S_has(p->categories, p->ncategories, o->categories[i]);
	if (any == 1)
		return "not in the categories asked for";
	for (i = 0, any = 0; i < BB_MAX_FILTERS && o->tags[i]; i++)
		any |= 1 + S_has(p->tags, p->ntags, o->tags[i]);
	if (any == 1)
		return "not tagged as asked";
	return NULL;
}

static char *
S_group_key(const bb_blog *b, const bb_post *p)
{
	switch (b->chapters) {
	case BB_CHAPTERS_YEAR:
		if (!p->ymd[0])
			return bb_xstrdup("Drafts");
		return bb_xasprintf("%04d", p->date.year);
	case BB_CHAPTERS_MONTH:
		if (!p->ymd[0])
			return bb_xstrdup("Drafts");
		return bb_xasprintf("%04d-%02d", p->date.year, p->date.mon);
	case BB_CHAPTERS_CATEGORY:
		return bb_xstrdup(p->ncategories ? p->categories[0] : "Uncategorized");
	case BB_CHAPTERS_SERIES:
		return bb_xstrdup(p->series ? p->series : "Other posts");
	default:
		return NULL;
	}
}

static void
S_group(bb_blog *b)
{
	size_t i, j, n = b->nposts;
	char **keys;
	size_t *gi;
	bb_post *sorted;
	bb_map gm;

	if (b->chapters == BB_CHAPTERS_POST || !n)
		return;
	memset(&gm, 0, sizeof gm);
	keys = bb_xcalloc(n, sizeof *keys);
	gi = bb_xcalloc(n, sizeof *gi);
	/* groups in order of their first post, posts keep their order inside */
	for (i = 0; i < n; i++) {
		size_t g;
		keys[i] = S_group_key(b, &b->posts[i]);
		if (!bb_map_get(&gm, keys[i], &g)) {
			g = b->ngroups++;
			b->groups = bb_xrealloc(b->groups, b->ngroups * sizeof *b->groups);
			memset(&b->groups[g], 0, sizeof b->groups[g]);
			b->groups[g].title = bb_xstrdup(keys[i]);
			bb_name_group(keys[i], b->groups[g].id);
			bb_map_put(&gm, keys[i], g);
		}
		gi[i] = g;
		b->groups[g].count++;
	}
	sorted = bb_xmalloc(n * sizeof *sorted);
	for (j = 0, i = 0; j < b->ngroups; j++) {
		size_t k;
		b->groups[j].first = i;
		for (k = 0; k < n; k++)
			if (gi[k] == j) {
				sorted[i] = b->posts[k];
				sorted[i].group = j;
				i++;
			}
	}
	free(b->posts);
	b->posts = sorted;
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	free(gi);
	bb_map_free(&gm);
}

static void
S_index_urls(bb_blog *b)
{
	size_t i, k, nurls = 0;
	/* the tables as large as their keys (map.h) */
	for (i = 0; i < b->nposts; i++)
		nurls += 1 + (b->src == &bb_source_jekyll) + b->posts[i].naliases;
	bb_map_reserve(&b->by_url, b->by_url.n + nurls);
	bb_map_reserve(&b->by_name, b->by_name.n + 2 * b->nposts);
	for (i = 0; i < b->nposts; i++) {
		bb_post *p = &b->posts[i];
		char *key;
		p->url = b->src->url(b, p);
		key = bb_url_key(p->url);
		bb_map_put(&b->by_url, key, i);
		free(key);
		if (b->src == &bb_source_jekyll) {
			/* the date URL without categories: links written before a
			 * category was added, or by hand, still find the post */
			bb_buf alt = BB_BUF_INIT;
			bb_buf_putc(&alt, '/');
			bb_buf_put_dec(&alt, p->date.year, 4);
			bb_buf_putc(&alt, '/');
			bb_buf_put_dec(&alt, p->date.mon, 2);
			bb_buf_putc(&alt, '/');
			bb_buf_put_dec(&alt, p->date.day, 2);
			bb_buf_putc(&alt, '/');
			bb_buf_puts(&alt, p->slug);
			key = bb_url_key(alt.data);
			bb_map_put(&b->by_url, key, i);
			free(key);
			bb_buf_free(&alt);
		}
		for (k = 0; k < p->naliases; k++) {
			key = bb_url_key(p->aliases[k]);
			bb_map_put(&b->by_url, key, i);
			free(key);
		}
		bb_map_put(&b->by_name, p->basename, i);
		/* "/" + path is found by the readers without its slash (links.c,
		 * macros.c): not a key of its own, 4 MB at 100,000 posts */
		bb_map_put(&b->by_name, p->path, i);
	}
}

/* ---- the blog ---- */

void
bb_options_init(bb_options *o)
{
	memset(o, 0, sizeof *o);
	o->chapters = BB_CHAPTERS_UNSET;
	o->toc_depth = -1;
	o->vertical = -1;
	o->reverse = -1;
	o->drafts = -1;
	o->unpublished = -1;
	o->stitch = -1;
	o->strict = -1;
	o->jobs = -1;
	o->fetch_remote = -1;
	o->fetch_timeout = -1;
	o->pages = -1;
	o->math = -1;
	o->highlight = -1;
	o->comments = -1;
	o->image_max_px = o->max_size_mb = -1;
	o->cache_max_mb = -1;
}

static bb_chapters
S_chapters(const char *s)
{
	if (!s)
		return BB_CHAPTERS_UNSET;
	if (strcmp(s, "post") == 0 || strcmp(s, "posts") == 0)
		return BB_CHAPTERS_POST;
	if (strcmp(s, "year") == 0)
		return BB_CHAPTERS_YEAR;
	if (strcmp(s, "month") == 0)
		return BB_CHAPTERS_MONTH;
	if (strcmp(s, "category") == 0)
		return BB_CHAPTERS_CATEGORY;
	if (strcmp(s, "series") == 0)
		return BB_CHAPTERS_SERIES;
	return BB_CHAPTERS_UNSET;
}

/* The options that choose which posts go in, as text ("" when none does):
 * two books of one blog with other selections are other books. */
static char *
S_selection(const bb_options *o)
{
	bb_buf s = BB_BUF_INIT;
	size_t i;
	if (o->series)
		bb_buf_printf(&s, "series=%s\n", o->series);
	if (o->since)
		bb_buf_printf(&s, "since=%s\n", o->since);
	if (o->until)
		bb_buf_printf(&s, "until=%s\n", o->until);
	for (i = 0; i < BB_MAX_FILTERS && o->categories[i]; i++)
		bb_buf_printf(&s, "category=%s\n", o->categories[i]);
	for (i = 0; i < BB_MAX_FILTERS && o->tags[i]; i++)
		bb_buf_printf(&s, "tag=%s\n", o->tags[i]);
	if (o->drafts == 1)
		bb_buf_puts(&s, "drafts\n");
	if (o->unpublished == 1)
		bb_buf_puts(&s, "unpublished\n");
	if (o->pages == 1)
		bb_buf_puts(&s, "pages\n");
	return s.data ? bb_buf_detach(&s, NULL) : bb_xstrdup("");
}

/* A UUID-shaped identifier derived from the blog (its url, title and
 * author) and the selection of posts, stable across runs and across
 * rebinds of a grown blog: no post's content or number enters it. */
static char *
S_identifier(const bb_blog *b)
{
	unsigned long long h1 = BB_FNV_SEED, h2 = 0x84222325cbf29ce4ULL;
	const char *parts[4];
	char *sel = S_selection(&b->opt);
	size_t i, n = 3;
	parts[0] = b->url ? b->url : "";
	parts[1] = b->title;
	parts[2] = b->author ? b->author : "";
	/* the whole blog keeps the identifier it always had */
	if (*sel)
		parts[n++] = sel;
	for (i = 0; i < n; i++) {
		h1 = bb_fnv1a(h1, parts[i], strlen(parts[i]) + 1);
		h2 = bb_fnv1a(h2 ^ h1, parts[i], strlen(parts[i]) + 1);
	}
	free(sel);
	/* version 8 (custom, RFC 9562), variant 10 */
	return bb_xasprintf("urn:uuid:%08llx-%04llx-8%03llx-%04llx-%012llx", h1 >> 32, (h1 >> 16) & 0xffff,
			    h1 & 0xfff, 0x8000 | ((h2 >> 48) & 0x3fff), h2 & 0xffffffffffffULL);
}

static const char *
S_dup_opt(const char *s)
{
	return s ? bb_xstrdup(s) : NULL;
}

/* Copies the options the blog keeps, their strings owned. */
static void
S_copy_options(bb_blog *b, const bb_options *o)
{
	size_t i;
	b->opt = *o;
	b->opt.source_dir = S_dup_opt(o->source_dir);
	b->opt.output = S_dup_opt(o->output);
	b->opt.title = S_dup_opt(o->title);
	b->opt.author = S_dup_opt(o->author);
	b->opt.lang = S_dup_opt(o->lang);
	b->opt.templates_dir = S_dup_opt(o->templates_dir);
	b->opt.cover = S_dup_opt(o->cover);
	b->opt.cache_dir = S_dup_opt(o->cache_dir);
	b->opt.series = S_dup_opt(o->series);
	b->opt.since = S_dup_opt(o->since);
	b->opt.until = S_dup_opt(o->until);
	b->opt.source = S_dup_opt(o->source);
	b->opt.media_dir = S_dup_opt(o->media_dir);
	for (i = 0; i < BB_MAX_FILTERS; i++) {
		b->opt.categories[i] = S_dup_opt(o->categories[i]);
		b->opt.tags[i] = S_dup_opt(o->tags[i]);
	}
}

/* Picks the source for the path given and sets the blog's folder (for an
 * export file, the folder it lies in). Returns 0 or -1 (an error added). */
static int
S_open(bb_blog *b, const bb_options *o)
{
	struct stat st;
	char real[PATH_MAX], *why = NULL;
	int is_dir;
	if (!o->source_dir || stat(o->source_dir, &st) != 0) {
		bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "%s%s%s", o->source_dir ? o->source_dir : "no blog given",
			    o->source_dir ? ": " : "", o->source_dir ? strerror(errno) : "");
		return -1;
	}
	is_dir = S_ISDIR(st.st_mode);
	if (!(b->src = bb_source_pick(o->source_dir, is_dir, b->opt.source, &why))) {
		bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "%s: %s", o->source_dir, why);
		free(why);
		return -1;
	}
	if (is_dir)
		b->root = bb_xstrdup(o->source_dir);
	else {
		const char *slash = strrchr(o->source_dir, '/');
		b->export_path = bb_xstrdup(o->source_dir);
		b->root = slash ? bb_xstrndup(o->source_dir, (size_t)(slash - o->source_dir) + (slash == o->source_dir))
				: bb_xstrdup(".");
	}
	if (!realpath(b->root, real)) {
		bb_diag_add(&b->diags, BB_ERROR, o->source_dir, 0, 0, "cannot resolve the folder: %s", strerror(errno));
		return -1;
	}
	b->root_real = bb_xstrdup(real);
	return 0;
}

/* The book's author: the command line, the blogbind: section, the config,
 * Hugo's params. */
static void
S_author_setting(bb_blog *b, const bb_options *o)
{
	if (o->author)
		b->author = bb_xstrdup(o->author);
	else if (b->settings && bb_fm_get(b->settings, "author"))
		b->author = bb_fm_author(b->settings, "author");
	else if (b->config)
		b->author = bb_fm_author(b->config, "author");
	if (!b->author && b->config) {
		const bb_fm_node *params = bb_fm_get(b->config, "params");
		if (params)
			b->author = bb_fm_author(params, "author");
	}
}

/* The blog's address (url, Hugo's baseURL) and base path. */
static void
S_url_setting(bb_blog *b)
{
	if (!b->url) /* a source may have set it from its own setting */
		b->url = S_dup_or_null(S_setting(b, NULL, "url"));
	if (!b->url && b->hugo) {
		/* Hugo's baseURL is the whole address; its path is the base path */
		const char *u = S_setting(b, NULL, "baseURL");
		if (!u)
			u = S_setting(b, NULL, "baseurl");
		if (u && (strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0)) {
			const char *path = strchr(strstr(u, "://") + 3, '/');
			b->url = path ? bb_xstrndup(u, (size_t)(path - u)) : bb_xstrdup(u);
			if (path && path[1])
				b->baseurl = bb_xstrdup(path);
		}
	}
	if (b->url) {
		size_t n = strlen(b->url);
		while (n && b->url[n - 1] == '/')
			b->url[--n] = '\0';
		if (strncmp(b->url, "http://", 7) != 0 && strncmp(b->url, "https://", 8) != 0) {
			free(b->url);
			b->url = NULL;
		}
	}
	if (!b->hugo && !b->baseurl)
		b->baseurl = S_dup_or_null(S_setting(b, NULL, "baseurl"));
	if (b->baseurl) {
		size_t n = strlen(b->baseurl);
		while (n && b->baseurl[n - 1] == '/')
			b->baseurl[--n] = '\0';
	}
}

/* Merges the command line with the blog's settings, then the defaults. */
static void
S_settings(bb_blog *b, const bb_options *o)
{
	const char *s;
	if (b->config) {
		const bb_fm_node *bs = bb_fm_get(b->config, "blogbind");
		if (bs && bs->kind == BB_FM_MAP)
			b->settings = bs;
	}
	s = S_setting(b, o->title, "title");
	if (!s) {
		const char *base = strrchr(b->root_real, '/');
		s = base && base[1] ? base + 1 : "Blog";
	}
	b->title = bb_xstrdup(s);
	S_author_setting(b, o);
	if ((s = S_setting(b, o->lang, "lang")) || (s = S_setting(b, NULL, "languageCode")) ||
	    (s = S_setting(b, NULL, "language")))
		if (!(b->lang = bb_lang_tag(s)))
			bb_diag_add(&b->diags, BB_WARNING, o->lang ? NULL : b->config_name, 0, 0,
				    "'%s' is not a language tag; the posts' language is used", s);
	b->description = S_dup_or_null(S_setting(b, NULL, "description"));
	if (!b->description && b->config) {
		const bb_fm_node *params = bb_fm_get(b->config, "params");
		if (params)
			b->description = S_dup_or_null(bb_fm_str(params, "description"));
	}
	S_url_setting(b);
	b->permalink = S_dup_or_null(S_setting(b, NULL, "permalink"));
	b->vertical = S_int_setting(b, o->vertical, "vertical", 0);
	b->toc_depth = S_int_setting(b, o->toc_depth, "toc_depth", 2);
	if (b->toc_depth < 1)
		b->toc_depth = 1;
	if (b->toc_depth > 6)
		b->toc_depth = 6;
	b->stitch = S_int_setting(b, o->stitch, "stitch", 1);
	b->chapters = o->chapters;
	if (b->chapters == BB_CHAPTERS_UNSET && b->settings && (s = bb_fm_str(b->settings, "chapters"))) {
		b->chapters = S_chapters(s);
		if (b->chapters == BB_CHAPTERS_UNSET)
			bb_diag_add(&b->diags, BB_WARNING, b->config_name, bb_fm_get(b->settings, "chapters")->line,
				    bb_fm_get(b->settings, "chapters")->col,
				    "chapters: '%s' is not post, year, month, category or series; post is used", s);
	}
	if (b->chapters == BB_CHAPTERS_UNSET)
		b->chapters = BB_CHAPTERS_POST;
	if (b->opt.reverse < 0)
		b->opt.reverse = S_int_setting(b, -1, "reverse", 0);
	if (b->opt.drafts < 0)
		b->opt.drafts = S_int_setting(b, -1, "drafts", 0);
	if (b->opt.unpublished < 0)
		b->opt.unpublished = S_int_setting(b, -1, "unpublished", 0);
	if (b->opt.strict < 0)
		b->opt.strict = S_int_setting(b, -1, "strict", 0);
	if (!b->opt.series && b->settings && (s = bb_fm_str(b->settings, "series")))
		b->opt.series = bb_xstrdup(s);
	if (!b->opt.since && b->settings && (s = bb_fm_str(b->settings, "since")))
		b->opt.since = bb_xstrdup(s);
	if (!b->opt.until && b->settings && (s = bb_fm_str(b->settings, "until")))
		b->opt.until = bb_xstrdup(s);
}

/* Has the source list the posts, leaves out those the filters refuse and
 * orders the rest. Returns how many post files the source found. */
static long
S_posts(bb_blog *b)
{
	size_t i, kept;
	long found = b->src->posts(b);
	for (i = 0, kept = 0; i < b->nposts; i++) {
		bb_post *p = &b->posts[i];
		const char *why;
		if (!p->date.year && p->draft) {
			/* drafts without a date go last, after the newest post */
			p->date.year = 9999, p->date.mon = 12, p->date.day = 31;
		}
		if ((why = S_filter(b, p))) {
			bb_diag_add(&b->diags, BB_NOTE, p->path, 0, 0, "left out: %s", why);
			bb_post_free(p);
			continue;
		}
		if (kept != i)
			b->posts[kept] = *p;
		kept++;
	}
	b->nposts = kept;
	if (b->nposts && b->nposts < b->capposts) {
		/* the array doubled as the source found posts: a quarter of it
		 * is slack on average, 11 MB at 100,000 posts (360 bytes each),
		 * kept to the end of the run */
		b->posts = bb_xrealloc(b->posts, b->nposts * sizeof *b->posts);
		b->capposts = b->nposts;
	}
	S_sort_posts(b);
	if (b->opt.reverse == 1)
		for (i = 0; i < b->nposts / 2; i++) {
			bb_post t = b->posts[i];
			b->posts[i] = b->posts[b->nposts - 1 - i];
			b->posts[b->nposts - 1 - i] = t;
		}
	for (i = 0; i < b->nposts; i++)
		if (b->posts[i].date.year == 9999) {
			/* a draft's placeholder date is not shown */
			b->posts[i].ymd[0] = '\0';
		}
	return found;
}

/* The book's language when no setting gives it: the one most posts
 * declare, else English. */
static void
S_language(bb_blog *b)
{
	/* counted in a map: a blog of ten thousand posts must not take ten
	 * thousand squared comparisons */
	bb_map count;
	size_t i, best = 0, *tally;
	if (b->lang)
		return;
	tally = bb_xcalloc(b->nposts + 1, sizeof *tally);
	memset(&count, 0, sizeof count);
	for (i = 0; i < b->nposts; i++) {
		size_t k;
		if (!b->posts[i].lang)
			continue;
		if (!bb_map_get(&count, b->posts[i].lang, &k)) {
			k = i;
			bb_map_put(&count, b->posts[i].lang, k);
		}
		if (++tally[k] > best) {
			best = tally[k];
			free(b->lang);
			b->lang = bb_xstrdup(b->posts[i].lang);
		}
	}
	bb_map_free(&count);
	free(tally);
	if (!b->lang)
		b->lang = bb_xstrdup("en");
	{
		size_t said = 0, seen = 0;
		for (i = 0; i < b->nposts; i++) {
			seen += b->posts[i].lang_detected;
			said += b->posts[i].lang && !b->posts[i].lang_detected;
		}
		bb_diag_add(&b->diags, BB_NOTE, NULL, 0, 0,
			    "the book's language is '%s': no setting names it, so it is the posts' (%zu of %zu posts say "
			    "theirs, %zu are told by the scripts of their text, the rest count as English)",
			    b->lang, said, b->nposts, seen);
	}
}

/* dcterms:modified: SOURCE_DATE_EPOCH, else the newest post's date. */
static void
S_modified(bb_blog *b)
{
	bb_date d;
	char w3c[32];
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long newest = 0;
	size_t i;
	if (sde && *sde) {
		newest = strtoll(sde, NULL, 10);
	} else {
		for (i = 0; i < b->nposts; i++)
			if (b->posts[i].date.year && b->posts[i].date.year < 9999 &&
			    bb_date_epoch(&b->posts[i].date) > newest)
				newest = bb_date_epoch(&b->posts[i].date);
		if (!newest)
			newest = 946684800; /* 2000-01-01: no dated post at all */
	}
	bb_date_from_epoch(newest, &d);
	bb_date_w3c_utc(&d, w3c);
	b->modified = bb_xstrdup(w3c);
}

/* The cover image named by the command line or the settings. */
static void
S_cover(bb_blog *b, const bb_options *o)
{
	const char *cover = o->cover ? o->cover : S_setting(b, NULL, "cover");
	const char *why = NULL;
	char *rel;
	long idx;
	if (!cover)
		return;
	rel = bb_resolve_local(b, NULL, cover, &why);
	idx = rel ? bb_image_add(b, rel, &why) : -1;
	if (idx < 0 && !rel && o->cover && access(o->cover, R_OK) == 0) {
		/* a cover named on the command line may lie anywhere: the user
		 * chose it (one from the settings stays in the blog) */
		const char *base = strrchr(o->cover, '/');
		base = base ? base + 1 : o->cover;
		idx = bb_image_add_file(b, o->cover, base, base, strlen(base), &why);
	}
	if (idx < 0)
		bb_diag_add(&b->diags, BB_WARNING, o->cover ? NULL : b->config_name, 0, 0,
			    "cover image '%s' %s; a cover page is made instead", cover, why ? why : "not found");
	else {
		b->cover = idx;
		b->images[idx].is_cover = 1;
	}
	free(rel);
}

bb_blog *
bb_collect(const bb_options *o)
{
	bb_blog *b = bb_xcalloc(1, sizeof *b);
	long found;

	S_copy_options(b, o);
	b->sink.fn = o->diag;
	b->sink.ctx = o->diag_ctx;
	b->sink.root = b->opt.source_dir;
	b->cover = -1;
	pthread_mutex_init(&b->lock, NULL);
	if (S_open(b, o) != 0)
		goto fail;
	/* an export file given: messages name files from its folder */
	b->sink.root = strcmp(b->root, ".") == 0 ? NULL : b->root;
	if (b->src->config(b) != 0)
		goto fail;
	bb_diag_add(&b->diags, BB_NOTE, NULL, 0, 0, "found %s%s%s", b->src->label,
		    b->config ? ", settings from " : "", b->config ? b->config_name : "");
	S_settings(b, o);
	bb_pindex_read_ahead(b);
	found = S_posts(b);
	bb_pindex_ahead_end(b, 0); /* a source that found no file */
	if (found < 0)
		goto fail;
	S_group(b);
	bb_name_posts(b->posts, b->nposts);
	S_index_urls(b);
	/* Liquid's site.posts is made when a post reads it (macros.c) */
	S_language(b);
	b->identifier = S_identifier(b);
	S_modified(b);
	if (b->vertical && !bb_lang_cjk(b->lang))
		bb_diag_add(&b->diags, BB_NOTE, NULL, 0, 0,
			    "vertical writing applies to Japanese, Chinese and Korean pages; this book is '%s', so only its "
			    "posts in those languages are set vertically", b->lang);
	if (!b->nposts)
		bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "no post to bind in %s (%s)%s", b->root, b->src->label,
			    found ? ": every post was left out: see -v" : ": no post found");
	if (!(b->tpl = bb_templates_load(b->opt.templates_dir, &b->diags)))
		goto fail;
	S_cover(b, o);
	bb_diag_flush(&b->sink, &b->diags);
	if (b->sink.errors)
		goto fail_flushed;
	return b;
fail:
	bb_diag_flush(&b->sink, &b->diags);
fail_flushed:
	bb_blog_free(b);
	return NULL;
}

void
bb_blog_free(bb_blog *b)
{
	size_t i;
	if (!b)
		return;
	bb_node_stop();   /* post.c may have started it for a blog never written (--dry-run) */
	bb_blog_drop_posts(b, NULL, NULL);
	for (i = 0; i < b->ngroups; i++)
		free(b->groups[i].title);
	free(b->groups);
	for (i = 0; i < b->nimages; i++) {
		free(b->images[i].src);
		free(b->images[i].name);
	}
	free(b->images);
	bb_map_free(&b->by_image);
	bb_templates_free(b->tpl);
	bb_fm_free(b->config);
	bb_liquid_tags_free(b->liquid_tags);
	free(b->root);
	free(b->root_real);
	free(b->export_path);
	free(b->title);
	free(b->author);
	free(b->lang);
	free(b->description);
	free(b->url);
	free(b->baseurl);
	free(b->permalink);
	free(b->identifier);
	free(b->modified);
	free((char *)b->opt.source_dir);
	free((char *)b->opt.output);
	free((char *)b->opt.title);
	free((char *)b->opt.author);
	free((char *)b->opt.lang);
	free((char *)b->opt.templates_dir);
	free((char *)b->opt.cover);
	free((char *)b->opt.cache_dir);
	free((char *)b->opt.series);
	free((char *)b->opt.since);
	free((char *)b->opt.until);
	free((char *)b->opt.source);
	free((char *)b->opt.media_dir);
	for (i = 0; i < BB_MAX_FILTERS; i++) {
		free((char *)b->opt.categories[i]);
		free((char *)b->opt.tags[i]);
	}
	bb_diag_clear(&b->diags);
	pthread_mutex_destroy(&b->lock);
	free(b);
}

void
bb_blog_drop_posts(bb_blog *b, void (*keep)(void *ctx, const bb_post *p), void *ctx)
{
	size_t i;
	if (b->src && b->src->release)
		b->src->release(b);
	bb_map_free(&b->by_url);
	bb_map_free(&b->by_name);
	bb_fm_free(b->site_data);
	bb_fm_free(b->site_posts);
	b->site_data = b->site_posts = NULL;
	bb_pindex_free(b->pindex);
	b->pindex = NULL;
	/* one post at a time: what keep makes of them grows as they go */
	for (i = 0; i < b->nposts; i++) {
		if (keep)
			keep(ctx, &b->posts[i]);
		bb_post_free(&b->posts[i]);
	}
	bb_outkeep_close(b);
	free(b->posts);
	b->posts = NULL;
	b->nposts = b->capposts = 0;
	free(b->packs); /* after by_name, whose keys lie in it */
	b->packs = NULL;
}

const char *
bb_blog_title(const bb_blog *b)
{
	return b->title;
}

size_t
bb_blog_plan(const bb_blog *b, bb_plan_fn fn, void *ctx)
{
	size_t i;
	for (i = 0; i < b->nposts; i++) {
		bb_plan_entry e;
		const bb_post *p = &b->posts[i];
		e.chapter_index = b->ngroups ? p->group : i;
		e.chapter = b->ngroups ? b->groups[p->group].title : p->title;
		e.date = p->ymd;
		e.title = p->title;
		e.file = p->path;
		if (fn)
			fn(ctx, &e);
	}
	return b->nposts;
}
