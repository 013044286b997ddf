/* test_admonition.c: admonition.c alone: which shortcode arguments are
 * text (README, "Shortcodes of themes"), image variants, and the box's
 * type and title from each theme's form of arguments. */
#include "admonition.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* 1 when the argument key=val (key NULL: positional) reads as text. */
static int
S_text(const char *key, const char *val, int quoted)
{
	bb_sc_arg a;
	a.key = key;
	a.val = val;
	a.quoted = quoted;
	return bb_sc_arg_is_text(&a);
}

/* The box bb_admonition_open writes for name(args). Caller frees. */
static char *
S_box(const char *name, const bb_sc_arg *args, size_t n)
{
	bb_buf o = BB_BUF_INIT;
	bb_admonition_open(&o, name, args, n);
	bb_admonition_close(&o);
	bb_buf_put(&o, "", 0);
	return bb_buf_detach(&o, NULL);
}

#define BOX(want, name, ...) do { \
	bb_sc_arg a_[] = { __VA_ARGS__ }; \
	char *r_ = S_box(name, a_, sizeof a_ / sizeof *a_ - 1); \
	CHECK_STR(r_, "<!-- admonition -->" want "</div>"); \
	free(r_); \
} while (0)

int
main(void)
{
	/* text: prose, names, titles, non-ASCII words, capitalised words */
	CHECK(S_text(NULL, "author of the theme", 1));
	CHECK(S_text(NULL, "KaTeX", 0));
	CHECK(S_text(NULL, "日本語", 0));
	CHECK(S_text(NULL, "github", 1)); /* quoted: kept, a word too many rather than one lost */
	CHECK(S_text("name", "Wavelength", 0));
	CHECK(S_text("caption", "Lighthouse (`image`)", 1));
	CHECK(S_text("subject", "two words", 1));
	CHECK(S_text("text", "months. Yes, [really](https://en.wikipedia.org/wiki/Goldfish).", 1));
	CHECK(S_text(NULL, "Note: this; that", 1));
	CHECK(S_text(NULL, "see https://x.org for more", 1));
	CHECK(S_text("caption", "https://x.org", 1)); /* a text key shows what it holds */
	/* settings: bare lowercase words, numbers, sizes, versions, booleans,
	 * URLs, paths, files, colours, CSS, setting keys */
	CHECK(!S_text(NULL, "netease", 0));
	CHECK(!S_text(NULL, "1868553", 0));
	CHECK(!S_text(NULL, "-122.252", 0));
	CHECK(!S_text(NULL, "40px", 1));
	CHECK(!S_text(NULL, "0.2.0", 0));
	CHECK(!S_text(NULL, "false", 0));
	CHECK(!S_text(NULL, "https://example.org/a%20b", 1));
	CHECK(!S_text(NULL, "mailto:a@b.org", 1));
	CHECK(!S_text(NULL, "/images/x.jpg", 1));
	CHECK(!S_text(NULL, "Photo.JPG", 1));
	CHECK(!S_text(NULL, "#00b1ff", 1));
	CHECK(!S_text(NULL, "text-align: right;", 1));
	CHECK(!S_text(NULL, "strong{color:#00b1ff;}", 1));
	CHECK(!S_text("style", "Big Red", 1));
	CHECK(!S_text("class", "Wide Box", 1));
	CHECK(!S_text("icon", "Fire", 1));
	CHECK(!S_text("nick", "nekr0z", 1));
	CHECK(!S_text("emoji", "\xf0\x9f\x91\xbe", 1));
	CHECK(!S_text(NULL, "\xf0\x9f\x91\xbe", 1)); /* an emoji alone has no letter */
	CHECK(!S_text("kind", "x", 1));

	/* images and their variants */
	{
		bb_sc_arg im[] = { { "light_src", "a/day.webp", 1 }, { "dark_src", "a/night.webp", 1 },
				   { "src", "b.jpg?w=1", 1 }, { "src_s", "b-s.jpg", 1 }, { "src_dark", "b-d.jpg", 1 },
				   { "default_src", "c.png", 1 }, { "toggled_src", "d.png", 1 }, { "alt", "x.png y", 1 } };
		size_t n = sizeof im / sizeof *im, i;
		int want_img[] = { 1, 1, 1, 1, 1, 1, 1, 0 }, want_var[] = { 0, 1, 0, 1, 1, 0, 0, 0 };
		for (i = 0; i < n; i++) {
			CHECK(bb_sc_arg_is_image(&im[i]) == want_img[i]);
			if (want_img[i] && bb_sc_arg_variant(im, n, i) != want_var[i])
				fprintf(stderr, "variant %s\n", im[i].key);
			CHECK(!want_img[i] || bb_sc_arg_variant(im, n, i) == want_var[i]);
		}
	}

	/* the family */
	CHECK(bb_admonition_is("admonition") && bb_admonition_is("Alert") && bb_admonition_is("callout") &&
	      bb_admonition_is("hint") && bb_admonition_is("important"));
	CHECK(!bb_admonition_is("figure") && !bb_admonition_is("details") && !bb_admonition_is("notes"));

	/* the box: type and title from each form, the title escaped */
	BOX("<div class=\"admonition note\"><p class=\"admonition-title\"><strong>Note</strong></p>", "admonition",
	    { NULL, NULL, 0 });
	BOX("<div class=\"admonition tip\"><p class=\"admonition-title\"><strong>A &lt;b&gt; &amp; c</strong></p>",
	    "admonition", { NULL, "tip", 0 }, { NULL, "A <b> & c", 1 }, { NULL, "false", 0 }, { NULL, NULL, 0 });
	BOX("<div class=\"admonition tip\"><p class=\"admonition-title\"><strong>Tip</strong></p>", "admonition",
	    { NULL, "tip", 0 }, { NULL, "false", 0 }, { NULL, NULL, 0 });
	BOX("<div class=\"admonition danger\"><p class=\"admonition-title\"><strong>Two words</strong></p>", "alert",
	    { "title", "Two\nwords", 1 }, { "color", "DANGER", 1 }, { NULL, NULL, 0 });
	BOX("<div class=\"admonition note\"><p class=\"admonition-title\"><strong>Note</strong></p>", "alert",
	    { "color", "primary", 1 }, { NULL, NULL, 0 });
	BOX("<div class=\"admonition note\"><p class=\"admonition-title\"><strong>Note</strong></p>", "alert",
	    { NULL, "circle-info", 1 }, { NULL, NULL, 0 });
	BOX("<div class=\"admonition caution\"><p class=\"admonition-title\"><strong>Caution</strong></p>", "caution",
	    { NULL, NULL, 0 });
	BOX("<div class=\"admonition warning\"><p class=\"admonition-title\"><strong>Warning</strong></p>", "notice",
	    { NULL, "warning", 0 }, { NULL, NULL, 0 });
	BOX("<div class=\"admonition info\"><p class=\"admonition-title\"><strong>Info</strong></p>", "callout",
	    { "type", "info", 1 }, { "emoji", "\xe2\x84\xb9", 1 }, { NULL, NULL, 0 });
	{
		bb_sc_arg t[] = { { "type", "note", 1 }, { "text", "Some *words*", 1 } };
		CHECK_STR(bb_admonition_text(t, 2), "Some *words*");
		CHECK(bb_admonition_text(t, 1) == NULL);
	}
	return TEST_DONE();
}
