/*
 * a VM's disk (virtio 1.2, 5.2): a range of the board's disk, which
 * virtio_drv.c drives. a request's data buffers, checked inside the VM's RAM
 * by virtq_pop, go to the board's device as they are, by physical address:
 * no copy. its header is rewritten in hypervisor memory (the sector moved
 * into the VM's range) and its status comes back through hypervisor memory.
 * requests of every VM share the board's queue; each VM's completions reach
 * its own used ring. a VM has at most its share of the board's ring in
 * flight (the ring's requests over the VMs with a disk, VBLK_REQS at most)
 * and VBLK_BYTES of data, or one request alone if larger: its other
 * requests wait in its own ring, so a flood costs the others no more. outside its range: IOERR; types other than read, write,
 * flush and get-id: UNSUPP. a reset waits for the VM's requests in flight,
 * so none writes into memory the guest has been given back.
 */
#include "atomic.h"
#include "console.h"
#include "lib.h"
#include "vm.h"
#include "virtio_drv.h"
#include "virtio_mmio.h"


static u32 nr_disks; /* VMs with a disk: they share the board's ring */

static u32 vblk_config(struct virtio_dev *d, u32 off, u32 width)
{
	struct vblk *vb = d->priv;
	struct virtio_blk_config cfg = {
		.capacity = vb->sectors,
		.seg_max = vdrv_max_segs() < VBLK_SEG_MAX ? vdrv_max_segs() : VBLK_SEG_MAX,
		.blk_size = VIRTIO_BLK_SECTOR,
	};
	u32 v = 0;

	if (off + width <= sizeof(cfg))
		memcpy(&v, (const u8 *)&cfg + off, width);
	return v;
}

/* the guest's status byte, then its used ring; true: the request is answered */
static bool finish(struct vblk *vb, u16 head, paddr_t status, u8 st, u32 written)
{
	*(volatile u8 *)pa_ptr(status) = st;
	virtq_push(vb->dev, 0, head, written);
	return true;
}

/* len bytes of the chain's buffers one way, from byte off, as segments in vb->data */
static u32 slice(struct vblk *vb, bool write, u64 off, u64 len)
{
	const struct virtq_chain *c = &vb->chain;
	u32 i, n = 0;

	for (i = 0; i < c->nr && len; i++) {
		const struct virtq_seg *s = &c->seg[i];
		u32 k;

		if (s->write != write)
			continue;
		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		k = s->len - off < len ? s->len - (u32)off : (u32)len;
		vb->data[n++] =
			(struct virtq_seg){.pa = pa_add(s->pa, off), .len = k, .write = write};
		len -= k;
		off = 0;
	}
	return n;
}

static struct vblk_req *req_get(struct vblk *vb)
{
	u32 i;

	for (i = 0; i < VBLK_REQS; i++)
		if (!load_acquire(&vb->req[i].busy))
			return &vb->req[i];
	return NULL;
}

static void req_put(struct vblk *vb, struct vblk_req *r)
{
	atomic_sub(&vb->bytes, r->bytes);
	store_release(&r->busy, 0);
	atomic_sub(&vb->inflight, 1);
}

/*
 * whether the VM may have one more request of bytes in flight: its share of
 * the board's ring, VBLK_BYTES (or the one request alone). when not, its own
 * completions start it (vblk_done)
 */
static bool fair(struct vblk *vb, u32 bytes)
{
	u32 share = vdrv_slots() / (nr_disks ? nr_disks : 1), n;

	share = share < 1 ? 1 : share > VBLK_REQS ? VBLK_REQS : share;
	n = load_acquire(&vb->inflight);
	return !n || (n < share && load_acquire(&vb->bytes) + bytes <= VBLK_BYTES);
}

/* a request came back from the board's disk (vdrv_poll; no lock held) */
static void vblk_done(struct vdrv_req *p)
{
	struct vblk_req *r = (struct vblk_req *)p;
	struct vblk *vb = r->vb;

	if (r->gen != load_acquire(&vb->gen)) {
		req_put(vb, r); /* its device was reset meanwhile: the guest forgot it */
		return;
	}
	spin_lock(&vb->dev->lock);
	if (r->gen == vb->gen)
		finish(vb, r->head, r->status, p->status, p->status ? 1 : r->written);
	req_put(vb, r);
	if (vb->held && !vb->resetting)
		virtq_pass(vb->dev, 0); /* on whichever cpu took the interrupt: one pass */
	spin_unlock(&vb->dev->lock);
}

/* the board's ring has room again */
static void vblk_room(void *arg)
{
	struct vblk *vb = arg;

	spin_lock(&vb->dev->lock);
	if (vb->held && !vb->resetting)
		virtq_pass(vb->dev, 0);
	spin_unlock(&vb->dev->lock);
}

/* a read, write or flush of bytes to the board's disk; false: it waits for room */
static bool submit(struct vblk *vb, const struct virtio_blk_outhdr *h, u32 nr, u32 bytes,
		   u32 written, paddr_t status)
{
	struct vblk_req *r;

	if (!fair(vb, bytes))
		return false;
	r = req_get(vb);
	if (!r)
		return false;
	r->phys.hdr = (struct virtio_blk_outhdr){.type = h->type, .sector = vb->start + h->sector};
	r->phys.done = vblk_done;
	r->vb = vb;
	r->gen = vb->gen;
	r->head = vb->chain.head;
	r->written = written;
	r->bytes = bytes;
	r->status = status;
	r->busy = 1;
	atomic_add(&vb->bytes, bytes);
	atomic_add(&vb->inflight, 1);
	if (vdrv_submit(&r->phys, vb->data, nr, vblk_room, vb))
		return true;
	req_put(vb, r);
	return false;
}

