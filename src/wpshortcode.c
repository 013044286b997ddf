/* wpshortcode.c: WordPress shortcodes turned into inert XHTML (see wpshortcode.h). */
#include "wpshortcode.h"
#include "util.h"
#include "wpautop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Shortcodes inside the content of shortcodes, at most this deep. */
#define MAX_DEPTH 16

typedef struct sc {
	const bb_wpsc_opts *o;
	const char *base;     /* the text positions are counted in */
	size_t base_len;
	int which;
	size_t line_at;       /* a cached position: offset and its line/col */
	unsigned line, col;
	unsigned warnings;
	const char *rb;       /* the next ']' found from an earlier '[' */
	size_t budget;        /* bytes left to scan for closing tags */
} sc;

static void S_run(sc *s, const char *t, size_t n, bb_buf *out, int depth);

static void
S_pos(sc *s, const char *p, unsigned *line, unsigned *col)
{
	size_t off = (size_t)(p - s->base), i;
	if (off < s->line_at) {
		s->line_at = 0;
		s->line = s->col = 1;
	}
	for (i = s->line_at; i < off && i < s->base_len; i++) {
		if (s->base[i] == '\n')
			s->line++, s->col = 1;
		else if (((unsigned char)s->base[i] & 0xC0) != 0x80)
			s->col++;
	}
	s->line_at = off;
	*line = s->line;
	*col = s->col;
}

static void
S_warn(sc *s, const char *at, const char *fmt, const char *name)
{
	char msg[300];
	unsigned line, col;
	if (!s->o || !s->o->warn || s->warnings >= 100)
		return;
	s->warnings++;
	S_pos(s, at, &line, &col);
	snprintf(msg, sizeof msg, fmt, name);
	s->o->warn(s->o->ctx, line, col, msg);
}

/* Copies at most max bytes of src to dst (which holds max + 1), never
 * cutting a UTF-8 character. */
