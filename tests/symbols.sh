#!/bin/sh
# symbols.sh: checks the shared library: build/libblogbind.so.0 exports only
# the functions of include/blogbind.h (`nm -D --defined-only`), all of them,
# carries the soname libblogbind.so.0, and a small C program linked against
# it with -lblogbind (run with LD_LIBRARY_PATH) binds examples/blog.
# Prints ok/not ok lines and "symbols: N passed, N failed"; exits 1 when a
# check failed. BB_BUILD: the build folder (default build); the library is
# made there first when it is missing.
set -u
cd "$(dirname "$0")/.."
B=${BB_BUILD:-build}
so=$B/libblogbind.so.0
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/blogbind-symbols.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() { pass=$((pass + 1)); echo "ok - $1"; }
nok() { fail=$((fail + 1)); echo "not ok - $1"; }
summary() {
	echo "symbols: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}

if [ ! -e "$so" ]; then
	make -s B="$B" "$so" > "$tmp/make.log" 2>&1 || { tail -n 20 "$tmp/make.log" | sed 's/^/#   /'; }
fi
if [ -f "$so" ]; then ok "$so exists"; else nok "$so exists (make B=$B $so)"; summary; fi

# the public functions: every `name(` declared at the start of a line
# (after the return type) in the public header
sed -n 's/^[a-z_ ]*[ *]\(bb_[a-z_0-9]*\)(.*/\1/p' include/blogbind.h | sort -u > "$tmp/public"
n=$(wc -l < "$tmp/public")
if [ "$n" -ge 5 ]; then ok "include/blogbind.h declares $n functions"; else nok "include/blogbind.h declares only $n functions"; fi

if ! nm -D --defined-only "$so" > "$tmp/nm" 2> "$tmp/nm.err"; then
	nok "nm -D --defined-only $so"
	summary
fi
sed 's/^/#   /' "$tmp/nm"
# a versioned symbol reads "bb_build@@BLOGBIND_0"; the version node itself is
# an absolute symbol (A), allowed
awk '$2 != "A" { s = $3; sub(/@.*/, "", s); print s }' "$tmp/nm" | sort -u > "$tmp/exported"
extra=$(comm -23 "$tmp/exported" "$tmp/public" | tr '\n' ' ')
missing=$(comm -13 "$tmp/exported" "$tmp/public" | tr '\n' ' ')
if [ -s "$tmp/exported" ] && [ -z "$extra" ]; then
	ok "every exported symbol ($(wc -l < "$tmp/exported")) is a function of blogbind.h"
else
	nok "exported symbols not in blogbind.h: ${extra:-(none exported at all)}"
fi
if [ -z "$missing" ]; then ok "every function of blogbind.h is exported"; else nok "not exported: $missing"; fi
if awk '$2 != "A" && $2 != "T" { bad = 1 } END { exit bad }' "$tmp/nm"; then
	ok "every exported symbol is a function (T)"
else
	nok "exported symbols that are not functions: $(awk '$2 != "A" && $2 != "T"' "$tmp/nm" | tr '\n' ' ')"
fi

soname=$(readelf -d "$so" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
if [ "$soname" = libblogbind.so.0 ]; then ok "soname is $soname"; else nok "soname is libblogbind.so.0 (got '$soname')"; fi
real=$(readlink "$so")
case $real in
libblogbind.so.[0-9]*.[0-9]*.[0-9]*) ok "$so links to $real" ;;
*) nok "$so is a link to libblogbind.so.X.Y.Z (got '$real')" ;;
esac

cat > "$tmp/use.c" <<'EOF2'
#include <blogbind.h>
#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	bb_options o;
	bb_report r;
	const char *v = bb_version();
	if (argc != 3 || v == NULL || strlen(v) == 0)
		return 2;
	bb_options_init(&o);
	o.source_dir = argv[1];
	o.output = argv[2];
	memset(&r, 0, sizeof r);
	if (bb_build(&o, &r) != 0)
		return 1;
	printf("%s %zu\n", v, r.posts);
	return r.posts > 0 ? 0 : 3;
}
EOF2
if ${CC:-cc} -std=c99 -Wall -Wextra -pedantic -Iinclude -o "$tmp/use" "$tmp/use.c" -L"$B" -lblogbind > "$tmp/cc.log" 2>&1; then
	ok "a program links with -Iinclude -L$B -lblogbind and nothing else"
else
	nok "a program links with -Iinclude -L$B -lblogbind"
	sed -n '1,15s/^/#   /p' "$tmp/cc.log"
	summary
fi
needed=$(readelf -d "$tmp/use" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(libblogbind[^]]*\)\].*/\1/p')
if [ "$needed" = libblogbind.so.0 ]; then ok "it needs libblogbind.so.0 (shared, by soname)"; else nok "it needs libblogbind.so.0 (got '$needed')"; fi
got=$(LD_LIBRARY_PATH="$B${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$tmp/use" examples/blog "$tmp/book.epub" 2> "$tmp/use.err")
rc=$?
if [ $rc -eq 0 ]; then ok "it binds examples/blog through the shared library ($got)"; else nok "it binds examples/blog (exit $rc)"; sed -n '1,10s/^/#   /p' "$tmp/use.err"; fi
if [ -s "$tmp/book.epub" ] && unzip -tq "$tmp/book.epub" > /dev/null 2>&1; then ok "its book is a zip that unzip tests clean"; else nok "its book is a zip that unzip tests clean"; fi
bin=$B/blogbind
if [ -x "$bin" ]; then
	want="blogbind $(echo "$got" | cut -d' ' -f1)"
	if [ "$("$bin" --version 2>/dev/null)" = "$want" ]; then ok "bb_version() is the program's version ($want)"; else nok "bb_version() is the program's version"; fi
fi
summary
