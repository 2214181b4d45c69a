/*
 * the virtual GICv2. each VM gets an emulated distributor (IHI 0048B 4.3,
 * decoded from one register table, gicd_regs); its cpu interface is the
 * physical GICV (mapped by stage 2). pending interrupts enter the list
 * registers before each entry to the guest, highest priority first; those
 * that don't fit wait and the underflow maintenance interrupt says when
 * there is room again.
 *
 * the virtual timer's physical interrupt is forwarded: the hypervisor drops
 * its priority but leaves it active, and deactivates it when the guest EOIs
 * the virtual one (EOI maintenance). a passed-through device's SPI is
 * linked: its LR has the HW bit and the physical id, and the guest's EOI
 * deactivates the physical one with no exit (IHI 0048B 5.3.4). qemu 7.2
 * does that for group 1 interrupts only (gic_spi_link) and on the cpu that
 * took it: one listed on another cpu ends as the timer's does.
 *
 * locking: the VM's vgic lock covers its distributor and every vcpu's
 * vgic_cpu. a vcpu's GICH is touched only by its own cpu, while it is
 * loaded there; its LRs are then read from the GICH, otherwise from lr[].
 */
#include "arch/arch.h"
#include "atomic.h"
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

#define GICH_HCR       0x000
#define GICH_VTR       0x004
#define GICH_VMCR      0x008
#define GICH_MISR      0x010
#define GICH_EISR0     0x020
#define GICH_ELSR0     0x030
#define GICH_APR       0x0f0
#define GICH_LR(n)     (0x100 + 4 * (n))
#define HCR_EN	       (1u << 0)
#define HCR_UIE	       (1u << 1)
#define LR_CPUID_SHIFT 10 /* SGIs: the sender */
#define LR_CPUID       (7u << LR_CPUID_SHIFT)
#define LR_EOI	       (1u << 19) /* maintenance interrupt on EOI (HW = 0) */
#define LR_PRIO_SHIFT  23	  /* priority[7:3] */
#define LR_PRIO	       (0x1fu << LR_PRIO_SHIFT)
#define LR_PENDING     (1u << 28)
#define LR_ACTIVE      (2u << 28)
#define LR_STATE       (3u << 28)
#define LR_GRP1	       (1u << 30)
#define LR_HW	       (1u << 31) /* PhysicalID 19:10 deactivated at the guest's EOI */
#define LR_SENDER(lr)  (((lr)&LR_CPUID) >> LR_CPUID_SHIFT)
#define LR_PRIO_OF(lr) (((lr)&LR_PRIO) >> LR_PRIO_SHIFT)
/* GICH_VMCR (5.3.3): the guest's GICV_CTLR enables and GICV_PMR[7:3] */
#define VMCR_GRP0EN    (1u << 0)
#define VMCR_GRP1EN    (1u << 1)
#define VMCR_PMR_SHIFT 27

/*
 * the priority bits implemented, the same for every interrupt: 7:3. an LR
 * carries only priority[7:3] to the guest's cpu interface, so a sixth bit
 * would be dropped there and two priorities the guest set apart would tie;
 * five are more than the four (16 levels) IHI 0048B 3.3 asks for.
 */
#define PRIO_MASK 0xf8

#define GICH PLAT_GICH_BASE

static u32 nr_lr;

static u32 gich_read(u32 off)
{
	return mmio_read32(GICH + off);
}
static void gich_write(u32 off, u32 v)
{
	mmio_write32(GICH + off, v);
}

/*
 * this cpu's virtual interface, emptied; a forwarded timer interrupt ended.
 * while no vcpu is loaded here, every LR is 0 (vgic_save clears those it
 * used): vgic_load need not write the others.
 */
void vgic_drop_cpu_state(void)
{
	u32 n;

	gich_write(GICH_HCR, 0);
	for (n = 0; n < nr_lr; n++)
		gich_write(GICH_LR(n), 0);
	if (mmio_read32(PLAT_GICD_BASE + 0x300) & (1u << IRQ_VTIMER)) /* ISACTIVER0 */
		arch_gic_deactivate(IRQ_VTIMER);
}

/* per cpu: the GICH and the banked private interrupts we take */
void arch_vgic_hw_init(void)
{
	nr_lr = (gich_read(GICH_VTR) & 0x3f) + 1;
	if (nr_lr > VGIC_NR_LR)
		nr_lr = VGIC_NR_LR;
	vgic_drop_cpu_state(); /* LRs all 0: vgic_load writes only those in use */
	arch_gic_enable_irq(SGI_KICK);
	arch_gic_enable_irq(IRQ_MAINTENANCE);
	arch_gic_enable_irq(IRQ_VTIMER);
	arch_gic_enable_irq(IRQ_HYP_TIMER);
}

static struct vgic_irq *irq_of(struct vcpu *bank, u32 irq)
{
	return irq < 32 ? &bank->vgic.priv[irq] : &bank->vm->vgic.spi[irq - 32];
}

static u32 vcpu_mask(struct vm *vm)
{
	return (1u << vm->nr_vcpus) - 1;
}

void arch_vgic_vm_init(struct vm *vm)
{
	struct vgic_dist *d = &vm->vgic;
	u32 i;

	spin_lock(&d->lock); /* a reset: another cpu may be in here */
	d->ctlr = 0;
	for (i = 0; i < VGIC_NR_IRQS - 32; i++) {
		u16 pirq = d->spi[i].pirq; /* a device's stays, masked and ended */

		d->spi[i] = (struct vgic_irq){.lr = VGIC_NO_LR, .target = 1, .pirq = pirq};
		if (pirq) {
			gic_spi_route(pirq, 0, false);
			gic_spi_end(pirq);
		}
	}
	spin_unlock(&d->lock);
}

