/*
 * the scheduler. every vcpu has a home cpu (from its VM's cpu list). the
 * runnable vcpus of a cpu take turns in 10 ms slices timed by the hyp timer
 * (CNTHP), and a vcpu that waits in WFI gives its cpu away at once. the
 * same timer stands in for the virtual timers of vcpus that are not
 * loaded, and for the emulated physical timers, so a guest's timer fires
 * on time whether it runs or not. when no VM is left, the board prints its
 * trap tables and powers off.
 */
#include "console.h"
#include "irq.h"
#include "percpu.h"
#include "platform_if.h"
#include "sched.h"
#include "vm.h"

#define SLICE_MS	10

struct percpu percpu[PLAT_MAX_CPUS];
static u64 slice_ticks;

/* the next vcpu homed here after prev (vm, vcpu order) that can run, prev last */
static struct vcpu *pick(struct vcpu *prev)
{
	u32 n = nr_vms * VM_MAX_VCPUS, start = 0, i, cpu = cpu_id();

	if (prev)
		start = prev->vm->id * VM_MAX_VCPUS + prev->id + 1;
	for (i = 0; i < n; i++) {
		u32 k = (start + i) % n;
		struct vm *vm = &vms[k / VM_MAX_VCPUS];
		struct vcpu *v = &vm->vcpu[k % VM_MAX_VCPUS];

		if (vm->state == VM_RUNNING && k % VM_MAX_VCPUS < vm->nr_vcpus &&
		    v->pcpu == cpu && v->state == VCPU_RUNNABLE)
			return v;
	}
	return NULL;
}

/*
 * program CNTHP for the earliest of: the end of the running vcpu's slice
 * (only if another vcpu waits for this cpu), the timers of vcpus homed
 * here that are not loaded, and the emulated physical timers.
 */
void sched_timer_program(void)
{
	struct percpu *cpu = this_cpu();
	u64 next = ~0ull, d;
	u32 i, j;

	if (cpu->current && cpu->current->state == VCPU_RUNNABLE && pick(cpu->current) &&
	    pick(cpu->current) != cpu->current)
		next = cpu->slice_end;
	for (i = 0; i < nr_vms; i++)
		for (j = 0; j < vms[i].nr_vcpus; j++) {
			struct vcpu *v = &vms[i].vcpu[j];

			if (v->pcpu != cpu->id || vms[i].state != VM_RUNNING)
				continue;
			d = arch_timer_deadline(v);
			if (d < next)
				next = d;
		}
	arch_hyp_timer_set(next);
}

/* the world switch proper: out with the old pl1 state, in with the new */
static struct vcpu *switch_to(struct vcpu *next)
{
	struct percpu *cpu = this_cpu();

	if (cpu->current && cpu->current != next && arch_vcpu_loaded(cpu->current))
		arch_vcpu_save(cpu->current);
	if (!arch_vcpu_loaded(next)) {
		arch_vcpu_load(next);
		traplog_inc(&next->log->switches);
		cpu->slice_end = arch_counter() + slice_ticks;
	}
	cpu->current = next;
	sched_timer_program();
	return next;
}

static bool any_vm_running(void)
{
	u32 i;

	for (i = 0; i < nr_vms; i++)
		if (vms[i].state == VM_RUNNING)
			return true;
	return false;
}

static void idle(void) __attribute__((noreturn));
static void idle(void)
{
	static u32 powering_off;
	struct vcpu *next;

	for (;;) {
		if (!any_vm_running()) {
			if (__atomic_exchange_n(&powering_off, 1, __ATOMIC_ACQ_REL))
				for (;;)
					wfi();		/* another cpu says goodbye */
			vm_print_board();
			log_info("no VM left running: powering off\n");
			platform_power_off();
		}
		next = pick(NULL);
		if (next)
			arch_vcpu_enter(switch_to(next));
		sched_timer_program();
		wfi();
		irq_handle(NULL);
	}
}

void sched_start(void)
{
	if (!slice_ticks)
		slice_ticks = arch_counter_freq() / 1000 * SLICE_MS;
	this_cpu()->id = cpu_id();
	arch_trap_cycles_start();
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
		wfi();
		irq_handle(vcpu);
		/* reset or stopped from another cpu meanwhile */
		if (vcpu->vm->state != VM_RUNNING || vcpu->state == VCPU_OFF ||
		    vcpu->state == VCPU_STOPPED)
			return sched_next(vcpu);
		/* an interrupt made pending from another cpu may have seen it awake */
		if (vcpu->state == VCPU_RUNNABLE || vgic_has_pending(vcpu)) {
			vcpu->state = VCPU_RUNNABLE;
			return switch_to(vcpu);	/* loads it again if it was reset */
		}
		next = pick(vcpu);
		if (next)
			return switch_to(next);
	}
}

struct vcpu *sched_yield(struct vcpu *vcpu, bool wfi)
{
	struct vcpu *next = pick(vcpu);

	if (next == vcpu)
		return vcpu;		/* alone here: nothing to switch */
	if (next)
		return switch_to(next);
	if (vcpu->state == VCPU_RUNNABLE)
		return vcpu;
	if (wfi && vcpu->state == VCPU_WFI)
		return wait_here(vcpu);
	return sched_next(vcpu);
}

struct vcpu *sched_next(struct vcpu *vcpu)
{
	struct vcpu *next = pick(vcpu);

	if (arch_vcpu_loaded(vcpu))
		arch_vcpu_save(vcpu);
	else if (this_cpu()->current == vcpu)
		arch_vcpu_drop(vcpu);	/* reset from another cpu: clear what we hold */
	if (next)
		return switch_to(next);
	this_cpu()->current = NULL;
	idle();
}

/* the hyp timer fired: timers of vcpus homed here, and the slice */
struct vcpu *sched_tick(struct vcpu *vcpu)
{
	struct percpu *cpu = this_cpu();
	u32 i, j;

	for (i = 0; i < nr_vms; i++)
		for (j = 0; j < vms[i].nr_vcpus; j++)
			if (vms[i].vcpu[j].pcpu == cpu->id && vms[i].state == VM_RUNNING)
				arch_timer_check(&vms[i].vcpu[j]);
	if (vcpu && vcpu == cpu->current && vcpu->state == VCPU_RUNNABLE &&
	    arch_counter() >= cpu->slice_end) {
		struct vcpu *next = pick(vcpu);

		if (next && next != vcpu)
			return switch_to(next);
		cpu->slice_end = arch_counter() + slice_ticks;
	}
	sched_timer_program();
	return vcpu;
}

/* an interrupt or CPU_ON for vcpu: runnable, and its cpu told if not this one */
void sched_wake(struct vcpu *vcpu)
{
	/* after its context (CPU_ON), for the cpu that will pick it up */
	__atomic_store_n(&vcpu->state, VCPU_RUNNABLE, __ATOMIC_RELEASE);
	if (vcpu->pcpu != cpu_id())
		gic_send_sgi(vcpu->pcpu, SGI_KICK);
}
