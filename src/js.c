/* js.c: a Duktape heap with a memory cap, a per-call time cap and protected calls, one per thread. */
#define _POSIX_C_SOURCE 200809L
#include "js.h"
#include "util.h"

#include <duktape.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_SCRIPT_MAX ((size_t)8 << 20)
#define S_NLOADED 8

/* Every block carries its size in front, so realloc and free can count. */
typedef union S_hdr {
	size_t size;
	long double ld;
	void *p;
	long long ll;
} S_hdr;

struct bb_js {
	duk_context *ctx;
	size_t mem, peak, mem_max;
	unsigned call_ms, load_ms;
	/* deadline in ns of the thread's CPU clock; 0 = not in a call */
	unsigned long long deadline;
	unsigned long allocs, alloc_max, alloc_max_saved, call_allocs;
	int timed_out, mem_out, work_out;
	int broken;            /* a fatal error left the heap unusable */
	jmp_buf *fatal_jmp;    /* where the fatal handler returns to */
	struct {
		char *path;
		char *err;     /* NULL when the load succeeded */
	} loaded[S_NLOADED];
	int nloaded;
	void *slot[BB_JS_NSLOTS];
	void (*slot_free[BB_JS_NSLOTS])(void *);
};

/* CPU time of the calling thread: a busy machine does not make a call
 * fail, so the same blog gives the same book. */
static unsigned long long
S_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec;
}

/* Returns 1 when the next allocation of n more bytes must fail: over the
 * memory cap, over the call's allocation budget (deterministic), or past
 * its CPU deadline (checked every 256th allocation). Once a call is over
 * a limit every allocation fails until it ends, so the error unwinds
 * quickly. */
static int
S_refuse(bb_js *js, size_t n)
{
	if (js->mem + n > js->mem_max) {
		js->mem_out = 1;
		return 1;
	}
	if (js->deadline) {
		if (js->timed_out || js->work_out)
			return 1;
		if (++js->allocs > js->alloc_max && js->alloc_max) {
			js->work_out = 1;
			return 1;
		}
		if ((js->allocs & 255) == 0 && S_now_ns() > js->deadline) {
			js->timed_out = 1;
			return 1;
		}
	}
	return 0;
}

/* Duktape's allocator: counts the bytes, refuses past the limits. */
static void *
S_alloc(void *udata, duk_size_t size)
{
	bb_js *js = udata;
	S_hdr *h;

	if (size > js->mem_max || S_refuse(js, size))
		return NULL;
	h = malloc(sizeof *h + size);
	if (!h)
		return NULL;
	h->size = size;
	js->mem += size;
	if (js->mem > js->peak)
		js->peak = js->mem;
	return h + 1;
}

/* Duktape's free: uncounts the block. */
static void
S_free(void *udata, void *ptr)
{
	bb_js *js = udata;
	S_hdr *h;

	if (!ptr)
		return;
	h = (S_hdr *)ptr - 1;
	js->mem -= h->size;
	free(h);
}

/* Duktape's realloc: counts the change, refuses growth past the limits;
 * size 0 frees. */
static void *
S_realloc(void *udata, void *ptr, duk_size_t size)
{
	bb_js *js = udata;
	S_hdr *h, *nh;
	size_t old;

	if (!ptr)
		return S_alloc(udata, size);
	if (size == 0) {
		S_free(udata, ptr);
		return NULL;
	}
	h = (S_hdr *)ptr - 1;
	old = h->size;
	if (size > old && (size > js->mem_max || S_refuse(js, size - old)))
		return NULL;
	nh = realloc(h, sizeof *nh + size);
	if (!nh)
		return NULL;
	nh->size = size;
	js->mem = js->mem - old + size;
	if (js->mem > js->peak)
		js->peak = js->mem;
	return nh + 1;
}

/* Duktape calls this on an error outside any protected call (which our
 * calls never make) or an internal failure; it must not return. */
