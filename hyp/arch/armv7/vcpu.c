/*
 * the world switch: the PL1 state a guest owns moves in and out of the cpu
 * here, in mirror-image pairs (save/load), plus guest register access,
 * pc advance and exception injection.
 */
#include "atomic.h"
#include "arch/arch.h"
#include "arch/hsr.h"
#include "arch/sysregs.h"
#include "arch/vgic.h"
#include "percpu.h"
#include "sched.h"
#include "vm.h"
#include "lib.h"

/*
 * HCR for every guest (B4.1.65). each bit set, and why:
 *   VM    stage-2 translation on: the guest sees only what its tables map.
 *   SWIO  set/way invalidates become clean+invalidate, so a guest's
 *         "invalidate the cache" can't throw away another VM's dirty lines.
 *   FMO, IMO, AMO  physical FIQ, IRQ and asynchronous aborts go to hyp;
 *         the guest gets virtual ones.
 *   FB, BSU=inner  the guest's tlb/cache/bp maintenance is broadcast in the
 *         inner shareable domain, so a vcpu that moves cpu finds it done.
 *   TWI, TWE  a waiting guest gives its cpu back.
 *   TSC   smc goes to us: psci by smc is answered here, not by firmware.
 *   TIDCP implementation-defined c9-c11 registers (l2ctlr, ...) are ours to
 *         answer, they describe the physical machine.
 *   TAC   ACTLR is implementation defined and physical: emulated.
 * not set: TGE (guests run their own kernels), DC, PTW, TVM (no shadow
 * paging), TSW (SWIO covers set/way), TPC/TPU/TTLB (maintenance is safe
 * under stage 2), TID0-3 (the guest may see the real cpu id registers).
 */
#define HCR_VM	      (1u << 0)
#define HCR_SWIO      (1u << 1)
#define HCR_FMO	      (1u << 3)
#define HCR_IMO	      (1u << 4)
#define HCR_AMO	      (1u << 5)
#define HCR_FB	      (1u << 9)
#define HCR_BSU_INNER (1u << 10)
#define HCR_TWI	      (1u << 13)
#define HCR_TWE	      (1u << 14)
#define HCR_TSC	      (1u << 19)
#define HCR_TIDCP     (1u << 20)
#define HCR_TAC	      (1u << 21)
#define HCR_GUEST                                                                             \
	(HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_INNER | HCR_TWI | \
	 HCR_TWE | HCR_TSC | HCR_TIDCP | HCR_TAC)

/*
 * HDCR (B4.1.66): TDRA, TDOSA, TDA trap the guest's debug registers (cp14)
 * to us: the debug unit is physical and shared. HPMN = PMCR.N - 1 gives the
 * guest every pmu counter but the last, which HPME turns on for us (it
 * counts hyp cycles: the cost of each trap). TPM traps the guest's pmu
 * accesses, which vpmu.c carries out on the rest of the pmu, PMCCNTR
 * included: the guest's own.
 */
#define HDCR_TPM   (1u << 6)
#define HDCR_HPME  (1u << 7)
#define HDCR_TDRA  (1u << 11)
#define HDCR_TDOSA (1u << 10)
#define HDCR_TDA   (1u << 9)
/*
 * HCPTR (B4.1.67): TTA traps trace registers (physical, not virtualized);
 * TCP10/TCP11 trap vfp/neon until a vcpu first uses them after a switch,
 * so the fpu registers move only for vcpus that use them (lazy switch).
 */
#define HCPTR_TTA   (1u << 20)
#define HCPTR_TCP10 (1u << 10)
#define HCPTR_TCP11 (1u << 11)
/*
 * HSTR (B4.1.74): T15 traps the implementation-defined c15 registers
 * (cortex-a15 cbar, power control): a guest touching them gets undef.
 */
#define HSTR_T15 (1u << 15)

u32 hyp_pmu_counter; /* the event counter we keep: PMCR.N - 1 */

/*
 * per cpu: the last event counter counts cpu cycles (event 0x11) in hyp
 * mode only: P and U stop it at PL1 and PL0, NSH starts it in hyp (B4.1.118).
 * under qemu -icount shift=0 a cycle is an instruction.
 */
#define EVTYPE_P      (1u << 31)
#define EVTYPE_U      (1u << 30)
#define EV_CPU_CYCLES 0x11

