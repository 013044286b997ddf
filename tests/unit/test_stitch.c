/* test_stitch.c: unit tests for stitch.c: segmented posts become one article with nothing lost or repeated. */
#define _POSIX_C_SOURCE 200809L
#include "stitch.h"
#include "util.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SAMPLE "samples/allforces/_posts/2025-10-27-amd-lux-supercomputer.md"

static int verbose;

/* ---- an independent reading of the input and the output ---- */

enum { T_TEXT, T_CODE, T_HEAD };

typedef struct T_blk {
	int kind;
	char *norm;     /* whitespace folded; for a heading, its key */
	int seg;        /* segment number (input only) */
	int sect;       /* index into T_doc.keys of the heading above, -1 for none */
} T_blk;

typedef struct T_doc {
	T_blk *b;
	size_t n, cap;
	char **keys;    /* distinct heading keys, in order of first appearance */
	size_t nkeys;
	int nseg;
} T_doc;

static char *
T_fold(const char *s, size_t n)
{
	char *o = bb_xmalloc(n + 1);
	size_t i, k = 0;
	for (i = 0; i < n; i++) {
		if (strchr(" \t\r\n", s[i]) && s[i]) {
			if (k > 0 && o[k - 1] != ' ')
				o[k++] = ' ';
			continue;
		}
		o[k++] = s[i];
	}
	while (k > 0 && o[k - 1] == ' ')
		k--;
	o[k] = '\0';
	return o;
}

static char *
T_key(const char *line, size_t n)
{
	char *t = bb_xmalloc(n + 1), *r;
	size_t i = 0, k = 0;
	while (i < n && (line[i] == '#' || line[i] == ' '))
		i++;
	while (n > i && (line[n - 1] == '#' || line[n - 1] == ' ' || line[n - 1] == '\r'))
		n--;
	for (; i < n; i++)
		if (line[i] != '*' && line[i] != '_')
			t[k++] = line[i];
	r = T_fold(t, k);
	free(t);
	return r;
}

static void
T_add(T_doc *d, int kind, char *norm, int seg, int sect)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->b = bb_xrealloc(d->b, d->cap * sizeof *d->b);
	}
	d->b[d->n].kind = kind;
	d->b[d->n].norm = norm;
	d->b[d->n].seg = seg;
	d->b[d->n].sect = sect;
	d->n++;
}

static int
T_is_marker(const char *l, size_t n)
{
	size_t i;
	if (n < 9 || memcmp(l, "---END---", 9) != 0)
		return 0;
	for (i = 9; i < n; i++)
		if (!strchr(" \t\r", l[i]) || !l[i])
			return 0;
	return 1;
}

/* Blocks by blank lines; ATX headings are lines of their own; ``` fences are
 * one block; marker lines start a new segment. */
static void
T_parse(const char *t, size_t len, T_doc *d)
{
	size_t i = 0, pb = 0, pe = 0, fb = 0;
	int inpara = 0, infence = 0, seg = 0, sect = -1;
	memset(d, 0, sizeof *d);
	while (i < len) {
		size_t ls = i, le = i, k;
		const char *l = t + i;
		int blank = 1, marker, fence;
		while (le < len && t[le] != '\n')
			le++;
		i = le + 1;
		for (k = ls; k < le; k++)
			if (!strchr(" \t\r", t[k]) || !t[k])
				blank = 0;
		marker = T_is_marker(l, le - ls);
		fence = le - ls >= 3 && (memcmp(l, "```", 3) == 0 || memcmp(l, "~~~", 3) == 0);
		if (infence) {
			if (marker)
				T_add(d, T_CODE, T_fold(t + fb, ls - fb), seg, sect);
			else if (fence)
				T_add(d, T_CODE, T_fold(t + fb, le - fb), seg, sect);
			if (marker || fence)
				infence = 0;
			if (!marker)
				continue;
		}
		if ((blank || marker || fence || l[0] == '#') && inpara) {
			T_add(d, T_TEXT, T_fold(t + pb, pe - pb), seg, sect);
			inpara = 0;
		}
		if (marker) {
			seg++;
		} else if (fence) {
			infence = 1;
			fb = ls;
		} else if (l[0] == '#') {
			char *key = T_key(l, le - ls);
			for (k = 0; k < d->nkeys; k++)
				if (strcmp(d->keys[k], key) == 0)
					break;
			if (k == d->nkeys) {
				d->keys = bb_xrealloc(d->keys, (d->nkeys + 1) * sizeof *d->keys);
				d->keys[d->nkeys++] = bb_xstrdup(key);
			}
			sect = (int)k;
			T_add(d, T_HEAD, key, seg, sect);
		} else if (!blank) {
			if (!inpara)
				pb = ls;
			inpara = 1;
			pe = le;
		}
	}
	if (infence)
		T_add(d, T_CODE, T_fold(t + fb, len - fb), seg, sect);
	else if (inpara)
		T_add(d, T_TEXT, T_fold(t + pb, pe - pb), seg, sect);
	d->nseg = seg + 1;
}

static void
T_free(T_doc *d)
{
	size_t i;
	for (i = 0; i < d->n; i++)
		free(d->b[i].norm);
	for (i = 0; i < d->nkeys; i++)
		free(d->keys[i]);
	free(d->b);
	free(d->keys);
}

static unsigned
T_cp_at(const char *s, size_t n)
{
	unsigned cp = 0;
	if (bb_utf8_decode((const unsigned char *)s, n, &cp) <= 0)
		return (unsigned char)s[0];
	return cp;
}

static unsigned
T_cp_before(const char *s, size_t i)
{
	size_t k = 1;
	while (k < 4 && k < i && ((unsigned char)s[i - k] & 0xC0) == 0x80)
		k++;
	return T_cp_at(s + i - k, k);
}

/* Sentences end after 。！？, after . ! ? followed by a space or the end, and
 * before a space between two CJK characters (a headline glued to the text).
 * Calls f for each complete sentence; returns the trailing fragment (caller
 * frees, "" when the text ends a sentence). */
