#!/usr/bin/python3
"""Decode a raw dump of the hypervisor's trap log (hyp/core/include/traplog.h).

Usage: tools/traplog DUMP              print each VM's per-EC table
       tools/traplog DUMP -o PREFIX    and write PREFIX.txt, PREFIX.csv (per VM, vCPU
                                       and class) and PREFIX.png (the ring's traps per
                                       class over time)

Take the dump from gdb (`dump memory log.bin &traplog ((char *)&traplog) + sizeof(traplog)`)
or from the QEMU monitor (`pmemsave ADDR SIZE log.bin`, ADDR and SIZE from the banner's
"trap log" line).

The sizes, counts and offsets come from traplog.h through build/include/consts.py, which
make writes (hyp/core/consts.c); the record formats below are checked against them.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "build", "include"))
try:
    import consts
except ImportError:
    sys.exit("traplog: build/include/consts.py is missing: make writes it (hyp/core/consts.c)")

VERSION = 8                                     # the trap log version this decoder reads
MAGIC = consts.TRAPLOG_MAGIC
HEADER = struct.Struct("<IHHIIIIIIQII")        # magic ... reserved[2]: up to the ring heads
RING_HEAD = struct.Struct("<IIII16x")           # seq, recording, hyp_cycles, hyp_cycles_start:
                                                # one per cpu, after the header
VM_HEAD = struct.Struct("<IHHII16sIIIIQ")      # the header's constants (magic, version, -, size),
                                                # id, name, nr_vcpus, state, nr_mmio_dev, -, cntfrq
NET = struct.Struct("<6sH8Q")                 # a switch port: mac, present, in/out frames and
                                                # bytes, drops full, spoofed, bad, unknown
NET_FIELDS = ("in_frames", "in_bytes", "out_frames", "out_bytes", "drop_full", "drop_spoof",
              "drop_bad", "drop_unknown")
REC = struct.Struct("<QIBBBBIIII")              # timestamp, seq, vm, vcpu, ec, flags, hsr, pc,
                                                # ipa, cost
MAX_VMS, MAX_VCPUS, MAX_CPUS = consts.TRAPLOG_MAX_VMS, consts.TRAPLOG_MAX_VCPUS, \
    consts.TRAPLOG_MAX_CPUS
RING_LEN, NR_EC = consts.TRAPLOG_RING_LEN, consts.TRAPLOG_NR_EC
NR_HVC, NR_MMIO = consts.TRAPLOG_NR_HVC_RANGE, consts.TRAPLOG_NR_MMIO_DEV
NR_QUEUES = consts.TRAPLOG_NR_QUEUES            # virtio kicks counted per device and queue
PAGE = consts.TRAPLOG_VMS                       # the header, padded
VM_SIZE = consts.TRAPLOG_VM_SIZE                # four pages per VM: all "own" maps
SIZE = consts.TRAPLOG_SIZE
MMIO_NAME = consts.TRAPLOG_MMIO_NAME_LEN
ROW_IRQ, ROW_MARK, ROW_CTL = consts.TRAPLOG_ROW_IRQ, consts.TRAPLOG_ROW_MARK, \
    consts.TRAPLOG_ROW_CTL
CTL_CALLS = {consts.HYP_CTL_START: "start", consts.HYP_CTL_SHUTDOWN: "shutdown",
             consts.HYP_CTL_DESTROY: "destroy", consts.HYP_CTL_RESET: "reset",
             consts.HYP_CTL_PIN: "pin"}
HVC_RANGES = ["arch", "psci", "std-hyp", "vendor-hyp", "other", "null", "yielding", "imm!=0"]
STATES = {consts.VM_EMPTY: "empty", consts.VM_RUNNING: "running", consts.VM_STOPPED: "stopped",
          consts.VM_CRASHED: "crashed"}
NR_ROWS = consts.TRAPLOG_NR_ROWS                # the exception classes, then IRQ
ROW = struct.Struct("<QQII8x")                  # count, hyp cycles, worst, worst's pc
# struct traplog_vcpu: its arrays and its single counters, by offset
VCPU_ARRAYS = {"hvc": (consts.TRAPLOG_VCPU_HVC, NR_HVC), "mmio": (consts.TRAPLOG_VCPU_MMIO, NR_MMIO),
               "notify": (consts.TRAPLOG_VCPU_NOTIFY, NR_MMIO * NR_QUEUES)}
VCPU_COUNTERS = {"total": consts.TRAPLOG_VCPU_TOTAL, "switches": consts.TRAPLOG_VCPU_SWITCHES,
                 "injected": consts.TRAPLOG_VCPU_INJECTED}
VCPU_RESERVED = 1                               # u64s


def _check_layout():
    """the formats above against traplog.h: a change there that this decoder does not
    follow stops it here, rather than have it misread dumps"""
    pairs = {"version": (VERSION, consts.TRAPLOG_VERSION),
             "header": (HEADER.size, consts.TRAPLOG_RING_HEADS),
             "ring head": (RING_HEAD.size, consts.TRAPLOG_RING_HEAD_SIZE),
             "vm head": (VM_HEAD.size, consts.TRAPLOG_VM_MMIO_NAMES),
             "row": (ROW.size, consts.TRAPLOG_ROW_SIZE),
             "record": (REC.size, consts.TRAPLOG_REC_SIZE),
             "net port": (NET.size, consts.TRAPLOG_NET_SIZE),
             "hvc ranges": (len(HVC_RANGES), NR_HVC),
             "vcpu counters": (8 * (sum(n for _, n in VCPU_ARRAYS.values()) + len(VCPU_COUNTERS) +
                                    VCPU_RESERVED) + NR_ROWS * ROW.size, consts.TRAPLOG_VCPU_SIZE)}
    bad = ["%s %d, traplog.h %d" % (k, a, b) for k, (a, b) in pairs.items() if a != b]
    if bad:
        raise ImportError("tools/traplog.py does not decode this traplog.h (%s): update it"
                          % "; ".join(bad))


_check_layout()


class TrapLogError(Exception):
    pass


def _vcpu(buf, off):
    v = {k: list(struct.unpack_from("<%dQ" % n, buf, off + at)) for k, (at, n) in VCPU_ARRAYS.items()}
    v.update({k: struct.unpack_from("<Q", buf, off + at)[0] for k, at in VCPU_COUNTERS.items()})
    rows = [ROW.unpack_from(buf, off + consts.TRAPLOG_VCPU_ROWS + k * ROW.size) for k in range(NR_ROWS)]
    v["ec"], v["cycles"] = [r[0] for r in rows[:NR_EC]], [r[1] for r in rows[:NR_EC]]
    v["irq"], v["irq_cycles"] = rows[ROW_IRQ][0], rows[ROW_IRQ][1]
    v["worst"], v["worst_pc"] = [r[2] for r in rows], [r[3] for r in rows]   # per row, IRQ last
    v["total_cycles"] = sum(v["cycles"]) + v["irq_cycles"]
    v["notify"] = [v["notify"][k * NR_QUEUES:(k + 1) * NR_QUEUES] for k in range(NR_MMIO)]
    return v


def _net(buf, off):
    """a port of the switch, or None where there is none"""
    mac, present, *counters = NET.unpack_from(buf, off)
    if not present:
        return None
    return dict(zip(NET_FIELDS, counters), mac=":".join("%02x" % b for b in mac))


def net_row(name, p):
    """a port's line, as the UART's"""
    return ("  %s %s: in %d (%d bytes), out %d (%d bytes), dropped: full %d spoofed %d bad %d "
            "unknown %d" % (name, p["mac"], *(p[k] for k in NET_FIELDS)))


def parse(buf):
    """Returns the log as a dict; raises TrapLogError on a bad dump."""
    if len(buf) < HEADER.size:
        raise TrapLogError("dump is %d bytes: too short for the header" % len(buf))
    if len(buf) >= 8 and struct.unpack_from("<I", buf, 0)[0] == MAGIC and \
            struct.unpack_from("<H", buf, 4)[0] != VERSION:
        raise TrapLogError("trap log version %d, this decoder reads version %d" % (
            struct.unpack_from("<H", buf, 4)[0], VERSION))
    if len(buf) < HEADER.size:
        raise TrapLogError("dump is %d bytes: too short for the header" % len(buf))
    magic, version, header_size, size, nr_vms, max_vcpus, nr_ec, ring_len, nr_rings, cntfrq, \
        _, _ = HEADER.unpack_from(buf, 0)
    if magic != MAGIC:
        raise TrapLogError("bad magic %#x (want %#x): not a trap log" % (magic, MAGIC))
    if version != VERSION:
        raise TrapLogError("trap log version %d, this decoder reads version %d" % (version, VERSION))
    if size != SIZE or header_size != PAGE or nr_rings > MAX_CPUS:
        raise TrapLogError("layout mismatch: size %d, header %d, %d rings" % (
            size, header_size, nr_rings))
    if len(buf) < size:
        raise TrapLogError("dump is %d bytes, the log is %d: truncated" % (len(buf), size))
    vms = []
    for i in range(nr_vms):
        off = PAGE + i * VM_SIZE
        _, _, _, _, vid, name, nr_vcpus, state, nr_mmio, _, _ = VM_HEAD.unpack_from(buf, off)
        names = [struct.unpack_from("%ds" % MMIO_NAME, buf, off + consts.TRAPLOG_VM_MMIO_NAMES +
                                    MMIO_NAME * k)[0].split(b"\0")[0].decode()
                 for k in range(nr_mmio)]
        base = off + consts.TRAPLOG_VM_VCPUS
        vcpus = [_vcpu(buf, base + j * consts.TRAPLOG_VCPU_SIZE) for j in range(nr_vcpus)]
        vms.append({"name": name.split(b"\0")[0].decode(), "id": vid, "state": STATES.get(state, state),
                    "mmio_names": names, "vcpus": vcpus, "net": _net(buf, off + consts.TRAPLOG_VM_NET)})
    rings = []
    for cpu in range(nr_rings):
        head, recording, cycles, start = RING_HEAD.unpack_from(
            buf, consts.TRAPLOG_RING_HEADS + cpu * RING_HEAD.size)
        off = consts.TRAPLOG_RECS + cpu * ring_len * REC.size
        recs = []
        for seq in range(max(1, head - ring_len + 1), head + 1):
            ts, s, vm, vcpu, ec, flags, hsr, pc, ipa, cost = REC.unpack_from(
                buf, off + (seq % ring_len) * REC.size)
            recs.append({"timestamp": ts, "seq": s, "cpu": cpu, "vm": vm, "vcpu": vcpu,
                         "ec": ec, "hsr": hsr, "pc": pc, "ipa": ipa, "cost": cost})
        rings.append({"cpu": cpu, "seq": head, "recording": recording, "records": recs,
                      "hyp_cycles": (cycles - start) % 2**32})   # measured on it so far
    # one ring per cpu; merged by time (the same clock on every cpu), ties by cpu
    ring = sorted((r for g in rings for r in g["records"]),
                  key=lambda r: (r["timestamp"], r["cpu"]))
    return {"version": version, "nr_vms": nr_vms, "cntfrq": cntfrq, "vms": vms,
            "rings": rings, "ring": ring, "uplink": _net(buf, consts.TRAPLOG_UPLINK)}


def rings_whole(log):
    """whether each cpu's ring holds consecutive sequence numbers ending at its head"""
    return all([r["seq"] for r in g["records"]] ==
               list(range(max(1, g["seq"] - RING_LEN + 1), g["seq"] + 1)) for g in log["rings"])


