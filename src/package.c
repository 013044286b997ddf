/* package.c: the package stage: OPF, nav.xhtml, toc.ncx (written with
 * xmlout.c's writer, so every name and value is escaped right). The
 * book's own pages (cover, title, groups) are page.c's. */
#include "package.h"
#include "outline.h"
#include "outkeep.h"
#include "page.h"
#include "xmlout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
bb_sink_buf(void *buf, const char *p, size_t n)
{
	bb_buf_put(buf, p, n);
	return 0;
}

static void
S_el(bb_xw *w, const char *name, const char *text)
{
	bb_xw_element(w, name, text);
}

static void
S_meta(bb_xw *w, const char *property, const char *text)
{
	bb_xw_start(w, "meta");
	bb_xw_attr(w, "property", property);
	bb_xw_text(w, text);
	bb_xw_end(w);
}

static void
S_item(bb_xw *w, const char *id, const char *href, const char *type, const char *props)
{
	bb_xw_start(w, "item");
	bb_xw_attr(w, "id", id);
	bb_xw_attr(w, "href", href);
	bb_xw_attr(w, "media-type", type);
	if (props && *props)
		bb_xw_attr(w, "properties", props);
	bb_xw_end(w);
}

static void
S_itemref(bb_xw *w, const char *idref, int linear)
{
	bb_xw_start(w, "itemref");
	bb_xw_attr(w, "idref", idref);
	if (!linear)
		bb_xw_attr(w, "linear", "no");
	bb_xw_end(w);
}

void
bb_package_container(bb_buf *out)
{
	bb_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
			 "  <rootfiles>\n"
			 "    <rootfile full-path=\"EPUB/content.opf\" media-type=\"application/oebps-package+xml\"/>\n"
			 "  </rootfiles>\n"
			 "</container>\n");
}

/* The accessibility metadata: claims only what the writer found (an
 * embedded image without alt text anywhere, and the book's images are not
 * described in text). */
static void
S_a11y(bb_xw *w, const bb_book_facts *f, int vertical)
{
	int missing_alt = (f->facts & BB_FACT_NO_ALT) != 0;

	S_meta(w, "schema:accessMode", "textual");
	if (f->nimages)
		S_meta(w, "schema:accessMode", "visual");
	S_meta(w, "schema:accessModeSufficient", f->nimages && missing_alt ? "textual,visual" : "textual");
	S_meta(w, "schema:accessibilityFeature", "tableOfContents");
	S_meta(w, "schema:accessibilityFeature", "readingOrder");
	S_meta(w, "schema:accessibilityFeature", "structuralNavigation");
	if (f->nimages && !missing_alt)
		S_meta(w, "schema:accessibilityFeature", "alternativeText");
	if (f->facts & BB_FACT_RUBY)
		S_meta(w, "schema:accessibilityFeature", "rubyAnnotations");
	if (vertical)
		S_meta(w, "schema:accessibilityFeature", "verticalWriting");
	S_meta(w, "schema:accessibilityHazard", "none");
	S_meta(w, "schema:accessibilitySummary",
	       f->nimages && missing_alt
		       ? "A blog bound as a book: text with headings in order and a table of contents; some images lack a text description."
		       : "A blog bound as a book: text with headings in order, a table of contents, and images described in text.");
}

/* <meta property="property" (id) (refines)>text</meta>; id, refines may be NULL. */
static void
S_meta_ref(bb_xw *w, const char *property, const char *id, const char *refines, const char *text)
{
	bb_xw_start(w, "meta");
	if (refines)
		bb_xw_attr(w, "refines", refines);
	bb_xw_attr(w, "property", property);
	if (id)
		bb_xw_attr(w, "id", id);
	bb_xw_text(w, text);
	bb_xw_end(w);
}

