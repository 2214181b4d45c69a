"""The scheduler's invariant (hyp/core/sched.c): whenever a CPU has more than one runnable
vCPU, its slice timer runs. The smp stub (guest-stubs/smp.c) with more vCPUs than physical
CPUs, the invariant's runtime check catching a lost wake, and the one way into RUNNABLE.

Every boot here has hyp.check=sched: each CPU checks the invariant every 20 ms.
"""
import re

import pytest

from harness import ROOT, qemu

HVC, DABT, WFX = 0x12, 0x24, 0x01
ROUNDS, LOCK_ROUNDS, OFFON_ROUNDS = 100, 10000, 3      # as in guest-stubs/smp.c


def smp_run(vm, smp, nr):
    """Boots the smp stub as vm (nr vCPUs, on smp physical CPUs); checks everything that
    does not depend on timing and returns the Run."""
    run = qemu([], append="hyp.vms=%s hyp.check=sched" % vm, smp=smp, timeout=120)
    assert run.rc == 0 and "PANIC" not in run.out and "FAIL" not in run.out, run.tail()
    assert "hyp: vm 0 (%s) stopped: system off" % vm in run.out, run.tail()
    steps = OFFON_ROUNDS * nr
    lines = run.guest_lines(vm)
    assert lines[:3] == [
        "smp: %u vcpus up, each started by CPU_ON while vcpu 0 spun, interrupts masked" % nr,
        "smp: token passed %u times by SGI, %u to each vcpu: yes" % (ROUNDS * nr, ROUNDS),
        "smp: %u vcpus x %u rounds under one ldrex/strex lock: sum %u" % (
            nr, LOCK_ROUNDS, LOCK_ROUNDS * nr)], run.tail()
    # how often the restarter asked AFFINITY_INFO before its next vcpu was off is timing
    m = re.fullmatch(r"smp: %u stops and restarts, %u of each vcpu: yes; %u CPU_OFF, %u CPU_ON "
                     r"\(%u ALREADY_ON\), (\d+) AFFINITY_INFO polls \(%u off\)" % (
                         steps, OFFON_ROUNDS, steps, 2 * steps, steps, steps), lines[3])
    assert m, run.tail()
    polls = int(m.group(1))
    assert lines[4:] == ["smp: 0 wrong values"], run.tail()

    t = run.tables["vm 0 (%s)" % vm]
    assert sum(t["ec"].values()) + t["irq"] == t["total"], run.tail()
    # CPU_ON: nr - 1 at boot, then per stop one that starts the vcpu and one that must
    # say ALREADY_ON; AFFINITY_INFO: the polls, and one after each restart; SYSTEM_OFF
    # at boot each secondary is first refused an entry outside RAM (INVALID_ADDRESS) and
    # found still off by AFFINITY_INFO
    calls = dict(re.findall(r"(\S+) (\d+)", re.search(r"^  calls by function: (.*)$", run.out,
                                                      re.M).group(1)))
    assert calls == {"PSCI_CPU_ON": str(2 * (nr - 1) + 2 * steps), "PSCI_CPU_OFF": str(steps),
                     "PSCI_AFFINITY_INFO": str(nr - 1 + polls + steps), "PSCI_SYSTEM_OFF": "1"}, calls
    hvcs = 3 * (nr - 1) + 2 * steps + steps + polls + steps + 1
    assert t["hvc"] == {"psci": hvcs}, run.tail()
    # the distributor: GICD_TYPER and GICD_CTLR once, GICD_SGIR for every pass of the
    # token and once for the end; the cpu interface is the GICV, no trap
    gicd = 2 + ROUNDS * nr + 1
    assert t["mmio"] == {"gicd": gicd, "uart": run.uart_bytes(vm)}, run.tail()
    assert t["ec"][HVC] == hvcs and t["ec"][DABT] == gicd + run.uart_bytes(vm), run.tail()
    # WFIs: the vcpus wait for the token in WFI, but QEMU 7.2 does not trap a WFI with an
    # interrupt already pending (it checks for work before the HCR.TWI trap), so how many
    # trap is timing
    assert set(t["ec"]) - {WFX} == {HVC, DABT}, run.tail()
    assert t["injected"] == 0, run.tail()
    return run


@pytest.mark.parametrize("vm,nr", [("smp2", 2), ("smp3", 3), ("smp4", 4)])
def test_smp_stub_more_vcpus_than_cpus_on_one_cpu(vm, nr):
    """issue 15: the boot vcpu spins with interrupts masked until each CPU_ON'd vcpu on its
    own cpu checks in; only the slice timer lets them take turns"""
    run = smp_run(vm, 1, nr)
    # they could only take turns by the slice timer's interrupts
    assert run.tables["vm 0 (%s)" % vm]["irq"] > 0, run.tail()