static char *
T_sentences(const char *s, void (*f)(const char *, void *), void *arg)
{
	size_t n = strlen(s), i = 0, st = 0;
	while (i < n) {
		unsigned cp;
		int k = bb_utf8_decode((const unsigned char *)s + i, n - i, &cp), end = 0;
		if (k <= 0)
			k = 1;
		if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F)
			end = 1;
		else if ((cp == '.' || cp == '!' || cp == '?') && (i + 1 == n || s[i + 1] == ' '))
			end = 1;
		else if (cp == ' ' && i > st && bb_is_cjk(T_cp_before(s, i)) && i + 1 < n
				&& bb_is_cjk(T_cp_at(s + i + 1, n - i - 1)))
			end = 2;        /* a headline glued to the text after it */
		if (end != 2)
			i += (size_t)k;
		if (end) {
			char *one;
			while (s[st] == ' ')
				st++;
			one = bb_xstrndup(s + st, i - st);
			f(one, arg);
			free(one);
			st = i;
			if (end == 2)
				i++;
		}
	}
	while (s[st] == ' ')
		st++;
	return bb_xstrdup(s + st);
}

typedef struct T_ctx {
	const char *out;        /* output blocks, folded, one per line */
	const char *label;
	int missing;
} T_ctx;

static void
T_must_have(const char *sentence, void *arg)
{
	T_ctx *c = arg;
	if (!strstr(c->out, sentence)) {
		c->missing++;
		fprintf(stderr, "%s: sentence lost: %s\n", c->label, sentence);
	}
}

static void
T_check_unit(T_ctx *c, const char *text)
{
	char *frag = T_sentences(text, T_must_have, c);
	if (*frag && !strstr(c->out, frag)) {
		c->missing++;
		fprintf(stderr, "%s: fragment lost: %s\n", c->label, frag);
	}
	free(frag);
}

static unsigned
T_last_cp(const char *s)
{
	size_t n = strlen(s), k = 1;
	unsigned cp = 0;
	if (n == 0)
		return 0;
	while (k < n && k < 4 && ((unsigned char)s[n - k] & 0xC0) == 0x80)
		k++;
	bb_utf8_decode((const unsigned char *)s + n - k, k, &cp);
	return cp;
}

/* c joined to its continuation p: the longest tail of c repeated at p's start
 * (6 bytes at least) is written once; a space between words unless CJK. */
static char *
T_join(const char *c, const char *p)
{
	size_t cn = strlen(c), pn = strlen(p), k;
	unsigned pc = 0;
	for (k = cn < pn ? cn : pn; k >= 6; k--)
		if (memcmp(c + cn - k, p, k) == 0 && ((unsigned char)p[k] & 0xC0) != 0x80)
			return bb_xasprintf("%s%s", c, p + k);
	bb_utf8_decode((const unsigned char *)p, pn, &pc);
	if (bb_is_cjk(T_last_cp(c)) || bb_is_cjk(pc))
		return bb_xasprintf("%s%s", c, p);
	return bb_xasprintf("%s %s", c, p);
}

static int
T_ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);
	return k > 0 && n >= k && strcmp(s + n - k, tail) == 0;
}

static void
T_ignore(const char *s, void *arg)
{
	(void)s;
	(void)arg;
}

/* The cut fragment of block i when it ends its segment and the next segment
 * starts with a text block; NULL otherwise. Caller frees. */
static char *
T_cut(const T_doc *in, size_t i)
{
	char *frag;
	if (in->b[i].kind != T_TEXT || i + 1 >= in->n || in->b[i + 1].seg == in->b[i].seg)
		return NULL;
	frag = T_sentences(in->b[i].norm, T_ignore, NULL);
	if (!*frag) {
		free(frag);
		return NULL;
	}
	return frag;
}

/* 1 when block i repeats (is contained in) an earlier input block. */
static int
T_repeats_earlier(const T_doc *in, size_t i)
{
	size_t k;
	for (k = 0; k < i; k++)
		if (in->b[k].kind == in->b[i].kind && strstr(in->b[k].norm, in->b[i].norm))
			return 1;
	return 0;
}

/* 1 when folded text s occurs in an input text block other than i and j. */
static int
T_repeated(const T_doc *in, const char *s, size_t i, size_t j)
{
	size_t k;
	for (k = 0; k < in->n; k++)
		if (k != i && k != j && in->b[k].kind == T_TEXT && strstr(in->b[k].norm, s))
			return 1;
	return 0;
}

/* 1 when the first sentence of o (16 bytes or more) stands in s: o is s
 * with sentences said before cut out of it. */
static int
T_first_sentence_in(const char *o, const char *s)
{
	size_t n = strlen(o), i = 0;
	while (i < n) {
		unsigned cp;
		int k = bb_utf8_decode((const unsigned char *)o + i, n - i, &cp);
		i += k > 0 ? (size_t)k : 1;
		if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F
				|| ((cp == '.' || cp == '!' || cp == '?') && (i == n || o[i] == ' ')))
			break;
	}
	if (i < 8)
		return 0;
	{
		char *first = bb_xstrndup(o, i);
		int in = strstr(s, first) != NULL;
		free(first);
		return in;
	}
}

enum { T_ALLOW_CUT = 1 };

/* Checks the requirements on (input, output), each as one CHECK:
 * markers gone, sentences kept, no repeats, heading order, cuts joined,
 * blocks under the heading of their first appearance in the input's order. */
