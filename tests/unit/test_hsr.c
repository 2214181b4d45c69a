/* host unit test for hyp/arch/armv7/hsr.c: class names, condition checks, ITAdvance, decode strings. */
#include "arch/hsr.h"
#include "traplog.h"
#include "check.h"

#define EC(ec)		((u32)(ec) << HSR_EC_SHIFT)
#define COND(c)		(HSR_ISS_CV | (u32)(c) << HSR_ISS_COND_SHIFT)
#define FLAGS(nzcv)	((u32)(nzcv) << 28)

/* ITSTATE IT[7:0] into its cpsr home: IT[1:0] at 26:25, IT[7:2] at 15:10 */
static u32 it_bits(u32 it)
{
	return (it & 3) << 25 | (it >> 2) << 10;
}

static u32 it_of(u32 cpsr)
{
	return ((cpsr >> 25) & 3) | ((cpsr >> 10) & 0x3f) << 2;
}

static void test_names(void)
{
	CHECK_STR(arch_hsr_ec_name(0x00), "UNKNOWN");
	CHECK_STR(arch_hsr_ec_name(0x01), "WFI/WFE");
	CHECK_STR(arch_hsr_ec_name(0x03), "CP15 MCR/MRC");
	CHECK_STR(arch_hsr_ec_name(0x04), "CP15 MCRR/MRRC");
	CHECK_STR(arch_hsr_ec_name(0x05), "CP14 MCR/MRC");
	CHECK_STR(arch_hsr_ec_name(0x07), "HCPTR (VFP/NEON)");
	CHECK_STR(arch_hsr_ec_name(0x0c), "CP14 MRRC");
	CHECK_STR(arch_hsr_ec_name(0x12), "HVC");
	CHECK_STR(arch_hsr_ec_name(0x13), "SMC");
	CHECK_STR(arch_hsr_ec_name(0x20), "PABT (guest)");
	CHECK_STR(arch_hsr_ec_name(0x24), "DABT (guest)");
	CHECK_STR(arch_hsr_ec_name(0x25), "DABT (hyp)");
	/* unused classes and out-of-range values */
	CHECK_STR(arch_hsr_ec_name(0x02), "reserved");
	CHECK_STR(arch_hsr_ec_name(0x0b), "reserved");
	CHECK_STR(arch_hsr_ec_name(0x3f), "reserved");
	CHECK_STR(arch_hsr_ec_name(64), "reserved");
	CHECK_STR(arch_hsr_ec_name(0xffffffffu), "reserved");

	CHECK_EQ(hsr_ec(0x93c00046u), 0x24);
	CHECK_EQ(hsr_iss(0x93c00046u), 0x1c00046);
	CHECK_EQ(hsr_ec(0xfe000000u), 0x3f);
}

/*
 * expected result of each condition 0x0 (EQ) .. 0xe (AL) for a flag set,
 * worked out from the ARM ARM table A8-1: '1' passes, '0' fails.
 */
static const struct {
	u32 nzcv;
	const char *pass;
} cond_table[] = {
	/*     "0123456789abcde" is cond */
	{ 0x0, "010101010110101" },
	{ 0x4, "100101010110011" },	/* Z */
	{ 0x2, "011001011010101" },	/* C */
	{ 0x8, "010110010101011" },	/* N */
	{ 0x1, "010101100101011" },	/* V */
	{ 0x9, "010110100110101" },	/* N V */
	{ 0x6, "101001010110011" },	/* Z C */
	{ 0xa, "011010011001011" },	/* N C */
	{ 0xf, "101010100110011" },	/* N Z C V */
};

