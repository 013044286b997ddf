/* test_wpshortcode.c: shortcode attributes by WordPress's
 * get_shortcode_atts_regex() rules, each shortcode's XHTML, escapes,
 * unknown shortcodes with positioned warnings, the_content's order (code
 * before wpautop), and every post and page of WordPress's theme unit test
 * export (../shared/corpora) rendered with no shortcode or block comment
 * left as text. */
#include "tap.h"
#include "util.h"
#include "wpshortcode.h"
#include "wxr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CORPUS "../shared/corpora/wordpress-theme-unit-test/theme-unit-test-data.xml"

typedef struct warned {
	unsigned n, line, col;
	char last[300];
} warned;

static void
S_warn(void *ctx, unsigned line, unsigned col, const char *m)
{
	warned *w = ctx;
	w->n++;
	w->line = line;
	w->col = col;
	snprintf(w->last, sizeof w->last, "%s", m);
}

static const bb_wp_attachment S_media[] = {
	{ "1", "http://example.org/a.jpg", "Cap & A", "alt a" },
	{ "2", "http://example.org/b.jpg", NULL, NULL },
	{ "3", "javascript:alert(1)", NULL, NULL },
};

static const bb_wp_attachment *
S_lookup(void *ctx, const char *id)
{
	size_t i;
	(void)ctx;
	for (i = 0; i < sizeof S_media / sizeof S_media[0]; i++)
		if (strcmp(S_media[i].id, id) == 0)
			return &S_media[i];
	return NULL;
}

static void
test_atts(void)
{
	bb_wpsc_att *a;
	size_t n;
	const char *t = " foo=\"bar baz\" Qux='q' n=1 \"pos one\" 'pos2' bare";
	n = bb_wpsc_parse_atts(t, strlen(t), &a);
	CHECK(n == 6);
	if (n == 6) {
		CHECK(a[0].name && strcmp(a[0].name, "foo") == 0 && strcmp(a[0].value, "bar baz") == 0);
		CHECK(a[1].name && strcmp(a[1].name, "qux") == 0 && strcmp(a[1].value, "q") == 0);
		CHECK(a[2].name && strcmp(a[2].name, "n") == 0 && strcmp(a[2].value, "1") == 0);
		CHECK(!a[3].name && strcmp(a[3].value, "pos one") == 0);
		CHECK(!a[4].name && strcmp(a[4].value, "pos2") == 0);
		CHECK(!a[5].name && strcmp(a[5].value, "bare") == 0);
	}
	bb_wpsc_atts_free(a, n);
	/* a quoted value must end at white space or the end: else a bare word */
	t = "ids=\"1,2\"columns=3";
	n = bb_wpsc_parse_atts(t, strlen(t), &a);
	CHECK(n == 1 && !a[0].name && strcmp(a[0].value, t) == 0);
	bb_wpsc_atts_free(a, n);
	/* spaces around '=', no-break spaces as spaces, backslashes */
	t = "a = \"1\"\xC2\xA0" "b=2 c=\"x\\ty\"";
	n = bb_wpsc_parse_atts(t, strlen(t), &a);
	CHECK(n == 3);
	if (n == 3) {
		CHECK(strcmp(a[0].name, "a") == 0 && strcmp(a[0].value, "1") == 0);
		CHECK(strcmp(a[1].name, "b") == 0 && strcmp(a[1].value, "2") == 0);
		CHECK(strcmp(a[2].value, "x\ty") == 0);
	}
	bb_wpsc_atts_free(a, n);
	/* an unclosed tag in a value empties it; a closed one stays */
	t = "a=\"<b\" b=\"<i>x</i>\"";
	n = bb_wpsc_parse_atts(t, strlen(t), &a);
	CHECK(n == 2 && strcmp(a[0].value, "") == 0 && strcmp(a[1].value, "<i>x</i>") == 0);
	bb_wpsc_atts_free(a, n);
}

static char *
S_do(const char *in, int which, warned *w)
{
	bb_wpsc_opts o;
	memset(&o, 0, sizeof o);
	o.lookup = S_lookup;
	o.children = S_media;
	o.nchildren = 2;
	o.warn = S_warn;
	o.ctx = w;
	return bb_wp_shortcodes(in, strlen(in), which, &o, NULL);
}

