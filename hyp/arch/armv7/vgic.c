/*
 * the virtual GICv2. each VM gets an emulated distributor (every register
 * of IHI 0048B 4.3, reserved ranges read as zero and ignore writes, wrong
 * widths refused); its cpu interface is the physical GICV (mapped by
 * stage 2). pending interrupts enter the list registers before each entry
 * to the guest, highest priority first; those that don't fit wait and the
 * underflow maintenance interrupt says when there is room again.
 *
 * the virtual timer's physical interrupt is forwarded: the hypervisor drops
 * its priority but leaves it active, and deactivates it when the guest EOIs
 * the virtual one (EOI maintenance). the LR HW bit would let the gic do
 * that itself, but qemu 7.2 does not implement it (measured: the physical
 * interrupt stayed active after the guest's EOI).
 */
#include "arch/arch.h"
#include "arch/sysregs.h"
#include "percpu.h"
#include "arch/vgic.h"
#include "console.h"
#include "irq.h"
#include "lib.h"
#include "mmio.h"
#include "platform.h"
#include "sched.h"
#include "vm.h"

#define GICH_HCR	0x000
#define GICH_VTR	0x004
#define GICH_VMCR	0x008
#define GICH_MISR	0x010
#define GICH_EISR0	0x020
#define GICH_ELSR0	0x030
#define GICH_APR	0x0f0
#define GICH_LR(n)	(0x100 + 4 * (n))
#define HCR_EN		(1u << 0)
#define HCR_UIE		(1u << 1)
#define LR_EOI		(1u << 19)	/* maintenance interrupt on EOI (HW = 0) */
#define LR_PRIO_SHIFT	23		/* priority[7:3] */
#define LR_PENDING	(1u << 28)
#define LR_ACTIVE	(2u << 28)
#define LR_STATE	(3u << 28)

#define GICH		PLAT_GICH_BASE

static u32 nr_lr;

static u32 gich_read(u32 off) { return mmio_read32(GICH + off); }
static void gich_write(u32 off, u32 v) { mmio_write32(GICH + off, v); }

/* this cpu's virtual interface, emptied; a forwarded timer interrupt ended */
void vgic_drop_cpu_state(void)
{
	u32 n;

	gich_write(GICH_HCR, 0);
	for (n = 0; n < nr_lr; n++)
		gich_write(GICH_LR(n), 0);
	if (mmio_read32(PLAT_GICD_BASE + 0x300) & (1u << IRQ_VTIMER))	/* ISACTIVER0 */
		gic_deactivate(IRQ_VTIMER);
}

/* per cpu: the GICH and the banked private interrupts we take */
void vgic_hw_init(void)
{
	nr_lr = (gich_read(GICH_VTR) & 0x3f) + 1;
	if (nr_lr > VGIC_NR_LR)
		nr_lr = VGIC_NR_LR;
	gich_write(GICH_HCR, 0);
	gic_enable_irq(SGI_KICK);
	gic_enable_irq(IRQ_MAINTENANCE);
	gic_enable_irq(IRQ_VTIMER);
	gic_enable_irq(IRQ_HYP_TIMER);
}

static struct vgic_irq *irq_of(struct vcpu *vcpu, u32 irq)
{
	return irq < 32 ? &vcpu->vgic.priv[irq] : &vcpu->vm->vgic.spi[irq - 32];
}

void vgic_vm_init(struct vm *vm, u64 owned_spis)
{
	u32 i;

	memset(&vm->vgic, 0, sizeof(vm->vgic));
	vm->vgic.owned = 0xffffffffull | owned_spis;
	for (i = 0; i < VGIC_NR_IRQS - 32; i++)
		vm->vgic.spi[i] = (struct vgic_irq){ .lr = VGIC_NO_LR, .target = 1 };
}

void vgic_vcpu_reset(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	u32 i;

	/* a forwarded interrupt the guest never finished stays active: end it
	 * (here if it is this cpu's; another cpu's does it in arch_vcpu_drop) */
	for (i = 0; i < VGIC_NR_LR && vcpu->pcpu == cpu_id(); i++)
		if (c->lr_used & (1u << i) && c->lr_irq[i] < 32 && c->priv[c->lr_irq[i]].forwarded)
			gic_deactivate(c->lr_irq[i]);
	memset(c, 0, sizeof(*c));
	for (i = 0; i < 32; i++)
		c->priv[i] = (struct vgic_irq){ .lr = VGIC_NO_LR, .edge = i < 16,
						.enabled = i < 16 };
	c->hcr = HCR_EN;
}

