/* test_resolve.c: paths written in posts turned into files of the blog
 * (bb_resolve_local: root-relative, post-relative, baseurl and the blog's
 * own URL, percent-decoding; ../ escapes, symbolic links out and non-local
 * URLs refused) and URL paths normalised for matching (bb_url_key). */
#define _XOPEN_SOURCE 700
#include "blog.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char top[256], root[300];

static void
S_write(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

static void
S_mkdir(const char *rel)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", root, rel);
	mkdir(path, 0755);
}

/* Resolves ref from post p (NULL: from the site) and compares with want
 * (NULL: refused); when refused, why must contain why_part. */
static void
S_expect(const bb_blog *b, const bb_post *p, const char *ref, const char *want, const char *why_part, int line)
{
	const char *why = NULL;
	char *got = bb_resolve_local(b, p, ref, &why);
	if (want) {
		if (got && strcmp(got, want) == 0)
			tap_passed++;
		else {
			tap_failed++;
			fprintf(stderr, "%s:%d: FAIL: resolve \"%s\"\n  got:  %s (%s)\n  want: %s\n", __FILE__, line,
				ref, got ? got : "(null)", why ? why : "-", want);
		}
	} else {
		if (!got && why && (!why_part || strstr(why, why_part)))
			tap_passed++;
		else {
			tap_failed++;
			fprintf(stderr, "%s:%d: FAIL: resolve \"%s\" should be refused (\"%s\")\n  got:  %s (%s)\n",
				__FILE__, line, ref, why_part ? why_part : "", got ? got : "(null)", why ? why : "-");
		}
	}
	free(got);
}
#define EXPECT(p, ref, want, why) S_expect(b, (p), (ref), (want), (why), __LINE__)

static void
S_url_key(const char *in, const char *want, int line)
{
	char *got = bb_url_key(in);
	if (got && strcmp(got, want) == 0)
		tap_passed++;
	else {
		tap_failed++;
		fprintf(stderr, "%s:%d: FAIL: bb_url_key(\"%s\")\n  got:  %s\n  want: %s\n", __FILE__, line, in,
			got ? got : "(null)", want);
	}
	free(got);
}
#define URL_KEY(in, want) S_url_key((in), (want), __LINE__)