static void
S_fatal(void *udata, const char *msg)
{
	bb_js *js = udata;

	if (js && js->fatal_jmp) {
		js->broken = 1;
		longjmp(*js->fatal_jmp, 1);
	}
	abort();
}

/* What Duktape 2.7 (ES5.1 with parts of ES2015) lacks and the scripts
 * call: KaTeX 0.16 uses Array.prototype.fill for \begin{array} and
 * friends; the others are cheap insurance for other versions. */
static const char S_polyfill[] =
	"(function(){var D=function(o,n,f){if(!o[n])Object.defineProperty(o,n,"
	"{value:f,writable:true,configurable:true,enumerable:false});},A=Array.prototype;"
	"D(A,'fill',function(v,s,e){var n=this.length>>>0;s=s|0;e=e===undefined?n:e|0;"
	"if(s<0)s=Math.max(n+s,0);if(e<0)e=Math.max(n+e,0);for(var i=s;i<e&&i<n;i++)this[i]=v;return this;});"
	"D(A,'find',function(f,t){for(var i=0;i<this.length;i++)if(f.call(t,this[i],i,this))return this[i];});"
	"D(A,'findIndex',function(f,t){for(var i=0;i<this.length;i++)if(f.call(t,this[i],i,this))return i;return -1;});"
	"D(A,'includes',function(v,s){for(var i=s|0;i<this.length;i++)if(this[i]===v||(v!==v&&this[i]!==this[i]))return true;return false;});"
	"D(Array,'from',function(a,f,t){var r=[];for(var i=0;i<(a.length>>>0);i++)r.push(f?f.call(t,a[i],i):a[i]);return r;});"
	"D(Array,'of',function(){return A.slice.call(arguments);});"
	"D(Object,'values',function(o){return Object.keys(o).map(function(k){return o[k];});});"
	"D(Object,'entries',function(o){return Object.keys(o).map(function(k){return [k,o[k]];});});"
	"})();";

/* console.log and friends: scripts may log, nothing is printed. */
static duk_ret_t
S_noop(duk_context *ctx)
{
	return 0;
}

bb_js *
bb_js_new(const bb_js_limits *lim, char **err)
{
	static const char *names[] = { "log", "warn", "error", "info", "debug" };
	bb_js *js = bb_xcalloc(1, sizeof *js);
	size_t i;

	js->mem_max = lim && lim->mem_max ? lim->mem_max : BB_JS_MEM_MAX;
	js->call_ms = lim && lim->call_ms ? lim->call_ms : BB_JS_CALL_MS;
	js->load_ms = lim && lim->load_ms ? lim->load_ms : BB_JS_LOAD_MS;
	js->alloc_max = lim && lim->call_allocs ? lim->call_allocs : BB_JS_CALL_ALLOCS;
	js->ctx = duk_create_heap(S_alloc, S_realloc, S_free, js, S_fatal);
	if (!js->ctx) {
		*err = bb_xstrdup("cannot create a JavaScript heap");
		free(js);
		return NULL;
	}
	/* highlight.js logs through console and finds its global through
	 * window/self; KaTeX's wrapper also looks for self. */
	duk_push_global_object(js->ctx);
	duk_push_object(js->ctx);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		duk_push_c_function(js->ctx, S_noop, DUK_VARARGS);
		duk_put_prop_string(js->ctx, -2, names[i]);
	}
	duk_put_prop_string(js->ctx, -2, "console");
	duk_push_global_object(js->ctx);
	duk_put_prop_string(js->ctx, -2, "self");
	duk_pop(js->ctx);
	if (duk_peval_string(js->ctx, S_polyfill) != 0) {
		*err = bb_xasprintf("JavaScript prelude: %s", duk_safe_to_string(js->ctx, -1));
		duk_destroy_heap(js->ctx);
		free(js);
		return NULL;
	}
	duk_pop(js->ctx);
	return js;
}

