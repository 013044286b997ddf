/* liquid_plugin.c: plugin tags (Jekyll's and Hexo's: highlight, codeblock, images, embeds, footnotes, quotes, links to posts) turned into Markdown. */
#define _XOPEN_SOURCE 700
#include "liquid_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void S_put_label(bb_buf *b, const char *s);
static void S_put_dest(bb_buf *b, const char *s);

/* ---- plugin tags into Markdown ---- */

/* Turns out[bs..] into a fenced code block of lang. eol: the text goes on
 * with a line end. */
static void
S_fence(lq_state *st, size_t bs, const char *lang, int eol)
{
	bb_buf *o = st->out;
	char *out = o->data;
	size_t be = o->len, first = bs, k, run = 0, fence = 3;
	size_t bol, indent_len = 0;
	char *body;
	size_t body_len;
	int blank = 1;

	/* Jekyll drops the line ends around the code */
	for (k = bs; k < be && lq_isspace((unsigned char)out[k]); k++)
		if (out[k] == '\n')
			first = k + 1;
	if (k == be)
		first = be;
	while (be > first && lq_isspace((unsigned char)out[be - 1]))
		be--;
	body_len = be - first;
	body = bb_xstrndup(out + first, body_len);
	for (k = 0; k < body_len; k++) {
		size_t r = 0;
		while (k < body_len && body[k] == '`')
			r++, k++;
		if (r > run)
			run = r;
	}
	if (run + 1 > fence)
		fence = run + 1;
	bb_lq_truncate(o, bs);
	for (bol = bs; bol > 0 && o->data[bol - 1] != '\n'; bol--)
		if (!lq_isspace((unsigned char)o->data[bol - 1]))
			blank = 0;
	if (!blank)
		bb_buf_putc(o, '\n');
	else if (bs - bol <= LQ_INDENT_MAX)
		indent_len = bs - bol;
	for (k = 0; k < fence; k++)
		bb_buf_putc(o, '`');
	bb_buf_puts(o, lang);
	bb_buf_putc(o, '\n');
	if (body_len) {
		bb_buf_put(o, body, body_len);
		bb_buf_putc(o, '\n');
	}
	for (k = 0; k < indent_len; k++)
		bb_buf_putc(o, o->data[bol + k]);
	for (k = 0; k < fence; k++)
		bb_buf_putc(o, '`');
	if (!eol)
		bb_buf_putc(o, '\n');
	free(body);
}

/* A highlight language: word characters and . + # -, lowered; "" when bad. */
static char *
S_lang(lq_state *st, lq_doc *d, const lq_tok *t, const char *s, size_t n, int warn)
{
	size_t k = 0, i;
	char *lang;
	while (k < n && !lq_isspace((unsigned char)s[k]))
		k++;
	for (i = 0; i < k; i++) {
		char c = s[i];
		if (!lq_isword((unsigned char)c) && c != '.' && c != '+' && c != '#' && c != '-')
			break;
	}
	if (k == 0 || i < k) {
		if (warn)
			bb_lq_warn(st, d, t->start, bb_xasprintf("{%% highlight %.*s %%}: no valid language; the code block gets none",
				(int)(t->ml > 40 ? 40 : t->ml), t->markup));
		k = 0;
	}
	lang = bb_xstrndup(s, k);
	for (i = 0; i < k; i++)
		lang[i] = (char)lq_lower((unsigned char)lang[i]);
	return lang;
}