/* the request in vb->chain: started, answered, or left waiting (false) */
static bool start(struct vblk *vb)
{
	const struct virtq_chain *c = &vb->chain;
	struct virtio_blk_outhdr h;
	paddr_t status = pa_init(0);
	u64 len;
	u32 i, nr;

	for (i = c->nr; i-- > 0;) /* the last byte of the last writable buffer */
		if (c->seg[i].write) {
			status = pa_add(c->seg[i].pa, c->seg[i].len - 1);
			break;
		}
	if (!c->in_len) {
		virtio_fail(vb->dev, "request %u has no byte for its status", c->head);
		return true;
	}
	if (c->out_len < sizeof(h) || virtio_copy_from_chain(c, 0, &h, sizeof(h)) != sizeof(h))
		return finish(vb, c->head, status, VIRTIO_BLK_S_IOERR, 1);
	switch (h.type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT:
		len = h.type == VIRTIO_BLK_T_IN ? c->in_len - 1 : c->out_len - sizeof(h);
		nr = h.type == VIRTIO_BLK_T_IN ? slice(vb, true, 0, len)
					       : slice(vb, false, sizeof(h), len);
		if (!len || len % VIRTIO_BLK_SECTOR || nr > vdrv_max_segs() ||
		    h.sector > vb->sectors || len / VIRTIO_BLK_SECTOR > vb->sectors - h.sector)
			return finish(vb, c->head, status, VIRTIO_BLK_S_IOERR, 1);
		return submit(vb, &h, nr, (u32)len, h.type == VIRTIO_BLK_T_IN ? (u32)len + 1 : 1,
			      status);
	case VIRTIO_BLK_T_FLUSH:
		if (vdrv_has_flush())
			return submit(vb, &h, 0, 0, 1, status);
		return finish(vb, c->head, status, VIRTIO_BLK_S_OK, 1);
	case VIRTIO_BLK_T_GET_ID:
		len = c->in_len - 1 < VIRTIO_BLK_ID_BYTES ? c->in_len - 1 : VIRTIO_BLK_ID_BYTES;
		virtio_copy_to_chain(c, 0, vb->id, (u32)len);
		return finish(vb, c->head, status, VIRTIO_BLK_S_OK, (u32)len + 1);
	}
	return finish(vb, c->head, status, VIRTIO_BLK_S_UNSUPP, 1);
}

/*
 * the guest's requests, while there is room on the board's disk for them and
 * the pass (virtq_pass) lasts: requests answered at once (IOERR) count too
 */
static void process(struct vblk *vb)
{
	for (;;) {
		if (!vb->held && virtq_pop(vb->dev, 0, &vb->chain) <= 0)
			break;
		vb->held = !start(vb);
		if (vb->held)
			break;
	}
	vdrv_kick();
}

static void vblk_notify(struct virtio_dev *d, u32 q)
{
	struct vblk *vb = d->priv;

	if (q == 0 && !vb->resetting)
		process(vb);
}

/*
 * the guest may reuse its buffers once the reset is done: wait for its
 * requests in flight, with the device's lock let go (their completions
 * take it), and no new ones started meanwhile
 */
static void vblk_reset(struct virtio_dev *d)
{
	struct vblk *vb = d->priv;

	vb->held = false;
	atomic_add(&vb->gen, 1);
	if (!load_acquire(&vb->inflight) || vb->resetting)
		return;
	vb->resetting = true;
	spin_unlock(&d->lock);
	while (load_acquire(&vb->inflight))
		vdrv_poll();
	spin_lock(&d->lock);
	vb->resetting = false;
}

static const struct virtio_backend vblk_backend = {
	.name = "vblk",
	.device_id = VIRTIO_ID_BLOCK,
	.nr_queues = 1,
	.queue_max = 128,
	.features = 1ull << VIRTIO_BLK_F_SEG_MAX | 1ull << VIRTIO_BLK_F_BLK_SIZE |
		    1ull << VIRTIO_BLK_F_FLUSH,
	.config_read = vblk_config,
	.notify = vblk_notify,
	.reset = vblk_reset,
};

/* a disk with nothing behind it: device id 0, an empty slot to the guest (4.2.3.1.1) */
static const struct virtio_backend vblk_absent = {
	.name = "vblk",
	.device_id = 0,
};

void vblk_attach(struct vm *vm, u32 slot, u64 start, u64 size)
{
	struct vblk *vb = &vm->virtio.blk;
	u64 end = start + size, board = vdrv_sectors() * VIRTIO_BLK_SECTOR;
	u32 i;

	*vb = (struct vblk){.start = start / VIRTIO_BLK_SECTOR,
			    .sectors = size / VIRTIO_BLK_SECTOR};
	for (i = 0; i < VBLK_REQS; i++)
		vb->req[i].vb = vb;
	for (i = 0; i < sizeof(vb->id) && vm->name[i]; i++)
		vb->id[i] = vm->name[i];
	if (!vdrv_present() || end > board) {
		log_info("vm %u (%s): its disk, %llu MiB at %llu MiB, %s: left out\n", vm->id,
			 vm->name, size / MiB, start / MiB,
			 vdrv_present()
				 ? "lies beyond the board's disk"
				 : "needs a disk on the board (qemu -device virtio-blk-device)");
		vb->dev = virtio_attach(vm, slot, &vblk_absent, vb);
		return;
	}
	vb->dev = virtio_attach(vm, slot, &vblk_backend, vb);
	nr_disks++;
}
