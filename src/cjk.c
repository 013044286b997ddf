/* cjk.c: Japanese typography over the cmark-gfm tree: ruby, tate-chu-yoko, CJK-friendly emphasis, CJK lines joined. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
/* cmark's own notions of "Unicode punctuation" and "whitespace", so that
 * the flanking rules here agree with the parser's to the code point. */
#include <cmark-gfm/utf8.h>

#include "cjk.h"
#include "cjksent.h"
#include "util.h"
#include "webnovel.h"

/* How it works, block by block (paragraph, heading, table cell):
 * 1. cmark-gfm keeps each such block's raw inline source. S_align_block
 *    walks the block's inlines alongside it, which tells which `*` and `_`
 *    in text nodes are delimiter runs (not escapes, entities or URL text)
 *    and where every run and every emphasis delimiter stood.
 * 2. Emphasis, per scope (the block, a link, an image, a strikethrough:
 *    cmark pairs delimiters only within one): each run's flanking is read
 *    from the raw characters around it, by CommonMark's rules and by the
 *    CJK-friendly ones. Where they differ for a run that touches CJK, the
 *    scope's emphasis is flattened back into runs and paired again with
 *    cmark's own algorithm, so the rest of the scope parses as before.
 * 3. Ruby and tate-chu-yoko on the joined text nodes, then soft breaks.
 *
 * While a block is processed, a backslash-escaped or entity-decoded `*_{}|^`
 * in a text node is stored as U+10FF00 + the ASCII byte (4 bytes of UTF-8),
 * so that later passes see only genuine syntax characters as ASCII. Blocks
 * that already hold such code points are not marked. */
#define S_SENT 0x10FF00u
#define S_NONE ((size_t)-1)
/* Opener search steps per closer: bounds the delimiter algorithm on
 * adversarial input (thousands of runs that the rule of three skips). */
#define S_MAX_SEARCH 1000

#define S_GROW(arr, n, cap) do { \
	if ((n) >= (cap)) { \
		(cap) = (cap) ? 2 * (cap) : 32; \
		(arr) = bb_xrealloc((arr), (cap) * sizeof *(arr)); \
	} \
} while (0)

/* A text node with genuine delimiter bytes, or an emphasis node, in the
 * order the block's source holds them. */
typedef struct {
	cmark_node *node;
	size_t first, count;    /* text: its bytes in S_state.dl */
	size_t open, close;     /* emph/strong: raw offsets of the delimiters */
	int ch;                 /* emph/strong: '*' or '_' */
} S_rec;

typedef struct {
	size_t at;              /* offset in the text node's literal */
	size_t raw;             /* offset in the block's raw source */
} S_dbyte;

enum { S_T_TEXT, S_T_OPEN, S_T_CLOSE, S_T_ATOM };

typedef struct {
	int kind;
	cmark_node *node;
	size_t rec;             /* S_NONE when the node has no record */
} S_tok;

typedef struct {
	cmark_node *node;       /* the scope: block, link, image, ... */
	size_t base;            /* its first token */
	int bad;
} S_frame;

typedef struct {
	int ch;
	size_t start, len;      /* raw offset and length of the run */
	int can_open, can_close;
} S_run;

/* An emphasis element by where its delimiters stand in the raw source. */
typedef struct {
	size_t open, close;
	int use;
} S_sig;

typedef struct {
	cmark_node *node;
	size_t start;           /* raw offset of the run */
	int ch, len, cur;       /* len: whole run, for the rule of three */
	int front;              /* used from the front (as closer) */
	int can_open, can_close;
	long prev, next;
} S_delim;

typedef struct {
	unsigned flags;
	unsigned changes;
	const unsigned char *raw;
	size_t len, c;
	int in_url;             /* inside an extension autolink's text */
	S_rec *rec;
	size_t nrec, caprec, ri;
	S_dbyte *dl;
	size_t ndl, capdl;
	size_t *stk;
	size_t nstk, capstk;
	S_tok *tok;
	size_t ntok, captok;
	S_frame *fr;
	size_t nfr, capfr;
	S_run *run;
	size_t nrun, caprun;
	size_t *erun;
	size_t nerun, caperun;
	S_delim *dlm;
	size_t ndlm, capdlm;
	cmark_node **nodes;
	size_t nnodes, capnodes;
	S_sig *sig;             /* cmark's emphasis, then the rebuilt one */
	size_t nsig, capsig, nold;
	bb_buf buf, buf2;
} S_state;

/* ---- characters ---- */

static unsigned
S_cp_at(const unsigned char *s, size_t n, size_t *len)
{
	unsigned cp;
	int k = bb_utf8_decode(s, n, &cp);

	if (k <= 0) {
		*len = 1;
		return 0xFFFD;
	}
	*len = (size_t)k;
	return cp;
}

/* The code point that ends at s[pos], not reaching before s[start];
 * 0 when there is none. */
static unsigned
S_cp_before(const unsigned char *s, size_t start, size_t pos)
{
	size_t p, k;
	unsigned cp;

	if (pos <= start)
		return 0;
	p = pos - 1;
	while (p > start && (s[p] & 0xC0) == 0x80 && pos - p < 4)
		p--;
	cp = S_cp_at(s + p, pos - p, &k);
	return p + k == pos ? cp : 0xFFFD;
}

