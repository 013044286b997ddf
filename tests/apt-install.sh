#!/bin/sh
# apt-install.sh PACKAGE...: installs Debian packages a test needs (as root,
# or through sudo), without recommends, waiting for a busy apt lock.
set -eu
[ $# -gt 0 ] || exit 0
sudo=
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "$0: need root to install: $*" >&2
		exit 1
	}
	sudo=sudo
fi
echo "$0: installing $*"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=1200 install -y -q --no-install-recommends "$@"
