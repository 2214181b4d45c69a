/*
 * the scheduler. every vcpu has a home cpu (from its VM's cpu list). the
 * runnable vcpus of a cpu take turns in slices timed by the hyp timer
 * (CNTHP), and a vcpu that waits in WFI gives its cpu away at once. long
 * slices spare QEMU the TLB flush of each VTTBR load, but a vcpu with an
 * interrupt to take (woken, or its timer fired while switched out) gets
 * its cpu within WAKE_MS (tests/test_isolation.py allows 20 ms). the
 * slice that follows a slice cut so is as long as the cut one: a vcpu
 * that takes no interrupts, beside one that ticks, would otherwise run
 * WAKE_MS for each SLICE_MS of the other (fair_slice()). the
 * same timer stands in for the virtual timers of vcpus that are not
 * loaded, and for the emulated physical timers, so a guest's timer fires
 * on time whether it runs or not. when no VM is left, the board prints its
 * trap tables and powers off.
 *
 * the invariant: whenever a cpu has more than one runnable vcpu, its slice
 * timer runs. that is, while a cpu runs a vcpu and another vcpu homed there
 * is RUNNABLE too, CNTHP is armed for the end of the running one's slice or
 * sooner. a guest that spins with its interrupts masked never traps: without
 * the timer, a vcpu it waits for on the same cpu (one it just started with
 * CPU_ON, a spinlock's holder) would never run, and neither would it again
 * (issue 15).
 *
 * how it holds: a vcpu becomes RUNNABLE in sched_wake() and nowhere else
 * (tests/test_sched.py greps the tree for it). on the vcpu's own cpu it
 * programs the timer again at once; for another cpu it sends that cpu
 * SGI_KICK, and the kicked cpu programs its own (sched_kicked(), from
 * irq_handle()). what leads there: PSCI CPU_ON (psci.c); an SGI, SPI or PPI
 * made pending for a vcpu waiting in WFI, the hyp timer standing in for a
 * switched-out vcpu's virtual timer among them (vgic.c); a WFI that finds an
 * interrupt pending (traps.c, wait_here()); a VM's reset, from any cpu
 * (vm.c). every switch programs the timer too (switch_to()).
 *
 * how it is checked: each programming reads CNTHP back when a slice is due.
 * with "hyp.check=sched" on the board's command line, every CHECK_MS the
 * physical timer (CNTP, the hypervisor's own: guests get an emulated one)
 * interrupts each cpu, which checks the invariant as it stands; that catches
 * a cpu nobody told, running a guest that never traps. a breach is a panic
 * naming the cpu, its runnable vcpus and the timer. "hyp.selftest=lostwake"
 * makes sched_wake() forget to tell, as before issue 15 was fixed, so that
 * a test sees the check fire.
 */
#include "atomic.h"
#include "console.h"
#include "fmt.h"
#include "irq.h"
#include "lib.h"
#include "percpu.h"
#include "platform_if.h"
#include "sched.h"
#include "virtio_mmio.h"
#include "vm.h"

#define SLICE_MS 100 /* unless an interrupt waits for another vcpu here */
#define WAKE_MS	 15  /* the longest a vcpu with an interrupt to take waits for its cpu */
#define CHECK_MS 20  /* hyp.check=sched: how often each cpu looks */
#define POLL_MS	 1   /* owed device work waits at most this long for a tick */

struct percpu percpu[PLAT_MAX_CPUS];
static u64 slice_ticks, wake_ticks, check_ticks; /* check_ticks 0: no check timer */
static u64 poll_ticks;
/* each cpu's, this file's own: when the running slice began, and whether it was cut */
static u64 slice_start[PLAT_MAX_CPUS];
static bool slice_was_cut[PLAT_MAX_CPUS];
static bool lose_wakes;	 /* hyp.selftest=lostwake */
static bool slow_switch; /* hyp.selftest=slowswitch */

/* the board's command line: hyp.check=sched, hyp.selftest=lostwake */
void sched_init(const char *bootargs)
{
	slice_ticks = arch_counter_freq() / 1000 * SLICE_MS;
	wake_ticks = arch_counter_freq() / 1000 * WAKE_MS;
	poll_ticks = arch_counter_freq() / 1000 * POLL_MS;
	if (strstr(bootargs, "hyp.check=sched"))
		check_ticks = arch_counter_freq() / 1000 * CHECK_MS;
	lose_wakes = strstr(bootargs, "hyp.selftest=lostwake") != NULL;
	slow_switch = strstr(bootargs, "hyp.selftest=slowswitch") != NULL;
}

