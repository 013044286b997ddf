/* source_jekyll.c: a Jekyll site: _config.yml, posts in every _posts folder
 * (the folders above one give categories), drafts in _drafts, URLs from
 * the permalink pattern. */
#define _POSIX_C_SOURCE 200809L
#include "source.h"
#include "post.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int
S_bid(const char *path, int is_dir)
{
	if (!is_dir)
		return 0;
	if (bb_path_is(path, "_config.yml", 0) || bb_path_is(path, "_config.yaml", 0))
		return 80;
	if (bb_path_is(path, "_posts", 1))
		return 70;
	return 0;
}

static int
S_config(bb_blog *b)
{
	b->config_name = "_config.yml";
	if (!(b->config = bb_config_read(b, "_config.yml", 0)) && (b->config = bb_config_read(b, "_config.yaml", 0)))
		b->config_name = "_config.yaml";
	return 0;
}

/* Looks for _posts folders anywhere in the site (ja/news/_posts...), the
 * folders above each one giving categories, as Jekyll does. */
static void
S_walk_site(bb_finder *f, const char *rel, int drafts, int depth)
{
	char *abs = rel[0] ? bb_xasprintf("%s/%s", f->root, rel) : bb_xstrdup(f->root);
	size_t n, i;
	char **names = bb_list_dir(abs, &n);
	if (++f->visited > 20000)
		goto out;
	for (i = 0; i < n; i++) {
		char *sub, *subabs;
		struct stat st;
		const char *nm = names[i];
		if (strcmp(nm, "_site") == 0 || strcmp(nm, "node_modules") == 0 || strcmp(nm, "vendor") == 0 ||
		    strcmp(nm, "assets") == 0 || strcmp(nm, "_includes") == 0 || strcmp(nm, "_layouts") == 0)
			continue;
		sub = rel[0] ? bb_xasprintf("%s/%s", rel, nm) : bb_xstrdup(nm);
		subabs = bb_xasprintf("%s/%s", f->root, sub);
		if (lstat(subabs, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (strcmp(nm, "_posts") == 0 || (drafts && strcmp(nm, "_drafts") == 0)) {
				char *cats = bb_xstrdup(rel);
				char *c;
				for (c = cats; *c; c++)
					if (*c == '/')
						*c = ' ';
				bb_walk_posts(f, sub, cats, nm[1] == 'd');
				free(cats);
			} else if (depth < 8)
				S_walk_site(f, sub, drafts, depth + 1);
		}
		free(sub);
		free(subabs);
	}
out:
	bb_list_free(names, n);
	free(abs);
}

static long
S_posts(bb_blog *b)
{
	bb_finder f;
	long n;
	bb_finder_init(&f, b->root, b->root_real, &b->diags);
	S_walk_site(&f, "", b->opt.drafts == 1, 0);
	n = bb_blog_add_found(b, &f, 1);
	bb_finder_free(&f);
	return n;
}

static char *
S_url(const bb_blog *b, const bb_post *p)
{
	const char *pat = p->permalink ? p->permalink : b->permalink;
	if (!pat || strcmp(pat, "date") == 0)
		pat = "/:categories/:year/:month/:day/:title:output_ext";
	else if (strcmp(pat, "pretty") == 0)
		pat = "/:categories/:year/:month/:day/:title/";
	else if (strcmp(pat, "ordinal") == 0)
		pat = "/:categories/:year/:y_day/:title:output_ext";
	else if (strcmp(pat, "none") == 0)
		pat = "/:categories/:title:output_ext";
	return bb_permalink_expand(pat, p);
}

const bb_source bb_source_jekyll = {
	"jekyll", "a Jekyll site", "_config.yml or a _posts folder",
	S_bid, S_config, S_posts, S_url, NULL, NULL, NULL
};
