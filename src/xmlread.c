/* xmlread.c: cmark-gfm's HTML, when markdown.c found it well-formed XML,
 * read straight into a libxml2 tree: the tree libxml2's XML parser makes
 * of it, for a fraction of its cost (the parser was an eighth of a bind:
 * a character at a time, a callback for each piece of text). */
#include "xmlread.h"
#include "util.h"

#include <stdint.h>
#include <string.h>

/* Deeper than this, libxml2 reads the text (its limit without
 * XML_PARSE_HUGE; with it there is none, and nothing is lost by leaving
 * so rare a post to it). */
#define MAX_DEPTH 256
#define MAX_NAME 64

typedef struct S_rd {
	xmlDocPtr doc;
	xmlNodePtr cur;  /* the element open last */
	size_t depth;
	bb_buf text;     /* character data not yet in a node */
	bb_buf val;      /* an attribute's value */
} S_rd;

/* Bytes that end a run of character data: markup, a reference, and ']'
 * (XML forbids "]]>" in text). */
static const unsigned char S_stop[256] = { ['<'] = 1, ['&'] = 1, [']'] = 1, ['\0'] = 1 };

/* 1 when one of the eight bytes at s may be in S_stop ('<', '&' or ']';
 * the text holds no NUL): the bytes equal to each become zero, and a zero
 * byte is found by the borrow it makes. */
static int
S_stop8(const char *s)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t w, a, b, c;
	memcpy(&w, s, 8);
	a = w ^ (ones * '<');
	b = w ^ (ones * '&');
	c = w ^ (ones * ']');
	return (((a - ones) & ~a) | ((b - ones) & ~b) | ((c - ones) & ~c)) & highs ? 1 : 0;
}

/* The pending text as one node, the parser's way: it joins every piece of
 * character data and every reference between two tags into one. */
static void
S_flush(S_rd *r)
{
	xmlNodePtr t;
	if (!r->text.len)
		return;
	/* a short text (most are a line break between two blocks) lives in
	 * the dictionary, as the parser keeps it: no allocation of its own */
	if (r->text.len < 4 * sizeof(xmlChar *)) {
		t = xmlNewDocText(r->doc, NULL);
		t->content = (xmlChar *)xmlDictLookup(r->doc->dict, (const xmlChar *)r->text.data, (int)r->text.len);
	} else
		t = xmlNewDocTextLen(r->doc, (const xmlChar *)r->text.data, (int)r->text.len);
	xmlAddChild(r->cur, t);
	r->text.len = 0;
}

/* 1 when cp is a character XML allows. */
static int
S_xml_char(unsigned long cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	       (cp >= 0x10000 && cp <= 0x10FFFF);
}

/* The reference at s (s[0] == '&') appended to out as UTF-8. Returns its
 * length, or 0 when it is not one of XML's five entities or a character
 * reference to a character XML allows. */
static size_t
S_ref(const char *s, const char *end, bb_buf *out)
{
	static const struct { const char *ref; char c; } named[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' },
	};
	unsigned long cp = 0;
	size_t i, k;
	for (i = 0; i < sizeof named / sizeof *named; i++) {
		k = strlen(named[i].ref);
		if ((size_t)(end - s) >= k && memcmp(s, named[i].ref, k) == 0) {
			bb_buf_putc(out, named[i].c);
			return k;
		}
	}
	if (end - s < 4 || s[1] != '#')
		return 0;
	i = 2;
	if (s[2] == 'x') {
		for (i = 3; s + i < end && i < 12; i++) {
			int c = s[i];
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (d < 0 || cp > 0x10FFFF)
				break;
			cp = cp * 16 + (unsigned long)d;
		}
		if (i == 3)
			return 0;
	} else {
		/* past U+10FFFF it stops: no wrap where long is 32 bits */
		for (; s + i < end && i < 12 && s[i] >= '0' && s[i] <= '9' && cp <= 0x10FFFF; i++)
			cp = cp * 10 + (unsigned long)(s[i] - '0');
		if (i == 2)
			return 0;
	}
	if (s + i >= end || s[i] != ';' || !S_xml_char(cp))
		return 0;
	bb_buf_put_utf8(out, (unsigned)cp);
	return i + 1;
}

/* An XML name without a colon, ASCII only, at s: its length (at most
 * MAX_NAME - 1), or 0. */
