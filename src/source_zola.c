/* source_zola.c: a Zola site: config.toml (base_url, title,
 * default_language), pages under content/ with +++ TOML front matter
 * (sections' _index.md are not posts), page bundles NAME/index.md with
 * their assets beside them, translations index.LANG.md (only the book's
 * language is bound), @/path.md internal links, static/ files. */
#define _POSIX_C_SOURCE 200809L
#include "source.h"
#include "postindex.h"
#include "post.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int
S_bid(const char *path, int is_dir)
{
	char *conf, *text = NULL;
	size_t len;
	int r = 0;
	if (!is_dir || !bb_path_is(path, "content", 1) || !bb_path_is(path, "config.toml", 0))
		return 0;
	conf = bb_xasprintf("%s/config.toml", path);
	/* Zola names its address base_url, Hugo baseURL */
	if (bb_read_file(conf, 1u << 20, &text, &len) == 0 && (strncmp(text, "base_url", 8) == 0 || strstr(text, "\nbase_url")))
		r = 95;
	free(text);
	free(conf);
	return r;
}

static int
S_config(bb_blog *b)
{
	const char *s;
	b->config_name = "config.toml";
	b->zola = 1;
	b->config = bb_config_read(b, "config.toml", 1);
	b->asset_dirs[0] = "static/";
	b->asset_dirs[1] = "content/";
	if (b->config && (s = bb_fm_str(b->config, "base_url"))) {
		/* the common code reads url and baseurl */
		const char *path = strstr(s, "://") ? strchr(strstr(s, "://") + 3, '/') : NULL;
		b->url = path ? bb_xstrndup(s, (size_t)(path - s)) : bb_xstrdup(s);
		if (path && path[1])
			b->baseurl = bb_xstrdup(path);
	}
	b->srcdata = bb_xstrdup(b->config && (s = bb_fm_str(b->config, "default_language")) ? s : "en");
	return 0;
}

static void
S_release(bb_blog *b)
{
	free(b->srcdata);
	b->srcdata = NULL;
}

static long
S_posts(bb_blog *b)
{
	bb_finder f;
	long n;
	bb_finder_init(&f, b->root, b->root_real, &b->diags);
	f.accept = bb_accept_language;
	f.ud = b->srcdata;
	bb_walk_posts(&f, "content", NULL, 0);
	n = bb_blog_add_found(b, &f, 0);
	bb_finder_free(&f);
	return n;
}

/* Zola's internal links @/blog/x.md name content/blog/x.md. */
static int
S_split(const bb_blog *b, const bb_post *p, char **text, size_t *len, size_t *off, unsigned *line)
{
	size_t fm, fmlen, i;
	int toml = 0;
	bb_buf o = BB_BUF_INIT;
	if (bb_fm_split(*text, *len, &fm, &fmlen, off, line, &toml) <= 0)
		*off = 0, *line = 1;
	bb_buf_put(&o, *text, *off);
	for (i = *off; i < *len; i++) {
		if ((*text)[i] == '@' && i + 1 < *len && (*text)[i + 1] == '/' && i > 0 &&
		    ((*text)[i - 1] == '(' || (*text)[i - 1] == '"' || (*text)[i - 1] == '\'' || (*text)[i - 1] == ' ')) {
			bb_buf_puts(&o, "/content");
			continue;
		}
		bb_buf_putc(&o, (*text)[i]);
	}
	free(*text);
	*text = bb_buf_detach(&o, len);
	return 0;
}

static void
S_meta(bb_blog *b, bb_post *p, const bb_fm_node *tree, const char *text, size_t len, int *dated)
{
	const bb_fm_node *tax = tree ? bb_fm_get(tree, "taxonomies") : NULL;
	if (tax && tax->kind == BB_FM_MAP && !p->ntags) {
		const bb_fm_node *t = bb_fm_get(tax, "tags");
		size_t i;
		for (i = 0; t && t->kind == BB_FM_SEQ && i < t->nkids; i++)
			if (t->kids[i]->kind == BB_FM_SCALAR)
				bb_strv_add(&p->tags, &p->ntags, t->kids[i]->value);
		t = bb_fm_get(tax, "categories");
		for (i = 0; t && t->kind == BB_FM_SEQ && i < t->nkids; i++)
			if (t->kids[i]->kind == BB_FM_SCALAR)
				bb_strv_add(&p->categories, &p->ncategories, t->kids[i]->value);
	}
	if (!p->lang)
		p->lang = bb_lang_tag(b->srcdata);
}

static char *
S_url(const bb_blog *b, const bb_post *p)
{
	/* content/blog/x/index.md -> /blog/x/ ; content/blog/y.md -> /blog/y/ */
	const char *rel = p->path + strlen("content/"), *slash = strrchr(rel, '/');
	if (p->permalink)
		return bb_xstrdup(p->permalink);
	return bb_xasprintf("/%.*s%s%s/", slash ? (int)(slash - rel) : 0, rel,
			    strcmp(p->basename, "index") == 0 ? "" : (slash ? "/" : ""),
			    strcmp(p->basename, "index") == 0 ? "" : p->slug);
}

const bb_source bb_source_zola = {
	"zola", "a Zola site", "a content folder beside a config.toml with base_url",
	S_bid, S_config, S_posts, S_url, S_meta, S_split, S_release
};
