/* state that belongs to one physical cpu. */
#ifndef PERCPU_H
#define PERCPU_H

#include "types.h"
#include "arch/sysregs.h"
#include "platform.h"

struct vcpu;

struct percpu {
	u32 id;
	struct vcpu *current;		/* the vcpu loaded here, or NULL */
	struct vcpu *vfp_owner;		/* whose vfp registers the cpu holds */
	u64 slice_end;			/* CNTPCT when the running vcpu's slice ends */
	u32 waking;			/* other cpus between waking a vcpu of ours and the kick */
};

extern struct percpu percpu[PLAT_MAX_CPUS];

static inline struct percpu *this_cpu(void)
{
	return &percpu[cpu_id()];
}

#endif
