/* blog.h: the collected blog shared by the stages (private to the library):
 * settings, posts in book order, chapter groups, and the maps that turn a
 * link or an image path into a place in the book. */
#ifndef BB_BLOG_H
#define BB_BLOG_H

#include "blogbind.h"
#include "date.h"
#include "diag.h"
#include "fm.h"
#include "map.h"
#include "template.h"

#include <pthread.h>
#include <stddef.h>

/* The largest post read; a longer one is cut with a warning. */
#define BB_MAX_POST_BYTES (8u << 20)
/* The largest image embedded. */
#define BB_MAX_IMAGE_BYTES (32u << 20)
/* The longest post or group id (naming.h), and file name of one of its
 * parts, with the terminating NUL. */
#define BB_ID_MAX 64
#define BB_NAME_MAX 96
/* A content file longer than this is split at a block boundary. */
#define BB_SPLIT_BYTES (240u * 1024u)

typedef struct bb_heading {
	int level;   /* 2..6 in the book (the post title is 1) */
	int part;    /* which file of the post holds it, 0-based */
	char *id;
	char *text;  /* NULL when deeper than the table of contents shows */
} bb_heading;

/* Where a rendered file sits in the spool, deflated. An offset with
 * BB_SPOOL_MEM set is no place in the spool but the address of the bytes
 * in memory: a reused chapter's, in its cache pack's mapping (build.c),
 * which lasts until the book is written. */
#define BB_SPOOL_MEM (1ULL << 63)
typedef struct bb_spooled {
	unsigned long long offset;
	unsigned long long size;      /* uncompressed */
	unsigned long long comp_size;
	unsigned long crc;
	unsigned props;   /* BB_PROP_ bits the package declares for the file */
} bb_spooled;

enum { BB_PROP_SVG = 1, BB_PROP_MATHML = 2, BB_PROP_REMOTE = 4 };

typedef struct bb_post {
	char *path;       /* relative to the blog's folder */
	char *slug;       /* the name without date and extension */
	char *basename;   /* file name without extension (for post_url) */
	char *title;      /* never NULL */
	char *author;     /* NULL: the book's */
	char *excerpt;
	char *lang;       /* NULL: the book's */
	char *permalink;  /* from front matter, NULL when none */
	char **categories;
	size_t ncategories;
	char **tags;
	size_t ntags;
	char **aliases;   /* other URLs of the post (Hugo aliases) */
	size_t naliases;
	char *series;
	long part;
	bb_date date;
	char ymd[16];
	char *body;       /* the body held in memory (an export file's post), or NULL: read the file */
	char *source_url; /* the post's address on the web, when the source knows it */
	char *source_id;  /* the source's own id (WordPress post ID), or NULL */
	unsigned source_index; /* the source's own index of the post (an export's entry), for its text hook */
	unsigned body_line; /* line of the body in the export file */
	char *asset_dir;  /* where the post's relative paths point first (Hexo's asset folder), or NULL */
	char *url;        /* the post's path on the blog, e.g. /2024/01/05/x.html */
	/* place in the book */
	char *id;         /* "p20240114-slug": XML id and file stem (naming.h), under BB_ID_MAX bytes */
	unsigned group;   /* index into blog->groups (grouped chapters) */
	/* filled by the render stage */
	unsigned props;
	unsigned long long outline_at; /* where its nheadings headings lie in b->outline (outkeep.h) */
	bb_spooled *spooled;   /* nparts entries */
	unsigned nheadings;
	int nparts;
	void *pack;       /* its strings and lists, packed in b->packs (bb_post_pack), or NULL */
	/* flags, a byte each: 100,000 records are all alive while the book is
	 * made (issue 16) */
	signed char draft;
	signed char published;
	signed char listing;      /* not a post at all (a page listing posts): always left out */
	signed char is_html;      /* the body is HTML, not Markdown */
	signed char lang_detected; /* lang was found from the text's scripts, not said */
	signed char rendered;
	signed char wants_node;   /* its text seems to need Node.js (post.c): rendered last */
	signed char own_pack;     /* pack is its own block (bb_post_pack_own), not the blog's */
} bb_post;

