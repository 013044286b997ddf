/* test_collect.c: the collect stage alone, on small blogs written by the
 * test: which source bids for which folder, filters (drafts, published,
 * since/until, categories), order and reverse, groups, the settings file
 * named in messages, the language detected from the posts' scripts,
 * translations left out, and a folder no source reads. */
#define _XOPEN_SOURCE 700
#include "blog.h"
#include "source.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256];
static char msgs[8192];

static void
S_write(const char *rel, const char *text)
{
	tap_write(root, rel, text);
}

static void
S_diag(void *ctx, const bb_diag *d)
{
	size_t n = strlen(msgs);
	snprintf(msgs + n, sizeof msgs - n, "%s:%u: %s\n", d->path ? d->path : "-", d->line, d->message);
}

/* A fresh folder under root. */
static void
S_fresh(const char *name)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", root, root);
	if (system(cmd) != 0)
		exit(1);
	(void)name;
	msgs[0] = '\0';
}

static bb_blog *
S_collect(bb_options *o)
{
	o->source_dir = root;
	o->diag = S_diag;
	return bb_collect(o);
}

static void
test_jekyll_filters(void)
{
	bb_options o;
	bb_blog *b;
	S_fresh("jekyll");
	S_write("_config.yml", "title: J\nlang: en\n");
	S_write("_posts/2020-01-01-a.md", "---\ntitle: A\ncategories: [x]\n---\nA.\n");
	S_write("_posts/2021-06-01-b.md", "---\ntitle: B\ncategories: [y]\n---\nB.\n");
	S_write("_posts/2022-03-01-c.md", "---\ntitle: C\npublished: false\n---\nC.\n");
	S_write("_drafts/d.md", "---\ntitle: D\n---\nD.\n");
	S_write("_posts/notapost.md", "no date in the name\n");
	bb_options_init(&o);
	b = S_collect(&o);
	CHECK(b != NULL);
	if (!b)
		return;
	CHECK(b->src == &bb_source_jekyll);
	CHECK(b->nposts == 2);
	CHECK(b->nposts == 2 && strcmp(b->posts[0].title, "A") == 0 && strcmp(b->posts[1].title, "B") == 0);
	CHECK(strcmp(b->config_name, "_config.yml") == 0);
	bb_blog_free(b);

	bb_options_init(&o);
	o.drafts = 1;
	o.unpublished = 1;
	o.reverse = 1;
	b = S_collect(&o);
	CHECK(b && b->nposts == 4);
	/* newest first; the undated draft goes after the newest post, so first */
	CHECK(b && b->nposts == 4 && strcmp(b->posts[0].title, "D") == 0 && strcmp(b->posts[3].title, "A") == 0);
	bb_blog_free(b);

	bb_options_init(&o);
	o.since = "2021-01-01";
	o.categories[0] = "y";
	b = S_collect(&o);
	CHECK(b && b->nposts == 1 && strcmp(b->posts[0].title, "B") == 0);
	bb_blog_free(b);

	bb_options_init(&o);
	o.chapters = BB_CHAPTERS_YEAR;
	o.unpublished = 1;
	b = S_collect(&o);
	CHECK(b && b->ngroups == 3 && strcmp(b->groups[0].title, "2020") == 0);
	bb_blog_free(b);
}

/* Jekyll converts only markdown_ext's extensions (default markdown,
 * mkdown, mkdn, mkd, md; any case); a .text or .Rmd post passes through
 * its Identity converter, its text the page's HTML as it stands (jekyll
 * 4.3 shows "Best **post** ever" of its fixture 2011-04-12-text-extension
 * with the asterisks). */
static void
test_jekyll_markdown_ext(void)
{
	bb_options o;
	bb_blog *b;
	size_t i;
	int md = 0, html = 0;
	S_fresh("jekyll-ext");
	S_write("_config.yml", "title: J\n");
	S_write("_posts/2020-01-01-a.md", "---\ntitle: A\n---\nA.\n");
	S_write("_posts/2020-01-02-b.MARKDOWN", "---\ntitle: B\n---\nB.\n");
	S_write("_posts/2020-01-03-c.text", "---\ntitle: C\n---\nBest **post** ever\n");
	S_write("_posts/2020-01-04-d.Rmd", "---\ntitle: D\n---\nD.\n");
	bb_options_init(&o);
	b = S_collect(&o);
	CHECK(b && b->nposts == 4);
	for (i = 0; b && i < b->nposts; i++) {
		md += (b->posts[i].title[0] == 'A' || b->posts[i].title[0] == 'B') && !b->posts[i].is_html;
		html += (b->posts[i].title[0] == 'C' || b->posts[i].title[0] == 'D') && b->posts[i].is_html;
	}
	CHECK(md == 2 && html == 2);
	bb_blog_free(b);
	/* the site's own list */
	S_write("_config.yml", "title: J\nmarkdown_ext: \"md, text\"\n");
	bb_options_init(&o);
	b = S_collect(&o);
	md = html = 0;
	for (i = 0; b && i < b->nposts; i++) {
		md += (b->posts[i].title[0] == 'A' || b->posts[i].title[0] == 'C') && !b->posts[i].is_html;
		html += (b->posts[i].title[0] == 'B' || b->posts[i].title[0] == 'D') && b->posts[i].is_html;
	}
	CHECK(b && md == 2 && html == 2);
	bb_blog_free(b);
}

