/* page.c: the book's XHTML pages from their templates (chapter, cover,
 * title, group). */
#include "page.h"
#include "links.h"
#include "xhtml.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
bb_plain_title(const char *s)
{
	bb_buf b = BB_BUF_INIT;
	const char *p;
	for (p = s; *p; p++) {
		if (*p == '<') {
			const char *e = strchr(p, '>');
			if (e && (isalpha((unsigned char)p[1]) || p[1] == '/')) {
				p = e;
				continue;
			}
		}
		if ((*p == '*' || *p == '`') || (*p == '_' && (p == s || p[1] == '\0' || p[1] == '_' || p[-1] == '_')))
			continue;
		bb_buf_putc(&b, *p);
	}
	if (!b.data)
		return bb_xstrdup(s);
	/* collapse white space */
	{
		char *r = b.data, *w = b.data, *q;
		int sp = 1;
		for (q = r; *q; q++) {
			if (isspace((unsigned char)*q)) {
				if (!sp)
					*w++ = ' ';
				sp = 1;
			} else
				*w++ = *q, sp = 0;
		}
		while (w > r && w[-1] == ' ')
			w--;
		*w = '\0';
		if (!*r) {
			free(r);
			return bb_xstrdup(s);
		}
	}
	return bb_buf_detach(&b, NULL);
}

void
bb_page_chapter(const bb_blog *b, const bb_post *p, int part, const char *body, bb_buf *out)
{
	const char *lang = p->lang ? p->lang : b->lang;
	size_t tlen;
	const char *tpl = bb_template_get(b->tpl, "chapter.xhtml", &tlen);
	char *title = bb_plain_title(p->title);
	bb_tvar v[16];
	size_t n = 0;
#define VAR(nm, val) (v[n].name = (nm), v[n].value = (val), v[n].list = NULL, v[n].n = 0, n++)
	VAR("lang", lang);
	VAR("dir", bb_lang_dir(lang));
	VAR("html_class", bb_lang_vertical(b, lang) ? "vrtl" : "hltr");
	VAR("title", title);
	VAR("id", p->id);
	VAR("first", part == 0 ? "1" : "");
	VAR("date", p->ymd);
	VAR("author", p->author ? p->author : (b->author ? b->author : ""));
	VAR("has_categories", p->ncategories ? "1" : "");
	VAR("has_tags", p->ntags ? "1" : "");
	VAR("body", body);
	VAR("book_title", b->title);
#undef VAR
	v[n].name = "categories", v[n].value = NULL, v[n].list = (const char *const *)p->categories, v[n].n = p->ncategories, n++;
	v[n].name = "tags", v[n].value = NULL, v[n].list = (const char *const *)p->tags, v[n].n = p->ntags, n++;
	bb_template_expand(tpl, tlen, v, n, out);
	free(title);
}

void
bb_page_source_line(const bb_blog *b, const bb_post *p, const char *bound, bb_buf *out)
{
	char *url = bb_post_web_url(b, p);
	bb_buf_puts(out, "<footer class=\"post-source\"><p>");
	if (url) {
		bb_buf u = BB_BUF_INIT;
		bb_url_put(&u, url);
		bb_buf_puts(out, "Source: <a class=\"url\" href=\"");
		bb_xhtml_put_text(out, u.data, 1);
		bb_buf_puts(out, "\">");
		bb_xhtml_put_text(out, url, 0);
		bb_buf_puts(out, "</a>");
		bb_buf_free(&u);
	} else {
		bb_buf_puts(out, "Source: <span class=\"url\">");
		bb_xhtml_put_text(out, p->path, 0);
		bb_buf_puts(out, "</span>");
	}
	bb_buf_printf(out, "<br/>Bound on <time datetime=\"%s\">%s</time></p></footer>\n", bound, bound);
	free(url);
}

void
bb_page_range(const bb_blog *b, char out[64])
{
	const char *first = NULL, *last = NULL;
	size_t i;
	out[0] = '\0';
	for (i = 0; i < b->nposts; i++) {
		const char *d = b->posts[i].ymd;
		if (!d[0] || !b->posts[i].nparts)
			continue;
		if (!first || strcmp(d, first) < 0)
			first = d;
		if (!last || strcmp(d, last) > 0)
			last = d;
	}
	if (first && strcmp(first, last) == 0)
		snprintf(out, 64, "%s", first);
	else if (first)
		snprintf(out, 64, "%s \xE2\x80\x93 %s", first, last);
}

/* ---- the book's own pages ---- */

static void
S_page(const bb_blog *b, const char *tname, const bb_tvar *extra, size_t nextra, bb_buf *out)
{
	size_t tlen, n = 0, i;
	const char *tpl = bb_template_get(b->tpl, tname, &tlen);
	bb_tvar v[24];
	char range[64], posts[32];
	size_t count = 0;
	for (i = 0; i < b->nposts; i++)
		count += b->posts[i].nparts > 0;
	bb_page_range(b, range);
	snprintf(posts, sizeof posts, "%zu", count);
#define VAR(nm, val) (v[n].name = (nm), v[n].value = (val), v[n].list = NULL, v[n].n = 0, n++)
	VAR("lang", b->lang);
	VAR("dir", bb_lang_dir(b->lang));
	VAR("rtl", strcmp(bb_lang_dir(b->lang), "rtl") == 0 ? "1" : "");
	VAR("html_class", bb_lang_vertical(b, b->lang) ? "vrtl" : "hltr");
	VAR("title", b->title);
	VAR("author", b->author ? b->author : "");
	VAR("description", b->description ? b->description : "");
	VAR("url", b->url ? b->url : "");
	VAR("range", range);
	VAR("posts", posts);
#undef VAR
	for (i = 0; i < nextra && n < 24; i++)
		v[n++] = extra[i];
	if (tpl)
		bb_template_expand(tpl, tlen, v, n, out);
}

void
bb_page_cover(const bb_blog *b, bb_buf *out)
{
	bb_tvar v[1];
	v[0].name = "image";
	v[0].value = b->cover >= 0 ? b->images[b->cover].name : "";
	v[0].list = NULL;
	v[0].n = 0;
	S_page(b, "cover.xhtml", v, 1, out);
}

void
bb_page_title(const bb_blog *b, bb_buf *out)
{
	S_page(b, "title.xhtml", NULL, 0, out);
}

void
bb_page_group(const bb_blog *b, size_t g, bb_buf *out)
{
	bb_tvar v[3];
	char count[32];
	snprintf(count, sizeof count, "%zu %s", b->groups[g].count, b->groups[g].count == 1 ? "post" : "posts");
	v[0].name = "title", v[0].value = b->groups[g].title, v[0].list = NULL, v[0].n = 0;
	v[1].name = "id", v[1].value = b->groups[g].id, v[1].list = NULL, v[1].n = 0;
	v[2].name = "count", v[2].value = count, v[2].list = NULL, v[2].n = 0;
	S_page(b, "group.xhtml", v, 3, out);
}
