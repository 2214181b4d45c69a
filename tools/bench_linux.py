#!/usr/bin/python3
"""make bench-linux: the Debian guest's boot on bare QEMU, under this hypervisor and
under Xen 4.17, with the same kernel, initramfs, memory and command line.

The three sides boot in turn, bare, hyp, xen, bare, hyp, xen, ..., PAIRS times
(default 5), so that a spell of load on this shared machine falls on all of them
alike; each round gives one ratio per side against the bare boot of the same round,
and the table reports the median and the range of those ratios. Each boot is timed
from QEMU's start to the kernel's first console line, to the shell prompt, and to
QEMU's exit after `poweroff`. Then the exits of a boot that powers off at once
(test.conf's guests linux-off and linux-quiet), from the hypervisor's trap log.

Usage: tools/bench_linux.py OUT_MD [PAIRS]
Writes OUT_MD (Markdown) and prints it.
"""
import os
import platform
import re
import statistics
import subprocess
import sys
import time

import pexpect

import harness

ROOT = str(harness.ROOT)
HYP = str(harness.BUILD / "linux-bench" / "hyp.bin")    # vms/linux-bench.conf
HYP_TEST = str(harness.HYP_BIN)                         # vms/test.conf, for the exits
MANIFEST = os.path.join(ROOT, "vms/linux-bench.conf")
G = os.path.join(ROOT, "build/guest")
KERNEL, INITRD = G + "/zImage", G + "/initramfs.cpio.gz"
XEN = os.path.join(ROOT, "build/xen/xen-4.17-armhf")
VM = "linux-plain"          # the VM that boots exactly what bare qemu boots
PROMPT = "guest# "
FIRST = "Booting Linux on physical CPU"
TIMEOUT = 240               # seconds for one boot, start to exit
TRIES = 2                   # a boot that fails is reported, then tried once more
SIDES = [("bare", "bare QEMU"), ("hyp", "this hypervisor"), ("xen", "Xen 4.17")]
MARKS = [("first", "first kernel line"), ("prompt", "shell prompt"),
         ("exit", "QEMU's exit after `poweroff`")]
TARGET = 1.10               # boot and power-off, wall, median of the pairs' ratios


def fail(msg):
    sys.exit("bench-linux: error: " + msg)


def manifest_vm(name):
    """{key: value} of one VM of the manifest"""
    vm, cur = {}, None
    for line in open(MANIFEST):
        line = line.split("#", 1)[0].rstrip()
        m = re.match(r"^vm (\S+)$", line)
        if m:
            cur = m.group(1)
        elif cur == name and "=" in line:
            k, v = line.split("=", 1)
            vm[k.strip()] = v.strip()
    if not vm:
        fail("no vm %s in %s" % (name, MANIFEST))
    return vm


def command_lines():
    """the three QEMU command lines, from the manifest's VM so that they cannot drift (bare
    QEMU and Xen on the guests' board, virt, whose addresses Xen's command line names; the
    hypervisor on PLATFORM's)"""
    vm = manifest_vm(VM)
    if (vm.get("kernel"), vm.get("initrd")) != ("build/guest/zImage", "build/guest/initramfs.cpio.gz"):
        fail("%s's %s must boot build/guest/zImage with build/guest/initramfs.cpio.gz" % (MANIFEST, VM))
    mem = re.fullmatch(r"(\d+)M", vm.get("memory", ""))
    if not mem:
        fail("%s's %s: memory in MiB, like 256M" % (MANIFEST, VM))
    mem, args = int(mem.group(1)), vm.get("bootargs", "")
    if "console=ttyAMA0" not in args.split():
        fail("%s's %s: the bootargs should name console=ttyAMA0" % (MANIFEST, VM))
    # Xen's dom0 has no uart of its own: its console is Xen's, hvc0
    xen_args = " ".join("console=hvc0" if a == "console=ttyAMA0" else a for a in args.split())
    return {
        "bare": harness.command(["-initrd", INITRD], KERNEL, args, mem=mem, bare=True),
        "hyp": harness.command([], HYP, "hyp.vms=" + VM),
        "xen": harness.command(
            ["-device", "guest-loader,addr=0x42000000,kernel=%s,bootargs=%s" % (KERNEL, xen_args),
             "-device", "guest-loader,addr=0x47000000,initrd=%s" % INITRD], XEN,
            "dom0_mem=%dM console=dtuart dtuart=/pl011@9000000" % mem, board="virt",
            opts="gic-version=2,highmem=off", semihosting=False),
    }, args, xen_args, mem


