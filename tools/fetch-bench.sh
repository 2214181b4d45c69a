#!/bin/sh
# The benchmark programs for `make bench`, from Debian's armhf packages:
#   build/bench/debs/      the .debs (downloaded once, with apt-get download)
#   build/bench/pkg/       all of them unpacked with dpkg-deb -x
#   build/bench/root/      the programs and the closure of the shared libraries
#                          they need (NEEDED entries walked recursively), laid
#                          out as on Debian: /usr/bin, /usr/lib/arm-linux-gnueabihf,
#                          /lib/ld-linux-armhf.so.3
# tools/mkbench.py packs build/bench/root and the inputs into the bench initramfs.
# `tools/fetch-bench.sh net` does the same for make bench-net's iperf3 (the
# client and server of TCP throughput) in build/bench/net-root.
# Idempotent: with the root's .done newer than this script it only checks.
set -eu

cd "$(dirname "$0")/.."
self=tools/fetch-bench.sh
B=build/bench
ML=arm-linux-gnueabihf
case "${1:-mibench}" in
mibench)
	PROGS="sox rhash cjpeg djpeg toast"
	PKGS="sox libsox3 libgsm-tools libgsm1 rhash librhash0 libjpeg-turbo-progs libjpeg62-turbo
	      libc6 libgomp1 libltdl7 libmagic1 libpng16-16 zlib1g libbz2-1.0 liblzma5"
	R=$B/root
	;;
net)
	PROGS="iperf3"
	PKGS="iperf3 libiperf0 libsctp1 libssl3 libc6"
	R=$B/net-root
	;;
*) echo "usage: $0 [mibench|net]" >&2; exit 2 ;;
esac

die() {
	echo "fetch-bench: error: $*" >&2
	exit 1
}

# shellcheck disable=SC3013
if [ -f "$R/.done" ] && [ "$R/.done" -nt "$self" ]; then
	exit 0
fi
command -v $ML-readelf >/dev/null || die "$ML-readelf is missing (tools/setup.sh installs binutils-$ML)"

# --- 1. the .debs --------------------------------------------------------------
mkdir -p "$B/debs"
missing=""
for p in $PKGS; do
	ls "$B/debs/${p}_"*_armhf.deb >/dev/null 2>&1 || missing="$missing $p:armhf"
done
if [ -n "$missing" ]; then
	sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo"
	if ! dpkg --print-foreign-architectures | grep -qx armhf; then
		$sudo dpkg --add-architecture armhf
	fi
	if ! apt-cache show "${PROGS%% *}:armhf" >/dev/null 2>&1; then
		echo "fetch-bench: apt-get update"
		$sudo apt-get update -qq || echo "fetch-bench: warning: apt-get update reported errors" >&2
	fi
	echo "fetch-bench: downloading$missing"
	sandbox=""
	[ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
	# shellcheck disable=SC2086
	(cd "$B/debs" && apt-get download -qq $sandbox $missing) || die "apt-get download failed"
	rm -rf "$B/pkg"
fi

# --- 2. unpack -------------------------------------------------------------------
if [ ! -d "$B/pkg" ]; then
	mkdir -p "$B/pkg.tmp"
	for d in "$B"/debs/*.deb; do
		dpkg-deb -x "$d" "$B/pkg.tmp" || die "dpkg-deb -x $d failed"
	done
	mv "$B/pkg.tmp" "$B/pkg"
fi

# --- 3. the programs and their libraries' closure ----------------------------------
rm -rf "$R"
mkdir -p "$R/usr/bin" "$R/usr/lib/$ML" "$R/lib"
needed() { $ML-readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
find_lib() {
	for dir in lib/$ML usr/lib/$ML lib usr/lib; do
		[ -e "$B/pkg/$dir/$1" ] && { echo "$B/pkg/$dir/$1"; return; }
	done
}
queue=""
for p in $PROGS; do
	[ -f "$B/pkg/usr/bin/$p" ] || die "no /usr/bin/$p in the packages"
	cp -L "$B/pkg/usr/bin/$p" "$R/usr/bin/$p"
	queue="$queue $R/usr/bin/$p"
done
while [ -n "$queue" ]; do
	next=""
	for f in $queue; do
		for lib in $(needed "$f"); do
			dest="$R/usr/lib/$ML/$lib"
			[ -e "$dest" ] && continue
			src=$(find_lib "$lib")
			[ -n "$src" ] || die "$lib (needed by ${f#"$R"}) is in none of the packages: add its package to PKGS"
			cp -L "$src" "$dest"
			next="$next $dest"
		done
	done
	queue=$next
done
# the dynamic loader, where the programs' PT_INTERP says it is
mv "$R/usr/lib/$ML/ld-linux-armhf.so.3" "$R/lib/ld-linux-armhf.so.3"
touch "$R/.done"
echo "fetch-bench: $(ls "$R/usr/lib/$ML" | wc -l) libraries for $PROGS" \
	"($(du -sk "$R" | cut -f1) KiB)"
