"""Each guest stub in QEMU, one boot per test: exact trap counts from the UART tables.

EC numbers (ARM ARM B3.13.6): 0x01 WFI/WFE, 0x03 MCR/MRC p15, 0x04 MCRR/MRRC p15,
0x05 MCR/MRC p14, 0x07 HCPTR (VFP), 0x12 HVC, 0x13 SMC, 0x20/0x24 stage-2 aborts.
Every stub ends with PSCI SYSTEM_OFF by HVC (one call), except smc which uses SMC.
Every character a stub prints is one trapped store to its emulated PL011 (EC 0x24).
"""
import re

from harness import ICOUNT, Board, boot, boot_and_dump, qemu
import traplog  # noqa: E402 (tools/, put on the path by harness)
import consts  # noqa: E402 (build/include, put on the path by harness)

HVC, SMC, DABT, PABT, WFX, CP15, CP15_64, CP14, VFP = 0x12, 0x13, 0x24, 0x20, 0x01, 0x03, 0x04, 0x05, 0x07


def table(run, vm, idx=0):
    t = run.tables.get("vm %d (%s)" % (idx, vm))
    assert t is not None, "no trap table for %s" % vm + run.tail()
    # the rows sum to the total, always
    assert sum(t["ec"].values()) + t["irq"] == t["total"], run.tail()
    return t


def finished(run, vm):
    assert run.rc == 0, "qemu exit status %d" % run.rc + run.tail()
    assert "hyp: vm 0 (%s) stopped: system off" % vm in run.out, run.tail()
    assert "hyp: no VM left running: powering off" in run.out, run.tail()
    assert "FAIL" not in run.out, run.tail()


def test_hvc():
    run = boot("hvc")
    finished(run, "hvc")
    assert run.guest_lines("hvc") == [
        "hvc: 1000 null calls, 0 bad returns, vm id 0",
        "hvc: 4 of 4 unknown calls answered NOT_SUPPORTED"], run.tail()
    t = table(run, "hvc")
    # 1000 null + 4 unknown + SYSTEM_OFF
    assert t["ec"] == {HVC: 1005, DABT: run.uart_bytes("hvc")}, run.tail()
    assert t["hvc"] == {"null": 1000, "vendor-hyp": 1, "yielding": 1, "std-hyp": 1,
                        "imm!=0": 1, "psci": 1}, run.tail()
    assert t["mmio"] == {"gicd": 0, "uart": run.uart_bytes("hvc")}, run.tail()
    assert t["irq"] == 0 and t["switches"] == 1 and t["injected"] == 0, run.tail()


def test_smc():
    run = boot("smc")
    finished(run, "smc")
    assert run.guest_lines("smc") == ["smc: psci version 1.0",
                                      "smc: unknown psci call returned -1"], run.tail()
    t = table(run, "smc")
    assert t["ec"] == {SMC: 3, DABT: run.uart_bytes("smc")}, run.tail()
    assert t["hvc"] == {"psci": 3}, run.tail()


def test_mmio():
    run = boot("mmio")
    finished(run, "mmio")
    assert run.guest_lines("mmio") == [
        "mmio: 15 emulated accesses, 0 wrong values",
        "mmio: 3 write-back or multiple accesses aborted",
        "mmio: device saw 16 accesses, 0 wrong values"], run.tail()
    t = table(run, "mmio")
    uart = run.uart_bytes("mmio")
    # 16 emulated testdev accesses + 3 without syndrome, aborted
    assert t["mmio"] == {"gicd": 0, "uart": uart, "testdev": 16}, run.tail()
    assert t["ec"] == {HVC: 1, DABT: uart + 16 + 3}, run.tail()
    assert t["injected"] == 3, run.tail()
    assert run.out.count("without syndrome") == 3, run.tail()


def test_wfx():
    run = boot("wfx")
    finished(run, "wfx")
    t = table(run, "wfx")
    # QEMU 7.2 does not implement the HCR.TWE trap (WFE is a yield in TCG):
    # only the 10 WFIs arrive. real hardware would show 20.
    assert t["ec"] == {WFX: 10, HVC: 1, DABT: run.uart_bytes("wfx")}, run.tail()


