"""virtio-mmio devices in the hypervisor (issue 13): the transport and the console from a
stub's side, with exact counts."""
import re

import pexpect

from hyp import ICOUNT, boot, qemu, spawn

VCON_HVC = ["vcon: hello through hvc0", "vcon: a line in three buffers", "vcon: two lines",
            "vcon: in one buffer", "vcon: with event index", "vcon: back after the reset"]
VCON_UART = ["vcon: features 0x13, without VERSION_1 refused 1; isr 0, after wfi 1, "
             "with event index 0",
             "vcon: rings outside RAM: status 0x4b, ready 0; after reset 0x0; 5 kicks"]


def test_virtio_console_from_a_stub():
    """hvc0's lines arrive whole with the VM's prefix, whatever the buffers; VERSION_1 is
    required; the transmit queue's notification waits for a wfi, and with EVENT_IDX is left
    out; rings outside RAM give DEVICE_NEEDS_RESET (logged once) and a reset recovers"""
    run = boot("vcon")
    assert run.rc == 0, run.tail()
    assert run.guest_lines("vcon") == VCON_HVC + VCON_UART, run.tail()
    assert run.out.count("hyp: vm 0 (vcon): vcon: queue 0: rings at 0x20000000, 0x20001000, "
                         "0x20002000: misaligned or outside the VM's RAM: device needs reset\n") \
        == 1, run.tail()
    t = run.tables["vm 0 (vcon)"]
    uart = sum(len(line) + 1 for line in VCON_UART)
    # every register access is one exit; the kicks per queue are counted apart
    assert t["mmio"] == {"gicd": 3, "uart": uart, "vcon": 162, "vcon.q0": 1, "vcon.q1": 5}, \
        run.tail()
    assert t["ec"] == {0x01: 1, 0x12: 1, 0x24: 3 + uart + 162}, run.tail()


def test_virtio_console_keyboard_input():
    """once the guest writes to hvc0, what is typed goes to its receive queue, not the
    PL011; Ctrl-] still reaches the hypervisor"""
    q = spawn("hyp.vms=vcon-input", timeout=30)
    try:
        q.expect_exact("[vcon-input] " + VCON_UART[1])
        q.send("a")
        q.expect_exact("[vcon-input] vcon: got 1 byte(s), 0x61")
        q.send("\x1dh")
        q.expect_exact("keyboard: VM 0")
        q.send("q")
        q.expect_exact("[vcon-input] vcon: got 1 byte(s), 0x71")
        q.expect_exact("hyp: vm 0 (vcon-input) stopped: system off")
        q.expect_exact("hyp: no VM left running: powering off")
        q.expect(pexpect.EOF)
    finally:
        q.close(force=True)
    assert q.exitstatus == 0


def test_trap_log_readers_show_the_kicks(tmp_path):
    """the dump's notify counters (trap log version 6) as tools/traplog prints them, the
    same as the UART's mmio row"""
    import subprocess
    from hyp import ROOT, boot_and_dump
    import traplog
    run, log = boot_and_dump("vcon", keep=tmp_path / "log.bin")
    s = traplog.vm_sum(log["vms"][0])
    assert log["vms"][0]["mmio_names"] == ["gicd", "uart", "vcon"]
    assert s["notify"][2] == [1, 5, 0, 0], s["notify"]
    p = subprocess.run([str(ROOT / "tools" / "traplog"), str(tmp_path / "log.bin")],
                       capture_output=True, text=True)
    row = [l for l in p.stdout.splitlines() if l.startswith("  mmio:")]
    uart = [l for l in run.out.splitlines() if l.startswith("  mmio:")]
    assert row == uart[:1] == ["  mmio: gicd 3 uart %d vcon 162 vcon.q0 1 vcon.q1 5" %
                               run.tables["vm 0 (vcon)"]["mmio"]["uart"]], (row, uart)


def kernel_lines(run, vm):
    """the kernel's log lines as the console showed them, without their timestamps"""
    return [re.sub(r"^\[ *\d+\.\d+\] ", "", l) for l in run.guest_lines(vm)
            if re.match(r"^\[ *\d+\.\d+\] ", l)]


def test_debian_console_on_hvc0_keeps_the_log_in_few_exits():
    """the seed's boot-and-power-off with console=hvc0, under -icount so the counts hold:
    the kernel's whole log (Linux 6.1 loses the replay to a console a module registers, so
    /init prints it with dmesg), in under 2,000 exits where the PL011 takes 24,000"""
    hvc = qemu(ICOUNT, append="hyp.vms=linux-off-hvc", timeout=300)
    uart = qemu(ICOUNT, append="hyp.vms=linux-off", timeout=300)
    for run in (hvc, uart):
        assert run.rc == 0 and "guest: powering off" in run.out, run.tail()
    th, tu = hvc.tables["vm 0 (linux-off-hvc)"], uart.tables["vm 0 (linux-off)"]
    assert th["total"] < 2000 and tu["total"] > 20000, (th, tu)
    assert th["mmio"]["vcon.q1"] < 20 and th["mmio"]["uart"] < 20, th   # a kick per 4 KiB
    got, want = kernel_lines(hvc, "linux-off-hvc"), kernel_lines(uart, "linux-off")
    assert "printk: console [hvc0] enabled" in got and "printk: console [ttyAMA0] enabled" in want
    # every line of the PL011's log is in hvc0's, but for the lines about the consoles
    differ = ("OF: fdt: Machine model", "Kernel command line", "printk: console [ttyAMA0]",
              "uart-pl011 9000000.pl011: no DMA")
    missing = [l for l in want if l not in got and not l.startswith(differ)]
    assert not missing and len(got) >= len(want), missing
