/*
 * reset: a guest that dirties its memory and asks PSCI for SYSTEM_RESET,
 * twice. each time it must come back from pristine images: its .data
 * variable at its initial value, its .bss zero, and the page it scribbled
 * on zero again. the hypervisor's count of its hypercalls survives the
 * reset, so the null call (r3: this vcpu's hvc count) tells which boot
 * this is.
 */
#include "stub.h"

#define RESETS	2

static u32 boots = 1000;			/* .data: 1001 after the increment, every boot */
static u32 scribble;				/* .bss */
static volatile u32 *const page = (u32 *)0x40c00000u;	/* clear of the dtb at 8 MiB */

int main(void)
{
	u32 boot = (hvc_call(HYP_CALL_NULL, 0, 0, 0).r3 + 1) / 2;	/* two hvcs a boot */
	u32 i, dirty = 0;
	u64 end;

	boots++;
	for (i = 0; i < 1024; i++)
		dirty += page[i] != 0;
	printf("reset: boot %u: data %u, bss %u, %u dirty words\n", boot, boots, scribble, dirty);
	if (boot > RESETS)
		return 0;
	boots = 0xdead;
	scribble = 0xbeef;
	for (i = 0; i < 1024; i++)
		page[i] = 0xdeadbeef;
	end = stub_cntvct() + stub_cntfrq() / 33;	/* 30 ms: the neighbour's ticks go on */
	while (stub_cntvct() < end)
		;
	hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	printf("FAIL: still running after SYSTEM_RESET\n");
	return 1;
}
