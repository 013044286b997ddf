/* fetch.c: remote images for offline books: http(s) downloads into a cache folder with libcurl, and their registration as images of the book. */
#define _XOPEN_SOURCE 700
#include "fetch.h"
#include "archive.h"
#include "curlapi.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef BB_VERSION
#define BB_VERSION "0"
#endif

/* Status codes get static messages, so *why needs no freeing: "HTTP 404". */
#define S_CODE_MIN 100
#define S_CODE_MAX 599
static char S_codes[S_CODE_MAX - S_CODE_MIN + 1][24];
static CURLcode S_init_rc = CURLE_FAILED_INIT;
static pthread_once_t S_once = PTHREAD_ONCE_INIT;
/* libcurl, loaded by the first download (curlapi.h), and why not */
static const bb_curl_api *S_curl;
static const char *S_load_why;

static void
S_init(void)
{
	int c;
	for (c = S_CODE_MIN; c <= S_CODE_MAX; c++)
		snprintf(S_codes[c - S_CODE_MIN], sizeof S_codes[0], "HTTP %d", c);
	if ((S_curl = bb_curl_api_get(&S_load_why)))
		S_init_rc = S_curl->global_init(CURL_GLOBAL_DEFAULT);
}

static const char *
S_http_code(long code)
{
	if (code < S_CODE_MIN || code > S_CODE_MAX)
		return "unexpected HTTP status";
	return S_codes[code - S_CODE_MIN];
}

/* Length of the "http://" or "https://" prefix (scheme in any case), 0
 * when url starts with neither. */
static size_t
S_http_prefix(const char *url)
{
	static const char *const schemes[] = { "http://", "https://" };
	size_t i, k, n;
	for (i = 0; i < 2; i++) {
		n = strlen(schemes[i]);
		for (k = 0; k < n && tolower((unsigned char)url[k]) == schemes[i][k]; k++)
			;
		if (k == n)
			return n;
	}
	return 0;
}

int
bb_fetch_is_http(const char *url)
{
	size_t n;
	const unsigned char *s;
	if (!url || !(n = S_http_prefix(url)))
		return 0;
	if (url[n] == '\0' || url[n] == '/' || url[n] == '?' || url[n] == '#')
		return 0;
	for (s = (const unsigned char *)url; *s; s++)
		if (*s <= 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

/* The URL's path (after scheme and host, before query and fragment) as
 * start and length; the whole string up to '?' or '#' when it has no
 * scheme. */
static const char *
S_url_path(const char *url, size_t *len)
{
	const char *s = strstr(url, "://");
	if (s && strcspn(url, "/?#") > (size_t)(s - url)) {
		s += 3;
		s += strcspn(s, "/?#");
	} else
		s = url;
	*len = strcspn(s, "?#");
	return s;
}

/* The last segment of the URL's path, as start and length. */
static const char *
S_url_base(const char *url, size_t *len)
{
	size_t n, i;
	const char *p = S_url_path(url, &n);
	for (i = n; i > 0 && p[i - 1] != '/'; i--)
		;
	*len = n - i;
	return p + i;
}

char *
bb_fetch_cache_name(const char *url)
{
	size_t n, i, dot = 0;
	const char *base = S_url_base(url, &n);
	unsigned long long h = bb_fnv1a(BB_FNV_SEED, url, strlen(url));
	bb_buf nm = BB_BUF_INIT;
	int ok = 1;
	bb_buf_printf(&nm, "%016llx", h);
	for (i = n; i > 0; i--)
		if (base[i - 1] == '.') {
			dot = i;
			break;
		}
	if (dot && dot > 1 && n - dot >= 1 && n - dot <= 5) {
		for (i = dot; i < n; i++)
			if (!isalnum((unsigned char)base[i]) || (unsigned char)base[i] >= 0x80)
				ok = 0;
		if (ok) {
			bb_buf_putc(&nm, '.');
			for (i = dot; i < n; i++)
				bb_buf_putc(&nm, tolower((unsigned char)base[i]));
		}
	}
	return bb_buf_detach(&nm, NULL);
}

typedef struct sink {
	FILE *f;
	size_t n, max;
	int too_big, write_failed;
} sink;

static size_t
S_write(char *data, size_t size, size_t nmemb, void *ctx)
{
	sink *k = ctx;
	size_t len = size * nmemb;
	if (k->max && (len > k->max || k->n > k->max - len)) {
		k->too_big = 1;
		return 0;
	}
	if (fwrite(data, 1, len, k->f) != len) {
		k->write_failed = 1;
		return 0;
	}
	k->n += len;
	return len;
}

static int
S_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	(void)ctx, (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return bb_interrupted() ? 1 : 0;
}

/* Runs the transfer into k->f. Returns 0 or -1 with *why. */
static int
S_download(const char *url, long timeout_s, sink *k, const char **why)
{
	CURL *c = S_curl->easy_init();
	CURLcode rc;
	long code = 0;
	int r = -1;
	if (!c) {
		*why = "cannot start libcurl";
		return -1;
	}
	S_curl->easy_setopt(c, CURLOPT_URL, url);
	/* no SIGALRM for time-outs: we run on worker threads */
	S_curl->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	S_curl->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	S_curl->easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	S_curl->easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	S_curl->easy_setopt(c, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	S_curl->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	S_curl->easy_setopt(c, CURLOPT_MAXREDIRS, (long)BB_FETCH_MAX_REDIRS);
	S_curl->easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	if (timeout_s > 0) {
		S_curl->easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout_s);
		S_curl->easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
	}
	if (k->max)
		/* refuses early when the server announces a larger body */
		S_curl->easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)k->max);
	S_curl->easy_setopt(c, CURLOPT_USERAGENT, "blogbind/" BB_VERSION);
	/* decoded bytes are what S_write counts against the cap */
	S_curl->easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	S_curl->easy_setopt(c, CURLOPT_WRITEFUNCTION, S_write);
	S_curl->easy_setopt(c, CURLOPT_WRITEDATA, k);
	S_curl->easy_setopt(c, CURLOPT_XFERINFOFUNCTION, S_progress);
	S_curl->easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	rc = S_curl->easy_perform(c);
	S_curl->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	switch (rc) {
	case CURLE_OK:
		/* a 3xx left unfollowed (no Location) is not the image */
		if (code >= 200 && code < 300)
			r = 0;
		else
			*why = S_http_code(code);
		break;
	case CURLE_OPERATION_TIMEDOUT:
		*why = "timed out";
		break;
	case CURLE_FILESIZE_EXCEEDED:
		*why = "larger than the size cap";
		break;
	case CURLE_WRITE_ERROR:
		*why = k->too_big ? "larger than the size cap" : k->write_failed ? "cannot write the cache"
										: S_curl->easy_strerror(rc);
		break;
	case CURLE_HTTP_RETURNED_ERROR:
		*why = S_http_code(code);
		break;
	case CURLE_TOO_MANY_REDIRECTS:
		*why = "too many redirects";
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
		/* the first URL was checked, so this was a redirect */
		*why = "redirected to a non-http(s) URL";
		break;
	case CURLE_ABORTED_BY_CALLBACK:
		*why = "interrupted";
		break;
	default:
		*why = S_curl->easy_strerror(rc);
		break;
	}
	S_curl->easy_cleanup(c);
	return r;
}

