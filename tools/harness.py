"""The one harness of the tests and the benchmarks: QEMU's command line for a board, from
platform/<board>/platform.mk; a boot run to its end (subprocess) or typed into (pexpect);
the trap tables the hypervisor prints; a benchmark's Markdown, its hand-written section kept.

It lives in tools/ beside the benchmarks, which import it as `harness`; the tests get
tools/ on their path from tests/conftest.py. (Not `hyp`: tools/gdb/hyp.py is gdb's.)
No other Python file of tools/ or tests/ names qemu-system-arm: each asks command() or
spawn() for its QEMU, so each runs on PLATFORM's board.
"""
import datetime
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for _p in (ROOT / "tools", ROOT / "build" / "include"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))
import consts  # noqa: E402,F401 (the C headers' numbers: make writes it, from hyp/core/consts.c)
import traplog  # noqa: E402

PLATFORM = os.environ.get("PLATFORM", "virt")      # the host board: virt, vexpress-a15, orangepi-pc
BUILD = ROOT / "build" / PLATFORM
HYP_BIN = BUILD / "test" / "hyp.bin"     # vms/test.conf
QEMU_BIN = "qemu-system-arm"
# the board the guests see, on every host board (hyp/core/include/guest_board.h): bare
# QEMU, a guest's kernel without the hypervisor, boots on it, whatever PLATFORM is
GUEST_BOARD = "virt"


def platform_mk(board=PLATFORM):
    """{name: value} of platform/<board>/platform.mk's `NAME := value` lines"""
    mk = (ROOT / "platform" / board / "platform.mk").read_text().replace("\\\n", " ")
    return {m.group(1): " ".join(m.group(2).split())
            for m in re.finditer(r"^(\w+)\s*:=\s*(.*)$", mk, re.M)}


def machine(board=PLATFORM, opts=None, bare=False):
    """QEMU's board and cpu options, as the Makefile has them (QEMU_MACHINE); opts: more -M
    options (e.g. "secure=off"); bare: without the virtualization extensions (no hypervisor)"""
    m = platform_mk(board)["QEMU_MACHINE"].split()
    i = m.index("-M") + 1
    if bare:
        m[i] = ",".join(o for o in m[i].split(",") if o != "virtualization=on")
    if opts:
        m[i] += "," + opts
    return m


def cpus(smp, append=None, board=PLATFORM):
    """-smp, and -append when there is a command line: on a board whose QEMU takes one cpu
    count only (platform.mk's QEMU_CPUS: orangepi-pc's 4), that count, with hyp.cpus=smp
    on the command line (the hypervisor runs on the first smp, the others stay off)"""
    fixed = platform_mk(board).get("QEMU_CPUS")
    if fixed:
        append = " ".join(a for a in (append, "hyp.cpus=%d" % smp) if a)
        smp = fixed
    return ["-smp", str(smp)] + (["-append", append] if append is not None else [])


# a board without virtio-mmio slots (platform.mk's VIRTIO := no): no disk, no uplink card
HAS_VIRTIO = platform_mk().get("VIRTIO") != "no"


try:    # a test of the board's disk or network card, skipped on a board without them
    import pytest
    needs_virtio = pytest.mark.skipif(not HAS_VIRTIO, reason="%s has no virtio-mmio slots: no "
                                      "board disk, no uplink" % PLATFORM)
except ImportError:     # a benchmark, run without pytest
    needs_virtio = None


def cpus_line(n):
    """the banner's cpus line for a boot that asked for n cpus"""
    return "  cpus      %s, the hypervisor on %d\n" % (platform_mk().get("QEMU_CPUS") or n, n)


def command(args=(), kernel=HYP_BIN, append=None, smp=1, mem="1G", board=PLATFORM, opts=None,
            bare=False, icount=None, semihosting=None):
    """QEMU's command line: the board's machine (bare: the guests' board, no hypervisor),
    mem, icount ("shift=0"), smp, the kernel, args (a -nic there replaces the board's), the
    command line. Semihosting, the
    hypervisor's last way to stop the board, is on unless bare."""
    if bare:
        board = GUEST_BOARD
    m = machine(board, opts, bare)
    if "-nic" in args and "-nic" in m:     # the test's network card in place of the board's
        i = m.index("-nic")
        m = m[:i] + m[i + 2:]
    cmd = [QEMU_BIN, *m, "-m", str(mem), "-nographic"]
    if semihosting if semihosting is not None else not bare:
        cmd += ["-semihosting-config", "enable=on,target=native"]
    if icount:
        cmd += ["-icount", icount]
    return cmd + [*cpus(smp, append, board), "-kernel", str(kernel), *args]


# the command line without its -smp, -kernel and more: what the tests add to (test_gdb,
# test_virtio's gdb run, test_attack_net)
QEMU = command()[:command().index("-smp")]
MACHINE = machine()


