/* post.c: reading a post: its file as UTF-8 text, its front matter, and the
 * metadata every source fills the same way (title, date, author, lists). */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "post.h"
#include "formula.h"
#include "highlight.h"
#include "langdetect.h"
#include "markdown.h"
#include "mathml.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __GLIBC__
#include <malloc.h>
#include <unistd.h>
#endif

static char *
S_dup(const char *s)
{
	return s ? bb_xstrdup(s) : NULL;
}

/* The name of an author given as a string, a map with name, or a list. */
char *
bb_fm_author(const bb_fm_node *map, const char *key)
{
	const bb_fm_node *v = bb_fm_get(map, key);
	const char *s;
	if (!v)
		return NULL;
	if (v->kind == BB_FM_SCALAR)
		return (s = bb_fm_str(map, key)) ? bb_xstrdup(s) : NULL;
	if (v->kind == BB_FM_MAP)
		return (s = bb_fm_str(v, "name")) ? bb_xstrdup(s) : NULL;
	if (v->kind == BB_FM_SEQ) {
		bb_buf b = BB_BUF_INIT;
		size_t i;
		for (i = 0; i < v->nkids; i++) {
			const bb_fm_node *k = v->kids[i]->shared ? v->kids[i]->kids[0] : v->kids[i];
			const char *name = k->kind == BB_FM_SCALAR ? k->value : bb_fm_str(k, "name");
			if (!name || !*name)
				continue;
			if (b.len)
				bb_buf_puts(&b, ", ");
			bb_buf_puts(&b, name);
		}
		return b.data ? bb_buf_detach(&b, NULL) : NULL;
	}
	return NULL;
}

/* A BCP 47 tag from what blogs write: "ja_JP" -> "ja-JP"; NULL when not a tag. */
char *
bb_lang_tag(const char *s)
{
	char *t;
	size_t i, n;
	if (!s)
		return NULL;
	n = strlen(s);
	if (n < 2 || n > 35 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]))
		return NULL;
	t = bb_xstrdup(s);
	for (i = 0; i < n; i++) {
		if (t[i] == '_')
			t[i] = '-';
		if (!isalnum((unsigned char)t[i]) && t[i] != '-') {
			free(t);
			return NULL;
		}
	}
	/* "C" and "POSIX" locales are not languages; the first subtag is 2-3 letters */
	i = strcspn(t, "-");
	if (i > 3) {
		free(t);
		return NULL;
	}
	for (i = 0; t[i] && t[i] != '-'; i++)
		t[i] = (char)tolower((unsigned char)t[i]);
	return t;
}


/* The line and column (in characters) of byte i of raw, counted from byte
 * start (after a byte-order mark); CR, LF and CRLF each end a line. */
static void
S_position(const char *raw, size_t start, size_t i, unsigned *line, unsigned *col)
{
	size_t q;
	*line = 1, *col = 1;
	for (q = start; q < i; q++) {
		if (raw[q] == '\n' || (raw[q] == '\r' && raw[q + 1] != '\n'))
			++*line, *col = 1;
		else if (raw[q] != '\r' && ((unsigned char)raw[q] & 0xC0) != 0x80)
			++*col;
	}
}

