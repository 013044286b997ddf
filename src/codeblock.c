/* codeblock.c: highlighted code blocks in the writer (see codeblock.h). */
#include "codeblock.h"
#include "highlight.h"
#include "js.h"
#include "markdown.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The language a class attribute names ("language-ruby", "lang-ruby",
 * "highlight-ruby"), copied to out; 0 when none. */
static int
S_lang(const char *cls, char *out, size_t cap)
{
	static const char *const pre[] = { "language-", "lang-", NULL };
	size_t i, n;
	const char *s;
	if (!cls)
		return 0;
	for (i = 0; pre[i]; i++)
		if ((s = strstr(cls, pre[i])) && (s == cls || isspace((unsigned char)s[-1]))) {
			s += strlen(pre[i]);
			n = strcspn(s, " \t\n");
			if (!n || n >= cap)
				return 0;
			memcpy(out, s, n);
			out[n] = '\0';
			return 1;
		}
	return 0;
}

/* 1 when n's class attribute holds the class cls. */
static int
S_has_class(xmlNodePtr n, const char *cls)
{
	const char *c = bb_tree_attr(n, "class");
	size_t k = strlen(cls);
	while (c && *c) {
		size_t w;
		c += strspn(c, " \t\n");
		w = strcspn(c, " \t\n");
		if (w == k && strncmp(c, cls, k) == 0)
			return 1;
		c += w;
	}
	return 0;
}

int
bb_codeblock_put(xmlNodePtr pre, bb_buf *o)
{
	xmlNodePtr code = NULL, c;
	char lang[64];
	bb_buf text = BB_BUF_INIT;
	char *hl = NULL, *err = NULL, *lines = NULL;
	int numbered, ok = 0;
	bb_js *js;

	for (c = pre->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			if (code || strcmp((const char *)c->name, "code") != 0)
				return 0;
			code = c;
		} else if (c->type == XML_TEXT_NODE && c->content && strspn((const char *)c->content, " \t\n") !=
									     strlen((const char *)c->content))
			return 0;
	if (!code)
		return 0;
	if (!S_lang(bb_tree_attr(code, "class"), lang, sizeof lang) &&
	    !S_lang(bb_tree_attr(pre, "class"), lang, sizeof lang)) {
		const char *dl = bb_tree_attr(code, "data-lang");
		if (!dl || !*dl || strlen(dl) >= sizeof lang)
			return 0;
		strcpy(lang, dl);
	}
	for (c = code->children; c; c = c->next)
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
			return 0; /* markup inside: written as it is */
	bb_tree_text(code->children, &text, 0);
	js = bb_js_thread(&err);
	hl = bb_highlight(js, lang, text.data ? text.data : "", text.len, &err);
	if (!hl)
		goto out;
	numbered = S_has_class(pre, "linenos") || S_has_class(code, "linenos") ||
		   bb_tree_attr(code, "data-linenos");
	if (numbered && !(lines = bb_highlight_lines(hl, strlen(hl), 1)))
		goto out;
	bb_buf_puts(o, "<pre class=\"hl\"><code class=\"language-");
	bb_buf_put_xml(o, lang, strlen(lang));
	bb_buf_puts(o, "\">");
	bb_buf_puts(o, lines ? lines : hl);
	bb_buf_puts(o, "</code></pre>");
	ok = 1;
out:
	free(err);
	free(hl);
	free(lines);
	bb_buf_free(&text);
	return ok;
}
