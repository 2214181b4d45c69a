/*
 * undef: an undefined instruction the guest handles alone (no trap), then
 * a trapped access the hypervisor does not emulate, an implementation-
 * defined c15 register (HSTR.T15, EC 0x03), which it answers with an
 * injected undefined-instruction exception; and an MRRC of the physical
 * timer's CNTP_CVAL (trapped, EC 0x04) with the pc as Rt2, UNPREDICTABLE,
 * also answered with an undef.
 */
#include "stub.h"

static volatile u32 undefs, last_pc;

static void on_undef(enum exc_kind kind, struct exc_frame *f)
{
	if (kind != EXC_UNDEF) {
		printf("FAIL: exception %u at %08x\n", kind, f->pc);
		power_off();
	}
	undefs++;
	last_pc = f->pc - 4;	/* f->pc is past the instruction */
}

int main(void)
{
	u32 lo;

	exc_hook = on_undef;
	asm volatile("udf #0" ::: "memory");
	printf("undef: udf caught by the guest: %u\n", undefs);
	asm volatile("mrc p15, 0, %0, c15, c0, 0" : "=r"(lo));
	printf("undef: %u undefined instructions caught, last at %s\n", undefs,
	       last_pc > GUEST_KERNEL_IPA && last_pc < GUEST_RAM_IPA + 0x100000 ? "a guest pc" : "?");
	(void)lo;
	asm volatile(".word 0xec5f0f2e" ::: "r0", "memory");	/* mrrc p15, 2, r0, pc, c14 */
	printf("undef: mrrc into the pc: %u undefined instructions caught\n", undefs);
	return 0;
}
