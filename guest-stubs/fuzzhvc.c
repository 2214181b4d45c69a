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
	case SMCCC_VERSION: case SMCCC_ARCH_FEATURES:
	case PSCI_VERSION: case PSCI_CPU_ON: case PSCI_AFFINITY_INFO:
	case PSCI_MIGRATE_INFO_TYPE: case PSCI_FEATURES:
	case HYP_CALL_NULL: case HYP_CALL_LOG_INFO: case HYP_CALL_MARK:
	case HYP_CALL_COUNT: case HYP_CALL_UID: case HYP_CALL_REVISION:
		return 1;
	}
	return 0;
}

/* those that would end the run or change what it measures */
static int excluded(u32 fid)
{
	return fid == PSCI_CPU_OFF || fid == PSCI_SYSTEM_OFF || fid == PSCI_SYSTEM_RESET ||
	       fid == HYP_CALL_LOG_RESET || fid == HYP_CALL_RING;
}

int main(void)
{
	u32 seed, count, i, unknown = 0, wrong = 0, answered = 0;

	seed = stub_bootarg("seed=", 1);
	count = stub_bootarg("count=", 100000);
	state = seed ? seed : 1;
	for (i = 0; i < count; i++) {
		/* the first id of each owner's range, and the vendor range's queries */
		static const u32 owners[] = { SMCCC_VERSION, PSCI_VERSION, HYP_CALL_NULL,
					      HYP_CALL_COUNT };
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