void
bb_js_free(bb_js *js)
{
	int i;

	if (!js)
		return;
	for (i = 0; i < BB_JS_NSLOTS; i++)
		if (js->slot[i] && js->slot_free[i])
			js->slot_free[i](js->slot[i]);
	/* after a fatal error the heap cannot be trusted to unwind: leak it */
	if (js->ctx && !js->broken)
		duk_destroy_heap(js->ctx);
	for (i = 0; i < js->nloaded; i++) {
		free(js->loaded[i].path);
		free(js->loaded[i].err);
	}
	free(js);
}

static pthread_key_t S_key;
static pthread_once_t S_key_once = PTHREAD_ONCE_INIT;

/* Frees a thread's engine when the thread exits. */
static void
S_key_free(void *p)
{
	bb_js_free(p);
}

/* Creates the key of the per-thread engines, once. */
static void
S_key_make(void)
{
	pthread_key_create(&S_key, S_key_free);
}

bb_js *
bb_js_thread(char **err)
{
	bb_js *js;

	pthread_once(&S_key_once, S_key_make);
	js = pthread_getspecific(S_key);
	if (js && !js->broken)
		return js;
	if (js) {
		/* a fatal error broke it: start afresh */
		bb_js_free(js);
		pthread_setspecific(S_key, NULL);
	}
	js = bb_js_new(NULL, err);
	if (js)
		pthread_setspecific(S_key, js);
	return js;
}

void
bb_js_thread_free(void)
{
	pthread_once(&S_key_once, S_key_make);
	bb_js_free(pthread_getspecific(S_key));
	pthread_setspecific(S_key, NULL);
}

/* Takes the error at the top of the stack (or the limit that caused it)
 * as a new string, pops it. */
static char *
S_take_error(bb_js *js)
{
	char *msg;

	if (js->timed_out)
		msg = bb_xstrdup("time limit exceeded");
	else if (js->work_out)
		msg = bb_xasprintf("work limit exceeded (%lu allocations)", js->alloc_max);
	else if (js->mem_out)
		msg = bb_xstrdup("memory limit exceeded");
	else
		msg = bb_xstrdup(duk_safe_to_string(js->ctx, -1));
	duk_pop(js->ctx);
	return msg;
}

/* Starts a call's limits: ms of CPU, at most *budget allocations (0: none). */
static void
S_arm(bb_js *js, unsigned ms, unsigned long budget)
{
	js->timed_out = js->mem_out = js->work_out = 0;
	js->allocs = 0;
	js->alloc_max_saved = js->alloc_max;
	js->alloc_max = budget;
	js->deadline = S_now_ns() + (unsigned long long)ms * 1000000ULL;
}

/* Ends a call's limits and records its allocations. */
static void
S_disarm(bb_js *js)
{
	js->deadline = 0;
	js->call_allocs = js->allocs;
	js->alloc_max = js->alloc_max_saved;
}

/* Scripts compiled once per process: Duktape compiles KaTeX in 0.1 s and
 * loads its bytecode in 5 ms, so the engines of other threads load the
 * bytecode of the first. Entries are written once, under the lock, and
 * never change or go away. */
static pthread_mutex_t S_bc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char *path;
	void *data;
	size_t len;
} S_bc[S_NLOADED];
static int S_nbc;

/* Returns the bytecode kept for path (*len its size) or NULL; the
 * caller holds S_bc_lock. */
static const void *
S_bc_find_locked(const char *path, size_t *len)
{
	int i;

	for (i = 0; i < S_nbc; i++) {
		if (strcmp(S_bc[i].path, path) == 0) {
			*len = S_bc[i].len;
			return S_bc[i].data;
		}
	}
	return NULL;
}

/* As S_bc_find_locked, taking the lock. */
static const void *
S_bc_find(const char *path, size_t *len)
{
	const void *d;

	pthread_mutex_lock(&S_bc_lock);
	d = S_bc_find_locked(path, len);
	pthread_mutex_unlock(&S_bc_lock);
	return d;
}

