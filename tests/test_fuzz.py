"""Fuzzing and faulty guests (seeded, so a failure replays), each beside the neighbour
stub on the same cpu: the hypervisor carries on, the neighbour's memory and timer ticks
are untouched, the trap log stays consistent, and every exception the hypervisor injects
is one the guest takes."""
import re

from harness import (ICOUNT, boot, boot_and_dump, disk_args, disk_ranges, net_args, log_consistent,
                     needs_virtio, neighbour_untouched)

INJECTED = re.compile(r"^fuzzinsn: (\d+) trapped, (\d+) injected, 0 injected but not taken, "
                      r"0 doubled$")


def test_random_hvc_and_smc_calls():
    run, log = boot_and_dump("fuzzhvc,neighbour", timeout=120, args=ICOUNT)
    # seed 12345, 100000 draws (the calls that would stop or reset the VM left out)
    assert run.guest_lines("fuzzhvc") == [
        "fuzzhvc: seed 12345, 98055 calls: 4983 known, 93072 unknown, "
        "0 unknown not NOT_SUPPORTED"], run.tail()
    t = log_consistent(run, log, "fuzzhvc")
    assert t["ec"][0x12] + t["ec"][0x13] == 98055 + 1, run.tail()      # and SYSTEM_OFF
    assert sum(t["hvc"].values()) == 98055 + 1, run.tail()
    neighbour_untouched(run)


def test_random_loads_and_stores():
    run, log = boot_and_dump("fuzzmmio,neighbour", timeout=120, args=ICOUNT)
    line, took = run.guest_lines("fuzzmmio")
    assert line == "fuzzmmio: seed 4242, 62539 loads, 37461 stores, 37282 aborted", run.tail()
    assert re.fullmatch(r"fuzzmmio: \d+ us of virtual time", took), run.tail()
    t = log_consistent(run, log, "fuzzmmio")
    # every abort the guest saw is one the hypervisor injected, and no other
    assert t["injected"] == 37282, run.tail()
    assert t["ec"][0x24] >= t["mmio"]["gicd"] + t["mmio"]["uart"], run.tail()
    neighbour_untouched(run)


def test_random_distributor_writes():
    """fuzzmmio in mode=gicd: 100,000 accesses to its distributor, three in four stores of
    random values; the ones of a width the register does not take are refused"""
    run, log = boot_and_dump("fuzzgicd,neighbour", timeout=120, args=ICOUNT)
    lines = run.guest_lines("fuzzgicd")
    assert lines[0] == \
        "fuzzmmio: seed 99, 24895 loads, 75105 stores (distributor only), 50076 aborted", \
        run.tail()
    assert len(lines) == 2 and re.fullmatch(r"fuzzmmio: \d+ us of virtual time", lines[1]), run.tail()
    t = log_consistent(run, log, "fuzzgicd")
    assert t["injected"] == 50076, run.tail()
    # every access trapped and reached the distributor: answered, or refused by an abort
    assert t["mmio"]["gicd"] == 100000, run.tail()
    assert t["ec"][0x24] == 100000 + run.uart_bytes("fuzzgicd"), run.tail()
    neighbour_untouched(run)


def fuzzinsn_checks(run, log, vm, words):
    lines = run.guest_lines(vm)
    assert lines[0] == words, run.tail()
    m = INJECTED.match(lines[2])
    assert m, run.tail()
    t = log_consistent(run, log, vm)
    # each injection was taken by the guest, in the operation that caused it
    assert int(m.group(2)) == t["injected"] > 0, run.tail()
    seen = {k: (int(n), int(i)) for k, n, i in re.findall(r" (\w+) (\d+) \((\d+) injected\)",
                                                         lines[1])}
    assert sum(i for n, i in seen.values()) == t["injected"], run.tail()
    assert set(seen) <= {"undef", "svc", "pabt", "dabt", "irq"}, run.tail()
    assert seen.get("svc", (0, 0))[1] == seen.get("irq", (0, 0))[1] == 0, run.tail()
    assert lines[1].endswith("; 0 into the vectors"), run.tail()
    neighbour_untouched(run)
    return t, seen


def test_random_cp14_cp15_encodings():
    run, log = boot_and_dump("fuzzcp,neighbour", timeout=120, args=ICOUNT)
    t, seen = fuzzinsn_checks(
        run, log, "fuzzcp",
        "fuzzinsn: seed 777, 100000 cp14/cp15 words: MRC p14 12495, MCR p14 12498, "
        "MRRC p14 12733, MCRR p14 12273, MRC p15 12560, MCR p15 12338, MRRC p15 12515, "
        "MCRR p15 12588; 3594 left out")
    # the trapped ones were emulated, or answered with an undef the guest took
    assert t["ec"][0x03] > 0 and t["ec"][0x04] > 0 and t["ec"][0x05] > 0, run.tail()
    assert t["injected"] == seen["undef"][1], run.tail()


def test_random_instructions_at_pl1_and_pl0():
    run, log = boot_and_dump("fuzzinsn,neighbour", timeout=120, args=ICOUNT)
    t, seen = fuzzinsn_checks(
        run, log, "fuzzinsn",
        "fuzzinsn: seed 2024, 100000 instruction words: arm-pl1 25055, arm-pl0 24827, "
        "thumb-pl1 24997, thumb-pl0 25121; 69 left out")
    assert seen["dabt"][1] > 0 and seen["pabt"][1] > 0, run.tail()


