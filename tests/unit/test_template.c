/* test_template.c: the templates: expansion (escaping, raw values, sections
 * over values and lists, inverted sections, nesting, malformed tags kept as
 * text, bounded depth) and loading (the built-in set, each page template
 * well-formed once expanded; a user's folder overriding file by file; a
 * missing folder, an unreadable or malformed template reported). */
#define _XOPEN_SOURCE 700
#include "tap.h"
#include "template.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void
S_write(const char *rel, const char *text)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

/* Expands tpl with vars into a static buffer. */
static const char *
S_x(const char *tpl, const bb_tvar *v, size_t n)
{
	static char res[4][8192];
	static int k;
	bb_buf out = BB_BUF_INIT;
	char *r = res[k = (k + 1) % 4];
	bb_template_expand(tpl, strlen(tpl), v, n, &out);
	snprintf(r, sizeof res[0], "%s", out.data ? out.data : "");
	bb_buf_free(&out);
	return r;
}

static bb_tvar
S_var(const char *name, const char *value)
{
	bb_tvar v;
	v.name = name;
	v.value = value;
	v.list = NULL;
	v.n = 0;
	return v;
}

static bb_tvar
S_list(const char *name, const char *const *list, size_t n)
{
	bb_tvar v;
	v.name = name;
	v.value = NULL;
	v.list = list;
	v.n = n;
	return v;
}

static void
test_expand(void)
{
	static const char *const tags[] = { "<b>", "x & y", "'q'" };
	static const char *const none[] = { NULL };
	bb_tvar v[8];
	size_t n = 0;
	bb_buf out = BB_BUF_INIT;
	char deep[1024];
	int i;

	v[n++] = S_var("title", "Tom & \"Jerry\" <it's>");
	v[n++] = S_var("body", "<p>a &amp; b</p>");
	v[n++] = S_list("tags", tags, 3);
	v[n++] = S_list("empty", none, 0);
	v[n++] = S_var("blank", "");
	v[n++] = S_var("flag", "yes");
	v[n++] = S_var("title2", "second");

	/* values: escaped for XML, raw only with three braces, spaces inside tags */
	CHECK_STR(S_x("<h1>{{title}}</h1>", v, n), "<h1>Tom &amp; &quot;Jerry&quot; &lt;it&#39;s&gt;</h1>");
	CHECK_STR(S_x("{{{body}}}", v, n), "<p>a &amp; b</p>");
	CHECK_STR(S_x("{{body}}", v, n), "&lt;p&gt;a &amp;amp; b&lt;/p&gt;");
	CHECK_STR(S_x("[{{ title2 }}][{{{ title2 }}}]", v, n), "[second][second]");
	/* the name is matched whole: "title" is not "title2" */
	CHECK_STR(S_x("{{title2}}", v, n), "second");
	CHECK_STR(S_x("a{{nothing}}b{{{nothing}}}c", v, n), "abc");
	CHECK_STR(S_x("no tags at all", v, n), "no tags at all");
	CHECK_STR(S_x("", v, n), "");

	/* sections: over a list ({{.}} each item, escaped; outer names still seen) */
	CHECK_STR(S_x("{{#tags}}[{{.}}|{{title2}}]{{/tags}}", v, n),
		  "[&lt;b&gt;|second][x &amp; y|second][&#39;q&#39;|second]");
	CHECK_STR(S_x("{{#tags}}{{{.}}},{{/tags}}", v, n), "<b>,x & y,'q',");
	/* over a value: once when not empty */
	CHECK_STR(S_x("{{#flag}}F{{/flag}}{{#blank}}B{{/blank}}{{#missing}}M{{/missing}}", v, n), "F");
	/* inverted: when empty, absent or an empty list */
	CHECK_STR(S_x("{{^flag}}F{{/flag}}{{^blank}}B{{/blank}}{{^missing}}M{{/missing}}{{^empty}}E{{/empty}}{{^tags}}T{{/tags}}", v, n),
		  "BME");
	CHECK_STR(S_x("{{#empty}}never{{/empty}}", v, n), "");
	/* nested sections, also of the same name */
	CHECK_STR(S_x("{{#flag}}a{{#flag}}b{{/flag}}c{{/flag}}d", v, n), "abcd");
	CHECK_STR(S_x("{{#tags}}{{#flag}}<{{.}}>{{/flag}}{{/tags}}", v, n), "<&lt;b&gt;><x &amp; y><&#39;q&#39;>");
	CHECK_STR(S_x("{{#blank}}{{#flag}}x{{/flag}}{{/blank}}after", v, n), "after");
	/* malformed: an unclosed section or tag is kept as text; a stray close dropped */
	CHECK_STR(S_x("x {{#flag}} y", v, n), "x {{#flag}} y");
	CHECK_STR(S_x("x {{title2", v, n), "x {{title2");
	CHECK_STR(S_x("x {{{title2}} y", v, n), "x {{{title2}} y");
	CHECK_STR(S_x("a{{/flag}}b", v, n), "ab");

	/* expands within len only */
	bb_template_expand("{{title2}}XYZ", 10, v, n, &out);
	CHECK_STR(out.data, "second");
	bb_buf_free(&out);
	bb_template_expand("{{title2}}", 6, v, n, &out);
	CHECK_STR(out.data, "{{titl");
	bb_buf_free(&out);

	/* deep nesting is bounded: beyond 8 levels the tags are left, no recursion runs away */
	deep[0] = '\0';
	for (i = 0; i < 40; i++)
		strcat(deep, "{{#flag}}");
	strcat(deep, "X");
	for (i = 0; i < 40; i++)
		strcat(deep, "{{/flag}}");
	{
		const char *r = S_x(deep, v, n);
		CHECK(strchr(r, 'X') != NULL && strlen(r) < strlen(deep));
	}
	/* a later variable of the same name wins (the caller's extras override) */
	v[n++] = S_var("title2", "third");
	CHECK_STR(S_x("{{title2}}", v, n), "third");
}