/* the vcpu an interrupt goes to: its own for SGI/PPI, the targeted one for SPIs */
static struct vcpu *target_of(struct vm *vm, u32 irq, struct vcpu *priv_owner)
{
	u32 t;

	if (irq < 32)
		return priv_owner;
	t = vm->vgic.spi[irq - 32].target;
	return &vm->vcpu[t ? __builtin_ctz(t) % vm->nr_vcpus : 0];
}

static void make_pending(struct vcpu *vcpu, u32 irq)
{
	struct vgic_irq *i = irq_of(vcpu, irq);

	/*
	 * an edge while pending merges into it. one still in an LR may be done
	 * there (an edge's EOI is silent) or still active: it waits as pending,
	 * and the next flush finds out which.
	 */
	if (i->pending)
		return;
	i->pending = true;
	vcpu->vgic.queued++;
	if (vcpu->state == VCPU_WFI)
		sched_wake(vcpu);
	else if (vcpu->pcpu != cpu_id())
		gic_send_sgi(vcpu->pcpu, SGI_KICK);	/* in its guest there: make it look */
}

void vgic_inject(struct vcpu *vcpu, u32 irq)
{
	struct vm *vm = vcpu->vm;

	spin_lock(&vm->vgic.lock);
	make_pending(target_of(vm, irq, vcpu), irq);
	spin_unlock(&vm->vgic.lock);
}

static void sync_lrs(struct vcpu *vcpu);

/*
 * a physical interrupt for the running vcpu (its virtual timer): left
 * active until the guest EOIs the virtual one. if an LR still holds it
 * (sent by the soft timer, or unfinished from before a switch), that LR
 * takes over the EOI: pending it again would deliver it twice.
 */
void vgic_inject_forwarded(struct vcpu *vcpu, u32 irq)
{
	struct vm *vm = vcpu->vm;
	struct vgic_irq *i = irq_of(vcpu, irq);

	spin_lock(&vm->vgic.lock);
	sync_lrs(vcpu);			/* an LR the guest has finished is not one */
	i->forwarded = true;
	if (i->lr != VGIC_NO_LR)
		gich_write(GICH_LR(i->lr), gich_read(GICH_LR(i->lr)) | LR_EOI);
	else
		make_pending(vcpu, irq);
	spin_unlock(&vm->vgic.lock);
}

/* an emulated device's interrupt line (level-sensitive): an SPI, or a PPI of vcpu */
void vgic_set_line(struct vcpu *owner, u32 irq, bool level)
{
	struct vm *vm = owner->vm;
	struct vcpu *vcpu = target_of(vm, irq, owner);
	struct vgic_irq *i = irq_of(vcpu, irq);

	spin_lock(&vm->vgic.lock);
	i->level = level;
	if (level)
		make_pending(vcpu, irq);
	else if (i->pending) {
		i->pending = false;
		vcpu->vgic.queued--;
	}
	spin_unlock(&vm->vgic.lock);
}

void vgic_set_level(struct vm *vm, u32 irq, bool level)
{
	vgic_set_line(&vm->vcpu[0], irq, level);
}

/* an LR the guest has finished with: free it; a level still high pends again */
static void retire(struct vcpu *vcpu, u32 n)
{
	u32 irq = vcpu->vgic.lr_irq[n];
	struct vgic_irq *i = irq_of(vcpu, irq);

	vcpu->vgic.lr_used &= ~(1u << n);
	vcpu->vgic.lr[n] = 0;
	gich_write(GICH_LR(n), 0);	/* clears its EISR bit: no more maintenance */
	i->lr = VGIC_NO_LR;
	if (i->forwarded) {
		i->forwarded = false;
		gic_deactivate(irq);	/* the physical one may fire again */
	} else if (!i->edge && i->level)
		make_pending(vcpu, irq);
}

/*
 * LRs the guest is done with that we still think are used: empty ones
 * (GICH_ELSR0) and, since an LR that asked for EOI maintenance does not
 * count as empty until it is rewritten, those with an EOI (GICH_EISR0).
 */
static void sync_lrs(struct vcpu *vcpu)
{
	u32 done = (gich_read(GICH_ELSR0) | gich_read(GICH_EISR0)) & vcpu->vgic.lr_used, n;

	for (n = 0; done; n++, done >>= 1)
		if (done & 1)
			retire(vcpu, n);
}

static bool deliverable(struct vm *vm, struct vgic_irq *i)
{
	return i->pending && i->enabled && vm->vgic.enabled;
}

