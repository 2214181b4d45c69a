/*
 * attack-leak: what one VM, or one life of a VM, leaves in the cpu for the
 * next. "dirty" writes every guest-visible register it can reach with a
 * pattern of its own: the pmu (PMUSERENR, PMCR, the enables, event types,
 * counts, PMCCNTR, PMCCFILTR), d0-d31 and FPSCR, the TPIDRs, CONTEXTIDR,
 * the virtual timer and the virtual cpu interface's priority mask;
 * "report" prints what a vcpu finds of those. the roles (bootarg role=N):
 *   1  the attacker on a cpu it shares with role 2: dirty, sleep 10 ms (role
 *      2 runs), count what its pmu counted meanwhile, then write over every
 *      register again (stop, reset, zero) and power off.
 *   2  the victim: report what it finds, dirty with its own pattern (its
 *      counters stopped, so their values stay exact), sleep 20 ms (role 1
 *      runs), report how many of its own values changed, power off.
 *   3  two vcpus on two cpus: both dirty, then vcpu `resetter=N` asks for
 *      SYSTEM_RESET; in the next life both report, then power off.
 * the hypervisor's count of vcpu 0's hvcs survives the reset: it tells the
 * lives apart.
 */
#include "stub.h"

	asm(".fpu neon-vfpv4");

#define PMCR_E	  (1u << 0)
#define PMCR_P	  (1u << 1)
#define PMCR_C	  (1u << 2)
#define PMCR_D	  (1u << 3)
#define PMCR_X	  (1u << 4)
#define EV_INSTR  0x08u
#define EV_CYCLES 0x11u
#define CCNT	  31u /* PMSELR: PMXEVTYPER is PMCCFILTR */

#define rd_pmcr()	    mrc(0, 9, 12, 0)
#define wr_pmcr(v)	    mcr(0, 9, 12, 0, v)
#define rd_cntenset()	    mrc(0, 9, 12, 1)
#define wr_cntenset(v)	    mcr(0, 9, 12, 1, v)
#define wr_cntenclr(v)	    mcr(0, 9, 12, 2, v)
#define rd_ccntr()	    mrc(0, 9, 13, 0)
#define wr_ccntr(v)	    mcr(0, 9, 13, 0, v)
#define rd_userenr()	    mrc(0, 9, 14, 0)
#define wr_userenr(v)	    mcr(0, 9, 14, 0, v)
#define rd_intenset()	    mrc(0, 9, 14, 1)
#define wr_intenset(v)	    mcr(0, 9, 14, 1, v)
#define wr_intenclr(v)	    mcr(0, 9, 14, 2, v)

static u32 nr_counters;		/* PMCR.N as this guest sees it */
static u8 stack1[STUB_STACK_SIZE] __attribute__((aligned(8)));
static volatile u32 dirtied, reported;

static void select(u32 n)
{
	mcr(0, 9, 12, 5, n);					/* PMSELR */
	asm volatile("isb");
}

static u32 evtype(u32 n)
{
	select(n);
	return mrc(0, 9, 13, 1);				/* PMXEVTYPER */
}

static u32 evcount(u32 n)
{
	select(n);
	return mrc(0, 9, 13, 2);				/* PMXEVCNTR */
}

static u32 all_counters(void)
{
	return ((1u << nr_counters) - 1) | 1u << 31;
}

static u64 cntv_cval(void)
{
	u64 v;

	asm volatile("mrrc p15, 3, %Q0, %R0, c14" : "=r"(v));
	return v;
}

static u64 pattern(u32 tag, u32 i)
{
	return (u64)(0x5a000000u | tag << 16 | i) << 32 | (0xa5000000u | tag << 16 | i);
}

static void vfp_on(void)
{
	u32 cpacr = mrc(0, 1, 0, 2) | 0xfu << 20;		/* cp10, cp11: full access */

	mcr(0, 1, 0, 2, cpacr);
	asm volatile("isb");
}

static u32 fpexc(void)
{
	u32 v;

	asm volatile("vmrs %0, fpexc" : "=r"(v));
	return v;
}

/* the d registers, fpscr: fpexc.en must be set */
static void vfp_read(u64 *d, u32 *fpscr)
{
	asm volatile("vstmia %0, {d0-d15}\n\tvstmia %1, {d16-d31}"
		     :: "r"(d), "r"(d + 16) : "memory");
	asm volatile("vmrs %0, fpscr" : "=r"(*fpscr));
}

