"""Isolation: a hostile guest gets aborts and errors only; the VM beside it is untouched."""
import re

from harness import ICOUNT, neighbour_untouched, qemu

HVC, DABT = 0x12, 0x24


def test_hostile_guest_beside_a_checksumming_one():
    # on two cpus, so the two really run at the same time
    run = qemu([], append="hyp.vms=hostile,victim1", smp=2)
    assert run.rc == 0 and "FAIL" not in run.out, run.tail()
    # 4096 reads, one per MiB of the ipa space: its 16 MiB of RAM, its GIC
    # distributor and its UART answer; everything else aborts
    assert run.guest_lines("hostile") == [
        "hostile: 4096 MiB probed, 18 readable, 4078 aborted",
        "hostile: 4 writes outside, 4 aborted",
        "hostile: CPU_ON cpu 1: -2, cpu 5: -2, cpu 0: -4"], run.tail()
    t = run.tables["vm 0 (hostile)"]
    assert t["injected"] == 4078 + 4, run.tail()
    # and 6 first touches of its ram: one read in each 2 MiB block not populated at load
    assert t["ram_faults"] == 6, run.tail()
    assert t["ec"][DABT] == 4078 + 4 + t["mmio"]["gicd"] + t["mmio"]["uart"] + 6, run.tail()
    assert t["ec"][HVC] == 4 and t["hvc"] == {"psci": 4}, run.tail()
    # only the first 16 of its faults are logged; the table has them all
    assert run.out.count("hyp: vm 0 (hostile): ") == 16 + 1, run.tail()
    assert "hyp: vm 0 (hostile): more of its faults are counted, not logged" in run.out
    # the neighbour's memory never changed and it kept running
    assert run.guest_lines("victim1") == [
        "victim: 200 checksums of 8 MiB, 0 differ from the first",
        "victim: virtual time went on: yes"], run.tail()
    assert "hyp: vm 1 (victim1) stopped: system off" in run.out, run.tail()


def test_a_vm_that_never_yields_cannot_starve_another():
    """spin never gives its cpu back; hvc on the same cpu still runs to its end, and the
    board powers off only when the last VM (spin) stops."""
    run = qemu([], append="hyp.vms=spin-short,hvc", smp=1, timeout=60)
    assert run.rc == 0, run.tail()
    assert run.guest_lines("hvc")[0] == "hvc: 1000 null calls, 0 bad returns, vm id 1", run.tail()
    hvc_stop = run.out.index("hyp: vm 1 (hvc) stopped: system off")
    spin_stop = run.out.index("hyp: vm 0 (spin-short) stopped: system off")
    assert hvc_stop < spin_stop < run.out.index("hyp: no VM left running"), run.tail()
    assert run.tables["vm 1 (hvc)"]["ec"][0x12] == 1005, run.tail()
    assert run.tables["vm 0 (spin-short)"]["switches"] >= 2, run.tail()   # it was preempted


def test_a_guest_looping_on_its_own_vectors_is_stopped():
    """vecloop points VBAR outside its memory and faults: each injected abort faults again
    at the same pc. After 10,000 of them in a row the VM is stopped as crashed; hello,
    beside it on the same cpu, runs to its end."""
    run = qemu([], append="hyp.vms=vecloop,hello", smp=1, timeout=60)
    assert run.rc == 0, run.tail()
    assert "hyp: vm 0 (vecloop) crashed: exception loop: 10000 identical faults at pc 2000000c" \
        in run.out, run.tail()
    t = run.tables["vm 0 (vecloop)"]
    # one prefetch abort at the data abort vector (0x10), then 10,001 at the prefetch
    # abort vector (0x0c): the first of those, and 10,000 the same after it
    assert t["ec"][0x20] == 1 + 10001 and t["ec"][0x24] == 1 + run.uart_bytes("vecloop"), run.tail()
    assert run.guest_lines("hello")[1].startswith("hello: 16 MiB of ram"), run.tail()


