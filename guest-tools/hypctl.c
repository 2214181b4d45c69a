/*
 * hypctl: the hypervisor's VMs, controlled from inside a Linux guest whose
 * manifest says "control = yes" (docs/control.md).
 *
 *   hypctl list                   every VM: id, name, state, vcpus, cpus, MiB, exits
 *   hypctl start NAME             a stopped VM, from its pristine images
 *   hypctl shutdown NAME [-f]     ask its kernel to power off (sysrq on hvc0)
 *   hypctl destroy NAME [-f]      stop it at once
 *   hypctl reset NAME [-f]        start it again from its images
 *   hypctl pin NAME VCPU CPU      move a vcpu, now if its VM runs, else at its start
 *   hypctl top [N]                exits per second per VM and class, every
 *                                 second, N times (for ever without N); needs
 *                                 "traplog = all"
 * -f: NAME may be this VM itself. exit status 0, or 1 with a message.
 *
 * linux runs user code at PL0, where hvc is UNDEFINED: the calls go through
 * the control mailbox at GUEST_CTL_IPA, mapped from /dev/mem (r0-r3 at
 * 0x0-0xc; writing the function id to 0x0 makes the call).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "guest_board.h"
#include "hypercall.h"
#include "traplog.h"

static volatile u32 *mbox;

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "hypctl: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(1);
}

static const void *map(off_t at, size_t len, int prot)
{
	int fd = open("/dev/mem", (prot & PROT_WRITE ? O_RDWR : O_RDONLY) | O_SYNC);
	void *p;

	if (fd < 0)
		die("cannot open /dev/mem (root only)%s", "");
	p = mmap(NULL, len, prot, MAP_SHARED, fd, at);
	if (p == MAP_FAILED)
		die("cannot map /dev/mem%s", "");
	close(fd);
	return p;
}

/*
 * one plain ldr or str per register: a trapped access is emulated from its
 * syndrome, which a load with writeback (gcc's choice in a loop) lacks (ISV 0)
 */
static u32 rd(u32 i)
{
	u32 v;

	asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(mbox + i) : "memory");
	return v;
}

static void wr(u32 i, u32 v)
{
	asm volatile("str %0, [%1]" : : "r"(v), "r"(mbox + i) : "memory");
}

static s32 call(u32 fid, u32 a1, u32 a2, u32 a3, u32 ret[4])
{
	wr(1, a1);
	wr(2, a2);
	wr(3, a3);
	wr(0, fid);
	if (ret)
		for (u32 i = 0; i < 4; i++)
			ret[i] = rd(i);
	return (s32)rd(0);
}

static const char *const errors[] = {
	"done", "this VM may not control others (control = no)", "no such VM, vcpu or cpu",
	"that is this VM: add -f", "it is running already", "it is not running",
	"busy: another control action is under way, try again",
};

static const char *const states[] = {"empty", "running", "stopped", "crashed", "resetting"};

/* the VM's id by its name, or a number */
static u32 vm_id(const char *name)
{
	u32 r[4], id;
	char n[17];

	if (call(HYP_CTL_NAME, 0, 0, 0, r) == HYP_CTL_UNSUPPORTED)
		die("%s", errors[1]);
	for (id = 0; call(HYP_CTL_NAME, id, 0, 0, r) >= 0; id++) {
		memcpy(n, r, 16);
		n[16] = 0;
		if (!strcmp(n, name))
			return id;
	}
	die("no VM named '%s' (hypctl list)", name);
	return 0;
}

static int list(void)
{
	u32 r[4], n[4], id;
	char name[17];

	if (call(HYP_CTL_LIST, 0, 0, 0, r) == HYP_CTL_UNSUPPORTED)
		die("%s", errors[1]);
	printf("%3s %-16s %-9s %5s %5s %5s %12s\n", "id", "name", "state", "vcpus", "cpus",
	       "MiB", "exits");
	for (id = 0; call(HYP_CTL_LIST, id, 0, 0, r) == 0; id++) {
		call(HYP_CTL_NAME, id, 0, 0, n);
		memcpy(name, n, 16);
		name[16] = 0;
		printf("%3u %-16s %-9s %5u %#5x %5u %12u%s\n", id, name,
		       states[(r[1] & 0xff) < 5 ? r[1] & 0xff : 0], r[1] >> 8 & 0xff,
		       r[1] >> 16 & 0xff, r[2], r[3], r[1] >> 24 ? " control" : "");
	}
	return 0;
}

