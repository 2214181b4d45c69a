#!/usr/bin/python3
"""make bench / make bench-quick: the seed's benchmark table (its Figure 4), redone.

Five workloads (tools/bench_workloads.sh: sox IMA ADPCM, toast GSM 06.10, rhash
CRC-32, sox's FFT convolution, cjpeg/djpeg) are timed
  Local     natively on this machine (Debian's amd64 builds of the same programs)
  Bare      in the Debian guest on bare QEMU (-M virt), no hypervisor
  One       in one guest under the hypervisor
  Shared    in two guests time-sharing one physical CPU (each guest's figures)
  Parallel  in two guests on two physical CPUs (each guest's figures)
Every QEMU configuration boots twice: once as it is, for wall-clock real/user/sys
times, and once under -icount shift=0,sleep=off, where the guest's clock advances
1 ns per instruction QEMU executes, so its "real" is a deterministic instruction
count. The guests print, per run, the times and the traps their VM took meanwhile
(hypstat -t). Each cell is the median of the runs; the CSV keeps min and max.

Usage: tools/bench_mibench.py full|quick OUT_DIR
Writes OUT_DIR/results.md, results.csv, slowdown.png; exits 1 if a cell is missing.
       tools/bench_mibench.py --replot OUT_DIR
redraws OUT_DIR/slowdown.png from OUT_DIR/results.csv, running nothing.
"""
import concurrent.futures
import csv
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

import harness

ROOT = str(harness.ROOT)
HYP = str(harness.BUILD / "bench" / "hyp.bin")
MANIFEST = os.path.join(ROOT, "vms/bench.conf")
KERNEL = os.path.join(ROOT, "build/guest/zImage")
INITRD = os.path.join(ROOT, "build/bench/initramfs-bench.cpio.gz")
WORKLOADS_SH = os.path.join(ROOT, "tools/bench_workloads.sh")
WORKLOADS = ["adpcm", "gsm", "crc32", "fft", "jpeg"]
SEED_NAMES = {"adpcm": "telecomm/adpcm", "gsm": "telecomm/gsm", "crc32": "telecomm/CRC32",
              "fft": "telecomm/FFT", "jpeg": "consumer/jpeg"}
ICOUNT = ["-icount", "shift=0,sleep=off"]
CYCLES = {"full": 2, "quick": 1}    # wall-clock boots per configuration, in turn
METRICS = ["real", "user", "sys", "icount"]     # icount: the guest's real under -icount, s
EC_NAMES = {0x01: "WFI/WFE", 0x03: "CP15", 0x04: "CP15 64-bit", 0x05: "CP14", 0x07: "VFP (HCPTR)",
            0x12: "HVC", 0x13: "SMC", 0x20: "PABT", 0x24: "DABT (MMIO)"}

# (key, column title, the VMs of bench.conf it boots, qemu -smp); vm None is bare qemu
CONFIGS = [
    ("bare", "Bare QEMU", [None], 1),
    ("one", "One guest", ["%s"], 1),
    ("shared", "Two guests, one CPU", ["%s", "%s-s"], 1),
    ("parallel", "Two guests, two CPUs", ["%s", "%s-p"], 2),
]


def fail(msg):
    sys.exit("bench: error: " + msg)


def bootargs(vm):
    """the command line bench.conf gives the VM, so that bare qemu gets the same"""
    cur = None
    for line in open(MANIFEST):
        m = re.match(r"^vm (\S+)", line)
        if m:
            cur = m.group(1)
        m = re.match(r"^\s+bootargs\s*=\s*(.*)$", line)
        if m and cur == vm:
            return m.group(1).strip()
    fail("no vm %s with bootargs in %s" % (vm, MANIFEST))


# a result line, as hypstat -t prints it (guest-tools/hypstat.c), "[vm] " in front
# under the hypervisor: anything that starts like one must be one, whole
LINE = re.compile(r"^(?:\[(\S+)\] )?(bench|traps) (\w+)\.(\d+)(?: (.*))?$")
FIELDS = {"bench": re.compile(r"status=\d+ real=\d+\.\d+ user=\d+\.\d+ sys=\d+\.\d+"),
          "traps": re.compile(r"total=\d+ irq=\d+ switches=\d+(?: ec\w+=\d+)*")}