void pmu_init(void)
{
	hyp_pmu_counter = PMCR_N(sysreg_read32(PMCR)) - 1;
	sysreg_write32(PMSELR, hyp_pmu_counter);
	isb();
	sysreg_write32(PMXEVTYPER, EV_CPU_CYCLES | EVTYPE_P | EVTYPE_U | PMXEVTYPER_NSH);
	sysreg_write32(PMCNTENSET, 1u << hyp_pmu_counter);
	/* the same for every guest and inert in hyp mode: set here, not at each switch */
	sysreg_write32(HDCR,
		       HDCR_TDRA | HDCR_TDOSA | HDCR_TDA | HDCR_TPM | HDCR_HPME | hyp_pmu_counter);
	sysreg_write32(HSTR, HSTR_T15);
	sysreg_write32(VPIDR, sysreg_read32(MIDR));
	isb();
}

void arch_vcpu_init(struct vcpu *vcpu, ipaddr_t entry, u32 r0, u32 r1, u32 r2)
{
	struct vcpu_arch *a = &vcpu->arch;
	/* its cpu's stack, empty at every exit; set again as another cpu may be running it */
	u32 hyp_sp = (u32)(uintptr_t)hyp_stacks + (vcpu->pcpu + 1) * HYP_STACK_SIZE;

	/* a new life: no cpu may hold, or later save here, the last one's vfp */
	arch_vfp_forget(vcpu);
	/* loaded = false: its next run loads this; pmu_used = false: its pmu is new */
	memset(a, 0, sizeof(*a));
	a->hyp_sp = hyp_sp;
	a->regs.r[0] = r0;
	a->regs.r[1] = r1;
	a->regs.r[2] = r2;
	a->regs.pc = (u32)ipa_addr(entry); /* the guest's mmu is off */
	/* B1.9.10 reset state: svc, a/i/f masked, arm, mmu and caches off */
	a->regs.cpsr = PSR_MODE_SVC | PSR_A | PSR_I | PSR_F;
	a->cp15.sctlr = 0x00c50078; /* cortex-a15 reset value, M/C/I clear */
	a->hcr = HCR_GUEST;
	/* aff0 = vcpu id, U = 0, MP extensions present (bit 31) */
	a->vmpidr = 1u << 31 | vcpu->id;
}

/*
 * the banked registers and the cp15 context move in blocks: up to eleven
 * mrs/mrc into r2-r12, then one stm; on the way in one ldm, then the
 * msr/mcr. an stm or ldm is one instruction where a str per register is
 * one each, which halves the world switch's share here. the blocks follow
 * the field order of struct banked_regs and struct cp15_regs (asserted).
 */
/* clang-format off */
#define MRS(r, reg)	   "mrs " #r ", " #reg "\n\t"
#define MSR(reg, r)	   "msr " #reg ", " #r "\n\t"
#define MRC(r, name)	   "mrc " __stringify(CP32(r, name)) "\n\t"
#define MCR(r, name)	   "mcr " __stringify(CP32(r, name)) "\n\t"
#define MRRC(r1, r2, name) "mrrc " __stringify(CP64(r1, r2, name)) "\n\t"
#define MCRR(r1, r2, name) "mcrr " __stringify(CP64(r1, r2, name)) "\n\t"
#define BLOCK_REGS "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12"
/* (clang-format would pour the asm blocks below into one paragraph) */

#define BANKED_AT(f, n) (__builtin_offsetof(struct banked_regs, f) == 4 * (n))
_Static_assert(BANKED_AT(sp_usr, 0) && BANKED_AT(spsr_abt, 6) && BANKED_AT(sp_und, 7) &&
		       BANKED_AT(r8_fiq, 13) && BANKED_AT(r9_fiq, 14) && BANKED_AT(spsr_fiq, 20) &&
		       sizeof(struct banked_regs) == 4 * 21,
	       "banked_save's order");

