/* entry.h: the neutral list an export file is read into (WordPress WXR,
 * Blogger Atom): the site's settings and one entry per post, page or
 * attachment, with its comments, before any filtering or rendering. */
#ifndef BB_ENTRY_H
#define BB_ENTRY_H

#include <stddef.h>
#include <stdio.h>

/* An approved comment. Strings are UTF-8, never NULL (empty when absent). */
typedef struct bb_comment {
	char *id;
	char *author;
	char *date;      /* "YYYY-MM-DD HH:MM:SS", GMT when the export has it */
	char *text;      /* as stored (WordPress: plain text with newlines and some HTML) */
	char *parent_id; /* "0" or "" for a top-level comment */
	char *type;      /* "" or "comment" for comments; "pingback", "trackback" */
} bb_comment;

/* A post, page, attachment or other item of the export. Strings are UTF-8,
 * never NULL (empty when the export has none). The caller filters by type
 * and status: nothing is left out here but what the format says is not
 * content (Blogger's settings and templates). */
typedef struct bb_entry {
	char *id;        /* WordPress post ID; Blogger: the entry's id */
	char *type;      /* "post", "page", "attachment", "nav_menu_item", ... */
	char *status;    /* "publish", "draft", "private", "future", "pending", "inherit" */
	char *title;
	char *date;      /* "YYYY-MM-DD HH:MM:SS" GMT (wp:post_date_gmt, else wp:post_date) */
	char *date_local; /* wp:post_date as written (the blog's time zone) */
	char *author;    /* display name (login when the export names no display name) */
	char *slug;
	char *link;      /* the permalink on the live site */
	char *guid;
	char *excerpt;
	char **categories;
	size_t ncategories;
	char **tags;
	size_t ntags;
	char *body;      /* the content as stored (HTML, shortcodes, block comments); "" when spilled */
	size_t body_len;
	int markup;      /* how the body is written: 0 HTML, else mt.h's BB_MARKUP_* (Movable Type) */
	int spilled;     /* the body is body_len bytes at body_off of the export's spill file */
	long long body_off;
	char *parent_id; /* "0" or "" when none */
	char *attachment_url;
	char *thumbnail_id; /* WordPress: _thumbnail_id meta, "" when none */
	char *image_alt;    /* an attachment's alt text (_wp_attachment_image_alt), "" when none */
	unsigned line;   /* line of the entry's opening tag in the file */
	int truncated;   /* the file ended (or a bound was hit) inside this entry */
	bb_comment *comments;
	size_t ncomments;
} bb_entry;

/* An author named by the export (WordPress: wp:author). */
typedef struct bb_export_author {
	char *login;
	char *display_name;
} bb_export_author;

/* What an export file holds. */
typedef struct bb_export {
	char *kind;          /* "wordpress" or "blogger" */
	char *version;       /* WXR version ("1.2"), "" when not said */
	char *title;
	char *link;
	char *description;
	char *language;
	char *base_site_url;
	char *base_blog_url;
	bb_export_author *authors;
	size_t nauthors;
	bb_entry *entries;
	size_t nentries;
	int partial;         /* a bound or a broken file stopped the reading early */
	struct bb_entry **byid; /* entries sorted by id (bb_export_find builds it) */
	struct bb_entry **byparent; /* attachments sorted by parent (bb_export_children) */
	size_t nbyparent;
	FILE *spill;         /* bodies kept on disk, not in memory (bb_export_opts.spill) */
} bb_export;

/* Bounds on what an export reader keeps; zero fields take the defaults. */
typedef struct bb_export_opts {
	size_t max_total;  /* bytes of text kept over all entries (default 256 MB): past it the
			      reading stops with a warning and what was read is returned */
	size_t max_field;  /* bytes of one field, a body say (default 32 MB): the rest is cut with a warning */
	size_t max_items;  /* entries (default 1,000,000) */
	size_t max_list;   /* categories, tags or comments of one entry (default 10,000) */
	int spill;         /* bodies go to an unlinked temporary file, not memory: memory stays
			      bounded by the entries' metadata; read one back with bb_export_body */
} bb_export_opts;

/* A copy of entry e's body (caller frees), *len bytes, from memory or from
 * the spill file (safe from several threads); NULL when the spill file
 * cannot be read. */
char *bb_export_body(const bb_export *x, const bb_entry *e, size_t *len);

/* Keeps entry e's body (len bytes at body) in x's spill file. Returns 0, or
 * -1 when the file cannot be written (the body is then kept in memory). */
int bb_export_spill(bb_export *x, bb_entry *e, const char *body, size_t len);

/* Frees an export and everything it holds; NULL is allowed. */
void bb_export_free(bb_export *x);

/* Returns a new, empty export of kind (the strings set to ""). Free with
 * bb_export_free. */
bb_export *bb_export_new(const char *kind);

/* Appends a zeroed entry (every string "") and returns it; valid until the
 * next call. */
bb_entry *bb_export_add_entry(bb_export *x);

/* The entry whose id is id, or NULL. The first call sorts an index (so
 * call it once before threads share the export; an entry added later
 * drops the index). */
const bb_entry *bb_export_find(bb_export *x, const char *id);

/* The attachments whose parent is parent_id, in file order: *n of them
 * from the returned array (valid until an entry is added). Indexed on the
 * first call, as bb_export_find. */
bb_entry *const *bb_export_children(bb_export *x, const char *parent_id, size_t *n);

/* Drops the index, after entries were added. */
void bb_export_reindex(bb_export *x);

/* Frees the strings and lists an entry holds (not the entry itself). */
void bb_entry_clear(bb_entry *e);

/* The array v of n elements of size bytes, made room for one more (it
 * grows by doubling: use it for every append to the same array). */
void *bb_grow(void *v, size_t n, size_t size);

/* Appends s (copied) to a string list. */
void bb_strlist_add(char ***v, size_t *n, const char *s);

#endif
