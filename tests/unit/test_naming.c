/* test_naming.c: a post's id comes from its date and slug (ASCII-safe),
 * never from its place: reordering, adding or removing other posts leaves
 * it alone; equal names are told apart by a hash of the path; group ids
 * come from their keys. */
#define _XOPEN_SOURCE 700
#include "naming.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fills post p with a path, a date and a slug. */
static void
S_post(bb_post *p, const char *path, const char *ymd, const char *slug)
{
	memset(p, 0, sizeof *p);
	p->path = (char *)path;
	p->slug = (char *)slug;
	snprintf(p->ymd, sizeof p->ymd, "%s", ymd);
}

/* The id given to the post whose path is path among v[0..n). */
static const char *
S_id(const bb_post *v, size_t n, const char *path)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].path, path) == 0)
			return v[i].id;
	return "";
}

int
main(void)
{
	bb_post v[6], w[6];
	char a[BB_ID_MAX], b[BB_ID_MAX], g[BB_ID_MAX], name[BB_NAME_MAX];
	size_t i;

	S_post(&v[0], "_posts/2024-01-14-starting.md", "2024-01-14", "Starting a Notebook!");
	S_post(&v[1], "_posts/2024-02-01-日本語.md", "2024-02-01", "日本語");
	S_post(&v[2], "_posts/a/2024-03-01-same.md", "2024-03-01", "same");
	S_post(&v[3], "_posts/b/2024-03-01-same.md", "2024-03-01", "same");
	S_post(&v[4], "_drafts/undated.md", "", "undated");
	S_post(&v[5], "_posts/2024-04-01-long.md", "2024-04-01",
	       "a-very-long-slug-that-goes-on-and-on-past-forty-bytes-of-it");
	bb_name_posts(v, 6);
	CHECK_STR(v[0].id, "p20240114-starting-a-notebook");
	/* a slug with no ASCII letter: the date and a hash of the path */
	CHECK(strncmp(v[1].id, "p20240201_", 10) == 0 && strlen(v[1].id) == 18);
	CHECK_STR(v[4].id, "p-undated");
	CHECK(strlen(v[5].id) <= 1 + 8 + 1 + 40);
	CHECK(strncmp(v[5].id, "p20240401-a-very-long-slug", 26) == 0);
	/* two posts named alike: one keeps the name, the other adds its hash */
	CHECK(strcmp(v[2].id, v[3].id) != 0);
	CHECK(strcmp(v[2].id, "p20240301-same") == 0 || strcmp(v[3].id, "p20240301-same") == 0);
	snprintf(a, sizeof a, "%s", v[2].id);
	snprintf(b, sizeof b, "%s", v[3].id);

	/* the same posts in another order, with one removed: the same ids */
	for (i = 0; i < 5; i++)
		w[i] = v[5 - i];
	bb_name_posts(w, 5); /* v[0] left out */
	CHECK_STR(S_id(w, 5, "_posts/a/2024-03-01-same.md"), a);
	CHECK_STR(S_id(w, 5, "_posts/b/2024-03-01-same.md"), b);
	CHECK_STR(S_id(w, 5, "_posts/2024-02-01-日本語.md"), v[1].id);
	CHECK_STR(S_id(w, 5, "_posts/2024-04-01-long.md"), v[5].id);
	CHECK_STR(S_id(w, 5, "_drafts/undated.md"), "p-undated");

	/* ids are valid XML names and file stems: ASCII letters, digits, - and _ */
	for (i = 0; i < 6; i++) {
		const char *c;
		int ok = v[i].id[0] == 'p';
		for (c = v[i].id; *c; c++)
			ok &= (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_';
		CHECK(ok);
	}

	/* parts: ID.xhtml, ID.2.xhtml... (a '.' no slug holds) */
	bb_part_name(&v[0], 0, name);
	CHECK_STR(name, "p20240114-starting-a-notebook.xhtml");
	bb_part_name(&v[0], 1, name);
	CHECK_STR(name, "p20240114-starting-a-notebook.2.xhtml");
	/* as snprintf names them (naming.c writes them by hand), cut as it cuts */
	{
		static const int ks[] = { 0, 1, 8, 9, 99, 12344, 2147483646, -1, -3 };
		char want[BB_NAME_MAX], id[BB_ID_MAX];
		bb_post q;
		size_t len, j;
		memset(&q, 0, sizeof q);
		q.id = id;
		for (len = 0; len < sizeof id; len += 7) {
			for (j = 0; j < len; j++)
				q.id[j] = (char)('a' + j % 26);
			q.id[len] = '\0';
			for (j = 0; j < sizeof ks / sizeof *ks; j++) {
				if (ks[j] == 0)
					snprintf(want, sizeof want, "%s.xhtml", q.id);
				else
					snprintf(want, sizeof want, "%s.%d.xhtml", q.id, ks[j] + 1);
				bb_part_name(&q, ks[j], name);
				CHECK_STR(name, want);
			}
		}
	}

	/* groups: from the key, with a hash when the fold lost anything */
	bb_name_group("2019", g);
	CHECK_STR(g, "g2019");
	bb_name_group("2019-03", g);
	CHECK_STR(g, "g2019-03");
	bb_name_group("Travel", g);
	CHECK(strncmp(g, "gtravel_", 8) == 0);
	bb_name_group("travel", a);
	CHECK_STR(a, "gtravel");
	bb_name_group("旅行", g);
	CHECK(strncmp(g, "g_", 2) == 0 && strlen(g) == 10);
	return TEST_DONE();
}
