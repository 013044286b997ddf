/* footnotes.h: a post's footnotes as EPUB footnotes. cmark-gfm writes them
 * as one list at the end of the post,
 *   <section class="footnotes" data-footnotes><ol><li id="fn-a">...</li></ol></section>
 * which a reading system shows as an endnote list (DPUB-ARIA 1.1 deprecates
 * doc-endnote on its items). Each item becomes
 *   <aside id="fn-a" class="footnote" data-footnote="N"><p><span
 *   class="footnote-label">N. </span>...</p></aside>
 * for the writer (xhtml.c) to mark epub:type="footnote" role="doc-footnote":
 * readers that pop notes up (Apple Books, Kobo, KOReader) find them by that,
 * the others show them numbered where the list stood.
 *
 *   doc = bb_markdown_to_tree(&in, &body);
 *   bb_footnotes_aside(body);
 */
#ifndef BB_FOOTNOTES_H
#define BB_FOOTNOTES_H

#include <libxml/tree.h>

/* Rewrites every footnote list under body as above; N is the item's place
 * in its list (cmark numbers notes in the order they are first cited, the
 * list's order). Returns the number of notes rewritten. */
size_t bb_footnotes_aside(xmlNodePtr body);

#endif
