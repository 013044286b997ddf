/* links.c: where each link and image of a post points, from the outlines
 * and the blog's URL index. Decides, never writes. */
#define _POSIX_C_SOURCE 200809L
#include "links.h"
#include "deps.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int
bb_url_has_scheme(const char *u)
{
	const char *c = u;
	while (isalnum((unsigned char)*c) || *c == '+' || *c == '-' || *c == '.')
		c++;
	return c > u && *c == ':';
}

/* javascript:, vbscript: and data: URLs, also when hidden by blanks or
 * control characters ("java\tscript:"), which browsers ignore. */
int
bb_url_bad_scheme(const char *u)
{
	char low[16];
	size_t n = 0;
	for (; *u && n < sizeof low - 1; u++) {
		unsigned char c = (unsigned char)*u;
		if (c <= 0x20)
			continue;
		low[n++] = (char)tolower(c);
		if (c == ':')
			break;
	}
	low[n] = '\0';
	return strncmp(low, "javascript:", 11) == 0 || strncmp(low, "vbscript:", 9) == 0 ||
	       strncmp(low, "data:", 5) == 0 || strncmp(low, "livescript:", 11) == 0;
}

/* 1 when u's scheme is registered (IANA) and in use on the web: a link
 * with another one (rdar:, x-apple-...) is a warning in EPUBCheck and
 * opens nothing in a reading system. */
static int
S_known_scheme(const char *u)
{
	static const char *const known[] = { "http", "https", "mailto", "ftp", "tel", "sms", "news", "nntp", "irc",
					     "ircs", "urn", "geo", "magnet", "xmpp", "sip", "sips", "ssh", "git",
					     "ws", "wss", "gopher", "telnet", NULL };
	size_t n = strcspn(u, ":"), i;
	for (i = 0; known[i]; i++)
		if (strlen(known[i]) == n && strncasecmp(u, known[i], n) == 0)
			return 1;
	return 0;
}

/* Percent-encodes what may not stand in a URL (blanks, non-ASCII, quotes). */
void
bb_url_put(bb_buf *o, const char *u)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *u; u++) {
		unsigned char c = (unsigned char)*u;
		if (c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' ||
		    c == '`' || c == '{' || c == '|' || c == '}') {
			bb_buf_putc(o, '%');
			bb_buf_putc(o, hex[c >> 4]);
			bb_buf_putc(o, hex[c & 15]);
		} else
			bb_buf_putc(o, (char)c);
	}
}

char *
bb_path_fold(const char *path)
{
	char *parts[256], *tok, *save = NULL, *copy = bb_xstrdup(path);
	size_t n = 0, i;
	bb_buf o = BB_BUF_INIT;
	for (tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			if (n)
				n--;
			continue;
		}
		if (n < 256)
			parts[n++] = tok;
	}
	for (i = 0; i < n; i++)
		bb_buf_printf(&o, "/%s", parts[i]);
	free(copy);
	return o.data ? bb_buf_detach(&o, NULL) : bb_xstrdup("/");
}

/* href for a fragment in this post: "#id" in the same file, or the file. */
static char *
S_local_href(const bb_links *st, const char *frag)
{
	size_t top;
	char name[BB_NAME_MAX];
	int part;
	if (!st->ol) /* checking a cached post's links (render.c) */
		return bb_xstrdup(BB_LINK_SELF);
	if (!bb_map_get(&st->ol->ids, frag, &top))
		return NULL;
	part = bb_outline_part_of(st->ol, top);
	if (part == st->curpart)
		return bb_xasprintf("#%s", frag);
	bb_part_name(st->p, part, name);
	return bb_xasprintf("%s#%s", name, frag);
}

/* "file#id" of the heading of q that fragment frag names (its id, or the
 * id kramdown would have given it), or NULL. With toc > 0 only the
 * headings the table of contents shows (levels up to toc) are looked at. */
static char *
S_find_heading(const bb_post *q, const bb_heading *hs, size_t nh, const char *frag, int toc)
{
	char name[BB_NAME_MAX];
	size_t i;
	for (i = 0; i < nh; i++) {
		char *alt;
		int hit;
		if (toc && (hs[i].level > toc || !hs[i].text))
			continue;
		hit = strcmp(hs[i].id, frag) == 0 ||
			  (strncmp(hs[i].id, "h-", 2) == 0 && strcmp(hs[i].id + 2, frag) == 0);
		if (!hit && hs[i].text) {
			alt = bb_outline_slug(hs[i].text);
			hit = strcmp(alt, frag) == 0;
			free(alt);
		}
		if (hit) {
			bb_part_name(q, hs[i].part, name);
			return bb_xasprintf("%s#%s", name, hs[i].id);
		}
	}
	return NULL;
}

