/*
 * uart1fwd: a serial line of the board's own, forwarded (orangepi-pc's UART1, a 16550
 * in the page of the hypervisor's UART0, vms/board-orangepi-pc.conf): found in the
 * device tree as the snps,dw-apb-uart; each access traps and the hypervisor makes it.
 * writes a line, takes a key by its received-data interrupt (linked to the physical
 * SPI), then tries what the device does not take: a byte and a halfword (its
 * reg-io-width is 4), a word past its region (UART2's) and one before it (UART0's).
 */
#include "stub.h"
#include "fdt.h"
#include "lib.h"

#define RBR	   0x00 /* registers 4 bytes apart (reg-shift 2) */
#define THR	   0x00
#define IER	   0x04
#define IIR	   0x08
#define LSR	   0x14
#define IER_ERBFI  (1u << 0)
#define LSR_DR	   (1u << 0)
#define LSR_THRE   (1u << 5)

extern u32 boot_r2;
static u32 accesses;

/* plain ldr and str, as linux's readl and writel: the compiler's post-indexed store
 * (write-back) gives the hypervisor no syndrome, and the guest its data abort */
static u32 r32(u32 a)
{
	u32 v;

	accesses++;
	asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static void w32(u32 a, u32 v)
{
	accesses++;
	asm volatile("str %0, [%1]" ::"r"(v), "r"(a) : "memory");
}

int main(void)
{
	const void *dtb = (const void *)boot_r2;
	const char *msg = "hello from vm uart1, through the hypervisor\n", *c;
	u32 base = 0, size = 0, irq = 0, len, iar = 1023, iir = 0, key = 0, polls = 0, k;
	const u32 *reg, *in;
	int n;

	for (n = fdt_first_subnode(dtb, 0); n >= 0 && !base; n = fdt_next_subnode(dtb, n)) {
		c = fdt_getprop(dtb, n, "compatible", &len);
		reg = fdt_getprop(dtb, n, "reg", &len);
		in = fdt_getprop(dtb, n, "interrupts", &len);
		if (c && reg && in && !strcmp(c, "snps,dw-apb-uart")) {
			base = (u32)fdt_read_cells(reg, 2);
			size = (u32)fdt_read_cells(reg + 2, 2);
			irq = 32 + (u32)fdt_read_cells(in + 1, 1);
		}
	}
	if (!base) {
		printf("FAIL: uart1fwd: no snps,dw-apb-uart in the device tree\n");
		return 1;
	}
	for (c = msg; *c; c++) {
		while (polls++, !(r32(base + LSR) & LSR_THRE))
			;
		w32(base + THR, (u8)*c);
	}
	/* the key: QEMU delivered it at its start, so the line goes up with ERBFI */
	*(volatile u32 *)(GICD + GICD_ISENABLER0 + 4 * (irq / 32)) = 1u << (irq % 32);
	*(volatile u32 *)(GICD + GICD_CTLR) = 1;
	*(volatile u32 *)(GICC + GICC_PMR) = 0xff;
	*(volatile u32 *)(GICC + GICC_CTLR) = 1;
	w32(base + IER, IER_ERBFI);
	for (k = 0; k < 10000000 && ((iar = *(volatile u32 *)(GICC + GICC_IAR)) & 0x3ff) == 1023;
	     k++)
		;
	if ((iar & 0x3ff) != 1023) {
		iir = r32(base + IIR);
		if (r32(base + LSR) & LSR_DR)
			key = r32(base + RBR);
	}
	w32(base + IER, 0);
	if ((iar & 0x3ff) != 1023)
		*(volatile u32 *)(GICC + GICC_EOIR) = iar;
	printf("uart1fwd: %zu bytes at %#x (%#x bytes), %u status reads; key '%c' by interrupt "
	       "%u, IIR %#x; %u accesses\n",
	       strlen(msg), base, size, polls, key ? (char)key : '?', iar & 0x3ff, iir & 0xff,
	       accesses);

	/* what the device does not take: each a data abort, and nothing done */
	exc_hook = skip_data_aborts;
	asm volatile("ldrb %0, [%1]" : "=r"(k) : "r"(base + LSR) : "memory");
	asm volatile("ldrh %0, [%1]" : "=r"(k) : "r"(base + LSR) : "memory");
	asm volatile("ldr %0, [%1]" : "=r"(k) : "r"(base + size + LSR) : "memory");
	/* UART0: the hypervisor's console */
	asm volatile("str %0, [%1]" ::"r"('!'), "r"(base - size + THR) : "memory");
	exc_hook = NULL;
	printf("uart1fwd: %u data aborts: a byte, a halfword, past the end, uart0\n", stub_aborts);

	/*
	 * the clock and reset controller its tree gives it (shared with the board:
	 * each register read whole, written to its UART's bits alone): every bit of
	 * every register flipped, then put back. only UART1's gate (0x6c) and reset
	 * (0x2d8), bit 17, may change; not UART0's beside them, the console's
	 */
	for (n = fdt_first_subnode(dtb, 0), base = 0; n >= 0; n = fdt_next_subnode(dtb, n)) {
		c = fdt_getprop(dtb, n, "compatible", &len);
		reg = fdt_getprop(dtb, n, "reg", &len);
		if (c && reg && !strcmp(c, "allwinner,sun8i-h3-ccu")) {
			base = (u32)fdt_read_cells(reg, 2);
			size = (u32)fdt_read_cells(reg + 2, 2);
		}
	}
	if (!base) {
		printf("FAIL: uart1fwd: no allwinner,sun8i-h3-ccu in the device tree\n");
		return 1;
	}
	for (n = 0, polls = 0; n < (int)size; n += 4) {
		k = r32(base + n);
		w32(base + n, ~k);
		iir = r32(base + n) ^ k;
		w32(base + n, k);
		if (iir)
			printf("uart1fwd: ccu %#05x: bits %#010x flipped\n", n, iir);
		if (r32(base + n) != k)
			printf("FAIL: uart1fwd: ccu %#05x not put back\n", n);
		polls++;
	}
	printf("uart1fwd: ccu: %u registers flipped and put back\n", polls);
	return 0;
}
