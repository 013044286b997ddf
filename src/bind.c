/* bind.c: the library's one call: collect the blog, then write one book or
 * its volumes (volume.c), each through build.c. */
#include "archive.h"
#include "blog.h"
#include "util.h"
#include "volume.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
bb_build(const bb_options *o, bb_report *r)
{
	bb_blog *b;
	char *out;
	int rc;
	double t0;
	if (r)
		memset(r, 0, sizeof *r);
	/* an interrupt from before belongs to no build: this one starts clean */
	bb_interrupt_reset();
	t0 = bb_now();
	if (!(b = bb_collect(o))) {
		if (r)
			r->errors = 1;
		return -1;
	}
	if (b->opt.strict == 1 && b->sink.warnings) {
		bb_diag_add(&b->diags, BB_ERROR, NULL, 0, 0, "%zu warning%s and --strict: no book written",
			    b->sink.warnings, b->sink.warnings == 1 ? "" : "s");
		bb_diag_flush(&b->sink, &b->diags);
		if (r)
			r->warnings = b->sink.warnings, r->errors = b->sink.errors;
		bb_blog_free(b);
		return -1;
	}
	bb_diag_add(&b->diags, BB_NOTE, NULL, 0, 0, "collected %zu posts in %.2f s", b->nposts, bb_now() - t0);
	if (o->volumes != BB_VOLUMES_NONE || o->volume_size_mb > 0) {
		rc = bb_volumes_write(b, o->output, r);
		bb_blog_free(b);
		return rc;
	}
	out = o->output ? bb_xstrdup(o->output) : bb_output_name(b->title);
	b->last_write = 1; /* freed after: the posts may go before libzip gets the entries */
	rc = bb_blog_write(b, out, r);
	if (r)
		snprintf(r->output, sizeof r->output, "%s", out);
	free(out);
	bb_blog_free(b);
	return rc;
}
