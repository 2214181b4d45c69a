/*
 * physical and intermediate physical addresses as types of their own. LPAE
 * makes both 40 bits wide, so both would fit a u64, and a u64 lets a guest's
 * ipa pass where a pa is meant without a word from the compiler. wrapped in
 * one-member structs they don't mix: pa_init()/ipa_init() make one,
 * pa_addr()/ipa_addr() give the number back, the arithmetic below keeps
 * the type (an offset, a difference, an alignment), and an ipa becomes a pa only
 * through a checked translation (ipa_to_pa_in, vm_ipa_to_pa; the latter
 * also populates the VM's lazily zeroed ram it covers: vm.h).
 */
#ifndef ADDR_H
#define ADDR_H

#include "types.h"

typedef struct {
	u64 pa;
} paddr_t; /* physical address */
typedef struct {
	u64 ipa;
} ipaddr_t; /* a guest's intermediate physical address */

/* for static initializers, where a function can't be called */
#define PA_INIT(a)        \
	{                 \
		.pa = (a) \
	}
#define IPA_INIT(a)        \
	{                  \
		.ipa = (a) \
	}

static inline paddr_t pa_init(u64 a)
{
	return (paddr_t){.pa = a};
}
static inline u64 pa_addr(paddr_t a)
{
	return a.pa;
}
static inline paddr_t pa_add(paddr_t a, u64 n)
{
	return pa_init(a.pa + n);
}

/* b - a: how far a lies below b */
static inline u64 pa_diff(paddr_t b, paddr_t a)
{
	return b.pa - a.pa;
}
/* up to a multiple of align, a power of two */
static inline paddr_t pa_align_up(paddr_t a, u64 align)
{
	return pa_init((a.pa + align - 1) & ~(align - 1));
}

static inline ipaddr_t ipa_init(u64 a)
{
	return (ipaddr_t){.ipa = a};
}
static inline u64 ipa_addr(ipaddr_t a)
{
	return a.ipa;
}
static inline ipaddr_t ipa_add(ipaddr_t a, u64 n)
{
	return ipa_init(a.ipa + n);
}
static inline u64 ipa_diff(ipaddr_t b, ipaddr_t a)
{
	return b.ipa - a.ipa;
}
/* a multiple of align, a power of two */
static inline bool ipa_aligned(ipaddr_t a, u64 align)
{
	return !(a.ipa & (align - 1));
}

/*
 * the hypervisor maps memory at its physical address (mmu.c): its own
 * objects' pas, and pointers to ram it owns.
 */
static inline paddr_t pa_of(const void *p)
{
	return pa_init((uintptr_t)p);
}
static inline void *pa_ptr(paddr_t a)
{
	return (void *)(uintptr_t)a.pa;
}

/*
 * [ipa, ipa + size) inside the ipa range [base_ipa, base_ipa + range),
 * which sits at base_pa: its pa in *pa. false, and *pa untouched, if a
 * byte of it falls outside the range; no sum here can wrap.
 */
static inline bool ipa_to_pa_in(ipaddr_t ipa, u64 size, ipaddr_t base_ipa, paddr_t base_pa,
				u64 range, paddr_t *pa)
{
	u64 off = ipa_diff(ipa, base_ipa);

	if (ipa.ipa < base_ipa.ipa || off >= range || size > range - off)
		return false;
	*pa = pa_add(base_pa, off);
	return true;
}

#endif
