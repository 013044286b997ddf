/* fuzz_post.c: libFuzzer target for a whole post: the input is written as a
 * post into a small blog in a temporary folder, collected and rendered (and,
 * when its first byte asks, bound into a book); every XHTML part must parse
 * as XML (libxml2, no recovery) and hold no active content, and nothing may
 * crash or leak.
 *
 * The first byte chooses: bit 0 the post is .html, not .md; bit 1 vertical
 * Japanese; bit 2 the whole book is written and each of its documents
 * checked; bit 3 no stitching. The rest is the post's file. */
#define _XOPEN_SOURCE 700
#include "blog.h"
#include "blogbind.h"
#include "render.h"
#include "util.h"

#include <ctype.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char S_dir[512];
static char S_book[600];

static void
S_die(const char *what, const char *doc, size_t len)
{
	fprintf(stderr, "fuzz_post: %s\n", what);
	if (doc)
		fprintf(stderr, "---- document ----\n%.*s\n---- end ----\n", (int)(len > 20000 ? 20000 : len), doc);
	abort();
}

static void
S_write(const char *rel, const void *p, size_t n)
{
	char path[1024];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", S_dir, rel);
	if (!(f = fopen(path, "wb")) || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		S_die("cannot write the blog", path, strlen(path));
}

static void
S_cleanup(void)
{
	static const char *const files[] = { "_posts/2024-01-02-fuzz.md", "_posts/2024-01-02-fuzz.html",
					     "_posts/2024-01-01-other.md", "_config.yml", "assets/ok.png",
					     "assets/pic.svg", NULL };
	char path[1024];
	size_t i;
	for (i = 0; files[i]; i++) {
		snprintf(path, sizeof path, "%s/%s", S_dir, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof path, "%s/_posts", S_dir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/assets", S_dir);
	rmdir(path);
	unlink(S_book);
	rmdir(S_dir);
}

static void
S_setup(void)
{
	static const unsigned char png[] = {
		0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
		0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
		0x00, 0x03, 0x01, 0x01, 0x00, 0xc9, 0xfe, 0x92, 0xef, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
		0x44, 0xae, 0x42, 0x60, 0x82
	};
	static const char config[] = "title: Fuzz blog\nauthor: Fuzz\nlang: en\nurl: https://fuzz.example\n"
				     "baseurl: /blog\n";
	static const char other[] = "---\ntitle: Other post\ntags: [a, b]\n---\n\n## Part one {#one}\n\ntext\n\n"
				    "## Part two\n\nmore ![pic](/assets/pic.svg)\n";
	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\">"
				  "<rect width=\"4\" height=\"4\"/></svg>\n";
	const char *tmp = getenv("TMPDIR");
	char sub[600];
	snprintf(S_dir, sizeof S_dir, "%s/bbfuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(S_dir))
		S_die("mkdtemp failed", NULL, 0);
	snprintf(sub, sizeof sub, "%s/_posts", S_dir);
	mkdir(sub, 0755);
	snprintf(sub, sizeof sub, "%s/assets", S_dir);
	mkdir(sub, 0755);
	snprintf(S_book, sizeof S_book, "%s/book.epub", S_dir);
	S_write("_config.yml", config, sizeof config - 1);
	S_write("_posts/2024-01-01-other.md", other, sizeof other - 1);
	S_write("assets/ok.png", png, sizeof png);
	S_write("assets/pic.svg", svg, sizeof svg - 1);
	atexit(S_cleanup);
}

static int
S_bad_url(const char *v)
{
	char low[16];
	size_t n = 0;
	for (; *v && n < sizeof low - 1; v++)
		if ((unsigned char)*v > 0x20)
			low[n++] = (char)tolower((unsigned char)*v);
	low[n] = '\0';
	return strncmp(low, "javascript:", 11) == 0 || strncmp(low, "vbscript:", 9) == 0 ||
	       strncmp(low, "data:", 5) == 0 || strncmp(low, "file:", 5) == 0;
}

/* Parses doc as XML, strictly; with active set, also looks for what
 * could run: elements, event handlers, script URLs. */
static void
S_check_xml(const char *name, const char *doc, size_t len, int active)
{
	static const char *const banned[] = { "script", "iframe", "object", "embed", "form", "frame", "frameset",
					      "applet", "base", "input", "button", "textarea", "select", "foreignObject",
					      NULL };
	xmlParserCtxtPtr c = xmlNewParserCtxt();
	xmlDocPtr d;
	xmlNodePtr n;
	char what[200];
	if (!c)
		S_die("out of memory", NULL, 0);
	d = xmlCtxtReadMemory(c, doc, (int)len, name, "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!d || !c->wellFormed || !c->nsWellFormed) {
		xmlErrorPtr e = xmlCtxtGetLastError(c);
		snprintf(what, sizeof what, "%s is not well-formed XML: line %d: %s", name, e ? e->line : 0,
			 e && e->message ? e->message : "?");
		S_die(what, doc, len);
	}
	for (n = active ? xmlDocGetRootElement(d) : NULL; n;) {
		if (n->type == XML_ELEMENT_NODE) {
			xmlAttrPtr a;
			size_t i;
			for (i = 0; banned[i]; i++)
				if (strcasecmp((const char *)n->name, banned[i]) == 0) {
					snprintf(what, sizeof what, "%s holds <%s>", name, (const char *)n->name);
					S_die(what, doc, len);
				}
			for (a = n->properties; a; a = a->next) {
				const char *an = (const char *)a->name;
				xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
				int bad = (tolower((unsigned char)an[0]) == 'o' && tolower((unsigned char)an[1]) == 'n') ||
					  ((strcmp(an, "href") == 0 || strcmp(an, "src") == 0) && v && S_bad_url((const char *)v));
				xmlFree(v);
				if (bad) {
					snprintf(what, sizeof what, "%s: <%s %s=...>", name, (const char *)n->name, an);
					S_die(what, doc, len);
				}
			}
		}
		if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n && !n->next)
			n = n->parent && n->parent->type == XML_ELEMENT_NODE ? n->parent : NULL;
		if (n)
			n = n->next;
	}
	xmlFreeDoc(d);
	xmlFreeParserCtxt(c);
}

static void
S_diag(void *ctx, const bb_diag *d)
{
	(void)ctx;
	if (!d->message)
		S_die("a diagnostic without a message", NULL, 0);
	if (d->path && !d->path[0])
		S_die("a diagnostic names an empty path", NULL, 0);
	if (d->severity == BB_ERROR)
		S_die("an error from a blog that must bind", d->message, strlen(d->message));
}

/* Opens the book and checks every document in it. */
static void
S_check_book(void)
{
	int err = 0;
	zip_t *z = zip_open(S_book, ZIP_RDONLY, &err);
	zip_int64_t i, n;
	if (!z)
		S_die("the book cannot be opened", NULL, 0);
	n = zip_get_num_entries(z, 0);
	for (i = 0; i < n; i++) {
		const char *name = zip_get_name(z, (zip_uint64_t)i, 0);
		size_t l = name ? strlen(name) : 0;
		zip_stat_t st;
		zip_file_t *f;
		char *buf;
		int xhtml;
		if (!name || l < 4)
			continue;
		xhtml = l > 6 && strcmp(name + l - 6, ".xhtml") == 0;
		if (!xhtml && strcmp(name + l - 4, ".opf") != 0 && strcmp(name + l - 4, ".ncx") != 0 &&
		    strcmp(name + l - 4, ".xml") != 0 && strcmp(name + l - 4, ".svg") != 0)
			continue;
		if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0 || !(f = zip_fopen_index(z, (zip_uint64_t)i, 0)))
			S_die("an entry cannot be read", name, l);
		buf = bb_xmalloc(st.size + 1);
		if (zip_fread(f, buf, st.size) != (zip_int64_t)st.size)
			S_die("an entry is short", name, l);
		zip_fclose(f);
		S_check_xml(name, buf, st.size, xhtml || strcmp(name + l - 4, ".svg") == 0);
		free(buf);
	}
	zip_discard(z);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	unsigned flags;
	bb_options o;
	bb_blog *b;
	char path[1024];
	size_t i;

	if (!ready) {
		S_setup();
		ready = 1;
	}
	if (size < 1)
		return 0;
	flags = data[0];
	snprintf(path, sizeof path, "%s/_posts/2024-01-02-fuzz.%s", S_dir, flags & 1 ? "md" : "html");
	unlink(path);
	S_write(flags & 1 ? "_posts/2024-01-02-fuzz.html" : "_posts/2024-01-02-fuzz.md", data + 1, size - 1);

	bb_options_init(&o);
	o.source_dir = S_dir;
	o.jobs = 1;
	o.vertical = (flags & 2) ? 1 : 0;
	o.lang = (flags & 2) ? "ja" : NULL;
	o.stitch = (flags & 8) ? 0 : -1;
	o.diag = S_diag;
	if (!(b = bb_collect(&o)))
		S_die("bb_collect failed", NULL, 0);
	for (i = 0; i < b->nposts; i++) {
		bb_render_out out;
		bb_diaglist dl = { NULL, 0, 0 };
		int k;
		memset(&out, 0, sizeof out);
		if (bb_render_post(b, i, &out, 0, &dl) == 0) {
			for (k = 0; k < out.nparts; k++) {
				char name[40];
				bb_part_name(&b->posts[i], k, name);
				S_check_xml(name, out.parts[k].data ? out.parts[k].data : "", out.parts[k].len, 1);
			}
		}
		bb_render_out_free(&out);
		bb_diag_clear(&dl);
		/* the dry layout other posts ask for when they link here */
		memset(&out, 0, sizeof out);
		bb_render_post(b, i, &out, 1, &dl);
		bb_render_out_free(&out);
		bb_diag_clear(&dl);
	}
	if (flags & 4) {
		bb_report r;
		if (bb_blog_write(b, S_book, &r) != 0)
			S_die("the book was not written", NULL, 0);
		S_check_book();
		unlink(S_book);
	}
	bb_blog_free(b);
	return 0;
}
