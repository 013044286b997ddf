/* source_markdown.c: Eleventy sites and any folder of Markdown posts with
 * front matter (Astro's src/content/blog, Gatsby's content/blog, posts/):
 * Eleventy's input folder from its config (read as text, never run), its
 * folder data files (blog/blog.json: tags, author), drafts by draft: true,
 * a title from any "...title" key when title is missing. */
#define _POSIX_C_SOURCE 200809L
#include "source.h"
#include "postindex.h"
#include "post.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Where posts are kept, in the order they are looked for. */
static const char *const S_post_dirs[] = { "blog", "posts", "post", "articles", "content/blog", "content/posts",
					   "src/content/blog", "src/content/posts", "src/posts", "src/blog",
					   "_posts", NULL };

typedef struct mdsite {
	char *input;     /* Eleventy's input folder, relative ("" the root) */
	char *input_dir; /* the same with a slash, where root-relative paths lie */
	int eleventy;
} mdsite;

static const char *const S_configs[] = { "eleventy.config.js", ".eleventy.js", "eleventy.config.mjs",
					 "eleventy.config.cjs", NULL };

static int
S_bid_eleventy(const char *path, int is_dir)
{
	size_t i;
	for (i = 0; is_dir && S_configs[i]; i++)
		if (bb_path_is(path, S_configs[i], 0))
			return 90;
	return 0;
}

static int
S_bid(const char *path, int is_dir)
{
	size_t i;
	if (!is_dir)
		return 0;
	for (i = 0; S_post_dirs[i]; i++)
		if (bb_path_is(path, S_post_dirs[i], 1))
			return 20;
	{
		/* the last resort: Markdown files in the folder itself */
		size_t n;
		char **names = bb_list_dir(path, &n);
		int r = 0;
		for (i = 0; i < n && !r; i++)
			r = bb_ext_is(names[i], (const char *const[]){ "md", "markdown", NULL }) ? 10 : 0;
		bb_list_free(names, n);
		return r;
	}
}

/* Eleventy's dir.input: the string after `input:` in its config. */
static char *
S_eleventy_input(bb_blog *b)
{
	size_t i, len;
	char *r = NULL;
	for (i = 0; S_configs[i] && !r; i++) {
		char *path = bb_xasprintf("%s/%s", b->root, S_configs[i]), *text = NULL, *s;
		if (bb_read_file(path, 4u << 20, &text, &len) == 0 && (s = strstr(text, "input:"))) {
			for (s += 6; *s == ' ' || *s == '\t'; s++)
				;
			if (*s == '"' || *s == '\'' || *s == '`') {
				char q = *s++;
				size_t n = strcspn(s, q == '"' ? "\"\n" : q == '\'' ? "'\n" : "`\n");
				if (s[n] == q && n < 256 && !memchr(s, '.', n ? 1 : 0))
					r = bb_xstrndup(s, n);
			}
		}
		free(text);
		free(path);
	}
	return r;
}

/* Eleventy's site data: INPUT/_data/metadata.json (or site.json) as the
 * settings (title, description, language, url, author); else the author
 * package.json names ("Name <mail> (url)": the name). */