/* the classes top shows, and the rest */
static const struct {
	const char *name;
	int ec; /* -1: interrupts */
} cols[] = {{"wfx", 0x01}, {"cp15", 0x03}, {"hvc", 0x12}, {"dabt", 0x24}, {"irq", -1}};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static void sample(const volatile struct traplog *tl, u64 v[][NCOLS + 2])
{
	for (u32 i = 0; i < tl->nr_vms; i++) {
		memset(v[i], 0, sizeof(v[i]));
		for (u32 j = 0; j < tl->vm[i].nr_vcpus; j++) {
			const volatile struct traplog_vcpu *c = &tl->vm[i].vcpu[j];

			for (u32 k = 0; k < NCOLS; k++)
				v[i][k] += c->row[cols[k].ec < 0 ? TRAPLOG_ROW_IRQ : cols[k].ec].count;
			v[i][NCOLS + 1] += c->total;
		}
		v[i][NCOLS] = v[i][NCOLS + 1];
		for (u32 k = 0; k < NCOLS; k++)
			v[i][NCOLS] -= v[i][k]; /* other */
	}
}

static int top(int rounds)
{
	static u64 a[TRAPLOG_MAX_VMS][NCOLS + 2], b[TRAPLOG_MAX_VMS][NCOLS + 2];
	const volatile struct traplog *tl = map(TRAPLOG_IPA, sizeof(struct traplog), PROT_READ);
	char access[8] = "";
	FILE *f = fopen("/proc/device-tree/hyp-traplog@c000000/access", "r");

	if (!f || !fgets(access, sizeof(access), f) || strcmp(access, "all"))
		die("top needs the whole trap log: this VM's manifest says traplog = %s",
		    access[0] ? access : "none");
	if (tl->magic != TRAPLOG_MAGIC || tl->version != TRAPLOG_VERSION)
		die("the trap log is not version %s", "TRAPLOG_VERSION");
	sample(tl, a);
	for (int r = 0; rounds <= 0 || r < rounds; r++) {
		sleep(1);
		sample(tl, b);
		printf("%-16s %-9s %9s", "VM", "state", "exits/s");
		for (u32 k = 0; k < NCOLS; k++)
			printf(" %7s", cols[k].name);
		printf(" %7s\n", "other");
		for (u32 i = 0; i < tl->nr_vms; i++) {
			printf("%-16.16s %-9s %9llu", (const char *)tl->vm[i].name,
			       states[tl->vm[i].state < 5 ? tl->vm[i].state : 0],
			       b[i][NCOLS + 1] - a[i][NCOLS + 1]);
			for (u32 k = 0; k <= NCOLS; k++)
				printf(" %7llu", b[i][k] - a[i][k]);
			printf("\n");
		}
		fflush(stdout);
		memcpy(a, b, sizeof(a));
	}
	return 0;
}

static void usage(void)
{
	die("usage: hypctl list | start NAME | shutdown NAME [-f] | destroy NAME [-f] | "
	    "reset NAME [-f] | pin NAME VCPU CPU | top [N]%s",
	    "");
}

/* a VM without "control = yes" has no mailbox: its access is aborted */
static void no_mailbox(int sig)
{
	(void)sig;
	die("%s", errors[1]);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *cmd;
		u32 fid;
	} cmds[] = {{"start", HYP_CTL_START},	  {"shutdown", HYP_CTL_SHUTDOWN},
		    {"destroy", HYP_CTL_DESTROY}, {"reset", HYP_CTL_RESET},
		    {"pin", HYP_CTL_PIN}};
	u32 flags = argc > 3 && !strcmp(argv[argc - 1], "-f") ? HYP_CTL_SELF : 0, i, id;
	s32 r;

	if (flags)
		argc--;
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "top"))
		return top(argc > 2 ? atoi(argv[2]) : 0);
	mbox = (volatile u32 *)map(GUEST_CTL_IPA, 4096, PROT_READ | PROT_WRITE);
	signal(SIGBUS, no_mailbox);
	if (!strcmp(argv[1], "list") && argc == 2)
		return list();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].cmd))
			continue;
		if (argc != (cmds[i].fid == HYP_CTL_PIN ? 5 : 3))
			usage();
		id = vm_id(argv[2]);
		if (cmds[i].fid == HYP_CTL_PIN)
			r = call(HYP_CTL_PIN, id, strtoul(argv[3], NULL, 0),
				 strtoul(argv[4], NULL, 0), NULL);
		else
			r = call(cmds[i].fid, id, flags, 0, NULL);
		if (r < 0 && r >= -6)
			die("%s", errors[-r]);
		if (r < 0)
			die("error %s", "unknown");
		printf("hypctl: %s %s: done\n", argv[1], argv[2]);
		return 0;
	}
	usage();
	return 1;
}
