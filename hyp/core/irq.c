/* physical interrupts: taken in hyp while a guest runs (HCR.IMO) or when idle. */
#include "console.h"
#include "irq.h"
#include "percpu.h"
#include "platform_if.h"
#include "sched.h"
#include "netsw.h"
#include "uart.h"
#include "virtio_drv.h"
#include "vm.h"

/*
 * the keyboard: the board uart's bytes, each to console_rx, which drops
 * what a guest's full input cannot take, so that the hypervisor's keys
 * always get through. at most UART_BURST an interrupt: the uart's receive
 * (or receive timeout) interrupt stays up while bytes remain, and comes
 * back for them, so a stream of bytes cannot hold the cpu here.
 */
#define UART_BURST 64

static void uart_irq(void)
{
	int c, n;

	for (n = 0; n < UART_BURST && (c = uart_getc()) >= 0; n++)
		console_rx((char)c);
}

/*
 * drain the gic; returns the vcpu to resume. the gic runs with split
 * priority drop and deactivation (GICC_CTLR.EOImode): the virtual timer's
 * interrupt is only dropped here and stays active while the guest gets a
 * virtual copy. its list register is not a hardware one (qemu 7.2 ignores
 * the HW bit) but asks for a maintenance interrupt at the guest's EOI, and
 * the vgic deactivates the physical interrupt then (vgic.c).
 */
struct vcpu *irq_handle(struct vcpu *vcpu)
{
	u32 id, ack;

	while (arch_gic_ack(&id, &ack)) {
		enum irq_kind kind = arch_irq_kind(id);

		arch_gic_eoi(ack);
		if (kind == IRQ_KIND_VTIMER && this_cpu()->current) {
			arch_vgic_inject_forwarded(this_cpu()->current, id);
			continue;
		}
		if (kind == IRQ_KIND_MAINTENANCE)
			arch_vgic_maintenance(this_cpu()->current);
		else if (kind == IRQ_KIND_HYP_TIMER) {
			/*
			 * deactivated first: sched_tick may not come back here
			 * (switch_or_idle() to idle()), and a timer left active
			 * would never tick this cpu again. its line drops when
			 * sched_tick sets the next deadline.
			 */
			arch_gic_deactivate(ack);
			vcpu = sched_tick(vcpu);
			continue;
		} else if (kind == IRQ_KIND_CHECK_TIMER)
			sched_check_tick();
		else if (id == PLAT_UART_IRQ)
			uart_irq();
		else if (id == SGI_KICK) {
			if (this_cpu()->current) /* it looks before it enters: kicks again */
				arch_vgic_kick_taken(this_cpu()->current);
			sched_hand_over(); /* (may save vcpu: the caller looks) */
			sched_kicked();
			vm_log_catch_up(); /* a vm_log_reset of another cpu's */
		} else if (vdrv_irq(id))   /* the board's disk (virtio_drv.c) */
			;
		else if (uplink_irq(id)) /* its network card (virtio_uplink.c) */
			;
		else if (arch_vgic_linked_irq(id)) /* a VM's own device: its guest ends it */
			continue;
		else
			log_info("unexpected interrupt %u\n", id);
		arch_gic_deactivate(ack);
	}
	uplink_poll(); /* frames the uplink's last pass left (virtio_uplink.c) */
	return vcpu;
}
