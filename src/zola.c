/* zola.c: Zola's shortcodes, expanded before Markdown (zola.h). */
#define _XOPEN_SOURCE 700
#include "zola.h"
#include "admonition.h"
#include "tera.h"
#include "walk.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define ZOLA_MAX_ARGS 32
#define ZOLA_MAX_DEPTH 8
#define ZOLA_MAX_TEMPLATE (64u << 10)

typedef struct zctx {
	const bb_blog *b;
	const bb_post *p;
	bb_diaglist *dl;
} zctx;

/* One call: name(args). */
typedef struct zcall {
	char name[64];
	bb_tera_var args[ZOLA_MAX_ARGS + 2];
	size_t nargs;
} zcall;

static void
S_call_free(zcall *c)
{
	size_t i;
	for (i = 0; i < c->nargs; i++)
		free(c->args[i].name), free(c->args[i].value);
	c->nargs = 0;
}

static size_t
S_ident(const char *s, const char *e)
{
	size_t n = 0;
	if (s < e && (isalpha((unsigned char)*s) || *s == '_'))
		for (n = 1; s + n < e && (isalnum((unsigned char)s[n]) || s[n] == '_'); n++)
			;
	return n;
}

static const char *
S_ws(const char *s, const char *e)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	return s;
}

/* A value: a string ("", '', `` with \-escaped quotes), or a literal up to
 * the next comma or parenthesis (a number, true, an array). */
static const char *
S_arg_value(const char *s, const char *e, bb_tera_var *v)
{
	if (s < e && (*s == '"' || *s == '\'' || *s == '`')) {
		bb_buf o = BB_BUF_INIT;
		char q = *s++;
		bb_buf_put(&o, "", 0);
		for (; s < e && *s != q; s++) {
			if (*s == '\\' && s + 1 < e && (s[1] == q || s[1] == '\\' || s[1] == '"' || s[1] == '\''))
				s++;
			bb_buf_putc(&o, *s);
		}
		if (s >= e) {
			bb_buf_free(&o);
			return NULL;
		}
		v->value = bb_buf_detach(&o, NULL);
		v->is_str = 1;
		return s + 1;
	}
	if (s < e && *s == '[') {
		const char *c = memchr(s, ']', (size_t)(e - s));
		if (!c)
			return NULL;
		v->value = bb_xstrndup(s, (size_t)(c + 1 - s));
		return c + 1;
	}
	{
		const char *a = s;
		while (s < e && *s != ',' && *s != ')' && !isspace((unsigned char)*s))
			s++;
		if (s == a)
			return NULL;
		v->value = bb_xstrndup(a, (size_t)(s - a));
	}
	return s;
}

/* Reads "name(key=value, ...)" at s; returns the end of the closing
 * parenthesis, or NULL when it is no call. */
static const char *
S_parse_call(const char *s, const char *e, zcall *c)
{
	size_t n = S_ident(s, e);
	memset(c, 0, sizeof *c);
	if (!n || n >= sizeof c->name || s + n >= e || s[n] != '(')
		return NULL;
	memcpy(c->name, s, n);
	s += n + 1;
	for (;;) {
		bb_tera_var *v;
		s = S_ws(s, e);
		if (s < e && *s == ')')
			return s + 1;
		if (c->nargs == ZOLA_MAX_ARGS || !(n = S_ident(s, e)))
			break;
		v = &c->args[c->nargs];
		memset(v, 0, sizeof *v);
		v->name = bb_xstrndup(s, n);
		s = S_ws(s + n, e);
		if (s >= e || *s != '=' || !(s = S_arg_value(S_ws(s + 1, e), e, v))) {
			free(v->name);
			free(v->value);
			break;
		}
		c->nargs++;
		s = S_ws(s, e);
		if (s < e && *s == ',')
			s++;
	}
	S_call_free(c);
	return NULL;
}

static const char *
S_arg(const zcall *c, const char *name)
{
	size_t i;
	for (i = 0; i < c->nargs; i++)
		if (c->args[i].is_str && strcmp(c->args[i].name, name) == 0)
			return c->args[i].value;
	return NULL;
}

