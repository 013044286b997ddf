/* source_export.c: a platform's export file as a blog: WordPress's WXR,
 * Blogger's Atom and Movable Type's text format (the file given, or the one
 * such file in the folder given). The posts' metadata is held in memory;
 * a WordPress or Movable Type body waits in the export's spill file (an
 * unlinked temporary file) and is made as the platform shows it
 * (WordPress: block comments removed or wpautop, shortcodes; Movable Type:
 * its CONVERT BREAKS) when its post is rendered (b->post_text); media
 * come from wp-content/uploads beside the export (or --media) when there,
 * else stay remote (fetched with --fetch-remote, else linked). */
#define _XOPEN_SOURCE 700
#include "source.h"
#include "atom.h"
#include "langdetect.h"
#include "post.h"
#include "util.h"
#include "wpautop.h"
#include "wpshortcode.h"
#include "wxr.h"
#include "mt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* The kinds of export file (the int wp of the functions below). */
enum { K_BLOGGER, K_WP, K_MT };

typedef struct export_src {
	bb_export *x;
	char *name;      /* the export file, relative to the blog's folder */
	char *media;     /* where uploads lie, relative to the folder ("wp-content/uploads"), or NULL */
} export_src;

static int S_text(const bb_blog *b, const bb_post *p, char **text, size_t *len, unsigned *line, bb_diaglist *dl);

/* The bid of the file at path: WordPress or Blogger (wp: 1 asks WXR). */
static int
S_file_bid(const char *path, int wp)
{
	FILE *f = fopen(path, "rb");
	char head[4096];
	size_t n;
	if (!f)
		return 0;
	n = fread(head, 1, sizeof head, f);
	fclose(f);
	return wp == K_MT ? bb_mt_bid(head, n) : wp ? bb_wxr_bid(head, n) : bb_atom_bid(head, n);
}

/* The export file in folder dir that bids best, relative to dir; NULL. */
static char *
S_find(const char *dir, int wp, int *bid)
{
	size_t n, i;
	char **names = bb_list_dir(dir, &n);
	char *best = NULL;
	*bid = 0;
	for (i = 0; i < n; i++) {
		char *p;
		int b;
		if (wp == K_MT ? !bb_ext_is(names[i], (const char *const[]){ "txt", "mt", NULL })
			       : !bb_ext_is(names[i], (const char *const[]){ "xml", "wxr", "atom", NULL }))
			continue;
		p = bb_xasprintf("%s/%s", dir, names[i]);
		if ((b = S_file_bid(p, wp)) > *bid) {
			*bid = b;
			free(best);
			best = bb_xstrdup(names[i]);
		}
		free(p);
	}
	bb_list_free(names, n);
	return best;
}

static int
S_bid_any(const char *path, int is_dir, int wp)
{
	int b;
	char *f;
	if (!is_dir)
		return S_file_bid(path, wp);
	f = S_find(path, wp, &b);
	free(f);
	return b * 85 / 100;
}

static int
S_bid_wp(const char *path, int is_dir)
{
	return S_bid_any(path, is_dir, 1);
}

static int
S_bid_blogger(const char *path, int is_dir)
{
	return S_bid_any(path, is_dir, 0);
}

/* The settings the export names, as a YAML map the common code reads. */
/* The book's author: of the first 64 authors the export names, the one
 * who wrote the most posts (the first such); else the first post's. */
static const char *
S_main_author(const bb_export *x)
{
	size_t i, k, best = 0;
	const char *who = NULL;
	for (k = 0; k < x->nauthors && k < 64; k++) {
		const char *name = *x->authors[k].display_name ? x->authors[k].display_name : x->authors[k].login;
		size_t n = 0;
		for (i = 0; i < x->nentries; i++)
			n += strcmp(x->entries[i].type, "post") == 0 && strcmp(x->entries[i].author, name) == 0;
		if (n > best)
			best = n, who = name;
	}
	for (i = 0; !who && i < x->nentries; i++)
		if (strcmp(x->entries[i].type, "post") == 0 && *x->entries[i].author)
			who = x->entries[i].author;
	return who;
}

