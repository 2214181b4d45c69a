"""What one VM, or one life of a VM, leaves in the cpu for another (guest-stubs/attack-leak.c):
the pmu, d0-d31 and FPSCR, the TPIDRs, CONTEXTIDR, the virtual timer, the virtual cpu
interface. The other side must find the reset values of a new vcpu, or its own."""

from harness import ICOUNT, Board, neighbour_untouched, qemu

COUNTERS = Board.guest_counters  # the board cpu's event counters, less the hypervisor's own


def fresh(who):
    """The report of a vcpu that finds nothing of anyone: a new vcpu's values (vcpu.c's
    arch_vcpu_init zeroes them; PMCR's E, D, X and DP 0, as at a reset, B4.1.117)."""
    return [
        "%s: pmu: userenr 0 pmcr 0 cntenset 0 intenset 0 ccntr 0 ccfiltr 0" % who,
        *["%s: pmu: counter %u type 0 count 0" % (who, i) for i in range(COUNTERS)],
        "%s: cp15: tpidrurw 0 tpidruro 0 tpidrprw 0 contextidr 0 cpacr 0" % who,
        "%s: timer: cntv_ctl 0 cntv_cval 0; gicc pmr 0" % who,
        "%s: vfp: fpexc 0 fpscr 0, 0 of 32 d registers nonzero" % who,
    ]


def test_leak_another_vm_on_the_same_cpu():
    # leak-a dirties everything (its pmu counting) and sleeps; leak-b, on the same cpu,
    # reports, dirties with its own values and sleeps; leak-a wakes, counts what its pmu
    # saw meanwhile, writes over every pmu register, and stops; leak-b checks its own.
    # the neighbour shares the cpu throughout.
    run = qemu(ICOUNT, append="hyp.vms=leak-a,leak-b,neighbour", timeout=300)
    assert run.rc == 0 and "FAIL" not in run.out and "PANIC" not in run.out, run.tail()
    assert run.guest_lines("leak-b") == fresh("leak-b") + [
        "leak-b: 0 of its own values changed while it slept"], run.tail()
    a = run.guest_lines("leak-a")
    assert len(a) == 2 and a[1] == "leak-a: done", run.tail()
    # only its own instructions: sleep_ms's, between two readings; not leak-b's or the
    # neighbour's millions
    n = int(a[0].split()[4])
    assert a[0] == "leak-a: counter 0 counted %u instructions across its sleep" % n, run.tail()
    assert n == 70, run.tail()          # exact under icount, on virt and vexpress-a15
    neighbour_untouched(run)


def new_life(resetter):
    # both vcpus (cpu 0 and cpu 1) dirty everything; vcpu `resetter` asks for
    # SYSTEM_RESET; the next life's vcpus report on the same cpus. the neighbour
    # shares cpu 0 (under icount the stub's waits sleep: see attack-leak.c)
    vm = "leak-r1" if resetter else "leak-r"
    run = qemu(ICOUNT, append="hyp.vms=%s,neighbour" % vm, smp=2, timeout=300)
    assert run.rc == 0 and "FAIL" not in run.out and "PANIC" not in run.out, run.tail()
    assert run.out.count("hyp: vm 0 (%s) reset: reloading its images" % vm) == 1, run.tail()
    assert run.guest_lines(vm) == fresh("leak-r vcpu 0") + fresh("leak-r vcpu 1"), run.tail()
    neighbour_untouched(run)


def test_leak_new_life_reset_from_cpu_0():
    """vcpu 0 resets the VM: vcpu 1's cpu (1) held its vfp registers and pmu."""
    new_life(0)


def test_leak_new_life_reset_from_cpu_1():
    """vcpu 1 resets the VM from cpu 1: vcpu 0's cpu (0) held them."""
    new_life(1)
