"""Devices of the board given to a VM (docs/passthrough.md): the manifest's refusals, the
PL031 real-time clock read directly and its interrupt taken through a linked LR, a virtio
disk driven by DMA from an identity VM, the UARTs (vexpress-a15's UART1 mapped,
orangepi-pc's forwarded: it shares the console's page), and Debian's own drivers on
vexpress-a15's UART1, PL181 and LAN9118."""
import hashlib
import io
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pexpect
import pytest

import boardtree
from harness import (BUILD, PLATFORM, PT_SLOT, ROOT, Board, boot, command, disk_args,
                     free_port, parse_tables, pt_disk_args, qemu, spawn)
import consts  # noqa: E402 (build/include, on the path harness gives)

# every board has a device tree the build reads (BOARD_DTB_CMD, platform.mk); the PL031's
# tests need one (platform.mk's PL031 := yes)
needs_pl031 = pytest.mark.skipif(PLATFORM not in ("virt", "vexpress-a15"),
                                 reason="%s has no PL031" % PLATFORM)
PT_BIN = BUILD / "rtc" / "hyp.bin"           # vms/rtc.conf: the rtc stub alone

HVC, DABT, WFX = 0x12, 0x24, 0x01
STUB = "build/stubs/hvc.bin"
HEAD = "board memory=1G cpus=2\n\nvm a\n  kernel = %s\n  memory = 16M\n" % STUB


def mkguests(tmp_path, text):
    conf = tmp_path / "m.conf"
    conf.write_text(text)
    p = subprocess.run(["/usr/bin/python3", "tools/mkguests.py", str(conf), "vms/guest.dts.in",
                        str(tmp_path / "out"), str(BUILD / "board.dtb"),
                        str(BUILD / "include" / "plat.py")],
                       cwd=ROOT, capture_output=True, text=True)
    return conf, p


# each refusal on each board: (the VM's lines, the line refused, why)
IOFPGA = "/bus@8000000/motherboard-bus@8000000/iofpga-bus@300000000"
BAD = {
    "virt": [
        ("  passthrough = arm,pl031\n\nvm b\n  kernel = %s\n  passthrough = /pl031@9010000\n"
         % STUB, 10, "/pl031@9010000 [0x9010000, 0x9011000) is VM a's already (%s:6)"),
        ("  mmio = 0x9010000+0x1000\n  irq = 34\n\nvm b\n  kernel = %s\n  mmio = 0x9010000+0x1000\n"
         % STUB, 11, "/pl031@9010000 [0x9010000, 0x9011000) is VM a's already (%s:6)"),
        ("  passthrough = /intc@8000000\n", 6,
         "/intc@8000000 [0x8000000, 0x8010000) is the hypervisor's own: the GIC"),
        ("  passthrough = /pl011@9000000\n", 6,
         "/pl011@9000000 [0x9000000, 0x9001000) is the hypervisor's own: its UART"),
        ("  mmio = 0xa003e00+0x200\n", 6, "[0xa003e00, 0xa004000) is the hypervisor's own: "
         "the virtio slots of its disk and network card"),
        ("  passthrough = /timer\n", 6, "/timer is the hypervisor's own: the timer (its "
         "interrupts are private to each cpu)"),
        ("  mmio = 0x9010000+0x800\n  irq = 34\n", 6, "/pl031@9010000 [0x9010000, 0x9010800) "
         "is not page-aligned: stage 2 maps 4 KiB pages, and the rest of the page would go "
         "with it"),
        ("  mmio = 0x9010000+0x1000\n  irq = 33\n", 6,
         "interrupt 33 is not /pl031@9010000's: the board's tree gives it 34"),
        ("  passthrough = /fw-cfg@9020000\n", 6, "/fw-cfg@9020000 does DMA, and with no IOMMU "
         "it reaches all of the board's memory: only an identity-mapped VM may have it "
         "(identity = ADDR: docs/passthrough.md)"),
        ("  passthrough = /virtio_mmio@a002000\n", 6, "/virtio_mmio@a002000 does DMA, and with "
         "no IOMMU it reaches all of the board's memory: only an identity-mapped VM may have it "
         "(identity = ADDR: docs/passthrough.md)"),
        # slot 28: in the top page of slots, the hypervisor's disk and card's; slot 23 goes
        # with its page, slot 16's, another VM's
        ("  identity = 0x70000000\n  passthrough = /virtio_mmio@a003800\n", 7,
         "/virtio_mmio@a003800 [0xa003800, 0xa003a00) is the hypervisor's own: the virtio "
         "slots of its disk and network card"),
        ("  identity = 0x70000000\n  passthrough = /virtio_mmio@a002000\n\nvm b\n  kernel = %s\n"
         "  identity = 0x60000000\n  passthrough = /virtio_mmio@a002e00\n" % STUB, 12,
         "/virtio_mmio@a002e00 [0xa002000, 0xa003000) is VM a's already (%s:7)"),
        ("  forward = /memory@40000000\n", 6, "/memory@40000000 [0x40000000, 0x48000000) lies "
         "outside the hypervisor's device window [0x0, 0x40000000): it cannot forward it"),
    ],
    "vexpress-a15": [
        ("  passthrough = arm,pl031\n\nvm b\n  kernel = %s\n  passthrough = %s/rtc@170000\n"
         % (STUB, IOFPGA), 10,
         IOFPGA + "/rtc@170000 [0x1c170000, 0x1c171000) is VM a's already (%s:6)"),
        ("  mmio = 0x1c0a0000+0x1000\n  irq = 38\n\nvm b\n  kernel = %s\n  passthrough = serial1\n"
         % STUB, 11, IOFPGA + "/serial@a0000 [0x1c0a0000, 0x1c0a1000) is VM a's already (%s:6)"),
        ("  passthrough = /interrupt-controller@2c001000\n", 6, "/interrupt-controller@2c001000 "
         "[0x2c001000, 0x2c002000) is the hypervisor's own: the GIC"),
        ("  passthrough = serial0\n", 6,
         IOFPGA + "/serial@90000 [0x1c090000, 0x1c091000) is the hypervisor's own: its UART"),
        ("  mmio = 0x1c130000+0x1000\n", 6, "[0x1c130000, 0x1c131000) is the hypervisor's own: "
         "the virtio slots of its disk and network card"),
        ("  passthrough = %s/sysreg@10000\n" % IOFPGA, 6, IOFPGA + "/sysreg@10000 [0x1c010000, "
         "0x1c011000) is the hypervisor's own: the system registers it starts cpus with"),
        ("  passthrough = /timer\n", 6, "/timer is the hypervisor's own: the timer (its "
         "interrupts are private to each cpu)"),
        ("  mmio = 0x1c170000+0x800\n  irq = 36\n", 6, IOFPGA + "/rtc@170000 [0x1c170000, "
         "0x1c170800) is not page-aligned: stage 2 maps 4 KiB pages, and the rest of the page "
         "would go with it"),
        ("  mmio = 0x1c170000+0x1000\n  irq = 37\n", 6,
         "interrupt 37 is not %s/rtc@170000's: the board's tree gives it 36" % IOFPGA),
        ("  passthrough = /dma@7ffb0000\n", 6, "/dma@7ffb0000 does DMA, and with no IOMMU "
         "it reaches all of the board's memory: only an identity-mapped VM may have it "
         "(identity = ADDR: docs/passthrough.md)"),
    ],
}
# the H3's UART1-3 share the page of UART0, the hypervisor's console: forwarded, never mapped
SERIAL1 = "/soc/serial@1c28400"
DMA = ("does DMA, and with no IOMMU it reaches all of the board's memory: only an "
       "identity-mapped VM may have it (identity = ADDR: docs/passthrough.md)")
