/* shortcode_theme.c: a Hugo theme's shortcodes whose templates are not
 * in the blog's folder: the admonition family as boxes (admonition.c),
 * LoveIt's link and version, and what any other keeps of its arguments
 * (the text ones and the images). */
#define _POSIX_C_SOURCE 200809L
#include "shortcode_hugo_int.h"
#include "admonition.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* The tag's arguments as admonition.c reads them; returns their count. */
static size_t
S_args(const sc_tag *t, bb_sc_arg *a)
{
	int i;
	for (i = 0; i < t->nargs; i++) {
		a[i].key = t->key[i];
		a[i].val = t->val[i];
		a[i].quoted = t->quoted[i];
	}
	return (size_t)t->nargs;
}

/* Appends s as Markdown lines, each after the first indented by ind. */
static void
S_lines(sc_state *st, const char *s, const char *ind, size_t nind)
{
	for (; *s; s++) {
		bb_buf_putc(&st->out, *s);
		if (*s == '\n')
			bb_buf_put(&st->out, ind, nind);
	}
}

/* An admonition (admonition.c): its box opened, and closed at once when
 * no closing tag follows (its text= argument, if any, inside). Returns 0
 * when too many are open already (then it is an unknown shortcode). */
int
bb_hsc_box_open(sc_state *st, const sc_tag *tag)
{
	bb_sc_arg a[SC_MAX_ARGS];
	size_t n = S_args(tag, a), nind;
	const char *ind, *text = bb_admonition_text(a, n);
	int paired = bb_hsc_paired(st, tag);
	if ((paired && st->nboxes == SC_MAX_BOXES) || bb_hsc_in_fence(st, tag->start))
		return 0;
	nind = bb_hsc_block_indent(st, tag->start, &ind);
	bb_admonition_open(&st->out, tag->name, a, n);
	if (text) {
		bb_buf_putc(&st->out, '\n');
		bb_buf_put(&st->out, ind, nind);
		S_lines(st, text, ind, nind);
		bb_buf_puts(&st->out, "\n\n");
		bb_buf_put(&st->out, ind, nind);
	}
	if (paired) {
		memcpy(st->boxes[st->nboxes++].name, tag->name, sizeof tag->name);
		/* the inner text starts on a line of its own */
		if (tag->end < st->len && st->text[tag->end] != '\n' && st->text[tag->end] != '\r') {
			bb_buf_putc(&st->out, '\n');
			bb_buf_put(&st->out, ind, nind);
		}
	} else {
		bb_admonition_close(&st->out);
		bb_hsc_block_end(st, tag->end);
	}
	return 1;
}

/* A closing tag: the boxes down to the one of its name closed. Returns 0
 * when no open box has its name. */
int
bb_hsc_box_close(sc_state *st, const sc_tag *tag)
{
	int k = st->nboxes;
	const char *ind;
	while (k > 0 && strcmp(st->boxes[k - 1].name, tag->name) != 0)
		k--;
	if (!k)
		return 0;
	/* "</div>" starts its line */
	bb_hsc_block_indent(st, tag->start, &ind);
	while (st->nboxes >= k)
		bb_admonition_close(&st->out), st->nboxes--;
	bb_hsc_block_end(st, tag->end);
	return 1;
}

/* {{< link HREF [TEXT [TITLE]] >}} (or href= content= title=), as LoveIt,
 * FixIt and DoIt have it: a Markdown link, its text the address when it
 * has none. Returns 0 when it has no address or a closing tag. */
