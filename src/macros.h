/* macros.h: the macros a post's body carries before Markdown: Liquid (as
 * Jekyll expands it, over liquid.c) and Hugo shortcodes. */
#ifndef BB_MACROS_H
#define BB_MACROS_H

#include "blog.h"

/* A post's file as read: its front matter and where its body starts. */
typedef struct bb_post_text {
	const char *text;  /* the whole file, NUL-terminated */
	size_t len;
	size_t fm, fmlen;  /* the front matter's text (fmlen 0: none) */
	int toml;          /* 1: the front matter is TOML */
	size_t body;       /* offset of the body */
	unsigned line0;    /* file line of the body's first line */
} bb_post_text;

/* Expands the macros of post p's body (t->text + t->body to t->len): Hugo
 * shortcodes on a Hugo blog (ref and relref become the post's address, the
 * others are removed with a warning), Liquid on any other. Warnings go to
 * dl with their place in the file. Returns the new body (caller frees, its
 * length in *out_len), or NULL when the body has no macro and stands as it
 * is. Thread-safe (reads b and p only). */
char *bb_macros_expand(const bb_blog *b, const bb_post *p, const bb_post_text *t, bb_diaglist *dl, size_t *out_len);

#endif