/*
 * hyp.selftest=slowswitch, for tests/test_attack_ctl.py: a load ends 200 us
 * later, and the save of a vcpu whose VM was stopped or reset starts 20 ms
 * later, as on a busy host; a reset must wait for both (vm.c, held_by)
 */
static void slow(u32 us)
{
	u64 end = arch_counter() + arch_counter_freq() / 1000000 * us;

	while (slow_switch && arch_counter() < end)
		;
}

static bool runnable_here(const struct vm *vm, const struct vcpu *v, u32 cpu)
{
	return atomic_read(&vm->state) == VM_RUNNING && v->pcpu == cpu &&
	       atomic_read(&v->state) == VCPU_RUNNABLE;
}

/* the vcpus here that can run, the running one among them */
static u32 runnable_count(u32 cpu)
{
	u32 i, j, n = 0;

	for (i = 0; i < nr_vms; i++)
		for (j = 0; j < vms[i].nr_vcpus; j++)
			n += runnable_here(&vms[i], &vms[i].vcpu[j], cpu);
	return n;
}

/* the next vcpu homed here after prev (vm, vcpu order) that can run, prev last */
static struct vcpu *pick(struct vcpu *prev)
{
	u32 n = nr_vms * VM_MAX_VCPUS, start = 0, i, cpu = arch_cpu_id();

	if (prev)
		start = prev->vm->id * VM_MAX_VCPUS + prev->id + 1;
	for (i = 0; i < n; i++) {
		u32 k = (start + i) % n;
		struct vm *vm = &vms[k / VM_MAX_VCPUS];
		struct vcpu *v = &vm->vcpu[k % VM_MAX_VCPUS];

		if (k % VM_MAX_VCPUS < vm->nr_vcpus && runnable_here(vm, v, cpu)) {
			/* its context (CPU_ON, a reset) before RUNNABLE: sched_runnable() */
			fence_acquire();
			return v;
		}
	}
	return NULL;
}

/* the invariant broken: name the cpu, its runnable vcpus and its timer, and stop */
static void broken(const char *found_by, u32 runnable) __attribute__((noreturn));
static void broken(const char *found_by, u32 runnable)
{
	struct percpu *cpu = this_cpu();
	u64 hp = arch_hyp_timer_deadline();
	char who[100], when[40];
	u32 i, j, len = 0;

	who[0] = 0;
	for (i = 0; i < nr_vms; i++)
		for (j = 0; j < vms[i].nr_vcpus && len < sizeof(who); j++)
			if (runnable_here(&vms[i], &vms[i].vcpu[j], cpu->id))
				len += fmt_snprintf(who + len, sizeof(who) - len, "%s%s/%u%s",
						    len ? ", " : "", vms[i].name, j,
						    &vms[i].vcpu[j] == cpu->current ? " running"
										    : "");
	if (hp == ~0ull)
		fmt_snprintf(when, sizeof(when), "off");
	else
		fmt_snprintf(when, sizeof(when), "at %llu", hp);
	panic("scheduler invariant broken (%s): cpu %u has %u runnable vcpus (%s) but no "
	      "slice timer: the slice ends at %llu, CNTHP is %s",
	      found_by, cpu->id, runnable, who, cpu->slice_end, when);
}

/*
 * program CNTHP for the earliest of: the end of the running vcpu's slice
 * (only if another vcpu waits for this cpu), the timers of vcpus homed
 * here that are not loaded, and the emulated physical timers.
 */
void sched_timer_program(void)
{
	struct percpu *cpu;
	struct vcpu *cur, *v;
	struct vm *vm = vms;
	u32 id = arch_cpu_id(), runnable = 0, i, j;
	u64 next = ~0ull, d;
	bool slice;

	/*
	 * (at every world switch: counting down, the loop's state fits the
	 * callee-saved registers, and the cpu's fields are read after it)
	 */
	for (i = nr_vms; i; i--, vm++) {
		if (atomic_read(&vm->state) != VM_RUNNING)
			continue;
		for (j = vm->nr_vcpus, v = vm->vcpu; j; j--, v++) {
			if (v->pcpu != id)
				continue;
			runnable += atomic_read(&v->state) == VCPU_RUNNABLE;
			d = arch_timer_deadline(v);
			next = d < next ? d : next;
		}
	}
	cpu = &percpu[id];
	cur = cpu->current;
	/* cur, runnable, is one of them: any more wait for its slice to end */
	slice = cur && atomic_read(&cur->state) == VCPU_RUNNABLE && runnable > 1;
	if (cpu->poll_at && cpu->poll_at < next)
		next = cpu->poll_at;
	if (slice && cpu->slice_end < next)
		next = cpu->slice_end;
	arch_hyp_timer_set(next);
	if (slice && arch_hyp_timer_deadline() > cpu->slice_end)
		broken("timer read back", runnable);
}

