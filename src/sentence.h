/* sentence.h: sentence boundaries in a Markdown paragraph (Japanese and
 * English), and the removal of sentences a text has already said. */
#ifndef BB_SENTENCE_H
#define BB_SENTENCE_H

#include <stddef.h>

/* The end of the sentence that starts at s[i] (s is a Markdown paragraph of
 * n bytes, UTF-8): the offset just past its last mark and closing quotes,
 * brackets or emphasis markers, or n when the paragraph ends first. A
 * sentence ends
 * - after 。！？｡ (and runs of them), unless closing brackets follow and then
 *   a character that goes on the sentence (「そうだ。」と言った);
 * - after . ! ? followed by a space or the end, unless the '.' ends an
 *   abbreviation (e.g. i.e. Dr. Mr. vs. a single initial, a word holding a
 *   dot) or the next word starts with a lower-case letter;
 * - before a space between two Japanese characters (a headline glued to the
 *   text after it).
 * Code spans, link destinations and HTML tags are passed over whole. When
 * clean is not NULL it is set to 1 when no emphasis, link text or code span
 * is open at the end found (cutting there keeps the markup balanced). */
size_t bb_sentence_end(const char *s, size_t n, size_t i, int *clean);

/* A set of sentences, compared without whitespace and emphasis markers. */
typedef struct bb_said bb_said;

/* A new empty set; free with bb_said_free (NULL is fine). Aborts on OOM. */
bb_said *bb_said_new(void);
void bb_said_free(bb_said *set);

/* Removes from the Markdown paragraph text[0..*len) each sentence that set
 * already holds and that is at least min_key bytes long (compared form), and
 * each run of two or more such sentences whatever their length, when the
 * markup is balanced at both ends of what is removed; adds every sentence
 * of the paragraph to set as it goes (so a paragraph repeating itself loses
 * the repeat too). The text is edited in place (it only shrinks; the space
 * around a removed run is written once) and *len updated; the result may be
 * empty. Returns the number of sentences removed. */
unsigned bb_said_drop(bb_said *set, char *text, size_t *len, size_t min_key);

#endif
