/*
 * the board interface: what platform/<board>/platform.c does for the rest
 * of the hypervisor. the board's addresses, interrupt numbers and sizes
 * (PLAT_*) are constants in platform/<board>/platform.h.
 */
#ifndef PLATFORM_IF_H
#define PLATFORM_IF_H

#include "types.h"
#include "addr.h"
#include "platform.h"

/* --- implemented by platform/<board> ----------------------------------- */
void platform_cpu_on(u32 cpu, paddr_t entry); /* start cpu at entry (arch_secondary_entry) */
void platform_power_off(void) __attribute__((noreturn));  /* every VM has stopped */
void platform_halt_error(void) __attribute__((noreturn)); /* every error stop */

#endif
