/* langdetect.h: a post's language from the scripts its text is written in,
 * for blogs that do not say it. */
#ifndef BB_LANGDETECT_H
#define BB_LANGDETECT_H

#include <stddef.h>

/* The language of text (len bytes of UTF-8) as a BCP 47 tag, from its
 * scripts: kana -> "ja", hangul -> "ko", Han without kana -> "zh",
 * Arabic script -> "ar" (or "fa"/"ur" by their own letters), Hebrew -> "he",
 * Cyrillic -> "ru" (or "uk"), Greek -> "el", Thai -> "th", Devanagari ->
 * "hi". Latin text (and text too short to tell) gives NULL: its letters do
 * not tell one language from another. Markup and code count as Latin.
 * Returns a static string. */
const char *bb_lang_detect(const char *text, size_t len);

#endif
