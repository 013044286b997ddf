/* mathml.c: TeX to MathML with KaTeX's renderToString (output:'mathml'), checked as XML; the results kept by mathstore.c. */
#define _GNU_SOURCE
#include "mathml.h"
#include "jsnode.h"
#include "mathstore.h"
#include "util.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* KaTeX draws a command it will not run (trust:false) in errorColor
 * instead of throwing; this colour marks them so they become errors. */
#define S_ERROR_COLOR "#fe0bb1"
#define S_STR2(x) #x
#define S_STR(x) S_STR2(x)

static const char S_glue[] =
	"function __bb_katex(tex, display) {\n"
	"  return katex.renderToString(tex, { displayMode: display === '1',\n"
	"    output: 'mathml', throwOnError: true, trust: false, strict: 'ignore',\n"
	"    maxSize: 100, maxExpand: " S_STR(BB_MATH_MAX_EXPAND) ", errorColor: '" S_ERROR_COLOR "',\n"
	"    macros: { '\\\\displaylines': '\\\\begin{gathered}#1\\\\end{gathered}' } });\n"
	"}\n";

/* KaTeX's mhchem extension: the file every engine runs after KaTeX when
 * it can be read (looked at once per process), its path or NULL. */
static pthread_mutex_t S_mh_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *S_mh_want = BB_JS_MHCHEM_PATH;
static int S_mh_known, S_mh_there;

const char *
bb_math_mhchem(void)
{
	const char *p;

	pthread_mutex_lock(&S_mh_lock);
	if (!S_mh_known) {
		S_mh_there = *S_mh_want && access(S_mh_want, R_OK) == 0;
		S_mh_known = 1;
	}
	p = S_mh_there ? S_mh_want : NULL;
	pthread_mutex_unlock(&S_mh_lock);
	return p;
}

void
bb_math_set_mhchem(const char *path)
{
	pthread_mutex_lock(&S_mh_lock);
	S_mh_want = path ? path : BB_JS_MHCHEM_PATH;
	S_mh_known = 0;
	pthread_mutex_unlock(&S_mh_lock);
}

/* The path mhchem is looked for at (caller frees). */
static char *
S_mh_where(void)
{
	char *p;

	pthread_mutex_lock(&S_mh_lock);
	p = bb_xstrdup(S_mh_want);
	pthread_mutex_unlock(&S_mh_lock);
	return p;
}

/* What mathml.c keeps in an engine (its slot): the formulas converted
 * there, and the state of its loads and of the last prefetch. */
typedef struct S_cache {
	bb_mcache t;          /* (display, TeX) -> MathML, or KaTeX's error */
	unsigned long hits;
	int ready;            /* KaTeX and the glue are loaded */
	int mh_tried;         /* mhchem was loaded, or failed to */
	char *mh_err;         /* why mhchem did not load in this engine, or NULL */
	const void *pf_key;   /* what bb_math_prefetch was last given */
	size_t pf_n;
	bb_mcache *raw;       /* the Node engine's answers to the post's
	                       * formulas (bb_math_prefetch): mathml/err is
	                       * KaTeX's output/error, both NULL = ask again */
} S_cache;

/* Frees a cache (the slot's free function). */
static void
S_cache_free(void *p)
{
	S_cache *c = p;

	if (!c)
		return;
	bb_mcache_done(&c->t);
	if (c->raw)
		bb_mcache_done(c->raw);
	free(c->raw);
	free(c->mh_err);
	free(c);
}

/* Returns js's cache (KaTeX is loaded into js by S_duk_ready, when a
 * formula needs Duktape). */
static S_cache *
S_cache_get(bb_js *js)
{
	S_cache *c = bb_js_slot(js, BB_JS_SLOT_MATH);

	if (!c) {
		c = bb_xcalloc(1, sizeof *c);
		bb_mcache_init(&c->t);
		bb_js_set_slot(js, BB_JS_SLOT_MATH, c, S_cache_free);
	}
	return c;
}

/* 1 when len bytes of tex name a command of mhchem's (\ce, \pu,
 * \tripledash): the only formulas its loading changes, as it defines
 * nothing else and KaTeX has no \csname to spell one otherwise. */
static int
S_mh_wanted(const char *tex, size_t len)
{
	return memmem(tex, len, "\\ce", 3) || memmem(tex, len, "\\pu", 3) || memmem(tex, len, "\\tripledash", 11);
}

