/* stitch.h: joins a post written in continued segments (separated by
 * "---END---" lines) back into one article, and finds a repeated title line. */
#ifndef BB_STITCH_H
#define BB_STITCH_H

#include <stddef.h>

/* Returns 1 when text (len bytes, NUL not needed) holds a line that is exactly
 * "---END---", optionally followed by spaces, tabs or a CR; else 0. The line
 * counts wherever it stands, even inside a code fence. */
int bb_stitch_has_marker(const char *text, size_t len);

/* What bb_stitch did. Counts are of blocks: a block is a paragraph (text
 * between blank lines; a list or table is one block), a fenced code block
 * (kept whole, blank lines and all), or a heading line (ATX or setext).
 *   segments         non-empty parts between markers
 *   paragraphs_in    non-heading blocks read
 *   paragraphs_out   non-heading blocks written
 *   dropped_repeats  blocks dropped because an equal or longer copy was kept,
 *                    plus kept paragraphs and repeated fragments cut out of a
 *                    block that glued them together
 *   merged_cuts      paragraphs cut mid-sentence at a segment's end that were
 *                    joined to their continuation, or replaced by a longer copy
 *                    that opens the next segment
 *   sections_merged  repeated headings whose section was merged into its first
 *                    appearance */
struct bb_stitch_stats {
	unsigned segments, paragraphs_in, paragraphs_out, dropped_repeats, merged_cuts, sections_merged;
	unsigned sentences_dropped;     /* sentences said before, cut out of paragraphs */
};

/* Stitches a Markdown body (front matter already removed, UTF-8) written in
 * segments into one article:
 * - every marker line is removed;
 * - a block equal to, or contained in, one already kept is dropped (compared
 *   with runs of whitespace folded to one space); a longer block that contains
 *   kept ones takes the place of the first of them;
 * - a paragraph holding kept paragraphs glued in at spaces (two of them, or
 *   one and a repeated fragment) was glued from copies: each new stretch of
 *   it becomes a paragraph of its own, the rest is dropped; one kept paragraph
 *   with only new text around it is a longer version, as above;
 * - headings are keys: the first appearance of a heading keeps its place, and
 *   new blocks under a repeated heading are appended to that first section;
 * - a segment whose last paragraph ends mid-sentence is joined to the first
 *   new paragraph of the next segment (after any repeated overlap from the same
 *   section; a repeated tail of the cut paragraph at the continuation's start
 *   is written once; no space is put between CJK text); when the segment
 *   instead ended with a dropped copy cut mid-sentence, its unfinished last
 *   sentence is written before new text opening the next segment that repeats
 *   its end ("... run to a full" + "a full page in 1974" -> "... run to a full
 *   page in 1974");
 * - fenced code blocks are never split or merged; one left open by a marker is
 *   closed;
 * - a heading line may be written without the space after its marks
 *   ("##見出し", "##Notes"; one '#' only before a non-ASCII character); it
 *   is written out with the space;
 * - last, in reading order, each sentence of a prose paragraph that the
 *   article said before (a restatement inside a paragraph) is cut out, when it
 *   is 24 bytes or longer or one of a run of two or more such sentences
 *   (bb_said_drop in sentence.h); a paragraph left empty is dropped.
 * A block is found inside another when it starts there at the start, after a
 * space or after CJK punctuation, or ends where the other ends; blocks under
 * 16 bytes (after folding) only at the start or end, under 4 bytes only equal.
 * The work is about linear in len; comparisons stop growing past a budget
 * proportional to len, after which only equal blocks are found.
 * Returns a newly allocated NUL-terminated string (caller frees) and sets
 * *out_len (when out_len is not NULL). Output blocks are separated by one blank
 * line and end with one newline; CRs are removed. Text without a marker is
 * returned unchanged (a copy). stats may be NULL; when given it is filled
 * (all zero but segments = 1 for text without a marker). Never fails: memory
 * exhaustion aborts as util.h states. */
char *bb_stitch(const char *text, size_t len, size_t *out_len, struct bb_stitch_stats *stats);

/* If text opens (after blank lines) with a line that repeats title, as a plain
 * line, an ATX heading ("# Title #") or a setext heading (the line and its
 * "===" or "---" underline), compared after trimming whitespace, folding runs
 * of whitespace, and removing '#' marks and the emphasis markers '*' and '_',
 * returns the offset just past that line (and its underline) and the blank
 * lines after it; else 0. Returns 0 when title is NULL or empty after that
 * trimming. */
size_t bb_title_repeat_len(const char *text, size_t len, const char *title);

#endif
