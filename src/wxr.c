/* wxr.c: a WordPress export (WXR) read as a stream into entries (see wxr.h). */
#include "wxr.h"
#include "util.h"
#include "xmlin.h"

#include <libxml/SAX2.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEF_TOTAL ((size_t)256 << 20)
#define DEF_FIELD ((size_t)32 << 20)
#define DEF_ITEMS ((size_t)1000000)
#define DEF_LIST ((size_t)10000)
#define MAX_AUTHORS 1000

/* Where the reader is: the element whose children it is reading. */
enum ctx { C_TOP, C_CHANNEL, C_AUTHOR, C_ITEM, C_COMMENT, C_META };

/* The fields kept. */
enum field {
	F_NONE,
	/* channel */
	F_TITLE, F_LINK, F_DESC, F_LANG, F_SITE, F_BLOG, F_VERSION,
	/* wp:author */
	F_A_LOGIN, F_A_DISPLAY,
	/* item */
	F_I_TITLE, F_I_LINK, F_I_GUID, F_I_CREATOR, F_I_BODY, F_I_EXCERPT, F_I_ID, F_I_DATE, F_I_DATE_GMT,
	F_I_SLUG, F_I_STATUS, F_I_PARENT, F_I_TYPE, F_I_ATTACH, F_I_CATEGORY,
	/* wp:postmeta */
	F_M_KEY, F_M_VALUE,
	/* wp:comment */
	F_C_ID, F_C_AUTHOR, F_C_DATE, F_C_DATE_GMT, F_C_TEXT, F_C_APPROVED, F_C_PARENT, F_C_TYPE
};

typedef struct field_name {
	int ctx, ns;
	const char *local;
	int field;
} field_name;

static const field_name S_fields[] = {
	{ C_CHANNEL, BB_NS_NONE, "title", F_TITLE },
	{ C_CHANNEL, BB_NS_NONE, "link", F_LINK },
	{ C_CHANNEL, BB_NS_NONE, "description", F_DESC },
	{ C_CHANNEL, BB_NS_NONE, "language", F_LANG },
	{ C_CHANNEL, BB_NS_WP, "base_site_url", F_SITE },
	{ C_CHANNEL, BB_NS_WP, "base_blog_url", F_BLOG },
	{ C_CHANNEL, BB_NS_WP, "wxr_version", F_VERSION },
	{ C_AUTHOR, BB_NS_WP, "author_login", F_A_LOGIN },
	{ C_AUTHOR, BB_NS_WP, "author_display_name", F_A_DISPLAY },
	{ C_ITEM, BB_NS_NONE, "title", F_I_TITLE },
	{ C_ITEM, BB_NS_NONE, "link", F_I_LINK },
	{ C_ITEM, BB_NS_NONE, "guid", F_I_GUID },
	{ C_ITEM, BB_NS_DC, "creator", F_I_CREATOR },
	{ C_ITEM, BB_NS_CONTENT, "encoded", F_I_BODY },
	{ C_ITEM, BB_NS_EXCERPT, "encoded", F_I_EXCERPT },
	{ C_ITEM, BB_NS_WP, "post_id", F_I_ID },
	{ C_ITEM, BB_NS_WP, "post_date", F_I_DATE },
	{ C_ITEM, BB_NS_WP, "post_date_gmt", F_I_DATE_GMT },
	{ C_ITEM, BB_NS_WP, "post_name", F_I_SLUG },
	{ C_ITEM, BB_NS_WP, "status", F_I_STATUS },
	{ C_ITEM, BB_NS_WP, "post_parent", F_I_PARENT },
	{ C_ITEM, BB_NS_WP, "post_type", F_I_TYPE },
	{ C_ITEM, BB_NS_WP, "attachment_url", F_I_ATTACH },
	{ C_ITEM, BB_NS_NONE, "category", F_I_CATEGORY },
	{ C_META, BB_NS_WP, "meta_key", F_M_KEY },
	{ C_META, BB_NS_WP, "meta_value", F_M_VALUE },
	{ C_COMMENT, BB_NS_WP, "comment_id", F_C_ID },
	{ C_COMMENT, BB_NS_WP, "comment_author", F_C_AUTHOR },
	{ C_COMMENT, BB_NS_WP, "comment_date", F_C_DATE },
	{ C_COMMENT, BB_NS_WP, "comment_date_gmt", F_C_DATE_GMT },
	{ C_COMMENT, BB_NS_WP, "comment_content", F_C_TEXT },
	{ C_COMMENT, BB_NS_WP, "comment_approved", F_C_APPROVED },
	{ C_COMMENT, BB_NS_WP, "comment_parent", F_C_PARENT },
	{ C_COMMENT, BB_NS_WP, "comment_type", F_C_TYPE },
};

