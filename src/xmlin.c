/* xmlin.c: a bounded, entity-free XML stream reader for export files (see xmlin.h). */
#include "xmlin.h"
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>

/* Bytes of a file read to check its prolog. */
#define PROLOG_MAX 65536
/* Parser problems handed over one by one; the rest are counted. */
#define MAX_REPORTED 20

/* No network, no DTD loading, no entity substitution, keep going after a
 * well-formedness error; CDATA merged into text. */
#define OPTIONS (XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOCDATA | XML_PARSE_COMPACT | \
		 XML_PARSE_BIG_LINES)

static size_t
S_find(const char *p, size_t n, size_t from, const char *what)
{
	size_t k = strlen(what), i;
	for (i = from; i + k <= n; i++)
		if (p[i] == what[0] && memcmp(p + i, what, k) == 0)
			return i;
	return (size_t)-1;
}

int
bb_xmlin_check_prolog(const char *p, size_t n, int complete, const char **why)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t i = 0, e;

	*why = NULL;
	if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		i = 3;
	if (n >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE) || u[0] == 0 || u[1] == 0)) {
		*why = "written in UTF-16 or UTF-32: only UTF-8 and other ASCII-based encodings are read";
		return -1;
	}
	for (;;) {
		while (i < n && (u[i] == ' ' || u[i] == '\t' || u[i] == '\r' || u[i] == '\n'))
			i++;
		if (i >= n)
			break;
		if (u[i] != '<')
			return 0; /* text before the root: the parser says what is wrong */
		if (n - i >= 2 && u[i + 1] == '?') {
			if ((e = S_find(p, n, i + 2, "?>")) == (size_t)-1)
				break;
			i = e + 2;
		} else if (n - i >= 4 && memcmp(p + i, "<!--", 4) == 0) {
			if ((e = S_find(p, n, i + 4, "-->")) == (size_t)-1)
				break;
			i = e + 3;
		} else if (n - i >= 2 && u[i + 1] == '!') {
			/* a document type: find its end ('>' outside quotes and
			 * outside the internal subset), refusing any entity
			 * declaration in it (a comment naming one too: that is
			 * rare enough to be refused with the rest) */
			int inq = 0, depth = 0;
			size_t j;
			for (j = i + 2; j < n; j++) {
				char c = p[j];
				if (inq) {
					if (c == inq)
						inq = 0;
				} else if (c == '"' || c == '\'') {
					inq = c;
				} else if (c == '[') {
					depth++;
				} else if (c == ']') {
					depth--;
				} else if (c == '<' && n - j >= 8 && memcmp(p + j, "<!ENTITY", 8) == 0) {
					*why = "its document type declares entities (an export never does; external "
					       "entities and entity expansion are not read)";
					return -1;
				} else if (c == '>' && depth <= 0) {
					break;
				}
			}
			if (j >= n)
				break;
			i = j + 1;
		} else {
			return 0; /* the root element */
		}
	}
	if (complete)
		return 0;
	*why = "its prolog (before the first element) is longer than 64 KB";
	return -1;
}

static void
S_error(void *arg, xmlErrorPtr e)
{
	bb_xmlin *in = arg;
	char msg[256];
	size_t k;

	if (!e)
		return;
	if (e->level >= XML_ERR_ERROR)
		in->broken = 1;
	if (e->domain == XML_FROM_NAMESPACE) {
		/* reported by bb_xmlin_name, once per prefix */
		return;
	}
	if (in->reported >= MAX_REPORTED) {
		in->dropped++;
		return;
	}
	snprintf(msg, sizeof msg, "%s", e->message ? e->message : "XML error");
	k = strlen(msg);
	while (k && (msg[k - 1] == '\n' || msg[k - 1] == ' '))
		msg[--k] = '\0';
	/* libxml2 quotes bytes of the input in some messages: keep them printable */
	for (k = 0; msg[k]; k++)
		if ((unsigned char)msg[k] < 0x20 || (unsigned char)msg[k] >= 0x7F)
			msg[k] = '?';
	in->reported++;
	bb_diag_add(in->diag, BB_WARNING, in->name, e->line > 0 ? (unsigned)e->line : 0,
		    e->int2 > 0 ? (unsigned)e->int2 : 0, "XML: %s (read on as far as possible)", msg);
}

