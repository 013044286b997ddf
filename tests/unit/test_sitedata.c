/* test_sitedata.c: unit tests for site.data (_data: YAML, JSON, CSV, TSV, folders, bad files) and its use from Liquid. */
#define _XOPEN_SOURCE 700
#include "sitedata.h"
#include "liquid.h"
#include "util.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
W(const char *root, const char *rel, const char *text)
{
	char *p = bb_xasprintf("%s/%s", root, rel);
	FILE *f = fopen(p, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(p);
}

static const bb_diag_rec *
D_find(const bb_diaglist *dl, const char *path, unsigned line, unsigned col, const char *part)
{
	size_t i;
	for (i = 0; i < dl->n; i++)
		if (strcmp(dl->v[i].path, path) == 0 && dl->v[i].line == line && dl->v[i].col == col &&
		    strstr(dl->v[i].message, part))
			return &dl->v[i];
	return NULL;
}

static char *
R(const bb_fm_node *data, const char *tpl)
{
	bb_liquid_env env;
	size_t n;
	memset(&env, 0, sizeof env);
	env.data = data;
	return bb_liquid_render_env(tpl, strlen(tpl), NULL, &env, &n);
}

int
main(void)
{
	char tmpl[] = "/tmp/bb-sitedata-XXXXXX", *root, *p, *r;
	bb_diaglist dl = { NULL, 0, 0 };
	bb_fm_node *data;
	const bb_fm_node *n;

	root = mkdtemp(tmpl);
	CHECK(root != NULL);
	if (!root)
		return TEST_DONE();
	/* no _data: NULL */
	CHECK(bb_site_data_load(root, &dl) == NULL && dl.n == 0);

	p = bb_xasprintf("%s/_data", root);
	mkdir(p, 0755);
	free(p);
	p = bb_xasprintf("%s/_data/sub", root);
	mkdir(p, 0755);
	free(p);
	p = bb_xasprintf("%s/_data/sub/deeper", root);
	mkdir(p, 0755);
	free(p);
	W(root, "_data/releases.yml", "- version: 2.4.7\n  files: [a.tgz]\n- version: 2.4.8\n  files: [b.tgz, b.zip]\n");
	W(root, "_data/people.csv", "name,role,note\nAnn,lead,\"says \"\"hi\"\", twice\"\n\nBob,dev,\"two\nlines\"\n");
	W(root, "_data/cols.tsv", "a\tb\n1\t2\n3\t4\n");
	W(root, "_data/sub/deeper/conf.json", "{\n\t\"name\": \"x\",\n\t\"list\": [1, 2.5, true, null]\n}\n");
	W(root, "_data/bad.yml", "ok: 1\nlist: [1, 2\nnext: 3\n");
	W(root, "_data/badq.csv", "a,b\n1,\"open\n2,3\n");
	W(root, "_data/empty.yml", "");
	W(root, "_data/notes.txt", "not data");
	p = bb_xasprintf("%s/_data/evil.yml", root);
	CHECK(symlink("/etc/hostname", p) == 0);
	free(p);

	data = bb_site_data_load(root, &dl);
	CHECK(data && data->kind == BB_FM_MAP);
	n = bb_fm_get(data, "releases");
	CHECK(n && n->kind == BB_FM_SEQ && n->nkids == 2);
	n = bb_fm_get(data, "people");
	CHECK(n && n->kind == BB_FM_SEQ && n->nkids == 2);
	if (n && n->nkids == 2) {
		CHECK(bb_fm_str(n->kids[0], "name") && strcmp(bb_fm_str(n->kids[0], "name"), "Ann") == 0);
		CHECK(bb_fm_str(n->kids[0], "note") && strcmp(bb_fm_str(n->kids[0], "note"), "says \"hi\", twice") == 0);
		CHECK(bb_fm_str(n->kids[1], "note") && strcmp(bb_fm_str(n->kids[1], "note"), "two\nlines") == 0);
		CHECK(n->kids[1]->line == 4);
	}
	n = bb_fm_get(bb_fm_get(bb_fm_get(data, "sub"), "deeper"), "conf");
	CHECK(n && bb_fm_str(n, "name") && strcmp(bb_fm_str(n, "name"), "x") == 0);
	CHECK(bb_fm_get(data, "bad") == NULL && bb_fm_get(data, "badq") == NULL);
	CHECK(bb_fm_get(data, "notes") == NULL && bb_fm_get(data, "evil") == NULL);
	CHECK(bb_fm_get(data, "empty") != NULL);
	/* the malformed files are named with their place */
	CHECK(D_find(&dl, "_data/bad.yml", 3, 5, "expected") != NULL);
	CHECK(dl.n > 0 && !strstr(dl.v[0].message, "front matter"));
	CHECK(D_find(&dl, "_data/badq.csv", 2, 3, "never closed") != NULL);
	CHECK(D_find(&dl, "_data/evil.yml", 0, 0, "out of the blog") != NULL);
	CHECK(dl.n == 3);
	{
		size_t i;
		for (i = 0; i < dl.n; i++)
			printf("# %s:%u:%u: %s\n", dl.v[i].path, dl.v[i].line, dl.v[i].col, dl.v[i].message);
	}

	/* Liquid reads it as site.data */
	r = R(data, "{% assign rel = site.data.releases | where: 'version', '2.4.8' | first %}{% for f in rel.files %}[{{ f }}]{% endfor %}");
	CHECK_STR(r, "[b.tgz][b.zip]");
	free(r);
	r = R(data, "{% for p in site.data.people %}{{ p.name }}={{ p.role }};{% endfor %}{{ site.data.cols[1].b }}{{ site.data.sub.deeper.conf.list[1] | plus: 1 }}");
	CHECK_STR(r, "Ann=lead;Bob=dev;43.5");
	free(r);

	bb_fm_free(data);
	bb_diag_clear(&dl);

	/* site.posts from the posts, newest first */
	{
		bb_post ps[3];
		char *tags[2] = { "x", "y" };
		bb_fm_node *posts;
		bb_liquid_env env;
		size_t len;
		memset(ps, 0, sizeof ps);
		ps[0].title = "Old";
		ps[0].url = "/2001/old.html";
		strcpy(ps[0].ymd, "2001-01-01");
		ps[1].title = "New";
		ps[1].url = "/2020/new.html";
		strcpy(ps[1].ymd, "2020-05-05");
		ps[1].tags = tags;
		ps[1].ntags = 2;
		ps[2].title = "Mid";
		ps[2].url = "/2010/mid.html";
		strcpy(ps[2].ymd, "2010-03-03");
		posts = bb_site_posts_tree(ps, 3);
		CHECK(posts && posts->kind == BB_FM_SEQ && posts->nkids == 3);
		memset(&env, 0, sizeof env);
		env.posts = posts;
		r = bb_liquid_render_env("{% for p in site.posts %}{{ p.title }}:{{ p.date | date: '%Y' }}:{{ p.id }}:{{ p.tags | join: '+' }};{% endfor %}",
			strlen("{% for p in site.posts %}{{ p.title }}:{{ p.date | date: '%Y' }}:{{ p.id }}:{{ p.tags | join: '+' }};{% endfor %}"),
			NULL, &env, &len);
		CHECK_STR(r, "New:2020:/2020/new:x+y;Mid:2010:/2010/mid:;Old:2001:/2001/old:;");
		free(r);
		bb_fm_free(posts);
		posts = bb_site_posts_tree(NULL, 0);
		CHECK(posts && posts->nkids == 0);
		bb_fm_free(posts);
	}
	{
		char *cmd = bb_xasprintf("rm -rf '%s'", root);
		CHECK(system(cmd) == 0);
		free(cmd);
	}
	return TEST_DONE();
}
