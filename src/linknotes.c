/* linknotes.c: --link-notes: each link to the web gets a number after it
 * and an endnote at the end of its file that shows the URL, for reading
 * systems (e-ink) where a link cannot be followed. */
#define _POSIX_C_SOURCE 200809L
#include "xhtml_impl.h"
#include "linknotes.h"
#include "markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when the link's text already shows url ("https://x.org/a", "x.org/a",
 * or an address without its mailto:): a note would repeat it. */
static int
S_text_shows(xmlNodePtr n, const char *url)
{
	bb_buf t = BB_BUF_INIT;
	const char *s, *u = url, *e;
	size_t len;
	int same;
	bb_tree_text(n->children, &t, 1);
	s = t.data ? t.data : "";
	s += strspn(s, " \t\r\n");
	for (e = s + strlen(s); e > s && strchr(" \t\r\n", e[-1]); e--)
		;
	len = (size_t)(e - s);
	same = strlen(u) == len && strncmp(u, s, len) == 0;
	if (!same && (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0 || strncmp(u, "mailto:", 7) == 0)) {
		u = strchr(u, ':') + 1;
		u += strspn(u, "/");
		same = (strlen(u) == len && strncmp(u, s, len) == 0) ||
		       (strlen(u) == len + 1 && u[len] == '/' && strncmp(u, s, len) == 0);
	}
	bb_buf_free(&t);
	return same;
}

int
bb_link_note_add(bb_xhtml *st, xmlNodePtr n, const char *url)
{
	const char *id = st->p->id;
	int k;
	/* in the book ("p00002.xhtml#x", "#x"): nothing to show */
	if (!bb_url_has_scheme(url) || S_text_shows(n, url))
		return 0;
	k = ++st->note_seq;
	/* a footnote aside (as footnotes.c makes the post's own notes):
	 * doc-endnote on list items is deprecated (DPUB-ARIA 1.1) */
	bb_buf_printf(&st->notes, "<aside id=\"%s-ln%d\" class=\"link-note\" epub:type=\"footnote\" role=\"doc-footnote\"><p>",
		      id, k);
	bb_buf_printf(&st->notes, "<a href=\"#%s-lr%d\" epub:type=\"backlink\" role=\"doc-backlink\" aria-label=\"Back to link %d\">%d.</a> ",
		      id, k, k, k);
	bb_buf_puts(&st->notes, "<a class=\"url\"");
	bb_xhtml_put_attr(&st->notes, "href", url);
	bb_buf_putc(&st->notes, '>');
	bb_xhtml_put_text(&st->notes, url, 0);
	bb_buf_puts(&st->notes, "</a></p></aside>\n");
	return k;
}

void
bb_link_note_ref(bb_buf *o, const char *note_id, int k)
{
	bb_buf_printf(o, "<sup class=\"link-ref\"><a href=\"#%s-ln%d\" id=\"%s-lr%d\" epub:type=\"noteref\" role=\"doc-noteref\">%d</a></sup>",
		      note_id, k, note_id, k, k);
}

void
bb_xhtml_link_notes(bb_xhtml *x, bb_buf *o)
{
	if (!x->notes.len)
		return;
	bb_buf_puts(o, "<section class=\"link-notes\" epub:type=\"footnotes\" role=\"doc-endnotes\" aria-label=\"Links\">\n");
	bb_buf_put(o, x->notes.data, x->notes.len);
	bb_buf_puts(o, "</section>\n");
	bb_buf_reset(&x->notes);
}
