/*
 * the scheduler: vcpus that may run here take turns, switching when one
 * waits (wfi/wfe) or stops. when nothing is left to run on any cpu the
 * board prints its trap tables and powers off.
 */
#include "arch/arch.h"
#include "arch/sysregs.h"
#include "console.h"
#include "percpu.h"
#include "sched.h"
#include "vm.h"

struct percpu percpu[PLAT_MAX_CPUS];

/* the vcpu after prev in (vm, vcpu) order that can run, prev last */
static struct vcpu *pick(struct vcpu *prev)
{
	u32 n = nr_vms * VM_MAX_VCPUS, start = 0, i;

	if (prev)
		start = prev->vm->id * VM_MAX_VCPUS + prev->id + 1;
	for (i = 0; i < n; i++) {
		u32 k = (start + i) % n;
		struct vm *vm = &vms[k / VM_MAX_VCPUS];
		struct vcpu *v = &vm->vcpu[k % VM_MAX_VCPUS];

		if (vm->state == VM_RUNNING && k % VM_MAX_VCPUS < vm->nr_vcpus &&
		    v->state == VCPU_RUNNABLE)
			return v;
	}
	return NULL;
}

/* the world switch proper: out with the old pl1 state, in with the new */
static struct vcpu *switch_to(struct vcpu *next)
{
	struct percpu *cpu = this_cpu();

	if (cpu->current && cpu->current != next && cpu->current->arch.loaded)
		arch_vcpu_save(cpu->current);
	if (!next->arch.loaded) {
		arch_vcpu_load(next);
		next->log->switches++;
	}
	cpu->current = next;
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
	struct vcpu *next;

	this_cpu()->current = NULL;
	for (;;) {
		if (!any_vm_running()) {
			vm_print_board();
			console_printf("hyp: no VM left running: powering off\n");
			platform_power_off();
		}
		next = pick(NULL);
		if (next)
			guest_enter(switch_to(next), (u32)(uintptr_t)hyp_stacks +
				    (cpu_id() + 1) * HYP_STACK_SIZE);
		wfi();
		irq_handle(NULL);
	}
}

void sched_start(void)
{
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
		if (vcpu->state == VCPU_RUNNABLE)
			return vcpu;
		if (vcpu->vm->state != VM_RUNNING)
			return sched_next(vcpu);
		next = pick(vcpu);
		if (next)
			return switch_to(next);
	}
}

struct vcpu *sched_yield(struct vcpu *vcpu, bool wfi)
{
	struct vcpu *next = pick(vcpu);

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

	if (vcpu->arch.loaded)
		arch_vcpu_save(vcpu);
	if (next)
		return switch_to(next);
	idle();
}

void sched_wake(struct vcpu *vcpu)
{
	vcpu->state = VCPU_RUNNABLE;
}