static bb_fm_node *
S_settings(const bb_export *x)
{
	const char *keys[] = { "title", "description", "lang", "url", "author" };
	const char *vals[5];
	vals[0] = x->title, vals[1] = x->description, vals[2] = x->language;
	vals[3] = *x->base_blog_url ? x->base_blog_url : x->link;
	vals[4] = S_main_author(x);
	return bb_config_from_pairs(keys, vals, 5);
}

static int
S_config_any(bb_blog *b, int wp)
{
	export_src *e = bb_xcalloc(1, sizeof *e);
	bb_export_opts opts;
	char *path;
	int bid, rc;
	b->srcdata = e;
	if (b->export_path) {
		const char *slash = strrchr(b->export_path, '/');
		e->name = bb_xstrdup(slash ? slash + 1 : b->export_path);
	} else if (!(e->name = S_find(b->root, wp, &bid))) {
		bb_diag_add(&b->diags, BB_ERROR, b->root, 0, 0, "no %s export file in the folder",
			    wp == K_MT ? "Movable Type" : wp ? "WordPress" : "Blogger");
		return -1;
	}
	b->config_name = e->name;
	b->post_text = S_text;
	path = bb_xasprintf("%s/%s", b->root, e->name);
	/* WordPress and Movable Type bodies wait on disk until their post is rendered */
	memset(&opts, 0, sizeof opts);
	opts.spill = 1;
	rc = wp == K_MT ? bb_mt_read_file(path, e->name, &opts, &e->x, &b->diags)
	   : wp ? bb_wxr_read_file(path, e->name, &opts, &e->x, &b->diags)
		: bb_atom_read_file(path, e->name, NULL, &e->x, &b->diags);
	free(path);
	if (rc != 0)
		return -1;
	b->config = S_settings(e->x);
	if (b->opt.media_dir) {
		/* the folder the user named (relative to where blogbind runs):
		 * inside the export's folder, or outside it, read only for the
		 * export's uploads */
		char *real = realpath(b->opt.media_dir, NULL);
		size_t rl = strlen(b->root_real);
		struct stat st;
		if (!real || stat(real, &st) != 0 || !S_ISDIR(st.st_mode))
			bb_diag_add(&b->diags, BB_WARNING, b->opt.media_dir, 0, 0,
				    "--media names no folder; the export's media stay remote (linked)");
		else if (strncmp(real, b->root_real, rl) == 0 && real[rl] == '/')
			e->media = bb_xstrdup(real + rl + 1);
		else if (strcmp(real, b->root_real) == 0)
			e->media = bb_xstrdup(".");
		else {
			b->media_real = real, real = NULL;
			e->media = bb_xstrdup("wp-content/uploads");
		}
		free(real);
	} else if (bb_path_is(b->root, "wp-content/uploads", 1))
		e->media = bb_xstrdup("wp-content/uploads");
	return 0;
}

static int
S_config_wp(bb_blog *b)
{
	return S_config_any(b, 1);
}

static int
S_config_blogger(bb_blog *b)
{
	return S_config_any(b, 0);
}

static void
S_release(bb_blog *b)
{
	export_src *e = b->srcdata;
	if (!e)
		return;
	bb_export_free(e->x);
	free(e->name);
	free(e->media);
	free(e);
	free(b->media_real);
	b->media_real = NULL;
	b->srcdata = NULL;
}

/* Whether an entry goes into the book (drafts with --drafts, pages with
 * --pages, private never). */
static int
S_wanted(const bb_blog *b, const bb_entry *en, int *draft)
{
	*draft = 0;
	if (strcmp(en->type, "post") != 0 && !(b->opt.pages == 1 && strcmp(en->type, "page") == 0))
		return 0;
	if (strcmp(en->status, "publish") == 0 || !*en->status)
		return 1;
	if (strcmp(en->status, "draft") == 0 || strcmp(en->status, "pending") == 0 ||
	    strcmp(en->status, "future") == 0) {
		*draft = 1;
		return 1;
	}
	return 0; /* private, trash, auto-draft, inherit */
}

