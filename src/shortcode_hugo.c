/* shortcode_hugo.c: Hugo's shortcodes expanded before Markdown: the
 * built-in ones as Hugo's templates show them (code, figures, links for
 * embeds, parameters, references into the book), the themes' admonitions,
 * link and version (shortcode_theme.c, admonition.c), the others removed
 * with a warning and their text kept. */
#define _POSIX_C_SOURCE 200809L
#include "shortcode_hugo.h"
#include "shortcode_hugo_int.h"
#include "admonition.h"
#include "links.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>


static void S_expand(sc_state *st, size_t from, size_t to);

static void
S_tag_free(sc_tag *t)
{
	int i;
	for (i = 0; i < t->nargs; i++) {
		free(t->key[i]);
		free(t->val[i]);
	}
	t->nargs = 0;
}

/* The file line and column of text offset off. */
static void
S_where(sc_state *st, size_t off, unsigned *line, unsigned *col)
{
	if (off < st->cur) {
		st->cur = 0;
		st->line = st->in->line0;
		st->col = 1;
	}
	for (; st->cur < off && st->cur < st->len; st->cur++) {
		unsigned char c = (unsigned char)st->text[st->cur];
		if (c == '\n')
			st->line++, st->col = 1;
		else if ((c & 0xC0) != 0x80)
			st->col++;
	}
	*line = st->line;
	*col = st->col;
}

static void
S_warn(sc_state *st, size_t off, const char *fmt, const char *a, const char *b)
{
	unsigned line, col;
	S_where(st, off, &line, &col);
	bb_diag_add(st->in->dl, BB_WARNING, st->in->p->path, line, col, fmt, a, b ? b : "");
}

static int
S_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* 1 when t[j..) is the tag's end: delim "}}". */
static int
S_at_close(const char *t, size_t len, size_t j, char delim)
{
	return j + 2 < len && t[j] == delim && t[j + 1] == '}' && t[j + 2] == '}';
}

/* Reads one argument word at t[*j]: "quoted" (with \ escapes), `raw` or
 * bare (up to a blank, '=' or the tag's end); *quoted 1 for the first two.
 * Returns it (caller frees) or NULL when there is none or a quote is not
 * closed. */
static char *
S_word(const char *t, size_t len, size_t *j, char delim, int *quoted)
{
	bb_buf w = BB_BUF_INIT;
	size_t k = *j;
	*quoted = k < len && (t[k] == '"' || t[k] == '`');
	if (*quoted) {
		char q = t[k++];
		for (; k < len && t[k] != q; k++) {
			if (q == '"' && t[k] == '\\' && k + 1 < len)
				k++;
			bb_buf_putc(&w, t[k]);
		}
		if (k >= len) {
			bb_buf_free(&w);
			return NULL;
		}
		k++;
	} else {
		for (; k < len && !S_blank(t[k]) && t[k] != '=' && !S_at_close(t, len, k, delim) &&
		       !(t[k] == '/' && S_at_close(t, len, k + 1, delim)); k++)
			bb_buf_putc(&w, t[k]);
		if (k == *j)
			return NULL;
	}
	*j = k;
	bb_buf_put(&w, "", 0);
	return bb_buf_detach(&w, NULL);
}

/* Parses the tag starting at t[i] ("{{<" or "{{%"). Returns 1 and fills
 * tag, or 0 when t[i] starts none (then it is text). */
