#!/bin/sh
# replay.sh: replays every file under tests/fuzz/regress/NAME/ (inputs that
# once crashed, leaked or hung blogbind) and tests/fuzz/corpus/NAME/ through
# the fuzz target NAME built without libFuzzer but with AddressSanitizer and
# UBSan (tests/fuzz/replay_main.c), one process per file, each under a time
# limit. A target with no input to replay is a failure. Prints
# "fuzz-replay: N passed, N failed". BB_BUILD: the build folder (default
# build); the replay objects go to $BB_BUILD/fuzz-replay.
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
built=1
for s in src/*.c "$B/templates_data.c"; do
	[ "$s" = src/main.c ] && continue
	o="$B/obj/$(basename "$s" .c).o"
	if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then
		$CC $FLAGS -c "$s" -o "$o" || built=0
	fi
	objs="$objs $o"
done

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
	n=0
	for f in tests/fuzz/regress/"$t"/* tests/fuzz/corpus/"$t"/*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		if ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
			timeout 60 "$exe" "$f" > "$B/last.log" 2>&1; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "not ok - $f"
			tail -n 30 "$B/last.log"
		fi
	done
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