static void
test_kinds(void)
{
	warned w;
	char *s;

	memset(&w, 0, sizeof w);
	s = S_do("[caption id=\"attachment_6\" align=\"alignright\" width=\"300\"]<a href=\"x.jpg\"><img src=\"x.jpg\" "
		 "alt=\"\" /></a> The <b>cap</b>[/caption]", BB_WPSC_ALL, &w);
	CHECK_STR(s, "<figure class=\"wp-caption alignright\"><a href=\"x.jpg\"><img src=\"x.jpg\" alt=\"\" /></a>"
		     "<figcaption class=\"wp-caption-text\">The <b>cap</b></figcaption></figure>");
	free(s);
	s = S_do("[caption caption=\"Given\"]<img src=\"y.jpg\" />[/caption]", BB_WPSC_ALL, &w);
	CHECK_STR(s, "<figure class=\"wp-caption\"><img src=\"y.jpg\" /><figcaption class=\"wp-caption-text\">Given"
		     "</figcaption></figure>");
	free(s);
	/* no caption: the image alone */
	s = S_do("[caption]<img src=\"z.jpg\" />[/caption]", BB_WPSC_ALL, &w);
	CHECK_STR(s, "<img src=\"z.jpg\" />");
	free(s);
	CHECK(w.n == 0);

	/* gallery by ids (an unknown id and a javascript: URL left out, warned) */
	s = S_do("[gallery ids=\"2,1,9,3\"]", BB_WPSC_ALL, &w);
	CHECK_STR(s, "<div class=\"gallery\"><figure class=\"gallery-item\"><img src=\"http://example.org/b.jpg\" alt=\"\" />"
		     "</figure><figure class=\"gallery-item\"><img src=\"http://example.org/a.jpg\" alt=\"alt a\" />"
		     "<figcaption>Cap &amp; A</figcaption></figure></div>");
	CHECK(w.n == 2 && strstr(w.last, "attachment 3"));
	free(s);
	/* gallery without ids: the post's attached images, less the excluded */
	s = S_do("[gallery exclude=\"1\" columns=\"2\"]", BB_WPSC_ALL, &w);
	CHECK_STR(s, "<div class=\"gallery\"><figure class=\"gallery-item\"><img src=\"http://example.org/b.jpg\" alt=\"\" />"
		     "</figure></div>");
	free(s);

	/* media: links and figures, nothing that plays */
	s = S_do("[embed width=\"500\"]https://www.youtube.com/watch?v=x&amp;t=1[/embed]", BB_WPSC_ALL, &w);
	CHECK_STR(s, "<figure class=\"wp-embed\"><figcaption><a href=\"https://www.youtube.com/watch?v=x&amp;amp;t=1\">"
		     "https://www.youtube.com/watch?v=x&amp;amp;t=1</a></figcaption></figure>");
	free(s);
	s = S_do("[audio mp3=\"http://e/a.mp3\" ogg=\"http://e/a.ogg\"][/audio]", BB_WPSC_ALL, &w);
	CHECK_STR(s, "<figure class=\"wp-audio\"><figcaption><a href=\"http://e/a.mp3\">http://e/a.mp3</a></figcaption>"
		     "</figure>");
	free(s);
	s = S_do("[video width=\"640\" mp4=\"http://e/v.mp4\" poster=\"http://e/p.jpg\"]", BB_WPSC_ALL, &w);
	CHECK_STR(s, "<figure class=\"wp-video\"><a href=\"http://e/v.mp4\"><img src=\"http://e/p.jpg\" alt=\"video\" />"
		     "</a><figcaption><a href=\"http://e/v.mp4\">http://e/v.mp4</a></figcaption></figure>");
	free(s);
	s = S_do("[video src=\"javascript:alert(1)\"]", BB_WPSC_ALL, &w);
	CHECK_STR(s, "");
	CHECK(strstr(w.last, "[video]") != NULL);
	free(s);

	/* code: the inner text byte for byte, escaped; nothing inside turned */
	s = S_do("[sourcecode language=\"python\"]if a < b and c > d: print(\"&amp;\", '[gallery]')\n\n  x[/sourcecode]",
		 BB_WPSC_ALL, &w);
	CHECK_STR(s, "<pre><code class=\"language-python\">if a &lt; b and c &gt; d: print(&quot;&amp;amp;&quot;, "
		     "&#39;&#91;gallery&#93;&#39;)\n\n  x</code></pre>");
	free(s);
	/* and a later pass over the other shortcodes (after wpautop) finds
	 * none in the code's text */
	{
		char *t = S_do(s = S_do("[code]a [gallery] b[/code]", BB_WPSC_CODE, &w), BB_WPSC_OTHER, &w);
		CHECK_STR(t, "<pre><code>a &#91;gallery&#93; b</code></pre>");
		free(t);
	}
	free(s);
	s = S_do("[code lang=\"c++\"]x[/code]", BB_WPSC_ALL, &w);
	CHECK_STR(s, "<pre><code class=\"language-c++\">x</code></pre>");
	free(s);

	/* escapes and prose */
	s = S_do("[[gallery]] [[caption]x[/caption]] [sic] [1] [citation needed] a [b] c", BB_WPSC_ALL, &w);
	CHECK_STR(s, "[gallery] [caption]x[/caption] [sic] [1] [citation needed] a [b] c");
	free(s);

	/* unknown: the inner text kept, a warning at its line and column */
	w.n = 0;
	s = S_do("one\ntwo [tabs style=\"x\"][tab title=\"A\"]Alpha[/tab][/tabs] [ad id=3]", BB_WPSC_ALL, &w);
	CHECK_STR(s, "one\ntwo Alpha ");
	CHECK(w.n == 3 && w.line == 2 && w.col == 55 && strstr(w.last, "[ad]"));
	free(s);

	/* one pass leaves the other's shortcodes, escaped ones too, alone */
	s = S_do("[[gallery]] [gallery ids=\"1\"] [code]x[/code]", BB_WPSC_CODE, &w);
	CHECK_STR(s, "[[gallery]] [gallery ids=\"1\"] <pre><code>x</code></pre>");
	free(s);
}

