/* admonition.c: theme shortcodes without their templates (admonition.h):
 * the admonition family as a titled box, and which arguments are text. */
#define _POSIX_C_SOURCE 200809L
#include "admonition.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Shortcode names of the family (LoveIt/FixIt/DoIt admonition, Docsy and
 * Blowfish/Congo alert, hugo-notice notice, Hextra callout, hugo-book
 * hint, tabi admonition, and the themes that name one shortcode a type). */
static const char *const family[] = { "admonition", "alert", "notice", "callout", "hint", "note", "tip",
				      "warning", "info", "caution", "danger", "important", NULL };

/* Types a type argument or a positional word may name. */
static const char *const types[] = { "note", "tip", "hint", "info", "important", "warning", "caution", "danger",
				     "error", "success", "question", "failure", "bug", "example", "quote",
				     "abstract", "summary", "todo", "attention", NULL };

static int
S_in(const char *s, const char *const *list)
{
	size_t i;
	for (i = 0; list[i]; i++)
		if (strcasecmp(s, list[i]) == 0)
			return 1;
	return 0;
}

int
bb_admonition_is(const char *name)
{
	return S_in(name, family);
}

static const char *
S_named(const bb_sc_arg *args, size_t n, const char *key)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (args[i].key && strcasecmp(args[i].key, key) == 0 && args[i].val)
			return args[i].val;
	return NULL;
}

/* Positional argument pos, or NULL. */
static const char *
S_pos(const bb_sc_arg *args, size_t n, size_t pos)
{
	size_t i, k = 0;
	for (i = 0; i < n; i++)
		if (!args[i].key && k++ == pos)
			return args[i].val;
	return NULL;
}

/* 1 when s has a letter or a digit (not only emoji or symbols): Latin,
 * Greek, Cyrillic, Hebrew, Arabic..., Indic, CJK and Hangul. */
static int
S_has_letter(const char *s)
{
	size_t i = 0, n = strlen(s), l;
	while (i < n) {
		unsigned cp = bb_utf8_at(s, n, i, &l);
		if ((cp < 0x80 && isalnum((int)cp)) || (cp >= 0xC0 && cp < 0x2000) || (cp >= 0x3040 && cp < 0xA000) ||
		    (cp >= 0xAC00 && cp < 0xD7B0) || bb_is_cjk(cp))
			return 1;
		i += l ? l : 1;
	}
	return 0;
}

/* 1 when s is only [a-z0-9_-]: an identifier, icon or keyword. */
static int
S_ident(const char *s)
{
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-' && *s != '_')
			return 0;
	return 1;
}

