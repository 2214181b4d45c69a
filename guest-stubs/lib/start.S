/* a guest stub's entry and exception vectors (the guest's own, via VBAR). */
	.arm
	.syntax unified

#define MODE_FIQ 0x11
#define MODE_IRQ 0x12
#define MODE_SVC 0x13
#define MODE_ABT 0x17
#define MODE_UND 0x1b

	.section .text.vectors, "ax"
	.global	_start
	.align	5
_start:
vectors:
	b	reset
	b	exc_undef
	b	exc_svc
	b	exc_pabt
	b	exc_dabt
	b	.
	b	exc_irq
	b	exc_fiq

reset:
	ldr	r3, =boot_r0			@ what the boot protocol passed
	stmia	r3, {r0-r2}
	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR
	ldr	r0, =__stack_top
	cps	#MODE_UND
	sub	sp, r0, #0x3000
	cps	#MODE_ABT
	sub	sp, r0, #0x2000
	cps	#MODE_IRQ
	sub	sp, r0, #0x1000
	cps	#MODE_SVC
	mov	sp, r0
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	bl	main
	bl	power_off

/*
 * a vcpu started by PSCI CPU_ON at stub_secondary_entry: r0, the context id,
 * is the top of its own STUB_STACK_SIZE bytes of stacks, laid out as the
 * boot vcpu's are. it takes the same vectors and calls secondary_main();
 * should that return, the vcpu waits for good.
 */
	.global	stub_secondary_entry
stub_secondary_entry:
	ldr	r1, =vectors
	mcr	p15, 0, r1, c12, c0, 0		@ VBAR
	cps	#MODE_UND
	sub	sp, r0, #0x3000
	cps	#MODE_ABT
	sub	sp, r0, #0x2000
	cps	#MODE_IRQ
	sub	sp, r0, #0x1000
	cps	#MODE_SVC
	mov	sp, r0
	bl	secondary_main
2:	wfi
	b	2b

/*
 * the exception frame: r0-r12, then return pc and spsr (srs). lr is first
 * turned into the address to return to, so the C hook sees the real pc.
 */
.macro exc_entry kind, adjust, mode
	sub	lr, lr, #\adjust
	srsdb	sp!, #\mode
	push	{r0-r12}
	mov	r0, #\kind
	mov	r1, sp
	bl	exc_dispatch
	pop	{r0-r12}
	rfeia	sp!
.endm

exc_undef:	exc_entry 1, 0, MODE_UND	@ lr_und is already past it (arm)
exc_svc:	exc_entry 2, 0, MODE_SVC
exc_pabt:	exc_entry 3, 4, MODE_ABT
exc_dabt:	exc_entry 4, 8, MODE_ABT	@ pc of the faulting access
exc_irq:	exc_entry 5, 4, MODE_IRQ
exc_fiq:	exc_entry 6, 4, MODE_FIQ
	.ltorg

	.data
	.balign	4
	.global	boot_r0, boot_r1, boot_r2
boot_r0: .word 0				@ r0-r2 at entry (linux boot protocol)
boot_r1: .word 0
boot_r2: .word 0
