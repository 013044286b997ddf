/* fuzz_kramdown.c: libFuzzer target for the kramdown dialect: the input goes
 * through bb_kramdown_pass, cmark-gfm and bb_kramdown_tree as the renderer
 * runs them; nothing may crash or leak, the pass's output must be as long
 * as it says, and every bb-ial marker it writes must hold only what
 * bb_kramdown_marker accepts (safe classes and ids: nothing else).
 * libFuzzer hands a buffer without a final NUL: the text is copied first.
 *
 * The first byte chooses: bit 0 kramdown input (else GFM), bit 1 legacy
 * GFM, bit 2 no typography. The rest is the post's body.
 * Run: clang -fsanitize=fuzzer,address,undefined -Iinclude -Isrc
 *      tests/fuzz/fuzz_kramdown.c src/kramdown.c src/util.c
 *      -lcmark-gfm-extensions -lcmark-gfm -o fuzz_kramdown */
#include "kramdown.h"
#include "util.h"

#include <cmark-gfm-core-extensions.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every marker in s must read back to nothing but safe tokens. */
static void
S_check_markers(const char *s, size_t n)
{
	const char *p = s;
	while ((p = strstr(p, "<!--bb-ial")) != NULL) {
		const char *e = strstr(p, "-->"), *q;
		char *cls, *id;
		if (!e) {
			fprintf(stderr, "fuzz_kramdown: unterminated marker\n");
			abort();
		}
		bb_kramdown_marker(p, (size_t)(e + 3 - p), &cls, &id);
		for (q = p + 10; q < e; q++)
			if (*q == '"' || *q == '\'' || *q == '=' || *q == '<' || *q == '>') {
				fprintf(stderr, "fuzz_kramdown: marker holds %c: %.*s\n", *q, (int)(e + 3 - p), p);
				abort();
			}
		free(cls);
		free(id);
		p = e;
	}
	(void)n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bb_kramdown_opts o;
	cmark_parser *p;
	cmark_node *doc;
	char *md, *h;
	size_t n;
	if (size < 1 || size > 200000)
		return 0;
	cmark_gfm_core_extensions_ensure_registered();
	bb_kramdown_opts_init(&o, data[0] & 1 ? BB_KRAMDOWN_KRAMDOWN : BB_KRAMDOWN_GFM);
	o.legacy_gfm = (data[0] & 2) != 0;
	if (data[0] & 4)
		o.typographic = o.smart_quotes = 0;
	{
		char *in = bb_xmalloc(size);
		memcpy(in, data + 1, size - 1);
		in[size - 1] = '\0';
		md = bb_kramdown_pass(in, size - 1, &o, &n, NULL, NULL);
		if (!memchr(in, 0, size - 1) && !strstr(in, "bb-ial"))
			S_check_markers(md, n);
		free(in);
	}
	if (strlen(md) > n) {
		fprintf(stderr, "fuzz_kramdown: output longer than its length\n");
		abort();
	}
	p = cmark_parser_new(CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES);
	cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("table"));
	cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension("strikethrough"));
	cmark_parser_feed(p, md, n);
	doc = cmark_parser_finish(p);
	bb_kramdown_tree(doc, &o);
	h = cmark_render_html(doc, CMARK_OPT_UNSAFE, cmark_parser_get_syntax_extensions(p));
	free(h);
	cmark_node_free(doc);
	cmark_parser_free(p);
	free(md);
	return 0;
}
