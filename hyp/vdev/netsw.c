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
 * a frame is copied once, from the sender's buffers (a VM's, checked inside
 * its RAM by virtq_pop, or the uplink's in hypervisor memory) straight into
 * each receiver's. a receiver without room drops it and counts it: the
 * sender never waits.
 */
#include "lib.h"
#include "netsw.h"
#include "vm.h"
#include "virtio_mmio.h"

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

static void deliver(u32 to, const struct virtq_chain *c, u32 off, u32 len)
{
	if (to == NETSW_UPLINK)
		uplink_send(c, off, len);
	else
		vnet_deliver(&vms[to], c, off, len);
}

void netsw_input(u32 from, const struct virtq_chain *c, u32 off, u32 len)
{
	struct traplog_net *in = port(from);
	u8 eth[12]; /* destination, source */
	u32 to, p;

	traplog_inc(&in->in_frames);
	traplog_add(&in->in_bytes, len);
	if (len < ETH_HLEN || len > ETH_FRAME_MAX ||
	    virtio_copy_from_chain(c, off, eth, sizeof(eth)) != sizeof(eth)) {
		traplog_inc(&in->drop_bad);
		return;
	}
	if (from == NETSW_UPLINK ? port_of(eth + 6) != NETSW_NONE : memcmp(eth + 6, in->mac, 6)) {
		traplog_inc(&in->drop_spoof);
		return;
	}
	if (eth[0] & 1) { /* the group bit: broadcast and multicast */
		for (p = 0; p < nr_vms; p++)
			if (p != from && port(p)->present)
				deliver(p, c, off, len);
		if (from != NETSW_UPLINK && traplog.uplink.present)
			deliver(NETSW_UPLINK, c, off, len);
		return;
	}
	to = port_of(eth);
	if (to == NETSW_NONE && from != NETSW_UPLINK && traplog.uplink.present)
		to = NETSW_UPLINK;
	if (to == NETSW_NONE || to == from) {
		traplog_inc(&in->drop_unknown);
		return;
	}
	deliver(to, c, off, len);
}

u32 netsw_copy(const struct virtq_chain *dst, u32 doff, const struct virtq_chain *src, u32 soff,
	       u32 n)
{
	u32 i, k, done = 0;

	for (i = 0; i < src->nr && done < n; i++) {
		const struct virtq_seg *s = &src->seg[i];

		if (s->write)
			continue;
		if (soff >= s->len) {
			soff -= s->len;
			continue;
		}
		k = s->len - soff < n - done ? s->len - soff : n - done;
		if (virtio_copy_to_chain(dst, doff + done, pa_ptr(pa_add(s->pa, soff)), k) != k)
			break;
		done += k;
		soff = 0;
	}
	return done;
}
