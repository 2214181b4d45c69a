/*
 * fuzzinsn: random instruction words, run at PL1 and at PL0, in a sandbox
 * of the guest's own making. "mode=cp" draws MRC/MCR/MRRC/MCRR encodings
 * for cp14 and cp15; "mode=insn" draws any 32-bit ARM word and any Thumb
 * halfword (with its second halfword when it is a 32-bit one). seed and
 * count: "seed=N count=N", so a failure replays; "trace=N" prints each word
 * from the N-th on.
 *
 * each operation writes the word into a slot, followed by markers (the
 * word 0xe7ffdefe: UDF in ARM, UDF #0xfe then a branch to the next UDF in
 * Thumb), cleans and invalidates the caches for it (DCCMVAU, ICIMVAU,
 * BPIALL, DSB, ISB), loads random registers and flags, and enters it by
 * an exception return (ldm {..., pc}^) in SVC or User mode, ARM or Thumb.
 * whatever comes back lands in this stub's own vector table, which gives
 * the domains back and returns to the loop: the marker's UDF (the word
 * ran), an UNDEF, an abort, an SVC, or the timer's interrupt.
 *
 * the sandbox (short-descriptor MMU, B3.5): the stub's RAM and the device
 * pages are PL1-only and domain 1, which is "no access" while a PL1 slot
 * runs (QEMU flushes its TLB on every DACR write, so PL0 slots leave it
 * alone): nothing the word does can reach the stub. the slot's MiB (domain
 * 0, any access) and the rest of the 4 GiB (mapped flat, so stray accesses
 * reach stage 2 and the hypervisor) stay open; the vectors' MiB is PL1
 * read-only.
 *
 * hangs: a word can branch to itself (b ., sub pc, pc, #8, a Thumb b.n .)
 * or wait (WFI). the slot runs with interrupts unmasked and the virtual
 * timer armed 5 ms ahead: its interrupt brings control back. no encoding is
 * filtered for hanging. filtered at PL1, because they would take the sandbox
 * apart rather than test the hypervisor: MCR/MCRR to SCTLR, TTBR0/1/TTBCR,
 * DACR, VBAR, and the invalidate-without-clean cache operations (c7, c6).
 * at every level: the words QEMU would end the board on (ends_qemu).
 *
 * for every operation it reads its own trap counters (traplog = own): an
 * exception the hypervisor injected must be the one the guest then takes;
 * none may be lost or doubled.
 */
#include "stub.h"
#include "traplog.h"

#define SEC_VEC		0x40e00000u	/* the sandbox's vectors: PL1 read-only */
#define SEC_SLOT	0x40f00000u	/* the slot's MiB: open */
#define SLOT		(SEC_SLOT + 0x80000u)
#define FRAME		(SEC_SLOT + 0x40000u)
#define MARK		0xe7ffdefeu	/* UDF (ARM); UDF #0xfe, b.n +2 (Thumb) */
#define MARK_T		0xdefeu
#define NMARK		5		/* an IT block covers at most four */
#define DACR_OPEN	0x5u		/* domains 0 and 1: client */
#define DACR_SANDBOX	0x1u		/* domain 0 client, domain 1 no access */

#define PSR_T		(1u << 5)
#define PSR_F		(1u << 6)
#define PSR_A		(1u << 8)
#define MODE_USR	0x10u
#define MODE_SVC	0x13u

/* what fz_exec loads: r0-r12 and pc by ldm ^, cpsr from the spsr; the banked ones */
struct frame {
	u32 r[13], pc, cpsr, sp_usr, lr_usr, lr_svc, dacr;
};

