/* util.c: the out-of-memory policy, byte buffers, UTF-8 and hashing helpers. */
#define _POSIX_C_SOURCE 200809L
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

static void
S_oom(size_t n)
{
	fprintf(stderr, "blogbind: out of memory (asked for %zu bytes)\n", n);
	abort();
}

void *
bb_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		S_oom(n);
	return p;
}

void *
bb_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		S_oom(n * size);
	return p;
}

void *
bb_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		S_oom(n);
	return q;
}

char *
bb_xstrdup(const char *s)
{
	return bb_xstrndup(s, strlen(s));
}

char *
bb_xstrndup(const char *s, size_t n)
{
	char *p = bb_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
bb_xvasprintf(const char *fmt, va_list ap)
{
	char *p;
	va_list aq;
	int n;
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		n = 0;
	p = bb_xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
bb_xasprintf(const char *fmt, ...)
{
	char *p;
	va_list ap;
	va_start(ap, fmt);
	p = bb_xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void
bb_buf_grow(bb_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = bb_xrealloc(b->data, cap);
	b->cap = cap;
}

void
bb_buf_put(bb_buf *b, const void *p, size_t n)
{
	bb_buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
bb_buf_puts(bb_buf *b, const char *s)
{
	bb_buf_put(b, s, strlen(s));
}

void
bb_buf_put_dec(bb_buf *b, long long v, int width)
{
	char d[24];
	int n = 0, neg = v < 0;
	/* as unsigned: -LLONG_MIN overflows a long long */
	unsigned long long u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		d[n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (neg)
		bb_buf_putc(b, '-');
	for (width -= n + neg; width > 0; width--)
		bb_buf_putc(b, '0');
	while (n > 0)
		bb_buf_putc(b, d[--n]);
}

char *
bb_xpath(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	char *r = bb_xmalloc(na + nb + 2);
	memcpy(r, a, na);
	r[na] = '/';
	memcpy(r + na + 1, b, nb + 1);
	return r;
}

void
bb_buf_printf(bb_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	bb_buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	if (b->data)
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* bb_buf_put_xml (text 0) and bb_buf_put_xml_text (text 1). */
static void
S_put_escaped(bb_buf *b, const char *s, size_t n, int text)
{
	size_t i, start = 0;
	for (i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': if (text) continue; rep = "&quot;"; break;
		case '\'': if (text) continue; rep = "&#39;"; break;
		case '\r': if (!text) continue; rep = i + 1 < n && s[i + 1] == '\n' ? "" : "\n"; break;
		default: continue;
		}
		bb_buf_put(b, s + start, i - start);
		bb_buf_puts(b, rep);
		start = i + 1;
	}
	bb_buf_put(b, s + start, n - start);
}

void
bb_buf_put_xml(bb_buf *b, const char *s, size_t n)
{
	S_put_escaped(b, s, n, 0);
}

void
bb_buf_put_xml_text(bb_buf *b, const char *s, size_t n)
{
	S_put_escaped(b, s, n, 1);
}

void
bb_buf_reset(bb_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *
bb_buf_detach(bb_buf *b, size_t *len)
{
	char *p;
	if (!b->data)
		bb_buf_grow(b, 0), b->data[0] = '\0';
	p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
bb_buf_free(bb_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
bb_buf_put_utf8(bb_buf *b, unsigned cp)
{
	unsigned char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xC0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xE0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xF0 | (cp >> 18));
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (unsigned char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	bb_buf_put(b, u, n);
}

int
bb_is_cjk(unsigned cp)
{
	return (cp >= 0x1100 && cp <= 0x11FF) ||   /* Hangul Jamo */
	       (cp >= 0x2E80 && cp <= 0x2FDF) ||   /* radicals */
	       (cp >= 0x3000 && cp <= 0x303F) ||   /* CJK symbols and punctuation */
	       (cp >= 0x3040 && cp <= 0x30FF) ||   /* kana */
	       (cp >= 0x3100 && cp <= 0x31FF) ||   /* bopomofo, kana ext */
	       (cp >= 0x3200 && cp <= 0x4DBF) ||   /* enclosed, ext A */
	       (cp >= 0x4E00 && cp <= 0x9FFF) ||   /* unified ideographs */
	       (cp >= 0xA960 && cp <= 0xA97F) ||
	       (cp >= 0xAC00 && cp <= 0xD7FF) ||   /* Hangul syllables */
	       (cp >= 0xF900 && cp <= 0xFAFF) ||   /* compatibility ideographs */
	       (cp >= 0xFE30 && cp <= 0xFE4F) ||   /* compatibility forms */
	       (cp >= 0xFF00 && cp <= 0xFFEF) ||   /* half- and full-width forms */
	       (cp >= 0x20000 && cp <= 0x3FFFF);   /* ideographs ext B.. */
}

int
bb_utf8_any(const char *s, size_t n, int (*pred)(unsigned cp))
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		int k;
		if (u[i] < 0xE1) {
			i++;
			/* eight ASCII bytes at a time */
			while (i + 8 <= n && bb_ascii8(u + i, 0))
				i += 8;
			continue;
		}
		if ((k = bb_utf8_decode(u + i, n - i, &cp)) <= 0) {
			i++;
			continue;
		}
		if (pred(cp))
			return 1;
		i += (size_t)k;
	}
	return 0;
}

unsigned long long
bb_fnv1a(unsigned long long h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

int
bb_pwrite_all(int fd, const void *p, size_t len, unsigned long long off)
{
	const char *c = p;
	size_t done = 0;
	while (done < len) {
		ssize_t r = pwrite(fd, c + done, len - done, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (!r)
				errno = EIO;
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}

int
bb_pread_all(int fd, void *p, size_t len, unsigned long long off)
{
	char *c = p;
	size_t done = 0;
	while (done < len) {
		ssize_t r = pread(fd, c + done, len - done, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (!r)
				errno = EIO;
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}

int
bb_tmp_fd(void)
{
	const char *dirs[2];
	int k, fd = -1, err = EIO;
	dirs[0] = getenv("TMPDIR");
	dirs[1] = "/tmp";
	for (k = 0; k < 2 && fd < 0; k++) {
		char *path;
		if (!dirs[k] || !*dirs[k])
			continue;
		path = bb_xasprintf("%s/blogbind-XXXXXX", dirs[k]);
		if ((fd = mkstemp(path)) >= 0)
			unlink(path);
		else
			err = errno;
		free(path);
	}
	if (fd < 0)
		errno = err;
	return fd;
}

int
bb_read_file(const char *path, size_t max, char **data, size_t *len)
{
	bb_buf b = BB_BUF_INIT;
	struct stat st;
	int fd, rc = -1, saved;

	*data = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	/* read straight into a buffer of the file's size (stdio and a chunk
	 * copied each byte twice more: a tenth of reading a post) */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		bb_buf_grow(&b, (unsigned long long)st.st_size < max ? (size_t)st.st_size + 1 : max + 1);
	for (;;) {
		ssize_t r;
		size_t want;
		if (b.cap - b.len < 2)
			bb_buf_grow(&b, 65536);
		/* one byte past max, to know the file is longer */
		want = b.cap - b.len - 1;
		if (want > max + 1 - b.len)
			want = max + 1 - b.len;
		r = read(fd, b.data + b.len, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto out;
		if (r == 0)
			break;
		b.len += (size_t)r;
		if (b.len > max) {
			b.len = max;
			b.data[max] = '\0';
			*data = bb_buf_detach(&b, len);
			close(fd);
			errno = EFBIG;
			return -1;
		}
	}
	if (!b.data)
		bb_buf_grow(&b, 0);
	b.data[b.len] = '\0';
	*data = bb_buf_detach(&b, len);
	rc = 0;
out:
	saved = errno;
	close(fd);
	bb_buf_free(&b);
	errno = saved;
	return rc;
}

unsigned
bb_utf8_at(const char *s, size_t n, size_t i, size_t *len)
{
	unsigned cp;
	int r = bb_utf8_decode((const unsigned char *)s + i, n - i, &cp);
	if (r <= 0) {
		*len = 1;
		return (unsigned char)s[i];
	}
	*len = (size_t)r;
	return cp;
}

int
bb_mkdirs(const char *dir)
{
	char *p = bb_xstrdup(dir), *s;
	struct stat st;
	int rc = -1;
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			goto out;
		*s = '/';
	}
	if (mkdir(p, 0777) != 0 && errno != EEXIST)
		goto out;
	rc = stat(p, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
out:
	free(p);
	return rc;
}

double
bb_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}
