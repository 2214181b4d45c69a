#!/bin/sh
# Prepares a stock Debian armhf Linux guest under build/guest/, from Debian's
# packages only:
#   build/guest/zImage              the kernel of linux-image-*-armmp-lpae:armhf (the point
#                                   release's, bookworm main)
#   build/guest/initramfs.cpio.gz   busybox-static:armhf and a small /init
#   build/guest/VERSION             "<kernel package> <version>"
# The .debs are kept in build/guest/debs/ and unpacked in build/guest/pkg/, so
# the registry is needed only once. Idempotent: with everything in place it
# only checks, silently, in well under a second. The first kernel found is
# kept: `rm -rf build/guest` to take a newer one from the registry.
#
# The guest's /init mounts proc, sysfs and devtmpfs, loads the modules for
# virtio and ext4 (virtio_mmio, virtio_blk, virtio_console, virtio_net, ext4),
# and, when the VM's tree has the device, the drivers of the board's devices a
# VM may own (armmmci, smsc911x, dwmac-sun8i, sunxi-mmc), with what they
# depend on, from the same package; mounts the VM's disk
# /dev/vda on /mnt or, with root=/dev/vda, switches to it (build/guest/rootfs
# is that root, made a disk by tools/mkdisk.py) and runs there; prints "guest:
# init started", then powers off at once if the kernel command line has
# "guest.poweroff". Else, with a network card, it brings eth0 up (guest.ip=:
# dhcp, an address to ask DHCP for, static:A.B.C.D/N, off), starts httpd with
# "hello from NAME" (guest.name=) and prints "guest: eth0 ADDRESS/N (how)"
# (docs/net-guests.md); then runs an interactive shell (prompt "guest# ") on
# the console, and one more on guest.shell=TTY's serial line if given, and
# powers off when the console's shell exits. Before the power goes it
# syncs and puts the disk read-only.
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
	[ -s "$G/initramfs.cpio.gz" ] && [ "$G/initramfs.cpio.gz" -nt "$self" ] &&
	[ -x "$G/rootfs/init" ]; then
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
	# e.g. "linux-image-6.1.0-18-armmp-lpae": the point release's (bookworm's
	# main), not the security pocket's, which moves every few weeks: its
	# 6.1.192 (6.1.0-57) dwmac-sun8i oopses at its first DMA interrupt, on
	# bare QEMU too (docs/findings.md)
	rel=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
	resolve() {
		apt-cache ${rel:+-o APT::Default-Release=$rel} show --no-all-versions "$META" 2>/dev/null |
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
# (and can hold the /dev/console node the kernel opens for init's stdio).
# the same /init is the root filesystem's on a VM's disk (build/guest/rootfs,
# which tools/mkdisk.py copies into each VM's range of the board's image):
# in the initramfs it loads the kernel modules for virtio and ext4, mounts the
# disk on /mnt or, with root=/dev/vda, switches to it and runs again there.
mkdir -p "$G/initramfs"
cat >"$G/initramfs/init" <<'EOF'
#!/bin/sh
# guest init (written by tools/fetch-guest.sh): the initramfs's and the disk's
/bin/busybox --install -s
export PATH=/sbin:/bin:/usr/sbin:/usr/bin HOME=/root TERM=vt100
[ -e /proc/self ] || mount -t proc proc /proc
[ -e /sys/kernel ] || mount -t sysfs sysfs /sys
[ -e /dev/null ] || mount -t devtmpfs devtmpfs /dev
where=""
if [ -f /lib/modules/load ]; then
	# in dependency order (fetch-guest.sh resolved them from the modules' own depends);
	# a board device's driver only if the tree has one of its compatibles
	while read -r m ids; do
		if [ -n "$ids" ]; then
			want=""
			for c in $ids; do
				grep -qsF "$c" /proc/device-tree/*/compatible && want=1
			done
			[ -n "$want" ] || continue
		fi
		insmod "/lib/modules/$m"
	done </lib/modules/load
	# console=hvc0: the console came with virtio_console, after the kernel looked for one
	if (: </dev/console) 2>/dev/null; then exec 0<>/dev/console 1>&0 2>&0; fi
	# linux 6.1 loses the log it replays to a console a module registers
	# (virtio_console lists its port only after hvc_alloc has registered
	# hvc0): print that log through the tty, up to the console's arrival
	# (no output processing meanwhile: each line's "\r\n" would be a write of its own)
	if grep -q '^hvc' /proc/consoles; then
		stty -opost
		dmesg | sed '/printk: console \[hvc[0-9]*\] enabled/q' | cat
		stty opost
	fi
	if [ ! -b /dev/vda ]; then
		case " $(cat /proc/cmdline) " in
		*" root=/dev/vda "*) echo "guest: no disk (/dev/vda): staying in the initramfs" ;;
		esac
	else
		case " $(cat /proc/cmdline) " in
		*" root=/dev/vda "*)
			mkdir -p /newroot
			if mount -t ext4 /dev/vda /newroot && [ -x /newroot/init ]; then
				for d in proc sys dev; do mount --move /$d /newroot/$d; done
				exec switch_root /newroot /init
			fi
			echo "guest: no root filesystem on /dev/vda: staying in the initramfs"
			;;
		*)
			mount -t ext4 /dev/vda /mnt && where=", /dev/vda on /mnt"
			;;
		esac
	fi
else
	where=", root on /dev/vda"
fi
echo "guest: init started$where"
# what reaches the disk stays: sync, and the disks read-only, before the power goes
settle() {
	sync
	umount /mnt 2>/dev/null
	mount -o remount,ro / 2>/dev/null
}
off() {
	echo "guest: powering off"
	settle
	poweroff -f
	echo "guest: poweroff -f failed"
}
case "$(cat /proc/cmdline)" in
*guest.poweroff*)
	off
	;;
esac
# the network, when the VM has a virtio-net device (eth0): guest.name=NAME names
# the guest (hostname, web page); guest.ip= says how eth0 gets its address:
# dhcp (the default), A.B.C.D (dhcp, asking for that address; with no answer that
# address, /24), static:A.B.C.D/N
# or static:A.B.C.D/N,GATEWAY (no dhcp), off (eth0 stays down)
name="" ipcfg=dhcp tty2=""
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	guest.name=*) name=${arg#guest.name=} ;;
	guest.ip=*) ipcfg=${arg#guest.ip=} ;;
	guest.shell=*) tty2=${arg#guest.shell=} ;;
	esac
done
# without a name the kernel's "(none)" stays (uname -n)
[ -z "$name" ] || hostname "$name"
net_up() {
	ifconfig lo 127.0.0.1 up
	ifconfig eth0 up || return 1
	# the page, from a tmpfs; httpd listens on every address, one given later too
	mkdir -p /run && mount -t tmpfs -o size=1m tmpfs /run && mkdir /run/www &&
		echo "hello from ${name:-guest}" >/run/www/index.html && httpd -p 80 -h /run/www
	how=dhcp
	case "$ipcfg" in
	static:*)
		how=static
		a=${ipcfg#static:} gw=""
		case "$a" in *,*) gw=${a#*,} a=${a%%,*} ;; esac
		ip addr add "$a" dev eth0 || return 1
		[ -z "$gw" ] || ip route add default via "$gw" dev eth0 || return 1
		;;
	*)
		# -q: the lease (a day, from qemu's user network) is taken once, no daemon
		req=""
		[ "$ipcfg" = dhcp ] || req="-r $ipcfg" how="dhcp, asked for $ipcfg"
		# shellcheck disable=SC2086
		if ! udhcpc -i eth0 -s /etc/udhcpc.script -q -n -t 4 -T 1 -A 1 $req >/dev/null 2>&1; then
			# no server (a board with no uplink: orangepi-pc): the address asked for,
			# on the switch's /24, so that the VMs still reach each other
			[ -n "$req" ] && ip addr add "$ipcfg/24" dev eth0 ||
				{ echo "guest: eth0: no dhcp answer"; return 1; }
			how="no dhcp answer: the address asked for"
		fi
		;;
	esac
	echo "guest: eth0 $(ip -4 addr show dev eth0 | sed -n 's/.*inet \([0-9./]*\).*/\1/p') ($how)"
}
[ ! -d /sys/class/net/eth0 ] || [ "$ipcfg" = off ] || net_up
# busybox poweroff/reboot/halt signal pid 1 (USR2, TERM, USR1): act on them
trap off USR2 USR1
trap 'echo "guest: rebooting"; settle; reboot -f' TERM
export PS1='guest# '
# guest.shell=TTY: a second shell on that serial line (a uart the VM owns: ttyAMA1),
# its session's own terminal; the console's shell stays the one init waits for
if [ -n "$tty2" ]; then
	if [ -c "/dev/$tty2" ]; then
		setsid sh -c "exec sh -i <>/dev/$tty2 >&0 2>&0" &
		echo "guest: a shell on $tty2 too"
	else
		echo "guest: no /dev/$tty2 for guest.shell"
	fi
