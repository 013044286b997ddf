#!/bin/sh
# glyphs.sh OUT_DIR [--webkit]: vertical Japanese punctuation in a minimal
# page outside epub.js (glyphs.js): the book's CSS and fonts and each
# property alone must draw 「」、。ー… in their vertical forms, a horizontal
# control must not; font-feature-settings "vert" workarounds are measured and
# listed. Screenshots glyphs-ENGINE-VARIANT.png in OUT_DIR. In chromium all
# pass; WebKitGTK 2.50 fails them (bugs.webkit.org 273477, its Skia port
# shapes vertical text without the vert feature).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$here/.node20/node_modules/.bin/node" ] && PATH="$here/.node20/node_modules/.bin:$PATH"
if [ $# -lt 1 ]; then
	echo "usage: $0 OUT_DIR [--webkit]" >&2
	exit 2
fi
if [ "${2:-}" = --webkit ]; then
	exec xvfb-run -a -s "-screen 0 1280x1024x24" node "$here/glyphs.js" "$@"
fi
exec node "$here/glyphs.js" "$@"
