/*
 * ptimer: a guest that uses the physical timer, which the hypervisor
 * emulates (its registers trap). with the distributor and the cpu
 * interface (GICV behind stage 2) on, it arms CNTP_TVAL three times, waits
 * in WFI for PPI 14 (ID 30), acknowledges it at the cpu interface and
 * checks that no less than the programmed time passed.
 */
#include "stub.h"

#define IRQ_PTIMER	30
#define TICKS		3125000		/* 50 ms at 62.5 MHz: 1 ms could pass before the WFI on a loaded host */

static void w32(u32 a, u32 v) { *(volatile u32 *)a = v; }
static u32 r32(u32 a) { return *(volatile u32 *)a; }

static u64 cntpct(void)
{
	u64 v;

	asm volatile("isb\n\tmrrc p15, 0, %Q0, %R0, c14" : "=r"(v));
	return v;
}

int main(void)
{
	u32 i, ok = 0, iar, ctl;
	u64 t0, t1, cval;

	stub_gic_on(IRQ_PTIMER);
	for (i = 0; i < 3; i++) {
		t0 = cntpct();
		mcr(0, 14, 2, 0, TICKS);			/* CNTP_TVAL */
		mcr(0, 14, 2, 1, 1u);				/* CNTP_CTL: enable */
		asm volatile("wfi");				/* irqs masked: wfi still wakes */
		iar = r32(GICC + GICC_IAR);
		t1 = cntpct();
		ctl = mrc(0, 14, 2, 1);
		asm volatile("mrrc p15, 2, %Q0, %R0, c14" : "=r"(cval));	/* CNTP_CVAL */
		mcr(0, 14, 2, 1, 0u);				/* off: the line drops */
		w32(GICC + GICC_EOIR, iar);
		if ((iar & 0x3ff) == IRQ_PTIMER && t1 - t0 >= TICKS && (ctl & 4) && cval <= t1)
			ok++;
		else
			printf("ptimer: round %u: iar %u, %llu ticks, ctl %x\n", i, iar & 0x3ff,
			       t1 - t0, ctl);
	}
	printf("ptimer: %u of 3 timer interrupts on time\n", ok);
	return 0;
}
