/* embed.c: embedded videos, gists and social posts made static: a YouTube or
 * Vimeo frame becomes a figure with the video's title, a link and (YouTube,
 * --fetch-remote) its thumbnail; a gist's script becomes the gist's code,
 * highlighted (--fetch-remote), or a link; the widget script after a tweet's
 * or an Instagram post's quotation is left out with a note, the quotation
 * (text, author, date, link) staying as it was written. Nothing fetched runs:
 * images go through the image checks, code is text. */
#define _POSIX_C_SOURCE 200809L
#include "xhtml_impl.h"
#include "embed.h"
#include "media.h"
#include "codeblock.h"
#include "fetch.h"
#include "markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The most bytes of a gist's code fetched. */
#define S_GIST_MAX ((size_t)1 << 20)

enum { S_NONE, S_YOUTUBE, S_VIMEO, S_GIST };

/* What a URL embeds: the provider, the video or gist id (and the gist's
 * user and file), each a short run of safe characters. */
typedef struct S_ref {
	int kind;
	char id[64], user[64], file[128];
} S_ref;

/* Copies into dst (cap bytes) the longest prefix of s made of letters,
 * digits and the characters of extra; returns its length (0 when it would
 * not fit). */
static size_t
S_word(const char *s, const char *extra, char *dst, size_t cap)
{
	size_t n = 0;
	while (s[n] && ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9')
			|| (extra && strchr(extra, s[n]))))
		n++;
	if (n == 0 || n >= cap)
		return 0;
	memcpy(dst, s, n);
	dst[n] = 0;
	return n;
}

/* The path of url after its host when the host is one of hosts (a "www."
 * or "m." before it allowed), else NULL. */
static const char *
S_on_host(const char *url, const char *const *hosts)
{
	const char *h;
	size_t i, n;
	if (strncasecmp(url, "https://", 8) == 0)
		h = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		h = url + 7;
	else if (strncmp(url, "//", 2) == 0)
		h = url + 2;
	else
		return NULL;
	if (strncasecmp(h, "www.", 4) == 0)
		h += 4;
	else if (strncasecmp(h, "m.", 2) == 0)
		h += 2;
	for (i = 0; hosts[i]; i++) {
		n = strlen(hosts[i]);
		if (strncasecmp(h, hosts[i], n) == 0 && (h[n] == '/' || h[n] == 0))
			return h + n;
	}
	return NULL;
}

/* Reads what url embeds into *r; returns r->kind (S_NONE: nothing known). */
static int
S_parse(const char *url, S_ref *r)
{
	static const char *const yt[] = { "youtube.com", "youtube-nocookie.com", NULL };
	static const char *const ytb[] = { "youtu.be", NULL };
	static const char *const vim[] = { "player.vimeo.com", "vimeo.com", NULL };
	static const char *const gist[] = { "gist.github.com", NULL };
	const char *p, *q;
	memset(r, 0, sizeof *r);
	if (!url)
		return S_NONE;
	if ((p = S_on_host(url, yt))) {
		if (strncmp(p, "/embed/", 7) == 0 && S_word(p + 7, "_-", r->id, 24))
			r->kind = S_YOUTUBE;
		else if (strncmp(p, "/watch?", 7) == 0 && (q = strstr(p, "v=")) && (q[-1] == '?' || q[-1] == '&')
			 && S_word(q + 2, "_-", r->id, 24))
			r->kind = S_YOUTUBE;
	} else if ((p = S_on_host(url, ytb))) {
		if (p[0] == '/' && S_word(p + 1, "_-", r->id, 24))
			r->kind = S_YOUTUBE;
	} else if ((p = S_on_host(url, vim))) {
		if (strncmp(p, "/video/", 7) == 0)
			p += 6;
		if (p[0] == '/' && S_word(p + 1, NULL, r->id, 24) && strspn(r->id, "0123456789") == strlen(r->id))
			r->kind = S_VIMEO;
	} else if ((p = S_on_host(url, gist)) && p[0] == '/') {
		size_t n = S_word(p + 1, "-", r->user, sizeof r->user);
		if (n && p[1 + n] == '/') {
			p += 1 + n;
		} else {
			r->user[0] = 0;   /* gist.github.com/ID.js: no user */
		}
		n = S_word(p + 1, NULL, r->id, sizeof r->id);
		if (n && (strncmp(p + 1 + n, ".js", 3) == 0)) {
			r->kind = S_GIST;
			if ((q = strstr(p + 1 + n, "file=")) && (q[-1] == '?' || q[-1] == '&'))
				S_word(q + 5, "._-", r->file, sizeof r->file);
		}
	}
	return r->kind;
}

