/* fm.c: YAML front matter into a bounded tree with positions (libyaml's event
 * parser), the front matter delimiters, and Hugo's TOML subset. */
#include "fm.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* Bounds against hostile front matter: a post's metadata never needs more. */
#define FM_MAX_DEPTH 64
#define FM_MAX_NODES 20000
#define FM_MAX_ANCHORS 256
/* Values the front matter would hold with every alias expanded: aliases are
 * shared, not copied, but a document that means a billion values (nested
 * aliases, "billion laughs") is refused all the same. */
#define FM_MAX_EXPANDED 100000ULL

typedef struct anchor {
	char *name;
	bb_fm_node *node;
	unsigned long long size; /* values it stands for, expanded; 0 while still open */
} anchor;

static bb_fm_node *
S_node(bb_fm_kind kind, unsigned line, unsigned col)
{
	bb_fm_node *n = bb_xcalloc(1, sizeof *n);
	n->kind = kind;
	n->line = line;
	n->col = col;
	return n;
}

static void
S_add(bb_fm_node *parent, bb_fm_node *kid)
{
	parent->kids = bb_xrealloc(parent->kids, (parent->nkids + 1) * sizeof *parent->kids);
	parent->kids[parent->nkids++] = kid;
}

static void
S_problem(bb_fm_problem *p, unsigned line, unsigned col, const char *fmt, const char *arg)
{
	if (!p || p->line)
		return;
	p->line = line ? line : 1;
	p->col = col ? col : 1;
	snprintf(p->message, sizeof p->message, fmt, arg ? arg : "");
}

/* A copy of s (n bytes) that an XML document can hold: NUL, control
 * characters other than tab, newline and return, U+FFFE, U+FFFF and bytes
 * that are not UTF-8 (YAML's "\x01" and "\0" escapes, TOML's "\u0001",
 * a _config.yml in Latin-1) become U+FFFD. *bad counts them. */
static char *
S_clean(const char *s, size_t n, unsigned *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	bb_buf b = BB_BUF_INIT;
	size_t i = 0;
	bb_buf_put(&b, "", 0); /* sized and NUL-terminated, also when s is empty */
	bb_buf_grow(&b, n);
	while (i < n) {
		unsigned cp;
		int k;
		if (u[i] >= 0x20 && u[i] < 0x7F) {
			size_t j = i;
			while (j < n && u[j] >= 0x20 && u[j] < 0x7F)
				j++;
			bb_buf_put(&b, s + i, j - i);
			i = j;
			continue;
		}
		k = bb_utf8_decode(u + i, n - i, &cp);
		if (k == 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF) {
			bb_buf_put(&b, "\xEF\xBF\xBD", 3);
			(*bad)++;
			i += k ? (size_t)k : 1;
			continue;
		}
		bb_buf_put(&b, s + i, (size_t)k);
		i += (size_t)k;
	}
	return bb_buf_detach(&b, NULL);
}

static unsigned long long
S_sat_add(unsigned long long a, unsigned long long b)
{
	return a > (1ULL << 62) - b ? (1ULL << 62) : a + b;
}

/* The tree being built from libyaml's events: the open collections, and per
 * open collection the values it stands for so far (aliases expanded) and
 * its anchor's index, or -1. */
typedef struct {
	bb_fm_node *stack[FM_MAX_DEPTH + 1];
	unsigned long long expanded[FM_MAX_DEPTH + 1], total;
	long anchor_of[FM_MAX_DEPTH + 1];
	anchor anchors[FM_MAX_ANCHORS];
	size_t nanchors, nodes;
	int depth, done;
	bb_fm_node *root;
	bb_fm_problem *problem;
} fm_tree;

/* An alias shares the anchored node instead of copying it, so nested
 * aliases ("billion laughs") cost nothing to hold; and no consumer walks
 * more than one level of a front matter. */
