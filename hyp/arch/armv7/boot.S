/*
 * first instructions: get into non-secure hyp mode, give this cpu a stack,
 * clear bss and call hyp_main(dtb, how_we_got_here). decisions are in C.
 */
#include "arch/sysregs.h"
#include "arch/hsr.h"
#include "arch/arch.h"
#include "boot.h"
#include "asm_defs.h"

	.arm
	.syntax unified

/* sp = top of this cpu's stack (clobbers \tmp) */
.macro set_cpu_stack tmp, tmp2
	mrc	CP32(\tmp, MPIDR)
	and	\tmp, \tmp, #0xff
	ldr	\tmp2, =HYP_STACK_SIZE
	mla	\tmp, \tmp, \tmp2, \tmp2
	ldr	sp, =hyp_stacks
	add	sp, sp, \tmp
.endm

	.section .text.boot, "ax"
	.global _start
_start:
	cpsid	aif
	/*
	 * cpu 0 boots. another cpu here was started by a loader that starts
	 * them all at the entry (qemu does, for an elf image on vexpress):
	 * it stays off, out of the way of cpu 0's bss and stack.
	 */
	mrc	CP32(r0, MPIDR)
	tst	r0, #0xff
1:	wfine
	bne	1b
	mov	r10, r2			@ board description, from qemu's boot protocol
	set_cpu_stack r0, r1
	bl	boot_clear_bss
	mov	r11, #1			@ the boot cpu
	b	to_hyp

/*
 * secondary cpus, started by platform_cpu_on, arrive here in hyp mode
 * (virt's psci firmware) or in secure svc (vexpress's boot loader).
 */
	.global	arch_secondary_entry
arch_secondary_entry:
	cpsid	aif
	set_cpu_stack r0, r1
	mov	r11, #0

to_hyp:	/* r11 = 1 on the boot cpu */
	mrs	r0, cpsr
	and	r0, r0, #PSR_MODE_MASK
	cmp	r0, #PSR_MODE_HYP
	moveq	r9, #BOOT_ENTERED_HYP
	beq	in_hyp
	cmp	r0, #PSR_MODE_SVC
	movne	r2, #0
	bne	no_hyp

	/*
	 * svc: secure or not? reading SCR is undefined in non-secure state,
	 * so try it with a vector table that turns the undef into r9 = 0.
	 */
	ldr	r0, =probe_vectors
	mcr	CP32(r0, VBAR)
	isb
	mov	r9, #1
	mrc	CP32(r0, SCR)
	cmp	r9, #0
	moveq	r0, #PSR_MODE_SVC
	moveq	r2, #0			@ non-secure
	beq	no_hyp

	/* secure svc: let C open the board to the non-secure side, then smc */
	mov	r0, r11
	bl	secure_init
	cmp	r0, #0			@ false: this cpu has no hyp mode
	moveq	r0, #PSR_MODE_SVC
	moveq	r2, #1			@ secure
	beq	no_hyp
	ldr	r0, =monitor_vectors
	mcr	CP32(r0, MVBAR)
	isb
	/*
	 * into monitor mode by cps, which secure pl1 may do (B1.8.2), not by
	 * smc: where qemu offers psci (orangepi-pc) it takes every smc itself
	 */
	cps	#PSR_MODE_MON
	adr	lr, 1f
	b	monitor_smc		@ comes back in non-secure hyp mode
1:	mov	r9, #BOOT_ENTERED_SECURE_SVC

in_hyp:
	set_cpu_stack r0, r1		@ sp_hyp is a new bank
	ldr	r0, =hyp_vectors
	mcr	CP32(r0, HVBAR)
	isb
	cmp	r11, #0
	beq	hyp_secondary_main
	mov	r0, r10
	mov	r1, r9
	bl	hyp_main
	b	.

no_hyp:	/* r0 = mode we were entered in, r2 = secure */
	mov	r1, r0
	mov	r0, r10
	bl	boot_no_hyp
	b	.

boot_clear_bss:
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	bx	lr

	.align	5
probe_vectors:
	b	.
	b	probe_undef
	.rept	6			@ svc .. fiq: never taken
	b	.
	.endr
probe_undef:
	mov	r9, #0
	movs	pc, lr			@ lr_und is the next instruction

/*
 * the monitor's only job: at boot (or an smc), set SCR.NS (non-secure) and
 * SCR.HCE (hvc enabled) and return into hyp mode (B1.8.8: an exception
 * return from monitor mode may target hyp when SCR.NS is 1).
 */
	.align	5
monitor_vectors:
	b	.
	b	.
	b	monitor_smc
	.rept	5			@ prefetch abort .. fiq: never taken
	b	.
	.endr
monitor_smc:
	mrc	CP32(r0, SCR)
	orr	r0, r0, #(SCR_NS | SCR_FW | SCR_AW)
	orr	r0, r0, #SCR_HCE
	mcr	CP32(r0, SCR)
	isb
	mov	r0, #(PSR_A | PSR_I | PSR_F | PSR_MODE_HYP)
	msr	spsr_cxsf, r0
	movs	pc, lr

	.ltorg
