/* jsnode.h: one Node.js (V8) subprocess for the whole run that runs the
 * same Debian scripts as js.c's Duktape engine, several times faster; the
 * callers keep Duktape as the fallback and as the judge of hard cases. */
#ifndef BB_JSNODE_H
#define BB_JSNODE_H

#include <stddef.h>

/* Where the program is looked for (no PATH search): BB_NODE names another
 * one; BB_NODE set to "" or "none" turns the engine off (Duktape only). */
#define BB_NODE_PATHS { "/usr/bin/node", "/usr/bin/nodejs" }

/* Wall-clock limits of one request, the V8 heap and the largest answer.
 * The call cap is only a safety net (what the engine is given is bounded
 * by size and KaTeX's maxExpand, so that books never depend on the
 * machine's load): a request past it is answered -2, the process is killed
 * and the engine is off for the rest of the run (the callers then use
 * Duktape, whose deterministic limits decide). */
#define BB_NODE_CALL_MS 30000
#define BB_NODE_LOAD_MS 20000
#define BB_NODE_HEAP_MB 256
#define BB_NODE_OUT_MAX ((size_t)16 << 20)

/* 1 when len bytes at s may go to the engine: valid UTF-8 without NUL
 * and without characters outside the BMP (Duktape keeps such a character
 * as one inside strings, V8 as a surrogate pair: their scripts see
 * different strings, so only Duktape decides those). */
int bb_node_fits(const char *s, size_t len);

/* Makes sure the script file at path (NULL: none) and then the source glue
 * (named name, NULL: none) have run in the engine, once per process (the
 * engine is started on first use). Returns 0, or -1 when the engine is off,
 * absent, dead or the script failed: the caller uses Duktape. Thread-safe. */
int bb_node_require(const char *path, const char *name, const char *glue);

/* As bb_node_require, but returns at once: starts the engine when it is
 * not running and sends the script and glue without waiting for them to
 * run, so that Node starts and loads while the caller goes on (the next
 * request waits for them). Thread-safe; does nothing when the engine is
 * off or they were sent already. */
void bb_node_prewarm(const char *path, const char *name, const char *glue);

/* Calls global function fn with argc string arguments (argv[i] of argl[i]
 * bytes of valid UTF-8). Returns 0 with *out (malloc'd, NUL-terminated,
 * *outlen bytes), 1 when the function threw (*out = its message), -1 when
 * the engine is off or failed, -2 when it gave no answer within the call
 * cap (then killed; *out NULL in both). *us gets 0 (the engine no longer
 * measures each call's CPU time: it cost more than the calls' glue).
 * Thread-safe (calls are serialised). */
int bb_node_call(const char *fn, int argc, const char *const *argv, const size_t *argl,
	char **out, size_t *outlen, unsigned long *us);

/* Calls fn n times, the k-th time with the argc arguments at
 * argv + k * argc (lengths at argl + k * argc), sending the requests
 * together (one round trip per 64 KB of them instead of one a call).
 * out[k], outlen[k], us[k] and rc[k] are as for bb_node_call (rc[k] -1:
 * not answered, -2: the one that missed the call cap). Returns 0, or -1 when the engine is off or failed. */
int bb_node_batch(const char *fn, size_t n, int argc, const char *const *argv, const size_t *argl,
	char **out, size_t *outlen, int *rc, unsigned long *us);

/* Sets the call cap in milliseconds (0: BB_NODE_CALL_MS), for tests. */
void bb_node_set_call_ms(unsigned ms);

/* The call cap in force in milliseconds (what warnings quote). */
unsigned bb_node_call_ms(void);

/* Ends the engine (waits for the process); the next require starts a new
 * one. Counts: calls answered since the start of the process. */
void bb_node_stop(void);
unsigned long bb_node_calls(void);

/* Processes started since the start of the process (tests: whether a
 * run started Node at all). */
unsigned long bb_node_starts(void);

#endif