def vm_sum(vm):
    """One VM's counters summed over its vCPUs."""
    s = {"ec": [0] * NR_EC, "irq": 0, "total": 0, "cycles": [0] * NR_EC, "irq_cycles": 0,
         "total_cycles": 0, "hvc": [0] * NR_HVC, "mmio": [0] * NR_MMIO, "switches": 0, "injected": 0,
         "notify": [[0] * NR_QUEUES for _ in range(NR_MMIO)]}
    for v in vm["vcpus"]:
        for key in ("ec", "cycles", "hvc", "mmio"):
            s[key] = [a + b for a, b in zip(s[key], v[key])]
        for key in ("irq", "total", "irq_cycles", "total_cycles", "switches", "injected"):
            s[key] += v[key]
        s["notify"] = [[a + b for a, b in zip(x, y)] for x, y in zip(s["notify"], v["notify"])]
    # each row's worst trap over the vcpus (ties: the first), and whose it was
    s["worst"] = [max(((v["worst"][k], -j, v["worst_pc"][k]) for j, v in enumerate(vm["vcpus"])),
                      default=(0, 0, 0)) for k in range(NR_ROWS)]
    s["worst"] = [(w, pc, -j) for w, j, pc in s["worst"]]          # (cycles, pc, vcpu)
    return s


