/* test_package.c: the package stage on a blog collected from a small folder:
 * the OPF (metadata, manifest, spine), nav.xhtml and toc.ncx, each parsed
 * back with libxml2 and checked element by element: escaping, unrendered
 * posts left out, split posts, headings to the table-of-contents depth,
 * chapter groups, vertical writing, a failing sink. */
#define _XOPEN_SOURCE 700
#include "blog.h"
#include "outkeep.h"
#include "package.h"
#include "tap.h"
#include "xhtml.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[256];

static void
S_write(const char *rel, const char *text)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", root, rel);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

/* ---- reading the documents back ---- */

typedef struct doc {
	xmlDocPtr d;
	xmlXPathContextPtr x;
} doc;

static doc
S_parse(const bb_buf *b)
{
	doc r = { NULL, NULL };
	if (!b->data)
		return r;
	r.d = xmlReadMemory(b->data, (int)b->len, NULL, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!r.d)
		return r;
	r.x = xmlXPathNewContext(r.d);
	xmlXPathRegisterNs(r.x, (const xmlChar *)"opf", (const xmlChar *)"http://www.idpf.org/2007/opf");
	xmlXPathRegisterNs(r.x, (const xmlChar *)"dc", (const xmlChar *)"http://purl.org/dc/elements/1.1/");
	xmlXPathRegisterNs(r.x, (const xmlChar *)"h", (const xmlChar *)"http://www.w3.org/1999/xhtml");
	xmlXPathRegisterNs(r.x, (const xmlChar *)"epub", (const xmlChar *)"http://www.idpf.org/2007/ops");
	xmlXPathRegisterNs(r.x, (const xmlChar *)"n", (const xmlChar *)"http://www.daisy.org/z3986/2005/ncx/");
	return r;
}

static void
S_doc_free(doc *r)
{
	if (r->x)
		xmlXPathFreeContext(r->x);
	if (r->d)
		xmlFreeDoc(r->d);
	r->x = NULL;
	r->d = NULL;
}

/* The string value of expr ("" when the document is missing); static buffer. */
static const char *
S_str(const doc *r, const char *expr)
{
	static char out[4][1024];
	static int k;
	xmlXPathObjectPtr o;
	char *s = out[k = (k + 1) % 4];
	s[0] = '\0';
	if (!r->x)
		return s;
	o = xmlXPathEvalExpression((const xmlChar *)expr, r->x);
	if (o) {
		xmlChar *v = xmlXPathCastToString(o);
		snprintf(s, sizeof out[0], "%s", v ? (const char *)v : "");
		xmlFree(v);
		xmlXPathFreeObject(o);
	} else
		snprintf(s, sizeof out[0], "(bad xpath %s)", expr);
	return s;
}

/* The number expr evaluates to (count(...)); -1 when the document is missing. */
static double
S_num(const doc *r, const char *expr)
{
	xmlXPathObjectPtr o;
	double v = -1;
	if (!r->x)
		return -1;
	o = xmlXPathEvalExpression((const xmlChar *)expr, r->x);
	if (o) {
		v = xmlXPathCastToNumber(o);
		xmlXPathFreeObject(o);
	}
	return v;
}

/* ---- the blog ---- */

static bb_post *
S_post(bb_blog *b, const char *path)
{
	size_t i;
	for (i = 0; b && i < b->nposts; i++)
		if (strcmp(b->posts[i].path, path) == 0)
			return &b->posts[i];
	return NULL;
}

/* Adds a heading to hs (*n of them; the strings are the caller's). */
static void
S_heading(bb_heading *hs, size_t *n, int level, const char *id, const char *text, int part)
{
	bb_heading *h = &hs[(*n)++];
	h->level = level;
	h->id = (char *)id;
	h->text = (char *)text;
	h->part = part;
}

/* Collects the blog with the given chapters and vertical setting, then does
 * what the render stage would: first.md one file, second.md two files with
 * headings, third.md none (unreadable: left out of the book). */
static bb_blog *
S_blog(bb_chapters chapters, int toc_depth, int vertical)
{
	bb_options o;
	bb_blog *b;
	bb_post *p;
	bb_options_init(&o);
	o.source_dir = root;
	o.chapters = chapters;
	o.toc_depth = toc_depth;
	o.vertical = vertical;
	b = bb_collect(&o);
	if (!b)
		return NULL;
	if ((p = S_post(b, "_posts/2023-05-01-first.md")))
		p->nparts = 1;
	if ((p = S_post(b, "_posts/2024-02-03-second.md"))) {
		/* kept as the render keeps them (outkeep.c) */
		bb_heading hs[4];
		size_t n = 0;
		p->nparts = 2;
		S_heading(hs, &n, 2, "intro", "Intro & <more>", 0);
		S_heading(hs, &n, 3, "detail", "Detail", 1);
		S_heading(hs, &n, 4, "deeper", NULL, 1);
		S_heading(hs, &n, 2, "end", "End", 1);
		bb_outkeep_put(b, (size_t)(p - b->posts), hs, n);
	}
	if ((p = S_post(b, "_posts/2024-03-04-third.md")))
		p->nparts = 0;
	return b;
}