static void
S_short(char *dst, const char *src, size_t max)
{
	size_t n = strlen(src);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int
S_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int
S_wordc(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* stripcslashes(), keeping what XML can hold */
static char *
S_unslash(const char *p, size_t n)
{
	bb_buf b = BB_BUF_INIT;
	size_t i = 0;
	while (i < n) {
		unsigned c = (unsigned char)p[i];
		if (c == '\\' && i + 1 < n) {
			char e = p[++i];
			i++;
			switch (e) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'a': case 'b': case 'f': case 'v': c = ' '; break;
			case 'x':
				if (i < n && strchr("0123456789abcdefABCDEF", p[i]) && p[i]) {
					c = 0;
					while (i < n && p[i] && strchr("0123456789abcdefABCDEF", p[i]) && c < 16) {
						char h = p[i++];
						c = c * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
					}
				} else {
					c = 'x';
				}
				break;
			default:
				if (e >= '0' && e <= '7') {
					int k = 1;
					c = (unsigned)(e - '0');
					while (k < 3 && i < n && p[i] >= '0' && p[i] <= '7')
						c = c * 8 + (unsigned)(p[i++] - '0'), k++;
					c &= 0xFF;
				} else {
					c = (unsigned char)e;
				}
			}
			if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
				c = ' ';
			bb_buf_putc(&b, (int)c);
			continue;
		}
		bb_buf_putc(&b, (int)c);
		i++;
	}
	if (!b.data)
		bb_buf_put(&b, "", 0);
	/* a byte made by \x or octal may not be UTF-8: keep only what is */
	{
		size_t k = 0;
		while (k < b.len) {
			unsigned cp;
			int m = bb_utf8_decode((const unsigned char *)b.data + k, b.len - k, &cp);
			if (m == 0) {
				b.data[k++] = '?';
				continue;
			}
			k += (size_t)m;
		}
	}
	return bb_buf_detach(&b, NULL);
}

/* '/^[^<]*+(?:<[^>]*+>[^<]*+)*+$/': every '<' closed by a '>'. */
static int
S_tags_closed(const char *v)
{
	const char *p = v;
	while ((p = strchr(p, '<'))) {
		p = strchr(p, '>');
		if (!p)
			return 0;
		p++;
	}
	return 1;
}

static void
S_att_add(bb_wpsc_att **v, size_t *n, const char *name, size_t nlen, const char *val, size_t vlen)
{
	bb_wpsc_att *a;
	size_t i;
	*v = bb_grow(*v, *n, sizeof **v);
	a = &(*v)[(*n)++];
	a->name = NULL;
	if (name) {
		a->name = bb_xstrndup(name, nlen);
		for (i = 0; a->name[i]; i++)
			if (a->name[i] >= 'A' && a->name[i] <= 'Z')
				a->name[i] = (char)(a->name[i] - 'A' + 'a');
	}
	a->value = S_unslash(val, vlen);
	if (strchr(a->value, '<') && !S_tags_closed(a->value)) {
		free(a->value);
		a->value = bb_xstrdup("");
	}
}

size_t
bb_wpsc_parse_atts(const char *text, size_t len, bb_wpsc_att **out)
{
	bb_buf b = BB_BUF_INIT;
	const char *t;
	size_t n, i = 0, count = 0;

	*out = NULL;
	/* runs of U+00A0 and U+200B become one space */
	while (i < len) {
		if ((i + 1 < len && memcmp(text + i, "\xC2\xA0", 2) == 0) ||
		    (i + 2 < len && memcmp(text + i, "\xE2\x80\x8B", 3) == 0)) {
			while ((i + 1 < len && memcmp(text + i, "\xC2\xA0", 2) == 0) ||
			       (i + 2 < len && memcmp(text + i, "\xE2\x80\x8B", 3) == 0))
				i += text[i] == '\xC2' ? 2 : 3;
			bb_buf_putc(&b, ' ');
			continue;
		}
		bb_buf_putc(&b, text[i++]);
	}
	t = b.data ? b.data : "";
	n = b.len;
	i = 0;
	while (i < n) {
		size_t s, ne, v, ve, e;
		if (S_ws(t[i])) {
			i++;
			continue;
		}
		/* name = "v" | name = 'v' | name = v, each ending at \s or the end */
		s = i;
		ne = s;
		while (ne < n && S_wordc(t[ne]))
			ne++;
		if (ne > s) {
			v = ne;
			while (v < n && S_ws(t[v]))
				v++;
			if (v < n && t[v] == '=') {
				v++;
				while (v < n && S_ws(t[v]))
					v++;
				if (v < n && (t[v] == '"' || t[v] == '\'')) {
					char q = t[v];
					ve = v + 1;
					while (ve < n && t[ve] != q)
						ve++;
					if (ve < n && (ve + 1 == n || S_ws(t[ve + 1]))) {
						S_att_add(out, &count, t + s, ne - s, t + v + 1, ve - v - 1);
						i = ve + 1 < n ? ve + 2 : n;
						continue;
					}
				} else if (v < n) {
					ve = v;
					while (ve < n && !S_ws(t[ve]) && t[ve] != '\'' && t[ve] != '"')
						ve++;
					if (ve > v && (ve == n || S_ws(t[ve]))) {
						S_att_add(out, &count, t + s, ne - s, t + v, ve - v);
						i = ve < n ? ve + 1 : n;
						continue;
					}
				}
			}
		}
		/* "v" | 'v' */
		if (t[i] == '"' || t[i] == '\'') {
			char q = t[i];
			e = i + 1;
			while (e < n && t[e] != q)
				e++;
			if (e < n && (e + 1 == n || S_ws(t[e + 1]))) {
				S_att_add(out, &count, NULL, 0, t + i + 1, e - i - 1);
				i = e + 1 < n ? e + 2 : n;
				continue;
			}
		}
		/* \S+ */
		e = i;
		while (e < n && !S_ws(t[e]))
			e++;
		S_att_add(out, &count, NULL, 0, t + i, e - i);
		i = e < n ? e + 1 : n;
	}
	bb_buf_free(&b);
	return count;
}

void
bb_wpsc_atts_free(bb_wpsc_att *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].value);
	}
	free(v);
}

static const char *
S_att(const bb_wpsc_att *v, size_t n, const char *name)
{
	size_t i;
	const char *r = NULL;
	for (i = 0; i < n; i++)
		if (v[i].name && strcmp(v[i].name, name) == 0)
			r = v[i].value; /* the last one wins, as in a PHP array */
	return r;
}

static void
S_put_xml(bb_buf *b, const char *s)
{
	bb_buf_put_xml(b, s, strlen(s));
}

/* A URL that may go in an href: http(s), protocol-relative or relative;
 * never javascript: or data:. */
