/* record.c: binary records and key hashing for the caches (record.h). */
#define _XOPEN_SOURCE 700
#include "record.h"

#include <dirent.h>
#include <errno.h>
#include <nettle/umac.h>
#include <pthread.h>
#include <unistd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>

static struct umac128_ctx S_sum0;   /* keyed, never updated */
static pthread_once_t S_sum_once = PTHREAD_ONCE_INIT;

static void
S_sum_key(void)
{
	/* any fixed key of 16 bytes: see cache.c */
	umac128_set_key(&S_sum0, (const uint8_t *)"blogbind chapter");
}

void
bb_checksum(const void *p, size_t n, unsigned char out[BB_CHECKSUM_SIZE])
{
	struct umac128_ctx h;
	pthread_once(&S_sum_once, S_sum_key);
	h = S_sum0;
	umac128_update(&h, n, p);
	umac128_digest(&h, BB_CHECKSUM_SIZE, out);
}

void
bb_rec_u32(bb_buf *o, unsigned long v)
{
	unsigned char b[4];
	int i;
	for (i = 0; i < 4; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	bb_buf_put(o, (const char *)b, 4);
}

void
bb_rec_u64(bb_buf *o, unsigned long long v)
{
	unsigned char b[8];
	int i;
	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	bb_buf_put(o, (const char *)b, 8);
}

void
bb_rec_str(bb_buf *o, const char *s, size_t n)
{
	if (!s) {
		bb_rec_u32(o, 0xffffffffUL);
		return;
	}
	bb_rec_u32(o, (unsigned long)n);
	bb_buf_put(o, s, n);
	bb_buf_putc(o, '\0');
}

void
bb_rec_cstr(bb_buf *o, const char *s)
{
	bb_rec_str(o, s, s ? strlen(s) : 0);
}

unsigned long long
bb_rec_n(bb_rec *r, int bytes)
{
	unsigned long long v = 0;
	int i;
	if (r->bad || r->n - r->off < (size_t)bytes) {
		r->bad = 1;
		return 0;
	}
	for (i = 0; i < bytes; i++)
		v |= (unsigned long long)r->p[r->off + i] << (8 * i);
	r->off += (size_t)bytes;
	return v;
}

const char *
bb_rec_s(bb_rec *r)
{
	unsigned long long n = bb_rec_n(r, 4);
	const char *s;
	if (r->bad || n == 0xffffffffULL)
		return NULL;
	if (r->n - r->off < n + 1 || r->p[r->off + n] != '\0') {
		r->bad = 1;
		return NULL;
	}
	s = (const char *)r->p + r->off;
	r->off += (size_t)n + 1;
	return s;
}

void
bb_rec_skip(bb_rec *r, unsigned count, const char *shape)
{
	unsigned i;
	const char *c;
	for (i = 0; i < count && !r->bad; i++)
		for (c = shape; *c; c++)
			if (*c == 'u')
				bb_rec_n(r, 4);
			else
				bb_rec_s(r);
}

void
bb_rec_diags(bb_buf *o, const bb_diag_rec *v, size_t n)
{
	size_t i;
	bb_rec_u32(o, (unsigned long)n);
	for (i = 0; i < n; i++) {
		bb_rec_u32(o, (unsigned long)v[i].severity);
		bb_rec_u32(o, (unsigned long)v[i].outside);
		bb_rec_cstr(o, v[i].path);
		bb_rec_u32(o, v[i].line);
		bb_rec_u32(o, v[i].col);
		bb_rec_cstr(o, v[i].message);
	}
}

void
bb_rec_diags_replay(bb_rec *r, unsigned long long count, bb_diaglist *dl)
{
	unsigned long long i;
	for (i = 0; i < count && !r->bad; i++) {
		bb_severity sev = (bb_severity)bb_rec_n(r, 4);
		int outside = (int)bb_rec_n(r, 4);
		const char *path = bb_rec_s(r);
		unsigned line = (unsigned)bb_rec_n(r, 4), col = (unsigned)bb_rec_n(r, 4);
		const char *msg = bb_rec_s(r);
		if (r->bad)
			break;
		if (outside)
			bb_diag_add_file(dl, sev, path, line, col, "%s", msg ? msg : "");
		else
			bb_diag_add(dl, sev, path, line, col, "%s", msg ? msg : "");
	}
}

int
bb_write_whole(const char *tmp_prefix, const char *final, const char *data, size_t len)
{
	char *tmp = bb_xasprintf("%s-XXXXXX", tmp_prefix);
	int fd, rc = -1;
	if ((fd = mkstemp(tmp)) >= 0) {
		size_t off = 0;
		while (off < len) {
			ssize_t w = write(fd, data + off, len - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			off += (size_t)w;
		}
		fchmod(fd, 0644);
		if (close(fd) == 0 && off == len && rename(tmp, final) == 0)
			rc = 0;
		else
			unlink(tmp);
	}
	free(tmp);
	return rc;
}

int
bb_write_summed(const char *tmp_prefix, const char *final, struct iovec *iov, size_t n)
{
	struct umac128_ctx h;
	unsigned char sum[BB_CHECKSUM_SIZE];
	char *tmp = bb_xasprintf("%s-XXXXXX", tmp_prefix);
	size_t i = 0, k;
	int fd, rc = -1;
	pthread_once(&S_sum_once, S_sum_key);
	h = S_sum0;
	for (k = 0; k < n; k++)
		umac128_update(&h, iov[k].iov_len, iov[k].iov_base);
	umac128_digest(&h, BB_CHECKSUM_SIZE, sum);
	if ((fd = mkstemp(tmp)) < 0)
		goto out;
	/* the pieces as they lie, a few system calls for thousands of them;
	 * a short write moves on within the piece it stopped in (iov is
	 * changed) */
	while (i < n) {
		int cnt = n - i > 1024 ? 1024 : (int)(n - i);
		ssize_t w = writev(fd, iov + i, cnt);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		while (i < n && (size_t)w >= iov[i].iov_len)
			w -= (ssize_t)iov[i++].iov_len;
		if (i < n && w > 0) {
			iov[i].iov_base = (char *)iov[i].iov_base + w;
			iov[i].iov_len -= (size_t)w;
		}
	}
	fchmod(fd, 0644);
	if (i == n && bb_pwrite_all(fd, sum, sizeof sum, (unsigned long long)lseek(fd, 0, SEEK_END)) == 0 &&
	    close(fd) == 0) {
		fd = -1;
		if (rename(tmp, final) == 0)
			rc = 0;
	}
	if (fd >= 0)
		close(fd);
	if (rc != 0)
		unlink(tmp);
out:
	free(tmp);
	return rc;
}

void
bb_h_bytes(struct sha256_ctx *h, const void *p, size_t n)
{
	/* the length in 7-bit groups, low first, the high bit set on all but
	 * the last (prefix-free, so values stay apart): one byte for a short
	 * string, where eight were three tenths of a rebind's post keys */
	unsigned char len[10];
	unsigned long long v = (unsigned long long)n;
	size_t k = 0;
	while (v >= 0x80) {
		len[k++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	len[k++] = (unsigned char)v;
	sha256_update(h, k, len);
	sha256_update(h, n, p);
}

void
bb_h_str(struct sha256_ctx *h, const char *s)
{
	if (!s)
		bb_h_bytes(h, "\xff", 1), sha256_update(h, 1, (const uint8_t *)"N");
	else
		bb_h_bytes(h, s, strlen(s));
}

void
bb_h_int(struct sha256_ctx *h, long long v)
{
	/* "%lld" by hand: a key hashes some 20 numbers a post, and snprintf
	 * was two fifths of a rebind's keys */
	char num[24];
	char *s = num + sizeof num;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--s = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--s = '-';
	bb_h_bytes(h, s, (size_t)(num + sizeof num - s));
}

void
bb_h_list(struct sha256_ctx *h, char *const *v, size_t n)
{
	size_t i;
	bb_h_int(h, (long long)n);
	for (i = 0; i < n; i++)
		bb_h_str(h, v[i]);
}

void
bb_h_file(struct sha256_ctx *h, const char *path, size_t max)
{
	char *data = NULL;
	size_t len = 0;
	if (bb_read_file(path, max, &data, &len) == 0)
		bb_h_bytes(h, data, len);
	else
		bb_h_str(h, "-");
	free(data);
}

static int
S_cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

void
bb_h_tree(struct sha256_ctx *h, const char *dir, int depth, size_t file_max)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	if (depth < 0 || !(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap)
			names = bb_xrealloc(names, (cap = cap ? cap * 2 : 16) * sizeof *names);
		names[n++] = bb_xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, S_cmp_str);
	for (i = 0; i < n; i++) {
		char *p = bb_xasprintf("%s/%s", dir, names[i]);
		struct stat st;
		bb_h_str(h, names[i]);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			bb_h_tree(h, p, depth - 1, file_max);
		else if (S_ISREG(st.st_mode))
			bb_h_file(h, p, file_max);
		free(p);
		free(names[i]);
	}
	free(names);
}

void
bb_hex(const unsigned char *d, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;
	for (i = 0; i < n; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * n] = '\0';
}

int
bb_unhex32(const char *key, unsigned char out[32])
{
	int i;
	for (i = 0; i < 64; i++) {
		int c = key[i], v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return -1;
		if (i % 2 == 0)
			out[i / 2] = (unsigned char)(v << 4);
		else
			out[i / 2] |= (unsigned char)v;
	}
	return 0;
}
