/*
 * hypstat: the hypervisor's trap log, read from inside a Linux guest.
 *
 *   hypstat            this VM's traps per exception class, and the board's
 *                      (when the VM may see every VM: traplog = all)
 *   hypstat -l [N]     a live view: counts and rates per class, every second,
 *                      N times (for ever without N), like perf kvm stat live
 *   hypstat -t TAG CMD [ARG...]
 *                      runs CMD and prints, on one line each, its real, user
 *                      and sys time (as time(1) measures them: the monotonic
 *                      clock around it, its rusage) and, when this VM sees its
 *                      trap log, the traps this VM took meanwhile, per class:
 *                        bench TAG status=0 real=1.234567 user=1.1 sys=0.1
 *                        traps TAG total=N irq=N switches=N ec0x24=N ...
 *                      without a trap log (bare qemu) only the first line.
 *
 * the device tree tells where the log is (/hyp-traplog@..., compatible
 * "armv7hyp,traplog": reg, access = "own" or "all", vm-name); it is read
 * through /dev/mem, read-only. the layout is hyp/core/include/traplog.h:
 * "all" maps the whole log, "own" the VM's own block alone, which starts
 * with a copy of the log's magic and version.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "traplog.h"

#define DT	"/proc/device-tree/hyp-traplog@c000000/"

static const char *const ec_names[TRAPLOG_NR_EC] = {
	[0x00] = "UNKNOWN", [0x01] = "WFI/WFE", [0x03] = "CP15 MCR/MRC",
	[0x04] = "CP15 MCRR/MRRC", [0x05] = "CP14 MCR/MRC", [0x06] = "CP14 LDC/STC",
	[0x07] = "HCPTR (VFP/NEON)", [0x08] = "CP10 VMRS ID", [0x09] = "JAZELLE",
	[0x0a] = "BXJ", [0x0c] = "CP14 MRRC", [0x11] = "SVC (TGE)", [0x12] = "HVC",
	[0x13] = "SMC", [0x20] = "PABT (guest)", [0x21] = "PABT (hyp)",
	[0x24] = "DABT (guest)", [0x25] = "DABT (hyp)",
};

static const volatile struct traplog *tl;
static const volatile struct traplog_vm *own;
static int all;

static void die(const char *what)
{
	fprintf(stderr, "hypstat: %s\n", what);
	exit(1);
}

static int dt_read(const char *prop, void *buf, size_t len)
{
	char path[128];
	int fd, n;

	snprintf(path, sizeof(path), DT "%s", prop);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len);
	close(fd);
	return n;
}

static u32 be32p(const unsigned char *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* find the region in the device tree, map it, find this VM in it; without
 * one, 0 if the caller can do without (optional), else a clear exit */
static int attach(int optional)
{
	unsigned char reg[16];
	char access[8] = "", name[TRAPLOG_NAME_LEN + 1] = "";
	u32 i;
	int fd;
	void *p;

	if (dt_read("reg", reg, sizeof(reg)) != 16) {
		if (optional)
			return 0;
		die("no trap log in the device tree: the manifest gives this VM none "
		    "(traplog = own or all)");
	}
	dt_read("access", access, sizeof(access) - 1);
	dt_read("vm-name", name, sizeof(name) - 1);
	all = !strcmp(access, "all");
	fd = open("/dev/mem", O_RDONLY | O_SYNC);
	if (fd < 0)
		die("cannot open /dev/mem");
	p = mmap(NULL, be32p(reg + 12), PROT_READ, MAP_SHARED, fd, be32p(reg + 4));
	if (p == MAP_FAILED)
		die("cannot map the trap log");
	if (!all) {			/* its own block alone, with the header's constants */
		own = p;
		if (own->magic != TRAPLOG_MAGIC || own->version != TRAPLOG_VERSION ||
		    own->size != TRAPLOG_VM_SIZE || be32p(reg + 12) != TRAPLOG_VM_SIZE)
			die("the region is not a trap log this hypstat reads (magic, version, size)");
		return 1;
	}
	tl = p;
	if (tl->magic != TRAPLOG_MAGIC || tl->version != TRAPLOG_VERSION)
		die("the region is not a trap log this hypstat reads (magic, version)");
	if (be32p(reg + 12) != tl->size)
		die("the device tree's size for the trap log is not the log's");
	for (i = 0; i < tl->nr_vms; i++)
		if (!strncmp((const char *)tl->vm[i].name, name, TRAPLOG_NAME_LEN))
			own = &tl->vm[i];
	if (!own)
		die("this VM is not in the trap log");
	return 1;
}

