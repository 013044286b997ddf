#!/bin/sh
# same-books.sh RELEASE_DIR SANITIZER_DIR: the sanitizer build must make the
# very same books as the release build: every book of either folder has its
# twin in the other, byte for byte, and at least one book was compared.
# Prints ok/not ok lines and "asan-same: N passed, N failed"; exits 1 when a
# check failed.
set -u
rel=$1
san=$2
pass=0
fail=0
compared=0
for b in "$rel"/*.epub; do
	[ -f "$b" ] || continue
	a=$san/$(basename "$b")
	if [ ! -f "$a" ]; then
		fail=$((fail + 1))
		echo "not ok - $a is missing ($b was made)"
	elif cmp -s "$b" "$a"; then
		pass=$((pass + 1))
		compared=$((compared + 1))
		echo "ok - $(basename "$b"): byte-identical"
	else
		fail=$((fail + 1))
		echo "not ok - $a differs from $b"
	fi
done
for a in "$san"/*.epub; do
	[ -f "$a" ] || continue
	if [ ! -f "$rel/$(basename "$a")" ]; then
		fail=$((fail + 1))
		echo "not ok - $rel/$(basename "$a") is missing ($a was made)"
	fi
done
if [ $compared -eq 0 ]; then
	fail=$((fail + 1))
	echo "not ok - no book compared between $rel and $san"
fi
echo "asan-same: $pass passed, $fail failed"
[ $fail -eq 0 ]
