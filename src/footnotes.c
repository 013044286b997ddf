/* footnotes.c: cmark-gfm's footnote list rewritten as EPUB footnote asides
 * (see footnotes.h). */
#include "footnotes.h"
#include "markdown.h"

#include <stdio.h>
#include <string.h>

/* Footnote lists one post may hold (cmark writes one). */
#define MAX_LISTS 64

/* 1 when n is an element named name. */
static int
S_is(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Puts "N." before the note's text: at the start of its first paragraph,
 * or as a paragraph of its own when the note starts with another block. */
static void
S_label(xmlNodePtr aside, size_t num)
{
	char t[32];
	xmlNodePtr c = aside->children, span;
	while (c && c->type != XML_ELEMENT_NODE)
		c = c->next;
	snprintf(t, sizeof t, "%zu. ", num);
	span = xmlNewDocNode(aside->doc, NULL, BAD_CAST "span", NULL);
	xmlNewProp(span, BAD_CAST "class", BAD_CAST "footnote-label");
	xmlAddChild(span, xmlNewDocText(aside->doc, BAD_CAST t));
	if (S_is(c, "p")) {
		/* (a text node added next to another is merged into it and
		 * freed by libxml2: the blank after the number is the span's) */
		if (c->children)
			xmlAddPrevSibling(c->children, span);
		else
			xmlAddChild(c, span);
		return;
	}
	{
		xmlNodePtr p = xmlNewDocNode(aside->doc, NULL, BAD_CAST "p", NULL);
		xmlAddChild(p, span);
		if (aside->children)
			xmlAddPrevSibling(aside->children, p);
		else
			xmlAddChild(aside, p);
	}
}

/* Rewrites one <ol> of notes in place: its items become asides standing
 * where the list stood. Returns the number of notes. */
static size_t
S_list(xmlNodePtr ol)
{
	xmlNodePtr li = ol->children, next;
	size_t num = 0;
	char t[32];
	for (; li; li = next) {
		next = li->next;
		xmlUnlinkNode(li);
		if (!S_is(li, "li")) {
			if (li->type == XML_ELEMENT_NODE)
				xmlAddPrevSibling(ol, li); /* not an item: kept as it is */
			else
				xmlFreeNode(li);
			continue;
		}
		num++;
		xmlNodeSetName(li, BAD_CAST "aside");
		snprintf(t, sizeof t, "%zu", num);
		xmlSetProp(li, BAD_CAST "class", BAD_CAST "footnote");
		xmlSetProp(li, BAD_CAST "data-footnote", BAD_CAST t);
		S_label(li, num);
		xmlAddPrevSibling(ol, li);
	}
	xmlUnlinkNode(ol);
	xmlFreeNode(ol);
	return num;
}

size_t
bb_footnotes_aside(xmlNodePtr body)
{
	xmlNodePtr lists[MAX_LISTS], n = body;
	size_t nl = 0, i, notes = 0;
	/* find first, rewrite after: the walk must not see its own changes */
	while (n && nl < MAX_LISTS) {
		if (S_is(n, "section") && bb_tree_attr(n, "data-footnotes")) {
			xmlNodePtr c;
			for (c = n->children; c && nl < MAX_LISTS; c = c->next)
				if (S_is(c, "ol"))
					lists[nl++] = c;
		} else if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n && n != body && !n->next)
			n = n->parent;
		n = (n && n != body) ? n->next : NULL;
	}
	for (i = 0; i < nl; i++)
		notes += S_list(lists[i]);
	return notes;
}