static int
S_parse_tag(const char *t, size_t len, size_t i, sc_tag *tag)
{
	size_t j = i + 3, lim = len - i > SC_MAX_TAG ? i + SC_MAX_TAG : len, n, k;
	char delim = t[i + 2] == '<' ? '>' : '%';
	/* a tag ends before the next "{{" or blank line: a flood of "{{<"
	 * costs each one a step, not SC_MAX_TAG */
	for (k = j; k + 1 < lim; k++)
		if ((t[k] == '{' && t[k + 1] == '{') || (t[k] == '\n' && t[k + 1] == '\n')) {
			lim = k + 1;
			break;
		}
	memset(tag, 0, sizeof *tag);
	tag->start = i;
	tag->delim = t[i + 2];
	while (j < lim && S_blank(t[j]))
		j++;
	if (j + 1 < lim && t[j] == '/' && t[j + 1] == '*') {
		size_t k;
		for (k = j + 2; k + 1 < lim; k++)
			if (t[k] == '*' && t[k + 1] == '/') {
				size_t e = k + 2;
				while (e < lim && S_blank(t[e]))
					e++;
				if (S_at_close(t, lim, e, delim)) {
					tag->comment = 1;
					tag->cb = j + 2;
					tag->ce = k;
					tag->end = e + 3;
					return 1;
				}
			}
		return 0;
	}
	if (j < lim && t[j] == '/') {
		tag->closing = 1;
		j++;
		while (j < lim && S_blank(t[j]))
			j++;
	}
	for (n = 0; j < lim && (isalnum((unsigned char)t[j]) || strchr("_-./", t[j])) &&
		    !(t[j] == '/' && S_at_close(t, lim, j + 1, delim)); j++)
		if (n + 1 < SC_MAX_NAME)
			tag->name[n++] = t[j];
	if (!n)
		return 0;
	for (;;) {
		char *w, *v = NULL;
		int wq, vq = 0;
		while (j < lim && S_blank(t[j]))
			j++;
		if (S_at_close(t, lim, j, delim)) {
			tag->end = j + 3;
			return 1;
		}
		if (t[j] == '/' && S_at_close(t, lim, j + 1, delim)) {
			tag->end = j + 4;
			return 1;
		}
		if (!(w = S_word(t, lim, &j, delim, &wq)))
			break;
		if (j < lim && t[j] == '=') {
			j++;
			if (!(v = S_word(t, lim, &j, delim, &vq))) {
				free(w);
				break;
			}
		}
		if (tag->nargs == SC_MAX_ARGS) {
			free(w);
			free(v);
			continue;
		}
		tag->key[tag->nargs] = v ? w : NULL;
		tag->quoted[tag->nargs] = v ? vq : wq;
		tag->val[tag->nargs++] = v ? v : w;
	}
	S_tag_free(tag);
	return 0;
}


/* Finds the first closing tag named name from offset from: fills *close
 * (caller frees with S_tag_free) and returns 1, or 0 when there is none. */
static int
S_find_close(sc_state *st, size_t from, const char *name, sc_tag *close)
{
	const char *t = st->text;
	size_t i, len = st->len;
	/* a search that failed from an earlier place fails from here too: many
	 * unclosed tags cost one scan, not one each */
	if (st->no_close_name[0] && strcmp(st->no_close_name, name) == 0 && from >= st->no_close_from)
		return 0;
	for (i = from; i + 3 < len; i++) {
		if (t[i] != '{' || t[i + 1] != '{' || (t[i + 2] != '<' && t[i + 2] != '%') ||
		    !S_parse_tag(t, len, i, close))
			continue;
		/* the first closing tag: what is inside (code) does not nest */
		if (!close->comment && close->closing && strcmp(close->name, name) == 0)
			return 1;
		i = close->end - 1;
		S_tag_free(close);
	}
	if (!st->no_close_name[0] || from < st->no_close_from || strcmp(st->no_close_name, name) != 0) {
		snprintf(st->no_close_name, sizeof st->no_close_name, "%s", name);
		st->no_close_from = from;
	}
	return 0;
}

/* Appends text[from..to) with its {{< /-star ... star-/ >}} comments shown as the
 * shortcodes they quote, nothing else expanded (code keeps its text). */
static void
S_literal(sc_state *st, size_t from, size_t to)
{
	size_t i, run = from;
	sc_tag tag;
	for (i = from; i + 3 < to; i++) {
		if (st->text[i] != '{' || st->text[i + 1] != '{' || (st->text[i + 2] != '<' && st->text[i + 2] != '%') ||
		    !S_parse_tag(st->text, to, i, &tag))
			continue;
		if (tag.comment) {
			bb_buf_put(&st->out, st->text + run, i - run);
			bb_buf_printf(&st->out, "{{%c", tag.delim);
			bb_buf_put(&st->out, st->text + tag.cb, tag.ce - tag.cb);
			bb_buf_printf(&st->out, "%c}}", tag.delim == '<' ? '>' : '%');
			st->n.escaped++;
			run = tag.end;
		}
		i = tag.end - 1;
		S_tag_free(&tag);
	}
	bb_buf_put(&st->out, st->text + run, to - run);
}



/* {{< highlight LANG [OPTIONS] >}}CODE{{< /highlight >}}: a fenced code
 * block in LANG, the code as written (comments unquoted). Returns where
 * the text goes on, or 0 when the tag has no closing one. */
