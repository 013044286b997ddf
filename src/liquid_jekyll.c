/* liquid_jekyll.c: Jekyll's filters (dates, URLs, slugify, smartify, array_to_sentence_string, jsonify...) and the date and URL work behind them. */
#define _XOPEN_SOURCE 700
#include "liquid_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define F(lit) (strcmp(nm, lit) == 0)

/* ---- dates ---- */

static int
S_num2(const char *s, size_t n, size_t *i, int digits, int *out)
{
	int k, x = 0;
	for (k = 0; k < digits && *i < n && lq_isdigit((unsigned char)s[*i]); k++)
		x = x * 10 + (s[(*i)++] - '0');
	*out = x;
	return k;
}

static void
S_fill_tm(struct tm *tm, int y, int m, int d, int hh, int mm, int ss)
{
	static const int cum[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
	static const int sak[12] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0, yy;
	memset(tm, 0, sizeof *tm);
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_hour = hh;
	tm->tm_min = mm;
	tm->tm_sec = ss;
	tm->tm_yday = cum[m - 1] + d - 1 + (leap && m > 2);
	yy = m < 3 ? y - 1 : y;
	tm->tm_wday = (yy + yy / 4 - yy / 100 + yy / 400 + sak[m - 1] + d) % 7;
}

/* Reads "YYYY-MM-DD[( |T)HH:MM[:SS[.frac]]][ ][Z|+HHMM|+HH:MM]" into tm
 * and the zone offset in minutes. Returns 0 or -1. */
static int
S_parse_date(const char *s, size_t n, struct tm *tm, int *zone, int *zone_set)
{
	size_t i = 0;
	int y, m, d, hh = 0, mm = 0, ss = 0;
	lq_trim(&s, &n);
	*zone = 0;
	*zone_set = 0;
	if (S_num2(s, n, &i, 4, &y) != 4 || i >= n || (s[i] != '-' && s[i] != '/') || (i++, 0) ||
	    S_num2(s, n, &i, 2, &m) < 1 || i >= n || (s[i] != '-' && s[i] != '/') || (i++, 0) ||
	    S_num2(s, n, &i, 2, &d) < 1)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	if (i + 1 < n && (s[i] == ' ' || s[i] == 'T') && lq_isdigit((unsigned char)s[i + 1])) {
		i++;
		if (S_num2(s, n, &i, 2, &hh) < 1 || i >= n || s[i++] != ':' ||
		    S_num2(s, n, &i, 2, &mm) < 1)
			return -1;
		if (i < n && s[i] == ':') {
			i++;
			if (S_num2(s, n, &i, 2, &ss) < 1)
				return -1;
			while (i < n && (s[i] == '.' || lq_isdigit((unsigned char)s[i])))
				i++;
		}
		while (i < n && s[i] == ' ')
			i++;
		if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
			*zone_set = 1;
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			int sign = s[i++] == '-' ? -1 : 1, zh, zm = 0;
			if (S_num2(s, n, &i, 2, &zh) != 2)
				return -1;
			if (i < n && s[i] == ':')
				i++;
			S_num2(s, n, &i, 2, &zm);
			*zone = sign * (zh * 60 + zm);
			*zone_set = 1;
		} else if (i + 2 < n && memcmp(s + i, "UTC", 3) == 0) {
			*zone_set = 1;
			i += 3;
		}
	}
	if (i != n || hh > 23 || mm > 59 || ss > 60)
		return -1;
	S_fill_tm(tm, y, m, d, hh, mm, ss);
	return 0;
}

/* A value as a date: a date text, a Unix time, "now" or "today". */
static int
S_to_date(const lq_val *v, struct tm *tm, int *zone, int *zone_set)
{
	bb_buf b = BB_BUF_INIT;
	int r = -1;
	time_t t;
	*zone = 0;
	*zone_set = 0;
	if (v->t == V_NUM || v->t == V_STR) {
		long long secs = 0;
		double f;
		int k = 0;
		bb_lq_text(v, &b);
		if (v->t == V_NUM)
			k = v->isf ? 2 : 1, secs = v->isf ? (long long)v->f : v->i;
		else if (strcmp(b.data, "now") == 0 || strcmp(b.data, "today") == 0)
			k = 1, secs = (long long)time(NULL);
		else
			k = bb_lq_parse_num(b.data, b.len, &secs, &f) ? 3 : 0;
		if (k == 3)
			k = 0;
		if (k) {
			t = (time_t)secs;
			if (gmtime_r(&t, tm)) {
				*zone_set = 1;
				r = 0;
			}
		} else {
			r = S_parse_date(b.data, b.len, tm, zone, zone_set);
		}
	}
	bb_buf_free(&b);
	return r;
}

