/*
 * attack-kick: takes a neighbour's cpu time with kicks (issue: isolation,
 * hole 4). vcpu 0 sits on the victim's cpu, idle in WFI; vcpu 1, on the
 * other cpu, floods its distributor with changes aimed at vcpu 0 that make
 * nothing deliverable, each of which used to cost the victim's cpu an SGI,
 * an exit and the end of its slice. "pairs=N" a phase:
 *   1. ISPENDR/ICPENDR of a disabled SPI (the uart's, targeted at vcpu 0)
 *   2. the same SPI enabled, with the distributor's group 0 off
 *   3. ISACTIVER/ICACTIVER of it (an active interrupt is never signalled)
 *   4. one SGI to vcpu 0, which it takes: its only wake; it turns its cpu
 *      interface off (GICC_CTLR 0) and waits again
 *   5. ISPENDR/ICPENDR of the SPI, enabled, and an SGI, for each pair:
 *      its cpu interface is off, it can take neither
 * then vcpu 1 reports each phase's virtual time and vcpu 0's interrupts,
 * and powers the VM off (make bench-attack runs it beside a neighbour).
 * "self=1", the control: the same writes aimed at vcpu 1 itself, which
 * runs (no SGI to vcpu 0: it sleeps throughout).
 */
#include "stub.h"

#define SPI		33		/* the uart's: a line this VM owns */
#define SPI_BIT		(1u << (SPI % 32))
#define GICD_ISENABLER1	0x104
#define GICD_ICENABLER1	0x184
#define GICD_ISPENDR1	0x204
#define GICD_ICPENDR1	0x284
#define GICD_ISACTIVER1	0x304
#define GICD_ICACTIVER1	0x384
#define GICD_ITARGETSR	0x800
#define GICD_SGIR	0xf00
#define SGI_WAKE	1

static u8 stack1[STUB_STACK_SIZE] __attribute__((aligned(8)));
static volatile u32 irqs, quiet;		/* vcpu 0's interrupts; its interface off */
static u32 pairs, to;			/* the target: vcpu 0's bit, or vcpu 1's */

static void w32(u32 off, u32 v) { *(volatile u32 *)(GICD + off) = v; }

/* vcpu 0: the SGI it is woken by turns its cpu interface off */
static void take(enum exc_kind kind, struct exc_frame *f)
{
	u32 iar;

	if (kind != EXC_IRQ) {
		printf("FAIL: exception %u at %08x\n", kind, f->pc);
		power_off();
	}
	iar = *(volatile u32 *)(GICC + GICC_IAR);
	if ((iar & 0x3ff) == 1023)
		return;
	irqs++;
	*(volatile u32 *)(GICC + GICC_EOIR) = iar;
	if ((iar & 0x3ff) == SGI_WAKE) {
		*(volatile u32 *)(GICC + GICC_CTLR) = 0;
		quiet = 1;
	}
}

static u64 us(u64 ticks)
{
	return ticks * 1000000 / stub_cntfrq();
}

/* n rounds of the writes given (offset, value; up to three), timed */
static u64 flood(u32 o1, u32 v1, u32 o2, u32 v2, u32 o3, u32 v3)
{
	u64 t = stub_cntvct();
	u32 i;

	for (i = 0; i < pairs; i++) {
		w32(o1, v1);
		w32(o2, v2);
		if (o3)
			w32(o3, v3);
	}
	return us(stub_cntvct() - t);
}

static void flooder(void)
{
	u64 t[4];

	*(volatile u8 *)(GICD + GICD_ITARGETSR + SPI) = to;
	w32(GICD_ICENABLER1, SPI_BIT);
	t[0] = flood(GICD_ISPENDR1, SPI_BIT, GICD_ICPENDR1, SPI_BIT, 0, 0);
	w32(GICD_ISENABLER1, SPI_BIT);
	w32(GICD_CTLR, 0);
	t[1] = flood(GICD_ISPENDR1, SPI_BIT, GICD_ICPENDR1, SPI_BIT, 0, 0);
	w32(GICD_CTLR, 1);
	t[2] = flood(GICD_ISACTIVER1, SPI_BIT, GICD_ICACTIVER1, SPI_BIT, 0, 0);
	if (to == 1)
		w32(GICD_SGIR, 1u << 16 | SGI_WAKE);		/* to vcpu 0 */
	while (to == 1 && !quiet)
		;
	t[3] = flood(GICD_ISPENDR1, SPI_BIT, GICD_ICPENDR1, SPI_BIT, GICD_SGIR,
		     to << 16 | SGI_WAKE);
	printf("attack-kick: %u pairs a phase: disabled %llu us, distributor off %llu us, "
	       "active %llu us, interface off %llu us\n", pairs, t[0], t[1], t[2], t[3]);
	printf("attack-kick: vcpu 0 took %u interrupts\n", irqs);
	power_off();
}

int main(void)
{
	pairs = stub_bootarg("pairs=", 5000);
	to = stub_bootarg("self=", 0) ? 2 : 1;
	exc_hook = take;
	stub_gic_on(SGI_WAKE);
	if (stub_cpu_on(1, flooder, &stack1[STUB_STACK_SIZE]) != 0) {
		printf("FAIL: CPU_ON\n");
		return 1;
	}
	asm volatile("cpsie i");
	for (;;)
		asm volatile("wfi");
}
