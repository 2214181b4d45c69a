#!/usr/bin/python3
"""make bench-sched: the cost of a VM-to-VM switch and the fairness of time slices.

Both exact under -icount shift=0 (one instruction per nanosecond):
- the pingpong stub's WFIs, alone on a cpu and with a second pingpong on the
  same cpu, counted by the PMU instruction counter, which keeps counting
  across the switch and in hyp mode;
- the spin stub, a cpu-bound loop between 1 s and 11 s of the board's clock,
  alone and with a second spin on the same cpu.
Writes a Markdown table; a section of OUT_MD from "## Where the instructions go"
on (the switch's accounting, written by hand) is kept.
Usage: tools/bench_sched.py HYP_BIN OUT_MD
"""
import re
import sys

import harness

ACCOUNTING = "## Where the instructions go"
TARGET = 500


def run(hyp, vms, timeout=900):
    p = harness.run(harness.command([], hyp, "hyp.vms=" + vms, icount="shift=0"), timeout)
    out = p.out
    if p.rc:
        sys.exit("bench-sched: %s failed\n%s" % (vms, out[-2000:]))
    return out


def main():
    hyp, md = sys.argv[1], sys.argv[2]
    one = int(re.search(r"\[pingpong\] pingpong: (\d+) instructions", run(hyp, "pingpong")).group(1))
    pair = int(re.search(r"\[pingpong\] pingpong: (\d+) instructions",
                         run(hyp, "pingpong,pingpong2")).group(1))
    alone = int(re.search(r"\[spin\] spin: (\d+) iterations in 10 s", run(hyp, "spin")).group(1))
    out = run(hyp, "spin,spin2")
    a = int(re.search(r"\[spin\] spin: (\d+) iterations in 10 s", out).group(1))
    b = int(re.search(r"\[spin2\] spin: (\d+) iterations", out).group(1))
    handover = pair / 2
    lines = [
        "# Scheduling: switch cost and fairness", "",
        "Measured by %s on QEMU 7.2 with `-icount shift=0` (exact, repeatable)." %
        harness.made_by("bench-sched"), "",
        "| what | instructions | target |", "|---|---:|---:|",
        "| WFI round trip, the vcpu alone on its cpu (no switch) | %d | - |" % one,
        "| WFI in one VM to the next instruction of another VM on the same cpu | %d | - |" % handover,
        "| of which the world switch (the difference) | %d | <= %d |" % (handover - one, TARGET), "",
        "Two cpu-bound guests sharing one cpu (100 ms slices: neither has an interrupt waiting), over 10 s of guest time", "",
        "| guest | loop iterations | share of the cpu (alone: %d) |" % alone, "|---|---:|---:|",
        "| spin | %d | %.1f%% |" % (a, 100.0 * a / alone),
        "| spin2 | %d | %.1f%% |" % (b, 100.0 * b / alone), "",
        "Target: each 50% +- 3%.",
    ]
    harness.write_md(md, lines, keep=ACCOUNTING)
    print("\n".join(lines))
    if handover - one > TARGET:
        print("bench-sched: the world switch is over its target of %d" % TARGET)


if __name__ == "__main__":
    main()