/* A code point with sentinels mapped back to the ASCII they stand for. */
static unsigned
S_norm(unsigned cp)
{
	return cp >= S_SENT && cp < S_SENT + 0x80 ? cp - S_SENT : cp;
}

static int
S_ascii_punct(int c)
{
	return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
	       (c >= 123 && c <= 126);
}

static int
S_special(int c)
{
	return c == '*' || c == '_' || c == '{' || c == '}' || c == '|' || c == '^';
}

static int
S_space(unsigned cp)
{
	return cmark_utf8proc_is_space((int32_t)cp);
}

static int
S_punct(unsigned cp)
{
	return cmark_utf8proc_is_punctuation((int32_t)cp);
}

/* CJK in the sense of the amendment: East Asian Wide/Fullwidth/Halfwidth,
 * not emoji, or Hangul. bb_is_cjk plus the wide blocks it leaves out. */
static int
S_cjk(unsigned cp)
{
	return bb_is_cjk(cp) ||
	       (cp >= 0x2FF0 && cp <= 0x2FFF) ||    /* ideographic description */
	       (cp >= 0xA000 && cp <= 0xA4CF) ||    /* Yi */
	       (cp >= 0xFE10 && cp <= 0xFE19) ||    /* vertical forms */
	       (cp >= 0xFE50 && cp <= 0xFE6F) ||    /* small form variants */
	       (cp >= 0x16FE0 && cp <= 0x18AFF) ||  /* Tangut, ... */
	       (cp >= 0x1AFF0 && cp <= 0x1B2FF);    /* kana supplements */
}

static int
S_hangul(unsigned cp)
{
	return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F) ||
	       (cp >= 0xA960 && cp <= 0xA97F) || (cp >= 0xAC00 && cp <= 0xD7FF) ||
	       (cp >= 0xFFA0 && cp <= 0xFFDC);
}

/* Characters between which a line break is dropped (CSS Text's segment
 * break rule): wide East Asian, but not Hangul. */
static int
S_joins(unsigned cp)
{
	return S_cjk(cp) && !S_hangul(cp);
}

/* Marks that belong to the character before them, for per-character ruby. */
static int
S_mark(unsigned cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || cp == 0x3099 || cp == 0x309A ||
	       (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) ||
	       cp == 0x200D;
}

static size_t
S_utf8(unsigned cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xC0 | (cp >> 6));
		out[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xE0 | (cp >> 12));
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | (cp >> 18));
	out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

static const unsigned char *
S_lit(cmark_node *n, size_t *len)
{
	const char *s = cmark_node_get_literal(n);

	if (!s)
		s = "";
	*len = strlen(s);
	return (const unsigned char *)s;
}

static int
S_is_strike(cmark_node *n)
{
	const char *t = cmark_node_get_type_string(n);
	return t && strcmp(t, "strikethrough") == 0;
}

static int
S_is_inline_block(cmark_node *n)
{
	cmark_node_type t = cmark_node_get_type(n);
	const char *s;

	if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING)
		return 1;
	s = cmark_node_get_type_string(n);
	return s && strcmp(s, "table_cell") == 0;
}

static int
S_html_cjkish(cmark_node *n)
{
	size_t len;
	const unsigned char *s = S_lit(n, &len);

	return strncmp((const char *)s, "<ruby", 5) == 0 ||
	       strncmp((const char *)s, "<span class=\"tcy\">", 18) == 0 ||
	       (len >= 7 && memcmp(s + len - 7, "</ruby>", 7) == 0);
}

/* The first (or last) character a reader sees in node n: looks inside
 * emphasis, links and strikethrough. Ruby and tate-chu-yoko count as CJK.
 * 0 when there is none. */
static unsigned
S_edge(cmark_node *n, int last)
{
	const unsigned char *s;
	size_t len, k;

	while (n) {
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			s = S_lit(n, &len);
			if (len == 0)
				return 0;
			if (last)
				return S_norm(S_cp_before(s, 0, len));
			return S_norm(S_cp_at(s, len, &k));
		case CMARK_NODE_HTML_INLINE:
			return S_html_cjkish(n) ? 0x4E00 : 0;
		case CMARK_NODE_EMPH:
		case CMARK_NODE_STRONG:
		case CMARK_NODE_LINK:
			break;
		default:
			if (!S_is_strike(n))
				return 0;
		}
		n = last ? cmark_node_last_child(n) : cmark_node_first_child(n);
	}
	return 0;
}

/* ---- matching the tree with the block's raw source ---- */

static void
S_skip_blank(S_state *st)
{
	while (st->c < st->len && (st->raw[st->c] == ' ' || st->raw[st->c] == '\t'))
		st->c++;
}

static int
S_skip_newline(S_state *st)
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

