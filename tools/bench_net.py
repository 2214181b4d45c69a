#!/usr/bin/python3
"""make bench-net: TCP throughput and ping latency of Debian guests on the hypervisor's
switch, against the same kernel and initramfs on bare QEMU with the same network card.

Both boards run at once, each with QEMU's user network closed to the outside
(restrict=on) and 127.0.0.1:PORT on the host forwarded to port 5201 of the guest at
10.0.2.15, where `iperf3 -s` waits (build/bench/initramfs-net.cpio.gz: the guest's
initramfs, hypstat and Debian's armhf iperf3, tools/fetch-bench.sh net).
  bare QEMU     -M virt -cpu cortex-a15 -m 256M, the guest asks DHCP for 10.0.2.15
  hypervisor    vms/net-bench.conf: vm0 (10.0.2.15) and vm1 (10.0.2.16), a CPU each,
                on the switch, whose uplink is the board's own card
Each round, in turn: host to VM and VM to host (the host's iperf3 connects to
127.0.0.1 only; -R makes the guest the sender) on bare QEMU, then the same under the
hypervisor, then VM to VM (vm1's iperf3 against vm0's). Each run is `iperf3 -t SECONDS`;
the figure is what the receiver counted. Under the hypervisor vm0's `hypstat` (traplog =
all) reads every VM's trap counts and hyp cycles before and after each run: exits per
MiB and the cost of each class. Then `ping -c 100 -i 0.2` from the guest: to QEMU's
gateway 10.0.2.2 on each board, and from vm0 to vm1.
Usage: tools/bench_net.py OUT_MD [ROUNDS]
"""
import json
import re
import socket
import statistics
import subprocess
import sys
import time

import pexpect

import harness

