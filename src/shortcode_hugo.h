/* shortcode_hugo.h: Hugo's shortcodes ({{< name args >}} and {{% name %}})
 * expanded before Markdown the way Hugo's built-in templates show them. */
#ifndef BB_SHORTCODE_HUGO_H
#define BB_SHORTCODE_HUGO_H

#include "blog.h"

/* What the expansion knows of the post. */
typedef struct bb_hugo_in {
	const bb_blog *b;
	const bb_post *p;
	const bb_fm_node *page; /* the post's front matter, or NULL */
	unsigned line0;         /* file line of the text's first line */
	bb_diaglist *dl;        /* warnings, at PATH:LINE:COL */
} bb_hugo_in;

/* Counts of what one expansion met. */
typedef struct bb_hugo_counts {
	unsigned handled;   /* built-in shortcodes expanded */
	unsigned unknown;   /* others: removed, their text kept */
	unsigned escaped;   /* {{< /-star ... star-/ >}} comments shown as written */
} bb_hugo_counts;

/* Expands the shortcodes of text[0..len): highlight becomes a fenced code
 * block (its inner text never read as Markdown), figure an HTML <figure>
 * with its image, youtube, vimeo, gist, tweet, x and instagram a link to
 * what they embed, param the page's (then the site's) parameter, ref and
 * relref the post's address with its "#anchor", qr its text, details its
 * summary and inner text; a {{< /-star ... star-/ >}} comment is shown as the
 * shortcode it quotes. Of the themes' shortcodes, the admonition family
 * (admonition.h) becomes a titled box around its inner text, LoveIt's link
 * a link and its version the badge's words. Any other shortcode (a theme's
 * or the site's own, layouts/shortcodes/) is removed with a warning: what
 * stands between its tags is kept as Markdown, and one with no closing tag
 * keeps its arguments that read as text and its local images. Inner text
 * of {{% %}} and {{< >}} both stays Markdown. Returns a new text (caller frees, its length in *out_len), or
 * NULL when text holds no shortcode; counts, when not NULL, is added to.
 * Thread-safe (reads in->b and in->p only). */
char *bb_hugo_shortcodes(const bb_hugo_in *in, const char *text, size_t len, size_t *out_len,
			 bb_hugo_counts *counts);

#endif
