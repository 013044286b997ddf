/* shortcode_hugo_int.h: what shortcode_hugo.c (the tags, the built-in
 * shortcodes) shares with shortcode_theme.c (a theme's shortcodes without
 * their templates): the tag and the expansion's state, and the helpers
 * both write with (shortcode_text.c). Private to the three. */
#ifndef BB_SHORTCODE_HUGO_INT_H
#define BB_SHORTCODE_HUGO_INT_H

#include "shortcode_hugo.h"
#include "util.h"

#define SC_MAX_TAG 16384 /* bytes of one tag, newlines included */
#define SC_MAX_ARGS 24
#define SC_MAX_NAME 64
#define SC_MAX_CLOSES 64 /* names of closing tags remembered */
#define SC_MAX_BOXES 16  /* admonitions open one in another */

typedef struct sc_tag {
	size_t start, end;          /* "{{" and just after "}}" */
	char delim;                 /* '<' or '%' */
	int closing;                /* {{< /name >}} */
	int comment;                /* {{< /-star ... star-/ >}} */
	size_t cb, ce;              /* a comment's text */
	char name[SC_MAX_NAME];
	char *key[SC_MAX_ARGS];     /* NULL for a positional argument */
	char *val[SC_MAX_ARGS];
	int quoted[SC_MAX_ARGS];     /* the value was a "string" or `raw` */
	int nargs;
} sc_tag;

typedef struct sc_state {
	const bb_hugo_in *in;
	const char *text;
	size_t len;
	size_t cur;                 /* the line/column cursor: offset, */
	unsigned line, col;         /* and its place in the file */
	bb_buf out;
	bb_hugo_counts n;
	char no_close_name[SC_MAX_NAME]; /* a closing tag of this name */
	size_t no_close_from;            /* is not found from here on */
	/* the closing tags of the text: each name's last one (where it
	 * starts), to tell a paired shortcode from one that stands alone */
	struct { char name[SC_MAX_NAME]; size_t last; } closes[SC_MAX_CLOSES];
	int ncloses;
	/* the admonition boxes open, innermost last: their names */
	struct { char name[SC_MAX_NAME]; } boxes[SC_MAX_BOXES];
	int nboxes;
	/* the fenced code blocks: lines read up to fence_at, and the fence
	 * open there (its mark and length; 0 when none) */
	size_t fence_at, fence_eol; /* and the end of the line at fence_at */
	char fence_mark;
	size_t fence_len;
} sc_state;

/* shortcode_text.c. The named argument key, else positional argument pos (-1: none), or NULL. */
const char *bb_hsc_arg(const sc_tag *t, const char *key, int pos);

/* 1 when offset off of the text is inside a fenced code block; offsets
 * are asked in increasing order. */
int bb_hsc_in_fence(sc_state *st, size_t off);

/* 1 when a closing tag of the tag's name follows it. */
int bb_hsc_paired(const sc_state *st, const sc_tag *tag);

/* The indent of a block written for the tag at start (*ind its blanks),
 * a new line begun when the tag does not start its line; and the new line
 * after a block unless the text goes on with one. */
size_t bb_hsc_block_indent(sc_state *st, size_t start, const char **ind);
void bb_hsc_block_end(sc_state *st, size_t next);

/* Appends s as a Markdown link text, and as the Markdown of one paragraph. */
void bb_hsc_label(bb_buf *o, const char *s);
void bb_hsc_para(bb_buf *o, const char *s);

/* shortcode_theme.c: an admonition's box opened (0: too many open, or in
 * code) and closed (0: none of that name open); LoveIt's link and version
 * (0: not of that form); an unknown shortcode's text arguments and images
 * kept (1 when some were). */
int bb_hsc_box_open(sc_state *st, const sc_tag *tag);
int bb_hsc_box_close(sc_state *st, const sc_tag *tag);
int bb_hsc_link(sc_state *st, const sc_tag *tag);
int bb_hsc_version(sc_state *st, const sc_tag *tag);
int bb_hsc_keep_args(sc_state *st, const sc_tag *tag);

#endif
