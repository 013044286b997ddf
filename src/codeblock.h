/* codeblock.h: code blocks as the blog showed them: tokens of a block
 * written with a language (```ruby, {% highlight ruby %}, Hugo's
 * highlight) become spans with classes the stylesheet sets apart. */
#ifndef BB_CODEBLOCK_H
#define BB_CODEBLOCK_H

#include <libxml/tree.h>

#include "util.h"

/* When pre is a <pre> holding one <code class="language-X"> (or <pre
 * class="language-X">, or data-lang), writes the whole block, highlighted
 * (with line numbers when the block asks for them), to o and returns 1;
 * returns 0 (nothing written) when the block has no language, the language
 * is unknown, or highlighting fails (the writer then writes it as usual). */
int bb_codeblock_put(xmlNodePtr pre, bb_buf *o);

#endif
