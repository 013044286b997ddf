/* main.c: the blogbind command: parses the command line, prints what the
 * library reports, and calls bb_build. */
#define _XOPEN_SOURCE 700
#include "blogbind.h"
#include "cli/preview.h"

#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct ui {
	const char *src;
	int verbose, quiet, tty;
	double start, last_draw;
	int drawn;
	int preview; /* --preview: serve the book after writing it */
	long port;   /* --port: its port, 0: any free one */
} ui;

static volatile sig_atomic_t S_stop; /* SIGINT or SIGTERM came */

static double
S_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
S_clear_line(ui *u)
{
	if (u->drawn) {
		fputs("\r\033[K", stderr);
		u->drawn = 0;
	}
}

/* Writes s with control characters escaped ("\n", "\x01"), so that a
 * file name or a value quoted from a post cannot break a message in two
 * lines or move the cursor. */
static void
S_put_clean(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c < 0x20 || c == 0x7F)
			fprintf(f, "\\x%02x", c);
		else
			putc(c, f);
	}
}

static void
S_diag(void *ctx, const bb_diag *d)
{
	ui *u = ctx;
	static const char *const sev[] = { "note", "warning", "error" };
	if (d->severity == BB_NOTE && !u->verbose)
		return;
	if (d->severity == BB_WARNING && u->quiet)
		return;
	S_clear_line(u);
	if (d->path) {
		S_put_clean(stderr, d->path);
		if (d->line)
			fprintf(stderr, ":%u:%u", d->line, d->col ? d->col : 1);
	} else
		fputs("blogbind", stderr);
	fprintf(stderr, ": %s: ", sev[d->severity]);
	S_put_clean(stderr, d->message);
	putc('\n', stderr);
}

static void
S_progress(void *ctx, size_t done, size_t total)
{
	ui *u = ctx;
	double t = S_now();
	if (!u->tty || u->quiet || t - u->start < 0.5 || (t - u->last_draw < 0.1 && done < total))
		return;
	u->last_draw = t;
	fprintf(stderr, "\r\033[Kblogbind: %zu/%zu posts, %.1f s", done, total, t - u->start);
	u->drawn = 1;
}

static void
S_plan(void *ctx, const bb_plan_entry *e)
{
	size_t *last = ctx;
	if (*last != e->chapter_index || *last == (size_t)-1) {
		if (strcmp(e->chapter, e->title) != 0) {
			S_put_clean(stdout, e->chapter);
			putchar('\n');
		}
		*last = e->chapter_index;
	}
	printf("  %-10s  ", e->date[0] ? e->date : "-");
	S_put_clean(stdout, e->title);
	fputs("  (", stdout);
	S_put_clean(stdout, e->file);
	fputs(")\n", stdout);
}

static void
S_on_signal(int sig)
{
	(void)sig;
	S_stop = 1;
	bb_interrupt();
}

