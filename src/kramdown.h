/* kramdown.h: kramdown's dialect (Jekyll's Markdown engine, with its own
 * input or kramdown-parser-gfm's) turned into Markdown that cmark-gfm renders
 * the way kramdown does, and the pass over cmark's tree that kramdown's text
 * conversions need (typographic symbols, smart quotes, abbreviations).
 *
 * How the renderer uses it, for a post whose site reads kramdown:
 *
 *   bb_kramdown_opts o;
 *   bb_kramdown_opts_init(&o, BB_KRAMDOWN_GFM);   (or _KRAMDOWN: the site's input)
 *   md2 = bb_kramdown_pass(md, len, &o, &len2, diag, ud);
 *   parser = cmark_parser_new(CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES ...);
 *   attach "table", "strikethrough" (NOT "autolink" when o.autolink == 0:
 *   kramdown links no bare URL);
 *   cmark_parser_feed(parser, md2, len2); doc = cmark_parser_finish(parser);
 *   bb_kramdown_tree(doc, &o);       before any other walk over the tree
 *   ... render doc as usual ...
 *
 * Markers left in the Markdown for the renderer (all are HTML comments, so a
 * renderer that ignores them loses nothing but the attributes):
 *
 *   <!--bb-ial .c1 .c2 #id-->       block IAL: an HTML block right after the
 *                                    block it applies to (its previous sibling
 *                                    element); inline, right after the span it
 *                                    applies to (em, strong, a, code, img).
 *   <!--bb-ial-next .c #id-->        block IAL standing alone (after a blank
 *                                    line): applies to the next sibling block.
 *   <!--bb-ial-item .c #id-->        inline at the start of a list item's text:
 *                                    applies to the enclosing <li>.
 *   <nav class="bb-toc"></nav>       `{:toc}` (or `* TOC\n{:toc}`): the place
 *                                    of the post's table of contents, to be
 *                                    filled with its headings except those of
 *                                    class "no_toc".
 *   <!--bb-abbr ...-->               abbreviation definitions, read and
 *                                    removed by bb_kramdown_tree.
 *
 * Only safe attributes reach a marker: classes [A-Za-z0-9_-]+ and ids
 * [A-Za-z][A-Za-z0-9_.-]* (neither holding "--"); style, on* handlers (with a
 * warning) and every other attribute are dropped. Read a marker with
 * bb_kramdown_marker.
 *
 * Definition lists are rendered here (their terms and definitions through
 * cmark-gfm, with this pass) and left as one raw HTML block <dl>...</dl>.
 * Math ($$...$$, and $...$) is never changed, by either pass. */
#ifndef BB_KRAMDOWN_H
#define BB_KRAMDOWN_H

#include <stddef.h>
#include <cmark-gfm.h>

typedef enum bb_kramdown_input {
	BB_KRAMDOWN_GFM = 0,      /* kramdown-parser-gfm: Jekyll 3+ default */
	BB_KRAMDOWN_KRAMDOWN = 1  /* kramdown's own syntax: Jekyll 2, input: kramdown */
} bb_kramdown_input;

typedef struct bb_kramdown_opts {
	bb_kramdown_input input;
	int typographic;   /* --, ---, ..., << and >> (kramdown's default: on) */
	int smart_quotes;  /* "..." and '...' as curly quotes (default: on) */
	int legacy_gfm;    /* GFM input as kramdown before 1.4 read it (Jekyll 2
			    * sites, kramdown 1.3 in the Gemfile): ATX headings
			    * need no space after the #s (`##x`), and blocks end
			    * paragraphs as in kramdown's own syntax (default 0) */
	int autolink;      /* for the caller: 0, attach no autolink extension */
	int cmark_options; /* options of the cmark parses done here (definition lists) */
} bb_kramdown_opts;

/* Fills o with kramdown's defaults as Jekyll sets them, for the given input. */
void bb_kramdown_opts_init(bb_kramdown_opts *o, bb_kramdown_input input);

enum { BB_KRAMDOWN_NOTE = 0, BB_KRAMDOWN_WARNING = 1 };

/* Receives a message about the input at line:col (1-based, bytes). */
typedef void (*bb_kramdown_diag_fn)(void *ud, int severity, unsigned line, unsigned col,
				    const char *msg);

/* Returns a newly allocated, NUL-terminated Markdown text (its length in
 * *out_len) in which kramdown's syntax is replaced as described above; the
 * caller frees it. Code blocks, code spans and math pass unchanged. diag may
 * be NULL. Never fails (memory exhaustion aborts, as everywhere). */
char *bb_kramdown_pass(const char *md, size_t len, const bb_kramdown_opts *o, size_t *out_len,
		       bb_kramdown_diag_fn diag, void *ud);

/* Applies kramdown's text conversions to the text nodes of a tree parsed from
 * bb_kramdown_pass's output: typographic symbols and smart quotes (as o asks),
 * abbreviations (<abbr title> inline HTML), never inside code, HTML or math.
 * Removes the bb-abbr marker. Returns 0. */
int bb_kramdown_tree(cmark_node *doc, const bb_kramdown_opts *o);

enum {
	BB_KRAMDOWN_MARK_NONE = 0,
	BB_KRAMDOWN_MARK_PREV,   /* <!--bb-ial ...--> */
	BB_KRAMDOWN_MARK_NEXT,   /* <!--bb-ial-next ...--> */
	BB_KRAMDOWN_MARK_ITEM    /* <!--bb-ial-item ...--> */
};

/* Reads a marker from the text of an HTML node (or a comment's text with its
 * "<!--" and "-->" removed). Returns BB_KRAMDOWN_MARK_NONE when s is not
 * one, otherwise its kind, with *cls (classes, space-separated, or NULL) and
 * *id (or NULL) newly allocated; the caller frees them. */
int bb_kramdown_marker(const char *s, size_t n, char **cls, char **id);

#endif
