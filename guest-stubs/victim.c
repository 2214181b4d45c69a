/*
 * victim: fills 8 MiB of its RAM with a pattern, then checksums it again
 * and again while another VM (hostile) runs beside it. it reports whether
 * every checksum matched the first and how far its virtual timer moved.
 */
#include "stub.h"

#define WORDS	(8u << 20) / 4
#define ROUNDS	200

static u32 *const area = (u32 *)0x40400000u;

static u32 sum(void)
{
	u32 s = 0, i;

	for (i = 0; i < WORDS; i++)
		s = (s << 1 | s >> 31) ^ area[i];
	return s;
}

int main(void)
{
	u32 i, first, bad = 0, seed = 0x12345678;
	u64 t0, t1;

	for (i = 0; i < WORDS; i++) {
		seed = seed * 1664525u + 1013904223u;
		area[i] = seed;
	}
	first = sum();
	asm volatile("isb\n\tmrrc p15, 1, %Q0, %R0, c14" : "=r"(t0));	/* CNTVCT */
	for (i = 0; i < ROUNDS; i++)
		bad += sum() != first;
	asm volatile("isb\n\tmrrc p15, 1, %Q0, %R0, c14" : "=r"(t1));
	printf("victim: %u checksums of 8 MiB, %u differ from the first\n", ROUNDS, bad);
	printf("victim: virtual time went on: %s\n", t1 > t0 ? "yes" : "no");
	return 0;
}