static void
S_usage(FILE *f)
{
	fputs("usage: blogbind [OPTIONS] BLOG [-o BOOK.epub]\n"
	      "Binds a blog into an EPUB 3 book. BLOG is a site's source folder (Jekyll,\n"
	      "Hugo, Hexo, Pelican, Zola, Eleventy, any folder of Markdown posts) or an\n"
	      "export file (WordPress WXR, Blogger Atom).\n"
	      "\n"
	      "Output and metadata:\n"
	      "  -o, --output FILE      the book to write (default: TITLE.epub here)\n"
	      "  -t, --title TEXT       book title (default: title in _config.yml)\n"
	      "  -a, --author TEXT      book author (default: author in _config.yml)\n"
	      "  -l, --lang TAG         book language, BCP 47 (default: lang in _config.yml)\n"
	      "      --cover IMAGE      cover image, a path in the blog or on disk\n"
	      "      --templates DIR    use DIR's chapter.xhtml, title.xhtml, cover.xhtml,\n"
	      "                         group.xhtml, style.css instead of the built-in ones\n"
	      "Contents:\n"
	      "      --source KIND      read BLOG as KIND (jekyll, hugo, hexo, pelican, zola,\n"
	      "                         eleventy, markdown, wordpress, blogger); default: found out\n"
	      "      --media DIR        an export's media folder (WordPress uploads)\n"
	      "      --pages            an export's pages too, after the posts\n"
	      "      --comments         an export's approved comments after each post\n"
	      "      --math HOW         formulas as mathml (default) or tex (kept as written)\n"
	      "      --no-highlight     code blocks without token colours\n"
	      "      --chapters HOW     post (default), year, month, category or series\n"
	      "      --toc-depth N      table of contents levels: 1 posts, 2 (default) + h2...\n"
	      "      --series NAME      only the posts of series NAME, in part order\n"
	      "      --since DATE       only posts dated DATE (YYYY-MM-DD) or later\n"
	      "      --until DATE       only posts dated DATE or earlier\n"
	      "      --category NAME    only posts in category NAME (repeatable)\n"
	      "      --tag NAME         only posts tagged NAME (repeatable)\n"
	      "      --reverse          newest post first\n"
	      "      --drafts           include _drafts/ (and Hugo drafts)\n"
	      "      --unpublished      include posts with published: false\n"
	      "      --no-stitch        keep posts written in ---END--- segments as written\n"
	      "      --source-links     end each chapter with the post's address and the date bound\n"
	      "      --link-notes       number links to the web, their URLs as endnotes (e-ink)\n"
	      "      --preview          after writing, serve the book with an epub.js viewer on\n"
	      "                         127.0.0.1 and print its URL; Ctrl-C stops\n"
	      "      --port N           --preview's port (default: a free one)\n"
	      "Volumes (several books of one series, \"TITLE RANGE.epub\"; -o names their folder\n"
	      "or, as NAME.epub, the start of their names: \"NAME 2019.epub\"):\n"
	      "      --volumes HOW      year, month, or N (N posts a volume)\n"
	      "      --volume-size MB   volumes (or each year's, month's) under MB each\n",
	      f);
	/* two strings: C99 promises literals of 4095 bytes, no more */
	fputs("Typography:\n"
	      "      --vertical         vertical writing, pages turning right to left\n"
	      "      --horizontal       horizontal writing even if _config.yml says vertical\n"
	      "Run:\n"
	      "      --strict           any warning fails the run; no book is written\n"
	      "  -j, --jobs N           rendering threads (default: one per core)\n"
	      "  -n, --dry-run          print the book's plan and write nothing\n"
	      "  -q, --quiet            print errors only\n"
	      "  -v, --verbose          explain each decision (posts left out and why)\n"
	      "      --fetch-remote     download remote images and embed them\n"
	      "      --cache-dir DIR    keep downloads in DIR (default: SOURCE_DIR/.blogbind-cache)\n"
	      "                         and rendered chapters in DIR/chapters: a rebind renders\n"
	      "                         only the posts that changed\n"
	      "      --cache-max MB     keep DIR/chapters under MB, oldest first out (default 1000)\n"
	      "Images (WebP, AVIF, HEIC, BMP, TIFF are always made PNG or JPEG):\n"
	      "      --image-max-px N   scale images down to N pixels on their longest side\n"
	      "      --max-size MB      recompress and scale images until the book fits MB\n"
	      "                         (e.g. 50 for Send-to-Kindle)\n"
	      "  -h, --help             this help\n"
	      "  -V, --version          the version\n"
	      "\n"
	      "Settings can also live in a blogbind: section of _config.yml; the command\n"
	      "line wins over them. Exit status: 0 book written, 1 no book, 2 usage error.\n"
	      "\n"
	      "Examples:\n"
	      "  blogbind myblog                         # whole blog -> \"My Blog.epub\"\n"
	      "  blogbind myblog -o 2023.epub --since 2023-01-01 --until 2023-12-31\n"
	      "  blogbind myblog --chapters year -o archive.epub\n"
	      "  blogbind myblog --series \"Rust diary\" -o rust-diary.epub\n"
	      "  blogbind myblog --lang ja --vertical -o tate.epub\n",
	      f);
}

/* The options: their names, and what each sets. */
enum { O_COVER = 256, O_TEMPLATES, O_CHAPTERS, O_TOC, O_SERIES, O_SINCE, O_UNTIL, O_CATEGORY, O_TAG,
       O_REVERSE, O_DRAFTS, O_UNPUB, O_NOSTITCH, O_VERT, O_HORIZ, O_STRICT, O_FETCH, O_CACHE, O_SOURCE, O_MEDIA, O_PAGES, O_COMMENTS,
       O_IMGPX, O_MAXSIZE, O_MATH, O_NOHL };
