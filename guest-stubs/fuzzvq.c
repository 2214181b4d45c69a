/*
 * fuzzvq: random virtqueue traffic against the VM's virtio console (slot 0),
 * disk (slot 1) and network card (slot 2), seeded ("seed=N count=N"): descriptor chains of random
 * shape (addresses inside its RAM, outside it, in other VMs' RAM and the
 * hypervisor's, 64-bit ones, lengths that wrap; loops, chains longer than
 * the queue, indirect tables of any size), available indices jumped ahead,
 * used rings and indices rewritten by the guest, status and feature writes
 * in the wrong order, queue registers at random, notifications of queues
 * that do not exist, configuration reads of any width (the misaligned ones
 * abort). now and then, and after a device asks for a reset, it resets the
 * device and brings it up properly, so the rings keep being read. at the
 * end: a proper write and read on the disk, and a line through hvc0. the
 * card's proper frames are ARP requests for QEMU's user network's gateway
 * (with the board's card as the switch's uplink): its answers come back
 * into whatever receive ring the card has then, from the uplink's interrupt.
 * with "mutate=1" (two vcpus) vcpu 1 wakes every 2 ms of its virtual timer
 * and rewrites 64 random words of the rings and the indirect tables, and
 * kicks a random queue, while vcpu 0 goes on: the rings change under the
 * hypervisor between (and, on two cpus, during) its passes.
 *
 * its memory: code and stack low; rings at 0x40400000; 0x40800000 text
 * (letters) that devices only read; 0x40900000 up to its end scratch that
 * devices may write. a buffer the device writes is never in its code.
 */
#include "lib.h"
#include "stub.h"
#include "vio.h"

#define RAM_END		0x41000000u
#define RINGS		0x40400000u
#define TEXT		0x40800000u
#define TEXT_LEN	0x00100000u
#define SCRATCH		0x40900000u
#define SCRATCH_LEN	(RAM_END - SCRATCH)
#define NR_OPS		16

static u32 state, state_up;	/* bring-ups draw from their own: the rest replays */
static u32 state_net;		/* the card's: frames from the uplink may break its rings
				 * at any time, so its bring-ups are not the seed's to count */
static u32 ops[NR_OPS], resets, refused;
#define NR_DEVS		3
static const u32 qmax[NR_DEVS][2] = { { 64, 64 }, { 128, 0 }, { 256, 256 } }; /* vcon, vblk, vnet */
static const u32 dev_id[NR_DEVS] = { VIRTIO_ID_CONSOLE, VIRTIO_ID_BLOCK, VIRTIO_ID_NET };
static u8 arp[12 + 60];	/* virtio_net_hdr, then "who has 10.0.2.2, tell 10.0.2.15" */
static u32 state_mut;		/* vcpu 1's, with mutate=1 */
static volatile u32 mut_stop, mut_done, mutations;
static u8 stack1[STUB_STACK_SIZE] __attribute__((aligned(8)));

static u32 rnd(void)
{
	return stub_rand(&state);
}

static u32 base_of(u32 dev)
{
	return VIO_BASE(dev);
}

/* queue q of device dev, at its place in the ring area */
static u32 desc_at(u32 dev, u32 q)
{
	return RINGS + (dev * 2 + q) * 0x4000;
}

static u32 avail_at(u32 dev, u32 q)
{
	return desc_at(dev, q) + 0x1000;
}

static u32 used_at(u32 dev, u32 q)
{
	return desc_at(dev, q) + 0x2000;
}

static u32 nr_queues(u32 dev)
{
	return dev == 1 ? 1 : 2;
}

/* a size the queue takes: a power of two up to its maximum */
static u32 qsize[NR_DEVS][2];