def test_sysreg():
    run = boot("sysreg")
    finished(run, "sysreg")
    assert run.guest_lines("sysreg")[1:] == ["sysreg: 3 cp14 accesses, 0 wrong values",
                                             # a trapped MRC to r15 sets the flags; it
                                             # used to set the pc (found by fuzzcp)
                                             "sysreg: mrc to APSR_nzcv: flags 0"], run.tail()
    t = table(run, "sysreg")
    # ACTLR read, write, read back (HCR.TAC); DBGDIDR, DBGDSCRint twice, DBGBVR0
    # (HDCR.TDA). QEMU 7.2 answers L2CTLR (TIDCP) and DBGDRAR (TDRA) without trapping.
    assert t["ec"] == {CP15: 3, CP14: 4, HVC: 1, DABT: run.uart_bytes("sysreg")}, run.tail()


def test_undef():
    run = boot("undef")
    finished(run, "undef")
    assert run.guest_lines("undef") == [
        "undef: udf caught by the guest: 1",
        "undef: 2 undefined instructions caught, last at a guest pc",
        "undef: mrrc into the pc: 3 undefined instructions caught"], run.tail()
    t = table(run, "undef")
    # udf never reaches us; the c15 register (HSTR.T15) comes back as undef, and so
    # does the mrrc into the pc (it used to set the flags)
    assert t["ec"] == {CP15: 1, CP15_64: 1, HVC: 1, DABT: run.uart_bytes("undef")}, run.tail()
    assert t["injected"] == 2, run.tail()


def test_vfp_first_use_traps_once():
    run = boot("vfp")
    finished(run, "vfp")
    assert run.guest_lines("vfp") == [
        "vfp: 32 d registers and fpscr kept across 2 waits, 0 wrong"], run.tail()
    t = table(run, "vfp")
    assert t["ec"] == {VFP: 1, WFX: 2, HVC: 2, DABT: run.uart_bytes("vfp")}, run.tail()


def test_vfp_lazy_switch_between_two_vms():
    # under icount: a 10 ms slice is 10M instructions, so no slice ends inside a
    # phase. in real time a loaded host could stall one for 10 ms, and the other
    # VM's fpu use in between cost a fourth trap (1 run in 12 failed so)
    run = qemu(ICOUNT, append="hyp.vms=vfp,vfp")
    assert run.rc == 0 and "FAIL" not in run.out, run.tail()
    assert run.guest_lines("vfp") == [
        "vfp: 32 d registers and fpscr kept across 2 waits, 0 wrong"] * 2, run.tail()
    for i in (0, 1):
        t = table(run, "vfp", i)
        # each wfi hands the cpu to the other VM, which takes the fpu: every one
        # of the three fpu phases (fill, check, check) starts with a trap
        assert t["ec"][VFP] == 3 and t["ec"][WFX] == 2, run.tail()
        assert t["switches"] == 3, run.tail()
    board = run.tables["board (all VMs)"]
    assert board["ec"][VFP] == 6 and board["total"] == sum(
        table(run, "vfp", i)["total"] for i in (0, 1)), run.tail()


def test_abort_outside_vm_memory():
    run = boot("abort")
    finished(run, "abort")
    assert run.guest_lines("abort") == [
        "abort: 3 data aborts, 1 prefetch aborts, 0 wrong values"], run.tail()
    t = table(run, "abort")
    assert t["ec"] == {DABT: run.uart_bytes("abort") + 3, PABT: 1, HVC: 1}, run.tail()
    assert t["injected"] == 4, run.tail()


def test_eight_stubs_in_one_boot():
    """Eight VMs, the most there can be, one after another; the board table sums them."""
    names = ["hvc", "smc", "mmio", "wfx", "sysreg", "undef", "vfp", "abort"]
    run = boot(",".join(names) + ",bench")
    assert run.rc == 0 and "FAIL" not in run.out, run.tail()
    assert "hyp: hyp.vms: more than 8 VMs: 'bench' ignored" in run.out, run.tail()
    tables = [table(run, n, i) for i, n in enumerate(names)]
    board = run.tables["board (all VMs)"]
    assert board["total"] == sum(t["total"] for t in tables), run.tail()
    for ec in board["ec"]:
        assert board["ec"][ec] == sum(t["ec"].get(ec, 0) for t in tables), run.tail()


def test_counters_in_memory_match_the_uart():
    run, log = boot_and_dump("hvc,mmio")
    assert log["nr_vms"] == 2 and [v["name"] for v in log["vms"]] == ["hvc", "mmio"]
    for i, vm in enumerate(log["vms"]):
        s = traplog.vm_sum(vm)
        t = table(run, vm["name"], i)
        assert {ec: n for ec, n in enumerate(s["ec"]) if n} == t["ec"], run.tail()
        assert s["total"] == t["total"] and s["irq"] == t["irq"], run.tail()
        assert vm["state"] == "stopped"
    # one cpu, one ring: it holds the last records, in order, without holes, and
    # one record per trap
    assert len(log["rings"]) == 1 and traplog.rings_whole(log)
    assert log["rings"][0]["seq"] == sum(table(run, n, i)["total"]
                                         for i, n in enumerate(["hvc", "mmio"]))


