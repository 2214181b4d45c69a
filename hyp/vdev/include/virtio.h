/*
 * virtio 1.2 facts shared by the hypervisor's devices (virtio_mmio.c), its
 * driver for the board's disk (virtio_drv.c) and the guest stubs: the mmio
 * register map (4.2.2, version 2), status and feature bits (2.1, 6), split
 * virtqueue layout (2.7) and the network, block and console devices' formats
 * (5.1, 5.2, 5.3).
 * everything is little-endian, as this cpu is.
 */
#ifndef VIRTIO_H
#define VIRTIO_H

#include "types.h"

/* 4.2.2: the registers of one virtio-mmio device, 32-bit accesses only */
#define VIRTIO_MMIO_MAGIC		0x000 /* "virt" */
#define VIRTIO_MMIO_VERSION		0x004 /* 2: not legacy */
#define VIRTIO_MMIO_DEVICE_ID		0x008
#define VIRTIO_MMIO_VENDOR_ID		0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL		0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_READY		0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS	0x060
#define VIRTIO_MMIO_INTERRUPT_ACK	0x064
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH	0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW	0x090 /* the available ring */
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH	0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW	0x0a0 /* the used ring */
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH	0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION	0x0fc
#define VIRTIO_MMIO_CONFIG		0x100 /* the device's own configuration */
#define VIRTIO_MMIO_SIZE		0x200 /* one slot */

#define VIRTIO_MMIO_MAGIC_VALUE 0x74726976u
#define VIRTIO_MMIO_INT_VRING	(1u << 0) /* used buffer notification */
#define VIRTIO_MMIO_INT_CONFIG	(1u << 1) /* configuration change */

/* 2.1: device status */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER	  2u
#define VIRTIO_STATUS_DRIVER_OK	  4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_NEEDS_RESET 64u
#define VIRTIO_STATUS_FAILED	  128u

/* 6: reserved feature bits (transport and ring) */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX     29
#define VIRTIO_F_VERSION_1     32

/* 5: device ids */
#define VIRTIO_ID_NET	  1
#define VIRTIO_ID_BLOCK	  2
#define VIRTIO_ID_CONSOLE 3

/* 2.7.5: a descriptor */
struct virtq_desc {
	u64 addr; /* guest physical (an ipa, for a guest) */
	u32 len;
	u16 flags;
	u16 next;
};

#define VIRTQ_DESC_F_NEXT     1
#define VIRTQ_DESC_F_WRITE    2 /* device-writable */
#define VIRTQ_DESC_F_INDIRECT 4

/* 2.7.6: the driver's ring; used_event follows ring[num] (EVENT_IDX) */
struct virtq_avail {
	u16 flags;
	u16 idx;
	u16 ring[];
};

#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

/* 2.7.8: the device's ring; avail_event follows ring[num] (EVENT_IDX) */
struct virtq_used_elem {
	u32 id;
	u32 len;
};

struct virtq_used {
	u16 flags;
	u16 idx;
	struct virtq_used_elem ring[];
};

#define VIRTQ_USED_F_NO_NOTIFY 1

/* 2.7.10: the byte sizes of the three parts of a queue of num entries */
#define VIRTQ_DESC_SIZE(num)  (16u * (num))
#define VIRTQ_AVAIL_SIZE(num) (6u + 2u * (num))
#define VIRTQ_USED_SIZE(num)  (6u + 8u * (num))

/*
 * 2.7.7.2: with EVENT_IDX, whether moving an index from old to new_idx
 * passes the other side's event index (the notification it asked for)
 */
static inline bool virtq_need_event(u16 event, u16 new_idx, u16 old)
{
	return (u16)(new_idx - event - 1) < (u16)(new_idx - old);
}

/* 5.2: block device */
#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX  2
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH    9

#define VIRTIO_BLK_T_IN	    0
#define VIRTIO_BLK_T_OUT    1
#define VIRTIO_BLK_T_FLUSH  4
#define VIRTIO_BLK_T_GET_ID 8

#define VIRTIO_BLK_S_OK	    0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

#define VIRTIO_BLK_SECTOR   512u
#define VIRTIO_BLK_ID_BYTES 20

/* the request's first 16 bytes, device-readable; a status byte ends it */
struct virtio_blk_outhdr {
	u32 type;
	u32 reserved;
	u64 sector; /* in 512-byte units, whatever blk_size says */
};

/* the start of the block device's configuration space */
struct virtio_blk_config {
	u64 capacity; /* 512-byte sectors */
	u32 size_max;
	u32 seg_max;
	struct {
		u16 cylinders;
		u8 heads;
		u8 sectors;
	} geometry;
	u32 blk_size;
};

#define VIRTIO_BLK_CFG_CAPACITY 0x00
#define VIRTIO_BLK_CFG_SEG_MAX	0x0c
#define VIRTIO_BLK_CFG_BLK_SIZE 0x14

/* 5.3: console device; queue 0 receives, queue 1 transmits (port 0) */
#define VIRTIO_CONSOLE_RX 0
#define VIRTIO_CONSOLE_TX 1

/* 5.1: network device; queue 0 receives, queue 1 transmits (one pair) */
#define VIRTIO_NET_RX	      0
#define VIRTIO_NET_TX	      1
#define VIRTIO_NET_F_MAC      5	 /* the configuration holds its address */
#define VIRTIO_NET_F_STATUS   16 /* and its link state */
#define VIRTIO_NET_S_LINK_UP  1
#define VIRTIO_NET_CFG_MAC    0x00 /* 6 bytes */
#define VIRTIO_NET_CFG_STATUS 0x06 /* 16 bits */

/* 5.1.6: before every frame, both ways; with VERSION_1 always these 12 bytes */
struct virtio_net_hdr {
	u8 flags;
	u8 gso_type; /* 0: none */
	u16 hdr_len, gso_size, csum_start, csum_offset;
	u16 num_buffers; /* receive: buffers the frame took, 1 without MRG_RXBUF */
};

#define ETH_HLEN      14   /* destination, source, type */
#define ETH_FRAME_MAX 1518 /* mtu 1500 with a vlan tag, no fcs: no offloads offered */

#endif
