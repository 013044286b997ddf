/* blogbind.h: the public interface of libblogbind, which binds a blog's
 * source folder into an EPUB 3 book.
 *
 * One call does it all:
 *
 *     bb_options o;
 *     bb_report r;
 *     bb_options_init(&o);
 *     o.source_dir = "myblog";
 *     o.output = "myblog.epub";
 *     if (bb_build(&o, &r) != 0) ... ;
 *
 * Behind bb_build stand the stages, usable one by one: bb_collect reads the
 * blog into a bb_blog (posts, chapters, settings), bb_blog_plan walks what the
 * book will hold, and bb_blog_write renders, packages and archives it.
 *
 * Errors and warnings are never printed by the library: each is handed to the
 * options' diagnostic callback as a bb_diag naming the file, line and column.
 */
#ifndef BLOGBIND_H
#define BLOGBIND_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The library's version, as "MAJOR.MINOR.PATCH". */
const char *bb_version(void);

/** Severity of a diagnostic. */
typedef enum bb_severity {
	BB_NOTE = 0,    /* an explanation of a decision (shown with -v) */
	BB_WARNING = 1, /* something was repaired or left out; the book is still made */
	BB_ERROR = 2    /* the book cannot be made */
} bb_severity;

/** One diagnostic. `path` names the file the problem is in as it can be
 * opened from the current folder (a post's path is the blog's folder joined
 * with the post's place in it), or is NULL; `line` and `col` are 1-based,
 * 0 when not known. All strings are valid only during the callback. */
typedef struct bb_diag {
	bb_severity severity;
	const char *path;
	unsigned line;
	unsigned col;
	const char *message;
} bb_diag;

/** Receives diagnostics, always from the thread that called the library and
 * in a stable order (the order of the posts), whatever the number of jobs. */
typedef void (*bb_diag_fn)(void *ctx, const bb_diag *d);

/** Receives progress while posts are rendered: done of total. */
typedef void (*bb_progress_fn)(void *ctx, size_t done, size_t total);

/** How posts are grouped into chapters. */
typedef enum bb_chapters {
	BB_CHAPTERS_UNSET = -1,
	BB_CHAPTERS_POST = 0,   /* each post is a chapter (default) */
	BB_CHAPTERS_YEAR,
	BB_CHAPTERS_MONTH,
	BB_CHAPTERS_CATEGORY,
	BB_CHAPTERS_SERIES
} bb_chapters;

/** How bb_build splits the blog into volumes: several books named after
 * the blog and the range they hold, each a volume of one series. */
typedef enum bb_volumes {
	BB_VOLUMES_NONE = 0, /* one book (default) */
	BB_VOLUMES_YEAR,     /* a volume a year: "Blog 2019.epub" */
	BB_VOLUMES_MONTH,    /* a volume a month: "Blog 2019-03.epub" */
	BB_VOLUMES_POSTS     /* volume_posts posts a volume: "Blog 1-50.epub" */
} bb_volumes;

/** The most values a repeatable filter option takes. */
#define BB_MAX_FILTERS 16

/** What to build and how. Initialise with bb_options_init, then set fields.
 * source_dir names the blog: a site's folder, or an export file
 * (WordPress WXR, Blogger Atom).
 * A string left NULL or a number left -1 is "unset": the blog's own
 * `blogbind:` settings in _config.yml apply, then the defaults. The library
 * keeps no pointer into this struct after the call returns. */
typedef struct bb_options {
	const char *source_dir;    /* the blog's folder or export file (required) */
	const char *output;        /* the .epub to write; NULL: named after the title */
	const char *title;         /* book title; default: _config.yml title */
	const char *author;        /* book author; default: _config.yml author */
	const char *lang;          /* BCP 47 language; default: _config.yml lang, else the posts' */
	const char *templates_dir; /* folder whose files replace the built-in templates */
	const char *cover;         /* cover image path, relative to the blog or absolute */
	const char *series;        /* only posts of this series, ordered by part */
	const char *since;         /* only posts dated on or after YYYY-MM-DD */
	const char *until;         /* only posts dated on or before YYYY-MM-DD */
	const char *categories[BB_MAX_FILTERS]; /* only posts in any of these */
	const char *tags[BB_MAX_FILTERS];       /* only posts with any of these */
	bb_chapters chapters;
	int toc_depth;      /* levels in the table of contents: 1 posts only; default 2 */
	int vertical;       /* 1: vertical writing, right-to-left pages */
	int reverse;        /* 1: newest post first */
	int drafts;         /* 1: include _drafts/ */
	int unpublished;    /* 1: include posts with published: false */
	int stitch;         /* 0: keep posts written in ---END--- segments as written */
	int strict;         /* 1: any warning fails the run and writes no book */
	int jobs;           /* rendering threads, 1..64 (more is an error); 0 or -1: one per core, at most 8 */
	int fetch_remote;   /* 1: download remote images into cache_dir and embed them */
	const char *cache_dir; /* where downloads are kept; NULL: SOURCE_DIR/.blogbind-cache */
	long fetch_timeout; /* seconds per download; -1: 30 */
	const char *source; /* the kind of blog ("jekyll", "hugo", "wordpress"...); NULL: found out */
	const char *media_dir; /* an export file's media (WordPress uploads); NULL: beside the file */
	int pages;          /* 1: an export's pages are bound too (after the posts) */
	int comments;       /* 1: an export's approved comments follow each post */
	int math;           /* 1 (default): formulas as MathML; 0: kept as TeX */
	int highlight;      /* 1 (default): code blocks with a language highlighted; 0: plain */
	bb_diag_fn diag;    /* may be NULL: diagnostics are then only counted */
	void *diag_ctx;
	bb_progress_fn progress; /* may be NULL */
	void *progress_ctx;
	long image_max_px;  /* images scaled down to this longest side; -1 or 0: as they are */
	long max_size_mb;   /* images recompressed and scaled until the book fits this many MB
			     * (1,000,000 bytes); -1 or 0: no limit */
	bb_volumes volumes; /* bb_build: the blog as several books, one series (see bb_volumes) */
	long volume_posts;  /* with BB_VOLUMES_POSTS: the posts of a volume */
	long volume_size_mb; /* bb_build: volumes kept under this many MB each (1,000,000 bytes),
			      * alone or within a year or month; 0 or -1: no bound */
	int source_links;   /* 1: each chapter ends with the post's address on the web and the
			     * date it was bound (SOURCE_DATE_EPOCH when set) */
	int link_notes;     /* 1: each link to the web gets a numbered endnote showing its URL */
	long cache_max_mb;  /* cache_dir's chapter entries (cache_dir/chapters) are kept under this many
			     * MB, the least recently used removed first; -1: 1000; 0: no bound */
} bb_options;

