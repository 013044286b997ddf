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

/* When pre is a code block with a language: that language into lang
 * (cap bytes), its code element into *code and its text into text; 1,
 * else 0 (pre is written as it is). */
static int
S_block(xmlNodePtr pre, char *lang, size_t cap, xmlNodePtr *code, bb_buf *text)
{
	xmlNodePtr c;

	*code = NULL;
	for (c = pre->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			if (*code || strcmp((const char *)c->name, "code") != 0)
				return 0;
			*code = c;
		} else if (c->type == XML_TEXT_NODE && c->content && strspn((const char *)c->content, " \t\n") !=
									     strlen((const char *)c->content))
			return 0;
	if (!*code)
		return 0;
	if (!S_lang(bb_tree_attr(*code, "class"), lang, cap) &&
	    !S_lang(bb_tree_attr(pre, "class"), lang, cap)) {
		const char *dl = bb_tree_attr(*code, "data-lang");
		if (!dl || !*dl || strlen(dl) >= cap)
			return 0;
		strcpy(lang, dl);
	}
	for (c = (*code)->children; c; c = c->next)
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
			return 0; /* markup inside: written as it is */
	bb_tree_text((*code)->children, text, 0);
	return 1;
}

/* Gathers the code blocks under top (in document order, without
 * recursion: a hostile post may nest deep) into lang and text. */
static void
S_gather(xmlNodePtr top, char (**lang)[64], bb_buf **text, size_t *count, size_t *cap)
{
	xmlNodePtr n = top, code;

	while (n) {
		if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "pre") == 0) {
			if (*count == *cap) {
				*cap = *cap ? *cap * 2 : 16;
				*lang = bb_xrealloc(*lang, *cap * sizeof **lang);
				*text = bb_xrealloc(*text, *cap * sizeof **text);
			}
			memset(&(*text)[*count], 0, sizeof **text);
			if (S_block(n, (*lang)[*count], sizeof **lang, &code, &(*text)[*count]))
				(*count)++;
			else
				bb_buf_free(&(*text)[*count]);
		} else if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n && n != top && !n->next)
			n = n->parent;
		n = n && n != top ? n->next : NULL;
	}
}

/* Asks highlight.js for every block of the document at once
 * (bb_highlight_prefetch): one round trip for the post, not one a block. */
static void
S_prefetch(bb_js *js, xmlDocPtr doc)
{
	char (*lang)[64] = NULL;
	bb_buf *text = NULL;
	const char **lp, **cp;
	size_t n = 0, cap = 0, i, *len;

	if (!doc)
		return;
	S_gather(xmlDocGetRootElement(doc), &lang, &text, &n, &cap);
	lp = bb_xcalloc(n + 1, sizeof *lp);
	cp = bb_xcalloc(n + 1, sizeof *cp);
	len = bb_xcalloc(n + 1, sizeof *len);
	for (i = 0; i < n; i++) {
		lp[i] = lang[i];
		cp[i] = text[i].data ? text[i].data : "";
		len[i] = text[i].len;
	}
	bb_highlight_prefetch(js, n, lp, cp, len);
	for (i = 0; i < n; i++)
		bb_buf_free(&text[i]);
	free(text);
	free(lang);
	free(lp);
	free(cp);
	free(len);
}

int
bb_codeblock_put(xmlNodePtr pre, bb_buf *o)
{
	xmlNodePtr code = NULL;
	char lang[64];
	bb_buf text = BB_BUF_INIT;
	char *hl = NULL, *err = NULL, *lines = NULL;
	int numbered, ok = 0;
	bb_js *js;

	if (!S_block(pre, lang, sizeof lang, &code, &text))
		goto out;
	js = bb_js_thread(&err);
	if (js && !bb_highlight_asked(js, lang, text.data ? text.data : "", text.len))
		S_prefetch(js, pre->doc);
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
