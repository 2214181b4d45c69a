/* state that belongs to one physical cpu, and the cpu's own primitives. */
#ifndef PERCPU_H
#define PERCPU_H

#include "types.h"
#include "platform.h"

struct vcpu;

/* only its cpu writes a field but those marked atomic: others read them */
struct percpu {
	u32 id;
	struct vcpu *current;	/* the vcpu loaded here, or NULL (release stores) */
	struct vcpu *vfp_owner; /* whose vfp registers the cpu holds (atomic: vcpu.c) */
	u64 slice_end;		/* CNTPCT when the running vcpu's slice ends */
	u32 waking;		/* other cpus between waking a vcpu of ours and the kick (atomic) */
	u64 poll_at;		/* CNTPCT by when owed device work runs (sched_soon); 0: none */
	u32 log_resets; /* a vcpu homed here has counters to zero (atomic: vm_log_catch_up) */
};

extern struct percpu percpu[PLAT_MAX_CPUS];

/* --- implemented by arch (inline: arch/cpu.h) ------------------------- */
static inline u32 arch_cpu_id(void);	   /* this cpu: 0 to PLAT_MAX_CPUS - 1 */
static inline void arch_wfi(void);	   /* sleep until an interrupt */
static inline void arch_irq_disable(void); /* on this cpu */
static inline void arch_mb(void);	   /* memory order with other cpus and devices */
#include "arch/cpu.h"
/* --- */

static inline struct percpu *this_cpu(void)
{
	return &percpu[arch_cpu_id()];
}

#endif
