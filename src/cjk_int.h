/* cjk_int.h: what the files of the CJK typography passes share (cjk.c the
 * walk, cjk_char.c characters, cjk_align.c the tree matched with the raw
 * source, cjk_emph.c CJK-friendly emphasis, cjk_ruby.c ruby and
 * tate-chu-yoko): the state of one run and the functions they call across. */
#ifndef BB_CJK_INT_H
#define BB_CJK_INT_H

#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>

#include "cjk.h"
#include "util.h"

/* A backslash-escaped or entity-decoded `*_{}|^` is held as CJK_SENT + the
 * ASCII byte while a block is processed (see cjk.c). */
#define CJK_SENT 0x10FF00u
#define CJK_NONE ((size_t)-1)
/* Opener search steps per closer: bounds the delimiter algorithm on
 * adversarial input (thousands of runs that the rule of three skips). */
#define CJK_MAX_SEARCH 1000

#define CJK_GROW(arr, n, cap) do { \
	if ((n) >= (cap)) { \
		(cap) = (cap) ? 2 * (cap) : 32; \
		(arr) = bb_xrealloc((arr), (cap) * sizeof *(arr)); \
	} \
} while (0)

/* A text node with genuine delimiter bytes, or an emphasis node, in the
 * order the block's source holds them. */
typedef struct {
	cmark_node *node;
	size_t first, count;    /* text: its bytes in cjk_state.dl */
	size_t open, close;     /* emph/strong: raw offsets of the delimiters */
	int ch;                 /* emph/strong: '*' or '_' */
} cjk_rec;

typedef struct {
	size_t at;              /* offset in the text node's literal */
	size_t raw;             /* offset in the block's raw source */
} cjk_dbyte;

enum { CJK_T_TEXT, CJK_T_OPEN, CJK_T_CLOSE, CJK_T_ATOM };

typedef struct {
	int kind;
	cmark_node *node;
	size_t rec;             /* CJK_NONE when the node has no record */
} cjk_tok;

typedef struct {
	cmark_node *node;       /* the scope: block, link, image, ... */
	size_t base;            /* its first token */
	int bad;
} cjk_frame;

typedef struct {
	int ch;
	size_t start, len;      /* raw offset and length of the run */
	int can_open, can_close;
} cjk_run;

/* An emphasis element by where its delimiters stand in the raw source. */
typedef struct {
	size_t open, close;
	int use;
} cjk_sig;

typedef struct {
	cmark_node *node;
	size_t start;           /* raw offset of the run */
	int ch, len, cur;       /* len: whole run, for the rule of three */
	int front;              /* used from the front (as closer) */
	int can_open, can_close;
	long prev, next;
} cjk_delim;

typedef struct {
	unsigned flags;
	unsigned changes;
	const unsigned char *raw;
	size_t len, c;
	int in_url;             /* inside an extension autolink's text */
	cjk_rec *rec;
	size_t nrec, caprec, ri;
	cjk_dbyte *dl;
	size_t ndl, capdl;
	size_t *stk;
	size_t nstk, capstk;
	cjk_tok *tok;
	size_t ntok, captok;
	cjk_frame *fr;
	size_t nfr, capfr;
	cjk_run *run;
	size_t nrun, caprun;
	size_t *erun;
	size_t nerun, caperun;
	cjk_delim *dlm;
	size_t ndlm, capdlm;
	cmark_node **nodes;
	size_t nnodes, capnodes;
	cjk_sig *sig;             /* cmark's emphasis, then the rebuilt one */
	size_t nsig, capsig, nold;
	bb_buf buf, buf2;
} cjk_state;

/* ---- cjk_char.c ---- */

/* The code point at s (U+FFFD for a bad sequence); sets *len to its bytes. */
unsigned bb_cjk_cp_at(const unsigned char *s, size_t n, size_t *len);

/* The code point that ends at s[pos], not reaching before s[start];
 * 0 when there is none. */
unsigned bb_cjk_cp_before(const unsigned char *s, size_t start, size_t pos);

/* A code point with sentinels mapped back to the ASCII they stand for. */
unsigned bb_cjk_norm(unsigned cp);

/* ASCII punctuation, as CommonMark escapes it. */
int bb_cjk_ascii_punct(int c);

/* The syntax characters the passes read: * _ { } | ^ */
int bb_cjk_special(int c);

/* Unicode whitespace as cmark reads it. */
int bb_cjk_space(unsigned cp);

/* Unicode punctuation as cmark reads it. */
int bb_cjk_punct(unsigned cp);

/* CJK in the sense of the amendment: East Asian Wide/Fullwidth/Halfwidth,
 * not emoji, or Hangul. bb_is_cjk plus the wide blocks it leaves out. */
int bb_cjk_wide(unsigned cp);

/* Characters between which a line break is dropped (CSS Text's segment
 * break rule): wide East Asian, but not Hangul. */
int bb_cjk_joins(unsigned cp);

/* Marks that belong to the character before them, for per-character ruby. */
int bb_cjk_mark(unsigned cp);

/* Writes cp as UTF-8 to out (4 bytes room); returns the bytes. */
size_t bb_cjk_utf8(unsigned cp, unsigned char *out);

/* n's literal ("" when it has none) and its length. */
const unsigned char *bb_cjk_literal(cmark_node *n, size_t *len);

/* A strikethrough node of cmark-gfm's extension. */
int bb_cjk_is_strike(cmark_node *n);

/* A block that holds inlines: paragraph, heading, table cell. */
int bb_cjk_is_inline_block(cmark_node *n);

/* The first (or last) character a reader sees in node n: looks inside
 * emphasis, links and strikethrough. Ruby and tate-chu-yoko count as CJK.
 * 0 when there is none. */
unsigned bb_cjk_edge(cmark_node *n, int last);

/* ---- cjk_align.c ---- */

/* ASCII whitespace. */
int bb_cjk_isspace(int c);

/* Pushes v on st->stk. */
void bb_cjk_push_stack(cjk_state *st, size_t v);

/* Walks the block's inlines alongside its raw source (the string content
 * cmark-gfm keeps); 0 when every node was found where it should be. */
int bb_cjk_align_block(cjk_state *st, cmark_node *block);

/* ---- cjk_emph.c ---- */

/* Appends n to st->nodes. */
void bb_cjk_push_node(cjk_state *st, cmark_node *n);

/* One walk over an aligned block: each scope (the block, a link, an
 * image, a strikethrough) is re-parsed when the walk leaves it, which is
 * after its inner scopes and before anything after it is read. */
void bb_cjk_emph_block(cjk_state *st, cmark_node *block);

/* ---- cjk_ruby.c ---- */

/* Cuts the ruby and tate-chu-yoko of text node n into HTML nodes put before
 * it; n is freed when nothing of it is left. */
void bb_cjk_ruby_tcy_text(cjk_state *st, cmark_node *n);

#endif
