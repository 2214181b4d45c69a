/*
 * vfp: the first vfp instruction traps (HCPTR.TCP10/11) and the hypervisor
 * switches the fpu in. the stub fills all 32 d registers and FPSCR with a
 * pattern of its own, waits (wfi: another VM may run and use the fpu), and
 * checks that every register survived, twice. run two of these side by
 * side (hyp.vms=vfp,vfp) to see the lazy switch move the fpu between them.
 */
#include "stub.h"

	asm(".fpu neon-vfpv4");

static u64 regs[32];

static void fill(u32 seed)
{
	u32 i;

	for (i = 0; i < 32; i++)
		regs[i] = (u64)seed << 32 | (i * 0x01010101u);
	asm volatile("vldmia %0, {d0-d15}\n\tvldmia %1, {d16-d31}"
		     :: "r"(regs), "r"(regs + 16) : "memory");
	asm volatile("vmsr fpscr, %0" :: "r"(0x03c00000u | (seed & 0xf) << 28));
}

static u32 check(u32 seed)
{
	static u64 now[32];
	u32 i, bad = 0, fpscr;

	asm volatile("vstmia %0, {d0-d15}\n\tvstmia %1, {d16-d31}"
		     :: "r"(now), "r"(now + 16) : "memory");
	asm volatile("vmrs %0, fpscr" : "=r"(fpscr));
	for (i = 0; i < 32; i++)
		bad += now[i] != regs[i];
	return bad + (fpscr != (0x03c00000u | (seed & 0xf) << 28));
}

int main(void)
{
	u32 cpacr, fpexc, seed = hvc_call(HYP_CALL_NULL, 0, 0, 0).r1 + 0x5a;	/* vm id */
	u32 bad;

	asm volatile("mrc p15, 0, %0, c1, c0, 2" : "=r"(cpacr));
	cpacr |= 0xfu << 20;				/* cp10, cp11: full access */
	asm volatile("mcr p15, 0, %0, c1, c0, 2\n\tisb" :: "r"(cpacr));
	asm volatile("vmrs %0, fpexc" : "=r"(fpexc));	/* first use: traps */
	asm volatile("vmsr fpexc, %0" :: "r"(fpexc | 1u << 30));
	fill(seed);
	asm volatile("wfi");
	bad = check(seed);
	asm volatile("wfi");
	bad += check(seed);
	printf("vfp: 32 d registers and fpscr kept across 2 waits, %u wrong\n", bad);
	return 0;
}
