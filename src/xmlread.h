/* xmlread.h: cmark-gfm's HTML read straight into a libxml2 tree, as
 * libxml2's XML parser reads it (see xmlread.c). */
#ifndef BB_XMLREAD_H
#define BB_XMLREAD_H

#include <libxml/tree.h>
#include <stddef.h>

/* The tree libxml2's XML parser (XML_PARSE_NOENT, no DTD, blanks kept)
 * makes of "<html><body>" html[0..n) "</body></html>": the same elements,
 * attributes in order, and text nodes joined as the parser joins them.
 * Reads a subset of XML only, the one cmark-gfm writes: start, end and
 * empty-element tags with double-quoted attributes, text, XML's five
 * entities and character references. Returns NULL, leaving the reading
 * to libxml2, for anything else (a comment, another entity, a name with
 * a colon, a tab or line break inside a tag, "]]>" in text, a tag left
 * open or closed twice). The caller frees the document (xmlFreeDoc). */
xmlDocPtr bb_xmlread(const char *html, size_t n);

#endif