/* The path part of an absolute URL ("https://x/2019/01/a/" -> "/2019/01/a/"). */
static const char *
S_url_path(const char *u)
{
	const char *s = strstr(u, "://");
	if (!s)
		return *u == '/' ? u : NULL;
	s = strchr(s + 3, '/');
	return s ? s : "/";
}

/* Links to the blog's own posts by ID (?p=123, ?page_id=123) become the
 * path /?p=123 the URL index knows; uploads become files of the folder. */
static char *
S_rewrite(const export_src *e, const char *html, size_t len, size_t *out_len)
{
	bb_buf o = BB_BUF_INIT;
	size_t i = 0;
	const char *up = e->media ? "/wp-content/uploads/" : NULL;
	bb_buf_put(&o, "", 0);
	while (i < len) {
		const char *q;
		if (!up) {
			bb_buf_put(&o, html + i, len - i);
			break;
		}
		if (html[i] == '/' && strncmp(html + i, up, strlen(up)) == 0) {
			/* drop the host written before it: http://host/wp-content -> /media */
			size_t k = o.len;
			while (k > 0 && o.data[k - 1] != '"' && o.data[k - 1] != '\'' && o.data[k - 1] != '=' &&
			       o.data[k - 1] != ' ' && o.data[k - 1] != '(' && o.data[k - 1] != '\n')
				k--;
			if (k < o.len && strstr(o.data + k, "://")) {
				o.len = k;
				o.data[k] = '\0';
			}
			bb_buf_printf(&o, "/%s/", e->media);
			i += strlen(up);
			continue;
		}
		/* on to the next '/', where the prefix may start */
		q = memchr(html + i + 1, '/', len - i - 1);
		bb_buf_put(&o, html + i, (q ? (size_t)(q - html) : len) - i);
		i = q ? (size_t)(q - html) : len;
	}
	return bb_buf_detach(&o, out_len);
}

/* Approved comments, threaded, as HTML after the post. */
static void
S_comments(bb_buf *o, const bb_entry *en, const char *parent, int depth)
{
	size_t i;
	int open = 0;
	if (depth > 32)
		return;
	for (i = 0; i < en->ncomments; i++) {
		const bb_comment *c = &en->comments[i];
		int top = !*c->parent_id || strcmp(c->parent_id, "0") == 0;
		if (*c->type && strcmp(c->type, "comment") != 0)
			continue;
		if (parent ? strcmp(c->parent_id, parent) != 0 : !top)
			continue;
		if (!open++)
			bb_buf_puts(o, "<ol class=\"comments\">\n");
		bb_buf_puts(o, "<li class=\"comment\"><p class=\"comment-meta\"><b>");
		bb_buf_put_xml(o, c->author, strlen(c->author));
		bb_buf_puts(o, "</b> ");
		bb_buf_put_xml(o, c->date, strlen(c->date) > 10 ? 10 : strlen(c->date));
		bb_buf_puts(o, "</p>\n");
		{
			size_t n;
			char *t = bb_wpautop(c->text, strlen(c->text), 1, &n);
			bb_buf_put(o, t, n);
			free(t);
		}
		S_comments(o, en, c->id, depth + 1);
		bb_buf_puts(o, "</li>\n");
	}
	if (open)
		bb_buf_puts(o, "</ol>\n");
}

typedef struct wpwarn {
	bb_diaglist *dl;
	const export_src *e;
	const bb_entry *en;
} wpwarn;

/* A shortcode problem, placed in the export file (the body's line counted
 * from the entry's). */
static void
S_wp_warn(void *ctx, unsigned line, unsigned col, const char *message)
{
	wpwarn *w = ctx;
	bb_diag_add(w->dl, BB_WARNING, w->e->name, w->en->line + (line ? line - 1 : 0), col, "%s", message);
}

/* The body as the platform shows it: WordPress's the_content (blocks or
 * wpautop, then its shortcodes), Blogger's as stored. */