def test_a_vm_spinning_with_interrupts_masked_leaves_the_neighbour_its_ticks():
    """spin (interrupts masked, never yielding, 2 s) beside the neighbour on one cpu: every
    1 ms tick of the neighbour's virtual timer arrives, its memory never changes"""
    run = qemu(ICOUNT, append="hyp.vms=spin-short,neighbour", smp=1, timeout=240)
    assert run.rc == 0, run.tail()
    assert re.fullmatch(r"spin: \d+ iterations in 2 s", run.guest_lines("spin-short")[0]), \
        run.tail()
    neighbour_untouched(run)
    ticks = int(run.guest_lines("neighbour")[1].split()[1])
    assert ticks >= 2000, run.tail()        # it ran at least as long as spin's 2 s


def test_two_spinning_vms_leave_a_ticking_third_its_ticks_within_20_ms():
    """spin-short and spin-short2 beside the neighbour, three on one cpu: while the neighbour
    has a tick to take, each slice before its turn is cut to 15 ms / 2, so it waits no
    longer than beside one (before: 30.8 ms late, 15 ms of each spinner)"""
    run = qemu(ICOUNT, append="hyp.vms=spin-short,spin-short2,neighbour", smp=1, timeout=300)
    assert run.rc == 0, run.tail()
    for vm in ("spin-short", "spin-short2"):
        assert re.fullmatch(r"spin: \d+ iterations in 2 s", run.guest_lines(vm)[0]), run.tail()
    late = neighbour_untouched(run)     # within 20 ms
    assert 14000 < late <= 16000, run.tail()   # the 15 ms of a cut, not two


def test_a_vm_stopping_with_a_tick_pending_leaves_the_timer_to_the_next():
    """vtick-leave powers off with its virtual timer's interrupt pending, not taken: the
    physical one, left active for it, must end with it, or vtick, on the same cpu and
    waiting in WFI for its own ticks, would never get one (seen: a Debian guest hung
    after its neighbour's poweroff, once in about nine runs)"""
    run = qemu([], append="hyp.vms=vtick-leave,vtick", timeout=30)
    assert run.guest_lines("vtick-leave") == ["vtick: leaving with a tick pending"], run.tail()
    assert run.guest_lines("vtick") == ["vtick: 5 of 5 ticks"], run.tail()
    # (not every round's WFI traps: a tick already pending when the vcpu comes back from
    # its neighbour's slice makes it a no-op, so the WFI count is not exact)
    assert run.rc == 0, run.tail()


def test_ram_reads_zeros_where_untouched_and_after_a_reset():
    """zeroes reads all its ram above its stacks (the device tree aside), writes a pattern
    over it and resets; after the reset it reads it all again. zeroes-cpu1 does the same at
    once on the other cpu. The hypervisor zeroes ram a 2 MiB block at a time at its first touch: of the 8 blocks
    of each, the kernel's and the device tree's are populated at load, the other 6 by a
    stage-2 data abort, at each boot."""
    run = qemu([], append="hyp.vms=zeroes,zeroes-cpu1", smp=2)
    assert run.rc == 0 and "FAIL" not in run.out, run.tail()
    for vm in ("zeroes", "zeroes-cpu1"):
        lines = [re.sub(r"at count \d+ of \d+ Hz", "", line) for line in run.guest_lines(vm)]
        assert lines == ["zeroes: boot 1 started ; 16 MiB, 0 nonzero words",
                         "zeroes: boot 2 started ; 16 MiB, 0 nonzero words"], run.tail()
        t = run.tables["vm %d (%s)" % (vm != "zeroes", vm)]
        assert (t["ram_blocks"], t["ram_faults"]) == (8, 2 * 6), run.tail()
        assert t["ec"] == {HVC: 4, DABT: run.uart_bytes(vm) + 2 * 6}, run.tail()
