/* which vcpu runs next on this cpu: round-robin among the runnable ones. */
#ifndef SCHED_H
#define SCHED_H

#include "types.h"
#include "vm.h"

/* the board's command line (hyp.check=sched); before any cpu starts */
void sched_init(const char *bootargs);
void sched_start(void) __attribute__((noreturn));
/* the running vcpu waits or yields: returns whom to run (maybe itself) */
struct vcpu *sched_yield(struct vcpu *vcpu, bool wfi);
/* the running vcpu cannot run any more: returns whom to run instead */
struct vcpu *sched_next(struct vcpu *vcpu);
/* PSCI CPU_OFF: the vcpu leaves its cpu, then is OFF; returns whom to run */
struct vcpu *sched_cpu_off(struct vcpu *vcpu);
/* the only way into VCPU_RUNNABLE (sched.c says why): from WFI or ON_PENDING */
bool sched_runnable(struct vcpu *vcpu, enum vcpu_state from);

/* an interrupt for a vcpu waiting in WFI */
static inline void sched_wake(struct vcpu *vcpu)
{
	sched_runnable(vcpu, VCPU_WFI);
}

struct vcpu *sched_tick(struct vcpu *vcpu);
void sched_timer_program(void);
void sched_soon(void); /* device work is owed (virtio_mmio.c): a tick here within POLL_MS */
void sched_kicked(void);
void sched_move(struct vcpu *vcpu, u32 cpu); /* the control ABI's pin, live */
void sched_hand_over(void);		     /* SGI_KICK: this cpu's vcpus to move go */
void sched_check_tick(void);
/* whether cpu loads, runs, saves or hands over one of vm's vcpus (vm.c's reset waits) */
bool sched_holds(u32 cpu, const struct vm *vm);

#define SGI_KICK 1 /* physical SGI: another cpu woke one of our vcpus, or reset their logs */

/* --- implemented by arch ------------------------------------------------ */

/* the world switch (vcpu.c) */
void arch_vcpu_load(struct vcpu *vcpu);		 /* its state into this cpu */
void arch_vcpu_save(struct vcpu *vcpu);		 /* and out again */
void arch_vcpu_drop(struct vcpu *vcpu);		 /* out, unsaved: its VM was reset */
void arch_vcpu_moved(struct vcpu *vcpu, u32 to); /* saved, off to cpu to: its vfp out */
void arch_vcpu_enter(struct vcpu *vcpu) __attribute__((noreturn)); /* from idle */
bool arch_vgic_has_pending(struct vcpu *vcpu); /* an interrupt waits for it (vgic.c) */
void arch_vgic_kick_taken(struct vcpu *vcpu);  /* SGI_KICK taken where it is loaded (vgic.c) */

/* time (ptimer.c): CNTHP stands in for the timers of vcpus not running */
static inline u64 arch_counter(void);	    /* the system count, in ticks */
static inline u32 arch_counter_freq(void);  /* ticks per second */
u64 arch_timer_deadline(struct vcpu *vcpu); /* when its timers want the hyp timer */
void arch_timer_check(struct vcpu *vcpu);   /* the hyp timer fired: deliver what is due */
void arch_hyp_timer_set(u64 deadline);	    /* ~0: off */
u64 arch_hyp_timer_deadline(void);	    /* when CNTHP will fire; ~0: it will not */
void arch_check_timer_start(u64 deadline);  /* this cpu's check timer on: the first at deadline */
void arch_check_timer_set(u64 deadline);    /* the next at deadline (IRQ_KIND_CHECK_TIMER) */
void arch_trap_cycles_start(void);	    /* traps on this cpu are timed from now */
void arch_sleep(void); /* wfi; the time asleep is no trap's (the trap log's hyp cycles) */

#include "arch/cpu.h"

#endif
