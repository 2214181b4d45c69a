/* a cpu entered in secure svc opens the board to the non-secure side before it leaves. */
#include "arch/arch.h"
#include "arch/sysregs.h"

#define ID_PFR1_VIRT(r) (((r) >> 12) & 0xf) /* B4.1.93: virtualization extensions */

/*
 * called by boot.S on each cpu, in secure svc, before the smc into hyp:
 * interrupts to group 1, and NSACR (B4.1.111) lets the non-secure side use
 * cp10/cp11 (vfp, neon) and ACTLR.SMP. the monitor then sets SCR. false
 * when the cpu has no hyp mode to go to.
 */
bool secure_init(bool boot_cpu)
{
	if (!ID_PFR1_VIRT(sysreg_read32(ID_PFR1)))
		return false;
	gic_secure_init(boot_cpu);
	sysreg_write32(NSACR, sysreg_read32(NSACR) | NSACR_CP10 | NSACR_CP11 | NSACR_NS_SMP);
	isb();
	return true;
}