/* strftime with Ruby's extras that glibc lacks: %N (fraction), %:z. */
static void
S_strftime(bb_buf *out, const char *fmt, const struct tm *tm, int zone)
{
	bb_buf f = BB_BUF_INIT;
	char buf[1024];
	size_t i, n;
	for (i = 0; fmt[i]; i++) {
		if (fmt[i] == '%' && fmt[i + 1] == 'z') {
			int a = zone < 0 ? -zone : zone;
			bb_buf_printf(&f, "%c%02d%02d", zone < 0 ? '-' : '+', a / 60, a % 60);
			i++;
		} else if (fmt[i] == '%' && fmt[i + 1] == ':' && fmt[i + 2] == 'z') {
			int a = zone < 0 ? -zone : zone;
			bb_buf_printf(&f, "%c%02d:%02d", zone < 0 ? '-' : '+', a / 60, a % 60);
			i += 2;
		} else if (fmt[i] == '%' && fmt[i + 1] == 'Z') {
			bb_buf_puts(&f, zone ? "" : "UTC");
			i++;
		} else if (fmt[i] == '%' && fmt[i + 1] == '%') {
			bb_buf_puts(&f, "%%");
			i++;
		} else {
			bb_buf_putc(&f, fmt[i]);
		}
	}
	bb_buf_put(&f, "", 0);
	n = f.len ? strftime(buf, sizeof buf, f.data, tm) : 0;
	bb_buf_put(out, buf, n);
	bb_buf_free(&f);
}

static const char *S_month[12] = { "January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December" };

/* Jekyll's date_to_string / date_to_long_string with "ordinal" and "US". */
static void
S_jekyll_date(bb_buf *out, const struct tm *tm, int lng, const char *type, const char *style)
{
	char mon[16];
	if (lng)
		snprintf(mon, sizeof mon, "%s", S_month[tm->tm_mon]);
	else
		snprintf(mon, sizeof mon, "%.3s", S_month[tm->tm_mon]);
	if (type && strcmp(type, "ordinal") == 0) {
		int d = tm->tm_mday;
		const char *suf = (d % 100 >= 11 && d % 100 <= 13) ? "th" : d % 10 == 1 ? "st" : d % 10 == 2 ? "nd" : d % 10 == 3 ? "rd" : "th";
		if (style && strcmp(style, "US") == 0)
			bb_buf_printf(out, "%s %d%s, %d", mon, d, suf, tm->tm_year + 1900);
		else
			bb_buf_printf(out, "%d%s %s %d", d, suf, mon, tm->tm_year + 1900);
	} else if (style && strcmp(style, "US") == 0) {
		bb_buf_printf(out, "%s %d, %d", mon, tm->tm_mday, tm->tm_year + 1900);
	} else {
		bb_buf_printf(out, "%02d %s %d", tm->tm_mday, mon, tm->tm_year + 1900);
	}
}

/* ---- URLs ---- */

