/* hvc and smc calls from guests: SMCCC, PSCI and this hypervisor's own. */
#include "atomic.h"
#include "hypercall.h"
#include "images.h"
#include "nullcall.h"
#include "sched.h"
#include "traplog_inc.h"
#include "vm.h"

static enum traplog_hvc_range range_of(u32 fid, u32 imm)
{
	if (imm)
		return HVC_RANGE_IMM;
	if (fid == HYP_CALL_NULL)
		return HVC_RANGE_NULL;
	if (!(fid & SMCCC_FAST))
		return HVC_RANGE_YIELDING;
	switch (SMCCC_OWNER(fid)) {
	case SMCCC_OWNER_ARCH: return HVC_RANGE_ARCH;
	case SMCCC_OWNER_PSCI: return HVC_RANGE_PSCI;
	case SMCCC_OWNER_STD_HYP: return HVC_RANGE_STD_HYP;
	case SMCCC_OWNER_VENDOR_HYP: return HVC_RANGE_VENDOR_HYP;
	default: return HVC_RANGE_OTHER_FAST;
	}
}

/* the entry counting fid among the first n, or NULL */
static u32 *call_count(struct vm *vm, u32 fid, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (vm->calls[i].fid == fid)
			return &vm->calls[i].count;
	return NULL;
}

/*
 * per-function counts for the VM's table; ids past 16 distinct go uncounted
 * here. the VM's vcpus may call on several cpus at once: counts are atomic,
 * and a new entry is written whole before nr_calls shows it.
 */
static void count_call(struct vm *vm, u32 fid)
{
	u32 *c = call_count(vm, fid, load_acquire(&vm->nr_calls)), n;

	if (!c) {
		spin_lock(&vm->calls_lock);
		n = vm->nr_calls;
		c = call_count(vm, fid, n);
		if (!c && n < ARRAY_SIZE(vm->calls)) {
			vm->calls[n].fid = fid;
			vm->calls[n].count = 0;
			c = &vm->calls[n].count;
			store_release(&vm->nr_calls, n + 1);
		}
		spin_unlock(&vm->calls_lock);
		if (!c)
			return;
	}
	atomic_add_relaxed(c, 1);
}

static const struct {
	u32 fid;
	const char *name;
} call_names[] = {
	{SMCCC_VERSION, "SMCCC_VERSION"},
	{SMCCC_ARCH_FEATURES, "SMCCC_ARCH_FEATURES"},
	{PSCI_VERSION, "PSCI_VERSION"},
	{PSCI_CPU_SUSPEND, "PSCI_CPU_SUSPEND"},
	{PSCI_CPU_OFF, "PSCI_CPU_OFF"},
	{PSCI_CPU_ON, "PSCI_CPU_ON"},
	{PSCI_AFFINITY_INFO, "PSCI_AFFINITY_INFO"},
	{PSCI_MIGRATE_INFO_TYPE, "PSCI_MIGRATE_INFO_TYPE"},
	{PSCI_SYSTEM_OFF, "PSCI_SYSTEM_OFF"},
	{PSCI_SYSTEM_RESET, "PSCI_SYSTEM_RESET"},
	{PSCI_FEATURES, "PSCI_FEATURES"},
	{HYP_CALL_COUNT, "HYP_CALL_COUNT"},
	{HYP_CALL_UID, "HYP_CALL_UID"},
	{HYP_CALL_REVISION, "HYP_CALL_REVISION"},
	{HYP_CALL_LOG_INFO, "HYP_CALL_LOG_INFO"},
	{HYP_CALL_LOG_RESET, "HYP_CALL_LOG_RESET"},
	{HYP_CALL_RING, "HYP_CALL_RING"},
	{HYP_CALL_MARK, "HYP_CALL_MARK"},
	{HYP_CTL_LIST, "HYP_CTL_LIST"},
	{HYP_CTL_NAME, "HYP_CTL_NAME"},
	{HYP_CTL_START, "HYP_CTL_START"},
	{HYP_CTL_SHUTDOWN, "HYP_CTL_SHUTDOWN"},
	{HYP_CTL_DESTROY, "HYP_CTL_DESTROY"},
	{HYP_CTL_RESET, "HYP_CTL_RESET"},
	{HYP_CTL_PIN, "HYP_CTL_PIN"},
	{0xffffffffu, "hvc-imm!=0"},
};

