/* test_book.c: whole builds through the public interface, for what only a
 * whole book shows: the accessibility claims follow what the writer found,
 * a right-to-left book is right-to-left on every page, an interrupt stops
 * one build only, a blog written twice, and --jobs taken as asked. Each
 * case failed before its fix (issue 11). */
#define _XOPEN_SOURCE 700
#include "blogbind.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

static char root[256], book[300];

static const unsigned char png[] = {
	0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
	0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
	0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
	0x42, 0x60, 0x82
};

static void
S_put(const char *rel, const void *data, size_t n)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", root, rel);
	f = fopen(path, "wb");
	fwrite(data, 1, n, f);
	fclose(f);
}

static void
S_puts(const char *rel, const char *text)
{
	S_put(rel, text, strlen(text));
}

/* A fresh blog: config, n posts, each with body. */
static void
S_blog(const char *config, int n, const char *body)
{
	char cmd[1024], name[64];
	int i;
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s/_posts' '%s/img'", root, root, root);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot make %s\n", root);
	S_puts("_config.yml", config);
	S_put("img/dot.png", png, sizeof png);
	for (i = 0; i < n; i++) {
		char *post = malloc(strlen(body) + 128);
		snprintf(name, sizeof name, "_posts/2024-0%d-%02d-post-%d.md", 1 + i % 2, 1 + i, i);
		sprintf(post, "---\ntitle: Post %d\n---\n%s\n", i, body);
		S_puts(name, post);
		free(post);
	}
}

/* Entry name of the book (caller frees), or NULL. */
static char *
S_entry(const char *name)
{
	zip_t *z = zip_open(book, ZIP_RDONLY, NULL);
	zip_file_t *f;
	zip_stat_t st;
	char *r = NULL;
	if (!z)
		return NULL;
	if (zip_stat(z, name, 0, &st) == 0 && (f = zip_fopen(z, name, 0))) {
		r = calloc(1, st.size + 1);
		if (zip_fread(f, r, st.size) != (zip_int64_t)st.size) {
			free(r);
			r = NULL;
		}
		zip_fclose(f);
	}
	zip_discard(z);
	return r;
}

static int
S_entry_has(const char *name, const char *needle)
{
	char *t = S_entry(name);
	int r = t && strstr(t, needle) != NULL;
	free(t);
	return r;
}

/* Messages of a build, joined. */
static char said[8192];

static void
S_diag(void *ctx, const bb_diag *d)
{
	(void)ctx;
	if (strlen(said) + strlen(d->message) + 2 < sizeof said) {
		strcat(said, d->message);
		strcat(said, "\n");
	}
}

static int
S_build(int jobs, bb_chapters ch, bb_progress_fn progress)
{
	bb_options o;
	bb_options_init(&o);
	o.source_dir = root;
	o.output = book;
	o.jobs = jobs;
	o.chapters = ch;
	o.diag = S_diag;
	o.progress = progress;
	said[0] = '\0';
	unlink(book);
	return bb_build(&o, NULL);
}

static void
S_stop(void *ctx, size_t done, size_t total)
{
	(void)ctx;
	(void)done;
	(void)total;
	bb_interrupt();
}

int
main(void)
{
	snprintf(root, sizeof root, "/tmp/bb-test-book-%ld", (long)getpid());
	snprintf(book, sizeof book, "%s.epub", root);

	/* an image without alt text: no claim that images are described */
	S_blog("title: Alt\n", 1, "Text.\n\n![](/img/dot.png)\n");
	CHECK(S_build(1, BB_CHAPTERS_UNSET, NULL) == 0);
	CHECK(S_entry_has("EPUB/content.opf", "schema:accessMode\">visual"));
	CHECK(!S_entry_has("EPUB/content.opf", "alternativeText"));
	CHECK(S_entry_has("EPUB/content.opf", "some images lack a text description"));
	CHECK(!S_entry_has("EPUB/content.opf", "images described in text"));
	/* with alt text: the claim holds */
	S_blog("title: Alt\n", 1, "Text.\n\n![A dot](/img/dot.png)\n");
	CHECK(S_build(1, BB_CHAPTERS_UNSET, NULL) == 0);
	CHECK(S_entry_has("EPUB/content.opf", "alternativeText"));
	CHECK(S_entry_has("EPUB/content.opf", "images described in text"));

	/* a right-to-left book: the spine and every page */
	S_blog("title: كتاب\nlang: ar\n", 2, "نص عربي.\n");
	CHECK(S_build(1, BB_CHAPTERS_YEAR, NULL) == 0);
	CHECK(S_entry_has("EPUB/content.opf", "page-progression-direction=\"rtl\""));
	CHECK(S_entry_has("EPUB/cover.xhtml", "dir=\"rtl\""));
	CHECK(S_entry_has("EPUB/title.xhtml", "dir=\"rtl\""));
	CHECK(S_entry_has("EPUB/nav.xhtml", "dir=\"rtl\""));
	CHECK(S_entry_has("EPUB/g2024.xhtml", "dir=\"rtl\""));
	CHECK(S_entry_has("EPUB/p20240101-post-0.xhtml", "dir=\"rtl\""));
	/* and a left-to-right one is not */
	S_blog("title: Book\nlang: en\n", 2, "Text.\n");
	CHECK(S_build(1, BB_CHAPTERS_YEAR, NULL) == 0);
	CHECK(!S_entry_has("EPUB/content.opf", "page-progression-direction"));
	CHECK(!S_entry_has("EPUB/nav.xhtml", "dir=\"rtl\"") && !S_entry_has("EPUB/title.xhtml", "dir=\"rtl\""));

	/* an interrupted build stops; the next one in this process works */
	S_blog("title: Stop\n", 3, "Text.\n");
	CHECK(S_build(1, BB_CHAPTERS_UNSET, S_stop) != 0);
	CHECK(strstr(said, "interrupted") != NULL);
	CHECK(access(book, F_OK) != 0);
	CHECK(S_build(1, BB_CHAPTERS_UNSET, NULL) == 0);
	CHECK(access(book, F_OK) == 0);

	/* one blog written twice: two good books (leaks: run under ASan) */
	{
		bb_options o;
		bb_blog *b;
		bb_report r1, r2;
		S_blog("title: Twice\n", 3, "## A heading\n\nText.\n\n![A dot](/img/dot.png)\n");
		bb_options_init(&o);
		o.source_dir = root;
		o.jobs = 2;
		b = bb_collect(&o);
		CHECK(b != NULL);
		if (b) {
			CHECK(bb_blog_write(b, book, &r1) == 0);
			CHECK(bb_blog_write(b, book, &r2) == 0);
			CHECK(r1.posts == 3 && r2.posts == 3 && r1.bytes == r2.bytes && r2.images == 1);
			CHECK(S_entry_has("EPUB/nav.xhtml", "A heading"));
			bb_blog_free(b);
		}
	}

	/* --jobs above 8 is honoured; above the library's limit, an error */
	S_blog("title: Jobs\n", 12, "Text.\n");
	CHECK(S_build(12, BB_CHAPTERS_UNSET, NULL) == 0);
	CHECK(strstr(said, "on 12 threads") != NULL);
	CHECK(S_build(65, BB_CHAPTERS_UNSET, NULL) != 0);
	CHECK(strstr(said, "at most 64") != NULL);

	{
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", root, book);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", root);
	}
	return TEST_DONE();
}
