/* test_svg.c: an SVG's document type naming an outside DTD is removed
 * through libxml2 when the image means the same without it, and refused
 * when it needs the DTD (entities, the SVG namespace or xlink from its
 * defaults); the rest of the document is kept. */
#define _POSIX_C_SOURCE 200809L
#include "svg.h"
#include "tap.h"

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DT11 "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"

static char S_dir[] = "/tmp/bb-test-svg-XXXXXX";

/* Writes text to a file of the test folder; returns its path (static). */
static const char *
S_file(const char *name, const char *text)
{
	static char p[256];
	FILE *f;
	snprintf(p, sizeof p, "%s/%s", S_dir, name);
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return p;
}

/* Runs bb_svg_without_doctype on text; returns its result, the output in
 * *out (NUL-terminated, caller frees) and the reason in *why. */
static int
S_run(const char *text, char **out, const char **why)
{
	unsigned char *o = NULL;
	size_t n = 0;
	int r;
	*why = NULL;
	r = bb_svg_without_doctype(S_file("x.svg", text), 1 << 20, &o, &n, why);
	*out = NULL;
	if (o) {
		*out = malloc(n + 1);
		memcpy(*out, o, n);
		(*out)[n] = 0;
		free(o);
	}
	return r;
}

int
main(void)
{
	char *out;
	const char *why;
	xmlDocPtr d;
	int r;

	if (!mkdtemp(S_dir))
		return 1;

	/* the common case: Inkscape/Illustrator's SVG 1.1 doctype */
	r = S_run("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" DT11
		  "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
		  "width=\"20\" height=\"10\"><defs><rect id=\"r\" width=\"5\" height=\"5\"/></defs>"
		  "<use xlink:href=\"#r\"/><text x=\"1\" y=\"9\">caf\xC3\xA9 &amp; &#x3b1;</text></svg>\n",
		  &out, &why);
	CHECK(r == 1 && out);
	if (out) {
		CHECK(!strstr(out, "DOCTYPE") && !strstr(out, "svg11.dtd"));
		CHECK(strstr(out, "<use xlink:href=\"#r\"/>") != NULL);
		CHECK(strstr(out, "caf\xC3\xA9 &amp; \xCE\xB1</text>") != NULL);
		d = xmlReadMemory(out, (int)strlen(out), NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
		CHECK(d && !d->intSubset && xmlDocGetRootElement(d)
		      && strcmp((const char *)xmlDocGetRootElement(d)->name, "svg") == 0
		      && xmlDocGetRootElement(d)->ns
		      && strcmp((const char *)xmlDocGetRootElement(d)->ns->href, "http://www.w3.org/2000/svg") == 0);
		CHECK(d && bb_svg_doctype_kind(d) == 0);
		xmlFreeDoc(d);
	}
	free(out);

	/* a system identifier alone */
	r = S_run("<!DOCTYPE svg SYSTEM \"svg10.dtd\"><svg xmlns=\"http://www.w3.org/2000/svg\"/>", &out, &why);
	CHECK(r == 1 && out && !strstr(out, "DOCTYPE") && strstr(out, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
	free(out);

	/* nothing to do: no document type, or one with no identifier */
	r = S_run("<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"3\"/></svg>", &out, &why);
	CHECK(r == 0 && !out);
	free(out);
	r = S_run("<!DOCTYPE svg><svg xmlns=\"http://www.w3.org/2000/svg\"/>", &out, &why);
	CHECK(r == 0 && !out);
	free(out);

	/* needs the DTD: declarations of its own, the namespace or xlink
	 * left to the DTD's defaults */
	r = S_run("<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"svg11.dtd\" [<!ENTITY ns \"x\">]>"
		  "<svg xmlns=\"http://www.w3.org/2000/svg\">&ns;</svg>", &out, &why);
	CHECK(r == -1 && !out && why);
	free(out);
	r = S_run(DT11 "<svg width=\"4\" height=\"4\"><rect width=\"4\" height=\"4\"/></svg>", &out, &why);
	CHECK(r == -1 && !out && why && strstr(why, "DTD"));
	free(out);
	r = S_run(DT11 "<svg xmlns=\"http://www.w3.org/2000/svg\"><use xlink:href=\"#a\"/></svg>", &out, &why);
	CHECK(r == -1 && !out);
	free(out);
	r = S_run(DT11 "<html xmlns=\"http://www.w3.org/1999/xhtml\"/>", &out, &why);
	CHECK(r == -1 && !out);
	free(out);

	/* not XML, or an entity only the DTD defines */
	r = S_run(DT11 "<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>", &out, &why);
	CHECK(r == -1 && !out && why && strstr(why, "well-formed"));
	free(out);
	r = S_run(DT11 "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&nbsp;</text></svg>", &out, &why);
	CHECK(r == -1 && !out);
	free(out);

	/* no file */
	r = bb_svg_without_doctype("/nonexistent/x.svg", 1 << 20, (unsigned char **)&out, &(size_t){ 0 }, &why);
	CHECK(r == -1 && why);

	unlink(S_file("x.svg", ""));
	rmdir(S_dir);
	return TEST_DONE();
}