BAD["orangepi-pc"] = [
    ("  forward = /soc/serial@1c28000\n", 6,
     "/soc/serial@1c28000 [0x1c28000, 0x1c28400) is the hypervisor's own: its UART"),
    ("  forward = serial0\n", 6,
     "/soc/serial@1c28000 [0x1c28000, 0x1c28400) is the hypervisor's own: its UART"),
    ("  mmio = 0x1c28000+0x1000\n", 6, "[0x1c28000, 0x1c29000) is the hypervisor's own: its UART"),
    ("  passthrough = %s\n" % SERIAL1, 6, SERIAL1 + " [0x1c28400, 0x1c28800) is not page-aligned: "
     "stage 2 maps 4 KiB pages, and the rest of the page would go with it"),
    ("  forward = %s\n\nvm b\n  kernel = %s\n  forward = %s\n" % (SERIAL1, STUB, SERIAL1), 10,
     SERIAL1 + " [0x1c28400, 0x1c28800) is VM a's already (%s:6)"),
    ("  forward = %s %s\n" % (SERIAL1, SERIAL1), 6,
     SERIAL1 + " [0x1c28400, 0x1c28800) is VM a's already (%s:6)"),
    ("  forward = /soc/interrupt-controller@1c81000\n", 6, "/soc/interrupt-controller@1c81000 "
     "[0x1c81000, 0x1c82000) is the hypervisor's own: the GIC"),
    ("  forward = /timer\n", 6, "/timer is the hypervisor's own: the timer (its interrupts are "
     "private to each cpu)"),
    ("  forward = /soc/clock@1c20000\n", 6, "/soc/clock@1c20000 [0x1c20000, 0x1c20400) is the "
     "hypervisor's own: the clock and reset controller of its UART"),
    ("  forward = %s\n\nvm b\n  kernel = %s\n  passthrough = /soc/system-control@1c00000\n"
     "\nvm c\n  kernel = %s\n  identity = 0x70000000\n  passthrough = ethernet0\n"
     % (SERIAL1, STUB, STUB), 10, "[0x1c00000, 0x1c01000) is shared by VM c's devices "
     "(%s:12): no VM may own it whole"),
    ("  forward = /soc/dma-controller@1c02000\n", 6, "/soc/dma-controller@1c02000 " + DMA),
    ("  passthrough = ethernet0\n", 6, "/soc/ethernet@1c30000 " + DMA),
    ("  passthrough = /soc/mmc@1c0f000\n", 6, "/soc/mmc@1c0f000 " + DMA),
    ("  forward = /soc/usb@1c1a000\n", 6, "/soc/usb@1c1a000 " + DMA),
    ("  devices = uart testdev console\n  control = yes\n  net = yes\n  disk = 16M\n"
     "  forward = %s /soc/serial@1c28800\n" % SERIAL1, 10,
     "VM a would have 10 emulated and forwarded devices: the hypervisor takes 8"),
]
EITHER = [
    ("  passthrough = /nothing@0\n", 6, "the board's device tree has no device /nothing@0"),
    ("  irq = 34\n", 6, "irq without mmio: want mmio = ADDR+SIZE, irq = ID"),
    ("  mmio = 0x1000\n", 6, "mmio '0x1000': want ADDR+SIZE like 0x9010000+0x1000"),
]
# identity = ADDR (docs/passthrough.md): the VM's 16 MiB at the board's ADDR, guest-physical
# the same; the board's ram is 1 GiB at Board.ram, the hypervisor's image its first 10 MiB
# (8 MiB its own and the stub, rounded to 2 MiB)
RAM = Board.ram
IDENTITY = [
    ("  identity = yes\n", 6, "identity = yes: want the board address its ram starts at, like "
     "identity = 0x70000000 (its size is memory's), or no"),
    ("  identity = %#x\n" % (RAM + 0x10100000), 6, "identity %#x: not 2 MiB aligned (its ram "
     "is zeroed and mapped in blocks of 2 MiB)" % (RAM + 0x10100000)),
    ("  identity = 0xffe00000\n", 6, "identity [0xffe00000, 0x100e00000): beyond 4 GiB"),
    ("  identity = 0xc000000\n", 6, "identity [0xc000000, 0xd000000) lies on the guest board's "
     "trap log [0xc000000, %#x)" % (0xc000000 + consts.TRAPLOG_SIZE)),
    ("  identity = 0xa000000\n", 6, "identity [0xa000000, 0xb000000) lies on the guest board's "
     "virtio slots [0xa000000, 0xa002000)"),
    ("  identity = %#x\n" % (RAM + 0x3f800000), 6, "identity [%#x, %#x) is not the board's ram "
     "[%#x, %#x) (board memory=1024M)" % (RAM + 0x3f800000, RAM + 0x40800000, RAM, RAM + 0x40000000)),
    ("  identity = %#x\n" % (RAM + 0x800000), 6, "identity [%#x, %#x) overlaps the hypervisor's "
     "[%#x, %#x): its own 8 MiB and the guests' images" % (RAM + 0x800000, RAM + 0x1800000, RAM,
                                                         RAM + 0xa00000)),
    ("  identity = %#x\n\nvm b\n  kernel = %s\n  memory = 16M\n  identity = %#x\n" % (
        RAM + 0x10000000, STUB, RAM + 0x10e00000), 11, "identity [%#x, %#x) overlaps VM a's ram "
     "[%#x, %#x) (%%s:6)" % (RAM + 0x10e00000, RAM + 0x11e00000, RAM + 0x10000000, RAM + 0x11000000)),
]


@pytest.mark.parametrize("lines, line, why", BAD.get(PLATFORM, []) + EITHER + IDENTITY)
def test_a_passthrough_the_board_cannot_give_is_refused(tmp_path, lines, line, why):
    conf, p = mkguests(tmp_path, HEAD + lines)
    assert p.returncode != 0
    assert p.stderr.strip() == "%s:%d: error: %s" % (conf, line, why.replace("%s", str(conf)))


