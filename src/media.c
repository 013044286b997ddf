/* media.c: the writer's images and embedded media: an image embedded from
 * the blog's folder or (with --fetch-remote) downloaded, or what stands for
 * it; a frame, object or media element becomes a link to its source. */
#define _POSIX_C_SOURCE 200809L
#include "xhtml_impl.h"
#include "media.h"
#include "deps.h"
#include "fetch.h"
#include "markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void
bb_media_put_img(bb_xhtml *st, xmlNodePtr n, long idx, const char *alt, bb_buf *o)
{
	char iname[96] = "";
	bb_image_name(st->b, idx, iname, sizeof iname);
	st->facts |= BB_FACT_IMAGE;
	if (!alt[strspn(alt, " \t\r\n")])
		st->facts |= BB_FACT_NO_ALT;
	bb_buf_puts(o, "<img");
	bb_xhtml_put_attr(o, "src", iname);
	bb_xhtml_put_attr(o, "alt", alt);
	if (n)
		bb_xhtml_attrs(st, n, "img", o);
	bb_buf_puts(o, "/>");
}

/* Writes text as a span of class cls: what stands for an image. */
static void
S_span(bb_buf *o, const char *cls, const char *text)
{
	bb_buf_printf(o, "<span class=\"%s\">", cls);
	bb_xhtml_put_text(o, text, 0);
	bb_buf_puts(o, "</span>");
}

int
bb_media_fetch(bb_xhtml *st, const char *url, size_t max, char **cached, const char **why)
{
	char *dir = st->b->opt.cache_dir ? NULL : bb_xasprintf("%s/.blogbind-cache", st->b->root);
	long t = st->b->opt.fetch_timeout > 0 ? st->b->opt.fetch_timeout : 30;
	int r = bb_fetch(url, dir ? dir : st->b->opt.cache_dir, t, max, cached, why);
	free(dir);
	return r;
}

/* A remote image (src an http(s) or "//" URL): downloaded and embedded
 * with --fetch-remote, else (or when that fails) a link to it, since EPUB
 * keeps images inside the book. */
static void
S_img_remote(bb_xhtml *st, xmlNodePtr n, const char *src, const char *alt, bb_buf *o)
{
	const char *shown = *alt ? alt : src, *why = NULL;
	long idx = -1;
	st->facts |= BB_FACT_REMOTE;
	if (st->b->opt.fetch_remote == 1) {
		/* downloaded into the cache and embedded like a local file */
		char *url = strncmp(src, "//", 2) == 0 ? bb_xasprintf("https:%s", src) : bb_xstrdup(src);
		char *cached = NULL;
		if (bb_media_fetch(st, url, BB_MAX_IMAGE_BYTES, &cached, &why) == 0)
			idx = bb_image_add_abs(st->b, cached, url, &why);
		free(cached);
		free(url);
		if (idx < 0) /* tried again next time */
			bb_deps_image(BB_DEPS_FAILED, src, NULL, NULL, 0, "");
		if (idx >= 0) {
			bb_media_put_img(st, n, idx, alt, o);
			return;
		}
		{
			char *msg = bb_xasprintf("remote image %s %s; it becomes a link", src, why ? why : "cannot be fetched");
			bb_xhtml_warn_at(st, W_MEDIA, src, "%s", msg);
			free(msg);
		}
	} else
		bb_diag_add(st->dl, BB_NOTE, st->p->path, 0, 0, "remote image %s becomes a link", src);
	if (st->w.in_a) {
		S_span(o, "remote-image", shown);
		return;
	}
	bb_buf_puts(o, "<a class=\"remote-image\" href=\"");
	if (strncmp(src, "//", 2) == 0)
		bb_buf_puts(o, "https:");
	{
		bb_buf u = BB_BUF_INIT;
		bb_url_put(&u, src);
		bb_xhtml_put_text(o, u.data, 1);
		bb_buf_free(&u);
	}
	bb_buf_puts(o, "\">");
	bb_xhtml_put_text(o, shown, 0);
	bb_buf_puts(o, "</a>");
}

