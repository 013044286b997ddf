/* autolink.h: bare-URL autolinks (cmark-gfm's autolink extension) ended
 * where the site's engine ends them: a URL holds no CJK character or
 * full-width punctuation unencoded, so `...hof.de)です。その他` links
 * `...hof.de` only (GFM); goldmark's linkify takes ASCII only. */
#ifndef BB_AUTOLINK_H
#define BB_AUTOLINK_H

#include <cmark-gfm.h>

/* Shortens every extension autolink of doc (a link whose text is the end
 * of its URL) at its first CJK or full-width character (any non-ASCII one
 * when ascii_only), drops the punctuation GFM leaves out of a URL's end
 * (.,:;!?*_~ and an unbalanced ')'), and puts the rest back as text after
 * the link. Returns the number of links shortened. */
int bb_autolink_trim(cmark_node *doc, int ascii_only);

/* 1 when text node n is the text of such an autolink. */
int bb_autolink_is_text(cmark_node *n);

#endif