/* the vector table copied to SEC_VEC; each entry ends at fz_back */
asm(".pushsection .text\n"
    ".arm\n"
    ".global fz_vectors, fz_vectors_end, fz_exec\n"
    ".balign 32\n"
    "fz_vectors:\n"
    "	b 0f\n	b 1f\n	b 2f\n	b 3f\n	b 4f\n	b 5f\n	b 6f\n	b 7f\n"
    "0:	mov r0, #0\n	b 8f\n"
    "1:	mov r0, #1\n	b 8f\n"
    "2:	mov r0, #2\n	b 8f\n"
    "3:	mov r0, #3\n	b 8f\n"
    "4:	mov r0, #4\n	b 8f\n"
    "5:	mov r0, #5\n	b 8f\n"
    "6:	mov r0, #6\n	b 8f\n"
    "7:	mov r0, #7\n"
    "8:	mov r1, lr\n"
    "	mrs r2, spsr\n"
    "	mrs r3, cpsr\n"
    "	mrc p15, 0, r4, c3, c0, 0\n"
    "	cmp r4, #5\n"				/* DACR_OPEN: already, after PL0 */
    "	movne r4, #5\n"
    "	mcrne p15, 0, r4, c3, c0, 0\n"
    "	isb\n"
    "	ldr pc, 9f\n"
    "9:	.word fz_back\n"
    /* the last steps into the slot run from here: the stub's RAM closes */
    "fz_enter:\n"
    "	ldr r4, [r0, #72]\n"			/* DACR_SANDBOX, or open for PL0 */
    "	cmp r4, #5\n"
    "	mcrne p15, 0, r4, c3, c0, 0\n"
    "	isb\n"
    "	mov sp, r0\n"
    "	ldm sp, {r0-r12, pc}^\n"
    "fz_vectors_end:\n"
    /* r0 = the frame (in the slot's MiB) */
    "fz_exec:\n"
    "	push {r4-r11, lr}\n"
    "	ldr r4, =fz_sp\n"
    "	str sp, [r4]\n"
    "	ldr r4, =0x40e00000\n"			/* SEC_VEC */
    "	mcr p15, 0, r4, c12, c0, 0\n"		/* VBAR */
    "	add r5, r0, #60\n"
    "	ldm r5, {sp, lr}^\n"			/* user sp, lr */
    "	nop\n"
    "	ldr lr, [r0, #68]\n"
    "	ldr r4, [r0, #56]\n"
    "	msr spsr_cxsf, r4\n"
    "	ldr r4, =0x40e00000 + fz_enter - fz_vectors\n"
    "	bx r4\n"
    /* from the vectors: r0 kind, r1 lr, r2 spsr, r3 cpsr of the exception */
    "fz_back:\n"
    "	cps #0x13\n"
    "	ldr r4, =fz_sp\n"
    "	ldr sp, [r4]\n"
    "	ldr r4, =_start\n"
    "	mcr p15, 0, r4, c12, c0, 0\n"		/* VBAR: the stub's own again */
    "	isb\n"
    "	bl fz_landed\n"
    "	pop {r4-r11, pc}\n"
    ".ltorg\n"
    ".popsection\n");

extern const u32 fz_vectors[], fz_vectors_end[];
void fz_exec(struct frame *f);
void fz_landed(u32 kind, u32 lr, u32 spsr, u32 cpsr);
u32 fz_sp;
static u32 trace;		/* "trace=N": each word from the N-th on, before it runs */

enum { K_RESET, K_UNDEF, K_SVC, K_PABT, K_DABT, K_HYP, K_IRQ, K_FIQ, NR_K };
static const char *const knames[NR_K] = {
	"reset", "undef", "svc", "pabt", "dabt", "hyp", "irq", "fiq",
};
static const u32 kmode[NR_K] = { 0, 0x1b, 0x13, 0x17, 0x17, 0, 0x12, 0x11 };
static const u32 klr[NR_K] = { 0, 4, 4, 4, 8, 0, 4, 4 };	/* ARM; Thumb undef/svc: 2 */

static u32 l1[4096] __attribute__((aligned(16384)));
static u32 state, marks_at, marks_end;
static u32 landed_kind, landed_addr, wild, ran;
static u32 seen[NR_K], by_hyp[NR_K], lost, doubled, trapped, filtered;
static const volatile struct traplog_vcpu *const me =
	&((const volatile struct traplog_vm *)TRAPLOG)->vcpu[0]; /* all "own" maps */

static u32 rnd(void)
{
	return stub_rand(&state);
}

