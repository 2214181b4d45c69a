/* HSR decoding: class names, the condition check and the IT-state advance. */
#include "arch/hsr.h"
#include "fmt.h"
#include "traplog.h"

static const char *const ec_names[HSR_NR_EC] = {
	[HSR_EC_UNKNOWN] = "UNKNOWN",
	[HSR_EC_WFX] = "WFI/WFE",
	[HSR_EC_CP15_32] = "CP15 MCR/MRC",
	[HSR_EC_CP15_64] = "CP15 MCRR/MRRC",
	[HSR_EC_CP14_32] = "CP14 MCR/MRC",
	[HSR_EC_CP14_LS] = "CP14 LDC/STC",
	[HSR_EC_HCPTR] = "HCPTR (VFP/NEON)",
	[HSR_EC_CP10_ID] = "CP10 VMRS ID",
	[HSR_EC_JAZELLE] = "JAZELLE",
	[HSR_EC_BXJ] = "BXJ",
	[HSR_EC_CP14_64] = "CP14 MRRC",
	[HSR_EC_SVC_HYP] = "SVC (TGE)",
	[HSR_EC_HVC] = "HVC",
	[HSR_EC_SMC] = "SMC",
	[HSR_EC_PABT_LOW] = "PABT (guest)",
	[HSR_EC_PABT_HYP] = "PABT (hyp)",
	[HSR_EC_DABT_LOW] = "DABT (guest)",
	[HSR_EC_DABT_HYP] = "DABT (hyp)",
};

const char *arch_hsr_ec_name(u32 ec)
{
	if (ec < HSR_NR_EC && ec_names[ec])
		return ec_names[ec];
	return "reserved";
}

/*
 * B3.13.6: for a trapped conditional instruction the ISS gives the
 * condition when CV is set; with CV clear (thumb, inside an IT block) the
 * condition is the IT block's. Returns whether it passes the guest's flags.
 */
bool hsr_cond_passed(u32 hsr, u32 cpsr)
{
	u32 ec = hsr_ec(hsr), cond, n, z, c, v;
	bool pass;

	if (ec != HSR_EC_WFX && (ec < HSR_EC_CP15_32 || ec > HSR_EC_CP14_64))
		return true; /* class is unconditional */
	if (hsr & HSR_ISS_CV) {
		cond = (hsr >> HSR_ISS_COND_SHIFT) & HSR_ISS_COND_MASK;
	} else {
		u32 it = ((cpsr >> 8) & 0xfc) | ((cpsr >> 25) & 3);

		if (!(cpsr & PSR_T) || !it)
			return true;
		cond = it >> 4;
	}
	n = cpsr >> 31 & 1;
	z = cpsr >> 30 & 1;
	c = cpsr >> 29 & 1;
	v = cpsr >> 28 & 1;
	switch (cond >> 1) {
	case 0: pass = z; break;	    /* eq */
	case 1: pass = c; break;	    /* cs */
	case 2: pass = n; break;	    /* mi */
	case 3: pass = v; break;	    /* vs */
	case 4: pass = c && !z; break;	    /* hi */
	case 5: pass = n == v; break;	    /* ge */
	case 6: pass = n == v && !z; break; /* gt */
	default: return true;		    /* al */
	}
	return (cond & 1) ? !pass : pass;
}

/*
 * A2.5.2 ITAdvance(): after an instruction in an IT block the mask part
 * of ITSTATE shifts left; when it empties the block is over.
 */
u32 psr_it_advance(u32 cpsr)
{
	u32 it = ((cpsr >> 8) & 0xfc) | ((cpsr >> 25) & 3);

	if (!(cpsr & PSR_T) || !it)
		return cpsr;
	if ((it & 7) == 0)
		it = 0;
	else
		it = (it & 0xe0) | ((it << 1) & 0x1f);
	cpsr &= ~PSR_IT_MASK;
	return cpsr | (it & 0xfc) << 8 | (it & 3) << 25;
}

/* one line naming the class and its fields, for logs and panics. */
u32 hsr_decode(u32 hsr, char *buf, u32 len)
{
	u32 ec = hsr_ec(hsr), iss = hsr_iss(hsr);
	int n = fmt_snprintf(buf, len, "HSR %08x: EC %#04x %s, IL %u, ISS %#09x", hsr, ec,
			     arch_hsr_ec_name(ec), !!(hsr & HSR_IL), iss);

	if ((ec == HSR_EC_DABT_LOW || ec == HSR_EC_DABT_HYP) && (u32)n < len)
		n += fmt_snprintf(buf + n, len - n, " (%s%s, FSC %#04x%s%s)",
				  iss & HSR_DABT_WNR ? "write" : "read",
				  iss & HSR_DABT_ISV ? " with syndrome" : "", HSR_FSC(iss),
				  iss & HSR_DABT_S1PTW ? ", stage-1 walk" : "",
				  iss & HSR_DABT_EA ? ", external" : "");
	else if ((ec == HSR_EC_CP15_32 || ec == HSR_EC_CP14_32) && (u32)n < len)
		n += fmt_snprintf(buf + n, len - n, " (%s p%u, %u, r%u, c%u, c%u, %u)",
				  iss & HSR_CP_READ ? "mrc" : "mcr", ec == HSR_EC_CP15_32 ? 15 : 14,
				  HSR_CP32_OPC1(iss), HSR_CP32_RT(iss), HSR_CP32_CRN(iss),
				  HSR_CP32_CRM(iss), HSR_CP32_OPC2(iss));
	else if (ec == HSR_EC_HVC && (u32)n < len)
		n += fmt_snprintf(buf + n, len - n, " (imm %#x)", HSR_HVC_IMM(iss));
	return (u32)n < len ? (u32)n : len - 1;
}
