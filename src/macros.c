/* macros.c: Liquid and Hugo shortcodes, expanded before Markdown: the
 * blog's side of liquid.c (variables, post_url and link) and the Hugo
 * shortcode pass. */
#define _POSIX_C_SOURCE 200809L
#include "macros.h"
#include "liquid.h"
#include "shortcode_hugo.h"
#include "sitedata.h"
#include "source.h"
#include "util.h"
#include "zola.h"
#include "sitedata.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* What the Liquid callbacks know of the post. */
typedef struct lctx {
	const bb_blog *b;
	const bb_post *p;
	bb_diaglist *dl;
	unsigned line0;
	bb_fm_node *fm;
	char *tmp;
} lctx;

static char *
S_liquid_resolve(void *ud, const char *kind, const char *arg)
{
	lctx *c = ud;
	const bb_blog *b = c->b;
	size_t t;
	char *key = bb_xstrdup(arg), *dot;
	const char *name = key;
	int found, other = 0;
	/* post_url takes "2023-01-05-slug" (maybe in a folder), link a path */
	if (strcmp(kind, "post_url") == 0) {
		const char *base = strrchr(key, '/');
		name = base ? base + 1 : key;
	}
	/* a path may start with "/": the maps hold it without */
	found = bb_map_get(&b->by_name, name, &t) || (name[0] == '/' && bb_map_get(&b->by_name, name + 1, &t));
	if (!found && b->all_posts)
		found = other = bb_map_get(&b->other_by_name, name, &t) ||
				(name[0] == '/' && bb_map_get(&b->other_by_name, name + 1, &t)); /* a post of another volume */
	if (!found && strcmp(kind, "post_url") != 0 && (dot = strrchr(key, '.')))
		*dot = '\0', found = 0;
	free(key);
	if (!found)
		return NULL;
	return bb_xasprintf("%s%s", b->baseurl ? b->baseurl : "", other ? b->all_posts[t].url : b->posts[t].url);
}

/* {% include %}: a file of the blog's _includes, never outside it. */
static char *
S_liquid_include(void *ud, const char *name, size_t *len)
{
	lctx *c = ud;
	return bb_liquid_read_include(c->b->root_real, name, len);
}

/* {% include_relative %}: a file beside the post, inside the blog. */
static char *
S_liquid_include_relative(void *ud, const char *name, size_t *len)
{
	lctx *c = ud;
	return bb_liquid_read_relative(c->b->root_real, c->p->path, name, len);
}

/* page.date as Jekyll prints its Time (Ruby's Time#to_s):
 * "2008-11-21 00:00:00 +0000", the time and offset as the post wrote them
 * (00:00:00 and +0000, Jekyll's in UTC, when it wrote none); "" for a post
 * without a date. Valid until the next call. */
static const char *
S_page_date(lctx *c)
{
	const bb_date *d = &c->p->date;
	int off = d->has_time ? d->tzoff : 0, a = off < 0 ? -off : off;
	if (!c->p->ymd[0])
		return c->p->ymd;
	free(c->tmp);
	c->tmp = bb_xasprintf("%s %02d:%02d:%02d %c%02d%02d", c->p->ymd, d->has_time ? d->hour % 100 : 0,
			      d->has_time ? d->min % 100 : 0, d->has_time ? d->sec % 100 : 0, off < 0 ? '-' : '+',
			      a / 60 % 100, a % 60);
	return c->tmp;
}

/* Jekyll's page.date is that Time whatever the front matter wrote: the
 * front matter's date, as Liquid reads it, becomes S_page_date's text. */
static void
S_fm_date(lctx *c)
{
	bb_fm_node *m = c->fm;
	size_t i;
	if (!m || m->kind != BB_FM_MAP || !c->p->ymd[0])
		return;
	for (i = 0; i + 1 < m->nkids; i += 2) {
		bb_fm_node *v = m->kids[i + 1];
		if (m->kids[i]->value && strcmp(m->kids[i]->value, "date") == 0 && v->kind == BB_FM_SCALAR &&
		    !v->shared) {
			free(v->value);
			v->value = bb_xstrdup(S_page_date(c));
		}
	}
}

