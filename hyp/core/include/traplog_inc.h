/*
 * bumping the trap log's counters (traplog.h). a vcpu's counters are
 * written only by the cpu running it; the others only read them. apart
 * from traplog.h because that one is also the guests' tools' header.
 */
#ifndef TRAPLOG_INC_H
#define TRAPLOG_INC_H

#include "traplog.h"

/* --- implemented by arch (inline: arch/cpu.h) ------------------------- */
/* counters only one cpu writes, as one load and one store pair */
static inline void arch_u64_inc(u64 *c);
static inline void arch_u64_add(u64 *c, u32 n);
/* the same for the u64 at base + off, off a constant the load takes as it is */
static inline void arch_u64_inc_at(void *base, u32 off);
static inline void arch_u64_add_at(void *base, u32 off, u32 n);
/* if val is above the u32 at base + off: val there, and tag in the word after */
static inline void arch_u32_max_at(void *base, u32 off, u32 val, u32 tag);
#include "arch/cpu.h"
/* --- */

/*
 * a vcpu's counters are 64-bit and only the cpu running it writes them: a
 * bump is one load pair, an add and one store pair, which the architecture
 * writes (arch_u64_inc and the others, in the block above), since the compiler's own form of it costs the trap path two more.
 */
static inline void traplog_inc(u64 *c)
{
	arch_u64_inc(c);
}

static inline void traplog_add(u64 *c, u32 n)
{
	arch_u64_add(c, n);
}

/*
 * the trap path's forms of the above, for a row: base is the vcpu's log plus
 * row * 32 (one add, or none), and off a constant (TRAPLOG_ROW_AT), so that
 * every field of the row is an offset from that one register.
 */
static inline __attribute__((always_inline)) void traplog_row_inc(void *base, u32 off)
{
	arch_u64_inc_at(base, off);
}

static inline __attribute__((always_inline)) void traplog_row_add(void *base, u32 off, u32 n)
{
	arch_u64_add_at(base, off, n);
}

/* the row's worst trap, cost and pc, with both already in registers */
static inline __attribute__((always_inline)) void traplog_row_worst(void *base, u32 cost, u32 pc)
{
	arch_u32_max_at(base, TRAPLOG_ROW_AT(worst), cost, pc);
}

#endif
