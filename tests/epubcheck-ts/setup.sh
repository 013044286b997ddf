#!/bin/sh
# setup.sh: installs @likecoin/epubcheck-ts (EPUBCheck 5's rules in
# TypeScript) as package-lock.json pins it, once: Node.js 18 or later from
# Debian when missing, then npm ci. Safe to run again; does nothing when the
# lock file is unchanged since the last install. Nothing is downloaded when
# a book is checked.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
need=
command -v node >/dev/null 2>&1 || need="$need nodejs"
command -v npm >/dev/null 2>&1 || need="$need npm"
[ -z "$need" ] || sh "$here/../apt-install.sh" $need
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
	echo "$0: Node.js $(node --version) is too old: epubcheck-ts needs 18 or later" >&2
	exit 1
fi
stamp="$here/node_modules/.installed-lock.json"
if [ -f "$stamp" ] && cmp -s "$stamp" "$here/package-lock.json"; then
	exit 0
fi
cd "$here"
npm ci --no-audit --no-fund
cp package-lock.json "$stamp"
