/*
 * host test of hyp/arch/armv7/vgic.c's list registers: queue, flush, EOI,
 * overflow with underflow maintenance, the world switch, wakes and kicks,
 * an LR edit left for another cpu. vgic.c is built as it is, against
 * armv7's headers; only the board is the fake's (tests/unit/fake/board),
 * whose GICH is a host array. this test plays the GICH's hardware: a bank
 * per cpu, ELSR and EISR worked out from the LRs (IHI 0048B 5.3.7-5.3.9),
 * and the guest acknowledging and ending interrupts through its GICV.
 */
#include <stdio.h>
#include <stdlib.h>
#include "check.h"
#include "arch/arch.h"
#include "arch/vgic.h"
#include "irq.h"
#include "lib.h"
#include "mmio.h"
#include "percpu.h"
#include "sched.h"
#include "vm.h"

u32 fake_cpu_id;
u64 fake_now;

/* ---- what vgic.c calls: recorded ---------------------------------------- */
static u32 kicks[2], deactivated, wakes, cuts;
static u64 enabled;
static const struct mmio_dev *gicd;
static u32 maps;

void arch_gic_deactivate(u32 irq) { (void)irq; deactivated++; }
void arch_gic_enable_irq(u32 irq) { enabled |= 1ull << irq; }
/* the physical SPIs linked to VMs: the last routing of each, and how often each ended */
static u32 spi_routed[128], spi_ended[128], spi_linked[128];
void gic_spi_link(u32 irq) { spi_linked[irq]++; }
void gic_spi_route(u32 irq, u32 cpu, bool on) { spi_routed[irq] = on ? 1 + cpu : 0; }
void gic_spi_end(u32 irq) { spi_ended[irq]++; }

void arch_gic_send_sgi(u32 cpu, u32 sgi)
{
	CHECK_EQ(sgi, SGI_KICK);
	kicks[cpu]++;
}

struct percpu percpu[PLAT_MAX_CPUS];

/* an interrupt for a vcpu switched out on this cpu: its slice is cut */
void sched_kicked(void) { cuts++; }

/* core's sched_runnable, as far as the vgic sees it */
bool sched_runnable(struct vcpu *vcpu, enum vcpu_state from)
{
	if (vcpu->state != from)
		return false;
	vcpu->state = VCPU_RUNNABLE;
	wakes++;
	return true;
}

void vm_add_mmio(struct vm *vm, const struct mmio_dev *dev)
{
	(void)vm;
	gicd = dev;
}

int arch_stage2_map(struct vm *vm, ipaddr_t ipa, paddr_t pa, u64 size, enum s2_kind kind)
{
	(void)vm;
	CHECK_EQ(ipa_addr(ipa), GUEST_GICC_IPA);
	CHECK_EQ(pa_addr(pa), PLAT_GICV_BASE);
	CHECK_EQ(size, 0x2000);
	CHECK_EQ(kind, S2_MMIO);
	maps++;
	return 0;
}

void panic(const char *fmt, ...)
{
	fprintf(stderr, "test_vgic: panic: %s\n", fmt);
	abort();
}

/* ---- the GICH, played by the test ---------------------------------------- */
unsigned int fake_gicd[0x1000 / 4], fake_gich[0x200 / 4];
uintptr_t fake_ram_base;

#define HCR		(0x000 / 4)
#define VTR		(0x004 / 4)
#define VMCR		(0x008 / 4)
#define EISR		(0x020 / 4)
#define ELSR		(0x030 / 4)
#define LRS		(0x100 / 4)
#define NR_LR		4
#define HCR_EN		(1u << 0)
#define HCR_UIE		(1u << 1)
/* a list register (5.3.10): id, priority[7:3], state, and the sender of an SGI */
#define LR(id, prio, state)	((u32)(id) | (u32)(prio) >> 3 << 23 | (u32)(state) << 28)
#define PENDING		1
#define ACTIVE		2
#define EOI		(1u << 19)
#define CPUID(c)	((u32)(c) << 10)
/* GICH_VMCR (5.3.3): the guest's GICV_CTLR group 0 enable, GICV_PMR[7:3] */
#define VMCR_ON(pmr)	(1u | (u32)(pmr) >> 3 << 27)

