/* test_liquid_parts.c: the Liquid engine's files one at a time, through
 * their own calls (liquid_impl.h): conditions and paths (liquid_expr.c),
 * filters on text and numbers (liquid_filter.c), on lists
 * (liquid_array.c) and Jekyll's (liquid_jekyll.c), the control tags
 * (liquid_tags.c), plugin tags into Markdown (liquid_plugin.c), and
 * includes and _plugins tag names (liquid_site.c). */
#define _XOPEN_SOURCE 700
#include "tap.h"
#include "liquid_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static unsigned warnings;

static void
S_count(void *ud, unsigned line, unsigned col, const char *msg)
{
	(void)ud, (void)line, (void)col, (void)msg;
	warnings++;
}

/* A run over text with env: what bb_lq_run wrote (caller frees). */
static char *
S_run(const bb_liquid_env *env, const char *text)
{
	bb_liquid_ctx ctx = { NULL, NULL, S_count, NULL };
	lq_state st;
	lq_doc *d = bb_lq_doc_new(text, strlen(text));
	bb_lq_state_init(&st, &ctx, env, d);
	bb_lq_tokenize(&st, d);
	bb_lq_parse(&st, d);
	bb_lq_run(&st, d, 0, d->n);
	if (st.fndefs.len)
		bb_buf_put(&st.main, st.fndefs.data, st.fndefs.len);
	bb_lq_state_done(&st);
	bb_lq_doc_free(d);
	return bb_buf_detach(&st.main, NULL);
}

/* The value of the expression in "{{ expr }}" (filters included) as text,
 * or of a condition as "true"/"false" when cond (caller frees). */
static char *
S_eval(const bb_liquid_env *env, const char *text, int cond)
{
	bb_liquid_ctx ctx = { NULL, NULL, S_count, NULL };
	lq_state st;
	lq_doc *d = bb_lq_doc_new(text, strlen(text));
	lq_ectx x;
	lq_val v = LQ_NIL;
	bb_buf b = BB_BUF_INIT;
	char *r;
	bb_lq_state_init(&st, &ctx, env, d);
	bb_lq_tokenize(&st, d);
	bb_lq_parse(&st, d);
	if (d->n < 1 || d->t[0].kind == T_TEXT) {
		r = bb_xstrdup("(no expression)");
	} else if (cond) {
		bb_lq_ectx_init(&x, &st, d, &d->t[0]);
		r = bb_xstrdup(bb_lq_condition(&x, d->t[0].markup, d->t[0].ml) ? "true" : "false");
	} else {
		bb_lq_ectx_init(&x, &st, d, &d->t[0]);
		bb_lq_eval_filtered(&x, d->t[0].markup, d->t[0].ml, &v);
		bb_lq_tostr(&v, &b, 0);
		bb_buf_put(&b, "", 0);
		r = bb_buf_detach(&b, NULL);
		bb_lq_drop(&v);
	}
	bb_lq_state_done(&st);
	bb_buf_free(&st.main);
	bb_lq_doc_free(d);
	return r;
}

#define EVAL(env, text, want) do { char *g = S_eval((env), (text), 0); CHECK_STR(g, (want)); free(g); } while (0)
#define COND(env, text, want) do { char *g = S_eval((env), (text), 1); CHECK_STR(g, (want) ? "true" : "false"); free(g); } while (0)
#define RUN(env, text, want) do { char *g = S_run((env), (text)); CHECK_STR(g, (want)); free(g); } while (0)

