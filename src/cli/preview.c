/* preview.c: blogbind --preview: serves the book just written and the
 * epub.js viewer of share/preview/ (compiled in, build/preview_data.c) on
 * 127.0.0.1 with libmicrohttpd, until Ctrl-C.
 * Only the names of a fixed table are answered, from memory: no request
 * path reaches the file system, so ../, %2e%2e, absolute paths and symlinks
 * have nothing to resolve and get 404. Paths are compared as sent, not
 * percent-decoded (the table's names need no escapes), so %00 cannot cut
 * one short either. */
#define _XOPEN_SOURCE 700
#include "preview.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BOOK_MAX (1024L * 1024 * 1024) /* bytes held in memory */

/* Generated from share/preview/ by tools/embed.sh. */
extern const struct {
	const char *name;
	const unsigned char *data;
	size_t len;
} bb_preview_files[];

typedef struct served {
	const char *path, *type;
	const void *data;
	size_t len;
} served;

typedef struct server {
	served files[8];
	size_t n;
} server;

static const char *
S_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot && strcmp(dot, ".html") == 0)
		return "text/html; charset=utf-8";
	if (dot && strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	return "text/plain; charset=utf-8";
}

static enum MHD_Result
S_reply(struct MHD_Connection *c, unsigned status, const served *f)
{
	static const char nothing[] = "not found\n";
	struct MHD_Response *res = f ? MHD_create_response_from_buffer(f->len, (void *)f->data, MHD_RESPMEM_PERSISTENT)
				     : MHD_create_response_from_buffer(sizeof nothing - 1, (void *)nothing, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ok;
	if (!res)
		return MHD_NO;
	MHD_add_response_header(res, "Content-Type", f ? f->type : "text/plain; charset=utf-8");
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(res, "Cache-Control", "no-store");
	ok = MHD_queue_response(c, status, res);
	MHD_destroy_response(res);
	return ok;
}

/* One request: GET or HEAD of a name in the table (url is the decoded path). */
static enum MHD_Result
S_answer(void *cls, struct MHD_Connection *c, const char *url, const char *method, const char *version,
	 const char *upload, size_t *upload_len, void **state)
{
	const server *s = cls;
	size_t i;
	(void)version;
	(void)upload;
	(void)state;
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return S_reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, NULL);
	if (*upload_len)
		return S_reply(c, MHD_HTTP_BAD_REQUEST, NULL);
	for (i = 0; i < s->n; i++)
		if (strcmp(url, s->files[i].path) == 0)
			return S_reply(c, MHD_HTTP_OK, &s->files[i]);
	return S_reply(c, MHD_HTTP_NOT_FOUND, NULL);
}

/* libmicrohttpd's unescape step: none, the path stays as sent. */
static size_t
S_as_sent(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

/* The whole book, read once: *len bytes, or NULL with a message. */
static void *
S_read_book(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || n > BOOK_MAX || fseek(f, 0, SEEK_SET) != 0 ||
	    !(buf = malloc(n ? (size_t)n : 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "blogbind: --preview: cannot read %s: %s\n", path, errno ? strerror(errno) : "too large");
		free(buf);
		buf = NULL;
	}
	if (f)
		fclose(f);
	*len = buf ? (size_t)n : 0;
	return buf;
}

/* The table: "/" and each viewer file by name, and the book as /book.epub. */
static void
S_table(server *s, const void *book, size_t len)
{
	size_t i;
	s->n = 0;
	for (i = 0; bb_preview_files[i].name && s->n + 2 < sizeof s->files / sizeof s->files[0]; i++) {
		static char paths[8][64];
		served *f = &s->files[s->n++];
		snprintf(paths[i], sizeof paths[i], "/%s", bb_preview_files[i].name);
		f->path = paths[i];
		f->type = S_type(bb_preview_files[i].name);
		f->data = bb_preview_files[i].data;
		f->len = bb_preview_files[i].len;
		if (strcmp(bb_preview_files[i].name, "index.html") == 0) {
			s->files[s->n] = *f;
			s->files[s->n++].path = "/";
		}
	}
	s->files[s->n].path = "/book.epub";
	s->files[s->n].type = "application/epub+zip";
	s->files[s->n].data = book;
	s->files[s->n++].len = len;
}

int
preview_serve(const char *book_path, long port, volatile sig_atomic_t *stop)
{
	server s;
	struct sockaddr_in addr;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	sigset_t block, old;
	size_t len;
	void *book = S_read_book(book_path, &len);
	if (!book)
		return 1;
	S_table(&s, book, len);
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((unsigned short)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* the server's thread inherits the mask: the signals come to the wait */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, S_answer, &s,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_CONNECTION_LIMIT, 32u,
			     MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_UNESCAPE_CALLBACK, S_as_sent, NULL,
			     MHD_OPTION_END);
	if (!d || !(info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT))) {
		fprintf(stderr, "blogbind: --preview: cannot listen on 127.0.0.1:%ld\n", port);
		if (d)
			MHD_stop_daemon(d);
		sigprocmask(SIG_SETMASK, &old, NULL);
		free(book);
		return 1;
	}
	printf("http://127.0.0.1:%u/\n", (unsigned)info->port);
	fflush(stdout);
	fprintf(stderr, "blogbind: previewing %s at http://127.0.0.1:%u/ (Ctrl-C stops)\n", book_path, (unsigned)info->port);
	while (!*stop) {
		sigset_t wait = old;
		sigdelset(&wait, SIGINT);
		sigdelset(&wait, SIGTERM);
		sigsuspend(&wait);
	}
	MHD_stop_daemon(d);
	sigprocmask(SIG_SETMASK, &old, NULL);
	free(book);
	fputs("blogbind: preview stopped\n", stderr);
	return 0;
}
