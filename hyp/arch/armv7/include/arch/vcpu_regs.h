/*
 * the inline half of the contract, for a vcpu's registers: the accessors
 * vm.h declares, read on every hypercall and emulated access, and the
 * trap handlers' step over an instruction. included by vm.h once struct
 * vcpu is complete; nothing else includes it.
 */
#ifndef ARCH_VCPU_REGS_H
#define ARCH_VCPU_REGS_H

#include "arch/hsr.h"

/* SMCCC on aarch32 (DEN0028 2.6): function id and arguments in r0-r7, results in r0-r3 */
static inline u32 arch_vcpu_arg(const struct vcpu *vcpu, u32 n)
{
	return vcpu->arch.regs.r[n];
}

static inline void arch_vcpu_set_ret(struct vcpu *vcpu, u32 n, u32 val)
{
	vcpu->arch.regs.r[n] = val;
}

/* results r0-r3 at once: the values pinned to r0-r3 for one stm */
static inline void arch_vcpu_set_rets(struct vcpu *vcpu, u32 a, u32 b, u32 c, u32 d)
{
	register u32 r0 asm("r0") = a, r1 asm("r1") = b, r2 asm("r2") = c, r3 asm("r3") = d;

	asm("stm %[p], {r0-r3}"
	    : "=m"(*(struct { u32 r[4]; } *)vcpu->arch.regs.r)
	    : [p] "r"(vcpu->arch.regs.r), "r"(r0), "r"(r1), "r"(r2), "r"(r3));
}

/*
 * general register n as the guest's current mode sees it. r0-r7 are the
 * same in every mode and sit in the saved frame: inline. r8-r15 may be
 * banked (B1.3.2) or the pc: vcpu.c.
 */
u32 vcpu_reg_read_banked(struct vcpu *vcpu, u32 n);
void vcpu_reg_write_banked(struct vcpu *vcpu, u32 n, u32 val);

static inline u32 arch_vcpu_reg_read(struct vcpu *vcpu, u32 n)
{
	return n < 8 ? vcpu->arch.regs.r[n] : vcpu_reg_read_banked(vcpu, n);
}

static inline void arch_vcpu_reg_write(struct vcpu *vcpu, u32 n, u32 val)
{
	if (n < 8)
		vcpu->arch.regs.r[n] = val;
	else
		vcpu_reg_write_banked(vcpu, n, val);
}

/*
 * past the trapped instruction: HSR.IL gives its length (B3.13.6), and in
 * Thumb state an IT block advances (A2.5.2, psr_it_advance in hsr.c).
 */
static inline void vcpu_skip_instr(struct vcpu *vcpu, u32 hsr)
{
	vcpu->arch.regs.pc += (hsr & HSR_IL) ? 4 : 2;
	if (vcpu->arch.regs.cpsr & PSR_T)
		vcpu->arch.regs.cpsr = psr_it_advance(vcpu->arch.regs.cpsr);
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