/* <meta name="name" content="content"/>: the OPF 2 form calibre reads. */
static void
S_meta_name(bb_xw *w, const char *name, const char *content)
{
	bb_xw_start(w, "meta");
	bb_xw_attr(w, "name", name);
	bb_xw_attr(w, "content", content);
	bb_xw_end(w);
}

/* A volume's series (volume.c), or a --series book's: EPUB 3's collection
 * and calibre's own, so reading systems shelve the volumes together. */
static void
S_series(bb_xw *w, const bb_blog *b)
{
	const char *name = b->series_name ? b->series_name : b->opt.series;
	char pos[32];
	if (!name)
		return;
	snprintf(pos, sizeof pos, "%ld", b->series_name && b->series_pos > 0 ? b->series_pos : 1L);
	S_meta_ref(w, "belongs-to-collection", "c01", NULL, name);
	S_meta_ref(w, "collection-type", NULL, "#c01", "series");
	S_meta_ref(w, "group-position", NULL, "#c01", pos);
	S_meta_name(w, "calibre:series", name);
	S_meta_name(w, "calibre:series_index", pos);
}

int
bb_package_opf(const bb_blog *b, const bb_book_facts *f, const bb_sink *out)
{
	bb_xw xw, *w = &xw;
	size_t i, g;
	int k;
	char name[BB_NAME_MAX], id[BB_NAME_MAX];
	int vertical = bb_lang_vertical(b, b->lang);
	const char *newest = NULL;

	bb_xw_init(w, out, 0);
	bb_xw_start(w, "package");
	bb_xw_attr(w, "xmlns", "http://www.idpf.org/2007/opf");
	bb_xw_attr(w, "version", "3.0");
	bb_xw_attr(w, "unique-identifier", "bookid");
	bb_xw_attr(w, "xml:lang", b->lang);
	if (vertical)
		bb_xw_attr(w, "prefix", "ebpaj: http://www.ebpaj.jp/");

	bb_xw_start(w, "metadata");
	bb_xw_attr(w, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
	bb_xw_start(w, "dc:identifier");
	bb_xw_attr(w, "id", "bookid");
	bb_xw_text(w, b->identifier);
	bb_xw_end(w);
	S_el(w, "dc:title", b->title);
	S_el(w, "dc:language", b->lang);
	if (b->author)
		S_el(w, "dc:creator", b->author);
	for (i = 0; i < b->nposts; i++)
		if (b->posts[i].nparts && b->posts[i].ymd[0] && (!newest || strcmp(b->posts[i].ymd, newest) > 0))
			newest = b->posts[i].ymd;
	if (newest)
		S_el(w, "dc:date", newest);
	if (b->description)
		S_el(w, "dc:description", b->description);
	if (b->url)
		S_el(w, "dc:source", b->url);
	S_meta(w, "dcterms:modified", b->modified);
	S_series(w, b);
	if (b->cover >= 0) {
		bb_xw_start(w, "meta");
		bb_xw_attr(w, "name", "cover");
		bb_xw_attr(w, "content", b->images[b->cover].id);
		bb_xw_end(w);
	}
	S_a11y(w, f, vertical);
	if (vertical) {
		bb_xw_start(w, "meta");
		bb_xw_attr(w, "name", "primary-writing-mode");
		bb_xw_attr(w, "content", "vertical-rl");
		bb_xw_end(w);
		S_meta(w, "ebpaj:guide-version", "1.1.3");
	}
	bb_xw_end(w); /* metadata */

	bb_xw_start(w, "manifest");
	S_item(w, "nav", "nav.xhtml", "application/xhtml+xml", "nav");
	S_item(w, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL);
	S_item(w, "css", "style.css", "text/css", NULL);
	S_item(w, "cover", "cover.xhtml", "application/xhtml+xml", NULL);
	S_item(w, "titlepage", "title.xhtml", "application/xhtml+xml", NULL);
	for (g = 0; g < b->ngroups; g++) {
		snprintf(name, sizeof name, "%s.xhtml", b->groups[g].id);
		S_item(w, b->groups[g].id, name, "application/xhtml+xml", NULL);
	}
	for (i = 0; i < b->nposts; i++)
		for (k = 0; k < b->posts[i].nparts; k++) {
			bb_part_name(&b->posts[i], k, name);
			snprintf(id, sizeof id, "%.*s", (int)(strlen(name) - 6), name);
			S_item(w, id, name, "application/xhtml+xml",
			       b->posts[i].spooled && (b->posts[i].spooled[k].props & BB_PROP_MATHML) ? "mathml" : NULL);
		}
	for (i = 0; i < b->nimages; i++)
		if (b->images[i].ok)
			S_item(w, b->images[i].id, b->images[i].name, b->images[i].media_type,
			       b->images[i].is_cover ? "cover-image" : NULL);
	bb_xw_end(w); /* manifest */

	bb_xw_start(w, "spine");
	bb_xw_attr(w, "toc", "ncx");
	if (vertical || strcmp(bb_lang_dir(b->lang), "rtl") == 0)
		bb_xw_attr(w, "page-progression-direction", "rtl");
	S_itemref(w, "cover", 1);
	S_itemref(w, "titlepage", 1);
	S_itemref(w, "nav", 1);
	for (i = 0, g = (size_t)-1; i < b->nposts; i++) {
		if (!b->posts[i].nparts)
			continue;
		if (b->ngroups && b->posts[i].group != g) {
			g = b->posts[i].group;
			S_itemref(w, b->groups[g].id, 1);
		}
		for (k = 0; k < b->posts[i].nparts; k++) {
			bb_part_name(&b->posts[i], k, name);
			snprintf(id, sizeof id, "%.*s", (int)(strlen(name) - 6), name);
			S_itemref(w, id, 1);
		}
	}
	bb_xw_end(w); /* spine */
	bb_xw_end(w); /* package */
	return bb_xw_done(w);
}

/* ---- navigation ---- */

#define S_HREF_BUF (BB_NAME_MAX + 256)

/* The link to heading h of post p, "FILE#ID", in buf (cap bytes) when it
 * fits, else in a block the caller frees (the nav and NCX make one a
 * heading: bb_xasprintf's formatting was a tenth of the NCX's work). */
static char *
S_href(const bb_post *p, const bb_heading *h, char *buf, size_t cap)
{
	char name[BB_NAME_MAX], *s;
	size_t nl, il;
	bb_part_name(p, h->part, name);
	nl = strlen(name);
	il = strlen(h->id);
	s = nl + il + 2 <= cap ? buf : bb_xmalloc(nl + il + 2);
	memcpy(s, name, nl);
	s[nl] = '#';
	memcpy(s + nl + 1, h->id, il + 1);
	return s;
}

/* Emits a post's headings as nested lists, levels 2.. up to max, inside
 * the post's open <li>. Each open heading <li> remembers whether it opened
 * the <ol> around it, so every list closes where it began. */
static void
S_nav_headings(bb_xw *w, const bb_blog *b, const bb_post *p, int max)
{
	int level[8], opened[8], n = 0;
	size_t i, nh;
	char buf[S_HREF_BUF];
	bb_heading *hs = bb_outkeep_get(b, p, &nh);
	for (i = 0; i < nh; i++) {
		const bb_heading *h = &hs[i];
		int L = h->level, sib = 0;
		char *href;
		if (L > max || !h->text)
			continue;
		while (n > 1 && level[n - 1] > L) {
			bb_xw_end(w); /* li */
			if (opened[n - 1])
				bb_xw_end(w); /* ol */
			n--;
		}
		if (n > 0 && level[n - 1] >= L) {
			bb_xw_end(w); /* li: a sibling follows */
			sib = 1;
			n--;
		} else
			bb_xw_start(w, "ol");
		bb_xw_start(w, "li");
		level[n] = L;
		opened[n] = sib ? opened[n] : 1;
		n++;
		bb_xw_start(w, "a");
		href = S_href(p, h, buf, sizeof buf);
		bb_xw_attr(w, "href", href);
		if (href != buf)
			free(href);
		bb_xw_text(w, h->text);
		bb_xw_end(w); /* a */
	}
	while (n > 0) {
		bb_xw_end(w); /* li */
		if (opened[n - 1])
			bb_xw_end(w); /* ol */
		n--;
	}
	free(hs);
}

static void
S_nav_post(bb_xw *w, const bb_blog *b, const bb_post *p, int max)
{
	char name[BB_NAME_MAX];
	char *title = bb_plain_title(p->title);
	bb_xw_start(w, "li");
	bb_xw_start(w, "a");
	bb_part_name(p, 0, name);
	bb_xw_attr(w, "href", name);
	bb_xw_text(w, title);
	bb_xw_end(w);
	free(title);
	if (max >= 2)
		S_nav_headings(w, b, p, max);
	bb_xw_end(w); /* li */
}

static const char *
S_first_page(const bb_blog *b, char name[BB_NAME_MAX])
{
	size_t i;
	if (b->ngroups) {
		snprintf(name, BB_NAME_MAX, "%s.xhtml", b->groups[0].id);
		return name;
	}
	for (i = 0; i < b->nposts; i++)
		if (b->posts[i].nparts) {
			bb_part_name(&b->posts[i], 0, name);
			return name;
		}
	return "title.xhtml";
}

static void
S_xhtml_head(bb_xw *w, const bb_blog *b, const char *title)
{
	bb_xw_start(w, "html");
	bb_xw_attr(w, "xmlns", "http://www.w3.org/1999/xhtml");
	bb_xw_attr(w, "xmlns:epub", "http://www.idpf.org/2007/ops");
	bb_xw_attr(w, "xml:lang", b->lang);
	bb_xw_attr(w, "lang", b->lang);
	if (strcmp(bb_lang_dir(b->lang), "rtl") == 0)
		bb_xw_attr(w, "dir", "rtl");
	bb_xw_attr(w, "class", bb_lang_vertical(b, b->lang) ? "vrtl" : "hltr");
	bb_xw_start(w, "head");
	bb_xw_start(w, "meta");
	bb_xw_attr(w, "charset", "UTF-8");
	bb_xw_end(w);
	S_el(w, "title", title);
	bb_xw_start(w, "link");
	bb_xw_attr(w, "rel", "stylesheet");
	bb_xw_attr(w, "type", "text/css");
	bb_xw_attr(w, "href", "style.css");
	bb_xw_end(w);
	bb_xw_end(w); /* head */
}

static const char *
S_contents_word(const bb_blog *b)
{
	return strncmp(b->lang, "ja", 2) == 0 ? "\xE7\x9B\xAE\xE6\xAC\xA1" : "Contents";
}

int
bb_package_nav(const bb_blog *b, const bb_sink *out)
{
	bb_xw xw, *w = &xw;
	size_t i, g;
	char name[BB_NAME_MAX];
	int max = b->toc_depth;

	bb_xw_init(w, out, 1);
	S_xhtml_head(w, b, S_contents_word(b));
	bb_xw_start(w, "body");
	bb_xw_start(w, "nav");
	bb_xw_attr(w, "epub:type", "toc");
	bb_xw_attr(w, "id", "toc");
	bb_xw_attr(w, "role", "doc-toc");
	bb_xw_attr(w, "aria-labelledby", "toc-title");
	bb_xw_start(w, "h1");
	bb_xw_attr(w, "id", "toc-title");
	bb_xw_text(w, S_contents_word(b));
	bb_xw_end(w);
	bb_xw_start(w, "ol");
	if (b->ngroups) {
		for (g = 0; g < b->ngroups; g++) {
			bb_xw_start(w, "li");
			bb_xw_start(w, "a");
			snprintf(name, sizeof name, "%s.xhtml", b->groups[g].id);
			bb_xw_attr(w, "href", name);
			bb_xw_text(w, b->groups[g].title);
			bb_xw_end(w);
			bb_xw_start(w, "ol");
			for (i = b->groups[g].first; i < b->groups[g].first + b->groups[g].count; i++)
				if (b->posts[i].nparts)
					S_nav_post(w, b, &b->posts[i], max);
			bb_xw_end(w); /* ol */
			bb_xw_end(w); /* li */
		}
	} else if (b->nposts) {
		for (i = 0; i < b->nposts; i++)
			if (b->posts[i].nparts)
				S_nav_post(w, b, &b->posts[i], max);
	}
	if (!b->nposts) {
		/* never an empty list */
		bb_xw_start(w, "li");
		bb_xw_start(w, "a");
		bb_xw_attr(w, "href", "title.xhtml");
		bb_xw_text(w, b->title);
		bb_xw_end(w);
		bb_xw_end(w);
	}
	bb_xw_end(w); /* ol */
	bb_xw_end(w); /* nav */

	bb_xw_start(w, "nav");
	bb_xw_attr(w, "epub:type", "landmarks");
	bb_xw_attr(w, "aria-labelledby", "landmarks-title");
	bb_xw_attr(w, "hidden", "hidden");
	bb_xw_start(w, "h2");
	bb_xw_attr(w, "id", "landmarks-title");
	bb_xw_text(w, "Landmarks");
	bb_xw_end(w);
	bb_xw_start(w, "ol");
	{
		static const char *const lm[][3] = { { "cover", "cover.xhtml", "Cover" },
						     { "titlepage", "title.xhtml", "Title page" },
						     { "toc", "nav.xhtml#toc", "Contents" },
						     { "bodymatter", NULL, "Start of content" } };
		size_t j;
		for (j = 0; j < sizeof lm / sizeof *lm; j++) {
			bb_xw_start(w, "li");
			bb_xw_start(w, "a");
			bb_xw_attr(w, "epub:type", lm[j][0]);
			bb_xw_attr(w, "href", lm[j][1] ? lm[j][1] : S_first_page(b, name));
			bb_xw_text(w, lm[j][2]);
			bb_xw_end(w);
			bb_xw_end(w);
		}
	}
	bb_xw_end(w); /* ol */
	bb_xw_end(w); /* nav */
	bb_xw_end(w); /* body */
	bb_xw_end(w); /* html */
	return bb_xw_done(w);
}

typedef struct ncx {
	bb_xw *w;
	const bb_blog *b;
	unsigned order;
	int depth, maxdepth;
} ncx;

static void
S_navpoint_start(ncx *n, const char *label, const char *src)
{
	/* "np" and the order's digits, written here: snprintf and the
	 * writer's format call were a tenth of a rebind's NCX */
	char id[16], *d = id + sizeof id - 1;
	unsigned v = ++n->order;
	*d = '\0';
	do
		*--d = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	bb_xw_start(n->w, "navPoint");
	*--d = 'p';
	*--d = 'n';
	bb_xw_attr(n->w, "id", d);
	bb_xw_attr(n->w, "playOrder", d + 2);
	bb_xw_start(n->w, "navLabel");
	S_el(n->w, "text", label);
	bb_xw_end(n->w);
	bb_xw_start(n->w, "content");
	bb_xw_attr(n->w, "src", src);
	bb_xw_end(n->w);
	if (++n->depth > n->maxdepth)
		n->maxdepth = n->depth;
}

static void
S_navpoint_end(ncx *n)
{
	bb_xw_end(n->w);
	n->depth--;
}

static void
S_ncx_post(ncx *n, const bb_post *p, int max)
{
	char name[BB_NAME_MAX], buf[S_HREF_BUF];
	char *title = bb_plain_title(p->title);
	int level[8], depth = 0;
	size_t i, nh = 0;
	bb_heading *hs = max >= 2 ? bb_outkeep_get(n->b, p, &nh) : NULL;
	bb_part_name(p, 0, name);
	S_navpoint_start(n, title, name);
	free(title);
	for (i = 0; i < nh; i++) {
		const bb_heading *h = &hs[i];
		char *src;
		if (h->level > max || !h->text)
			continue;
		while (depth > 0 && level[depth - 1] >= h->level) {
			S_navpoint_end(n);
			depth--;
		}
		src = S_href(p, h, buf, sizeof buf);
		S_navpoint_start(n, h->text, src);
		if (src != buf)
			free(src);
		level[depth++] = h->level;
	}
	while (depth-- > 0)
		S_navpoint_end(n);
	S_navpoint_end(n);
	free(hs);
}

/* The depth of the NCX's navMap: groups, posts, then nested headings. */
static int
S_ncx_depth(const bb_blog *b)
{
	int max = 1;
	size_t i, k;
	for (i = 0; i < b->nposts; i++) {
		const bb_post *p = &b->posts[i];
		int level[8], depth = 0;
		size_t nh;
		bb_heading *hs;
		if (!p->nparts || b->toc_depth < 2 || !(hs = bb_outkeep_get(b, p, &nh)))
			continue;
		for (k = 0; k < nh; k++) {
			const bb_heading *h = &hs[k];
			if (h->level > b->toc_depth || !h->text)
				continue;
			while (depth > 0 && level[depth - 1] >= h->level)
				depth--;
			level[depth++] = h->level;
			if (depth + 1 > max)
				max = depth + 1;
		}
		free(hs);
	}
	return max + (b->ngroups ? 1 : 0);
}

int
bb_package_ncx(const bb_blog *b, const bb_sink *out)
{
	bb_xw xw, *w = &xw;
	ncx n;
	size_t i, g;
	char name[BB_NAME_MAX];

	bb_xw_init(w, out, 0);
	memset(&n, 0, sizeof n);
	n.w = w;
	n.b = b;
	bb_xw_start(w, "ncx");
	bb_xw_attr(w, "xmlns", "http://www.daisy.org/z3986/2005/ncx/");
	bb_xw_attr(w, "version", "2005-1");
	bb_xw_attr(w, "xml:lang", b->lang);
	bb_xw_start(w, "head");
	{
		char depth[16];
		const char *meta[][2] = { { "dtb:uid", b->identifier }, { "dtb:depth", depth },
					  { "dtb:totalPageCount", "0" }, { "dtb:maxPageNumber", "0" } };
		size_t j;
		snprintf(depth, sizeof depth, "%d", S_ncx_depth(b));
		for (j = 0; j < 4; j++) {
			bb_xw_start(w, "meta");
			bb_xw_attr(w, "name", meta[j][0]);
			bb_xw_attr(w, "content", meta[j][1]);
			bb_xw_end(w);
		}
	}
	bb_xw_end(w); /* head */
	bb_xw_start(w, "docTitle");
	S_el(w, "text", b->title);
	bb_xw_end(w);
	bb_xw_start(w, "navMap");
	if (b->ngroups) {
		for (g = 0; g < b->ngroups; g++) {
			snprintf(name, sizeof name, "%s.xhtml", b->groups[g].id);
			S_navpoint_start(&n, b->groups[g].title, name);
			for (i = b->groups[g].first; i < b->groups[g].first + b->groups[g].count; i++)
				if (b->posts[i].nparts)
					S_ncx_post(&n, &b->posts[i], b->toc_depth);
			S_navpoint_end(&n);
		}
	} else
		for (i = 0; i < b->nposts; i++)
			if (b->posts[i].nparts)
				S_ncx_post(&n, &b->posts[i], b->toc_depth);
	if (!n.order) {
		S_navpoint_start(&n, b->title, "title.xhtml");
		S_navpoint_end(&n);
	}
	bb_xw_end(w); /* navMap */
	bb_xw_end(w); /* ncx */
	return bb_xw_done(w);
}
