#!/bin/sh
# run.sh BOOK.epub ARTIFACT_DIR [--expect-vertical] [--expect-math]: shows every chapter of the
# book in epub.js (headless chromium) and checks text, titles and writing mode.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# the Node.js 20 setup.sh installs where the system's is older
[ -x "$here/.node20/node_modules/.bin/node" ] && PATH="$here/.node20/node_modules/.bin:$PATH"
if [ $# -lt 2 ]; then
	echo "usage: $0 BOOK.epub ARTIFACT_DIR [--expect-vertical] [--expect-math]" >&2
	exit 2
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
	echo "$0: run tests/reader/setup.sh first" >&2
	exit 2
fi
exec node "$here/reader.js" "$@"
