/* dynload.c: opens a library when first needed and fills its table of
 * functions (dlsym). */
#define _XOPEN_SOURCE 700
#include "dynload.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
bb_dynload(const char *soname, const char *env, const bb_dynfn *fns, size_t n, void *table, char *err, size_t cap)
{
	const char *file = env ? getenv(env) : NULL, *e;
	void *h, *p;
	size_t i;

	if (!file || !*file)
		file = soname;
	if (!(h = dlopen(file, RTLD_NOW | RTLD_LOCAL))) {
		e = dlerror();
		snprintf(err, cap, "%s cannot be loaded (%s)", file, e ? e : "no reason given");
		return -1;
	}
	for (i = 0; i < n; i++) {
		dlerror();
		if (!(p = dlsym(h, fns[i].name))) {
			snprintf(err, cap, "%s has no %s", file, fns[i].name);
			dlclose(h);
			return -1;
		}
		/* POSIX makes a function's address fit a void *; memcpy
		 * keeps ISO C's object/function pointer rule */
		memcpy((char *)table + fns[i].off, &p, sizeof p);
	}
	return 0;
}
