/*
 * the guest's physical timer, emulated: CNTHCTL.PL1PCEN is clear, so its
 * CNTP_CTL, CNTP_TVAL and CNTP_CVAL accesses trap (EC 0x03/0x04) and land
 * here. the timer compares against the physical count (B8.1.2); when it
 * fires, the guest's PPI 14 (ID 30) rises, level-sensitive. the hypervisor's
 * own timer (CNTHP, PPI 10) is armed for the earliest deadline (sched.c).
 */
#include "arch/arch.h"
#include "arch/hsr.h"
#include "arch/sysregs.h"
#include "arch/vgic.h"
#include "irq.h"
#include "sched.h"
#include "vm.h"

#define CTL_ENABLE  (1u << 0)
#define CTL_IMASK   (1u << 1)
#define CTL_ISTATUS (1u << 2)

static bool fired(const struct vcpu_arch *a)
{
	return (a->cntp_ctl & CTL_ENABLE) && sysreg_read64(CNTPCT) >= a->cntp_cval;
}

/* after any change, or when CNTHP fires: the line to the vgic */
void ptimer_update(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;

	vgic_set_line(vcpu, IRQ_PTIMER, fired(a) && !(a->cntp_ctl & CTL_IMASK));
}

/*
 * when CNTHP must fire for this vcpu: its emulated physical timer, and,
 * while it is not loaded, its virtual timer (saved at the switch; the
 * virtual count is the physical one minus CNTVOFF).
 */
u64 arch_timer_deadline(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;
	u64 d = ~0ull;

	if ((a->cntp_ctl & (CTL_ENABLE | CTL_IMASK)) == CTL_ENABLE && !fired(a))
		d = a->cntp_cval;
	if (!a->loaded && !a->vtimer_sent &&
	    (a->cntv_ctl & (CTL_ENABLE | CTL_IMASK)) == CTL_ENABLE &&
	    a->cntv_cval + vcpu->vm->cntvoff < d)
		d = a->cntv_cval + vcpu->vm->cntvoff;
	return d;
}

/* CNTHP fired: deliver what is due (a virtual timer as a software interrupt) */
void arch_timer_check(struct vcpu *vcpu)
{
	struct vcpu_arch *a = &vcpu->arch;

	ptimer_update(vcpu);
	if (!a->loaded && !a->vtimer_sent &&
	    (a->cntv_ctl & (CTL_ENABLE | CTL_IMASK)) == CTL_ENABLE &&
	    sysreg_read64(CNTPCT) >= a->cntv_cval + vcpu->vm->cntvoff) {
		a->vtimer_sent = true; /* until it runs: then the cpu's timer */
		/* not if its LRs still hold one (vgic_inject looks, under its lock) */
		vgic_inject(vcpu, IRQ_VTIMER);
	}
}

void arch_hyp_timer_set(u64 deadline)
{
	if (deadline == ~0ull) {
		sysreg_write32(CNTHP_CTL, 0);
	} else {
		sysreg_write64(CNTHP_CVAL, deadline);
		sysreg_write32(CNTHP_CTL, CTL_ENABLE);
	}
	isb();
}

/* CNTHP as it stands: its compare value if it is on and unmasked, else ~0 */
u64 arch_hyp_timer_deadline(void)
{
	if ((sysreg_read32(CNTHP_CTL) & (CTL_ENABLE | CTL_IMASK)) != CTL_ENABLE)
		return ~0ull;
	return sysreg_read64(CNTHP_CVAL);
}

/* the physical timer, at PL2 the hypervisor's (IRQ_CHECK_TIMER) */
void arch_check_timer_set(u64 deadline)
{
	sysreg_write64(CNTP_CVAL, deadline);
	sysreg_write32(CNTP_CTL, CTL_ENABLE);
	isb();
}

void arch_check_timer_start(u64 deadline)
{
	arch_gic_enable_irq(IRQ_CHECK_TIMER);
	arch_check_timer_set(deadline);
}

/* MCR/MRC CNTP_CTL or CNTP_TVAL: returns false if reg is neither */
bool ptimer_access32(struct vcpu *vcpu, u32 key, bool read, u32 *val)
{
	struct vcpu_arch *a = &vcpu->arch;
	u64 now = sysreg_read64(CNTPCT);

	if (key == CP15_KEY(CNTP_CTL)) {
		if (read)
			*val = a->cntp_ctl | (fired(a) ? CTL_ISTATUS : 0);
		else
			a->cntp_ctl = *val & (CTL_ENABLE | CTL_IMASK);
	} else if (key == CP15_KEY(CNTP_TVAL)) { /* signed, 32 bits */
		if (read)
			*val = (u32)(a->cntp_cval - now);
		else
			a->cntp_cval = now + (u64)(s64)(s32)*val;
	} else {
		return false;
	}
	if (!read) {
		ptimer_update(vcpu);
		sched_timer_program();
	}
	return true;
}

/* MCRR/MRRC CNTP_CVAL: returns false if key is another register */
bool ptimer_access64(struct vcpu *vcpu, u32 key, bool read, u64 *val)
{
	if (key != CP15_KEY64(CNTP_CVAL))
		return false;
	if (read) {
		*val = vcpu->arch.cntp_cval;
	} else {
		vcpu->arch.cntp_cval = *val;
		ptimer_update(vcpu);
		sched_timer_program();
	}
	return true;
}
