#!/bin/sh
# newcomer.sh: a new user's first command, checked where it matters: on a
# minimal Debian 12 (debootstrap --variant=minbase bookworm, then only make
# and git), a clone of the committed tree runs `make -j2 run` as root and
# `make run` as a user with sudo the first time, side by side, each in a
# fresh copy of the system, where pkg-config and the -dev packages only exist
# after the run's own `make deps`. Each must end with the book written; then
# the same command runs again. Each phase's wall and CPU seconds are shown.
#
# Needs root and debootstrap (installed when missing). Elsewhere it prints
# "skip newcomer: REASON", which counts as a failure unless BB_ALLOW_SKIP=1.
# The base system is kept as a tarball under build/newcomer/; the .deb files
# come from the host's apt cache and build/newcomer/debs (tests/chroot.sh).
#   BB_NEWCOMER_USER=0     only the run as root
#   BB_NEWCOMER_TIMEOUT=S  seconds allowed to each make run (default 1200)
#   BB_NEWCOMER_MIRROR=URL the Debian mirror (default http://deb.debian.org/debian)
# Ends with "N passed, N failed" (and ", N skipped").
set -u
cd "$(dirname "$0")/.."
repo=$(pwd -P) # the paths /proc/mounts shows
. tests/chroot.sh
as_root "$repo/tests/$(basename "$0")" "$@"
pass=0
fail=0
skipped=0

ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }

finish() {
	if [ "$skipped" -ne 0 ]; then
		echo "$pass passed, $fail failed, $skipped skipped"
	else
		echo "$pass passed, $fail failed"
	fi
	[ "$fail" -eq 0 ]
	exit
}

# skip REASON: the check cannot run here: a counted skip under
# BB_ALLOW_SKIP=1, a failure otherwise (the line is printed either way)
skip() {
	echo "skip newcomer: $*"
	if [ "${BB_ALLOW_SKIP:-}" = 1 ]; then
		skipped=$((skipped + 1))
	else
		nok "newcomer could not run (BB_ALLOW_SKIP=1 turns this into a skip)"
	fi
	finish
}

# the runs' systems are removed whatever happens: each run removes its own
# when it ends; when this script is stopped, stop ends the runs (what runs
# in their systems first: a run takes its signal once its command is over),
# then removes what is left
tries=
stop() {
	if [ -n "$tries" ]; then
		kill $tries 2>/dev/null
		for r in "$work"/root-*-$$; do
			[ -d "$r" ] && root=$r && end_in_root
		done
		wait
	fi
	for r in "$work"/root-*-$$; do
		[ -d "$r" ] && root=$r && teardown
	done
	give_back "$work"
}
trap 'stop' EXIT
trap 'exit 130' INT TERM

git rev-parse --git-dir > /dev/null 2>&1 || skip "not a git checkout"
why=$(chroot_unusable) && skip "$why"

# The base: Debian 12 minbase with make and git, nothing else (tests/chroot.sh).
chroot_base
case $? in
0) ;;
2) skip "debootstrap could not make Debian 12 from $mirror (see $work/debootstrap.log)" ;;
*) nok "the base system (make and git on Debian 12 minbase)"; finish ;;
esac

# try NAME WHO MAKECMD: a fresh system, a clone of HEAD, MAKECMD in it the
# first time, as root (WHO=root) or as a user with sudo (WHO=user); prints
# "ok"/"not ok" lines and the time of each phase (each run in a subshell:
# its variables are its own, and its system goes when it ends)
try() {
	trap 'teardown' EXIT
	trap 'exit 130' INT TERM
	name=$1
	who=$2
	cmd=$3
	log=$work/$name.log
	mark t0
	if ! fresh "$name"; then
		nok "$name: a fresh system from $base"
		return
	fi
	# the point of the check: nothing the build needs is there before deps
	if in_root 'command -v pkg-config || command -v cc || [ -e /usr/include/libxml2 ]' > /dev/null 2>&1; then
		nok "$name: the base system already has pkg-config, a compiler or headers"
		return
	fi
	if [ "$who" = root ]; then
		home=/root
		git clone -q "$repo" "$root$home/blogbind" || { nok "$name: git clone"; return; }
		run="cd $home/blogbind && $cmd"
	else
		home=/home/newbie
		if ! in_root 'apt-get install -y -q sudo >/dev/null && useradd -m -s /bin/sh -G sudo newbie &&
			echo "newbie ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/newbie' > "$log" 2>&1; then
			nok "$name: a user with sudo (see $log)"
			return
		fi
		git clone -q "$repo" "$root$home/blogbind" || { nok "$name: git clone"; return; }
		in_root "chown -R newbie:newbie $home/blogbind"
		run="su newbie -c 'cd $home/blogbind && $cmd'"
	fi
	since "$t0"
	echo "# $name: a fresh system $where and the clone: $took"
	mark t0
	in_root_timed "$log" "$run"
	st=$?
	since "$t0"
	t=${took%% s,*}
	echo "# $name: $(phases "$log"); $took"
	keep_debs
	book=$root$home/blogbind/build/example.epub
	if [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; then
		nok "$name: $cmd took longer than $limit s (see $log)"
	elif [ "$st" -ne 0 ]; then
		# the first errors (make -j goes on with the other jobs), then the end
		grep -nE 'error:|\*\*\*|^E: ' "$log" | head -n 5 | sed 's/^/  ! /'
		tail -n 15 "$log" | sed "s/^/  | /"
		nok "$name: $cmd exited $st after $t s (see $log)"
	elif ! grep -q "^The book: $home/blogbind/build/example.epub ([1-9][0-9]* bytes)" "$log"; then
		tail -n 15 "$log" | sed "s/^/  | /"
		nok "$name: $cmd did not say where the book was written (see $log)"
	elif [ "$(head -c 58 "$book" | tail -c 28)" != "mimetypeapplication/epub+zip" ] || [ "$(wc -c < "$book")" -lt 2000 ]; then
		nok "$name: $book is not an EPUB"
	else
		ok "$name: $cmd, the first time, as $who, on Debian 12 with only make and git ($t s)"
		# and again: now a plain build
		mark t0
		if in_root "$run" > "$log.again" 2>&1 && grep -q '^The book: ' "$log.again"; then
			since "$t0"
			ok "$name: $cmd again ($took)"
		else
			tail -n 15 "$log.again" | sed "s/^/  | /"
			nok "$name: $cmd a second time (see $log.again)"
		fi
	fi
	tail -n 3 "$log" | sed 's/^/  | /'
}

# start NAME WHO MAKECMD: try in the background, its output into NAME.out,
# ended by a last line "# NAME: ended" (missing when the run was killed)
names=
start() {
	(
		try "$@"
		echo "# $1: ended"
	) > "$work/$1.out" 2>&1 &
	tries="$tries $!"
	names="$names $1"
}

# the runs side by side, each in its own system (much of their time goes to
# dpkg's writes and apt's downloads, not the CPU), then their output in this
# order; BB_NEWCOMER_USER=0 leaves the user's run out
start root root 'make -j2 run'
[ "${BB_NEWCOMER_USER:-1}" = 1 ] && start user user 'make run'
wait
tries=
for n in $names; do
	grep -v '^# [a-z]*: ended$' "$work/$n.out"
	pass=$((pass + $(grep -c '^ok - ' "$work/$n.out")))
	fail=$((fail + $(grep -c '^not ok - ' "$work/$n.out")))
	grep -qx "# $n: ended" "$work/$n.out" || nok "$n: the run ended without its verdict (see $work/$n.out)"
done
finish