static void
S_alias(fm_tree *t, const char *name, unsigned line, unsigned col)
{
	bb_fm_node *n;
	size_t i;
	/* the latest anchor of that name, as YAML says */
	for (i = t->nanchors; i > 0; i--)
		if (strcmp(t->anchors[i - 1].name, name) == 0)
			break;
	if (t->depth == 0) {
		t->done = 1;
		return;
	}
	/* an alias that names nothing, holds itself, or would take the front
	 * matter past its bound stands as an empty value: what follows it is
	 * still read */
	if (i-- == 0 || t->anchors[i].size == 0 ||
	    (t->total = S_sat_add(t->total, t->anchors[i].size)) > FM_MAX_EXPANDED) {
		if (i == (size_t)-1)
			S_problem(t->problem, line, col, "unknown alias '*%s' in front matter; left empty", name);
		else if (t->anchors[i].size == 0)
			S_problem(t->problem, line, col,
				  "alias '*%s' refers to a value that holds it, in front matter; left empty", name);
		else
			S_problem(t->problem, line, col,
				  "front matter aliases stand for more than 100000 values (alias '*%s'); "
				  "those past the bound are left empty",
				  name);
		n = S_node(BB_FM_SCALAR, line, col);
		n->value = bb_xstrdup("");
		S_add(t->stack[t->depth - 1], n);
		t->nodes++;
		return;
	}
	t->expanded[t->depth - 1] = S_sat_add(t->expanded[t->depth - 1], t->anchors[i].size);
	n = S_node(t->anchors[i].node->kind, line, col);
	n->shared = 1;
	if (t->anchors[i].node->kind == BB_FM_SCALAR) {
		/* the edge of a scalar carries its text too, so that code reading
		 * ->value without following the edge finds it */
		n->value = bb_xstrdup(t->anchors[i].node->value);
		n->quoted = t->anchors[i].node->quoted;
	}
	n->kids = bb_xmalloc(sizeof *n->kids);
	n->kids[0] = t->anchors[i].node;
	n->nkids = 1;
	S_add(t->stack[t->depth - 1], n);
	t->nodes++;
}

/* The end of the innermost open collection. */
static void
S_close(fm_tree *t)
{
	if (t->depth == 0)
		return;
	t->depth--;
	if (t->anchor_of[t->depth] >= 0)
		t->anchors[t->anchor_of[t->depth]].size = t->expanded[t->depth];
	if (t->depth > 0)
		t->expanded[t->depth - 1] = S_sat_add(t->expanded[t->depth - 1], t->expanded[t->depth]);
}

/* Puts a new node into the tree, under its anchor's name when it has one;
 * a collection opens. */
static void
S_place(fm_tree *t, bb_fm_node *n, const char *anchor_name, unsigned line, unsigned col)
{
	long a = -1;
	if (++t->nodes > FM_MAX_NODES) {
		S_problem(t->problem, line, col, "front matter too large: more than 20000 values%s", "");
		bb_fm_free(n);
		t->done = 1;
		return;
	}
	if (anchor_name && t->nanchors < FM_MAX_ANCHORS) {
		anchor *an = &t->anchors[t->nanchors];
		a = (long)t->nanchors++;
		an->name = bb_xstrdup(anchor_name);
		an->node = n;
		/* a scalar is complete now; a collection when it ends */
		an->size = n->kind == BB_FM_SCALAR ? 1 : 0;
	}
	t->total = S_sat_add(t->total, 1);
	if (t->depth == 0) {
		if (!t->root)
			t->root = n;
		else
			bb_fm_free(n);
	} else {
		S_add(t->stack[t->depth - 1], n);
		if (n->kind == BB_FM_SCALAR)
			t->expanded[t->depth - 1] = S_sat_add(t->expanded[t->depth - 1], 1);
	}
	if (n->kind != BB_FM_SCALAR && !t->done) {
		if (t->depth >= FM_MAX_DEPTH) {
			S_problem(t->problem, line, col, "front matter nested too deeply (over 64 levels)%s", "");
			t->done = 1;
		} else {
			t->expanded[t->depth] = 1;
			t->anchor_of[t->depth] = a;
			t->stack[t->depth++] = n;
		}
	}
}

