/* sitedata.h: a Jekyll site's _data folder (YAML, JSON, CSV, TSV, nested folders) read into one tree: site.data. */
#ifndef BB_SITEDATA_H
#define BB_SITEDATA_H

#include "blog.h"
#include "diag.h"
#include "fm.h"

/* Reads root_real/_data: each file becomes the value of its name without
 * the extension (.yml/.yaml/.json: its document; .csv/.tsv: a list of
 * maps keyed by the first row), each folder a nested map. A file that
 * cannot be read or parsed gets a warning at _data/FILE:line:col in dl
 * (which may be NULL) and is left out; the rest is kept. Files and folders
 * whose real path leaves the folder, hidden names and other extensions are
 * skipped. Bounds: 8 folder levels, 2,000 files, 4 MiB a file, 64 MiB in
 * all. Returns a MAP (the caller frees it with bb_fm_free), or NULL when
 * there is no _data folder. */
bb_fm_node *bb_site_data_load(const char *root_real, bb_diaglist *dl);

/* site.posts for Liquid: a SEQ with one MAP per post of posts (n of them),
 * newest first as Jekyll orders them, with title, url, date (YYYY-MM-DD),
 * id, slug, path, author, excerpt, lang, tags and categories (lists).
 * Returns a tree the caller frees with bb_fm_free (an empty SEQ when n is
 * 0). Reads the posts only. */
bb_fm_node *bb_site_posts_tree(const bb_post *posts, size_t n);

/* site.posts of blog ud (a bb_blog *) for bb_liquid_env.posts_fn: the tree
 * of its posts (every volume's while a volume is written), made on the
 * first call and kept on the blog (thread-safe), so that a blog whose
 * Liquid never reads site.posts never holds it. */
const bb_fm_node *bb_site_posts_lazy(void *ud);

#endif
