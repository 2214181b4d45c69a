/* smc: PSCI by the smc conduit, trapped by HCR.TSC: VERSION, then SYSTEM_OFF. */
#include "stub.h"

int main(void)
{
	struct hvc_ret r = smc_call(PSCI_VERSION, 0, 0, 0);

	printf("smc: psci version %u.%u\n", r.r0 >> 16, r.r0 & 0xffff);
	r = smc_call(0x8400abcd, 0, 0, 0);			/* unknown PSCI id */
	printf("smc: unknown psci call returned %d\n", (int)r.r0);
	smc_call(PSCI_SYSTEM_OFF, 0, 0, 0);
	printf("FAIL: still running after SYSTEM_OFF\n");
	return 1;
}
