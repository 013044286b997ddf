/* stitch_split.c: the stitcher's text: characters, folding and sentence ends, and a body cut into lines and blocks (paragraphs, fences, headings, ---END--- markers). */
#include "stitch_int.h"

int
bb_stitch_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The code point ending at s[n] (n > 0); sets *clen to its length. */
unsigned
bb_stitch_last_cp(const char *s, size_t n, size_t *clen)
{
	size_t k = 1;
	unsigned cp;
	while (k < 4 && k < n && ((unsigned char)s[n - k] & 0xC0) == 0x80)
		k++;
	if (bb_utf8_decode((const unsigned char *)s + n - k, k, &cp) != (int)k) {
		*clen = 1;
		return (unsigned char)s[n - 1];
	}
	*clen = k;
	return cp;
}

unsigned
bb_stitch_first_cp(const char *s, size_t n)
{
	unsigned cp;
	if (n == 0)
		return 0;
	if (!bb_utf8_decode((const unsigned char *)s, n, &cp))
		return (unsigned char)s[0];
	return cp;
}

static int
S_is_closer(unsigned cp)
{
	switch (cp) {
	case '"': case '\'': case ')': case ']': case '*': case '_': case '`': case '~':
	case 0x00BB: case 0x2019: case 0x201D: case 0x3009: case 0x300B: case 0x300D:
	case 0x300F: case 0x3011: case 0xFF09: case 0xFF3D:
		return 1;
	}
	return 0;
}

static int
S_is_terminal(unsigned cp)
{
	switch (cp) {
	case '.': case '!': case '?': case ':': case ';':
	case 0x2026: case 0x3002: case 0xFF01: case 0xFF0E: case 0xFF1A: case 0xFF1B:
	case 0xFF1F: case 0xFF61:
		return 1;
	}
	return 0;
}

/* 1 when folded text ends a sentence (closing quotes, brackets and emphasis
 * marks aside), ends with a link or image, or is only markup. */
int
bb_stitch_ends_sentence(const char *s, size_t n)
{
	size_t m = n, k;
	unsigned cp;
	while (m > 0) {
		cp = bb_stitch_last_cp(s, m, &k);
		if (cp != ' ' && !S_is_closer(cp))
			break;
		m -= k;
	}
	if (m == 0)
		return 1;
	cp = bb_stitch_last_cp(s, m, &k);
	if (S_is_terminal(cp))
		return 1;
	if (n > 0 && s[n - 1] == ')') {
		size_t i;
		for (i = 0; i + 1 < n; i++)
			if (s[i] == ']' && s[i + 1] == '(')
				return 1;
	}
	return 0;
}

/* 1 when a folded paragraph may be cut mid-sentence: plain prose that does
 * not end a sentence (tables, HTML and thematic breaks never are). */
int
bb_stitch_is_cut(const char *s, size_t n)
{
	size_t i;
	int only_rule = 1;
	if (n == 0 || s[0] == '|' || s[0] == '<')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] != '-' && s[i] != '*' && s[i] != '_' && s[i] != ' ')
			only_rule = 0;
	if (only_rule)
		return 0;
	return !bb_stitch_ends_sentence(s, n);
}

/* Folds runs of ASCII whitespace to one space and trims. Caller frees. */
char *
bb_stitch_fold(const char *s, size_t n, size_t *outn)
{
	char *o = bb_xmalloc(n + 1);
	size_t i = 0, k = 0;
	int sp = 0;
	while (i < n && bb_stitch_ws((unsigned char)s[i]))
		i++;
	for (; i < n; i++) {
		if (bb_stitch_ws((unsigned char)s[i])) {
			sp = 1;
			continue;
		}
		if (sp)
			o[k++] = ' ';
		sp = 0;
		o[k++] = s[i];
	}
	o[k] = '\0';
	*outn = k;
	return o;
}

