/*
 * a small virtio driver of the hypervisor's own, for the board's disk: a
 * virtio-blk device behind virtio-mmio version 2 (QEMU needs
 * -global virtio-mmio.force-legacy=false to offer it). one split queue of
 * DRV_QSIZE descriptors in hypervisor memory, shared by every VM's disk:
 * each request is a header and a status byte of ours around the guest's
 * own data buffers (virtio_blk.c). with indirect tables (QEMU offers them) a
 * request takes one slot of the ring, its chain in a table of its own, so
 * DRV_QSIZE requests of any size can be in flight; without, its chain takes
 * as many slots as it has buffers. no event index.
 *
 * on virt the slots come from the board's device tree (compatible
 * "virtio,mmio"); where there is none (vexpress-a15) from platform.h. QEMU
 * fills the slots from the top, so they are looked at from the top down; a
 * slot a VM owns (docs/passthrough.md) is not looked at.
 */
#include "console.h"
#include "fdt.h"
#include "irq.h"
#include "lib.h"
#include "percpu.h"
#include "mmio.h"
#include "platform_if.h"
#include "spinlock.h"
#include "virtio_drv.h"
#include "virtio_mmio.h"
#include "vm.h"

#define DRV_QSIZE   128
#define MAX_SLOTS   32
#define MAX_WAITERS 8

static struct {
	struct virtq_desc desc[DRV_QSIZE] __attribute__((aligned(4096)));
	struct {
		u16 flags, idx, ring[DRV_QSIZE], used_event;
	} avail __attribute__((aligned(64)));
	struct {
		u16 flags, idx;
		struct virtq_used_elem ring[DRV_QSIZE];
		u16 avail_event;
	} used __attribute__((aligned(64)));
} ring __attribute__((aligned(4096)));

/* the indirect table of the request in each slot: header, buffers, status */
static struct virtq_desc tables[DRV_QSIZE][VIRTQ_MAX_CHAIN] __attribute__((aligned(16)));

static struct {
	spinlock_t lock;
	uintptr_t base; /* the device's registers; 0: no disk */
	u32 irq;
	u32 num; /* queue size */
	u64 sectors;
	bool flush;
	bool indirect;
	u32 max_segs;
	u16 free[DRV_QSIZE], nr_free; /* descriptors not in use */
	u16 last_used;
	u16 queued;			      /* added since the last kick */
	struct vdrv_req *inflight[DRV_QSIZE]; /* by first descriptor */
	struct {
		void (*fn)(void *arg);
		void *arg;
	} waiter[MAX_WAITERS];
	u32 nr_waiters;
} drv;

static u32 rd(u32 off)
{
	return mmio_read32(drv.base + off);
}

static void wr(u32 off, u32 v)
{
	mmio_write32(drv.base + off, v);
}

/* a 64-bit address register pair: low word at reg, high at reg + 4 */
static void set_addr(uintptr_t reg, paddr_t pa)
{
	mmio_write32(reg, (u32)pa_addr(pa));
	mmio_write32(reg + 4, (u32)(pa_addr(pa) >> 32));
}

/* a slot: its registers and interrupt */
struct slot {
	u32 base, irq;
};

/* virtio,mmio nodes of the board's device tree (virt's: reg, interrupts = <0 spi flags>) */
static u32 slots_from_fdt(const void *fdt, struct slot *s)
{
	int root = fdt ? fdt_path_offset(fdt, "/") : -1, node;
	u32 n = 0, len;

	for (node = root < 0 ? -1 : fdt_first_subnode(fdt, root); node >= 0 && n < MAX_SLOTS;
	     node = fdt_next_subnode(fdt, node)) {
		const char *compat = fdt_getprop(fdt, node, "compatible", &len);
		const u32 *reg, *irq;
		u32 rlen, ilen;

		if (!compat || !len || compat[len - 1] || strcmp(compat, "virtio,mmio"))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &rlen);
		irq = fdt_getprop(fdt, node, "interrupts", &ilen);
		if (!reg || rlen != 16 || !irq || ilen != 12 || be32(irq) != 0 ||
		    fdt_read_cells(reg, 2) >> 32)
			continue;
		s[n++] = (struct slot){.base = (u32)fdt_read_cells(reg, 2),
				       .irq = 32 + be32(irq + 1)};
	}
	return n;
}