GLUED = re.compile(r".\[\S+\] (?:bench|traps) \w+\.\d+ ")   # one run into another line
TRIES = 3           # boots of one configuration, when a result line comes out malformed


NOTES = []        # what went wrong without spoiling the figures, for results.md
MALFORMED = []    # the consoles kept of boots with a malformed result line
OUT_DIR = ["."]   # where they are kept: main() sets it


def run_qemu(cmd, marks, timeout, grace=15):
    """runs QEMU to its end; returns (console text, exit status). When every guest
    has printed its mark but QEMU is still running `grace` seconds later (a guest
    that did not power off), it is stopped, the fact noted, and the status is 0."""
    with tempfile.TemporaryFile() as f:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT)
        t0, done_at = time.monotonic(), None
        while p.poll() is None:
            time.sleep(0.5)
            f.seek(0)
            out = f.read().decode(errors="replace").replace("\r", "")
            now = time.monotonic()
            if done_at is None and all(m in out for m in marks):
                done_at = now
            if done_at is not None and now - done_at > grace:
                p.kill()
                p.wait()
                NOTES.append("`%s`: every guest finished its runs, but QEMU had not ended %d s "
                             "later (a guest that did not power off); the harness stopped it. "
                             "Console tail: `%s`" % (" ".join(cmd[cmd.index("-smp"):]), grace,
                                                    " / ".join(out.strip().splitlines()[-3:])))
                return out, 0
            if now - t0 > timeout:
                p.kill()
                p.wait()
                fail("%s did not finish in %d s:\n%s" % (" ".join(cmd), timeout, out[-3000:]))
        f.seek(0)
        return f.read().decode(errors="replace").replace("\r", ""), p.returncode


class Malformed(Exception):
    """a console line that starts like a result line but is not a whole one"""


def parse(out, names):
    """{vm: {workload: {run: {metric: value, "traps": {...}}}}} from a boot's console.
    Raises Malformed for a line that starts like a result but is cut or has something
    else run into it, or a VM's result that follows other text on its line: the
    guest's own kernel can print a message between a line's text and its newline
    (n_tty writes the two apart), and a console multiplexer may cut a line or put one
    after another's unfinished text; either way the boot's figures are not whole."""
    res = {n: {} for n in names}
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            if GLUED.search(line):
                raise Malformed(line)
            continue
        vm = m.group(1) or "bare"
        if vm not in res or not FIELDS[m.group(2)].fullmatch(m.group(5) or ""):
            raise Malformed(line)
        kv = dict(f.split("=", 1) for f in m.group(5).split())
        run = res[vm].setdefault(m.group(3), {}).setdefault(int(m.group(4)), {})
        if m.group(2) == "bench":
            if kv["status"] != "0":
                fail("%s: %s run %s failed (status %s)\n%s" % (vm, m.group(3), m.group(4),
                                                              kv["status"], out[-3000:]))
            run.update({k: float(kv[k]) for k in ("real", "user", "sys")})
        else:
            run["traps"] = {k: int(v) for k, v in kv.items()}
    return res


