"""Controlling VMs while the board runs (issue 18): the control ABI from a stub with every
wrong argument, a start/destroy hammer, hypctl in make run's linux0, the console's prompt."""
import re
import subprocess

from harness import BUILD, ROOT, boot, disk_args, needs_virtio, qemu, spawn

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
    return spawn(smp=2, hyp_bin=DEFAULT_BIN, args=disk_args(img), timeout=180)


@needs_virtio
def test_hypctl_in_linux0_and_the_console_prompt(tmp_path):
    """make run's board: linux0 starts linux2 with hypctl, sees all three in hypctl top,
    destroys it; mistakes get messages and status 1; linux1 may not control; then the
    console's prompt starts linux2, shuts it down (its kernel powers off), starts and
    destroys it again; each action is in the ring, as the console's Ctrl-] t shows"""
    q = spawn_default(tmp_path)
    q.logfile_read = open(tmp_path / "console.log", "w")
    try:
        q.expect_exact("linux2 (256 MiB, 1 vcpu, stopped)")
        seen = set()
        while len(seen) < 2:        # in either order
            seen.add(q.expect_exact(["[linux0] guest: init started",
                                     "[linux1] guest: init started"]))
        q.sendline("")
        q.expect_exact("[linux0] guest# ")
        shell(q, "linux0", "hypctl list",
              "[linux0]  id name             state     vcpus  cpus   MiB        exits",
              "[linux0]   0 linux0           running       1   0x1   256",
              "[linux0]   1 linux1           running       1   0x2   256",
              "[linux0]   2 linux2           stopped       1   0x2   256            0")
        shell(q, "linux0", "hypctl start linux2", "hyp: ctl: linux0: start linux2: ok",
              "[linux0] hypctl: start linux2: done")
        q.expect_exact("[linux2] guest: init started")
        shell(q, "linux0", "hypctl start linux2; echo rc=$?",
              "[linux0] hypctl: it is running already", "[linux0] rc=1")
        shell(q, "linux0", "hypctl destroy linux0; echo rc=$?",
              "[linux0] hypctl: that is this VM: add -f", "[linux0] rc=1")
        shell(q, "linux0", "hypctl pin linux2 0 0; echo rc=$?",
              "[linux0] hypctl: no such VM, vcpu or cpu", "[linux0] rc=1")
        shell(q, "linux0", "hypctl reset nosuch; echo rc=$?",
              "[linux0] hypctl: no VM named 'nosuch' (hypctl list)", "[linux0] rc=1")
        q.sendline("hypctl top 1")
        q.expect(r"\[linux0\] VM +state +exits/s +wfx +cp15 +hvc +dabt +irq +other\r")
        for vm in ("linux0", "linux1", "linux2"):
            q.expect(r"\[linux0\] %s +running +\d+ " % vm)
        q.expect_exact("[linux0] guest# ")
        shell(q, "linux0", "hypctl destroy linux2", "hyp: ctl: linux0: destroy linux2: ok",
              "[linux0] hypctl: destroy linux2: done")
        shell(q, "linux0", "hypctl list | grep linux2",
              "[linux0]   2 linux2           stopped")
        q.send("\x1d1")
        q.expect_exact("keyboard to VM 1 (linux1)")
        q.sendline("hypctl list; echo rc=$?")
        q.expect_exact("[linux1] hypctl: this VM may not control others (control = no)")
        q.expect_exact("[linux1] rc=1")
        # the console's prompt: the same actions, with backspace
        q.send("\x1d:startt\x7f linux2\r")
        q.expect_exact("hyp: ctl: console: start linux2: ok")
        q.expect_exact("[linux2] guest: init started")
        q.send("\x1d:list\r")
        q.expect(r"   2 linux2           running       1  0x2  256 +\d+\r")
        q.send("\x1d:shutdown linux2\r")
        q.expect_exact("hyp: ctl: console: shutdown linux2: ok")
        # (its kernel's last line, "reboot: Power down", reaches hvc0 with 6.1.176 and not
        # with 6.1.192, which powers off before the console's write goes out)
        q.expect_exact("hyp: vm 2 (linux2) stopped: system off")
        q.send("\x1d:start linux2\r")
        q.expect_exact("hyp: ctl: console: start linux2: ok")
        q.expect_exact("[linux2] guest: init started")
        q.send("\x1d:destroy linux2\r")
        q.expect_exact("hyp: ctl: console: destroy linux2: ok")
        q.send("\x1d:destroy linux2\r")
        q.expect_exact("hyp: ctl: console: destroy linux2: stopped")
        q.send("\x1d:bogus\r")
        q.expect_exact("commands: list, start VM, shutdown VM, destroy VM, reset VM, ")
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
    "ctl: pin 1 vcpu 0 cpu 1 (not in its cpus): -2",
    "ctl: pin 1 vcpu 1 cpu 0 (no such vcpu): -2",
    "ctl: pin 1 vcpu 0 cpu 4 (no such cpu): -2",
    "ctl: pin 1 vcpu 0 cpu 0: 0",
    "ctl: reset 1: 0",
    "ctl: its second life reported: 1",
    "ctl: destroy 1: 0",
    "ctl: destroy 1 (stopped): -5",
    "ctl: reset 1 (stopped): -5",
    "ctl: shutdown 1 (stopped): -5",
    "ctl: pin 1 vcpu 0 cpu 0 (stopped): 0",
    "ctl: start 1: 0",
    "ctl: its third life reported: 1",
]


