#!/usr/bin/python3
"""make bench-traps: instructions per trap round trip, exact under -icount shift=0.

Boots the bench guest stub, which counts instructions with the PMU (event 0x08,
PL1 and, with NSH, hyp mode) around a loop of N round trips of each kind, and writes the
figures as a Markdown table to the file given.
Usage: tools/bench_traps.py HYP_BIN OUT_MD
"""
import re
import sys

import harness

ACCOUNTING = "## Where the instructions go"
TARGETS = {"null-hvc": 80, "mmio-read": 200, "mmio-write": 200}
WHAT = {
    "null-hvc": "null HVC (vendor call 0x86000000), inline: `mov r0`, `hvc #0`",
    "null-hvc-call": "the same through the stub's `hvc_call()` (its calling convention: 14 more)",
    "mmio-read": "emulated MMIO read (LDR, test device)",
    "mmio-write": "emulated MMIO write (STR, test device)",
    "wfi": "WFI that returns at once (HCR.TWI)",
    "cp15-actlr": "trapped CP15 access (MRC ACTLR, HCR.TAC)",
}


def measure(hyp_bin, vm):
    p = harness.run(harness.command(["-singlestep"], hyp_bin, "hyp.vms=" + vm, icount="shift=0"),
                    timeout=300)
    text = p.out
    rows = re.findall(r"^\[%s\] bench: (\S+)\s+([\d.]+) instructions per round trip" % vm,
                      text, re.M)
    version = re.search(r"^hyp: version (\S+)", text, re.M)
    if p.rc != 0 or len(rows) != len(WHAT):
        sys.exit("bench-traps: the bench stub did not finish\n" + text[-3000:])
    return dict(rows), version.group(1) if version else "?"


def main():
    hyp_bin, out = sys.argv[1], sys.argv[2]
    ring, version = measure(hyp_bin, "bench")
    off, _ = measure(hyp_bin, "bench-noring")
    lines = ["# Trap round trips, in instructions", "",
             "Measured by %s (hyp %s): the `bench` guest stub on QEMU 7.2," % (
                 harness.made_by("bench-traps"), version),
             "`-icount shift=0 -singlestep`, PMU instruction event counting in PL1 and hyp mode: a loop",
             "of 100 round trips less an empty loop, over 100. Each figure includes",
             "the guest's instructions of the call (an aborted load or store is not one:",
             "it never retires) and the trap log's counters and",
             "per-class hyp cycles, which are always on. Columns: the ring off (counters",
             "only) and the ring on (the default).", "",
             "| round trip | ring off | ring on | target (ring on) |",
             "|---|---:|---:|---:|"]
    failed = []
    for name in WHAT:
        target = TARGETS.get(name)
        lines.append("| %s | %s | %s | %s |" % (WHAT[name], off[name], ring[name],
                                                 "<= %d" % target if target else "-"))
        if target and float(ring[name]) > target:
            failed.append(name)
    lines += ["", "The ring adds %.0f instructions to a trap (target: at most 10)." % (
        float(ring["null-hvc"]) - float(off["null-hvc"]))]
    print("\n".join(lines))
    harness.write_md(out, lines, keep=ACCOUNTING)   # the hand-written accounting stays
    if failed:
        print("bench-traps: over target: %s" % ", ".join(failed))


if __name__ == "__main__":
    main()
