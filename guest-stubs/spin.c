/*
 * spin: a cpu-bound guest. it counts loop iterations from 1 s to 1 + N s of
 * the board's physical count (the same clock for every VM), never yielding:
 * only the hypervisor's time slices take the cpu from it. N is 10, or the
 * "seconds=N" of its command line.
 */
#include "stub.h"

static u64 cntpct(void)
{
	u64 v;

	asm volatile("isb\n\tmrrc p15, 0, %Q0, %R0, c14" : "=r"(v));
	return v;
}

int main(void)
{
	u32 secs = stub_bootarg("seconds=", 10);
	u64 hz = mrc(0, 14, 0, 0), start = hz, end = (1 + secs) * hz, n = 0;	/* CNTFRQ */

	while (cntpct() < start)
		;
	while (cntpct() < end)
		n++;
	printf("spin: %llu iterations in %u s\n", n, secs);
	return 0;
}
