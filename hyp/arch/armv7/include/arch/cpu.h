/*
 * the inline half of the contract, for the cpu: hooks that core's
 * percpu.h, sched.h and traplog.h declare and that cost a call more than
 * their body.
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

/*
 * a 64-bit counter only this cpu writes: ldrd, adds, adc, strd. gcc splits
 * a u64 into two loads and two stores; on the trap path the two saved
 * count. "Uq" is an address ldrd takes as it is (a base plus a register or
 * an offset within 255), so a counter near its base costs no add.
 */
static inline void arch_u64_inc(u64 *c)
{
	u64 v;

	asm volatile("ldrd %Q0, %R0, %1\n\t"
		     "adds %Q0, %Q0, #1\n\t"
		     "adc %R0, %R0, #0\n\t"
		     "strd %Q0, %R0, %1"
		     : "=&r"(v), "+Uq"(*c) /* that word and no other memory */
		     :
		     : "cc");
}

static inline void arch_u64_add(u64 *c, u32 n)
{
	u64 v;

	asm volatile("ldrd %Q0, %R0, %1\n\t"
		     "adds %Q0, %Q0, %2\n\t"
		     "adc %R0, %R0, #0\n\t"
		     "strd %Q0, %R0, %1"
		     : "=&r"(v), "+Uq"(*c)
		     : "r"(n)
		     : "cc");
}

/* the word at base + off, off a constant: the memory operands name both words */
#define ARCH_WORD_AT(base, off) (*(u32 *)((char *)(base) + (off)))

static inline __attribute__((always_inline)) void arch_u64_inc_at(void *base, u32 off)
{
	u64 v;

	asm volatile("ldrd %Q0, %R0, [%3, #%c4]\n\t"
		     "adds %Q0, %Q0, #1\n\t"
		     "adc %R0, %R0, #0\n\t"
		     "strd %Q0, %R0, [%3, #%c4]"
		     : "=&r"(v), "+m"(ARCH_WORD_AT(base, off)), "+m"(ARCH_WORD_AT(base, off + 4))
		     : "r"(base), "i"(off)
		     : "cc");
}

static inline __attribute__((always_inline)) void arch_u64_add_at(void *base, u32 off, u32 n)
{
	u64 v;

	asm volatile("ldrd %Q0, %R0, [%3, #%c4]\n\t"
		     "adds %Q0, %Q0, %5\n\t"
		     "adc %R0, %R0, #0\n\t"
		     "strd %Q0, %R0, [%3, #%c4]"
		     : "=&r"(v), "+m"(ARCH_WORD_AT(base, off)), "+m"(ARCH_WORD_AT(base, off + 4))
		     : "r"(base), "i"(off), "r"(n)
		     : "cc");
}

/* ldr, cmp and two conditional stores */
static inline __attribute__((always_inline)) void arch_u32_max_at(void *base, u32 off, u32 val,
								  u32 tag)
{
	u32 w;

	asm volatile("ldr %0, [%3, #%c4]\n\t"
		     "cmp %5, %0\n\t"
		     "strhi %5, [%3, #%c4]\n\t"
		     "strhi %6, [%3, #%c4 + 4]"
		     : "=&r"(w), "+m"(ARCH_WORD_AT(base, off)), "+m"(ARCH_WORD_AT(base, off + 4))
		     : "r"(base), "i"(off), "r"(val), "r"(tag)
		     : "cc");
}

#endif
