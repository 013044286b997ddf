/* xmlout.c: the package documents' XML writer: libxml2's xmlTextWriter
 * output (indent "  ", UTF-8), written by appending to one buffer. */
#include "xmlout.h"

#include <stdlib.h>
#include <string.h>

/* The sink gets the document in pieces of about this size. */
#define S_CHUNK (64 * 1024)

/* What libxml2 escapes: in text < > & " and CR (xmlEncodeSpecialChars); in
 * attribute values also LF and TAB (xmlBufAttrSerializeTxtContent). */
static const char *
S_entity(unsigned char c, int attr)
{
	switch (c) {
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '&': return "&amp;";
	case '"': return "&quot;";
	case '\r': return "&#13;";
	case '\n': return attr ? "&#10;" : NULL;
	case '\t': return attr ? "&#9;" : NULL;
	default: return NULL;
	}
}

static void
S_flush(bb_xw *w)
{
	if (w->buf.len && !w->err && w->sink->write(w->sink->ctx, w->buf.data, w->buf.len) != 0)
		w->err = 1;
	w->buf.len = 0;
}

/* Appends n bytes at p: where they fit, a plain copy (bb_buf_put's
 * growth check and NUL were a fifth of the NCX's writing); else the
 * buffer goes to the sink first, or grows for a longer value. */
static void
S_put(bb_xw *w, const char *p, size_t n)
{
	if (w->buf.cap - w->buf.len <= n) {
		S_flush(w);
		if (w->buf.cap <= n)
			bb_buf_grow(&w->buf, n);
	}
	memcpy(w->buf.data + w->buf.len, p, n);
	w->buf.len += n;
}

#define S_PUTS(w, lit) S_put((w), (lit), sizeof(lit) - 1)

/* Appends s escaped: runs of plain bytes in one copy. */
static void
S_escaped(bb_xw *w, const char *s, int attr)
{
	const char *run, *e;
	if (!s)
		return; /* libxml2 writes nothing for a NULL value */
	for (run = s; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c > '>' || (c > '&' && c < '<') || !(e = S_entity(c, attr)))
			continue;
		S_put(w, run, (size_t)(s - run));
		S_put(w, e, strlen(e));
		run = s + 1;
	}
	S_put(w, run, (size_t)(s - run));
}

static void
S_indent(bb_xw *w, size_t n)
{
	static const char spaces[] = "                                                                ";
	while (n) {
		size_t k = n * 2 < sizeof spaces - 1 ? n * 2 : sizeof spaces - 1;
		S_put(w, spaces, k);
		n -= k / 2;
	}
}

void
bb_xw_init(bb_xw *w, const bb_sink *sink, int doctype_html)
{
	memset(w, 0, sizeof *w);
	w->sink = sink;
	bb_buf_grow(&w->buf, S_CHUNK - 1);
	S_PUTS(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (doctype_html)
		S_PUTS(w, "<!DOCTYPE html>\n");
}

/* Ends the innermost start tag with '>' if it is still open: then a line
 * break before a child element, none before text. */
static void
S_close_start(bb_xw *w, int child)
{
	if (w->named)
		S_put(w, ">\n", child ? 2 : 1);
	w->named = 0;
}

void
bb_xw_start(bb_xw *w, const char *name)
{
	S_close_start(w, 1);
	w->named = 1;
	S_indent(w, w->depth);
	S_PUTS(w, "<");
	S_put(w, name, strlen(name));
	if (w->depth == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->open = bb_xrealloc(w->open, w->cap * sizeof *w->open);
	}
	w->open[w->depth++] = name;
}

void
bb_xw_attr(bb_xw *w, const char *name, const char *value)
{
	S_PUTS(w, " ");
	S_put(w, name, strlen(name));
	S_PUTS(w, "=\"");
	S_escaped(w, value, 1);
	S_PUTS(w, "\"");
}

void
bb_xw_text(bb_xw *w, const char *text)
{
	/* libxml2 writes nothing for NULL: the element stays empty (<t/>) */
	if (!text)
		return;
	S_close_start(w, 0);
	w->doindent = 0;
	S_escaped(w, text, 0);
}

void
bb_xw_end(bb_xw *w)
{
	const char *name;
	if (!w->depth)
		return;
	name = w->open[--w->depth];
	if (w->named)
		S_PUTS(w, "/>\n");
	else {
		if (w->doindent)
			S_indent(w, w->depth);
		S_PUTS(w, "</");
		S_put(w, name, strlen(name));
		S_PUTS(w, ">\n");
	}
	w->named = 0;
	w->doindent = 1;
}

void
bb_xw_element(bb_xw *w, const char *name, const char *text)
{
	bb_xw_start(w, name);
	bb_xw_text(w, text);
	bb_xw_end(w);
}

int
bb_xw_done(bb_xw *w)
{
	while (w->depth)
		bb_xw_end(w);
	S_flush(w);
	bb_buf_free(&w->buf);
	free(w->open);
	w->open = NULL;
	return w->err ? -1 : 0;
}
