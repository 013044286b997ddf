/* source_hugo.c: a Hugo site: hugo.toml, config.toml or config.yaml (or
 * config/_default/), posts under content/post*, content/blog; Hugo's
 * shortcodes, static/ for root-relative files. */
#define _POSIX_C_SOURCE 200809L
#include "source.h"
#include "post.h"
#include "markdown.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static int
S_bid(const char *path, int is_dir)
{
	if (!is_dir || !bb_path_is(path, "content", 1))
		return 0;
	if (bb_path_is(path, "hugo.toml", 0) || bb_path_is(path, "hugo.yaml", 0) || bb_path_is(path, "config/_default", 1))
		return 90;
	if (bb_path_is(path, "config.toml", 0) || bb_path_is(path, "config.yaml", 0))
		return 75;
	return 40;
}

static int
S_config(bb_blog *b)
{
	static const struct { const char *name; int toml; } files[] = {
		{ "hugo.toml", 1 }, { "config.toml", 1 }, { "config.yaml", 0 }
	};
	size_t i;
	b->hugo = 1;
	b->dialect = BB_DIALECT_GOLDMARK;
	b->asset_dirs[0] = "static/";
	for (i = 0; i < sizeof files / sizeof *files && !b->config; i++)
		if ((b->config = bb_config_read(b, files[i].name, files[i].toml)))
			b->config_name = files[i].name;
	if (!b->config_name)
		b->config_name = "hugo.toml";
	return 0;
}

static long
S_posts(bb_blog *b)
{
	bb_finder f;
	char *content = bb_xasprintf("%s/content", b->root);
	size_t n, i;
	char **names = bb_list_dir(content, &n);
	long r;
	bb_finder_init(&f, b->root, b->root_real, &b->diags);
	/* a post's translations (index.zh-cn.md beside index.en.md) are not
	 * posts of their own: the default content language's are bound */
	f.accept = bb_accept_language;
	f.ud = (void *)(b->config && bb_fm_str(b->config, "defaultContentLanguage")
				? bb_fm_str(b->config, "defaultContentLanguage")
				: "en");
	for (i = 0; i < n; i++)
		if (strncmp(names[i], "post", 4) == 0 || strcmp(names[i], "blog") == 0) {
			char *rel = bb_xasprintf("content/%s", names[i]);
			bb_walk_posts(&f, rel, NULL, 0);
			free(rel);
		}
	bb_list_free(names, n);
	free(content);
	r = bb_blog_add_found(b, &f, 0);
	bb_finder_free(&f);
	return r;
}

static char *
S_url(const bb_blog *b, const bb_post *p)
{
	const char *sec;
	size_t n;
	if (p->permalink)
		return bb_xstrdup(p->permalink);
	sec = p->path + strlen("content/");
	n = strcspn(sec, "/");
	return bb_xasprintf("/%.*s/%s/", (int)n, sec, p->slug);
}

const bb_source bb_source_hugo = {
	"hugo", "a Hugo site", "a content folder beside hugo.toml, config.toml or config.yaml",
	S_bid, S_config, S_posts, S_url, NULL, NULL, NULL
};
