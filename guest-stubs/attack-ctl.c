/*
 * attack-ctl: a control VM of two vcpus (cpus 0 and 1) racing the control
 * calls against a target of two vcpus on both cpus (the same image, role=1:
 * ctl-target). vcpu 0 resets, destroys and starts the target `rounds=N`
 * times, in a seeded random order, each call's answer checked; vcpu 1 pins
 * the target's vcpus to random cpus meanwhile, and makes calls with hostile
 * arguments. first, it resets its own VM (HYP_CTL_SELF) while vcpu 1 runs.
 *
 * the target checks each life from inside: its boot registers, .data, the
 * cp15 and banked registers and the timer its last life set, and a page of
 * ram its last life filled, must all be as the image starts; vcpu 1 (CPU_ON)
 * checks its own. then each vcpu reports by hvc (a null call per life, an
 * hvc #1 before it for a life that found a trace of an earlier one), which
 * the control VM counts in the trap log ("traplog = all"); then they nap
 * (WFI, a 50 us timer) and read the distributor (an emulated MMIO trap) in
 * turn, so that their cpus load them again and again.
 */
#include "lib.h"
#include "stub.h"
#include "traplog.h"

static const volatile struct traplog *const tl = (const void *)TRAPLOG;

#define MARK	  0xa77ac000u
#define PAGE	  ((volatile u32 *)0x40180000u) /* in the target's 2 MiB, above its dtb */
#define PAGE_LEN  1024
#define SCTLR_RST 0x00c50078u /* cortex-a15, as the hypervisor starts a vcpu */

extern u32 boot_r0, boot_r1;
static u32 data_word = 0x5eed1234u; /* .data: a new life sees this again */
static u8 stack1[STUB_STACK_SIZE] __attribute__((aligned(8)));

static void doze(enum exc_kind kind, struct exc_frame *f)
{
	u32 iar = *(volatile u32 *)(GICC + GICC_IAR);

	(void)kind;
	(void)f;
	stub_vtimer_set(0, 0);
	*(volatile u32 *)(GICC + GICC_EOIR) = iar;
}

/* us microseconds in WFI: the cpu runs another vcpu meanwhile */
static void nap(u32 us)
{
	asm volatile("cpsid i");
	stub_vtimer_set(stub_cntvct() + stub_cntfrq() / 1000000 * us, 1);
	asm volatile("wfi");
	asm volatile("cpsie i"); /* doze() */
}

static u32 sp_fiq(void)
{
	u32 v;

	asm volatile("mrs %0, SP_fiq" : "=r"(v));
	return v;
}

/* the state a life leaves in its vcpu: a new life must find none of it */
static u32 vcpu_dirty(void)
{
	return (mrc(0, 13, 0, 1) != 0) + (mrc(0, 13, 0, 2) != 0) + (mrc(0, 13, 0, 3) != 0) +
	       (mrc(0, 13, 0, 4) != 0) + (mrc(0, 1, 0, 0) != SCTLR_RST) +
	       ((mrc(0, 14, 3, 1) & 1) != 0) + (sp_fiq() != 0);
}

static void vcpu_scribble(u32 who)
{
	mcr(0, 13, 0, 1, MARK | who); /* CONTEXTIDR */
	mcr(0, 13, 0, 2, MARK | who); /* TPIDRURW, TPIDRURO, TPIDRPRW */
	mcr(0, 13, 0, 3, MARK | who);
	mcr(0, 13, 0, 4, MARK | who);
	asm volatile("msr SP_fiq, %0" ::"r"(MARK | who));
}

/* ---- the target (role=1) ---- */
static volatile u32 v1_up, v1_bad; /* .bss: its vcpu 1's word to vcpu 0 */

/* nap and trap, until the control VM resets or destroys the VM */
static void keep_entering(void)
{
	for (;;) {
		nap(50);
		(void)*(volatile u32 *)(GICD + GICD_CTLR); /* an emulated read */
	}
}

static u32 is_target;

static void target1(void)
{
	u32 bad = vcpu_dirty();

	vcpu_scribble(1);
	stub_gic_on(IRQ_VTIMER);
	v1_bad = bad;
	hvc_call(HYP_CALL_NULL, 0, 0, 0); /* vcpu 1's life, counted */
	v1_up = 1;
	keep_entering();
}

/* vcpu 1 of either role (the library's own runs stub_secondary_fn) */
void secondary_main(void)
{
	if (is_target)
		target1();
	stub_secondary_fn();
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
}