void arch_vgic_vcpu_reset(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	u32 i;

	spin_lock(&vcpu->vm->vgic.lock);
	/* a forwarded interrupt the guest never finished stays active: end it
	 * (here if it is this cpu's; another cpu's does it in arch_vcpu_drop) */
	for (i = 0; i < VGIC_NR_LR && vcpu->pcpu == arch_cpu_id(); i++)
		if (c->lr_used & (1u << i) && c->lr_irq[i] < 32 && c->priv[c->lr_irq[i]].forwarded)
			arch_gic_deactivate(c->lr_irq[i]);
	memset(c, 0, sizeof(*c));
	for (i = 0; i < 32; i++)
		c->priv[i] = (struct vgic_irq){.lr = VGIC_NO_LR, .edge = i < 16, .enabled = i < 16};
	c->hcr = HCR_EN;
	spin_unlock(&vcpu->vm->vgic.lock);
}

/*
 * the vcpu an interrupt is for: the bank's own for SGIs and PPIs; for an
 * SPI the lowest-numbered vcpu it targets (a GICv2 offers it to all of
 * them and the first to acknowledge takes it), or none: it waits.
 */
static struct vcpu *owner_of(struct vcpu *bank, u32 irq)
{
	struct vm *vm = bank->vm;
	u32 t;

	if (irq < 32)
		return bank;
	t = vm->vgic.spi[irq - 32].target & vcpu_mask(vm);
	return t ? &vm->vcpu[__builtin_ctz(t)] : NULL;
}

/* ---- what a vcpu could take, and telling it -------------------------- */

static bool lrs_here(struct vcpu *vcpu)
{
	return vcpu->vgic.loaded && vcpu->pcpu == arch_cpu_id();
}

/* false while the vcpu runs on another cpu: its LRs are out of reach */
static bool lrs_known(struct vcpu *vcpu)
{
	return !vcpu->vgic.loaded || vcpu->pcpu == arch_cpu_id();
}

static bool deliverable(struct vm *vm, struct vgic_irq *i)
{
	return i->pending && i->enabled && (vm->vgic.ctlr & (i->group1 ? 2 : 1));
}

/*
 * v's virtual cpu interface would signal an interrupt of this priority
 * (bits 7:3) and group: the group enabled in GICV_CTLR, the priority
 * higher than GICV_PMR (IHI 0048B 3.2.2, 5.3.3 GICH_VMCR). known while v
 * is out (vgic_save kept its VMCR), loaded here, or waiting in WFI on
 * another cpu (its guest stopped: arch_vgic_has_pending kept its VMCR; a look
 * that misses a change wakes it there itself). while it runs on another
 * cpu its guest changes them without a trap: assume it would. (the
 * running priority is left to the interface: one it holds back counts.)
 */
static bool iface_takes(struct vcpu *v, u32 prio, bool group1)
{
	u32 vmcr;

	if (!lrs_known(v) && v->state != VCPU_WFI)
		return true;
	vmcr = lrs_here(v) ? gich_read(GICH_VMCR) : v->vgic.vmcr;
	return (vmcr & (group1 ? VMCR_GRP1EN : VMCR_GRP0EN)) && prio >> 3 < vmcr >> VMCR_PMR_SHIFT;
}

/* v could take i now: pending, enabled, its group on in the distributor and in v's interface */
static bool takes(struct vcpu *v, struct vgic_irq *i)
{
	return deliverable(v->vm, i) && iface_takes(v, i->priority, i->group1);
}

/*
 * v, not loaded here, must look at its vgic: the one SGI_KICK to its cpu
 * until it does. the kick makes it leave its guest if it runs there, and
 * cuts the slice of whoever runs there if not (sched_kicked()). kicked is
 * cleared when v is loaded, or when its cpu takes a kick while v is
 * loaded there (arch_vgic_kick_taken()): either way it looks before it enters.
 */
static void kick(struct vcpu *v)
{
	if (v->vgic.kicked)
		return;
	v->vgic.kicked = true;
	v->vm->vgic.kicks++;
	arch_gic_send_sgi(v->pcpu, SGI_KICK);
}

/*
 * i became something v could take: wake v, kick it, or (switched out
 * here) end the running slice soon, once until v has looked. what v
 * cannot take (disabled, its group off, masked by its interface, only
 * active) tells nobody: it is listed when v next enters, whenever that is.
 * so a guest can cost another cpu one kick for each of its vcpu's looks,
 * and those are its own vcpu's time there.
 */
static void notify(struct vcpu *v, struct vgic_irq *i)
{
	if (!takes(v, i))
		return;
	if (v == this_cpu()->current) {
		if (v->state == VCPU_WFI) /* waiting here (sched.c's wait_here) */
			sched_wake(v);
		return; /* otherwise it looks before it enters */
	}
	if (v->vgic.kicked)
		return;
	if (v->state == VCPU_WFI) {
		v->vgic.kicked = true; /* sched_runnable() kicks, or cuts the slice here */
		v->vm->vgic.kicks++;
		sched_wake(v);
	} else if (v->pcpu != arch_cpu_id()) {
		kick(v);
	} else {
		v->vgic.kicked = true;
		v->vm->vgic.kicks++;
		sched_kicked();
	}
}

/* SGI_KICK taken on vcpu's cpu, where it is loaded: it looks before it enters */
void arch_vgic_kick_taken(struct vcpu *vcpu)
{
	spin_lock(&vcpu->vm->vgic.lock);
	vcpu->vgic.kicked = false;
	spin_unlock(&vcpu->vm->vgic.lock);
}

