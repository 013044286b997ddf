/* webnovel.h: the ruby and emphasis-dot notation of Japanese web-novel
 * sites (小説家になろう, カクヨム, 青空文庫) in the text of a cmark-gfm tree. */
#ifndef BB_WEBNOVEL_H
#define BB_WEBNOVEL_H

#include <cmark-gfm.h>

/* Longest base and reading, in characters (カクヨム's limits, which hold
 * なろう's 10 and 10). Longer ones stay text as written. */
#define BB_WEBNOVEL_MAX_BASE 20
#define BB_WEBNOVEL_MAX_READING 50

/* Rewrites the literal of text node n (which must have a parent):
 * - ｜親文字《るび》 and |親文字《るび》: ruby over the text between the bar
 *   and 《 (1 to BB_WEBNOVEL_MAX_BASE characters, any), reading any text;
 * - 漢字《かんじ》: ruby over the run of kanji (and 々〆〇ヶヵ) just before
 *   《, when the reading is kana only (so Chinese 《书名》 title marks stay);
 * - 《《傍点》》: <em class="bouten"> (emphasis dots, styled by the
 *   stylesheet);
 * - ｜《 or |《: a literal 《, the bar dropped (the sites' escape);
 * none across a line break. Ruby is written as bb_cjk_transform writes it:
 * <ruby>親文字<rp>(</rp><rt>るび</rt><rp>)</rp></ruby>, as inline HTML
 * nodes inserted before n; n keeps the text after the last one or is
 * freed. Characters escaped for cjk.c (see bb_cjk_put_xml) are written back.
 * Code spans, code blocks and raw HTML are other nodes, never seen here.
 * Returns the number of rubies and emphasis runs made. */
unsigned bb_webnovel_text(cmark_node *n);

#endif