def class_name(ec):
    return {ROW_IRQ: "IRQ", ROW_MARK: "MARK", ROW_CTL: "CTL"}.get(ec, EC_NAMES.get(ec, "reserved"))


def ctl_line(log, r):
    """a control action's ring record (hyp/core/control.c): who did what to whom, and the result"""
    names = {vm["id"]: vm["name"] for vm in log["vms"]}
    who = "console" if r["vm"] == consts.TRAPLOG_CTL_CONSOLE else names.get(r["vm"], r["vm"])
    what = CTL_CALLS.get(r["hsr"], "%#x" % r["hsr"])
    args = " vcpu %d cpu %d" % (r["pc"] >> 8 & 0xff, r["pc"] >> 16 & 0xff) if what == "pin" else ""
    res = r["ipa"] - (1 << 32) if r["ipa"] >> 31 else r["ipa"]
    return "  %d: %s %s %s%s: %d" % (r["timestamp"], who, what, names.get(r["pc"] & 0xff, "?"),
                                     args, res)


EC_NAMES = {0x00: "UNKNOWN", 0x01: "WFI/WFE", 0x03: "CP15 MCR/MRC", 0x04: "CP15 MCRR/MRRC",
            0x05: "CP14 MCR/MRC", 0x06: "CP14 LDC/STC", 0x07: "HCPTR (VFP/NEON)",
            0x08: "CP10 VMRS ID", 0x09: "JAZELLE", 0x0a: "BXJ", 0x0c: "CP14 MRRC",
            0x11: "SVC (TGE)", 0x12: "HVC", 0x13: "SMC", 0x20: "PABT (guest)",
            0x21: "PABT (hyp)", 0x24: "DABT (guest)", 0x25: "DABT (hyp)"}


