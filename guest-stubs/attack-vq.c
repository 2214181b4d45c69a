/*
 * attack-vq: a guest that tries to keep the hypervisor walking its rings.
 * two vcpus (on cpus 0 and 1 in the manifest): one kicks, the other feeds
 * the rings while it does ("kicker=1" swaps them). against its network
 * card (slot 2), console (slot 0) and disk (slot 1), in turn:
 *  - indirect tables of 65,536 empty descriptors, the same head in every
 *    available slot, a table whose one entry loops on itself, a direct
 *    chain of 200 empty descriptors: the device must refuse them;
 *  - the longest chain allowed in every slot, and requests the disk fails
 *    at once in every slot: how many come back within the kick, and that
 *    the rest come back later with no kick;
 *  - buffers recycled as fast as they are used, by the other vcpu.
 * it prints what it got back (device status, used index) and powers off.
 * the kick's length in virtual time is printed too (exact only under
 * -icount, and then with the other cpu's share in it).
 */
#include "lib.h"
#include "stub.h"
#include "vio.h"

#define RINGS	 0x40400000u /* a queue per 16 KiB: descriptors, available, used */
#define BIG	 0x40800000u /* a table of 65,536 descriptors: 1 MiB */
#define SMALL	 0x40900000u
#define BUFS	 0x40a00000u
#define NR_BIG	 65536u
#define RECYCLED 1024u /* chains the feeding vcpu makes available */

#define CON 0
#define BLK 1
#define NET 2

static const u32 dev_id[3] = {VIRTIO_ID_CONSOLE, VIRTIO_ID_BLOCK, VIRTIO_ID_NET};
static const u32 qmax[3] = {64, 128, 256};
static u8 stack1[STUB_STACK_SIZE] __attribute__((aligned(8)));
static u32 feeder_cpu; /* the feeding vcpu's number, for the kicker's SGI */

#define GICD_SGIR 0xf00
#define SGI_GO	  0

/* what the kicking vcpu asks the feeding one to do */
static volatile struct {
	u32 dev, q, num, total;
	u32 go, stop, done, quit;
	u32 posted;
} job;

static u32 ring(u32 dev, u32 q)
{
	return RINGS + (dev * 2 + q) * 0x4000;
}

static struct virtq_desc *desc(u32 dev, u32 q)
{
	return (struct virtq_desc *)ring(dev, q);
}

static volatile u16 *avail(u32 dev, u32 q)
{
	return (volatile u16 *)(ring(dev, q) + 0x1000);
}

static volatile u16 *used(u32 dev, u32 q)
{
	return (volatile u16 *)(ring(dev, q) + 0x2000);
}

static u32 status(u32 dev)
{
	return vio_read(VIO_BASE(dev), VIRTIO_MMIO_STATUS);
}

/* reset, then every queue of the device at its place, at its largest */
static void up(u32 dev)
{
	u32 b = VIO_BASE(dev), q;

	vio_probe(b, dev_id[dev]);
	vio_features(b, 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_INDIRECT_DESC);
	for (q = 0; q < (dev == BLK ? 1u : 2u); q++) {
		memset((void *)ring(dev, q), 0, 0x3000);
		vio_queue_at(b, q, qmax[dev], ring(dev, q), ring(dev, q) + 0x1000,
			     ring(dev, q) + 0x2000);
	}
	vio_driver_ok(b);
}

/* head made available n times more */
static void post(u32 dev, u32 q, u16 head, u32 n)
{
	volatile u16 *a = avail(dev, q);
	u32 i;

	for (i = 0; i < n; i++)
		a[2 + (u16)(a[1] + i) % qmax[dev]] = head;
	vio_mb();
	a[1] += (u16)n;
	vio_mb();
}

static u64 kick_us;