static void
S_eleventy_settings(bb_blog *b, const char *input)
{
	static const char *const files[] = { "_data/metadata.json", "_data/site.json", NULL };
	size_t i;
	char *rel, *text = NULL, *path;
	size_t len;
	for (i = 0; files[i] && !b->config; i++) {
		rel = *input ? bb_xasprintf("%s/%s", input, files[i]) : bb_xstrdup(files[i]);
		if ((b->config = bb_config_read(b, rel, 0)))
			b->config_name = files[i];
		free(rel);
	}
	if (b->config)
		return;
	path = bb_xasprintf("%s/package.json", b->root);
	if (bb_read_file(path, 1u << 20, &text, &len) == 0) {
		bb_fm_problem prob;
		bb_fm_node *pkg = bb_fm_parse(text, len, 1, &prob);
		const char *a = pkg && pkg->kind == BB_FM_MAP ? bb_fm_str(pkg, "author") : NULL;
		const bb_fm_node *an = pkg && pkg->kind == BB_FM_MAP && !a ? bb_fm_get(pkg, "author") : NULL;
		if (!a && an && an->kind == BB_FM_MAP)
			a = bb_fm_str(an, "name");
		if (a) {
			const char *key = "author";
			char *name = bb_xstrndup(a, strcspn(a, "<("));
			size_t n = strlen(name);
			while (n && name[n - 1] == ' ')
				name[--n] = '\0';
			b->config = bb_config_from_pairs(&key, (const char *const *)&name, 1);
			free(name);
		}
		bb_fm_free(pkg);
	}
	free(text);
	free(path);
}

static int
S_config(bb_blog *b)
{
	mdsite *m = bb_xcalloc(1, sizeof *m);
	size_t i;
	b->srcdata = m;
	for (i = 0; S_configs[i]; i++)
		if (bb_path_is(b->root, S_configs[i], 0))
			m->eleventy = 1, b->config_name = S_configs[i];
	if (m->eleventy) {
		m->input = S_eleventy_input(b);
		if (!m->input)
			m->input = bb_xstrdup("");
		S_eleventy_settings(b, m->input);
		/* its metadata lives in JavaScript or _data: a title from the folder */
		if (*m->input) {
			m->input_dir = bb_xasprintf("%s/", m->input);
			b->asset_dirs[0] = m->input_dir;
		}
	} else {
		m->input = bb_xstrdup("");
		b->config_name = "front matter";
	}
	return 0;
}

static void
S_release(bb_blog *b)
{
	mdsite *m = b->srcdata;
	if (m) {
		free(m->input);
		free(m->input_dir);
	}
	free(m);
	b->srcdata = NULL;
}

static int
S_markdown_only(const bb_finder *f, const char *rel, const char *name)
{
	return bb_ext_is(name, (const char *const[]){ "md", "markdown", "mdx", "mkd", NULL });
}

static long
S_posts(bb_blog *b)
{
	mdsite *m = b->srcdata;
	bb_finder f;
	size_t i;
	long n;
	bb_finder_init(&f, b->root, b->root_real, &b->diags);
	f.accept = S_markdown_only;
	for (i = 0; S_post_dirs[i]; i++) {
		char *rel = *m->input ? bb_xasprintf("%s/%s", m->input, S_post_dirs[i]) : bb_xstrdup(S_post_dirs[i]);
		if (bb_walk_is_dir(&f, rel))
			bb_walk_posts(&f, rel, NULL, 0);
		free(rel);
	}
	if (!f.n) /* no posts folder: every Markdown file of the input folder */
		bb_walk_posts(&f, *m->input ? m->input : ".", NULL, 0);
	n = bb_blog_add_found(b, &f, 0);
	bb_finder_free(&f);
	return n;
}

/* Eleventy's folder data file: DIR/DIRNAME.json or DIR/DIRNAME.11tydata.json. */
static bb_fm_node *
S_dir_data(bb_blog *b, const char *postpath)
{
	const char *slash = strrchr(postpath, '/'), *prev;
	char *dir, *name, *path, *text = NULL;
	size_t len;
	bb_fm_node *t = NULL;
	bb_fm_problem prob;
	static const char *const fmts[] = { "%s/%s/%s.11tydata.json", "%s/%s/%s.json", NULL };
	size_t i;
	if (!slash)
		return NULL;
	dir = bb_xstrndup(postpath, (size_t)(slash - postpath));
	prev = strrchr(dir, '/');
	name = bb_xstrdup(prev ? prev + 1 : dir);
	for (i = 0; fmts[i] && !t; i++) {
		path = bb_xasprintf(fmts[i], b->root, dir, name);
		if (bb_read_file(path, 1u << 20, &text, &len) == 0) {
			t = bb_fm_parse(text, len, 1, &prob);
			if (prob.line)
				bb_diag_add(&b->diags, BB_WARNING, path + strlen(b->root) + 1, prob.line, prob.col, "%s",
					    prob.message);
			if (t && t->kind != BB_FM_MAP) {
				bb_fm_free(t);
				t = NULL;
			}
		}
		free(text);
		text = NULL;
		free(path);
	}
	free(name);
	free(dir);
	return t;
}

