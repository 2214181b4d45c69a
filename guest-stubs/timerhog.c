/*
 * timerhog: lets its virtual timer fire with interrupts masked and spins
 * for 50 ms, so it is switched out with the timer's interrupt taken by the
 * hypervisor and not yet finished; then it takes it. a VM beside it on the
 * same cpu (reset) resets itself meanwhile: the hypervisor must neither
 * lose this interrupt nor hang on it (it once spun on it, see test_fuzz.py),
 * nor deliver it twice (the soft timer used to add a copy while it was
 * switched out).
 */
#include "stub.h"

static volatile u32 irqs, spurious;

static void irq(enum exc_kind kind, struct exc_frame *f)
{
	u32 iar = *(volatile u32 *)(GICC + GICC_IAR);

	if (kind != EXC_IRQ) {
		printf("FAIL: exception %u at %08x\n", kind, f->pc);
		power_off();
	}
	if ((iar & 0x3ff) == IRQ_VTIMER && mrc(0, 14, 3, 1) & 4) {	/* CNTV_CTL.ISTATUS */
		irqs++;
		stub_vtimer_set(0, 0);
	} else if ((iar & 0x3ff) == IRQ_VTIMER) {
		spurious++;			/* its timer is off: a second copy */
	}
	*(volatile u32 *)(GICC + GICC_EOIR) = iar;
}

int main(void)
{
	u64 end = stub_cntvct() + stub_cntfrq() / 20;

	exc_hook = irq;
	stub_gic_on(IRQ_VTIMER);
	stub_vtimer_set(0, 1);				/* due at once */
	while (stub_cntvct() < end)
		;
	asm volatile("cpsie i");
	while (!irqs)
		asm volatile("wfi");
	end = stub_cntvct() + stub_cntfrq() / 50;	/* 20 ms more for a copy to come */
	while (stub_cntvct() < end)
		;
	asm volatile("cpsid i");
	printf("timerhog: held its timer interrupt 50 ms, then took it: %u time(s), "
	       "%u more with its timer off\n", irqs, spurious);
	return 0;
}
