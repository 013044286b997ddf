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

/* Where a large document goes as it is written (so that a book of ten
 * thousand posts never holds its whole navigation in memory): write gets
 * each piece in order and returns 0, or -1 to stop. */
typedef struct bb_sink {
	int (*write)(void *ctx, const char *p, size_t n);
	void *ctx;
} bb_sink;

/* A sink that appends to a bb_buf. */
int bb_sink_buf(void *buf, const char *p, size_t n);

/* Each writes a complete document. Posts with nparts == 0 (unreadable) are
 * left out everywhere. The OPF, nav and NCX go to a sink and return 0 or -1
 * (the sink failed); the small pages are appended to out. */
void bb_package_container(bb_buf *out);
int bb_package_opf(const bb_blog *b, const bb_book_facts *f, const bb_sink *out);
int bb_package_nav(const bb_blog *b, const bb_sink *out);
int bb_package_ncx(const bb_blog *b, const bb_sink *out);
void bb_package_cover(const bb_blog *b, bb_buf *out);
void bb_package_title(const bb_blog *b, bb_buf *out);
void bb_package_group(const bb_blog *b, size_t g, bb_buf *out);

/* "2019-03-01 – 2024-08-15" from the dated posts, or "" (writes at most 64 bytes). */
void bb_package_range(const bb_blog *b, char out[64]);

#endif
