/*
 * vecloop: a guest whose exception vectors point nowhere. one access
 * outside its memory, and every abort the hypervisor injects sends it to
 * a vector that aborts again, at the same pc, for ever; the hypervisor
 * must notice and stop it.
 */
#include "stub.h"

int main(void)
{
	printf("vecloop: VBAR to an address outside the VM, then a fault\n");
	mcr(0, 12, 0, 0, 0x20000000u);			/* VBAR */
	asm volatile("isb");
	(void)*(volatile u32 *)0x50000000u;
	printf("FAIL: came back\n");
	return 1;
}