/* {% post_url %} and {% link %}. */
void
bb_lq_resolve(lq_state *st, lq_doc *d, const lq_tok *t, const char *kind, size_t prefix)
{
	const char *a = t->markup;
	size_t n = t->ml;
	char *arg, *url = NULL;
	if (n >= 2 && (a[0] == '"' || a[0] == '\'') && a[n - 1] == a[0])
		a++, n -= 2;
	if (n == 0) {
		bb_lq_warn(st, d, t->start, bb_xasprintf("{%% %s %%} without an argument removed", kind));
		return;
	}
	arg = bb_xstrndup(a, n);
	if (st->ctx && st->ctx->resolve)
		url = st->ctx->resolve(st->ctx->ud, kind, arg);
	if (prefix != LQ_NOPOS && prefix <= st->out->len)
		bb_lq_truncate(st->out, prefix);
	if (url) {
		bb_lq_emit(st, d, t->start, url, strlen(url), 0);
	} else {
		bb_lq_warn(st, d, t->start, bb_xasprintf("{%% %s %.*s %%}: no such post or page; its argument is kept",
			kind, (int)(n > 200 ? 200 : n), arg));
		bb_lq_emit(st, d, t->start, arg, n, 0);
	}
	free(url);
	free(arg);
}

/* Hexo's {% post_link slug [title] %} and {% asset_link file [title] %}:
 * a Markdown link, to the post the slug names (found as post_url finds
 * one) or to the file; its text the title given, else the slug or file. */
void
bb_lq_hexo_link(lq_state *st, lq_doc *d, const lq_tok *t, int post)
{
	char *w[24], *url = NULL;
	int n = bb_lq_words(t->markup, t->ml, w, 24), i;
	bb_buf b = BB_BUF_INIT;
	if (n < 1) {
		bb_lq_warn(st, d, t->start, bb_xasprintf("{%% %.*s %%} without an argument removed", (int)t->nl, t->name));
		bb_lq_words_free(w, n);
		return;
	}
	if (post && st->ctx && st->ctx->resolve)
		url = st->ctx->resolve(st->ctx->ud, "post_url", w[0]);
	if (post && !url)
		bb_lq_warn(st, d, t->start, bb_xasprintf("{%% post_link %s %%}: no such post; its text is kept", w[0]));
	bb_buf_putc(&b, '[');
	for (i = 1; i < n; i++) {
		if (i > 1)
			bb_buf_putc(&b, ' ');
		bb_buf_puts(&b, w[i]);
	}
	if (n == 1)
		bb_buf_puts(&b, w[0]);
	if (url || !post)
		bb_buf_printf(&b, "](<%s>)", url ? url : w[0]);
	else
		bb_buf_putc(&b, ']'), memmove(b.data, b.data + 1, b.len - 2), b.len -= 2, b.data[b.len] = '\0';
	bb_lq_emit(st, d, t->start, b.data, b.len, 0);
	bb_buf_free(&b);
	free(url);
	bb_lq_words_free(w, n);
}

/* Hexo's other tags: {% iframe url %} and {% jsfiddle id %} a link to
 * the page, {% post_path slug %} the post's address and {% asset_path
 * file %} the file's path (both written inside a Markdown link or image),
 * and {% link text url [external] [title] %} (Jekyll's link takes one
 * path) a link. Returns 0 when t is none of these. */
int
bb_lq_hexo_tag(lq_state *st, lq_doc *d, const lq_tok *t)
{
	char *w[24], *url = NULL;
	int n = bb_lq_words(t->markup, t->ml, w, 24), i, u = -1;
	bb_buf b = BB_BUF_INIT;
	for (i = 0; i < n && u < 0; i++)
		if (strstr(w[i], "://"))
			u = i;
	if (t->op == OP_LINK && !(n >= 2 && u >= 1)) {
		bb_lq_words_free(w, n);
		return 0;
	}
	if (n < 1) {
		bb_lq_warn(st, d, t->start, bb_xasprintf("{%% %.*s %%} without an argument removed", (int)t->nl, t->name));
		bb_lq_words_free(w, n);
		return 1;
	}
	switch (t->op) {
	case OP_IFRAME:
	case OP_JSFIDDLE:
		url = t->op == OP_IFRAME ? bb_xstrdup(w[0]) : bb_xasprintf("https://jsfiddle.net/%s/", w[0]);
		bb_buf_puts(&b, t->op == OP_IFRAME ? "[" : "[JSFiddle ");
		S_put_label(&b, w[0]);
		bb_buf_puts(&b, "](");
		S_put_dest(&b, url);
		bb_buf_putc(&b, ')');
		break;
	case OP_POST_PATH:
		if (st->ctx && st->ctx->resolve)
			url = st->ctx->resolve(st->ctx->ud, "post_url", w[0]);
		if (!url)
			bb_lq_warn(st, d, t->start, bb_xasprintf("{%% post_path %s %%}: no such post; the name is kept", w[0]));
		bb_buf_puts(&b, url ? url : w[0]);
		break;
	case OP_ASSET_PATH:
		bb_buf_puts(&b, w[0]);
		break;
	default: /* Hexo's link */
		bb_buf_putc(&b, '[');
		for (i = 0; i < u; i++) {
			if (i)
				bb_buf_putc(&b, ' ');
			S_put_label(&b, w[i]);
		}
		bb_buf_puts(&b, "](");
		S_put_dest(&b, w[u]);
		bb_buf_putc(&b, ')');
		break;
	}
	bb_lq_emit(st, d, t->start, b.data, b.len, 0);
	bb_buf_free(&b);
	free(url);
	bb_lq_words_free(w, n);
	return 1;
}