struct sums {
	u64 ec[TRAPLOG_NR_EC], irq, total;
	u64 cycles[TRAPLOG_NR_EC], irq_cycles, total_cycles;	/* hyp cycles */
	u32 worst[TRAPLOG_NR_ROWS], worst_pc[TRAPLOG_NR_ROWS];	/* the costliest trap */
	u32 worst_vcpu[TRAPLOG_NR_ROWS];
	u64 switches;
	u64 mmio[TRAPLOG_NR_MMIO_DEV];
	u64 notify[TRAPLOG_NR_MMIO_DEV][TRAPLOG_NR_QUEUES];
};

static void add(struct sums *s, const volatile struct traplog_vm *vm)
{
	u32 j, k;

	for (j = 0; j < vm->nr_vcpus; j++) {
		const volatile struct traplog_row *r = vm->vcpu[j].row;

		for (k = 0; k < TRAPLOG_NR_EC; k++) {
			s->ec[k] += r[k].count;
			s->cycles[k] += r[k].cycles;
			s->total_cycles += r[k].cycles;
		}
		for (k = 0; k < TRAPLOG_NR_ROWS; k++)
			if (!j || r[k].worst > s->worst[k]) {
				s->worst[k] = r[k].worst;
				s->worst_pc[k] = r[k].worst_pc;
				s->worst_vcpu[k] = j;
			}
		s->irq += r[TRAPLOG_ROW_IRQ].count;
		s->total += vm->vcpu[j].total;
		s->irq_cycles += r[TRAPLOG_ROW_IRQ].cycles;
		s->total_cycles += r[TRAPLOG_ROW_IRQ].cycles;
		s->switches += vm->vcpu[j].switches;
		for (k = 0; k < TRAPLOG_NR_MMIO_DEV * TRAPLOG_NR_QUEUES; k++)
			s->notify[k / TRAPLOG_NR_QUEUES][k % TRAPLOG_NR_QUEUES] +=
				vm->vcpu[j].notify[k / TRAPLOG_NR_QUEUES][k % TRAPLOG_NR_QUEUES];
		for (k = 0; k < TRAPLOG_NR_MMIO_DEV; k++)
			s->mmio[k] += vm->vcpu[j].mmio[k];
	}
}

static void snapshot(struct sums *mine, struct sums *board)
{
	u32 i;

	memset(mine, 0, sizeof(*mine));
	memset(board, 0, sizeof(*board));
	add(mine, own);
	for (i = 0; all && i < tl->nr_vms; i++)
		add(board, &tl->vm[i]);
}

/* the hyp cycles and their mean, the worst trap, its pc and vcpu */
static void cost(const struct sums *s, u32 k, u64 n, u64 c)
{
	printf(" %12llu %8.1f %10u %08x %u\n", c, n ? (double)c / n : 0.0, s->worst[k],
	       s->worst_pc[k], s->worst_vcpu[k]);
}

static void table(const char *title, const struct sums *s)
{
	u32 k;

	printf("%s\n  %-5s %-18s %12s %7s   hyp cycles     mean      worst       pc vcpu\n",
	       title, "EC", "class", "count", "share");
	for (k = 0; k < TRAPLOG_NR_EC; k++)
		if (s->ec[k]) {
			printf("  %#04x  %-18s %12llu %6.1f%%", k,
			       ec_names[k] ? ec_names[k] : "reserved", s->ec[k],
			       100.0 * s->ec[k] / s->total);
			cost(s, k, s->ec[k], s->cycles[k]);
		}
	printf("  %-5s %-18s %12llu %6.1f%%", "-", "IRQ", s->irq,
	       s->total ? 100.0 * s->irq / s->total : 0.0);
	cost(s, TRAPLOG_ROW_IRQ, s->irq, s->irq_cycles);
	printf("  %-5s %-18s %12llu %7s %12llu\n", "", "total", s->total, "", s->total_cycles);
}