def test_smp_stub_four_vcpus_on_two_cpus():
    """vcpus 0 and 2 on cpu 0, 1 and 3 on cpu 1: every pass of the token, every restart
    crosses cpus, and every second vcpu the boot vcpu starts shares its cpu"""
    smp_run("smp4x2", 2, 4)


def test_the_check_catches_a_cpu_nobody_told():
    """hyp.selftest=lostwake makes the scheduler forget to program the slice timer or kick
    the vcpu's cpu when a vcpu becomes runnable (issue 15 as it was): the check timer finds
    cpu 0 running vcpu 0 with vcpu 1 runnable and no slice timer, and panics"""
    run = qemu([], append="hyp.vms=smp2 hyp.check=sched hyp.selftest=lostwake", smp=1,
               timeout=60)
    assert run.rc == 1, run.tail()
    assert re.search(r"\*\*\* HYPERVISOR PANIC on cpu 0: scheduler invariant broken \(check "
                     r"timer\): cpu 0 has 2 runnable vcpus \(smp2/0 running, smp2/1\) but no "
                     r"slice timer: the slice ends at \d+, CNTHP is off\n", run.out), run.tail()
    assert run.out.count("HYPERVISOR PANIC") == 1, run.tail()
    # it never got past the first CPU_ON
    assert run.guest_lines("smp2") == [], run.tail()


def test_reset_by_one_vcpu_while_another_runs_on_the_other_cpu():
    """vcpu 1 (cpu 1) asks for SYSTEM_RESET while vcpu 0 scribbles on cpu 0: vcpu 0 must
    be stopped and off cpu 0 before the images go back, and start again at the entry
    (it used to run on from where it was, its registers saved over the reset ones)"""
    run = qemu([], append="hyp.vms=smpreset hyp.check=sched", smp=2, timeout=60)
    assert run.rc == 0 and "PANIC" not in run.out and "FAIL" not in run.out, run.tail()
    assert "hyp: vm 0 (smpreset) reset: reloading its images" in run.out, run.tail()
    assert run.guest_lines("smpreset") == [
        "smpreset: boot 2 after 3 hvcs: data 1001, bss 0, 0 dirty words"], run.tail()
    t = run.tables["vm 0 (smpreset)"]
    # vcpu 0: a null call and CPU_ON, then after the reset a null call and SYSTEM_OFF;
    # vcpu 1: SYSTEM_RESET
    # and its page at 12 MiB, in a block not populated at load: a first touch each boot
    assert t["ram_faults"] == 2, run.tail()
    assert t["ec"] == {HVC: 5, DABT: run.uart_bytes("smpreset") + 2}, run.tail()
    assert t["hvc"] == {"null": 2, "psci": 3} and t["injected"] == 0, run.tail()
    assert "  calls by function: PSCI_CPU_ON 1 PSCI_SYSTEM_RESET 1 PSCI_SYSTEM_OFF 1\n" \
        in run.out, run.tail()


# a write of VCPU_RUNNABLE into a vcpu's state: an assignment, an atomic store or
# exchange, or a compare-and-exchange whose desired value it is
RUNNABLE_WRITES = [
    r"(?:->|\.)state\s*=(?!=)[^;]*\bVCPU_RUNNABLE\b",
    r"\b(?:atomic_write|store_release|store_full|xchg|xchg_acquire)\s*\(\s*&[^,;]*\bstate\s*,"
    r"[^;]*\bVCPU_RUNNABLE\b",
    r"\bcas(?:_acquire|_full)?\s*\(\s*&[^,;]*\bstate\s*,[^,;]*,\s*VCPU_RUNNABLE\b",
]


def test_only_sched_runnable_makes_a_vcpu_runnable():
    """the invariant holds because every way into RUNNABLE goes through sched_runnable(),
    which tells the vcpu's cpu: no other code may write the state"""
    inside, outside = 0, []
    for path in sorted((ROOT / "hyp").rglob("*.[ch]")):
        text = path.read_text()
        body = (0, 0)
        if path.name == "sched.c":
            start = text.index("\nbool sched_runnable(")
            body = (start, text.index("\n}\n", start))
        for pattern in RUNNABLE_WRITES:
            for m in re.finditer(pattern, text):
                if body[0] <= m.start() < body[1]:
                    inside += 1
                else:
                    outside.append("%s:%d" % (path.relative_to(ROOT),
                                              text.count("\n", 0, m.start()) + 1))
    assert outside == [], outside
    assert inside >= 1          # the patterns do find sched_runnable's own