static int
S_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static size_t
S_skip_ws(const unsigned char *s, size_t len, size_t p)
{
	while (p < len && S_isspace(s[p]))
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
		if (s[q] == '\\' && q + 1 < len && S_ascii_punct(s[q + 1]))
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
		if (s[q] == '\\' && q + 1 < len && S_ascii_punct(s[q + 1]))
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
			if (s[q] == '\\' && q + 1 < len && S_ascii_punct(s[q + 1])) {
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
			} else if (S_isspace(s[q])) {
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
S_skip_link_tail(S_state *st)
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
		if (S_special(s[i])) {
			bb_buf_put_utf8(b, S_SENT + s[i]);
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
S_entity(S_state *st, const unsigned char *lit, size_t n, size_t *used, size_t *got)
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
		k = S_utf8((unsigned)cp, u);
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
	S_cp_at(lit, n, &d1);
	*got = d1;
	if (d1 < n && next != '\\' && next != '&' && lit[d1] != next) {
		S_cp_at(lit + d1, n - d1, &d2);
		if (d1 + d2 == n || (d1 + d2 < n && lit[d1 + d2] == next))
			*got = d1 + d2;
	}
	return 1;
}

static void
S_add_rec(S_state *st, cmark_node *n)
{
	S_GROW(st->rec, st->nrec, st->caprec);
	memset(&st->rec[st->nrec], 0, sizeof st->rec[0]);
	st->rec[st->nrec++].node = n;
}

/* Matches a text node's literal with the raw source, recording which of
 * its `*` and `_` are delimiters and marking escaped syntax characters. */
static int
S_align_text(S_state *st, cmark_node *n)
{
	size_t len, j = 0, first = st->ndl, used, got;
	const unsigned char *lit = S_lit(n, &len);
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

		if (c >= st->len)
			return -1;
		r = raw[c];
		if (r == '\\' && c + 1 < st->len && S_ascii_punct(raw[c + 1])) {
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
			S_GROW(st->dl, st->ndl, st->capdl);
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
S_run_of(S_state *st, int ch, size_t k)
{
	size_t i;

	for (i = 0; i < k; i++)
		if (st->c + i >= st->len || st->raw[st->c + i] != ch)
			return 0;
	return 1;
}

static void
S_push(S_state *st, size_t v)
{
	S_GROW(st->stk, st->nstk, st->capstk);
	st->stk[st->nstk++] = v;
}

static int
S_align_enter(S_state *st, cmark_node *n, cmark_node **skip)
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
		lit = S_lit(n, &len);
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
		S_push(st, st->nrec - 1);
		st->c += k;
		return 0;
	case CMARK_NODE_LINK:
		if (st->c < st->len && raw[st->c] == '[') {
			st->c++;
			S_push(st, 1);
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
			S_push(st, 0);
		}
		return 0;
	case CMARK_NODE_IMAGE:
		if (!S_run_of(st, '!', 1) || st->c + 1 >= st->len || raw[st->c + 1] != '[')
			return -1;
		st->c += 2;
		S_push(st, 1);
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
		if (!S_is_strike(n))
			return -1;
		for (k = 0; st->c + k < st->len && raw[st->c + k] == '~'; k++)
			;
		if (k == 0)
			return -1;
		st->c += k;
		S_push(st, k);
		return 0;
	}
}

static int
S_align_exit(S_state *st, cmark_node *n)
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
static int
S_align_block(S_state *st, cmark_node *block)
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
		while (st->c < st->len && S_isspace(st->raw[st->c]))
			st->c++;
		if (st->c != st->len || st->nstk != 0)
			rc = -1;
	}
	return rc;
}

/* ---- CJK-friendly emphasis ---- */

/* Before and after characters of a delimiter run, as cmark-gfm reads them
 * (strikethrough's `~` is looked through; the ends count as newlines). */
static unsigned
S_raw_before(const unsigned char *raw, size_t pos, size_t *at)
{
	size_t p, k;
	unsigned cp;

	*at = 0;
	if (pos == 0)
		return '\n';
	p = pos - 1;
	while (((raw[p] >> 6) == 2 || raw[p] == '~') && p > 0)
		p--;
	*at = p;
	cp = S_cp_at(raw + p, pos - p, &k);
	return cp == '~' ? '\n' : cp;
}

static unsigned
S_raw_after(const unsigned char *raw, size_t len, size_t pos)
{
	size_t k;
	unsigned cp;

	while (pos < len && raw[pos] == '~')
		pos++;
	if (pos >= len)
		return '\n';
	cp = S_cp_at(raw + pos, len - pos, &k);
	return cp;
}

/* Sets r->can_open/can_close by the CJK-friendly rules; returns 1 when
 * they differ from CommonMark's and the run touches a CJK character. */