static u32 bank[2][0x200 / 4];		/* each cpu's GICH; fake_gich is this cpu's */

/* ELSR and EISR as the hardware has them: an LR with no state is empty, or ends with EOI */
static void settle(void)
{
	u32 n;

	fake_gich[ELSR] = fake_gich[EISR] = 0;
	for (n = 0; n < NR_LR; n++) {
		u32 lr = fake_gich[LRS + n];

		if (lr >> 28 & 3)
			continue;
		if (lr & EOI)
			fake_gich[EISR] |= 1u << n;
		else
			fake_gich[ELSR] |= 1u << n;
	}
}

static void as_cpu(u32 cpu)
{
	memcpy(bank[fake_cpu_id], fake_gich, sizeof(fake_gich));
	memcpy(fake_gich, bank[cpu], sizeof(fake_gich));
	fake_cpu_id = cpu;
	settle();
}

static u32 lr(u32 n)
{
	return fake_gich[LRS + n];
}

/* the guest reads GICC_IAR: LR n, pending, becomes active */
static void guest_ack(u32 n)
{
	CHECK_EQ(lr(n) >> 28 & 3, PENDING);
	fake_gich[LRS + n] += (ACTIVE - PENDING) << 28;
	settle();
}

/* and writes GICC_EOIR: LR n, active, ends (priority drop and deactivation) */
static void guest_eoi(u32 n)
{
	CHECK(lr(n) >> 28 & ACTIVE);
	fake_gich[LRS + n] &= ~((u32)ACTIVE << 28);
	settle();
}

/* the maintenance interrupt (5.3.5, GICH_MISR): an EOI, or underflow asked for */
static bool maintenance_due(void)
{
	u32 n, valid = 0;

	for (n = 0; n < NR_LR; n++)
		valid += (lr(n) >> 28 & 3) != 0;
	return fake_gich[EISR] || (fake_gich[HCR] & HCR_UIE && valid <= 1);
}

/* ---- the VM: two vcpus, 0 on cpu 0 and 1 on cpu 1 ----------------------- */
static struct vm vm;
static struct vcpu *v0 = &vm.vcpu[0], *v1 = &vm.vcpu[1];

static void gicd_write(struct vcpu *v, u32 off, u32 width, u32 val)
{
	CHECK(gicd->write(gicd->dev, off, width, val, v));
	settle();
}

static u32 gicd_read(struct vcpu *v, u32 off)
{
	u32 val = 0xdeadbeef;

	CHECK(gicd->read(gicd->dev, off, 4, &val, v));
	return val;
}

static void flush(struct vcpu *v)
{
	vgic_flush(v);
	settle();
}

static void maintenance(struct vcpu *v)
{
	CHECK(maintenance_due());
	arch_vgic_maintenance(v);
	settle();
	CHECK(!maintenance_due());
}

static void set_prio(struct vcpu *v, u32 irq, u32 prio)
{
	gicd_write(v, 0x400 + irq, 1, prio);
}

