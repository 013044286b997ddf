/* volume.h: the blog bound as several books, each a volume of one series
 * (--volumes year|month|N, --volume-size MB). */
#ifndef BB_VOLUME_H
#define BB_VOLUME_H

#include "blog.h"

/* Writes collected blog b as volumes, as b->opt asks (volumes,
 * volume_posts, volume_size_mb), named "TITLE RANGE.epub": in the current
 * folder when output is NULL, in output when it is a folder (or ends with
 * '/'), else output's name without ".epub" then " RANGE.epub". Each volume
 * is written under a temporary name and all are renamed at the end: a
 * failed or interrupted run leaves no volume and replaces no book. Fills
 * *r (sums; r->output the first volume, r->volumes their count) when r is
 * not NULL. b is the whole blog again when it returns. Returns 0 or -1. */
int bb_volumes_write(bb_blog *b, const char *output, bb_report *r);

/* "My Blog: notes" -> "My Blog- notes.epub": a title made a safe file
 * name (build.c). Caller frees. */
char *bb_output_name(const char *title);

#endif