G = harness.ROOT / "build" / "guest"
INITRD = str(harness.ROOT / "build" / "bench" / "initramfs-net.cpio.gz")
HYP = harness.BUILD / "net-bench" / "hyp.bin"
SECONDS = 5
PROMPT = "guest# "
V2 = ["-global", "virtio-mmio.force-legacy=false"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nic(port):
    return ["-netdev", "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:%d-10.0.2.15:5201" % port,
            "-device", "virtio-net-device,netdev=net0"]


class Board:
    """one QEMU, its guests' shells typed into through pexpect"""

    def __init__(self, name, qemu, port, vms):
        """qemu: harness.spawn()'s arguments"""
        self.name, self.port, self.vms, self.focus = name, port, vms, 0
        self.q = harness.spawn(timeout=300, **qemu)
        for _ in vms:
            self.q.expect(r"guest: eth0 (\S+) \(dhcp, asked for (\S+)\)\r")
            if self.q.match.group(1) != self.q.match.group(2) + "/24":
                sys.exit("bench-net: %s: a guest got %s" % (name, self.q.match.group(0)))
        self.sh("echo ready")
        # until it listens (port 5201 is 0x1451 in /proc/net/tcp6: iperf3 binds ::)
        self.sh("iperf3 -s -D; until grep -q ':1451 ' /proc/net/tcp6 /proc/net/tcp; do "
                "sleep 0.1; done")

    def prefix(self):
        return "[%s] " % self.vms[self.focus] if len(self.vms) > 1 else ""

    def to(self, i):
        if len(self.vms) > 1 and self.focus != i:
            self.q.send("\x1d%d" % i)
            self.q.expect_exact("hyp: keyboard to VM %d (%s)" % (i, self.vms[i]))
            self.focus = i

    def sh(self, cmd, vm=0, timeout=300):
        """types cmd into vm's shell: what it printed, the console's prefix removed"""
        self.to(vm)
        # the echo of the typed line holds the marker in quotes: only the output matches
        n = time.monotonic_ns()
        marker = "done-%d" % n
        self.q.sendline('%s; echo done-"%d"' % (cmd, n))
        self.q.expect_exact(self.prefix() + marker + "\r", timeout=timeout)
        out = self.q.before.replace("\r", "").split("\n")[1:]
        self.q.expect_exact(self.prefix() + PROMPT)
        p = self.prefix()
        return "\n".join(l[len(p):] if l.startswith(p) else l for l in out)

    def close(self):
        for i in reversed(range(len(self.vms))):
            self.to(i)
            self.q.sendline("poweroff")
        self.q.expect(pexpect.EOF)
        self.q.close(force=True)


def board_counts(b):
    """{class: (count, hyp cycles)} of every VM, from vm0's hypstat (traplog = all)"""
    out = b.sh("hypstat")
    return harness.hypstat_rows(out[out.index("hypstat: board (all VMs)"):])


def minus(a, b):
    return {k: (a[k][0] - b.get(k, (0, 0))[0], a[k][1] - b.get(k, (0, 0))[1]) for k in a}


def host_iperf(port, reverse):
    """the host's iperf3 against the guest's, on 127.0.0.1: (Mbit/s, bytes) received.
    the guest's server takes a moment after a test before it takes the next: a refused
    start (no bytes moved) is tried again, twice"""
    for attempt in range(3):
        time.sleep(1)
        p = subprocess.run(["iperf3", "-c", "127.0.0.1", "-p", str(port), "-t", str(SECONDS),
                            "-J", *(["-R"] if reverse else [])], capture_output=True, text=True,
                           timeout=SECONDS + 60)
        try:
            end = json.loads(p.stdout)["end"]["sum_received"]
            return end["bits_per_second"] / 1e6, end["bytes"]
        except (ValueError, KeyError):
            print("bench-net: iperf3 -c 127.0.0.1 -p %d: %s" % (
                port, json.loads(p.stdout or "{}").get("error", p.stdout[-300:])), flush=True)
    sys.exit("bench-net: iperf3 against 127.0.0.1:%d failed three times" % port)


def vm_iperf(b):
    """vm1's iperf3 against vm0's: (Mbit/s, bytes) that vm0 received"""
    out = b.sh("iperf3 -c 10.0.2.15 -t %d -f m" % SECONDS, vm=1)
    m = re.search(r"([\d.]+) MBytes\s+([\d.]+) Mbits/sec\s+receiver", out)
    if not m:
        sys.exit("bench-net: vm1's iperf3 failed:\n" + out)
    return float(m.group(2)), float(m.group(1)) * (1 << 20)


def measured(b, run):
    """run() under the hypervisor, with vm0's hypstat before and after"""
    before = board_counts(b)
    rate, nbytes = run()
    return rate, nbytes, minus(board_counts(b), before)


def ping(b, target, vm=0):
    out = b.sh("ping -q -c 100 -i 0.2 %s" % target, vm=vm)
    m = re.search(r"(\d+) packets received.*\n.*= ([\d.]+)/([\d.]+)/([\d.]+) ms", out)
    if not m:
        sys.exit("bench-net: ping %s failed:\n%s" % (target, out))
    return int(m.group(1)), float(m.group(2)), float(m.group(3)), float(m.group(4))


def main():
    out_md = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    bp, hp = free_port(), free_port()
    # bare QEMU on the guests' board, the hypervisor on PLATFORM's
    bare = Board("bare", dict(bare=True, mem="256M", hyp_bin=G / "zImage",
                              append="console=ttyAMA0 quiet guest.name=bare guest.ip=10.0.2.15",
                              args=["-initrd", INITRD, *nic(bp), *V2]), bp, ["bare"])
    hyp = Board("hyp", dict(smp=2, hyp_bin=HYP, args=[*nic(hp), *V2]), hp, ["vm0", "vm1"])
    runs = {k: [] for k in ("bare h2v", "bare v2h", "hyp h2v", "hyp v2h", "hyp v2v")}
    costs = {k: {} for k in ("h2v", "v2h", "v2v")}
    mib = {k: 0.0 for k in costs}
    try:
        for r in range(rounds):
            for d, rev in (("h2v", False), ("v2h", True)):
                runs["bare " + d].append(host_iperf(bp, rev))
                rate, nbytes, c = measured(hyp, lambda: host_iperf(hp, rev))
                runs["hyp " + d].append((rate, nbytes))
                costs[d] = {k: tuple(x + y for x, y in zip(costs[d].get(k, (0, 0)), v))
                            for k, v in c.items()}
                mib[d] += nbytes / (1 << 20)
            rate, nbytes, c = measured(hyp, lambda: vm_iperf(hyp))
            runs["hyp v2v"].append((rate, nbytes))
            costs["v2v"] = {k: tuple(x + y for x, y in zip(costs["v2v"].get(k, (0, 0)), v))
                            for k, v in c.items()}
            mib["v2v"] += nbytes / (1 << 20)
            print("bench-net: round %d: %s" % (r + 1, ", ".join(
                "%s %.1f" % (k, v[-1][0]) for k, v in runs.items())), flush=True)
        pings = {"bare: guest to 10.0.2.2": ping(bare, "10.0.2.2"),
                 "hypervisor: vm0 to 10.0.2.2 (through the uplink)": ping(hyp, "10.0.2.2"),
                 "hypervisor: vm0 to vm1 (through the switch)": ping(hyp, "10.0.2.16")}
        uname = hyp.sh("uname -r").strip()
    finally:
        for b in (bare, hyp):
            try:
                b.close()
            except Exception:
                b.q.close(force=True)
    write(out_md, rounds, runs, costs, mib, pings, uname)


def med(rs):
    return statistics.median(r[0] for r in rs)


def write(out_md, rounds, runs, costs, mib, pings, uname):
    names = {"h2v": "host to VM", "v2h": "VM to host", "v2v": "VM to VM"}
    L = ["# Network: the hypervisor's virtio-net and switch against bare QEMU", "",
         "Measured by %s (`tools/bench_net.py`) on QEMU 7.2 (TCG), kernel %s, "
         "%d interleaved rounds, median. Each run is `iperf3 -t %d` (Debian's armhf iperf3 "
         "in the guest, the host's amd64 one on 127.0.0.1 through `hostfwd`); the figure is "
         "what the receiver counted. Bare QEMU: `-M virt -cpu cortex-a15 -m 256M`; the "
         "hypervisor: `vms/net-bench.conf`, vm0 and vm1 on a CPU each. Both with "
         "`-netdev user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:PORT-10.0.2.15:5201 "
         "-device virtio-net-device,netdev=net0 -global virtio-mmio.force-legacy=false`. "
         "Target: VM to host at least 0.8x bare QEMU." % (harness.made_by("bench-net"), uname,
                                                           rounds, SECONDS), "",
         "| TCP, iperf3 | bare QEMU | under the hypervisor | ratio | exits per MiB |",
         "|---|---:|---:|---:|---:|"]
    for d in ("h2v", "v2h", "v2v"):
        hyp = med(runs["hyp " + d])
        total = sum(n for n, _ in costs[d].values())
        epm = "%.0f" % (total / mib[d]) if mib[d] else "-"
        if d == "v2v":
            L.append("| %s | - | %.1f Mbit/s | - | %s |" % (names[d], hyp, epm))
        else:
            bare = med(runs["bare " + d])
            L.append("| %s | %.1f Mbit/s | %.1f Mbit/s | %.2fx | %s |" % (
                names[d], bare, hyp, hyp / bare, epm))
    L += ["", "Runs (Mbit/s): " + "; ".join(
        "%s %s" % (k, ", ".join("%.1f" % r[0] for r in v)) for k, v in runs.items()), "",
        "## Where the hypervisor's time goes", "",
        "Every VM's exits during the runs of each direction, summed over the rounds, from "
        "vm0's `hypstat` (hyp cycles: the PMU's cycle counter in HYP, from trap entry to "
        "exit; without -icount QEMU derives it from its virtual clock). A WFI's cycles are "
        "its work only: the time its vCPU sleeps in the hypervisor is left out (`arch_sleep`)."
        , ""]
    for d in ("h2v", "v2h", "v2v"):
        c = costs[d]
        total = sum(n for n, _ in c.values())
        cyc = sum(y for _, y in c.values())
        L += ["%s, %.0f MiB moved:" % (names[d], mib[d]), "",
              "| class | exits | per MiB | hyp cycles | mean |", "|---|---:|---:|---:|---:|"]
        for k, (n, y) in sorted(c.items(), key=lambda kv: -kv[1][0]):
            if n:
                L.append("| %s | %d | %.1f | %d | %.0f |" % (k, n, n / mib[d], y, y / n))
        L += ["| total | %d | %.1f | %d | |" % (total, total / mib[d] if mib[d] else 0, cyc), ""]
    L += ["## Round-trip latency", "", "`ping -q -c 100 -i 0.2` from the guest.", "",
          "| from, to | received | min | avg | max |", "|---|---:|---:|---:|---:|"]
    for k, (n, lo, avg, hi) in pings.items():
        L.append("| %s | %d/100 | %.3f ms | %.3f ms | %.3f ms |" % (k, n, lo, avg, hi))
    harness.write_md(out_md, L, keep="## Read by hand")
    print("\n".join(L))


if __name__ == "__main__":
    main()