/* the highest-priority deliverable interrupt not in an LR, or -1 */
static int next_pending(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	int best = -1, prio = 256;
	u32 irq;

	for (irq = 0; irq < VGIC_NR_IRQS; irq++) {
		struct vgic_irq *i = irq_of(vcpu, irq);

		if (irq >= 32 && target_of(vm, irq, vcpu) != vcpu)
			continue;
		if (deliverable(vm, i) && i->lr == VGIC_NO_LR && i->priority < prio) {
			best = irq;
			prio = i->priority;
		}
	}
	return best;
}

/* before entering the guest: move waiting interrupts into free LRs */
void vgic_flush(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	struct vm *vm = vcpu->vm;
	int irq;

	if (!c->queued)
		return;
	spin_lock(&vm->vgic.lock);
	sync_lrs(vcpu);
	while (c->queued && (irq = next_pending(vcpu)) >= 0) {
		struct vgic_irq *i = irq_of(vcpu, irq);
		u32 n = __builtin_ctz(~c->lr_used), lr;

		if (n >= nr_lr) {
			/* full: tell us when the LRs drain (underflow) */
			gich_write(GICH_HCR, gich_read(GICH_HCR) | HCR_UIE);
			break;
		}
		lr = (u32)irq | (u32)(i->priority >> 3) << LR_PRIO_SHIFT | LR_PENDING;
		if (irq < 16)
			lr |= (u32)i->source << 10;	/* CPUID: who sent the SGI */
		if (i->forwarded || !i->edge)
			lr |= LR_EOI;		/* deactivate, or re-check the line, at EOI */
		gich_write(GICH_LR(n), lr);
		c->lr_irq[n] = irq;
		c->lr_used |= 1u << n;
		i->lr = n;
		i->pending = false;
		c->queued--;
	}
	/* pending again while still active in an LR: hear about its EOI */
	if (c->queued)
		for (irq = 0; irq < VGIC_NR_LR; irq++)
			if (c->lr_used & (1u << irq) && irq_of(vcpu, c->lr_irq[irq])->pending)
				gich_write(GICH_LR(irq), gich_read(GICH_LR(irq)) | LR_EOI);
	spin_unlock(&vm->vgic.lock);
}

/* the maintenance interrupt: an EOI we asked to see, or LRs drained */
void vgic_maintenance(struct vcpu *vcpu)
{
	if (!vcpu)
		return;
	spin_lock(&vcpu->vm->vgic.lock);
	sync_lrs(vcpu);
	gich_write(GICH_HCR, gich_read(GICH_HCR) & ~HCR_UIE);
	spin_unlock(&vcpu->vm->vgic.lock);
}

/* whether a WFI should wait: something could still wake this vcpu */
bool vgic_can_wake(struct vcpu *vcpu)
{
	return vcpu->vm->vgic.enabled;
}

/*
 * a virtual interrupt is waiting for the vcpu (WFI completes, B1.8.12).
 * called on the vcpu's own cpu, with it loaded: LRs the guest has finished
 * are retired first, so an interrupt pending behind one counts.
 */
bool vgic_has_pending(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	bool found = false;
	u32 n;

	spin_lock(&vcpu->vm->vgic.lock);
	if (c->lr_used)
		sync_lrs(vcpu);
	if (c->queued && next_pending(vcpu) >= 0)
		found = true;
	for (n = 0; n < nr_lr && !found; n++)
		if (c->lr_used & (1u << n) && (gich_read(GICH_LR(n)) & LR_STATE) == LR_PENDING)
			found = true;
	spin_unlock(&vcpu->vm->vgic.lock);
	return found;
}

/* world switch: the virtual cpu interface's state moves with the vcpu */
void vgic_save(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	u32 n;

	c->hcr = gich_read(GICH_HCR);
	c->vmcr = gich_read(GICH_VMCR);
	c->apr = gich_read(GICH_APR);
	for (n = 0; n < nr_lr; n++)
		c->lr[n] = gich_read(GICH_LR(n));
	sync_lrs(vcpu);
	gich_write(GICH_HCR, 0);
	/*
	 * its timer is off now (arch_vcpu_save), so its forwarded interrupt, if
	 * the guest has not finished it, ends here and stays in the LR as a
	 * plain one: the cpu's PPI must not stay active for the next vcpu,
	 * whose timer it would silence, nor be ended by another's reset.
	 */
	if (c->priv[IRQ_VTIMER].forwarded) {
		c->priv[IRQ_VTIMER].forwarded = false;
		gic_deactivate(IRQ_VTIMER);
	}
}

void vgic_load(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	u32 n;

	gich_write(GICH_VMCR, c->vmcr);
	gich_write(GICH_APR, c->apr);
	for (n = 0; n < nr_lr; n++)
		gich_write(GICH_LR(n), c->lr_used & (1u << n) ? c->lr[n] : 0);
	gich_write(GICH_HCR, c->hcr | HCR_EN);
}