static const char *
S_liquid_lookup(void *ud, const char *name)
{
	lctx *c = ud;
	const bb_blog *b = c->b;
	if (strncmp(name, "site.", 5) == 0) {
		const char *k = name + 5;
		if (strcmp(k, "baseurl") == 0)
			return b->baseurl ? b->baseurl : "";
		if (strcmp(k, "url") == 0)
			return b->url ? b->url : "";
		if (strcmp(k, "title") == 0)
			return b->title;
		if (strcmp(k, "author") == 0)
			return b->author ? b->author : "";
		if (strcmp(k, "description") == 0)
			return b->description ? b->description : "";
		return b->config ? bb_fm_str(b->config, k) : NULL;
	}
	if (strncmp(name, "page.", 5) == 0) {
		const char *k = name + 5;
		if (strcmp(k, "title") == 0)
			return c->p->title;
		if (strcmp(k, "date") == 0)
			return S_page_date(c);
		if (strcmp(k, "url") == 0)
			return c->p->url;
		if (strcmp(k, "slug") == 0)
			return c->p->slug;
		if (strcmp(k, "path") == 0) {
			/* the file's name as text: bytes that are not UTF-8 and
			 * control characters become U+FFFD */
			const unsigned char *u = (const unsigned char *)c->p->path;
			size_t n = strlen(c->p->path), i = 0;
			bb_buf b = BB_BUF_INIT;
			bb_buf_put(&b, "", 0);
			while (i < n) {
				unsigned cp;
				int w = bb_utf8_decode(u + i, n - i, &cp);
				if (w == 0 || cp < 0x20 || cp == 0x7F) {
					bb_buf_put(&b, "\xEF\xBF\xBD", 3);
					i += w ? (size_t)w : 1;
				} else {
					bb_buf_put(&b, u + i, (size_t)w);
					i += (size_t)w;
				}
			}
			free(c->tmp);
			c->tmp = bb_buf_detach(&b, NULL);
			return c->tmp;
		}
		if (strcmp(k, "id") == 0) {
			const char *u = c->p->url;
			size_t n = strlen(u);
			free(c->tmp);
			c->tmp = bb_xstrndup(u, n >= 5 && strcmp(u + n - 5, ".html") == 0 ? n - 5 : n);
			return c->tmp;
		}
		return c->fm ? bb_fm_str(c->fm, k) : NULL;
	}
	return NULL;
}

static void
S_liquid_warn(void *ud, unsigned line, unsigned col, const char *msg)
{
	lctx *c = ud;
	bb_diag_add(c->dl, BB_WARNING, c->p->path, c->line0 + line - 1, col, "%s", msg);
}

/* Hugo's shortcodes (shortcode_hugo.c), with the post's front matter for
 * {{< param >}}. */
static char *
S_hugo(const lctx *st, const bb_post_text *t, const char *body, size_t blen, size_t *out_len)
{
	bb_hugo_in in;
	bb_fm_node *fm = NULL;
	bb_fm_problem prob;
	char *r;
	if (t->fmlen && strstr(body, "param")) /* body ends the NUL-terminated file */
		fm = t->toml ? bb_fm_parse_toml(t->text + t->fm, t->fmlen, 2, &prob)
			     : bb_fm_parse(t->text + t->fm, t->fmlen, 2, &prob);
	memset(&in, 0, sizeof in);
	in.b = st->b;
	in.p = st->p;
	in.page = fm;
	in.line0 = st->line0;
	in.dl = st->dl;
	r = bb_hugo_shortcodes(&in, body, blen, out_len, NULL);
	bb_fm_free(fm);
	return r;
}

/* 1 when [t, t + n) holds word w. */
static int
S_holds(const char *t, size_t n, const char *w)
{
	size_t wl = strlen(w), i;
	for (i = 0; i + wl <= n; i++)
		if (memcmp(t + i, w, wl) == 0)
			return 1;
	return 0;
}

/* Hexo renders tags outside fenced code blocks only (``` or ~~~): each
 * block's lines are wrapped in {% raw %} ... {% endraw %}, put at the start
 * of its first line and of its closing fence, so no line moves. A block
 * holding "endraw" itself is left as it is. Returns the new text or NULL
 * when there is no such block. */
