"""VM manifests: bad ones fail the build with file:line; the shipped ones boot."""
import re
import subprocess

import pexpect

import pytest

from harness import BUILD, ROOT, consts, poweroff_and_wait, spawn

STUB = "build/stubs/hvc.bin"
GOOD = "board memory=1G cpus=2\n\nvm a\n  kernel = %s\n  memory = 16M\n" % STUB


def mkguests(tmp_path, text):
    conf = tmp_path / "m.conf"
    conf.write_text(text)
    p = subprocess.run(["/usr/bin/python3", "tools/mkguests.py", str(conf),
                        "vms/guest.dts.in", str(tmp_path / "out")],
                       cwd=ROOT, capture_output=True, text=True)
    return conf, p


def test_a_good_manifest_builds(tmp_path):
    conf, p = mkguests(tmp_path, GOOD)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "out" / "images.S").exists() and (tmp_path / "out" / "a.dtb").exists()


@pytest.mark.parametrize("text, line, why", [
    (GOOD + "  colour = blue\n", 6,
     "unknown key 'colour' (known: bootargs, control, cpus, devices, disk, exclusive, forward, "
     "identity, initrd, irq, kernel, mac, memory, mmio, net, passthrough, start, traplog, vcpus)"),
    (GOOD + "  net = maybe\n", 6, "net: yes or no"),
    (GOOD + "  mac = 02:00:00:00:00:01\n", 6, "mac given, but VM a has no 'net = yes'"),
    (GOOD + "  net = yes\n  mac = 02:00:00:00:01\n", 7,
     "mac '02:00:00:00:01': want six hex bytes like 02:68:79:70:00:01"),
    (GOOD + "  net = yes\n  mac = 03:00:00:00:00:01\n", 7,
     "mac '03:00:00:00:00:01': a multicast or zero address cannot be a VM's"),
    (GOOD + "  net = yes\n\nvm b\n  kernel = %s\n  net = yes\n  mac = 02:68:79:70:00:00\n"
     % STUB, 11, "VM b has VM a's mac (02:68:79:70:00:00)"),
    (GOOD + "  control = maybe\n", 6, "control: yes or no"),
    (GOOD.replace("16M", "600M") + "  control = yes\n  start = yes\n\nvm b\n  kernel = %s\n"
     "  memory = 600M\n" % STUB, 9,
     "the VMs that start or wait for the control VM want 1200 MiB, the board has 1024"),
    (GOOD.replace(STUB, "build/guest/nothere"), 4, "kernel 'build/guest/nothere' does not exist"),
    (GOOD.replace("16M", "2G"), 5, "memory 2048 MiB: the board has 1024 MiB (the hypervisor keeps 8)"),
    (GOOD + "  cpus = 2\n", 6, "cpus '2': the board has 2"),
    (GOOD + "  devices = uart, floppy\n", 6,
     "unknown device 'floppy' (known: console, testdev, uart)"),
    (GOOD + "  disk = 64\n", 6, "disk '64': want a size like 64M or 1G, or SIZE@OFFSET like 64M@128M"),
    (GOOD + "  disk = 64M\n\nvm b\n  kernel = %s\n  disk = 8M@32M\n" % STUB, 10,
     "VM b's disk [32M, 40M) overlaps VM a's [0M, 64M)"),
    (GOOD + "  exclusive = yes\n\nvm b\n  kernel = %s\n" % STUB, 8,
     "VM b shares cpus with a, which asks for them alone (%s:3)"),
    (GOOD + "\nvm a\n  kernel = %s\n" % STUB, 7, "VM 'a' defined twice"),
    ("vm a\n  kernel = %s\n" % STUB, None, "no 'board memory=SIZE cpus=N' line"),
    (GOOD + "kernel = x\n", 6, "want 'board ...' or 'vm NAME', then indented 'key = value' lines"),
])
def test_a_bad_manifest_says_where_and_why(tmp_path, text, line, why):
    conf, p = mkguests(tmp_path, text)
    assert p.returncode != 0
    where = "%s:%d" % (conf, line) if line else str(conf)
    assert p.stderr.strip() == "%s: error: %s" % (where, why.replace("%s", str(conf)))


def test_not_a_zimage(tmp_path):
    fake = tmp_path / "zImage"
    fake.write_bytes(b"\0" * 64)
    conf, p = mkguests(tmp_path, GOOD.replace(STUB, str(fake)))
    assert p.stderr.strip() == "%s:4: error: kernel '%s' is not an ARM zImage (no magic at 0x24)" \
        % (conf, fake)


def boot_config(cfg, smp, names):
    """Boots a shipped manifest; every VM reaches its shell; poweroff each."""
    q = spawn(smp=smp, hyp_bin=BUILD / cfg / "hyp.bin")
    try:
        seen = set()
        while seen != set(names):
            q.expect(r"\[(%s)\] guest# " % "|".join(names))
            seen.add(q.match.group(1))
        for i, name in enumerate(names):
            q.send("\x1d%d" % i)
            q.expect_exact("hyp: keyboard to VM %d (%s)" % (i, name))
            q.sendline("grep -c ^processor /proc/cpuinfo")
            q.expect(r"\[%s\] (\d+)\r" % name)
            cpus = int(q.match.group(1))
            q.sendline("poweroff")
            q.expect_exact("hyp: vm %d (%s) stopped: system off" % (i, name))
        q.expect_exact("hyp: no VM left running: powering off")
        q.expect(pexpect.EOF)
    finally:
        q.close(force=True)
    assert q.exitstatus == 0
    return cpus


