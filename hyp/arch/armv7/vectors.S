/*
 * the hyp vector table (B1.8.1, HVBAR). guests' traps, irqs and fiqs save
 * r0-r12, lr_usr, pc and cpsr into the running vcpu and call
 * trap_entry(vcpu, hsr, pc) or irq_entry(vcpu, -, pc), which return the
 * vcpu to resume.
 * everything else taken in hyp mode is the hypervisor's own fault.
 */
#include "arch/sysregs.h"
#include "arch/arch.h"
#include "asm_defs.h"

	.arm
	.syntax unified
	.text

	.align	5
	.global	hyp_vectors
hyp_vectors:
	b	hyp_fault_reset		@ 0x00
	b	hyp_fault_undef		@ 0x04 undefined instruction in hyp
	b	hyp_fault_call		@ 0x08 hvc/svc executed in hyp
	b	hyp_fault_pabt		@ 0x0c prefetch abort in hyp
	b	hyp_fault_dabt		@ 0x10 data abort in hyp
	b	guest_trap		@ 0x14 hyp trap: every trap from the guest
	b	guest_irq		@ 0x18
	b	guest_fiq		@ 0x1c

/*
 * while a guest runs, sp_hyp points at its saved registers (struct gp_regs,
 * the start of its vcpu), so one stm saves r0-r12 and lr_usr; then sp
 * becomes this cpu's hyp stack again. the entry gets the vcpu, the HSR
 * (traps only) and the guest's pc, which r2 holds already.
 */
.macro guest_exit entry, hsr=0
	stmia	sp, {r0-r12, lr}
	mrs	r2, ELR_hyp
	mrs	r3, spsr
	strd	r2, r3, [sp, #VCPU_PC]
	mov	r0, sp
	ldr	sp, [r0, #VCPU_HYP_SP]
.if \hsr
	mrc	CP32(r1, HSR)
.endif
	bl	\entry
.endm

guest_irq:
	guest_exit irq_entry
	b	guest_resume
guest_fiq:
	guest_exit irq_entry
	b	guest_resume
guest_trap:
	guest_exit trap_entry, 1	@ falls into guest_resume: a branch fewer per trap

/* guest_resume(vcpu): load its general registers and eret into it */
	.global	guest_resume
guest_resume:
	ldrd	r2, r3, [r0, #VCPU_PC]
	msr	ELR_hyp, r2
	msr	spsr_cxsf, r3
	mov	sp, r0
	ldmia	sp, {r0-r12, lr}
	eret


/*
 * the hypervisor's own exceptions: build a struct hyp_frame (r0-r12, lr,
 * elr, spsr, sp) and let C print it and stop the board. the frame goes on
 * a stack of its own, since the fault may be a stack overflow into a guard
 * page; r0 waits in HTPIDR meanwhile, unused otherwise.
 */
.macro hyp_fault kind
	mcr	CP32(r0, HTPIDR)
	movw	r0, #:lower16:(hyp_fault_stack + HYP_FAULT_STACK)
	movt	r0, #:upper16:(hyp_fault_stack + HYP_FAULT_STACK)
	str	sp, [r0, #-4]!			@ the faulting sp: the frame's last word
	mov	sp, r0
	mrc	CP32(r0, HTPIDR)
	sub	sp, sp, #(HYP_FRAME_SIZE - 4)
	stmia	sp, {r0-r12, lr}
	mrs	r0, ELR_hyp
	mrs	r1, spsr
	add	r3, sp, #HYP_FRAME_ELR
	stmia	r3, {r0, r1}
	mov	r0, #\kind
	mov	r1, sp
	bl	hyp_fault
	b	.
.endm

hyp_fault_reset:
	hyp_fault 0
hyp_fault_undef:
	hyp_fault 1
hyp_fault_call:
	hyp_fault 2
hyp_fault_pabt:
	hyp_fault 3
hyp_fault_dabt:
	hyp_fault 4
