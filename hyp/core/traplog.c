/* the trap log region and its per-cpu rings of recent traps. */
#include "atomic.h"
#include "traplog.h"
#include "lib.h"

/* page aligned in a section of its own, so it can be mapped alone later */
struct traplog traplog __attribute__((section(".traplog")));

void traplog_init(u64 cntfrq, u32 nr_cpus)
{
	memset(&traplog, 0, sizeof(traplog));
	traplog.version = TRAPLOG_VERSION;
	traplog.header_size = __builtin_offsetof(struct traplog, vm); /* padded to 16 KiB */
	traplog.size = sizeof(traplog);
	traplog.max_vcpus = TRAPLOG_MAX_VCPUS;
	traplog.nr_ec = TRAPLOG_NR_EC;
	traplog.ring_len = TRAPLOG_RING_LEN;
	traplog.nr_rings = nr_cpus;
	traplog_set_recording(1);
	traplog.cntfrq = cntfrq;
	/* magic last: a reader that sees it sees a complete header */
	store_release(&traplog.magic, TRAPLOG_MAGIC);
}

/* on every cpu; returns the setting before */
u32 traplog_set_recording(u32 on)
{
	u32 i, was = traplog.ring[0].recording;

	for (i = 0; i < TRAPLOG_MAX_CPUS; i++)
		atomic_write(&traplog.ring[i].recording, on);
	return was;
}

void traplog_vm_init(u32 vm, const char *name, u32 nr_vcpus)
{
	struct traplog_vm *l = &traplog.vm[vm];
	u32 i;

	memset(l, 0, sizeof(*l));
	/* what an "own" VM needs of the header, which it does not see */
	l->magic = TRAPLOG_MAGIC;
	l->version = TRAPLOG_VERSION;
	l->size = TRAPLOG_VM_SIZE;
	l->cntfrq = traplog.cntfrq;
	for (i = 0; name[i] && i < TRAPLOG_NAME_LEN - 1; i++)
		l->name[i] = name[i];
	l->id = vm;
	l->nr_vcpus = nr_vcpus;
	if (vm >= traplog.nr_vms)
		traplog.nr_vms = vm + 1;
}

/* a guest's mark: a record of class "mark" carrying its tag; returns its seq */
u32 traplog_mark(u32 cpu, u32 who, u32 tag, u32 pc, u64 now)
{
	struct traplog_rec *r = traplog_record(&traplog.ring[cpu], traplog.rec[cpu],
					       who | TRAPLOG_ROW_MARK << 16, tag, pc, now);

	r->cost = 0;
	return r->seq;
}

/* a control action, in the ring of the cpu it ran on (TRAPLOG_ROW_CTL) */
void traplog_ctl(u32 cpu, u32 who, u32 fid, u32 args, u32 result, u64 now)
{
	struct traplog_rec *r = traplog_record(&traplog.ring[cpu], traplog.rec[cpu],
					       who | TRAPLOG_ROW_CTL << 16, fid, args, now);

	r->ipa = result;
	r->cost = 0;
}

/* cpu's record with sequence number seq, if its ring still holds it */
static const struct traplog_rec *ring_rec(u32 cpu, u32 seq)
{
	if (seq == 0 || traplog.ring[cpu].seq - seq >= TRAPLOG_RING_LEN)
		return NULL;
	return &traplog.rec[cpu][seq & (TRAPLOG_RING_LEN - 1)];
}

/*
 * the last n records of VM vm (TRAPLOG_ANY_VM: of all), oldest first: a
 * merge by timestamp walking back from each ring's newest record (ties: the
 * lower cpu first), into out[] from its end, then moved to its start.
 */
u32 traplog_last_of(u32 vm, struct traplog_rec *out, u32 n)
{
	u32 next[TRAPLOG_MAX_CPUS], held = 0, got = 0, c, nr = traplog.nr_rings, i;

	for (c = 0; c < nr; c++) {
		next[c] = traplog.ring[c].seq;
		held += next[c] < TRAPLOG_RING_LEN ? next[c] : TRAPLOG_RING_LEN;
	}
	if (n > held)
		n = held;
	while (got < n) {
		const struct traplog_rec *best = NULL, *r;
		u32 from = 0;

		for (c = 0; c < nr; c++) {
			r = ring_rec(c, next[c]);
			if (r && (!best || r->timestamp >= best->timestamp)) {
				best = r;
				from = c;
			}
		}
		if (!best)
			break;
		next[from]--;
		if (vm == TRAPLOG_ANY_VM || best->vm == vm)
			out[n - ++got] = *best;
	}
	for (i = 0; i < got && got < n; i++)
		out[i] = out[n - got + i];
	return got;
}

u32 traplog_last(struct traplog_rec *out, u32 n)
{
	return traplog_last_of(TRAPLOG_ANY_VM, out, n);
}
