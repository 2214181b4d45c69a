/*
 * undef: an undefined instruction the guest handles alone (no trap), then
 * trapped accesses the hypervisor does not emulate, which it answers with
 * an injected undefined-instruction exception: an implementation-defined
 * c15 register (HSTR.T15, EC 0x03) and the physical timer's compare value
 * (CNTHCTL.PL1PCEN clear, EC 0x04).
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
	u32 lo, hi;

	exc_hook = on_undef;
	asm volatile("udf #0" ::: "memory");
	printf("undef: udf caught by the guest: %u\n", undefs);
	asm volatile("mrc p15, 0, %0, c15, c0, 0" : "=r"(lo));
	asm volatile("mrrc p15, 2, %0, %1, c14" : "=r"(lo), "=r"(hi));	/* CNTP_CVAL */
	printf("undef: %u undefined instructions caught, last at %s\n", undefs,
	       last_pc > 0x40000000 && last_pc < 0x40100000 ? "a guest pc" : "?");
	return 0;
}
