/*
 * vgicd: the emulated distributor, register by register (IHI 0048B 4.3):
 * identification, a reserved range, access widths, interrupts the VM does
 * not own, priorities; then six interrupts pending at once, more than the
 * list registers hold, which must arrive in priority order.
 */
#include "stub.h"

static u32 fails;

static void w32(u32 a, u32 v) { *(volatile u32 *)a = v; }
static u32 r32(u32 a) { return *(volatile u32 *)a; }

static void expect(const char *what, u32 got, u32 want)
{
	if (got != want) {
		printf("FAIL: %s = %08x, want %08x\n", what, got, want);
		fails++;
	}
}

int main(void)
{
	static const u8 prio[6] = { 0x80, 0x40, 0xa0, 0x20, 0x60, 0x30 };
	static const u32 order[6] = { 19, 21, 17, 20, 16, 18 };
	u32 i, got[6], n = 0, tries = 0, v;

	exc_hook = skip_data_aborts;
	expect("typer", r32(GICD + 0x004), 1);			/* 64 lines, 1 cpu */
	expect("pidr2", r32(GICD + 0xfe8) >> 4 & 0xf, 2);	/* GICv2 */
	w32(GICD + 0x010, 0xffffffff);				/* reserved */
	expect("reserved", r32(GICD + 0x010), 0);
	asm volatile("ldrh %0, [%1]" : "=r"(v) : "r"(GICD) : "memory");	/* half: refused */
	asm volatile("ldrb %0, [%1]" : "=r"(v) : "r"(GICD + 0x100) : "memory");	/* byte */
	expect("aborts", stub_aborts, 2);
	w32(GICD + 0x104, 1u << 8 | 1u << 1);			/* enable SPIs 40 and 33 */
	expect("only owned enabled", r32(GICD + 0x104), 1u << 1);
	w32(GICD + 0x184, 1u << 1);
	for (i = 0; i < 6; i++)					/* byte-wide priorities */
		*(volatile u8 *)(GICD + 0x400 + 16 + i) = prio[i] | 7;
	expect("priority bytes", r32(GICD + 0x410), 0x20a04080);	/* low bits dropped */
	printf("vgicd: registers checked, %u accesses refused\n", stub_aborts);

	w32(GICD + 0x100, 0x3fu << 16);				/* enable PPIs 16-21 */
	w32(GICD + 0x200, 0x3fu << 16);				/* and make them pending */
	w32(GICD + 0x000, 1);
	w32(GICC + 0x004, 0xff);				/* GICC_PMR */
	w32(GICC + 0x000, 1);					/* GICC_CTLR */
	while (n < 6 && tries++ < 100000) {
		u32 iar = r32(GICC + GICC_IAR);

		if ((iar & 0x3ff) == 1023)
			continue;				/* the rest wait in the hypervisor */
		got[n++] = iar & 0x3ff;
		w32(GICC + GICC_EOIR, iar);
	}
	for (i = 0; i < 6; i++)
		expect("order", i < n ? got[i] : 0, order[i]);
	printf("vgicd: %u of 6 interrupts, in priority order: %s; %u wrong values\n", n,
	       n == 6 && !fails ? "yes" : "no", fails);
	return 0;
}
