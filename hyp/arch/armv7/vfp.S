/* vfp/neon register moves for the lazy switch (struct vfp_regs layout). */
	.arm
	.syntax unified
	.fpu	neon-vfpv4
	.text

#define FPEXC_EN	(1 << 30)

/* vfp_save(struct vfp_regs *r): d0-d31, fpscr, fpexc */
	.global	vfp_save
vfp_save:
	vmrs	r2, fpexc
	orr	r3, r2, #FPEXC_EN	@ the registers are reachable only with EN
	vmsr	fpexc, r3
	vstmia	r0!, {d0-d15}
	vstmia	r0!, {d16-d31}
	vmrs	r1, fpscr
	stmia	r0, {r1, r2}
	bx	lr

/* vfp_restore(const struct vfp_regs *r) */
	.global	vfp_restore
vfp_restore:
	vmrs	r2, fpexc
	orr	r2, r2, #FPEXC_EN
	vmsr	fpexc, r2
	vldmia	r0!, {d0-d15}
	vldmia	r0!, {d16-d31}
	ldmia	r0, {r1, r2}
	vmsr	fpscr, r1
	vmsr	fpexc, r2
	bx	lr