static void setup(void)
{
	u32 i;

	bank[0][VTR] = bank[1][VTR] = 0x90000000 | (NR_LR - 1);	/* 5 priority bits, 4 LRs */
	memcpy(fake_gich, bank[0], sizeof(fake_gich));
	arch_vgic_hw_init();
	CHECK_EQ(enabled, 1ull << SGI_KICK | 1ull << IRQ_MAINTENANCE | 1ull << IRQ_VTIMER |
		 1ull << IRQ_HYP_TIMER);
	vm.nr_vcpus = 2;
	for (i = 0; i < 2; i++) {
		vm.vcpu[i].vm = &vm;
		vm.vcpu[i].id = i;
		vm.vcpu[i].pcpu = i;
		vm.vcpu[i].state = VCPU_RUNNABLE;
		percpu[i].current = &vm.vcpu[i];
	}
	arch_vgic_vm_init(&vm);
	arch_vgic_vcpu_reset(v0);
	arch_vgic_vcpu_reset(v1);
	arch_vgic_attach(&vm);
	CHECK(gicd != NULL);
	CHECK_EQ(maps, 1);
	gicd_write(v0, 0x000, 4, 1);			/* CTLR: group 0 on */
	gicd_write(v0, 0x100, 4, 1u << IRQ_VTIMER);	/* ISENABLER0: the timer's PPI */
	gicd_write(v0, 0x104, 4, 0xffff);		/* ISENABLER1: SPIs 32-47 */
	gicd_write(v0, 0xc08, 4, 0xaaaa0000);		/* ICFGR2: SPIs 40-47 edge */
	CHECK_EQ(gicd_read(v0, 0xc08), 0xaaaa0000);
	CHECK_EQ(gicd_read(v0, 0x104), 0xffff);
	vgic_load(v0);
	settle();
	CHECK_EQ(fake_gich[HCR], HCR_EN);
	/* the guests turn their cpu interfaces on, all priorities unmasked: v0 in its GICV
	 * on cpu 0, v1 (not loaded yet) as vgic_save would have kept it */
	fake_gich[VMCR] = VMCR_ON(0xff);
	v1->vgic.vmcr = VMCR_ON(0xff);
}

/* three interrupts of three kinds into the LRs, highest priority first */
static void test_queue_flush(void)
{
	set_prio(v0, 33, 0x10);
	set_prio(v0, IRQ_VTIMER, 0x80);
	set_prio(v0, 3, 0xa0);
	vgic_set_line(v0, 33, true);			/* a device's level SPI */
	vgic_inject(v0, IRQ_VTIMER);			/* the soft timer's virtual timer PPI */
	as_cpu(1);
	gicd_write(v1, 0xf00, 4, 1u << 16 | 3);		/* v1 sends SGI 3 to v0: its cpu kicked */
	as_cpu(0);
	CHECK_EQ(kicks[0], 1);
	CHECK(v0->vgic.kicked);
	arch_vgic_kick_taken(v0); /* irq_handle: the kick, with v0 loaded */
	CHECK(!v0->vgic.kicked);
	CHECK_EQ(v0->vgic.queued, 1ull << 33 | 1ull << IRQ_VTIMER | 1ull << 3);
	CHECK_EQ(lr(0), 0);
	CHECK(arch_vgic_has_pending(v0));
	flush(v0);
	CHECK_EQ(lr(0), LR(33, 0x10, PENDING) | EOI);	/* level: look again at its EOI */
	CHECK_EQ(lr(1), LR(IRQ_VTIMER, 0x80, PENDING) | EOI);
	CHECK_EQ(lr(2), LR(3, 0xa0, PENDING) | CPUID(1));	/* an edge: no EOI maintenance */
	CHECK_EQ(lr(3), 0);
	CHECK_EQ(v0->vgic.lr_used, 0x7);
	CHECK_EQ(v0->vgic.queued, 0);
	CHECK_EQ(fake_gich[HCR], HCR_EN);
	/* the distributor sees them pending, in the guest's hands */
	CHECK_EQ(gicd_read(v0, 0x204) & 1u << 1, 1u << 1);	/* ISPENDR1: SPI 33 */
	CHECK(arch_vgic_has_pending(v0));
	guest_ack(0);
	guest_ack(1);
	CHECK(arch_vgic_has_pending(v0));
	guest_ack(2);
	CHECK(!arch_vgic_has_pending(v0));			/* all active: nothing waits */
	CHECK_EQ(gicd_read(v0, 0x304), 1u << 1);	/* ISACTIVER1: SPI 33 */
	CHECK(!maintenance_due());
}

