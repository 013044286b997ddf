#!/bin/sh
# run.sh: every test of blogbind: the unit tests, the end-to-end tests (each
# book through EPUBCheck), the end-to-end tests again with the
# AddressSanitizer/UBSan build, and the books opened in a real reading system
# (epub.js in Chromium) and checked by Ace. Prints each suite's count and
# wall time, the total time, and last "N passed, N failed".
#
# run.sh --check (make check): the fast loop: the unit tests and e2e.py
# --smoke (the example blog and the shared sample, through EPUBCheck once).
#
# Nothing passes by being left out: a suite that ran no check, a missing
# build, sanitizer build, shared sample or corpus (BB_SHARED, default
# ../shared), tool (java, chromium, node) or BB_SKIP_READER=1 is a failure,
# unless BB_ALLOW_SKIP=1: then each skip is a line "skip NAME: reason" and the
# last line says "N passed, N failed, N skipped" (tests/tap.py and
# tests/unit/tap.h hold the same policy for the suites themselves).
#
# Environment: BB_BUILD (the build folder to test, default build; the logs
# and the books go under it too), BB_SHARED, BB_ALLOW_SKIP, BB_SKIP_READER,
# BB_TEST_JOBS (suites at once, default 2, besides the two chroot suites:
# see aside), BB_SUITES (only these suites:
# shell patterns; the others are skips).
set -u
cd "$(dirname "$0")/.."
B=${BB_BUILD:-build}
export BB_BUILD="$B"
mode=full
[ "${1:-}" = --check ] && mode=check
logs=$B/test-logs
[ $mode = check ] && logs=$B/check-logs
rm -rf "$logs"
mkdir -p "$logs"
pass=0
fail=0
skipped=0
allow=0
[ "${BB_ALLOW_SKIP:-}" = 1 ] && allow=1
start=$(date +%s)

# skip NAME REASON: a counted, visible skip under BB_ALLOW_SKIP=1, a
# failure otherwise
skip() {
	if [ $allow -eq 1 ]; then
		skipped=$((skipped + 1))
		echo "skip $1: $2"
	else
		fail=$((fail + 1))
		echo "FAIL: $1: $2 (not skipped unless BB_ALLOW_SKIP=1)"
	fi
}

# count NAME LOGFILE STATUS SECONDS: adds the "N passed, N failed[, N
# skipped]" of a suite's last summary line and shows the suite's skips; a
# suite that failed without one, or ran no check at all, counts as one
# failure.
count() {
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$2" | tail -n 1)
	if [ -n "$line" ]; then
		nums=$(echo " $line" | sed -E 's/.*[^0-9]([0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?).*/\1/')
		p=$(echo "$nums" | sed -E 's/^([0-9]+) passed.*/\1/')
		f=$(echo "$nums" | sed -E 's/.* ([0-9]+) failed.*/\1/')
		s=0
		case $nums in *skipped) s=$(echo "$nums" | sed -E 's/.* ([0-9]+) skipped$/\1/') ;; esac
		pass=$((pass + p))
		fail=$((fail + f))
		skipped=$((skipped + s))
		if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
			fail=$((fail + 1))
			echo "FAIL: $1 exited $3"
		fi
		if [ $((p + f + s)) -eq 0 ]; then
			fail=$((fail + 1))
			echo "FAIL: $1 ran no check"
		fi
	else
		nums="exit $3, no summary"
		fail=$((fail + 1))
		echo "FAIL: $1 exited $3 without a summary (see $2)"
		tail -n 20 "$2"
	fi
	grep -E '^skip ' "$2"
	echo "== $1: $nums ($4 s)"
}

# suite NAME COMMAND...: runs a suite into its log, counts it, shows what
# failed; between batch and join it only starts it (see below)
suite() {
	if ! wanted "$1"; then
		skip "$1" "not in BB_SUITES"
		return
	fi
	if [ $par -eq 1 ]; then
		start_suite "$@"
		return
	fi
	n=$1
	shift
	t0=$(date +%s)
	"$@" > "$logs/$n.log" 2>&1
	rc=$?
	shown "$n" $rc $(($(date +%s) - t0))
}

# shown NAME STATUS SECONDS: counts a suite's log, shows what failed
shown() {
	count "$1" "$logs/$1.log" "$2" "$3"
	grep -E '^not ok|FAIL' "$logs/$1.log" | head -n 20
}

