/* atom.c: a Blogger export (Atom) read as a stream into entries (see atom.h). */
#include "atom.h"
#include "date.h"
#include "util.h"
#include "xmlin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEF_TOTAL ((size_t)256 << 20)
#define DEF_FIELD ((size_t)32 << 20)
#define DEF_ITEMS ((size_t)1000000)
#define DEF_LIST ((size_t)10000)
#define RECOVER_MAX ((size_t)32 << 20)

enum ctx { C_TOP, C_FEED, C_ENTRY, C_AUTHOR, C_CONTROL };

enum field {
	F_NONE, F_FEED_TITLE, F_FEED_AUTHOR,
	F_ID, F_PUBLISHED, F_TITLE, F_CONTENT, F_AUTHOR, F_DRAFT,
	F_B_TYPE, F_B_STATUS, F_B_PARENT, F_B_FILENAME
};

/* An entry being read. */
typedef struct pending {
	char *id, *published, *title, *content, *author, *draft, *link, *reply_to, *related;
	char *kind, *b_type, *b_status, *b_parent, *b_filename;
	char **labels;
	size_t nlabels;
	unsigned line;
	int cut;
} pending;

/* A comment waiting for its post. */
typedef struct orphan {
	char *post_id;
	bb_comment c;
} orphan;

typedef struct state {
	bb_xmlin in;
	bb_export *x;
	size_t max_total, max_field, max_items, max_list;
	size_t total;
	int ctx[8], ctx_depth[8], nctx;
	int field, field_depth, field_cut;
	bb_buf text;
	pending e;
	orphan *orphans;
	size_t norphans;
	size_t skipped;      /* settings, templates, ... */
	int saw_feed, stop, broken_stop;
	char *feed_author;
} state;

static void
S_pending_clear(pending *p)
{
	char **f[] = { &p->id, &p->published, &p->title, &p->content, &p->author, &p->draft, &p->link,
		       &p->reply_to, &p->related, &p->kind, &p->b_type, &p->b_status, &p->b_parent,
		       &p->b_filename };
	size_t i;
	for (i = 0; i < sizeof f / sizeof f[0]; i++) {
		free(*f[i]);
		*f[i] = NULL;
	}
	for (i = 0; i < p->nlabels; i++)
		free(p->labels[i]);
	free(p->labels);
	memset(p, 0, sizeof *p);
}

static const char *
S_or(const char *s)
{
	return s ? s : "";
}

/* The GMT form "YYYY-MM-DD HH:MM:SS" of an Atom date, or "" when it is none. */
static char *
S_gmt(const char *s)
{
	bb_date d;
	if (!s || !bb_date_parse(s, &d, 0))
		return bb_xstrdup("");
	if (d.has_time) {
		long long t = bb_date_epoch(&d);
		bb_date_from_epoch(t, &d);
	}
	return bb_xasprintf("%04d-%02d-%02d %02d:%02d:%02d", d.year, d.mon, d.day, d.hour, d.min, d.sec);
}

/* The last path segment of a URL without its extension and query:
 * ".../2010/11/the-steel-windpipe.html" gives "the-steel-windpipe". */
static char *
S_slug(const char *url)
{
	const char *e, *s;
	if (!url || !*url)
		return bb_xstrdup("");
	e = url + strcspn(url, "?#");
	s = e;
	while (s > url && s[-1] != '/')
		s--;
	{
		const char *dot = e;
		while (dot > s && dot[-1] != '.')
			dot--;
		if (dot > s)
			e = dot - 1;
	}
	return bb_xstrndup(s, (size_t)(e - s));
}

/* The digits after the last "post-", "page-" or "comment-" of an Atom id,
 * or after the last '/' of a URL: what Blogger's other ids call it. */
static char *
S_tail_id(const char *id)
{
	const char *p, *best = NULL;
	if (!id)
		return bb_xstrdup("");
	for (p = id; *p; p++)
		if (*p == '-' || *p == '/' || *p == '.')
			best = p + 1;
	return bb_xstrdup(best && *best ? best : id);
}

