/*
 * bench: instructions per trap round trip, counted by the pmu's
 * instruction event (0x08) in pl1 and, with NSH, in hyp mode too. exact
 * under qemu -icount shift=0. each figure is a loop of N round trips, less
 * an empty loop, over N.
 */
#include "stub.h"

/* "ring=N" on its command line: HYP_CALL_RING N first (0 off, 1 on) */
static void set_ring(void)
{
	u32 mode = stub_bootarg("ring=", ~0u);

	if (mode != ~0u) {
		hvc_call(HYP_CALL_RING, mode, 0, 0);
		printf("bench: ring recording mode %u\n", mode);
	}
}

#define N	100

static inline u32 pmu_read(void)
{
	u32 v;

	asm volatile("mrc p15, 0, %0, c9, c13, 2" : "=r"(v) :: "memory");	/* PMXEVCNTR */
	return v;
}

static void pmu_start(void)
{
	mcr(0, 9, 12, 5, 0);				/* PMSELR: counter 0 */
	mcr(0, 9, 13, 1, 0x08u | 1u << 27);		/* PMXEVTYPER: instructions, NSH */
	mcr(0, 9, 13, 2, 0);				/* PMXEVCNTR = 0 */
	mcr(0, 9, 12, 1, 1u);				/* PMCNTENSET: counter 0 */
	mcr(0, 9, 12, 0, 1u);				/* PMCR.E */
	asm volatile("isb");
}

/*
 * N round trips between two counter reads. the guest's counter reads trap
 * (HDCR.TPM: vpmu.c), so they are taken once around the whole loop, and the
 * loop's own instructions come off with those of an empty loop.
 */
#define MEASURE(name, body) do { \
	u32 _i, _t0 = pmu_read(); \
	for (_i = 0; _i < N; _i++) { \
		body; \
	} \
	report(name, pmu_read() - _t0); \
} while (0)

static u32 base;

/* the null call as a guest makes it inline: r0 set, hvc #0 (2 instructions) */
static inline void null_hvc(void)
{
	register u32 r0 asm("r0") = HYP_CALL_NULL;

	asm volatile("hvc #0" : "+r"(r0) : : "r1", "r2", "r3", "memory");
}

static void report(const char *name, u32 total)
{
	u32 mean100 = (total - base) * 100 / N;

	if (!*name) {		/* the empty loop */
		base = total;
		return;
	}
	printf("bench: %-12s %4u.%02u instructions per round trip\n", name,
	       mean100 / 100, mean100 % 100);
}

int main(void)
{
	u32 v;

	set_ring();
	pmu_start();
	MEASURE("", asm volatile("" ::: "memory"));
	MEASURE("null-hvc", null_hvc());
	MEASURE("null-hvc-call", hvc_call(HYP_CALL_NULL, 0, 0, 0));
	MEASURE("mmio-read", asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(TESTDEV) : "memory"));
	MEASURE("mmio-write", asm volatile("str %0, [%1]" :: "r"(v), "r"(TESTDEV + 0x40) : "memory"));
	MEASURE("wfi", asm volatile("wfi" ::: "memory"));
	MEASURE("cp15-actlr", asm volatile("mrc p15, 0, %0, c1, c0, 1" : "=r"(v) :: "memory"));
	printf("bench: empty loop of %u and counter reads: %u instructions\n", N, base);
	return 0;
}