static size_t
S_highlight(sc_state *st, const sc_tag *tag)
{
	sc_tag close;
	const char *lang = bb_hsc_arg(tag, NULL, 0), *ind, *c;
	size_t nind, cb = tag->end, ce, run = 0, r = 0, k;
	bb_buf code = BB_BUF_INIT;
	if (!S_find_close(st, tag->end, tag->name, &close))
		return 0;
	ce = close.start;
	/* Hugo trims the inner text's new lines */
	while (cb < ce && (st->text[cb] == '\n' || st->text[cb] == '\r'))
		cb++;
	while (ce > cb && (st->text[ce - 1] == '\n' || st->text[ce - 1] == '\r'))
		ce--;
	{
		bb_buf keep = st->out;
		st->out = code;
		S_literal(st, cb, ce);
		code = st->out;
		st->out = keep;
	}
	for (k = 0; k < code.len; k++) {
		r = code.data[k] == '`' ? r + 1 : 0;
		if (r > run)
			run = r;
	}
	nind = bb_hsc_block_indent(st, tag->start, &ind);
	for (k = 0; k < (run < 3 ? 3 : run + 1); k++)
		bb_buf_putc(&st->out, '`');
	for (c = lang; c && *c; c++)
		if (isalnum((unsigned char)*c) || strchr("_+#.-", *c))
			bb_buf_putc(&st->out, *c);
	bb_buf_putc(&st->out, '\n');
	for (k = 0; k < code.len; k++) {
		if (k == 0 || code.data[k - 1] == '\n')
			bb_buf_put(&st->out, ind, nind);
		bb_buf_putc(&st->out, code.data[k]);
	}
	if (code.len)
		bb_buf_putc(&st->out, '\n');
	bb_buf_put(&st->out, ind, nind);
	for (k = 0; k < (run < 3 ? 3 : run + 1); k++)
		bb_buf_putc(&st->out, '`');
	bb_buf_putc(&st->out, '\n');
	bb_buf_free(&code);
	S_tag_free(&close);
	bb_hsc_block_end(st, close.end);
	return close.end;
}

static void
S_attr(bb_buf *o, const char *name, const char *v)
{
	if (!v || !*v)
		return;
	bb_buf_printf(o, " %s=\"", name);
	bb_buf_put_xml(o, v, strlen(v));
	bb_buf_putc(o, '"');
}

/* Appends s with its Markdown markup left out (Hugo's plainify of a
 * markdownified caption): emphasis and code marks, [text](url) as text. */
static void
S_plain(bb_buf *o, const char *s)
{
	for (; *s; s++) {
		if (*s == '*' || *s == '_' || *s == '`')
			continue;
		if (*s == ']' && s[1] == '(') {
			const char *e = strchr(s, ')');
			if (e) {
				s = e;
				continue;
			}
		}
		if (*s == '[')
			continue;
		bb_buf_putc(o, *s == '\n' ? ' ' : *s);
	}
}


/* {{< figure src= [alt= title= caption= attr= attrlink= link= class=
 * width= height=] >}}: Hugo's <figure>; the caption and attr are Markdown
 * there (markdownify), so they stand as a paragraph between the HTML. */