static int
S_is_absolute(const char *s, size_t n)
{
	size_t i;
	if (n >= 2 && s[0] == '/' && s[1] == '/')
		return 1;
	if (n == 0 || !lq_isalpha((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++) {
		char c = s[i];
		if (c == ':')
			return 1;
		if (!lq_isword((unsigned char)c) && c != '+' && c != '.' && c != '-')
			return 0;
	}
	return 0;
}

/* The caller's site.X as text, or NULL. */
static const char *
S_site_str(lq_state *st, const char *key, bb_buf *tmp)
{
	const char *s = NULL;
	char name[64];
	if (st->env && st->env->site) {
		const bb_fm_node *n = bb_fm_get(st->env->site, key);
		n = bb_lq_deref(n);
		if (n && n->kind == BB_FM_SCALAR && n->value) {
			bb_buf_reset(tmp);
			bb_buf_puts(tmp, n->value);
			return tmp->data;
		}
	}
	snprintf(name, sizeof name, "site.%s", key);
	if (st->ctx && st->ctx->lookup)
		s = st->ctx->lookup(st->ctx->ud, name);
	if (s) {
		bb_buf_reset(tmp);
		bb_buf_puts(tmp, s);
		return tmp->data;
	}
	return NULL;
}

static void
S_relative_url(lq_state *st, const char *in, size_t n, bb_buf *out)
{
	bb_buf tmp = BB_BUF_INIT;
	const char *base;
	size_t bl;
	if (S_is_absolute(in, n)) {
		bb_buf_put(out, in, n);
		return;
	}
	base = S_site_str(st, "baseurl", &tmp);
	bl = base ? strlen(base) : 0;
	while (bl > 0 && base[bl - 1] == '/')
		bl--;
	if (bl > 0 && base[0] != '/')
		bb_buf_putc(out, '/');
	bb_buf_put(out, base, bl);
	if (n > 0 && in[0] != '/')
		bb_buf_putc(out, '/');
	bb_buf_put(out, in, n);
	bb_buf_free(&tmp);
}

static void
S_absolute_url(lq_state *st, const char *in, size_t n, bb_buf *out)
{
	bb_buf tmp = BB_BUF_INIT, rel = BB_BUF_INIT;
	const char *url;
	size_t ul;
	if (S_is_absolute(in, n)) {
		bb_buf_put(out, in, n);
		return;
	}
	S_relative_url(st, in, n, &rel);
	url = S_site_str(st, "url", &tmp);
	ul = url ? strlen(url) : 0;
	while (ul > 0 && url[ul - 1] == '/')
		ul--;
	bb_buf_put(out, url, ul);
	if (ul > 0 && rel.len > 0 && rel.data[0] != '/')
		bb_buf_putc(out, '/');
	bb_buf_put(out, rel.data, rel.len);
	bb_buf_free(&tmp);
	bb_buf_free(&rel);
}

/* Percent-encodes every byte but the unreserved ones (and keep). */
void
bb_lq_percent(bb_buf *out, const char *s, size_t n, const char *keep, int plus)
{
	size_t i;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (lq_isword(c) || c == '-' || c == '.' || c == '~' || (keep && c && strchr(keep, c)))
			bb_buf_putc(out, c);
		else if (plus && c == ' ')
			bb_buf_putc(out, '+');
		else
			bb_buf_printf(out, "%%%02X", c);
	}
}

int
bb_lq_hex(int c)
{
	if (lq_isdigit(c))
		return c - '0';
	c = lq_lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* ---- Jekyll's filters ---- */

/* Jekyll's slugify, "default" mode: runs of characters other than letters
 * and digits (any non-ASCII letter counts) become one hyphen. */
static void
S_slugify(bb_buf *out, const char *s, size_t n, const char *mode)
{
	size_t i, start = out->len;
	int dash = 0, raw = mode && strcmp(mode, "raw") == 0, none = mode && strcmp(mode, "none") == 0;
	int pretty = mode && strcmp(mode, "pretty") == 0;
	if (none) {
		bb_buf_put(out, s, n);
		return;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int keep = lq_isalpha(c) || lq_isdigit(c) || c >= 0x80 ||
			(pretty && c && strchr("._~!$&'()+,;=@", c)) || (!raw && !pretty && c == '_' && 0);
		if (raw)
			keep = !lq_isspace(c);
		if (keep) {
			if (dash && out->len > start)
				bb_buf_putc(out, '-');
			dash = 0;
			bb_buf_putc(out, lq_lower(c));
		} else {
			dash = 1;
		}
	}
}

/* "a, b, and c" */
static void
S_sentence(lq_state *st, const lq_val *arr, const char *conn, bb_buf *out)
{
	size_t i, n = bb_lq_len(arr);
	bb_buf t = BB_BUF_INIT;
	(void)st;
	for (i = 0; i < n; i++) {
		lq_val x = bb_lq_at(arr, i);
		if (i > 0) {
			if (n == 2)
				bb_buf_printf(out, " %s ", conn);
			else if (i == n - 1)
				bb_buf_printf(out, ", %s ", conn);
			else
				bb_buf_puts(out, ", ");
		}
		bb_buf_puts(out, bb_lq_text(&x, &t));
		bb_lq_drop(&x);
	}
	bb_buf_free(&t);
}

/* SmartyPants conversions, as Jekyll's smartify makes them. */
static void
S_smartify(bb_buf *out, const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		char c = s[i];
		int prev_space = i == 0 || lq_isspace((unsigned char)s[i - 1]) || strchr("([{", s[i - 1]);
		if (c == '-' && i + 2 < n && s[i + 1] == '-' && s[i + 2] == '-')
			bb_buf_puts(out, "\xE2\x80\x94"), i += 2;
		else if (c == '-' && i + 1 < n && s[i + 1] == '-')
			bb_buf_puts(out, "\xE2\x80\x93"), i++;
		else if (c == '.' && i + 2 < n && s[i + 1] == '.' && s[i + 2] == '.')
			bb_buf_puts(out, "\xE2\x80\xA6"), i += 2;
		else if (c == '"')
			bb_buf_puts(out, prev_space ? "\xE2\x80\x9C" : "\xE2\x80\x9D");
		else if (c == '\'')
			bb_buf_puts(out, prev_space ? "\xE2\x80\x98" : "\xE2\x80\x99");
		else
			bb_buf_putc(out, c);
	}
}

/* Jekyll's filters (dates, URLs, markdownify, slugify, jsonify, words, smartify) and sort. */
int
bb_lq_filter_jekyll(lq_fx *f)
{
	LQ_FX_BEGIN(f);
	if (F("date") || F("date_to_string") || F("date_to_long_string") || F("date_to_xmlschema") || F("date_to_rfc822")) {
		struct tm tm;
		int zone, zs;
		if (S_to_date(in, &tm, &zone, &zs) < 0 || (F("date") && (!a->n || !*bb_lq_astr(a, 0, &t2)))) {
			have = 0;
			r = bb_lq_ref(in);
		} else if (F("date")) {
			S_strftime(&o, bb_lq_astr(a, 0, &t2), &tm, zone);
		} else if (F("date_to_xmlschema")) {
			S_strftime(&o, "%Y-%m-%dT%H:%M:%S%:z", &tm, zone);
		} else if (F("date_to_rfc822")) {
			S_strftime(&o, "%a, %d %b %Y %H:%M:%S %z", &tm, zone);
		} else {
			S_jekyll_date(&o, &tm, F("date_to_long_string"), a->n ? bb_lq_astr(a, 0, &t2) : NULL, a->n > 1 ? bb_lq_astr(a, 1, &t3) : NULL);
		}
	} else if (F("relative_url")) {
		S_relative_url(st, s, n, &o);
	} else if (F("absolute_url")) {
		S_absolute_url(st, s, n, &o);
	} else if (F("markdownify")) {
		/* the text is Markdown already and becomes part of the post's */
		bb_buf_put(&o, s, n);
	} else if (F("slugify")) {
		S_slugify(&o, s, n, a->n ? bb_lq_astr(a, 0, &t2) : NULL);
	} else if (F("jsonify")) {
		bb_lq_json(in, &o, 0, 1);
	} else if (F("inspect")) {
		bb_lq_json(in, &t2, 0, 0);
		bb_lq_escape(&o, t2.data, t2.len, 0);
	} else if (F("number_of_words")) {
		long long w = 0;
		int inw = 0, cjk = a->n && strcmp(bb_lq_astr(a, 0, &t2), "cjk") == 0;
		for (i = 0; i < n;) {
			unsigned cp = 0;
			int wl = bb_utf8_decode((const unsigned char *)s + i, n - i, &cp);
			if (wl <= 0)
				wl = 1, cp = (unsigned char)s[i];
			if (cjk && bb_is_cjk(cp)) {
				w++;
				inw = 0;
			} else if (cp < 0x80 && lq_isspace((int)cp)) {
				inw = 0;
			} else if (!inw) {
				w++;
				inw = 1;
			}
			i += (size_t)wl;
		}
		have = 0;
		r = bb_lq_int(w);
	} else if (F("array_to_sentence_string")) {
		lq_val arr = bb_lq_as_array(x, in);
		S_sentence(st, &arr, a->n ? bb_lq_astr(a, 0, &t2) : "and", &o);
		bb_lq_drop(&arr);
	} else if (F("normalize_whitespace")) {
		int sp = 0;
		for (i = 0; i < n; i++) {
			if (lq_isspace((unsigned char)s[i])) {
				sp = 1;
				continue;
			}
			if (sp && o.len)
				bb_buf_putc(&o, ' ');
			sp = 0;
			bb_buf_putc(&o, s[i]);
		}
	} else if (F("smartify")) {
		S_smartify(&o, s, n);
	} else if (F("sort") || F("sort_natural")) {
		lq_sortctx c;
		lq_val arr = bb_lq_as_array(x, in);
		lq_val *tmp = bb_xmalloc((arr.o->n + 1) * sizeof *tmp);
		c.st = st;
		c.key = a->n ? bb_lq_astr(a, 0, &t2) : NULL;
		c.natural = F("sort_natural");
		c.nils_last = a->n > 1 && strcmp(bb_lq_astr(a, 1, &t3), "last") == 0;
		bb_lq_msort(&c, arr.o->v, tmp, arr.o->n);
		free(tmp);
		bb_lq_work(x, 0);
		have = 0;
		r = arr;
	} else {
		known = 0;
	}
	return bb_lq_fx_end(f, known, &o, &t2, &t3, r, have);
}

#undef F