static void
S_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void
S_site_files(void)
{
	char dir[] = "/tmp/bb-liquid-parts.XXXXXX";
	char path[256];
	bb_liquid_tags *tags;
	char *text;
	size_t len = 0;
	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(path, sizeof path, "%s/_includes", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/_includes/note.html", dir);
	S_write(path, "[{{ include.kind }}]");
	snprintf(path, sizeof path, "%s/_plugins", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/_plugins/x.rb", dir);
	S_write(path, "class Box < Liquid::Block\nend\nclass Dot < Liquid::Tag\nend\n"
		"Liquid::Template.register_tag('box', Box)\nLiquid::Template.register_tag('dot', Dot)\n");

	/* _includes: read inside the folder only */
	text = bb_liquid_read_include(dir, "note.html", &len);
	CHECK_STR(text, "[{{ include.kind }}]");
	CHECK(len == 20);
	free(text);
	CHECK(bb_liquid_read_include(dir, "../_plugins/x.rb", &len) == NULL);
	CHECK(bb_liquid_read_include(dir, "none.html", &len) == NULL);

	/* _plugins: a Liquid::Block is a block, a Liquid::Tag a tag */
	tags = bb_liquid_tags_new();
	snprintf(path, sizeof path, "%s/_plugins", dir);
	CHECK(bb_liquid_tags_scan_plugins(tags, path) == 2);
	CHECK(bb_liquid_tags_kind(tags, "box") == 1);
	CHECK(bb_liquid_tags_kind(tags, "dot") == 0);
	CHECK(bb_liquid_tags_kind(tags, "other") == -1);
	CHECK(bb_lq_tags_kindn(tags, "boxes", 3) == 1);
	bb_liquid_tags_free(tags);

	snprintf(path, sizeof path, "%s/_includes/note.html", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/_plugins/x.rb", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/_includes", dir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/_plugins", dir);
	rmdir(path);
	rmdir(dir);
}

static char *
S_include(void *ud, const char *name, size_t *len)
{
	(void)ud;
	if (strcmp(name, "note.html") != 0)
		return NULL;
	*len = 20;
	return bb_xstrdup("[{{ include.kind }}]");
}

int
main(void)
{
	bb_fm_problem pr;
	const char *site_yml = "baseurl: /blog\nurl: https://example.org\n";
	const char *page_yml = "title: A Post\ntags: [b, a, c]\nn: 3\n";
	bb_fm_node *site = bb_fm_parse(site_yml, strlen(site_yml), 1, &pr);
	bb_fm_node *page = bb_fm_parse(page_yml, strlen(page_yml), 1, &pr);
	bb_liquid_env env;
	memset(&env, 0, sizeof env);
	env.site = site;
	env.page = page;
	env.read_include = S_include;

	/* liquid_expr.c: paths, comparisons, and/or (right to left), contains */
	EVAL(&env, "{{ page.title }}", "A Post");
	EVAL(&env, "{{ page.tags[1] }}", "a");
	EVAL(&env, "{{ page.tags.size }}", "3");
	EVAL(&env, "{{ site.baseurl }}", "/blog");
	COND(&env, "{% if page.n > 2 %}", 1);
	COND(&env, "{% if page.n == 3.0 %}", 1);
	COND(&env, "{% if page.tags contains 'c' %}", 1);
	COND(&env, "{% if page.title contains 'Post' %}", 1);
	COND(&env, "{% if false or true and false %}", 0);
	COND(&env, "{% if true or false and false %}", 1);
	COND(&env, "{% if nothing %}", 0);
	COND(&env, "{% if page.title == empty %}", 0);

	/* liquid_filter.c: text and numbers */
	EVAL(&env, "{{ 'a b' | upcase | append: '!' }}", "A B!");
	EVAL(&env, "{{ '  x ' | strip | prepend: '<' }}", "<x");
	EVAL(&env, "{{ 'a<b' | escape }}", "a&lt;b");
	EVAL(&env, "{{ 'hello' | truncate: 4 }}", "h...");
	EVAL(&env, "{{ 10 | divided_by: 4 }}", "2");
	EVAL(&env, "{{ 10.0 | divided_by: 4 }}", "2.5");
	EVAL(&env, "{{ 3.14159 | round: 2 }}", "3.14");
	EVAL(&env, "{{ 'abc' | slice: 1, 2 }}", "bc");
	EVAL(&env, "{{ 5 | minus: 7 | abs }}", "2");
	warnings = 0;
	EVAL(&env, "{{ 'k' | no_such_filter }}", "k");
	CHECK(warnings == 1);

	/* liquid_array.c: lists */
	EVAL(&env, "{{ page.tags | sort | join: ',' }}", "a,b,c");
	EVAL(&env, "{{ page.tags | reverse | first }}", "c");
	EVAL(&env, "{{ 'c,a,c,b' | split: ',' | uniq | join: '' }}", "cab");
	EVAL(&env, "{{ page.tags | size }}", "3");
	EVAL(&env, "{{ 'x,y' | split: ',' | last }}", "y");

	/* liquid_jekyll.c: Jekyll's filters */
	EVAL(&env, "{{ '2020-01-05 10:00:00 +0000' | date: '%Y %b %-d' }}", "2020 Jan 5");
	EVAL(&env, "{{ '2020-01-05' | date_to_xmlschema }}", "2020-01-05T00:00:00+00:00");
	EVAL(&env, "{{ 'Hello, World!' | slugify }}", "hello-world");
	EVAL(&env, "{{ '/p/' | relative_url }}", "/blog/p/");
	EVAL(&env, "{{ '/p/' | absolute_url }}", "https://example.org/blog/p/");
	EVAL(&env, "{{ page.tags | array_to_sentence_string }}", "b, a, and c");
	EVAL(&env, "{{ page.tags | jsonify }}", "[\"b\",\"a\",\"c\"]");

	/* liquid_tags.c: the control tags */
	RUN(&env, "{% for t in page.tags reversed %}{{ forloop.index }}{{ t }}{% endfor %}", "1c2a3b");
	RUN(&env, "{% for i in (1..5) limit: 2 offset: 1 %}{{ i }}{% else %}none{% endfor %}", "23");
	RUN(&env, "{% for i in empty_list %}x{% else %}none{% endfor %}", "none");
	RUN(&env, "{% case page.n %}{% when 1, 3 %}odd{% when 2 %}even{% endcase %}", "odd");
	RUN(&env, "{% unless page.n == 3 %}no{% else %}yes{% endunless %}", "yes");
	RUN(&env, "{% assign x = 'v' | upcase %}{% capture y %}[{{ x }}]{% endcapture %}{{ y }}{{ y }}", "[V][V]");
	RUN(&env, "{% increment c %}{% increment c %}{% decrement d %}", "01-1");
	RUN(&env, "{% for i in (1..4) %}{% if i == 3 %}{% break %}{% endif %}{% cycle 'a', 'b' %}{% endfor %}", "ab");

	/* liquid_plugin.c: plugin tags become Markdown */
	RUN(&env, "{% highlight ruby %}\nx = 1\n{% endhighlight %}", "```ruby\nx = 1\n```");
	RUN(&env, "{% img /i.png 10 20 A cat %}", "![A cat](</i.png> \"A cat\")");
	RUN(&env, "{% youtube abc123 %}", "[YouTube video abc123](<https://www.youtube.com/watch?v=abc123>)");
	RUN(&env, "a{% fn one %}b", "a[^liquid-fn-1]b\n[^liquid-fn-1]: one\n");

	/* liquid_site.c: include with parameters, through env->read_include */
	RUN(&env, "{% include note.html kind='tip' %}", "[tip]");
	warnings = 0;
	RUN(&env, "{% include none.html %}", "");
	CHECK(warnings == 1);
	S_site_files();

	bb_fm_free(site);
	bb_fm_free(page);
	return TEST_DONE();
}