static void
S_end_entry(state *s)
{
	pending *p = &s->e;
	const char *type = NULL;
	const char *k = S_or(p->kind);
	const char *bt = S_or(p->b_type);

	if (strstr(k, "kind#post") || strcmp(bt, "POST") == 0)
		type = "post";
	else if (strstr(k, "kind#page") || strcmp(bt, "PAGE") == 0)
		type = "page";
	else if (strstr(k, "kind#comment") || strcmp(bt, "COMMENT") == 0)
		type = "comment";
	if (!type) {
		s->skipped++;
		goto out;
	}
	if (strcmp(type, "comment") == 0) {
		orphan *o;
		const char *st = S_or(p->b_status);
		if (*st && strcmp(st, "LIVE") != 0)
			goto out; /* pending, spam or deleted */
		s->orphans = bb_grow(s->orphans, s->norphans, sizeof *s->orphans);
		o = &s->orphans[s->norphans++];
		o->post_id = p->b_parent ? S_tail_id(p->b_parent) : S_tail_id(p->reply_to);
		o->c.id = S_tail_id(p->id);
		o->c.author = bb_xstrdup(S_or(p->author));
		o->c.date = S_gmt(p->published);
		o->c.text = bb_xstrdup(S_or(p->content));
		o->c.parent_id = p->related ? S_tail_id(p->related) : bb_xstrdup("");
		o->c.type = bb_xstrdup("comment");
		goto out;
	}
	if (s->x->nentries >= s->max_items) {
		if (!s->stop)
			bb_diag_add(s->in.diag, BB_WARNING, s->in.name, p->line, 0,
				    "more than %zu entries: the rest of the export is not read", s->max_items);
		s->stop = 1;
		goto out;
	}
	{
		bb_entry *e = bb_export_add_entry(s->x);
		const char *st = S_or(p->b_status);
		size_t i;
		e->line = p->line;
		e->truncated = p->cut;
		free(e->type);
		e->type = bb_xstrdup(type);
		free(e->status);
		if ((p->draft && strcmp(p->draft, "yes") == 0) || strcmp(st, "DRAFT") == 0)
			e->status = bb_xstrdup("draft");
		else if (strcmp(st, "SCHEDULED") == 0)
			e->status = bb_xstrdup("future");
		else if (strcmp(st, "DELETED") == 0 || strcmp(st, "SOFT_TRASHED") == 0)
			e->status = bb_xstrdup("trash");
		else
			e->status = bb_xstrdup("publish");
		free(e->id);
		e->id = S_tail_id(p->id);
		free(e->guid);
		e->guid = bb_xstrdup(S_or(p->id));
		free(e->title);
		e->title = bb_xstrdup(S_or(p->title));
		free(e->date);
		e->date = S_gmt(p->published);
		free(e->date_local);
		e->date_local = bb_xstrdup(S_or(p->published));
		free(e->author);
		e->author = bb_xstrdup(p->author ? p->author : S_or(s->feed_author));
		free(e->link);
		e->link = bb_xstrdup(S_or(p->link));
		free(e->slug);
		e->slug = S_slug(p->b_filename ? p->b_filename : p->link);
		free(e->body);
		e->body = bb_xstrdup(S_or(p->content));
		e->body_len = strlen(e->body);
		for (i = 0; i < p->nlabels; i++)
			bb_strlist_add(&e->categories, &e->ncategories, p->labels[i]);
	}
out:
	S_pending_clear(p);
}

static char *
S_attr(state *s, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(s->in.r, (const xmlChar *)name);
	char *r = v ? bb_xstrdup((const char *)v) : NULL;
	xmlFree(v);
	return r;
}

static void
S_push(state *s, int ctx, int depth)
{
	if (s->nctx < 8) {
		s->ctx[s->nctx] = ctx;
		s->ctx_depth[s->nctx++] = depth;
	}
}

