/* a ticket-free test-and-set lock: the hypervisor holds locks only briefly. */
#ifndef SPINLOCK_H
#define SPINLOCK_H

#include "types.h"

/* --- implemented by arch (inline: arch/cpu.h) ------------------------- */
static inline void arch_cpu_relax(void); /* in a wait for another cpu: let it run */
#include "arch/cpu.h"
/* --- */

typedef struct {
	u32 locked;
} spinlock_t;

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			arch_cpu_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

#endif
