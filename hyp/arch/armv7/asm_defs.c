/*
 * offsets and constants for assembly, generated from the C definitions at
 * build time (the Makefile turns the "->NAME value" lines into asm_defs.h).
 */
#include "vm.h"
#include "arch/arch.h"

#define DEFINE(sym, val) asm volatile("\n->" #sym " %0 " : : "i"(val))

void asm_defs(void);
void asm_defs(void)
{
	DEFINE(VCPU_R0, offsetof(struct vcpu, arch.regs.r[0]));
	DEFINE(VCPU_PC, offsetof(struct vcpu, arch.regs.pc));
	DEFINE(VCPU_CPSR, offsetof(struct vcpu, arch.regs.cpsr));
	DEFINE(VCPU_HYP_SP, offsetof(struct vcpu, arch.hyp_sp));
	DEFINE(HYP_FRAME_SIZE, sizeof(struct hyp_frame));
	DEFINE(HYP_FRAME_ELR, offsetof(struct hyp_frame, elr));
	DEFINE(HYP_STACK_SIZE_DEF, HYP_STACK_SIZE);
}
