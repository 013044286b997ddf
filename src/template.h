/* template.h: the book's templates (title page, chapter page, group page,
 * cover page, stylesheet): built in, or a user's folder overriding them file
 * by file, expanded with a small Mustache-like language. */
#ifndef BB_TEMPLATE_H
#define BB_TEMPLATE_H

#include "diag.h"
#include "util.h"

typedef struct bb_template_set bb_template_set;

/* Loads the built-in templates, each replaced by the file of the same name
 * in dir when dir is not NULL and has one. Returns the set (free with
 * bb_templates_free) or NULL when dir cannot be read (reported in dl). */
bb_template_set *bb_templates_load(const char *dir, bb_diaglist *dl);

/* The text of template name ("chapter.xhtml", "style.css"...), or NULL.
 * Valid while the set lives. */
const char *bb_template_get(const bb_template_set *t, const char *name, size_t *len);

void bb_templates_free(bb_template_set *t);

/* A variable: a string (value) or a list of strings (list, n). */
typedef struct bb_tvar {
	const char *name;
	const char *value;
	const char *const *list;
	size_t n;
} bb_tvar;

/* Expands tpl into out:
 *   {{name}}            the value, XML-escaped
 *   {{{name}}}          the value as it is (the chapter's body)
 *   {{#name}}..{{/name}} the inside once per item of a list ({{.}} is the item),
 *                       or once when the value is not empty
 *   {{^name}}..{{/name}} the inside when the value is empty or absent
 * Unknown names expand to nothing. */
void bb_template_expand(const char *tpl, size_t len, const bb_tvar *vars, size_t nvars, bb_buf *out);

#endif