/* QueueNotify; returns the used index as the store completes */
static u32 kick(u32 dev, u32 q)
{
	u64 t = stub_cntvct();

	vio_write(VIO_BASE(dev), VIRTIO_MMIO_QUEUE_NOTIFY, q);
	kick_us = (stub_cntvct() - t) * 1000000 / stub_cntfrq();
	vio_mb();
	return used(dev, q)[1];
}

/* the used index once it reaches want, or 2 s of virtual time pass; no trap */
static u32 wait_used(u32 dev, u32 q, u32 want)
{
	u64 end = stub_cntvct() + 2ull * stub_cntfrq();
	u32 i;

	for (;;) {
		for (i = 0; i < 4096; i++) /* the counter now and then only */
			if (used(dev, q)[1] == (u16)want)
				return want;
		if (stub_cntvct() > end)
			return used(dev, q)[1];
	}
}

/* a table of n empty descriptors, chained in order (or entry 0 to itself) */
static void table(u32 at, u32 n, int loop)
{
	struct virtq_desc *t = (struct virtq_desc *)at;
	u32 i;

	for (i = 0; i < n; i++)
		t[i] = (struct virtq_desc){.addr = BUFS, .len = 0,
					   .flags = i + 1 < n ? VIRTQ_DESC_F_NEXT : 0,
					   .next = (u16)(i + 1)};
	if (loop)
		t[0] = (struct virtq_desc){.addr = BUFS, .len = 0, .flags = VIRTQ_DESC_F_NEXT};
}

static void indirect(u32 dev, u32 q, u32 at, u32 n)
{
	desc(dev, q)[0] = (struct virtq_desc){.addr = at, .len = n * 16,
					      .flags = VIRTQ_DESC_F_INDIRECT};
	vio_mb();
}

/* the refusals: each on a fresh card, all its transmit slots */
static void refusals(void)
{
	u32 u, i;

	up(NET);
	table(BIG, NR_BIG, 0);
	indirect(NET, 1, BIG, NR_BIG);
	post(NET, 1, 0, 256);
	u = kick(NET, 1);
	printf("attack-vq: net, 256 x a table of 65536 empty descriptors: status %#x, used %u "
	       "(%llu us)\n", status(NET), u, kick_us);

	up(NET);
	table(BIG, NR_BIG, 1);
	indirect(NET, 1, BIG, NR_BIG);
	post(NET, 1, 0, 256);
	u = kick(NET, 1);
	printf("attack-vq: net, 256 x a table of 65536 whose entry 0 loops: status %#x, used %u "
	       "(%llu us)\n", status(NET), u, kick_us);

	up(NET);
	table(SMALL, 16, 1);
	indirect(NET, 1, SMALL, 16);
	post(NET, 1, 0, 256);
	u = kick(NET, 1);
	printf("attack-vq: net, 256 x a table of 16 whose entry 0 loops: status %#x, used %u\n",
	       status(NET), u);

	up(NET);
	for (i = 0; i < 200; i++)
		desc(NET, 1)[i] = (struct virtq_desc){.addr = BUFS, .len = 0,
						      .flags = i < 199 ? VIRTQ_DESC_F_NEXT : 0,
						      .next = (u16)(i + 1)};
	post(NET, 1, 0, 256);
	u = kick(NET, 1);
	printf("attack-vq: net, 256 x a chain of 200 empty descriptors: status %#x, used %u\n",
	       status(NET), u);
}

/* the disk, with a request in descriptor 0 that it fails at once: past its end */
static void blk_up(void)
{
	up(BLK);
	*(struct virtio_blk_outhdr *)BUFS = (struct virtio_blk_outhdr){
		.type = VIRTIO_BLK_T_IN, .sector = 1u << 30};
	desc(BLK, 0)[0] = (struct virtq_desc){.addr = BUFS, .len = 16,
					      .flags = VIRTQ_DESC_F_NEXT, .next = 1};
	desc(BLK, 0)[1] = (struct virtq_desc){.addr = BUFS + 16, .len = 1,
					      .flags = VIRTQ_DESC_F_WRITE};
	vio_mb();
}