fi
setsid cttyhack sh &
while :; do
	wait $! && break	# a signal interrupts wait; the shell's exit ends it
	kill -0 $! 2>/dev/null || break
done
echo "guest: shell exited, powering off"
off
exec sh
EOF

# udhcpc's hook, /etc/udhcpc.script: applies a lease to the interface
cat >"$G/initramfs/udhcpc.script" <<'EOF'
#!/bin/sh
# udhcpc's hook (written by tools/fetch-guest.sh): $1 is what happened, the
# lease comes in $interface, $ip, $mask (prefix length) and $router
case "$1" in
deconfig)
	ip addr flush dev "$interface"
	ip link set "$interface" up
	;;
bound | renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	for r in $router; do
		ip route add default via "$r" dev "$interface"
		break
	done
	;;
esac
exit 0
EOF

# the disk's root filesystem: busybox, the same /init and udhcpc's hook
rm -rf "$G/rootfs"
mkdir -p "$G/rootfs/bin" "$G/rootfs/sbin"
for d in dev proc sys tmp root etc mnt run usr/bin usr/sbin; do mkdir -p "$G/rootfs/$d"; done
chmod 1777 "$G/rootfs/tmp"
cp "$G/pkg/bin/busybox" "$G/rootfs/bin/busybox"
ln -s busybox "$G/rootfs/bin/sh"
cp "$G/initramfs/init" "$G/rootfs/init"
chmod 755 "$G/rootfs/init"
cp "$G/initramfs/udhcpc.script" "$G/rootfs/etc/udhcpc.script"
chmod 755 "$G/rootfs/etc/udhcpc.script"
ln -s ../init "$G/rootfs/sbin/init"