def test_control_calls_with_every_wrong_argument_and_a_hammer():
    """every call with each wrong argument gets its error code; then 10,000 destroy/start
    cycles of cycled: each answered 0, each life finds its last life's markers wiped and is
    refused a control call (NOT_SUPPORTED); the neighbour's memory and ticks untouched"""
    n = 10000
    run = boot("ctl,cycled,neighbour1", smp=2, timeout=2400)
    assert run.rc == 0, run.tail()
    lines = run.guest_lines("ctl")
    assert lines == CTL_LINES + [
        "ctl: %d cycles, 0 calls failed, 0 lives late; cycled's lives %d, 0 of them found a "
        "marker or were not refused" % (n, n + 3)], run.tail()
    # destroyed, quietly: no table of its own; its lives counted in the trap log above
    assert "trap log: vm 1 (cycled)" not in run.out, run.tail()
    nb = run.guest_lines("neighbour1")
    assert len(nb) == 3 and re.fullmatch(
        r"neighbour: \d+ checksums of 8 MiB, 0 differ from the first", nb[0]), run.tail()
    assert re.fullmatch(r"neighbour: (\d+) timer ticks for \1 deadlines, none lost; "
                        r"latest \d+ us late", nb[1]), run.tail()
    # the console logs the first 32 actions of a VM, the ring holds the last ones
    assert run.out.count("hyp: ctl: ctl: ") == 32, run.tail()
    assert "hyp: ctl: ctl: destroy ctl: denied\n" in run.out
    # its last destroy, a ring record between its hvc and its SYSTEM_OFF's
    trace = run.out.split("trap log: vm 0 (ctl)")[1].split("trap log:")[0]
    classes = re.findall(r"; ([A-Z]+)[^;]*; exit count", trace)
    assert classes[-3:] == ["HVC", "CTL", "HVC"], trace


def test_pin_moves_a_running_vcpu_to_cpu_1_and_back():
    """ctl pins roamer's running vcpu (cpus 0-1) to cpu 1 and back 1,000 times under
    hyp.check=sched: each pin answers 0, roamer leaves a ring record on its new cpu, its
    timer ticks three more times, its old cpu records none of its exits after; at the end
    its exits by class add up to its total; its checksums never change and no tick is lost"""
    run = qemu([], append="hyp.vms=ctl,roamer hyp.check=sched", smp=2, timeout=600)
    assert run.rc == 0, run.tail()
    assert "PANIC" not in run.out and "scheduler invariant" not in run.out, run.tail()
    assert run.guest_lines("ctl") == [
        "ctl: 1000 moves, 0 calls failed, 0 not seen moved and ticking, 0 seen on the old "
        "cpu after; exits by class add up to the total"], run.tail()
    nb = run.guest_lines("roamer")
    assert len(nb) == 3 and re.fullmatch(
        r"neighbour: \d+ checksums of 8 MiB, 0 differ from the first", nb[0]), run.tail()
    assert re.fullmatch(r"neighbour: (\d+) timer ticks for \1 deadlines, none lost; "
                        r"latest \d+ us late", nb[1]), run.tail()
    assert run.out.count("hyp: ctl: ctl: pin roamer: ok") == 32, run.tail()
