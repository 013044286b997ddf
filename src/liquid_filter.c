/* liquid_filter.c: the standard Liquid filters on text and numbers, filter arguments, the work bound, and the dispatch to every family of filters. */
#define _XOPEN_SOURCE 700
#include "liquid_impl.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define F(lit) (strcmp(nm, lit) == 0)

/* ---- filters ---- */

void
bb_lq_args_free(lq_args *a)
{
	int i;
	for (i = 0; i < a->n; i++)
		bb_lq_drop(&a->v[i]);
	for (i = 0; i < a->nkw; i++) {
		free(a->kw[i]);
		bb_lq_drop(&a->kwv[i]);
	}
	a->n = a->nkw = 0;
}

/* Argument i as text (empty when absent). */
const char *
bb_lq_astr(const lq_args *a, int i, bb_buf *b)
{
	if (i >= a->n) {
		bb_buf_reset(b);
		bb_buf_put(b, "", 0);
		return b->data;
	}
	return bb_lq_text(&a->v[i], b);
}

static const lq_val *
S_kw(const lq_args *a, const char *k)
{
	int i;
	for (i = 0; i < a->nkw; i++)
		if (strcmp(a->kw[i], k) == 0)
			return &a->kwv[i];
	return NULL;
}

/* Liquid's to_number. */
lq_val
bb_lq_tonum(const lq_val *v)
{
	bb_buf b = BB_BUF_INIT;
	long long i = 0;
	double f = 0;
	int k;
	const char *s;
	size_t n;
	if (v->t == V_NUM)
		return *v;
	if (v->t != V_STR)
		return bb_lq_int(0);
	s = v->o->s;
	n = v->o->n;
	lq_trim(&s, &n);
	/* Ruby's to_i / to_f read a leading number */
	{
		size_t k2 = 0;
		if (k2 < n && (s[k2] == '-' || s[k2] == '+'))
			k2++;
		while (k2 < n && lq_isdigit((unsigned char)s[k2]))
			k2++;
		if (k2 + 1 < n && s[k2] == '.' && lq_isdigit((unsigned char)s[k2 + 1])) {
			k2++;
			while (k2 < n && lq_isdigit((unsigned char)s[k2]))
				k2++;
		}
		n = k2;
	}
	k = bb_lq_parse_num(s, n, &i, &f);
	bb_buf_free(&b);
	return k == 2 ? bb_lq_flt(f) : k == 1 ? bb_lq_int(i) : bb_lq_int(0);
}

long long
bb_lq_toint(const lq_val *v)
{
	lq_val n = bb_lq_tonum(v);
	return n.isf ? (long long)n.f : n.i;
}

/* Counts n steps of filter work; returns -1 (once warned, output then
 * stopped) when the render has done too much. */
int
bb_lq_work_at(lq_state *st, lq_doc *d, size_t at, unsigned long n)
{
	st->work += n;
	if (st->work <= LQ_WORK_MAX)
		return 0;
	if (!st->work_warned)
		bb_lq_warn(st, d, at, bb_xstrdup("Liquid filters worked over too many items in this text: the rest of the Liquid output is dropped"));
	st->work_warned = 1;
	st->halt = 1;
	return -1;
}

int
bb_lq_work(lq_ectx *x, unsigned long n)
{
	return bb_lq_work_at(x->st, x->d, x->tk->start, n);
}

/* Escapes & < > " ' for HTML; once: an entity already written stays. */
void
bb_lq_escape(bb_buf *out, const char *s, size_t n, int once)
{
	size_t i;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c == '&' && once) {
			size_t k = i + 1;
			if (k < n && s[k] == '#')
				k++;
			while (k < n && k - i < 32 && lq_isword((unsigned char)s[k]))
				k++;
			if (k < n && s[k] == ';' && k > i + 1) {
				bb_buf_putc(out, '&');
				continue;
			}
		}
		switch (c) {
		case '&': bb_buf_puts(out, "&amp;"); break;
		case '<': bb_buf_puts(out, "&lt;"); break;
		case '>': bb_buf_puts(out, "&gt;"); break;
		case '"': bb_buf_puts(out, "&quot;"); break;
		case '\'': bb_buf_puts(out, "&#39;"); break;
		default: bb_buf_putc(out, c);
		}
	}
}

