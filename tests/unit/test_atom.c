/* test_atom.c: the Blogger export reader on Pelican's Blogger fixture
 * (../shared/corpora; its app: prefix is never declared), counted against
 * an independent DOM + XPath count of the same file, and on small exports
 * of both Blogger forms written here. */
#include "atom.h"
#include "tap.h"
#include "util.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS "../shared/corpora/blogger-pelican-fixture/bloggerexport.xml"

static long
S_xcount(xmlXPathContextPtr cx, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, cx);
	long n = -1;
	if (o && o->type == XPATH_NUMBER)
		n = (long)o->floatval;
	xmlXPathFreeObject(o);
	return n;
}

static size_t
S_count(const bb_export *x, const char *type, const char *status)
{
	size_t i, n = 0;
	for (i = 0; i < x->nentries; i++)
		if ((!type || strcmp(x->entries[i].type, type) == 0) &&
		    (!status || strcmp(x->entries[i].status, status) == 0))
			n++;
	return n;
}

static void
S_dump(const bb_diaglist *d)
{
	size_t i;
	for (i = 0; i < d->n; i++)
		fprintf(stderr, "  %s:%u:%u: %s\n", d->v[i].path ? d->v[i].path : "", d->v[i].line, d->v[i].col,
			d->v[i].message);
}

