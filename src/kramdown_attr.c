/* kramdown_attr.c: kramdown's attribute lists: IALs and ALDs read (only
 * safe classes and ids kept), written as the bb-ial markers of kramdown.h,
 * and read back from them (bb_kramdown_marker). */
#include "kramdown_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* 1 when s[0..n) is a class kept: [A-Za-z0-9_-]{1,100} without "--". */
int
bb_kd_valid_class(const char *s, size_t n)
{
	size_t i;
	if (!n || n > 100)
		return 0;
	for (i = 0; i < n; i++) {
		if (!(kd_word((unsigned char)s[i]) || s[i] == '-'))
			return 0;
		if (s[i] == '-' && i + 1 < n && s[i + 1] == '-')
			return 0;
	}
	return 1;
}

/* 1 when s[0..n) is an id kept: [A-Za-z][A-Za-z0-9_.-]{0,199} without "--". */
int
bb_kd_valid_id(const char *s, size_t n)
{
	size_t i;
	if (!n || n > 200 || !isalpha((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++) {
		if (!(kd_word((unsigned char)s[i]) || s[i] == '-' || s[i] == '.'))
			return 0;
		if (s[i] == '-' && s[i + 1 < n ? i + 1 : i] == '-' && i + 1 < n)
			return 0;
	}
	return 1;
}

/* Appends the class s[0..n) to a's space-separated classes. */
static void
S_add_class(kd_attrs *a, const char *s, size_t n)
{
	if (a->cls.len)
		bb_buf_putc(&a->cls, ' ');
	bb_buf_put(&a->cls, s, n);
}

/* The ALD named s[0..n) of the post, or NULL. */
static const kd_ald *
S_find_ald(kd_state *st, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < st->nald; i++)
		if (strlen(st->ald[i].name) == n && memcmp(st->ald[i].name, s, n) == 0)
			return &st->ald[i];
	return NULL;
}

/* Reads an IAL/ALD body s[0..n) into a (kramdown's ALD_TYPE_ANY: key="v",
 * key='v', .class, #id, ref), keeping only what is safe. */
void
bb_kd_parse_attrs(kd_state *st, const char *s, size_t n, kd_attrs *a, unsigned line, unsigned col,
		  int depth)
{
	size_t i = 0;
	while (i < n) {
		size_t b, e;
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i >= n)
			break;
		b = i;
		/* a token runs to white space, except inside a quoted value */
		e = b;
		while (e < n && !isspace((unsigned char)s[e])) {
			if (s[e] == '=' && e + 1 < n && (s[e + 1] == '"' || s[e + 1] == '\'')) {
				char q = s[e + 1];
				e += 2;
				while (e < n && s[e] != q) {
					if (s[e] == '\\' && e + 1 < n)
						e++;
					e++;
				}
				if (e < n)
					e++;
				continue;
			}
			e++;
		}
		i = e;
		if (++a->budget > 1000)
			break;
		if (s[b] == '.' || s[b] == '#') {
			/* .a.b#c: classes and an id run together */
			size_t p = b;
			while (p < e) {
				char kind = s[p];
				size_t q = p + 1;
				while (q < e && s[q] != '.' && s[q] != '#')
					q++;
				if (kind == '.' && bb_kd_valid_class(s + p + 1, q - p - 1))
					S_add_class(a, s + p + 1, q - p - 1);
				else if (kind == '#' && bb_kd_valid_id(s + p + 1, q - p - 1)) {
					free(a->id);
					a->id = bb_xstrndup(s + p + 1, q - p - 1);
				} else
					bb_kd_diag(st, BB_KRAMDOWN_NOTE, line, col,
						   "kramdown: attribute '%.*s' is not a safe class or id: dropped",
						   (int)(q - p), s + p);
				p = q;
			}
		} else {
			const char *eq = memchr(s + b, '=', e - b);
			if (eq) {
				size_t kn = (size_t)(eq - (s + b));
				const char *v = eq + 1;
				size_t vn = (size_t)(s + e - v);
				if (vn >= 2 && (v[0] == '"' || v[0] == '\'') && v[vn - 1] == v[0]) {
					v++;
					vn -= 2;
				}
				if (kn == 5 && strncmp(s + b, "class", 5) == 0) {
					size_t p = 0;
					while (p < vn) {
						size_t q;
						while (p < vn && v[p] == ' ')
							p++;
						for (q = p; q < vn && v[q] != ' '; q++)
							;
						if (q > p && bb_kd_valid_class(v + p, q - p))
							S_add_class(a, v + p, q - p);
						p = q;
					}
				} else if (kn == 2 && strncmp(s + b, "id", 2) == 0 && bb_kd_valid_id(v, vn)) {
					free(a->id);
					a->id = bb_xstrndup(v, vn);
				} else if (kn > 2 && (s[b] == 'o' || s[b] == 'O') && (s[b + 1] == 'n' || s[b + 1] == 'N'))
					bb_kd_diag(st, BB_KRAMDOWN_WARNING, line, col,
						   "kramdown: event handler '%.*s' in an attribute list: dropped",
						   (int)kn, s + b);
				else
					bb_kd_diag(st, BB_KRAMDOWN_NOTE, line, col,
						   "kramdown: attribute '%.*s' dropped (only class and id are kept)",
						   (int)kn, s + b);
			} else if (e - b == 3 && strncmp(s + b, "toc", 3) == 0) {
				a->toc = 1;
			} else {
				const kd_ald *d = S_find_ald(st, s + b, e - b);
				if (d && depth < KD_MAX_REF_DEPTH)
					bb_kd_parse_attrs(st, d->body, strlen(d->body), a, line, col, depth + 1);
				else if (!d)
					bb_kd_diag(st, BB_KRAMDOWN_NOTE, line, col,
						   "kramdown: no attribute list definition named '%.*s'",
						   (int)(e - b), s + b);
			}
		}
	}
}

