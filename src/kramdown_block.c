/* kramdown_block.c: kramdown's blocks, line by line: headings, extensions,
 * block IALs and {:toc}, raw HTML blocks holding blank lines, fences and
 * math blocks, lazy lines; the constructs written as HTML are handed to
 * kramdown_deflist.c and kramdown_table.c, each line's spans to
 * kramdown_span.c. */
#include "kramdown_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { K_NONE, K_PARA, K_LIST, K_HEADING, K_CODE, K_OTHER };

/* The block structure bb_kd_pass follows, line by line. */
typedef struct {
	kd_line *L;                    /* the lines */
	size_t nl;
	int kind, prev_blank, in_list, next_ial;
	size_t blk_start;              /* where the current block's lines begin in out */
	size_t para_start, para_end;
	int para_before_blank;         /* the block before the last blank line was a paragraph */
	int blanks;
	int kd;                        /* kramdown's rules, not CommonMark's */
	size_t tbl;                    /* lines of the table going on */
} S_blk;

/* Writes the line s[0..n) and its newline. */
static void
S_put_line(bb_buf *out, const char *s, size_t n)
{
	bb_buf_put(out, s, n);
	bb_buf_putc(out, '\n');
}

/* The block before ends as at a blank line. */
static void
S_block_done(S_blk *bk, const bb_buf *out)
{
	bk->prev_blank = 1;
	bk->kind = K_NONE;
	bk->blk_start = out->len;
}

/* Writes a heading line: `#`s, one space, the text without a trailing
 * `{#id}` (given as a marker on the next line) and closing `#`s. */
static void
S_heading(kd_state *st, const char *s, size_t n, size_t level, bb_buf *out, unsigned line)
{
	size_t b = level, e = kd_rtrim(s, n), ib;
	char *id = NULL;
	while (b < e && (s[b] == ' ' || s[b] == '\t'))
		b++;
	/* {#id} at the end (kramdown's HEADER_ID) */
	if (e > b + 3 && s[e - 1] == '}') {
		for (ib = e - 1; ib > b && s[ib] != '{'; ib--)
			;
		if (s[ib] == '{' && s[ib + 1] == '#' && ib > b && (s[ib - 1] == ' ' || s[ib - 1] == '\t')) {
			if (bb_kd_valid_id(s + ib + 2, e - 1 - ib - 2))
				id = bb_xstrndup(s + ib + 2, e - 1 - ib - 2);
			else
				bb_kd_diag(st, BB_KRAMDOWN_NOTE, line, (unsigned)ib + 1,
					   "kramdown: heading id '%.*s' is not a safe id: dropped",
					   (int)(e - ib), s + ib);
			e = kd_rtrim(s, ib);
		}
	}
	bb_buf_put(out, s, level);
	bb_buf_putc(out, ' ');
	bb_kd_inline(st, s + b, e - b, out, line);
	bb_buf_putc(out, '\n');
	if (id) {
		bb_buf_puts(out, "<!--bb-ial #");
		bb_buf_puts(out, id);
		bb_buf_puts(out, "-->\n");
		free(id);
	}
}

/* A block extension line `{::name attrs}`, `{::name /}` or `{:/name}`.
 * Returns 1 start, 2 self-closing, 3 stop; the name in [*nb, *ne). */
static int
S_ext_line(const char *s, size_t n, size_t *nb, size_t *ne)
{
	size_t i = 0, e = kd_rtrim(s, n);
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	if (e < i + 4 || s[i] != '{' || s[i + 1] != ':' || s[e - 1] != '}')
		return 0;
	if (memchr(s + i + 1, '}', e - 1 - i - 1))
		return 0;
	if (s[i + 2] == '/') {
		*nb = i + 3;
		*ne = e - 1;
		return 3;
	}
	if (s[i + 2] != ':')
		return 0;
	*nb = i + 3;
	for (*ne = *nb; *ne < e && kd_word((unsigned char)s[*ne]); (*ne)++)
		;
	if (*ne == *nb)
		return 0;
	return s[e - 2] == '/' ? 2 : 1;
}

/* A line {::name} ... {:/name} of kramdown's extensions (comment,
 * nomarkdown, options and unknown ones), {::name /}, or a stop tag alone, at
 * line *kp: written to out, *kp moved to its last line; 1 when it was one. */