/* Loads KaTeX and the glue into js on first use, and mhchem (when there)
 * on the first formula of tex's kind (S_mh_wanted): a Duktape-only bind
 * without chemistry does not compile it (22 ms of CPU). 0, or -1 with
 * *err set. mhchem failing only leaves \ce and \pu undefined (c->mh_err
 * says why): KaTeX still converts the other formulas. */
static int
S_duk_ready(bb_js *js, const char *tex, size_t len, char **err)
{
	S_cache *c = S_cache_get(js);
	const char *mh;

	if (!c->ready) {
		if (bb_js_load(js, BB_JS_KATEX_PATH, err) < 0)
			return -1;
		if (bb_js_eval(js, "math.c", S_glue, err) < 0)
			return -1;
		c->ready = 1;
	}
	if (!c->mh_tried && S_mh_wanted(tex, len)) {
		c->mh_tried = 1;
		mh = bb_math_mhchem();
		if (mh && bb_js_load(js, mh, &c->mh_err) < 0 && !c->mh_err)
			c->mh_err = bb_xstrdup("cannot be run");
	}
	return 0;
}

/* Has the Node engine run KaTeX, then mhchem when it is there, then the
 * glue: 0, or -1 when it cannot (any of them failed: Duktape, which runs
 * the same files, answers instead). ahead: only send them
 * (bb_node_prewarm). */
static int
S_node_ready(int ahead)
{
	const char *mh = bb_math_mhchem();

	if (ahead) {
		bb_node_prewarm(BB_JS_KATEX_PATH, NULL, NULL);
		bb_node_prewarm(mh, "math.c", S_glue);
		return 0;
	}
	if (bb_node_require(BB_JS_KATEX_PATH, NULL, NULL) < 0)
		return -1;
	return bb_node_require(mh, "math.c", S_glue);
}

/* The error of a formula Node did not answer within its safety cap: it
 * starts with S_LATE and quotes the cap in force (bb_node_call_ms), which
 * a test may have set shorter than BB_NODE_CALL_MS. */
#define S_LATE "Node.js gave no answer within the safety cap of "

/* Returns the error for a formula past the cap (caller frees). */
static char *
S_late(void)
{
	return bb_xasprintf(S_LATE "%u ms (an overloaded machine?)", bb_node_call_ms());
}

/* 1 when err is S_late's error. */
static int
S_is_late(const char *err)
{
	return strncmp(err, S_LATE, sizeof S_LATE - 1) == 0;
}

/* 1 when err says a limit was hit (Duktape's time, memory or work limit,
 * Node's safety cap), not that KaTeX refused the formula. */
static int
S_is_limit(const char *err)
{
	return strcmp(err, "time limit exceeded") == 0 || strcmp(err, "memory limit exceeded") == 0
		|| strncmp(err, "work limit exceeded", 19) == 0 || S_is_late(err);
}

/* 1 when the Node engine's answer (rc, out of outlen bytes) is taken: a
 * result no bigger than BB_MATH_NODE_OUT, or KaTeX's own refusal (as
 * Duktape words it). Nothing here depends on time: what reaches KaTeX is
 * bounded by size, depth and maxExpand, so the same formula is always
 * taken or always left to Duktape. */
static int
S_node_taken(int rc, const char *out, size_t outlen)
{
	return (rc == 0 && outlen <= BB_MATH_NODE_OUT)
		|| (rc == 1 && strncmp(out, "ParseError: KaTeX parse error", 29) == 0);
}

/* KaTeX's answer for (tex, display): from the Node engine (V8, about 8
 * times Duktape's speed) when it is there and the formula is an easy one
 * for it, else from Duktape in js, whose deterministic work limit decides
 * the hard ones. Both run the same script with the same options and give
 * the same bytes (tests/unit/test_mathnode.c). Returns KaTeX's output or
 * NULL with *err set. */
