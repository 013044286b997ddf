/* render.c: the render stage, one post at a time: reads it, expands its
 * macros (macros.c), turns it into an HTML tree (markdown.c), works out its
 * outline (outline.c, kept on the post), then writes each of its files
 * (xhtml.c, which asks links.c) into the chapter page (page.c). */
#define _POSIX_C_SOURCE 200809L
#include "render.h"
#include "cache.h"
#include "source.h"
#include "goldmark.h"
#include "footnotes.h"
#include "ial.h"
#include "links.h"
#include "macros.h"
#include "markdown.h"
#include "outkeep.h"
#include "mathscan.h"
#include "stitch.h"
#include "xhtml.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A post through phase 1: its text, its tree and its outline. */
typedef struct prep {
	char *text;          /* the file as read */
	size_t len;
	bb_post_text pt;     /* where its front matter and body are */
	char *macro, *stitched; /* the body after macros, after stitching */
	xmlDocPtr doc;
	xmlNodePtr body;     /* <body> of doc */
	bb_outline ol;
	bb_math_spans math;  /* the formulas the body's placeholders stand for */
} prep;

void
bb_render_init(void)
{
	bb_markdown_init();
}

/* Frees what pp holds. */
static void
S_prep_free(prep *pp)
{
	bb_outline_free(&pp->ol);
	if (pp->doc)
		xmlFreeDoc(pp->doc);
	free(pp->stitched);
	free(pp->macro);
	free(pp->text);
	bb_math_spans_free(&pp->math);
}

/* Reads post p's text through its source and finds its body and front
 * matter. Returns 0 or -1. */
static int
S_read(const bb_blog *b, const bb_post *p, prep *pp, bb_diaglist *dl)
{
	bb_post_text *t = &pp->pt;
	if (bb_post_body(b, p, &pp->text, &pp->len, &t->body, &t->line0, dl) != 0)
		return -1;
	t->text = pp->text;
	t->len = pp->len;
	t->fm = t->fmlen = 0;
	t->toml = 0;
	if (t->body) {
		/* the front matter again, for Liquid's page variables */
		size_t body;
		unsigned line;
		if (bb_fm_split(pp->text, pp->len, &t->fm, &t->fmlen, &body, &line, &t->toml) <= 0 || t->toml == 2)
			t->fm = t->fmlen = 0, t->toml = 0;
	}
	return 0;
}

/* Phase 1 of post idx: read, macros, stitching, the title's repeat cut,
 * Markdown to a tree, and the outline. Returns 0, or -1 when the post
 * cannot be read. */
static int
S_prepare(bb_blog *b, size_t idx, prep *pp, bb_diaglist *dl)
{
	const bb_post *p = &b->posts[idx];
	bb_markdown_in in;
	bb_goldmark_opts gm;
	const char *body;
	size_t blen, skip, i;

	memset(pp, 0, sizeof *pp);
	if (S_read(b, p, pp, dl) != 0)
		return -1;
	body = pp->text + pp->pt.body;
	blen = pp->len - pp->pt.body;
	if ((pp->macro = bb_macros_expand(b, p, &pp->pt, dl, &blen)))
		body = pp->macro;
	if (b->stitch && bb_stitch_has_marker(body, blen)) {
		struct bb_stitch_stats ss;
		pp->stitched = bb_stitch(body, blen, &blen, &ss);
		body = pp->stitched;
		bb_diag_add(dl, BB_NOTE, p->path, 0, 0,
			    "stitched %u segments: %u blocks in, %u out (%u repeats dropped, %u cut sentences joined, "
			    "%u restated sentences cut)",
			    ss.segments, ss.paragraphs_in, ss.paragraphs_out, ss.dropped_repeats, ss.merged_cuts,
			    ss.sentences_dropped);
	}
	skip = bb_title_repeat_len(body, blen, p->title);
	memset(&in, 0, sizeof in);
	in.text = body + skip;
	in.len = blen - skip;
	in.is_html = p->is_html;
	in.path = p->path;
	in.line0 = pp->pt.line0;
	for (i = 0; i < skip; i++) /* the title's repeat is lines too */
		in.line0 += body[i] == '\n';
	in.dl = dl;
	in.dialect = b->dialect;
	in.math = &pp->math;
	if (b->dialect == BB_DIALECT_GOLDMARK) {
		bb_goldmark_opts_config(&gm, b->config);
		in.goldmark = &gm;
	}
	pp->doc = bb_markdown_to_tree(&in, &pp->body);
	bb_footnotes_aside(pp->body);
	bb_ial_apply(pp->body);
	bb_outline_build(&pp->ol, p, pp->body, dl);
	bb_ial_toc(pp->body, &pp->ol);
	return 0;
}

/* Keeps the headings of ol on post idx (outkeep.c: out of memory until
 * the nav is written), unless another thread did first (an outline is a
 * pure function of the post). */
static void
S_keep_outline(bb_blog *b, size_t idx, bb_outline *ol)
{
	bb_outkeep_put(b, idx, ol->headings, ol->nheadings);
}

/* links.c's question: the headings of post t, worked out once (quietly)
 * when t has not been rendered yet. */
