/* highlight.c: code blocks to XHTML token spans with highlight.js 9.18 run in the bb_js engine. */
#include "highlight.h"
#include "hljs_map.h"
#include "hlnative.h"
#include "jsnode.h"
#include "util.h"

#include <libxml/parser.h>
#include <pthread.h>
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

/* In Node, highlight.js registers only the languages asked for (issue 13's
 * speed: running all 185 definitions was most of its loading). Sent before
 * the script when it is the file hljs_map.h was made from: registerLanguage
 * keeps each definition in __bb_hlq instead of running it. */
static const char S_node_pre[] =
	"var __bb_hlq=null;\n"
	"if (typeof hljs === 'undefined') {\n"
	"  __bb_hlq = [];\n"
	"  Object.defineProperty(globalThis, 'hljs', { configurable: true, set: function (v) {\n"
	"    Object.defineProperty(globalThis, 'hljs', { value: v, writable: true, configurable: true, enumerable: true });\n"
	"    __bb_hlq.reg = v.registerLanguage;\n"
	"    v.registerLanguage = function (n, f) { __bb_hlq.push([n, f]); };\n"
	"  } });\n"
	"}\n";

/* The glue after it: a name highlight.js does not know is known from the
 * map (__bb_hlm) without running anything; a language is registered with
 * those it needs, in the file's order, as highlight.js would have done them;
 * one needing all (a subLanguage list that is empty) is done by a second
 * copy of highlight.js loaded whole (__bb_load, jsnode.c). Definitions kept
 * in another order than the map's are all registered at once, as before. */
static const char S_node_glue[] =
	"var __bb_hlz = (function () {\n"
	"  var q = __bb_hlq, m = __bb_hlm, i;\n"
	"  if (!q) return null;\n"
	"  hljs.registerLanguage = q.reg;\n"
	"  for (i = 0; i < q.length && q.length === m.o.length && q[i][0] === m.o[i]; i++)\n"
	"    ;\n"
	"  if (i === m.o.length && q.length === i) return { done: [], full: null };\n"
	"  for (i = 0; i < q.length; i++) q.reg(q[i][0], q[i][1]);\n"
	"  return null;\n"
	"})();\n"
	"function __bb_hlneed(z, i) {\n"
	"  var m = __bb_hlm, want = [], st = [i], k, j, d;\n"
	"  while (st.length) {\n"
	"    k = st.pop();\n"
	"    if (z.done[k] || want.indexOf(k) >= 0) continue;\n"
	"    want.push(k);\n"
	"    d = m.d[k] || [];\n"
	"    for (j = 0; j < d.length; j++) st.push(d[j]);\n"
	"  }\n"
	"  want.sort(function (a, b) { return a - b; });\n"
	"  for (j = 0; j < want.length; j++) {\n"
	"    __bb_hlq.reg(m.o[want[j]], __bb_hlq[want[j]][1]);\n"
	"    z.done[want[j]] = 1;\n"
	"  }\n"
	"}\n"
	"function __bb_hl(lang, code) {\n"
	"  var z = __bb_hlz, m = __bb_hlm, h = hljs, i;\n"
	"  if (z) {\n"
	"    lang = (lang || '').toLowerCase();\n"
	"    if (!Object.prototype.hasOwnProperty.call(m.k, lang)) return '\\u0000';\n"
	"    i = m.k[lang];\n"
	"    if (m.a.indexOf(i) < 0) {\n"
	"      __bb_hlneed(z, i);\n"
	"      return h.highlight(m.o[i], code, true).value;\n"
	"    }\n"
	"    if (!z.full) {\n"
	"      delete globalThis.hljs;\n"
	"      __bb_load('" BB_JS_HLJS_PATH "');\n"
	"      z.full = hljs;\n"
	"      globalThis.hljs = h;\n"
	"    }\n"
	"    h = z.full;\n"
	"  }\n"
	"  if (!h.getLanguage(lang)) return '\\u0000';\n"
	"  return h.highlight(lang, code, true).value;\n"
	"}\n";

static pthread_once_t S_lazy_once = PTHREAD_ONCE_INIT;
static char *S_lazy_pre;   /* "var __bb_hlm=MAP;" and S_node_pre, or NULL */

/* Sets S_lazy_pre when the installed highlight.js is the file of
 * hljs_map.h (length and FNV-1a hash) and BB_HLJS_LAZY is not "0". */
