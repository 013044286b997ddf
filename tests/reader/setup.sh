#!/bin/sh
# setup.sh: installs what the reader checks need, once: Debian's chromium,
# webkit2gtk-driver and xvfb,
# Japanese fonts, Node.js, and the pinned npm packages of package-lock.json.
# Safe to run again; does nothing when all is in place.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

need=
command -v node >/dev/null 2>&1 || need="$need nodejs"
command -v npm >/dev/null 2>&1 || need="$need npm"
[ -x /usr/bin/chromium ] || need="$need chromium"
# the second engine (webkit.sh): WebKitGTK's WebDriver and MiniBrowser, under Xvfb
command -v WebKitWebDriver >/dev/null 2>&1 || need="$need webkit2gtk-driver"
command -v xvfb-run >/dev/null 2>&1 || need="$need xvfb xauth"
command -v fc-list >/dev/null 2>&1 || need="$need fontconfig"
# fonts-noto-cjk always, whatever other Japanese font is present: Debian's
# fonts-droid-fallback (pulled in by other packages) also answers
# fc-list :lang=ja, but has no vertical forms, so 「」、。ー in vertical text
# come out as wrong glyphs. reader.js checks which font drew the text.
# fallback.sh shows the check failing with Droid alone: install it too.
for p in fonts-noto-cjk fonts-droid-fallback; do
	if [ "$(dpkg-query -W -f='${Status}' $p 2>/dev/null)" != "install ok installed" ]; then
		need="$need $p"
	fi
done
if [ -n "$need" ]; then
	# shellcheck disable=SC2086
	sh "$here/../apt-install.sh" $need
fi

# The fonts must be where fontconfig sees them, not only installed.
for fam in "Noto Serif CJK JP" "Noto Sans CJK JP"; do
	if ! fc-list "$fam" family | grep -q .; then
		echo "$0: fontconfig finds no \"$fam\" after installing fonts-noto-cjk" >&2
		exit 1
	fi
done

# playwright-core 1.65 and Ace 1.4 need Node.js 20 or later, and Debian 12's
# is 18: then Node.js 20 comes from the npm registry (package node-linux-ARCH)
# into .node20/ here, which run.sh and ace.sh put first in PATH.
node20="$here/.node20/node_modules/.bin"
[ -x "$node20/node" ] && PATH="$node20:$PATH"
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
	case $(uname -m) in
	x86_64) arch=x64 ;;
	aarch64) arch=arm64 ;;
	*) arch= ;;
	esac
	echo "$0: Node.js $(node --version) is too old for the reader checks: installing Node.js 20 into $here/.node20"
	[ -n "$arch" ] && npm install --prefix "$here/.node20" --no-save --no-package-lock --no-audit --no-fund \
		"node-linux-$arch@20.19.5"
	PATH="$node20:$PATH"
	major=$(node -p 'process.versions.node.split(".")[0]')
	if [ "$major" -lt 20 ]; then
		echo "$0: Node.js $(node --version) is too old: the reader checks need 20 or later" >&2
		exit 1
	fi
fi
export PATH

# npm ci removes node_modules first: skip it when the lock file is unchanged
# since the last install. No browser download: Debian's chromium is used.
stamp="$here/node_modules/.installed-lock.json"
if [ -f "$stamp" ] && cmp -s "$stamp" "$here/package-lock.json"; then
	exit 0
fi
cd "$here"
PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
cp package-lock.json "$stamp"
