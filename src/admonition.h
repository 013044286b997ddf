/* admonition.h: what a theme's shortcode shows when the blog's folder has
 * no template for it (the theme lives elsewhere): the admonition family
 * (admonition, alert, notice, callout, hint, note, tip, warning, ...) as a
 * titled box, and for any other shortcode which of its arguments are text
 * to keep. Shared by the Hugo (shortcode_hugo.c) and Zola (zola.c) sides. */
#ifndef BB_ADMONITION_H
#define BB_ADMONITION_H

#include "util.h"

#include <stddef.h>

/* One argument of a shortcode: key NULL for a positional one; quoted 1
 * when it was written as a string ("..", '..', `..`). */
typedef struct bb_sc_arg {
	const char *key;
	const char *val;
	int quoted;
} bb_sc_arg;

/* 1 when a shortcode named name is of the admonition family. */
int bb_admonition_is(const char *name);

/* Appends the start of the admonition box the shortcode name(args) shows,
 * one line with no new line at its end: an HTML comment (so the HTML block
 * ends on this line and the next is Markdown again), then
 * `<div class="admonition TYPE">` and its title paragraph. TYPE is the type
 * argument (type=, kind=, a known colour= or the first positional argument
 * when it is a known type), else the name when it is a type (tip,
 * warning...), else "note"; the title is title= (or header=, label=), else
 * LoveIt's second positional argument when it reads as text, else the type
 * capitalised. The caller starts it at a line's start, ends that line. */
void bb_admonition_open(bb_buf *o, const char *name, const bb_sc_arg *args, size_t n);

/* Appends the end of the box opened by bb_admonition_open: "</div>", to
 * stand at a line's start (an HTML block that may end a paragraph). */
void bb_admonition_close(bb_buf *o);

/* The admonition's text when it is given as an argument (text=,
 * content=, body=; tabi's form without a body), or NULL. */
const char *bb_admonition_text(const bb_sc_arg *args, size_t n);

/* 1 when the argument reads as human text a reader must keep, 0 when it is
 * a setting (see README, "Shortcodes of themes"): never a URL, a path or a
 * file name, a number or size, true/false, a colour, CSS, nor the value of
 * a setting key (class, style, icon, id, width, ...); then a text key
 * (title, text, caption, name, ...) is text, a positional argument is text
 * when quoted or when it has a capital, a non-ASCII letter or a space, and
 * another named one when it has a space or a non-ASCII letter. */
int bb_sc_arg_is_text(const bb_sc_arg *a);

/* 1 when the argument names an image file (png, jpg, jpeg, gif, webp,
 * svg, avif) by a local path or a URL. */
int bb_sc_arg_is_image(const bb_sc_arg *a);

/* 1 when image argument i is a variant of another image argument of args,
 * which a book shows in its place: its dark twin (dark_src beside
 * light_src, src_dark beside src) or another size or form of it (src_s,
 * src_l, src-2x beside src). */
int bb_sc_arg_variant(const bb_sc_arg *args, size_t n, size_t i);

#endif