static int
S_extension(kd_state *st, S_blk *bk, size_t *kp, size_t ib, bb_buf *out)
{
	size_t k = *kp, a, b;
	const char *s = bk->L[k].s;
	size_t n = bk->L[k].n;
	unsigned line = (unsigned)k + 1;
	int x = S_ext_line(s, n, &a, &b);
	if (x == 1) {
		size_t j;
		int comment = b - a == 7 && strncmp(s + a, "comment", 7) == 0;
		int nomd = b - a == 10 && strncmp(s + a, "nomarkdown", 10) == 0;
		int opts = b - a == 7 && strncmp(s + a, "options", 7) == 0;
		for (j = k + 1; j < bk->nl; j++) {
			size_t a2, b2;
			if (++st->scan > KD_MAX_SCAN) {
				j = bk->nl;
				break;
			}
			if (S_ext_line(bk->L[j].s, bk->L[j].n, &a2, &b2) == 3 &&
			    (b2 == a2 || (b2 - a2 == b - a && memcmp(bk->L[j].s + a2, s + a, b - a) == 0)))
				break;
		}
		if (j == bk->nl) {
			bb_kd_diag(st, BB_KRAMDOWN_WARNING, line, (unsigned)ib + 1,
				   "kramdown: no stop tag for extension '%.*s': the tag dropped, the text kept",
				   (int)(b - a), s + a);
			bb_buf_putc(out, '\n');
			return 1;
		}
		if (nomd) {
			size_t q;
			if (!bk->prev_blank)
				bb_buf_putc(out, '\n');
			bb_buf_puts(out, "<div class=\"bb-nomarkdown\">\n");
			for (q = k + 1; q < j; q++) {
				if (kd_blank(bk->L[q].s, bk->L[q].n))
					bb_buf_puts(out, "<!-- -->");
				else
					bb_buf_put(out, bk->L[q].s, bk->L[q].n);
				bb_buf_putc(out, '\n');
			}
			bb_buf_puts(out, "</div>\n\n");
		} else {
			size_t q;
			if (!comment && !opts)
				bb_kd_diag(st, BB_KRAMDOWN_WARNING, line, (unsigned)ib + 1,
					   "kramdown: unknown extension '%.*s': its text kept",
					   (int)(b - a), s + a);
			if (comment || opts)
				for (q = k; q <= j; q++)
					bb_buf_putc(out, '\n');
			else {
				bb_buf_putc(out, '\n');
				bb_kd_pass(st, bk->L[k + 1].s, (size_t)(bk->L[j].s - bk->L[k + 1].s), out);
				bb_buf_putc(out, '\n');
			}
		}
		*kp = j;
		S_block_done(bk, out);
		return 1;
	}
	if (x == 2) {   /* {::options ... /}, {::comment /} */
		bb_buf_putc(out, '\n');
		S_block_done(bk, out);
		return 1;
	}
	if (x == 3) {
		bb_kd_diag(st, BB_KRAMDOWN_WARNING, line, (unsigned)ib + 1,
			   "kramdown: extension stop tag without a start: dropped");
		bb_buf_putc(out, '\n');
		return 1;
	}
	return 0;
}

/* An ATX heading line (s starts with #) as kramdown or CommonMark reads it
 * (kramdown needs no space after the #s, but a block boundary before): 1
 * when the line was written to out. */
