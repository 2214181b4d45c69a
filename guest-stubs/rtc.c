/*
 * rtc: the board's PL031 real-time clock, passed through (docs/passthrough.md).
 * it finds the device in the device tree its VM got (compatible "arm,pl031"),
 * reads its registers directly (mapped by stage 2: no exit), then takes its
 * match interrupt (RTCMR = now + 1, RTCIMSC on) three times through a list
 * register linked to the physical SPI. the first boot leaves a fourth
 * interrupt taken and never ended, and resets the VM: the next boot must
 * find the device quiet and take its three again (the reset ended it).
 */
#include "stub.h"
#include "fdt.h"
#include "lib.h"

#define RTCDR	  0x000 /* data: seconds */
#define RTCMR	  0x004 /* match */
#define RTCIMSC	  0x010 /* interrupt mask set/clear */
#define RTCRIS	  0x014
#define RTCICR	  0x01c /* interrupt clear */
#define RTCPERIPH 0xfe0 /* PeriphID0-3, a byte per word */
#define ROUNDS	  3

extern u32 boot_r2;

static u32 r32(u32 a) { return *(volatile u32 *)a; }
static void w32(u32 a, u32 v) { *(volatile u32 *)a = v; }

/* the pl031's node in our device tree: its address and the interrupt we see */
static bool find(u32 *base, u32 *irq)
{
	const void *dtb = (const void *)boot_r2;
	const u32 *reg, *in;
	const char *c;
	u32 len;
	int n;

	if (fdt_check(dtb, 0x100000))
		return false;
	for (n = fdt_first_subnode(dtb, 0); n >= 0; n = fdt_next_subnode(dtb, n)) {
		c = fdt_getprop(dtb, n, "compatible", &len);
		reg = fdt_getprop(dtb, n, "reg", &len);
		in = fdt_getprop(dtb, n, "interrupts", &len);
		if (c && reg && in && !strcmp(c, "arm,pl031")) {
			*base = (u32)fdt_read_cells(reg, 2);
			*irq = 32 + (u32)fdt_read_cells(in + 1, 1);
			return true;
		}
	}
	return false;
}

/* the next interrupt our cpu interface offers, waiting in WFI (irqs masked) up to 3 s */
static u32 wait_irq(void)
{
	u64 end = stub_cntvct() + 3ull * stub_cntfrq();
	u32 iar;

	while ((iar = r32(GICC + GICC_IAR) & 0x3ff) == 1023 && stub_cntvct() < end)
		asm volatile("wfi");
	return iar;
}

int main(void)
{
	u32 boot = (hvc_call(HYP_CALL_NULL, 0, 0, 0).r3 + 1) / 2; /* two hvcs a boot */
	u32 base, irq, id = 0, k, ok = 0, iar, t;

	if (!find(&base, &irq)) {
		printf("FAIL: rtc: no arm,pl031 in the device tree\n");
		return 1;
	}
	for (k = 0; k < 4; k++)
		id |= (r32(base + RTCPERIPH + 4 * k) & 0xff) << 8 * k;
	t = r32(base + RTCDR);
	printf("rtc: boot %u: pl031 at %#x, interrupt %u, id %08x, the host's time: %s\n", boot,
	       base, irq, id, t > 1600000000u ? "yes" : "no");
	w32(base + RTCIMSC, 0); /* as a driver's probe: quiet, then cleared */
	w32(base + RTCICR, 1);
	w32(GICD + GICD_ISENABLER0 + 4 * (irq / 32), 1u << (irq % 32));
	w32(GICD + GICD_CTLR, 1);
	w32(GICC + GICC_PMR, 0xff);
	w32(GICC + GICC_CTLR, 1);
	for (k = 0; k < ROUNDS + (boot == 1); k++) {
		if (k == ROUNDS)
			printf("rtc: boot %u: %u of %u match interrupts\n", boot, ok, ROUNDS);
		t = r32(base + RTCDR);
		w32(base + RTCMR, t + 1);
		w32(base + RTCIMSC, 1);
		iar = wait_irq();
		if (k == ROUNDS) { /* taken, never ended: the reset must end it */
			printf("rtc: boot %u: interrupt %u left active, RIS %u: reset\n", boot, iar,
			       r32(base + RTCRIS));
			hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
		}
		ok += iar == irq && r32(base + RTCDR) >= t + 1 && r32(base + RTCRIS) == 1;
		w32(base + RTCICR, 1); /* the line drops, then the guest's EOI ends it */
		w32(base + RTCIMSC, 0);
		w32(GICC + GICC_EOIR, iar);
	}
	printf("rtc: boot %u: %u of %u match interrupts\n", boot, ok, ROUNDS);
	return 0;
}
