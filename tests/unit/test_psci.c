/*
 * host test of hyp/core/psci.c on the fake architecture, each call made as
 * the guest makes it (hvc #0 into hypercall()): every function, and every
 * argument it refuses. VM p has four vcpus on cpus 0 and 1 (vcpus 0 and 2
 * on cpu 0, 1 and 3 on cpu 1), VM q one on cpu 0.
 */
#include "check.h"
#include "fake.h"
#include "hypercall.h"
#include "images.h"
#include "sched.h"

#define NOT_SUPPORTED	((u32)PSCI_NOT_SUPPORTED)
#define INVALID		((u32)PSCI_INVALID_PARAMS)
#define ALREADY_ON	((u32)PSCI_ALREADY_ON)
#define ON_PENDING	((u32)PSCI_ON_PENDING)
#define ENTRY		0x40008000u	/* CPU_ON's entry point */
#define CONTEXT		0xc0ffee00u	/* and its context id */

static const u8 kernel[16] = "kernel q", dtb[16] = "dtb";

const struct guest_image guest_images[] = {
	{ .name = "p", .kernel = kernel, .kernel_end = kernel + sizeof(kernel),
	  .dtb = dtb, .dtb_end = dtb + sizeof(dtb), .dtb_ipa = GUEST_RAM_IPA + 0x100000,
	  .ram_mib = 2, .nr_vcpus = 4, .cpu_mask = 3, .flags = GUEST_DEFAULT },
	{ .name = "q", .kernel = kernel, .kernel_end = kernel + sizeof(kernel),
	  .dtb = dtb, .dtb_end = dtb + sizeof(dtb), .dtb_ipa = GUEST_RAM_IPA + 0x100000,
	  .ram_mib = 2, .nr_vcpus = 1, .cpu_mask = 1, .flags = GUEST_DEFAULT },
	{ .name = NULL },
};

static struct vm *p, *q;
static struct vcpu *p0, *p1, *p2, *p3, *q0;

/* vcpu calls fid with arguments a1-a3 by hvc #0: whom its cpu runs next, and how */
static enum fake_exit call_to(struct vcpu *vcpu, u32 fid, u32 a1, u32 a2, u32 a3,
			      struct vcpu **next)
{
	vcpu->arch.r[0] = fid;
	vcpu->arch.r[1] = a1;
	vcpu->arch.r[2] = a2;
	vcpu->arch.r[3] = a3;
	*next = NULL;
	return FAKE_RUN(*next = hypercall(vcpu, 0));
}

/* a call that returns to its caller: r0 */
static u32 call(struct vcpu *vcpu, u32 fid, u32 a1, u32 a2, u32 a3)
{
	struct vcpu *next;

	CHECK_EQ(call_to(vcpu, fid, a1, a2, a3, &next), FAKE_RETURNED);
	CHECK(next == vcpu);
	return vcpu->arch.r[0];
}

