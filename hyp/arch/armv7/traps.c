/*
 * every trap from a guest arrives at trap_entry(): it counts the trap, skips
 * condition-failed instructions and calls the handler for HSR.EC from one
 * table with every slot filled. a handler returns the vcpu to run next.
 */
#include "atomic.h"
#include "arch/arch.h"
#include "arch/hsr.h"
#include "arch/sysregs.h"
#include "arch/vgic.h"
#include "console.h"
#include "hypercall.h"
#include "irq.h"
#include "mmio.h"
#include "nullcall.h"
#include "percpu.h"
#include "sched.h"
#include "traplog_inc.h"
#include "virtio_mmio.h"
#include "vm.h"

/* rec: the trap's ring record (vcpu->no_rec when not recording) */
typedef struct vcpu *(*trap_fn)(struct vcpu *vcpu, u32 hsr, struct traplog_rec *rec);

/*
 * the classes whose ISS carries a condition (B3.13.6): WFx and 0x03-0x0c.
 * their handlers first ask whether it failed; such an instruction is a nop.
 */
#define COND_CLASSES (1ull << HSR_EC_WFX | 0x1ff8ull)

static bool cond_failed(struct vcpu *vcpu, u32 hsr)
{
	if (!(COND_CLASSES >> hsr_ec(hsr) & 1) || hsr_cond_passed(hsr, vcpu->arch.regs.cpsr))
		return false;
	vcpu_skip_instr(vcpu, hsr);
	return true;
}

/* a class we do not emulate: log it and give the guest an undef (B1.9.7) */
static struct vcpu *trap_undef(struct vcpu *vcpu, u32 hsr, struct traplog_rec *rec)
{
	char buf[128];

	(void)rec;
	if (cond_failed(vcpu, hsr))
		return vcpu;
	if (vm_fault_loop(vcpu))
		return sched_next(vcpu);
	hsr_decode(hsr, buf, sizeof(buf));
	if (vm_log_ok(vcpu->vm))
		log_info("vm %u (%s): pc %08x: %s: undef injected\n", vcpu->vm->id, vcpu->vm->name,
			 vcpu->arch.regs.pc, buf);
	vcpu_inject_undef(vcpu);
	return vcpu;
}

/*
 * WFI/WFE (HCR.TWI/TWE): the vcpu gives its cpu to the next one. a WFI
 * waits for a virtual interrupt, unless nothing could ever send one (the
 * VM's distributor is off): WFI may complete at any time (B1.8.12).
 *
 * the vcpu is marked WFI first and looks for a pending interrupt after:
 * one made pending on another cpu meanwhile is either seen here, or its
 * sender (vgic.c, under the same lock as the look) sees the WFI and wakes
 * the vcpu. looking first, it could be lost, the vcpu asleep for good. (a
 * vcpu stopped or reset from another cpu since its trap stays as it is.)
 */
static struct vcpu *trap_wfx(struct vcpu *vcpu, u32 hsr, struct traplog_rec *rec)
{
	enum vcpu_state s = VCPU_RUNNABLE;

	(void)rec;
	if (cond_failed(vcpu, hsr))
		return vcpu;
	vcpu_skip_instr(vcpu, hsr);
	if (!(hsr & HSR_WFX_WFE) && vgic_can_wake(vcpu) && cas_full(&vcpu->state, &s, VCPU_WFI)) {
		if (arch_vgic_has_pending(vcpu)) {
			sched_wake(vcpu);
		} else {
			vuart_flush(vcpu->vm);	  /* a prompt waiting for its newline */
			virtio_vm_idle(vcpu->vm); /* hvc0's too; deferred notifications */
		}
	}
	return sched_yield(vcpu, !(hsr & HSR_WFX_WFE));
}

/*
 * MCR/MRC p15 that reach us: ACTLR (HCR.TAC), the pmu (HDCR.TPM, vpmu.c),
 * the implementation-defined c9-c11 space (HCR.TIDCP), c15 (HSTR.T15).
 * ACTLR keeps a per-vcpu copy; L2CTLR reports the VM's cpu count (B4.1.3,
 * cortex-a15 TRM 4.3.52).
 */
