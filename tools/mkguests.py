#!/usr/bin/python3
"""Packs the VMs of a manifest (vms/*.conf) into hyp.bin.

Usage: tools/mkguests.py MANIFEST DTS_TEMPLATE OUT_DIR
Writes OUT_DIR/images.S (the images and their struct guest_image table,
hyp/core/include/vm.h) and, per guest, OUT_DIR/<name>.dts and .dtb.
Placement follows qemu -kernel/-initrd on the virt board (hw/arm/boot.c),
the board every guest sees whatever board the hypervisor runs on: kernel
at RAM + 0x10000, initrd at RAM + min(RAM size / 2, 128 MiB), the device
tree at the next 4 KiB after the initrd. A bad manifest fails with
file:line and the reason. The manifest's format is described in
vms/default.conf.
"""
import os
import re
import subprocess
import sys

RAM_BASE = 0x40000000
KERNEL_OFFSET = 0x10000
FLAGS = {"testdev": 1, "default": 2, "traplog-own": 4, "traplog-all": 8, "console": 16}
TRAPLOG_IPA, TRAPLOG_SIZE = 0x0c000000, 9 * 8192 + 4 * 32 * 1024   # traplog.h: sizeof
ZIMAGE_MAGIC_OFF, ZIMAGE_MAGIC = 0x24, 0x016F2818


def fail(where, msg):
    sys.exit("%s: error: %s" % (where, msg))


def align(x, a):
    return (x + a - 1) // a * a


KEYS = {"kernel", "initrd", "bootargs", "memory", "vcpus", "cpus", "exclusive", "devices", "start",
        "traplog", "disk"}
DEVICES = {"uart", "testdev", "console"}
# the guest board's virtio-mmio slots (hyp/core/include/guest_board.h): slot n at
# 0x0a000000 + 0x200 n with SPI 16 + n; the console in slot 0, the disk in slot 1
VIRTIO_IPA, VIRTIO_SIZE, VIRTIO_SPI = 0x0a000000, 0x200, 16
VIRTIO_SLOTS = {"console": 0, "disk": 1}


def size_mib(where, v):
    m = re.fullmatch(r"(\d+)([MG]?)", v)
    if not m:
        fail(where, "memory '%s': want a size like 256M or 1G" % v)
    return int(m.group(1)) * (1024 if m.group(2) == "G" else 1)


def disk_range(where, v):
    """disk = SIZE, or SIZE@OFFSET on the board's disk: (MiB, MiB or None)"""
    size, at, off = v.partition("@")
    m = re.fullmatch(r"(\d+)([MG])", size.strip())
    o = re.fullmatch(r"(\d+)([MG])", off.strip()) if at else None
    if not m or (at and not o):
        fail(where, "disk '%s': want a size like 64M or 1G, or SIZE@OFFSET like 64M@128M" % v)
    mib = lambda x: int(x.group(1)) * (1024 if x.group(2) == "G" else 1)
    if not mib(m):
        fail(where, "disk '%s': empty" % v)
    return mib(m), mib(o) if o else None


def cpu_mask(where, v):
    mask = 0
    try:
        for part in v.split(","):
            lo, _, hi = part.strip().partition("-")
            for c in range(int(lo), int(hi or lo) + 1):
                mask |= 1 << c
    except ValueError:
        fail(where, "cpus '%s': want a list like 0, 0-1 or 0,2" % v)
    if not mask or mask >> 4:
        fail(where, "cpus '%s': cpus 0 to 3 only" % v)
    return mask


def parse(path):
    """board and vm blocks; returns the board (memory MiB, cpus) and the VMs."""
    board, vms, cur = None, [], None
    for n, raw in enumerate(open(path), 1):
        where = "%s:%d" % (path, n)
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        w = line.split()
        if not raw[0].isspace():
            if w[0] == "board":
                kv = dict(x.split("=", 1) for x in w[1:] if "=" in x)
                if set(kv) != {"memory", "cpus"} or len(kv) != len(w) - 1:
                    fail(where, "want: board memory=SIZE cpus=N")
                board = (size_mib(where, kv["memory"]), int(kv["cpus"]))
                cur = None
            elif w[0] == "vm" and len(w) == 2:
                name = w[1]
                if not re.fullmatch(r"[A-Za-z0-9_-]{1,15}", name):
                    fail(where, "bad VM name '%s' (letters, digits, - and _, at most 15)" % name)
                if any(v["name"] == name for v in vms):
                    fail(where, "VM '%s' defined twice" % name)
                cur = {"name": name, "where": where}
                vms.append(cur)
            else:
                fail(where, "want 'board ...' or 'vm NAME', then indented 'key = value' lines")
            continue
        if cur is None:
            fail(where, "a setting outside any 'vm NAME' block")
        key, eq, value = line.strip().partition("=")
        key, value = key.strip(), value.strip()
        if not eq:
            fail(where, "want 'key = value'")
        if key not in KEYS:
            fail(where, "unknown key '%s' (known: %s)" % (key, ", ".join(sorted(KEYS))))
        if key in cur:
            fail(where, "'%s' given twice for VM %s" % (key, cur["name"]))
        cur[key] = (value, where)
    if board is None:
        fail(path, "no 'board memory=SIZE cpus=N' line")
    if not vms:
        fail(path, "no VMs")
    return board, [check_vm(board, v) for v in vms], vms


