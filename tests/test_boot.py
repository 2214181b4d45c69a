"""Boot paths, the banner, bad input on the command line, and the panic path."""
import re
import subprocess

import pytest

from harness import (HYP_BIN, PLATFORM, QEMU, ROOT, Board, boot, command, consts, cpus, cpus_line, qemu,
                     qemu_with, run)


def test_banner():
    """the board's own entry: virt in hyp mode, vexpress-a15 in secure svc"""
    run = qemu([], append="hyp.vms=hvc,mmio", smp=2)
    assert run.rc == 0, run.tail()
    assert re.search(r"^hyp: version \S+\nhyp: armv7-a type-1 hypervisor, %s$" % Board.cpu, run.out, re.M), \
        run.tail()
    assert "  board     %s, entered in %s\n" % (Board.name, Board.entry) in run.out, run.tail()
    assert "  ram       1024 MiB at %#x; hypervisor %#x-" % (Board.ram, Board.ram + 0x10000) \
        in run.out, run.tail()
    assert cpus_line(2) in run.out, run.tail()
    assert re.search(r"  trap log  0x%x[0-9a-f]{7}, %d bytes, version %d\n" % (
        Board.ram >> 28, consts.TRAPLOG_SIZE, consts.TRAPLOG_VERSION), run.out), run.tail()
    assert "  vms       2 configured: hvc (16 MiB, 1 vcpu) mmio (16 MiB, 1 vcpu)\n" in run.out
    assert run.tables["vm 0 (hvc)"]["ec"][0x12] == 1005, run.tail()
    assert run.tables["vm 1 (mmio)"]["mmio"]["testdev"] == 16, run.tail()


@pytest.mark.skipif(PLATFORM != "vexpress-a15", reason="vexpress-a15's secure=off")
def test_vexpress_secure_off_enters_in_hyp():
    """secure=off: qemu enters in non-secure hyp, and parks the secondary cpu in hyp too;
    victim1 runs on cpu 1"""
    run = qemu([], append="hyp.vms=hvc,victim1", smp=2, machine=qemu_with("secure=off"))
    assert "  board     vexpress-a15, entered in hyp mode\n" in run.out, run.tail()
    assert "  cpus      2, the hypervisor on 2\n" in run.out, run.tail()
    assert run.tables["vm 0 (hvc)"]["ec"][0x12] == 1005, run.tail()
    assert run.guest_lines("victim1") == [
        "victim: 200 checksums of 8 MiB, 0 differ from the first",
        "victim: virtual time went on: yes"], run.tail()
    assert run.rc == 0 and run.out.rstrip().endswith("powering off"), run.tail()


@pytest.mark.skipif(PLATFORM != "virt", reason="virt's secure=on and its elf boot without a dtb")
def test_secure_svc_entry_goes_through_monitor(tmp_path):
    """secure=on with an ELF -kernel enters in secure SVC, and QEMU passes no DTB:
    we load the board's own DTB at the RAM base, where the hypervisor looks next."""
    big, dtb = tmp_path / "board-1m.dtb", tmp_path / "board.dtb"
    subprocess.run(command(opts="secure=on,dumpdtb=%s" % big, append="hyp.vms=hvc", semihosting=False),
                   check=True, capture_output=True, timeout=30)
    # qemu pads its dump to 1 MiB, over where hyp.elf loads: dtc packs it
    subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dtb", "-o", str(dtb), str(big)], check=True)
    elf = HYP_BIN.parent / "hyp.elf"
    run = _run_elf([*qemu_with("secure=on"), "-append", "hyp.vms=hvc"], elf, dtb)
    assert "  board     virt, entered in secure svc, switched to non-secure hyp by monitor" \
        in run.out, run.tail()
    assert run.tables["vm 0 (hvc)"]["ec"][0x12] == 1005, run.tail()
    # no psci firmware in secure mode: the board stops by semihosting
    assert "hyp: no psci firmware to power off: semihosting exit, or halt" in run.out, run.tail()
    assert run.rc == 0, run.tail()