static int
S_atx(kd_state *st, S_blk *bk, const char *s, size_t n, int boundary, bb_buf *out, unsigned line)
{
	size_t lv = 0;
	while (lv < n && lv < 7 && s[lv] == '#')
		lv++;
	if (lv <= 6) {
		int sp = lv < n && (s[lv] == ' ' || s[lv] == '\t');
		size_t e = kd_rtrim(s, n);
		int empty;
		while (e > lv && s[e - 1] == '#')
			e--;
		empty = kd_blank(s + lv, e - lv);
		if (empty && (bk->kd || lv == n || s[lv] == ' ' || s[lv] == '\t' || s[lv] == '#')) {
			/* kramdown: `##` alone is no heading, only text */
			if (bk->kind == K_NONE || bk->kind == K_HEADING || bk->kind == K_CODE) {
				bk->kind = K_PARA;
				bk->blk_start = bk->para_start = out->len;
			}
			bb_buf_putc(out, '\\');
			bb_buf_put(out, s, n);
			bb_buf_putc(out, '\n');
			bk->para_end = out->len;
			bk->prev_blank = bk->next_ial = 0;
			return 1;
		}
		if (bk->kd) {
			if (boundary && !empty) {
				S_heading(st, s, n, lv, out, line);
				bk->kind = K_HEADING;
				bk->prev_blank = bk->next_ial = 0;
				bk->blk_start = out->len;
				return 1;
			}
			if (bk->kind == K_PARA || bk->kind == K_HEADING) {
				/* kramdown: no heading inside a paragraph or right after one */
				bb_buf_putc(out, '\\');
				bb_kd_inline(st, s, n, out, line);
				bb_buf_putc(out, '\n');
				return 1;
			}
		} else if (sp && !empty) {
			S_heading(st, s, n, lv, out, line);
			bk->kind = K_HEADING;
			bk->prev_blank = bk->next_ial = 0;
			bk->blk_start = out->len;
			return 1;
		}
	}
	return 0;
}

/* An IAL on a line of its own, s[a..b) its attributes: {:toc} becomes the
 * table of contents; other attributes a marker for the block before it, or,
 * after a blank line, for the block after it. */
static void
S_ial_alone(kd_state *st, S_blk *bk, const char *s, size_t a, size_t b, bb_buf *out, unsigned line)
{
	kd_attrs at;
	memset(&at, 0, sizeof at);
	bb_kd_parse_attrs(st, s + a, b - a, &at, line, (unsigned)a - 1, 0);
	if (at.toc) {
		if (bk->kind == K_LIST)
			out->len = bk->blk_start;
		else if (!bk->prev_blank)
			bb_buf_putc(out, '\n');
		bb_buf_puts(out, "<nav class=\"bb-toc\"></nav>\n\n");
		S_block_done(bk, out);
	} else if (!bk->prev_blank) {
		bb_buf_put(out, s, a - 2);
		bb_kd_put_marker(out, "bb-ial", &at);
		bb_buf_putc(out, '\n');
	} else {
		bb_buf_put(out, s, a - 2);
		bb_kd_put_marker(out, "bb-ial-next", &at);
		bb_buf_putc(out, '\n');
		bk->next_ial = 1;
	}
	if (out->data)
		out->data[out->len] = '\0';
	bb_kd_attrs_free(&at);
}

/* kramdown: a list item or quote line does not interrupt a paragraph;
 * the line (indented by ib) goes on the paragraph, its marker escaped. */
static void
S_lazy_line(kd_state *st, const char *s, size_t n, size_t ib, bb_buf *out, unsigned line)
{
	size_t m = bb_kd_list_marker(s, n);
	if (m && !(s[m - 1] == '.' || s[m - 1] == ')')) {
		bb_buf_put(out, s, ib);
		bb_buf_putc(out, '\\');
		bb_kd_inline(st, s + ib, n - ib, out, line);
	} else if (m) {
		bb_buf_put(out, s, m - 1);
		bb_buf_putc(out, '\\');
		bb_kd_inline(st, s + m - 1, n - m + 1, out, line);
	} else {
		bb_buf_put(out, s, ib);
		bb_buf_putc(out, '\\');
		bb_kd_inline(st, s + ib, n - ib, out, line);
	}
	bb_buf_putc(out, '\n');
}

/* kramdown's block HTML elements whose content it keeps raw (with
 * parse_block_html off, Jekyll's default). */
static const char *const S_html_blocks[] = {
	"address", "article", "aside", "audio", "blockquote", "center", "details", "dl", "div",
	"fieldset", "figure", "footer", "form", "header", "iframe", "math", "nav", "noscript", "ol",
	"p", "pre", "script", "section", "style", "table", "ul", "video", "canvas", "svg", NULL
};

/* A raw HTML block starting at line k (`<name ...>` of one of the above,
 * without a markdown attribute): returns the line holding its matching
 * end tag (nesting of the same name counted), or (size_t)-1. Blank lines
 * inside do not end it, as in kramdown (in cmark they would). */