/* ------------------------------------------------------------------------
 * the emulated distributor (IHI 0048B 4.3). word registers take only
 * word accesses; priority, target and SGI-pending bytes take bytes too.
 */
#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_IIDR		0x008
#define GICD_ISENABLER		0x100
#define GICD_ICENABLER		0x180
#define GICD_ISPENDR		0x200
#define GICD_ICPENDR		0x280
#define GICD_ISACTIVER		0x300
#define GICD_ICACTIVER		0x380
#define GICD_IPRIORITYR		0x400
#define GICD_ITARGETSR		0x800
#define GICD_ICFGR		0xc00
#define GICD_SGIR		0xf00
#define GICD_CPENDSGIR		0xf10
#define GICD_SPENDSGIR		0xf20
#define GICD_PIDR4		0xfd0

/* PIDR4-7, PIDR0-3, CIDR0-3 of a GICv2 (ArchRev 2 in PIDR2) */
static const u8 gicd_id[12] = { 0x04, 0, 0, 0, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static bool owned(struct vm *vm, u32 irq)
{
	return irq < VGIC_NR_IRQS && (vm->vgic.owned >> irq & 1);
}

/* one bit per interrupt: enable, pending, active, set or clear */
static u32 bits_read(struct vcpu *vcpu, u32 base, u32 reg)
{
	u32 v = 0, b;

	for (b = 0; b < 32; b++) {
		u32 irq = base + b;
		struct vgic_irq *i;

		if (!owned(vcpu->vm, irq))
			continue;
		i = irq_of(vcpu, irq);
		if (reg == GICD_ISENABLER || reg == GICD_ICENABLER)
			v |= (u32)i->enabled << b;
		else if (reg == GICD_ISPENDR || reg == GICD_ICPENDR)
			v |= (u32)(i->pending || (i->lr != VGIC_NO_LR &&
				   (vcpu->vgic.lr[i->lr] & LR_PENDING))) << b;
		else
			v |= (u32)(i->lr != VGIC_NO_LR) << b;	/* in the guest's hands */
	}
	return v;
}

static void bits_write(struct vcpu *vcpu, u32 base, u32 reg, u32 val)
{
	struct vm *vm = vcpu->vm;
	u32 b;

	for (b = 0; b < 32; b++) {
		u32 irq = base + b;
		struct vgic_irq *i;

		if (!(val >> b & 1) || !owned(vm, irq))
			continue;		/* not ours: ignored */
		i = irq_of(vcpu, irq);
		switch (reg) {
		case GICD_ISENABLER:
			i->enabled = true;
			break;
		case GICD_ICENABLER:
			i->enabled = irq < 16;	/* SGIs are always enabled */
			break;
		case GICD_ISPENDR:
			if (irq >= 16)
				make_pending(target_of(vm, irq, vcpu), irq);
			break;
		case GICD_ICPENDR:
			if (i->pending) {
				i->pending = false;
				target_of(vm, irq, vcpu)->vgic.queued--;
			}
			break;
		}			/* (I/C)ACTIVER: active state lives in the LRs */
	}
}

/* GICD_SGIR: TargetListFilter 25:24, CPUTargetList 23:16, SGIINTID 3:0 */
static void send_sgi(struct vcpu *from, u32 val)
{
	struct vm *vm = from->vm;
	u32 filter = val >> 24 & 3, targets = val >> 16 & 0xff, sgi = val & 0xf, i;

	if (filter == 1)
		targets = ~(1u << from->id);
	else if (filter == 2)
		targets = 1u << from->id;
	else if (filter == 3)
		return;				/* reserved */
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *to = &vm->vcpu[i];

		if (!(targets >> i & 1) || to->state == VCPU_OFF)
			continue;
		to->vgic.priv[sgi].source = from->id;
		make_pending(to, sgi);
	}
}

static bool byte_reg(u32 off)
{
	return (off >= GICD_IPRIORITYR && off < GICD_ICFGR) ||
	       (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 16);
}