@pytest.mark.skipif(PLATFORM != "virt", reason="virtio-mmio slot 16 is virt's")
def test_an_identity_vm_gets_its_ram_and_a_dma_device(tmp_path):
    """identity = ADDR: the guest's tree says its ram is the board's range there, its
    initrd and tree in it; its image entry carries ADDR; a virtio slot (DMA) is its own,
    mapped as the slot's whole page, with the board node's dma-coherent"""
    conf, p = mkguests(tmp_path, HEAD.replace("16M", "256M") + "  initrd = %s\n"
                       "  identity = 0x70000000\n  passthrough = /virtio_mmio@a002000\n" % STUB)
    assert p.returncode == 0, p.stderr
    dts = (tmp_path / "out" / "a.dts").read_text()
    size = (ROOT / STUB).stat().st_size
    assert "\t\tlinux,initrd-start = <0x78000000>;\n\t\tlinux,initrd-end = <%#x>;\n" % (
        0x78000000 + size) in dts, dts
    assert "\tmemory@70000000 {\n\t\tdevice_type = \"memory\";\n\t\treg = <0x0 0x70000000 " \
           "0x0 0x10000000>;\n" in dts, dts
    # slot 16: SPI 32 (id 64), past the guest board's ids: the guest's first free, 32
    assert '\tvirtio_mmio@a002000 {\n\t\tcompatible = "virtio,mmio";\n\t\treg = <0x0 ' \
           '0xa002000 0x0 0x200>;\n\t\tinterrupts = <0 0 1>;\n\t\tdma-coherent;\n\t};' in dts, dts
    images = (tmp_path / "out" / "images.S").read_text()
    # ram_mib, identity; the dtb right after the initrd; one device: base, size, irq | virq << 16
    dtb = 0x78000000 + (size + 4095) // 4096 * 4096
    assert ", %#x, 256, 0x70000000, 1, " % dtb in images, images
    assert "pt_0:\n\t.word 0xa002000, 0x1000, 0x200040, 0\n" in images, images


@pytest.mark.skipif(PLATFORM != "vexpress-a15", reason="UART1 is vexpress-a15's")
def test_a_passed_through_uart_keeps_the_boards_alias(tmp_path):
    """the guest's tree names the emulated uart serial0 (ttyAMA0) and UART1 serial1, as the
    board's tree does: ttyAMA1 in the guest whichever the kernel probes first"""
    conf, p = mkguests(tmp_path, HEAD + "  passthrough = serial1\n")
    assert p.returncode == 0, p.stderr
    dts = (tmp_path / "out" / "a.dts").read_text()
    assert '\taliases {\n\t\tserial0 = "/pl011@9000000";\n\t\tserial1 = "/serial@1c0a0000";\n' \
        '\t};\n' in dts, dts
    assert '\tserial@1c0a0000 {\n\t\tcompatible = "arm,pl011", "arm,primecell";\n' \
        '\t\treg = <0x0 0x1c0a0000 0x0 0x1000>;\n\t\tinterrupts = <0 6 4>;\n' \
        '\t\tclocks = <0x8000 0x8000>;\n\t\tclock-names = "uartclk", "apb_pclk";\n\t};\n' in dts, dts


@pytest.mark.skipif(PLATFORM != "vexpress-a15", reason="the PL181 and the LAN9118 are "
                    "vexpress-a15's")
def test_a_passed_through_node_keeps_its_settings_not_its_references(tmp_path):
    """the PL181's and the LAN9118's nodes as the guest gets them: both interrupts through the
    motherboard's interrupt-map, the driver's settings copied as bytes, the card-detect and
    write-protect GPIOs (the system registers', the hypervisor's) left out, and one copy of
    the board's fixed 3.3 V regulator for the supplies"""
    conf, p = mkguests(tmp_path, HEAD + "  passthrough = arm,pl180 smsc,lan9118\n")
    assert p.returncode == 0, p.stderr
    dts = (tmp_path / "out" / "a.dts").read_text()
    assert dts.count("regulator-fixed") == 1 and "gpios" not in dts, dts
    assert ('\tfixed-regulator-0 {\n\t\tcompatible = "regulator-fixed";\n'
            '\t\tregulator-name = [33 56 33 00];\n\t\tregulator-min-microvolt = [00 32 5a a0];\n'
            '\t\tregulator-max-microvolt = [00 32 5a a0];\n\t\tregulator-always-on;\n'
            '\t\tphandle = <0x8103>;\n\t};\n\n'
            '\tmmc@1c050000 {\n\t\tcompatible = "arm,pl180", "arm,primecell";\n'
            '\t\treg = <0x0 0x1c050000 0x0 0x1000>;\n\t\tinterrupts = <0 9 4>, <0 10 4>;\n'
            '\t\tclocks = <0x8000 0x8000>;\n\t\tclock-names = "mclk", "apb_pclk";\n'
            '\t\tvmmc-supply = <0x8103>;\n\t\tmax-frequency = [00 b7 1b 00];\n\t};\n\n'
            '\tethernet@1a000000 {\n\t\tcompatible = "smsc,lan9118", "smsc,lan9115";\n'
            '\t\treg = <0x0 0x1a000000 0x0 0x10000>;\n\t\tinterrupts = <0 15 4>;\n'
            '\t\tvdd33a-supply = <0x8103>;\n\t\tvddvario-supply = <0x8103>;\n'
            '\t\tphy-mode = [6d 69 69 00];\n\t\treg-io-width = [00 00 00 04];\n'
            '\t\tsmsc,irq-active-high;\n\t\tsmsc,irq-push-pull;\n\t};\n') in dts, dts


RTC = {"virt": (0x9010000, 34), "vexpress-a15": (0x1c170000, 36)}


@needs_pl031
def test_rtc_read_directly_its_interrupt_through_a_linked_list_register():
    """the PL031: its registers take no exit, its match interrupt comes three times a boot
    with no EOI maintenance (the LR's HW bit ends the physical one), and a reset with one
    left active (never ended by the guest) finds it quiet and working in the next boot"""
    base, irq = RTC[PLATFORM]
    run = boot("rtc", timeout=60, hyp_bin=PT_BIN)
    assert run.rc == 0 and "FAIL" not in run.out, run.tail()
    found = "pl031 at %#x, interrupt %d, id 00141031, the host's time: yes" % (base, irq)
    assert run.guest_lines("rtc") == [
        "rtc: boot 1: " + found, "rtc: boot 1: 3 of 3 match interrupts",
        "rtc: boot 1: interrupt %d left active, RIS 1: reset" % irq,
        "rtc: boot 2: " + found, "rtc: boot 2: 3 of 3 match interrupts"], run.tail()
    t = run.tables["vm 0 (rtc)"]
    uart = run.uart_bytes("rtc")
    # no exit for the rtc: every data abort is the distributor (2 a boot) or the uart;
    # one WFI per interrupt; the null call and the reset, the null call and the power-off
    assert t["mmio"] == {"gicd": 4, "uart": uart}, run.tail()
    assert t["ec"] == {HVC: 4, DABT: 4 + uart, WFX: 7}, run.tail()
    assert t["irq"] == 0, run.tail()     # no EOI maintenance interrupt: HW bit
    # seven physical interrupts handed to the VM, counted apart from the emulated ones
    assert re.search(r"^trap log: vm 0 \(rtc\)\n(  .*\n|\s+total.*\n)*?"
                     r"  passed-through interrupts 7\n", run.out, re.M), run.tail()


