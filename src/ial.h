/* ial.h: kramdown's attribute markers (kramdown.h) applied to a post's HTML
 * tree, and its `{:toc}` filled with the post's headings.
 *
 *   doc = bb_markdown_to_tree(&in, &body);
 *   bb_ial_apply(body);                  before the outline: ids it sets are
 *                                        kept (and unique), heading ids too
 *   bb_outline_build(&ol, p, body, dl);
 *   bb_ial_toc(body, &ol);               after it: headings have ids and levels
 *
 * The writer unwraps <nav>, so a filled table of contents becomes
 * <div class="toc bb-toc"><ul><li><a href="#id">...</a><ul>...</ul></li></ul></div>
 * (a second epub:type="toc" nav would confuse reading systems). */
#ifndef BB_IAL_H
#define BB_IAL_H

#include "outline.h"

#include <libxml/tree.h>

/* Applies every marker comment under body (<!--bb-ial ...-->: to the
 * previous sibling element, <!--bb-ial-next ...-->: to the next one,
 * <!--bb-ial-item ...-->: to the enclosing <li>) and removes it, applied or
 * not. Classes are appended to the element's own; an id is set only when the
 * element has none, made unique among the tree's ids (base-1, base-2...).
 * Returns the number of markers applied. */
size_t bb_ial_apply(xmlNodePtr body);

/* Fills each <nav class="bb-toc"> under body with a nested list of links to
 * the headings of ol (those of class no_toc left out) as "#id" (the writer
 * adds the file's name when a split post has the heading in another file),
 * and renames it to a <div class="toc bb-toc">; a table with no heading to show is removed.
 * Returns the number of tables filled. */
size_t bb_ial_toc(xmlNodePtr body, const bb_outline *ol);

#endif
