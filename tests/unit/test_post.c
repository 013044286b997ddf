/* test_post.c: post.c's bb_post_pack: every string and list of a post
 * moved into the caller's block with the same text, body, headings and
 * spooled left alone, a second pack doing nothing, bb_post_free leaving
 * the block to its owner. */
#include "tap.h"
#include "blog.h"
#include "post.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t S_size; /* the block's */

/* 1 when s lies wholly inside p's block. */
static int
S_inside(const bb_post *p, const char *s)
{
	const char *b = p->pack;
	return s >= b && s + strlen(s) < b + S_size;
}

static char **
S_list(size_t n, const char *stem)
{
	char **v = bb_xmalloc(n * sizeof *v);
	size_t i;
	for (i = 0; i < n; i++)
		v[i] = bb_xasprintf("%s-%zu", stem, i);
	return v;
}

/* Empties p and gives it a Jekyll post's names and the title. */
static void
S_named(bb_post *p, const char *title)
{
	memset(p, 0, sizeof *p);
	p->path = bb_xstrdup("_posts/2024-01-14-starting.md");
	p->slug = bb_xstrdup("starting");
	p->basename = bb_xstrdup("2024-01-14-starting");
	p->title = bb_xstrdup(title);
}

int
main(void)
{
	bb_post p;
	size_t i;
	char *body, *block;
	bb_spooled *sp;
	S_named(&p, "Starting a notebook");
	p.lang = bb_xstrdup("ja");
	p.url = bb_xstrdup("/2024/01/14/starting.html");
	p.asset_dir = bb_xstrdup("");
	p.categories = S_list(3, "cat");
	p.ncategories = 3;
	p.tags = S_list(1, "tag");
	p.ntags = 1;
	p.aliases = bb_xmalloc(1); /* an empty list with its array */
	body = p.body = bb_xstrdup("the body stays its own");
	sp = p.spooled = bb_xcalloc(1, sizeof *p.spooled);
	p.nparts = 1;

	S_size = bb_post_pack_size(&p);
	/* 4 pointers, 6 strings (100 bytes: the slug is the end of the
	 * basename) and 4 list items (24), rounded up to 8 */
	CHECK(S_size == 4 * sizeof(char *) + 128);
	block = bb_xmalloc(S_size);
	bb_post_pack(&p, block);
	CHECK(p.pack == block);
	CHECK(strcmp(p.path, "_posts/2024-01-14-starting.md") == 0 && S_inside(&p, p.path));
	CHECK(strcmp(p.slug, "starting") == 0 && p.slug == p.basename + 11);
	CHECK(strcmp(p.basename, "2024-01-14-starting") == 0 && S_inside(&p, p.basename));
	CHECK(strcmp(p.title, "Starting a notebook") == 0 && S_inside(&p, p.title));
	CHECK(strcmp(p.lang, "ja") == 0 && S_inside(&p, p.lang));
	CHECK(strcmp(p.url, "/2024/01/14/starting.html") == 0 && S_inside(&p, p.url));
	CHECK(p.asset_dir && p.asset_dir[0] == '\0' && S_inside(&p, p.asset_dir));
	CHECK(!p.author && !p.excerpt && !p.permalink && !p.series && !p.source_url && !p.source_id);
	CHECK(p.ncategories == 3 && (void *)p.categories == p.pack);
	for (i = 0; i < 3; i++) {
		char want[16];
		snprintf(want, sizeof want, "cat-%zu", i);
		CHECK(strcmp(p.categories[i], want) == 0 && S_inside(&p, p.categories[i]));
	}
	CHECK(p.ntags == 1 && p.tags == p.categories + 3 && strcmp(p.tags[0], "tag-0") == 0);
	CHECK(p.naliases == 0 && p.aliases == NULL);
	CHECK(p.body == body && p.spooled == sp && p.nparts == 1);
	/* a second pack leaves it as it is */
	{
		void *was = p.pack;
		char *title = p.title;
		CHECK(bb_post_pack_size(&p) == 0);
		bb_post_pack(&p, block + 8);
		CHECK(p.pack == was && p.title == title);
	}
	bb_post_free(&p);
	free(block);

	/* packed in a block of its own as it is read, its url and id set
	 * after, then packed in the blog's: the same strings */
	S_named(&p, "Starting");
	p.tags = S_list(2, "tag");
	p.ntags = 2;
	bb_post_pack_own(&p);
	CHECK(p.pack && p.own_pack && p.slug == p.basename + 11);
	CHECK(strcmp(p.tags[1], "tag-1") == 0 && (void *)p.tags == p.pack);
	p.url = bb_xstrdup("/2024/01/14/starting.html");
	p.id = bb_xstrdup("p20240114-starting");
	S_size = bb_post_pack_size(&p);
	/* 2 pointers, 5 strings (104 bytes) and 2 list items (12), rounded up to 8 */
	CHECK(S_size == 2 * sizeof(char *) + 120);
	block = bb_xmalloc(S_size);
	bb_post_pack(&p, block);
	CHECK(p.pack == block && !p.own_pack);
	CHECK(strcmp(p.url, "/2024/01/14/starting.html") == 0 && S_inside(&p, p.url));
	CHECK(strcmp(p.id, "p20240114-starting") == 0 && S_inside(&p, p.id));
	CHECK(strcmp(p.title, "Starting") == 0 && S_inside(&p, p.title));
	CHECK(strcmp(p.slug, "starting") == 0 && p.slug == p.basename + 11 && S_inside(&p, p.basename));
	CHECK(p.ntags == 2 && strcmp(p.tags[0], "tag-0") == 0 && S_inside(&p, p.tags[0]));
	bb_post_free(&p);
	free(block);
	/* or freed as it is, with what was set after */
	memset(&p, 0, sizeof p);
	p.path = bb_xstrdup("_posts/x.md");
	p.tags = S_list(1, "tag");
	p.ntags = 1;
	bb_post_pack_own(&p);
	p.url = bb_xstrdup("/x.html");
	bb_post_free(&p);
	CHECK(!p.pack && !p.own_pack);

	/* the blog's block keeps once the categories, tags, language,
	 * author and series its posts share; every post reads its own */
	{
		bb_blog *b = bb_xcalloc(1, sizeof *b);
		const char *cats[] = { "notes", "misc", "notes" };
		size_t j, bad = 0;
		b->posts = bb_xcalloc(3, sizeof *b->posts);
		b->nposts = b->capposts = 3;
		for (j = 0; j < 3; j++) {
			bb_post *q = &b->posts[j];
			char name[64];
			snprintf(name, sizeof name, "_posts/2024-01-1%zu-p%zu.md", j, j);
			q->path = bb_xstrdup(name);
			q->basename = bb_xstrndup(name + 7, strlen(name + 7) - 3);
			q->title = bb_xasprintf("Post %zu", j);
			q->lang = bb_xstrdup("ja");
			q->author = j == 2 ? bb_xstrdup("Someone") : NULL;
			bb_strv_add(&q->categories, &q->ncategories, cats[j]);
			bb_strv_add(&q->tags, &q->ntags, "c");
			bb_strv_add(&q->tags, &q->ntags, j ? "xml" : "yaml");
			q->aliases = S_list(1, "/same");
			q->naliases = 1;
			bb_post_pack_own(q);
		}
		bb_blog_pack_posts(b);
		for (j = 0; j < 3; j++) {
			const bb_post *q = &b->posts[j];
			char name[64];
			snprintf(name, sizeof name, "_posts/2024-01-1%zu-p%zu.md", j, j);
			bad += strcmp(q->path, name) != 0 || strcmp(q->lang, "ja") != 0 ||
			       strcmp(q->categories[0], cats[j]) != 0 || q->ntags != 2 ||
			       strcmp(q->tags[0], "c") != 0 || strcmp(q->tags[1], j ? "xml" : "yaml") != 0 ||
			       strcmp(q->aliases[0], "/same-0") != 0 || q->own_pack || q->pack < (void *)b->packs;
		}
		CHECK(bad == 0);
		CHECK(strcmp(b->posts[2].author, "Someone") == 0 && !b->posts[1].author);
		/* one copy each */
		CHECK(b->posts[0].lang == b->posts[1].lang && b->posts[1].lang == b->posts[2].lang);
		CHECK(b->posts[0].categories[0] == b->posts[2].categories[0]);
		CHECK(b->posts[0].tags[0] == b->posts[1].tags[0] && b->posts[1].tags[1] == b->posts[2].tags[1]);
		/* an alias is the post's own */
		CHECK(b->posts[0].aliases[0] != b->posts[1].aliases[0]);
		bb_blog_drop_posts(b, NULL, NULL);
		free(b);
	}

	/* a post with nothing to move */
	memset(&p, 0, sizeof p);
	CHECK(bb_post_pack_size(&p) == 0);
	bb_post_pack(&p, &S_size);
	CHECK(p.pack == &S_size && !p.path && !p.categories);
	bb_post_free(&p);
	return TEST_DONE();
}