def boot(vms, smp, prefix, icount, timeout, what):
    """one QEMU run; returns {vm: {workload: [run dicts]}} (vm "bare" for bare qemu).
    A boot whose console has a malformed result line is named, its console kept in
    OUT_DIR, and run again, up to TRIES boots in all."""
    if vms == [None]:       # on the guests' board
        cmd = harness.command(["-initrd", INITRD], KERNEL, bootargs(prefix), mem=256, bare=True)
        names = ["bare"]
    else:
        names = [v % prefix for v in vms]
        cmd = harness.command([], HYP, "hyp.vms=" + ",".join(names), smp=smp)
    cmd += ICOUNT if icount else []
    marks = ["[%s] bench: done" % n if n != "bare" else "bench: done" for n in names]
    for attempt in range(1, TRIES + 1):
        out, rc = run_qemu(cmd, marks, timeout)
        done = [n for n, mark in zip(names, marks) if mark in out]
        if rc != 0 or len(done) != len(names):
            fail("%s: exit status %s, finished: %s\n%s" % (" ".join(cmd), rc, done, out[-3000:]))
        try:
            res = parse(out, names)
            break
        except Malformed as e:
            keep = os.path.join(OUT_DIR[0], "malformed-%d.txt" % (len(MALFORMED) + 1))
            MALFORMED.append(keep)
            with open(keep, "w") as f:
                f.write("# %s, boot %d of %d: `%s`\n# malformed result line: %r\n\n%s" % (
                    what, attempt, TRIES, " ".join(cmd), e.args[0], out))
            msg = ("%s, boot %d: a malformed result line `%s` (console kept in %s); %s" % (
                what, attempt, e.args[0], os.path.basename(keep),
                "the boot was run again" if attempt < TRIES else "given up"))
            NOTES.append(msg)
            print("bench: " + msg, file=sys.stderr, flush=True)
    else:
        fail("%s: a malformed result line in each of %d boots; see %s" % (what, TRIES, MALFORMED[-1]))
    return {vm: {w: [runs[i] for i in sorted(runs)] for w, runs in r.items()} for vm, r in res.items()}


def local(size, runs):
    """the Local column: the same command lines, natively"""
    res = {}
    with tempfile.TemporaryDirectory() as t:
        env = dict(os.environ, IN=os.path.join(ROOT, "build/bench/in", size), T=t)
        subprocess.run(["sh", WORKLOADS_SH, "prep"], env=env, check=True)
        for w in WORKLOADS:
            for _ in range(runs):
                t0 = time.monotonic()
                p = subprocess.Popen(["sh", WORKLOADS_SH, w], env=env)
                _, status, ru = os.wait4(p.pid, 0)
                real = time.monotonic() - t0
                p.returncode = status
                if status:
                    fail("local %s failed (status %d): is tools/setup.sh's sox, libgsm-tools, rhash, "
                         "libjpeg-turbo-progs installed?" % (w, status))
                res.setdefault(w, []).append({"real": real, "user": ru.ru_utime, "sys": ru.ru_stime})
    return res


def med(xs):
    return statistics.median(xs) if xs else None


def collect(size, prefix, runs, cycles, timeout, parallel):
    """cells[(config, guest index)][workload][metric] = list of values; traps likewise.
    The wall-clock boots go round the configurations `cycles` times, so that a spell of
    load on the machine falls on all of them alike; the icount boots, deterministic,
    go once."""
    cells, traps, columns = {}, {}, [("local", 0, "Local", "")]
    loc = local(size, runs * cycles)
    cells[("local", 0)] = {w: {m: [r[m] for r in loc[w]] for m in ("real", "user", "sys")}
                           for w in WORKLOADS}
    order = [("wall", c, cfg) for c in range(cycles) for cfg in CONFIGS]
    order_ic = [("icount", 0, cfg) for cfg in CONFIGS]

    def go(steps):
        got = []
        for mode, c, (key, title, vms, smp) in steps:
            what = "%s, %s%s" % (title, mode, ", round %d" % (c + 1) if mode == "wall" else "")
            print("bench: " + what, flush=True)
            got.append((mode, key, boot(vms, smp, prefix, mode == "icount", timeout, what)))
        return got

    if parallel:            # quick: wall and icount boots side by side; times are not the point
        with concurrent.futures.ThreadPoolExecutor(2) as ex:
            results = [r for part in ex.map(go, (order, order_ic)) for r in part]
    else:
        results = go(order + order_ic)
    for key, title, vms, smp in CONFIGS:
        for gi in range(len(vms)):
            columns.append((key, gi, title, "" if len(vms) == 1 else "guest %s" % "AB"[gi]))
            c = cells[(key, gi)] = {w: {m: [] for m in METRICS} for w in WORKLOADS}
            t = traps[(key, gi)] = {w: [] for w in WORKLOADS}
            for mode, k, res in results:
                if k != key:
                    continue
                runs_ = list(res.values())[gi]
                for w in WORKLOADS:
                    for r in runs_.get(w, []):
                        if mode == "wall":
                            for m in ("real", "user", "sys"):
                                c[w][m] += [r[m]] if m in r else []
                        else:
                            c[w]["icount"] += [r["real"]] if "real" in r else []
                            t[w] += [r["traps"]] if "traps" in r else []
    return cells, traps, columns