/* A comment being read. */
typedef struct pending_comment {
	char *f[8]; /* F_C_ID .. F_C_TYPE */
} pending_comment;

typedef struct state {
	bb_xmlin in;
	bb_export *x;
	size_t max_total, max_field, max_items, max_list;
	int broken_stop;         /* the stream stopped at a well-formedness error */
	size_t total;            /* bytes of text kept (from here on, cleared between passes) */
	int ctx[8];              /* context stack and the depth of its element */
	int ctx_depth[8];
	int nctx;
	int field;               /* the field being read, F_NONE when none */
	int field_depth;
	int field_cut;           /* the field passed max_field */
	bb_buf text;
	char *cat_domain;        /* attributes of the category being read */
	char *cat_nicename;
	char *date_gmt;          /* of the item being read */
	char *creator;
	char *meta_key;
	char *a_login, *a_display;
	pending_comment com;
	int in_item;
	int saw_wp;              /* an element of a WordPress namespace was met */
	int stop;                /* a bound was hit */
	unsigned entity_warned;
	/* the fast pass (S_read_fast): the element at hand as SAX2 gives it */
	xmlParserCtxtPtr sax;
	const char *sax_local;
	int sax_ns, sax_nattrs, sax_depth;
	const xmlChar **sax_attrs;
	int bail;                /* the fast pass met what the reader reads: read again with it */
} state;

/* The line of the node at hand. */
static unsigned
S_line(state *s)
{
	return s->sax ? (unsigned)xmlSAX2GetLineNumber(s->sax) : bb_xmlin_line(&s->in);
}

static void
S_set(char **dst, bb_buf *b)
{
	free(*dst);
	*dst = bb_xstrndup(b->data ? b->data : "", b->len);
}

/* Trims ASCII white space at both ends, in place. */
static void
S_trim(bb_buf *b)
{
	size_t s = 0, e = b->len;
	if (!b->data)
		return;
	while (s < e && strchr(" \t\r\n", b->data[s]))
		s++;
	while (e > s && strchr(" \t\r\n", b->data[e - 1]))
		e--;
	memmove(b->data, b->data + s, e - s);
	b->len = e - s;
	b->data[b->len] = '\0';
}

static bb_entry *
S_item(state *s)
{
	return &s->x->entries[s->x->nentries - 1];
}

/* A date WordPress writes for "none". */
static int
S_no_date(const char *d)
{
	return !d || !*d || strncmp(d, "0000-00-00", 10) == 0;
}

static const char *
S_display_name(state *s, const char *login)
{
	size_t i;
	for (i = 0; i < s->x->nauthors; i++)
		if (strcmp(s->x->authors[i].login, login) == 0)
			return *s->x->authors[i].display_name ? s->x->authors[i].display_name : login;
	return login;
}

static void
S_end_item(state *s)
{
	bb_entry *e = S_item(s);
	if (!S_no_date(s->date_gmt)) {
		free(e->date);
		e->date = bb_xstrdup(s->date_gmt);
	} else if (!S_no_date(e->date_local)) {
		free(e->date);
		e->date = bb_xstrdup(e->date_local);
	}
	if (s->creator) {
		free(e->author);
		e->author = bb_xstrdup(S_display_name(s, s->creator));
	}
	free(s->date_gmt);
	free(s->creator);
	s->date_gmt = s->creator = NULL;
	s->in_item = 0;
}

