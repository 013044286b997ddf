/* curlapi.c: libcurl loaded at the first download (see curlapi.h). */
#define _XOPEN_SOURCE 700
#include "curlapi.h"
#include "dynload.h"

#include <pthread.h>
#include <stddef.h>

#define S_C(m) { "curl_" #m, offsetof(bb_curl_api, m) }

static const bb_dynfn S_fns[] = {
	S_C(global_init), S_C(easy_init),     S_C(easy_setopt), S_C(easy_perform),
	S_C(easy_getinfo), S_C(easy_strerror), S_C(easy_cleanup),
};

static pthread_once_t S_once = PTHREAD_ONCE_INIT;
static bb_curl_api S_api;
static int S_ok;
static char S_why[512];

static void
S_load(void)
{
	S_ok = bb_dynload(BB_CURL_SONAME, "BLOGBIND_LIBCURL", S_fns, sizeof S_fns / sizeof S_fns[0], &S_api, S_why,
			  sizeof S_why) == 0;
}

const bb_curl_api *
bb_curl_api_get(const char **why)
{
	pthread_once(&S_once, S_load);
	if (!S_ok) {
		*why = S_why;
		return NULL;
	}
	return &S_api;
}
