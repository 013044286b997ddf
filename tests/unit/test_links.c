/* test_links.c: links.c alone, on a blog made by hand: where each href and
 * image src points (this post, another post's heading, the blog, the web),
 * what is refused and why, and that another post's headings are asked
 * for, never rendered. */
#define _XOPEN_SOURCE 700
#include "links.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static bb_blog blog;
static bb_post posts[2];
static bb_heading other[3];
static int asked;

/* The outline_of of the test: a copy of post 1's headings (the caller
 * frees it; their strings are the test's). */
static bb_heading *
S_outline_of(void *ud, size_t t, size_t *n)
{
	bb_heading *copy;
	(void)ud;
	asked++;
	if (t != 1) {
		*n = 0;
		return NULL;
	}
	*n = 3;
	copy = bb_xmalloc(sizeof other);
	memcpy(copy, other, sizeof other);
	return copy;
}

static char *
S_href(const bb_links *l, const char *href, int *why)
{
	*why = 0;
	return bb_link_href(l, href, why);
}

int
main(void)
{
	bb_links l;
	bb_outline ol;
	char *r;
	int why;
	size_t i;

	memset(&blog, 0, sizeof blog);
	blog.url = "https://blog.example";
	blog.toc_depth = 2;
	blog.posts = posts;
	blog.nposts = 2;
	posts[0].url = "/2024/01/a.html";
	posts[1].url = "/2024/01/b.html";
	posts[0].id = "p00001";
	posts[1].id = "p00002";
	for (i = 0; i < 2; i++) {
		char *k = bb_url_key(posts[i].url);
		bb_map_put(&blog.by_url, k, i);
		free(k);
	}
	/* post 1: a deep heading (not in the toc) named "deep", one the toc
	 * shows, and one whose id kramdown would have written without "h-" */
	other[0].level = 4, other[0].id = "deep", other[0].text = "Deep", other[0].part = 1;
	other[1].level = 2, other[1].id = "top", other[1].text = "Top", other[1].part = 0;
	other[2].level = 2, other[2].id = "h-2024", other[2].text = "2024", other[2].part = 2;

	/* post 0's outline: "sec" in its second file */
	memset(&ol, 0, sizeof ol);
	bb_map_put(&ol.ids, "here", 0);
	bb_map_put(&ol.ids, "sec", 5);
	ol.nparts = 2;
	ol.part_start = (size_t[]){ 0, 4 };
	memset(&l, 0, sizeof l);
	l.b = &blog;
	l.p = &posts[0];
	l.idx = 0;
	l.ol = &ol;
	l.outline_of = S_outline_of;

	/* fragments of this post: same file, or the file that holds them */
	r = S_href(&l, "#here", &why);
	CHECK_STR(r, "#here");
	free(r);
	r = S_href(&l, "#sec", &why);
	CHECK_STR(r, "p00001.2.xhtml#sec");
	free(r);
	l.curpart = 1;
	r = S_href(&l, "#sec", &why);
	CHECK_STR(r, "#sec");
	free(r);
	l.curpart = 0;
	r = S_href(&l, "#nowhere", &why);
	CHECK(r == NULL && why == BB_LINK_DROP);

	/* refused: script URLs (also hidden), file: URLs */
	r = S_href(&l, "javascript:alert(1)", &why);
	CHECK(r == NULL && why == BB_LINK_SCRIPT);
	r = S_href(&l, " JaVa\tScript:alert(1)", &why);
	CHECK(r == NULL && why == BB_LINK_SCRIPT);
	r = S_href(&l, "data:text/html,x", &why);
	CHECK(r == NULL && why == BB_LINK_SCRIPT);
	r = S_href(&l, "file:///etc/passwd", &why);
	CHECK(r == NULL && why == BB_LINK_FILE);

	/* the web stays, "//" gets https */
	r = S_href(&l, "https://other.example/x?y=1", &why);
	CHECK_STR(r, "https://other.example/x?y=1");
	free(r);
	r = S_href(&l, "//cdn.example/x", &why);
	CHECK_STR(r, "https://cdn.example/x");
	free(r);
	r = S_href(&l, "mailto:me@example.org", &why);
	CHECK_STR(r, "mailto:me@example.org");
	free(r);

	/* another post: its first file, or the heading's file, found in the
	 * outline kept on it (asked, not rendered) */
	asked = 0;
	r = S_href(&l, "/2024/01/b.html", &why);
	CHECK_STR(r, "p00002.xhtml");
	free(r);
	CHECK(asked == 0);
	r = S_href(&l, "https://blog.example/2024/01/b.html#deep", &why);
	CHECK_STR(r, "p00002.2.xhtml#deep");
	free(r);
	CHECK(asked == 1);
	r = S_href(&l, "b.html#top", &why);
	CHECK_STR(r, "p00002.xhtml#top");
	free(r);
	r = S_href(&l, "../01/b.html#2024", &why);
	CHECK_STR(r, "p00002.3.xhtml#h-2024");
	free(r);
	r = S_href(&l, "/2024/01/b.html#missing", &why);
	CHECK_STR(r, "p00002.xhtml");
	free(r);
	/* a link to this post by its address: the fragment in this outline */
	r = S_href(&l, "/2024/01/a.html#sec", &why);
	CHECK_STR(r, "p00001.2.xhtml#sec");
	free(r);

	/* the blog's own posts by absolute addresses: http for https, www.,
	 * an old host (the path is a post's), and with no url in the settings;
	 * another site's page stays on the web */
	r = S_href(&l, "http://www.blog.example/2024/01/b.html#top", &why);
	CHECK_STR(r, "p00002.xhtml#top");
	free(r);
	r = S_href(&l, "http://old-host.example/2024/01/b/", &why);
	CHECK_STR(r, "p00002.xhtml");
	free(r);
	r = S_href(&l, "http://old-host.example/2024/01/", &why);
	CHECK_STR(r, "http://old-host.example/2024/01/");
	free(r);
	r = S_href(&l, "https://other.example/", &why);
	CHECK_STR(r, "https://other.example/");
	free(r);
	blog.url = NULL;
	r = S_href(&l, "https://any.example/2024/01/b.html", &why);
	CHECK_STR(r, "p00002.xhtml");
	free(r);
	blog.url = "https://blog.example";

	/* a page of the blog not in the book: its address on the web,
	 * percent-encoded; without the blog's url it goes */
	r = S_href(&l, "/about/", &why);
	CHECK_STR(r, "https://blog.example/about/");
	free(r);
	r = S_href(&l, "/tags/café x/", &why);
	CHECK_STR(r, "https://blog.example/tags/caf%C3%A9%20x/");
	free(r);
	blog.url = NULL;
	r = S_href(&l, "/about/", &why);
	CHECK(r == NULL && why == BB_LINK_DROP);
	blog.url = "https://blog.example";

	/* image sources */
	CHECK(bb_link_src_kind(&blog, "/img/a.png") == BB_SRC_LOCAL);
	CHECK(bb_link_src_kind(&blog, "a.png") == BB_SRC_LOCAL);
	CHECK(bb_link_src_kind(&blog, "https://blog.example/img/a.png") == BB_SRC_LOCAL);
	CHECK(bb_link_src_kind(&blog, "https://cdn.example/a.png") == BB_SRC_REMOTE);
	CHECK(bb_link_src_kind(&blog, "//cdn.example/a.png") == BB_SRC_REMOTE);
	CHECK(bb_link_src_kind(&blog, "ftp://cdn.example/a.png") == BB_SRC_SCHEME);
	CHECK(bb_link_src_kind(&blog, "file:///a.png") == BB_SRC_SCHEME);
	CHECK(bb_link_src_kind(&blog, "data:image/png;base64,AAAA") == BB_SRC_BAD);
	CHECK(bb_url_has_scheme("x+y:z") && !bb_url_has_scheme("/a:b") && !bb_url_has_scheme(":x"));

	bb_map_free(&ol.ids);
	bb_map_free(&blog.by_url);
	return TEST_DONE();
}
