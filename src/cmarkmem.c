/* cmarkmem.c: a per-thread arena for the cmark-gfm tree of one post (see
 * cmarkmem.h). Each block carries its size in a header of S_ALIGN bytes, so
 * realloc can copy it; the last block of the current chunk grows and
 * shrinks in place (cmark's strbufs grow that way while a block is read). */
#define _POSIX_C_SOURCE 200809L
#include "cmarkmem.h"
#include "util.h"

#include <cmark-gfm.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define S_ALIGN 16
#define S_CHUNK (256 * 1024)
/* chunks kept for the next post; a larger post's go back to malloc */
#define S_KEEP (4 * S_CHUNK)

typedef struct S_chunk {
	struct S_chunk *next;
	size_t size; /* bytes after the header */
	size_t used;
	size_t pad; /* the header is 32 bytes: blocks stay S_ALIGN-aligned */
} S_chunk;

typedef struct {
	S_chunk *head;  /* the chunk blocks come from; fuller ones follow */
	S_chunk *spare; /* released chunks, for the next post */
	int depth;
} S_arena;

static pthread_key_t S_key;
static pthread_once_t S_key_once = PTHREAD_ONCE_INIT;
/* the thread's arena, also under S_key for the destructor: the key alone
 * (pthread_getspecific) cost a fifth of the allocations' time */
static __thread S_arena *S_tls;

static void
S_chunks_free(S_chunk *c)
{
	while (c) {
		S_chunk *next = c->next;
		free(c);
		c = next;
	}
}

/* Frees a thread's arena when the thread exits. */
static void
S_key_free(void *p)
{
	S_arena *a = p;
	S_chunks_free(a->head);
	S_chunks_free(a->spare);
	free(a);
}

static void
S_key_make(void)
{
	pthread_key_create(&S_key, S_key_free);
}

static S_arena *
S_get(void)
{
	S_arena *a = S_tls;
	if (a)
		return a;
	pthread_once(&S_key_once, S_key_make);
	a = bb_xcalloc(1, sizeof *a);
	pthread_setspecific(S_key, a);
	return S_tls = a;
}

static size_t
S_round(size_t n)
{
	return (n + S_ALIGN - 1) & ~(size_t)(S_ALIGN - 1);
}

/* A chunk with room for need bytes at the head of a's list: a spare one
 * when it fits, else a new one. */
static S_chunk *
S_grow(S_arena *a, size_t need)
{
	S_chunk *c = a->spare;
	if (c && c->size >= need)
		a->spare = c->next;
	else {
		size_t size = need > S_CHUNK ? need : S_CHUNK;
		c = bb_xmalloc(sizeof *c + size);
		c->size = size;
	}
	c->used = 0;
	c->next = a->head;
	a->head = c;
	return c;
}

static void *
S_alloc(S_arena *a, size_t n)
{
	size_t need;
	S_chunk *c = a->head;
	char *p;
	if (n > SIZE_MAX / 2)
		return NULL; /* cmark's wrappers abort */
	need = S_ALIGN + S_round(n);
	if (!c || c->size - c->used < need)
		c = S_grow(a, need);
	p = (char *)(c + 1) + c->used;
	c->used += need;
	*(size_t *)p = n;
	return p + S_ALIGN;
}

/* 1 when p is the last block of a's current chunk. */
static int
S_last(const S_arena *a, const char *p)
{
	const S_chunk *c = a->head;
	return c && p + S_round(*(const size_t *)(p - S_ALIGN)) == (const char *)(c + 1) + c->used;
}

static void *
S_calloc(size_t n, size_t size)
{
	void *p;
	if (size && n > SIZE_MAX / 2 / size)
		return NULL;
	if ((p = S_alloc(S_get(), n * size)))
		memset(p, 0, n * size);
	return p;
}

static void *
S_realloc(void *ptr, size_t n)
{
	S_arena *a = S_get();
	char *p = ptr, *q;
	size_t old;
	if (!p)
		return S_alloc(a, n);
	old = *(size_t *)(p - S_ALIGN);
	if (n > SIZE_MAX / 2)
		return NULL;
	if (S_last(a, p)) {
		S_chunk *c = a->head;
		size_t start = (size_t)(p - (char *)(c + 1));
		if (c->size - start >= S_round(n)) {
			c->used = start + S_round(n);
			*(size_t *)(p - S_ALIGN) = n;
			return p;
		}
	} else if (n <= old)
		return p;
	if ((q = S_alloc(a, n)))
		memcpy(q, p, old < n ? old : n);
	return q;
}

/* Frees nothing but the last block of the current chunk, whose room the
 * next block takes. */
static void
S_free(void *ptr)
{
	S_arena *a;
	char *p = ptr;
	if (!p)
		return;
	a = S_get();
	if (S_last(a, p))
		a->head->used = (size_t)(p - S_ALIGN - (char *)(a->head + 1));
}

static cmark_mem S_mem = { S_calloc, S_realloc, S_free };

cmark_mem *
bb_cmark_mem_begin(void)
{
	S_get()->depth++;
	return &S_mem;
}

void
bb_cmark_mem_end(void)
{
	S_arena *a = S_get();
	S_chunk *c, *next;
	size_t kept = 0;
	if (--a->depth > 0)
		return;
	for (c = a->spare; c; c = c->next)
		kept += c->size;
	for (c = a->head; c; c = next) {
		next = c->next;
		if (c->size == S_CHUNK && kept + c->size <= S_KEEP) {
			c->next = a->spare;
			a->spare = c;
			kept += c->size;
		} else
			free(c);
	}
	a->head = NULL;
}

cmark_node *
bb_cmark_node_new(cmark_node_type type)
{
	S_arena *a = S_get();
	return cmark_node_new_with_mem(type, a->depth > 0 ? &S_mem : cmark_get_default_mem_allocator());
}