enum { O_VOLUMES = 512, O_VOLSIZE, O_SRCLINKS, O_LINKNOTES };
enum { O_CACHEMAX = O_NOHL + 57 };
enum { O_PREVIEW = 640, O_PORT };
static const struct option S_lo[] = {
	{ "output", required_argument, NULL, 'o' }, { "title", required_argument, NULL, 't' },
	{ "author", required_argument, NULL, 'a' }, { "lang", required_argument, NULL, 'l' },
	{ "cover", required_argument, NULL, O_COVER }, { "templates", required_argument, NULL, O_TEMPLATES },
	{ "chapters", required_argument, NULL, O_CHAPTERS }, { "toc-depth", required_argument, NULL, O_TOC },
	{ "series", required_argument, NULL, O_SERIES }, { "since", required_argument, NULL, O_SINCE },
	{ "until", required_argument, NULL, O_UNTIL }, { "category", required_argument, NULL, O_CATEGORY },
	{ "tag", required_argument, NULL, O_TAG }, { "reverse", no_argument, NULL, O_REVERSE },
	{ "drafts", no_argument, NULL, O_DRAFTS }, { "unpublished", no_argument, NULL, O_UNPUB },
	{ "no-stitch", no_argument, NULL, O_NOSTITCH }, { "vertical", no_argument, NULL, O_VERT },
	{ "horizontal", no_argument, NULL, O_HORIZ }, { "strict", no_argument, NULL, O_STRICT },
	{ "fetch-remote", no_argument, NULL, O_FETCH }, { "cache-dir", required_argument, NULL, O_CACHE },
	{ "cache-max", required_argument, NULL, O_CACHEMAX }, { "jobs", required_argument, NULL, 'j' },
	{ "source", required_argument, NULL, O_SOURCE }, { "media", required_argument, NULL, O_MEDIA },
	{ "pages", no_argument, NULL, O_PAGES }, { "comments", no_argument, NULL, O_COMMENTS },
	{ "math", required_argument, NULL, O_MATH }, { "no-highlight", no_argument, NULL, O_NOHL },
	{ "image-max-px", required_argument, NULL, O_IMGPX }, { "max-size", required_argument, NULL, O_MAXSIZE },
	{ "dry-run", no_argument, NULL, 'n' }, { "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "volumes", required_argument, NULL, O_VOLUMES }, { "volume-size", required_argument, NULL, O_VOLSIZE },
	{ "source-links", no_argument, NULL, O_SRCLINKS }, { "link-notes", no_argument, NULL, O_LINKNOTES },
	{ "preview", no_argument, NULL, O_PREVIEW }, { "port", required_argument, NULL, O_PORT },
	{ NULL, 0, NULL, 0 }
};

/* The number optarg of option --name, from lo to hi, into *v; -1 with a
 * message when it is none. */
static int
S_number(const char *name, long lo, long hi, long *v)
{
	char *end;
	long n = strtol(optarg, &end, 10);
	if (*end || !*optarg || n < lo || n > hi) {
		fprintf(stderr, "blogbind: --%s takes a number from %ld to %ld, not '%s'\n", name, lo, hi, optarg);
		return -1;
	}
	*v = n;
	return 0;
}

/* Applies option c (its argument in optarg) to o and u. Returns 0, 1 when
 * the program is done (--help, --version), 2 on a usage error. */
static int
S_option(int c, bb_options *o, ui *u, int *dry, int *ncat, int *ntag)
{
	char *end;
	long v;

	switch (c) {
	case 'o': o->output = optarg; break;
	case 't': o->title = optarg; break;
	case 'a': o->author = optarg; break;
	case 'l': o->lang = optarg; break;
	case O_COVER: o->cover = optarg; break;
	case O_TEMPLATES: o->templates_dir = optarg; break;
	case O_CHAPTERS:
		if (strcmp(optarg, "post") == 0) o->chapters = BB_CHAPTERS_POST;
		else if (strcmp(optarg, "year") == 0) o->chapters = BB_CHAPTERS_YEAR;
		else if (strcmp(optarg, "month") == 0) o->chapters = BB_CHAPTERS_MONTH;
		else if (strcmp(optarg, "category") == 0) o->chapters = BB_CHAPTERS_CATEGORY;
		else if (strcmp(optarg, "series") == 0) o->chapters = BB_CHAPTERS_SERIES;
		else {
			fprintf(stderr, "blogbind: --chapters takes post, year, month, category or series, not '%s'\n", optarg);
			return 2;
		}
		break;
	case O_TOC:
		if (S_number("toc-depth", 1, 6, &v) < 0)
			return 2;
		o->toc_depth = (int)v;
		break;
	case O_SERIES: o->series = optarg; break;
	case O_SINCE:
	case O_UNTIL:
		if (strlen(optarg) < 4 || !(optarg[0] >= '0' && optarg[0] <= '9')) {
			fprintf(stderr, "blogbind: %s takes a date YYYY-MM-DD, not '%s'\n", c == O_SINCE ? "--since" : "--until", optarg);
			return 2;
		}
		if (c == O_SINCE) o->since = optarg;
		else o->until = optarg;
		break;
	case O_CATEGORY:
		if (*ncat >= BB_MAX_FILTERS) {
			fprintf(stderr, "blogbind: at most %d --category options\n", BB_MAX_FILTERS);
			return 2;
		}
		o->categories[(*ncat)++] = optarg;
		break;
	case O_TAG:
		if (*ntag >= BB_MAX_FILTERS) {
			fprintf(stderr, "blogbind: at most %d --tag options\n", BB_MAX_FILTERS);
			return 2;
		}
		o->tags[(*ntag)++] = optarg;
		break;
	case O_REVERSE: o->reverse = 1; break;
	case O_DRAFTS: o->drafts = 1; break;
	case O_UNPUB: o->unpublished = 1; break;
	case O_NOSTITCH: o->stitch = 0; break;
	case O_VERT: o->vertical = 1; break;
	case O_HORIZ: o->vertical = 0; break;
	case O_STRICT: o->strict = 1; break;
	case O_FETCH: o->fetch_remote = 1; break;
	case O_CACHE: o->cache_dir = optarg; break;
	case O_CACHEMAX: /* MB; 0: no bound */
		if (S_number("cache-max", 0, 10000000L, &o->cache_max_mb) < 0)
			return 2;
		break;
	case O_SOURCE: o->source = optarg; break;
	case O_MEDIA: o->media_dir = optarg; break;
	case O_PAGES: o->pages = 1; break;
	case O_COMMENTS: o->comments = 1; break;
	case O_MATH:
		if (strcmp(optarg, "mathml") != 0 && strcmp(optarg, "tex") != 0) {
			fprintf(stderr, "blogbind: --math takes mathml or tex, not '%s'\n", optarg);
			return 2;
		}
		o->math = optarg[0] == 'm';
		break;
	case O_NOHL: o->highlight = 0; break;
	case O_IMGPX:
		return S_number("image-max-px", 1, 100000L, &o->image_max_px) < 0 ? 2 : 0;
	case O_MAXSIZE:
		return S_number("max-size", 1, 100000L, &o->max_size_mb) < 0 ? 2 : 0;
	case 'j':
		if (S_number("jobs", 1, 64, &v) < 0)
			return 2;
		o->jobs = (int)v;
		break;
	case O_VOLUMES:
		if (strcmp(optarg, "year") == 0) o->volumes = BB_VOLUMES_YEAR;
		else if (strcmp(optarg, "month") == 0) o->volumes = BB_VOLUMES_MONTH;
		else if ((o->volume_posts = strtol(optarg, &end, 10)) >= 1 && o->volume_posts <= 1000000L && !*end)
			o->volumes = BB_VOLUMES_POSTS;
		else {
			fprintf(stderr, "blogbind: --volumes takes year, month or a number of posts, not '%s'\n", optarg);
			return 2;
		}
		break;
	case O_VOLSIZE:
		return S_number("volume-size", 1, 100000L, &o->volume_size_mb) < 0 ? 2 : 0;
	case O_SRCLINKS: o->source_links = 1; break;
	case O_LINKNOTES: o->link_notes = 1; break;
	case O_PREVIEW: u->preview = 1; break;
	case O_PORT:
		return S_number("port", 0, 65535, &u->port) < 0 ? 2 : 0;
	case 'n': *dry = 1; break;
	case 'q': u->quiet = 1; break;
	case 'v': u->verbose = 1; break;
	case 'h': S_usage(stdout); return 1;
	case 'V': printf("blogbind %s\n", bb_version()); return 1;
	default:
		fputs("Try 'blogbind --help'.\n", stderr);
		return 2;
	}
	return 0;
}

/* --dry-run with --volumes: the book's plan kept, then said per volume. */
typedef struct dry_vol {
	bb_plan_entry *v;
	size_t n, cap;
} dry_vol;

static char *
S_dup(const char *s)
{
	char *d = malloc(strlen(s) + 1);
	if (!d) {
		fputs("blogbind: out of memory\n", stderr);
		exit(1);
	}
	return strcpy(d, s);
}

static void
S_keep(void *ctx, const bb_plan_entry *e)
{
	dry_vol *d = ctx;
	bb_plan_entry *k;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 256;
		if (!(d->v = realloc(d->v, d->cap * sizeof *d->v))) {
			fputs("blogbind: out of memory\n", stderr);
			exit(1);
		}
	}
	k = &d->v[d->n++];
	k->chapter_index = e->chapter_index;
	k->chapter = S_dup(e->chapter), k->date = S_dup(e->date), k->title = S_dup(e->title), k->file = S_dup(e->file);
}