static struct vcpu *trap_cp15_32(struct vcpu *vcpu, u32 hsr, struct traplog_rec *rec)
{
	u32 iss = hsr_iss(hsr), rt = HSR_CP32_RT(iss), val = 0;
	bool read = iss & HSR_CP_READ;

	if (cond_failed(vcpu, hsr))
		return vcpu;
	switch (HSR_CP32_KEY(iss)) {
	case CP15_KEY(ACTLR):
		if (read)
			val = vcpu->arch.cp15.actlr;
		else
			vcpu->arch.cp15.actlr = arch_vcpu_reg_read(vcpu, rt);
		break;
	case CP15_KEY(L2CTLR): val = (vcpu->vm->nr_vcpus - 1) << 24; break;
	case CP15_KEY(L2ECTLR): /* RAZ/WI */ break;
	default:
		if (!read)
			val = arch_vcpu_reg_read(vcpu, rt);
		if (!vpmu_access(vcpu, HSR_CP32_KEY(iss), read, &val) &&   /* HDCR.TPM */
		    !ptimer_access32(vcpu, HSR_CP32_KEY(iss), read, &val)) /* CNTHCTL */
			return trap_undef(vcpu, hsr, rec);
	}
	if (read)
		arch_vcpu_reg_write(vcpu, rt, val);
	vcpu_skip_instr(vcpu, hsr);
	return vcpu;
}

/* MCRR/MRRC with the pc as Rt or Rt2: UNPREDICTABLE (A8.8.104, A8.8.109); here UNDEF */
static bool cp64_uses_pc(u32 iss)
{
	return HSR_CP64_RT(iss) == 15 || HSR_CP64_RT2(iss) == 15;
}

/* MCRR/MRRC p15: the physical timer's CNTP_CVAL (CNTHCTL.PL1PCEN clear) */
static struct vcpu *trap_cp15_64(struct vcpu *vcpu, u32 hsr, struct traplog_rec *rec)
{
	u32 iss = hsr_iss(hsr), rt = HSR_CP64_RT(iss), rt2 = HSR_CP64_RT2(iss);
	bool read = iss & HSR_CP_READ;
	u64 val = 0;

	if (cond_failed(vcpu, hsr))
		return vcpu;
	if (cp64_uses_pc(iss))
		return trap_undef(vcpu, hsr, rec);
	if (!read)
		val = (u64)arch_vcpu_reg_read(vcpu, rt2) << 32 | arch_vcpu_reg_read(vcpu, rt);
	if (!ptimer_access64(vcpu, HSR_CP64_KEY(iss), read, &val))
		return trap_undef(vcpu, hsr, rec);
	if (read) {
		arch_vcpu_reg_write(vcpu, rt, (u32)val);
		arch_vcpu_reg_write(vcpu, rt2, (u32)(val >> 32));
	}
	vcpu_skip_instr(vcpu, hsr);
	return vcpu;
}

/*
 * MCR/MRC p14 (HDCR.TDA/TDRA/TDOSA, HCPTR.TTA): the debug unit belongs to
 * the hypervisor. the guest sees one with no breakpoints or watchpoints:
 * DBGDIDR reads as v7.1 debug with none, DBGDRAR/DBGDSAR as "no memory
 * mapped debug", everything else reads as zero and ignores writes (C6, C11).
 */
static struct vcpu *trap_cp14_32(struct vcpu *vcpu, u32 hsr, struct traplog_rec *rec)
{
	u32 iss = hsr_iss(hsr), opc1 = HSR_CP32_OPC1(iss), val = 0;

