/* highlight.c: code blocks to XHTML token spans with highlight.js 9.18 run in the bb_js engine. */
#include "highlight.h"
#include "hlnative.h"
#include "jsnode.h"
#include "util.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#define S_DEPTH 32

/* The sentinel returned for an unknown language cannot occur in output
 * (highlight.js escapes '<' but never emits NUL). */
static const char S_glue[] =
	"function __bb_hl(lang, code) {\n"
	"  if (!hljs.getLanguage(lang)) return '\\u0000';\n"
	"  return hljs.highlight(lang, code, true).value;\n"
	"}\n";

typedef struct S_state {
	int ready;
} S_state;

/* Frees the module's slot data. */
static void
S_state_free(void *p)
{
	free(p);
}

/* Languages blogs name that highlight.js 9.18 knows under another name;
 * NULL target = plain text, no highlighting. */
static const struct { const char *from, *to; } S_alias[] = {
	{ "console", "shell" }, { "shell-session", "shell" }, { "shellsession", "shell" },
	{ "zsh", "bash" }, { "terminal", "shell" }, { "golang", "go" },
	{ "pycon", "python" }, { "pry", "ruby" }, { "vimscript", "vim" }, { "nasm", "x86asm" },
	{ "latex", "tex" }, { "jsx", "javascript" }, { "tsx", "typescript" },
	{ "text", NULL }, { "plain", NULL }, { "plaintext", NULL }, { "txt", NULL },
	{ "none", NULL }, { "nohighlight", NULL }, { "no-highlight", NULL },
};