/* The offset in raw text matching offset noff of its folded form. */
size_t
bb_stitch_raw_at(const char *raw, size_t n, size_t noff)
{
	size_t i = 0, k = 0;
	while (i < n && bb_stitch_ws((unsigned char)raw[i]))
		i++;
	while (i < n && k < noff) {
		if (bb_stitch_ws((unsigned char)raw[i])) {
			while (i < n && bb_stitch_ws((unsigned char)raw[i]))
				i++;
		} else
			i++;
		k++;
	}
	return i;
}

/* An anchor is where a contained paragraph may start: the start, after a
 * space, or after CJK punctuation that ends a sentence or clause. */
int
bb_stitch_is_anchor(const char *s, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;
	if (i == 0 || s[i - 1] == ' ')
		return 1;
	if (i < 3 || ((u[i] & 0xC0) == 0x80))
		return 0;
	if (u[i - 3] == 0xE3 && u[i - 2] == 0x80)     /* 、。」』 */
		return u[i - 1] == 0x81 || u[i - 1] == 0x82 || u[i - 1] == 0x8D || u[i - 1] == 0x8F;
	if (u[i - 3] == 0xEF && u[i - 2] == 0xBC)     /* ！），．：；？ */
		return u[i - 1] == 0x81 || u[i - 1] == 0x89 || u[i - 1] == 0x8C || u[i - 1] == 0x8E
			|| u[i - 1] == 0x9A || u[i - 1] == 0x9B || u[i - 1] == 0x9F;
	return 0;
}

/* ---- lines and blocks ---- */

size_t
bb_stitch_indent(const char *l, size_t n)
{
	size_t i = 0;
	while (i < n && l[i] == ' ')
		i++;
	return i;
}

/* 1 when a text block is plain prose, whose sentences may be cut out: no
 * line of it opens a list item, quote, table or HTML block, or is indented
 * as code. */
int
bb_stitch_is_prose(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t e = i, k, j;
		while (e < n && s[e] != '\n')
			e++;
		k = bb_stitch_indent(s + i, e - i);
		if (k >= 4 || (i + k < e && strchr("<|>", s[i + k])))
			return 0;
		if (i + k + 1 < e && strchr("-+*", s[i + k]) && s[i + k + 1] == ' ')
			return 0;
		for (j = i + k; j < e && s[j] >= '0' && s[j] <= '9'; j++)
			;
		if (j > i + k && j + 1 < e && (s[j] == '.' || s[j] == ')') && s[j + 1] == ' ')
			return 0;
		i = e + 1;
	}
	return 1;
}

static int
S_is_blank(const char *l, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!bb_stitch_ws((unsigned char)l[i]))
			return 0;
	return 1;
}

static int
S_is_marker(const char *l, size_t n)
{
	static const char m[] = "---END---";
	size_t i;
	if (n < sizeof m - 1 || memcmp(l, m, sizeof m - 1) != 0)
		return 0;
	for (i = sizeof m - 1; i < n; i++)
		if (l[i] != ' ' && l[i] != '\t' && l[i] != '\r')
			return 0;
	return 1;
}

static int
S_fence_open(const char *l, size_t n, char *ch, size_t *cnt)
{
	size_t i = bb_stitch_indent(l, n), k = 0, j;
	if (i > 3 || i >= n || (l[i] != '`' && l[i] != '~'))
		return 0;
	while (i + k < n && l[i + k] == l[i])
		k++;
	if (k < 3)
		return 0;
	if (l[i] == '`')
		for (j = i + k; j < n; j++)
			if (l[j] == '`')
				return 0;
	*ch = l[i];
	*cnt = k;
	return 1;
}

static int
S_fence_close(const char *l, size_t n, char ch, size_t cnt)
{
	size_t i = bb_stitch_indent(l, n), k = 0;
	if (i > 3)
		return 0;
	while (i + k < n && l[i + k] == ch)
		k++;
	return k >= cnt && S_is_blank(l + i + k, n - i - k);
}

/* An ATX heading line; also one written without the space after its marks
 * ("##見出し", "##Notes"): two to six '#', or one before a non-ASCII
 * character, so that "#hashtag" and "#1" stay text. */
