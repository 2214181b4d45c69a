/*
 * a guest stub's side of a virtio-mmio device (hyp/vdev/include/virtio.h):
 * bring it up, one split queue per struct vio_q in the stub's own memory,
 * chains added and taken back. enough for the virtio stubs, nothing more.
 */
#ifndef VIO_H
#define VIO_H

#include "stub.h"
#include "virtio.h"
#include "lib.h"
#include "traplog.h"

#define VIO_BASE(slot)	(0x0a000000u + 0x200u * (slot))
#define VIO_IRQ(slot)	(48u + (slot))
#ifndef VIO_QSIZE
#define VIO_QSIZE	16 /* a stub may ask for more, up to a device's maximum */
#endif

static inline u32 vio_read(u32 base, u32 off)
{
	return *(volatile u32 *)(base + off);
}

static inline void vio_write(u32 base, u32 off, u32 v)
{
	*(volatile u32 *)(base + off) = v;
}

static inline void vio_mb(void)
{
	asm volatile("dmb ish" ::: "memory");
}

/* a queue of VIO_QSIZE entries; the used ring 4-aligned, after the rest */
struct vio_q {
	struct virtq_desc desc[VIO_QSIZE];
	struct {
		u16 flags, idx, ring[VIO_QSIZE], used_event;
	} avail;
	u16 pad;
	struct {
		u16 flags, idx;
		struct virtq_used_elem ring[VIO_QSIZE];
		u16 avail_event;
	} used;
	u16 next_free;		/* descriptors are handed out in turn */
	u16 last_used;
} __attribute__((aligned(16)));

/* magic, version 2, device id; then ACKNOWLEDGE, DRIVER; returns the device's features */
static inline u64 vio_probe(u32 base, u32 id)
{
	u64 f;

	if (vio_read(base, VIRTIO_MMIO_MAGIC) != VIRTIO_MMIO_MAGIC_VALUE ||
	    vio_read(base, VIRTIO_MMIO_VERSION) != 2 || vio_read(base, VIRTIO_MMIO_DEVICE_ID) != id)
		return 0;
	vio_write(base, VIRTIO_MMIO_STATUS, 0);
	vio_write(base, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	vio_write(base, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	vio_write(base, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	f = (u64)vio_read(base, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	vio_write(base, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	return f | vio_read(base, VIRTIO_MMIO_DEVICE_FEATURES);
}

/* the features taken; returns whether the device accepted them (FEATURES_OK) */
static inline int vio_features(u32 base, u64 f)
{
	vio_write(base, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	vio_write(base, VIRTIO_MMIO_DRIVER_FEATURES, (u32)(f >> 32));
	vio_write(base, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	vio_write(base, VIRTIO_MMIO_DRIVER_FEATURES, (u32)f);
	vio_write(base, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
		  VIRTIO_STATUS_FEATURES_OK);
	return (vio_read(base, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK) != 0;
}

/* queue n over the addresses given (the stub's own q, or anything, to test) */
static inline void vio_queue_at(u32 base, u32 n, u32 num, u32 desc, u32 avail, u32 used)
{
	vio_write(base, VIRTIO_MMIO_QUEUE_SEL, n);
	vio_write(base, VIRTIO_MMIO_QUEUE_NUM, num);
	vio_write(base, VIRTIO_MMIO_QUEUE_DESC_LOW, desc);
	vio_write(base, VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
	vio_write(base, VIRTIO_MMIO_QUEUE_DRIVER_LOW, avail);
	vio_write(base, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, 0);
	vio_write(base, VIRTIO_MMIO_QUEUE_DEVICE_LOW, used);
	vio_write(base, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, 0);
	vio_write(base, VIRTIO_MMIO_QUEUE_READY, 1);
}

static inline void vio_queue(u32 base, u32 n, struct vio_q *q)
{
	u8 *p = (u8 *)q;
	u32 i;

	for (i = 0; i < sizeof(*q); i++)
		p[i] = 0;
	vio_queue_at(base, n, VIO_QSIZE, (u32)q->desc, (u32)&q->avail, (u32)&q->used);
}

static inline void vio_driver_ok(u32 base)
{
	vio_write(base, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
		  VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

/* one descriptor; chained to the next one handed out when more is set */
static inline u16 vio_desc(struct vio_q *q, const void *buf, u32 len, u16 flags, int more)
{
	u16 d = q->next_free++ % VIO_QSIZE;

	q->desc[d] = (struct virtq_desc){ .addr = (u32)buf, .len = len,
					  .flags = flags | (more ? VIRTQ_DESC_F_NEXT : 0),
					  .next = (u16)((d + 1) % VIO_QSIZE) };
	return d;
}

/* the chain starting at head made available, and the device told */
static inline void vio_kick(u32 base, u32 n, struct vio_q *q, u16 head)
{
	q->avail.ring[q->avail.idx % VIO_QSIZE] = head;
	vio_mb();
	q->avail.idx++;
	vio_mb();
	vio_write(base, VIRTIO_MMIO_QUEUE_NOTIFY, n);
}

/* a used element, if the device has returned one; len < 0 if not */
static inline int vio_used(struct vio_q *q, u32 *len)
{
	u16 idx = *(volatile u16 *)&q->used.idx;
	struct virtq_used_elem e;

	if (idx == q->last_used)
		return -1;
	vio_mb();
	e = q->used.ring[q->last_used++ % VIO_QSIZE];
	if (len)
		*len = e.len;
	return (int)e.id;
}

/* the switch's port with that address, from the trap log ("traplog = all"); NULL if not (yet) there */
static inline const volatile struct traplog_vm *vio_port_vm(const u8 *mac)
{
	const volatile struct traplog *log = (const volatile struct traplog *)TRAPLOG;
	u32 i;

	for (i = 0; i < log->nr_vms; i++)
		if (log->vm[i].net.present && !memcmp((const void *)log->vm[i].net.mac, mac, 6))
			return &log->vm[i];
	return NULL;
}

/* until the VM with that address has sent its first frame (its sign of life) */
static inline void vio_wait_for_life(const u8 *mac)
{
	const volatile struct traplog_vm *v;

	while (!(v = vio_port_vm(mac)) || !v->net.in_frames)
		;
}

#endif