int
bb_post_read(const bb_blog *b, const bb_post *p, char **text, size_t *len, bb_diaglist *dl, int text_warnings)
{
	char *path = bb_xpath(b->root, p->path), *raw = NULL;
	size_t n = 0, i, nul = 0, start;
	bb_buf out = BB_BUF_INIT;
	unsigned bad = 0, badline = 0, badcol = 0, nulline = 0, nulcol = 0;
	int rc = -1;

	*text = NULL;
	*len = 0;
	if (bb_read_file(path, BB_MAX_POST_BYTES, &raw, &n) != 0) {
		if (errno != EFBIG) {
			if (dl)
				bb_diag_add(dl, BB_WARNING, p->path, 0, 0, "cannot read the post: %s; left out", strerror(errno));
			goto out;
		}
		if (dl && text_warnings)
			bb_diag_add(dl, BB_WARNING, p->path, 0, 0,
				    "post larger than %u MB: only its first %u MB are bound",
				    BB_MAX_POST_BYTES >> 20, BB_MAX_POST_BYTES >> 20);
	}
	/* binary: NUL bytes among many bytes that are neither text nor UTF-8
	 * in the first 8 KB; a text with a stray NUL is still a text (the NUL
	 * becomes U+FFFD below, with a warning) */
	if (memchr(raw, '\0', n < 8192 ? n : 8192)) {
		/* (without a NUL the answer is no: most posts skip the count) */
		size_t odd = 0, m = n < 8192 ? n : 8192;
		for (i = 0; i < m;) {
			unsigned char c = (unsigned char)raw[i];
			unsigned cp;
			int k = c < 0x80 ? 1 : bb_utf8_decode((const unsigned char *)raw + i, m - i, &cp);
			nul += c == '\0';
			odd += k == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b);
			i += k ? (size_t)k : 1;
		}
		if (nul && odd * 10 > m) {
			if (dl)
				bb_diag_add(dl, BB_WARNING, p->path, 0, 0, "not a text file (it holds NUL bytes); left out");
			goto out;
		}
	}
	nul = 0;
	i = 0;
	if (n >= 3 && (unsigned char)raw[0] == 0xEF && (unsigned char)raw[1] == 0xBB && (unsigned char)raw[2] == 0xBF)
		i = 3;
	start = i;
	/* the output is never longer than the input but for U+FFFD (3 bytes)
	 * standing for one bad byte */
	bb_buf_grow(&out, n - i);
	{
		/* valid bytes are copied in runs; only CR and invalid bytes stop one */
		size_t run = i;
		while (i < n) {
			unsigned char c = (unsigned char)raw[i];
			unsigned cp;
			int k;
			if (c < 0x80 && c != '\r' && c != '\0') {
				i++;
				/* eight plain ASCII bytes (no CR, no NUL) at a time */
				while (i + 8 <= n) {
					uint64_t w, cr;
					memcpy(&w, raw + i, 8);
					cr = w ^ 0x0d0d0d0d0d0d0d0dULL;
					if ((w | ((w - 0x0101010101010101ULL) & ~w) |
					     ((cr - 0x0101010101010101ULL) & ~cr)) & 0x8080808080808080ULL)
						break;
					i += 8;
				}
				continue;
			}
			/* a three-byte sequence that is never overlong nor a surrogate */
			if (((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) && i + 2 < n &&
			    ((unsigned char)raw[i + 1] & 0xC0) == 0x80 && ((unsigned char)raw[i + 2] & 0xC0) == 0x80) {
				i += 3;
				continue;
			}
			if (c >= 0x80 && (k = bb_utf8_decode((const unsigned char *)raw + i, n - i, &cp)) > 0) {
				i += (size_t)k;
				continue;
			}
			bb_buf_put(&out, raw + run, i - run);
			if (c == '\r') {
				bb_buf_putc(&out, '\n');
				i += (i + 1 < n && raw[i + 1] == '\n') ? 2 : 1;
			} else if (c == '\0') {
				if (!nul++)
					S_position(raw, start, i, &nulline, &nulcol);
				bb_buf_put(&out, "\xEF\xBF\xBD", 3);
				i++;
			} else {
				/* the position of the first bad byte, for the message */
				if (!bad++)
					S_position(raw, start, i, &badline, &badcol);
				bb_buf_put(&out, "\xEF\xBF\xBD", 3);
				i++;
			}
			run = i;
		}
		bb_buf_put(&out, raw + run, n - run);
	}
	if (bad && dl && text_warnings)
		bb_diag_add(dl, BB_WARNING, p->path, badline, badcol,
			    "invalid UTF-8: %u byte%s replaced by U+FFFD", bad, bad == 1 ? "" : "s");
	if (nul && dl && text_warnings)
		bb_diag_add(dl, BB_WARNING, p->path, nulline, nulcol,
			    "%zu NUL byte%s replaced by U+FFFD", nul, nul == 1 ? "" : "s");
	if (!out.data)
		bb_buf_grow(&out, 0), out.data[0] = '\0';
	*text = bb_buf_detach(&out, len);
	rc = 0;
out:
	free(raw);
	free(path);
	bb_buf_free(&out);
	return rc;
}

