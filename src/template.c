/* template.c: loading the built-in and user templates, and expanding them. */
#define _POSIX_C_SOURCE 200809L
#include "template.h"

#include <errno.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Generated from templates/ by tools/embed.sh. */
extern const struct {
	const char *name;
	const unsigned char *data;
	size_t len;
} bb_builtin_templates[];

#define MAX_TEMPLATES 16

struct bb_template_set {
	char *name[MAX_TEMPLATES];
	char *text[MAX_TEMPLATES];
	size_t len[MAX_TEMPLATES];
	size_t n;
};

static void S_check_xhtml(const char *path, const char *text, size_t len, bb_diaglist *dl);

bb_template_set *
bb_templates_load(const char *dir, bb_diaglist *dl)
{
	bb_template_set *t;
	size_t i;
	struct stat st;
	if (dir && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		bb_diag_add(dl, BB_ERROR, NULL, 0, 0, "templates folder %s: %s", dir,
			    errno ? strerror(errno) : "not a folder");
		return NULL;
	}
	t = bb_xcalloc(1, sizeof *t);
	for (i = 0; bb_builtin_templates[i].name && t->n < MAX_TEMPLATES; i++) {
		const char *name = bb_builtin_templates[i].name;
		char *data = NULL;
		size_t len = 0;
		if (dir) {
			char *path = bb_xasprintf("%s/%s", dir, name);
			if (bb_read_file(path, 1u << 20, &data, &len) != 0) {
				if (errno != ENOENT)
					bb_diag_add_file(dl, BB_WARNING, path, 0, 0, "cannot read template (%s); using the built-in one",
						    strerror(errno));
				free(data);
				data = NULL;
			}
			free(path);
		}
		if (!data) {
			data = bb_xstrndup((const char *)bb_builtin_templates[i].data, bb_builtin_templates[i].len);
			len = bb_builtin_templates[i].len;
		} else if (strstr(name, ".xhtml")) {
			char *path = bb_xasprintf("%s/%s", dir, name);
			S_check_xhtml(path, data, len, dl);
			free(path);
		}
		t->name[t->n] = bb_xstrdup(name);
		t->text[t->n] = data;
		t->len[t->n] = len;
		t->n++;
	}
	return t;
}

/* A user's page template must give well-formed XHTML: it is expanded with
 * sample values and parsed, and a fault is an error naming the template's
 * line and column (the values stand on one line, so lines match). */
static void
S_check_xhtml(const char *path, const char *text, size_t len, bb_diaglist *dl)
{
	static const char *const names[] = { "lang", "dir", "html_class", "title", "id", "first", "date", "author",
					     "has_categories", "has_tags", "body", "book_title", "description",
					     "url", "range", "posts", "image", "count" };
	static const char *const items[] = { "Sample & item" };
	bb_tvar v[20];
	bb_buf out = BB_BUF_INIT;
	xmlParserCtxtPtr ctx;
	xmlDocPtr doc;
	size_t i;
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		v[i].name = names[i];
		v[i].value = strcmp(names[i], "body") == 0 ? "<p>Sample text</p>" : strcmp(names[i], "dir") == 0 ? "ltr"
			   : strcmp(names[i], "lang") == 0 ? "en" : strcmp(names[i], "image") == 0 ? "" : "Sample <value> & \"more\"";
		v[i].list = NULL;
		v[i].n = 0;
	}
	v[i].name = "categories", v[i].value = NULL, v[i].list = items, v[i].n = 1, i++;
	v[i].name = "tags", v[i].value = NULL, v[i].list = items, v[i].n = 1, i++;
	bb_template_expand(text, len, v, i, &out);
	ctx = xmlNewParserCtxt();
	doc = ctx ? xmlCtxtReadMemory(ctx, out.data ? out.data : "", (int)out.len, NULL, "UTF-8",
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
		  : NULL;
	if (!doc || !ctx->wellFormed) {
		xmlErrorPtr e = ctx ? xmlCtxtGetLastError(ctx) : NULL;
		char *msg = bb_xstrdup(e && e->message ? e->message : "parse error");
		size_t n = strlen(msg);
		while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = '\0';
		bb_diag_add_file(dl, BB_ERROR, path, e ? (unsigned)e->line : 0, e ? (unsigned)e->int2 : 0,
				 "the template does not make well-formed XHTML: %s", msg);
		free(msg);
	}
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctx);
	bb_buf_free(&out);
}