static u32 fpscr_of(u32 tag)
{
	return 0x03c00000u | (tag & 0xf) << 28;
}

/*
 * every register with tag's values. counting: PMCR.E and the counters on
 * (counter 0 counts the instructions of pl1 and pl0), else everything set
 * but PMCR.E, so that the counts stay as written
 */
static void dirty(u32 tag, bool counting)
{
	static u64 d[32];
	u32 i, fpx;

	wr_userenr(1u);
	wr_pmcr((counting ? PMCR_E : 0) | PMCR_D | PMCR_X);
	for (i = 0; i < nr_counters; i++) {
		select(i);
		mcr(0, 9, 13, 1, i ? EV_CYCLES : EV_INSTR);	/* PMXEVTYPER */
		mcr(0, 9, 13, 2, tag << 24 | i << 16);		/* PMXEVCNTR */
	}
	select(CCNT);
	mcr(0, 9, 13, 1, 1u << 31);				/* PMCCFILTR.P */
	select(1);
	wr_ccntr(tag << 24 | 0xcc0000);
	wr_cntenset(all_counters());
	wr_intenset(all_counters() & ~1u);
	mcr(0, 13, 0, 2, tag << 24 | 1);			/* TPIDRURW */
	mcr(0, 13, 0, 3, tag << 24 | 2);			/* TPIDRURO */
	mcr(0, 13, 0, 4, tag << 24 | 3);			/* TPIDRPRW */
	mcr(0, 13, 0, 1, tag << 8 | 4);				/* CONTEXTIDR */
	asm volatile("mcrr p15, 3, %Q0, %R0, c14" :: "r"(pattern(tag, 0) >> 8));
	mcr(0, 14, 3, 1, 3u);					/* CNTV_CTL: on, masked */
	*(volatile u32 *)(GICC + GICC_PMR) = 0xa0;
	vfp_on();
	fpx = fpexc();
	asm volatile("vmsr fpexc, %0" :: "r"(fpx | 1u << 30));
	for (i = 0; i < 32; i++)
		d[i] = pattern(tag, i);
	asm volatile("vldmia %0, {d0-d15}\n\tvldmia %1, {d16-d31}"
		     :: "r"(d), "r"(d + 16) : "memory");
	asm volatile("vmsr fpscr, %0" :: "r"(fpscr_of(tag)));
	asm volatile("isb");
}

/* of what dirty(tag, false) wrote, how many differ now */
static u32 changed(u32 tag)
{
	static u64 d[32];
	u32 i, bad = 0, fpscr;

	bad += rd_userenr() != 1;
	bad += (rd_pmcr() & 0x3f) != (PMCR_D | PMCR_X);
	for (i = 0; i < nr_counters; i++) {
		bad += evtype(i) != (i ? EV_CYCLES : EV_INSTR);
		bad += evcount(i) != (tag << 24 | i << 16);
	}
	bad += evtype(CCNT) != 1u << 31;
	bad += rd_ccntr() != (tag << 24 | 0xcc0000);
	bad += rd_cntenset() != all_counters();
	bad += rd_intenset() != (all_counters() & ~1u);
	bad += mrc(0, 13, 0, 2) != (tag << 24 | 1);
	bad += mrc(0, 13, 0, 3) != (tag << 24 | 2);
	bad += mrc(0, 13, 0, 4) != (tag << 24 | 3);
	bad += mrc(0, 13, 0, 1) != (tag << 8 | 4);
	bad += (fpexc() & 1u << 30) == 0;
	vfp_read(d, &fpscr);
	for (i = 0; i < 32; i++)
		bad += d[i] != pattern(tag, i);
	bad += fpscr != fpscr_of(tag);
	return bad;
}

