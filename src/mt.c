/* mt.c: a Movable Type / TypePad export read line by line into entries (see mt.h). */
#define _XOPEN_SOURCE 700
#include "mt.h"
#include "util.h"
#include "xmlin.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define DEF_TOTAL ((size_t)256 << 20)
#define DEF_FIELD ((size_t)32 << 20)
#define DEF_ITEMS ((size_t)1000000)
#define DEF_LIST ((size_t)10000)
#define MAX_AUTHORS 64

/* The section being read: the metadata lines or a multi-line block. */
enum sec { SEC_META, SEC_BODY, SEC_EXT, SEC_EXCERPT, SEC_KEYWORDS, SEC_COMMENT, SEC_PING };

static const struct {
	const char *head;
	int sec;
} S_blocks[] = {
	{ "BODY:", SEC_BODY }, { "EXTENDED BODY:", SEC_EXT }, { "EXCERPT:", SEC_EXCERPT },
	{ "KEYWORDS:", SEC_KEYWORDS }, { "COMMENT:", SEC_COMMENT }, { "PING:", SEC_PING },
};

/* Lines from a file or from memory. */
typedef struct reader {
	FILE *f;
	const char *mem;
	size_t len, pos;
	bb_buf line;     /* the current line, without its end (LF or CRLF) */
	unsigned lineno;
	int cut;         /* it was longer than the bound: the rest was dropped */
} reader;

typedef struct state {
	reader r;
	bb_export *x;
	bb_diaglist *diag;
	const char *name;
	size_t max_total, max_field, max_items, max_list, total;
	int open;         /* an entry is being read (the last of x) */
	int sec;
	int sec_head;     /* the next line may name the section's block */
	int com_head;     /* in a comment's header lines (AUTHOR:, DATE: ...) */
	bb_buf body, ext, text;
	char *primary;    /* PRIMARY CATEGORY */
	char *c_author, *c_date;
	int stop;
	unsigned utf8_line, utf8_lines, stray;
} state;

static int
S_next(reader *r, size_t max)
{
	bb_buf_reset(&r->line);
	r->cut = 0;
	if (r->f) {
		int c, any = 0;
		while ((c = getc_unlocked(r->f)) != EOF) {
			any = 1;
			if (c == '\n')
				break;
			if (r->line.len < max)
				bb_buf_putc(&r->line, c);
			else
				r->cut = 1;
		}
		if (!any)
			return 0;
	} else {
		const char *s, *nl;
		size_t n;
		if (r->pos >= r->len)
			return 0;
		s = r->mem + r->pos;
		nl = memchr(s, '\n', r->len - r->pos);
		n = nl ? (size_t)(nl - s) : r->len - r->pos;
		r->pos += n + (nl != NULL);
		if (n > max)
			n = max, r->cut = 1;
		bb_buf_put(&r->line, s, n);
	}
	bb_buf_put(&r->line, "", 0);
	if (r->line.len && r->line.data[r->line.len - 1] == '\r')
		r->line.data[--r->line.len] = '\0';
	r->lineno++;
	return 1;
}

static bb_entry *
S_cur(state *s)
{
	return &s->x->entries[s->x->nentries - 1];
}

/* s without white space at both ends, copied. */
static char *
S_trimmed(const char *v, size_t n)
{
	while (n && strchr(" \t\r\n", *v))
		v++, n--;
	while (n && strchr(" \t\r\n", v[n - 1]))
		n--;
	return bb_xstrndup(v, n);
}

static void
S_set(char **dst, const char *v)
{
	free(*dst);
	*dst = S_trimmed(v, strlen(v));
}

int
bb_mt_date(const char *s, char out[20])
{
	int mo, d, y, h, mi, sec = 0, n = 0, k = 0;
	const char *p;
	if (sscanf(s, "%2d/%2d/%4d %2d:%2d%n", &mo, &d, &y, &h, &mi, &n) != 5 || n == 0)
		return -1;
	p = s + n;
	if (*p == ':' && sscanf(p, ":%2d%n", &sec, &k) == 1)
		p += k;
	while (*p == ' ')
		p++;
	if ((p[0] == 'A' || p[0] == 'a' || p[0] == 'P' || p[0] == 'p') && (p[1] == 'M' || p[1] == 'm')) {
		if (h < 1 || h > 12)
			return -1;
		h = h % 12 + ((p[0] == 'P' || p[0] == 'p') ? 12 : 0);
		p += 2;
	}
	while (*p == ' ')
		p++;
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 ||
	    sec > 60)
		return -1;
	snprintf(out, 20, "%04d-%02d-%02d %02d:%02d:%02d", y % 10000, mo, d, h, mi, sec);
	return 0;
}