static void
S_start(state *s, int depth, int empty)
{
	int ns, cur = s->nctx ? s->ctx[s->nctx - 1] : C_TOP;
	const char *local = bb_xmlin_name(&s->in, &ns);
	int atom = ns == BB_NS_ATOM || ns == BB_NS_NONE;
	int f = F_NONE;

	if (cur == C_TOP && atom && strcmp(local, "feed") == 0) {
		s->saw_feed = 1;
		if (!empty)
			S_push(s, C_FEED, depth);
		return;
	}
	if (s->nctx && depth != s->ctx_depth[s->nctx - 1] + 1)
		return;
	if (cur == C_FEED && atom && strcmp(local, "entry") == 0) {
		S_pending_clear(&s->e);
		s->e.line = bb_xmlin_line(&s->in);
		if (!empty)
			S_push(s, C_ENTRY, depth);
		else
			S_end_entry(s);
		return;
	}
	if (cur == C_FEED && atom && strcmp(local, "title") == 0)
		f = F_FEED_TITLE;
	else if (cur == C_FEED && atom && strcmp(local, "link") == 0) {
		char *rel = S_attr(s, "rel"), *href = S_attr(s, "href");
		if (rel && href && strcmp(rel, "alternate") == 0) {
			free(s->x->link);
			s->x->link = href;
			href = NULL;
		}
		free(rel);
		free(href);
	} else if ((cur == C_FEED || cur == C_ENTRY) && atom && strcmp(local, "author") == 0 && !empty) {
		S_push(s, C_AUTHOR, depth);
	} else if (cur == C_AUTHOR && atom && strcmp(local, "name") == 0) {
		f = s->nctx >= 2 && s->ctx[s->nctx - 2] == C_FEED ? F_FEED_AUTHOR : F_AUTHOR;
	} else if (cur == C_ENTRY && atom) {
		if (strcmp(local, "id") == 0)
			f = F_ID;
		else if (strcmp(local, "published") == 0)
			f = F_PUBLISHED;
		else if (strcmp(local, "title") == 0)
			f = F_TITLE;
		else if (strcmp(local, "content") == 0)
			f = F_CONTENT;
		else if (strcmp(local, "category") == 0) {
			char *scheme = S_attr(s, "scheme"), *term = S_attr(s, "term");
			if (term && scheme && strstr(scheme, "g/2005#kind")) {
				free(s->e.kind);
				s->e.kind = term;
				term = NULL;
			} else if (term && *term && (!scheme || strstr(scheme, "blogger.com/atom/ns#") ||
				    strncmp(scheme, "tag:blogger.com", 15) == 0) &&
				   s->e.nlabels < s->max_list) {
				bb_strlist_add(&s->e.labels, &s->e.nlabels, term);
			}
			free(scheme);
			free(term);
		} else if (strcmp(local, "link") == 0) {
			char *rel = S_attr(s, "rel"), *href = S_attr(s, "href");
			if (rel && href && strcmp(rel, "alternate") == 0) {
				free(s->e.link);
				s->e.link = href;
				href = NULL;
			} else if (rel && href && strcmp(rel, "related") == 0) {
				free(s->e.related);
				s->e.related = href;
				href = NULL;
			}
			free(rel);
			free(href);
		}
	} else if (cur == C_ENTRY && ns == BB_NS_APP && strcmp(local, "control") == 0 && !empty) {
		S_push(s, C_CONTROL, depth);
	} else if (cur == C_CONTROL && ns == BB_NS_APP && strcmp(local, "draft") == 0) {
		f = F_DRAFT;
	} else if (cur == C_ENTRY && ns == BB_NS_THR && strcmp(local, "in-reply-to") == 0) {
		free(s->e.reply_to);
		s->e.reply_to = S_attr(s, "ref");
	} else if (cur == C_ENTRY && ns == BB_NS_BLOGGER) {
		if (strcmp(local, "type") == 0)
			f = F_B_TYPE;
		else if (strcmp(local, "status") == 0)
			f = F_B_STATUS;
		else if (strcmp(local, "parent") == 0)
			f = F_B_PARENT;
		else if (strcmp(local, "filename") == 0)
			f = F_B_FILENAME;
	}
	if (f == F_NONE)
		return;
	s->field = f;
	s->field_depth = depth;
	s->field_cut = 0;
	bb_buf_reset(&s->text);
	if (empty) {
		/* committed by the caller */
		s->field_depth = -1;
	}
}

static void
S_trim(bb_buf *b)
{
	size_t st = 0, e = b->len;
	while (st < e && strchr(" \t\r\n", b->data[st]))
		st++;
	while (e > st && strchr(" \t\r\n", b->data[e - 1]))
		e--;
	memmove(b->data, b->data + st, e - st);
	b->len = e - st;
	b->data[b->len] = '\0';
}

