/* host unit test for hyp/core/traplog.c: the header, vm names and the ring of recent traps. */
#include <stdint.h>
#include <string.h>
#include "trapprint.h"
#include "traplog_inc.h"
#include "check.h"

#define TOTAL	(TRAPLOG_RING_LEN * 2 + 7)

static struct traplog_rec out[TRAPLOG_MAX_CPUS * TRAPLOG_RING_LEN + 100];

/* record number i (1-based) on a cpu, with fields derived from i */
static void record_on(u32 cpu, u32 i, u64 now)
{
	struct traplog_rec *r = traplog_record(&traplog.ring[cpu], traplog.rec[cpu],
					       TRAPLOG_WHO(i % TRAPLOG_MAX_VMS, i % TRAPLOG_MAX_VCPUS) |
					       (i % 64) << 16, 0x90000000u + i, 0x80008000u + 4 * i,
					       now);

	CHECK_EQ(r->seq, i);
	r->ipa = 0x80000000u + i;	/* as the abort handlers do */
}

static void record(u32 i)
{
	record_on(0, i, 0x100000000ull * i + 7);
}

/* whether rec is record number i as record() made it */
static void check_rec(const struct traplog_rec *r, u32 i)
{
	CHECK_EQ(r->seq, i);
	CHECK_EQ(r->vm, i % TRAPLOG_MAX_VMS);
	CHECK_EQ(r->vcpu, i % TRAPLOG_MAX_VCPUS);
	CHECK_EQ(r->ec, i % 64);
	CHECK_EQ(r->flags, 0);
	CHECK_EQ(r->hsr, 0x90000000u + i);
	CHECK_EQ(r->pc, 0x80008000u + 4 * i);
	CHECK_EQ(r->ipa, 0x80000000u + i);
	CHECK_EQ(r->cost, 0);			/* measured later, by the dispatch point */
	CHECK_EQ(r->timestamp, 0x100000000ull * i + 7);
}

static void test_init(void)
{
	memset(&traplog, 0x5a, sizeof(traplog));
	traplog_init(62500000, 2);
	CHECK_EQ((uintptr_t)&traplog & 4095, 0);
	CHECK_EQ(traplog.magic, 0x504c5254);
	CHECK(memcmp(&traplog.magic, "TRLP", 4) == 0);
	CHECK_EQ(traplog.version, 8);
	CHECK_EQ(traplog.uplink.present, 0); /* until the board's card is up */
	CHECK_EQ(traplog.header_size, 16384);
	CHECK_EQ(traplog.size, sizeof(struct traplog));
	CHECK_EQ(traplog.size, 16384 + 8 * 16384 + 4 * 32 * 1024);
	CHECK_EQ(traplog.nr_rings, 2);
	CHECK_EQ(traplog.ring[0].recording, 1);
	CHECK_EQ(traplog.ring[3].recording, 1);
	CHECK_EQ(traplog_set_recording(0), 1);
	CHECK_EQ(traplog.ring[2].recording, 0);
	CHECK_EQ(traplog_set_recording(1), 0);
	CHECK_EQ(traplog.nr_vms, 0);
	CHECK_EQ(traplog.max_vcpus, 4);
	CHECK_EQ(traplog.nr_ec, 64);
	CHECK_EQ(traplog.ring_len, 1024);
	CHECK_EQ(traplog.ring[0].seq, 0);
	CHECK_EQ(traplog.ring[3].seq, 0);
	CHECK_EQ(traplog.cntfrq, 62500000);
	traplog.rec[1][1].cost = 0x77;			/* left over from before */
	CHECK_EQ(traplog_mark(1, TRAPLOG_WHO(3, 1), 0xabcd, 0x40010000, 99), 1);	/* a mark */
	CHECK_EQ(traplog.ring[1].seq, 1);
	CHECK_EQ(traplog.ring[0].seq, 0);
	CHECK_EQ(traplog.rec[1][1].ec, TRAPLOG_ROW_MARK);
	CHECK_EQ(traplog.rec[1][1].vm, 3);
	CHECK_EQ(traplog.rec[1][1].vcpu, 1);
	CHECK_EQ(traplog.rec[1][1].hsr, 0xabcd);
	CHECK_EQ(traplog.rec[1][1].pc, 0x40010000);
	CHECK_EQ(traplog.rec[1][1].timestamp, 99);
	CHECK_EQ(traplog.rec[1][1].cost, 0);
	CHECK_EQ(traplog_mark(1, TRAPLOG_WHO(3, 1), 0xabce, 0x40010004, 100), 2);
	traplog.ring[1].seq = 0;
	memset(traplog.rec, 0, sizeof(traplog.rec));
	/* everything else is cleared */
	CHECK_EQ(traplog.vm[7].vcpu[3].total, 0);
	CHECK_EQ(traplog.vm[0].name[0], 0);
	CHECK_EQ(traplog.rec[3][TRAPLOG_RING_LEN - 1].seq, 0);
	CHECK_EQ(traplog_last(out, 10), 0);
}