void
bb_admonition_open(bb_buf *o, const char *name, const bb_sc_arg *args, size_t n)
{
	const char *type = NULL, *title = NULL, *v;
	size_t next = 0; /* the positional argument a title may be */
	static const char *const tkeys[] = { "type", "kind", "variant", "color", "colour", "level", NULL };
	static const char *const hkeys[] = { "title", "header", "heading", "label", "summary", NULL };
	size_t k;
	for (k = 0; tkeys[k] && !type; k++)
		if ((v = S_named(args, n, tkeys[k])) && S_in(v, types))
			type = v;
	if (!type && (v = S_pos(args, n, 0)) && S_in(v, types)) {
		type = v;
		next = 1;
	}
	if (!type)
		type = S_in(name, types) ? name : "note";
	for (k = 0; hkeys[k] && !title; k++)
		if ((v = S_named(args, n, hkeys[k])) && *v)
			title = v;
	/* LoveIt's title after the type; a first argument that is no type is
	 * a title only when it reads as one (Blowfish's is an icon name) */
	if (!title && (v = S_pos(args, n, next)) && *v && S_has_letter(v) && !S_ident(v) &&
	    strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
		title = v;
	/* one line that ends its HTML block by itself (the comment's), so
	 * what follows on the next line is Markdown and no line moves */
	bb_buf_puts(o, "<!-- admonition --><div class=\"admonition ");
	for (v = type; *v; v++)
		if (isalnum((unsigned char)*v) || *v == '-' || *v == '_')
			bb_buf_putc(o, tolower((unsigned char)*v));
	bb_buf_puts(o, "\"><p class=\"admonition-title\"><strong>");
	if (title) {
		const char *s;
		for (s = title; *s; s++)
			if (*s == '\n' || *s == '\r')
				bb_buf_putc(o, ' ');
			else
				bb_buf_put_xml(o, s, 1);
	} else {
		bb_buf_putc(o, toupper((unsigned char)type[0]));
		for (v = type + 1; *v; v++)
			bb_buf_putc(o, tolower((unsigned char)*v));
	}
	bb_buf_puts(o, "</strong></p>");
}

void
bb_admonition_close(bb_buf *o)
{
	bb_buf_puts(o, "</div>");
}

const char *
bb_admonition_text(const bb_sc_arg *args, size_t n)
{
	static const char *const keys[] = { "text", "content", "body", "message", NULL };
	const char *v;
	size_t k;
	for (k = 0; keys[k]; k++)
		if ((v = S_named(args, n, keys[k])) && *v)
			return v;
	return NULL;
}

/* Keys whose value is text to read. */
static const char *const text_keys[] = { "title", "text", "content", "body", "caption", "quote", "note", "name",
					 "author", "artist", "label", "summary", "description", "message", "original",
					 "translated", "translation", "cite", "subtitle", "header", "heading", "alt",
					 "tooltip", NULL };
/* Keys whose value is a setting, whatever it looks like. */
static const char *const setting_keys[] = { "class", "style", "icon", "emoji", "id", "width", "height", "size",
					    "align", "float", "position", "lang", "language", "type", "kind", "theme",
					    "mode", "color", "colour", "target", "rel", "open", "loading", "slug",
					    "direction", "format", "layout", "variant", "ratio", "start", "end",
					    "autoplay", "loop", "muted", "controls", "nick", NULL };

/* 1 when v is a number, a size or a version: digits, signs, dots, commas,
 * '%' and at most a short unit after them. */
static int
S_numeric(const char *v)
{
	const char *s = v;
	size_t letters = 0;
	if (*s == 'v' && isdigit((unsigned char)s[1]))
		s++;
	if (!isdigit((unsigned char)*s) && !((*s == '-' || *s == '+' || *s == '.') && isdigit((unsigned char)s[1])))
		return 0;
	for (; *s; s++)
		if (isalpha((unsigned char)*s))
			letters++;
		else if (letters || !(isdigit((unsigned char)*s) || strchr("+-.,%:x", *s)))
			return 0;
	return letters <= 3;
}

/* 1 when s is only ASCII letters and digits (a file's extension). */
static int
S_alnum(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s))
			return 0;
	return 1;
}

/* 1 when v is a keyword value (true, none...), a number, a size or a
 * version. */
static int
S_value(const char *v)
{
	static const char *const words[] = { "true", "false", "yes", "no", "on", "off", "null", "none", "nil", NULL };
	return !*v || S_in(v, words) || S_numeric(v);
}

/* 1 when v is a URL, a path, a file name, a colour or CSS: what a
 * template reads, not what a reader does. Prose with a blank is none of
 * them unless it is CSS ("text-align: right;", "p{color:red}"). */
