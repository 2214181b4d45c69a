/*
 * LPAE long-descriptor translation tables, 4 KiB granule (B3.6), shared by
 * the hypervisor's own stage 1 and every VM's stage 2.
 */
#ifndef ARCH_LPAE_H
#define ARCH_LPAE_H

#include "types.h"

#define LPAE_ENTRIES   512
#define LPAE_VALID     (1ull << 0)
#define LPAE_TABLE     (1ull << 1)	     /* at levels 1-2; "page" at level 3 */
#define LPAE_ADDR_MASK 0x000000fffffff000ull /* output address 39:12 */
#define LPAE_AF	       (1ull << 10)
#define LPAE_SH_INNER  (3ull << 8)
#define LPAE_XN	       (1ull << 54)

/* stage 1, hyp translation regime (B3.6.2): index into HMAIR0/1 */
#define S1_ATTRIDX(n)	 ((u64)(n) << 2)
#define S1_AP_RO	 (1ull << 7) /* AP[2] */
#define S1_AP_1		 (1ull << 6) /* AP[1]: must be 1 in hyp (RES1) */
#define HMAIR_NORMAL_IDX 0	     /* HMAIR0 attr0: normal, write-back */
#define HMAIR_DEVICE_IDX 1	     /* HMAIR0 attr1: device */
#define HMAIR0_VALUE	 (0xffu | 0x04u << 8)

#define HYP_MEM_RW (LPAE_AF | LPAE_SH_INNER | S1_AP_1 | S1_ATTRIDX(HMAIR_NORMAL_IDX) | LPAE_XN)
#define HYP_MEM_RX (LPAE_AF | LPAE_SH_INNER | S1_AP_1 | S1_AP_RO | S1_ATTRIDX(HMAIR_NORMAL_IDX))
#define HYP_MEM_RO (HYP_MEM_RX | LPAE_XN)
#define HYP_DEVICE (LPAE_AF | S1_AP_1 | S1_ATTRIDX(HMAIR_DEVICE_IDX) | LPAE_XN)

/* stage 2 (B3.6.2, "Stage 2 memory region attributes") */
#define S2_MEMATTR_NORMAL (0xfull << 2) /* outer and inner write-back */
#define S2_MEMATTR_DEVICE (0x1ull << 2) /* device */
#define S2_HAP_R	  (1ull << 6)
#define S2_HAP_W	  (2ull << 6)
#define S2_MEM		  (LPAE_AF | LPAE_SH_INNER | S2_MEMATTR_NORMAL | S2_HAP_R | S2_HAP_W)
#define S2_DEVICE	  (LPAE_AF | S2_MEMATTR_DEVICE | S2_HAP_R | S2_HAP_W | LPAE_XN)

/* where table pages come from, and how their addresses convert */
struct lpae_ops {
	void *(*alloc)(void); /* a zeroed, 4 KiB aligned page */
	u64 (*pa)(const void *table);
	u64 *(*va)(u64 pa);
};

/*
 * plain numbers here: the walker serves both stages (its input a hyp va or
 * an ipa) and its unit test; the typed boundary is arch_stage2_map and
 * arch_mmu_init. returns 0, or -1 if a page could not be allocated or a
 * range overlaps.
 */
int lpae_map(const struct lpae_ops *ops, u64 *root, u64 va, u64 pa, u64 size, u64 attr);
/* walks va; returns the leaf entry (0 if unmapped) and its size in *size */
void lpae_unmap(const struct lpae_ops *ops, u64 *root, u64 va, u64 size);
u64 lpae_lookup(const struct lpae_ops *ops, const u64 *root, u64 va, u64 *size);

#endif
