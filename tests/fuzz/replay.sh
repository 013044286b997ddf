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
# The library objects are compiled two at a time. BB_BUILD: the build folder
# (default build); the replay objects go to $BB_BUILD/fuzz-replay.
set -u
cd "$(dirname "$0")/../.."
CC=${CC:-cc}
command -v clang >/dev/null 2>&1 && CC=clang
B=${BB_BUILD:-build}/fuzz-replay
mkdir -p "$B/obj"
# the libraries the Makefile links
PKGS=$(sed -n 's/^PKGS *= *//p' Makefile)
PKG_CFLAGS=$(pkg-config --cflags $PKGS)
PKG_LIBS=$(pkg-config --libs $PKGS)
FLAGS="-std=c99 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all -Iinclude -Isrc -I$B -DBB_VERSION=\"replay\" -pthread $PKG_CFLAGS"
pass=0
fail=0

sh tools/embed.sh templates/* > "$B/templates_data.c.new" || exit 1
cmp -s "$B/templates_data.c.new" "$B/templates_data.c" || mv "$B/templates_data.c.new" "$B/templates_data.c"
rm -f "$B/templates_data.c.new"
newest_h=$(ls -t src/*.h include/*.h | head -n 1)
objs=""
stale=""
for s in src/*.c "$B/templates_data.c"; do
	[ "$s" = src/main.c ] && continue
	o="$B/obj/$(basename "$s" .c).o"
	if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then
		rm -f "$o"
		stale="$stale $s"
	fi
	objs="$objs $o"
done
# two compilers at a time; an object that did not compile is missing after
built=1
export CC FLAGS B
# shellcheck disable=SC2086
[ -z "$stale" ] || printf '%s\n' $stale | xargs -P 2 -I{} sh -c '$CC $FLAGS -c "$1" -o "$B/obj/$(basename "$1" .c).o"' sh {}
for o in $objs; do
	[ -f "$o" ] || built=0
done

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
	if [ $built -eq 0 ] || ! $CC $FLAGS "$src" tests/fuzz/replay_main.c $objs -o "$exe" \
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