static int
S_machine(const char *v)
{
	const char *dot, *c = v;
	if (strncmp(v, "rgb(", 4) == 0 || strncmp(v, "rgba(", 5) == 0 || strncmp(v, "hsl(", 4) == 0)
		return 1;
	/* CSS: a lowercase property or selector, then ':' or '{', and ';' or '}' */
	while (islower((unsigned char)*c) || *c == '-')
		c++;
	while (c > v && (*c == ' ' || *c == '\t'))
		c++;
	if (c > v && (*c == ':' || *c == '{') && strpbrk(c, ";}"))
		return 1;
	if (strpbrk(v, " \t\n"))
		return 0;
	/* one word: an address, a path, a file, an anchor, a colour */
	if (strstr(v, "://") || strchr("/#@", v[0]) || strncmp(v, "./", 2) == 0 || strncmp(v, "../", 3) == 0 ||
	    strchr(v, '/'))
		return 1;
	for (c = v; islower((unsigned char)*c) || *c == '-'; c++)
		;
	if (c > v && *c == ':') /* mailto:, data:, tel:, a declaration */
		return 1;
	return (dot = strrchr(v, '.')) && dot > v && dot[1] && strlen(dot + 1) <= 5 && S_alnum(dot + 1) &&
	       !isdigit((unsigned char)dot[1]);
}

/* 1 when s has a byte outside ASCII (a letter of another script). */
static int
S_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

int
bb_sc_arg_is_text(const bb_sc_arg *a)
{
	const char *v = a->val, *s;
	int upper = 0;
	if (!v || S_value(v) || !S_has_letter(v))
		return 0;
	if (a->key && S_in(a->key, setting_keys))
		return 0;
	/* a text key's value is text, a link in it or not */
	if (a->key && S_in(a->key, text_keys))
		return 1;
	if (S_machine(v))
		return 0;
	for (s = v; *s; s++)
		upper |= isupper((unsigned char)*s);
	if (!a->key)
		return a->quoted || upper || S_non_ascii(v) || strchr(v, ' ');
	return strchr(v, ' ') || S_non_ascii(v);
}

int
bb_sc_arg_is_image(const bb_sc_arg *a)
{
	static const char *const exts[] = { "png", "jpg", "jpeg", "gif", "webp", "svg", "avif", NULL };
	const char *v = a->val, *dot, *end;
	size_t k;
	if (!v || strpbrk(v, " \t\n"))
		return 0;
	end = v + strcspn(v, "?#");
	for (dot = end; dot > v && dot[-1] != '.' && dot[-1] != '/'; dot--)
		;
	if (dot == v || dot[-1] != '.')
		return 0;
	for (k = 0; exts[k]; k++)
		if ((size_t)(end - dot) == strlen(exts[k]) && strncasecmp(dot, exts[k], (size_t)(end - dot)) == 0)
			return 1;
	return 0;
}

int
bb_sc_arg_variant(const bb_sc_arg *args, size_t n, size_t i)
{
	const char *k = args[i].key, *d;
	char light[80], plain[80];
	size_t j, pre;
	if (!k || strlen(k) + 2 > sizeof light)
		return 0;
	for (j = 0; j < n; j++) {
		const char *o = args[j].key;
		size_t ol = o ? strlen(o) : 0;
		/* src_s, src_l beside src */
		if (j != i && o && strncmp(k, o, ol) == 0 && (k[ol] == '_' || k[ol] == '-') && bb_sc_arg_is_image(&args[j]))
			return 1;
	}
	if (!(d = strstr(k, "dark")))
		return 0;
	pre = (size_t)(d - k);
	/* the twins: "dark" made "light" (dark_src, light_src), or "dark"
	 * and a '_' or '-' beside it left out (src_dark, src) */
	snprintf(light, sizeof light, "%.*slight%s", (int)pre, k, d + 4);
	if (pre && (k[pre - 1] == '_' || k[pre - 1] == '-'))
		snprintf(plain, sizeof plain, "%.*s%s", (int)pre - 1, k, d + 4);
	else
		snprintf(plain, sizeof plain, "%.*s%s", (int)pre, k, d[4] == '_' || d[4] == '-' ? d + 5 : d + 4);
	for (j = 0; j < n; j++)
		if (j != i && args[j].key && bb_sc_arg_is_image(&args[j]) &&
		    (strcmp(args[j].key, light) == 0 || strcmp(args[j].key, plain) == 0))
			return 1;
	return 0;
}
