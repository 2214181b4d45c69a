#!/usr/bin/python3
"""make bench-boot: the hypervisor's own start, from its first instruction to its first
guest's, in instructions, per VM and per MiB of guest ram.

Under -icount shift=0,sleep=off one instruction is one nanosecond of virtual time, and
nothing waits before the first guest runs, so the time is the count. The zeroes stub reads
CNTPCT first thing in main(): at 62.5 MHz, a figure is good to 16 instructions, and holds
the stub's few instructions before main (start.S) too.
Usage: tools/bench_boot.py HYP_BIN OUT_MD
"""
import re
import sys

import harness

KEPT = "## Before lazy zeroing"
CASES = [("zeroes", "one VM, 16 MiB"), ("zeroes256", "one VM, 256 MiB"),
         ("zeroes,zeroes2", "two VMs, 16 MiB each")]


def start(hyp_bin, vms):
    p = harness.run(harness.command([], hyp_bin, "hyp.vms=" + vms, icount="shift=0,sleep=off"),
                    timeout=600)
    text = p.out
    counts = [int(c) * 10**9 // int(f) for c, f in
              re.findall(r"zeroes: boot 1 started at count (\d+) of (\d+) Hz", text)]
    if p.rc != 0 or len(counts) != len(vms.split(",")):
        sys.exit("bench-boot: %s did not finish\n%s" % (vms, text[-3000:]))
    version = re.search(r"^hyp: version (\S+)", text, re.M)
    return min(counts), version.group(1) if version else "?"


def main():
    hyp_bin, out = sys.argv[1], sys.argv[2]
    got = {vms: start(hyp_bin, vms) for vms, _ in CASES}
    one, big, two = (got[vms][0] for vms, _ in CASES)
    lines = ["# The hypervisor's start, in instructions", "",
             "Measured by %s (hyp %s): QEMU 7.2 `-M %s`, `-icount shift=0,sleep=off`," % (
                 harness.made_by("bench-boot"), got["zeroes"][1], harness.PLATFORM),
             "from the hypervisor's first instruction to the first guest instruction of the",
             "`zeroes` stub (its CNTPCT read, to 16 instructions).", "",
             "| VMs (`hyp.vms=`) | instructions |", "|---|---:|"]
    lines += ["| %s (`%s`) | %d |" % (what, vms, got[vms][0]) for vms, what in CASES]
    lines += ["", "Per MiB of guest ram: %.1f instructions; per VM of 16 MiB: %d." % (
        (big - one) / 240, two - one)]
    print("\n".join(lines))
    harness.write_md(out, lines, keep=KEPT)


if __name__ == "__main__":
    main()
