/* package.h: the package stage: the OPF package document, the navigation
 * (nav.xhtml and toc.ncx) and the book's own pages (cover, title, groups). */
#ifndef BB_PACKAGE_H
#define BB_PACKAGE_H

#include "blog.h"
#include "xhtml.h"
#include "util.h"

/* What the render stage found that the package must declare. */
typedef struct bb_book_facts {
	unsigned facts;    /* BB_FACT_ bits (xhtml.h) of every post */
	size_t nimages;    /* images in the book (the cover too) */
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
 * (the sink failed); the container document is appended to out. The book's
 * own pages (cover, title, groups) are page.c's. */
void bb_package_container(bb_buf *out);
int bb_package_opf(const bb_blog *b, const bb_book_facts *f, const bb_sink *out);
int bb_package_nav(const bb_blog *b, const bb_sink *out);
int bb_package_ncx(const bb_blog *b, const bb_sink *out);

#endif
