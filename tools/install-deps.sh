#!/bin/sh
# install-deps.sh: installs the Debian packages blogbind needs to build and
# test, only those missing (apt-get, as root or with sudo).
set -eu
# BB_NO_DEPS=1: install nothing (a Debian package build, whose
# Build-Depends are the packages; no apt call happens inside it)
[ "${BB_NO_DEPS:-}" = 1 ] && exit 0
PKGS="build-essential pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev libxml2-dev libxml2-utils
libzip-dev libyaml-dev zlib1g-dev libdeflate-dev libcurl4-openssl-dev duktape-dev libvips-dev libjs-katex libjs-highlight.js epubcheck default-jre-headless clang libclang-rt-dev python3 unzip groff-base ruby-kramdown ruby-kramdown-parser-gfm jekyll hugo zsh"
# the chapter cache's keys and checksums (SHA-256)
PKGS="$PKGS nettle-dev"
# --preview's HTTP server (src/cli/preview.c)
PKGS="$PKGS libmicrohttpd-dev"
# KaTeX run by V8 (jsnode.c), several times Duktape's speed; optional at run time
PKGS="$PKGS nodejs"
# the tests' Python reads YAML (tests/volumes.py); Debian's python3-yaml
# serves Debian's python3
PKGS="$PKGS python3-yaml"
[ "${BB_DEPS_EXTRA:-}" ] && PKGS="$PKGS $BB_DEPS_EXTRA"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# python3 may come from elsewhere (pyenv); that is enough for the tests
# when it reads YAML itself
if command -v python3 >/dev/null 2>&1; then
	missing=$(echo "$missing" | sed -E 's/ python3( |$)/\1/')
	python3 -c 'import yaml' 2>/dev/null && missing=$(echo "$missing" | sed 's/ python3-yaml//')
fi
# any Node.js in /usr/bin will do (nodesource's too)
if [ -x /usr/bin/node ] || [ -x /usr/bin/nodejs ]; then
	missing=$(echo "$missing" | sed 's/ nodejs//')
fi
# any Java 17+ runtime will do for EPUBCheck
if command -v java >/dev/null 2>&1; then
	missing=$(echo "$missing" | sed 's/ default-jre-headless//')
fi
[ -z "$(echo "$missing" | tr -d ' ')" ] && exit 0
echo "blogbind: installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
