#!/bin/sh
# fallback.sh BOOK.epub ARTIFACT_DIR: shows that the vertical reader check can
# fail. It runs run.sh --expect-vertical on a vertical Japanese book with a
# fontconfig that sees only Debian's Droid Sans Fallback (plus DejaVu for
# Latin), the font that drew every 「」、。ー in vertical text as a wrong glyph
# while the old check passed. Passes only when that run fails on the fonts
# chromium reports and on the punctuation measured on screen.
# With --webkit the run is webkit.sh's: there the punctuation a minimal page
# shows WebKitGTK cannot draw is a TODO (reader.js), but not with a font that
# has no vertical forms at all, so it must still fail on the measured marks.
# Prints "ok - ..." / "not ok - ..." and "reader-fallback: N passed, N failed".
set -u
here=$(cd "$(dirname "$0")" && pwd)
engine=run.sh
if [ $# -eq 3 ] && [ "$3" = --webkit ]; then
	engine=webkit.sh
	set -- "$1" "$2"
fi
if [ $# -ne 2 ]; then
	echo "usage: $0 BOOK.epub ARTIFACT_DIR [--webkit]" >&2
	exit 2
fi
book=$1
art=$2
droid=/usr/share/fonts/truetype/droid
passed=0
failed=0
ok() {
	if [ "$1" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok - $2"
	else
		failed=$((failed + 1))
		echo "not ok - $2${3:+: $3}"
	fi
}
finish() {
	echo "reader-fallback: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

if [ ! -f "$book" ]; then
	ok 1 "book $book exists" "no such file"
	finish
fi
if [ ! -f "$droid/DroidSansFallbackFull.ttf" ]; then
	ok 1 "Droid Sans Fallback is installed" "no $droid/DroidSansFallbackFull.ttf (run tests/reader/setup.sh)"
	finish
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
# Only the Droid and DejaVu folders; the usual rules of conf.d still apply.
cat > "$tmp/fonts.conf" <<EOF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>$droid</dir>
  <dir>/usr/share/fonts/truetype/dejavu</dir>
  <cachedir>/var/cache/fontconfig</cachedir>
  <cachedir>$tmp/cache</cachedir>
  <include ignore_missing="yes">/etc/fonts/conf.d</include>
</fontconfig>
EOF
export FONTCONFIG_FILE="$tmp/fonts.conf"
# conf.d also adds the user's font folders: keep them out of this run.
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config"

ja=$(fc-list :lang=ja family | sort -u | tr '\n' ';')
[ "$ja" = "Droid Sans Fallback;" ]
ok $? "with the test's fontconfig the only Japanese font is Droid Sans Fallback (fc-list :lang=ja: ${ja:-none})"

sh "$here/$engine" "$book" "$art" --expect-vertical > "$tmp/run.log" 2>&1
rc=$?
sed 's/^/#   /' "$tmp/run.log"
[ "$rc" -eq 1 ]
ok $? "the vertical check fails with only the fallback font (exit $rc)"
if [ $engine = run.sh ]; then
	grep -q '^not ok - .*drawn by fonts with vertical forms' "$tmp/run.log"
	ok $? "it fails because chromium reports a font without vertical forms"
fi
n=$(grep -v '# TODO' "$tmp/run.log" | grep -c '^not ok - .*drawn in its vertical form')
[ "$n" -gt 0 ]
ok $? "it fails on wrong punctuation glyphs measured on screen ($n kinds of mark)"
finish
