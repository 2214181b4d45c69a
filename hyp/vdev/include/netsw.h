/*
 * the switch between the VMs' network cards (netsw.c): its ports are the
 * virtio-net of each VM that has one (virtio_net.c), numbered by VM id, and
 * the uplink, the board's own virtio-net card (virtio_uplink.c). a port's
 * address and counters are its struct traplog_net, in the trap log.
 */
#ifndef NETSW_H
#define NETSW_H

#include "types.h"

struct vm;

#define NETSW_UPLINK 0xfeu /* the uplink's port; a VM's is its id */
#define NETSW_NONE   0xffu

/*
 * a frame of len bytes from port from, in hypervisor memory no guest can
 * write (at least min(len, ETH_FRAME_MAX) bytes of it): checked, then
 * copied into each receiver, or dropped and counted. the caller holds no
 * lock of a VM's card.
 */
void netsw_input(u32 from, const u8 *frame, u32 len);

/* virtio_net.c: a VM's card; a frame into its next receive chain, or counted dropped */
void vnet_attach(struct vm *vm, u32 slot);
void vnet_deliver(struct vm *vm, const u8 *frame, u32 len);

/* virtio_uplink.c: the board's card */
void uplink_init(void);
void uplink_send(u32 from, const u8 *frame, u32 len); /* queued, or dropped: from's share */
void uplink_kick(void);				      /* the card told of what was queued */
bool uplink_irq(u32 id); /* its interrupt, for irq.c: true if it was this one */
void uplink_poll(void);	 /* after any interrupt: received frames a pass left */

#endif
