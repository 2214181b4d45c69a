"""
the gdb helpers (tools/gdb/hyp.gdb, hyp.py) against a live hypervisor.

qemu runs the hvc stub halted behind its gdbstub on a free port; gdb, in
batch mode, stops at the hvc handler N times. trap_entry() counts a trap
before it calls the handler, so at the Nth stop vm 0 vcpu 0 has made exactly
N hvc calls: the raw counter, `hyp stats`, `hyp vms` and `hyp trace` must
all agree with that.

run: /usr/bin/python3 -m pytest tests/test_gdb.py  (after `make`)
"""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time

import pytest

from harness import HYP_BIN, QEMU as QEMU_CMD, ROOT, cpus

ELF = HYP_BIN.parent / "hyp.elf"       # vms/test.conf
BIN = HYP_BIN
GDB = "gdb-multiarch"
QEMU = QEMU_CMD[0]

N_STOPS = 10		# breakpoint hits, i.e. hvc calls counted at the last stop
GDB_TIMEOUT = 120	# seconds for the whole gdb session
TAIL = 60		# lines of output shown on a failure

pytestmark = pytest.mark.skipif(
    not (shutil.which(GDB) and shutil.which(QEMU)),
    reason="needs %s and %s" % (GDB, QEMU))


def free_port():
    """a tcp port nobody listens on right now (qemu takes it a moment later)"""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tail(text, n=TAIL):
    return "\n".join(text.splitlines()[-n:])


def start_qemu(log):
    """qemu halted at reset with its gdbstub on a free port: (proc, port)"""
    for _ in range(5):
        port = free_port()
        cmd = [*QEMU_CMD, *cpus(1, "hyp.vms=hvc"), "-kernel", str(BIN),
               "-gdb", "tcp:127.0.0.1:%d" % port, "-S"]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT)
        # the gdbstub listens as soon as qemu is up; if someone else took
        # the port in between, qemu exits at once: try another
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                # a bind that fails means qemu holds the port. (no connect:
                # that would be taken as the debugger's one connection.)
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    return proc, port
            time.sleep(0.05)
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
    raise RuntimeError("qemu would not start its gdbstub")


def section(out, name):
    """what gdb printed between `echo @@name` and the next marker"""
    m = re.search(r"^@@%s\n(.*?)(?=^@@|\Z)" % re.escape(name), out, re.S | re.M)
    assert m, "no %s section in gdb's output" % name
    return m.group(1)


def test_gdb_helpers_count_hvc():
    assert ELF.exists() and BIN.exists(), "build first: make"
    assert BIN.stat().st_mtime >= ELF.stat().st_mtime, \
        "hyp.bin is older than hyp.elf: make %s" % BIN.relative_to(ROOT)

    # the stub's null calls take trap_entry's fast path (traps.c), where
    # hypercall_null (nullcall.h) is inlined after the count: gdb breaks at
    # its inlined copies. should it ever be an ordinary function, stop in it
    # all the same.
    where = "hypercall_null"

    qlog = tempfile.TemporaryFile(mode="w+")
    proc = None
    out = ""
    try:
        proc, port = start_qemu(qlog)
        cmds = ["break " + where] + ["continue"] * N_STOPS + [
            "echo @@count\\n", "print traplog.vm[0].vcpu[0].row[0x12].count",
            "print traplog.vm[0].vcpu[0].total",
            "print traplog.ring[0].seq",
            "echo @@stats\\n", "hyp stats 0",
            "echo @@vms\\n", "hyp vms",
            "echo @@trace\\n", "hyp trace 5",
            "echo @@vcpu\\n", "hyp vcpu hvc 0",
            "echo @@end\\n", "kill"]
        argv = [GDB, "-q", "-batch", "-nx", "-x", "tools/gdb/hyp.gdb"]
        for c in cmds:
            argv += ["-ex", c]
        argv.append(str(ELF))
        env = dict(os.environ, HYP_GDB_REMOTE="127.0.0.1:%d" % port)
        try:
            r = subprocess.run(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, timeout=GDB_TIMEOUT)
            out = r.stdout + r.stderr
        except subprocess.TimeoutExpired as e:
            out = "%s%s\n(gdb timed out after %ds)" % (
                e.stdout.decode() if isinstance(e.stdout, bytes) else e.stdout or "",
                e.stderr.decode() if isinstance(e.stderr, bytes) else e.stderr or "",
                GDB_TIMEOUT)
            raise
        check(out)
    except BaseException:
        qlog.seek(0)
        print("--- gdb output (tail) ---\n%s\n--- qemu output (tail) ---\n%s"
              % (tail(out), tail(qlog.read(), 20)))
        raise
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
        if proc is not None:
            proc.wait(timeout=10)
        qlog.close()


