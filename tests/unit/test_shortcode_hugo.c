/* test_shortcode_hugo.c: shortcode_hugo.c alone, on a blog made by hand:
 * each built-in shortcode as Hugo's template shows it, arguments (named,
 * positional, quoted, raw, over lines), comments shown as written, paired
 * tags, ref/relref to bundles with anchors, and unknown ones kept with a
 * warning at their line and column. */
#define _XOPEN_SOURCE 700
#include "shortcode_hugo.h"
#include "fm.h"
#include "tap.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bb_blog blog;
static bb_post posts[3];
static bb_diaglist dl;
static bb_hugo_counts counts;
static bb_fm_node *page;

/* The expansion of s in post 0 (body starting at file line 10); "" when
 * nothing changed. Caller frees. */
static char *
S_x(const char *s)
{
	bb_hugo_in in;
	size_t n;
	char *r;
	memset(&in, 0, sizeof in);
	in.b = &blog;
	in.p = &posts[0];
	in.page = page;
	in.line0 = 10;
	in.dl = &dl;
	r = bb_hugo_shortcodes(&in, s, strlen(s), &n, &counts);
	if (r)
		CHECK(strlen(r) == n);
	return r ? r : strdup("");
}

/* 1 when s (expanded) equals want. */
static void
S_is(const char *s, const char *want, int line)
{
	char *r = S_x(s);
	if (strcmp(r, want) != 0)
		fprintf(stderr, "line %d:\n  in:   %s\n  got:  %s\n  want: %s\n", line, s, r, want);
	CHECK(strcmp(r, want) == 0);
	free(r);
}
#define IS(s, want) S_is(s, want, __LINE__)

/* 1 when the expansion of s holds each of the NULL-ended pieces. */
static int
S_has(const char *s, ...)
{
	va_list ap;
	const char *w;
	char *r = S_x(s);
	int ok = 1;
	va_start(ap, s);
	while ((w = va_arg(ap, const char *)))
		if (!strstr(r, w)) {
			fprintf(stderr, "missing %s in: %s\n", w, r);
			ok = 0;
		}
	va_end(ap);
	free(r);
	return ok;
}

