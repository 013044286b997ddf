/* cachepack.c: the chapter cache's packs (cachepack.h).
 *
 * One file an entry cost a rebind of 10,000 posts an open, a read and a
 * close each, a fifth of its time, and the first bind five system calls
 * an entry more; a pack a run costs one mapping a run and one write an
 * entry.
 *
 * DIR/chapters/pack-NAME:
 *   "BBPACK01", the book (32 bytes: cache.c's digest of the settings and
 *   the blog's folder), 8 zero bytes;
 *   the entries, each as cache.c writes it: "BBCHAP03", its key (32
 *   bytes), the payload's length (8 bytes, LE), the payload, its
 *   checksum (16 bytes);
 *   the index, written when the run ends: per entry its key (32 bytes),
 *   offset and length (8 bytes each, LE); the number of entries (8
 *   bytes), "BBPKEND1", the checksum (bb_checksum) of the index from its
 *   first record to the magic.
 * A pack without a sound index (a killed run's, one cut short) is read
 * entry by entry from the start, up to the first that does not fit.
 * Whatever the index says, an entry is only used when its own key, length
 * and checksum agree (cache.c), so a broken pack is only misses.
 *
 * Packs are never changed once ended: a run writes a new one. When a
 * quarter of a book's pack bytes are entries it no longer uses, its
 * complete run writes the entries it used into one pack (a temporary file
 * renamed) and removes the others; when the book has more than MAX_PACKS
 * packs, the same is done to all but its largest, when that holds half
 * of the bytes (a blog that grows by a post a day rewrites only its small
 * packs, not all its chapters every few runs). A run that reads a pack
 * another removes keeps its mapping. */
#define _GNU_SOURCE /* MAP_POPULATE */
#include "cachepack.h"
#include "record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "BBPACK01"
#define HEAD 48
#define END_MAGIC "BBPKEND1"
#define IREC 48
#define TRAILER (8 + 8 + BB_CHECKSUM_SIZE)
/* an entry: its magic, key and payload length; then the checksum */
#define E_HEAD 48
#define E_TAIL BB_CHECKSUM_SIZE
#define E_MAX ((size_t)512 << 20)
/* a book's packs before the smaller ones are packed into one */
#define MAX_PACKS 8
/* a temporary file older than this is a killed run's */
#define STALE_TMP_S 600
/* a used pack's access time is set when its last use is older than
 * this (--cache-max's order) */
#define TOUCH_S 3600

typedef struct pack {
	char *name;
	const unsigned char *map;
	size_t size;
	unsigned long long entry_bytes;  /* its entries' bytes */
	unsigned long long used_bytes;   /* of them, this run's book used */
	time_t mtime;
	time_t last;                     /* last used: the later of its times */
} pack;

typedef struct place {
	const unsigned char *data;
	size_t len;
	unsigned pack;
	int used;                 /* this run's book used it */
} place;

typedef struct own {
	unsigned char key[32];
	unsigned long long off, len;
} own;

struct bb_cpacks {
	char *dir;
	int dfd;
	unsigned char book[32];
	pack *packs;              /* the book's, newest first */
	size_t npacks;
	place *pl;
	size_t npl, cappl;
	uint32_t *slots;          /* place + 1 by the key's first bytes */
	size_t cap;
	pthread_mutex_t mu;
	/* this run's pack */
	int fd;
	char *name;
	unsigned long long end;
	own *own;
	size_t nown, capown;
	int failed;
	int ended;                /* bb_cpacks_end was called */
	unsigned long seq;
};

static unsigned long long
S_le64(const unsigned char *p)
{
	unsigned long long v = 0;
	int k;
	for (k = 0; k < 8; k++)
		v |= (unsigned long long)p[k] << (8 * k);
	return v;
}

static void
S_put64(unsigned char *p, unsigned long long v)
{
	int k;
	for (k = 0; k < 8; k++)
		p[k] = (unsigned char)(v >> (8 * k));
}

static size_t
S_hash(const unsigned char *key)
{
	return (size_t)S_le64(key);
}

/* ---- reading ---- */

