#!/bin/sh
# ace.sh BOOK.epub REPORT_DIR: checks a book with DAISY Ace (ace-cli) and fails
# on every serious or critical violation, listing each.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# the Node.js 20 setup.sh installs where the system's is older
[ -x "$here/.node20/node_modules/.bin/node" ] && PATH="$here/.node20/node_modules/.bin:$PATH"
if [ $# -ne 2 ]; then
	echo "usage: $0 BOOK.epub REPORT_DIR" >&2
	exit 2
fi
book=$1
out=$2
ace="$here/node_modules/.bin/ace-cli"
if [ ! -x "$ace" ]; then
	echo "$0: run tests/reader/setup.sh first" >&2
	exit 2
fi
if [ ! -f "$book" ]; then
	echo "not ok - $book exists"
	echo "ace: 0 passed, 1 failed"
	exit 1
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out/report.json"

# Ace writes settings, logs and the unpacked book under HOME, the XDG
# folders and TMPDIR: keep them all in one folder removed at the end.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/config" "$tmp/state" "$tmp/cache" "$tmp/tmp"
rc=0
HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_STATE_HOME=$tmp/state \
XDG_CACHE_HOME=$tmp/cache TMPDIR=$tmp/tmp PUPPETEER_SKIP_DOWNLOAD=1 \
PUPPETEER_EXECUTABLE_PATH="$here/chromium.sh" \
	timeout "${ACE_TIMEOUT:-300}" "$ace" -f -E -T 60000 -o "$out" "$book" \
	> "$tmp/ace.log" 2>&1 || rc=$?

# -E: 0 when clean, 2 with violations, 1 on a fatal error; 124 is the time-out.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ] || [ ! -s "$out/report.json" ]; then
	# Ace colours its log; keep the words.
	sed -e 's/\x1b\[[0-9;]*m//g' -e 's/^/# /' "$tmp/ace.log" | grep -v '^# info:' || :
	echo "not ok - ace-cli checks $book (exit $rc, no report.json)"
	echo "ace: 0 passed, 1 failed"
	exit 1
fi
exec node "$here/ace-report.js" "$out/report.json" "$rc"
