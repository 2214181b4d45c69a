/*
 * vnet: the virtio network card (slot 2) and the switch behind it, from a
 * stub's side. its address is 02:68:79:70:01:<me=N> (the manifest's), the
 * others' likewise. "role=1", the flooder: waits until the two others have
 * sent their first frame (their ports' counters in the trap log, which it
 * sees whole), then sends 1000 frames to random unicast addresses, 100 to
 * the sink from a spoofed source, 100 to the sink, 50 broadcast, 50
 * multicast, one too short, one to itself, and an END broadcast. "role=2",
 * the sink: 256 receive buffers, one frame to an address no one has (its
 * sign of life), then every frame it gets checked until END: each must be
 * for it, or broadcast or multicast, and from the flooder's own address.
 * "role=3", the hog: 4 receive buffers it never gives back, its sign of
 * life, then it waits until the flooder has stopped, all its frames sent.
 * "role=4", the resetter (its own port's counters say which boot it is):
 * one frame to the sink, three more made available without a notification,
 * and PSCI SYSTEM_RESET; after it, the card must be as new (status 0, no
 * queue ready), then one more frame to the sink, and END. the sink must see
 * frames 0 and 1 and none of the three.
 */
#define VIO_QSIZE 256
#include "lib.h"
#include "stub.h"
#include "traplog.h"
#include "vio.h"

#define BASE	 VIO_BASE(2)
#define FRAME	 60 /* the shortest ethernet frame, without its fcs */
#define HDR	 12 /* struct virtio_net_hdr */
#define NR_RX	 256
#define ETHERTYPE 0x88b5 /* local experimental */

enum kind { K_RANDOM = 1, K_SPOOF, K_UNICAST, K_BCAST, K_MCAST, K_END, K_SHORT, K_SELF, K_LIFE };

static struct vio_q rxq, txq;
static u8 rxbuf[NR_RX][HDR + 1536] __attribute__((aligned(8)));
static u8 txbuf[HDR + FRAME] __attribute__((aligned(8)));
static u8 me[6];

static void mac_of(u8 *m, u32 n)
{
	static const u8 base[5] = {0x02, 0x68, 0x79, 0x70, 0x01};

	memcpy(m, base, 5);
	m[5] = (u8)n;
}

/* one frame out, and back from the device before the next */
static void send(const u8 *dst, const u8 *src, u32 kind, u32 seq, u32 len)
{
	u8 *f = txbuf + HDR;
	u16 head;

	memset(txbuf, 0, sizeof(txbuf));
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = ETHERTYPE >> 8;
	f[13] = ETHERTYPE & 0xff;
	memcpy(f + 14, &kind, 4);
	memcpy(f + 18, &seq, 4);
	head = vio_desc(&txq, txbuf, HDR + len, 0, 0);
	vio_kick(BASE, 1, &txq, head);
	while (vio_used(&txq, NULL) != head)
		;
}

static void flood(u32 sink, u32 hog)
{
	u8 b[6], c[6], dst[6], src[6], bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const u8 mcast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};
	u32 state = 12345, i, k;

	mac_of(b, sink);
	mac_of(c, hog);
	vio_wait_for_life(b);
	vio_wait_for_life(c);
	for (i = 0; i < 1000; i++) {
		for (k = 0; k < 6; k++)
			dst[k] = (u8)stub_rand(&state);
		dst[0] &= 0xfe; /* unicast */
		if (dst[0] == 0x02 && dst[1] == 0x68)
			dst[1] = 0x69; /* nobody's */
		send(dst, me, K_RANDOM, i, FRAME);
	}
	for (i = 0; i < 100; i++) {
		for (k = 0; k < 6; k++)
			src[k] = (u8)stub_rand(&state);
		src[0] &= 0xfe;
		send(b, i % 2 ? src : c, K_SPOOF, i, FRAME); /* random, or the hog's */
	}
	for (i = 0; i < 100; i++)
		send(b, me, K_UNICAST, i, FRAME);
	for (i = 0; i < 50; i++)
		send(bcast, me, K_BCAST, i, FRAME);
	for (i = 0; i < 50; i++)
		send(mcast, me, K_MCAST, i, FRAME);
	send(b, me, K_SHORT, 0, 10);
	send(me, me, K_SELF, 0, FRAME);
	send(bcast, me, K_END, 0, FRAME);
	printf("vnet: flooder sent 1303 frames\n");
}