/* A copy of s fit for the book's text: bytes that are not UTF-8 and
 * control characters (a file name may hold both) become U+FFFD. */
static char *
S_clean_name(const char *s)
{
	bb_buf b = BB_BUF_INIT;
	size_t n = strlen(s), i = 0;
	bb_buf_put(&b, "", 0);
	while (i < n) {
		unsigned cp;
		int k = bb_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (k == 0 || cp < 0x20 || cp == 0x7F || cp == 0xFFFE || cp == 0xFFFF) {
			bb_buf_put(&b, "\xEF\xBF\xBD", 3);
			i += k ? (size_t)k : 1;
		} else {
			bb_buf_put(&b, s + i, (size_t)k);
			i += (size_t)k;
		}
	}
	/* kept by the post for the whole run: not in the buffer's 64 bytes */
	n = b.len;
	return bb_xrealloc(bb_buf_detach(&b, NULL), n + 1);
}

/* "YYYY-MM-DD-slug.ext" -> date, slug, basename (made fit for text, see
 * S_clean_name). Returns 1 when dated. */
static int
S_parse_name(const char *file, bb_date *d, char **slug, char **base)
{
	const char *name = strrchr(file, '/'), *dot;
	char *raw;
	int n;
	name = name ? name + 1 : file;
	dot = strrchr(name, '.');
	if (!dot || dot == name)
		dot = name + strlen(name);
	raw = bb_xstrndup(name, (size_t)(dot - name));
	*base = S_clean_name(raw);
	free(raw);
	n = bb_date_parse(*base, d, 0);
	if (n > 0 && !d->has_time && (*base)[n] == '-' && (*base)[n + 1]) {
		*slug = bb_xstrdup(*base + n + 1);
		return 1;
	}
	memset(d, 0, sizeof *d);
	/* Hugo page bundles: content/post/NAME/index.md */
	if (strcmp(*base, "index") == 0 || strcmp(*base, "_index") == 0) {
		const char *e = name - 1, *s = e;
		while (s > file && s[-1] != '/')
			s--;
		if (e > s) {
			raw = bb_xstrndup(s, (size_t)(e - s));
			*slug = S_clean_name(raw);
			free(raw);
			return 0;
		}
	}
	*slug = bb_xstrdup(*base);
	return 0;
}

