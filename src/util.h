/* util.h: memory policy, growable buffers and small string helpers shared by every stage. */
#ifndef BB_UTIL_H
#define BB_UTIL_H

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

/* Out-of-memory policy, stated once: these abort the program with a message
 * naming the size asked for. Every other failure is returned to the caller. */
void *bb_xmalloc(size_t n);
void *bb_xcalloc(size_t n, size_t size);
void *bb_xrealloc(void *p, size_t n);
char *bb_xstrdup(const char *s);
char *bb_xstrndup(const char *s, size_t n);
/* Returns a newly allocated string formatted like vprintf; caller frees. */
char *bb_xvasprintf(const char *fmt, va_list ap);
/* Returns a newly allocated string formatted like printf; caller frees. */
char *bb_xasprintf(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* A growable byte buffer. Always NUL-terminated after any append, so
 * `data` can be used as a C string when the content holds no NUL.
 * Initialise with BB_BUF_INIT or memset 0; release with bb_buf_free. */
typedef struct bb_buf {
	char *data;
	size_t len;
	size_t cap;
} bb_buf;
#define BB_BUF_INIT { NULL, 0, 0 }

void bb_buf_grow(bb_buf *b, size_t extra);
void bb_buf_put(bb_buf *b, const void *p, size_t n);
void bb_buf_puts(bb_buf *b, const char *s);
/* Appends byte c. Inline: the text passes call it once a character. */
static inline void
bb_buf_putc(bb_buf *b, int c)
{
	if (b->len + 2 > b->cap)
		bb_buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}
void bb_buf_printf(bb_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* Appends v in decimal, zero-padded to width characters as printf's
 * "%0*lld" writes it (a minus sign counts in the width). */
void bb_buf_put_dec(bb_buf *b, long long v, int width);
/* Returns a newly allocated "a/b" (bb_xasprintf's "%s/%s" without
 * the formatting); caller frees. */
char *bb_xpath(const char *a, const char *b);
/* Appends s with the five XML special characters escaped. */
void bb_buf_put_xml(bb_buf *b, const char *s, size_t n);
/* Appends n bytes of s as an XML parser reads them as text and libxml2
 * writes them again: & < > escaped, quotes bare, CR LF and a lone CR as LF. */
void bb_buf_put_xml_text(bb_buf *b, const char *s, size_t n);
void bb_buf_reset(bb_buf *b);
/* Hands the data to the caller (who frees it) and leaves b empty. */
char *bb_buf_detach(bb_buf *b, size_t *len);
void bb_buf_free(bb_buf *b);

/* 1 when each of the eight bytes at p is ASCII from min to 0x7F (min 0:
 * any ASCII byte; 0x20: no control character), tested as one word: a byte
 * past 0x7F has its high bit set, and the lowest byte below min borrows in
 * the subtraction and so sets its own. min is at most 0x7F. Inline: the
 * scans of a post's text call it once every eight bytes. */
static inline int
bb_ascii8(const void *p, unsigned char min)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return !((w | (w - 0x0101010101010101ULL * min)) & 0x8080808080808080ULL);
}

/* UTF-8: decodes one code point at s (at most n bytes). Returns its length
 * (1..4) and stores the code point in *cp, or returns 0 on an invalid or
 * truncated sequence (then *cp is undefined). Inline: the scans of a
 * post's text call it once a character. */
static inline int
bb_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c;
	int len, i;
	*cp = 0; /* (defined anyway: callers' compilers need not see it unused) */
	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		c &= 0x07;
	} else
		return 0;
	if ((size_t)len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates and values past U+10FFFF */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}
/* The code point at s[i] (i < n), its length in *len; a byte that starts
 * no valid sequence is returned as itself, with length 1. */
unsigned bb_utf8_at(const char *s, size_t n, size_t i, size_t *len);
/* Appends code point cp as UTF-8. */
void bb_buf_put_utf8(bb_buf *b, unsigned cp);

/* 1 when cp is a CJK character (Han, kana, Hangul, CJK punctuation,
 * full-width forms), the scripts that set no space between words. */
int bb_is_cjk(unsigned cp);
/* 1 when s[0..n) holds a code point of U+1000 or above (a lead byte of
 * 0xE1 or more) for which pred is 1; bytes below 0xE1 and ill-formed
 * sequences are passed over a byte at a time. */
int bb_utf8_any(const char *s, size_t n, int (*pred)(unsigned cp));

/* 64-bit FNV-1a hash of n bytes, continuing from h (start with BB_FNV_SEED). */
#define BB_FNV_SEED 0xcbf29ce484222325ULL
unsigned long long bb_fnv1a(unsigned long long h, const void *p, size_t n);

/* Reads a whole file into a NUL-terminated buffer, at most max bytes.
 * Returns 0, or -1 with errno set (EFBIG when the file is larger than max;
 * then *data holds the first max bytes and *len == max). Caller frees *data. */
int bb_read_file(const char *path, size_t max, char **data, size_t *len);

/* Writes len bytes of p at offset off of fd (pwrite), retrying short and
 * interrupted writes. Returns 0, or -1 with errno set (EIO for a write of
 * nothing). */
int bb_pwrite_all(int fd, const void *p, size_t len, unsigned long long off);

/* Reads len bytes at offset off of fd (pread), retrying short and
 * interrupted reads. Returns 0, or -1 with errno set (EIO at the end of
 * the file). */
int bb_pread_all(int fd, void *p, size_t len, unsigned long long off);

/* A temporary file in TMPDIR (else /tmp), made with mkstemp and unlinked
 * at once, so that no exit leaves it behind. Returns its descriptor
 * (caller closes), or -1 with errno set. */
int bb_tmp_fd(void);

/* mkdir -p: creates dir and the folders above it (mode 0777 less the
 * umask). Returns 0 when dir is a folder at the end, else -1 with errno. */
int bb_mkdirs(const char *dir);

/* Seconds on a monotonic clock, for the timings -v shows. */
double bb_now(void);

#endif