	if (cond_failed(vcpu, hsr))
		return vcpu;
	if (opc1 != 0) /* trace (opc1 1) and jazelle */
		return trap_undef(vcpu, hsr, rec);
	if (HSR_CP32_KEY(iss) == CP14_KEY(DBGDIDR))
		val = 5u << 16; /* version 7.1 */
	if (iss & HSR_CP_READ)
		arch_vcpu_reg_write(vcpu, HSR_CP32_RT(iss), val);
	vcpu_skip_instr(vcpu, hsr);
	return vcpu;
}

/* MRRC p14 (DBGDRAR/DBGDSAR 64-bit): reads as zero */
static struct vcpu *trap_cp14_64(struct vcpu *vcpu, u32 hsr, struct traplog_rec *rec)
{
	u32 iss = hsr_iss(hsr);

	if (cond_failed(vcpu, hsr))
		return vcpu;
	if (!(iss & HSR_CP_READ) || HSR_CP64_OPC1(iss) > 0 || cp64_uses_pc(iss))
		return trap_undef(vcpu, hsr, rec);
	arch_vcpu_reg_write(vcpu, HSR_CP64_RT(iss), 0);
	arch_vcpu_reg_write(vcpu, HSR_CP64_RT2(iss), 0);
	vcpu_skip_instr(vcpu, hsr);
	return vcpu;
}

/* HCPTR: cp10/cp11 is the lazy vfp switch; anything else is undefined */
static struct vcpu *trap_hcptr(struct vcpu *vcpu, u32 hsr, struct traplog_rec *rec)
{
	u32 coproc = hsr_iss(hsr) & 0xf;

	if (cond_failed(vcpu, hsr))
		return vcpu;
	if (coproc != 10 && coproc != 11)
		return trap_undef(vcpu, hsr, rec);
	vfp_switch(vcpu);
	return vcpu; /* the instruction runs again, untrapped */
}

/* HVC: pc already points past it (B1.8.3, preferred return address) */
static struct vcpu *trap_hvc(struct vcpu *vcpu, u32 hsr, struct traplog_rec *rec)
{
	(void)rec;
	return hypercall(vcpu, HSR_HVC_IMM(hsr_iss(hsr)));
}

/* SMC trapped by HCR.TSC: pc points at it, so step over (B1.9.9) */
static struct vcpu *trap_smc(struct vcpu *vcpu, u32 hsr, struct traplog_rec *rec)
{
	(void)rec;
	vcpu_skip_instr(vcpu, hsr);
	return hypercall(vcpu, 0);
}

/* HPFAR holds IPA[39:12] of a stage-2 fault (B4.1.75); the page offset is the va's */
static ipaddr_t fault_ipa(u32 far)
{
	return ipa_init((u64)(sysreg_read32(HPFAR) >> 4) << 12 | (far & 0xfff));
}

/* instruction fetch from outside the VM: a prefetch abort for the guest (ram: vm.c) */
static struct vcpu *trap_pabt(struct vcpu *vcpu, u32 hsr, struct traplog_rec *rec)
{
	u32 far = sysreg_read32(HIFAR);

	rec->ipa = (u32)ipa_addr(fault_ipa(far));
	if (HSR_FSC_TRANSLATION(hsr_iss(hsr)) && vm_ram_fault(vcpu->vm, fault_ipa(far)))
		return vcpu; /* its first touch of that ram: run it again */
	if (vm_fault_loop(vcpu))
		return sched_next(vcpu);
	if (vm_log_ok(vcpu->vm))
		log_info("vm %u (%s): instruction fetch at %08x (ipa %llx) outside its "
			 "memory: prefetch abort injected\n",
			 vcpu->vm->id, vcpu->vm->name, far, ipa_addr(fault_ipa(far)));
	vcpu_inject_pabt(vcpu, far);
	return vcpu;
}

/*
 * the access an ISV syndrome describes (B3.13.6): ISS[23:16] is SAS, SSE,
 * a zero and SRT, which is MMIO_ACCESS's layout by design; WnR is bit 6.
 */
_Static_assert((MMIO_ACCESS(HSR_DABT_SRT(~0u), HSR_DABT_SAS(~0u)) | MMIO_SIGNED) ==
		       ((HSR_DABT_SSE | 3u << 22 | 15u << 16) >> 16),
	       "MMIO_ACCESS is ISS[23:16]");

