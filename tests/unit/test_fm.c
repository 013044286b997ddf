/* test_fm.c: front matter, dates and templates. */
#include "date.h"
#include "fm.h"
#include "tap.h"
#include "template.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void
test_split(void)
{
	const char *t = "---\ntitle: x\n---\nbody\n";
	size_t fm, fl, body;
	unsigned bl;
	int toml;
	CHECK(bb_fm_split(t, strlen(t), &fm, &fl, &body, &bl, &toml) == 1);
	CHECK(fm == 4 && fl == 9 && strcmp(t + body, "body\n") == 0 && bl == 4 && toml == 0);
	t = "+++\ntitle = \"x\"\n+++\nbody";
	CHECK(bb_fm_split(t, strlen(t), &fm, &fl, &body, &bl, &toml) == 1 && toml == 1);
	CHECK(bb_fm_split(t, strlen(t), &fm, &fl, &body, &bl, NULL) == 0);
	t = "---\ntitle: x\nno end\n";
	CHECK(bb_fm_split(t, strlen(t), &fm, &fl, &body, &bl, &toml) == -1 && body == 0);
	t = "no front matter\n---\n";
	CHECK(bb_fm_split(t, strlen(t), &fm, &fl, &body, &bl, &toml) == 0);
	t = "---\r\ntitle: x\r\n...\r\nbody";
	CHECK(bb_fm_split(t, strlen(t), &fm, &fl, &body, &bl, &toml) == 1 && strcmp(t + body, "body") == 0);
}

