/*
 * pingpong: N WFIs in a row, timed by the virtual counter: under -icount
 * shift=0 a nanosecond is an instruction, anyone's on the cpu (every VM's,
 * the hypervisor's). its own pmu counter would no longer do: it counts only
 * while its vcpu is loaded (vpmu.c). alone, a WFI comes straight back; with
 * a second pingpong on the same cpu, each WFI hands the cpu over, so the
 * difference is the cost of the world switches. "pmu=1" writes to its pmu
 * first, so that the world switch moves that too.
 */
#include "stub.h"

#define N	2000

int main(void)
{
	u32 i;
	u64 t0, t1;

	if (stub_bootarg("pmu=", 0)) {
		mcr(0, 9, 12, 5, 0);			/* PMSELR: counter 0 */
		mcr(0, 9, 13, 1, 0x08u);		/* instructions */
		mcr(0, 9, 12, 1, 1u);			/* PMCNTENSET */
		mcr(0, 9, 12, 0, 1u);			/* PMCR.E */
	}
	for (i = 0; i < 10; i++)			/* both sides set up */
		asm volatile("wfi");
	t0 = stub_cntvct();
	for (i = 0; i < N; i++)
		asm volatile("wfi");
	t1 = stub_cntvct();
	printf("pingpong: %u instructions per round\n",
	       (u32)((t1 - t0) * 1000000000ull / stub_cntfrq() / N));
	return 0;
}