void fz_landed(u32 kind, u32 lr, u32 spsr, u32 cpsr)
{
	u32 back = spsr & PSR_T && (kind == K_UNDEF || kind == K_SVC) ? 2 : klr[kind];

	if (kind == K_IRQ || kind == K_FIQ) {
		u32 iar = *(volatile u32 *)(GICC + GICC_IAR);

		if ((iar & 0x3ff) != 1023)
			*(volatile u32 *)(GICC + GICC_EOIR) = iar;
	}
	landed_kind = kind;
	landed_addr = lr - back;
	if ((cpsr & 0x1f) != kmode[kind])	/* not an exception: a jump into the vectors */
		wild++;
}

/* the sandbox: 1 MiB sections, flat (B3.5.1) */
static void mmu_on(void)
{
	u32 i;

	for (i = 0; i < 4096; i++) {
		u32 base = i << 20, d;

		if (base >= 0x40000000u && base < SEC_VEC)		/* RAM: domain 1, PL1 */
			d = 1u << 5 | 1u << 10 | 1u << 12 | 3u << 2;
		else if (base == SEC_VEC)				/* PL1 read-only */
			d = 1u << 15 | 1u << 10 | 1u << 12 | 3u << 2;
		else if (base == SEC_SLOT)				/* any */
			d = 3u << 10 | 1u << 12 | 3u << 2;
		else if (base >= 0x08000000u && base < 0x10000000u)	/* devices, PL1, XN */
			d = 1u << 5 | 1u << 10 | 1u << 4;
		else							/* strongly ordered */
			d = 3u << 10;
		l1[i] = base | d | 2;
	}
	mcr(0, 2, 0, 2, 0u);				/* TTBCR: short descriptors, TTBR0 only */
	mcr(0, 2, 0, 0, (u32)l1);			/* TTBR0 */
	mcr(0, 3, 0, 0, DACR_OPEN);
	mcr(0, 8, 7, 0, 0u);				/* TLBIALL */
	asm volatile("dsb\n\tisb");
	mcr(0, 1, 0, 0, mrc(0, 1, 0, 0) | 1u << 12 | 1u << 11 | 1u << 2 | 1u);	/* I Z C M */
	asm volatile("isb");
}

/*
 * a write the sandbox cannot survive (only at PL1): see the top. opc1 4 is
 * PL2's and stays in, but QEMU decodes DACR with any opc1, CRm and opc2.
 */
static int breaks_sandbox(u32 w)
{
	u32 crn = w >> 16 & 0xf, opc1 = w >> 21 & 7, cp = w >> 8 & 0xf;

	if ((w & 0x0f100010u) == 0x0e000010u && cp == 15 && crn == 3)	/* DACR */
		return 1;
	if ((w & 0x0f100010u) == 0x0e000010u && cp == 15 && opc1 != 4) {	/* MCR p15 */
		if (crn == 2 || crn == 12)
			return 1;
		if (crn == 1 && (w & 0xef) == 0)				/* SCTLR */
			return 1;
		return crn == 7 && (w & 0xf) == 6;
	}
	return (w & 0x0ff00000u) == 0x0c400000u && cp == 15 && (w & 0xf) == 2 &&
	       (w >> 4 & 0xf) < 2;						/* MCRR TTBRn */
}

/*
 * cp14/cp15: MRC, MCR, MRRC, MCRR (A8.8.108, A8.8.98, A8.8.109, A8.8.99),
 * cond AL. every field random; half of them then steered to where the
 * hypervisor traps: the debug registers (cp14 opc1 0), c15 (HSTR.T15), the
 * timers in c14 (CNTP_*, CNTPCT), ACTLR and L2CTLR in c1 and c9.
 */
static u32 cp_word(u32 *kind)
{
	static const u8 crn_hot[4] = { 15, 14, 1, 9 }, crm_hot[4] = { 15, 14, 14, 1 };
	u32 r = rnd(), b = rnd(), cp = r & 1 ? 15 : 14, k = r >> 1 & 3, w;
	u32 opc1 = r >> 3 & 7, crn = r >> 6 & 15, crm = r >> 17 & 15;

	if (b & 1) {
		if (cp == 14)
			opc1 = 0;
		else if (k < 2)
			crn = crn_hot[b >> 1 & 3], opc1 &= crn == 15 ? 7 : 1;
		else
			crm = crm_hot[b >> 1 & 3], opc1 &= 3;
	}
	if (k < 2)
		w = 0xee000010u | opc1 << 21 | (k == 0) << 20 | crn << 16 |
		    (r >> 10 & 15) << 12 | cp << 8 | (r >> 14 & 7) << 5 | crm;
	else
		w = 0xec400000u | (k == 2) << 20 | (r >> 21 & 15) << 16 | (r >> 25 & 15) << 12 |
		    cp << 8 | opc1 << 4 | crm;
	*kind = k | (cp == 15) << 2;
	return w;
}