/* "my-first-post" -> "My first post" */
char *
bb_title_from_slug(const char *slug)
{
	char *t = bb_xstrdup(slug), *p;
	for (p = t; *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	if (t[0] >= 'a' && t[0] <= 'z')
		t[0] = (char)(t[0] - 'a' + 'A');
	return t;
}

void
bb_strv_add(char ***v, size_t *n, const char *s)
{
	size_t i;
	if (!s || !*s)
		return;
	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return;
	if (*n >= 256)
		return;
	*v = bb_xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = bb_xstrdup(s);
}

/* A list given as a YAML sequence or a space-separated string. */
static void
S_list_field(const bb_fm_node *fm, const char *key, char ***v, size_t *n)
{
	const bb_fm_node *x = bb_fm_get(fm, key);
	size_t i;
	if (!x)
		return;
	if (x->kind == BB_FM_SCALAR) {
		const char *s = bb_fm_str(fm, key);
		char *copy, *tok, *save = NULL;
		if (!s)
			return;
		copy = bb_xstrdup(s);
		for (tok = strtok_r(copy, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save))
			bb_strv_add(v, n, tok);
		free(copy);
	} else if (x->kind == BB_FM_SEQ) {
		for (i = 0; i < x->nkids; i++) {
			const bb_fm_node *k = x->kids[i]->shared ? x->kids[i]->kids[0] : x->kids[i];
			if (k->kind == BB_FM_SCALAR)
				bb_strv_add(v, n, k->value);
		}
	}
}

static void S_free_own(bb_post *p);

void
bb_post_free(bb_post *p)
{
	size_t i;
	if (p->pack) {
		/* the block is the blog's (bb_blog_pack_posts), or the post's */
		if (p->own_pack)
			S_free_own(p);
		free(p->body);
		free(p->spooled);
		return;
	}
	free(p->path);
	free(p->slug);
	free(p->basename);
	free(p->title);
	free(p->author);
	free(p->excerpt);
	free(p->lang);
	free(p->permalink);
	for (i = 0; i < p->ncategories; i++)
		free(p->categories[i]);
	free(p->categories);
	for (i = 0; i < p->ntags; i++)
		free(p->tags[i]);
	free(p->tags);
	for (i = 0; i < p->naliases; i++)
		free(p->aliases[i]);
	free(p->aliases);
	free(p->series);
	free(p->url);
	free(p->body);
	free(p->source_url);
	free(p->source_id);
	free(p->asset_dir);
	free(p->id);
	free(p->spooled); /* the headings lie in b's file (outkeep.c) */
}

/* The strings bb_post_pack moves, in the order they are laid out. */
#define S_PACKED(p) { &(p)->path, &(p)->basename, &(p)->title, &(p)->author, &(p)->excerpt, \
		      &(p)->lang, &(p)->permalink, &(p)->series, &(p)->url, &(p)->source_url, &(p)->source_id, \
		      &(p)->asset_dir, &(p)->id }

/* Whether s lies in the block of p's own (bb_post_pack_own): its bytes
 * stand in the size_t before p->pack. */
static int
S_in_own(const bb_post *p, const void *s)
{
	uintptr_t lo, q = (uintptr_t)s;
	if (!p->own_pack)
		return 0;
	lo = (uintptr_t)((const size_t *)p->pack - 1);
	return q >= lo && q < lo + ((const size_t *)p->pack)[-1];
}

/* Frees what an own-packed post holds outside its block (what was set
 * after it was packed: its url, its id), then the block. */
static void
S_free_own(bb_post *p)
{
	char **one[] = S_PACKED(p);
	char **lists[] = { p->categories, p->tags, p->aliases };
	size_t ns[] = { p->ncategories, p->ntags, p->naliases };
	size_t i, k;
	for (i = 0; i < sizeof one / sizeof *one; i++)
		if (!S_in_own(p, *one[i]))
			free(*one[i]);
	if (!S_in_own(p, p->slug))
		free(p->slug);
	for (k = 0; k < 3; k++)
		if (lists[k] && !S_in_own(p, lists[k])) {
			for (i = 0; i < ns[k]; i++)
				free(lists[k][i]);
			free(lists[k]);
		}
	free((size_t *)p->pack - 1);
	p->pack = NULL;
	p->own_pack = 0;
}

/* Strings many posts share (their categories, tags, language, author,
 * series: 100,000 bench posts name 40 in all, 4 MB of copies), kept
 * once at the head of the blog's block (bb_blog_pack_posts): m's keys,
 * copied to base. NULL when packing a post's own block. */
typedef struct S_pool {
	bb_map m;
	char *base;
} S_pool;

/* Which of S_PACKED's strings may be shared: author, lang, series. */
static const unsigned char S_SHARED[] = { 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0 };

/* pl's copy of s (in the blog's block), or NULL. Before the block is
 * made (the posts being sized) only whether there is one counts: then
 * the map's own key. */
static char *
S_shared(const S_pool *pl, const char *s)
{
	const char *k;
	if (!pl || !s || !(k = bb_map_key(&pl->m, s)))
		return NULL;
	if (!pl->base)
		return (char *)k;
	return pl->base + (k - pl->m.arena);
}

/* Copies string *s to *at (moved on), or points it at shared when not
 * NULL, and frees the old one, unless it lies in p's own block. */
