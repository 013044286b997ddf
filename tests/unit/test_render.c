/* test_render.c: the render stage on small posts: ids, heading levels,
 * inert markup, entities, footnotes, tasks, tables, links, well-formedness. */
#define _XOPEN_SOURCE 700
#include "blog.h"
#include "render.h"
#include "tap.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256];

static void
S_write(const char *rel, const char *text)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", root, rel);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* Binds a blog of one post and returns its first file's XHTML (caller
 * frees), checking that every file parses as XML. */
static char *
S_render(const char *body, int *nparts)
{
	bb_options o;
	bb_blog *b;
	bb_render_out out;
	bb_diaglist dl = { NULL, 0, 0 };
	char *post, *r = NULL;
	int k, wellformed = 1;
	post = bb_xasprintf("---\ntitle: Test post\ndate: 2024-02-03\n---\n%s", body);
	S_write("_posts/2024-02-03-test.md", post);
	free(post);
	bb_options_init(&o);
	o.source_dir = root;
	b = bb_collect(&o);
	if (!b || b->nposts != 1) {
		CHECK(b && b->nposts == 1);
		bb_blog_free(b);
		return NULL;
	}
	memset(&out, 0, sizeof out);
	if (bb_render_post(b, 0, &out, 0, &dl) == 0 && out.nparts > 0) {
		for (k = 0; k < out.nparts; k++) {
			xmlDocPtr d = xmlReadMemory(out.parts[k].data, (int)out.parts[k].len, NULL, "UTF-8",
						    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
			if (!d)
				wellformed = 0;
			xmlFreeDoc(d);
		}
		r = bb_xstrdup(out.parts[0].data);
		if (nparts)
			*nparts = out.nparts;
	}
	CHECK(wellformed);
	CHECK(r != NULL); /* a failed render is a failure of its own */
	bb_render_out_free(&out);
	bb_diag_clear(&dl);
	bb_blog_free(b);
	return r;
}

static int
S_has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

/* Returns 1 when a rendered HAY lacks NEEDLE; 0 when it holds it or when
 * there is no rendering (a failed render proves no absence). */
static int
S_lacks(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) == NULL;
}

