/*
 * vtick: the virtual timer's interrupt, forwarded from the physical one.
 * with leave=1 it arms the timer with its interrupts masked, waits until
 * the tick is pending at its cpu interface, and powers off without taking
 * it: the physical interrupt the hypervisor left active for it must end
 * with the VM. otherwise it takes five ticks, waiting in WFI each time,
 * which a VM sharing the cpu would never see if the leaver's stayed active.
 */
#include "stub.h"

#define TICKS		(62500 * 5)	/* 5 ms at 62.5 MHz */
#define ROUNDS		5

static void w32(u32 a, u32 v) { *(volatile u32 *)a = v; }
static u32 r32(u32 a) { return *(volatile u32 *)a; }

static void arm_timer(void)
{
	mcr(0, 14, 3, 0, TICKS);	/* CNTV_TVAL */
	mcr(0, 14, 3, 1, 1u);		/* CNTV_CTL: enable */
}

int main(void)
{
	u32 i, got = 0, iar;

	stub_gic_on(IRQ_VTIMER);
	if (stub_bootarg("leave=", 0)) {
		arm_timer();
		while ((r32(GICC + GICC_HPPIR) & 0x3ff) != IRQ_VTIMER)
			;			/* irqs masked: it stays pending */
		printf("vtick: leaving with a tick pending\n");
		return 0;
	}
	for (i = 0; i < ROUNDS; i++) {
		arm_timer();
		asm volatile("wfi");		/* irqs masked: wfi still wakes */
		iar = r32(GICC + GICC_IAR);
		mcr(0, 14, 3, 1, 0u);		/* off: the line drops */
		w32(GICC + GICC_EOIR, iar);
		got += (iar & 0x3ff) == IRQ_VTIMER;
	}
	printf("vtick: %u of %u ticks\n", got, ROUNDS);
	return 0;
}