static char *
S_katex(bb_js *js, const char *tex, size_t len, int display, char **err)
{
	const char *argv[2];
	size_t argl[2], outlen = 0;
	unsigned long us = 0;
	char *out = NULL;
	S_cache *c = S_cache_get(js);
	int rc;

	argv[0] = tex;
	argl[0] = len;
	argv[1] = display ? "1" : "0";
	argl[1] = 1;
	if (c->raw) {
		bb_mcache_entry *e = bb_mcache_find(c->raw, bb_fnv1a(BB_FNV_SEED, tex, len), tex, len, display != 0);
		if (e->tex && (e->mathml || e->err)) {
			if (e->mathml)
				return bb_xstrdup(e->mathml);
			*err = bb_xstrdup(e->err);
			return NULL;
		}
	}
	if (bb_node_fits(tex, len) && S_node_ready(0) == 0) {
		rc = bb_node_call("__bb_katex", 2, argv, argl, &out, &outlen, &us);
		if (rc == -2) {
			/* the safety net: no other engine is asked, the TeX stays */
			*err = S_late();
			return NULL;
		}
		if (S_node_taken(rc, out, outlen)) {
			if (rc == 0)
				return out;
			*err = out;
			return NULL;
		}
		free(out);
	}
	if (S_duk_ready(js, tex, len, err) < 0)
		return NULL;
	return bb_js_call(js, "__bb_katex", 2, argv, argl, NULL, err);
}

/* Returns 0 when the MathML subtree at n holds only MathML elements and
 * no attribute that links or runs anything, else -1. */
static int
S_check_tree(xmlNode *n, int depth)
{
	xmlAttr *a;

	if (depth > 512)
		return -1;
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!n->ns || strcmp((const char *)n->ns->href, "http://www.w3.org/1998/Math/MathML") != 0)
			return -1;
		for (a = n->properties; a; a = a->next) {
			const char *an = (const char *)a->name;
			if ((an[0] == 'o' && an[1] == 'n') || strcmp(an, "href") == 0
				|| strcmp(an, "src") == 0 || strcmp(an, "style") == 0)
				return -1;
		}
		if (S_check_tree(n->children, depth + 1) < 0)
			return -1;
	}
	return 0;
}

/* 1 for MathML's token elements, which hold text only. */
static int
S_token(const xmlChar *name)
{
	static const char *const tok[] = { "mi", "mo", "mn", "mtext", "ms", NULL };
	size_t i;
	for (i = 0; tok[i]; i++)
		if (xmlStrEqual(name, (const xmlChar *)tok[i]))
			return 1;
	return 0;
}

/* Makes KaTeX's MathML valid MathML 3, as EPUBCheck reads it: a token
 * element holding elements (\text{... $x$ ...}) becomes an mrow whose text
 * stands in mtext; empty spacing attributes go. */
static void
S_fix(xmlNodePtr n, int depth)
{
	xmlNodePtr c, next;
	static const char *const attrs[] = { "columnspacing", "rowspacing", "columnalign", "rowalign", NULL };
	size_t i;
	if (depth > 200)
		return;
	/* most elements have no attribute: xmlGetProp four times each cost
	 * more than parsing them */
	for (i = 0; n->properties && attrs[i]; i++) {
		xmlChar *v = xmlGetProp(n, (const xmlChar *)attrs[i]);
		if (v && !*v)
			xmlUnsetProp(n, (const xmlChar *)attrs[i]);
		xmlFree(v);
	}
	if (S_token(n->name)) {
		int elems = 0;
		for (c = n->children; c; c = c->next)
			elems |= c->type == XML_ELEMENT_NODE;
		if (elems) {
			xmlNodeSetName(n, (const xmlChar *)"mrow");
			for (c = n->children; c; c = next) {
				next = c->next;
				if (c->type == XML_TEXT_NODE) {
					xmlNodePtr t = xmlNewDocNode(n->doc, n->ns, (const xmlChar *)"mtext", NULL);
					xmlReplaceNode(c, t);
					xmlAddChild(t, c);
				}
			}
		}
	}
	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			S_fix(c, depth + 1);
}

/* Turns KaTeX's output (a <span class="katex"> around <math>) into the
 * bare <math> element, checked well-formed and inert, made valid (S_fix)
 * and written again by libxml2: the bytes the book gets. One parse does
 * all three. Returns a new string or NULL with *err set. */