/* Downloads url, or with BB_EMBED_ORIGIN set (a test's loopback server,
 * e.g. http://127.0.0.1:8000) the same path under that origin, the host a
 * first path segment. Returns 0 with *cached, or -1 with *why. */
static int
S_fetch(bb_xhtml *st, const char *url, size_t max, char **cached, const char **why)
{
	const char *origin = getenv("BB_EMBED_ORIGIN");
	char *u = origin && *origin ? bb_xasprintf("%s/%s", origin, strstr(url, "://") + 3) : bb_xstrdup(url);
	int r = bb_media_fetch(st, u, max, cached, why);
	free(u);
	return r;
}

/* The frame's own title, or NULL when it has none worth showing (the
 * players' defaults say nothing about the video). */
static const char *
S_title(xmlNodePtr n)
{
	const char *t = bb_tree_attr(n, "title");
	if (!t || !t[strspn(t, " \t\r\n")] || strcasecmp(t, "YouTube video player") == 0
	    || strcasecmp(t, "vimeo-player") == 0 || strcasecmp(t, "YouTube video") == 0)
		return NULL;
	return t;
}

/* Writes <a class="embed" href="href">text</a>, or the text in a span
 * inside another link. */
static void
S_link(bb_xhtml *st, const char *href, const char *text, bb_buf *o)
{
	if (st->w.in_a) {
		bb_buf_puts(o, "<span class=\"embed\">");
	} else {
		bb_buf_puts(o, "<a class=\"embed\"");
		bb_xhtml_put_attr(o, "href", href);
		bb_buf_putc(o, '>');
	}
	bb_xhtml_put_text(o, text, 0);
	bb_buf_puts(o, st->w.in_a ? "</span>" : "</a>");
}

/* The thumbnail of YouTube video id as an image of the book, or -1. */
static long
S_thumbnail(bb_xhtml *st, const char *id)
{
	char *url = bb_xasprintf("https://i.ytimg.com/vi/%s/hqdefault.jpg", id), *cached = NULL;
	const char *why = NULL;
	long idx = -1;
	if (S_fetch(st, url, BB_MAX_IMAGE_BYTES, &cached, &why) == 0)
		idx = bb_image_add_abs(st->b, cached, url, &why);
	if (idx < 0) {
		char *msg = bb_xasprintf("the thumbnail of YouTube video %s %s; the video stays a link", id,
					 why ? why : "cannot be fetched");
		bb_xhtml_warn_at(st, W_MEDIA, id, "%s", msg);
		free(msg);
	}
	free(cached);
	free(url);
	return idx;
}

int
bb_embed_frame(bb_xhtml *st, xmlNodePtr n, bb_buf *o)
{
	S_ref r;
	const char *title, *site;
	char *href, *label, *alt;
	long idx = -1;
	if (S_parse(bb_tree_attr(n, "src"), &r) != S_YOUTUBE && r.kind != S_VIMEO)
		return 0;
	site = r.kind == S_YOUTUBE ? "YouTube" : "Vimeo";
	href = r.kind == S_YOUTUBE ? bb_xasprintf("https://www.youtube.com/watch?v=%s", r.id)
				   : bb_xasprintf("https://vimeo.com/%s", r.id);
	title = S_title(n);
	label = title ? bb_xstrdup(title) : bb_xasprintf("%s video %s", site, r.id);
	alt = title ? bb_xasprintf("%s video: %s", site, title) : bb_xstrdup(label);
	st->facts |= BB_FACT_REMOTE;
	bb_diag_add(st->dl, BB_NOTE, st->p->path, 0, 0, "%s video %s made a static %s", site, r.id,
		    st->w.phrasing || st->w.in_a ? "link" : "figure");
	if (r.kind == S_YOUTUBE && st->b->opt.fetch_remote == 1)
		idx = S_thumbnail(st, r.id);
	if (st->w.phrasing || st->w.in_a) {
		if (idx >= 0)
			bb_media_put_img(st, NULL, idx, alt, o);
		S_link(st, href, alt, o);
	} else {
		bb_buf_puts(o, "<figure class=\"embed video\">");
		if (idx >= 0)
			bb_media_put_img(st, NULL, idx, alt, o);
		bb_buf_puts(o, "<figcaption>");
		S_link(st, href, label, o);
		bb_buf_printf(o, " (%s)</figcaption></figure>", site);
	}
	free(alt);
	free(label);
	free(href);
	return 1;
}