/* Where the heading fragment frag of post t lives: first among the headings
 * the table of contents shows, then among all of them; else t's first file. */
static char *
S_post_href(const bb_links *st, size_t t, const char *frag)
{
	const bb_post *q = &st->b->posts[t];
	char name[BB_NAME_MAX];
	char *r = NULL;

	/* a fragment of this post not among its ids points to its start */
	if (frag && *frag && t != st->idx && st->outline_of) {
		size_t nh = 0;
		bb_heading *hs = st->outline_of(st->ud, t, &nh);
		if (hs && !(r = S_find_heading(q, hs, nh, frag, st->b->toc_depth)))
			r = S_find_heading(q, hs, nh, frag, 0);
		free(hs);
		if (r)
			return r;
	}
	bb_part_name(q, 0, name);
	return bb_xstrdup(name);
}

/* Resolves a path on the blog (relative to this post's URL or root-relative)
 * to a post of the book (other 0) or, while a volume is written, of
 * another volume (other 1: *t indexes b->all_posts). Returns 1 and sets *t. */
static int
S_find_post(const bb_links *st, const char *path, size_t *t, int other)
{
	char *key, *full = NULL;
	int found;
	const bb_blog *b = st->b;
	size_t ul;
	if (b->baseurl && (ul = strlen(b->baseurl)) && strncmp(path, b->baseurl, ul) == 0 &&
	    (path[ul] == '/' || !path[ul]))
		path += ul;
	if (path[0] != '/') {
		/* relative to the post's own URL */
		const char *u = st->p->url ? st->p->url : "/";
		const char *slash = strrchr(u, '/');
		full = bb_xasprintf("%.*s/%s", (int)(slash ? slash - u : 0), u, path);
		{
			char *folded = bb_path_fold(full);
			free(full);
			full = folded;
		}
		path = full;
	}
	key = bb_url_key(path);
	found = bb_map_get(other ? &b->other_by_url : &b->by_url, key, t);
	if (!found) {
		const bb_map *names = other ? &b->other_by_name : &b->by_name;
		found = bb_map_get(names, path, t) || bb_map_get(names, path + (path[0] == '/'), t);
	}
	free(key);
	free(full);
	return found;
}

/* The URL of a page of the blog that is not in the book, or NULL when the
 * blog's url is unknown. */
static char *
S_blog_url(const bb_links *st, const char *path)
{
	const bb_blog *b = st->b;
	if (!b->url)
		return NULL;
	if (path[0] == '/')
		return bb_xasprintf("%s%s", b->url, path);
	{
		const char *u = st->p->url ? st->p->url : "/";
		const char *slash = strrchr(u, '/');
		return bb_xasprintf("%s%s%.*s/%s", b->url, b->baseurl ? b->baseurl : "", (int)(slash ? slash - u : 0), u,
				    path);
	}
}

/* The host of an http(s) URL u without "www." and its length, or NULL. */
static const char *
S_host(const char *u, size_t *n)
{
	const char *h;
	if (strncasecmp(u, "http://", 7) == 0)
		h = u + 7;
	else if (strncasecmp(u, "https://", 8) == 0)
		h = u + 8;
	else
		return NULL;
	if (strncasecmp(h, "www.", 4) == 0)
		h += 4;
	*n = strcspn(h, "/?#");
	return h;
}

/* For an absolute http(s) href that names the blog itself: the path in it
 * (within href), else NULL. The blog is its url's host under http or https,
 * with or without "www."; on another host (an old one, or with no url in
 * the settings) a path that is exactly a post's address counts too. */
static const char *
S_own_path(const bb_links *st, const char *href)
{
	size_t hn, un, t;
	const char *h = S_host(href, &hn), *u, *path;
	char *key;
	int found;
	if (!h || !hn)
		return NULL;
	path = h[hn] == '/' ? h + hn : NULL;
	if (st->b->url && (u = S_host(st->b->url, &un)) && un == hn && strncasecmp(u, h, hn) == 0)
		return path ? path : "/";
	if (!path || !path[1])
		return NULL;
	{
		char *pp = bb_xstrndup(path, strcspn(path, "?#"));
		const char *q = pp;
		size_t bl;
		if (st->b->baseurl && (bl = strlen(st->b->baseurl)) && strncmp(q, st->b->baseurl, bl) == 0 &&
		    q[bl] == '/')
			q += bl;
		key = bb_url_key(q);
		free(pp);
	}
	found = strcmp(key, "/") != 0 && bb_map_get(&st->b->by_url, key, &t);
	free(key);
	return found ? path : NULL;
}

