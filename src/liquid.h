/* liquid.h: runs the Liquid that Jekyll posts carry, as Jekyll does, and turns plugin tags into Markdown before cmark sees it. */
#ifndef BB_LIQUID_H
#define BB_LIQUID_H

#include <stddef.h>

#include "fm.h"

/* What the converter asks of its caller. Every member may be NULL: with no
 * resolve nothing resolves, with no lookup every variable is unknown, with
 * no warn warnings are dropped. */
typedef struct bb_liquid_ctx {
	/* kind is "post_url" or "link"; arg is the tag's argument with quotes
	 * stripped. Returns a newly allocated URL (liquid frees it) or NULL when
	 * unknown. */
	char *(*resolve)(void *ud, const char *kind, const char *arg);
	/* name like "site.baseurl" or "page.title" (as written, also for other
	 * names such as "theme"); returns a borrowed string that must stay valid
	 * until the call returns, or NULL when unknown. Asked only when the
	 * trees of bb_liquid_env do not hold the name. */
	const char *(*lookup)(void *ud, const char *name);
	/* line and col are 1-based within the text given; col counts bytes.
	 * msg is valid only during the call. */
	void (*warn)(void *ud, unsigned line, unsigned col, const char *msg);
	void *ud;
} bb_liquid_ctx;

/* Tag names a site declares (the Ruby files in its _plugins), so that an unknown block
 * tag's body is parsed as a body. Built once per blog, read by every
 * render (it is not changed while renders run). */
typedef struct bb_liquid_tags bb_liquid_tags;

/* Returns a new, empty set of names (caller frees with bb_liquid_tags_free). */
bb_liquid_tags *bb_liquid_tags_new(void);

/* Frees t; NULL is allowed. */
void bb_liquid_tags_free(bb_liquid_tags *t);

/* Records name as a tag (is_block 0) or a block with an end tag (1); a
 * later call for the same name replaces the earlier one. At most 512 names
 * are kept. */
void bb_liquid_tags_add(bb_liquid_tags *t, const char *name, int is_block);

/* Returns 1 when name was recorded as a block, 0 as a tag, -1 unknown. */
int bb_liquid_tags_kind(const bb_liquid_tags *t, const char *name);

/* Reads the Ruby files (*.rb) directly in dir (a site's _plugins) and
 * records every `Liquid::Template.register_tag('name', Class)`: a block
 * when `class Class < Liquid::Block` (or any ...Block) is declared in one
 * of them, a tag otherwise. At most 256 files of 1 MiB each are read.
 * Returns the number of names recorded, or -1 when dir cannot be opened. */
int bb_liquid_tags_scan_plugins(bb_liquid_tags *t, const char *dir);

/* What a full render may see besides ctx; every member may be NULL. The
 * trees are borrowed and must outlive the call. */
typedef struct bb_liquid_env {
	const bb_fm_node *site;  /* _config.yml: site.* */
	const bb_fm_node *data;  /* the _data tree: site.data */
	const bb_fm_node *posts; /* a SEQ of MAPs (title, url, date...): site.posts */
	/* when posts is NULL: site.posts made on its first use (NULL: none) */
	const bb_fm_node *(*posts_fn)(void *ud);
	void *posts_ud;
	const bb_fm_node *page;  /* the post's front matter: page.* */
	/* {% include NAME %}: returns the text of _includes/NAME, newly
	 * allocated (liquid frees it) with *len set, or NULL when there is no
	 * such file (bb_liquid_read_include does it for a folder). */
	char *(*read_include)(void *ud, const char *name, size_t *len);
	/* {% include_relative NAME %}: the same for a file beside the post
	 * (bb_liquid_read_relative does it). */
	char *(*read_relative)(void *ud, const char *name, size_t *len);
	const bb_liquid_tags *tags;  /* the site's declared plugin tags */
} bb_liquid_env;

/* Reads root_real/_includes/name for {% include %}: name must be a relative
 * path without ".." parts, and the file's real path must lie inside
 * root_real/_includes; at most 1 MiB. Returns the newly allocated text
 * (sets *len) or NULL. */
char *bb_liquid_read_include(const char *root_real, const char *name, size_t *len);

/* Reads name relative to the folder of post_path (a path relative to
 * root_real) for {% include_relative %}, under the same rules inside
 * root_real. Returns the newly allocated text (sets *len) or NULL. */
char *bb_liquid_read_relative(const char *root_real, const char *post_path, const char *name, size_t *len);

/* Returns 1 when text may contain Liquid (a "{%" or "{{"), 0 otherwise.
 * Costs one memchr pass; a caller may skip bb_liquid_render on 0. */
int bb_liquid_present(const char *text, size_t len);

/* Runs the Liquid in text (len bytes, front matter already removed):
 * - objects {{ expr | filter: args }} with variables from assign, capture,
 *   for, include, env's trees (site.*, site.data.*, site.posts, page.*) and
 *   then ctx->lookup; the standard Liquid filters and Jekyll's; an unknown
 *   filter is a warning and leaves the value as it is; an unknown variable
 *   in an output is a warning (once per place) and prints nothing;
 * - tags assign, capture, if/elsif/else, unless, case/when, for (limit,
 *   offset, reversed, ranges, forloop.*, break, continue, else), cycle,
 *   increment, decrement, echo, raw, comment, {% # %}, include (through
 *   env->read_include, with include.* parameters, nested up to 10 deep),
 *   include_relative (env->read_relative); {{ }} in the arguments of
 *   include, link and plugin tags is expanded first; nothing is run when
 *   env->page says render_with_liquid: false;
 * - {% highlight LANG %} becomes a fenced code block; {% post_url X %} and
 *   {% link X %} ctx->resolve's URL (or, with a warning, the argument), a
 *   {{ site.url }}/{{ site.baseurl }} written right before them dropped;
 * - plugin tags become Markdown: fn/footnote/footnotes (footnotes),
 *   gist, youtube, vimeo, tweet, video (links), img/image/lightbox/figure
 *   (images), math/m (TeX between $$, kramdown's math), blockquote/pullquote,
 *   codeblock (fenced code); any other tag keeps its arguments (without
 *   --options; cite's key in brackets) and a block its body, as text,
 *   with a warning;
 * - {%- -%} and {{- -}} trim whitespace like Liquid;
 * - an unterminated {% or {{ stays as text (one warning per call), an
 *   unclosed block is closed at the end of the text (with a warning).
 * Bounds, each with a warning at the tag: 100,000 loop iterations per call
 * in all, includes 10 deep and 1,000 in all, blocks 100 deep, lists of
 * 100,000 items, values 32 levels deep and a million values wide, 3
 * million item steps of filters (sort, group_by, map...); the output
 * grows by at most 4 * len + 1 MiB over the input; past the last two the
 * rest of the Liquid output is dropped (the text around it stays).
 * Returns a newly allocated NUL-terminated string (caller frees) and sets
 * *out_len (when out_len is not NULL). Never fails (aborts on OOM). */
char *bb_liquid_render_env(const char *text, size_t len, const bb_liquid_ctx *ctx,
	const bb_liquid_env *env, size_t *out_len);

/* bb_liquid_render_env with no env. */
char *bb_liquid_render(const char *text, size_t len, const bb_liquid_ctx *ctx,
	size_t *out_len);

#endif