/* Removes tags, comments, scripts and styles. */
static void
S_strip_html(bb_buf *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (s[i] == '<') {
			static const char *pairs[] = { "<!--", "-->", "<script", "</script>", "<style", "</style>" };
			size_t k, e = LQ_NOPOS;
			for (k = 0; k < 6; k += 2) {
				size_t pl = strlen(pairs[k]), j;
				if (n - i >= pl) {
					for (j = 0; j < pl && lq_lower((unsigned char)s[i + j]) == pairs[k][j]; j++)
						;
					if (j == pl) {
						size_t f = bb_lq_memmem(s + i, n - i, pairs[k + 1], strlen(pairs[k + 1]));
						e = f == LQ_NOPOS ? n : i + f + strlen(pairs[k + 1]);
						break;
					}
				}
			}
			if (e == LQ_NOPOS) {
				const char *gt = memchr(s + i, '>', n - i);
				if (gt)
					e = (size_t)(gt - s) + 1;
			}
			if (e != LQ_NOPOS) {
				i = e;
				continue;
			}
		}
		bb_buf_putc(out, s[i++]);
	}
}

/* f at 15 significant digits: Liquid 5 adds, subtracts and multiplies
 * floats as decimals (0.1 + 0.2 is 0.3). */
static double
S_decimal(double f)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%.15g", f);
	return strtod(buf, NULL);
}

static lq_val
S_round_to(double f, int digits, int mode)
{
	double scale = 1, r;
	long long k;
	int i;
	for (i = 0; i < digits && i < 15; i++)
		scale *= 10;
	f *= scale;
	if (f > 9e18 || f < -9e18)
		return bb_lq_flt(f / scale);
	k = (long long)f;
	if (mode == 0)          /* round half away from zero */
		k = f >= 0 ? (long long)(f + 0.5) : -(long long)(-f + 0.5);
	else if (mode == 1)     /* ceil */
		k = ((double)k < f) ? k + 1 : k;
	else                    /* floor */
		k = ((double)k > f) ? k - 1 : k;
	if (digits <= 0)
		return bb_lq_int(k);
	r = (double)k / scale;
	return bb_lq_flt(r);
}

/* Keeps a family's result in f when it knew the filter; frees the rest.
 * Returns whether it knew it. */
int
bb_lq_fx_end(lq_fx *f, int known, bb_buf *o, bb_buf *t2, bb_buf *t3, lq_val r, int have)
{
	bb_buf_free(t2);
	bb_buf_free(t3);
	if (!known) {
		bb_buf_free(o);
		bb_lq_drop(&r);
		return 0;
	}
	f->o = *o;
	f->r = r;
	f->have = have;
	return 1;
}

