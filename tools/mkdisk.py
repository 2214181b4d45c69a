#!/usr/bin/python3
"""Makes the board's disk for a manifest's VMs: a raw image with each VM's range
(`disk = 64M` in vms/*.conf, laid out as tools/mkguests.py does) formatted ext4 and
filled with ROOTFS (busybox and the guest's /init, from tools/fetch-guest.sh) and
any FILE given as DEST=FILE (e.g. bin/hypstat=build/guest/hypstat).

Usage: tools/mkdisk.py MANIFEST IMAGE ROOTFS [--vms A,B] [DEST=FILE ...]
(--vms: format only those VMs' ranges; the others stay zeros, for stubs that use them raw)

An image that exists is never written: it holds what the guests saved. One too small
for the manifest's disks is refused with what to do. A new one is made beside it and
renamed into place only when whole. mke2fs (e2fsprogs) writes each range in place with
-E offset= and fills it with -d, so no root and no loop device are needed.
"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkguests  # noqa: E402


def fail(msg):
    sys.exit("mkdisk: error: " + msg)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    conf, image, rootfs = sys.argv[1:4]
    args, only = sys.argv[4:], None
    if args[:1] == ["--vms"] and len(args) > 1:
        only, args = set(args[1].split(",")), args[2:]
    extra = [a.partition("=") for a in args]
    board, guests, _ = mkguests.parse(conf)
    need = mkguests.lay_out_disks(guests) << 20
    disks = [g for g in guests if g["disk_mib"] and (only is None or g["name"] in only)]
    if only and only - {g["name"] for g in disks}:
        fail("%s gives no disk to %s" % (conf, ", ".join(sorted(only - {g["name"] for g in disks}))))
    if os.path.exists(image):
        have = os.path.getsize(image)
        if have < need:
            fail("%s is %d MiB, the disks of %s need %d MiB: it is kept as it is; move it "
                 "away to have a new one made" % (image, have >> 20, conf, need >> 20))
        return
    if not disks:
        fail("%s gives no VM a disk" % conf)
    if not shutil.which("mke2fs"):
        fail("mke2fs is missing (e2fsprogs; tools/setup.sh installs it)")
    stage = image + ".root"
    tmp = image + ".tmp"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(rootfs, stage, symlinks=True)
    for dest, _, src in extra:
        os.makedirs(os.path.dirname(os.path.join(stage, dest)), exist_ok=True)
        shutil.copy(src, os.path.join(stage, dest))
    os.makedirs(os.path.dirname(os.path.abspath(image)), exist_ok=True)
    with open(tmp, "wb") as f:
        f.truncate(need)
    for g in disks:
        start, size = g["disk_start_mib"] << 20, g["disk_mib"] << 20
        p = subprocess.run(["mke2fs", "-q", "-F", "-t", "ext4", "-L", g["name"][:16],
                            "-E", "offset=%d" % start, "-d", stage, tmp, "%dk" % (size >> 10)],
                           capture_output=True, text=True)
        if p.returncode:
            os.unlink(tmp)
            fail("mke2fs for %s's disk (%d MiB at %d MiB): %s" % (
                g["name"], size >> 20, start >> 20, p.stderr.strip()))
        print("mkdisk: %s: %s's disk, %d MiB at %d MiB, ext4" % (image, g["name"], size >> 20,
                                                                 start >> 20))
    shutil.rmtree(stage)
    os.rename(tmp, image)


if __name__ == "__main__":
    main()
