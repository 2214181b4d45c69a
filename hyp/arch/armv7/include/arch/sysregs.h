/*
 * every coprocessor register the hypervisor touches or emulates, named once
 * (ARM DDI 0406C, B4.1, B8 and C11); the same names work from C
 * (sysreg_read32(HSR)), from .S (mrc CP32(r0, HSR)) and as the keys of
 * trapped accesses (hsr.h: case CP15_KEY(ACTLR)).
 */
#ifndef ARCH_SYSREGS_H
#define ARCH_SYSREGS_H

#define __CP32(r, cp, opc1, crn, crm, opc2) cp, opc1, r, crn, crm, opc2
#define __CP64(r1, r2, cp, opc1, crm)	    cp, opc1, r1, r2, crm
#define CP32(r, name...)		    __CP32(r, name)
#define CP64(r1, r2, name...)		    __CP64(r1, r2, name)

/* 32-bit registers:	cp,  opc1, CRn, CRm, opc2 */
#define MIDR	      p15, 0, c0, c0, 0
#define CTR	      p15, 0, c0, c0, 1
#define MPIDR	      p15, 0, c0, c0, 5
#define ID_PFR1	      p15, 0, c0, c1, 1
#define CCSIDR	      p15, 1, c0, c0, 0
#define CLIDR	      p15, 1, c0, c0, 1
#define CSSELR	      p15, 2, c0, c0, 0
#define VPIDR	      p15, 4, c0, c0, 0
#define VMPIDR	      p15, 4, c0, c0, 5
#define SCTLR	      p15, 0, c1, c0, 0
#define ACTLR	      p15, 0, c1, c0, 1
#define CPACR	      p15, 0, c1, c0, 2
#define SCR	      p15, 0, c1, c1, 0
#define NSACR	      p15, 0, c1, c1, 2
#define HSCTLR	      p15, 4, c1, c0, 0
#define HACTLR	      p15, 4, c1, c0, 1
#define HCR	      p15, 4, c1, c1, 0
#define HDCR	      p15, 4, c1, c1, 1
#define HCPTR	      p15, 4, c1, c1, 2
#define HSTR	      p15, 4, c1, c1, 3
#define TTBCR	      p15, 0, c2, c0, 2
#define HTCR	      p15, 4, c2, c0, 2
#define VTCR	      p15, 4, c2, c1, 2
#define DACR	      p15, 0, c3, c0, 0
#define DFSR	      p15, 0, c5, c0, 0
#define IFSR	      p15, 0, c5, c0, 1
#define ADFSR	      p15, 0, c5, c1, 0
#define AIFSR	      p15, 0, c5, c1, 1
#define HSR	      p15, 4, c5, c2, 0
#define DFAR	      p15, 0, c6, c0, 0
#define IFAR	      p15, 0, c6, c0, 2
#define HDFAR	      p15, 4, c6, c0, 0
#define HIFAR	      p15, 4, c6, c0, 2
#define HPFAR	      p15, 4, c6, c0, 4
#define ICIALLU	      p15, 0, c7, c5, 0
#define BPIALL	      p15, 0, c7, c5, 6
#define DCCMVAC	      p15, 0, c7, c10, 1
#define DCCIMVAC      p15, 0, c7, c14, 1
#define TLBIALL	      p15, 0, c8, c7, 0
#define TLBIALLH      p15, 4, c8, c7, 0
#define TLBIALLNSNH   p15, 4, c8, c7, 4
#define TLBIALLNSNHIS p15, 4, c8, c3, 4
#define PMCR	      p15, 0, c9, c12, 0
#define PMCNTENSET    p15, 0, c9, c12, 1
#define PMCNTENCLR    p15, 0, c9, c12, 2
#define PMOVSR	      p15, 0, c9, c12, 3
#define PMSWINC	      p15, 0, c9, c12, 4
#define PMSELR	      p15, 0, c9, c12, 5
#define PMCEID0	      p15, 0, c9, c12, 6
#define PMCEID1	      p15, 0, c9, c12, 7
#define PMCCNTR	      p15, 0, c9, c13, 0
#define PMXEVTYPER    p15, 0, c9, c13, 1
#define PMXEVCNTR     p15, 0, c9, c13, 2
#define PMUSERENR     p15, 0, c9, c14, 0
#define PMINTENSET    p15, 0, c9, c14, 1
#define PMINTENCLR    p15, 0, c9, c14, 2
#define L2CTLR	      p15, 1, c9, c0, 2 /* cortex-a15, implementation defined */
#define L2ECTLR	      p15, 1, c9, c0, 3 /* cortex-a15, implementation defined */
#define PRRR	      p15, 0, c10, c2, 0
#define NMRR	      p15, 0, c10, c2, 1
#define AMAIR0	      p15, 0, c10, c3, 0
#define AMAIR1	      p15, 0, c10, c3, 1
#define HMAIR0	      p15, 4, c10, c2, 0
#define HMAIR1	      p15, 4, c10, c2, 1
#define VBAR	      p15, 0, c12, c0, 0
#define MVBAR	      p15, 0, c12, c0, 1
#define HVBAR	      p15, 4, c12, c0, 0
#define FCSEIDR	      p15, 0, c13, c0, 0
#define CONTEXTIDR    p15, 0, c13, c0, 1
#define TPIDRURW      p15, 0, c13, c0, 2
#define TPIDRURO      p15, 0, c13, c0, 3
#define TPIDRPRW      p15, 0, c13, c0, 4
#define HTPIDR	      p15, 4, c13, c0, 2 /* scratch for the fault entry */
#define CNTFRQ	      p15, 0, c14, c0, 0
#define CNTKCTL	      p15, 0, c14, c1, 0
#define CNTP_TVAL     p15, 0, c14, c2, 0
#define CNTP_CTL      p15, 0, c14, c2, 1
#define CNTV_CTL      p15, 0, c14, c3, 1
#define CNTHCTL	      p15, 4, c14, c1, 0
#define CNTHP_CTL     p15, 4, c14, c2, 1
#define FPEXC_CP      p10, 7, c8, c0, 0 /* use vmrs/vmsr where possible */
#define DBGDIDR	      p14, 0, c0, c0, 0 /* debug id, emulated (traps.c) */

