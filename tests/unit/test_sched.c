/*
 * host test of hyp/core/sched.c on the fake architecture: the pick, the
 * slice and the wake paths, and issue 15's invariant after every step:
 * whenever a cpu has more than one runnable vcpu, its slice timer runs
 * (or a kick is on its way to tell it). the test plays the cpus in turn,
 * and the traps as traps.c makes them (a WFI, an interrupt, a hypercall).
 *
 *   VM a: vcpus 0-2 on cpu 0      VM c: vcpu 0 on cpu 1
 *   VM b: vcpu 0 on cpu 0,        VM d: vcpus 0-1 on cpu 3
 *         vcpu 1 on cpu 1         cpu 2: nothing
 */
#include <stdio.h>
#include "check.h"
#include "fake.h"
#include "hypercall.h"
#include "images.h"
#include "irq.h"
#include "sched.h"

#define SLICE		(FAKE_FREQ / 10)	/* 100 ms */
#define WAKE		(FAKE_FREQ / 1000 * 15)	/* 15 ms: a slice cut short by a wake */
#define CHECK_TICKS	(FAKE_FREQ / 50)	/* hyp.check=sched: every 20 ms */
#define OFF		(~0ull)			/* a timer that is off */

static const u8 kernel[16] = "kernel", dtb[16] = "dtb";

#define IMAGE(n, vcpus, mask) \
	{ .name = n, .kernel = kernel, .kernel_end = kernel + sizeof(kernel), .dtb = dtb,	\
	  .dtb_end = dtb + sizeof(dtb), .dtb_ipa = GUEST_RAM_IPA + 0x100000, .ram_mib = 2,	\
	  .nr_vcpus = vcpus, .cpu_mask = mask, .flags = GUEST_DEFAULT }

const struct guest_image guest_images[] = {
	IMAGE("a", 3, 1), IMAGE("b", 2, 3), IMAGE("c", 1, 2), IMAGE("d", 2, 8), { .name = NULL },
};

static struct vcpu *a0, *a1, *a2, *b0, *b1, *c0, *d0, *d1;

static u32 runnable_on(u32 cpu)
{
	u32 i, j, n = 0;

	for (i = 0; i < nr_vms; i++)
		for (j = 0; j < vms[i].nr_vcpus; j++)
			n += vms[i].state == VM_RUNNING && vms[i].vcpu[j].pcpu == cpu &&
			     vms[i].vcpu[j].state == VCPU_RUNNABLE;
	return n;
}

/* the invariant on cpu: if it runs one of several runnable vcpus, CNTHP ends the slice */
static bool timer_runs(u32 cpu)
{
	struct vcpu *cur = percpu[cpu].current;

	return !cur || cur->state != VCPU_RUNNABLE || runnable_on(cpu) < 2 ||
	       fake_cpus[cpu].hyp_timer <= percpu[cpu].slice_end;
}

/* on every cpu: the timer runs, or a kick waits to tell the cpu it must */
#define INVARIANT()	invariant(__LINE__)
static void invariant(int line)
{
	u32 cpu;

	for (cpu = 0; cpu < PLAT_MAX_CPUS; cpu++) {
		check_count++;
		if (timer_runs(cpu) || fake_cpus[cpu].irqs >> SGI_KICK & 1)
			continue;
		check_failures++;
		fprintf(stderr, "%s:%d: cpu %u: %u runnable, slice ends %llu, CNTHP %llu\n",
			__FILE__, line, cpu, runnable_on(cpu), percpu[cpu].slice_end,
			fake_cpus[cpu].hyp_timer);
	}
}

/* cpu takes its pending interrupts, as on a trap's way out: whom it resumes */
static struct vcpu *irq_on(u32 cpu)
{
	struct vcpu *volatile next = NULL;

	fake_cpu_id = cpu;
	CHECK_EQ(FAKE_RUN(next = irq_handle(percpu[cpu].current)), FAKE_RETURNED);
	fake_cpu_id = 0;
	return next;
}