static int
S_is_atx(const char *l, size_t n)
{
	size_t i = bb_stitch_indent(l, n), k = 0;
	if (i > 3)
		return 0;
	while (i + k < n && l[i + k] == '#')
		k++;
	if (k < 1 || k > 6)
		return 0;
	if (i + k == n || bb_stitch_ws((unsigned char)l[i + k]))
		return 1;
	return k >= 2 || ((unsigned char)l[i + k] & 0x80);
}

static int
S_is_setext(const char *l, size_t n)
{
	size_t i = bb_stitch_indent(l, n), k = 0;
	if (i > 3 || i >= n || (l[i] != '=' && l[i] != '-'))
		return 0;
	while (i + k < n && l[i + k] == l[i])
		k++;
	return S_is_blank(l + i + k, n - i - k);
}

/* A line opening a list item, quote or table: a setext underline after it
 * would not make a heading of it. */
static int
S_opens_container(const char *l, size_t n)
{
	size_t i = bb_stitch_indent(l, n);
	if (i >= n)
		return 0;
	if (l[i] == '>' || l[i] == '|')
		return 1;
	if ((l[i] == '-' || l[i] == '*' || l[i] == '+') && (i + 1 == n || l[i + 1] == ' '))
		return 1;
	while (i < n && l[i] >= '0' && l[i] <= '9')
		i++;
	return i > bb_stitch_indent(l, n) && i < n && (l[i] == '.' || l[i] == ')');
}

static void
S_push(stitch_blocks *bl, int kind, size_t b, size_t e, int open)
{
	if (bl->n == bl->cap) {
		bl->cap = bl->cap ? bl->cap * 2 : 64;
		bl->v = bb_xrealloc(bl->v, bl->cap * sizeof *bl->v);
	}
	bl->v[bl->n].kind = kind;
	bl->v[bl->n].b = b;
	bl->v[bl->n].e = e;
	bl->v[bl->n].open = open;
	bl->n++;
}

/* Cuts text into blocks and markers, line by line. */
void
bb_stitch_split(const char *t, size_t len, stitch_blocks *bl)
{
	size_t i = 0, pb = 0, pe = 0, fb = 0, fcnt = 0;
	int inpara = 0, setext_ok = 0, infence = 0;
	char fch = 0;

	while (i < len) {
		size_t ls = i, le = i, ln;
		const char *l;
		while (le < len && t[le] != '\n')
			le++;
		i = le < len ? le + 1 : le;
		l = t + ls;
		ln = le - ls;
		if (S_is_marker(l, ln)) {
			if (infence)
				S_push(bl, STITCH_CODE, fb, ls, 1);
			else if (inpara)
				S_push(bl, STITCH_TEXT, pb, pe, 0);
			infence = inpara = 0;
			S_push(bl, STITCH_MARK, ls, le, 0);
			continue;
		}
		if (infence) {
			if (S_fence_close(l, ln, fch, fcnt)) {
				S_push(bl, STITCH_CODE, fb, le, 0);
				infence = 0;
			}
			continue;
		}
		if (S_fence_open(l, ln, &fch, &fcnt)) {
			if (inpara)
				S_push(bl, STITCH_TEXT, pb, pe, 0);
			inpara = 0;
			infence = 1;
			fb = ls;
			continue;
		}
		if (S_is_blank(l, ln)) {
			if (inpara)
				S_push(bl, STITCH_TEXT, pb, pe, 0);
			inpara = 0;
			continue;
		}
		if (S_is_atx(l, ln)) {
			if (inpara)
				S_push(bl, STITCH_TEXT, pb, pe, 0);
			inpara = 0;
			S_push(bl, STITCH_HEAD, ls, le, 0);
			continue;
		}
		if (inpara && setext_ok && S_is_setext(l, ln)) {
			S_push(bl, STITCH_HEAD, pb, le, 0);
			inpara = 0;
			continue;
		}
		if (!inpara) {
			inpara = 1;
			pb = ls;
			setext_ok = !S_opens_container(l, ln);
		}
		pe = le;
	}
	if (infence)
		S_push(bl, STITCH_CODE, fb, len, 1);
	else if (inpara)
		S_push(bl, STITCH_TEXT, pb, pe, 0);
}