static void
S_volume(void *ctx, const bb_plan_volume *v)
{
	const dry_vol *d = ctx;
	size_t i, last = (size_t)-1;
	printf("volume %zu, %s: %zu post%s -> ", v->number, v->label, v->nposts, v->nposts == 1 ? "" : "s");
	S_put_clean(stdout, v->file);
	putchar('\n');
	for (i = 0; i < v->nposts; i++)
		if (v->posts[i] < d->n)
			S_plan(&last, &d->v[v->posts[i]]);
}

/* --dry-run: the plan, nothing written; with --volumes, per volume. */
static int
S_dry_run(const bb_options *o)
{
	bb_blog *b = bb_collect(o);
	size_t last = (size_t)-1, n, nv, i;
	dry_vol d = { NULL, 0, 0 };
	if (!b)
		return 1;
	S_put_clean(stdout, bb_blog_title(b));
	putchar('\n');
	if (o->volumes == BB_VOLUMES_NONE && o->volume_size_mb <= 0)
		n = bb_blog_plan(b, S_plan, &last);
	else {
		n = bb_blog_plan(b, S_keep, &d);
		nv = bb_blog_plan_volumes(b, S_volume, &d);
		printf("%zu volume%s%s; ", nv, nv == 1 ? "" : "s", o->volume_size_mb > 0 ? " (sizes estimated)" : "");
		for (i = 0; i < d.n; i++) {
			free((char *)d.v[i].chapter), free((char *)d.v[i].date);
			free((char *)d.v[i].title), free((char *)d.v[i].file);
		}
		free(d.v);
	}
	printf("%zu posts; nothing written (--dry-run)\n", n);
	bb_blog_free(b);
	return 0;
}

