/* fixed-width types and the small helpers every file wants (addresses: addr.h). */
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


#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	 (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define MiB		 (1024u * 1024u)

#endif
