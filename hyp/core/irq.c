/* physical interrupts: taken in hyp while a guest runs (HCR.IMO) or when idle. */
#include "arch/arch.h"
#include "console.h"
#include "platform.h"
#include "sched.h"

#define GIC_SPURIOUS	1023

static void uart_irq(void)
{
	int c;

	while ((c = pl011_getc()) >= 0)
		console_rx((char)c);
}

/* drain the gic; returns the vcpu to resume (interrupts don't switch yet) */
struct vcpu *irq_handle(struct vcpu *vcpu)
{
	for (;;) {
		u32 iar = gic_ack(), id = iar & 0x3ff;

		if (id == GIC_SPURIOUS)
			break;
		if (id == PLAT_UART_IRQ)
			uart_irq();
		else
			log_info("unexpected interrupt %u\n", id);
		gic_eoi(iar);
	}
	return vcpu;
}