/* Text to text: append, prepend, case, remove and replace, strip, escapes, URL coding. */
static int
S_filter_string(lq_fx *f)
{
	LQ_FX_BEGIN(f);
	if (F("append")) {
		bb_buf_put(&o, s, n);
		bb_buf_puts(&o, bb_lq_astr(a, 0, &t2));
	} else if (F("prepend")) {
		bb_buf_puts(&o, bb_lq_astr(a, 0, &t2));
		bb_buf_put(&o, s, n);
	} else if (F("upcase") || F("downcase")) {
		int up = nm[0] == 'u';
		for (i = 0; i < n; i++)
			bb_buf_putc(&o, up ? lq_upper((unsigned char)s[i]) : lq_lower((unsigned char)s[i]));
	} else if (F("capitalize")) {
		for (i = 0; i < n; i++)
			bb_buf_putc(&o, i == 0 ? lq_upper((unsigned char)s[i]) : lq_lower((unsigned char)s[i]));
	} else if (F("remove") || F("remove_first") || F("remove_last") || F("replace") || F("replace_first") || F("replace_last")) {
		const char *pat = bb_lq_astr(a, 0, &t2), *rep = nm[2] == 'p' ? bb_lq_astr(a, 1, &t3) : "";
		size_t pl = strlen(pat), from = 0, k;
		int first = strstr(nm, "_first") != NULL, last = strstr(nm, "_last") != NULL;
		if (last) {
			size_t at = LQ_NOPOS, f2 = 0;
			while (pl && f2 <= n && (k = bb_lq_memmem(s + f2, n - f2, pat, pl)) != LQ_NOPOS) {
				at = f2 + k;
				f2 = at + 1;
			}
			if (at == LQ_NOPOS || !pl) {
				bb_buf_put(&o, s, n);
			} else {
				bb_buf_put(&o, s, at);
				bb_buf_puts(&o, rep);
				bb_buf_put(&o, s + at + pl, n - at - pl);
			}
		} else {
			while (from <= n) {
				k = pl ? bb_lq_memmem(s + from, n - from, pat, pl) : LQ_NOPOS;
				if (k == LQ_NOPOS) {
					bb_buf_put(&o, s + from, n - from);
					break;
				}
				bb_buf_put(&o, s + from, k);
				bb_buf_puts(&o, rep);
				from += k + pl;
				if (first) {
					bb_buf_put(&o, s + from, n - from);
					break;
				}
				if (o.len > st->budget)
					break;
			}
		}
	} else if (F("strip") || F("lstrip") || F("rstrip")) {
		const char *p = s;
		size_t m = n;
		if (nm[0] != 'r')
			while (m > 0 && lq_isspace((unsigned char)*p))
				p++, m--;
		if (nm[0] != 'l')
			while (m > 0 && lq_isspace((unsigned char)p[m - 1]))
				m--;
		bb_buf_put(&o, p, m);
	} else if (F("strip_html")) {
		S_strip_html(&o, s, n);
	} else if (F("strip_newlines")) {
		for (i = 0; i < n; i++)
			if (s[i] != '\n' && s[i] != '\r')
				bb_buf_putc(&o, s[i]);
	} else if (F("newline_to_br")) {
		for (i = 0; i < n; i++) {
			if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
				continue;
			if (s[i] == '\n')
				bb_buf_puts(&o, "<br />\n");
			else
				bb_buf_putc(&o, s[i]);
		}
	} else if (F("escape") || F("h")) {
		if (in->t == V_NIL)
			have = 0, r = LQ_NIL;
		else
			bb_lq_escape(&o, s, n, 0);
	} else if (F("xml_escape")) {
		/* Ruby's encode(xml: :attr) */
		for (i = 0; i < n; i++) {
			if (s[i] == '\'')
				bb_buf_puts(&o, "&apos;");
			else
				bb_lq_escape(&o, s + i, 1, 0);
		}
	} else if (F("escape_once")) {
		bb_lq_escape(&o, s, n, 1);
	} else if (F("url_encode") || F("cgi_escape")) {
		bb_lq_percent(&o, s, n, F("cgi_escape") ? "*" : "*", 1);
	} else if (F("uri_escape")) {
		bb_lq_percent(&o, s, n, "!#$&'()*+,/:;=?@[]%", 0);
	} else if (F("url_decode")) {
		for (i = 0; i < n; i++) {
			if (s[i] == '+')
				bb_buf_putc(&o, ' ');
			else if (s[i] == '%' && i + 2 < n && bb_lq_hex((unsigned char)s[i + 1]) >= 0 && bb_lq_hex((unsigned char)s[i + 2]) >= 0) {
				bb_buf_putc(&o, bb_lq_hex((unsigned char)s[i + 1]) * 16 + bb_lq_hex((unsigned char)s[i + 2]));
				i += 2;
			} else
				bb_buf_putc(&o, s[i]);
		}
	} else {
		known = 0;
	}
	return bb_lq_fx_end(f, known, &o, &t2, &t3, r, have);
}

