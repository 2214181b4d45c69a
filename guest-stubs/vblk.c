/*
 * vblk: the virtio disk (slot 1) from a stub's side. by default: writes
 * and reads back at both ends of its disk, out-of-range and misshapen
 * requests (IOERR), an unknown type (UNSUPP), flush, get-id, a read through
 * an indirect table, a chain into memory that is not its own (DEVICE_NEEDS_
 * RESET), and a request after the reset. "pattern=N": fills its whole disk
 * with N's pattern, writes one sector past its end, and reads it all back
 * (the isolation test looks at the board's image afterwards). "reset=1": a
 * write that completes, four more left in flight, and PSCI SYSTEM_RESET; the
 * next boot finds the first write on its disk (a marker there says which
 * boot it is) and the disk still answering.
 */
#include "lib.h"
#include "stub.h"
#include "vio.h"

#define BASE		VIO_BASE(1)
#define SECTOR		512u
#define CHUNK		8u		/* sectors a request */

static struct vio_q q;
static struct virtio_blk_outhdr hdr;
static volatile u8 status;
static u8 buf[CHUNK * SECTOR] __attribute__((aligned(8)));
static struct virtq_desc table[3] __attribute__((aligned(16)));
static u64 sectors;
static u32 used_len;

/* waits for the chain at head; returns the device's status byte */
static u32 wait_for(u16 head)
{
	vio_kick(BASE, 0, &q, head);
	while (vio_used(&q, &used_len) != head)
		if (vio_read(BASE, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET)
			return 0x100;
	return status;
}

/* header, data (device-writable for a read), status: three descriptors */
static u32 request(u32 type, u64 sector, void *data, u32 len)
{
	u16 head;

	hdr = (struct virtio_blk_outhdr){ .type = type, .sector = sector };
	status = 0xee;
	head = vio_desc(&q, &hdr, sizeof(hdr), 0, 1);
	if (len)
		vio_desc(&q, data, len, type == VIRTIO_BLK_T_OUT ? 0 : VIRTQ_DESC_F_WRITE, 1);
	vio_desc(&q, (void *)&status, 1, VIRTQ_DESC_F_WRITE, 0);
	return wait_for(head);
}

static void fill(u32 tag, u64 sector)
{
	u32 *w = (u32 *)buf, i;

	for (i = 0; i < sizeof(buf) / 4; i++)
		w[i] = tag << 24 ^ (u32)(sector + i / (SECTOR / 4)) << 8 ^ (i % (SECTOR / 4));
}

static u32 differ(u32 tag, u64 sector)
{
	static u8 want[sizeof(buf)];

	memcpy(want, buf, sizeof(buf));
	fill(tag, sector);
	return memcmp(want, buf, sizeof(buf)) != 0;
}

static void setup(u64 features)
{
	u64 offered = vio_probe(BASE, VIRTIO_ID_BLOCK);

	if (!offered || !vio_features(BASE, features & offered)) {
		printf("FAIL: no virtio disk at %#x\n", BASE);
		power_off();
	}
	sectors = vio_read(BASE, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY) |
		  (u64)vio_read(BASE, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY + 4) << 32;
	vio_queue(BASE, 0, &q);
	vio_driver_ok(BASE);
}

/* the whole disk: tag's pattern written, one sector past the end, read back */
static void pattern(u32 tag)
{
	u32 bad = 0, past;
	u64 s;

	for (s = 0; s < sectors; s += CHUNK) {
		fill(tag, s);
		bad += request(VIRTIO_BLK_T_OUT, s, buf, sizeof(buf)) != VIRTIO_BLK_S_OK;
	}
	fill(0xff, sectors);
	past = request(VIRTIO_BLK_T_OUT, sectors, buf, SECTOR);
	bad += request(VIRTIO_BLK_T_FLUSH, 0, NULL, 0) != VIRTIO_BLK_S_OK;
	for (s = 0; s < sectors; s += CHUNK) {
		memset(buf, 0, sizeof(buf));
		bad += request(VIRTIO_BLK_T_IN, s, buf, sizeof(buf)) != VIRTIO_BLK_S_OK;
		bad += differ(tag, s);
	}
	printf("vblk: pattern %u: %llu sectors written and read back, %u bad; one past "
	       "the end: status %u\n", tag, sectors, bad, past);
}

/* the first boot leaves requests in flight and resets its VM; the second looks */
static void reset_in_flight(void)
{
	u32 first, i, bad;
	u16 head;

	memset(buf, 0, sizeof(buf));
	request(VIRTIO_BLK_T_IN, 0, buf, sizeof(buf));
	if (differ(5, 0)) {
		fill(5, 0);
		first = request(VIRTIO_BLK_T_OUT, 0, buf, sizeof(buf));
		fill(6, 8);
		for (i = 0; i < 4; i++) {	/* not waited for: still going when the VM resets */
			hdr = (struct virtio_blk_outhdr){ .type = VIRTIO_BLK_T_OUT, .sector = 8 + 8 * i };
			head = vio_desc(&q, &hdr, sizeof(hdr), 0, 1);
			vio_desc(&q, buf, sizeof(buf), 0, 1);
			vio_desc(&q, (void *)&status, 1, VIRTQ_DESC_F_WRITE, 0);
			vio_kick(BASE, 0, &q, head);
		}
		printf("vblk: first boot: a write done (status %u), 4 in flight: reset\n", first);
		hvc_call(0x84000009, 0, 0, 0);		/* PSCI SYSTEM_RESET */
		printf("FAIL: still running after SYSTEM_RESET\n");
		return;
	}
	bad = differ(5, 0);
	fill(0, 0);
	request(VIRTIO_BLK_T_OUT, 0, buf, sizeof(buf));	/* the marker gone, for the next run */
	printf("vblk: after the reset: the completed write is there (%u bad), and the disk "
	       "answers (%u)\n", bad, request(VIRTIO_BLK_T_FLUSH, 0, NULL, 0));
}

int main(void)
{
	u32 tag = stub_bootarg("pattern=", 0), wr, rd, rd_end, past, across, far, odd, unsupp,
	    flush, idst, ind, ring, after;
	char id[VIRTIO_BLK_ID_BYTES + 1] = "";
	u16 head;

	setup(1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_INDIRECT_DESC);
	printf("vblk: %llu sectors, seg_max %u, blk_size %u\n", sectors,
	       vio_read(BASE, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_SEG_MAX),
	       vio_read(BASE, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_BLK_SIZE));
	if (tag) {
		pattern(tag);
		return 0;
	}
	if (stub_bootarg("reset=", 0)) {
		reset_in_flight();
		return 0;
	}
	/* both ends of the disk, written and read back */
	fill(7, 0);
	wr = request(VIRTIO_BLK_T_OUT, 0, buf, sizeof(buf));
	memset(buf, 0, sizeof(buf));
	rd = request(VIRTIO_BLK_T_IN, 0, buf, sizeof(buf)) | differ(7, 0) << 4;
	fill(9, sectors - CHUNK);
	wr |= request(VIRTIO_BLK_T_OUT, sectors - CHUNK, buf, sizeof(buf));
	memset(buf, 0, sizeof(buf));
	rd_end = request(VIRTIO_BLK_T_IN, sectors - CHUNK, buf, sizeof(buf)) |
		 differ(9, sectors - CHUNK) << 4;
	/* out of its range, or misshapen: IOERR; unknown: UNSUPP */
	past = request(VIRTIO_BLK_T_IN, sectors, buf, SECTOR);
	across = request(VIRTIO_BLK_T_OUT, sectors - 1, buf, 2 * SECTOR);
	far = request(VIRTIO_BLK_T_IN, ~0ull - 1, buf, 4 * SECTOR);
	odd = request(VIRTIO_BLK_T_IN, 0, buf, 100);
	unsupp = request(99, 0, buf, SECTOR);
	flush = request(VIRTIO_BLK_T_FLUSH, 0, NULL, 0);
	idst = request(VIRTIO_BLK_T_GET_ID, 0, id, VIRTIO_BLK_ID_BYTES);
	/* a read through an indirect table: header, data, status */
	memset(buf, 0, sizeof(buf));
	hdr = (struct virtio_blk_outhdr){ .type = VIRTIO_BLK_T_IN, .sector = 0 };
	table[0] = (struct virtq_desc){ (u32)&hdr, sizeof(hdr), VIRTQ_DESC_F_NEXT, 1 };
	table[1] = (struct virtq_desc){ (u32)buf, sizeof(buf),
					VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2 };
	table[2] = (struct virtq_desc){ (u32)&status, 1, VIRTQ_DESC_F_WRITE, 0 };
	status = 0xee;
	ind = wait_for(vio_desc(&q, table, sizeof(table), VIRTQ_DESC_F_INDIRECT, 0)) |
	      differ(7, 0) << 4;
	/* a buffer outside its RAM (another VM's, or the hypervisor's, are beyond it) */
	hdr = (struct virtio_blk_outhdr){ .type = VIRTIO_BLK_T_IN, .sector = 0 };
	head = vio_desc(&q, &hdr, sizeof(hdr), 0, 1);
	vio_desc(&q, (void *)0x48000000u, SECTOR, VIRTQ_DESC_F_WRITE, 1);
	vio_desc(&q, (void *)&status, 1, VIRTQ_DESC_F_WRITE, 0);
	wait_for(head);
	ring = vio_read(BASE, VIRTIO_MMIO_STATUS) | vio_read(BASE, VIRTIO_MMIO_INTERRUPT_STATUS) << 8;
	/* reset: it works again */
	setup(1ull << VIRTIO_F_VERSION_1);
	memset(buf, 0, sizeof(buf));
	after = request(VIRTIO_BLK_T_IN, 0, buf, sizeof(buf)) | differ(7, 0) << 4;
	printf("vblk: write %u, read back %#x, at the end %#x; past the end %u, across it %u, "
	       "far %u, 100 bytes %u; type 99 %u; flush %u; get-id %u '%s'\n", wr, rd, rd_end,
	       past, across, far, odd, unsupp, flush, idst, id);
	printf("vblk: indirect %#x; a buffer outside its RAM: status %#x, isr %u; after a "
	       "reset %#x\n", ind, ring & 0xff, ring >> 8, after);
	return 0;
}
