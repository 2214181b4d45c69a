/*
 * vgicd: the emulated distributor, register by register (IHI 0048B 4.3):
 * identification, a reserved range, access widths, SPIs with no device,
 * priorities; then six interrupts pending at once, more than the list
 * registers hold, which must arrive in priority order.
 *
 * with "conform=1": a conformance run instead, every rule of 4.3 checked
 * on every vcpu the VM has (conform() below), a line per register group.
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

static void conform(void);

int main(void)
{
	static const u8 prio[6] = { 0x80, 0x40, 0xa0, 0x20, 0x60, 0x30 };
	static const u32 order[6] = { 19, 21, 17, 20, 16, 18 };
	u32 i, got[6], n = 0, tries = 0, v;

	exc_hook = skip_data_aborts;
	if (stub_bootarg("conform=", 0)) {
		conform();
		return 0;
	}
	expect("typer", r32(GICD + 0x004), 1);			/* 64 lines, 1 cpu */
	expect("pidr2", r32(GICD + 0xfe8) >> 4 & 0xf, 2);	/* GICv2 */
	w32(GICD + 0x010, 0xffffffff);				/* reserved */
	expect("reserved", r32(GICD + 0x010), 0);
	asm volatile("ldrh %0, [%1]" : "=r"(v) : "r"(GICD) : "memory");	/* half: refused */
	asm volatile("ldrb %0, [%1]" : "=r"(v) : "r"(GICD + 0x100) : "memory");	/* byte */
	expect("aborts", stub_aborts, 2);
	w32(GICD + 0x104, 1u << 8 | 1u << 1);			/* enable SPIs 40 and 33 */
	expect("every SPI enabled", r32(GICD + 0x104), 1u << 8 | 1u << 1);
	w32(GICD + 0x184, 1u << 8 | 1u << 1);
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

/* ------------------------------------------------------------------------
 * the conformance run. every id below ITLinesNumber's 64 is implemented,
 * SPIs with a device (33, its uart) or without; the ids above are not
 * (4.3: their fields read as zero, ignore writes).
 * vcpu 1, if there is one, runs the same checks on its own bank, then
 * both run the checks that need two. one vcpu acts at a time.
 */
#define GICD_IGROUPR	0x080
#define GICD_ICENABLER	0x180
#define GICD_ISPENDR	0x200
#define GICD_ICPENDR	0x280
#define GICD_ISACTIVER	0x300
#define GICD_ICACTIVER	0x380
#define GICD_IPRIORITYR	0x400
#define GICD_ITARGETSR	0x800
#define GICD_ICFGR	0xc00
#define GICD_SGIR	0xf00
#define GICD_CPENDSGIR	0xf10
#define GICD_SPENDSGIR	0xf20
#define UART_IMSC	(UART_DR + 0x038)
#define SPI_UART	33

enum { G_CTLR, G_ID, G_RESERVED, G_WIDTH, G_IGROUPR, G_ENABLER, G_PENDR, G_ACTIVER,
       G_PRIO, G_TARGETS, G_ICFGR, G_SGI, G_DELIVERY, G_SPI, G_NR };
static const char *const group_name[G_NR] = {
	"ctlr", "typer, iidr, id", "reserved", "widths", "igroupr", "is/icenabler",
	"is/icpendr", "is/icactiver", "ipriorityr", "itargetsr", "icfgr",
	"sgir, c/spendsgir", "delivery", "every spi",
};
static u32 checks[G_NR], wrong[G_NR];
static u32 ncpu, all;		/* vcpus, their bits */
static u8 cpu1_stack[0x4000] __attribute__((aligned(8)));
static void (*volatile cpu1_job)(void);

static u32 me(void)
{
	return mrc(0, 0, 0, 5) & 0xff;		/* MPIDR.Aff0 */
}