/* time goes on to t, if it is not there yet */
static void advance_to(u64 t)
{
	if (fake_now < t)
		fake_now = t;
}

/* cpu's hyp timer fires: its slice has ended */
static struct vcpu *tick(u32 cpu)
{
	advance_to(percpu[cpu].slice_end);
	fake_raise(cpu, IRQ_HYP_TIMER);
	return irq_on(cpu);
}

/* vcpu executes WFI, as traps.c's trap_wfx handles it: whom its cpu runs next */
static enum fake_exit trap_wfi(struct vcpu *vcpu, struct vcpu **next)
{
	enum vcpu_state s = VCPU_RUNNABLE;
	enum fake_exit e;

	fake_cpu_id = vcpu->pcpu;
	if (__atomic_compare_exchange_n(&vcpu->state, &s, VCPU_WFI, false, __ATOMIC_SEQ_CST,
					__ATOMIC_RELAXED) && arch_vgic_has_pending(vcpu))
		sched_wake(vcpu);
	*next = NULL;
	e = FAKE_RUN(*next = sched_yield(vcpu, true));
	fake_cpu_id = 0;
	return e;
}

static struct vcpu *wfi_to(struct vcpu *vcpu)
{
	struct vcpu *next;

	CHECK_EQ(trap_wfi(vcpu, &next), FAKE_RETURNED);
	return next;
}

/* PSCI CPU_ON of vcpu (aff0) by the running caller */
static void cpu_on(struct vcpu *caller, u32 aff0)
{
	fake_cpu_id = caller->pcpu;
	caller->arch.r[0] = PSCI_CPU_ON;
	caller->arch.r[1] = aff0;
	caller->arch.r[2] = GUEST_KERNEL_IPA;
	caller->arch.r[3] = 0;
	CHECK(hypercall(caller, 0) == caller);
	CHECK_EQ(caller->arch.r[0], PSCI_SUCCESS);
	fake_cpu_id = 0;
}

/*
 * a switch on cpu from prev to next, the slice of len just begun: SLICE,
 * or as long as the slice before it if that was cut short for a wake
 */
static void switched(u32 cpu, struct vcpu *prev, struct vcpu *next, u64 len)
{
	CHECK(percpu[cpu].current == next);
	CHECK(next->arch.loaded);
	CHECK(!prev->arch.loaded);
	CHECK_EQ(percpu[cpu].slice_end, fake_now + len);
}

static u32 kicks(void)
{
	return fake_cpus[0].kicks + fake_cpus[1].kicks + fake_cpus[2].kicks + fake_cpus[3].kicks;
}

/* boot: each VM's vcpu 0 runnable, no one kicked; each cpu enters its first */
static void test_start(void)
{
	CHECK_EQ(a0->state, VCPU_RUNNABLE);
	CHECK_EQ(a1->state, VCPU_OFF);
	CHECK_EQ(b1->state, VCPU_OFF);
	CHECK_EQ(c0->state, VCPU_RUNNABLE);
	CHECK_EQ(d0->state, VCPU_RUNNABLE);
	CHECK_EQ(kicks(), 0);
	CHECK_EQ(FAKE_RUN(sched_start()), FAKE_ENTERED);
	CHECK(fake_entered == a0);
	CHECK(percpu[0].current == a0);
	CHECK_EQ(a0->arch.loads, 1);
	CHECK_EQ(a0->log->switches, 1);
	CHECK_EQ(percpu[0].slice_end, fake_now + SLICE);
	CHECK_EQ(fake_cpus[0].hyp_timer, percpu[0].slice_end);	/* b0 waits */
	fake_cpu_id = 1;
	CHECK_EQ(FAKE_RUN(sched_start()), FAKE_ENTERED);
	CHECK(fake_entered == c0);
	CHECK_EQ(fake_cpus[1].hyp_timer, OFF);			/* c0 alone */
	/* a cpu with nothing to run sleeps, its timer off */
	fake_cpu_id = 2;
	CHECK_EQ(FAKE_RUN(sched_start()), FAKE_SLEPT);
	CHECK(percpu[2].current == NULL);
	CHECK_EQ(fake_cpus[2].hyp_timer, OFF);
	CHECK_EQ(percpu[2].id, 2);
	fake_cpu_id = 0;
	INVARIANT();
}

