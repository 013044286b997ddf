/* linknotes.h: --link-notes (linknotes.c): links to the web numbered, their
 * URLs written as endnotes. */
#ifndef BB_LINKNOTES_H
#define BB_LINKNOTES_H

#include "xhtml.h"

/* Numbers the link to url (the href written) whose element is n, keeps its
 * note, and returns its number, or 0 when it gets none (a link inside the
 * book, or whose text is its URL). */
int bb_link_note_add(bb_xhtml *st, xmlNodePtr n, const char *url);

/* Writes the reference to note k after its link (note_id: the post's id,
 * which its notes' ids start with). */
void bb_link_note_ref(bb_buf *o, const char *note_id, int k);

#endif
