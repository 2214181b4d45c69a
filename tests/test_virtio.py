"""virtio-mmio devices in the hypervisor (issue 13): the transport and the console from a
stub's side, with exact counts."""
import os
import re
import struct
import subprocess

import pexpect

from harness import (BUILD, ICOUNT, QEMU, ROOT, boot, disk_args, needs_virtio, disk_ranges, poweroff_and_wait, qemu,
                     spawn)

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
    from harness import ROOT, boot_and_dump
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
    # every line of the PL011's log is in hvc0's, but for the lines about the consoles, the
    # memory left (Debian's 6.1.192 reserves 4 KiB more beside a virtio console) and the
    # last line, which 6.1.192 powers off before hvc0 writes (6.1.176 wrote it)
    differ = ("OF: fdt: Machine model", "Kernel command line", "printk: console [ttyAMA0]",
              "uart-pl011 9000000.pl011: no DMA", "Memory: ", "reboot: Power down")
    missing = [l for l in want if l not in got and not l.startswith(differ)]
    assert not missing and len(got) >= len(want), missing


VBLK = ["vblk: 2048 sectors, seg_max 126, blk_size 512",
        "vblk: write 0, read back 0x0, at the end 0x0; past the end 1, across it 1, far 1, "
        "100 bytes 1; type 99 2; flush 0; get-id 0 'vblk'",
        "vblk: indirect 0x0; a buffer outside its RAM: status 0x4f, isr 3; after a reset 0x0"]


def sector_pattern(tag, sector):
    """what the vblk stub writes into a sector of its disk (guest-stubs/vblk.c, fill())"""
    return b"".join(struct.pack("<I", (tag << 24 ^ sector << 8 ^ j) & 0xffffffff)
                    for j in range(128))


def image(tmp_path, size):
    path = tmp_path / "board.img"
    with open(path, "wb") as f:
        f.truncate(size)
    return path


@needs_virtio
def test_virtio_disk_from_a_stub(tmp_path):
    """reads and writes at both ends of its range; outside it or misshapen: IOERR; type 99:
    UNSUPP; flush and get-id; an indirect table; a buffer outside its RAM puts the device in
    DEVICE_NEEDS_RESET (logged once), and a reset brings it back"""
    ranges, size = disk_ranges()
    img = image(tmp_path, size)
    run = qemu(disk_args(img), append="hyp.vms=vblk")
    assert run.rc == 0 and run.guest_lines("vblk") == VBLK, run.tail()
    assert run.out.count("hyp: vm 0 (vblk): vblk: buffer [0x48000000, +0x200) outside the VM's "
                         "RAM: device needs reset\n") == 1, run.tail()
    assert run.tables["vm 0 (vblk)"]["mmio"]["vblk.q0"] == 14, run.tail()
    data = img.read_bytes()
    start, length = ranges["vblk"]
    last = length // 512 - 8
    assert all(data[start + s * 512:start + s * 512 + 512] == sector_pattern(7, s)
               for s in range(8))
    assert all(data[start + (last + s) * 512:start + (last + s + 1) * 512] ==
               sector_pattern(9, last + s) for s in range(8))
    assert data[start + 8 * 512:start + last * 512].count(0) == (last - 8) * 512
    assert data[start + length:].count(0) == size - start - length     # the others' ranges


