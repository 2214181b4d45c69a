"""Guests that attack the board's console: forged lines and terminal escapes in their
output (guest-stubs/attack-con.c), and guests that never read their input, which must
not take the keyboard from the hypervisor's keys or from the other VMs."""
import io
import string

import pexpect

from harness import ICOUNT, boot, neighbour_untouched, qemu, spawn

LINE = 200          # the hypervisor's line limit (VUART_LINE)
ABC = bytes(ord("a") + i % 26 for i in range(LINE))

# what attack-con writes, through its PL011 and then through hvc0 (guest-stubs/attack-con.c)
BATTERY = (b"con: clear \x1b[2J\x1b[H, a title \x1b]0;hyp\x07, mid-line\n"
           b"\x1b[1A\x1b[2K[othervm] over the line above\n"
           b"\r[othervm] after a carriage return\n"
           b"hyp: vm 0 (neighbour) stopped: system off\n"
           b"mid-line\nhyp: after a newline\n"
           b"\b\b\b\b\b\b\b\b\b\b\b\bhyp: backspaces over the prefix\n"
           b"answer: \x1b[6n \x1b[21t \x1b]2;\x1d:destroy neighbour\r\x07\x1b[21t \x05\n"
           b"controls: \x00\x01\x07\x0b\x0c\x0e\x0f\x1b\x1d\x7f, a tab\there\n"
           b"high: caf\xc3\xa9 \x9b2J \xff\xfe\n"
           + ABC + b"hyp: at the split\n"
           + ABC[:-1] + b"\x1b[2J after\n"
           + b"\x1b" * (3 * LINE) + b"\n")


def shown(data):
    """The rule (hyp/vdev/vuart.c, guest_line_put): printable ASCII and tab as they are,
    a carriage return dropped, every other byte as \\xNN; the lines, without their newline."""
    text = "".join(chr(b) if 0x20 <= b < 0x7f or b in (9, 10) else "" if b == 13 else "\\x%02x" % b
                   for b in data)
    return text.split("\n")[:-1]


def test_forged_lines_and_escapes_shown_escaped():
    run = boot("attack-con", timeout=120)
    assert run.rc == 0, run.tail()
    want = shown(BATTERY)
    assert want[0] == "con: clear \\x1b[2J\\x1b[H, a title \\x1b]0;hyp\\x07, mid-line"
    assert want[10] == ABC.decode() + "hyp: at the split"
    assert run.guest_lines("attack-con") == want + want + ["attack-con: 1 rounds"], run.tail()
    # the board's uart carries printable ascii and newlines alone (tabs: the guest's)
    assert set(run.out) <= set(string.printable) - set("\x0b\x0c"), \
        sorted(set(run.out) - set(string.printable))
    # every line the guest wrote is its own: none starts as the hypervisor's or another VM's
    lines = run.out.splitlines()
    assert not any(l.startswith("[othervm]") for l in lines), run.tail()
    assert not any(l.startswith("hyp: vm 0 (neighbour)") or l.startswith("hyp: after") or
                   l.startswith("hyp: at the split") for l in lines), run.tail()
    assert sum(l.startswith("[attack-con] ") for l in lines) == 2 * len(want) + 1


KEYS = "".join(chr(ord("a") + i % 26) for i in range(1100))
HOLD = 1024         # a guest's input, PL011 (struct vuart) or hvc0 (virtio_console.c)


def deaf_keyboard(vm, ready):
    """vm never reads its input: 1100 keys for it, of which it keeps the first 1024; the
    hypervisor's keys still answer, Ctrl-] 1 gives the keyboard to echo, which gets the next
    key at once; and the deaf VM, when it reads after 15 s, finds the first 1024 in order."""
    q = spawn("hyp.vms=%s,echo" % vm, timeout=90)
    q.logfile_read = seen = io.StringIO()
    try:
        q.expect_exact("[%s] %s" % (vm, ready))
        q.expect_exact("[echo] echo: ready")
        q.send(KEYS)
        q.send("\x1dh")     # the hypervisor's keys, while the focus VM's input is full
        i = q.expect_exact(["keyboard: VM 0 (%s), %d keys dropped" % (vm, len(KEYS) - HOLD),
                            "[%s] deaf: " % vm])
        assert i == 0, "the help came only after %s read its input" % vm
        q.send("\x1d1")
        i = q.expect_exact(["hyp: keyboard to VM 1 (echo)", "[%s] deaf: " % vm])
        assert i == 0, "Ctrl-] 1 came only after %s read its input" % vm
        q.send("x")
        q.expect_exact("[echo] echo: got 0x78")
        q.send("q")
        q.expect_exact("hyp: vm 1 (echo) stopped: system off")
        q.expect_exact("[%s] deaf: %d bytes waited, from %s, sum %d\r"
                       % (vm, HOLD, KEYS[:26], sum(ord(k) * (i + 1) for i, k in enumerate(KEYS[:HOLD]))))
        q.expect_exact("hyp: vm 0 (%s) stopped: system off" % vm)
        q.expect_exact("hyp: no VM left running: powering off")
        q.expect(pexpect.EOF)
    finally:
        q.close(force=True)
    assert q.exitstatus == 0
    # said once, when the keys began to drop
    assert seen.getvalue().count("hyp: keyboard: vm 0 (%s) takes no more: keys dropped until "
                                 "it reads" % vm) == 1


def test_deaf_pl011_keeps_the_keyboard_alive():
    deaf_keyboard("deaf", "deaf: reading nothing")


def test_deaf_hvc0_keeps_the_keyboard_alive():
    deaf_keyboard("deaf-hvc", "deaf: hvc0 up, reading nothing")


def test_forged_lines_beside_the_neighbour():
    """attack-con200 (the battery 200 times, make bench-attack's) beside the neighbour on
    one cpu, under ICOUNT: every guest byte costs the hypervisor at most 4 bytes on the
    terminal, and the neighbour keeps its ticks"""
    run = qemu(ICOUNT, append="hyp.vms=attack-con200,neighbour", smp=1, timeout=600)
    assert run.rc == 0, run.tail()
    want = shown(BATTERY) * 400 + ["attack-con: 200 rounds"]
    assert run.guest_lines("attack-con200") == want, run.tail()
    neighbour_untouched(run)