static int
S_url_ok(const char *u)
{
	const char *c = u + strcspn(u, ":/?#");
	if (!*u)
		return 0;
	if (*c != ':')
		return 1;
	return (c - u == 4 && strncmp(u, "http", 4) == 0) || (c - u == 5 && strncmp(u, "https", 5) == 0);
}

static void
S_link(bb_buf *b, const char *url, const char *text)
{
	bb_buf_puts(b, "<a href=\"");
	S_put_xml(b, url);
	bb_buf_puts(b, "\">");
	S_put_xml(b, text ? text : url);
	bb_buf_puts(b, "</a>");
}

/* img_caption_shortcode: the image (in its link) first, the rest the
 * caption, unless a caption attribute is given. */
static void
S_caption(sc *s, const bb_wpsc_att *a, size_t na, const char *c, size_t cn, bb_buf *out, int depth)
{
	const char *cap = S_att(a, na, "caption"), *align = S_att(a, na, "align"), *cls = S_att(a, na, "class");
	size_t split = cn, i;
	bb_buf capb = BB_BUF_INIT;

	if (!cap) {
		/* '#((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)#is' */
		size_t p = 0, q;
		while (p < cn && S_ws(c[p]))
			p++;
		q = p;
		for (i = 0; i < cn; i++)
			if ((c[i] == '<') && i + 4 < cn && (c[i + 1] | 0x20) == 'i' && (c[i + 2] | 0x20) == 'm' &&
			    (c[i + 3] | 0x20) == 'g' && c[i + 4] == ' ')
				break;
		if (i < cn) {
			q = i;
			while (q < cn && c[q] != '>')
				q++;
			if (q < cn) {
				q++;
				/* a closing </a> after the image belongs to it */
				{
					size_t r = q;
					while (r < cn && S_ws(c[r]))
						r++;
					if (r + 4 <= cn && (c[r] == '<') && c[r + 1] == '/' && (c[r + 2] | 0x20) == 'a' &&
					    c[r + 3] == '>')
						q = r + 4;
				}
				split = q;
			}
		}
		(void)p;
		{
			size_t a0 = split, a1 = cn;
			while (a0 < a1 && S_ws(c[a0]))
				a0++;
			while (a1 > a0 && S_ws(c[a1 - 1]))
				a1--;
			S_run(s, c + a0, a1 - a0, &capb, depth + 1);
		}
	} else {
		bb_buf_puts(&capb, cap); /* HTML, as WordPress prints it */
	}
	if (!capb.len) {
		/* no caption: the content alone, as WordPress returns it */
		S_run(s, c, cn, out, depth + 1);
		bb_buf_free(&capb);
		return;
	}
	bb_buf_puts(out, "<figure class=\"wp-caption");
	if (align && *align) {
		bb_buf_putc(out, ' ');
		S_put_xml(out, align);
	}
	if (cls && *cls) {
		bb_buf_putc(out, ' ');
		S_put_xml(out, cls);
	}
	bb_buf_puts(out, "\">");
	S_run(s, c, split, out, depth + 1);
	bb_buf_puts(out, "<figcaption class=\"wp-caption-text\">");
	bb_buf_put(out, capb.data, capb.len);
	bb_buf_puts(out, "</figcaption></figure>");
	bb_buf_free(&capb);
}

static void
S_figure_img(bb_buf *out, const bb_wp_attachment *m, const char *cls)
{
	bb_buf_printf(out, "<figure class=\"%s\"><img src=\"", cls);
	S_put_xml(out, m->url);
	bb_buf_puts(out, "\" alt=\"");
	S_put_xml(out, m->alt ? m->alt : "");
	bb_buf_puts(out, "\" />");
	if (m->caption && *m->caption) {
		bb_buf_puts(out, "<figcaption>");
		S_put_xml(out, m->caption);
		bb_buf_puts(out, "</figcaption>");
	}
	bb_buf_puts(out, "</figure>");
}

