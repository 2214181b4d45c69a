"""hypstat inside the Debian guests: the same numbers as the UART, and only what the
manifest allows (default.conf: linux0 sees every VM, linux1 only its own)."""
import re


from harness import BUILD, consts, poweroff_and_wait, spawn

STATIC = (0x03, 0x05, 0x07, 0x12)     # classes that do not move while a shell waits


def rows(text):
    return {int(m.group(1), 16): int(m.group(2))
            for m in re.finditer(r"(0x[0-9a-f]{2})  \S.*? +(\d+) +[\d.]+%", text)}


def test_hypstat_matches_the_uart_and_respects_the_manifest():
    q = spawn(smp=2, hyp_bin=BUILD / "default" / "hyp.bin")
    try:
        for _ in range(2):
            q.expect(r"\[linux[01]\] guest# ")
        q.sendline("hypstat")
        q.expect(r"\[linux0\] hypstat: vm 0 \(linux0\)(.*?)hypstat: board \(all VMs\)(.*?)guest# ",
                 timeout=30)
        mine, board = rows(q.match.group(1)), rows(q.match.group(2))
        q.send("\x1ds")
        # linux0, linux1, linux2 (stopped: make run's third VM, issue 18), the board
        q.expect(r"trap tables, side by side(.*?) total +(\d+) +(\d+) +(\d+) +(\d+)\r")
        uart = {int(m.group(1), 16): tuple(int(m.group(k)) for k in range(2, 6))
                for m in re.finditer(r"(0x[0-9a-f]{2})  \S.*? +(\d+) +(\d+) +(\d+) +(\d+)\r",
                                     q.match.group(1))}
        for ec in STATIC:
            assert mine[ec] == uart[ec][0] and board[ec] == uart[ec][3], (ec, mine, board, uart)
            assert uart[ec][2] == 0, uart
        assert uart[0x12][0] == 8                   # the boot's hypercalls: exact
        q.send("\x1d1")
        q.expect_exact("hyp: keyboard to VM 1 (linux1)")
        q.sendline("hypstat")
        q.expect_exact("hypstat: the other VMs are not visible to this one (traplog = own)")
        # past its own block, all it sees of the log (16 KiB)
        q.sendline("devmem %#010x 32" % (consts.TRAPLOG_IPA + consts.TRAPLOG_VM_SIZE))
        q.expect_exact("Bus error")
        q.sendline("devmem %#010x 32 0" % consts.TRAPLOG_IPA)     # read-only
        q.expect_exact("Bus error")
        q.sendline("hypstat -l 2")
        for _ in range(2):
            q.expect(r"hypstat live: vm linux1, traps in the last second")
            q.expect(r"total +(\d+) +(\d+)\r")
        q.expect(r"\[linux1\] guest# ")
        q.sendline("poweroff")
        q.expect_exact("hyp: vm 1 (linux1) stopped: system off")
        q.send("\x1d0")
        assert poweroff_and_wait(q) == 0
    finally:
        q.close(force=True)