/* Expands a page template with sample values and parses it; 1 when well-formed. */
static int
S_wellformed(const char *tpl, size_t len)
{
	static const char *const items[] = { "A & B" };
	static const char *const names[] = { "lang", "dir", "html_class", "title", "id", "first", "date", "author",
					     "has_categories", "has_tags", "book_title", "description", "url",
					     "range", "posts", "image", "count" };
	bb_tvar v[24];
	size_t n = 0, i;
	bb_buf out = BB_BUF_INIT;
	xmlDocPtr d;
	for (i = 0; i < sizeof names / sizeof *names; i++)
		v[n++] = S_var(names[i], strcmp(names[i], "lang") == 0 ? "en" : "x <y> & \"z\"");
	v[n++] = S_var("body", "<p>body</p>");
	v[n++] = S_list("categories", items, 1);
	v[n++] = S_list("tags", items, 1);
	bb_template_expand(tpl, len, v, n, &out);
	d = out.data ? xmlReadMemory(out.data, (int)out.len, NULL, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
		     : NULL;
	bb_buf_free(&out);
	if (!d)
		return 0;
	xmlFreeDoc(d);
	return 1;
}

static void
test_load(void)
{
	static const char *const pages[] = { "chapter.xhtml", "cover.xhtml", "group.xhtml", "title.xhtml" };
	bb_diaglist dl = { NULL, 0, 0 };
	bb_template_set *t;
	const char *s;
	size_t len, i;
	char path[400];

	/* the built-in set: each page template gives well-formed XHTML */
	t = bb_templates_load(NULL, &dl);
	CHECK(t != NULL && dl.n == 0);
	for (i = 0; i < sizeof pages / sizeof *pages; i++) {
		len = 0;
		s = bb_template_get(t, pages[i], &len);
		CHECK(s != NULL && len > 50 && strlen(s) == len);
		CHECK(s && strstr(s, "{{"));
		if (s && !S_wellformed(s, len)) {
			tap_failed++;
			fprintf(stderr, "%s:%d: FAIL: built-in %s is not well-formed once expanded\n", __FILE__, __LINE__, pages[i]);
		}
	}
	s = bb_template_get(t, "style.css", &len);
	CHECK(s != NULL && len > 0);
	CHECK(bb_template_get(t, "no-such.xhtml", &len) == NULL);
	CHECK(bb_template_get(NULL, "chapter.xhtml", &len) == NULL);
	bb_templates_free(t);
	bb_templates_free(NULL);

	/* a folder that does not exist, or a file given as the folder: an error, no set */
	snprintf(path, sizeof path, "%s/missing", dir);
	CHECK(bb_templates_load(path, &dl) == NULL);
	CHECK(dl.n == 1 && dl.v[0].severity == BB_ERROR && strstr(dl.v[0].message, path));
	bb_diag_clear(&dl);
	S_write("plain", "x");
	snprintf(path, sizeof path, "%s/plain", dir);
	CHECK(bb_templates_load(path, &dl) == NULL);
	CHECK(dl.n == 1 && dl.v[0].severity == BB_ERROR);
	bb_diag_clear(&dl);

	/* a user's folder: its files replace the built-in ones by name, the rest stay */
	snprintf(path, sizeof path, "%s/tpl", dir);
	mkdir(path, 0755);
	S_write("tpl/chapter.xhtml", "<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>{{title}}</title></head>"
				     "<body class=\"mine\">{{{body}}}</body></html>\n");
	S_write("tpl/style.css", "body { color: teal }\n");
	S_write("tpl/unknown.xhtml", "ignored");
	t = bb_templates_load(path, &dl);
	CHECK(t != NULL && dl.n == 0);
	s = bb_template_get(t, "chapter.xhtml", &len);
	CHECK(s && strstr(s, "class=\"mine\"") && len == strlen(s));
	CHECK_STR(bb_template_get(t, "style.css", NULL), "body { color: teal }\n");
	s = bb_template_get(t, "title.xhtml", &len);
	CHECK(s && !strstr(s, "mine") && len > 50);
	CHECK(bb_template_get(t, "unknown.xhtml", NULL) == NULL);
	bb_templates_free(t);
	bb_diag_clear(&dl);

	/* a malformed page template: an error naming the file and its line */
	S_write("tpl/title.xhtml", "<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<body>\n<p>{{title}}</b>\n</body></html>\n");
	t = bb_templates_load(path, &dl);
	CHECK(t != NULL);
	CHECK(dl.n == 1 && dl.v[0].severity == BB_ERROR && dl.v[0].path && strstr(dl.v[0].path, "title.xhtml") &&
	      dl.v[0].line == 3);
	bb_templates_free(t);
	bb_diag_clear(&dl);
	snprintf(path, sizeof path, "%s/tpl/title.xhtml", dir);
	unlink(path);

	/* an unreadable template (a folder by that name): a warning, the built-in used */
	snprintf(path, sizeof path, "%s/tpl/cover.xhtml", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/tpl", dir);
	t = bb_templates_load(path, &dl);
	CHECK(t != NULL);
	CHECK(dl.n == 1 && dl.v[0].severity == BB_WARNING && dl.v[0].path && strstr(dl.v[0].path, "cover.xhtml"));
	s = bb_template_get(t, "cover.xhtml", &len);
	CHECK(s && len > 50 && S_wellformed(s, len));
	bb_templates_free(t);
	bb_diag_clear(&dl);
}

int
main(void)
{
	char cmd[400];
	snprintf(dir, sizeof dir, "/tmp/bb-test-template-%ld", (long)getpid());
	mkdir(dir, 0755);
	test_expand();
	test_load();
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return TEST_DONE();
}