static void
test_yaml(void)
{
	bb_fm_problem pr;
	const char *y = "title: \"Hello\"\ndate: 2024-01-05 10:00:00 +0900\ntags: [a, b]\nauthor:\n  name: Ann\npublished: false\nempty:\n";
	bb_fm_node *n = bb_fm_parse(y, strlen(y), 2, &pr);
	const bb_fm_node *tags, *author;
	CHECK(n && n->kind == BB_FM_MAP && pr.line == 0);
	CHECK_STR(bb_fm_str(n, "title"), "Hello");
	CHECK_STR(bb_fm_str(n, "date"), "2024-01-05 10:00:00 +0900");
	tags = bb_fm_get(n, "tags");
	CHECK(tags && tags->kind == BB_FM_SEQ && tags->nkids == 2);
	author = bb_fm_get(n, "author");
	CHECK(author && bb_fm_str(author, "name") && strcmp(bb_fm_str(author, "name"), "Ann") == 0);
	CHECK(bb_fm_bool(n, "published", 1) == 0);
	CHECK(bb_fm_str(n, "empty") == NULL);
	CHECK(bb_fm_get(n, "title")->line == 2 && bb_fm_get(n, "title")->col == 8);
	bb_fm_free(n);

	/* a syntax error: what came before is kept, the position names the file line */
	y = "title: ok\ndate: 2024-01-01\ntags: [unclosed\n";
	n = bb_fm_parse(y, strlen(y), 2, &pr);
	CHECK(pr.line >= 4 && pr.col >= 1);
	CHECK(n && bb_fm_str(n, "title") && strcmp(bb_fm_str(n, "title"), "ok") == 0);
	bb_fm_free(n);

	/* billion laughs: aliases are shared, not expanded */
	{
		bb_buf b = BB_BUF_INIT;
		int i, j;
		bb_buf_puts(&b, "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
		for (i = 1; i < 30; i++) {
			bb_buf_printf(&b, "a%d: &a%d [", i, i);
			for (j = 0; j < 10; j++)
				bb_buf_printf(&b, "%s*a%d", j ? ", " : "", i - 1);
			bb_buf_puts(&b, "]\n");
		}
		bb_buf_puts(&b, "title: survived\n");
		n = bb_fm_parse(b.data, b.len, 1, &pr);
		CHECK(n && bb_fm_str(n, "title") && strcmp(bb_fm_str(n, "title"), "survived") == 0);
		bb_fm_free(n);
		bb_buf_free(&b);
	}
	/* nesting is bounded */
	{
		bb_buf b = BB_BUF_INIT;
		int i;
		bb_buf_puts(&b, "x: ");
		for (i = 0; i < 5000; i++)
			bb_buf_putc(&b, '[');
		n = bb_fm_parse(b.data, b.len, 1, &pr);
		CHECK(pr.line != 0);
		bb_fm_free(n);
		bb_buf_free(&b);
	}
	/* duplicate keys: the last one wins, as in Jekyll */
	y = "url: a\nurl: b\n";
	n = bb_fm_parse(y, strlen(y), 1, &pr);
	CHECK_STR(bb_fm_str(n, "url"), "b");
	bb_fm_free(n);
}

static void
test_toml(void)
{
	bb_fm_problem pr;
	const char *t = "title = \"A \\\"quoted\\\" title\"\ndate = 2015-01-02T10:00:00-08:00\ndraft = true\n"
			"tags = [\"go\", 'c']\n# comment\n[params]\nauthor = \"Jess\"\n";
	bb_fm_node *n = bb_fm_parse_toml(t, strlen(t), 2, &pr);
	const bb_fm_node *tags, *params;
	CHECK(n && pr.line == 0);
	CHECK_STR(bb_fm_str(n, "title"), "A \"quoted\" title");
	CHECK_STR(bb_fm_str(n, "date"), "2015-01-02T10:00:00-08:00");
	CHECK(bb_fm_bool(n, "draft", 0) == 1);
	tags = bb_fm_get(n, "tags");
	CHECK(tags && tags->nkids == 2 && strcmp(tags->kids[1]->value, "c") == 0);
	params = bb_fm_get(n, "params");
	CHECK(params && bb_fm_str(params, "author") && strcmp(bb_fm_str(params, "author"), "Jess") == 0);
	bb_fm_free(n);
	t = "title = \"unterminated\ndate = 2015-01-02\n";
	n = bb_fm_parse_toml(t, strlen(t), 2, &pr);
	CHECK(pr.line == 2);
	bb_fm_free(n);
	/* arrays of tables (a Hugo config's [[menu.main]]): read, and what
	 * follows them too */
	t = "[[menu.main]]\nweight = 1\n[[menu.main]]\nweight = 2\n[params]\ndescription = \"after\"\n";
	n = bb_fm_parse_toml(t, strlen(t), 1, &pr);
	CHECK(n && pr.line == 0);
	tags = bb_fm_get(n, "menu.main");
	CHECK(tags && tags->kind == BB_FM_SEQ && tags->nkids == 2 && bb_fm_str(tags->kids[1], "weight") &&
	      strcmp(bb_fm_str(tags->kids[1], "weight"), "2") == 0);
	params = bb_fm_get(n, "params");
	CHECK(params && bb_fm_str(params, "description") && strcmp(bb_fm_str(params, "description"), "after") == 0);
	bb_fm_free(n);
	t = "[[open]\nx = 1\n";
	n = bb_fm_parse_toml(t, strlen(t), 1, &pr);
	CHECK(pr.line == 1);
	bb_fm_free(n);
	/* inline tables (Zola's taxonomies, Hugo's params), alone and in arrays */
	t = "taxonomies = [{name = \"tags\", feed = true}, { name = 'cats' }]\n"
	    "social = { \"x.y\" = 1, empty = {} }\ntitle = \"After\"\n";
	n = bb_fm_parse_toml(t, strlen(t), 2, &pr);
	CHECK(n && pr.line == 0);
	tags = bb_fm_get(n, "taxonomies");
	CHECK(tags && tags->kind == BB_FM_SEQ && tags->nkids == 2 && tags->kids[0]->kind == BB_FM_MAP);
	if (tags && tags->nkids == 2) {
		CHECK_STR(bb_fm_str(tags->kids[0], "name"), "tags");
		CHECK(bb_fm_bool(tags->kids[0], "feed", 0) == 1);
		CHECK_STR(bb_fm_str(tags->kids[1], "name"), "cats");
	}
	params = bb_fm_get(n, "social");
	CHECK(params && params->kind == BB_FM_MAP && bb_fm_str(params, "x.y") && bb_fm_get(params, "empty"));
	CHECK_STR(bb_fm_str(n, "title"), "After");
	bb_fm_free(n);
	/* broken ones fail at their place, deep ones are bounded */
	t = "a = 1\nb = { c = 1\nd = 2\n";
	n = bb_fm_parse_toml(t, strlen(t), 2, &pr);
	CHECK(pr.line == 3 && strstr(pr.message, "inline table"));
	bb_fm_free(n);
	{
		bb_buf deep = BB_BUF_INIT;
		int i;
		bb_buf_puts(&deep, "x = ");
		for (i = 0; i < 5000; i++)
			bb_buf_puts(&deep, "{a = ");
		bb_buf_puts(&deep, "1\n");
		n = bb_fm_parse_toml(deep.data, deep.len, 2, &pr);
		CHECK(pr.line == 2 && strstr(pr.message, "deep"));
		bb_fm_free(n);
		bb_buf_free(&deep);
	}
}

static void
test_dates(void)
{
	bb_date d;
	char w[32], ymd[16];
	CHECK(bb_date_parse("2025-10-27 20:33:56 +0000", &d, 1) > 0 && d.has_time && d.hour == 20);
	bb_date_w3c_utc(&d, w);
	CHECK_STR(w, "2025-10-27T20:33:56Z");
	CHECK(bb_date_parse("2024-03-02 09:30:00 +0900", &d, 1) > 0);
	bb_date_w3c_utc(&d, w);
	CHECK_STR(w, "2024-03-02T00:30:00Z");
	bb_date_ymd(&d, ymd);
	CHECK_STR(ymd, "2024-03-02");
	CHECK(bb_date_parse("2024-01-05T23:00:00-05:00", &d, 1) > 0);
	bb_date_w3c_utc(&d, w);
	CHECK_STR(w, "2024-01-06T04:00:00Z");
	CHECK(bb_date_parse("2024-01-05T23:00:00.123+0530", &d, 1) > 0 && d.tzoff == 330);
	CHECK(bb_date_parse("2017-2-5", &d, 1) > 0 && d.mon == 2 && d.day == 5);
	CHECK(bb_date_parse("2024-02-30", &d, 1) == 0);
	CHECK(bb_date_parse("2024-13-01", &d, 1) == 0);
	CHECK(bb_date_parse("yesterday", &d, 1) == 0);
	CHECK(bb_date_parse("2024-01-05 garbage", &d, 1) == 0);
	CHECK(bb_date_parse("2024-01-05-slug", &d, 0) == 10);
	bb_date_from_epoch(0, &d);
	bb_date_w3c_utc(&d, w);
	CHECK_STR(w, "1970-01-01T00:00:00Z");
	bb_date_from_epoch(1700000000, &d);
	bb_date_w3c_utc(&d, w);
	CHECK_STR(w, "2023-11-14T22:13:20Z");
}

static void
test_template(void)
{
	const char *tpl = "<h1>{{title}}</h1>{{{body}}}{{#tags}}<i>{{.}}</i>{{/tags}}{{^author}}anon{{/author}}{{#flag}}F{{/flag}}";
	const char *tags[] = { "a&b", "c" };
	bb_tvar v[5];
	bb_buf out = BB_BUF_INIT;
	v[0] = (bb_tvar){ "title", "A <b> & \"q\"", NULL, 0 };
	v[1] = (bb_tvar){ "body", "<p>raw</p>", NULL, 0 };
	v[2] = (bb_tvar){ "tags", NULL, tags, 2 };
	v[3] = (bb_tvar){ "author", "", NULL, 0 };
	v[4] = (bb_tvar){ "flag", "1", NULL, 0 };
	bb_template_expand(tpl, strlen(tpl), v, 5, &out);
	CHECK_STR(out.data, "<h1>A &lt;b&gt; &amp; &quot;q&quot;</h1><p>raw</p><i>a&amp;b</i><i>c</i>anonF");
	bb_buf_free(&out);
	/* unterminated tags stay as text, unknown names are empty */
	tpl = "x {{nope}} y {{#open}} z";
	bb_template_expand(tpl, strlen(tpl), v, 5, &out);
	CHECK_STR(out.data, "x  y {{#open}} z");
	bb_buf_free(&out);
	/* the built-in templates are there */
	{
		bb_diaglist dl = { NULL, 0, 0 };
		bb_template_set *ts = bb_templates_load(NULL, &dl);
		size_t len = 0;
		CHECK(bb_template_get(ts, "chapter.xhtml", &len) && len > 100);
		CHECK(bb_template_get(ts, "style.css", &len) && strstr(bb_template_get(ts, "style.css", NULL), "vertical-rl"));
		bb_templates_free(ts);
		bb_diag_clear(&dl);
	}
}

int
main(void)
{
	test_split();
	test_yaml();
	test_toml();
	test_dates();
	test_template();
	return TEST_DONE();
}
