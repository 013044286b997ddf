/* js.h: a bounded JavaScript engine (Duktape) that runs Debian's KaTeX and highlight.js in-process. */
#ifndef BB_JS_H
#define BB_JS_H

#include <stddef.h>

/* Where Debian puts the scripts (packages libjs-katex, libjs-highlight.js).
 * They are read at run time, never copied into blogbind. */
#define BB_JS_KATEX_PATH "/usr/share/javascript/katex/katex.min.js"
/* KaTeX's mhchem extension (\ce, \pu), in the same package: run after
 * KaTeX when the file is there (mathml.c), else those stay TeX. */
#define BB_JS_MHCHEM_PATH "/usr/share/javascript/katex/contrib/mhchem.js"
#define BB_JS_HLJS_PATH  "/usr/share/javascript/highlight.js/highlight.min.js"

/* Default limits. The heap may hold BB_JS_MEM_MAX bytes. A call may make
 * BB_JS_CALL_ALLOCS allocations (a deterministic measure of its work: the
 * same input fails the same way on any machine, so books stay identical
 * across runs) and run BB_JS_CALL_MS milliseconds of the thread's CPU time
 * (a backstop; CPU, not wall-clock, time so that a busy machine does not
 * fail a formula); loading a script may run BB_JS_LOAD_MS, allocations
 * unbounded. Both caps work through the allocator: Debian's Duktape is
 * built without DUK_USE_EXEC_TIMEOUT_CHECK (no interrupt hook), so each
 * allocation counts and every 256th checks the clock; past a limit every
 * allocation fails, and Duktape throws a RangeError that the protected
 * call catches. Script code that loops without allocating is not stopped:
 * callers bound what they feed (KaTeX's maxExpand and a formula size cap
 * in mathml.c, a code size cap in highlight.c); Duktape's own call-stack
 * and C-recursion limits stop deep nesting. */
#define BB_JS_MEM_MAX ((size_t)256 << 20)
#define BB_JS_CALL_ALLOCS 1000000ul
#define BB_JS_CALL_MS 2000u
#define BB_JS_LOAD_MS 20000u

/* An engine: one Duktape heap, its limits, the scripts loaded into it and
 * a few slots where modules keep per-engine data (mathml.c's cache). An
 * engine belongs to one thread at a time; use one per render thread
 * (bb_js_thread). */
typedef struct bb_js bb_js;

typedef struct bb_js_limits {
	size_t mem_max;    /* bytes; 0 = BB_JS_MEM_MAX */
	unsigned call_ms;  /* CPU ms per bb_js_call/bb_js_eval; 0 = BB_JS_CALL_MS */
	unsigned load_ms;  /* CPU ms per bb_js_load; 0 = BB_JS_LOAD_MS */
	unsigned long call_allocs;  /* per call; 0 = BB_JS_CALL_ALLOCS */
} bb_js_limits;

/* Slots for module data, one per module (see bb_js_slot). */
enum { BB_JS_SLOT_MATH, BB_JS_SLOT_HIGHLIGHT, BB_JS_SLOT_FORMULA, BB_JS_NSLOTS };

/* Returns a new engine with limits lim (NULL = defaults) and a `console`
 * object whose methods do nothing, or NULL with *err set (caller frees
 * *err) when the heap cannot be created. Free with bb_js_free. */
bb_js *bb_js_new(const bb_js_limits *lim, char **err);

/* Frees js, its heap and its slots' data. Accepts NULL. */
void bb_js_free(bb_js *js);

/* Returns the calling thread's engine, created with default limits on the
 * first call of that thread and reused by every later call; NULL with *err
 * set when it cannot be created. The engine is freed when the thread
 * exits (pthread key destructor) or by bb_js_thread_free. Never free it
 * with bb_js_free. */
bb_js *bb_js_thread(char **err);

/* Frees the calling thread's engine now, if it has one (the main thread
 * runs no key destructors at exit). The next bb_js_thread makes a new one. */
void bb_js_thread_free(void);

/* Runs the script file at path in js's global scope, once: later calls with
 * the same path return at once with the first call's result. The first
 * engine of the process to load a path compiles it and keeps its bytecode;
 * the other engines (other threads) load that bytecode (KaTeX: 0.02 s of
 * CPU instead of 0.13 s). Files over 8 MB are refused. Returns 0, or -1 with *err set ("PATH: cannot read: No
 * such file or directory (is libjs-katex installed?)" or the script's
 * exception). */
int bb_js_load(bb_js *js, const char *path, char **err);

/* Runs source code src (NUL-terminated) in the global scope under the call
 * time cap; name names it in errors. Returns 0, or -1 with *err set. */
int bb_js_eval(bb_js *js, const char *name, const char *src, char **err);

/* Calls the global function fn with argc string arguments (argv[i] of
 * argl[i] bytes, any bytes) under the call time cap. Returns the result,
 * which must be a string, as a new NUL-terminated buffer (caller frees;
 * *outlen gets its length when outlen is not NULL), or NULL with *err set
 * to the exception's message (or "time limit exceeded", "work limit
 * exceeded (N allocations)", "memory limit exceeded"). The heap stays
 * usable after any error. */
char *bb_js_call(bb_js *js, const char *fn, int argc, const char *const *argv,
	const size_t *argl, size_t *outlen, char **err);

/* Returns the data a module stored in slot (BB_JS_SLOT_*), or NULL. */
void *bb_js_slot(bb_js *js, int slot);

/* Stores p in slot; free_fn (may be NULL) is called on it by bb_js_free
 * or when the slot is set again. */
void bb_js_set_slot(bb_js *js, int slot, void *p, void (*free_fn)(void *));

/* Allocations the last call made (its work, for measures and limits). */
unsigned long bb_js_last_allocs(const bb_js *js);

/* Bytes the heap holds now and at most so far. */
void bb_js_mem(const bb_js *js, size_t *now, size_t *peak);

#endif