@pytest.mark.skipif(PLATFORM != "vexpress-a15", reason="UART1 is vexpress-a15's")
def test_uart1_a_vms_own_serial_line(tmp_path):
    """vexpress-a15's UART1 given to a VM (vms/board-vexpress-a15.conf): what it writes
    there reaches QEMU's second serial port with no exit, and its interrupt comes through
    a linked list register"""
    line = tmp_path / "uart1.txt"
    run = qemu(["-serial", "mon:stdio", "-serial", "file:%s" % line], append="hyp.vms=uart1",
               hyp_bin=BUILD / "board-vexpress-a15" / "hyp.bin")
    assert run.rc == 0 and "FAIL" not in run.out, run.tail()
    assert line.read_text() == "hello from vm uart1, on a line of its own\n"
    assert run.guest_lines("uart1") == [
        "uart1: 42 bytes at 0x1c0a0000; interrupt 38 taken, MIS 0x20"], run.tail()
    t = run.tables["vm 0 (uart1)"]
    uart = run.uart_bytes("uart1")
    # the 42 bytes and the status reads took no exit: the emulated console's bytes, 2
    # distributor writes; the one interrupt taken while it polled, ended by its EOI (HW)
    assert t["mmio"] == {"gicd": 2, "uart": uart}, run.tail()
    assert t["ec"] == {HVC: 1, DABT: 2 + uart} and t["irq"] == 1, run.tail()
    assert "  passed-through interrupts 1\n" in run.out, run.tail()


@pytest.mark.skipif(PLATFORM != "orangepi-pc", reason="forwarding UART1 is orangepi-pc's")
def test_uart1_forwarded_a_vms_own_serial_line(tmp_path):
    """orangepi-pc's UART1 forwarded to a VM (vms/board-orangepi-pc.conf): it shares its
    page with the hypervisor's UART0, so each access traps and the hypervisor makes it. what
    the VM writes reaches QEMU's second serial port exactly, the key QEMU reads there comes
    by the device's interrupt through a linked list register, and what the device does not
    take (a byte, a halfword, outside its 1 KiB) is a data abort, nothing done"""
    # QEMU 7.2's pipe backend opens PATH.in and PATH.out (read-write): plain files will do,
    # the key read at QEMU's start, the line written
    line, keys = tmp_path / "uart1.out", tmp_path / "uart1.in"
    line.write_text("")
    keys.write_text("k")
    run = qemu(["-serial", "mon:stdio", "-chardev", "pipe,id=u1,path=%s" % (tmp_path / "uart1"),
                "-serial", "chardev:u1"], append="hyp.vms=uart1",
               hyp_bin=BUILD / "board-orangepi-pc" / "hyp.bin")
    assert run.rc == 0 and "FAIL" not in run.out, run.tail()
    assert line.read_text() == "hello from vm uart1, through the hypervisor\n"
    # 44 bytes: a status read before each, its THR write; IER on, IIR, LSR, RBR, IER off
    accesses = 44 + 44 + 5
    assert run.guest_lines("uart1") == [
        "uart1fwd: 44 bytes at 0x1c28400 (0x400 bytes), 44 status reads; key 'k' by "
        "interrupt 32, IIR 0x4; %d accesses" % accesses,
        "uart1fwd: 4 data aborts: a byte, a halfword, past the end, uart0",
        # the CCU, shared: of all its bits only UART1's gate and reset (bit 17) change; not
        # UART0's beside them, nor a PLL, nor another device's gate
        "uart1fwd: ccu 0x06c: bits 0x00020000 flipped",
        "uart1fwd: ccu 0x2d8: bits 0x00020000 flipped",
        "uart1fwd: ccu: 256 registers flipped and put back"], run.tail()
    t = run.tables["vm 0 (uart1)"]
    uart = run.uart_bytes("uart1")
    # every uart1 access an exit, made by the hypervisor; the byte and the halfword reached
    # the forwarder and were refused there, the other two found no device: 4 aborts injected.
    # the CCU: 256 registers, each read, written, read, written, read
    assert t["mmio"] == {"gicd": 2, "uart": uart, "fwd": accesses + 2, "shared": 1280}, run.tail()
    assert t["ec"] == {HVC: 1, DABT: 2 + uart + accesses + 4 + 1280}, run.tail()
    assert t["injected"] == 4 and t["irq"] == 1, run.tail()
    assert "  passed-through interrupts 1\n" in run.out, run.tail()
    aborts = re.findall(r"^hyp: vm 0 \(uart1\): pc [0-9a-f]{8}: (.*): data abort injected$",
                        run.out, re.M)
    assert aborts == ["read at ipa 1c28414 (va 01c28414)", "read at ipa 1c28414 (va 01c28414)",
                      "read at ipa 1c28814 (va 01c28814)", "write at ipa 1c28000 (va 01c28000)"]


PROMPT = "guest# "


@pytest.mark.skipif(PLATFORM != "orangepi-pc", reason="forwarding UART2 is orangepi-pc's")
def test_debian_shell_on_a_forwarded_uart(tmp_path):
    """vms/board-orangepi-pc.conf's linux-uart2: Debian's own 8250_dw driver binds to the
    H3's UART2, forwarded (its page is the console's), and its console and shell run there,
    on QEMU's third serial port (a socket here): nothing of the guest reaches the
    hypervisor's console, and its interrupt comes through the linked SPI"""
    import pexpect.fdpexpect
    path = tmp_path / "uart2.sock"
    q = spawn(hyp_bin=BUILD / "board-orangepi-pc" / "hyp.bin", append="hyp.vms=linux-uart2",
              timeout=180, args=["-serial", "mon:stdio", "-serial", "null", "-chardev",
                                 "socket,id=u2,path=%s,server=on,wait=on" % path,
                                 "-serial", "chardev:u2"])
    q.logfile_read = console = io.StringIO()
    sock = socket.socket(socket.AF_UNIX)
    try:
        for _ in range(100):                # QEMU waits for this connection before it runs
            if path.exists():
                break
            time.sleep(0.1)
        sock.connect(str(path))
        u = pexpect.fdpexpect.fdspawn(sock.fileno(), timeout=180, encoding="utf-8",
                                      codec_errors="replace")
        u.expect_exact(PROMPT)
        assert re.search(r"1c28800\.serial: ttyS0 at MMIO 0x1c28800 \(irq = \d+, base_baud = "
                         r"1500000\) is a 16550A", u.before), u.before[-3000:]
        assert shell(u, "cat /proc/consoles").split()[0] == "ttyS0"
        assert shell(u, "echo typed on uart2 | tr a-z A-Z").strip() == "TYPED ON UART2"
        out = shell(u, "grep ttyS0 /proc/interrupts")
        assert re.fullmatch(r"\s*\d+:\s+\d+\s+GIC-0\s+34 Level\s+ttyS0\s*", out), out
        u.sendline("poweroff")
        q.expect_exact("hyp: vm 0 (linux-uart2) stopped: system off")
        q.expect_exact("hyp: no VM left running: powering off")
        q.expect(pexpect.EOF)
        text = console.getvalue().replace("\r", "")
        t = parse_tables(text)["vm 0 (linux-uart2)"]
        # every line of the guest on its own uart: not one on the hypervisor's console
        assert not re.search(r"^\[linux-uart2\]", text, re.M), text[-3000:]
        # every access of linux's driver forwarded (32,595 in a run), none refused
        assert t["mmio"]["fwd"] > 1000 and t["mmio"]["uart"] < 100, t
        assert t["injected"] == 0, t
        assert int(re.search(r"^  passed-through interrupts (\d+)$", text, re.M).group(1)) > 10
    finally:
        sock.close()
        q.close(force=True)


