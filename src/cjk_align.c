/* cjk_align.c: matches a block's inline nodes with the raw source cmark-gfm keeps, to find which `*` and `_` are delimiter runs and where each emphasis delimiter stood. */
#include "cjk_int.h"


static void
S_skip_blank(cjk_state *st)
{
	while (st->c < st->len && (st->raw[st->c] == ' ' || st->raw[st->c] == '\t'))
		st->c++;
}

static int
S_skip_newline(cjk_state *st)
{
	size_t c = st->c;

	if (c < st->len && st->raw[c] == '\r')
		c++;
	if (c < st->len && st->raw[c] == '\n')
		c++;
	if (c == st->c)
		return 0;
	st->c = c;
	return 1;
}

int
bb_cjk_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static size_t
S_skip_ws(const unsigned char *s, size_t len, size_t p)
{
	while (p < len && bb_cjk_isspace(s[p]))
		p++;
	return p;
}

/* A link label starting at s[p] == '['; returns the offset after its ']'
 * or 0. */
static size_t
S_scan_label(const unsigned char *s, size_t len, size_t p)
{
	size_t q = p + 1;

	while (q < len && q - p <= 1001) {
		if (s[q] == '\\' && q + 1 < len && bb_cjk_ascii_punct(s[q + 1]))
			q += 2;
		else if (s[q] == '[')
			return 0;
		else if (s[q] == ']')
			return q + 1;
		else
			q++;
	}
	return 0;
}

static size_t
S_scan_title(const unsigned char *s, size_t len, size_t p)
{
	unsigned char close = s[p] == '(' ? ')' : s[p];
	size_t q = p + 1;

	while (q < len) {
		if (s[q] == '\\' && q + 1 < len && bb_cjk_ascii_punct(s[q + 1]))
			q += 2;
		else if (s[q] == close)
			return q + 1;
		else if (close == ')' && s[q] == '(')
			return 0;
		else
			q++;
	}
	return 0;
}

/* An inline link's "(destination "title")" at s[p] == '('; returns the
 * offset after ')' or 0. Follows cmark-gfm 0.29's scanner. */
static size_t
S_scan_inline_tail(const unsigned char *s, size_t len, size_t p)
{
	size_t q = S_skip_ws(s, len, p + 1), e;
	int depth = 0;

	if (q < len && s[q] == '<') {
		q++;
		while (q < len && s[q] != '>') {
			if (s[q] == '\\' && q + 1 < len)
				q += 2;
			else if (s[q] == '\n' || s[q] == '<')
				return 0;
			else
				q++;
		}
		if (q >= len)
			return 0;
		q++;
	} else {
		while (q < len) {
			if (s[q] == '\\' && q + 1 < len && bb_cjk_ascii_punct(s[q + 1])) {
				q += 2;
			} else if (s[q] == '(') {
				if (++depth > 32)
					return 0;
				q++;
			} else if (s[q] == ')') {
				if (depth == 0)
					break;
				depth--;
				q++;
			} else if (bb_cjk_isspace(s[q])) {
				break;
			} else {
				q++;
			}
		}
		if (q >= len)
			return 0;
	}
	e = q;
	q = S_skip_ws(s, len, q);
	if (q > e && q < len && (s[q] == '"' || s[q] == '\'' || s[q] == '(')) {
		size_t t = S_scan_title(s, len, q);
		if (t)
			q = S_skip_ws(s, len, t);
	}
	return q < len && s[q] == ')' ? q + 1 : 0;
}

static void
S_skip_link_tail(cjk_state *st)
{
	size_t e;

	if (st->c < st->len && st->raw[st->c] == '(' &&
	    (e = S_scan_inline_tail(st->raw, st->len, st->c)))
		st->c = e;
	else if (st->c < st->len && st->raw[st->c] == '[' &&
	         (e = S_scan_label(st->raw, st->len, st->c)))
		st->c = e;
}

static void
S_put_decoded(bb_buf *b, const unsigned char *s, size_t n, int *rewritten)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (bb_cjk_special(s[i])) {
			bb_buf_put_utf8(b, CJK_SENT + s[i]);
			*rewritten = 1;
		} else {
			bb_buf_putc(b, s[i]);
		}
	}
}

/* Whether the raw source at st->c holds an entity that cmark decoded into
 * the start of lit; sets how many raw bytes it used and literal bytes it
 * made. */
