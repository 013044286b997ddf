/* ial.c: kramdown's attribute markers applied to the tree, and `{:toc}`. */
#include "ial.h"
#include "kramdown.h"
#include "map.h"
#include "markdown.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Markers one post may hold: past it they are removed, not applied. */
#define MAX_MARKERS 100000
/* Comments and blanks a marker looks past for its element. */
#define MAX_SKIP 64
/* Bytes of a class attribute past which no class is appended. */
#define MAX_CLASS 1024
/* Nesting of the table of contents' lists. */
#define MAX_TOC_DEPTH 8

/* The node after n in document order under root, or NULL. */
static xmlNodePtr
S_next(xmlNodePtr n, xmlNodePtr root)
{
	if (n->type == XML_ELEMENT_NODE && n->children)
		return n->children;
	while (n && n != root && !n->next)
		n = n->parent;
	if (!n || n == root)
		return NULL;
	return n->next;
}

/* 1 when n is a text node of white space only (or empty). */
static int
S_blank(xmlNodePtr n)
{
	const char *s;
	if (n->type != XML_TEXT_NODE)
		return 0;
	for (s = (const char *)n->content; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

/* 1 when s is an id an XHTML file may hold: [A-Za-z][A-Za-z0-9_.-]*. */
static int
S_valid_id(const char *s)
{
	if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '.' || *s == '-'))
			return 0;
	return 1;
}

/* 1 when the space-separated list have holds class c. */
static int
S_has_token(const char *have, const char *c, size_t l)
{
	const char *s = have;
	while (s && *s) {
		size_t k;
		while (*s == ' ')
			s++;
		k = strcspn(s, " ");
		if (k == l && strncmp(s, c, l) == 0)
			return 1;
		s += k;
	}
	return 0;
}

/* 1 when element n has class c. */
static int
S_has_class(xmlNodePtr n, const char *c)
{
	return S_has_token(bb_tree_attr(n, "class"), c, strlen(c));
}

/* 1 when "id-k" is among ids. */
static int
S_id_taken(const bb_map *ids, const char *id, long k)
{
	char *u = bb_xasprintf("%s-%ld", id, k);
	size_t dummy;
	int r = bb_map_get(ids, u, &dummy);
	free(u);
	return r;
}

/* Appends the classes cls (space-separated) to element el's, and gives it
 * id (unique among ids) when it has none. */
static void
S_set(xmlNodePtr el, const char *cls, const char *id, bb_map *ids)
{
	if (cls && *cls) {
		const char *have = bb_tree_attr(el, "class"), *c = cls;
		bb_buf b = BB_BUF_INIT;
		if (have && *have)
			bb_buf_puts(&b, have);
		while (*c && b.len < MAX_CLASS) {
			size_t l;
			while (*c == ' ')
				c++;
			l = strcspn(c, " ");
			if (l && !S_has_token(have, c, l) && !S_has_token(b.data, c, l)) {
				if (b.len)
					bb_buf_putc(&b, ' ');
				bb_buf_put(&b, c, l);
			}
			c += l;
		}
		if (b.len)
			xmlSetProp(el, (const xmlChar *)"class", (const xmlChar *)b.data);
		bb_buf_free(&b);
	}
	if (id && S_valid_id(id) && !bb_tree_attr(el, "id")) {
		char *u = bb_xstrdup(id);
		size_t dummy;
		if (bb_map_get(ids, u, &dummy)) {
			/* id-K free with id-(K-1) taken: found by doubling and
			 * halving, so thousands of one id cost a few probes each */
			long lo = 0, hi = 1, mid;
			while (S_id_taken(ids, id, hi) && hi < 1L << 30)
				lo = hi, hi *= 2;
			while (hi - lo > 1)
				if (S_id_taken(ids, id, (mid = lo + (hi - lo) / 2)))
					lo = mid;
				else
					hi = mid;
			free(u);
			u = bb_xasprintf("%s-%ld", id, hi);
		}
		bb_map_put(ids, u, 0);
		xmlSetProp(el, (const xmlChar *)"id", (const xmlChar *)u);
		free(u);
	}
}