static void
S_figure(sc_state *st, const sc_tag *tag)
{
	const char *src = bb_hsc_arg(tag, "src", -1), *alt = bb_hsc_arg(tag, "alt", -1), *title = bb_hsc_arg(tag, "title", -1);
	const char *cap = bb_hsc_arg(tag, "caption", -1), *attr = bb_hsc_arg(tag, "attr", -1), *link = bb_hsc_arg(tag, "link", -1);
	const char *al = bb_hsc_arg(tag, "attrlink", -1), *ind;
	size_t nind;
	if (!src || !*src) {
		S_warn(st, tag->start, "Hugo %s%s without src: removed", tag->name, NULL);
		return;
	}
	nind = bb_hsc_block_indent(st, tag->start, &ind);
	bb_buf_puts(&st->out, "<figure");
	S_attr(&st->out, "class", bb_hsc_arg(tag, "class", -1));
	bb_buf_putc(&st->out, '>');
	if (link && *link) {
		bb_buf_puts(&st->out, "<a");
		S_attr(&st->out, "href", link);
		bb_buf_putc(&st->out, '>');
	}
	bb_buf_puts(&st->out, "<img");
	S_attr(&st->out, "src", src);
	bb_buf_puts(&st->out, " alt=\"");
	if (alt && *alt)
		bb_buf_put_xml(&st->out, alt, strlen(alt));
	else if (cap && *cap) {
		bb_buf pl = BB_BUF_INIT;
		S_plain(&pl, cap);
		if (pl.len)
			bb_buf_put_xml(&st->out, pl.data, pl.len);
		bb_buf_free(&pl);
	}
	bb_buf_putc(&st->out, '"');
	S_attr(&st->out, "width", bb_hsc_arg(tag, "width", -1));
	S_attr(&st->out, "height", bb_hsc_arg(tag, "height", -1));
	bb_buf_puts(&st->out, " />");
	if (link && *link)
		bb_buf_puts(&st->out, "</a>");
	if ((title && *title) || (cap && *cap) || (attr && *attr)) {
		bb_buf_puts(&st->out, "<figcaption>");
		if (title && *title) {
			bb_buf_puts(&st->out, "<h4>");
			bb_buf_put_xml(&st->out, title, strlen(title));
			bb_buf_puts(&st->out, "</h4>");
		}
		if ((cap && *cap) || (attr && *attr)) {
			bb_buf_puts(&st->out, "\n\n");
			bb_buf_put(&st->out, ind, nind);
			bb_hsc_para(&st->out, cap ? cap : "");
			if (attr && *attr) {
				if (al && *al) {
					bb_buf_puts(&st->out, "<a");
					S_attr(&st->out, "href", al);
					bb_buf_putc(&st->out, '>');
				}
				bb_hsc_para(&st->out, attr);
				if (al && *al)
					bb_buf_puts(&st->out, "</a>");
			}
			bb_buf_puts(&st->out, "\n\n");
			bb_buf_put(&st->out, ind, nind);
		}
		bb_buf_puts(&st->out, "</figcaption>");
	}
	bb_buf_puts(&st->out, "</figure>\n");
	bb_hsc_block_end(st, tag->end);
}


/* Appends an id as one URL path segment (what is not safe percent-encoded). */
static void
S_segment(bb_buf *o, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || strchr("-_.~", c))
			bb_buf_putc(o, (char)c);
		else
			bb_buf_printf(o, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
}

/* youtube, vimeo, gist, tweet, twitter, x, instagram: a link to what the
 * site embeds, labelled by its title or kind and id. */
static void
S_embed(sc_state *st, const sc_tag *tag)
{
	const char *nm = tag->name, *id = bb_hsc_arg(tag, "id", 0), *title = bb_hsc_arg(tag, "title", -1), *user;
	bb_buf url = BB_BUF_INIT, lab = BB_BUF_INIT;
	if (strcmp(nm, "gist") == 0) {
		user = bb_hsc_arg(tag, "user", 0);
		id = bb_hsc_arg(tag, "id", 1);
	} else if (strcmp(nm, "tweet") == 0 || strcmp(nm, "twitter") == 0 || strcmp(nm, "x") == 0) {
		user = bb_hsc_arg(tag, "user", -1);
		id = bb_hsc_arg(tag, "id", user ? -1 : 0);
	} else
		user = NULL;
	if (!id || !*id || (strcmp(nm, "gist") == 0 && (!user || !*user))) {
		S_warn(st, tag->start, "Hugo %s%s without an id: removed", nm, NULL);
		return;
	}
	if (strcmp(nm, "youtube") == 0) {
		bb_buf_puts(&url, "https://www.youtube.com/watch?v=");
		bb_buf_puts(&lab, "YouTube video ");
	} else if (strcmp(nm, "vimeo") == 0) {
		bb_buf_puts(&url, "https://vimeo.com/");
		bb_buf_puts(&lab, "Vimeo video ");
	} else if (strcmp(nm, "instagram") == 0) {
		bb_buf_puts(&url, "https://www.instagram.com/p/");
		bb_buf_puts(&lab, "Instagram post ");
	} else if (strcmp(nm, "gist") == 0) {
		bb_buf_puts(&url, "https://gist.github.com/");
		S_segment(&url, user);
		bb_buf_putc(&url, '/');
		bb_buf_printf(&lab, "Gist %s/", user);
	} else {
		int x = strcmp(nm, "x") == 0;
		bb_buf_puts(&url, x ? "https://x.com/" : "https://twitter.com/");
		S_segment(&url, user && *user ? user : "i");
		bb_buf_puts(&url, "/status/");
		bb_buf_printf(&lab, "%s%s%s ", x ? "Post" : "Tweet", user && *user ? " by @" : "", user ? user : "");
	}
	S_segment(&url, id);
	if (strcmp(nm, "instagram") == 0)
		bb_buf_putc(&url, '/');
	bb_buf_puts(&lab, id);
	if (strcmp(nm, "gist") == 0 && bb_hsc_arg(tag, "file", 2))
		bb_buf_printf(&lab, " %s", bb_hsc_arg(tag, "file", 2));
	bb_buf_put(&url, "", 0);
	bb_buf_put(&lab, "", 0);
	bb_buf_putc(&st->out, '[');
	bb_hsc_label(&st->out, title && *title ? title : lab.data);
	bb_buf_printf(&st->out, "](%s)", url.data);
	bb_buf_free(&url);
	bb_buf_free(&lab);
}