static u32 slots_from_platform(struct slot *s)
{
	u32 n;

	for (n = 0; (int)n < PLAT_VIRTIO_SLOTS && n < MAX_SLOTS; n++)
		s[n] = (struct slot){.base = PLAT_VIRTIO_BASE + VIRTIO_MMIO_SIZE * n,
				     .irq = PLAT_VIRTIO_IRQ + n};
	return n;
}

static struct slot slots[MAX_SLOTS];
static u32 nr_slots;

/* the topmost device of that id behind virtio-mmio version 2: its registers, or 0 */
uintptr_t vdrv_find(u32 device_id, const char *what, u32 *irq)
{
	u32 i;

	for (i = nr_slots; i-- > 0;) {
		uintptr_t b = slots[i].base;

		if (vm_image_owns(pa_init(b))) /* a VM's own (passthrough) */
			continue;
		if (mmio_read32(b + VIRTIO_MMIO_MAGIC) != VIRTIO_MMIO_MAGIC_VALUE ||
		    mmio_read32(b + VIRTIO_MMIO_DEVICE_ID) != device_id)
			continue;
		if (mmio_read32(b + VIRTIO_MMIO_VERSION) != 2) {
			log_info("%s: the device at %#x is legacy (version %u): start qemu with "
				 "-global virtio-mmio.force-legacy=false\n",
				 what, (u32)b, mmio_read32(b + VIRTIO_MMIO_VERSION));
			continue;
		}
		*irq = slots[i].irq;
		return b;
	}
	return 0;
}

/*
 * 3.1.1 up to FEATURES_OK: reset, ACKNOWLEDGE, DRIVER, the features wanted
 * that are offered (VERSION_1 needed). *features: wanted in, taken out
 */