modules=$(ls -d "$G"/pkg/lib/modules/*/kernel 2>/dev/null | head -n 1)
[ -n "$modules" ] || die "no lib/modules/*/kernel in $kdeb"

"$PY" - "$G/pkg/bin/busybox" "$G/initramfs/init" "$G/initramfs.cpio.gz.tmp" "$modules" \
	"$G/initramfs/udhcpc.script" <<'EOF' ||
import gzip, io, os, stat, struct, sys

busybox_path, init_path, out_path, modules_dir, dhcp_path = sys.argv[1:6]
busybox = open(busybox_path, "rb").read()
init = open(init_path, "rb").read()
# what the guest's disks, consoles and network need; their dependencies follow
# (virtio_net's: net_failover and failover); armmmci and smsc911x (and its libphy):
# the PL181 and the LAN9118 a VM may own on vexpress-a15; dwmac-sun8i and sunxi-mmc: the
# H3's EMAC and SD/MMC controller on orangepi-pc (docs/passthrough.md)
WANTED = ["virtio_mmio", "virtio_blk", "virtio_console", "virtio_net", "ext4", "armmmci",
          "smsc911x", "dwmac_sun8i", "sunxi_mmc"]
# a board device's driver is loaded only when the guest's tree has the device (init looks
# for the compatible under /proc/device-tree): QEMU's H3 board took 20 s to load stmmac's
# family in every VM; its dependencies with it, unless a module loaded always needs them
ONLY_FOR = {"armmmci": "arm,pl180", "smsc911x": "smsc,lan9118",
            "dwmac_sun8i": "allwinner,sun8i-h3-emac", "sunxi_mmc": "allwinner,sun7i-a20-mmc"}

def fail(msg):
    sys.exit("fetch-guest: error: " + msg)

def modinfo(path):
    """the key=value strings of a module's .modinfo section (32-bit little-endian ELF)"""
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 1:
        fail(path + " is not a 32-bit ELF module")
    shoff, = struct.unpack_from("<I", data, 32)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 46)
    sec = [struct.unpack_from("<IIIIII", data, shoff + i * shentsize) for i in range(shnum)]
    names = sec[shstrndx]
    for name, _, _, _, off, size in sec:
        end = data.index(b"\0", names[4] + name)
        if data[names[4] + name:end] == b".modinfo":
            info = {}
            for item in data[off:off + size].split(b"\0"):
                k, eq, v = item.decode(errors="replace").partition("=")
                if eq:
                    info.setdefault(k, []).append(v)
            return info
    return {}

