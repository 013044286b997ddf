/* package.h: the package stage: the OPF package document, the navigation
 * (nav.xhtml and toc.ncx) and the book's own pages (cover, title, groups). */
#ifndef BB_PACKAGE_H
#define BB_PACKAGE_H

#include "blog.h"
#include "util.h"

/* What the render stage found that the package must declare. */
typedef struct bb_book_facts {
	int has_ruby;
	int missing_alt;   /* some image had no alt text */
	size_t nimages;    /* images embedded */
} bb_book_facts;

/* Each writes a complete document into out (appended). Posts with nparts
 * == 0 (unreadable) are left out everywhere. */
void bb_package_container(bb_buf *out);
void bb_package_opf(const bb_blog *b, const bb_book_facts *f, bb_buf *out);
void bb_package_nav(const bb_blog *b, bb_buf *out);
void bb_package_ncx(const bb_blog *b, bb_buf *out);
void bb_package_cover(const bb_blog *b, bb_buf *out);
void bb_package_title(const bb_blog *b, bb_buf *out);
void bb_package_group(const bb_blog *b, size_t g, bb_buf *out);

/* "2019-03-01 – 2024-08-15" from the dated posts, or "" (writes at most 64 bytes). */
void bb_package_range(const bb_blog *b, char out[64]);

#endif
