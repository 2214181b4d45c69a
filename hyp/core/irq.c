/* physical interrupts: taken in hyp while a guest runs (HCR.IMO) or when idle. */
#include "arch/arch.h"
#include "arch/vgic.h"
#include "console.h"
#include "percpu.h"
#include "platform.h"
#include "sched.h"
#include "virtio_drv.h"
#include "vm.h"

#define GIC_SPURIOUS	1023

static void uart_irq(void)
{
	int c;

	while (console_rx_room() && (c = pl011_getc()) >= 0)
		console_rx((char)c);
	if (!console_rx_room())
		pl011_rx_irq(false);	/* until the guest reads (console_rx_resume) */
}

/*
 * drain the gic; returns the vcpu to resume. the gic runs with split
 * priority drop and deactivation (GICC_CTLR.EOImode): the virtual timer's
 * interrupt is only dropped here and goes to the guest as a hardware
 * interrupt in a list register, which deactivates it when the guest EOIs.
 */
struct vcpu *irq_handle(struct vcpu *vcpu)
{
	for (;;) {
		u32 iar = gic_ack(), id = iar & 0x3ff;

		if (id == GIC_SPURIOUS)
			break;
		gic_eoi(iar);
		if (id == IRQ_VTIMER && this_cpu()->current) {
			vgic_inject_forwarded(this_cpu()->current, IRQ_VTIMER);
			continue;
		}
		if (id == PLAT_UART_IRQ)
			uart_irq();
		else if (id == IRQ_MAINTENANCE)
			vgic_maintenance(this_cpu()->current);
		else if (id == IRQ_HYP_TIMER)
			vcpu = sched_tick(vcpu);
		else if (id == SGI_KICK)
			sched_kicked();
		else if (id == IRQ_CHECK_TIMER)
			sched_check_tick();
		else if (vdrv_irq(id))		/* the board's disk (virtio_drv.c) */
			;
		else
			log_info("unexpected interrupt %u\n", id);
		gic_deactivate(iar);
	}
	return vcpu;
}