# every module by name ("-" and "_" alike) and by alias, for the softdeps
by_name, by_alias = {}, {}
for root, _, files in os.walk(modules_dir):
    for f in files:
        if f.endswith(".ko"):
            by_name[f[:-3].replace("-", "_")] = os.path.join(root, f)

def deps(name, info):
    out = [d for v in info.get("depends", []) for d in v.split(",") if d]
    for v in info.get("softdep", []):           # "pre: a b post: c": the pre ones
        words, pre = v.split(), False
        for w in words:
            if w.endswith(":"):
                pre = w == "pre:"
            elif pre:
                out.append(w)
    return out

def resolve(name):
    if name.replace("-", "_") in by_name:
        return name.replace("-", "_")
    if not by_alias:                            # an alias: read every module's once
        for n, path in sorted(by_name.items()):
            for a in modinfo(path).get("alias", []):
                by_alias.setdefault(a, []).append(n)
    # several modules may give one (crypto-crc32c): the generic C one, not arch/'s,
    # which needs instructions this cpu may lack (crc32-arm-ce: armv8's crc32)
    return min(by_alias.get(name, [None]), key=lambda n: "/arch/" in by_name.get(n, ""))

order, seen, gate = [], set(), {}
def visit(name, why, only):
    """only: the compatible the module is for, None for always"""
    mod = resolve(name)
    if mod is None:
        fail("module %s (%s) is not in the kernel package" % (name, why))
    # the set of compatibles it is loaded for; None in it: always
    gate.setdefault(mod, set()).add(only)
    for d in deps(mod, modinfo(by_name[mod])):
        visit(d, "needed by " + mod, only)
    if mod not in seen:
        seen.add(mod)
        order.append(mod)

for m in WANTED:
    visit(m, "wanted", ONLY_FOR.get(m))

# a static 32-bit little-endian ARM executable
if busybox[:4] != b"\x7fELF" or busybox[4] != 1 or busybox[5] != 1 \
        or int.from_bytes(busybox[18:20], "little") != 40:
    fail(busybox_path + " is not a 32-bit ARM ELF executable")
if b"ld-linux" in busybox[:4096]:
    fail(busybox_path + " is not static")
# applet names are stored as one NUL-separated list
for applet in ("sh", "mount", "setsid", "cttyhack", "poweroff", "reboot", "cat", "insmod",
               "switch_root", "sync", "umount", "hostname", "ifconfig", "ip", "udhcpc", "httpd",
               "ping", "wget", "nc", "dd", "mkdir"):
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
          "sys", "root", "etc", "mnt", "run", "lib", "lib/modules"):
    entry(d, stat.S_IFDIR | 0o755)
entry("tmp", stat.S_IFDIR | 0o1777)
entry("dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1))
entry("bin/busybox", stat.S_IFREG | 0o755, busybox)
entry("bin/sh", stat.S_IFLNK | 0o777, b"busybox")
entry("init", stat.S_IFREG | 0o755, init)
entry("etc/udhcpc.script", stat.S_IFREG | 0o755, open(dhcp_path, "rb").read())
for m in order:
    entry("lib/modules/%s.ko" % m, stat.S_IFREG | 0o644, open(by_name[m], "rb").read())
# each line: the module, then the compatibles it is for (none: always)
entry("lib/modules/load", stat.S_IFREG | 0o644, "".join(
    "%s.ko%s\n" % (m, "" if None in gate[m] else " " + " ".join(sorted(gate[m])))
    for m in order).encode())
entry("TRAILER!!!", 0)
print("fetch-guest: modules, in load order: " + " ".join(order))

with open(out_path, "wb") as f:
    with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as gz:
        gz.write(out.getvalue())
EOF
	die "could not write $G/initramfs.cpio.gz"
mv "$G/initramfs.cpio.gz.tmp" "$G/initramfs.cpio.gz"
echo "fetch-guest: $(cat "$G/VERSION"), busybox-static $(dpkg-deb -f "$bdeb" Version)"