static void
test_render(void)
{
	const char *in = "Intro line\nsecond\n\n[code lang=\"sh\"]ls\n\ncd /[/code]\n\n[gallery ids=\"1\"]\n\n"
			 "[caption]<img src=\"a.jpg\" /> Cap[/caption]\n\nEnd";
	bb_wpsc_opts o;
	warned w;
	char *s;
	memset(&o, 0, sizeof o);
	memset(&w, 0, sizeof w);
	o.lookup = S_lookup;
	o.warn = S_warn;
	o.ctx = &w;
	s = bb_wp_render(in, strlen(in), &o, NULL);
	CHECK_STR(s, "<p>Intro line<br />\nsecond</p>\n<pre><code class=\"language-sh\">ls\n\ncd /</code></pre>\n"
		     "<div class=\"gallery\"><figure class=\"gallery-item\"><img src=\"http://example.org/a.jpg\" "
		     "alt=\"alt a\" /><figcaption>Cap &amp; A</figcaption></figure></div>\n"
		     "<figure class=\"wp-caption\"><img src=\"a.jpg\" /><figcaption class=\"wp-caption-text\">Cap"
		     "</figcaption></figure>\n<p>End</p>\n");
	free(s);
	/* block content: comments gone, no wpautop, shortcode blocks turned */
	in = "<!-- wp:paragraph -->\n<p>A</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:shortcode -->\n[gallery ids=\"2\"]\n"
	     "<!-- /wp:shortcode -->";
	s = bb_wp_render(in, strlen(in), &o, NULL);
	CHECK_STR(s, "\n<p>A</p>\n\n\n\n<div class=\"gallery\"><figure class=\"gallery-item\"><img "
		     "src=\"http://example.org/b.jpg\" alt=\"\" /></figure></div>\n");
	free(s);
}

/* Every post and page of the theme unit test export, through
 * bb_wp_render_entry (attachments by id and by parent from the export). */