static inline __attribute__((always_inline)) void banked_out(struct banked_regs *b)
{
	u32 *p = &b->sp_usr;

	asm volatile(MRS(r2, SP_usr) MRS(r3, SP_svc) MRS(r4, LR_svc) MRS(r5, SPSR_svc)
		     MRS(r6, SP_abt) MRS(r7, LR_abt) MRS(r8, SPSR_abt) MRS(r9, SP_und)
		     MRS(r10, LR_und) MRS(r11, SPSR_und) MRS(r12, SP_irq)
		     "stmia %0!, {r2-r12}\n\t"
		     MRS(r2, LR_irq) MRS(r3, SPSR_irq) MRS(r4, r8_fiq) MRS(r5, r9_fiq)
		     MRS(r6, r10_fiq) MRS(r7, r11_fiq) MRS(r8, r12_fiq) MRS(r9, SP_fiq)
		     MRS(r10, LR_fiq) MRS(r11, SPSR_fiq)
		     "stmia %0, {r2-r11}"
		     : "+r"(p), "=m"(*b)
		     :
		     : BLOCK_REGS);
}

static inline __attribute__((always_inline)) void banked_in(const struct banked_regs *b)
{
	const u32 *p = &b->sp_usr;

	asm volatile("ldmia %0!, {r2-r12}\n\t"
		     MSR(SP_usr, r2) MSR(SP_svc, r3) MSR(LR_svc, r4) MSR(SPSR_svc, r5)
		     MSR(SP_abt, r6) MSR(LR_abt, r7) MSR(SPSR_abt, r8) MSR(SP_und, r9)
		     MSR(LR_und, r10) MSR(SPSR_und, r11) MSR(SP_irq, r12)
		     "ldmia %0, {r2-r11}\n\t"
		     MSR(LR_irq, r2) MSR(SPSR_irq, r3) MSR(r8_fiq, r4) MSR(r9_fiq, r5)
		     MSR(r10_fiq, r6) MSR(r11_fiq, r7) MSR(r12_fiq, r8) MSR(SP_fiq, r9)
		     MSR(LR_fiq, r10) MSR(SPSR_fiq, r11)
		     : "+r"(p)
		     : "m"(*b)
		     : BLOCK_REGS);
}

/*
 * inline in the world switch; called elsewhere (a banked register read or
 * written, an exception injected), where the eleven registers it takes
 * would otherwise be pushed on every trap that reaches arch_vcpu_reg_read/write
 */
static __attribute__((noinline)) void banked_save(struct banked_regs *b)
{
	banked_out(b);
}

static __attribute__((noinline)) void banked_load(const struct banked_regs *b)
{
	banked_in(b);
}

#define CP15_AT(f, n) (__builtin_offsetof(struct cp15_regs, f) == 4 * (n))
_Static_assert(CP15_AT(ttbr0, 0) && CP15_AT(ttbr1, 2) && CP15_AT(par, 4) && CP15_AT(sctlr, 6) &&
		       CP15_AT(dfsr, 10) && CP15_AT(ifsr, 11) && CP15_AT(contextidr, 21) &&
		       CP15_AT(fcseidr, 22) && CP15_AT(cntkctl, 27),
	       "cp15_save's order");

static void cp15_save(struct cp15_regs *c)
{
	u32 *p = (u32 *)&c->ttbr0;

	asm volatile(MRRC(r2, r3, TTBR0_64) MRRC(r4, r5, TTBR1_64) MRRC(r6, r7, PAR_64)
		     MRC(r8, SCTLR) MRC(r9, CPACR) MRC(r10, TTBCR) MRC(r11, DACR) MRC(r12, DFSR)
		     "stmia %0!, {r2-r12}\n\t"
		     MRC(r2, IFSR) MRC(r3, ADFSR) MRC(r4, AIFSR) MRC(r5, DFAR) MRC(r6, IFAR)
		     MRC(r7, PRRR) MRC(r8, NMRR) MRC(r9, AMAIR0) MRC(r10, AMAIR1) MRC(r11, VBAR)
		     MRC(r12, CONTEXTIDR)
		     "stmia %0!, {r2-r12}\n\t"
		     MRC(r2, FCSEIDR) MRC(r3, TPIDRURW) MRC(r4, TPIDRURO) MRC(r5, TPIDRPRW)
		     MRC(r6, CSSELR) MRC(r7, CNTKCTL)
		     "stmia %0, {r2-r7}"
		     : "+r"(p), "=m"(*c)
		     :
		     : BLOCK_REGS);
}