/*
 * a new slice on cpu from now: SLICE_MS, or, after a slice cut short for
 * a vcpu with an interrupt to take, as long as that one was (WAKE_MS at
 * least). a vcpu that ticks cuts the slices of one that does not, and
 * never the other way round: this gives both the same.
 */
static void fair_slice(struct percpu *cpu)
{
	u64 now = arch_counter(), len = slice_ticks;

	if (slice_was_cut[cpu->id]) {
		u32 n = runnable_count(cpu->id);
		u64 least = wake_ticks / (n > 2 ? n - 1 : 1);

		len = cpu->slice_end - slice_start[cpu->id];
		len = len < least ? least : len > slice_ticks ? slice_ticks : len;
	}
	slice_was_cut[cpu->id] = false;
	slice_start[cpu->id] = now;
	cpu->slice_end = now + len;
}

static void idle(void) __attribute__((noreturn));

/* next, picked here, still runnable here: no stop, reset or move since pick() */
static bool still_runnable(const struct vcpu *v)
{
	return atomic_read(&v->vm->state) == VM_RUNNING && atomic_read(&v->pcpu) == arch_cpu_id() &&
	       atomic_read(&v->state) == VCPU_RUNNABLE;
}

/*
 * the world switch proper: out with the old pl1 state, in with the new.
 * NULL if every vcpu picked was stopped or reset before it could load.
 *
 * `current` says which vcpu this cpu holds, for a cpu that stops or resets
 * its VM (vm.c, load_released: it reloads the VM once no cpu holds one of
 * its vcpus). it is published before the load, never after: a cpu that
 * read another VM's vcpu here meanwhile would reload this one's VM while
 * the load reads it, and its save, later, would write the last life's
 * registers over the new one's. the order, against vm.c's stop() and
 * load_released():
 *   here:  current = next (release: after the old one's save); full fence;
 *          read the VM's and the vcpu's state; load only if still runnable
 *   there: the VM's state (RESETTING, STOPPED; seq_cst); full fence;
 *          read each cpu's current (acquire)
 * of two full fences one comes first: either this cpu reads the new state
 * and lets go of next unloaded, or the other reads next as current here
 * and waits until this cpu lets go of it after its save (release). a
 * RUNNABLE read here is the old life's (then the other waits) or the new
 * one's, whose context vm_load() wrote before the VM's state (release),
 * which the acquire fence after the reads orders before the load.
 */
static struct vcpu *switch_to(struct vcpu *next)
{
	struct percpu *cpu = this_cpu();

	if (cpu->current && cpu->current != next && arch_vcpu_loaded(cpu->current))
		arch_vcpu_save(cpu->current);
	while (next && !arch_vcpu_loaded(next)) {
		store_release(&cpu->current, next);
		fence_full();
		if (still_runnable(next)) {
			fence_acquire();
			arch_vcpu_load(next);
			vm_log_take(next); /* a reset's, had it moved here meanwhile */
			traplog_inc(&next->log->switches);
			fair_slice(cpu);
			slow(200);
			break;
		}
		/* stopped or reset since pick(): let go of it unloaded, and look again */
		store_release(&cpu->current, NULL);
		next = pick(NULL);
	}
	if (!next)
		return NULL;
	/* release: after the save, for a cpu resetting the old one's VM (vm_reset) */
	store_release(&cpu->current, next);
	sched_timer_program();
	return next;
}

/* switch_to() from a trap's exit: with nothing left to run, this cpu idles */
static struct vcpu *switch_or_idle(struct vcpu *next)
{
	next = switch_to(next);
	if (!next)
		idle();
	return next;
}

