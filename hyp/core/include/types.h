/* fixed-width types and the two address kinds the hypervisor juggles. */
#ifndef TYPES_H
#define TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

/* plain int types, not <stdint.h>'s: newlib's uint32_t is a long, and %u must fit both */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;
typedef long long s64;
_Static_assert(sizeof(u32) == 4 && sizeof(u64) == 8, "int sizes");

/*
 * LPAE physical and intermediate-physical addresses are 40 bits wide while
 * hypervisor virtual addresses are 32: distinct types stop a guest address
 * from being used where a physical one is meant.
 */
typedef u64 paddr_t;	/* physical address (40-bit) */
typedef u64 ipaddr_t;	/* guest intermediate physical address (40-bit) */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MiB		(1024u * 1024u)

#endif