static char *
S_finish(const char *out, char **err)
{
	const char *b = strstr(out, "<math"), *e;
	const char *bad;
	xmlDoc *d;
	char *m;
	int ok;

	if (!b || !(e = strstr(b, "</math>"))) {
		*err = bb_xstrdup("KaTeX gave no <math> element");
		return NULL;
	}
	if ((bad = strstr(b, "mathcolor=\"" S_ERROR_COLOR "\"")) != NULL) {
		/* the command KaTeX would not run is the first <mtext> after it */
		const char *t = strstr(bad, "<mtext>");
		const char *te = t ? strstr(t, "</mtext>") : NULL;
		if (t && te && te - t < 80)
			*err = bb_xasprintf("KaTeX: %.*s is not allowed in a book (trust:false)",
				(int)(te - t - 7), t + 7);
		else
			*err = bb_xstrdup("KaTeX: a command is not allowed in a book (trust:false)");
		return NULL;
	}
	d = xmlReadMemory(b, (int)(e + 7 - b), NULL, "UTF-8",
		XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	ok = d && S_check_tree(xmlDocGetRootElement(d), 0) == 0;
	m = NULL;
	if (ok) {
		xmlBufferPtr buf = xmlBufferCreate();
		S_fix(xmlDocGetRootElement(d), 0);
		if (xmlNodeDump(buf, d, xmlDocGetRootElement(d), 0, 0) > 0)
			m = bb_xstrdup((const char *)xmlBufferContent(buf));
		xmlBufferFree(buf);
	}
	xmlFreeDoc(d);
	if (!m) {
		*err = bb_xstrdup("KaTeX's MathML is not well-formed or not inert");
		return NULL;
	}
	return m;
}

int
bb_math_toplevel_break(const char *tex, size_t len)
{
	int d = 0;
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (tex[i] == '\\') {
			const char *p = tex + i + 1;
			size_t n = len - i - 1;
			if (p[0] == '\\' && d == 0)
				return 1;
			if (n >= 5 && memcmp(p, "begin", 5) == 0)
				d++;
			else if (n >= 3 && memcmp(p, "end", 3) == 0)
				d--;
			i++;
		} else if (tex[i] == '{') {
			d++;
		} else if (tex[i] == '}') {
			d--;
		}
	}
	return 0;
}

int
bb_math_gathered(bb_buf *w, const char *tex, size_t len, int display)
{
	if (!display || !bb_math_toplevel_break(tex, len))
		return 0;
	w->len = 0;
	bb_buf_puts(w, "\\begin{gathered}");
	bb_buf_put(w, tex, len);
	bb_buf_puts(w, "\\end{gathered}");
	return 1;
}

/* The length of the spacing command at tex (len bytes, tex[0] == '\\'):
 * \! \, \: \; \> or a control word among KaTeX's spaces; 0 for any other. */
static size_t
S_space_cmd(const char *tex, size_t len)
{
	static const char *const words[] = { "quad", "qquad", "enspace", "thinspace", "medspace",
		"thickspace", "negthinspace", "negmedspace", "negthickspace", "nobreakspace", "space" };
	size_t n = 1, k;

	if (len < 2)
		return 0;
	if (tex[1] && strchr("!,:;>", tex[1]))   /* strchr finds the NUL too */
		return 2;
	while (n < len && ((tex[n] >= 'a' && tex[n] <= 'z') || (tex[n] >= 'A' && tex[n] <= 'Z')))
		n++;
	for (k = 0; k < sizeof words / sizeof *words; k++)
		if (n - 1 == strlen(words[k]) && memcmp(tex + 1, words[k], n - 1) == 0)
			return n;
	return 0;
}

int
bb_math_empty_base(bb_buf *w, const char *tex, size_t len)
{
	size_t i = 0, from = 0, n, j;
	int any = 0;

	w->len = 0;
	while (i < len) {
		if (tex[i] != '\\') {
			i++;
			continue;
		}
		n = S_space_cmd(tex + i, len - i);
		if (!n) {
			i += i + 1 < len ? 2 : 1;   /* a control symbol or word's first letter */
			continue;
		}
		i += n;
		for (j = i; j < len && (tex[j] == ' ' || tex[j] == '\t' || tex[j] == '\n'); j++)
			;
		if (j < len && (tex[j] == '^' || tex[j] == '_')) {
			bb_buf_put(w, tex + from, i - from);
			bb_buf_puts(w, "{}");
			from = i;
			any = 1;
		}
	}
	if (any)
		bb_buf_put(w, tex + from, len - from);
	else
		w->len = 0;
	return any;
}

/* Runs KaTeX on len bytes of tex; returns the checked <math> or NULL with
 * *err set. When annot is not NULL, the annotation gets annot (alen
 * bytes) instead of tex. */
