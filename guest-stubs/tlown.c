/*
 * tlown: a "traplog = own" VM looking for more than its own. it reads every
 * page it can at the trap log's ipa, every word of those it can, and says
 * where they are and what the first words claim to be; it tries a write;
 * then it asks HYP_CALL_RING to stop every cpu's ring (a control VM's call).
 * tests/test_traplog_worst.py.
 */
#include "stub.h"

#define PROBE_PAGES 128 /* 512 KiB: past the end of the whole log */
#define PAGE	    4096u

/* the view an "own" VM expects at +0: a copy of the log's constants, then its id and name */
#define OWN_MAGIC   0
#define OWN_VERSION 4 /* u16 */
#define OWN_SIZE    8
#define OWN_ID	    12
#define OWN_NAME    16

static u32 peek(u32 addr, bool *ok)
{
	u32 before = stub_aborts, v = 0x5a5a5a5a;

	v = *(volatile u32 *)addr;
	*ok = stub_aborts == before;
	return v;
}

int main(void)
{
	struct hvc_ret info = hvc_call(HYP_CALL_LOG_INFO, 0, 0, 0);
	u32 first = ~0u, last = 0, pages = 0, words = 0, sum = 0, p, w, before;
	char name[17];
	bool ok;
	int off, on;

	exc_hook = skip_data_aborts;
	printf("tlown: log version %u, vm %u\n", info.r1, info.r3);
	for (p = 0; p < PROBE_PAGES; p++) {
		peek(TRAPLOG + p * PAGE, &ok);
		if (!ok)
			continue;
		if (first == ~0u)
			first = p;
		last = p;
		pages++;
		for (w = 0; w < PAGE / 4; w++) { /* every word of it */
			sum += peek(TRAPLOG + p * PAGE + w * 4, &ok);
			words += ok;
		}
	}
	if (!pages) {
		printf("tlown: nothing readable\n");
		return 0;
	}
	printf("tlown: %u of %u pages readable, +0x%x to +0x%x, %u words\n", pages, PROBE_PAGES,
	       first * PAGE, (last + 1) * PAGE, words);
	for (w = 0; w < 16; w++) {
		char c = *(volatile char *)(TRAPLOG + first * PAGE + OWN_NAME + w);

		name[w] = c >= 0x20 && c < 0x7f ? c : c ? '?' : 0;
		if (!c)
			break;
	}
	name[16] = 0;
	p = TRAPLOG + first * PAGE;
	printf("tlown: +0x%x: magic %08x version %u size %u vm %u name '%s'\n", first * PAGE,
	       *(volatile u32 *)(p + OWN_MAGIC), *(volatile u16 *)(p + OWN_VERSION),
	       *(volatile u32 *)(p + OWN_SIZE), *(volatile u32 *)(p + OWN_ID), name);
	before = stub_aborts;
	*(volatile u32 *)p = 0;
	printf("tlown: a write aborts: %s\n", stub_aborts != before ? "yes" : "no");
	off = (int)hvc_call(HYP_CALL_RING, 0, 0, 0).r0;
	printf("tlown: HYP_CALL_RING(0) answers %d\n", off);
	on = (int)hvc_call(HYP_CALL_RING, 0, 0, 0).r0; /* still off, if the first one worked */
	printf("tlown: HYP_CALL_RING(0) again answers %d\n", on);
	printf("tlown: HYP_CALL_RING(0) by smc answers %d\n",
	       (int)smc_call(HYP_CALL_RING, 0, 0, 0).r0); /* the other conduit */
	(void)sum;
	return 0;
}
