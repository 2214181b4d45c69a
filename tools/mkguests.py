#!/usr/bin/python3
"""Packs the guests of a guest list (platform/<board>/guests.conf) into hyp.bin.

Usage: tools/mkguests.py GUESTS_CONF DTS_TEMPLATE OUT_DIR
Writes OUT_DIR/images.S (the images and their struct guest_image table,
hyp/core/include/vm.h) and, per guest, OUT_DIR/<name>.dts and .dtb.
Placement follows qemu -kernel/-initrd on the virt board (hw/arm/boot.c):
kernel at RAM + 0x10000, initrd at RAM + min(RAM size / 2, 128 MiB), the
device tree at the next 4 KiB after the initrd. A bad line fails with
file:line and the reason.
"""
import os
import subprocess
import sys

RAM_BASE = 0x40000000
KERNEL_OFFSET = 0x10000
FLAGS = {"testdev": 1, "default": 2}
ZIMAGE_MAGIC_OFF, ZIMAGE_MAGIC = 0x24, 0x016F2818


def fail(where, msg):
    sys.exit("%s: error: %s" % (where, msg))


def align(x, a):
    return (x + a - 1) // a * a


def parse(path):
    guests = []
    for n, line in enumerate(open(path), 1):
        where = "%s:%d" % (path, n)
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        w = line.split()
        if len(w) < 8:
            fail(where, "want: name kernel initrd ram_mib vcpus cpus flags bootargs...")
        name, kernel, initrd, ram, vcpus, cpus, flags = w[:7]
        bootargs = " ".join(w[7:])
        try:
            mask = 0
            for part in cpus.split(","):
                lo, _, hi = part.partition("-")
                for c in range(int(lo), int(hi or lo) + 1):
                    mask |= 1 << c
        except ValueError:
            fail(where, "cpus '%s': want a list like 0 or 0-1 or 0,2" % cpus)
        if not mask or mask >> 4:
            fail(where, "cpus '%s': cpus 0 to 3 only" % cpus)
        if not name.isidentifier() and not name.replace("-", "_").isidentifier() or len(name) > 15:
            fail(where, "bad guest name '%s' (letters, digits, - and _, at most 15)" % name)
        if any(g["name"] == name for g in guests):
            fail(where, "guest '%s' listed twice" % name)
        try:
            ram, vcpus = int(ram), int(vcpus)
        except ValueError:
            fail(where, "ram_mib and vcpus must be numbers")
        if ram < 4 or ram > 3072:
            fail(where, "ram_mib %d: want 4 to 3072" % ram)
        if vcpus < 1 or vcpus > 4:
            fail(where, "vcpus %d: want 1 to 4" % vcpus)
        f = 0
        for flag in ([] if flags == "-" else flags.split(",")):
            if flag not in FLAGS:
                fail(where, "unknown flag '%s' (known: %s)" % (flag, ", ".join(FLAGS)))
            f |= FLAGS[flag]
        for what, file in (("kernel", kernel), ("initrd", initrd)):
            if file != "-" and not os.path.isfile(file):
                fail(where, "%s '%s' does not exist" % (what, file))
        if kernel == "-":
            fail(where, "a guest needs a kernel")
        data = open(kernel, "rb").read(64)
        if kernel.endswith("zImage") and (len(data) < 0x28 or int.from_bytes(
                data[ZIMAGE_MAGIC_OFF:ZIMAGE_MAGIC_OFF + 4], "little") != ZIMAGE_MAGIC):
            fail(where, "kernel '%s' is not an ARM zImage (no magic at 0x24)" % kernel)
        if len(data) < 4:
            fail(where, "kernel '%s' is empty" % kernel)
        ksize = os.path.getsize(kernel)
        isize = os.path.getsize(initrd) if initrd != "-" else 0
        ram_bytes = ram << 20
        initrd_at = RAM_BASE + min(ram_bytes // 2, 128 << 20)
        if initrd_at < RAM_BASE + KERNEL_OFFSET + ksize:
            initrd_at = align(RAM_BASE + KERNEL_OFFSET + ksize, 4096)
        dtb_at = align(initrd_at + isize, 4096)
        if dtb_at + 0x10000 > RAM_BASE + ram_bytes:
            fail(where, "kernel, initrd and device tree do not fit in %d MiB" % ram)
        guests.append(dict(name=name, kernel=kernel, initrd=initrd, ram=ram, vcpus=vcpus,
                           cpus=mask, flags=f, bootargs="" if bootargs == "-" else bootargs,
                           initrd_at=initrd_at, isize=isize, dtb_at=dtb_at))
    if not guests:
        fail(path, "no guests")
    return guests


def write_dtb(g, template, out):
    cpus = "".join("\t\tcpu@%d {\n\t\t\tdevice_type = \"cpu\";\n\t\t\tcompatible = \"arm,cortex-a15\";\n"
                   "\t\t\treg = <%d>;\n\t\t\tenable-method = \"psci\";\n\t\t};\n" % (i, i)
                   for i in range(g["vcpus"]))
    initrd = ""
    if g["isize"]:
        initrd = "\t\tlinux,initrd-start = <0x%x>;\n\t\tlinux,initrd-end = <0x%x>;\n" % (
            g["initrd_at"], g["initrd_at"] + g["isize"])
    ram = g["ram"] << 20
    dts = (template.replace("@NAME@", g["name"]).replace("@BOOTARGS@", g["bootargs"])
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
    guests = parse(conf)
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
        s.append("\t.word name_%d, %s, %s_end, %s, %s, 0x%x, %s, %s_end, 0x%x, %d, %d, 0x%x, %d" % (
            i, k, k, ini or 0, (ini + "_end") if ini else 0, g["initrd_at"], d, d, g["dtb_at"],
            g["ram"], g["vcpus"], g["cpus"], g["flags"]))
    s.append("\t.word " + ", ".join(["0"] * 13))
    for i, g in enumerate(guests):
        s.append("name_%d: .asciz \"%s\"" % (i, g["name"]))
    s.append("\t.section .guest_images, \"a\"")
    for path, label in blobs.items():
        s += ["\t.balign 4096", "%s: .incbin \"%s\"" % (label, path), "%s_end:" % label]
    open(os.path.join(out, "images.S"), "w").write("\n".join(s) + "\n")


if __name__ == "__main__":
    main()