/* Words of a tag's markup, quotes removed ("a b" is one word). At most
 * max words; returns the count. */
int
bb_lq_words(const char *s, size_t n, char **w, int max)
{
	int k = 0;
	size_t i = 0;
	while (i < n && k < max) {
		size_t b;
		bb_buf t = BB_BUF_INIT;
		while (i < n && lq_isspace((unsigned char)s[i]))
			i++;
		if (i >= n)
			break;
		b = i;
		while (i < n && !lq_isspace((unsigned char)s[i])) {
			if (s[i] == '"' || s[i] == '\'') {
				const char *q = memchr(s + i + 1, s[i], n - i - 1);
				if (q) {
					bb_buf_put(&t, s + i + 1, (size_t)(q - s - i - 1));
					i = (size_t)(q - s) + 1;
					continue;
				}
			}
			bb_buf_putc(&t, s[i++]);
		}
		(void)b;
		bb_buf_put(&t, "", 0);
		w[k++] = bb_buf_detach(&t, NULL);
	}
	return k;
}

void
bb_lq_words_free(char **w, int n)
{
	int i;
	for (i = 0; i < n; i++)
		free(w[i]);
}

/* Markdown link text: brackets and backslashes escaped. */
static void
S_put_label(bb_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '[' || *s == ']' || *s == '\\')
			bb_buf_putc(b, '\\');
		bb_buf_putc(b, *s == '\n' ? ' ' : *s);
	}
}

/* Markdown link destination, in <...>. */
static void
S_put_dest(bb_buf *b, const char *s)
{
	bb_buf_putc(b, '<');
	for (; *s; s++) {
		if (*s == '<' || *s == '>' || *s == '\\')
			bb_buf_putc(b, '\\');
		if (*s != '\n' && *s != '\r')
			bb_buf_putc(b, *s);
	}
	bb_buf_putc(b, '>');
}

static int
S_looks_path(const char *w)
{
	return strstr(w, "://") || strchr(w, '/') || (strchr(w, '.') && !lq_isdigit((unsigned char)w[0]));
}

/* The value of an option word "--key=v" or "key=v" or "key:v", or NULL. */
const char *
bb_lq_opt(char **w, int n, const char *key)
{
	int i;
	size_t kl = strlen(key);
	for (i = 0; i < n; i++) {
		const char *p = w[i];
		while (*p == '-')
			p++;
		if (strncmp(p, key, kl) == 0 && (p[kl] == '=' || p[kl] == ':'))
			return p + kl + 1;
	}
	return NULL;
}