int
bb_hsc_link(sc_state *st, const sc_tag *tag)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *href = bb_hsc_arg(tag, "href", 0), *text = bb_hsc_arg(tag, "content", 1), *title = bb_hsc_arg(tag, "title", 2), *c;
	if (!href || !*href || bb_hsc_paired(st, tag))
		return 0;
	if (bb_hsc_in_fence(st, tag->start)) {
		bb_buf_puts(&st->out, text && *text ? text : href);
		return 1;
	}
	bb_buf_putc(&st->out, '[');
	bb_hsc_label(&st->out, text && *text ? text : href);
	bb_buf_puts(&st->out, "](<");
	for (c = href; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '<' || *c == '>' || *c == '\\')
			bb_buf_printf(&st->out, "%%%c%c", hex[(unsigned char)*c >> 4], hex[*c & 15]);
		else
			bb_buf_putc(&st->out, *c);
	bb_buf_putc(&st->out, '>');
	if (title && *title) {
		bb_buf_puts(&st->out, " \"");
		for (c = title; *c; c++) {
			if (*c == '"' || *c == '\\')
				bb_buf_putc(&st->out, '\\');
			bb_buf_putc(&st->out, *c == '\n' ? ' ' : *c);
		}
		bb_buf_putc(&st->out, '"');
	}
	bb_buf_putc(&st->out, ')');
	return 1;
}

/* {{< version X [new|changed|deleted] >}} (LoveIt, FixIt, DoIt): the
 * badge's words, "New in vX", "Changed in vX"... Returns 0 when the first
 * argument is no version number. */
int
bb_hsc_version(sc_state *st, const sc_tag *tag)
{
	const char *v = bb_hsc_arg(tag, "version", 0), *type = bb_hsc_arg(tag, "type", 1), *c;
	int code;
	if (!v || !(isdigit((unsigned char)v[0]) || (v[0] == 'v' && isdigit((unsigned char)v[1]))) ||
	    bb_hsc_paired(st, tag))
		return 0;
	if (!type || !*type)
		type = "new";
	code = bb_hsc_in_fence(st, tag->start);
	if (!code)
		bb_buf_puts(&st->out, "<span class=\"version\">");
	bb_buf_putc(&st->out, toupper((unsigned char)type[0]));
	for (c = type + 1; *c; c++)
		code ? bb_buf_putc(&st->out, *c) : bb_buf_put_xml(&st->out, c, 1);
	bb_buf_puts(&st->out, " in v");
	for (c = v + (v[0] == 'v'); *c; c++)
		code ? bb_buf_putc(&st->out, *c) : bb_buf_put_xml(&st->out, c, 1);
	if (!code)
		bb_buf_puts(&st->out, "</span>");
	return 1;
}

/* What an unknown shortcode with no closing tag keeps: its local images
 * (not a dark twin) and its arguments that read as text (admonition.c's
 * rule), the text ones joined with ", ". Returns 1 when it kept some. */
int
bb_hsc_keep_args(sc_state *st, const sc_tag *tag)
{
	bb_sc_arg a[SC_MAX_ARGS];
	size_t n = S_args(tag, a), i, start = st->out.len;
	const char *alt = bb_hsc_arg(tag, "alt", -1);
	int texts = 0, code = bb_hsc_in_fence(st, tag->start);
	for (i = 0; i < n && !code; i++)
		if (bb_sc_arg_is_image(&a[i]) && !strstr(a[i].val, "://") && !bb_sc_arg_variant(a, n, i)) {
			if (st->out.len > start)
				bb_buf_putc(&st->out, ' ');
			bb_buf_puts(&st->out, "![");
			bb_hsc_label(&st->out, alt ? alt : "");
			bb_buf_printf(&st->out, "](<%s>)", a[i].val);
		}
	for (i = 0; i < n; i++)
		if (!(a[i].key && strcmp(a[i].key, "alt") == 0) && bb_sc_arg_is_text(&a[i])) {
			if (texts++)
				bb_buf_puts(&st->out, ", ");
			else if (st->out.len > start)
				bb_buf_putc(&st->out, ' ');
			if (texts == 1 && st->out.len == start && !code)
				bb_hsc_para(&st->out, a[i].val);
			else
				for (const char *c = a[i].val; *c; c++)
					bb_buf_putc(&st->out, *c == '\n' || *c == '\r' ? ' ' : *c);
		}
	return st->out.len > start;
}