/* CPU_ON on the same cpu: runnable at once, and the slice timer stays armed */
static void test_cpu_on_here(void)
{
	fake_now += 100;
	cpu_on(a0, 1);
	CHECK_EQ(a1->state, VCPU_RUNNABLE);
	INVARIANT();
	cpu_on(a0, 2);
	CHECK_EQ(a2->state, VCPU_RUNNABLE);
	CHECK_EQ(fake_cpus[0].hyp_timer, percpu[0].slice_end);
	CHECK_EQ(kicks(), 0);
	CHECK(percpu[0].current == a0);		/* CPU_ON does not switch */
	INVARIANT();
}

/* the runnable vcpus of cpu 0 in turns, in (vm, vcpu) order: a0 a1 a2 b0 a0 a1 */
static void test_round_robin(void)
{
	struct vcpu *order[] = { a0, a1, a2, b0, a0, a1 };
	u32 i;

	for (i = 1; i < ARRAY_SIZE(order); i++) {
		u32 saves = order[i - 1]->arch.saves;
		u64 switches = order[i]->log->switches;
		struct vcpu *next = tick(0);

		CHECK(next == order[i]);
		/* a0's slice was cut by the CPU_ONs of a1 and a2, 100 ticks in: four
		 * runnable, so to WAKE / 3 (three may run before the woken one) */
		switched(0, order[i - 1], order[i], i == 1 ? WAKE / 3 + 100 : SLICE);
		CHECK_EQ(order[i - 1]->arch.saves, saves + 1);
		CHECK_EQ(order[i]->log->switches, switches + 1);
		CHECK_EQ(fake_cpus[0].hyp_timer, percpu[0].slice_end);
		INVARIANT();
	}
	CHECK_EQ(a0->arch.loads, 2);
	CHECK_EQ(b0->arch.loads, 1);
}

/*
 * a timer earlier than the slice's end: CNTHP for it; it fires, no switch,
 * but the slice is cut to end WAKE / 3 after (four runnable), for the
 * interrupt waiting in a2
 */
static void test_timer_first(void)
{
	u64 was = percpu[0].slice_end, end = fake_now + 500 + WAKE / 3;

	a2->arch.timer = fake_now + 500;
	sched_timer_program();			/* ptimer.c's call: a guest set its timer */
	CHECK_EQ(fake_cpus[0].hyp_timer, fake_now + 500);
	fake_now += 500;
	fake_raise(0, IRQ_HYP_TIMER);
	CHECK(irq_on(0) == a1);
	CHECK_EQ(a2->arch.timer_fired, 1);
	CHECK_EQ(a2->vgic.pending, 1ull << IRQ_VTIMER);
	CHECK(percpu[0].current == a1);
	CHECK(end < was);
	CHECK_EQ(percpu[0].slice_end, end);
	CHECK_EQ(fake_cpus[0].hyp_timer, end);
	CHECK_EQ(kicks(), 0);
	INVARIANT();
	CHECK(tick(0) == a2);
	CHECK(tick(0) == b0);
	INVARIANT();
}

/*
 * alone on its cpu, a vcpu's slice ends with no switch and no slice timer;
 * a vcpu started there from another cpu (CPU_ON of b1 by b0) kicks that
 * cpu, whose timer runs once it has taken the kick
 */