static void
T_check_props(const char *label, const char *in_text, size_t in_len,
		const char *out_text, size_t out_len, int flags)
{
	T_doc in, out;
	bb_buf all = BB_BUF_INIT;
	T_ctx ctx;
	size_t i, j, k, nh;
	int ok, failed0 = tap_failed;

	T_parse(in_text, in_len, &in);
	T_parse(out_text, out_len, &out);
	for (i = 0; i < out.n; i++)
		if (out.b[i].kind != T_HEAD) {
			bb_buf_puts(&all, out.b[i].norm);
			bb_buf_putc(&all, '\n');
		}
	bb_buf_putc(&all, '\0');

	/* no marker left */
	CHECK(!bb_stitch_has_marker(out_text, out_len) && !strstr(out_text, "---END---"));
	CHECK(out.nseg == 1);

	/* nothing lost: every complete sentence and trailing fragment, with a cut
	 * joined to the start of the next segment; a cut inside text repeated
	 * elsewhere in the post, or followed by a repeat of earlier text, is
	 * checked as its two parts */
	ctx.out = all.data;
	ctx.label = label;
	ctx.missing = 0;
	for (i = 0; i < in.n; i++) {
		char *frag;
		if (in.b[i].kind == T_CODE) {
			if (!strstr(all.data, in.b[i].norm)) {
				ctx.missing++;
				fprintf(stderr, "%s: code lost: %s\n", label, in.b[i].norm);
			}
			continue;
		}
		if (in.b[i].kind != T_TEXT)
			continue;
		frag = T_cut(&in, i);
		if (frag && in.b[i + 1].kind == T_TEXT && !T_repeated(&in, frag, i, i + 1)
				&& !T_repeats_earlier(&in, i + 1)) {
			/* the next block carries the joined text */
			char *joined = T_join(in.b[i].norm, in.b[i + 1].norm);
			free(in.b[i + 1].norm);
			in.b[i + 1].norm = joined;
			free(frag);
			continue;
		}
		free(frag);
		T_check_unit(&ctx, in.b[i].norm);
	}
	CHECK(ctx.missing == 0);
	T_free(&in);
	T_parse(in_text, in_len, &in);

	/* nothing repeated: blocks of 16 bytes or more are not contained in
	 * another block; shorter ones are not equal to another; no heading twice */
	ok = 1;
	for (i = 0; i < out.n; i++)
		for (j = 0; j < out.n; j++) {
			const char *a = out.b[i].norm, *b = out.b[j].norm;
			if (i == j || out.b[i].kind == T_HEAD || out.b[j].kind == T_HEAD)
				continue;
			if (strcmp(a, b) == 0 || (strlen(a) >= 16 && strstr(b, a))) {
				ok = 0;
				fprintf(stderr, "%s: repeated block %zu in %zu: %.80s\n", label, i, j, a);
			}
		}
	CHECK(ok);

	/* headings: each once, in the order of their first appearance */
	ok = 1;
	nh = 0;
	for (i = 0; i < out.n; i++)
		if (out.b[i].kind == T_HEAD) {
			if (nh >= in.nkeys || strcmp(out.b[i].norm, in.keys[nh]) != 0)
				ok = 0;
			nh++;
		}
	CHECK(ok && nh == in.nkeys);

	/* cuts joined: no output paragraph ends with a cut's fragment */
	ok = 1;
	for (i = 0; i < in.n && !(flags & T_ALLOW_CUT); i++) {
		char *frag = T_cut(&in, i);
		if (!frag)
			continue;
		for (j = 0; j < out.n; j++)
			if (out.b[j].kind == T_TEXT && T_ends_with(out.b[j].norm, frag)) {
				ok = 0;
				fprintf(stderr, "%s: cut left unjoined: %s\n", label, frag);
			}
		free(frag);
	}
	CHECK(ok);

	/* placement: each output block sits under a heading it appears under in the
	 * input, and within a section blocks keep the order of first appearance.
	 * A segment restarts where its text was written before: until it shows a
	 * heading, a block repeating earlier text is in that text's section. */
	ok = 1;
	{
		int cur = -1, locked = 0, lastseg = 0;
		for (i = 0; i < in.n; i++) {
			if (in.b[i].seg != lastseg)
				locked = 0;
			lastseg = in.b[i].seg;
			if (in.b[i].kind == T_HEAD) {
				cur = in.b[i].sect;
				locked = 1;
				continue;
			}
			for (k = 0; k < i && !locked; k++)
				if (in.b[k].kind == in.b[i].kind && strstr(in.b[k].norm, in.b[i].norm)) {
					cur = in.b[k].sect;
					break;
				}
			in.b[i].sect = cur;
		}
	}
	{
		size_t prev_first = 0;
		int prev_sect = -2;
		for (i = 0; i < out.n; i++) {
			const char *o = out.b[i].norm;
			int outsect = -1, found = 0, placed = 0;
			size_t first = 0;
			if (out.b[i].kind == T_HEAD)
				continue;
			if (out.b[i].sect >= 0) {
				outsect = -3;   /* a heading the input lacks */
				for (k = 0; k < in.nkeys; k++)
					if (strcmp(in.keys[k], out.keys[out.b[i].sect]) == 0)
						outsect = (int)k;
			}
			for (k = 0; k < in.n; k++) {
				const char *s = in.b[k].norm;
				if (in.b[k].kind == T_HEAD || !*s || (!strstr(o, s) && !strstr(s, o)
						&& !T_first_sentence_in(o, s)))
					continue;
				if (!found)
					first = k;
				found = 1;
				if (in.b[k].sect == outsect)
					placed = 1;
			}
			/* parts split from one glued block share their first appearance */
			if (!found || !placed || (prev_sect == out.b[i].sect && first < prev_first)) {
				ok = 0;
				fprintf(stderr, "%s: block misplaced (found %d placed %d first %zu prev %zu): %.80s\n",
					label, found, placed, first, prev_first, o);
			}
			prev_sect = out.b[i].sect;
			prev_first = first;
		}
	}
	CHECK(ok);

	if (tap_failed > failed0)
		fprintf(stderr, "%s: %d property checks failed\n", label, tap_failed - failed0);
	bb_buf_free(&all);
	T_free(&in);
	T_free(&out);
}

