/* the libc functions the hypervisor uses (gcc may also call these). */
#include "lib.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if ((((uintptr_t)d | (uintptr_t)s | n) & 3) == 0) {
		for (; n; n -= 4, d += 4, s += 4)
			*(u32 *)d = *(const u32 *)s;
		return dst;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;

	if ((((uintptr_t)d | n) & 31) == 0) { /* four strd a round: zeroing guest ram */
		u64 v = (u8)c * 0x0101010101010101ull;

		for (; n; n -= 32, d += 32) {
			((u64 *)d)[0] = v;
			((u64 *)d)[1] = v;
			((u64 *)d)[2] = v;
			((u64 *)d)[3] = v;
		}
		return dst;
	}
	if ((((uintptr_t)d | n) & 3) == 0) {
		u32 v = (u8)c * 0x01010101u;

		for (; n; n -= 4, d += 4)
			*(u32 *)d = v;
		return dst;
	}
	while (n--)
		*d++ = (u8)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++)
		if (*a != *b || !*a)
			return (u8)*a - (u8)*b;
	return 0;
}

char *strstr(const char *s, const char *sub)
{
	size_t n = strlen(sub);

	for (; *s; s++)
		if (!strncmp(s, sub, n))
			return (char *)s;
	return NULL;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}
