# chroot.sh: a clean Debian 12 system for the tests that need one
# (tests/newcomer.sh, tests/deb.sh), sourced by them after they set repo
# (the checkout) and set -u. The base system (debootstrap --variant=minbase
# bookworm, made by mmdebstrap when it is installed, then make and git) is
# made once and kept as a tarball, and the
# .deb files the systems download are kept as a cache, both under
# build/newcomer/ and shared by every test, so a second run downloads
# nothing. Each test unpacks its own fresh copy and removes it after.
#   BB_NEWCOMER_TIMEOUT=S  seconds allowed to one command in a system (1200)
#   BB_NEWCOMER_MIRROR=URL the Debian mirror (default http://deb.debian.org/debian)
#   BB_DEBOOTSTRAP=1       debootstrap itself even where mmdebstrap is installed
# Functions: as_root, give_back, chroot_unusable, chroot_base, fresh, in_root,
# in_root_timed, phases, keep_debs, teardown.
work=$repo/build/newcomer
base=$work/bookworm-minbase-make-git.tar.gz
debs=$work/debs
mirror=${BB_NEWCOMER_MIRROR:-http://deb.debian.org/debian}
limit=${BB_NEWCOMER_TIMEOUT:-1200}
root=

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
		echo "chroot: $root still has mounts; left in place" >&2
	else
		rm -rf --one-file-system "$root"
	fi
	root=
}

# as_root SCRIPT ARGS...: a user with sudo (as the README's set-up allows)
# runs the test as root, which a chroot needs, keeping its BB_* settings;
# root, or a user sudo does not let in without a password, goes on as is
# (chroot_unusable then says why).
as_root() {
	[ "$(id -u)" -eq 0 ] && return 0
	command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || return 0
	keep=$(env | sed -n 's/^\(BB_[A-Za-z0-9_]*\)=.*/\1/p' | paste -sd, -)
	if [ -n "$keep" ]; then
		exec sudo -n --preserve-env="$keep" sh "$@"
	fi
	exec sudo -n sh "$@"
}

# give_back DIR...: under sudo, what the test made goes back to the user who
# ran it, so that user's `make clean` can remove it
give_back() {
	[ -n "${SUDO_UID:-}" ] && [ "$(id -u)" -eq 0 ] || return 0
	for d in "$@"; do
		[ -e "$d" ] && chown -R "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$d" 2>/dev/null
	done
	return 0
}

# chroot_unusable: prints why no system can be made here and returns 0, or
# returns 1 (prints nothing) when one can. Installs debootstrap when missing.
chroot_unusable() {
	[ "$(id -u)" -eq 0 ] || { echo "needs root to make a chroot (uid $(id -u))"; return 0; }
	if ! command -v debootstrap >/dev/null 2>&1; then
		sh "$repo/tests/apt-install.sh" debootstrap >/dev/null 2>&1 ||
			{ echo "debootstrap is missing and cannot be installed"; return 0; }
	fi
	command -v timeout >/dev/null 2>&1 || { echo "no timeout(1)"; return 0; }
	mkdir -p "$work" "$debs"
	probe=$work/probe.$$
	mkdir -p "$probe"
	if ! mount --bind "$probe" "$probe" 2>/dev/null; then
		rmdir "$probe"
		echo "cannot mount here (no CAP_SYS_ADMIN?)"
		return 0
	fi
	umount "$probe"
	rmdir "$probe"
	chroot / true 2>/dev/null || { echo "cannot chroot here"; return 0; }
	return 1
}

# in_root CMD: runs a shell command in the current system, bounded in time
in_root() {
	timeout -k 10 "$limit" chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive sh -c "$1"
}

# in_root_timed LOG CMD: in_root CMD, its output into LOG and, each line
# after the seconds since the start, into LOG.t (for phases); returns CMD's
# status. perl-base is essential on Debian, so it is there.
in_root_timed() {
	{
		in_root "$2" 2>&1
		echo $? > "$1.rc"
	} | perl -e '$| = 1; $t0 = time; open(T, ">", $ARGV[0] . ".t") or die; select((select(T), $| = 1)[0]);
		while (<STDIN>) { print; printf T "%d %s", time - $t0, $_ }' "$1" > "$1"
	return "$(cat "$1.rc")"
}