/* img, image, lightbox, figure (as a tag): an image in Markdown. */
void
bb_lq_image(lq_state *st, lq_doc *d, const lq_tok *t, const char *caption_body)
{
	char *w[24];
	int n = bb_lq_words(t->markup, t->ml, w, 24), i, src = -1;
	bb_buf b = BB_BUF_INIT, title = BB_BUF_INIT, quoted_alt = BB_BUF_INIT;
	const char *alt, *tt;
	for (i = 0; i < n; i++)
		if (w[i][0] != '-' && !strchr(w[i], '=') && S_looks_path(w[i]) &&
		    !(strncmp(w[i], "caption:", 8) == 0 || strncmp(w[i], "class:", 6) == 0)) {
			src = i;
			break;
		}
	if (src < 0) {
		bb_lq_warn(st, d, t->start, bb_xasprintf("{%% %.*s %%} names no image: its arguments are kept as text",
			(int)t->nl, t->name));
		bb_lq_emit(st, d, t->start, t->markup, t->ml, 0);
		bb_lq_words_free(w, n);
		return;
	}
	/* the words after the source that are not sizes or options: the title */
	for (i = src + 1; i < n; i++) {
		const char *p = w[i];
		size_t k = 0;
		while (p[k] && lq_isdigit((unsigned char)p[k]))
			k++;
		if ((k > 0 && (!p[k] || strcmp(p + k, "px") == 0 || strcmp(p + k, "%") == 0)) || p[0] == '-' || strchr(p, '='))
			continue;
		if (strncmp(p, "caption:", 8) == 0 || strncmp(p, "class:", 6) == 0)
			continue;
		if (title.len)
			bb_buf_putc(&title, ' ');
		bb_buf_puts(&title, p);
	}
	bb_buf_put(&title, "", 0);
	/* Octopress: img [class] src [w [h]] ["title" ["alt"]] */
	{
		const char *m = t->markup, *e = t->markup + t->ml, *q1;
		size_t at = bb_lq_memmem(m, t->ml, w[src], strlen(w[src]));
		int nq = 0;
		if (at != LQ_NOPOS)
			m += at + strlen(w[src]);
		while (m < e && nq < 2 && (q1 = memchr(m, '"', (size_t)(e - m))) != NULL) {
			const char *q2 = memchr(q1 + 1, '"', (size_t)(e - q1 - 1));
			if (!q2 || (q1 > t->markup && q1[-1] == '='))
				break;
			if (nq == 0) {
				bb_buf_reset(&title);
				bb_buf_put(&title, q1 + 1, (size_t)(q2 - q1 - 1));
				bb_buf_put(&title, "", 0);
			} else {
				bb_buf_reset(&quoted_alt);
				bb_buf_put(&quoted_alt, q1 + 1, (size_t)(q2 - q1 - 1));
				bb_buf_put(&quoted_alt, "", 0);
			}
			nq++;
			m = q2 + 1;
		}
	}
	tt = bb_lq_opt(w, n, "title");
	if (!tt)
		tt = bb_lq_opt(w, n, "caption");
	if (!tt)
		tt = title.data;
	alt = bb_lq_opt(w, n, "alt");
	if (!alt && quoted_alt.len)
		alt = quoted_alt.data;
	if (!alt)
		alt = tt;
	if (caption_body)
		bb_buf_puts(&b, caption_body);
	bb_buf_puts(&b, "![");
	S_put_label(&b, alt);
	bb_buf_puts(&b, "](");
	S_put_dest(&b, w[src]);
	if (*tt) {
		const char *p;
		bb_buf_puts(&b, " \"");
		for (p = tt; *p; p++) {
			if (*p == '"' || *p == '\\')
				bb_buf_putc(&b, '\\');
			bb_buf_putc(&b, *p);
		}
		bb_buf_putc(&b, '"');
	}
	bb_buf_putc(&b, ')');
	bb_lq_emit(st, d, t->start, b.data, b.len, 0);
	bb_buf_free(&b);
	bb_buf_free(&title);
	bb_buf_free(&quoted_alt);
	bb_lq_words_free(w, n);
}