/* this VM's emulated accesses per device and virtio kicks per queue, as the UART's */
static void mmio_row(const struct sums *s)
{
	u32 k, q, n = own->nr_mmio_dev < TRAPLOG_NR_MMIO_DEV ? own->nr_mmio_dev : TRAPLOG_NR_MMIO_DEV;

	printf("  mmio:");
	for (k = 0; k < n; k++)
		printf(" %.8s %llu", (const char *)own->mmio_name[k], s->mmio[k]);
	for (k = 0; k < n; k++)
		for (q = 0; q < TRAPLOG_NR_QUEUES; q++)
			if (s->notify[k][q])
				printf(" %.8s.q%u %llu", (const char *)own->mmio_name[k], q,
				       s->notify[k][q]);
	printf("\n");
}

/* a port of the hypervisor's switch: its VM's network card, or the uplink */
static void net_row(const char *what, const volatile struct traplog_net *n)
{
	if (!n->present)
		return;
	printf("  %s %02x:%02x:%02x:%02x:%02x:%02x: in %llu (%llu bytes), out %llu (%llu bytes), "
	       "dropped: full %llu spoofed %llu bad %llu unknown %llu\n",
	       what, n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5],
	       n->in_frames, n->in_bytes, n->out_frames, n->out_bytes, n->drop_full, n->drop_spoof,
	       n->drop_bad, n->drop_unknown);
}

static void live(int rounds)
{
	struct sums a, b, board;
	u32 k;
	int n;

	snapshot(&a, &board);
	for (n = 0; rounds <= 0 || n < rounds; n++) {
		sleep(1);
		snapshot(&b, &board);
		printf("\nhypstat live: vm %s, traps in the last second\n  %-5s %-18s %12s %10s\n",
		       (const char *)own->name, "EC", "class", "count", "per s");
		for (k = 0; k < TRAPLOG_NR_EC; k++)
			if (b.ec[k])
				printf("  %#04x  %-18s %12llu %10llu\n", k,
				       ec_names[k] ? ec_names[k] : "reserved", b.ec[k],
				       b.ec[k] - a.ec[k]);
		printf("  %-5s %-18s %12llu %10llu\n  %-5s %-18s %12llu %10llu\n", "-", "IRQ",
		       b.irq, b.irq - a.irq, "", "total", b.total, b.total - a.total);
		fflush(stdout);
		a = b;
	}
}

static double secs(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

/* hypstat -t: time a command, and count the traps this VM took while it ran */
static int timed(const char *tag, char **argv)
{
	struct sums a, b, board;
	struct timespec t0, t1;
	struct rusage ru;
	int log = attach(1), status;
	pid_t pid;
	u32 k;

	if (log)
		snapshot(&a, &board);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0)
		die("fork failed");
	if (!pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "hypstat: cannot run %s\n", argv[0]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		die("wait4 failed");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (log)
		snapshot(&b, &board);
	printf("bench %s status=%d real=%.6f user=%.6f sys=%.6f\n", tag,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
	       secs(&ru.ru_utime), secs(&ru.ru_stime));
	if (log) {
		printf("traps %s total=%llu irq=%llu switches=%llu", tag, b.total - a.total,
		       b.irq - a.irq, b.switches - a.switches);
		for (k = 0; k < TRAPLOG_NR_EC; k++)
			if (b.ec[k] != a.ec[k])
				printf(" ec%#04x=%llu", k, b.ec[k] - a.ec[k]);
		printf("\n");
	}
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct sums mine, board;
	char title[64];

	if (argc > 1 && !strcmp(argv[1], "-t")) {
		if (argc < 4)
			die("usage: hypstat -t TAG CMD [ARG...]");
		return timed(argv[2], argv + 3);
	}
	attach(0);
	if (argc > 1 && !strcmp(argv[1], "-l")) {
		live(argc > 2 ? atoi(argv[2]) : 0);
		return 0;
	}
	snapshot(&mine, &board);
	snprintf(title, sizeof(title), "hypstat: vm %u (%s)", own->id, (const char *)own->name);
	table(title, &mine);
	mmio_row(&mine);
	net_row("net", &own->net);
	if (all) {
		net_row("uplink", &tl->uplink);
		table("hypstat: board (all VMs)", &board);
	} else {
		printf("hypstat: the other VMs are not visible to this one "
		       "(traplog = own)\n");
	}
	return 0;
}
