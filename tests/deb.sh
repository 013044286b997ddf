#!/bin/sh
# deb.sh: the Debian packages, checked from a clean export of HEAD (git
# archive, so only committed files count):
#   - dpkg-buildpackage -us -uc -b builds blogbind, libblogbind0 and
#     libblogbind-dev, without a network (unshare -n, where it works), and its
#     `make check` passes (with the shared sample when BB_SHARED has it);
#   - lintian --fail-on error,warning passes (its output is shown);
#   - each package holds its files; the packaged library exports only the
#     bb_* functions (nm -D --defined-only); a program builds against the
#     -dev package's header and library;
#   - in a fresh Debian 12 (tests/chroot.sh, the base newcomer.sh uses) the
#     blogbind and libblogbind0 packages install with apt-get, ldd shows
#     /usr/bin/blogbind using libblogbind.so.0, and the installed program
#     binds the example blog into a book that passes EPUBCheck (run here) and
#     is the same bytes as build/blogbind's.
# Needs root (it installs debhelper and lintian when missing); where no
# chroot can be made, "skip deb-chroot: REASON" (a failure unless
# BB_ALLOW_SKIP=1). Ends with "deb: N passed, N failed[, N skipped]".
#   BB_DEB_TIMEOUT=S  seconds allowed to dpkg-buildpackage (default 1800)
#   BB_DEB_CHECK=1    the package build also runs make check (nocheck otherwise)
set -u
cd "$(dirname "$0")/.."
repo=$(pwd -P) # the paths /proc/mounts shows (tests/chroot.sh)
. tests/chroot.sh
as_root "$repo/tests/$(basename "$0")" "$@"
B=${BB_BUILD:-build}
out=$repo/build/deb
pass=0
fail=0
skipped=0

ok() { pass=$((pass + 1)); echo "ok - $*"; }
nok() { fail=$((fail + 1)); echo "not ok - $*"; }
check() {
	# check WHAT COMMAND...: one ok/not ok line for COMMAND's status
	what=$1
	shift
	if "$@" > "$out/check.log" 2>&1; then ok "$what"; else nok "$what"; sed -n '1,10s/^/#   /p' "$out/check.log"; fi
}
finish() {
	if [ "${BB_ALLOW_SKIP:-}" = 1 ]; then
		echo "deb: $pass passed, $fail failed, $skipped skipped"
	else
		echo "deb: $pass passed, $fail failed"
	fi
	[ "$fail" -eq 0 ]
	exit
}
# skip NAME REASON: a counted, visible skip under BB_ALLOW_SKIP=1, a failure otherwise
skip() {
	echo "skip $1: $2"
	if [ "${BB_ALLOW_SKIP:-}" = 1 ]; then
		skipped=$((skipped + 1))
	else
		nok "$1 could not run (BB_ALLOW_SKIP=1 turns this into a skip)"
	fi
}
trap 'teardown; give_back "$work" "$out"' EXIT
trap 'teardown; exit 130' INT TERM

rm -rf "$out"
mkdir -p "$out/src"
git rev-parse --git-dir > /dev/null 2>&1 || { skip deb "not a git checkout"; finish; }

# the tools: Debian's, installed when missing (only this test needs them)
need=
for p in dpkg-dev debhelper lintian; do
	[ "$(dpkg-query -W -f='${Status}' $p 2>/dev/null)" = "install ok installed" ] || need="$need $p"
done
if [ -n "$need" ]; then
	if [ "$(id -u)" -ne 0 ] || ! DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=1200 install -y -q \
		--no-install-recommends $need > "$out/apt.log" 2>&1; then
		skip deb "cannot install$need (see $out/apt.log)"
		finish
	fi
fi

# a clean export of HEAD; ../shared beside it for the unit tests that read
# the corpora from there
ver=$(dpkg-parsechangelog -l debian/changelog -S Version)
src=$out/src/blogbind-$ver
mkdir -p "$src"
git archive HEAD | tar -x -C "$src" || { nok "git archive HEAD"; finish; }
shared=${BB_SHARED:-$repo/../shared}
[ -d "$shared" ] && shared=$(cd "$shared" && pwd) && ln -s "$shared" "$out/src/shared"

# offline when a network namespace can be made (loopback only: test_fetch
# serves on 127.0.0.1)
net="with the network"
wrap=
if command -v unshare > /dev/null 2>&1 && command -v ip > /dev/null 2>&1 &&
	unshare -n sh -c 'ip link set lo up' > /dev/null 2>&1; then
	net="offline (unshare -n)"
	wrap="unshare -n"
fi
t0=$(date +%s)
# make test runs the unit and e2e suites itself: the package's own run of
# them (debian/rules calls make check) is left to BB_DEB_CHECK=1, which
# takes the build from about 4 to about 10 minutes on 2 cores
opts="parallel=2"
[ "${BB_DEB_CHECK:-0}" = 1 ] || opts="$opts nocheck"
(cd "$src" && env DEB_BUILD_OPTIONS="$opts" BB_SHARED="$shared" BB_ALLOW_SKIP="${BB_ALLOW_SKIP:-0}" \
	timeout -k 10 "${BB_DEB_TIMEOUT:-1800}" $wrap sh -c '[ -z "$1" ] || ip link set lo up; exec dpkg-buildpackage -us -uc -b' sh "$wrap") \
	> "$out/build.log" 2>&1