static void resetter(u32 sink, u32 status, u32 ready)
{
	u8 b[6], bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	const volatile struct traplog_vm *v = vio_port_vm(me);
	u32 i, seq = 100;
	u16 head;

	mac_of(b, sink);
	if (!v->net.in_frames) {
		vio_wait_for_life(b);
		send(b, me, K_UNICAST, 0, FRAME);
		memcpy(txbuf + HDR + 18, &seq, 4); /* were they sent, the sink would see 100 */
		for (i = 0; i < 3; i++) {
			head = vio_desc(&txq, txbuf, HDR + FRAME, 0, 0);
			txq.avail.ring[txq.avail.idx % VIO_QSIZE] = head;
			vio_mb();
			txq.avail.idx++;
		}
		printf("vnet: first boot: a frame sent, 3 left in its queue: reset\n");
		hvc_call(0x84000009, 0, 0, 0); /* PSCI SYSTEM_RESET */
		printf("FAIL: still running after SYSTEM_RESET\n");
		return;
	}
	send(b, me, K_UNICAST, 1, FRAME);
	send(bcast, me, K_END, 0, FRAME);
	printf("vnet: after the reset: status %#x, queues ready %#x; 2 more frames sent\n", status,
	       ready);
}

static void receive_all(u32 flooder)
{
	u32 got[K_LIFE + 1] = {0}, bad = 0, len, kind, seq, next[K_LIFE + 1] = {0};
	u8 a[6];
	int id;

	mac_of(a, flooder);
	for (;;) {
		while ((id = vio_used(&rxq, &len)) < 0)
			;
		u8 *f = rxbuf[id] + HDR;

		memcpy(&kind, f + 14, 4);
		memcpy(&seq, f + 18, 4);
		if (len != HDR + FRAME || (memcmp(f, me, 6) && !(f[0] & 1)) || memcmp(f + 6, a, 6) ||
		    kind > K_LIFE || seq != next[kind]++ || rxbuf[id][10] != 1)
			bad++;
		got[kind <= K_LIFE ? kind : 0]++;
		if (kind == K_END)
			break;
	}
	printf("vnet: sink got unicast %u, broadcast %u, multicast %u, end %u; random %u, spoofed "
	       "%u, short %u, other %u; %u bad\n",
	       got[K_UNICAST], got[K_BCAST], got[K_MCAST], got[K_END], got[K_RANDOM], got[K_SPOOF],
	       got[K_SHORT], got[0], bad);
}

int main(void)
{
	u32 role = stub_bootarg("role=", 0), i, len, cfg[2];
	u8 nobody[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x99};
	const volatile struct traplog_vm *v;
	u32 status = vio_read(BASE, VIRTIO_MMIO_STATUS), ready = 0;
	u64 f;

	for (i = 0; i < 2; i++) { /* before this driver touches it: as its reset left it */
		vio_write(BASE, VIRTIO_MMIO_QUEUE_SEL, i);
		ready |= vio_read(BASE, VIRTIO_MMIO_QUEUE_READY) << i;
	}
	f = vio_probe(BASE, VIRTIO_ID_NET);
	if (!(f >> VIRTIO_NET_F_MAC & 1) || !(f >> VIRTIO_NET_F_STATUS & 1)) {
		printf("FAIL: no virtio network card at %#x (features %#llx)\n", BASE, f);
		power_off();
	}
	vio_features(BASE, f & (1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_NET_F_MAC));
	/* whole words: a byte loop may become loads with writeback, which do not trap whole */
	cfg[0] = vio_read(BASE, VIRTIO_MMIO_CONFIG);
	cfg[1] = vio_read(BASE, VIRTIO_MMIO_CONFIG + 4);
	memcpy(me, cfg, 6);
	printf("vnet: mac %02x:%02x:%02x:%02x:%02x:%02x, link %s\n", me[0], me[1], me[2], me[3],
	       me[4], me[5], cfg[1] >> 16 & VIRTIO_NET_S_LINK_UP ? "up" : "down");
	vio_queue(BASE, VIRTIO_NET_RX, &rxq);
	vio_queue(BASE, VIRTIO_NET_TX, &txq);
	vio_driver_ok(BASE);
	if (role == 1) {
		flood(stub_bootarg("sink=", 0), stub_bootarg("hog=", 0));
		power_off();
	}
	if (role == 4) {
		resetter(stub_bootarg("sink=", 0), status, ready);
		power_off();
	}
	for (i = 0; i < (role == 3 ? 4u : NR_RX); i++)
		vio_desc(&rxq, rxbuf[i], sizeof(rxbuf[i]), VIRTQ_DESC_F_WRITE, 0);
	for (i = 0; i < (role == 3 ? 4u : NR_RX); i++)
		rxq.avail.ring[i] = (u16)i;
	vio_mb();
	rxq.avail.idx = (u16)i;
	vio_mb();
	vio_write(BASE, VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_NET_RX);
	send(nobody, me, K_LIFE, 0, FRAME);
	if (role == 2) {
		receive_all(stub_bootarg("flooder=", 0));
	} else {
		u8 a[6];

		mac_of(a, stub_bootarg("flooder=", 0));
		while (!(v = vio_port_vm(a)) || v->state == 1) /* VM_RUNNING */ /* it stops when all is sent */
			;
		for (i = 0; vio_used(&rxq, &len) >= 0; i++)
			;
		printf("vnet: hog got %u frames, left them all in its queue\n", i);
	}
	power_off();
}