/* gist, youtube, vimeo, tweet, video: a link. */
void
bb_lq_media_link(lq_state *st, lq_doc *d, const lq_tok *t)
{
	char *w[8];
	int n = bb_lq_words(t->markup, t->ml, w, 8), i = 0;
	bb_buf url = BB_BUF_INIT, b = BB_BUF_INIT, lab = BB_BUF_INIT;
	const char *id;
	if (t->op == OP_VIDEO)
		while (i < n && !S_looks_path(w[i]))
			i++;
	if (i >= n) {
		bb_lq_warn(st, d, t->start, bb_xasprintf("{%% %.*s %%} without an argument removed", (int)t->nl, t->name));
		bb_lq_words_free(w, n);
		return;
	}
	id = w[i];
	if (strstr(id, "://")) {
		bb_buf_puts(&url, id);
	} else {
		switch (t->op) {
		case OP_GIST: bb_buf_puts(&url, "https://gist.github.com/"); break;
		case OP_YOUTUBE: bb_buf_puts(&url, "https://www.youtube.com/watch?v="); break;
		case OP_VIMEO: bb_buf_puts(&url, "https://vimeo.com/"); break;
		case OP_TWEET: bb_buf_puts(&url, "https://twitter.com/i/status/"); break;
		default: break;
		}
		bb_lq_percent(&url, id, strlen(id), "/", 0);
	}
	bb_buf_put(&url, "", 0);
	switch (t->op) {
	case OP_GIST:
		bb_buf_printf(&lab, "Gist %s%s%s", id, n > 1 ? " " : "", n > 1 ? w[1] : "");
		break;
	case OP_YOUTUBE:
		bb_buf_printf(&lab, "YouTube video %s", id);
		break;
	case OP_VIMEO:
		bb_buf_printf(&lab, "Vimeo video %s", id);
		break;
	case OP_TWEET:
		bb_buf_printf(&lab, "Tweet %s", id);
		break;
	default:
		bb_buf_printf(&lab, "Video %s", id);
		break;
	}
	bb_buf_putc(&b, '[');
	S_put_label(&b, lab.data);
	bb_buf_puts(&b, "](");
	S_put_dest(&b, url.data);
	bb_buf_putc(&b, ')');
	bb_lq_emit(st, d, t->start, b.data, b.len, 0);
	bb_buf_free(&b);
	bb_buf_free(&lab);
	bb_buf_free(&url);
	bb_lq_words_free(w, n);
}

/* A footnote: a reference here, its text kept for the footnotes' place. */
void
bb_lq_footnote(lq_state *st, lq_doc *d, const lq_tok *t, const char *text, size_t n)
{
	char ref[48];
	size_t i;
	lq_trim(&text, &n);
	if (n >= 2 && (text[0] == '"' || text[0] == '\'') && text[n - 1] == text[0])
		text++, n -= 2;
	if (n == 0) {
		bb_lq_warn(st, d, t->start, bb_xasprintf("{%% %.*s %%} without text removed", (int)t->nl, t->name));
		return;
	}
	st->fn_count++;
	snprintf(ref, sizeof ref, "[^liquid-fn-%u]", st->fn_count);
	bb_lq_emit(st, d, t->start, ref, strlen(ref), 0);
	bb_buf_printf(&st->fndefs, "\n%s: ", ref);
	for (i = 0; i < n; i++) {
		if (text[i] == '\r')
			continue;
		bb_buf_putc(&st->fndefs, text[i]);
		if (text[i] == '\n')
			bb_buf_puts(&st->fndefs, "    ");
	}
	bb_buf_putc(&st->fndefs, '\n');
}

void
bb_lq_place_footnotes(lq_state *st, lq_doc *d, size_t at)
{
	if (!st->fndefs.len)
		return;
	bb_lq_emit(st, d, at, "\n", 1, 0);
	bb_lq_emit(st, d, at, st->fndefs.data, st->fndefs.len, 0);
	bb_buf_reset(&st->fndefs);
}

/* Lines of body, each after "> ". */
static void
S_quote_lines(bb_buf *b, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) : n;
		bb_buf_puts(b, e > i ? "> " : ">");
		bb_buf_put(b, s + i, e - i);
		bb_buf_putc(b, '\n');
		i = e + 1;
	}
}