static void
S_warn(state *s, unsigned line, const char *fmt, const char *v)
{
	bb_diag_add(s->diag, BB_WARNING, s->name, line, 0, fmt, v);
}

/* The date field v of the current entry (or comment) as out; a warning
 * when it cannot be read. */
static char *
S_date(state *s, const char *v)
{
	char d[20];
	if (bb_mt_date(v, d) == 0)
		return bb_xstrdup(d);
	S_warn(s, s->r.lineno, "DATE '%s' is not MM/DD/YYYY hh:mm:ss [AM|PM]: left out", v);
	return bb_xstrdup("");
}

static void
S_add_author(state *s, const char *name)
{
	size_t i;
	bb_export_author *a;
	if (!*name || s->x->nauthors >= MAX_AUTHORS)
		return;
	for (i = 0; i < s->x->nauthors; i++)
		if (strcmp(s->x->authors[i].login, name) == 0)
			return;
	s->x->authors = bb_grow(s->x->authors, s->x->nauthors, sizeof *s->x->authors);
	a = &s->x->authors[s->x->nauthors++];
	a->login = bb_xstrdup(name);
	a->display_name = bb_xstrdup(name);
}

static void
S_add(state *s, char ***v, size_t *n, const char *name, size_t len)
{
	char *t = S_trimmed(name, len);
	size_t i;
	if (*t == '"' && strlen(t) >= 2 && t[strlen(t) - 1] == '"') {
		char *u = bb_xstrndup(t + 1, strlen(t) - 2);
		free(t);
		t = u;
	}
	for (i = 0; i < *n && *t; i++)
		if (strcmp((*v)[i], t) == 0)
			break;
	if (*t && i == *n && *n < s->max_list)
		bb_strlist_add(v, n, t);
	free(t);
}

/* TAGS: names separated by commas, a name with a comma or space in
 * double quotes. */
static void
S_tags(state *s, const char *v)
{
	bb_entry *e = S_cur(s);
	const char *p = v, *start = v;
	int q = 0;
	for (;; p++) {
		if (*p == '"')
			q = !q;
		else if ((*p == ',' && !q) || !*p) {
			S_add(s, &e->tags, &e->ntags, start, (size_t)(p - start));
			start = p + 1;
		}
		if (!*p)
			break;
	}
}

static int
S_markup(const char *v)
{
	if (strcmp(v, "0") == 0 || strcmp(v, "richtext") == 0 || strcmp(v, "html") == 0)
		return BB_MARKUP_HTML;
	if (strncmp(v, "markdown", 8) == 0)
		return BB_MARKUP_MARKDOWN;
	return BB_MARKUP_BREAKS; /* 1, __default__ */
}

/* A "KEY: value" line of the entry's metadata. */
static void
S_meta(state *s, const char *l)
{
	bb_entry *e = S_cur(s);
	const char *colon = strchr(l, ':'), *v;
	size_t k;
	if (!*l || strspn(l, " \t") == strlen(l))
		return;
	for (k = 0; l + k < (colon ? colon : l); k++)
		if (!(l[k] >= 'A' && l[k] <= 'Z') && l[k] != ' ' && l[k] != '_')
			break;
	if (!colon || k == 0 || l + k != colon) {
		if (s->stray++ < 5)
			S_warn(s, s->r.lineno, "'%.40s' is no field of the export (KEY: value): left out", l);
		return;
	}
	v = colon + 1;
	while (*v == ' ' || *v == '\t')
		v++;
#define KEY(name) (k == sizeof name - 1 && memcmp(l, name, k) == 0)
	if (KEY("AUTHOR")) {
		S_set(&e->author, v);
		S_add_author(s, e->author);
	} else if (KEY("TITLE"))
		S_set(&e->title, v);
	else if (KEY("BASENAME"))
		S_set(&e->slug, v);
	else if (KEY("STATUS")) {
		const char *st = strcasecmp(v, "publish") == 0 ? "publish" : strcasecmp(v, "draft") == 0 ? "draft"
							 : strcasecmp(v, "future") == 0 ? "future" : "pending";
		S_set(&e->status, st);
	} else if (KEY("DATE")) {
		free(e->date);
		e->date = S_date(s, v);
		free(e->date_local);
		e->date_local = bb_xstrdup(e->date);
	} else if (KEY("PRIMARY CATEGORY")) {
		free(s->primary);
		s->primary = S_trimmed(v, strlen(v));
	} else if (KEY("CATEGORY"))
		S_add(s, &e->categories, &e->ncategories, v, strlen(v));
	else if (KEY("TAGS"))
		S_tags(s, v);
	else if (KEY("CONVERT BREAKS"))
		e->markup = S_markup(v);
	else if (KEY("UNIQUE URL") || KEY("URL"))
		S_set(&e->link, v);
#undef KEY
	/* ALLOW COMMENTS, ALLOW PINGS, NO ENTRY, IMAGE...: nothing to bind */
}

