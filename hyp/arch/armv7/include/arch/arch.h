/*
 * the armv7 layer's own declarations: shared between its files, with
 * boot.S and vectors.S, and with the board files. what core may call is
 * declared in core's headers, in their "implemented by arch" blocks
 * (docs/seam.md); nothing here is for core.
 */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#define HYP_STACK_SIZE	(16 * 1024) /* per cpu; its lowest page is a guard */
#define HYP_GUARD_SIZE	4096
#define HYP_FAULT_STACK 2048 /* for the fault entry (vectors.S) */

#ifndef __ASSEMBLER__
#include "types.h"
#include "addr.h"

struct vcpu;
struct vm;

/* what vectors.S saves when the hypervisor itself faults */
struct hyp_frame {
	u32 r[13];
	u32 lr;
	u32 elr, spsr, sp;
};

/* boot.S could not reach hyp mode (halt.c) */
void boot_no_hyp(const void *boot, u32 mode, bool secure) __attribute__((noreturn));

/* vectors.S and its C ends (traps.c, fault.c) */
struct vcpu *trap_entry(struct vcpu *vcpu, u32 hsr, u32 pc);	/* a hyp trap */
struct vcpu *irq_entry(struct vcpu *vcpu, u32 unused, u32 pc);	/* an irq or fiq */
void guest_resume(struct vcpu *vcpu) __attribute__((noreturn)); /* drops the C stack */
void hyp_fault(u32 kind, struct hyp_frame *f) __attribute__((noreturn));
extern char hyp_stacks[];
extern char hyp_fault_stack[];

/* mmu.c */
u64 stage2_vttbr(const struct vm *vm);
void *pt_alloc(void);

/* vcpu.c: the pmu, guest registers, exceptions for the guest, vfp */
void pmu_init(void);
bool vpmu_access(struct vcpu *vcpu, u32 key, bool read, u32 *val);
extern u32 hyp_pmu_counter;
void vcpu_inject_undef(struct vcpu *vcpu);
void vcpu_inject_dabt(struct vcpu *vcpu, u32 far, bool write);
void vcpu_inject_pabt(struct vcpu *vcpu, u32 far);
void vfp_switch(struct vcpu *vcpu);
void vfp_save(void *regs);
void vfp_restore(const void *regs);

/* ptimer.c: the guest's physical timer, emulated */
void ptimer_update(struct vcpu *vcpu);
bool ptimer_access32(struct vcpu *vcpu, u32 key, bool read, u32 *val);
bool ptimer_access64(struct vcpu *vcpu, u32 key, bool read, u64 *val);

/* gic.c: in secure state, before leaving it */
void gic_secure_init(bool boot_cpu);
/* gic.c: an SPI passed through to a VM (vgic.c) */
void gic_spi_link(u32 irq);		       /* group 1, masked */
void gic_spi_route(u32 irq, u32 cpu, bool on); /* to cpu and unmasked, or masked */
void gic_spi_end(u32 irq);		       /* deactivated, from any cpu */
void gic_resample(void);		       /* before a sleep: qemu's gic looks again */

/* vgic.c: the parts the traps, the timers and the world switch use */
void vgic_inject(struct vcpu *vcpu, u32 irq); /* unless an LR holds it */
void vgic_set_line(struct vcpu *owner, u32 irq, bool level);
void vgic_flush(struct vcpu *vcpu);
void vgic_save(struct vcpu *vcpu);
void vgic_load(struct vcpu *vcpu);
bool vgic_can_wake(struct vcpu *vcpu);
void vgic_drop_cpu_state(void);

/* halt.c: stopping the board for good. set once it is being stopped */
extern volatile bool hyp_halting;
void semihost_exit(bool ok) __attribute__((noreturn));

/* secure.c: each cpu entered in secure svc, before boot.S leaves for hyp */
bool secure_init(bool boot_cpu);
#endif

#endif