/* after queued or edits change, under the lock */
static void busy_update(struct vgic_cpu *c)
{
	c->busy = c->queued || c->edits;
}

/* its state changed: the owner's queue follows (an SPI without one waits) */
static void requeue(struct vcpu *bank, u32 irq)
{
	struct vgic_irq *i = irq_of(bank, irq);
	struct vcpu *owner = owner_of(bank, irq);

	if (!owner)
		return;
	if (i->pending || i->active)
		owner->vgic.queued |= 1ull << irq;
	else
		owner->vgic.queued &= ~(1ull << irq);
	busy_update(&owner->vgic);
}

/* ---- list registers ---------------------------------------------------- */

/* an LR as it is, or (its vcpu runs elsewhere) as at its last exit, with our edits */
static u32 lr_get(struct vcpu *vcpu, u32 n)
{
	struct vgic_cpu *c = &vcpu->vgic;

	return lrs_here(vcpu) ? gich_read(GICH_LR(n))
			      : (c->lr[n] & ~c->edit_clr[n]) | c->edit_set[n];
}

static void lr_put(struct vcpu *vcpu, u32 n, u32 v)
{
	vcpu->vgic.lr[n] = v;
	if (lrs_here(vcpu))
		gich_write(GICH_LR(n), v);
}

/* whose LR holds irq (it holds one) */
static struct vcpu *lister(struct vcpu *bank, u32 irq)
{
	return irq < 32 ? bank : &bank->vm->vcpu[irq_of(bank, irq)->lr_vcpu];
}

/* the LR holding irq, or 0 (no state) if none does */
static u32 lr_of(struct vcpu *bank, u32 irq)
{
	struct vgic_irq *i = irq_of(bank, irq);

	return i->lr == VGIC_NO_LR ? 0 : lr_get(lister(bank, irq), i->lr);
}

static void make_pending(struct vcpu *bank, u32 irq, u32 from);

/*
 * an LR the guest has finished with, or emptied by us: free it. a level
 * still high pends again; an SPI pending again meanwhile may be another
 * vcpu's now (ITARGETSR), which is told
 */
static void retire(struct vcpu *vcpu, u32 n)
{
	u32 irq = vcpu->vgic.lr_irq[n];
	struct vgic_irq *i = irq_of(vcpu, irq);
	struct vcpu *owner = owner_of(vcpu, irq);

	vcpu->vgic.lr_used &= ~(1u << n);
	lr_put(vcpu, n, 0); /* clears its EISR bit: no more maintenance */
	i->lr = VGIC_NO_LR;
	if (i->hw) { /* taken meanwhile, or listed where the HW bit cannot end it */
		i->hw = false;
		gic_spi_end(i->pirq);
	}
	if (i->forwarded) {
		i->forwarded = false;
		arch_gic_deactivate(irq); /* the physical one may fire again */
	} else if (!i->edge && i->level) {
		make_pending(vcpu, irq, 0);
	}
	if (owner && owner != vcpu)
		notify(owner, i);
}

/*
 * the distributor changes an interrupt that sits in an LR: its state,
 * priority or group bits. an LR in another cpu's GICH (its vcpu runs
 * there) is changed by that cpu: the edit waits in edit_clr/set, the cpu
 * is kicked, and it applies the edit before it next looks at its LRs.
 */
static void lr_edit(struct vcpu *bank, u32 irq, u32 clear, u32 set)
{
	struct vcpu *v = lister(bank, irq);
	struct vgic_cpu *c = &v->vgic;
	u32 n = irq_of(bank, irq)->lr, lr;

	if (!lrs_known(v)) {
		c->edit_clr[n] = (c->edit_clr[n] | clear) & ~set;
		c->edit_set[n] = (c->edit_set[n] & ~clear) | set;
		c->edits |= 1u << n;
		busy_update(c);
		kick(v); /* (it runs there: its own time) */
		return;
	}
	lr = (lr_get(v, n) & ~clear) | set;
	lr_put(v, n, lr);
	if (!(lr & LR_STATE) && lr & LR_HW)
		gic_spi_end(irq_of(bank, irq)->pirq); /* cleared here, not by the guest's EOI */
	if (!(lr & LR_STATE))
		retire(v, n);
}

/*
 * LRs the guest is done with that we still think are used: empty ones
 * (GICH_ELSR0) and, since an LR that asked for EOI maintenance does not
 * count as empty until it is rewritten, those with an EOI (GICH_EISR0).
 */
static void sync_lrs(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	u32 done, n, lr, todo = c->lr_used | c->edits;

	if (!lrs_here(vcpu) || !todo)
		return; /* (an LR not in use is 0, and lr[] of it never read) */
	for (n = 0; todo; n++, todo >>= 1) { /* edits from other cpus, then a fresh copy */
		if (!(todo & 1))
			continue;
		lr = gich_read(GICH_LR(n));
		if (c->edits >> n & 1) {
			lr = (lr & ~c->edit_clr[n]) | c->edit_set[n];
			gich_write(GICH_LR(n), lr);
			c->edit_clr[n] = c->edit_set[n] = 0;
		}
		c->lr[n] = lr;
	}
	c->edits = 0;
	busy_update(c);
	done = (gich_read(GICH_ELSR0) | gich_read(GICH_EISR0)) & c->lr_used;
	for (n = 0; done; n++, done >>= 1)
		if (done & 1)
			retire(vcpu, n);
}

/* ---- pending state ----------------------------------------------------- */

