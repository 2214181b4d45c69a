# gdb commands for looking inside the hypervisor: `hyp stats`, `hyp vms`,
# `hyp vcpu`, `hyp trace`, `hyp connect`. loaded by tools/gdb/hyp.gdb.
#
# everything is read through the ELF's own symbols and C types (traplog,
# vms, nr_vms, ec_names, range_names, the enums), so when a struct changes
# these commands follow it; only field names are assumed. the trap class
# names come from hsr.c's ec_names table in the ELF; the dict below is
# only the fallback for an ELF built without it. the one macro needed, the
# trap log's magic, comes from build/include/consts.py (make writes it).

import os
import sys

import gdb

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "build", "include"))
import consts  # noqa: E402

# the fallback copy of hsr.c's ec_names, used only if the ELF lacks the table
EC_NAMES_FALLBACK = {
    0x00: "UNKNOWN", 0x01: "WFI/WFE", 0x03: "CP15 MCR/MRC",
    0x04: "CP15 MCRR/MRRC", 0x05: "CP14 MCR/MRC", 0x06: "CP14 LDC/STC",
    0x07: "HCPTR (VFP/NEON)", 0x08: "CP10 VMRS ID", 0x09: "JAZELLE",
    0x0a: "BXJ", 0x0c: "CP14 MRRC", 0x11: "SVC (TGE)", 0x12: "HVC",
    0x13: "SMC", 0x20: "PABT (guest)", 0x21: "PABT (hyp)",
    0x24: "DABT (guest)", 0x25: "DABT (hyp)",
}

PSR_MODES = {
    0x10: "usr", 0x11: "fiq", 0x12: "irq", 0x13: "svc", 0x16: "mon",
    0x17: "abt", 0x1a: "hyp", 0x1b: "und", 0x1f: "sys",
}

DEFAULT_REMOTE = "localhost:1234"

_cache = {}


def _clear_cache(_event=None):
    _cache.clear()


gdb.events.new_objfile.connect(_clear_cache)
if hasattr(gdb.events, "clear_objfiles"):
    gdb.events.clear_objfiles.connect(_clear_cache)


# --- reading the ELF's symbols ------------------------------------------------

def sym(name):
    """the value of a global or file-static variable of the hypervisor"""
    s = gdb.lookup_global_symbol(name)
    if s is None and hasattr(gdb, "lookup_static_symbol"):
        s = gdb.lookup_static_symbol(name)
    if s is not None:
        return s.value()
    try:
        return gdb.parse_and_eval(name)
    except gdb.error:
        raise gdb.GdbError("no symbol %s in the ELF: is hyp.elf loaded?" % name)


def array_len(v):
    lo, hi = v.type.strip_typedefs().range()
    return hi - lo + 1


def fetched(v):
    """read a whole struct or array in one go rather than field by field"""
    try:
        v.fetch_lazy()
    except gdb.MemoryError as e:
        raise gdb.GdbError("cannot read target memory (%s): is gdb connected?" % e)
    return v


def cstr(arr):
    """a char[] field as a python string, up to its first NUL"""
    out = bytearray()
    for i in range(array_len(arr)):
        c = int(arr[i]) & 0xff
        if c == 0:
            break
        out.append(c)
    return out.decode("ascii", "replace")


def cptr_str(p):
    if int(p) == 0:
        return None
    try:
        return p.string()
    except gdb.error:
        return None


def enum_names(type_name, prefix):
    """{value: short name} from a C enum, e.g. VM_RUNNING -> running"""
    key = "enum:" + type_name
    if key not in _cache:
        names = {}
        try:
            for f in gdb.lookup_type(type_name).fields():
                n = f.name
                if n.startswith(prefix):
                    n = n[len(prefix):]
                names[f.enumval] = n.lower()
        except gdb.error:
            pass
        _cache[key] = names
    return _cache[key]


def string_table(name):
    """a static const char *table[] of the ELF as {index: string}"""
    key = "table:" + name
    if key not in _cache:
        table = {}
        try:
            v = fetched(sym(name))
            for i in range(array_len(v)):
                s = cptr_str(v[i])
                if s is not None:
                    table[i] = s
        except gdb.GdbError:
            table = None
        _cache[key] = table
    return _cache[key]


