/*
 * the guest's performance monitor. the hypervisor keeps the last event
 * counter (pmu_init: it counts hyp cycles, the cost of each trap) and
 * PMSELR pointing at it; a guest gets event counters 0 to HPMN - 1, the
 * cycle counter, and a PMSELR of its own. HDCR.TPM traps every guest
 * access (B4.1.66) to here: QEMU 7.2 cannot trap PMCR alone (TPMCR), and
 * its PMCR.P resets our counter too, where the architecture has it reset
 * only the guest's (B4.1.117). the guest's part is per vcpu: a vcpu that
 * writes to it takes it along at each world switch (vpmu_save/load), and
 * leaves the cpu's as a new vcpu finds it (vpmu_clean), so that no VM or
 * later life reads, stops or counts with another's counters, nor opens
 * them to its user space (PMUSERENR). our counter is outside all of it:
 * PMCR.E and the guest's enables do not reach it (HDCR.HPME does).
 */
#include "arch/arch.h"
#include "arch/hsr.h"
#include "arch/sysregs.h"
#include "vm.h"

#define PMU_CYCLES  (1u << 31) /* PMCCNTR's bit in the set/clear registers */
#define PMSELR_CCNT 31	       /* PMSELR value for PMCCFILTR (via PMXEVTYPER) */
/* the PMCR bits a guest keeps (B4.1.117): E, D, X, DP; P and C act, N is ours */
#define PMCR_GUEST   (PMCR_E | PMCR_D | PMCR_X | PMCR_DP)
#define PMUSERENR_EN 1u /* armv7 has only EN (B4.1.119) */

_Static_assert(PMSELR_CCNT == VPMU_MAX_COUNTERS, "a guest has at most 31 event counters");

static void select(u32 counter)
{
	sysreg_write32(PMSELR, counter);
	isb();
}

static void reset_guest_counters(void)
{
	u32 i;

	for (i = 0; i < hyp_pmu_counter; i++) {
		select(i);
		sysreg_write32(PMXEVCNTR, 0);
	}
	select(hyp_pmu_counter);
}

/* the guest's counters and the cycle counter, in the set/clear registers */
static u32 guest_mask(void)
{
	return ((1u << hyp_pmu_counter) - 1) | PMU_CYCLES;
}

/*
 * the vcpu's pmu out of the cpu, stopped first (PMCR.E) so that its counts
 * are those it had; then the cpu's as a new vcpu's (vpmu_clean). the
 * overflow flags join those of its earlier runs.
 */
void vpmu_save(struct vpmu_regs *p)
{
	u32 mask = guest_mask(), pmcr = sysreg_read32(PMCR), i;

	sysreg_write32(PMCR, pmcr & ~(PMCR_GUEST | PMCR_P | PMCR_C));
	isb();
	p->pmcr = pmcr & PMCR_GUEST;
	p->cntenset = sysreg_read32(PMCNTENSET) & mask;
	p->intenset = sysreg_read32(PMINTENSET) & mask;
	p->ovsr |= sysreg_read32(PMOVSR) & mask;
	p->userenr = sysreg_read32(PMUSERENR);
	p->ccntr = sysreg_read32(PMCCNTR);
	for (i = 0; i < hyp_pmu_counter; i++) {
		select(i);
		p->evtyper[i] = sysreg_read32(PMXEVTYPER);
		p->evcntr[i] = sysreg_read32(PMXEVCNTR);
	}
	select(PMSELR_CCNT);
	p->ccfiltr = sysreg_read32(PMXEVTYPER);
	vpmu_clean();
}

/* the vcpu's pmu into the cpu, which holds a new vcpu's; PMCR.E last */
void vpmu_load(const struct vpmu_regs *p)
{
	u32 i;

	for (i = 0; i < hyp_pmu_counter; i++) {
		select(i);
		sysreg_write32(PMXEVTYPER, p->evtyper[i]);
		sysreg_write32(PMXEVCNTR, p->evcntr[i]);
	}
	select(PMSELR_CCNT);
	sysreg_write32(PMXEVTYPER, p->ccfiltr);
	select(hyp_pmu_counter);
	sysreg_write32(PMCCNTR, p->ccntr);
	sysreg_write32(PMUSERENR, p->userenr);
	sysreg_write32(PMINTENSET, p->intenset);
	sysreg_write32(PMCNTENSET, p->cntenset);
	sysreg_write32(PMCR, (sysreg_read32(PMCR) & ~(PMCR_GUEST | PMCR_P | PMCR_C)) | p->pmcr);
	isb();
}

