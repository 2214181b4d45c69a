/*
 * words other cpus read or write meanwhile (docs/locking.md): every such
 * access goes through these, so that a reader sees which words are shared
 * and what order each access keeps. on armv7 an untorn load or store of a
 * word is an ldr or str; acquire adds a dmb after, release one before.
 *
 * the suffix names the order: _relaxed none (untorn only), _acquire (later
 * accesses stay after it), _release (earlier ones stay before it), none on
 * a read-modify-write both, _full every other _full access and fence too.
 * the read-modify-writes return the new value.
 */
#ifndef ATOMIC_H
#define ATOMIC_H

/* loads and stores */
#define atomic_read(p)	    __atomic_load_n(p, __ATOMIC_RELAXED)
#define atomic_write(p, v)  __atomic_store_n(p, v, __ATOMIC_RELAXED)
#define load_acquire(p)	    __atomic_load_n(p, __ATOMIC_ACQUIRE)
#define store_release(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)
#define load_full(p)	    __atomic_load_n(p, __ATOMIC_SEQ_CST)
#define store_full(p, v)    __atomic_store_n(p, v, __ATOMIC_SEQ_CST)

/* read-modify-write: the new value */
#define atomic_add_relaxed(p, n)   __atomic_add_fetch(p, n, __ATOMIC_RELAXED)
#define atomic_add(p, n)	   __atomic_add_fetch(p, n, __ATOMIC_ACQ_REL)
#define atomic_add_full(p, n)	   __atomic_add_fetch(p, n, __ATOMIC_SEQ_CST)
#define atomic_sub(p, n)	   __atomic_sub_fetch(p, n, __ATOMIC_ACQ_REL)
#define atomic_sub_release(p, n)   __atomic_sub_fetch(p, n, __ATOMIC_RELEASE)
#define atomic_or_release(p, bits) __atomic_or_fetch(p, bits, __ATOMIC_RELEASE)

/* exchange: the old value */
#define xchg_acquire(p, v) __atomic_exchange_n(p, v, __ATOMIC_ACQUIRE)
#define xchg(p, v)	   __atomic_exchange_n(p, v, __ATOMIC_ACQ_REL)

/*
 * compare-and-swap: *p becomes new if it was *old, and true; else *old is
 * what *p was, and false (read _relaxed; cas's with _acquire)
 */
#define cas_acquire(p, old, new) \
	__atomic_compare_exchange_n(p, old, new, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)
#define cas(p, old, new) \
	__atomic_compare_exchange_n(p, old, new, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)
#define cas_full(p, old, new) \
	__atomic_compare_exchange_n(p, old, new, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)

/* fences */
#define fence_acquire() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define fence_full()	__atomic_thread_fence(__ATOMIC_SEQ_CST)

#endif
