/* outkeep.h: the headings of every post, kept from its render until the
 * navigation is written, in a temporary file rather than in memory (a
 * hundred thousand posts held 15 MB of them, issue 16). */
#ifndef BB_OUTKEEP_H
#define BB_OUTKEEP_H

#include "blog.h"

/* Keeps the n headings h (copied) as those of post idx of b, and marks it
 * rendered, unless another thread did first (an outline is a pure function
 * of the post). Thread-safe (under b->lock). A file that cannot be made or
 * written loses the headings and is said by bb_outkeep_error. */
void bb_outkeep_put(bb_blog *b, size_t idx, const bb_heading *h, size_t n);

/* The headings of post p of b (p->nheadings of them, *n set to that): one
 * block the caller frees with one free, or NULL (and *n 0) when it has
 * none or they cannot be read (then bb_outkeep_error says why).
 * Thread-safe. */
bb_heading *bb_outkeep_get(const bb_blog *b, const bb_post *p, size_t *n);

/* 0, or the errno of the first failure to keep or read headings. */
int bb_outkeep_error(const bb_blog *b);

/* Closes and removes b's file of headings (the posts' outline_at then
 * name nothing: call it when the posts are dropped). */
void bb_outkeep_close(bb_blog *b);

#endif