static void
S_add_place(bb_cpacks *s, unsigned pk, const unsigned char *data, size_t len)
{
	if (s->npl == s->cappl)
		s->pl = bb_xrealloc(s->pl, (s->cappl = s->cappl ? s->cappl * 2 : 1024) * sizeof *s->pl);
	s->pl[s->npl].data = data;
	s->pl[s->npl].len = len;
	s->pl[s->npl].pack = pk;
	s->pl[s->npl].used = 0;
	s->npl++;
	s->packs[pk].entry_bytes += len;
}

/* The entry that starts at off of pack p, when it fits: its length. */
static size_t
S_entry_at(const pack *p, size_t off, size_t end)
{
	unsigned long long plen;
	if (off > end || end - off < E_HEAD + E_TAIL || memcmp(p->map + off, "BBCHAP03", 8) != 0)
		return 0;
	plen = S_le64(p->map + off + 40);
	if (plen > E_MAX || plen > end - off - E_HEAD - E_TAIL)
		return 0;
	return (size_t)plen + E_HEAD + E_TAIL;
}

/* Indexes pack pk's entries: by its index when sound, else one by one.
 * Returns 0, or 1 when read one by one. */
static int
S_index(bb_cpacks *s, unsigned pk)
{
	const pack *p = &s->packs[pk];
	const unsigned char *t;
	unsigned long long n, k;
	unsigned char sum[BB_CHECKSUM_SIZE];
	size_t off, len, istart;
	if (p->size >= HEAD + TRAILER) {
		t = p->map + p->size - TRAILER;
		n = S_le64(t);
		if (memcmp(t + 8, END_MAGIC, 8) == 0 && n <= (p->size - HEAD - TRAILER) / IREC) {
			istart = p->size - TRAILER - (size_t)n * IREC;
			bb_checksum(p->map + istart, p->size - BB_CHECKSUM_SIZE - istart, sum);
			if (memcmp(sum, t + 16, BB_CHECKSUM_SIZE) == 0) {
				size_t first = s->npl;
				for (k = 0; k < n; k++) {
					const unsigned char *r = p->map + istart + k * IREC;
					off = (size_t)S_le64(r + 32);
					len = (size_t)S_le64(r + 40);
					if (off < HEAD || S_entry_at(p, off, istart) != len)
						break;
					S_add_place(s, pk, p->map + off, len);
				}
				if (k == n)
					return 0;
				s->npl = first; /* an index that lies: read one by one */
				s->packs[pk].entry_bytes = 0;
			}
		}
	}
	for (off = HEAD; (len = S_entry_at(p, off, p->size)) != 0; off += len)
		S_add_place(s, pk, p->map + off, len);
	return 1;
}

/* Newest first: by name, which begins with the time it was made (its
 * modification time could be any: a copy, a touch). */
static int
S_cmp_pack(const void *x, const void *y)
{
	const pack *a = x, *b = y;
	return strcmp(b->name, a->name);
}