/* libxml2 reports a failed write on stderr; the test expects it */
static void
S_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx, (void)msg;
}

static int
S_fail_sink(void *ctx, const char *p, size_t n)
{
	(void)ctx, (void)p, (void)n;
	return -1;
}

static void
test_flat(void)
{
	bb_blog *b = S_blog(BB_CHAPTERS_POST, -1, 0);
	bb_book_facts f;
	bb_buf opf = BB_BUF_INIT, nav = BB_BUF_INIT, ncx = BB_BUF_INIT;
	bb_sink so = { bb_sink_buf, NULL }, sn = { bb_sink_buf, NULL }, sx = { bb_sink_buf, NULL };
	doc o, n, x;
	char e[512], first[BB_ID_MAX] = "", second[BB_ID_MAX] = "", third[BB_ID_MAX] = "";
	const char *id;
	bb_post *p;

	memset(&f, 0, sizeof f);
	f.facts = BB_FACT_RUBY;
	CHECK(b != NULL);
	if (!b)
		return;
	CHECK(b->nposts == 3);
	if ((p = S_post(b, "_posts/2023-05-01-first.md")))
		snprintf(first, sizeof first, "%s", p->id);
	if ((p = S_post(b, "_posts/2024-02-03-second.md")))
		snprintf(second, sizeof second, "%s", p->id);
	if ((p = S_post(b, "_posts/2024-03-04-third.md")))
		snprintf(third, sizeof third, "%s", p->id);
	CHECK(first[0] && second[0] && third[0]);

	so.ctx = &opf, sn.ctx = &nav, sx.ctx = &ncx;
	CHECK(bb_package_opf(b, &f, &so) == 0);
	CHECK(bb_package_nav(b, &sn) == 0);
	CHECK(bb_package_ncx(b, &sx) == 0);
	o = S_parse(&opf);
	n = S_parse(&nav);
	x = S_parse(&ncx);
	CHECK(o.d != NULL);
	CHECK(n.d != NULL);
	CHECK(x.d != NULL);

	/* OPF metadata: escaped text round-trips, the newest rendered post dates the book */
	CHECK_STR(S_str(&o, "/opf:package/@version"), "3.0");
	CHECK_STR(S_str(&o, "/opf:package/@unique-identifier"), "bookid");
	CHECK_STR(S_str(&o, "/opf:package/@xml:lang"), "en");
	CHECK_STR(S_str(&o, "//dc:title"), "Tom & Jerry's <Book>");
	CHECK_STR(S_str(&o, "//dc:creator"), "Ann \"A\" Author");
	CHECK_STR(S_str(&o, "//dc:language"), "en");
	CHECK_STR(S_str(&o, "//dc:date"), "2024-02-03");
	CHECK_STR(S_str(&o, "//dc:source"), "https://example.org");
	CHECK_STR(S_str(&o, "//dc:description"), "Notes & asides");
	CHECK(strncmp(S_str(&o, "//dc:identifier[@id='bookid']"), "urn:uuid:", 9) == 0);
	id = S_str(&o, "//opf:meta[@property='dcterms:modified']");
	CHECK(strlen(id) == 20 && id[4] == '-' && id[10] == 'T' && id[19] == 'Z');
	CHECK(S_num(&o, "count(//opf:meta[@property='schema:accessibilityFeature'][.='rubyAnnotations'])") == 1);
	CHECK(S_num(&o, "count(//opf:meta[@property='schema:accessMode'][.='visual'])") == 0);
	CHECK(S_num(&o, "count(//opf:meta[@name='primary-writing-mode'])") == 0);
	/* manifest: the nav item, each rendered file once, the unreadable post nowhere */
	CHECK_STR(S_str(&o, "//opf:item[@properties='nav']/@href"), "nav.xhtml");
	CHECK_STR(S_str(&o, "//opf:item[@id='ncx']/@media-type"), "application/x-dtbncx+xml");
	snprintf(e, sizeof e, "//opf:item[@href='%s.xhtml']/@id", first);
	CHECK_STR(S_str(&o, e), first);
	snprintf(e, sizeof e, "count(//opf:item[@href='%s.xhtml' or @href='%s.2.xhtml'])", second, second);
	CHECK(S_num(&o, e) == 2);
	snprintf(e, sizeof e, "count(//opf:item[starts-with(@href, '%s')] | //opf:itemref[starts-with(@idref, '%s')])", third, third);
	CHECK(S_num(&o, e) == 0);
	CHECK(S_num(&o, "count(//opf:item)") == 5 + 3);
	CHECK(S_num(&o, "count(//opf:item[@id = preceding-sibling::opf:item/@id])") == 0);
	/* spine: cover, title page, contents, then the posts' files in order; each in the manifest */
	CHECK_STR(S_str(&o, "/opf:package/opf:spine/@toc"), "ncx");
	CHECK(S_num(&o, "count(//opf:spine/@page-progression-direction)") == 0);
	CHECK(S_num(&o, "count(//opf:itemref)") == 6);
	CHECK_STR(S_str(&o, "//opf:itemref[1]/@idref"), "cover");
	CHECK_STR(S_str(&o, "//opf:itemref[2]/@idref"), "titlepage");
	CHECK_STR(S_str(&o, "//opf:itemref[3]/@idref"), "nav");
	CHECK_STR(S_str(&o, "//opf:itemref[4]/@idref"), first);
	CHECK_STR(S_str(&o, "//opf:itemref[5]/@idref"), second);
	snprintf(e, sizeof e, "%s.2", second);
	CHECK_STR(S_str(&o, "//opf:itemref[6]/@idref"), e);
	CHECK(S_num(&o, "count(//opf:itemref[not(@idref = //opf:item/@id)])") == 0);

	/* nav: the posts (the unreadable one left out), level-2 headings only by default */
	CHECK_STR(S_str(&n, "/h:html/@xml:lang"), "en");
	CHECK(S_num(&n, "count(//h:nav[@epub:type='toc'])") == 1);
	CHECK(S_num(&n, "count(//h:nav[@epub:type='toc']//h:a)") == 4);
	snprintf(e, sizeof e, "//h:nav[@epub:type='toc']/h:ol/h:li[1]/h:a[@href='%s.xhtml']", first);
	CHECK_STR(S_str(&n, e), "First & foremost");
	snprintf(e, sizeof e, "//h:nav[@epub:type='toc']/h:ol/h:li[2]/h:ol/h:li/h:a[@href='%s.xhtml#intro']", second);
	CHECK_STR(S_str(&n, e), "Intro & <more>");
	snprintf(e, sizeof e, "//h:nav[@epub:type='toc']/h:ol/h:li[2]/h:ol/h:li/h:a[@href='%s.2.xhtml#end']", second);
	CHECK_STR(S_str(&n, e), "End");
	CHECK(S_num(&n, "count(//h:a[contains(@href, '#detail')])") == 0);
	CHECK(S_num(&n, "count(//h:ol[not(h:li)])") == 0);
	snprintf(e, sizeof e, "//h:nav[@epub:type='landmarks']//h:a[@epub:type='bodymatter']/@href");
	snprintf(e + 256, 256, "%s.xhtml", first);
	CHECK_STR(S_str(&n, e), e + 256);

	/* NCX: same entries, playOrder 1.., the OPF's identifier, depth 2 */
	CHECK_STR(S_str(&x, "//n:meta[@name='dtb:uid']/@content"), S_str(&o, "//dc:identifier"));
	CHECK_STR(S_str(&x, "//n:meta[@name='dtb:depth']/@content"), "2");
	CHECK_STR(S_str(&x, "//n:docTitle/n:text"), "Tom & Jerry's <Book>");
	CHECK(S_num(&x, "count(//n:navPoint)") == 4);
	CHECK(S_num(&x, "count(//n:navPoint[@playOrder != count(preceding::n:navPoint | ancestor::n:navPoint) + 1])") == 0);
	snprintf(e, sizeof e, "//n:navPoint[n:content/@src='%s.2.xhtml#end']/../n:navLabel/n:text", second);
	CHECK_STR(S_str(&x, e), S_str(&n, "//h:nav[@epub:type='toc']/h:ol/h:li[2]/h:a"));
	snprintf(e, sizeof e, "count(//n:content[contains(@src, '%s')])", third);
	CHECK(S_num(&x, e) == 0);

	/* a sink that fails makes each writer fail */
	so.write = S_fail_sink;
	xmlSetGenericErrorFunc(NULL, S_quiet);
	CHECK(bb_package_opf(b, &f, &so) == -1);
	CHECK(bb_package_nav(b, &so) == -1);
	CHECK(bb_package_ncx(b, &so) == -1);
	xmlSetGenericErrorFunc(NULL, NULL);

	S_doc_free(&o);
	S_doc_free(&n);
	S_doc_free(&x);
	bb_buf_free(&opf);
	bb_buf_free(&nav);
	bb_buf_free(&ncx);
	bb_blog_free(b);
}

