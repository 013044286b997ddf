/* test_xmlout.c: xmlout.c's writer against libxml2's xmlTextWriter (indent
 * "  ", UTF-8, as package.c used it): random documents of elements with
 * attributes, text or children, with every character either escapes, must
 * come out byte for byte the same; and a failing sink makes -1. */
#include "tap.h"
#include "xmlout.h"

#include <libxml/xmlwriter.h>

#define X(s) ((const xmlChar *)(s))

static int
S_io(void *ctx, const char *p, int n)
{
	bb_buf_put(ctx, p, (size_t)n);
	return n;
}

static unsigned long S_seed = 12345;

static unsigned
S_rand(unsigned n)
{
	S_seed = S_seed * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(S_seed >> 33) % n;
}

/* A string of up to max pieces: plain words, every escaped character,
 * UTF-8 (Japanese, Latin), controls and bytes that are not UTF-8. */
static void
S_string(char *s, size_t cap, int max)
{
	static const char *const piece[] = { "a", "word ", "<", ">", "&", "\"", "'", "\r", "\n", "\t",
					     "\xE7\x9B\xAE\xE6\xAC\xA1", "\xC3\xA9", "\x7F", "\x01", "]]>", "&amp;",
					     "=", ";", "#", "\xFF", "  " };
	int k, n = (int)S_rand((unsigned)max + 1);
	s[0] = '\0';
	for (k = 0; k < n; k++) {
		const char *p = piece[S_rand(sizeof piece / sizeof *piece)];
		if (strlen(s) + strlen(p) < cap)
			strcat(s, p);
	}
}

static const char *const S_names[] = { "ol", "li", "a", "navPoint", "text", "meta" };

/* Writes one element (children to depth) with both writers. */
static void
S_element(bb_xw *w, xmlTextWriterPtr x, int depth)
{
	const char *name = S_names[S_rand(6)];
	char v[256];
	unsigned k, na = S_rand(3), kind = depth > 0 ? S_rand(3) : S_rand(2);
	bb_xw_start(w, name);
	xmlTextWriterStartElement(x, X(name));
	for (k = 0; k < na; k++) {
		S_string(v, sizeof v, 6);
		bb_xw_attr(w, k ? "href" : "id", v);
		xmlTextWriterWriteAttribute(x, X(k ? "href" : "id"), X(v));
	}
	if (kind == 1) { /* text, maybe empty, maybe NULL (nothing: <t/>) */
		const char *t = S_rand(4) == 0 ? NULL : v;
		S_string(v, sizeof v, 8);
		bb_xw_text(w, t);
		xmlTextWriterWriteString(x, t ? X(t) : NULL);
	} else if (kind == 2)
		for (k = S_rand(4) + 1; k > 0; k--)
			S_element(w, x, depth - 1);
	bb_xw_end(w);
	xmlTextWriterEndElement(x);
}

static void
S_compare(int doctype, int n, int depth)
{
	bb_buf mine = BB_BUF_INIT, theirs = BB_BUF_INIT;
	bb_sink sink = { bb_sink_buf, &mine };
	bb_xw w;
	xmlTextWriterPtr x = xmlNewTextWriter(xmlOutputBufferCreateIO(S_io, NULL, &theirs, NULL));
	int k;
	xmlTextWriterSetIndent(x, 1);
	xmlTextWriterSetIndentString(x, X("  "));
	xmlTextWriterStartDocument(x, "1.0", "UTF-8", NULL);
	if (doctype)
		xmlTextWriterWriteDTD(x, X("html"), NULL, NULL, NULL);
	bb_xw_init(&w, &sink, doctype);
	bb_xw_start(&w, "root");
	xmlTextWriterStartElement(x, X("root"));
	for (k = 0; k < n; k++)
		S_element(&w, x, depth);
	/* the root and whatever is open are ended by the end of the document */
	CHECK(bb_xw_done(&w) == 0);
	xmlTextWriterEndDocument(x);
	xmlTextWriterFlush(x);
	xmlFreeTextWriter(x);
	CHECK(mine.len == theirs.len && memcmp(mine.data, theirs.data, mine.len) == 0);
	if (mine.len != theirs.len || memcmp(mine.data, theirs.data, mine.len) != 0) {
		size_t i = 0;
		while (i < mine.len && i < theirs.len && mine.data[i] == theirs.data[i])
			i++;
		fprintf(stderr, "  differ at byte %zu: mine \"%.40s\" libxml2 \"%.40s\"\n", i, mine.data + i,
			theirs.data + i);
	}
	bb_buf_free(&mine);
	bb_buf_free(&theirs);
}

static int
S_fail(void *ctx, const char *p, size_t n)
{
	(void)ctx, (void)p, (void)n;
	return -1;
}

int
main(void)
{
	int k;
	bb_sink bad = { S_fail, NULL };
	bb_xw w;
	for (k = 0; k < 200; k++)
		S_compare(k % 2, (int)S_rand(5), (int)S_rand(4));
	/* past the writer's 64 KB pieces */
	S_compare(1, 3000, 3);
	bb_xw_init(&w, &bad, 0);
	bb_xw_element(&w, "a", "b");
	CHECK(bb_xw_done(&w) == -1);
	return TEST_DONE();
}