static void
S_end_comment(state *s)
{
	bb_entry *e = S_item(s);
	pending_comment *p = &s->com;
	size_t i;
#define CF(k) (p->f[(k) - F_C_ID] ? p->f[(k) - F_C_ID] : "")
	if (strcmp(CF(F_C_APPROVED), "1") == 0) {
		if (e->ncomments >= s->max_list) {
			if (e->ncomments == s->max_list)
				bb_diag_add(s->in.diag, BB_WARNING, s->in.name, e->line, 0,
					    "post %s: more than %zu comments: the rest left out", e->id, s->max_list);
		} else {
			bb_comment *c;
			e->comments = bb_grow(e->comments, e->ncomments, sizeof *e->comments);
			c = &e->comments[e->ncomments++];
			c->id = bb_xstrdup(CF(F_C_ID));
			c->author = bb_xstrdup(CF(F_C_AUTHOR));
			c->date = bb_xstrdup(!S_no_date(CF(F_C_DATE_GMT)) ? CF(F_C_DATE_GMT) : CF(F_C_DATE));
			c->text = bb_xstrdup(CF(F_C_TEXT));
			c->parent_id = bb_xstrdup(CF(F_C_PARENT));
			c->type = bb_xstrdup(CF(F_C_TYPE));
		}
	}
#undef CF
	for (i = 0; i < sizeof p->f / sizeof p->f[0]; i++) {
		free(p->f[i]);
		p->f[i] = NULL;
	}
}

static void
S_end_author(state *s)
{
	if (s->a_login && s->x->nauthors < MAX_AUTHORS) {
		bb_export_author *a;
		s->x->authors = bb_grow(s->x->authors, s->x->nauthors, sizeof *s->x->authors);
		a = &s->x->authors[s->x->nauthors++];
		a->login = s->a_login;
		a->display_name = s->a_display ? s->a_display : bb_xstrdup("");
		s->a_login = s->a_display = NULL;
	}
	free(s->a_login);
	free(s->a_display);
	s->a_login = s->a_display = NULL;
}

static void
S_add_category(state *s, bb_buf *b)
{
	bb_entry *e = S_item(s);
	const char *dom = s->cat_domain ? s->cat_domain : "category";
	char ***v;
	size_t *n;
	if (strcmp(dom, "category") == 0)
		v = &e->categories, n = &e->ncategories;
	else if (strcmp(dom, "post_tag") == 0)
		v = &e->tags, n = &e->ntags;
	else
		return; /* post_format, nav_menu, custom taxonomies */
	if (!b->len)
		return;
	if (*n >= s->max_list)
		return;
	bb_strlist_add(v, n, b->data);
}

