#define _POSIX_C_SOURCE 200809L
/* test_mt.c: the Movable Type export reader: detection by content, dates,
 * every field of an entry read from a small export written here, CRLF line
 * ends, an export without its last line of dashes, invalid UTF-8, the
 * bounds, and bodies spilled to disk reading back as held. */
#include "tap.h"
#include "mt.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char S_export[] =
	"AUTHOR: Ann\n"
	"TITLE: First entry\n"
	"BASENAME: first_entry\n"
	"STATUS: Publish\n"
	"ALLOW COMMENTS: 1\n"
	"CONVERT BREAKS: markdown\n"
	"PRIMARY CATEGORY: Main\n"
	"CATEGORY: Side\n"
	"CATEGORY: Main\n"
	"TAGS: \"two words\",one, three \n"
	"DATE: 07/14/2009 08:45:10 PM\n"
	"-----\n"
	"BODY:\n"
	"\n"
	"Body line one.\n"
	"\n"
	"Body line two.\n"
	"\n"
	"-----\n"
	"EXTENDED BODY:\n"
	"Extended part.\n"
	"-----\n"
	"EXCERPT:\n"
	"The excerpt.\n"
	"-----\n"
	"KEYWORDS:\n"
	"not shown\n"
	"-----\n"
	"COMMENT:\n"
	"AUTHOR: Bo\n"
	"EMAIL: bo@example.org\n"
	"URL: http://example.org\n"
	"IP: 192.0.2.9\n"
	"DATE: 07/15/2009 12:00:00 AM\n"
	"Comment text\n"
	"on two lines.\n"
	"-----\n"
	"--------\n"
	"AUTHOR: Cy\n"
	"TITLE: Second\n"
	"STATUS: Draft\n"
	"CONVERT BREAKS: 0\n"
	"DATE: 12/31/2012 23:59\n"
	"-----\n"
	"BODY:\n"
	"<p>Held as HTML.</p>\n"
	"-----\n"
	"--------\n";

static void
test_date(void)
{
	char d[20];
	CHECK(bb_mt_date("07/14/2009 08:45:10 PM", d) == 0);
	CHECK_STR(d, "2009-07-14 20:45:10");
	CHECK(bb_mt_date("01/02/2010 12:05:00 AM", d) == 0);
	CHECK_STR(d, "2010-01-02 00:05:00");
	CHECK(bb_mt_date("01/02/2010 12:05:00 PM", d) == 0);
	CHECK_STR(d, "2010-01-02 12:05:00");
	CHECK(bb_mt_date("03/21/2011 14:10:00", d) == 0);
	CHECK_STR(d, "2011-03-21 14:10:00");
	CHECK(bb_mt_date("3/1/2011 9:05", d) == 0);
	CHECK_STR(d, "2011-03-01 09:05:00");
	CHECK(bb_mt_date("13/01/2011 10:00:00", d) == -1);
	CHECK(bb_mt_date("2011-03-21 14:10:00", d) == -1);
	CHECK(bb_mt_date("03/21/2011 13:10:00 PM", d) == -1);
	CHECK(bb_mt_date("03/21/2011 10:00:00 XM", d) == -1);
	CHECK(bb_mt_date("", d) == -1);
}

static void
test_bid(void)
{
	CHECK(bb_mt_bid(S_export, strlen(S_export)) >= 90);
	CHECK(bb_mt_bid("<?xml version=\"1.0\"?>\n<rss>TITLE: x\n-----\nBODY:\n", 40) == 0);
	CHECK(bb_mt_bid("---\ntitle: A post\ndate: 2020-01-01\n---\n\nBODY:\nText\n", 50) == 0);
	CHECK(bb_mt_bid("Just some text\nwith lines\n", 26) == 0);
	/* a head cut before BODY: still recognised by its fields */
	CHECK(bb_mt_bid("AUTHOR: a\nTITLE: b\nDATE: 01/01/2001 10:00:00 AM\n-----\n", 53) >= 60);
}

static void
S_check_fields(const bb_export *x)
{
	const bb_entry *e = &x->entries[0], *f = &x->entries[1];
	CHECK_STR(x->kind, "movabletype");
	CHECK_STR(e->id, "1");
	CHECK_STR(e->type, "post");
	CHECK_STR(e->title, "First entry");
	CHECK_STR(e->author, "Ann");
	CHECK_STR(e->slug, "first_entry");
	CHECK_STR(e->status, "publish");
	CHECK_STR(e->date, "2009-07-14 20:45:10");
	CHECK(e->markup == BB_MARKUP_MARKDOWN);
	CHECK(e->ncategories == 2 && !strcmp(e->categories[0], "Main") && !strcmp(e->categories[1], "Side"));
	CHECK(e->ntags == 3 && !strcmp(e->tags[0], "two words") && !strcmp(e->tags[1], "one") &&
	      !strcmp(e->tags[2], "three"));
	CHECK_STR(e->excerpt, "The excerpt.");
	CHECK(e->ncomments == 1);
	if (e->ncomments == 1) {
		CHECK_STR(e->comments[0].author, "Bo");
		CHECK_STR(e->comments[0].date, "2009-07-15 00:00:00");
		CHECK_STR(e->comments[0].text, "Comment text\non two lines.");
	}
	CHECK_STR(f->title, "Second");
	CHECK_STR(f->status, "draft");
	CHECK_STR(f->date, "2012-12-31 23:59:00");
	CHECK(f->markup == BB_MARKUP_HTML);
	CHECK(x->nauthors == 2);
}