static void test_vm_init(void)
{
	traplog_init(1000, 1);
	traplog.vm[2].vcpu[1].total = 99;
	traplog_vm_init(2, "a-very-long-vm-name-here", 2);
	CHECK(memcmp(traplog.vm[2].name, "a-very-long-vm-\0", 16) == 0);
	CHECK_EQ(traplog.vm[2].id, 2);
	CHECK_EQ(traplog.vm[2].nr_vcpus, 2);
	CHECK_EQ(traplog.vm[2].vcpu[1].total, 0);
	CHECK_EQ(traplog.nr_vms, 3);

	/* exactly 15 characters fit; 16 lose the last */
	traplog_vm_init(1, "fifteen-chars-x", 4);
	CHECK(memcmp(traplog.vm[1].name, "fifteen-chars-x\0", 16) == 0);
	traplog_vm_init(1, "sixteen-chars-xy", 1);
	CHECK(memcmp(traplog.vm[1].name, "sixteen-chars-x\0", 16) == 0);
	CHECK_EQ(traplog.vm[1].nr_vcpus, 1);
	CHECK_EQ(traplog.nr_vms, 3);

	/* a short name after a long one leaves no tail behind */
	traplog_vm_init(2, "hvc", 1);
	CHECK(memcmp(traplog.vm[2].name, "hvc\0\0\0\0\0\0\0\0\0\0\0\0\0", 16) == 0);
	CHECK_EQ(traplog.nr_vms, 3);
	traplog_vm_init(7, "", 4);
	CHECK_EQ(traplog.vm[7].name[0], 0);
	CHECK_EQ(traplog.vm[7].id, 7);
	CHECK_EQ(traplog.nr_vms, 8);
}

static void test_few(void)
{
	u32 i;

	traplog_init(1000, 1);
	for (i = 1; i <= 5; i++)
		record(i);
	CHECK_EQ(traplog.ring[0].seq, 5);

	memset(out, 0xee, sizeof(out));
	CHECK_EQ(traplog_last(out, 3), 3);
	for (i = 0; i < 3; i++)
		check_rec(&out[i], 3 + i);
	CHECK_EQ(out[3].seq, 0xeeeeeeee);

	/* more than were recorded: all five */
	memset(out, 0xee, sizeof(out));
	CHECK_EQ(traplog_last(out, 100), 5);
	for (i = 0; i < 5; i++)
		check_rec(&out[i], 1 + i);
	CHECK_EQ(out[5].seq, 0xeeeeeeee);

	CHECK_EQ(traplog_last(out, 1), 1);
	check_rec(&out[0], 5);
	memset(out, 0xee, sizeof(out));
	CHECK_EQ(traplog_last(out, 0), 0);
	CHECK_EQ(out[0].seq, 0xeeeeeeee);
}

