# chroot.sh: a clean Debian 12 system for the tests that need one
# (tests/newcomer.sh, tests/deb.sh), sourced by them after they set repo
# (the checkout) and set -u. The base system (Debian 12 minbase with make and
# git, made in one step by mmdebstrap --include when it is installed, by
# debootstrap --include otherwise) is made once and kept as a tarball (not
# compressed: unpacked in a few seconds), named by what it holds, under
# build/newcomer/ and shared by every test; each test unpacks its own fresh
# copy and removes it after. The .deb files a system needs are taken from
# the host's apt cache (hard links: make test's own `make deps` has just
# downloaded the same packages) and from build/newcomer/debs (what the
# systems downloaded themselves), so a run downloads little or nothing.
#   BB_NEWCOMER_TIMEOUT=S  seconds allowed to one command in a system (1200)
#   BB_NEWCOMER_MIRROR=URL the Debian mirror (default http://deb.debian.org/debian)
#   BB_DEBOOTSTRAP=1       debootstrap itself even where mmdebstrap is installed
# Functions: as_root, give_back, chroot_unusable, chroot_base, fresh, in_root,
# in_root_timed, phases, keep_debs, teardown, end_in_root, in_memory, mark,
# since.
work=$repo/build/newcomer
# the base's packages beyond minbase (its tarball is named after them)
base_pkgs=make,git
base=$work/bookworm-minbase-$(echo $base_pkgs | tr , -).tar
debs=$work/debs
mirror=${BB_NEWCOMER_MIRROR:-http://deb.debian.org/debian}
limit=${BB_NEWCOMER_TIMEOUT:-1200}
root=

# mark VAR: sets VAR to "SECONDS CPU": the time now (seconds since the
# epoch) and the CPU seconds (user+sys) of this shell's children that have
# ended (the builtin times, run in this shell: a command substitution would
# count a new process's children)
mark() {
	_f=$(mktemp) || return 1
	times > "$_f"
	eval "$1=\"$(date +%s) \$(awk 'NR == 2 { split(\$1, u, /[ms]/); split(\$2, s, /[ms]/);
		printf \"%.1f\", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' \"\$_f\")\""
	rm -f "$_f"
}

# since MARK: sets took to "N s, CPU N s, load L": the wall and CPU seconds
# since MARK (a value from mark) and the 1-minute load average now (not in a
# command substitution, for the same reason)
since() {
	mark _now
	# shellcheck disable=SC2086
	set -- $1 $_now
	took=$(awk -v w="$(($3 - $1))" -v c0="$2" -v c1="$4" '{ printf "%d s, CPU %d s, load %s", w, c1 - c0 + 0.5, $1 }' /proc/loadavg)
}

# mounted_under DIR: the mount points at or below DIR, deepest first.
mounted_under() {
	awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r
}

# teardown: ends what still runs in the current system (a daemon a package
# started, or a command left by a test that was stopped), unmounts everything
# in it and removes it; a system still holding a mount is left in place (never
# removed through it).
teardown() {
	[ -n "$root" ] && [ -d "$root" ] || return 0
	end_in_root
	for m in $(mounted_under "$root"); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
	if [ -n "$(mounted_under "$root")" ]; then
		echo "chroot: $root still has mounts; left in place" >&2
	else
		rm -rf --one-file-system "$root" "$(apt_cache)"
	fi
	root=
}

# end_in_root: kills what runs in the current system
end_in_root() {
	for p in $(find /proc -mindepth 2 -maxdepth 2 -name root -lname "$root" 2>/dev/null); do
		p=${p#/proc/}
		kill -9 "${p%/root}" 2>/dev/null
	done
}

# apt_cache: the folder on disk that is the current system's
# /var/cache/apt/archives (build/newcomer/apt-NAME-PID beside root-NAME-PID)
apt_cache() {
	echo "${root%/*}/apt-${root##*/root-}"
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
# ran it, so that user's `make clean` can remove it; not the systems of
# build/newcomer (root-*: a system, and the host's /dev bound into it, is
# root's even while another test runs in it) nor their apt-* folders (hard
# links of the host's apt cache), nor through a mount or a symbolic link
give_back() {
	[ -n "${SUDO_UID:-}" ] && [ "$(id -u)" -eq 0 ] || return 0
	for d in "$@"; do
		[ -e "$d" ] || continue
		find "$d" -xdev \( -path "$work/root-*" -o -path "$work/apt-*" \) -prune -o \
			-exec chown -h "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" {} + 2>/dev/null
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
# .deb files of the host's apt cache and of build/newcomer/debs), or fails.
# The system is in memory (a tmpfs) when there is room (MemAvailable at
# least 8 GB; BB_NEWCOMER_TMPFS=1 always, 0 never): the newcomer's `make run`
# then installs ~1.6 GB of packages with dpkg's defaults, as a user's does,
# but its fsync per file costs nothing (on this project's 2-core machine, 5.7
# ms each: ~250 of the run's ~430 s). Its /var/cache/apt/archives is a folder
# on disk (apt-NAME-PID) bound in: there the caches' files are hard links,
# and what apt downloads stays for keep_debs.
fresh() {
	root=$work/root-$1-$$
	mkdir -p "$root" "$(apt_cache)/partial" || return 1
	in_memory || return 1
	tar -xf "$base" -C "$root" || return 1
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null
	echo "127.0.1.1 $(hostname)" >> "$root/etc/hosts" # as on an installed machine (sudo looks)
	mount -t proc proc "$root/proc" || return 1
	mount --bind /dev "$root/dev" || return 1
	mount --bind /dev/pts "$root/dev/pts" 2>/dev/null
	# apt takes a file of the right name only when its size and hash are
	# the mirror's; the others it downloads (as it does all when the
	# caches are on another file system). partial/ as apt made it (owned
	# by _apt, which downloads)
	chown --reference="$root/var/cache/apt/archives/partial" "$(apt_cache)/partial" &&
		chmod --reference="$root/var/cache/apt/archives/partial" "$(apt_cache)/partial" || return 1
	for d in "$debs" /var/cache/apt/archives; do
		find "$d" -maxdepth 1 -name '*.deb' -exec cp -l -n -t "$(apt_cache)/" {} + 2>/dev/null
	done
	mount --bind "$(apt_cache)" "$root/var/cache/apt/archives" || return 1
	return 0
}

# in_memory: mounts a tmpfs on the current system's folder when there is
# room (see fresh) and sets where to say so; fails when it cannot mount
in_memory() {
	mem=$(awk '/^MemAvailable:/ { print int($2 / 1048576) }' /proc/meminfo)
	where="on disk"
	case ${BB_NEWCOMER_TMPFS:-auto},$mem in
	0,*) ;;
	1,* | *,[89] | *,[1-9][0-9]*)
		mount -t tmpfs -o size=4g,mode=0755 tmpfs "$root" || return 1
		where="in memory (tmpfs)"
		;;
	esac
}

# keep_debs: adds what the system downloaded (files not linked from a cache)
# to build/newcomer/debs
keep_debs() {
	find "$(apt_cache)" -maxdepth 1 -name '*.deb' -links 1 -exec cp -l -n -t "$debs/" {} + 2>/dev/null
}

# chroot_base: makes the base tarball unless it is there (once, under a
# lock, as test runs may overlap). Returns 0 when it is there, 2 when
# debootstrap could not make Debian 12 (a reason to skip), 1 when the base
# could not be packed (a failure); says why. Prints the time of each step
# (its marks have names of their own: tests/prepare.sh's step, which runs
# it, keeps its start in a local t0, which dash's local lets it see).
chroot_base() {
	[ -s "$base" ] && return 0
	exec 9>"$work/base.lock"
	flock 9 2>/dev/null
	if [ -s "$base" ]; then
		exec 9>&-
		return 0
	fi
	mark base_t0
	# a base of another package list, or gzipped (before), is not used again
	find "$work" -maxdepth 1 -name 'bookworm-minbase-*.tar*' ! -path "$base" -delete
	# made in memory too when there is room: removing it from the disk
	# took 15-35 s at load 13-22
	root=$work/root-base-$$
	if ! { mkdir -p "$root" && in_memory; }; then
		teardown
		exec 9>&-
		echo "chroot: cannot make $root"
		return 1
	fi
	# mmdebstrap's minbase is debootstrap's package set, made through apt
	# (downloads in parallel, dpkg without a sync per file); debootstrap
	# itself when mmdebstrap is missing (BB_DEBOOTSTRAP=1: always). make
	# and git come in the same step (--include), as `apt-get install make
	# git` would bring them: with their dependencies, without recommends.
	# mmdebstrap makes the base with dpkg's --force-unsafe-io (no fsync per
	# file): how it was made is not what the tests check, and the option is
	# gone from the tarball (the customize hook), so the newcomer's own
	# installs run with dpkg's defaults, as on a user's machine. The package
	# lists stay (as after debootstrap), so apt works in the system at once.
	strap="debootstrap --variant=minbase --include=$base_pkgs bookworm"
	if [ "${BB_DEBOOTSTRAP:-}" != 1 ] && command -v mmdebstrap >/dev/null 2>&1; then
		strap="mmdebstrap --variant=minbase --include=$base_pkgs --dpkgopt=force-unsafe-io --skip=cleanup/apt/lists bookworm"
		set -- --customize-hook='rm -f "$1"/etc/dpkg/dpkg.cfg.d/99mmdebstrap'
	else
		set --
	fi
	echo "chroot: $strap, $where (once; kept in $base)"
	mark base_t1
	if ! timeout -k 10 "$limit" $strap "$@" "$root" "$mirror" > "$work/debootstrap.log" 2>&1; then
		tail -n 5 "$work/debootstrap.log"
		teardown
		exec 9>&-
		echo "debootstrap could not make Debian 12 from $mirror (see $work/debootstrap.log)"
		return 2
	fi
	since "$base_t1"
	echo "chroot: $strap: $took"
	mark base_t1
	if ! { tar -cf "$base.tmp" -C "$root" . && mv "$base.tmp" "$base"; }; then
		rm -f "$base.tmp"
		teardown
		exec 9>&-
		echo "tarball of the base system"
		return 1
	fi
	since "$base_t1"
	echo "chroot: tarball: $took"
	mark base_t1
	teardown
	since "$base_t1"
	echo "chroot: its folder removed: $took"
	since "$base_t0"
	echo "chroot: base made in $took"
	exec 9>&-
	return 0
}
