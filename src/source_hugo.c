/* source_hugo.c: a Hugo site: hugo.toml, config.toml or config.yaml (or
 * config/_default/), posts under content/post*, content/blog; Hugo's
 * shortcodes, static/ for root-relative files. */
#define _POSIX_C_SOURCE 200809L
#include "source.h"
#include "postindex.h"
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

/* Appends key = value (a string) to the map cfg, where it wins over an
 * earlier one (bb_fm_get reads the last). */
static void
S_config_put(bb_fm_node *cfg, const char *key, const char *value)
{
	bb_buf t = BB_BUF_INIT;
	bb_fm_problem prob;
	bb_fm_node *tmp;
	const char *c;
	bb_buf_printf(&t, "%s = \"", key);
	for (c = value; *c; c++) {
		if (*c == '"' || *c == '\\')
			bb_buf_putc(&t, '\\');
		if ((unsigned char)*c >= 0x20)
			bb_buf_putc(&t, *c);
	}
	bb_buf_puts(&t, "\"\n");
	tmp = bb_fm_parse_toml(t.data, t.len, 1, &prob);
	if (tmp && tmp->kind == BB_FM_MAP && tmp->nkids == 2 && cfg->kind == BB_FM_MAP) {
		cfg->kids = bb_xrealloc(cfg->kids, (cfg->nkids + 2) * sizeof *cfg->kids);
		cfg->kids[cfg->nkids++] = tmp->kids[0];
		cfg->kids[cfg->nkids++] = tmp->kids[1];
		tmp->nkids = 0;
	}
	bb_fm_free(tmp);
	bb_buf_free(&t);
}

/* The site's title in its default content language, as Hugo shows it: the
 * language's own title ([languages.LANG] in the config,
 * config/_default/languages.toml or languages.LANG.toml) over the site's,
 * then params.title when the site has none. NULL when none is set. */
static char *
S_language_title(bb_blog *b, const char *lang)
{
	const bb_fm_node *l = NULL, *langs;
	const char *t = NULL;
	char *key = bb_xasprintf("languages.%s", lang), *file;
	bb_fm_node *own = NULL;
	if (b->config && !(l = bb_fm_get(b->config, key)) && (langs = bb_fm_get(b->config, "languages")))
		l = bb_fm_get(langs, lang);
	if (l && (t = bb_fm_str(l, "title")))
		goto out;
	/* config/_default/languages.LANG.toml: the language's keys */
	file = bb_xasprintf("config/_default/languages.%s.toml", lang);
	own = bb_config_read(b, file, 1);
	free(file);
	if (own && (t = bb_fm_str(own, "title")))
		goto out;
	bb_fm_free(own);
	own = bb_config_read(b, "config/_default/languages.toml", 1);
	if (own && (l = bb_fm_get(own, lang)) && (t = bb_fm_str(l, "title")))
		goto out;
	if (b->config && !bb_fm_str(b->config, "title")) {
		const bb_fm_node *params = bb_fm_get(b->config, "params");
		if (!(t = bb_fm_str(b->config, "params.title")) && params)
			t = bb_fm_str(params, "title");
	}
out:
	free(key);
	key = t ? bb_xstrdup(t) : NULL;
	bb_fm_free(own);
	return key;
}

static int
S_config(bb_blog *b)
{
	static const struct { const char *name; int toml; } files[] = {
		{ "hugo.toml", 1 }, { "config.toml", 1 }, { "config.yaml", 0 },
		{ "config/_default/hugo.toml", 1 }, { "config/_default/config.toml", 1 },
		{ "config/_default/hugo.yaml", 0 }, { "config/_default/config.yaml", 0 }
	};
	size_t i;
	char *title;
	const char *lang;
	b->hugo = 1;
	b->dialect = BB_DIALECT_GOLDMARK;
	b->asset_dirs[0] = "static/";
	for (i = 0; i < sizeof files / sizeof *files && !b->config; i++)
		if ((b->config = bb_config_read(b, files[i].name, files[i].toml)))
			b->config_name = files[i].name;
	if (!b->config_name)
		b->config_name = "hugo.toml";
	lang = b->config && bb_fm_str(b->config, "defaultContentLanguage") ? bb_fm_str(b->config, "defaultContentLanguage")
									     : "en";
	if ((title = S_language_title(b, lang))) {
		if (!b->config) {
			bb_fm_problem prob;
			b->config = bb_fm_parse_toml("", 0, 1, &prob);
		}
		if (b->config)
			S_config_put(b->config, "title", title);
		free(title);
	}
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
