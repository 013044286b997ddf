/* media.h: images and embedded media for the sanitizing writer (media.c):
 * its transforms for <img>, <iframe>, <object>, <audio>, <video>, and the
 * image writing and fetching embed.c also uses. */
#ifndef BB_MEDIA_H
#define BB_MEDIA_H

#include "xhtml.h"

/* Writes <img> for embedded image idx, with the allowed attributes of n
 * (may be NULL), and notes the facts: an image, and whether it has alt
 * text. */
void bb_media_put_img(bb_xhtml *st, xmlNodePtr n, long idx, const char *alt, bb_buf *o);

/* Downloads url (--fetch-remote) through the cache (--cache-dir, else the
 * blog's .blogbind-cache) with the run's time-out and at most max bytes:
 * bb_fetch's result, *cached and *why. */
int bb_media_fetch(bb_xhtml *st, const char *url, size_t max, char **cached, const char **why);

/* Writes image n (embedded, fetched, or what stands for it). */
void bb_media_img(bb_xhtml *st, xmlNodePtr n, bb_buf *o);

/* Writes a link to the source of embedded frame, object or media n (what
 * names the kind: "Embedded page"...); kind is its warning's. */
void bb_media_embed(bb_xhtml *st, xmlNodePtr n, const char *what, bb_buf *o, int kind);

#endif
