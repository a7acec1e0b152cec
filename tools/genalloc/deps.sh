#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# deps.sh [PACKAGE...] - install the Debian packages the build needs.
#
# Installs only what is missing, with apt-get when running as root.  As
# another user it lists what is missing and fails.
set -eu

PKGS="build-essential gcc-multilib clang llvm libclang-rt-14-dev lib32stdc++-12-dev
linux-source-6.12 qemu-system-x86 sparse flex bison bc libelf-dev libssl-dev
dwarves cpio kmod rsync python3 python3-sphinx python3-yaml
python3-sphinx-rtd-theme imagemagick graphviz valgrind xz-utils git perl
device-tree-compiler"
[ $# -gt 0 ] && PKGS="$*"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root or install them)" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || apt-get update
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	apt-get install -y --no-install-recommends $missing
