#!/usr/bin/python3
"""make bench-fuzz: every fuzzing stub for a million operations or more (the manifest
vms/fuzz.conf sets seeds and counts), each beside the neighbour stub on one
cpu. Each run must pass the checks `make test` makes of the short runs (tools/harness.py:
the trap log consistent, the neighbour's memory and ticks untouched, every injection
taken by the guest, every unknown call NOT_SUPPORTED); a run that fails one, hangs or
panics counts as a hypervisor failure. Writes a Markdown table.
Usage: tools/bench_fuzz.py HYP_BIN OUT_MD
"""
import re
import sys
import tempfile
import time

import harness
from harness import (ICOUNT, ROOT, boot_and_dump, disk_args, disk_ranges, net_args, log_consistent,
                     neighbour_untouched)

FUZZERS = ["fuzzhvc", "fuzzmmio", "fuzzgicd", "fuzzcp", "fuzzinsn", "fuzzvq", "fuzzvq2"]


def ops_of(vm, lines):
    """(seed, operations, what they were, NOT_SUPPORTED answers, the guest's own check)"""
    if vm == "fuzzhvc":
        m = re.match(r"fuzzhvc: seed (\d+), (\d+) calls: (\d+) known, (\d+) unknown, "
                     r"(\d+) unknown not NOT_SUPPORTED", lines[0])
        seed, n, known, unknown, wrong = map(int, m.groups())
        return seed, n, "%d known calls, %d unknown" % (known, unknown), unknown - wrong, \
            wrong == 0
    if vm in ("fuzzmmio", "fuzzgicd"):
        m = re.match(r"fuzzmmio: seed (\d+), (\d+) loads, (\d+) stores.*, (\d+) aborted",
                     lines[0])
        seed, loads, stores, aborted = map(int, m.groups())
        return seed, loads + stores, "%d loads, %d stores, %d aborted" % (
            loads, stores, aborted), 0, True
    if vm in ("fuzzvq", "fuzzvq2"):   # fuzzvq2: a second vcpu rewrites its rings meanwhile
        m = re.match(r"fuzzvq: seed (\d+), (\d+) operations: .*; (\d+) config reads refused",
                     [l for l in lines if l.startswith("fuzzvq: seed")][0])
        ok = lines[-2:] == ["fuzzvq: hvc0 still prints",
                            "fuzzvq: then a write and a read of its disk: 2 ok, 0 bytes differ"]
        bring = [l for l in lines if l.endswith("bring-ups, many after a device asked for one")]
        return int(m.group(1)), int(m.group(2)), "%s config reads refused; %s" % (
            m.group(3), bring[0][len("fuzzvq: "):].split(",")[0]), 0, ok
    m = re.match(r"fuzzinsn: seed (\d+), (\d+) \S+ words: (.*); (\d+) left out", lines[0])
    kinds = m.group(3)
    ok = re.match(r"fuzzinsn: \d+ trapped, \d+ injected, 0 injected but not taken, 0 doubled",
                  lines[2]) is not None and lines[1].endswith("; 0 into the vectors")
    outcome = lines[1][len("fuzzinsn: "):].split(";")
    return int(m.group(1)), int(m.group(2)), "%s (%s left out); %s;%s" % (
        kinds, m.group(4), outcome[0], outcome[1]), 0, ok


def main():
    hyp, md = sys.argv[1], sys.argv[2]
    rows, failures = [], 0
    for vm in FUZZERS:
        t0 = time.time()
        fail = []
        try:
            args = list(ICOUNT)
            if vm in ("fuzzvq", "fuzzvq2"):	# a board's disk for its one, 1 MiB
                img = tempfile.NamedTemporaryFile(suffix=".img")
                img.truncate(disk_ranges(ROOT / "vms" / "fuzz.conf")[1])
                args += disk_args(img.name) + net_args()
            run, log = boot_and_dump(vm + ",neighbour", timeout=1500, hyp_bin=hyp, args=args)
            t = log_consistent(run, log, vm)
            neighbour_untouched(run)
            seed, n, what, nsup, ok = ops_of(vm, run.guest_lines(vm))
            if not ok:
                fail.append("the guest's own check")
            if vm in ("fuzzmmio", "fuzzgicd") and \
                    int(re.search(r"(\d+) aborted", what).group(1)) != t["injected"]:
                fail.append("aborts seen != injected")
            if vm in ("fuzzvq", "fuzzvq2") and int(what.split()[0]) != t["injected"]:
                fail.append("refused reads != aborts injected")
            late = re.search(r"(\d+) timer ticks for \d+ deadlines, none lost; latest (\d+) us",
                             run.guest_lines("neighbour")[1])
            rows.append("| %s | %d | %d | %s | %d | %d | %s | %s ticks, none lost, latest %.1f ms "
                        "late | %.0f s | %d |" % (
                            vm, seed, n, what, t["total"] - t["irq"], t["injected"],
                            nsup if vm == "fuzzhvc" else "-", late.group(1),
                            int(late.group(2)) / 1000, time.time() - t0, len(fail)))
        except (AssertionError, AttributeError, IndexError) as e:
            fail.append(str(e).splitlines()[0] if str(e) else type(e).__name__)
            print("%s failed: %s" % (vm, e), file=sys.stderr)
            rows.append("| %s | | | %s | | | | | %.0f s | 1 |" % (vm, fail[0], time.time() - t0))
        failures += len(fail) > 0
        print(rows[-1], flush=True)
    lines = [
        "# Fuzzing: a million operations each, beside a neighbour", "",
        "Measured by %s (QEMU 7.2, `-M %s`, TCG with `-icount shift=0`: virtual time " % (
            harness.made_by("bench-fuzz"), harness.PLATFORM) +
        "counts the guests' and the hypervisor's instructions, not the host's scheduling). "
        "Each fuzzer shares one cpu with the `neighbour` stub, which checksums 8 MiB and "
        "takes a 1 ms timer tick until the fuzzer stops; its latest tick shows how long the "
        "fuzzer's slice kept it waiting (a slice is cut to end 15 ms after the neighbour's tick is "
        "pending). Seeds and counts are in "
        "`vms/fuzz.conf`; under `-icount` a run replays exactly, timer "
        "interrupts included (two runs gave the same figures, wall times aside). fuzzhvc "
        "leaves out the calls that would stop or reset its VM, fuzzcp and fuzzinsn the "
        "words that would take their sandbox apart or end QEMU itself (README). Traps are "
        "the fuzzing VM's exits other than interrupts; injected are the aborts and "
        "undefined-instruction exceptions the hypervisor gave it, each one taken by the "
        "guest in the operation that caused it. fuzzvq works its virtio console and disk "
        "(a 1 MiB board disk of its own; its host-side I/O timing is not under `-icount`, so "
        "only its own draws replay exactly); its injected aborts are its misaligned "
        "configuration reads, and its own check is a proper write, read and hvc0 line "
        "after the fuzzing. Wall: this machine, with other work running.", "",
        "| fuzzer | seed | operations | what they were, what came back | traps taken | "
        "aborts/undefs injected | NOT_SUPPORTED answers | neighbour | wall | hypervisor "
        "failures |",
        "|---|---:|---:|---|---:|---:|---:|---|---:|---:|",
        *rows, "",
        "Hypervisor failures in all: %d." % failures,
    ]
    harness.write_md(md, lines)
    print("\n".join(lines))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
