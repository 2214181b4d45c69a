/*
 * the switch's uplink (netsw.c): the board's own virtio-net card, found and
 * brought up as the board's disk is (virtio_drv.c), e.g. QEMU's
 * -device virtio-net-device on a user network. two queues in hypervisor
 * memory no guest can reach, each descriptor with a buffer of its own:
 * receive buffers all made available and given back as soon as the switch
 * has copied their frame into the VMs; transmit buffers a frame from a VM is
 * copied into, taken back when the card has sent them (no interrupt asked:
 * they are looked at when the next frame wants one). no merged buffers, no
 * offloads: a frame and its 12-byte header always fit one buffer.
 */
#include "console.h"
#include "irq.h"
#include "lib.h"
#include "mmio.h"
#include "netsw.h"
#include "percpu.h"
#include "spinlock.h"
#include "virtio_drv.h"
#include "virtio_mmio.h"
#include "vm.h"

#define UP_QSIZE     64
#define UP_BUF	     1536
#define UP_RX_BUDGET 16 /* frames a receive pass takes */
_Static_assert(UP_BUF >= sizeof(struct virtio_net_hdr) + ETH_FRAME_MAX, "a frame a buffer");

struct up_queue {
	struct virtq_desc desc[UP_QSIZE] __attribute__((aligned(16)));
	struct {
		u16 flags, idx, ring[UP_QSIZE];
	} avail;
	struct {
		u16 flags, idx;
		struct virtq_used_elem ring[UP_QSIZE];
	} used __attribute__((aligned(4)));
	u8 buf[UP_QSIZE][UP_BUF] __attribute__((aligned(64)));
	u16 last_used;
	u16 nr_free, free[UP_QSIZE]; /* transmit buffers not in use */
	u16 queued;		     /* made available since the last notification */
	u8 owner[UP_QSIZE];	     /* transmit: the port whose frame a buffer holds */
	bool busy[UP_QSIZE];	     /* transmit: in the card's hands */
};

static struct {
	spinlock_t rx_lock, tx_lock; /* rx_lock before a VM's card's; tx_lock after */
	uintptr_t base;		     /* 0: no card */
	u32 irq, num;
	struct up_queue q[2];	/* VIRTIO_NET_RX, VIRTIO_NET_TX */
	u32 share;		/* transmit buffers a port may hold; 0: not counted yet */
	u16 held[VM_MAX];	/* transmit buffers each VM port holds (tx_lock) */
	volatile bool deferred; /* received frames wait for uplink_poll */
} up;

static void make_available(struct up_queue *q, u16 d)
{
	q->avail.ring[q->avail.idx & (up.num - 1)] = d;
	arch_mb(); /* the entry before the index that publishes it */
	q->avail.idx++;
	q->queued++;
}

static void notify(u32 qn)
{
	arch_mb(); /* the avail index before the notification */
	mmio_write32(up.base + VIRTIO_MMIO_QUEUE_NOTIFY, qn);
}

static const char *bring_up(u64 *features)
{
	const char *why = vdrv_negotiate(up.base, features);
	u32 qn, i;

	for (qn = 0; !why && qn < 2; qn++) {
		struct up_queue *q = &up.q[qn];

		up.num = vdrv_queue(up.base, qn, up.num, q->desc, &q->avail, &q->used);
		if (!up.num)
			return "no usable queue";
		for (i = 0; i < up.num; i++)
			q->desc[i] = (struct virtq_desc){
				.addr = pa_addr(pa_of(q->buf[i])),
				.len = qn == VIRTIO_NET_RX ? UP_BUF : 0,
				.flags = qn == VIRTIO_NET_RX ? VIRTQ_DESC_F_WRITE : 0};
	}
	if (why)
		return why;
	for (i = 0; i < up.num; i++) {
		make_available(&up.q[VIRTIO_NET_RX], (u16)i);
		up.q[VIRTIO_NET_TX].free[i] = (u16)i;
	}
	up.q[VIRTIO_NET_TX].nr_free = (u16)up.num;
	up.q[VIRTIO_NET_TX].avail.flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	mmio_write32(up.base + VIRTIO_MMIO_STATUS,
		     VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
			     VIRTIO_STATUS_DRIVER_OK);
	notify(VIRTIO_NET_RX);
	return NULL;
}