/* The element a marker of kind kind at comment c applies to, or NULL. */
static xmlNodePtr
S_target(xmlNodePtr c, int kind)
{
	xmlNodePtr n;
	int up, k = 0;
	switch (kind) {
	case BB_KRAMDOWN_MARK_PREV:
		if (c->parent && c->parent->type != XML_ELEMENT_NODE)
			return NULL;
		for (n = c->prev; n && (S_blank(n) || n->type == XML_COMMENT_NODE) && k < MAX_SKIP; n = n->prev, k++)
			;
		return n && n->type == XML_ELEMENT_NODE ? n : NULL;
	case BB_KRAMDOWN_MARK_NEXT:
		if (c->parent && c->parent->type != XML_ELEMENT_NODE) {
			/* before <html>: the body's first block */
			n = xmlDocGetRootElement(c->doc);
			for (n = n ? n->children : NULL; n && xmlStrcmp(n->name, (const xmlChar *)"body"); n = n->next)
				;
			if (!n)
				return NULL;
			for (n = n->children; n && (S_blank(n) || n->type == XML_COMMENT_NODE) && k < MAX_SKIP; n = n->next, k++)
				;
			return n && n->type == XML_ELEMENT_NODE ? n : NULL;
		}
		for (n = c->next; n && (S_blank(n) || n->type == XML_COMMENT_NODE) && k < MAX_SKIP; n = n->next, k++)
			;
		return n && n->type == XML_ELEMENT_NODE ? n : NULL;
	case BB_KRAMDOWN_MARK_ITEM:
		/* <li>, or <li><p> in a loose list */
		for (n = c->parent, up = 0; n && n->type == XML_ELEMENT_NODE && up < 2; n = n->parent, up++)
			if (xmlStrcmp(n->name, (const xmlChar *)"li") == 0)
				return n;
		return NULL;
	}
	return NULL;
}

size_t
bb_ial_apply(xmlNodePtr body)
{
	bb_map ids = { 0 };
	xmlNodePtr *marks = NULL, n;
	size_t nm = 0, cap = 0, i, applied = 0;

	if (!body)
		return 0;
	for (n = body; n; n = S_next(n, body)) {
		if (n->type == XML_ELEMENT_NODE) {
			const char *id = bb_tree_attr(n, "id");
			if (id)
				bb_map_put(&ids, id, 0);
		} else if (n->type == XML_COMMENT_NODE && n->content &&
			   strncmp((const char *)n->content, "bb-ial", 6) == 0) {
			if (nm == cap) {
				cap = cap ? cap * 2 : 16;
				marks = bb_xrealloc(marks, cap * sizeof *marks);
			}
			marks[nm++] = n;
		}
	}
	/* libxml2's parser puts a comment that opens the text before <html> */
	if (body->doc)
		for (n = body->doc->children; n && n->type != XML_ELEMENT_NODE; n = n->next)
			if (n->type == XML_COMMENT_NODE && n->content &&
			    strncmp((const char *)n->content, "bb-ial", 6) == 0) {
				if (nm == cap) {
					cap = cap ? cap * 2 : 16;
					marks = bb_xrealloc(marks, cap * sizeof *marks);
				}
				marks[nm++] = n;
			}
	for (i = 0; i < nm; i++) {
		const char *s = (const char *)marks[i]->content;
		char *cls = NULL, *id = NULL;
		int kind = i < MAX_MARKERS ? bb_kramdown_marker(s, strlen(s), &cls, &id) : 0;
		if (kind != BB_KRAMDOWN_MARK_NONE) {
			xmlNodePtr el = S_target(marks[i], kind);
			if (el) {
				S_set(el, cls, id, &ids);
				applied++;
			}
		}
		free(cls);
		free(id);
	}
	/* removed once all are read: a marker's neighbours are other markers */
	for (i = 0; i < nm; i++) {
		xmlUnlinkNode(marks[i]);
		xmlFreeNode(marks[i]);
	}
	free(marks);
	bb_map_free(&ids);
	return applied;
}