static void
S_move(const bb_post *p, char **s, char **at, char *shared)
{
	size_t n;
	if (!*s)
		return;
	if (shared) {
		if (!S_in_own(p, *s))
			free(*s);
		*s = shared;
		return;
	}
	n = strlen(*s) + 1;
	memcpy(*at, *s, n);
	if (!S_in_own(p, *s))
		free(*s);
	*s = *at;
	*at += n;
}

/* Copies list *v of n strings: its array to *arr, its strings to *at
 * (or pl's, when pl has them). */
static void
S_move_list(const bb_post *p, char ***v, size_t n, char ***arr, char **at, const S_pool *pl)
{
	size_t i;
	char **old = *v;
	if (!old)
		return;
	for (i = 0; i < n; i++) {
		(*arr)[i] = old[i];
		S_move(p, &(*arr)[i], at, S_shared(pl, old[i]));
	}
	if (!S_in_own(p, old))
		free(old);
	*v = n ? *arr : NULL;
	*arr += n;
}

/* The slug is the end of the basename (a Jekyll post's
 * "2024-01-05-slug"): where in it, or -1 when it is not. */
static long
S_slug_in_base(const bb_post *p)
{
	size_t ls, lb;
	if (!p->slug || !p->basename)
		return -1;
	ls = strlen(p->slug), lb = strlen(p->basename);
	return ls <= lb && memcmp(p->basename + lb - ls, p->slug, ls) == 0 ? (long)(lb - ls) : -1;
}

/* The bytes p's strings and lists take packed: the arrays, then each
 * string with its NUL (the slug none when it ends the basename, a string
 * pl has none); *nptr: the arrays' pointers. */
static size_t
S_pack_len(const bb_post *p, size_t *nptr, const S_pool *pl)
{
	char *const *const one[] = S_PACKED(p);
	char **const lists[] = { p->categories, p->tags, p->aliases };
	size_t ns[] = { p->ncategories, p->ntags, p->naliases };
	size_t i, k, len = 0;
	*nptr = 0;
	if (p->slug && S_slug_in_base(p) < 0)
		len += strlen(p->slug) + 1;
	for (i = 0; i < sizeof one / sizeof *one; i++)
		if (*one[i] && !(S_SHARED[i] && S_shared(pl, *one[i])))
			len += strlen(*one[i]) + 1;
	for (k = 0; k < 3; k++)
		for (i = 0; lists[k] && i < ns[k]; i++, (*nptr)++)
			if (!(k < 2 && S_shared(pl, lists[k][i])))
				len += strlen(lists[k][i]) + 1;
	return *nptr * sizeof(char *) + len;
}

/* S_pack_len rounded up for the next block's pointers; 0 for a post
 * packed in a block not its own. */
static size_t
S_pack_size(const bb_post *p, const S_pool *pl)
{
	size_t nptr, len = p->pack && !p->own_pack ? 0 : S_pack_len(p, &nptr, pl);
	return (len + sizeof(char *) - 1) / sizeof(char *) * sizeof(char *);
}

size_t
bb_post_pack_size(const bb_post *p)
{
	return S_pack_size(p, NULL);
}

/* bb_post_pack, the strings pl has pointed at its copies (pl may be
 * NULL). Returns the bytes of block used, as S_pack_size. */
static size_t
S_pack(bb_post *p, void *block, const S_pool *pl)
{
	char **one[] = S_PACKED(p);
	char ***lists[] = { &p->categories, &p->tags, &p->aliases };
	size_t ns[] = { p->ncategories, p->ntags, p->naliases };
	size_t i, k, nptr, len;
	char **arr = block, *at;
	long slug;
	if (p->pack && !p->own_pack)
		return 0;
	len = S_pack_len(p, &nptr, pl);
	slug = S_slug_in_base(p);
	/* the lists' arrays first, aligned, then every string */
	at = (char *)(arr + nptr);
	for (k = 0; k < 3; k++)
		S_move_list(p, lists[k], ns[k], &arr, &at, k < 2 ? pl : NULL);
	for (i = 0; i < sizeof one / sizeof *one; i++)
		S_move(p, one[i], &at, S_SHARED[i] ? S_shared(pl, *one[i]) : NULL);
	if (slug < 0)
		S_move(p, &p->slug, &at, NULL);
	else {
		if (!S_in_own(p, p->slug))
			free(p->slug);
		p->slug = p->basename + slug;
	}
	if (p->own_pack)
		free((size_t *)p->pack - 1);
	p->own_pack = 0;
	p->pack = block;
	return (len + sizeof(char *) - 1) / sizeof(char *) * sizeof(char *);
}