def missing_cells(cells, columns, runs, cycles):
    bad = []
    for key, gi, title, sub in columns:
        for w in WORKLOADS:
            for m in METRICS:
                if key == "local" and m == "icount":
                    continue
                if len(cells[(key, gi)][w].get(m, [])) != (runs if m == "icount" else runs * cycles):
                    bad.append("%s %s %s %s" % (title, sub, w, m))
    return bad


def fmt(xs, unit=" s"):
    if not xs:
        return "-"
    m, spread = med(xs), (max(xs) - min(xs)) / 2
    return "%.3f%s" % (m, unit) if len(xs) == 1 else "%.3f ±%.3f%s" % (m, spread, unit)


def ratio(cells, key, gi, w, m):
    base, x = med(cells[("bare", 0)][w][m]), med(cells[(key, gi)][w][m])
    return x / base if base and x is not None else None


TARGETS = [  # (config, metric, at most, what)
    ("one", "icount", 1.03, "one guest, guest instructions (icount)"),
    ("one", "real", 1.15, "one guest, wall time"),
    ("shared", "icount", 2.06, "two guests sharing one CPU, each, icount"),
    ("shared", "real", 2.06, "two guests sharing one CPU, each, wall time"),
    ("parallel", "real", 1.05, "two guests on two CPUs, each, wall time"),
]


def machine():
    cpu = "unknown cpu"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    qemu = subprocess.run([harness.QEMU_BIN, "--version"], capture_output=True, text=True).stdout
    return "%s, %d cores, %s %s; %s" % (cpu, os.cpu_count(), platform.system(), platform.release(),
                                       qemu.splitlines()[0])