/* The text at a dotted key in map (Hugo's parameter names have no case),
 * or NULL. */
static const char *
S_param_in(const bb_fm_node *map, const char *key)
{
	const bb_fm_node *v = bb_fm_path(map, key, 1);
	return v && v->kind == BB_FM_SCALAR ? v->value : NULL;
}

/* {{< param NAME >}}: the page's parameter, else the site's params. */
static void
S_param(sc_state *st, const sc_tag *tag)
{
	const char *name = bb_hsc_arg(tag, NULL, 0), *v = NULL;
	const bb_fm_node *cfg = st->in->b->config;
	if (name && st->in->page)
		v = S_param_in(st->in->page, name);
	if (name && !v && cfg) {
		char *k = bb_xasprintf("params.%s", name);
		v = S_param_in(cfg, k);
		free(k);
	}
	if (!v) {
		S_warn(st, tag->start, "Hugo param '%s' is set neither in the front matter nor in the site's params: removed%s",
		       name ? name : "", NULL);
		return;
	}
	bb_buf_puts(&st->out, v);
}

/* Folds "." and ".." segments of a path in place (never longer). */
static void
S_fold_dots(char *k)
{
	char *f = bb_path_fold(k);
	memmove(k, f + 1, strlen(f + 1) + 1);
	free(f);
}

/* path without a Markdown extension, language suffix and index name:
 * the key a post's path or a reference is compared by. Caller frees. */
static char *
S_ref_key(const char *path)
{
	char *k = bb_xstrdup(path), *base, *dot;
	size_t n;
	if (strncmp(k, "content/", 8) == 0)
		memmove(k, k + 8, strlen(k + 8) + 1);
	while (k[0] == '/' || (k[0] == '.' && k[1] == '/'))
		memmove(k, k + (k[0] == '/' ? 1 : 2), strlen(k) + 1);
	S_fold_dots(k);
	n = strlen(k);
	while (n && k[n - 1] == '/')
		k[--n] = '\0';
	base = strrchr(k, '/');
	base = base ? base + 1 : k;
	if ((dot = strrchr(base, '.')) && (strcmp(dot, ".md") == 0 || strcmp(dot, ".markdown") == 0 ||
					  strcmp(dot, ".html") == 0))
		*dot = '\0';
	/* index.en, _index.zh-cn: the language code goes */
	if ((strncmp(base, "index.", 6) == 0 || strncmp(base, "_index.", 7) == 0) && (dot = strchr(base, '.')))
		*dot = '\0';
	if (strcmp(base, "index") == 0 || strcmp(base, "_index") == 0)
		base > k ? (void)(base[-1] = '\0') : (void)(*base = '\0');
	return k;
}

/* 1 when key ends with ref at a '/' boundary (or is it). */
static int
S_ref_tail(const char *key, const char *ref)
{
	size_t kn = strlen(key), rn = strlen(ref);
	return rn && kn >= rn && strcmp(key + kn - rn, ref) == 0 && (kn == rn || key[kn - rn - 1] == '/');
}

/* The post a ref names: its content path (from content/ when it starts
 * with '/'), relative to the post's folder, or a path's last parts. */
