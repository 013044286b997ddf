#!/bin/sh
# install.sh: checks `make install` into a temporary DESTDIR: every file is
# there, the installed program runs, the pkg-config file is valid, and a small
# C program using only blogbind.h builds against the installed library with
# its pkg-config flags and binds the example blog. The shared library, its
# links and the bash and zsh completions are installed, and the bash one
# completes options and --source's kinds. Then `make uninstall` must leave no
# file behind. Prints ok/not ok lines and
# "install: N passed, N failed"; exits 1 when a check failed.
# BB_BUILD: the build folder make uses (default build). A tool it cannot
# find (groff) fails, unless BB_ALLOW_SKIP=1: then "skip NAME: reason".
set -u
cd "$(dirname "$0")/.."
root=$(pwd)
B=${BB_BUILD:-build}
pass=0
fail=0
skipped=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/blogbind-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
dest=$tmp/dest
prefix=/usr

check() {
	# check WHAT COMMAND...: one ok/not ok line for COMMAND's status
	what=$1
	shift
	if "$@" > "$tmp/check.log" 2>&1; then
		pass=$((pass + 1))
		echo "ok - $what"
	else
		fail=$((fail + 1))
		echo "not ok - $what"
		sed -n '1,15s/^/#   /p' "$tmp/check.log"
	fi
}

# skip WHAT REASON: a counted skip under BB_ALLOW_SKIP=1, else a failure
skip() {
	if [ "${BB_ALLOW_SKIP:-}" = 1 ]; then
		skipped=$((skipped + 1))
		echo "skip $1: $2"
	else
		fail=$((fail + 1))
		echo "not ok - $1: $2 (not skipped unless BB_ALLOW_SKIP=1)"
	fi
}

summary() {
	if [ "${BB_ALLOW_SKIP:-}" = 1 ]; then
		echo "install: $pass passed, $fail failed, $skipped skipped"
	else
		echo "install: $pass passed, $fail failed"
	fi
	[ "$fail" -eq 0 ]
	exit $?
}

if ! make -s install B="$B" PREFIX="$prefix" DESTDIR="$dest" > "$tmp/make.log" 2>&1; then
	fail=$((fail + 1))
	echo "not ok - make install B=$B PREFIX=$prefix DESTDIR=$dest"
	tail -n 20 "$tmp/make.log" | sed 's/^/#   /'
	summary
fi
pass=$((pass + 1))
echo "ok - make install PREFIX=$prefix DESTDIR=..."

d=$dest$prefix
bin=$d/bin/blogbind
lib=$d/lib/libblogbind.a
hdr=$d/include/blogbind.h
man=$d/share/man/man1/blogbind.1
pc=$d/lib/pkgconfig/blogbind.pc
tpl=$d/share/blogbind/templates

check "program installed and executable" test -x "$bin"
# the installed program links the installed shared library; DESTDIR is not on
# the loader's path, so it runs with LD_LIBRARY_PATH
check "the installed program needs libblogbind.so.0" sh -c "readelf -d '$bin' | grep -q 'NEEDED.*\[libblogbind\.so\.0\]'"
run_bin() { LD_LIBRARY_PATH="$d/lib" "$bin" "$@"; }
check "static library installed" test -s "$lib"
check "library holds bb_build" sh -c "nm '$lib' 2>/dev/null | grep -q ' T bb_build\$'"
sover=$(sed -n 's/^VERSION *= *//p' Makefile)
check "shared library lib/libblogbind.so.$sover installed" test -f "$d/lib/libblogbind.so.$sover" -a ! -h "$d/lib/libblogbind.so.$sover"
check "lib/libblogbind.so.0 links to libblogbind.so.$sover" test "$(readlink "$d/lib/libblogbind.so.0")" = "libblogbind.so.$sover"
check "lib/libblogbind.so links to libblogbind.so.0" test "$(readlink "$d/lib/libblogbind.so")" = libblogbind.so.0
check "the installed shared library's soname is libblogbind.so.0" \
	sh -c "readelf -d '$d/lib/libblogbind.so.$sover' | grep -q 'SONAME.*\[libblogbind\.so\.0\]'"