static char *
S_body(const bb_export *x, size_t i)
{
	size_t n;
	char *b = bb_export_body(x, &x->entries[i], &n);
	CHECK(b && strlen(b) == n);
	return b ? b : bb_xstrdup("");
}

static void
test_read(void)
{
	bb_export *x = NULL;
	bb_diaglist d = { 0 };
	bb_export_opts o;
	char *b;
	CHECK(bb_mt_read_memory(S_export, strlen(S_export), "mt.txt", NULL, &x, &d) == 0 && x && x->nentries == 2);
	if (!x || x->nentries != 2)
		return;
	S_check_fields(x);
	CHECK(d.n == 0);
	/* the body, then the extended body, without the blank lines around */
	CHECK_STR(x->entries[0].body, "Body line one.\n\nBody line two.\n\nExtended part.");
	CHECK_STR(x->entries[1].body, "<p>Held as HTML.</p>");
	CHECK(strstr(x->entries[0].body, "not shown") == NULL);
	bb_export_free(x);

	/* spilled: the same bodies, read back from disk */
	memset(&o, 0, sizeof o);
	o.spill = 1;
	CHECK(bb_mt_read_memory(S_export, strlen(S_export), "mt.txt", &o, &x, &d) == 0 && x && x->spill &&
	      x->nentries == 2);
	if (x && x->nentries == 2) {
		CHECK(x->entries[0].spilled && !*x->entries[0].body);
		b = S_body(x, 0);
		CHECK_STR(b, "Body line one.\n\nBody line two.\n\nExtended part.");
		free(b);
		b = S_body(x, 1);
		CHECK_STR(b, "<p>Held as HTML.</p>");
		free(b);
	}
	bb_export_free(x);
	bb_diag_clear(&d);
}

/* CRLF line ends and no last line of dashes read as LF with one. */
static void
test_crlf(void)
{
	bb_buf crlf = BB_BUF_INIT;
	const char *p;
	bb_export *x = NULL;
	bb_diaglist d = { 0 };
	for (p = S_export; *p; p++) {
		if (*p == '\n')
			bb_buf_putc(&crlf, '\r');
		bb_buf_putc(&crlf, *p);
	}
	crlf.len -= strlen("--------\r\n");
	CHECK(bb_mt_read_memory(crlf.data, crlf.len, "crlf.txt", NULL, &x, &d) == 0 && x && x->nentries == 2);
	if (x && x->nentries == 2) {
		S_check_fields(x);
		CHECK_STR(x->entries[1].body, "<p>Held as HTML.</p>");
	}
	bb_export_free(x);
	bb_diag_clear(&d);
	bb_buf_free(&crlf);
}

static void
test_hostile(void)
{
	bb_export *x = NULL;
	bb_diaglist d = { 0 };
	bb_export_opts o;
	bb_buf big = BB_BUF_INIT;
	size_t i;
	const char *bad = "TITLE: Bad \xff bytes\nDATE: 99/99/2009 10:00:00\nNOT A FIELD\n-----\nBODY:\ncut \xe2\x82\n"
			  "-----\n--------\n";
	CHECK(bb_mt_read_memory(bad, strlen(bad), "bad.txt", NULL, &x, &d) == 0 && x && x->nentries == 1);
	if (x && x->nentries == 1) {
		CHECK_STR(x->entries[0].title, "Bad \xEF\xBF\xBD bytes");
		CHECK_STR(x->entries[0].body, "cut \xEF\xBF\xBD\xEF\xBF\xBD"); /* each byte */
		CHECK_STR(x->entries[0].date, "");
	}
	/* the date, the stray line and the bytes each said, with their line */
	CHECK(d.n == 3);
	bb_export_free(x);
	bb_diag_clear(&d);

	CHECK(bb_mt_read_memory("", 0, "empty.txt", NULL, &x, &d) == -1 && !x && d.n == 1);
	bb_diag_clear(&d);
	CHECK(bb_mt_read_memory("--------\n-----\n", 15, "dashes.txt", NULL, &x, &d) == -1 && !x);
	bb_diag_clear(&d);

	/* bounds: entries, and text (what was read before is kept) */
	for (i = 0; i < 50; i++)
		bb_buf_printf(&big, "TITLE: Entry %zu\n-----\nBODY:\n%s\n-----\n--------\n", i,
			      "some words of a body, forty bytes long..");
	memset(&o, 0, sizeof o);
	o.max_items = 10;
	CHECK(bb_mt_read_memory(big.data, big.len, "big.txt", &o, &x, &d) == 0 && x && x->nentries == 10 &&
	      x->partial);
	CHECK(d.n == 1 && strstr(d.v[0].message, "more than 10 entries") != NULL);
	bb_export_free(x);
	bb_diag_clear(&d);
	memset(&o, 0, sizeof o);
	o.max_total = 1000;
	CHECK(bb_mt_read_memory(big.data, big.len, "big.txt", &o, &x, &d) == 0 && x && x->nentries >= 5 &&
	      x->nentries < 50 && x->partial);
	CHECK(d.n == 1 && strstr(d.v[0].message, "the rest is not read") != NULL);
	bb_export_free(x);
	bb_diag_clear(&d);
	bb_buf_free(&big);
}

int
main(void)
{
	test_date();
	test_bid();
	test_read();
	test_crlf();
	test_hostile();
	return TEST_DONE();
}
