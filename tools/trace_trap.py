#!/usr/bin/python3
"""The hypervisor's instructions in one trap round trip, function by function.

Runs HYP_BIN with one VM under `-icount shift=0 -singlestep -d exec,nochain`,
logging only the hypervisor's own addresses, cuts the log into round trips
(vector entry to `eret`) and prints the one numbered N among those that pass
through FUNCTION (`entry-only`: through no function but the entry, as the
null call): how many instructions each function ran, and with -v every
instruction from the disassembly. This is how bench/traps.md's accounting was
taken; the guest's own instructions (the trapping one included) are not in it.

Usage: tools/trace_trap.py HYP_BIN VM FUNCTION [N] [-v]
  e.g. tools/trace_trap.py build/virt/test/hyp.bin bench testdev_read 50 -v
  (QEMU runs the board PLATFORM names: PLATFORM=vexpress-a15 for that build)
"""
import bisect
import os
import re
import subprocess
import sys
import tempfile

import harness


def symbols(elf_dir):
    """sorted (address, name) of the text symbols, and address -> disassembly line"""
    syms = []
    for line in open(os.path.join(elf_dir, "hyp.sym")):
        f = line.split()
        if len(f) == 3 and f[1] in "tTwW":
            syms.append((int(f[0], 16), f[2]))
    syms.sort()
    dis = {}
    for line in open(os.path.join(elf_dir, "hyp.dis")):
        m = re.match(r"\s*([0-9a-f]{8}):\s+[0-9a-f]{8}\s+(.*)", line)
        if m:
            dis[int(m.group(1), 16)] = m.group(2).split(";")[0].rstrip()
    return syms, dis


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    verbose = "-v" in sys.argv
    if len(args) < 3:
        sys.exit(__doc__)
    hyp_bin, vm, func = args[:3]
    nth = int(args[3]) if len(args) > 3 else 50
    elf_dir = os.path.dirname(hyp_bin)
    syms, dis = symbols(elf_dir)
    addr = dict((n, a) for a, n in syms)
    start, end = addr["__image_start"], addr.get("__image_end", addr["__image_start"] + 0x100000)
    entry = {addr["hyp_vectors"] + 0x14, addr["hyp_vectors"] + 0x18}
    log = tempfile.NamedTemporaryFile(suffix=".log", delete=False).name
    cmd = harness.command(["-singlestep", "-d", "exec,nochain", "-D", log,
                           "-dfilter", "%#x..%#x" % (start, end - 1)], hyp_bin, "hyp.vms=" + vm,
                          icount="shift=0")
    subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, timeout=600, check=True)
    addrs = [a for a, _ in syms]

    def name(pc):
        i = bisect.bisect_right(addrs, pc) - 1
        return syms[i][1] if i >= 0 else "?"

    trips, cur = [], None
    with open(log) as f:
        for line in f:
            m = re.match(r"Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/", line)
            if not m:
                continue
            pc = int(m.group(1), 16)
            if pc in entry:
                cur = []
            if cur is None:
                continue
            cur.append(pc)
            if dis.get(pc, "").startswith("eret"):
                trips.append(cur)
                cur = None
    os.unlink(log)
    if func == "entry-only":  # the null call: no function but the entry's own
        alone = {"hyp_vectors", "guest_trap", "trap_entry", "guest_resume"}
        picked = [t for t in trips if set(map(name, t)) <= alone]
    else:
        picked = [t for t in trips if any(name(pc) == func for pc in t)]
    if len(picked) < nth:
        sys.exit("trace_trap: %d round trips pass through %s, not %d" % (len(picked), func, nth))
    trip = picked[nth - 1]
    lengths = {}
    for t in picked:
        lengths[len(t)] = lengths.get(len(t), 0) + 1
    print("round trip %d of %d through %s: %d hypervisor instructions (all: %s)" % (
        nth, len(picked), func, len(trip),
        ", ".join("%d x %d" % (lengths[n], n) for n in sorted(lengths))))
    runs = []  # consecutive instructions of one function
    for pc in trip:
        if runs and runs[-1][0] == name(pc):
            runs[-1][1].append(pc)
        else:
            runs.append((name(pc), [pc]))
    for fn, pcs in runs:
        print("%4d  %s" % (len(pcs), fn))
        if verbose:
            for pc in pcs:
                print("        %08x  %s" % (pc, dis.get(pc, "?")))


if __name__ == "__main__":
    main()
