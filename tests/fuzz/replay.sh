#!/bin/sh
# replay.sh: replays every file under tests/fuzz/regress/NAME/ (inputs that
# once crashed, leaked or hung blogbind) and tests/fuzz/corpus/NAME/ through
# the fuzz target NAME built without libFuzzer but with AddressSanitizer and
# UBSan (tests/fuzz/replay_main.c), each file under a time limit of its own.
# The files of a target run in one process, as libFuzzer replays a folder
# (process start and the leak check at exit were most of the time: one
# process per file took 246 s); when that process reports anything (a
# crash, a sanitizer report, a leak, a time-out), every file of the target is
# replayed again in a process of its own, so each failing file is named and
# counted as before. Each file is one check either way. A target with no
# input to replay is a failure. Prints "fuzz-replay: N passed, N failed".
# The library is the sanitizer build's, $BB_BUILD/asan/libblogbind.a (make
# asan, the same sanitizer flags): make test has built it already, so
# nothing is compiled twice (this suite used to compile every source again);
# make brings it up to date first when a source is newer. BB_BUILD: the
# build folder (default build); the replay programs go to
# $BB_BUILD/fuzz-replay.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BB_BUILD:-build}
B=$BUILD/fuzz-replay
mkdir -p "$B"
CC=clang
# the libraries the Makefile links
PKGS=$(sed -n 's/^PKGS *= *//p' Makefile)
PKG_CFLAGS=$(pkg-config --cflags $PKGS)
PKG_LIBS=$(pkg-config --libs $PKGS)
FLAGS="-std=c99 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all -Iinclude -Isrc -pthread $PKG_CFLAGS"
pass=0
fail=0

built=1
lib=$BUILD/asan/libblogbind.a
if ! make -s -j2 B="$BUILD" asan > "$B/make-asan.log" 2>&1 || [ ! -f "$lib" ]; then
	built=0
	echo "# make asan failed:"
	tail -n 20 "$B/make-asan.log"
fi

# replay EXE SECONDS LOG FILE...: the files through EXE in one process,
# SECONDS in all, 60 for each file; succeeds when nothing was reported
replay() {
	exe=$1
	secs=$2
	log=$3
	shift 3
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 BB_REPLAY_SECONDS=60 \
		timeout "$secs" "$exe" "$@" > "$log" 2>&1
}

targets=0
for src in tests/fuzz/fuzz_*.c; do
	[ -f "$src" ] || continue
	targets=$((targets + 1))
	t=$(basename "$src" .c)
	t=${t#fuzz_}
	exe=$B/replay_$t
	if [ $built -eq 0 ] || ! $CC $FLAGS "$src" tests/fuzz/replay_main.c "$lib" -o "$exe" \
		-lcmark-gfm-extensions $PKG_LIBS -lpthread; then
		echo "not ok - cannot build the replay of $t"
		fail=$((fail + 1))
		continue
	fi
	set --
	for f in tests/fuzz/regress/"$t"/* tests/fuzz/corpus/"$t"/*; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	n=$#
	if [ $n -gt 0 ] && replay "$exe" $((60 * n + 60)) "$B/batch_$t.log" "$@"; then
		pass=$((pass + n))
		echo "ok - $t: $n inputs replayed in one process"
	elif [ $n -gt 0 ]; then
		echo "# $t: the one-process replay reported (see $B/batch_$t.log): each input in a process of its own"
		before=$fail
		for f in "$@"; do
			if replay "$exe" 60 "$B/last.log" "$f"; then
				pass=$((pass + 1))
			else
				fail=$((fail + 1))
				echo "not ok - $f"
				tail -n 30 "$B/last.log"
			fi
		done
		# what only shows after other inputs (state left behind) is a failure too
		if [ $fail -eq $before ]; then
			fail=$((fail + 1))
			echo "not ok - $t: the one-process replay reported, no single input does (see $B/batch_$t.log)"
			tail -n 30 "$B/batch_$t.log"
		fi
	fi
	if [ $n -eq 0 ]; then
		echo "not ok - $t: no input under tests/fuzz/regress/$t or tests/fuzz/corpus/$t"
		fail=$((fail + 1))
	fi
done
if [ $targets -eq 0 ]; then
	echo "not ok - no fuzz target under tests/fuzz"
	fail=$((fail + 1))
fi
echo "fuzz-replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