/* The template file of shortcode name in the site or its theme: its text
 * (caller frees) or NULL; *is_md 1 for a .md template. Never read outside
 * the blog's folder. */
static char *
S_template(const zctx *z, const char *name, int *is_md, size_t *len)
{
	const char *theme = z->b->config ? bb_fm_str(z->b->config, "theme") : NULL;
	size_t k, rl = strlen(z->b->root_real);
	for (k = 0; k < 4; k++) {
		char *path, *real, *data = NULL;
		if (k >= 2 && (!theme || !*theme || strchr(theme, '/') || strcmp(theme, "..") == 0))
			break;
		path = k < 2 ? bb_xasprintf("%s/templates/shortcodes/%s.%s", z->b->root_real, name, k ? "md" : "html")
			     : bb_xasprintf("%s/themes/%s/templates/shortcodes/%s.%s", z->b->root_real, theme, name,
					    k == 3 ? "md" : "html");
		real = realpath(path, NULL);
		free(path);
		if (real && strncmp(real, z->b->root_real, rl) == 0 && real[rl] == '/' &&
		    bb_read_file(real, ZOLA_MAX_TEMPLATE, &data, len) == 0) {
			free(real);
			*is_md = k & 1;
			return data;
		}
		free(data);
		free(real);
	}
	return NULL;
}

static int
S_is_image(const char *v)
{
	return bb_ext_is(v, (const char *const[]){ "png", "jpg", "jpeg", "gif", "webp", "svg", "avif", NULL });
}

/* The call's arguments as admonition.c reads them; returns their count. */
static size_t
S_sc_args(const zcall *c, bb_sc_arg *a)
{
	size_t i;
	for (i = 0; i < c->nargs; i++) {
		a[i].key = c->args[i].name;
		a[i].val = c->args[i].value;
		a[i].quoted = c->args[i].is_str;
	}
	return c->nargs;
}

/* The images the call names (a dark theme's twin left out), each as an
 * <img> followed by sep: its path as the post would write it (found
 * beside the post or in the site, else as written), its alt text from the
 * argument named like it (default_src: default_alt), else alt. */
static void
S_fallback_images(const zctx *z, const zcall *c, const char *sep, bb_buf *o)
{
	bb_sc_arg a[ZOLA_MAX_ARGS + 2];
	size_t i, n = S_sc_args(c, a);
	for (i = 0; i < c->nargs; i++) {
		const bb_tera_var *v = &c->args[i];
		const char *why, *alt = NULL, *us;
		char *rel, *altkey;
		if (!v->is_str || !S_is_image(v->value) || bb_sc_arg_variant(a, n, i))
			continue;
		us = strrchr(v->name, '_');
		altkey = us ? bb_xasprintf("%.*s_alt", (int)(us - v->name), v->name) : bb_xstrdup("alt");
		if (!(alt = S_arg(c, altkey)) && !(alt = S_arg(c, "alt")))
			alt = "";
		free(altkey);
		rel = strstr(v->value, "://") || v->value[0] == '/' ? NULL : bb_resolve_local(z->b, z->p, v->value, &why);
		bb_buf_puts(o, "<img src=\"");
		if (rel)
			bb_buf_putc(o, '/');
		bb_buf_put_xml(o, rel ? rel : v->value, strlen(rel ? rel : v->value));
		bb_buf_puts(o, "\" alt=\"");
		bb_buf_put_xml(o, alt, strlen(alt));
		bb_buf_puts(o, "\" />");
		bb_buf_puts(o, sep);
		free(rel);
	}
}

/* What a shortcode shows when its template cannot be used: its title, its
 * images, its text arguments (admonition.c's rule) and its body (Markdown,
 * kept as it is). */
