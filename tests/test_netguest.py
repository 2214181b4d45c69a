"""Guests on a network: Debian's guest brings eth0 up in its /init (tools/fetch-guest.sh),
alone on bare QEMU's virtio-net, then make run's two guests on the hypervisor's switch
with the board's network card as the uplink. Every address and page checked exactly; the
host reaches a guest only through a forwarded port on 127.0.0.1."""
import re
import subprocess
import time
import urllib.request

import pexpect
import pytest

from harness import BUILD, PLATFORM, ROOT, consts, disk_args, free_port, needs_virtio, poweroff_and_wait, spawn

G = ROOT / "build" / "guest"
PROMPT = "guest# "
# bare QEMU: the same kernel and initramfs, straight on virt (no hypervisor)
BARE = dict(bare=True, mem="256M", hyp_bin=G / "zImage")
V2 = ["-global", "virtio-mmio.force-legacy=false"]


def nic(port, guest=""):
    """QEMU's user network as make run gives it, closed (restrict=on), with 127.0.0.1:port
    forwarded to port 80 of guest (by default the first address its DHCP server gives)"""
    return ["-netdev", "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:%d-%s:80" % (port, guest),
            "-device", "virtio-net-device,netdev=net0"]


def fetch(port, deadline=20):
    """the page at http://127.0.0.1:port/, retried while the forwarded port has no server"""
    end = time.monotonic() + deadline
    while True:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=10) as r:
                return r.read()
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.5)


def run_cmd(q, cmd, prefix=""):
    """types cmd into the shell; returns what it printed, the console's prefixes removed"""
    q.sendline(cmd)
    q.expect_exact(prefix + PROMPT)
    lines = q.before.replace("\r", "").split("\n")[1:]
    return "\n".join(l[len(prefix):] if l.startswith(prefix) else l for l in lines)


def bare(append, args):
    return spawn("console=ttyAMA0 quiet " + append,
                 args=["-initrd", str(G / "initramfs.cpio.gz"), *args, *V2], **BARE)


bare_only_once = pytest.mark.skipif(PLATFORM != "virt", reason="bare QEMU: the same on each board")


@bare_only_once
def test_bare_qemu_dhcp_gives_the_address_asked_for_ping_and_http():
    """guest.ip=A.B.C.D: udhcpc asks QEMU's DHCP server for that address (not the first
    of its pool, 10.0.2.15) and gets it; httpd serves the page that names the guest"""
    port = free_port()
    q = bare("guest.name=bare0 guest.ip=10.0.2.21", nic(port, "10.0.2.21"))
    try:
        q.expect_exact("guest: eth0 10.0.2.21/24 (dhcp, asked for 10.0.2.21)")
        q.expect_exact(PROMPT)
        assert "3 packets transmitted, 3 packets received, 0% packet loss" in \
            run_cmd(q, "ping -c 3 10.0.2.2")
        assert run_cmd(q, "wget -q -O - http://127.0.0.1/").strip() == "hello from bare0"
        assert run_cmd(q, "hostname").strip() == "bare0"
        # restrict=on: QEMU's DHCP names no router, so the only route is the subnet's
        assert run_cmd(q, "ip route").strip() == "10.0.2.0/24 dev eth0 scope link  src 10.0.2.21"
        assert fetch(port) == b"hello from bare0\n"
        q.sendline("poweroff")
        q.expect_exact("guest: powering off")
        q.expect(pexpect.EOF)
    finally:
        q.close(force=True)
    assert q.exitstatus == 0