/* The text of the block that ends, without the blank lines around it. */
static char *
S_block_text(state *s, size_t *n)
{
	size_t a = 0, e = s->text.len;
	char *t;
	while (a < e && (s->text.data[a] == '\n' || s->text.data[a] == '\r'))
		a++;
	while (e > a && strchr(" \t\r\n", s->text.data[e - 1]))
		e--;
	t = bb_xstrndup(s->text.data ? s->text.data + a : "", e - a);
	*n = e - a;
	bb_buf_reset(&s->text);
	return t;
}

static void
S_end_comment(state *s, char *text)
{
	bb_entry *e = S_cur(s);
	bb_comment *c;
	char id[24];
	if (e->ncomments >= s->max_list) {
		free(text);
		return;
	}
	e->comments = bb_grow(e->comments, e->ncomments, sizeof *e->comments);
	c = &e->comments[e->ncomments++];
	snprintf(id, sizeof id, "%zu", e->ncomments);
	c->id = bb_xstrdup(id);
	c->author = s->c_author ? s->c_author : bb_xstrdup("");
	c->date = s->c_date ? s->c_date : bb_xstrdup("");
	c->text = text;
	c->parent_id = bb_xstrdup("");
	c->type = bb_xstrdup("");
	s->c_author = s->c_date = NULL;
}

static void
S_end_section(state *s)
{
	size_t n;
	char *t;
	if (!s->open || s->sec == SEC_META) {
		bb_buf_reset(&s->text);
		return;
	}
	t = S_block_text(s, &n);
	switch (s->sec) {
	case SEC_BODY:
		bb_buf_put(&s->body, t, n);
		break;
	case SEC_EXT:
		bb_buf_put(&s->ext, t, n);
		break;
	case SEC_EXCERPT:
		free(S_cur(s)->excerpt);
		S_cur(s)->excerpt = t, t = NULL;
		break;
	case SEC_COMMENT:
		S_end_comment(s, t), t = NULL;
		break;
	default: /* KEYWORDS, PING: not shown by a blog's entry page */
		break;
	}
	free(t);
	free(s->c_author);
	free(s->c_date);
	s->c_author = s->c_date = NULL;
	s->sec = SEC_META;
}

static void
S_end_entry(state *s)
{
	bb_entry *e;
	S_end_section(s);
	if (!s->open)
		return;
	e = S_cur(s);
	if (s->primary && *s->primary) {
		/* the primary category first */
		char **v = NULL;
		size_t n = 0, i;
		S_add(s, &v, &n, s->primary, strlen(s->primary));
		for (i = 0; i < e->ncategories; i++)
			S_add(s, &v, &n, e->categories[i], strlen(e->categories[i]));
		for (i = 0; i < e->ncategories; i++)
			free(e->categories[i]);
		free(e->categories);
		e->categories = v, e->ncategories = n;
	}
	free(s->primary);
	s->primary = NULL;
	if (s->ext.len) {
		if (s->body.len)
			bb_buf_puts(&s->body, "\n\n");
		bb_buf_put(&s->body, s->ext.data, s->ext.len);
	}
	bb_buf_put(&s->body, "", 0);
	if (!(s->x->spill && bb_export_spill(s->x, e, s->body.data, s->body.len) == 0)) {
		free(e->body);
		e->body = bb_xstrndup(s->body.data, s->body.len);
		e->body_len = s->body.len;
	}
	bb_buf_reset(&s->body);
	bb_buf_reset(&s->ext);
	s->open = 0;
}

