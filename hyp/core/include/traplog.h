/*
 * the trap log: a fixed-layout, versioned region every reader shares (the
 * uart tables, gdb, host tools). counting is always on; each vcpu's counters
 * are written only by the cpu running it, so the hot path takes no lock.
 * changing anything here means bumping TRAPLOG_VERSION and tools/traplog.py,
 * which takes the sizes and offsets from here (consts.c) and refuses to run
 * while its record formats or its version disagree.
 */
#ifndef TRAPLOG_H
#define TRAPLOG_H

#include "types.h"

/* --- implemented by arch ------------------------------------------------ */
const char *arch_hsr_ec_name(u32 ec); /* the name of row ec's exception class (hsr.c) */

#define TRAPLOG_MAGIC	     0x504c5254u /* "TRLP" little-endian */
#define TRAPLOG_VERSION	     8
#define TRAPLOG_MAX_VMS	     8
#define TRAPLOG_MAX_VCPUS    4
#define TRAPLOG_MAX_CPUS     4 /* one ring each */
#define TRAPLOG_NR_EC	     64
#define TRAPLOG_NR_HVC_RANGE 8
#define TRAPLOG_NR_MMIO_DEV  8
#define TRAPLOG_NR_QUEUES    4	  /* virtqueues counted per device */
#define TRAPLOG_RING_LEN     1024 /* records per cpu: a power of two */
#define TRAPLOG_NAME_LEN     16
#define TRAPLOG_VM_SIZE	     16384 /* each VM's block: four pages, all "own" maps */

/* hvc/smc function-id ranges, by SMCCC owner (DEN0028 2.5) */
enum traplog_hvc_range {
	HVC_RANGE_ARCH,	      /* owner 0: SMCCC_VERSION, ARCH_FEATURES */
	HVC_RANGE_PSCI,	      /* owner 4: standard secure service */
	HVC_RANGE_STD_HYP,    /* owner 5 */
	HVC_RANGE_VENDOR_HYP, /* owner 6: this hypervisor's calls */
	HVC_RANGE_OTHER_FAST, /* any other fast call */
	HVC_RANGE_NULL,	      /* the null hypercall (hvc #0, r0 = 0) */
	HVC_RANGE_YIELDING,   /* bit 31 clear: not a fast call */
	HVC_RANGE_IMM,	      /* hvc with a non-zero immediate */
};

/*
 * rows of the counters: the 64 exception classes, then interrupts; ring
 * records also carry guest marks.
 */
#define TRAPLOG_ROW_IRQ	 TRAPLOG_NR_EC
#define TRAPLOG_NR_ROWS	 (TRAPLOG_NR_EC + 1)
#define TRAPLOG_ROW_MARK (TRAPLOG_NR_EC + 1) /* hsr holds the guest's tag */
/* a control action (control.c): vm.vcpu is the caller (vm 0xff: the console),
 * hsr the HYP_CTL_* call, pc its target VM | r2 << 8 | r3 << 16, ipa its result */
#define TRAPLOG_ROW_CTL	    (TRAPLOG_NR_EC + 2)
#define TRAPLOG_CTL_CONSOLE 0xffu
#define TRAPLOG_ROW_HVC	    0x12 /* HSR.EC of hvc: the null call returns its count */

/*
 * a row of a vcpu's counters: an exception class, or interrupts. 32 bytes,
 * so the trap path reaches every field of a row from one address (one add).
 */
struct traplog_row {
	u64 count;    /* traps */
	u64 cycles;   /* hyp cycles spent on them (trap_entry) */
	u32 worst;    /* the most hyp cycles one of them cost */
	u32 worst_pc; /* and that trap's guest pc */
	u32 reserved[2];
};

/*
 * the counters the null call touches (total, hvc[]) lie within ldrd's 255
 * bytes of the start: the trap path reaches them without an add.
 */
