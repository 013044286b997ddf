/* post.h: reading a post, shared by every source: the file as UTF-8 text,
 * its front matter, and the metadata filled the same way for all. */
#ifndef BB_POST_H
#define BB_POST_H

#include "blog.h"
#include "walk.h"

/* Reads the post file fd (relative to b's folder) into p: the date and slug
 * from its name, its front matter (YAML or TOML), then the source's own
 * meta hook. need_date: a post not in a draft folder must be named
 * YYYY-MM-DD-slug (Jekyll), else it is not a post. meta (may be NULL) is
 * the source's own reading (bb_source.meta). Diagnostics go to dl (a
 * meta hook writes to b->diags: give it &b->diags when meta is set).
 * Returns 0, or -1 when the post is left out (then p holds what must be
 * freed with bb_post_free). Without meta it reads b and writes only p and
 * dl, so posts can be read on several threads at once. */
typedef void (*bb_post_meta_fn)(bb_blog *b, bb_post *p, const bb_fm_node *tree, const char *text, size_t len,
				int *dated);
int bb_post_from_file(bb_blog *b, bb_post *p, const bb_found *fd, int need_date, bb_post_meta_fn meta,
		      bb_diaglist *dl);

/* Splits text's front matter off and parses it, with positioned warnings.
 * Returns the map (caller frees with bb_fm_free) or NULL when there is none
 * or it is not a map. Warnings go to dl. */
bb_fm_node *bb_post_fm(bb_diaglist *dl, const bb_post *p, const char *text, size_t len);

/* Fills p's fields from a front matter map: title, date, slug, author,
 * excerpt, lang, permalink, categories, tags, aliases, series, part,
 * published, draft. Sets *dated when the front matter gives a date.
 * Warnings go to dl. */
void bb_post_meta(bb_diaglist *dl, bb_post *p, const bb_fm_node *tree, int *dated);

/* The last steps every source takes: categories from folders (cats, space
 * separated, may be NULL), a title from the slug when none, the date as
 * YYYY-MM-DD, a note (to dl) when the post has no date. */
void bb_post_finish(bb_diaglist *dl, bb_post *p, const char *cats, int dated);

/* Frees what p holds (not p). */
void bb_post_free(bb_post *p);

/* Moves p's strings and lists (all but body, headings and spooled) into
 * block (bb_post_pack_size(p) bytes, aligned for a pointer; the caller's,
 * freed after p), p->pack: a post's dozen small blocks cost malloc about
 * as much again as their bytes (100,000 posts: tens of megabytes, issue
 * 16). Once packed, none of them may be replaced or freed alone. Does
 * nothing to a post packed in a block not its own, whose size is 0. */
size_t bb_post_pack_size(const bb_post *p);
void bb_post_pack(bb_post *p, void *block);

/* Packs p's strings and lists into a block of its own, as soon as the post
 * is read: one malloc a post instead of a dozen while a blog's posts are
 * collected (100,000 posts: tens of megabytes at the collect's peak, issue
 * 16). A string set after (its url, its id) is held apart and freed on
 * its own; the strings packed may not be replaced or freed alone.
 * bb_post_pack moves them all into the blog's block later, and
 * bb_post_free frees both kinds. Does nothing to a packed post. */
void bb_post_pack_own(bb_post *p);

/* The name of an author given as a string, a map with name, or a list of
 * either. Caller frees; NULL when none. */
char *bb_fm_author(const bb_fm_node *map, const char *key);

/* A BCP 47 tag from what blogs write ("ja_JP" -> "ja-JP"); NULL when s is
 * not one. Caller frees. */
char *bb_lang_tag(const char *s);

/* Appends a copy of s to the list *v of *n strings unless empty, already
 * there, or the list holds 256. */
void bb_strv_add(char ***v, size_t *n, const char *s);

/* "my-first-post" -> "My first post". Caller frees. */
char *bb_title_from_slug(const char *slug);

#endif
