/*
 * attack-net: guests that attack the switch (netsw.c) through their network
 * card (slot 2), and the well-behaved ones beside them. "mode=" says which:
 *
 * spoof (two vcpus): sends n frames to the sink in each of three phases
 *   while its second vcpu rewrites their source address behind the card's
 *   back. A: the frame is its own at the kick, and vcpu 1 writes a foreign
 *   source as soon as its port's in_frames counter shows the switch has the
 *   frame. B: the reverse (foreign at the kick, its own written back then).
 *   C: vcpu 1 flips the source's last byte in a tight loop all along. the
 *   switch must forward a frame with the source it checked: the sink sees
 *   no frame from a foreign address, ever.
 * sink: 256 receive buffers; counts the frames of each phase from its
 *   sender's address, and any from another, until END.
 * rx: a receiver whose every receive chain is an indirect table of tbl
 *   descriptors, all of length 1 (or, with zero=1, all but the last of
 *   length 0): the most descriptors a frame can make the switch walk, on
 *   the sender's cpu. it gives every chain back as soon as it is used, and
 *   counts the frames until its sender ("from=") has stopped. it sleeps a
 *   millisecond at a time while none comes: it is no hog of its cpu.
 * send: n frames to the VM "to=", 64 made available before each kick, then
 *   END, once "to" has sent its sign of life; with bcast=1 to the broadcast
 *   address (and the virtual time it took).
 * flood: rounds of 256 frames to an address nobody has (so to the uplink),
 *   one kick a round, until its peer ("peer=") has stopped, "rounds=" at most.
 * arp: "rounds=" rounds of k ARP requests to QEMU's user network (through
 *   the uplink), each round's replies counted before the next (asleep a
 *   millisecond at a time while none comes).
 * shapes: frames of 60 to 1518 bytes to the sink ("sink="), each whole in one
 *   descriptor, then split in three (its header alone, a cut inside the
 *   destination, one inside the source), and frames of 1519 bytes, too long;
 *   the sink checks every byte of what it gets.
 * listen: one ARP request, so that QEMU's user network knows its address,
 *   then counts the frames it gets until "n=" or a second of virtual time
 *   without one.
 *
 * every mode powers its VM off at its end (PSCI SYSTEM_OFF).
 */
#define VIO_QSIZE 256
#include "lib.h"
#include "stub.h"
#include "traplog.h"
#include "vio.h"

#define BASE	  VIO_BASE(2)
#define FRAME	  60 /* the shortest ethernet frame, without its fcs */
#define HDR	  12 /* struct virtio_net_hdr */
#define ETHERTYPE 0x88b5
#define TBL_MAX	  65536

enum kind { K_A = 1, K_B, K_C, K_END, K_LIFE, K_DATA };

static struct vio_q rxq, txq;
static u8 rxbuf[VIO_QSIZE][HDR + 1536] __attribute__((aligned(8)));
static u8 txbuf[VIO_QSIZE][HDR + FRAME] __attribute__((aligned(8)));
static struct virtq_desc table[TBL_MAX] __attribute__((aligned(16)));
static u8 tiny[TBL_MAX];
static u8 big[HDR + 1536] __attribute__((aligned(8)));
static u8 me[6];
static const u8 bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const u8 gateway[6] = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02}; /* QEMU's 10.0.2.2 */
static const u8 nobody[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x99};

static void mac_of(u8 *m, u32 n)
{
	static const u8 base[5] = {0x02, 0x68, 0x79, 0x70, 0x01};

	memcpy(m, base, 5);
	m[5] = (u8)n;
}

/*
 * a millisecond asleep (wfi until its virtual timer fires, interrupts masked:
 * wfi still wakes), so that a VM that only waits is no hog of its cpu
 */
