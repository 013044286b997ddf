/* cjk.c: Japanese typography over the cmark-gfm tree: the walk over the blocks that runs each pass (ruby, tate-chu-yoko, CJK-friendly emphasis, CJK lines joined). */
#include "cjk_int.h"
#include "cjksent.h"
#include "webnovel.h"

/* How it works, block by block (paragraph, heading, table cell):
 * 1. cmark-gfm keeps each such block's raw inline source. bb_cjk_align_block
 *    walks the block's inlines alongside it, which tells which `*` and `_`
 *    in text nodes are delimiter runs (not escapes, entities or URL text)
 *    and where every run and every emphasis delimiter stood.
 * 2. Emphasis, per scope (the block, a link, an image, a strikethrough:
 *    cmark pairs delimiters only within one): each run's flanking is read
 *    from the raw characters around it, by CommonMark's rules and by the
 *    CJK-friendly ones. Where they differ for a run that touches CJK, the
 *    scope's emphasis is flattened back into runs and paired again with
 *    cmark's own algorithm, so the rest of the scope parses as before.
 * 3. Ruby and tate-chu-yoko on the joined text nodes, then soft breaks.
 *
 * While a block is processed, a backslash-escaped or entity-decoded `*_{}|^`
 * in a text node is stored as U+10FF00 + the ASCII byte (4 bytes of UTF-8),
 * so that later passes see only genuine syntax characters as ASCII. Blocks
 * that already hold such code points are not marked. */

/* ---- the walk ---- */

/* The text of an autolink (<http://...>, www.example.com): a URL, not prose. */
static int
S_autolink_text(cmark_node *n)
{
	cmark_node *link = cmark_node_parent(n);
	const char *url, *text = cmark_node_get_literal(n);
	size_t ul, tl;

	if (!link || cmark_node_get_type(link) != CMARK_NODE_LINK ||
	    cmark_node_first_child(link) != n || cmark_node_next(n) || !text)
		return 0;
	url = cmark_node_get_url(link);
	if (!url)
		return 0;
	ul = strlen(url);
	tl = strlen(text);
	return tl > 0 && tl <= ul && strcmp(url + ul - tl, text) == 0;
}

/* Text nodes whose literal holds a code point of the sentinel range. */
static int
S_has_sentinel_range(cmark_node *block)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	int found = 0;

	while (!found && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		size_t len, i;
		const unsigned char *s;
		if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(n) != CMARK_NODE_TEXT)
			continue;
		s = bb_cjk_literal(n, &len);
		for (i = 0; i + 2 < len && !found; i++)
			found = s[i] == 0xF4 && s[i + 1] == 0x8F && (s[i + 2] == 0xBC || s[i + 2] == 0xBD);
	}
	cmark_iter_free(it);
	return found;
}

/* Collects the block's inline nodes of type t (outside images when
 * skip_images) into st->nodes. */
static void
S_collect(cjk_state *st, cmark_node *block, cmark_node_type t, int skip_images)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	int image = 0;

	st->nnodes = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type nt = cmark_node_get_type(n);
		if (nt == CMARK_NODE_IMAGE)
			image += ev == CMARK_EVENT_ENTER ? 1 : -1;
		else if (ev == CMARK_EVENT_ENTER && nt == t && !(skip_images && image))
			bb_cjk_push_node(st, n);
	}
	cmark_iter_free(it);
}

static void
S_restore(cjk_state *st, cmark_node *block)
{
	size_t i, j, len;
	const unsigned char *s;
	int ch;

	S_collect(st, block, CMARK_NODE_TEXT, 0);
	for (i = 0; i < st->nnodes; i++) {
		s = bb_cjk_literal(st->nodes[i], &len);
		if (!memchr(s, 0xF4, len))
			continue;
		bb_buf_reset(&st->buf);
		for (j = 0; j < len;) {
			if (s[j] == 0xF4 && (ch = bb_cjk_sentinel(s + j, len - j)) >= 0) {
				bb_buf_putc(&st->buf, ch);
				j += 4;
			} else {
				bb_buf_putc(&st->buf, s[j++]);
			}
		}
		cmark_node_set_literal(st->nodes[i], st->buf.data);
	}
}

/* 1 when cp is a code point some pass acts on or next to: a wide
 * one (ruby, tate-chu-yoko, the joined lines, 《 of the web-novel
 * marks), a variation selector (emphasis after a fullwidth quote) or a
 * sentinel. Each is U+1100 or above, as bb_utf8_any looks (lead byte 0xE1+). */