typedef struct bb_group {
	char *title;
	char id[BB_ID_MAX]; /* "g2019": XML id and file stem (naming.h) */
	size_t first, count;  /* posts[first .. first+count) */
	bb_spooled spooled;
} bb_group;

typedef struct bb_image {
	char *src;        /* resolved path relative to the blog's folder */
	char *name;       /* file name in the book, e.g. img/i1a2b3c4-photo.png */
	const char *media_type;
	char id[24];
	int ok;           /* 1: exists, readable, a known type */
	int is_cover;
} bb_image;


struct bb_blog {
	bb_options opt;         /* strings below are owned copies */
	char *root;             /* the blog's folder as given */
	char *root_real;        /* its realpath, for containment checks */
	char *export_path;      /* the export file a source reads, or NULL (root is then its folder) */
	bb_fm_node *config;     /* _config.yml */
	/* for Liquid (liquid.h), set at collect time on a Jekyll site, else NULL:
	 * site.data (bb_site_data_load), site.posts (bb_site_posts_tree) and
	 * the tag names its _plugins declare (bb_liquid_tags_scan_plugins) */
	bb_fm_node *site_data, *site_posts;
	struct bb_liquid_tags *liquid_tags;
	const bb_fm_node *settings; /* its blogbind: section, or NULL */
	char *title, *author, *lang, *description, *url, *baseurl, *permalink;
	char *identifier;       /* urn:uuid:... */
	char *modified;         /* dcterms:modified */
	const struct bb_source *src; /* the kind of blog */
	void *srcdata;          /* the source's own, freed by its release hook */
	const char *config_name; /* the settings file's name, for messages ("_config.yml") */
	const char *asset_dirs[4]; /* folders a root-relative path may also lie in ("static/") */
	/* set by a source that holds its posts' text itself (an export's post,
	 * made when it is rendered; p->body NULL): *len bytes from line *line;
	 * called from several threads. Returns 0, or -1 with an error in dl. */
	int (*post_text)(const bb_blog *b, const bb_post *p, char **text, size_t *len, unsigned *line,
			 bb_diaglist *dl);
	char *media_real;       /* --media DIR outside the blog's folder (its realpath): the export's
				 * /wp-content/uploads/ paths are read there, nothing else; or NULL */
	int hugo;               /* Hugo's shortcodes and URLs (set by the Hugo source) */
	int zola;               /* Zola's shortcodes (set by the Zola source) */
	int vertical;
	int dialect;            /* BB_DIALECT_* (markdown.h): the Markdown the blog's engine reads */
	int toc_depth;
	int stitch;
	bb_chapters chapters;
	bb_post *posts;
	size_t nposts, capposts;
	bb_group *groups;
	size_t ngroups;
	bb_map by_url;          /* normalised URL path -> post */
	bb_map by_name;         /* file basename (post_url) and path (link) -> post */
	bb_template_set *tpl;
	struct bb_pindex *pindex; /* --cache-dir's post index (postindex.h), or NULL */
	struct bb_pindex_ahead *pindex_ahead; /* it, being read ahead (bb_pindex_read_ahead) */
	/* images, shared by the render threads */
	pthread_mutex_t lock;
	bb_image *images;
	size_t nimages, capimages;
	bb_map by_image;
	long cover;             /* index into images, -1 none */
	bb_diagsink sink;
	bb_diaglist diags;      /* the main thread's pending diagnostics */
	/* a volume (volume.c): the series the book belongs to, and the posts
	 * of the blog's other volumes, whose links go to the web */
	const char *series_name; /* NULL: the --series name, if any (package.c) */
	long series_pos;         /* its place in the series, from 1 */
	const bb_post *all_posts; /* every post of the blog (nall) while a volume is written, else NULL */
	size_t nall;
	bb_map other_by_url, other_by_name; /* as by_url, by_name, into all_posts: other volumes' */
	char bound[16];          /* --source-links: the date bound, YYYY-MM-DD (render.c) */
	/* while rendering with the chapter cache (build.c): keeps the headings
	 * of post t from its entry; 0 when it did */
	int (*cached_outline)(void *ctx, size_t t);
	void *cached_outline_ctx;
	char *packs;             /* every post's strings and lists (bb_blog_pack_posts), or NULL */
	struct bb_ospool *outline; /* the posts' headings, kept from render to nav (outkeep.h), or NULL */
	int last_write;          /* bb_blog_write may drop the posts once the book's entries are made
				  * (bind.c: a single book, the blog freed after) */
};

