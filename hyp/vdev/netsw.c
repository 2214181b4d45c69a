/*
 * the switch between the VMs' network cards and the uplink (netsw.h).
 *
 * where a frame goes: each VM's address is fixed by its manifest, and a VM
 * may send from that address only (a frame from another is dropped and
 * counted as spoofed; from the uplink, one from a VM's address is too). so
 * the switch knows every VM's port without having to learn it, and whatever
 * address is not a VM's can only be behind the uplink: that is where a
 * learning switch would end up, without its flooding of unknown unicast into
 * every VM first. unicast to a VM's address goes to that VM alone, other
 * unicast from a VM to the uplink (dropped without one), broadcast and
 * multicast to every port but the sender's. a VM therefore never gets a
 * unicast frame meant for another address, promiscuous or not.
 *
 * copy once, then check, then use: a VM's frame is copied out of its RAM
 * once, at most ETH_FRAME_MAX bytes, into its card's buffer in hypervisor
 * memory (virtio_net.c), and only that copy is checked and forwarded: a
 * guest that rewrites its buffer from another vcpu, or by its disk's DMA,
 * after the check changes nothing the switch sends. the uplink's frames are
 * already in hypervisor memory, in buffers the card has given back. from
 * there a frame is copied into each receiver: one receive chain of a VM's
 * (one virtq_pop, its descriptors bounded by the transport), or one uplink
 * transmit buffer. a receiver without room drops it and counts it: the
 * sender never waits.
 *
 * group frames (broadcast, multicast) reach every port but the sender's: at
 * most nr_vms - 1 chains and one uplink buffer a frame. a port may send at
 * most NETSW_GROUP_BURST of them at once and NETSW_GROUP_RATE a second on
 * average (a token bucket, as a switch's storm control); the rest are
 * dropped and counted full at the sender, so one port's broadcast storm
 * cannot fill every other VM's receive queue.
 */
#include "lib.h"
#include "netsw.h"
#include "sched.h"
#include "vm.h"
#include "virtio_mmio.h"

#define NETSW_GROUP_BURST 128  /* group frames a port may send back to back */
#define NETSW_GROUP_RATE  2000 /* and a second, on average */

/*
 * each port's group-frame tokens. a VM's port is only ever used by the vcpu
 * sending on its card (virtio_net.c's tx_busy), the uplink's under its
 * rx_lock: no lock here.
 */
static struct {
	u64 stamp; /* the counter when the last token was added */
	u32 tokens;
} group[VM_MAX + 1];

static struct traplog_net *port(u32 p)
{
	return p == NETSW_UPLINK ? &traplog.uplink : &vms[p].log->net;
}

/* the VM whose card has address mac, or NETSW_NONE */
static u32 port_of(const u8 *mac)
{
	u32 p;

	for (p = 0; p < nr_vms; p++)
		if (port(p)->present && !memcmp(port(p)->mac, mac, 6))
			return p;
	return NETSW_NONE;
}

static void deliver(u32 from, u32 to, const u8 *frame, u32 len)
{
	if (to == NETSW_UPLINK)
		uplink_send(from, frame, len);
	else
		vnet_deliver(&vms[to], frame, len);
}

/* a group frame from port from may go: a token taken, or none left */
static bool group_ok(u32 from)
{
	u32 i = from == NETSW_UPLINK ? VM_MAX : from;
	u64 now = arch_counter(), per = arch_counter_freq() / NETSW_GROUP_RATE, n;

	if (!group[i].stamp)
		group[i].stamp = now, group[i].tokens = NETSW_GROUP_BURST;
	n = (now - group[i].stamp) / per;
	if (n) {
		group[i].stamp += n * per;
		group[i].tokens = n >= NETSW_GROUP_BURST - group[i].tokens
					  ? NETSW_GROUP_BURST
					  : group[i].tokens + (u32)n;
	}
	if (!group[i].tokens)
		return false;
	group[i].tokens--;
	return true;
}

void netsw_input(u32 from, const u8 *frame, u32 len)
{
	struct traplog_net *in = port(from);
	u32 to, p;

	traplog_inc(&in->in_frames);
	traplog_add(&in->in_bytes, len);
	/* the length first: frame holds at most ETH_FRAME_MAX bytes */
	if (len < ETH_HLEN || len > ETH_FRAME_MAX) {
		traplog_inc(&in->drop_bad);
		return;
	}
	if (from == NETSW_UPLINK ? port_of(frame + 6) != NETSW_NONE
				 : memcmp(frame + 6, in->mac, 6)) {
		traplog_inc(&in->drop_spoof);
		return;
	}
	if (frame[0] & 1) { /* the group bit: broadcast and multicast */
		if (!group_ok(from)) {
			traplog_inc(&in->drop_full);
			return;
		}
		for (p = 0; p < nr_vms; p++)
			if (p != from && port(p)->present)
				deliver(from, p, frame, len);
		if (from != NETSW_UPLINK && traplog.uplink.present)
			deliver(from, NETSW_UPLINK, frame, len);
		return;
	}
	to = port_of(frame);
	if (to == NETSW_NONE && from != NETSW_UPLINK && traplog.uplink.present)
		to = NETSW_UPLINK;
	if (to == NETSW_NONE || to == from) {
		traplog_inc(&in->drop_unknown);
		return;
	}
	deliver(from, to, frame, len);
}