/* Stitches in, compares with want when not NULL, and checks the properties. */
static void
T_case(const char *label, const char *in, const char *want, int flags)
{
	size_t olen = 0;
	struct bb_stitch_stats st;
	char *out = bb_stitch(in, strlen(in), &olen, &st);
	CHECK(out && strlen(out) == olen);
	if (want) {
		CHECK_STR(out, want);
		if (strcmp(out, want) != 0)
			fprintf(stderr, "  (case %s)\n", label);
	}
	T_check_props(label, in, strlen(in), out, olen, flags);
	free(out);
}

/* ---- small cases ---- */

static void
test_marker(void)
{
	CHECK(bb_stitch_has_marker("a\n---END---\nb", 13) == 1);
	CHECK(bb_stitch_has_marker("---END---", 9) == 1);
	CHECK(bb_stitch_has_marker("a\n---END---  \r\n", 16) == 1);
	CHECK(bb_stitch_has_marker("a\n ---END---\n", 13) == 0);
	CHECK(bb_stitch_has_marker("a\n---END---x\n", 13) == 0);
	CHECK(bb_stitch_has_marker("a\n---END--\n", 11) == 0);
	CHECK(bb_stitch_has_marker("text ---END--- text\n", 20) == 0);
	/* len bounds the search */
	CHECK(bb_stitch_has_marker("a\n---END---\n", 5) == 0);
}

static void
test_unchanged(void)
{
	static const char in[] = "Same paragraph here.\r\n\r\nSame paragraph here.\r\n\r\n"
		" ---END---\n---END---x\n---END--\n\n\n# T\n\n# T\n\nends without a period";
	size_t olen = 0;
	struct bb_stitch_stats st;
	char *out;
	memset(&st, 0xff, sizeof st);
	out = bb_stitch(in, sizeof in - 1, &olen, &st);
	CHECK(olen == sizeof in - 1 && memcmp(out, in, olen) == 0 && out[olen] == '\0');
	CHECK(st.segments == 1 && st.paragraphs_in == 0 && st.dropped_repeats == 0 && st.merged_cuts == 0);
	free(out);
	out = bb_stitch("", 0, &olen, NULL);
	CHECK(out && olen == 0 && out[0] == '\0');
	free(out);
}