static void test_wrap(void)
{
	u32 i, n;

	traplog_init(1000, 1);
	for (i = 1; i <= TOTAL; i++)
		record(i);
	CHECK_EQ(traplog.ring[0].seq, TOTAL);

	memset(out, 0xee, sizeof(out));
	CHECK_EQ(traplog_last(out, TRAPLOG_RING_LEN), TRAPLOG_RING_LEN);
	for (i = 0; i < TRAPLOG_RING_LEN; i++)
		check_rec(&out[i], TOTAL - TRAPLOG_RING_LEN + 1 + i);
	CHECK_EQ(out[TRAPLOG_RING_LEN - 1].seq, TOTAL);
	CHECK_EQ(out[TRAPLOG_RING_LEN].seq, 0xeeeeeeee);

	/* asking for more than the ring holds is capped */
	memset(out, 0xee, sizeof(out));
	CHECK_EQ(traplog_last(out, TRAPLOG_RING_LEN + 100), TRAPLOG_RING_LEN);
	for (i = 0; i < TRAPLOG_RING_LEN; i++)
		CHECK_EQ(out[i].seq, TOTAL - TRAPLOG_RING_LEN + 1 + i);
	CHECK_EQ(out[TRAPLOG_RING_LEN].seq, 0xeeeeeeee);
	CHECK_EQ(traplog_last(out, 0xffffffffu), TRAPLOG_RING_LEN);

	/* a short window of the wrapped ring, across the slot 1023 -> 0 edge */
	for (n = 1; n <= 16; n++) {
		CHECK_EQ(traplog_last(out, n), n);
		for (i = 0; i < n; i++)
			check_rec(&out[i], TOTAL - n + 1 + i);
	}
	record(TOTAL + 1);
	CHECK_EQ(traplog_last(out, 2), 2);
	check_rec(&out[0], TOTAL);
	check_rec(&out[1], TOTAL + 1);
	CHECK_EQ(traplog.ring[0].seq, TOTAL + 1);
}

/*
 * two cpus' rings merged by timestamp: cpu 0 at even times, cpu 2 at odd
 * ones and at some of the even ones too (a tie goes to cpu 0 first).
 */
static void test_merge(void)
{
	u32 i, n0 = 0, n2 = 0;
	u64 t, last = 0;

	traplog_init(1000, 3);
	for (t = 1; t <= 3000; t++) {
		if (t % 2 == 0)
			record_on(0, ++n0, t);
		if (t % 2 == 1 || t % 10 == 0)
			record_on(2, ++n2, t);
	}
	CHECK_EQ(traplog.ring[0].seq, 1500);
	CHECK_EQ(traplog.ring[2].seq, 1800);
	CHECK_EQ(traplog.ring[1].seq, 0);
	/* held: 1024 of each; asking for more gets all 2048, in order */
	CHECK_EQ(traplog_last(out, 0xffffffffu), 2 * TRAPLOG_RING_LEN);
	for (i = 0; i < 2 * TRAPLOG_RING_LEN; i++) {
		CHECK(out[i].timestamp >= last);
		last = out[i].timestamp;
	}
	CHECK_EQ(out[0].timestamp, 3000 - 2 * 1024 + 2);	/* cpu 0's oldest held */
	last = 0;
	CHECK_EQ(traplog_last(out, 40), 40);
	for (i = 0; i < 40; i++) {
		CHECK(out[i].timestamp >= last);
		last = out[i].timestamp;
	}
	CHECK_EQ(out[39].timestamp, 3000);
	CHECK_EQ(out[39].seq, 1800);		/* the tie at 3000: cpu 2 after cpu 0 */
	CHECK_EQ(out[38].timestamp, 3000);
	CHECK_EQ(out[38].seq, 1500);
	CHECK_EQ(out[37].timestamp, 2999);
	CHECK_EQ(out[37].seq, 1799);
	CHECK_EQ(out[36].timestamp, 2998);
	CHECK_EQ(out[36].seq, 1499);
}

