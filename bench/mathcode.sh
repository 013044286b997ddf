#!/bin/sh
# mathcode.sh: the cost of math and highlighting (issue 13; called by
# bench/run.sh, or alone): the kaityo256 blog of the shared corpora (370
# Jekyll posts, 2,870 formulas, many code blocks) bound by default (MathML,
# highlighted) and with --math tex --no-highlight, RUNS times each, taking
# turns. Target: the default's median wall time at most 1.5 times the
# other's. Prints the medians of wall and CPU (user + system, Node's
# included), the load average and a PASS/FAIL line; a loaded machine makes
# the wall times (and the verdict) say little, the CPU times less so.
# Skips (exit 0) when the corpus is not there; exits 1 when a bind failed.
#
# Settings from the environment: BLOGBIND [build/blogbind], BENCH_CORPORA
# [../shared/corpora], BENCH_MATHCODE_RUNS [5].
set -eu
cd "$(dirname "$0")/.."
BENCH_DIR=$(pwd)/build/bench
. bench/lib.sh

BLOGBIND=${BLOGBIND:-$(pwd)/build/blogbind}
CORPORA=${BENCH_CORPORA:-../shared/corpora}
RUNS=${BENCH_MATHCODE_RUNS:-5}
case $BLOGBIND in /*) ;; *) BLOGBIND=$(pwd)/$BLOGBIND ;; esac
blog=$CORPORA/kaityo256-blog
if [ ! -d "$blog/_posts" ]; then
	echo "SKIP mathcode: no $blog (the shared corpora are not here)"
	exit 0
fi
[ -x /usr/bin/time ] || bench_install time

work=$BENCH_DIR/mathcode
rm -rf "$work"
mkdir -p "$work"
timef=$work/time.txt

# S_run NAME ARGS...: binds the blog, appends "wall cpu" to $work/NAME.txt
S_run() {
	r_name=$1
	shift
	if ! /usr/bin/time -f '%e %U %S' -o "$timef" "$BLOGBIND" "$blog" -o "$work/$r_name.epub" -q "$@" \
		> "$work/$r_name.log" 2>&1; then
		echo "bench: mathcode: $r_name failed: see $work/$r_name.log" >&2
		exit 1
	fi
	awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$timef" >> "$work/$r_name.txt"
}

# S_median FILE COLUMN: the median of a column
S_median() {
	sort -n -k "$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

load0=$(cut -d ' ' -f 1-3 /proc/loadavg)
# one of each first, not counted: the files are in the page cache for both
S_run warm
i=0
while [ "$i" -lt "$RUNS" ]; do
	S_run default
	S_run plain --math tex --no-highlight
	i=$((i + 1))
done
load1=$(cut -d ' ' -f 1-3 /proc/loadavg)
dw=$(S_median "$work/default.txt" 1) dc=$(S_median "$work/default.txt" 2)
pw=$(S_median "$work/plain.txt" 1) pc=$(S_median "$work/plain.txt" 2)

echo
echo "math and highlighting, kaityo256-blog, median of $RUNS runs (load average $load0 before, $load1 after, on $(nproc) cores)"
printf '  default (MathML, highlighted):  %6s s wall %6s s cpu\n' "$dw" "$dc"
printf '  --math tex --no-highlight:      %6s s wall %6s s cpu\n' "$pw" "$pc"
awk -v dw="$dw" -v pw="$pw" -v dc="$dc" -v pc="$pc" 'BEGIN {
	q = pw > 0 ? dw / pw : 99
	qc = pc > 0 ? dc / pc : 99
	printf "%s math and highlighting: %.2f s vs %.2f s without = %.2fx wall (target <= 1.5x), cpu %.2fx\n",
		q <= 1.5 ? "PASS" : "FAIL", dw, pw, q, qc
}'
