/* cjk.h: Japanese typography passes over the cmark-gfm tree (ruby,
 * tate-chu-yoko, CJK-friendly emphasis, lines joined between CJK text). */
#ifndef BB_CJK_H
#define BB_CJK_H

#include <cmark-gfm.h>

#include "util.h"

enum {
	/* {漢字|かんじ} -> group ruby; {漢字|かん|じ} -> one reading per base
	 * character (a count that does not match falls back to group ruby).
	 * Needs a CJK character in the base or the reading, so {a|b} stays. */
	BB_CJK_RUBY = 1,
	/* 昭和^53^年 -> <span class="tcy">53</span>: 1-4 of [A-Za-z0-9!?]
	 * between single carets, with a CJK character just outside one caret. */
	BB_CJK_TCY = 2,
	/* Emphasis by the CommonMark CJK-friendly amendment, so that
	 * **「重要」**です is strong. Only inline scopes where a delimiter run
	 * next to a CJK character flanks differently are re-parsed. */
	BB_CJK_EMPHASIS = 4,
	/* A soft break between a CJK character and another is dropped (no
	 * space between the lines). Hangul keeps it: Korean spaces words. */
	BB_CJK_SOFTBREAK = 8,
	BB_CJK_ALL = 15,
	/* Test hook, not part of BB_CJK_ALL: with BB_CJK_EMPHASIS, re-parse
	 * the emphasis of every inline scope that has delimiter runs, CJK or
	 * not. On text without CJK characters and variation selectors the
	 * result must equal cmark's own. */
	BB_CJK_EMPHASIS_ALWAYS = 16,
	/* Web-novel notation, not part of BB_CJK_ALL (webnovel.h):
	 * ｜親文字《るび》, 漢字《かんじ》 ruby and 《《傍点》》 dots. */
	BB_CJK_WEBNOVEL = 32
};

/* Applies the selected passes to the document tree in place and returns
 * the number of changes made (each ruby, each tate-chu-yoko, each soft
 * break dropped, each emphasis or strong element built).
 *
 * doc must be a tree as cmark_parser_finish returns it: the passes read
 * the raw inline source that cmark-gfm 0.29 keeps in each paragraph,
 * heading and table cell, to tell `\*` from `*` and to find where each
 * delimiter run stood. Where that source cannot be matched with the tree
 * (CMARK_OPT_SMART, hand-built trees) emphasis is left as cmark made it
 * and ruby/tate-chu-yoko cannot see backslash escapes.
 *
 * Code spans, code blocks and raw HTML are never changed, and text whose
 * delimiter runs touch no CJK character parses exactly as in CommonMark.
 * Block nodes stay; inline nodes may be freed and replaced, so pointers
 * the caller kept to inline nodes are invalid afterwards. Linear in the
 * size of the document. Never fails except on OOM (aborts via bb_xmalloc). */
unsigned bb_cjk_transform(cmark_node *doc, unsigned flags);


#endif