static long
S_ref_post(const bb_hugo_in *in, const char *ref)
{
	const bb_blog *b = in->b;
	const char *pp = in->p->path, *slash;
	char *want = S_ref_key(ref), *here, *rel;
	long found = -1, tail = -1;
	size_t t;
	/* relative to the folder of the post's file (a bundle's own) */
	if (strncmp(pp, "content/", 8) == 0 && (slash = strrchr(pp + 8, '/')))
		rel = bb_xasprintf("%.*s/%s", (int)(slash - (pp + 8)), pp + 8, ref);
	else
		rel = bb_xstrdup(ref);
	here = S_ref_key(rel);
	/* while a volume is written, the posts of the other volumes too (the
	 * link pass sends those to the web) */
	const bb_post *all = b->all_posts ? b->all_posts : b->posts;
	size_t nall = b->all_posts ? b->nall : b->nposts;
	for (t = 0; t < nall && found < 0; t++) {
		char *key = S_ref_key(all[t].path);
		if (ref[0] == '/' ? strcmp(key, want) == 0 : strcmp(key, here) == 0 || strcmp(key, want) == 0)
			found = (long)t;
		else if (tail < 0 && ref[0] != '/' && S_ref_tail(key, want))
			tail = (long)t;
		free(key);
	}
	free(rel);
	free(here);
	free(want);
	return found >= 0 ? found : tail;
}

/* {{< ref PATH[#ANCHOR] >}}, relref: the post's address in the blog (the
 * link pass turns it into its place in the book), "#ANCHOR" alone in the
 * post itself. */
static void
S_ref(sc_state *st, const sc_tag *tag)
{
	const char *arg = bb_hsc_arg(tag, "path", 0), *hash;
	char *path;
	long t;
	if (!arg || !*arg) {
		S_warn(st, tag->start, "Hugo %s%s without a path: removed", tag->name, NULL);
		return;
	}
	hash = strchr(arg, '#');
	if (hash == arg) {
		bb_buf_puts(&st->out, arg);
		return;
	}
	path = bb_xstrndup(arg, hash ? (size_t)(hash - arg) : strlen(arg));
	t = S_ref_post(st->in, path);
	if (t >= 0) {
		const bb_blog *b = st->in->b;
		const bb_post *all = b->all_posts ? b->all_posts : b->posts;
		bb_buf_printf(&st->out, "%s%s%s", b->baseurl ? b->baseurl : "", all[t].url, hash ? hash : "");
	} else
		S_warn(st, tag->start, "Hugo %s to '%s' names no post of the book: removed", tag->name, arg);
	free(path);
}


/* Notes where each name's last closing tag of the text starts. */
static void
S_scan_closes(sc_state *st)
{
	const char *t = st->text;
	size_t i;
	sc_tag tag;
	for (i = 0; i + 3 < st->len; i++) {
		int k;
		if (t[i] != '{' || t[i + 1] != '{' || (t[i + 2] != '<' && t[i + 2] != '%') ||
		    !S_parse_tag(t, st->len, i, &tag))
			continue;
		if (tag.closing && !tag.comment) {
			for (k = 0; k < st->ncloses && strcmp(st->closes[k].name, tag.name) != 0; k++)
				;
			if (k == st->ncloses && k < SC_MAX_CLOSES)
				memcpy(st->closes[st->ncloses++].name, tag.name, sizeof tag.name);
			if (k < st->ncloses)
				st->closes[k].last = tag.start;
		}
		i = tag.end - 1;
		S_tag_free(&tag);
	}
}


/* 1 when the site has layouts/shortcodes/NAME.html (its own shortcode). */
static int
S_site_shortcode(const bb_blog *b, const char *name)
{
	struct stat sb;
	char *p;
	int r;
	if (strstr(name, ".."))
		return 0;
	p = bb_xasprintf("%s/layouts/shortcodes/%s.html", b->root, name);
	r = stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
	free(p);
	return r;
}

