/* markdown.h: a post's body to a libxml2 HTML tree: Markdown through
 * cmark-gfm (under its lock, bounded, with the CJK hook), or HTML as it is,
 * then libxml2's HTML parser. The tree is what the outline and the XHTML
 * writer walk. */
#ifndef BB_MARKDOWN_H
#define BB_MARKDOWN_H

#include "diag.h"
#include "util.h"

#include <libxml/tree.h>

/* Raw HTML nested deeper than this loses its outer tags (its text stays). */
#define BB_MAX_DEPTH 200
/* Elements one post's Markdown may make (cmark nodes, and tags in its raw
 * HTML): libxml2's tree costs some hundreds of bytes for each, and a post of
 * a million one-line headings would cost over a gigabyte. The rest of such
 * a post is kept as plain text. */
#define BB_MAX_NODES 250000

/* The Markdown a blog's engine reads. */
enum {
	BB_DIALECT_GFM = 0,       /* CommonMark with GitHub's extensions (cmark-gfm as it is) */
	BB_DIALECT_KRAMDOWN_GFM,  /* Jekyll 3+: kramdown with kramdown-parser-gfm */
	BB_DIALECT_KRAMDOWN,      /* kramdown's own syntax (input: kramdown) */
	BB_DIALECT_KRAMDOWN_LEGACY, /* Jekyll 2, kramdown 1.3: GFM input read the old way (##x headings) */
	BB_DIALECT_GOLDMARK       /* Hugo's goldmark */
};

struct bb_math_spans;
struct bb_goldmark_opts;

/* One body to convert. Dialect pre-passes (kramdown) and placeholders (math)
 * belong in bb_markdown_to_tree, on the text before cmark sees it. */
typedef struct bb_markdown_in {
	const char *text;  /* the body, after macros; need not end in NUL */
	size_t len;
	int is_html;       /* 1: the body is HTML already (no Markdown pass) */
	const char *path;  /* the post's, for messages */
	unsigned line0;    /* file line of the text's first line */
	bb_diaglist *dl;   /* messages (a post cut at BB_MAX_NODES) */
	int dialect;       /* BB_DIALECT_* */
	struct bb_math_spans *math; /* when not NULL: formulas found are kept here, placeholders left */
	int html_parser;   /* 1: always libxml2's HTML parser, never the XML one (tests compare) */
	const struct bb_goldmark_opts *goldmark; /* BB_DIALECT_GOLDMARK's settings, or NULL: Hugo's defaults */
} bb_markdown_in;

/* One-time set-up of libxml2 and cmark-gfm's extensions; call from the main
 * thread before converting on other threads (bb_markdown_to_tree calls it). */
void bb_markdown_init(void);

/* Converts in->text to an HTML tree and sets *body to its <body> element,
 * which holds every top-level block (whatever the parser left beside it is
 * gathered in). Never NULL: an empty body gives an empty <body>. The caller
 * frees the tree with xmlFreeDoc. Thread-safe. */
xmlDocPtr bb_markdown_to_tree(const bb_markdown_in *in, xmlNodePtr *body);

/* 1 when the HTML post html (NUL-terminated, is_html) goes to libxml2's XML
 * parser, which makes the HTML parser's tree of it; 0 when it goes to the
 * HTML parser straight away (bb_markdown_to_tree asks; exported for the
 * tests). */
int bb_markdown_html_xml_ready(const char *html);

/* The value of attribute name of element n: "" for one written without a
 * value (as data-footnote-ref), NULL when absent. Valid while n lives. */
const char *bb_tree_attr(xmlNodePtr n, const char *name);

/* Appends the text under the nodes n, n->next...: ruby annotations, scripts
 * and styles left out, at most BB_MAX_DEPTH levels (start with depth 0). */
void bb_tree_text(xmlNodePtr n, bb_buf *b, int depth);

#endif