static int
S_flank(const S_state *st, S_run *r)
{
	size_t bat;
	unsigned b = S_raw_before(st->raw, r->start, &bat);
	unsigned a = S_raw_after(st->raw, st->len, r->start + r->len);
	unsigned bb = b;
	int sa = S_space(a), sb = S_space(b), pa = S_punct(a), pb = S_punct(b);
	int ivs = b >= 0xE0100 && b <= 0xE01EF;
	int left, right, cm_open, cm_close, pbb, bcjk, touches;

	left = !sa && (!pa || sb || pb);
	right = !sb && (!pb || sa || pa);
	cm_open = r->ch == '_' ? left && (!right || pb) : left;
	cm_close = r->ch == '_' ? right && (!left || pa) : right;

	/* A variation selector belongs to the character before it; a quote
	 * mark with U+FE01 is its fullwidth (CJK) form. */
	bcjk = ivs;
	if (b >= 0xFE00 && b <= 0xFE0E && bat > 0) {
		unsigned base = S_cp_before(st->raw, 0, bat);
		if (base && !S_space(base)) {
			bb = base;
			bcjk = b == 0xFE01 && (base == 0x2018 || base == 0x2019 ||
			                       base == 0x201C || base == 0x201D);
		}
	}
	pbb = S_punct(bb);
	bcjk = bcjk || S_cjk(bb);
	left = !sa && (!(pa && !S_cjk(a)) || sb || pbb || bcjk);
	right = !sb && (!(pbb && !bcjk) || sa || pa || S_cjk(a));
	r->can_open = r->ch == '_' ? left && (!right || pbb) : left;
	r->can_close = r->ch == '_' ? right && (!left || pa) : right;
	touches = S_cjk(a) || bcjk;
	return touches && (r->can_open != cm_open || r->can_close != cm_close);
}

static void
S_add_entry(S_state *st, int ch, size_t raw)
{
	S_run *r = st->nrun ? &st->run[st->nrun - 1] : NULL;

	if (!r || r->ch != ch || r->start + r->len != raw) {
		S_GROW(st->run, st->nrun, st->caprun);
		r = &st->run[st->nrun++];
		r->ch = ch;
		r->start = raw;
		r->len = 0;
	}
	r->len++;
	S_GROW(st->erun, st->nerun, st->caperun);
	st->erun[st->nerun++] = st->nrun - 1;
}

static void
S_push_node(S_state *st, cmark_node *n)
{
	S_GROW(st->nodes, st->nnodes, st->capnodes);
	st->nodes[st->nnodes++] = n;
}

static void
S_flush_text(S_state *st)
{
	cmark_node *t;

	if (st->buf.len == 0)
		return;
	t = cmark_node_new(CMARK_NODE_TEXT);
	cmark_node_set_literal(t, st->buf.data);
	S_push_node(st, t);
	bb_buf_reset(&st->buf);
}

static void
S_set_delims(S_state *st, cmark_node *n, int ch, int count)
{
	int i;

	bb_buf_reset(&st->buf2);
	for (i = 0; i < count; i++)
		bb_buf_putc(&st->buf2, ch);
	cmark_node_set_literal(n, count ? st->buf2.data : "");
}

/* The delimiter entry e (a byte of some run): the first byte of a run
 * makes its text node and delimiter. */
static void
S_emit_entry(S_state *st, size_t e, size_t *emitted)
{
	size_t r = st->erun[e];
	S_run *run = &st->run[r];
	S_delim *d;
	cmark_node *t;

	if (r == *emitted)
		return;
	*emitted = r;
	S_flush_text(st);
	t = cmark_node_new(CMARK_NODE_TEXT);
	S_set_delims(st, t, run->ch, (int)run->len);
	S_push_node(st, t);
	S_GROW(st->dlm, st->ndlm, st->capdlm);
	d = &st->dlm[st->ndlm++];
	d->node = t;
	d->start = run->start;
	d->ch = run->ch;
	d->len = d->cur = (int)run->len;
	d->front = 0;
	d->can_open = run->can_open;
	d->can_close = run->can_close;
}

static void
S_remove_delim(S_delim *d, long i)
{
	if (d[i].prev >= 0)
		d[d[i].prev].next = d[i].next;
	if (d[i].next >= 0)
		d[d[i].next].prev = d[i].prev;
}

static long
S_insert_emph(S_state *st, long oi, long ci)
{
	S_delim *d = st->dlm, *o = &d[oi], *c = &d[ci];
	int use = c->cur >= 2 && o->cur >= 2 ? 2 : 1;
	cmark_node *emph, *tmp, *next;
	long i;

	S_GROW(st->sig, st->nsig, st->capsig);
	/* An opener gives its last delimiters, a closer its first. */
	st->sig[st->nsig].open = o->start + (size_t)(o->front + o->cur - use);
	st->sig[st->nsig].close = c->start + (size_t)c->front;
	st->sig[st->nsig++].use = use;
	c->front += use;
	o->cur -= use;
	c->cur -= use;
	for (i = c->prev; i >= 0 && i != oi;) {
		long p = d[i].prev;
		S_remove_delim(d, i);
		i = p;
	}
	emph = cmark_node_new(use == 1 ? CMARK_NODE_EMPH : CMARK_NODE_STRONG);
	for (tmp = cmark_node_next(o->node); tmp && tmp != c->node; tmp = next) {
		next = cmark_node_next(tmp);
		cmark_node_append_child(emph, tmp);
	}
	cmark_node_insert_after(o->node, emph);
	if (o->cur == 0) {
		cmark_node_free(o->node);
		o->node = NULL;
		S_remove_delim(d, oi);
	}
	if (c->cur == 0) {
		long n = c->next;
		cmark_node_free(c->node);
		c->node = NULL;
		S_remove_delim(d, ci);
		return n;
	}
	return ci;
}

