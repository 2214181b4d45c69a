"""A control VM that attacks (issue: isolation that holds against a guest that attacks it):
attack-ctl, two vcpus on cpus 0 and 1, races start, destroy, reset and pin against
ctl-target, two vcpus on both cpus, which checks from inside that each life starts from
its image's state (guest-stubs/attack-ctl.c). hyp.selftest=slowswitch stretches a vcpu's
load and, once its VM is stopped, its save, to show whether a reset can overtake a cpu
that is still loading or saving one of the VM's vcpus (sched.c, switch_to; vm.c,
load_released)."""
import re

from harness import qemu


def calls_of(rounds, seed=12345):
    """the control calls vcpu 0 makes in `rounds` (attack-ctl.c: stub_rand's xorshift32)"""
    n = 0
    for _ in range(rounds):
        seed ^= (seed << 13) & 0xffffffff
        seed ^= seed >> 17
        seed ^= (seed << 5) & 0xffffffff
        n += (1, 4, 2, 3)[seed % 4]
    return n


def check(run, vm, rounds):
    calls = calls_of(rounds)
    assert run.rc == 0, run.tail()
    assert "PANIC" not in run.out and "FAIL" not in run.out, run.tail()
    lines = run.guest_lines(vm)
    assert lines[:2] == [
        "attack-ctl: reset itself without the flag: -3, destroy: -3, start: -4",
        "attack-ctl: second life: vcpu 1 off, 0 spins seen"], run.tail()
    assert lines[2] == (
        "attack-ctl: %d rounds, %d calls, 0 answered wrong, 0 lives late; the target's "
        "lives %d, vcpu 1's %d, 0 found a trace of an earlier life"
        % (rounds, calls, rounds + 1, rounds + 1)), run.tail()
    m = re.fullmatch(r"attack-ctl: vcpu 1: (\d+) pins, (\d+) hostile calls, 0 answered wrong; "
                     r"\d+ busy answers retried", lines[3])
    # six hostile calls a pin, seven with a neighbour to pin where it may not go
    per_pin = 7 if "[neighbour" in run.out else 6
    assert m and int(m.group(1)) > 0 and int(m.group(2)) == per_pin * int(m.group(1)), \
        run.tail()
    assert len(lines) == 4, run.tail()
    # its reset of itself, and every action of the first 32 on the console
    assert "hyp: ctl: %s: reset %s: ok" % (vm, vm) in run.out, run.tail()
    assert "hyp: no VM left running: powering off" in run.out, run.tail()
    # a VM reset in a loop must not flood the console: the first 32 resets are logged
    assert run.out.count("reset: reloading its images") == 32, run.tail()
    assert run.out.count("hyp: more resets are not logged") == 1, run.tail()


def test_attack_ctl_races_start_destroy_reset_and_pin():
    """300 rounds beside neighbour1: every call answers exactly (busy ones retried), 301
    lives of each target vcpu, none with a trace of an earlier one; the control VM's reset
    of itself leaves its vcpu 1 off; neighbour1's checksums never change, no tick lost.
    in real time: under -icount QEMU runs the two cpus in turn, and each reset's wait for
    the other cpu (vm.c, load_released) waits for its turn: one round took 75 s here"""
    run = qemu([], append="hyp.vms=attack-ctl-s,ctl-target,neighbour1", smp=2, timeout=3000)
    check(run, "attack-ctl-s", 300)
    nb = run.guest_lines("neighbour1")
    assert len(nb) == 3 and re.fullmatch(
        r"neighbour: \d+ checksums of 8 MiB, 0 differ from the first", nb[0]), run.tail()
    assert re.fullmatch(r"neighbour: (\d+) timer ticks for \1 deadlines, none lost; "
                        r"latest \d+ us late", nb[1]), run.tail()


def test_a_slow_switch_is_waited_for():
    """hyp.selftest=slowswitch: a load ends 200 us later, and the save of a vcpu whose VM
    was stopped starts 20 ms later; a reset must wait for both (vm.c, held_by), or a new
    life starts with the last one's registers. 100 rounds, in real time (the cpus in
    parallel, as QEMU runs them without -icount)"""
    run = qemu([], append="hyp.vms=attack-ctl-100,ctl-target hyp.selftest=slowswitch", smp=2,
               timeout=3000)
    check(run, "attack-ctl-100", 100)
