/* mt.h: reading a Movable Type / TypePad export file (the "Movable Type
 * Import / Export Format", also Hatena Blog's and note's) into the neutral
 * list of entry.h: entries separated by a line of eight dashes, their
 * sections by a line of five; metadata lines (AUTHOR:, TITLE:, BASENAME:,
 * STATUS:, DATE:, CATEGORY:, PRIMARY CATEGORY:, TAGS:, CONVERT BREAKS:)
 * then BODY:, EXTENDED BODY:, EXCERPT:, KEYWORDS: and COMMENT: blocks. */
#ifndef BB_MT_H
#define BB_MT_H

#include "diag.h"
#include "entry.h"

#include <stddef.h>

/* How an entry's text is written (bb_entry.markup), from CONVERT BREAKS. */
enum { BB_MARKUP_HTML, BB_MARKUP_BREAKS, BB_MARKUP_MARKDOWN };

/* How sure we are that the first n bytes of a file (head) begin such an
 * export: 0 not at all .. 100 certain. */
int bb_mt_bid(const char *head, size_t n);

/* Reads the export file at path, named name in messages, line by line
 * within the bounds of opts (NULL: the defaults of entry.h; opts->spill
 * keeps the bodies on disk). Entries are posts ("post"), status "publish",
 * "draft", "future" or "pending", ids "1", "2"... in file order, dates
 * "YYYY-MM-DD HH:MM:SS" as written (the blog's time), the body the BODY
 * then the EXTENDED BODY, comments approved. Bytes that are not UTF-8 are
 * replaced by U+FFFD with a warning; a date or a line it cannot read is a
 * warning naming its line. Returns 0 and *out (free with bb_export_free),
 * or -1 with an error in diag when the file cannot be read or holds no
 * entry. */
int bb_mt_read_file(const char *path, const char *name, const bb_export_opts *opts, bb_export **out,
		    bb_diaglist *diag);

/* The same for len bytes at data. */
int bb_mt_read_memory(const char *data, size_t len, const char *name, const bb_export_opts *opts, bb_export **out,
		      bb_diaglist *diag);

/* "MM/DD/YYYY hh:mm:ss AM|PM" (or 24-hour, seconds optional) as
 * "YYYY-MM-DD HH:MM:SS" in out. Returns 0, or -1 when s is no such date. */
int bb_mt_date(const char *s, char out[20]);

#endif