/* the longest chain allowed, in every slot: what the kick does, what comes later */
static void every_slot(void)
{
	u32 u, later;

	up(NET);
	table(SMALL, 128, 0);
	indirect(NET, 1, SMALL, 128);
	post(NET, 1, 0, 256);
	u = kick(NET, 1);
	later = wait_used(NET, 1, 256);
	printf("attack-vq: net, 256 x a table of 128 empty descriptors: status %#x, used %u "
	       "at the kick (%llu us), %u later\n", status(NET), u, kick_us, later);

	blk_up();
	post(BLK, 0, 0, 128);
	u = kick(BLK, 0);
	later = wait_used(BLK, 0, 128);
	printf("attack-vq: disk, 128 x a request past its end: status %#x, used %u at the kick "
	       "(%llu us), %u later, status byte %u\n", status(BLK), u, kick_us, later,
	       *(volatile u8 *)(BUFS + 16));

	up(CON);
	desc(CON, 1)[0] = (struct virtq_desc){.addr = BUFS, .len = 0};
	vio_mb();
	post(CON, 1, 0, 64);
	u = kick(CON, 1);
	later = wait_used(CON, 1, 64);
	printf("attack-vq: console, 64 x an empty buffer: status %#x, used %u at the kick "
	       "(%llu us), %u later\n", status(CON), u, kick_us, later);
}

/*
 * the disk flooded: 128 reads of 128 KiB at once (into one buffer), each in
 * an indirect table of its own. the hypervisor lets the VM have only its
 * share of the board's ring and 2 MiB in flight: the rest wait in its ring,
 * and all come back
 */
static void flood(void)
{
	struct virtq_desc *t = (struct virtq_desc *)SMALL;
	volatile u8 *st = (volatile u8 *)(BUFS + 0x1000);
	u32 i, ok = 0, later;

	up(BLK);
	for (i = 0; i < 128; i++) {
		((struct virtio_blk_outhdr *)BUFS)[i] = (struct virtio_blk_outhdr){
			.type = VIRTIO_BLK_T_IN, .sector = i * 256 % 2048};
		st[i] = 0xee;
		t[3 * i] = (struct virtq_desc){.addr = BUFS + 16 * i, .len = 16,
					       .flags = VIRTQ_DESC_F_NEXT, .next = 1};
		t[3 * i + 1] = (struct virtq_desc){.addr = BUFS + 0x10000, .len = 128 << 10,
						   .flags = VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
						   .next = 2};
		t[3 * i + 2] = (struct virtq_desc){.addr = BUFS + 0x1000 + i, .len = 1,
						   .flags = VIRTQ_DESC_F_WRITE};
		desc(BLK, 0)[i] = (struct virtq_desc){.addr = (u32)&t[3 * i], .len = 48,
						      .flags = VIRTQ_DESC_F_INDIRECT};
	}
	vio_mb();
	for (i = 0; i < 128; i++)
		avail(BLK, 0)[2 + i] = (u16)i;
	vio_mb();
	avail(BLK, 0)[1] = 128;
	vio_mb();
	kick(BLK, 0);
	later = wait_used(BLK, 0, 128);
	for (i = 0; i < 128; i++)
		ok += st[i] == VIRTIO_BLK_S_OK;
	printf("attack-vq: disk, 128 x a read of 128 KiB at once: status %#x, %u came back, "
	       "%u ok\n", status(BLK), later, ok);
}

/*
 * the two vcpus take turns, each waiting in WFI for the other's SGI: the
 * kicker kicks, the feeder makes every buffer that came back available
 * again. (a vcpu that spun while it waited would be a third runnable one
 * beside the neighbour, and under -icount the other cpu's spinning
 * stretches virtual time: neither is the hypervisor's work)
 */
static volatile u32 timed_out; /* sleeps its timer ended, not an SGI */