/* EOIs: an edge's frees its LR quietly; a level's is seen, and pends again while high */
static void test_eoi(void)
{
	guest_eoi(2);					/* SGI 3 */
	CHECK(!maintenance_due());
	flush(v0);					/* nothing queued: nothing done */
	CHECK_EQ(v0->vgic.lr_used, 0x7);
	CHECK(!arch_vgic_has_pending(v0));			/* looks at the LRs: LR 2 is free */
	CHECK_EQ(v0->vgic.lr_used, 0x3);
	CHECK_EQ(lr(2), 0);

	guest_eoi(0);					/* SPI 33, its line still high */
	maintenance(v0);
	CHECK_EQ(lr(0), 0);
	CHECK_EQ(v0->vgic.queued, 1ull << 33);
	CHECK(arch_vgic_has_pending(v0));
	flush(v0);
	CHECK_EQ(lr(0), LR(33, 0x10, PENDING) | EOI);
	/* the line drops while it waits in its LR: no longer pending there either */
	vgic_set_line(v0, 33, false);
	settle();
	CHECK_EQ(lr(0), 0);
	CHECK_EQ(v0->vgic.lr_used, 0x2);
	CHECK_EQ(v0->vgic.queued, 0);
	CHECK(!maintenance_due());

	guest_eoi(1);					/* the timer's PPI, its line low */
	maintenance(v0);
	CHECK_EQ(v0->vgic.lr_used, 0);
	CHECK_EQ(v0->vgic.queued, 0);
	CHECK_EQ(lr(1), 0);
	CHECK_EQ(deactivated, 0);			/* nothing forwarded */
}

/* six for four LRs: the four highest go in, underflow brings the rest */
static void test_overflow(void)
{
	u32 n;

	for (n = 0; n < 4; n++)
		set_prio(v0, 40 + n, 0x40 + 8 * n);
	set_prio(v0, 4, 0x60);
	set_prio(v0, 5, 0x68);
	gicd_write(v0, 0xf00, 4, 2u << 24 | 5);		/* SGIs 5 and 4 to itself */
	gicd_write(v0, 0xf00, 4, 2u << 24 | 4);
	gicd_write(v0, 0x204, 4, 0xfu << 8);		/* ISPENDR1: SPIs 40-43 */
	CHECK_EQ(kicks[0], 1);				/* its own cpu: no kick */
	CHECK_EQ(cuts, 0);				/* and it runs there: no cut */
	flush(v0);
	for (n = 0; n < 4; n++)
		CHECK_EQ(lr(n), LR(40 + n, 0x40 + 8 * n, PENDING));
	CHECK_EQ(v0->vgic.queued, 1ull << 4 | 1ull << 5);
	CHECK_EQ(fake_gich[HCR], HCR_EN | HCR_UIE);	/* tell us when they drain */
	CHECK(!maintenance_due());
	for (n = 0; n < 3; n++) {
		guest_ack(n);
		guest_eoi(n);
		CHECK_EQ(maintenance_due(), n == 2);	/* one left valid: underflow */
	}
	maintenance(v0);
	CHECK_EQ(fake_gich[HCR], HCR_EN);
	CHECK_EQ(v0->vgic.lr_used, 0x8);
	flush(v0);
	CHECK_EQ(lr(0), LR(4, 0x60, PENDING) | CPUID(0));
	CHECK_EQ(lr(1), LR(5, 0x68, PENDING) | CPUID(0));
	CHECK_EQ(lr(2), 0);
	CHECK_EQ(lr(3), LR(43, 0x58, PENDING));
	CHECK_EQ(v0->vgic.queued, 0);
	CHECK_EQ(fake_gich[HCR], HCR_EN);
	CHECK(!maintenance_due());
}

