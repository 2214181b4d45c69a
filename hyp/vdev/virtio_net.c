/*
 * a VM's network card (virtio 1.2, 5.1): one receive and one transmit queue,
 * the address (VIRTIO_NET_F_MAC) from its manifest, the link always up
 * (VIRTIO_NET_F_STATUS); no offloads, no merged receive buffers, so every
 * frame, at most ETH_FRAME_MAX bytes, fits one of linux's receive buffers
 * behind its 12-byte header. its port on the switch is netsw.c's.
 *
 * transmit: within the QueueNotify trap, each frame is copied once out of
 * the guest's buffers into the card's own (at most ETH_FRAME_MAX bytes: one
 * copy more than forwarding from the guest's RAM, and the only one a guest
 * could race), and that copy goes to the switch, with the card's lock let go
 * (the switch takes the receivers' locks, and a receiver may be sending to
 * this VM meanwhile). tx_busy keeps the queue to
 * one vcpu at a time, and a reset waits for it, so no frame is read from
 * memory the guest has been given back, nor returned to a ring set up anew.
 * its notifications are deferred, as the console's: linux reclaims sent
 * buffers when it next sends. receive: a frame takes the next buffer the
 * driver made available, or is dropped and counted: nothing waits.
 */
#include "images.h"
#include "atomic.h"
#include "lib.h"
#include "netsw.h"
#include "vm.h"
#include "virtio_mmio.h"


static u32 vnet_config(struct virtio_dev *d, u32 off, u32 width)
{
	u8 cfg[8] = {[VIRTIO_NET_CFG_STATUS] = VIRTIO_NET_S_LINK_UP};
	u32 v = 0;

	memcpy(cfg + VIRTIO_NET_CFG_MAC, d->vm->log->net.mac, 6);
	if (off + width <= sizeof(cfg))
		memcpy(&v, cfg + off, width);
	return v;
}

/* one receive chain, the frame in it whole, or none: on the sender's cpu */
void vnet_deliver(struct vm *vm, const u8 *frame, u32 len)
{
	struct vnet *n = &vm->virtio.net;
	struct traplog_net *l = &vm->log->net;
	struct virtio_net_hdr h = {.num_buffers = 1};
	bool ok = false;

	spin_lock(&n->dev->lock);
	if (virtq_pop(n->dev, VIRTIO_NET_RX, &n->rx) > 0) {
		/* a buffer too small is given back empty: the frame is not cut */
		ok = n->rx.in_len >= sizeof(h) + len;
		if (ok) {
			virtio_copy_to_chain(&n->rx, 0, &h, sizeof(h));
			virtio_copy_to_chain(&n->rx, sizeof(h), frame, len);
		}
		virtq_push(n->dev, VIRTIO_NET_RX, n->rx.head, ok ? sizeof(h) + len : 0);
	}
	if (ok) {
		traplog_inc(&l->out_frames);
		traplog_add(&l->out_bytes, len);
	} else {
		traplog_inc(&l->drop_full);
	}
	spin_unlock(&n->dev->lock);
}

/* every frame the driver has made available, to the switch; under d->lock */
static void transmit(struct virtio_dev *d, struct vnet *n)
{
	const u32 hdr = sizeof(struct virtio_net_hdr);
	u32 gen, len;

	if (n->tx_busy)
		return; /* that vcpu takes these frames too */
	atomic_write(&n->tx_busy, 1);
	while (!n->resetting && virtq_pop(d, VIRTIO_NET_TX, &n->tx) > 0) {
		gen = n->gen;
		/* the header asks for nothing that was not offered: only the frame counts */
		len = n->tx.out_len > hdr ? n->tx.out_len - hdr : 0;
		spin_unlock(&d->lock);
		/* copied once, before any check; a frame too long is not copied, but counted bad */
		virtio_copy_from_chain(&n->tx, hdr, n->frame, len <= ETH_FRAME_MAX ? len : 0);
		netsw_input(d->vm->id, n->frame, len);
		spin_lock(&d->lock);
		if (gen == n->gen)
			virtq_push(d, VIRTIO_NET_TX, n->tx.head, 0);
	}
	store_release(&n->tx_busy, 0);
	uplink_kick();
}

static void vnet_notify(struct virtio_dev *d, u32 q)
{
	/* receive buffers just wait for frames */
	if (q == VIRTIO_NET_TX)
		transmit(d, d->priv);
}

static void vnet_reset(struct virtio_dev *d)
{
	struct vnet *n = d->priv;

	n->gen++;
	if (!n->tx_busy || n->resetting)
		return;
	n->resetting = true;
	spin_unlock(&d->lock);
	while (load_acquire(&n->tx_busy))
		arch_cpu_relax();
	spin_lock(&d->lock);
	n->resetting = false;
}

static const struct virtio_backend vnet_backend = {
	.name = "vnet",
	.device_id = VIRTIO_ID_NET,
	.nr_queues = 2,
	.queue_max = 256,
	.features = 1ull << VIRTIO_NET_F_MAC | 1ull << VIRTIO_NET_F_STATUS,
	.defer_queues = 1u << VIRTIO_NET_TX,
	.config_read = vnet_config,
	.notify = vnet_notify,
	.reset = vnet_reset,
};

void vnet_attach(struct vm *vm, u32 slot)
{
	const struct guest_image *img = vm->image;
	struct traplog_net *l = &vm->log->net;
	struct vnet *n = &vm->virtio.net;
	u32 i;

	*n = (struct vnet){0};
	for (i = 0; i < 6; i++)
		l->mac[i] = (u8)(i < 2 ? img->mac_hi >> (8 - 8 * i) : img->mac_lo >> (40 - 8 * i));
	l->present = 1;
	n->dev = virtio_attach(vm, slot, &vnet_backend, n);
}
