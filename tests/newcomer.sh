#!/bin/sh
# newcomer.sh: a new user's first command, checked where it matters: on a
# minimal Debian 12 (debootstrap --variant=minbase bookworm, then only make
# and git), a clone of the committed tree runs `make -j2 run` as root (and,
# with BB_NEWCOMER_USER=1, `make run` as a user with sudo) the first time,
# each in a fresh copy of the system, where pkg-config and the -dev packages
# only exist after the run's own `make deps`. Each must end with the book
# written; then the same command runs again.
#
# Needs root and debootstrap (installed when missing). Elsewhere it prints
# "skip newcomer: REASON", which counts as a failure unless BB_ALLOW_SKIP=1.
# The base system is kept as a tarball, and the .deb files downloaded as a
# cache, under build/newcomer/, so a second run downloads nothing.
#   BB_NEWCOMER_USER=1     also the run as a user with sudo (a few minutes more)
#   BB_NEWCOMER_TIMEOUT=S  seconds allowed to each make run (default 1200)
#   BB_NEWCOMER_MIRROR=URL the Debian mirror (default http://deb.debian.org/debian)
# Ends with "N passed, N failed" (and ", N skipped").
set -u
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$repo/build/newcomer
base=$work/bookworm-minbase-make-git.tar.gz
debs=$work/debs
mirror=${BB_NEWCOMER_MIRROR:-http://deb.debian.org/debian}
limit=${BB_NEWCOMER_TIMEOUT:-1200}
pass=0
fail=0
skipped=0
root=

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

# mounted_under DIR: the mount points at or below DIR, deepest first.
mounted_under() {
	awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r
}

# teardown: unmounts everything in the current system and removes it; a
# system still holding a mount is left in place (never removed through it).
teardown() {
	[ -n "$root" ] && [ -d "$root" ] || return 0
	for m in $(mounted_under "$root"); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
	if [ -n "$(mounted_under "$root")" ]; then
		echo "newcomer: $root still has mounts; left in place" >&2
	else
		rm -rf --one-file-system "$root"
	fi
	root=
}
trap 'teardown' EXIT
trap 'teardown; exit 130' INT TERM

[ "$(id -u)" -eq 0 ] || skip "needs root to make a chroot (uid $(id -u))"
[ -d "$repo/.git" ] || skip "not a git checkout"
if ! command -v debootstrap >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null 2>&1 ||
		skip "debootstrap is missing and cannot be installed"
fi
command -v timeout >/dev/null 2>&1 || skip "no timeout(1)"
mkdir -p "$work" "$debs"
probe=$work/probe.$$
mkdir -p "$probe"
if ! mount --bind "$probe" "$probe" 2>/dev/null; then
	rmdir "$probe"
	skip "cannot mount here (no CAP_SYS_ADMIN?)"
fi
umount "$probe"
rmdir "$probe"
chroot / true 2>/dev/null || skip "cannot chroot here"

# in_root CMD...: runs a shell command in the current system, bounded in time
in_root() {
	timeout -k 10 "$limit" chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive sh -c "$1"
}

# fresh NAME: unpacks the base into a new system (with /proc, /dev, and the
# cached .deb files), or fails
fresh() {
	root=$work/root-$1-$$
	mkdir -p "$root" || return 1
	tar -xzf "$base" -C "$root" || return 1
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
	echo "127.0.1.1 $(hostname)" >> "$root/etc/hosts" # as on an installed machine (sudo looks)
	mount -t proc proc "$root/proc" || return 1
	mount --bind /dev "$root/dev" || return 1
	mount --bind /dev/pts "$root/dev/pts" 2>/dev/null
	find "$debs" -name '*.deb' -exec cp -l {} "$root/var/cache/apt/archives/" \; 2>/dev/null
	return 0
}

# keep_debs: adds what the system downloaded to the cache
keep_debs() {
	for f in "$root"/var/cache/apt/archives/*.deb; do
		[ -f "$f" ] && [ ! -f "$debs/$(basename "$f")" ] && cp -l "$f" "$debs/" 2>/dev/null
	done
}

# The base: Debian 12 minbase with make and git, nothing else. Made once
# (under a lock, as test runs may overlap) and kept as a tarball.
if [ ! -s "$base" ]; then
	exec 9>"$work/base.lock"
	flock 9 2>/dev/null
	if [ ! -s "$base" ]; then
		t0=$(date +%s)
		root=$work/root-base-$$
		echo "newcomer: debootstrap --variant=minbase bookworm (once; kept in $base)"
		if ! timeout -k 10 "$limit" debootstrap --variant=minbase bookworm "$root" "$mirror" \
			> "$work/debootstrap.log" 2>&1; then
			tail -n 5 "$work/debootstrap.log"
			teardown
			skip "debootstrap could not make Debian 12 from $mirror (see $work/debootstrap.log)"
		fi
		cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
		if ! in_root 'apt-get update -q && apt-get install -y -q make git && apt-get clean' \
			> "$work/base-apt.log" 2>&1; then
			tail -n 5 "$work/base-apt.log"
			nok "apt-get install make git in the base (see $work/base-apt.log)"
			finish
		fi
		tar -czf "$base.tmp" -C "$root" . && mv "$base.tmp" "$base" || {
			rm -f "$base.tmp"
			nok "tarball of the base system"
			finish
		}
		echo "newcomer: base made in $(($(date +%s) - t0)) s"
		teardown
	fi
	exec 9>&-
fi

# try NAME WHO MAKECMD: a fresh system, a clone of HEAD, MAKECMD in it the
# first time, as root (WHO=root) or as a user with sudo (WHO=user)
try() {
	name=$1
	who=$2
	cmd=$3
	log=$work/$name.log
	if ! fresh "$name"; then
		nok "$name: a fresh system from $base"
		teardown
		return
	fi
	# the point of the check: nothing the build needs is there before deps
	if in_root 'command -v pkg-config || command -v cc || [ -e /usr/include/libxml2 ]' > /dev/null 2>&1; then
		nok "$name: the base system already has pkg-config, a compiler or headers"
		teardown
		return
	fi
	if [ "$who" = root ]; then
		home=/root
		git clone -q "$repo" "$root$home/blogbind" || { nok "$name: git clone"; teardown; return; }
		run="cd $home/blogbind && $cmd"
	else
		home=/home/newbie
		if ! in_root 'apt-get install -y -q sudo >/dev/null && useradd -m -s /bin/sh -G sudo newbie &&
			echo "newbie ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/newbie' > "$log" 2>&1; then
			nok "$name: a user with sudo (see $log)"
			teardown
			return
		fi
		git clone -q "$repo" "$root$home/blogbind" || { nok "$name: git clone"; teardown; return; }
		in_root "chown -R newbie:newbie $home/blogbind"
		run="su newbie -c 'cd $home/blogbind && $cmd'"
	fi
	t0=$(date +%s)
	in_root "$run" > "$log" 2>&1
	st=$?
	t=$(($(date +%s) - t0))
	keep_debs
	book=$root$home/blogbind/build/example.epub
	if [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; then
		nok "$name: $cmd took longer than $limit s (see $log)"
	elif [ "$st" -ne 0 ]; then
		tail -n 15 "$log"
		nok "$name: $cmd exited $st after $t s (see $log)"
	elif ! grep -q "^The book: $home/blogbind/build/example.epub ([1-9][0-9]* bytes)" "$log"; then
		tail -n 15 "$log"
		nok "$name: $cmd did not say where the book was written (see $log)"
	elif [ "$(head -c 58 "$book" | tail -c 28)" != "mimetypeapplication/epub+zip" ] || [ "$(wc -c < "$book")" -lt 2000 ]; then
		nok "$name: $book is not an EPUB"
	else
		ok "$name: $cmd, the first time, as $who, on Debian 12 with only make and git ($t s)"
		# and again: now a plain build
		t0=$(date +%s)
		if in_root "$run" > "$log.again" 2>&1 && grep -q '^The book: ' "$log.again"; then
			ok "$name: $cmd again ($(($(date +%s) - t0)) s)"
		else
			tail -n 15 "$log.again"
			nok "$name: $cmd a second time (see $log.again)"
		fi
	fi
	tail -n 3 "$log" | sed 's/^/  | /'
	teardown
}

try root root 'make -j2 run'
if [ "${BB_NEWCOMER_USER:-0}" = 1 ]; then
	try user user 'make run'
fi
finish