/*
 * words QEMU answers itself, ending the board, hypervisor and all, so they
 * are left out at every level:
 * - ARM LDRD/STRD (A8.8.72, A8.8.210) with Rt = r14, whose second register
 *   is the pc (UNPREDICTABLE): QEMU 7.2's translator aborts (assertion
 *   "s->pc_save != -1" in gen_pc_plus_diff);
 * - MRRC (A8.8.109) into r15, UNPREDICTABLE: QEMU writes the pc, and under
 *   -icount aborts the same way when the register is one of its I/O ones
 *   (the counters);
 * - the semihosting calls, with -semihosting-config enable=on (make run and
 *   the tests have it): SVC 0x123456 (ARM), SVC 0xab (Thumb), HLT 0xf000
 *   (ARM) and HLT 0x3c (Thumb) from PL1 are QEMU's own calls, not the
 *   guest's exceptions; an unknown call number aborts QEMU.
 */
static int ends_qemu(u32 w, int thumb)
{
	u32 h = w >> 16;

	if ((w & 0x0ff00000u) == 0x0c500000u && ((w >> 12 & 0xf) == 15 || (w >> 16 & 0xf) == 15))
		return 1;
	if (thumb)
		return h == 0xdfab || h == 0xbabc;
	return ((w & 0x0e1000d0u) == 0x000000d0u && (w >> 12 & 0xf) == 14) ||
	       (w & 0x0fffffffu) == 0x0f123456u || (w & 0x0fffffffu) == 0x010f0070u;
}

/* the slot's bytes to the point of unification: by 16 bytes, the smallest line (B2.2.1) */
static void sync_slot(u32 a, u32 n)
{
	for (; n; n--, a += 16) {
		mcr(0, 7, 11, 1, a);			/* DCCMVAU */
		asm volatile("dsb");
		mcr(0, 7, 5, 1, a);			/* ICIMVAU */
	}
	mcr(0, 7, 5, 6, 0u);				/* BPIALL */
	asm volatile("dsb\n\tisb");
}

/* one operation; returns the exception it ended in */
static void run(u32 w, int thumb, int pl0)
{
	struct frame *f = (struct frame *)FRAME;
	u16 *h = (u16 *)SLOT;
	u32 i, n, t0, i0, t1, i1, hz = stub_cntfrq();

	if (!thumb) {
		((u32 *)SLOT)[0] = w;
		for (i = 1; i <= NMARK; i++)
			((u32 *)SLOT)[i] = MARK;
		marks_at = SLOT + 4;
		marks_end = SLOT + 4 + 4 * NMARK;
	} else {
		n = (w >> 27 & 3) && (w >> 29) == 7 ? 2 : 1;	/* 0b11101/11110/11111: 32-bit */
		h[0] = w >> 16;
		h[1] = (u16)w;
		for (i = n; i < n + NMARK; i++)
			h[i] = MARK_T;
		marks_at = SLOT + 2 * n;
		marks_end = marks_at + 2 * NMARK;
	}
	sync_slot(SLOT, 2);
	for (i = 0; i < 13; i++)
		f->r[i] = rnd();
	f->r[0] &= 0x7fffffffu;		/* an hvc/smc is a yielding call: NOT_SUPPORTED */
	f->pc = SLOT;
	f->cpsr = (rnd() & 0xf0000000u) | PSR_A | PSR_F | (thumb ? PSR_T : 0) |
		  (pl0 ? MODE_USR : MODE_SVC);
	f->sp_usr = rnd();
	f->lr_usr = rnd();
	f->lr_svc = rnd();
	f->dacr = pl0 ? DACR_OPEN : DACR_SANDBOX;	/* PL0: the page permissions suffice */
	t0 = (u32)(me->total - me->row[TRAPLOG_ROW_IRQ].count);
	i0 = (u32)me->injected;
	stub_vtimer_set(stub_cntvct() + hz / 200, 1);
	fz_exec(f);
	stub_vtimer_set(0, 0);
	t1 = (u32)(me->total - me->row[TRAPLOG_ROW_IRQ].count);
	i1 = (u32)me->injected;
	trapped += t1 != t0;
	if (landed_kind == K_UNDEF && landed_addr >= marks_at && landed_addr < marks_end) {
		ran++;
		lost += i1 != i0;		/* injected, yet the word ran to its end */
		return;
	}
	seen[landed_kind]++;
	if (i1 - i0 == 1)
		by_hyp[landed_kind]++;
	doubled += i1 - i0 > 1;
}