/*
 * irq becomes pending (an SGI: from vcpu `from`), its owner is told. an
 * edge while pending merges into it, and so does one whose LR still has it
 * pending; an LR we can't read (its vcpu runs elsewhere) may have been
 * acknowledged already: the edge waits as pending again.
 */
static void make_pending(struct vcpu *bank, u32 irq, u32 from)
{
	struct vgic_irq *i = irq_of(bank, irq);
	struct vcpu *owner = owner_of(bank, irq);
	u32 lr = lr_of(bank, irq);

	if (i->lr != VGIC_NO_LR && lrs_known(lister(bank, irq)) && (lr & LR_PENDING) &&
	    (irq >= 16 || LR_SENDER(lr) == from))
		return;
	if (irq < 16) {
		if (i->sources & 1u << from)
			return;
		i->sources |= 1u << from;
	} else if (i->pending) {
		return;
	}
	i->pending = true;
	requeue(bank, irq);
	if (owner)
		notify(owner, i);
}

/* ICPENDR, CPENDSGIR (sources: the senders' bits), or a level going low */
static void clear_pending(struct vcpu *bank, u32 irq, u32 sources)
{
	struct vgic_irq *i = irq_of(bank, irq);

	if (irq < 16) {
		i->sources &= ~sources;
		i->pending = i->sources != 0;
	} else {
		i->pending = false;
	}
	requeue(bank, irq);
	/* in an LR (an SGI: from one of those senders): not pending there either */
	if (i->lr != VGIC_NO_LR && (irq >= 16 || sources >> LR_SENDER(lr_of(bank, irq)) & 1))
		lr_edit(bank, irq, LR_PENDING, 0);
}

/* an interrupt the guest will take now, or one it must be able to deactivate */
static bool wants_lr(struct vm *vm, struct vgic_irq *i)
{
	return i->lr == VGIC_NO_LR && (i->active || deliverable(vm, i));
}

/* the highest-priority interrupt of the vcpu's queue that wants an LR, or -1 */
static int next_for_lr(struct vcpu *vcpu)
{
	u64 q = vcpu->vgic.queued;
	int best = -1, prio = 256;

	while (q) {
		u32 irq = __builtin_ctzll(q);
		struct vgic_irq *i = irq_of(vcpu, irq);

		q &= q - 1;
		if (wants_lr(vcpu->vm, i) && i->priority < prio) {
			best = irq;
			prio = i->priority;
		}
	}
	return best;
}

/* irq into LR n: its pending state (an SGI: from one sender), its active state */
static void list(struct vcpu *vcpu, u32 n, u32 irq)
{
	struct vgic_irq *i = irq_of(vcpu, irq);
	u32 lr = irq | (u32)(i->priority >> 3) << LR_PRIO_SHIFT | (i->group1 ? LR_GRP1 : 0);
	u32 from = vcpu->id;

	if (deliverable(vcpu->vm, i)) {
		lr |= LR_PENDING;
		if (irq < 16) {
			from = __builtin_ctz(i->sources);
			i->sources &= ~(1u << from);
		}
		i->pending = i->sources != 0;
		i->latched = false;
	}
	if (i->active)
		lr |= LR_ACTIVE;
	i->active = false;
	if (irq < 16)
		lr |= from << LR_CPUID_SHIFT;
	if (i->hw && i->hw_cpu == arch_cpu_id() && lr & LR_PENDING) {
		lr |= LR_HW | (u32)i->pirq << LR_CPUID_SHIFT; /* the guest's EOI ends it */
		i->hw = false;
	} else if (i->forwarded || i->hw || !i->edge || i->pending) {
		lr |= LR_EOI; /* deactivate, re-check the line, or list the next, at EOI */
	}
	lr_put(vcpu, n, lr);
	vcpu->vgic.lr_irq[n] = irq;
	vcpu->vgic.lr_used |= 1u << n;
	i->lr = n;
	i->lr_vcpu = vcpu->id;
	requeue(vcpu, irq);
}

/* before entering the guest: move waiting interrupts into free LRs */
void vgic_flush(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	int irq;

	/* unlocked: whoever queues from another cpu kicks this one afterwards */
	if (!vgic_busy(c))
		return;
	spin_lock(&vcpu->vm->vgic.lock);
	sync_lrs(vcpu);
	while (lrs_here(vcpu) && (irq = next_for_lr(vcpu)) >= 0) {
		u32 n = __builtin_ctz(~c->lr_used);

		if (n >= nr_lr) {
			/* full: tell us when the LRs drain (underflow) */
			gich_write(GICH_HCR, gich_read(GICH_HCR) | HCR_UIE);
			break;
		}
		list(vcpu, n, irq);
	}
	/* pending again while still in an LR: hear about its EOI */
	for (irq = 0; irq < VGIC_NR_LR && lrs_here(vcpu); irq++)
		if (c->lr_used & (1u << irq) && irq_of(vcpu, c->lr_irq[irq])->pending &&
		    !(gich_read(GICH_LR(irq)) & LR_HW)) /* (its 19 is the physical id's) */
			lr_put(vcpu, irq, gich_read(GICH_LR(irq)) | LR_EOI);
	spin_unlock(&vcpu->vm->vgic.lock);
}

/* the soft timer's copy of a virtual timer interrupt: none while an LR still has one */
void vgic_inject(struct vcpu *vcpu, u32 irq)
{
	spin_lock(&vcpu->vm->vgic.lock);
	if (irq_of(vcpu, irq)->lr == VGIC_NO_LR)
		make_pending(vcpu, irq, vcpu->id);
	spin_unlock(&vcpu->vm->vgic.lock);
}