static void sleep(void)
{
	u32 iar;

	stub_vtimer_set(stub_cntvct() + stub_cntfrq() / 1000, 1); /* at most 1 ms */
	asm volatile("wfi");
	iar = *(volatile u32 *)(GICC + GICC_IAR);
	if ((iar & 0x3ff) != 1023)
		*(volatile u32 *)(GICC + GICC_EOIR) = iar;
	if ((iar & 0x3ff) == IRQ_VTIMER)
		timed_out++;
	stub_vtimer_set(0, 0);
}

static void wake(u32 cpu)
{
	vio_mb();
	*(volatile u32 *)(GICD + GICD_SGIR) = 1u << (16 + cpu) | SGI_GO;
}

/* the feeding vcpu: keeps queue q full with head 0 until it has made total available */
static void feeder(void)
{
	stub_gic_on(SGI_GO); /* (its interrupts stay masked: WFI wakes all the same) */
	stub_gic_on(IRQ_VTIMER);
	for (;;) {
		u32 dev, q, num;
		volatile u16 *a, *us;

		while (!job.go && !job.quit)
			sleep();
		if (job.quit)
			return;
		dev = job.dev, q = job.q, num = job.num;
		a = avail(dev, q);
		us = used(dev, q);
		while (job.posted < job.total && !job.stop) {
			while ((u16)(job.posted - us[1]) < num && job.posted < job.total) {
				a[2 + job.posted % num] = 0;
				vio_mb();
				a[1] = (u16)++job.posted;
			}
			vio_mb();
			wake(!feeder_cpu);
			sleep();
		}
		job.go = 0;
		job.done = 1;
		wake(!feeder_cpu);
	}
}

/*
 * a kick each time the other vcpu has made buffers available again: the
 * most one kick returned, and whether all came back
 */
static void recycle(u32 dev, u32 q, const char *what)
{
	u32 most = 0, before, u;
	u64 end = stub_cntvct() + 5ull * stub_cntfrq();

	job.dev = dev, job.q = q, job.num = qmax[dev], job.total = RECYCLED;
	job.posted = job.stop = job.done = 0;
	vio_mb();
	job.go = 1;
	wake(feeder_cpu);
	while (used(dev, q)[1] != (u16)RECYCLED && stub_cntvct() < end) {
		sleep();
		before = used(dev, q)[1];
		u = (u16)(kick(dev, q) - before);
		most = u > most ? u : most;
		wake(feeder_cpu);
	}
	job.stop = 1;
	while (!job.done) {
		wake(feeder_cpu);
		sleep();
	}
	printf("attack-vq: %s, %u recycled: status %#x, %u used, at most %u by one kick\n", what,
	       RECYCLED, status(dev), used(dev, q)[1], most);
}

static void attacks(void)
{
	u64 end = stub_cntvct() + stub_cntfrq() / 5;

	while (stub_cntvct() < end) /* the neighbour's ticks start */
		;
	stub_gic_on(SGI_GO);
	stub_gic_on(IRQ_VTIMER);
	refusals();
	every_slot();
	flood();
	up(CON);
	desc(CON, 1)[0] = (struct virtq_desc){.addr = BUFS, .len = 0};
	recycle(CON, 1, "console, empty buffers");
	blk_up();
	recycle(BLK, 0, "disk, requests past its end");
	up(NET);
	desc(NET, 1)[0] = (struct virtq_desc){.addr = BUFS, .len = 0};
	recycle(NET, 1, "net, empty frames");
	job.quit = 1;
	wake(feeder_cpu);
	printf("attack-vq: done (%u sleeps ended by the timer)\n", timed_out);
	power_off();
}

int main(void)
{
	u32 kicker = stub_bootarg("kicker=", 0);

	feeder_cpu = !kicker;
	if (stub_cpu_on(1, kicker ? attacks : feeder, &stack1[STUB_STACK_SIZE]) != 0)
		printf("FAIL: CPU_ON\n");
	if (kicker)
		feeder();
	else
		attacks();
	for (;;)
		asm volatile("wfi");
}