/* ---- plugin blocks and arguments ---- */

/* {% highlight lang %} and {% codeblock [title] [lang:x] %}: a fenced code
 * block of what the body gives. */
void
bb_lq_code(lq_state *st, lq_doc *d, size_t i, size_t end, size_t after)
{
	lq_tok *t = &d->t[i];
	size_t bs = st->out->len;
	char *lang;
	if (t->op == OP_HIGHLIGHT) {
		lang = S_lang(st, d, t, t->markup, t->ml, 1);
	} else {
		char *w[8];
		int n = bb_lq_words(t->markup, t->ml, w, 8), k;
		const char *l = NULL;
		for (k = 0; k < n && !l; k++)
			if (strncmp(w[k], "lang:", 5) == 0)
				l = w[k] + 5;
		if (!l && n > 0 && strrchr(w[0], '.') && !strstr(w[0], "://"))
			l = strrchr(w[0], '.') + 1;
		lang = S_lang(st, d, t, l ? l : "", l ? strlen(l) : 0, 0);
		bb_lq_words_free(w, n);
	}
	bb_lq_run(st, d, i + 1, end);
	st->jump = 0;
	if (bs <= st->out->len)
		S_fence(st, bs, lang, t->own_end ? bb_lq_eol_after(d, after) : 1);
	free(lang);
}

/* Octopress's {% blockquote [author] [link] [title] %}: a quote with its
 * attribution line. */
void
bb_lq_blockquote(lq_state *st, lq_doc *d, lq_tok *t, const bb_buf *body)
{
	bb_buf q = BB_BUF_INIT;
	char *w[32];
	int n = bb_lq_words(t->markup, t->ml, w, 32), k, link = -1;
	const char *s;
	size_t bn;
	s = body->data;
	bn = body->len;
	lq_trim(&s, &bn);
	for (k = 0; k < n; k++)
		if (strncmp(w[k], "http://", 7) == 0 || strncmp(w[k], "https://", 8) == 0) {
			link = k;
			break;
		}
	bb_buf_puts(&q, "\n\n");
	S_quote_lines(&q, s, bn);
	if (n > 0 && link != 0) {
		bb_buf_puts(&q, ">\n> \xE2\x80\x94 ");
		for (k = 0; k < (link < 0 ? n : link); k++) {
			if (k)
				bb_buf_putc(&q, ' ');
			bb_buf_puts(&q, w[k]);
		}
		bb_buf_putc(&q, '\n');
	}
	if (link >= 0) {
		bb_buf_puts(&q, n > 0 && link != 0 ? "> " : ">\n> \xE2\x80\x94 ");
		bb_buf_putc(&q, '[');
		if (link + 1 < n) {
			for (k = link + 1; k < n; k++) {
				if (k > link + 1)
					bb_buf_putc(&q, ' ');
				S_put_label(&q, w[k]);
			}
		} else {
			S_put_label(&q, w[link]);
		}
		bb_buf_puts(&q, "](");
		S_put_dest(&q, w[link]);
		bb_buf_puts(&q, ")\n");
	}
	bb_buf_putc(&q, '\n');
	bb_lq_emit(st, d, t->start, q.data, q.len, 0);
	bb_buf_free(&q);
	bb_lq_words_free(w, n);
}

/* Octopress's {% pullquote %}: the body without its {" "} marks. */
void
bb_lq_pullquote(lq_state *st, lq_doc *d, lq_tok *t, const bb_buf *body)
{
	size_t k;
	bb_buf q = BB_BUF_INIT;
	for (k = 0; k < body->len; k++) {
		if ((body->data[k] == '{' && k + 1 < body->len && body->data[k + 1] == '"') ||
		    (body->data[k] == '"' && k + 1 < body->len && body->data[k + 1] == '}')) {
			k++;
			continue;
		}
		bb_buf_putc(&q, body->data[k]);
	}
	bb_lq_emit(st, d, t->start, q.data, q.len, 0);
	bb_buf_free(&q);
}

