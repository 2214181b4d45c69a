/*
 * cycled: the VM a control stub (ctl.c) starts and destroys over and over.
 * each life it looks for the markers its last life left at three places in
 * its 2 MiB of RAM (its device tree at 1 MiB), which a new life must find wiped; asks for a control
 * call it may not make (it is no control VM: NOT_SUPPORTED); leaves the
 * markers; and says how it went by hvc, which the control stub counts in
 * the trap log: a null call for every life, and an hvc #1 before it for a
 * life that found a marker or was not refused.
 */
#include "stub.h"

static volatile u32 *const marks[] = {
	(volatile u32 *)0x400c0000u, (volatile u32 *)0x40180004u, (volatile u32 *)0x401ffff0u,
};

int main(void)
{
	u32 i, bad = hvc_call(HYP_CTL_LIST, 0, 0, 0).r0 != (u32)HYP_CTL_UNSUPPORTED;

	for (i = 0; i < 3; i++) {
		bad |= *marks[i] != 0;
		*marks[i] = 0xc1c1ed00u + i;
	}
	asm volatile("dsb" ::: "memory");
	if (bad) {
		register u32 r0 asm("r0") = HYP_CALL_NULL;

		asm volatile("hvc #1" : "+r"(r0) : : "r1", "r2", "r3", "memory");
	}
	hvc_call(HYP_CALL_NULL, 0, 0, 0);
	for (;;)
		asm volatile("wfi"); /* until destroyed */
}
