/* deps.c: recording what a rendering consulted (deps.h), per thread. */
#include "deps.h"
#include "record.h"

#include <pthread.h>

static pthread_key_t S_deps_key;
static pthread_once_t S_deps_once = PTHREAD_ONCE_INIT;

static void
S_deps_init(void)
{
	pthread_key_create(&S_deps_key, NULL);
}

void
bb_deps_begin(bb_deps *d)
{
	pthread_once(&S_deps_once, S_deps_init);
	pthread_setspecific(S_deps_key, d);
}

void
bb_deps_end(void)
{
	pthread_once(&S_deps_once, S_deps_init);
	pthread_setspecific(S_deps_key, NULL);
}

static bb_deps *
S_deps(void)
{
	pthread_once(&S_deps_once, S_deps_init);
	return pthread_getspecific(S_deps_key);
}

int
bb_deps_recording(void)
{
	return S_deps() != NULL;
}

void
bb_deps_image(int kind, const char *path, const char *hash_from, const char *base, size_t base_len,
	      const char *name)
{
	bb_deps *d = S_deps();
	if (!d)
		return;
	bb_rec_u32(&d->images, (unsigned long)kind);
	bb_rec_cstr(&d->images, path);
	bb_rec_cstr(&d->images, hash_from);
	bb_rec_str(&d->images, base, base ? base_len : 0);
	bb_rec_cstr(&d->images, name);
	d->nimages++;
}

void
bb_deps_link(const char *href, const char *answer)
{
	bb_deps *d = S_deps();
	if (!d)
		return;
	bb_rec_cstr(&d->links, href);
	bb_rec_cstr(&d->links, answer);
	d->nlinks++;
}