static char *
S_render(bb_js *js, const char *tex, size_t len, int display, const char *annot, size_t alen,
	char **err)
{
	char *out, *res;

	out = S_katex(js, tex, len, display, err);
	if (!out)
		return NULL;
	res = S_finish(out, err);
	free(out);
	if (res && annot) {
		static const char tag[] = "<annotation encoding=\"application/x-tex\">";
		char *a = strstr(res, tag), *e = a ? strstr(a, "</annotation>") : NULL;
		if (a && e) {
			bb_buf b = BB_BUF_INIT;
			bb_buf_put(&b, res, (size_t)(a - res) + sizeof tag - 1);
			bb_buf_put_xml_text(&b, annot, alen);
			bb_buf_puts(&b, e);
			free(res);
			res = bb_buf_detach(&b, NULL);
		}
	}
	return res;
}

/* err, KaTeX's refusal of a formula, with why mhchem was not there when
 * the refusal is \ce, \pu or \tripledash undefined (KaTeX words it "Undefined
 * control sequence: \ce at position ..."); c is the engine's cache.
 * Returns err or a new string (err freed). */
static char *
S_mh_hint(const S_cache *c, char *err)
{
	char *t, *where;

	if (!strstr(err, "Undefined control sequence: \\ce at ") && !strstr(err, "Undefined control sequence: \\pu at ")
		&& !strstr(err, "Undefined control sequence: \\tripledash at "))
		return err;
	if (!bb_math_mhchem()) {
		where = S_mh_where();
		t = bb_xasprintf("%s (KaTeX's mhchem extension, %s, is not installed)", err, where);
		free(where);
	} else if (c->mh_err) {
		t = bb_xasprintf("%s (KaTeX's mhchem extension did not load: %s)", err, c->mh_err);
	} else {
		return err;
	}
	free(err);
	return t;
}

/* Returns the deepest nesting of {...}, \left...\right and
 * \begin...\end groups in tex (escaped braces not counted). */
static int
S_depth(const char *tex, size_t len)
{
	int d = 0, max = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (tex[i] == '\\' && i + 1 < len) {
			const char *p = tex + i + 1;
			size_t n = 0;
			while (i + 1 + n < len && ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z')))
				n++;
			/* whole names only: \leftarrow is not \left */
			if ((n == 4 && memcmp(p, "left", 4) == 0) || (n == 5 && memcmp(p, "begin", 5) == 0))
				d++;
			else if ((n == 5 && memcmp(p, "right", 5) == 0) || (n == 3 && memcmp(p, "end", 3) == 0))
				d--;
			i += n ? n : 1;
		} else if (tex[i] == '{') {
			d++;
		} else if (tex[i] == '}') {
			d--;
		}
		if (d > max)
			max = d;
	}
	return max;
}

/* ---- the store kept across runs (mathstore.c) ---- */

/* Hashes into h the size and time of the file at path, or that there
 * is none. */
static unsigned long long
S_tag_file(unsigned long long h, const char *path)
{
	struct stat st;
	long long v[2] = { -1, -1 };

	if (path && stat(path, &st) == 0) {
		v[0] = (long long)st.st_size;
		v[1] = (long long)st.st_mtime;
	}
	return bb_fnv1a(h, v, sizeof v);
}

unsigned long long
bb_math_tag(void)
{
	unsigned long long h = bb_fnv1a(BB_FNV_SEED, S_glue, sizeof S_glue);

	h = S_tag_file(h, BB_JS_KATEX_PATH);
	return S_tag_file(h, bb_math_mhchem());
}

long
bb_math_store_open(const char *path, char **err)
{
	bb_mstore_conv conv;

	conv.tag = bb_math_tag();
	conv.tex_max = BB_MATH_TEX_MAX;
	conv.check = S_finish;   /* as KaTeX's own output is checked */
	return bb_mstore_open(path, &conv, err);
}

int
bb_math_store_close(char **err)
{
	/* the run's formulas are done: the Node engine ends with the store */
	bb_node_stop();
	return bb_mstore_close(err);
}

/* Puts the first KaTeX request bb_math_mathml will make for formula
 * (tex, display) in *t, *l (w holds a rewritten one); 0, or -1 when it
 * makes none (refused before KaTeX, or already converted). */