/* The ids of a comma list, each looked up. */
static void
S_ids(sc *s, const char *ids, const char *at, const char *what, void (*each)(sc *, const bb_wp_attachment *, bb_buf *),
      bb_buf *out, const char *exclude)
{
	const char *p = ids;
	while (*p) {
		size_t k = strcspn(p, ", ");
		if (k) {
			char *id = bb_xstrndup(p, k);
			const bb_wp_attachment *m = s->o && s->o->lookup ? s->o->lookup(s->o->ctx, id) : NULL;
			int skip = 0;
			if (exclude) {
				const char *e = exclude;
				while (*e) {
					size_t j = strcspn(e, ", ");
					if (j == k && strncmp(e, p, k) == 0)
						skip = 1;
					e += j;
					e += strspn(e, ", ");
				}
			}
			if (skip) {
			} else if (m && m->url && S_url_ok(m->url)) {
				each(s, m, out);
			} else {
				char msg[96], shown[21];
				S_short(shown, id, 20);
				snprintf(msg, sizeof msg, "[%s]: attachment %s is not in the export: left out", what, shown);
				S_warn(s, at, "%s", msg);
			}
			free(id);
		}
		p += k;
		p += strspn(p, ", ");
	}
}

static void
S_gallery_item(sc *s, const bb_wp_attachment *m, bb_buf *out)
{
	S_figure_img(out, m, "gallery-item");
}

static void
S_playlist_item(sc *s, const bb_wp_attachment *m, bb_buf *out)
{
	bb_buf_puts(out, "<li>");
	S_link(out, m->url, m->caption && *m->caption ? m->caption : NULL);
	bb_buf_puts(out, "</li>");
}

/* An attachment a gallery shows: an image, by its URL's extension (the
 * export gives no MIME type). */
static int
S_is_image(const char *url)
{
	static const char *const ext[] = { ".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg", ".bmp", NULL };
	size_t n = strcspn(url, "?#"), k, i;
	for (k = 0; ext[k]; k++) {
		size_t m = strlen(ext[k]);
		if (n >= m) {
			for (i = 0; i < m; i++)
				if ((url[n - m + i] | 0x20) != ext[k][i] && url[n - m + i] != ext[k][i])
					break;
			if (i == m)
				return 1;
		}
	}
	return 0;
}

static void
S_gallery(sc *s, const char *at, const bb_wpsc_att *a, size_t na, bb_buf *out)
{
	const char *ids = S_att(a, na, "ids"), *inc = S_att(a, na, "include"), *exc = S_att(a, na, "exclude");
	size_t i, before;
	bb_buf_puts(out, "<div class=\"gallery\">");
	before = out->len;
	if (ids && *ids) {
		S_ids(s, ids, at, "gallery", S_gallery_item, out, NULL);
	} else if (inc && *inc) {
		S_ids(s, inc, at, "gallery", S_gallery_item, out, NULL);
	} else if (s->o) {
		for (i = 0; i < s->o->nchildren; i++) {
			const bb_wp_attachment *m = &s->o->children[i];
			int skip = 0;
			if (exc) {
				const char *e = exc;
				while (*e) {
					size_t j = strcspn(e, ", ");
					if (j && m->id && strlen(m->id) == j && strncmp(e, m->id, j) == 0)
						skip = 1;
					e += j;
					e += strspn(e, ", ");
				}
			}
			if (!skip && m->url && S_url_ok(m->url) && S_is_image(m->url))
				S_figure_img(out, m, "gallery-item");
		}
	}
	if (out->len == before) {
		out->len -= strlen("<div class=\"gallery\">");
		out->data[out->len] = '\0';
		S_warn(s, at, "[%s]: no image to show: left out", "gallery");
		return;
	}
	bb_buf_puts(out, "</div>");
}

/* [audio]/[video]: the first source WordPress would play, as a link. */
static void
S_media(sc *s, const char *at, const char *name, const bb_wpsc_att *a, size_t na, const char *c, size_t cn,
	bb_buf *out)
{
	static const char *const audio[] = { "src", "mp3", "ogg", "flac", "m4a", "wav", NULL };
	static const char *const video[] = { "src", "mp4", "m4v", "webm", "ogv", "flv", NULL };
	const char *const *keys = strcmp(name, "audio") == 0 ? audio : video;
	const char *url = NULL, *poster = S_att(a, na, "poster");
	char *fromc = NULL;
	size_t k;
	for (k = 0; keys[k] && !url; k++) {
		const char *v = S_att(a, na, keys[k]);
		if (v && *v)
			url = v;
	}
	if (!url && cn) {
		/* a URL as the content, as [embed] has it */
		size_t a0 = 0, a1 = cn;
		while (a0 < a1 && S_ws(c[a0]))
			a0++;
		while (a1 > a0 && S_ws(c[a1 - 1]))
			a1--;
		if (a1 > a0 && !memchr(c + a0, '<', a1 - a0))
			url = fromc = bb_xstrndup(c + a0, a1 - a0);
	}
	if (!url && s->o) {
		/* the post's first attached file, as WordPress takes it */
		for (k = 0; k < s->o->nchildren && !url; k++) {
			const char *u = s->o->children[k].url, *dot = u ? strrchr(u, '.') : NULL;
			if (dot && strstr(keys == audio ? ".mp3.ogg.flac.m4a.wav" : ".mp4.m4v.webm.ogv.flv", dot))
				url = u;
		}
	}
	if (!url || !S_url_ok(url)) {
		S_warn(s, at, "[%s]: no file to link to: left out", name);
		free(fromc);
		return;
	}
	bb_buf_printf(out, "<figure class=\"wp-%s\">", name);
	if (poster && *poster && S_url_ok(poster)) {
		bb_buf_puts(out, "<a href=\"");
		S_put_xml(out, url);
		bb_buf_puts(out, "\"><img src=\"");
		S_put_xml(out, poster);
		bb_buf_printf(out, "\" alt=\"%s\" /></a>", name);
	}
	bb_buf_puts(out, "<figcaption>");
	S_link(out, url, NULL);
	bb_buf_puts(out, "</figcaption></figure>");
	free(fromc);
}

