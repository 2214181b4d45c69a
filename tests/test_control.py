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
