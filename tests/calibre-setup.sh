#!/bin/sh
# calibre-setup.sh: installs Debian's calibre (ebook-convert, ebook-meta) for
# tests/calibre.py, once (about 110 MB without recommends). Does nothing when
# ebook-convert is there.
set -eu
command -v ebook-convert >/dev/null 2>&1 && exit 0
exec sh "$(dirname "$0")/apt-install.sh" calibre