static void
S_code(sc *s, const bb_wpsc_att *a, size_t na, const char *c, size_t cn, bb_buf *out)
{
	const char *lang = S_att(a, na, "language");
	size_t i;

	if (!lang)
		lang = S_att(a, na, "lang");
	bb_buf_puts(out, "<pre><code");
	if (lang && *lang) {
		bb_buf_puts(out, " class=\"language-");
		for (i = 0; lang[i] && i < 40; i++)
			if (S_wordc(lang[i]) || lang[i] == '+' || lang[i] == '#')
				bb_buf_putc(out, lang[i]);
		bb_buf_putc(out, '"');
	}
	bb_buf_putc(out, '>');
	/* brackets as references: the later pass over the other shortcodes
	 * (after wpautop) must not read the code's text as one */
	for (i = 0; i < cn; i++)
		if (c[i] == '[' || c[i] == ']')
			bb_buf_puts(out, c[i] == '[' ? "&#91;" : "&#93;");
		else
			bb_buf_put_xml(out, c + i, 1);
	bb_buf_puts(out, "</code></pre>");
}

static int
S_is(const char *name, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(name, lit, n) == 0;
}

/* [playlist ids=...] at at: a list of its items, or a warning. */
static void
S_playlist(sc *s, const char *at, const char *ids, bb_buf *out)
{
	size_t before;
	bb_buf_puts(out, "<ul class=\"wp-playlist\">");
	before = out->len;
	if (ids)
		S_ids(s, ids, at, "playlist", S_playlist_item, out, NULL);
	if (out->len > before) {
		bb_buf_puts(out, "</ul>");
		return;
	}
	out->len -= strlen("<ul class=\"wp-playlist\">");
	out->data[out->len] = '\0';
	S_warn(s, at, "[%s]: nothing to list: left out", "playlist");
}