/*
 * a physical interrupt for the running vcpu (its virtual timer): left
 * active until the guest EOIs the virtual one. if an LR still holds it
 * (sent by the soft timer, or unfinished from before a switch), that LR
 * takes over the EOI: pending it again would deliver it twice.
 */
void arch_vgic_inject_forwarded(struct vcpu *vcpu, u32 irq)
{
	struct vgic_irq *i = irq_of(vcpu, irq);

	spin_lock(&vcpu->vm->vgic.lock);
	sync_lrs(vcpu); /* an LR the guest has finished is not one */
	i->forwarded = true;
	if (i->lr != VGIC_NO_LR)
		lr_edit(vcpu, irq, 0, LR_EOI);
	else
		make_pending(vcpu, irq, vcpu->id);
	spin_unlock(&vcpu->vm->vgic.lock);
}

/*
 * an emulated device's interrupt line: an SPI, or a PPI of vcpu. the
 * owner is found under the lock: an ITARGETSR write must not move the SPI
 * between that and the pending state it sets. a level interrupt whose
 * line drops is no longer pending, in an LR or not (unless ISPENDR set it)
 */
void vgic_set_line(struct vcpu *bank, u32 irq, bool level)
{
	struct vgic_irq *i;
	bool was;

	spin_lock(&bank->vm->vgic.lock);
	i = irq_of(bank, irq);
	was = i->level;
	i->level = level;
	if (level && (!i->edge || !was))
		make_pending(bank, irq, 0);
	else if (!level && !i->edge && !i->latched && (i->pending || i->lr != VGIC_NO_LR))
		clear_pending(bank, irq, 0);
	spin_unlock(&bank->vm->vgic.lock);
}

void arch_vgic_set_level(struct vm *vm, u32 irq, bool level)
{
	vgic_set_line(&vm->vcpu[0], irq, level);
}

/* the maintenance interrupt: an EOI we asked to see, or LRs drained */
void arch_vgic_maintenance(struct vcpu *vcpu)
{
	if (!vcpu)
		return;
	spin_lock(&vcpu->vm->vgic.lock);
	sync_lrs(vcpu);
	if (lrs_here(vcpu))
		gich_write(GICH_HCR, gich_read(GICH_HCR) & ~HCR_UIE);
	spin_unlock(&vcpu->vm->vgic.lock);
}

/* whether a WFI should wait: something could still wake this vcpu */
bool vgic_can_wake(struct vcpu *vcpu)
{
	return vcpu->vm->vgic.ctlr != 0;
}

/*
 * a virtual interrupt is waiting for the vcpu, one its interface would
 * signal (WFI completes, B1.8.12). called on the vcpu's own cpu: loaded,
 * LRs the guest has finished are retired first, so an interrupt pending
 * behind one counts.
 */
bool arch_vgic_has_pending(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	bool found = false;
	u64 q;
	u32 n;

	spin_lock(&vcpu->vm->vgic.lock);
	if (lrs_here(vcpu)) /* for other cpus while it waits in WFI (iface_takes) */
		c->vmcr = gich_read(GICH_VMCR);
	if (c->lr_used)
		sync_lrs(vcpu);
	for (q = c->queued; q && !found; q &= q - 1) {
		struct vgic_irq *i = irq_of(vcpu, __builtin_ctzll(q));

		found = i->lr == VGIC_NO_LR && takes(vcpu, i);
	}
	for (n = 0; n < nr_lr && !found; n++) {
		u32 lr = c->lr_used & (1u << n) ? lr_get(vcpu, n) : 0;

		found = (lr & LR_STATE) == LR_PENDING &&
			iface_takes(vcpu, LR_PRIO_OF(lr) << 3, lr & LR_GRP1);
	}
	spin_unlock(&vcpu->vm->vgic.lock);
	return found;
}

/* world switch: the virtual cpu interface's state moves with the vcpu */
void vgic_save(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	u32 n, used;

	spin_lock(&vcpu->vm->vgic.lock);
	c->hcr = gich_read(GICH_HCR);
	c->vmcr = gich_read(GICH_VMCR);
	c->apr = gich_read(GICH_APR);
	if (c->lr_used | c->edits) /* (none: not even the call) */
		sync_lrs(vcpu);	   /* the LRs into lr[] */
	for (n = 0, used = c->lr_used; used; n++, used >>= 1)
		if (used & 1)
			gich_write(GICH_LR(n), 0); /* for the next vcpu: all 0 */
	gich_write(GICH_HCR, 0);
	/*
	 * its timer is off now (arch_vcpu_save), so its forwarded interrupt, if
	 * the guest has not finished it, ends here and stays in the LR as a
	 * plain one: the cpu's PPI must not stay active for the next vcpu,
	 * whose timer it would silence, nor be ended by another's reset.
	 */
	if (c->priv[IRQ_VTIMER].forwarded) {
		c->priv[IRQ_VTIMER].forwarded = false;
		arch_gic_deactivate(IRQ_VTIMER);
	}
	c->loaded = false;
	spin_unlock(&vcpu->vm->vgic.lock);
}

void vgic_load(struct vcpu *vcpu)
{
	struct vgic_cpu *c = &vcpu->vgic;
	u32 n, used;

	spin_lock(&vcpu->vm->vgic.lock);
	gich_write(GICH_VMCR, c->vmcr);
	gich_write(GICH_APR, c->apr);
	for (n = 0, used = c->lr_used; used; n++, used >>= 1) /* the rest are 0 */
		if (used & 1)
			gich_write(GICH_LR(n), c->lr[n]);
	gich_write(GICH_HCR, c->hcr | HCR_EN);
	c->loaded = true;
	c->kicked = false; /* it looks before it enters (vgic_flush) */
	spin_unlock(&vcpu->vm->vgic.lock);
}