class BootFailed(Exception):
    pass


def boot(cmd):
    """one boot: seconds from QEMU's start to each mark, and what the kernel said it got"""
    log = []

    class Sink:         # pexpect's logfile_read: keep the console for the checks below
        def write(self, s):
            log.append(s)

        def flush(self):
            pass

    t0 = time.monotonic()
    q = pexpect.spawn(cmd[0], cmd[1:], timeout=TIMEOUT, encoding="utf-8",
                      codec_errors="replace")
    q.logfile_read = Sink()
    t = {}
    try:
        for key, text in (("first", FIRST), ("prompt", PROMPT)):
            q.expect_exact(text, timeout=max(1, TIMEOUT - (time.monotonic() - t0)))
            t[key] = time.monotonic() - t0
        q.sendline("poweroff")
        q.expect(pexpect.EOF, timeout=max(1, TIMEOUT - (time.monotonic() - t0)))
        t["exit"] = time.monotonic() - t0
    except (pexpect.TIMEOUT, pexpect.EOF) as e:
        q.close(force=True)
        raise BootFailed("%s after %.1f s" % (type(e).__name__, time.monotonic() - t0),
                         "".join(log)) from None
    q.close()
    out = "".join(log).replace("\r", "")
    if q.exitstatus != 0:
        raise BootFailed("qemu exited with status %s" % q.exitstatus, out)
    m = re.search(r"\[\s*(\d+\.\d+)\] printk: console \[\w+\] enabled", out)
    t["console"] = float(m.group(1)) if m else float("nan")    # kernel time, for the notes
    seen = {}
    for key, pat in (("cmdline", r"Kernel command line: (.*)"),
                     ("memory", r"Memory: \d+K/(\d+)K available"),
                     ("initrd", r"Freeing initrd memory: (\d+)K")):
        m = re.search(pat, out)
        seen[key] = m.group(1).strip() if m else None
    return t, seen


def one(side, cmd, notes):
    for attempt in range(TRIES):
        try:
            return boot(cmd)
        except BootFailed as e:
            why, out = e.args
            tail = " / ".join(out.replace("\r", "").strip().splitlines()[-4:])
            notes.append("a %s boot failed (%s), %s. Console tail: `%s`" % (
                side, why, "tried again" if attempt + 1 < TRIES else "given up", tail))
            print("bench-linux: %s boot failed: %s\n%s" % (side, why, out[-2000:]), file=sys.stderr)
    fail("%s failed %d times in a row: %s" % (side, TRIES, notes[-1]))


def exits(vm):
    t = harness.qemu([], "hyp.vms=" + vm, timeout=300, hyp_bin=HYP_TEST).tables["vm 0 (%s)" % vm]
    return t["total"], t["mmio"]["uart"], t["irq"]


def loadavg():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                if l.startswith("model name")), "unknown cpu")
    qemu = subprocess.run([harness.QEMU_BIN, "--version"], capture_output=True, text=True).stdout
    return "%s, %d cores, %s %s; %s" % (cpu, os.cpu_count(), platform.system(),
                                       platform.release(), qemu.splitlines()[0])


def spread(xs, fmt):
    return "%s (%s-%s)" % (fmt % statistics.median(xs), fmt % min(xs), fmt % max(xs))