/* One shortcode at t[i] == '['; writes its output. Returns where it ends (0: none there). */
static size_t
S_one(sc *s, const char *t, size_t n, size_t i, bb_buf *out, int depth)
{
	size_t p = i + 1, ns, ne, ae, ce = 0, cs = 0, end, na = 0;
	int esc_open = 0, self = 0, code, known;
	char *name = NULL, *close = NULL;
	bb_wpsc_att *a = NULL;

	if (p < n && t[p] == '[')
		esc_open = 1, p++;
	/* the name: no < > & / [ ] = or control and space */
	ns = p;
	while (p < n && !strchr("<>&/[]=", t[p]) && (unsigned char)t[p] > 0x20)
		p++;
	ne = p;
	if (ne == ns)
		return 0;
	/* the attributes, to the first ']' ("/]" closes it), found once for many '[' (linear time) */
	if (!s->rb || s->rb < t + p) {
		const char *r = memchr(t + p, ']', n - p);
		s->rb = r ? r : t + n;
	}
	if (s->rb >= t + n)
		return 0;
	p = (size_t)(s->rb - t);
	ae = p;
	if (ae > ne && t[ae - 1] == '/')
		self = 1;
	end = p + 1;
	name = bb_xstrndup(t + ns, ne - ns);
	code = S_is(t + ns, ne - ns, "code") || S_is(t + ns, ne - ns, "sourcecode");
	known = code || S_is(t + ns, ne - ns, "caption") || S_is(t + ns, ne - ns, "wp_caption") ||
		S_is(t + ns, ne - ns, "gallery") || S_is(t + ns, ne - ns, "embed") || S_is(t + ns, ne - ns, "audio") ||
		S_is(t + ns, ne - ns, "video") || S_is(t + ns, ne - ns, "playlist");
	if (!self) {
		size_t k, kn = strlen(name) + 3, stop;
		close = bb_xasprintf("[/%s]", name);
		/* a budget bounds the searches of many unclosed tags: each start
		 * tried costs one, so the search stops at end + budget */
		stop = n >= kn ? n - kn + 1 : 0;
		if (stop > end + s->budget)
			stop = end + s->budget;
		for (k = end; k < stop; k++) {
			const char *q = memchr(t + k, '[', stop - k);
			if (!q) {
				k = stop;
				break;
			}
			k = (size_t)(q - t);
			if (memcmp(t + k, close, kn) == 0)
				break;
		}
		if (k < stop) {
			s->budget -= k - end;
			cs = end;
			ce = k;
			end = k + strlen(close);
		} else {
			s->budget -= stop > end ? stop - end : 0;
		}
	}
	/* a shortcode of the other pass: as it is, escaped or not */
	if ((code && !(s->which & BB_WPSC_CODE)) || (!code && !(s->which & BB_WPSC_OTHER))) {
		if (esc_open && end < n && t[end] == ']')
			end++;
		bb_buf_put(out, t + i, end - i);
		goto out;
	}
	/* escaped: [[name ...]] stays as text without the outer brackets */
	if (esc_open && end < n && t[end] == ']') {
		bb_buf_put(out, t + i + 1, end - i - 1);
		end++;
		goto out;
	}
	if (esc_open) {
		/* "[" then a shortcode: the first bracket is text */
		bb_buf_putc(out, '[');
		i++;
	}
	/* a lone "[word]" that is no known shortcode is prose */
	if (!known && !ce && !self && !memchr(t + ne, '=', ae - ne)) {
		end = 0;
		if (esc_open)
			out->len--, out->data[out->len] = '\0';
		goto out;
	}
	{
		size_t as = ne, aend = self ? ae - 1 : ae;
		na = aend > as ? bb_wpsc_parse_atts(t + as, aend - as, &a) : 0;
	}
	if (code) {
		S_code(s, a, na, t + cs, ce - cs, out);
	} else if (S_is(name, strlen(name), "caption") || S_is(name, strlen(name), "wp_caption")) {
		S_caption(s, a, na, t + cs, ce - cs, out, depth);
	} else if (S_is(name, strlen(name), "gallery")) {
		S_gallery(s, t + i, a, na, out);
	} else if (S_is(name, strlen(name), "playlist")) {
		S_playlist(s, t + i, S_att(a, na, "ids"), out);
	} else if (S_is(name, strlen(name), "embed")) {
		S_media(s, t + i, "embed", a, na, t + cs, ce - cs, out);
	} else if (S_is(name, strlen(name), "audio") || S_is(name, strlen(name), "video")) {
		S_media(s, t + i, name, a, na, t + cs, ce - cs, out);
	} else {
		char shown[41];
		S_short(shown, name, 40);
		S_warn(s, t + i, ce ? "unknown shortcode [%s]: its inner text is kept"
				    : "unknown shortcode [%s]: left out", shown);
		if (ce)
			S_run(s, t + cs, ce - cs, out, depth + 1);
	}
out:
	bb_wpsc_atts_free(a, na);
	free(name);
	free(close);
	return end;
}