static void
test_corpus(void)
{
	bb_export *x = NULL;
	bb_diaglist d = { 0 };
	warned w;
	size_t i, k, rendered = 0, galleries = 0, captions = 0, media = 0, left = 0;
	static const char *const marks[] = { "<!-- wp:", "<!-- /wp:", "[caption", "[gallery", "[audio", "[video",
					     "[embed", "[/caption]", "[/audio]", "[/video]", NULL };

	memset(&w, 0, sizeof w);
	if (bb_wxr_read_file(CORPUS, "theme-unit-test-data.xml", NULL, &x, &d) < 0) {
		fprintf(stderr, "%s: missing or unreadable: this test needs ../shared/corpora\n", CORPUS);
		SKIP("corpus", CORPUS " not found (../shared/corpora)");
		bb_diag_clear(&d);
		return;
	}
	for (i = 0; i < x->nentries; i++) {
		const bb_entry *e = &x->entries[i];
		char *s;
		size_t n;
		if (strcmp(e->type, "post") != 0 && strcmp(e->type, "page") != 0)
			continue;
		s = bb_wp_render_entry(x, e, S_warn, &w, &n);
		CHECK(n == strlen(s));
		rendered++;
		if (strstr(s, "class=\"gallery\""))
			galleries++;
		if (strstr(s, "wp-caption-text"))
			captions++;
		if (strstr(s, "class=\"wp-audio\"") || strstr(s, "class=\"wp-video\""))
			media++;
		for (k = 0; marks[k]; k++)
			if (strstr(s, marks[k])) {
				/* only where the source escaped it ([[gallery]]) */
				char *esc = bb_xasprintf("[%s", marks[k]);
				if (!strstr(e->body, esc)) {
					fprintf(stderr, "  post %s (%s): '%s' left in the output\n", e->id, e->title, marks[k]);
					left++;
				}
				free(esc);
			}
		free(s);
	}
	CHECK(rendered == 79);
	CHECK(left == 0);
	CHECK(galleries > 0 && captions > 0 && media > 0);
	/* the index: an attachment by id, the attachments of a post */
	{
		size_t n = 0, with = 0;
		for (i = 0; i < x->nentries; i++) {
			const bb_entry *e = &x->entries[i];
			CHECK(bb_export_find(x, e->id) != NULL && strcmp(bb_export_find(x, e->id)->id, e->id) == 0);
			if (strcmp(e->type, "attachment") == 0 && strcmp(e->parent_id, "0") != 0) {
				bb_entry *const *kids = bb_export_children(x, e->parent_id, &n);
				for (k = 0; k < n && kids[k] != e; k++)
					;
				if (k < n)
					with++;
			}
		}
		CHECK(with > 0);
		CHECK(bb_export_find(x, "no-such-id") == NULL);
	}
	fprintf(stderr, "  corpus: %zu posts and pages rendered, %zu with a gallery, %zu with a caption, %zu with audio "
			"or video, %u warnings (last: %s)\n", rendered, galleries, captions, media, w.n, w.last);
	bb_export_free(x);
	bb_diag_clear(&d);
}

/* Many '[' without ']' or many unclosed shortcodes: linear time. */
static void
test_bounds(void)
{
	size_t n = 400000, i;
	char *in = bb_xmalloc(n + 1), *s;
	clock_t t0 = clock();
	warned w;
	memset(&w, 0, sizeof w);
	for (i = 0; i < n; i++)
		in[i] = '[';
	in[n] = '\0';
	s = S_do(in, BB_WPSC_ALL, &w);
	CHECK(strlen(s) == n);
	free(s);
	for (i = 0; i + 8 <= n; i += 8)
		memcpy(in + i, "[a b=1] ", 8);
	s = S_do(in, BB_WPSC_ALL, &w);
	CHECK(s != NULL && w.n == 100);
	free(s);
	for (i = 0; i + 8 <= n; i += 8)
		memcpy(in + i, "[[[[[[[[", 8);
	s = S_do(in, BB_WPSC_ALL, &w);
	free(s);
	CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
	free(in);
}

int
main(void)
{
	test_atts();
	test_kinds();
	test_render();
	test_corpus();
	test_bounds();
	return TEST_DONE();
}
