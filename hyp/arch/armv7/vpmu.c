/*
 * the guest's performance monitor. the hypervisor keeps the last event
 * counter (arch_pmu_init: it counts hyp cycles, the cost of each trap) and
 * PMSELR pointing at it; a guest gets event counters 0 to HPMN - 1, the
 * cycle counter, and a PMSELR of its own. HDCR.TPM traps every guest
 * access (B4.1.66) to here: QEMU 7.2 cannot trap PMCR alone (TPMCR), and
 * its PMCR.P resets our counter too, where the architecture has it reset
 * only the guest's (B4.1.117). state other than PMSELR is not switched
 * between VMs: the pmu is one per cpu, shared by the VMs on it.
 */
#include "arch/arch.h"
#include "arch/hsr.h"
#include "arch/sysregs.h"
#include "vm.h"

#define PMU_CYCLES  (1u << 31) /* PMCCNTR's bit in the set/clear registers */
#define PMSELR_CCNT 31	       /* PMSELR value for PMCCFILTR (via PMXEVTYPER) */

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
	u32 mask = ((1u << hyp_pmu_counter) - 1) | PMU_CYCLES, sel = vcpu->arch.pmselr;
	bool ours = sel >= hyp_pmu_counter && sel != PMSELR_CCNT;

	switch (key) {
	case CP15_KEY(PMCR): /* N reads as HPMN */
		if (read) {
			*val = (sysreg_read32(PMCR) & ~PMCR_N_MASK) | hyp_pmu_counter
									      << PMCR_N_SHIFT;
			break;
		}
		if (*val & PMCR_P)
			reset_guest_counters();
		sysreg_write32(PMCR, *val & ~(PMCR_P | PMCR_N_MASK));
		break;
		MASKED(CNTENSET);
		MASKED(CNTENCLR);
		MASKED(OVSR);
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
		PASS(USERENR, ~0u);
		break;
		MASKED(INTENSET);
		MASKED(INTENCLR);
	default: return false;
	}
	return true;
}
