/*
 * the inline half of irq.h's contract: the PPIs the hypervisor takes for
 * itself (arch/vgic.h numbers them), named for core.
 */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#include "arch/vgic.h"

static inline enum irq_kind arch_irq_kind(u32 id)
{
	switch (id) {
	case IRQ_VTIMER: return IRQ_KIND_VTIMER;
	case IRQ_MAINTENANCE: return IRQ_KIND_MAINTENANCE;
	case IRQ_HYP_TIMER: return IRQ_KIND_HYP_TIMER;
	case IRQ_CHECK_TIMER: return IRQ_KIND_CHECK_TIMER;
	default: return IRQ_KIND_OTHER;
	}
}

#endif