const char *
bb_template_get(const bb_template_set *t, const char *name, size_t *len)
{
	size_t i;
	for (i = 0; t && i < t->n; i++)
		if (strcmp(t->name[i], name) == 0) {
			if (len)
				*len = t->len[i];
			return t->text[i];
		}
	return NULL;
}

void
bb_templates_free(bb_template_set *t)
{
	size_t i;
	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->name[i]);
		free(t->text[i]);
	}
	free(t);
}

static const bb_tvar *
S_find(const bb_tvar *vars, size_t n, const char *name, size_t nlen)
{
	size_t i;
	for (i = n; i-- > 0;)
		if (strlen(vars[i].name) == nlen && memcmp(vars[i].name, name, nlen) == 0)
			return &vars[i];
	return NULL;
}

/* Finds the {{/name}} closing the section opened just before p, honouring
 * nested sections of the same name. Returns its start or NULL. */
static const char *
S_section_end(const char *p, const char *end, const char *name, size_t nlen, const char **after)
{
	int depth = 1;
	while (p < end) {
		const char *o = strstr(p, "{{");
		if (!o || o >= end)
			return NULL;
		if ((o[2] == '#' || o[2] == '^') && (size_t)(end - o) > nlen + 5 &&
		    memcmp(o + 3, name, nlen) == 0 && o[3 + nlen] == '}')
			depth++;
		else if (o[2] == '/' && (size_t)(end - o) >= nlen + 5 && memcmp(o + 3, name, nlen) == 0 &&
			 o[3 + nlen] == '}') {
			if (--depth == 0) {
				*after = o + nlen + 5;
				return o;
			}
		}
		p = o + 2;
	}
	return NULL;
}

static void
S_expand(const char *p, const char *end, const bb_tvar *vars, size_t nvars, bb_buf *out, int depth)
{
	while (p < end) {
		const char *o = strstr(p, "{{"), *c, *name;
		size_t nlen;
		int raw = 0;
		if (!o || o >= end) {
			bb_buf_put(out, p, (size_t)(end - p));
			return;
		}
		bb_buf_put(out, p, (size_t)(o - p));
		if (o[2] == '{') {
			raw = 1;
			c = strstr(o + 3, "}}}");
		} else
			c = strstr(o + 2, "}}");
		if (!c || c >= end) {
			bb_buf_put(out, o, (size_t)(end - o));
			return;
		}
		name = o + 2 + raw;
		while (*name == ' ')
			name++;
		nlen = (size_t)(c - name);
		while (nlen && name[nlen - 1] == ' ')
			nlen--;
		if (!raw && (name[0] == '#' || name[0] == '^') && depth < 8) {
			int inverted = name[0] == '^';
			const char *inner = c + 2, *after = NULL, *close;
			const bb_tvar *v;
			name++;
			nlen--;
			close = S_section_end(inner, end, name, nlen, &after);
			if (!close) {
				/* no end: the tag is kept as text, so nothing is lost */
				bb_buf_put(out, o, (size_t)(c + 2 - o));
				p = c + 2;
				continue;
			}
			v = S_find(vars, nvars, name, nlen);
			if (inverted) {
				if (!v || (v->list ? v->n == 0 : !(v->value && *v->value)))
					S_expand(inner, close, vars, nvars, out, depth + 1);
			} else if (v && v->list) {
				size_t i;
				for (i = 0; i < v->n; i++) {
					bb_tvar *sub = bb_xmalloc((nvars + 1) * sizeof *sub);
					memcpy(sub, vars, nvars * sizeof *sub);
					sub[nvars].name = ".";
					sub[nvars].value = v->list[i];
					sub[nvars].list = NULL;
					sub[nvars].n = 0;
					S_expand(inner, close, sub, nvars + 1, out, depth + 1);
					free(sub);
				}
			} else if (v && v->value && *v->value)
				S_expand(inner, close, vars, nvars, out, depth + 1);
			p = after;
			continue;
		}
		if (!raw && name[0] == '/') {
			p = c + 2;
			continue;
		}
		{
			const bb_tvar *v = S_find(vars, nvars, name, nlen);
			if (v && v->value) {
				if (raw)
					bb_buf_puts(out, v->value);
				else
					bb_buf_put_xml(out, v->value, strlen(v->value));
			}
		}
		p = c + 2 + raw;
	}
}

void
bb_template_expand(const char *tpl, size_t len, const bb_tvar *vars, size_t nvars, bb_buf *out)
{
	S_expand(tpl, tpl + len, vars, nvars, out, 0);
}
