/*
 * fuzzhvc: random hypervisor and secure-monitor calls. function ids are
 * drawn from the whole 32-bit space and, half the time, from the SMCCC
 * owners this hypervisor answers (arm, psci, vendor hyp), with random
 * arguments, by hvc and by smc. a call the hypervisor does not know must
 * return NOT_SUPPORTED; the ones that would stop, reset or reconfigure the
 * VM are left out. seed and count come from the command line
 * ("seed=N count=N"), so a failure replays exactly.
 */
#include "stub.h"

static u32 state;

static u32 rnd(void)
{
	return stub_rand(&state);
}

/* the calls this hypervisor answers with something other than NOT_SUPPORTED */
static int known(u32 fid)
{
	switch (fid) {
	case 0x80000000: case 0x80000001:			/* SMCCC */
	case 0x84000000: case 0x84000003: case 0x84000004:	/* PSCI */
	case 0x84000006: case 0x8400000a:
	case 0x86000000: case 0x86000001: case 0x86000004:	/* this hypervisor's */
	case 0x8600ff00: case 0x8600ff01: case 0x8600ff03:
		return 1;
	}
	return 0;
}

/* those that would end the run or change what it measures */
static int excluded(u32 fid)
{
	return fid == 0x84000002 || fid == 0x84000008 || fid == 0x84000009 ||	/* off, reset */
	       fid == 0x86000002 || fid == 0x86000003;			/* log reset, ring */
}

int main(void)
{
	u32 seed, count, i, unknown = 0, wrong = 0, answered = 0;

	seed = stub_bootarg("seed=", 1);
	count = stub_bootarg("count=", 100000);
	state = seed ? seed : 1;
	for (i = 0; i < count; i++) {
		static const u32 owners[] = { 0x80000000, 0x84000000, 0x86000000, 0x8600ff00 };
		u32 fid = rnd(), r;

		if (rnd() & 1)
			fid = owners[rnd() % 4] | (rnd() & 0x1f);
		if (excluded(fid))
			continue;
		if (rnd() & 1)
			r = hvc_call(fid, rnd(), rnd(), rnd()).r0;
		else
			r = smc_call(fid, rnd(), rnd(), rnd()).r0;
		if (known(fid)) {
			answered++;
		} else {
			unknown++;
			wrong += r != 0xffffffffu;
		}
	}
	printf("fuzzhvc: seed %u, %u calls: %u known, %u unknown, %u unknown not NOT_SUPPORTED\n",
	       seed, answered + unknown, answered, unknown, wrong);
	return 0;
}