/* split, join, first, last, size, slice, truncate. */
static int
S_filter_slice(lq_fx *f)
{
	LQ_FX_BEGIN(f);
	if (F("split")) {
		const char *sep = bb_lq_astr(a, 0, &t2);
		size_t sl = strlen(sep), from = 0, k;
		have = 0;
		r = bb_lq_arr_new();
		if (sl == 0) {
			for (i = 0; i < n && r.o->n < LQ_ARRAY_MAX;) {
				unsigned cp;
				int w = bb_utf8_decode((const unsigned char *)s + i, n - i, &cp);
				if (w <= 0)
					w = 1;
				bb_lq_push(&r, bb_lq_strn(s + i, (size_t)w));
				i += (size_t)w;
			}
		} else if (sl == 1 && sep[0] == ' ') {
			/* Ruby's split(" "): runs of white space, none at the ends */
			i = 0;
			while (i < n && r.o->n < LQ_ARRAY_MAX) {
				while (i < n && lq_isspace((unsigned char)s[i]))
					i++;
				k = i;
				while (k < n && !lq_isspace((unsigned char)s[k]))
					k++;
				if (k > i)
					bb_lq_push(&r, bb_lq_strn(s + i, k - i));
				i = k;
			}
		} else {
			while (r.o->n < LQ_ARRAY_MAX) {
				k = bb_lq_memmem(s + from, n - from, sep, sl);
				if (k == LQ_NOPOS) {
					bb_lq_push(&r, bb_lq_strn(s + from, n - from));
					break;
				}
				bb_lq_push(&r, bb_lq_strn(s + from, k));
				from += k + sl;
			}
			/* trailing empty strings go, as in Ruby */
			while (r.o->n > 0 && r.o->v[r.o->n - 1].o->n == 0)
				bb_lq_drop(&r.o->v[--r.o->n]);
		}
	} else if (F("join")) {
		const char *sep = a->n ? bb_lq_astr(a, 0, &t2) : " ";
		if (bb_lq_is_list(in)) {
			size_t len = bb_lq_len(in);
			for (i = 0; i < len && o.len <= st->budget; i++) {
				lq_val v = bb_lq_at(in, i);
				if (i)
					bb_buf_puts(&o, sep);
				bb_lq_tostr(&v, &o, 0);
				bb_lq_drop(&v);
			}
		} else {
			bb_buf_put(&o, s, n);
		}
	} else if (F("first") || F("last")) {
		have = 0;
		if (bb_lq_is_list(in)) {
			size_t len = bb_lq_len(in);
			if (len)
				r = bb_lq_at(in, nm[0] == 'f' ? 0 : len - 1);
		}
		/* a string has no first or last in Liquid 5: nil */
	} else if (F("size")) {
		have = 0;
		if (in->t == V_STR)
			r = bb_lq_int((long long)bb_lq_chars(s, n));
		else
			r = bb_lq_int((long long)bb_lq_len(in));
	} else if (F("slice")) {
		long long off = a->n ? bb_lq_toint(&a->v[0]) : 0, cnt = a->n > 1 ? bb_lq_toint(&a->v[1]) : 1;
		if (bb_lq_is_list(in)) {
			long long len = (long long)bb_lq_len(in), k;
			have = 0;
			r = bb_lq_arr_new();
			if (off < 0)
				off += len;
			for (k = off; k >= 0 && k < len && k < off + cnt && r.o->n < LQ_ARRAY_MAX; k++)
				bb_lq_push(&r, bb_lq_at(in, (size_t)k));
		} else {
			long long len = (long long)bb_lq_chars(s, n);
			if (off < 0)
				off += len;
			if (off >= 0 && off < len && cnt > 0) {
				long long e = off + cnt > len ? len : off + cnt;
				size_t b0 = bb_lq_char_off(s, n, (size_t)off), b1 = bb_lq_char_off(s, n, (size_t)e);
				bb_buf_put(&o, s + b0, b1 - b0);
			}
		}
	} else if (F("truncate")) {
		long long len = a->n ? bb_lq_toint(&a->v[0]) : 50;
		const char *ell = a->n > 1 ? bb_lq_astr(a, 1, &t2) : "...";
		long long el = (long long)bb_lq_chars(ell, strlen(ell)), keep = len - el;
		if (in->t == V_NIL) {
			have = 0;
		} else if ((long long)bb_lq_chars(s, n) <= len) {
			bb_buf_put(&o, s, n);
		} else {
			if (keep < 0)
				keep = 0;
			bb_buf_put(&o, s, bb_lq_char_off(s, n, (size_t)keep));
			bb_buf_puts(&o, ell);
		}
	} else {
		known = 0;
	}
	return bb_lq_fx_end(f, known, &o, &t2, &t3, r, have);
}