static void
S_commit(state *s)
{
	bb_buf *b = &s->text;
	char **dst = NULL;
	if (!b->data)
		bb_buf_put(b, "", 0);
	if (bb_xmlin_fix_utf8(b) && !s->in.utf8_fixed++)
		bb_diag_add(s->in.diag, BB_WARNING, s->in.name, bb_xmlin_line(&s->in), 0,
			    "text that is not UTF-8 (its declared encoding cannot be read): bytes replaced by U+FFFD");
	if (s->field != F_CONTENT)
		S_trim(b);
	switch (s->field) {
	case F_FEED_TITLE: dst = &s->x->title; break;
	case F_FEED_AUTHOR: dst = &s->feed_author; break;
	case F_ID: dst = &s->e.id; break;
	case F_PUBLISHED: dst = &s->e.published; break;
	case F_TITLE: dst = &s->e.title; break;
	case F_CONTENT: dst = &s->e.content; break;
	case F_AUTHOR: dst = &s->e.author; break;
	case F_DRAFT: dst = &s->e.draft; break;
	case F_B_TYPE: dst = &s->e.b_type; break;
	case F_B_STATUS: dst = &s->e.b_status; break;
	case F_B_PARENT: dst = &s->e.b_parent; break;
	case F_B_FILENAME: dst = &s->e.b_filename; break;
	default: break;
	}
	if (dst) {
		free(*dst);
		*dst = bb_xstrndup(b->data, b->len);
	}
	s->total += b->len;
	bb_buf_reset(b);
	s->field = F_NONE;
}

static void
S_text(state *s)
{
	const char *v = (const char *)xmlTextReaderConstValue(s->in.r);
	size_t n;
	if (s->field == F_NONE || !v)
		return;
	n = strlen(v);
	if (s->text.len + n > s->max_field) {
		if (!s->field_cut)
			bb_diag_add(s->in.diag, BB_WARNING, s->in.name, bb_xmlin_line(&s->in), 0,
				    "a field longer than %zu bytes: the rest is cut", s->max_field);
		s->field_cut = 1;
		s->e.cut = 1;
		n = s->max_field - s->text.len;
		/* not inside a character */
		while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
			n--;
	}
	bb_buf_put(&s->text, v, n);
	if (s->total + s->text.len > s->max_total) {
		bb_diag_add(s->in.diag, BB_WARNING, s->in.name, bb_xmlin_line(&s->in), 0,
			    "the export holds more than %zu KB of text: the rest is not read", s->max_total >> 10);
		s->e.cut = 1;
		s->stop = 1;
	}
}

static void
S_read(state *s)
{
	int rc = 0;
	while (!s->stop && (rc = xmlTextReaderRead(s->in.r)) == 1) {
		int type = xmlTextReaderNodeType(s->in.r);
		int depth = xmlTextReaderDepth(s->in.r);
		switch (type) {
		case XML_READER_TYPE_ELEMENT:
			if (s->field != F_NONE)
				break;
			S_start(s, depth, xmlTextReaderIsEmptyElement(s->in.r));
			if (s->field != F_NONE && s->field_depth < 0)
				S_commit(s);
			break;
		case XML_READER_TYPE_END_ELEMENT:
			if (s->field != F_NONE) {
				if (depth == s->field_depth)
					S_commit(s);
			} else if (s->nctx && depth == s->ctx_depth[s->nctx - 1]) {
				if (s->ctx[--s->nctx] == C_ENTRY)
					S_end_entry(s);
			}
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		case XML_READER_TYPE_WHITESPACE:
			S_text(s);
			break;
		default:
			break;
		}
	}
	s->broken_stop = !s->stop && rc < 0 && s->in.broken;
	s->x->partial = s->stop || rc < 0;
	if (s->field != F_NONE)
		S_commit(s);
	while (s->nctx) {
		if (s->ctx[--s->nctx] == C_ENTRY) {
			s->e.cut = 1;
			bb_diag_add(s->in.diag, BB_WARNING, s->in.name, s->e.line, 0,
				    "the entry that starts here is cut short: kept as far as it goes");
			S_end_entry(s);
		}
	}
}

static int
S_cmp_entry(const void *a, const void *b)
{
	const bb_entry *const *x = a, *const *y = b;
	return strcmp((*x)->id, (*y)->id);
}

/* Hands each comment to its post (by the post's id), in file order. */
static void
S_attach(state *s)
{
	bb_entry **idx;
	size_t i, lost = 0;
	if (!s->norphans)
		return;
	idx = bb_xmalloc((s->x->nentries + 1) * sizeof *idx);
	for (i = 0; i < s->x->nentries; i++)
		idx[i] = &s->x->entries[i];
	qsort(idx, s->x->nentries, sizeof *idx, S_cmp_entry);
	for (i = 0; i < s->norphans; i++) {
		orphan *o = &s->orphans[i];
		bb_entry key, *kp = &key, **hit;
		key.id = o->post_id;
		hit = s->x->nentries ? bsearch(&kp, idx, s->x->nentries, sizeof *idx, S_cmp_entry) : NULL;
		if (!hit || (*hit)->ncomments >= s->max_list) {
			lost++;
			free(o->c.id);
			free(o->c.author);
			free(o->c.date);
			free(o->c.text);
			free(o->c.parent_id);
			free(o->c.type);
		} else {
			bb_entry *e = *hit;
			e->comments = bb_grow(e->comments, e->ncomments, sizeof *e->comments);
			e->comments[e->ncomments++] = o->c;
		}
		free(o->post_id);
	}
	free(idx);
	free(s->orphans);
	s->orphans = NULL;
	s->norphans = 0;
	if (lost)
		bb_diag_add(s->in.diag, BB_NOTE, s->in.name, 0, 0, "%zu comments on no post of the export left out",
			    lost);
}

