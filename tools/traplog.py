#!/usr/bin/python3
"""Decode a raw dump of the hypervisor's trap log (hyp/core/include/traplog.h).

Usage: tools/traplog.py DUMP        print each VM's per-EC table

Take the dump from gdb (`dump memory log.bin &traplog ((char *)&traplog) + sizeof(traplog)`)
or from the QEMU monitor (`pmemsave ADDR SIZE log.bin`, ADDR and SIZE from the banner's
"trap log" line).
"""
import struct
import sys

MAGIC = 0x504C5254
VERSION = 2
HEADER = struct.Struct("<IHHIIIIIIQII")        # 48 bytes
VCPU_WORDS = 64 + 2 + 8 + 8 + 2                 # ec[64], irq, total, hvc[8], mmio[8], switches, injected
VM_HEAD = struct.Struct("<16sIIII")             # name, id, nr_vcpus, state, nr_mmio_dev
REC = struct.Struct("<QIBBBBIIQ")               # 32 bytes
MAX_VMS, MAX_VCPUS, RING_LEN = 8, 4, 1024
VM_SIZE = VM_HEAD.size + 8 * 8 + MAX_VCPUS * VCPU_WORDS * 8
SIZE = HEADER.size + MAX_VMS * VM_SIZE + RING_LEN * REC.size
HVC_RANGES = ["arch", "psci", "std-hyp", "vendor-hyp", "other", "null", "yielding", "imm!=0"]
STATES = {0: "empty", 1: "running", 2: "stopped", 3: "crashed"}


class TrapLogError(Exception):
    pass


def _vcpu(buf, off):
    w = struct.unpack_from("<%dQ" % VCPU_WORDS, buf, off)
    return {"ec": list(w[0:64]), "irq": w[64], "total": w[65], "hvc": list(w[66:74]),
            "mmio": list(w[74:82]), "switches": w[82], "injected": w[83]}


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
    magic, version, header_size, size, nr_vms, max_vcpus, nr_ec, ring_len, ring_seq, cntfrq, \
        recording, _ = HEADER.unpack_from(buf, 0)
    if magic != MAGIC:
        raise TrapLogError("bad magic %#x (want %#x): not a trap log" % (magic, MAGIC))
    if version != VERSION:
        raise TrapLogError("trap log version %d, this decoder reads version %d" % (version, VERSION))
    if size != SIZE or header_size != HEADER.size:
        raise TrapLogError("layout mismatch: size %d, header %d" % (size, header_size))
    if len(buf) < size:
        raise TrapLogError("dump is %d bytes, the log is %d: truncated" % (len(buf), size))
    vms = []
    for i in range(nr_vms):
        off = HEADER.size + i * VM_SIZE
        name, vid, nr_vcpus, state, nr_mmio = VM_HEAD.unpack_from(buf, off)
        names = [struct.unpack_from("8s", buf, off + VM_HEAD.size + 8 * k)[0].split(b"\0")[0].decode()
                 for k in range(nr_mmio)]
        base = off + VM_HEAD.size + 64
        vcpus = [_vcpu(buf, base + j * VCPU_WORDS * 8) for j in range(nr_vcpus)]
        vms.append({"name": name.split(b"\0")[0].decode(), "id": vid, "state": STATES.get(state, state),
                    "mmio_names": names, "vcpus": vcpus})
    ring_off = HEADER.size + MAX_VMS * VM_SIZE
    ring = []
    for k in range(min(ring_seq, ring_len)):
        seq = ring_seq - min(ring_seq, ring_len) + 1 + k
        ts, s, vm, vcpu, ec, flags, hsr, pc, ipa = REC.unpack_from(buf, ring_off + (seq % ring_len) * REC.size)
        ring.append({"timestamp": ts, "seq": s, "vm": vm, "vcpu": vcpu, "ec": ec, "hsr": hsr,
                     "pc": pc, "ipa": ipa})
    return {"version": version, "nr_vms": nr_vms, "ring_seq": ring_seq, "cntfrq": cntfrq,
            "recording": recording,
            "vms": vms, "ring": ring}


def vm_sum(vm):
    """One VM's counters summed over its vCPUs."""
    s = {"ec": [0] * 64, "irq": 0, "total": 0, "hvc": [0] * 8, "mmio": [0] * 8, "switches": 0, "injected": 0}
    for v in vm["vcpus"]:
        for key in ("ec", "hvc", "mmio"):
            s[key] = [a + b for a, b in zip(s[key], v[key])]
        for key in ("irq", "total", "switches", "injected"):
            s[key] += v[key]
    return s


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        log = parse(open(sys.argv[1], "rb").read())
    except (OSError, TrapLogError) as e:
        sys.exit("traplog: %s" % e)
    for vm in log["vms"]:
        s = vm_sum(vm)
        print("vm %d (%s), %s" % (vm["id"], vm["name"], vm["state"]))
        for ec, n in enumerate(s["ec"]):
            if n:
                print("  %#04x %12d %5.1f%%" % (ec, n, 100.0 * n / s["total"]))
        print("  IRQ  %12d\n  total %11d" % (s["irq"], s["total"]))


if __name__ == "__main__":
    main()
