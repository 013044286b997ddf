/* diag.c: collecting diagnostics and handing them to the caller in order. */
#include "diag.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
S_add(bb_diaglist *l, int outside, bb_severity sev, const char *path, unsigned line, unsigned col, const char *fmt,
      va_list ap)
{
	bb_diag_rec *r;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = bb_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	r = &l->v[l->n++];
	r->severity = sev;
	r->outside = outside;
	r->path = path ? bb_xstrdup(path) : NULL;
	r->line = line;
	r->col = col;
	r->message = bb_xvasprintf(fmt, ap);
}

void
bb_diag_add(bb_diaglist *l, bb_severity sev, const char *path, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	S_add(l, 0, sev, path, line, col, fmt, ap);
	va_end(ap);
}

void
bb_diag_add_file(bb_diaglist *l, bb_severity sev, const char *path, unsigned line, unsigned col, const char *fmt,
		 ...)
{
	va_list ap;
	va_start(ap, fmt);
	S_add(l, 1, sev, path, line, col, fmt, ap);
	va_end(ap);
}

void
bb_diag_flush(bb_diagsink *s, bb_diaglist *l)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		bb_diag d;
		char *joined = NULL;
		d.severity = l->v[i].severity;
		d.path = l->v[i].path;
		if (d.path && !l->v[i].outside && s->root)
			d.path = joined = bb_xasprintf("%s/%s", s->root, d.path);
		d.line = l->v[i].line;
		d.col = l->v[i].col;
		d.message = l->v[i].message;
		if (d.severity == BB_WARNING)
			s->warnings++;
		else if (d.severity == BB_ERROR)
			s->errors++;
		if (s->fn)
			s->fn(s->ctx, &d);
		free(joined);
	}
	bb_diag_clear(l);
}

void
bb_diag_move(bb_diaglist *to, bb_diaglist *from)
{
	if (!from->n)
		return;
	if (to->n + from->n > to->cap) {
		to->cap = to->n + from->n > to->cap * 2 ? to->n + from->n : to->cap * 2;
		to->v = bb_xrealloc(to->v, to->cap * sizeof *to->v);
	}
	memcpy(to->v + to->n, from->v, from->n * sizeof *from->v);
	to->n += from->n;
	free(from->v);
	memset(from, 0, sizeof *from);
}

void
bb_diag_clear(bb_diaglist *l)
{
	size_t i;
	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].message);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
