/* langdetect.c: a post's language from the scripts of its text (see
 * langdetect.h). */
#include "langdetect.h"
#include "util.h"

#include <stdint.h>
#include <string.h>

enum { LATIN, KANA, HANGUL, HAN, ARABIC, HEBREW, CYRILLIC, GREEK, THAI, DEVANAGARI, NSCRIPTS };

static int
S_script(unsigned c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F))
		return LATIN;
	if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9F))
		return KANA;
	if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F))
		return HANGUL;
	if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF))
		return HAN;
	if ((c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0xFB50 && c <= 0xFDFF) ||
	    (c >= 0xFE70 && c <= 0xFEFF))
		return ARABIC;
	if (c >= 0x0590 && c <= 0x05FF)
		return HEBREW;
	if (c >= 0x0400 && c <= 0x04FF)
		return CYRILLIC;
	if (c >= 0x0370 && c <= 0x03FF)
		return GREEK;
	if (c >= 0x0E00 && c <= 0x0E7F)
		return THAI;
	if (c >= 0x0900 && c <= 0x097F)
		return DEVANAGARI;
	return -1;
}

const char *
bb_lang_detect(const char *text, size_t len)
{
	size_t n[NSCRIPTS] = { 0 }, i = 0, letters = 0, fa = 0, ur = 0, uk = 0;
	int s, best = -1;
	static const char *const tags[] = { NULL, "ja", "ko", "zh", "ar", "he", "ru", "el", "th", "hi" };
	while (i < len) {
		unsigned c = (unsigned char)text[i];
		int k;
		if (c < 0x80) {
			/* eight ASCII bytes at a time: the letters among them
			 * (bytes 'a'..'z' once upper case is folded) counted */
			while (i + 8 <= len) {
				uint64_t w, x, m;
				if (!bb_ascii8(text + i, 0))
					break;
				memcpy(&w, text + i, 8);
				x = w | 0x2020202020202020ULL;
				m = (x + 0x1F1F1F1F1F1F1F1FULL) & ~(x + 0x0505050505050505ULL) & 0x8080808080808080ULL;
				m = ((m >> 7) * 0x0101010101010101ULL) >> 56;
				n[LATIN] += (size_t)m;
				letters += (size_t)m;
				i += 8;
			}
			if (i >= len)
				break;
			c = (unsigned char)text[i];
			if (c >= 0x80)
				continue;
			/* ASCII: a letter is Latin, anything else no script */
			if ((unsigned)((c | 0x20) - 'a') < 26) {
				n[LATIN]++;
				letters++;
			}
			i++;
			continue;
		}
		k = bb_utf8_decode((const unsigned char *)text + i, len - i, &c);
		i += k > 0 ? (size_t)k : 1;
		if (k <= 0 || (s = S_script(c)) < 0)
			continue;
		n[s]++;
		letters++;
		fa += c == 0x067E || c == 0x0686 || c == 0x0698 || c == 0x06AF || c == 0x06CC;
		ur += c == 0x0679 || c == 0x0688 || c == 0x0691 || c == 0x06BA || c == 0x06D2;
		uk += c == 0x0456 || c == 0x0457 || c == 0x0454 || c == 0x0491;
	}
	if (letters < 20)
		return NULL;
	/* Japanese mixes kanji and kana; a little kana says Japanese */
	if (n[KANA] * 20 >= letters || n[KANA] >= 50)
		return "ja";
	if (n[HANGUL] * 5 >= letters)
		return "ko";
	if (n[HAN] * 5 >= letters)
		return "zh";
	for (s = ARABIC; s < NSCRIPTS; s++)
		if (best < 0 || n[s] > n[best])
			best = s;
	if (n[best] * 2 < letters - n[HAN])
		return NULL;
	if (best == ARABIC)
		return ur > fa && ur >= 3 ? "ur" : fa >= 3 ? "fa" : "ar";
	if (best == CYRILLIC && uk >= 3)
		return "uk";
	return tags[best];
}
