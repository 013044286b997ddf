/* source_hexo.c: a Hexo site: _config.yml (title, author, language, url,
 * root, permalink, post_asset_folder), posts in source/_posts (named
 * without a date: the date is in front matter), drafts in source/_drafts,
 * each post's asset folder beside it, root-relative files under source/. */
#define _POSIX_C_SOURCE 200809L
#include "source.h"
#include "postindex.h"
#include "post.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct hexo {
	int asset_folder; /* post_asset_folder: true */
	char *root;       /* the site's root path ("/blog/"), from root: */
} hexo;

static int
S_bid(const char *path, int is_dir)
{
	if (!is_dir || !bb_path_is(path, "source/_posts", 1))
		return 0;
	return bb_path_is(path, "_config.yml", 0) ? 95 : 85;
}

static int
S_config(bb_blog *b)
{
	hexo *h = bb_xcalloc(1, sizeof *h);
	const char *s;
	b->srcdata = h;
	b->config_name = "_config.yml";
	b->config = bb_config_read(b, "_config.yml", 0);
	b->asset_dirs[0] = "source/";
	if (b->config) {
		h->asset_folder = bb_fm_bool(b->config, "post_asset_folder", 0);
		if ((s = bb_fm_str(b->config, "root")) && strcmp(s, "/") != 0)
			h->root = bb_xstrdup(s);
	}
	return 0;
}

static void
S_release(bb_blog *b)
{
	hexo *h = b->srcdata;
	if (h)
		free(h->root);
	free(h);
	b->srcdata = NULL;
}

static int
S_markdown_only(const bb_finder *f, const char *rel, const char *name)
{
	return bb_ext_is(name, (const char *const[]){ "md", "markdown", "mkd", "mkdn", "mdown", NULL });
}

static long
S_posts(bb_blog *b)
{
	bb_finder f;
	long n;
	bb_finder_init(&f, b->root, b->root_real, &b->diags);
	f.accept = S_markdown_only;
	bb_walk_posts(&f, "source/_posts", NULL, 0);
	if (b->opt.drafts == 1)
		bb_walk_posts(&f, "source/_drafts", NULL, 1);
	n = bb_blog_add_found(b, &f, 0);
	bb_finder_free(&f);
	return n;
}

/* Hexo names a post by its path under _posts without the extension; its
 * asset folder has that name too. */
static void
S_meta(bb_blog *b, bb_post *p, const bb_fm_node *tree, const char *text, size_t len, int *dated)
{
	hexo *h = b->srcdata;
	const char *under = strstr(p->path, "/_posts/");
	const char *dot = strrchr(p->path, '.');
	if (!under)
		under = strstr(p->path, "/_drafts/");
	if (under && dot && dot > under) {
		free(p->slug);
		p->slug = bb_xstrndup(under + 8, (size_t)(dot - under - 8));
		if (h->asset_folder)
			p->asset_dir = bb_xstrndup(p->path, (size_t)(dot - p->path));
	}
	if (!*dated && !p->draft)
		bb_diag_add(&b->diags, BB_WARNING, p->path, 1, 1,
			    "no date in the front matter (Hexo would take the file's time, which a copy changes); the post "
			    "is placed by its file name");
}

static char *
S_url(const bb_blog *b, const bb_post *p)
{
	const hexo *h = b->srcdata;
	const char *pat = p->permalink ? p->permalink : b->permalink;
	char *path, *url;
	if (!pat)
		pat = ":year/:month/:day/:title/";
	path = bb_permalink_expand(pat, p);
	url = bb_xasprintf("%s%s%s", h->root ? h->root : "/", (h->root && h->root[strlen(h->root) - 1] == '/') || !h->root ? "" : "/",
			   path[0] == '/' ? path + 1 : path);
	free(path);
	return url;
}

const bb_source bb_source_hexo = {
	"hexo", "a Hexo site", "source/_posts beside _config.yml",
	S_bid, S_config, S_posts, S_url, S_meta, NULL, S_release
};
