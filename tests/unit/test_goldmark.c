/* test_goldmark.c: goldmark.c on cmark's tree: the typographer's rules
 * (quotes, apostrophes and their exceptions, dashes, ellipsis, angle
 * quotes; never in code), and heading attributes. The expected texts are
 * what hugo 0.111 (goldmark 1.5) printed for the same Markdown. */
#define _XOPEN_SOURCE 700
#include "goldmark.h"
#include "tap.h"

#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* md through cmark and bb_goldmark_tree, as HTML (caller frees). */
static char *
S_html(const char *md, int *attrs)
{
	cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_UNSAFE);
	bb_goldmark_opts o;
	char *h;
	int r;
	bb_goldmark_opts_init(&o);
	r = bb_goldmark_tree(doc, &o);
	if (attrs)
		*attrs = r;
	h = cmark_render_html(doc, CMARK_OPT_UNSAFE, NULL);
	cmark_node_free(doc);
	return h;
}

static void
S_has(const char *md, const char *want, int line)
{
	char *h = S_html(md, NULL);
	if (!strstr(h, want))
		fprintf(stderr, "line %d:\n  in:   %s\n  got:  %s  want: %s\n", line, md, h, want);
	CHECK(strstr(h, want) != NULL);
	free(h);
}
#define HAS(md, want) S_has(md, want, __LINE__)

int
main(void)
{
	char *h;
	int n, n_dummy;

	HAS("Say 'hi' and \"bye\" -- or --- wait... << ok >> now",
	    "<p>Say \xe2\x80\x98hi\xe2\x80\x99 and \xe2\x80\x9c" "bye\xe2\x80\x9d \xe2\x80\x93 or \xe2\x80\x94 wait\xe2\x80\xa6 "
	    "\xc2\xab ok \xc2\xbb now</p>");
	HAS("Back in the '80s we'd say 80's; I can't, you're, I'll, it's, rock 'n roll.",
	    "<p>Back in the \xe2\x80\x99" "80s we\xe2\x80\x99" "d say 80\xe2\x80\x99s; I can\xe2\x80\x99t, you\xe2\x80\x99re, "
	    "I\xe2\x80\x99ll, it\xe2\x80\x99s, rock \xe2\x80\x99n roll.</p>");
	HAS("The Clarks' car; \"Screen 27\"\" is big; \"done,\" she said 'quite.'",
	    "<p>The Clarks\xe2\x80\x99 car; \xe2\x80\x9cScreen 27&quot;\xe2\x80\x9d is big; \xe2\x80\x9c" "done,\xe2\x80\x9d she "
	    "said \xe2\x80\x98quite.\xe2\x80\x99</p>");
	/* quotes around and inside spans; 'e... is an abbreviation to goldmark */
	HAS("*\"Emphasised quote.\"* and **'bold'** and [a \"link\" text](http://e.x/) 'end'",
	    "<p><em>\xe2\x80\x9c" "Emphasised quote.\xe2\x80\x9d</em> and <strong>\xe2\x80\x98" "bold\xe2\x80\x99</strong> and "
	    "<a href=\"http://e.x/\">a \xe2\x80\x9clink\xe2\x80\x9d text</a> \xe2\x80\x99" "end\xe2\x80\x99</p>");
	/* code keeps its quotes */
	HAS("A `code 'span'` and \"x\" `y` \"z\"",
	    "<p>A <code>code 'span'</code> and \xe2\x80\x9cx\xe2\x80\x9d <code>y</code> \xe2\x80\x9cz\xe2\x80\x9d</p>");
	HAS("- item \"one\"\n- 'two' items\n", "<li>\xe2\x80\x99two\xe2\x80\x99 items</li>");
	HAS("```\n\"fenced\" -- code...\n```\n", "&quot;fenced&quot; -- code...");

	/* heading attributes: a marker after the heading, the text without them */
	h = S_html("## Title's here {#my-id .cls}\n\nSetext \"heading\"\n===\n\n## Not {attrs}\n", &n);
	CHECK(n == 1);
	CHECK(strstr(h, "<h2>Title\xe2\x80\x99s here</h2>\n<!--bb-ial #my-id .cls-->") != NULL);
	CHECK(strstr(h, "<h1>Setext \xe2\x80\x9cheading\xe2\x80\x9d</h1>") != NULL);
	CHECK(strstr(h, "<h2>Not {attrs}</h2>") != NULL);
	free(h);
	/* an id that could end the comment is dropped, the heading kept */
	h = S_html("# T {#a--b .c}\n", &n);
	CHECK(strstr(h, "<h1>T</h1>\n<!--bb-ial .c-->") != NULL);
	free(h);

	/* hostile: a megabyte on one line, and a long run of quotes, stay
	 * linear */
	{
		size_t n = 1000000, k;
		char *big = malloc(n + 1);
		clock_t c0 = clock();
		for (k = 0; k < n; k++)
			big[k] = k < n / 2 ? "a'b\"c-"[k % 7] : '\'';
		big[n] = '\0';
		h = S_html(big, &n_dummy);
		CHECK(h != NULL && (double)(clock() - c0) / CLOCKS_PER_SEC < 3.0);
		free(h);
		free(big);
	}

	/* a Hugo config's markup.goldmark settings: off as a boolean or a
	 * table with disable = true; defaults otherwise */
	{
		static const char cfg[] = "[markup.goldmark.extensions]\nlinkify = false\n"
					  "[markup.goldmark.extensions.typographer]\ndisable = true\n"
					  "[markup.goldmark.parser.attribute]\ntitle = false\n";
		bb_fm_problem pr;
		bb_fm_node *c = bb_fm_parse_toml(cfg, strlen(cfg), 1, &pr);
		bb_goldmark_opts o;
		bb_goldmark_opts_config(&o, c);
		CHECK(o.typographer == 0 && o.linkify == 0 && o.heading_attrs == 0);
		bb_goldmark_opts_config(&o, NULL);
		CHECK(o.typographer == 1 && o.linkify == 1 && o.heading_attrs == 1);
		bb_fm_free(c);
	}

	/* the one-line hook */
	h = bb_goldmark_typo("don't", 5, 0);
	CHECK_STR(h, "don\xe2\x80\x99t");
	free(h);
	return TEST_DONE();
}