static void test_alone_then_cpu_on_remote(void)
{
	u32 saves = c0->arch.saves;

	fake_now += 50;
	percpu[1].slice_end = fake_now;
	CHECK(tick(1) == c0);
	CHECK_EQ(c0->arch.saves, saves);
	CHECK_EQ(percpu[1].slice_end, fake_now + SLICE);
	CHECK_EQ(fake_cpus[1].hyp_timer, OFF);
	INVARIANT();

	cpu_on(b0, 1);
	CHECK_EQ(b1->state, VCPU_RUNNABLE);
	CHECK_EQ(fake_cpus[1].kicks, 1);
	CHECK_EQ(fake_cpus[1].irqs, 1ull << SGI_KICK);
	CHECK_EQ(percpu[1].waking, 0);
	CHECK_EQ(fake_cpus[1].hyp_timer, OFF);		/* not yet told */
	CHECK(!timer_runs(1));
	INVARIANT();					/* the kick is on its way */
	CHECK(irq_on(1) == c0);				/* a kick switches nothing */
	CHECK_EQ(fake_cpus[1].irqs, 0);
	CHECK_EQ(fake_cpus[1].hyp_timer, percpu[1].slice_end);
	CHECK(timer_runs(1));
	INVARIANT();
	CHECK(tick(1) == b1);
	switched(1, c0, b1, WAKE); /* c0's slice was cut as it began, for b1 */
	CHECK(tick(1) == c0);
	INVARIANT();
}

/* WFI gives the cpu to the next runnable vcpu; with an interrupt pending it does not wait */
static void test_wfi_gives_away(void)
{
	u32 saves;

	CHECK(percpu[0].current == b0);
	CHECK(wfi_to(b0) == a0);
	CHECK_EQ(b0->state, VCPU_WFI);
	switched(0, b0, a0, SLICE);
	CHECK_EQ(fake_cpus[0].hyp_timer, percpu[0].slice_end);	/* a1, a2 wait */
	INVARIANT();
	CHECK(wfi_to(a0) == a1);
	CHECK(wfi_to(a1) == a2);
	CHECK_EQ(runnable_on(0), 1);
	CHECK_EQ(fake_cpus[0].hyp_timer, OFF);		/* a2 alone */
	INVARIANT();
	/* a2's timer interrupt waits for it: its WFI completes at once, it runs on */
	saves = a2->arch.saves;
	CHECK(wfi_to(a2) == a2);
	CHECK_EQ(a2->state, VCPU_RUNNABLE);
	CHECK_EQ(a2->arch.saves, saves);
	a2->vgic.pending = 0;				/* the guest takes it */
	INVARIANT();
}

/* sched_runnable: from WFI, here and from another cpu; refused from anything else */
static void test_wake(void)
{
	u32 k = kicks();

	/* an interrupt for a0, on its own cpu: the slice cut to WAKE, the timer at once */
	percpu[0].slice_end = fake_now + SLICE; /* as if a2's slice had just begun */
	fake_vgic_inject(a0, 40);
	CHECK_EQ(a0->state, VCPU_RUNNABLE);
	CHECK_EQ(percpu[0].slice_end, fake_now + WAKE);
	CHECK_EQ(fake_cpus[0].hyp_timer, percpu[0].slice_end);
	CHECK_EQ(kicks(), k);
	INVARIANT();
	/* from the wrong state: false, and nothing moves */
	CHECK(!sched_runnable(a0, VCPU_WFI));
	CHECK(!sched_runnable(a0, VCPU_ON_PENDING));
	CHECK(!sched_runnable(a1, VCPU_ON_PENDING));
	CHECK_EQ(a1->state, VCPU_WFI);
	fake_cpu_id = 1;
	CHECK(!sched_runnable(a0, VCPU_WFI));
	CHECK(!sched_runnable(a1, VCPU_OFF));
	CHECK_EQ(kicks(), k);
	CHECK_EQ(percpu[0].waking, 0);
	/* from cpu 1: a1's cpu is kicked, and runs its timer once it takes the kick */
	percpu[0].slice_end = fake_now + SLICE; /* as if a2's slice had just begun */
	CHECK(sched_runnable(a1, VCPU_WFI));
	fake_cpu_id = 0;
	CHECK_EQ(a1->state, VCPU_RUNNABLE);
	CHECK_EQ(fake_cpus[0].kicks, 1);
	CHECK_EQ(kicks(), k + 1);
	CHECK_EQ(percpu[0].waking, 0);
	INVARIANT();
	CHECK(irq_on(0) == a2);
	CHECK_EQ(percpu[0].slice_end, fake_now + WAKE / 2);	/* three runnable */
	CHECK_EQ(fake_cpus[0].hyp_timer, percpu[0].slice_end);
	INVARIANT();
	/* a0 to a1 to a2 again, from a2 */
	CHECK(tick(0) == a0);
	CHECK(tick(0) == a1);
	CHECK(tick(0) == a2);
}

