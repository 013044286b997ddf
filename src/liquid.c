/* liquid.c: a small, bounded, one-pass converter from the Liquid in Jekyll posts to plain Markdown. */
#define _POSIX_C_SOURCE 200809L
#include "liquid.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_NOPOS ((size_t)-1)
/* Longest indentation copied before a closing fence: enough for nested
 * list items, small enough that no input can make it costly. */
#define S_INDENT_MAX 64
/* Filters applied per {{ }}; more are ignored with a warning, which keeps
 * the work per variable linear. */
#define S_FILTERS_MAX 32
#define S_ARGS_MAX 4

/* One {% .. %} or {{ .. }} token of the input. */
typedef struct S_token {
	size_t start, end;	/* offset of its '{', offset just past its '}' */
	int is_var;
	int trim_left, trim_right;	/* {%- and -%} */
	const char *name;	/* tags: the tag's name */
	size_t name_len;
	const char *markup;	/* what follows the name (tags) or the whole
				 * expression (variables), trimmed */
	size_t markup_len;
} S_token;

typedef struct S_state {
	const char *text;
	size_t len;
	const bb_liquid_ctx *ctx;
	bb_buf out;
	size_t pos;		/* next input byte to convert */
	/* line counting, moved forward as warnings ask */
	size_t lc_off, lc_bol;
	unsigned lc_line;
	/* where the text run written since the last token began in out: the
	 * limit for {%- trimming */
	size_t lit_start;
	/* where a run of {{ site.url }}{{ site.baseurl }} just written began */
	size_t url_prefix;
	/* bytes substitutions may still add */
	size_t budget;
	/* "the first %} (or }}) at or after *_from is at *_end": keeps the
	 * search for closing delimiters linear over the whole text */
	size_t tag_from, tag_end, var_from, var_end;
	int warned_unterminated, warned_budget;
	/* the open {% highlight %}, if any */
	int hl_open;
	size_t hl_start;
	unsigned hl_line, hl_col;
	char *hl_lang;
} S_state;

static int
S_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int
S_isword(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_';
}