static void
S_clear(state *s)
{
	size_t i;
	bb_export_free(s->x);
	s->x = NULL;
	bb_buf_free(&s->text);
	S_pending_clear(&s->e);
	for (i = 0; i < s->norphans; i++) {
		orphan *o = &s->orphans[i];
		free(o->post_id);
		free(o->c.id);
		free(o->c.author);
		free(o->c.date);
		free(o->c.text);
		free(o->c.parent_id);
		free(o->c.type);
	}
	free(s->orphans);
	s->orphans = NULL;
	s->norphans = 0;
	free(s->feed_author);
	s->feed_author = NULL;
	s->total = 0;
	s->nctx = 0;
	s->field = F_NONE;
	s->skipped = 0;
	s->saw_feed = s->stop = s->broken_stop = 0;
}

static int
S_read_any(const char *path, const char *data, size_t len, const char *name, const bb_export_opts *o,
	   bb_export **out, bb_diaglist *diag)
{
	state s;
	int rc = -1, pass;
	size_t before = 0;
	bb_export *first = NULL;

	*out = NULL;
	memset(&s, 0, sizeof s);
	s.max_total = o && o->max_total ? o->max_total : DEF_TOTAL;
	s.max_field = o && o->max_field ? o->max_field : DEF_FIELD;
	s.max_items = o && o->max_items ? o->max_items : DEF_ITEMS;
	s.max_list = o && o->max_list ? o->max_list : DEF_LIST;
	for (pass = 0; pass < 2; pass++) {
		int opened = path ? bb_xmlin_open_file(&s.in, path, name, diag, pass)
				  : bb_xmlin_open_memory(&s.in, data, len, name, diag, pass);
		if (opened < 0)
			goto out;
		s.x = bb_export_new("blogger");
		S_read(&s);
		S_attach(&s);
		if (pass == 0) {
			long size = (long)len;
			if (!s.broken_stop)
				break;
			if (path) {
				FILE *f = fopen(path, "rb");
				size = 0;
				if (f && fseek(f, 0, SEEK_END) == 0)
					size = ftell(f);
				if (f)
					fclose(f);
			}
			if (size <= 0 || (size_t)size > RECOVER_MAX)
				break;
			before = s.x->nentries;
			first = s.x;
			s.x = NULL;
			bb_xmlin_close(&s.in);
			S_clear(&s);
		} else if (s.x->nentries <= before) {
			bb_export_free(s.x);
			s.x = first;
			first = NULL;
		} else {
			s.x->partial = 1;
			bb_diag_add(diag, BB_WARNING, name, 0, 0,
				    "read again in recover mode past the damage: %zu entries (%zu before it)",
				    s.x->nentries, before);
		}
	}
	if (!s.saw_feed) {
		bb_diag_add(diag, BB_ERROR, name, 0, 0, "no Atom feed in it (no <feed> element)");
		goto out;
	}
	*out = s.x;
	s.x = NULL;
	rc = 0;
out:
	bb_export_free(first);
	S_clear(&s);
	bb_xmlin_close(&s.in);
	return rc;
}

int
bb_atom_read_file(const char *path, const char *name, const bb_export_opts *opts, bb_export **out,
		  bb_diaglist *diag)
{
	return S_read_any(path, NULL, 0, name, opts, out, diag);
}

int
bb_atom_read_memory(const char *data, size_t len, const char *name, const bb_export_opts *opts, bb_export **out,
		    bb_diaglist *diag)
{
	return S_read_any(NULL, data ? data : "", len, name, opts, out, diag);
}

int
bb_atom_bid(const char *head, size_t n)
{
	if (!bb_xmlin_has(head, n, "<feed"))
		return 0;
	if (bb_xmlin_has(head, n, "tag:blogger.com") || bb_xmlin_has(head, n, "schemas.google.com/blogger/"))
		return 95;
	return 0;
}
