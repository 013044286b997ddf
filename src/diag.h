/* diag.h: diagnostics collected per stage or per post and handed to the
 * caller's callback in a stable order, with the run's counts. */
#ifndef BB_DIAG_H
#define BB_DIAG_H

#include "blogbind.h"
#include <stddef.h>

typedef struct bb_diag_rec {
	bb_severity severity;
	int outside;    /* path is not in the blog's folder: given as it is */
	char *path;
	unsigned line, col;
	char *message;
} bb_diag_rec;

/* A list of diagnostics waiting to be handed over (a post rendered on a
 * worker thread keeps its own, flushed in post order). */
typedef struct bb_diaglist {
	bb_diag_rec *v;
	size_t n, cap;
} bb_diaglist;

/* Appends a diagnostic; path may be NULL. */
void bb_diag_add(bb_diaglist *l, bb_severity sev, const char *path, unsigned line, unsigned col,
		 const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

/* Like bb_diag_add for a file outside the blog (a template): its path is
 * handed over as it is, not joined to the blog's folder. */
void bb_diag_add_file(bb_diaglist *l, bb_severity sev, const char *path, unsigned line, unsigned col,
		      const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;

/* The run's sink: where lists are flushed, and the counts. */
typedef struct bb_diagsink {
	bb_diag_fn fn;
	void *ctx;
	const char *root;   /* the blog's folder, joined to paths in it */
	size_t warnings, errors;
} bb_diagsink;

/* Hands every record of l to the sink in order, counts them, empties l. */
void bb_diag_flush(bb_diagsink *s, bb_diaglist *l);

/* Moves the records of from to the end of to (its room at least doubled
 * when it grows); from is left empty. */
void bb_diag_move(bb_diaglist *to, bb_diaglist *from);

/* Frees the records; l itself may be reused. NULL allowed. */
void bb_diag_clear(bb_diaglist *l);

#endif
