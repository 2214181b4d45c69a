/*
 * the virtio console (virtio 1.2, 5.3) a VM may have, its hvc0: one port,
 * no multiport, no size. what the guest transmits goes to the hypervisor's
 * console a line at a time with the VM's [name] prefix, exactly as the
 * PL011's output does (vuart.c); keyboard input goes to it instead of the
 * PL011 once the guest has written to it (its kernel's console is hvc0).
 *
 * linux spins on the transmit queue until each buffer comes back, so it is
 * answered within the QueueNotify trap, and its notification is deferred
 * (virtq_push): most boot-time writes then cost one exit each.
 */
#include "console.h"
#include "guest_line.h"
#include "lib.h"
#include "vm.h"
#include "virtio_mmio.h"

#define RX_FIFO GUEST_KEYS
#define TX_MAX	4096 /* bytes printed of one buffer chain (linux sends a page at most) */


/*
 * the buffers the driver has made available for transmission, as many as
 * the pass takes (VIRTQ_BATCH) while it has printed less than TX_MAX bytes:
 * at most 2 * TX_MAX - 1 bytes a pass, the rest in a later one
 */
static void transmit(struct virtio_dev *d, struct vcon *c)
{
	u32 i, k, left, printed = 0;

	while (printed < TX_MAX && virtq_pop(d, VIRTIO_CONSOLE_TX, &c->chain) > 0) {
		for (i = 0, left = TX_MAX; i < c->chain.nr; i++) {
			const struct virtq_seg *s = &c->chain.seg[i];
			const volatile char *p = pa_ptr(s->pa);

			if (s->write)
				continue;
			for (k = 0; k < s->len && left; k++, left--)
				guest_line_put(d->vm, c->line, &c->line_len, p[k]);
		}
		printed += TX_MAX - left;
		c->has_input = true;
		virtq_push(d, VIRTIO_CONSOLE_TX, c->chain.head, 0);
	}
	if (printed >= TX_MAX)
		virtq_more(d, VIRTIO_CONSOLE_TX);
}

/* typed bytes into the driver's receive buffers, while both last */
static void receive(struct virtio_dev *d, struct vcon *c)
{
	u32 n, first, got;

	while (c->rx_count && virtq_pop(d, VIRTIO_CONSOLE_RX, &c->chain) > 0) {
		n = c->rx_count < c->chain.in_len ? c->rx_count : (u32)c->chain.in_len;
		first = n < RX_FIFO - c->rx_head ? n : RX_FIFO - c->rx_head; /* to the ring's end */
		got = virtio_copy_to_chain(&c->chain, 0, c->rx + c->rx_head, first);
		if (got == first && n > first)
			got += virtio_copy_to_chain(&c->chain, first, c->rx, n - first);
		c->rx_head = (c->rx_head + got) % RX_FIFO;
		c->rx_count -= got;
		virtq_push(d, VIRTIO_CONSOLE_RX, c->chain.head, got);
	}
}

static void vcon_notify(struct virtio_dev *d, u32 q)
{
	struct vcon *c = d->priv;

	if (q == VIRTIO_CONSOLE_TX)
		transmit(d, c);
	else
		receive(d, c);
}

static void vcon_reset(struct virtio_dev *d)
{
	struct vcon *c = d->priv;

	if (c->line_len) /* the line ends with the driver */
		guest_line_emit(d->vm, c->line, &c->line_len, true);
	c->has_input = false;
}

static const struct virtio_backend vcon_backend = {
	.name = "vcon",
	.device_id = VIRTIO_ID_CONSOLE,
	.nr_queues = 2,
	.queue_max = 64,
	.defer_queues = 1u << VIRTIO_CONSOLE_TX,
	.notify = vcon_notify,
	.reset = vcon_reset,
};

void vcon_attach(struct vm *vm, u32 slot)
{
	struct vcon *c = &vm->virtio.con;

	*c = (struct vcon){0};
	c->dev = virtio_attach(vm, slot, &vcon_backend, c);
}

bool vcon_has_input(struct vm *vm)
{
	struct vcon *c = &vm->virtio.con;

	return c->dev && c->has_input && virtio_driver_ok(c->dev);
}

/*
 * a key for hvc0; false when the fifo is full and the key is dropped
 * (console.c counts it): room looked at and taken under the device's lock,
 * which the driver's notify takes too.
 */
bool vcon_rx(struct vm *vm, char ch)
{
	struct vcon *c = &vm->virtio.con;
	bool room;

	spin_lock(&c->dev->lock);
	room = c->rx_count < RX_FIFO;
	if (room)
		c->rx[(c->rx_head + c->rx_count++) % RX_FIFO] = ch;
	/* a pass, bounded as a kick's is: empty buffers recycled by another vcpu end it too */
	virtq_pass(c->dev, VIRTIO_CONSOLE_RX);
	spin_unlock(&c->dev->lock);
	return room;
}

/* the VM waits: a line it left unfinished (a prompt) goes out */
void vcon_flush(struct vm *vm)
{
	struct vcon *c = &vm->virtio.con;

	if (!c->dev)
		return;
	spin_lock(&c->dev->lock);
	if (c->line_len)
		guest_line_emit(vm, c->line, &c->line_len, false);
	spin_unlock(&c->dev->lock);
}