/* the world switch: the LRs leave with the vcpu and come back with it */
static void test_switch(void)
{
	u32 was[NR_LR], n;

	for (n = 0; n < NR_LR; n++)
		was[n] = lr(n);
	vgic_save(v0);
	CHECK_EQ(fake_gich[HCR], 0);
	CHECK(!v0->vgic.loaded);
	for (n = 0; n < NR_LR; n++) {
		if (was[n])
			CHECK_EQ(v0->vgic.lr[n], was[n]);
		CHECK_EQ(fake_gich[LRS + n], 0);		/* emptied for the next vcpu */
		fake_gich[LRS + n] = 0xffffffff;		/* another vcpu's, meanwhile */
	}
	/* while it is out, an interrupt waits: no LR of another's is touched */
	percpu[0].current = NULL;			/* another VM's vcpu runs */
	set_prio(v0, 44, 0x30);
	gicd_write(v0, 0x204, 4, 1u << 12);		/* ISPENDR1: SPI 44 */
	CHECK_EQ(cuts, 1);				/* the slice ends soon, for v0 */
	flush(v0);
	CHECK_EQ(lr(2), 0xffffffff);
	CHECK(arch_vgic_has_pending(v0));
	CHECK_EQ(gicd_read(v0, 0x204), 1u << 12 | 1u << 11);	/* and SPI 43, in an LR */
	percpu[0].current = v0;
	memset(&fake_gich[LRS], 0, NR_LR * 4);		/* the other's vgic_save */
	vgic_load(v0);
	settle();
	for (n = 0; n < NR_LR; n++)
		CHECK_EQ(lr(n), n == 2 ? 0 : was[n]);
	CHECK_EQ(fake_gich[HCR], HCR_EN);
	flush(v0);
	CHECK_EQ(lr(2), LR(44, 0x30, PENDING));
}

/* a vcpu waiting in WFI is woken; one running on another cpu is kicked */
static void test_wake_kick(void)
{
	v0->state = VCPU_WFI;
	gicd_write(v0, 0x204, 4, 1u << 13);		/* SPI 45, for v0 */
	CHECK_EQ(wakes, 1);
	CHECK_EQ(v0->state, VCPU_RUNNABLE);
	gicd_write(v0, 0x82e, 1, 2);			/* ITARGETSR: SPI 46 to v1 */
	CHECK_EQ(gicd_read(v0, 0x82c), 0x01020101);	/* 44, 45 and 47 stay v0's */
	gicd_write(v0, 0x204, 4, 1u << 14);		/* SPI 46 */
	CHECK_EQ(kicks[1], 1);
	CHECK_EQ(v1->vgic.queued, 1ull << 46);
	CHECK_EQ(v0->vgic.queued, 1ull << 45);
	CHECK_EQ(wakes, 1);
}

/*
 * an LR of v1, which runs on cpu 1, changed from cpu 0 (a new priority):
 * cpu 0 cannot reach cpu 1's GICH, so the edit waits and cpu 1 is kicked;
 * cpu 1 makes it before it next enters its guest
 */
static void test_remote_edit(void)
{
	as_cpu(1);
	vgic_load(v1);
	flush(v1);
	CHECK_EQ(lr(0), LR(46, 0, PENDING));
	as_cpu(0);
	set_prio(v0, 46, 0x28);
	CHECK_EQ(kicks[1], 2);
	CHECK_EQ(v1->vgic.edits, 0x1);
	CHECK_EQ(bank[1][LRS], LR(46, 0, PENDING));	/* untouched until cpu 1 looks */
	as_cpu(1);
	arch_vgic_kick_taken(v1);
	flush(v1);
	CHECK_EQ(lr(0), LR(46, 0x28, PENDING));
	CHECK_EQ(v1->vgic.edits, 0);
	as_cpu(0);
}

/*
 * the kick rule: a vcpu is told (woken, kicked, a slice cut) only of an
 * interrupt it could take now, and once until it looks again; whatever a
 * guest makes pending that its vcpu cannot take costs no cpu anything
 */