static inline u32 dabt_access(u32 iss)
{
	return (iss >> 16 & 0xff) | (iss & HSR_DABT_WNR ? MMIO_WRITE : 0);
}

/* a data abort that is neither a first touch nor an emulated access: the guest's (B1.9.8) */
static struct vcpu *dabt_inject(struct vcpu *vcpu, u32 iss, u32 far, ipaddr_t ipa)
{
	bool write = iss & HSR_DABT_WNR;

	if (vm_fault_loop(vcpu))
		return sched_next(vcpu);
	if (vm_log_ok(vcpu->vm))
		log_info("vm %u (%s): pc %08x: %s%s at ipa %llx (va %08x): data abort injected\n",
			 vcpu->vm->id, vcpu->vm->name, vcpu->arch.regs.pc, write ? "write" : "read",
			 iss & HSR_DABT_ISV ? "" : " without syndrome", ipa_addr(ipa), far);
	vcpu_inject_dabt(vcpu, far, write);
	return vcpu;
}

/*
 * data abort: a first touch of its ram (vm_ram_fault), an emulated device if
 * the ipa belongs to one and the syndrome describes the access (ISV, not
 * on a stage-1 walk); otherwise the guest gets its data abort.
 */
static struct vcpu *trap_dabt(struct vcpu *vcpu, u32 hsr, struct traplog_rec *rec)
{
	u32 iss = hsr_iss(hsr), far = sysreg_read32(HDFAR);
	ipaddr_t ipa = fault_ipa(far);

	rec->ipa = (u32)ipa_addr(ipa);
	if (HSR_FSC_TRANSLATION(iss) && vm_ram_fault(vcpu->vm, ipa))
		return vcpu; /* its first touch of that ram (S1PTW too): run it again */
	if (!(iss & HSR_DABT_ISV) || (iss & HSR_DABT_S1PTW) || ipa_addr(ipa) >> 32 ||
	    !mmio_emulate(vcpu, (u32)ipa_addr(ipa), dabt_access(iss)))
		return dabt_inject(vcpu, iss, far, ipa);
	/* the access crashed its VM (vuart.c), or stopped or reset it (control.c) */
	if (atomic_read(&vcpu->state) == VCPU_STOPPED || !arch_vcpu_loaded(vcpu))
		return sched_next(vcpu);
	vcpu_skip_instr(vcpu, hsr);
	return vcpu;
}

/* the trap log's hvc row is this class: the null call reads it (hypercall.c) */
_Static_assert(HSR_EC_HVC == TRAPLOG_ROW_HVC, "trap log hvc row");

/* B3.13.6 lists the classes; every slot is filled, most with undef */
#pragma GCC diagnostic ignored "-Woverride-init" /* the range, then the exceptions */
static const trap_fn trap_table[HSR_NR_EC] = {
	[0 ... HSR_NR_EC - 1] = trap_undef,
	[HSR_EC_WFX] = trap_wfx,
	[HSR_EC_CP15_32] = trap_cp15_32,
	[HSR_EC_CP15_64] = trap_cp15_64,
	[HSR_EC_CP14_32] = trap_cp14_32,
	[HSR_EC_CP14_64] = trap_cp14_64,
	[HSR_EC_HCPTR] = trap_hcptr,
	[HSR_EC_HVC] = trap_hvc,
	[HSR_EC_SMC] = trap_smc,
	[HSR_EC_PABT_LOW] = trap_pabt,
	[HSR_EC_DABT_LOW] = trap_dabt,
};

/*
 * the hyp cycle counter (pmu_init) counts in hyp mode only, so the
 * difference between two readings on a cpu is the hyp time in between.
 * it is read once per trap, as the trap ends: a trap's cost runs from the
 * previous reading, through that trap's return and this one's entry, to
 * here. every hyp cycle is some trap's. PMSELR always selects it: guests
 * have one of their own (vpmu.c).
 */
