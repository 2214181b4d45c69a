/*
 * the virtio-mmio transport VMs see (virtio 1.2, 4.2, register layout
 * version 2), with split virtqueues (2.7). the devices behind it are
 * virtio_console.c, virtio_blk.c and virtio_net.c.
 *
 * the guest owns its rings and may rewrite them at any time, from another
 * vcpu. so every index and descriptor is read once into hypervisor memory,
 * checked there and used from there: addresses inside the VM's RAM for their
 * whole length, chains no longer than the queue, no loops. a ring that breaks
 * a rule puts its device in DEVICE_NEEDS_RESET (logged once); the VM's other
 * devices, the other VMs and the hypervisor carry on. the used ring's index
 * is the device's: it is written, never read back.
 *
 * the work a guest can cause is bounded whatever its rings say: a chain
 * reads at most min(QueueNum, VIRTQ_MAX_CHAIN) descriptors, direct and
 * indirect together, besides the one that points at its table; and one pass
 * of a device over a queue (a disk completion, a deferred pass) takes at
 * most VIRTQ_BATCH chains, and the pass of a guest's own QueueNotify, on its
 * own cpu and time, VIRTQ_NOTIFY (a ring's worth: a sender that never waits
 * is not held to 16 frames a millisecond, bench/net.md). a pass that stops
 * with chains left is owed another: at the VM's next wait (virtio_vm_idle)
 * or within a millisecond from the hyp timer of a cpu its vcpus live on
 * (virtio_tick), whichever comes first, so no kick is needed and the cpu's
 * other vcpus get their turn in between.
 */
#include <stdarg.h>
#include "images.h"
#include "atomic.h"
#include "console.h"
#include "fmt.h"
#include "lib.h"
#include "netsw.h"
#include "percpu.h"
#include "sched.h"
#include "vm.h"
#include "virtio_mmio.h"

#define VENDOR_ID 0x56505948u /* "HYPV" */
#define RING_FEATURES \
	(1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_EVENT_IDX | 1ull << VIRTIO_F_INDIRECT_DESC)

/* [ipa, ipa + len) of the guest's, all in its RAM: the pa (the seam's one translation) */
static bool guest_range(struct vm *vm, ipaddr_t ipa, u64 len, paddr_t *pa)
{
	return vm_ipa_to_pa(vm, ipa, len, pa);
}

static bool has_feature(const struct virtio_dev *d, u32 bit)
{
	return d->driver_features >> bit & 1;
}

bool virtio_driver_ok(const struct virtio_dev *d)
{
	return (d->status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_NEEDS_RESET)) ==
	       VIRTIO_STATUS_DRIVER_OK;
}

/* the interrupt line follows InterruptStatus: level-sensitive, like QEMU's */
static void set_isr(struct virtio_dev *d, u32 isr)
{
	bool was = d->isr != 0;

	d->isr = isr;
	if (was != (isr != 0))
		arch_vgic_set_level(d->vm, GUEST_VIRTIO_IRQ(d->slot), isr != 0);
}

/* one of the guest's mistakes: counted; the first since the reset logged */
static void mistake(struct virtio_dev *d, const char *then, const char *what, va_list ap)
{
	char buf[128];

	d->mistakes++;
	if (d->logged)
		return;
	d->logged = true;
	fmt_vsnprintf(buf, sizeof(buf), what, ap);
	if (vm_log_ok(d->vm))
		log_info("vm %u (%s): %s: %s: %s\n", d->vm->id, d->vm->name, d->be->name, buf,
			 then);
}