static void
test_hugo_translations_and_config_name(void)
{
	bb_options o;
	bb_blog *b;
	S_fresh("hugo");
	S_write("config.toml", "title = \"H\"\nlanguageCode = \"xx_bad!\"\n");
	S_write("content/post/one/index.en.md", "+++\ntitle = \"One\"\ndate = 2020-01-01\n+++\nOne.\n");
	S_write("content/post/one/index.zh-cn.md", "+++\ntitle = \"Yi\"\ndate = 2020-01-01\n+++\nYi.\n");
	S_write("content/post/my.notes.md", "+++\ntitle = \"Dots\"\ndate = 2020-02-01\n+++\nDots.\n");
	bb_options_init(&o);
	b = S_collect(&o);
	CHECK(b && b->src == &bb_source_hugo);
	CHECK(b && b->nposts == 2); /* the translation is left out; a dotted name is not a language */
	CHECK(strstr(msgs, "config.toml") != NULL && strstr(msgs, "_config.yml") == NULL);
	bb_blog_free(b);
}

static void
test_language_detected(void)
{
	bb_options o;
	bb_blog *b;
	S_fresh("ja");
	S_write("_config.yml", "title: Nikki\n");
	S_write("_posts/2020-01-01-a.md",
		"---\ntitle: a\n---\n\xE3\x81\x93\xE3\x82\x8C\xE3\x81\xAF\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE"
		"\xE6\x96\x87\xE7\xAB\xA0\xE3\x81\xA7\xE3\x81\x99\xE3\x80\x82\xE3\x81\x93\xE3\x82\x8C\xE3\x81\xAF\xE6\x97"
		"\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87\xE7\xAB\xA0\xE3\x81\xA7\xE3\x81\x99\xE3\x80\x82\n");
	S_write("_posts/2020-01-02-b.md", "---\ntitle: b\n---\nThis one is written in English, a language.\n");
	bb_options_init(&o);
	b = S_collect(&o);
	CHECK(b && b->nposts == 2);
	CHECK(b && b->posts[0].lang && strcmp(b->posts[0].lang, "ja") == 0 && b->posts[0].lang_detected);
	CHECK(b && b->posts[1].lang == NULL);
	CHECK(b && strcmp(b->lang, "ja") == 0);
	CHECK(strstr(msgs, "scripts of their text") != NULL);
	bb_blog_free(b);
}

static void
test_nothing_to_read(void)
{
	bb_options o;
	bb_blog *b;
	S_fresh("none");
	S_write("notes.txt", "hello\n");
	bb_options_init(&o);
	b = S_collect(&o);
	CHECK(b == NULL);
	CHECK(strstr(msgs, "looked for") != NULL && strstr(msgs, "Pelican") != NULL);
	bb_options_init(&o);
	o.source = "nosuchkind";
	b = S_collect(&o);
	CHECK(b == NULL && strstr(msgs, "nosuchkind") != NULL);
	bb_blog_free(b);
}

static void
test_forced_source(void)
{
	bb_options o;
	bb_blog *b;
	S_fresh("forced");
	S_write("posts/a.md", "---\ntitle: Plain\ndate: 2020-01-01\n---\nText.\n");
	bb_options_init(&o);
	b = S_collect(&o);
	CHECK(b && b->src == &bb_source_markdown && b->nposts == 1);
	bb_blog_free(b);
	bb_options_init(&o);
	o.source = "jekyll";
	b = S_collect(&o);
	CHECK(b == NULL); /* a Jekyll site would need dated names under _posts */
	bb_blog_free(b);
}

int
main(void)
{
	char cmd[300];
	snprintf(root, sizeof root, "/tmp/bb-test-collect-%ld", (long)getpid());
	test_jekyll_filters();
	test_jekyll_markdown_ext();
	test_hugo_translations_and_config_name();
	test_language_detected();
	test_nothing_to_read();
	test_forced_source();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return TEST_DONE();
}
