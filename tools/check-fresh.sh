#!/bin/sh
# make check-fresh: the README's test command on a new Debian 12 machine.
# Builds a clean root with mmdebstrap (no mirror given: this machine's own apt
# sources, and its apt access settings such as a proxy; nothing else of this
# machine goes in) with the two packages the README asks a newcomer to have
# (git and make), clones the committed repository into it, runs `make test`
# there under chroot with /proc, /dev and /sys mounted, unmounts them whatever
# happened, prints the test summary and exits with the run's status.
#
#   tools/check-fresh.sh [ROOT_DIR]      (default /var/tmp/hyp-check-fresh: outside
#                                         build/, so `make clean` never meets its mounts)
# exit status: the test run's, or 3 when the clean root could not be built.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(realpath -m "${1:-/var/tmp/hyp-check-fresh}")
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

# every file of this machine's apt.conf.d that says how to reach the registry
aptopts=""
for f in /etc/apt/apt.conf.d/*; do
	grep -qs '^[[:space:]]*Acquire::' "$f" && aptopts="$aptopts --aptopt=$f"
done

cleanup() {
	for m in sys dev proc; do
		mountpoint -q "$root/$m" && $sudo umount -R "$root/$m"
	done
}
trap cleanup EXIT INT TERM

cleanup
if grep -q " $root/" /proc/mounts; then
	echo "check-fresh: something is still mounted under $root; unmount it first"
	exit 3
fi
$sudo rm -rf --one-file-system "$root"
mkdir -p "$(dirname "$root")"
start=$(date +%s)
echo "check-fresh: mmdebstrap --variant=apt --include=git,make bookworm $root"
# shellcheck disable=SC2086
if ! $sudo mmdebstrap --quiet --variant=apt --include=git,make $aptopts bookworm "$root"; then
	echo "check-fresh: COULD NOT BUILD A CLEAN DEBIAN 12 ROOT (mmdebstrap failed)"
	exit 3
fi
echo "check-fresh: root built in $(($(date +%s) - start)) s"
$sudo git clone -q "$here" "$root/src"
[ -z "$(git -C "$here" status --porcelain --untracked-files=no)" ] ||
	echo "check-fresh: note: uncommitted changes are not in the clone; it tests $(git -C "$here" rev-parse --short HEAD)"

$sudo mount -t proc proc "$root/proc"
$sudo mount --rbind /dev "$root/dev"
$sudo mount --rbind /sys "$root/sys"
log="$root/src/check-fresh.log"
echo "check-fresh: chroot $root: cd /src && make test (log: $log)"
$sudo chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	LANG=C.UTF-8 TERM=dumb sh -c 'cd /src && make test' >"$log" 2>&1
rc=$?
cleanup
echo "check-fresh: --- summary (exit status $rc, $(($(date +%s) - start)) s in all) ---"
grep -E '^(setup: |== |[0-9]+ (passed|failed)|FAILED|ERROR|make(\[[0-9]+\])?: \*\*\*|test_[a-z0-9_]+: |[a-z0-9_]+: [0-9]+ checks)' "$log" | tail -30
[ $rc = 0 ] || { echo "check-fresh: --- last lines of the log ---"; tail -30 "$log"; }
exit $rc
