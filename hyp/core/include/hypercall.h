/*
 * the calls a guest makes by hvc #0 (or smc #0), SMCCC style (DEN0028):
 * function id in r0, arguments in r1-r3, results in r0-r3.
 *
 * this hypervisor's own calls live in the vendor-specific hypervisor
 * service range, owner 6 (0x86000000-0x8600ffff):
 *
 *   HYP_CALL_NULL     0x86000000  does nothing. returns r0 = 0,
 *                                 r1 = VM id, r2 = vcpu id, r3 = the low
 *                                 32 bits of this vcpu's hvc count.
 *   HYP_CALL_LOG_INFO 0x86000001  the trap log: r0 = 0, r1 = its version,
 *                                 r2 = its size in bytes, r3 = the VM id.
 *   HYP_CALL_LOG_RESET 0x86000002 zero this VM's counters (every vcpu).
 *                                 r0 = 0.
 *   HYP_CALL_RING     0x86000003  r1 = 1 records traps in the rings (one
 *                                 per cpu), 0 stops. r0 = the setting
 *                                 before. each trap's cost in hyp cycles
 *                                 is always measured. a control VM's call:
 *                                 any other VM gets HYP_CTL_UNSUPPORTED
 *                                 (-1), the rings as they were.
 *   HYP_CALL_MARK     0x86000004  put a record with the tag in r1 into the
 *                                 ring (class "mark", the tag in its hsr),
 *                                 to bracket a region of interest.
 *                                 r0 = the record's sequence number in
 *                                 its cpu's ring.
 *   HYP_CTL_*         0x86000005-0x8600000b  the control ABI, for a VM
 *                                 whose manifest says "control = yes"
 *                                 (control.c; docs/control.md)
 *   HYP_CALL_COUNT    0x8600ff00  number of calls in the range (SMCCC).
 *   HYP_CALL_UID      0x8600ff01  r0-r3 = HYP_UID (SMCCC).
 *   HYP_CALL_REVISION 0x8600ff03  r0 = major, r1 = minor.
 *
 * anything else, and any hvc with a non-zero immediate, returns
 * r0 = NOT_SUPPORTED (-1).
 */
#ifndef HYPERCALL_H
#define HYPERCALL_H

#include "types.h"

#define SMCCC_FAST	       (1u << 31)
#define SMCCC_OWNER(fid)       (((fid) >> 24) & 0x3f)
#define SMCCC_OWNER_ARCH       0
#define SMCCC_OWNER_PSCI       4
#define SMCCC_OWNER_STD_HYP    5
#define SMCCC_OWNER_VENDOR_HYP 6
#define SMCCC_VERSION	       0x80000000u
#define SMCCC_ARCH_FEATURES    0x80000001u
#define SMCCC_NOT_SUPPORTED    ((u32)-1)

#define HYP_CALL_NULL	   0x86000000u
#define HYP_CALL_LOG_INFO  0x86000001u
#define HYP_CALL_LOG_RESET 0x86000002u
#define HYP_CALL_RING	   0x86000003u
#define HYP_CALL_MARK	   0x86000004u
#define HYP_CTL_LIST	   0x86000005u /* r1 = VM id: r1 state etc., r2 MiB, r3 exits */
#define HYP_CTL_NAME	   0x86000006u /* r1 = VM id: r0-r3 its name */
#define HYP_CTL_START	   0x86000007u /* r1 = VM id */
#define HYP_CTL_SHUTDOWN   0x86000008u /* r1 = VM id, r2 = flags */
#define HYP_CTL_DESTROY	   0x86000009u /* r1 = VM id, r2 = flags */
#define HYP_CTL_RESET	   0x8600000au /* r1 = VM id, r2 = flags */
#define HYP_CTL_PIN	   0x8600000bu /* r1 = VM id, r2 = vcpu, r3 = cpu */
#define HYP_CTL_SELF	   1u	       /* flag: the caller's own VM is meant */
/* their results in r0, as PSCI's: negative is an error */
#define HYP_CTL_OK	    0
#define HYP_CTL_UNSUPPORTED (-1) /* not a control VM; a VM without hvc0 (shutdown) */
#define HYP_CTL_INVALID	    (-2) /* no such VM, vcpu or flag; a cpu not in its set */
#define HYP_CTL_DENIED	    (-3) /* its own VM, without HYP_CTL_SELF */
#define HYP_CTL_RUNNING	    (-4) /* start: it runs */
#define HYP_CTL_STOPPED	    (-5) /* shutdown, destroy, reset: it does not run */
#define HYP_CTL_BUSY	    (-6) /* another control action, or a reset, under way */
#define HYP_CALL_COUNT	    0x8600ff00u
#define HYP_CALL_UID	    0x8600ff01u
#define HYP_CALL_REVISION   0x8600ff03u
#define HYP_CALLS	    15
/* c0e1c2a5-7b3d-4f0e-9a6d-61727637687970 "armv7hyp": our uid, 4 words */
#define HYP_UID0 0xa5c2e1c0u
#define HYP_UID1 0x0e4f3d7bu
#define HYP_UID2 0x61726d76u
#define HYP_UID3 0x37687970u

/* PSCI 1.0 (DEN0022) */
#define PSCI_VERSION	       0x84000000u
#define PSCI_CPU_SUSPEND       0x84000001u
#define PSCI_CPU_OFF	       0x84000002u
#define PSCI_CPU_ON	       0x84000003u
#define PSCI_AFFINITY_INFO     0x84000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF	       0x84000008u
#define PSCI_SYSTEM_RESET      0x84000009u
#define PSCI_FEATURES	       0x8400000au
#define PSCI_SUCCESS	       0
#define PSCI_NOT_SUPPORTED     (-1)
#define PSCI_INVALID_PARAMS    (-2)
#define PSCI_ALREADY_ON	       (-4)
#define PSCI_ON_PENDING	       (-5)
#define PSCI_INVALID_ADDRESS   (-9)

struct vcpu;

struct vcpu *hypercall(struct vcpu *vcpu, u32 imm); /* hvc and smc alike */
struct vcpu *psci_call(struct vcpu *vcpu, u32 fid);
const char *hypercall_name(u32 fid);
struct vcpu *ctl_hvc(struct vcpu *vcpu, u32 fid); /* control.c */
void ctl_command(const char *line);		  /* the console's prompt */

#endif
