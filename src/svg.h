/* svg.h: an SVG image as a book may hold it: a document type naming an
 * outside DTD (which EPUB forbids) removed through libxml2. */
#ifndef BB_SVG_H
#define BB_SVG_H

#include <libxml/tree.h>
#include <stddef.h>

/* Returns 1 when doc's document type names an outside DTD (a public or
 * system identifier) and declares nothing itself: the DTD can go and the
 * document means the same. 0 when it has no document type. -1 when it
 * cannot go: the DTD declares entities or elements, or the document would
 * need the DTD (its root is not an svg element in the SVG namespace, or
 * its namespaces are not well-formed without the DTD's defaults, or it
 * refers to an entity the DTD would declare). */
int bb_svg_doctype_kind(xmlDocPtr doc);

/* Reads the SVG file path (at most max bytes, never a network or outside
 * file: the DTD is not loaded) and, when bb_svg_doctype_kind says its
 * document type can go, writes the document without it (UTF-8, through
 * libxml2's serializer) into *out (caller frees with free), *len bytes,
 * and returns 1. Returns 0 when the file needs no change (*out NULL), -1
 * with *why (a static string) when it cannot be read or parsed, or its
 * document type cannot go. */
int bb_svg_without_doctype(const char *path, size_t max, unsigned char **out, size_t *len, const char **why);

#endif