static void
S_lazy_check(void)
{
	const char *env = getenv("BB_HLJS_LAZY");
	char *data = NULL;
	size_t len = 0, i;
	bb_buf b = BB_BUF_INIT;

	if (env && strcmp(env, "0") == 0)
		return;
	if (bb_read_file(BB_JS_HLJS_PATH, (size_t)8 << 20, &data, &len) == 0 && data
		&& len == BB_HLJS_MAP_LEN && bb_fnv1a(BB_FNV_SEED, data, len) == BB_HLJS_MAP_FNV) {
		bb_buf_puts(&b, "var __bb_hlm=");
		for (i = 0; S_hljs_map[i]; i++)
			bb_buf_puts(&b, S_hljs_map[i]);
		bb_buf_puts(&b, ";\n");
		bb_buf_puts(&b, S_node_pre);
		S_lazy_pre = bb_buf_detach(&b, NULL);
	}
	free(data);
}

/* 1 when the installed highlight.js is the file of hljs_map.h and
 * lower-case ASCII name is none of its names and aliases (the map's "k"):
 * the glue would answer "unknown", so the block is plain text without
 * asking Node or Duktape (issue 13). 0 when unsure. */
static int
S_map_unknown(const char *name)
{
	const char *k, *e;
	char key[72];
	size_t n = strlen(name), i;

	pthread_once(&S_lazy_once, S_lazy_check);
	if (!S_lazy_pre || !(k = strstr(S_lazy_pre, "\"k\":{")) || !(e = strchr(k, '}')))
		return 0;
	/* JavaScript's toLowerCase makes ASCII of no other character than
	 * the Kelvin sign (K, U+212A): another one keeps the name off the
	 * map's ASCII keys (kaityo256's "```\u3000" started Node for nothing) */
	if (strstr(name, "\xe2\x84\xaa"))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] >= 0x80)
			return 1;
	for (i = 0; i < n; i++)
		if (name[i] == '"' || name[i] == '\\')
			return 0;
	snprintf(key, sizeof key, "\"%s\":", name);
	k = strstr(k, key);
	return k == NULL || k > e;
}

/* Loads highlight.js and its glue into Node (bb_node_require), or only
 * sends them when ahead is set (bb_node_prewarm). */
static int
S_node_load(int ahead)
{
	pthread_once(&S_lazy_once, S_lazy_check);
	if (!S_lazy_pre) {
		if (ahead)
			bb_node_prewarm(BB_JS_HLJS_PATH, "highlight.c", S_glue);
		return ahead ? 0 : bb_node_require(BB_JS_HLJS_PATH, "highlight.c", S_glue);
	}
	if (ahead) {
		bb_node_prewarm(NULL, "highlight.c:map", S_lazy_pre);
		bb_node_prewarm(BB_JS_HLJS_PATH, "highlight.c", S_node_glue);
		return 0;
	}
	if (bb_node_require(NULL, "highlight.c:map", S_lazy_pre) < 0)
		return -1;
	return bb_node_require(BB_JS_HLJS_PATH, "highlight.c", S_node_glue);
}

/* A code block asked of highlight.js ahead (bb_highlight_prefetch): its
 * language as S_name gave it, its code, and the Node engine's answer (rc
 * as bb_node_batch's; -1 also when it was not sent). */
typedef struct S_pf {
	char name[64];
	char *code;
	size_t len, outlen;
	int rc;
	char *out;
} S_pf;

typedef struct S_state {
	int ready;      /* highlight.js and the glue are loaded in Duktape */
	S_pf *pf;       /* the blocks of the last prefetch */
	size_t npf;
} S_state;

/* Forgets the blocks asked ahead. */
static void
S_pf_clear(S_state *st)
{
	size_t i;

	for (i = 0; i < st->npf; i++) {
		free(st->pf[i].code);
		free(st->pf[i].out);
	}
	free(st->pf);
	st->pf = NULL;
	st->npf = 0;
}

/* Frees the module's slot data. */
static void
S_state_free(void *p)
{
	if (p)
		S_pf_clear(p);
	free(p);
}

/* Returns js's slot data, made on first use. */
static S_state *
S_state_get(bb_js *js)
{
	S_state *st = bb_js_slot(js, BB_JS_SLOT_HIGHLIGHT);

	if (!st) {
		st = bb_xcalloc(1, sizeof *st);
		bb_js_set_slot(js, BB_JS_SLOT_HIGHLIGHT, st, S_state_free);
	}
	return st;
}