/* A copy of bytes [b, e) with CRs before newlines and at the end removed and
 * trailing whitespace trimmed. Caller frees. */
char *
bb_stitch_copy_raw(const char *t, size_t b, size_t e, size_t *outn)
{
	char *o = bb_xmalloc(e - b + 1);
	size_t i, k = 0;
	for (i = b; i < e; i++) {
		if (t[i] == '\r' && (i + 1 == e || t[i + 1] == '\n'))
			continue;
		o[k++] = t[i];
	}
	while (k > 0 && bb_stitch_ws((unsigned char)o[k - 1]))
		k--;
	o[k] = '\0';
	*outn = k;
	return o;
}

/* The key of a heading: its text without '#' marks, setext underline,
 * emphasis markers or extra whitespace. Caller frees. */
char *
bb_stitch_head_key(const char *s, size_t n, size_t *outn)
{
	char *tmp, *key;
	size_t i = 0, e = n, k = 0, j;

	while (i < n && bb_stitch_ws((unsigned char)s[i]))
		i++;
	if (i < n && s[i] == '#') {
		while (i < n && s[i] == '#')
			i++;
		/* closing sequence: spaces then '#'s at the end */
		while (e > i && bb_stitch_ws((unsigned char)s[e - 1]))
			e--;
		j = e;
		while (j > i && s[j - 1] == '#')
			j--;
		if (j < e && (j == i || bb_stitch_ws((unsigned char)s[j - 1])))
			e = j;
	} else {
		/* setext: drop the underline line */
		j = e;
		while (j > i && bb_stitch_ws((unsigned char)s[j - 1]))
			j--;
		while (j > i && s[j - 1] != '\n')
			j--;
		if (j > i && S_is_setext(s + j, e - j))
			e = j;
	}
	tmp = bb_xmalloc(e - i + 1);
	for (j = i; j < e; j++)
		if (s[j] != '*' && s[j] != '_')
			tmp[k++] = s[j];
	key = bb_stitch_fold(tmp, k, outn);
	free(tmp);
	return key;
}


int
bb_stitch_has_marker(const char *text, size_t len)
{
	size_t i = 0, e;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		e = nl ? (size_t)(nl - text) : len;
		if (text[i] == '-' && S_is_marker(text + i, e - i))
			return 1;
		i = e + 1;
	}
	return 0;
}

size_t
bb_title_repeat_len(const char *text, size_t len, const char *title)
{
	size_t i = 0, ls, le, tk, lk, n2b, n2e;
	char *tkey, *lkey;
	int same;

	if (!title)
		return 0;
	tkey = bb_stitch_head_key(title, strlen(title), &tk);
	if (tk == 0) {
		free(tkey);
		return 0;
	}
	for (;;) {     /* skip blank lines */
		for (le = i; le < len && text[le] != '\n'; le++)
			;
		if (le >= len || !S_is_blank(text + i, le - i))
			break;
		i = le + 1;
	}
	ls = i;
	if (ls >= len) {
		free(tkey);
		return 0;
	}
	lkey = bb_stitch_head_key(text + ls, le - ls, &lk);
	same = lk == tk && memcmp(lkey, tkey, tk) == 0;
	free(lkey);
	free(tkey);
	if (!same)
		return 0;
	i = le < len ? le + 1 : le;
	/* a setext underline belongs to the line (not after an ATX heading) */
	n2b = i;
	for (n2e = n2b; n2e < len && text[n2e] != '\n'; n2e++)
		;
	if (n2b < len && !S_is_atx(text + ls, le - ls) && S_is_setext(text + n2b, n2e - n2b)
			&& !S_is_blank(text + n2b, n2e - n2b))
		i = n2e < len ? n2e + 1 : n2e;
	for (;;) {
		for (le = i; le < len && text[le] != '\n'; le++)
			;
		if (i >= len || !S_is_blank(text + i, le - i))
			break;
		i = le < len ? le + 1 : le;
	}
	return i;
}
