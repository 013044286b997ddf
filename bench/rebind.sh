#!/bin/sh
# rebind.sh: the incremental rebind benchmark (called by bench/run.sh, or
# alone): the generated blog of N posts is bound once with --cache-dir, one
# backdated post is added, then the grown blog is bound without the cache
# (the full bind) and with it (the rebind). Target: the rebind takes at most
# 10 % of the full bind's wall time, and both books are byte-identical.
# Prints the figures and a PASS/FAIL line; exits 1 when a command failed.
#
# Settings from the environment: BLOGBIND [build/blogbind], BENCH_SEED
# [20240501], BENCH_REBIND_N [10000].
set -eu
cd "$(dirname "$0")/.."
BENCH_DIR=$(pwd)/build/bench
. bench/lib.sh

BLOGBIND=${BLOGBIND:-$(pwd)/build/blogbind}
SEED=${BENCH_SEED:-20240501}
N=${BENCH_REBIND_N:-10000}
case $BLOGBIND in /*) ;; *) BLOGBIND=$(pwd)/$BLOGBIND ;; esac
[ -x /usr/bin/time ] || bench_install time

src=$(bench_blog "$SEED" "$N")
work=$BENCH_DIR/rebind
rm -rf "$work"
mkdir -p "$work"
# the generated blog, linked (not copied), and one post more
cp -al "$src" "$work/blog"
cache=$work/cache
timef=$work/time.txt

# S_time NAME ARGS...: runs blogbind, prints "wall cpu rss faults" (cpu: user
# + system; faults: minor page faults, which cost a rebind here as much as
# its system calls: a first touch of a page is some 10 us on this VM)
S_time() {
	t_name=$1
	shift
	sync
	if ! /usr/bin/time -f '%e %U %S %M %R' -o "$timef" "$BLOGBIND" "$@" > "$work/$t_name.log" 2>&1; then
		echo "bench: rebind: $t_name failed: see $work/$t_name.log" >&2
		exit 1
	fi
	awk '{ printf "%s %.2f %d %d\n", $1, $2 + $3, $4, $5 }' "$timef"
}

set -- $(S_time first "$work/blog" -o "$work/first.epub" -q --cache-dir "$cache")
first_wall=$1 first_cpu=$2
cat > "$work/blog/_posts/2010-06-15-rebind-added-post.md" <<'EOF'
---
title: A post added later, dated earlier
---
The rebind renders this post and reuses every other one.

## A heading

With a [link](https://example.com/) and *some emphasis*.
EOF
set -- $(S_time full "$work/blog" -o "$work/full.epub" -q)
full_wall=$1 full_cpu=$2 full_rss=$3 full_pf=$4
set -- $(S_time rebind "$work/blog" -o "$work/rebind.epub" -v --cache-dir "$cache")
re_wall=$1 re_cpu=$2 re_rss=$3 re_pf=$4
reused=$(sed -n 's/.*chapter cache: \([0-9]* of [0-9]*\) posts reused.*/\1/p' "$work/rebind.log")
packs=$(ls "$cache/chapters" | grep -c '^pack-')
cache_kb=$(du -sk "$cache/chapters" | cut -f 1)
if cmp -s "$work/full.epub" "$work/rebind.epub"; then same=yes; else same=no; fi

echo
echo "rebind of the $N-post blog after adding one post (load average $(cut -d ' ' -f 1-3 /proc/loadavg) on $(nproc) cores)"
printf '  first bind, empty cache:  %7s s wall %7s s cpu\n' "$first_wall" "$first_cpu"
printf '  full bind, no cache:      %7s s wall %7s s cpu %6d MB RSS %7d page faults\n' "$full_wall" "$full_cpu" \
	$((full_rss / 1024)) "$full_pf"
printf '  rebind with the cache:    %7s s wall %7s s cpu %6d MB RSS %7d page faults, %s posts reused\n' "$re_wall" \
	"$re_cpu" $((re_rss / 1024)) "$re_pf" "$reused"
printf '  cache: %d pack(s), %d MB\n' "$packs" $((cache_kb / 1024))
awk -v rw="$re_wall" -v fw="$full_wall" -v rc="$re_cpu" -v fc="$full_cpu" -v same="$same" -v n="$N" 'BEGIN {
	q = fw > 0 ? rw / fw : 1
	qc = fc > 0 ? rc / fc : 1
	printf "%s rebind %d posts: %.2f s vs full bind %.2f s = %.1f %% of it (cpu %.1f %%; target <= 10 %%), books %s\n",
		(q <= 0.10 && same == "yes") ? "PASS" : "FAIL", n, rw, fw, 100 * q, 100 * qc,
		same == "yes" ? "byte-identical" : "DIFFER"
}'
