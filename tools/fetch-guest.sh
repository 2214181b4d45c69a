#!/bin/sh
# Prepares a stock Debian armhf Linux guest under build/guest/, from Debian's
# packages only:
#   build/guest/zImage              the kernel of linux-image-*-armmp-lpae:armhf
#   build/guest/initramfs.cpio.gz   busybox-static:armhf and a small /init
#   build/guest/VERSION             "<kernel package> <version>"
# The .debs are kept in build/guest/debs/ and unpacked in build/guest/pkg/, so
# the registry is needed only once. Idempotent: with everything in place it
# only checks, silently, in well under a second. The first kernel found is
# kept: `rm -rf build/guest` to take a newer one from the registry.
#
# The guest's /init mounts proc, sysfs and devtmpfs, prints "guest: init
# started", then powers off at once if the kernel command line has
# "guest.poweroff", else runs an interactive shell (prompt "guest# ") on the
# console and powers off when that shell exits.
set -eu

cd "$(dirname "$0")/.."
self=tools/fetch-guest.sh
G=build/guest
PY=/usr/bin/python3
META=linux-image-armmp-lpae:armhf

die() {
	echo "fetch-guest: error: $*" >&2
	exit 1
}

# true when $1 starts an ARM zImage: magic 0x016f2818, little-endian, at 0x24
is_zimage() {
	[ -f "$1" ] &&
		[ "$(od -An -tx1 -j36 -N4 "$1" 2>/dev/null | tr -d ' \n')" = 18286f01 ]
}

# --- fast path: everything there and the initramfs newer than this script ---
# (-nt is not POSIX but dash, bash and busybox sh all have it)
# shellcheck disable=SC3013
if is_zimage "$G/zImage" && [ -s "$G/VERSION" ] &&
	[ -s "$G/initramfs.cpio.gz" ] && [ "$G/initramfs.cpio.gz" -nt "$self" ]; then
	exit 0
fi

[ -x "$PY" ] || die "$PY is missing (tools/setup.sh installs python3)"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
mkdir -p "$G/debs"

kdeb() { ls "$G"/debs/linux-image-[0-9]*-armmp-lpae_*_armhf.deb 2>/dev/null | tail -n 1; }
bdeb() { ls "$G"/debs/busybox-static_*_armhf.deb 2>/dev/null | tail -n 1; }

