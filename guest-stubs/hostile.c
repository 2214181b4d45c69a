/*
 * hostile: a guest that tries to get out. it reads every MiB of its 4 GiB
 * IPA space, writes beyond its RAM and where the hypervisor's GICH and the
 * physical GICV live, and asks PSCI to start cpus that are not its own.
 * all it may get are aborts and errors; the test checks that a VM running
 * beside it is untouched.
 */
#include "stub.h"


int main(void)
{
	u32 a, probes = 0, readable = 0, before;

	int on1, on5, on0;

	exc_hook = skip_data_aborts;
	for (a = 0;; a += 1u << 20) {
		u32 v, was = stub_aborts;

		asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");	/* asm: even at 0 */
		probes++;
		readable += stub_aborts == was;
		if (a == 0xfff00000u)
			break;
	}
	printf("hostile: %u MiB probed, %u readable, %u aborted\n", probes, readable,
	       stub_aborts);
	before = stub_aborts;
	*(volatile u32 *)0x41000000u = 0xdead;		/* just past its 16 MiB */
	*(volatile u32 *)0x08030000u = 0xdead;		/* GICH */
	*(volatile u32 *)0x08040000u = 0xdead;		/* the physical GICV */
	*(volatile u32 *)0x4f000000u = 0xdead;		/* where a neighbour might be */
	printf("hostile: 4 writes outside, %u aborted\n", stub_aborts - before);
	on1 = (int)hvc_call(PSCI_CPU_ON, 1, (u32)GUEST_KERNEL_IPA, 0).r0;	/* not its cpu */
	on5 = (int)hvc_call(PSCI_CPU_ON, 5, (u32)GUEST_KERNEL_IPA, 0).r0;
	on0 = (int)hvc_call(PSCI_CPU_ON, 0, (u32)GUEST_KERNEL_IPA, 0).r0;	/* itself */
	printf("hostile: CPU_ON cpu 1: %d, cpu 5: %d, cpu 0: %d\n", on1, on5, on0);
	return 0;
}