static void
test_cases(void)
{
	struct bb_stitch_stats st;
	size_t olen;
	char *out;
	const char *s;

	T_case("repeat", "Intro paragraph one.\n\nSecond paragraph here.\n---END---\n"
		"Second paragraph here.\n\nThird paragraph is new.\n---END---\n",
		"Intro paragraph one.\n\nSecond paragraph here.\n\nThird paragraph is new.\n", 0);

	T_case("latin cut", "First complete sentence. The cat sat\n---END---\non the mat. Then it slept.\n",
		"First complete sentence. The cat sat on the mat. Then it slept.\n", 0);

	T_case("cjk cut", "最初の文です。猫はCPUの上で静かに\n---END---\n眠っていました。次の文です。\n",
		"最初の文です。猫はCPUの上で静かに眠っていました。次の文です。\n", 0);

	T_case("cjk cut with overlap",
		"これは最初の文です。旅の計画では、特に山の天気の予報が\n---END---\n"
		"天気の予報が大切になります。次の文です。\n",
		"これは最初の文です。旅の計画では、特に山の天気の予報が大切になります。次の文です。\n", 0);

	T_case("latin cut with overlap",
		"We looked at the numbers and found that the growth was\n---END---\n"
		"that the growth was slower than planned. Nobody was surprised.\n",
		"We looked at the numbers and found that the growth was slower than planned. Nobody was surprised.\n", 0);

	/* a one-word repeat is not taken for overlap */
	T_case("no false overlap", "It is what it\n---END---\nis and that is all.\n",
		"It is what it is and that is all.\n", 0);

	T_case("cut continued after repeated overlap",
		"## Sec\n\nSec one is complete.\n\nSec two is cut right\n---END---\n"
		"## Sec\n\nSec one is complete.\n\nin the middle. And more.\n",
		"## Sec\n\nSec one is complete.\n\nSec two is cut right in the middle. And more.\n", 0);

	T_case("cut then whole copy",
		"Para one is whole.\n\nPara two stops\n---END---\nPara two stops here, and is whole.\n\nPara three.\n",
		"Para one is whole.\n\nPara two stops here, and is whole.\n\nPara three.\n", 0);

	/* the next segment restarts elsewhere: no join with unrelated text */
	T_case("cut not joined to a repeat of another section",
		"Intro one is complete.\n\n## Sec\n\nSec text stops here without end\n---END---\n"
		"Intro one is complete.\n\n## Other\n\nOther text.\n",
		"Intro one is complete.\n\n## Sec\n\nSec text stops here without end\n\n## Other\n\nOther text.\n",
		T_ALLOW_CUT);

	T_case("cut not joined to new text after a repeat of another section",
		"Intro one is complete.\n\n## Sec\n\nSec text stops here without end\n---END---\n"
		"Intro one is complete.\n\nIntro two is new.\n",
		"Intro one is complete.\n\nIntro two is new.\n\n## Sec\n\nSec text stops here without end\n",
		T_ALLOW_CUT);

	T_case("sections merged in place",
		"## Alpha\n\nAlpha one is complete.\n\nAlpha two stops in the middle of\n---END---\n"
		"## Beta\n\nBeta one is here.\n---END---\n"
		"## Alpha\n\nAlpha one is complete.\n\nAlpha two stops in the middle of a sentence, but now it is whole.\n\n"
		"Alpha three is new in the repeat.\n\n## Gamma\n\nGamma one.\n---END---\n",
		"## Alpha\n\nAlpha one is complete.\n\nAlpha two stops in the middle of a sentence, but now it is whole.\n\n"
		"Alpha three is new in the repeat.\n\n## Beta\n\nBeta one is here.\n\n## Gamma\n\nGamma one.\n",
		T_ALLOW_CUT);

	T_case("new paragraphs keep their order at the end of the first section",
		"## A\n\nA first paragraph.\n\nA second paragraph.\n\n## B\n\nB first paragraph.\n---END---\n"
		"## A\n\nA first paragraph.\n\nA new one, number one.\n\nA second paragraph.\n\nA new one, number two.\n",
		"## A\n\nA first paragraph.\n\nA second paragraph.\n\nA new one, number one.\n\nA new one, number two.\n\n"
		"## B\n\nB first paragraph.\n", 0);

	/* a segment that restarts inside an earlier section adds to that section */
	T_case("new text after a repeat goes where the repeat is",
		"Intro one is complete.\n\nIntro two is complete.\n\n## Sec\n\nSec one is complete.\n---END---\n"
		"Intro two is complete.\n\nIntro three is new.\n\n## Sec\n\nSec two is new.\n",
		"Intro one is complete.\n\nIntro two is complete.\n\nIntro three is new.\n\n"
		"## Sec\n\nSec one is complete.\n\nSec two is new.\n", 0);

	T_case("heading glued to its paragraph, paragraphs glued to new text",
		"Lead paragraph. It is complete.\n\n### Sec\n\nBody of sec one.\n---END---\n"
		"### Sec\nBody of sec one.\n\nLead paragraph. It is complete. Body of sec one. And this text is new here.\n",
		"Lead paragraph. It is complete.\n\n### Sec\n\nBody of sec one.\n\nAnd this text is new here.\n", 0);

	T_case("glued copies of a truncated tail are dropped",
		"タイトルです？\n\n本文の一段落目です。\n\n二段落目の文です。続きの文がここにあります。\n---END---\n"
		"タイトルです？ 本文の一段落目です。 二段落目の文です。続きの\n---END---\n"
		"新しい段落です。\n",
		"タイトルです？\n\n本文の一段落目です。\n\n二段落目の文です。続きの文がここにあります。\n\n新しい段落です。\n", 0);

	T_case("shorter copy dropped for an earlier longer one",
		"Closing words are here. And there is more after them.\n---END---\n## End\n\nClosing words are here.\n",
		"Closing words are here. And there is more after them.\n\n## End\n", 0);

	/* one kept paragraph with new sentences around it: a longer version */
	T_case("longer copy replaces in place",
		"Alpha sentence is complete.\n\nBeta sentence is complete too.\n---END---\n"
		"Start. Alpha sentence is complete. End.\n",
		"Start. Alpha sentence is complete. End.\n\nBeta sentence is complete too.\n", 0);

	/* two kept paragraphs glued together lost a paragraph break: split */
	T_case("kept paragraphs glued inside new text",
		"Alpha sentence is complete.\n\nBeta sentence is complete too.\n---END---\n"
		"Start. Alpha sentence is complete. Beta sentence is complete too. End.\n",
		"Alpha sentence is complete.\n\nBeta sentence is complete too.\n\nStart.\n\nEnd.\n", 0);

	/* new text, a kept paragraph and a truncated copy of the next one, glued:
	 * only the new text stays (the sample's first segment ends so once its
	 * title line is removed) */
	T_case("new text glued before copies",
		"本文の一段落目です。\n\n二段落目の文です。続きの文がここにあります。\n---END---\n"
		"新しい見出し文です？ 本文の一段落目です。 二段落目の文です。続きの\n---END---\n"
		"次の段落です。\n",
		"本文の一段落目です。\n\n二段落目の文です。続きの文がここにあります。\n\n新しい見出し文です？\n\n次の段落です。\n", 0);

	s = "Para one is here.\r\n\r\n---END---  \r\nPara one is here.\r\n\r\nPara two.\r\n";
	out = bb_stitch(s, strlen(s), &olen, &st);
	CHECK_STR(out, "Para one is here.\n\nPara two.\n");
	CHECK(st.segments == 2 && st.paragraphs_in == 3 && st.paragraphs_out == 2 && st.dropped_repeats == 1);
	free(out);

	/* stats on a case with every kind of event */
	s = "## A\n\nOne is whole.\n\nTwo is cut\n---END---\n## A\n\nOne is whole.\n\n"
		"in half. Done.\n---END---\n---END---\n";
	out = bb_stitch(s, strlen(s), &olen, &st);
	CHECK_STR(out, "## A\n\nOne is whole.\n\nTwo is cut in half. Done.\n");
	CHECK(st.segments == 2 && st.paragraphs_in == 4 && st.paragraphs_out == 2);
	CHECK(st.dropped_repeats == 1 && st.merged_cuts == 1 && st.sections_merged == 1);
	free(out);

	/* blocks under 16 bytes: found at the start or end of a kept one */
	T_case("short truncated copy", "Hello there, friend. Bye now.\n---END---\nHello there\n\nfriend. Bye now.\n",
		"Hello there, friend. Bye now.\n", 0);
	T_case("short block, longer later", "Hi there.\n\nNext one is here.\n---END---\nHi there. And more text.\n",
		"Hi there. And more text.\n\nNext one is here.\n", 0);
	T_case("tiny blocks only when equal", "---\n\nab.\n---END---\nab. cd.\n\n---\n",
		"---\n\nab.\n\nab. cd.\n", 0);

	T_case("marker only", "---END---\n", "", 0);

	/* a paragraph that ends by restating the opening, cut inside it; the
	 * continuation completes the restated sentence */
	T_case("restated opening, latin",
		"The tide came in early. Gulls sat on the wall, e.g. twenty of them. Dr. Roe counted them twice.\n\n"
		"Then the wind turned.\n\n"
		"We went home. The tide came in early. Gulls sat on the wall, e.g. twenty of them. Dr. Roe counted\n"
		"---END---\n"
		"Roe counted them twice. Supper was late.\n",
		"The tide came in early. Gulls sat on the wall, e.g. twenty of them. Dr. Roe counted them twice.\n\n"
		"Then the wind turned.\n\nWe went home. Supper was late.\n", 0);
	T_case("restated opening, japanese",
		"朝の港は静かでした。漁船はまだ一隻も戻っていません。\n\n市場の準備が始まりました。\n\n"
		"昼には雨になりました。朝の港は静かでした。漁船はまだ一隻も\n---END---\n"
		"一隻も戻っていません。夕方に晴れました。\n",
		"朝の港は静かでした。漁船はまだ一隻も戻っていません。\n\n市場の準備が始まりました。\n\n"
		"昼には雨になりました。夕方に晴れました。\n", 0);
	/* a title line glued before a restatement is no version of it */
	T_case("title line glued before the restatement",
		"港の一日\n\n朝の港は静かでした。漁船はまだ一隻も戻っていません。\n\n"
		"港の一日 朝の港は静かでした。 漁船はまだ一隻も戻っていませんでした\n---END---\n"
		"でした。市場の準備が始まりました。\n",
		"港の一日\n\n朝の港は静かでした。漁船はまだ一隻も戻っていません。\n\n"
		"漁船はまだ一隻も戻っていませんでした。市場の準備が始まりました。\n", 0);
	/* a copy cut mid-sentence is dropped, and its unfinished sentence is
	 * written before the continuation that repeats its end */
	T_case("dropped copy's cut sentence continued",
		"The first entry is from March. Most are short.\n\nA few run to a full page, with sketches.\n\n"
		"The first entry is from March. Most are short. A few run to a full\n---END---\n"
		"a full page in 1974, the year of the leak.\n",
		"The first entry is from March. Most are short.\n\nA few run to a full page, with sketches.\n\n"
		"A few run to a full page in 1974, the year of the leak.\n", 0);
	T_case("dropped copy's cut sentence continued, japanese",
		"朝の港は静かでした。漁船はまだ一隻も戻っていません。\n\n"
		"朝の港は静かでした。漁船はまだ一隻も\n---END---\n漁船はまだ一隻も見えませんでした。\n",
		"朝の港は静かでした。漁船はまだ一隻も戻っていません。\n\n漁船はまだ一隻も見えませんでした。\n", 0);
	/* headings written without the space after the marks */
	T_case("headings without a space",
		"##見出し\n本文です。\n---END---\n## 見出し\n\n本文です。\n\n続きの文です。\n\n##Notes\nMore here.\n\n#hashtag stays text.\n",
		"## 見出し\n\n本文です。\n\n続きの文です。\n\n## Notes\n\nMore here.\n\n#hashtag stays text.\n", 0);
	/* a short sentence said again alone stays; a run of two goes */
	T_case("short repeats",
		"Yes. It rained all day long in the hills.\n---END---\nNo. Yes. The end came.\n\nIt rained. Yes. It rained.\n",
		"Yes. It rained all day long in the hills.\n\nNo. Yes. The end came.\n\nIt rained.\n", 0);
	/* only prose paragraphs lose sentences: not lists, quotes or tables */
	T_case("lists and quotes keep their sentences",
		"A long sentence is said here. Another one.\n---END---\n- A long sentence is said here. New.\n\n"
		"> A long sentence is said here. Quoted.\n\n1. A long sentence is said here. Numbered.\n",
		"A long sentence is said here. Another one.\n\n- A long sentence is said here. New.\n\n"
		"> A long sentence is said here. Quoted.\n\n1. A long sentence is said here. Numbered.\n", 0);
	/* markup kept balanced: a restated sentence inside emphasis stays */
	T_case("restatement inside emphasis stays",
		"Alpha is the first sentence here. Beta follows it closely.\n---END---\n"
		"New start. **Alpha is the first sentence here. Beta** follows.\n",
		"Alpha is the first sentence here. Beta follows it closely.\n\n"
		"New start. **Alpha is the first sentence here. Beta** follows.\n", 0);
	s = "A sentence said twice over here. And a second one.\n---END---\nNew one. A sentence said twice over here.\n";
	out = bb_stitch(s, strlen(s), &olen, &st);
	CHECK_STR(out, "A sentence said twice over here. And a second one.\n\nNew one.\n");
	CHECK(st.sentences_dropped == 1);
	free(out);
}

