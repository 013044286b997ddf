/* fuzz_fm.c: libFuzzer target for front matter: the delimiters
 * (bb_fm_split), YAML (bb_fm_parse) and TOML (bb_fm_parse_toml), with the
 * dates and templates that read what they return. Every tree must be
 * bounded, its values fit for XML, and nothing may crash or leak. */
#include "date.h"
#include "fm.h"
#include "template.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FAIL(what) (fprintf(stderr, "fuzz_fm: %s\n", what), abort())

/* A value must be UTF-8 without NUL, C0 controls (but tab, LF, CR),
 * U+FFFE or U+FFFF: what an XML document can hold. */
static void
S_check_value(const char *v)
{
	const unsigned char *u = (const unsigned char *)v;
	size_t n = strlen(v), i = 0;
	while (i < n) {
		unsigned cp;
		int k = bb_utf8_decode(u + i, n - i, &cp);
		if (k == 0)
			FAIL("a value is not UTF-8");
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF)
			FAIL("a value holds a character XML cannot");
		i += (size_t)k;
	}
}

/* Walks the tree without recursion and without following alias edges
 * (a shared node is walked where it was written). Returns the node count. */
static size_t
S_walk(const bb_fm_node *root)
{
	const bb_fm_node **stack = NULL;
	size_t n = 0, cap = 0, count = 0;
	if (!root)
		return 0;
	stack = bb_xmalloc(sizeof *stack);
	cap = 1;
	stack[n++] = root;
	while (n) {
		const bb_fm_node *x = stack[--n];
		size_t i;
		count++;
		if (x->kind == BB_FM_SCALAR) {
			if (!x->value)
				FAIL("a scalar without a value");
			S_check_value(x->value);
		}
		if (x->shared) {
			if (x->nkids != 1)
				FAIL("an alias edge without its one target");
			continue;
		}
		if (x->kind == BB_FM_MAP && x->nkids % 2)
			FAIL("a map with an odd number of children");
		for (i = 0; i < x->nkids; i++) {
			if (n == cap)
				stack = bb_xrealloc(stack, (cap *= 2) * sizeof *stack);
			stack[n++] = x->kids[i];
		}
	}
	free(stack);
	return count;
}

static void
S_use(const bb_fm_node *t, const bb_fm_problem *p)
{
	static const char *const keys[] = { "title", "date", "tags", "categories", "author", "published", "lang",
					     "permalink", "draft", "series", NULL };
	size_t i;
	if (p->line && (!p->col || !p->message[0]))
		FAIL("a problem without a column or a message");
	if (S_walk(t) > 2 * 20000 + 10)
		FAIL("a tree larger than the bound");
	for (i = 0; keys[i]; i++) {
		const char *s = bb_fm_str(t, keys[i]);
		const bb_fm_node *v = bb_fm_get(t, keys[i]);
		bb_fm_bool(t, keys[i], -1);
		if (v && v->kind == BB_FM_MAP)
			bb_fm_str(v, "name");
		if (s) {
			bb_date d;
			char ymd[16], w3c[32];
			if (bb_date_parse(s, &d, 1) > 0) {
				bb_date_ymd(&d, ymd);
				bb_date_w3c_utc(&d, w3c);
				if (strlen(ymd) != 10 || strlen(w3c) != 20)
					FAIL("a date written with the wrong length");
			}
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	size_t fm, fml, body;
	unsigned bl;
	int toml = 0, r;
	bb_fm_problem p;
	bb_fm_node *t;
	char *z;

	r = bb_fm_split(text, size, &fm, &fml, &body, &bl, &toml);
	if (r < -1 || r > 1 || body > size || bl < 1)
		FAIL("bb_fm_split out of range");
	if (r == 1) {
		if (fm > body || fm + fml > body)
			FAIL("front matter beyond the body");
		t = toml ? bb_fm_parse_toml(text + fm, fml, 2, &p) : bb_fm_parse(text + fm, fml, 2, &p);
		S_use(t, &p);
		bb_fm_free(t);
	}
	/* the whole input both ways, as _config.yml and hugo.toml are read */
	t = bb_fm_parse(text, size, 1, &p);
	S_use(t, &p);
	bb_fm_free(t);
	t = bb_fm_parse_toml(text, size, 1, &p);
	S_use(t, &p);
	bb_fm_free(t);

	/* dates and templates take NUL-terminated text */
	z = bb_xstrndup(text, size);
	{
		bb_date d;
		char ymd[16], w3c[32];
		int n = bb_date_parse(z, &d, 0);
		if (n < 0 || (size_t)n > strlen(z))
			FAIL("bb_date_parse read beyond the text");
		if (n > 0) {
			bb_date_ymd(&d, ymd);
			bb_date_w3c_utc(&d, w3c);
			bb_date_from_epoch(bb_date_epoch(&d), &d);
		}
	}
	{
		static const char *const list[] = { "one", "<two>", "three & four" };
		bb_tvar v[4];
		bb_buf out = BB_BUF_INIT;
		v[0].name = "title", v[0].value = "A <b>title</b>", v[0].list = NULL, v[0].n = 0;
		v[1].name = "body", v[1].value = "<p>body</p>", v[1].list = NULL, v[1].n = 0;
		v[2].name = "tags", v[2].value = NULL, v[2].list = list, v[2].n = 3;
		v[3].name = "empty", v[3].value = "", v[3].list = NULL, v[3].n = 0;
		bb_template_expand(z, strlen(z), v, 4, &out);
		bb_buf_free(&out);
	}
	free(z);
	return 0;
}
