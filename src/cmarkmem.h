/* cmarkmem.h: a per-thread arena for the cmark-gfm tree of one post.
 *
 * cmark-gfm allocates every node, every literal, every strbuf and every
 * iterator on its own with calloc and frees each on its own: a tenth of a
 * post's instructions went to malloc and free (callgrind, --jobs 1, issue
 * 16). Its allocator is a parameter (cmark_mem), so a parse may take the
 * arena below instead: allocation is a bump of a pointer, free does
 * nothing, and the whole tree goes at once when the parse ends. */
#ifndef BB_CMARKMEM_H
#define BB_CMARKMEM_H

#include <cmark-gfm.h>

/* Starts a parse on this thread's arena and returns the allocator to give
 * cmark_parser_new_with_mem. Everything it allocates stays valid until the
 * matching bb_cmark_mem_end. Calls nest: only the outermost end releases. */
cmark_mem *bb_cmark_mem_begin(void);

/* Ends the parse begun by the matching bb_cmark_mem_begin; on the outermost
 * end, every block the arena gave out since is released at once (the memory
 * is kept for the thread's next post, up to a bound). Nothing allocated
 * from the arena may be used after: free the tree and the parser first,
 * and render with the default allocator (cmark_render_html_with_mem). */
void bb_cmark_mem_end(void);

/* A new node of type t on the allocator of the parse under way on this
 * thread (the arena between bb_cmark_mem_begin and end, else cmark's
 * default): cmark links no node into a tree of another allocator. */
cmark_node *bb_cmark_node_new(cmark_node_type type);

#endif
