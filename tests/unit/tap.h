/* tap.h: a minimal test harness for the unit tests: CHECK records a pass or a
 * failure with the file and line, and TEST_DONE prints "N passed, N failed". */
#ifndef BB_TAP_H
#define BB_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_passed, tap_failed;

#define CHECK(cond) do { \
	if (cond) tap_passed++; \
	else { tap_failed++; fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (g_ && w_ && strcmp(g_, w_) == 0) tap_passed++; \
	else { tap_failed++; fprintf(stderr, "%s:%d: FAIL: %s\n  got:  %s\n  want: %s\n", \
		__FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } \
} while (0)

#define TEST_DONE() (printf("%s: %d passed, %d failed\n", __FILE__, tap_passed, tap_failed), tap_failed ? 1 : 0)

#endif