void uplink_init(void)
{
	u64 features = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_NET_F_MAC;
	u8 *mac = traplog.uplink.mac;
	const char *why;
	u32 i;

	up.base = vdrv_find(VIRTIO_ID_NET, "net", &up.irq);
	if (!up.base)
		return;
	up.num = UP_QSIZE;
	why = bring_up(&features);
	if (why) {
		log_info("net: the virtio-net device at %#x: %s: not used\n", (u32)up.base, why);
		mmio_write32(up.base + VIRTIO_MMIO_STATUS, VIRTIO_STATUS_FAILED);
		up.base = 0;
		return;
	}
	for (i = 0; i < 6 && features >> VIRTIO_NET_F_MAC & 1; i++)
		mac[i] = (u8)mmio_read32(up.base + VIRTIO_MMIO_CONFIG + VIRTIO_NET_CFG_MAC + i);
	traplog.uplink.present = 1;
	arch_gic_enable_irq(up.irq);
	log_info("net: virtio-net at %#x (irq %u), mac %02x:%02x:%02x:%02x:%02x:%02x\n",
		 (u32)up.base, up.irq, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/* transmit buffers the card is done with, back to the free list; under tx_lock */
static void reclaim(struct up_queue *q)
{
	while (q->last_used != *(volatile u16 *)&q->used.idx) {
		u32 id;

		arch_mb(); /* the element after the index that published it */
		id = q->used.ring[q->last_used++ & (up.num - 1)].id;
		if (id < up.num && q->busy[id]) { /* (a card's second return of it ignored) */
			q->busy[id] = false;
			up.held[q->owner[id]]--;
			q->free[q->nr_free++] = (u16)id;
		}
	}
}

/* a port's share of the transmit buffers: the ring over the VM ports */
static u32 share(void)
{
	u32 p, ports = 0;

	if (!up.share) {
		for (p = 0; p < nr_vms; p++)
			ports += vms[p].log->net.present;
		up.share = up.num / (ports ? ports : 1);
	}
	return up.share;
}

void uplink_send(u32 from, const u8 *frame, u32 len)
{
	struct up_queue *q = &up.q[VIRTIO_NET_TX];
	const u32 hdr = sizeof(struct virtio_net_hdr);
	u16 d;

	spin_lock(&up.tx_lock);
	reclaim(q);
	if (from >= nr_vms || !q->nr_free || up.held[from] >= share()) {
		traplog_inc(&traplog.uplink.drop_full); /* no room, or none of from's share */
	} else {
		d = q->free[--q->nr_free];
		q->busy[d] = true;
		q->owner[d] = (u8)from;
		up.held[from]++;
		memset(q->buf[d], 0, hdr);
		memcpy(q->buf[d] + hdr, frame, len);
		q->desc[d].len = hdr + len;
		make_available(q, d);
		traplog_inc(&traplog.uplink.out_frames);
		traplog_add(&traplog.uplink.out_bytes, len);
	}
	spin_unlock(&up.tx_lock);
}

void uplink_kick(void)
{
	u16 queued;

	if (!up.base)
		return;
	spin_lock(&up.tx_lock);
	queued = up.q[VIRTIO_NET_TX].queued;
	up.q[VIRTIO_NET_TX].queued = 0;
	spin_unlock(&up.tx_lock);
	if (queued)
		notify(VIRTIO_NET_TX);
}

/*
 * at most UP_RX_BUDGET received frames to the switch, their buffers made
 * available again; under rx_lock. returns whether more are waiting.
 */
static bool rx_pass(struct up_queue *q)
{
	const u32 hdr = sizeof(struct virtio_net_hdr);
	u32 n;

	for (n = 0; n < UP_RX_BUDGET; n++) {
		struct virtq_used_elem e;

		if (q->last_used == *(volatile u16 *)&q->used.idx)
			return false;
		arch_mb(); /* the element after the index that published it */
		e = q->used.ring[q->last_used++ & (up.num - 1)];
		if (e.id >= up.num)
			continue;
		/* the card's buffer, ours: no one rewrites it while the switch reads it */
		e.len = e.len < hdr ? hdr : e.len > UP_BUF ? UP_BUF : e.len;
		netsw_input(NETSW_UPLINK, q->buf[e.id] + hdr, e.len - hdr);
		make_available(q, (u16)e.id);
	}
	return q->last_used != *(volatile u16 *)&q->used.idx;
}

/* a pass; with frames left, the card's interrupt off until uplink_poll has taken them */
static void rx_run(void)
{
	struct up_queue *q = &up.q[VIRTIO_NET_RX];
	bool more, any;

	spin_lock(&up.rx_lock);
	more = rx_pass(q);
	if (!more && up.deferred) {
		q->avail.flags = 0;
		arch_mb(); /* the flag before the last look (virtio 1.2, 2.7.7.2) */
		more = q->last_used != *(volatile u16 *)&q->used.idx;
	}
	if (more)
		q->avail.flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	up.deferred = more;
	any = q->queued;
	q->queued = 0;
	spin_unlock(&up.rx_lock);
	if (any)
		notify(VIRTIO_NET_RX);
}

bool uplink_irq(u32 id)
{
	if (!up.base || id != up.irq)
		return false;
	mmio_write32(up.base + VIRTIO_MMIO_INTERRUPT_ACK,
		     mmio_read32(up.base + VIRTIO_MMIO_INTERRUPT_STATUS));
	rx_run();
	return true;
}

void uplink_poll(void)
{
	if (up.deferred)
		rx_run();
}
