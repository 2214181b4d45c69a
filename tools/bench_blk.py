#!/usr/bin/python3
"""make bench-blk: the Debian guest's disk throughput under the hypervisor against bare
QEMU with the same virtio-blk-device, and (on virt) a virtio-blk passed through to an
identity VM; the console's exits on hvc0 against the PL011.

Disk: `dd` of 64 MiB to and from /dev/vda with direct I/O (busybox's oflag/iflag=direct),
timed in the guest by `hypstat -t`, which also counts the VM's exits meanwhile (under the
hypervisor, VM linux-blk of vms/test.conf: a 128 MiB range of the board's disk). Bare QEMU
boots the same kernel and initramfs with `-m 512` and the same drive options. Passed
through: VM linux-dma of vms/board-virt.conf (256 MiB at the board's 0x70000000) owns a
second virtio-blk in virt's slot 16 (harness.pt_disk_args), beside the hypervisor's, and
drives it with its own virtio_blk: its DMA goes to the board's physical addresses. The
runs alternate, bare, hypervisor, passed through, N rounds, so a spell of load on the
machine falls on each.
Console: the seed's boot-and-power-off (VMs linux-off and linux-off-hvc) under
`-icount shift=0`, where the counts repeat exactly.
Usage: tools/bench_blk.py OUT_MD [N]
"""
import os
import re
import statistics
import sys
import tempfile

import pexpect

import harness
from harness import ROOT, disk_args, disk_ranges, qemu, spawn

HYP = harness.BUILD / "test" / "hyp.bin"
G = ROOT / "build" / "guest"
MIB = 64
# bare QEMU on the guests' board; the hypervisor on PLATFORM's
BARE = dict(bare=True, mem=512, hyp_bin=G / "zImage", append="console=ttyAMA0",
            args=["-initrd", str(G / "initramfs-hyp.cpio.gz")])
UNDER = dict(hyp_bin=HYP, append="hyp.vms=linux-blk")
PT = harness.PLATFORM == "virt"     # virt's slot 16: vms/board-virt.conf
THROUGH = dict(hyp_bin=harness.BUILD / "board-virt" / "hyp.bin")
DD = {"write": "dd if=/dev/zero of=/dev/vda bs=1M count=%d oflag=direct" % MIB,
      "read": "dd if=/dev/vda of=/dev/null bs=1M count=%d iflag=direct" % MIB}


def one(side, image, own=None):
    """one boot (own: the passed-through disk's image): {test: (seconds, exits or None)}"""
    more = [*disk_args(image), *(harness.pt_disk_args(own) if own else [])]
    q = spawn(timeout=300, **dict(side, args=[*side.get("args", ()), *more]))
    got = {}
    try:
        q.expect_exact("guest# ")
        for test, cmd in DD.items():
            q.sendline("hypstat -t %s %s 2>/dev/null" % (test, cmd))
            q.expect(r"bench %s status=(\d+) real=([\d.]+) " % test)
            if q.match.group(1) != "0":
                sys.exit("bench-blk: %s failed in the guest" % test)
            real = float(q.match.group(2))
            q.expect_exact("guest# ")
            m = re.search(r"traps %s total=(\d+)" % test, q.before)
            got[test] = (real, int(m.group(1)) if m else None)
        q.sendline("poweroff")
        q.expect(pexpect.EOF)
    finally:
        q.close(force=True)
    return got


