/* wxr.h: reading a WordPress export file (WXR 1.0 to 1.2) into the neutral
 * list of entry.h, streamed and bounded. */
#ifndef BB_WXR_H
#define BB_WXR_H

#include "diag.h"
#include "entry.h"

#include <stddef.h>

/* Bounds on what is read (entry.h). */
typedef bb_export_opts bb_wxr_opts;

/* How sure we are that the first n bytes of a file (head) begin a WXR
 * export: 0 not at all .. 100 certain. */
int bb_wxr_bid(const char *head, size_t n);

/* Reads the export file at path, named name in messages (both not NULL).
 * The file is streamed: memory stays bounded by the opts whatever its
 * size. A broken file (truncated, invalid UTF-8, bad markup) gives
 * positioned warnings in diag and the entries read before and after the
 * damage as far as libxml2 can recover; x->partial is set when the reading
 * stopped early. A document type declaring entities is refused, never
 * expanded. Returns 0 and *out (free with bb_export_free), or -1 with an
 * error in diag and *out NULL when nothing could be read or the file is no
 * WordPress export. opts may be NULL. */
int bb_wxr_read_file(const char *path, const char *name, const bb_wxr_opts *opts, bb_export **out,
		     bb_diaglist *diag);

/* The same for len bytes at data. */
int bb_wxr_read_memory(const char *data, size_t len, const char *name, const bb_wxr_opts *opts, bb_export **out,
		       bb_diaglist *diag);

#endif