@needs_virtio
def test_virtio_disks_of_two_vms_isolated_and_a_broken_ring_beside_them(tmp_path):
    """vblk-a and vblk-b, on two cpus, each fill their whole disk with a pattern and try one
    sector past its end (IOERR), while vblk breaks its ring beside vblk-a: in the board's
    image each range holds exactly its VM's pattern, and nothing else changed"""
    ranges, size = disk_ranges()
    img = image(tmp_path, size)
    run = qemu(disk_args(img), append="hyp.vms=vblk,vblk-a,vblk-b", smp=2, timeout=180)
    assert run.rc == 0 and run.guest_lines("vblk") == VBLK, run.tail()
    for vm, tag in (("vblk-a", 1), ("vblk-b", 2)):
        assert run.guest_lines(vm) == [
            "vblk: 2048 sectors, seg_max 126, blk_size 512",
            "vblk: pattern %d: 2048 sectors written and read back, 0 bad; one past the end: "
            "status 1" % tag], run.tail()
    data = img.read_bytes()
    for vm, tag in (("vblk-a", 1), ("vblk-b", 2)):
        start, length = ranges[vm]
        want = b"".join(sector_pattern(tag, s) for s in range(length // 512))
        assert data[start:start + length] == want, vm
    start, length = ranges["vblk"]
    assert data[start:start + 8 * 512] == b"".join(sector_pattern(7, s) for s in range(8))
    end = max(s + n for s, n in ranges.values())
    assert data[end:].count(0) == size - end


def mkdisk(conf, img, vms=None):
    cmd = ["/usr/bin/python3", str(ROOT / "tools" / "mkdisk.py"), str(ROOT / "vms" / conf),
           str(img), str(ROOT / "build" / "guest" / "rootfs")]
    if vms:
        cmd += ["--vms", vms]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)


@needs_virtio
def test_the_seeds_configuration_root_on_a_virtio_disk_console_on_hvc0(tmp_path):
    """the seed's experiment as it was set up: root filesystem on an ext4 virtio disk,
    console on hvc0, boot and power off, under -icount: the seed counted 80,671 exits"""
    img = tmp_path / "board.img"
    assert mkdisk("test.conf", img, "linux-seed").returncode == 0
    run = qemu(ICOUNT + disk_args(img), append="hyp.vms=linux-seed", timeout=300)
    assert run.rc == 0, run.tail()
    lines = run.guest_lines("linux-seed")
    assert "guest: init started, root on /dev/vda" in lines, run.tail()
    assert any(re.search(r"EXT4-fs \(vda\): mounted filesystem", l) for l in lines), run.tail()
    t = run.tables["vm 0 (linux-seed)"]
    assert t["total"] < 2000 and t["mmio"]["vblk.q0"] > 0, t
    assert "hyp: vm 0 (linux-seed): " not in run.out, run.tail()     # no mistake logged


@needs_virtio
def test_a_file_written_in_the_guest_survives_poweroff(tmp_path):
    """make run's manifest (root on the disk): a file written before poweroff is there at
    the next boot, from the same image"""
    img = tmp_path / "board.img"
    assert mkdisk("default.conf", img, "linux0").returncode == 0
    for boot_nr, want in ((1, "none"), (2, "kept-42")):
        q = spawn("hyp.vms=linux0", hyp_bin=BUILD / "default" / "hyp.bin", args=disk_args(img))
        try:
            q.expect_exact("[linux0] guest: init started, root on /dev/vda")
            q.expect_exact("[linux0] guest# ")
            q.sendline("cat /root/note 2>/dev/null || echo none; echo kept-$((6 * 7)) > /root/note")
            q.expect(r"\[linux0\] (none|kept-42)\r")
            assert q.match.group(1) == want, boot_nr
            assert poweroff_and_wait(q, "guest: powering off") == 0
        finally:
            q.close(force=True)


def test_mkdisk_never_writes_an_existing_image(tmp_path):
    img = tmp_path / "board.img"
    img.write_bytes(b"x" * (600 << 20 >> 8) * 256)            # big enough, not a disk
    before = img.read_bytes()
    p = mkdisk("default.conf", img)
    assert p.returncode == 0 and img.read_bytes() == before, p.stderr
    small = tmp_path / "small.img"
    small.write_bytes(b"y" * 4096)
    p = mkdisk("default.conf", small)
    assert p.returncode == 1 and small.read_bytes() == b"y" * 4096
    assert p.stderr.strip() == ("mkdisk: error: %s is 0 MiB, the disks of %s need 512 MiB: it "
                                "is kept as it is; move it away to have a new one made"
                                % (small, ROOT / "vms" / "default.conf"))


@needs_virtio
def test_a_vm_reset_in_the_middle_of_io(tmp_path):
    """vblk-reset resets its VM with writes in flight: the write that completed before is
    on its disk at the next boot, and the board's disk keeps serving vblk-b on the other
    cpu throughout"""
    ranges, size = disk_ranges()
    img = image(tmp_path, size)
    run = qemu(disk_args(img), append="hyp.vms=vblk-reset,vblk-b", smp=2, timeout=120)
    assert run.rc == 0, run.tail()
    assert run.guest_lines("vblk-reset") == [
        "vblk: 2048 sectors, seg_max 126, blk_size 512",
        "vblk: first boot: a write done (status 0), 4 in flight: reset",
        "vblk: 2048 sectors, seg_max 126, blk_size 512",
        "vblk: after the reset: the completed write is there (0 bad), and the disk answers (0)"
    ], run.tail()
    assert run.out.count("hyp: vm 0 (vblk-reset) reset: reloading its images") == 1
    assert run.guest_lines("vblk-b")[1] == "vblk: pattern 2: 2048 sectors written and read " \
        "back, 0 bad; one past the end: status 1", run.tail()


def test_a_shell_on_hvc0_and_hypstat_shows_the_kicks():
    """console=hvc0: the shell reads the keyboard through the virtio console, and hypstat
    in the guest shows the kicks per device and queue in its mmio row, as the UART's"""
    q = spawn("hyp.vms=linux-hvc", timeout=120)
    try:
        q.expect_exact("[linux-hvc] guest# ")
        q.sendline("echo typed-$((6 * 7)) on $(cat /sys/class/tty/console/active)")
        q.expect_exact("[linux-hvc] typed-42 on hvc0")
        q.sendline("hypstat")
        q.expect(r"\[linux-hvc\]   mmio: gicd (\d+) uart (\d+) vcon (\d+) vcon.q0 (\d+) "
                 r"vcon.q1 (\d+)\r")
        kicks = int(q.match.group(5))
        assert int(q.match.group(4)) >= 1 and kicks > 10, q.match.group(0)
        q.sendline("poweroff")
        q.expect_exact("hyp: vm 0 (linux-hvc) stopped: system off")
        # the UART's table: more kicks since, the same row
        q.expect(r"  mmio: gicd \d+ uart \d+ vcon \d+ vcon.q0 \d+ vcon.q1 (\d+)\r")
        assert int(q.match.group(1)) > kicks, q.match.group(0)
        q.expect(pexpect.EOF)
    finally:
        q.close(force=True)
    assert q.exitstatus == 0


@needs_virtio
def test_make_run_gives_qemu_the_boards_disk():
    """the drive, the device and version 2 virtio-mmio, when the manifest has disks"""
    p = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True)
    assert "-drive file=disks/board.img,if=none,format=raw,id=disk -device " \
           "virtio-blk-device,drive=disk -global virtio-mmio.force-legacy=false" in p.stdout, \
        p.stdout
    assert "tools/mkdisk.py vms/default.conf disks/board.img" in \
        subprocess.run(["make", "-n", "disk"], cwd=ROOT, capture_output=True, text=True).stdout
    p = subprocess.run(["make", "-n", "run", "CONFIG=vms/shared.conf"], cwd=ROOT,
                       capture_output=True, text=True)
    assert "-drive" not in p.stdout, p.stdout


