/*
 * the hyp vector table (B1.8.1, HVBAR). guests' traps, irqs and fiqs save
 * r0-r12, lr_usr, pc and cpsr into the running vcpu (HTPIDR) and call
 * trap_entry(vcpu, kind), which returns the vcpu to resume. everything
 * else taken in hyp mode is the hypervisor's own fault.
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

.macro guest_exit kind
	push	{r0}
	mrc	CP32(r0, HTPIDR)
	stmib	r0, {r1-r12, lr}	@ r1..r12 and lr_usr after r0
	pop	{r1}
	str	r1, [r0, #VCPU_R0]
	mrs	r1, ELR_hyp
	mrs	r2, spsr
	str	r1, [r0, #VCPU_PC]
	str	r2, [r0, #VCPU_CPSR]
	mov	r1, #\kind
	bl	trap_entry
	b	guest_resume
.endm

guest_trap:
	guest_exit TRAP_KIND_TRAP
guest_irq:
	guest_exit TRAP_KIND_IRQ
guest_fiq:
	guest_exit TRAP_KIND_FIQ

/* guest_resume(vcpu): load its general registers and eret into it */
	.global	guest_resume
guest_resume:
	mcr	CP32(r0, HTPIDR)
	ldr	r1, [r0, #VCPU_PC]
	ldr	r2, [r0, #VCPU_CPSR]
	msr	ELR_hyp, r1
	msr	spsr_cxsf, r2
	ldmib	r0, {r1-r12, lr}
	ldr	r0, [r0, #VCPU_R0]
	eret

/* guest_enter(vcpu, sp): first entry from C, dropping the C stack frames */
	.global	guest_enter
guest_enter:
	mov	sp, r1
	b	guest_resume

/*
 * the hypervisor's own exceptions: build a struct hyp_frame on the stack
 * (r0-r12, lr, elr, spsr, sp) and let C print it and stop the board.
 */
.macro hyp_fault kind
	sub	sp, sp, #HYP_FRAME_SIZE
	stmia	sp, {r0-r12, lr}
	mrs	r0, ELR_hyp
	mrs	r1, spsr
	add	r2, sp, #HYP_FRAME_SIZE
	add	r3, sp, #HYP_FRAME_ELR
	stmia	r3, {r0-r2}
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
