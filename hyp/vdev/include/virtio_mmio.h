/*
 * virtio-mmio devices that VMs see (virtio_mmio.c): the transport, and what
 * a device behind it (virtio_console.c, virtio_blk.c, virtio_net.c) gives
 * and gets.
 *
 * a VM's device n sits at GUEST_VIRTIO_IPA + 0x200 * n with SPI 16 + n.
 * every address the guest gives is an ipa, made a pa only by vm_ipa_to_pa
 * (its whole length inside the VM's RAM), and each descriptor is read once
 * into hypervisor memory: a device works on that copy (struct virtq_chain),
 * never on the guest's ring.
 */
#ifndef VIRTIO_MMIO_H
#define VIRTIO_MMIO_H

#include "types.h"
#include "addr.h"
#include "spinlock.h"
#include "virtio.h"
#include "virtio_drv.h"
#include "guest_line.h"
#include "traplog_inc.h"

struct vm;
struct vcpu;
struct virtio_dev;

#define VIRTIO_MAX_QUEUES TRAPLOG_NR_QUEUES /* per device */
#define VIRTIO_MAX_DEVS	  3		    /* per VM */
#define VIRTQ_MAX_CHAIN	  128		    /* descriptors in one request */
#define VIRTQ_BATCH	  16		    /* chains one pass over a queue takes */
#define VIRTQ_NOTIFY	  256		    /* chains the pass of a guest's notify takes */
#define VIRTQ_FILL	  1		    /* ram blocks it may zero (a first touch) */

/* one segment of a request: where it is (a host physical address) and which way */
struct virtq_seg {
	paddr_t pa;
	u32 len;
	bool write; /* device-writable */
};

/* a request taken from the available ring, checked */
struct virtq_chain {
	u16 head; /* its id, for the used ring */
	u16 nr;
	u32 in_len, out_len; /* device-writable and readable bytes */
	struct virtq_seg seg[VIRTQ_MAX_CHAIN];
};

/* a device type behind the transport */
struct virtio_backend {
	const char *name; /* its name in the trap log, at most 7 characters */
	u32 device_id;
	u32 nr_queues;
	u32 queue_max;	  /* QueueNumMax, a power of two */
	u64 features;	  /* offered, beside VERSION_1, EVENT_IDX, INDIRECT_DESC */
	u32 defer_queues; /* queues whose notifications wait (see virtq_push) */
	/* a read of its configuration space; the transport checks width and alignment */
	u32 (*config_read)(struct virtio_dev *d, u32 off, u32 width);
	/* the driver made buffers available on q (QueueNotify, or DRIVER_OK) */
	void (*notify)(struct virtio_dev *d, u32 q);
	/* the device was reset by its driver, or its VM was */
	void (*reset)(struct virtio_dev *d);
};

/* a queue as the driver set it up */
struct virtq {
	u32 num; /* QueueNum */
	bool ready;
	ipaddr_t desc_ipa, avail_ipa, used_ipa; /* as written: checked at QueueReady */
	/* once ready: checked, translated */
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	volatile u16 *used_event, *avail_event; /* after the rings (EVENT_IDX) */
	u16 last_avail;				/* the next available entry to take */
	u16 used_idx;				/* the used index: ours, never read back */
	u16 signalled;				/* used_idx at the last notification */
	bool pending;				/* a deferred notification */
	u16 passes;				/* passes under way (virtq_pass) */
	u16 batch;				/* chains they may still take */
	u32 fill;				/* ram blocks they may still zero */
	bool more;				/* one stopped with chains left */
};

/* a VM's device: covered by lock, and the backend's notify and reset run with it */
struct virtio_dev {
	spinlock_t lock;
	struct vm *vm;
	const struct virtio_backend *be;
	void *priv;  /* the backend's state */
	u32 slot;    /* n: ipa, irq */
	u32 log_row; /* its row in the VM's mmio counters */
	u32 status;
	u32 dev_features_sel, drv_features_sel;
	u64 driver_features;
	u32 queue_sel;
	u32 isr; /* InterruptStatus */
	u32 config_generation;
	bool logged;  /* its first mistake was logged (until reset) */
	u32 mistakes; /* bad rings and bad register use, counted */
	struct virtq vq[VIRTIO_MAX_QUEUES];
};

/*
 * each backend's state, one of each a VM may have (struct vm_virtio); the
 * backend's own file works on it
 */