def test_default_two_guests_each_on_its_own_cpu():
    assert boot_config("default", 2, ["linux0", "linux1"]) == 1


def test_two_guests_sharing_one_cpu():
    assert boot_config("shared", 1, ["linux0", "linux1"]) == 1


def test_one_guest_with_two_vcpus():
    assert boot_config("smp", 2, ["linux"]) == 2


def test_two_vcpus_sharing_one_cpu():
    """IPIs between two vcpus time-sharing one physical cpu (test.conf's linux-smp1)."""
    q = spawn("hyp.vms=linux-smp1")
    try:
        q.expect_exact("[linux-smp1] guest# ")
        q.sendline("grep -c ^processor /proc/cpuinfo; grep -E 'IPI[23]:' /proc/interrupts")
        q.expect(r"\[linux-smp1\] (\d+)\r")
        assert q.match.group(1) == "2"
        q.expect(r"IPI3: +(\d+) +(\d+) +Function call interrupts")
        assert int(q.match.group(1)) > 0 and int(q.match.group(2)) > 0   # both ways
        assert poweroff_and_wait(q) == 0
    finally:
        q.close(force=True)


def test_four_cpus():
    from harness import cpus_line, qemu
    run = qemu([], append="hyp.vms=hvc,victim1", smp=4)
    assert cpus_line(4) in run.out, run.tail()
    assert run.rc == 0 and run.tables["vm 0 (hvc)"]["ec"][0x12] == 1005, run.tail()


def test_virtio_devices_in_the_device_tree(tmp_path):
    """the console at slot 0 (SPI 16), the disk at slot 1 (SPI 17), as the hypervisor
    places them (hyp/core/include/guest_board.h)"""
    conf, p = mkguests(tmp_path, GOOD + "  devices = uart, console\n  disk = 8M\n")
    assert p.returncode == 0, p.stderr
    dts = (tmp_path / "out" / "a.dts").read_text()
    for slot, spi, what in ((0, 16, "console"), (1, 17, "disk")):
        assert ('\tvirtio_mmio@%x {\n\t\tcompatible = "virtio,mmio";\n\t\treg = <0x0 0x%x 0x0 '
                '0x200>;\n\t\tinterrupts = <0 %d 4>;\t\t/* SPI %d = ID %d, level high: the %s '
                '*/\n\t\tdma-coherent;\n\t};' % (0xa000000 + 0x200 * slot, 0xa000000 + 0x200 * slot,
                                               spi, spi, spi + 32, what)) in dts, dts


def test_network_card_in_the_device_tree_and_its_address(tmp_path):
    """net = yes: the card at slot 2 (SPI 18); the address 02:68:79:70:00:NN by the VM's place
    in the manifest, or the one given"""
    conf, p = mkguests(tmp_path, GOOD + "  net = yes\n\nvm b\n  kernel = %s\n  net = yes\n\n"
                       "vm c\n  kernel = %s\n  net = yes\n  mac = 02:aa:bb:cc:dd:ee\n"
                       % (STUB, STUB))
    assert p.returncode == 0, p.stderr
    dts = (tmp_path / "out" / "a.dts").read_text()
    assert '\tvirtio_mmio@a000400 {\n\t\tcompatible = "virtio,mmio";\n\t\treg = <0x0 0xa000400 ' \
           '0x0 0x200>;\n\t\tinterrupts = <0 18 4>;\t\t/* SPI 18 = ID 50, level high: the ' \
           'network */' in dts, dts
    images = (tmp_path / "out" / "images.S").read_text()
    # mac_hi, mac_lo: each entry's words before its passed-through devices (pt, nr_pt)
    for hi, lo in (("0x268", "0x79700000"), ("0x268", "0x79700001"), ("0x2aa", "0xbbccddee")):
        assert re.search(r"\.word .*, %s, %s, 0, 0\n" % (hi, lo), images), images


def test_traplog_access_in_the_device_tree(tmp_path):
    conf, p = mkguests(tmp_path, GOOD + "  traplog = own\n")
    assert p.returncode == 0, p.stderr
    dts = (tmp_path / "out" / "a.dts").read_text()
    assert 'hyp-traplog@%x {\n\t\tcompatible = "armv7hyp,traplog";\n\t\treg = <0x0 %#x ' \
           '0x0 %#x>;\n\t\taccess = "own";\n\t\tvm-name = "a";' % (
               consts.TRAPLOG_IPA, consts.TRAPLOG_IPA, consts.TRAPLOG_VM_SIZE) in dts
    conf, p = mkguests(tmp_path, GOOD + "  traplog = some\n")
    assert p.stderr.strip() == "%s:6: error: traplog 'some': none, own or all" % conf


def test_smp_guest_reboots():
    """reboot in a 2-vCPU guest on two cpus: the cpu that does not run the reset drops the
    other vcpu (its timer, its list registers, its forwarded interrupt) and both come back."""
    q = spawn(smp=2, hyp_bin=BUILD / "smp" / "hyp.bin")
    try:
        q.expect_exact("[linux] guest# ")
        q.sendline("reboot")
        q.expect_exact("hyp: vm 0 (linux) reset: reloading its images")
        q.expect_exact("smp: Brought up 1 node, 2 CPUs")
        q.expect_exact("[linux] guest# ")
        q.sendline("for i in 1 2 3 4; do grep -c ^processor /proc/cpuinfo; done | sort -u")
        q.expect(r"\[linux\] (\d)\r", timeout=30)                  # forks run on both cpus
        assert q.match.group(1) == "2"
        assert poweroff_and_wait(q) == 0
    finally:
        q.close(force=True)
