#!/bin/sh
# Installs what the build and the tests need, from Debian's packages.
# Idempotent: when everything is there it only checks, in well under a second.
# Called by `make run`, `make test` and the other targets that boot QEMU.
set -eu

# the last line: the programs of make bench's Local column (their amd64 builds)
PKGS="make gcc libc6-dev gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
      gdb-multiarch device-tree-compiler python3 python3-pytest python3-pexpect
      python3-matplotlib gcc-arm-linux-gnueabihf
      sox libgsm-tools rhash libjpeg-turbo-progs"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "setup: installing from Debian:$missing"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
$sudo apt-get update -qq || echo "setup: apt-get update reported errors; trying the install anyway"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