rc=$?
secs=$(($(date +%s) - t0))
if [ $rc -ne 0 ]; then
	grep -E '^not ok|FAIL|error' "$out/build.log" | head -n 20 | sed 's/^/#   /'
	tail -n 15 "$out/build.log" | sed 's/^/#   /'
	nok "dpkg-buildpackage -us -uc -b exited $rc after $secs s (see $out/build.log)"
	finish
fi
ok "dpkg-buildpackage -us -uc -b from git archive HEAD, $net: $secs s"
smoke=$(grep -E '^== e2e-smoke: ' "$out/build.log")
units=$(grep -cE '^== test_[a-z_]+: [0-9]+ passed, 0 failed' "$out/build.log")
if [ "${BB_DEB_CHECK:-0}" = 1 ]; then
	check "its make check ran the unit tests ($units suites) and the smoke (${smoke#== })" \
		sh -c "echo '$smoke' | grep -q ': [1-9][0-9]* passed, 0 failed' && [ $units -ge 10 ] && ! grep -q '^not ok' '$out/build.log'"
else
	# nocheck: debian/rules must then leave make check out
	check "nocheck honoured: the build ran no test (the suites run in make test itself)" \
		sh -c "[ $units -eq 0 ] && [ -z '$smoke' ]"
fi
grep -E '^skip ' "$out/build.log" | sed 's/^/# build: /'

arch=$(dpkg-architecture -qDEB_HOST_ARCH)
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
changes=$out/src/blogbind_${ver}_$arch.changes
for p in blogbind libblogbind0 libblogbind-dev; do
	check "package ${p}_${ver}_$arch.deb made" test -s "$out/src/${p}_${ver}_$arch.deb"
	mkdir -p "$out/x/$p"
	dpkg-deb -x "$out/src/${p}_${ver}_$arch.deb" "$out/x/$p" 2>/dev/null
done

t0=$(date +%s)
lintian --fail-on error,warning "$changes" > "$out/lintian.log" 2>&1
rc=$?
grep -v 'running with root privileges' "$out/lintian.log" | sed 's/^/# lintian: /'
grep -qv 'running with root privileges' "$out/lintian.log" || echo "# lintian: (no tag at error or warning level)"
n=$(grep -cE '^[EW]: ' "$out/lintian.log")
if [ $rc -eq 0 ] && [ "$n" -eq 0 ]; then
	ok "lintian --fail-on error,warning: no error, no warning ($(($(date +%s) - t0)) s)"
else
	nok "lintian --fail-on error,warning: exit $rc, $n errors and warnings"
fi

x=$out/x
for f in usr/bin/blogbind usr/share/man/man1/blogbind.1.gz usr/share/bash-completion/completions/blogbind \
	usr/share/zsh/vendor-completions/_blogbind; do
	check "blogbind holds /$f" test -s "$x/blogbind/$f"