def exits(vm):
    """the seed's boot-and-power-off of vm under -icount: total exits and the console's"""
    run = qemu([], "hyp.vms=" + vm, timeout=600, hyp_bin=HYP, icount="shift=0")
    t = run.tables["vm 0 (%s)" % vm]
    return t["total"], t["irq"], t["mmio"], len(run.guest_lines(vm))


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    ranges, size = disk_ranges()
    tmp = tempfile.mkdtemp(prefix="bench-blk-")
    bare_img, hyp_img = os.path.join(tmp, "bare.img"), os.path.join(tmp, "board.img")
    pt_img = os.path.join(tmp, "own.img")
    for path, length in ((bare_img, ranges["linux-blk"][1]), (hyp_img, size),
                         (pt_img, ranges["linux-blk"][1])):
        with open(path, "wb") as f:
            f.truncate(length)
    runs = {"bare": [], "hyp": [], "pt": []}
    for i in range(n):
        runs["bare"].append(one(BARE, bare_img))
        runs["hyp"].append(one(UNDER, hyp_img))
        if PT:
            runs["pt"].append(one(THROUGH, hyp_img, pt_img))
        print("round %d: bare %s, hypervisor %s, passed through %s" % (
            i + 1, runs["bare"][-1], runs["hyp"][-1], runs["pt"][-1] if PT else "-"), flush=True)
    med = lambda who, test: statistics.median(r[test][0] for r in runs[who])
    per_mib = lambda who, test: statistics.median(r[test][1] for r in runs[who]) / MIB
    rows = []
    for test in DD:
        b, h = MIB / med("bare", test), MIB / med("hyp", test)
        row = "| %s | %.1f MiB/s | %.1f MiB/s | %.2fx | %.0f |" % (test, b, h, h / b,
                                                                  per_mib("hyp", test))
        if PT:
            p = MIB / med("pt", test)
            row += " %.1f MiB/s | %.2fx | %.0f |" % (p, p / b, per_mib("pt", test))
        rows.append(row)
    off, off_hvc = exits("linux-off"), exits("linux-off-hvc")
    lines = [
        "# Disk and console: the hypervisor's virtio devices against bare QEMU", "",
        "Measured by %s on QEMU 7.2 (TCG), %d interleaved rounds of boots, "
        "median: the same kernel and initramfs on bare QEMU (`-m 512`) and under the "
        "hypervisor (VM `linux-blk`, 256 MiB, a 128 MiB range of the board's disk), each "
        "given `%s`. In the guest: `%s`, then `%s`, timed by `hypstat -t`. Target: at least "
        "0.9x bare QEMU." % (harness.made_by("bench-blk"), n, " ".join(disk_args("IMAGE")),
                             DD["write"], DD["read"])
        + (" Passed through: VM `linux-dma` (vms/board-virt.conf: 256 MiB at the board's "
           "0x70000000, identity) owns a second disk, `%s`, its own virtio_blk driving it "
           "by DMA, no exit for its registers." % " ".join(harness.pt_disk_args("IMAGE"))
           if PT else ""), "",
        "| dd, 64 MiB, direct I/O | bare QEMU | under the hypervisor | ratio | exits per MiB |"
        + (" passed through (identity VM) | ratio | exits per MiB |" if PT else ""),
        "|---|---:|---:|---:|---:|" + ("---:|---:|---:|" if PT else ""), *rows, "",
        "Runs (write, read seconds): %s." % "; ".join(
            "%s %s" % (who, ", ".join("%.2f/%.2f" % (r["write"][0], r["read"][0])
                                      for r in runs[key]))
            for key, who in (("bare", "bare"), ("hyp", "hypervisor"), ("pt", "passed through"))
            if runs[key]), "",
        "## The console: hvc0 against the PL011", "",
        "The seed's boot-and-power-off (`guest.poweroff`), under `-icount shift=0` so that "
        "the counts repeat: VM `linux-off` with `console=ttyAMA0`, VM `linux-off-hvc` with "
        "`console=hvc0` (virtio console; /init prints the log Linux 6.1 loses to a console "
        "a module registers, with dmesg). Both print the kernel's whole log.", "",
        "| console | exits | IRQ exits | PL011 accesses | virtio console accesses | "
        "transmit kicks | lines printed |", "|---|---:|---:|---:|---:|---:|---:|",
        "| ttyAMA0 (PL011) | %d | %d | %d | - | - | %d |" % (off[0], off[1], off[2]["uart"],
                                                              off[3]),
        "| hvc0 (virtio) | %d | %d | %d | %d | %d | %d |" % (
            off_hvc[0], off_hvc[1], off_hvc[2]["uart"], off_hvc[2]["vcon"],
            off_hvc[2]["vcon.q1"], off_hvc[3]),
    ]
    harness.write_md(out, lines)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