static void
test_corpus(void)
{
	bb_diaglist d = { 0 };
	bb_export *x = NULL;
	xmlDocPtr doc;
	xmlXPathContextPtr cx;
	long want, labels;
	size_t i, ncat = 0, ncom = 0;
	char *data = NULL;
	size_t len = 0;

	if (bb_read_file(CORPUS, 1 << 24, &data, &len) < 0) {
		fprintf(stderr, "%s: missing: this test needs ../shared/corpora\n", CORPUS);
		SKIP("corpus", CORPUS " not found (../shared/corpora)");
		return;
	}
	CHECK(bb_atom_bid(data, len < 4096 ? len : 4096) >= 90);
	CHECK(bb_atom_read_file(CORPUS, "bloggerexport.xml", NULL, &x, &d) == 0 && x);
	S_dump(&d);
	/* the undeclared prefix: one warning, positioned, naming it */
	CHECK(d.n == 1 && d.v[0].severity == BB_WARNING && strstr(d.v[0].message, "'app:'") && d.v[0].line > 0);
	if (!x)
		goto out;
	/* the oracle: libxml2's DOM parser in recover mode, counting by
	 * qualified names (the prefix has no namespace) */
	doc = xmlReadFile(CORPUS, NULL, XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	CHECK(doc != NULL);
	if (!doc)
		goto out;
	cx = xmlXPathNewContext(doc);
#define ENTRY "/*[local-name()='feed']/*[local-name()='entry']"
#define KIND(k) "*[local-name()='category'][@term='http://schemas.google.com/blogger/2008/kind#" k "']"
#define DRAFT "*[name()='app:control']/*[name()='app:draft'][normalize-space(.)='yes']"
	want = S_xcount(cx, "count(" ENTRY "[" KIND("post") "])");
	CHECK((long)S_count(x, "post", NULL) == want && want > 0);
	want = S_xcount(cx, "count(" ENTRY "[" KIND("post") " and not(" DRAFT ")])");
	CHECK((long)S_count(x, "post", "publish") == want && want > 0);
	want = S_xcount(cx, "count(" ENTRY "[" KIND("post") " and " DRAFT "])");
	CHECK((long)S_count(x, "post", "draft") == want && want > 0);
	want = S_xcount(cx, "count(" ENTRY "[" KIND("page") "])");
	CHECK((long)S_count(x, "page", NULL) == want && want > 0);
	/* nothing else: settings, templates and comments are not entries */
	CHECK(x->nentries == S_count(x, "post", NULL) + S_count(x, "page", NULL));
	CHECK(S_xcount(cx, "count(" ENTRY "[" KIND("settings") "])") > 0);
	labels = S_xcount(cx, "count(" ENTRY "[" KIND("post") "]/*[local-name()='category']"
			      "[@scheme='http://www.blogger.com/atom/ns#'])");
	want = S_xcount(cx, "count(" ENTRY "[" KIND("comment") "])");
	for (i = 0; i < x->nentries; i++) {
		const bb_entry *e = &x->entries[i];
		ncat += e->ncategories;
		ncom += e->ncomments;
		CHECK(strlen(e->date) == 19 && e->date[10] == ' ');
		CHECK(*e->title && *e->author && e->line > 0);
	}
	CHECK((long)ncat == labels && labels > 0);
	CHECK((long)ncom == want && want > 0);
	CHECK(strlen(x->title) > 0 && strncmp(x->link, "http", 4) == 0);
	/* content is HTML text (escaped in the file, not markup) */
	for (i = 0; i < x->nentries; i++)
		if (strstr(x->entries[i].body, "<br />"))
			break;
	CHECK(i < x->nentries);
	xmlXPathFreeContext(cx);
	xmlFreeDoc(doc);
out:
	bb_export_free(x);
	bb_diag_clear(&d);
	free(data);
}

/* The classic form, well-formed; the dates have offsets. */
static void
test_classic(void)
{
	const char *t =
		"<?xml version='1.0' encoding='UTF-8'?>"
		"<feed xmlns='http://www.w3.org/2005/Atom' xmlns:app='http://purl.org/atom/app#' "
		"xmlns:thr='http://purl.org/syndication/thread/1.0'>"
		"<id>tag:blogger.com,1999:blog-1.archive</id><title type='text'>Blog</title>"
		"<link rel='alternate' type='text/html' href='http://b.blogspot.com/'/>"
		"<author><name>Ann</name></author>"
		"<entry><id>tag:blogger.com,1999:blog-1.post-11</id><published>2010-11-27T23:30:00.000-08:00</published>"
		"<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>"
		"<category scheme='http://www.blogger.com/atom/ns#' term='cats &amp; dogs'/>"
		"<title type='text'>One</title><content type='html'>&lt;p&gt;Hi&lt;/p&gt;</content>"
		"<link rel='alternate' type='text/html' href='http://b.blogspot.com/2010/11/one.html'/></entry>"
		"<entry><id>tag:blogger.com,1999:blog-1.settings.X</id>"
		"<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#settings'/>"
		"<title>x</title><content>y</content></entry>"
		"<entry><id>tag:blogger.com,1999:blog-1.post-99</id><published>2010-11-29T12:00:00Z</published>"
		"<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#comment'/>"
		"<content type='html'>Nice</content><author><name>Bo</name></author>"
		"<thr:in-reply-to ref='tag:blogger.com,1999:blog-1.post-11'/></entry>"
		"</feed>";
	bb_diaglist d = { 0 };
	bb_export *x = NULL;
	CHECK(bb_atom_read_memory(t, strlen(t), "c.xml", NULL, &x, &d) == 0 && x && x->nentries == 1);
	CHECK(d.n == 0);
	S_dump(&d);
	if (x && x->nentries == 1) {
		const bb_entry *e = &x->entries[0];
		CHECK_STR(e->date, "2010-11-28 07:30:00");
		CHECK_STR(e->author, "Ann"); /* the feed's author */
		CHECK_STR(e->slug, "one");
		CHECK_STR(e->body, "<p>Hi</p>");
		CHECK_STR(e->status, "publish");
		CHECK(e->ncategories == 1 && strcmp(e->categories[0], "cats & dogs") == 0);
		CHECK(e->ncomments == 1 && strcmp(e->comments[0].author, "Bo") == 0 &&
		      strcmp(e->comments[0].text, "Nice") == 0);
	}
	bb_export_free(x);
	bb_diag_clear(&d);
}

/* The 2018 form: blogger:type, blogger:status, blogger:parent. */
static void
test_2018(void)
{
	const char *t =
		"<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>"
		"<title>B</title>"
		"<entry><id>tag:blogger.com,1999:blog-2.post-5</id><blogger:type>POST</blogger:type>"
		"<blogger:status>LIVE</blogger:status><author><name>Cy</name></author>"
		"<title>Live</title><content type='html'>x</content><blogger:filename>/2021/01/live-one.html</blogger:filename>"
		"<published>2021-01-02T03:04:05.000Z</published><category scheme='tag:blogger.com,1999:blog-2' term='L1'/></entry>"
		"<entry><id>tag:blogger.com,1999:blog-2.post-6</id><blogger:type>POST</blogger:type>"
		"<blogger:status>DRAFT</blogger:status><title>Draft</title><content type='html'>y</content></entry>"
		"<entry><id>tag:blogger.com,1999:blog-2.comment-7</id><blogger:type>COMMENT</blogger:type>"
		"<blogger:parent>tag:blogger.com,1999:blog-2.post-5</blogger:parent><blogger:status>LIVE</blogger:status>"
		"<content type='html'>c</content></entry>"
		"<entry><id>tag:blogger.com,1999:blog-2.comment-8</id><blogger:type>COMMENT</blogger:type>"
		"<blogger:parent>tag:blogger.com,1999:blog-2.post-5</blogger:parent><blogger:status>SPAM</blogger:status>"
		"<content type='html'>s</content></entry>"
		"</feed>";
	bb_diaglist d = { 0 };
	bb_export *x = NULL;
	CHECK(bb_atom_read_memory(t, strlen(t), "n.xml", NULL, &x, &d) == 0 && x && x->nentries == 2);
	S_dump(&d);
	if (x && x->nentries == 2) {
		CHECK_STR(x->entries[0].status, "publish");
		CHECK_STR(x->entries[0].slug, "live-one");
		CHECK_STR(x->entries[0].date, "2021-01-02 03:04:05");
		CHECK(x->entries[0].ncategories == 1 && strcmp(x->entries[0].categories[0], "L1") == 0);
		CHECK(x->entries[0].ncomments == 1);
		CHECK_STR(x->entries[1].status, "draft");
	}
	bb_export_free(x);
	bb_diag_clear(&d);
	/* not a feed */
	CHECK(bb_atom_read_memory("<rss/>", 6, "r.xml", NULL, &x, &d) == -1 && !x && d.n == 1);
	bb_diag_clear(&d);
	/* truncated: the entries before, a warning */
	{
		size_t cut = strlen(t) * 2 / 3;
		CHECK(bb_atom_read_memory(t, cut, "t.xml", NULL, &x, &d) == 0 && x && x->partial);
		CHECK(d.n >= 1);
		bb_export_free(x);
		bb_diag_clear(&d);
	}
}

int
main(void)
{
	test_corpus();
	test_classic();
	test_2018();
	xmlCleanupParser();
	return TEST_DONE();
}
