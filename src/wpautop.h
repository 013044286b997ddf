/* wpautop.h: WordPress's paragraph rules (wpautop() of
 * wp-includes/formatting.php) and the block editor's comments, so that a
 * WordPress body reads as WordPress shows it. */
#ifndef BB_WPAUTOP_H
#define BB_WPAUTOP_H

#include <stddef.h>

/* A port of WordPress's wpautop($pee, $br): double line breaks become
 * paragraphs (<p>...</p>), block elements are not wrapped, the text of
 * <pre> is left alone, and when br is set the remaining single line breaks
 * become "<br />" (not inside <script>, <style> or <svg>). Step for step
 * the same regular expressions, written as linear scans (bounded time on
 * any input). One difference: the <pre> placeholders are put back in one
 * pass, where PHP's str_replace would also replace placeholder-like text
 * inside an earlier <pre>. Returns a new NUL-terminated string (the caller
 * frees it); *out_len, when not NULL, gets its length. */
char *bb_wpautop(const char *html, size_t len, int br, size_t *out_len);

/* 1 when the text holds block editor markup ("<!-- wp:"), as WordPress's
 * has_blocks() says; such a body is not passed through wpautop. */
int bb_wp_has_blocks(const char *html, size_t len);

/* Removes the block editor's comments ("<!-- wp:name {...} -->",
 * "<!-- /wp:name -->", "<!-- wp:name /-->") and keeps what is between
 * them, as do_blocks() leaves a static block. Other comments stay. Returns
 * a new string (caller frees); *out_len as above. */
char *bb_wp_strip_blocks(const char *html, size_t len, size_t *out_len);

/* What the_content does to a stored body, in WordPress's order, for the
 * parts blogbind takes: block comments removed when the body has blocks
 * (and then no wpautop, as WordPress restores it only for classic
 * content), else wpautop with line breaks, then shortcode_unautop for the
 * shortcode names given (NULL-terminated; NULL for none). Returns a new
 * string; *out_len as above. */
char *bb_wp_content(const char *html, size_t len, const char *const *shortcodes, size_t *out_len);

/* shortcode_unautop(): a shortcode of one of the names given that stands
 * alone in a paragraph ("<p>[gallery ids=\"1,2\"]</p>") loses the
 * paragraph. Returns a new string; *out_len as above. */
char *bb_wp_shortcode_unautop(const char *html, size_t len, const char *const *names, size_t *out_len);

#endif