static void nap(void)
{
	static bool on;
	u32 iar;

	if (!on) {
		stub_gic_on(IRQ_VTIMER);
		on = true;
	}
	stub_vtimer_set(stub_cntvct() + stub_cntfrq() / 1000, 1);
	asm volatile("wfi");
	iar = *(volatile u32 *)(GICC + GICC_IAR);
	stub_vtimer_set(0, 0); /* off: the line drops */
	*(volatile u32 *)(GICC + GICC_EOIR) = iar;
}

/* a frame into txbuf[b]: its own address as source unless src */
static void make(u32 b, const u8 *dst, u32 kind, u32 seq)
{
	u8 *f = txbuf[b] + HDR;

	memset(txbuf[b], 0, sizeof(txbuf[b]));
	memcpy(f, dst, 6);
	memcpy(f + 6, me, 6);
	f[12] = ETHERTYPE >> 8;
	f[13] = ETHERTYPE & 0xff;
	memcpy(f + 14, &kind, 4);
	memcpy(f + 18, &seq, 4);
}

/* txbuf[b] out, and back from the device before the next */
static void send_one(u32 b, u32 len)
{
	u16 head = vio_desc(&txq, txbuf[b], HDR + len, 0, 0);

	vio_kick(BASE, VIRTIO_NET_TX, &txq, head);
	while (vio_used(&txq, NULL) != head)
		;
}

/* n frames of txbuf[0..n) made available, one kick, all back */
static void send_batch(u32 n, u32 len)
{
	u32 i;

	for (i = 0; i < n; i++) {
		u16 head = vio_desc(&txq, txbuf[i], HDR + len, 0, 0);

		txq.avail.ring[txq.avail.idx % VIO_QSIZE] = head;
		vio_mb();
		txq.avail.idx++;
	}
	vio_mb();
	vio_write(BASE, VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_NET_TX);
	for (i = 0; i < n; i++)
		while (vio_used(&txq, NULL) < 0)
			;
}

/* every receive buffer made available; with a table, each an indirect chain through it */
static void post_rx(u32 tbl)
{
	u32 i;

	for (i = 0; i < VIO_QSIZE; i++) {
		rxq.desc[i] = tbl ? (struct virtq_desc){(u32)table, tbl * 16, VIRTQ_DESC_F_INDIRECT, 0}
				  : (struct virtq_desc){(u32)rxbuf[i], sizeof(rxbuf[i]),
							VIRTQ_DESC_F_WRITE, 0};
		rxq.avail.ring[i] = (u16)i;
	}
	vio_mb();
	rxq.avail.idx = VIO_QSIZE;
	vio_mb();
	vio_write(BASE, VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_NET_RX);
}

/* a used receive chain given back as it was */
static void repost(u16 id)
{
	rxq.avail.ring[rxq.avail.idx % VIO_QSIZE] = id;
	vio_mb();
	rxq.avail.idx++;
}

/* --- spoof: two vcpus ------------------------------------------------------------- */

static volatile u32 go, done, phase, stop;
static u8 foreign[6];
static u8 stack1[STUB_STACK_SIZE] __attribute__((aligned(8)));

static void rewriter(void)
{
	const volatile struct traplog_vm *self = vio_port_vm(me);
	volatile u8 *src = txbuf[0] + HDR + 6;
	u32 g = 0;

	while (!stop) {
		if (phase == K_C) {
			src[5] = foreign[5];
			src[5] = me[5];
			continue;
		}
		if (go == g)
			continue;
		g = go;
		/* the switch has the frame (its port counted it): rewrite its source */
		while (self->net.in_frames < g)
			;
		memcpy((void *)src, phase == K_A ? foreign : me, 6);
		vio_mb();
		done = g;
	}
	vio_mb();
	done = ~0u; /* it writes no more */
}

