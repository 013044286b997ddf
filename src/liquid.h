/* liquid.h: turns the Liquid that Jekyll posts carry into plain Markdown before cmark sees it. */
#ifndef BB_LIQUID_H
#define BB_LIQUID_H

#include <stddef.h>

/* What the converter asks of its caller. Every member may be NULL: with no
 * resolve nothing resolves, with no lookup every variable is unknown, with
 * no warn warnings are dropped. */
typedef struct bb_liquid_ctx {
	/* kind is "post_url" or "link"; arg is the tag's argument with quotes
	 * stripped. Returns a newly allocated URL (liquid frees it) or NULL when
	 * unknown. */
	char *(*resolve)(void *ud, const char *kind, const char *arg);
	/* name like "site.baseurl" or "page.title" (as written, also for other
	 * names such as "theme"); returns a borrowed string that must stay valid
	 * until the call returns, or NULL when unknown. */
	const char *(*lookup)(void *ud, const char *name);
	/* line and col are 1-based within the text given; col counts bytes.
	 * msg is valid only during the call. */
	void (*warn)(void *ud, unsigned line, unsigned col, const char *msg);
	void *ud;
} bb_liquid_ctx;

/* Returns 1 when text may contain Liquid (a "{%" or "{{"), 0 otherwise.
 * Costs one memchr pass; a caller may skip bb_liquid_render on 0. */
int bb_liquid_present(const char *text, size_t len);

/* Converts the Liquid in text (len bytes, front matter already removed) in
 * one pass, without recursion:
 * - {% highlight LANG [opts] %}..{% endhighlight %} becomes a fenced code
 *   block (``` LANG) whose fence is longer than any backtick run inside;
 *   the body is converted like any other text, as Jekyll does;
 * - {% raw %}..{% endraw %} keeps its body literally; {% comment %}..
 *   {% endcomment %} and {% # .. %} are removed silently;
 * - {% post_url X %} and {% link X %} become ctx->resolve's URL (or, with a
 *   warning, the argument); a {{ site.url }}/{{ site.baseurl }} written
 *   right before them is dropped, since the URL stands alone;
 * - {{ expr | filter: args | .. }} takes variables from ctx->lookup and
 *   applies relative_url, absolute_url, default, escape, xml_escape,
 *   prepend, append, upcase, downcase, strip, date, date_to_string,
 *   date_to_long_string, date_to_xmlschema; other filters are ignored; an
 *   unknown variable becomes empty with a warning;
 * - any other tag is removed with a warning, the text around it kept;
 * - {%- -%} and {{- -}} trim whitespace like Liquid;
 * - an unterminated {% or {{ stays as text (one warning per call).
 * The output is at most 10 * len + 16 KiB bytes: substitutions stop, with
 * one warning, once they have added 2 * len + 4 KiB bytes.
 * Returns a newly allocated NUL-terminated string (caller frees) and sets
 * *out_len (when out_len is not NULL). Never fails (aborts on OOM). */
char *bb_liquid_render(const char *text, size_t len, const bb_liquid_ctx *ctx,
	size_t *out_len);

#endif
