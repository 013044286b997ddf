/* tap.h: a minimal test harness for the unit tests: CHECK records a pass or a
 * failure with the file and line, SKIP a check that cannot run here, and
 * TEST_DONE prints "N passed, N failed" (", N skipped" when skipping was
 * asked for).
 *
 * The skip policy, the one place for it in C: a test that needs something
 * it cannot find (the shared samples and corpora, a tool) FAILS, unless the
 * environment says BB_ALLOW_SKIP=1; then it prints "skip NAME: reason" and
 * counts a skip. The shared material is found through BB_SHARED only
 * (default ../shared, from the repository root where tests/run.sh runs). */
#ifndef BB_TAP_H
#define BB_TAP_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int tap_passed, tap_failed, tap_skipped;

#define CHECK(cond) do { \
	if (cond) tap_passed++; \
	else { tap_failed++; fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (g_ && w_ && strcmp(g_, w_) == 0) tap_passed++; \
	else { tap_failed++; fprintf(stderr, "%s:%d: FAIL: %s\n  got:  %s\n  want: %s\n", \
		__FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } \
} while (0)

/* Returns 1 when BB_ALLOW_SKIP=1 asks that missing inputs be skipped. */
static inline int
tap_allow_skip(void)
{
	const char *e = getenv("BB_ALLOW_SKIP");
	return e && strcmp(e, "1") == 0;
}

/* Records that the checks NAME cannot run for REASON: a visible, counted
 * skip under BB_ALLOW_SKIP=1, a failure otherwise. */
static inline void
tap_skip(const char *file, int line, const char *name, const char *reason)
{
	fflush(stdout);
	if (tap_allow_skip()) {
		tap_skipped++;
		printf("skip %s: %s\n", name, reason);
		fflush(stdout);
	} else {
		tap_failed++;
		fprintf(stderr, "%s:%d: FAIL: %s: %s (not skipped unless BB_ALLOW_SKIP=1)\n",
			file, line, name, reason);
	}
}

#define SKIP(name, reason) tap_skip(__FILE__, __LINE__, (name), (reason))

/* Returns the path of REL under the shared material (BB_SHARED, default
 * ../shared); the caller frees it. */
static inline char *
tap_shared(const char *rel)
{
	const char *root = getenv("BB_SHARED");
	size_t n;
	char *p;
	if (!root || !*root)
		root = "../shared";
	n = strlen(root) + strlen(rel) + 2;
	if (!(p = malloc(n)))
		abort();
	snprintf(p, n, "%s/%s", root, rel);
	return p;
}

/* Writes text to root/rel, making rel's folders; exits when it cannot. */
static inline void
tap_write(const char *root, const char *rel, const char *text)
{
	char path[512], *s;
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", root, rel);
	for (s = path + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(path, 0755);
		*s = '/';
	}
	if (!(f = fopen(path, "w"))) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

/* Calls fn(path, ctx) for each Markdown file (.md, .markdown, .mkdn) under
 * dir, down to depth 6, skipping names that start with a dot. */
static inline void
tap_walk_markdown(const char *dir, void (*fn)(const char *path, void *ctx), void *ctx, int depth)
{
	DIR *dh;
	struct dirent *de;
	struct stat sb;

	if (depth > 6 || !(dh = opendir(dir)))
		return;
	while ((de = readdir(dh))) {
		const char *dot = strrchr(de->d_name, '.');
		size_t n = strlen(dir) + strlen(de->d_name) + 2;
		char *path;
		if (de->d_name[0] == '.' || !(path = malloc(n)))
			continue;
		snprintf(path, n, "%s/%s", dir, de->d_name);
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			tap_walk_markdown(path, fn, ctx, depth + 1);
		else if (dot && (strcmp(dot, ".md") == 0 || strcmp(dot, ".markdown") == 0
			|| strcmp(dot, ".mkdn") == 0))
			fn(path, ctx);
		free(path);
	}
	closedir(dh);
}

#define TEST_DONE() (tap_allow_skip() \
	? printf("%s: %d passed, %d failed, %d skipped\n", __FILE__, tap_passed, tap_failed, tap_skipped) \
	: printf("%s: %d passed, %d failed\n", __FILE__, tap_passed, tap_failed), tap_failed ? 1 : 0)

#endif