static int
S_wide_cp(unsigned cp)
{
	return bb_cjk_wide(cp) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp >= 0xE0100;
}

/* 1 when the block's raw source or a literal of its inlines holds what
 * S_wide_cp looks for. Without one, every pass below leaves the block
 * as it is (emphasis differs only next to a CJK character, the others
 * need one inside their text or at its edge), and so does the joining of
 * its text nodes, as far as the HTML written from them goes. */
static int
S_wide_block(cmark_node *block, const char *raw)
{
	cmark_node *n = cmark_node_first_child(block);
	if (raw && bb_utf8_any(raw, strlen(raw), S_wide_cp))
		return 1;
	while (n && n != block) {
		const char *lit = cmark_node_get_literal(n);
		if (lit && bb_utf8_any(lit, strlen(lit), S_wide_cp))
			return 1;
		if (cmark_node_first_child(n)) {
			n = cmark_node_first_child(n);
			continue;
		}
		while (n != block && !cmark_node_next(n))
			n = cmark_node_parent(n);
		if (n != block)
			n = cmark_node_next(n);
	}
	return 0;
}

static void
S_block(cjk_state *st, cmark_node *block)
{
	unsigned f = st->flags;
	const char *raw;
	int marked = 0;
	size_t i;

	/* cmark leaves the buffer of an empty block unterminated; one with
	 * inlines was written, and so terminated. */
	if (!cmark_node_first_child(block))
		return;
	raw = cmark_node_get_string_content(block);
	if (!S_wide_block(block, raw))
		return;
	if ((f & (BB_CJK_RUBY | BB_CJK_TCY | BB_CJK_EMPHASIS | BB_CJK_WEBNOVEL)) && raw &&
	    !S_has_sentinel_range(block)) {
		st->raw = (const unsigned char *)raw;
		st->len = strlen(raw);
		while (st->len > 0 && bb_cjk_isspace(st->raw[st->len - 1]))
			st->len--;
		marked = 1;
		if (bb_cjk_align_block(st, block) == 0 && (f & BB_CJK_EMPHASIS))
			bb_cjk_emph_block(st, block);
	}
	cmark_consolidate_text_nodes(block);
	if (f & (BB_CJK_RUBY | BB_CJK_TCY)) {
		S_collect(st, block, CMARK_NODE_TEXT, 1);
		for (i = 0; i < st->nnodes; i++)
			if (!S_autolink_text(st->nodes[i]))
				bb_cjk_ruby_tcy_text(st, st->nodes[i]);
	}
	if (f & BB_CJK_WEBNOVEL) {
		S_collect(st, block, CMARK_NODE_TEXT, 1);
		for (i = 0; i < st->nnodes; i++)
			if (!S_autolink_text(st->nodes[i]))
				st->changes += bb_webnovel_text(st->nodes[i]);
	}
	if (f & BB_CJK_SOFTBREAK) {
		S_collect(st, block, CMARK_NODE_SOFTBREAK, 0);
		for (i = 0; i < st->nnodes; i++) {
			cmark_node *n = st->nodes[i];
			if (bb_cjk_joins(bb_cjk_edge(cmark_node_previous(n), 1)) &&
			    bb_cjk_joins(bb_cjk_edge(cmark_node_next(n), 0))) {
				cmark_node_free(n);
				st->changes++;
			}
		}
	}
	if (marked)
		S_restore(st, block);
	cmark_consolidate_text_nodes(block);
}

unsigned
bb_cjk_transform(cmark_node *doc, unsigned flags)
{
	cjk_state st;
	cmark_iter *it;
	cmark_event_type ev;

	if (!doc || !(flags & (BB_CJK_ALL | BB_CJK_WEBNOVEL)))
		return 0;
	memset(&st, 0, sizeof st);
	st.flags = flags;
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		/* On exit the walk has passed the block's inlines and has already
		 * chosen the node after it, so they may be rebuilt. */
		if (ev == CMARK_EVENT_EXIT && bb_cjk_is_inline_block(n))
			S_block(&st, n);
	}
	cmark_iter_free(it);
	free(st.rec);
	free(st.dl);
	free(st.stk);
	free(st.tok);
	free(st.fr);
	free(st.run);
	free(st.erun);
	free(st.dlm);
	free(st.nodes);
	free(st.sig);
	bb_buf_free(&st.buf);
	bb_buf_free(&st.buf2);
	return st.changes;
}