static void
S_fallback(const zctx *z, const zcall *c, const char *body, size_t blen, int block, bb_buf *o)
{
	const char *sep = block ? "\n\n" : " ", *t;
	bb_sc_arg a[ZOLA_MAX_ARGS + 2];
	size_t start = o->len, k, n = S_sc_args(c, a);
	if ((t = S_arg(c, "title")) && *t)
		bb_buf_printf(o, block ? "**%s**" : "%s", t);
	if (o->len > start)
		bb_buf_puts(o, sep);
	S_fallback_images(z, c, sep, o);
	/* the text arguments, in their order (an image's alt text is its) */
	for (k = 0; k < n; k++) {
		size_t nl = strlen(a[k].key);
		if (!a[k].quoted || strcmp(a[k].key, "title") == 0 || (nl >= 3 && strcmp(a[k].key + nl - 3, "alt") == 0) ||
		    S_is_image(a[k].val) || !bb_sc_arg_is_text(&a[k]))
			continue;
		bb_buf_puts(o, a[k].val);
		bb_buf_puts(o, sep);
	}
	if (body && blen) {
		bb_buf_put(o, body, blen);
		bb_buf_puts(o, sep);
	}
	while (o->len > start && (o->data[o->len - 1] == ' ' || o->data[o->len - 1] == '\n'))
		o->len--;
	if (o->data)
		o->data[o->len] = '\0';
}

/* An admonition with no template (admonition.c): its box, and in it its
 * body or its text argument, as Markdown. */
static void
S_admonition(const zcall *c, const char *body, size_t blen, int block, bb_buf *o)
{
	bb_sc_arg a[ZOLA_MAX_ARGS + 2];
	size_t n = S_sc_args(c, a);
	const char *text = bb_admonition_text(a, n);
	if (!block)
		bb_buf_puts(o, "\n\n");
	bb_admonition_open(o, c->name, a, n);
	bb_buf_putc(o, '\n');
	if (body && blen) {
		bb_buf_put(o, body, blen);
		if (body[blen - 1] != '\n')
			bb_buf_putc(o, '\n');
	} else if (text) {
		bb_buf_puts(o, text);
		bb_buf_putc(o, '\n');
	}
	bb_admonition_close(o);
	if (!block)
		bb_buf_puts(o, "\n\n");
}

/* One shortcode written to o: from its template, else its fallback. */
static void
S_render(const zctx *z, zcall *c, const char *body, size_t blen, int block, unsigned line, unsigned col, bb_buf *o)
{
	size_t tlen = 0, mark = o->len;
	int is_md = 0;
	char *tpl = S_template(z, c->name, &is_md, &tlen);
	const char *why = NULL;
	if (tpl) {
		int rc;
		/* a block's body is the value body (as Zola gives it) */
		if (body) {
			c->args[c->nargs].name = bb_xstrdup("body");
			c->args[c->nargs].value = bb_xstrndup(body, blen);
			c->args[c->nargs++].is_str = 1;
		}
		if (block)
			bb_buf_puts(o, "\n");
		rc = bb_tera_render(tpl, tlen, c->args, c->nargs, !is_md, o, &why);
		free(tpl);
		if (body) {
			c->nargs--;
			free(c->args[c->nargs].name), free(c->args[c->nargs].value);
		}
		if (rc == 0) {
			if (block)
				bb_buf_puts(o, "\n");
			return;
		}
		o->len = mark;
		if (o->data)
			o->data[mark] = '\0';
		bb_diag_add(z->dl, BB_WARNING, z->p->path, line, col,
			    "Zola shortcode '%s': its template has %s, which blogbind does not read; its text is kept",
			    c->name, why ? why : "a problem");
	} else if (bb_admonition_is(c->name)) {
		S_admonition(c, body, blen, block, o);
		return;
	} else
		bb_diag_add(z->dl, BB_WARNING, z->p->path, line, col,
			    "Zola shortcode '%s' has no template in templates/shortcodes; its text and images are kept",
			    c->name);
	if (bb_admonition_is(c->name))
		S_admonition(c, body, blen, block, o);
	else
		S_fallback(z, c, body, blen, block, o);
}

/* The {% end %} closing the body that starts at s: its start, *after set
 * past it; nested block shortcodes are skipped. NULL when none. */
static const char *
S_find_end(const char *s, const char *e, const char **after)
{
	int depth = 0;
	for (; s + 1 < e; s++) {
		const char *q;
		if (s[0] != '{' || s[1] != '%')
			continue;
		q = S_ws(s + 2, e);
		if (e - q >= 3 && strncmp(q, "end", 3) == 0 && !S_ident(q + 3, e) && (q = S_ws(q + 3, e)) + 1 < e &&
		    q[0] == '%' && q[1] == '}') {
			if (depth-- == 0) {
				*after = q + 2;
				return s;
			}
		} else if (S_ident(q, e) && memchr(q, '(', (size_t)(e - q)))
			depth += q[S_ident(q, e)] == '(';
	}
	return NULL;
}

