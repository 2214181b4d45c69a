#!/bin/sh
# Fetches Xen 4.17 for ARMv7, for make bench-linux's third column, from
# Debian's xen-hypervisor-4.17-armhf package (the hypervisor image only: no
# tools, none are needed to boot a dom0):
#   build/xen/xen-4.17-armhf    the hypervisor, loaded by qemu -kernel
#   build/xen/VERSION           "<package> <version>"
# The .deb is kept in build/xen/debs/, so the registry is needed only once.
# With everything in place and newer than this script, it only checks,
# silently. `rm -rf build/xen` to take a newer one.
set -eu

cd "$(dirname "$0")/.."
X=build/xen
PKG=xen-hypervisor-4.17-armhf
IMG=$X/xen-4.17-armhf

die() {
	echo "fetch-xen: error: $*" >&2
	exit 1
}

# (-nt is not POSIX but dash, bash and busybox sh all have it)
# shellcheck disable=SC3013
if [ -s "$IMG" ] && [ -s "$X/VERSION" ] && [ "$IMG" -nt tools/fetch-xen.sh ]; then
	exit 0
fi

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
mkdir -p "$X/debs"
deb() { for f in "$X"/debs/"$PKG"_*_armhf.deb; do [ -f "$f" ] && echo "$f"; done | tail -n 1; }

if [ -z "$(deb)" ]; then
	if ! dpkg --print-foreign-architectures | grep -qx armhf; then
		echo "fetch-xen: dpkg --add-architecture armhf"
		$sudo dpkg --add-architecture armhf
	fi
	if ! apt-cache show "$PKG:armhf" >/dev/null 2>&1; then
		echo "fetch-xen: apt-get update"
		$sudo apt-get update -qq ||
			echo "fetch-xen: warning: apt-get update reported errors" >&2
	fi
	echo "fetch-xen: downloading $PKG:armhf"
	# as root apt's _apt sandbox user could not write to build/: skip it
	sandbox=""
	[ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
	# shellcheck disable=SC2086
	(cd "$X/debs" && apt-get download -qq $sandbox "$PKG:armhf") ||
		die "apt-get download of $PKG:armhf failed"
	[ -n "$(deb)" ] || die "the downloaded .deb is not in $X/debs"
fi

rm -rf "$X/pkg"
dpkg-deb -x "$(deb)" "$X/pkg" || die "dpkg-deb -x $(deb) failed"
[ -s "$X/pkg/boot/xen-4.17-armhf" ] || die "$(deb) has no boot/xen-4.17-armhf"
cp "$X/pkg/boot/xen-4.17-armhf" "$IMG.tmp"
mv "$IMG.tmp" "$IMG"
echo "$(dpkg-deb -f "$(deb)" Package) $(dpkg-deb -f "$(deb)" Version)" >"$X/VERSION.tmp"
mv "$X/VERSION.tmp" "$X/VERSION"
echo "fetch-xen: $(cat "$X/VERSION")"