/* One tag: its expansion appended. Returns where the text goes on. */
static size_t
S_apply(sc_state *st, const sc_tag *tag)
{
	const char *nm = tag->name;
	size_t next;
	if (tag->comment) {
		bb_buf_printf(&st->out, "{{%c", tag->delim);
		bb_buf_put(&st->out, st->text + tag->cb, tag->ce - tag->cb);
		bb_buf_printf(&st->out, "%c}}", tag->delim == '<' ? '>' : '%');
		st->n.escaped++;
		return tag->end;
	}
	if (tag->closing) {
		if (strcmp(nm, "details") == 0)
			bb_buf_puts(&st->out, "\n\n");
		else if (st->nboxes)
			bb_hsc_box_close(st, tag);
		return tag->end;
	}
	st->n.handled++;
	if (strcmp(nm, "highlight") == 0) {
		if ((next = S_highlight(st, tag)))
			return next;
		S_warn(st, tag->start, "Hugo %s%s without its closing tag: removed", nm, NULL);
	} else if (strcmp(nm, "figure") == 0)
		S_figure(st, tag);
	else if (strcmp(nm, "youtube") == 0 || strcmp(nm, "vimeo") == 0 || strcmp(nm, "gist") == 0 ||
		 strcmp(nm, "tweet") == 0 || strcmp(nm, "twitter") == 0 || strcmp(nm, "x") == 0 ||
		 strcmp(nm, "instagram") == 0)
		S_embed(st, tag);
	else if (strcmp(nm, "param") == 0)
		S_param(st, tag);
	else if (strcmp(nm, "ref") == 0 || strcmp(nm, "relref") == 0)
		S_ref(st, tag);
	else if (strcmp(nm, "qr") == 0) {
		const char *tx = bb_hsc_arg(tag, "text", 0);
		if (tx && *tx)
			bb_buf_puts(&st->out, tx);
	} else if (strcmp(nm, "details") == 0) {
		const char *sum = bb_hsc_arg(tag, "summary", -1);
		const char *ind;
		bb_hsc_block_indent(st, tag->start, &ind);
		bb_buf_puts(&st->out, "\n\n**");
		bb_hsc_label(&st->out, sum && *sum ? sum : "Details");
		bb_buf_puts(&st->out, "**\n\n");
	} else if (!(bb_admonition_is(nm) && bb_hsc_box_open(st, tag)) && !(strcmp(nm, "link") == 0 && bb_hsc_link(st, tag)) &&
		   !(strcmp(nm, "version") == 0 && bb_hsc_version(st, tag))) {
		int own = S_site_shortcode(st->in->b, nm);
		st->n.handled--;
		st->n.unknown++;
		if (bb_hsc_paired(st, tag))
			S_warn(st, tag->start,
			       own ? "Hugo shortcode '%s' is the site's own (layouts/shortcodes/): removed, its inner text kept%s"
				   : "Hugo shortcode '%s' is not supported: removed, its inner text kept%s",
			       nm, NULL);
		else {
			bb_hsc_keep_args(st, tag);
			S_warn(st, tag->start,
			       own ? "Hugo shortcode '%s' is the site's own (layouts/shortcodes/): removed, the text and images "
				     "of its arguments kept%s"
				   : "Hugo shortcode '%s' is not supported: removed, the text and images of its arguments kept%s",
			       nm, NULL);
		}
	}
	return tag->end;
}

static void
S_expand(sc_state *st, size_t from, size_t to)
{
	size_t i = from, run = from;
	sc_tag tag;
	while (i + 3 < to) {
		if (st->text[i] == '{' && st->text[i + 1] == '{' && (st->text[i + 2] == '<' || st->text[i + 2] == '%') &&
		    S_parse_tag(st->text, to, i, &tag)) {
			bb_buf_put(&st->out, st->text + run, i - run);
			i = run = S_apply(st, &tag);
			S_tag_free(&tag);
			continue;
		}
		i++;
	}
	if (run < to)
		bb_buf_put(&st->out, st->text + run, to - run);
}

char *
bb_hugo_shortcodes(const bb_hugo_in *in, const char *text, size_t len, size_t *out_len, bb_hugo_counts *counts)
{
	sc_state st;
	if (!memchr(text, '{', len))
		return NULL;
	memset(&st, 0, sizeof st);
	st.in = in;
	st.text = text;
	st.len = len;
	st.line = in->line0;
	st.col = 1;
	S_scan_closes(&st);
	S_expand(&st, 0, len);
	if (st.nboxes) {
		bb_buf_puts(&st.out, "\n\n");
		while (st.nboxes)
			bb_admonition_close(&st.out), st.nboxes--;
		bb_buf_putc(&st.out, '\n');
	}
	if (counts) {
		counts->handled += st.n.handled;
		counts->unknown += st.n.unknown;
		counts->escaped += st.n.escaped;
	}
	if (!st.n.handled && !st.n.unknown && !st.n.escaped && st.out.len == len) {
		bb_buf_free(&st.out);
		return NULL;
	}
	bb_buf_put(&st.out, "", 0);
	return bb_buf_detach(&st.out, out_len);
}