static void target(void)
{
	u32 i, bad = vcpu_dirty(), waited;

	bad += boot_r0 != 0 || boot_r1 != ~0u || data_word != 0x5eed1234u;
	data_word = 0;
	for (i = 0; i < PAGE_LEN; i++) {
		bad += PAGE[i] != 0;
		PAGE[i] = MARK + i;
	}
	vcpu_scribble(0);
	exc_hook = doze;
	stub_gic_on(IRQ_VTIMER);
	bad += hvc_call(PSCI_CPU_ON, 1, (u32)stub_secondary_entry,
			(u32)&stack1[STUB_STACK_SIZE])
		       .r0 != 0;
	for (waited = 0; !v1_up && waited < 20000; waited++)
		nap(50); /* a second at most */
	bad += !v1_up || v1_bad;
	asm volatile("dsb" ::: "memory");
	if (bad) {
		register u32 r0 asm("r0") = HYP_CALL_NULL;

		asm volatile("hvc #1" : "+r"(r0) : : "r1", "r2", "r3", "memory");
	}
	hvc_call(HYP_CALL_NULL, 0, 0, 0); /* vcpu 0's life, counted */
	keep_entering();
}

/* ---- the control VM ---- */
static u32 self_id, tgt, nbr = ~0u, nbr_cpus;
static volatile u32 done, v1_done;
static u32 v1_pins, v1_hostile, v1_wrong, v1_busy;

/* the first VM whose name starts with name (len bytes of it), or is name */
static u32 vm_named(const char *name, u32 len)
{
	u32 id;

	for (id = 0; id < 8; id++) {
		struct hvc_ret r = hvc_call(HYP_CTL_NAME, id, 0, 0);
		char n[17] = {0};

		memcpy(n, &r, 16);
		if ((s32)r.r0 >= 0 && (len ? !strncmp(n, name, len) : !strcmp(n, name)))
			return id;
	}
	return ~0u;
}

/* a call until it is not refused as busy; whether it answered want */
static u32 call(u32 fid, u32 a1, u32 a2, u32 a3, s32 want, u32 *busy)
{
	s32 r;

	while ((r = (s32)hvc_call(fid, a1, a2, a3).r0) == HYP_CTL_BUSY)
		++*busy;
	return r == want;
}

static u32 lives(u32 vcpu, u32 range)
{
	return (u32)tl->vm[tgt].vcpu[vcpu].hvc[range];
}

/* until the target's life n has reported, two seconds at most */
static u32 wait_life(u32 n)
{
	u32 i;

	for (i = 0; lives(0, HVC_RANGE_NULL) < n && i < 40000; i++)
		nap(50);
	return lives(0, HVC_RANGE_NULL) >= n;
}

/* vcpu 1: pins and hostile calls until vcpu 0 is done */
static void pinner(void)
{
	u32 seed = 0x1f2e3d4c, r;

	stub_gic_on(IRQ_VTIMER);
	while (!done) {
		r = stub_rand(&seed);
		v1_wrong += !call(HYP_CTL_PIN, tgt, r & 1, r >> 1 & 1, HYP_CTL_OK, &v1_busy);
		v1_pins++;
		/* no such vcpu, cpu, either, VM; an unknown VM id; an unknown flag */
		v1_wrong += !call(HYP_CTL_PIN, tgt, 2, 0, HYP_CTL_INVALID, &v1_busy);
		v1_wrong += !call(HYP_CTL_PIN, tgt, 0, 2, HYP_CTL_INVALID, &v1_busy);
		v1_wrong += !call(HYP_CTL_PIN, tgt, ~0u, ~0u, HYP_CTL_INVALID, &v1_busy);
		v1_wrong += !call(HYP_CTL_PIN, ~0u, 0, 0, HYP_CTL_INVALID, &v1_busy);
		v1_wrong += !call(HYP_CTL_LIST, 0x80000000u, 0, 0, HYP_CTL_INVALID, &v1_busy);
		v1_wrong += !call(HYP_CTL_RESET, tgt, 0xfffffffeu, 0, HYP_CTL_INVALID, &v1_busy);
		v1_hostile += 6;
		if (nbr != ~0u) { /* a cpu outside the neighbour's set */
			v1_wrong += !call(HYP_CTL_PIN, nbr, 0, nbr_cpus & 1, HYP_CTL_INVALID,
					  &v1_busy);
			v1_hostile++;
		}
		nap(r >> 2 & 63);
	}
	v1_done = 1;
}

/* first life: its own VM reset while vcpu 1 runs; does not return */
static volatile u32 v1_spins;

static void spinner(void)
{
	for (;;)
		v1_spins++;
}

