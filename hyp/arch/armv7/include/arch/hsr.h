/*
 * the hyp syndrome register: exception classes and ISS fields
 * (ARM DDI 0406C B3.13.6, "Use of the HSR").
 */
#ifndef ARCH_HSR_H
#define ARCH_HSR_H

#define HSR_EC_SHIFT 26
#define HSR_EC_MASK  0x3fu
#define HSR_IL	     (1u << 25) /* 1: 32-bit instruction, 0: 16-bit */
#define HSR_ISS_MASK 0x1ffffffu
#define HSR_NR_EC    64

#define HSR_EC_UNKNOWN	0x00
#define HSR_EC_WFX	0x01 /* HCR.TWI, HCR.TWE */
#define HSR_EC_CP15_32	0x03 /* MCR/MRC p15: HCR.T*, HSTR */
#define HSR_EC_CP15_64	0x04 /* MCRR/MRRC p15: HSTR, HCR.TVM */
#define HSR_EC_CP14_32	0x05 /* MCR/MRC p14: HDCR.TDA/TDOSA/TDRA, HCPTR.TTA */
#define HSR_EC_CP14_LS	0x06 /* LDC/STC p14: HDCR.TDA */
#define HSR_EC_HCPTR	0x07 /* cp0-13 access (VFP/NEON on cp10/11) */
#define HSR_EC_CP10_ID	0x08 /* VMRS of FPSID/MVFR*: HCR.TID0 */
#define HSR_EC_JAZELLE	0x09 /* BXJ etc: HSTR.TJDBX */
#define HSR_EC_BXJ	0x0a
#define HSR_EC_CP14_64	0x0c /* MRRC p14: HDCR.TDA */
#define HSR_EC_SVC_HYP	0x11 /* SVC routed to hyp by HCR.TGE */
#define HSR_EC_HVC	0x12
#define HSR_EC_SMC	0x13 /* HCR.TSC */
#define HSR_EC_PABT_LOW 0x20 /* prefetch abort from the guest (stage 2) */
#define HSR_EC_PABT_HYP 0x21
#define HSR_EC_DABT_LOW 0x24 /* data abort from the guest (stage 2) */
#define HSR_EC_DABT_HYP 0x25

/* condition field of the wfx and coprocessor classes (B3.13.6) */
#define HSR_ISS_CV	   (1u << 24)
#define HSR_ISS_COND_SHIFT 20
#define HSR_ISS_COND_MASK  0xfu

/* wfx: ISS bit 0 */
#define HSR_WFX_WFE (1u << 0)

/* mcr/mrc: Opc2 19:17, Opc1 16:14, CRn 13:10, Rt 8:5, CRm 4:1, Direction 0 */
#define HSR_CP32_OPC2(iss) (((iss) >> 17) & 7)
#define HSR_CP32_OPC1(iss) (((iss) >> 14) & 7)
#define HSR_CP32_CRN(iss)  (((iss) >> 10) & 0xf)
#define HSR_CP32_RT(iss)   (((iss) >> 5) & 0xf)
#define HSR_CP32_CRM(iss)  (((iss) >> 1) & 0xf)
#define HSR_CP_READ	   (1u << 0) /* mrc/mrrc: register to arm core */
/* mcrr/mrrc: Opc1 19:16, Rt2 13:10, Rt 8:5, CRm 4:1, Direction 0 */
#define HSR_CP64_OPC1(iss) (((iss) >> 16) & 0xf)
#define HSR_CP64_RT2(iss)  (((iss) >> 10) & 0xf)
#define HSR_CP64_RT(iss)   (((iss) >> 5) & 0xf)
#define HSR_CP64_CRM(iss)  (((iss) >> 1) & 0xf)

/*
 * one key per coprocessor register: opc1, crn, crm, opc2 packed (a 64-bit
 * one's: opc1, crm). a trapped access's key comes from its ISS, a
 * register's from its name in sysregs.h, so no encoding is written twice:
 *
 *	switch (HSR_CP32_KEY(iss)) { case CP15_KEY(ACTLR): ... }
 *	if (HSR_CP64_KEY(iss) == CP15_KEY64(CNTP_CVAL)) ...
 *
 * naming a register of the other coprocessor does not compile
 * (__CP_p14_IS_p15 is undeclared).
 */