def test_gdb_hyp_stats_shows_the_kicks():
    """gdb's `hyp stats` on the vcon stub, stopped at its last hypercall (SYSTEM_OFF): the
    mmio row with the kicks per queue, as the UART prints it"""
    import shutil
    import socket
    import time
    if not shutil.which("gdb-multiarch"):
        return
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([*QEMU, "-kernel", str(BUILD / "test" / "hyp.bin"), "-append",
                             "hyp.vms=vcon", "-gdb", "tcp:127.0.0.1:%d" % port, "-S"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:     # until qemu's gdbstub holds the port
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    break
            time.sleep(0.05)
        r = subprocess.run(["gdb-multiarch", "-q", "-batch", "-nx", "-x", "tools/gdb/hyp.gdb",
                            "-ex", "break trap_hvc", "-ex", "continue", "-ex", "hyp stats vcon",
                            "-ex", "kill", str(BUILD / "test" / "hyp.elf")],
                           cwd=ROOT, env=dict(os.environ, HYP_GDB_REMOTE="127.0.0.1:%d" % port),
                           stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    finally:
        proc.kill()
        proc.wait()
    rows = re.findall(r"^  mmio:.*$", r.stdout, re.M)
    assert rows and re.fullmatch(r"  mmio: gicd 3 uart \d+ vcon 162 vcon.q0 1 vcon.q1 5",
                                 rows[0]), r.stdout + r.stderr
