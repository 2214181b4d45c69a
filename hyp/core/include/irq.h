/*
 * physical interrupts, the hypervisor's own: taken while a guest runs
 * (HCR.IMO) or while a cpu idles, and handed out by irq.c.
 */
#ifndef IRQ_H
#define IRQ_H

#include "types.h"

struct vcpu;

/* drain the interrupt controller; returns the vcpu to resume (irq.c) */
struct vcpu *irq_handle(struct vcpu *vcpu);

/* --- implemented by arch ------------------------------------------------ */

/* the physical interrupt controller (gic.c) */
u32 gic_nr_cpus(void);
void gic_init(void);	      /* the boot cpu: distributor and interface */
void gic_cpu_init(void);      /* each other cpu: its interface */
void gic_enable_irq(u32 irq); /* routed to this cpu */
/*
 * the highest priority pending interrupt: false if there is none;
 * otherwise its id in *id, and in *ack what gic_eoi and gic_deactivate
 * take back for it.
 */
bool gic_ack(u32 *id, u32 *ack);
void gic_eoi(u32 ack);	      /* priority drop */
void gic_deactivate(u32 ack); /* and the end of it */
void gic_send_sgi(u32 cpu, u32 sgi);
bool gic_pending(u32 irq); /* for this cpu (SGIs, PPIs: its own) */

/* the virtual interface's share (vgic.c) */
void vgic_hw_init(void);				/* each cpu: its list registers */
void vgic_maintenance(struct vcpu *vcpu);		/* IRQ_MAINTENANCE fired */
void vgic_inject_forwarded(struct vcpu *vcpu, u32 irq); /* the guest ends it */

#endif