done
for t in templates/*; do
	check "blogbind holds the template $(basename "$t")" cmp "$x/blogbind/usr/share/blogbind/$t" "$t"
done
check "libblogbind0 holds /usr/lib/$ma/libblogbind.so.0 -> libblogbind.so.$ver" \
	test "$(readlink "$x/libblogbind0/usr/lib/$ma/libblogbind.so.0")" = "libblogbind.so.$ver"
for f in usr/include/blogbind.h "usr/lib/$ma/libblogbind.a" "usr/lib/$ma/pkgconfig/blogbind.pc"; do
	check "libblogbind-dev holds /$f" test -s "$x/libblogbind-dev/$f"
done
check "libblogbind-dev holds /usr/lib/$ma/libblogbind.so -> libblogbind.so.0" \
	test "$(readlink "$x/libblogbind-dev/usr/lib/$ma/libblogbind.so")" = libblogbind.so.0
check "blogbind depends on libblogbind0" sh -c "dpkg-deb -f '$out/src/blogbind_${ver}_$arch.deb' Depends | grep -q 'libblogbind0 (>= $ver)'"
# libvips and libcurl are dlopen'ed (src/vipsapi.c, src/curlapi.c):
# dpkg-shlibdeps cannot see them, debian/control names them
for d in libvips42 libcurl4; do
	check "libblogbind0 depends on $d (loaded with dlopen)" sh -c "dpkg-deb -f '$out/src/libblogbind0_${ver}_$arch.deb' Depends | grep -q '$d'"
done
so=$x/libblogbind0/usr/lib/$ma/libblogbind.so.$ver
nm -D --defined-only "$so" > "$out/nm.txt" 2>&1
sed 's/^/# nm -D: /' "$out/nm.txt"
others=$(awk '$2 != "A" && $3 !~ /^bb_[a-z_]+@@?BLOGBIND_0$/ { print $3 }' "$out/nm.txt" | tr '\n' ' ')
n=$(grep -c ' T bb_' "$out/nm.txt")
check "the packaged library exports $n bb_* functions and nothing else${others:+ (also: $others)}" \
	test "$n" -ge 5 -a -z "$others"
# a program built against the -dev package's header and library only
mkdir -p "$out/use"
cp -a "$x/libblogbind0/usr/lib/$ma/." "$out/use/"
cp -a "$x/libblogbind-dev/usr/lib/$ma/libblogbind.so" "$out/use/"
printf '#include <blogbind.h>\n#include <stdio.h>\nint main(void) { puts(bb_version()); return 0; }\n' > "$out/use/v.c"
check "a program builds with the -dev package's header and -lblogbind and prints bb_version()" \
	sh -c "${CC:-cc} -o '$out/use/v' '$out/use/v.c' -I'$x/libblogbind-dev/usr/include' -L'$out/use' -lblogbind &&
		test \"\$(LD_LIBRARY_PATH='$out/use' '$out/use/v')\" = '$ver'"

# the packages installed into a fresh Debian 12
why=$(chroot_unusable) && { skip deb-chroot "$why"; finish; }
chroot_base
case $? in
0) ;;
2) skip deb-chroot "debootstrap could not make Debian 12 from $mirror (see $work/debootstrap.log)"; finish ;;
*) nok "the base system (tests/chroot.sh)"; finish ;;
esac
if ! fresh deb; then
	nok "a fresh system from $base"
	finish
fi
mkdir -p "$root/tmp/debs"
cp "$out/src/blogbind_${ver}_$arch.deb" "$out/src/libblogbind0_${ver}_$arch.deb" "$root/tmp/debs/"
t0=$(date +%s)
inst="apt-get install -y -q --no-install-recommends /tmp/debs/blogbind_${ver}_$arch.deb /tmp/debs/libblogbind0_${ver}_$arch.deb"
# the base's package lists may be older than the mirror: then once more after an update
if ! in_root "$inst" > "$out/chroot-apt.log" 2>&1; then
	in_root "apt-get update -q && $inst" >> "$out/chroot-apt.log" 2>&1
fi
rc=$?
keep_debs
if [ $rc -ne 0 ]; then
	tail -n 10 "$out/chroot-apt.log" | sed 's/^/#   /'
	nok "apt-get install blogbind libblogbind0 in a fresh Debian 12 (see $out/chroot-apt.log)"
	finish
fi
ok "apt-get install ./blogbind_${ver}_$arch.deb ./libblogbind0_${ver}_$arch.deb in a fresh Debian 12 ($(($(date +%s) - t0)) s)"
in_root "ldd /usr/bin/blogbind" > "$out/ldd.txt" 2>&1
grep libblogbind "$out/ldd.txt" | sed 's/^[[:space:]]*/# ldd: /'
# /lib is /usr/lib on Debian 12 (merged /usr): ldd may name either
check "ldd /usr/bin/blogbind: libblogbind.so.0 => /usr/lib/$ma/libblogbind.so.0 (or /lib/$ma, the same folder)" \
	grep -Eq "libblogbind\.so\.0 => (/usr)?/lib/$ma/libblogbind\.so\.0 " "$out/ldd.txt"
check "installed: blogbind --version is 'blogbind $ver'" sh -c "test \"\$(chroot '$root' /usr/bin/blogbind --version)\" = 'blogbind $ver'"
check "installed: the man page, the completions and the templates" in_root \
	"test -s /usr/share/man/man1/blogbind.1.gz && test -s /usr/share/bash-completion/completions/blogbind && test -s /usr/share/zsh/vendor-completions/_blogbind && test -s /usr/share/blogbind/templates/chapter.xhtml"
cp -r examples/blog "$root/root/blog"
in_root "cd /root && /usr/bin/blogbind blog -o /root/book.epub" > "$out/bind.log" 2>&1
rc=$?
sed 's/^/# /' "$out/bind.log"
cp "$root/root/book.epub" "$out/book.epub" 2>/dev/null
check "the installed /usr/bin/blogbind binds examples/blog (exit $rc)" test "$rc" -eq 0 -a -s "$out/book.epub"
teardown
if [ -s "$out/book.epub" ]; then
	python3 -c 'import sys; sys.path.insert(0, "tests")
from tap import epubcheck, epubcheck_missing
why = epubcheck_missing()
if why: print(why); sys.exit(2)
e, w, lines = epubcheck(sys.argv[1])
print("%d errors, %d warnings" % (e, w))
for l in lines[:10]: print(l)
sys.exit(1 if e or w else 0)' "$out/book.epub" > "$out/epubcheck.log" 2>&1
	rc=$?
	sed 's/^/# epubcheck: /' "$out/epubcheck.log"
	if [ $rc -eq 2 ]; then
		skip "deb-epubcheck" "$(head -n 1 "$out/epubcheck.log")"
	else
		check "its book passes EPUBCheck ($(head -n 1 "$out/epubcheck.log"))" test $rc -eq 0
	fi
	if [ -x "$B/blogbind" ]; then
		"$B/blogbind" -q examples/blog -o "$out/here.epub" > /dev/null 2>&1
		check "its book is the same bytes as $B/blogbind's" cmp "$out/book.epub" "$out/here.epub"
	fi
fi
finish
