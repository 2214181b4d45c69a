/*
 * zeroes: its ram must read as zeros wherever it did not write, on its first
 * boot and again after it wrote a pattern over all of it and asked PSCI for
 * SYSTEM_RESET (the hypervisor zeroes a VM's ram lazily, block by block). its
 * first instruction of C reads the physical count: under -icount shift=0, how
 * long the hypervisor took to start it (tools/bench_boot.py).
 */
#include "fdt.h"
#include "stub.h"

extern u32 boot_r2;
extern char __stack_top[];

/* what the stub may write: above its own stacks, outside the device tree */
static bool ours(const u32 *p, u32 dtb, u32 dtb_end)
{
	return (u32)p < dtb || (u32)p >= dtb_end;
}

int main(void)
{
	u64 start;
	u32 boot, dtb = boot_r2, dtb_end, dirty = 0;
	struct fdt_board b;
	u32 *p, *end;

	asm volatile("isb\n\tmrrc p15, 0, %Q0, %R0, c14" : "=r"(start)); /* CNTPCT */
	boot = (hvc_call(HYP_CALL_NULL, 0, 0, 0).r3 + 1) / 2; /* two hvcs a boot */
	if (fdt_board_info((const void *)dtb, &b)) {
		printf("FAIL: no device tree\n");
		return 1;
	}
	dtb_end = dtb + __builtin_bswap32(((const u32 *)dtb)[1]); /* totalsize */
	end = (u32 *)(u32)(pa_addr(b.ram_base) + b.ram_size);
	for (p = (u32 *)__stack_top; p < end; p++)
		dirty += ours(p, dtb, dtb_end) && *p != 0;
	printf("zeroes: boot %u started at count %llu of %u Hz; %u MiB, %u nonzero words\n", boot,
	       start, stub_cntfrq(), (u32)(b.ram_size >> 20), dirty);
	if (boot > 1)
		return 0;
	for (p = (u32 *)__stack_top; p < end; p++)
		if (ours(p, dtb, dtb_end))
			*p = 0x5a5a0000 ^ (u32)p;
	hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	printf("FAIL: still running after SYSTEM_RESET\n");
	return 1;
}