/* what a vcpu finds: printed, one line per group */
static void report(const char *who)
{
	static u64 d[32];
	u32 i, fpx, fpscr, nonzero = 0, pmr = *(volatile u32 *)(GICC + GICC_PMR);
	u32 cpacr = mrc(0, 1, 0, 2);

	printf("%s: pmu: userenr %x pmcr %x cntenset %x intenset %x ccntr %x ccfiltr %x\n",
	       who, rd_userenr(), rd_pmcr() & 0x3f, rd_cntenset(), rd_intenset(), rd_ccntr(),
	       evtype(CCNT));
	for (i = 0; i < nr_counters; i++)
		printf("%s: pmu: counter %u type %x count %x\n", who, i, evtype(i), evcount(i));
	printf("%s: cp15: tpidrurw %x tpidruro %x tpidrprw %x contextidr %x cpacr %x\n", who,
	       mrc(0, 13, 0, 2), mrc(0, 13, 0, 3), mrc(0, 13, 0, 4), mrc(0, 13, 0, 1), cpacr);
	printf("%s: timer: cntv_ctl %x cntv_cval %llx; gicc pmr %x\n", who, mrc(0, 14, 3, 1),
	       cntv_cval(), pmr);
	vfp_on();
	fpx = fpexc();
	asm volatile("vmsr fpexc, %0" :: "r"(fpx | 1u << 30));
	asm volatile("isb");
	vfp_read(d, &fpscr);
	for (i = 0; i < 32; i++)
		nonzero += d[i] != 0;
	printf("%s: vfp: fpexc %x fpscr %x, %u of 32 d registers nonzero\n", who, fpx, fpscr,
	       nonzero);
}

/* ms of the virtual timer, in wfi: another vcpu of this cpu runs meanwhile */
static void sleep_ms(u32 ms)
{
	u64 end = stub_cntvct() + (u64)stub_cntfrq() / 1000 * ms;
	u32 iar;

	stub_vtimer_set(end, 1);
	while (stub_cntvct() < end)
		asm volatile("wfi");
	iar = *(volatile u32 *)(GICC + GICC_IAR);
	stub_vtimer_set(0, 0);
	*(volatile u32 *)(GICC + GICC_EOIR) = iar;
}

static void attacker(void)
{
	u32 before, after, i;

	dirty(0xa, true);
	stub_gic_on(IRQ_VTIMER);
	before = evcount(0);
	sleep_ms(10);
	after = evcount(0);
	/* the instructions of sleep_ms: the neighbour's must not count here */
	printf("leak-a: counter 0 counted %u instructions across its sleep\n", after - before);
	/* over the other's registers, were they the same */
	wr_pmcr(PMCR_E | PMCR_P | PMCR_C);
	wr_cntenclr(~0u);
	wr_intenclr(~0u);
	wr_userenr(0u);
	for (i = 0; i < nr_counters; i++) {
		select(i);
		mcr(0, 9, 13, 1, EV_CYCLES);
		mcr(0, 9, 13, 2, 0xdead0000u | i);
	}
	wr_ccntr(0xdead00ccu);
	asm volatile("vmsr fpscr, %0\n\tvmov d0, %0, %0" :: "r"(0u));
	printf("leak-a: done\n");
}

static void victim(void)
{
	report("leak-b");
	dirty(0xb, false);
	stub_gic_on(IRQ_VTIMER);
	sleep_ms(20);
	printf("leak-b: %u of its own values changed while it slept\n", changed(0xb));
}

static void dirty1(void)
{
	dirty(0xc1, true);
	dirtied = 1;
	if (stub_bootarg("resetter=", 0) == 1)
		hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	for (;;)
		asm volatile("wfi");				/* until the reset */
}

static void report1(void)
{
	report("leak-r vcpu 1");
	reported = 1;
}

static void resetting(void)
{
	u32 hvcs = hvc_call(HYP_CALL_NULL, 0, 0, 0).r3;

	/* waits sleep: a vcpu spinning in its loop can starve the other cpu under -icount */
	if (hvcs == 1) {					/* the first life */
		stub_cpu_on(1, dirty1, &stack1[STUB_STACK_SIZE]);
		dirty(0xc0, true);
		stub_gic_on(IRQ_VTIMER);
		while (!dirtied)
			sleep_ms(1);
		if (stub_bootarg("resetter=", 0) == 0)
			hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
		for (;;)
			sleep_ms(1);				/* until the reset */
	}
	report("leak-r vcpu 0");
	stub_cpu_on(1, report1, &stack1[STUB_STACK_SIZE]);
	stub_gic_on(IRQ_VTIMER);
	while (!reported)
		sleep_ms(1);
}

int main(void)
{
	u32 role = stub_bootarg("role=", 0);

	nr_counters = rd_pmcr() >> 11 & 0x1f;
	if (role == 1)
		attacker();
	else if (role == 2)
		victim();
	else if (role == 3)
		resetting();
	else
		printf("FAIL: attack-leak: no role\n");
	return 0;
}