def report(size, runs, cycles, cells, traps, columns, out, load, elapsed):
    heads = ["%s%s" % (t, ": " + s if s else "") for _, _, t, s in columns]
    md = ["# The seed's benchmark table, redone (%s)" % harness.made_by(
        "bench-quick" if size == "quick" else "bench"), "",
          "Machine: %s. Load average before/after: %s / %s (when other jobs share the cores, the "
          "wall times are noisy; the icount figures are not). Each cell is the median ± half the "
          "range of %d sample%s: %d run%s in each of %d boot%s, the boots of all configurations "
          "taken in turn (icount cells: the %d run%s of one boot). %s inputs; %.0f s in all." % (
              machine(), load[0], load[1], runs * cycles, "s" if runs * cycles > 1 else "", runs,
              "s" if runs > 1 else "", cycles,
              "s" if cycles > 1 else "", runs, "s" if runs > 1 else "", size.capitalize(), elapsed),
          "",
          "Rows: real, user and sys are the guest's own figures (wall clock: QEMU without icount); "
          "icount is the guest's real time under `-icount shift=0,sleep=off`, where 1 ns is one "
          "instruction QEMU executed: deterministic, and for the one-CPU columns exactly the "
          "instructions the CPU ran (guest, hypervisor and, when shared, the other guest). With two "
          "CPUs, icount makes QEMU run them in turn on one shared virtual clock, so a guest's icount "
          "figure also counts what the other CPU ran meanwhile, and how the turns fall changes from "
          "run to run: in the two-CPU columns that row measures QEMU's scheduling of its CPUs, not "
          "the hypervisor, and the two-CPU target is read from the wall times.",
          "",
          "| workload | | " + " | ".join(heads) + " |",
          "|---|---|" + "---:|" * len(heads)]
    for w in WORKLOADS:
        for m in METRICS:
            row = []
            for key, gi, _, _ in columns:
                xs = cells[(key, gi)][w].get(m, [])
                row.append("n/a" if key == "local" and m == "icount" else fmt(xs))
            md.append("| %s | %s | %s |" % (SEED_NAMES[w] if m == "real" else "", m, " | ".join(row)))
    # slowdown against bare qemu
    rat_cols = [(k, gi, t, s) for k, gi, t, s in columns if k not in ("local", "bare")]
    md += ["", "## Slowdown against bare QEMU (median / median)", "",
           "| workload | metric | " + " | ".join("%s%s" % (t, ": " + s if s else "") for _, _, t, s in rat_cols)
           + " |", "|---|---|" + "---:|" * len(rat_cols)]
    for w in WORKLOADS:
        for m in ("real", "icount"):
            md.append("| %s | %s | %s |" % (w, "wall" if m == "real" else m, " | ".join(
                "%.3fx" % ratio(cells, k, gi, w, m) for k, gi, _, _ in rat_cols)))
    md += ["", "## Targets (the worst workload and guest)", "", "| target | at most | measured | |",
           "|---|---:|---:|---|"]
    for key, m, limit, what in TARGETS:
        worst = max(ratio(cells, k, gi, w, m) for k, gi, _, _ in rat_cols if k == key for w in WORKLOADS)
        md.append("| %s | %.2fx | %.3fx | %s |" % (what, limit, worst, "met" if worst <= limit else "MISSED"))
    # the trap profile
    ecs = sorted({int(k[2:], 16) for t in traps.values() for runs in t.values() for r in runs
                  for k in r if k.startswith("ec")})
    md += ["", "## Trap profile: the exits each workload caused (icount runs, median per run)", "",
           "Read in the guest by `hypstat -t` from the trap log (`traplog = own`): the VM's "
           "counters before and after the workload. Exits per second are per second of icount time.",
           "", "| config | workload | exits | per s | IRQ | " +
           " | ".join("%s (0x%02x)" % (EC_NAMES.get(e, "EC"), e) for e in ecs) + " | world switches |",
           "|---|---|" + "---:|" * (4 + len(ecs))]
    for key, gi, title, sub in columns:
        if not any(traps.get((key, gi), {}).values()):
            continue        # local and bare qemu: no trap log
        for w in WORKLOADS:
            runs_ = traps[(key, gi)][w]
            if not runs_:   # its trap lines never came whole: say so, do not guess
                NOTES.append("%s%s, %s: no trap-log record in any icount run" % (
                    title, ": " + sub if sub else "", w))
                continue
            g = lambda f: med([r.get(f, 0) for r in runs_])
            secs = med(cells[(key, gi)][w]["icount"])
            md.append("| %s | %s | %d | %.0f | %d | %s | %d |" % (
                title + (": " + sub if sub else ""), w, g("total"), g("total") / secs, g("irq"),
                " | ".join("%d" % g("ec0x%02x" % e) for e in ecs), g("switches")))
    if NOTES:
        md += ["", "## Notes from this run", ""] + ["- " + n for n in NOTES]
    md += ["", "![slowdown against bare QEMU](slowdown.png)", ""]
    open(os.path.join(out, "results.md"), "w").write("\n".join(md))
    with open(os.path.join(out, "results.csv"), "w", newline="") as f:
        wr = csv.writer(f)
        wr.writerow(["config", "guest", "workload", "metric", "median", "min", "max", "runs"])
        for key, gi, _, _ in columns:
            for w in WORKLOADS:
                for m in METRICS:
                    xs = cells[(key, gi)][w].get(m, [])
                    if xs:
                        wr.writerow([key, "AB"[gi], w, m, "%.6f" % med(xs), "%.6f" % min(xs),
                                     "%.6f" % max(xs), len(xs)])
                for e, n in sorted({k: med([r.get(k, 0) for r in traps[(key, gi)][w]])
                                    for r in traps.get((key, gi), {}).get(w, []) for k in r}.items()):
                    wr.writerow([key, "AB"[gi], w, "traps:" + e, n, "", "", ""])
    chart(cells, rat_cols, os.path.join(out, "slowdown.png"))
    return "\n".join(md)


