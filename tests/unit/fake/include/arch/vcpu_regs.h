/* the fake's inline register accessors (vm.h): straight from the register file */
#ifndef ARCH_VCPU_REGS_H
#define ARCH_VCPU_REGS_H

static inline u32 arch_vcpu_arg(const struct vcpu *vcpu, u32 n) { return vcpu->arch.r[n]; }
static inline void arch_vcpu_set_ret(struct vcpu *vcpu, u32 n, u32 val) { vcpu->arch.r[n] = val; }
static inline void arch_vcpu_set_rets(struct vcpu *vcpu, u32 a, u32 b, u32 c, u32 d)
{
	vcpu->arch.r[0] = a, vcpu->arch.r[1] = b, vcpu->arch.r[2] = c, vcpu->arch.r[3] = d;
}
static inline u32 arch_vcpu_reg_read(struct vcpu *vcpu, u32 n) { return vcpu->arch.r[n]; }
static inline void arch_vcpu_reg_write(struct vcpu *vcpu, u32 n, u32 val) { vcpu->arch.r[n] = val; }
static inline u32 arch_vcpu_pc(const struct vcpu *vcpu) { return vcpu->arch.r[15]; }
static inline u32 arch_vcpu_mpidr(const struct vcpu *vcpu) { return vcpu->arch.mpidr; }
static inline bool arch_vcpu_loaded(const struct vcpu *vcpu) { return vcpu->arch.loaded; }

#endif