int
main(void)
{
	bb_options o;
	bb_blog *b;
	const bb_post *post = NULL;
	char path[700], target[700];
	char cmd[800];
	size_t i;

	snprintf(top, sizeof top, "/tmp/bb-test-resolve-%ld", (long)getpid());
	snprintf(root, sizeof root, "%s/blog", top);
	mkdir(top, 0755);
	mkdir(root, 0755);
	S_mkdir("_posts");
	S_mkdir("assets");
	S_mkdir("assets/sub");
	S_mkdir("static");
	S_write(root, "_config.yml", "title: Resolve\nurl: https://example.org/\nbaseurl: /blog/\n");
	S_write(root, "_posts/2024-01-02-hello.md", "---\ntitle: Hello\n---\nHi.\n");
	S_write(root, "_posts/pic.png", "x");
	S_write(root, "assets/a b.png", "x");
	S_write(root, "assets/caf\xC3\xA9.png", "x");
	S_write(root, "assets/sub/deep.png", "x");
	S_write(root, "static/s.png", "x");
	S_write(top, "secret.txt", "outside the blog");
	/* a symbolic link out of the folder, and one that stays inside */
	snprintf(target, sizeof target, "%s/secret.txt", top);
	snprintf(path, sizeof path, "%s/assets/out.png", root);
	CHECK(symlink(target, path) == 0);
	snprintf(path, sizeof path, "%s/assets/in.png", root);
	CHECK(symlink("a b.png", path) == 0);
	snprintf(path, sizeof path, "%s/assets/outdir", root);
	CHECK(symlink(top, path) == 0);

	bb_options_init(&o);
	o.source_dir = root;
	b = bb_collect(&o);
	CHECK(b != NULL);
	if (!b)
		goto out;
	for (i = 0; i < b->nposts; i++)
		if (strcmp(b->posts[i].path, "_posts/2024-01-02-hello.md") == 0)
			post = &b->posts[i];
	CHECK(post != NULL);
	CHECK_STR(b->baseurl, "/blog");
	CHECK_STR(b->url, "https://example.org");

	/* root-relative, with and without the baseurl and the blog's own URL */
	EXPECT(post, "/assets/a%20b.png", "assets/a b.png", NULL);
	EXPECT(post, "/blog/assets/a%20b.png", "assets/a b.png", NULL);
	EXPECT(post, "https://example.org/blog/assets/a%20b.png", "assets/a b.png", NULL);
	EXPECT(post, "https://example.org/assets/sub/deep.png", "assets/sub/deep.png", NULL);
	EXPECT(NULL, "/assets/sub/deep.png", "assets/sub/deep.png", NULL);
	/* "/blogx/..." is not under the baseurl "/blog" */
	EXPECT(post, "/blogassets/a%20b.png", NULL, "does not exist");
	/* percent-decoding: UTF-8 bytes, either case of hex digits; query and fragment dropped */
	EXPECT(post, "/assets/caf%C3%A9.png", "assets/caf\xC3\xA9.png", NULL);
	EXPECT(post, "/assets/caf%c3%a9.png", "assets/caf\xC3\xA9.png", NULL);
	EXPECT(post, "/assets/a%20b.png?v=2#top", "assets/a b.png", NULL);
	EXPECT(post, "/assets/a%2", NULL, "does not exist");
	EXPECT(post, "/assets/a%00b.png", NULL, NULL);
	/* "." and ".." folded inside the folder */
	EXPECT(post, "/assets/sub/../a%20b.png", "assets/a b.png", NULL);
	EXPECT(post, "/./assets//sub/./deep.png", "assets/sub/deep.png", NULL);
	/* relative to the post's folder, then to the site root, then Hugo's static/ */
	EXPECT(post, "pic.png", "_posts/pic.png", NULL);
	EXPECT(post, "./pic.png", "_posts/pic.png", NULL);
	EXPECT(post, "../assets/a%20b.png", "assets/a b.png", NULL);
	EXPECT(post, "assets/sub/deep.png", "assets/sub/deep.png", NULL);
	EXPECT(post, "/s.png", "static/s.png", NULL);
	EXPECT(NULL, "assets/a%20b.png", "assets/a b.png", NULL);

	/* escapes out of the folder: lexical, percent-encoded, from the site root */
	EXPECT(post, "../../secret.txt", NULL, "refused");
	EXPECT(post, "../../../../../../etc/passwd", NULL, "refused");
	EXPECT(post, "%2e%2e/%2e%2e/secret.txt", NULL, "refused");
	EXPECT(post, "..%2f..%2fsecret.txt", NULL, "refused");
	EXPECT(post, "/../secret.txt", NULL, "refused");
	EXPECT(post, "/assets/../../secret.txt", NULL, "refused");
	EXPECT(post, "/blog/../../secret.txt", NULL, "refused");
	EXPECT(NULL, "../secret.txt", NULL, "refused");
	/* symbolic links: out refused, and said so (not "does not exist",
	 * although static/ is tried after), inside followed */
	EXPECT(post, "/assets/out.png", NULL, "outside the blog's folder");
	EXPECT(post, "/assets/outdir/secret.txt", NULL, "outside the blog's folder");
	EXPECT(post, "../assets/out.png", NULL, NULL);
	EXPECT(post, "/assets/in.png", "assets/in.png", NULL);
	/* not local files */
	EXPECT(post, "file:///etc/passwd", NULL, "refused");
	EXPECT(post, "https://other.example/assets/a%20b.png", NULL, "not a local file");
	EXPECT(post, "//example.org/assets/a%20b.png", NULL, "not a local file");
	EXPECT(post, "data:image/png;base64,AAAA", NULL, "not a local file");
	/* missing, empty, a folder */
	EXPECT(post, "/assets/missing.png", NULL, "does not exist");
	EXPECT(post, "", NULL, NULL);
	EXPECT(post, "/assets/sub", NULL, "does not exist");
	EXPECT(post, "/", NULL, NULL);

out:
	/* bb_url_key: decoded, lower case, without index.html, .html or a trailing slash */
	URL_KEY("/2024/01/05/Hello.html", "/2024/01/05/hello");
	URL_KEY("/2024/01/05/hello/", "/2024/01/05/hello");
	URL_KEY("/2024/01/05/hello/index.html", "/2024/01/05/hello");
	URL_KEY("/About/INDEX.HTML", "/about");
	URL_KEY("/a%20B.html?x=1#frag", "/a b");
	URL_KEY("/caf%C3%A9/", "/caf\xC3\xA9");
	URL_KEY("posts/x", "/posts/x");
	URL_KEY("/", "/");
	URL_KEY("", "/");
	URL_KEY("/index.html", "/");
	URL_KEY("/a//", "/a");
	URL_KEY("/x.htm", "/x.htm");

	bb_blog_free(b);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", top);
	return TEST_DONE();
}