static void
S_run(sc *s, const char *t, size_t n, bb_buf *out, int depth)
{
	size_t i = 0, lt = 0, br = 0;
	if (depth > MAX_DEPTH) {
		bb_buf_put(out, t, n);
		return;
	}
	while (i < n) {
		if (t[i] != '<' && t[i] != '[') {
			/* the next '<' and '[' (n: none), searched again once passed */
			size_t e;
			if (lt <= i) {
				const char *q = memchr(t + i, '<', n - i);
				lt = q ? (size_t)(q - t) : n;
			}
			if (br <= i) {
				const char *q = memchr(t + i, '[', n - i);
				br = q ? (size_t)(q - t) : n;
			}
			e = lt < br ? lt : br;
			bb_buf_put(out, t + i, e - i);
			i = e;
			continue;
		}
		if (t[i] == '<') {
			/* a tag or a comment: not looked into */
			size_t e;
			if (i + 3 < n && memcmp(t + i, "<!--", 4) == 0) {
				for (e = i + 4; e + 3 <= n && memcmp(t + e, "-->", 3) != 0; e++)
					;
				e = e + 3 <= n ? e + 3 : n;
			} else {
				const char *g = memchr(t + i, '>', n - i);
				e = g ? (size_t)(g - t) + 1 : n;
			}
			bb_buf_put(out, t + i, e - i);
			i = e;
			continue;
		}
		if (t[i] == '[') {
			size_t e = S_one(s, t, n, i, out, depth);
			if (e) {
				i = e;
				continue;
			}
		}
		bb_buf_putc(out, t[i++]);
	}
}

char *
bb_wp_shortcodes(const char *html, size_t len, int which, const bb_wpsc_opts *o, size_t *out_len)
{
	bb_buf b = BB_BUF_INIT;
	sc s;
	memset(&s, 0, sizeof s);
	s.o = o;
	s.base = html ? html : "";
	s.base_len = html ? len : 0;
	s.which = which;
	s.line = s.col = 1;
	s.budget = 64 * (s.base_len + 1024);
	S_run(&s, s.base, s.base_len, &b, 0);
	if (!b.data)
		bb_buf_put(&b, "", 0);
	return bb_buf_detach(&b, out_len);
}

char *
bb_wp_render(const char *body, size_t len, const bb_wpsc_opts *o, size_t *out_len)
{
	static const char *const names[] = { "caption", "wp_caption", "gallery", "playlist", "audio", "video",
					     "embed", "code", "sourcecode", NULL };
	char *a, *b, *c;
	size_t na, nb, nc;
	if (bb_wp_has_blocks(body, len)) {
		a = bb_wp_strip_blocks(body, len, &na);
	} else {
		c = bb_wp_shortcodes(body, len, BB_WPSC_CODE, o, &nc);
		b = bb_wpautop(c, nc, 1, &nb);
		free(c);
		a = bb_wp_shortcode_unautop(b, nb, names, &na);
		free(b);
	}
	c = bb_wp_shortcodes(a, na, BB_WPSC_OTHER, o, out_len);
	free(a);
	return c;
}

/* The lookup of bb_wp_render_entry. */
typedef struct entry_ctx {
	bb_export *x;
	bb_wp_attachment a;
	void (*warn)(void *ctx, unsigned line, unsigned col, const char *message);
	void *ctx;
} entry_ctx;

static void
S_fill(bb_wp_attachment *a, const bb_entry *e)
{
	a->id = e->id;
	a->url = e->attachment_url;
	a->caption = e->excerpt;
	a->alt = *e->image_alt ? e->image_alt : "";
}

static const bb_wp_attachment *
S_entry_lookup(void *ctx, const char *id)
{
	entry_ctx *c = ctx;
	const bb_entry *e = bb_export_find(c->x, id);
	if (!e || strcmp(e->type, "attachment") != 0 || !*e->attachment_url)
		return NULL;
	S_fill(&c->a, e);
	return &c->a;
}

static void
S_entry_warn(void *ctx, unsigned line, unsigned col, const char *message)
{
	entry_ctx *c = ctx;
	if (c->warn)
		c->warn(c->ctx, line, col, message);
}

char *
bb_wp_render_entry(bb_export *x, const bb_entry *e,
		   void (*warn)(void *ctx, unsigned line, unsigned col, const char *message), void *ctx,
		   size_t *out_len)
{
	entry_ctx c;
	bb_wpsc_opts o;
	bb_entry *const *kids;
	bb_wp_attachment *v = NULL;
	size_t n = 0, i;
	char *r;

	memset(&c, 0, sizeof c);
	c.x = x;
	c.warn = warn;
	c.ctx = ctx;
	kids = bb_export_children(x, e->id, &n);
	if (n) {
		v = bb_xmalloc(n * sizeof *v);
		for (i = 0; i < n; i++)
			S_fill(&v[i], kids[i]);
	}
	memset(&o, 0, sizeof o);
	o.lookup = S_entry_lookup;
	o.children = v;
	o.nchildren = n;
	o.warn = S_entry_warn;
	o.ctx = &c;
	r = bb_wp_render(e->body, e->body_len, &o, out_len);
	free(v);
	return r;
}