/* cpu 1's sleeps: a wake from cpu 0 for another vcpu, then its own timer */
static void wake_c0_from_cpu0(void)
{
	fake_cpu_id = 0;
	fake_vgic_inject(c0, 42);
	fake_cpu_id = 1;
}

static void vtimer_fires_on_cpu1(void)
{
	fake_raise(1, IRQ_VTIMER);
}

static void wake_b1_from_cpu0(void)
{
	fake_cpu_id = 0;
	fake_vgic_inject(b1, 43);
	fake_cpu_id = 1;
}

static void test_wfi_sleeps(void)
{
	struct vcpu *next;
	u32 loads, eois, deactivations;

	CHECK(percpu[1].current == c0);
	CHECK(wfi_to(c0) == b1);
	/* b1 waits too: nothing to run, cpu 1 sleeps in b1's WFI until c0 is woken */
	fake_sleep_hook = wake_c0_from_cpu0;
	CHECK_EQ(trap_wfi(b1, &next), FAKE_RETURNED);
	CHECK(next == c0);
	CHECK_EQ(fake_cpus[1].wfis, 1);
	CHECK_EQ(b1->state, VCPU_WFI);
	CHECK_EQ(c0->state, VCPU_RUNNABLE);
	switched(1, b1, c0, WAKE);
	CHECK_EQ(fake_cpus[1].hyp_timer, OFF);
	INVARIANT();
	/* c0 waits alone, its state kept in the cpu; its own timer's interrupt wakes it */
	c0->vgic.pending = 0;
	loads = c0->arch.loads;
	eois = fake_cpus[1].eois;
	deactivations = fake_cpus[1].deactivations;
	fake_sleep_hook = vtimer_fires_on_cpu1;
	CHECK_EQ(trap_wfi(c0, &next), FAKE_RETURNED);
	CHECK(next == c0);
	CHECK_EQ(c0->state, VCPU_RUNNABLE);
	CHECK_EQ(c0->arch.loads, loads);
	CHECK_EQ(c0->vgic.pending, 1ull << IRQ_VTIMER);
	CHECK_EQ(fake_cpus[1].eois, eois + 1);
	CHECK_EQ(fake_cpus[1].deactivations, deactivations);	/* forwarded: the guest ends it */
	c0->vgic.pending = 0;
	INVARIANT();
	/* c0 off: cpu 1 idles until b1 is woken, then enters it from the idle loop */
	fake_sleep_hook = wake_b1_from_cpu0;
	fake_cpu_id = 1;
	CHECK_EQ(FAKE_RUN(sched_cpu_off(c0)), FAKE_ENTERED);
	fake_cpu_id = 0;
	fake_sleep_hook = NULL;
	CHECK(fake_entered == b1);
	CHECK_EQ(c0->state, VCPU_OFF);
	CHECK(!c0->arch.loaded);
	switched(1, c0, b1, SLICE);
	INVARIANT();
}

