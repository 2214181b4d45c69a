/*
 * the fake architecture's part of a vcpu: a register file, and what the
 * fake was asked to do with the vcpu, for the tests to read.
 */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#include "types.h"
#include "addr.h"

struct vcpu_arch {
	u32 r[16];		/* r0-r14 and the pc (r[15]), as the guest sees them */
	u32 mpidr;		/* arch_vcpu_init: aff0 = the vcpu's id, as on armv7 */
	bool loaded;		/* its state is in its cpu: arch_vcpu_load until _save */
	u64 timer;		/* when its timers want the hyp timer; ~0: never */
	u32 inits, loads, saves, drops, vfp_forgets, timer_fired;
};

#endif