def test_ptimer_emulated_physical_timer():
    run = boot("ptimer")
    finished(run, "ptimer")
    assert run.guest_lines("ptimer") == ["ptimer: 3 of 3 timer interrupts on time"], run.tail()
    t = table(run, "ptimer")
    # per round: CNTP_TVAL and CNTP_CTL writes, a CNTP_CTL read, a CNTP_CTL write
    # (EC 0x03) and a CNTP_CVAL read (EC 0x04); one WFI; one CNTHP interrupt
    assert t["ec"] == {WFX: 3, CP15: 12, CP15_64: 3, HVC: 1,
                       DABT: 2 + run.uart_bytes("ptimer")}, run.tail()
    assert t["irq"] == 3 and t["mmio"]["gicd"] == 2, run.tail()


def test_vgic_distributor_and_priority_order():
    run = boot("vgicd")
    finished(run, "vgicd")
    assert run.guest_lines("vgicd") == [
        "vgicd: registers checked, 2 accesses refused",
        "vgicd: 6 of 6 interrupts, in priority order: yes; 0 wrong values"], run.tail()
    t = table(run, "vgicd")
    # 17 distributor accesses plus the halfword and byte ones it refused
    assert t["mmio"] == {"gicd": 19, "uart": run.uart_bytes("vgicd")}, run.tail()
    assert t["ec"] == {HVC: 1, DABT: 19 + run.uart_bytes("vgicd")}, run.tail()
    assert t["injected"] == 2 and t["irq"] >= 1, run.tail()   # maintenance interrupts


# the distributor's conformance run (guest-stubs/vgicd.c, "conform=1"): checks per
# register group, every SPI below ITLinesNumber implemented. with two vcpus each checks its own bank (itargetsr has more to check
# there than on a uniprocessor GIC; one SGI check is for a lone vcpu), then the checks
# that need both add theirs: senders, banks, an SPI moved between the vcpus
VGICD_GROUPS = ["ctlr", "typer, iidr, id", "reserved", "widths", "igroupr", "is/icenabler",
                "is/icpendr", "is/icactiver", "ipriorityr", "itargetsr", "icfgr",
                "sgir, c/spendsgir", "delivery", "every spi"]
# "every spi": each of SPIs 32-63 alone, with a device or without (issue 25): 272 checks
# each per vcpu (its enable, pending and active bits, priority, configuration, its target
# byte written with all 256 values, then pended by ISPENDR and taken)
VGICD_CHECKS = {1: [6, 17, 15562, 10232, 35, 68, 49, 71, 1530, 1280, 69, 117, 6, 8704],
                2: [12, 34, 31124, 20464, 70, 138, 98, 142, 3063, 2634, 138, 240, 19, 17408]}
VGICD_REFUSED = 6072    # per vcpu: halfwords everywhere, bytes outside the byte registers


def vgicd_conformance(vm, vcpus, smp):
    run = boot(vm, smp=smp, timeout=180)
    # not finished(): with two cpus, the one that finds no VM left may power the
    # board off before the other has printed the VM's stop line and table
    assert run.rc == 0 and "FAIL" not in run.out, run.tail()
    assert "hyp: no VM left running: powering off" in run.out, run.tail()
    checks = VGICD_CHECKS[vcpus]
    lines = ["vgicd: %s %d checks, 0 wrong" % gn for gn in zip(VGICD_GROUPS, checks)]
    lines.append("vgicd: %d vcpus, %d checks, 0 wrong, %d accesses refused" %
                 (vcpus, sum(checks), vcpus * VGICD_REFUSED))
    assert run.guest_lines(vm) == lines, run.tail()
    # every refused access is an abort the hypervisor injected, and nothing else is. (the
    # board's table or the VM's says so; either may be cut into by the other cpu's lines)
    assert re.search(r"^  world switches \d+, exceptions injected %d$" % (vcpus * VGICD_REFUSED),
                     run.out, re.M), run.tail()


def test_vgicd_conformance_one_vcpu():
    """one vcpu: a uniprocessor GIC, so every ITARGETSR reads as zero (IHI 0048B 4.3.12)"""
    vgicd_conformance("vgicd-conf", 1, 1)


def test_vgicd_conformance_two_vcpus():
    """two vcpus on two cpus: an LR another cpu holds is changed by that cpu"""
    vgicd_conformance("vgicd-conf2", 2, 2)


