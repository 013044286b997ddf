#!/bin/sh
# run.sh: the benchmark behind `make bench`: times blogbind against the floor
# (bench/floor.sh: cmark-gfm in one process + zip -6) and pandoc on generated
# blogs of 1,000, 10,000 and 100,000 posts, prints a table and PASS/FAIL per
# target (issue 16): --jobs 1 at most the floor and the default jobs at most
# 0.6x it at 1,000 and 10,000 posts, peak RSS at most 64 MB, time linear in
# the posts (within 1.15x), formulas and highlighted code within 1.5x and a
# WordPress export of the same posts within 1.2x of the Jekyll folder, books
# byte-identical across --jobs and runs.
#
# Measures on each size: floor, blogbind (default jobs), blogbind-j1, pandoc
# (its sizes only); on the budget sizes also plain (no code block names a
# language, no formula: gen -k plain), rich (a formula in one post of three, a
# highlighted block in one of two: gen -k rich) and wxr (a WXR export of the
# default blog's posts: gen -w), all three with the default jobs.
#
# Settings from the environment (defaults in brackets):
#   BLOGBIND=PATH          the program measured [build/blogbind]
#   BENCH_SEED=N           the generator's seed [20240501]
#   BENCH_SIZES="N ..."    blog sizes, smallest first ["1000 10000 100000"]
#   BENCH_BUDGET_SIZES="N ..." sizes with the plain, rich and wxr measures ["1000 10000"]
#   BENCH_PANDOC_SIZES="N ..." sizes pandoc is run on ["1000"]
#   BENCH_REPEAT=N         runs of each measure; the median time is reported [3]
#   BENCH_LONG=S           a measure whose first run took longer is not repeated [20]
#   BENCH_PANDOC=auto|0|1  pandoc: when installed / never / install it [auto]
#   BENCH_PANDOC_TIMEOUT=S a pandoc run is stopped after S seconds [600]
# Peak RSS is the largest over the runs; MB in the output are MiB. Beside each
# wall time stands the 1-minute load average read before its runs (median).
# Exits 0 when every command worked, even when a target is missed, and 1 when
# a command failed (its log under build/bench/logs is named).
set -eu
cd "$(dirname "$0")/.."
BENCH_DIR=$(pwd)/build/bench
. bench/lib.sh

BLOGBIND=${BLOGBIND:-$(pwd)/build/blogbind}
SEED=${BENCH_SEED:-20240501}
SIZES=${BENCH_SIZES:-1000 10000 100000}
BUDGET_SIZES=${BENCH_BUDGET_SIZES:-1000 10000}
PANDOC_SIZES=${BENCH_PANDOC_SIZES:-1000}
REPEAT=${BENCH_REPEAT:-3}
LONG=${BENCH_LONG:-20}
PANDOC=${BENCH_PANDOC:-auto}
PANDOC_TIMEOUT=${BENCH_PANDOC_TIMEOUT:-600}
RSS_LIMIT_KB=65536