char *
bb_link_href(const bb_links *st, const char *href, int *why)
{
	const bb_blog *b = st->b;
	const char *path, *frag;
	char *pathpart, *r = NULL;
	size_t ul, t = 0;
	int found;

	while (isspace((unsigned char)*href))
		href++;
	*why = BB_LINK_DROP;
	if (bb_url_bad_scheme(href)) {
		*why = BB_LINK_SCRIPT;
		return NULL;
	}
	if (href[0] == '#')
		return href[1] ? S_local_href(st, href + 1) : NULL;
	if (b->url && (ul = strlen(b->url)) && strncmp(href, b->url, ul) == 0 && (href[ul] == '/' || !href[ul]))
		path = href[ul] ? href + ul : "/";
	else if ((path = S_own_path(st, href)))
		;
	else if (bb_url_has_scheme(href) || strncmp(href, "//", 2) == 0) {
		if (strncasecmp(href, "file:", 5) == 0) {
			*why = BB_LINK_FILE;
			return NULL;
		}
		if (strncmp(href, "//", 2) == 0)
			return bb_xasprintf("https:%s", href);
		if (!S_known_scheme(href)) {
			*why = BB_LINK_SCHEME;
			return NULL;
		}
		return bb_xstrdup(href);
	} else
		path = href;
	frag = strchr(path, '#');
	/* the site root with a query: a WordPress address by id keeps it */
	pathpart = bb_xstrndup(path, strcspn(path, path[strcspn(path, "?#")] == '?' && strcspn(path, "?") <= 1
					     ? "#" : "?#"));
	if (!*pathpart) {
		free(pathpart);
		return frag && frag[1] ? S_local_href(st, frag + 1) : NULL;
	}
	if ((found = S_find_post(st, pathpart, &t, 0)) && t == st->idx && !st->ol) {
		r = bb_xstrdup(BB_LINK_SELF);
	} else if (found) {
		if (t == st->idx && frag && frag[1])
			r = S_local_href(st, frag + 1);
		if (!r)
			r = S_post_href(st, t, frag ? frag + 1 : NULL);
	} else if (b->all_posts && S_find_post(st, pathpart, &t, 1)) {
		/* a post of another volume: its address on the web */
		char *web = bb_post_web_url(b, &b->all_posts[t]);
		if (web) {
			bb_buf o = BB_BUF_INIT;
			bb_url_put(&o, web);
			if (frag && frag[1])
				bb_url_put(&o, frag);
			r = bb_buf_detach(&o, NULL);
			free(web);
		} else
			*why = BB_LINK_VOLUME;
	} else {
		char *abs = S_blog_url(st, path);
		if (abs) {
			bb_buf o = BB_BUF_INIT;
			bb_url_put(&o, abs);
			r = bb_buf_detach(&o, NULL);
			free(abs);
		}
	}
	free(pathpart);
	/* the answer came from the blog's index and other posts: the chapter
	 * cache checks it again before reusing this post (a place in the post
	 * itself depends on nothing else) */
	if (bb_deps_recording())
		bb_deps_link(href, found && t == st->idx ? BB_LINK_SELF : r ? r : BB_LINK_NONE);
	return r;
}

char *
bb_post_web_url(const bb_blog *b, const bb_post *p)
{
	if (p->source_url && (strncmp(p->source_url, "http://", 7) == 0 || strncmp(p->source_url, "https://", 8) == 0))
		return bb_xstrdup(p->source_url);
	if (!b->url || !p->url)
		return NULL;
	return bb_xasprintf("%s%s%s", b->url, b->baseurl ? b->baseurl : "", p->url);
}

int
bb_link_src_kind(const bb_blog *b, const char *src)
{
	if (bb_url_bad_scheme(src))
		return BB_SRC_BAD;
	if (!(bb_url_has_scheme(src) || strncmp(src, "//", 2) == 0) || (b->url && strncmp(src, b->url, strlen(b->url)) == 0))
		return BB_SRC_LOCAL;
	if (strncmp(src, "http://", 7) != 0 && strncmp(src, "https://", 8) != 0 && strncmp(src, "//", 2) != 0)
		return BB_SRC_SCHEME;
	return BB_SRC_REMOTE;
}