static void test_cond(void)
{
	static const u32 cond_ecs[] = { 0x01, 0x03, 0x04, 0x05, 0x0c };
	u32 t, c, e;

	for (t = 0; t < sizeof(cond_table) / sizeof(cond_table[0]); t++) {
		for (c = 0; c <= 0xe; c++) {
			bool want = cond_table[t].pass[c] == '1';
			u32 cpsr = FLAGS(cond_table[t].nzcv) | PSR_MODE_SVC | PSR_I;

			for (e = 0; e < sizeof(cond_ecs) / sizeof(cond_ecs[0]); e++) {
				u32 hsr = EC(cond_ecs[e]) | HSR_IL | COND(c);

				if (hsr_cond_passed(hsr, cpsr) != want)
					fprintf(stderr, "ec %#x cond %#x nzcv %#x\n",
						cond_ecs[e], c, cond_table[t].nzcv);
				CHECK_EQ(hsr_cond_passed(hsr, cpsr), want);
			}
			/* CV set in thumb state: the ISS condition still rules */
			CHECK_EQ(hsr_cond_passed(EC(0x03) | COND(c),
						 cpsr | PSR_T | it_bits(0xe8)), want);
			/* CV=0 in thumb inside an IT block: IT[7:4] is the condition */
			CHECK_EQ(hsr_cond_passed(EC(0x03) | HSR_IL,
						 cpsr | PSR_T | it_bits(c << 4 | 0x8)), want);
			/* unconditional classes pass even with a failing COND in the ISS */
			CHECK_EQ(hsr_cond_passed(EC(0x12) | HSR_IL | COND(c), cpsr), 1);
			CHECK_EQ(hsr_cond_passed(EC(0x24) | HSR_IL | COND(c), cpsr), 1);
			CHECK_EQ(hsr_cond_passed(EC(0x00) | COND(c), cpsr), 1);
			CHECK_EQ(hsr_cond_passed(EC(0x02) | COND(c), cpsr), 1);
		}
	}

	/* EQ with Z clear fails; without CV in ARM state it passes */
	CHECK_EQ(hsr_cond_passed(EC(0x03) | HSR_IL | COND(0x0), FLAGS(0)), 0);
	CHECK_EQ(hsr_cond_passed(EC(0x03) | HSR_IL | (0x0 << 20), FLAGS(0)), 1);
	CHECK_EQ(hsr_cond_passed(EC(0x01) | HSR_IL, FLAGS(0) | PSR_MODE_USR), 1);
	/* CV=0 in thumb with no IT block: unconditional */
	CHECK_EQ(hsr_cond_passed(EC(0x03), FLAGS(0) | PSR_T), 1);
	/* ITTE GT (IT=0xc6): T, T on GT, then E on LE; flags say GT */
	CHECK_EQ(hsr_cond_passed(EC(0x03), FLAGS(0) | PSR_T | it_bits(0xc6)), 1);
	CHECK_EQ(hsr_cond_passed(EC(0x03), FLAGS(0) | PSR_T | it_bits(0xcc)), 1);
	CHECK_EQ(hsr_cond_passed(EC(0x03), FLAGS(0) | PSR_T | it_bits(0xd8)), 0);
	/* ITE NE (IT=0x14) with Z set: the NE fails, the else (EQ, IT=0x08) passes */
	CHECK_EQ(hsr_cond_passed(EC(0x05), FLAGS(4) | PSR_T | it_bits(0x14)), 0);
	CHECK_EQ(hsr_cond_passed(EC(0x05), FLAGS(4) | PSR_T | it_bits(0x08)), 1);
	/* a condition in IT[1:0] only (bits 26:25): still IT[7:4] = EQ */
	CHECK_EQ(hsr_cond_passed(EC(0x03), FLAGS(0) | PSR_T | it_bits(0x01)), 0);
	CHECK_EQ(hsr_cond_passed(EC(0x03), FLAGS(4) | PSR_T | it_bits(0x01)), 1);
}

/* advance an IT block of n instructions starting at it, checking each step */
static void check_it_block(u32 base, const u32 *steps, u32 n)
{
	u32 cpsr = base | it_bits(steps[0]), i;

	for (i = 0; i < n; i++) {
		CHECK_EQ(it_of(cpsr), steps[i]);
		cpsr = psr_it_advance(cpsr);
		CHECK_EQ(cpsr & ~PSR_IT_MASK, base);
	}
	CHECK_EQ(it_of(cpsr), 0);
	CHECK_EQ(cpsr, base);
	/* after the block, advancing changes nothing */
	CHECK_EQ(psr_it_advance(cpsr), base);
}

static void test_it_advance(void)
{
	/* NZCV Q, GE[3:0], E, A I F, T, svc: every non-IT bit that can be set */
	const u32 base = 0xf80f0000u | PSR_E | PSR_A | PSR_I | PSR_F | PSR_T | PSR_MODE_SVC;
	static const u32 itttt_eq[] = { 0x01, 0x02, 0x04, 0x08 };
	static const u32 itte_gt[] = { 0xc6, 0xcc, 0xd8 };
	static const u32 ite_ne[] = { 0x14, 0x08 };
	static const u32 it_ne[] = { 0x18 };
	static const u32 itt_al[] = { 0xe4, 0xe8 };
	static const u32 itet_lt[] = { 0xb6, 0xac, 0xb8 };

	check_it_block(base, itttt_eq, 4);
	check_it_block(base, itte_gt, 3);
	check_it_block(base, ite_ne, 2);
	check_it_block(base, it_ne, 1);
	check_it_block(base, itt_al, 2);
	check_it_block(base, itet_lt, 3);
	check_it_block(PSR_T | PSR_MODE_USR, itte_gt, 3);

	/* ARM state: unchanged, even with stray IT bits */
	CHECK_EQ(psr_it_advance(0xf80f01d3u), 0xf80f01d3u);
	CHECK_EQ(psr_it_advance(0x600001d3u | it_bits(0xc6)), 0x600001d3u | it_bits(0xc6));
	/* thumb outside an IT block: unchanged */
	CHECK_EQ(psr_it_advance(base), base);
}

static void check_decode(u32 hsr, const char *want)
{
	char buf[160];
	u32 n;

	memset(buf, 'x', sizeof(buf));
	n = hsr_decode(hsr, buf, sizeof(buf));
	CHECK_STR(buf, want);
	CHECK_EQ(n, strlen(want));
}