static int
S_first_request(S_cache *c, const char *tex, size_t len, int display, bb_buf *w,
	const char **t, size_t *l)
{
	unsigned long long h = bb_fnv1a(BB_FNV_SEED, tex, len);

	if (len > BB_MATH_TEX_MAX || S_depth(tex, len) > BB_MATH_DEPTH_MAX
		|| bb_mcache_find(&c->t, h, tex, len, display)->tex || bb_mstore_has(h, tex, len, display))
		return -1;
	*t = tex;
	*l = len;
	if (bb_math_gathered(w, tex, len, display)) {
		*t = w->data;
		*l = w->len;
	}
	return 0;
}

/* Keeps the taken answers of a batch in c->raw. */
static void
S_keep_raw(S_cache *c, size_t k, const char **argv, const size_t *argl, char **out,
	const size_t *outlen, const int *rc, const unsigned long *us)
{
	size_t i;

	for (i = 0; i < k; i++) {
		if (rc[i] == -2) {
			bb_mcache_entry *e = bb_mcache_find(c->raw, bb_fnv1a(BB_FNV_SEED, argv[2 * i], argl[2 * i]),
				argv[2 * i], argl[2 * i], argv[2 * i + 1][0] == '1');
			if (e->tex)
				e->err = S_late();
		} else if (rc[i] >= 0 && S_node_taken(rc[i], out[i], outlen[i])) {
			bb_mcache_entry *e = bb_mcache_find(c->raw, bb_fnv1a(BB_FNV_SEED, argv[2 * i], argl[2 * i]),
				argv[2 * i], argl[2 * i], argv[2 * i + 1][0] == '1');
			if (e->tex && rc[i] == 0)
				e->mathml = out[i];
			else if (e->tex)
				e->err = out[i];
			if (e->tex)
				out[i] = NULL;
		}
		free(out[i]);
	}
}

void
bb_math_prewarm(void)
{
	S_node_ready(1);
}

int
bb_math_prefetch_wanted(bb_js *js, const void *key, size_t n)
{
	S_cache *c = S_cache_get(js);

	return n > 0 && !(c->pf_key == key && c->pf_n == n);
}

void
bb_math_prefetch(bb_js *js, const void *key, size_t n, const char *const *tex, const size_t *len,
	const int *display)
{
	S_cache *c = S_cache_get(js);
	const char **argv, *t;
	size_t *argl, *outlen, i, k = 0, l;
	bb_buf *w;
	char **out;
	int *rc;
	unsigned long *us;

	if (!bb_math_prefetch_wanted(js, key, n))
		return;
	c->pf_key = key;
	c->pf_n = n;
	if (!c->raw) {
		c->raw = bb_xcalloc(1, sizeof *c->raw);
		bb_mcache_init(c->raw);
	}
	bb_mcache_clear(c->raw);
	argv = bb_xcalloc(2 * n, sizeof *argv);
	argl = bb_xcalloc(2 * n, sizeof *argl);
	w = bb_xcalloc(n, sizeof *w);
	for (i = 0; i < n; i++) {
		int d = display[i] != 0;
		if (!tex[i] || S_first_request(c, tex[i], len[i], d, &w[k], &t, &l) < 0 || !bb_node_fits(t, l)
			|| bb_mcache_find(c->raw, bb_fnv1a(BB_FNV_SEED, t, l), t, l, d)->tex)
			continue;
		bb_mcache_put(c->raw, bb_fnv1a(BB_FNV_SEED, t, l), t, l, d, NULL, NULL);
		argv[2 * k] = t;
		argl[2 * k] = l;
		argv[2 * k + 1] = d ? "1" : "0";
		argl[2 * k + 1] = 1;
		k++;
	}
	out = bb_xcalloc(k + 1, sizeof *out);
	outlen = bb_xcalloc(k + 1, sizeof *outlen);
	rc = bb_xcalloc(k + 1, sizeof *rc);
	us = bb_xcalloc(k + 1, sizeof *us);
	/* Node is started only for a formula the C path left to KaTeX */
	if (k && S_node_ready(0) == 0) {
		/* what was answered before a failure is good */
		bb_node_batch("__bb_katex", k, 2, argv, argl, out, outlen, rc, us);
		S_keep_raw(c, k, argv, argl, out, outlen, rc, us);
	}
	for (i = 0; i < n; i++)
		bb_buf_free(&w[i]);
	free(w);
	free(argv);
	free(argl);
	free(out);
	free(outlen);
	free(rc);
	free(us);
}

