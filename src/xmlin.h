/* xmlin.h: reading an untrusted XML export file as a stream with libxml2's
 * xmlTextReader: no network, no external entity, no entity expansion (a
 * document type that declares entities is refused before parsing), the
 * parser's complaints collected as positioned warnings. Private to the
 * export readers (wxr.c, atom.c). */
#ifndef BB_XMLIN_H
#define BB_XMLIN_H

#include "diag.h"
#include "util.h"

#include <libxml/xmlreader.h>
#include <stddef.h>

/* An open reader and where its complaints go. */
typedef struct bb_xmlin {
	xmlTextReaderPtr r;
	const char *name;       /* the file's name in messages */
	bb_diaglist *diag;
	unsigned reported;      /* parser problems handed over so far */
	unsigned dropped;       /* and those past the bound, counted only */
	unsigned ns_reported;   /* namespace problems handed over */
	int broken;             /* the parser met an error (the file is not well-formed) */
	char ns_seen[4][32];    /* undeclared prefixes already reported */
	struct bb_xmlsrc *src;  /* the byte source and its UTF-8 filter */
	xmlDocPtr doc;          /* recovery: the whole document, walked */
	int recovering;         /* parser complaints are counted, not reported */
	unsigned utf8_fixed;    /* fields whose bytes bb_xmlin_fix_utf8 replaced */
} bb_xmlin;

/* Checks the start of a document (n bytes at p; complete when p holds the
 * whole document): its prolog may not hold a document type declaring
 * entities, and must end within the bytes given. Returns 0 when it may be
 * parsed, or -1 with a reason in why (a static string). */
int bb_xmlin_check_prolog(const char *p, size_t n, int complete, const char **why);

/* Opens a reader on the file path (streamed: memory stays bounded whatever
 * its size), after checking its prolog. A document in UTF-8 (declared or
 * not) goes through a filter that replaces each byte of an invalid
 * sequence, and each character XML forbids, by U+FFFD, with one warning
 * naming the first place. When recover is set, the whole document is
 * parsed first in libxml2's recover mode (it goes on past a broken tag,
 * where the stream stops) and the tree is walked; its complaints are only
 * counted (the streamed pass reported them). Returns 0, or -1 with an
 * error naming name in diag. Close with bb_xmlin_close. */
int bb_xmlin_open_file(bb_xmlin *in, const char *path, const char *name, bb_diaglist *diag, int recover);

/* The same for len bytes at data, which must outlive the reader. */
int bb_xmlin_open_memory(bb_xmlin *in, const char *data, size_t len, const char *name, bb_diaglist *diag,
			 int recover);

/* The recover argument of the openers that makes no reader: the caller
 * parses the document's bytes, read with bb_xmlin_read. */
#define BB_XMLIN_BYTES 2
/* Reads at most len of the document's bytes (through the UTF-8 filter)
 * into buf; returns their count, 0 at the end. */
int bb_xmlin_read(bb_xmlin *in, char *buf, int len);
/* 1 when the filter replaced bytes (bb_xmlin_close will warn). */
int bb_xmlin_bad_bytes(const bb_xmlin *in);
/* 1 when the document is read through the UTF-8 filter (it declares no
 * encoding, UTF-8, or one libxml2 does not know). */
int bb_xmlin_utf8(const bb_xmlin *in);
/* The namespace class (BB_NS_*) of a namespace URI. */
int bb_xmlin_ns_class(const char *uri);
/* Hands over the count of problems left unreported and frees the reader.
 * NULL-safe on a reader never opened (in->r NULL). */
void bb_xmlin_close(bb_xmlin *in);

/* Namespace classes of export elements. */
enum {
	BB_NS_NONE, BB_NS_WP, BB_NS_EXCERPT, BB_NS_CONTENT, BB_NS_DC,
	BB_NS_ATOM, BB_NS_APP, BB_NS_THR, BB_NS_BLOGGER, BB_NS_OTHER
};

/* The current node's local name and namespace class. An element whose
 * prefix was never declared (libxml2 then keeps "app:draft" as its name)
 * is classed by its prefix, with one warning per prefix. */
const char *bb_xmlin_name(bb_xmlin *in, int *ns);

/* Replaces what is not UTF-8 fit for XML in b by U+FFFD (a last guard:
 * libxml2 hands over text in an encoding it cannot read as it is).
 * Returns 1 when something was replaced. */
int bb_xmlin_fix_utf8(bb_buf *b);

/* The line of the current node. */
unsigned bb_xmlin_line(bb_xmlin *in);

/* 1 when the n bytes at h hold the string what (the first bytes of a file,
 * for a reader's bid). */
int bb_xmlin_has(const char *h, size_t n, const char *what);

#endif
