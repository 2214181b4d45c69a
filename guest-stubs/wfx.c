/* wfx: WFI and WFE ten times each (HCR.TWI, HCR.TWE); alone, each returns at once. */
#include "stub.h"

int main(void)
{
	int i;

	for (i = 0; i < 10; i++)
		asm volatile("wfi" ::: "memory");
	for (i = 0; i < 10; i++)
		asm volatile("wfe" ::: "memory");
	printf("wfx: 10 wfi and 10 wfe done\n");
	return 0;
}