/*
 * the guest's part of the cpu's pmu as a new vcpu finds it: stopped,
 * enables, flags and user access off, event types and counts 0. for a
 * vcpu whose state was dropped (its VM reset while it was loaded) too.
 */
void vpmu_clean(void)
{
	u32 mask = guest_mask(), i;

	sysreg_write32(PMCR, sysreg_read32(PMCR) & ~(PMCR_GUEST | PMCR_P | PMCR_C));
	sysreg_write32(PMCNTENCLR, mask);
	sysreg_write32(PMINTENCLR, mask);
	sysreg_write32(PMOVSR, mask); /* write 1 to clear */
	sysreg_write32(PMUSERENR, 0);
	sysreg_write32(PMCCNTR, 0);
	for (i = 0; i < hyp_pmu_counter; i++) {
		select(i);
		sysreg_write32(PMXEVTYPER, 0);
		sysreg_write32(PMXEVCNTR, 0);
	}
	select(PMSELR_CCNT);
	sysreg_write32(PMXEVTYPER, 0);
	select(hyp_pmu_counter);
}

/*
 * a register passed through, its value masked both ways. the name comes
 * without its "PM": pasted on here, it is expanded only inside CP15_KEY()
 * and sysreg_*(), which take it whole.
 */
#define PASS(pm_name, m)                                         \
	do {                                                     \
		if (read)                                        \
			*val = sysreg_read32(PM##pm_name) & (m); \
		else                                             \
			sysreg_write32(PM##pm_name, *val &(m));  \
	} while (0)

/* the registers with a bit per counter (set/clear enables, overflows,
 * interrupt enables) pass through, masked to the guest's counters */
#define MASKED(pm_name) \
	case CP15_KEY(PM##pm_name): PASS(pm_name, mask); break

/* a trapped MRC/MCR of a pmu register (CRn 9); false if it is none */
bool vpmu_access(struct vcpu *vcpu, u32 key, bool read, u32 *val)
{
	u32 mask = guest_mask(), sel = vcpu->arch.pmselr;
	bool ours = sel >= hyp_pmu_counter && sel != PMSELR_CCNT;

	if (!read) /* the cpu's pmu is its own from now on: the world switch moves it */
		vcpu->arch.pmu_used = true;

	switch (key) {
	case CP15_KEY(PMCR): /* N reads as HPMN */
		if (read) {
			*val = (sysreg_read32(PMCR) & ~PMCR_N_MASK) | hyp_pmu_counter
									      << PMCR_N_SHIFT;
			break;
		}
		if (*val & PMCR_P)
			reset_guest_counters();
		sysreg_write32(PMCR, (sysreg_read32(PMCR) & ~PMCR_GUEST) |
					     (*val & (PMCR_GUEST | PMCR_C)));
		break;
		MASKED(CNTENSET);
		MASKED(CNTENCLR);
	case CP15_KEY(PMOVSR): /* the flags of its earlier runs too (vpmu_save) */
		if (read) {
			*val = (sysreg_read32(PMOVSR) | vcpu->arch.pmu.ovsr) & mask;
		} else {
			sysreg_write32(PMOVSR, *val & mask);
			vcpu->arch.pmu.ovsr &= ~*val;
		}
		break;
	case CP15_KEY(PMSWINC): /* write-only */
		if (!read)
			sysreg_write32(PMSWINC, *val & mask & ~PMU_CYCLES);
		break;
	case CP15_KEY(PMSELR):
		if (read)
			*val = sel;
		else
			vcpu->arch.pmselr = *val & 0x1f;
		break;
	case CP15_KEY(PMCEID0): *val = read ? sysreg_read32(PMCEID0) : 0; break;
	case CP15_KEY(PMCEID1): *val = read ? sysreg_read32(PMCEID1) : 0; break;
	case CP15_KEY(PMCCNTR): PASS(CCNTR, ~0u); break;
	case CP15_KEY(PMXEVTYPER): /* PMCCFILTR when PMSELR is 31 */
	case CP15_KEY(PMXEVCNTR):
		if (ours || (sel == PMSELR_CCNT && key == CP15_KEY(PMXEVCNTR))) {
			*val = 0; /* not its counter: RAZ/WI */
			break;
		}
		select(sel);
		if (key == CP15_KEY(PMXEVTYPER))
			PASS(XEVTYPER, ~0u);
		else
			PASS(XEVCNTR, ~0u);
		select(hyp_pmu_counter);
		break;
	case CP15_KEY(PMUSERENR):
		PASS(USERENR, PMUSERENR_EN);
		break;
		MASKED(INTENSET);
		MASKED(INTENCLR);
	default: return false;
	}
	return true;
}