bb_fm_node *
bb_fm_parse(const char *text, size_t len, unsigned line0, bb_fm_problem *problem)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	fm_tree *t;
	unsigned bad = 0, bad_line = 0, bad_col = 0;
	bb_fm_node *root;
	size_t i;

	if (problem)
		memset(problem, 0, sizeof *problem);
	if (!yaml_parser_initialize(&parser)) {
		S_problem(problem, line0, 1, "cannot start the YAML parser%s", "");
		return NULL;
	}
	t = bb_xcalloc(1, sizeof *t);
	t->problem = problem;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!t->done) {
		bb_fm_node *n = NULL;
		unsigned line, col;
		const char *anchor_name = NULL;

		if (!yaml_parser_parse(&parser, &ev)) {
			S_problem(problem, line0 + (unsigned)parser.problem_mark.line,
				  (unsigned)parser.problem_mark.column + 1,
				  "%s in front matter", parser.problem ? parser.problem : "syntax error");
			break;
		}
		line = line0 + (unsigned)ev.start_mark.line;
		col = (unsigned)ev.start_mark.column + 1;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			t->done = 1;
			break;
		case YAML_SCALAR_EVENT: {
			unsigned was = bad;
			n = S_node(BB_FM_SCALAR, line, col);
			n->value = S_clean((const char *)ev.data.scalar.value, ev.data.scalar.length, &bad);
			if (bad && !was)
				bad_line = line, bad_col = col;
			n->quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
			anchor_name = (const char *)ev.data.scalar.anchor;
			break;
		}
		case YAML_SEQUENCE_START_EVENT:
			n = S_node(BB_FM_SEQ, line, col);
			anchor_name = (const char *)ev.data.sequence_start.anchor;
			break;
		case YAML_MAPPING_START_EVENT:
			n = S_node(BB_FM_MAP, line, col);
			anchor_name = (const char *)ev.data.mapping_start.anchor;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			S_close(t);
			break;
		case YAML_ALIAS_EVENT:
			S_alias(t, (const char *)ev.data.alias.anchor, line, col);
			break;
		default:
			break;
		}
		if (n)
			S_place(t, n, anchor_name, line, col);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	/* a map cut short by a problem may end on a key without its value:
	 * drop the key, so that every map holds pairs (deepest first, as a
	 * key may itself be an open collection) */
	while (t->depth-- > 0)
		if (t->stack[t->depth]->kind == BB_FM_MAP && t->stack[t->depth]->nkids % 2)
			bb_fm_free(t->stack[t->depth]->kids[--t->stack[t->depth]->nkids]);
	for (i = 0; i < t->nanchors; i++)
		free(t->anchors[i].name);
	if (bad)
		S_problem(problem, bad_line, bad_col, "front matter holds %s that cannot stand in a book (control "
			  "characters or invalid UTF-8): replaced by U+FFFD", bad == 1 ? "a character" : "characters");
	root = t->root;
	free(t);
	return root;
}

/* An alias edge holds the shared node as its only kid, but does not own it. */
static const bb_fm_node *
S_deref(const bb_fm_node *n)
{
	return (n && n->shared && n->nkids == 1) ? n->kids[0] : n;
}

void
bb_fm_free(bb_fm_node *n)
{
	size_t i;
	if (!n)
		return;
	if (!n->shared)
		for (i = 0; i < n->nkids; i++)
			bb_fm_free(n->kids[i]);
	free(n->kids);
	free(n->value);
	free(n);
}

const bb_fm_node *
bb_fm_get(const bb_fm_node *map, const char *key)
{
	const bb_fm_node *found = NULL;
	size_t i;
	map = S_deref(map);
	if (!map || map->kind != BB_FM_MAP)
		return NULL;
	for (i = 0; i + 1 < map->nkids; i += 2) {
		const bb_fm_node *k = S_deref(map->kids[i]);
		if (k->kind == BB_FM_SCALAR && k->value && strcmp(k->value, key) == 0)
			found = S_deref(map->kids[i + 1]);
	}
	return found;
}

