/* what the generic core asks of the armv7 layer (arch_* hooks). */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#define HYP_STACK_SIZE		(16 * 1024)	/* per cpu; its lowest page is a guard */
#define HYP_GUARD_SIZE		4096
#define HYP_FAULT_STACK		2048		/* for the fault entry (vectors.S) */

/* how boot.S reached hyp mode, passed to hyp_main */
#define BOOT_ENTERED_HYP	0
#define BOOT_ENTERED_SECURE_SVC	1


#ifndef __ASSEMBLER__
#include "types.h"

struct vcpu;
struct vm;

/* what vectors.S saves when the hypervisor itself faults */
struct hyp_frame {
	u32 r[13];
	u32 lr;
	u32 elr, spsr, sp;
};

/* called from boot.S */
void hyp_main(const void *boot, u32 entered) __attribute__((noreturn));
void boot_no_hyp(const void *boot, u32 mode, bool secure) __attribute__((noreturn));

struct vcpu *trap_entry(struct vcpu *vcpu);	/* a hyp trap */
struct vcpu *irq_entry(struct vcpu *vcpu);	/* an irq or fiq */
void guest_resume(struct vcpu *vcpu) __attribute__((noreturn));
void guest_enter(struct vcpu *vcpu, u32 sp) __attribute__((noreturn));
void hyp_fault(u32 kind, struct hyp_frame *f) __attribute__((noreturn));
extern char hyp_stacks[];
extern char hyp_fault_stack[];

/* mmu.c */
void arch_mmu_init(paddr_t ram_base, u64 ram_size);
void arch_mmu_enable(void);
void arch_dcache_clean(paddr_t pa, u64 size);
void arch_stage2_cpu_init(void);
u64 arch_vttbr(const struct vm *vm);
void *arch_pt_alloc(void);
enum s2_kind { S2_RAM, S2_MMIO, S2_READ_ONLY };
int arch_stage2_map(struct vm *vm, ipaddr_t ipa, paddr_t pa, u64 size, enum s2_kind kind);
void arch_stage2_init(struct vm *vm);

/* vcpu.c: world switch and guest register access */
void arch_vcpu_init(struct vcpu *vcpu, u32 entry, u32 r0, u32 r1, u32 r2);
void arch_pmu_init(void);
bool vpmu_access(struct vcpu *vcpu, u32 key, bool read, u32 *val);
void arch_trap_cycles_start(void);
extern u32 hyp_pmu_counter;
void arch_vcpu_load(struct vcpu *vcpu);
void arch_vcpu_save(struct vcpu *vcpu);
void arch_vcpu_drop(struct vcpu *vcpu);
u32 vcpu_reg_read(struct vcpu *vcpu, u32 n);
void vcpu_reg_write(struct vcpu *vcpu, u32 n, u32 val);
void vcpu_skip_instr(struct vcpu *vcpu, u32 hsr);
void vcpu_inject_undef(struct vcpu *vcpu);
void vcpu_inject_dabt(struct vcpu *vcpu, u32 far, bool write);
void vcpu_inject_pabt(struct vcpu *vcpu, u32 far);
void arch_vfp_switch(struct vcpu *vcpu);
void arch_vfp_forget(struct vcpu *vcpu);

/* ptimer.c: the guest's physical timer, emulated; timers of vcpus not loaded */
void ptimer_update(struct vcpu *vcpu);
u64 arch_timer_deadline(struct vcpu *vcpu);
void arch_timer_check(struct vcpu *vcpu);
void arch_hyp_timer_set(u64 deadline);
u64 arch_hyp_timer_deadline(void);	/* when CNTHP will fire; ~0: it will not */
void arch_check_timer_set(u64 deadline);
bool ptimer_access32(struct vcpu *vcpu, u32 key, bool read, u32 *val);
bool ptimer_access64(struct vcpu *vcpu, u32 key, bool read, u64 *val);
void vfp_save(void *regs);
void vfp_restore(const void *regs);

/*
 * the physical non-secure timer (CNTP, PPI 14) is the hypervisor's own:
 * guests' accesses to theirs trap and are emulated (ptimer.c). it times
 * the scheduler's check (hyp.check=sched).
 */
#define IRQ_CHECK_TIMER		30

/* gic.c: the physical gic the hypervisor owns */
u32 gic_nr_cpus(void);
void gic_secure_init(bool boot_cpu);
void gic_init(void);
void gic_cpu_init(void);
void gic_enable_irq(u32 irq);
u32 gic_ack(void);
void gic_eoi(u32 iar);
void gic_deactivate(u32 iar);
void gic_send_sgi(u32 cpu, u32 sgi);
bool gic_pending(u32 irq);
void hyp_secondary_main(void) __attribute__((noreturn));
void secondary_entry(void);
void vgic_attach(struct vm *vm);

/* set once the board is being stopped: a fault after it halts quietly */
extern volatile bool hyp_halting;
void semihost_exit(bool ok) __attribute__((noreturn));

/* secure.c: each cpu entered in secure svc, before boot.S leaves for hyp */
bool secure_init(bool boot_cpu);

/*
 * platform/<board>: the board interface. cpu_on starts a secondary cpu at
 * entry (secondary_entry), in hyp mode or in secure svc.
 */
void platform_cpu_on(u32 cpu, u32 entry);
void platform_power_off(void) __attribute__((noreturn));
void platform_halt_error(void) __attribute__((noreturn));
#endif

#endif