static void test_info(void)
{
	static const u32 yes[] = {
		PSCI_VERSION, PSCI_CPU_OFF, PSCI_CPU_ON, PSCI_AFFINITY_INFO,
		PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, PSCI_FEATURES,
		SMCCC_VERSION,
	};
	static const u32 no[] = {
		PSCI_CPU_SUSPEND, 0x84000005, 0x84000007, 0x8400000b, 0x84000012,
		0xc4000001, 0xc4000003, 0xc4000004, SMCCC_ARCH_FEATURES, HYP_CALL_NULL, 0,
	};
	u32 i;

	CHECK_EQ(call(p0, PSCI_VERSION, 0, 0, 0), 0x10000);
	for (i = 0; i < ARRAY_SIZE(yes); i++)
		CHECK_EQ(call(p0, PSCI_FEATURES, yes[i], 0, 0), PSCI_SUCCESS);
	for (i = 0; i < ARRAY_SIZE(no); i++)
		CHECK_EQ(call(p0, PSCI_FEATURES, no[i], 0, 0), NOT_SUPPORTED);
	CHECK_EQ(call(p0, PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
}

/* functions PSCI 1.0 has and this one does not, SMC64 ids, ids past the last */
static void test_unknown(void)
{
	static const u32 fids[] = {
		PSCI_CPU_SUSPEND, 0x84000005, 0x84000007, 0x8400000b, 0x8400001f,
		0xc4000001, 0xc4000003, 0xc4000004,
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(fids); i++) {
		CHECK_EQ(call(p0, fids[i], 1, ENTRY, CONTEXT), NOT_SUPPORTED);
		CHECK_EQ(p0->state, VCPU_RUNNABLE);
		CHECK_EQ(p1->state, VCPU_OFF);
		CHECK_EQ(p1->arch.inits, 1);
	}
	/* the PSCI owner, but a yielding call: not PSCI's (SMCCC 2.5) */
	CHECK_EQ(call(p0, 0x04000003, 1, ENTRY, CONTEXT), NOT_SUPPORTED);
	CHECK_EQ(p1->state, VCPU_OFF);
}

static void test_affinity_info(void)
{
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 0, 0, 0), 0);		/* itself: on */
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 1, 0, 0), 1);		/* off */
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 3, 0, 0), 1);
	/* MPIDR's top byte (M, U, MT) is no affinity */
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 0x80000001, 0, 0), 1);
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 0xc1000000, 0, 0), 0);
	/* no such vcpu: aff0 past the last, or an aff1 or aff2 of 1 */
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 4, 0, 0), INVALID);
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 0x100, 0, 0), INVALID);
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 0x10001, 0, 0), INVALID);
	/* lowest affinity levels 1-3: this VM's clusters are not reported */
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 1, 1, 0), INVALID);
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 0, 2, 0), INVALID);
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 0, 3, 0), INVALID);
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 0, 0xffffffff, 0), INVALID);
	/* ON_PENDING: a CPU_ON between its claim and its start */
	p3->state = VCPU_ON_PENDING;
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 3, 0, 0), 2);
	/* waiting in WFI, or stopped: on, as far as the guest can tell */
	p3->state = VCPU_WFI;
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 3, 0, 0), 0);
	p3->state = VCPU_OFF;
	/* other VMs' vcpus are not in this one's affinity space */
	CHECK_EQ(call(q0, PSCI_AFFINITY_INFO, 1, 0, 0), INVALID);
}

static void test_cpu_on(void)
{
	/* refused: no such vcpu, the caller itself, one being started */
	CHECK_EQ(call(p0, PSCI_CPU_ON, 4, ENTRY, CONTEXT), INVALID);
	CHECK_EQ(call(p0, PSCI_CPU_ON, 0x101, ENTRY, CONTEXT), INVALID);
	CHECK_EQ(call(p0, PSCI_CPU_ON, 0, ENTRY, CONTEXT), ALREADY_ON);
	p2->state = VCPU_ON_PENDING;
	CHECK_EQ(call(p0, PSCI_CPU_ON, 2, ENTRY, CONTEXT), ON_PENDING);
	CHECK_EQ(p2->state, VCPU_ON_PENDING);
	p2->state = VCPU_OFF;
	CHECK_EQ(p2->arch.inits, 1);		/* vm_load's, no other */
	CHECK_EQ(fake_cpus[0].kicks + fake_cpus[1].kicks, 0);

	/* vcpu 2, homed on this cpu: its context, runnable, the slice timer armed */
	CHECK_EQ(call(p0, PSCI_CPU_ON, 2, ENTRY, CONTEXT), PSCI_SUCCESS);
	CHECK_EQ(p2->state, VCPU_RUNNABLE);
	CHECK_EQ(p2->arch.inits, 2);
	CHECK_EQ(p2->arch.r[15], ENTRY);
	CHECK_EQ(p2->arch.r[0], CONTEXT);
	CHECK_EQ(p2->arch.r[1], 0);
	CHECK_EQ(p2->arch.r[2], 0);
	CHECK(!p2->arch.loaded);
	CHECK_EQ(fake_cpus[0].hyp_timer, percpu[0].slice_end);
	CHECK_EQ(fake_cpus[0].kicks + fake_cpus[1].kicks, 0);
	CHECK_EQ(call(p0, PSCI_CPU_ON, 2, ENTRY + 4, 0), ALREADY_ON);
	CHECK_EQ(p2->arch.inits, 2);
	CHECK_EQ(p2->arch.r[15], ENTRY);
	CHECK_EQ(call(p0, PSCI_AFFINITY_INFO, 2, 0, 0), 0);

	/* vcpu 1, homed on cpu 1: that cpu is kicked, and nobody else */
	CHECK_EQ(call(p0, PSCI_CPU_ON, 0x80000001, ENTRY + 8, CONTEXT + 1), PSCI_SUCCESS);
	CHECK_EQ(p1->state, VCPU_RUNNABLE);
	CHECK_EQ(p1->arch.r[15], ENTRY + 8);
	CHECK_EQ(p1->arch.r[0], CONTEXT + 1);
	CHECK_EQ(fake_cpus[1].kicks, 1);
	CHECK_EQ(fake_cpus[1].irqs, 1ull << SGI_KICK);
	CHECK_EQ(fake_cpus[0].kicks, 0);
	CHECK_EQ(percpu[1].waking, 0);
	CHECK_EQ(call(p2, PSCI_CPU_ON, 1, ENTRY, CONTEXT), ALREADY_ON);
	CHECK_EQ(fake_cpus[1].kicks, 1);
}