/* CommonMark's process_emphasis, as cmark-gfm 0.29 runs it. */
static void
S_process_emphasis(S_state *st)
{
	S_delim *d = st->dlm;
	long n = (long)st->ndlm, i, closer, opener, bottom[3][2];
	int found;

	for (i = 0; i < n; i++) {
		d[i].prev = i - 1;
		d[i].next = i + 1 < n ? i + 1 : -1;
	}
	memset(bottom, 0, sizeof bottom);
	closer = n ? 0 : -1;
	while (closer >= 0) {
		S_delim *c = &d[closer];
		int m = c->len % 3, ci = c->ch == '_';
		long steps = 0;

		if (!c->can_close) {
			closer = c->next;
			continue;
		}
		found = 0;
		for (opener = c->prev; opener >= 0 && opener >= bottom[m][ci]; opener = d[opener].prev) {
			S_delim *o = &d[opener];
			if (++steps > S_MAX_SEARCH)
				break;
			if (o->can_open && o->ch == c->ch &&
			    (!(c->can_open || o->can_close) || c->len % 3 == 0 ||
			     (o->len + c->len) % 3 != 0)) {
				found = 1;
				break;
			}
		}
		if (found) {
			closer = S_insert_emph(st, opener, closer);
		} else {
			long old = closer;
			closer = c->next;
			bottom[m][ci] = old;
			if (!d[old].can_open)
				S_remove_delim(d, old);
		}
	}
	/* What is left of the runs stays as text; written once, not at each
	 * use, so a long run costs its length only once. */
	for (i = 0; i < n; i++)
		if (d[i].node && d[i].cur != d[i].len)
			S_set_delims(st, d[i].node, d[i].ch, d[i].cur);
}

static int
S_sig_cmp(const void *pa, const void *pb)
{
	const S_sig *a = pa, *b = pb;

	if (a->open != b->open)
		return a->open < b->open ? -1 : 1;
	if (a->close != b->close)
		return a->close < b->close ? -1 : 1;
	return a->use - b->use;
}

/* How many of the rebuilt emphasis elements cmark had not made. */
static unsigned
S_new_sigs(S_state *st)
{
	S_sig *old = st->sig, *cur = st->sig ? st->sig + st->nold : NULL;
	size_t nold = st->nold, ncur = st->nsig - st->nold, i = 0, j = 0;
	unsigned fresh = 0;

	if (nold > 1)
		qsort(old, nold, sizeof *old, S_sig_cmp);
	if (ncur > 1)
		qsort(cur, ncur, sizeof *cur, S_sig_cmp);
	while (j < ncur) {
		int d = i < nold ? S_sig_cmp(&old[i], &cur[j]) : 1;
		if (d < 0) {
			i++;
		} else {
			fresh += d > 0;
			i += d == 0;
			j++;
		}
	}
	return fresh;
}

/* Re-parses the emphasis of one scope (tokens from base on) when a
 * delimiter run in it flanks differently by the CJK-friendly rules. */
static void
S_emph_scope(S_state *st, cmark_node *scope, size_t base)
{
	size_t t, i, e, emitted, len, p;
	const unsigned char *lit;
	int change = 0;

	st->nrun = st->nerun = 0;
	for (t = base; t < st->ntok; t++) {
		S_tok *tk = &st->tok[t];
		S_rec *r = tk->rec == S_NONE ? NULL : &st->rec[tk->rec];
		if (!r)
			continue;
		if (tk->kind == S_T_TEXT) {
			lit = S_lit(tk->node, &len);
			for (i = 0; i < r->count; i++)
				S_add_entry(st, lit[st->dl[r->first + i].at], st->dl[r->first + i].raw);
		} else if (tk->kind == S_T_OPEN || tk->kind == S_T_CLOSE) {
			size_t k = cmark_node_get_type(tk->node) == CMARK_NODE_EMPH ? 1 : 2;
			size_t at = tk->kind == S_T_OPEN ? r->open : r->close;
			for (i = 0; i < k; i++)
				S_add_entry(st, r->ch, at + i);
		}
	}
	if (st->nrun == 0)
		return;
	for (i = 0; i < st->nrun; i++)
		change |= S_flank(st, &st->run[i]);
	if (!change && !(st->flags & BB_CJK_EMPHASIS_ALWAYS))
		return;

	/* Flatten the scope into text, delimiter runs and untouched nodes. */
	bb_buf_reset(&st->buf);
	st->nnodes = st->ndlm = st->nsig = 0;
	e = 0;
	emitted = S_NONE;
	for (t = base; t < st->ntok; t++) {
		S_tok *tk = &st->tok[t];
		S_rec *r = tk->rec == S_NONE ? NULL : &st->rec[tk->rec];
		if (tk->kind == S_T_TEXT) {
			lit = S_lit(tk->node, &len);
			p = 0;
			for (i = 0; r && i < r->count; i++) {
				size_t at = st->dl[r->first + i].at;
				bb_buf_put(&st->buf, lit + p, at - p);
				S_emit_entry(st, e++, &emitted);
				p = at + 1;
			}
			bb_buf_put(&st->buf, lit + p, len - p);
		} else if (tk->kind == S_T_ATOM) {
			S_flush_text(st);
			cmark_node_unlink(tk->node);
			S_push_node(st, tk->node);
		} else {
			size_t k = cmark_node_get_type(tk->node) == CMARK_NODE_EMPH ? 1 : 2;
			for (i = 0; i < k; i++)
				S_emit_entry(st, e++, &emitted);
			if (tk->kind == S_T_OPEN) {
				S_GROW(st->sig, st->nsig, st->capsig);
				st->sig[st->nsig].open = r->open;
				st->sig[st->nsig].close = r->close;
				st->sig[st->nsig++].use = (int)k;
			}
		}
	}
	st->nold = st->nsig;
	S_flush_text(st);
	while (cmark_node_first_child(scope))
		cmark_node_free(cmark_node_first_child(scope));
	for (i = 0; i < st->nnodes; i++)
		if (!cmark_node_append_child(scope, st->nodes[i]))
			cmark_node_free(st->nodes[i]);
	S_process_emphasis(st);
	st->changes += S_new_sigs(st);
}