def ec_name(ec, nr_ec=64):
    """the same answer as traplog_class(): past the last EC come IRQ, MARK and CTL"""
    if ec == nr_ec:
        return "IRQ"
    if ec == nr_ec + 1:
        return "MARK"
    if ec == nr_ec + 2:
        return "CTL"
    names = string_table("ec_names")
    if not names:
        names = EC_NAMES_FALLBACK
    return names.get(ec, "reserved")


def range_names(n):
    names = string_table("range_names")
    if not names:
        names = enum_names("enum traplog_hvc_range", "HVC_RANGE_")
    return [names.get(i, str(i)) for i in range(n)]


# --- the trap log -------------------------------------------------------------

def traplog():
    if gdb.selected_inferior().pid == 0:
        raise gdb.GdbError("not attached to the hypervisor: hyp connect [PORT]")
    tl = sym("traplog")
    try:
        magic = int(tl["magic"])
    except gdb.MemoryError as e:
        raise gdb.GdbError("cannot read the trap log (%s): is gdb connected?" % e)
    if magic != consts.TRAPLOG_MAGIC:
        raise gdb.GdbError("trap log not initialised yet (magic %#x): "
                           "let the hypervisor boot first" % magic)
    return tl


def log_vms(tl):
    """[(index, name, traplog_vm value)] for each VM in the log"""
    n = min(int(tl["nr_vms"]), array_len(tl["vm"]))
    out = []
    for i in range(n):
        v = tl["vm"][i]
        out.append((i, cstr(v["name"]), v))
    return out


def pick_vm(tl, arg):
    """a VM by index or by name"""
    vms = log_vms(tl)
    if arg.isdigit() or (arg.lower().startswith("0x") and len(arg) > 2):
        i = int(arg, 0)
        if i >= len(vms):
            raise gdb.GdbError("no vm %d: there are %d" % (i, len(vms)))
        return vms[i]
    for vm in vms:
        if vm[1] == arg:
            return vm
    raise gdb.GdbError("no vm named %r (have: %s)"
                       % (arg, ", ".join(v[1] for v in vms) or "none"))


class Sum:
    """one VM's (or the board's) counters, summed over its vcpus"""

    def __init__(self, tl):
        self.nr_ec = int(tl["nr_ec"]) or 64
        self.ec = None
        self.cycles = None
        self.hvc = None
        self.mmio = None
        self.notify = None
        self.irq = self.total = self.switches = self.injected = 0
        self.irq_cycles = self.total_cycles = 0
        self.worst = None               # per row: (hyp cycles, pc, vm, vcpu) of the costliest

    def add(self, lv, who=(0, 0)):
        lv = fetched(lv)
        rows = lv["row"]
        nr_rows = array_len(rows)
        got = [(int(rows[k]["count"]), int(rows[k]["cycles"]), int(rows[k]["worst"]),
                int(rows[k]["worst_pc"])) for k in range(nr_rows)]
        ec, cycles = [g[0] for g in got[:self.nr_ec]], [g[1] for g in got[:self.nr_ec]]
        self.ec = ec if self.ec is None else [a + b for a, b in zip(self.ec, ec)]
        self.cycles = cycles if self.cycles is None else [a + b for a, b in zip(self.cycles, cycles)]
        worst = [(g[2], g[3]) + tuple(who) for g in got]
        self.worst = worst if self.worst is None else \
            [w if w[0] > cur[0] else cur for cur, w in zip(self.worst, worst)]
        self.irq += got[self.nr_ec][0]
        self.irq_cycles += got[self.nr_ec][1]
        self.total_cycles += got[self.nr_ec][1] + sum(cycles)
        for name in ("hvc", "mmio"):
            arr = lv[name]
            vals = [int(arr[k]) for k in range(array_len(arr))]
            cur = getattr(self, name)
            setattr(self, name, vals if cur is None else
                    [a + b for a, b in zip(cur, vals)])
        arr = lv["notify"]
        vals = [[int(arr[k][q]) for q in range(array_len(arr[k]))] for k in range(array_len(arr))]
        self.notify = vals if self.notify is None else \
            [[a + b for a, b in zip(x, y)] for x, y in zip(self.notify, vals)]
        self.total += int(lv["total"])
        self.switches += int(lv["switches"])
        self.injected += int(lv["injected"])

    def add_vm(self, vm):
        n = min(int(vm["nr_vcpus"]), array_len(vm["vcpu"]))
        for j in range(n):
            self.add(vm["vcpu"][j], (int(vm["id"]), j))