def _run_elf(cmd, elf, dtb):
    return run([*cmd, "-kernel", str(elf), "-device", "loader,file=%s,addr=0x40000000" % dtb])


@pytest.mark.skipif(PLATFORM != "vexpress-a15", reason="vexpress-a15's elf boot")
def test_vexpress_elf_image_needs_a_dtb():
    """an ELF -kernel gets no ATAGs and nothing in r2: the hypervisor says so; given -dtb
    (Debian's, for this board), it finds the device tree where QEMU put it, at the RAM base"""
    elf = HYP_BIN.parent / "hyp.elf"
    run = qemu_run([*QEMU, "-kernel", str(elf), "-append", "hyp.vms=hvc"])
    assert "*** HYPERVISOR PANIC on cpu 0: board description (r2 0x0, else 0x80000000): " \
           "neither a device tree nor an ATAG list" in run.out, run.tail()
    assert run.rc == 1, run.tail()
    dtb = _debian_dtb("vexpress-v2p-ca15-tc1")
    run = qemu_run([*QEMU, "-kernel", str(elf), "-dtb", str(dtb), "-append", "hyp.vms=hvc"])
    assert "  ram       1024 MiB at 0x80000000; hypervisor 0x80010000-" in run.out, run.tail()
    # the cpus are the device tree's (the board has two), not qemu's -smp
    assert "  cpus      2, the hypervisor on 2\n" in run.out, run.tail()
    assert run.tables["vm 0 (hvc)"]["ec"][0x12] == 1005 and run.rc == 0, run.tail()


qemu_run = run


def _debian_dtb(name):
    """a device tree of Debian's kernel package (tools/fetch-guest.sh unpacks it)"""
    return ROOT / "build/guest/pkg/usr/lib" / ("linux-image-" + (ROOT / "build/guest/VERSION")
                                               .read_text().split()[0][len("linux-image-"):]) \
        / (name + ".dtb")


@pytest.mark.skipif(PLATFORM != "orangepi-pc", reason="orangepi-pc's elf boot")
def test_orangepi_elf_image_enters_secure_and_starts_cpus_by_cpucfg(tmp_path):
    """an ELF -kernel is entered in secure SVC, without QEMU's PSCI: the monitor takes the
    cpu to HYP, the H3's CPUCFG starts cpu 1 (victim1's) the same way, and the board stops
    by semihosting. QEMU gives no board description: Debian's device tree for the board,
    with the memory node and command line its firmware would add, at the RAM base"""
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", str(_debian_dtb("sun8i-h3-orangepi-pc"))],
                         check=True, capture_output=True, text=True).stdout
    dts += '/ { memory@40000000 { device_type = "memory"; reg = <0x40000000 0x40000000>; };\n' \
           '    chosen { bootargs = "hyp.vms=hvc,victim1 hyp.cpus=2"; }; };\n'
    dtb = tmp_path / "board.dtb"
    subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", str(dtb)], input=dts, text=True, check=True)
    run = _run_elf([*QEMU, *cpus(4)], HYP_BIN.parent / "hyp.elf", dtb)
    assert "  board     orangepi-pc, entered in secure svc, switched to non-secure hyp by monitor\n" \
        in run.out, run.tail()
    assert "  cpus      4, the hypervisor on 2\n" in run.out, run.tail()
    assert run.tables["vm 0 (hvc)"]["ec"][0x12] == 1005, run.tail()
    assert run.guest_lines("victim1") == [
        "victim: 200 checksums of 8 MiB, 0 differ from the first",
        "victim: virtual time went on: yes"], run.tail()
    assert "hyp: no psci firmware to power off: semihosting exit, or halt" in run.out, run.tail()
    assert run.rc == 0, run.tail()