/* 1 when the n bytes at s are valid UTF-8 without NUL. */
static int
S_utf8(const char *s, size_t n)
{
	size_t i = 0;
	unsigned cp;
	int k;

	while (i < n) {
		if ((unsigned char)s[i] < 0x80) {
			if (s[i] == '\0')
				return 0;
			i++;
			continue;
		}
		k = bb_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (k == 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

/* 1 when html, put inside <code>, is well-formed XML. */
static int
S_wellformed(const char *html, size_t len)
{
	bb_buf b = BB_BUF_INIT;
	xmlDoc *d;

	bb_buf_puts(&b, "<code>");
	bb_buf_put(&b, html, len);
	bb_buf_puts(&b, "</code>");
	d = xmlReadMemory(b.data, (int)b.len, NULL, "UTF-8",
		XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	bb_buf_free(&b);
	if (!d)
		return 0;
	xmlFreeDoc(d);
	return 1;
}

/* highlight.js in the Node engine (jsnode.h) for __bb_hl(argv): its
 * answer when the engine is there (the code is at most BB_HIGHLIGHT_MAX
 * bytes: no clock decides, so the book does not depend on the machine's
 * load), else NULL and Duktape answers; *late is set when Node gave no
 * answer within its safety cap (the code then stays plain). */
static char *
S_node(const char *const *argv, const size_t *argl, size_t *outlen, int *late)
{
	unsigned long us = 0;
	char *out = NULL;
	int rc;

	*late = 0;
	if (!bb_node_fits(argv[1], argl[1])
		|| bb_node_require(BB_JS_HLJS_PATH, "highlight.c", S_glue) < 0)
		return NULL;
	if ((rc = bb_node_call("__bb_hl", 2, argv, argl, &out, outlen, &us)) == 0)
		return out;
	*late = rc == -2;
	free(out);
	return NULL;
}

/* Highlights with highlight.js, or with the native tokenizer first when
 * native is set. */
static char *
S_highlight(bb_js *js, const char *lang, const char *code, size_t len, int native, char **err)
{
	S_state *st;
	char name[64];
	const char *argv[2];
	size_t argl[2], i, n, outlen;
	char *out;
	int late = 0;

	*err = NULL;
	if (!lang)
		return NULL;
	/* Qiita's "cpp:main.cpp" names the language before the colon; a bare
	 * file name "main.cpp" names it by its extension. */
	n = strcspn(lang, ":");
	if (n == strlen(lang) && strrchr(lang, '.') && strrchr(lang, '.')[1]) {
		lang = strrchr(lang, '.') + 1;
		n = strlen(lang);
	}
	if (n == 0 || n >= sizeof name)
		return NULL;
	for (i = 0; i < n; i++)
		name[i] = (char)(lang[i] >= 'A' && lang[i] <= 'Z' ? lang[i] + 32 : lang[i]);
	name[n] = '\0';
	if (len > BB_HIGHLIGHT_MAX) {
		*err = bb_xasprintf("code block of %zu bytes is longer than the %zu highlighted",
			len, BB_HIGHLIGHT_MAX);
		return NULL;
	}
	if (!S_utf8(code, len)) {
		*err = bb_xstrdup("code block is not UTF-8 text: not highlighted");
		return NULL;
	}
	if (native && (out = bb_hl_native(name, code, len)) != NULL)
		return out;
	for (i = 0; i < sizeof S_alias / sizeof S_alias[0]; i++) {
		if (strcmp(name, S_alias[i].from) == 0) {
			if (!S_alias[i].to)
				return NULL;
			strcpy(name, S_alias[i].to);
			break;
		}
	}
	if (!js)
		return NULL;
	argv[0] = name;
	argl[0] = strlen(name);
	argv[1] = code;
	argl[1] = len;
	if ((out = S_node(argv, argl, &outlen, &late)) != NULL)
		goto done;
	if (late) {
		*err = bb_xasprintf("Node.js gave no answer within the safety cap of %u ms "
			"(an overloaded machine?): not highlighted", bb_node_call_ms());
		return NULL;
	}
	if (!(st = bb_js_slot(js, BB_JS_SLOT_HIGHLIGHT))) {
		st = bb_xcalloc(1, sizeof *st);
		bb_js_set_slot(js, BB_JS_SLOT_HIGHLIGHT, st, S_state_free);
	}
	if (!st->ready) {
		if (bb_js_load(js, BB_JS_HLJS_PATH, err) < 0)
			return NULL;
		if (bb_js_eval(js, "highlight.c", S_glue, err) < 0)
			return NULL;
		st->ready = 1;
	}
	out = bb_js_call(js, "__bb_hl", 2, argv, argl, &outlen, err);
	if (!out)
		return NULL;
done:
	if (outlen == 1 && out[0] == '\0') {
		free(out);
		return NULL;
	}
	if (!S_wellformed(out, outlen)) {
		free(out);
		*err = bb_xstrdup("highlight.js gave markup that is not well-formed");
		return NULL;
	}
	return out;
}

char *
bb_highlight(bb_js *js, const char *lang, const char *code, size_t len, char **err)
{
	return S_highlight(js, lang, code, len, 1, err);
}

char *
bb_highlight_js(bb_js *js, const char *lang, const char *code, size_t len, char **err)
{
	return S_highlight(js, lang, code, len, 0, err);
}

/* Appends the start of line number ln (width digits). */
static void
S_line_start(bb_buf *b, unsigned ln, int width)
{
	bb_buf_printf(b, "<span class=\"hl-line\"><span class=\"hl-ln\">%*u</span>", width, ln);
}

char *
bb_highlight_lines(const char *html, size_t len, unsigned first)
{
	bb_buf b = BB_BUF_INIT;
	size_t open[S_DEPTH][2];  /* offset and length of each open tag */
	int depth = 0, width, d;
	size_t i, nlines = 1;
	unsigned ln = first, last;

	for (i = 0; i < len; i++)
		if (html[i] == '\n' && i + 1 < len)
			nlines++;
	if (len == 0)
		nlines = 0;
	last = first + (unsigned)nlines - 1;
	for (width = 1; last >= 10; last /= 10)
		width++;
	if (len)
		S_line_start(&b, ln, width);
	for (i = 0; i < len; i++) {
		char c = html[i];
		if (c == '<') {
			const char *e = memchr(html + i, '>', len - i);
			size_t tl = e ? (size_t)(e - (html + i)) + 1 : len - i;
			if (i + 1 < len && html[i + 1] == '/') {
				if (depth > 0)
					depth--;
			} else if (tl >= 2 && html[i + tl - 2] != '/') {
				if (depth == S_DEPTH) {
					bb_buf_free(&b);
					return NULL;
				}
				open[depth][0] = i;
				open[depth][1] = tl;
				depth++;
			}
			bb_buf_put(&b, html + i, tl);
			i += tl - 1;
		} else if (c == '\n') {
			for (d = 0; d < depth; d++)
				bb_buf_puts(&b, "</span>");
			bb_buf_puts(&b, "</span>\n");
			if (i + 1 < len) {
				S_line_start(&b, ++ln, width);
				for (d = 0; d < depth; d++)
					bb_buf_put(&b, html + open[d][0], open[d][1]);
			}
		} else {
			bb_buf_putc(&b, c);
		}
	}
	if (len && html[len - 1] != '\n') {
		for (d = 0; d < depth; d++)
			bb_buf_puts(&b, "</span>");
		bb_buf_puts(&b, "</span>\n");
	}
	if (!b.data)
		return bb_xstrdup("");
	return bb_buf_detach(&b, NULL);
}