static size_t
S_take_rec(S_state *st, cmark_node *n)
{
	if (st->ri < st->nrec && st->rec[st->ri].node == n)
		return st->ri++;
	return S_NONE;
}

static void
S_push_tok(S_state *st, int kind, cmark_node *n, size_t rec)
{
	S_GROW(st->tok, st->ntok, st->captok);
	st->tok[st->ntok].kind = kind;
	st->tok[st->ntok].node = n;
	st->tok[st->ntok++].rec = rec;
}

static void
S_push_frame(S_state *st, cmark_node *n)
{
	S_GROW(st->fr, st->nfr, st->capfr);
	st->fr[st->nfr].node = n;
	st->fr[st->nfr].base = st->ntok;
	st->fr[st->nfr++].bad = 0;
}

/* One walk over an aligned block: each scope (the block, a link, an
 * image, a strikethrough) is re-parsed when the walk leaves it, which is
 * after its inner scopes and before anything after it is read. */
static void
S_emph_block(S_state *st, cmark_node *block)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;

	st->ri = st->ntok = st->nfr = st->nstk = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		size_t r;

		if (ev == CMARK_EVENT_EXIT) {
			if (st->nfr && st->fr[st->nfr - 1].node == n) {
				S_frame *f = &st->fr[--st->nfr];
				if (!f->bad)
					S_emph_scope(st, n, f->base);
				st->ntok = f->base;
				if (n != block)
					S_push_tok(st, S_T_ATOM, n, S_NONE);
			} else if ((t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG) && st->nstk) {
				S_push_tok(st, S_T_CLOSE, n, st->stk[--st->nstk]);
			}
			continue;
		}
		if (n == block) {
			S_push_frame(st, n);
		} else if (t == CMARK_NODE_TEXT) {
			S_push_tok(st, S_T_TEXT, n, S_take_rec(st, n));
		} else if (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG) {
			r = S_take_rec(st, n);
			if (r == S_NONE)
				st->fr[st->nfr - 1].bad = 1;
			S_push_tok(st, S_T_OPEN, n, r);
			S_push(st, r);
		} else if (cmark_node_first_child(n) || t == CMARK_NODE_LINK ||
		           t == CMARK_NODE_IMAGE || S_is_strike(n)) {
			S_push_frame(st, n);
		} else {
			S_push_tok(st, S_T_ATOM, n, S_NONE);
		}
	}
	cmark_iter_free(it);
}

/* ---- ruby and tate-chu-yoko ---- */

/* Number of characters in s (marks count with the character before). */
static size_t
S_count_chars(const unsigned char *s, size_t n)
{
	size_t i = 0, k, count = 0;

	while (i < n) {
		unsigned cp = S_cp_at(s + i, n - i, &k);
		if (!S_mark(cp) || count == 0)
			count++;
		i += k;
	}
	return count;
}

/* {base|reading} starting at lit[i] == '{'. On a match, writes the HTML
 * to st->buf2, sets *end after the '}' and returns 1. */
static int
S_ruby(S_state *st, const unsigned char *lit, size_t len, size_t i, size_t *end)
{
	size_t close, j, k, bars = 0, bar1 = 0, nb, ri, start;
	int cjk = 0, empty = 0;

	for (close = i + 1; close < len && lit[close] != '}' && lit[close] != '{'; close++)
		if (lit[close] == '|') {
			if (bars++ == 0)
				bar1 = close;
		}
	if (close >= len || lit[close] != '}' || bars == 0 || bar1 == i + 1)
		return 0;
	for (j = i + 1; j < close; j += k)
		if (S_cjk(S_cp_at(lit + j, close - j, &k)))
			cjk = 1;
	if (!cjk)
		return 0;
	for (j = bar1; j < close; j++)
		if (lit[j] == '|' && (j + 1 == close || lit[j + 1] == '|'))
			empty = 1;
	nb = S_count_chars(lit + i + 1, bar1 - i - 1);

	bb_buf_reset(&st->buf2);
	bb_buf_puts(&st->buf2, "<ruby>");
	if (bars == nb && bars > 1 && !empty) {
		/* one reading per base character */
		j = i + 1;
		start = bar1 + 1;
		for (ri = 0; ri < bars; ri++) {
			size_t from = j, stop = start;
			S_cp_at(lit + j, bar1 - j, &k);
			j += k;
			while (j < bar1 && S_mark(S_cp_at(lit + j, bar1 - j, &k)))
				j += k;
			while (stop < close && lit[stop] != '|')
				stop++;
			bb_cjk_put_xml(&st->buf2, (const char *)lit + from, j - from);
			bb_buf_puts(&st->buf2, "<rp>(</rp><rt>");
			bb_cjk_put_xml(&st->buf2, (const char *)lit + start, stop - start);
			bb_buf_puts(&st->buf2, "</rt><rp>)</rp>");
			start = stop + 1;
		}
	} else {
		size_t before;
		bb_cjk_put_xml(&st->buf2, (const char *)lit + i + 1, bar1 - i - 1);
		bb_buf_puts(&st->buf2, "<rp>(</rp><rt>");
		before = st->buf2.len;
		for (j = bar1 + 1, start = j; j <= close; j++)
			if (j == close || lit[j] == '|') {
				bb_cjk_put_xml(&st->buf2, (const char *)lit + start, j - start);
				start = j + 1;
			}
		if (st->buf2.len == before)
			return 0;
		bb_buf_puts(&st->buf2, "</rt><rp>)</rp>");
	}
	bb_buf_puts(&st->buf2, "</ruby>");
	*end = close + 1;
	return 1;
}

