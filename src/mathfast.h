/* mathfast.h: simple formulas to MathML in C, byte for byte what KaTeX
 * (mathml.c) and formula.c's clean-up write for them, without the engine. */
#ifndef BB_MATHFAST_H
#define BB_MATHFAST_H

#include <stddef.h>

/* The KaTeX whose output the fast path copies (its symbol table was made
 * from it by tools/mathfast-table.js); another one turns the path off. */
#define BB_MATHFAST_KATEX "0.16.4"

/* Returns the <math> element for len bytes of TeX (display nonzero: a
 * display formula), exactly as bb_formula_put would write KaTeX's answer
 * (the TeX in the annotation), or NULL when the formula is not one the
 * fast path knows: anything beyond ASCII letters, digits and symbols,
 * Greek and the symbols KaTeX writes as one token (typed as characters
 * too, for Latin-1 and Greek), CJK and full-width characters (KaTeX's
 * text), ^ _ ' and braces, \frac, \sqrt (with an index of one letter or
 * digit), accents (\hat, \vec, \dot ...), \mathrm and the other font
 * commands, \text and the like, \left ... \right, named operators (\sin,
 * \lim ...), \sum-like operators, the spaces \, \; \quad, \\ outside an
 * environment's rows, \mod, \xrightarrow and some environments
 * (aligned, the matrices). Also NULL when the installed KaTeX is not
 * BB_MATHFAST_KATEX. Caller frees. Thread-safe. */
char *bb_mathfast(const char *tex, size_t len, int display);

/* The same without the check of the installed KaTeX (for tests). */
char *bb_mathfast_any(const char *tex, size_t len, int display);

/* When KaTeX will fail on len bytes of TeX (display nonzero: a display
 * formula) with an error the fast path can write, returns that error as
 * bb_math_mathml gives it (caller frees); else NULL. Those are a control
 * symbol KaTeX does not define (\\< \\? \\1 ...) met before anything the
 * fast path does not take, in ASCII TeX not made gathered rows, with no
 * more than BB_MATH_DEPTH_MAX groups. NULL too when the installed KaTeX
 * is not BB_MATHFAST_KATEX. Thread-safe. */
char *bb_mathfast_error(const char *tex, size_t len, int display);

/* The same without the check of the installed KaTeX (for tests). */
char *bb_mathfast_error_any(const char *tex, size_t len, int display);

#endif
