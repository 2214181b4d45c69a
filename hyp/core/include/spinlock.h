/* a ticket-free test-and-set lock: the hypervisor holds locks only briefly. */
#ifndef SPINLOCK_H
#define SPINLOCK_H

#include "atomic.h"
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
	while (xchg_acquire(&l->locked, 1))
		while (atomic_read(&l->locked))
			arch_cpu_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
	store_release(&l->locked, 0);
}

#endif