/* Shortcode arguments as Eleventy's Nunjucks and Liquid shortcodes take
 * them: only quoted strings, apart by commas or spaces ("Name", "https://x").
 * Returns how many (at most max, each in out[], caller frees), 0 when the
 * markup is anything else. */
static int
S_quoted_args(const char *s, const char *e, char **out, int max)
{
	int n = 0;
	while (s < e) {
		const char *q;
		while (s < e && (lq_isspace((unsigned char)*s) || *s == ','))
			s++;
		if (s >= e)
			break;
		if ((*s != '"' && *s != '\'') || n == max || !(q = memchr(s + 1, *s, (size_t)(e - s - 1))))
			goto fail;
		out[n++] = bb_xstrndup(s + 1, (size_t)(q - s - 1));
		s = q + 1;
		if (s < e && !lq_isspace((unsigned char)*s) && *s != ',')
			goto fail;
	}
	return n;
fail:
	while (n > 0)
		free(out[--n]);
	return 0;
}

/* An unknown shortcode's quoted arguments as text: a text and an address
 * (absolute, or a path of the site) make a link, else the texts stand
 * apart by spaces. */
static void
S_shortcode_args(char **a, int n, bb_buf *out)
{
	int i, url = -1;
	for (i = 0; i < n; i++)
		if ((strncmp(a[i], "https://", 8) == 0 || strncmp(a[i], "http://", 7) == 0 || a[i][0] == '/') &&
		    !strpbrk(a[i], " \t\n\"<>") && url < 0)
			url = i;
	if (url >= 0 && n > 1) {
		bb_buf_puts(out, "<a href=\"");
		bb_buf_put_xml(out, a[url], strlen(a[url]));
		bb_buf_puts(out, "\">");
	}
	for (i = 0; i < n; i++)
		if (i != url || n == 1) {
			if (i > (url == 0 ? 1 : 0))
				bb_buf_putc(out, ' ');
			bb_buf_put_xml(out, a[i], strlen(a[i]));
		}
	if (url >= 0 && n > 1)
		bb_buf_puts(out, "</a>");
}

/* An unknown tag's arguments as text: command-line options ("--file x",
 * "--cited") are the plugin's, not the reader's, and go; a citation key
 * (jekyll-scholar's cite) is shown in brackets. */
void
bb_lq_plain_args(const lq_tok *t, bb_buf *out)
{
	const char *s = t->markup, *e = t->markup + t->ml;
	size_t start = out->len;
	int cite = lq_eq(t->name, t->nl, "cite") || lq_eq(t->name, t->nl, "citation");
	char *q[8];
	int nq = cite ? 0 : S_quoted_args(s, e, q, 8);
	bb_buf_put(out, "", 0);
	if (nq > 0) {
		S_shortcode_args(q, nq, out);
		while (nq > 0)
			free(q[--nq]);
		return;
	}
	while (s < e) {
		const char *w = s;
		while (s < e && !lq_isspace((unsigned char)*s))
			s++;
		if (s - w > 2 && w[0] == '-' && w[1] == '-' && lq_isalpha((unsigned char)w[2])) {
			/* an option and its value (a word not itself an option) */
			const char *v = s;
			while (v < e && lq_isspace((unsigned char)*v))
				v++;
			if (!memchr(w, '=', (size_t)(s - w)) && v < e && *v != '-') {
				while (v < e && !lq_isspace((unsigned char)*v))
					v++;
				s = v;
			}
		} else {
			if (out->len > start)
				bb_buf_putc(out, ' ');
			bb_buf_put(out, w, (size_t)(s - w));
		}
		while (s < e && lq_isspace((unsigned char)*s))
			s++;
	}
	if (cite && out->len > start) {
		char *k = bb_xstrndup(out->data + start, out->len - start);
		bb_lq_truncate(out, start);
		bb_buf_printf(out, "[%s]", k);
		free(k);
	}
}
