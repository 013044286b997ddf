/* cmarklock.h: cmark_parser_finish under the lock every thread's finish
 * takes: it changes cmark-gfm's process-wide table of special characters
 * (see cmarklock.c). Every cmark parse of blogbind's ends through it. */
#ifndef BB_CMARKLOCK_H
#define BB_CMARKLOCK_H

struct cmark_parser;
struct cmark_node;
struct cmark_node *bb_cmark_finish(struct cmark_parser *parser);

#endif