def share(n, total):
    tenths = (n * 1000 + total // 2) // total if total else 0
    return "%d.%d%%" % (tenths // 10, tenths % 10)


def print_table(title, s, vm=None):
    costs = s.total_cycles != 0         # hyp cycles, once there were traps
    worst = lambda k: " %10d %08x %d.%d" % s.worst[k] if s.worst else ""
    cost = lambda n, c, k: " %12d %8.1f%s" % (c, c / n if n else 0, worst(k)) if costs else ""
    out = ["trap log: %s" % title,
           "  %-5s %-18s %12s %7s%s" % ("EC", "class", "count", "share",
                                       "   hyp cycles     mean      worst       pc vm.vcpu"
                                       if costs else "")]
    for k, n in enumerate(s.ec or []):
        if n:
            out.append("  %-5s %-18s %12d %7s%s"
                       % ("%#04x" % k, ec_name(k, s.nr_ec), n, share(n, s.total),
                          cost(n, s.cycles[k], k)))
    out.append("  %-5s %-18s %12d %7s%s" % ("-", "IRQ", s.irq, share(s.irq, s.total),
                                           cost(s.irq, s.irq_cycles, s.nr_ec)))
    out.append("  %-5s %-18s %12d%s" % ("", "total", s.total,
                                        " %7s %12d" % ("", s.total_cycles) if costs else ""))
    names = range_names(len(s.hvc or []))
    out.append("  hvc/smc:" + "".join(" %s %d" % (names[k], n)
                                      for k, n in enumerate(s.hvc or []) if n))
    if vm is not None:
        nr = min(int(vm["nr_mmio_dev"]), len(s.mmio or []))
        out.append("  mmio:" + "".join(" %s %d" % (cstr(vm["mmio_name"][k]), s.mmio[k])
                                       for k in range(nr)) +
                   "".join(" %s.q%d %d" % (cstr(vm["mmio_name"][k]), q, s.notify[k][q])
                           for k in range(nr) for q in range(len(s.notify[k]))
                           if s.notify[k][q]))
    out.append("  world switches %d, exceptions injected %d" % (s.switches, s.injected))
    port = vm["net"] if vm is not None else gdb.parse_and_eval("traplog")["uplink"]
    if int(port["present"]):
        out.append("  %s %s: in %d (%d bytes), out %d (%d bytes), dropped: full %d spoofed %d "
                   "bad %d unknown %d" % (
                       "net" if vm is not None else "uplink",
                       ":".join("%02x" % int(port["mac"][k]) for k in range(6)),
                       *(int(port[f]) for f in ("in_frames", "in_bytes", "out_frames",
                                                "out_bytes", "drop_full", "drop_spoof",
                                                "drop_bad", "drop_unknown"))))
    gdb.write("\n".join(out) + "\n")


# --- cpsr and friends ---------------------------------------------------------

def psr_str(psr):
    """NZCVQ, IT/GE when set, the J/E/A/I/F/T bits and the mode"""
    flags = "".join(c if psr >> b & 1 else c.lower()
                    for c, b in (("N", 31), ("Z", 30), ("C", 29), ("V", 28), ("Q", 27)))
    ctl = "".join(c if psr >> b & 1 else "-"
                  for c, b in (("J", 24), ("E", 9), ("A", 8), ("I", 7), ("F", 6), ("T", 5)))
    mode = PSR_MODES.get(psr & 0x1f, "mode%#x" % (psr & 0x1f))
    extra = ""
    it = (psr >> 8 & 0xfc) | (psr >> 25 & 3)
    if it:
        extra += " it=%#04x" % it
    if psr >> 16 & 0xf:
        extra += " ge=%x" % (psr >> 16 & 0xf)
    return "%s %s %s%s" % (flags, ctl, mode, extra)


def sctlr_str(v):
    bits = (("M", 0, "mmu"), ("A", 1, "align"), ("C", 2, "dcache"),
            ("Z", 11, "bpred"), ("I", 12, "icache"), ("V", 13, "hivecs"),
            ("TRE", 28, "tre"), ("AFE", 29, "afe"), ("TE", 30, "thumb-exc"))
    on = [name for _, b, name in bits if v >> b & 1]
    return ",".join(on) if on else "all off"


# --- the commands -------------------------------------------------------------

class Hyp(gdb.Command):
    """Commands for the hypervisor (tools/gdb/hyp.py).

hyp connect [PORT|HOST:PORT]  attach to qemu's gdbstub (default $HYP_GDB_REMOTE or :1234)
hyp vms                       list the VMs: id, name, state, vcpus, traps
hyp stats [VM]                per-EC trap table of one VM (index or name), or of
                              each VM and the board
hyp vcpu VM [N]               vcpu N's (default 0) saved registers
hyp trace [N]                 the last N (default 20) trap records, oldest first"""

    def __init__(self):
        super().__init__("hyp", gdb.COMMAND_USER, gdb.COMPLETE_NONE, True)

    def invoke(self, arg, from_tty):
        gdb.execute("help hyp")


class HypConnect(gdb.Command):
    """Attach to qemu's gdbstub: hyp connect [PORT|:PORT|HOST:PORT].

With no argument the target is $HYP_GDB_REMOTE, else localhost:1234 (qemu -s).
HYP_GDB_REMOTE=none makes the argument-less form do nothing, so a script
can load tools/gdb/hyp.gdb and connect where it likes."""

    def __init__(self):
        super().__init__("hyp connect", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        where = arg.strip()
        if not where:
            where = os.environ.get("HYP_GDB_REMOTE", "").strip() or DEFAULT_REMOTE
            if where.lower() == "none":
                gdb.write("hyp: HYP_GDB_REMOTE=none: not connecting; "
                          "use `hyp connect PORT`\n")
                return
        if where.isdigit():
            where = "localhost:" + where
        elif where.startswith(":"):
            where = "localhost" + where
        gdb.execute("target remote " + where, from_tty)


class HypVms(gdb.Command):
    """List the VMs: id, name, state, vcpus (with their states) and total traps."""

    def __init__(self):
        super().__init__("hyp vms", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        tl = traplog()
        vms = sym("vms")
        nr = min(int(sym("nr_vms")), array_len(vms))
        vm_states = enum_names("enum vm_state", "VM_")
        vcpu_states = enum_names("enum vcpu_state", "VCPU_")
        running = self.loaded_vcpus()
        out = ["  %-3s %-16s %-8s %-5s %12s  %s"
               % ("id", "name", "state", "vcpus", "traps", "vcpu states")]
        for i in range(nr):
            vm = vms[i]
            nv = int(vm["nr_vcpus"])
            s = Sum(tl)
            s.add_vm(tl["vm"][i])
            vstates = []
            for j in range(min(nv, array_len(vm["vcpu"]))):
                vc = vm["vcpu"][j]
                st = vcpu_states.get(int(vc["state"]), str(int(vc["state"])))
                cpu = running.get(int(vc.address))
                vstates.append("%d:%s%s" % (j, st, "" if cpu is None else "@cpu%d" % cpu))
            name = cptr_str(vm["name"]) or cstr(tl["vm"][i]["name"])
            state = int(vm["state"])
            out.append("  %-3d %-16s %-8s %-5d %12d  %s"
                       % (int(vm["id"]), name, vm_states.get(state, str(state)),
                          nv, s.total, " ".join(vstates)))
        if not nr:
            out.append("  (no VMs yet)")
        gdb.write("\n".join(out) + "\n")

    @staticmethod
    def loaded_vcpus():
        """{vcpu address: cpu} for the vcpus loaded on a cpu right now"""
        try:
            pc = sym("percpu")
        except gdb.GdbError:
            return {}
        out = {}
        for c in range(array_len(pc)):
            try:
                cur = int(pc[c]["current"])
            except (gdb.error, gdb.MemoryError):
                return out
            if cur:
                out[cur] = c
        return out


class HypStats(gdb.Command):
    """Per-EC trap table: hyp stats [VM]. VM is an index or a name; without
one, the table of each VM and then the board total (all VMs). Counts are
summed over the VM's vcpus, as on the UART."""

    def __init__(self):
        super().__init__("hyp stats", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        tl = traplog()
        arg = arg.strip()
        if arg:
            i, name, vm = pick_vm(tl, arg)
            s = Sum(tl)
            s.add_vm(vm)
            print_table("vm %d (%s)" % (i, name), s, vm)
            return
        board = Sum(tl)
        for i, name, vm in log_vms(tl):
            s = Sum(tl)
            s.add_vm(vm)
            board.add_vm(vm)
            print_table("vm %d (%s)" % (i, name), s, vm)
        print_table("board (all VMs)", board)


class HypVcpu(gdb.Command):
    """A vcpu's saved state: hyp vcpu VM [N]. VM is an index or a name, N the
vcpu (default 0). Shows r0-r12, lr_usr, pc, cpsr (decoded), the banked
sp/lr/spsr of each mode and the cp15 registers the guest owns. While the
vcpu is loaded on a cpu its banked and cp15 registers live in the cpu and
the copies shown are from its last switch-out."""

    def __init__(self):
        super().__init__("hyp vcpu", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        args = arg.split()
        if not args or len(args) > 2:
            raise gdb.GdbError("usage: hyp vcpu VM [N]")
        tl = traplog()
        i, name, _ = pick_vm(tl, args[0])
        vm = sym("vms")[i]
        n = int(args[1], 0) if len(args) > 1 else 0
        if n >= int(vm["nr_vcpus"]):
            raise gdb.GdbError("vm %d (%s) has %d vcpu(s)" % (i, name, int(vm["nr_vcpus"])))
        vc = fetched(vm["vcpu"][n])
        arch = vc["arch"]
        st = int(vc["state"])
        state = enum_names("enum vcpu_state", "VCPU_").get(st, str(st))
        loaded = bool(int(arch["loaded"]))
        out = ["vm %d (%s) vcpu %d: %s%s" % (i, name, n, state,
               ", loaded (banked/cp15 below are from its last switch-out)" if loaded else "")]

        regs = arch["regs"]
        r = regs["r"]
        gp = [("r%d" % k, int(r[k])) for k in range(array_len(r))]
        gp += [(f.name, int(regs[f.name])) for f in regs.type.strip_typedefs().fields()
               if f.name not in ("r", "cpsr")]
        for k in range(0, len(gp), 4):
            out.append("  " + "  ".join("%-6s %08x" % nv for nv in gp[k:k + 4]))
        cpsr = int(regs["cpsr"])
        out.append("  cpsr   %08x  %s" % (cpsr, psr_str(cpsr)))

        out.append("banked:")
        out.append("  %-4s %-8s  %-8s  %s" % ("mode", "sp", "lr", "spsr"))
        b = arch["banked"]
        modes, extra = {}, {}
        for f in b.type.strip_typedefs().fields():
            reg, _, mode = f.name.rpartition("_")
            modes.setdefault(mode, {})
            if reg in ("sp", "lr", "spsr"):
                modes[mode][reg] = int(b[f.name])
            else:
                extra.setdefault(mode, []).append("%s %08x" % (reg, int(b[f.name])))
        for mode, regs_m in modes.items():
            cells = ["%08x" % regs_m[x] if x in regs_m else "-".ljust(8)
                     for x in ("sp", "lr", "spsr")]
            note = ""
            if regs_m.get("spsr"):
                note = "(" + psr_str(regs_m["spsr"]) + ")"
            if mode in extra:
                note += (" " if note else "") + " ".join(extra[mode])
            out.append(("  %-4s %s  %s  %s  %s" % (mode, cells[0], cells[1], cells[2],
                                                   note)).rstrip())

        out.append("cp15:")
        c = arch["cp15"]
        key = ["sctlr", "ttbcr", "ttbr0", "ttbr1", "vbar", "dacr", "contextidr"]
        fields = [f.name for f in c.type.strip_typedefs().fields()]
        order = [f for f in key if f in fields] + [f for f in fields if f not in key]
        cells = []
        for f in order:
            v = int(c[f])
            width = c[f].type.strip_typedefs().sizeof * 2
            cells.append("%-10s %0*x" % (f, width, v))
        for k in range(0, len(cells), 3):
            out.append("  " + "  ".join("%-27s" % x for x in cells[k:k + 3]).rstrip())
        if "sctlr" in fields:
            out.append("  sctlr: %s" % sctlr_str(int(c["sctlr"])))
        if "ttbcr" in fields:
            t = int(c["ttbcr"])
            out.append("  ttbcr: %s" % ("lpae (eae=1)" if t >> 31 & 1 else
                                        "short descriptors, n=%d" % (t & 7)))
        more = [(f.name, arch[f.name]) for f in arch.type.strip_typedefs().fields()
                if f.name in ("hcr", "vmpidr")]
        if more:
            out.append("  " + "  ".join("%s %08x" % (nm, int(v)) for nm, v in more))
        gdb.write("\n".join(out) + "\n")


class HypTrace(gdb.Command):
    """The last N trap records (default 20) of all CPUs' rings, oldest first:
hyp trace [N]. Columns: the CPU and its ring's sequence number, CNTPCT at
the trap, microseconds since the previous record, vm.vcpu, EC and its
class, HSR, guest pc, fault ipa, hyp cycles, and the VM's running exit
count at that trap, like the seed's kvm_exit lines (worked back from the
VM's total, so exact once the VM has stopped). A record overwritten or
half-written since is flagged."""

    def __init__(self):
        super().__init__("hyp trace", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        arg = arg.strip()
        try:
            want = int(arg, 0) if arg else 20
        except ValueError:
            raise gdb.GdbError("usage: hyp trace [N]")
        tl = traplog()
        rings = tl["rec"]
        length = min(int(tl["ring_len"]) or array_len(rings[0]), array_len(rings[0]))
        nr_ec = int(tl["nr_ec"]) or 64
        freq = int(tl["cntfrq"])
        recs = []                       # (timestamp, cpu, seq, record): each cpu's last n
        for cpu in range(int(tl["nr_rings"])):
            head = int(tl["ring"][cpu]["seq"])
            n = max(0, min(want, head, length))
            if n > 64:
                fetched(rings[cpu])     # one read of the ring rather than n
            for seq in range(head - n + 1, head + 1):
                r = fetched(rings[cpu][seq & (length - 1)])
                recs.append((int(r["timestamp"]), cpu, seq, r))
        recs = sorted(recs, key=lambda t: t[:2])[-want:] if want else []
        running, counts = {}, []
        for _, _, _, r in reversed(recs):   # each VM's exits, counted back from its total
            vm = int(r["vm"])
            if int(r["ec"]) == nr_ec + 2:       # a control action: vm is its caller, 255 the console
                counts.append(0)
                continue
            if vm not in running:
                v = tl["vm"][vm]
                running[vm] = sum(int(v["vcpu"][j]["total"]) for j in range(int(v["nr_vcpus"])))
            counts.append(running[vm])
            if int(r["ec"]) != nr_ec + 1:       # a MARK is not an exit
                running[vm] -= 1
        counts.reverse()
        out = ["%3s %8s %16s %10s %-7s %-5s %-18s %-8s %-8s %-9s %8s %s"
               % ("cpu", "seq", "cntpct", "+us", "vm.vcpu", "EC", "class", "hsr", "pc", "ipa",
                  "cycles", "count")]
        prev = None
        for (ts, cpu, seq, r), count in zip(recs, counts):
            dt = "-" if prev is None or not freq else "%d" % ((ts - prev) * 1000000 // freq)
            prev = ts
            ec = int(r["ec"])
            line = ("%3d %8d %16d %10s %-7s %-5s %-18s %08x %08x %-9x %8d %d"
                    % (cpu, seq, ts, dt, "%d.%d" % (int(r["vm"]), int(r["vcpu"])),
                       "%#04x" % ec if ec < nr_ec else "-", ec_name(ec, nr_ec),
                       int(r["hsr"]), int(r["pc"]), int(r["ipa"]), int(r["cost"]), count))
            if int(r["seq"]) != seq:
                line += "  (slot holds seq %d: overwritten or in progress)" % int(r["seq"])
            out.append(line)
        if not recs:
            out.append("  (no traps recorded yet)")
        gdb.write("\n".join(out) + "\n")


Hyp()
HypConnect()
HypVms()
HypStats()
HypVcpu()
HypTrace()