static int
S_entity(cjk_state *st, const unsigned char *lit, size_t n, size_t *used, size_t *got)
{
	const unsigned char *raw = st->raw;
	size_t p = st->c, q = p + 1, d1, d2;
	unsigned char u[4];
	int next;

	if (q < st->len && raw[q] == '#') {
		unsigned long cp = 0;
		size_t digits = 0, k;
		int hex = q + 1 < st->len && (raw[q + 1] == 'x' || raw[q + 1] == 'X');
		q += hex ? 2 : 1;
		for (; q < st->len; q++, digits++) {
			int c = raw[q], v;
			if (c >= '0' && c <= '9')
				v = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				v = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				v = c - 'A' + 10;
			else
				break;
			cp = cp * (hex ? 16 : 10) + (unsigned long)v;
			if (cp >= 0x110000)
				cp = 0x110000;
		}
		if (digits < 1 || digits > 8 || q >= st->len || raw[q] != ';')
			return 0;
		if (cp == 0 || (cp >= 0xD800 && cp < 0xE000) || cp >= 0x110000)
			cp = 0xFFFD;
		k = bb_cjk_utf8((unsigned)cp, u);
		if (k > n || memcmp(lit, u, k) != 0)
			return 0;
		*used = q + 1 - p;
		*got = k;
		return 1;
	}
	while (q < st->len && q - p <= 32 &&
	       ((raw[q] >= 'a' && raw[q] <= 'z') || (raw[q] >= 'A' && raw[q] <= 'Z') ||
	        (raw[q] >= '0' && raw[q] <= '9')))
		q++;
	if (q == p + 1 || q >= st->len || raw[q] != ';')
		return 0;
	*used = q + 1 - p;
	if (n >= *used && memcmp(lit, raw + p, *used) == 0)
		return 0;       /* not an entity cmark knows: kept as typed */
	if (n == 0)
		return 0;
	/* A named entity decodes to one or two code points; the raw byte
	 * after it tells which when it can. */
	next = q + 1 < st->len ? raw[q + 1] : -1;
	bb_cjk_cp_at(lit, n, &d1);
	*got = d1;
	if (d1 < n && next != '\\' && next != '&' && lit[d1] != next) {
		bb_cjk_cp_at(lit + d1, n - d1, &d2);
		if (d1 + d2 == n || (d1 + d2 < n && lit[d1 + d2] == next))
			*got = d1 + d2;
	}
	return 1;
}

static void
S_add_rec(cjk_state *st, cmark_node *n)
{
	CJK_GROW(st->rec, st->nrec, st->caprec);
	memset(&st->rec[st->nrec], 0, sizeof st->rec[0]);
	st->rec[st->nrec++].node = n;
}

/* The raw bytes S_align_text must look at one by one. */
static const unsigned char S_align_stop[256] = { ['\\'] = 1, ['&'] = 1, ['*'] = 1, ['_'] = 1 };

/* Matches a text node's literal with the raw source, recording which of
 * its `*` and `_` are delimiters and marking escaped syntax characters. */
static int
S_align_text(cjk_state *st, cmark_node *n)
{
	size_t len, j = 0, first = st->ndl, used, got;
	const unsigned char *lit = bb_cjk_literal(n, &len);
	const unsigned char *raw = st->raw;
	int rewritten = 0;

	bb_buf_reset(&st->buf);
	if (len > 0)
		while (st->c < st->len && (raw[st->c] == ' ' || raw[st->c] == '\t') &&
		       raw[st->c] != lit[0])
			st->c++;
	while (j < len) {
		size_t c = st->c;
		unsigned char r;

		size_t k = 0, most = len - j < st->len - c ? len - j : st->len - c;

		if (c >= st->len)
			return -1;
		/* a run the same in both with nothing to look at: at once */
		while (k < most && raw[c + k] == lit[j + k] && !S_align_stop[raw[c + k]])
			k++;
		if (k) {
			bb_buf_put(&st->buf, raw + c, k);
			j += k;
			st->c += k;
			continue;
		}
		r = raw[c];
		if (r == '\\' && c + 1 < st->len && bb_cjk_ascii_punct(raw[c + 1])) {
			if (lit[j] != raw[c + 1])
				return -1;
			S_put_decoded(&st->buf, lit + j, 1, &rewritten);
			j++;
			st->c += 2;
			continue;
		}
		if (r == '&' && S_entity(st, lit + j, len - j, &used, &got)) {
			S_put_decoded(&st->buf, lit + j, got, &rewritten);
			j += got;
			st->c += used;
			continue;
		}
		if (r != lit[j])
			return -1;
		if ((r == '*' || r == '_') && !st->in_url) {
			CJK_GROW(st->dl, st->ndl, st->capdl);
			st->dl[st->ndl].at = st->buf.len;
			st->dl[st->ndl++].raw = c;
		}
		bb_buf_putc(&st->buf, r);
		j++;
		st->c++;
	}
	if (rewritten)
		cmark_node_set_literal(n, st->buf.data);
	if (st->ndl > first) {
		S_add_rec(st, n);
		st->rec[st->nrec - 1].first = first;
		st->rec[st->nrec - 1].count = st->ndl - first;
	}
	return 0;
}

static int
S_run_of(cjk_state *st, int ch, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++)
		if (st->c + i >= st->len || st->raw[st->c + i] != ch)
			return 0;
	return 1;
}

void
bb_cjk_push_stack(cjk_state *st, size_t v)
{
	CJK_GROW(st->stk, st->nstk, st->capstk);
	st->stk[st->nstk++] = v;
}

