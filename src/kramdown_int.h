/* kramdown_int.h: what the files of the kramdown dialect share, private to
 * them (and their unit tests). The pass that rewrites kramdown for cmark-gfm:
 * kramdown.c (the driver: pre-scan, fragments, bb_kramdown_pass),
 * kramdown_block.c (the line scanner, block by block), kramdown_span.c (one
 * line's spans), kramdown_attr.c (IALs, ALDs and the markers they become),
 * kramdown_deflist.c and kramdown_table.c (the constructs written as HTML),
 * kramdown_scan.c (small scanners of text and lines). The pass over cmark's
 * tree: kramdown_tree.c (the walk), kramdown_typo.c (typographic symbols and
 * smart quotes), kramdown_abbr.c (abbreviations, from their definition
 * lines to <abbr>). */
#ifndef BB_KRAMDOWN_INT_H
#define BB_KRAMDOWN_INT_H

#include "kramdown.h"
#include "util.h"

#include <stddef.h>

#define KD_MAX_ABBR 1000      /* abbreviations kept per post */
#define KD_MAX_ALD 1000       /* attribute list definitions kept per post */
#define KD_MAX_DEPTH 4        /* definition lists inside definition lists */
#define KD_MAX_REF_DEPTH 8    /* ALD references through ALDs */
#define KD_MAX_SCAN 4000000   /* lines looked at ahead for end tags, per post */
#define KD_MAX_DEFS 100000    /* link and footnote definitions compared per post */
#define KD_MAX_FRAGS 5000     /* terms and definitions parsed apart, per post */
#define KD_MAX_URL 1024       /* bytes of a link destination looked at */
#define KD_MAX_ABBR_WORK 30000000 /* abbreviation comparisons per tree */

typedef struct kd_abbr {
	char *name, *title;
} kd_abbr;

/* A post's abbreviations: in the pass, as read from `*[NAME]: title` lines;
 * in the tree pass, as read back from the bb-abbr marker. */
typedef struct kd_abbrs {
	kd_abbr *v;
	size_t n;
	unsigned char first[256];  /* bytes an abbreviation starts with (tree pass) */
	size_t work;               /* comparisons made, bounded (tree pass) */
} kd_abbrs;

typedef struct kd_ald {
	char *name, *body;
	unsigned line;
} kd_ald;

/* One pass over one text (a post, or a fragment of it: a definition). */
typedef struct kd_state {
	const bb_kramdown_opts *o;
	bb_kramdown_diag_fn diag;
	void *ud;
	kd_abbrs abbr;
	kd_ald *ald;
	size_t nald;
	bb_buf refdefs;  /* the post's link reference definitions, for fragments */
	int depth;
	unsigned line0;  /* line of the fragment's first line in the post, minus one */
	size_t scan;     /* lines looked at ahead (end tags), bounded by KD_MAX_SCAN */
	size_t *frags;   /* fragments rendered through cmark, bounded by KD_MAX_FRAGS */
} kd_state;

/* Attributes read from an IAL. */
typedef struct kd_attrs {
	bb_buf cls;
	char *id;
	int toc;
	int budget;   /* tokens read through references, bounded */
} kd_attrs;

/* One line of a text, without its newline. */
typedef struct kd_line {
	const char *s;
	size_t n;
} kd_line;