static void
S_begin_entry(state *s)
{
	bb_entry *e;
	char id[24];
	if (s->x->nentries >= s->max_items) {
		bb_diag_add(s->diag, BB_WARNING, s->name, s->r.lineno, 0,
			    "more than %zu entries: the rest of the export is not read", s->max_items);
		s->x->partial = 1;
		s->stop = 1;
		return;
	}
	e = bb_export_add_entry(s->x);
	snprintf(id, sizeof id, "%zu", s->x->nentries);
	S_set(&e->id, id);
	S_set(&e->type, "post");
	S_set(&e->status, "publish");
	e->markup = BB_MARKUP_BREAKS;
	e->line = s->r.lineno;
	s->open = 1;
	s->sec = SEC_META;
	s->sec_head = 1;
}

/* 1 when line l names a multi-line block; its section in *sec. */
static int
S_block_head(const char *l, int *sec)
{
	size_t i, n = strlen(l);
	while (n && (l[n - 1] == ' ' || l[n - 1] == '\t'))
		n--;
	for (i = 0; i < sizeof S_blocks / sizeof S_blocks[0]; i++)
		if (strlen(S_blocks[i].head) == n && memcmp(S_blocks[i].head, l, n) == 0) {
			*sec = S_blocks[i].sec;
			return 1;
		}
	return 0;
}

/* A line of a comment's header: AUTHOR:, EMAIL:, URL:, IP:, DATE:. */
static int
S_comment_head(state *s, const char *l)
{
	if (strncmp(l, "AUTHOR:", 7) == 0) {
		free(s->c_author);
		s->c_author = S_trimmed(l + 7, strlen(l + 7));
	} else if (strncmp(l, "DATE:", 5) == 0) {
		char *v = S_trimmed(l + 5, strlen(l + 5));
		free(s->c_date);
		s->c_date = S_date(s, v);
		free(v);
	} else if (strncmp(l, "EMAIL:", 6) != 0 && strncmp(l, "URL:", 4) != 0 && strncmp(l, "IP:", 3) != 0) {
		return 0;
	}
	return 1;
}

static void
S_line(state *s)
{
	const char *l = s->r.line.data;
	int sec;
	if (strcmp(l, "--------") == 0) {
		S_end_entry(s);
		return;
	}
	if (strcmp(l, "-----") == 0) {
		S_end_section(s);
		s->sec_head = 1;
		return;
	}
	if (!s->open) {
		if (!*l || strspn(l, " \t") == strlen(l))
			return;
		S_begin_entry(s);
		if (s->stop)
			return;
	}
	if ((s->sec_head || s->sec == SEC_META) && S_block_head(l, &sec)) {
		s->sec_head = 0;
		s->sec = sec;
		s->com_head = sec == SEC_COMMENT;
		return;
	}
	s->sec_head = 0;
	if (s->sec == SEC_META) {
		S_meta(s, l);
		return;
	}
	if (s->com_head && S_comment_head(s, l))
		return;
	s->com_head = 0;
	if (s->text.len + s->r.line.len + 1 > s->max_field) {
		if (!S_cur(s)->truncated)
			bb_diag_add(s->diag, BB_WARNING, s->name, s->r.lineno, 0,
				    "a block longer than %zu bytes: the rest is cut (the entry is marked truncated)",
				    s->max_field);
		S_cur(s)->truncated = 1;
		return;
	}
	bb_buf_put(&s->text, l, s->r.line.len);
	bb_buf_putc(&s->text, '\n');
}

