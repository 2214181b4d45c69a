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
void sched_kicked(void);
void sched_check_tick(void);
struct vcpu *irq_handle(struct vcpu *vcpu);

#define SGI_KICK	1	/* physical SGI: another cpu woke one of our vcpus */

#endif