static void cp15_load(const struct cp15_regs *c)
{
	const u32 *p = (const u32 *)&c->ttbr0;

	asm volatile("ldmia %0!, {r2-r12}\n\t"
		     MCRR(r2, r3, TTBR0_64) MCRR(r4, r5, TTBR1_64) MCRR(r6, r7, PAR_64)
		     MCR(r8, SCTLR) MCR(r9, CPACR) MCR(r10, TTBCR) MCR(r11, DACR) MCR(r12, DFSR)
		     "ldmia %0!, {r2-r12}\n\t"
		     MCR(r2, IFSR) MCR(r3, ADFSR) MCR(r4, AIFSR) MCR(r5, DFAR) MCR(r6, IFAR)
		     MCR(r7, PRRR) MCR(r8, NMRR) MCR(r9, AMAIR0) MCR(r10, AMAIR1) MCR(r11, VBAR)
		     MCR(r12, CONTEXTIDR)
		     "ldmia %0, {r2-r7}\n\t"
		     MCR(r2, FCSEIDR) MCR(r3, TPIDRURW) MCR(r4, TPIDRURO) MCR(r5, TPIDRPRW)
		     MCR(r6, CSSELR) MCR(r7, CNTKCTL)
		     : "+r"(p)
		     : "m"(*c)
		     : BLOCK_REGS, "memory");
}
/* clang-format on */

/*
 * percpu.vfp_owner: whose registers the cpu's vfp holds. only its own cpu
 * makes a vcpu owner; arch_vfp_forget, from any cpu, takes a vcpu out of
 * every cpu's (what they hold is of a life that ended). a cpu that moves
 * registers out to a vcpu's memory marks its field VFP_SAVING meanwhile,
 * and forget waits that out (a vfp_save: bounded, interrupts masked), so
 * that no old life's registers land in a new life's memory after its init.
 */
#define VFP_SAVING ((struct vcpu *)1)

static u32 hcptr_for(const struct vcpu *vcpu)
{
	return HCPTR_TTA |
	       (atomic_read(&this_cpu()->vfp_owner) == vcpu ? 0 : HCPTR_TCP10 | HCPTR_TCP11);
}

/* make vcpu the one this cpu runs; its gp registers follow at eret */
void arch_vcpu_load(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;

	banked_in(&a->banked);
	cp15_load(&a->cp15);
	sysreg_write32(VMPIDR, a->vmpidr);
	sysreg_write32(HCR, a->hcr);
	sysreg_write32(HCPTR, hcptr_for(vcpu));
	sysreg_write64(VTTBR, stage2_vttbr(vcpu->vm));
	sysreg_write64(CNTVOFF, vcpu->vm->cntvoff);
	sysreg_write64(CNTV_CVAL, a->cntv_cval);
	sysreg_write32(CNTV_CTL, a->cntv_ctl);
	if (a->pmu_used) /* else the cpu's is as a new vcpu's: vpmu_clean */
		vpmu_load(&a->pmu);
	vgic_load(vcpu);
	isb();
	a->loaded = true;
	a->vtimer_sent = false; /* the cpu's own timer takes over */
}

/* the first entry from the idle loop: this cpu's C stack starts again at its top */
void arch_vcpu_enter(struct vcpu *vcpu)
{
	guest_resume(vcpu);
}

/*
 * the vcpu, saved, leaves this cpu for cpu `to` (sched_hand_over): its
 * lazy vfp registers, if this cpu still holds them, go out (HCPTR as it
 * was after: the running vcpu's trap stays), and its exits take its new
 * cpu's stack
 */
void arch_vcpu_moved(struct vcpu *vcpu, u32 to)
{
	struct percpu *cpu = this_cpu();
	u32 hcptr = sysreg_read32(HCPTR);
	struct vcpu *owner = vcpu;

	if (cas_acquire(&cpu->vfp_owner, &owner, VFP_SAVING)) {
		sysreg_write32(HCPTR, HCPTR_TTA);
		isb();
		vfp_save(&vcpu->arch.vfp);
		store_release(&cpu->vfp_owner, NULL);
		sysreg_write32(HCPTR, hcptr);
		isb();
	}
	vcpu->arch.hyp_sp = (u32)(uintptr_t)hyp_stacks + (to + 1) * HYP_STACK_SIZE;
}

/*
 * the vcpu's VM was reset by another cpu while this one still held its
 * state: its timer must not fire here, its list registers must go, and
 * its forwarded timer interrupt, active in this cpu's banked PPI, ends.
 */
void arch_vcpu_drop(struct vcpu *vcpu)
{
	(void)vcpu;
	sysreg_write32(CNTV_CTL, 0);
	vgic_drop_cpu_state();
	vpmu_clean(); /* (whether it had used it: its pmu_used went with the reset) */
	isb();
}