check "the installed shared library exports bb_build" sh -c "nm -D --defined-only '$d/lib/libblogbind.so.0' | grep -q ' T bb_build@'"
bashc=$d/share/bash-completion/completions/blogbind
zshc=$d/share/zsh/site-functions/_blogbind
check "bash completion installed, same as contrib/completion/blogbind.bash" cmp "$bashc" contrib/completion/blogbind.bash
check "zsh completion installed, same as contrib/completion/_blogbind" cmp "$zshc" contrib/completion/_blogbind
if command -v bash > /dev/null 2>&1; then
	# complete WORDS...: what the bash completion offers for the last word
	complete_words() {
		bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; _blogbind blogbind "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"; printf "%s\n" "${COMPREPLY[@]}"' sh "$bashc" "$@"
	}
	got=$(complete_words blogbind --chap | tr '\n' ' ')
	check "bash: 'blogbind --chap' completes to --chapters ($got)" test "$got" = "--chapters "
	got=$(complete_words blogbind --source '' | tr '\n' ' ')
	check "bash: 'blogbind --source ' offers wordpress ($got)" sh -c "echo ' $got' | grep -q ' wordpress '"
	got=$(complete_words blogbind --chapters y | tr '\n' ' ')
	check "bash: 'blogbind --chapters y' completes to year ($got)" test "$got" = "year "
	got=$(complete_words blogbind --math= | tr '\n' ' ')
	check "bash: 'blogbind --math=' offers mathml and tex ($got)" test "$got" = "mathml tex "
	got=$(complete_words blogbind examples/bl | tr '\n' ' ')
	check "bash: 'blogbind examples/bl' completes the folder ($got)" sh -c "echo ' $got' | grep -q ' examples/blog '"
else
	skip "bash completion" "bash not found"