/* The bytes of a document, from a file or from memory, passed through a
 * UTF-8 filter when the document is in UTF-8. */
typedef struct bb_xmlsrc {
	FILE *f;
	const unsigned char *mem;
	size_t memlen, mempos;
	unsigned char carry[4];   /* the start of a sequence cut by a read */
	size_t ncarry;
	int eof;
	int filter;
	unsigned line, col;       /* of the next input byte */
	unsigned long bad;        /* characters replaced */
	unsigned bad_line, bad_col;
	unsigned char out[3 * 4096]; /* filtered bytes not yet handed over */
	size_t outpos, outlen;
} bb_xmlsrc;

/* 1 when the XML declaration in the first n bytes names no encoding or
 * UTF-8. */
static int
S_is_utf8(const char *p, size_t n)
{
	size_t e, i;
	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3, n -= 3;
	if (n < 5 || memcmp(p, "<?xml", 5) != 0)
		return 1;
	if ((e = S_find(p, n, 0, "?>")) == (size_t)-1)
		e = n;
	if ((i = S_find(p, e, 0, "encoding")) == (size_t)-1)
		return 1;
	i += 8;
	while (i < e && (p[i] == ' ' || p[i] == '=' || p[i] == '"' || p[i] == '\''))
		i++;
	if (e - i >= 5 && (p[i] == 'u' || p[i] == 'U') && (p[i + 1] == 't' || p[i + 1] == 'T') &&
	    (p[i + 2] == 'f' || p[i + 2] == 'F') && p[i + 3] == '-' && p[i + 4] == '8')
		return 1;
	/* an encoding libxml2 does not know is read as UTF-8: filter it */
	{
		char name[64];
		size_t k = 0;
		xmlCharEncodingHandlerPtr h;
		while (i + k < e && k + 1 < sizeof name && p[i + k] != '"' && p[i + k] != '\'')
			name[k] = p[i + k], k++;
		name[k] = '\0';
		h = xmlFindCharEncodingHandler(name);
		if (!h)
			return 1;
		xmlCharEncCloseFunc(h);
		return 0;
	}
}

static size_t
S_src_raw(bb_xmlsrc *s, unsigned char *buf, size_t n)
{
	size_t r;
	if (s->eof)
		return 0;
	if (s->f) {
		r = fread(buf, 1, n, s->f);
		if (r < n)
			s->eof = 1;
		return r;
	}
	r = s->memlen - s->mempos < n ? s->memlen - s->mempos : n;
	memcpy(buf, s->mem + s->mempos, r);
	s->mempos += r;
	if (s->mempos == s->memlen)
		s->eof = 1;
	return r;
}

static void
S_src_put(bb_xmlsrc *s, unsigned char *out, size_t *o, const unsigned char *p, size_t k, int ok)
{
	if (ok) {
		memcpy(out + *o, p, k);
		*o += k;
	} else {
		if (!s->bad++)
			s->bad_line = s->line, s->bad_col = s->col;
		memcpy(out + *o, "\xEF\xBF\xBD", 3);
		*o += 3;
	}
	if (p[0] == '\n')
		s->line++, s->col = 1;
	else
		s->col++;
}

/* The count of bytes at u, in whole words of 8, that are all printable
 * ASCII (0x20 to 0x7F): a word is tested at once. */
static size_t
S_ascii_words(const unsigned char *u, size_t n)
{
	size_t i = 0;
	while (i + 8 <= n && bb_ascii8(u + i, 0x20))
		i += 8;
	return i;
}

/* 1 when the n bytes at u start with a three-byte UTF-8 sequence that is
 * neither a surrogate nor U+FFFE/U+FFFF (lead byte E1-EC or EE): one that
 * XML allows, checked without decoding it. */
static int
S_plain3(const unsigned char *u, size_t n)
{
	return n >= 3 && ((u[0] >= 0xE1 && u[0] <= 0xEC) || u[0] == 0xEE) && (u[1] & 0xC0) == 0x80 &&
	       (u[2] & 0xC0) == 0x80;
}