static size_t
S_html_block(kd_state *st, kd_line *L, size_t nl, size_t k, size_t ib)
{
	const char *s = L[k].s + ib;
	size_t n = L[k].n - ib, nm, j, i;
	int depth = 0, any_blank = 0;
	const char *name = NULL;
	if (n < 3 || s[0] != '<' || !isalpha((unsigned char)s[1]))
		return (size_t)-1;
	for (nm = 1; nm < n && isalnum((unsigned char)s[nm]); nm++)
		;
	if (nm < n && s[nm] != '>' && s[nm] != ' ' && s[nm] != '\t')
		return (size_t)-1;
	for (i = 0; S_html_blocks[i]; i++)
		if (strlen(S_html_blocks[i]) == nm - 1 && bb_kd_strncasecmp(s + 1, S_html_blocks[i], nm - 1) == 0)
			name = S_html_blocks[i];
	if (!name || bb_kd_memmem(s, n, "markdown=", 9))
		return (size_t)-1;
	nm--;
	for (j = k; j < nl && j < k + 5000 && st->scan < KD_MAX_SCAN; j++, st->scan++) {
		const char *t = j == k ? s : L[j].s;
		size_t tn = j == k ? n : L[j].n, p;
		if (kd_blank(t, tn))
			any_blank = 1;
		for (p = 0; p + nm + 1 < tn; p++) {
			if (t[p] != '<')
				continue;
			if (t[p + 1] == '/' && p + nm + 2 <= tn && bb_kd_strncasecmp(t + p + 2, name, nm) == 0 &&
			    (p + nm + 2 == tn || t[p + nm + 2] == '>' || t[p + nm + 2] == ' ')) {
				if (--depth == 0)
					return any_blank ? j : (size_t)-1;
			} else if (bb_kd_strncasecmp(t + p + 1, name, nm) == 0 &&
				   (p + nm + 1 == tn || t[p + nm + 1] == '>' || t[p + nm + 1] == ' ' || t[p + nm + 1] == '\t'))
				depth++;
		}
	}
	return (size_t)-1;
}

/* A block of raw HTML holding blank lines, from line k: one HTML block
 * (its blank lines kept as empty comments); the index of its last line, or
 * (size_t)-1 when there is none. */
static size_t
S_html_lines(kd_state *st, S_blk *bk, size_t k, size_t ib, bb_buf *out)
{
	size_t j = S_html_block(st, bk->L, bk->nl, k, ib), q;
	if (j == (size_t)-1)
		return j;
	for (q = k; q <= j; q++) {
		if (kd_blank(bk->L[q].s, bk->L[q].n))
			bb_buf_puts(out, "<!-- -->");
		else
			bb_buf_put(out, bk->L[q].s, bk->L[q].n);
		bb_buf_putc(out, '\n');
	}
	if (j + 1 < bk->nl && !kd_blank(bk->L[j + 1].s, bk->L[j + 1].n))
		bb_buf_putc(out, '\n');
	S_block_done(bk, out);
	return j;
}

/* A blank line: the block before ends; what the definition lists need to
 * know of it is kept. */
static void
S_blank_line(S_blk *bk, const bb_buf *out)
{
	if (!bk->prev_blank) {
		bk->para_before_blank = bk->kind == K_PARA;
		bk->blanks = 0;
	}
	bk->blanks++;
	S_block_done(bk, out);
	bk->tbl = 0;
}

/* A definition at line *kp: the paragraph before it (out's last, or the one
 * before the blank line) holds the terms; *kp moves to the list's last line. */
static void
S_definition(kd_state *st, S_blk *bk, size_t *kp, bb_buf *out)
{
	size_t tb = bk->prev_blank ? bk->para_start : bk->blk_start;
	size_t te = bk->prev_blank ? bk->para_end : out->len;
	char *terms = bb_xstrndup(out->data + tb, te - tb);
	int fap = bk->prev_blank;
	out->len = tb;
	bb_kd_deflist(st, bk->L, bk->nl, kp, terms, te - tb, fap, out);
	free(terms);
	(*kp)--;
	S_block_done(bk, out);
}

/* 1 when line s (col columns in) starts a block: after a blank line, a
 * heading or code; with GFM input (not kramdown's own) a list item also
 * interrupts a paragraph. */