case $BLOGBIND in /*) ;; *) BLOGBIND=$(pwd)/$BLOGBIND ;; esac
if [ ! -x "$BLOGBIND" ]; then
	echo "bench: $BLOGBIND not found: build it first (make all)" >&2
	exit 1
fi

bench_need cmark-gfm cmark-gfm
bench_need zip zip
bench_need timeout coreutils
[ -x /usr/bin/time ] || bench_install time
[ "$PANDOC" = 1 ] && bench_need pandoc pandoc
TOOLS="floor blogbind"
if "$BLOGBIND" --help 2>&1 | grep -q -e '--jobs'; then
	TOOLS="$TOOLS blogbind-j1"
	JOBS=yes
else
	JOBS=no
fi
if [ "$PANDOC" != 0 ] && command -v pandoc >/dev/null 2>&1; then
	TOOLS="$TOOLS pandoc"
fi

LOGS=$BENCH_DIR/logs
OUTS=$BENCH_DIR/out
RUNS=$BENCH_DIR/runs.txt      # n tool rep wall rss_kb status cpu load, one line a run
CMPS=$BENCH_DIR/compare.txt   # n what same|differ
BLOGS=$BENCH_DIR/blogs.txt    # n posts bytes
TIMEF=$BENCH_DIR/time.txt
rm -rf "$LOGS" "$OUTS"
mkdir -p "$LOGS" "$OUTS"
: > "$RUNS"
: > "$CMPS"
: > "$BLOGS"
: > "$BENCH_DIR/sizes.txt"
failed=0

# S_run N TOOL REP DIR OUT CMD...: runs CMD in DIR under /usr/bin/time, its
# output in a log, and appends "N TOOL REP WALL RSS_KB STATUS CPU LOAD" to
# $RUNS (LOAD: the 1-minute load average before the run).
# STATUS is ok when CMD exited 0 and OUT is a non-empty file, timeout when
# timeout(1) stopped it, failed otherwise.
S_run() {
	r_n=$1 r_tool=$2 r_rep=$3 r_dir=$4 r_out=$5
	shift 5
	r_log=$LOGS/$r_n-$r_tool-$r_rep.log
	r_rc=0
	rm -f "$TIMEF"
	# Write back the last run's files now, not while this one is timed.
	sync
	r_load=$(cut -d ' ' -f 1 /proc/loadavg)
	(cd "$r_dir" && exec /usr/bin/time -f '%e %M %U %S' -o "$TIMEF" "$@") > "$r_log" 2>&1 || r_rc=$?
	# On failure time(1) writes a "Command exited" line before the figures.
	[ -s "$TIMEF" ] || echo "0 0 0 0" > "$TIMEF"
	set -- $(tail -n 1 "$TIMEF")
	r_cpu=$(echo "$3 $4" | awk '{ printf "%.2f", $1 + $2 }')
	if [ "$r_rc" -eq 124 ] && [ "$r_tool" = pandoc ]; then
		r_status=timeout
	elif [ "$r_rc" -ne 0 ] || [ ! -s "$r_out" ]; then
		r_status=failed
		failed=1
		echo "bench: $r_tool on $r_n posts failed (exit $r_rc): see $r_log" >&2
	else
		r_status=ok
	fi
	echo "$r_n $r_tool $r_rep $1 $2 $r_status $r_cpu $r_load" >> "$RUNS"
	printf 'bench: %6s posts  %-12s run %s  %7s s  %7s s cpu  %8s KB  load %5s  %s\n' \
		"$r_n" "$r_tool" "$r_rep" "$1" "$r_cpu" "$2" "$r_load" "$r_status" >&2
}

# S_repeat N TOOL: succeeds when TOOL's first run on N posts was ok and short.
S_repeat() {
	awk -v n="$1" -v t="$2" -v long="$LONG" '
	$1 == n && $2 == t && $3 == 1 { found = 1; ok = $6 == "ok" && $4 <= long }
	END { exit !(found && ok) }' "$RUNS"
}

# S_compare N WHAT A B: records whether files A and B are byte-identical.
S_compare() {
	if [ -s "$3" ] && [ -s "$4" ] && cmp -s "$3" "$4"; then
		echo "$1 $2 same" >> "$CMPS"
	else
		echo "$1 $2 differ" >> "$CMPS"
	fi
}

# S_in WORD LIST...: succeeds when WORD is one of LIST.
S_in() {
	s_w=$1
	shift
	for s_x in "$@"; do
		[ "$s_x" = "$s_w" ] && return 0
	done
	return 1
}

# S_book N TOOL REP SRC [OPTION...]: binds SRC with blogbind into
# $OUTS/N-TOOL.epub on the first run (the reference) and into
# $OUTS/N-TOOL-again.epub after, compared with the reference.
S_book() {
	b_n=$1 b_tool=$2 b_rep=$3 b_src=$4
	shift 4
	b_ref=$OUTS/$b_n-$b_tool.epub
	b_out=$b_ref
	[ "$b_rep" -eq 1 ] || b_out=$OUTS/$b_n-$b_tool-again.epub
	rm -f "$b_out"
	S_run "$b_n" "$b_tool" "$b_rep" . "$b_out" "$BLOGBIND" "$b_src" -o "$b_out" -q "$@"
	[ "$b_rep" -eq 1 ] || S_compare "$b_n" "$b_tool run $b_rep" "$b_ref" "$b_out"
}

for n in $SIZES; do
	t0=$(date +%s)
	src=$(bench_blog "$SEED" "$n")
	# a hundred thousand names do not fit on one command line: xargs
	nposts=$(ls "$src/_posts" | wc -l)
	bytes=$(cd "$src/_posts" && printf '%s\n' *.md | xargs cat | wc -c)
	echo "$n $nposts $bytes" >> "$BLOGS"
	ref=$OUTS/$n-blogbind.epub
	tools=$TOOLS
	if S_in "$n" $BUDGET_SIZES; then
		plain=$(bench_blog "$SEED" "$n" plain)
		rich=$(bench_blog "$SEED" "$n" rich)
		wxr=$(bench_wxr "$SEED" "$n")
		tools="$tools plain rich wxr"
	fi
	rep=1
	while [ "$rep" -le "$REPEAT" ]; do
		for tool in $tools; do
			if [ "$rep" -gt 1 ] && ! S_repeat "$n" "$tool"; then
				continue
			fi
			case $tool in
			floor)
				work=$OUTS/floor-$n
				rm -rf "$work"
				S_run "$n" floor "$rep" . "$work/floor.zip" sh bench/floor.sh "$src" "$work"
				got=$(ls "$work/out" | wc -l)
				if [ "$got" -ne "$n" ]; then
					echo "bench: the floor wrote $got posts, not $n" >&2
					failed=1
				fi
				;;
			blogbind) S_book "$n" blogbind "$rep" "$src" ;;
			blogbind-j1)
				out=$OUTS/$n-blogbind-j1.epub
				rm -f "$out"
				S_run "$n" blogbind-j1 "$rep" . "$out" "$BLOGBIND" "$src" -o "$out" -q --jobs 1
				S_compare "$n" "--jobs 1, run $rep" "$ref" "$out"
				;;
			pandoc)
				S_in "$n" $PANDOC_SIZES || continue
				out=$OUTS/$n-pandoc.epub
				rm -f "$out"
				# pandoc takes every post on its command line
				S_run "$n" pandoc "$rep" "$src/_posts" "$out" \
					timeout "$PANDOC_TIMEOUT" pandoc -o "$out" $(cd "$src/_posts" && echo *.md)
				;;
			plain) S_book "$n" plain "$rep" "$plain" ;;
			rich) S_book "$n" rich "$rep" "$rich" ;;
			wxr) S_book "$n" wxr "$rep" "$wxr" ;;
			esac
		done
		rep=$((rep + 1))
	done
	rm -rf "$OUTS/floor-$n"
	echo "$n $(($(date +%s) - t0))" >> "$BENCH_DIR/sizes.txt"
	echo "bench: $n posts measured in $(($(date +%s) - t0)) s (the blogs' generation included)" >&2
done

# S_median N TOOL FIELD: the median of FIELD over TOOL's runs on N posts that
# did not fail (a timed-out run counts with the time it was stopped at).
S_median() {
	awk -v n="$1" -v t="$2" -v f="$3" '$1 == n && $2 == t && $6 != "failed" { print $f }' "$RUNS" |
		sort -n | awk '{ a[NR] = $1 } END { print NR ? a[int((NR + 1) / 2)] : 0 }'
}

# One line a measure: n tool median_wall max_rss_kb status runs median_cpu
# median_load.
SUMMARY=$BENCH_DIR/summary.txt
for n in $SIZES; do
	for tool in $TOOLS plain rich wxr; do
		med=$(S_median "$n" "$tool" 4)
		cpu=$(S_median "$n" "$tool" 7)
		load=$(S_median "$n" "$tool" 8)
		awk -v n="$n" -v t="$tool" -v med="$med" -v cpu="$cpu" -v load="$load" '
		$1 == n && $2 == t {
			runs++
			if ($5 > rss) rss = $5
			if ($6 != "ok" && status != "failed") status = $6
		}
		END { if (runs) print n, t, med, rss, (status == "" ? "ok" : status), runs, cpu, load }' "$RUNS"
	done
done > "$SUMMARY"

echo
echo "blogbind benchmark, seed $SEED, $(nproc) cores, $(cmark-gfm --version | head -n 1 | cut -d ' ' -f 1-2)$(command -v pandoc >/dev/null 2>&1 && pandoc --version | head -n 1 | sed 's/^/, /')"
awk '{ printf "blog of %d posts: %.1f MB of Markdown, %.1f KB a post on average\n", $2, $3 / 1048576, $3 / 1024 / $2 }' "$BLOGS"
awk '{ printf "%d posts measured in %d s, the blogs'"'"' generation included\n", $1, $2 }' "$BENCH_DIR/sizes.txt"
echo "wall and cpu (user + system) s: median of up to $REPEAT runs (one when the first takes over $LONG s); RSS: largest of the runs;"
echo "load: the 1-minute load average before the runs (median), $(nproc) cores; now $(cut -d ' ' -f 1-3 /proc/loadavg) (wall times are only fair on an idle machine)"
echo "plain, rich: gen -k plain / -k rich (formulas in 1 post of 3, highlighted code in 1 of 2); wxr: a WordPress export of the same posts as blogbind's"
echo
awk '
{ n[NR] = $1; t[NR] = $2; w[NR] = $3; r[NR] = $4; s[NR] = $5; c[NR] = $7; l[NR] = $8 }
$2 == "floor" && $5 == "ok" { floor[$1] = $3; floorc[$1] = $7 }
$2 == "pandoc" && $5 != "failed" { pandoc[$1] = $3; ptimeout[$1] = $5 == "timeout" }
function ratio(a, b, bound) {
	if (b <= 0) return "-"
	return sprintf(a / b < 0.1 ? "%s%.3f" : "%s%.2f", bound ? "<" : "", a / b)
}
END {
	printf "%6s  %-12s %8s %5s %7s %12s %8s %8s %8s %9s\n", "posts", "tool", "wall s", "load", "cpu s", "peak RSS MB", "posts/s", "x floor", "cpu x fl", "x pandoc"
	for (i = 1; i <= NR; i++) {
		wall = s[i] == "ok" ? sprintf("%.2f", w[i]) : (s[i] == "timeout" ? ">" w[i] : "failed")
		pps = (s[i] == "ok" && w[i] > 0) ? sprintf("%.0f", n[i] / w[i]) : "-"
		xf = s[i] == "ok" ? ratio(w[i], floor[n[i]], 0) : "-"
		xc = s[i] == "ok" ? ratio(c[i], floorc[n[i]], 0) : "-"
		xp = (s[i] == "ok" && n[i] in pandoc) ? ratio(w[i], pandoc[n[i]], ptimeout[n[i]]) : "-"
		printf "%6d  %-12s %8s %5s %7.2f %12.1f %8s %8s %8s %9s\n", n[i], t[i], wall, l[i], c[i], r[i] / 1024, pps, xf, xc, xp
	}
}' "$SUMMARY"
echo

# Targets (issue 16). The time ratios hold at 1,000 and 10,000 posts; larger
# blogs show theirs as INFO. Time grows linearly: the largest blog may take
# 1.15x its share of the smallest's time.
awk -v limit="$RSS_LIMIT_KB" -v jobs="$JOBS" -v cmps="$CMPS" -v cores="$(nproc)" '
{ key = $1 " " $2; w[key] = $3; r[key] = $4; s[key] = $5; c[key] = $7; l[key] = $8; if (!($1 in seen)) { seen[$1] = 1; ns[++k] = $1 } }
function verdict(ok) { return ok ? "PASS" : "FAIL" }
# ratio(WHAT, N, A, B, BOUND, NOTE): a line comparing measure A with measure B on N posts.
function ratio(what, n, a, b, bound, note,    ka, kb, q, v) {
	ka = n " " a; kb = n " " b
	if (s[ka] != "ok" || s[kb] != "ok") {
		printf "%s %s %d posts: no figure (%s %s, %s %s)\n", (n > 10000 && b == "floor") ? "INFO" : "FAIL", what, n, a, s[ka], b, s[kb]
		return
	}
	q = w[kb] > 0 ? w[ka] / w[kb] : 0
	v = (n > 10000 && b == "floor") ? "INFO" : verdict(q <= bound)
	printf "%s %s %d posts: %s %.2f s vs %s %.2f s = %.2fx (target <= %.1fx%s); cpu %.2f s vs %.2f s = %.2fx; load %s\n",
		v, what, n, a, w[ka], b, w[kb], q, bound, note, c[ka], c[kb], (c[kb] > 0 ? c[ka] / c[kb] : 0), l[ka]
}
END {
	while ((getline line < cmps) > 0) {
		m = split(line, cc, " ")
		total[cc[1]]++
		if (cc[m] == "same") same[cc[1]]++
		else { sub(/ differ$/, "", line); sub(/^[0-9]+ /, "", line); bad[cc[1]] = bad[cc[1]] " [differs: " line "]" }
	}
	for (i = 1; i <= k; i++) {
		n = ns[i]
		if (jobs == "yes")
			ratio("time --jobs 1", n, "blogbind-j1", "floor", 1.0, "")
		ratio("time default jobs", n, "blogbind", "floor", 0.6, cores == 2 ? "" : ", on 2 cores; this machine has " cores)
		if ((n " rich") in s) {
			ratio("budget math+code", n, "rich", "plain", 1.5, "")
			ratio("budget wxr", n, "wxr", "blogbind", 1.2, "")
		}
		rss = 0
		for (key in r)
			if (index(key, n " ") == 1 && key != n " floor" && key != n " pandoc" && r[key] > rss)
				rss = r[key]
		if (s[n " blogbind"] != "ok")
			printf "FAIL memory %d posts: no figure\n", n
		else
			printf "%s memory %d posts: peak RSS %.1f MB over blogbind'"'"'s measures (target <= %d MB)\n", verdict(rss <= limit), n, rss / 1024, limit / 1024
		if (jobs != "yes")
			printf "SKIP identical %d posts: blogbind has no --jobs option; %d of %d repeat runs gave the same book\n", n, same[n], total[n]
		else
			printf "%s identical %d posts: %d of %d books (--jobs 1 and repeats) byte-identical to the first%s\n",
				verdict(total[n] > 0 && same[n] == total[n]), n, same[n], total[n], bad[n]
	}
	if (k >= 2) {
		lo = ns[1]; hi = ns[k]
		split("blogbind blogbind-j1", tl, " ")
		for (j = 1; j <= 2; j++) {
			t = tl[j]
			if (s[lo " " t] == "ok" && s[hi " " t] == "ok" && w[lo " " t] > 0) {
				q = w[hi " " t] / w[lo " " t]
				printf "%s growth %s %d -> %d posts: time x%.2f (target <= %.1f); cpu x%.2f\n",
					verdict(q <= 1.15 * hi / lo), t, lo, hi, q, 1.15 * hi / lo,
					(c[lo " " t] > 0 ? c[hi " " t] / c[lo " " t] : 0)
			} else if ((lo " " t) in s) {
				printf "FAIL growth %s %d -> %d posts: no figure\n", t, lo, hi
			}
		}
	}
}' "$SUMMARY"

BLOGBIND=$BLOGBIND BENCH_SEED=$SEED sh bench/rebind.sh || failed=1  # incremental rebind (--cache-dir)
BLOGBIND=$BLOGBIND sh bench/mathcode.sh || failed=1  # math and highlighting (kaityo256, shared corpora)
if [ "$failed" -ne 0 ]; then
	echo "bench: a command failed; logs are in $LOGS" >&2
	exit 1
fi