static int
S_read(state *s)
{
	while (!s->stop && S_next(&s->r, s->max_field)) {
		if (bb_xmlin_fix_utf8(&s->r.line) && !s->utf8_lines++)
			s->utf8_line = s->r.lineno;
		if (s->r.cut && s->open)
			S_cur(s)->truncated = 1;
		s->total += s->r.line.len + 1;
		if (s->total > s->max_total) {
			bb_diag_add(s->diag, BB_WARNING, s->name, s->r.lineno, 0,
				    "the export holds more than %zu KB of text: the rest is not read (the entries before "
				    "are kept)", s->max_total >> 10);
			if (s->open)
				S_cur(s)->truncated = 1;
			s->x->partial = 1;
			break;
		}
		S_line(s);
	}
	/* an export may end without its last line of dashes */
	S_end_entry(s);
	if (s->utf8_lines)
		bb_diag_add(s->diag, BB_WARNING, s->name, s->utf8_line, 0,
			    "%u lines with bytes that are not UTF-8 (or characters XML forbids): replaced by U+FFFD, the "
			    "first here", s->utf8_lines);
	if (s->stray > 5)
		bb_diag_add(s->diag, BB_WARNING, s->name, 0, 0, "%u more lines that are no field left out", s->stray - 5);
	return 0;
}

static int
S_read_any(FILE *f, const char *data, size_t len, const char *name, const bb_export_opts *o, bb_export **out,
	   bb_diaglist *diag)
{
	state s;
	memset(&s, 0, sizeof s);
	s.r.f = f;
	s.r.mem = data;
	s.r.len = len;
	s.diag = diag;
	s.name = name;
	s.max_total = o && o->max_total ? o->max_total : DEF_TOTAL;
	s.max_field = o && o->max_field ? o->max_field : DEF_FIELD;
	s.max_items = o && o->max_items ? o->max_items : DEF_ITEMS;
	s.max_list = o && o->max_list ? o->max_list : DEF_LIST;
	s.x = bb_export_new("movabletype");
	if (o && o->spill && !(s.x->spill = tmpfile()))
		bb_diag_add(diag, BB_WARNING, name, 0, 0, "no temporary file for the bodies (%s): they are held in memory",
			    strerror(errno));
	S_read(&s);
	bb_buf_free(&s.r.line);
	bb_buf_free(&s.body);
	bb_buf_free(&s.ext);
	bb_buf_free(&s.text);
	free(s.primary);
	free(s.c_author);
	free(s.c_date);
	if (!s.x->nentries) {
		bb_diag_add(diag, BB_ERROR, name, 0, 0, "no Movable Type entry in it (TITLE:, BODY: ... between lines of dashes)");
		bb_export_free(s.x);
		*out = NULL;
		return -1;
	}
	*out = s.x;
	return 0;
}

int
bb_mt_read_file(const char *path, const char *name, const bb_export_opts *opts, bb_export **out, bb_diaglist *diag)
{
	FILE *f;
	struct stat st;
	int rc;
	*out = NULL;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		bb_diag_add(diag, BB_ERROR, name, 0, 0, "a folder, not an export file");
		return -1;
	}
	if (!(f = fopen(path, "rb"))) {
		bb_diag_add(diag, BB_ERROR, name, 0, 0, "cannot open the file: %s", strerror(errno));
		return -1;
	}
	rc = S_read_any(f, NULL, 0, name, opts, out, diag);
	fclose(f);
	return rc;
}

int
bb_mt_read_memory(const char *data, size_t len, const char *name, const bb_export_opts *opts, bb_export **out,
		  bb_diaglist *diag)
{
	*out = NULL;
	return S_read_any(NULL, data ? data : "", data ? len : 0, name, opts, out, diag);
}

/* 1 when a line of the n bytes at h starts with what. */
static int
S_line_starts(const char *h, size_t n, const char *what)
{
	size_t k = strlen(what), i;
	for (i = 0; i + k <= n; i++)
		if ((i == 0 || h[i - 1] == '\n') && memcmp(h + i, what, k) == 0)
			return 1;
	return 0;
}

int
bb_mt_bid(const char *head, size_t n)
{
	int keys = 0;
	size_t i = 0;
	if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && strchr(" \t\r\n", head[i]))
		i++;
	if (i < n && head[i] == '<')
		return 0; /* markup: XML or HTML */
	keys = S_line_starts(head, n, "TITLE:") + S_line_starts(head, n, "AUTHOR:") + S_line_starts(head, n, "DATE:") +
	       S_line_starts(head, n, "BASENAME:") + S_line_starts(head, n, "CONVERT BREAKS:") +
	       S_line_starts(head, n, "STATUS:");
	if (!S_line_starts(head, n, "-----"))
		return 0;
	if (keys >= 2 && (S_line_starts(head, n, "BODY:\n") || S_line_starts(head, n, "BODY:\r\n")))
		return 90;
	return keys >= 3 ? 60 : 0;
}