static bool any_vm_running(void)
{
	u32 i;

	for (i = 0; i < nr_vms; i++)
		if (atomic_read(&vms[i].state) == VM_RUNNING ||
		    atomic_read(&vms[i].state) == VM_RESETTING)
			return true;
	return false;
}

static void idle(void)
{
	static u32 powering_off;
	struct vcpu *next;

	for (;;) {
		if (!any_vm_running()) {
			if (xchg(&powering_off, 1))
				for (;;)
					arch_wfi(); /* another cpu says goodbye */
			vm_print_board();
			log_info("no VM left running: powering off\n");
			platform_power_off();
		}
		next = pick(NULL);
		if (next && (next = switch_to(next)))
			arch_vcpu_enter(next);
		sched_timer_program();
		arch_sleep();
		irq_handle(NULL);
	}
}

void sched_start(void)
{
	this_cpu()->id = arch_cpu_id();
	arch_trap_cycles_start();
	if (check_ticks) {
		arch_check_timer_start(arch_counter() + check_ticks);
	}
	idle();
}

/*
 * nothing else can run and vcpu waits in WFI: sleep here, its state still
 * in the cpu, until an interrupt makes it (or another vcpu) runnable.
 */
static struct vcpu *wait_here(struct vcpu *vcpu)
{
	struct vcpu *next;

	for (;;) {
		arch_sleep();
		irq_handle(vcpu);
		/* its VM stopped, or being reset, from another cpu or the console meanwhile */
		if (atomic_read(&vcpu->vm->state) != VM_RUNNING ||
		    atomic_read(&vcpu->state) == VCPU_OFF ||
		    atomic_read(&vcpu->state) == VCPU_STOPPED || !arch_vcpu_loaded(vcpu) ||
		    vcpu != this_cpu()->current) /* (handed over: loaded elsewhere soon) */
			return sched_next(vcpu);
		/* an interrupt made pending from another cpu may have seen it awake */
		if (atomic_read(&vcpu->state) == VCPU_RUNNABLE || arch_vgic_has_pending(vcpu)) {
			sched_wake(vcpu);	/* (if no one did yet) */
			return switch_to(vcpu); /* (loaded: never NULL) */
		}
		next = pick(vcpu);
		if (next)
			return switch_or_idle(next);
	}
}

struct vcpu *sched_yield(struct vcpu *vcpu, bool wfi)
{
	struct vcpu *next = pick(vcpu);

	if (next == vcpu)
		return vcpu; /* alone here: nothing to switch */
	if (next)
		return switch_or_idle(next);
	if (atomic_read(&vcpu->state) == VCPU_RUNNABLE)
		return vcpu;
	if (wfi && atomic_read(&vcpu->state) == VCPU_WFI)
		return wait_here(vcpu);
	return sched_next(vcpu);
}

struct vcpu *sched_next(struct vcpu *vcpu)
{
	struct vcpu *next = pick(vcpu);

	if (this_cpu()->current != vcpu)
		; /* handed over (sched_hand_over): another cpu's now */
	else if (arch_vcpu_loaded(vcpu) && atomic_read(&vcpu->state) == VCPU_STOPPED)
		slow(20000), arch_vcpu_save(vcpu);
	else if (arch_vcpu_loaded(vcpu))
		arch_vcpu_save(vcpu);
	else
		arch_vcpu_drop(vcpu); /* it reset its VM (vm_reset): clear what we hold */
	if (next)
		return switch_or_idle(next);
	store_release(&this_cpu()->current, NULL);
	idle();
}

/*
 * PSCI CPU_OFF: the vcpu leaves its cpu, and only then is it OFF: another
 * cpu that sees it OFF (AFFINITY_INFO, CPU_ON) may start it again from a
 * fresh state, which the save would otherwise overwrite.
 */
struct vcpu *sched_cpu_off(struct vcpu *vcpu)
{
	struct percpu *cpu = this_cpu();
	struct vcpu *next;

	if (arch_vcpu_loaded(vcpu))
		arch_vcpu_save(vcpu);
	store_release(&cpu->current, NULL);
	store_release(&vcpu->state, VCPU_OFF);
	next = pick(vcpu);
	if (next)
		return switch_or_idle(next);
	idle();
}