#define CP32_KEY(opc1, crn, crm, opc2) ((opc1) << 12 | (crn) << 8 | (crm) << 4 | (opc2))
#define HSR_CP32_KEY(iss) \
	CP32_KEY(HSR_CP32_OPC1(iss), HSR_CP32_CRN(iss), HSR_CP32_CRM(iss), HSR_CP32_OPC2(iss))
#define CP64_KEY(opc1, crm) ((opc1) << 4 | (crm))
#define HSR_CP64_KEY(iss)   CP64_KEY(HSR_CP64_OPC1(iss), HSR_CP64_CRM(iss))

#define CP15_KEY(name)	 __CP32_KEY(p15, name)
#define CP14_KEY(name)	 __CP32_KEY(p14, name)
#define CP15_KEY64(name) __CP64_KEY(p15, name)

/* the name, expanded, is the rest of the arguments: cp, opc1, CRn, CRm, opc2 */
#define __CP32_KEY(want, cp, opc1, crn, crm, opc2) \
	(__CP_##cp##_IS_##want + CP32_KEY(opc1, __CR_##crn, __CR_##crm, opc2))
#define __CP64_KEY(want, cp, opc1, crm) (__CP_##cp##_IS_##want + CP64_KEY(opc1, __CR_##crm))
#define __CP_p14_IS_p14			0
#define __CP_p15_IS_p15			0
#define __CR_c0				0
#define __CR_c1				1
#define __CR_c2				2
#define __CR_c3				3
#define __CR_c4				4
#define __CR_c5				5
#define __CR_c6				6
#define __CR_c7				7
#define __CR_c8				8
#define __CR_c9				9
#define __CR_c10			10
#define __CR_c11			11
#define __CR_c12			12
#define __CR_c13			13
#define __CR_c14			14
#define __CR_c15			15

/* data abort ISS */
#define HSR_DABT_ISV	  (1u << 24)
#define HSR_DABT_SAS(iss) (((iss) >> 22) & 3) /* 0 byte, 1 half, 2 word */
#define HSR_DABT_SSE	  (1u << 21)
#define HSR_DABT_SRT(iss) (((iss) >> 16) & 0xf)
#define HSR_DABT_EA	  (1u << 9)
#define HSR_DABT_S1PTW	  (1u << 7)
#define HSR_DABT_WNR	  (1u << 6)
#define HSR_FSC(iss)	  ((iss)&0x3f)
/* a translation fault at any level, 0b0001LL (B3.13.6, the long-descriptor FSC) */
#define HSR_FSC_TRANSLATION(iss) ((HSR_FSC(iss) & 0x3c) == 0x04)

/* the hvc ISS is its imm16 */
#define HSR_HVC_IMM(iss) ((iss)&0xffff)

/* cpsr fields used when advancing or injecting (B1.3.3) */
#define PSR_MODE_MASK 0x1fu
#define PSR_MODE_USR  0x10u
#define PSR_MODE_FIQ  0x11u
#define PSR_MODE_IRQ  0x12u
#define PSR_MODE_SVC  0x13u
#define PSR_MODE_MON  0x16u
#define PSR_MODE_ABT  0x17u
#define PSR_MODE_HYP  0x1au
#define PSR_MODE_UND  0x1bu
#define PSR_MODE_SYS  0x1fu
#define PSR_T	      (1u << 5)
#define PSR_F	      (1u << 6)
#define PSR_I	      (1u << 7)
#define PSR_A	      (1u << 8)
#define PSR_E	      (1u << 9)
#define PSR_J	      (1u << 24)
#define PSR_NZCV      0xf0000000u
#define PSR_IT_MASK   0x0600fc00u /* IT[1:0] in 26:25, IT[7:2] in 15:10 */

#ifndef __ASSEMBLER__
#include "types.h"

static inline u32 hsr_ec(u32 hsr)
{
	return (hsr >> HSR_EC_SHIFT) & HSR_EC_MASK;
}
static inline u32 hsr_iss(u32 hsr)
{
	return hsr & HSR_ISS_MASK;
}

bool hsr_cond_passed(u32 hsr, u32 cpsr);
u32 psr_it_advance(u32 cpsr);
u32 hsr_decode(u32 hsr, char *buf, u32 len);
#endif

#endif
