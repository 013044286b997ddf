/* test_xhtml.c: the sanitizing writer alone (xhtml.c, media.c) over a tree
 * and an outline: what it writes, and the facts it reports as flags: ruby,
 * images embedded, images without alt text, math, svg, remote images. */
#define _XOPEN_SOURCE 700
#include "blog.h"
#include "markdown.h"
#include "outline.h"
#include "xhtml.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256];
static bb_blog *blog;

/* A 1x1 PNG. */
static const unsigned char png[] = {
	0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
	0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
	0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
	0x42, 0x60, 0x82
};

static void
S_write(const char *rel, const void *data, size_t n)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", root, rel);
	f = fopen(path, "wb");
	fwrite(data, 1, n, f);
	fclose(f);
}

/* Writes html (a post's body) through the writer; returns the XHTML
 * (caller frees) and the facts in *facts, warnings in dl. */
static char *
S_write_html(const char *html, unsigned *facts, bb_diaglist *dl)
{
	bb_markdown_in in;
	bb_outline ol;
	bb_links l;
	bb_xhtml *x;
	bb_buf o = BB_BUF_INIT;
	xmlNodePtr body, top;
	xmlDocPtr doc;
	memset(&in, 0, sizeof in);
	in.text = html;
	in.len = strlen(html);
	in.is_html = 1;
	in.path = blog->posts[0].path;
	in.dl = dl;
	doc = bb_markdown_to_tree(&in, &body);
	memset(&ol, 0, sizeof ol);
	bb_outline_build(&ol, &blog->posts[0], body, dl);
	memset(&l, 0, sizeof l);
	l.b = blog;
	l.p = &blog->posts[0];
	l.ol = &ol;
	x = bb_xhtml_new(blog, &blog->posts[0], &l, dl, &bb_xhtml_std_transforms);
	for (top = body->children; top; top = top->next)
		bb_xhtml_block(x, top, &o);
	*facts = bb_xhtml_facts(x);
	bb_xhtml_free(x);
	bb_outline_free(&ol);
	xmlFreeDoc(doc);
	return o.data ? bb_buf_detach(&o, NULL) : bb_xstrdup("");
}

static int
S_has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

int
main(void)
{
	bb_options opt;
	bb_diaglist dl = { NULL, 0, 0 };
	unsigned f;
	char *x, p[300];

	snprintf(root, sizeof root, "/tmp/bb-test-xhtml-%ld", (long)getpid());
	mkdir(root, 0755);
	snprintf(p, sizeof p, "%s/_posts", root);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/img", root);
	mkdir(p, 0755);
	S_write("_config.yml", "title: T\n", 9);
	S_write("_posts/2024-02-03-test.md", "---\ntitle: Test\n---\nx\n", 22);
	S_write("img/a.png", png, sizeof png);
	bb_options_init(&opt);
	opt.source_dir = root;
	blog = bb_collect(&opt);
	CHECK(blog && blog->nposts == 1);
	if (!blog || blog->nposts != 1)
		return TEST_DONE();

	/* an image with alt text: embedded, described */
	x = S_write_html("<p><img src=\"/img/a.png\" alt=\"A red dot\"></p>", &f, &dl);
	CHECK(S_has(x, "<img src=\"img/") && S_has(x, "alt=\"A red dot\""));
	CHECK(f == BB_FACT_IMAGE);
	free(x);

	/* without alt, or with an empty one: embedded, not described */
	x = S_write_html("<p><img src=\"/img/a.png\"></p>", &f, &dl);
	CHECK(S_has(x, "alt=\"\""));
	CHECK(f == (BB_FACT_IMAGE | BB_FACT_NO_ALT));
	free(x);
	x = S_write_html("<p><img src=\"/img/a.png\" alt=\"  \"></p>", &f, &dl);
	CHECK(f == (BB_FACT_IMAGE | BB_FACT_NO_ALT));
	free(x);

	/* a missing image is no image of the book, whatever its alt */
	x = S_write_html("<p><img src=\"/img/none.png\"></p>", &f, &dl);
	CHECK(S_has(x, "missing-image") && !S_has(x, "<img"));
	CHECK(f == 0);
	free(x);

	/* a remote image becomes a link (no --fetch-remote) */
	x = S_write_html("<p><img src=\"https://cdn.example/a.png\" alt=\"far\"></p>", &f, &dl);
	CHECK(S_has(x, "<a class=\"remote-image\" href=\"https://cdn.example/a.png\">far</a>"));
	CHECK(f == BB_FACT_REMOTE);
	free(x);

	/* ruby (with or without attributes), math and svg */
	x = S_write_html("<p><ruby>漢<rt>かん</rt></ruby></p>", &f, &dl);
	CHECK(S_has(x, "<ruby>漢<rt>かん</rt></ruby>") && f == BB_FACT_RUBY);
	free(x);
	x = S_write_html("<p><ruby class=\"r\">字<rp>(</rp><rt>じ</rt><rp>)</rp></ruby></p>", &f, &dl);
	CHECK(f == BB_FACT_RUBY);
	free(x);
	x = S_write_html("<p>&lt;ruby&gt; is a tag</p><pre><code>&lt;ruby&gt;</code></pre>", &f, &dl);
	CHECK(f == 0);
	free(x);
	x = S_write_html("<p><math><mi>x</mi></math> and <svg><text>hi</text></svg></p>", &f, &dl);
	CHECK(S_has(x, "<span class=\"math\">x</span>"));
	CHECK(f == (BB_FACT_MATH | BB_FACT_SVG));
	free(x);

	/* what is written stays inert and well-formed */
	x = S_write_html("<p onclick=\"x()\">a<script>alert(1)</script><a href=\"javascript:x()\">b</a></p><hr>", &f, &dl);
	CHECK_STR(x, "<p>ab</p><hr/>");
	free(x);
	x = S_write_html("<table><tr>stray<td>1</td></tr></table>", &f, &dl);
	CHECK(S_has(x, "<tr><td>stray</td><td>1</td></tr>"));
	free(x);
	/* every old name is written as its new one (xhtml.c finds them by a
	 * hash of the name: a slot missed would unwrap one) */
	x = S_write_html("<div><acronym>a</acronym><big>b</big><blink>c</blink><font>d</font><marquee>e</marquee>"
			 "<nobr>f</nobr><strike>g</strike><tt>h</tt><center>i</center><menu><li>j</li></menu>"
			 "<dir><li>k</li></dir><listing>l</listing><xmp>m</xmp></div>", &f, &dl);
	CHECK(S_has(x, "<abbr>a</abbr><span>b</span><span>c</span><span>d</span><span>e</span><span>f</span>"
		       "<s>g</s><code>h</code><div>i</div><ul><li>j</li></ul><ul><li>k</li></ul><pre>l</pre><pre>m</pre>"));
	free(x);

	bb_diag_clear(&dl);
	bb_blog_free(blog);
	{
		char cmd[400];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", root);
	}
	return TEST_DONE();
}