static int
S_starts_block(const S_blk *bk, const char *s, size_t n, size_t col)
{
	return bk->kind == K_NONE || bk->kind == K_HEADING || bk->kind == K_CODE ||
	       (!bk->kd && bk->kind == K_PARA && col < 4 && bb_kd_list_marker(s, n));
}

/* The kind of the block that line s (indented by ib, col columns) starts. */
static void
S_block_start(S_blk *bk, const char *s, size_t n, size_t ib, size_t col, const bb_buf *out)
{
	bk->blk_start = out->len;
	if (bb_kd_list_marker(s, n)) {
		bk->kind = K_LIST;
		bk->in_list = 1;
	} else if (bk->in_list && col > 0) {
		bk->kind = K_LIST;
	} else if (s[ib] == '>' || s[ib] == '|' || s[ib] == '<') {
		bk->kind = K_OTHER;
	} else {
		bk->kind = K_PARA;
		bk->para_start = out->len;
	}
}

/* 1 when the fence of length f and char c opening line k is one for
 * kramdown (its FENCED_CODEBLOCK_MATCH, GFM's and its own): at most one
 * word after the fence, and a closing fence (as long or longer, nothing
 * after it) on a later line. kramdown reads any other as text: "```rb:
 * check.rb" opens no code block, and its closing ``` opens one instead. */
static int
S_kd_fence(const S_blk *bk, size_t k, size_t f, char c)
{
	const char *s = bk->L[k].s;
	size_t n = bk->L[k].n, i, j;
	kd_indent(s, n, &i);
	i += f;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (i < n && s[i] != ' ' && s[i] != '\t')
		i++;
	if (!kd_blank(s + i, n - i))
		return 0;
	for (j = k + 1; j < bk->nl; j++) {
		const char *t = bk->L[j].s;
		size_t m = bk->L[j].n, a = 0, e;
		while (a < m && a < 3 && t[a] == ' ')
			a++;
		for (e = a; e < m && t[e] == c; e++)
			;
		if (e - a >= f && kd_blank(t + e, m - e))
			return 1;
	}
	return 0;
}

/* A line inside an open code fence (*flen: its length, fc: its
 * character) or $$ block (*math), copied as it is; the closing line
 * closes it. Returns 1 when the line was such a line. */
static int
S_inside(const char *s, size_t n, size_t *flen, char fc, int *math, bb_buf *out)
{
	size_t f, ib;
	char c2;
	if (*flen) {
		S_put_line(out, s, n);
		f = bb_kd_fence(s, n, &c2);
		kd_indent(s, n, &ib);
		if (f >= *flen && c2 == fc && kd_blank(s + ib + f, n - ib - f))
			*flen = 0;
		return 1;
	}
	if (*math) {
		S_put_line(out, s, n);
		if (bb_kd_memmem(s, n, "$$", 2))
			*math = 0;
		return 1;
	}
	return 0;
}

/* Appends md rewritten for cmark-gfm to out, line by line, following the
 * block structure as kramdown reads it (st pre-scanned: ALDs, abbreviations,
 * reference definitions). Called again for fragments (bb_kd_fragment) and
 * the text of unknown extensions. */
