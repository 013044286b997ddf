/* curlapi.h: the libcurl functions fetch.c calls, reached through a table
 * filled at the first download (--fetch-remote): the program does not link
 * libcurl, which brings its TLS, HTTP/2, SSH and LDAP libraries to every run. */
#ifndef BB_CURLAPI_H
#define BB_CURLAPI_H

#include <curl/curl.h>

/* Debian's libcurl4 (OpenSSL flavour); BLOGBIND_LIBCURL names another file. */
#define BB_CURL_SONAME "libcurl.so.4"

/* Each member is the libcurl function of its name with "curl_" left out. */
typedef struct bb_curl_api {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *curl);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode code);
	void (*easy_cleanup)(CURL *curl);
} bb_curl_api;

/* Loads libcurl once per process (pthread_once) and returns its table,
 * valid until the process ends; or NULL with *why (static, names the
 * library and the loader's reason). Does not call curl_global_init.
 * Thread-safe. */
const bb_curl_api *bb_curl_api_get(const char **why);

#endif
