/* mathml.h: TeX to MathML through KaTeX (Debian libjs-katex) in a bb_js engine, with a per-engine cache and a store across runs (both kept by mathstore.c). */
#ifndef BB_MATHML_H
#define BB_MATHML_H

#include <stddef.h>
#include "js.h"
#include "util.h"

/* Longest formula converted; longer ones are refused with an error. */
#define BB_MATH_TEX_MAX ((size_t)16 << 10)
/* Deepest nesting of braces, \left..\right and \begin..\end allowed
 * (real formulas stay under 20; deep nesting costs KaTeX seconds and
 * gives MathML deeper than XML parsers accept). */
#define BB_MATH_DEPTH_MAX 64
/* KaTeX's maxExpand: macro expansions allowed per formula (a macro bomb
 * such as \def\a{\a\a}\a fails after this many, in milliseconds). */
#define BB_MATH_MAX_EXPAND 1000
/* A formula is rendered by the Node engine (jsnode.h) when it is there;
 * its answer is taken when it is at most BB_MATH_NODE_OUT bytes (far below
 * what Duktape's work limit allows) or KaTeX's parse error, else Duktape
 * renders the formula again and its limits decide. No clock decides: the
 * same formula gives the same book on an idle or a loaded machine. A
 * formula Node does not answer within its safety cap (BB_NODE_CALL_MS,
 * wall clock) stays TeX with a warning that says so. */
#define BB_MATH_NODE_OUT ((size_t)256 << 10)

/* Converts len bytes of TeX (without its $ or \[ delimiters) to MathML:
 * returns a new NUL-terminated string holding one well-formed
 * <math xmlns="http://www.w3.org/1998/Math/MathML"> element (display="block"
 * when display is nonzero) whose <semantics> keeps the TeX in
 * <annotation encoding="application/x-tex">, ready to be copied into an
 * XHTML file: made valid MathML 3 as EPUBCheck reads it (a token element
 * holding elements, as \text{... $x$ ...} gives, becomes an mrow whose text
 * stands in mtext; empty spacing attributes go) and written by libxml2;
 * the caller frees it. KaTeX runs with throwOnError, trust:false
 * (no \href, \url, \includegraphics, \html...), strict:'ignore' and
 * maxExpand BB_MATH_MAX_EXPAND; each formula starts with no macros defined.
 * Loads KaTeX from BB_JS_KATEX_PATH into js on first use, and mhchem
 * (bb_math_mhchem), when it is there, on the first formula that names
 * \ce, \pu or \tripledash (the Node engine loads it with KaTeX).
 * Returns NULL with *err set (caller frees) when KaTeX is missing, refuses
 * the formula ("KaTeX parse error: Undefined control sequence: \foo at
 * position 1: ..."), the formula uses a command that trust:false forbids,
 * or a limit is hit; the caller then keeps the TeX as it is, with a warning.
 * Results and errors are cached per engine by (display, TeX), so a formula
 * repeated across posts is converted once per thread. */
char *bb_math_mathml(bb_js *js, const char *tex, size_t len, int display, char **err);

/* 1 when a display formula's tex holds \\\\ outside every group and
 * environment: bb_math_mathml then has KaTeX render it as the rows of a
 * gathered environment (MathJax breaks the line there; KaTeX's own
 * linebreak is ignored by readers), the annotation keeping the TeX. */
int bb_math_toplevel_break(const char *tex, size_t len);

/* The TeX KaTeX is given for a display formula with such a break: when
 * display is set and bb_math_toplevel_break(tex, len), puts tex as the
 * rows of a gathered environment in w (replacing what w held) and returns
 * 1; else leaves w as it is and returns 0. The one rewrite for every
 * path to KaTeX (mathml.c's requests and renders, mathfast.c's). */
int bb_math_gathered(bb_buf *w, const char *tex, size_t len, int display);

/* KaTeX's MathML builder fails ("Got group of unknown type: 'internal'")
 * on a script whose base is a spacing command (x\!\!^{2}, a\quad_b),
 * which MathJax sets on an empty base. Puts tex with {} after each such
 * command in w (replacing what w held) and returns 1, or returns 0 (w
 * empty) when tex has none. */
int bb_math_empty_base(bb_buf *w, const char *tex, size_t len);

/* KaTeX's mhchem extension (\ce{H2O}, \pu{25 °C}): every engine (Duktape
 * and Node) runs it after KaTeX. Returns the path of its file
 * (BB_JS_MHCHEM_PATH) when it can be read, looked at once per process,
 * else NULL: \ce, \pu and \tripledash then stay TeX, their warning
 * saying that the file is not there. Thread-safe. */
const char *bb_math_mhchem(void);

/* For tests: looks for mhchem at path (a string that stays valid; ""
 * for none, NULL for BB_JS_MHCHEM_PATH) from now on. Engines that ran
 * it already keep it (make a new bb_js, and bb_node_stop). */
void bb_math_set_mhchem(const char *path);

/* What identifies the converter: the options KaTeX runs with and the size
 * and time of KaTeX's file and of mhchem's (or that there is none). The
 * store (bb_math_store_open) and the cache keys (settingskey.c) hold it,
 * so that MathML made by another KaTeX, or with mhchem where it is now
 * missing (or the reverse), is not reused. */
unsigned long long bb_math_tag(void);

/* Starts the Node engine and has it load KaTeX without waiting
 * (bb_node_prewarm): for a run that will need it, as early as it knows. */
void bb_math_prewarm(void);

/* Asks the Node engine (jsnode.h), in one batch, for the n formulas
 * (tex[i] of len[i] bytes, display[i]) that bb_math_mathml will convert
 * next in js (a post's), so that they cost one round trip instead of one
 * each (kaityo256: 2,870 formulas; a round trip costs 0.2 ms of CPU on a
 * virtual machine, more than V8's rendering). Does nothing when called
 * again with the same key and n, or without the Node engine. The answers
 * are kept in js until the next prefetch; bb_math_mathml uses them and
 * does what it did without them for any other formula. A NULL tex[i] is
 * left out (a formula the caller does not convert with KaTeX). */
void bb_math_prefetch(bb_js *js, const void *key, size_t n, const char *const *tex, const size_t *len,
	const int *display);
/* 1 when bb_math_prefetch with key and n would do something. */
int bb_math_prefetch_wanted(bb_js *js, const void *key, size_t n);

/* Opens the store of formulas converted by earlier runs (mathstore.c
 * keeps it, mathml.c gives it bb_math_tag and its check), the file path
 * (for example in the fetch cache folder): every engine then looks a
 * formula up there before running KaTeX (KaTeX takes 0.1 to 1 ms a
 * formula, a store lookup microseconds) and adds what it converts. A
 * missing file is an empty store; a file written for another KaTeX file
 * or other options is ignored (and rewritten on close); every MathML read
 * is checked as KaTeX's own is, so an edited file brings no script in.
 * Call once, before the render threads start. Returns the formulas
 * loaded, or -1 with *err set when a store is already open. path NULL:
 * a store in memory only (at most as many formulas as an engine's cache),
 * so that the render threads convert a formula once between them. */
long bb_math_store_open(const char *path, char **err);

/* Writes the store back to its file when it gained formulas (a temporary
 * file renamed over it, so a failed run leaves the old file) and closes
 * it. Call after the render threads end. Returns 0 (also when no store is
 * open), or -1 with *err set ("PATH: cannot write: ..."). */
int bb_math_store_close(char **err);

/* Cache figures of js's math cache: lookups that hit, and entries held. */
void bb_math_cache_stats(bb_js *js, unsigned long *hits, unsigned long *entries);

#endif