/* 1 when [s, e) of text is alone on its line(s). */
static int
S_alone(const char *text, const char *s, const char *e, const char *end)
{
	while (s > text && (s[-1] == ' ' || s[-1] == '\t'))
		s--;
	while (e < end && (*e == ' ' || *e == '\t'))
		e++;
	return (s == text || s[-1] == '\n') && (e == end || *e == '\n');
}

static void
S_expand(const zctx *z, const char *text, size_t len, unsigned line, int depth, bb_buf *o, int *any)
{
	const char *s = text, *e = text + len, *done = text, *lc = text;
	unsigned col = 1;
	while (s + 1 < e) {
		const char *q, *after, *end = NULL, *body = NULL;
		char close;
		zcall c;
		if (s[0] != '{' || (s[1] != '{' && s[1] != '%')) {
			s++;
			continue;
		}
		for (; lc < s; lc++)
			if (*lc == '\n')
				line++, col = 1;
			else if (((unsigned char)*lc & 0xC0) != 0x80)
				col++;
		close = s[1] == '{' ? '}' : '%';
		if (s + 3 < e && s[2] == '/' && s[3] == '*') {
			/* escaped (a slash and a star inside the braces): the text of the call */
			const char *t;
			for (t = s + 4; t + 2 < e && !(t[0] == '*' && t[1] == '/' && t[2] == close); t++)
				;
			if (t + 3 < e && t[3] == '}') {
				bb_buf_put(o, done, (size_t)(s - done));
				bb_buf_put(o, s, 2);
				bb_buf_put(o, s + 4, (size_t)(t - s - 4));
				bb_buf_putc(o, close), bb_buf_putc(o, '}');
				s = done = t + 4;
				*any = 1;
				continue;
			}
		}
		q = S_parse_call(S_ws(s + 2, e), e, &c);
		if (!q || (q = S_ws(q, e)) + 1 >= e || q[0] != close || q[1] != '}') {
			if (q)
				S_call_free(&c);
			s += 2;
			continue;
		}
		after = q + 2;
		if (close == '%') {
			const char *b0 = after;
			if (!(end = S_find_end(after, e, &after))) {
				bb_diag_add(z->dl, BB_WARNING, z->p->path, line, col,
					    "Zola shortcode '%s' has no {%% end %%}; its text is kept", c.name);
				S_call_free(&c);
				s += 2;
				continue;
			}
			body = b0;
			while (body < end && *body == '\n')
				body++;
		}
		bb_buf_put(o, done, (size_t)(s - done));
		{
			bb_buf inner = BB_BUF_INIT;
			if (body && depth < ZOLA_MAX_DEPTH)
				S_expand(z, body, (size_t)(end - body), line, depth + 1, &inner, any);
			else if (body)
				bb_buf_put(&inner, body, (size_t)(end - body));
			S_render(z, &c, body ? (inner.data ? inner.data : "") : NULL, inner.len,
				 body != NULL || S_alone(text, s, after, e), line, col, o);
			bb_buf_free(&inner);
		}
		S_call_free(&c);
		*any = 1;
		s = done = after;
	}
	bb_buf_put(o, done, (size_t)(e - done));
}

char *
bb_zola_expand(const bb_blog *b, const bb_post *p, const char *body, size_t len, unsigned line0, bb_diaglist *dl,
	       size_t *out_len)
{
	zctx z;
	bb_buf o = BB_BUF_INIT;
	int any = 0;
	size_t i;
	for (i = 0; i + 1 < len && !(body[i] == '{' && (body[i + 1] == '{' || body[i + 1] == '%')); i++)
		;
	if (i + 1 >= len)
		return NULL;
	z.b = b, z.p = p, z.dl = dl;
	S_expand(&z, body, len, line0, 0, &o, &any);
	if (!any) {
		bb_buf_free(&o);
		return NULL;
	}
	return bb_buf_detach(&o, out_len);
}
