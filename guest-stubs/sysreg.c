/*
 * sysreg: coprocessor accesses the hypervisor traps and emulates: ACTLR
 * (HCR.TAC) and debug registers on cp14 (HDCR.TDA). L2CTLR (HCR.TIDCP)
 * and DBGDRAR (HDCR.TDRA) are read too: qemu 7.2 answers them itself
 * without trapping, real cortex-a15s trap them.
 */
#include "stub.h"

static u32 fails;

static void expect(const char *what, u32 got, u32 want)
{
	if (got != want) {
		printf("FAIL: %s = %08x, want %08x\n", what, got, want);
		fails++;
	}
}

int main(void)
{
	u32 lo, hi;

	mrc(0, 1, 0, 1);				/* ACTLR read */
	mcr(0, 1, 0, 1, 0x40u);				/* ACTLR write (SMP bit) */
	expect("actlr", mrc(0, 1, 0, 1), 0x40);		/* reads back */
	lo = mrc(1, 9, 0, 2);				/* L2CTLR */
	printf("sysreg: 3 actlr accesses, l2ctlr %08x\n", lo);

	asm volatile("mrc p14, 0, %0, c0, c0, 0" : "=r"(lo));	/* DBGDIDR */
	expect("dbgdidr", lo, 5u << 16);
	asm volatile("mrc p14, 0, %0, c0, c1, 0" : "=r"(lo));	/* DBGDSCRint */
	expect("dbgdscr", lo, 0);
	asm volatile("mcr p14, 0, %0, c0, c0, 4" :: "r"(0x1234u));	/* DBGBVR0 */
	asm volatile("mrrc p14, 0, %0, %1, c1" : "=r"(lo), "=r"(hi));	/* DBGDRAR */
	printf("sysreg: 3 cp14 accesses, %u wrong values\n", fails);
	/* DBGDSCRint into APSR_nzcv (reads 0): the flags clear, the next instruction runs */
	asm volatile("msr apsr_nzcvq, %1\n\t"
		     "mrc p14, 0, APSR_nzcv, c0, c1, 0\n\t"
		     "mrs %0, apsr" : "=r"(lo) : "r"(0xf0000000u) : "cc");
	printf("sysreg: mrc to APSR_nzcv: flags %x\n", lo >> 28);
	return 0;
}
