/* wpcontent.c: a WordPress post's content as the_content() shows it: block comments (<!-- wp:... -->) removed from block editor posts, else wpautop() then shortcode_unautop(). */
#include "wpautop_int.h"

int
bb_wp_has_blocks(const char *html, size_t len)
{
	text t;
	t.s = html ? html : "";
	t.n = html ? len : 0;
	return bb_wp_find(t, 0, "<!-- wp:") < t.n;
}

char *
bb_wp_strip_blocks(const char *html, size_t len, size_t *out_len)
{
	bb_buf b = BB_BUF_INIT;
	text t;
	size_t i = 0;
	finder end = { "-->", 0, 0, 0 };

	t.s = html ? html : "";
	t.n = html ? len : 0;
	while (i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(&b, t, &i, '<');
			continue;
		}
		if (bb_wp_at(t, i, "<!-- wp:") || bb_wp_at(t, i, "<!-- /wp:")) {
			size_t e = bb_wp_next(&end, t, i + 4);
			if (e < t.n) {
				i = e + 3;
				continue;
			}
		}
		bb_buf_putc(&b, t.s[i++]);
	}
	if (!b.data)
		bb_buf_put(&b, "", 0);
	return bb_buf_detach(&b, out_len);
}

/* wp_spaces_regexp(): [\r\n\t ]|\xC2\xA0|&nbsp; ; returns the end of a run. */
static size_t
S_spaces(text t, size_t i)
{
	for (;;) {
		if (i < t.n && (t.s[i] == '\r' || t.s[i] == '\n' || t.s[i] == '\t' || t.s[i] == ' '))
			i++;
		else if (bb_wp_at(t, i, "\xC2\xA0"))
			i += 2;
		else if (bb_wp_at(t, i, "&nbsp;"))
			i += 6;
		else
			return i;
	}
}

static int
S_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

char *
bb_wp_shortcode_unautop(const char *html, size_t len, const char *const *names, size_t *out_len)
{
	bb_buf b = BB_BUF_INIT;
	text t;
	size_t i = 0, k;

	t.s = html ? html : "";
	t.n = html ? len : 0;
	while (names && i < t.n) {
		if (t.s[i] != '<') {
			bb_wp_copy_to(&b, t, &i, '<');
			continue;
		}
		if (bb_wp_at(t, i, "<p>")) {
			size_t a = S_spaces(t, i + 3), n = a + 1, e1 = 0, e2 = 0, close;
			const char *name = NULL;
			if (bb_wp_at(t, a, "["))
				for (k = 0; names[k]; k++)
					if (bb_wp_at(t, n, names[k]) && !(n + strlen(names[k]) < t.n &&
								     S_word(t.s[n + strlen(names[k])]))) {
						name = names[k];
						break;
					}
			if (name) {
				/* the opening tag to its first ']' */
				size_t j = n + strlen(name);
				while (j < t.n && t.s[j] != ']')
					j++;
				if (j < t.n) {
					e1 = j + 1;
					if (t.s[j - 1] != '/') {
						/* with content up to the first [/name] */
						char *lit = bb_xasprintf("[/%s]", name);
						close = bb_wp_find(t, e1, lit);
						if (close < t.n)
							e2 = close + strlen(lit);
						free(lit);
					}
				}
			}
			/* the longer form first, as the regular expression tries it first */
			for (k = 0; k < 2 && name; k++) {
				size_t e = k == 0 ? e2 : e1, c;
				if (!e)
					continue;
				c = S_spaces(t, e);
				if (bb_wp_at(t, c, "</p>")) {
					bb_buf_put(&b, t.s + a, e - a);
					i = c + 4;
					break;
				}
			}
			if (name && k < 2)
				continue;
		}
		bb_buf_putc(&b, t.s[i++]);
	}
	if (i < t.n)
		bb_buf_put(&b, t.s + i, t.n - i);
	if (!b.data)
		bb_buf_put(&b, "", 0);
	return bb_buf_detach(&b, out_len);
}

char *
bb_wp_content(const char *html, size_t len, const char *const *shortcodes, size_t *out_len)
{
	char *p, *q;
	size_t n;
	if (bb_wp_has_blocks(html, len))
		return bb_wp_strip_blocks(html, len, out_len);
	p = bb_wpautop(html, len, 1, &n);
	q = bb_wp_shortcode_unautop(p, n, shortcodes, out_len);
	free(p);
	return q;
}