/* 1 when n is an element h1..h6. */
static int
S_is_heading(xmlNodePtr n)
{
	const char *nm = (const char *)n->name;
	return n->type == XML_ELEMENT_NODE && nm[0] == 'h' && nm[1] >= '1' && nm[1] <= '6' && !nm[2];
}

/* Fills nav with links "#id" to the headings of ol not marked in skip (the
 * writer makes "#id" "file#id" when the heading is in another file of a
 * split post: links.c). Returns 1 when it holds any. */
static int
S_fill(xmlNodePtr nav, const bb_outline *ol, const char *skip)
{
	xmlNodePtr ul[MAX_TOC_DEPTH], last[MAX_TOC_DEPTH];
	int lvl[MAX_TOC_DEPTH], depth = -1;
	size_t i;

	for (i = 0; i < ol->nheadings; i++) {
		const bb_heading *h = &ol->headings[i];
		xmlNodePtr li, a;
		char *href;
		if (skip[i] || !h->id || !h->text)
			continue;
		if (depth < 0) {
			ul[0] = xmlNewChild(nav, NULL, (const xmlChar *)"ul", NULL);
			lvl[0] = h->level;
			last[0] = NULL;
			depth = 0;
		}
		while (depth > 0 && h->level < lvl[depth])
			depth--;
		if (h->level > lvl[depth] && depth + 1 < MAX_TOC_DEPTH) {
			if (!last[depth])
				last[depth] = xmlNewChild(ul[depth], NULL, (const xmlChar *)"li", NULL);
			ul[depth + 1] = xmlNewChild(last[depth], NULL, (const xmlChar *)"ul", NULL);
			lvl[depth + 1] = h->level;
			last[depth + 1] = NULL;
			depth++;
		}
		li = xmlNewChild(ul[depth], NULL, (const xmlChar *)"li", NULL);
		last[depth] = li;
		href = bb_xasprintf("#%s", h->id);
		a = xmlNewTextChild(li, NULL, (const xmlChar *)"a", (const xmlChar *)h->text);
		xmlSetProp(a, (const xmlChar *)"href", (const xmlChar *)href);
		free(href);
	}
	return depth >= 0;
}

size_t
bb_ial_toc(xmlNodePtr body, const bb_outline *ol)
{
	xmlNodePtr n, *navs = NULL;
	char *skip;
	size_t nh = 0, nn = 0, cap = 0, i, filled = 0;

	if (!body || !ol)
		return 0;
	skip = bb_xcalloc(ol->nheadings + 1, 1);
	/* the headings in the order the outline met them, and the tables */
	for (n = body; n; n = S_next(n, body)) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (S_is_heading(n)) {
			if (nh < ol->nheadings)
				skip[nh] = (char)S_has_class(n, "no_toc");
			nh++;
		} else if (xmlStrcmp(n->name, (const xmlChar *)"nav") == 0 && S_has_class(n, "bb-toc") &&
			   nn < 16) {
			if (nn == cap) {
				cap = cap ? cap * 2 : 4;
				navs = bb_xrealloc(navs, cap * sizeof *navs);
			}
			navs[nn++] = n;
		}
	}
	for (i = 0; i < nn; i++) {
		/* whatever the source put inside goes: the table replaces it */
		while (navs[i]->children) {
			xmlNodePtr c = navs[i]->children;
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
		if (!S_fill(navs[i], ol, skip)) {
			xmlUnlinkNode(navs[i]);
			xmlFreeNode(navs[i]);
			continue;
		}
		xmlNodeSetName(navs[i], (const xmlChar *)"div");
		xmlSetProp(navs[i], (const xmlChar *)"class", (const xmlChar *)"toc bb-toc");
		filled++;
	}
	free(navs);
	free(skip);
	return filled;
}
