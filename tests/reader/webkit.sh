#!/bin/sh
# webkit.sh BOOK.epub ARTIFACT_DIR [--expect-vertical] [--expect-media]: the
# checks of run.sh in a second engine, WebKit (the engine family of Apple
# Books and Kobo): Debian's webkit2gtk-driver (WebKitWebDriver driving
# WebKitGTK's MiniBrowser) under Xvfb, showing the same epub.js page.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$here/.node20/node_modules/.bin/node" ] && PATH="$here/.node20/node_modules/.bin:$PATH"
if [ $# -lt 2 ]; then
	echo "usage: $0 BOOK.epub ARTIFACT_DIR [--expect-vertical] [--expect-media]" >&2
	exit 2
fi
for t in WebKitWebDriver xvfb-run; do
	command -v $t > /dev/null 2>&1 || { echo "$0: no $t: run tests/reader/setup.sh first" >&2; exit 2; }
done
if [ ! -d "$here/node_modules/epubjs" ]; then
	echo "$0: run tests/reader/setup.sh first" >&2
	exit 2
fi
exec xvfb-run -a -s "-screen 0 1280x1024x24" node "$here/reader.js" "$@" --webkit
