/* autolink.c: bare-URL autolinks ended before CJK text, as a pass over
 * cmark's tree after the autolink extension made them. */
#define _POSIX_C_SOURCE 200809L
#include "cmarkmem.h"
#include "autolink.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

int
bb_autolink_is_text(cmark_node *n)
{
	cmark_node *link = cmark_node_parent(n);
	const char *url, *text = cmark_node_get_literal(n);
	size_t ul, tl;
	if (!link || cmark_node_get_type(link) != CMARK_NODE_LINK || cmark_node_first_child(link) != n ||
	    cmark_node_next(n) || !text || !(url = cmark_node_get_url(link)))
		return 0;
	ul = strlen(url);
	tl = strlen(text);
	return tl > 0 && tl <= ul && strcmp(url + ul - tl, text) == 0;
}

/* Where a URL written in s[0..n) ends for the engine: before its first
 * CJK or full-width character (non-ASCII one), or n. */
static size_t
S_cut(const char *s, size_t n, int ascii_only)
{
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		int k;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if (ascii_only)
			return i;
		k = bb_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (k <= 0)
			return i;
		if (bb_is_cjk(cp) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
		    (cp >= 0x2010 && cp <= 0x206F))
			return i;
		i += (size_t)k;
	}
	return n;
}

/* GFM's end of an autolink: trailing punctuation and unbalanced ')' go. */
static size_t
S_trail(const char *s, size_t n)
{
	for (;;) {
		size_t open = 0, close = 0, i;
		if (n && strchr(".,:;!?*_~'\"", s[n - 1])) {
			n--;
			continue;
		}
		if (n && s[n - 1] == ')') {
			for (i = 0; i < n; i++)
				open += s[i] == '(', close += s[i] == ')';
			if (close > open) {
				n--;
				continue;
			}
		}
		return n;
	}
}

/* Shortens link (its text node t) when needed. Returns 1 when it did. */
static int
S_trim_one(cmark_node *link, cmark_node *t, int ascii_only)
{
	const char *text = cmark_node_get_literal(t), *url = cmark_node_get_url(link);
	size_t tl = strlen(text), ul = strlen(url), cut = S_cut(text, tl, ascii_only), keep;
	char *nt, *nu;
	cmark_node *rest;
	if (cut == tl)
		return 0;
	keep = S_trail(text, cut);
	if (keep < 4 || !memchr(text, '.', keep))
		return 0; /* what is left is no address: leave the link as made */
	rest = bb_cmark_node_new(CMARK_NODE_TEXT);
	cmark_node_set_literal(rest, text + keep);
	nt = bb_xstrndup(text, keep);
	nu = bb_xasprintf("%.*s%s", (int)(ul - tl), url, nt);
	cmark_node_set_url(link, nu);
	cmark_node_set_literal(t, nt);
	cmark_node_insert_after(link, rest);
	free(nt);
	free(nu);
	return 1;
}

int
bb_autolink_trim(cmark_node *doc, int ascii_only)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	cmark_node **links = NULL;
	size_t n = 0, cap = 0, i;
	int r = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *x = cmark_iter_get_node(it);
		const char *l;
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(x) != CMARK_NODE_TEXT || !bb_autolink_is_text(x) ||
		    !(l = cmark_node_get_literal(x)))
			continue;
		for (; *l && (unsigned char)*l < 0x80; l++)
			;
		if (!*l)
			continue;
		if (n == cap)
			links = bb_xrealloc(links, (cap = cap ? cap * 2 : 8) * sizeof *links);
		links[n++] = x;
	}
	cmark_iter_free(it);
	/* after the walk: new nodes are not added while it runs */
	for (i = 0; i < n; i++)
		r += S_trim_one(cmark_node_parent(links[i]), links[i], ascii_only);
	free(links);
	return r;
}
