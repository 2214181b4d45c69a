#!/usr/bin/python3
"""make bench-linux: the Debian guest's boot under the hypervisor against bare QEMU.

Wall time from QEMU's start to the shell prompt and to the end of QEMU after
`poweroff`, median of N runs each, for the same kernel and initramfs on bare
`qemu-system-arm -M virt -cpu cortex-a15` and under the hypervisor; and the
exits of a boot that powers off at once (guests linux-off and linux-quiet).
Writes a Markdown table to the file given. Usage: tools/bench_linux.py OUT_MD [N]
"""
import os
import re
import statistics
import subprocess
import sys
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HYP = os.path.join(ROOT, "build/virt/test/hyp.bin")
G = os.path.join(ROOT, "build/guest")
BARE = ["-M", "virt", "-cpu", "cortex-a15", "-m", "512", "-nographic", "-nic", "none",
        "-kernel", G + "/zImage", "-initrd", G + "/initramfs.cpio.gz", "-append", "console=ttyAMA0"]
UNDER = ["-M", "virt,virtualization=on", "-cpu", "cortex-a15", "-m", "1G", "-nographic", "-nic", "none",
         "-kernel", HYP, "-append", "hyp.vms=linux"]


def one(args):
    t0 = time.monotonic()
    q = pexpect.spawn("qemu-system-arm", args, timeout=120, encoding="utf-8", codec_errors="replace")
    q.expect_exact("guest# ")
    prompt = time.monotonic() - t0
    q.sendline("poweroff")
    q.expect(pexpect.EOF)
    q.close()
    if q.exitstatus != 0:
        sys.exit("bench-linux: qemu exited with %s" % q.exitstatus)
    return prompt, time.monotonic() - t0


def exits(vm):
    p = subprocess.run(["qemu-system-arm", *UNDER[:-1], "hyp.vms=" + vm], stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=120)
    out = p.stdout.decode().replace("\r", "")
    block = out[out.index("trap log: vm 0 (%s)" % vm):]
    total = int(re.search(r"^\s+total\s+(\d+)$", block, re.M).group(1))
    uart = int(re.search(r"mmio: gicd \d+ uart (\d+)", block).group(1))
    irq = int(re.search(r"^  -\s+IRQ\s+(\d+)", block, re.M).group(1))
    return total, uart, irq


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    bare = [one(BARE) for _ in range(n)]
    under = [one(UNDER) for _ in range(n)]
    med = lambda runs, k: statistics.median(r[k] for r in runs)
    rows = []
    for k, what in ((0, "start to shell prompt"), (1, "start to QEMU's exit after `poweroff`")):
        b, h = med(bare, k), med(under, k)
        rows.append("| %s | %.2f s | %.2f s | %.2fx |" % (what, b, h, h / b))
    loud, quiet = exits("linux-off"), exits("linux-quiet")
    version = open(G + "/VERSION").read().strip()
    lines = [
        "# Debian guest boot: hypervisor against bare QEMU", "",
        "Measured by `make bench-linux` on QEMU 7.2 (TCG, no icount), median of %d runs each;" % n,
        "kernel and initramfs: %s with busybox-static. Bare QEMU gets `-m 512`;" % version,
        "under the hypervisor the VM has 256 MiB. Target: at most 1.3x.", "",
        "| wall time | bare QEMU | under the hypervisor | ratio |", "|---|---:|---:|---:|", *rows, "",
        "Exits of a boot that powers off at once (target: under 10,000):", "",
        "| guest command line | total exits | of which UART accesses | IRQ exits |",
        "|---|---:|---:|---:|",
        "| `console=ttyAMA0 guest.poweroff` | %d | %d | %d |" % loud,
        "| `console=ttyAMA0 guest.poweroff quiet` | %d | %d | %d |" % quiet, "",
        "Every character the kernel prints costs two exits (the PL011 driver reads the flag",
        "register, then writes the data register), so the console dominates a verbose boot.",
        "", "Runs (prompt, exit) in seconds: bare %s; hypervisor %s." % (
            ", ".join("%.2f/%.2f" % r for r in bare), ", ".join("%.2f/%.2f" % r for r in under)),
    ]
    open(out, "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