/* bb_fm_path, depth bounded. */
static const bb_fm_node *
S_path(const bb_fm_node *map, const char *key, int nocase, int depth)
{
	const bb_fm_node *found = NULL, *r;
	size_t i, n, kl = strlen(key);
	map = S_deref(map);
	if (!map || map->kind != BB_FM_MAP || depth > 16)
		return NULL;
	for (i = 0; i + 1 < map->nkids; i += 2) {
		const bb_fm_node *k = S_deref(map->kids[i]), *v = S_deref(map->kids[i + 1]);
		if (k->kind != BB_FM_SCALAR || !k->value || (n = strlen(k->value)) > kl ||
		    (nocase ? strncasecmp(k->value, key, n) : strncmp(k->value, key, n)) != 0)
			continue;
		if (n == kl)
			found = v;
		else if (key[n] == '.' && (r = S_path(v, key + n + 1, nocase, depth + 1)))
			found = r;
	}
	return found;
}

const bb_fm_node *
bb_fm_path(const bb_fm_node *map, const char *dotted, int nocase)
{
	return S_path(map, dotted, nocase, 0);
}

const char *
bb_fm_str(const bb_fm_node *map, const char *key)
{
	const bb_fm_node *v = bb_fm_get(map, key);
	if (!v || v->kind != BB_FM_SCALAR || !v->value)
		return NULL;
	if (!v->quoted && (v->value[0] == '\0' || strcmp(v->value, "~") == 0 ||
			   strcmp(v->value, "null") == 0 || strcmp(v->value, "Null") == 0 ||
			   strcmp(v->value, "NULL") == 0))
		return NULL;
	return v->value;
}

