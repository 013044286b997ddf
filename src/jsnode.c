/* jsnode.c: Debian's scripts run in one Node.js subprocess, spoken to over a socket pair. */
#define _GNU_SOURCE
#include "jsnode.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define S_NAMES 64   /* scripts, glues and highlight.c's warmed languages */
#define S_KEEP 8     /* of them kept for scripts and glues that are not warms */

/* The program node runs: it reads requests on fd 0 and answers on fd 1.
 * A request is a line "L n" (run the script file whose n-byte path
 * follows), "E n" (run n bytes of source) or "C n k l1 .. lk" (call the
 * global function whose n-byte name follows with k arguments of l1..lk
 * bytes); the answer is "O us n" or "X us n" (threw) and n bytes. Scripts
 * run as in Duktape: in the global scope, with no module or exports (so
 * KaTeX's wrapper sets a global), with self and a silent console; glue
 * ("E") runs at the top level, its functions global. */
static const char S_program[] =
	/* V8 optimising compilers off (baseline compiler only): they cost more
	 * CPU than they save below about 8,000 formulas (kaityo256's 2,870:
	 * 0.30 s instead of 0.43 s); set at run time, which an older node
	 * that lacks the flag ignores */
	"'use strict';require('v8').setFlagsFromString('--max-opt=1');"
	"const fs=require('fs'),vm=require('vm'),g=globalThis,nop=function(){};"
	"g.self=g;g.console={log:nop,warn:nop,error:nop,info:nop,debug:nop};"
	/* answers wait in outq while more requests are already here and go
	 * out in one write before the program blocks on a read (or past 64 KB):
	 * one wake-up of blogbind per batch instead of one per formula */
	"let buf=Buffer.allocUnsafe(65536),pos=0,have=0,outq=[],outn=0;"
	"function flush(){if(outn){fs.writeSync(1,Buffer.concat(outq,outn));outq=[];outn=0;}}"
	"function more(){flush();if(pos>0){buf.copy(buf,0,pos,have);have-=pos;pos=0;}"
	"if(have===buf.length){const nb=Buffer.allocUnsafe(buf.length*2);buf.copy(nb,0,0,have);buf=nb;}"
	"let r;try{r=fs.readSync(0,buf,have,buf.length-have,null);}catch(e){if(e.code==='EAGAIN')return;process.exit(0);}"
	"if(r===0)process.exit(0);have+=r;}"
	"function line(){for(;;){const i=buf.indexOf(10,pos);if(i>=0&&i<have){const s=buf.toString('latin1',pos,i);pos=i+1;return s;}more();}}"
	"function take(n){while(have-pos<n)more();const s=buf.toString('utf8',pos,pos+n);pos+=n;return s;}"
	"function run(src,name){return vm.runInThisContext('(function(module,exports,define,require){'+src+'\\n})',"
	"{filename:name})();}"
	/* a script run again by a glue (highlight.c's whole second copy) */
	"g.__bb_load=function(p){run(fs.readFileSync(p,'utf8'),p);};"
	/* the answer's us field is 0: process.cpuUsage() twice a call (a
	 * getrusage each) was 10% of kaityo256's KaTeX time, and no caller
	 * reads it */
	"for(;;){const h=line().split(' ').map(function(x,i){return i?+x:x;});let ok='O',r;"
	"try{if(h[0]==='L'){const p=take(h[1]);run(fs.readFileSync(p,'utf8'),p);r='';}"
	"else if(h[0]==='E'){vm.runInThisContext(take(h[1]),{filename:'glue'});r='';}"
	"else{const f=take(h[1]),a=[];for(let i=0;i<h[2];i++)a.push(take(h[3+i]));r=String(g[f].apply(null,a));}}"
	"catch(e){ok='X';r=String(e);}"
	"const b=Buffer.from(r,'utf8');"
	"const hb=Buffer.from(ok+' 0 '+b.length+'\\n','latin1');outq.push(hb,b);outn+=hb.length+b.length;"
	"if(outn>65536)flush();}";