def test_vgicd_conformance_two_vcpus_one_cpu():
    """two vcpus taking turns on one cpu: the one not running has its LRs in memory"""
    vgicd_conformance("vgicd-conf2s", 2, 1)


def test_trap_log_hypercalls():
    """layout query, counter reset, ring stop/start, marks (hyp/core/include/hypercall.h)"""
    run, log = boot_and_dump("logabi")
    info = "logabi: version %d, %d bytes, vm 0" % (consts.TRAPLOG_VERSION, consts.TRAPLOG_SIZE)
    assert run.guest_lines("logabi") == [info, "logabi: ring was 1, then 0; marks 5 apart"], \
        run.tail()
    t = table(run, "logabi")
    # after the reset: RING off, 5 null calls, RING on, 2 marks, SYSTEM_OFF
    first_line = len(info + "\n")                 # printed before the reset
    assert t["ec"] == {HVC: 10, WFX: 3, DABT: run.uart_bytes("logabi") - first_line}, run.tail()
    assert t["hvc"] == {"vendor-hyp": 4, "null": 5, "psci": 1}, run.tail()
    marks = [r for r in log["ring"] if r["ec"] == consts.TRAPLOG_ROW_MARK]
    assert [m["hsr"] for m in marks] == [0x1111, 0x2222]
    # between the marks: the first mark's own hvc came before it; then 3 WFIs and
    # the second mark's hvc. while the ring was off, the 5 null calls left no record
    between = [r["ec"] for r in log["ring"] if marks[0]["seq"] < r["seq"] < marks[1]["seq"]]
    assert between == [WFX, WFX, WFX, HVC]
    assert [g["recording"] for g in log["rings"]] == [1]
    # recorded hvcs: LOG_INFO, 100 null calls, LOG_RESET, RING off (recorded on entry,
    # while still on), the 2 marks, SYSTEM_OFF; not the 5 null calls nor RING on
    assert sum(1 for r in log["ring"] if r["ec"] == HVC) == 1 + 100 + 1 + 1 + 2 + 1


def test_cost_per_class_adds_up():
    """every trap's hyp cycles, from the reserved PMU counter. The per-class sums, the
    CPU's hyp time since it started measuring and the ring records' costs are three
    views of the same cycles."""
    run, log = boot_and_dump("smc")
    t = table(run, "smc")
    assert sum(t["cycles"].values()) == t["total_cycles"] > 0, run.tail()
    s = traplog.vm_sum(log["vms"][0])
    assert s["total_cycles"] == t["total_cycles"]
    assert sum(s["cycles"]) + s["irq_cycles"] == s["total_cycles"]
    assert log["rings"][0]["hyp_cycles"] == s["total_cycles"]
    ring = [r for r in log["ring"] if r["vm"] == 0]
    # all 60 traps are in the ring, each with its cost but the last: SYSTEM_OFF never
    # returns to the guest, so it has none, and is in no sum either
    assert len(ring) == t["total"] and all(r["cost"] > 0 for r in ring[:-1])
    assert ring[-1]["ec"] == SMC and ring[-1]["cost"] == 0
    assert sum(r["cost"] for r in ring) == s["total_cycles"]
    for ec in (SMC, DABT):
        assert sum(r["cost"] for r in ring if r["ec"] == ec) == s["cycles"][ec]


def test_guest_pmu_beside_the_hypervisors_counter():
    """HDCR.TPM: the guest sees HPMN counters and its own PMSELR; its PMCR.P resets its
    counters and not the hypervisor's (which QEMU 7.2's own PMCR.P would), so the null
    calls after it still cost what a null call costs: under -icount, exactly the same."""
    run, log = boot_and_dump("pmu", args=ICOUNT)
    assert run.guest_lines("pmu") == [
        "pmu: %d event counters; counter 0 at 1000 or more, then under 100 after PMCR.P"
        % Board.guest_counters], \
        run.tail()
    t = table(run, "pmu")
    # PMCR read; PMSELR, PMXEVTYPER, PMCNTENSET, PMCR; PMSELR and PMXEVCNTR twice; PMCR
    assert t["ec"][CP15] == 10 and t["injected"] == 0, run.tail()
    calls = [r["cost"] for r in log["ring"] if r["ec"] == HVC][:-1]   # not SYSTEM_OFF
    assert len(calls) == 20 and len(set(calls[1:])) == 1, calls
    assert log["rings"][0]["hyp_cycles"] == traplog.vm_sum(log["vms"][0])["total_cycles"]