def check_vm(board, v):
    get = lambda k, d=None: v[k][0] if k in v else d
    at = lambda k: v[k][1] if k in v else v["where"]
    if "kernel" not in v:
        fail(v["where"], "VM %s has no kernel" % v["name"])
    kernel, initrd = get("kernel"), get("initrd", "-")
    for what, file in (("kernel", kernel), ("initrd", initrd)):
        if file != "-" and not os.path.isfile(file):
            fail(at(what), "%s '%s' does not exist" % (what, file))
    data = open(kernel, "rb").read(64)
    if len(data) < 4:
        fail(at("kernel"), "kernel '%s' is empty" % kernel)
    if kernel.endswith("zImage") and (len(data) < 0x28 or int.from_bytes(
            data[ZIMAGE_MAGIC_OFF:ZIMAGE_MAGIC_OFF + 4], "little") != ZIMAGE_MAGIC):
        fail(at("kernel"), "kernel '%s' is not an ARM zImage (no magic at 0x24)" % kernel)
    ram = size_mib(at("memory"), get("memory", "16M"))
    if ram < 4 or ram > board[0] - 8:
        fail(at("memory"), "memory %d MiB: the board has %d MiB (the hypervisor keeps 8)" % (
            ram, board[0]))
    try:
        vcpus = int(get("vcpus", "1"))
    except ValueError:
        fail(at("vcpus"), "vcpus must be a number")
    if vcpus < 1 or vcpus > 4:
        fail(at("vcpus"), "vcpus %d: want 1 to 4" % vcpus)
    mask = cpu_mask(at("cpus"), get("cpus", "0"))
    if mask >> board[1]:
        fail(at("cpus"), "cpus '%s': the board has %d" % (get("cpus"), board[1]))
    devices = set(get("devices", "uart").replace(",", " ").split())
    if devices - DEVICES:
        fail(at("devices"), "unknown device '%s' (known: %s)" % (
            sorted(devices - DEVICES)[0], ", ".join(sorted(DEVICES))))
    if "uart" not in devices:
        fail(at("devices"), "every VM needs its uart")
    flags = (FLAGS["testdev"] if "testdev" in devices else 0)
    if "console" in devices:
        flags |= FLAGS["console"]
    for key in ("start", "exclusive"):
        if get(key, "no") not in ("yes", "no"):
            fail(at(key), "%s: yes or no" % key)
    if get("start", "no") == "yes":
        flags |= FLAGS["default"]
    traplog = get("traplog", "none")
    if traplog not in ("none", "own", "all"):
        fail(at("traplog"), "traplog '%s': none, own or all" % traplog)
    if traplog != "none":
        flags |= FLAGS["traplog-" + traplog]
    disk_mib, disk_at = disk_range(at("disk"), get("disk")) if "disk" in v else (0, None)
    ksize = os.path.getsize(kernel)
    isize = os.path.getsize(initrd) if initrd != "-" else 0
    ram_bytes = ram << 20
    initrd_at = RAM_BASE + min(ram_bytes // 2, 128 << 20)
    if initrd_at < RAM_BASE + KERNEL_OFFSET + ksize:
        initrd_at = align(RAM_BASE + KERNEL_OFFSET + ksize, 4096)
    dtb_at = align(initrd_at + isize, 4096)
    if dtb_at + 0x10000 > RAM_BASE + ram_bytes:
        fail(at("memory"), "kernel, initrd and device tree do not fit in %d MiB" % ram)
    return dict(name=v["name"], kernel=kernel, initrd=initrd, ram=ram, vcpus=vcpus, cpus=mask,
                flags=flags, bootargs=get("bootargs", ""), initrd_at=initrd_at, isize=isize,
                dtb_at=dtb_at, exclusive=get("exclusive", "no") == "yes", where=v["where"],
                traplog=traplog, disk_mib=disk_mib, disk_at=disk_at, disk_where=at("disk"))


def lay_out_disks(guests):
    """each disk's place on the board's disk: where the manifest says, else after the one
    before it in the manifest; no two overlap. sets disk_start_mib; returns the MiB needed"""
    taken, end = [], 0
    for g in guests:
        if not g["disk_mib"]:
            continue
        start = g["disk_at"] if g["disk_at"] is not None else end
        for s, e, h in taken:
            if start < e and s < start + g["disk_mib"]:
                fail(g["disk_where"], "VM %s's disk [%dM, %dM) overlaps VM %s's [%dM, %dM)" % (
                    g["name"], start, start + g["disk_mib"], h, s, e))
        taken.append((start, start + g["disk_mib"], g["name"]))
        g["disk_start_mib"] = start
        end = start + g["disk_mib"]
    return max((e for _, e, _ in taken), default=0)


def check_together(board, guests):
    """what only the whole manifest shows: memory of the VMs that start, exclusive cpus."""
    start = [g for g in guests if g["flags"] & FLAGS["default"]]
    total = sum(g["ram"] for g in start)
    if total > board[0] - 8:
        fail(start[-1]["where"], "the VMs that start want %d MiB, the board has %d" % (
            total, board[0]))
    for g in guests:
        if not g["exclusive"]:
            continue
        for h in guests:
            if h is not g and h["cpus"] & g["cpus"]:
                fail(h["where"], "VM %s shares cpus with %s, which asks for them alone (%s)" % (
                    h["name"], g["name"], g["where"]))


def write_dtb(g, template, out):
    cpus = "".join("\t\tcpu@%d {\n\t\t\tdevice_type = \"cpu\";\n\t\t\tcompatible = \"arm,cortex-a15\";\n"
                   "\t\t\treg = <%d>;\n\t\t\tenable-method = \"psci\";\n\t\t};\n" % (i, i)
                   for i in range(g["vcpus"]))
    initrd = ""
    if g["isize"]:
        initrd = "\t\tlinux,initrd-start = <0x%x>;\n\t\tlinux,initrd-end = <0x%x>;\n" % (
            g["initrd_at"], g["initrd_at"] + g["isize"])
    ram = g["ram"] << 20
    traplog = ""
    if g["traplog"] != "none":
        size = TRAPLOG_SIZE if g["traplog"] == "all" else 2 * 8192    # header, its own VM
        traplog = ("\thyp-traplog@%x {\n\t\tcompatible = \"armv7hyp,traplog\";\n"
                   "\t\treg = <0x0 0x%x 0x0 0x%x>;\n\t\taccess = \"%s\";\n"
                   "\t\tvm-name = \"%s\";\n\t};\n\n" % (TRAPLOG_IPA, TRAPLOG_IPA, size,
                                                        g["traplog"], g["name"]))
    virtio = ""
    for dev, slot in sorted(VIRTIO_SLOTS.items(), key=lambda x: x[1]):
        if dev == "console" and not g["flags"] & FLAGS["console"] or \
                dev == "disk" and not g.get("disk_mib"):
            continue
        ipa = VIRTIO_IPA + VIRTIO_SIZE * slot
        virtio += ("\tvirtio_mmio@%x {\n\t\tcompatible = \"virtio,mmio\";\n"
                   "\t\treg = <0x0 0x%x 0x0 0x%x>;\n"
                   "\t\tinterrupts = <0 %d 4>;\t\t/* SPI %d = ID %d, level high: the %s */\n"
                   "\t\tdma-coherent;\n\t};\n\n" % (ipa, ipa, VIRTIO_SIZE, VIRTIO_SPI + slot,
                                                      VIRTIO_SPI + slot, 32 + VIRTIO_SPI + slot, dev))
    dts = (template.replace("@NAME@", g["name"]).replace("@BOOTARGS@", g["bootargs"])
           .replace("@TRAPLOG@", traplog).replace("@VIRTIO@", virtio)
           .replace("@INITRD@", initrd).replace("@CPUS@", cpus)
           .replace("@RAM_HI@", "0x%x" % (ram >> 32)).replace("@RAM_LO@", "0x%x" % (ram & 0xffffffff)))
    base = os.path.join(out, g["name"])
    open(base + ".dts", "w").write(dts)
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", base + ".dtb", base + ".dts"], check=True)
    return base + ".dtb"


def main():
    conf, template_path, out = sys.argv[1:4]
    template = open(template_path).read()
    os.makedirs(out, exist_ok=True)
    board, guests, _ = parse(conf)
    check_together(board, guests)
    lay_out_disks(guests)
    blobs = {}                                  # file -> label: one copy per file

    def blob(path):
        if path not in blobs:
            blobs[path] = "blob_%d" % len(blobs)
        return blobs[path]

    s = ["/* generated by tools/mkguests.py from %s: do not edit */" % conf,
         "\t.section .rodata.guest_images, \"a\"", "\t.balign 4", "\t.global guest_images",
         "guest_images:"]
    for i, g in enumerate(guests):
        dtb = write_dtb(g, template, out)
        k, d = blob(g["kernel"]), blob(dtb)
        ini = blob(g["initrd"]) if g["initrd"] != "-" else None
        s.append("\t.word name_%d, %s, %s_end, %s, %s, 0x%x, %s, %s_end, 0x%x, %d, %d, 0x%x, %d, "
                 "%d, %d" % (
                     i, k, k, ini or 0, (ini + "_end") if ini else 0, g["initrd_at"], d, d,
                     g["dtb_at"], g["ram"], g["vcpus"], g["cpus"], g["flags"],
                     g.get("disk_start_mib", 0), g.get("disk_mib", 0)))
    s.append("\t.word " + ", ".join(["0"] * 15))
    for i, g in enumerate(guests):
        s.append("name_%d: .asciz \"%s\"" % (i, g["name"]))
    s.append("\t.section .guest_images, \"a\"")
    for path, label in blobs.items():
        s += ["\t.balign 4096", "%s: .incbin \"%s\"" % (label, path), "%s_end:" % label]
    open(os.path.join(out, "images.S"), "w").write("\n".join(s) + "\n")


if __name__ == "__main__":
    main()