/* reset, proper bring-up, every queue at its place */
static void bring_up(u32 dev)
{
	u32 b = base_of(dev), q, *st = dev == 2 ? &state_net : &state_up;
	u64 f = 1ull << VIRTIO_F_VERSION_1;

	if (stub_rand(st) & 1)
		f |= 1ull << VIRTIO_F_EVENT_IDX;
	if (stub_rand(st) & 1)
		f |= 1ull << VIRTIO_F_INDIRECT_DESC;
	vio_probe(b, dev_id[dev]);
	vio_features(b, f);
	for (q = 0; q < nr_queues(dev); q++) {
		qsize[dev][q] = qmax[dev][q] >> (dev == 2 ? 2 : stub_rand(st) % 4);
		memset((void *)desc_at(dev, q), 0, 0x3000);
		vio_queue_at(b, q, qsize[dev][q], desc_at(dev, q), avail_at(dev, q), used_at(dev, q));
	}
	vio_driver_ok(b);
	resets++;
}

static int printed;	/* the buffers are hvc0's output: what it reads is text */

/* an address of one of the kinds the hypervisor must tell apart */
static u64 pick(int device_writes)
{
	switch (rnd() % 8) {
	case 0: case 1:
		if (printed && !device_writes)
			return TEXT + rnd() % TEXT_LEN;
		return SCRATCH + rnd() % SCRATCH_LEN;			/* its own, writable */
	case 2:
		return device_writes ? SCRATCH + rnd() % SCRATCH_LEN : TEXT + rnd() % TEXT_LEN;
	case 3:
		return RAM_END + rnd() % 0x3f000000u;			/* other VMs', the hypervisor's */
	case 4:
		return rnd();						/* anywhere in 4 GiB */
	case 5:
		return (u64)rnd() << 32 | rnd();			/* past 4 GiB */
	case 6:			/* its end; its code (read only) */
		if (device_writes)
			return RAM_END - 1 - rnd() % 64;
		return printed ? TEXT + TEXT_LEN - 1 - rnd() % 64 : 0x40010000u + rnd() % 0x10000;
	default:
		return ~0ull - rnd() % 4096;				/* wraps */
	}
}

/* one the device may write is never in its code, rings or text */
static u64 addr(int device_writes)
{
	u64 a = pick(device_writes);

	if (device_writes && a >= 0x40000000u && a < SCRATCH)
		a = SCRATCH + a % SCRATCH_LEN;
	return a;
}

static u32 length(void)
{
	switch (rnd() % 4) {
	case 0:
		return rnd() % 64;
	case 1:
		return 512 * (1 + rnd() % 8);
	case 2:
		return rnd();
	default:
		return 16 + rnd() % 4096;
	}
}

/* a random descriptor in slot i of a table of n */
static struct virtq_desc random_desc(u32 n)
{
	u16 flags = rnd() & 7;

	struct virtq_desc d = { .addr = addr(flags & VIRTQ_DESC_F_WRITE), .len = length(),
				.flags = flags, .next = rnd() % 4 ? rnd() % n : rnd() };

	/* text, and no further: past it is what the devices wrote */
	if (printed && d.addr >= TEXT && d.addr < TEXT + TEXT_LEN && d.len > TEXT + TEXT_LEN - d.addr)
		d.len = TEXT + TEXT_LEN - (u32)d.addr;
	return d;
}

/* a chain that may be sane, or anything */
static void chain(u32 dev, u32 q, int indirect)
{
	u32 n = qsize[dev][q] ? qsize[dev][q] : 16, head = rnd() % n, i, k, len;
	struct virtq_desc *desc = (struct virtq_desc *)desc_at(dev, q);
	volatile u16 *avail = (volatile u16 *)avail_at(dev, q);

	len = 1 + rnd() % (rnd() % 8 ? 4 : 2 * n);	/* now and then longer than the queue */
	printed = dev == 0 && q == VIRTIO_CONSOLE_TX;
	for (i = 0, k = head; i < len; i++) {
		desc[k] = random_desc(n);
		if (indirect && i == 0) {
			struct virtq_desc *t = (struct virtq_desc *)(SCRATCH + (rnd() % 256) * 0x1000);
			u32 m = 1 + rnd() % (rnd() % 4 ? 8 : 200), j;

			for (j = 0; j < m && j < 256; j++)
				t[j] = random_desc(m);
			desc[k] = (struct virtq_desc){
				.addr = rnd() % 4 ? (u32)t : addr(0),
				.len = rnd() % 4 ? m * 16 : length(),
				.flags = VIRTQ_DESC_F_INDIRECT | (rnd() % 8 ? 0 : rnd() & 3) };
			break;
		}
		if (!(desc[k].flags & VIRTQ_DESC_F_NEXT))
			break;
		k = desc[k].next % n;
	}
	vio_mb();
	avail[2 + avail[1] % n] = (u16)(rnd() % 8 ? head : rnd());
	vio_mb();
	avail[1]++;
	vio_mb();
	vio_write(base_of(dev), VIRTIO_MMIO_QUEUE_NOTIFY, rnd() % 8 ? q : rnd() % 6);
}

