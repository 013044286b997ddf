/* tera.h: the small part of Tera (the template language of Zola) that a
 * shortcode template of a Zola site needs to be shown in a book: text,
 * {{ value | filters }}, {% if %}/{% elif %}/{% else %}/{% endif %},
 * {% set %} and {# comments #}, with whitespace control. Anything else (a
 * loop, a macro, a function such as get_url, an undefined value without
 * default) makes the rendering fail with a reason, and the caller falls
 * back to keeping the shortcode's text. */
#ifndef BB_TERA_H
#define BB_TERA_H

#include "util.h"

#include <stddef.h>

/* A value given to the template (a shortcode argument or its body). */
typedef struct bb_tera_var {
	char *name;
	char *value;   /* a string, or a number or true/false written as such */
	int is_str;    /* 1: value is a string (else a literal: 3, true) */
} bb_tera_var;

/* Renders template tpl (len bytes) with vars. Output goes to out: values
 * are HTML-escaped unless filtered by safe (Tera's autoescape, on for
 * .html templates: escape 1); a value filtered by markdown is set apart by
 * blank lines so that the post's Markdown pass renders it, and the lines
 * of the template's own HTML lose their indentation and blank lines
 * (an HTML block of Markdown ends at a blank line). Bounded: 1 MB out, 32
 * nested ifs. Returns 0, or -1 with a reason in *why (static text) and out
 * left in an unspecified state. */
int bb_tera_render(const char *tpl, size_t len, const bb_tera_var *vars, size_t nvars, int escape, bb_buf *out,
		   const char **why);

#endif