static pthread_mutex_t S_lock = PTHREAD_MUTEX_INITIALIZER;
static int S_state;          /* 0 not started, 1 running, -1 off for this run */
static pid_t S_pid;
static int S_fd = -1;
static char *S_names[S_NAMES];   /* scripts and glues run, and failed (NULL err) */
static int S_name_ok[S_NAMES];   /* 1 ran, 0 failed, -1 sent ahead (bb_node_prewarm), answer unread */
static int S_nnames;
static int S_npending;           /* requests sent ahead whose answers come first */
static unsigned long S_ncalls;
static unsigned long S_nstarts;  /* processes started */
static unsigned S_call_ms;       /* bb_node_set_call_ms; 0 = BB_NODE_CALL_MS */
static int S_late;               /* the last answer missed its deadline */
static char S_rbuf[65536];       /* received, not yet taken */
static size_t S_rpos, S_rhave;

/* Kills and reaps the process; the engine is off for the rest of the run. */
static void
S_kill_locked(void)
{
	if (S_fd >= 0)
		close(S_fd);
	S_fd = -1;
	if (S_pid > 0) {
		kill(S_pid, SIGKILL);
		waitpid(S_pid, NULL, 0);
	}
	S_pid = 0;
	S_state = -1;
	S_rpos = S_rhave = 0;
	S_npending = 0;
}