@bare_only_once
def test_bare_qemu_static_address_and_no_network():
    """guest.ip=static:A.B.C.D/N: no DHCP; and a guest without a network card prints no
    eth0 line and starts no server"""
    port = free_port()
    q = bare("guest.name=bare1 guest.ip=static:10.0.2.40/24", nic(port, "10.0.2.40"))
    try:
        q.expect_exact("guest: eth0 10.0.2.40/24 (static)")
        q.expect_exact(PROMPT)
        assert "2 packets transmitted, 2 packets received, 0% packet loss" in \
            run_cmd(q, "ping -c 2 10.0.2.2")
        assert fetch(port) == b"hello from bare1\n"
        q.sendline("poweroff")
        q.expect(pexpect.EOF)
    finally:
        q.close(force=True)
    q = bare("guest.name=bare2 guest.ip=10.0.2.15", [])
    try:
        q.expect_exact("guest: init started")
        q.expect_exact(PROMPT)
        out = q.before
        assert "guest: eth0" not in out, out
        assert run_cmd(q, "ls /sys/class/net; pidof httpd || echo none").split() == ["lo", "none"]
        q.sendline("poweroff")
        q.expect(pexpect.EOF)
    finally:
        q.close(force=True)


def mkdisk(img, *vms):
    cmd = ["/usr/bin/python3", str(ROOT / "tools" / "mkdisk.py"), str(ROOT / "vms" / "default.conf"),
           str(img), str(G / "rootfs")]
    if vms:
        cmd += ["--vms", ",".join(vms)]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)


def debugfs(img, cmd, write=False):
    return subprocess.run(["debugfs"] + (["-w"] if write else []) + ["-R", cmd,
                          "%s?offset=0" % img], capture_output=True)


@bare_only_once
def test_mkdisk_brings_init_up_to_date_and_keeps_the_guests_files(tmp_path):
    """a disk made by an older build: its /init and udhcpc's hook are rewritten, a file the
    guest saved stays, and the file system is clean"""
    img = tmp_path / "board.img"
    assert mkdisk(img, "linux0").returncode == 0
    old, note = tmp_path / "old-init", tmp_path / "note"
    old.write_text("#!/bin/sh\necho an older init\n")
    note.write_text("kept-42\n")
    for cmd in ("rm /init", "write %s /init" % old, "rm /etc/udhcpc.script",
                "write %s /root/note" % note):
        debugfs(img, cmd, write=True)
    assert debugfs(img, "cat /init").stdout == old.read_bytes()
    p = mkdisk(img, "linux0")
    assert p.returncode == 0, p.stderr
    assert p.stdout == "mkdisk: %s: linux0's disk: /init, /etc/udhcpc.script brought up to " \
                       "date\n" % img
    assert debugfs(img, "cat /init").stdout == (G / "rootfs" / "init").read_bytes()
    assert debugfs(img, "cat /etc/udhcpc.script").stdout == \
        (G / "rootfs" / "etc" / "udhcpc.script").read_bytes()
    assert debugfs(img, "cat /root/note").stdout == b"kept-42\n"
    assert mkdisk(img, "linux0").stdout == ""                 # up to date: nothing written
    fsck = subprocess.run(["e2fsck", "-fn", "%s?offset=0" % img], capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stdout


# the hypervisor's side: virtio-net per VM ("net = yes") and the switch
has_net = pytest.mark.skipif(not hasattr(consts, "GUEST_VNET"),
                             reason="the hypervisor gives VMs no virtio-net yet (net = yes)")


@has_net
@needs_virtio
def test_make_runs_guests_ping_each_other_and_serve_pages(tmp_path):
    """make run's manifest and QEMU options: linux0 and linux1 get 10.0.2.15 and .16 from
    QEMU's DHCP server through the switch and the uplink, ping each other, linux0 fetches
    linux1's page, and the host fetches linux0's through the forwarded port"""
    img = tmp_path / "board.img"
    assert mkdisk(img).returncode == 0
    port = free_port()
    q = spawn(smp=2, hyp_bin=BUILD / "default" / "hyp.bin", args=[*disk_args(img), *nic(port)])
    try:
        got = set()
        for _ in range(2):
            q.expect(r"\[(linux[01])\] guest: eth0 (\S+) \(dhcp, asked for (\S+)\)\r")
            got.add(q.match.groups())
        assert got == {("linux0", "10.0.2.15/24", "10.0.2.15"),
                       ("linux1", "10.0.2.16/24", "10.0.2.16")}
        q.sendline("echo ready-$((6 * 7))")
        q.expect_exact("[linux0] ready-42")
        q.expect_exact("[linux0] " + PROMPT)
        out = run_cmd(q, "ping -c 3 10.0.2.16", "[linux0] ")
        assert "3 packets transmitted, 3 packets received, 0% packet loss" in out, out
        assert run_cmd(q, "wget -q -O - http://10.0.2.16/", "[linux0] ").strip() == \
            "hello from linux1"
        assert fetch(port) == b"hello from linux0\n"
        q.send("\x1d1")
        q.expect_exact("hyp: keyboard to VM 1 (linux1)")
        q.sendline("ping -c 3 10.0.2.15")
        q.expect_exact("[linux1] 3 packets transmitted, 3 packets received, 0% packet loss")
        q.sendline("poweroff")
        q.expect_exact("hyp: vm 1 (linux1) stopped: system off")
        q.send("\x1d0")
        assert poweroff_and_wait(q, "hyp: vm 0 (linux0) stopped: system off") == 0
    finally:
        q.close(force=True)


@has_net
@needs_virtio
def test_make_run_gives_qemu_the_boards_network_card():
    """after the disk's device (the disk keeps slot 31), closed, forwarded on 127.0.0.1 only"""
    p = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True)
    assert re.search(r" -device virtio-blk-device,drive=disk -global virtio-mmio.force-legacy=false "
                     r"-netdev user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:8080-:80 "
                     r"-device virtio-net-device,netdev=net0 *$", p.stdout, re.M), p.stdout
    p = subprocess.run(["make", "-n", "run", "HTTP_PORT=18080"], cwd=ROOT, capture_output=True,
                       text=True)
    assert "hostfwd=tcp:127.0.0.1:18080-:80" in p.stdout, p.stdout
    p = subprocess.run(["make", "-n", "run", "CONFIG=vms/shared.conf"], cwd=ROOT,
                       capture_output=True, text=True)
    assert "-netdev" not in p.stdout, p.stdout