/* Fills s->out with the next filtered bytes; leaves it empty at the end. */
static void
S_src_fill(bb_xmlsrc *s)
{
	unsigned char in[4096 + 4];
	size_t n, i, o;

	do {
		i = o = 0;
		memcpy(in, s->carry, s->ncarry);
		n = s->ncarry;
		s->ncarry = 0;
		if (!s->eof)
			n += S_src_raw(s, in + n, 4096 - n);
		while (i < n) {
			unsigned cp;
			int k;
			/* printable ASCII, most of a file, as S_src_put would
			 * copy it, without the decoder */
			while (i < n && ((in[i] >= 0x20 && in[i] < 0x80) || in[i] == '\t' || in[i] == '\r')) {
				s->out[o++] = in[i++];
				s->col++;
			}
			if (i == n)
				break;
			if (S_plain3(in + i, n - i)) {
				/* most of a Japanese text, as S_src_put copies it */
				memcpy(s->out + o, in + i, 3);
				o += 3, i += 3;
				s->col++;
				continue;
			}
			k = bb_utf8_decode(in + i, n - i, &cp);
			if (k == 0) {
				if (n - i < 4 && !s->eof && in[i] >= 0xC2 && in[i] <= 0xF4) {
					/* maybe a sequence cut by the read: wait for the rest */
					memcpy(s->carry, in + i, n - i);
					s->ncarry = n - i;
					break;
				}
				S_src_put(s, s->out, &o, in + i, 1, 0);
				i++;
				continue;
			}
			S_src_put(s, s->out, &o, in + i, (size_t)k,
				  !((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE ||
				    cp == 0xFFFF));
			i += (size_t)k;
		}
		/* only a carried start so far: read on */
	} while (o == 0 && s->ncarry && !s->eof);
	s->outpos = 0;
	s->outlen = o;
}

/* libxml2's read callback: at most len bytes of filtered text. */
static int
S_src_read(void *ctx, char *buf, int len)
{
	bb_xmlsrc *s = ctx;
	size_t k;

	if (len <= 0)
		return 0;
	if (!s->filter)
		return (int)S_src_raw(s, (unsigned char *)buf, (size_t)len);
	if (s->outpos == s->outlen)
		S_src_fill(s);
	k = s->outlen - s->outpos;
	if (k > (size_t)len)
		k = (size_t)len;
	memcpy(buf, s->out + s->outpos, k);
	s->outpos += k;
	return (int)k;
}

static int
S_src_close(void *ctx)
{
	(void)ctx;
	return 0;
}

static void
S_quiet(void *arg, xmlErrorPtr e)
{
	bb_xmlin *in = arg;
	(void)e;
	in->dropped++;
}

static int
S_open(bb_xmlin *in, const char *name, bb_diaglist *diag, int recover)
{
	if (recover == BB_XMLIN_BYTES)
		return 0; /* the caller parses the bytes (bb_xmlin_read) */
	if (recover) {
		/* the complaints of this pass were reported by the streamed one */
		xmlSetStructuredErrorFunc(in, S_quiet);
		in->doc = xmlReadIO(S_src_read, S_src_close, in->src, name, NULL, OPTIONS);
		xmlSetStructuredErrorFunc(NULL, NULL);
		in->recovering = 1;
		in->dropped = 0;
		if (!in->doc) {
			bb_diag_add(diag, BB_ERROR, name, 0, 0, "not read: even libxml2's recover mode finds no document");
			return -1;
		}
		in->r = xmlReaderWalker(in->doc);
	} else {
		in->r = xmlReaderForIO(S_src_read, S_src_close, in->src, name, NULL, OPTIONS);
	}
	if (!in->r) {
		bb_diag_add(diag, BB_ERROR, name, 0, 0, "cannot start the XML reader");
		return -1;
	}
	if (!recover) /* a walker has no parser to complain */
		xmlTextReaderSetStructuredErrorHandler(in->r, S_error, in);
	return 0;
}

int
bb_xmlin_open_file(bb_xmlin *in, const char *path, const char *name, bb_diaglist *diag, int recover)
{
	FILE *f;
	char *head = NULL;
	size_t n;
	int complete;
	const char *why;

	memset(in, 0, sizeof *in);
	in->name = name;
	in->diag = diag;
	{
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			bb_diag_add(diag, BB_ERROR, name, 0, 0, "a folder, not an export file");
			return -1;
		}
		if (stat(path, &st) == 0 && st.st_size == 0) {
			bb_diag_add(diag, BB_ERROR, name, 0, 0, "an empty file, not an export");
			return -1;
		}
	}
	if (!(f = fopen(path, "rb"))) {
		bb_diag_add(diag, BB_ERROR, name, 0, 0, "cannot open the file: %s", strerror(errno));
		return -1;
	}
	head = bb_xmalloc(PROLOG_MAX);
	n = fread(head, 1, PROLOG_MAX, f);
	complete = n < PROLOG_MAX;
	if (bb_xmlin_check_prolog(head, n, complete, &why) < 0) {
		free(head);
		fclose(f);
		bb_diag_add(diag, BB_ERROR, name, 1, 1, "not read: %s", why);
		return -1;
	}
	rewind(f);
	in->src = bb_xcalloc(1, sizeof *in->src);
	in->src->f = f;
	in->src->filter = S_is_utf8(head, n);
	in->src->line = in->src->col = 1;
	free(head);
	return S_open(in, name, diag, recover);
}