static int
S_align_enter(cjk_state *st, cmark_node *n, cmark_node **skip)
{
	const unsigned char *raw = st->raw;
	size_t len, k, e;
	const unsigned char *lit;

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
		return S_align_text(st, n);
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		S_skip_blank(st);
		if (cmark_node_get_type(n) == CMARK_NODE_LINEBREAK && st->c < st->len &&
		    raw[st->c] == '\\')
			st->c++;
		if (!S_skip_newline(st))
			return -1;
		S_skip_blank(st);
		return 0;
	case CMARK_NODE_CODE:
		for (k = 0; st->c + k < st->len && raw[st->c + k] == '`'; k++)
			;
		if (k == 0)
			return -1;
		for (e = st->c + k; e < st->len;) {
			size_t m = 0;
			while (e + m < st->len && raw[e + m] == '`')
				m++;
			if (m == k) {
				st->c = e + m;
				return 0;
			}
			e += m ? m : 1;
		}
		return -1;
	case CMARK_NODE_HTML_INLINE:
		lit = bb_cjk_literal(n, &len);
		if (len > st->len - st->c || memcmp(raw + st->c, lit, len) != 0)
			return -1;
		st->c += len;
		return 0;
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG:
		k = cmark_node_get_type(n) == CMARK_NODE_EMPH ? 1 : 2;
		if (st->c >= st->len || (raw[st->c] != '*' && raw[st->c] != '_') ||
		    !S_run_of(st, raw[st->c], k))
			return -1;
		S_add_rec(st, n);
		st->rec[st->nrec - 1].ch = raw[st->c];
		st->rec[st->nrec - 1].open = st->c;
		bb_cjk_push_stack(st, st->nrec - 1);
		st->c += k;
		return 0;
	case CMARK_NODE_LINK:
		if (st->c < st->len && raw[st->c] == '[') {
			st->c++;
			bb_cjk_push_stack(st, 1);
		} else if (st->c < st->len && raw[st->c] == '<') {
			while (st->c < st->len && raw[st->c] != '>')
				st->c++;
			if (st->c >= st->len)
				return -1;
			st->c++;
			*skip = n;      /* <autolink>: its text is the URL */
		} else {
			/* Extension autolink: its text is the source, but a URL, in
			 * which cmark saw no delimiters. */
			st->in_url++;
			bb_cjk_push_stack(st, 0);
		}
		return 0;
	case CMARK_NODE_IMAGE:
		if (!S_run_of(st, '!', 1) || st->c + 1 >= st->len || raw[st->c + 1] != '[')
			return -1;
		st->c += 2;
		bb_cjk_push_stack(st, 1);
		return 0;
	case CMARK_NODE_FOOTNOTE_REFERENCE:
		if (st->c + 1 >= st->len || raw[st->c] != '[' || raw[st->c + 1] != '^')
			return -1;
		while (st->c < st->len && raw[st->c] != ']')
			st->c++;
		if (st->c >= st->len)
			return -1;
		st->c++;
		return 0;
	default:
		if (!bb_cjk_is_strike(n))
			return -1;
		for (k = 0; st->c + k < st->len && raw[st->c + k] == '~'; k++)
			;
		if (k == 0)
			return -1;
		st->c += k;
		bb_cjk_push_stack(st, k);
		return 0;
	}
}

static int
S_align_exit(cjk_state *st, cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	size_t v, k;

	if (t == CMARK_NODE_FOOTNOTE_REFERENCE)
		return 0;
	if (st->nstk == 0)
		return -1;
	v = st->stk[--st->nstk];
	switch (t) {
	case CMARK_NODE_EMPH:
	case CMARK_NODE_STRONG:
		k = t == CMARK_NODE_EMPH ? 1 : 2;
		if (!S_run_of(st, st->rec[v].ch, k))
			return -1;
		st->rec[v].close = st->c;
		st->c += k;
		return 0;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		if (v) {
			if (!S_run_of(st, ']', 1))
				return -1;
			st->c++;
			S_skip_link_tail(st);
		} else if (st->in_url > 0) {
			st->in_url--;
		}
		return 0;
	default:
		if (!S_run_of(st, '~', v))
			return -1;
		st->c += v;
		return 0;
	}
}

/* Walks the block's inlines alongside its raw source (the string content
 * cmark-gfm keeps); 0 when every node was found where it should be. */
int
bb_cjk_align_block(cjk_state *st, cmark_node *block)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	cmark_node *skip = NULL;
	int rc = 0;

	st->c = st->nrec = st->ndl = st->nstk = 0;
	st->in_url = 0;
	while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (n == block)
			continue;
		if (skip) {
			if (n == skip && ev == CMARK_EVENT_EXIT)
				skip = NULL;
			continue;
		}
		rc = ev == CMARK_EVENT_ENTER ? S_align_enter(st, n, &skip) : S_align_exit(st, n);
	}
	cmark_iter_free(it);
	if (rc == 0) {
		while (st->c < st->len && bb_cjk_isspace(st->raw[st->c]))
			st->c++;
		if (st->c != st->len || st->nstk != 0)
			rc = -1;
	}
	return rc;
}
