/*
 * the guest's physical timer, emulated: CNTHCTL.PL1PCEN is clear, so its
 * CNTP_CTL, CNTP_TVAL and CNTP_CVAL accesses trap (EC 0x03/0x04) and land
 * here. the timer compares against the physical count (B8.1.2); when it
 * fires, the guest's PPI 14 (ID 30) rises, level-sensitive. the hypervisor's
 * own timer (CNTHP, PPI 10) is armed for the running vcpu's deadline.
 */
#include "arch/arch.h"
#include "arch/hsr.h"
#include "arch/sysregs.h"
#include "arch/vgic.h"
#include "vm.h"

#define CTL_ENABLE	(1u << 0)
#define CTL_IMASK	(1u << 1)
#define CTL_ISTATUS	(1u << 2)

static bool fired(const struct vcpu_arch *a)
{
	return (a->cntp_ctl & CTL_ENABLE) && sysreg_read64(CNTPCT) >= a->cntp_cval;
}

/* after any change, or when CNTHP fires: the line, and the next deadline */
void ptimer_update(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;
	bool f = fired(a);

	vgic_set_line(vcpu, IRQ_PTIMER, f && !(a->cntp_ctl & CTL_IMASK));
	if ((a->cntp_ctl & CTL_ENABLE) && !(a->cntp_ctl & CTL_IMASK) && !f) {
		sysreg_write64(CNTHP_CVAL, a->cntp_cval);
		sysreg_write32(CNTHP_CTL, CTL_ENABLE);
	} else {
		sysreg_write32(CNTHP_CTL, 0);
	}
	isb();
}

/* MCR/MRC CNTP_CTL or CNTP_TVAL: returns false if reg is neither */
bool ptimer_access32(struct vcpu *vcpu, u32 key, bool read, u32 *val)
{
	struct vcpu_arch *a = &vcpu->arch;
	u64 now = sysreg_read64(CNTPCT);

	if (key == CP32_KEY(0, 14, 2, 1)) {		/* CNTP_CTL */
		if (read)
			*val = a->cntp_ctl | (fired(a) ? CTL_ISTATUS : 0);
		else
			a->cntp_ctl = *val & (CTL_ENABLE | CTL_IMASK);
	} else if (key == CP32_KEY(0, 14, 2, 0)) {	/* CNTP_TVAL: signed, 32 bits */
		if (read)
			*val = (u32)(a->cntp_cval - now);
		else
			a->cntp_cval = now + (u64)(s64)(s32)*val;
	} else {
		return false;
	}
	if (!read)
		ptimer_update(vcpu);
	return true;
}

/* MCRR/MRRC CNTP_CVAL */
bool ptimer_access64(struct vcpu *vcpu, u32 opc1, u32 crm, bool read, u64 *val)
{
	if (opc1 != 2 || crm != 14)
		return false;
	if (read) {
		*val = vcpu->arch.cntp_cval;
	} else {
		vcpu->arch.cntp_cval = *val;
		ptimer_update(vcpu);
	}
	return true;
}
