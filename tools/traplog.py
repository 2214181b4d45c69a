#!/usr/bin/python3
"""Decode a raw dump of the hypervisor's trap log (hyp/core/include/traplog.h).

Usage: tools/traplog DUMP              print each VM's per-EC table
       tools/traplog DUMP -o PREFIX    and write PREFIX.txt, PREFIX.csv (per VM, vCPU
                                       and class) and PREFIX.png (the ring's traps per
                                       class over time)

Take the dump from gdb (`dump memory log.bin &traplog ((char *)&traplog) + sizeof(traplog)`)
or from the QEMU monitor (`pmemsave ADDR SIZE log.bin`, ADDR and SIZE from the banner's
"trap log" line).
"""
import struct
import sys

MAGIC = 0x504C5254
VERSION = 6
HEADER = struct.Struct("<IHHIIIIIIQII")        # 48 bytes
RING_HEAD = struct.Struct("<IIII16x")           # seq, recording, hyp_cycles, hyp_cycles_start:
                                                # one per cpu, after the header
NR_MMIO, NR_QUEUES = 8, 4
VCPU_WORDS = 64 + 2 + 65 + 8 + 8 + 2 + 8 * 4    # ec[64], irq, total, cycles[64], irq_cycles,
                                                # hvc[8], mmio[8], switches, injected,
                                                # notify[8][4] (virtio kicks per device, queue)
VM_HEAD = struct.Struct("<16sIIII")             # name, id, nr_vcpus, state, nr_mmio_dev
REC = struct.Struct("<QIBBBBIIII")              # 32 bytes
MAX_VMS, MAX_VCPUS, MAX_CPUS, RING_LEN = 8, 4, 4, 1024
PAGE = 8192                                     # the header, padded
VM_SIZE = 8192                                  # two pages per VM
SIZE = PAGE + MAX_VMS * VM_SIZE + MAX_CPUS * RING_LEN * REC.size
HVC_RANGES = ["arch", "psci", "std-hyp", "vendor-hyp", "other", "null", "yielding", "imm!=0"]
STATES = {0: "empty", 1: "running", 2: "stopped", 3: "crashed"}


class TrapLogError(Exception):
    pass


def _vcpu(buf, off):
    w = struct.unpack_from("<%dQ" % VCPU_WORDS, buf, off)
    return {"ec": list(w[0:64]), "irq": w[64], "total": w[65], "cycles": list(w[66:130]),
            "irq_cycles": w[130], "total_cycles": sum(w[66:131]), "hvc": list(w[131:139]),
            "mmio": list(w[139:147]), "switches": w[147], "injected": w[148],
            "notify": [list(w[149 + 4 * k:153 + 4 * k]) for k in range(NR_MMIO)]}


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
        name, vid, nr_vcpus, state, nr_mmio = VM_HEAD.unpack_from(buf, off)
        names = [struct.unpack_from("8s", buf, off + VM_HEAD.size + 8 * k)[0].split(b"\0")[0].decode()
                 for k in range(nr_mmio)]
        base = off + VM_HEAD.size + 64
        vcpus = [_vcpu(buf, base + j * VCPU_WORDS * 8) for j in range(nr_vcpus)]
        vms.append({"name": name.split(b"\0")[0].decode(), "id": vid, "state": STATES.get(state, state),
                    "mmio_names": names, "vcpus": vcpus})
    rings = []
    for cpu in range(nr_rings):
        head, recording, cycles, start = RING_HEAD.unpack_from(
            buf, HEADER.size + cpu * RING_HEAD.size)
        off = PAGE + MAX_VMS * VM_SIZE + cpu * ring_len * REC.size
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
            "rings": rings, "ring": ring}


def rings_whole(log):
    """whether each cpu's ring holds consecutive sequence numbers ending at its head"""
    return all([r["seq"] for r in g["records"]] ==
               list(range(max(1, g["seq"] - RING_LEN + 1), g["seq"] + 1)) for g in log["rings"])


def vm_sum(vm):
    """One VM's counters summed over its vCPUs."""
    s = {"ec": [0] * 64, "irq": 0, "total": 0, "cycles": [0] * 64, "irq_cycles": 0,
         "total_cycles": 0, "hvc": [0] * 8, "mmio": [0] * 8, "switches": 0, "injected": 0,
         "notify": [[0] * NR_QUEUES for _ in range(NR_MMIO)]}
    for v in vm["vcpus"]:
        for key in ("ec", "cycles", "hvc", "mmio"):
            s[key] = [a + b for a, b in zip(s[key], v[key])]
        for key in ("irq", "total", "irq_cycles", "total_cycles", "switches", "injected"):
            s[key] += v[key]
        s["notify"] = [[a + b for a, b in zip(x, y)] for x, y in zip(s["notify"], v["notify"])]
    return s


def class_name(ec):
    return {64: "IRQ", 65: "MARK"}.get(ec, EC_NAMES.get(ec, "reserved"))


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
        out.append("  %-5s %-18s %12s %7s%s" % ("EC", "class", "count", "share",
                                                "   hyp cycles       mean"))
        for ec, n in enumerate(s["ec"]):
            if n:
                out.append("  %#04x  %-18s %12d %6.1f%%%s" % (ec, class_name(ec), n,
                                                             100.0 * n / s["total"],
                                                             cost(n, s["cycles"][ec])))
        out.append("  %-5s %-18s %12d %6.1f%%%s" % (
            "-", "IRQ", s["irq"], 100.0 * s["irq"] / s["total"] if s["total"] else 0,
            cost(s["irq"], s["irq_cycles"])))
        out.append("  %-5s %-18s %12d%s" % ("", "total", s["total"],
                                           " %7s %12d" % ("", s["total_cycles"])))
        out.append("  mmio:" + mmio_row(vm, s))
    return "\n".join(out) + "\n"


def write_csv(log, path):
    """one row per VM, vCPU and class with a non-zero count"""
    with open(path, "w") as f:
        f.write("vm,vm_name,vcpu,ec,class,count,hyp_cycles\n")
        for vm in log["vms"]:
            for j, v in enumerate(vm["vcpus"]):
                for ec, n in enumerate(v["ec"]):
                    if n:
                        f.write("%d,%s,%d,%#04x,%s,%d,%d\n" % (vm["id"], vm["name"], j, ec,
                                                             class_name(ec), n, v["cycles"][ec]))
                if v["irq"]:
                    f.write("%d,%s,%d,-,IRQ,%d,%d\n" % (vm["id"], vm["name"], j, v["irq"],
                                                      v["irq_cycles"]))


def write_chart(log, path, bins=40):
    """the ring's records per class over time, stacked, in bins"""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ring = [r for r in log["ring"] if r["ec"] != 65]
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