const char *vdrv_negotiate(uintptr_t base, u64 *features)
{
	u64 offered;

	mmio_write32(base + VIRTIO_MMIO_STATUS, 0);
	mmio_write32(base + VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	mmio_write32(base + VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	mmio_write32(base + VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	offered = (u64)mmio_read32(base + VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	mmio_write32(base + VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	offered |= mmio_read32(base + VIRTIO_MMIO_DEVICE_FEATURES);
	if (!(offered >> VIRTIO_F_VERSION_1 & 1))
		return "no VERSION_1";
	*features &= offered;
	mmio_write32(base + VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	mmio_write32(base + VIRTIO_MMIO_DRIVER_FEATURES, (u32)(*features >> 32));
	mmio_write32(base + VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	mmio_write32(base + VIRTIO_MMIO_DRIVER_FEATURES, (u32)*features);
	mmio_write32(base + VIRTIO_MMIO_STATUS,
		     VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	if (!(mmio_read32(base + VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
		return "features refused";
	return NULL;
}

/* queue q of num entries (the device's maximum, at most num) at the parts given: its size */
u32 vdrv_queue(uintptr_t base, u32 q, u32 num, const void *desc, const void *avail,
	       const void *used)
{
	mmio_write32(base + VIRTIO_MMIO_QUEUE_SEL, q);
	if (mmio_read32(base + VIRTIO_MMIO_QUEUE_NUM_MAX) < num)
		num = mmio_read32(base + VIRTIO_MMIO_QUEUE_NUM_MAX);
	if (num < 4 || num & (num - 1) || mmio_read32(base + VIRTIO_MMIO_QUEUE_READY))
		return 0;
	mmio_write32(base + VIRTIO_MMIO_QUEUE_NUM, num);
	set_addr(base + VIRTIO_MMIO_QUEUE_DESC_LOW, pa_of(desc));
	set_addr(base + VIRTIO_MMIO_QUEUE_DRIVER_LOW, pa_of(avail));
	set_addr(base + VIRTIO_MMIO_QUEUE_DEVICE_LOW, pa_of(used));
	mmio_write32(base + VIRTIO_MMIO_QUEUE_READY, 1);
	return num;
}

/* the disk's features, configuration and queue, then DRIVER_OK */
static const char *bring_up(void)
{
	u64 want = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_BLK_F_FLUSH |
		   1ull << VIRTIO_BLK_F_SEG_MAX | 1ull << VIRTIO_F_INDIRECT_DESC;
	const char *why = vdrv_negotiate(drv.base, &want);
	u32 gen, i;

	if (why)
		return why;
	drv.flush = want >> VIRTIO_BLK_F_FLUSH & 1;
	drv.indirect = want >> VIRTIO_F_INDIRECT_DESC & 1;
	do { /* a 64-bit field read whole (4.2.2.2) */
		gen = rd(VIRTIO_MMIO_CONFIG_GENERATION);
		drv.sectors = rd(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY) |
			      (u64)rd(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY + 4) << 32;
	} while (gen != rd(VIRTIO_MMIO_CONFIG_GENERATION));
	drv.max_segs = VIRTQ_MAX_CHAIN - 2;
	if (want >> VIRTIO_BLK_F_SEG_MAX & 1 &&
	    rd(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_SEG_MAX) < drv.max_segs)
		drv.max_segs = rd(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_SEG_MAX);
	memset(&ring, 0, sizeof(ring));
	drv.num = vdrv_queue(drv.base, 0, DRV_QSIZE, ring.desc, &ring.avail, &ring.used);
	if (!drv.num)
		return "no usable queue";
	if (!drv.indirect && drv.max_segs > drv.num - 2)
		drv.max_segs = drv.num - 2;
	for (i = 0; i < drv.num; i++)
		drv.free[i] = (u16)(drv.num - 1 - i);
	drv.nr_free = (u16)drv.num;
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
				       VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	return NULL;
}

void vdrv_init(const void *fdt)
{
	const char *why;

	nr_slots = slots_from_fdt(fdt, slots);
	if (!nr_slots)
		nr_slots = slots_from_platform(slots);
	drv.base = vdrv_find(VIRTIO_ID_BLOCK, "disk", &drv.irq);
	if (!drv.base)
		return;
	why = bring_up();
	if (why) {
		log_info("disk: the virtio-blk device at %#x: %s: not used\n", (u32)drv.base, why);
		wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_FAILED);
		drv.base = 0;
		return;
	}
	arch_gic_enable_irq(drv.irq);
	log_info("disk: virtio-blk at %#x (irq %u), %llu MiB%s%s\n", (u32)drv.base, drv.irq,
		 drv.sectors * VIRTIO_BLK_SECTOR / MiB, drv.flush ? ", flush" : "",
		 drv.indirect ? ", indirect" : "");
}

bool vdrv_present(void)
{
	return drv.base != 0;
}

u64 vdrv_sectors(void)
{
	return drv.sectors;
}

bool vdrv_has_flush(void)
{
	return drv.flush;
}

u32 vdrv_max_segs(void)
{
	return drv.max_segs;
}

/* requests the ring holds at once: one slot each with indirect tables */
u32 vdrv_slots(void)
{
	return drv.indirect ? drv.num : drv.num / (drv.max_segs + 2);
}

static u16 take_desc(void)
{
	return drv.free[--drv.nr_free];
}

/* someone to call when descriptors come back; under drv.lock */
static void wait_room(void (*fn)(void *arg), void *arg)
{
	u32 i;

	for (i = 0; i < drv.nr_waiters; i++)
		if (drv.waiter[i].arg == arg)
			return;
	if (i == MAX_WAITERS)
		panic("disk: more than %u waiting for its ring", MAX_WAITERS);
	drv.waiter[i].fn = fn;
	drv.waiter[i].arg = arg;
	drv.nr_waiters++;
}

/* the ring entry that makes a chain visible to the device; under drv.lock */
static void publish(struct vdrv_req *r)
{
	drv.inflight[r->head] = r;
	ring.avail.ring[ring.avail.idx & (drv.num - 1)] = r->head;
	arch_mb(); /* the entry before the index that publishes it */
	ring.avail.idx++;
	drv.queued++;
}

/* one slot of the ring, the chain in the slot's table; under drv.lock */
static void submit_indirect(struct vdrv_req *r, const struct virtq_seg *seg, u32 nr)
{
	u16 d = take_desc();
	struct virtq_desc *t = tables[d];
	u32 i;

	t[0] = (struct virtq_desc){.addr = pa_addr(pa_of(&r->hdr)),
				   .len = sizeof(r->hdr),
				   .flags = VIRTQ_DESC_F_NEXT,
				   .next = 1};
	for (i = 0; i < nr; i++)
		t[i + 1] = (struct virtq_desc){.addr = pa_addr(seg[i].pa),
					       .len = seg[i].len,
					       .next = (u16)(i + 2),
					       .flags = VIRTQ_DESC_F_NEXT |
							(seg[i].write ? VIRTQ_DESC_F_WRITE : 0)};
	t[nr + 1] = (struct virtq_desc){
		.addr = pa_addr(pa_of(&r->status)), .len = 1, .flags = VIRTQ_DESC_F_WRITE};
	ring.desc[d] = (struct virtq_desc){.addr = pa_addr(pa_of(t)),
					   .len = (nr + 2) * sizeof(struct virtq_desc),
					   .flags = VIRTQ_DESC_F_INDIRECT};
	r->head = d;
	publish(r);
}

bool vdrv_submit(struct vdrv_req *r, const struct virtq_seg *seg, u32 nr, void (*room)(void *arg),
		 void *arg)
{
	u16 d, prev, i;

	spin_lock(&drv.lock);
	if (!drv.base || nr > drv.max_segs) {
		spin_unlock(&drv.lock);
		return false;
	}
	if (drv.nr_free < (drv.indirect ? 1 : nr + 2)) { /* one in flight will make room */
		wait_room(room, arg);
		spin_unlock(&drv.lock);
		return false;
	}
	r->status = 0xff;
	if (drv.indirect) {
		submit_indirect(r, seg, nr);
		spin_unlock(&drv.lock);
		return true;
	}
	r->head = d = take_desc();
	ring.desc[d] = (struct virtq_desc){
		.addr = pa_addr(pa_of(&r->hdr)), .len = sizeof(r->hdr), .flags = VIRTQ_DESC_F_NEXT};
	for (i = 0; i < nr; i++) {
		prev = d;
		d = take_desc();
		ring.desc[prev].next = d;
		ring.desc[d] = (struct virtq_desc){
			.addr = pa_addr(seg[i].pa),
			.len = seg[i].len,
			.flags = VIRTQ_DESC_F_NEXT | (seg[i].write ? VIRTQ_DESC_F_WRITE : 0)};
	}
	prev = d;
	d = take_desc();
	ring.desc[prev].next = d;
	ring.desc[d] = (struct virtq_desc){
		.addr = pa_addr(pa_of(&r->status)), .len = 1, .flags = VIRTQ_DESC_F_WRITE};
	publish(r);
	spin_unlock(&drv.lock);
	return true;
}

void vdrv_kick(void)
{
	bool any;

	spin_lock(&drv.lock);
	any = drv.queued != 0;
	drv.queued = 0;
	spin_unlock(&drv.lock);
	if (any) {
		arch_mb(); /* the avail index before the notification */
		wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	}
}

/* a finished chain's descriptors back to the free list */
static void release(u16 head)
{
	u16 d = head;

	for (;;) {
		u16 flags = ring.desc[d].flags, next = ring.desc[d].next;

		drv.free[drv.nr_free++] = d;
		if (!(flags & VIRTQ_DESC_F_NEXT))
			return;
		d = next;
	}
}

void vdrv_poll(void)
{
	struct vdrv_req *done[DRV_QSIZE];
	struct {
		void (*fn)(void *arg);
		void *arg;
	} wake[MAX_WAITERS];
	u32 n = 0, nw = 0, i;

	if (!drv.base)
		return;
	spin_lock(&drv.lock);
	wr(VIRTIO_MMIO_INTERRUPT_ACK, rd(VIRTIO_MMIO_INTERRUPT_STATUS));
	while (drv.last_used != *(volatile u16 *)&ring.used.idx && n < DRV_QSIZE) {
		const volatile struct virtq_used_elem *e;
		u32 id;

		arch_mb(); /* the element after the index that published it */
		e = &ring.used.ring[drv.last_used & (drv.num - 1)];
		id = e->id;
		drv.last_used++;
		if (id >= drv.num || !drv.inflight[id])
			panic("disk: the device returned descriptor %u, which is not in flight",
			      id);
		done[n++] = drv.inflight[id];
		drv.inflight[id] = NULL;
		release((u16)id);
	}
	if (n) {
		nw = drv.nr_waiters;
		memcpy(wake, drv.waiter, nw * sizeof(wake[0]));
		drv.nr_waiters = 0;
	}
	spin_unlock(&drv.lock);
	for (i = 0; i < n; i++)
		done[i]->done(done[i]);
	for (i = 0; i < nw; i++)
		wake[i].fn(wake[i].arg);
}

bool vdrv_irq(u32 id)
{
	if (!drv.base || id != drv.irq)
		return false;
	vdrv_poll();
	return true;
}