static void spoof(u32 sink, u32 n)
{
	const volatile struct traplog_vm *self = vio_port_vm(me);
	u8 to[6];
	u32 p, i;

	mac_of(to, sink);
	memcpy(foreign, me, 6);
	foreign[5] ^= 0x80;
	if (stub_cpu_on(1, rewriter, &stack1[STUB_STACK_SIZE])) {
		printf("FAIL: CPU_ON\n");
		power_off();
	}
	vio_wait_for_life(to);
	for (p = K_A; p <= K_C; p++) {
		phase = p;
		for (i = 0; i < n; i++) {
			u32 g = (u32)self->net.in_frames + 1;

			make(0, to, p, i);
			if (p == K_B)
				memcpy(txbuf[0] + HDR + 6, foreign, 6);
			vio_mb();
			if (p != K_C)
				go = g;
			send_one(0, FRAME);
			if (p != K_C)
				while (done != g)
					;
		}
	}
	stop = 1;
	while (done != ~0u)
		;
	make(0, to, K_END, 0);
	send_one(0, FRAME);
	printf("attack-net: spoof sent %u frames in each of 3 phases\n", n);
}

/* a K_DATA frame's bytes after its kind: its length, then a pattern of it */
static void fill(u8 *f, u32 flen)
{
	u32 i;

	memcpy(f + 18, &flen, 4);
	for (i = 22; i < flen; i++)
		f[i] = (u8)(i * 7 + flen);
}

static bool intact(const u8 *f, u32 flen)
{
	u32 i, n;

	memcpy(&n, f + 18, 4);
	for (i = 22; i < flen; i++)
		if (f[i] != (u8)(i * 7 + flen))
			return false;
	return n == flen;
}

static void sink(u32 from)
{
	u32 own[K_DATA + 1] = {0}, other = 0, wrong = 0, len, kind;
	u8 a[6], *f;
	int id;

	mac_of(a, from);
	for (;;) {
		while ((id = vio_used(&rxq, &len)) < 0)
			;
		f = rxbuf[id] + HDR;
		memcpy(&kind, f + 14, 4);
		if (memcmp(f + 6, a, 6))
			other++;
		else if (kind <= K_DATA)
			own[kind]++;
		if (kind == K_DATA && (len < HDR + 22 || !intact(f, len - HDR)))
			wrong++;
		repost((u16)id);
		if (kind == K_END)
			break;
	}
	if (own[K_DATA])
		printf("attack-net: sink got %u data frames, %u of them wrong\n", own[K_DATA], wrong);
	printf("attack-net: sink got A %u, B %u, C %u from its sender, %u from other addresses\n",
	       own[K_A], own[K_B], own[K_C], other);
}

/* --- the others --------------------------------------------------------------------- */

static void rx_attack(u32 tbl, u32 zero, u32 from)
{
	const volatile struct traplog_vm *v;
	u32 i, got = 0, len;
	u8 a[6];
	int id;

	for (i = 0; i < tbl; i++)
		table[i] = (struct virtq_desc){(u32)&tiny[i], zero && i + 1 < tbl ? 0 : 1,
					       VIRTQ_DESC_F_WRITE | (i + 1 < tbl ? VIRTQ_DESC_F_NEXT : 0),
					       (u16)(i + 1)};
	if (zero) /* the last one holds a whole frame */
		table[tbl - 1].addr = (u32)rxbuf[0], table[tbl - 1].len = sizeof(rxbuf[0]);
	post_rx(tbl);
	make(0, nobody, K_LIFE, 0);
	send_one(0, FRAME); /* its sign of life, its chains in place */
	mac_of(a, from);
	vio_wait_for_life(a);
	v = vio_port_vm(a);
	/* until its sender has stopped (then nothing more comes) and every chain is back */
	for (;;) {
		if ((id = vio_used(&rxq, &len)) < 0) {
			if (v->state != 1) /* VM_RUNNING */
				break;
			nap();
			continue;
		}
		got += len != 0;
		repost((u16)id);
		vio_mb();
		vio_write(BASE, VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_NET_RX);
	}
	while ((id = vio_used(&rxq, &len)) >= 0)
		got += len != 0;
	printf("attack-net: rx took %u frames through chains of %u descriptors\n", got, tbl);
}

