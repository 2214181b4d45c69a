/*
 * bench: instructions per trap round trip, counted by the pmu's
 * instruction event (0x08) in pl1 and, with NSH, in hyp mode too. exact
 * under qemu -icount shift=0. each figure is the mean over N round trips
 * minus the cost of reading the counter with nothing in between.
 */
#include "stub.h"

/* "ring=N" on its command line: HYP_CALL_RING N first (0 off, 1 on) */
static void set_ring(void)
{
	u32 mode = stub_bootarg("ring=", ~0u);

	if (mode != ~0u) {
		hvc_call(0x86000003, mode, 0, 0);
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

#define MEASURE(name, body) do { \
	u32 _i, _t0, _t1, _sum = 0, _min = ~0u; \
	for (_i = 0; _i < N; _i++) { \
		_t0 = pmu_read(); \
		body; \
		_t1 = pmu_read(); \
		_sum += _t1 - _t0; \
		if (_t1 - _t0 < _min) \
			_min = _t1 - _t0; \
	} \
	report(name, _sum, _min); \
} while (0)

static u32 base;

static void report(const char *name, u32 sum, u32 min)
{
	u32 mean100 = sum * 100 / N - base * 100;

	if (!*name) {		/* the empty measurement */
		base = sum / N;
		return;
	}
	printf("bench: %-12s %4u.%02u instructions per round trip (min %u)\n", name,
	       mean100 / 100, mean100 % 100, min - base);
}

int main(void)
{
	u32 v;

	set_ring();
	pmu_start();
	MEASURE("", (void)0);
	MEASURE("null-hvc", hvc_call(0x86000000, 0, 0, 0));
	MEASURE("mmio-read", asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(TESTDEV) : "memory"));
	MEASURE("mmio-write", asm volatile("str %0, [%1]" :: "r"(v), "r"(TESTDEV + 0x40) : "memory"));
	MEASURE("wfi", asm volatile("wfi" ::: "memory"));
	MEASURE("cp15-actlr", asm volatile("mrc p15, 0, %0, c1, c0, 1" : "=r"(v) :: "memory"));
	printf("bench: counter base %u instructions\n", base);
	return 0;
}
