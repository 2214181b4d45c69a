/*
 * ctl: a control VM ("control = yes") sharing its cpu with cycled (vm 1),
 * a neighbour (vm 2) on the other. it makes every control call with each kind of wrong
 * argument and prints what each answered; then destroys and starts cycled
 * `cycles=N` times, each time waiting for the new life's report (cycled.c:
 * a null call, counted in the trap log, "traplog = all"), and prints how
 * many lives found their memory wiped; then powers off. with roamer as vm 1
 * (a neighbour on cpus 0-1) it pins roamer's running vcpu to cpu 1 and back
 * 1,000 times instead (roam()).
 */
#include "stub.h"
#include "traplog.h"

static const volatile struct traplog *const tl = (const void *)TRAPLOG;

static s32 ctl(const char *what, u32 fid, u32 a1, u32 a2, u32 a3)
{
	s32 r = (s32)hvc_call(fid, a1, a2, a3).r0;

	if (what)
		printf("ctl: %s: %d\n", what, r);
	return r;
}

/* cycled's lives so far (null calls), or its bad ones (hvc #1) */
static u32 lives(u32 range)
{
	return (u32)tl->vm[1].vcpu[0].hvc[range];
}

/* until cycled's life number n has reported, a second at most */
static int wait_life(u32 n)
{
	u64 t = stub_cntvct();

	while (lives(HVC_RANGE_NULL) < n) {
		if (stub_cntvct() - t > stub_cntfrq())
			return 0;
		asm volatile("wfi"); /* cycled shares our cpu: its turn now */
	}
	return 1;
}

static void doze(enum exc_kind kind, struct exc_frame *f)
{
	u32 iar = *(volatile u32 *)(GICC + GICC_IAR);

	(void)kind;
	(void)f;
	stub_vtimer_set(0, 0);
	*(volatile u32 *)(GICC + GICC_EOIR) = iar;
}

/* a millisecond in WFI: roamer runs meanwhile if it is on our cpu */
static void nap(void)
{
	asm volatile("cpsid i");
	stub_vtimer_set(stub_cntvct() + stub_cntfrq() / 1000, 1);
	asm volatile("wfi");
	asm volatile("cpsie i"); /* doze() */
}

/* whether cpu's ring holds a record of roamer's since seq */
static int roamer_on(u32 cpu, u32 seq)
{
	u32 s;

	for (s = seq + 1; (s32)(tl->ring[cpu].seq - s) >= 0 && s - seq <= TRAPLOG_RING_LEN; s++)
		if (tl->rec[cpu][s & (TRAPLOG_RING_LEN - 1)].vm == 1)
			return 1;
	return 0;
}

/*
 * pin roamer's vcpu to cpu 1 and back, n times, while it runs: after each
 * pin it leaves a ring record on its new cpu, then its timer ticks three
 * more times (exits of class irq) and its old cpu records none of its exits.
 * last, roamer on our cpu and switched out, its exits by class add up to
 * its total
 */
static void roam(u32 n)
{
	const volatile struct traplog_vcpu *r = &tl->vm[1].vcpu[0];
	u32 i, j, k, to, bad = 0, stuck = 0, stayed = 0, seq, moves;
	u64 irq, sum = 0;

	exc_hook = doze;
	stub_gic_on(IRQ_VTIMER);
	for (i = 0; i < n; i++) {
		to = ~i & 1;
		seq = tl->ring[to].seq;
		bad += ctl(NULL, HYP_CTL_PIN, 1, 0, to) != 0;
		for (j = 0; !roamer_on(to, seq) && j < 1000; j++)
			nap();
		irq = r->row[TRAPLOG_ROW_IRQ].count;
		for (k = 0; r->row[TRAPLOG_ROW_IRQ].count < irq + 3 && k < 1000; k++)
			nap();
		stuck += j == 1000 || k == 1000;
		seq = tl->ring[!to].seq;
		for (k = 0; k < 3; k++)
			nap();
		stayed += roamer_on(!to, seq);
		if (stuck > 2)
			break; /* (a second each) */
	}
	for (moves = i, i = 0; i < TRAPLOG_NR_EC; i++)
		sum += r->row[i].count;
	printf("ctl: %u moves, %u calls failed, %u not seen moved and ticking, %u seen on the "
	       "old cpu after; exits by class %s the total\n",
	       moves, bad, stuck, stayed, sum + r->row[TRAPLOG_ROW_IRQ].count == r->total ? "add up to" : "DO NOT add up to");
}