# --- 1. the two .debs, from the registry unless already cached --------------
if [ -z "$(kdeb)" ] || [ -z "$(bdeb)" ]; then
	if ! dpkg --print-foreign-architectures | grep -qx armhf; then
		echo "fetch-guest: dpkg --add-architecture armhf"
		$sudo dpkg --add-architecture armhf
	fi
	# the concrete kernel package the metapackage's candidate depends on,
	# e.g. "linux-image-6.1.0-18-armmp-lpae"
	resolve() {
		apt-cache show --no-all-versions "$META" 2>/dev/null |
			sed -n 's/^Depends:.*\(linux-image-[0-9][^ ,:(]*-armmp-lpae\).*/\1/p' |
			head -n 1
	}
	kpkg=$(resolve)
	if [ -z "$kpkg" ] || ! apt-cache show busybox-static:armhf >/dev/null 2>&1; then
		echo "fetch-guest: apt-get update"
		# a list that fails to download (a mirror mid-sync) is not fatal
		# as long as the packages resolve from the others
		$sudo apt-get update -qq ||
			echo "fetch-guest: warning: apt-get update reported errors" >&2
		kpkg=$(resolve)
	fi
	[ -n "$kpkg" ] || die "cannot resolve $META to a kernel package"
	echo "fetch-guest: downloading $kpkg:armhf busybox-static:armhf"
	rm -f "$G"/debs/*.deb
	# as root apt's _apt sandbox user could not write to build/: skip it
	sandbox=""
	[ "$(id -u)" = 0 ] && sandbox="-o APT::Sandbox::User=root"
	# shellcheck disable=SC2086
	(cd "$G/debs" && apt-get download -qq $sandbox "$kpkg:armhf" busybox-static:armhf) ||
		die "apt-get download of $kpkg:armhf busybox-static:armhf failed"
	if [ -z "$(kdeb)" ] || [ -z "$(bdeb)" ]; then
		die "the downloaded .debs are not in $G/debs"
	fi
	rm -rf "$G/pkg"
fi
kdeb=$(kdeb)
bdeb=$(bdeb)

# --- 2. unpack them -----------------------------------------------------------
if ! ls "$G"/pkg/boot/vmlinuz-* >/dev/null 2>&1 || [ ! -f "$G/pkg/bin/busybox" ]; then
	rm -rf "$G/pkg"
	mkdir -p "$G/pkg"
	dpkg-deb -x "$kdeb" "$G/pkg" || die "dpkg-deb -x $kdeb failed"
	dpkg-deb -x "$bdeb" "$G/pkg" || die "dpkg-deb -x $bdeb failed"
fi

# --- 3. zImage and VERSION ------------------------------------------------------
vmlinuz=$(ls "$G"/pkg/boot/vmlinuz-* 2>/dev/null | head -n 1)
[ -n "$vmlinuz" ] || die "no /boot/vmlinuz-* in $kdeb"
is_zimage "$vmlinuz" || die "$vmlinuz is not an ARM zImage (no magic 0x016f2818 at offset 0x24)"
cp "$vmlinuz" "$G/zImage.tmp"
mv "$G/zImage.tmp" "$G/zImage"
echo "$(dpkg-deb -f "$kdeb" Package) $(dpkg-deb -f "$kdeb" Version)" >"$G/VERSION.tmp"
mv "$G/VERSION.tmp" "$G/VERSION"

# --- 4. the initramfs -----------------------------------------------------------
# written by python as a newc cpio, so that it needs no root and no cpio tool
# (and can hold the /dev/console node the kernel opens for init's stdio)
mkdir -p "$G/initramfs"
cat >"$G/initramfs/init" <<'EOF'
#!/bin/sh
# guest init (written by tools/fetch-guest.sh)
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin HOME=/root TERM=vt100
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo "guest: init started"
case "$(cat /proc/cmdline)" in
*guest.poweroff*)
	echo "guest: powering off"
	poweroff -f
	echo "guest: poweroff -f failed"
	;;
esac
# busybox poweroff/reboot/halt signal pid 1 (USR2, TERM, USR1): act on them
trap 'echo "guest: powering off"; poweroff -f' USR2 USR1
trap 'echo "guest: rebooting"; reboot -f' TERM
export PS1='guest# '
setsid cttyhack sh &
while :; do
	wait $! && break	# a signal interrupts wait; the shell's exit ends it
	kill -0 $! 2>/dev/null || break
done
echo "guest: shell exited, powering off"
poweroff -f
echo "guest: poweroff -f failed"
exec sh
EOF

"$PY" - "$G/pkg/bin/busybox" "$G/initramfs/init" "$G/initramfs.cpio.gz.tmp" <<'EOF' ||
import gzip, io, os, stat, sys

busybox_path, init_path, out_path = sys.argv[1:4]
busybox = open(busybox_path, "rb").read()
init = open(init_path, "rb").read()

def fail(msg):
    sys.exit("fetch-guest: error: " + msg)

# a static 32-bit little-endian ARM executable
if busybox[:4] != b"\x7fELF" or busybox[4] != 1 or busybox[5] != 1 \
        or int.from_bytes(busybox[18:20], "little") != 40:
    fail(busybox_path + " is not a 32-bit ARM ELF executable")
if b"ld-linux" in busybox[:4096]:
    fail(busybox_path + " is not static")
# applet names are stored as one NUL-separated list
for applet in ("sh", "mount", "setsid", "cttyhack", "poweroff", "reboot", "cat"):
    if b"\0" + applet.encode() + b"\0" not in busybox:
        fail("busybox has no '%s' applet" % applet)

out = io.BytesIO()
ino = [720000]

def entry(name, mode, data=b"", rdev=(0, 0)):
    ino[0] += 1
    nlink = 2 if stat.S_ISDIR(mode) else 1
    fields = (ino[0], mode, 0, 0, nlink, 0, len(data), 0, 0,
              rdev[0], rdev[1], len(name) + 1, 0)
    out.write(b"070701" + b"".join(b"%08X" % f for f in fields))
    out.write(name.encode() + b"\0")
    out.write(b"\0" * (-out.tell() % 4))
    out.write(data)
    out.write(b"\0" * (-out.tell() % 4))

for d in ("bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc",
          "sys", "root", "etc"):
    entry(d, stat.S_IFDIR | 0o755)
entry("tmp", stat.S_IFDIR | 0o1777)
entry("dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1))
entry("bin/busybox", stat.S_IFREG | 0o755, busybox)
entry("bin/sh", stat.S_IFLNK | 0o777, b"busybox")
entry("init", stat.S_IFREG | 0o755, init)
entry("TRAILER!!!", 0)

with open(out_path, "wb") as f:
    with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as gz:
        gz.write(out.getvalue())
EOF
	die "could not write $G/initramfs.cpio.gz"
mv "$G/initramfs.cpio.gz.tmp" "$G/initramfs.cpio.gz"
echo "fetch-guest: $(cat "$G/VERSION"), busybox-static $(dpkg-deb -f "$bdeb" Version)"
