/*
 * smpreset: SYSTEM_RESET from a vcpu that is not the one running vcpu 0.
 * on its first boot, vcpu 0 starts vcpu 1 (on the other physical cpu, in
 * the manifest) and scribbles on a page, interrupts masked, for ever; vcpu
 * 1 waits until it has scribbled a while, then asks for the reset. the VM
 * must come back as new: vcpu 0 at the image's entry with pristine memory
 * (its .data at its initial value, .bss and the page zero), and no vcpu of
 * the old boot writing into it. the hypervisor's count of vcpu 0's hvcs
 * survives the reset, so the null call tells which boot this is.
 */
#include "stub.h"

static u32 boots = 1000;			/* .data */
static volatile u32 scribbles;			/* .bss */
static volatile u32 *const page = (u32 *)0x40c00000u;
static u8 stack1[STUB_STACK_SIZE] __attribute__((aligned(8)));

void secondary_main(void)
{
	while (scribbles < 100000)
		;
	hvc_call(PSCI_SYSTEM_RESET, 0, 0, 0);
	printf("FAIL: vcpu 1 still running after SYSTEM_RESET\n");
}

int main(void)
{
	u32 hvcs = hvc_call(0x86000000, 0, 0, 0).r3;	/* vcpu 0's hvcs, this one too */
	u32 i, dirty = 0;
	u64 end;

	boots++;
	if (hvcs == 1) {
		if (hvc_call(PSCI_CPU_ON, 1, (u32)stub_secondary_entry,
			     (u32)&stack1[STUB_STACK_SIZE]).r0 != 0)
			printf("FAIL: CPU_ON\n");
		for (i = 0;; i = (i + 1) % 1024) {
			page[i] = 0xdeadbeef;
			scribbles++;
		}
	}
	for (i = 0; i < 1024; i++)
		dirty += page[i] != 0;
	/* a while for a vcpu left over from the first boot to scribble, if one were */
	end = stub_cntvct() + stub_cntfrq() / 20;
	while (stub_cntvct() < end)
		;
	for (i = 0; i < 1024; i++)
		dirty += page[i] != 0;
	printf("smpreset: boot 2 after %u hvcs: data %u, bss %u, %u dirty words\n", hvcs, boots,
	       scribbles, dirty);
	return 0;
}