static void test_kick_rule(void)
{
	u32 k = kicks[1], w = wakes, c = cuts, n = vm.vgic.kicks, i;

	/* v1 switched out on cpu 1, waiting in WFI */
	as_cpu(1);
	vgic_save(v1);
	percpu[1].current = NULL;
	as_cpu(0);
	CHECK_EQ(v1->vgic.vmcr, VMCR_ON(0xff));
	v1->state = VCPU_WFI;
	gicd_write(v0, 0x82f, 1, 2); /* ITARGETSR: SPI 47 to v1 */
	/* a disabled SPI, made pending and cleared */
	gicd_write(v0, 0x184, 4, 1u << 15); /* ICENABLER1 */
	for (i = 0; i < 100; i++) {
		gicd_write(v0, 0x204, 4, 1u << 15); /* ISPENDR1 */
		gicd_write(v0, 0x284, 4, 1u << 15); /* ICPENDR1 */
	}
	/* enabled, the distributor's group 0 off; on again, nothing pending */
	gicd_write(v0, 0x104, 4, 1u << 15);
	gicd_write(v0, 0x000, 4, 0);
	for (i = 0; i < 100; i++) {
		gicd_write(v0, 0x204, 4, 1u << 15);
		gicd_write(v0, 0x284, 4, 1u << 15);
	}
	gicd_write(v0, 0x000, 4, 1);
	/* active and inactive: an active interrupt is never signalled */
	for (i = 0; i < 100; i++) {
		gicd_write(v0, 0x304, 4, 1u << 15); /* ISACTIVER1 */
		gicd_write(v0, 0x384, 4, 1u << 15); /* ICACTIVER1 */
	}
	/* an SPI with no device holds its state too (disabled: nobody is told) */
	gicd_write(v0, 0x204, 4, 1u << 18); /* SPI 50 */
	CHECK_EQ(gicd_read(v0, 0x204) & 1u << 18, 1u << 18);
	gicd_write(v0, 0x284, 4, 1u << 18);
	CHECK_EQ(gicd_read(v0, 0x204) & 1u << 18, 0);
	/* v1's interface off: pending SPI and an SGI, neither signalled */
	v1->vgic.vmcr = 0;
	gicd_write(v0, 0x204, 4, 1u << 15);
	gicd_write(v0, 0xf00, 4, 2u << 16 | 6); /* SGI 6 to v1 */
	gicd_write(v0, 0x284, 4, 1u << 15);
	/* on, but its priority mask as low as SPI 47's priority: masked (3.2.2) */
	v1->vgic.vmcr = VMCR_ON(0x80);
	set_prio(v0, 6, 0x80);		    /* (GICD_IPRIORITYR, from v1's bank: its own SGI) */
	set_prio(v1, 6, 0x80);
	set_prio(v0, 47, 0x80);
	gicd_write(v0, 0x204, 4, 1u << 15);
	gicd_write(v0, 0x284, 4, 1u << 15);
	CHECK_EQ(kicks[1], k);
	CHECK_EQ(wakes, w);
	CHECK_EQ(cuts, c);
	CHECK_EQ(vm.vgic.kicks, n);
	CHECK_EQ(v1->state, VCPU_WFI);
	CHECK(!v1->vgic.kicked);

	/* one priority level higher: it could take it, and is woken, once */
	set_prio(v0, 47, 0x78);
	for (i = 0; i < 100; i++) {
		gicd_write(v0, 0x204, 4, 1u << 15);
		gicd_write(v0, 0x284, 4, 1u << 15);
	}
	gicd_write(v0, 0x000, 4, 0);
	gicd_write(v0, 0x204, 4, 1u << 15);
	gicd_write(v0, 0x000, 4, 1); /* (deliverable again: told already) */
	CHECK_EQ(wakes, w + 1);
	CHECK_EQ(v1->state, VCPU_RUNNABLE);
	CHECK(v1->vgic.kicked);
	CHECK_EQ(vm.vgic.kicks, n + 1);
	/* an interrupt pending already: nothing new */
	gicd_write(v0, 0x204, 4, 1u << 15);
	CHECK_EQ(vm.vgic.kicks, n + 1);

	/* v1 runs on cpu 1: it looked, so the next is told, by one kick until it takes it */
	gicd_write(v0, 0x284, 4, 1u << 15);
	as_cpu(1);
	percpu[1].current = v1;
	vgic_load(v1);
	CHECK(!v1->vgic.kicked);
	fake_gich[VMCR] = VMCR_ON(0x80);
	flush(v1);
	as_cpu(0);
	for (i = 0; i < 100; i++) {
		gicd_write(v0, 0x204, 4, 1u << 15);
		gicd_write(v0, 0x284, 4, 1u << 15);
	}
	CHECK_EQ(kicks[1], k + 1);
	as_cpu(1);
	arch_vgic_kick_taken(v1); /* irq_handle: SGI_KICK with v1 loaded */
	flush(v1);
	as_cpu(0);
	gicd_write(v0, 0x204, 4, 1u << 15);
	CHECK_EQ(kicks[1], k + 2);
	CHECK_EQ(vm.vgic.kicks, n + 3);

	/* v1 waits in WFI on cpu 1, loaded there, its interface off: its look keeps
	 * its VMCR, and what it cannot take wakes it no more than when it is out */
	as_cpu(1);
	arch_vgic_kick_taken(v1);
	flush(v1);
	fake_gich[VMCR] = 0;
	v1->state = VCPU_WFI;
	arch_vgic_has_pending(v1); /* traps.c's trap_wfx, after marking it WFI */
	as_cpu(0);
	for (i = 0; i < 100; i++) {
		gicd_write(v0, 0x284, 4, 1u << 15);
		gicd_write(v0, 0x204, 4, 1u << 15);
		gicd_write(v0, 0xf00, 4, 2u << 16 | 7); /* SGI 7 to v1 */
	}
	/* one kick: the first ICPENDR's edit of SPI 47 in its LR, which its cpu makes */
	CHECK_EQ(kicks[1], k + 3);
	CHECK_EQ(wakes, w + 1);
	CHECK_EQ(v1->state, VCPU_WFI);
	/* its interface on: the next one wakes it */
	as_cpu(1);
	arch_vgic_kick_taken(v1);
	flush(v1); /* (the edit: the test's GICH settles after) */
	fake_gich[VMCR] = VMCR_ON(0xff);
	CHECK(arch_vgic_has_pending(v1)); /* (its own look finds them) */
	as_cpu(0);
	gicd_write(v0, 0x284, 4, 1u << 15);
	gicd_write(v0, 0x204, 4, 1u << 15);
	CHECK_EQ(wakes, w + 2);
	CHECK_EQ(v1->state, VCPU_RUNNABLE);
	CHECK_EQ(vm.vgic.kicks, n + 5);

	/* the soft timer's copy for v0 switched out on cpu 0: its PPI disabled, no cut */
	vgic_save(v0);
	percpu[0].current = NULL;
	gicd_write(v0, 0x180, 4, 1u << IRQ_VTIMER); /* ICENABLER0 */
	vgic_inject(v0, IRQ_VTIMER);
	CHECK_EQ(cuts, c);
	gicd_write(v0, 0x100, 4, 1u << IRQ_VTIMER); /* enabled: now it could take it */
	CHECK_EQ(cuts, c + 1);
	vgic_inject(v0, IRQ_VTIMER);
	CHECK_EQ(cuts, c + 1);
	CHECK_EQ(vm.vgic.kicks, n + 6);
	CHECK_EQ(wakes, w + 2);
}