/* Eleventy collection names are tags too; they name no subject. */
static int
S_collection_tag(const char *t)
{
	return strcmp(t, "post") == 0 || strcmp(t, "posts") == 0 || strcmp(t, "blog") == 0 ||
	       strcmp(t, "all") == 0;
}

static void
S_meta(bb_blog *b, bb_post *p, const bb_fm_node *tree, const char *text, size_t len, int *dated)
{
	bb_fm_node *dd;
	size_t i, k;
	if (tree && bb_fm_get(tree, "pagination")) {
		/* a page that lists the posts (Eleventy's pagination), not a post */
		p->listing = 1;
		return;
	}
	dd = S_dir_data(b, p->path);
	/* a title under another name: newstitle, pageTitle, seoTitle... */
	if (tree && !bb_fm_str(tree, "title"))
		for (i = 0; i + 1 < tree->nkids; i += 2) {
			const char *key = tree->kids[i]->value;
			size_t n = key ? strlen(key) : 0;
			const char *v;
			if (n > 5 && strcasecmp(key + n - 5, "title") == 0 && (v = bb_fm_str(tree, key)) && *v) {
				free(p->title);
				p->title = bb_xstrdup(v);
				break;
			}
		}
	if (dd) {
		const char *a = bb_fm_str(dd, "author");
		if (!a)
			a = bb_fm_str(dd, "postAuthor");
		if (!p->author && a)
			p->author = bb_xstrdup(a);
		if (!p->ntags) {
			const bb_fm_node *t = bb_fm_get(dd, "tags");
			for (k = 0; t && t->kind == BB_FM_SEQ && k < t->nkids; k++)
				if (t->kids[k]->kind == BB_FM_SCALAR && !S_collection_tag(t->kids[k]->value))
					bb_strv_add(&p->tags, &p->ntags, t->kids[k]->value);
		}
		bb_fm_free(dd);
	}
	/* collection names are not subjects */
	for (i = 0; i < p->ntags;)
		if (S_collection_tag(p->tags[i])) {
			free(p->tags[i]);
			memmove(p->tags + i, p->tags + i + 1, (p->ntags - i - 1) * sizeof *p->tags);
			p->ntags--;
		} else
			i++;
}

static char *
S_url(const bb_blog *b, const bb_post *p)
{
	const mdsite *m = b->srcdata;
	const char *rel = p->path;
	const char *slash;
	if (p->permalink && p->permalink[0] == '/' && !strstr(p->permalink, "{{"))
		return bb_xstrdup(p->permalink);
	if (*m->input && strncmp(rel, m->input, strlen(m->input)) == 0 && rel[strlen(m->input)] == '/')
		rel += strlen(m->input) + 1;
	slash = strrchr(rel, '/');
	return bb_xasprintf("/%.*s%s%s/", slash ? (int)(slash - rel) : 0, rel, slash ? "/" : "", p->basename);
}

const bb_source bb_source_markdown = {
	"markdown", "a folder of Markdown posts", "Markdown files with front matter (an Eleventy config, or posts, "
	"blog, content/blog, src/posts folders)",
	S_bid, S_config, S_posts, S_url, S_meta, NULL, S_release
};

/* The same source under the name users know it by. */
const bb_source bb_source_eleventy = {
	"eleventy", "an Eleventy site", "eleventy.config.js or .eleventy.js",
	S_bid_eleventy, S_config, S_posts, S_url, S_meta, NULL, S_release
};