struct traplog_vcpu {
	u64 total;				 /* sum of the rows' counts */
	u64 hvc[TRAPLOG_NR_HVC_RANGE];		 /* hvc and smc calls by id range */
	u64 switches;				 /* world switches into this vcpu */
	u64 injected;				 /* aborts and undefs given to the guest */
	u64 passthrough;			 /* its devices' physical interrupts handed to it */
	struct traplog_row row[TRAPLOG_NR_ROWS]; /* the 64 exception classes, then irq */
	u64 mmio[TRAPLOG_NR_MMIO_DEV];		 /* emulated accesses per device */
	/* virtio QueueNotify writes per device (as mmio[]) and queue */
	u64 notify[TRAPLOG_NR_MMIO_DEV][TRAPLOG_NR_QUEUES];
};

/*
 * a port of the switch between VMs (netsw.c): a VM's virtio-net, or the
 * uplink. in: frames the port gave the switch, dropped ones too; out: frames
 * the switch put into it (a broadcast counts once at each port it reaches).
 */
struct traplog_net {
	u8 mac[6];
	u16 present; /* 1: the port exists */
	u64 in_frames, in_bytes;
	u64 out_frames, out_bytes;
	u64 drop_full;	  /* to it: no receive buffer, or none big enough */
	u64 drop_spoof;	  /* from it: a source address not its own */
	u64 drop_bad;	  /* from it: shorter than a header or over ETH_FRAME_MAX */
	u64 drop_unknown; /* from it: unicast to no other port */
};

/*
 * pages of its own: all a "traplog = own" VM sees of the log (vm.c,
 * map_traplog), so it starts with a copy of the log's constants, and holds
 * nothing of another VM or of the board.
 */
struct traplog_vm {
	u32 magic;   /* TRAPLOG_MAGIC, */
	u16 version; /* TRAPLOG_VERSION, */
	u16 reserved0;
	u32 size; /* TRAPLOG_VM_SIZE, as in the header */
	u32 id;
	char name[TRAPLOG_NAME_LEN];
	u32 nr_vcpus;
	u32 state; /* enum vm_state */
	u32 nr_mmio_dev;
	u32 reserved1;
	u64 cntfrq; /* as the header's */
	char mmio_name[TRAPLOG_NR_MMIO_DEV][8];
	u32 reserved2[2];
	struct traplog_vcpu vcpu[TRAPLOG_MAX_VCPUS];
	struct traplog_net net; /* its virtio-net's port */
} __attribute__((aligned(TRAPLOG_VM_SIZE)));

struct traplog_rec {
	u64 timestamp; /* CNTPCT at the trap */
	u32 seq;       /* 1, 2, 3, ... on its cpu: holes mean lost records */
	union {
		struct {
			u8 vm, vcpu, ec, flags;
		};
		u32 who; /* the four above, stored at once */
	};
	u32 hsr;
	u32 pc;	  /* guest pc of the trapping instruction */
	u32 ipa;  /* faulting ipa for aborts, else 0 */
	u32 cost; /* hyp cycles of this trap (see trap_entry) */
};

/*
 * one ring per physical cpu, written only by that cpu: no atomics, no
 * barriers on the hot path. readers merge the rings by timestamp (CNTPCT
 * is the same clock on every cpu). each ring's head is in the header page.
 */
struct traplog_ring {
	u32 seq;	      /* the last sequence number written here */
	u32 recording;	      /* 1: its traps go into the ring */
	u32 hyp_cycles;	      /* the hyp cycle counter at its last trap's end */
	u32 hyp_cycles_start; /* and when its traps started being measured */
	u32 reserved[4];
};

struct traplog {
	u32 magic;
	u16 version;
	u16 header_size; /* offsetof(vm) */
	u32 size;	 /* sizeof(struct traplog) */
	u32 nr_vms;
	u32 max_vcpus;
	u32 nr_ec;
	u32 ring_len;
	u32 nr_rings; /* one per cpu */
	u64 cntfrq;   /* ticks per second of the timestamps */
	u32 reserved[2];
	struct traplog_ring ring[TRAPLOG_MAX_CPUS];
	struct traplog_net uplink;	       /* the switch's port to the board's network card */
	struct traplog_vm vm[TRAPLOG_MAX_VMS]; /* page 4 onwards, four pages each */
	struct traplog_rec rec[TRAPLOG_MAX_CPUS][TRAPLOG_RING_LEN];
};