int
bb_xmlin_open_memory(bb_xmlin *in, const char *data, size_t len, const char *name, bb_diaglist *diag, int recover)
{
	const char *why;
	size_t head = len < PROLOG_MAX ? len : PROLOG_MAX;

	memset(in, 0, sizeof *in);
	in->name = name;
	in->diag = diag;
	if (len == 0) {
		bb_diag_add(diag, BB_ERROR, name, 0, 0, "an empty file, not an export");
		return -1;
	}
	if (bb_xmlin_check_prolog(data, head, len <= PROLOG_MAX, &why) < 0) {
		bb_diag_add(diag, BB_ERROR, name, 1, 1, "not read: %s", why);
		return -1;
	}
	in->src = bb_xcalloc(1, sizeof *in->src);
	in->src->mem = (const unsigned char *)data;
	in->src->memlen = len;
	in->src->eof = len == 0;
	in->src->filter = S_is_utf8(data, head);
	in->src->line = in->src->col = 1;
	return S_open(in, name, diag, recover);
}

int
bb_xmlin_read(bb_xmlin *in, char *buf, int len)
{
	return in->src ? S_src_read(in->src, buf, len) : 0;
}

int
bb_xmlin_bad_bytes(const bb_xmlin *in)
{
	return in->src && in->src->bad;
}

int
bb_xmlin_utf8(const bb_xmlin *in)
{
	return in->src && in->src->filter;
}

void
bb_xmlin_close(bb_xmlin *in)
{
	if (in->src && in->src->bad && !in->recovering)
		bb_diag_add(in->diag, BB_WARNING, in->name, in->src->bad_line, in->src->bad_col,
			    "%lu bytes that are not UTF-8 (or characters XML forbids) replaced by U+FFFD, the first here",
			    in->src->bad);
	if (in->dropped && !in->recovering)
		bb_diag_add(in->diag, BB_WARNING, in->name, 0, 0, "XML: %u more problems not shown", in->dropped);
	if (in->r)
		xmlFreeTextReader(in->r);
	if (in->doc)
		xmlFreeDoc(in->doc);
	if (in->src) {
		if (in->src->f)
			fclose(in->src->f);
		free(in->src);
	}
	in->r = NULL;
	in->doc = NULL;
	in->src = NULL;
}

int
bb_xmlin_fix_utf8(bb_buf *b)
{
	bb_buf o = BB_BUF_INIT;
	const unsigned char *u = (const unsigned char *)b->data;
	size_t i = 0;
	int bad = 0;
	if (!b->data)
		return 0;
	while (i < b->len) {
		unsigned cp;
		int k;
		if ((u[i] >= 0x20 && u[i] < 0x80) || u[i] == '\t' || u[i] == '\n' || u[i] == '\r') {
			i++; /* ASCII that is allowed: most of a text */
			i += S_ascii_words(u + i, b->len - i);
			continue;
		}
		if (S_plain3(u + i, b->len - i)) {
			i += 3;
			continue;
		}
		k = bb_utf8_decode(u + i, b->len - i, &cp);
		if (k == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF) {
			bad = 1;
			break;
		}
		i += (size_t)k;
	}
	if (!bad)
		return 0;
	i = 0;
	while (i < b->len) {
		unsigned cp;
		int k = bb_utf8_decode(u + i, b->len - i, &cp);
		if (k == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF) {
			bb_buf_puts(&o, "\xEF\xBF\xBD");
			i += k ? (size_t)k : 1;
			continue;
		}
		bb_buf_put(&o, u + i, (size_t)k);
		i += (size_t)k;
	}
	bb_buf_free(b);
	*b = o;
	return 1;
}