/* Deeper table of contents: level 3 nested under its level 2 heading. */
static void
test_depth(void)
{
	bb_blog *b = S_blog(BB_CHAPTERS_POST, 3, 0);
	bb_buf nav = BB_BUF_INIT, ncx = BB_BUF_INIT;
	bb_sink sn = { bb_sink_buf, NULL }, sx = { bb_sink_buf, NULL };
	doc n, x;
	char e[512], second[BB_ID_MAX] = "";
	bb_post *p;
	CHECK(b != NULL);
	if (!b)
		return;
	if ((p = S_post(b, "_posts/2024-02-03-second.md")))
		snprintf(second, sizeof second, "%s", p->id);
	sn.ctx = &nav, sx.ctx = &ncx;
	CHECK(bb_package_nav(b, &sn) == 0 && bb_package_ncx(b, &sx) == 0);
	n = S_parse(&nav);
	x = S_parse(&ncx);
	/* Detail (level 3, second file) sits in Intro's list; the untitled level 4 nowhere */
	snprintf(e, sizeof e, "//h:a[@href='%s.2.xhtml#detail']/../../../h:a", second);
	CHECK_STR(S_str(&n, e), "Intro & <more>");
	CHECK(S_num(&n, "count(//h:nav[@epub:type='toc']//h:a)") == 5);
	CHECK(S_num(&n, "count(//h:a[contains(@href, 'deeper')])") == 0);
	snprintf(e, sizeof e, "//n:navPoint[n:content/@src='%s.2.xhtml#detail']/../n:navLabel/n:text", second);
	CHECK_STR(S_str(&x, e), "Intro & <more>");
	CHECK_STR(S_str(&x, "//n:meta[@name='dtb:depth']/@content"), "3");
	S_doc_free(&n);
	S_doc_free(&x);
	bb_buf_free(&nav);
	bb_buf_free(&ncx);
	bb_blog_free(b);
}