int
bb_fm_bool(const bb_fm_node *map, const char *key, int def)
{
	const char *s = bb_fm_str(map, key);
	static const char *yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON" };
	static const char *no[] = { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF" };
	size_t i;
	if (!s)
		return def;
	for (i = 0; i < sizeof yes / sizeof *yes; i++) {
		if (strcmp(s, yes[i]) == 0)
			return 1;
		if (strcmp(s, no[i]) == 0)
			return 0;
	}
	return def;
}

/* Length of the line starting at p (without its newline). */
static size_t
S_linelen(const char *p, const char *end)
{
	const char *q = memchr(p, '\n', (size_t)(end - p));
	return q ? (size_t)(q - p) : (size_t)(end - p);
}

/* 1 when the line [p, p+n) is exactly the delimiter d, trailing blanks allowed. */
static int
S_is_delim(const char *p, size_t n, const char *d)
{
	size_t dl = strlen(d);
	if (n < dl || memcmp(p, d, dl) != 0)
		return 0;
	for (; dl < n; dl++)
		if (p[dl] != ' ' && p[dl] != '\t' && p[dl] != '\r')
			return 0;
	return 1;
}

int
bb_fm_split(const char *text, size_t len, size_t *fm, size_t *fm_len,
	    size_t *body, unsigned *body_line, int *toml)
{
	const char *end = text + len, *p;
	const char *open = "---", *close2 = "...";
	size_t n;
	unsigned line = 2;

	*fm = *fm_len = *body = 0;
	*body_line = 1;
	if (toml)
		*toml = 0;
	n = S_linelen(text, end);
	if (toml && S_is_delim(text, n, "+++")) {
		open = "+++";
		close2 = "+++";
		*toml = 1;
	} else if (toml && n >= 5 && memcmp(text, "---", 3) == 0 &&
		   (S_is_delim(text + 3, n - 3, "js") || S_is_delim(text + 3, n - 3, "javascript"))) {
		*toml = 2; /* Eleventy's JavaScript front matter: code, not data */
	} else if (!S_is_delim(text, n, "---") &&
		   !(n > 3 && (S_is_delim(text + 3, n - 3, "yaml") || S_is_delim(text + 3, n - 3, "json")) &&
		     memcmp(text, "---", 3) == 0))
		return 0;
	p = text + n + (text + n < end);
	*fm = (size_t)(p - text);
	while (p < end) {
		n = S_linelen(p, end);
		if (S_is_delim(p, n, open) || S_is_delim(p, n, close2)) {
			*fm_len = (size_t)(p - text) - *fm;
			p += n;
			if (p < end)
				p++;
			*body = (size_t)(p - text);
			*body_line = line + 1;
			return 1;
		}
		p += n;
		if (p < end)
			p++;
		line++;
	}
	*fm = 0;
	if (toml)
		*toml = 0;
	return -1;
}

/* ---- TOML subset (Hugo front matter) ---- */

typedef struct toml_state {
	const char *p, *end;
	unsigned line, line0;
	const char *line_start;
	bb_fm_problem *problem;
	int failed;
	unsigned bad;           /* characters replaced by S_clean */
	unsigned bad_line, bad_col;
} toml_state;

static void
S_toml_fail(toml_state *t, const char *msg)
{
	if (!t->failed)
		S_problem(t->problem, t->line0 + t->line, (unsigned)(t->p - t->line_start) + 1, "%s in TOML front matter", msg);
	t->failed = 1;
}

static void
S_toml_ws(toml_state *t, int newlines)
{
	while (t->p < t->end) {
		char c = *t->p;
		if (c == ' ' || c == '\t' || c == '\r')
			t->p++;
		else if (c == '#') {
			while (t->p < t->end && *t->p != '\n')
				t->p++;
		} else if (c == '\n' && newlines) {
			t->p++;
			t->line++;
			t->line_start = t->p;
		} else
			break;
	}
}

static bb_fm_node *S_toml_value(toml_state *t, int depth);

/* Sets n's value to a clean copy of s (n bytes), noting replacements. */
static void
S_toml_set(toml_state *t, bb_fm_node *n, const char *s, size_t len)
{
	unsigned was = t->bad;
	n->value = S_clean(s, len, &t->bad);
	if (t->bad && !was)
		t->bad_line = n->line, t->bad_col = n->col;
}

static bb_fm_node *
S_toml_string(toml_state *t)
{
	bb_buf b = BB_BUF_INIT;
	char q = *t->p;
	int multi = (t->end - t->p >= 3 && t->p[1] == q && t->p[2] == q);
	bb_fm_node *n = S_node(BB_FM_SCALAR, t->line0 + t->line, (unsigned)(t->p - t->line_start) + 1);
	n->quoted = 1;
	t->p += multi ? 3 : 1;
	if (multi && t->p < t->end && *t->p == '\n')
		t->p++, t->line++, t->line_start = t->p;
	for (;;) {
		if (t->p >= t->end || (!multi && *t->p == '\n')) {
			S_toml_fail(t, "unterminated string");
			break;
		}
		if (*t->p == q && (!multi || (t->end - t->p >= 3 && t->p[1] == q && t->p[2] == q))) {
			t->p += multi ? 3 : 1;
			break;
		}
		if (*t->p == '\n')
			t->line++, t->line_start = t->p + 1;
		if (q == '"' && *t->p == '\\' && t->p + 1 < t->end) {
			char e = t->p[1];
			t->p += 2;
			switch (e) {
			case 'n': bb_buf_putc(&b, '\n'); break;
			case 't': bb_buf_putc(&b, '\t'); break;
			case 'r': bb_buf_putc(&b, '\r'); break;
			case 'u': case 'U': {
				int digits = e == 'u' ? 4 : 8, k;
				unsigned cp = 0;
				for (k = 0; k < digits && t->p < t->end && isxdigit((unsigned char)*t->p); k++, t->p++)
					cp = cp * 16 + (unsigned)(isdigit((unsigned char)*t->p) ? *t->p - '0' : (tolower((unsigned char)*t->p) - 'a' + 10));
				if (cp && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF))
					bb_buf_put_utf8(&b, cp);
				break;
			}
			default: bb_buf_putc(&b, e); break;
			}
			continue;
		}
		bb_buf_putc(&b, *t->p++);
	}
	S_toml_set(t, n, b.data ? b.data : "", b.len);
	bb_buf_free(&b);
	return n;
}