extern struct traplog traplog;

/* the layout is an interface: pin it. */
_Static_assert(sizeof(struct traplog_row) == 32, "a row: one shift from its index");
_Static_assert(sizeof(struct traplog_vcpu) == 96 + 32 * 65 + 8 * (8 + 8 * 4), "vcpu log");
_Static_assert(__builtin_offsetof(struct traplog_vcpu, hvc) + 8 * TRAPLOG_NR_HVC_RANGE <= 255,
	       "total and hvc[] within ldrd's reach");
_Static_assert(sizeof(struct traplog_rec) == 32, "ring record");
_Static_assert(__builtin_offsetof(struct traplog, vm) == 16384, "header, padded");
_Static_assert(sizeof(struct traplog_vm) == 16384, "four pages per vm");
_Static_assert(__builtin_offsetof(struct traplog_vm, vcpu) == 128, "vm header");
_Static_assert(__builtin_offsetof(struct traplog, ring) == 48, "ring heads");
_Static_assert(sizeof(struct traplog_ring) == 32, "ring head");
_Static_assert(sizeof(struct traplog_net) == 72, "switch port");
_Static_assert(__builtin_offsetof(struct traplog, uplink) == 176, "uplink port");
_Static_assert(__builtin_offsetof(struct traplog_vm, net) == 128 + 4 * 2496, "vm's port");
_Static_assert(__builtin_offsetof(struct traplog, rec) == 9 * 16384, "rings");
_Static_assert(sizeof(struct traplog) == 9 * 16384 + 4 * 32 * 1024, "whole log");

void traplog_init(u64 cntfrq, u32 nr_cpus);
u32 traplog_set_recording(u32 on);
u32 traplog_mark(u32 cpu, u32 who, u32 tag, u32 pc, u64 now);
void traplog_ctl(u32 cpu, u32 who, u32 fid, u32 args, u32 result, u64 now);
void traplog_vm_init(u32 vm, const char *name, u32 nr_vcpus);

/*
 * a row's fields as offsets from its base (the vcpu's log plus row * 32):
 * the trap path reaches every field of a row from that one register.
 */
#define TRAPLOG_ROW_AT(f) \
	(__builtin_offsetof(struct traplog_vcpu, row) + __builtin_offsetof(struct traplog_row, f))
_Static_assert(TRAPLOG_ROW_AT(cycles) + 8 <= 255 &&
		       TRAPLOG_ROW_AT(worst_pc) == TRAPLOG_ROW_AT(worst) + 4,
	       "a row's fields within ldrd's reach of its base");

/* "who" for a record: TRAPLOG_WHO(vm, vcpu) | ec << 16 */
#define TRAPLOG_WHO(vm, vcpu) ((u32)(vm) | (u32)(vcpu) << 8)
#define TRAPLOG_WHO_VM(who)   ((who)&0xff)
#define TRAPLOG_WHO_VCPU(who) ((who) >> 8 & 0xff)

/*
 * the next record of a cpu's ring (the dispatch point has its own copy of
 * this, in one stm). the trap's cost is filled in when the trap ends, the
 * ipa by the abort handlers. a reader racing the writer can see a record
 * half written: the rings are meant to be read with the board stopped (gdb,
 * a dump) or after the fact.
 */
static inline struct traplog_rec *traplog_record(struct traplog_ring *ring,
						 struct traplog_rec *recs, u32 who, u32 hsr, u32 pc,
						 u64 now)
{
	u32 seq = ring->seq + 1;
	struct traplog_rec *r = &recs[seq & (TRAPLOG_RING_LEN - 1)];

	ring->seq = seq;
	*r = (struct traplog_rec){.timestamp = now, .seq = seq, .who = who, .hsr = hsr, .pc = pc};
	return r;
}

/* copy out the last n records, oldest first; returns how many */
u32 traplog_last(struct traplog_rec *out, u32 n);
/* the same, only VM vm's (or, TRAPLOG_ANY_VM, anyone's) */
#define TRAPLOG_ANY_VM 0xffffffffu
u32 traplog_last_of(u32 vm, struct traplog_rec *out, u32 n);


#endif
