/* naming.h: the names posts and chapter groups carry in the book, made
 * from what they are (date, slug, group key), never from their place. */
#ifndef BB_NAMING_H
#define BB_NAMING_H

#include "blog.h"

/* Gives each of the n posts its id (bb_post.id), the stem of its files:
 * 'p', the date's digits, '-', the slug folded to ASCII letters, digits
 * and '-' (at most 40 bytes): "p20240114-starting-a-notebook". A slug
 * that folds to nothing (Japanese) gives "_" and a hash of the post's
 * path instead. Of posts whose names come out equal, the one with the
 * smallest hash of its path keeps the name and the others add "_" and
 * theirs, so no name depends on the order or the number of posts. Each
 * id is a copy the post owns (bb_post_free; packed with its strings). */
void bb_name_posts(bb_post *posts, size_t n);

/* The id of the chapter group whose key (a year, a category...) is key:
 * 'g' and the key folded ("g2019", "g2019-03"), with "_" and a hash of
 * the key when the fold lost anything ("gtravel_1a2b3c4d" for "Travel"). */
void bb_name_group(const char *key, char out[BB_ID_MAX]);

/* The file name of part k of post p: "ID.xhtml", then "ID.2.xhtml"... */
void bb_part_name(const bb_post *p, int k, char out[BB_NAME_MAX]);

#endif