static int
S_tcy_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       c == '!' || c == '?';
}

/* ^53^ starting at lit[i] == '^'; sets *end after the closing caret. The
 * CJK test for the outside is left to the caller. */
static int
S_tcy(const unsigned char *lit, size_t len, size_t i, size_t *end)
{
	size_t j = i + 1;

	while (j < len && j - i - 1 < 5 && S_tcy_char(lit[j]))
		j++;
	if (j - i - 1 < 1 || j - i - 1 > 4 || j >= len || lit[j] != '^')
		return 0;
	if ((i > 0 && lit[i - 1] == '^') || (j + 1 < len && lit[j + 1] == '^'))
		return 0;
	*end = j + 1;
	return 1;
}

static void
S_insert_piece(cmark_node *before, cmark_node_type t, const unsigned char *s, size_t n)
{
	cmark_node *p;
	char *lit;

	if (n == 0)
		return;
	p = cmark_node_new(t);
	lit = bb_xstrndup((const char *)s, n);
	cmark_node_set_literal(p, lit);
	free(lit);
	cmark_node_insert_before(before, p);
}

static void
S_ruby_tcy_text(S_state *st, cmark_node *n)
{
	size_t len, i = 0, start = 0, end, k;
	const unsigned char *lit = S_lit(n, &len);
	char *copy;
	int emitted = 0;

	if (!memchr(lit, '{', len) && !memchr(lit, '^', len))
		return;
	/* The literal is replaced as pieces are cut, so work on a copy. */
	copy = bb_xstrndup((const char *)lit, len);
	lit = (const unsigned char *)copy;
	while (i < len) {
		if (lit[i] == '{' && (st->flags & BB_CJK_RUBY) && S_ruby(st, lit, len, i, &end)) {
			S_insert_piece(n, CMARK_NODE_TEXT, lit + start, i - start);
			S_insert_piece(n, CMARK_NODE_HTML_INLINE, (const unsigned char *)st->buf2.data,
			               st->buf2.len);
			st->changes++;
			i = start = end;
			emitted = 1;
			continue;
		}
		if (lit[i] == '^' && (st->flags & BB_CJK_TCY) && S_tcy(lit, len, i, &end)) {
			unsigned prev, next;
			if (i > start)
				prev = S_norm(S_cp_before(lit, start, i));
			else
				prev = emitted ? 0x4E00 : S_edge(cmark_node_previous(n), 1);
			next = end < len ? S_norm(S_cp_at(lit + end, len - end, &k))
			                 : S_edge(cmark_node_next(n), 0);
			if (S_cjk(prev) || S_cjk(next)) {
				S_insert_piece(n, CMARK_NODE_TEXT, lit + start, i - start);
				bb_buf_reset(&st->buf2);
				bb_buf_puts(&st->buf2, "<span class=\"tcy\">");
				bb_buf_put(&st->buf2, lit + i + 1, end - i - 2);
				bb_buf_puts(&st->buf2, "</span>");
				S_insert_piece(n, CMARK_NODE_HTML_INLINE,
				               (const unsigned char *)st->buf2.data, st->buf2.len);
				st->changes++;
				i = start = end;
				emitted = 1;
				continue;
			}
		}
		i++;
	}
	if (emitted) {
		if (start < len) {
			char *rest = bb_xstrndup(copy + start, len - start);
			cmark_node_set_literal(n, rest);
			free(rest);
		} else {
			cmark_node_free(n);
		}
	}
	free(copy);
}

/* ---- the walk ---- */

/* The text of an autolink (<http://...>, www.example.com): a URL, not prose. */
static int
S_autolink_text(cmark_node *n)
{
	cmark_node *link = cmark_node_parent(n);
	const char *url, *text = cmark_node_get_literal(n);
	size_t ul, tl;

	if (!link || cmark_node_get_type(link) != CMARK_NODE_LINK ||
	    cmark_node_first_child(link) != n || cmark_node_next(n) || !text)
		return 0;
	url = cmark_node_get_url(link);
	if (!url)
		return 0;
	ul = strlen(url);
	tl = strlen(text);
	return tl > 0 && tl <= ul && strcmp(url + ul - tl, text) == 0;
}