/* Stores the text read for the field that just ended. */
static void
S_commit(state *s)
{
	bb_buf *b = &s->text;
	bb_export *x = s->x;
	int f = s->field;

	if (!b->data)
		bb_buf_put(b, "", 0);
	if (bb_xmlin_fix_utf8(b) && !s->in.utf8_fixed++)
		bb_diag_add(s->in.diag, BB_WARNING, s->in.name, S_line(s), 0,
			    "text that is not UTF-8 (its declared encoding cannot be read): bytes replaced by U+FFFD");
	if (f != F_I_BODY && f != F_I_EXCERPT && f != F_C_TEXT && f != F_M_VALUE)
		S_trim(b);
	if (f >= F_I_TITLE && f <= F_M_VALUE && !s->in_item)
		return;
	switch (f) {
	case F_TITLE: S_set(&x->title, b); break;
	case F_LINK: S_set(&x->link, b); break;
	case F_DESC: S_set(&x->description, b); break;
	case F_LANG: S_set(&x->language, b); break;
	case F_SITE: S_set(&x->base_site_url, b); break;
	case F_BLOG: S_set(&x->base_blog_url, b); break;
	case F_VERSION: S_set(&x->version, b); break;
	case F_A_LOGIN: S_set(&s->a_login, b); break;
	case F_A_DISPLAY: S_set(&s->a_display, b); break;
	case F_I_TITLE: S_set(&S_item(s)->title, b); break;
	case F_I_LINK: S_set(&S_item(s)->link, b); break;
	case F_I_GUID: S_set(&S_item(s)->guid, b); break;
	case F_I_CREATOR: S_set(&s->creator, b); break;
	case F_I_BODY:
		if (x->spill && bb_export_spill(x, S_item(s), b->data, b->len) == 0)
			break;
		S_set(&S_item(s)->body, b);
		S_item(s)->body_len = b->len;
		S_item(s)->spilled = 0;
		break;
	case F_I_EXCERPT: S_set(&S_item(s)->excerpt, b); break;
	case F_I_ID: S_set(&S_item(s)->id, b); break;
	case F_I_DATE: S_set(&S_item(s)->date_local, b); break;
	case F_I_DATE_GMT: S_set(&s->date_gmt, b); break;
	case F_I_SLUG: S_set(&S_item(s)->slug, b); break;
	case F_I_STATUS: S_set(&S_item(s)->status, b); break;
	case F_I_PARENT: S_set(&S_item(s)->parent_id, b); break;
	case F_I_TYPE: S_set(&S_item(s)->type, b); break;
	case F_I_ATTACH: S_set(&S_item(s)->attachment_url, b); break;
	case F_I_CATEGORY: S_add_category(s, b); break;
	case F_M_KEY: S_set(&s->meta_key, b); break;
	case F_M_VALUE:
		if (s->meta_key && strcmp(s->meta_key, "_thumbnail_id") == 0) {
			S_trim(b);
			S_set(&S_item(s)->thumbnail_id, b);
		} else if (s->meta_key && strcmp(s->meta_key, "_wp_attachment_image_alt") == 0) {
			S_trim(b);
			S_set(&S_item(s)->image_alt, b);
		}
		break;
	default:
		if (f >= F_C_ID && f <= F_C_TYPE)
			S_set(&s->com.f[f - F_C_ID], b);
		break;
	}
	s->total += b->len;
	bb_buf_reset(b);
}

static void
S_push(state *s, int ctx, int depth)
{
	if (s->nctx < (int)(sizeof s->ctx / sizeof s->ctx[0])) {
		s->ctx[s->nctx] = ctx;
		s->ctx_depth[s->nctx] = depth;
		s->nctx++;
	}
}

static void
S_pop(state *s)
{
	int c = s->ctx[--s->nctx];
	if (c == C_ITEM)
		S_end_item(s);
	else if (c == C_COMMENT)
		S_end_comment(s);
	else if (c == C_AUTHOR)
		S_end_author(s);
	else if (c == C_META) {
		free(s->meta_key);
		s->meta_key = NULL;
	}
}

static char *
S_attr(state *s, const char *name)
{
	xmlChar *v;
	if (s->sax) {
		/* SAX2's attributes: local name, prefix, URI, value, its end */
		const xmlChar **a = s->sax_attrs;
		int i;
		for (i = 0; i < s->sax_nattrs; i++, a += 5)
			if (!a[1] && strcmp((const char *)a[0], name) == 0) {
				if (memchr(a[3], '&', (size_t)(a[4] - a[3])))
					s->bail = 1; /* SAX2 leaves "&#38;" for the tree to read */
				return bb_xstrndup((const char *)a[3], (size_t)(a[4] - a[3]));
			}
		return NULL;
	}
	v = xmlTextReaderGetAttribute(s->in.r, (const xmlChar *)name);
	char *r = v ? bb_xstrdup((const char *)v) : NULL;
	xmlFree(v);
	return r;
}