/* The program to run, or NULL when none is wanted or there. */
static const char *
S_program_path(void)
{
	static const char *paths[] = BB_NODE_PATHS;
	const char *env = getenv("BB_NODE");
	size_t i;

	if (env)
		return *env && strcmp(env, "none") != 0 && access(env, X_OK) == 0 ? env : NULL;
	for (i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

/* Starts the process; returns 0 or -1 (engine off). */
static int
S_start_locked(void)
{
	const char *prog = S_program_path();
	char heap[48];
	char *argv[6];
	char *envp[] = { "LC_ALL=C", NULL };
	posix_spawn_file_actions_t fa;
	int sv[2], rc;

	if (!prog || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		S_state = -1;
		return -1;
	}
	snprintf(heap, sizeof heap, "--max-old-space-size=%d", BB_NODE_HEAP_MB);
	argv[0] = (char *)prog;
	argv[1] = heap;
	argv[2] = "--single-threaded";
	argv[3] = "-e";
	argv[4] = (char *)S_program;
	argv[5] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawn(&S_pid, prog, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		S_pid = 0;
		S_state = -1;
		return -1;
	}
	S_fd = sv[0];
	S_rpos = S_rhave = 0;
	S_state = 1;
	S_nstarts++;
	return 0;
}

/* Milliseconds of the monotonic clock. */
static long long
S_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sends all n bytes; 0 or -1. */
static int
S_send(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(S_fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Receives more into S_rbuf (empty) before the deadline; 0 or -1. */
static int
S_fill(long long deadline)
{
	for (;;) {
		struct pollfd pf = { S_fd, POLLIN, 0 };
		long long left = deadline - S_ms();
		ssize_t r;
		int n;
		if (left <= 0) {
			S_late = 1;
			return -1;
		}
		if ((n = poll(&pf, 1, (int)left)) <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n == 0)
				S_late = 1;
			return -1;
		}
		r = recv(S_fd, S_rbuf, sizeof S_rbuf, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		S_rpos = 0;
		S_rhave = (size_t)r;
		return 0;
	}
}

/* Takes exactly n received bytes, waiting until the deadline; 0 or -1. */
static int
S_recv(char *p, size_t n, long long deadline)
{
	while (n > 0) {
		size_t k;
		if (S_rpos == S_rhave && S_fill(deadline) < 0)
			return -1;
		k = S_rhave - S_rpos < n ? S_rhave - S_rpos : n;
		memcpy(p, S_rbuf + S_rpos, k);
		S_rpos += k;
		p += k;
		n -= k;
	}
	return 0;
}

/* Reads one answer before the deadline. Returns 0 (done), 1 (threw) or
 * -1 (the process failed; the caller kills it). */
static int
S_answer_locked(long long deadline, char **out, size_t *outlen, unsigned long *us)
{
	char h[64], kind = 0;
	size_t len = 0, i;
	unsigned long u = 0;

	*out = NULL;
	S_late = 0;
	/* the answer's head, byte by byte from the buffer: it is short */
	for (i = 0; i + 1 < sizeof h; i++) {
		if (S_recv(h + i, 1, deadline) < 0)
			return -1;
		if (h[i] == '\n')
			break;
	}
	h[i] = '\0';
	if (sscanf(h, "%c %lu %zu", &kind, &u, &len) != 3 || (kind != 'O' && kind != 'X')
		|| len > BB_NODE_OUT_MAX)
		return -1;
	*out = bb_xmalloc(len + 1);
	if (S_recv(*out, len, deadline) < 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	(*out)[len] = '\0';
	if (outlen)
		*outlen = len;
	if (us)
		*us = u;
	S_ncalls++;
	return kind == 'O' ? 0 : 1;
}

/* Sends request head (a line) and its payloads in one write, reads the
 * answer. Returns 0 (done), 1 (threw) or -1 (the process failed: killed). */
static int
S_ask_locked(const char *head, int n, const char *const *p, const size_t *pl, unsigned ms,
	char **out, size_t *outlen, unsigned long *us)
{
	bb_buf req = BB_BUF_INIT;
	int k, rc;

	*out = NULL;
	bb_buf_puts(&req, head);
	for (k = 0; k < n; k++)
		bb_buf_put(&req, p[k], pl[k]);
	rc = S_send(req.data, req.len);
	bb_buf_free(&req);
	if (rc == 0)
		rc = S_answer_locked(S_ms() + ms, out, outlen, us);
	if (rc < 0)
		S_kill_locked();
	return rc;
}

/* Reads the answers to the scripts sent ahead (bb_node_prewarm), which
 * come before any other: 0, or -1 when the process failed (killed). */
static int
S_drain_locked(void)
{
	char *out = NULL;
	int i, rc;

	for (i = 0; i < S_nnames && S_npending > 0; i++) {
		if (S_name_ok[i] != -1)
			continue;
		rc = S_answer_locked(S_ms() + BB_NODE_LOAD_MS, &out, NULL, NULL);
		free(out);
		out = NULL;
		if (rc < 0) {
			S_kill_locked();
			return -1;
		}
		S_name_ok[i] = rc == 0;
		S_npending--;
	}
	return 0;
}

/* Runs a script file or glue once (see bb_node_require), or only sends it
 * when ahead is set (bb_node_prewarm); the lock is held. */
static int
S_require_locked(const char *key, const char *kind, const char *data, int ahead)
{
	char head[64], *out = NULL;
	size_t len = strlen(data);
	int i, rc;

	for (i = 0; i < S_nnames; i++)
		if (strcmp(S_names[i], key) == 0) {
			if (S_name_ok[i] == -1 && !ahead && S_drain_locked() < 0)
				return -1;
			return S_name_ok[i] ? 0 : -1;
		}
	if (S_nnames == S_NAMES)
		return -1;
	snprintf(head, sizeof head, "%s %zu\n", kind, len);
	if (ahead) {
		bb_buf req = BB_BUF_INIT;
		bb_buf_puts(&req, head);
		bb_buf_put(&req, data, len);
		rc = S_send(req.data, req.len);
		bb_buf_free(&req);
		if (rc < 0) {
			S_kill_locked();
			return -1;
		}
		S_names[S_nnames] = bb_xstrdup(key);
		S_name_ok[S_nnames++] = -1;
		S_npending++;
		return 0;
	}
	if (S_drain_locked() < 0)
		return -1;
	rc = S_ask_locked(head, 1, &data, &len, BB_NODE_LOAD_MS, &out, NULL, NULL);
	free(out);
	if (S_state != 1)
		return -1;
	S_names[S_nnames] = bb_xstrdup(key);
	S_name_ok[S_nnames++] = rc == 0;
	return rc == 0 ? 0 : -1;
}

int
bb_node_fits(const char *s, size_t len)
{
	size_t i = 0;
	unsigned cp;
	int k;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			if (s[i] == '\0')
				return 0;
			i++;
			continue;
		}
		k = bb_utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (k == 0 || cp > 0xFFFF)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

/* bb_node_require and bb_node_prewarm. */
static int
S_require(const char *path, const char *name, const char *glue, int ahead)
{
	int rc = 0;

	pthread_mutex_lock(&S_lock);
	if (S_state == 0)
		S_start_locked();
	if (S_state != 1)
		rc = -1;
	/* a glue-only warm (highlight.c's languages) never takes the last
	 * S_KEEP places: the scripts and their glues always find room */
	if (rc == 0 && ahead && !path && S_nnames >= S_NAMES - S_KEEP)
		glue = NULL;
	if (rc == 0 && path)
		rc = S_require_locked(path, "L", path, ahead);
	if (rc == 0 && glue)
		rc = S_require_locked(name, "E", glue, ahead);
	pthread_mutex_unlock(&S_lock);
	return rc;
}

int
bb_node_require(const char *path, const char *name, const char *glue)
{
	return S_require(path, name, glue, 0);
}

void
bb_node_prewarm(const char *path, const char *name, const char *glue)
{
	S_require(path, name, glue, 1);
}

/* Appends the request calling fn with argc arguments to req. */
static void
S_call_req(bb_buf *req, const char *fn, int argc, const char *const *argv, const size_t *argl)
{
	int i;

	bb_buf_printf(req, "C %zu %d", strlen(fn), argc);
	for (i = 0; i < argc; i++)
		bb_buf_printf(req, " %zu", argl[i]);
	bb_buf_putc(req, '\n');
	bb_buf_puts(req, fn);
	for (i = 0; i < argc; i++)
		bb_buf_put(req, argv[i], argl[i]);
}

int
bb_node_call(const char *fn, int argc, const char *const *argv, const size_t *argl,
	char **out, size_t *outlen, unsigned long *us)
{
	int rc = -1, one = 0;
	size_t len = 0;

	rc = bb_node_batch(fn, 1, argc, argv, argl, out, &len, &one, us);
	if (outlen)
		*outlen = len;
	return rc < 0 ? (one == -2 ? -2 : -1) : one;
}

void
bb_node_set_call_ms(unsigned ms)
{
	pthread_mutex_lock(&S_lock);
	S_call_ms = ms;
	pthread_mutex_unlock(&S_lock);
}

unsigned
bb_node_call_ms(void)
{
	unsigned ms;

	pthread_mutex_lock(&S_lock);
	ms = S_call_ms ? S_call_ms : BB_NODE_CALL_MS;
	pthread_mutex_unlock(&S_lock);
	return ms;
}

int
bb_node_batch(const char *fn, size_t n, int argc, const char *const *argv, const size_t *argl,
	char **out, size_t *outlen, int *rc, unsigned long *us)
{
	bb_buf req = BB_BUF_INIT;
	size_t a = 0, b, i;
	int ok = 0;

	for (i = 0; i < n; i++) {
		out[i] = NULL;
		rc[i] = -1;
	}
	pthread_mutex_lock(&S_lock);
	ok = S_state == 1 && S_drain_locked() == 0 ? 0 : -1;
	while (ok == 0 && a < n) {
		/* up to 64 KB of requests at once: node's answers to them never
		 * wait for us to read while we still write */
		req.len = 0;
		for (b = a; b < n && (b == a || req.len < ((size_t)64 << 10)); b++)
			S_call_req(&req, fn, argc, argv + b * (size_t)argc, argl + b * (size_t)argc);
		if (S_send(req.data, req.len) < 0)
			ok = -1;
		for (i = a; ok == 0 && i < b; i++) {
			rc[i] = S_answer_locked(S_ms() + (S_call_ms ? S_call_ms : BB_NODE_CALL_MS), &out[i],
				&outlen[i], &us[i]);
			if (rc[i] < 0) {
				rc[i] = S_late ? -2 : -1;
				ok = -1;
			}
		}
		a = b;
	}
	if (ok < 0 && S_state == 1)
		S_kill_locked();
	pthread_mutex_unlock(&S_lock);
	bb_buf_free(&req);
	return ok;
}

void
bb_node_stop(void)
{
	int i;

	pthread_mutex_lock(&S_lock);
	if (S_pid > 0 && S_npending > 0)
		kill(S_pid, SIGKILL);   /* started ahead and never asked: no need to wait for its loading */
	if (S_fd >= 0) {
		/* end of input: the program exits */
		shutdown(S_fd, SHUT_WR);
		close(S_fd);
		S_fd = -1;
	}
	if (S_pid > 0)
		waitpid(S_pid, NULL, 0);
	S_pid = 0;
	S_state = 0;
	for (i = 0; i < S_nnames; i++)
		free(S_names[i]);
	S_nnames = 0;
	S_npending = 0;
	pthread_mutex_unlock(&S_lock);
}

unsigned long
bb_node_calls(void)
{
	unsigned long n;

	pthread_mutex_lock(&S_lock);
	n = S_ncalls;
	pthread_mutex_unlock(&S_lock);
	return n;
}

unsigned long
bb_node_starts(void)
{
	unsigned long n;

	pthread_mutex_lock(&S_lock);
	n = S_nstarts;
	pthread_mutex_unlock(&S_lock);
	return n;
}
