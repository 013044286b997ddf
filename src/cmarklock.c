/* cmarklock.c: the one lock around cmark-gfm's process-wide state. */
#include "cmarklock.h"

#include <cmark-gfm.h>
#include <pthread.h>

/* libcmark-gfm 0.29 keeps process-wide state while it parses: the table of
 * special inline characters (inlines.c's SPECIAL_CHARS and SKIP_CHARS),
 * which cmark_parser_finish fills with its extensions' characters ('~' of
 * strikethrough, ':' and 'w' of autolink) before it parses the inlines and
 * clears after. Two threads in cmark_parser_finish at once lose each other's
 * autolinks and strike-throughs (seen: books differing with -j), so finish
 * takes this lock (bb_cmark_finish). cmark_parser_feed, the block parser,
 * touches no shared state: the table extension's arena stack (arena.c's A,
 * cmark_arena_push/pop) does something only under cmark's arena allocator,
 * which blogbind does not use. So feed runs in parallel; finish is about 3 %
 * of a post's work (callgrind, -j1). The table cannot be set once: finish
 * clears it whatever it held, and the extensions' lists of characters cannot
 * be read back to free them. */
static pthread_mutex_t S_cmark_lock = PTHREAD_MUTEX_INITIALIZER;

cmark_node *
bb_cmark_finish(cmark_parser *parser)
{
	cmark_node *doc;
	pthread_mutex_lock(&S_cmark_lock);
	doc = cmark_parser_finish(parser);
	pthread_mutex_unlock(&S_cmark_lock);
	return doc;
}