/* A key: quoted, or bare (letters, digits, _ - and dots, kept as one
 * name). NULL (failed) when there is none. */
static bb_fm_node *
S_toml_key(toml_state *t)
{
	const char *ks = t->p;
	bb_fm_node *k;
	if (t->p < t->end && (*t->p == '"' || *t->p == '\''))
		return S_toml_string(t);
	while (t->p < t->end && (isalnum((unsigned char)*t->p) || *t->p == '_' || *t->p == '-' || *t->p == '.'))
		t->p++;
	if (t->p == ks) {
		S_toml_fail(t, "expected a key");
		return NULL;
	}
	k = S_node(BB_FM_SCALAR, t->line0 + t->line, (unsigned)(ks - t->line_start) + 1);
	S_toml_set(t, k, ks, (size_t)(t->p - ks));
	return k;
}

/* An inline table { key = value, ... } at t->p, as a map. */
static bb_fm_node *
S_toml_inline(toml_state *t, int depth)
{
	bb_fm_node *n = S_node(BB_FM_MAP, t->line0 + t->line, (unsigned)(t->p - t->line_start) + 1), *k, *v;
	if (depth > FM_MAX_DEPTH) {
		S_toml_fail(t, "nested too deeply");
		return n;
	}
	t->p++;
	for (;;) {
		S_toml_ws(t, 0);
		if (t->p < t->end && *t->p == '}' && !n->nkids) {
			t->p++;
			break;
		}
		if (!(k = S_toml_key(t)))
			break;
		S_toml_ws(t, 0);
		if (t->p >= t->end || *t->p != '=') {
			bb_fm_free(k);
			S_toml_fail(t, "expected '=' after a key");
			break;
		}
		t->p++;
		S_toml_ws(t, 0);
		if (!(v = S_toml_value(t, depth + 1)) || t->failed) {
			bb_fm_free(k);
			bb_fm_free(v);
			break;
		}
		S_add(n, k);
		S_add(n, v);
		S_toml_ws(t, 0);
		if (t->p < t->end && *t->p == ',')
			t->p++;
		else if (t->p < t->end && *t->p == '}') {
			t->p++;
			break;
		} else {
			S_toml_fail(t, "expected ',' or '}' in an inline table");
			break;
		}
	}
	return n;
}

static bb_fm_node *
S_toml_value(toml_state *t, int depth)
{
	bb_fm_node *n;
	const char *s;
	if (t->p >= t->end) {
		S_toml_fail(t, "missing value");
		return NULL;
	}
	if (*t->p == '"' || *t->p == '\'')
		return S_toml_string(t);
	if (*t->p == '[') {
		n = S_node(BB_FM_SEQ, t->line0 + t->line, (unsigned)(t->p - t->line_start) + 1);
		if (depth > FM_MAX_DEPTH) {
			S_toml_fail(t, "nested too deeply");
			return n;
		}
		t->p++;
		for (;;) {
			bb_fm_node *v;
			S_toml_ws(t, 1);
			if (t->p < t->end && *t->p == ']') {
				t->p++;
				break;
			}
			if (!(v = S_toml_value(t, depth + 1)) || t->failed) {
				bb_fm_free(v);
				break;
			}
			S_add(n, v);
			S_toml_ws(t, 1);
			if (t->p < t->end && *t->p == ',')
				t->p++;
			else if (t->p < t->end && *t->p == ']') {
				t->p++;
				break;
			} else {
				S_toml_fail(t, "expected ',' or ']' in array");
				break;
			}
		}
		return n;
	}
	if (*t->p == '{')
		return S_toml_inline(t, depth);
	/* bare value: number, boolean or date, up to a comma, bracket, brace or end of line */
	s = t->p;
	while (t->p < t->end && *t->p != '\n' && *t->p != ',' && *t->p != ']' && *t->p != '}' && *t->p != '#')
		t->p++;
	n = S_node(BB_FM_SCALAR, t->line0 + t->line, (unsigned)(s - t->line_start) + 1);
	{
		const char *e = t->p;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		S_toml_set(t, n, s, (size_t)(e - s));
	}
	return n;
}

