#!/usr/bin/python3
"""make bench-attack: each guest of the attacking suite beside a victim, under -icount
shift=0 (virtual time is instructions: the figures replay exactly, whatever the host does).

The victim is the neighbour stub: it checksums 8 MiB over and over and takes a 1 ms
virtual timer tick, until every other VM has stopped; it prints whether a checksum ever
changed, its ticks against the deadlines and the latest one, and its pace (checksums in
the virtual time it ran). Each attack runs twice: beside `neighbour` on the attacker's
CPU, and beside `neighbour1` on the other CPU. For each it gives the victim's worst tick
lateness (bound: 20 ms), its CPU share when the two share a CPU (its pace against its pace
alone; target: 45% or more), the attacker's worst trap by class (the trap log keeps it),
and whether the victim's RAM ever changed.

Under -icount QEMU runs the CPUs in turn on one clock that counts the instructions of
all of them: a CPU kept busy halves the other's pace. So each share is taken against the
victim alone with the same CPUs busy: a run where the attacker keeps the other CPU busy
is measured against the victim beside a control run that keeps it as busy (attack-kick's
is attack-kick-own, the same writes aimed at its own vCPU). And QEMU
switches between CPUs only every 100 ms of virtual time when one of them is busy (its
round robin's kick timer), so under -icount a victim on the other CPU waits up to 100 ms
for QEMU, not for the hypervisor: the other-CPU runs go without -icount, each CPU a host
thread, and their lateness is the host's real time (2 cores: run it on a quiet machine).
Usage: tools/bench_attack.py HYP_BIN OUT_MD
"""
import re
import sys
import tempfile
import time

import harness
from harness import disk_args, disk_ranges, net_args, qemu

# sleep=off: idle CPUs jump to their next deadline instead of waiting real time, so that
# runs replay exactly (with sleep on, fuzzmmio beside the neighbour took 0.24 s and 0.47 s)
ICOUNT = ["-icount", "shift=0,sleep=off"]

# name, what it does, its VMs beside neighbour (same cpu, -icount), beside neighbour1
# (other cpu, real time; or (VMs, victim) for another victim), the run its share is taken
# against when it keeps cpu 1 busy (False: the victim alone), and the board devices it needs
ATTACKS = [
    ("idle", "nothing beside the victim: the baseline (the victim alone, cpu 1 idle)",
     "", None, False, ()),
    # same cpu: a million (2.3 s of virtual time), so that its share is the steady one: in
    # the 0.24 s of 100,000 its first slice, before the victim ticked, was a third of it
    ("fuzzmmio", "a VM that takes no interrupts: random loads and stores",
     "fuzzmmio-long", "fuzzmmio", False, ()),
    ("attack-leak", "PMU, VFP, TPIDR, CONTEXTIDR, timer and GICC state left for another VM",
     "leak-a,leak-b", "leak-a,leak-b", False, ()),
    ("attack-leak reset", "the same left for the VM's next life, on both cpus",
     "leak-r", "leak-r", False, ()),
    ("attack-con", "forged console lines and terminal escapes, 200 rounds (PL011 and hvc0)",
     "attack-con200", "attack-con200", False, ()),
    ("tlown", "a traplog = own VM reads all it can of the log and switches the rings off",
     "tlown", "tlown", False, ()),
    ("attack-kick", "ISPENDR/ICPENDR and other distributor floods from cpu 1 at its vcpu "
     "sleeping on cpu 0: the victim on cpu 1 shares the flooder's cpu",
     "attack-kick", "attack-kick", "attack-kick-own", ()),
    ("attack-vq", "huge and self-looping indirect tables, every head in every avail slot, "
     "buffers recycled by its second vcpu, 128 disk reads in flight (console, disk, net)",
     "attack-vq0", "attack-vq0", False, ("disk", "net")),
    ("attack-vq disk", "the same, kicking from cpu 1: the disk's interrupts and its feeding "
     "vcpu on the victim's cpu 0", None, ("attack-vq1", "neighbour"), False, ("disk", "net")),
    ("fuzzvq2", "20,000 random virtqueue operations while its second vcpu rewrites the rings",
     "fuzzvq2", None, False, ("disk", "net")),
    ("attack-rx", "receive chains of 128 one-byte descriptors while another VM sends to it",
     "net-rx,net-send", "net-rx,net-send", False, ()),
    ("attack-rx empty", "receive chains of an indirect table of 65,535 empty descriptors",
     "net-rx0,net-send0", "net-rx0,net-send0", False, ()),
    ("net flood", "256 frames a kick to an unknown address beside an ARP sender",
     "net-flood,net-arp", "net-flood,net-arp", False, ("net",)),
    ("broadcast storm", "1000 broadcast frames, 64 a kick", "net-bcast,net-bsink",
     "net-bcast,net-bsink", False, ()),
    # under -icount each reset's wait for the other cpu costs a turn of QEMU's round robin
    # (a round in 75 s): real time only, both runs sharing a cpu with the victim
    ("attack-ctl", "a 2-vcpu control VM: 100 rounds of reset, destroy, start and pin of a "
     "2-vcpu target, hostile arguments", None, ("attack-ctl-100,ctl-target", "neighbour"),
     False, ()),
    ("attack-ctl", "the same beside neighbour1", None,
     ("attack-ctl-100,ctl-target", "neighbour1"), False, ()),
]