class Board:
    """What the hypervisor's banner says about the host board."""
    name = PLATFORM
    ram = {"virt": 0x40000000, "vexpress-a15": 0x80000000, "orangepi-pc": 0x40000000}[PLATFORM]
    cpu = "cortex-a7" if PLATFORM == "orangepi-pc" else "cortex-a15"
    # what a guest's MIDR says: part and revision (QEMU 7.2's cortex-a7 is r0p5)
    midr_part, midr_rev = {"cortex-a7": (0xc07, 5), "cortex-a15": (0xc0f, 0)}[cpu]
    # QEMU 7.2's PMCR.N: 6 event counters on the cortex-a15, 4 on the cortex-a7; a guest
    # gets all but the hypervisor's own
    guest_counters = (4 if cpu == "cortex-a7" else 6) - 1
    # qemu enters virt and orangepi-pc (a raw image) in hyp mode, vexpress-a15 in secure
    # svc (secure=on is its default)
    entry = {"virt": "hyp mode", "orangepi-pc": "hyp mode",
             "vexpress-a15": "secure svc, switched to non-secure hyp by monitor"}[PLATFORM]


TAIL = 40


def qemu_with(opts):
    """QEMU's command line with more -M options (e.g. "secure=off"), as QEMU above."""
    cmd = command(opts=opts)
    return cmd[:cmd.index("-smp")]


class Run:
    """One boot: its console text, exit status and the trap tables it printed."""

    def __init__(self, out, rc):
        self.out = out.replace("\r", "")
        self.rc = rc
        self.tables = parse_tables(self.out)

    def tail(self):
        return "\n--- console tail ---\n" + "\n".join(self.out.splitlines()[-TAIL:])

    def guest_lines(self, vm):
        return [l[len(vm) + 3:] for l in self.out.splitlines() if l.startswith("[%s] " % vm)]

    def uart_bytes(self, vm):
        """What the guest wrote to its uart: each line plus its newline."""
        return sum(len(l) + 1 for l in self.guest_lines(vm))


def run(cmd, timeout=60, what="qemu"):
    """Runs cmd to its end; returns a Run of its output and error output. A hang fails
    (AssertionError) with the console tail."""
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace")
        raise AssertionError("%s did not finish in %ds\n--- console tail ---\n%s" %
                             (what, timeout, "\n".join(out.splitlines()[-TAIL:])))
    return Run(p.stdout.decode(errors="replace") + p.stderr.decode(errors="replace"), p.returncode)


def qemu(args, append=None, timeout=60, smp=1, machine=None, hyp_bin=HYP_BIN, **kw):
    """Boots hyp.bin (machine: a QEMU prefix from qemu_with; kw: command()'s); returns a
    Run. A hang fails with the console tail."""
    if machine:
        cmd = [*machine, *cpus(smp, append), "-kernel", str(hyp_bin), *args]
    else:
        cmd = command(args, hyp_bin, append, smp, **kw)
    return run(cmd, timeout)


def boot(vms, **kw):
    return qemu([], append="hyp.vms=" + vms, **kw)


def disk_args(image):
    """QEMU's options for the board's disk, as make run gives them (version 2 virtio-mmio)"""
    return ["-drive", "file=%s,if=none,format=raw,id=disk" % image,
            "-device", "virtio-blk-device,drive=disk", "-global", "virtio-mmio.force-legacy=false"]


# virt's virtio-mmio slot for a disk a VM owns (vms/board-virt.conf): QEMU fills the slots
# from the top, the first -devices (the hypervisor's disk and card) go to the top slots'
# page (24-31); bus= puts this one in slot 16, on a page of its own (a stage-2 page holds
# eight slots), the first one past the guest board's own slots (0-15)
PT_SLOT = 16


def pt_disk_args(image):
    """QEMU's options for a second virtio-blk, in slot PT_SLOT (with disk_args, version 2)"""
    return ["-drive", "file=%s,if=none,format=raw,id=ptdisk" % image,
            "-device", "virtio-blk-device,drive=ptdisk,bus=virtio-mmio-bus.%d" % PT_SLOT]


def net_args():
    """the board's network card as make run gives it: QEMU's user network, closed to the
    outside (restrict=on), as the switch's uplink; with disk_args, which says version 2"""
    return ["-netdev", "user,id=net0,restrict=on", "-device", "virtio-net-device,netdev=net0"]


def disk_ranges(conf=ROOT / "vms" / "test.conf"):
    """{vm: (start, size)} in bytes: each VM's range of the board's disk (tools/mkguests.py)"""
    import mkguests
    _, guests, _ = mkguests.parse(str(conf))
    end = mkguests.lay_out_disks(guests)
    return {g["name"]: (g["disk_start_mib"] << 20, g["disk_mib"] << 20)
            for g in guests if g["disk_mib"]}, end << 20