static void
S_start(state *s, int depth, int empty)
{
	int ns, cur = s->nctx ? s->ctx[s->nctx - 1] : C_TOP;
	const char *local = s->sax ? s->sax_local : bb_xmlin_name(&s->in, &ns);
	size_t i;

	if (s->sax)
		ns = s->sax_ns;
	if (ns == BB_NS_WP || ns == BB_NS_EXCERPT)
		s->saw_wp = 1;
	/* an item outside the channel is still read: recover mode moves the
	 * items after a broken tag out of it */
	int item = (cur == C_CHANNEL || cur == C_TOP) && ns == BB_NS_NONE && strcmp(local, "item") == 0;

	/* only the children of the context element are looked at */
	if (s->nctx && depth != s->ctx_depth[s->nctx - 1] + 1 && !item)
		return;
	if (cur == C_TOP && ns == BB_NS_NONE && strcmp(local, "channel") == 0) {
		if (!empty)
			S_push(s, C_CHANNEL, depth);
		return;
	}
	/* the channel's own fields come before its items; after them, a
	 * <link> there is an item's, moved out by recover mode */
	if (cur == C_CHANNEL && s->x->nentries > 0 && !item)
		return;
	if (item) {
		bb_entry *e;
		if (s->x->nentries >= s->max_items) {
			bb_diag_add(s->in.diag, BB_WARNING, s->in.name, S_line(s), 0,
				    "more than %zu items: the rest of the export is not read", s->max_items);
			s->stop = 1;
			return;
		}
		e = bb_export_add_entry(s->x);
		e->line = S_line(s);
		s->in_item = 1;
		if (!empty)
			S_push(s, C_ITEM, depth);
		else
			S_end_item(s);
		s->entity_warned = 0;
		return;
	}
	if (empty)
		goto fields;
	if (cur == C_CHANNEL && ns == BB_NS_WP && strcmp(local, "author") == 0) {
		S_push(s, C_AUTHOR, depth);
		return;
	}
	if (cur == C_ITEM && ns == BB_NS_WP && strcmp(local, "comment") == 0) {
		S_push(s, C_COMMENT, depth);
		return;
	}
	if (cur == C_ITEM && ns == BB_NS_WP && strcmp(local, "postmeta") == 0) {
		S_push(s, C_META, depth);
		return;
	}
fields:
	for (i = 0; i < sizeof S_fields / sizeof S_fields[0]; i++) {
		const field_name *fn = &S_fields[i];
		if (fn->ctx != cur || fn->ns != ns || strcmp(fn->local, local) != 0)
			continue;
		if (fn->field == F_I_CATEGORY) {
			free(s->cat_domain);
			free(s->cat_nicename);
			s->cat_domain = S_attr(s, "domain");
			s->cat_nicename = S_attr(s, "nicename");
		}
		s->field = fn->field;
		s->field_depth = depth;
		s->field_cut = 0;
		bb_buf_reset(&s->text);
		if (empty) {
			S_commit(s);
			s->field = F_NONE;
		}
		return;
	}
}

/* The n bytes of text at v (a node's or a SAX2 piece). */
static void
S_text(state *s, const char *v, size_t n)
{
	if (s->field == F_NONE || !v)
		return;
	if (s->text.len + n > s->max_field) {
		if (!s->field_cut) {
			bb_diag_add(s->in.diag, BB_WARNING, s->in.name, S_line(s), 0,
				    "a field longer than %zu bytes: the rest is cut%s", s->max_field,
				    s->in_item ? " (the item is marked truncated)" : "");
			if (s->in_item)
				S_item(s)->truncated = 1;
		}
		s->field_cut = 1;
		n = s->max_field - s->text.len;
		/* not inside a character */
		while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
			n--;
	}
	bb_buf_put(&s->text, v, n);
	if (s->total + s->text.len > s->max_total) {
		bb_diag_add(s->in.diag, BB_WARNING, s->in.name, S_line(s), 0,
			    "the export holds more than %zu KB of text: the rest is not read (the entries before "
			    "are kept)", s->max_total >> 10);
		if (s->in_item)
			S_item(s)->truncated = 1;
		s->stop = 1;
	}
}

/* The end of an element at depth: its field stored, or its context left. */
static void
S_end(state *s, int depth)
{
	if (s->field != F_NONE && depth == s->field_depth) {
		S_commit(s);
		s->field = F_NONE;
	} else if (s->field == F_NONE && s->nctx && depth == s->ctx_depth[s->nctx - 1]) {
		S_pop(s);
	}
}

