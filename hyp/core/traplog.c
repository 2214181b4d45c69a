/* the trap log region and its ring of recent traps. */
#include "traplog.h"
#include "lib.h"

/* page aligned in a section of its own, so it can be mapped alone later */
struct traplog traplog __attribute__((section(".traplog"), aligned(4096)));

void traplog_init(u64 cntfrq)
{
	memset(&traplog, 0, sizeof(traplog));
	traplog.version = TRAPLOG_VERSION;
	traplog.header_size = __builtin_offsetof(struct traplog, vm);	/* padded to 8 KiB */
	traplog.size = sizeof(traplog);
	traplog.max_vcpus = TRAPLOG_MAX_VCPUS;
	traplog.nr_ec = TRAPLOG_NR_EC;
	traplog.ring_len = TRAPLOG_RING_LEN;
	traplog.cntfrq = cntfrq;
	traplog.recording = 1;
	/* magic last: a reader that sees it sees a complete header */
	__atomic_store_n(&traplog.magic, TRAPLOG_MAGIC, __ATOMIC_RELEASE);
}

void traplog_vm_init(u32 vm, const char *name, u32 nr_vcpus)
{
	struct traplog_vm *l = &traplog.vm[vm];
	u32 i;

	memset(l, 0, sizeof(*l));
	for (i = 0; name[i] && i < TRAPLOG_NAME_LEN - 1; i++)
		l->name[i] = name[i];
	l->id = vm;
	l->nr_vcpus = nr_vcpus;
	if (vm >= traplog.nr_vms)
		traplog.nr_vms = vm + 1;
}

/* a guest's mark: a ring record of class "mark" carrying its tag */
u32 traplog_mark(u32 who, u32 tag, u32 pc, u64 now)
{
	traplog_record(who | TRAPLOG_ROW_MARK << 16, tag, pc, 0, now);
	return __atomic_load_n(&traplog.ring_seq, __ATOMIC_RELAXED);
}

u32 traplog_last(struct traplog_rec *out, u32 n)
{
	u32 head = __atomic_load_n(&traplog.ring_seq, __ATOMIC_ACQUIRE), i;

	if (n > head)
		n = head;
	if (n > TRAPLOG_RING_LEN)
		n = TRAPLOG_RING_LEN;
	for (i = 0; i < n; i++)
		out[i] = traplog.ring[(head - n + 1 + i) & (TRAPLOG_RING_LEN - 1)];
	return n;
}
