/* test_outkeep: the posts' headings kept from the render to the nav
 * (outkeep.c) come back as they were put, both those kept in memory (the
 * first 2 MB) and those past it in the temporary file; a post put twice
 * keeps its first headings; a post with none gives none. */
#include "tap.h"
#include "outkeep.h"
#include "util.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T_POSTS 3000
#define T_HEADS 3

/* The id and text of heading k of post i (text NULL for every fifth). */
static void
T_names(size_t i, size_t k, char *id, size_t idn, char *text, size_t textn, int *has_text)
{
	size_t j, l;
	snprintf(id, idn, "p%zu-h%zu", i, k);
	*has_text = (i + k) % 5 != 0;
	l = (size_t)snprintf(text, textn, "Heading %zu of post %zu ", k, i);
	for (j = l; j < 300 + (i % 7) * 40 && j + 1 < textn; j++)
		text[j] = (char)('a' + (i + j) % 26);
	text[j] = '\0';
}

/* The open descriptors of this process. */
static int
T_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

int
main(void)
{
	bb_blog *b = bb_xcalloc(1, sizeof *b);
	char id[64], text[T_HEADS][640], ids[T_HEADS][64];
	bb_heading hs[T_HEADS];
	size_t i, k, n, bad = 0, total = 0;
	int fds0 = T_fds(), fds_mem = -1, has;

	pthread_mutex_init(&b->lock, NULL);
	b->nposts = T_POSTS;
	b->posts = bb_xcalloc(T_POSTS, sizeof *b->posts);
	for (i = 0; i < T_POSTS; i++) {
		size_t nh = i % 11 == 0 ? 0 : T_HEADS;
		for (k = 0; k < nh; k++) {
			T_names(i, k, ids[k], sizeof ids[k], text[k], sizeof text[k], &has);
			hs[k].level = 2 + (int)k;
			hs[k].id = ids[k];
			hs[k].text = has ? text[k] : NULL;
			hs[k].part = (int)(k % 2);
			total += strlen(ids[k]) + (has ? strlen(text[k]) : 0);
		}
		bb_outkeep_put(b, i, hs, nh);
		if (total < ((size_t)1 << 20))
			fds_mem = T_fds();
	}
	/* a second put of a post keeps the first */
	hs[0].id = "other";
	hs[0].text = "Other";
	bb_outkeep_put(b, 1, hs, 1);
	CHECK(total > ((size_t)2 << 20));   /* past the memory part */
	CHECK(bb_outkeep_error(b) == 0);
	/* memory first: no file while the first megabyte was kept */
	CHECK(fds_mem == fds0);
	CHECK(T_fds() == fds0 + 1);
	for (i = 0; i < T_POSTS; i++) {
		bb_heading *got = bb_outkeep_get(b, &b->posts[i], &n);
		size_t want = i % 11 == 0 ? 0 : T_HEADS;
		CHECK(b->posts[i].rendered == 1);
		if (n != want || (want && !got)) {
			bad++;
			free(got);
			continue;
		}
		for (k = 0; k < n; k++) {
			T_names(i, k, id, sizeof id, text[0], sizeof text[0], &has);
			if (got[k].level != 2 + (int)k || got[k].part != (int)(k % 2) || strcmp(got[k].id, id) != 0
			    || (has ? !got[k].text || strcmp(got[k].text, text[0]) != 0 : got[k].text != NULL))
				bad++;
		}
		free(got);
	}
	CHECK(bad == 0);
	if (bad)
		fprintf(stderr, "  %zu posts' headings came back wrong\n", bad);
	bb_outkeep_close(b);
	CHECK(b->outline == NULL);
	CHECK(T_fds() == fds0);
	free(b->posts);
	pthread_mutex_destroy(&b->lock);
	free(b);
	return TEST_DONE();
}
