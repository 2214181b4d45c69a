/* PSCI 1.0 for guests (DEN0022D): power their vcpus and the VM itself. */
#include "atomic.h"
#include "hypercall.h"
#include "sched.h"
#include "vm.h"

static struct vcpu *vcpu_by_mpidr(struct vm *vm, u32 mpidr)
{
	u32 i;

	for (i = 0; i < vm->nr_vcpus; i++)
		if ((arch_vcpu_mpidr(&vm->vcpu[i]) & 0x00ffffffu) == (mpidr & 0x00ffffffu))
			return &vm->vcpu[i];
	return NULL;
}

static bool supported(u32 fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON:
	case PSCI_AFFINITY_INFO:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case SMCCC_VERSION: /* SMCCC 1.1 is there, by this conduit too */ return true;
	}
	return false;
}

struct vcpu *psci_call(struct vcpu *vcpu, u32 fid)
{
	u32 a1 = arch_vcpu_arg(vcpu, 1), a2 = arch_vcpu_arg(vcpu, 2), ret;
	struct vm *vm = vcpu->vm;
	struct vcpu *target;
	enum vcpu_state s;

	switch (fid) {
	case PSCI_VERSION:
		ret = 0x10000; /* 1.0 */
		break;
	case PSCI_FEATURES: ret = supported(a1) ? PSCI_SUCCESS : (u32)PSCI_NOT_SUPPORTED; break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = 2; /* no trusted os: nothing to migrate */
		break;
	case PSCI_AFFINITY_INFO:
		target = vcpu_by_mpidr(vm, a1);
		if (!target || a2 != 0)
			ret = (u32)PSCI_INVALID_PARAMS;
		else if (atomic_read(&target->state) == VCPU_ON_PENDING)
			ret = 2;
		else
			ret = atomic_read(&target->state) == VCPU_OFF ? 1 : 0;
		break;
	case PSCI_CPU_ON:
		target = vcpu_by_mpidr(vm, a1);
		if (!target) {
			ret = (u32)PSCI_INVALID_PARAMS;
			break;
		}
		/* 5.1.4: an entry point outside the VM's RAM is refused before the claim */
		if (a2 < ipa_addr(vm->ram_ipa) || a2 - ipa_addr(vm->ram_ipa) >= vm->ram_size) {
			ret = (u32)PSCI_INVALID_ADDRESS;
			break;
		}
		/* claimed, so that a CPU_ON from another cpu cannot init it too */
		s = VCPU_OFF;
		if (!cas_acquire(&target->state, &s, VCPU_ON_PENDING)) {
			ret = (u32)(s == VCPU_ON_PENDING ? PSCI_ON_PENDING : PSCI_ALREADY_ON);
			break;
		}
		/* the entry point is an ipa: the new vcpu starts with its mmu off */
		arch_vcpu_init(target, ipa_init(a2), arch_vcpu_arg(vcpu, 3), 0, 0);
		arch_vcpu_set_ret(vcpu, 0, PSCI_SUCCESS);
		sched_runnable(target, VCPU_ON_PENDING);
		return vcpu;
	case PSCI_CPU_OFF: return sched_cpu_off(vcpu);
	case PSCI_SYSTEM_OFF: vm_stop(vm, "system off"); return sched_next(vcpu);
	case PSCI_SYSTEM_RESET: vm_reset(vm); return sched_next(vcpu);
	default: ret = (u32)PSCI_NOT_SUPPORTED;
	}
	arch_vcpu_set_ret(vcpu, 0, ret);
	return vcpu;
}