@pytest.mark.skipif(PLATFORM == "orangepi-pc", reason="orangepi-pc has no virtualization=off")
@pytest.mark.parametrize("opts, mode", [
    ("virtualization=off", "secure svc" if PLATFORM == "vexpress-a15" else "non-secure svc"),
    ("virtualization=off,secure=off", "non-secure svc")])
def test_no_virtualization_extensions_says_why(opts, mode):
    cmd = qemu_with(opts)
    p = subprocess.run([*cmd, "-kernel", str(HYP_BIN)], stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=30)
    out = p.stdout.decode()
    assert "hyp: entered in mode 0x13 (%s); cannot reach hyp mode: " \
           "this cpu has no virtualization extensions" % mode in out, out
    assert p.returncode == 1, out


def test_unknown_image_name_is_ignored_with_a_message():
    run = boot("nope,hvc")
    assert "hyp: hyp.vms: no guest image named 'nope': ignored" in run.out, run.tail()
    assert "  vms       1 configured: hvc (16 MiB, 1 vcpu)" in run.out, run.tail()
    assert run.rc == 0 and run.tables["vm 0 (hvc)"]["ec"][0x12] == 1005, run.tail()


def test_no_vms_powers_off_at_once():
    run = boot("")
    assert "  vms       0 configured:" in run.out and run.rc == 0, run.tail()
    assert run.out.rstrip().endswith("hyp: no VM left running: powering off"), run.tail()


def test_hypervisor_fault_dumps_registers_and_exits_nonzero():
    run = qemu([], append="hyp.vms=hvc hyp.selftest=dabt")
    assert run.rc == 1, run.tail()
    assert "*** HYPERVISOR PANIC on cpu 0: data abort in hyp mode" in run.out, run.tail()
    assert re.search(r"HSR 9[0-9a-f]{7}: EC 0x25 DABT \(hyp\), IL 1, ISS 0x[0-9a-f]{7} "
                     r"\(read with syndrome, FSC 0x0[4-7]\)", run.out), run.tail()
    assert "HDFAR fffff000" in run.out, run.tail()
    assert re.search(r"r0  [0-9a-f]{8}  r1  [0-9a-f]{8}", run.out), run.tail()
    assert re.search(r"sp  [0-9a-f]{8}  lr  [0-9a-f]{8}  pc  [0-9a-f]{8}  spsr [0-9a-f]{8}", run.out)
    assert "trap log left at 0x" in run.out, run.tail()
    # the fault is in hyp_main (the selftest is inlined there); the stack scan finds
    # the return address into boot.S that called it
    m = re.search(r"call trace \(stack scan from [0-9a-f]{8}\):((?: [0-9a-f]{8})+)", run.out)
    assert m, run.tail()
    sym = (HYP_BIN.parent / "hyp.sym").read_text().split("\n")
    funcs = sorted((int(l.split()[0], 16), l.split()[2]) for l in sym if " T " in l or " t " in l)
    def name(a):
        return max((f for f in funcs if f[0] <= a), default=(0, "?"))[1]
    pc = re.search(r"  pc  ([0-9a-f]{8})", run.out).group(1)
    assert name(int(pc, 16)) == "hyp_main", (pc, name(int(pc, 16)))
    assert "_start" in {name(int(a, 16)) for a in m.group(1).split()}, m.group(1)


def test_stack_overflow_hits_the_guard_page():
    """each cpu's stack has an unmapped guard page below it; the fault entry takes a
    stack of its own, so an overflow is reported, not a silent hang"""
    run = qemu([], append="hyp.vms=hvc hyp.selftest=stack")
    assert run.rc == 1, run.tail()
    assert "*** HYPERVISOR PANIC on cpu 0: data abort in hyp mode" in run.out, run.tail()
    assert "stack overflow: into cpu 0's guard page" in run.out, run.tail()
    assert re.search(r"call trace \(stack scan from [0-9a-f]{8}\):( [0-9a-f]{8})+", run.out)
    assert run.out.count("HYPERVISOR PANIC") == 1, run.tail()