/* The block (name, code) asked ahead, or NULL. */
static S_pf *
S_pf_find(S_state *st, const char *name, const char *code, size_t len)
{
	size_t i;

	for (i = 0; i < st->npf; i++)
		if (st->pf[i].len == len && strcmp(st->pf[i].name, name) == 0 && memcmp(st->pf[i].code, code, len) == 0)
			return &st->pf[i];
	return NULL;
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
S_node(bb_js *js, const char *const *argv, const size_t *argl, size_t *outlen, int *late)
{
	unsigned long us = 0;
	char *out = NULL;
	S_pf *pf = S_pf_find(S_state_get(js), argv[0], argv[1], argl[1]);
	int rc;

	*late = 0;
	/* asked ahead: the same answer the call below would give */
	if (pf && (pf->rc == 0 || pf->rc == -2)) {
		*late = pf->rc == -2;
		*outlen = pf->outlen;
		if (pf->rc != 0)
			return NULL;
		return bb_xstrndup(pf->out, pf->outlen);
	}
	if (pf && pf->rc == 1)
		return NULL;
	if (!bb_node_fits(argv[1], argl[1])
		|| S_node_load(0) < 0)
		return NULL;
	if ((rc = bb_node_call("__bb_hl", 2, argv, argl, &out, outlen, &us)) == 0)
		return out;
	*late = rc == -2;
	free(out);
	return NULL;
}

enum { S_NONE, S_PLAIN, S_NATIVE, S_JS };

/* How a block in language lang is highlighted: S_NATIVE (the native
 * tokenizer knows name, when native is set), S_JS (highlight.js, under
 * name), S_PLAIN (not at all: a name for plain text) or S_NONE (no
 * language: no name, or one too long). name gets the language in lower case:
 * Qiita's "cpp:main.cpp" names it before the colon, a bare file name
 * "main.cpp" by its extension; then highlight.js's name for an alias. */
static int
S_name(const char *lang, int native, char name[64])
{
	size_t i, n;

	if (!lang)
		return S_NONE;
	n = strcspn(lang, ":");
	if (n == strlen(lang) && strrchr(lang, '.') && strrchr(lang, '.')[1]) {
		lang = strrchr(lang, '.') + 1;
		n = strlen(lang);
	}
	if (n == 0 || n >= 64)
		return S_NONE;
	for (i = 0; i < n; i++)
		name[i] = (char)(lang[i] >= 'A' && lang[i] <= 'Z' ? lang[i] + 32 : lang[i]);
	name[n] = '\0';
	if (native && bb_hl_native_knows(name))
		return S_NATIVE;
	for (i = 0; i < sizeof S_alias / sizeof S_alias[0]; i++) {
		if (strcmp(name, S_alias[i].from) == 0) {
			if (!S_alias[i].to)
				return S_PLAIN;
			strcpy(name, S_alias[i].to);
			break;
		}
	}
	return S_map_unknown(name) ? S_PLAIN : S_JS;
}

/* Highlights with highlight.js, or with the native tokenizer first when
 * native is set. */
static char *
S_highlight(bb_js *js, const char *lang, const char *code, size_t len, int native, char **err)
{
	S_state *st;
	char name[64];
	const char *argv[2];
	size_t argl[2], outlen;
	char *out;
	int late = 0, how;

	*err = NULL;
	if ((how = S_name(lang, native, name)) == S_NONE)
		return NULL;
	if (len > BB_HIGHLIGHT_MAX) {
		*err = bb_xasprintf("code block of %zu bytes is longer than the %zu highlighted",
			len, BB_HIGHLIGHT_MAX);
		return NULL;
	}
	if (!S_utf8(code, len)) {
		*err = bb_xstrdup("code block is not UTF-8 text: not highlighted");
		return NULL;
	}
	if (how == S_NATIVE)
		return bb_hl_native(name, code, len);
	if (how == S_PLAIN || !js)
		return NULL;
	argv[0] = name;
	argl[0] = strlen(name);
	argv[1] = code;
	argl[1] = len;
	if ((out = S_node(js, argv, argl, &outlen, &late)) != NULL)
		goto done;
	if (late) {
		*err = bb_xasprintf("Node.js gave no answer within the safety cap of %u ms "
			"(an overloaded machine?): not highlighted", bb_node_call_ms());
		return NULL;
	}
	st = S_state_get(js);
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

/* Has Node register and compile language name ahead (bb_highlight_prewarm):
 * a highlighting of nothing, its answer dropped; a name with other bytes
 * than [a-z0-9+#._-] is left for its first block. */
static void
S_warm(const char *name)
{
	char glue[96], key[72];

	if (!*name || name[strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789+#._-")] != '\0')
		return;
	snprintf(key, sizeof key, "hl:%s", name);
	snprintf(glue, sizeof glue, "__bb_hl('%s', '');", name);
	bb_node_prewarm(NULL, key, glue);
}

/* 1 when the language named at s (up to n bytes, ending at a space, a
 * brace, a percent sign or a backtick) goes to highlight.js; then warmed
 * (S_warm) when warm is set. */
static int
S_sniff_lang(const char *s, size_t n, int warm)
{
	char lang[64], name[64];
	size_t i;

	for (i = 0; i < n && s[i] == ' '; i++)
		;
	s += i;
	n -= i;
	for (i = 0; i < n && i + 1 < sizeof lang && s[i] != ' ' && s[i] != '{' && s[i] != '\r' && s[i] != '%'
		&& s[i] != '`' && s[i] != '\n'; i++)
		lang[i] = s[i];
	lang[i] = '\0';
	if (S_name(lang, 1, name) != S_JS)
		return 0;
	if (warm)
		S_warm(name);
	return 1;
}

/* bb_highlight_sniff; with warm set, every language is warmed, not only
 * the first found. */
static int
S_sniff(const char *text, size_t len, int warm)
{
	const char *end = text + len, *p, *nl;
	size_t i;
	int found = 0;

	/* fences: ``` or ~~~ after at most three spaces at a line's start */
	for (p = text; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		for (i = 0; i < 3 && p + i < nl && p[i] == ' '; i++)
			;
		if (p + i + 3 <= nl && (p[i] == '`' || p[i] == '~') && p[i + 1] == p[i] && p[i + 2] == p[i]) {
			const char *q = p + i;
			while (q < nl && *q == p[i])
				q++;
			if (S_sniff_lang(q, (size_t)(nl - q), warm) && (found = 1) && !warm)
				return 1;
		}
	}
	/* Liquid's {% highlight lang %} */
	for (p = text; p < end && (p = memchr(p, '{', (size_t)(end - p))); p++)
		if (end - p > 13 && memcmp(p, "{% highlight ", 13) == 0
			&& S_sniff_lang(p + 13, (size_t)(end - p - 13), warm) && (found = 1) && !warm)
			return 1;
	return found;
}

int
bb_highlight_sniff(const char *text, size_t len)
{
	return S_sniff(text, len, 0);
}

void
bb_highlight_prewarm(const char *text, size_t len)
{
	S_node_load(1);
	S_sniff(text, len, 1);
}

int
bb_highlight_asked(bb_js *js, const char *lang, const char *code, size_t len)
{
	char name[64];

	return S_name(lang, 1, name) != S_JS || S_pf_find(S_state_get(js), name, code, len) != NULL;
}

/* Sends the blocks of st->pf that may go to Node in one batch and keeps
 * the answers. */
static void
S_pf_ask(S_state *st)
{
	const char **argv = bb_xcalloc(2 * st->npf + 1, sizeof *argv);
	size_t *argl = bb_xcalloc(2 * st->npf + 1, sizeof *argl), *outlen, i, k = 0;
	size_t *at = bb_xcalloc(st->npf + 1, sizeof *at);
	unsigned long *us;
	char **out;
	int *rc;

	for (i = 0; i < st->npf; i++) {
		S_pf *p = &st->pf[i];
		if (p->len > BB_HIGHLIGHT_MAX || !S_utf8(p->code, p->len) || !bb_node_fits(p->code, p->len))
			continue;
		argv[2 * k] = p->name;
		argl[2 * k] = strlen(p->name);
		argv[2 * k + 1] = p->code;
		argl[2 * k + 1] = p->len;
		at[k++] = i;
	}
	out = bb_xcalloc(k + 1, sizeof *out);
	outlen = bb_xcalloc(k + 1, sizeof *outlen);
	rc = bb_xcalloc(k + 1, sizeof *rc);
	us = bb_xcalloc(k + 1, sizeof *us);
	if (k && S_node_load(0) == 0) {
		/* what was answered before a failure is good */
		bb_node_batch("__bb_hl", k, 2, argv, argl, out, outlen, rc, us);
		for (i = 0; i < k; i++) {
			S_pf *p = &st->pf[at[i]];
			p->rc = rc[i];
			p->out = out[i];
			p->outlen = outlen[i];
		}
	}
	free(argv);
	free(argl);
	free(at);
	free(out);
	free(outlen);
	free(rc);
	free(us);
}

void
bb_highlight_prefetch(bb_js *js, size_t n, const char *const *lang, const char *const *code, const size_t *len)
{
	S_state *st = S_state_get(js);
	char name[64];
	size_t i;

	S_pf_clear(st);
	st->pf = bb_xcalloc(n + 1, sizeof *st->pf);
	for (i = 0; i < n; i++) {
		S_pf *p = &st->pf[st->npf];
		if (S_name(lang[i], 1, name) != S_JS || S_pf_find(st, name, code[i], len[i]))
			continue;
		strcpy(p->name, name);
		p->code = bb_xstrndup(code[i], len[i]);
		p->len = len[i];
		p->rc = -1;
		st->npf++;
	}
	S_pf_ask(st);
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
