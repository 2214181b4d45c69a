/* the armv7 part of a vcpu: everything the world switch moves. */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#include "types.h"

/*
 * saved on every trap by vectors.S. in hyp mode r14 is the user-mode lr,
 * so lr_usr arrives with r0-r12 for free.
 */
struct gp_regs {
	u32 r[13];
	u32 lr_usr;
	u32 pc;	  /* ELR_hyp */
	u32 cpsr; /* SPSR_hyp */
};

/*
 * the banked registers of the guest's modes. hyp mode never touches them,
 * so they stay live in the cpu while the vcpu is loaded and move only at a
 * world switch (arch_vcpu_save, arch_vcpu_load).
 */
struct banked_regs {
	u32 sp_usr;
	u32 sp_svc, lr_svc, spsr_svc;
	u32 sp_abt, lr_abt, spsr_abt;
	u32 sp_und, lr_und, spsr_und;
	u32 sp_irq, lr_irq, spsr_irq;
	u32 r8_fiq, r9_fiq, r10_fiq, r11_fiq, r12_fiq;
	u32 sp_fiq, lr_fiq, spsr_fiq;
};

/*
 * the pl1 system registers a guest os owns (B4.1). from ttbr0 to cntkctl
 * the order is the world switch's (cp15_save: a block of mrc, then one
 * stm). ACTLR is emulated (HCR.TAC): its value is kept in actlr only.
 */
struct cp15_regs {
	u64 ttbr0, ttbr1, par;
	u32 sctlr, cpacr, ttbcr, dacr, dfsr;
	u32 ifsr, adfsr, aifsr, dfar, ifar, prrr, nmrr, amair0, amair1, vbar, contextidr;
	u32 fcseidr, tpidrurw, tpidruro, tpidrprw, csselr, cntkctl;
	u32 actlr;
};

struct vfp_regs {
	u64 d[32];
	u32 fpscr, fpexc, fpinst, fpinst2;
};

/*
 * the guest's part of the pmu (vpmu.c): in the cpu while the vcpu is loaded
 * and has written to its pmu (pmu_used), here otherwise. a vcpu that never
 * wrote it has the reset values, which the cpu holds while no such vcpu is
 * loaded. ovsr keeps the overflow flags of its earlier runs: armv7 can
 * clear flags but not set them (B4.1.112).
 */
#define VPMU_MAX_COUNTERS 31
struct vpmu_regs {
	u32 pmcr; /* E, D, X, DP: what stays of a write (P and C act at once) */
	u32 cntenset, intenset, ovsr, userenr, ccntr, ccfiltr;
	u32 evtyper[VPMU_MAX_COUNTERS], evcntr[VPMU_MAX_COUNTERS];
};

/* the world switch's moves of it, and the cpu's pmu as a new vcpu finds it */
void vpmu_save(struct vpmu_regs *p);
void vpmu_load(const struct vpmu_regs *p);
void vpmu_clean(void);

struct vcpu_arch {
	struct gp_regs regs; /* first: sp_hyp points here while the guest runs */
	u32 hyp_sp;	     /* the hyp stack to take at the next exit */
	struct banked_regs banked;
	struct cp15_regs cp15;
	struct vfp_regs vfp;
	u64 cntv_cval; /* the virtual timer, used by the guest directly */
	u32 cntv_ctl;
	u64 cntp_cval; /* the physical timer, emulated (ptimer.c) */
	u32 cntp_ctl;
	bool vtimer_sent; /* its virtual timer fired while it was not loaded */
	u32 hcr;
	u32 vmpidr;
	u32 pmselr;    /* its PMSELR: the real one stays ours (vpmu.c) */
	bool loaded;   /* banked and cp15 state live in the cpu */
	bool pmu_used; /* it wrote to its pmu: the world switch moves it */
	struct vpmu_regs pmu;
};

#endif