def mmio_row(vm, s):
    """emulated accesses per device, then virtio kicks per device and queue, as the UART's"""
    names = vm["mmio_names"]
    row = "".join(" %s %d" % (n, s["mmio"][k]) for k, n in enumerate(names))
    return row + "".join(" %s.q%d %d" % (n, q, s["notify"][k][q]) for k, n in enumerate(names)
                         for q in range(NR_QUEUES) if s["notify"][k][q])


def table(log):
    """the text table: per VM, per EC count and share, like the UART's"""
    out = []
    for vm in log["vms"]:
        s = vm_sum(vm)
        cost = lambda n, c: " %12d %10.1f" % (c, c / n if n else 0)
        out.append("vm %d (%s), %s" % (vm["id"], vm["name"], vm["state"]))
        worst = lambda k: " %10d %08x %d" % s["worst"][k]
        out.append("  %-5s %-18s %12s %7s%s" % ("EC", "class", "count", "share",
                                                "   hyp cycles       mean      worst       pc vcpu"))
        for ec, n in enumerate(s["ec"]):
            if n:
                out.append("  %#04x  %-18s %12d %6.1f%%%s%s" % (ec, class_name(ec), n,
                                                               100.0 * n / s["total"],
                                                               cost(n, s["cycles"][ec]), worst(ec)))
        out.append("  %-5s %-18s %12d %6.1f%%%s%s" % (
            "-", "IRQ", s["irq"], 100.0 * s["irq"] / s["total"] if s["total"] else 0,
            cost(s["irq"], s["irq_cycles"]), worst(ROW_IRQ)))
        out.append("  %-5s %-18s %12d%s" % ("", "total", s["total"],
                                           " %7s %12d" % ("", s["total_cycles"])))
        out.append("  mmio:" + mmio_row(vm, s))
        if vm["net"]:
            out.append(net_row("net", vm["net"]))
    if log["uplink"]:
        out.append(net_row("uplink", log["uplink"]))
    ctl = [ctl_line(log, r) for r in log["ring"] if r["ec"] == ROW_CTL]
    if ctl:
        out.append("control actions in the ring (cntpct: who, what, whom, result)")
        out += ctl
    return "\n".join(out) + "\n"