void
bb_post_pack(bb_post *p, void *block)
{
	S_pack(p, block, NULL);
}

void
bb_post_pack_own(bb_post *p)
{
	size_t n;
	size_t *block;
	if (p->pack)
		return;
	n = bb_post_pack_size(p);
	block = bb_xmalloc(sizeof *block + n);
	block[0] = sizeof *block + n;
	bb_post_pack(p, block + 1);
	p->own_pack = 1;
}

/* by_name again, its keys (each post's basename and path, collect.c)
 * the packed ones instead of copies. Kept as it was if it held anything
 * else. */
static void
S_names_packed(bb_blog *b)
{
	bb_map m;
	size_t i, pos = 0, v, t;
	const char *key;
	memset(&m, 0, sizeof m);
	bb_map_reserve(&m, b->by_name.n);
	for (i = 0; i < b->nposts; i++) {
		bb_map_put_at(&m, b->packs, (size_t)(b->posts[i].basename - b->packs), i);
		bb_map_put_at(&m, b->packs, (size_t)(b->posts[i].path - b->packs), i);
	}
	while (m.n == b->by_name.n && bb_map_next(&b->by_name, &pos, &key, &t))
		if (!bb_map_get(&m, key, &v) || v != t) {
			bb_map_free(&m);
			return;
		}
	if (m.n != b->by_name.n) {
		bb_map_free(&m);
		return;
	}
	bb_map_free(&b->by_name);
	b->by_name = m;
}

/* Puts in pl the strings of p's that many posts may share (S_pool). */
static void
S_pool_put(S_pool *pl, const bb_post *p)
{
	size_t i;
	if (p->pack && !p->own_pack)
		return;
	for (i = 0; i < p->ncategories; i++)
		bb_map_put(&pl->m, p->categories[i], 0);
	for (i = 0; i < p->ntags; i++)
		bb_map_put(&pl->m, p->tags[i], 0);
	if (p->author)
		bb_map_put(&pl->m, p->author, 0);
	if (p->lang)
		bb_map_put(&pl->m, p->lang, 0);
	if (p->series)
		bb_map_put(&pl->m, p->series, 0);
}

void
bb_blog_pack_posts(bb_blog *b)
{
	size_t i, len, head;
	char *at;
	S_pool pl;
	if (b->packs || !b->nposts)
		return;
	memset(&pl, 0, sizeof pl);
	for (i = 0; i < b->nposts; i++)
		S_pool_put(&pl, &b->posts[i]);
	head = (pl.m.used + sizeof(char *) - 1) / sizeof(char *) * sizeof(char *);
	for (i = 0, len = head; i < b->nposts; i++)
		len += S_pack_size(&b->posts[i], &pl);
	b->packs = bb_xmalloc(len ? len : 1);
	if (pl.m.used)
		memcpy(b->packs, pl.m.arena, pl.m.used);
	pl.base = b->packs;
	at = b->packs + head;
	for (i = 0; i < b->nposts; i++) {
		at += S_pack(&b->posts[i], at, &pl);
#ifdef __GLIBC__
		/* the old strings' pages go back as the new block fills, or
		 * both are resident at once (100,000 posts: 142 MB peak RSS
		 * there, 20 MB over the rest of the run) */
		if (i % 4096 == 4095)
			malloc_trim(0);
#endif
	}
	bb_map_free(&pl.m);
	/* the map keeps 32-bit offsets: past 4 GB of strings, its own keys */
	if (len <= UINT32_MAX)
		S_names_packed(b);
#ifdef __GLIBC__
	/* the small blocks freed lie between the ones still used: whole pages
	 * of them go back only when asked */
	malloc_trim(0);
#endif
}