/* a VM stopped from another cpu: its vcpu's cpu is kicked and goes on with another VM's */
static void test_stopped_elsewhere(void)
{
	struct vcpu *next;

	fake_vgic_inject(b0, 44);
	CHECK_EQ(b0->state, VCPU_RUNNABLE);
	fake_cpu_id = 1;
	vm_stop(a0->vm, "stopped by the test");
	fake_cpu_id = 0;
	CHECK_EQ(a0->vm->state, VM_STOPPED);
	CHECK_EQ(a2->state, VCPU_STOPPED);
	CHECK(fake_console_has("hyp: vm 0 (a) stopped: stopped by the test\n"));
	CHECK_EQ(fake_cpus[0].irqs, 1ull << SGI_KICK);
	next = irq_on(0);
	CHECK(next == a2);
	/* as traps.c does after an interrupt: its vcpu stopped, so the next */
	CHECK_EQ(FAKE_RUN(next = sched_next(next)), FAKE_RETURNED);
	CHECK(next == b0);
	switched(0, a2, b0, WAKE); /* a2's slice was cut for b0's wake */
	CHECK_EQ(fake_cpus[0].hyp_timer, OFF);
	INVARIANT();
}

/*
 * hyp.check=sched on cpu 3: the check timer runs, and holds its peace
 * while the invariant holds or a wake is on its way. CNTHP not taking its
 * value, and a wake that forgets to tell (hyp.selftest=lostwake), are panics.
 */
static void test_check(void)
{
	char want[300];

	sched_init("hyp.check=sched");
	fake_cpu_id = 3;
	CHECK_EQ(FAKE_RUN(sched_start()), FAKE_ENTERED);
	CHECK(fake_entered == d0);
	CHECK(fake_cpus[3].enabled >> IRQ_CHECK_TIMER & 1);
	CHECK_EQ(fake_cpus[3].check_timer, fake_now + CHECK_TICKS);
	cpu_on(d0, 1);
	CHECK_EQ(fake_cpus[3].hyp_timer, percpu[3].slice_end);
	advance_to(fake_cpus[3].check_timer);
	fake_raise(3, IRQ_CHECK_TIMER);
	CHECK(irq_on(3) == d0);
	CHECK_EQ(fake_cpus[3].check_timer, fake_now + CHECK_TICKS);
	CHECK(tick(3) == d1);
	CHECK(wfi_to(d1) == d0);
	INVARIANT();

	/* d1 woken from cpu 0: until cpu 3 takes the kick, the check lets it be */
	fake_vgic_inject(d1, 45);
	CHECK(!timer_runs(3));
	fake_cpu_id = 3;
	CHECK_EQ(FAKE_RUN(sched_check_tick()), FAKE_RETURNED);
	fake_cpus[3].irqs = 0;			/* the kick taken, but not yet sent: */
	percpu[3].waking = 1;			/* another cpu between the wake and the kick */
	CHECK_EQ(FAKE_RUN(sched_check_tick()), FAKE_RETURNED);
	percpu[3].waking = 0;
	fake_raise(3, SGI_KICK);
	fake_cpu_id = 0;
	CHECK(irq_on(3) == d0);
	CHECK(timer_runs(3));
	INVARIANT();
	CHECK(tick(3) == d1);
	d1->vgic.pending = 0;			/* the guest takes its interrupt */
	CHECK(wfi_to(d1) == d0);
	CHECK_EQ(d1->state, VCPU_WFI);

	/* CNTHP that does not take the slice's end: found when read back */
	fake_cpus[3].hyp_timer_stuck = true;
	fake_cpu_id = 3;
	fake_console[0] = 0, fake_console_len = 0;
	CHECK_EQ(FAKE_RUN(fake_vgic_inject(d1, 46)), FAKE_HALTED);
	CHECK(fake_console_has("*** HYPERVISOR PANIC on cpu 3: scheduler invariant broken "
			       "(timer read back)"));
	fake_cpus[3].hyp_timer_stuck = false;
	sched_timer_program();
	fake_cpu_id = 0;
	INVARIANT();
	CHECK(tick(3) == d1);
	d1->vgic.pending = 0;
	CHECK(wfi_to(d1) == d0);
	CHECK_EQ(d1->state, VCPU_WFI);

	/* the wake that forgets its kick: the next check stops the board, saying why */
	sched_init("hyp.check=sched hyp.selftest=lostwake");
	fake_vgic_inject(d1, 47);
	CHECK_EQ(d1->state, VCPU_RUNNABLE);
	CHECK_EQ(fake_cpus[3].irqs, 0);
	CHECK(!timer_runs(3));
	advance_to(fake_cpus[3].check_timer);
	fake_raise(3, IRQ_CHECK_TIMER);
	fake_cpu_id = 3;
	fake_console[0] = 0, fake_console_len = 0;
	CHECK_EQ(FAKE_RUN(irq_handle(d0)), FAKE_HALTED);
	fake_cpu_id = 0;
	snprintf(want, sizeof(want), "\n*** HYPERVISOR PANIC on cpu 3: scheduler invariant "
		 "broken (check timer): cpu 3 has 2 runnable vcpus (d/0 running, d/1) but no "
		 "slice timer: the slice ends at %llu, CNTHP is off\nrunning vm 3 (d), vcpu 0\n",
		 percpu[3].slice_end);
	CHECK_STR(fake_console, want);
}