static int
S_read(state *s)
{
	int rc = 0, truncated = 0;
	while (!s->stop && (rc = xmlTextReaderRead(s->in.r)) == 1) {
		int type = xmlTextReaderNodeType(s->in.r);
		int depth = xmlTextReaderDepth(s->in.r);
		switch (type) {
		case XML_READER_TYPE_ELEMENT:
			if (s->field != F_NONE)
				break; /* markup inside a field: its text is kept */
			S_start(s, depth, xmlTextReaderIsEmptyElement(s->in.r));
			break;
		case XML_READER_TYPE_END_ELEMENT:
			S_end(s, depth);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		case XML_READER_TYPE_WHITESPACE: {
			const char *v = (const char *)xmlTextReaderConstValue(s->in.r);
			S_text(s, v, v ? strlen(v) : 0);
			break;
		}
		case XML_READER_TYPE_ENTITY_REFERENCE:
			if (s->field != F_NONE && s->entity_warned++ < 3)
				bb_diag_add(s->in.diag, BB_WARNING, s->in.name, S_line(s), 0,
					    "entity reference &%s; left out (entities are not expanded)",
					    (const char *)xmlTextReaderConstLocalName(s->in.r));
			break;
		case XML_READER_TYPE_DOCUMENT_TYPE: {
			/* bb_xmlin_check_prolog refused entity declarations; a
			 * second look, in case the prolog check was fooled */
			xmlDocPtr d = xmlTextReaderCurrentDoc(s->in.r);
			if (d && d->intSubset && d->intSubset->entities) {
				bb_diag_add(s->in.diag, BB_ERROR, s->in.name, S_line(s), 0,
					    "not read: its document type declares entities");
				return -1;
			}
			break;
		}
		default:
			break;
		}
	}
	if (!s->stop && rc < 0)
		truncated = 1;
	s->x->partial = s->stop || truncated;
	s->broken_stop = truncated && s->in.broken;
	/* an item cut by the end of the file: keep what it had */
	if (s->field != F_NONE) {
		S_commit(s);
		s->field = F_NONE;
	}
	while (s->nctx) {
		if (s->ctx[s->nctx - 1] == C_ITEM) {
			S_item(s)->truncated = 1;
			bb_diag_add(s->in.diag, BB_WARNING, s->in.name, S_item(s)->line, 0,
				    "the item that starts here is cut short: kept as far as it goes");
		}
		S_pop(s);
	}
	return 0;
}

/* Frees what a pass left in the state (not the reader). */
static void
S_clear(state *s)
{
	size_t i;
	bb_export_free(s->x);
	s->x = NULL;
	bb_buf_free(&s->text);
	free(s->cat_domain);
	free(s->cat_nicename);
	free(s->date_gmt);
	free(s->creator);
	free(s->meta_key);
	free(s->a_login);
	free(s->a_display);
	for (i = 0; i < sizeof s->com.f / sizeof s->com.f[0]; i++)
		free(s->com.f[i]);
	memset(&s->total, 0, sizeof *s - offsetof(state, total));
}

/* ---- the fast pass: SAX2 in large chunks ---- */

/* SAX2's callbacks for S_read_fast, in the reader's terms: an element is
 * never empty (its end follows), depth counted here. */
static void
S_sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
	    const xmlChar **nss, int nattrs, int ndefaulted, const xmlChar **attrs)
{
	state *s = ctx;
	(void)nns, (void)nss, (void)ndefaulted;
	if (prefix && !uri)
		s->bail = 1; /* a prefix never declared: bb_xmlin_name's warning */
	if (!s->bail && !s->stop && s->field == F_NONE) {
		s->sax_local = (const char *)local;
		s->sax_ns = uri ? bb_xmlin_ns_class((const char *)uri) : BB_NS_NONE;
		s->sax_attrs = attrs;
		s->sax_nattrs = nattrs;
		S_start(s, s->sax_depth, 0);
	}
	s->sax_depth++;
	if (s->bail || s->stop)
		xmlStopParser(s->sax);
}

static void
S_sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
	state *s = ctx;
	(void)local, (void)prefix, (void)uri;
	s->sax_depth--;
	if (!s->bail && !s->stop)
		S_end(s, s->sax_depth);
}

static void
S_sax_text(void *ctx, const xmlChar *ch, int len)
{
	state *s = ctx;
	if (!s->bail && !s->stop)
		S_text(s, (const char *)ch, (size_t)len);
}

/* An entity reference, a document type, any complaint of the parser: the
 * reader's to read and report. */