static char *
S_body(const bb_blog *b, const export_src *e, const bb_entry *en, int wp, bb_diaglist *dl)
{
	wpwarn w;
	size_t n, m;
	char *shown;
	w.dl = dl, w.e = e, w.en = en;
	char *body;
	if (wp)
		shown = bb_wp_render_entry(e->x, en, S_wp_warn, &w, &n);
	else if (en->markup == BB_MARKUP_BREAKS) /* Movable Type's Convert Line Breaks */
		shown = bb_wpautop(en->body, en->body_len, 1, &n);
	else
		shown = bb_xstrndup(en->body, en->body_len), n = en->body_len;
	body = S_rewrite(e, shown, n, &m);
	free(shown);
	if (b->opt.comments == 1 && en->ncomments) {
		bb_buf o = BB_BUF_INIT;
		bb_buf_put(&o, body, m);
		bb_buf_puts(&o, "\n<section class=\"comments\"><h2>Comments</h2>\n");
		S_comments(&o, en, NULL, 0);
		bb_buf_puts(&o, "</section>\n");
		free(body);
		body = bb_buf_detach(&o, NULL);
	}
	return body;
}

/* The text of entry en as the book shows it (S_body), its stored body read
 * back from memory or the spill file. */
static int
S_text_of(const bb_blog *b, const export_src *e, const bb_entry *en, int wp, char **text, size_t *len,
	  unsigned *line, bb_diaglist *dl)
{
	bb_entry tmp = *en;
	size_t n;
	char *raw = bb_export_body(e->x, en, &n);
	if (!raw) {
		bb_diag_add(dl, BB_ERROR, e->name, en->line, 0, "cannot read the post's body back from the temporary file");
		return -1;
	}
	tmp.body = raw;
	tmp.body_len = n;
	*text = S_body(b, e, &tmp, wp, dl);
	*len = strlen(*text);
	*line = en->line;
	free(raw);
	return 0;
}

static void
S_alias(bb_post *p, const char *fmt, const char *v)
{
	char *a = bb_xasprintf(fmt, v);
	bb_strv_add(&p->aliases, &p->naliases, a);
	free(a);
}

/* The other addresses of a WordPress post: ?p=ID (?page_id=ID for a
 * page), and its attachments' pages (their permalink, ?attachment_id=ID). */
static void
S_aliases(bb_post *p, bb_export *x, const bb_entry *en)
{
	size_t n, k;
	bb_entry *const *kids = bb_export_children(x, en->id, &n);
	const char *u;
	S_alias(p, "/?p=%s", en->id);
	if (strcmp(en->type, "page") == 0)
		S_alias(p, "/?page_id=%s", en->id);
	for (k = 0; k < n; k++) {
		S_alias(p, "/?attachment_id=%s", kids[k]->id);
		S_alias(p, "/?p=%s", kids[k]->id);
		if (*kids[k]->link && (u = S_url_path(kids[k]->link)) && strcmp(u, "/") != 0)
			S_alias(p, "%s", u);
	}
}

/* The language of a post when the export names none, from its body as
 * shown (its warnings come when it is rendered). */
static void
S_detect(const bb_blog *b, const export_src *e, const bb_entry *en, int wp, bb_post *p)
{
	char *text;
	size_t len;
	unsigned line;
	const char *l;
	bb_diaglist quiet = { 0 };
	if (S_text_of(b, e, en, wp, &text, &len, &line, &quiet) == 0) {
		if ((l = bb_lang_detect(text, len)))
			p->lang = bb_xstrdup(l), p->lang_detected = 1;
		free(text);
	}
	bb_diag_clear(&quiet);
}

