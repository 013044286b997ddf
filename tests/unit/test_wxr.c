#define _POSIX_C_SOURCE 200809L
/* test_wxr.c: the WordPress export reader on WordPress's own theme unit test
 * export (../shared/corpora), counted against an independent DOM + XPath
 * count of the same file, and on hostile exports: an external entity, an
 * entity bomb, a truncated file, invalid UTF-8, a broken tag, a size bound. */
#include "tap.h"
#include "util.h"
#include "wxr.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define CORPUS "../shared/corpora/wordpress-theme-unit-test/theme-unit-test-data.xml"

static char tmpdir[64];

/* An XPath count over the corpus, parsed as a whole by libxml2's DOM
 * parser: a second reading that shares no code with wxr.c. */
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

static int
S_has_warning(const bb_diaglist *d, const char *part, int positioned)
{
	size_t i;
	for (i = 0; i < d->n; i++)
		if (strstr(d->v[i].message, part) && (!positioned || (d->v[i].line > 0 && d->v[i].col > 0)))
			return 1;
	return 0;
}

static void
S_dump(const bb_diaglist *d)
{
	size_t i;
	for (i = 0; i < d->n; i++)
		fprintf(stderr, "  %s:%u:%u: %s\n", d->v[i].path ? d->v[i].path : "", d->v[i].line, d->v[i].col,
			d->v[i].message);
}