def neighbour(run, name):
    """(checksums, differ, ticks, deadlines, latest us, us ran) from its three lines"""
    lines = run.guest_lines(name)
    if len(lines) != 3:
        raise AssertionError("%s printed %d lines, not 3%s" % (name, len(lines), run.tail()))
    a = re.fullmatch(r"neighbour: (\d+) checksums of 8 MiB, (\d+) differ from the first", lines[0])
    b = re.fullmatch(r"neighbour: (\d+) timer ticks for (\d+) deadlines, (?:none lost|LOST); latest (\d+) us late",
                     lines[1])
    c = re.fullmatch(r"neighbour: (\d+) checksums in (\d+) us of virtual time", lines[2])
    return (int(a.group(1)), int(a.group(2)), int(b.group(1)), int(b.group(2)), int(b.group(3)),
            int(c.group(2)))


def worst(run, skip):
    """the worst trap by class of every VM but the victims: {class: (cost, vm)}"""
    out = {}
    for title, t in run.tables.items():
        m = re.fullmatch(r"vm \d+ \((.*)\)", title)
        if not m or m.group(1) in skip:
            continue
        for ec, w in t.get("worst", {}).items():
            cls = "IRQ" if ec == "-" else "0x%02x" % ec
            if cls not in out or w[0] > out[cls][0]:
                out[cls] = (w[0], m.group(1))
    return out


def victim_worst(run, victim):
    """the victim's own longest trap: (hyp cycles, class). in a run without -icount the
    cycle counter follows QEMU's virtual clock, a nanosecond a cycle: a lock the victim's
    cpu waited for, or any work done there for the attacker, would show here"""
    for title, t in run.tables.items():
        if title.endswith("(%s)" % victim):
            w = [(c, "IRQ" if ec == "-" else "0x%02x" % ec)
                 for ec, (c, *_) in t.get("worst", {}).items()]
            return max(w) if w else (0, "-")
    raise AssertionError("no trap table for %s%s" % (victim, run.tail()))


# same-cpu runs whose VMs all live on cpu 0, run on a board of one cpu: under -icount with
# two, QEMU's round robin left attack-vq0's run without progress for minutes
ONE_CPU = ("attack-vq0", "fuzzvq2")


def boot(vms, args, icount=True):
    t0 = time.time()
    smp = 1 if icount and vms.split(",")[0] in ONE_CPU else 2
    run = qemu([*(ICOUNT if icount else []), *args], append="hyp.vms=" + vms, smp=smp,
               timeout=3600, hyp_bin=HYP)
    if run.rc != 0 or "PANIC" in run.out:
        raise AssertionError("%s: qemu status %d%s" % (vms, run.rc, run.tail()))
    return run, time.time() - t0