char *
bb_math_mathml(bb_js *js, const char *tex, size_t len, int display, char **err)
{
	S_cache *c;
	bb_mcache_entry *e;
	unsigned long long h;
	char *res = NULL, *e2 = NULL;
	bb_buf w = BB_BUF_INIT;
	int shown = display;   /* the mode KaTeX was last asked for */

	if (len > BB_MATH_TEX_MAX) {
		*err = bb_xasprintf("formula of %zu bytes is longer than the %zu allowed",
			len, BB_MATH_TEX_MAX);
		return NULL;
	}
	if (S_depth(tex, len) > BB_MATH_DEPTH_MAX) {
		*err = bb_xasprintf("formula nested deeper than %d groups", BB_MATH_DEPTH_MAX);
		return NULL;
	}
	c = S_cache_get(js);
	display = display != 0;
	h = bb_fnv1a(BB_FNV_SEED, tex, len);
	e = bb_mcache_find(&c->t, h, tex, len, display);
	if (e->tex) {
		c->hits++;
		if (e->mathml)
			return bb_xstrdup(e->mathml);
		*err = bb_xstrdup(e->err);
		return NULL;
	}
	res = bb_mstore_get(h, tex, len, display);
	if (res) {
		c->hits++;
		if (c->t.n >= BB_MATH_CACHE_MAX)
			bb_mcache_clear(&c->t);
		bb_mcache_put(&c->t, h, tex, len, display, res, NULL);
		return res;
	}
	if (bb_math_gathered(&w, tex, len, display)) {
		/* "a \\ b" outside any environment: MathJax breaks the line,
		 * KaTeX writes <mspace linebreak="newline"/> that browsers and
		 * readers ignore; rows of a gathered environment show the breaks.
		 * The annotation keeps the TeX as written. */
		res = S_render(js, w.data, w.len, 1, tex, len, &e2);
		bb_buf_free(&w);
		if (e2 && !S_is_late(e2)) {
			free(e2);
			e2 = NULL;
		}
	}
	if (!res && !e2)
		res = S_render(js, tex, len, display, NULL, 0, &e2);
	if (!res && !display && e2 && strstr(e2, "can be used only in display mode")) {
		/* $$\begin{align}..$$ inside a paragraph: MathJax shows it */
		free(e2);
		e2 = NULL;
		shown = 1;
		res = S_render(js, tex, len, 1, NULL, 0, &e2);
	}
	if (!res && e2 && strstr(e2, "Got group of unknown type: 'internal'")
		&& bb_math_empty_base(&w, tex, len)) {
		/* a^{b} after \! or \quad: MathJax gives the script an empty
		 * base, KaTeX's MathML fails; tried in the mode of the last try,
		 * a top-level \\ as gathered rows, the annotation the TeX */
		bb_buf g = BB_BUF_INIT;
		char *e3 = NULL;
		if (bb_math_gathered(&g, w.data, w.len, shown))
			res = S_render(js, g.data, g.len, 1, tex, len, &e3);
		else
			res = S_render(js, w.data, w.len, shown, tex, len, &e3);
		bb_buf_free(&g);
		bb_buf_free(&w);
		/* a limit hit by the retry is what the warning says (and, but
		 * for the work limit, not cached) */
		if (res || (e3 && S_is_limit(e3))) {
			free(e2);
			e2 = e3;
		} else {
			free(e3);
		}
	}
	if (!res && !e2)
		e2 = bb_xstrdup("KaTeX failed");
	if (!res)
		e2 = S_mh_hint(c, e2);
	/* a limit hit says nothing lasting about the formula: not cached */
	if (res || (strcmp(e2, "time limit exceeded") != 0 && strcmp(e2, "memory limit exceeded") != 0
		&& !S_is_late(e2))) {
		if (c->t.n >= BB_MATH_CACHE_MAX)
			bb_mcache_clear(&c->t);
		bb_mcache_put(&c->t, h, tex, len, display, res, e2);
	}
	if (res)
		bb_mstore_add(h, tex, len, display, res);
	if (!res)
		*err = e2;
	return res;
}

void
bb_math_cache_stats(bb_js *js, unsigned long *hits, unsigned long *entries)
{
	S_cache *c = bb_js_slot(js, BB_JS_SLOT_MATH);

	*hits = c ? c->hits : 0;
	*entries = c ? (unsigned long)c->t.n : 0;
}
