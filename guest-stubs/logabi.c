/*
 * logabi: the trap-log hypercalls. it asks for the log's layout, makes
 * some traps, resets its counters (so the table at the end shows only
 * what came after), stops and starts ring recording around 5 hvcs, and
 * brackets a region with two marks.
 */
#include "stub.h"

int main(void)
{
	struct hvc_ret r = hvc_call(HYP_CALL_LOG_INFO, 0, 0, 0);
	u32 i, was_on, was_off, m1, m2;

	printf("logabi: version %u, %u bytes, vm %u\n", r.r1, r.r2, r.r3);
	for (i = 0; i < 100; i++)
		hvc_call(HYP_CALL_NULL, 0, 0, 0);
	hvc_call(HYP_CALL_LOG_RESET, 0, 0, 0);		/* from here on: counted afresh */
	was_on = hvc_call(HYP_CALL_RING, 0, 0, 0).r0;	/* stop */
	for (i = 0; i < 5; i++)
		hvc_call(HYP_CALL_NULL, 0, 0, 0);
	was_off = hvc_call(HYP_CALL_RING, 1, 0, 0).r0;	/* start */
	m1 = hvc_call(HYP_CALL_MARK, 0x1111, 0, 0).r0;
	for (i = 0; i < 3; i++)
		asm volatile("wfi");
	m2 = hvc_call(HYP_CALL_MARK, 0x2222, 0, 0).r0;
	printf("logabi: ring was %u, then %u; marks %u apart\n", was_on, was_off, m2 - m1);
	return 0;
}
