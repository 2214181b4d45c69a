"""The trap log against a guest that reads or switches more than its own (issue hole 7),
and the worst trap kept per class and VM (hyp/core/include/traplog.h)."""
from harness import ICOUNT, boot_and_dump, consts, neighbour_untouched


def test_an_own_vm_sees_its_own_block_and_cannot_switch_the_rings():
    """tlown (traplog = own) reads every page and word it can at the log's ipa, beside the
    neighbour on its cpu: it finds its own VM's block and nothing else, a copy of the
    log's constants at its start; its write aborts; HYP_CALL_RING, a control VM's call,
    answers NOT_SUPPORTED and every cpu's ring still records"""
    run, log = boot_and_dump("tlown,neighbour", timeout=600, args=ICOUNT)
    size = consts.TRAPLOG_VM_SIZE
    assert run.guest_lines("tlown") == [
        "tlown: log version %d, vm 0" % consts.TRAPLOG_VERSION,
        "tlown: %d of 128 pages readable, +0x0 to +0x%x, %d words" % (size // 4096, size, size // 4),
        "tlown: +0x0: magic %08x version %d size %d vm 0 name 'tlown'" %
        (consts.TRAPLOG_MAGIC, consts.TRAPLOG_VERSION, size),
        "tlown: a write aborts: yes",
        "tlown: HYP_CALL_RING(0) answers -1",
        "tlown: HYP_CALL_RING(0) again answers -1",
        "tlown: HYP_CALL_RING(0) by smc answers -1",
    ], run.tail()
    assert [r["recording"] for r in log["rings"]] == [1], run.tail()
    # the three calls were counted as calls, and refused
    assert "HYP_CALL_RING 3" in run.out, run.tail()
    neighbour_untouched(run)


def test_the_console_shows_each_classes_worst_trap_per_vm():
    """Ctrl-] s: under the counts, the worst hyp cycles of one trap per class, per VM and
    the board's; with one VM its column is the board's"""
    import pexpect
    from harness import spawn
    q = spawn(append="hyp.vms=echo", timeout=300)
    try:
        q.expect_exact("[echo] echo: ready")
        q.send("\x1ds")
        q.expect_exact("trap tables, side by side")
        q.expect_exact("worst hyp cycles of one trap")
        q.expect(r"0x24  DABT \(guest\) +(\d+) +(\d+)\r*\n")
        assert q.match.group(1) == q.match.group(2) and int(q.match.group(1)) > 0
        q.send("q")
        q.expect_exact("hyp: vm 0 (echo) stopped: system off")
        q.expect_exact("hyp: no VM left running: powering off")
        q.expect(pexpect.EOF)
    finally:
        q.close(force=True)
    assert q.exitstatus == 0