static size_t
S_name(const char *s, const char *end)
{
	size_t i = 0;
	if (s >= end || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return 0;
	for (i = 1; s + i < end && i < MAX_NAME; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.'))
			break;
	}
	return i < MAX_NAME ? i : 0;
}

/* The attributes of el from s (after its name) to the end of its tag.
 * Returns the position after the tag's '>', with *empty set for "/>", or
 * NULL when the tag is not in the subset. */
static const char *
S_attrs(S_rd *r, xmlNodePtr el, const char *s, const char *end, int *empty)
{
	char name[MAX_NAME];
	for (;;) {
		size_t k;
		xmlAttrPtr a;
		if (s < end && *s == '>')
			return s + 1;
		if (end - s >= 2 && s[0] == '/' && s[1] == '>') {
			*empty = 1;
			return s + 2;
		}
		/* XML wants a space before each attribute */
		if (s >= end || *s != ' ')
			return NULL;
		while (s < end && *s == ' ')
			s++;
		if (s < end && (*s == '>' || *s == '/'))
			continue;
		/* xmlns declares a name space, not an attribute */
		if (!(k = S_name(s, end)) || (k >= 3 && strncmp(s, "xml", 3) == 0) || end - s < (long)k + 2 ||
		    s[k] != '=' || s[k + 1] != '"')
			return NULL;
		memcpy(name, s, k);
		name[k] = '\0';
		for (a = el->properties; a; a = a->next)
			if (strcmp((const char *)a->name, name) == 0)
				return NULL; /* twice: not well-formed */
		s += k + 2;
		bb_buf_reset(&r->val);
		while (s < end && *s != '"') {
			if (*s == '&') {
				size_t m = S_ref(s, end, &r->val);
				if (!m)
					return NULL;
				s += m;
				continue;
			}
			/* XML turns these into spaces in a value; '<' may not stand in one */
			if (*s == '<' || *s == '\t' || *s == '\n' || *s == '\r')
				return NULL;
			bb_buf_putc(&r->val, *s);
			s++;
		}
		if (s >= end)
			return NULL;
		s++;
		xmlNewProp(el, (const xmlChar *)name, (const xmlChar *)(r->val.data ? r->val.data : ""));
	}
}

/* A tag at s (s[0] == '<'). Returns the position after it, or NULL. */
static const char *
S_tag(S_rd *r, const char *s, const char *end)
{
	char name[MAX_NAME];
	size_t k;
	xmlNodePtr el;
	int empty = 0;
	S_flush(r);
	if (s + 1 < end && s[1] == '/') {
		k = S_name(s + 2, end);
		if (!k || r->depth == 0 || s + 2 + k >= end || s[2 + k] != '>' ||
		    strlen((const char *)r->cur->name) != k || memcmp(r->cur->name, s + 2, k) != 0)
			return NULL;
		r->cur = r->cur->parent;
		r->depth--;
		return s + 3 + k;
	}
	if (!(k = S_name(s + 1, end)) || r->depth >= MAX_DEPTH)
		return NULL;
	memcpy(name, s + 1, k);
	name[k] = '\0';
	el = xmlNewDocNode(r->doc, NULL, (const xmlChar *)name, NULL);
	xmlAddChild(r->cur, el);
	if (!(s = S_attrs(r, el, s + 1 + k, end, &empty)))
		return NULL;
	if (!empty) {
		r->cur = el;
		r->depth++;
	}
	return s;
}

xmlDocPtr
bb_xmlread(const char *html, size_t n)
{
	S_rd r;
	const char *s = html, *end = html + n;
	xmlNodePtr root;
	memset(&r, 0, sizeof r);
	r.doc = xmlNewDoc((const xmlChar *)"1.0");
	/* names in a dictionary, as the parser keeps them */
	r.doc->dict = xmlDictCreate();
	r.doc->encoding = xmlStrdup((const xmlChar *)"UTF-8");
	root = xmlNewDocNode(r.doc, NULL, (const xmlChar *)"html", NULL);
	xmlDocSetRootElement(r.doc, root);
	r.cur = xmlNewChild(root, NULL, (const xmlChar *)"body", NULL);
	while (s < end) {
		const char *t = s;
		while (t + 8 <= end && !S_stop8(t))
			t += 8;
		while (t < end && !S_stop[(unsigned char)*t])
			t++;
		if (t > s)
			bb_buf_put(&r.text, s, (size_t)(t - s));
		s = t;
		if (s >= end)
			break;
		if (*s == '<')
			s = S_tag(&r, s, end);
		else if (*s == '&') {
			size_t m = S_ref(s, end, &r.text);
			s = m ? s + m : NULL;
		} else if (*s == ']') {
			if (end - s >= 3 && s[1] == ']' && s[2] == '>')
				s = NULL;
			else
				bb_buf_putc(&r.text, *s++);
		} else
			s = NULL; /* a NUL */
		if (!s)
			break;
	}
	if (s && r.depth == 0)
		S_flush(&r);
	else {
		xmlFreeDoc(r.doc);
		r.doc = NULL;
	}
	bb_buf_free(&r.text);
	bb_buf_free(&r.val);
	return r.doc;
}