int main(void)
{
	u32 n = stub_bootarg("cycles=", 10000), i, bad = 0, late = 0;
	struct hvc_ret r = hvc_call(HYP_CTL_NAME, 1, 0, 0);

	if (r.r0 == ('r' | 'o' << 8 | 'a' << 16 | (u32)'m' << 24) && r.r1 == ('e' | 'r' << 8)) {
		roam(1000);
		return 0;
	}
	r = hvc_call(HYP_CTL_LIST, 0, 0, 0);

	printf("ctl: list 0: %d, state %u vcpus %u cpus %#x control %u, %u MiB\n", (s32)r.r0,
	       r.r1 & 0xff, r.r1 >> 8 & 0xff, r.r1 >> 16 & 0xff, r.r1 >> 24, r.r2);
	r = hvc_call(HYP_CTL_NAME, 1, 0, 0);
	printf("ctl: name 1: %.16s\n", (const char *)&r);
	ctl("list 3 (no such VM)", HYP_CTL_LIST, 3, 0, 0);
	ctl("name -1 (no such VM)", HYP_CTL_NAME, ~0u, 0, 0);
	ctl("start 8 (no such VM)", HYP_CTL_START, 8, 0, 0);
	wait_life(1);
	ctl("start 1 (running)", HYP_CTL_START, 1, 0, 0);
	ctl("shutdown 1 (no hvc0)", HYP_CTL_SHUTDOWN, 1, 0, 0);
	ctl("destroy 0 (itself, no flag)", HYP_CTL_DESTROY, 0, 0, 0);
	ctl("reset 0 (itself, no flag)", HYP_CTL_RESET, 0, 0, 0);
	ctl("shutdown 0 (itself, no flag)", HYP_CTL_SHUTDOWN, 0, 0, 0);
	ctl("destroy 1 flags 2 (unknown flag)", HYP_CTL_DESTROY, 1, 2, 0);
	ctl("pin 1 vcpu 0 cpu 1 (not in its cpus)", HYP_CTL_PIN, 1, 0, 1);
	ctl("pin 1 vcpu 1 cpu 0 (no such vcpu)", HYP_CTL_PIN, 1, 1, 0);
	ctl("pin 1 vcpu 0 cpu 4 (no such cpu)", HYP_CTL_PIN, 1, 0, 4);
	ctl("pin 1 vcpu 0 cpu 0", HYP_CTL_PIN, 1, 0, 0);
	ctl("reset 1", HYP_CTL_RESET, 1, 0, 0);
	printf("ctl: its second life reported: %d\n", wait_life(2));
	ctl("destroy 1", HYP_CTL_DESTROY, 1, 0, 0);
	ctl("destroy 1 (stopped)", HYP_CTL_DESTROY, 1, 0, 0);
	ctl("reset 1 (stopped)", HYP_CTL_RESET, 1, 0, 0);
	ctl("shutdown 1 (stopped)", HYP_CTL_SHUTDOWN, 1, 0, 0);
	ctl("pin 1 vcpu 0 cpu 0 (stopped)", HYP_CTL_PIN, 1, 0, 0);
	ctl("start 1", HYP_CTL_START, 1, 0, 0);
	printf("ctl: its third life reported: %d\n", wait_life(3));
	for (i = 0; i < n; i++) {
		bad += ctl(NULL, HYP_CTL_DESTROY, 1, 0, 0) != 0;
		bad += ctl(NULL, HYP_CTL_START, 1, 0, 0) != 0;
		late += !wait_life(4 + i);
	}
	printf("ctl: %u cycles, %u calls failed, %u lives late; cycled's lives %u, %u of them "
	       "found a marker or were not refused\n",
	       n, bad, late, lives(HVC_RANGE_NULL), lives(HVC_RANGE_IMM));
	/* last, so that its ring record (class CTL) is in this VM's last exits */
	return ctl(NULL, HYP_CTL_DESTROY, 1, 0, 0);
}
