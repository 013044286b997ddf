/* fuzz_wxr.c: libFuzzer target for the export readers: the same bytes read
 * as a WordPress export (bb_wxr_read_memory) and as a Blogger export
 * (bb_atom_read_memory) and as a Movable Type export (bb_mt_read_memory),
 * with small bounds so that the bound paths are
 * reached; each WordPress body then goes through bb_wp_render (wpautop,
 * block comments, shortcodes). Every string handed back must be UTF-8 fit
 * for XML, every list within its bound, and nothing may crash, leak or
 * hang. */
#include "atom.h"
#include "mt.h"
#include "util.h"
#include "wpshortcode.h"
#include "wxr.h"

#include <libxml/parser.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(what) (fprintf(stderr, "fuzz_wxr: %s\n", what), abort())

static void
S_check_str(const char *v)
{
	const unsigned char *u = (const unsigned char *)v;
	size_t n, i = 0;
	if (!v)
		FAIL("a NULL string");
	n = strlen(v);
	while (i < n) {
		unsigned cp;
		int k = bb_utf8_decode(u + i, n - i, &cp);
		if (k == 0)
			FAIL("a string is not UTF-8");
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF)
			FAIL("a string holds a character XML cannot");
		i += (size_t)k;
	}
}

static void
S_check(const bb_export *x, const bb_export_opts *o)
{
	size_t i, j;
	S_check_str(x->kind);
	S_check_str(x->version);
	S_check_str(x->title);
	S_check_str(x->link);
	S_check_str(x->description);
	S_check_str(x->language);
	S_check_str(x->base_site_url);
	S_check_str(x->base_blog_url);
	if (x->nentries > o->max_items)
		FAIL("more entries than the bound");
	for (i = 0; i < x->nauthors; i++) {
		S_check_str(x->authors[i].login);
		S_check_str(x->authors[i].display_name);
	}
	for (i = 0; i < x->nentries; i++) {
		const bb_entry *e = &x->entries[i];
		const char *s[] = { e->id, e->type, e->status, e->title, e->date, e->date_local, e->author, e->slug,
				    e->link, e->guid, e->excerpt, e->body, e->parent_id, e->attachment_url,
				    e->thumbnail_id };
		for (j = 0; j < sizeof s / sizeof s[0]; j++)
			S_check_str(s[j]);
		if (strlen(e->body) > o->max_field)
			FAIL("a body longer than the bound");
		if (e->ncategories > o->max_list || e->ntags > o->max_list || e->ncomments > o->max_list)
			FAIL("a list longer than the bound");
		for (j = 0; j < e->ncategories; j++)
			S_check_str(e->categories[j]);
		for (j = 0; j < e->ntags; j++)
			S_check_str(e->tags[j]);
		for (j = 0; j < e->ncomments; j++) {
			const bb_comment *c = &e->comments[j];
			S_check_str(c->id);
			S_check_str(c->author);
			S_check_str(c->date);
			S_check_str(c->text);
			S_check_str(c->parent_id);
			S_check_str(c->type);
		}
	}
}

static const bb_export *S_x;

static const bb_wp_attachment *
S_lookup(void *ctx, const char *id)
{
	static bb_wp_attachment a;
	size_t i;
	(void)ctx;
	for (i = 0; i < S_x->nentries; i++)
		if (strcmp(S_x->entries[i].id, id) == 0) {
			a.id = S_x->entries[i].id;
			a.url = S_x->entries[i].attachment_url;
			a.caption = S_x->entries[i].excerpt;
			a.alt = S_x->entries[i].title;
			return &a;
		}
	return NULL;
}

static void
S_warn(void *ctx, unsigned line, unsigned col, const char *m)
{
	(void)ctx;
	if (line == 0 || col == 0)
		FAIL("a shortcode warning without a position");
	S_check_str(m);
}

/* Each body as WordPress would show it: still UTF-8 fit for XML. */
static void
S_render(const bb_export *x)
{
	bb_wpsc_opts o;
	size_t i;
	memset(&o, 0, sizeof o);
	S_x = x;
	o.lookup = S_lookup;
	o.children = NULL;
	o.warn = S_warn;
	for (i = 0; i < x->nentries; i++) {
		size_t n;
		char *s = bb_wp_render(x->entries[i].body, strlen(x->entries[i].body), &o, &n);
		if (n != strlen(s))
			FAIL("a rendered body with a NUL");
		S_check_str(s);
		free(s);
	}
}

/* The same read with the bodies spilled to a temporary file: the same
 * entries, each body read back as it was held. */
static void
S_spilled(const bb_export *x, const uint8_t *data, size_t size, bb_export_opts *o)
{
	bb_export *y = NULL;
	bb_diaglist d = { 0 };
	size_t i;
	o->spill = 1;
	if (bb_wxr_read_memory((const char *)data, size, "fuzz.xml", o, &y, &d) != 0 || !y)
		FAIL("the spilled read failed where the held one did not");
	if (y->nentries != x->nentries)
		FAIL("the spilled read has other entries");
	for (i = 0; i < y->nentries; i++) {
		size_t n;
		char *b = bb_export_body(y, &y->entries[i], &n);
		if (!b || n != strlen(x->entries[i].body) || memcmp(b, x->entries[i].body, n) != 0)
			FAIL("a spilled body reads back otherwise");
		free(b);
	}
	o->spill = 0;
	bb_export_free(y);
	bb_diag_clear(&d);
}

/* The same bytes read by another export reader. */
static void
S_other(int (*read)(const char *, size_t, const char *, const bb_export_opts *, bb_export **, bb_diaglist *),
	const uint8_t *data, size_t size, const bb_export_opts *o)
{
	bb_export *x = NULL;
	bb_diaglist d = { 0 };
	if (read((const char *)data, size, "fuzz.in", o, &x, &d) == 0) {
		if (!x)
			FAIL("success without an export");
		S_check(x, o);
	} else if (x) {
		FAIL("an export handed back with a failure");
	}
	bb_export_free(x);
	bb_diag_clear(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bb_export_opts o;
	bb_diaglist d = { 0 };
	bb_export *x = NULL;

	memset(&o, 0, sizeof o);
	o.max_total = 64 << 10;
	o.max_field = 8 << 10;
	o.max_items = 200;
	o.max_list = 20;
	if (bb_wxr_read_memory((const char *)data, size, "fuzz.xml", &o, &x, &d) == 0) {
		if (!x)
			FAIL("success without an export");
		S_check(x, &o);
		S_render(x);
		S_spilled(x, data, size, &o);
	} else if (x) {
		FAIL("an export handed back with a failure");
	}
	bb_export_free(x);
	bb_diag_clear(&d);
	S_other(bb_atom_read_memory, data, size, &o);
	S_other(bb_mt_read_memory, data, size, &o); /* as a Movable Type export */
	return 0;
}