@has_net
def test_a_board_without_a_network_card_switches_between_its_vms():
    """make run's guests with no card on the board (orangepi-pc has none; on virt and
    vexpress-a15 none is given here): no DHCP server answers, so each takes the address it
    asked for on the switch's /24, and they reach each other through the switch alone, on
    their two CPUs, the keyboard moved between them by Ctrl-] on the board's own UART"""
    q = spawn(smp=2, hyp_bin=BUILD / "default" / "hyp.bin")
    try:
        got = set()
        for _ in range(2):
            q.expect(r"\[(linux[01])\] guest: eth0 (\S+) \(([^)]*)\)\r")
            got.add(q.match.groups())
        assert got == {("linux0", "10.0.2.15/24", "no dhcp answer: the address asked for"),
                       ("linux1", "10.0.2.16/24", "no dhcp answer: the address asked for")}
        q.sendline("echo ready-$((6 * 7))")
        q.expect_exact("[linux0] ready-42")
        q.expect_exact("[linux0] " + PROMPT)
        out = run_cmd(q, "ping -c 3 10.0.2.16", "[linux0] ")
        assert "3 packets transmitted, 3 packets received, 0% packet loss" in out, out
        q.send("\x1d1")
        q.expect_exact("hyp: keyboard to VM 1 (linux1)")
        q.sendline("echo ready-$((6 * 7))")
        q.expect_exact("[linux1] ready-42")
        q.expect_exact("[linux1] " + PROMPT)
        out = run_cmd(q, "ping -c 3 10.0.2.15", "[linux1] ")
        assert "3 packets transmitted, 3 packets received, 0% packet loss" in out, out
        assert run_cmd(q, "wget -q -O - http://10.0.2.15/", "[linux1] ").strip() == \
            "hello from linux0"
        q.sendline("poweroff")
        q.expect_exact("hyp: vm 1 (linux1) stopped: system off")
        q.send("\x1d0")
        assert poweroff_and_wait(q, "hyp: vm 0 (linux0) stopped: system off") == 0
    finally:
        q.close(force=True)