/* 64-bit registers:	cp,  opc1, CRm */
#define TTBR0_64   p15, 0, c2
#define TTBR1_64   p15, 1, c2
#define HTTBR	   p15, 4, c2
#define VTTBR	   p15, 6, c2
#define PAR_64	   p15, 0, c7
#define CNTPCT	   p15, 0, c14
#define CNTVCT	   p15, 1, c14
#define CNTP_CVAL  p15, 2, c14
#define CNTV_CVAL  p15, 3, c14
#define CNTVOFF	   p15, 4, c14
#define CNTHP_CVAL p15, 6, c14

/* bits beside their registers */
#define SCTLR_M	 (1u << 0)
#define SCTLR_A	 (1u << 1)
#define SCTLR_C	 (1u << 2)
#define SCTLR_I	 (1u << 12)
#define SCTLR_V	 (1u << 13)
#define SCTLR_EE (1u << 25)
#define SCTLR_TE (1u << 30)

#define SCR_NS	(1u << 0)
#define SCR_FW	(1u << 4)
#define SCR_AW	(1u << 5)
#define SCR_HCE (1u << 8)

#define NSACR_CP10   (1u << 10)
#define NSACR_CP11   (1u << 11)
#define NSACR_NS_SMP (1u << 18)
#define ACTLR_SMP    (1u << 6) /* cortex-a7/a15: this cpu takes part in coherency */

#define TTBCR_EAE (1u << 31)

#define PMCR_E	       (1u << 0)
#define PMCR_P	       (1u << 1)
#define PMCR_C	       (1u << 2)
#define PMCR_D	       (1u << 3)
#define PMCR_X	       (1u << 4)
#define PMCR_DP	       (1u << 5)
#define PMCR_N_SHIFT   11
#define PMCR_N_MASK    (0x1fu << PMCR_N_SHIFT)
#define PMCR_N(v)      (((v)&PMCR_N_MASK) >> PMCR_N_SHIFT)
#define PMXEVTYPER_NSH (1u << 27)

#ifndef __ASSEMBLER__
#include "types.h"

/* the asm strings' %-codes are pasted by __stringify: clang-format would split them */
/* clang-format off */
#define __stringify_1(x...)	#x
#define __stringify(x...)	__stringify_1(x)

#define sysreg_read32(name) ({ u32 _v; \
	asm volatile("mrc " __stringify(CP32(%0, name)) : "=r"(_v)); _v; })
#define sysreg_write32(name, v) \
	asm volatile("mcr " __stringify(CP32(%0, name)) :: "r"((u32)(v)) : "memory")
#define sysreg_read64(name) ({ u64 _v; \
	asm volatile("mrrc " __stringify(CP64(%Q0, %R0, name)) : "=r"(_v)); _v; })
#define sysreg_write64(name, v) \
	asm volatile("mcrr " __stringify(CP64(%Q0, %R0, name)) :: "r"((u64)(v)) : "memory")

static inline void isb(void) { asm volatile("isb" ::: "memory"); }
static inline void dsb(void) { asm volatile("dsb sy" ::: "memory"); }
/* clang-format on */
#endif

#endif
