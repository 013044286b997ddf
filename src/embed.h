/* embed.h: the embeds the sanitizing writer knows (embed.c): video players
 * and gists, tweets and Instagram posts written as static content. */
#ifndef BB_EMBED_H
#define BB_EMBED_H

#include "xhtml.h"

/* A YouTube or Vimeo frame written as a static figure (or a link where
 * only phrasing content may stand), with the video's thumbnail when
 * --fetch-remote gets it. Returns 1 when n was one and is written, else 0
 * (nothing written). */
int bb_embed_frame(bb_xhtml *st, xmlNodePtr n, bb_buf *o);

/* A gist's script written as the gist's code (highlighted, with
 * --fetch-remote) or a link to it; a tweet's or an Instagram post's widget
 * script left out with a note (the quotation before it is the content).
 * Returns 1 when n was one of those and is handled, else 0. */
int bb_embed_script(bb_xhtml *st, xmlNodePtr n, bb_buf *o);

#endif