/*
 * fair slices between a vcpu that takes no interrupts (d0) and one that
 * ticks (d1's timer): d1's tick cuts d0's slice to end WAKE after it, and
 * the slice d1 gets then is as long as d0's was, not SLICE; d1's own is
 * never cut, and d0's next is SLICE again until d1 ticks
 */
static void test_fair_slices(void)
{
	u64 start;
	u32 round;

	sched_init("");
	fake_cpus[3].irqs = 0;
	d1->vgic.pending = 0;
	d1->arch.timer = OFF;
	/* (from the check's test: d0 switched in, an uncut slice, within three) */
	for (round = 0; round < 3 && !(tick(3) == d0 && percpu[3].slice_end == fake_now + SLICE);)
		round++;
	CHECK(round < 3);
	for (round = 0; round < 3; round++) {
		/* d0 runs a slice of its own, 300 ticks in d1's timer fires */
		start = fake_now;
		CHECK_EQ(percpu[3].slice_end, start + SLICE);
		d1->arch.timer = start + 300;
		fake_cpu_id = 3;
		sched_timer_program();
		fake_cpu_id = 0;
		CHECK_EQ(fake_cpus[3].hyp_timer, start + 300);
		advance_to(start + 300);
		fake_raise(3, IRQ_HYP_TIMER);
		CHECK(irq_on(3) == d0);
		CHECK_EQ(percpu[3].slice_end, start + 300 + WAKE); /* cut */
		INVARIANT();
		/* its slice ends: d1's is as long */
		CHECK(tick(3) == d1);
		switched(3, d0, d1, 300 + WAKE);
		INVARIANT();
		d1->vgic.pending = 0; /* the guest takes it */
		/* and ends uncut: d0 gets SLICE */
		CHECK(tick(3) == d0);
		switched(3, d1, d0, SLICE);
		INVARIANT();
	}
}

int main(void)
{
	paddr_t pool;

	fake_reset();
	pool = fake_ram(8);
	vms_create("", pool, pa_add(pool, 8 * MiB));
	sched_init("");
	CHECK_EQ(nr_vms, 4);
	a0 = &vms[0].vcpu[0], a1 = &vms[0].vcpu[1], a2 = &vms[0].vcpu[2];
	b0 = &vms[1].vcpu[0], b1 = &vms[1].vcpu[1];
	c0 = &vms[2].vcpu[0];
	d0 = &vms[3].vcpu[0], d1 = &vms[3].vcpu[1];
	CHECK_EQ(b1->pcpu, 1);
	CHECK_EQ(d1->pcpu, 3);
	test_start();
	test_cpu_on_here();
	test_round_robin();
	test_timer_first();
	test_alone_then_cpu_on_remote();
	test_wfi_gives_away();
	test_wake();
	test_wfi_sleeps();
	test_stopped_elsewhere();
	test_check();
	test_fair_slices();
	return check_done("test_sched");
}