def test_system_reset_restarts_only_that_vm():
    """reset dirties its .data, .bss and a page, then asks PSCI SYSTEM_RESET, twice: it
    comes back each time from pristine images, while the neighbour runs through"""
    run, log = boot_and_dump("reset,neighbour", timeout=60, args=ICOUNT)
    assert run.guest_lines("reset") == [
        "reset: boot %d: data 1001, bss 0, 0 dirty words" % n for n in (1, 2, 3)], run.tail()
    assert run.out.count("hyp: vm 0 (reset) reset: reloading its images") == 2, run.tail()
    t = log_consistent(run, log, "reset")
    assert t["hvc"] == {"psci": 3, "null": 3}, run.tail()      # 2 resets, 1 off
    neighbour_untouched(run)
    # it ticked through both resets (30 ms of spinning before each), never reset itself
    assert int(run.guest_lines("neighbour")[1].split()[1]) >= 60, run.tail()
    assert "hyp: vm 1 (neighbour)" not in run.out.split("hyp: vm 0 (reset) stopped")[0]


def test_timer_interrupt_held_across_anothers_reset():
    """regression: timerhog is switched out with its timer interrupt taken by the
    hypervisor and unfinished, and reset, on the same cpu, resets itself. The reset used
    to end that interrupt behind timerhog's back; when its timer fired again the
    hypervisor deactivated and re-took it for ever (a hang). And while timerhog was
    switched out, the soft timer standing in for its timer added a second copy of the
    interrupt still in its list register."""
    run = boot("timerhog,reset", timeout=30)
    assert run.rc == 0, run.tail()
    assert run.guest_lines("timerhog") == [
        "timerhog: held its timer interrupt 50 ms, then took it: 1 time(s), "
        "0 more with its timer off"], run.tail()
    assert run.out.count("reloading its images") == 2, run.tail()


def test_vector_loop_beside_the_neighbour():
    """vecloop's vectors fault on themselves: stopped after 10,000 identical faults, its
    table and last exits printed, while the neighbour on the same cpu runs on untouched"""
    run, log = boot_and_dump("vecloop,neighbour", timeout=60, args=ICOUNT)
    crash = run.out.index("hyp: vm 0 (vecloop) crashed: exception loop: 10000 identical "
                          "faults at pc 2000000c")
    assert run.out.index("[neighbour] neighbour: ") > crash, run.tail()
    assert log["vms"][0]["state"] == "crashed", run.tail()
    t = log_consistent(run, log, "vecloop")
    assert t["ec"][0x20] == 1 + 10001, run.tail()
    neighbour_untouched(run)


@needs_virtio
def test_random_virtqueues(tmp_path):
    """fuzzvq: 100,000 random virtqueue operations on its console, disk and network card
    (chains of any shape and address, indices moved, status out of order, absent queues...),
    then a proper write and read and a line through hvc0; the aborts it saw are its
    misaligned configuration reads, the neighbour is untouched, and nothing outside its range
    of the board's disk changed. the card's ARP requests go out through the uplink, QEMU's
    answers come back into its rings whatever state they are in, and every frame either
    way is forwarded or counted dropped"""
    ranges, size = disk_ranges()
    img = tmp_path / "board.img"
    with open(img, "wb") as f:
        f.truncate(size)
    run, log = boot_and_dump("fuzzvq,neighbour", timeout=600,
                             args=ICOUNT + disk_args(img) + net_args())
    lines = run.guest_lines("fuzzvq")
    # (the draws follow the devices' refusals: a stricter rule moves them)
    assert "fuzzvq: seed 31337, 100000 operations: 6186 6353 6046 6111, 6092 6334 6365 6355, " \
           "6214 6232 6130 6235, 6306 6335 6341 6365; 1339 config reads refused" in lines, \
        run.tail()
    assert lines[-2:] == ["fuzzvq: hvc0 still prints",
                          "fuzzvq: then a write and a read of its disk: 2 ok, 0 bytes differ"], \
        run.tail()
    t = log_consistent(run, log, "fuzzvq")
    assert t["injected"] == 1339, run.tail()
    assert t["mmio"]["vcon.q1"] > 10000 and t["mmio"]["vblk.q0"] > 10000, t["mmio"]
    assert t["mmio"]["vnet.q0"] > 5000 and t["mmio"]["vnet.q1"] > 5000, t["mmio"]
    port = re.compile(r"^  (net|uplink) \S+: in (\d+) \(\d+ bytes\), out (\d+) \(\d+ bytes\), "
                      r"dropped: full (\d+) spoofed (\d+) bad (\d+) unknown (\d+)$", re.M)
    p = {m[0]: [int(x) for x in m[1:]] for m in port.findall(run.out)}
    vm, up = p["net"], p["uplink"]     # in, out, full, spoofed, bad, unknown
    assert vm[0] == up[1] + up[2] + sum(vm[3:]) and up[0] == vm[1] + vm[2] + sum(up[3:]), p
    assert up[1] > 1000 and vm[1] > 0 and vm[3] > 0 and vm[4] > 0, p
    neighbour_untouched(run)
    start, length = ranges["fuzzvq"]
    data = img.read_bytes()
    assert data[:start].count(0) == start and data[start + length:].count(0) == size - start - length