void
bb_post_meta(bb_diaglist *dl, bb_post *p, const bb_fm_node *tree, int *dated)
{
	const char *s;
	const bb_fm_node *t = bb_fm_get(tree, "title");
	if ((s = bb_fm_str(tree, "title")))
		p->title = bb_xstrdup(s);
	else if (t && t->kind != BB_FM_SCALAR)
		bb_diag_add(dl, BB_WARNING, p->path, t->line, t->col, "title is not a string; ignored");
	if ((s = bb_fm_str(tree, "date"))) {
		bb_date d;
		if (bb_date_parse(s, &d, 1) > 0)
			p->date = d, *dated = 1;
		else {
			const bb_fm_node *dn = bb_fm_get(tree, "date");
			bb_diag_add(dl, BB_WARNING, p->path, dn->line, dn->col,
				    "unreadable date '%s'; %s", s,
				    *dated ? "the file name's date is used" : "the post is placed last");
		}
	}
	if ((s = bb_fm_str(tree, "slug"))) {
		free(p->slug);
		p->slug = bb_xstrdup(s);
	}
	p->author = bb_fm_author(tree, "author");
	if ((s = bb_fm_str(tree, "excerpt")) || (s = bb_fm_str(tree, "description")) ||
	    (s = bb_fm_str(tree, "summary")))
		p->excerpt = bb_xstrdup(s);
	p->lang = bb_lang_tag(bb_fm_str(tree, "lang"));
	if (!p->lang)
		p->lang = bb_lang_tag(bb_fm_str(tree, "language"));
	p->permalink = S_dup(bb_fm_str(tree, "permalink"));
	if (!p->permalink)
		p->permalink = S_dup(bb_fm_str(tree, "url"));
	S_list_field(tree, "categories", &p->categories, &p->ncategories);
	S_list_field(tree, "category", &p->categories, &p->ncategories);
	S_list_field(tree, "tags", &p->tags, &p->ntags);
	S_list_field(tree, "tag", &p->tags, &p->ntags);
	S_list_field(tree, "aliases", &p->aliases, &p->naliases);
	p->series = S_dup(bb_fm_str(tree, "series"));
	if (!p->series) {
		const bb_fm_node *sn = bb_fm_get(tree, "series");
		if (sn && sn->kind == BB_FM_SEQ && sn->nkids && sn->kids[0]->value)
			p->series = bb_xstrdup(sn->kids[0]->value);
	}
	if ((s = bb_fm_str(tree, "part")))
		p->part = strtol(s, NULL, 10);
	p->published = bb_fm_bool(tree, "published", 1);
	if (bb_fm_bool(tree, "draft", 0))
		p->draft = 1;
}

void
bb_post_finish(bb_diaglist *dl, bb_post *p, const char *cats, int dated)
{
	/* Folders above _posts are categories too, as in Jekyll. */
	if (cats) {
		char *copy = bb_xstrdup(cats), *tok, *save = NULL;
		for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
			bb_strv_add(&p->categories, &p->ncategories, tok);
		free(copy);
	}
	if (!p->title || !*p->title) {
		free(p->title);
		p->title = bb_title_from_slug(p->slug);
	}
	if (!dated && !p->draft)
		bb_diag_add(dl, BB_NOTE, p->path, 0, 0, "no date in the file name or front matter");
	bb_date_ymd(&p->date, p->ymd);
}