static void
test_code(void)
{
	T_case("code kept whole and deduplicated",
		"Text before code.\n\n```c\nint a;\n\nint b;\n```\n\nText after.\n---END---\n"
		"```c\nint a;\n\nint b;\n```\n\nText after.\n\nMore text.\n",
		"Text before code.\n\n```c\nint a;\n\nint b;\n```\n\nText after.\n\nMore text.\n", 0);

	T_case("code cut by a marker, then whole",
		"Intro text here.\n\n```sh\necho one\n---END---\n```sh\necho one\necho two\n```\n",
		"Intro text here.\n\n```sh\necho one\necho two\n```\n", 0);

	T_case("open fence closed", "```\ncode line\n\n---END---\nafter it.\n",
		"```\ncode line\n```\n\nafter it.\n", 0);

	/* a text paragraph ending mid-sentence before a code block is not joined
	 * to the code, and code is never joined to text */
	T_case("no join into code", "See this\n---END---\n~~~\nx = 1\n~~~\n",
		"See this\n\n~~~\nx = 1\n~~~\n", T_ALLOW_CUT);

	/* blank lines and heading-like lines inside a fence stay inside */
	T_case("fence interior", "Para one.\n\n```md\n# not a heading\n\n\nline\n```\n---END---\nPara one.\n",
		"Para one.\n\n```md\n# not a heading\n\n\nline\n```\n", 0);
}

