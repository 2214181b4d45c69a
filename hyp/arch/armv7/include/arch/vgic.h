/*
 * the virtual GICv2 (IHI 0048B): a distributor emulated per VM, the cpu
 * interface is the physical GICV behind stage 2, and interrupts reach a
 * vcpu through the GICH list registers.
 */
#ifndef ARCH_VGIC_H
#define ARCH_VGIC_H

#include "types.h"
#include "spinlock.h"

#define VGIC_NR_IRQS	64		/* SGIs, PPIs and SPIs 32-63 */
#define VGIC_NR_LR	4		/* at most this many list registers used */
#define VGIC_NO_LR	0xff

#define IRQ_MAINTENANCE	25		/* PPI 9 */
#define IRQ_HYP_TIMER	26		/* PPI 10 */
#define IRQ_VTIMER	27		/* PPI 11 */
#define IRQ_PTIMER	30		/* PPI 14, non-secure physical timer */

/* one interrupt as the VM sees it */
struct vgic_irq {
	u8 priority;
	u8 target;		/* SPIs: ITARGETSR byte */
	u8 lr;			/* list register holding it, or VGIC_NO_LR */
	u8 source;		/* SGIs: the vcpu that sent it */
	bool enabled, pending, level, edge;
	bool forwarded;		/* a physical interrupt to deactivate at the guest's EOI */
};

/* per vcpu: SGIs and PPIs, the list registers and their saved state */
struct vgic_cpu {
	struct vgic_irq priv[32];
	u32 lr_irq[VGIC_NR_LR];		/* which interrupt each LR holds */
	u32 lr_used;			/* bitmap of LRs we filled */
	u32 queued;			/* pending interrupts not yet in an LR */
	u32 hcr, vmcr, apr, lr[VGIC_NR_LR];
};

/* per VM: the distributor */
struct vgic_dist {
	spinlock_t lock;
	bool enabled;			/* GICD_CTLR.Enable */
	u64 owned;			/* interrupts this VM may see and touch */
	struct vgic_irq spi[VGIC_NR_IRQS - 32];
};

/*
 * its functions: those core calls are in core's vm.h, irq.h and sched.h,
 * the rest in arch/arch.h
 */

#endif
