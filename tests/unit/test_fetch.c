/* test_fetch.c: unit tests for fetch.c: URL checks, cache names, cache hits without the network, downloads from a loopback server the test runs (404, time-out, size cap, redirects), and registering a downloaded image. */
#define _XOPEN_SOURCE 700
#include "fetch.h"
#include "util.h"
#include "tap.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ---- */

/* An independent FNV-1a 64, so the cache name is not checked against itself. */
static unsigned long long
T_fnv(const char *s)
{
	unsigned long long h = 14695981039346656037ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static void
T_write(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
	fclose(f);
}

/* The file's bytes equal p[0..n). */
static int
T_same(const char *path, const void *p, size_t n)
{
	char *d = NULL;
	size_t len = 0;
	int ok;
	if (!path || bb_read_file(path, n + 16, &d, &len) != 0)
		return free(d), 0;
	ok = len == n && memcmp(d, p, n) == 0;
	free(d);
	return ok;
}

/* Counts the entries of dir (without . and ..); *dots: those starting with '.' */
static int
T_count(const char *dir, int *dots)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	*dots = 0;
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n++;
		if (e->d_name[0] == '.')
			(*dots)++;
	}
	closedir(d);
	return n;
}

static void
T_rmtree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		char *p;
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		p = bb_xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			T_rmtree(p);
		else
			unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