static void
S_sax_ref(void *ctx, const xmlChar *name)
{
	state *s = ctx;
	(void)name;
	s->bail = 1;
	xmlStopParser(s->sax);
}

static void
S_sax_subset(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	(void)ext, (void)sys;
	S_sax_ref(ctx, name);
}

static void
S_sax_error(void *ctx, xmlErrorPtr e)
{
	(void)e;
	S_sax_ref(ctx, NULL);
}

#define FAST_CHUNK 65536

/* Fills buf with up to len bytes of the document (the filter hands them
 * over 4 KB at a time: the parser looks ahead for the end of a CDATA
 * section from its start again at each push). Returns the count. */
static int
S_fill(bb_xmlin *in, char *buf, int len)
{
	int n = 0, k;
	while (n < len && (k = bb_xmlin_read(in, buf + n, len - n)) > 0)
		n += k;
	return n;
}

/* Reads path (or len bytes at data) with libxml2's SAX2 push parser fed
 * in large chunks, through the state machine S_read drives with the
 * reader: several times cheaper than xmlTextReader, which parses in
 * chunks of 512 bytes and builds a node of each piece. Only for an
 * export the stream reads without a word: anything else (a complaint
 * of the parser, bytes the filter replaced, an entity, a document type,
 * an undeclared prefix, a bound, any warning of the state machine, an
 * encoding other than UTF-8) returns
 * -1 with s cleared, for S_read_any to read it with the reader, whose
 * messages are the ones given. Returns 0 with s->x filled. */
static int
S_read_fast(state *s, const char *path, const char *data, size_t len, const char *name, int spill)
{
	bb_diaglist quiet = { 0 };
	xmlSAXHandler h;
	char *buf = bb_xmalloc(FAST_CHUNK);
	int n, rc = -1;

	memset(&h, 0, sizeof h);
	h.initialized = XML_SAX2_MAGIC;
	h.startElementNs = S_sax_start;
	h.endElementNs = S_sax_end;
	h.characters = h.cdataBlock = h.ignorableWhitespace = S_sax_text;
	h.reference = S_sax_ref;
	h.internalSubset = S_sax_subset;
	h.serror = S_sax_error;
	if ((path ? bb_xmlin_open_file(&s->in, path, name, &quiet, BB_XMLIN_BYTES)
		  : bb_xmlin_open_memory(&s->in, data, len, name, &quiet, BB_XMLIN_BYTES)) < 0)
		goto out;
	/* another encoding: libxml2's push parser switching to it (UTF-7
	 * through iconv) can crash where the reader does not */
	if (!bb_xmlin_utf8(&s->in))
		goto out;
	s->x = bb_export_new("wordpress");
	if (spill && !(s->x->spill = tmpfile()))
		goto out;
	/* the first bytes name the encoding, as the reader gives them */
	n = bb_xmlin_read(&s->in, buf, 4);
	if (!(s->sax = xmlCreatePushParserCtxt(&h, s, buf, n, name)))
		goto out;
	xmlCtxtUseOptions(s->sax, XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_BIG_LINES);
	/* complaints raised without the context (the encoders') come here too,
	 * not to stderr */
	xmlSetStructuredErrorFunc(s, S_sax_error);
	/* what sends the export to the reader stops the pass at once, not
	 * after the whole file is parsed */
	while (!s->bail && !s->stop && !quiet.n && !bb_xmlin_bad_bytes(&s->in) && !s->in.utf8_fixed &&
	       (n = S_fill(&s->in, buf, FAST_CHUNK)) > 0)
		if (xmlParseChunk(s->sax, buf, n, 0) != 0)
			break;
	if (!s->bail && !s->stop)
		xmlParseChunk(s->sax, NULL, 0, 1);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (s->bail || s->stop || !s->sax->wellFormed || quiet.n || bb_xmlin_bad_bytes(&s->in) || s->in.utf8_fixed ||
	    s->nctx || s->field != F_NONE)
		goto out;
	rc = 0;
out:
	free(buf);
	if (s->sax)
		xmlFreeParserCtxt(s->sax);
	s->sax = NULL;
	bb_xmlin_close(&s->in);
	memset(&s->in, 0, sizeof s->in);
	bb_diag_clear(&quiet);
	if (rc < 0)
		S_clear(s);
	return rc;
}