/* Chapters by year: a group page before its posts in the spine, group
 * entries holding their posts in nav and NCX. */
static void
test_groups(void)
{
	bb_blog *b = S_blog(BB_CHAPTERS_YEAR, 1, 0);
	bb_book_facts f;
	bb_buf opf = BB_BUF_INIT, nav = BB_BUF_INIT, ncx = BB_BUF_INIT;
	bb_sink so = { bb_sink_buf, NULL }, sn = { bb_sink_buf, NULL }, sx = { bb_sink_buf, NULL };
	doc o, n, x;
	char e[512], g1[BB_ID_MAX] = "", g2[BB_ID_MAX] = "", first[BB_ID_MAX] = "", second[BB_ID_MAX] = "";
	bb_post *p;
	size_t g;
	memset(&f, 0, sizeof f);
	f.facts = BB_FACT_IMAGE | BB_FACT_NO_ALT;
	f.nimages = 2;
	CHECK(b != NULL);
	if (!b)
		return;
	CHECK(b->ngroups == 2);
	for (g = 0; g < b->ngroups && g < 2; g++)
		snprintf(g ? g2 : g1, BB_ID_MAX, "%s", b->groups[g].id);
	CHECK(b->ngroups >= 2 && strstr(b->groups[0].title, "2023") && strstr(b->groups[1].title, "2024"));
	if ((p = S_post(b, "_posts/2023-05-01-first.md")))
		snprintf(first, sizeof first, "%s", p->id);
	if ((p = S_post(b, "_posts/2024-02-03-second.md")))
		snprintf(second, sizeof second, "%s", p->id);
	so.ctx = &opf, sn.ctx = &nav, sx.ctx = &ncx;
	CHECK(bb_package_opf(b, &f, &so) == 0 && bb_package_nav(b, &sn) == 0 && bb_package_ncx(b, &sx) == 0);
	o = S_parse(&opf);
	n = S_parse(&nav);
	x = S_parse(&ncx);
	snprintf(e, sizeof e, "//opf:item[@id='%s']/@href", g1);
	snprintf(e + 256, 256, "%s.xhtml", g1);
	CHECK_STR(S_str(&o, e), e + 256);
	CHECK_STR(S_str(&o, "//opf:itemref[4]/@idref"), g1);
	CHECK_STR(S_str(&o, "//opf:itemref[5]/@idref"), first);
	CHECK_STR(S_str(&o, "//opf:itemref[6]/@idref"), g2);
	CHECK_STR(S_str(&o, "//opf:itemref[7]/@idref"), second);
	CHECK(S_num(&o, "count(//opf:itemref)") == 8);
	/* images without alt text: claimed visual, and no alternativeText */
	CHECK(S_num(&o, "count(//opf:meta[@property='schema:accessMode'][.='visual'])") == 1);
	CHECK(S_num(&o, "count(//opf:meta[.='alternativeText'])") == 0);
	CHECK_STR(S_str(&o, "//opf:meta[@property='schema:accessModeSufficient']"), "textual,visual");
	/* nav: groups, each with its posts, no headings at depth 1 */
	snprintf(e, sizeof e, "//h:nav[@epub:type='toc']/h:ol/h:li[h:a/@href='%s.xhtml']/h:ol/h:li/h:a/@href", g2);
	snprintf(e + 256, 256, "%s.xhtml", second);
	CHECK_STR(S_str(&n, e), e + 256);
	CHECK(S_num(&n, "count(//h:nav[@epub:type='toc']/h:ol/h:li)") == 2);
	CHECK(S_num(&n, "count(//h:nav[@epub:type='toc']//h:a)") == 4);
	snprintf(e, sizeof e, "//h:a[@epub:type='bodymatter']/@href");
	snprintf(e + 256, 256, "%s.xhtml", g1);
	CHECK_STR(S_str(&n, e), e + 256);
	/* NCX: the same tree, depth 2 */
	CHECK(S_num(&x, "count(/n:ncx/n:navMap/n:navPoint)") == 2);
	CHECK(S_num(&x, "count(//n:navPoint/n:navPoint)") == 2);
	CHECK_STR(S_str(&x, "//n:meta[@name='dtb:depth']/@content"), "2");
	S_doc_free(&o);
	S_doc_free(&n);
	S_doc_free(&x);
	bb_buf_free(&opf);
	bb_buf_free(&nav);
	bb_buf_free(&ncx);
	bb_blog_free(b);
}

