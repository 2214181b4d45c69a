/* the null hypercall's answer, inline for the trap path (hypervisor only) */
#ifndef NULLCALL_H
#define NULLCALL_H

#include "hypercall.h"
#include "traplog.h"
#include "vm.h"

/*
 * the null call's answer, inline: trap_entry takes it on a path of its own
 * (hvc #0 with r0 = HYP_CALL_NULL), without the table's call and returns.
 * r0-r3 are one stm's worth. log and who are vcpu->log and vcpu->log_who,
 * which the trap path holds in registers already.
 */
static inline struct vcpu *hypercall_null(struct vcpu *vcpu, struct traplog_vcpu *log, u32 who)
{
	arch_vcpu_set_rets(vcpu, 0, TRAPLOG_WHO_VM(who), TRAPLOG_WHO_VCPU(who),
			   (u32)log->row[TRAPLOG_ROW_HVC].count);
	traplog_inc(&log->hvc[HVC_RANGE_NULL]);
	return vcpu;
}

#endif
