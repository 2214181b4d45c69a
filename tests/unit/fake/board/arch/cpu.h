/*
 * the fake cpu: the inline half of the contract for percpu.h, sched.h and
 * traplog.h.
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

/* the trap log's counters (traplog.h), in plain C */
static inline void arch_u64_inc(u64 *c) { (*c)++; }
static inline void arch_u64_add(u64 *c, u32 n) { *c += n; }
static inline void arch_u64_inc_at(void *base, u32 off) { (*(u64 *)((char *)base + off))++; }
static inline void arch_u64_add_at(void *base, u32 off, u32 n) { *(u64 *)((char *)base + off) += n; }
static inline void arch_u32_max_at(void *base, u32 off, u32 val, u32 tag)
{
	u32 *w = (u32 *)((char *)base + off);

	if (val > w[0])
		w[0] = val, w[1] = tag;
}

#endif