int
bb_fetch(const char *url, const char *cache_dir, long timeout_s, size_t max_bytes, char **path,
	 const char **why)
{
	char *name = NULL, *final = NULL, *tmp = NULL;
	struct stat st;
	sink k;
	int fd = -1, rc = -1;

	*path = NULL;
	memset(&k, 0, sizeof k);
	k.max = max_bytes;
	pthread_once(&S_once, S_init);
	if (!bb_fetch_is_http(url)) {
		*why = "not an http(s) URL";
		return -1;
	}
	if (S_init_rc != CURLE_OK) {
		*why = S_load_why ? S_load_why : "cannot start libcurl";
		return -1;
	}
	if (!cache_dir || !*cache_dir) {
		*why = "cannot write the cache";
		return -1;
	}
	name = bb_fetch_cache_name(url);
	final = bb_xasprintf("%s/%s", cache_dir, name);
	if (stat(final, &st) == 0 && S_ISREG(st.st_mode)) {
		if (max_bytes && (unsigned long long)st.st_size > max_bytes) {
			*why = "larger than the size cap";
			goto out;
		}
		*path = final;
		final = NULL;
		rc = 0;
		goto out;
	}
	if (bb_mkdirs(cache_dir) != 0) {
		*why = "cannot write the cache";
		goto out;
	}
	/* a dot name, so a reader of the folder sees only finished files */
	tmp = bb_xasprintf("%s/.%s.XXXXXX", cache_dir, name);
	if ((fd = mkstemp(tmp)) < 0) {
		free(tmp);
		tmp = NULL;
		*why = "cannot write the cache";
		goto out;
	}
	if (!(k.f = fdopen(fd, "wb"))) {
		*why = "cannot write the cache";
		goto out;
	}
	fd = -1;
	/* mkstemp makes it 0600; a cache is shared like the blog */
	fchmod(fileno(k.f), 0644);
	if (S_download(url, timeout_s, &k, why) != 0)
		goto out;
	if (fflush(k.f) != 0 || fsync(fileno(k.f)) != 0) {
		*why = "cannot write the cache";
		goto out;
	}
	{
		int closed = fclose(k.f);
		k.f = NULL;
		if (closed != 0 || rename(tmp, final) != 0) {
			*why = "cannot write the cache";
			goto out;
		}
	}
	free(tmp);
	tmp = NULL;
	*path = final;
	final = NULL;
	rc = 0;
out:
	if (k.f)
		fclose(k.f);
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	free(final);
	free(name);
	return rc;
}

long
bb_image_add_abs(bb_blog *b, const char *path, const char *url, const char **why)
{
	size_t bn;
	const char *base = S_url_base(url, &bn);
	return bb_image_add_file(b, path, url, base, bn, why);
}