def write_csv(log, path):
    """one row per VM, vCPU and class with a non-zero count"""
    with open(path, "w") as f:
        f.write("vm,vm_name,vcpu,ec,class,count,hyp_cycles,worst,worst_pc\n")
        for vm in log["vms"]:
            for j, v in enumerate(vm["vcpus"]):
                for ec, n in enumerate(v["ec"]):
                    if n:
                        f.write("%d,%s,%d,%#04x,%s,%d,%d,%d,%#010x\n" % (
                            vm["id"], vm["name"], j, ec, class_name(ec), n, v["cycles"][ec],
                            v["worst"][ec], v["worst_pc"][ec]))
                if v["irq"]:
                    f.write("%d,%s,%d,-,IRQ,%d,%d,%d,%#010x\n" % (
                        vm["id"], vm["name"], j, v["irq"], v["irq_cycles"], v["worst"][ROW_IRQ],
                        v["worst_pc"][ROW_IRQ]))


def write_chart(log, path, bins=40):
    """the ring's records per class over time, stacked, in bins"""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ring = [r for r in log["ring"] if r["ec"] not in (ROW_MARK, ROW_CTL)]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    if ring:
        freq = log["cntfrq"] or 1
        t0, t1 = ring[0]["timestamp"], ring[-1]["timestamp"]
        width = max(1, (t1 - t0) // bins + 1)
        classes = sorted({r["ec"] for r in ring})
        xs = [(t0 + (i + 0.5) * width) / freq for i in range(bins)]
        bottom = [0] * bins
        for ec in classes:
            ys = [0] * bins
            for r in ring:
                if r["ec"] == ec:
                    ys[min(bins - 1, (r["timestamp"] - t0) // width)] += 1
            ax.bar(xs, ys, width=width / freq * 0.9, bottom=bottom, label=class_name(ec))
            bottom = [b + y for b, y in zip(bottom, ys)]
        ax.legend(fontsize=8)
    ax.set_xlabel("time (s, CNTPCT)")
    ax.set_ylabel("traps per bin")
    ax.set_title("the last %d traps in the ring, by exception class" % len(ring))
    fig.tight_layout()
    fig.savefig(path)


def main():
    args = sys.argv[1:]
    if not args or len(args) not in (1, 3) or (len(args) == 3 and args[1] != "-o"):
        sys.exit(__doc__)
    try:
        log = parse(open(args[0], "rb").read())
    except (OSError, TrapLogError) as e:
        sys.exit("traplog: %s" % e)
    text = table(log)
    if len(args) == 1:
        sys.stdout.write(text)
        return
    out = args[2]
    open(out + ".txt", "w").write(text)
    write_csv(log, out + ".csv")
    write_chart(log, out + ".png")
    print("traplog: wrote %s.txt, %s.csv, %s.png" % (out, out, out))


if __name__ == "__main__":
    main()
