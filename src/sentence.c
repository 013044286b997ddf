/* sentence.c: where sentences end in Japanese and English Markdown prose, and a set of sentences already said. */
#include "sentence.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* ---- characters ---- */

/* The code point before s[i] (i > 0). */
static unsigned
S_cp_before(const char *s, size_t i)
{
	size_t k = 1, len;
	while (k < 4 && k < i && ((unsigned char)s[i - k] & 0xC0) == 0x80)
		k++;
	return bb_utf8_at(s, i, i - k, &len);
}

static int
S_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Kana, kanji, CJK punctuation and full-width forms (not Hangul: Korean
 * spaces its words). */
static int
S_japanese(unsigned cp)
{
	return (cp >= 0x3000 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static int
S_cjk_stop(unsigned cp)
{
	return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF61 || cp == 0x203C ||
	       cp == 0x2047 || cp == 0x2048 || cp == 0x2049;
}

/* Closing quotes and brackets; *bracket set for the CJK ones that may end a
 * quotation inside a sentence. */
static int
S_closer(unsigned cp, int *bracket)
{
	*bracket = cp == 0x300D || cp == 0x300F || cp == 0xFF09 || cp == 0x3011 || cp == 0x3009 ||
		   cp == 0x300B;
	return *bracket || cp == '"' || cp == '\'' || cp == ')' || cp == 0x2019 || cp == 0x201D ||
	       cp == 0x00BB;
}

static int
S_opener(unsigned cp)
{
	return cp == 0x300C || cp == 0x300E || cp == 0xFF08 || cp == 0x3010 || cp == '(' || cp == '"';
}

/* 1 when the word ending at s[e] (before a '.') is an abbreviation. */
static int
S_abbrev(const char *s, size_t start, size_t e)
{
	static const char *const words[] = { "e.g", "i.e", "dr", "mr", "mrs", "ms", "prof", "st", "vs",
		"cf", "fig", "no", "vol", "jr", "sr", "approx", "ca", "al", NULL };
	size_t b = e, i, k;
	char w[8];
	while (b > start && !S_space((unsigned char)s[b - 1]))
		b--;
	while (b < e && strchr("(\"'*_[", s[b]))
		b++;
	if (e - b == 1 && ((s[b] | 0x20) >= 'a' && (s[b] | 0x20) <= 'z'))
		return 1;               /* an initial */
	if (memchr(s + b, '.', e - b))
		return 1;               /* U.S, e.g */
	if (e - b >= sizeof w)
		return 0;
	for (i = 0; i < e - b; i++)
		w[i] = (char)(s[b + i] >= 'A' && s[b + i] <= 'Z' ? s[b + i] | 0x20 : s[b + i]);
	w[e - b] = '\0';
	for (k = 0; words[k]; k++)
		if (strcmp(w, words[k]) == 0)
			return 1;
	return 0;
}

/* ---- scanning ---- */

/* Markup state while scanning a paragraph. */
typedef struct S_scan {
	int stars, unders, links;
	size_t budget;          /* bytes left to look ahead for a closer */
} S_scan;

/* 1 while look-ahead is allowed (it is charged one byte): past the budget,
 * openers are taken as text, so a paragraph is scanned in linear time. */
static int
S_look(S_scan *sc)
{
	if (sc->budget == 0)
		return 0;
	sc->budget--;
	return 1;
}

static int
S_alnum(int c)
{
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9');
}

/* Counts the run of '*' or '_' at s[i] as one delimiter run (a '_' run
 * inside a word is no delimiter); returns the offset after it. */
static size_t
S_delims(const char *s, size_t n, size_t i, S_scan *sc)
{
	size_t j = i;
	while (j < n && s[j] == s[i])
		j++;
	if (s[i] == '*')
		sc->stars++;
	else if (!(i > 0 && S_alnum((unsigned char)s[i - 1]) && j < n && S_alnum((unsigned char)s[j])))
		sc->unders++;
	return j;
}

/* Steps over the construct at s[i] that cannot hold a sentence end: a code
 * span, a backslash escape, an HTML tag, a link destination. Returns the
 * offset after it, or i when there is none. Updates the markup state for
 * '[', ']', '*' and '_'. */
static size_t
S_skip(const char *s, size_t n, size_t i, S_scan *sc)
{
	size_t r = 0, j;
	char c = s[i];

	if (c == '\\' && i + 1 < n)
		return i + 2;
	if (c == '`') {
		while (i + r < n && s[i + r] == '`')
			r++;
		for (j = i + r; j < n && S_look(sc); j++) {
			size_t q = 0;
			if (s[j] != '`')
				continue;
			while (j + q < n && s[j + q] == '`')
				q++;
			if (q == r)
				return j + q;
			j += q - 1;
		}
		return i + r;
	}
	if (c == '<' && i + 1 < n && (((s[i + 1] | 0x20) >= 'a' && (s[i + 1] | 0x20) <= 'z') || s[i + 1] == '/'
	                              || s[i + 1] == '!')) {
		for (j = i + 1; j < n && s[j] != '>' && s[j] != '<' && S_look(sc); j++)
			;
		if (j < n && s[j] == '>')
			return j + 1;
		return i + 1;
	}
	if (c == '[') {
		sc->links++;
		return i + 1;
	}
	if (c == ']') {
		if (sc->links > 0)
			sc->links--;
		if (i + 1 < n && s[i + 1] == '(') {
			int depth = 0;
			for (j = i + 1; j < n && S_look(sc); j++) {
				if (s[j] == '(')
					depth++;
				else if (s[j] == ')' && --depth == 0)
					return j + 1;
			}
		}
		return i + 1;
	}
	if (c == '*' || c == '_')
		return S_delims(s, n, i, sc);
	return i;
}

/* Passes over closing quotes, brackets and emphasis markers from s[i];
 * sets *bracket when a CJK closing bracket was among them. */
static size_t
S_closers(const char *s, size_t n, size_t i, S_scan *sc, int *bracket)
{
	size_t k;
	int b;
	*bracket = 0;
	while (i < n) {
		unsigned cp = bb_utf8_at(s, n, i, &k);
		if (cp == '*' || cp == '_') {
			i = S_delims(s, n, i, sc);
			continue;
		} else if (S_closer(cp, &b)) {
			*bracket |= b;
		} else {
			break;
		}
		i += k;
	}
	return i;
}

/* The end of the sentence from s[i], the markup state carried in sc. */
static size_t
S_next(const char *s, size_t n, size_t i, S_scan *scp)
{
	S_scan sc = *scp;
	size_t start = i, k, j, e = n;
	int bracket;

	while (i < n) {
		unsigned cp;
		size_t nx = S_skip(s, n, i, &sc);
		if (nx != i) {
			i = nx;
			continue;
		}
		cp = bb_utf8_at(s, n, i, &k);
		if (S_cjk_stop(cp)) {
			j = i + k;
			while (j < n && (S_cjk_stop(cp = bb_utf8_at(s, n, j, &k)) || cp == '!' || cp == '?'))
				j += k;
			j = S_closers(s, n, j, &sc, &bracket);
			if (!bracket || j == n || S_space((unsigned char)s[j]) || S_opener(bb_utf8_at(s, n, j, &k))) {
				e = j;
				break;
			}
			i = j;
			continue;
		}
		if (cp == '.' || cp == '!' || cp == '?') {
			size_t m;
			j = i + 1;
			while (j < n && (s[j] == '.' || s[j] == '!' || s[j] == '?'))
				j++;
			m = j;
			{
				S_scan save = sc;
				j = S_closers(s, n, j, &sc, &bracket);
				if (j == n || S_space((unsigned char)s[j])) {
					size_t w = j;
					while (w < n && S_space((unsigned char)s[w]))
						w++;
					if (!(cp == '.' && m == i + 1 && S_abbrev(s, start, i))
					    && !(w < n && s[w] >= 'a' && s[w] <= 'z')) {
						e = j;
						break;
					}
				}
				sc = save;
			}
			i = m;
			continue;
		}
		if (S_space((unsigned char)s[i]) && i > start && S_japanese(S_cp_before(s, i))) {
			j = i;
			while (j < n && S_space((unsigned char)s[j]))
				j++;
			if (j < n && S_japanese(bb_utf8_at(s, n, j, &k))) {
				e = i;
				break;
			}
			i = j;
			continue;
		}
		i += k;
	}
	*scp = sc;
	return e;
}

static int
S_clean(const S_scan *sc)
{
	return sc->stars % 2 == 0 && sc->unders % 2 == 0 && sc->links == 0;
}

size_t
bb_sentence_end(const char *s, size_t n, size_t i, int *clean)
{
	S_scan sc = { 0, 0, 0, 0 };
	size_t e;
	sc.budget = 8 * (n - i) + 4096;
	e = S_next(s, n, i, &sc);
	if (clean)
		*clean = S_clean(&sc);
	return e;
}

/* ---- the set ---- */

struct bb_said {
	unsigned long long *h;
	size_t *off;            /* key offsets in keys, +1 (0: empty slot) */
	size_t *klen;
	size_t n, cap;          /* cap: a power of two */
	bb_buf keys;
};

bb_said *
bb_said_new(void)
{
	bb_said *s = bb_xcalloc(1, sizeof *s);
	s->cap = 256;
	s->h = bb_xcalloc(s->cap, sizeof *s->h);
	s->off = bb_xcalloc(s->cap, sizeof *s->off);
	s->klen = bb_xcalloc(s->cap, sizeof *s->klen);
	return s;
}

void
bb_said_free(bb_said *s)
{
	if (!s)
		return;
	free(s->h);
	free(s->off);
	free(s->klen);
	bb_buf_free(&s->keys);
	free(s);
}

/* The slot holding key k (kn bytes, hash h), or the empty slot for it. */
static size_t
S_slot(const bb_said *s, unsigned long long h, const char *k, size_t kn)
{
	size_t i = (size_t)h & (s->cap - 1);
	while (s->off[i]) {
		if (s->h[i] == h && s->klen[i] == kn && memcmp(s->keys.data + s->off[i] - 1, k, kn) == 0)
			return i;
		i = (i + 1) & (s->cap - 1);
	}
	return i;
}

static void
S_add(bb_said *s, unsigned long long h, const char *k, size_t kn)
{
	size_t i = S_slot(s, h, k, kn), j;
	if (s->off[i])
		return;
	if (2 * (s->n + 1) > s->cap) {
		bb_said old = *s;
		s->cap *= 2;
		s->h = bb_xcalloc(s->cap, sizeof *s->h);
		s->off = bb_xcalloc(s->cap, sizeof *s->off);
		s->klen = bb_xcalloc(s->cap, sizeof *s->klen);
		for (j = 0; j < old.cap; j++) {
			size_t t;
			if (!old.off[j])
				continue;
			t = (size_t)old.h[j] & (s->cap - 1);
			while (s->off[t])
				t = (t + 1) & (s->cap - 1);
			s->h[t] = old.h[j];
			s->off[t] = old.off[j];
			s->klen[t] = old.klen[j];
		}
		free(old.h);
		free(old.off);
		free(old.klen);
		i = S_slot(s, h, k, kn);
	}
	s->h[i] = h;
	s->off[i] = s->keys.len + 1;
	s->klen[i] = kn;
	bb_buf_put(&s->keys, k, kn);
	s->n++;
}

/* The compared form of s[b..e): no whitespace, no emphasis markers. */
static void
S_key(bb_buf *k, const char *s, size_t b, size_t e)
{
	bb_buf_reset(k);
	for (; b < e; b++)
		if (!S_space((unsigned char)s[b]) && s[b] != '*' && s[b] != '_')
			bb_buf_putc(k, s[b]);
}

typedef struct S_sent {
	size_t b, e;            /* the sentence, without the space after it */
	int clean, said, drop;
	size_t klen;
} S_sent;

unsigned
bb_said_drop(bb_said *set, char *t, size_t *len, size_t min_key)
{
	size_t n = *len, i = 0, ns = 0, cap = 0, a, w;
	S_scan sc = { 0, 0, 0, 0 };
	S_sent *v = NULL;
	bb_buf key = BB_BUF_INIT;
	unsigned dropped = 0;

	sc.budget = 8 * n + 4096;
	while (i < n && S_space((unsigned char)t[i]))
		i++;
	while (i < n) {
		size_t e = S_next(t, n, i, &sc);
		unsigned long long h;
		if (e <= i)
			e = n;
		if (ns == cap) {
			cap = cap ? 2 * cap : 16;
			v = bb_xrealloc(v, cap * sizeof *v);
		}
		v[ns].b = i;
		v[ns].e = e;
		v[ns].drop = 0;
		v[ns].clean = S_clean(&sc);
		S_key(&key, t, i, e);
		v[ns].klen = key.len;
		h = bb_fnv1a(BB_FNV_SEED, key.data ? key.data : "", key.len);
		v[ns].said = key.len > 0 && set->off[S_slot(set, h, key.data, key.len)] != 0;
		if (key.len > 0)
			S_add(set, h, key.data, key.len);
		ns++;
		i = e;
		while (i < n && S_space((unsigned char)t[i]))
			i++;
	}
	/* runs of sentences said before */
	for (a = 0; a < ns;) {
		size_t z = a, j;
		if (!v[a].said) {
			a++;
			continue;
		}
		while (z + 1 < ns && v[z + 1].said)
			z++;
		if ((z > a || v[a].klen >= min_key) && (a == 0 || v[a - 1].clean) && v[z].clean)
			for (j = a; j <= z; j++)
				v[j].drop = 1;
		a = z + 1;
	}
	/* write what stays, one space (or none between Japanese text) where a
	 * run was taken out */
	w = 0;
	for (a = 0; a < ns; a++) {
		size_t from, to;
		if (v[a].drop) {
			dropped++;
			continue;
		}
		from = a == 0 ? 0 : v[a].b;
		to = a + 1 < ns ? v[a + 1].b : n;
		if (a > 0 && v[a - 1].drop) {
			/* a gap before: keep the separator the original had here */
			size_t g = v[a].b;
			if (w > 0) {
				int sp = g > 0 && S_space((unsigned char)t[g - 1]);
				while (w > 0 && S_space((unsigned char)t[w - 1]))
					w--;
				if (sp)
					t[w++] = ' ';
			}
		}
		if (a + 1 < ns && v[a + 1].drop) {
			/* the run after may be the last: end this one where it ends, with
			 * its own space after it */
			size_t k2 = v[a].e;
			while (k2 < to && S_space((unsigned char)t[k2]))
				k2++;
			to = k2;
		}
		memmove(t + w, t + from, to - from);
		w += to - from;
	}
	while (w > 0 && S_space((unsigned char)t[w - 1]))
		w--;
	if (ns == 0)
		w = n;
	*len = w;
	free(v);
	bb_buf_free(&key);
	return dropped;
}