static inline int
kd_word(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static inline int
kd_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Small scanners used on every line, inline as they were in one file. */

/* 1 when s[0..n) holds only spaces and tabs (and a CR). */
static inline int
kd_blank(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Columns of leading white space (a tab to the next multiple of 4); *bytes
 * gets the bytes it spans. */
static inline size_t
kd_indent(const char *s, size_t n, size_t *bytes)
{
	size_t i, col = 0;
	for (i = 0; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
		col = s[i] == '\t' ? (col + 4) / 4 * 4 : col + 1;
	if (bytes)
		*bytes = i;
	return col;
}

/* Length of n without trailing white space. */
static inline size_t
kd_rtrim(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	return n;
}

/* ---- kramdown.c: the driver ---- */

/* Sends a formatted message about line:col of st's text to the diag
 * callback, if any. */
void bb_kd_diag(kd_state *st, int sev, unsigned line, unsigned col, const char *fmt, ...);
/* Renders md (a term, a definition, a table cell) through this pass and
 * cmark-gfm; returns HTML (caller frees) without blank lines, and without
 * the wrapping <p> when unwrap asks. line: md's first line in st's text. */
char *bb_kd_fragment(kd_state *st, const char *md, size_t len, int unwrap, unsigned line);

/* ---- kramdown_scan.c: small scanners ---- */

const char *bb_kd_memmem(const char *h, size_t hn, const char *nd, size_t nn);
int bb_kd_strncasecmp(const char *a, const char *b, size_t n);
size_t bb_kd_list_marker(const char *s, size_t n);
size_t bb_kd_fence(const char *s, size_t n, char *c);
/* The lines of md (newly allocated array, caller frees; *count of them). */
kd_line *bb_kd_lines(const char *md, size_t len, size_t *count);
/* Where the backtick runs of a line start, by length: a code span opened by
 * a run of length L closes only if a run of L starts later, which
 * bb_kd_ticks_after answers at once, so an opener that never closes costs
 * no scan to the line's end (distinct lengths of a line of n bytes are
 * under sqrt(2n): without this, scanning for each was O(n sqrt n)). */
typedef struct kd_ticks {
	size_t *len, *last; /* open addressing: len 0 = free slot */
	size_t cap;
} kd_ticks;
void bb_kd_ticks_init(kd_ticks *t, const char *s, size_t n);
/* 1 when a run of exactly len backticks starts after position i. */
int bb_kd_ticks_after(const kd_ticks *t, size_t len, size_t i);
/* Where the code span opened by the run s[i..k) closes: the start of the
 * next run of exactly k - i backticks, or n when none follows. */
size_t bb_kd_tick_close(const kd_ticks *t, const char *s, size_t n, size_t i, size_t k);
void bb_kd_ticks_free(kd_ticks *t);

/* ---- kramdown_attr.c: IALs and ALDs ---- */

int bb_kd_valid_class(const char *s, size_t n);
int bb_kd_valid_id(const char *s, size_t n);
/* Reads an IAL/ALD body into a (free it with bb_kd_attrs_free). */
void bb_kd_parse_attrs(kd_state *st, const char *s, size_t n, kd_attrs *a, unsigned line, unsigned col,
		       int depth);
void bb_kd_put_marker(bb_buf *out, const char *kind, const kd_attrs *a);
void bb_kd_attrs_free(kd_attrs *a);
int bb_kd_ald_line(const char *s, size_t n, size_t *nb, size_t *ne, size_t *bb, size_t *be);
int bb_kd_ial_line(const char *s, size_t n, size_t *b, size_t *e);

/* ---- kramdown_block.c: the line scanner ---- */

/* Appends md rewritten for cmark-gfm to out (st pre-scanned). */
void bb_kd_pass(kd_state *st, const char *md, size_t len, bb_buf *out);

/* ---- kramdown_span.c: one line's spans ---- */

void bb_kd_inline(kd_state *st, const char *s, size_t n, bb_buf *out, unsigned line);

/* ---- kramdown_deflist.c, kramdown_table.c: written as HTML ---- */

int bb_kd_dd_start(const char *s, size_t n, size_t *text);
void bb_kd_deflist(kd_state *st, kd_line *L, size_t nl, size_t *k, const char *terms, size_t tn,
		   int first_as_para, bb_buf *out);
int bb_kd_table_sep(const char *s, size_t n);
size_t bb_kd_plain_table(kd_state *st, kd_line *L, size_t nl, size_t k, bb_buf *out);

/* ---- kramdown_typo.c: typographic symbols and smart quotes ---- */

void bb_kd_typo(const bb_kramdown_opts *o, const char *s, size_t n, size_t a, size_t b, bb_buf *out);

/* ---- kramdown_abbr.c: abbreviations ---- */

int bb_kd_abbr_line(const char *s, size_t n, size_t *nb, size_t *ne, size_t *tb, size_t *te);
void bb_kd_abbr_define(kd_abbrs *a, const char *name, size_t nn, const char *title, size_t tn);
void bb_kd_abbr_put(const kd_abbrs *a, bb_buf *out);
void bb_kd_abbr_read(kd_abbrs *a, cmark_node *doc);
void bb_kd_abbr_nodes(kd_abbrs *a, const char *s, size_t n, int prevw, cmark_node *before);
void bb_kd_abbr_free(kd_abbrs *a);

#endif