def main():
    global HYP
    HYP, md = sys.argv[1], sys.argv[2]
    img = tempfile.NamedTemporaryFile(suffix=".img")
    img.truncate(disk_ranges()[1])
    board = {"disk": disk_args(img.name), "net": net_args()}
    rows, worst_rows, pace, failures = [], [], {}, 0
    for name, what, same, other, busy, devs in ATTACKS:
        args = [a for d in devs for a in board[d]]
        other, victim1 = other if isinstance(other, tuple) else (other, "neighbour1")
        for where, vms, victim in (("same cpu", same, "neighbour"), ("other cpu", other, victim1)):
            if vms is None:
                continue
            try:
                run, wall = boot(",".join(v for v in (vms, victim) if v), args,
                                 icount=where == "same cpu")
                n, bad, ticks, deadlines, late, ran = neighbour(run, victim)
                if name == "idle":
                    pace["idle"] = n / ran
                if busy and busy not in pace:   # the control run, the same cpus busy
                    c = neighbour(boot(busy + "," + victim, args)[0], victim)
                    pace[busy] = c[0] / c[5]
                share = "-"
                if where == "same cpu" and name != "idle":
                    share = "%.0f%%" % (100 * n / ran / pace[busy or "idle"])
                ok = bad == 0 and ticks == deadlines and late <= 20000
                if share != "-":
                    # the attacker had the rest of the victim's window at most
                    rest = 100 - 100 * n / ran / pace[busy or "idle"]
                    share += " (%s: %.0f%% at most)" % (name, rest)
                    ok = ok and 100 - rest >= 45 and (name != "fuzzmmio" or rest >= 45)
                failures += not ok
                vw = victim_worst(run, victim)
                rows.append("| %s | %s | %.1f ms | %s | %d of %d | %s | %d (%s) | %.0f s |" % (
                    name, where, late / 1000, share, ticks, deadlines,
                    "never changed" if bad == 0 else "**%d changed**" % bad, vw[0], vw[1],
                    wall))
                for cls, (cost, vm) in sorted(worst(run, (victim,)).items()) \
                        if where == "same cpu" else ():
                    worst_rows.append("| %s | %s | %s | %d | %s |" % (name, where, cls, cost, vm))
            except (AssertionError, AttributeError) as e:
                failures += 1
                rows.append("| %s | %s | **failed**: %s | | | | | |" % (
                    name, where, str(e).splitlines()[0]))
            print(rows[-1], flush=True)
    lines = [
        "# The attacking suite beside a victim", "",
        "Measured by %s (`tools/bench_attack.py`: QEMU 7.2, `-M %s`, `-icount shift=0`, "
        "two CPUs). " % (harness.made_by("bench-attack"), harness.PLATFORM) +
        "Each attack runs beside the `neighbour` stub on its own CPU and beside "
        "`neighbour1` on the other (that run without `-icount`: under it QEMU's round robin "
        "gives a busy CPU 100 ms of virtual time before the other runs, so its lateness is real "
        "time, on this 2-core machine); the attacks are the stubs of `guest-stubs/attack-*.c` "
        "(docs/security.md says what each tries). Lateness: the victim's latest timer tick "
        "after its deadline (bound 20 ms). Share: the victim's pace (checksums a virtual second) "
        "against its pace alone, or beside a control run that keeps the other CPU as busy "
        "(target 45%), and in brackets the "
        "most the attacker can have had of the victim's window, the rest of it (against a VM "
        "that takes no interrupts, fuzzmmio, the target is 45% for both). RAM: the victim's "
        "checksums of 8 MiB against the first. Victim's trap: its own longest trap in hyp "
        "cycles and its class (under `-icount` an instruction a cycle; without, QEMU's virtual "
        "clock, a nanosecond a cycle): the most the hypervisor held the victim's CPU at once, "
        "a lock it waited for included.", "",
        "| attack | victim on | latest tick | CPU share | ticks | RAM | victim's trap | wall |",
        "|---|---|---:|---:|---:|---|---:|---:|",
        *rows, "",
        "The worst trap of the attacking VMs by class, in the same-CPU runs: hyp cycles, "
        "under `-icount` one instruction a cycle (with two CPUs busy a trap's figure may "
        "include instructions of the other CPU run in its turn; a WFI's is mostly the time "
        "its CPU waited idle):", "",
        "| attack | victim on | class | worst trap | VM |",
        "|---|---|---|---:|---|",
        *worst_rows, "",
        "Runs outside the bounds: %d." % failures,
    ]
    harness.write_md(md, lines, keep="## Read by hand")
    print("\n".join(lines))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