void arch_vcpu_save(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;

	banked_out(&a->banked);
	cp15_save(&a->cp15);
	a->cntv_ctl = sysreg_read32(CNTV_CTL);
	a->cntv_cval = sysreg_read64(CNTV_CVAL);
	sysreg_write32(CNTV_CTL, 0); /* not to fire for the next vcpu */
	if (a->pmu_used)
		vpmu_save(&a->pmu);
	vgic_save(vcpu);
	a->loaded = false;
}

/*
 * lazy vfp (EC 0x07): the first vfp/neon instruction after a switch traps;
 * the previous owner's registers go out, this vcpu's come in, and the trap
 * is lifted until another vcpu runs here.
 */
void vfp_switch(struct vcpu *vcpu)
{
	struct percpu *cpu = this_cpu();
	struct vcpu *old = xchg_acquire(&cpu->vfp_owner, VFP_SAVING);

	sysreg_write32(HCPTR, HCPTR_TTA);
	isb();
	if (old)
		vfp_save(&old->arch.vfp);
	vfp_restore(&vcpu->arch.vfp);
	/* release: the save is in old's memory before a forget of old returns */
	store_release(&cpu->vfp_owner, vcpu);
}

/*
 * a vcpu going away (its VM stopped) or starting a new life (reset, CPU_ON:
 * arch_vcpu_init) is no cpu's vfp owner: the next vfp use there traps and
 * loads the user's own. a cpu saving its registers out is waited for.
 */
void arch_vfp_forget(struct vcpu *vcpu)
{
	u32 i;

	for (i = 0; i < PLAT_MAX_CPUS; i++) {
		struct vcpu *seen = vcpu;

		while (!cas(&percpu[i].vfp_owner, &seen, NULL) && seen == VFP_SAVING)
			seen = vcpu;
	}
}

/* B1.3.2: r13 and r14 are banked per mode, r8-r12 for fiq too */
static u32 *banked_slot(struct vcpu *vcpu, u32 n)
{
	struct banked_regs *b = &vcpu->arch.banked;

	switch (vcpu->arch.regs.cpsr & PSR_MODE_MASK) {
	case PSR_MODE_FIQ:
		return n == 13 ? &b->sp_fiq : n == 14 ? &b->lr_fiq : &b->r8_fiq + (n - 8);
	case PSR_MODE_IRQ: return n == 13 ? &b->sp_irq : &b->lr_irq;
	case PSR_MODE_SVC: return n == 13 ? &b->sp_svc : &b->lr_svc;
	case PSR_MODE_ABT: return n == 13 ? &b->sp_abt : &b->lr_abt;
	case PSR_MODE_UND: return n == 13 ? &b->sp_und : &b->lr_und;
	default: /* usr, sys */ return n == 13 ? &b->sp_usr : &vcpu->arch.regs.lr_usr;
	}
}

static bool in_gp_regs(const struct vcpu *vcpu, u32 n)
{
	u32 mode = vcpu->arch.regs.cpsr & PSR_MODE_MASK;

	return n < 8 || (n < 13 && mode != PSR_MODE_FIQ) ||
	       (n == 14 && (mode == PSR_MODE_USR || mode == PSR_MODE_SYS));
}

/*
 * a banked register, out of line: its banked_save/load take r2-r12, which
 * arch_vcpu_reg_read/write's common paths (r0-r12 of every MMIO and CP15 trap)
 * would otherwise keep their values clear of
 */
static __attribute__((noinline)) u32 banked_read(struct vcpu *vcpu, u32 n)
{
	if (vcpu->arch.loaded)
		banked_save(&vcpu->arch.banked);
	return *banked_slot(vcpu, n);
}

static __attribute__((noinline)) void banked_write(struct vcpu *vcpu, u32 n, u32 val)
{
	if (vcpu->arch.loaded)
		banked_save(&vcpu->arch.banked);
	*banked_slot(vcpu, n) = val;
	if (vcpu->arch.loaded)
		banked_load(&vcpu->arch.banked);
}

u32 vcpu_reg_read_banked(struct vcpu *vcpu, u32 n)
{
	if (n == 15)
		return vcpu->arch.regs.pc + 8; /* as the guest sees pc (A2.3) */
	if (in_gp_regs(vcpu, n))
		return n == 14 ? vcpu->arch.regs.lr_usr : vcpu->arch.regs.r[n];
	return banked_read(vcpu, n);
}

