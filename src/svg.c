/* svg.c: an SVG image as a book may hold it: a document type naming an outside DTD removed through libxml2. */
#define _POSIX_C_SOURCE 200809L
#include "svg.h"
#include "util.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#define S_SVG_NS "http://www.w3.org/2000/svg"

/* 1 when n or a sibling after it, or their content, holds a reference to
 * an entity (one the DTD would declare: &nbsp; in a file that names
 * XHTML's or SVG's DTD). libxml2 parses no deeper than 256 levels. */
static int
S_has_entity_ref(xmlNodePtr n)
{
	for (; n; n = n->next)
		if (n->type == XML_ENTITY_REF_NODE || (n->type == XML_ELEMENT_NODE && S_has_entity_ref(n->children)))
			return 1;
	return 0;
}

int
bb_svg_doctype_kind(xmlDocPtr doc)
{
	xmlDtdPtr dtd = doc ? doc->intSubset : NULL;
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;

	if (!dtd)
		return 0;
	if (dtd->children || dtd->entities || dtd->pentities || dtd->elements || dtd->attributes)
		return -1;
	if (!dtd->ExternalID && !dtd->SystemID)
		return 0;
	/* SVG 1.0/1.1's DTDs give svg its namespace as a default attribute:
	 * a file that leaves it to them is no SVG without them */
	if (!root || !root->ns || strcmp((const char *)root->ns->href, S_SVG_NS) != 0
	    || strcmp((const char *)root->name, "svg") != 0 || !(doc->properties & XML_DOC_NSVALID)
	    || S_has_entity_ref(root))
		return -1;
	return 1;
}

int
bb_svg_without_doctype(const char *path, size_t max, unsigned char **out, size_t *len, const char **why)
{
	char *data = NULL;
	size_t n = 0;
	xmlDocPtr d;
	xmlDtdPtr dtd;
	xmlChar *buf = NULL;
	int blen = 0, kind;

	*out = NULL;
	*len = 0;
	if (bb_read_file(path, max, &data, &n) != 0 || n > (size_t)0x7fffffff) {
		free(data);
		*why = "cannot be read";
		return -1;
	}
	/* no DTD loaded, no entity substituted, no network */
	d = xmlReadMemory(data, (int)n, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	free(data);
	if (!d) {
		*why = "is an SVG image that is not well-formed XML";
		return -1;
	}
	kind = bb_svg_doctype_kind(d);
	if (kind <= 0) {
		xmlFreeDoc(d);
		if (kind < 0)
			*why = "is an SVG image that needs its document type's DTD";
		return kind;
	}
	dtd = d->intSubset;
	xmlUnlinkNode((xmlNodePtr)dtd);
	xmlFreeDtd(dtd);
	xmlDocDumpMemoryEnc(d, &buf, &blen, "UTF-8");
	xmlFreeDoc(d);
	if (!buf || blen <= 0) {
		xmlFree(buf);
		*why = "cannot be written without its document type";
		return -1;
	}
	*out = bb_xmalloc((size_t)blen);
	memcpy(*out, buf, (size_t)blen);
	*len = (size_t)blen;
	xmlFree(buf);
	return 1;
}
