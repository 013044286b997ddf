#!/bin/sh
# prepare.sh: the slow set-ups of make test that wait on the network or the
# disk, not the CPU, started in the background at the start of the run so
# that they overlap the suites that need the CPU; each suite that needs one
# waits for it (tests/run.sh).
#
#   sh tests/prepare.sh start      starts them (nothing when a start of this
#                                  build folder is still running)
#   sh tests/prepare.sh wait NAME  waits for NAME, prints its log's last
#                                  lines when it failed; exits with its status
#   sh tests/prepare.sh then NAME COMMAND...  waits for NAME, then runs
#                                  COMMAND (a suite that needs NAME)
#
# NAME is one of:
#   apt          the Debian packages of the later steps, one apt at a time
#                (apt-get update cannot run twice at once): debootstrap,
#                then the four set-ups below in this order
#   deps         tools/install-deps.sh (make deps; make test waits for it
#                before it builds)
#   epubcheck-ts tests/epubcheck-ts/setup.sh
#   calibre      tests/calibre-setup.sh
#   reader       tests/reader/setup.sh (not with BB_SKIP_READER=1)
#   chroot       the Debian 12 base of tests/newcomer.sh and tests/deb.sh
#                (tests/chroot.sh: mmdebstrap, a few minutes from the network
#                the first time); the .deb files the newcomer's `make run`
#                installs are not downloaded here: its systems take them
#                from the host's apt cache (the `make deps` step above)
#
# A set-up that fails here is not hidden: its suite fails as before (the set-
# up scripts and tests/chroot.sh are the same ones the suites call, and the
# suites check what they need themselves). Logs and statuses go to
# $BB_BUILD/prepare/NAME.log and NAME.rc.
set -u
cd "$(dirname "$0")/.."
repo=$(pwd -P) # the paths /proc/mounts shows (tests/chroot.sh)
B=${BB_BUILD:-build}
dir=$B/prepare

# step NAME COMMAND...: runs COMMAND into NAME.log, then writes NAME.rc
step() {
	local n t0 rc # steps nest (apt holds the others)
	n=$1
	shift
	t0=$(date +%s)
	"$@" > "$dir/$n.log" 2>&1
	rc=$?
	echo "prepare $n: exit $rc after $(($(date +%s) - t0)) s" >> "$dir/$n.log"
	echo $rc > "$dir/$n.rc"
}

# the base system
chroot_job() {
	local tj
	tj=$(date +%s)
	. tests/chroot.sh
	if why=$(chroot_unusable); then
		echo "no chroot here ($why): tests/newcomer.sh and tests/deb.sh say so"
		return 0
	fi
	chroot_base || return $?
	echo "prepare chroot: the base is there after $(($(date +%s) - tj)) s"
}

apt_job() {
	if [ "$(id -u)" -eq 0 ] && ! { command -v debootstrap && command -v mmdebstrap; } > /dev/null 2>&1; then
		sh tests/apt-install.sh debootstrap mmdebstrap > "$dir/debootstrap.log" 2>&1
	fi
	# the base can be made now: it does not use the host's apt, nor wait
	# for the project's packages
	(step chroot chroot_job) &
	# in the order make test and run.sh wait for them
	step deps sh tools/install-deps.sh
	step epubcheck-ts sh tests/epubcheck-ts/setup.sh
	step calibre sh tests/calibre-setup.sh
	[ "${BB_SKIP_READER:-}" = 1 ] || step reader sh tests/reader/setup.sh
	wait
}

case ${1:-} in
start)
	if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
		exit 0
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	if [ "$(id -u)" -ne 0 ] && ! sudo -n true 2>/dev/null; then
		# sudo would ask for a password: not from the background, so
		# the installs run here, in order, before the suites (no chroot:
		# it needs root)
		echo "prepare: installing in the foreground (sudo asks for a password)"
		(step apt apt_job)
		exit 0
	fi
	(step apt apt_job) < /dev/null > /dev/null 2>&1 &
	echo $! > "$dir/pid"
	;;
wait)
	n=${2:?prepare.sh wait NAME}
	[ -d "$dir" ] || sh "$0" start
	while [ ! -f "$dir/$n.rc" ]; do
		if ! kill -0 "$(cat "$dir/pid" 2>/dev/null)" 2>/dev/null && [ ! -f "$dir/$n.rc" ]; then
			# the starter ended without this step (BB_SKIP_READER, or killed)
			echo "prepare $n: did not run (see $dir/)"
			exit 1
		fi
		sleep 1
	done
	rc=$(cat "$dir/$n.rc")
	[ "$rc" -eq 0 ] || tail -n 20 "$dir/$n.log"
	exit "$rc"
	;;
then)
	# then NAME COMMAND...: waits for NAME (what it printed goes to
	# $dir/then-NAME.log), then runs COMMAND whatever NAME's status (the
	# command checks what it needs itself)
	n=${2:?prepare.sh then NAME COMMAND...}
	shift 2
	sh "$0" wait "$n" > "$dir/then-$n.log" 2>&1
	exec "$@"
	;;
*)
	echo "usage: prepare.sh start | wait NAME | then NAME COMMAND..." >&2
	exit 2
	;;
esac