static void
test_title(void)
{
	static const char *t = "My Title";
	const char *s;

	s = "\n\nMy Title\n\nBody.";
	CHECK(bb_title_repeat_len(s, strlen(s), t) == (size_t)(strstr(s, "Body") - s));
	s = "# My Title\nBody";
	CHECK(bb_title_repeat_len(s, strlen(s), t) == 11);
	s = "  ## **My  Title** ##  \n\n\nBody";
	CHECK(bb_title_repeat_len(s, strlen(s), t) == (size_t)(strstr(s, "Body") - s));
	s = "My Title\n========\n\nBody";
	CHECK(bb_title_repeat_len(s, strlen(s), t) == (size_t)(strstr(s, "Body") - s));
	s = "_My_ Title\n---\nBody";
	CHECK(bb_title_repeat_len(s, strlen(s), t) == (size_t)(strstr(s, "Body") - s));
	s = "My Title";
	CHECK(bb_title_repeat_len(s, strlen(s), t) == strlen(s));
	s = "My Title\r\n\r\nBody";
	CHECK(bb_title_repeat_len(s, strlen(s), t) == (size_t)(strstr(s, "Body") - s));
	s = "My Title continues\n\nBody";
	CHECK(bb_title_repeat_len(s, strlen(s), t) == 0);
	s = "Body\n\nMy Title\n";
	CHECK(bb_title_repeat_len(s, strlen(s), t) == 0);
	s = "\n\n";
	CHECK(bb_title_repeat_len(s, strlen(s), t) == 0);
	s = "My Title\n";
	CHECK(bb_title_repeat_len(s, strlen(s), NULL) == 0);
	CHECK(bb_title_repeat_len(s, strlen(s), "") == 0);
	CHECK(bb_title_repeat_len("#\n\nx", 4, "#") == 0);
	s = "# **Title: *with* marks** #\n\nBody";
	CHECK(bb_title_repeat_len(s, strlen(s), "Title: with marks") == (size_t)(strstr(s, "Body") - s));
	s = "タイトル？\n本文";
	CHECK(bb_title_repeat_len(s, strlen(s), " タイトル？ ") == strlen("タイトル？\n"));
}

/* ---- the real sample ---- */

static char *
T_read_sample(size_t *len, char **where)
{
	char *path = tap_shared(SAMPLE), *data = NULL;
	if (bb_read_file(path, 1u << 24, &data, len) == 0) {
		*where = path;
		return data;
	}
	free(data);
	free(path);
	return NULL;
}

static size_t
T_count_blocks(const T_doc *d, int heads)
{
	size_t i, n = 0;
	for (i = 0; i < d->n; i++)
		if ((d->b[i].kind == T_HEAD) == heads)
			n++;
	return n;
}

static void
test_sample(void)
{
	size_t len, blen, olen, olen2, tl, i;
	char *where = NULL, *data = T_read_sample(&len, &where), *body, *fm_end, *title = NULL;
	char *out, *twice, *out2, *ftitle;
	struct bb_stitch_stats st;
	T_doc in, od;
	clock_t t0;
	int nseg = 0, lastseg = -1, title_blocks = 0;

	if (!data) {
		SKIP("sample", "BB_SHARED/" SAMPLE " not found (BB_SHARED defaults to ../shared, from the repository root)");
		return;
	}
	/* the body: after the front matter; the title: its title: line */
	CHECK(strncmp(data, "---\n", 4) == 0);
	fm_end = strstr(data + 3, "\n---\n");
	CHECK(fm_end != NULL);
	if (!fm_end) {
		free(data);
		free(where);
		return;
	}
	for (body = data + 4; body < fm_end; body = strchr(body, '\n') + 1) {
		if (strncmp(body, "title:", 6) == 0) {
			const char *v = body + 6, *e = strchr(body, '\n');
			while (*v == ' ')
				v++;
			while (e > v && (e[-1] == ' ' || e[-1] == '\r'))
				e--;
			if (e - v >= 2 && (*v == '"' || *v == '\'') && e[-1] == *v)
				v++, e--;
			title = bb_xstrndup(v, (size_t)(e - v));
		}
	}
	body = fm_end + 5;
	blen = len - (size_t)(body - data);
	CHECK(title != NULL && *title);

	CHECK(bb_stitch_has_marker(body, blen) == 1);
	t0 = clock();
	out = bb_stitch(body, blen, &olen, &st);
	T_check_props("sample", body, blen, out, olen, 0);
	CHECK(olen < blen);

	/* the stats agree with an independent count */
	T_parse(body, blen, &in);
	T_parse(out, olen, &od);
	for (i = 0; i < in.n; i++)
		if (in.b[i].seg != lastseg) {
			nseg++;
			lastseg = in.b[i].seg;
		}
	CHECK(st.segments == (unsigned)nseg && nseg > 1);
	CHECK(st.paragraphs_in == T_count_blocks(&in, 0));
	CHECK(st.paragraphs_out == T_count_blocks(&od, 0));
	CHECK(st.sections_merged == T_count_blocks(&in, 1) - in.nkeys);
	CHECK(st.dropped_repeats > 0 && st.paragraphs_out < st.paragraphs_in);

	/* the title: repeated at the top of the body, shown once after stitching */
	if (title) {
		ftitle = T_fold(title, strlen(title));
		tl = bb_title_repeat_len(body, blen, title);
		CHECK(tl > 0 && tl < blen && body[tl] != '\n' && body[tl] != ' ');
		tl = bb_title_repeat_len(out, olen, title);
		CHECK(tl > 0);
		T_free(&od);
		T_parse(out + tl, olen - tl, &od);
		for (i = 0; i < od.n; i++)
			if (strcmp(od.b[i].norm, ftitle) == 0)
				title_blocks++;
		CHECK(title_blocks == 0);
		free(ftitle);

		/* the other order (title line removed, then stitched) keeps the
		 * same properties; the title's copy glued into the first segment's
		 * last paragraph is then new text and stays as a paragraph */
		tl = bb_title_repeat_len(body, blen, title);
		out2 = bb_stitch(body + tl, blen - tl, &olen2, NULL);
		T_check_props("sample, title removed first", body + tl, blen - tl, out2, olen2, 0);
		free(out2);
	}

	/* a clean article followed by a full repeat of itself stitches to itself */
	twice = bb_xasprintf("%s---END---\n%s", out, out);
	out2 = bb_stitch(twice, strlen(twice), &olen2, NULL);
	CHECK_STR(out2, out);

	if (verbose) {
		printf("sample %s: %zu -> %zu bytes in %.3f s\n", where, blen, olen,
			(double)(clock() - t0) / CLOCKS_PER_SEC);
		printf("  segments %u, paragraphs in %u, out %u, dropped repeats %u, merged cuts %u, sections merged %u\n",
			st.segments, st.paragraphs_in, st.paragraphs_out, st.dropped_repeats, st.merged_cuts,
			st.sections_merged);
		printf("  headings: %zu distinct of %zu\n", in.nkeys, T_count_blocks(&in, 1));
	}
	T_free(&in);
	T_free(&od);
	free(out);
	free(out2);
	free(twice);
	free(title);
	free(data);
	free(where);
}