/* Keeps a copy of the bytecode of path for the process, if not yet kept. */
static void
S_bc_store(const char *path, const void *data, size_t len)
{
	size_t n;

	pthread_mutex_lock(&S_bc_lock);
	if (S_nbc < S_NLOADED && !S_bc_find_locked(path, &n)) {
		S_bc[S_nbc].path = bb_xstrdup(path);
		S_bc[S_nbc].data = bb_xmalloc(len);
		memcpy(S_bc[S_nbc].data, data, len);
		S_bc[S_nbc].len = len;
		S_nbc++;
	}
	pthread_mutex_unlock(&S_bc_lock);
}

/* Protected: replaces the function on the stack with its bytecode. */
static duk_ret_t
S_dump_fn(duk_context *ctx, void *udata)
{
	duk_dump_function(ctx);
	return 1;
}

/* Protected: replaces the bytecode buffer on the stack with its function. */
static duk_ret_t
S_load_fn(duk_context *ctx, void *udata)
{
	duk_load_function(ctx);
	return 1;
}

/* Pushes the compiled script: from the process's bytecode when key has
 * some, else compiled from src (and its bytecode kept under key). Returns
 * 0, or nonzero with the error on the stack. */
static int
S_push_script(bb_js *js, const char *name, const char *src, size_t len, const char *key)
{
	const void *bc;
	size_t bclen = 0;
	int rc;

	if (key && (bc = S_bc_find(key, &bclen)) != NULL) {
		memcpy(duk_push_fixed_buffer(js->ctx, bclen), bc, bclen);
		return duk_safe_call(js->ctx, S_load_fn, NULL, 1, 1);
	}
	duk_push_string(js->ctx, name);
	rc = duk_pcompile_lstring_filename(js->ctx, 0, src, len);
	if (rc == 0 && key) {
		duk_dup(js->ctx, -1);
		if (duk_safe_call(js->ctx, S_dump_fn, NULL, 1, 1) == 0) {
			duk_size_t n = 0;
			void *p = duk_get_buffer(js->ctx, -1, &n);
			if (p && n)
				S_bc_store(key, p, n);
		}
		duk_pop(js->ctx);
	}
	return rc;
}

/* Compiles and runs len bytes of src named name with a cap of ms CPU
 * milliseconds and budget allocations (0: none); with key (a script's
 * path), shares the bytecode across the process: src may then be NULL
 * when S_bc_find(key) has it. Returns 0 or -1 with *err set. */
static int
S_run(bb_js *js, const char *name, const char *src, size_t len, unsigned ms,
	unsigned long budget, const char *key, char **err)
{
	jmp_buf jb;
	int rc;

	if (js->broken) {
		*err = bb_xstrdup("JavaScript engine unusable after a fatal error");
		return -1;
	}
	js->fatal_jmp = &jb;
	if (setjmp(jb)) {
		js->fatal_jmp = NULL;
		S_disarm(js);
		*err = bb_xstrdup("JavaScript engine fatal error");
		return -1;
	}
	S_arm(js, ms, budget);
	rc = S_push_script(js, name, src, len, key);
	if (rc == 0)
		rc = duk_pcall(js->ctx, 0);
	S_disarm(js);
	js->fatal_jmp = NULL;
	if (rc != 0) {
		*err = S_take_error(js);
		return -1;
	}
	duk_pop(js->ctx);
	return 0;
}

