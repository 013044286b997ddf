/* test_tera.c: the part of Tera read for Zola's shortcode templates:
 * values, filters, autoescape, if/elif/else, set, whitespace control, and
 * the constructs it refuses (the caller then keeps the shortcode's text). */
#include "tap.h"
#include "tera.h"

#include <stdlib.h>
#include <string.h>

static bb_tera_var vars[] = {
	{ "type", "note", 1 },
	{ "title", "A <b>title</b>", 1 },
	{ "text", "Some **bold** text", 1 },
	{ "full", "true", 0 },
	{ "n", "0", 0 },
	{ "empty", "", 1 },
};

/* Renders tpl; returns the output (caller frees) or NULL with *why. */
static char *
S_render(const char *tpl, int escape, const char **why)
{
	bb_buf o = BB_BUF_INIT;
	bb_buf_put(&o, "", 0);
	*why = NULL;
	if (bb_tera_render(tpl, strlen(tpl), vars, sizeof vars / sizeof *vars, escape, &o, why) != 0) {
		bb_buf_free(&o);
		return NULL;
	}
	return bb_buf_detach(&o, NULL);
}

static void
S_case(const char *tpl, int escape, const char *want)
{
	const char *why;
	char *got = S_render(tpl, escape, &why);
	if (!got)
		fprintf(stderr, "# %s: refused: %s\n", tpl, why ? why : "?");
	CHECK_STR(got ? got : "(refused)", want);
	free(got);
}

static void
S_refused(const char *tpl, const char *reason_part)
{
	const char *why;
	char *got = S_render(tpl, 1, &why);
	CHECK(got == NULL && why && strstr(why, reason_part));
	if (got || !why || !strstr(why, reason_part))
		fprintf(stderr, "# %s: got %s, why %s\n", tpl, got ? got : "NULL", why ? why : "NULL");
	free(got);
}

static void
test_values(void)
{
	S_case("<p>{{ type }}</p>", 1, "<p>note</p>");
	/* autoescape in .html templates, not with safe, not in .md ones */
	S_case("{{ title }}", 1, "A &lt;b&gt;title&lt;/b&gt;");
	S_case("{{ title | safe }}", 1, "A <b>title</b>");
	S_case("{{ title }}", 0, "A <b>title</b>");
	S_case("{{ missing | default(value=\"none\") }}", 1, "none");
	S_case("{{ type | default(value='x') | upper }}", 1, "NOTE");
	S_case("{{ \"a-\" ~ type }}", 1, "a-note");
	S_case("{{ '  pad  ' | trim }}|", 1, "pad|");
	/* markdown: set apart by blank lines, for the post's Markdown pass */
	S_case("<div class=\"x\">\n  {{ text | markdown | safe }}\n</div>", 1,
	       "<div class=\"x\">\n\nSome **bold** text\n\n</div>");
	S_case("<span>{{ text | markdown(inline=true) | safe }}</span>", 1, "<span>Some **bold** text</span>");
	/* the template's own lines lose indentation and blank lines */
	S_case("<div>\n\n    <p>x</p>\n\n</div>\n", 1, "<div>\n<p>x</p>\n</div>\n");
	S_case("{# a comment #}<i>{{ type }}</i>", 1, "<i>note</i>");
}

static void
test_tags(void)
{
	S_case("{% if title %}T{% endif %}", 1, "T");
	S_case("{% if empty %}T{% else %}F{% endif %}", 1, "F");
	S_case("{% if missing %}T{% elif type == \"note\" %}N{% else %}F{% endif %}", 1, "N");
	S_case("{% if type != 'note' %}A{% elif full %}B{% endif %}", 1, "B");
	S_case("{% if not n %}zero{% endif %}", 1, "zero");
	S_case("{% if missing is defined %}D{% else %}U{% endif %}", 1, "U");
	S_case("{% if type and not missing %}ok{% endif %}", 1, "ok");
	S_case("{% set icon = type | default(value='x') %}[{{ icon }}]", 1, "[note]");
	S_case("a   {%- if full -%}   b   {%- endif -%}   c", 1, "abc");
	/* an undefined value in a branch not taken is not an error */
	S_case("{% if full %}y{% else %}{{ missing }}{% endif %}", 1, "y");
}

static void
test_refused(void)
{
	S_refused("{{ missing }}", "undefined");
	S_refused("{% for x in list %}{{ x }}{% endfor %}", "tag it does not know");
	S_refused("{{ get_url(path=src) }}", "function");
	S_refused("{{ type | slugify }}", "filter");
	S_refused("{% if type %}open", "if is not closed");
	S_refused("{{ type ", "not closed");
	S_refused("{% endif %}", "outside");
	S_refused("{{ missing | default(valeu=\"d\") }}", "default without a value");
}

/* Bounded: deep ifs refused, long output cut. */
static void
test_bounds(void)
{
	size_t n = 40, i;
	bb_buf t = BB_BUF_INIT;
	for (i = 0; i < n; i++)
		bb_buf_puts(&t, "{% if full %}");
	bb_buf_puts(&t, "x");
	for (i = 0; i < n; i++)
		bb_buf_puts(&t, "{% endif %}");
	S_refused(t.data, "too deep");
	bb_buf_reset(&t);
	for (i = 0; i < 200000; i++)
		bb_buf_puts(&t, "{{ text }}\n");
	S_refused(t.data, "too long");
	bb_buf_free(&t);
}

int
main(void)
{
	test_values();
	test_tags();
	test_refused();
	test_bounds();
	return TEST_DONE();
}
