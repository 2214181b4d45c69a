/* printf-style formatting without libc: the conversions this hypervisor uses. */
#ifndef FMT_H
#define FMT_H

#include <stdarg.h>
#include "types.h"

/*
 * conversions: %d %u %x %X %s %c %p %%, with l, ll and z lengths, a width,
 * '0' and '-' flags, '#' (0x prefix) and a precision for %s (.N or .*).
 * returns the length it wanted.
 */
int fmt_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
