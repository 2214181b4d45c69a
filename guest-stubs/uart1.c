/*
 * uart1: a serial line of the board's own, passed through (vexpress-a15's UART1,
 * vms/board-vexpress-a15.conf): found in the device tree as the PL011 that is not
 * the emulated console, written directly (no exit) and its transmit interrupt
 * taken through a list register linked to the physical SPI.
 */
#include "stub.h"
#include "fdt.h"
#include "lib.h"

#define UARTDR	 0x000
#define UARTFR	 0x018
#define UARTIMSC 0x038
#define UARTMIS	 0x040
#define UARTICR	 0x044
#define TXI	 (1u << 5)

extern u32 boot_r2;

static u32 r32(u32 a) { return *(volatile u32 *)a; }
static void w32(u32 a, u32 v) { *(volatile u32 *)a = v; }

int main(void)
{
	const void *dtb = (const void *)boot_r2;
	const char *msg = "hello from vm uart1, on a line of its own\n", *c;
	u32 base = 0, irq = 0, len, iar, k;
	const u32 *reg, *in;
	int n;

	for (n = fdt_first_subnode(dtb, 0); n >= 0 && !base; n = fdt_next_subnode(dtb, n)) {
		c = fdt_getprop(dtb, n, "compatible", &len);
		reg = fdt_getprop(dtb, n, "reg", &len);
		in = fdt_getprop(dtb, n, "interrupts", &len);
		if (c && reg && in && !strcmp(c, "arm,pl011") &&
		    (u32)fdt_read_cells(reg, 2) != UART_DR) {
			base = (u32)fdt_read_cells(reg, 2);
			irq = 32 + (u32)fdt_read_cells(in + 1, 1);
		}
	}
	if (!base) {
		printf("FAIL: uart1: no second arm,pl011 in the device tree\n");
		return 1;
	}
	for (c = msg; *c; c++) {
		while (r32(base + UARTFR) & (1u << 5)) /* TXFF */
			;
		w32(base + UARTDR, (u8)*c);
	}
	w32(GICD + GICD_ISENABLER0 + 4 * (irq / 32), 1u << (irq % 32));
	w32(GICD + GICD_CTLR, 1);
	w32(GICC + GICC_PMR, 0xff);
	w32(GICC + GICC_CTLR, 1);
	w32(base + UARTIMSC, TXI); /* its fifo is empty: the line goes up */
	for (k = 0; k < 1000000 && ((iar = r32(GICC + GICC_IAR)) & 0x3ff) == 1023; k++)
		;
	k = r32(base + UARTMIS);
	w32(base + UARTIMSC, 0);
	w32(base + UARTICR, TXI);
	w32(GICC + GICC_EOIR, iar);
	printf("uart1: %zu bytes at %#x; interrupt %u taken, MIS %#x\n", strlen(msg), base,
	       iar & 0x3ff, k);
	return 0;
}