# a trap table's row: class, name, count, share, and (with hyp cycles) cycles, mean, and the
# worst trap: its cycles, pc, vm.vcpu; hypstat's rows (guest-tools/hypstat.c) name the vcpu alone
ROW_HEAD = r"^  (0x[0-9a-f]{2}|-)\s+(.+?)\s+(\d+)\s+[\d.]+%"
ROW = re.compile(ROW_HEAD + r"(?:\s+(\d+)\s+[\d.]+(?:\s+(\d+) ([0-9a-f]{8}) (\d+)\.(\d+))?)?$")
HYPSTAT_ROW = re.compile(ROW_HEAD + r"\s+(\d+)\s+[\d.]+\s+\d+ [0-9a-f]{8} \d+$")


def hypstat_rows(text):
    """{class name: (count, hyp cycles)} from one of hypstat's tables"""
    return {m.group(2): (int(m.group(3)), int(m.group(4)))
            for m in map(HYPSTAT_ROW.match, text.splitlines()) if m}


def parse_tables(out):
    """{title: {"ec": {ec: n}, "irq", "total", "hvc": {...}, "mmio": {...}, "worst": {ec or "-":
    (hyp cycles, pc, vm, vcpu)}, "ram_blocks",
    "ram_faults" (stage-2 aborts that populated ram, counted in ec 0x20/0x24 too), "switches", "injected"}}"""
    tables, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"^trap log: (.*)$", line)
        if m:
            cur = tables.setdefault(m.group(1), {"ec": {}, "hvc": {}, "mmio": {}})
            continue
        if cur is None:
            continue
        m = ROW.match(line)
        if m:
            if m.group(1) == "-":
                cur["irq"] = int(m.group(3))
            else:
                cur["ec"][int(m.group(1), 16)] = int(m.group(3))
            if m.group(4) is not None:
                cur.setdefault("cycles", {})[m.group(1)] = int(m.group(4))
            if m.group(5) is not None:
                row = "-" if m.group(1) == "-" else int(m.group(1), 16)
                cur.setdefault("worst", {})[row] = (int(m.group(5)), int(m.group(6), 16),
                                                    int(m.group(7)), int(m.group(8)))
        elif re.match(r"^\s+total\s+\d+(\s+\d+)?$", line):
            cur["total"] = int(line.split()[1])
            if len(line.split()) == 3:
                cur["total_cycles"] = int(line.split()[2])
        elif line.startswith("  hvc/smc:") or line.startswith("  mmio:"):
            # "name count" pairs, printed a piece at a time: another cpu's lines
            # may cut into them (two cpus stopping at once); a torn pair is left out. devices
            # of one name (two forwarded regions, two shared blocks) are summed
            w, d = line.split(), {}
            for i in range(1, len(w) - 1, 2):
                if w[i + 1].isdigit():
                    d[w[i]] = d.get(w[i], 0) + int(w[i + 1])
            cur["hvc" if w[0] == "hvc/smc:" else "mmio"] = d
        elif line.startswith("  ram:"):
            m = re.match(r"^  ram: (\d+) of \d+ blocks of 2 MiB in use, (\d+) aborts were first touches$",
                         line)
            cur["ram_blocks"], cur["ram_faults"] = int(m.group(1)), int(m.group(2))
        elif line.startswith("  world switches"):
            m = re.match(r"^  world switches (\d+), exceptions injected (\d+)$", line)
            cur["switches"], cur["injected"] = int(m.group(1)), int(m.group(2))
            cur = None
    return tables


def spawn(append=None, smp=1, hyp_bin=HYP_BIN, timeout=120, args=(), **kw):
    """An interactive boot: QEMU under pexpect, for tests that type into a guest. args:
    more QEMU options (a disk, a network card); kw: command()'s (mem, bare, icount...)."""
    import pexpect
    cmd = command(args, hyp_bin, append, smp, **kw)
    return pexpect.spawn(cmd[0], cmd[1:], timeout=timeout, encoding="utf-8",
                         codec_errors="replace")


def poweroff_and_wait(q, *expect):
    """Types poweroff into the focused guest's shell; waits for the lines given, the board's
    power-off and the end of QEMU; returns QEMU's exit status."""
    q.sendline("poweroff")
    for line in expect:
        q.expect_exact(line)
    q.expect_exact("hyp: no VM left running: powering off")
    q.expect(__import__("pexpect").EOF)
    q.close(force=True)
    return q.exitstatus


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# one instruction a nanosecond: virtual time is the guests' and the hypervisor's work
# alone, whatever else the host runs (the neighbour's tick latencies are exact)
ICOUNT = ["-icount", "shift=0"]