void
bb_media_img(bb_xhtml *st, xmlNodePtr n, bb_buf *o)
{
	const char *src = bb_tree_attr(n, "src"), *alt = bb_tree_attr(n, "alt"), *why = NULL;
	char *rel = NULL;
	long idx = -1;
	int kind;
	if (!src || !*src)
		src = bb_tree_attr(n, "data-src");
	if (!alt) {
		bb_xhtml_warn_at(st, W_ALT, src, "an image has no alt text (%s); it gets an empty one", src ? src : "no src");
		alt = "";
	}
	if (!src || !*src) {
		if (*alt)
			S_span(o, "missing-image", alt);
		return;
	}
	kind = bb_link_src_kind(st->b, src);
	if (kind == BB_SRC_REMOTE) {
		S_img_remote(st, n, src, alt, o);
		return;
	}
	if (kind == BB_SRC_SCHEME) {
		bb_xhtml_warn_at(st, W_OUTSIDE, NULL, strncasecmp(src, "file:", 5) == 0
			   ? "image '%s' is a file: URL; refused, its alt text is kept"
			   : "image '%s' has a scheme a book cannot show; its alt text is kept", src);
		S_span(o, "missing-image", *alt ? alt : src);
		return;
	}
	if (kind == BB_SRC_LOCAL && (idx = bb_image_add_media(st->b, src, &why)) == -2 &&
	    (rel = bb_resolve_local(st->b, st->p, src, &why)))
		idx = bb_image_add(st->b, rel, &why);
	else if (kind == BB_SRC_LOCAL)
		bb_deps_image(BB_DEPS_MISSING, src, NULL, NULL, 0, ""); /* it may appear later */
	free(rel);
	if (idx < 0 && kind == BB_SRC_LOCAL && (strstr(src, "://") || strncmp(src, "//", 2) == 0) &&
	    !bb_url_bad_scheme(src) && strncasecmp(src, "file:", 5) != 0) {
		/* the blog's own address, not in its folder (an export's
		 * uploads without a media folder): the image on the web */
		char *msg = bb_xasprintf("image '%s' %s in the blog's folder; it stays on the web", src,
					 why ? why : "is not");
		bb_xhtml_warn_at(st, W_IMGMISS, src, "%s", msg);
		free(msg);
		S_img_remote(st, n, src, alt, o);
		return;
	}
	if (idx < 0) {
		char *msg = bb_xasprintf("image '%s' %s; its alt text is kept", src, why ? why : "cannot be embedded");
		bb_xhtml_warn_at(st, W_IMGMISS, src, "%s", msg);
		free(msg);
		S_span(o, "missing-image", *alt ? alt : src);
		return;
	}
	bb_media_put_img(st, n, idx, alt, o);
}

/* An embedded frame, object or media becomes a link to its source. */
void
bb_media_embed(bb_xhtml *st, xmlNodePtr n, const char *what, bb_buf *o, int kind)
{
	const walker *w = &st->w;
	const char *src = bb_tree_attr(n, "src");
	xmlNodePtr c;
	if (!src)
		src = bb_tree_attr(n, "data");
	for (c = n->children; !src && c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "source") == 0)
			src = bb_tree_attr(c, "src");
	{
		char tag[32];
		snprintf(tag, sizeof tag, "<%s", (const char *)n->name);
		bb_xhtml_warn_at(st, kind, tag, "embedded content (<%s>) was replaced by a link to its source", (const char *)n->name);
	}
	if (src && strncmp(src, "//", 2) == 0) {
		char *abs = bb_xasprintf("https:%s", src);
		bb_buf_puts(o, w->in_a ? "<span class=\"embed\">" : "<a class=\"embed\" href=\"");
		if (!w->in_a) {
			bb_xhtml_put_text(o, abs, 1);
			bb_buf_puts(o, "\">");
		}
		bb_buf_printf(o, "%s: ", what);
		bb_xhtml_put_text(o, abs, 0);
		bb_buf_puts(o, w->in_a ? "</span>" : "</a>");
		free(abs);
	} else if (src && (strncmp(src, "http://", 7) == 0 || strncmp(src, "https://", 8) == 0)) {
		bb_buf u = BB_BUF_INIT;
		bb_url_put(&u, src);
		bb_buf_puts(o, w->in_a ? "<span class=\"embed\">" : "<a class=\"embed\" href=\"");
		if (!w->in_a) {
			bb_xhtml_put_text(o, u.data, 1);
			bb_buf_puts(o, "\">");
		}
		bb_buf_printf(o, "%s: ", what);
		bb_xhtml_put_text(o, src, 0);
		bb_buf_puts(o, w->in_a ? "</span>" : "</a>");
		bb_buf_free(&u);
	}
}