static int
S_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static void
S_trim(const char **s, size_t *n)
{
	while (*n > 0 && S_isspace((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n > 0 && S_isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static int
S_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* Offset of the first "ab" at or after from, or S_NOPOS. */
static size_t
S_find2(const char *s, size_t len, size_t from, char a, char b)
{
	while (from + 1 < len) {
		const char *p = memchr(s + from, a, len - from - 1);
		size_t i;
		if (!p)
			return S_NOPOS;
		i = (size_t)(p - s);
		if (s[i + 1] == b)
			return i;
		from = i + 1;
	}
	return S_NOPOS;
}

static size_t
S_close(S_state *st, size_t from, int is_var)
{
	size_t *cf = is_var ? &st->var_from : &st->tag_from;
	size_t *ce = is_var ? &st->var_end : &st->tag_end;
	if (*cf != S_NOPOS && from >= *cf && (*ce == S_NOPOS || from <= *ce))
		return *ce;
	*cf = from;
	*ce = S_find2(st->text, st->len, from, is_var ? '}' : '%', '}');
	return *ce;
}

static void
S_where(S_state *st, size_t off, unsigned *line, unsigned *col)
{
	if (off < st->lc_off) {
		st->lc_off = st->lc_bol = 0;
		st->lc_line = 1;
	}
	while (st->lc_off < off) {
		const char *nl = memchr(st->text + st->lc_off, '\n', off - st->lc_off);
		if (!nl) {
			st->lc_off = off;
			break;
		}
		st->lc_line++;
		st->lc_bol = st->lc_off = (size_t)(nl - st->text) + 1;
	}
	*line = st->lc_line;
	*col = (unsigned)(off - st->lc_bol + 1);
}

static void
S_warn_at(S_state *st, unsigned line, unsigned col, const char *msg)
{
	if (st->ctx && st->ctx->warn)
		st->ctx->warn(st->ctx->ud, line, col, msg);
}

/* Warns at input offset off; takes ownership of msg. */
static void
S_warn(S_state *st, size_t off, char *msg)
{
	unsigned line, col;
	if (st->ctx && st->ctx->warn) {
		S_where(st, off, &line, &col);
		S_warn_at(st, line, col, msg);
	}
	free(msg);
}

static const char *
S_lookup(S_state *st, const char *name)
{
	if (st->ctx && st->ctx->lookup)
		return st->ctx->lookup(st->ctx->ud, name);
	return NULL;
}

/* Copies input text [from, to) to the output. */
static void
S_lit(S_state *st, size_t from, size_t to)
{
	if (to <= from)
		return;
	bb_buf_put(&st->out, st->text + from, to - from);
	st->url_prefix = S_NOPOS;
}

/* Writes a substitution, within the budget. */
static void
S_emit(S_state *st, size_t at, const char *s, size_t n)
{
	if (n > st->budget) {
		if (!st->warned_budget)
			S_warn(st, at, bb_xstrdup("Liquid output limit reached: this and later substitutions dropped"));
		st->warned_budget = 1;
		st->budget = 0;
		return;
	}
	st->budget -= n;
	bb_buf_put(&st->out, s, n);
}

static void
S_truncate(S_state *st, size_t n)
{
	if (n < st->out.len) {
		st->out.len = n;
		st->out.data[n] = '\0';
	}
}

/* {%- and {{-: drop the whitespace written since the last token. */
static void
S_trim_out(S_state *st)
{
	size_t n = st->out.len;
	while (n > st->lit_start && S_isspace((unsigned char)st->out.data[n - 1]))
		n--;
	S_truncate(st, n);
}

/* Reads the token whose "{%" or "{{" is at i. Returns 0, or -1 when it has
 * no closing delimiter. */
static int
S_scan(S_state *st, size_t i, S_token *t)
{
	const char *in;
	size_t n, e;
	memset(t, 0, sizeof *t);
	t->is_var = st->text[i + 1] == '{';
	e = S_close(st, i + 2, t->is_var);
	if (e == S_NOPOS)
		return -1;
	t->start = i;
	t->end = e + 2;
	in = st->text + i + 2;
	n = e - (i + 2);
	if (n > 0 && in[0] == '-')
		t->trim_left = 1, in++, n--;
	if (n > 0 && in[n - 1] == '-')
		t->trim_right = 1, n--;
	S_trim(&in, &n);
	if (!t->is_var) {
		size_t k = 0;
		if (n > 0 && in[0] == '#')
			k = 1;
		else
			while (k < n && S_isword((unsigned char)in[k]))
				k++;
		t->name = in;
		t->name_len = k;
		in += k;
		n -= k;
		S_trim(&in, &n);
	}
	t->markup = in;
	t->markup_len = n;
	return 0;
}

/* Finds the next tag named name (e.g. "endraw") at or after from. Returns
 * 0 with *t filled, or -1 when there is none. */
static int
S_next_named(S_state *st, size_t from, const char *name, S_token *t)
{
	for (;;) {
		size_t k = S_find2(st->text, st->len, from, '{', '%');
		if (k == S_NOPOS || S_scan(st, k, t) < 0)
			return -1;
		if (S_eq(t->name, t->name_len, name))
			return 0;
		from = k + 2;
	}
}

/* {% raw %}: the body goes out as it is. Returns the trim_right of the
 * last token consumed. */
static int
S_raw(S_state *st, const S_token *open)
{
	S_token close;
	size_t b = open->end, e;
	if (S_next_named(st, open->end, "endraw", &close) < 0) {
		S_warn(st, open->start, bb_xstrdup("{% raw %} without {% endraw %}: the rest of the text is kept as it is"));
		S_lit(st, open->end, st->len);
		st->pos = st->len;
		return 0;
	}
	e = close.start;
	if (open->trim_right)
		while (b < e && S_isspace((unsigned char)st->text[b]))
			b++;
	if (close.trim_left)
		while (e > b && S_isspace((unsigned char)st->text[e - 1]))
			e--;
	S_lit(st, b, e);
	st->pos = close.end;
	return close.trim_right;
}

/* {% comment %}: skips to the matching {% endcomment %}, counting nested
 * comments and stepping over raw bodies. Without one, the rest of the text
 * is kept as it is, like an unterminated raw: looking again from each later
 * comment would make the pass quadratic. */
static int
S_comment(S_state *st, const S_token *open)
{
	S_token t;
	size_t from = open->end;
	unsigned long depth = 1;
	for (;;) {
		size_t k = S_find2(st->text, st->len, from, '{', '%');
		if (k == S_NOPOS || S_scan(st, k, &t) < 0)
			break;
		from = t.end;
		if (S_eq(t.name, t.name_len, "comment")) {
			depth++;
		} else if (S_eq(t.name, t.name_len, "endcomment")) {
			if (--depth == 0) {
				st->pos = t.end;
				return t.trim_right;
			}
		} else if (S_eq(t.name, t.name_len, "raw")) {
			if (S_next_named(st, t.end, "endraw", &t) < 0)
				break;
			from = t.end;
		}
	}
	S_warn(st, open->start, bb_xstrdup("{% comment %} without {% endcomment %}: the tag is removed, the rest of the text kept as it is"));
	S_lit(st, open->end, st->len);
	st->pos = st->len;
	return 0;
}

static void
S_highlight_open(S_state *st, const S_token *t)
{
	size_t k = 0, i;
	if (st->hl_open) {
		S_warn(st, t->start, bb_xstrdup("{% highlight %} inside {% highlight %} removed"));
		return;
	}
	while (k < t->markup_len && !S_isspace((unsigned char)t->markup[k]))
		k++;
	for (i = 0; i < k; i++) {
		char c = t->markup[i];
		if (!S_isword((unsigned char)c) && c != '.' && c != '+' && c != '#' && c != '-')
			break;
	}
	if (k == 0 || i < k) {
		S_warn(st, t->start, bb_xasprintf("{%% highlight %.*s %%}: no valid language; the code block gets none",
			(int)(t->markup_len > 40 ? 40 : t->markup_len), t->markup));
		k = 0;
	}
	st->hl_lang = bb_xstrndup(t->markup, k);
	for (i = 0; i < k; i++)
		if (st->hl_lang[i] >= 'A' && st->hl_lang[i] <= 'Z')
			st->hl_lang[i] = (char)(st->hl_lang[i] - 'A' + 'a');
	st->hl_open = 1;
	st->hl_start = st->out.len;
	S_where(st, t->start, &st->hl_line, &st->hl_col);
}

/* Replaces the converted body of the open highlight with a fenced code
 * block. eol: the input goes on with a line end (or ends). */
static void
S_highlight_close(S_state *st, int eol)
{
	char *out = st->out.data;
	size_t bs = st->hl_start, be = st->out.len, first = bs, k, run = 0, fence = 3;
	size_t bol, indent_len = 0;
	char *body;
	size_t body_len;
	int blank = 1;

	/* Jekyll drops the line ends around the code; whitespace-only lines
	 * there mean nothing in a code block either */
	for (k = bs; k < be && S_isspace((unsigned char)out[k]); k++)
		if (out[k] == '\n')
			first = k + 1;
	if (k == be)
		first = be;
	while (be > first && S_isspace((unsigned char)out[be - 1]))
		be--;
	body_len = be - first;
	body = bb_xstrndup(out + first, body_len);
	for (k = 0; k < body_len; k++) {
		size_t r = 0;
		while (k < body_len && body[k] == '`')
			r++, k++;
		if (r > run)
			run = r;
	}
	if (run + 1 > fence)
		fence = run + 1;

	S_truncate(st, bs);
	/* The fence opens its own line; whitespace before the tag on its line
	 * is indentation (a list item's), repeated before the closing fence. */
	for (bol = bs; bol > 0 && st->out.data[bol - 1] != '\n'; bol--)
		if (!S_isspace((unsigned char)st->out.data[bol - 1]))
			blank = 0;
	if (!blank)
		bb_buf_putc(&st->out, '\n');
	else if (bs - bol <= S_INDENT_MAX)
		indent_len = bs - bol;
	for (k = 0; k < fence; k++)
		bb_buf_putc(&st->out, '`');
	bb_buf_puts(&st->out, st->hl_lang);
	bb_buf_putc(&st->out, '\n');
	if (body_len) {
		bb_buf_put(&st->out, body, body_len);
		bb_buf_putc(&st->out, '\n');
	}
	/* the indentation is read through out.data each time: putc may move it */
	for (k = 0; k < indent_len; k++)
		bb_buf_putc(&st->out, st->out.data[bol + k]);
	for (k = 0; k < fence; k++)
		bb_buf_putc(&st->out, '`');
	if (!eol)
		bb_buf_putc(&st->out, '\n');
	free(body);
	free(st->hl_lang);
	st->hl_lang = NULL;
	st->hl_open = 0;
}

/* {% post_url %} and {% link %}. prefix: where a {{ site.url }} or
 * {{ site.baseurl }} written just before began, or S_NOPOS. */
static void
S_resolve(S_state *st, const S_token *t, const char *kind, size_t prefix)
{
	const char *a = t->markup;
	size_t n = t->markup_len;
	char *arg, *url = NULL;
	if (n >= 2 && (a[0] == '"' || a[0] == '\'') && a[n - 1] == a[0])
		a++, n -= 2;
	if (n == 0) {
		S_warn(st, t->start, bb_xasprintf("{%% %s %%} without an argument removed", kind));
		return;
	}
	arg = bb_xstrndup(a, n);
	if (st->ctx && st->ctx->resolve)
		url = st->ctx->resolve(st->ctx->ud, kind, arg);
	if (prefix != S_NOPOS)
		S_truncate(st, prefix);
	if (url) {
		S_emit(st, t->start, url, strlen(url));
	} else {
		S_warn(st, t->start, bb_xasprintf("{%% %s %.*s %%}: no such post or page; its argument is kept",
			kind, (int)(n > 200 ? 200 : n), arg));
		S_emit(st, t->start, arg, n);
	}
	free(url);
	free(arg);
}

/* Splits s at the first c outside quotes: returns the length before it. */
static size_t
S_span(const char *s, size_t n, char c)
{
	size_t i;
	char q = 0;
	for (i = 0; i < n; i++) {
		if (q) {
			if (s[i] == q)
				q = 0;
		} else if (s[i] == '"' || s[i] == '\'') {
			q = s[i];
		} else if (s[i] == c) {
			break;
		}
	}
	return i;
}

/* Evaluates a literal or a variable into v. Returns 0, or -1 for an
 * unknown variable (v is then left empty). */
static int
S_eval(S_state *st, const char *s, size_t n, bb_buf *v)
{
	const char *val;
	char *name;
	bb_buf_reset(v);
	S_trim(&s, &n);
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		bb_buf_put(v, s + 1, n - 2);
		return 0;
	}
	if (n == 0 || S_isdigit((unsigned char)s[0]) ||
	    (s[0] == '-' && n > 1 && S_isdigit((unsigned char)s[1])) ||
	    S_eq(s, n, "true") || S_eq(s, n, "false")) {
		bb_buf_put(v, s, n);
		return 0;
	}
	if (S_eq(s, n, "nil") || S_eq(s, n, "null") || S_eq(s, n, "empty") || S_eq(s, n, "blank"))
		return 0;
	name = bb_xstrndup(s, n);
	val = S_lookup(st, name);
	free(name);
	if (!val)
		return -1;
	bb_buf_puts(v, val);
	return 0;
}

static int
S_is_absolute(const char *s, size_t n)
{
	size_t i;
	if (n >= 2 && s[0] == '/' && s[1] == '/')
		return 1;
	if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (i = 1; i < n; i++) {
		char c = s[i];
		if (c == ':')
			return 1;
		if (!S_isword((unsigned char)c) && c != '+' && c != '.' && c != '-')
			return 0;
	}
	return 0;
}

/* Jekyll's relative_url: baseurl without its trailing slash, then the
 * input with a leading slash; absolute URLs pass unchanged. */
static void
S_relative_url(S_state *st, bb_buf *v, bb_buf *tmp)
{
	const char *base;
	size_t bl;
	if (S_is_absolute(v->data, v->len))
		return;
	base = S_lookup(st, "site.baseurl");
	bl = base ? strlen(base) : 0;
	while (bl > 0 && base[bl - 1] == '/')
		bl--;
	bb_buf_reset(tmp);
	if (bl > 0 && base[0] != '/')
		bb_buf_putc(tmp, '/');
	bb_buf_put(tmp, base, bl);
	if (v->len > 0 && v->data[0] != '/')
		bb_buf_putc(tmp, '/');
	bb_buf_put(tmp, v->data, v->len);
	bb_buf_reset(v);
	bb_buf_put(v, tmp->data, tmp->len);
}

static void
S_absolute_url(S_state *st, bb_buf *v, bb_buf *tmp)
{
	const char *url;
	size_t ul;
	if (S_is_absolute(v->data, v->len))
		return;
	S_relative_url(st, v, tmp);
	url = S_lookup(st, "site.url");
	ul = url ? strlen(url) : 0;
	while (ul > 0 && url[ul - 1] == '/')
		ul--;
	if (ul == 0)
		return;
	bb_buf_reset(tmp);
	bb_buf_put(tmp, url, ul);
	if (v->len > 0 && v->data[0] != '/')
		bb_buf_putc(tmp, '/');
	bb_buf_put(tmp, v->data, v->len);
	bb_buf_reset(v);
	bb_buf_put(v, tmp->data, tmp->len);
}

static int
S_num(const char *s, size_t n, size_t *i, int digits, int *out)
{
	int k, x = 0;
	for (k = 0; k < digits && *i < n && S_isdigit((unsigned char)s[*i]); k++)
		x = x * 10 + (s[(*i)++] - '0');
	*out = x;
	return k;
}

/* Reads "YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]][ ][Z|+HHMM|+HH:MM]" into tm
 * and the zone offset in minutes (*zone_set 0 when none). Returns 0 or -1. */
static int
S_parse_date(const char *s, size_t n, struct tm *tm, int *zone, int *zone_set)
{
	static const int cum[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	static const int sak[12] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	size_t i = 0;
	int y, m, d, hh = 0, mm = 0, ss = 0, leap, yy;
	S_trim(&s, &n);
	memset(tm, 0, sizeof *tm);
	*zone = 0;
	*zone_set = 0;
	if (S_num(s, n, &i, 4, &y) != 4 || i >= n || s[i++] != '-' ||
	    S_num(s, n, &i, 2, &m) < 1 || i >= n || s[i++] != '-' ||
	    S_num(s, n, &i, 2, &d) < 1)
		return -1;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	if (i + 1 < n && (s[i] == ' ' || s[i] == 'T') && S_isdigit((unsigned char)s[i + 1])) {
		i++;
		if (S_num(s, n, &i, 2, &hh) < 1 || i >= n || s[i++] != ':' ||
		    S_num(s, n, &i, 2, &mm) < 1)
			return -1;
		if (i < n && s[i] == ':') {
			i++;
			if (S_num(s, n, &i, 2, &ss) < 1)
				return -1;
			while (i < n && (s[i] == '.' || S_isdigit((unsigned char)s[i])))
				i++;
		}
		while (i < n && s[i] == ' ')
			i++;
		if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
			*zone_set = 1;
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			int sign = s[i++] == '-' ? -1 : 1, zh, zm = 0;
			if (S_num(s, n, &i, 2, &zh) != 2)
				return -1;
			if (i < n && s[i] == ':')
				i++;
			S_num(s, n, &i, 2, &zm);
			*zone = sign * (zh * 60 + zm);
			*zone_set = 1;
		}
	}
	if (i != n || hh > 23 || mm > 59 || ss > 60)
		return -1;
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_hour = hh;
	tm->tm_min = mm;
	tm->tm_sec = ss;
	tm->tm_yday = cum[m - 1] + d - 1 + (leap && m > 2);
	yy = m < 3 ? y - 1 : y;
	tm->tm_wday = (yy + yy / 4 - yy / 100 + yy / 400 + sak[m - 1] + d) % 7;
	return 0;
}

/* Liquid's date filter and Jekyll's date_to_* filters; a value that is
 * not a date passes unchanged, as in Liquid. */
static void
S_date(bb_buf *v, const char *fmt, int xmlschema)
{
	struct tm tm;
	char buf[512];
	size_t n;
	int zone, zone_set;
	if (!fmt[0] || S_parse_date(v->data ? v->data : "", v->len, &tm, &zone, &zone_set) < 0)
		return;
	n = strftime(buf, sizeof buf, fmt, &tm);
	bb_buf_reset(v);
	bb_buf_put(v, buf, n);
	if (xmlschema) {
		int a = zone < 0 ? -zone : zone;
		bb_buf_printf(v, "%c%02d:%02d", zone < 0 ? '-' : '+', a / 60, a % 60);
	}
}

/* Applies one filter (name and the argument text after its ':') to v.
 * Returns 1 when it was default and replaced the value. */
static int
S_filter(S_state *st, const S_token *t, const char *name, size_t nl,
	const char *args, size_t al, bb_buf *v, bb_buf *tmp)
{
	bb_buf argv[S_ARGS_MAX] = { BB_BUF_INIT, BB_BUF_INIT, BB_BUF_INIT, BB_BUF_INIT };
	int argc = 0, i, replaced = 0;
	while (al > 0 && argc < S_ARGS_MAX) {
		size_t k = S_span(args, al, ',');
		if (S_eval(st, args, k, &argv[argc]) < 0) {
			const char *a = args;
			size_t an = k;
			S_trim(&a, &an);
			S_warn(st, t->start, bb_xasprintf("unknown Liquid variable '%.*s' left empty",
				(int)(an > 80 ? 80 : an), a));
		}
		argc++;
		args += k < al ? k + 1 : k;
		al -= k < al ? k + 1 : k;
	}
	/* every argument reads as a string, empty when absent or unknown */
	for (i = 0; i < S_ARGS_MAX; i++)
		bb_buf_put(&argv[i], "", 0);

	if (S_eq(name, nl, "relative_url")) {
		S_relative_url(st, v, tmp);
	} else if (S_eq(name, nl, "absolute_url")) {
		S_absolute_url(st, v, tmp);
	} else if (S_eq(name, nl, "default")) {
		if (v->len == 0 || S_eq(v->data, v->len, "false")) {
			bb_buf_reset(v);
			bb_buf_put(v, argv[0].data, argv[0].len);
			replaced = 1;
		}
	} else if (S_eq(name, nl, "escape") || S_eq(name, nl, "xml_escape")) {
		bb_buf_reset(tmp);
		bb_buf_put_xml(tmp, v->data ? v->data : "", v->len);
		bb_buf_reset(v);
		bb_buf_put(v, tmp->data, tmp->len);
	} else if (S_eq(name, nl, "prepend")) {
		bb_buf_reset(tmp);
		bb_buf_put(tmp, argv[0].data, argv[0].len);
		bb_buf_put(tmp, v->data ? v->data : "", v->len);
		bb_buf_reset(v);
		bb_buf_put(v, tmp->data, tmp->len);
	} else if (S_eq(name, nl, "append")) {
		bb_buf_put(v, argv[0].data, argv[0].len);
	} else if (S_eq(name, nl, "upcase") || S_eq(name, nl, "downcase")) {
		int up = name[0] == 'u';
		size_t k;
		for (k = 0; k < v->len; k++) {
			char c = v->data[k];
			if (up && c >= 'a' && c <= 'z')
				v->data[k] = (char)(c - 'a' + 'A');
			else if (!up && c >= 'A' && c <= 'Z')
				v->data[k] = (char)(c - 'A' + 'a');
		}
	} else if (S_eq(name, nl, "strip")) {
		const char *s = v->data ? v->data : "";
		size_t n = v->len;
		S_trim(&s, &n);
		bb_buf_reset(tmp);
		bb_buf_put(tmp, s, n);
		bb_buf_reset(v);
		bb_buf_put(v, tmp->data, tmp->len);
	} else if (S_eq(name, nl, "date")) {
		S_date(v, argv[0].data, 0);
	} else if (S_eq(name, nl, "date_to_string")) {
		S_date(v, "%d %b %Y", 0);
	} else if (S_eq(name, nl, "date_to_long_string")) {
		S_date(v, "%d %B %Y", 0);
	} else if (S_eq(name, nl, "date_to_xmlschema")) {
		S_date(v, "%Y-%m-%dT%H:%M:%S", 1);
	}
	/* any other filter leaves the value as it is */
	for (i = 0; i < S_ARGS_MAX; i++)
		bb_buf_free(&argv[i]);
	return replaced;
}

/* {{ expr | filter: args | .. }}. prefix as for S_resolve. */
static void
S_variable(S_state *st, const S_token *t, size_t prefix)
{
	bb_buf v = BB_BUF_INIT, tmp = BB_BUF_INIT;
	const char *s = t->markup, *expr;
	size_t n = t->markup_len, k, expr_len;
	int unknown, defaulted = 0, nfilters = 0;
	size_t at = st->out.len;

	k = S_span(s, n, '|');
	expr = s;
	expr_len = k;
	S_trim(&expr, &expr_len);
	if (expr_len == 0) {
		S_warn(st, t->start, bb_xstrdup("empty Liquid output tag removed"));
		return;
	}
	unknown = S_eval(st, expr, expr_len, &v) < 0;
	bb_buf_put(&v, "", 0);	/* v.data is a string from here on */
	while (k < n) {
		const char *f, *name;
		size_t fl, nl, c;
		s += k + 1;
		n -= k + 1;
		k = S_span(s, n, '|');
		f = s;
		fl = k;
		S_trim(&f, &fl);
		if (fl == 0)
			continue;
		if (++nfilters > S_FILTERS_MAX) {
			S_warn(st, t->start, bb_xasprintf("more than %d Liquid filters: the rest are ignored", S_FILTERS_MAX));
			break;
		}
		c = S_span(f, fl, ':');
		name = f;
		nl = c;
		S_trim(&name, &nl);
		if (S_filter(st, t, name, nl, c < fl ? f + c + 1 : f + fl, c < fl ? fl - c - 1 : 0, &v, &tmp))
			defaulted = 1;
		if (v.len > st->budget)
			break;	/* S_emit drops it and says why */
	}
	if (unknown && !defaulted)
		S_warn(st, t->start, bb_xasprintf("unknown Liquid variable '%.*s' left empty",
			(int)(expr_len > 80 ? 80 : expr_len), expr));
	if (nfilters == 0 && (S_eq(expr, expr_len, "site.url") || S_eq(expr, expr_len, "site.baseurl")))
		st->url_prefix = prefix != S_NOPOS ? prefix : at;
	if (v.len)
		S_emit(st, t->start, v.data, v.len);
	bb_buf_free(&v);
	bb_buf_free(&tmp);
}

/* Converts the tag t (already consumed, st->pos past it). Returns the
 * trim_right of the last token consumed. */
static int
S_tag(S_state *st, const S_token *t, size_t prefix)
{
	const char *nm = t->name;
	size_t nl = t->name_len;
	if (S_eq(nm, nl, "raw"))
		return S_raw(st, t);
	if (S_eq(nm, nl, "comment"))
		return S_comment(st, t);
	if (S_eq(nm, nl, "#"))
		return t->trim_right;
	if (S_eq(nm, nl, "highlight")) {
		S_highlight_open(st, t);
		return t->trim_right;
	}
	if (S_eq(nm, nl, "endhighlight") && st->hl_open) {
		size_t p = t->end;
		if (t->trim_right)
			while (p < st->len && S_isspace((unsigned char)st->text[p]))
				p++;
		S_highlight_close(st, p >= st->len || st->text[p] == '\n' || st->text[p] == '\r');
		return t->trim_right;
	}
	if (S_eq(nm, nl, "post_url") || S_eq(nm, nl, "link")) {
		S_resolve(st, t, nl == 4 ? "link" : "post_url", prefix);
		return t->trim_right;
	}
	if (nl == 0)
		S_warn(st, t->start, bb_xstrdup("Liquid tag without a name removed"));
	else
		S_warn(st, t->start, bb_xasprintf("Liquid tag '%.*s' is not supported: removed, the text around it kept",
			(int)(nl > 40 ? 40 : nl), nm));
	return t->trim_right;
}

int
bb_liquid_present(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	while (p + 1 < end) {
		p = memchr(p, '{', (size_t)(end - p - 1));
		if (!p)
			return 0;
		if (p[1] == '%' || p[1] == '{')
			return 1;
		p++;
	}
	return 0;
}

char *
bb_liquid_render(const char *text, size_t len, const bb_liquid_ctx *ctx, size_t *out_len)
{
	S_state st;
	char *r;

	if (!bb_liquid_present(text, len)) {
		r = bb_xmalloc(len + 1);
		if (len)
			memcpy(r, text, len);
		r[len] = '\0';
		if (out_len)
			*out_len = len;
		return r;
	}

	memset(&st, 0, sizeof st);
	st.text = text;
	st.len = len;
	st.ctx = ctx;
	st.lc_line = 1;
	st.url_prefix = S_NOPOS;
	st.tag_from = st.tag_end = st.var_from = st.var_end = S_NOPOS;
	st.budget = len > (SIZE_MAX - 4096) / 4 ? SIZE_MAX / 2 : 2 * len + 4096;
	bb_buf_grow(&st.out, len + len / 8 + 64);
	bb_buf_put(&st.out, "", 0);	/* terminated even if nothing is written */

	while (st.pos < len) {
		const char *p = memchr(text + st.pos, '{', len - st.pos);
		size_t i, prefix;
		S_token t;
		int trim_right;
		if (!p) {
			S_lit(&st, st.pos, len);
			break;
		}
		i = (size_t)(p - text);
		if (i + 1 >= len || (text[i + 1] != '%' && text[i + 1] != '{')) {
			S_lit(&st, st.pos, i + 1);
			st.pos = i + 1;
			continue;
		}
		S_lit(&st, st.pos, i);
		if (S_scan(&st, i, &t) < 0) {
			if (!st.warned_unterminated)
				S_warn(&st, i, bb_xasprintf("unterminated Liquid '%.2s' kept as text", text + i));
			st.warned_unterminated = 1;
			S_lit(&st, i, i + 2);
			st.pos = i + 2;
			continue;
		}
		if (t.trim_left)
			S_trim_out(&st);
		prefix = st.url_prefix;
		st.url_prefix = S_NOPOS;
		st.pos = t.end;
		if (t.is_var) {
			S_variable(&st, &t, prefix);
			trim_right = t.trim_right;
		} else {
			trim_right = S_tag(&st, &t, prefix);
		}
		if (trim_right)
			while (st.pos < len && S_isspace((unsigned char)text[st.pos]))
				st.pos++;
		st.lit_start = st.out.len;
	}
	if (st.hl_open) {
		S_warn_at(&st, st.hl_line, st.hl_col, "{% highlight %} without {% endhighlight %}: closed at the end of the text");
		S_highlight_close(&st, 1);
	}
	return bb_buf_detach(&st.out, out_len);
}