# phases LOG: where the time of a logged apt + make run went (LOG.t from
# in_root_timed): each line's seconds until the next go to the kind of
# work the line announces (apt's Get:, dpkg's Unpacking and Setting up, a
# compiler line, the book's bind)
phases() {
	awk '{ t = $1; sub(/^[0-9]+ /, "") }
		/^(Hit|Get|Ign):/ { k = "download" }
		/^(Selecting previously|Preparing to unpack|Unpacking) / { k = "unpack" }
		/^(Setting up|Processing triggers) / { k = "configure" }
		/^(cc|gcc|clang|ar|ln|sh tools|EMBED_NAME=|make\[[0-9]+\]: Entering)/ { k = "build" }
		/^sh tools\/run-example/ { k = "bind" }
		{ if (NR > 1) s[prev] += t - last; prev = k; last = t }
		BEGIN { k = "start" }
		END { printf "start %d s, download %d s, unpack %d s, configure %d s, build %d s, bind %d s (total %d s)\n",
			s["start"], s["download"], s["unpack"], s["configure"], s["build"], s["bind"], last }' "$1.t"
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

# chroot_base: makes the base tarball unless it is there (once, under a
# lock, as test runs may overlap). Returns 0 when it is there, 2 when
# debootstrap could not make Debian 12 (a reason to skip), 1 when the base
# could not get make and git or be packed (a failure); says why.
chroot_base() {
	[ -s "$base" ] && return 0
	exec 9>"$work/base.lock"
	flock 9 2>/dev/null
	if [ -s "$base" ]; then
		exec 9>&-
		return 0
	fi
	t0=$(date +%s)
	root=$work/root-base-$$
	# mmdebstrap's minbase is debootstrap's package set, made through apt
	# (downloads in parallel, dpkg without a sync per file); debootstrap
	# itself when mmdebstrap is missing (BB_DEBOOTSTRAP=1: always).
	# The base is made with dpkg's --force-unsafe-io (no fsync per file):
	# how it was made is not what the tests check, and the option is gone
	# from the tarball (the customize hook), so the newcomer's own installs
	# run with dpkg's defaults, as on a user's machine
	strap="debootstrap --variant=minbase bookworm"
	if [ "${BB_DEBOOTSTRAP:-}" != 1 ] && command -v mmdebstrap >/dev/null 2>&1; then
		strap="mmdebstrap --variant=minbase --dpkgopt=force-unsafe-io bookworm"
		set -- --customize-hook='rm -f "$1"/etc/dpkg/dpkg.cfg.d/99mmdebstrap'
	else
		set --
	fi
	echo "chroot: $strap (once; kept in $base)"
	t1=$(date +%s)
	if ! timeout -k 10 "$limit" $strap "$@" "$root" "$mirror" > "$work/debootstrap.log" 2>&1; then
		tail -n 5 "$work/debootstrap.log"
		teardown
		exec 9>&-
		echo "debootstrap could not make Debian 12 from $mirror (see $work/debootstrap.log)"
		return 2
	fi
	echo "chroot: $strap: $(($(date +%s) - t1)) s"
	t1=$(date +%s)
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
	if ! in_root 'apt-get update -q && apt-get install -y -q -o DPkg::Options::=--force-unsafe-io make git && apt-get clean' \
		> "$work/base-apt.log" 2>&1; then
		tail -n 5 "$work/base-apt.log"
		teardown
		exec 9>&-
		echo "apt-get install make git in the base (see $work/base-apt.log)"
		return 1
	fi
	echo "chroot: make and git: $(($(date +%s) - t1)) s"
	t1=$(date +%s)
	if ! { tar -czf "$base.tmp" -C "$root" . && mv "$base.tmp" "$base"; }; then
		rm -f "$base.tmp"
		teardown
		exec 9>&-
		echo "tarball of the base system"
		return 1
	fi
	echo "chroot: tarball: $(($(date +%s) - t1)) s; base made in $(($(date +%s) - t0)) s"
	teardown
	exec 9>&-
	return 0
}
