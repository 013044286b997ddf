/* zipout.h: where libzip writes the book: a temporary file beside it,
 * written through one large buffer and renamed into place on commit. */
#ifndef BB_ZIPOUT_H
#define BB_ZIPOUT_H

#include <zip.h>

/* A write-only zip source for a new archive at path, for
 * zip_open_from_source(..., ZIP_CREATE | ZIP_TRUNCATE, ...). Like libzip's
 * own file source it writes path.XXXXXX and renames it over path on
 * commit (a file there keeps its permissions; a new one gets 0666 less
 * the umask), and removes it on rollback; unlike it, it does not flush
 * and seek the file for each local header libzip rewrites: headers
 * rewritten inside the buffer cost no system call. Returns NULL (err
 * set) when out of memory. */
zip_source_t *bb_zipout_new(const char *path, zip_error_t *err);

#endif