/* The gist's code from the file at path as a highlighted block (its
 * language from file's extension) into o; returns 0, or -1 with *why when
 * it is not UTF-8 text. */
static int
S_gist_code(bb_xhtml *st, const char *path, const char *file, bb_buf *o, const char **why)
{
	char *text = NULL;
	size_t len = 0, i = 0;
	const char *ext = file[0] ? strrchr(file, '.') : NULL;
	xmlNodePtr pre, code;
	if (bb_read_file(path, S_GIST_MAX, &text, &len) != 0) {
		free(text);
		*why = "cannot be read";
		return -1;
	}
	while (i < len) {
		unsigned cp;
		int k = bb_utf8_decode((const unsigned char *)text + i, len - i, &cp);
		if (k <= 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')) {
			free(text);
			*why = "is not UTF-8 text";
			return -1;
		}
		i += (size_t)k;
	}
	pre = xmlNewNode(NULL, BAD_CAST "pre");
	code = xmlNewTextChild(pre, NULL, BAD_CAST "code", NULL);
	xmlAddChild(code, xmlNewTextLen(BAD_CAST text, (int)len));
	if (ext && ext[1]) {
		char *cls = bb_xasprintf("language-%s", ext + 1);
		xmlNewProp(code, BAD_CAST "class", BAD_CAST cls);
		free(cls);
	}
	if (!st->highlight || !bb_codeblock_put(pre, o)) {
		bb_buf_puts(o, "<pre><code>");
		bb_xhtml_put_text(o, text, 0);
		bb_buf_puts(o, "</code></pre>");
	}
	xmlFreeNode(pre);
	free(text);
	return 0;
}

/* A gist's script: its code with --fetch-remote, and a link to it. */
static void
S_gist(bb_xhtml *st, const S_ref *r, bb_buf *o)
{
	char *href = r->user[0] ? bb_xasprintf("https://gist.github.com/%s/%s", r->user, r->id)
				: bb_xasprintf("https://gist.github.com/%s", r->id);
	char *label = bb_xasprintf("Gist %s%s%s%s%s", r->user, r->user[0] ? "/" : "", r->id, r->file[0] ? ": " : "",
				   r->file);
	bb_buf code = BB_BUF_INIT;
	int block = !st->w.phrasing && !st->w.in_a;
	if (block && st->b->opt.fetch_remote == 1 && r->user[0]) {
		char *url = bb_xasprintf("https://gist.githubusercontent.com/%s/%s/raw%s%s", r->user, r->id,
					 r->file[0] ? "/" : "", r->file);
		char *cached = NULL;
		const char *why = NULL;
		if (S_fetch(st, url, S_GIST_MAX, &cached, &why) != 0 || S_gist_code(st, cached, r->file, &code, &why) != 0) {
			char *msg = bb_xasprintf("the code of %s %s; it stays a link", label, why ? why : "cannot be fetched");
			bb_xhtml_warn_at(st, W_MEDIA, r->id, "%s", msg);
			free(msg);
			bb_buf_free(&code);
		}
		free(cached);
		free(url);
	} else {
		bb_diag_add(st->dl, BB_NOTE, st->p->path, 0, 0, "%s becomes a link%s", label,
			    block && r->user[0] ? " (its code with --fetch-remote)" : "");
	}
	if (code.len) {
		bb_buf_puts(o, "<figure class=\"embed gist\">");
		bb_buf_put(o, code.data, code.len);
		bb_buf_puts(o, "<figcaption>");
		S_link(st, href, label, o);
		bb_buf_puts(o, "</figcaption></figure>");
	} else if (block) {
		bb_buf_puts(o, "<p class=\"embed gist\">");
		S_link(st, href, label, o);
		bb_buf_puts(o, "</p>");
	} else {
		S_link(st, href, label, o);
	}
	bb_buf_free(&code);
	free(label);
	free(href);
}

int
bb_embed_script(bb_xhtml *st, xmlNodePtr n, bb_buf *o)
{
	static const char *const widgets[] = { "platform.twitter.com", "platform.x.com", "instagram.com", NULL };
	const char *src = bb_tree_attr(n, "src");
	S_ref r;
	if (!src)
		return 0;
	if (S_parse(src, &r) == S_GIST) {
		S_gist(st, &r, o);
		return 1;
	}
	if (S_on_host(src, widgets)) {
		bb_diag_add(st->dl, BB_NOTE, st->p->path, 0, 0,
			    "the widget script %s was left out; the quotation it decorates is kept", src);
		return 1;
	}
	return 0;
}