def chart(cells, rat_cols, path):
    """the slowdown bars. The instruction panel leaves out the two-CPU columns: under
    -icount QEMU runs the two CPUs in turn on one clock, so those bars would show how
    QEMU took its turns, not what the hypervisor costs (results.md says so too)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    colours = {(k, gi): "C%d" % i for i, (k, gi, _, _) in enumerate(rat_cols)}
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.8), sharey=True)
    top = 0
    for ax, m, title, cols in (
            (axes[0], "real", "wall time (no icount)", rat_cols),
            (axes[1], "icount", "instructions (-icount shift=0), one CPU only",
             [c for c in rat_cols if c[0] != "parallel"])):
        width = 0.8 / len(cols)
        for i, (k, gi, t, s) in enumerate(cols):
            xs = [j + (i - (len(cols) - 1) / 2) * width for j in range(len(WORKLOADS))]
            ys = [ratio(cells, k, gi, w, m) for w in WORKLOADS]
            top = max([top] + ys)
            ax.bar(xs, ys, width, color=colours[(k, gi)], label="%s%s" % (t, ", " + s if s else ""))
        for y in (1.0, 2.0):
            ax.axhline(y, color="grey", linewidth=0.8, linestyle="--")
        ax.set_xticks(range(len(WORKLOADS)), WORKLOADS)
        ax.set_title(title)
    axes[0].set_ylabel("slowdown against bare QEMU (x)")
    axes[0].set_ylim(0, top * 1.4)        # room above the bars for the legend
    axes[0].legend(fontsize=8, loc="upper left", ncol=2)
    if any(k == "parallel" for k, _, _, _ in rat_cols):
        axes[1].text(0.5, -0.16, "two guests on two CPUs left out here: under -icount QEMU runs "
                     "the CPUs in turn,\nso their figures measure QEMU's turn-taking, not the "
                     "hypervisor", transform=axes[1].transAxes, ha="center", va="top", fontsize=8)
    fig.suptitle("Five workloads under the hypervisor, relative to the same Debian guest on bare QEMU")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def replot(out):
    """slowdown.png again from OUT/results.csv's medians, without running anything"""
    cells, keys = {}, set()
    path = os.path.join(out, "results.csv")
    if not os.path.exists(path):
        fail("%s is missing: --replot redraws the chart of a finished run" % path)
    for r in csv.DictReader(open(path)):
        if r["metric"] in METRICS:
            key = (r["config"], "AB".index(r["guest"]))
            keys.add(key)
            cells.setdefault(key, {}).setdefault(r["workload"], {})[r["metric"]] = [float(r["median"])]
    titles = {key: title for key, title, _, _ in CONFIGS}
    rat_cols = [(key, gi, titles[key], "" if len(vms) == 1 else "guest %s" % "AB"[gi])
                for key, _, vms, _ in CONFIGS if key != "bare"
                for gi in range(len(vms)) if (key, gi) in keys]
    chart(cells, rat_cols, os.path.join(out, "slowdown.png"))
    print("bench: %s redrawn from %s" % (os.path.join(out, "slowdown.png"), path))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--replot":
        return replot(sys.argv[2])
    if len(sys.argv) != 3 or sys.argv[1] not in ("full", "quick"):
        fail("usage: tools/bench_mibench.py full|quick OUT_DIR, or --replot OUT_DIR")
    size, out = sys.argv[1], sys.argv[2]
    prefix = {"full": "mibench", "quick": "mibq"}[size]
    runs = int(re.search(r"bench\.runs=(\d+)", bootargs(prefix)).group(1))
    for f in (HYP, KERNEL, INITRD):
        if not os.path.exists(f):
            fail("%s is missing: make all CONFIG=vms/bench.conf builds it" % f)
    os.makedirs(out, exist_ok=True)
    OUT_DIR[0] = out
    load0, t0 = "%.2f" % os.getloadavg()[0], time.monotonic()
    cycles = CYCLES[size]
    cells, traps, columns = collect(size, prefix, runs, cycles, 3000 if size == "full" else 300,
                                    size == "quick")
    text = report(size, runs, cycles, cells, traps, columns, out, (load0, "%.2f" % os.getloadavg()[0]),
                  time.monotonic() - t0)
    print(text)
    bad = missing_cells(cells, columns, runs, cycles)
    if bad:
        fail("cells missing: " + "; ".join(bad))


if __name__ == "__main__":
    main()