static bool vgicd_read(struct vcpu *vcpu, u32 off, u32 width, u32 *val)
{
	struct vm *vm = vcpu->vm;
	u32 reg = off & ~3u, k;

	if (width == 2 || (width == 1 && !byte_reg(off)))
		return false;
	*val = 0;
	spin_lock(&vm->vgic.lock);
	if (off == GICD_CTLR)
		*val = vm->vgic.enabled;
	else if (off == GICD_TYPER)
		*val = (VGIC_NR_IRQS / 32 - 1) | (vm->nr_vcpus - 1) << 5;
	else if (off == GICD_IIDR)
		*val = 0x0200043b;		/* arm, gic-400 style */
	else if (reg >= GICD_ISENABLER && reg < GICD_IPRIORITYR) {
		k = (reg - GICD_ISENABLER) % 0x80;
		if (k < VGIC_NR_IRQS / 8)
			*val = bits_read(vcpu, k * 8, GICD_ISENABLER + (reg - GICD_ISENABLER) / 0x80 * 0x80);
	} else if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
		for (k = 0; k < width; k++) {
			u32 irq = off - GICD_IPRIORITYR + k;

			if (owned(vm, irq))
				*val |= (u32)irq_of(vcpu, irq)->priority << 8 * k;
		}
	} else if (off >= GICD_ITARGETSR && off < GICD_ICFGR) {
		for (k = 0; k < width; k++) {
			u32 irq = off - GICD_ITARGETSR + k;

			if (owned(vm, irq))
				*val |= (u32)(irq < 32 ? 1u << vcpu->id :
					      irq_of(vcpu, irq)->target) << 8 * k;
		}
	} else if (reg >= GICD_ICFGR && reg < GICD_ICFGR + VGIC_NR_IRQS / 4) {
		for (k = 0; k < 16; k++) {
			u32 irq = (reg - GICD_ICFGR) * 4 + k;

			if (owned(vm, irq) && irq_of(vcpu, irq)->edge)
				*val |= 2u << 2 * k;
		}
	} else if (off >= GICD_PIDR4 && !(off & 3)) {
		*val = gicd_id[(off - GICD_PIDR4) / 4];
	}
	/* everything else (IGROUPR, SGIR, reserved, implementation defined): zero */
	spin_unlock(&vm->vgic.lock);
	return true;
}

static bool vgicd_write(struct vcpu *vcpu, u32 off, u32 width, u32 val)
{
	struct vm *vm = vcpu->vm;
	u32 reg = off & ~3u, k;

	if (width == 2 || (width == 1 && !byte_reg(off)))
		return false;
	spin_lock(&vm->vgic.lock);
	if (off == GICD_CTLR) {
		vm->vgic.enabled = val & 1;
	} else if (reg >= GICD_ISENABLER && reg < GICD_ISACTIVER) {
		k = (reg - GICD_ISENABLER) % 0x80;
		if (k < VGIC_NR_IRQS / 8)
			bits_write(vcpu, k * 8, GICD_ISENABLER + (reg - GICD_ISENABLER) / 0x80 * 0x80, val);
	} else if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
		for (k = 0; k < width; k++) {
			u32 irq = off - GICD_IPRIORITYR + k;

			if (owned(vm, irq))
				irq_of(vcpu, irq)->priority = val >> 8 * k & 0xf8;
		}
	} else if (off >= GICD_ITARGETSR + 32 && off < GICD_ICFGR) {
		for (k = 0; k < width; k++) {
			u32 irq = off - GICD_ITARGETSR + k, t = val >> 8 * k & 0xff;

			if (owned(vm, irq))
				irq_of(vcpu, irq)->target = t & ((1u << vm->nr_vcpus) - 1);
		}
	} else if (reg >= GICD_ICFGR + 8 && reg < GICD_ICFGR + VGIC_NR_IRQS / 4) {
		for (k = 0; k < 16; k++) {	/* SGI config is fixed, PPIs too here */
			u32 irq = (reg - GICD_ICFGR) * 4 + k;

			if (owned(vm, irq))
				irq_of(vcpu, irq)->edge = val >> (2 * k + 1) & 1;
		}
	}
	else if (off == GICD_SGIR)
		send_sgi(vcpu, val);
	/* others (SPENDSGIR, CPENDSGIR among them) are ignored */
	spin_unlock(&vm->vgic.lock);
	if (vm->vgic.enabled && vcpu->vgic.queued)
		vgic_flush(vcpu);
	return true;
}

void vgic_attach(struct vm *vm)
{
	static const struct mmio_dev dev = {
		.name = "gicd", .base = IPA_INIT(GUEST_GICD_IPA), .size = 0x10000,
		.read = vgicd_read, .write = vgicd_write,
	};

	vm_add_mmio(vm, &dev);
	/* the cpu interface: GICV where the guest expects GICC, 8 KiB for GICC_DIR */
	if (arch_stage2_map(vm, ipa_init(GUEST_GICC_IPA), pa_init(PLAT_GICV_BASE), 0x2000, S2_MMIO))
		panic("vm %s: cannot map GICV", vm->name);
}