int
bb_js_load(bb_js *js, const char *path, char **err)
{
	char *src = NULL;
	size_t len = 0;
	char *e = NULL;
	int i;

	for (i = 0; i < js->nloaded; i++) {
		if (strcmp(js->loaded[i].path, path) == 0) {
			if (!js->loaded[i].err)
				return 0;
			*err = bb_xstrdup(js->loaded[i].err);
			return -1;
		}
	}
	if (S_bc_find(path, &len)) {
		if (S_run(js, path, NULL, 0, js->load_ms, 0, path, &e) < 0) {
			char *t = bb_xasprintf("%s: %s", path, e);
			free(e);
			e = t;
		}
	} else if (bb_read_file(path, S_SCRIPT_MAX, &src, &len) < 0) {
		const char *hint = strstr(path, "katex") ? " (is libjs-katex installed?)"
			: strstr(path, "highlight") ? " (is libjs-highlight.js installed?)" : "";
		e = bb_xasprintf("%s: cannot read: %s%s", path,
			errno == EFBIG ? "larger than 8 MB" : strerror(errno), hint);
	} else if (S_run(js, path, src, len, js->load_ms, 0, path, &e) < 0) {
		char *t = bb_xasprintf("%s: %s", path, e);
		free(e);
		e = t;
	}
	free(src);
	if (js->nloaded < S_NLOADED) {
		js->loaded[js->nloaded].path = bb_xstrdup(path);
		js->loaded[js->nloaded].err = e ? bb_xstrdup(e) : NULL;
		js->nloaded++;
	}
	if (e) {
		*err = e;
		return -1;
	}
	return 0;
}

int
bb_js_eval(bb_js *js, const char *name, const char *src, char **err)
{
	return S_run(js, name, src, strlen(src), js->call_ms, js->alloc_max, NULL, err);
}

char *
bb_js_call(bb_js *js, const char *fn, int argc, const char *const *argv,
	const size_t *argl, size_t *outlen, char **err)
{
	jmp_buf jb;
	const char *s;
	char *out = NULL;
	size_t n;
	int i, rc;

	if (js->broken) {
		*err = bb_xstrdup("JavaScript engine unusable after a fatal error");
		return NULL;
	}
	js->fatal_jmp = &jb;
	if (setjmp(jb)) {
		js->fatal_jmp = NULL;
		S_disarm(js);
		*err = bb_xstrdup("JavaScript engine fatal error");
		return NULL;
	}
	if (!duk_get_global_string(js->ctx, fn)) {
		duk_pop(js->ctx);
		js->fatal_jmp = NULL;
		*err = bb_xasprintf("no JavaScript function %s", fn);
		return NULL;
	}
	S_arm(js, js->call_ms, js->alloc_max);
	for (i = 0; i < argc; i++)
		duk_push_lstring(js->ctx, argv[i], argl[i]);
	rc = duk_pcall(js->ctx, argc);
	S_disarm(js);
	js->fatal_jmp = NULL;
	if (rc != 0) {
		*err = S_take_error(js);
		return NULL;
	}
	if (!duk_is_string(js->ctx, -1)) {
		duk_pop(js->ctx);
		*err = bb_xasprintf("%s returned no string", fn);
		return NULL;
	}
	s = duk_get_lstring(js->ctx, -1, &n);
	out = bb_xmalloc(n + 1);
	memcpy(out, s, n);
	out[n] = '\0';
	duk_pop(js->ctx);
	if (outlen)
		*outlen = n;
	return out;
}

void *
bb_js_slot(bb_js *js, int slot)
{
	return slot >= 0 && slot < BB_JS_NSLOTS ? js->slot[slot] : NULL;
}

void
bb_js_set_slot(bb_js *js, int slot, void *p, void (*free_fn)(void *))
{
	if (slot < 0 || slot >= BB_JS_NSLOTS)
		return;
	if (js->slot[slot] && js->slot_free[slot] && js->slot[slot] != p)
		js->slot_free[slot](js->slot[slot]);
	js->slot[slot] = p;
	js->slot_free[slot] = free_fn;
}

unsigned long
bb_js_last_allocs(const bb_js *js)
{
	return js->call_allocs;
}

void
bb_js_mem(const bb_js *js, size_t *now, size_t *peak)
{
	if (now)
		*now = js->mem;
	if (peak)
		*peak = js->peak;
}