static void sender(u32 to, u32 n, u32 group)
{
	u8 dst[6];
	u32 i, k;
	u64 t;

	mac_of(dst, to);
	vio_wait_for_life(dst);
	t = stub_cntvct();
	if (group)
		memcpy(dst, bcast, 6);
	for (i = 0; i < n; i += k) {
		k = n - i < 64 ? n - i : 64;
		for (u32 j = 0; j < k; j++)
			make(j, dst, K_DATA, i + j);
		send_batch(k, FRAME);
	}
	make(0, dst, K_END, 0);
	send_one(0, FRAME);
	t = (stub_cntvct() - t) * 1000000 / stub_cntfrq();
	if (group)
		printf("attack-net: sent %u frames to the broadcast address in %llu us\n", n, t);
	else
		printf("attack-net: sent %u frames\n", n);
}

static void flood(u32 rounds, u32 peer)
{
	static const u8 stranger[6] = {0x02, 0x99, 0x00, 0x00, 0x00, 0x01};
	const volatile struct traplog_vm *v = NULL;
	u32 r, i;
	u8 a[6];

	mac_of(a, peer);
	if (peer)
		while (!(v = vio_port_vm(a)))
			;
	for (i = 0; i < VIO_QSIZE; i++)
		make(i, stranger, K_DATA, i);
	for (r = 0; r < rounds && (!v || v->state == 1); r++) /* VM_RUNNING */
		send_batch(VIO_QSIZE, FRAME);
	rounds = r;
	printf("attack-net: flood sent %u rounds of %u frames\n", rounds, VIO_QSIZE);
}

/* big out as one chain of up to three descriptors, cut at a and b (0: no cut) */
static void send_cut(u32 len, u32 a, u32 b)
{
	u16 head = vio_desc(&txq, big, a ? a : len, 0, a != 0);

	if (a)
		vio_desc(&txq, big + a, (b ? b : len) - a, 0, b != 0);
	if (b)
		vio_desc(&txq, big + b, len - b, 0, 0);
	vio_kick(BASE, VIRTIO_NET_TX, &txq, head);
	while (vio_used(&txq, NULL) != head)
		;
}

static void shapes(u32 to)
{
	static const u32 lens[] = {60, 61, 1000, 1514, 1518, 1519};
	u32 i, n = 0, kind = K_DATA;
	u8 dst[6];

	mac_of(dst, to);
	vio_wait_for_life(dst);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(big, 0, sizeof(big));
		memcpy(big + HDR, dst, 6);
		memcpy(big + HDR + 6, me, 6);
		big[HDR + 12] = ETHERTYPE >> 8;
		big[HDR + 13] = ETHERTYPE & 0xff;
		memcpy(big + HDR + 14, &kind, 4);
		fill(big + HDR, lens[i]);
		send_cut(HDR + lens[i], 0, 0);
		send_cut(HDR + lens[i], HDR, HDR + 3);
		send_cut(HDR + lens[i], HDR + 9, HDR + 40);
		n += 3;
	}
	make(0, dst, K_END, 0);
	send_one(0, FRAME);
	printf("attack-net: shapes sent %u frames\n", n);
}

/* an ARP request for 10.0.2.2 from 10.0.2.ip into txbuf[b] */
static void make_arp(u32 b, const u8 *dst, u32 ip)
{
	static const u8 head[] = {0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0, 1};
	u8 *f = txbuf[b] + HDR;

	memset(txbuf[b], 0, sizeof(txbuf[b]));
	memcpy(f, dst, 6);
	memcpy(f + 6, me, 6);
	memcpy(f + 12, head, sizeof(head));
	memcpy(f + 22, me, 6);
	f[28] = 10, f[29] = 0, f[30] = 2, f[31] = (u8)ip;
	f[38] = 10, f[39] = 0, f[40] = 2, f[41] = 2;
}