/* a register write that makes no sense now: it changes nothing */
static void ignored(struct virtio_dev *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void ignored(struct virtio_dev *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mistake(d, "ignored", fmt, ap);
	va_end(ap);
}

/* a broken ring (or worse): the device stops until its driver resets it (2.1.2) */
void virtio_fail(struct virtio_dev *d, const char *fmt, ...)
{
	va_list ap;

	if (d->status & VIRTIO_STATUS_NEEDS_RESET)
		return;
	va_start(ap, fmt);
	mistake(d, "device needs reset", fmt, ap);
	va_end(ap);
	d->status |= VIRTIO_STATUS_NEEDS_RESET;
	d->config_generation++;
	if (d->status & VIRTIO_STATUS_DRIVER_OK)
		set_isr(d, d->isr | VIRTIO_MMIO_INT_CONFIG);
}

static void queue_reset(struct virtq *vq, u32 num)
{
	*vq = (struct virtq){.num = num};
}

static void device_reset(struct virtio_dev *d)
{
	u32 q;

	if (d->be->reset)
		d->be->reset(d);
	d->status = 0;
	d->driver_features = 0;
	d->dev_features_sel = d->drv_features_sel = d->queue_sel = 0;
	d->logged = false;
	for (q = 0; q < VIRTIO_MAX_QUEUES; q++)
		queue_reset(&d->vq[q], d->be->queue_max);
	set_isr(d, 0);
}

/* --- the split virtqueue ----------------------------------------------------- */

/* a descriptor's fields, read once each */
static struct virtq_desc desc_read(const volatile struct virtq_desc *p)
{
	struct virtq_desc v;

	v.addr = p->addr;
	v.len = p->len;
	v.flags = p->flags;
	v.next = p->next;
	return v;
}

/*
 * [addr, +len) of the VM's RAM for a chain of vq: 1, 0 when it covers more
 * blocks never touched than the pass (or a pop outside one) may still zero
 * (vq->fill: the chain waits for an owed pass, which goes on), -1 outside
 */
static int chain_range(struct virtio_dev *d, struct virtq *vq, ipaddr_t ipa, u32 len, paddr_t *pa)
{
	return vm_ipa_to_pa_some(d->vm, ipa, len, pa, &vq->fill);
}

/*
 * one buffer of a chain: in the VM's RAM, readable ones before writable ones.
 * (a chain reads at most VIRTQ_MAX_CHAIN descriptors: c->seg has room)
 */
static int add_seg(struct virtio_dev *d, struct virtq *vq, struct virtq_chain *c,
		   const struct virtq_desc *v)
{
	bool write = v->flags & VIRTQ_DESC_F_WRITE;
	paddr_t pa;
	int in = chain_range(d, vq, ipa_init(v->addr), v->len, &pa);

	if (in <= 0) {
		if (in < 0)
			virtio_fail(d, "buffer [%#llx, +%#x) outside the VM's RAM", v->addr,
				    v->len);
		return in;
	}
	if (!write && c->in_len) {
		virtio_fail(d, "chain %u: a readable buffer after a writable one", c->head);
		return -1;
	}
	c->seg[c->nr++] = (struct virtq_seg){.pa = pa, .len = v->len, .write = write};
	if (write)
		c->in_len += v->len;
	else
		c->out_len += v->len;
	return 1;
}

/*
 * an indirect table (2.7.5.3): its own descriptors, no nesting, no loops, no
 * more of them than the chain may still read (left): a table longer than the
 * queue is refused before any entry is read (2.7.5.3.1). 1, 0 or -1, as add_seg
 */
static int read_indirect(struct virtio_dev *d, struct virtq *vq, struct virtq_chain *c,
			 const struct virtq_desc *v, u32 left)
{
	const volatile struct virtq_desc *table;
	u32 n = v->len / sizeof(struct virtq_desc), i = 0, seen = 0;
	struct virtq_desc e;
	paddr_t pa;
	int in;

	if (!has_feature(d, VIRTIO_F_INDIRECT_DESC) || v->flags & VIRTQ_DESC_F_NEXT || !n ||
	    v->len % sizeof(struct virtq_desc) || v->addr % 16) {
		virtio_fail(d, "chain %u: a bad indirect descriptor (len %#x, flags %#x)", c->head,
			    v->len, v->flags);
		return -1;
	}
	if (n > left) {
		virtio_fail(d, "chain %u: an indirect table of %u descriptors, %u allowed", c->head,
			    n, left);
		return -1;
	}
	in = chain_range(d, vq, ipa_init(v->addr), v->len, &pa);
	if (in <= 0) {
		if (in < 0)
			virtio_fail(d, "indirect table [%#llx, +%#x) outside the VM's RAM", v->addr,
				    v->len);
		return in;
	}
	table = pa_ptr(pa);
	for (;;) {
		e = desc_read(&table[i]);
		if (++seen > n || e.flags & VIRTQ_DESC_F_INDIRECT) {
			virtio_fail(d, "chain %u: indirect table loops or nests", c->head);
			return -1;
		}
		if (e.len && (in = add_seg(d, vq, c, &e)) <= 0)
			return in;
		if (!(e.flags & VIRTQ_DESC_F_NEXT))
			return 1;
		i = e.next;
		if (i >= n) {
			virtio_fail(d, "chain %u: indirect next %u past the table's %u", c->head, i,
				    n);
			return -1;
		}
	}
}

/*
 * the chain starting at head, copied and checked: 1, 0 if it must wait for
 * RAM to be zeroed (chain_range), -1: the ring is broken. every descriptor
 * read counts, empty ones too: at most min(QueueNum, VIRTQ_MAX_CHAIN) of
 * them, and the one pointing at an indirect table
 */
static int read_chain(struct virtio_dev *d, struct virtq *vq, u16 head, struct virtq_chain *c)
{
	u32 i = head, left = vq->num < VIRTQ_MAX_CHAIN ? vq->num : VIRTQ_MAX_CHAIN;
	struct virtq_desc v;
	int in;

	c->head = head;
	c->nr = 0;
	c->in_len = c->out_len = 0;
	for (;;) {
		if (i >= vq->num) {
			virtio_fail(d, "descriptor %u past the queue's %u", i, vq->num);
			return -1;
		}
		v = desc_read(&vq->desc[i]);
		if (v.flags & VIRTQ_DESC_F_INDIRECT)
			return read_indirect(d, vq, c, &v, left);
		if (!left--) {
			virtio_fail(d, "chain %u longer than %u descriptors (a loop?)", head,
				    vq->num < VIRTQ_MAX_CHAIN ? vq->num : VIRTQ_MAX_CHAIN);
			return -1;
		}
		if (v.len && (in = add_seg(d, vq, c, &v)) <= 0)
			return in;
		if (!(v.flags & VIRTQ_DESC_F_NEXT))
			return 1;
		i = v.next;
	}
}

/* a pass stopped with chains left: another comes soon, on a cpu of the VM's */
static void owe(struct virtio_dev *d, struct virtq *vq)
{
	vq->more = true;
	atomic_or_release(&d->vm->virtio.owed, 1u << (d - d->vm->virtio.devs));
	sched_soon();
}

/*
 * the next request of queue q: 1, 0 if none (or the pass has taken its
 * VIRTQ_BATCH: then another is owed), -1 if the ring is broken
 */
int virtq_pop(struct virtio_dev *d, u32 q, struct virtq_chain *c)
{
	struct virtq *vq = &d->vq[q];
	u16 idx, head;
	int got;

	if (q >= d->be->nr_queues || !vq->ready || !virtio_driver_ok(d))
		return 0;
	idx = vq->avail->idx;
	if (idx == vq->last_avail)
		return 0;
	if ((u16)(idx - vq->last_avail) > vq->num) {
		virtio_fail(d, "queue %u: available index %u is %u ahead of %u, queue of %u", q,
			    idx, (u16)(idx - vq->last_avail), vq->last_avail, vq->num);
		return -1;
	}
	if (vq->passes) {
		if (!vq->batch) {
			owe(d, vq);
			return 0;
		}
		vq->batch--;
	} else {
		vq->fill = VIRTQ_FILL; /* a receiver's chain, on the sender's cpu */
	}
	arch_mb(); /* the entry after the index that made it visible */
	head = vq->avail->ring[vq->last_avail & (vq->num - 1)];
	got = read_chain(d, vq, head, c);
	if (!got) { /* RAM to zero first: the same chain in the owed pass */
		vq->batch += !!vq->passes;
		owe(d, vq);
		return 0;
	}
	vq->last_avail++;
	if (has_feature(d, VIRTIO_F_EVENT_IDX)) /* avail_event: tell us from here on */
		*vq->avail_event = vq->last_avail;
	return got;
}

/* whether the driver wants a notification for what was used since the last one */
static bool wants_notification(struct virtio_dev *d, struct virtq *vq)
{
	u16 old = vq->signalled;

	arch_mb(); /* our used index before its event index or flags */
	vq->signalled = vq->used_idx;
	vq->pending = false;
	if (has_feature(d, VIRTIO_F_EVENT_IDX))
		return virtq_need_event(*vq->used_event, vq->used_idx, old);
	return !(vq->avail->flags & VIRTQ_AVAIL_F_NO_INTERRUPT);
}

static void signal_queue(struct virtio_dev *d, struct virtq *vq)
{
	if (wants_notification(d, vq))
		set_isr(d, d->isr | VIRTIO_MMIO_INT_VRING);
}

/*
 * a finished request into the used ring. the notification waits on queues
 * the backend defers (the console's transmit queue, which linux polls
 * anyway): it goes out when a vcpu of the VM waits or the driver notifies
 * again, and by then linux has usually taken the buffer and moved its
 * event index past it, so no interrupt is needed at all.
 */
void virtq_push(struct virtio_dev *d, u32 q, u16 head, u32 written)
{
	struct virtq *vq = &d->vq[q];
	volatile struct virtq_used_elem *e;

	if (!vq->ready || d->status & VIRTIO_STATUS_NEEDS_RESET)
		return;
	e = &vq->used->ring[vq->used_idx & (vq->num - 1)];
	e->id = head;
	e->len = written;
	arch_mb(); /* the element before the index that publishes it */
	vq->used->idx = ++vq->used_idx;
	if (d->be->defer_queues >> q & 1)
		vq->pending = true;
	else
		signal_queue(d, vq);
}

/* a backend stopped its pass by a bound of its own: another is owed if chains are left */
void virtq_more(struct virtio_dev *d, u32 q)
{
	struct virtq *vq = &d->vq[q];

	if (vq->ready && virtio_driver_ok(d) && vq->avail->idx != vq->last_avail)
		owe(d, vq);
}

/*
 * one pass of the backend over queue q (its notify), d->lock held: at most
 * `batch` chains. a pass begun while another is under way (the net card
 * lets the lock go while it sends) takes from the same batch.
 */
static void pass(struct virtio_dev *d, u32 q, u32 batch)
{
	struct virtq *vq = &d->vq[q];

	if (!vq->passes++) {
		vq->batch = batch;
		vq->fill = VIRTQ_FILL;
		vq->more = false;
	}
	d->be->notify(d, q);
	vq->passes--;
}

void virtq_pass(struct virtio_dev *d, u32 q)
{
	pass(d, q, VIRTQ_BATCH);
}

/* the passes owed to a device's queues, one each; d->lock held */
static void owed_passes(struct virtio_dev *d)
{
	u32 q;

	for (q = 0; q < d->be->nr_queues; q++)
		if (d->vq[q].more && d->vq[q].ready && virtio_driver_ok(d))
			virtq_pass(d, q);
}

/* the VM's devices that are owed a pass get it */
static void vm_owed(struct vm *vm)
{
	struct vm_virtio *v = &vm->virtio;
	u32 k, bits = xchg(&v->owed, 0);

	for (k = 0; bits && k < v->nr_devs; k++, bits >>= 1) {
		if (!(bits & 1))
			continue;
		spin_lock(&v->devs[k].lock);
		owed_passes(&v->devs[k]);
		spin_unlock(&v->devs[k].lock);
	}
}

static void flush_deferred(struct virtio_dev *d)
{
	u32 q;

	for (q = 0; q < d->be->nr_queues; q++)
		if (d->vq[q].pending && d->vq[q].ready)
			signal_queue(d, &d->vq[q]);
}

/* bytes of the chain's writable (to) or readable (from) buffers, from byte off */
static u32 chain_copy(const struct virtq_chain *c, bool write, u32 off, u8 *buf, u32 n)
{
	u32 i, done = 0;

	for (i = 0; i < c->nr && done < n; i++) {
		const struct virtq_seg *s = &c->seg[i];
		u32 k;

		if (s->write != write)
			continue;
		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		k = s->len - off < n - done ? s->len - off : n - done;
		if (write)
			memcpy(pa_ptr(pa_add(s->pa, off)), buf + done, k);
		else
			memcpy(buf + done, pa_ptr(pa_add(s->pa, off)), k);
		done += k;
		off = 0;
	}
	return done;
}

u32 virtio_copy_to_chain(const struct virtq_chain *c, u32 off, const void *src, u32 n)
{
	return chain_copy(c, true, off, (u8 *)(uintptr_t)src, n);
}

u32 virtio_copy_from_chain(const struct virtq_chain *c, u32 off, void *dst, u32 n)
{
	return chain_copy(c, false, off, dst, n);
}

/* --- the registers ------------------------------------------------------------ */

/* QueueReady = 1: the queue's three parts, aligned and inside the VM's RAM */
static void queue_enable(struct virtio_dev *d, u32 q)
{
	struct virtq *vq = &d->vq[q];
	paddr_t desc, avail, used;

	if (!(d->status & VIRTIO_STATUS_FEATURES_OK)) {
		ignored(d, "queue %u made ready before FEATURES_OK", q);
		return;
	}
	if (!vq->num || vq->num > d->be->queue_max || (vq->num & (vq->num - 1))) {
		virtio_fail(d, "queue %u: size %u (at most %u, a power of two)", q, vq->num,
			    d->be->queue_max);
		return;
	}
	if (!ipa_aligned(vq->desc_ipa, 16) || !ipa_aligned(vq->avail_ipa, 2) ||
	    !ipa_aligned(vq->used_ipa, 4) ||
	    !guest_range(d->vm, vq->desc_ipa, VIRTQ_DESC_SIZE(vq->num), &desc) ||
	    !guest_range(d->vm, vq->avail_ipa, VIRTQ_AVAIL_SIZE(vq->num), &avail) ||
	    !guest_range(d->vm, vq->used_ipa, VIRTQ_USED_SIZE(vq->num), &used)) {
		virtio_fail(d,
			    "queue %u: rings at %#llx, %#llx, %#llx: misaligned or outside "
			    "the VM's RAM",
			    q, ipa_addr(vq->desc_ipa), ipa_addr(vq->avail_ipa),
			    ipa_addr(vq->used_ipa));
		return;
	}
	vq->desc = pa_ptr(desc);
	vq->avail = pa_ptr(avail);
	vq->used = pa_ptr(used);
	vq->used_event = pa_ptr(pa_add(avail, VIRTQ_AVAIL_SIZE(vq->num) - 2));
	vq->avail_event = pa_ptr(pa_add(used, VIRTQ_USED_SIZE(vq->num) - 2));
	vq->last_avail = vq->used_idx = vq->signalled = 0;
	vq->pending = false;
	vq->used->flags = 0;
	vq->used->idx = 0;
	arch_mb();
	vq->ready = true;
}

/*
 * status bits are only ever added, in the order of 3.1.1: ACKNOWLEDGE,
 * DRIVER, FEATURES_OK (refused unless the features are ones offered, with
 * VERSION_1), DRIVER_OK. 0 resets. anything else is ignored.
 */
static void status_write(struct virtio_dev *d, u32 val)
{
	u32 old = d->status & ~VIRTIO_STATUS_NEEDS_RESET, added, q;
	u64 offered = d->be->features | RING_FEATURES;

	if (!val) {
		device_reset(d);
		return;
	}
	val &= ~VIRTIO_STATUS_NEEDS_RESET; /* the device's bit */
	added = val & ~old;
	if ((val & old) != old || val & ~0xcfu ||
	    (added & VIRTIO_STATUS_DRIVER && !(val & VIRTIO_STATUS_ACKNOWLEDGE)) ||
	    (added & VIRTIO_STATUS_FEATURES_OK && !(val & VIRTIO_STATUS_DRIVER)) ||
	    (added & VIRTIO_STATUS_DRIVER_OK && !(val & VIRTIO_STATUS_FEATURES_OK))) {
		ignored(d, "status %#x after %#x: out of order", val, d->status);
		return;
	}
	if (added & VIRTIO_STATUS_FEATURES_OK &&
	    (d->driver_features & ~offered || !has_feature(d, VIRTIO_F_VERSION_1))) {
		/* refused: the driver reads it back; nor is DRIVER_OK set with it */
		val &= ~(VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
		added &= ~(VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	}
	d->status = val | (d->status & VIRTIO_STATUS_NEEDS_RESET);
	if (added & VIRTIO_STATUS_DRIVER_OK) /* buffers made available before it */
		for (q = 0; q < d->be->nr_queues; q++)
			if (d->vq[q].ready && virtio_driver_ok(d))
				virtq_pass(d, q);
}

static u32 config_read(struct virtio_dev *d, u32 off, u32 width)
{
	return d->be->config_read ? d->be->config_read(d, off, width) : 0;
}

static u32 reg_read(struct virtio_dev *d, u32 off)
{
	struct virtq *vq = d->queue_sel < d->be->nr_queues ? &d->vq[d->queue_sel] : NULL;
	u64 features = d->be->features | RING_FEATURES;

	switch (off) {
	case VIRTIO_MMIO_MAGIC: return VIRTIO_MMIO_MAGIC_VALUE;
	case VIRTIO_MMIO_VERSION: return 2;
	case VIRTIO_MMIO_DEVICE_ID: return d->be->device_id;
	case VIRTIO_MMIO_VENDOR_ID: return VENDOR_ID;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return d->dev_features_sel < 2 ? (u32)(features >> 32 * d->dev_features_sel) : 0;
	case VIRTIO_MMIO_QUEUE_NUM_MAX: return vq ? d->be->queue_max : 0;
	case VIRTIO_MMIO_QUEUE_READY: return vq ? vq->ready : 0;
	case VIRTIO_MMIO_INTERRUPT_STATUS: return d->isr;
	case VIRTIO_MMIO_STATUS: return d->status;
	case VIRTIO_MMIO_CONFIG_GENERATION: return d->config_generation;
	}
	return 0; /* write-only and reserved registers */
}

static void queue_reg_write(struct virtio_dev *d, u32 off, u32 val)
{
	struct virtq *vq = &d->vq[d->queue_sel];
	ipaddr_t *addr = NULL;

	if (d->queue_sel >= d->be->nr_queues) {
		ignored(d, "register %#x written for absent queue %u", off, d->queue_sel);
		return;
	}
	if (off == VIRTIO_MMIO_QUEUE_READY) {
		if (val & 1 && !vq->ready)
			queue_enable(d, d->queue_sel);
		else if (!(val & 1))
			vq->ready = false;
		return;
	}
	if (vq->ready) {
		ignored(d, "queue %u changed while ready", d->queue_sel);
		return;
	}
	switch (off & ~7u) {
	case VIRTIO_MMIO_QUEUE_DESC_LOW: addr = &vq->desc_ipa; break;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW: addr = &vq->avail_ipa; break;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW: addr = &vq->used_ipa; break;
	default: vq->num = val; return; /* QueueNum */
	}
	/* a 64-bit register, a half at a time */
	if (off & 4)
		*addr = ipa_init((ipa_addr(*addr) & 0xffffffffull) | (u64)val << 32);
	else
		*addr = ipa_init((ipa_addr(*addr) & ~0xffffffffull) | val);
}

static void notify(struct virtio_dev *d, struct vcpu *vcpu, u32 q)
{
	if (q < TRAPLOG_NR_QUEUES)
		traplog_inc(&vcpu->log->notify[d->log_row][q]);
	if (q >= d->be->nr_queues || !d->vq[q].ready) {
		ignored(d, "notification for queue %u, which is not ready", q);
		return;
	}
	if (!virtio_driver_ok(d))
		return;
	flush_deferred(d); /* the driver has moved on: see what it still wants */
	pass(d, q, VIRTQ_NOTIFY);
}

static void reg_write(struct virtio_dev *d, struct vcpu *vcpu, u32 off, u32 val)
{
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: d->dev_features_sel = val; return;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: d->drv_features_sel = val; return;
	case VIRTIO_MMIO_QUEUE_SEL: d->queue_sel = val; return;
	case VIRTIO_MMIO_QUEUE_NOTIFY: notify(d, vcpu, val); return;
	case VIRTIO_MMIO_INTERRUPT_ACK: set_isr(d, d->isr & ~val); return;
	case VIRTIO_MMIO_STATUS: status_write(d, val); return;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if ((d->status & (VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK)) !=
			    VIRTIO_STATUS_DRIVER ||
		    d->drv_features_sel > 1)
			ignored(d, "driver features written in status %#x, select %u", d->status,
				d->drv_features_sel);
		else if (d->drv_features_sel)
			d->driver_features = (d->driver_features & 0xffffffffull) | (u64)val << 32;
		else
			d->driver_features = (d->driver_features & ~0xffffffffull) | val;
		return;
	case VIRTIO_MMIO_QUEUE_NUM:
	case VIRTIO_MMIO_QUEUE_READY:
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: queue_reg_write(d, off, val); return;
	}
	/* read-only and reserved registers ignore writes */
}

/*
 * the registers take 32-bit aligned accesses only (4.2.2.2); the
 * configuration space 8, 16 or 32-bit ones, aligned. other accesses abort.
 */
static bool dev_read(void *dev, u32 off, u32 width, u32 *val, struct vcpu *vcpu)
{
	struct virtio_dev *d = dev;

	(void)vcpu;
	if (off & (width - 1) || (off < VIRTIO_MMIO_CONFIG && width != 4))
		return false;
	spin_lock(&d->lock);
	*val = off < VIRTIO_MMIO_CONFIG ? reg_read(d, off)
					: config_read(d, off - VIRTIO_MMIO_CONFIG, width);
	spin_unlock(&d->lock);
	return true;
}

static bool dev_write(void *dev, u32 off, u32 width, u32 val, struct vcpu *vcpu)
{
	struct virtio_dev *d = dev;

	if (off & (width - 1) || (off < VIRTIO_MMIO_CONFIG && width != 4))
		return false;
	if (off >= VIRTIO_MMIO_CONFIG)
		return true; /* no device has a writable configuration */
	spin_lock(&d->lock);
	reg_write(d, vcpu, off, val);
	spin_unlock(&d->lock);
	return true;
}

struct virtio_dev *virtio_attach(struct vm *vm, u32 slot, const struct virtio_backend *be,
				 void *priv)
{
	u32 k = vm->virtio.nr_devs;
	struct virtio_dev *d;
	struct mmio_dev mmio = {
		.name = be->name,
		.base = ipa_init(GUEST_VIRTIO_IPA + VIRTIO_MMIO_SIZE * slot),
		.size = VIRTIO_MMIO_SIZE,
		.read = dev_read,
		.write = dev_write,
	};

	if (k == VIRTIO_MAX_DEVS || slot >= GUEST_VIRTIO_SLOTS)
		panic("vm %s: no room for virtio device %s at slot %u", vm->name, be->name, slot);
	d = mmio.dev = &vm->virtio.devs[k];
	*d = (struct virtio_dev){
		.vm = vm, .be = be, .priv = priv, .slot = slot, .log_row = vm->nr_mmio};
	vm_add_mmio(vm, &mmio);
	vm->virtio.nr_devs = k + 1;
	device_reset(d);
	return d;
}

struct virtio_dev *virtio_find(struct vm *vm, u32 device_id)
{
	u32 k;

	for (k = 0; k < vm->virtio.nr_devs; k++)
		if (vm->virtio.devs[k].be->device_id == device_id)
			return &vm->virtio.devs[k];
	return NULL;
}

void virtio_vm_attach(struct vm *vm)
{
	const struct guest_image *img = vm->image;

	vm->virtio.nr_devs = 0;
	if (img->flags & GUEST_VCON)
		vcon_attach(vm, GUEST_VCON_SLOT);
	if (img->disk_mib)
		vblk_attach(vm, GUEST_VBLK_SLOT, (u64)img->disk_start_mib * MiB,
			    (u64)img->disk_mib * MiB);
	if (img->flags & GUEST_VNET)
		vnet_attach(vm, GUEST_VNET_SLOT);
}

void virtio_vm_reset(struct vm *vm)
{
	u32 k;

	for (k = 0; k < vm->virtio.nr_devs; k++) {
		spin_lock(&vm->virtio.devs[k].lock);
		device_reset(&vm->virtio.devs[k]);
		spin_unlock(&vm->virtio.devs[k].lock);
	}
}

void virtio_vm_idle(struct vm *vm)
{
	u32 k;

	vm_owed(vm);
	for (k = 0; k < vm->virtio.nr_devs; k++) {
		struct virtio_dev *d = &vm->virtio.devs[k];

		spin_lock(&d->lock);
		flush_deferred(d);
		spin_unlock(&d->lock);
	}
	vcon_flush(vm);
}

/*
 * the hyp timer fired here: the passes owed to VMs with a vcpu on this cpu
 * (their work is done on their own cpus, a pass at a time)
 */
void virtio_tick(void)
{
	u32 id = arch_cpu_id(), i, j;

	for (i = 0; i < nr_vms; i++) {
		if (!load_acquire(&vms[i].virtio.owed) || vms[i].state != VM_RUNNING)
			continue;
		for (j = 0; j < vms[i].nr_vcpus; j++)
			if (vms[i].vcpu[j].pcpu == id) {
				vm_owed(&vms[i]);
				break;
			}
	}
}