def main():
    if len(sys.argv) not in (2, 3):
        fail("usage: tools/bench_linux.py OUT_MD [PAIRS]")
    out, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
    for f, how in ((HYP, "make all CONFIG=vms/linux-bench.conf"),
                   (HYP_TEST, "make all CONFIG=vms/test.conf"), (KERNEL, "tools/fetch-guest.sh"),
                   (INITRD, "tools/fetch-guest.sh"), (XEN, "tools/fetch-xen.sh")):
        if not os.path.exists(f):
            fail("%s is missing: %s makes it" % (f, how))
    cmds, args, xen_args, mem = command_lines()
    load0, t0, notes = loadavg(), time.monotonic(), []
    print("bench-linux: load average %s; %d rounds of %s" % (
        load0, n, ", ".join(s for s, _ in SIDES)), flush=True)
    runs = {s: [] for s, _ in SIDES}
    seen = {s: set() for s, _ in SIDES}
    for i in range(n):
        for side, _ in SIDES:
            t, what = one(side, cmds[side], notes)
            runs[side].append(t)
            seen[side].add(tuple(sorted(what.items())))
            print("bench-linux: round %d %-4s first %6.2f s  prompt %6.2f s  exit %6.2f s  (load %s)"
                  % (i + 1, side, t["first"], t["prompt"], t["exit"], loadavg()), flush=True)
    load1, elapsed = loadavg(), time.monotonic() - t0

    # what each kernel said it got: the same on every boot of a side, and the same
    # command line (less the console), memory and initramfs on every side
    got = {}
    for side, _ in SIDES:
        if len(seen[side]) != 1:
            fail("%s's boots did not all see the same: %s" % (side, seen[side]))
        got[side] = dict(next(iter(seen[side])))
    norm = lambda c: (c or "").replace("console=hvc0", "console=ttyAMA0")
    if len({norm(g["cmdline"]) for g in got.values()}) != 1 or \
            len({(g["memory"], g["initrd"]) for g in got.values()}) != 1:
        fail("the sides did not boot the same guest: %s" % got)

    ratio = {s: {k: [r[k] / b[k] for r, b in zip(runs[s], runs["bare"])] for k, _ in MARKS}
             for s in ("hyp", "xen")}
    vs_xen = {k: [h[k] / x[k] for h, x in zip(runs["hyp"], runs["xen"])] for k, _ in MARKS}
    rows = ["| %s | %s | %s | %s | %s | %s | %s |" % (
        what, *("%.2f s" % statistics.median(r[k] for r in runs[s]) for s, _ in SIDES),
        spread(ratio["hyp"][k], "%.3fx"), spread(ratio["xen"][k], "%.3fx"),
        spread(vs_xen[k], "%.3fx")) for k, what in MARKS]
    hyp_x, xen_x = statistics.median(ratio["hyp"]["exit"]), statistics.median(ratio["xen"]["exit"])
    targets = [
        "| boot and power-off under this hypervisor, wall, median of the rounds' ratios to bare "
        "QEMU | at most %.2fx | %.3fx | %s |" % (TARGET, hyp_x, "met" if hyp_x <= TARGET else "MISSED"),
        "| the same, ahead of Xen 4.17's | below %.3fx | %.3fx | %s |" % (
            xen_x, hyp_x, "met" if hyp_x < xen_x else "MISSED"),
    ]
    loud, quiet = exits("linux-off"), exits("linux-quiet")
    version = open(G + "/VERSION").read().strip()
    xen_version = open(os.path.join(ROOT, "build/xen/VERSION")).read().strip()
    fmt_runs = lambda s: ", ".join("%.2f/%.2f/%.2f" % (r["first"], r["prompt"], r["exit"])
                                   for r in runs[s])
    lines = [
        "# Debian guest boot: bare QEMU, this hypervisor, Xen 4.17", "",
        "Measured by %s (`tools/bench_linux.py`). Machine: %s. QEMU's TCG, no "
        "icount: wall-clock times, which move with this shared machine's load. Load average "
        "(1, 5, 15 min, from /proc/loadavg) at the start: %s; at the end: %s. %d rounds, "
        "%.0f s in all." % (harness.made_by("bench-linux"), machine(), load0, load1, n, elapsed), "",
        "The same guest on every side: kernel %s, its initramfs " % version +
        "`build/guest/initramfs.cpio.gz` (busybox-static), %d MiB of memory, one CPU, and the " % mem +
        "same kernel command line but for the console:", "",
        "- **bare QEMU**: `%s -M virt -cpu cortex-a15 -m %d -kernel zImage -initrd "
        "initramfs.cpio.gz -append \"%s\"`;" % (harness.QEMU_BIN, mem, args),
        "- **this hypervisor**: `%s -m 1G -kernel hyp.bin -append " % " ".join(harness.MACHINE[:2]) +
        "hyp.vms=%s`, the VM of `vms/linux-bench.conf` with that kernel, that initramfs, %d MiB and "
        "the command line `%s`;" % (VM, mem, args),
        "- **Xen 4.17** (%s, Debian's armhf build, fetched by `tools/fetch-xen.sh`): " % xen_version +
        "`-M virt,virtualization=on,gic-version=2,highmem=off -m 1G -kernel xen-4.17-armhf "
        "-append \"dom0_mem=%dM console=dtuart dtuart=/pl011@9000000\"` with the kernel and " % mem +
        "the initramfs as dom0 through two `-device guest-loader`s, command line `%s`: " % xen_args +
        "dom0's console is Xen's, hvc0, so that one argument differs. (`highmem=off`: without it "
        "dom0's kernel printed nothing more for a minute and a half, until stopped, after "
        "the PCIe host bridge's probe, whose configuration space (ECAM) the board then puts "
        "above 4 GiB.)", "",
        "Each kernel said it got the command line `%s`, %sK of memory and an initramfs of %sK " % (
            got["bare"]["cmdline"], got["bare"]["memory"], got["bare"]["initrd"]) +
        "(Xen's: `%s`); the harness checks that, on every boot." % got["xen"]["cmdline"], "",
        *(["On this run the hypervisor's board is %s; bare QEMU and Xen boot on virt, the board "
           "the guests see (Xen's command line names virt's addresses): the rounds compare "
           "a guest under the hypervisor on another board with the same guest on virt." %
           harness.PLATFORM, ""] if harness.PLATFORM != "virt" else []),
        "The sides boot in turn, bare, hyp, xen, bare, hyp, xen, ..., so each round's ratios "
        "compare boots a few seconds apart; the ratio columns give the median of the %d rounds' " % n +
        "ratios and, in brackets, their range. Times are from QEMU's start.", "",
        "| wall time to | bare QEMU | this hypervisor | Xen 4.17 | hypervisor / bare | "
        "Xen / bare | hypervisor / Xen |",
        "|---|---:|---:|---:|---:|---:|---:|", *rows, "",
        "The first kernel line is the first the console shows. No side has an early console "
        "(`earlycon`), so each kernel prints its log so far when its console driver registers: "
        "the PL011 on bare QEMU and in our VM (when the AMBA bus is probed), hvc0 under Xen "
        "(a console initcall, earlier in the boot). By the kernels' own clocks the console "
        "came up at %s (median): that row compares when the console " % ", ".join(
            "%.2f s %s" % (statistics.median(r["console"] for r in runs[s]), where)
            for s, where in (("bare", "on bare QEMU"), ("hyp", "in our VM"), ("xen", "under Xen"))) +
        "appears, not when the kernel starts. The device trees differ too: bare QEMU's and "
        "dom0's list the virt board's devices (a PCIe host, flash, fw-cfg, an RTC, GPIO keys, "
        "virtio-mmio slots), ours only what the VM has (GIC, timer, PL011, PSCI); probing "
        "the extra ones is a few tens of milliseconds of these boots, and virtio is modular "
        "and never loaded.", "",
        "| target | | measured | |", "|---|---:|---:|---|", *targets, "",
        "Exits of a boot that powers off at once, under this hypervisor (target: under 10,000):", "",
        "| guest command line | total exits | of which UART accesses | IRQ exits |",
        "|---|---:|---:|---:|",
        "| `console=ttyAMA0 guest.poweroff` | %d | %d | %d |" % loud,
        "| `console=ttyAMA0 guest.poweroff quiet` | %d | %d | %d |" % quiet, "",
        "Every character the kernel prints costs two exits (the PL011 driver reads the flag",
        "register, then writes the data register), so the console dominates a verbose boot.",
        "The IRQ exits follow the wall time the boot takes (the guest's 250 Hz tick and the",
        "maintenance interrupt that ends each), so they grow with the machine's load.", "",
        "Runs (first line / prompt / exit, seconds, in round order): bare %s; hypervisor %s; "
        "Xen %s." % (fmt_runs("bare"), fmt_runs("hyp"), fmt_runs("xen")),
    ]
    if notes:
        lines += ["", "Failed boots (each tried again):", ""] + ["- " + x for x in notes]
    harness.write_md(out, lines, keep="## Where the time goes")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