static inline u32 hyp_cycles(void)
{
	return sysreg_read32(PMXEVCNTR);
}

/*
 * wfi, the time asleep left out of the trap log's hyp cycles: qemu's cycle
 * counter runs on in wfi (a core's usually stops), and the sleep of an idle
 * cpu, or of a vcpu waiting in wait_here(), would be charged to the next
 * trap as its cost: a cp15 trap of 118,937,776 cycles after a reset's wait.
 * the start moves with it, so the ring's cycles still add up to its traps'.
 */
void arch_sleep(void)
{
	struct traplog_ring *ring = &traplog.ring[arch_cpu_id()];
	u32 before = hyp_cycles(), slept;

	gic_resample();
	arch_wfi();
	slept = hyp_cycles() - before;
	ring->hyp_cycles += slept;
	ring->hyp_cycles_start += slept;
}

/* from here on this cpu's traps are measured (sched_start) */
void arch_trap_cycles_start(void)
{
	struct traplog_ring *ring = &traplog.ring[arch_cpu_id()];

	ring->hyp_cycles = ring->hyp_cycles_start = hyp_cycles();
}

/*
 * traplog_record() for the hot path: the ring's next record, written by
 * one stm (CNTPCT, seq, who, hsr, pc, ipa 0). the registers are pinned for
 * the stm, where gcc would spend a store per field and the moves to feed
 * them. the cost is left as it was, a lap ago (0 on the first), until the
 * trap ends and stores it: a mov saved, which pays for the row's worst.
 */
static inline struct traplog_rec *ring_record(struct traplog_ring *ring, struct traplog_rec *recs,
					      u32 next, u32 who, u32 hsr, u32 pc)
{
	register u32 seq asm("r2") = next, w asm("r3") = who, h asm("r4") = hsr, p asm("r5") = pc;
	struct traplog_rec *r = &recs[seq & (TRAPLOG_RING_LEN - 1)];

	ring->seq = seq;
	asm volatile("mrrc " __stringify(CP64(r0, r1, CNTPCT)) "\n\t"
							       "mov ip, #0\n\t"
							       "stm %[r], {r0-r5, ip}"
		     : "+m"(*r)
		     : [r] "r"(r), "r"(seq), "r"(w), "r"(h), "r"(p)
		     : "r0", "r1", "ip");
	return r;
}

/* what dispatch needs of a vcpu, adjacent in struct vcpu: one ldm (below) */
_Static_assert(__builtin_offsetof(struct vcpu, log_who) ==
			       __builtin_offsetof(struct vcpu, log) + 4 &&
		       __builtin_offsetof(struct vcpu, ring) ==
			       __builtin_offsetof(struct vcpu, log) + 8 &&
		       __builtin_offsetof(struct vcpu, ring_rec) ==
			       __builtin_offsetof(struct vcpu, log) + 12,
	       "log, log_who, ring, ring_rec");
/* and of its ring: the sequence number and the recording flag, one ldrd */
_Static_assert(__builtin_offsetof(struct traplog_ring, recording) == 4, "ring head");

/*
 * the single dispatch point: the only place trap counters change. it
 * counts the trap, records it in its cpu's ring when recording, calls the
 * class's handler (or the irq handler, row TRAPLOG_ROW_IRQ; or the null
 * call's answer, inline), and adds the
 * trap's cost to its row, keeping the row's worst. inlined into the two
 * entries below.
 */
enum dispatch_kind { DISPATCH_TRAP, DISPATCH_NULL, DISPATCH_IRQ }; /* constants: paths apart */

