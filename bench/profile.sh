#!/bin/sh
# profile.sh: runs blogbind under callgrind on a generated blog of 300 posts
# and prints the 25 functions with the largest inclusive cost, for the
# performance work. The full profile stays in build/bench/callgrind.out
# (open it with callgrind_annotate or kcachegrind).
#
# Settings from the environment: BLOGBIND=PATH [build/blogbind],
# BENCH_SEED=N [20240501], PROFILE_POSTS=N [300], PROFILE_TOP=N [25].
set -eu
cd "$(dirname "$0")/.."
BENCH_DIR=$(pwd)/build/bench
. bench/lib.sh

BLOGBIND=${BLOGBIND:-$(pwd)/build/blogbind}
SEED=${BENCH_SEED:-20240501}
POSTS=${PROFILE_POSTS:-300}
TOP=${PROFILE_TOP:-25}

if [ ! -x "$BLOGBIND" ]; then
	echo "profile: $BLOGBIND not found: build it first (make all)" >&2
	exit 1
fi
bench_need valgrind valgrind
src=$(bench_blog "$SEED" "$POSTS")
out=$BENCH_DIR/profile.epub
prof=$BENCH_DIR/callgrind.out
# One thread gives a profile whose costs add up along one call tree.
jobs=
if "$BLOGBIND" --help 2>&1 | grep -q -e '--jobs'; then
	jobs="--jobs 1"
fi
rm -f "$out" "$prof"
valgrind --tool=callgrind --callgrind-out-file="$prof" \
	"$BLOGBIND" "$src" -o "$out" -q $jobs 2> "$BENCH_DIR/callgrind.log" || {
	echo "profile: blogbind failed under valgrind: see $BENCH_DIR/callgrind.log" >&2
	exit 1
}
echo "profile: blogbind on $POSTS posts, $(grep -o 'Collected : [0-9]*' "$BENCH_DIR/callgrind.log" | cut -d ' ' -f 3) instructions"
echo "top $TOP functions by inclusive cost (Ir, share of the whole, function):"
# The function lines follow the header "Ir  file:function" and its rule, sorted
# by inclusive cost; the object's folder is cut to keep lines short. Our own
# functions come twice, under the source's absolute and relative names, with
# nearly the same cost: only the first is kept.
callgrind_annotate --inclusive=yes "$prof" 2>/dev/null |
	awk -v top="$TOP" '
	/file:function/ { head = 1; next }
	head && /^-+$/ { on = 1; next }
	on && !NF { exit }
	on {
		sub(/\[.*\//, "[")
		rest = $0
		sub(/^[^)]*\) +/, "", rest)
		split(rest, name, " ")
		key = name[1]
		sub(/.*\//, "", key)
		if (key ~ /^\?\?\?:/) key = key " " name[2]
		if (key in seen) next
		seen[key] = 1
		print
		if (++shown >= top) exit
	}'