/** What a run did. */
typedef struct bb_report {
	size_t posts;       /* posts in the book */
	size_t chapters;    /* chapters in the table of contents */
	size_t images;      /* images embedded */
	size_t warnings;
	size_t errors;
	unsigned long long bytes; /* size of the book written */
	char output[4096];  /* the path written (or that would have been); with volumes, the first */
	size_t volumes;     /* books written with volumes (posts, bytes... are their sums); else 0 */
} bb_report;

/** Sets every field of o to "unset". */
void bb_options_init(bb_options *o);

/** Collects, renders, packages and writes the book named by o->output (or,
 * when NULL, "TITLE.epub" in the current folder). The book is written to a
 * temporary file and renamed over the output only when complete, so a failed
 * run leaves an existing book untouched. Fills *r when r is not NULL.
 * Returns 0 when the book was written, -1 when not (the reason was passed to
 * o->diag as a BB_ERROR).
 * With o->volumes or o->volume_size_mb, writes volumes instead, named
 * "TITLE RANGE.epub" (in the current folder; in o->output when it is a
 * folder; "NAME RANGE.epub" for an o->output "NAME.epub"), all renamed into
 * place together at the end, none when one fails; r then holds their sums. */
int bb_build(const bb_options *o, bb_report *r);

/** A collected blog: its settings and the posts that go into the book. */
typedef struct bb_blog bb_blog;

/** Reads the blog's settings and posts, applies filters and grouping.
 * Returns a blog the caller frees with bb_blog_free, or NULL on an error
 * (reported through o->diag). o's callbacks are kept for later stages; its
 * strings are copied. */
bb_blog *bb_collect(const bb_options *o);

/** Frees the blog; NULL is allowed. */
void bb_blog_free(bb_blog *b);

/** The book's title after settings are merged; valid while b lives. */
const char *bb_blog_title(const bb_blog *b);

/** One entry of the book's plan, handed to a bb_plan_fn. `chapter` is the
 * chapter's title; `file` the post's path relative to the blog's folder;
 * `date` is YYYY-MM-DD. Strings are valid only during the callback. */
typedef struct bb_plan_entry {
	size_t chapter_index;
	const char *chapter;
	const char *date;
	const char *title;
	const char *file;
} bb_plan_entry;
typedef void (*bb_plan_fn)(void *ctx, const bb_plan_entry *e);

/** Calls fn once per post in book order. Returns the number of posts. */
size_t bb_blog_plan(const bb_blog *b, bb_plan_fn fn, void *ctx);

/** One volume of the plan (o->volumes, o->volume_size_mb): its number
 * from 1, the range it holds ("2019", "2019-03", "1-50"), the file it
 * would be written to, and its posts as indexes into the book's order (as
 * bb_blog_plan counts them). Valid only during the callback. */
typedef struct bb_plan_volume {
	size_t number;
	const char *label;
	const char *file;
	const size_t *posts;
	size_t nposts;
} bb_plan_volume;
typedef void (*bb_volume_fn)(void *ctx, const bb_plan_volume *v);

/** Calls fn once per volume bb_build would write with b's options and
 * output (the blog's folder's name when NULL), nothing written. With
 * volume_size_mb the posts' sizes are estimated by rendering them (a
 * written volume that comes out larger is split again). Returns the number
 * of volumes; 0 when the options ask for none. */
size_t bb_blog_plan_volumes(bb_blog *b, bb_volume_fn fn, void *ctx);

/** Renders, packages and writes the book to path (atomically, as bb_build
 * does). Returns 0 or -1 (reported through the diagnostic callback). May be
 * called again on the same blog (another path, or after a failure). */
int bb_blog_write(bb_blog *b, const char *path, bb_report *r);

/** Asks a running bb_build/bb_blog_write to stop as soon as it can, leaving
 * no file behind. Safe to call from a signal handler. The request belongs
 * to that one run: it is forgotten when bb_blog_write returns and when
 * bb_build starts, so a later build in the same process runs. */
void bb_interrupt(void);

#ifdef __cplusplus
}
#endif

#endif
