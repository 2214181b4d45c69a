/*
 * the inline half of the contract, for the cpu: hooks that core's
 * percpu.h and sched.h declare and that cost a call more than their body.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include "types.h"
#include "arch/sysregs.h"

static inline u32 arch_cpu_id(void)
{
	return sysreg_read32(MPIDR) & 0xff; /* Aff0 (B4.1.106) */
}

static inline void arch_wfi(void)
{
	asm volatile("wfi" ::: "memory");
}
/*
 * YIELD (A8.8.429), a hint in every spin-wait. on a core it costs nothing;
 * qemu's single-threaded round robin (-icount) moves to the next cpu at it.
 * without it, a cpu spinning for another (load_released, a lock) kept its
 * turn, and the cpu it waited for, asleep in wfi with a kick pending, never
 * ran again: the board hung (test_leak_new_life_reset_from_cpu_0).
 */
static inline void arch_cpu_relax(void)
{
	asm volatile("yield" ::: "memory");
}

static inline void arch_irq_disable(void)
{
	asm volatile("cpsid i" ::: "memory");
}
/* inner shareable: the other cpus, and the coherent virtio devices (dma-coherent) */
static inline void arch_mb(void)
{
	asm volatile("dmb ish" ::: "memory");
}

/* the generic timer's physical count, the same clock on every cpu (B8.1.1) */
static inline u64 arch_counter(void)
{
	return sysreg_read64(CNTPCT);
}

static inline u32 arch_counter_freq(void)
{
	return sysreg_read32(CNTFRQ);
}

#endif