bb_fm_node *
bb_post_fm(bb_diaglist *dl, const bb_post *p, const char *text, size_t len)
{
	size_t fm, fmlen, body;
	unsigned body_line;
	int toml = 0, split;
	bb_fm_node *tree = NULL;
	bb_fm_problem prob;

	split = bb_fm_split(text, len, &fm, &fmlen, &body, &body_line, &toml);
	if (split < 0)
		bb_diag_add(dl, BB_WARNING, p->path, 1, 1,
			    "front matter opened by '---' is never closed; the whole file is read as the post's text");
	if (split > 0 && toml == 2) {
		bb_diag_add(dl, BB_WARNING, p->path, 1, 1,
			    "JavaScript front matter is code: blogbind does not run it, so its title, date and tags are "
			    "not read (the file name gives them)");
		split = 0;
	}
	if (split > 0) {
		tree = toml ? bb_fm_parse_toml(text + fm, fmlen, 2, &prob) : bb_fm_parse(text + fm, fmlen, 2, &prob);
		if (prob.line)
			bb_diag_add(dl, BB_WARNING, p->path, prob.line, prob.col,
				    "%s; the post is kept with what could be read", prob.message);
		if (tree && tree->kind != BB_FM_MAP) {
			bb_diag_add(dl, BB_WARNING, p->path, 2, 1, "front matter is not a mapping; ignored");
			bb_fm_free(tree);
			tree = NULL;
		}
	}
	return tree;
}

/* The math scanner's dialect for p, as the render will read it
 * (markdown.c's bb_formula_mark call). */
static int
S_math_dialect(const bb_blog *b, const bb_post *p)
{
	if (p->is_html)
		return BB_FORMULA_HTML;
	if (b->dialect >= BB_DIALECT_KRAMDOWN_GFM && b->dialect <= BB_DIALECT_KRAMDOWN_LEGACY)
		return BB_MATHSCAN_KRAMDOWN;
	return b->dialect == BB_DIALECT_GOLDMARK ? BB_MATHSCAN_GOLDMARK : BB_MATHSCAN_COMMONMARK;
}

int
bb_post_from_file(bb_blog *b, bb_post *p, const bb_found *fd, int need_date, bb_post_meta_fn meta,
		  bb_diaglist *dl)
{
	char *text = NULL;
	size_t len;
	int dated;
	bb_fm_node *tree;
	bb_date fdate;
	int m;

	p->path = bb_xstrdup(fd->path);
	p->draft = fd->draft;
	p->published = 1;
	p->is_html = bb_ext_is(fd->path, (const char *const[]){ "html", "htm", NULL });
	dated = S_parse_name(fd->path, &fdate, &p->slug, &p->basename);
	if (dated)
		p->date = fdate;
	else if (!fd->draft && need_date) {
		/* Jekyll reads as posts only the files named YYYY-MM-DD-title */
		bb_diag_add(dl, BB_NOTE, fd->path, 0, 0, "not a post: the name does not start with a date");
		return -1;
	}
	if (bb_post_read(b, p, &text, &len, dl, 0) != 0)
		return -1;
	/* a post that will ask Node.js (jsnode.h) for KaTeX or highlight.js
	 * has it start and load them now, while the other posts are read */
	if (b->opt.highlight != 0 && bb_highlight_sniff(text, len)) {
		bb_highlight_prewarm(text, len);
		p->wants_node = 1;
	}
	m = b->opt.math != 0 ? bb_formula_sniff(text, len, S_math_dialect(b, p)) : 0;
	if (m == 2)
		bb_math_prewarm();
	if (m)
		p->wants_node = 1;
	tree = bb_post_fm(dl, p, text, len);
	if (tree)
		bb_post_meta(dl, p, tree, &dated);
	if (meta)
		meta(b, p, tree, text, len, &dated);
	if (!p->lang) {
		/* the blog does not say: the scripts of the text do */
		const char *l = bb_lang_detect(text, len);
		if (l) {
			p->lang = bb_xstrdup(l);
			p->lang_detected = 1;
		}
	}
	bb_post_finish(dl, p, fd->cats, dated);
	bb_fm_free(tree);
	free(text);
	return 0;
}

/* As asked (bb_blog_write refuses more than BB_MAX_JOBS), or one per
 * core up to 8. */
int
bb_blog_threads(const bb_blog *b)
{
	int n = b->opt.jobs;
	if (n <= 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		n = c > 0 ? (int)c : 1;
		if (n > 8)
			n = 8;
	}
	return n > BB_MAX_JOBS ? BB_MAX_JOBS : n;
}