/* virtio_console.c */
struct vcon {
	struct virtio_dev *dev;
	bool has_input; /* the guest has written to it since its reset */
	char line[VUART_LINE + 1];
	u32 line_len;
	char rx[GUEST_KEYS]; /* typed, not yet in a receive buffer */
	u32 rx_head, rx_count;
	struct virtq_chain chain;
};

/* virtio_blk.c */
#define VBLK_REQS    32			   /* a VM's requests in flight on the board's disk */
#define VBLK_BYTES   (2u * MiB)		   /* and their data (linux sends 1.25 MiB at most) */
#define VBLK_SEG_MAX (VIRTQ_MAX_CHAIN - 2) /* a request's data segments, offered */

struct vblk;

struct vblk_req {
	struct vdrv_req phys; /* first: the driver hands it back */
	struct vblk *vb;
	u32 gen;	/* the device's reset count when it left */
	u16 head;	/* the guest's chain */
	u32 written;	/* bytes of the guest's buffers it fills, status too */
	u32 bytes;	/* of data, read or written */
	paddr_t status; /* where the guest wants the status byte */
	u32 busy;
};

struct vblk {
	struct virtio_dev *dev;
	u64 start, sectors; /* its range of the board's disk, in sectors */
	u32 gen;	    /* resets so far (atomic: completions read it unlocked) */
	u32 inflight;	    /* atomic */
	u32 bytes;	    /* of data in flight (atomic) */
	bool resetting;
	bool held; /* chain is a request waiting for room */
	struct virtq_chain chain;
	struct virtq_seg data[VIRTQ_MAX_CHAIN];
	struct vblk_req req[VBLK_REQS];
	char id[VIRTIO_BLK_ID_BYTES];
};

/* virtio_net.c */
struct vnet {
	struct virtio_dev *dev;
	u32 gen;     /* resets so far */
	u32 tx_busy; /* a vcpu is sending (atomic: a reset reads it unlocked) */
	bool resetting;
	struct virtq_chain tx, rx; /* the frame being sent; the buffer being filled */
	u8 frame[ETH_FRAME_MAX];   /* tx's frame, copied once: what the switch checks and sends */
};

/* a VM's virtio devices (struct vm's virtio): the transport's and their backends' */
struct vm_virtio {
	u32 nr_devs;
	u32 owed; /* devices with a pass owed, a bit each by index in devs (atomic) */
	struct virtio_dev devs[VIRTIO_MAX_DEVS];
	struct vcon con;
	struct vblk blk;
	struct vnet net;
};

/* for a backend, with d->lock held (notify and reset are called with it) */
int virtq_pop(struct virtio_dev *d, u32 q, struct virtq_chain *c);
void virtq_pass(struct virtio_dev *d, u32 q); /* the backend's notify, VIRTQ_BATCH chains */
void virtq_more(struct virtio_dev *d, u32 q); /* it stopped early: a pass is owed */
void virtq_push(struct virtio_dev *d, u32 q, u16 head, u32 written);
void virtio_fail(struct virtio_dev *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool virtio_driver_ok(const struct virtio_dev *d);
u32 virtio_copy_to_chain(const struct virtq_chain *c, u32 off, const void *src, u32 n);
u32 virtio_copy_from_chain(const struct virtq_chain *c, u32 off, void *dst, u32 n);

/* a device for vm at slot n; NULL when the VM has no room for more */
struct virtio_dev *virtio_attach(struct vm *vm, u32 slot, const struct virtio_backend *be,
				 void *priv);
struct virtio_dev *virtio_find(struct vm *vm, u32 device_id);

/* hooks for the rest of the hypervisor */
struct guest_image;
void virtio_vm_attach(struct vm *vm); /* its devices, from its image */
void virtio_vm_reset(struct vm *vm);  /* the VM restarts: every device resets */
void virtio_vm_idle(struct vm *vm);   /* a vcpu waits: deferred notifications go out */
void virtio_tick(void);		      /* the hyp timer fired: passes owed to VMs on this cpu */

/* virtio_console.c */
void vcon_attach(struct vm *vm, u32 slot);
bool vcon_has_input(struct vm *vm);  /* keyboard input goes to hvc0, not the uart */
bool vcon_rx(struct vm *vm, char c); /* false: its fifo is full, c dropped */
void vcon_flush(struct vm *vm);

/* virtio_blk.c */
void vblk_attach(struct vm *vm, u32 slot, u64 start, u64 size);

#endif