void
bb_kd_pass(kd_state *st, const char *md, size_t len, bb_buf *out)
{
	size_t k, flen = 0; /* flen: the open fence's length */
	S_blk blk, *bk = &blk;
	char fc = 0;        /* and its character */
	int math = 0;       /* 1: in a $$ block */

	memset(bk, 0, sizeof *bk);
	bk->L = bb_kd_lines(md, len, &bk->nl);
	bk->prev_blank = 1;
	bk->kind = K_NONE;
	bk->kd = st->o->input == BB_KRAMDOWN_KRAMDOWN || st->o->legacy_gfm;

	for (k = 0; k < bk->nl; k++) {
		const char *s = bk->L[k].s;
		size_t n = bk->L[k].n, ib, col, a, b, c, d, f, t;
		unsigned line = (unsigned)k + 1;
		char c2;
		int boundary = bk->prev_blank || bk->next_ial, nofence;

		if (S_inside(s, n, &flen, fc, &math, out))
			continue;
		if (kd_blank(s, n)) {
			S_put_line(out, s, n);
			S_blank_line(bk, out);
			continue;
		}
		col = kd_indent(s, n, &ib);
		if (col >= 4 && (bk->kind == K_NONE || bk->kind == K_CODE) && !bk->in_list) {
			S_put_line(out, s, n);
			bk->kind = K_CODE;
			bk->prev_blank = 0;
			continue;
		}
		if (bk->prev_blank && col == 0 && !bb_kd_list_marker(s, n))
			bk->in_list = 0;
		nofence = 0;
		if ((f = bb_kd_fence(s, n, &c2)) != 0 && col < 4 && !(nofence = !S_kd_fence(bk, k, f, c2))) {
			flen = f;
			fc = c2;
			S_put_line(out, s, n);
			bk->kind = K_OTHER;
			bk->prev_blank = bk->next_ial = 0;
			continue;
		}
		if (col < 4 && n >= ib + 2 && s[ib] == '$' && s[ib + 1] == '$' && !bb_kd_memmem(s + ib + 2, n - ib - 2, "$$", 2)) {
			math = 1;
			S_put_line(out, s, n);
			bk->kind = K_OTHER;
			bk->prev_blank = bk->next_ial = 0;
			continue;
		}
		/* {::comment} ... {:/comment} and friends on lines of their own */
		if (S_extension(st, bk, &k, ib, out))
			continue;
		if (bb_kd_ald_line(s, n, &a, &b, &c, &d) || bb_kd_abbr_line(s, n, &a, &b, &c, &d)) {
			bb_buf_putc(out, '\n');
			S_block_done(bk, out);
			continue;
		}
		if (bb_kd_ial_line(s, n, &a, &b)) {
			S_ial_alone(st, bk, s, a, b, out, line);
			continue;
		}
		/* a block of raw HTML holding blank lines: one HTML block */
		if (col < 4 && s[ib] == '<' && !(bk->in_list && col > 0) && (t = S_html_lines(st, bk, k, ib, out)) != (size_t)-1) {
			k = t;
			continue;
		}
		/* kramdown: a block of lines with pipes is a table, header or not */
		if (bk->kind == K_NONE && col < 4 && !bk->in_list && !bb_kd_list_marker(s, n) &&
		    s[ib] != '>' && s[ib] != '#' && s[ib] != '<' && *st->frags < KD_MAX_FRAGS) {
			size_t q = bb_kd_plain_table(st, bk->L, bk->nl, k, out);
			if (q) {
				k = q - 1;
				S_block_done(bk, out);
				continue;
			}
		}
		/* a definition: the paragraph before holds the terms */
		if (bb_kd_dd_start(s, n, &t) && col < 4 && *st->frags < KD_MAX_FRAGS &&
		    ((bk->kind == K_PARA && !bk->prev_blank) ||
		     (bk->prev_blank && bk->blanks == 1 && bk->para_before_blank &&
		      bk->para_end == bk->blk_start - 1 - (size_t)0))) {
			S_definition(st, bk, &k, out);
			continue;
		}
		/* ATX headings */
		if (s[0] == '#' && S_atx(st, bk, s, n, boundary, out, line))
			continue;
		/* kramdown: a separator line in a table's body starts another
		 * tbody (---) or the tfoot (===); the cells stay the same */
		if (s[ib] == '|' && bk->tbl >= 2 && bb_kd_table_sep(s + ib, n - ib)) {
			bk->tbl++;
			continue;
		}
		bk->tbl = s[ib] == '|' && col < 4 ? bk->tbl + 1 : 0;
		/* kramdown: a list or quote does not interrupt a paragraph */
		if (bk->kd && bk->kind == K_PARA && col < 4 && (bb_kd_list_marker(s, n) || s[ib] == '>')) {
			S_lazy_line(st, s, n, ib, out, line);
			continue;
		}
		if (S_starts_block(bk, s, n, col))
			S_block_start(bk, s, n, ib, col, out);
		if (nofence) {
			/* text, not a fence, for cmark too */
			bb_buf_put(out, s, ib);
			bb_buf_putc(out, '\\');
			bb_kd_inline(st, s + ib, n - ib, out, line);
		} else
			bb_kd_inline(st, s, n, out, line);
		bb_buf_putc(out, '\n');
		if (bk->kind == K_PARA)
			bk->para_end = out->len;
		bk->prev_blank = bk->next_ial = 0;
	}
	free(bk->L);
}