static void
T_nap(long ms)
{
	struct timespec ts;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

static int T_listen(int *port);

/* ---- a loopback HTTP server, one thread per connection ---- */

#define BODY_N 3000
static unsigned char body[BODY_N]; /* a PNG signature, then varied bytes */

typedef struct server {
	int fd, port;
	pthread_t th;
	pthread_mutex_t mu;
	int stop, active;
	int hits[16];   /* requests per route */
} server;

enum { R_IMG, R_MISSING, R_SLOW, R_BIG, R_BIGSTREAM, R_REDIR, R_LOOP, R_FTP, R_OTHER };

typedef struct conn {
	server *s;
	int fd;
} conn;

static void
T_send(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t k;
	while (n > 0 && (k = send(fd, c, n, MSG_NOSIGNAL)) > 0)
		c += k, n -= (size_t)k;
}

static void
T_sendf(int fd, const char *s)
{
	T_send(fd, s, strlen(s));
}

static void *
T_conn(void *arg)
{
	conn *c = arg;
	server *s = c->s;
	char req[2048], path[512];
	size_t n = 0;
	ssize_t k;
	int route = R_OTHER, i;
	while (n + 1 < sizeof req && (k = recv(c->fd, req + n, sizeof req - 1 - n, 0)) > 0) {
		n += (size_t)k;
		req[n] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[n] = '\0';
	path[0] = '\0';
	sscanf(req, "GET %511s", path);
	path[strcspn(path, "?")] = '\0';
	if (strcmp(path, "/img.png") == 0)
		route = R_IMG;
	else if (strcmp(path, "/missing.png") == 0)
		route = R_MISSING;
	else if (strcmp(path, "/slow.png") == 0)
		route = R_SLOW;
	else if (strcmp(path, "/big.png") == 0)
		route = R_BIG;
	else if (strcmp(path, "/bigstream.png") == 0)
		route = R_BIGSTREAM;
	else if (strcmp(path, "/redir") == 0)
		route = R_REDIR;
	else if (strcmp(path, "/loop") == 0)
		route = R_LOOP;
	else if (strcmp(path, "/ftp") == 0)
		route = R_FTP;
	pthread_mutex_lock(&s->mu);
	s->hits[route]++;
	pthread_mutex_unlock(&s->mu);
	switch (route) {
	case R_IMG: {
		char h[128];
		snprintf(h, sizeof h, "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", BODY_N);
		T_sendf(c->fd, h);
		T_send(c->fd, body, BODY_N);
		break;
	}
	case R_SLOW:
		/* past the client's 1 s time-out, unless the server stops */
		for (i = 0; i < 30; i++) {
			int stop;
			pthread_mutex_lock(&s->mu);
			stop = s->stop;
			pthread_mutex_unlock(&s->mu);
			if (stop)
				break;
			T_nap(100);
		}
		T_sendf(c->fd, "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\n\x89PNG\r\n\x1a\n");
		break;
	case R_BIG: {
		/* announced: refused before the body */
		char h[128];
		snprintf(h, sizeof h, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", BODY_N);
		T_sendf(c->fd, h);
		T_send(c->fd, body, BODY_N);
		break;
	}
	case R_BIGSTREAM:
		/* not announced: the cap is found while writing */
		T_sendf(c->fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
		T_send(c->fd, body, BODY_N);
		break;
	case R_REDIR:
		T_sendf(c->fd, "HTTP/1.1 302 Found\r\nLocation: /img.png\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
		break;
	case R_LOOP:
		T_sendf(c->fd, "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
		break;
	case R_FTP:
		T_sendf(c->fd, "HTTP/1.1 302 Found\r\nLocation: ftp://127.0.0.1/x.png\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
		break;
	default:
		T_sendf(c->fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found");
		break;
	}
	shutdown(c->fd, SHUT_WR);
	close(c->fd);
	pthread_mutex_lock(&s->mu);
	s->active--;
	pthread_mutex_unlock(&s->mu);
	free(c);
	return NULL;
}

static void *
T_accept(void *arg)
{
	server *s = arg;
	for (;;) {
		int fd = accept(s->fd, NULL, NULL);
		conn *c;
		pthread_t th;
		int stop;
		pthread_mutex_lock(&s->mu);
		stop = s->stop;
		pthread_mutex_unlock(&s->mu);
		if (fd < 0 || stop) {
			if (fd >= 0)
				close(fd);
			if (stop || (errno != EINTR && errno != ECONNABORTED))
				break;
			continue;
		}
		c = bb_xmalloc(sizeof *c);
		c->s = s;
		c->fd = fd;
		pthread_mutex_lock(&s->mu);
		s->active++;
		pthread_mutex_unlock(&s->mu);
		if (pthread_create(&th, NULL, T_conn, c) != 0) {
			close(fd);
			free(c);
			pthread_mutex_lock(&s->mu);
			s->active--;
			pthread_mutex_unlock(&s->mu);
		} else
			pthread_detach(th);
	}
	return NULL;
}

/* Binds 127.0.0.1 on a free port; returns the listening socket or -1. */
static int
T_listen(int *port)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = 0;
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 64) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(a.sin_port);
	return fd;
}

static int
T_server_start(server *s)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->mu, NULL);
	if ((s->fd = T_listen(&s->port)) < 0)
		return -1;
	return pthread_create(&s->th, NULL, T_accept, s) == 0 ? 0 : -1;
}

static void
T_server_stop(server *s)
{
	int active = 1, i;
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_mutex_unlock(&s->mu);
	/* wakes accept() on Linux; a connection to ourselves does elsewhere */
	shutdown(s->fd, SHUT_RDWR);
	{
		struct sockaddr_in a;
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		memset(&a, 0, sizeof a);
		a.sin_family = AF_INET;
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a.sin_port = htons((unsigned short)s->port);
		if (fd >= 0) {
			connect(fd, (struct sockaddr *)&a, sizeof a);
			close(fd);
		}
	}
	pthread_join(s->th, NULL);
	close(s->fd);
	for (i = 0; i < 100 && active; i++) {
		pthread_mutex_lock(&s->mu);
		active = s->active;
		pthread_mutex_unlock(&s->mu);
		if (active)
			T_nap(50);
	}
	pthread_mutex_destroy(&s->mu);
}

static int
T_hits(server *s, int route)
{
	int n;
	pthread_mutex_lock(&s->mu);
	n = s->hits[route];
	pthread_mutex_unlock(&s->mu);
	return n;
}

/* ---- the tests ---- */

static void
test_is_http(void)
{
	CHECK(bb_fetch_is_http("http://example.org/a.png"));
	CHECK(bb_fetch_is_http("https://example.org"));
	CHECK(bb_fetch_is_http("HTTPS://Example.org/x?y=1#z"));
	CHECK(bb_fetch_is_http("http://127.0.0.1:8080/a/b.jpg"));
	CHECK(!bb_fetch_is_http(NULL));
	CHECK(!bb_fetch_is_http(""));
	CHECK(!bb_fetch_is_http("//example.org/a.png"));
	CHECK(!bb_fetch_is_http("ftp://example.org/a.png"));
	CHECK(!bb_fetch_is_http("file:///etc/passwd"));
	CHECK(!bb_fetch_is_http("data:image/png;base64,iVBORw0KGgo="));
	CHECK(!bb_fetch_is_http("javascript:alert(1)"));
	CHECK(!bb_fetch_is_http("images/a.png"));
	CHECK(!bb_fetch_is_http("/images/a.png"));
	CHECK(!bb_fetch_is_http("http://"));
	CHECK(!bb_fetch_is_http("http:///a.png"));
	CHECK(!bb_fetch_is_http("http:/example.org/a.png"));
	CHECK(!bb_fetch_is_http("httpx://example.org/a.png"));
	CHECK(!bb_fetch_is_http("http://example.org/a b.png"));
	CHECK(!bb_fetch_is_http("http://example.org/a\n.png"));
}

static void
test_cache_name(void)
{
	static const struct {
		const char *url, *ext; /* ext "" : none */
	} cases[] = {
		{ "http://example.org/a/Photo.PNG", ".png" },
		{ "https://example.org/a/b.jpeg?size=large#top", ".jpeg" },
		{ "http://example.org/x.png?name=y.gif", ".png" },
		{ "http://example.org/pic.webp", ".webp" },
		{ "http://example.org", "" },             /* the dot is the host's */
		{ "http://example.org/", "" },
		{ "http://example.org/dir.v2/image", "" }, /* the dot is a folder's */
		{ "http://example.org/image", "" },
		{ "http://example.org/a.toolongext", "" },
		{ "http://example.org/a.p-g", "" },
		{ "http://example.org/.png", "" },
		{ "http://example.org/a.", "" },
	};
	size_t i;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char want[64], *got = bb_fetch_cache_name(cases[i].url);
		snprintf(want, sizeof want, "%016llx%s", T_fnv(cases[i].url), cases[i].ext);
		CHECK_STR(got, want);
		free(got);
	}
	{
		char *a = bb_fetch_cache_name("http://example.org/a.png");
		char *b = bb_fetch_cache_name("http://example.org/a.png");
		char *c = bb_fetch_cache_name("http://example.org/b.png");
		char *d = bb_fetch_cache_name("https://example.org/a.png");
		CHECK_STR(a, b);
		CHECK(strcmp(a, c) != 0);
		CHECK(strcmp(a, d) != 0);
		CHECK(strlen(a) == 20);
		free(a), free(b), free(c), free(d);
	}
}

/* No server here: the URL names a loopback port just closed, so a
 * connection is refused and a success proves the cache answered. */
static void
test_offline(const char *tmp)
{
	char url[128];
	const char *why = NULL;
	char *cache = bb_xasprintf("%s/cache", tmp), *name, *want, *path = (char *)"x", *f;
	static const char bytes[] = "\x89PNG\r\n\x1a\ncached bytes";
	int dots, port = 0, fd = T_listen(&port);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/photos/cat.png", port);
	name = bb_fetch_cache_name(url);
	want = bb_xasprintf("%s/%s", cache, name);

	/* not http(s): refused, nothing created */
	CHECK(bb_fetch("ftp://example.org/a.png", cache, 1, 1000, &path, &why) == -1);
	CHECK_STR(why, "not an http(s) URL");
	CHECK(path == NULL);
	why = NULL;
	CHECK(bb_fetch("//example.org/a.png", cache, 1, 1000, &path, &why) == -1);
	CHECK_STR(why, "not an http(s) URL");
	CHECK(T_count(cache, &dots) == -1);

	/* a miss with nobody listening: fails, no file left behind */
	why = NULL;
	path = (char *)"x";
	CHECK(bb_fetch(url, cache, 2, 1000, &path, &why) == -1);
	CHECK(why != NULL && *why);
	CHECK(path == NULL);
	CHECK(T_count(cache, &dots) == 0); /* the folder was made, and is empty */

	/* a hit: the pre-made file is returned without a connection */
	T_write(want, bytes, sizeof bytes - 1);
	why = NULL;
	CHECK(bb_fetch(url, cache, 2, 1000, &path, &why) == 0);
	CHECK_STR(path, want);
	CHECK(why == NULL);
	CHECK(T_same(path, bytes, sizeof bytes - 1));
	free(path);

	/* a hit larger than today's cap is refused */
	path = (char *)"x";
	CHECK(bb_fetch(url, cache, 2, 8, &path, &why) == -1);
	CHECK_STR(why, "larger than the size cap");
	CHECK(path == NULL);

	/* a cache folder that cannot be made */
	f = bb_xasprintf("%s/plainfile", tmp);
	T_write(f, "x", 1);
	{
		char *bad = bb_xasprintf("%s/sub", f);
		why = NULL;
		CHECK(bb_fetch(url, bad, 2, 1000, &path, &why) == -1);
		CHECK_STR(why, "cannot write the cache");
		CHECK(path == NULL);
		free(bad);
	}
	/* nested folders are made */
	{
		char *deep = bb_xasprintf("%s/a/b/c", tmp);
		struct stat st;
		bb_fetch(url, deep, 1, 1000, &path, &why);
		free(path);
		CHECK(stat(deep, &st) == 0 && S_ISDIR(st.st_mode));
		free(deep);
	}
	free(f);
	free(want);
	free(name);
	free(cache);
}

typedef struct par {
	const char *url, *cache;
	int rc;
	char *path;
	const char *why;
} par;

static void *
T_par(void *arg)
{
	par *p = arg;
	p->rc = bb_fetch(p->url, p->cache, 5, 100000, &p->path, &p->why);
	return NULL;
}

static void
test_server(const char *tmp)
{
	server s;
	char *cache = bb_xasprintf("%s/net", tmp), *path = NULL, url[256];
	const char *why = NULL;
	int dots, before;
	struct timespec t0, t1;
	double secs;

	if (T_server_start(&s) != 0) {
		fprintf(stderr, "cannot start the loopback server; network tests not run\n");
		CHECK(0);
		free(cache);
		return;
	}
#define U(p) (snprintf(url, sizeof url, "http://127.0.0.1:%d%s", s.port, p), url)

	/* a download: same bytes, named by the URL, then a cache hit */
	CHECK(bb_fetch(U("/img.png"), cache, 5, 100000, &path, &why) == 0);
	CHECK(T_same(path, body, BODY_N));
	{
		char *name = bb_fetch_cache_name(url), *want = bb_xasprintf("%s/%s", cache, name);
		CHECK_STR(path, want);
		free(name), free(want);
	}
	{
		struct stat st;
		CHECK(stat(path, &st) == 0 && (st.st_mode & 0444) == 0444);
	}
	free(path);
	path = NULL;
	CHECK(T_hits(&s, R_IMG) == 1);
	CHECK(bb_fetch(U("/img.png"), cache, 5, 100000, &path, &why) == 0);
	CHECK(T_hits(&s, R_IMG) == 1);
	CHECK(T_same(path, body, BODY_N));
	free(path);
	path = NULL;

	/* a body exactly at the cap is accepted */
	CHECK(bb_fetch(U("/img.png?exact"), cache, 5, BODY_N, &path, &why) == 0);
	CHECK(T_same(path, body, BODY_N));
	free(path);
	path = NULL;

	/* 404 */
	why = NULL;
	CHECK(bb_fetch(U("/missing.png"), cache, 5, 100000, &path, &why) == -1);
	CHECK_STR(why, "HTTP 404");
	CHECK(path == NULL);

	/* the size cap, announced and not */
	why = NULL;
	CHECK(bb_fetch(U("/big.png"), cache, 5, 1000, &path, &why) == -1);
	CHECK_STR(why, "larger than the size cap");
	why = NULL;
	CHECK(bb_fetch(U("/bigstream.png"), cache, 5, 1000, &path, &why) == -1);
	CHECK_STR(why, "larger than the size cap");
	CHECK(T_hits(&s, R_BIGSTREAM) == 1);

	/* the time-out: about 1 s, not the server's 3 */
	why = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(bb_fetch(U("/slow.png"), cache, 1, 100000, &path, &why) == -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	CHECK_STR(why, "timed out");
	CHECK(secs >= 0.9 && secs < 2.5);
	printf("# time-out of 1 s took %.2f s\n", secs);

	/* redirects: followed to http, at most 5, never to another scheme */
	CHECK(bb_fetch(U("/redir"), cache, 5, 100000, &path, &why) == 0);
	CHECK(T_same(path, body, BODY_N));
	free(path);
	path = NULL;
	why = NULL;
	before = T_hits(&s, R_LOOP);
	CHECK(bb_fetch(U("/loop"), cache, 5, 100000, &path, &why) == -1);
	CHECK_STR(why, "too many redirects");
	CHECK(T_hits(&s, R_LOOP) - before == BB_FETCH_MAX_REDIRS + 1);
	why = NULL;
	CHECK(bb_fetch(U("/ftp"), cache, 5, 100000, &path, &why) == -1);
	CHECK_STR(why, "redirected to a non-http(s) URL");

	/* failures left no file, finished or partial: img.png, ?exact, /redir */
	CHECK(T_count(cache, &dots) == 3);
	CHECK(dots == 0);

	/* eight threads at once, each its own URL */
	{
		par p[8];
		pthread_t th[8];
		char urls[8][128];
		int i, ok = 0;
		before = T_hits(&s, R_IMG);
		for (i = 0; i < 8; i++) {
			snprintf(urls[i], sizeof urls[i], "http://127.0.0.1:%d/img.png?n=%d", s.port, i);
			memset(&p[i], 0, sizeof p[i]);
			p[i].url = urls[i];
			p[i].cache = cache;
			pthread_create(&th[i], NULL, T_par, &p[i]);
		}
		for (i = 0; i < 8; i++) {
			pthread_join(th[i], NULL);
			ok += p[i].rc == 0 && T_same(p[i].path, body, BODY_N);
			free(p[i].path);
		}
		CHECK(ok == 8);
		CHECK(T_hits(&s, R_IMG) - before == 8);
		CHECK(T_count(cache, &dots) == 11);
	}

	/* with the server stopped: a hit still works, a miss fails */
	T_server_stop(&s);
	CHECK(bb_fetch(U("/img.png"), cache, 2, 100000, &path, &why) == 0);
	CHECK(T_same(path, body, BODY_N));
	free(path);
	path = NULL;
	why = NULL;
	CHECK(bb_fetch(U("/other.png"), cache, 2, 100000, &path, &why) == -1);
	CHECK(why != NULL && strcmp(why, "timed out") != 0);
	printf("# a stopped server: %s\n", why ? why : "(null)");
	CHECK(T_count(cache, &dots) == 11 && dots == 0);
#undef U
	free(cache);
}

/* A zeroed blog is all bb_image_add_abs needs: the lock and the image map. */
static void
test_image_add_abs(const char *tmp)
{
	bb_blog b;
	const char *why = NULL;
	const char *u1 = "https://example.org/photos/My%20Cat.PNG?w=2";
	char *png = bb_xasprintf("%s/one.png", tmp), *txt = bb_xasprintf("%s/two.png", tmp);
	char *png3 = bb_xasprintf("%s/three.png", tmp);
	char real[PATH_MAX], cwd[PATH_MAX];
	long i1, i3;
	size_t k;
	memset(&b, 0, sizeof b);
	pthread_mutex_init(&b.lock, NULL);
	b.cover = -1;
	T_write(png, body, BODY_N);
	T_write(png3, body, BODY_N);
	T_write(txt, "not an image", 12);
	CHECK(realpath(png, real) != NULL);

	i1 = bb_image_add_abs(&b, png, u1, &why);
	CHECK(i1 == 0);
	if (i1 >= 0) {
		bb_image *im = &b.images[i1];
		unsigned long long h = T_fnv(u1);
		char want[64];
		size_t got;
		CHECK(im->ok);
		CHECK_STR(im->media_type, "image/png");
		CHECK_STR(im->src, real);
		CHECK(im->src[0] == '/');
		/* keyed by the file's real path, as build.c re-keys after rendering */
		CHECK(bb_map_get(&b.by_image, real, &got) && got == (size_t)i1);
		snprintf(want, sizeof want, "img/i%08llx-my-20cat.png", h & 0xffffffffULL);
		CHECK_STR(im->name, want);
		snprintf(want, sizeof want, "i%08llx", h & 0xffffffffULL);
		CHECK_STR(im->id, want);
	}
	/* the same file again, also by another spelling: the same image */
	CHECK(bb_image_add_abs(&b, png, u1, &why) == i1);
	{
		char *other = bb_xasprintf("%s/./one.png", tmp);
		CHECK(bb_image_add_abs(&b, other, u1, &why) == i1);
		free(other);
	}
	CHECK(b.nimages == 1);

	/* a missing file is not registered */
	why = NULL;
	CHECK(bb_image_add_abs(&b, "/nonexistent/x.png", "https://example.org/x.png", &why) == -1);
	CHECK_STR(why, "cannot be read");
	CHECK(b.nimages == 1);

	/* not an image, then the refusal remembered */
	why = NULL;
	CHECK(bb_image_add_abs(&b, txt, "https://example.org/two.png", &why) == -1);
	CHECK_STR(why, "is not a PNG, JPEG, GIF or SVG image (nor a WebP, AVIF, HEIC, BMP or TIFF one to convert)");
	why = NULL;
	CHECK(bb_image_add_abs(&b, txt, "https://example.org/two.png", &why) == -1);
	CHECK_STR(why, "is not an image blogbind can embed");
	CHECK(b.nimages == 2);

	/* a URL without a file name */
	i3 = bb_image_add_abs(&b, png3, "https://example.org/", &why);
	CHECK(i3 == 2);
	if (i3 >= 0)
		CHECK(strstr(b.images[i3].name, "-remote.png") != NULL);

	/* a relative path is made absolute */
	if (getcwd(cwd, sizeof cwd) && chdir(tmp) == 0) {
		CHECK(bb_image_add_abs(&b, "one.png", u1, &why) == i1);
		CHECK(chdir(cwd) == 0);
	} else
		CHECK(0);
	CHECK(b.nimages == 3);

	for (k = 0; k < b.nimages; k++) {
		free(b.images[k].src);
		free(b.images[k].name);
	}
	free(b.images);
	bb_map_free(&b.by_image);
	pthread_mutex_destroy(&b.lock);
	free(png);
	free(png3);
	free(txt);
}

int
main(void)
{
	char tmpl[] = "/tmp/bb-test-fetch-XXXXXX", *tmp;
	size_t i;
	memcpy(body, "\x89PNG\r\n\x1a\n", 8);
	for (i = 8; i < BODY_N; i++)
		body[i] = (unsigned char)(i * 131u + 7u);
	if (!(tmp = mkdtemp(tmpl))) {
		perror("mkdtemp");
		return 2;
	}
	test_is_http();
	test_cache_name();
	test_offline(tmp);
	test_server(tmp);
	test_image_add_abs(tmp);
	T_rmtree(tmp);
	return TEST_DONE();
}