# ---- suites side by side (make test: 2 cores) ----
# Between `batch` and `join`, suite starts each suite in the background, at
# most BB_TEST_JOBS (default 2) at once, in the order they are named (long
# ones early is best); join waits for them all, then counts and shows them in
# that same order, each with its own time. Suites of a batch must not share
# an output folder or a port. `prep NAME` waits for a set-up started by
# tests/prepare.sh (debootstrap, npm, apt; they run from the start, under
# the CPU-bound suites).
par=0
queue=
aside=
batch() {
	par=1
	queue=
	aside=
}
start_suite() {
	n=$1
	shift
	rm -f "$logs/$n.status"
	case " $aside " in
	*" $n "*) ;;
	*)
		while [ "$(running)" -ge "${BB_TEST_JOBS:-2}" ]; do
			sleep 1
		done
		;;
	esac
	(
		t0=$(date +%s)
		"$@" > "$logs/$n.log" 2>&1 < /dev/null
		echo "$? $(($(date +%s) - t0))" > "$logs/$n.status.tmp"
		mv "$logs/$n.status.tmp" "$logs/$n.status"
	) &
	queue="$queue $n"
}
# running: how many suites of the batch have not ended (those started
# with aside not counted)
running() {
	r=0
	for q in $queue; do
		case " $aside " in *" $q "*) continue ;; esac
		[ -f "$logs/$q.status" ] || r=$((r + 1))
	done
	echo $r
}
# aside NAME COMMAND...: a suite of the batch started at once, beside the
# BB_TEST_JOBS others: the two chroot suites, which wait first for their
# system (the network, tests/prepare.sh) and then spend much of their time
# in dpkg; started last, they were the tail of make test (newcomer ~540 s
# after all the other suites had been started). `tests/run.sh` with
# BB_SUITES=newcomer from nothing, old and new at once (load 4-8): 372 s
# (root only: base 76 s, prefetch, root's make -j2 run 204 s) -> 212 s (root
# and a sudo user side by side: base 39 s, make -j2 run 152 s, make run 161 s)
aside() {
	aside="$aside $1"
	suite "$@"
}
join() {
	wait
	for q in $queue; do
		read -r rc secs < "$logs/$q.status"
		shown "$q" "$rc" "$secs"
	done
	par=0
	queue=
}
# wanted NAME: BB_SUITES (shell patterns, e.g. "test_* e2e") names it, or
# is unset; a suite left out is a skip, so a partial run is not a pass
# unless BB_ALLOW_SKIP=1
wanted() {
	[ -z "${BB_SUITES:-}" ] && return 0
	set -f
	for w in $BB_SUITES; do
		# shellcheck disable=SC2254
		case $1 in $w) set +f; return 0 ;; esac
	done
	set +f
	return 1
}
prep() {
	sh tests/prepare.sh wait "$1" > "$logs/prepare-$1.log" 2>&1
}
# beside: the suites named after it run here, one at a time, beside the
# batch's last ones (join still waits for those); after NAME... waits
# until those suites of the batch have ended
beside() {
	par=0
}
after() {
	for a in "$@"; do
		case " $queue " in *" $a "*) ;; *) continue ;; esac
		while [ ! -f "$logs/$a.status" ]; do
			sleep 1
		done
	done
}
# ---- end of suites side by side ----

# the fast loop binds and checks its two books while the unit tests run
if [ $mode = check ]; then
	(
		t0=$(date +%s)
		BB_E2E_OUT="$B/e2e-check" python3 tests/e2e.py --smoke > "$logs/e2e-smoke.log" 2>&1
		echo "$? $(($(date +%s) - t0))" > "$logs/e2e-smoke.status"
	) &
	smoke=$!
fi

if [ ! -x "$B/blogbind" ]; then
	fail=$((fail + 1))
	echo "FAIL: $B/blogbind is not built (make B=$B all unit asan)"
fi
# unit_tests: every unit test of tests/unit, built from its current source:
# one that did not compile is not left out quietly (make test: two at a
# time, in the batch, after the long suites)
unit_tests() {
	units=0
	for c in tests/unit/test_*.c; do
		[ -f "$c" ] || continue
		n=$(basename "$c" .c)
		t=$B/tests/$n
		if [ ! -x "$t" ]; then
			fail=$((fail + 1))
			echo "FAIL: $n: $t is not built (make B=$B unit)"
		elif [ "$c" -nt "$t" ]; then
			fail=$((fail + 1))
			echo "FAIL: $n: $t is older than $c (make B=$B unit)"
		else
			units=$((units + 1))
			suite "$n" "$t"
		fi
	done
	if [ $units -eq 0 ]; then
		fail=$((fail + 1))
		echo "FAIL: no unit test ran from $B/tests (make B=$B unit)"
	fi
}

if [ $mode = check ]; then
	unit_tests
	wait $smoke
	read -r rc secs < "$logs/e2e-smoke.status"
	count e2e-smoke "$logs/e2e-smoke.log" "$rc" "$secs"
	grep -E '^not ok' "$logs/e2e-smoke.log" | head -n 20
