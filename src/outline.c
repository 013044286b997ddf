/* outline.c: phase 1 of rendering a post: heading levels and ids, the ids
 * of every element, and the split into files, worked out on its HTML tree. */
#define _POSIX_C_SOURCE 200809L
#include "outline.h"
#include "markdown.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAV_HEADINGS BB_MAX_NAV_HEADINGS

/* 1 when s is a valid XML NCName start for an id (ASCII letter or '_' or
 * any non-ASCII), and the rest is name characters. */
static int
S_valid_id(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (!*u || !(isalpha(*u) || *u == '_' || *u >= 0x80))
		return 0;
	for (; *u; u++)
		if (!(isalnum(*u) || *u == '-' || *u == '_' || *u == '.' || *u >= 0x80))
			return 0;
	return 1;
}

/* Whitespace folded, trimmed. Caller frees. */
static char *
S_fold(const char *s)
{
	bb_buf b = BB_BUF_INIT;
	int sp = 0;
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			sp = b.len > 0;
			continue;
		}
		if (sp)
			bb_buf_putc(&b, ' ');
		sp = 0;
		bb_buf_putc(&b, *s);
	}
	return b.data ? bb_buf_detach(&b, NULL) : bb_xstrdup("");
}

/* GitHub-style slug: letters (any script) and digits, spaces to '-'. */
char *
bb_outline_slug(const char *text)
{
	bb_buf b = BB_BUF_INIT;
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strlen(text), i = 0;
	while (i < n && b.len < 80) {
		unsigned cp;
		int k = bb_utf8_decode(s + i, n - i, &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		if (cp < 0x80) {
			if (isalnum((int)cp))
				bb_buf_putc(&b, tolower((int)cp));
			else if (cp == ' ' || cp == '-')
				bb_buf_putc(&b, '-');
			else if (cp == '_')
				bb_buf_putc(&b, '_');
		} else if (!((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
			     (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
			     (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
			     cp == 0x30FB || cp == 0xA0 || (cp >= 0xFE30 && cp <= 0xFE4F))) {
			bb_buf_put(&b, text + i, (size_t)k);
		} else if (cp == 0x3000)
			bb_buf_putc(&b, '-');
		i += (size_t)k;
	}
	return b.data ? bb_buf_detach(&b, NULL) : bb_xstrdup("");
}

/* A unique valid id from a wish, registered in st->ids at block top. */
static char *
S_unique_id(bb_outline *st, const char *wish, size_t top)
{
	char *base, *id;
	size_t dummy;
	int k;
	if (!*wish)
		base = bb_xstrdup("section");
	else if (!S_valid_id(wish))
		base = bb_xasprintf("h-%s", wish);
	else
		base = bb_xstrdup(wish);
	/* names from posts could still hold characters an XML name may not */
	if (!S_valid_id(base)) {
		char *c;
		for (c = base + 2; *c; c++)
			if (!((unsigned char)*c >= 0x80 || isalnum((unsigned char)*c) || *c == '-' || *c == '_' || *c == '.'))
				*c = '-';
	}
	id = bb_xstrdup(base);
	for (k = 1; bb_map_get(&st->ids, id, &dummy); k++) {
		free(id);
		id = bb_xasprintf("%s-%d", base, k);
	}
	free(base);
	bb_map_put(&st->ids, id, top);
	return id;
}

typedef struct hd {
	xmlNodePtr node;
	int level;
	char *text;
	size_t top;    /* index of its top-level block */
} hd;

typedef struct scan {
	hd *h;
	size_t nh, caph;
	size_t *size;      /* estimated bytes per top-level block */
	size_t ntop;
	int *is_heading;   /* per top-level block */
} scan;

static void
S_scan(bb_outline *st, xmlNodePtr body, scan *sc)
{
	xmlNodePtr top, n;
	size_t t = 0;
	for (top = body->children; top; top = top->next)
		sc->ntop++;
	sc->size = bb_xcalloc(sc->ntop + 1, sizeof *sc->size);
	sc->is_heading = bb_xcalloc(sc->ntop + 1, sizeof *sc->is_heading);
	for (top = body->children; top; top = top->next, t++) {
		int depth = 0;
		n = top;
		if (n->type == XML_ELEMENT_NODE && n->name[0] == 'h' && n->name[1] >= '1' && n->name[1] <= '6' && !n->name[2])
			sc->is_heading[t] = 1;
		/* iterative walk of this block */
		while (n) {
			if (n->type == XML_TEXT_NODE && n->content)
				sc->size[t] += strlen((const char *)n->content);
			else if (n->type == XML_ELEMENT_NODE) {
				const char *id = bb_tree_attr(n, "id"), *nm = (const char *)n->name;
				size_t dummy;
				sc->size[t] += 2 * strlen(nm) + 5;
				if (id) {
					if (!S_valid_id(id) || bb_map_get(&st->ids, id, &dummy))
						xmlUnsetProp(n, (const xmlChar *)"id");
					else
						bb_map_put(&st->ids, id, t);
				}
				if (nm[0] == 'h' && nm[1] >= '1' && nm[1] <= '6' && !nm[2]) {
					bb_buf tb = BB_BUF_INIT;
					char *folded;
					if (sc->nh == sc->caph) {
						sc->caph = sc->caph ? sc->caph * 2 : 16;
						sc->h = bb_xrealloc(sc->h, sc->caph * sizeof *sc->h);
					}
					bb_tree_text(n->children, &tb, 0);
					folded = S_fold(tb.data ? tb.data : "");
					bb_buf_free(&tb);
					sc->h[sc->nh].node = n;
					sc->h[sc->nh].level = nm[1] - '0';
					sc->h[sc->nh].text = folded;
					sc->h[sc->nh].top = t;
					sc->nh++;
				}
			}
			if (n->type == XML_ELEMENT_NODE && n->children && depth < 100000) {
				n = n->children;
				depth++;
				continue;
			}
			while (n && n != top && !n->next) {
				n = n->parent;
				depth--;
			}
			if (!n || n == top)
				break;
			n = n->next;
		}
	}
}

/* Gives the headings the book's levels: the body starts at h2 under the
 * title's h1 and never skips a level, and the outline keeps the post's:
 * a heading sits one level under the nearest heading before it of a
 * higher level in the post (its parent), or at h2 without one, so
 * headings of one level stay siblings. "## a, ## b, # c" is three h2s
 * (lifting by the post's highest level and closing gaps made a, b of one
 * level h2 and h3, b under a); "## a, ### b, # c" is h2, h3, h2. */
static void
S_levels(scan *sc)
{
	int src[8], shown[8];   /* the open parents: post's level, book's level */
	int depth = 0;
	size_t i;
	for (i = 0; i < sc->nh; i++) {
		int l = sc->h[i].level;
		while (depth > 0 && src[depth - 1] >= l)
			depth--;
		sc->h[i].level = depth ? shown[depth - 1] + 1 : 2;
		if (sc->h[i].level > 6)
			sc->h[i].level = 6;
		/* levels run 1..6: at most 6 parents are open */
		src[depth] = l;
		shown[depth] = sc->h[i].level;
		depth++;
	}
}

int
bb_outline_part_of(const bb_outline *st, size_t top)
{
	int k;
	for (k = st->nparts - 1; k > 0; k--)
		if (top >= st->part_start[k])
			return k;
	return 0;
}

/* Gives each heading its level and, within the table of contents' reach,
 * an id when it has none. */
static void
S_name_headings(bb_outline *o, const bb_post *p, scan *sc, bb_diaglist *dl)
{
	size_t i;
	for (i = 0; i < sc->nh; i++) {
		char lvl[3] = { 'h', (char)('0' + sc->h[i].level), 0 };
		const char *have = bb_tree_attr(sc->h[i].node, "id");
		/* past the table of contents, a heading gets no id: a million of
		 * them cost libxml2's id table most of the run's time */
		if (!have && i < MAX_NAV_HEADINGS) {
			char *slug = bb_outline_slug(sc->h[i].text);
			char *id = S_unique_id(o, slug, sc->h[i].top);
			xmlSetProp(sc->h[i].node, (const xmlChar *)"id", (const xmlChar *)id);
			free(slug);
			free(id);
		}
		xmlNodeSetName(sc->h[i].node, (const xmlChar *)lvl);
		if (!*sc->h[i].text)
			bb_diag_add(dl, BB_WARNING, p->path, 0, 0, "an empty heading");
	}
}

/* The split into files: at a heading once a file is large, anywhere
 * between blocks once it is much too large. */
static void
S_split(bb_outline *o, const scan *sc)
{
	size_t acc = 0, i;
	o->ntop = sc->ntop;
	o->part_start = bb_xmalloc((sc->ntop + 1) * sizeof *o->part_start);
	o->part_start[0] = 0;
	o->nparts = 1;
	for (i = 0; i < sc->ntop; i++) {
		if (acc > BB_SPLIT_BYTES && (sc->is_heading[i] || acc > BB_SPLIT_BYTES * 3 / 2)) {
			o->part_start[o->nparts++] = i;
			acc = 0;
		}
		acc += sc->size[i];
	}
}

void
bb_outline_build(bb_outline *o, const bb_post *p, xmlNodePtr body, bb_diaglist *dl)
{
	scan sc;
	char *reserved;
	size_t i;

	memset(&sc, 0, sizeof sc);
	reserved = bb_xasprintf("%s-title", p->id);
	bb_map_put(&o->ids, reserved, 0);
	free(reserved);
	S_scan(o, body, &sc);
	S_levels(&sc);
	S_name_headings(o, p, &sc, dl);
	S_split(o, &sc);
	/* the headings the navigation shows: a table of contents of a million
	 * entries helps no reader, and costs the nav and NCX their size */
	if (sc.nh > MAX_NAV_HEADINGS)
		bb_diag_add(dl, BB_WARNING, p->path, 0, 0,
			    "%zu headings: only the first %d are in the table of contents", sc.nh, MAX_NAV_HEADINGS);
	o->headings = bb_xcalloc(sc.nh ? sc.nh : 1, sizeof *o->headings);
	for (i = 0; i < sc.nh && i < MAX_NAV_HEADINGS; i++) {
		bb_heading *h = &o->headings[o->nheadings++];
		h->level = sc.h[i].level;
		h->id = bb_xstrdup(bb_tree_attr(sc.h[i].node, "id"));
		h->text = *sc.h[i].text ? bb_xstrdup(sc.h[i].text) : NULL;
		h->part = bb_outline_part_of(o, sc.h[i].top);
	}
	for (i = 0; i < sc.nh; i++)
		free(sc.h[i].text);
	free(sc.h);
	free(sc.size);
	free(sc.is_heading);
}

void
bb_outline_free(bb_outline *o)
{
	size_t i;
	if (!o)
		return;
	for (i = 0; i < o->nheadings; i++) {
		free(o->headings[i].id);
		free(o->headings[i].text);
	}
	free(o->headings);
	free(o->part_start);
	bb_map_free(&o->ids);
	memset(o, 0, sizeof *o);
}
