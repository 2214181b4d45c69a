"""Controlling VMs while the board runs (issue 18): the control ABI from a stub with every
wrong argument, a start/destroy hammer, hypctl in make run's linux0, the console's prompt."""
import re
import subprocess

import pexpect

from hyp import BUILD, QEMU, ROOT, boot, disk_args

DEFAULT_BIN = BUILD / "default" / "hyp.bin"


def shell(q, vm, cmd, *want):
    """types cmd into vm's shell (the focus VM), expects each line of want in order"""
    q.sendline(cmd)
    for w in want:
        q.expect_exact(w)
    q.expect_exact("[%s] guest# " % vm)


def spawn_default(tmp_path):
    img = tmp_path / "board.img"
    p = subprocess.run(["/usr/bin/python3", str(ROOT / "tools" / "mkdisk.py"),
                        str(ROOT / "vms" / "default.conf"), str(img),
                        str(ROOT / "build" / "guest" / "rootfs"),
                        "bin/hypstat=" + str(ROOT / "build" / "guest" / "hypstat"),
                        "bin/hypctl=" + str(ROOT / "build" / "guest" / "hypctl")],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return pexpect.spawn(QEMU[0], [*QEMU[1:], "-smp", "2", "-m", "1G", "-kernel",
                                   str(DEFAULT_BIN), *disk_args(img)],
                         timeout=180, encoding="utf-8", codec_errors="replace")


def test_hypctl_in_linux0_starts_tops_and_destroys_linux2(tmp_path):
    q = spawn_default(tmp_path)
    q.logfile_read = open(tmp_path / "console.log", "w")
    try:
        q.expect_exact("linux2 (256 MiB, 1 vcpu, stopped)")
        q.expect_exact("[linux0] guest: init started")
        q.expect_exact("[linux1] guest: init started")
        q.sendline("")
        q.expect_exact("[linux0] guest# ")
        shell(q, "linux0", "hypctl list", "stopped")
        shell(q, "linux0", "hypctl start linux2", "hypctl: start linux2: done")
        q.expect_exact("[linux2] guest: init started")
        shell(q, "linux0", "hypctl top 1", "exits/s")
        shell(q, "linux0", "hypctl destroy linux2", "hypctl: destroy linux2: done")
    finally:
        q.close(force=True)


CTL_LINES = [
    "ctl: list 0: 0, state 1 vcpus 1 cpus 0x1 control 1, 16 MiB",
    "ctl: name 1: cycled",
    "ctl: list 3 (no such VM): -2",
    "ctl: name -1 (no such VM): -2",
    "ctl: start 8 (no such VM): -2",
    "ctl: start 1 (running): -4",
    "ctl: shutdown 1 (no hvc0): -1",
    "ctl: destroy 0 (itself, no flag): -3",
    "ctl: reset 0 (itself, no flag): -3",
    "ctl: shutdown 0 (itself, no flag): -3",
    "ctl: destroy 1 flags 2 (unknown flag): -2",
    "ctl: pin 1 vcpu 0 cpu 0 (not in its cpus): -2",
    "ctl: pin 1 vcpu 1 cpu 1 (no such vcpu): -2",
    "ctl: pin 1 vcpu 0 cpu 4 (no such cpu): -2",
    "ctl: pin 1 vcpu 0 cpu 1: 0",
    "ctl: reset 1: 0",
    "ctl: its second life reported: 1",
    "ctl: destroy 1: 0",
    "ctl: destroy 1 (stopped): -5",
    "ctl: reset 1 (stopped): -5",
    "ctl: shutdown 1 (stopped): -5",
    "ctl: pin 1 vcpu 0 cpu 1 (stopped): 0",
    "ctl: start 1: 0",
    "ctl: its third life reported: 1",
    "ctl: destroy 1: 0",
]


def test_control_calls_with_every_wrong_argument_and_a_hammer():
    """every call with each wrong argument gets its error code; then 10,000 destroy/start
    cycles of cycled: each answered 0, each life finds its last life's markers wiped and is
    refused a control call (NOT_SUPPORTED); the neighbour's memory and ticks untouched"""
    n = 10000
    run = boot("ctl,cycled,neighbour", smp=2, timeout=900)
    assert run.rc == 0, run.tail()
    lines = run.guest_lines("ctl")
    assert lines == CTL_LINES + [
        "ctl: %d cycles, 0 calls failed, 0 lives late; cycled's lives %d, 0 of them found a "
        "marker or were not refused" % (n, n + 3)], run.tail()
    t = run.tables["vm 1 (cycled)"]
    assert t["ec"][0x12] == 2 * (n + 3), run.tail()
    nb = run.guest_lines("neighbour")
    assert len(nb) == 2 and re.fullmatch(
        r"neighbour: \d+ checksums of 8 MiB, 0 differ from the first", nb[0]), run.tail()
    assert re.fullmatch(r"neighbour: (\d+) timer ticks for \1 deadlines, none lost; "
                        r"latest \d+ us late", nb[1]), run.tail()
    # the console logs the first 32 actions of a VM, the ring holds the last ones
    assert run.out.count("hyp: ctl: ctl: ") == 32, run.tail()
    assert "hyp: ctl: ctl: destroy ctl: denied\n" in run.out