/* ------------------------------------------------------------------------
 * the emulated distributor (IHI 0048B 4.3), decoded from one table. a row
 * is a register or an array of them: its offsets, the access widths it
 * takes (4.1.4: words; bytes only for the priority, target and SGI pending
 * registers; halfwords, left to the implementation, nowhere) and how a
 * write acts: the value as it is, or its 1 bits setting or clearing.
 * array rows have a field per interrupt and their handlers see one field
 * of an id below ITLinesNumber's 64: every one is implemented, an SPI with
 * a device or without; fields of ids past it read as zero, ignore writes. offsets in no row are
 * reserved or implementation defined: words read as zero and ignore
 * writes. a width a row does not take, or a misaligned access, is refused
 * with a data abort (logged, capped).
 */
enum { RW, SET, CLR }; /* a write: the value, its 1s set, its 1s clear */
#define B (1u << 0)    /* widths: byte */
#define W (1u << 2)    /* word */

struct gicd_reg {
	u16 start, end;	     /* offsets [start, end) */
	u8 widths, bits, op; /* bits: per interrupt; 32: a plain register */
	/* n: the interrupt, or the word of a plain register; val: the field's new value */
	u32 (*get)(struct vcpu *vcpu, u32 n);
	void (*set)(struct vcpu *vcpu, u32 n, u32 val);
};

