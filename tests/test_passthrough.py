"""Devices of the board given to a VM (docs/passthrough.md): the manifest's refusals, and
the PL031 real-time clock read directly and its interrupt taken through a linked LR."""
import hashlib
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

from harness import BUILD, PLATFORM, ROOT, boot, free_port, parse_tables, qemu, spawn

# a board with a PL031 and a device tree the build reads (BOARD_DTB_CMD, platform.mk)
pytestmark = pytest.mark.skipif(PLATFORM not in ("virt", "vexpress-a15"),
                                reason="passthrough on %s: not yet (no PL031, no board tree "
                                "in its platform.mk)" % PLATFORM)
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
         "(identity = yes, not implemented yet: docs/passthrough.md)"),
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
         "(identity = yes, not implemented yet: docs/passthrough.md)"),
    ],
}
EITHER = [
    ("  passthrough = /nothing@0\n", 6, "the board's device tree has no device /nothing@0"),
    ("  irq = 34\n", 6, "irq without mmio: want mmio = ADDR+SIZE, irq = ID"),
    ("  mmio = 0x1000\n", 6, "mmio '0x1000': want ADDR+SIZE like 0x9010000+0x1000"),
    ("  identity = yes\n", 6, "identity = yes: a VM whose ram is the board's own range is not "
     "implemented yet (docs/passthrough.md); only 'no'"),
]


@pytest.mark.parametrize("lines, line, why", BAD.get(PLATFORM, []) + EITHER)
def test_a_passthrough_the_board_cannot_give_is_refused(tmp_path, lines, line, why):
    conf, p = mkguests(tmp_path, HEAD + lines)
    assert p.returncode != 0
    assert p.stderr.strip() == "%s:%d: error: %s" % (conf, line, why.replace("%s", str(conf)))


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


PROMPT = "guest# "
RTC_NAME = {"virt": "9010000.pl031", "vexpress-a15": "1c170000.rtc"}


def shell(q, cmd):
    """cmd typed into the guest's shell; what it printed, the VM's prefix taken off"""
    q.sendline(cmd)
    q.expect_exact(PROMPT)
    lines = q.before.replace("\r", "").split("\n")[1:]
    return "\n".join(re.sub(r"^\[linux-rtc\] ", "", x) for x in lines)


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
    vm = "linux-mmc"
    img, src = tmp_path / "sd.img", tmp_path / "src"
    src.mkdir()
    (src / "host.txt").write_text(HOST_TXT)
    with open(img, "wb") as f:
        f.truncate(16 << 20)            # qemu 7.2: an sd card's size is a power of 2
    subprocess.run(["/usr/sbin/mke2fs", "-q", "-F", "-t", "ext2", "-d", str(src), str(img)],
                   check=True)
    q = vx_spawn(vm, ["-drive", "if=sd,file=%s,format=raw" % img])
    try:
        for life in (1, 2):
            q.expect_exact(PROMPT)
            dmesg = vx_shell(q, vm, "dmesg | grep -e mmci -e mmc0 -e mmcblk0")
            assert re.search(r"^\[ *[\d.]+\] mmci-pl18x 1c050000\.mmc: mmc0: PL181 manf 41 rev0 "
                             r"at 0x1c050000 irq \d+,\d+ \(pio\)$", dmesg, re.M), dmesg
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
                # its two interrupts, passed through: GIC ids 41 and 42, as on the board
                irqs = vx_shell(q, vm, "grep mmci /proc/interrupts")
                for gic in (41, 42):
                    assert re.search(r"^\s*\d+:\s+[1-9]\d*\s+GIC-0\s+%d Level\s+mmci-pl18x" % gic,
                                     irqs, re.M), irqs
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