else
	# two suites at a time from here to join (see batch above); the slow
	# set-ups run meanwhile (tests/prepare.sh; make test starts them earlier)
	sh tests/prepare.sh start
	batch
	# these two wait for the Debian 12 base and the .deb cache (prepare.sh)
	aside newcomer sh tests/prepare.sh then chroot sh tests/newcomer.sh
	aside deb sh tests/prepare.sh then chroot sh tests/deb.sh
	# the longest first
	suite e2e python3 tests/e2e.py
	suite hostile python3 tests/hostile.py
	suite sources python3 tests/sources.py
	# the same runs with the sanitizer build: any report aborts it (exit != 0)
	if [ -x "$B/asan/blogbind" ]; then
		suite e2e-asan env BLOGBIND="$B/asan/blogbind" BB_E2E_SKIP_EPUBCHECK=1 BB_E2E_OUT="$B/e2e-asan" \
			ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
			python3 tests/e2e.py
	fi
	suite fuzz-replay sh tests/fuzz/replay.sh
	suite wordpress python3 tests/wordpress.py
	suite movabletype python3 tests/movabletype.py
	# epubcheck-ts (npm, pinned) for the suites that check books with it too
	prep epubcheck-ts ||
		echo "tests/epubcheck-ts/setup.sh failed (see $B/prepare/epubcheck-ts.log): its checks will fail"
	suite epubcheck-ts python3 tests/epubcheck_ts.py
	suite images python3 tests/images.py
	suite rebind python3 tests/rebind.py
	suite fetch python3 tests/fetch.py
	suite embeds python3 tests/embeds.py
	suite jekyll python3 tests/jekyll.py
	# every Jekyll and Hugo corpus against kramdown, Jekyll and Hugo themselves (>= 99 % of blocks)
	suite oracle python3 tests/oracle.py
	suite ial python3 tests/ial.py
	suite segments python3 tests/segments.py
	suite webnovel python3 tests/webnovel.py
	suite volumes python3 tests/volumes.py
	suite install sh tests/install.sh
	suite symbols sh tests/symbols.sh
	unit_tests
	# Kindle/Kobo smoke: calibre (Debian, installed for this test only; last,
	# so that nothing else waits for its installation)
	prep calibre ||
		echo "tests/calibre-setup.sh failed (see $B/prepare/calibre.log): tests/calibre.py will fail"
	suite calibre python3 tests/calibre.py
	# the rest, here, while those run
	beside

	if [ -x "$B/asan/blogbind" ]; then
		# the sanitizer build makes the very same books, every one of them
		after e2e e2e-asan
		suite asan-same sh tests/same-books.sh "$B/e2e" "$B/e2e-asan"
	else
		skip e2e-asan "$B/asan/blogbind is not built (make B=$B asan)"
	fi

	# a real reading system and the accessibility checker
	if [ "${BB_SKIP_READER:-}" = 1 ]; then
		skip reader "BB_SKIP_READER=1: no reading system and no Ace"
	elif prep reader; then
		after e2e epubcheck-ts
		art=$B/artifacts
		mkdir -p "$art"
		suite reader-example sh tests/reader/run.sh "$B/e2e/example.epub" "$art/example" --expect-media
		# the same checks in WebKit (webkit2gtk-driver under Xvfb)
		suite reader-example-webkit sh tests/reader/webkit.sh "$B/e2e/example.epub" "$art/example-webkit" --expect-media
		if [ -f "$B/e2e/allforces-vertical.epub" ]; then
			suite reader-vertical sh tests/reader/run.sh "$B/e2e/allforces-vertical.epub" "$art/allforces-vertical" \
				--expect-vertical
			# WebKitGTK 2.50 draws 「」、。ー in their horizontal forms even in
			# a minimal page with correct CSS (tests/reader/glyphs.js): there
			# those marks are TODO lines, the other checks count
			suite reader-vertical-webkit sh tests/reader/webkit.sh "$B/e2e/allforces-vertical.epub" \
				"$art/allforces-vertical-webkit" --expect-vertical
			# the same check must fail where only Droid Sans Fallback draws the text
			suite reader-fallback sh tests/reader/fallback.sh "$B/e2e/allforces-vertical.epub" \
				"$art/allforces-fallback"
			suite reader-fallback-webkit sh tests/reader/fallback.sh "$B/e2e/allforces-vertical.epub" \
				"$art/allforces-fallback-webkit" --webkit
		else
			skip reader-vertical "$B/e2e/allforces-vertical.epub was not made (the shared sample is missing)"
		fi
		# formulas drawn and images shown (the book tests/epubcheck_ts.py made)
		if [ -f "$B/rich/rich.epub" ]; then
			suite reader-rich sh tests/reader/run.sh "$B/rich/rich.epub" "$art/rich" --expect-math
		else
			skip reader-rich "$B/rich/rich.epub was not made (tests/epubcheck_ts.py)"
		fi
		# --preview: the bundled viewer in both engines, nothing outside the book
		suite preview python3 tests/preview.py
		for b in example allforces allforces-vertical; do
			if [ -f "$B/e2e/$b.epub" ]; then
				suite "ace-$b" sh tests/reader/ace.sh "$B/e2e/$b.epub" "$art/ace-$b"
			else
				skip "ace-$b" "$B/e2e/$b.epub was not made"
			fi
		done
		echo "screenshots and reports: $art/"
	else
		fail=$((fail + 1))
		echo "FAIL: tests/reader/setup.sh (see $B/prepare/reader.log)"
		tail -n 20 "$logs/prepare-reader.log"
	fi
	join
fi

echo "== total: $(($(date +%s) - start)) s"
if [ $allow -eq 1 ]; then
	echo "$pass passed, $fail failed, $skipped skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