/* PIDR4-7, PIDR0-3, CIDR0-3 of a GICv2 (ArchRev 2 in PIDR2) */
static const u8 gicd_id[12] = {0x04, 0, 0, 0, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

static u32 id_get(struct vcpu *vcpu, u32 n)
{
	(void)vcpu;
	return gicd_id[n];
}
static u32 ctlr_get(struct vcpu *vcpu, u32 n)
{
	(void)n;
	return vcpu->vm->vgic.ctlr;
}

/* EnableGrp0 and EnableGrp1 (no Security Extensions). LRs keep what they
 * hold; vcpus with something now deliverable are told */
static void ctlr_set(struct vcpu *vcpu, u32 n, u32 val)
{
	struct vm *vm = vcpu->vm;
	u32 k;
	u64 q;

	(void)n;
	vm->vgic.ctlr = val & 3;
	for (k = 0; k < vm->nr_vcpus; k++)
		for (q = vm->vcpu[k].vgic.queued; q; q &= q - 1) {
			struct vgic_irq *i = irq_of(&vm->vcpu[k], __builtin_ctzll(q));

			if (takes(&vm->vcpu[k], i)) {
				notify(&vm->vcpu[k], i);
				break;
			}
		}
}

/* ITLinesNumber: 32 * (N + 1) ids; CPUNumber: vcpus - 1; SecurityExtn 0 */
static u32 typer_get(struct vcpu *vcpu, u32 n)
{
	(void)n;
	return (VGIC_NR_IRQS / 32 - 1) | (vcpu->vm->nr_vcpus - 1) << 5;
}

static u32 iidr_get(struct vcpu *vcpu, u32 n)
{
	(void)vcpu, (void)n;
	return 0x0200043b; /* arm, gic-400 style */
}

static u32 group_get(struct vcpu *v, u32 irq)
{
	return irq_of(v, irq)->group1;
}

static void group_set(struct vcpu *v, u32 irq, u32 val)
{
	irq_of(v, irq)->group1 = val;
	if (irq_of(v, irq)->lr != VGIC_NO_LR)
		lr_edit(v, irq, LR_GRP1, val ? LR_GRP1 : 0);
}

static u32 enable_get(struct vcpu *v, u32 irq)
{
	return irq_of(v, irq)->enabled;
}

/* SGIs are always enabled (4.3.5 leaves it to the implementation). one
 * waiting in an LR, not yet taken, comes back out when disabled */
static void enable_set(struct vcpu *v, u32 irq, u32 on)
{
	struct vgic_irq *i = irq_of(v, irq);
	struct vcpu *owner = owner_of(v, irq);

	if (irq < 16 || i->enabled == on)
		return;
	i->enabled = on;
	if (i->pirq) /* a device's: the physical one follows, to the owner's cpu */
		gic_spi_route(i->pirq, (owner ? owner : v)->pcpu, on);
	if (on && owner) {
		notify(owner, i);
	} else if (!on && (lr_of(v, irq) & LR_STATE) == LR_PENDING && lrs_known(lister(v, irq))) {
		i->pending = true;
		requeue(v, irq);
		lr_edit(v, irq, LR_PENDING, 0);
	}
}

static u32 pend_get(struct vcpu *v, u32 irq)
{
	return irq_of(v, irq)->pending || (lr_of(v, irq) & LR_PENDING);
}

/* SGIs: read-only here (4.3.7, 4.3.8), C/SPENDSGIR change them. a level-
 * sensitive one set pending stays so when its line drops, and is not
 * cleared while its line is high (3.2.4) */
static void pend_set(struct vcpu *v, u32 irq, u32 on)
{
	struct vgic_irq *i = irq_of(v, irq);

	if (irq < 16)
		return;
	if (on) {
		make_pending(v, irq, 0);
		i->latched = !i->edge && i->pending;
	} else {
		i->latched = false;
		if (i->edge || !i->level)
			clear_pending(v, irq, 0);
	}
}

static u32 active_get(struct vcpu *v, u32 irq)
{
	return irq_of(v, irq)->active || (lr_of(v, irq) & LR_ACTIVE);
}

/* in an LR: there. otherwise, made active, it takes an LR at the next entry
 * (so that the guest can deactivate it) */
static void active_set(struct vcpu *v, u32 irq, u32 on)
{
	struct vgic_irq *i = irq_of(v, irq);

	if (i->lr != VGIC_NO_LR) {
		lr_edit(v, irq, on ? 0 : LR_ACTIVE, on ? LR_ACTIVE : 0);
		return;
	}
	i->active = on; /* (never signalled: it waits for the owner's next entry) */
	requeue(v, irq);
}

static u32 prio_get(struct vcpu *v, u32 irq)
{
	return irq_of(v, irq)->priority;
}

static void prio_set(struct vcpu *v, u32 irq, u32 val)
{
	struct vgic_irq *i = irq_of(v, irq);

	i->priority = val & PRIO_MASK;
	if (i->lr != VGIC_NO_LR)
		lr_edit(v, irq, LR_PRIO, (u32)(i->priority >> 3) << LR_PRIO_SHIFT);
}

/*
 * 4.3.12: one vcpu is a uniprocessor GIC, every ITARGETSR reads as zero
 * and ignores writes. with more, ITARGETSR0-7 are read-only, each field
 * the reader's own bit; an SPI's keeps the bits of vcpus the VM has. a
 * waiting SPI moves to its new owner's queue (an LR holding it stays)
 */
static u32 target_get(struct vcpu *v, u32 irq)
{
	if (v->vm->nr_vcpus == 1)
		return 0;
	return irq < 32 ? 1u << v->id : irq_of(v, irq)->target;
}

static void target_set(struct vcpu *v, u32 irq, u32 val)
{
	struct vgic_irq *i = irq_of(v, irq);
	struct vcpu *old = owner_of(v, irq), *owner;

	if (v->vm->nr_vcpus == 1 || irq < 32)
		return;
	i->target = val & vcpu_mask(v->vm);
	owner = owner_of(v, irq);
	if (old == owner)
		return;
	if (i->pirq && i->enabled && owner)
		gic_spi_route(i->pirq, owner->pcpu, true);
	if (old) {
		old->vgic.queued &= ~(1ull << irq);
		busy_update(&old->vgic);
	}
	requeue(v, irq);
	if (owner)
		notify(owner, i);
}

/* Int_config[1]: 1 edge, 0 level; [0] reserved. SGIs edge, PPIs level: both fixed */
static u32 cfg_get(struct vcpu *v, u32 irq)
{
	return (u32)irq_of(v, irq)->edge << 1;
}

static void cfg_set(struct vcpu *v, u32 irq, u32 val)
{
	if (irq >= 32)
		irq_of(v, irq)->edge = val >> 1 & 1;
}

/* TargetListFilter 25:24 (3: reserved, ignored), CPUTargetList 23:16,
 * SGIINTID 3:0; NSATT needs the Security Extensions */
static void sgir_set(struct vcpu *from, u32 n, u32 val)
{
	struct vm *vm = from->vm;
	u32 filter = val >> 24 & 3, targets = val >> 16 & 0xff, t;

	(void)n;
	if (filter == 1)
		targets = ~(1u << from->id);
	else if (filter == 2)
		targets = 1u << from->id;
	else if (filter == 3)
		return;
	for (t = 0; t < vm->nr_vcpus; t++)
		if (targets >> t & 1 && vm->vcpu[t].state != VCPU_OFF)
			make_pending(&vm->vcpu[t], val & 0xf, from->id);
}

/* an SGI's C/SPENDSGIR field: a bit per sender, waiting here or pending in its LR */
static u32 sgi_pend_get(struct vcpu *v, u32 sgi)
{
	u32 lr = lr_of(v, sgi), bits = irq_of(v, sgi)->sources;

	if (lr & LR_PENDING)
		bits |= 1u << LR_SENDER(lr);
	return bits;
}

static void sgi_pend_set(struct vcpu *v, u32 sgi, u32 val)
{
	u32 was = sgi_pend_get(v, sgi), set = val & ~was & vcpu_mask(v->vm);

	if (was & ~val)
		clear_pending(v, sgi, was & ~val);
	for (; set; set &= set - 1)
		make_pending(v, sgi, __builtin_ctz(set));
}

/* IHI 0048B table 4-1 */
static const struct gicd_reg gicd_regs[] = {
	{0x000, 0x004, W, 32, RW, ctlr_get, ctlr_set},		   /* CTLR */
	{0x004, 0x008, W, 32, RW, typer_get, NULL},		   /* TYPER */
	{0x008, 0x00c, W, 32, RW, iidr_get, NULL},		   /* IIDR */
	{0x080, 0x100, W, 1, RW, group_get, group_set},		   /* IGROUPRn */
	{0x100, 0x180, W, 1, SET, enable_get, enable_set},	   /* ISENABLERn */
	{0x180, 0x200, W, 1, CLR, enable_get, enable_set},	   /* ICENABLERn */
	{0x200, 0x280, W, 1, SET, pend_get, pend_set},		   /* ISPENDRn */
	{0x280, 0x300, W, 1, CLR, pend_get, pend_set},		   /* ICPENDRn */
	{0x300, 0x380, W, 1, SET, active_get, active_set},	   /* ISACTIVERn */
	{0x380, 0x400, W, 1, CLR, active_get, active_set},	   /* ICACTIVERn */
	{0x400, 0x800, B | W, 8, RW, prio_get, prio_set},	   /* IPRIORITYRn */
	{0x800, 0xc00, B | W, 8, RW, target_get, target_set},	   /* ITARGETSRn */
	{0xc00, 0xd00, W, 2, RW, cfg_get, cfg_set},		   /* ICFGRn */
	{0xf00, 0xf04, W, 32, RW, NULL, sgir_set},		   /* SGIR */
	{0xf10, 0xf20, B | W, 8, CLR, sgi_pend_get, sgi_pend_set}, /* CPENDSGIRn */
	{0xf20, 0xf30, B | W, 8, SET, sgi_pend_get, sgi_pend_set}, /* SPENDSGIRn */
	{0xfd0, 0x1000, W, 32, RW, id_get, NULL},		   /* PIDRn, CIDRn */
};

static bool vgicd_access(struct vcpu *vcpu, u32 off, u32 width, u32 *val, bool write)
{
	const struct gicd_reg *r = NULL;
	u32 k, n, f, mask;

	for (k = 0; k < ARRAY_SIZE(gicd_regs) && !r; k++)
		if (off >= gicd_regs[k].start && off < gicd_regs[k].end)
			r = &gicd_regs[k];
	if (!((r ? r->widths : W) & width) || off & (width - 1))
		return false;
	if (!write)
		*val = 0;
	if (!r || !(write ? (bool)r->set : (bool)r->get))
		return true;
	mask = r->bits == 32 ? ~0u : (1u << r->bits) - 1;
	spin_lock(&vcpu->vm->vgic.lock);
	for (k = 0; k < width * 8 / r->bits; k++) {
		n = (off - r->start) * 8 / r->bits + k;
		f = *val >> (k * r->bits) & mask;
		if (r->bits < 32 && n >= VGIC_NR_IRQS)
			continue;
		if (!write)
			*val |= r->get(vcpu, n) << (k * r->bits);
		else if (r->op == RW)
			r->set(vcpu, n, f);
		else if (f)
			r->set(vcpu, n, r->op == SET ? r->get(vcpu, n) | f : r->get(vcpu, n) & ~f);
	}
	spin_unlock(&vcpu->vm->vgic.lock);
	return true;
}

static bool vgicd_read(void *dev, u32 off, u32 width, u32 *val, struct vcpu *vcpu)
{
	(void)dev;
	return vgicd_access(vcpu, off, width, val, false);
}

static bool vgicd_write(void *dev, u32 off, u32 width, u32 val, struct vcpu *vcpu)
{
	(void)dev;
	return vgicd_access(vcpu, off, width, &val, true);
}

void arch_vgic_attach(struct vm *vm)
{
	static const struct mmio_dev dev = {
		.name = "gicd",
		.base = IPA_INIT(GUEST_GICD_IPA),
		.size = 0x10000,
		.read = vgicd_read,
		.write = vgicd_write,
	};

	vm_add_mmio(vm, &dev);
	/* the cpu interface: GICV where the guest expects GICC, 8 KiB for GICC_DIR */
	if (arch_stage2_map(vm, ipa_init(GUEST_GICC_IPA), pa_init(PLAT_GICV_BASE), 0x2000, S2_MMIO))
		panic("vm %s: cannot map GICV", vm->name);
}

/* ---- devices passed through (docs/passthrough.md) ----------------------- */

#define VGIC_MAX_LINKS 16
static struct {
	struct vm *vm;
	u16 pirq, virq;
} links[VGIC_MAX_LINKS];
static u32 nr_links;

/* at the VM's creation, on the boot cpu: the physical SPI stays masked until the guest enables it */
void arch_vgic_link(struct vm *vm, u32 virq, u32 pirq)
{
	if (nr_links == VGIC_MAX_LINKS || virq < 32 || virq >= VGIC_NR_IRQS || pirq < 32)
		panic("vm %s: cannot link interrupt %u to %u", vm->name, pirq, virq);
	links[nr_links++] = (typeof(links[0])){vm, pirq, virq};
	vm->vgic.spi[virq - 32].pirq = pirq;
	gic_spi_link(pirq);
}

/* the VM stops: its devices' interrupts masked (a reset ends them: vgic_vm_init) */
void arch_vgic_mask(struct vm *vm)
{
	u32 i;

	for (i = 0; i < VGIC_NR_IRQS - 32; i++)
		if (vm->vgic.spi[i].pirq)
			gic_spi_route(vm->vgic.spi[i].pirq, 0, false);
}

/*
 * a physical SPI taken here, its priority dropped: if a VM's device's, it
 * stays active and becomes pending in the VM's distributor; counted as
 * passed through, apart from the emulated devices' interrupts.
 */
bool arch_vgic_linked_irq(u32 pirq)
{
	struct vcpu *owner;
	struct vgic_irq *i;
	struct vm *vm;
	u32 k;

	for (k = 0; k < nr_links && links[k].pirq != pirq; k++)
		;
	if (k == nr_links)
		return false;
	vm = links[k].vm;
	i = &vm->vgic.spi[links[k].virq - 32];
	spin_lock(&vm->vgic.lock);
	owner = owner_of(&vm->vcpu[0], links[k].virq);
	if (load_acquire(&vm->state) != VM_RUNNING) {
		gic_spi_route(pirq, 0, false); /* (stopping: quiet until its next life) */
		gic_spi_end(pirq);
	} else {
		if (owner && lrs_here(owner))
			sync_lrs(owner); /* an LR the guest has finished is not one */
		i->hw = true;
		i->hw_cpu = (u8)arch_cpu_id();
		make_pending(&vm->vcpu[0], links[k].virq, 0);
		atomic_add_relaxed(&(owner ? owner : &vm->vcpu[0])->log->passthrough, 1);
	}
	spin_unlock(&vm->vgic.lock);
	return true;
}