/* A Japanese blog in vertical writing: right-to-left pages, declared. */
static void
test_vertical(void)
{
	bb_blog *b;
	bb_book_facts f;
	bb_buf opf = BB_BUF_INIT, nav = BB_BUF_INIT;
	bb_sink so = { bb_sink_buf, NULL }, sn = { bb_sink_buf, NULL };
	doc o, n;
	memset(&f, 0, sizeof f);
	S_write("_config.yml", "title: \xE6\x97\xA5\xE8\xA8\x98\nlang: ja\n");
	b = S_blog(BB_CHAPTERS_POST, -1, 1);
	CHECK(b != NULL);
	if (!b)
		return;
	so.ctx = &opf, sn.ctx = &nav;
	CHECK(bb_package_opf(b, &f, &so) == 0 && bb_package_nav(b, &sn) == 0);
	o = S_parse(&opf);
	n = S_parse(&nav);
	CHECK_STR(S_str(&o, "//opf:spine/@page-progression-direction"), "rtl");
	CHECK_STR(S_str(&o, "//opf:meta[@name='primary-writing-mode']/@content"), "vertical-rl");
	CHECK_STR(S_str(&o, "//dc:language"), "ja");
	CHECK_STR(S_str(&o, "//dc:title"), "\xE6\x97\xA5\xE8\xA8\x98");
	CHECK_STR(S_str(&n, "/h:html/@class"), "vrtl");
	S_doc_free(&o);
	S_doc_free(&n);
	bb_buf_free(&opf);
	bb_buf_free(&nav);
	bb_blog_free(b);
}

int
main(void)
{
	char path[300], cmd[400];
	snprintf(root, sizeof root, "/tmp/bb-test-package-%ld", (long)getpid());
	mkdir(root, 0755);
	snprintf(path, sizeof path, "%s/_posts", root);
	mkdir(path, 0755);
	S_write("_config.yml", "title: \"Tom & Jerry's <Book>\"\nauthor: 'Ann \"A\" Author'\nlang: en\n"
			       "url: https://example.org/\ndescription: Notes & asides\n");
	S_write("_posts/2023-05-01-first.md", "---\ntitle: First & foremost\n---\nOne.\n");
	S_write("_posts/2024-02-03-second.md", "---\ntitle: Second\n---\n## Intro\n\nTwo.\n");
	S_write("_posts/2024-03-04-third.md", "---\ntitle: Third\n---\nThree.\n");

	test_flat();
	test_depth();
	test_groups();
	test_vertical();

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	xmlCleanupParser();
	return TEST_DONE();
}
