/* fuzz_zola.c: libFuzzer target for Zola's shortcodes: the input is a
 * post's body given to bb_zola_expand (calls, escapes, block bodies, the
 * fallback that keeps text and images; the blog has no templates, so each
 * call takes the fallback) and a template given to bb_tera_render with a
 * few values. Output must stay bounded and UTF-8 where the input is;
 * nothing may crash or leak. */
#include "blog.h"
#include "diag.h"
#include "tera.h"
#include "util.h"
#include "zola.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(what) (fprintf(stderr, "fuzz_zola: %s\n", what), abort())

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bb_tera_var vars[] = { { "title", "A <b>", 1 }, { "text", "**t**", 1 }, { "n", "0", 0 },
				      { "body", "line\n\nline", 1 } };
	bb_blog b;
	bb_post p;
	bb_diaglist dl;
	bb_buf o = BB_BUF_INIT;
	char *in, *r;
	size_t n = 0;
	const char *why = NULL;
	if (size > (1u << 16))
		return 0;
	in = bb_xstrndup((const char *)data, size);
	memset(&b, 0, sizeof b);
	memset(&p, 0, sizeof p);
	memset(&dl, 0, sizeof dl);
	b.root = b.root_real = (char *)"/nonexistent-fuzz-blog";
	b.asset_dirs[0] = "static/";
	p.path = (char *)"content/blog/x/index.md";
	p.slug = p.basename = (char *)"index";
	r = bb_zola_expand(&b, &p, in, strlen(in), 1, &dl, &n);
	if (r && (strlen(r) != n || n > 64 * size + 4096))
		FAIL("the expanded body's length");
	free(r);
	bb_diag_clear(&dl);
	bb_buf_put(&o, "", 0);
	if (bb_tera_render(in, strlen(in), vars, sizeof vars / sizeof *vars, 1, &o, &why) != 0 && !why)
		FAIL("a refused template without a reason");
	if (o.len > (2u << 20))
		FAIL("the template's output is unbounded");
	bb_buf_free(&o);
	free(in);
	return 0;
}
