/* source_jekyll.c: a Jekyll site: _config.yml, posts in every _posts folder
 * (the folders above one give categories), drafts in _drafts, URLs from
 * the permalink pattern. */
#define _POSIX_C_SOURCE 200809L
#include "source.h"
#include "postindex.h"
#include "post.h"
#include "liquid.h"
#include "markdown.h"
#include "sitedata.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* 1 when the site's Gemfile.lock or Gemfile pins Jekyll 2 or older, or
 * kramdown before 1.4 (whose GFM input read `##x` as a heading). */
static int
S_old_jekyll(bb_blog *b)
{
	static const char *const files[] = { "Gemfile.lock", "Gemfile", NULL };
	size_t i, len;
	int old = 0;
	for (i = 0; files[i] && !old; i++) {
		char *path = bb_xasprintf("%s/%s", b->root, files[i]), *t = NULL, *s;
		if (bb_read_file(path, 1u << 20, &t, &len) == 0) {
			if ((s = strstr(t, " jekyll (")) && (s[9] == '0' || s[9] == '1' || s[9] == '2') && s[10] == '.')
				old = 1;
			if ((s = strstr(t, " kramdown (1.")) && s[13] >= '0' && s[13] <= '3' && s[14] == ')')
				old = 1;
			if ((s = strstr(t, "\"jekyll\"")) || (s = strstr(t, "'jekyll'"))) {
				const char *e = strchr(s, '\n'), *v = strpbrk(s, "0123456789");
				if (v && (!e || v < e) && (v[0] == '1' || v[0] == '2') && v[1] == '.' && strstr(s, "~>") < v)
					old = 1;
			}
		}
		free(t);
		free(path);
	}
	return old;
}

/* The Markdown Jekyll reads: kramdown (its default) with the site's input
 * (GFM since Jekyll 3; kramdown's own syntax for input: kramdown), or a
 * CommonMark engine the site names. */
static void
S_dialect(bb_blog *b)
{
	const char *md = b->config ? bb_fm_str(b->config, "markdown") : NULL, *in = NULL, *why;
	const bb_fm_node *k = b->config ? bb_fm_get(b->config, "kramdown") : NULL;
	if (k && k->kind == BB_FM_MAP)
		in = bb_fm_str(k, "input");
	if (md && strcasecmp(md, "kramdown") != 0) {
		b->dialect = BB_DIALECT_GFM;
		why = "markdown: names another engine than kramdown; read as CommonMark with GitHub's extensions";
	} else if (in && strcasecmp(in, "kramdown") == 0) {
		b->dialect = BB_DIALECT_KRAMDOWN;
		why = "kramdown with its own syntax (kramdown: input: kramdown)";
	} else if (S_old_jekyll(b)) {
		b->dialect = BB_DIALECT_KRAMDOWN_LEGACY;
		why = "kramdown as Jekyll 2 ran it (the Gemfile pins Jekyll 2 or kramdown 1.3): ##x is a heading";
	} else {
		b->dialect = BB_DIALECT_KRAMDOWN_GFM;
		why = "kramdown with GitHub's input, Jekyll 3's default";
	}
	bb_diag_add(&b->diags, BB_NOTE, NULL, 0, 0, "Markdown: %s", why);
}

static int
S_config(bb_blog *b)
{
	b->config_name = "_config.yml";
	if (!(b->config = bb_config_read(b, "_config.yml", 0)) && (b->config = bb_config_read(b, "_config.yaml", 0)))
		b->config_name = "_config.yaml";
	S_dialect(b);
	/* what Liquid reads besides the config: site.data, the plugins' tags */
	b->site_data = bb_site_data_load(b->root_real, &b->diags);
	b->liquid_tags = bb_liquid_tags_new();
	{
		char *plugins = bb_xasprintf("%s/_plugins", b->root);
		bb_liquid_tags_scan_plugins(b->liquid_tags, plugins);
		free(plugins);
	}
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

/* 1 when Jekyll converts the file at path with its Markdown engine: its
 * extension is one of markdown_ext (default markdown,mkdown,mkdn,mkd,md;
 * any case), as Jekyll's Markdown converter matches it. */
static int
S_markdown_ext(const bb_blog *b, const char *path)
{
	const char *list = b->config ? bb_fm_str(b->config, "markdown_ext") : NULL;
	const char *dot = strrchr(path, '.'), *e;
	size_t n;
	if (!list)
		list = "markdown,mkdown,mkdn,mkd,md";
	if (!dot || strchr(dot, '/'))
		return 0;
	n = strlen(dot + 1);
	for (e = list;;) {
		const char *c = strchr(e, ',');
		size_t m = c ? (size_t)(c - e) : strlen(e);
		while (m && *e == ' ')
			e++, m--;
		while (m && e[m - 1] == ' ')
			m--;
		if (m == n && strncasecmp(e, dot + 1, n) == 0)
			return 1;
		if (!c)
			break;
		e = c + 1;
	}
	return 0;
}

static long
S_posts(bb_blog *b)
{
	bb_finder f;
	long n;
	size_t i, first = b->nposts;
	bb_finder_init(&f, b->root, b->root_real, &b->diags);
	S_walk_site(&f, "", b->opt.drafts == 1, 0);
	n = bb_blog_add_found(b, &f, 1);
	bb_finder_free(&f);
	/* any other post (.text, .Rmd...) goes through Jekyll's Identity
	 * converter: its text is the page's HTML as it stands */
	for (i = first; i < b->nposts; i++)
		if (!S_markdown_ext(b, b->posts[i].path))
			b->posts[i].is_html = 1;
	return n;
}

static char *
S_url(const bb_blog *b, const bb_post *p)
{
	const char *pat = p->permalink ? p->permalink : b->permalink;
	char *u;
	if (!pat || strcmp(pat, "date") == 0)
		pat = "/:categories/:year/:month/:day/:title:output_ext";
	else if (strcmp(pat, "pretty") == 0)
		pat = "/:categories/:year/:month/:day/:title/";
	else if (strcmp(pat, "ordinal") == 0)
		pat = "/:categories/:year/:y_day/:title:output_ext";
	else if (strcmp(pat, "none") == 0)
		pat = "/:categories/:title:output_ext";
	u = bb_permalink_expand(pat, p);
	if (u[0] != '/') {
		/* Jekyll puts a permalink written without one under the root
		 * ("permalink: notes" is /notes) */
		char *rooted = bb_xasprintf("/%s", u);
		free(u);
		u = rooted;
	}
	return u;
}

const bb_source bb_source_jekyll = {
	"jekyll", "a Jekyll site", "_config.yml or a _posts folder",
	S_bid, S_config, S_posts, S_url, NULL, NULL, NULL
};