unsigned
bb_xmlin_line(bb_xmlin *in)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(in->r);
	/* the node's line, where its start tag ends, as SAX2 gives it to a
	 * pass of its own: the reader's parser has read on by then. An
	 * element past line 65534 keeps none (libxml2 2.9): the parser's. */
	long l = n ? xmlGetLineNo(n) : 0;
	if (!in->doc && (l <= 0 || l >= 65535))
		l = xmlTextReaderGetParserLineNumber(in->r);
	return l > 0 ? (unsigned)l : 0;
}

int
bb_xmlin_ns_class(const char *uri)
{
	size_t k = strlen(uri);
	if (strstr(uri, "wordpress.org/export/"))
		return k >= 8 && strcmp(uri + k - 8, "excerpt/") == 0 ? BB_NS_EXCERPT : BB_NS_WP;
	if (strstr(uri, "purl.org/rss/1.0/modules/content"))
		return BB_NS_CONTENT;
	if (strstr(uri, "purl.org/dc/elements"))
		return BB_NS_DC;
	if (strcmp(uri, "http://www.w3.org/2005/Atom") == 0)
		return BB_NS_ATOM;
	if (strstr(uri, "purl.org/atom/app") || strcmp(uri, "http://www.w3.org/2007/app") == 0)
		return BB_NS_APP;
	if (strstr(uri, "purl.org/syndication/thread"))
		return BB_NS_THR;
	if (strstr(uri, "schemas.google.com/blogger/"))
		return BB_NS_BLOGGER;
	return BB_NS_OTHER;
}

static int
S_class_prefix(const char *p, size_t n)
{
	static const struct { const char *p; int ns; } t[] = {
		{ "wp", BB_NS_WP }, { "excerpt", BB_NS_EXCERPT }, { "content", BB_NS_CONTENT },
		{ "dc", BB_NS_DC }, { "app", BB_NS_APP }, { "thr", BB_NS_THR }, { "atom", BB_NS_ATOM }, { "blogger", BB_NS_BLOGGER },
	};
	size_t i;
	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strlen(t[i].p) == n && memcmp(t[i].p, p, n) == 0)
			return t[i].ns;
	return BB_NS_OTHER;
}

const char *
bb_xmlin_name(bb_xmlin *in, int *ns)
{
	const char *local = (const char *)xmlTextReaderConstLocalName(in->r);
	const char *uri = (const char *)xmlTextReaderConstNamespaceUri(in->r);
	const char *colon;

	if (!local) {
		*ns = BB_NS_NONE;
		return "";
	}
	if (uri) {
		*ns = bb_xmlin_ns_class(uri);
		return local;
	}
	if (!(colon = strchr(local, ':'))) {
		*ns = BB_NS_NONE;
		return local;
	}
	/* a prefix never declared: libxml2 keeps the qualified name */
	*ns = S_class_prefix(local, (size_t)(colon - local));
	{
		size_t k = (size_t)(colon - local), i;
		int seen = 0;
		for (i = 0; i < sizeof in->ns_seen / sizeof in->ns_seen[0]; i++)
			if (in->ns_seen[i][0] && strlen(in->ns_seen[i]) == k && memcmp(in->ns_seen[i], local, k) == 0)
				seen = 1;
		if (!seen && !in->recovering && in->ns_reported < sizeof in->ns_seen / sizeof in->ns_seen[0] && k < sizeof in->ns_seen[0]) {
			memcpy(in->ns_seen[in->ns_reported], local, k);
			in->ns_seen[in->ns_reported][k] = '\0';
			in->ns_reported++;
			bb_diag_add(in->diag, BB_WARNING, in->name, bb_xmlin_line(in), 0,
				    "the XML prefix '%.*s:' is used but never declared (the file is not well-formed): "
				    "read as the usual %s namespace", (int)k, local,
				    *ns == BB_NS_OTHER ? "(unknown)" : "export's");
		}
	}
	return colon + 1;
}

int
bb_xmlin_has(const char *h, size_t n, const char *what)
{
	size_t k = strlen(what), i;
	for (i = 0; i + k <= n; i++)
		if (h[i] == what[0] && memcmp(h + i, what, k) == 0)
			return 1;
	return 0;
}