/* Maps pack name when it is the book's. Returns 1 mapped, 0 not. */
static int
S_map(bb_cpacks *s, const char *name, pack *out)
{
	unsigned char head[HEAD];
	struct stat st;
	void *m;
	/* without setting its access time: that is its last use, set by
	 * bb_cpacks_close for the packs a run used, not for every pack whose
	 * head a run looked at */
	int fd = openat(s->dfd, name, O_RDONLY | O_CLOEXEC | O_NOATIME), ok = 0;
	if (fd < 0 && errno == EPERM)
		fd = openat(s->dfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (pread(fd, head, HEAD, 0) == HEAD && memcmp(head, MAGIC, 8) == 0 && memcmp(head + 8, s->book, 32) == 0 &&
	    fstat(fd, &st) == 0 && (unsigned long long)st.st_size <= (unsigned long long)SIZE_MAX / 2) {
		/* populated: a rebind reads nearly all of it, and a fault a
		 * page cost more than the read */
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
		if (m != MAP_FAILED) {
			memset(out, 0, sizeof *out);
			out->name = bb_xstrdup(name);
			out->map = m;
			out->size = (size_t)st.st_size;
			out->mtime = st.st_mtime;
			out->last = st.st_atime > st.st_mtime ? st.st_atime : st.st_mtime;
			ok = 1;
		}
	}
	close(fd);
	return ok;
}

static void
S_table(bb_cpacks *s)
{
	size_t i;
	s->cap = 64;
	while (s->cap < s->npl * 2)
		s->cap *= 2;
	s->slots = bb_xcalloc(s->cap, sizeof *s->slots);
	/* in the packs' order, newest first: a key's first place found is
	 * its newest */
	for (i = 0; i < s->npl; i++) {
		size_t h = S_hash(s->pl[i].data + 8) & (s->cap - 1);
		while (s->slots[h])
			h = (h + 1) & (s->cap - 1);
		s->slots[h] = (uint32_t)(i + 1);
	}
}

bb_cpacks *
bb_cpacks_open(const char *dir, const unsigned char book[32], bb_diaglist *dl)
{
	bb_cpacks *s;
	DIR *d;
	struct dirent *de;
	size_t cap = 0, i;
	if (!(d = opendir(dir)))
		return NULL;
	s = bb_xcalloc(1, sizeof *s);
	s->dir = bb_xstrdup(dir);
	s->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	s->fd = -1;
	memcpy(s->book, book, 32);
	pthread_mutex_init(&s->mu, NULL);
	while (s->dfd >= 0 && (de = readdir(d))) {
		if (strncmp(de->d_name, "pack-", 5) != 0)
			continue;
		if (s->npacks == cap)
			s->packs = bb_xrealloc(s->packs, (cap = cap ? cap * 2 : 8) * sizeof *s->packs);
		if (S_map(s, de->d_name, &s->packs[s->npacks]))
			s->npacks++;
	}
	closedir(d);
	if (s->npacks > 1)
		qsort(s->packs, s->npacks, sizeof *s->packs, S_cmp_pack);
	for (i = 0; i < s->npacks; i++)
		if (S_index(s, (unsigned)i))
			bb_diag_add(dl, BB_NOTE, NULL, 0, 0,
				    "chapter cache: pack %s has no sound index (a run killed, or cut short); its entries "
				    "read one by one",
				    s->packs[i].name);
	S_table(s);
	return s;
}

int
bb_cpacks_find(const bb_cpacks *s, const unsigned char key[32], size_t n, const unsigned char **data, size_t *len)
{
	size_t h;
	if (!s || !s->cap)
		return 0;
	for (h = S_hash(key) & (s->cap - 1); s->slots[h]; h = (h + 1) & (s->cap - 1)) {
		const place *p = &s->pl[s->slots[h] - 1];
		if (memcmp(p->data + 8, key, 32) == 0 && n-- == 0) {
			*data = p->data;
			*len = p->len;
			return 1;
		}
	}
	return 0;
}

void
bb_cpacks_used(bb_cpacks *s, const unsigned char *data, size_t len)
{
	size_t h;
	(void)len;
	if (!s || !s->cap)
		return;
	pthread_mutex_lock(&s->mu);
	for (h = S_hash(data + 8) & (s->cap - 1); s->slots[h]; h = (h + 1) & (s->cap - 1)) {
		place *p = &s->pl[s->slots[h] - 1];
		if (p->data == data) {
			if (!p->used)
				s->packs[p->pack].used_bytes += p->len;
			p->used = 1;
			break;
		}
	}
	pthread_mutex_unlock(&s->mu);
}

/* ---- writing ---- */

/* Creates a file of a new name "PREFIX-TIME-PID-SEQ" in s->dir (TIME: 19
 * digits of ns, so that names sort as the files were made); returns its
 * descriptor (name in *name) or -1. */
static int
S_create(bb_cpacks *s, const char *prefix, char **name)
{
	struct timespec ts;
	int tries, fd = -1;
	clock_gettime(CLOCK_REALTIME, &ts);
	for (tries = 0; tries < 100 && fd < 0; tries++) {
		*name = bb_xasprintf("%s%010lld%09ld-%ld-%lu", prefix, (long long)ts.tv_sec, ts.tv_nsec,
				     (long)getpid(), ++s->seq);
		fd = openat(s->dfd, *name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0) {
			free(*name);
			*name = NULL;
			if (errno != EEXIST)
				break;
		}
	}
	return fd;
}

static int
S_head(const bb_cpacks *s, int fd)
{
	unsigned char head[HEAD];
	memset(head, 0, sizeof head);
	memcpy(head, MAGIC, 8);
	memcpy(head + 8, s->book, 32);
	return bb_pwrite_all(fd, head, HEAD, 0);
}

int
bb_cpacks_append(bb_cpacks *s, const void *entry, size_t len)
{
	int rc = -1;
	if (!s || len < E_HEAD + E_TAIL)
		return -1;
	pthread_mutex_lock(&s->mu);
	if (!s->failed && s->fd < 0 && s->dfd >= 0) {
		s->fd = S_create(s, "pack-", &s->name);
		if (s->fd < 0 || S_head(s, s->fd) != 0)
			s->failed = 1;
		else
			s->end = HEAD;
	}
	if (!s->failed) {
		/* under the lock: one writer, entries one after another */
		if (bb_pwrite_all(s->fd, entry, len, s->end) != 0)
			s->failed = 1;
		else {
			if (s->nown == s->capown)
				s->own = bb_xrealloc(s->own, (s->capown = s->capown ? s->capown * 2 : 256) * sizeof *s->own);
			memcpy(s->own[s->nown].key, (const unsigned char *)entry + 8, 32);
			s->own[s->nown].off = s->end;
			s->own[s->nown].len = len;
			s->nown++;
			s->end += len;
			rc = 0;
		}
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

/* Writes the index of the entries at v (n, their offsets in the file)
 * at off of fd. Returns 0 or -1. */
static int
S_trailer(int fd, const own *v, size_t n, unsigned long long off)
{
	bb_buf o = BB_BUF_INIT;
	unsigned char rec[IREC], sum[BB_CHECKSUM_SIZE];
	size_t i;
	int rc;
	bb_buf_grow(&o, n * IREC + TRAILER);
	for (i = 0; i < n; i++) {
		memcpy(rec, v[i].key, 32);
		S_put64(rec + 32, v[i].off);
		S_put64(rec + 40, v[i].len);
		bb_buf_put(&o, (const char *)rec, IREC);
	}
	S_put64(rec, (unsigned long long)n);
	bb_buf_put(&o, (const char *)rec, 8);
	bb_buf_put(&o, END_MAGIC, 8);
	bb_checksum(o.data, o.len, sum);
	bb_buf_put(&o, (const char *)sum, sizeof sum);
	rc = bb_pwrite_all(fd, o.data, o.len, off);
	bb_buf_free(&o);
	return rc;
}

/* Ends this run's pack; returns 0, or -1 when it was removed (it failed). */
static int
S_end_own(bb_cpacks *s)
{
	if (s->fd < 0)
		return s->name ? -1 : 0;
	if (s->failed || S_trailer(s->fd, s->own, s->nown, s->end) != 0) {
		close(s->fd);
		s->fd = -1;
		unlinkat(s->dfd, s->name, 0);
		return -1;
	}
	close(s->fd);
	s->fd = -1;
	return 0;
}

/* Copies len bytes at p to fd at *off, through a staging buffer st (of
 * cap bytes, *n used). Returns 0 or -1. */
static int
S_stage(int fd, unsigned char *st, size_t cap, size_t *n, unsigned long long *off, const unsigned char *p,
	size_t len)
{
	while (len) {
		size_t k = cap - *n < len ? cap - *n : len;
		memcpy(st + *n, p, k);
		*n += k, p += k, len -= k;
		if (*n == cap) {
			if (bb_pwrite_all(fd, st, cap, *off) != 0)
				return -1;
			*off += cap;
			*n = 0;
		}
	}
	return 0;
}

/* By key (an own's key is its first member). */
static int
S_cmp_own(const void *x, const void *y)
{
	return memcmp(x, y, 32);
}

/* Writes the entries this run used and stored into one new pack and
 * removes the book's others, but for pack keep (-1: none), left as it
 * is. Returns 0 or -1 (all left as they were). */
static int
S_repack(bb_cpacks *s, long keep, bb_diaglist *dl)
{
	enum { ST = 1 << 20 };
	const unsigned char *own_map = NULL;
	unsigned char *st = NULL;
	own *v = NULL;
	size_t nv = 0, i, n = 0, ownsize = 0;
	unsigned long long off = HEAD;
	char *tmp = NULL, *final = NULL;
	int fd = -1, rc = -1;
	struct stat sb;
	if (s->name) {
		int ofd = openat(s->dfd, s->name, O_RDONLY | O_CLOEXEC);
		if (ofd < 0 || fstat(ofd, &sb) != 0 ||
		    (own_map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, ofd, 0)) == MAP_FAILED) {
			if (ofd >= 0)
				close(ofd);
			return -1;
		}
		ownsize = (size_t)sb.st_size;
		close(ofd);
	}
	v = bb_xmalloc((s->npl + s->nown + 1) * sizeof *v);
	if ((fd = S_create(s, ".tmp-pack-", &tmp)) < 0 || S_head(s, fd) != 0)
		goto out;
	st = bb_xmalloc(ST);
	/* the entries of the old packs this run used, but for those it
	 * rendered again (a link or image they recorded had changed): its
	 * own, below, replace them */
	if (s->nown > 1)
		qsort(s->own, s->nown, sizeof *s->own, S_cmp_own);
	for (i = 0; i < s->npl; i++) {
		const place *p = &s->pl[i];
		if (!p->used || (long)p->pack == keep ||
		    (s->nown && bsearch(p->data + 8, s->own, s->nown, sizeof *s->own, S_cmp_own)))
			continue;
		memcpy(v[nv].key, p->data + 8, 32);
		v[nv].off = off + n;
		v[nv].len = p->len;
		if (S_stage(fd, st, ST, &n, &off, p->data, p->len) != 0)
			goto out;
		nv++;
	}
	for (i = 0; i < s->nown; i++) {
		memcpy(v[nv].key, s->own[i].key, 32);
		v[nv].off = off + n;
		v[nv].len = s->own[i].len;
		if (S_stage(fd, st, ST, &n, &off, own_map + s->own[i].off, (size_t)s->own[i].len) != 0)
			goto out;
		nv++;
	}
	if (n && bb_pwrite_all(fd, st, n, off) != 0)
		goto out;
	off += n;
	if (S_trailer(fd, v, nv, off) != 0 || close(fd) != 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	final = bb_xstrdup(tmp + 5); /* "pack-..." */
	if (renameat(s->dfd, tmp, s->dfd, final) != 0)
		goto out;
	for (i = 0; i < s->npacks; i++)
		if ((long)i != keep)
			unlinkat(s->dfd, s->packs[i].name, 0);
	if (s->name)
		unlinkat(s->dfd, s->name, 0);
	bb_diag_add(dl, BB_NOTE, NULL, 0, 0, "chapter cache: %zu pack%s packed into one of %zu entries%s",
		    s->npacks + (s->name != NULL) - (keep >= 0), s->npacks + (s->name != NULL) - (keep >= 0) == 1 ? "" : "s",
		    nv, keep >= 0 ? " (the largest kept as it is)" : "");
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc != 0 && tmp)
		unlinkat(s->dfd, tmp, 0);
	if (own_map)
		munmap((void *)own_map, ownsize);
	free(st);
	free(v);
	free(tmp);
	free(final);
	return rc;
}

/* Whether the book's packs should be packed: -2 no, -1 all into one, k
 * all but pack k. */
static long
S_should_repack(const bb_cpacks *s)
{
	unsigned long long all = 0, used = 0;
	size_t i, big = 0;
	for (i = 0; i < s->npacks; i++) {
		all += s->packs[i].entry_bytes;
		used += s->packs[i].used_bytes;
		if (s->packs[i].entry_bytes > s->packs[big].entry_bytes)
			big = i;
	}
	if (all - used > all / 4)
		return -1;
	if (s->npacks + (s->name != NULL) <= MAX_PACKS)
		return -2;
	return s->packs[big].entry_bytes >= all / 2 ? (long)big : -1;
}

/* ---- the folder's bound ---- */

typedef struct ent {
	char *name;
	struct timespec t;
	unsigned long long size;
} ent;

/* Least recently used first; equal times by name. */
static int
S_cmp_ent(const void *x, const void *y)
{
	const ent *a = x, *b = y;
	if (a->t.tv_sec != b->t.tv_sec)
		return a->t.tv_sec < b->t.tv_sec ? -1 : 1;
	if (a->t.tv_nsec != b->t.tv_nsec)
		return a->t.tv_nsec < b->t.tv_nsec ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* 1 when name is 64 hex digits: an entry of the programs that kept one
 * file an entry. */
static int
S_old_entry(const char *name)
{
	size_t i;
	for (i = 0; i < 64; i++)
		if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
			return 0;
	return name[64] == '\0';
}

/* Looks at every file: removes stale temporary files, older programs'
 * entries and size file, and, while the packs hold more than limit bytes,
 * the least recently used. */
static void
S_bound(bb_cpacks *s, unsigned long long limit, long max_mb, bb_diaglist *dl)
{
	DIR *d;
	struct dirent *de;
	ent *v = NULL;
	size_t n = 0, cap = 0, i, removed = 0;
	unsigned long long total = 0;
	time_t now = time(NULL);
	int fd = dup(s->dfd);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	rewinddir(d);
	while ((de = readdir(d))) {
		struct stat st;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 || strcmp(de->d_name, ".posts") == 0)
			continue;
		if (fstatat(s->dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (strncmp(de->d_name, ".tmp-", 5) == 0) {
			if (now - st.st_mtime > STALE_TMP_S)
				unlinkat(s->dfd, de->d_name, 0);
			continue;
		}
		if (S_old_entry(de->d_name) || strcmp(de->d_name, ".sizes") == 0) {
			unlinkat(s->dfd, de->d_name, 0);
			continue;
		}
		if (de->d_name[0] == '.')
			continue;
		if (n == cap)
			v = bb_xrealloc(v, (cap = cap ? cap * 2 : 64) * sizeof *v);
		v[n].name = bb_xstrdup(de->d_name);
		/* last used: the later of its access (set when a run used it)
		 * and modification times */
		v[n].t = st.st_mtim;
		if (st.st_atim.tv_sec > st.st_mtim.tv_sec ||
		    (st.st_atim.tv_sec == st.st_mtim.tv_sec && st.st_atim.tv_nsec > st.st_mtim.tv_nsec))
			v[n].t = st.st_atim;
		v[n].size = (unsigned long long)st.st_size;
		total += v[n].size;
		n++;
	}
	closedir(d);
	if (limit && total > limit) {
		/* down to 90 % of the bound: the next runs' packs fit under it */
		unsigned long long low = limit - limit / 10;
		qsort(v, n, sizeof *v, S_cmp_ent);
		for (i = 0; i < n && total > low; i++)
			if (unlinkat(s->dfd, v[i].name, 0) == 0 || errno == ENOENT) {
				total -= v[i].size;
				removed++;
			}
		bb_diag_add(dl, BB_NOTE, NULL, 0, 0, "chapter cache: %zu old pack%s removed to stay under --cache-max %ld MB",
			    removed, removed == 1 ? "" : "s", max_mb);
	}
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* The used packs' access times set to now (their last use), when last
 * set over TOUCH_S ago: a system call a pack, not an entry; the file
 * system's own access times (noatime, relatime) do not matter. */
static void
S_touch_used(const bb_cpacks *s)
{
	struct timespec ts[2];
	time_t now = time(NULL);
	size_t i;
	ts[0].tv_sec = 0;
	ts[0].tv_nsec = UTIME_NOW;
	ts[1].tv_sec = 0;
	ts[1].tv_nsec = UTIME_OMIT;
	for (i = 0; i < s->npacks; i++)
		if (s->packs[i].used_bytes && now - s->packs[i].last > TOUCH_S)
			utimensat(s->dfd, s->packs[i].name, ts, 0);
}

void
bb_cpacks_end(bb_cpacks *s, int complete, unsigned long long limit, long max_mb, bb_diaglist *dl)
{
	if (!s || s->ended)
		return;
	s->ended = 1;
	if (S_end_own(s) == 0) {
		long how = complete && s->dfd >= 0 ? S_should_repack(s) : -2;
		if (how == -2 || S_repack(s, how, dl) != 0 || how >= 0)
			S_touch_used(s);
	}
	if (s->dfd >= 0)
		S_bound(s, limit, max_mb, dl);
}

void
bb_cpacks_free(bb_cpacks *s)
{
	size_t i;
	if (!s)
		return;
	if (s->fd >= 0) {
		/* never ended: the pack, without its index, is read entry by
		 * entry by the next run */
		close(s->fd);
	}
	for (i = 0; i < s->npacks; i++) {
		munmap((void *)s->packs[i].map, s->packs[i].size);
		free(s->packs[i].name);
	}
	free(s->packs);
	free(s->pl);
	free(s->slots);
	free(s->own);
	free(s->name);
	free(s->dir);
	if (s->dfd >= 0)
		close(s->dfd);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
