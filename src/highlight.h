/* highlight.h: code to highlighted XHTML spans through highlight.js (Debian libjs-highlight.js) in a bb_js engine. */
#ifndef BB_HIGHLIGHT_H
#define BB_HIGHLIGHT_H

#include <stddef.h>
#include "js.h"

/* Longest code block highlighted; longer ones stay plain (an error says so).
 * With the engine's time cap this bounds the work of one block: a regex
 * that backtracks inside one match does not allocate, so the size cap is
 * what limits it. */
#define BB_HIGHLIGHT_MAX ((size_t)128 << 10)

/* Highlights len bytes of code (UTF-8) written in language lang (a name or
 * alias highlight.js knows, any case: "c", "C++", "py", "ruby", "sh";
 * "console" and "shell-session" map to shell, "zsh" to bash; Qiita's
 * "cpp:main.cpp" and a bare file name "main.cpp" mean cpp).
 * Returns a new NUL-terminated XHTML fragment (caller frees) meant as the
 * content of <code>: text with &, < and > escaped, tokens wrapped in
 * <span class="hljs-keyword">, hljs-string, hljs-comment, hljs-number,
 * hljs-title, hljs-built_in, hljs-meta ... (highlight.js 9.18 names; style
 * them with templates/highlight.css). Removing the tags and decoding the
 * entities gives back the code byte for byte. A span may hold line breaks
 * (a comment over several lines); bb_highlight_lines splits them by line.
 * Returns NULL with *err NULL when the language is unknown or means plain
 * text ("text", "plain", "none", "") — the caller keeps plain code, no
 * warning needed; NULL with *err set (caller frees) when highlight.js is
 * missing, the code is not UTF-8 or too long, or a limit is hit.
 * Languages the native tokenizer knows (hlnative.h: the C family, Go,
 * Rust, Swift, Python, Ruby, shell and console, TOML, YAML, JSON) are
 * done in C, about 100 times faster, without js (which may then be NULL);
 * the others load highlight.js from BB_JS_HLJS_PATH into js on first use. */
char *bb_highlight(bb_js *js, const char *lang, const char *code, size_t len, char **err);

/* Asks the Node engine (jsnode.h) at once for the n blocks that
 * bb_highlight will be asked for (lang[i], code[i] of len[i] bytes, as
 * bb_highlight takes them), in one round trip instead of one a block: a
 * post's blocks before its first is written. The answers are kept in js
 * until the next prefetch; bb_highlight takes a block's from there, else
 * asks as usual, so the result never depends on what was asked ahead.
 * Blocks the native tokenizer does, plain text and unknown names are
 * left out; without Node it only records the blocks. */
void bb_highlight_prefetch(bb_js *js, size_t n, const char *const *lang, const char *const *code,
	const size_t *len);

/* 1 when the post's text (len bytes) seems to hold a code block that
 * bb_highlight will take to highlight.js: a fence (``` or ~~~) or a Liquid
 * {% highlight %} naming a language the native tokenizer does not know.
 * A guess, read before Liquid and Markdown: it only decides when Node
 * starts (bb_highlight_prewarm), never what a block becomes. */
int bb_highlight_sniff(const char *text, size_t len);

/* Starts the Node engine and has it load highlight.js without waiting
 * (bb_node_prewarm): for a run that will need it, as early as it knows;
 * each language the post's text (len bytes) names for highlight.js is
 * registered and compiled too, while the threads render other posts (a
 * highlighting of nothing, dropped: the blocks' bytes do not change). */
void bb_highlight_prewarm(const char *text, size_t len);

/* 0 when bb_highlight would take the block (lang, code of len bytes) to
 * highlight.js and it was not in the last prefetch (a new post's first
 * block: time to prefetch), else 1. */
int bb_highlight_asked(bb_js *js, const char *lang, const char *code, size_t len);

/* As bb_highlight, always through highlight.js (richer tokens: function
 * signatures, parameters, nested languages), never the native tokenizer. */
char *bb_highlight_js(bb_js *js, const char *lang, const char *code, size_t len, char **err);

/* Splits a highlighted fragment (from bb_highlight, or plain code escaped
 * for XML) into lines for `linenos`: returns a new string where each line
 * becomes <span class="hl-line"><span class="hl-ln">N</span>CODE</span>
 * followed by "\n", numbered from first, the numbers right-aligned to the
 * widest; spans open at a line end are closed there and opened again on
 * the next line, so every line is well-formed on its own. A final empty
 * line (the code ended with "\n") is not numbered. Caller frees; NULL
 * when tags nest deeper than 32. */
char *bb_highlight_lines(const char *html, size_t len, unsigned first);

#endif
