/* the null hypercall's answer, inline for the trap path (hypervisor only) */
#ifndef NULLCALL_H
#define NULLCALL_H

#include "hypercall.h"
#include "traplog_inc.h"
#include "vm.h"

/*
 * the null call's answer, inline: trap_entry takes it on a path of its own
 * (hvc #0 with r0 = HYP_CALL_NULL), without the table's call and returns.
 * r0-r3 are one stm's worth. log is vcpu->log, which the trap path holds
 * in a register already; the VM and vcpu ids are the bytes of
 * vcpu->log_who (TRAPLOG_WHO), loaded again: two ldrb cost what the two
 * extracts did, and the trap path need not keep who in a register.
 */
static inline struct vcpu *hypercall_null(struct vcpu *vcpu, struct traplog_vcpu *log)
{
	const volatile u8 *who = (const volatile u8 *)&vcpu->log_who; /* little-endian */

	arch_vcpu_set_rets(vcpu, 0, who[0], who[1], (u32)log->row[TRAPLOG_ROW_HVC].count);
	traplog_inc(&log->hvc[HVC_RANGE_NULL]);
	return vcpu;
}

#endif