def boot_and_dump(vms, timeout=60, keep=None, extra="", hyp_bin=HYP_BIN, args=()):
    """Boots with -no-shutdown, waits for the board to power off, then dumps the trap
    log with the QEMU monitor's pmemsave. Returns (Run, parsed log)."""
    with tempfile.TemporaryDirectory() as d:
        sock, dump = os.path.join(d, "mon"), os.path.join(d, "log.bin")
        cmd = [*QEMU, *args, *cpus(1, "hyp.vms=" + vms + extra), "-kernel", str(hyp_bin),
               "-no-shutdown", "-monitor", "unix:%s,server,nowait" % sock]
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        out = b""
        try:
            os.set_blocking(p.stdout.fileno(), False)
            deadline = time.time() + timeout
            while b"powering off" not in out:
                assert time.time() < deadline, "no power-off\n" + out.decode()[-3000:]
                if p.poll() is not None:        # a hypervisor panic, or qemu itself
                    out += p.stdout.read() or b""
                    raise AssertionError("qemu exited with status %d before the power-off\n%s"
                                         % (p.returncode, out.decode(errors="replace")[-3000:]))
                out += p.stdout.read() or b""
                time.sleep(0.05)
            text = out.decode(errors="replace")
            m = re.search(r"trap log  0x([0-9a-f]+), (\d+) bytes", text)
            addr, size = int(m.group(1), 16), int(m.group(2))
            s = socket.socket(socket.AF_UNIX)
            s.connect(sock)
            s.sendall(b"pmemsave %d %d \"%s\"\n" % (addr, size, dump.encode()))
            s.sendall(b"info status\n")
            got = b""
            while b"VM status:" not in got:
                got += s.recv(4096)
            s.close()
            assert os.path.exists(dump), "pmemsave failed: " + got.decode(errors="replace")
            log = traplog.parse(open(dump, "rb").read())
            if keep:
                os.replace(dump, keep)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
    return Run(text, 0), log


def neighbour_untouched(run, vm="neighbour", late_ms=20):
    """The neighbour stub (vm) ran beside other VMs until they stopped, under ICOUNT: its
    checksums never changed, no timer tick was lost, none came later than two 10 ms
    slices (the other VM's slice ends; late_ms None: not looked at, for a run in real
    time, where the host's load shows). Returns the latest tick's lateness in us."""
    lines = run.guest_lines(vm)
    assert len(lines) == 3, run.tail()
    assert re.fullmatch(r"neighbour: \d+ checksums of 8 MiB, 0 differ from the first", lines[0]), \
        run.tail()
    m = re.fullmatch(r"neighbour: (\d+) timer ticks for (\d+) deadlines, none lost; "
                     r"latest (\d+) us late", lines[1])
    assert m and m.group(1) == m.group(2) and int(m.group(1)) > 0, run.tail()
    assert late_ms is None or int(m.group(3)) <= late_ms * 1000, run.tail()  # not starved
    assert re.fullmatch(r"neighbour: \d+ checksums in \d+ us of virtual time", lines[2]), run.tail()
    return int(m.group(3))


def log_consistent(run, log, vm):
    """After boot_and_dump(vm first, ...): the per-EC rows sum to the total, in the dump
    and on the UART, which agree; each CPU's ring's sequence numbers have no holes; no panic,
    no FAIL, and the board powered off. Returns vm's UART table."""
    t = run.tables["vm 0 (%s)" % vm]
    assert sum(t["ec"].values()) + t["irq"] == t["total"], run.tail()
    for v in log["vms"]:
        for c in v["vcpus"]:
            assert sum(c["ec"]) + c["irq"] == c["total"], v["name"]
    s = traplog.vm_sum(log["vms"][0])
    assert {ec: n for ec, n in enumerate(s["ec"]) if n} == t["ec"], run.tail()
    assert (s["irq"], s["total"], s["injected"]) == (t["irq"], t["total"], t["injected"])
    assert traplog.rings_whole(log)
    assert "PANIC" not in run.out and "FAIL" not in run.out, run.tail()
    assert "hyp: no VM left running: powering off" in run.out, run.tail()
    return t


# --- the benchmarks' side ----------------------------------------------------------------

def made_by(target):
    """how a benchmark's figures were made, for its Markdown: `make TARGET` on virt; on
    another board the PLATFORM= that chose it, and the day"""
    if PLATFORM == "virt":
        return "`make %s`" % target
    return "`make %s PLATFORM=%s` on %s" % (target, PLATFORM, datetime.date.today().isoformat())


def write_md(path, lines, keep=None):
    """Writes lines to path; the section of the old file from the heading keep on (its
    hand-written accounting, say) stays below them."""
    try:
        old = Path(path).read_text()
    except OSError:
        old = ""
    kept = old[old.index(keep):] if keep and keep in old else ""
    Path(path).write_text("\n".join(lines) + "\n" + ("\n" + kept if kept else ""))
