/* settingskey.c: the settings part of the cache keys (settingskey.h). */
#define _POSIX_C_SOURCE 200809L
#include "settingskey.h"
#include "mathml.h"
#include "record.h"
#include "source.h"
#include "util.h"

#include <stdlib.h>

/* made by the Makefile from the program's sources; a build without it
 * (the fuzz scripts) keys by the version alone */
#if defined(__has_include)
#if __has_include("buildid.h")
#include "buildid.h"
#endif
#endif
#ifndef BB_BUILD_ID
#define BB_BUILD_ID "unknown"
#endif

void
bb_settings_key(const bb_blog *b, struct sha256_ctx *h)
{
	const bb_options *o = &b->opt;
	size_t i;
	bb_h_str(h, BB_VERSION);
	bb_h_str(h, BB_BUILD_ID);
	bb_h_str(h, o->title), bb_h_str(h, o->author), bb_h_str(h, o->lang);
	bb_h_str(h, o->series), bb_h_str(h, o->since), bb_h_str(h, o->until);
	for (i = 0; i < BB_MAX_FILTERS && o->categories[i]; i++)
		bb_h_str(h, o->categories[i]);
	bb_h_str(h, "|");
	for (i = 0; i < BB_MAX_FILTERS && o->tags[i]; i++)
		bb_h_str(h, o->tags[i]);
	bb_h_int(h, o->chapters), bb_h_int(h, o->toc_depth), bb_h_int(h, o->vertical), bb_h_int(h, o->reverse);
	bb_h_int(h, o->drafts), bb_h_int(h, o->unpublished), bb_h_int(h, o->stitch), bb_h_int(h, o->fetch_remote);
	bb_h_str(h, o->source), bb_h_str(h, o->media_dir);
	bb_h_int(h, o->pages), bb_h_int(h, o->comments), bb_h_int(h, o->math), bb_h_int(h, o->highlight);
	bb_h_int(h, o->image_max_px), bb_h_int(h, o->max_size_mb);
	if (o->math) {
		/* the chapters' MathML comes from KaTeX's and mhchem's files:
		 * one installed, updated or removed makes them again */
		unsigned long long t = bb_math_tag();
		bb_h_bytes(h, &t, sizeof t);
	}
	bb_h_str(h, b->title), bb_h_str(h, b->author), bb_h_str(h, b->lang), bb_h_str(h, b->description);
	bb_h_str(h, b->url), bb_h_str(h, b->baseurl), bb_h_str(h, b->permalink);
	bb_h_str(h, b->src ? b->src->label : NULL);
	bb_h_str(h, b->config_name);
	for (i = 0; i < 4; i++)
		bb_h_str(h, b->asset_dirs[i]);
	bb_h_int(h, b->hugo), bb_h_int(h, b->vertical), bb_h_int(h, b->dialect), bb_h_int(h, b->toc_depth);
	bb_h_int(h, b->stitch), bb_h_int(h, b->chapters);
	if (b->config_name && !b->export_path) {
		char *p = bb_xasprintf("%s/%s", b->root, b->config_name);
		bb_h_file(h, p, (size_t)16 << 20);
		free(p);
	}
	/* an export file's posts read its attachments and comments too */
	if (b->export_path)
		bb_h_file(h, b->export_path, (size_t)1 << 31);
}