static u32 ld(u32 off, u32 width)
{
	u32 v, a = GICD + off;

	if (width == 1)
		asm volatile("ldrb %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	else if (width == 2)
		asm volatile("ldrh %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	else
		asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static void st(u32 off, u32 width, u32 v)
{
	u32 a = GICD + off;

	if (width == 1)
		asm volatile("strb %0, [%1]" :: "r"(v), "r"(a) : "memory");
	else if (width == 2)
		asm volatile("strh %0, [%1]" :: "r"(v), "r"(a) : "memory");
	else
		asm volatile("str %0, [%1]" :: "r"(v), "r"(a) : "memory");
}

static u32 rd(u32 off) { return ld(off, 4); }
static void wr(u32 off, u32 v) { st(off, 4, v); }

static void check(u32 g, u32 off, u32 got, u32 want)
{
	checks[g]++;
	if (got != want && wrong[g]++ < 4)
		printf("FAIL: vgicd: %s: vcpu %u, offset %03x: %08x, want %08x\n", group_name[g],
		       me(), off, got, want);
}

/* a write, then a read of the same register */
static void wcheck(u32 g, u32 off, u32 v, u32 want)
{
	wr(off, v);
	check(g, off, rd(off), want);
}

/* an access of width w that the distributor must refuse (abort), or take */
static void wcheck_abort(u32 off, u32 width, bool store, bool refused)
{
	u32 before = stub_aborts;

	if (store)
		st(off, width, 0);
	else
		(void)ld(off, width);
	check(G_WIDTH, off, stub_aborts - before, refused);
}

static bool impl(u32 irq) { return irq < 64; }

/* the reset-like state each group starts from */
static void clean(void)
{
	u32 k;

	wr(GICD_CTLR, 0);
	*(volatile u32 *)(GICC + GICC_CTLR) = 0;
	for (k = 0; k < 8; k += 4) {
		wr(GICD_ICENABLER + k, ~0u);
		wr(GICD_ICPENDR + k, ~0u);
		wr(GICD_ICACTIVER + k, ~0u);
		wr(GICD_IGROUPR + k, 0);
	}
	for (k = 0; k < 16; k += 4)
		wr(GICD_CPENDSGIR + k, ~0u);
	for (k = 0; k < 64; k += 4) {
		wr(GICD_IPRIORITYR + k, 0);
		if (k >= 32)
			wr(GICD_ITARGETSR + k, 0x01010101);
	}
	wr(GICD_ICFGR + 8, 0);
	wr(GICD_ICFGR + 12, 0);
	*(volatile u32 *)UART_IMSC = 0;
}

static void ctlr(void)
{
	static const u32 v[] = { ~0u, 0, 1, 2, 3, 0 };
	u32 k;

	for (k = 0; k < 6; k++)
		wcheck(G_CTLR, GICD_CTLR, v[k], v[k] & 3);	/* EnableGrp0, EnableGrp1 */
}

static void ids(void)
{
	static const u8 id[12] = { 4, 0, 0, 0, 0x90, 0xb4, 0x2b, 0, 0x0d, 0xf0, 0x05, 0xb1 };
	u32 typer = 1 | (ncpu - 1) << 5, k;	/* 64 ids; no Security Extensions */

	check(G_ID, 4, rd(4), typer);
	wcheck(G_ID, 4, ~0u, typer);
	check(G_ID, 8, rd(8), 0x0200043b);
	wcheck(G_ID, 8, ~0u, 0x0200043b);
	for (k = 0; k < 12; k++)
		check(G_ID, 0xfd0 + 4 * k, rd(0xfd0 + 4 * k), id[k]);
	wcheck(G_ID, 0xfe8, 0, 0x2b);
}

/* reserved and implementation-defined words, in the 4 KiB map and after it */
static void reserved(void)
{
	static const u32 range[][2] = {
		{ 0x00c, 0x080 }, { 0x7fc, 0x800 }, { 0xbfc, 0xc00 }, { 0xd00, 0xf00 },
		{ 0xf04, 0xf10 }, { 0xf30, 0xfd0 }, { 0x1000, 0x10000 },
	};
	u32 k, off;

	for (k = 0; k < 7; k++)
		for (off = range[k][0]; off < range[k][1]; off += 4)
			wcheck(G_RESERVED, off, ~0u, 0);
}

/* 4.1.4: words everywhere; bytes for the priority, target and SGI pending
 * registers; halfwords nowhere (this implementation's choice): aborts */
static void widths(void)
{
	u32 off, k, word;

	for (off = 0; off < 0x1000; off += 4) {
		bool bytes = (off >= 0x400 && off < 0xc00) || (off >= 0xf10 && off < 0xf30);

		wcheck_abort(off, 2, false, true);
		wcheck_abort(off + 2, 2, false, true);
		wcheck_abort(off, 2, true, true);
		for (k = 0; k < 4; k++)
			wcheck_abort(off + k, 1, false, !bytes);
		if (!bytes) {
			wcheck_abort(off, 1, true, true);
			continue;
		}
		word = rd(off);
		for (k = 0; k < 4; k++)
			check(G_WIDTH, off + k, ld(off + k, 1), word >> 8 * k & 0xff);
	}
	for (off = 0x1000; off < 0x10000; off += 0x100) {
		wcheck_abort(off, 2, false, true);
		wcheck_abort(off, 1, false, true);
	}
}

/* one bit per interrupt: the words past the implemented ids read as zero */
static void past_ids(u32 g, u32 set_reg, u32 clear_reg)
{
	u32 k;

	for (k = 8; k < 0x80; k += 4) {
		wr(set_reg + k, ~0u);
		check(g, set_reg + k, rd(set_reg + k), 0);
		if (clear_reg)
			check(g, clear_reg + k, rd(clear_reg + k), 0);
	}
}

static void igroupr(void)
{
	wcheck(G_IGROUPR, GICD_IGROUPR, ~0u, ~0u);
	wcheck(G_IGROUPR, GICD_IGROUPR, 0, 0);
	wcheck(G_IGROUPR, GICD_IGROUPR, 0x5a5aa5a5, 0x5a5aa5a5);
	wcheck(G_IGROUPR, GICD_IGROUPR + 4, ~0u, ~0u);
	wcheck(G_IGROUPR, GICD_IGROUPR + 4, 0, 0);
	past_ids(G_IGROUPR, GICD_IGROUPR, 0);
}

/* a write to the set (or clear) register; both must then read `want` */
static void pair(u32 g, u32 set, u32 clear, u32 k, bool to_clear, u32 v, u32 want)
{
	wr((to_clear ? clear : set) + k, v);
	check(g, set + k, rd(set + k), want);
	check(g, clear + k, rd(clear + k), want);
}

static void enabler(void)
{
	u32 s = GICD_ISENABLER0, c = GICD_ICENABLER;

	pair(G_ENABLER, s, c, 0, false, ~0u, ~0u);
	pair(G_ENABLER, s, c, 0, true, ~0u, 0xffff);	/* SGIs: always enabled */
	pair(G_ENABLER, s, c, 4, false, ~0u, ~0u);
	pair(G_ENABLER, s, c, 4, true, ~0u, 0);
	past_ids(G_ENABLER, s, c);
}

static void pendr(void)
{
	u32 s = GICD_ISPENDR, c = GICD_ICPENDR;

	pair(G_PENDR, s, c, 0, false, 0xffff, 0);	/* SGIs: read-only here */
	pair(G_PENDR, s, c, 0, false, 0xffff0000, 0xffff0000);
	pair(G_PENDR, s, c, 0, true, 0xffff, 0xffff0000);
	pair(G_PENDR, s, c, 0, true, 0xffff0000, 0);
	pair(G_PENDR, s, c, 4, false, ~0u, ~0u);
	pair(G_PENDR, s, c, 4, true, ~0u, 0);
	past_ids(G_PENDR, s, 0);
	/* enabled, the distributor on: four wait in the list registers */
	wr(GICD_ISENABLER0, 0xffff0000);
	wr(GICD_CTLR, 1);
	wcheck(G_PENDR, s, 0xffff0000, 0xffff0000);
	wr(c, 0x00ff0000);
	check(G_PENDR, s, rd(s), 0xff000000);
	wr(c, 0xff000000);
	check(G_PENDR, s, rd(s), 0);
	wr(GICD_ICENABLER, ~0u);
	wr(GICD_CTLR, 0);
	/* the uart's level-sensitive SPI: set pending, it stays when the line
	 * is low; while the line is high a clear does not clear it (3.2.4) */
	wr(s + 4, 1u << 1);
	*(volatile u32 *)UART_IMSC = 0;
	check(G_PENDR, s + 4, rd(s + 4), 1u << 1);
	wr(c + 4, 1u << 1);
	*(volatile u32 *)UART_IMSC = 1u << 5;		/* TXIM: its line goes high */
	check(G_PENDR, s + 4, rd(s + 4), 1u << 1);
	wr(c + 4, 1u << 1);
	check(G_PENDR, s + 4, rd(s + 4), 1u << 1);
	*(volatile u32 *)UART_IMSC = 0;
	check(G_PENDR, s + 4, rd(s + 4), 0);
}

static void activer(void)
{
	u32 s = GICD_ISACTIVER, c = GICD_ICACTIVER;

	pair(G_ACTIVER, s, c, 0, false, ~0u, ~0u);
	pair(G_ACTIVER, s, c, 0, true, ~0u, 0);
	pair(G_ACTIVER, s, c, 4, false, ~0u, ~0u);
	pair(G_ACTIVER, s, c, 4, true, ~0u, 0);
	past_ids(G_ACTIVER, s, c);
	wcheck(G_ACTIVER, s, 0x00ff00ff, 0x00ff00ff);
	wr(c, 0x000f000f);
	check(G_ACTIVER, s, rd(s), 0x00f000f0);
	wcheck(G_ACTIVER, c, ~0u, 0);
}

/* five bits for every implemented interrupt (7:3), none for the others */
static void ipriorityr(void)
{
	u32 irq, w, k, want;

	for (irq = 0; irq < 1020; irq++) {
		st(GICD_IPRIORITYR + irq, 1, 0xff);
		check(G_PRIO, GICD_IPRIORITYR + irq, ld(GICD_IPRIORITYR + irq, 1),
		      impl(irq) ? 0xf8 : 0);
	}
	for (w = 0; w < 255; w++) {
		for (want = 0, k = 0; k < 4; k++)
			want |= (impl(4 * w + k) ? 0xf8u : 0) << 8 * k;
		check(G_PRIO, GICD_IPRIORITYR + 4 * w, rd(GICD_IPRIORITYR + 4 * w), want);
		wcheck(G_PRIO, GICD_IPRIORITYR + 4 * w, 0x9c63a5ff ^ w, (0x9c63a5ff ^ w) & want);
		wr(GICD_IPRIORITYR + 4 * w, 0);
	}
}

static void itargetsr(void)
{
	u32 off, k, want;

	if (ncpu == 1) {		/* a uniprocessor GIC: all RAZ/WI (4.3.12) */
		for (off = GICD_ITARGETSR; off < GICD_ITARGETSR + 0x400; off++) {
			st(off, 1, 0xff);
			check(G_TARGETS, off, ld(off, 1), 0);
		}
		for (off = GICD_ITARGETSR; off < GICD_ITARGETSR + 0x400; off += 4)
			check(G_TARGETS, off, rd(off), 0);
		return;
	}
	/* SGIs and PPIs: read-only, each field the reader's own bit */
	for (off = GICD_ITARGETSR; off < GICD_ITARGETSR + 32; off += 4) {
		check(G_TARGETS, off, rd(off), 0x01010101u << me());
		wcheck(G_TARGETS, off, 0, 0x01010101u << me());
		for (k = 0; k < 4; k++) {
			check(G_TARGETS, off + k, ld(off + k, 1), 1u << me());
			st(off + k, 1, 0);
			check(G_TARGETS, off + k, ld(off + k, 1), 1u << me());
		}
	}
	/* SPIs: a byte write sets that byte; bits of vcpus the VM lacks are dropped */
	for (off = GICD_ITARGETSR + 32; off < GICD_ITARGETSR + 0x3fc; off += 4) {
		wcheck(G_TARGETS, off, 0, 0);
		for (want = 0, k = 0; k < 4; k++) {
			st(off + k, 1, 0xff);
			want |= impl(off - GICD_ITARGETSR + k) ? all << 8 * k : 0;
			check(G_TARGETS, off, rd(off), want);
		}
		wr(off, 0);
	}
	st(GICD_ITARGETSR + SPI_UART, 1, 2);
	check(G_TARGETS, GICD_ITARGETSR + SPI_UART, ld(GICD_ITARGETSR + SPI_UART, 1), 2);
	st(GICD_ITARGETSR + SPI_UART, 1, 1);
	check(G_TARGETS, GICD_ITARGETSR + 32, rd(GICD_ITARGETSR + 32), 1u << 8);
}

static void icfgr(void)
{
	u32 k;

	check(G_ICFGR, GICD_ICFGR, rd(GICD_ICFGR), 0xaaaaaaaa);	/* SGIs: edge, fixed */
	wcheck(G_ICFGR, GICD_ICFGR, 0, 0xaaaaaaaa);
	wcheck(G_ICFGR, GICD_ICFGR, ~0u, 0xaaaaaaaa);
	check(G_ICFGR, GICD_ICFGR + 4, rd(GICD_ICFGR + 4), 0);	/* PPIs: level, fixed */
	wcheck(G_ICFGR, GICD_ICFGR + 4, ~0u, 0);
	for (k = 8; k < 16; k += 4) {			/* SPIs: [1] only */
		wcheck(G_ICFGR, GICD_ICFGR + k, ~0u, 0xaaaaaaaa);
		wcheck(G_ICFGR, GICD_ICFGR + k, 0, 0);
	}
	for (k = 16; k < 0x100; k += 4)
		wcheck(G_ICFGR, GICD_ICFGR + k, ~0u, 0);
}

static u32 sgi_pending(void)
{
	return rd(GICD_SPENDSGIR) | rd(GICD_SPENDSGIR + 4) | rd(GICD_SPENDSGIR + 8) |
	       rd(GICD_SPENDSGIR + 12);
}

static void sgis(void)
{
	u32 sgi, k, mine = 1u << me();

	check(G_SGI, GICD_SGIR, rd(GICD_SGIR), 0);		/* write-only */
	for (sgi = 0; sgi < 16; sgi++) {
		wr(GICD_SGIR, 2u << 24 | sgi);			/* to itself */
		check(G_SGI, GICD_SPENDSGIR + sgi, ld(GICD_SPENDSGIR + sgi, 1), mine);
		check(G_SGI, GICD_CPENDSGIR + sgi, ld(GICD_CPENDSGIR + sgi, 1), mine);
		check(G_SGI, GICD_ISPENDR, rd(GICD_ISPENDR) >> sgi & 1, 1);
		wr(GICD_ICPENDR, 1u << sgi);			/* ignored for SGIs */
		check(G_SGI, GICD_ISPENDR, rd(GICD_ISPENDR) >> sgi & 1, 1);
		st(GICD_CPENDSGIR + sgi, 1, mine);
		check(G_SGI, GICD_SPENDSGIR + sgi, ld(GICD_SPENDSGIR + sgi, 1), 0);
		check(G_SGI, GICD_ISPENDR, rd(GICD_ISPENDR) >> sgi & 1, 0);
	}
	wr(GICD_SGIR, mine << 16 | 9);				/* filter 0: the list */
	check(G_SGI, GICD_SPENDSGIR + 9, ld(GICD_SPENDSGIR + 9, 1), mine);
	wr(GICD_CPENDSGIR + 8, ~0u);
	wr(GICD_SGIR, (~all & 0xff) << 16 | 9);			/* vcpus it lacks */
	check(G_SGI, GICD_SPENDSGIR, sgi_pending(), 0);
	wr(GICD_SGIR, 3u << 24 | 0xff << 16 | 9);		/* filter 3: reserved */
	check(G_SGI, GICD_SPENDSGIR, sgi_pending(), 0);
	if (ncpu == 1) {
		wr(GICD_SGIR, 1u << 24 | 9);			/* all but itself: none */
		check(G_SGI, GICD_SPENDSGIR, sgi_pending(), 0);
	}
	st(GICD_SPENDSGIR + 4, 1, 0xff);			/* senders it lacks dropped */
	check(G_SGI, GICD_SPENDSGIR + 4, ld(GICD_SPENDSGIR + 4, 1), all);
	st(GICD_CPENDSGIR + 4, 1, 0xff);
	check(G_SGI, GICD_SPENDSGIR + 4, ld(GICD_SPENDSGIR + 4, 1), 0);
	for (k = 0; k < 16; k += 4)
		wcheck(G_SGI, GICD_SPENDSGIR + k, ~0u, all * 0x01010101u);
	check(G_SGI, GICD_ISPENDR, rd(GICD_ISPENDR), 0xffff);
	for (k = 0; k < 16; k += 4)
		wcheck(G_SGI, GICD_CPENDSGIR + k, ~0u, 0);
	check(G_SGI, GICD_ISPENDR, rd(GICD_ISPENDR), 0);
	/* the distributor on: the SGI waits in a list register, its sender there */
	wr(GICD_CTLR, 1);
	wr(GICD_SGIR, 2u << 24 | 3);
	check(G_SGI, GICD_SPENDSGIR + 3, ld(GICD_SPENDSGIR + 3, 1), mine);
	check(G_SGI, GICD_ISPENDR, rd(GICD_ISPENDR), 1u << 3);
	st(GICD_CPENDSGIR + 3, 1, mine);
	check(G_SGI, GICD_SPENDSGIR + 3, ld(GICD_SPENDSGIR + 3, 1), 0);
	check(G_SGI, GICD_ISPENDR, rd(GICD_ISPENDR), 0);
}

/* the next interrupt this vcpu's cpu interface offers (EOId), or 1023 */
static u32 take(void)
{
	u64 end = stub_cntvct() + stub_cntfrq();	/* a second: the other may need a slice */
	u32 v;

	do
		v = *(volatile u32 *)(GICC + GICC_IAR);
	while ((v & 0x3ff) == 1023 && stub_cntvct() < end);
	if ((v & 0x3ff) != 1023)
		*(volatile u32 *)(GICC + GICC_EOIR) = v;
	return v;
}

static u32 iar_now(void)
{
	return *(volatile u32 *)(GICC + GICC_IAR) & 0x3ff;
}

/*
 * group 1 (PPI 20) and group 0 (PPI 21), each behind its enable in the
 * distributor. the LR carries the group: without AckCtl, IAR answers a
 * group 1 interrupt with 1022 (qemu 7.2's GICV_AIAR reads as zero, and
 * its GICV_CTLR group enables do not hold back an LR: both measured)
 */
static void delivery(void)
{
	wr(GICD_IGROUPR, 1u << 20);
	wr(GICD_ISENABLER0, 3u << 20);
	wr(GICD_ISPENDR, 3u << 20);
	wr(GICD_CTLR, 2);					/* EnableGrp1 only */
	*(volatile u32 *)(GICC + GICC_PMR) = 0xff;
	*(volatile u32 *)(GICC + GICC_CTLR) = 3;		/* both groups */
	check(G_DELIVERY, GICC_IAR, iar_now(), 1022);
	*(volatile u32 *)(GICC + GICC_CTLR) = 7;		/* and AckCtl */
	check(G_DELIVERY, GICC_IAR, take(), 20);
	check(G_DELIVERY, GICD_ISPENDR, rd(GICD_ISPENDR) | rd(GICD_ISACTIVER), 1u << 21);
	check(G_DELIVERY, GICC_IAR, iar_now(), 1023);
	wr(GICD_CTLR, 3);
	check(G_DELIVERY, GICC_IAR, take(), 21);
	check(G_DELIVERY, GICD_ISPENDR, rd(GICD_ISPENDR) | rd(GICD_ISACTIVER), 0);
}

/*
 * each SPI on its own, those with a device and those without alike: its
 * enable, pending and active bits alone in their words, its priority's
 * five bits, its target byte beside its neighbours', its configuration;
 * then, pended by ISPENDR, it is delivered to this vcpu and ends.
 */
static void every_spi(void)
{
	u32 irq, bit, w, b, v, want;

	*(volatile u32 *)(GICC + GICC_PMR) = 0xff;
	*(volatile u32 *)(GICC + GICC_CTLR) = 1;
	for (irq = 32; irq < 64; irq++) {
		bit = 1u << (irq % 32);
		w = 4 * (irq / 32);
		pair(G_SPI, GICD_ISENABLER0, GICD_ICENABLER, w, false, bit, bit);
		pair(G_SPI, GICD_ISENABLER0, GICD_ICENABLER, w, true, bit, 0);
		pair(G_SPI, GICD_ISPENDR, GICD_ICPENDR, w, false, bit, bit);
		pair(G_SPI, GICD_ISPENDR, GICD_ICPENDR, w, true, bit, 0);
		pair(G_SPI, GICD_ISACTIVER, GICD_ICACTIVER, w, false, bit, bit);
		pair(G_SPI, GICD_ISACTIVER, GICD_ICACTIVER, w, true, bit, 0);
		st(GICD_IPRIORITYR + irq, 1, 0xff);
		check(G_SPI, GICD_IPRIORITYR + (irq & ~3u), rd(GICD_IPRIORITYR + (irq & ~3u)),
		      0xf8u << 8 * (irq % 4));
		st(GICD_IPRIORITYR + irq, 1, 0);
		wcheck(G_SPI, GICD_ICFGR + 4 * (irq / 16), 2u << 2 * (irq % 16), 2u << 2 * (irq % 16));
		wr(GICD_ICFGR + 4 * (irq / 16), 0);
		/* target bytes: every value, its neighbours kept */
		for (v = 0; v < 256; v++) {
			wr(GICD_ITARGETSR + (irq & ~3u), 0x02010201);
			st(GICD_ITARGETSR + irq, 1, v);
			want = (0x02010201 & ~(0xffu << 8 * (irq % 4))) | (v & all) << 8 * (irq % 4);
			b = rd(GICD_ITARGETSR + (irq & ~3u));
			check(G_SPI, GICD_ITARGETSR + irq, b, ncpu == 1 ? 0 : want & (all * 0x01010101u));
		}
		wr(GICD_ITARGETSR + (irq & ~3u), 0x01010101u << me());
		/* probed where no device is, it is a real interrupt */
		wr(GICD_ISENABLER0 + w, bit);
		wr(GICD_CTLR, 1);
		wr(GICD_ISPENDR + w, bit);
		check(G_SPI, GICC_IAR, take(), irq);
		check(G_SPI, GICD_ISPENDR + w, rd(GICD_ISPENDR + w) | rd(GICD_ISACTIVER + w), 0);
		wr(GICD_CTLR, 0);
		wr(GICD_ICENABLER + w, bit);
		wr(GICD_ITARGETSR + (irq & ~3u), 0x01010101);
	}
	*(volatile u32 *)(GICC + GICC_CTLR) = 0;
}

static void run(void (*fn)(void))
{
	clean();
	fn();
}

static void one_vcpu_checks(void)
{
	run(ctlr);
	run(ids);
	run(reserved);
	run(widths);
	run(igroupr);
	run(enabler);
	run(pendr);
	run(activer);
	run(ipriorityr);
	run(itargetsr);
	run(icfgr);
	run(sgis);
	run(delivery);
	run(every_spi);
	clean();
}

/* vcpu 1 runs what vcpu 0 gives it, one job at a time, until told to stop */
static void cpu1_main(void)
{
	void (*job)(void);

	for (;;) {
		while (!(job = cpu1_job))
			;
		if (job == (void (*)(void))1)
			return;
		job();
		asm volatile("dmb" ::: "memory");
		cpu1_job = NULL;
	}
}

static void on_cpu1(void (*fn)(void))
{
	asm volatile("dmb" ::: "memory");
	cpu1_job = fn;
	while (cpu1_job)
		;
	asm volatile("dmb" ::: "memory");
}

/* the two-vcpu checks: senders, banks, and an SPI moved between vcpus */
static void x_sgi_to_1(void) { wr(GICD_SGIR, 2u << 16 | 5); }
static void x_sgi_others(void) { wr(GICD_SGIR, 1u << 24 | 6); }
static void x_check1(void)
{
	check(G_SGI, GICD_SPENDSGIR + 5, ld(GICD_SPENDSGIR + 5, 1), 1);
	check(G_SGI, GICD_SPENDSGIR + 6, ld(GICD_SPENDSGIR + 6, 1), 1);
	wr(GICD_SGIR, 2u << 24 | 6);				/* and from itself */
	check(G_SGI, GICD_SPENDSGIR + 6, ld(GICD_SPENDSGIR + 6, 1), 3);
	st(GICD_CPENDSGIR + 6, 1, 1);
	check(G_SGI, GICD_SPENDSGIR + 6, ld(GICD_SPENDSGIR + 6, 1), 2);
	check(G_SGI, GICD_ISPENDR, rd(GICD_ISPENDR), 1u << 5 | 1u << 6);
	wr(GICD_SGIR, 1u << 16 | 7);				/* to vcpu 0 */
	wr(GICD_CPENDSGIR + 4, ~0u);
	check(G_SGI, GICD_SPENDSGIR, sgi_pending(), 0);
	wr(GICD_IPRIORITYR + 16, 0x20202020);			/* its own PPIs */
	wr(GICD_ISENABLER0, 0xffff0000);
}
static void x_check1_banks(void)
{
	check(G_PRIO, GICD_IPRIORITYR + 16, rd(GICD_IPRIORITYR + 16), 0x20202020);
	check(G_PRIO, GICD_IPRIORITYR + SPI_UART, ld(GICD_IPRIORITYR + SPI_UART, 1), 0x48);
	check(G_ENABLER, GICD_ISENABLER0, rd(GICD_ISENABLER0), ~0u);
	wr(GICD_IPRIORITYR + 16, 0);
	wr(GICD_ICENABLER, ~0u);
	*(volatile u32 *)(GICC + GICC_PMR) = 0xff;
	*(volatile u32 *)(GICC + GICC_CTLR) = 1;
}
static void x_take_spi(void) { check(G_DELIVERY, GICC_IAR, take(), SPI_UART); }
static void x_send_sgi_to_0(void) { wr(GICD_SGIR, 1u << 16 | 4); }
static void x_take_sgi(void) { check(G_DELIVERY, GICC_IAR, take(), 5); }
static void x_self_sgi(void) { wr(GICD_SGIR, 2u << 24 | 2); }
static void x_take_two(void)
{
	u32 a = take(), b = take();	/* in either order */

	check(G_DELIVERY, GICC_IAR, a < b ? a | b << 16 : b | a << 16, 2 | (2u | 1u << 10) << 16);
}
static void x_off(void) { *(volatile u32 *)(GICC + GICC_CTLR) = 0; }

static void two_vcpu_checks(void)
{
	clean();
	on_cpu1(clean);
	x_sgi_to_1();
	x_sgi_others();
	check(G_SGI, GICD_SPENDSGIR, sgi_pending(), 0);
	on_cpu1(x_check1);
	check(G_SGI, GICD_SPENDSGIR + 7, ld(GICD_SPENDSGIR + 7, 1), 2);
	wr(GICD_CPENDSGIR + 4, ~0u);
	/* banked: its PPIs' priorities and enables are its own, SPIs are shared */
	st(GICD_IPRIORITYR + SPI_UART, 1, 0x48);
	on_cpu1(x_check1_banks);
	check(G_PRIO, GICD_IPRIORITYR + 16, rd(GICD_IPRIORITYR + 16), 0);
	check(G_ENABLER, GICD_ISENABLER0, rd(GICD_ISENABLER0), 0xffff);
	/* the SPI goes where ITARGETSR says, also when moved while pending */
	*(volatile u32 *)(GICC + GICC_PMR) = 0xff;
	*(volatile u32 *)(GICC + GICC_CTLR) = 1;
	wr(GICD_ISENABLER0 + 4, 1u << 1);
	st(GICD_ITARGETSR + SPI_UART, 1, 2);
	wr(GICD_CTLR, 1);
	wr(GICD_ISPENDR + 4, 1u << 1);
	on_cpu1(x_take_spi);
	check(G_DELIVERY, GICC_IAR, iar_now(), 1023);
	wr(GICD_CTLR, 0);
	st(GICD_ITARGETSR + SPI_UART, 1, 1);
	wr(GICD_ISPENDR + 4, 1u << 1);				/* waits for vcpu 0 */
	st(GICD_ITARGETSR + SPI_UART, 1, 2);			/* now for vcpu 1 */
	wr(GICD_CTLR, 1);
	on_cpu1(x_take_spi);
	check(G_DELIVERY, GICC_IAR, iar_now(), 1023);
	/* SGIs carry their sender; one pending from two senders comes twice */
	on_cpu1(x_send_sgi_to_0);
	check(G_DELIVERY, GICC_IAR, take(), 4 | 1u << 10);
	x_sgi_to_1();
	on_cpu1(x_take_sgi);		/* SGI 5 from vcpu 0: CPUID 0 */
	wr(GICD_CTLR, 0);
	wr(GICD_SGIR, 2u << 16 | 2);
	on_cpu1(x_self_sgi);
	wr(GICD_CTLR, 1);
	on_cpu1(x_take_two);
	on_cpu1(x_off);
	clean();
}

static void conform(void)
{
	u32 k, total = 0, bad = 0;

	ncpu = (rd(4) >> 5 & 7) + 1;			/* GICD_TYPER.CPUNumber */
	all = (1u << ncpu) - 1;
	if (ncpu > 1 && stub_cpu_on(1, cpu1_main, cpu1_stack + sizeof(cpu1_stack)))
		printf("FAIL: vgicd: vcpu 1 did not start\n");
	one_vcpu_checks();
	if (ncpu > 1) {
		on_cpu1(one_vcpu_checks);
		two_vcpu_checks();
		cpu1_job = (void (*)(void))1;
	}
	for (k = 0; k < G_NR; k++) {
		printf("vgicd: %s %u checks, %u wrong\n", group_name[k], checks[k], wrong[k]);
		total += checks[k];
		bad += wrong[k];
	}
	printf("vgicd: %u vcpus, %u checks, %u wrong, %u accesses refused\n", ncpu, total, bad,
	       stub_aborts);
}