static inline __attribute__((always_inline)) struct vcpu *
dispatch(enum dispatch_kind kind, struct vcpu *vcpu, u32 hsr, u32 pc, u32 row, trap_fn fn)
{
	struct traplog_vcpu *log;
	void *r; /* the row's base: log + row * 32 */
	struct traplog_ring *ring;
	struct traplog_rec *recs, *rec = &vcpu->no_rec; /* so that the cost's store needs no test */
	u32 who, now, cost;
	u64 head;

	{ /* the ldm's registers are pinned; gcc is free to move the values after */
		register u32 r6 asm("r6"), r7 asm("r7"), r8 asm("r8"), r9 asm("r9");

		asm("ldm %[v], {r6-r9}"
		    : "=r"(r6), "=r"(r7), "=r"(r8), "=r"(r9)
		    : [v] "r"(&vcpu->log), "m"(vcpu->log), "m"(vcpu->log_who), "m"(vcpu->ring),
		      "m"(vcpu->ring_rec));
		log = (struct traplog_vcpu *)r6, who = r7;
		ring = (struct traplog_ring *)r8, recs = (struct traplog_rec *)r9;
	}
	traplog_inc(&log->total);

	asm volatile("ldrd %Q0, %R0, [%1]" : "=r"(head) : "r"(ring), "m"(*ring));
	if (__builtin_expect(head >> 32, 1)) /* recording, the default: laid out inline */
		rec = ring_record(ring, recs, (u32)head + 1, who | row << 16, hsr, pc);
	else if (kind != DISPATCH_NULL)
		rec->pc = pc; /* for the worst, below */
	else
		asm("" : "+r"(rec)); /* out of line, not an addeq on the recording path */
	/* after the record: the ldm's who and records are free for the row's base */
	r = (void *)((char *)log + row * sizeof(struct traplog_row)); /* see TRAPLOG_ROW_AT */
	traplog_row_inc(r, TRAPLOG_ROW_AT(count));
	if (kind == DISPATCH_TRAP) {
		vcpu = fn(vcpu, hsr, rec);
	} else if (kind == DISPATCH_NULL) {
		vcpu = hypercall_null(vcpu, log);
	} else {
		vcpu = irq_handle(vcpu);
		/* a kick may mean its VM was reset or stopped from another cpu; the
		 * console's prompt may have reset it from this one (not loaded) */
		if (atomic_read(&vcpu->state) == VCPU_OFF ||
		    atomic_read(&vcpu->state) == VCPU_STOPPED || !arch_vcpu_loaded(vcpu) ||
		    vcpu != this_cpu()->current)
			vcpu = sched_next(vcpu);
	}
	if (vgic_busy(&vcpu->vgic))
		vgic_flush(vcpu);
	now = hyp_cycles();
	cost = now - ring->hyp_cycles;
	ring->hyp_cycles = now;
	traplog_row_add(r, TRAPLOG_ROW_AT(cycles), cost);
	/* past a call the pc is the record's: a load, where keeping a register costs more */
	traplog_row_worst(r, cost, kind == DISPATCH_NULL ? pc : rec->pc);
	rec->cost = cost;
	return vcpu;
}

/* hvc #0 from either instruction set: EC 0x12, a 32-bit instruction, imm16 0 */
#define HSR_NULL_HVC (HSR_EC_HVC << HSR_EC_SHIFT | HSR_IL)

/*
 * the null call (hvc #0, r0 = HYP_CALL_NULL) is dispatched with its row
 * and handler known: the counter offsets become constants and nothing is
 * called. it is counted, recorded and costed as any other trap.
 */
struct vcpu *trap_entry(struct vcpu *vcpu, u32 hsr, u32 pc)
{
	if (hsr == HSR_NULL_HVC && arch_vcpu_arg(vcpu, 0) == HYP_CALL_NULL)
		return dispatch(DISPATCH_NULL, vcpu, hsr, pc, TRAPLOG_ROW_HVC, NULL);
	return dispatch(DISPATCH_TRAP, vcpu, hsr, pc, hsr_ec(hsr), trap_table[hsr_ec(hsr)]);
}

struct vcpu *irq_entry(struct vcpu *vcpu, u32 unused, u32 pc)
{
	(void)unused;
	return dispatch(DISPATCH_IRQ, vcpu, 0, pc, TRAPLOG_ROW_IRQ, NULL);
}
