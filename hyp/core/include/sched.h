/* which vcpu runs next on this cpu: round-robin among the runnable ones. */
#ifndef SCHED_H
#define SCHED_H

#include "types.h"

struct vcpu;

void sched_start(void) __attribute__((noreturn));
/* the running vcpu waits or yields: returns whom to run (maybe itself) */
struct vcpu *sched_yield(struct vcpu *vcpu, bool wfi);
/* the running vcpu cannot run any more: returns whom to run instead */
struct vcpu *sched_next(struct vcpu *vcpu);
void sched_wake(struct vcpu *vcpu);
struct vcpu *sched_tick(struct vcpu *vcpu);
void sched_timer_program(void);
struct vcpu *irq_handle(struct vcpu *vcpu);

#define SGI_KICK	1	/* physical SGI: another cpu woke one of our vcpus */

#endif
