/* preview.h: blogbind --preview (the program's, not the library's). */
#ifndef BB_CLI_PREVIEW_H
#define BB_CLI_PREVIEW_H

#include <signal.h>

/* Serves the book at book_path and the bundled epub.js viewer on 127.0.0.1
 * port (0: one the system picks), prints the viewer's URL on stdout and
 * returns when *stop is set by SIGINT or SIGTERM (which it blocks outside its
 * wait). Returns 0, or 1 with a message on stderr. */
int preview_serve(const char *book_path, long port, volatile sig_atomic_t *stop);

#endif
