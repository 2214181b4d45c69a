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

/*
 * what an interrupt means to core, decoded by the architecture from its
 * id: its own timers' and its vgic's interrupts by name, every other id
 * (a board device's, an SGI) as it is.
 */
enum irq_kind {
	IRQ_KIND_OTHER,
	IRQ_KIND_VTIMER,      /* the running vcpu's virtual timer: forwarded to it */
	IRQ_KIND_MAINTENANCE, /* the vgic's maintenance interrupt */
	IRQ_KIND_HYP_TIMER,   /* the scheduler's slice and sleepers' timers */
	IRQ_KIND_CHECK_TIMER, /* the scheduler's check (hyp.check=sched) */
};

/* --- implemented by arch ------------------------------------------------ */
static inline enum irq_kind arch_irq_kind(u32 id); /* inline: arch/irq.h */

/* the physical interrupt controller (gic.c) */
u32 arch_gic_nr_cpus(void);
void arch_gic_init(void);	   /* the boot cpu: distributor and interface */
void arch_gic_cpu_init(void);	   /* each other cpu: its interface */
void arch_gic_enable_irq(u32 irq); /* routed to this cpu */
/*
 * the highest priority pending interrupt: false if there is none;
 * otherwise its id in *id, and in *ack what arch_gic_eoi and arch_gic_deactivate
 * take back for it.
 */
bool arch_gic_ack(u32 *id, u32 *ack);
void arch_gic_eoi(u32 ack);	   /* priority drop */
void arch_gic_deactivate(u32 ack); /* and the end of it */
void arch_gic_send_sgi(u32 cpu, u32 sgi);
bool arch_gic_pending(u32 irq); /* for this cpu (SGIs, PPIs: its own) */

/* the virtual interface's share (vgic.c) */
void arch_vgic_hw_init(void);				     /* each cpu: its list registers */
void arch_vgic_maintenance(struct vcpu *vcpu);		     /* IRQ_KIND_MAINTENANCE fired */
void arch_vgic_inject_forwarded(struct vcpu *vcpu, u32 irq); /* the guest ends it */

bool arch_vgic_linked_irq(u32 irq); /* a passed-through device's: to its VM, left active */

#include "arch/irq.h"

#endif
