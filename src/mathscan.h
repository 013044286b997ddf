/* mathscan.h: finds math (TeX between $, $$, \(, \[, \begin{equation} ... delimiters) in Markdown source, before cmark sees it, and in HTML bodies. */
#ifndef BB_MATHSCAN_H
#define BB_MATHSCAN_H

#include <stddef.h>

/* How the blog's Markdown engine and its page's math script saw the text.
 *
 * BB_MATHSCAN_KRAMDOWN (Jekyll): kramdown's own math is $$...$$ only. A
 *   $$ that starts a line after a blank line (or at a container's start:
 *   the document, a list item, a block quote) and whose closing $$ ends a
 *   line followed by a blank line or the end is a display block (it may
 *   span several lines); any other $$...$$ is inline math, even inside a
 *   paragraph. Its TeX is kept raw. The other delimiters enabled below
 *   are those of MathJax run on the page: MathJax saw the text after
 *   kramdown's backslash escapes, so \( is written \\( in the source, and
 *   their TeX is unescaped as kramdown did (\\{ becomes \{, \_ becomes _).
 * BB_MATHSCAN_GOLDMARK (Hugo with the passthrough extension): every
 *   delimiter is raw source and the TeX is raw; $$ and \[ are display
 *   (block delimiters, even inside a paragraph), $ and \( inline.
 * BB_MATHSCAN_COMMONMARK (a CommonMark engine, MathJax on the page): like
 *   the MathJax part of KRAMDOWN, with CommonMark's escapes (every ASCII
 *   punctuation character); $$ is display and its TeX unescaped too. */
enum bb_mathscan_dialect {
	BB_MATHSCAN_KRAMDOWN,
	BB_MATHSCAN_GOLDMARK,
	BB_MATHSCAN_COMMONMARK
};

/* Delimiters to find (kramdown's $$ is always found in its dialect). */
#define BB_MATHSCAN_DDOLLAR  0x01u  /* $$...$$ (GOLDMARK, COMMONMARK, HTML) */
/* $...$ inline, the dollar rule of pandoc and GFM so that a price stays
 * a dollar: the opening $ is not followed by a space, the closing $ is
 * not preceded by a space and not followed by a digit ("costs $5 and $10"
 * holds no math). A $ escaped with a backslash is never a delimiter. */
#define BB_MATHSCAN_DOLLAR   0x02u
/* With DOLLAR: MathJax's pairing, as kaityo256 and Chirpy blogs rely on:
 * spaces allowed inside the dollars ("$ x $"), and a $ next to another $
 * may open or close ("$a$$b$" is a and b); the closing $ still may not be
 * followed by a digit, so prices stay dollars. */
#define BB_MATHSCAN_DOLLAR_LOOSE 0x04u
#define BB_MATHSCAN_PAREN    0x08u  /* \( ... \) inline */
#define BB_MATHSCAN_BRACKET  0x10u  /* \[ ... \] display */
/* \begin{equation|equation*|align|align*|gather|gather*|multline|
 * multline*|eqnarray|eqnarray*} ... \end{same}, display; the TeX keeps
 * the \begin and \end (KaTeX renders the environment). */
#define BB_MATHSCAN_ENV      0x20u
/* HTML only: WordPress.com's $latex ...$ and the WP LaTeX plugin's
 * [latex]...[/latex], inline. */
#define BB_MATHSCAN_WPLATEX  0x40u
/* Markdown only: math in template tags, display when the opening tag says
 * "display" or stands alone on its line: Liquid {% katex [display] %} ...
 * {% endkatex %} (jekyll-katex), {% math %} ... {% endmath %},
 * {% latex %} ... {% endlatex %}; Hugo {{< katex [display] >}} ...
 * {{< /katex >}} and {{< math >}} ... {{< /math >}} (also {{% %}}). The
 * span is the tags and what they hold; the TeX is raw. */
#define BB_MATHSCAN_TAGS     0x80u

/* Longest formula found; a longer stretch between delimiters is not math. */
#define BB_MATHSCAN_TEX_MAX ((size_t)64 << 10)
/* Most spans found in one text; the rest are left as text. */
#define BB_MATHSCAN_MAX_SPANS 100000

typedef struct bb_math_span {
	size_t off, len;     /* the span, delimiters included, in the input */
	char *tex;           /* the TeX, delimiters removed, whitespace trimmed,
	                      * unescaped as the dialect says; NUL-terminated */
	size_t tex_len;
	int display;         /* 1 display, 0 inline */
	unsigned line, col;  /* of the opening delimiter: line from first_line,
	                      * column 1-based in bytes */
} bb_math_span;

/* A list of spans in input order, none overlapping. Initialise with
 * BB_MATH_SPANS_INIT; free with bb_math_spans_free. */
typedef struct bb_math_spans {
	bb_math_span *v;
	size_t n, cap;
} bb_math_spans;
#define BB_MATH_SPANS_INIT { NULL, 0, 0 }

/* Appends to out the math in len bytes of Markdown s (a post's body; its
 * first line is line first_line of the file), as dialect and flags say.
 * Never inside fenced code (``` and ~~~, at any indentation, in lists and
 * block quotes too), indented code (4 spaces or a tab after a blank line,
 * outside lists), code spans (`...`), raw <pre>, <code>, <script>,
 * <style> and HTML comments, Liquid {% highlight %} and Hugo
 * {{< highlight >}} blocks. Linear in len. Returns the number of spans
 * appended. */
size_t bb_mathscan_markdown(const char *s, size_t len, int dialect, unsigned flags,
	unsigned first_line, bb_math_spans *out);

/* Appends to out the math in len bytes of an HTML body (WordPress,
 * Blogger): MathJax's <script type="math/tex"> (inline) and
 * <script type="math/tex; mode=display"> (display) always, the span being
 * the whole element; with flags, \( \) \[ \] $$ $ (same rules as above)
 * and WordPress's $latex$ / [latex] in text, never inside tags, comments,
 * <pre>, <code>, <script>, <style> or <textarea>; entities in text TeX
 * are decoded. Returns the number of spans appended. */
size_t bb_mathscan_html(const char *s, size_t len, unsigned flags, unsigned first_line,
	bb_math_spans *out);

/* Frees the spans' TeX and the list, leaving it empty. Accepts NULL. */
void bb_math_spans_free(bb_math_spans *l);

#endif
