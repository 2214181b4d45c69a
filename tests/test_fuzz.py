"""Fuzzing guests (seeded, so a failure replays): the hypervisor carries on, a neighbour
is untouched, the trap log stays consistent."""
from hyp import boot_and_dump
import traplog  # noqa: E402 (tools/, put on the path by hyp)


def test_random_hvc_and_smc_calls():
    run, log = boot_and_dump("fuzzhvc,victim", timeout=120)
    assert "PANIC" not in run.out and "FAIL" not in run.out, run.tail()
    # seed 12345, 100000 draws (the calls that would stop or reset the VM left out)
    assert run.guest_lines("fuzzhvc") == [
        "fuzzhvc: seed 12345, 98055 calls: 4983 known, 93072 unknown, "
        "0 unknown not NOT_SUPPORTED"], run.tail()
    t = run.tables["vm 0 (fuzzhvc)"]
    assert t["ec"][0x12] + t["ec"][0x13] == 98055 + 1, run.tail()      # and SYSTEM_OFF
    assert sum(t["ec"].values()) + t["irq"] == t["total"], run.tail()
    assert sum(t["hvc"].values()) == 98055 + 1, run.tail()
    assert run.guest_lines("victim") == [
        "victim: 200 checksums of 8 MiB, 0 differ from the first",
        "victim: virtual time went on: yes"], run.tail()
    # the rings: consecutive sequence numbers, the last one each ring's count of records
    assert traplog.rings_whole(log)


def test_random_loads_and_stores():
    run, log = boot_and_dump("fuzzmmio,victim", timeout=120)
    assert "PANIC" not in run.out and "FAIL" not in run.out, run.tail()
    line = run.guest_lines("fuzzmmio")[0]
    assert line == "fuzzmmio: seed 4242, 62539 loads, 37461 stores, 37282 aborted", run.tail()
    t = run.tables["vm 0 (fuzzmmio)"]
    # every abort the guest saw is one the hypervisor injected, and no other
    assert t["injected"] == 37282, run.tail()
    assert sum(t["ec"].values()) + t["irq"] == t["total"], run.tail()
    assert t["ec"][0x24] >= t["mmio"]["gicd"] + t["mmio"]["uart"], run.tail()
    assert run.guest_lines("victim")[0] == \
        "victim: 200 checksums of 8 MiB, 0 differ from the first", run.tail()
    assert traplog.rings_whole(log)