static char *
S_hexo_fences(const char *t, size_t len, size_t *out_len)
{
	bb_buf o = BB_BUF_INIT;
	size_t i = 0, done = 0;
	int any = 0;
	while (i < len) {
		size_t e = i, ind, fl, j, k, close = 0;
		char f;
		while (e < len && t[e] != '\n')
			e++;
		for (ind = i; ind < e && ind - i < 4 && (t[ind] == ' ' || t[ind] == '>'); ind++)
			;
		f = ind < e ? t[ind] : 0;
		for (fl = 0; (f == '`' || f == '~') && ind + fl < e && t[ind + fl] == f; fl++)
			;
		if (fl < 3 || e >= len) {
			i = e + 1;
			continue;
		}
		/* the closing fence: as many marks or more, alone on its line */
		for (j = e + 1; j < len && !close;) {
			size_t le = j, q = j, n = 0;
			while (le < len && t[le] != '\n')
				le++;
			while (q < le && (t[q] == ' ' || t[q] == '>'))
				q++;
			while (q + n < le && t[q + n] == f)
				n++;
			for (k = q + n; n >= fl && k < le && (t[k] == ' ' || t[k] == '\t'); k++)
				;
			if (n >= fl && k == le)
				close = j;
			else
				j = le + 1;
		}
		if (!close) {
			i = e + 1;
			continue;
		}
		if (close > e + 1 && !S_holds(t + e + 1, close - e - 1, "endraw")) {
			bb_buf_put(&o, t + done, e + 1 - done);
			bb_buf_puts(&o, "{% raw %}");
			bb_buf_put(&o, t + e + 1, close - e - 1);
			bb_buf_puts(&o, "{% endraw %}");
			done = close;
			any = 1;
		}
		while (close < len && t[close] != '\n')
			close++;
		i = close + 1;
	}
	if (!any)
		return NULL;
	bb_buf_put(&o, t + done, len - done);
	return bb_buf_detach(&o, out_len);
}

char *
bb_macros_expand(const bb_blog *b, const bb_post *p, const bb_post_text *t, bb_diaglist *dl, size_t *out_len)
{
	const char *body = t->text + t->body;
	size_t blen = t->len - t->body;
	char *r = NULL, *fenced = NULL;
	size_t flen = 0;
	lctx lc;
	memset(&lc, 0, sizeof lc);
	lc.b = b;
	lc.p = p;
	lc.dl = dl;
	lc.line0 = t->line0;
	if (b->hugo)
		return S_hugo(&lc, t, body, blen, out_len);
	if (b->zola)
		return bb_zola_expand(b, p, body, blen, t->line0, dl, out_len);
	/* Liquid first, as Jekyll does; on a Hexo site not in fenced code */
	if (bb_liquid_present(body, blen) && b->src && strcmp(b->src->name, "hexo") == 0 &&
	    (fenced = S_hexo_fences(body, blen, &flen)))
		body = fenced, blen = flen;
	if (bb_liquid_present(body, blen)) {
		bb_liquid_ctx ctx;
		bb_liquid_env env;
		bb_fm_problem prob;
		if (t->fmlen)
			lc.fm = t->toml ? bb_fm_parse_toml(t->text + t->fm, t->fmlen, 2, &prob)
					: bb_fm_parse(t->text + t->fm, t->fmlen, 2, &prob);
		S_fm_date(&lc);
		ctx.resolve = S_liquid_resolve;
		ctx.lookup = S_liquid_lookup;
		ctx.warn = S_liquid_warn;
		ctx.ud = &lc;
		memset(&env, 0, sizeof env);
		env.site = b->config;
		env.data = b->site_data;
		/* site.posts (Jekyll's): made when a post first reads it */
		if (b->src == &bb_source_jekyll) {
			env.posts_fn = bb_site_posts_lazy;
			env.posts_ud = (void *)b;
		}
		env.tags = b->liquid_tags;
		env.page = lc.fm;
		env.read_include = S_liquid_include;
		env.read_relative = S_liquid_include_relative;
		r = bb_liquid_render_env(body, blen, &ctx, &env, out_len);
		bb_fm_free(lc.fm);
		free(lc.tmp);
	}
	free(fenced);
	return r;
}
