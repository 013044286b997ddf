/* shortcode_text.c: the helpers shortcode_hugo.c and shortcode_theme.c
 * both write with (shortcode_hugo_int.h): a tag's arguments, where a tag
 * stands in the text (in code, paired, at a line's start) and Markdown
 * written for it. */
#define _POSIX_C_SOURCE 200809L
#include "shortcode_hugo_int.h"

#include <ctype.h>
#include <string.h>

/* The named argument key, else positional argument pos (-1: none), or NULL. */
const char *
bb_hsc_arg(const sc_tag *t, const char *key, int pos)
{
	int i, k = 0;
	for (i = 0; i < t->nargs; i++)
		if (t->key[i] && key && strcmp(t->key[i], key) == 0)
			return t->val[i];
	for (i = 0; i < t->nargs; i++)
		if (!t->key[i] && k++ == pos)
			return t->val[i];
	return NULL;
}

/* The blanks a block written for the tag at start is indented by: those
 * before it on its line when nothing else is (the output already holds
 * them), else none, after a new line begun here. */
size_t
bb_hsc_block_indent(sc_state *st, size_t start, const char **ind)
{
	size_t ls = start;
	/* back over blanks only: a long line costs one step a tag */
	while (ls > 0 && (st->text[ls - 1] == ' ' || st->text[ls - 1] == '\t'))
		ls--;
	*ind = st->text + ls;
	if (ls > 0 && st->text[ls - 1] != '\n') {
		bb_buf_puts(&st->out, "\n\n");
		return 0;
	}
	return start - ls;
}

/* After a block: a new line unless the text goes on with one. */
void
bb_hsc_block_end(sc_state *st, size_t next)
{
	if (next < st->len && st->text[next] != '\n' && st->text[next] != '\r')
		bb_buf_puts(&st->out, "\n\n");
}

/* Appends s as the Markdown of one paragraph: new lines joined, a start
 * that would open another block escaped. */
void
bb_hsc_para(bb_buf *o, const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if ((*s && strchr("#>-+*=|~`", *s)) || (isdigit((unsigned char)*s) && strspn(s, "0123456789") < strlen(s) &&
					    strchr(".)", s[strspn(s, "0123456789")])))
		bb_buf_putc(o, '\\');
	for (; *s; s++)
		bb_buf_putc(o, *s == '\n' || *s == '\r' ? ' ' : *s);
}

/* Appends s as the text of a Markdown link label. */
void
bb_hsc_label(bb_buf *o, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\[]`*_<>&!", *s))
			bb_buf_putc(o, '\\');
		bb_buf_putc(o, *s == '\n' ? ' ' : *s);
	}
}

/* 1 when offset off of the text is inside a fenced code block (``` or
 * ~~~): what a shortcode shows there is plain text, no Markdown or HTML.
 * Offsets are asked in increasing order (each line is read once). */
int
bb_hsc_in_fence(sc_state *st, size_t off)
{
	const char *t = st->text;
	/* off on the line read last: one scan of a long line, not one a tag */
	if (st->fence_eol > st->fence_at && off <= st->fence_eol)
		return st->fence_mark != 0;
	while (st->fence_at < off) {
		size_t i = st->fence_at, n = 0, e;
		char m;
		while (i < st->len && (t[i] == ' ' || t[i] == '\t'))
			i++;
		m = i < st->len ? t[i] : 0;
		if (m == '`' || m == '~')
			while (i + n < st->len && t[i + n] == m)
				n++;
		for (e = i + n; e < st->len && t[e] != '\n'; e++)
			;
		if (e >= off) {
			st->fence_eol = e; /* off's own line: a fence there starts after it */
			break;
		}
		if (n >= 3 && !st->fence_mark && !(m == '`' && memchr(t + i + n, '`', e - i - n))) {
			st->fence_mark = m;
			st->fence_len = n;
		} else if (n >= st->fence_len && m == st->fence_mark) {
			size_t k = i + n;
			while (k < e && (t[k] == ' ' || t[k] == '\t' || t[k] == '\r'))
				k++;
			if (k == e)
				st->fence_mark = 0;
		}
		st->fence_at = e + 1;
	}
	return st->fence_mark != 0;
}

/* 1 when a closing tag of the tag's name follows it (when more names close
 * than were noted, 1: its inner text is kept as it always was). */
int
bb_hsc_paired(const sc_state *st, const sc_tag *tag)
{
	int k;
	for (k = 0; k < st->ncloses; k++)
		if (strcmp(st->closes[k].name, tag->name) == 0)
			return st->closes[k].last > tag->start;
	return st->ncloses == SC_MAX_CLOSES;
}
