#!/bin/sh
# run.sh: every test of blogbind: the unit tests, the end-to-end tests (each
# book through EPUBCheck), the end-to-end tests again with the
# AddressSanitizer/UBSan build, and the books opened in a real reading system
# (epub.js in Chromium) and checked by Ace. Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
logs=build/test-logs
rm -rf "$logs"
mkdir -p "$logs"
pass=0
fail=0

# count NAME LOGFILE STATUS: adds the "N passed, N failed" of a suite's last
# summary line; a suite that failed without one counts as one failure.
count() {
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$2" | tail -n 1)
	if [ -n "$line" ]; then
		p=$(echo " $line" | sed -E 's/.*[^0-9]([0-9]+) passed, ([0-9]+) failed.*/\1/')
		f=$(echo " $line" | sed -E 's/.*[^0-9]([0-9]+) passed, ([0-9]+) failed.*/\2/')
		pass=$((pass + p))
		fail=$((fail + f))
		if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
			fail=$((fail + 1))
			echo "FAIL: $1 exited $3"
		fi
	elif [ "$3" -ne 0 ]; then
		fail=$((fail + 1))
		echo "FAIL: $1 exited $3 without a summary (see $2)"
		tail -n 20 "$2"
	fi
	echo "== $1: ${line:-exit $3}"
}

for t in build/tests/test_*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	"$t" > "$logs/$n.log" 2>&1
	count "$n" "$logs/$n.log" $?
	grep -E 'FAIL' "$logs/$n.log" | head -n 20
done

# suite NAME COMMAND...: runs a suite into its log, counts it, shows what failed
suite() {
	n=$1
	shift
	"$@" > "$logs/$n.log" 2>&1
	count "$n" "$logs/$n.log" $?
	grep -E '^not ok' "$logs/$n.log"
}

suite e2e python3 tests/e2e.py
suite hostile python3 tests/hostile.py
suite fuzz-replay sh tests/fuzz/replay.sh
suite fetch python3 tests/fetch.py
suite install sh tests/install.sh

# the same runs with the sanitizer build: any report aborts it (exit != 0)
if [ -x build/asan/blogbind ]; then
	BLOGBIND=build/asan/blogbind BB_E2E_SKIP_EPUBCHECK=1 BB_E2E_OUT=build/e2e-asan \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		python3 tests/e2e.py > "$logs/e2e-asan.log" 2>&1
	count e2e-asan "$logs/e2e-asan.log" $?
	grep -E '^not ok' "$logs/e2e-asan.log"
	# the sanitizer build makes the very same books
	same=0
	for b in build/e2e/*.epub; do
		a="build/e2e-asan/$(basename "$b")"
		[ -f "$a" ] && { cmp -s "$b" "$a" || { echo "FAIL: $a differs from $b"; same=1; }; }
	done
	[ $same -eq 0 ] && pass=$((pass + 1)) || fail=$((fail + 1))
fi

# a real reading system and the accessibility checker
if [ "${BB_SKIP_READER:-}" != 1 ]; then
	if sh tests/reader/setup.sh > "$logs/reader-setup.log" 2>&1; then
		art=build/artifacts
		mkdir -p "$art"
		sh tests/reader/run.sh build/e2e/example.epub "$art/example" > "$logs/reader-example.log" 2>&1
		count reader-example "$logs/reader-example.log" $?
		if [ -f build/e2e/allforces-vertical.epub ]; then
			sh tests/reader/run.sh build/e2e/allforces-vertical.epub "$art/allforces-vertical" --expect-vertical \
				> "$logs/reader-vertical.log" 2>&1
			count reader-vertical "$logs/reader-vertical.log" $?
		fi
		for b in example allforces allforces-vertical; do
			[ -f "build/e2e/$b.epub" ] || continue
			sh tests/reader/ace.sh "build/e2e/$b.epub" "$art/ace-$b" > "$logs/ace-$b.log" 2>&1
			count "ace-$b" "$logs/ace-$b.log" $?
		done
		grep -hE '^not ok' "$logs"/reader-*.log "$logs"/ace-*.log
		echo "screenshots and reports: $art/"
	else
		fail=$((fail + 1))
		echo "FAIL: tests/reader/setup.sh (see $logs/reader-setup.log)"
		tail -n 20 "$logs/reader-setup.log"
	fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
