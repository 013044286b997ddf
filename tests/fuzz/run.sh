#!/bin/sh
# run.sh: builds the libFuzzer targets (clang, -fsanitize=fuzzer,address,
# undefined) into build/fuzz/ and runs each for FUZZ_SECONDS (default 600)
# from its corpus in tests/fuzz/corpus/NAME/. New inputs are merged back into
# that corpus, minimised (-merge=1); crashes, leaks and timeouts land in
# build/fuzz/artifacts/NAME/, and each should become a file under
# tests/fuzz/regress/NAME/ (replayed by tests/fuzz/replay.sh).
# The fuzzer runs in fork mode and goes on after a crash, so one run finds
# what it can in its time. Environment: FUZZ_SECONDS, FUZZ_TARGETS (default
# "fm post wxr"), FUZZ_JOBS (worker processes, default 1: the machine is
# shared), CC (default clang), FUZZ_MAX_LEN_fm, FUZZ_MAX_LEN_post,
# FUZZ_MAX_LEN_wxr (default 8192: an export needs its prolog and a few items).
set -u
cd "$(dirname "$0")/../.."
CC=${CC:-clang}
case "$CC" in *clang*) ;; *) CC=clang ;; esac
SECONDS_EACH=${FUZZ_SECONDS:-600}
TARGETS=${FUZZ_TARGETS:-fm post wxr zola}
FUZZ_MAX_LEN_wxr=${FUZZ_MAX_LEN_wxr:-8192}
B=build/fuzz
mkdir -p "$B/obj" "$B/artifacts"

# the libraries the Makefile links
PKGS=$(sed -n 's/^PKGS *= *//p' Makefile)
PKG_CFLAGS=$(pkg-config --cflags $PKGS)
PKG_LIBS=$(pkg-config --libs $PKGS)
FLAGS="-std=c99 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all -Iinclude -Isrc -I$B -DBB_VERSION=\"fuzz\" -pthread $PKG_CFLAGS"

# the library, instrumented for coverage; an object is rebuilt when older
# than its source or any header
sh tools/embed.sh templates/* > "$B/templates_data.c" || exit 1
newest_h=$(ls -t src/*.h include/*.h | head -n 1)
objs=""
for s in src/*.c "$B/templates_data.c"; do
	[ "$s" = src/main.c ] && continue
	o="$B/obj/$(basename "$s" .c).o"
	if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then
		$CC $FLAGS -fsanitize=fuzzer-no-link -c "$s" -o "$o" || exit 1
	fi
	objs="$objs $o"
done

status=0
for t in $TARGETS; do
	$CC $FLAGS -fsanitize=fuzzer "tests/fuzz/fuzz_$t.c" $objs -o "$B/fuzz_$t" \
		-lcmark-gfm-extensions $PKG_LIBS -lpthread || exit 1
	corpus=tests/fuzz/corpus/$t
	work=$B/corpus/$t
	art=$B/artifacts/$t
	mkdir -p "$corpus" "$work" "$art"
	eval max_len=\${FUZZ_MAX_LEN_$t:-}
	[ -n "$max_len" ] || max_len=4096
	echo "fuzz: $t for $SECONDS_EACH s (log: $B/$t.log)"
	"$B/fuzz_$t" "$work" "$corpus" -max_total_time="$SECONDS_EACH" -max_len="$max_len" \
		-timeout=20 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art/" \
		-fork="${FUZZ_JOBS:-1}" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
		> "$B/$t.log" 2>&1
	rc=$?
	tail -n 12 "$B/$t.log"
	if [ $rc -ne 0 ]; then
		echo "fuzz: $t stopped with exit $rc: see $B/$t.log and $art/"
		status=1
	fi
	# minimise: the repository keeps only inputs that reach code no other
	# input reaches (edges, not hit counts, so that it stays small)
	rm -rf "$B/merged/$t"
	mkdir -p "$B/merged/$t"
	"$B/fuzz_$t" -merge=1 -use_counters=0 -max_len="$max_len" -timeout=20 -artifact_prefix="$art/" \
		"$B/merged/$t" "$corpus" "$work" \
		> "$B/$t-merge.log" 2>&1 && {
		rm -f "$corpus"/*
		cp "$B/merged/$t"/* "$corpus"/ 2>/dev/null
	}
	echo "fuzz: $t corpus: $(ls "$corpus" | wc -l) files, $(du -sb "$corpus" | cut -f1) bytes"
done
ls "$B"/artifacts/*/ 2>/dev/null | grep -E 'crash-|leak-|timeout-|oom-' && status=1
exit $status