int main(void)
{
	static const char *const cpk[8] = {
		"MRC p14", "MCR p14", "MRRC p14", "MCRR p14",
		"MRC p15", "MCR p15", "MRRC p15", "MCRR p15",
	};
	u32 seed = stub_bootarg("seed=", 1), count = stub_bootarg("count=", 100000);
	u32 cp = stub_bootarg("mode=cp", 1) == 0;
	u32 i, k, per[8] = { 0 }, hyp_total = 0;

	trace = stub_bootarg("trace=", 0);
	state = seed ? seed : 1;
	if (((const volatile struct traplog_vm *)TRAPLOG)->magic != TRAPLOG_MAGIC) {
		printf("FAIL: no trap log at %08x (traplog = own)\n", TRAPLOG);
		return 1;
	}
	for (i = 0; i < (1u << 20) / 4; i++)
		((u32 *)SEC_SLOT)[i] = MARK;
	for (i = 0; fz_vectors + i < fz_vectors_end; i++)
		((u32 *)SEC_VEC)[i] = fz_vectors[i];
	mcr(0, 1, 0, 2, 0xf00000u);			/* CPACR: cp10, cp11 for all */
	asm volatile("isb\n\tmcr p10, 7, %0, c8, c0, 0" :: "r"(1u << 30));	/* VMSR FPEXC: EN */
	mmu_on();
	stub_gic_on(IRQ_VTIMER);
	for (i = 0; i < count; i++) {
		u32 pl0 = rnd() & 1, w, kind, thumb = 0;

		if (cp) {
			w = cp_word(&kind);
		} else {
			thumb = rnd() & 1;
			w = rnd();
			kind = thumb << 1 | pl0;
		}
		per[kind]++;
		if (ends_qemu(w, thumb) ||
		    (!pl0 && (cp || !thumb ? breaks_sandbox(w) :
			      breaks_sandbox(w) && (w >> 27 & 3) && (w >> 29) == 7))) {
			filtered++;
			continue;
		}
		/*
		 * the slot's page, written anew now and then: what the words wrote
		 * around the slot goes, and so do the translations QEMU made for
		 * jumps into it, which otherwise pile up and slow every slot write
		 */
		if (i % 256 == 0)
			for (k = 0; k < 1024; k++)
				((u32 *)(SLOT & ~0xfffu))[k] = MARK;
		if (trace && i + 1 >= trace)
			printf("op %u: %08x %s pl%u\n", i, w, thumb ? "thumb" : "arm", pl0 ? 0 : 1);
		run(w, thumb, pl0);
	}
	for (k = 0; k < NR_K; k++)
		hyp_total += by_hyp[k];
	printf("fuzzinsn: seed %u, %u %s words:", seed, count, cp ? "cp14/cp15" : "instruction");
	for (k = 0; k < (cp ? 8u : 4u); k++)
		printf(" %s %u%s", cp ? cpk[k] : (const char *[]){ "arm-pl1", "arm-pl0",
		       "thumb-pl1", "thumb-pl0" }[k], per[k], k + 1 < (cp ? 8u : 4u) ? "," : "");
	printf("; %u left out\n", filtered);
	printf("fuzzinsn: ran %u;", ran);
	for (k = 0; k < NR_K; k++)
		if (seen[k])
			printf(" %s %u (%u injected)", knames[k], seen[k], by_hyp[k]);
	printf("; %u into the vectors\n", wild);
	printf("fuzzinsn: %u trapped, %u injected, %u injected but not taken, "
	       "%u doubled\n", trapped, hyp_total, lost, doubled);
	return 0;
}
