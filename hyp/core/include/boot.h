/*
 * bringing a cpu up: what boot.S calls in core once it is in hyp mode,
 * and what core needs from arch to get the hypervisor going.
 */
#ifndef BOOT_H
#define BOOT_H

/* how boot.S reached hyp mode, passed to hyp_main */
#define BOOT_ENTERED_HYP	0
#define BOOT_ENTERED_SECURE_SVC 1

#ifndef __ASSEMBLER__
#include "types.h"
#include "addr.h"

/* main.c, called by boot.S: the boot cpu with the board's description, the others */
void hyp_main(const void *boot, u32 entered) __attribute__((noreturn));
void hyp_secondary_main(void) __attribute__((noreturn));

/* --- implemented by arch ------------------------------------------------ */
void arch_mmu_init(paddr_t ram_base, u64 ram_size); /* the boot cpu: tables, then on */
void arch_mmu_enable(void);			    /* each other cpu: the same tables */
void arch_stage2_cpu_init(void);		    /* each cpu: stage-2 and timer controls */
void arch_secondary_entry(void);		    /* boot.S: where platform_cpu_on starts a cpu */
#endif

#endif
