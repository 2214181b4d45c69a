/*
 * abort: accesses outside the VM's memory: loads and stores at addresses
 * stage 2 does not map (including where the hypervisor's GICH lives) and an
 * instruction fetch. each comes back as an abort to the stub's own handler.
 */
#include "stub.h"

static volatile u32 dabts, pabts, fsr, far, fails;
static volatile u32 recover;

static void on_abort(enum exc_kind kind, struct exc_frame *f)
{
	if (kind == EXC_DABT) {
		dabts++;
		asm volatile("mrc p15, 0, %0, c5, c0, 0" : "=r"(fsr));	/* DFSR */
		asm volatile("mrc p15, 0, %0, c6, c0, 0" : "=r"(far));	/* DFAR */
		f->pc += 4;
	} else if (kind == EXC_PABT) {
		pabts++;
		asm volatile("mrc p15, 0, %0, c5, c0, 1" : "=r"(fsr));	/* IFSR */
		asm volatile("mrc p15, 0, %0, c6, c0, 2" : "=r"(far));	/* IFAR */
		f->pc = recover;
	} else {
		printf("FAIL: exception %u at %08x\n", kind, f->pc);
		power_off();
	}
}

static void expect(const char *what, u32 got, u32 want)
{
	if (got != want) {
		printf("FAIL: %s = %08x, want %08x\n", what, got, want);
		fails++;
	}
}

int main(void)
{
	exc_hook = on_abort;

	(void)*(volatile u32 *)0x50000000u;		/* past the end of ram */
	expect("read far", far, 0x50000000);
	expect("read fsr", fsr, 0x008);		/* sync external abort */
	*(volatile u32 *)0x20000000u = 1;		/* flash, not given */
	expect("write far", far, 0x20000000);
	expect("write fsr", fsr, 0x808);		/* WnR */
	(void)*(volatile u32 *)0x08030000u;		/* GICH: the hypervisor's */
	expect("gich far", far, 0x08030000);

	/* jump outside ram; the handler comes back to the label */
	asm volatile("adr r1, 1f\n\t"
		     "str r1, [%0]\n\t"
		     "mov r0, #0x60000000\n\t"
		     "blx r0\n"
		     "1:" :: "r"(&recover) : "r0", "r1", "lr", "memory");
	expect("fetch far", far, 0x60000000);
	expect("fetch fsr", fsr, 0x008);
	printf("abort: %u data aborts, %u prefetch aborts, %u wrong values\n",
	       dabts, pabts, fails);
	return 0;
}
