/*
 * the fake cpu: the inline half of the contract for percpu.h and sched.h.
 * one host thread plays every cpu in turn: the test sets fake_cpu_id to
 * the cpu it acts as, and fake_now to the system count.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include "types.h"

#define FAKE_FREQ	1000000u	/* ticks per second: a 10 ms slice is 10000 */

extern u32 fake_cpu_id;
extern u64 fake_now;
void fake_wfi(void);			/* fake.c: returns if an interrupt is pending */

static inline u32 arch_cpu_id(void) { return fake_cpu_id; }
static inline void arch_wfi(void) { fake_wfi(); }
static inline void arch_irq_disable(void) { }
static inline void arch_cpu_relax(void) { }
static inline void arch_mb(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
static inline u64 arch_counter(void) { return fake_now; }
static inline u32 arch_counter_freq(void) { return FAKE_FREQ; }

#endif
