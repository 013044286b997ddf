/* jsbench.c: measures the JavaScript engine, KaTeX and highlight.js on a blog's posts (default kaityo256).
 *
 * Build and run from the repository root:
 *   cc -std=c99 -O2 -Isrc $(pkg-config --cflags libxml-2.0) -o build/jsbench bench/jsbench.c \
 *      src/js.c src/mathml.c src/mathscan.c src/highlight.c src/hlnative.c src/util.c \
 *      $(pkg-config --libs libxml-2.0) -lduktape -lm -pthread
 *   build/jsbench [POSTS_DIR]
 * Prints CPU seconds of the thread (and wall seconds) for: heap creation,
 * loading each script, 200 distinct formulas, 1,000 code blocks, every
 * formula of the posts (and again from the store a first run wrote), and
 * the heap's size. */
#define _POSIX_C_SOURCE 200809L
#include "highlight.h"
#include "js.h"
#include "mathml.h"
#include "mathscan.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
S_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
S_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct S_code {
	char lang[32];
	char *code;
	size_t len;
} S_code;

/* Collects fenced blocks with a language from Markdown s into *v. */
static void
S_fences(const char *s, size_t len, S_code **v, size_t *n, size_t *cap)
{
	const char *p = s, *end = s + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;
		if (le - p > 3 && memcmp(p, "```", 3) == 0 && p[3] != '`' && p[3] != '\n') {
			const char *q = p + 3, *c = le + 1, *close;
			size_t ln = 0;
			S_code k;
			while (q < le && ln + 1 < sizeof k.lang && *q != ' ' && *q != '\r')
				k.lang[ln++] = *q++;
			k.lang[ln] = '\0';
			close = c < end ? strstr(c, "\n```") : NULL;
			if (!close)
				return;
			k.code = bb_xstrndup(c, (size_t)(close + 1 - c));
			k.len = (size_t)(close + 1 - c);
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 256;
				*v = bb_xrealloc(*v, *cap * sizeof **v);
			}
			(*v)[(*n)++] = k;
			eol = memchr(close + 1, '\n', (size_t)(end - close - 1));
			p = eol ? eol + 1 : end;
			continue;
		}
		p = le + 1;
	}
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../shared/corpora/kaityo256-blog/_posts";
	bb_math_spans all = BB_MATH_SPANS_INIT;
	S_code *codes = NULL;
	size_t ncodes = 0, capcodes = 0, i, now, peak, nf;
	double c0, w0;
	char *err = NULL, *m;
	DIR *d;
	struct dirent *e;
	bb_js *js;
	int refused = 0, hl = 0;
	char spath[64];

	if (!(d = opendir(dir))) {
		perror(dir);
		return 1;
	}
	while ((e = readdir(d))) {
		char *p, *s = NULL;
		size_t len;
		if (e->d_name[0] == '.')
			continue;
		p = bb_xasprintf("%s/%s", dir, e->d_name);
		if (bb_read_file(p, 4 << 20, &s, &len) == 0) {
			bb_mathscan_markdown(s, len, BB_MATHSCAN_KRAMDOWN,
				BB_MATHSCAN_DOLLAR | BB_MATHSCAN_DOLLAR_LOOSE | BB_MATHSCAN_ENV, 1, &all);
			S_fences(s, len, &codes, &ncodes, &capcodes);
		}
		free(s);
		free(p);
	}
	closedir(d);
	printf("posts in %s: %zu formulas, %zu fenced blocks with a language\n", dir, all.n, ncodes);

	c0 = S_cpu(), w0 = S_wall();
	js = bb_js_new(NULL, &err);
	if (!js)
		return 1;
	printf("heap created:        %.4f s CPU (%.4f wall)\n", S_cpu() - c0, S_wall() - w0);
	c0 = S_cpu(), w0 = S_wall();
	m = bb_math_mathml(js, "x", 1, 0, &err);
	free(m);
	printf("KaTeX loaded:        %.3f s CPU (%.3f wall)\n", S_cpu() - c0, S_wall() - w0);
	bb_js_mem(js, &now, NULL);
	printf("heap with KaTeX:     %.1f MB\n", now / 1048576.0);
	c0 = S_cpu(), w0 = S_wall();
	m = bb_highlight_js(js, "c", "int x;\n", 7, &err);
	free(m);
	printf("highlight.js loaded: %.3f s CPU (%.3f wall)\n", S_cpu() - c0, S_wall() - w0);
	bb_js_mem(js, &now, NULL);
	printf("heap with both:      %.1f MB\n", now / 1048576.0);

	/* a second engine (another thread's) loads the bytecode of the first */
	{
		bb_js *js2 = bb_js_new(NULL, &err);
		c0 = S_cpu(), w0 = S_wall();
		m = js2 ? bb_math_mathml(js2, "x", 1, 0, &err) : NULL;
		free(m);
		printf("2nd engine, KaTeX:   %.3f s CPU (%.3f wall)\n", S_cpu() - c0, S_wall() - w0);
		c0 = S_cpu(), w0 = S_wall();
		m = js2 ? bb_highlight_js(js2, "c", "int x;\n", 7, &err) : NULL;
		free(m);
		printf("2nd engine, hljs:    %.3f s CPU (%.3f wall)\n", S_cpu() - c0, S_wall() - w0);
		bb_js_free(js2);
	}
	snprintf(spath, sizeof spath, "/tmp/jsbench-%ld.store", (long)getpid());
	unlink(spath);
	bb_math_store_open(spath, &err);
	/* 200 distinct formulas (first converted, so no cache hit) */
	c0 = S_cpu(), w0 = S_wall();
	for (i = 0, nf = 0; i < all.n && nf < 200; i++) {
		unsigned long h0, h1, n;
		bb_math_cache_stats(js, &h0, &n);
		m = bb_math_mathml(js, all.v[i].tex, all.v[i].tex_len, all.v[i].display, &err);
		bb_math_cache_stats(js, &h1, &n);
		if (!m) {
			free(err);
			err = NULL;
		}
		free(m);
		if (h1 == h0)
			nf++;
	}
	printf("200 formulas:        %.3f s CPU (%.3f wall)\n", S_cpu() - c0, S_wall() - w0);
	/* the store kept across runs: written by this run, read by the next */
	{
		c0 = S_cpu(), w0 = S_wall();
		for (i = 0; i < all.n; i++) {
			m = bb_math_mathml(js, all.v[i].tex, all.v[i].tex_len, all.v[i].display, &err);
			if (!m) {
				refused++;
				free(err);
				err = NULL;
			}
			free(m);
		}
		{
			unsigned long hits, entries;
			bb_math_cache_stats(js, &hits, &entries);
			printf("all %zu formulas:   %.3f s CPU (%.3f wall), %d refused, %lu distinct\n", all.n,
				S_cpu() - c0, S_wall() - w0, refused, entries);
		}
		bb_math_store_close(&err);
		c0 = S_cpu(), w0 = S_wall();
		{
			long n = bb_math_store_open(spath, &err);
			bb_js *js3 = bb_js_new(NULL, &err);
			double c1 = S_cpu();
			for (i = 0; i < all.n; i++) {
				m = bb_math_mathml(js3, all.v[i].tex, all.v[i].tex_len, all.v[i].display, &err);
				free(m);
				free(err);
				err = NULL;
			}
			printf("next run, store:     %ld formulas loaded in %.3f s CPU, all formulas %.3f s CPU\n",
				n, c1 - c0, S_cpu() - c1);
			bb_js_free(js3);
		}
		bb_math_store_close(&err);
		unlink(spath);
	}
	c0 = S_cpu(), w0 = S_wall();
	c0 = S_cpu(), w0 = S_wall();
	for (i = 0; i < ncodes && i < 1000; i++) {
		m = bb_highlight_js(js, codes[i].lang, codes[i].code, codes[i].len, &err);
		if (m)
			hl++;
		free(m);
		free(err);
		err = NULL;
	}
	printf("%zu code blocks (highlight.js): %.3f s CPU (%.3f wall), %d highlighted\n", i,
		S_cpu() - c0, S_wall() - w0, hl);
	/* all blocks: the native tokenizer alone (js NULL), then with
	 * highlight.js for the other languages, then highlight.js alone */
	{
		int nat = 0, both = 0, hj = 0;
		double c1, c2;
		c0 = S_cpu();
		for (i = 0; i < ncodes; i++) {
			m = bb_highlight(NULL, codes[i].lang, codes[i].code, codes[i].len, &err);
			nat += m != NULL;
			free(m);
			free(err);
			err = NULL;
		}
		c1 = S_cpu();
		for (i = 0; i < ncodes; i++) {
			m = bb_highlight(js, codes[i].lang, codes[i].code, codes[i].len, &err);
			both += m != NULL;
			free(m);
			free(err);
			err = NULL;
		}
		c2 = S_cpu();
		for (i = 0; i < ncodes; i++) {
			m = bb_highlight_js(js, codes[i].lang, codes[i].code, codes[i].len, &err);
			hj += m != NULL;
			free(m);
			free(err);
			err = NULL;
		}
		printf("all %zu blocks: native alone %d in %.3f s CPU; native + highlight.js %d in %.3f s;"
			" highlight.js alone %d in %.3f s\n", ncodes, nat, c1 - c0, both, c2 - c1, hj, S_cpu() - c2);
	}
	bb_js_mem(js, &now, &peak);
	printf("heap: %.1f MB now, %.1f MB at most\n", now / 1048576.0, peak / 1048576.0);
	bb_js_free(js);
	bb_math_spans_free(&all);
	for (i = 0; i < ncodes; i++)
		free(codes[i].code);
	free(codes);
	return 0;
}
