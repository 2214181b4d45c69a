/*
 * the virtual GICv2 (IHI 0048B): a distributor emulated per VM, the cpu
 * interface is the physical GICV behind stage 2, and interrupts reach a
 * vcpu through the GICH list registers.
 */
#ifndef ARCH_VGIC_H
#define ARCH_VGIC_H

#include "types.h"
#include "spinlock.h"

#define VGIC_NR_IRQS 64 /* SGIs, PPIs and SPIs 32-63 */
#define VGIC_NR_LR   4	/* at most this many list registers used */
#define VGIC_NO_LR   0xff

#define IRQ_MAINTENANCE 25 /* PPI 9 */
#define IRQ_HYP_TIMER	26 /* PPI 10 */
#define IRQ_VTIMER	27 /* PPI 11 */
#define IRQ_PTIMER	30 /* PPI 14, non-secure physical timer */
/*
 * the physical non-secure timer (CNTP, PPI 14) is the hypervisor's own:
 * guests' accesses to theirs trap and are emulated (ptimer.c). it times
 * the scheduler's check (hyp.check=sched).
 */
#define IRQ_CHECK_TIMER 30

/*
 * one interrupt as the VM sees it. its pending and active state is here
 * while no list register holds it, and in that LR while one does (an
 * edge that comes meanwhile waits here as pending again).
 */
struct vgic_irq {
	u8 priority; /* IPRIORITYR: bits 7:3 kept */
	u8 target;   /* SPIs: ITARGETSR byte, a vcpu bitmap */
	u8 lr;	     /* list register holding it, or VGIC_NO_LR */
	u8 lr_vcpu;  /* whose: an SPI's target may change meanwhile */
	u8 sources;  /* SGIs: vcpus whose SGI waits here (SPENDSGIR byte) */
	bool enabled, pending, level, edge, group1;
	bool active;	/* made active by ISACTIVER while in no LR */
	bool latched;	/* level-sensitive, made pending by ISPENDR: kept if the line drops */
	bool forwarded; /* a physical interrupt to deactivate at the guest's EOI */
	bool hw;	/* its linked physical SPI is active, taken on cpu hw_cpu */
	u8 hw_cpu;
	u16 pirq; /* SPIs: the physical one linked (a device passed through), or 0 */
};

/* per vcpu: SGIs and PPIs, the list registers and their saved state */
struct vgic_cpu {
	struct vgic_irq priv[32];
	u32 lr_irq[VGIC_NR_LR]; /* which interrupt each LR holds */
	u32 lr_used;		/* bitmap of LRs we filled */
	u64 queued;		/* its interrupts pending or active in no LR, by id */
	bool loaded;		/* its LRs are in its cpu's GICH, not in lr[] */
	u32 hcr, vmcr, apr, lr[VGIC_NR_LR];
	/* LR changes other cpus left for its own cpu, while it runs there */
	u32 edits, edit_clr[VGIC_NR_LR], edit_set[VGIC_NR_LR];
	u32 busy;    /* queued || edits, kept with them: one load for the trap path */
	bool kicked; /* told (woken, kicked, its slice cut) and has not looked since */
};

/* something for vgic_flush to do before the vcpu enters its guest */
static inline bool vgic_busy(const struct vgic_cpu *c)
{
	return c->busy;
}

/* per VM: the distributor. the lock covers it and every vcpu's vgic_cpu */
struct vgic_dist {
	spinlock_t lock;
	u32 ctlr;  /* GICD_CTLR: EnableGrp0, EnableGrp1 */
	u32 kicks; /* vcpus told of an interrupt: kicks, wakes, slices cut */
	struct vgic_irq spi[VGIC_NR_IRQS - 32]; /* every one implemented, device or not */
};

/*
 * its functions: those core calls are in core's vm.h, irq.h and sched.h,
 * the rest in arch/arch.h
 */

#endif
