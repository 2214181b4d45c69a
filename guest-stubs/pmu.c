/*
 * pmu: the guest's own performance monitor beside the hypervisor's counter.
 * PMCR.N must show the counters the guest has (HDCR.HPMN), and PMCR.P must
 * reset those and not the one counting hyp cycles (QEMU 7.2 resets all, so
 * the hypervisor traps PMCR and does it itself). 20 null calls follow: their
 * costs, taken from that counter, must still make sense.
 */
#include "stub.h"

#define PMCR_E		(1u << 0)
#define PMCR_P		(1u << 1)
#define EV_INSTR	0x08u

static u32 counter0(void)
{
	mcr(0, 9, 12, 5, 0);				/* PMSELR: counter 0 */
	asm volatile("isb");
	return mrc(0, 9, 13, 2);			/* PMXEVCNTR */
}

int main(void)
{
	u32 n = mrc(0, 9, 12, 0) >> 11 & 0x1f, i, before, after;

	mcr(0, 9, 12, 5, 0);
	asm volatile("isb");
	mcr(0, 9, 13, 1, EV_INSTR);			/* PMXEVTYPER: instructions at PL1 */
	mcr(0, 9, 12, 1, 1u);				/* PMCNTENSET: counter 0 */
	mcr(0, 9, 12, 0, PMCR_E);
	asm volatile("isb");
	for (i = 0; i < 1000; i++)
		asm volatile("nop");
	before = counter0();
	mcr(0, 9, 12, 0, PMCR_E | PMCR_P);		/* reset the event counters */
	after = counter0();
	printf("pmu: %u event counters; counter 0 at %s, then %s after PMCR.P\n", n,
	       before >= 1000 ? "1000 or more" : "less than 1000",
	       after < 100 ? "under 100" : "100 or more");
	for (i = 0; i < 20; i++)
		hvc_call(HYP_CALL_NULL, 0, 0, 0);
	return 0;
}