/* one VM's last records among another's, on two cpus (vm_print_trace) */
static void test_last_of_vm(void)
{
	u32 i;

	traplog_init(1000, 2);
	/* vm 1 on cpu 1 every 10th tick; vm 0 on cpu 0 at every tick, more than a ring */
	for (i = 1; i <= 3000; i++) {
		traplog_record(&traplog.ring[0], traplog.rec[0], TRAPLOG_WHO(0, 0), 0, i, i);
		if (i % 10 == 0)
			traplog_record(&traplog.ring[1], traplog.rec[1], TRAPLOG_WHO(1, 2), 0, i, i);
	}
	memset(out, 0xee, sizeof(out));
	CHECK_EQ(traplog_last_of(1, out, 8), 8);
	for (i = 0; i < 8; i++) {
		CHECK_EQ(out[i].vm, 1);
		CHECK_EQ(out[i].vcpu, 2);
		CHECK_EQ(out[i].timestamp, 3000 - 10 * (7 - i));
	}
	CHECK_EQ(out[8].seq, 0xeeeeeeee);
	/* all of vm 1's 300 are held, though vm 0 wrote 3000 since its first */
	CHECK_EQ(traplog_last_of(1, out, 0xffffffffu), 300);
	CHECK_EQ(out[0].timestamp, 10);
	CHECK_EQ(out[299].timestamp, 3000);
	/* vm 0's: only its ring's last 1024 */
	CHECK_EQ(traplog_last_of(0, out, 2000), TRAPLOG_RING_LEN);
	CHECK_EQ(out[0].timestamp, 3000 - TRAPLOG_RING_LEN + 1);
	CHECK_EQ(out[TRAPLOG_RING_LEN - 1].pc, 3000);
	/* a VM with none */
	CHECK_EQ(traplog_last_of(5, out, 8), 0);
	CHECK_EQ(traplog_last_of(TRAPLOG_ANY_VM, out, 3), 3);
	CHECK_EQ(out[2].timestamp, 3000);
	CHECK_EQ(out[2].vm, 1);			/* the tie at 3000: cpu 1 after cpu 0 */
}

/* an "own" VM's block alone: the header's constants copied into it */
static void test_own_block(void)
{
	traplog_init(62500000, 2);
	traplog_vm_init(2, "own", 1);
	CHECK_EQ(traplog.vm[2].magic, TRAPLOG_MAGIC);
	CHECK_EQ(traplog.vm[2].version, TRAPLOG_VERSION);
	CHECK_EQ(traplog.vm[2].size, TRAPLOG_VM_SIZE);
	CHECK_EQ(traplog.vm[2].id, 2);
	CHECK_EQ(traplog.vm[2].cntfrq, 62500000);
}

/* a row's worst trap: the costliest and its pc; a tie keeps the first */
static void test_worst(void)
{
	struct traplog_vcpu *l = &traplog.vm[0].vcpu[0];
	void *base = (char *)l + 0x24 * sizeof(struct traplog_row);

	memset(l, 0, sizeof(*l));
	traplog_row_inc(base, TRAPLOG_ROW_AT(count));
	traplog_row_add(base, TRAPLOG_ROW_AT(cycles), 500);
	traplog_row_worst(base, 500, 0x1000);
	traplog_row_worst(base, 200, 0x2000);
	traplog_row_worst(base, 500, 0x3000);
	CHECK_EQ(l->row[0x24].count, 1);
	CHECK_EQ(l->row[0x24].cycles, 500);
	CHECK_EQ(l->row[0x24].worst, 500);
	CHECK_EQ(l->row[0x24].worst_pc, 0x1000);
	traplog_row_worst(base, 501, 0x4000);
	CHECK_EQ(l->row[0x24].worst, 501);
	CHECK_EQ(l->row[0x24].worst_pc, 0x4000);
	CHECK_EQ(l->row[0x23].worst, 0);
	CHECK_EQ(l->row[0x25].worst_pc, 0);
}

int main(void)
{
	test_own_block();
	test_worst();
	test_init();
	test_vm_init();
	test_few();
	test_wrap();
	test_merge();
	test_last_of_vm();
	return check_done("test_traplog");
}
