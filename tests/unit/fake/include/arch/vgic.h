/*
 * the fake's interrupt controller for VMs: a bitmap of pending virtual
 * interrupts per vcpu, and the lines devices drive. the physical ids are
 * those irq.c dispatches on (the same PPIs as armv7's, for readability).
 */
#ifndef ARCH_VGIC_H
#define ARCH_VGIC_H

#include "types.h"

#define IRQ_MAINTENANCE		25
#define IRQ_HYP_TIMER		26
#define IRQ_VTIMER		27
#define IRQ_CHECK_TIMER		30

struct vgic_cpu {
	u64 pending;		/* virtual interrupts waiting for the vcpu, by id */
	u32 resets, maintenances;
};

struct vgic_dist {
	u64 lines;		/* device lines high (arch_vgic_set_level), by id */
	u32 inits;
};

#endif