static void test_decode(void)
{
	char buf[16];
	u32 n;

	/*
	 * data abort from the guest: EC 0x24, IL, ISV, SAS 2 (word), SSE 0,
	 * SRT r3, WnR, FSC 0x07 (translation fault, level 3)
	 */
	check_decode(EC(0x24) | HSR_IL | HSR_DABT_ISV | 2u << 22 | 3u << 16 |
		     HSR_DABT_WNR | 0x07, "HSR 93830047: EC 0x24 DABT (guest), IL 1, "
		     "ISS 0x1830047 (write with syndrome, FSC 0x07)");
	/* ISV, SAS 3, SRT r0, write, FSC 0x06 */
	check_decode(0x93c00046u, "HSR 93c00046: EC 0x24 DABT (guest), IL 1, "
		     "ISS 0x1c00046 (write with syndrome, FSC 0x06)");
	/* no syndrome, read, EA, S1PTW, translation fault level 1 */
	check_decode(EC(0x24) | HSR_IL | HSR_DABT_EA | HSR_DABT_S1PTW | 0x05,
		     "HSR 92000285: EC 0x24 DABT (guest), IL 1, ISS 0x0000285 "
		     "(read, FSC 0x05, stage-1 walk, external)");
	/* data abort in hyp, 16-bit instruction, permission fault level 3 */
	check_decode(EC(0x25) | 0x0f, "HSR 9400000f: EC 0x25 DABT (hyp), IL 0, "
		     "ISS 0x000000f (read, FSC 0x0f)");

	/* mrc p15, 0, r2, c0, c0, 5 (MPIDR), cond AL */
	check_decode(EC(0x03) | HSR_IL | COND(0xe) | 5u << 17 | 2u << 5 | HSR_CP_READ,
		     "HSR 0fea0041: EC 0x03 CP15 MCR/MRC, IL 1, ISS 0x1ea0041 "
		     "(mrc p15, 0, r2, c0, c0, 5)");
	/* mcreq p15, 1, r11, c9, c13, 3 */
	check_decode(EC(0x03) | HSR_IL | COND(0x0) | 3u << 17 | 1u << 14 | 9u << 10 |
		     11u << 5 | 13u << 1, "HSR 0f06657a: EC 0x03 CP15 MCR/MRC, IL 1, "
		     "ISS 0x106657a (mcr p15, 1, r11, c9, c13, 3)");
	/* mrc p14, 7, r15, c15, c15, 7: every field at its maximum */
	check_decode(EC(0x05) | HSR_IL | COND(0xe) | 7u << 17 | 7u << 14 | 15u << 10 |
		     15u << 5 | 15u << 1 | HSR_CP_READ,
		     "HSR 17effdff: EC 0x05 CP14 MCR/MRC, IL 1, ISS 0x1effdff "
		     "(mrc p14, 7, r15, c15, c15, 7)");

	/* hvc #0x1234 and hvc #0xffff */
	check_decode(EC(0x12) | HSR_IL | 0x1234, "HSR 4a001234: EC 0x12 HVC, IL 1, "
		     "ISS 0x0001234 (imm 0x1234)");
	check_decode(EC(0x12) | HSR_IL | 0xffff, "HSR 4a00ffff: EC 0x12 HVC, IL 1, "
		     "ISS 0x000ffff (imm 0xffff)");

	/* classes without a detail part; fmt's '#' always prints 0x */
	check_decode(EC(0x13) | HSR_IL, "HSR 4e000000: EC 0x13 SMC, IL 1, ISS 0x0000000");
	check_decode(EC(0x3f) | 0x1ffffff, "HSR fdffffff: EC 0x3f reserved, IL 0, "
		     "ISS 0x1ffffff");

	/* truncation: the buffer is filled and terminated, len-1 is returned */
	memset(buf, 'x', sizeof(buf));
	n = hsr_decode(EC(0x12) | HSR_IL | 0x1234, buf, sizeof(buf));
	CHECK_STR(buf, "HSR 4a001234: E");
	CHECK_EQ(n, sizeof(buf) - 1);
	/* the fixed part fits, the detail does not */
	{
		char big[47];

		memset(big, 'x', sizeof(big));
		n = hsr_decode(EC(0x12) | HSR_IL | 0x1234, big, sizeof(big));
		CHECK_STR(big, "HSR 4a001234: EC 0x12 HVC, IL 1, ISS 0x0001234");
		CHECK_EQ(n, sizeof(big) - 1);
		n = hsr_decode(EC(0x12) | HSR_IL | 0x1234, big, sizeof(big) - 1);
		CHECK_STR(big, "HSR 4a001234: EC 0x12 HVC, IL 1, ISS 0x000123");
		CHECK_EQ(n, sizeof(big) - 2);
	}
}

int main(void)
{
	test_names();
	test_cond();
	test_it_advance();
	test_decode();
	return check_done("test_hsr");
}
