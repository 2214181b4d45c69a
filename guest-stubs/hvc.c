/*
 * hvc: 1000 null hypercalls, checking what each returns, then four calls
 * the hypervisor does not know, which must answer NOT_SUPPORTED.
 */
#include "stub.h"

#define N_NULL		1000

int main(void)
{
	u32 i, bad = 0, unknown_ok = 0;
	struct hvc_ret r;

	for (i = 1; i <= N_NULL; i++) {
		r = hvc_call(HYP_CALL_NULL, 0, 0, 0);
		/* r1 = vm id, r2 = vcpu id, r3 = this vcpu's hvc count so far */
		if (r.r0 != 0 || r.r2 != 0 || r.r3 != i)
			bad++;
	}
	printf("hvc: %u null calls, %u bad returns, vm id %u\n", N_NULL, bad, r.r1);

	if (hvc_call(0x8600beef, 1, 2, 3).r0 == SMCCC_NOT_SUPPORTED)	/* vendor, unknown */
		unknown_ok++;
	if (hvc_call(0x01234567, 0, 0, 0).r0 == SMCCC_NOT_SUPPORTED)	/* yielding call */
		unknown_ok++;
	if (hvc_call(0xc5000000, 0, 0, 0).r0 == SMCCC_NOT_SUPPORTED)	/* smc64 std hyp */
		unknown_ok++;
	{
		register u32 r0 asm("r0") = HYP_CALL_NULL;

		asm volatile("hvc #1" : "+r"(r0) :: "r1", "r2", "r3", "memory");
		if (r0 == SMCCC_NOT_SUPPORTED)			/* imm != 0 */
			unknown_ok++;
	}
	printf("hvc: %u of 4 unknown calls answered NOT_SUPPORTED\n", unknown_ok);
	return 0;
}