/* truncatewords, arithmetic, rounding, abs, default. */
static int
S_filter_number(lq_fx *f)
{
	LQ_FX_BEGIN(f);
	if (F("truncatewords")) {
		long long words = a->n ? bb_lq_toint(&a->v[0]) : 15, w = 0;
		const char *ell = a->n > 1 ? bb_lq_astr(a, 1, &t2) : "...";
		size_t k = 0, last = 0;
		if (words < 1)
			words = 1;
		while (k < n) {
			while (k < n && lq_isspace((unsigned char)s[k]))
				k++;
			if (k >= n)
				break;
			if (w == words)
				break;
			while (k < n && !lq_isspace((unsigned char)s[k]))
				k++;
			last = k;
			w++;
		}
		if (k >= n) {
			bb_buf_put(&o, s, n);
		} else {
			/* Ruby joins the kept words with single spaces */
			size_t q = 0;
			int firstw = 1;
			while (q < last) {
				size_t b0;
				while (q < last && lq_isspace((unsigned char)s[q]))
					q++;
				b0 = q;
				while (q < last && !lq_isspace((unsigned char)s[q]))
					q++;
				if (q > b0) {
					if (!firstw)
						bb_buf_putc(&o, ' ');
					bb_buf_put(&o, s + b0, q - b0);
					firstw = 0;
				}
			}
			bb_buf_puts(&o, ell);
		}
	} else if (F("plus") || F("minus") || F("times") || F("divided_by") || F("modulo") || F("at_least") || F("at_most")) {
		lq_val p = bb_lq_tonum(in), q = a->n ? bb_lq_tonum(&a->v[0]) : bb_lq_int(0);
		have = 0;
		if (!p.isf && !q.isf) {
			long long u = p.i, v = q.i;
			if (F("plus"))
				r = bb_lq_int((long long)((unsigned long long)u + (unsigned long long)v));
			else if (F("minus"))
				r = bb_lq_int((long long)((unsigned long long)u - (unsigned long long)v));
			else if (F("times"))
				r = bb_lq_int((long long)((unsigned long long)u * (unsigned long long)v));
			else if (F("at_least"))
				r = bb_lq_int(u > v ? u : v);
			else if (F("at_most"))
				r = bb_lq_int(u < v ? u : v);
			else if (v == 0 || (u == LLONG_MIN && v == -1)) {
				bb_lq_warn(st, x->d, x->tk->start, bb_xasprintf("Liquid filter %s: divided by 0; the value is kept", nm));
				r = bb_lq_ref(in);
			} else {
				long long qq = u / v, m = u % v;
				if (m != 0 && ((m < 0) != (v < 0)))
					qq--, m += v;
				r = bb_lq_int(F("modulo") ? m : qq);
			}
		} else {
			double u = bb_lq_fnum(&p), v = bb_lq_fnum(&q);
			if (F("plus"))
				r = bb_lq_flt(S_decimal(u + v));
			else if (F("minus"))
				r = bb_lq_flt(S_decimal(u - v));
			else if (F("times"))
				r = bb_lq_flt(S_decimal(u * v));
			else if (F("at_least"))
				r = u > v ? p : q;
			else if (F("at_most"))
				r = u < v ? p : q;
			else if (v == 0) {
				bb_lq_warn(st, x->d, x->tk->start, bb_xasprintf("Liquid filter %s: divided by 0; the value is kept", nm));
				r = bb_lq_ref(in);
			} else if (F("divided_by")) {
				r = bb_lq_flt(u / v);
			} else {
				double qq = u / v;
				lq_val fl = S_round_to(qq, 0, 2);
				r = bb_lq_flt(u - v * bb_lq_fnum(&fl));
			}
		}
	} else if (F("round") || F("ceil") || F("floor")) {
		lq_val p = bb_lq_tonum(in);
		int digits = a->n ? (int)bb_lq_toint(&a->v[0]) : 0;
		have = 0;
		if (!p.isf)
			r = p;
		else
			r = S_round_to(p.f, F("round") ? digits : 0, F("round") ? 0 : F("ceil") ? 1 : 2);
	} else if (F("abs")) {
		lq_val p = bb_lq_tonum(in);
		have = 0;
		r = p.isf ? bb_lq_flt(p.f < 0 ? -p.f : p.f) : bb_lq_int(p.i < 0 ? -p.i : p.i);
	} else if (F("default")) {
		const lq_val *af = S_kw(a, "allow_false");
		int use = in->t == V_NIL || (in->t == V_BOOL && !in->i && !(af && bb_lq_truthy(af))) || bb_lq_is_empty(in);
		have = 0;
		r = use ? (a->n ? bb_lq_ref(&a->v[0]) : LQ_NIL) : bb_lq_ref(in);
	} else {
		known = 0;
	}
	return bb_lq_fx_end(f, known, &o, &t2, &t3, r, have);
}

/* Applies the filter name to *in with args a. Returns 0, or -1 when the
 * filter is not known (then *in is unchanged). */
int
bb_lq_filter(lq_ectx *x, const char *name, size_t nl, lq_val *in, lq_args *a)
{
	bb_buf t = BB_BUF_INIT;
	char nm[40];
	lq_fx f;
	int known;

	if (nl >= sizeof nm)
		return -1;
	memcpy(nm, name, nl);
	nm[nl] = '\0';
	if (bb_lq_work(x, bb_lq_weight(in)) < 0)
		return 0;
	bb_lq_text(in, &t);
	memset(&f, 0, sizeof f);
	f.x = x;
	f.nm = nm;
	f.s = t.data;
	f.n = t.len;
	f.in = in;
	f.a = a;
	known = S_filter_string(&f) || S_filter_slice(&f) || S_filter_number(&f) || bb_lq_filter_jekyll(&f) ||
		bb_lq_filter_items(&f) || bb_lq_filter_select(&f);
	if (known) {
		bb_lq_drop(in);
		*in = f.have ? bb_lq_str_buf(&f.o) : f.r;
		bb_buf_free(&f.o);
	}
	bb_buf_free(&t);
	return known ? 0 : -1;
}

#undef F