const char *hypercall_name(u32 fid)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(call_names); i++)
		if (call_names[i].fid == fid)
			return call_names[i].name;
	return NULL;
}

static void ret4(struct vcpu *vcpu, u32 a, u32 b, u32 c, u32 d)
{
	arch_vcpu_set_ret(vcpu, 0, a);
	arch_vcpu_set_ret(vcpu, 1, b);
	arch_vcpu_set_ret(vcpu, 2, c);
	arch_vcpu_set_ret(vcpu, 3, d);
}

static __attribute__((noinline)) struct vcpu *call(struct vcpu *vcpu, u32 imm)
{
	u32 fid = arch_vcpu_arg(vcpu, 0), a1 = arch_vcpu_arg(vcpu, 1), ret;

	traplog_inc(&vcpu->log->hvc[range_of(fid, imm)]);
	count_call(vcpu->vm, imm ? 0xffffffffu : fid);
	if (imm) {
		arch_vcpu_set_ret(vcpu, 0, SMCCC_NOT_SUPPORTED);
		return vcpu;
	}
	switch (fid) {
	case HYP_CALL_LOG_INFO:
		ret4(vcpu, 0, traplog.version, traplog.size, vcpu->vm->id);
		return vcpu;
	case HYP_CALL_LOG_RESET:
		vm_log_reset(vcpu->vm);
		ret = 0;
		break;
	case HYP_CALL_RING: /* every cpu's rings: the control VM's switch (docs/control.md) */
		ret = vcpu->vm->image->flags & GUEST_CONTROL ? traplog_set_recording(a1 & 1)
							     : (u32)HYP_CTL_UNSUPPORTED;
		break;
	case HYP_CALL_MARK:
		ret = traplog_mark(vcpu->pcpu, vcpu->log_who, a1, arch_vcpu_pc(vcpu),
				   arch_counter());
		break;
	case HYP_CALL_COUNT: ret = HYP_CALLS; break;
	case HYP_CALL_UID: ret4(vcpu, HYP_UID0, HYP_UID1, HYP_UID2, HYP_UID3); return vcpu;
	case HYP_CALL_REVISION:
		ret4(vcpu, 1, 0, arch_vcpu_arg(vcpu, 2), arch_vcpu_arg(vcpu, 3));
		return vcpu;
	case SMCCC_VERSION:
		ret = 0x10001; /* SMCCC 1.1 */
		break;
	case SMCCC_ARCH_FEATURES: ret = a1 == SMCCC_VERSION ? 0 : SMCCC_NOT_SUPPORTED; break;
	default:
		if (fid >= HYP_CTL_LIST && fid <= HYP_CTL_PIN)
			return ctl_hvc(vcpu, fid);
		if (SMCCC_OWNER(fid) == SMCCC_OWNER_PSCI && (fid & SMCCC_FAST))
			return psci_call(vcpu, fid);
		ret = SMCCC_NOT_SUPPORTED;
	}
	arch_vcpu_set_ret(vcpu, 0, ret);
	return vcpu;
}

/* both conduits, hvc and smc, answer the same calls */
struct vcpu *hypercall(struct vcpu *vcpu, u32 imm)
{
	if (arch_vcpu_arg(vcpu, 0) == HYP_CALL_NULL && !imm)
		return hypercall_null(vcpu, vcpu->log); /* an smc, or not by trap_entry */
	return call(vcpu, imm);
}
