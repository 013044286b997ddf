/* xmlout.h: a small streaming XML writer for the package documents (OPF,
 * nav, NCX) that writes the very bytes libxml2 2.9's xmlTextWriter writes
 * with indent "  " and encoding UTF-8, by plain appends: the writer's
 * per-call work was half of the nav's and NCX's time at a rebind. */
#ifndef BB_XMLOUT_H
#define BB_XMLOUT_H

#include "package.h"

typedef struct bb_xw {
	const bb_sink *sink;
	bb_buf buf;          /* written, not yet given to the sink */
	const char **open;   /* the open elements' names (static strings) */
	size_t depth, cap;
	int named;           /* the innermost start tag still lacks its '>' */
	int doindent;        /* an end tag goes on a line of its own */
	int err;             /* the sink failed: nothing more is written */
} bb_xw;

/* Starts a document into sink (which must outlive w): the XML declaration,
 * and "<!DOCTYPE html>" when doctype_html. Names given to bb_xw_start must
 * stay valid until their element ends. */
void bb_xw_init(bb_xw *w, const bb_sink *sink, int doctype_html);

/* <name on a line of its own, indented by depth. */
void bb_xw_start(bb_xw *w, const char *name);
/* name="value" (value escaped) on the open start tag. */
void bb_xw_attr(bb_xw *w, const char *name, const char *value);
/* Escaped text inside the innermost element. */
void bb_xw_text(bb_xw *w, const char *text);
/* Ends the innermost element ("/>" when it is empty). */
void bb_xw_end(bb_xw *w);
/* <name>text</name>. */
void bb_xw_element(bb_xw *w, const char *name, const char *text);

/* Ends every open element, gives the rest to the sink and frees what w
 * holds. Returns 0, or -1 when the sink failed. */
int bb_xw_done(bb_xw *w);

#endif