/* Largest file read again in recover mode when its stream breaks (the whole
 * tree is then in memory). */
#define RECOVER_MAX ((size_t)32 << 20)

/* Reads path, or len bytes at data when path is NULL. */
static int
S_read_any(const char *path, const char *data, size_t len, const char *name, const bb_wxr_opts *o, bb_export **out,
	   bb_diaglist *diag)
{
	state s;
	int rc = -1, pass;
	size_t before = 0;

	*out = NULL;
	memset(&s, 0, sizeof s);
	s.max_total = o && o->max_total ? o->max_total : DEF_TOTAL;
	s.max_field = o && o->max_field ? o->max_field : DEF_FIELD;
	s.max_items = o && o->max_items ? o->max_items : DEF_ITEMS;
	s.max_list = o && o->max_list ? o->max_list : DEF_LIST;
	/* a plain export by SAX2; else the reader, as before */
	for (pass = S_read_fast(&s, path, data, len, name, o && o->spill) == 0 ? 2 : 0; pass < 2; pass++) {
		int opened = path ? bb_xmlin_open_file(&s.in, path, name, diag, pass)
				  : bb_xmlin_open_memory(&s.in, data, len, name, diag, pass);
		if (opened < 0)
			goto out;
		s.x = bb_export_new("wordpress");
		if (o && o->spill && !(s.x->spill = tmpfile()))
			bb_diag_add(diag, BB_WARNING, name, 0, 0,
				    "no temporary file for the bodies (%s): they are held in memory", strerror(errno));
		if (S_read(&s) < 0)
			goto out;
		if (pass == 0) {
			long size = 0;
			/* a stream stops at the first broken tag: read a file
			 * of a bounded size again in recover mode */
			if (!s.broken_stop)
				break;
			if (path) {
				FILE *f = fopen(path, "rb");
				if (f && fseek(f, 0, SEEK_END) == 0)
					size = ftell(f);
				if (f)
					fclose(f);
			} else {
				size = (long)len;
			}
			if (size <= 0 || (size_t)size > RECOVER_MAX)
				break;
			before = s.x->nentries;
			*out = s.x;
			s.x = NULL;
			bb_xmlin_close(&s.in);
			S_clear(&s);
		} else {
			if (s.x->nentries <= before) {
				/* the stream did better: keep its entries */
				bb_export_free(s.x);
				s.x = *out;
			} else {
				bb_export_free(*out);
				s.x->partial = 1;
				bb_diag_add(diag, BB_WARNING, name, 0, 0,
					    "read again in recover mode past the damage: %zu entries (%zu before it)",
					    s.x->nentries, before);
			}
			*out = NULL;
		}
	}
	if (!s.saw_wp && s.x->nentries == 0) {
		bb_diag_add(diag, BB_ERROR, name, 0, 0, "no WordPress export in it (no <item> and no wp: element)");
		goto out;
	}
	*out = s.x;
	s.x = NULL;
	rc = 0;
out:
	if (rc < 0) {
		bb_export_free(*out);
		*out = NULL;
	}
	S_clear(&s);
	bb_xmlin_close(&s.in);
	return rc;
}

int
bb_wxr_read_file(const char *path, const char *name, const bb_wxr_opts *opts, bb_export **out, bb_diaglist *diag)
{
	return S_read_any(path, NULL, 0, name, opts, out, diag);
}

int
bb_wxr_read_memory(const char *data, size_t len, const char *name, const bb_wxr_opts *opts, bb_export **out,
		   bb_diaglist *diag)
{
	return S_read_any(NULL, data ? data : "", len, name, opts, out, diag);
}

int
bb_wxr_bid(const char *head, size_t n)
{
	if (!bb_xmlin_has(head, n, "<rss"))
		return 0;
	if (bb_xmlin_has(head, n, "wordpress.org/export/"))
		return 95;
	if (bb_xmlin_has(head, n, "<wp:"))
		return 60;
	return 0;
}
