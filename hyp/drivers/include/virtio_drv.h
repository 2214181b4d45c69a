/*
 * the hypervisor's own driver for the board's virtio-blk device (virtio_drv.c):
 * the one disk every VM's virtual disk is a range of. its ring lives in
 * hypervisor memory no guest can reach; guests' data buffers go to it
 * directly, by physical address, after virtio_blk.c has checked them.
 */
#ifndef VIRTIO_DRV_H
#define VIRTIO_DRV_H

#include "types.h"
#include "virtio.h"

struct virtq_seg;

/* one request to the board's disk; header and status stay in hypervisor memory */
struct vdrv_req {
	struct virtio_blk_outhdr hdr;
	u8 status;			  /* the device writes it */
	u16 head;			  /* its first descriptor while in flight */
	void (*done)(struct vdrv_req *r); /* called once, with no lock held */
};

/* the board's description (a device tree, or NULL): its slots; the disk, brought up */
void vdrv_init(const void *fdt);
/* for a driver of another device (virtio_uplink.c): find it, take features, a queue */
uintptr_t vdrv_find(u32 device_id, const char *what, u32 *irq);
const char *vdrv_negotiate(uintptr_t base, u64 *features);
u32 vdrv_queue(uintptr_t base, u32 q, u32 num, const void *desc, const void *avail,
	       const void *used);
bool vdrv_present(void);
u64 vdrv_sectors(void); /* its size in 512-byte sectors */
bool vdrv_has_flush(void);
u32 vdrv_max_segs(void); /* data segments a request may have */
u32 vdrv_slots(void);	 /* requests of the most segments its ring holds at once */

/*
 * queue r with its data segments (host physical, already checked), at most
 * vdrv_max_segs(): false if the ring has no room now, and room(arg) is called
 * once it has; vdrv_kick() tells the device about what was queued
 */
bool vdrv_submit(struct vdrv_req *r, const struct virtq_seg *seg, u32 nr, void (*room)(void *arg),
		 void *arg);
void vdrv_kick(void);
/* finished requests: their done() is called; from the interrupt, or to drain */
void vdrv_poll(void);
/* the disk's interrupt, for irq.c: true if it was this one */
bool vdrv_irq(u32 id);

#endif