static bb_fm_node *
S_toml_table(bb_fm_node *root, const char *name)
{
	bb_fm_node *k, *v;
	size_t i;
	for (i = 0; i + 1 < root->nkids; i += 2)
		if (root->kids[i]->value && strcmp(root->kids[i]->value, name) == 0 &&
		    root->kids[i + 1]->kind == BB_FM_MAP)
			return root->kids[i + 1];
	k = S_node(BB_FM_SCALAR, 0, 0);
	k->value = bb_xstrdup(name);
	v = S_node(BB_FM_MAP, 0, 0);
	S_add(root, k);
	S_add(root, v);
	return v;
}

/* [[name]]: a new table appended to the array of tables name. */
static bb_fm_node *
S_toml_array_table(bb_fm_node *root, const char *name)
{
	bb_fm_node *k, *seq = NULL, *v;
	size_t i;
	for (i = 0; i + 1 < root->nkids; i += 2)
		if (root->kids[i]->value && strcmp(root->kids[i]->value, name) == 0 &&
		    root->kids[i + 1]->kind == BB_FM_SEQ)
			seq = root->kids[i + 1];
	if (!seq) {
		k = S_node(BB_FM_SCALAR, 0, 0);
		k->value = bb_xstrdup(name);
		seq = S_node(BB_FM_SEQ, 0, 0);
		S_add(root, k);
		S_add(root, seq);
	}
	v = S_node(BB_FM_MAP, 0, 0);
	S_add(seq, v);
	return v;
}

bb_fm_node *
bb_fm_parse_toml(const char *text, size_t len, unsigned line0, bb_fm_problem *problem)
{
	toml_state t;
	bb_fm_node *root = S_node(BB_FM_MAP, line0, 1), *cur = root;
	size_t count = 0;

	if (problem)
		memset(problem, 0, sizeof *problem);
	memset(&t, 0, sizeof t);
	t.p = t.line_start = text;
	t.end = text + len;
	t.line0 = line0;
	t.problem = problem;
	while (!t.failed) {
		bb_fm_node *k, *v;
		S_toml_ws(&t, 1);
		if (t.p >= t.end)
			break;
		if (++count > FM_MAX_NODES) {
			S_toml_fail(&t, "too many keys");
			break;
		}
		if (*t.p == '[') {
			int array = t.p + 1 < t.end && t.p[1] == '[';
			const char *ns = t.p += 1 + array;
			while (t.p < t.end && *t.p != ']' && *t.p != '\n')
				t.p++;
			if (t.p >= t.end || *t.p != ']' || (array && (t.p + 1 >= t.end || t.p[1] != ']'))) {
				S_toml_fail(&t, "unterminated table header");
				break;
			}
			{
				char *name = S_clean(ns, (size_t)(t.p - ns), &t.bad);
				cur = array ? S_toml_array_table(root, name) : S_toml_table(root, name);
				free(name);
			}
			t.p += 1 + array;
			continue;
		}
		if (!(k = S_toml_key(&t)))
			break;
		S_toml_ws(&t, 0);
		if (t.p >= t.end || *t.p != '=') {
			bb_fm_free(k);
			S_toml_fail(&t, "expected '=' after a key");
			break;
		}
		t.p++;
		S_toml_ws(&t, 0);
		v = S_toml_value(&t, 0);
		if (!v) {
			bb_fm_free(k);
			break;
		}
		S_add(cur, k);
		S_add(cur, v);
		S_toml_ws(&t, 0);
		if (t.p < t.end && *t.p != '\n' && !t.failed)
			S_toml_fail(&t, "unexpected text after a value");
	}
	if (t.bad)
		S_problem(problem, t.bad_line, t.bad_col, "TOML front matter holds %s that cannot stand in a book "
			  "(control characters or invalid UTF-8): replaced by U+FFFD", t.bad == 1 ? "a character" : "characters");
	return root;
}