static long
S_posts_any(bb_blog *b, int wp)
{
	export_src *e = b->srcdata;
	size_t i, k;
	long found = 0;
	/* the indexes are built before rendering threads share the export */
	bb_export_find(e->x, "");
	bb_export_children(e->x, "0", &k);
	for (i = 0; i < e->x->nentries; i++) {
		bb_entry *en = &e->x->entries[i];
		bb_post *p;
		const char *u;
		int draft;
		if (!S_wanted(b, en, &draft))
			continue;
		found++;
		p = bb_blog_new_post(b);
		p->path = bb_xstrdup(e->name);
		p->draft = draft;
		p->published = 1;
		p->is_html = en->markup != BB_MARKUP_MARKDOWN;
		p->body_line = en->line;
		p->title = bb_xstrdup(en->title);
		p->slug = bb_xstrdup(*en->slug ? en->slug : en->id);
		p->basename = bb_xasprintf("%s#%s", e->name, en->id);
		p->source_id = bb_xstrdup(en->id);
		if (*en->author)
			p->author = bb_xstrdup(en->author);
		if (*en->excerpt)
			p->excerpt = bb_xstrdup(en->excerpt);
		for (k = 0; k < en->ncategories; k++)
			bb_strv_add(&p->categories, &p->ncategories, en->categories[k]);
		for (k = 0; k < en->ntags; k++)
			bb_strv_add(&p->tags, &p->ntags, en->tags[k]);
		if (*en->link) {
			p->source_url = bb_xstrdup(en->link);
			if ((u = S_url_path(en->link)))
				p->permalink = bb_xstrdup(u);
		}
		/* ?p=ID and ?page_id=ID find the post too, and so do the
		 * pages of its attachments (an attachment page shows one
		 * image of the post: in the book, the post) */
		if (wp == K_WP)
			S_aliases(p, e->x, en);
		if (!(*en->date && bb_date_parse(en->date, &p->date, 1) > 0) && !draft)
			bb_diag_add(&b->diags, BB_WARNING, e->name, en->line, 1, "'%s' has no readable date; placed first",
				    p->title);
		/* the body is made when the post is rendered (S_text), from
		 * the export's spill file: memory holds the metadata only */
		p->source_index = i;
		if (!*e->x->language)
			S_detect(b, e, en, wp == K_WP, p);
		if (!*p->title) {
			free(p->title);
			p->title = bb_xstrdup(*en->slug ? en->slug : "Untitled");
		}
		bb_date_ymd(&p->date, p->ymd);
	}
	return found;
}

static int
S_bid_mt(const char *path, int is_dir)
{
	return S_bid_any(path, is_dir, K_MT);
}

static int
S_config_mt(bb_blog *b)
{
	return S_config_any(b, K_MT);
}

static long
S_posts_mt(bb_blog *b)
{
	return S_posts_any(b, K_MT);
}

static long
S_posts_wp(bb_blog *b)
{
	return S_posts_any(b, 1);
}

static long
S_posts_blogger(bb_blog *b)
{
	return S_posts_any(b, 0);
}

static int
S_text(const bb_blog *b, const bb_post *p, char **text, size_t *len, unsigned *line, bb_diaglist *dl)
{
	const export_src *e = b->srcdata;
	if (!e || p->source_index >= e->x->nentries)
		return -1;
	return S_text_of(b, e, &e->x->entries[p->source_index], strcmp(e->x->kind, "wordpress") == 0, text, len,
			 line, dl);
}

static char *
S_url(const bb_blog *b, const bb_post *p)
{
	return bb_xstrdup(p->permalink ? p->permalink : "/");
}

const bb_source bb_source_wordpress = {
	"wordpress", "a WordPress export", "a WXR file (.xml) from Tools > Export",
	S_bid_wp, S_config_wp, S_posts_wp, S_url, NULL, NULL, S_release
};

const bb_source bb_source_movabletype = {
	"movabletype", "a Movable Type export", "a Movable Type / TypePad export file (.txt: TITLE:, BODY: ... between lines of dashes)",
	S_bid_mt, S_config_mt, S_posts_mt, S_url, NULL, NULL, S_release
};

const bb_source bb_source_blogger = {
	"blogger", "a Blogger export", "an Atom file (.xml) from Settings > Back up content",
	S_bid_blogger, S_config_blogger, S_posts_blogger, S_url, NULL, NULL, S_release
};