/* ---- size and pathological input ---- */

static const char *T_vocab[] = {
	"the", "growth", "of", "compute", "was", "faster", "than", "any", "model", "could",
	"use", "and", "so", "teams", "built", "new", "systems", "with", "more", "memory",
	"in", "every", "rack", "while", "power", "became", "a", "limit", "for", "all"
};

static unsigned
T_rand(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

/* Paragraph i: four sentences of common words; its last sentence holds the
 * unique word "k<i>", where a cut may fall. */
static char *
T_para(unsigned i, size_t *cut)
{
	bb_buf b = BB_BUF_INIT;
	unsigned s = i * 7919u + 1, k, w;
	bb_buf_printf(&b, "Paragraph %u opens here.", i);
	for (k = 0; k < 4; k++) {
		unsigned nw = 12 + T_rand(&s) % 10;
		for (w = 0; w < nw; w++) {
			if (k == 3 && w == 4) {
				*cut = b.len;
				bb_buf_printf(&b, " k%u", i);
			} else
				bb_buf_printf(&b, " %s", T_vocab[T_rand(&s) % (sizeof T_vocab / sizeof *T_vocab)]);
		}
		bb_buf_putc(&b, '.');
	}
	return bb_buf_detach(&b, NULL);
}

static void
test_big(void)
{
	enum { N = 6000, SEG = 30 };
	bb_buf in = BB_BUF_INIT, want = BB_BUF_INIT;
	char **p = bb_xmalloc(N * sizeof *p);
	size_t *cut = bb_xmalloc(N * sizeof *cut), olen;
	unsigned i, seg = 0;
	char *out;
	struct bb_stitch_stats st;
	clock_t t0;
	double secs;

	for (i = 0; i < N; i++) {
		p[i] = T_para(i, &cut[i]);
		bb_buf_puts(&want, p[i]);
		bb_buf_puts(&want, i + 1 < N ? "\n\n" : "\n");
	}
	/* segments of SEG paragraphs; after each: a whole repeat of the last
	 * three, or a cut with its continuation, or a cut with overlap */
	i = 0;
	while (i < N) {
		unsigned end = i + SEG < N ? i + SEG : N, k;
		int mode = (int)(seg % 3);
		for (k = i; k < end; k++) {
			if (k == end - 1 && end < N && mode != 0)
				bb_buf_put(&in, p[k], cut[k]);
			else
				bb_buf_puts(&in, p[k]);
			bb_buf_puts(&in, "\n\n");
		}
		if (end >= N)
			break;
		bb_buf_puts(&in, "---END---\n\n");
		if (mode == 1) {            /* continuation only */
			bb_buf_puts(&in, p[end - 1] + cut[end - 1] + 1);
			bb_buf_puts(&in, "\n\n");
			i = end;
		} else                      /* overlap: repeat whole paragraphs */
			i = end - 3;
		seg++;
		if (mode == 1)
			continue;
	}
	t0 = clock();
	out = bb_stitch(in.data, in.len, &olen, &st);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	CHECK(olen == want.len && strcmp(out, want.data) == 0);
	CHECK(st.paragraphs_out == N && st.segments == seg + 1);
	CHECK(st.merged_cuts > 0);
	CHECK(secs < 20.0);
	if (verbose)
		printf("big: %zu bytes, %u segments, %u paragraphs in, %u out, %u merged cuts: %.3f s\n",
			in.len, st.segments, st.paragraphs_in, st.paragraphs_out, st.merged_cuts, secs);
	for (i = 0; i < N; i++)
		free(p[i]);
	free(p);
	free(cut);
	free(out);
	bb_buf_free(&in);
	bb_buf_free(&want);
}

static void
test_pathological(void)
{
	enum { N = 3000 };
	bb_buf in = BB_BUF_INIT, prefix = BB_BUF_INIT;
	unsigned i, r, s = 1, missing = 0;
	size_t olen;
	char *out, tok[32];
	clock_t t0;
	double secs;

	/* every paragraph opens with the same 600 bytes */
	for (i = 0; i < 100; i++)
		bb_buf_printf(&prefix, "%s ", T_vocab[T_rand(&s) % 30]);
	while (prefix.len < 600)
		bb_buf_puts(&prefix, "same ");
	for (r = 0; r < 2; r++) {
		for (i = 0; i < N; i++)
			bb_buf_printf(&in, "%s unique%u.\n\n", prefix.data, i);
		bb_buf_puts(&in, "---END---\n");
	}
	/* and one paragraph of 1 MB of CJK punctuation */
	for (i = 0; i < 350000; i++)
		bb_buf_puts(&in, "。");
	bb_buf_puts(&in, "\n---END---\n");
	t0 = clock();
	out = bb_stitch(in.data, in.len, &olen, NULL);
	secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	for (i = 0; i < N; i++) {
		snprintf(tok, sizeof tok, " unique%u.\n", i);
		if (!strstr(out, tok))
			missing++;
	}
	CHECK(missing == 0);
	CHECK(olen < in.len && !strstr(out, "---END---"));
	CHECK(secs < 20.0);
	if (verbose)
		printf("pathological: %zu bytes -> %zu in %.3f s\n", in.len, olen, secs);
	free(out);
	bb_buf_free(&in);
	bb_buf_free(&prefix);
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "-v") == 0)
		verbose = 1;
	test_marker();
	test_unchanged();
	test_cases();
	test_code();
	test_title();
	test_sample();
	test_big();
	test_pathological();
	return TEST_DONE();
}