/* the ARP request the card sends, from its own address (its configuration) */
static void make_arp(void)
{
	static const u8 head[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0,
				   0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0, 1 };
	static const u8 ips[] = { 10, 0, 2, 15, 0, 0, 0, 0, 0, 0, 10, 0, 2, 2 };
	u32 cfg[2] = { vio_read(VIO_BASE(2), VIRTIO_MMIO_CONFIG),
		       vio_read(VIO_BASE(2), VIRTIO_MMIO_CONFIG + 4) };

	memcpy(arp + 12, head, sizeof(head));
	memcpy(arp + 12 + 6, cfg, 6);		/* the frame's source */
	memcpy(arp + 12 + sizeof(head), cfg, 6);	/* the sender's hardware address */
	memcpy(arp + 12 + sizeof(head) + 6, ips, sizeof(ips));
}

/* a request as a driver would make it: the disk's (in range or not), a line, or a frame */
static void sane(u32 dev)
{
	static struct virtio_blk_outhdr hdr;
	static u8 status;
	u32 q = dev == 0 ? 1 : dev == 1 ? 0 : rnd() % 2;
	u32 n = qsize[dev][q], head = rnd() % n;
	struct virtq_desc *desc = (struct virtq_desc *)desc_at(dev, q);
	volatile u16 *avail = (volatile u16 *)avail_at(dev, q);
	u32 len = 512 * (1 + rnd() % 8);

	if (dev == 2 && q == 0) {	/* a receive buffer: linux's size, or any */
		desc[head] = (struct virtq_desc){ SCRATCH + (rnd() % 1024) * 512,
						  rnd() % 4 ? 1526 : rnd() % 2048,
						  VIRTQ_DESC_F_WRITE, 0 };
	} else if (dev == 2) {
		desc[head] = (struct virtq_desc){ (u32)arp, sizeof(arp), 0, 0 };
	} else if (dev) {
		hdr = (struct virtio_blk_outhdr){ .type = rnd() % 3 ? rnd() % 2 : rnd() % 16,
						  .sector = rnd() % 4 ? rnd() % 2048 : rnd() };
		desc[head] = (struct virtq_desc){ (u32)&hdr, 16, VIRTQ_DESC_F_NEXT, (head + 1) % n };
		desc[(head + 1) % n] = (struct virtq_desc){
			SCRATCH + (rnd() % 1024) * 512, len,
			VIRTQ_DESC_F_NEXT | (hdr.type == VIRTIO_BLK_T_OUT ? 0 : VIRTQ_DESC_F_WRITE),
			(head + 2) % n };
		desc[(head + 2) % n] = (struct virtq_desc){ (u32)&status, 1, VIRTQ_DESC_F_WRITE, 0 };
	} else {
		desc[head] = (struct virtq_desc){ TEXT + rnd() % (TEXT_LEN - 64), 1 + rnd() % 64, 0, 0 };
	}
	vio_mb();
	avail[2 + avail[1] % n] = (u16)head;
	vio_mb();
	avail[1]++;
	vio_mb();
	vio_write(base_of(dev), VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

static void registers(u32 dev, u32 what)
{
	u32 b = base_of(dev), v;

	switch (what) {
	case 0:			/* status, in any order */
		vio_write(b, VIRTIO_MMIO_STATUS, rnd() % 4 ? rnd() & 0xff : rnd());
		break;
	case 1:			/* features, any half */
		vio_write(b, VIRTIO_MMIO_DRIVER_FEATURES_SEL, rnd() % 3);
		vio_write(b, VIRTIO_MMIO_DRIVER_FEATURES, rnd());
		break;
	case 2:			/* a queue's registers */
		vio_write(b, VIRTIO_MMIO_QUEUE_SEL, rnd() % 4);
		vio_write(b, VIRTIO_MMIO_QUEUE_NUM, rnd() % 2 ? 1u << (rnd() % 9) : rnd());
		vio_write(b, VIRTIO_MMIO_QUEUE_DESC_LOW + 8 * (rnd() % 3) + 4 * (rnd() % 8 == 0),
			  (u32)addr(1));
		vio_write(b, VIRTIO_MMIO_QUEUE_READY, rnd() % 3 != 0);
		break;
	case 3:			/* a notification for any queue */
		vio_write(b, VIRTIO_MMIO_QUEUE_NOTIFY, rnd() % 2 ? rnd() % 8 : rnd());
		break;
	case 4:			/* interrupt ack, and a look at the registers */
		vio_write(b, VIRTIO_MMIO_INTERRUPT_ACK, rnd());
		v = vio_read(b, (rnd() % 0x40) * 4);
		(void)v;
		break;
	default: {		/* the configuration space, at any width */
		u32 off = VIRTIO_MMIO_CONFIG + rnd() % 0x100, w = rnd() % 3;
		u32 before = stub_aborts;

		if (w == 0)
			v = *(volatile u8 *)(b + off);
		else if (w == 1)
			v = *(volatile u16 *)(b + (off & ~0u));
		else
			v = *(volatile u32 *)(b + off);
		refused += stub_aborts != before;
		(void)v;
	}
	}
}

/* the guest rewrites what belongs to the device: its used ring and index */
static void scribble(u32 dev)
{
	u32 q = rnd() % nr_queues(dev);
	volatile u16 *used = (volatile u16 *)used_at(dev, q);
	volatile u16 *avail = (volatile u16 *)avail_at(dev, q);

	if (rnd() & 1)
		used[1] = (u16)rnd();
	else
		avail[1] += (u16)rnd();
	used[2 + rnd() % 16] = (u16)rnd();
	vio_mb();
	vio_write(base_of(dev), VIRTIO_MMIO_QUEUE_NOTIFY, q);
}

/* vcpu 1 (mutate=1): words of the rings and tables rewritten, a kick now and then */
static void mutator(void)
{
	u32 period = stub_cntfrq() / 500, i, iar, r;
	u64 next = stub_cntvct() + period;

	stub_gic_on(IRQ_VTIMER);
	while (!mut_stop) {
		stub_vtimer_set(next, 1);
		asm volatile("wfi");		/* (interrupts masked: it wakes all the same) */
		iar = *(volatile u32 *)(GICC + GICC_IAR);
		if ((iar & 0x3ff) != 1023)
			*(volatile u32 *)(GICC + GICC_EOIR) = iar;
		next = stub_cntvct() + period;
		for (i = 0; i < 64; i++) {
			r = stub_rand(&state_mut);
			if (r & 1)	/* a queue's descriptors, available or used ring */
				*(volatile u32 *)(RINGS + (r >> 1) % (NR_DEVS * 2 * 0x4000) / 4 * 4) =
					stub_rand(&state_mut);
			else		/* an indirect table chain() may have put there */
				*(volatile u32 *)(SCRATCH + (r >> 1) % 0x100000 / 4 * 4) =
					stub_rand(&state_mut);
			mutations++;
		}
		r = stub_rand(&state_mut) % NR_DEVS;
		vio_write(base_of(r), VIRTIO_MMIO_QUEUE_NOTIFY, stub_rand(&state_mut) % nr_queues(r));
	}
	stub_vtimer_set(0, 0);
	mut_done = 1;
}

/* after the fuzzing: the devices still work for a driver that follows the rules */
static void check(void)
{
	static struct virtio_blk_outhdr hdr;
	static volatile u8 status;
	static const char line[] = "fuzzvq: hvc0 still prints\n";
	static struct vio_q cq, bq;
	static u8 buf[4096] __attribute__((aligned(8)));
	u32 i, ok = 0, bad;
	u16 head;

	vio_probe(VIO_BASE(1), VIRTIO_ID_BLOCK);
	vio_features(VIO_BASE(1), 1ull << VIRTIO_F_VERSION_1);
	vio_queue(VIO_BASE(1), 0, &bq);
	vio_driver_ok(VIO_BASE(1));
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i * 7);
	for (i = 0; i < 2; i++) {
		hdr = (struct virtio_blk_outhdr){ .type = i ? VIRTIO_BLK_T_IN : VIRTIO_BLK_T_OUT,
						  .sector = 100 };
		status = 0xee;
		if (i)
			memset(buf, 0, sizeof(buf));
		head = vio_desc(&bq, &hdr, sizeof(hdr), 0, 1);
		vio_desc(&bq, buf, sizeof(buf), i ? VIRTQ_DESC_F_WRITE : 0, 1);
		vio_desc(&bq, (void *)&status, 1, VIRTQ_DESC_F_WRITE, 0);
		vio_kick(VIO_BASE(1), 0, &bq, head);
		while (vio_used(&bq, NULL) != head)
			;
		ok += status == VIRTIO_BLK_S_OK;
	}
	for (i = 0, bad = 0; i < sizeof(buf); i++)
		bad += buf[i] != (u8)(i * 7);
	vio_probe(VIO_BASE(0), VIRTIO_ID_CONSOLE);
	vio_features(VIO_BASE(0), 1ull << VIRTIO_F_VERSION_1);
	vio_queue(VIO_BASE(0), 1, &cq);
	vio_driver_ok(VIO_BASE(0));
	head = vio_desc(&cq, line, sizeof(line) - 1, 0, 0);
	vio_kick(VIO_BASE(0), 1, &cq, head);
	while (vio_used(&cq, NULL) != head)
		;
	printf("fuzzvq: then a write and a read of its disk: %u ok, %u bytes differ\n", ok, bad);
}

int main(void)
{
	u32 seed = stub_bootarg("seed=", 1), count = stub_bootarg("count=", 100000), i, k;
	u32 mutate = stub_bootarg("mutate=", 0); /* (the device tree is scratch later) */
	char *t = (char *)TEXT;

	state = seed ? seed : 1;
	state_up = state ^ 0x5bd1e995u;
	state_net = state ^ 0x6e657400u;
	state_mut = state ^ 0x6d757400u;
	exc_hook = skip_data_aborts;
	for (i = 0; i < TEXT_LEN; i++)		/* what hvc0 prints of it: letters and lines */
		t[i] = i % 61 == 60 ? '\n' : 'a' + i % 26;
	bring_up(0);
	bring_up(1);
	bring_up(2);
	make_arp();
	if (mutate && stub_cpu_on(1, mutator, &stack1[STUB_STACK_SIZE]) != 0)
		printf("FAIL: CPU_ON\n");
	for (i = 0; i < count; i++) {
		u32 dev = rnd() % NR_DEVS, op = rnd() % NR_OPS;

		ops[op]++;
		if (op < 5)
			chain(dev, rnd() % nr_queues(dev), 0);
		else if (op < 7)
			chain(dev, rnd() % nr_queues(dev), 1);
		else if (op < 9)
			sane(dev);
		else if (op < 14)
			registers(dev, op - 9 + (op == 13 ? rnd() % 2 : 0));
		else if (op == 14)
			scribble(dev);
		else
			bring_up(dev);
		/*
		 * a device that asks for a reset gets one, most of the time. (a disk
		 * request waiting for room on the board's ring is looked at later: when
		 * a device asks is up to the host's timing, so no draw depends on it)
		 */
		k = rnd() % 4;
		if (vio_read(base_of(dev), VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET && k)
			bring_up(dev);
	}
	printf("fuzzvq: seed %u, %u operations:", seed, count);
	for (k = 0; k < NR_OPS; k += 4)
		printf(" %u %u %u %u%s", ops[k], ops[k + 1], ops[k + 2], ops[k + 3],
		       k + 4 < NR_OPS ? "," : "");
	printf("; %u config reads refused\n", refused);
	printf("fuzzvq: %u bring-ups, many after a device asked for one\n", resets);
	if (mutate) {
		mut_stop = 1;
		while (!mut_done)
			;
		printf("fuzzvq: vcpu 1 rewrote %u words of the rings meanwhile\n", mutations);
	}
	check();
	return 0;
}