/*
 * a vcpu here has an interrupt to take: the running one's slice ends soon.
 * up to n - 1 others may run before it (round robin, n runnable here), so
 * each slice is cut to WAKE_MS / (n - 1), and the one that follows is as
 * short (fair_slice): it waits WAKE_MS at most, beside any number (two
 * spinners and a ticking VM: 30.8 ms with WAKE_MS each)
 */
static void slice_cut(struct percpu *cpu)
{
	u32 n = runnable_count(cpu->id);
	u64 end = arch_counter() + wake_ticks / (n > 2 ? n - 1 : 1);

	if (end < cpu->slice_end) {
		cpu->slice_end = end;
		slice_was_cut[cpu->id] = true;
	}
}

/* a pass of a device's work is owed to a VM here (virtio_mmio.c): a tick by POLL_MS */
void sched_soon(void)
{
	struct percpu *cpu = this_cpu();
	u64 at = arch_counter() + poll_ticks;

	if (cpu->poll_at && cpu->poll_at <= at)
		return;
	cpu->poll_at = at;
	if (arch_hyp_timer_deadline() > at)
		arch_hyp_timer_set(at);
}

/* the hyp timer fired: owed device work, timers of vcpus homed here, and the slice */
struct vcpu *sched_tick(struct vcpu *vcpu)
{
	struct percpu *cpu = this_cpu();
	u32 i, j;

	if (cpu->poll_at && arch_counter() >= cpu->poll_at) {
		cpu->poll_at = 0;
		virtio_tick(); /* (which may owe more: sched_soon again) */
	}

	for (i = 0; i < nr_vms; i++)
		for (j = 0; j < vms[i].nr_vcpus; j++) {
			struct vcpu *v = &vms[i].vcpu[j];

			if (v->pcpu != cpu->id || atomic_read(&vms[i].state) != VM_RUNNING)
				continue;
			arch_timer_check(v);
			/* an interrupt waits for a vcpu switched out: it runs soon */
			if (v != cpu->current && atomic_read(&v->state) == VCPU_RUNNABLE &&
			    arch_vgic_has_pending(v))
				slice_cut(cpu);
		}
	if (vcpu && vcpu == cpu->current && atomic_read(&vcpu->state) == VCPU_RUNNABLE &&
	    arch_counter() >= cpu->slice_end) {
		struct vcpu *next = pick(vcpu);

		if (next && next != vcpu)
			return switch_or_idle(next);
		fair_slice(cpu);
	}
	sched_timer_program();
	return vcpu;
}

/*
 * the one way into RUNNABLE: from `from`, WFI (an interrupt came) or
 * ON_PENDING (CPU_ON or a reset gave it a context), unless another cpu
 * moved it meanwhile (stopped it, reset its VM). then the vcpu's cpu learns
 * of it: this one programs its slice timer now; another gets SGI_KICK,
 * counted in its `waking` until sent, so that its check knows a kick may be
 * on the way. returns whether the vcpu became runnable.
 */
bool sched_runnable(struct vcpu *vcpu, enum vcpu_state from)
{
	struct percpu *home = &percpu[vcpu->pcpu];
	bool remote = vcpu->pcpu != arch_cpu_id(), moved;

	/* (release: after its context, for the cpu that will pick it up) */
	if (!slice_ticks || lose_wakes) /* vm.c's first load; the selftest */
		return cas(&vcpu->state, &from, VCPU_RUNNABLE);
	if (remote)
		atomic_add(&home->waking, 1);
	moved = cas(&vcpu->state, &from, VCPU_RUNNABLE);
	if (remote) {
		fence_full(); /* its home moved meanwhile: the new one */
		if (moved)
			arch_gic_send_sgi(atomic_read(&vcpu->pcpu), SGI_KICK);
		atomic_sub(&home->waking, 1);
	} else if (moved) {
		sched_kicked();
	}
	return moved;
}

/* the vcpu each cpu is handing over (sched_hand_over), held as current is */
static struct vcpu *moving[PLAT_MAX_CPUS];

/*
 * whether cpu holds one of vm's vcpus: its current (loading, loaded or
 * being saved there) or one it is handing over. acquire: what that cpu
 * wrote into the vcpu before it let go is seen (vm.c, load_released)
 */
bool sched_holds(u32 cpu, const struct vm *vm)
{
	const struct vcpu *c = load_acquire(&percpu[cpu].current);
	const struct vcpu *m = load_acquire(&moving[cpu]);

	return (c && c->vm == vm) || (m && m->vm == vm);
}