/* Text nodes whose literal holds a code point of the sentinel range. */
static int
S_has_sentinel_range(cmark_node *block)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	int found = 0;

	while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		size_t len, i;
		const unsigned char *s;
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_TEXT)
			continue;
		s = S_lit(n, &len);
		for (i = 0; i + 2 < len && !found; i++)
			found = s[i] == 0xF4 && s[i + 1] == 0x8F && (s[i + 2] == 0xBC || s[i + 2] == 0xBD);
	}
	cmark_iter_free(it);
	return found;
}

/* Collects the block's inline nodes of type t (outside images when
 * skip_images) into st->nodes. */
static void
S_collect(S_state *st, cmark_node *block, cmark_node_type t, int skip_images)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	int image = 0;

	st->nnodes = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type nt = cmark_node_get_type(n);
		if (nt == CMARK_NODE_IMAGE)
			image += ev == CMARK_EVENT_ENTER ? 1 : -1;
		else if (ev == CMARK_EVENT_ENTER && nt == t && !(skip_images && image))
			S_push_node(st, n);
	}
	cmark_iter_free(it);
}

static void
S_restore(S_state *st, cmark_node *block)
{
	size_t i, j, len;
	const unsigned char *s;
	int ch;

	S_collect(st, block, CMARK_NODE_TEXT, 0);
	for (i = 0; i < st->nnodes; i++) {
		s = S_lit(st->nodes[i], &len);
		if (!memchr(s, 0xF4, len))
			continue;
		bb_buf_reset(&st->buf);
		for (j = 0; j < len;) {
			if (s[j] == 0xF4 && (ch = bb_cjk_sentinel(s + j, len - j)) >= 0) {
				bb_buf_putc(&st->buf, ch);
				j += 4;
			} else {
				bb_buf_putc(&st->buf, s[j++]);
			}
		}
		cmark_node_set_literal(st->nodes[i], st->buf.data);
	}
}

static void
S_block(S_state *st, cmark_node *block)
{
	unsigned f = st->flags;
	const char *raw;
	int marked = 0;
	size_t i;

	/* cmark leaves the buffer of an empty block unterminated; one with
	 * inlines was written, and so terminated. */
	if (!cmark_node_first_child(block))
		return;
	raw = cmark_node_get_string_content(block);
	if ((f & (BB_CJK_RUBY | BB_CJK_TCY | BB_CJK_EMPHASIS | BB_CJK_WEBNOVEL)) && raw &&
	    !S_has_sentinel_range(block)) {
		st->raw = (const unsigned char *)raw;
		st->len = strlen(raw);
		while (st->len > 0 && S_isspace(st->raw[st->len - 1]))
			st->len--;
		marked = 1;
		if (S_align_block(st, block) == 0 && (f & BB_CJK_EMPHASIS))
			S_emph_block(st, block);
	}
	cmark_consolidate_text_nodes(block);
	if (f & (BB_CJK_RUBY | BB_CJK_TCY)) {
		S_collect(st, block, CMARK_NODE_TEXT, 1);
		for (i = 0; i < st->nnodes; i++)
			if (!S_autolink_text(st->nodes[i]))
				S_ruby_tcy_text(st, st->nodes[i]);
	}
	if (f & BB_CJK_WEBNOVEL) {
		S_collect(st, block, CMARK_NODE_TEXT, 1);
		for (i = 0; i < st->nnodes; i++)
			if (!S_autolink_text(st->nodes[i]))
				st->changes += bb_webnovel_text(st->nodes[i]);
	}
	if (f & BB_CJK_SOFTBREAK) {
		S_collect(st, block, CMARK_NODE_SOFTBREAK, 0);
		for (i = 0; i < st->nnodes; i++) {
			cmark_node *n = st->nodes[i];
			if (S_joins(S_edge(cmark_node_previous(n), 1)) &&
			    S_joins(S_edge(cmark_node_next(n), 0))) {
				cmark_node_free(n);
				st->changes++;
			}
		}
	}
	if (marked)
		S_restore(st, block);
	cmark_consolidate_text_nodes(block);
}

unsigned
bb_cjk_transform(cmark_node *doc, unsigned flags)
{
	S_state st;
	cmark_iter *it;
	cmark_event_type ev;

	if (!doc || !(flags & (BB_CJK_ALL | BB_CJK_WEBNOVEL)))
		return 0;
	memset(&st, 0, sizeof st);
	st.flags = flags;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		/* On exit the walk has passed the block's inlines and has already
		 * chosen the node after it, so they may be rebuilt. */
		if (ev == CMARK_EVENT_EXIT && S_is_inline_block(n))
			S_block(&st, n);
	}
	cmark_iter_free(it);
	free(st.rec);
	free(st.dl);
	free(st.stk);
	free(st.tok);
	free(st.fr);
	free(st.run);
	free(st.erun);
	free(st.dlm);
	free(st.nodes);
	free(st.sig);
	bb_buf_free(&st.buf);
	bb_buf_free(&st.buf2);
	return st.changes;
}
