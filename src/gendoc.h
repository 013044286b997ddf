/* gendoc.h: the package documents (OPF, nav, NCX), made and deflated into
 * the spool, the nav and the NCX on threads of their own when asked. */
#ifndef BB_GENDOC_H
#define BB_GENDOC_H

#include "blog.h"
#include "package.h"

/* The documents bb_gendocs_make makes, in this order. */
#define BB_GENDOCS 3
extern const char *const bb_gendoc_names[BB_GENDOCS];

/* Makes the OPF (from facts), nav and NCX of b, each deflated to the end of
 * the spool fd (its end *spool_end, advanced) and described in out[k]. With
 * threads > 1 the nav and the NCX are made on threads of their own (into
 * memory, then appended) while the OPF is made here; the spool gets them in
 * the same order either way. Errors go to dl. Returns 0, or -1 after every
 * thread has ended. */
int bb_gendocs_make(const bb_blog *b, const bb_book_facts *facts, int fd, unsigned long long *spool_end,
		    int threads, bb_spooled out[BB_GENDOCS], bb_diaglist *dl);

#endif
