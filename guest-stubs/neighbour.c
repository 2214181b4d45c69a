/*
 * neighbour: the VM that runs beside a fuzzer or a faulty guest. it fills
 * 8 MiB of its RAM with a pattern and checksums it over and over, while its
 * virtual timer interrupts it every millisecond. it runs until every other
 * VM has stopped (it reads their states in the trap log: "traplog = all"),
 * then reports whether a checksum ever changed, how many ticks it took
 * against the deadlines that passed (each interrupt sets the next deadline
 * a period after the last: a tick delayed is late, not lost), the latest a
 * tick came, and its pace: checksums in the virtual time it ran.
 */
#include "stub.h"
#include "traplog.h"

#define WORDS		((8u << 20) / 4)
#define MIN_ROUNDS	5

static u32 *const area = (u32 *)0x40400000u;
static const volatile struct traplog *const tl = (const void *)TRAPLOG;

static u64 period, next;		/* the timer's: ticks of the counter, next deadline */
static volatile u32 ticks;
static volatile u64 latest;		/* the most a tick came after its deadline */

static void tick(enum exc_kind kind, struct exc_frame *f)
{
	u32 iar;
	u64 late;

	if (kind != EXC_IRQ) {
		printf("FAIL: exception %u at %08x\n", kind, f->pc);
		power_off();
	}
	iar = *(volatile u32 *)(GICC + GICC_IAR);
	if ((iar & 0x3ff) == IRQ_VTIMER && mrc(0, 14, 3, 1) & 4) {	/* CNTV_CTL.ISTATUS */
		late = stub_cntvct() - next;
		if (late > latest)
			latest = late;
		ticks++;
		next += period;			/* a deadline a period on: a rate, no drift */
		stub_vtimer_set(next, 1);
	}
	*(volatile u32 *)(GICC + GICC_EOIR) = iar;
}

static u32 sum(void)
{
	u32 s = 0, i;

	for (i = 0; i < WORDS; i++)
		s = (s << 1 | s >> 31) ^ area[i];
	return s;
}

/* the other VMs have all stopped or crashed */
static int alone(u32 self)
{
	u32 i;

	for (i = 0; i < tl->nr_vms; i++)
		if (i != self && tl->vm[i].state == 1)
			return 0;
	return 1;
}

int main(void)
{
	u32 i, first, rounds = 0, bad = 0, seed = 0x12345678, self, hz = stub_cntfrq(), deadlines;
	u64 start, now;

	self = hvc_call(HYP_CALL_NULL, 0, 0, 0).r1;		/* r1 = VM id */
	if (tl->magic != TRAPLOG_MAGIC) {
		printf("FAIL: no trap log at %08x (traplog = all)\n", TRAPLOG);
		return 1;
	}
	for (i = 0; i < WORDS; i++) {
		seed = seed * 1664525u + 1013904223u;
		area[i] = seed;
	}
	first = sum();
	exc_hook = tick;
	period = hz / 1000;
	stub_gic_on(IRQ_VTIMER);
	start = next = stub_cntvct() + period;
	stub_vtimer_set(next, 1);
	asm volatile("cpsie i");
	while (rounds < MIN_ROUNDS || !alone(self)) {
		bad += sum() != first;
		rounds++;
	}
	/* the deadlines up to now, and a second for their ticks to come */
	now = stub_cntvct();
	deadlines = (u32)((now - start) / period) + 1;
	while (ticks < deadlines && stub_cntvct() - now < hz)
		;
	asm volatile("cpsid i");
	stub_vtimer_set(0, 0);
	if (ticks > deadlines)
		ticks = deadlines;			/* those came after: not counted */
	printf("neighbour: %u checksums of 8 MiB, %u differ from the first\n", rounds, bad);
	printf("neighbour: %u timer ticks for %u deadlines, %s; latest %llu us late\n",
	       ticks, deadlines, ticks == deadlines ? "none lost" : "LOST",
	       latest * 1000000 / hz);
	/* its pace: the share of a cpu it got, beside the same run alone (make bench-attack) */
	printf("neighbour: %u checksums in %llu us of virtual time\n", rounds,
	       (now - start) * 1000000 / hz);
	return 0;
}