/* The address on the web of post p (its source's, else the blog's url and
 * baseurl before the post's path), or NULL when the blog's url is not
 * known. Caller frees. */
char *bb_post_web_url(const bb_blog *b, const bb_post *p);

/* Frees what the posts keep (their strings, headings, the URL and name
 * maps, the post index, site data, the source's own) and empties
 * b->posts; b->images, b->groups and the book's metadata stay. keep (may
 * be NULL) is called with each post, in order, just before it is freed.
 * For the last write of a blog, before libzip is handed the entries. */
void bb_blog_drop_posts(bb_blog *b, void (*keep)(void *ctx, const bb_post *p), void *ctx);

/* Packs every post's strings into one block, b->packs (bb_post_pack,
 * post.h), makes by_name's keys the packed names, and gives malloc's
 * freed pages back to the system: done once, when the posts are
 * collected, before they are rendered. */
void bb_blog_pack_posts(bb_blog *b);

/* Most threads --jobs may ask for (bb_blog_write refuses more). */
#define BB_MAX_JOBS 64

/* The threads to work with: as --jobs asks (at most BB_MAX_JOBS), or one
 * per core up to 8 (post.c; the render's in build.c and collect's in
 * postindex.c). */
int bb_blog_threads(const bb_blog *b);

/* Language predicates, one set for every page (page.c): "rtl" for a
 * right-to-left language (Arabic, Hebrew, Persian, Urdu...), else "ltr";
 * 1 for Chinese, Japanese, Korean; 1 when pages in lang are set vertically
 * (a vertical book, a CJK language). lang may be NULL. */
const char *bb_lang_dir(const char *lang);
int bb_lang_cjk(const char *lang);
int bb_lang_vertical(const bb_blog *b, const char *lang);

/* Reads a post's file: decoded to UTF-8 without BOM or CR, invalid bytes
 * replaced by U+FFFD. Diagnostics go to dl when not NULL: always that the
 * file cannot be read or is not text; with text_warnings also what was
 * repaired (invalid UTF-8, a post cut at the size limit), so that each is
 * said once although the collect and render stages both read the file.
 * Returns 0, or -1 when the file cannot be read or is not text (then it is
 * skipped). Caller frees *text. */
int bb_post_read(const bb_blog *b, const bb_post *p, char **text, size_t *len, bb_diaglist *dl,
		 int text_warnings);

/* Resolves a path written in a post (src or href: root-relative "/x",
 * relative to the post "x", with the blog's baseurl) to a file inside the
 * blog's folder. Returns the path relative to the folder (caller frees), or
 * NULL when it leaves the folder or does not exist; *why says which. */
char *bb_resolve_local(const bb_blog *b, const bb_post *p, const char *ref, const char **why);

/* Registers an image of the blog (thread-safe); returns its index or -1
 * (missing, not an image, too large: *why says). */
long bb_image_add(bb_blog *b, const char *relpath, const char **why);

/* Registers an image kept outside the blog's folder by the program itself
 * (a download in the cache, a cover named on the command line), named in
 * the book from hash_from and the file name base (base_len bytes), so the
 * book does not depend on where the file lies. Returns as bb_image_add. */
long bb_image_add_file(bb_blog *b, const char *path, const char *hash_from, const char *base, size_t base_len,
		       const char **why);

/* An image whose src lies under /wp-content/uploads/ read from the media
 * folder the user named outside the blog's folder (b->media_real), never
 * from elsewhere: a path that leaves that folder (.., a symbolic link) is
 * refused. Returns the index as bb_image_add_file, -1 with *why, or -2
 * when src is not such a path (or there is no such folder). */
long bb_image_add_media(bb_blog *b, const char *src, const char **why);

/* Copies the book name of image idx (thread-safe: the table may grow while
 * other threads register images). */
void bb_image_name(bb_blog *b, long idx, char *out, size_t cap);

#endif