def check(out):
    n = N_STOPS
    # (1.N: an inlined copy; "Thread N hit": a board whose QEMU has more than one cpu)
    stops = re.findall(r"^(?:Thread \d+ hit )?Breakpoint 1(?:\.\d+)?, ", out, re.M)
    assert len(stops) == n, "expected %d breakpoint stops, saw %d" % (n, len(stops))

    # the raw counters, read by gdb itself
    vals = [int(v) for v in re.findall(r"^\$\d+ = (\d+)$", section(out, "count"), re.M)]
    assert len(vals) == 3, "the counter prints failed"
    hvc, total, ring_seq = vals
    assert hvc == n, "traplog.vm[0].vcpu[0].row[0x12].count is %d, not %d" % (hvc, n)

    # hyp stats 0: the HVC row holds exactly n; the rows add up to the total
    stats = section(out, "stats")
    # (then the worst trap of the class: hyp cycles, pc, vm.vcpu, as the UART's)
    m = re.search(r"^\s+0x12\s+HVC\s+(\d+)\s+[\d.]+%\s+(\d+)\s+[\d.]+ +(\d+) ([0-9a-f]{8}) 0\.0$",
                  stats, re.M)
    assert m and int(m.group(1)) == n, "HVC row of hyp stats 0 is not %d" % n
    assert 0 < int(m.group(3)) <= int(m.group(2)), "the worst HVC is not one of the HVCs' cycles"
    rows = [int(c) for c in re.findall(
        r"^\s+(?:0x[0-9a-f]{2}|-)\s+.*?\s(\d+)\s+[\d.]+%\s+\d+\s+[\d.]+ +\d+ [0-9a-f]{8} \d+\.\d+$",
        stats, re.M)]
    m = re.search(r"^\s+total\s+(\d+)\s+\d+$", stats, re.M)
    assert m and int(m.group(1)) == total == sum(rows), \
        "hyp stats rows %s and total do not add up to %d" % (rows, total)
    # the uart line before the first hvc, if any, shows as DABT rows: only
    # reported here, since the count depends on the stub library
    dabt = re.search(r"^\s+0x24\s+DABT \(guest\)\s+(\d+)", stats, re.M)
    print("at hvc %d: %s dabt (uart) traps, %d in all" %
          (n, dabt.group(1) if dabt else "no", total))

    # hyp vms: vm 0 is the running hvc VM with one vcpu and that total
    m = re.search(r"^\s+0\s+hvc\s+running\s+1\s+(\d+)\s", section(out, "vms"), re.M)
    assert m and int(m.group(1)) == total, "hyp vms does not list vm 0 with %d traps" % total

    # hyp trace 5: five records of cpu 0's ring, consecutive, the last one the hvc
    # being handled (its cost not known yet: 0)
    recs = re.findall(r"^\s*0\s+(\d+)\s+(\d+)\s+(?:-|\d+)\s+(\d+)\.(\d+)\s+(\S+)\s+(.+?)\s+"
                      r"([0-9a-f]{8})\s+([0-9a-f]{8})\s+([0-9a-f]+)\s+(\d+)\s+(\d+)$",
                      section(out, "trace"), re.M)
    assert len(recs) == 5, "hyp trace 5 printed %d records" % len(recs)
    seqs = [int(r[0]) for r in recs]
    assert seqs == list(range(ring_seq - 4, ring_seq + 1)), \
        "trace sequence numbers %s do not end at ring_seq %d" % (seqs, ring_seq)
    stamps = [int(r[1]) for r in recs]
    assert stamps == sorted(stamps), "trace timestamps go backwards"
    last = recs[-1]
    assert (last[2], last[3], last[4], last[5]) == ("0", "0", "0x12", "HVC"), \
        "last trace record is not vm 0.0's hvc: %s" % (last,)
    assert int(last[6], 16) >> 26 == 0x12, "last record's hsr has EC %#x" % (int(last[6], 16) >> 26)
    # the running exit count, like the seed's: the last is the VM's total, back by one each
    assert [int(r[10]) for r in recs] == list(range(total - 4, total + 1)), recs
    assert int(last[9]) == 0 and all(int(r[9]) > 0 for r in recs[:-1]), recs

    # hyp vcpu: the saved pc is the one the trap was logged with
    vcpu = section(out, "vcpu")
    m = re.search(r"\bpc\s+([0-9a-f]{8})\b", vcpu)
    assert m and m.group(1) == last[7], "hyp vcpu pc differs from the trace's"
    assert re.search(r"^\s+cpsr\s+[0-9a-f]{8}\s+\S+ \S+ (svc|usr|sys)", vcpu, re.M), \
        "hyp vcpu cpsr not decoded"
