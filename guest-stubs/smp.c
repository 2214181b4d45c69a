/*
 * smp: every vcpu of its VM at work together, however few physical cpus
 * they share. the boot vcpu starts the others one by one with PSCI CPU_ON
 * and spins, interrupts masked, until each has checked in: on a shared cpu
 * only the hypervisor's slice timer can let the new one run (issue 15).
 * then, with barriers between:
 *   - a token goes round the ring by SGIs, ROUNDS times, each vcpu
 *     waiting for it in WFI (interrupts masked: WFI wakes all the same);
 *   - every vcpu adds 1 to a shared count LOCK_ROUNDS times under one
 *     LDREX/STREX spinlock;
 *   - each vcpu in turn stops the next one (it asks, the next calls
 *     CPU_OFF), waits with AFFINITY_INFO until it is off, starts it again
 *     with CPU_ON (a second CPU_ON must say ALREADY_ON), and the restarted
 *     one does the same to its own next one, OFFON_ROUNDS times round.
 * only vcpu 0 prints (the VM's uart is one line for all its vcpus); the
 * others count what went wrong in `bad`. the number of AFFINITY_INFO polls
 * depends on timing, so it is printed for the test to compare with the
 * hypervisor's count of them.
 */
#include "stub.h"

#define MAX_VCPUS	4
#define ROUNDS		100		/* the token's trips round the ring */
#define LOCK_ROUNDS	10000
#define OFFON_ROUNDS	3

#define AFF_ON			0
#define AFF_OFF			1

#define GICD_TYPER	0x004
#define GICD_SGIR	0xf00
#define SGI_TOKEN	1
#define SGI_DONE	2
#define SGIR_OTHERS	(1u << 24)	/* TargetListFilter 01: all but the sender */

static u8 stacks[MAX_VCPUS][STUB_STACK_SIZE] __attribute__((aligned(8)));

static u32 nr;				/* vcpus, from GICD_TYPER */
static volatile u32 up[MAX_VCPUS];	/* checked in since its last CPU_ON */
static volatile u32 bad;		/* anything unexpected, on any vcpu */
static volatile u32 phase;		/* 1 once the stop-and-restart turns begin */

static volatile u32 passes, got[MAX_VCPUS];		/* the token */
static volatile u32 lock_word, count;			/* the spinlock's */
static volatile u32 bar_count, bar_gen;			/* the barrier's */
static volatile u32 step, off_req[MAX_VCPUS];		/* stop and restart */
static volatile u32 stops[MAX_VCPUS], ons, already_on, polls, polled_off;

static void dmb(void) { asm volatile("dmb" ::: "memory"); }
static void w32(u32 a, u32 v) { *(volatile u32 *)a = v; }
static u32 r32(u32 a) { return *(volatile u32 *)a; }

static u32 my_id(void)
{
	return mrc(0, 0, 0, 5) & 0xff;		/* MPIDR.Aff0: the vcpu's number */
}

static u32 stack_top(u32 id)
{
	return (u32)&stacks[id][STUB_STACK_SIZE];
}

static int psci(u32 fid, u32 a1, u32 a2, u32 a3)
{
	return (int)hvc_call(fid, a1, a2, a3).r0;
}

static void expect(bool ok)
{
	if (!ok)
		__atomic_add_fetch(&bad, 1, __ATOMIC_SEQ_CST);
}

/* the spinlock: LDREX/STREX until the word goes from 0 to 1, then a barrier */
static void lock(volatile u32 *l)
{
	u32 v, fail;

	asm volatile("1:	ldrex	%0, [%2]\n"
		     "	teq	%0, #0\n"
		     "	bne	1b\n"
		     "	strex	%1, %3, [%2]\n"
		     "	teq	%1, #0\n"
		     "	bne	1b\n"
		     "	dmb"
		     : "=&r"(v), "=&r"(fail) : "r"(l), "r"(1) : "cc", "memory");
}

static void unlock(volatile u32 *l)
{
	dmb();
	*l = 0;
}

/* all vcpus here before any goes on: spinning, interrupts masked */
static void barrier(void)
{
	u32 gen = bar_gen;

	dmb();
	if (__atomic_add_fetch(&bar_count, 1, __ATOMIC_SEQ_CST) == nr) {
		bar_count = 0;
		dmb();
		bar_gen = gen + 1;
	} else {
		while (bar_gen == gen)
			;
	}
	dmb();
}

static void sgi(u32 to, u32 id)
{
	dmb();
	w32(GICD + GICD_SGIR, 1u << (16 + to) | id);
}

/*
 * the token: the holder counts the pass and hands it on; the last pass
 * comes back to vcpu 0, which tells the others it is over.
 */