/*
 * r15 as the destination of a trapped read is APSR_nzcv (MRC, A8.8.108;
 * MRRC's is UNPREDICTABLE, A8.8.109, and gets the same): the flags, never
 * the pc. writing the pc sent such a guest to the value it read.
 */
void vcpu_reg_write_banked(struct vcpu *vcpu, u32 n, u32 val)
{
	if (n == 15) {
		vcpu->arch.regs.cpsr = (vcpu->arch.regs.cpsr & ~PSR_NZCV) | (val & PSR_NZCV);
		return;
	}
	if (in_gp_regs(vcpu, n)) {
		if (n == 14)
			vcpu->arch.regs.lr_usr = val;
		else
			vcpu->arch.regs.r[n] = val;
		return;
	}
	banked_write(vcpu, n, val);
}

/*
 * B1.8.3 exception entry, done for the guest: save cpsr into the target
 * mode's spsr, set its lr, switch mode, mask, clear IT/J, take T and E from
 * SCTLR, jump through the guest's vector base.
 */
static void inject(struct vcpu *vcpu, u32 mode, u32 vector, u32 lr, bool mask_a)
{
	struct vcpu_arch *a = &vcpu->arch;
	u32 sctlr = a->loaded ? sysreg_read32(SCTLR) : a->cp15.sctlr;
	u32 vbar = a->loaded ? sysreg_read32(VBAR) : a->cp15.vbar;
	u32 old = a->regs.cpsr, *spsr;

	if (a->loaded)
		banked_save(&a->banked);
	a->regs.cpsr = (old & ~(PSR_MODE_MASK | PSR_IT_MASK | PSR_J | PSR_T | PSR_E)) | mode |
		       PSR_I | (mask_a ? PSR_A : 0) | (sctlr & SCTLR_TE ? PSR_T : 0) |
		       (sctlr & SCTLR_EE ? PSR_E : 0);
	spsr = mode == PSR_MODE_UND ? &a->banked.spsr_und : &a->banked.spsr_abt;
	*spsr = old;
	*banked_slot(vcpu, 14) = lr;
	a->regs.pc = (sctlr & SCTLR_V ? 0xffff0000u : vbar) + vector;
	if (a->loaded)
		banked_load(&a->banked);
	vcpu->log->injected++;
}

void vcpu_inject_undef(struct vcpu *vcpu)
{
	u32 pc = vcpu->arch.regs.pc;

	inject(vcpu, PSR_MODE_UND, 0x04, pc + (vcpu->arch.regs.cpsr & PSR_T ? 2 : 4), false);
}

/* fault status for a synchronous external abort, in the guest's format */
static u32 ext_abort_fsr(struct vcpu *vcpu)
{
	u32 ttbcr = vcpu->arch.loaded ? sysreg_read32(TTBCR) : vcpu->arch.cp15.ttbcr;

	/* B4.1.52: long-descriptor status 0b010000 with LPAE bit 9; short FS 0b01000 */
	return ttbcr & TTBCR_EAE ? (1u << 9 | 0x10) : 0x08;
}

void vcpu_inject_dabt(struct vcpu *vcpu, u32 far, bool write)
{
	u32 fsr = ext_abort_fsr(vcpu) | (write ? 1u << 11 : 0);

	inject(vcpu, PSR_MODE_ABT, 0x10, vcpu->arch.regs.pc + 8, true);
	if (vcpu->arch.loaded) {
		sysreg_write32(DFSR, fsr);
		sysreg_write32(DFAR, far);
	} else {
		vcpu->arch.cp15.dfsr = fsr;
		vcpu->arch.cp15.dfar = far;
	}
}

void vcpu_inject_pabt(struct vcpu *vcpu, u32 far)
{
	u32 fsr = ext_abort_fsr(vcpu);

	inject(vcpu, PSR_MODE_ABT, 0x0c, vcpu->arch.regs.pc + 4, true);
	if (vcpu->arch.loaded) {
		sysreg_write32(IFSR, fsr);
		sysreg_write32(IFAR, far);
	} else {
		vcpu->arch.cp15.ifsr = fsr;
		vcpu->arch.cp15.ifar = far;
	}
}
