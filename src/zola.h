/* zola.h: Zola's shortcodes in a post's Markdown, expanded before the
 * Markdown pass as Zola does: {{ name(key=value, ...) }} and
 * {% name(...) %}body{% end %}; an escaped one (a slash and a star
 * after the opening braces) is written as the shortcode's text. A shortcode is rendered from the site's (or its
 * theme's) templates/shortcodes/NAME.html or NAME.md when the template
 * stays within the part of Tera tera.c reads; otherwise an admonition
 * (admonition.h) is a titled box around its body or text, and any other
 * shortcode keeps what it shows, with a warning at its place: its title,
 * the images it names (a dark twin or a size variant left out), its
 * arguments that read as text (admonition.h's rule) and its body. */
#ifndef BB_ZOLA_H
#define BB_ZOLA_H

#include "blog.h"

/* Expands the shortcodes of body (len bytes, line0 the file line of its
 * first line) of post p. Warnings go to dl. Returns the new body (caller
 * frees, length in *out_len), or NULL when the body has no shortcode.
 * Thread-safe (reads b and p only). */
char *bb_zola_expand(const bb_blog *b, const bb_post *p, const char *body, size_t len, unsigned line0,
		     bb_diaglist *dl, size_t *out_len);

#endif