static void token(u32 me)
{
	u32 total = ROUNDS * nr;

	w32(GICC + GICC_PMR, 0xff);
	w32(GICC + GICC_CTLR, 1);
	barrier();
	if (me == 0) {
		passes = 1;
		sgi(1, SGI_TOKEN);
	}
	for (;;) {
		u32 iar, id;

		asm volatile("wfi" ::: "memory");
		iar = r32(GICC + GICC_IAR);
		id = iar & 0x3ff;
		if (id == 1023)
			continue;
		w32(GICC + GICC_EOIR, iar);
		if (id == SGI_DONE)
			break;
		expect(id == SGI_TOKEN);
		got[me]++;
		if (passes == total) {
			expect(me == 0);
			dmb();
			w32(GICD + GICD_SGIR, SGIR_OTHERS | SGI_DONE);
			break;
		}
		passes++;
		sgi((me + 1) % nr, SGI_TOKEN);
	}
}

static void contend(void)
{
	u32 i;

	barrier();
	for (i = 0; i < LOCK_ROUNDS; i++) {
		lock(&lock_word);
		count = count + 1;
		unlock(&lock_word);
	}
	barrier();
}

/* this vcpu's turn: stop the next one and start it again */
static void restart_next(u32 me)
{
	u32 next = (me + 1) % nr;
	int r;

	off_req[next] = 1;
	do {
		r = psci(PSCI_AFFINITY_INFO, next, 0, 0);
		polls++;
	} while (r == AFF_ON);
	expect(r == AFF_OFF);
	polled_off += r == AFF_OFF;
	expect(!up[next]);
	expect(psci(PSCI_CPU_ON, next, (u32)stub_secondary_entry, stack_top(next)) == 0);
	r = psci(PSCI_CPU_ON, next, (u32)stub_secondary_entry, stack_top(next));
	ons += 2;
	expect(r == PSCI_ALREADY_ON);
	already_on += r == PSCI_ALREADY_ON;
	while (!up[next])
		;
	expect(psci(PSCI_AFFINITY_INFO, next, 0, 0) == AFF_ON);
	dmb();
	step = step + 1;
}

/*
 * the turns: at step s, vcpu s % nr stops and restarts vcpu s % nr + 1,
 * which takes step s + 1 once back. the state is all shared: a vcpu
 * comes back through secondary_main, its stack new.
 */
static void offon(u32 me)
{
	u32 s;

	while ((s = step) < OFFON_ROUNDS * nr) {
		if (off_req[me]) {
			off_req[me] = 0;
			stops[me]++;
			up[me] = 0;
			dmb();
			psci(PSCI_CPU_OFF, 0, 0, 0);
			expect(false);		/* CPU_OFF does not return */
		}
		if (s % nr == me)
			restart_next(me);
	}
}

static void report(void) __attribute__((noreturn));
static void report(void)
{
	u32 i, even = 1, each = 1, offs = 0;

	for (i = 0; i < nr; i++) {
		even &= got[i] == ROUNDS;
		each &= stops[i] == OFFON_ROUNDS;
		offs += stops[i];
	}
	printf("smp: token passed %u times by SGI, %u to each vcpu: %s\n", passes, ROUNDS,
	       even ? "yes" : "no");
	printf("smp: %u vcpus x %u rounds under one ldrex/strex lock: sum %u\n", nr,
	       LOCK_ROUNDS, count);
	printf("smp: %u stops and restarts, %u of each vcpu: %s; %u CPU_OFF, %u CPU_ON "
	       "(%u ALREADY_ON), %u AFFINITY_INFO polls (%u off)\n", step, OFFON_ROUNDS,
	       each ? "yes" : "no", offs, ons, already_on, polls, polled_off);
	printf("smp: %u wrong values\n", bad);
	power_off();
}

/* what every vcpu does once up: vcpu 0 from main, the others from CPU_ON */
static void work(u32 me) __attribute__((noreturn));
static void work(u32 me)
{
	up[me] = 1;
	dmb();
	if (!phase) {
		token(me);
		contend();
		phase = 1;
	}
	offon(me);
	if (me == 0)
		report();
	for (;;)
		asm volatile("wfi");
}

void secondary_main(void)
{
	work(my_id());
}

int main(void)
{
	u32 i;

	nr = (r32(GICD + GICD_TYPER) >> 5 & 7) + 1;
	if (nr < 2 || nr > MAX_VCPUS || my_id() != 0) {
		printf("FAIL: %u vcpus, this one %u\n", nr, my_id());
		return 1;
	}
	w32(GICD + GICD_CTLR, 1);
	for (i = 1; i < nr; i++) {
		/* an entry point outside its RAM: refused, and the vcpu stays off */
		expect(psci(PSCI_CPU_ON, i, 0x1000, stack_top(i)) == PSCI_INVALID_ADDRESS);
		expect(psci(PSCI_AFFINITY_INFO, i, 0, 0) == AFF_OFF);
		expect(psci(PSCI_CPU_ON, i, (u32)stub_secondary_entry, stack_top(i)) == 0);
		while (!up[i])
			;
	}
	printf("smp: %u vcpus up, each started by CPU_ON while vcpu 0 spun, interrupts "
	       "masked\n", nr);
	work(0);
}
