#!/usr/bin/python3
"""Makes the board's disk for a manifest's VMs: a raw image with each VM's range
(`disk = 64M` in vms/*.conf, laid out as tools/mkguests.py does) formatted ext4 and
filled with ROOTFS (busybox and the guest's /init, from tools/fetch-guest.sh) and
any FILE given as DEST=FILE (e.g. bin/hypstat=build/guest/hypstat).

Usage: tools/mkdisk.py MANIFEST IMAGE ROOTFS [--vms A,B] [DEST=FILE ...]
(--vms: format only those VMs' ranges; the others stay zeros, for stubs that use them raw)

An image that exists keeps what the guests saved: only the files that ROOTFS and the
DEST=FILE arguments provide (the guest's /init, udhcpc's hook, busybox, hypstat) are
brought up to date in each range that holds an ext4 file system, when they differ, so a
new /init reaches a disk made before it; every other file stays as the guests left it.
debugfs (e2fsprogs) reads and writes them in place. One too small for the manifest's
disks is refused with what to do. A new one is made beside it and renamed into place
only when whole. mke2fs (e2fsprogs) writes each range in place with -E offset= and
fills it with -d, so no root and no loop device are needed.
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkguests  # noqa: E402


def fail(msg):
    sys.exit("mkdisk: error: " + msg)


def is_ext4(image, start):
    """true when the range at start holds an ext2/3/4 superblock (magic 0xef53 at 1024+56)"""
    with open(image, "rb") as f:
        f.seek(start + 1024 + 56)
        return struct.unpack("<H", f.read(2) or b"\0\0")[0] == 0xEF53


def provided(rootfs, extra):
    """[(path on the disk, host file)] of the regular files that ROOTFS and DEST=FILE
    give, and the directories and symlinks [(path, None or link target)]"""
    files, other = [], []
    for top, dirs, names in os.walk(rootfs):
        for n in sorted(dirs) + sorted(names):
            host = os.path.join(top, n)
            dest = "/" + os.path.relpath(host, rootfs)
            if os.path.islink(host):
                other.append((dest, os.readlink(host)))
            elif os.path.isdir(host):
                other.append((dest, None))
            else:
                files.append((dest, host))
    for dest, _, src in extra:
        files.append(("/" + dest.lstrip("/"), src))
    return files, other


def debugfs(image, start, cmds, write=False):
    with tempfile.NamedTemporaryFile("w", suffix=".cmds") as f:
        f.write("".join(c + "\n" for c in cmds))
        f.flush()
        return subprocess.run(["debugfs"] + (["-w"] if write else []) + ["-f", f.name,
                              "%s?offset=%d" % (image, start)], capture_output=True, text=True)


def names(image, start, dirs):
    """the paths in the file system's directories dirs (debugfs's ls -p: /ino/mode/uid/gid/name/...)"""
    out = debugfs(image, start, ["ls -p %s" % d for d in sorted(dirs)]).stdout
    found, cur = set(), None
    for line in out.splitlines():
        if line.startswith("debugfs: ls -p "):
            cur = line[len("debugfs: ls -p "):].strip()
        elif line.startswith("/") and cur is not None:
            parts = line.split("/")
            if len(parts) > 5 and parts[5] not in (".", ".."):
                found.add(os.path.join(cur, parts[5]))
    return found


def refresh(image, g, files, other):
    """brings the provided files of g's range up to date; returns the paths written"""
    start = g["disk_start_mib"] << 20
    with tempfile.TemporaryDirectory() as tmp:
        got = [os.path.join(tmp, str(i)) for i in range(len(files))]
        debugfs(image, start, ["dump %s %s" % (d, h) for (d, _), h in zip(files, got)])
        stale = []
        for (dest, src), have in zip(files, got):
            with open(src, "rb") as a:
                new = a.read()
            if not os.path.exists(have) or open(have, "rb").read() != new:
                stale.append((dest, src))
        # a missing directory or symlink is made; one there (or a user's file) stays.
        # (only the missing: debugfs's symlink over a name that exists leaks an inode)
        have = names(image, start, {os.path.dirname(d) for d, _ in other})
        cmds = ["mkdir %s" % d if t is None else "symlink %s %s" % (d, t)
                for d, t in other if d not in have]
        for dest, src in stale:
            cmds += ["rm %s" % dest, "write %s %s" % (src, dest)]
        if cmds:
            debugfs(image, start, cmds, write=True)
        debugfs(image, start, ["dump %s %s" % (d, h) for (d, _), h in zip(stale, got)])
        for (dest, src), have in zip(stale, got):
            if not os.path.exists(have) or open(have, "rb").read() != open(src, "rb").read():
                fail("could not write %s into %s's disk in %s" % (dest, g["name"], image))
    return [d for d, _ in stale]


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
        files, other = provided(rootfs, extra)
        for g in disks:
            if not is_ext4(image, g["disk_start_mib"] << 20):
                continue
            if not shutil.which("debugfs"):
                fail("debugfs is missing (e2fsprogs; tools/setup.sh installs it)")
            done = refresh(image, g, files, other)
            if done:
                print("mkdisk: %s: %s's disk: %s brought up to date" % (image, g["name"],
                                                                       ", ".join(done)))
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
