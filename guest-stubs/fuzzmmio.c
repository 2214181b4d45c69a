/*
 * fuzzmmio: random loads and stores of 8, 16 and 32 bits: into the GIC
 * distributor, the GIC cpu interface, the UART (no stores to its data
 * register, which would print noise), and anywhere in the 4 GiB (loads
 * only: stores there could hit its own RAM). whatever is not emulated or
 * mapped must come back as a data abort, which it counts; the test checks
 * the count against the hypervisor's. seed and count: "seed=N count=N".
 * "mode=gicd": only the distributor, three in four of them stores of random
 * values at random offsets (enables, pending bits, priorities, targets,
 * configuration, SGIs to itself: its interrupts stay masked).
 * its second line is the virtual time it took: its share of a cpu it shares
 * with another VM, beside the same run alone (make bench-attack).
 */
#include "stub.h"

static u32 state;

static u32 rnd(void)
{
	return stub_rand(&state);
}

int main(void)
{
	u32 seed, count, i, loads = 0, stores = 0, v = 0, gicd;
	u64 start = stub_cntvct();

	seed = stub_bootarg("seed=", 1);
	count = stub_bootarg("count=", 100000);
	gicd = stub_bootarg("mode=gicd", 1) == 0;
	state = seed ? seed : 1;
	exc_hook = skip_data_aborts;
	for (i = 0; i < count; i++) {
		u32 kind = gicd ? 0 : rnd() % 4, a, width = rnd() % 3;
		int store = gicd ? (rnd() & 3) != 0 : rnd() & 1;

		if (kind == 0)
			a = GICD + (rnd() & 0xfff);
		else if (kind == 1)
			a = GICC + (rnd() & 0x1fff);			/* the GICV */
		else if (kind == 2)
			a = UART_DR + (rnd() & 0xfff);
		else {
			a = rnd();					/* anywhere */
			store = 0;
		}
		if (a >= UART_DR && a < UART_DR + 4)
			store = 0;
		a &= ~((1u << width) - 1);		/* aligned: unaligned faults in the guest */
		if (store) {
			stores++;
			if (width == 0)
				asm volatile("strb %0, [%1]" :: "r"(rnd()), "r"(a) : "memory");
			else if (width == 1)
				asm volatile("strh %0, [%1]" :: "r"(rnd()), "r"(a) : "memory");
			else
				asm volatile("str %0, [%1]" :: "r"(rnd()), "r"(a) : "memory");
		} else {
			loads++;
			if (width == 0)
				asm volatile("ldrb %0, [%1]" : "=r"(v) : "r"(a) : "memory");
			else if (width == 1)
				asm volatile("ldrh %0, [%1]" : "=r"(v) : "r"(a) : "memory");
			else
				asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
		}
	}
	(void)v;
	printf("fuzzmmio: seed %u, %u loads, %u stores%s, %u aborted\n", seed, loads, stores,
	       gicd ? " (distributor only)" : "", stub_aborts);
	printf("fuzzmmio: %llu us of virtual time\n", (stub_cntvct() - start) * 1000000 / stub_cntfrq());
	return 0;
}