static void test_cpu_off(void)
{
	struct vcpu *next;

	/* p0 off: its cpu goes to the next runnable vcpu homed there, p2 */
	CHECK_EQ(call_to(p0, PSCI_CPU_OFF, 0, 0, 0, &next), FAKE_RETURNED);
	CHECK(next == p2);
	CHECK_EQ(p0->state, VCPU_OFF);
	CHECK(!p0->arch.loaded);
	CHECK_EQ(p0->arch.saves, 1);
	CHECK(p2->arch.loaded);
	CHECK(percpu[0].current == p2);
	CHECK_EQ(call(p2, PSCI_AFFINITY_INFO, 0, 0, 0), 1);

	/* cpu 1 takes its kick and runs p1; p1 off leaves it nothing: it sleeps */
	fake_cpu_id = 1;
	CHECK_EQ(FAKE_RUN(sched_start()), FAKE_ENTERED);
	CHECK(fake_entered == p1);
	CHECK_EQ(call_to(p1, PSCI_CPU_OFF, 0, 0, 0, &next), FAKE_SLEPT);
	CHECK_EQ(p1->state, VCPU_OFF);
	CHECK(percpu[1].current == NULL);
	CHECK_EQ(fake_cpus[1].hyp_timer, ~0ull);
	fake_cpu_id = 0;
	CHECK_EQ(call(p2, PSCI_AFFINITY_INFO, 1, 0, 0), 1);
	/* and it can be started again, from scratch */
	CHECK_EQ(call(p2, PSCI_CPU_ON, 0, ENTRY + 12, 7), PSCI_SUCCESS);
	CHECK_EQ(p0->state, VCPU_RUNNABLE);
	CHECK_EQ(p0->arch.r[15], ENTRY + 12);
	CHECK_EQ(p0->arch.r[0], 7);
}

static void test_system_off(void)
{
	struct vcpu *next;
	u32 kicks = fake_cpus[1].kicks;

	/* p stops; its vcpus on cpu 1 are kicked; cpu 0 goes on with q */
	CHECK_EQ(call_to(p2, PSCI_SYSTEM_OFF, 0, 0, 0, &next), FAKE_RETURNED);
	CHECK(next == q0);
	CHECK_EQ(p->state, VM_STOPPED);
	CHECK_EQ(p->log->state, VM_STOPPED);
	CHECK_EQ(p0->state, VCPU_STOPPED);
	CHECK_EQ(p1->state, VCPU_STOPPED);
	CHECK_EQ(p2->state, VCPU_STOPPED);
	CHECK_EQ(p3->state, VCPU_STOPPED);
	CHECK_EQ(p3->arch.vfp_forgets, 2);		/* vm_load's, and this */
	CHECK_EQ(fake_cpus[1].kicks, kicks + 2);
	CHECK(!p2->arch.loaded);
	CHECK(q0->arch.loaded);
	CHECK(percpu[0].current == q0);
	CHECK(fake_console_has("hyp: vm 0 (p) stopped: system off\n"));
	CHECK(fake_console_has(" PSCI_SYSTEM_OFF 1"));
	CHECK_EQ(q->state, VM_RUNNING);
}