int
main(int argc, char **argv)
{
	bb_options o;
	bb_report r;
	ui u;
	int c, dry = 0, ncat = 0, ntag = 0, rc;

#ifdef __GLIBC__
	/* blocks of 128 KB and more from mmap, back to the system when freed:
	 * glibc otherwise raises that bound to the largest block freed (the
	 * post array, the maps' tables: up to 32 MB) and later blocks under
	 * it leave holes in the heap. 100,000 posts: 161 -> 148 MB peak RSS */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
	bb_options_init(&o);
	if (getenv("BB_FETCH_TIMEOUT"))
		o.fetch_timeout = strtol(getenv("BB_FETCH_TIMEOUT"), NULL, 10);
	memset(&u, 0, sizeof u);
	while ((c = getopt_long(argc, argv, "o:t:a:l:j:nqvhV", S_lo, NULL)) != -1) {
		if ((rc = S_option(c, &o, &u, &dry, &ncat, &ntag)) != 0)
			return rc == 1 ? 0 : 2;
	}
	if (optind + 1 != argc) {
		fputs(optind >= argc ? "blogbind: no blog folder given\n" : "blogbind: one blog folder at a time\n", stderr);
		fputs("usage: blogbind [OPTIONS] SOURCE_DIR [-o BOOK.epub]; try 'blogbind --help'.\n", stderr);
		return 2;
	}
	o.source_dir = argv[optind];
	u.src = o.source_dir;
	u.tty = isatty(2);
	u.start = S_now();
	o.diag = S_diag;
	o.diag_ctx = &u;
	o.progress = S_progress;
	o.progress_ctx = &u;
	{
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = S_on_signal;
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	if (dry)
		return S_dry_run(&o);
	rc = bb_build(&o, &r);
	S_clear_line(&u);
	if (rc != 0)
		return 1;
	if (!u.quiet && r.volumes)
		fprintf(stderr, "blogbind: wrote %zu volumes, the first %s: %zu posts, %zu chapters, %zu images, %zu warning%s, %.1f KB, %.2f s\n",
			r.volumes, r.output, r.posts, r.chapters, r.images, r.warnings, r.warnings == 1 ? "" : "s", r.bytes / 1024.0,
			S_now() - u.start);
	else if (!u.quiet)
		fprintf(stderr, "blogbind: wrote %s: %zu post%s, %zu chapter%s, %zu image%s, %zu warning%s, %.1f KB, %.2f s\n",
			r.output, r.posts, r.posts == 1 ? "" : "s", r.chapters, r.chapters == 1 ? "" : "s", r.images,
			r.images == 1 ? "" : "s", r.warnings, r.warnings == 1 ? "" : "s", r.bytes / 1024.0, S_now() - u.start);
	if (u.preview)
		return preview_serve(r.output, u.port, &S_stop) ? 1 : 0;
	return 0;
}