static bb_heading *
S_outline_of(void *ud, size_t t, size_t *n)
{
	bb_blog *b = ud;
	bb_post *q = &b->posts[t];
	int have;
	pthread_mutex_lock(&b->lock);
	have = q->rendered;
	pthread_mutex_unlock(&b->lock);
	if (!have && b->cached_outline && b->cached_outline(b->cached_outline_ctx, t) == 0)
		have = 1;
	if (!have) {
		bb_diaglist quiet = { NULL, 0, 0 };
		prep pp;
		if (S_prepare(b, t, &pp, &quiet) == 0)
			S_keep_outline(b, t, &pp.ol);
		S_prep_free(&pp);
		bb_diag_clear(&quiet);
	}
	pthread_mutex_lock(&b->lock);
	have = q->rendered;
	pthread_mutex_unlock(&b->lock);
	/* once kept, the headings do not change while b lives */
	if (!have) {
		*n = 0;
		return NULL;
	}
	return bb_outkeep_get(b, q, n);
}

/* The date the book is bound, YYYY-MM-DD: SOURCE_DATE_EPOCH's when set
 * (a reproducible build), else today's (UTC); worked out once a blog. */
static const char *
S_bound_date(bb_blog *b)
{
	pthread_mutex_lock(&b->lock);
	if (!b->bound[0]) {
		const char *sde = getenv("SOURCE_DATE_EPOCH");
		bb_date d;
		bb_date_from_epoch(sde && *sde ? strtoll(sde, NULL, 10) : (long long)time(NULL), &d);
		bb_date_ymd(&d, b->bound);
	}
	pthread_mutex_unlock(&b->lock);
	return b->bound;
}

void
bb_render_keep_cached(bb_blog *b, size_t idx, bb_centry *e)
{
	bb_outline ol;
	memset(&ol, 0, sizeof ol);
	ol.headings = e->headings;
	ol.nheadings = e->nheadings;
	e->headings = NULL;
	e->nheadings = 0;
	S_keep_outline(b, idx, &ol);
	bb_outline_free(&ol);
}

static int
S_link_same(void *ud, const char *href, const char *answer)
{
	int why, same;
	char *r = bb_link_href(ud, href, &why);
	same = strcmp(r ? r : BB_LINK_NONE, answer ? answer : "") == 0;
	free(r);
	return same ? 0 : -1;
}

int
bb_render_links_same(bb_blog *b, size_t idx, const bb_centry *e)
{
	bb_links links;
	memset(&links, 0, sizeof links);
	links.b = b;
	links.p = &b->posts[idx];
	links.idx = idx;
	links.ol = NULL; /* answers inside the post itself come back as BB_LINK_SELF */
	links.outline_of = S_outline_of;
	links.ud = b;
	return bb_centry_links(e, S_link_same, &links) == 0;
}

int
bb_render_post(bb_blog *b, size_t idx, bb_render_out *out, int dry, bb_diaglist *dl)
{
	bb_post *p = &b->posts[idx];
	bb_diaglist quiet = { NULL, 0, 0 };
	bb_buf body = BB_BUF_INIT;
	bb_xhtml *x = NULL;
	bb_links links;
	prep pp;
	xmlNodePtr top;
	size_t i;
	int k, rc = -1;

	bb_render_init();
	if (S_prepare(b, idx, &pp, dry ? &quiet : dl) != 0)
		goto out;
	out->nparts = pp.ol.nparts;
	S_keep_outline(b, idx, &pp.ol);
	rc = 0;
	if (dry)
		goto out;
	memset(&links, 0, sizeof links);
	links.b = b;
	links.p = p;
	links.idx = idx;
	links.ol = &pp.ol;
	links.outline_of = S_outline_of;
	links.ud = b;
	x = bb_xhtml_new(b, p, &links, dl, &bb_xhtml_std_transforms);
	bb_xhtml_source(x, pp.text, pp.len, pp.pt.body);
	bb_xhtml_rich(x, &pp.math, b->opt.math != 0, b->opt.highlight != 0);
	out->part_facts = bb_xcalloc((size_t)pp.ol.nparts, sizeof *out->part_facts);
	out->parts = bb_xcalloc((size_t)pp.ol.nparts, sizeof *out->parts);
	top = pp.body->children;
	for (k = 0, i = 0; k < pp.ol.nparts; k++) {
		size_t end = k + 1 < pp.ol.nparts ? pp.ol.part_start[k + 1] : pp.ol.ntop;
		links.curpart = k;
		bb_buf_reset(&body);
		for (; i < end && top; i++, top = top->next)
			bb_xhtml_block(x, top, &body);
		bb_xhtml_link_notes(x, &body);
		if (k + 1 == pp.ol.nparts && b->opt.source_links == 1)
			bb_page_source_line(b, p, S_bound_date(b), &body);
		bb_page_chapter(b, p, k, body.data ? body.data : "", &out->parts[k]);
		out->part_facts[k] = bb_xhtml_part_facts(x);
	}
	out->facts = bb_xhtml_facts(x);
out:
	bb_xhtml_free(x);
	bb_buf_free(&body);
	S_prep_free(&pp);
	bb_diag_clear(&quiet);
	return rc;
}

void
bb_render_out_free(bb_render_out *out)
{
	free(out->part_facts);
	int k;
	if (!out)
		return;
	for (k = 0; k < out->nparts && out->parts; k++)
		bb_buf_free(&out->parts[k]);
	free(out->parts);
	memset(out, 0, sizeof *out);
}
