/*
 * pingpong: N WFIs in a row, timed by the pmu's instruction counter (which
 * counts for every VM on the cpu, in PL1 and hyp). alone, a WFI comes
 * straight back; with a second pingpong on the same cpu, each WFI hands
 * the cpu over, so the difference is the cost of the world switches.
 */
#include "stub.h"

#define N	200

int main(void)
{
	u32 i, t0, t1;

	mcr(0, 9, 12, 5, 0);				/* PMSELR: counter 0 */
	mcr(0, 9, 13, 1, 0x08u | 1u << 27);		/* instructions, hyp too (NSH) */
	mcr(0, 9, 12, 1, 1u);				/* PMCNTENSET */
	mcr(0, 9, 12, 0, 1u);				/* PMCR.E */
	for (i = 0; i < 10; i++)			/* both sides set up */
		asm volatile("wfi");
	t0 = mrc(0, 9, 13, 2);
	for (i = 0; i < N; i++)
		asm volatile("wfi");
	t1 = mrc(0, 9, 13, 2);
	printf("pingpong: %u instructions per round\n", (t1 - t0) / N);
	return 0;
}
