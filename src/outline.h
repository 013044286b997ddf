/* outline.h: phase 1 of rendering a post: on its HTML tree, the headings
 * (levels, unique ids), the ids of every element, and the split of the post
 * into files. Computed once per post; its headings are kept on the post. */
#ifndef BB_OUTLINE_H
#define BB_OUTLINE_H

#include "blog.h"
#include "naming.h"

#include <libxml/tree.h>

/* Headings of one post given an id and shown in the table of contents;
 * those past it keep what they had. */
#define BB_MAX_NAV_HEADINGS 1000

typedef struct bb_outline {
	bb_map ids;          /* every id in the post -> its top-level block */
	size_t ntop;         /* top-level blocks */
	size_t *part_start;  /* first top-level block of each file */
	int nparts;
	bb_heading *headings; /* every heading (the first BB_MAX_NAV_HEADINGS) */
	size_t nheadings;
} bb_outline;

/* Works out the outline of post p from body, the <body> of its tree, and
 * writes it into the tree: headings renamed to their book level (h2 under
 * the title's h1, no level skipped), each given a unique id unless it has
 * one, ids that are invalid or repeated removed. Warnings (an empty
 * heading, too many headings) go to dl. o is zeroed by the caller; free
 * it with bb_outline_free. */
void bb_outline_build(bb_outline *o, const bb_post *p, xmlNodePtr body, bb_diaglist *dl);

/* The file (0-based) that holds top-level block top. */
int bb_outline_part_of(const bb_outline *o, size_t top);

/* Frees what o holds (not o); NULL allowed. */
void bb_outline_free(bb_outline *o);

/* GitHub-style slug of a heading's text: letters (any script) and digits,
 * spaces to '-', at most 80 bytes. Caller frees. */
char *bb_outline_slug(const char *text);

#endif
