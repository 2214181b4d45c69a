/*
 * the inline half of the contract, for a vcpu's registers: the accessors
 * vm.h declares, read on every hypercall. included by vm.h once struct
 * vcpu is complete; nothing else includes it.
 */
#ifndef ARCH_VCPU_REGS_H
#define ARCH_VCPU_REGS_H

/* SMCCC on aarch32 (DEN0028 2.6): function id and arguments in r0-r7, results in r0-r3 */
static inline u32 arch_vcpu_arg(const struct vcpu *vcpu, u32 n)
{
	return vcpu->arch.regs.r[n];
}

static inline void arch_vcpu_set_ret(struct vcpu *vcpu, u32 n, u32 val)
{
	vcpu->arch.regs.r[n] = val;
}

/* the trapping instruction's address (ELR_hyp) */
static inline u32 arch_vcpu_pc(const struct vcpu *vcpu)
{
	return vcpu->arch.regs.pc;
}

/* the MPIDR the vcpu reads (VMPIDR, set by arch_vcpu_init) */
static inline u32 arch_vcpu_mpidr(const struct vcpu *vcpu)
{
	return vcpu->arch.vmpidr;
}

static inline bool arch_vcpu_loaded(const struct vcpu *vcpu)
{
	return vcpu->arch.loaded;
}

#endif