static void test_system_reset(void)
{
	u8 *ram = pa_ptr(q->ram_pa);
	struct vcpu *next;

	ram[0x10000] = 'X';
	ram[0x20000] = 'Y';
	q0->vgic.pending = 1ull << 33;
	q0->arch.r[9] = 99;
	CHECK_EQ(call_to(q0, PSCI_SYSTEM_RESET, 0, 0, 0, &next), FAKE_RETURNED);
	CHECK(next == q0);
	CHECK(fake_console_has("hyp: vm 1 (q) reset: reloading its images\n"));
	CHECK_EQ(q->state, VM_RUNNING);
	CHECK_EQ(q0->state, VCPU_RUNNABLE);
	CHECK(!memcmp(ram + 0x10000, "kernel q", 9));
	CHECK_EQ(ram[0x20000], 0);
	CHECK(!memcmp(ram + 0x100000, "dtb", 4));
	CHECK_EQ(q->vgic.inits, 3);		/* vm_create, its first load, this */
	CHECK_EQ(q0->vgic.pending, 0);
	CHECK_EQ(q0->vgic.resets, 2);
	/* linux's entry again: r0 0, r1 ~0, r2 the device tree */
	CHECK_EQ(q0->arch.inits, 2);
	CHECK_EQ(q0->arch.r[15], GUEST_KERNEL_IPA);
	CHECK_EQ(q0->arch.r[0], 0);
	CHECK_EQ(q0->arch.r[1], ~0u);
	CHECK_EQ(q0->arch.r[2], GUEST_RAM_IPA + 0x100000);
	CHECK_EQ(q0->arch.r[9], 0);
	/* what the cpu held of it went unsaved, and its fresh state came in */
	CHECK_EQ(q0->arch.drops, 1);
	CHECK_EQ(q0->arch.saves, 0);
	CHECK(q0->arch.loaded);
	CHECK(percpu[0].current == q0);
	/* a new slice: 100 ms, or as long as a slice cut before it (15 ms at least) */
	CHECK(percpu[0].slice_end >= fake_now + FAKE_FREQ / 1000 * 15);
	CHECK(percpu[0].slice_end <= fake_now + FAKE_FREQ / 10);
}

/* the last VM off: nothing left, the board prints its table and powers off */
static void test_last_off(void)
{
	struct vcpu *next;

	CHECK_EQ(call_to(q0, PSCI_SYSTEM_OFF, 0, 0, 0, &next), FAKE_POWER_OFF);
	CHECK_EQ(q->state, VM_STOPPED);
	CHECK(fake_console_has("hyp: vm 1 (q) stopped: system off\n"));
	CHECK(fake_console_has("trap log: board (all VMs)\n"));
	CHECK(fake_console_has("hyp: no VM left running: powering off\n"));
}

int main(void)
{
	paddr_t pool;

	fake_reset();
	pool = fake_ram(8);
	vms_create("", pool, pa_add(pool, 8 * MiB));
	sched_init("");
	CHECK_EQ(nr_vms, 2);
	p = &vms[0];
	q = &vms[1];
	p0 = &p->vcpu[0], p1 = &p->vcpu[1], p2 = &p->vcpu[2], p3 = &p->vcpu[3];
	q0 = &q->vcpu[0];
	CHECK_EQ(p1->pcpu, 1);
	CHECK_EQ(p2->pcpu, 0);
	CHECK_EQ(p3->pcpu, 1);
	CHECK_EQ(FAKE_RUN(sched_start()), FAKE_ENTERED);
	CHECK(fake_entered == p0);
	test_info();
	test_unknown();
	test_affinity_info();
	test_cpu_on();
	test_cpu_off();
	test_system_off();
	test_system_reset();
	test_last_off();
	return check_done("test_psci");
}