/* Appends the marker `<!--KIND ATTRS-->` for a. */
void
bb_kd_put_marker(bb_buf *out, const char *kind, const kd_attrs *a)
{
	const char *p;
	bb_buf_puts(out, "<!--");
	bb_buf_puts(out, kind);
	for (p = a->cls.data; p && *p;) {
		const char *q = strchr(p, ' ');
		size_t n = q ? (size_t)(q - p) : strlen(p);
		bb_buf_puts(out, " .");
		bb_buf_put(out, p, n);
		p += n;
		while (*p == ' ')
			p++;
	}
	if (a->id) {
		bb_buf_puts(out, " #");
		bb_buf_puts(out, a->id);
	}
	bb_buf_puts(out, "-->");
}

/* Frees what a holds (a itself is the caller's); a can be read into again. */
void
bb_kd_attrs_free(kd_attrs *a)
{
	bb_buf_free(&a->cls);
	free(a->id);
	a->id = NULL;
}

int
bb_kramdown_marker(const char *s, size_t n, char **cls, char **id)
{
	int kind;
	size_t i;
	bb_buf c = BB_BUF_INIT;
	*cls = *id = NULL;
	if (n >= 4 && memcmp(s, "<!--", 4) == 0) {
		s += 4;
		n -= 4;
	}
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	if (n >= 3 && memcmp(s + n - 3, "-->", 3) == 0)
		n -= 3;
	if (n >= 11 && memcmp(s, "bb-ial-next", 11) == 0) {
		kind = BB_KRAMDOWN_MARK_NEXT;
		i = 11;
	} else if (n >= 11 && memcmp(s, "bb-ial-item", 11) == 0) {
		kind = BB_KRAMDOWN_MARK_ITEM;
		i = 11;
	} else if (n >= 6 && memcmp(s, "bb-ial", 6) == 0) {
		kind = BB_KRAMDOWN_MARK_PREV;
		i = 6;
	} else
		return BB_KRAMDOWN_MARK_NONE;
	if (i < n && s[i] != ' ')
		return BB_KRAMDOWN_MARK_NONE;
	while (i < n) {
		size_t b;
		while (i < n && s[i] == ' ')
			i++;
		b = i;
		while (i < n && s[i] != ' ')
			i++;
		if (i - b > 1 && s[b] == '.' && bb_kd_valid_class(s + b + 1, i - b - 1)) {
			if (c.len)
				bb_buf_putc(&c, ' ');
			bb_buf_put(&c, s + b + 1, i - b - 1);
		} else if (i - b > 1 && s[b] == '#' && bb_kd_valid_id(s + b + 1, i - b - 1)) {
			free(*id);
			*id = bb_xstrndup(s + b + 1, i - b - 1);
		}
	}
	if (c.len)
		*cls = bb_buf_detach(&c, NULL);
	bb_buf_free(&c);
	return kind;
}

/* Matches `{:name: body}` (an ALD) on line s[0..n); fills name and body. */
int
bb_kd_ald_line(const char *s, size_t n, size_t *nb, size_t *ne, size_t *bb, size_t *be)
{
	size_t i = 0, j;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	n = kd_rtrim(s, n);
	if (n < i + 5 || s[i] != '{' || s[i + 1] != ':' || s[n - 1] != '}')
		return 0;
	i += 2;
	if (!kd_word((unsigned char)s[i]))
		return 0;
	for (j = i; j < n && (kd_word((unsigned char)s[j]) || s[j] == '-'); j++)
		;
	if (j >= n || s[j] != ':' || j + 1 >= n - 1)
		return 0;
	*nb = i;
	*ne = j;
	*bb = j + 1;
	*be = n - 1;
	return 1;
}

/* Matches a block IAL line `{: ...}` / `{:...}` (not `{::`, `{:/`, an ALD). */
int
bb_kd_ial_line(const char *s, size_t n, size_t *b, size_t *e)
{
	size_t i = 0, t = kd_rtrim(s, n), x1, x2, x3, x4;
	/* inside list items and quotes too: indentation and `>` before it */
	while (i < n && i < 40 && (s[i] == ' ' || s[i] == '\t' || s[i] == '>'))
		i++;
	if (t < i + 3 || s[i] != '{' || s[i + 1] != ':' || s[t - 1] != '}' || memchr(s + i + 1, '}', t - 1 - i - 1))
		return 0;
	if (s[i + 2] == ':' || s[i + 2] == '/' || bb_kd_ald_line(s + i, n - i, &x1, &x2, &x3, &x4))
		return 0;
	*b = i + 2;
	*e = t - 1;
	return 1;
}