int
main(void)
{
	char *x;
	snprintf(root, sizeof root, "/tmp/bb-test-render-%ld", (long)getpid());
	mkdir(root, 0755);
	snprintf(root + strlen(root), sizeof root - strlen(root), "%s", "");
	{
		char p[300];
		snprintf(p, sizeof p, "%s/_posts", root);
		mkdir(p, 0755);
	}
	S_write("_config.yml", "title: T\nurl: https://blog.example\n");

	/* heading ids: stable, valid, unique, Japanese kept, digits prefixed */
	x = S_render("## Hello World\n\n## Hello World\n\n## 2024 plans\n\n## 日本語の見出し\n", NULL);
	CHECK(S_has(x, "<h2 id=\"hello-world\">Hello World</h2>"));
	CHECK(S_has(x, "<h2 id=\"hello-world-1\">"));
	CHECK(S_has(x, "<h2 id=\"h-2024-plans\">"));
	CHECK(S_has(x, "<h2 id=\"日本語の見出し\">"));
	free(x);

	/* levels: the body starts at h2 under the title's h1, without gaps */
	x = S_render("### a\n\n##### b\n\n# c\n", NULL);
	CHECK(S_has(x, "<h2 id=\"a\">") && S_has(x, "<h3 id=\"b\">") && S_has(x, "<h2 id=\"c\">"));
	free(x);

	/* inert: scripts, handlers, script URLs, frames, forms */
	x = S_render("<script>alert(1)</script>\n\n<p onclick=\"x()\">click</p>\n\n[a](javascript:alert(1)) "
		     "<a href=\"JaVa&#x09;Script:alert(2)\">b</a>\n\n<iframe src=\"https://video.example/1\"></iframe>\n\n"
		     "<form action=\"/x\"><input type=\"text\"><p>form text</p></form>\n", NULL);
	CHECK(S_lacks(x, "<script") && S_lacks(x, "alert(1)</script") && S_lacks(x, "onclick"));
	CHECK(S_lacks(x, "javascript:") && S_lacks(x, "Script:alert"));
	CHECK(S_lacks(x, "<iframe") && S_has(x, "href=\"https://video.example/1\""));
	CHECK(S_lacks(x, "<form") && S_lacks(x, "<input") && S_has(x, "form text"));
	free(x);

	/* entities from raw HTML become characters; tag soup is repaired */
	x = S_render("<p>a&nbsp;b &copy; c&hellip; <b>bold <i>both</b> after</p>\n\nx<br>y\n", NULL);
	CHECK(S_has(x, "a\xC2\xA0" "b \xC2\xA9 c\xE2\x80\xA6"));
	CHECK(S_has(x, "<br/>"));
	free(x);

	/* footnotes carry EPUB and ARIA semantics; tasks become marks */
	x = S_render("Text[^1].\n\n[^1]: The note.\n\n- [ ] todo\n- [x] done\n", NULL);
	CHECK(S_has(x, "epub:type=\"noteref\" role=\"doc-noteref\""));
	CHECK(S_has(x, "epub:type=\"footnotes\" role=\"doc-endnotes\""));
	/* each note an aside readers pop up, numbered for those that do not;
	 * no list item with the deprecated doc-endnote role */
	CHECK(S_has(x, "<aside id=\"fn-1\" class=\"footnote\" data-footnote=\"1\" epub:type=\"footnote\" "
		       "role=\"doc-footnote\">\n<p><span class=\"footnote-label\">1. </span>The note."));
	CHECK(S_lacks(x, "<ol") && S_lacks(x, "doc-endnote\"") && S_lacks(x, "epub:type=\"endnote\""));
	CHECK(S_has(x, "\xE2\x98\x90") && S_has(x, "\xE2\x98\x91") && S_lacks(x, "<input"));
	free(x);
	/* a note that starts with another block: its number stands alone */
	x = S_render("A[^a] b[^b].\n\n[^b]: Second.\n\n[^a]: - an item\n", NULL);
	CHECK(S_has(x, "data-footnote=\"1\" epub:type=\"footnote\" role=\"doc-footnote\"><p><span "
		       "class=\"footnote-label\">1. </span></p>\n<ul>"));
	CHECK(S_has(x, "<aside id=\"fn-b\" class=\"footnote\" data-footnote=\"2\"") &&
	      S_has(x, "<span class=\"footnote-label\">2. </span>Second."));
	free(x);

	/* {{ page.date }}: Jekyll prints the post's Time as Ruby does, in UTC
	 * (jekyll 4.3's output for its own fixture 2008-11-21-complex) */
	x = S_render("date: {{ page.date }}; {{ page.date | date_to_string }}\n", NULL);
	CHECK(S_has(x, "date: 2024-02-03 00:00:00 +0000; 03 Feb 2024"));
	free(x);

	/* tables: alignment as style, never the obsolete align attribute */
	x = S_render("| a | b |\n|:-:|--:|\n| 1 | 2 |\n", NULL);
	CHECK(S_has(x, "<table>") && S_has(x, "text-align: center") && S_lacks(x, " align="));
	free(x);

	/* links: to the blog's own pages not in the book become absolute; a
	 * fragment that names nothing is dropped, its text kept */
	x = S_render("[about](/about/) [gone](#nowhere) [ext](https://other.example/x?y=1)\n", NULL);
	CHECK(S_has(x, "href=\"https://blog.example/about/\""));
	CHECK(S_lacks(x, "#nowhere") && S_has(x, "gone"));
	CHECK(S_has(x, "href=\"https://other.example/x?y=1\""));
	free(x);

	/* images: missing local ones keep their alt text; no alt gets one */
	x = S_render("![A cat](/img/cat.png) <img src=\"/img/dog.png\">\n", NULL);
	CHECK(S_has(x, "missing-image") && S_has(x, "A cat") && S_lacks(x, "<img"));
	free(x);

	/* deep nesting is flattened, its text kept */
	{
		bb_buf deep = BB_BUF_INIT;
		int i;
		for (i = 0; i < 3000; i++)
			bb_buf_puts(&deep, "<div>");
		bb_buf_puts(&deep, "deep text");
		for (i = 0; i < 3000; i++)
			bb_buf_puts(&deep, "</div>");
		bb_buf_puts(&deep, "\n\n");
		for (i = 0; i < 2000; i++)
			bb_buf_puts(&deep, "> ");
		bb_buf_puts(&deep, "quoted deep\n");
		x = S_render(deep.data, NULL);
		CHECK(S_has(x, "deep text") && S_has(x, "quoted deep"));
		free(x);
		bb_buf_free(&deep);
	}

	/* a large post is split into several files */
	{
		bb_buf big = BB_BUF_INIT;
		int i, n = 0;
		for (i = 0; i < 1500; i++) {
			if (i % 100 == 0)
				bb_buf_printf(&big, "## Part %d\n\n", i / 100);
			bb_buf_printf(&big, "Paragraph %d with enough words to matter for the size of the file "
					    "and then some more words to pass two hundred bytes in all. %s\n\n",
				      i, "Lorem ipsum dolor sit amet, consectetur adipiscing elit.");
		}
		x = S_render(big.data, &n);
		CHECK(n >= 2);
		free(x);
		bb_buf_free(&big);
	}

	{
		char cmd[400];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", root);
	}
	return TEST_DONE();
}
