/* atom.h: reading a Blogger export (an Atom feed, the classic kind#post
 * form and the 2018 blogger: form) into the neutral list of entry.h. */
#ifndef BB_ATOM_H
#define BB_ATOM_H

#include "diag.h"
#include "entry.h"

#include <stddef.h>

/* How sure we are that the first n bytes of a file begin a Blogger export:
 * 0 not at all .. 100 certain. */
int bb_atom_bid(const char *head, size_t n);

/* Reads the Blogger export at path (named name in messages) as a stream.
 * Lists posts and pages (type "post"/"page"; status "publish", or "draft"
 * for app:draft yes / blogger:status DRAFT); labels become categories; the
 * published date is given in GMT; comments are attached to their post.
 * Settings and templates are left out. A prefix used but never declared
 * (app:, as some exports have) is read as its usual namespace with a
 * warning. Broken files are read as in bb_wxr_read_file. Returns 0 and
 * *out (free with bb_export_free), or -1 with an error in diag. opts may
 * be NULL. */
int bb_atom_read_file(const char *path, const char *name, const bb_export_opts *opts, bb_export **out,
		      bb_diaglist *diag);

/* The same for len bytes at data. */
int bb_atom_read_memory(const char *data, size_t len, const char *name, const bb_export_opts *opts,
			bb_export **out, bb_diaglist *diag);

#endif
