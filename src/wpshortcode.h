/* wpshortcode.h: WordPress shortcodes in a post's body, turned into inert
 * XHTML: [caption], [gallery], [embed], [audio], [video], [playlist],
 * [code]/[sourcecode]; others keep their inner text with a warning. */
#ifndef BB_WPSHORTCODE_H
#define BB_WPSHORTCODE_H

#include "entry.h"

#include <stddef.h>

/* An attachment of the export, as the shortcodes need it. */
typedef struct bb_wp_attachment {
	const char *id;
	const char *url;
	const char *caption; /* may be NULL */
	const char *alt;     /* may be NULL */
} bb_wp_attachment;

/* Where the shortcodes find what they name, and where problems go. */
typedef struct bb_wpsc_opts {
	/* The attachment of an id ("123"), or NULL when the export has none. */
	const bb_wp_attachment *(*lookup)(void *ctx, const char *id);
	/* The post's own attached images, in order: what a [gallery] without
	 * ids shows, as WordPress does. */
	const bb_wp_attachment *children;
	size_t nchildren;
	/* Called for each problem with its 1-based line and column in the text
	 * given; may be NULL. */
	void (*warn)(void *ctx, unsigned line, unsigned col, const char *message);
	void *ctx;
} bb_wpsc_opts;

/* One shortcode attribute, as shortcode_parse_atts() reads it: name is
 * lower case, or NULL for a positional value. */
typedef struct bb_wpsc_att {
	char *name;
	char *value;
} bb_wpsc_att;

/* Parses the attribute text of a shortcode ("ids=\"1,2\" columns=3") by
 * WordPress's get_shortcode_atts_regex() rules: name="v", name='v',
 * name=v, "v", 'v' and bare words, values unescaped as stripcslashes()
 * does, a value with an unclosed HTML tag emptied. Returns the count and
 * sets *out (free with bb_wpsc_atts_free). */
size_t bb_wpsc_parse_atts(const char *text, size_t len, bb_wpsc_att **out);

/* Frees what bb_wpsc_parse_atts returned. */
void bb_wpsc_atts_free(bb_wpsc_att *v, size_t n);

/* Which shortcodes a pass turns. */
enum {
	BB_WPSC_CODE = 1,  /* [code] and [sourcecode] (before wpautop, as the highlighting plugins do) */
	BB_WPSC_OTHER = 2, /* the rest (after wpautop, as do_shortcode) */
	BB_WPSC_ALL = 3
};

/* Turns the shortcodes of html (which) as described in the file comment,
 * matched as get_shortcode_regex() matches them: "[name attrs]",
 * "[name attrs /]", "[name attrs]content[/name]"; "[[name]]" is escaped
 * and becomes "[name]". Media become links and figures (no active content);
 * [code] becomes <pre><code class="language-X"> with its text kept byte for
 * byte (escaped); an unknown shortcode with a closing tag, attributes or
 * "/]" keeps its inner text with a warning; a lone "[word]" is prose and
 * stays. HTML tags and comments are not looked into. Returns a new string
 * (caller frees); *out_len, when not NULL, gets its length. o may be NULL. */
char *bb_wp_shortcodes(const char *html, size_t len, int which, const bb_wpsc_opts *o, size_t *out_len);

/* A stored WordPress body as the_content shows it: block comments removed
 * when it has blocks, else [code] turned, wpautop, shortcode_unautop; then
 * the other shortcodes. Returns a new string; *out_len as above. */
char *bb_wp_render(const char *body, size_t len, const bb_wpsc_opts *o, size_t *out_len);

/* bb_wp_render for an entry of an export: [gallery] and the media
 * shortcodes find attachments by id in x, a [gallery] without ids shows
 * the entry's attached images; each problem goes to warn (may be NULL)
 * with its line and column in the stored body. Returns a new string;
 * *out_len as above. */
char *bb_wp_render_entry(bb_export *x, const bb_entry *e,
			 void (*warn)(void *ctx, unsigned line, unsigned col, const char *message), void *ctx,
			 size_t *out_len);

#endif