@pytest.mark.skipif(PLATFORM != "orangepi-pc", reason="the EMAC is orangepi-pc's")
def test_debian_serves_a_page_through_the_emac():
    """vms/board-orangepi-pc.conf's linux-emac: the H3's EMAC, a bus master, given to an
    identity VM. Debian's dwmac-sun8i binds it with its clocks and resets on the VM's copy of
    the CCU and its syscon (forwarded, writes masked to the EMAC's and its PHY's bits), the
    internal PHY through the copied mdio mux; DHCP from QEMU's user network, and the host
    fetches the page and 256 KiB through 127.0.0.1, exactly; after a reboot the same"""
    vm = "linux-emac"
    port = free_port()
    q = spawn(hyp_bin=BUILD / "board-orangepi-pc" / "hyp.bin", append="hyp.vms=" + vm,
              timeout=180, args=["-nic", "user,restrict=on,hostfwd=tcp:127.0.0.1:%d-:80" % port])
    try:
        for life in (1, 2):
            if q.expect_exact(["guest: eth0 10.0.2.15/24 (dhcp)",
                               "PC is at sun8i_dwmac_dma_interrupt"]) == 1:
                pytest.skip("the guest kernel's dwmac-sun8i oopses at its first DMA interrupt, on "
                            "bare QEMU too (%s: Debian's 6.1.192, docs/findings.md)" %
                            (BUILD.parent / "guest" / "VERSION").read_text().strip())
            q.expect_exact(PROMPT)
            dmesg = vx_shell(q, vm, "dmesg | grep dwmac-sun8i")
            for line in ("dwmac-sun8i 1c30000.ethernet: Found internal PHY node",
                         "dwmac-sun8i 1c30000.ethernet eth0: PHY [mdio_mux-0.1:01] driver "
                         "[Generic PHY] (irq=POLL)",
                         "dwmac-sun8i 1c30000.ethernet eth0: Link is Up - 100Mbps/Full - "
                         "flow control rx/tx"):
                assert re.search(r"^\[ *[\d.]+\] %s$" % re.escape(line), dmesg, re.M), dmesg
            url = "http://127.0.0.1:%d/" % port
            assert urllib.request.urlopen(url, timeout=30).read() == b"hello from linux-emac\n"
            assert vx_shell(q, vm, "dd if=/dev/urandom of=/run/www/big bs=1k count=256 "
                            "2>/dev/null") == ""
            out = vx_shell(q, vm, "md5sum /run/www/big")
            m = re.fullmatch(r"([0-9a-f]{32})  /run/www/big\n", out)
            assert m, out
            big = urllib.request.urlopen(url + "big", timeout=60).read()
            assert len(big) == 256 << 10 and hashlib.md5(big).hexdigest() == m.group(1)
            # the EMAC's clock register in the system control block: the driver selected
            # the internal PHY (bit 15), powered it (bit 16 clear), at address 1 (bits 20-24)
            out = vx_shell(q, vm, "busybox devmem 0x01c00030")
            assert int(out, 16) & (1 << 15 | 1 << 16 | 0x1f << 20) == 1 << 15 | 1 << 20, out
            irqs = vx_shell(q, vm, "grep eth0 /proc/interrupts")
            assert re.search(r"^\s*\d+:\s+[1-9]\d*\s+GIC-0\s+32 Level\s+eth0$", irqs, re.M), irqs
            if life == 1:
                vx_reboot(q, vm)
        t, out = vx_poweroff(q, vm)
        assert only_emulated_aborts(t), out[-3000:]
        assert re.search(r"^  passed-through interrupts [1-9]\d*$", out, re.M), out[-3000:]
    finally:
        q.close(force=True)


RTC_NAME = {"virt": "9010000.pl031", "vexpress-a15": "1c170000.rtc"}


def shell(q, cmd):
    """cmd typed into the guest's shell; what it printed, the VM's prefix taken off"""
    q.sendline(cmd)
    q.expect_exact(PROMPT)
    lines = q.before.replace("\r", "").split("\n")[1:]
    return "\n".join(re.sub(r"^\[linux-\w+\] ", "", x) for x in lines)


@needs_pl031
def test_debian_drives_the_rtc_with_its_own_driver():
    """vms/passthrough.conf: Debian's built-in rtc-pl031 binds to the PL031 unchanged, reads
    the host's time and takes an alarm interrupt through the linked SPI; after a reboot
    (a reset of the VM) the next life does the same"""
    irq = RTC[PLATFORM][1]
    q = spawn(hyp_bin=BUILD / "passthrough" / "hyp.bin", timeout=180)
    try:
        for life in (1, 2):
            q.expect_exact(PROMPT)
            dmesg = shell(q, "dmesg | grep rtc-pl031")
            assert "rtc-pl031 %s: registered as rtc0" % RTC_NAME[PLATFORM] in dmesg, dmesg
            now = int(shell(q, "cat /sys/class/rtc/rtc0/since_epoch").strip())
            assert abs(now - time.time()) < 30, now
            out = shell(q, "echo +2 > /sys/class/rtc/rtc0/wakealarm; sleep 4; "
                        "grep rtc-pl031 /proc/interrupts")
            assert re.search(r"^\s*\d+:\s+1\s+GIC-0\s+%d Level\s+rtc-pl031$" % irq, out,
                             re.M), out
            if life == 1:
                q.sendline("reboot")
                q.expect_exact("hyp: vm 0 (linux-rtc) reset: reloading its images")
        q.sendline("poweroff")
        q.expect_exact("hyp: vm 0 (linux-rtc) stopped: system off")
        q.expect_exact("hyp: no VM left running: powering off")
        # its table: one alarm a life, apart from the emulated devices' interrupts
        assert re.search(r"^  passed-through interrupts 2\r", q.before, re.M), q.before[-2000:]
    finally:
        q.close(force=True)


