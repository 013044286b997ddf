/* page.h: the book's XHTML pages from their templates: a chapter's files,
 * the cover, the title page, a group's page. The language predicates every
 * page uses (bb_lang_dir, bb_lang_cjk, bb_lang_vertical) are declared in
 * blog.h, since collect uses them too, and defined in lang.c. */
#ifndef BB_PAGE_H
#define BB_PAGE_H

#include "blog.h"
#include "util.h"

/* Appends file part (0-based) of post p to out: the chapter template with
 * body (well-formed XHTML, as the writer made it) inside. */
void bb_page_chapter(const bb_blog *b, const bb_post *p, int part, const char *body, bb_buf *out);

/* --source-links: appends to out the line that ends post p's chapter: its
 * address on the web (or, when the blog's url is not known, its file in
 * the blog) and bound, the date it was bound (YYYY-MM-DD). */
void bb_page_source_line(const bb_blog *b, const bb_post *p, const char *bound, bb_buf *out);

/* Each appends one complete page of the book to out. */
void bb_page_cover(const bb_blog *b, bb_buf *out);
void bb_page_title(const bb_blog *b, bb_buf *out);
void bb_page_group(const bb_blog *b, size_t g, bb_buf *out);

/* "2019-03-01 – 2024-08-15" from the dated posts, or "" (writes at most 64 bytes). */
void bb_page_range(const bb_blog *b, char out[64]);

/* Turns a title that may hold HTML or Markdown marks into plain text
 * (tags removed, entities kept as written). Caller frees. */
char *bb_plain_title(const char *s);

#endif
