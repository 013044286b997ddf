/* source.h: the kinds of blog blogbind reads, each one file behind this
 * small table of callbacks (as libarchive's formats are): asked to bid on a
 * path, the best bidder reads the site's settings and lists its posts; the
 * rest of the pipeline does not know which kind it was. */
#ifndef BB_SOURCE_H
#define BB_SOURCE_H

#include "blog.h"
#include "walk.h"

typedef struct bb_source {
	const char *name;   /* as --source takes it: "jekyll", "hugo", ... */
	const char *label;  /* for messages: "a Jekyll site" */
	const char *looks_for; /* what bid looks for, for the message when none bids */
	/* How sure the source is that path (a folder when is_dir, else a
	 * file) is a blog of its kind: 0 not at all .. 100 certain. Reads only
	 * names and the first bytes of files; never fails. */
	int (*bid)(const char *path, int is_dir);
	/* Reads the site's settings into b->config (and names the file in
	 * b->config_name) and sets the source's choices (macros, dialect,
	 * asset folders). Returns 0, or -1 with an error in b->diags. */
	int (*config)(bb_blog *b);
	/* Lists the posts: appends them to b->posts with bb_blog_new_post,
	 * their metadata filled (bb_post_from_file does it for files). Drafts
	 * and unpublished posts are listed too, marked: collect filters them.
	 * Returns the number of post files found, or -1 on an error. */
	long (*posts)(bb_blog *b);
	/* The post's path on the blog (its permalink), caller frees. */
	char *(*url)(const bb_blog *b, const bb_post *p);
	/* Optional: more metadata from the post's own front matter or text
	 * (tree may be NULL), after the common fields are read. */
	void (*meta)(bb_blog *b, bb_post *p, const bb_fm_node *tree, const char *text, size_t len, int *dated);
	/* Optional: where the body of a post's file (*text, *len bytes) starts
	 * when it is not after YAML/TOML front matter; it may also rewrite
	 * the text (a new malloc'd *text, the old one freed), e.g. the
	 * source's own link syntax into paths of the blog. Returns 0. */
	int (*split)(const bb_blog *b, const bb_post *p, char **text, size_t *len, size_t *off, unsigned *line);
	/* Optional: frees b->srcdata. */
	void (*release)(bb_blog *b);
} bb_source;

extern const bb_source bb_source_jekyll;
extern const bb_source bb_source_hugo;
extern const bb_source bb_source_hexo;
extern const bb_source bb_source_pelican;
extern const bb_source bb_source_zola;
extern const bb_source bb_source_eleventy;
extern const bb_source bb_source_markdown;
extern const bb_source bb_source_wordpress;
extern const bb_source bb_source_blogger;
extern const bb_source bb_source_movabletype;

/* The source for path: the one named by forced ("jekyll"...) when not
 * NULL, else the best bidder. Returns NULL when none (or no source of that
 * name); then *why says what was looked for, in a static string or one the
 * caller frees through *why_owned. */
const bb_source *bb_source_pick(const char *path, int is_dir, const char *forced, char **why_owned);

/* Appends a zeroed post to b->posts and returns it (valid until the next
 * call). */
bb_post *bb_blog_new_post(bb_blog *b);

/* Drops the last post appended (it was left out), freeing what it holds. */
void bb_blog_drop_post(bb_blog *b);

/* Reads a settings file of the blog's folder (YAML, or TOML when toml),
 * at most 1 MB; a syntax problem is a warning naming it. NULL when the
 * file is missing or not a map. */
bb_fm_node *bb_config_read(bb_blog *b, const char *name, int toml);

/* The text to render: *text (caller frees), *len bytes, the body starting
 * at *off on line *line of the source file. A post held in memory (an
 * export file's) gives its body; a file is read again (the source's split
 * hook, else front matter, tells where the body starts). Diagnostics about
 * the text go to dl. Returns 0 or -1 when the post cannot be read. */
int bb_post_body(const bb_blog *b, const bb_post *p, char **text, size_t *len, size_t *off, unsigned *line,
		 bb_diaglist *dl);

/* A settings map made of n key/value pairs (a NULL or empty value is left
 * out), for sources whose settings are not YAML or TOML. NULL when all
 * are empty. Caller frees with bb_fm_free. */
bb_fm_node *bb_config_from_pairs(const char *const *keys, const char *const *vals, size_t n);

/* The Jekyll permalink pattern pat expanded for p (":year/:title..."). */
char *bb_permalink_expand(const char *pat, const bb_post *p);

#endif