int
main(void)
{
	static const char cfg[] = "title = \"T\"\n[params]\ndescription = \"Site words\"\n[params.deep]\nkey = \"nested\"\n";
	static const char fmt[] = "title = \"P\"\nsubtitle = \"Page words\"\n";
	bb_fm_problem prob;
	size_t i;

	memset(&blog, 0, sizeof blog);
	blog.root = ".";
	blog.posts = posts;
	blog.nposts = 3;
	posts[0].path = "content/posts/first/index.en.md";
	posts[0].url = "/posts/first/";
	posts[1].path = "content/posts/55-name/index.en.md";
	posts[1].url = "/posts/55-name/";
	posts[2].path = "content/post/plain.md";
	posts[2].url = "/post/plain/";
	blog.config = bb_fm_parse_toml(cfg, strlen(cfg), 1, &prob);
	page = bb_fm_parse_toml(fmt, strlen(fmt), 2, &prob);

	/* no shortcode: nothing to do */
	IS("plain {{ text }} and { braces }", "");

	/* highlight: a fence in the language, code never read as Markdown,
	 * Hugo's trimmed new lines, options ignored */
	IS("{{< highlight toml >}}\n# a comment\nk = 1\n{{< /highlight >}}\n", "```toml\n# a comment\nk = 1\n```\n\n");
	IS("{{< highlight go \"linenos=table,hl_lines=2\" >}}\nx\n{{< / highlight >}}", "```go\nx\n```\n");
	/* a longer fence than any backtick run inside */
	IS("{{< highlight md >}}\n```\ncode\n```\n{{< /highlight >}}", "````md\n```\ncode\n```\n````\n");
	/* inside a list item: indented like the tag */
	IS("1. item\n\n   {{< highlight sh >}}\nls\n{{< /highlight >}}", "1. item\n\n   ```sh\n   ls\n   ```\n");
	/* comments in the code are shown as the shortcodes they quote */
	IS("{{< highlight html >}}\n{{</* figure src=\"a.png\" */>}}\n{{< /highlight >}}",
	   "```html\n{{< figure src=\"a.png\" >}}\n```\n");

	/* figure: Hugo's HTML, alt from caption, link, title, attr */
	CHECK(S_has("{{< figure src=\"img/a.png\" title=\"T\" caption=\"Cap & more\" link=\"https://x.example/\" "
		    "width=\"300\" >}}",
		    "<figure><a href=\"https://x.example/\"><img src=\"img/a.png\" alt=\"Cap &amp; more\" width=\"300\" />",
		    "<figcaption><h4>T</h4>\n\nCap & more\n\n</figcaption></figure>", NULL));
	/* the caption is Markdown (Hugo's markdownify), the alt text plain;
	 * attr follows it, in its link; a caption cannot open another block */
	CHECK(S_has("{{< figure src=\"a.png\" caption=\"A *dot* [l](u)\" attr=\"by me\" attrlink=\"https://m.example\" >}}",
		    "alt=\"A dot l\"", "\n\nA *dot* [l](u)<a href=\"https://m.example\">by me</a>\n\n", NULL));
	CHECK(S_has("{{< figure src=\"a.png\" caption=\"# not a heading\" >}}", "\n\n\\# not a heading\n\n", NULL));
	CHECK(S_has("{{< figure src=\"a.png\" attr=\"only\" >}}", "<figcaption>\n\nonly\n\n</figcaption>", NULL));
	/* over several lines, with a class; an attribute cannot break out */
	CHECK(S_has("{{< figure\n    src=\"/i/z.jpg\"\n    alt='x'\n    class=\"a\\\"b\"\n>}}", "<figure class=\"a&quot;b\">",
		    "src=\"/i/z.jpg\"", NULL));
	CHECK(S_has("{{< figure src=`raw \"q\"` >}}", "src=\"raw &quot;q&quot;\"", NULL));

	/* embeds: links with a text */
	IS("{{< youtube w7Ft2ymGmfc >}}", "[YouTube video w7Ft2ymGmfc](https://www.youtube.com/watch?v=w7Ft2ymGmfc)");
	IS("{{< youtube id=\"abc\" title=\"A talk\" >}}", "[A talk](https://www.youtube.com/watch?v=abc)");
	IS("{{< vimeo 146022717 >}}", "[Vimeo video 146022717](https://vimeo.com/146022717)");
	IS("{{< gist spf13 7896402 >}}", "[Gist spf13/7896402](https://gist.github.com/spf13/7896402)");
	IS("{{< x user=GoHugoIO id=917359331535966209 >}}",
	   "[Post by @GoHugoIO 917359331535966209](https://x.com/GoHugoIO/status/917359331535966209)");
	IS("{{< tweet user=\"a\" id=\"1\" >}}", "[Tweet by @a 1](https://twitter.com/a/status/1)");
	IS("{{< instagram CxOWiQNP2MO >}}", "[Instagram post CxOWiQNP2MO](https://www.instagram.com/p/CxOWiQNP2MO/)");

	/* param: the page's, then the site's params (nested, any case) */
	IS("{{< param subtitle >}}", "Page words");
	IS("{{< param \"description\" >}}", "Site words");
	IS("{{% param Deep.Key %}}", "nested");

	/* ref and relref: bundles, anchors, relative and absolute paths */
	IS("[a]({{< ref \"55-name/#anchor\" >}})", "[a](/posts/55-name/#anchor)");
	IS("[a]({{< relref \"/posts/55-name\" >}})", "[a](/posts/55-name/)");
	IS("[a]({{< ref \"../55-name/index.en.md\" >}})", "[a](/posts/55-name/)");
	IS("[a]({{< ref path=\"plain.md\" >}})", "[a](/post/plain/)");
	IS("[a]({{< ref \"#here\" >}})", "[a](#here)");

	/* qr, details */
	IS("{{< qr text=\"https://q.example\" />}}", "https://q.example");
	CHECK(S_has("{{< details summary=\"More\" >}}\nInner *text*\n{{< /details >}}", "**More**", "Inner *text*", NULL));

	/* a comment shortcode outside code is shown as written */
	IS("Write {{%/* param x */%}} or {{</* x */>}}.", "Write {{% param x %}} or {{< x >}}.");

	/* unknown: tags removed, inner text kept as Markdown, one warning at
	 * the opening tag's line and column */
	bb_diag_clear(&dl);
	IS("x\n  {{< mybox tip \"Title\" >}}\n**inner**\n{{< /mybox >}}",
	   "x\n  \n**inner**\n");
	CHECK(dl.n == 1);
	if (dl.n == 1) {
		CHECK(dl.v[0].line == 11 && dl.v[0].col == 3);
		CHECK(strstr(dl.v[0].message, "'mybox'") != NULL);
		CHECK(strstr(dl.v[0].message, "inner text kept") != NULL);
		CHECK_STR(dl.v[0].path, "content/posts/first/index.en.md");
	}
	/* a ref to nothing: a warning, never a guess */
	bb_diag_clear(&dl);
	IS("{{< ref \"nowhere\" >}}", "");
	CHECK(dl.n == 1);
	bb_diag_clear(&dl);
	/* not a tag: left as text */
	IS("{{< >}} {{<", "");
	CHECK(dl.n == 0);
	/* an unclosed quote does not swallow the post */
	IS("{{< figure src=\"a >}}\nrest", "");

	CHECK(counts.handled > 20 && counts.unknown == 1 && counts.escaped == 3);

	/* the admonition family (admonition.c): a box with its type and title,
	 * its inner text Markdown, no line moved, no warning */
	bb_diag_clear(&dl);
	memset(&counts, 0, sizeof counts);
	/* LoveIt, positional: type, title, open */
	IS("{{< admonition note \"When do you need <it>?\" false >}}\nBody **b**.\n{{< /admonition >}}\nAfter.",
	   "<!-- admonition --><div class=\"admonition note\"><p class=\"admonition-title\"><strong>When do you need "
	   "&lt;it&gt;?</strong></p>\nBody **b**.\n</div>\nAfter.");
	/* no argument: LoveIt's default type, its name as the title */
	IS("{{< admonition >}}\nBody.\n{{< /admonition >}}",
	   "<!-- admonition --><div class=\"admonition note\"><p class=\"admonition-title\"><strong>Note</strong></p>"
	   "\nBody.\n</div>");
	/* named (LoveIt/FixIt type= title=, quotes escaped), {{% %}} alike */
	IS("{{% admonition type=tip title=\"Say \\\"hi\\\"\" open=false %}}\nB\n{{% /admonition %}}",
	   "<!-- admonition --><div class=\"admonition tip\"><p class=\"admonition-title\"><strong>Say &quot;hi&quot;"
	   "</strong></p>\nB\n</div>");
	/* Docsy: alert title= color=; hugo-book: hint TYPE; hugo-notice:
	 * notice TYPE; Hextra: callout type= emoji=; Blowfish: alert ICON
	 * (an icon name is no title); a shortcode named as its type */
	CHECK(S_has("{{% alert title=\"Heads up\" color=\"warning\" %}}\nB\n{{% /alert %}}",
		    "<div class=\"admonition warning\">", "<strong>Heads up</strong>", "\nB\n</div>", NULL));
	CHECK(S_has("{{< hint danger >}}\nB\n{{< /hint >}}", "<div class=\"admonition danger\">",
		    "<strong>Danger</strong>", NULL));
	CHECK(S_has("{{% notice warning %}}\nB\n{{% /notice %}}", "<div class=\"admonition warning\">",
		    "<strong>Warning</strong>", NULL));
	CHECK(S_has("{{< callout type=\"info\" emoji=\"\xe2\x84\xb9\xef\xb8\x8f\" >}}\nB\n{{< /callout >}}",
		    "<div class=\"admonition info\">", "<strong>Info</strong>", NULL));
	CHECK(S_has("{{< alert \"circle-info\" >}}\nB\n{{< /alert >}}", "<div class=\"admonition note\">",
		    "<strong>Note</strong>", NULL));
	CHECK(S_has("{{< tip >}}\nB\n{{< /tip >}}", "<div class=\"admonition tip\">", "<strong>Tip</strong>", NULL));
	CHECK(S_has("{{< warning \"Mind the gap\" >}}\nB\n{{< /warning >}}", "<div class=\"admonition warning\">",
		    "<strong>Mind the gap</strong>", NULL));
	/* its text as an argument, no closing tag: the box holds it */
	IS("{{< admonition type=\"info\" text=\"Some *words*.\" >}}",
	   "<!-- admonition --><div class=\"admonition info\"><p class=\"admonition-title\"><strong>Info</strong></p>"
	   "\nSome *words*.\n\n</div>");
	/* nested, and inside a list item (the closing tag's indent kept) */
	IS("{{< admonition >}}\nA\n{{< admonition tip >}}\nB\n{{< /admonition >}}\n{{< /admonition >}}",
	   "<!-- admonition --><div class=\"admonition note\"><p class=\"admonition-title\"><strong>Note</strong></p>\nA\n"
	   "<!-- admonition --><div class=\"admonition tip\"><p class=\"admonition-title\"><strong>Tip</strong></p>\nB\n"
	   "</div>\n</div>");
	IS("- item\n\n  {{< hint info >}}\n  In a list.\n  {{< /hint >}}",
	   "- item\n\n  <!-- admonition --><div class=\"admonition info\"><p class=\"admonition-title\"><strong>Info"
	   "</strong></p>\n  In a list.\n  </div>");
	/* inline tags: the box on lines of its own */
	IS("x {{< tip >}}B{{< /tip >}} y",
	   "x \n\n<!-- admonition --><div class=\"admonition tip\"><p class=\"admonition-title\"><strong>Tip</strong>"
	   "</p>\nB\n\n</div>\n\n y");
	/* a closing tag with none open is dropped; one left open is closed */
	IS("{{< /tip >}}x", "x");
	CHECK(S_has("{{< tip >}}\nA\n{{< tip >}}\nB\n{{< /tip >}}\nC", "\nB\n</div>\nC\n\n</div>\n", NULL));
	CHECK(dl.n == 0 && counts.unknown == 0);

	/* LoveIt's link and version */
	IS("See {{< link \"https://katex.org/\" KaTeX >}}.", "See [KaTeX](<https://katex.org/>).");
	IS("{{< link \"https://x.org/a b\" \"X *org*\" \"The \\\"title\\\"\" >}}",
	   "[X \\*org\\*](<https://x.org/a%20b> \"The \\\"title\\\"\")");
	IS("{{< link href=\"mailto:a@b.org\" >}}", "[mailto:a@b.org](<mailto:a@b.org>)");
	IS("A {{< version 0.2.0 >}} B {{< version 0.2.11 changed >}} C {{< version v1.0 deleted >}}",
	   "A <span class=\"version\">New in v0.2.0</span> B <span class=\"version\">Changed in v0.2.11</span> C "
	   "<span class=\"version\">Deleted in v1.0</span>");
	/* in fenced code: plain text, what the reader sees of the badge */
	IS("```toml\n# {{< version 0.1.1 >}} {{< link \"https://d.com/\" Disqus >}} x\n```\n{{< version 1.0 >}}",
	   "```toml\n# New in v0.1.1 Disqus x\n```\n<span class=\"version\">New in v1.0</span>");
	CHECK(dl.n == 0 && counts.unknown == 0);

	/* an unknown shortcode with no closing tag keeps the arguments that
	 * are text, and its local images; not settings, addresses, numbers */
	IS("{{< person \"https://d.com/\" Dillon \"author of the theme\" >}}", "Dillon, author of the theme");
	IS("{{< person url=\"https://e.org\" name=\"Evgeny K\" nick=\"nekr0z\" text=\"author\" >}}",
	   "Evgeny K, author");
	IS("{{< music netease song 1868553 >}}", "");
	IS("{{< mapbox -122.252 37.453 10 false \"mapbox://styles/x?y=1\" >}}", "");
	IS("{{< icon name=\"github\" class=\"fa fa-2x\" style=\"color: red; x: y\" width=\"40px\" >}}", "github");
	IS("{{< image src=\"/img/a.jpg\" src_s=\"/img/a-s.jpg\" caption=\"Light (`x`)\" >}}",
	   "![](</img/a.jpg>) Light (`x`)");
	IS("{{< badge \"- not a list\" >}}", "\\- not a list");
	CHECK(dl.n == 7 && counts.unknown == 7);
	if (dl.n)
		CHECK(strstr(dl.v[0].message, "'person' is not supported: removed, the text and images of its arguments kept") !=
		      NULL);
	bb_diag_clear(&dl);

	/* hostile: floods of tag starts, of unclosed highlights, of long
	 * unclosed tags stay linear (each was a scan to the end, or 16 KB) */
	{
		size_t n = 3000000, k;
		char *big = malloc(n + 1);
		clock_t c0 = clock();
		bb_hugo_in in;
		size_t ol;
		char *r;
		memset(&in, 0, sizeof in);
		in.b = &blog;
		in.p = &posts[0];
		in.dl = &dl;
		for (k = 0; k + 3 <= n; k += 3)
			memcpy(big + k, "{{<", 3);
		big[k] = '\0';
		r = bb_hugo_shortcodes(&in, big, k, &ol, NULL);
		free(r);
		for (k = 0; k + 20 <= n; k += 20)
			memcpy(big + k, "{{< highlight go >}}", 20);
		big[k] = '\0';
		r = bb_hugo_shortcodes(&in, big, k, &ol, NULL);
		free(r);
		memset(big, 'a', n);
		for (k = 0; k + 20000 <= n; k += 20000)
			memcpy(big + k, "{{< x \"", 7);
		big[n] = '\0';
		r = bb_hugo_shortcodes(&in, big, n, &ol, NULL);
		free(r);
		/* floods of admonitions never closed, of boxes one in another
		 * (16 at most open), of unpaired unknown ones with arguments */
		for (k = 0; k + 18 <= n; k += 18)
			memcpy(big + k, "{{< admonition >}}", 18);
		big[k] = '\0';
		r = bb_hugo_shortcodes(&in, big, k, &ol, NULL);
		free(r);
		for (k = 0; k + 18 <= n / 2; k += 18)
			memcpy(big + k, "{{< admonition >}}", 18);
		for (; k + 19 <= n; k += 19)
			memcpy(big + k, "{{< /admonition >}}", 19);
		big[k] = '\0';
		r = bb_hugo_shortcodes(&in, big, k, &ol, NULL);
		CHECK(r && strstr(r, "{{") == NULL);
		free(r);
		for (k = 0; k + 20 <= n; k += 20)
			memcpy(big + k, k % 40 ? "{{< x \"Ab\" >}}\n\n```\n" : "{{< y \"Cd\" >}}{{</z>}}", 20);
		big[k] = '\0';
		r = bb_hugo_shortcodes(&in, big, k, &ol, NULL);
		free(r);
		free(big);
		CHECK((double)(clock() - c0) / CLOCKS_PER_SEC < 3.0);
		bb_diag_clear(&dl);
	}
	for (i = 0; i < dl.n; i++)
		fprintf(stderr, "%s\n", dl.v[i].message);
	bb_diag_clear(&dl);
	bb_fm_free(page);
	bb_fm_free(blog.config);
	return TEST_DONE();
}
