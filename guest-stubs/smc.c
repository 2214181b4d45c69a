/* smc: PSCI by the smc conduit, trapped by HCR.TSC: VERSION, then SYSTEM_OFF. */
#include "stub.h"

int main(void)
{
	struct hvc_ret r = smc_call(0x84000000, 0, 0, 0);	/* PSCI_VERSION */

	printf("smc: psci version %u.%u\n", r.r0 >> 16, r.r0 & 0xffff);
	r = smc_call(0x8400abcd, 0, 0, 0);			/* unknown PSCI id */
	printf("smc: unknown psci call returned %d\n", (int)r.r0);
	smc_call(0x84000008, 0, 0, 0);				/* SYSTEM_OFF */
	printf("FAIL: still running after SYSTEM_OFF\n");
	return 1;
}
