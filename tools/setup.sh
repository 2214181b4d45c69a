#!/bin/sh
# Installs what the build, the tests, `make run` and the benchmarks need, from
# Debian's packages, then checks that each need works, not only that its
# package is there. Idempotent: with everything in place it only checks (about
# a second). Called by `make run`, `make test` and every target that boots QEMU.
#
# Packages are listed by name, recommends included where we rely on them:
# --no-install-recommends is what a CI image or a minimal install does, and
# two Recommends (libc6-dev-armhf-cross, ipxe-qemu) broke a fresh machine once.
set -eu

# the last line: the programs of make bench's Local column (their amd64 builds),
# and the host's iperf3 for make bench-net (on 127.0.0.1 only)
PKGS="make gcc libc6-dev git ca-certificates
      gcc-arm-none-eabi libnewlib-arm-none-eabi
      gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
      qemu-system-arm ipxe-qemu
      gdb-multiarch device-tree-compiler e2fsprogs mmdebstrap clang-format
      python3 python3-pytest python3-pexpect python3-matplotlib
      sox libgsm-tools rhash libjpeg-turbo-progs iperf3"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing from Debian:$missing"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo"
	$sudo apt-get update -qq || echo "setup: apt-get update reported errors; trying the install anyway"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# --- does each need work? one line per missing piece, then exit 1 ----------
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
bad=0
fail() { echo "setup: MISSING: $*"; bad=1; }

printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' > "$t/h.c"
gcc -o "$t/h" "$t/h.c" 2>"$t/err" && [ "$("$t/h")" = hi ] ||
	fail "the host C compiler cannot build a hello with <stdio.h> (gcc, libc6-dev): $(head -1 "$t/err")"
arm-linux-gnueabihf-gcc -static -o "$t/ha" "$t/h.c" 2>"$t/err" ||
	fail "the armhf cross compiler cannot build a static hello with <stdio.h> (gcc-arm-linux-gnueabihf, libc6-dev-armhf-cross): $(head -1 "$t/err")"
printf 'void _start(void) { for (;;) ; }\n' > "$t/s.c"
arm-none-eabi-gcc -march=armv7ve -ffreestanding -nostdlib -o "$t/s" "$t/s.c" -lgcc 2>"$t/err" ||
	fail "the bare-metal cross compiler cannot link against libgcc (gcc-arm-none-eabi): $(head -1 "$t/err")"

# each board as the project starts it: the machine options of platform/*/platform.mk,
# which ask for no default devices; the monitor's quit ends it before a guest instruction.
here=$(dirname "$0")/..
printf '\0\0\0\0' > "$t/k.bin"
for mk in "$here"/platform/*/platform.mk; do
	board=$(basename "$(dirname "$mk")")
	# QEMU_MACHINE's line and its continuations (a line ending in a backslash)
	opts=$(awk '/^QEMU_MACHINE/ { on = 1 } on { print; if (!/\\$/) exit }' "$mk" |
		sed 's/^QEMU_MACHINE[[:space:]]*:=//; s/\\$//' | tr '\n' ' ')
	# a board whose qemu takes one cpu count only says which (QEMU_CPUS)
	cpus=$(sed -n 's/^QEMU_CPUS[[:space:]]*:=[[:space:]]*\([0-9]*\).*/\1/p' "$mk")
	# shellcheck disable=SC2086
	echo quit | qemu-system-arm $opts -m 1G -smp "${cpus:-2}" -kernel "$t/k.bin" -S \
		-display none -serial none -monitor stdio >"$t/err" 2>&1 ||
		fail "qemu-system-arm cannot start the $board board with the project's options ($opts): $(head -1 "$t/err")"
done
echo quit | qemu-system-arm -M virt -cpu cortex-a15 -m 64 -nic none -kernel "$t/k.bin" -S \
	-display none -serial none -monitor stdio >"$t/err" 2>&1 ||
	fail "qemu-system-arm cannot start bare virt (the benchmarks' baseline): $(head -1 "$t/err")"

command -v dtc >/dev/null && echo '/dts-v1/; / { };' | dtc -q -I dts -O dtb -o /dev/null - ||
	fail "dtc cannot compile a device tree (device-tree-compiler)"
gdb-multiarch -batch -ex 'set architecture arm' >/dev/null 2>&1 ||
	fail "gdb-multiarch does not know the arm architecture (gdb-multiarch)"
for m in pytest pexpect matplotlib; do
	/usr/bin/python3 -c "import $m" 2>/dev/null ||
		fail "/usr/bin/python3 cannot import $m (python3-$m)"
done
iperf3 --version 2>/dev/null | grep -q '^iperf 3' ||
	fail "iperf3 does not run (iperf3; make bench-net's host side)"
for c in mke2fs debugfs mmdebstrap clang-format git apt-get dpkg-deb; do
	PATH=$PATH:/sbin:/usr/sbin command -v $c >/dev/null || fail "$c is not on PATH"
done
[ $bad = 0 ] || { echo "setup: fix the lines above, or run tools/setup.sh as root to install"; exit 1; }