/*
 * a device's SPI linked (docs/passthrough.md): physical 70 is the guest's 40. taken on
 * the cpu that lists it, its LR has HW and the physical id (no EOI maintenance: the
 * guest's EOI ends it); taken on another cpu, the LR asks for the EOI and the vgic ends it
 */
static struct vm vm2;
static struct traplog_vcpu log2;

static void test_linked(void)
{
	struct vcpu *v = &vm2.vcpu[0];
	u32 hw = 1u << 31 | 70u << 10;

	as_cpu(0);
	vm2.nr_vcpus = 1;
	vm2.state = VM_RUNNING;
	*v = (struct vcpu){.vm = &vm2, .state = VCPU_RUNNABLE, .log = &log2};
	arch_vgic_vm_init(&vm2);
	arch_vgic_vcpu_reset(v);
	arch_vgic_attach(&vm2);
	arch_vgic_link(&vm2, 40, 70);
	CHECK_EQ(spi_linked[70], 1);
	CHECK_EQ(spi_routed[70], 0);			/* masked until the guest enables it */
	percpu[0].current = v;
	vgic_load(v);
	fake_gich[VMCR] = VMCR_ON(0xff);
	gicd_write(v, 0x000, 4, 1);
	gicd_write(v, 0x104, 4, 1u << 8);		/* ISENABLER1: SPI 40 */
	CHECK_EQ(spi_routed[70], 1 + 0);		/* to vcpu 0's cpu, unmasked */
	CHECK(!arch_vgic_linked_irq(71));		/* no one's */
	CHECK(arch_vgic_linked_irq(70));
	CHECK_EQ(log2.passthrough, 1);
	flush(v);
	CHECK_EQ(lr(0), LR(40, 0, PENDING) | hw);
	guest_ack(0);
	guest_eoi(0);
	CHECK(!maintenance_due());			/* HW: nothing to see */
	CHECK_EQ(spi_ended[70], 0);
	flush(v);
	CHECK_EQ(v->vgic.lr_used, 1);			/* (retired at its next look) */
	CHECK(!arch_vgic_has_pending(v));
	CHECK_EQ(v->vgic.lr_used, 0);
	/* taken on cpu 1 (moved meanwhile): the vgic ends it at the guest's EOI */
	fake_cpu_id = 1;
	CHECK(arch_vgic_linked_irq(70));
	fake_cpu_id = 0;
	flush(v);
	CHECK_EQ(lr(0), LR(40, 0, PENDING) | EOI);
	guest_ack(0);
	guest_eoi(0);
	maintenance(v);
	CHECK_EQ(spi_ended[70], 1);
	CHECK_EQ(log2.passthrough, 2);
	/* pending in an HW LR, the guest clears it: ended here, not by an EOI */
	CHECK(arch_vgic_linked_irq(70));
	flush(v);
	CHECK_EQ(lr(0), LR(40, 0, PENDING) | hw);
	gicd_write(v, 0x284, 4, 1u << 8);		/* ICPENDR1 */
	CHECK_EQ(lr(0), 0);
	CHECK_EQ(spi_ended[70], 2);
	/* stopped: masked; reset: ended, the link kept */
	vm2.state = VM_STOPPED;
	arch_vgic_mask(&vm2);
	CHECK_EQ(spi_routed[70], 0);
	CHECK(arch_vgic_linked_irq(70));		/* a late one: ended, not pended */
	CHECK_EQ(spi_ended[70], 3);
	CHECK_EQ(log2.passthrough, 3);
	vgic_save(v);
	percpu[0].current = NULL;
	arch_vgic_vm_init(&vm2);
	CHECK_EQ(spi_ended[70], 4);
	CHECK_EQ(vm2.vgic.spi[8].pirq, 70);
	CHECK_EQ(vm2.vgic.spi[8].pending, false);
}

int main(void)
{
	setup();
	test_queue_flush();
	test_eoi();
	test_overflow();
	test_switch();
	test_wake_kick();
	test_remote_edit();
	test_kick_rule();
	test_linked();
	return check_done("test_vgic");
}