/* ARP replies to it, until k or ms of virtual time without one */
static u32 replies(u32 k, u32 ms)
{
	u32 got = 0, len;
	u64 t = stub_cntvct(), wait = (u64)stub_cntfrq() / 1000 * ms;
	int id;

	while (got < k && stub_cntvct() - t < wait) {
		if ((id = vio_used(&rxq, &len)) < 0) {
			nap();
			continue;
		}
		u8 *f = rxbuf[id] + HDR;

		if (f[12] == 0x08 && f[13] == 0x06 && f[21] == 2 && !memcmp(f, me, 6))
			got++;
		repost((u16)id);
		vio_mb();
		vio_write(BASE, VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_NET_RX);
		t = stub_cntvct();
	}
	return got;
}

static void arp(u32 rounds, u32 k, u32 ip)
{
	u32 r, i, got = 0;

	post_rx(0);
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < k; i++)
			make_arp(i, gateway, ip);
		send_batch(k, FRAME);
		got += replies(k, 200);
	}
	printf("attack-net: arp sent %u requests, %u replies\n", rounds * k, got);
}

static void listen(u32 n, u32 ip)
{
	u32 got = 0, len;
	u64 t, second = stub_cntfrq();
	int id;

	post_rx(0);
	make_arp(0, bcast, ip);
	send_one(0, FRAME);
	got = replies(1, 1000);
	printf("attack-net: listening (%u arp reply)\n", got);
	got = 0;
	t = stub_cntvct();
	while (got < n && stub_cntvct() - t < second) {
		if ((id = vio_used(&rxq, &len)) < 0)
			continue;
		got++;
		repost((u16)id);
		vio_mb();
		vio_write(BASE, VIRTIO_MMIO_QUEUE_NOTIFY, VIRTIO_NET_RX);
		t = stub_cntvct();
	}
	printf("attack-net: listen got %u frames\n", got);
}

int main(void)
{
	u32 mode = stub_bootarg("mode=", 0), cfg[2];
	u64 f;

	f = vio_probe(BASE, VIRTIO_ID_NET);
	if (!(f >> VIRTIO_NET_F_MAC & 1)) {
		printf("FAIL: no virtio network card at %#x\n", BASE);
		power_off();
	}
	vio_features(BASE, f & (1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_NET_F_MAC |
				1ull << VIRTIO_F_INDIRECT_DESC));
	cfg[0] = vio_read(BASE, VIRTIO_MMIO_CONFIG);
	cfg[1] = vio_read(BASE, VIRTIO_MMIO_CONFIG + 4);
	memcpy(me, cfg, 6);
	vio_queue(BASE, VIRTIO_NET_RX, &rxq);
	vio_queue(BASE, VIRTIO_NET_TX, &txq);
	vio_driver_ok(BASE);
	switch (mode) {
	case 1: /* spoof */
		spoof(stub_bootarg("sink=", 0), stub_bootarg("n=", 80));
		break;
	case 2: /* sink */
		post_rx(0);
		make(0, nobody, K_LIFE, 0);
		send_one(0, FRAME);
		sink(stub_bootarg("from=", 0));
		break;
	case 3: /* rx */
		rx_attack(stub_bootarg("tbl=", 128), stub_bootarg("zero=", 0),
			  stub_bootarg("from=", 0));
		break;
	case 4: /* send */
		sender(stub_bootarg("to=", 0), stub_bootarg("n=", 1000), stub_bootarg("bcast=", 0));
		break;
	case 5: /* flood */
		flood(stub_bootarg("rounds=", 100), stub_bootarg("peer=", 0));
		break;
	case 6: /* arp */
		arp(stub_bootarg("rounds=", 10), stub_bootarg("k=", 16), stub_bootarg("ip=", 15));
		break;
	case 7: /* listen */
		listen(stub_bootarg("n=", 1000), stub_bootarg("ip=", 15));
		break;
	case 8: /* shapes */
		shapes(stub_bootarg("sink=", 0));
		break;
	default:
		printf("FAIL: mode=%u\n", mode);
	}
	power_off();
}