int main(void)
{
	u32 n = stub_bootarg("rounds=", 10000), seed = stub_bootarg("seed=", 12345);
	u32 i, r, calls = 0, wrong = 0, busy = 0, late = 0, psci;

	if (stub_bootarg("role=", 0) == 1) {
		is_target = 1;
		target();
		return 0;
	}
	self_id = vm_named("attack-ctl", 10); /* or attack-ctl-s, attack-ctl-100 */
	tgt = vm_named("ctl-target", 0);
	nbr = vm_named("neighbour", 9); /* or neighbour1 */
	if (nbr != ~0u)
		nbr_cpus = hvc_call(HYP_CTL_LIST, nbr, 0, 0).r1 >> 16 & 0xff;
	if (nbr_cpus != 1 && nbr_cpus != 2)
		nbr = ~0u; /* (one on both cpus has no cpu it may not use) */
	if (self_id == ~0u || tgt == ~0u) {
		printf("FAIL: no attack-ctl or ctl-target among the VMs\n");
		return 1;
	}
	psci = (u32)tl->vm[self_id].vcpu[0].hvc[HVC_RANGE_PSCI];
	if (psci == 0) {
		/* its own VM, while vcpu 1 spins on the other cpu */
		if (stub_cpu_on(1, spinner, &stack1[STUB_STACK_SIZE]))
			printf("FAIL: CPU_ON\n");
		while (v1_spins < 1000)
			;
		printf("attack-ctl: reset itself without the flag: %d, destroy: %d, start: %d\n",
		       (s32)hvc_call(HYP_CTL_RESET, self_id, 0, 0).r0,
		       (s32)hvc_call(HYP_CTL_DESTROY, self_id, 0, 0).r0,
		       (s32)hvc_call(HYP_CTL_START, self_id, 0, 0).r0);
		hvc_call(HYP_CTL_RESET, self_id, HYP_CTL_SELF, 0);
		printf("FAIL: still in its first life after resetting itself\n");
		return 1;
	}
	printf("attack-ctl: second life: vcpu 1 %s, %u spins seen\n",
	       hvc_call(PSCI_AFFINITY_INFO, 1, 0, 0).r0 == 1 ? "off" : "NOT OFF", v1_spins);
	exc_hook = doze;
	stub_gic_on(IRQ_VTIMER);
	if (!wait_life(1))
		printf("FAIL: the target's first life did not report\n");
	if (stub_cpu_on(1, pinner, &stack1[STUB_STACK_SIZE]))
		printf("FAIL: CPU_ON\n");
	for (i = 0; i < n; i++) {
		r = stub_rand(&seed);
		switch (r % 4) {
		case 0:
			wrong += !call(HYP_CTL_RESET, tgt, 0, 0, HYP_CTL_OK, &busy);
			calls += 1;
			break;
		case 1:
			wrong += !call(HYP_CTL_DESTROY, tgt, 0, 0, HYP_CTL_OK, &busy);
			wrong += !call(HYP_CTL_DESTROY, tgt, 0, 0, HYP_CTL_STOPPED, &busy);
			wrong += !call(HYP_CTL_RESET, tgt, 0, 0, HYP_CTL_STOPPED, &busy);
			wrong += !call(HYP_CTL_START, tgt, 0, 0, HYP_CTL_OK, &busy);
			calls += 4;
			break;
		case 2:
			wrong += !call(HYP_CTL_START, tgt, 0, 0, HYP_CTL_RUNNING, &busy);
			wrong += !call(HYP_CTL_RESET, tgt, 0, 0, HYP_CTL_OK, &busy);
			calls += 2;
			break;
		default:
			wrong += !call(HYP_CTL_DESTROY, tgt, 0, 0, HYP_CTL_OK, &busy);
			wrong += !call(HYP_CTL_START, tgt, 0, 0, HYP_CTL_OK, &busy);
			wrong += !call(HYP_CTL_START, tgt, 0, 0, HYP_CTL_RUNNING, &busy);
			calls += 3;
			break;
		}
		/* the new life's report (both vcpus up), then up to 255 us of it */
		late += !wait_life(i + 2);
		nap(r >> 8 & 255);
	}
	late += !wait_life(n + 1) || lives(0, HVC_RANGE_NULL) != n + 1;
	done = 1;
	while (!v1_done)
		nap(100);
	printf("attack-ctl: %u rounds, %u calls, %u answered wrong, %u lives late; the target's "
	       "lives %u, vcpu 1's %u, %u found a trace of an earlier life\n",
	       n, calls, wrong, late, lives(0, HVC_RANGE_NULL), lives(1, HVC_RANGE_NULL),
	       lives(0, HVC_RANGE_IMM));
	printf("attack-ctl: vcpu 1: %u pins, %u hostile calls, %u answered wrong; %u busy "
	       "answers retried\n",
	       v1_pins, v1_hostile, v1_wrong, busy + v1_busy);
	return call(HYP_CTL_DESTROY, tgt, 0, 0, HYP_CTL_OK, &busy) ? 0 : 1;
}