fi
# every long option of --help is in both completions, so they cannot drift apart
longs=$(run_bin --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
check "--help lists long options ($(echo $longs | wc -w))" test "$(echo $longs | wc -w)" -ge 30
for o in $longs; do
	check "completions know $o" sh -c "grep -q -- '$o\([^a-z-]\|\$\)' '$bashc' && grep -q -- \"'[^']*$o[^a-z-]\" '$zshc'"
done
if command -v zsh > /dev/null 2>&1; then
	check "zsh -n _blogbind" zsh -n "$zshc"
else
	skip "zsh -n _blogbind" "zsh not found"
fi
check "header installed, same as include/blogbind.h" cmp "$hdr" include/blogbind.h
check "man page installed, same as doc/blogbind.1" cmp "$man" doc/blogbind.1
check "pkg-config file installed" test -s "$pc"
for t in templates/*; do
	check "template $(basename "$t") installed" cmp "$tpl/$(basename "$t")" "$t"
done
if command -v groff >/dev/null 2>&1; then
	check "the man page formats without warnings" sh -c \
		"groff -man -Tutf8 -ww '$man' 2>&1 >/dev/null | grep . && exit 1 || exit 0"
else
	skip "the man page formats without warnings" "groff not found"
fi

# the installed program works from where it was installed
version=$(run_bin --version 2>/dev/null)
check "installed blogbind --version prints 'blogbind X.Y.Z' ($version)" \
	sh -c "echo '$version' | grep -Eq '^blogbind [0-9]+\.[0-9]+\.[0-9]+\$'"

# pkg-config, with the sysroot pointing into DESTDIR and no other .pc file
PC="env PKG_CONFIG_LIBDIR=$d/lib/pkgconfig PKG_CONFIG_PATH= PKG_CONFIG_SYSROOT_DIR=$dest pkg-config"
check "pkg-config --validate blogbind" $PC --validate blogbind
pcver=$($PC --modversion blogbind 2>/dev/null)
check "pkg-config version ($pcver) is the program's" test "blogbind $pcver" = "$version"
check "the pkg-config file says prefix=$prefix" grep -qx "prefix=$prefix" "$pc"
cflags=$($PC --cflags blogbind 2>/dev/null)
libs=$($PC --static --libs blogbind 2>/dev/null)
check "pkg-config --cflags points at the installed header ($cflags)" \
	sh -c "for f in $cflags; do case \$f in -I*) test -f \"\${f#-I}/blogbind.h\" && exit 0;; esac; done; exit 1"
check "pkg-config --static --libs names the installed library ($libs)" \
	sh -c "for f in $libs; do case \$f in -L*) test -f \"\${f#-L}/libblogbind.a\" && exit 0;; esac; done; exit 1"
check "pkg-config --libs has -lblogbind" sh -c "echo ' $($PC --libs blogbind 2>/dev/null) ' | grep -q ' -lblogbind '"

# a program that knows blogbind only through the installed header and library
cat > "$tmp/bind.c" <<'EOF'
#include <blogbind.h>
#include <stdio.h>

static void
diag(void *ctx, const bb_diag *d)
{
	(void)ctx;
	fprintf(stderr, "%s: %s\n", d->path ? d->path : "-", d->message);
}

int
main(int argc, char **argv)
{
	bb_options o;
	bb_report r;
	if (argc != 3)
		return 2;
	bb_options_init(&o);
	o.source_dir = argv[1];
	o.output = argv[2];
	o.diag = diag;
	if (bb_build(&o, &r) != 0)
		return 1;
	printf("%s %zu\n", bb_version(), r.posts);
	return 0;
}
EOF
# no -I/-L of the source tree: only what pkg-config gives
check "a program using blogbind.h builds with the pkg-config flags" \
	sh -c "${CC:-cc} -std=c99 -Wall -Wextra -pedantic -o '$tmp/bind' '$tmp/bind.c' $cflags $libs"
if [ -x "$tmp/bind" ]; then
	# -lblogbind picks the installed shared library: it is found through
	# LD_LIBRARY_PATH (DESTDIR is not on the loader's path)
	check "the program needs libblogbind.so.0" sh -c "readelf -d '$tmp/bind' | grep -q 'NEEDED.*\[libblogbind\.so\.0\]'"
	got=$(LD_LIBRARY_PATH="$d/lib" "$tmp/bind" examples/blog "$tmp/lib.epub" 2> "$tmp/bind.err")
	rc=$?
	check "it binds examples/blog (exit $rc)" test "$rc" -eq 0
	want=$(run_bin -n examples/blog 2>/dev/null | sed -n 's/^\([0-9][0-9]*\) posts.*/\1/p')
	check "it reports the version and the posts of a dry run ('$got' vs '$version', $want posts)" \
		test -n "$want" -a "$want" -gt 0 -a "blogbind $got" = "$version $want"
	check "its book is a zip that unzip tests clean" unzip -tq "$tmp/lib.epub"
	check "its book starts with the stored mimetype" \
		sh -c "test \"\$(dd if='$tmp/lib.epub' bs=1 skip=30 count=28 2>/dev/null)\" = mimetypeapplication/epub+zip"
	check "it lists the posts' files and the package" \
		sh -c "unzip -Z1 '$tmp/lib.epub' | grep -c '^EPUB/p[0-9_-][0-9a-z_-]*\.xhtml\$' | grep -qx '$want' && unzip -Z1 '$tmp/lib.epub' | grep -qx EPUB/content.opf"
	run_bin -q examples/blog -o "$tmp/cli.epub" > /dev/null 2>&1
	check "the installed program makes the same bytes" cmp "$tmp/lib.epub" "$tmp/cli.epub"
else
	fail=$((fail + 7))
	echo "not ok - the test program was not built: 7 checks skipped"
fi

# uninstall takes every file back
make -s uninstall B="$B" PREFIX="$prefix" DESTDIR="$dest" > "$tmp/make.log" 2>&1
left=$(find "$dest" ! -type d | sed "s|^$dest||")
check "make uninstall removes every file${left:+ (left: $(echo $left))}" test -z "$left"

summary