/*
 * the control ABI's pin of a running VM's vcpu: its home cpu hands it over
 * at the kick (from this cpu too), between two of its runs. a home that
 * read here old has handed it over since: its kick makes the new one look.
 */
void sched_move(struct vcpu *vcpu, u32 cpu)
{
	store_full(&vcpu->move_to, cpu + 1);
	arch_gic_send_sgi(load_full(&vcpu->pcpu), SGI_KICK);
}

/*
 * SGI_KICK: the vcpus homed here that move go, one at a time, only this
 * cpu changing their home. the running (or WFI-waiting) one is saved first
 * (its LRs into its vgic, its forwarded timer interrupt ended). its vfp,
 * hyp stack and ring follow it, then its home; this cpu lets go of it (its
 * trap's exit, or wait_here(), sees it is not current and picks another),
 * then a kick there, which a RUNNABLE vcpu needs; one in WFI waits there
 * as here (its timer in the new home's sched_tick). one OFF goes at the
 * first kick here after its CPU_ON. a wake from another cpu that read the
 * old home: sched_runnable() looks again.
 */
void sched_hand_over(void)
{
	struct percpu *cpu = this_cpu();
	enum vcpu_state s;
	u32 i, j, to;

	for (i = 0; i < nr_vms; i++)
		for (j = 0; j < vms[i].nr_vcpus; j++) {
			struct vcpu *v = &vms[i].vcpu[j];

			/* acquire: after a CPU_ON's init; OFF, it waits for a later kick */
			s = load_acquire(&v->state);
			if (v->pcpu != cpu->id || atomic_read(&vms[i].state) != VM_RUNNING ||
			    !v->move_to || s == VCPU_OFF || s == VCPU_ON_PENDING)
				continue;
			/*
			 * held while it moves, as while it loads (switch_to, the same
			 * order): a reset from another cpu waits for the move, or this
			 * cpu sees it and leaves the vcpu to the reset, which homes it
			 * at its pin. else the reset's vm_load() and the move would
			 * each write its home and its hyp stack, and it could run on
			 * one cpu with the other's stack, or keep its last life's vfp.
			 */
			store_release(&moving[cpu->id], v);
			fence_full();
			if (atomic_read(&vms[i].state) != VM_RUNNING) {
				store_release(&moving[cpu->id], NULL);
				continue;
			}
			fence_acquire();
			to = xchg_acquire(&v->move_to, 0) - 1;
			if (to == cpu->id) {
				store_release(&moving[cpu->id], NULL);
				continue;
			}
			if (v == cpu->current && arch_vcpu_loaded(v))
				arch_vcpu_save(v);
			arch_vcpu_moved(v, to);
			/* a kick on its way there, as in sched_runnable(), for its check */
			atomic_add(&percpu[to].waking, 1);
			vcpu_set_home(v, to);
			/* held till here, for a reset from another cpu (vm.c, held_by) */
			if (v == cpu->current)
				store_release(&cpu->current, NULL);
			store_release(&moving[cpu->id], NULL);
			/* for sched_runnable()'s second look */
			fence_full();
			arch_gic_send_sgi(to, SGI_KICK);
			atomic_sub(&percpu[to].waking, 1);
		}
}

/* a vcpu homed here woke (or SGI_KICK says one did): the slice ends soon */
void sched_kicked(void)
{
	slice_cut(this_cpu());
	sched_timer_program();
}

/* hyp.check=sched: every CHECK_MS, the invariant as it stands */
void sched_check_tick(void)
{
	struct percpu *cpu = this_cpu();
	struct vcpu *cur = cpu->current;
	u32 i, j, runnable = 0;

	arch_check_timer_set(arch_counter() + check_ticks);
	/* idle, or waiting in WFI: it picks again when this interrupt is done */
	if (!cur || atomic_read(&cur->state) != VCPU_RUNNABLE)
		return;
	for (i = 0; i < nr_vms; i++)
		for (j = 0; j < vms[i].nr_vcpus; j++)
			runnable += runnable_here(&vms[i], &vms[i].vcpu[j], cpu->id);
	if (runnable < 2 || arch_hyp_timer_deadline() <= cpu->slice_end)
		return;
	/* another cpu's wake in flight: its kick will program the timer */
	if (load_acquire(&cpu->waking) || arch_gic_pending(SGI_KICK))
		return;
	broken("check timer", runnable);
}