MIB8 = 8 << 20
md5 = lambda b: hashlib.md5(b).hexdigest()


def dd_md5(q, skip):
    """the md5 of 8 MiB of the guest's /dev/vda from MiB skip, read with direct I/O"""
    out = shell(q, "dd if=/dev/vda bs=1M skip=%d count=8 iflag=direct 2>/dev/null | md5sum"
                % skip)
    return out.strip().split("\n")[-1].split()[0]      # (a long command wraps)


def dd_write(q, word, seek):
    """8 MiB of `yes word` written to the guest's /dev/vda at MiB seek, direct I/O"""
    out = shell(q, "yes %s | head -c %d > /tmp/p && dd if=/tmp/p of=/dev/vda bs=1M seek=%d "
                "oflag=direct 2>/dev/null; echo status $?" % (word, MIB8, seek))
    assert out.strip().split("\n")[-1] == "status 0", out
    return (word + "\n").encode() * (MIB8 // (len(word) + 1)) + \
        (word + "\n").encode()[:MIB8 % (len(word) + 1)]


@pytest.mark.skipif(PLATFORM != "virt", reason="a virtio-blk of its own is virt's: "
                    "vexpress-a15's 4 virtio slots share one page with the hypervisor's disk "
                    "and card, orangepi-pc has none")
def test_debian_drives_a_virtio_blk_by_dma_in_an_identity_vm(tmp_path):
    """vms/board-virt.conf: linux-dma's ram is the board's [0x70000000, 0x80000000), and it
    owns virt's slot 16, where a second virtio-blk sits beside the hypervisor's own disk:
    Debian's virtio_blk binds to it and reads and writes by DMA to the board's physical
    addresses, exactly (the disk file afterwards too); its registers take no exit (every
    data abort is the emulated distributor's or uart's), only its interrupts come through
    the hypervisor; after a reboot (a reset of the VM) the same again"""
    board, own = tmp_path / "board.img", tmp_path / "own.img"
    board.write_bytes(bytes(16 << 20))
    a = bytes(range(256)) * (MIB8 // 256)             # the disk's first 8 MiB, from the host
    own.write_bytes(a + bytes(MIB8))
    args = [*disk_args(board), *pt_disk_args(own)]
    # the board's tree that mkguests.py read (QEMU's dumpdtb, platform.mk) has the slots
    # this command line has: every transport is there, filled or not
    dumped = tmp_path / "with-disks.dtb"
    subprocess.run([*command(args, BUILD / "board-virt" / "hyp.bin"), "-machine",
                    "dumpdtb=%s" % dumped], check=True, capture_output=True)
    slots = lambda t: [(n.path(), boardtree.regs(n), boardtree.irqs(t, n))
                       for n in boardtree.walk(t) if "virtio,mmio" in n.strings("compatible")]
    mine, read = boardtree.read(str(dumped)), boardtree.read(str(BUILD / "board.dtb"))
    assert slots(mine) == slots(read) and len(slots(read)) == 32
    slot = 0xa000000 + 0x200 * PT_SLOT                  # SPI 16 + n, edge (virt's tree)
    assert ("/virtio_mmio@%x" % slot, [(slot, 0x200)], [(48 + PT_SLOT, 1)]) in slots(read)

    q = spawn(hyp_bin=BUILD / "board-virt" / "hyp.bin", timeout=240, args=args)
    irqs = 0
    try:
        for life in (1, 2):
            q.expect_exact(PROMPT)
            dmesg = shell(q, "dmesg | grep virtio_blk")
            assert "virtio_blk virtio0: [vda] 32768 512-byte logical blocks" in dmesg, dmesg
            iomem = shell(q, "grep -e 'System RAM' -e virtio /proc/iomem")
            assert iomem.strip().split("\n")[-2:] == [
                "0a002000-0a0021ff : a002000.virtio_mmio virtio_mmio@a002000",
                "70000000-7fffffff : System RAM"], iomem
            if life == 1:
                assert dd_md5(q, 0) == md5(a)
                b = dd_write(q, "linux-dma", 8)
                assert dd_md5(q, 8) == md5(b)
            else:                                        # what the last life wrote stays
                assert (dd_md5(q, 0), dd_md5(q, 8)) == (md5(a), md5(b))
                a = dd_write(q, "again", 0)
                assert dd_md5(q, 0) == md5(a)
            out = shell(q, "grep virtio0 /proc/interrupts")
            m = re.search(r"^\s*\d+:\s+(\d+)\s+GIC-0\s+32 Edge\s+virtio0$", out, re.M)
            assert m and int(m.group(1)) > 0, out
            irqs += int(m.group(1))
            if life == 1:
                q.sendline("reboot")
                q.expect_exact("hyp: vm 0 (linux-dma) reset: reloading its images")
        q.sendline("poweroff")
        q.expect_exact("hyp: vm 0 (linux-dma) stopped: system off")
        q.expect_exact("hyp: no VM left running: powering off")
        table = q.before
    finally:
        q.close(force=True)
    assert own.read_bytes() == a + b                     # on the device, exactly
    assert board.read_bytes() == bytes(16 << 20)         # the hypervisor's disk untouched
    t = parse_tables(table.replace("\r", ""))["vm 0 (linux-dma)"]
    # no exit for the disk's registers: every data abort an emulated device's, none a first
    # touch (an identity VM's ram is all mapped at its load); each disk interrupt the guest
    # counted came through the hypervisor
    assert set(t["mmio"]) == {"gicd", "uart"}, table[-3000:]
    assert t["ec"][DABT] == t["mmio"]["gicd"] + t["mmio"]["uart"], table[-3000:]
    assert (t["ram_blocks"], t["ram_faults"]) == (128, 0), table[-3000:]
    assert re.search(r"^  passed-through interrupts %d\r" % irqs, table, re.M), table[-3000:]


# --- vexpress-a15's own devices given to Debian guests (vms/board-vexpress-a15-debian.conf) ---
VX_BIN = BUILD / "board-vexpress-a15-debian" / "hyp.bin"
vexpress_only = pytest.mark.skipif(PLATFORM != "vexpress-a15", reason="UART1, the PL181 and the "
                                   "LAN9118 are vexpress-a15's")


def vx_spawn(vm, args=()):
    """the manifest's VM vm alone, its console under pexpect"""
    return spawn(append="hyp.vms=" + vm, hyp_bin=VX_BIN, timeout=180, args=args)


def vx_shell(q, vm, cmd):
    """cmd typed into the VM's console shell; what it printed, the VM's prefix taken off"""
    q.sendline(cmd)
    q.expect_exact(PROMPT)
    lines = q.before.replace("\r", "").split("\n")[1:]
    return "\n".join(re.sub(r"^\[%s\] " % vm, "", x) for x in lines)


def vx_reboot(q, vm):
    q.sendline("reboot")
    q.expect_exact("hyp: vm 0 (%s) reset: reloading its images" % vm)


def vx_poweroff(q, vm):
    """poweroff typed on the console: the VM's trap table, and the console's text"""
    q.sendline("poweroff")
    q.expect_exact("hyp: vm 0 (%s) stopped: system off" % vm)
    q.expect_exact("hyp: no VM left running: powering off")
    out = q.before.replace("\r", "")
    q.expect(pexpect.EOF)
    return parse_tables(out)["vm 0 (%s)" % vm], out


def only_emulated_aborts(t):
    """every stage-2 abort of the VM's lives was an emulated device's access or a first
    touch of its ram (counted in both rows): none was a passed-through device's"""
    return t["ec"].get(0x20, 0) + t["ec"].get(DABT, 0) == sum(t["mmio"].values()) + \
        t["ram_faults"]


class Line:
    """the far end of QEMU's second -serial (UART1): a unix socket QEMU listens on"""

    def __init__(self, path, timeout=60):
        self.buf, deadline = b"", time.time() + timeout
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX)
                self.s.connect(str(path))
                break
            except OSError:
                self.s.close()
                assert time.time() < deadline, "no socket %s from qemu" % path
                time.sleep(0.1)

    def expect(self, text, timeout=60):
        """waits for text; returns what came before it, and keeps what came after"""
        deadline = time.time() + timeout
        while text.encode() not in self.buf:
            self.s.settimeout(max(0.1, deadline - time.time()))
            try:
                got = self.s.recv(4096)
            except socket.timeout:
                got = None
            assert got and time.time() < deadline, "no %r on uart1; it sent %r" % (text, self.buf)
            self.buf += got
        before, _, self.buf = self.buf.partition(text.encode())
        return before.decode(errors="replace")

    def send(self, text):
        self.s.sendall(text.encode())

    def shell(self, cmd):
        """cmd typed into the shell on ttyAMA1: what it printed (the tty echoes the line)"""
        self.send(cmd + "\n")
        self.expect(cmd + "\r\n")
        return self.expect("\r\n" + PROMPT).replace("\r", "")


TYPED = "0123456789abcdefghijklmnopqrstuvwxyz"     # 36 characters and the line's end


def traps_of(out, tag):
    """hypstat -t's traps line: {ec: count} of the classes that took any"""
    m = re.search(r"^traps %s total=\d+ irq=\d+ switches=\d+(( ec0x[0-9a-f]{2}=\d+)*)$" % tag,
                  out, re.M)
    assert m, out
    return {int(k, 16): int(v) for k, v in re.findall(r"ec(0x[0-9a-f]{2})=(\d+)", m.group(1))}


@vexpress_only
def test_debian_runs_a_shell_on_uart1():
    """UART1 (PL011, 0x1c0a0000) given to a Debian VM: its built-in amba-pl011 binds it as
    ttyAMA1 (the board's alias serial1) beside the emulated ttyAMA0; a shell there answers
    what the test types on QEMU's second serial port, exactly, and a line typed and echoed
    there takes no data abort (the same line on the emulated console takes one or more a
    character); after a reboot (a reset of the VM) the same again"""
    vm = "linux-uart1"
    d = tempfile.mkdtemp(prefix="uart1-")
    sock = os.path.join(d, "uart1.sock")
    q = vx_spawn(vm, ["-serial", "mon:stdio", "-serial", "unix:%s,server=on,wait=off" % sock])
    try:
        line = Line(sock)
        for life in (1, 2):
            q.expect_exact("guest: a shell on ttyAMA1 too")
            q.expect_exact(PROMPT)
            dmesg = vx_shell(q, vm, "dmesg | grep ttyAMA")
            assert re.search(r"^\[ *[\d.]+\] 1c0a0000\.serial: ttyAMA1 at MMIO 0x1c0a0000 "
                             r"\(irq = \d+, base_baud = 0\) is a PL011 rev\d$", dmesg, re.M), dmesg
            # the shell on ttyAMA1: a fresh prompt, then one command and its exact answer
            line.send("\n")
            line.expect(PROMPT)
            assert line.shell("echo $((6 * 7)) from $(tty), life %d" % life) == \
                "42 from /dev/ttyAMA1, life %d" % life
            # a line read from ttyAMA1 and written back, under hypstat -t: the VM's traps
            # meanwhile. once to warm up (first touches of ram take aborts), then measured
            cmd = "hypstat -t u1 sh -c 'read l; echo \"got $l\"'"
            for _ in range(2):
                line.send(cmd + "\n")
                line.expect(cmd + "\r\n")
                time.sleep(1)                 # the inner shell is reading
                line.send(TYPED + "\n")
                out = line.expect("\r\n" + PROMPT).replace("\r", "")
            assert out.startswith(TYPED + "\ngot " + TYPED + "\nbench u1 status=0 "), out
            u1 = traps_of(out, "u1")
            assert DABT not in u1 and 0x20 not in u1, out
            # the same line on the emulated console: its characters trap
            q.sendline(cmd.replace("u1", "con"))
            time.sleep(1)
            out = vx_shell(q, vm, TYPED)
            con = traps_of(out, "con")
            assert con.get(DABT, 0) >= 2 * (len(TYPED) + 1), out   # in and out, a byte each
            if life == 1:
                vx_reboot(q, vm)
        t, out = vx_poweroff(q, vm)
        assert only_emulated_aborts(t), out[-3000:]
        assert re.search(r"^  passed-through interrupts \d+$", out, re.M), out[-3000:]
    finally:
        q.close(force=True)
        shutil.rmtree(d, ignore_errors=True)


HOST_TXT = "put here by the host, read by linux-mmc\n"
GUEST_TXT = "written by linux-mmc in life 1\nand again after its reset\n"


@vexpress_only
def test_debian_keeps_a_file_on_the_sd_card(tmp_path):
    """the PL181 (0x1c050000; two interrupts, SPI 9 and 10 through the motherboard's
    interrupt-map) given to a Debian VM: its armmmci module binds it and finds the SD card
    QEMU attaches, an ext2 image made here; the VM reads the host's file, writes a file and
    1 MiB of random bytes, and after a reboot (a reset of the VM) reads them back and adds a
    line; afterwards the image holds both, exactly (debugfs)"""
    sd_card(tmp_path, "linux-mmc", lambda args: vx_spawn("linux-mmc", args),
            [r"mmci-pl18x 1c050000\.mmc: mmc0: PL181 manf 41 rev0 at 0x1c050000 irq \d+,\d+ "
             r"\(pio\)"], "mmci", [(41, "mmci-pl18x"), (42, "mmci-pl18x")])


def sd_card(tmp_path, vm, boot, probe, irq_name, irqs):
    """an SD card image with the host's file, given to vm by boot(qemu args): its driver's
    probe lines, the card; the guest reads the file, writes one and 1 MiB, reboots, reads
    them back and appends; its irqs (GIC id, name) took interrupts; the image holds it all"""
    img, src = tmp_path / "sd.img", tmp_path / "src"
    src.mkdir()
    (src / "host.txt").write_text(HOST_TXT)
    with open(img, "wb") as f:
        f.truncate(16 << 20)            # qemu 7.2: an sd card's size is a power of 2
    subprocess.run(["/usr/sbin/mke2fs", "-q", "-F", "-t", "ext2", "-d", str(src), str(img)],
                   check=True)
    q = boot(["-drive", "if=sd,file=%s,format=raw" % img])
    try:
        for life in (1, 2):
            q.expect_exact(PROMPT)
            dmesg = vx_shell(q, vm, "dmesg | grep -e %s -e mmc0 -e mmcblk0" % irq_name)
            for line in probe:
                assert re.search(r"^\[ *[\d.]+\] %s$" % line, dmesg, re.M), dmesg
            assert re.search(r"^\[ *[\d.]+\] mmcblk0: mmc0:\w+ \S+ 16\.0 MiB ?$", dmesg, re.M), dmesg
            assert vx_shell(q, vm, "mount -t ext4 /dev/mmcblk0 /mnt && cat /mnt/host.txt") == \
                HOST_TXT
            # (each command shorter than the terminal's line: its echo is one line)
            if life == 1:
                assert vx_shell(q, vm, "dd if=/dev/urandom of=/mnt/random bs=64k count=16 "
                                "2>/dev/null") == ""
                m = re.fullmatch(r"([0-9a-f]{32})  /mnt/random\n",
                                 vx_shell(q, vm, "md5sum /mnt/random"))
                assert m
                md5 = m.group(1)
                assert vx_shell(q, vm, "echo 'written by linux-mmc in life 1' > /mnt/guest.txt") \
                    == ""
                assert vx_shell(q, vm, "umount /mnt && echo unmounted") == "unmounted\n"
                vx_reboot(q, vm)
            else:
                assert vx_shell(q, vm, "cat /mnt/guest.txt; md5sum /mnt/random") == \
                    "written by linux-mmc in life 1\n%s  /mnt/random\n" % md5
                assert vx_shell(q, vm, "echo 'and again after its reset' >> /mnt/guest.txt") == ""
                assert vx_shell(q, vm, "umount /mnt && echo unmounted") == "unmounted\n"
                # its interrupts, passed through: the guest's GIC ids
                out = vx_shell(q, vm, "grep %s /proc/interrupts" % irq_name)
                for gic, name in irqs:
                    assert re.search(r"^\s*\d+:\s+[1-9]\d*\s+GIC-0\s+%d Level\s+%s" % (gic, name),
                                     out, re.M), out
        t, out = vx_poweroff(q, vm)
        assert only_emulated_aborts(t), out[-3000:]
        assert re.search(r"^  passed-through interrupts [1-9]\d*$", out, re.M), out[-3000:]
    finally:
        q.close(force=True)
    # the host's side: the file and the random bytes, read from the image
    cat = subprocess.run(["/usr/sbin/debugfs", "-R", "cat /guest.txt", str(img)],
                         capture_output=True, text=True)
    assert cat.stdout == GUEST_TXT, cat
    dump = tmp_path / "random"
    subprocess.run(["/usr/sbin/debugfs", "-R", "dump /random %s" % dump, str(img)],
                   capture_output=True, check=True)
    assert hashlib.md5(dump.read_bytes()).hexdigest() == md5 and dump.stat().st_size == 1 << 20


@pytest.mark.skipif(PLATFORM != "orangepi-pc", reason="the H3's MMC0 is orangepi-pc's")
def test_debian_keeps_a_file_on_the_h3s_sd_card(tmp_path):
    """the H3's MMC0 (0x01c0f000, SPI 60), a bus master, given to an identity VM
    (linux-sd): Debian's sunxi-mmc binds it with its bus gate, reset and module clock
    register on the VM's copy of the CCU, and keeps a file and 1 MiB on QEMU's SD card
    across a reboot, as on vexpress-a15's PL181"""
    sd_card(tmp_path, "linux-sd",
            lambda args: spawn(hyp_bin=BUILD / "board-orangepi-pc" / "hyp.bin", timeout=180,
                               append="hyp.vms=linux-sd", args=args),
            [r"sunxi-mmc 1c0f000\.mmc: initialized, max\. request size: \d+ KB(, uses new timings mode)?"],
            "sunxi-mmc", [(32, "sunxi-mmc")])


@vexpress_only
def test_debian_serves_a_page_through_the_lan9118():
    """the LAN9118 (0x1a000000, SPI 15) given to a Debian VM: its smsc911x module binds it,
    the VM takes an address from QEMU's user network by DHCP and serves its page; the host
    fetches it through 127.0.0.1, exactly, and 256 KiB of random bytes with the guest's
    md5; after a reboot (a reset of the VM) the same again"""
    vm = "linux-eth"
    port = free_port()
    q = vx_spawn(vm, ["-nic", "user,model=lan9118,restrict=on,"
                      "hostfwd=tcp:127.0.0.1:%d-:80" % port])
    try:
        for life in (1, 2):
            q.expect_exact("guest: eth0 10.0.2.15/24 (dhcp)")
            q.expect_exact(PROMPT)
            dmesg = vx_shell(q, vm, "dmesg | grep smsc911x")
            assert re.search(r"^\[ *[\d.]+\] smsc911x 1a000000\.ethernet eth0: MAC Address: "
                             r"52:54:00:12:34:56$", dmesg, re.M), dmesg
            url = "http://127.0.0.1:%d/" % port
            assert urllib.request.urlopen(url, timeout=30).read() == b"hello from linux-eth\n"
            # (each command shorter than the terminal's line: its echo is one line)
            assert vx_shell(q, vm, "dd if=/dev/urandom of=/run/www/big bs=1k count=256 "
                            "2>/dev/null") == ""
            out = vx_shell(q, vm, "md5sum /run/www/big")
            m = re.fullmatch(r"([0-9a-f]{32})  /run/www/big\n", out)
            assert m, out
            big = urllib.request.urlopen(url + "big", timeout=60).read()
            assert len(big) == 256 << 10 and hashlib.md5(big).hexdigest() == m.group(1)
            irqs = vx_shell(q, vm, "grep eth0 /proc/interrupts")
            assert re.search(r"^\s*\d+:\s+[1-9]\d*\s+GIC-0\s+47 Level\s+eth0$", irqs, re.M), irqs
            if life == 1:
                vx_reboot(q, vm)
        t, out = vx_poweroff(q, vm)
        assert only_emulated_aborts(t), out[-3000:]
        assert re.search(r"^  passed-through interrupts [1-9]\d*$", out, re.M), out[-3000:]
    finally:
        q.close(force=True)
