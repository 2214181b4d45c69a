"""The console escape keys (Ctrl-] then a key) and keyboard input to a guest."""

import pexpect

from harness import spawn


def test_escape_keys_and_guest_input():
    q = spawn("hyp.vms=echo", timeout=30)
    try:
        q.expect_exact("[echo] echo: ready")
        q.send("a")
        q.expect_exact("[echo] echo: got 0x61")
        q.send("\x1dh")
        q.expect_exact("hyp keys: Ctrl-] then")
        q.expect_exact("  :        a command: list, start VM, shutdown VM, destroy VM, reset VM,")
        q.expect_exact("keyboard: VM 0")
        # the prompt (issue 18): backspace edits, Enter runs, Ctrl-C drops the line
        q.send("\x1d:lisx\x7ft\r")
        q.expect(r"   0 echo             running       1  0x1   16 +\d+\r")
        q.send("\x1d:destroy echo\x03")
        q.send("\x1d:start echo\r")
        q.expect_exact("hyp: ctl: console: start echo: running")
        q.send("\x1ds")
        q.expect_exact("trap tables, side by side")
        q.expect(r"EC +class +echo +board")
        # to the end of the line: the columns are printed one at a time, and a
        # pattern ending in \d+ would match a number cut in two
        q.expect(r"0x24  DABT \(guest\) +(\d+) +(\d+)\r*\n")
        assert q.match.group(1) == q.match.group(2)     # one VM: its column is the board's
        q.expect(r" +total +(\d+) +(\d+)\r*\n")
        q.send("\x1dt")
        q.expect_exact("last 16 trap records:")
        q.expect(r"((?:\s+\d+ +\d+  0\.0 .*\n){16})")
        seqs = [int(l.split()[0]) for l in q.match.group(1).splitlines() if l.strip()]
        assert seqs == list(range(seqs[0], seqs[0] + 16)), seqs
        q.send("\x1d\x1d")               # a literal Ctrl-] for the guest
        q.expect_exact("[echo] echo: got 0x1d")
        q.send("\x1dx")                  # an unknown key shows the help
        q.expect_exact("hyp keys: Ctrl-] then")
        q.send("q")
        q.expect_exact("[echo] echo: got 0x71")
        q.expect_exact("hyp: vm 0 (echo) stopped: system off")
        q.expect_exact("hyp: no VM left running: powering off")
        q.expect(pexpect.EOF)
    finally:
        q.close(force=True)
    assert q.exitstatus == 0