static int
S_utf8_ok(const char *s)
{
	size_t n = strlen(s), i = 0;
	while (i < n) {
		unsigned cp;
		int k = bb_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (!k || cp == 0xFFFE || cp == 0xFFFF)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

static char *
S_write(const char *name, const char *data, size_t len)
{
	char *path = bb_xasprintf("%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len)
		fprintf(stderr, "cannot write %s\n", path);
	if (f)
		fclose(f);
	return path;
}

static void
test_corpus(const char *data, size_t len, size_t *nentries)
{
	bb_diaglist d = { 0 };
	bb_export *x = NULL, *y = NULL;
	xmlDocPtr doc;
	xmlXPathContextPtr cx;
	size_t i, ncom = 0, ncat = 0, ntag = 0, nthreaded = 0, ndated = 0;
	const bb_entry *e;
	long want;

	CHECK(bb_wxr_read_file(CORPUS, "theme-unit-test-data.xml", NULL, &x, &d) == 0 && x);
	if (!x) {
		S_dump(&d);
		return;
	}
	CHECK(d.n == 0);
	S_dump(&d);
	doc = xmlReadFile(CORPUS, NULL, XML_PARSE_NONET);
	CHECK(doc != NULL);
	if (!doc)
		goto out;
	cx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(cx, (const xmlChar *)"wp", (const xmlChar *)"https://wordpress.org/export/1.2/");
	xmlXPathRegisterNs(cx, (const xmlChar *)"dc", (const xmlChar *)"http://purl.org/dc/elements/1.1/");

	/* every item, and the kinds of them the book cares for */
	CHECK((long)x->nentries == S_xcount(cx, "count(/rss/channel/item)"));
	want = S_xcount(cx, "count(/rss/channel/item[wp:post_type='post' and wp:status='publish'])");
	CHECK((long)S_count(x, "post", "publish") == want && want > 0);
	want = S_xcount(cx, "count(/rss/channel/item[wp:post_type='post'])");
	CHECK((long)S_count(x, "post", NULL) == want);
	CHECK(S_count(x, "post", NULL) == 58); /* the corpus README */
	want = S_xcount(cx, "count(/rss/channel/item[wp:post_type='page'])");
	CHECK((long)S_count(x, "page", NULL) == want);
	CHECK(S_count(x, "page", NULL) == 21); /* the corpus README */
	want = S_xcount(cx, "count(/rss/channel/item[wp:post_type='post' and wp:status='draft'])");
	CHECK((long)S_count(x, "post", "draft") == want && want >= 1);
	want = S_xcount(cx, "count(/rss/channel/item[wp:post_type='attachment'])");
	CHECK((long)S_count(x, "attachment", NULL) == want && want > 0);
	for (i = 0; i < x->nentries; i++) {
		e = &x->entries[i];
		ncom += e->ncomments;
		ncat += e->ncategories;
		ntag += e->ntags;
		for (size_t k = 0; k < e->ncomments; k++)
			if (strcmp(e->comments[k].parent_id, "0") != 0 && *e->comments[k].parent_id)
				nthreaded++;
		if (strlen(e->date) == 19 && e->date[4] == '-' && e->date[10] == ' ' && e->date[13] == ':')
			ndated++;
		CHECK(S_utf8_ok(e->title) && S_utf8_ok(e->body));
		CHECK(e->line > 0);
	}
	want = S_xcount(cx, "count(//item/wp:comment[wp:comment_approved='1'])");
	CHECK((long)ncom == want && want > 0);
	CHECK(nthreaded > 0);
	CHECK(ndated == x->nentries);
	want = S_xcount(cx, "count(//item/category[@domain='category'])");
	CHECK((long)ncat == want);
	want = S_xcount(cx, "count(//item/category[@domain='post_tag'])");
	CHECK((long)ntag == want);

	/* attachments' alt texts and posts' featured images, from postmeta */
	want = S_xcount(cx, "count(//item[wp:postmeta[wp:meta_key='_wp_attachment_image_alt' and "
			    "string-length(normalize-space(wp:meta_value)) > 0]])");
	{
		long alts = 0, thumbs = 0;
		for (i = 0; i < x->nentries; i++) {
			alts += *x->entries[i].image_alt != '\0';
			thumbs += *x->entries[i].thumbnail_id != '\0';
		}
		CHECK(alts == want && want > 0);
		want = S_xcount(cx, "count(//item[wp:postmeta[wp:meta_key='_thumbnail_id' and "
				    "string-length(normalize-space(wp:meta_value)) > 0]])");
		CHECK(thumbs == want);
	}

	/* the channel and its authors */
	CHECK_STR(x->version, "1.2");
	CHECK_STR(x->language, "en");
	CHECK(x->nauthors == 2);
	CHECK(strlen(x->title) > 0 && strlen(x->base_blog_url) > 0 && strncmp(x->base_blog_url, "http", 4) == 0);
	/* the author of each post is a display name, not a login */
	for (i = 0; i < x->nentries; i++) {
		e = &x->entries[i];
		if (strcmp(e->type, "post") == 0 && strcmp(e->status, "publish") == 0) {
			size_t a;
			int found = 0;
			for (a = 0; a < x->nauthors; a++)
				if (strcmp(e->author, x->authors[a].display_name) == 0)
					found = 1;
			if (!found)
				fprintf(stderr, "  post %s: author '%s' is no display name\n", e->id, e->author);
		}
	}
	/* GMT dates where the export has them */
	want = S_xcount(cx, "count(//item[wp:post_date_gmt != '0000-00-00 00:00:00' and wp:post_date_gmt != wp:post_date])");
	{
		long differ = 0;
		for (i = 0; i < x->nentries; i++)
			if (strcmp(x->entries[i].date, x->entries[i].date_local) != 0)
				differ++;
		CHECK(differ == want && want > 0);
	}
	/* bodies as stored: block comments and shortcodes still there */
	{
		int blocks = 0, gallery = 0;
		for (i = 0; i < x->nentries; i++) {
			if (strstr(x->entries[i].body, "<!-- wp:"))
				blocks++;
			if (strstr(x->entries[i].body, "[gallery"))
				gallery++;
		}
		CHECK(blocks > 0 && gallery > 0);
	}
	xmlXPathFreeContext(cx);
	xmlFreeDoc(doc);

	/* the same from memory */
	bb_diag_clear(&d);
	CHECK(bb_wxr_read_memory(data, len, "mem.xml", NULL, &y, &d) == 0 && y && y->nentries == x->nentries);
	if (y && y->nentries == x->nentries)
		for (i = 0; i < x->nentries; i++)
			if (strcmp(x->entries[i].body, y->entries[i].body) != 0 ||
			    strcmp(x->entries[i].title, y->entries[i].title) != 0) {
				CHECK(!"file and memory differ");
				break;
			}
	/* the same with the bodies spilled to disk: none held in memory,
	 * each read back as it was */
	bb_export_free(y);
	y = NULL;
	bb_diag_clear(&d);
	{
		bb_export_opts so;
		size_t spilled = 0, same = 0, withbody = 0;
		memset(&so, 0, sizeof so);
		so.spill = 1;
		CHECK(bb_wxr_read_memory(data, len, "spill.xml", &so, &y, &d) == 0 && y && y->spill &&
		      y->nentries == x->nentries);
		for (i = 0; y && y->nentries == x->nentries && i < x->nentries; i++) {
			size_t n;
			char *b = bb_export_body(y, &y->entries[i], &n);
			spilled += y->entries[i].spilled && !*y->entries[i].body;
			withbody += *x->entries[i].body != '\0';
			same += b && n == strlen(x->entries[i].body) && strcmp(b, x->entries[i].body) == 0;
			free(b);
		}
		CHECK(withbody > 0 && spilled == x->nentries && same == x->nentries);
	}
out:
	*nentries = x->nentries;
	bb_export_free(x);
	bb_export_free(y);
	bb_diag_clear(&d);
}

static void
test_small(void)
{
	const char *t =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<rss version=\"2.0\" xmlns:wp=\"http://wordpress.org/export/1.1/\" "
		"xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
		"<channel><title>T</title><language>fr-FR</language>\n"
		"<wp:author><wp:author_login>ann</wp:author_login><wp:author_display_name>Ann B</wp:author_display_name></wp:author>\n"
		"<item><title>Draft</title><dc:creator>ann</dc:creator><wp:post_id>7</wp:post_id>"
		"<wp:post_date>2020-01-01 10:00:00</wp:post_date><wp:post_date_gmt>0000-00-00 00:00:00</wp:post_date_gmt>"
		"<wp:status>draft</wp:status><wp:post_type>post</wp:post_type>"
		"<content:encoded><![CDATA[a\n\nb <b>c</b>]]></content:encoded>"
		"<category domain=\"category\" nicename=\"x\"><![CDATA[X & Y]]></category>"
		"<category domain=\"post_tag\" nicename=\"t\">t</category>"
		"<category domain=\"post_format\" nicename=\"f\">f</category>"
		"<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Bo</wp:comment_author>"
		"<wp:comment_date>2020-01-02 10:00:00</wp:comment_date><wp:comment_date_gmt>2020-01-02 09:00:00</wp:comment_date_gmt>"
		"<wp:comment_content>hi</wp:comment_content><wp:comment_approved>1</wp:comment_approved>"
		"<wp:comment_parent>0</wp:comment_parent></wp:comment>"
		"<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_content>spam</wp:comment_content>"
		"<wp:comment_approved>spam</wp:comment_approved></wp:comment>"
		"<wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_content>re</wp:comment_content>"
		"<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>1</wp:comment_parent></wp:comment>"
		"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>9</wp:meta_value></wp:postmeta>"
		"</item>\n"
		"<item><title>Pub</title><dc:creator>zed</dc:creator>"
		"<wp:post_date>2020-01-01 10:00:00</wp:post_date><wp:post_date_gmt>2020-01-01 09:00:00</wp:post_date_gmt>"
		"<wp:status>publish</wp:status><wp:post_type>page</wp:post_type><content:encoded/></item>\n"
		"</channel></rss>\n";
	bb_diaglist d = { 0 };
	bb_export *x = NULL;
	CHECK(bb_wxr_read_memory(t, strlen(t), "small.xml", NULL, &x, &d) == 0 && x && x->nentries == 2);
	CHECK(d.n == 0);
	S_dump(&d);
	if (x && x->nentries == 2) {
		bb_entry *e = &x->entries[0];
		CHECK_STR(x->language, "fr-FR");
		CHECK_STR(e->date, "2020-01-01 10:00:00"); /* no GMT date: the local one */
		CHECK_STR(e->author, "Ann B");
		CHECK_STR(e->body, "a\n\nb <b>c</b>");
		CHECK(e->ncategories == 1 && strcmp(e->categories[0], "X & Y") == 0);
		CHECK(e->ntags == 1 && strcmp(e->tags[0], "t") == 0);
		CHECK(e->ncomments == 2);
		if (e->ncomments == 2) {
			CHECK_STR(e->comments[0].author, "Bo");
			CHECK_STR(e->comments[0].date, "2020-01-02 09:00:00");
			CHECK_STR(e->comments[1].parent_id, "1");
		}
		CHECK_STR(e->thumbnail_id, "9");
		CHECK_STR(e->id, "7");
		e = &x->entries[1];
		CHECK_STR(e->date, "2020-01-01 09:00:00");
		CHECK_STR(e->author, "zed"); /* no wp:author: the login */
		CHECK_STR(e->type, "page");
		CHECK_STR(e->body, "");
	}
	bb_export_free(x);
	bb_diag_clear(&d);
}

static void
test_entities(void)
{
	const char *xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n"
			  "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><item><title>&x;</title>"
			  "<content:encoded xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">&x;</content:encoded>"
			  "<wp:post_type>post</wp:post_type></item></channel></rss>\n";
	bb_diaglist d = { 0 };
	bb_export *x = NULL;
	char *path = S_write("xxe.xml", xxe, strlen(xxe));
	bb_buf bomb = BB_BUF_INIT;
	clock_t t0;
	int i, j;

	CHECK(bb_wxr_read_file(path, "xxe.xml", NULL, &x, &d) == -1 && x == NULL);
	CHECK(d.n == 1 && d.v[0].severity == BB_ERROR && strstr(d.v[0].message, "entities"));
	bb_diag_clear(&d);
	CHECK(bb_wxr_read_memory(xxe, strlen(xxe), "xxe.xml", NULL, &x, &d) == -1 && x == NULL);
	bb_diag_clear(&d);
	free(path);

	/* a billion laughs: refused before any parsing, fast */
	bb_buf_puts(&bomb, "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY l0 \"lol\">\n");
	for (i = 1; i < 10; i++) {
		bb_buf_printf(&bomb, "<!ENTITY l%d \"", i);
		for (j = 0; j < 10; j++)
			bb_buf_printf(&bomb, "&l%d;", i - 1);
		bb_buf_puts(&bomb, "\">\n");
	}
	bb_buf_puts(&bomb, "]>\n<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><item><title>&l9;</title>"
			   "</item></channel></rss>\n");
	t0 = clock();
	CHECK(bb_wxr_read_memory(bomb.data, bomb.len, "bomb.xml", NULL, &x, &d) == -1 && x == NULL);
	CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 0.5);
	CHECK(d.n >= 1 && strstr(d.v[0].message, "entities"));
	bb_diag_clear(&d);

	/* an undeclared entity in the text is left out, not fetched */
	{
		const char *u = "<rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><item><title>a&nbsp;b</title>"
				"<wp:post_type>post</wp:post_type></item><item><title>c</title></item></channel></rss>";
		CHECK(bb_wxr_read_memory(u, strlen(u), "u.xml", NULL, &x, &d) == 0 && x && x->nentries == 2);
		CHECK(d.n >= 1);
		bb_export_free(x);
		bb_diag_clear(&d);
	}
	bb_buf_free(&bomb);
}

static void
test_broken(const char *data, size_t len, size_t full)
{
	bb_diaglist d = { 0 };
	bb_export *x = NULL;
	bb_buf b = BB_BUF_INIT;
	char *path;
	size_t cut = len * 6 / 10, at, i;
	unsigned line = 1;

	/* truncated: what comes before the cut, with a positioned warning */
	path = S_write("trunc.xml", data, cut);
	CHECK(bb_wxr_read_file(path, "trunc.xml", NULL, &x, &d) == 0 && x);
	if (x) {
		CHECK(x->partial && x->nentries > full / 3 && x->nentries < full);
		CHECK(x->entries[x->nentries - 1].truncated);
	}
	CHECK(S_has_warning(&d, "XML:", 1));
	bb_export_free(x);
	bb_diag_clear(&d);
	free(path);

	/* invalid UTF-8 in a title: every entry read, bytes replaced, the
	 * warning at the first bad byte */
	at = len / 2;
	while (at < len && memcmp(data + at, "<title>", 7) != 0)
		at++;
	at += 7;
	for (i = 0; i < at; i++)
		if (data[i] == '\n')
			line++;
	bb_buf_put(&b, data, at);
	bb_buf_puts(&b, "Bad \xff\xfe byte \xc3 and \x01 here ");
	bb_buf_put(&b, data + at, len - at);
	path = S_write("badutf.xml", b.data, b.len);
	CHECK(bb_wxr_read_file(path, "badutf.xml", NULL, &x, &d) == 0 && x);
	if (x) {
		CHECK(x->nentries == full);
		for (i = 0; i < x->nentries; i++)
			if (!S_utf8_ok(x->entries[i].title) || !S_utf8_ok(x->entries[i].body))
				break;
		CHECK(i == x->nentries);
	}
	CHECK(d.n >= 1 && d.v[0].line == line && d.v[0].col > 0 && strstr(d.v[0].message, "UTF-8"));
	S_dump(&d);
	bb_export_free(x);
	bb_diag_clear(&d);
	free(path);

	/* a broken tag in the middle: the stream stops, recover mode reads on */
	bb_buf_reset(&b);
	bb_buf_put(&b, data, at);
	bb_buf_puts(&b, "x</titel>");
	bb_buf_put(&b, data + at, len - at);
	path = S_write("tag.xml", b.data, b.len);
	CHECK(bb_wxr_read_file(path, "tag.xml", NULL, &x, &d) == 0 && x);
	if (x)
		CHECK(x->partial && x->nentries >= full - 1);
	CHECK(S_has_warning(&d, "mismatch", 1));
	CHECK(S_has_warning(&d, "recover mode", 0));
	bb_export_free(x);
	bb_diag_clear(&d);
	free(path);
	bb_buf_free(&b);

	/* not an export */
	{
		const char *atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>x</title></entry></feed>";
		CHECK(bb_wxr_read_memory(atom, strlen(atom), "feed.xml", NULL, &x, &d) == -1 && !x);
		CHECK(d.n >= 1 && d.v[d.n - 1].severity == BB_ERROR);
		bb_diag_clear(&d);
		CHECK(bb_wxr_read_file("/nonexistent/x.xml", "x.xml", NULL, &x, &d) == -1 && !x);
		bb_diag_clear(&d);
		/* a folder and an empty file are named as such */
		CHECK(bb_wxr_read_file(tmpdir, "dir", NULL, &x, &d) == -1 && !x && d.n == 1 &&
		      strstr(d.v[0].message, "folder"));
		bb_diag_clear(&d);
		CHECK(bb_wxr_read_memory("", 0, "empty.xml", NULL, &x, &d) == -1 && !x && d.n == 1 &&
		      strstr(d.v[0].message, "empty"));
		bb_diag_clear(&d);
	}
	CHECK(bb_wxr_bid(data, len < 4096 ? len : 4096) >= 90);
	CHECK(bb_wxr_bid("<feed xmlns=\"http://www.w3.org/2005/Atom\">", 43) == 0);
}

/* A large export read with a small bound on text: stops with a warning, the
 * entries before kept, memory bounded by the bound, not the file. */
static void
test_bound(void)
{
	bb_wxr_opts o = { 0 };
	bb_diaglist d = { 0 };
	bb_export *x = NULL;
	char *path = bb_xasprintf("%s/big.xml", tmpdir);
	FILE *f = fopen(path, "wb");
	struct rusage ru0, ru1;
	char body[4001];
	int i;

	memset(body, 'a', 4000);
	body[4000] = '\0';
	if (!f) {
		CHECK(!"cannot write big.xml");
		free(path);
		return;
	}
	fputs("<?xml version=\"1.0\"?>\n<rss xmlns:wp=\"http://wordpress.org/export/1.2/\" "
	      "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>\n", f);
	for (i = 0; i < 20000; i++) /* 80 MB */
		fprintf(f, "<item><title>%d</title><content:encoded><![CDATA[%s]]></content:encoded>"
			   "<wp:post_type>post</wp:post_type></item>\n", i, body);
	fputs("</channel></rss>\n", f);
	fclose(f);
	o.max_total = 8 << 20;
	getrusage(RUSAGE_SELF, &ru0);
	CHECK(bb_wxr_read_file(path, "big.xml", &o, &x, &d) == 0 && x);
	getrusage(RUSAGE_SELF, &ru1);
	if (x) {
		CHECK(x->partial && x->nentries > 1000 && x->nentries < 3000);
		CHECK(strcmp(x->entries[0].body, body) == 0);
	}
	CHECK(S_has_warning(&d, "KB of text", 0));
	/* the file is 80 MB; the reader may hold the bound and some slack */
	CHECK(ru1.ru_maxrss - ru0.ru_maxrss < 48 * 1024);
	bb_export_free(x);
	bb_diag_clear(&d);
	unlink(path);
	free(path);
}

/* An item's line is where its <item> stands, however long the items
 * before it, and the same whichever pass read the export: the SAX2 pass,
 * and the reader, which a document type sends it to (the reader gave the
 * line its parser had reached, some lines on). The warnings about a post
 * name this line. */
static void
test_item_lines(void)
{
	static const char *const doctype[2] = { "", "<!DOCTYPE rss>" };
	unsigned got[2][3] = { { 0 } }, want[3] = { 0 };
	int pass;
	for (pass = 0; pass < 2; pass++) {
		bb_buf b = BB_BUF_INIT;
		unsigned line = 1;
		bb_diaglist d = { 0 };
		bb_export *x = NULL;
		int i, k;
		/* the document type stands on the first line: the lines stay */
		bb_buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>%s\n<rss version=\"2.0\" "
				  "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
				  "xmlns:wp=\"http://wordpress.org/export/1.2/\">\n<channel>\n",
			      doctype[pass]);
		line += 3;
		for (i = 0; i < 3; i++) {
			want[i] = line;
			bb_buf_printf(&b, "<item>\n<title>T%d</title>\n<wp:post_id>%d</wp:post_id>\n<content:encoded><![CDATA[",
				      i, i + 1);
			line += 3;
			for (k = 0; k < 40; k++, line++)
				bb_buf_puts(&b, "<p>A line of the post that is long enough to fill the reader's chunks.</p>\n");
			bb_buf_puts(&b, "]]></content:encoded>\n</item>\n");
			line += 2;
		}
		bb_buf_puts(&b, "</channel>\n</rss>\n");
		CHECK(bb_wxr_read_memory(b.data, b.len, "lines.xml", NULL, &x, &d) == 0 && x && x->nentries == 3);
		if (pass == 0)
			CHECK(d.n == 0);
		for (i = 0; x && i < 3 && i < (int)x->nentries; i++)
			got[pass][i] = x->entries[i].line;
		bb_export_free(x);
		bb_diag_clear(&d);
		bb_buf_free(&b);
	}
	CHECK(got[0][0] == want[0] && got[0][1] == want[1] && got[0][2] == want[2]);
	CHECK(got[1][0] == want[0] && got[1][1] == want[1] && got[1][2] == want[2]);
	if (got[1][2] != want[2])
		fprintf(stderr, "reader pass: items at %u %u %u, want %u %u %u\n", got[1][0], got[1][1], got[1][2],
			want[0], want[1], want[2]);
}

int
main(void)
{
	char *data = NULL;
	size_t len = 0, full = 0;

	strcpy(tmpdir, "/tmp/bb-wxr-XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	if (bb_read_file(CORPUS, (size_t)64 << 20, &data, &len) < 0) {
		fprintf(stderr, "%s: missing: this test needs ../shared/corpora\n", CORPUS);
		SKIP("corpus", CORPUS " not found (../shared/corpora)");
		return TEST_DONE();
	}
	test_corpus(data, len, &full);
	test_small();
	test_item_lines();
	test_entities();
	test_broken(data, len, full);
	test_bound();
	free(data);
	{
		char *cmd = bb_xasprintf("rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", tmpdir);
		free(cmd);
	}
	xmlCleanupParser();
	return TEST_DONE();
}
